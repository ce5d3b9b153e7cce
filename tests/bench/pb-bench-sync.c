/* pb-bench-sync.c: `make bench`, the figures of the sync issue, with real hub processes
 * over loopback HTTPS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sync.initial_100k_s       100k items with 200k identifiers, hub → a new client, applied
 *                           and queryable
 * sync.merge_changes_per_s  edits from another site pulled and merged into a replica that
 *                           holds the rows
 * sync.live_p99_ms          one edit, from its push to being applied by each of 10
 *                           clients that listen on the live channel
 * sync.concurrent_50_lost   50 clients push 100 changes each at once: changes lost or
 *                           doubled on the hub
 *
 * PB_BENCH_SYNC_ITEMS sets the number of items (default 100000).
 */

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb-bench-util.h"
#include "pb-identifier.h"
#include "pb-live-channel.h"
#include "pb-record.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-store-private.h"
#include "pb-util.h"

typedef struct
{
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
  char            *org;
} Client;

static char *dir;
static PbTestHub hub;
static guint n_clients;

static void
must (gboolean ok,
      GError  *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static Client *
client_new (const char *name,
            const char *org,
            const char *kind)
{
  g_autofree char *token = pb_test_hub_add_user (dir, name, org, kind,
                                                 g_str_equal (kind, "partner") ? "partner" : "officer");
  g_autofree char *file = g_strdup_printf ("client-%u.sqlite", n_clients++);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  Client *c = g_new0 (Client, 1);
  g_autoptr(PbPerson) me = NULL;

  c->store = pb_store_open (path, &error);
  must (c->store != NULL, error);
  c->transport = pb_soup_transport_new (hub.url, hub.fingerprint, &error);
  must (pb_sync_enrol (c->store, PB_TRANSPORT (c->transport), token, &c->credential, &error), error);
  must (pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error), error);
  me = pb_store_find_person (c->store, pb_store_get_actor (c->store), &error);
  must (me != NULL, error);
  c->org = g_strdup (me->org);
  return c;
}

static void
client_free (Client *c)
{
  g_object_unref (c->store);
  g_object_unref (c->transport);
  g_free (c->credential);
  g_free (c->org);
  g_free (c);
}

static gboolean
client_sync (Client  *c,
             GError **error)
{
  return pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, error);
}

static void
write_items (Client *c,
             guint   n,
             guint   vessels)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i += 1000)
    {
      must (pb_store_begin (c->store, &error), error);
      for (guint k = i; k < MIN (n, i + 1000); k++)
        {
          g_autoptr(PbRecord) item = pb_record_new ("items", NULL);
          g_autoptr(PbRecord) box = pb_record_new ("identifiers", NULL);
          g_autoptr(PbRecord) ship = pb_record_new ("identifiers", NULL);
          g_autofree char *id = pb_uuid_new ();
          g_autofree char *title = g_strdup_printf ("Report %u on a reefer at the Deurganck dock", k);
          char container[12], imo[8];
          PbWrite writes[3];

          g_snprintf (container, sizeof container, "MSCU%06u0", k % 1000000);
          container[10] = '0' + pb_iso6346_check_digit (container);
          g_snprintf (imo, sizeof imo, "%06u0", 900000 + (k % vessels));
          imo[6] = '0' + pb_imo_check_digit (imo);

          pb_record_set_id (item, id);
          pb_record_set_string (item, "title", title);
          pb_record_set_string (item, "body", "Seal number does not match the manifest; the consignee is new.");
          pb_record_set_string (item, "tlp", "AMBER");
          pb_record_set_string (item, "source_org", c->org);
          pb_record_set_string (item, "author", pb_store_get_actor (c->store));
          pb_record_set_int (item, "reported_at", 1790000000 + k);
          pb_record_set_string (box, "item", id);
          pb_record_set_string (box, "kind", "container");
          pb_record_set_string (box, "raw", container);
          pb_record_set_string (ship, "item", id);
          pb_record_set_string (ship, "kind", "imo");
          pb_record_set_string (ship, "raw", imo);
          writes[0] = (PbWrite) { PB_OP_INSERT, item };
          writes[1] = (PbWrite) { PB_OP_INSERT, box };
          writes[2] = (PbWrite) { PB_OP_INSERT, ship };
          must (pb_store_write_many (c->store, writes, 3, &error), error);
        }
      must (pb_store_commit (c->store, &error), error);
    }
}

/* ---- Live updates ----------------------------------------------------------------- */

typedef struct
{
  Client        *client;
  PbLiveChannel *channel;
  const char    *item;
  const char    *expected;   /* the title being waited for, or NULL */
  double         started;
  GArray        *latencies;
  gboolean       busy;
  gboolean       again;
} Listener;

static void listener_sync (Listener *l);

static gboolean
listener_done (gpointer data)
{
  Listener *l = data;
  g_autofree char *sql = NULL;
  sqlite3_stmt *s;
  gboolean arrived = FALSE;

  l->busy = FALSE;
  if (l->expected)
    {
      sqlite3_prepare_v2 (_pb_store_get_db (l->client->store), "SELECT title FROM items WHERE id = ?", -1, &s, NULL);
      sqlite3_bind_text (s, 1, l->item, -1, SQLITE_STATIC);
      arrived = sqlite3_step (s) == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (s, 0), l->expected) == 0;
      sqlite3_finalize (s);
      if (arrived)
        {
          double ms = (pb_bench_now_s () - l->started) * 1000;
          g_array_append_val (l->latencies, ms);
          l->expected = NULL;
        }
    }
  if (l->again)
    {
      l->again = FALSE;
      listener_sync (l);
    }
  return G_SOURCE_REMOVE;
}

static gpointer
listener_thread (gpointer data)
{
  Listener *l = data;

  client_sync (l->client, NULL);
  g_idle_add (listener_done, l);
  return NULL;
}

static void
listener_sync (Listener *l)
{
  if (l->busy)
    {
      l->again = TRUE;
      return;
    }
  l->busy = TRUE;
  g_thread_unref (g_thread_new ("listener", listener_thread, l));
}

static void
on_live_changed (PbLiveChannel *channel,
                 gint64         seq,
                 gpointer       data)
{
  listener_sync (data);
}

/* ---- Concurrent pushes ------------------------------------------------------------ */

static gpointer
push_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(GError) error = NULL;

  if (!client_sync (c, &error))
    g_printerr ("(a concurrent push failed: %s)\n", error->message);
  return NULL;
}

static gint64
hub_count (const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
  sqlite3 *db;
  sqlite3_stmt *s;
  gint64 n = -1;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  guint n_items = g_getenv ("PB_BENCH_SYNC_ITEMS") ? (guint) atoi (g_getenv ("PB_BENCH_SYNC_ITEMS")) : 100000;
  Client *writer, *replica;
  double t0, t;

  if (g_getenv ("PORTBOARD_HUB") == NULL)
    g_error ("PORTBOARD_HUB must name the portboard-hub program");
  dir = g_dir_make_tmp ("pb-bench-sync-XXXXXX", &error);
  must (dir != NULL, error);
  g_free (pb_test_hub_add_user (dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&hub, dir, TRUE);

  /* Setup: one officer's device holds the items and pushes them. */
  writer = client_new ("Karim", "Federal Police", "police");
  t0 = pb_bench_now_s ();
  write_items (writer, n_items, MAX (n_items / 20, 1));
  t = pb_bench_now_s () - t0;
  g_printerr ("(setup: %u items and %u identifiers written locally in %.1f s;", n_items, 2 * n_items, t);
  t0 = pb_bench_now_s ();
  must (client_sync (writer, &error), error);
  g_printerr (" pushed to the hub in %.1f s)\n", pb_bench_now_s () - t0);

  /* sync.initial_100k_s: a colleague's new device, from nothing to queryable. */
  {
    g_autoptr(GArray) found = NULL;
    PbSyncStats stats;

    replica = client_new ("Tine", "Federal Police", "police");
    /* client_new already synced once: what it measured is the figure. Do it again on a
     * fresh device, timed alone. */
    client_free (replica);
    {
      g_autofree char *token = pb_test_hub_add_user (dir, "Tine 2", "Federal Police", "police", "officer");
      g_autofree char *path = g_build_filename (dir, "initial.sqlite", NULL);
      g_autoptr(PbPerson) me = NULL;

      replica = g_new0 (Client, 1);
      replica->store = pb_store_open (path, &error);
      replica->transport = pb_soup_transport_new (hub.url, hub.fingerprint, &error);
      must (pb_sync_enrol (replica->store, PB_TRANSPORT (replica->transport), token, &replica->credential, &error),
            error);
      t0 = pb_bench_now_s ();
      must (pb_sync_once (replica->store, PB_TRANSPORT (replica->transport), replica->credential, &stats, &error),
            error);
      found = pb_store_search (replica->store, "MSCU000042", &error);
      t = pb_bench_now_s () - t0;
      must (found != NULL && found->len == 1, error);
      me = pb_store_find_person (replica->store, pb_store_get_actor (replica->store), &error);
      replica->org = g_strdup (me->org);
    }
    g_printerr ("(%u entries received and applied; a search then finds its report)\n", stats.received);
    pb_bench_report ("sync.initial_100k_s", t, "s", "<=", 3);
  }

  /* sync.merge_changes_per_s: 20000 edits made on the writer's device, merged here. */
  {
    guint n_edits = MIN (20000, n_items);
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    sqlite3_stmt *s;
    PbSyncStats stats;

    sqlite3_prepare_v2 (_pb_store_get_db (writer->store), "SELECT id FROM items ORDER BY rowid LIMIT ?", -1, &s, NULL);
    sqlite3_bind_int (s, 1, (int) n_edits);
    while (sqlite3_step (s) == SQLITE_ROW)
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (s, 0)));
    sqlite3_finalize (s);
    must (pb_store_begin (writer->store, &error), error);
    for (guint i = 0; i < ids->len; i++)
      {
        g_autoptr(PbRecord) r = pb_record_new ("items", ids->pdata[i]);
        pb_record_set_string (r, "priority", i % 2 ? "high" : "urgent");
        must (pb_store_write (writer->store, PB_OP_UPDATE, r, &error), error);
      }
    must (pb_store_commit (writer->store, &error), error);
    must (client_sync (writer, &error), error);

    t0 = pb_bench_now_s ();
    must (pb_sync_once (replica->store, PB_TRANSPORT (replica->transport), replica->credential, &stats, &error),
          error);
    t = pb_bench_now_s () - t0;
    g_printerr ("(%u edits pulled and merged in %.2f s, over HTTPS, LWW checked per field)\n", stats.applied, t);
    pb_bench_report ("sync.merge_changes_per_s", stats.applied / t, "changes/s", ">=", 50000);
  }

  /* sync.live_p99_ms: 10 devices of a partner listen; a public notice is edited 30 times. */
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(PbRecord) notice = pb_record_new ("items", NULL);
    g_autofree char *id = pb_uuid_new ();
    Listener listeners[10];
    guint n_listeners = G_N_ELEMENTS (listeners);

    pb_record_set_id (notice, id);
    pb_record_set_string (notice, "title", "Quay 1742 closed to traffic");
    pb_record_set_string (notice, "tlp", "CLEAR");
    pb_record_set_string (notice, "source_org", writer->org);
    pb_record_set_string (notice, "author", pb_store_get_actor (writer->store));
    pb_record_set_int (notice, "reported_at", 1790000000);
    must (pb_store_write (writer->store, PB_OP_INSERT, notice, &error), error);
    must (client_sync (writer, &error), error);

    for (guint i = 0; i < n_listeners; i++)
      {
        g_autofree char *name = g_strdup_printf ("Terminal desk %u", i);
        Listener *l = &listeners[i];

        memset (l, 0, sizeof *l);
        l->client = client_new (name, "Terminal Operator", "partner");
        l->item = id;
        l->latencies = all;
        l->channel = pb_live_channel_new (hub.url, hub.fingerprint, l->client->credential);
        g_signal_connect (l->channel, "changed", G_CALLBACK (on_live_changed), l);
        pb_live_channel_start (l->channel);
      }
    /* Wait until every channel is up and idle. */
    for (gboolean ready = FALSE; !ready;)
      {
        g_main_context_iteration (NULL, TRUE);
        ready = TRUE;
        for (guint i = 0; i < n_listeners; i++)
          ready = ready && pb_live_channel_is_connected (listeners[i].channel) && !listeners[i].busy;
      }

    for (guint round = 0; round < 30; round++)
      {
        g_autoptr(PbRecord) r = pb_record_new ("items", id);
        g_autofree char *title = g_strdup_printf ("Quay 1742 closed to traffic (update %u)", round);
        double started = pb_bench_now_s ();
        gint64 deadline;

        for (guint i = 0; i < n_listeners; i++)
          {
            listeners[i].expected = NULL;
            listeners[i].started = started;
          }
        pb_record_set_string (r, "title", title);
        must (pb_store_write (writer->store, PB_OP_UPDATE, r, &error), error);
        for (guint i = 0; i < n_listeners; i++)
          listeners[i].expected = title;
        must (client_sync (writer, &error), error);
        deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
        for (gboolean all_in = FALSE; !all_in && g_get_monotonic_time () < deadline;)
          {
            g_main_context_iteration (NULL, TRUE);
            all_in = TRUE;
            for (guint i = 0; i < n_listeners; i++)
              all_in = all_in && listeners[i].expected == NULL && !listeners[i].busy;
          }
      }
    g_array_sort (all, pb_bench_compare_double);
    g_printerr ("(%u deliveries of 30 edits to 10 listening devices; median %.1f ms)\n", all->len,
                all->len ? g_array_index (all, double, all->len / 2) : -1.0);
    if (all->len != 30 * n_listeners)
      g_printerr ("(%u deliveries did not arrive within 10 s)\n", 30 * n_listeners - all->len);
    /* The 99th percentile: the smallest latency that 99 % of deliveries do not exceed. */
    pb_bench_report ("sync.live_p99_ms", all->len ? g_array_index (all, double, (all->len * 99 + 99) / 100 - 1) : -1,
            "ms", "<=", 100);
    for (guint i = 0; i < n_listeners; i++)
      {
        pb_live_channel_stop (listeners[i].channel);
        g_object_unref (listeners[i].channel);
        client_free (listeners[i].client);
      }
  }

  /* sync.concurrent_50_lost: 50 customs devices, 100 changes each, pushed at once. */
  {
    Client *clients[50];
    GThread *threads[50];
    gint64 lost = 0;

    for (guint i = 0; i < 50; i++)
      {
        g_autofree char *name = g_strdup_printf ("Customs officer %u", i);

        clients[i] = client_new (name, "Customs", "customs");
        for (guint k = 0; k < 100; k++)
          {
            g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
            g_autofree char *title = g_strdup_printf ("Scan %u of officer %u", k, i);

            pb_record_set_string (r, "title", title);
            pb_record_set_string (r, "tlp", "AMBER");
            pb_record_set_string (r, "source_org", clients[i]->org);
            pb_record_set_string (r, "author", pb_store_get_actor (clients[i]->store));
            pb_record_set_int (r, "reported_at", 1790000000);
            must (pb_store_write (clients[i]->store, PB_OP_INSERT, r, &error), error);
          }
      }
    t0 = pb_bench_now_s ();
    for (guint i = 0; i < 50; i++)
      threads[i] = g_thread_new ("push", push_thread, clients[i]);
    for (guint i = 0; i < 50; i++)
      g_thread_join (threads[i]);
    t = pb_bench_now_s () - t0;
    for (guint i = 0; i < 50; i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM changes WHERE site = '%s'",
                                                pb_store_get_site_id (clients[i]->store));
        gint64 n = hub_count (sql);

        lost += ABS (n - 100);
        if (pb_sync_waiting (clients[i]->store) > 0)
          g_printerr ("(device %u still has %u changes waiting)\n", i, pb_sync_waiting (clients[i]->store));
        client_free (clients[i]);
      }
    g_printerr ("(50 x 100 changes pushed at once in %.2f s)\n", t);
    pb_bench_report ("sync.concurrent_50_lost", (double) lost, "changes", "=", 0);
  }

  client_free (writer);
  client_free (replica);
  pb_test_hub_stop (&hub);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("(could not remove %s)\n", dir);
  }
  return 0;
}
