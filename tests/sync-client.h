/* sync-client.h: client databases enrolled with a real hub, for the sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-test-hub.h"

typedef struct
{
  char            *path;
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
  char            *org;
} Client;

typedef struct
{
  char      *dir;
  PbTestHub  hub;
  guint      n_clients;
} Fixture;

G_BEGIN_DECLS

void      client_free       (Client        *c);
void      client_sync       (Client        *c);
Client   *client_new        (Fixture       *f,
                             const char    *name,
                             const char    *org,
                             const char    *kind,
                             const char    *role);
void      client_reconnect  (Fixture       *f,
                             Client        *c);
char     *client_add_item   (Client        *c,
                             const char    *title,
                             const char    *tlp,
                             const char    *container);
gboolean  client_set        (Client        *c,
                             const char    *tbl,
                             const char    *id,
                             const char    *field,
                             const char    *value,
                             GError       **error);
char     *client_share      (Client        *c,
                             const char    *item,
                             const char    *org);
gint64    count             (Client        *c,
                             const char    *sql);
char     *item_field        (Client        *c,
                             const char    *id,
                             const char    *field);
char     *title_of          (Client        *c,
                             const char    *id);
void      fixture_set_up    (Fixture       *f,
                             gconstpointer  data);
void      fixture_tear_down (Fixture       *f,
                             gconstpointer  data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

G_END_DECLS
