/* fuzz-hub.h: a hub for the push and enrolment harnesses, the same before every input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-hub.h"

G_BEGIN_DECLS

/* Rows the hub holds before every input (the corpus names them). */
#define FUZZ_ITEM_POLICE   "01a21900-0000-7000-8000-000000000001"
#define FUZZ_ITEM_CUSTOMS  "01a21900-0000-7000-8000-000000000002"
#define FUZZ_IDENTIFIER    "01a21900-0000-7000-8000-000000000003"
#define FUZZ_INCIDENT      "01a21900-0000-7000-8000-000000000004"
#define FUZZ_SHARE         "01a21900-0000-7000-8000-000000000005"
#define FUZZ_NOW_MS        G_GINT64_CONSTANT (1790000000000)

typedef struct
{
  PbHub        *hub;
  PbHubAccount *police;    /* officers of the Federal Police and of Customs */
  PbHubAccount *customs;
  PbHubAccount *chair;     /* of the Port Prosecutor */
  PbHubAccount *partner;   /* a terminal operator */
  PbHubAccount *admin;
  char         *fresh_token;    /* of an officer not enrolled yet */
  char         *used_token;     /* the police officer's, spent */
  char         *revoked_token;  /* of an account revoked before enrolling */
  const char   *const *pairs;   /* the placeholders inputs may use, for fuzz_expand() */
} FuzzHub;

FuzzHub *fuzz_hub_get    (void);
void     fuzz_hub_reset  (FuzzHub *fh);

G_END_DECLS
