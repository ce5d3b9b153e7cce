/* pb-test-hub.h: a real portboard-hub process for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

typedef struct
{
  GPid     pid;
  char    *dir;
  char    *url;
  char    *fingerprint;
} PbTestHub;

void   pb_test_hub_start     (PbTestHub  *hub,
                              const char *dir,
                              gboolean    tls);
void   pb_test_hub_stop      (PbTestHub  *hub);
void   pb_test_hub_kill      (PbTestHub  *hub);
char  *pb_test_hub_add_user  (const char *dir,
                              const char *name,
                              const char *org,
                              const char *org_kind,
                              const char *role);
