/* sync-client.c: client databases enrolled with a real hub, for the sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sqlite3.h>
#include <stdlib.h>

#include "pb-store-private.h"
#include "pb-util.h"
#include "sync-client.h"

void
client_free (Client *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->transport);
  g_free (c->path);
  g_free (c->credential);
  g_free (c->org);
  g_free (c);
}

void
client_sync (Client *c)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* A new account on the hub and a new database enrolled with it, synced once. */
Client *
client_new (Fixture    *f,
            const char *name,
            const char *org,
            const char *kind,
            const char *role)
{
  g_autofree char *token = pb_test_hub_add_user (f->dir, name, org, kind, role);
  g_autofree char *file = g_strdup_printf ("client-%u.sqlite", f->n_clients++);
  g_autoptr(GError) error = NULL;
  Client *c = g_new0 (Client, 1);
  g_autoptr(PbPerson) me = NULL;

  c->path = g_build_filename (f->dir, file, NULL);
  c->store = pb_store_open (c->path, &error);
  g_assert_no_error (error);
  c->transport = pb_soup_transport_new (f->hub.url, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pb_sync_enrol (c->store, PB_TRANSPORT (c->transport), token, &c->credential, &error));
  g_assert_no_error (error);
  client_sync (c);
  g_assert_nonnull (pb_store_get_actor (c->store));
  me = pb_store_find_person (c->store, pb_store_get_actor (c->store), &error);
  g_assert_no_error (error);
  c->org = g_strdup (me->org);
  return c;
}

/* Points a client at the hub again after a restart (a new port). */
void
client_reconnect (Fixture *f,
                  Client  *c)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&c->transport);
  c->transport = pb_soup_transport_new (f->hub.url, f->hub.fingerprint, &error);
  g_assert_no_error (error);
}

char *
client_add_item (Client     *c,
                 const char *title,
                 const char *tlp,
                 const char *container)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) item = pb_record_new ("items", NULL);
  g_autoptr(PbRecord) ident = NULL;
  g_autofree char *id = pb_uuid_new ();
  PbWrite writes[2];

  pb_record_set_id (item, id);
  pb_record_set_string (item, "title", title);
  pb_record_set_string (item, "tlp", tlp);
  pb_record_set_string (item, "source_org", c->org);
  pb_record_set_string (item, "author", pb_store_get_actor (c->store));
  pb_record_set_int (item, "reported_at", 1790000000);
  writes[0] = (PbWrite) { PB_OP_INSERT, item };
  if (container)
    {
      ident = pb_record_new ("identifiers", NULL);
      pb_record_set_string (ident, "item", id);
      pb_record_set_string (ident, "kind", "container");
      pb_record_set_string (ident, "raw", container);
      writes[1] = (PbWrite) { PB_OP_INSERT, ident };
    }
  g_assert_true (pb_store_write_many (c->store, writes, container ? 2 : 1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

gboolean
client_set (Client     *c,
            const char *tbl,
            const char *id,
            const char *field,
            const char *value,
            GError    **error)
{
  g_autoptr(PbRecord) r = pb_record_new (tbl, id);

  pb_record_set_string (r, field, value);
  return pb_store_write (c->store, PB_OP_UPDATE, r, error);
}

char *
client_share (Client     *c,
              const char *item,
              const char *org)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("item_shares", NULL);
  g_autofree char *id = pb_uuid_new ();

  pb_record_set_id (r, id);
  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "org", org);
  pb_store_write (c->store, PB_OP_INSERT, r, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

gint64
count (Client     *c,
       const char *sql)
{
  sqlite3_stmt *s;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return n;
}

char *
item_field (Client     *c,
            const char *id,
            const char *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM items WHERE id = '%s'", field, id);
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  return value;
}

char *
title_of (Client     *c,
          const char *id)
{
  return item_field (c, id, "title");
}

void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pb-sync-XXXXXX", &error);
  g_assert_no_error (error);
  /* The hub is made with its first user before it runs, as an administrator would. */
  g_free (pb_test_hub_add_user (f->dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&f->hub, f->dir, GPOINTER_TO_INT (data));
}

void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  pb_test_hub_stop (&f->hub);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}
