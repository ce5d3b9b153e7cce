/* hub-fixture.h: a hub in the test process with four enrolled members, and changes in
 * wire form, for the hub's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "pb-hub.h"

G_BEGIN_DECLS

#define ITEM_A "01a21900-0000-7000-8000-00000000000a"

typedef struct
{
  char         *dir;
  PbHub        *hub;
  PbHubAccount *police;
  PbHubAccount *customs;
  PbHubAccount *chair;
  PbHubAccount *partner;
  char         *police_credential;
  guint64       hlc;
  gint64        now;
} Fixture;

gint64          fixture_now       (gpointer              data);
JsonObject     *parse             (const char           *json);
guint           http_answer       (gboolean              ok,
                                   GError               *error,
                                   char                **reply);
guint           enrol_request     (PbHub                *hub,
                                   const char           *body,
                                   char                **reply);
guint           push_request      (PbHub                *hub,
                                   const PbHubAccount   *account,
                                   const char           *body,
                                   guint64              *audience,
                                   char                **reply);
guint           pull_request      (PbHub                *hub,
                                   const PbHubAccount   *account,
                                   const char           *since,
                                   const char           *limit,
                                   const char           *form,
                                   char                **reply);
PbHubAccount   *enrol             (Fixture              *f,
                                   const char           *name,
                                   const char           *org,
                                   const char           *kind,
                                   const char           *role,
                                   char                **credential_out);
void            fixture_set_up    (Fixture              *f,
                                   gconstpointer         data);
void            fixture_tear_down (Fixture              *f,
                                   gconstpointer         data);
char           *change            (Fixture              *f,
                                   const PbHubAccount   *a,
                                   const char           *tbl,
                                   const char           *row,
                                   const char           *op,
                                   const char           *field,
                                   const char           *value);
char           *one               (char                 *c);
guint           push              (Fixture              *f,
                                   const PbHubAccount   *a,
                                   char                **reply,
                                   ...);
char           *item_insert       (Fixture              *f,
                                   const PbHubAccount   *a,
                                   const char           *row,
                                   const char           *title,
                                   const char           *tlp);

G_END_DECLS
