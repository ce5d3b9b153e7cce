/* test-sync-faults.c: synchronisation when things go wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hub killed mid-pull, a hub whose audit chain was rewritten, answers that break the
 * protocol, a changed certificate, and the command line's refusals.
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pb-board.h"
#include "pb-meeting.h"
#include "pb-record.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "sync-client.h"
#include "pb-store-private.h"
#include "pb-util.h"

typedef struct
{
  Client   *client;
  gboolean  done;
  gboolean  ok;
} SyncThread;

static gpointer
sync_thread (gpointer data)
{
  SyncThread *t = data;

  t->ok = pb_sync_once (t->client->store, PB_TRANSPORT (t->client->transport), t->client->credential, NULL, NULL);
  g_atomic_int_set (&t->done, TRUE);
  return NULL;
}

static gint64
hub_count (Fixture    *f,
           const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  sqlite3 *db;
  sqlite3_stmt *s;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

static void
test_hub_killed (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) chair = client_new (f, "Rania", "Port Prosecutor", "prosecution", "chair");
  g_autoptr(Client) fresh = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *mine = NULL, *theirs = NULL;
  g_autofree char *dir = g_strdup (f->dir);
  SyncThread t = { police, FALSE, FALSE };
  GThread *thread;
  guint waiting;

  /* A long offline shift: 2500 reports, each with a container. */
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *title = g_strdup_printf ("Night shift report %u", i);
      g_free (client_add_item (police, title, "GREEN", "MSCU1234566"));
    }
  waiting = pb_sync_waiting (police->store);
  g_assert_cmpuint (waiting, ==, 5000);

  /* The hub dies in the middle of the push. */
  thread = g_thread_new ("sync", sync_thread, &t);
  while (hub_count (f, "SELECT count (*) FROM changes WHERE tbl = 'items'") < 500 && !g_atomic_int_get (&t.done))
    g_usleep (2000);
  pb_test_hub_kill (&f->hub);
  g_thread_join (thread);
  g_assert_false (t.ok);

  /* Restarted, the client pushes again: every change exactly once, nothing lost. */
  pb_test_hub_start (&f->hub, dir, FALSE);
  client_reconnect (f, police);
  client_reconnect (f, chair);
  client_sync (police);
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, 0);
  sql = g_strdup_printf ("SELECT count (*) FROM changes WHERE site = '%s'", pb_store_get_site_id (police->store));
  g_assert_cmpint (hub_count (f, sql), ==, waiting);
  g_assert_cmpint (hub_count (f, "SELECT count (*) FROM rows WHERE tbl = 'items'"), ==, 2500);
  client_sync (chair);
  g_assert_cmpint (count (chair, "SELECT count (*) FROM items"), ==, 2500);
  g_assert_cmpint (count (chair, "SELECT count (*) FROM identifiers"), ==, 2500);

  /* And the hub's audit chain survived the kill intact. */
  {
    const char *argv[] = { g_getenv ("PORTBOARD_HUB"), "audit", "verify", "--data", f->dir, NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                 &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  fresh = client_new (f, "Karim 2", "Federal Police", "police", "officer");
  client_sync (police);
  mine = pb_store_export_json (police->store, NULL);
  theirs = pb_store_export_json (fresh->store, NULL);
  g_assert_cmpstr (mine, ==, theirs);
}

/* Someone with the hub's files rewrites history and recomputes the chain so that it
 * verifies again: a client that saw the old head notices. */
static void
test_audit_rewritten (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  g_autofree char *dir = g_strdup (f->dir);
  g_autofree char *item = client_add_item (police, "Evidence", "AMBER", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  sqlite3 *db;
  sqlite3_stmt *read, *write;
  char prev[65];

  client_sync (police);
  before = pb_store_export_json (police->store, NULL);
  pb_test_hub_stop (&f->hub);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                     "UPDATE audit SET entry = replace (entry, 'Karim', 'Nobody')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, entry FROM audit ORDER BY seq", -1, &read, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit SET leaf = ?, hash = ? WHERE seq = ?", -1, &write, NULL),
                   ==, SQLITE_OK);
  memset (prev, '0', 64);
  prev[64] = '\0';
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      g_autofree char *leaf = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             (const char *) sqlite3_column_text (read, 1), -1);
      g_autofree char *joined = g_strconcat (prev, leaf, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);

      sqlite3_bind_text (write, 1, leaf, -1, SQLITE_STATIC);
      sqlite3_bind_text (write, 2, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (write, 3, sqlite3_column_int64 (read, 0));
      g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);
      sqlite3_reset (write);
      memcpy (prev, hash, 65);
    }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  sqlite3_close (db);

  pb_test_hub_start (&f->hub, dir, FALSE);
  client_reconnect (f, police);
  g_free (client_add_item (police, "After the rewrite", "AMBER", NULL));
  g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL, &error));
  g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_AUDIT);
  /* Nothing was taken from a hub that cannot be trusted. */
  after = pb_store_export_json (police->store, NULL);
  g_assert_nonnull (strstr (after, "After the rewrite"));
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, 2);
}

/* A hub that answers every pull with one fixed text, in a thread of its own (the client
 * blocks the test's thread while it pulls). */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  const char   *answer;
  GMutex        lock;
  GCond         ready;
  GThread      *thread;
} FakeHub;

static void
on_fake_pull (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  FakeHub *hub = data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, hub->answer, strlen (hub->answer));
}

static gpointer
fake_hub_thread (gpointer data)
{
  FakeHub *hub = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_main_context_push_thread_default (hub->context);
  hub->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hub->server, "/v1/pull", on_fake_pull, hub, NULL);
  g_assert_true (soup_server_listen_local (hub->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (hub->server);
  g_mutex_lock (&hub->lock);
  hub->url = g_uri_to_string (uris->data);
  g_cond_signal (&hub->ready);
  g_mutex_unlock (&hub->lock);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_main_loop_run (hub->loop);
  g_clear_object (&hub->server);
  g_main_context_pop_thread_default (hub->context);
  return NULL;
}

static void
fake_hub_start (FakeHub *hub)
{
  hub->context = g_main_context_new ();
  hub->loop = g_main_loop_new (hub->context, FALSE);
  g_mutex_init (&hub->lock);
  g_cond_init (&hub->ready);
  hub->thread = g_thread_new ("fake-hub", fake_hub_thread, hub);
  g_mutex_lock (&hub->lock);
  while (hub->url == NULL)
    g_cond_wait (&hub->ready, &hub->lock);
  g_mutex_unlock (&hub->lock);
}

static void
fake_hub_stop (FakeHub *hub)
{
  g_main_loop_quit (hub->loop);
  g_thread_join (hub->thread);
  g_main_loop_unref (hub->loop);
  g_main_context_unref (hub->context);
  g_mutex_clear (&hub->lock);
  g_cond_clear (&hub->ready);
  g_free (hub->url);
}

static gint64
state_of (Client     *c,
          const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT value FROM sync_state WHERE key = '%s'), -1)", key);

  return count (c, sql);
}

/* The audit head this database saw last, as the tail of a pull's answer ending at 999: a
 * fake page passes the audit check. */
static char *
page_tail (Client *c)
{
  sqlite3_stmt *st;
  char *tail;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store),
                                       "SELECT value FROM sync_state WHERE key = 'sync.audit_hash'", -1, &st, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  tail = g_strdup_printf ("\"next\":999,\"more\":false,\"audit\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}",
                          state_of (c, "sync.audit_seq"), sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return tail;
}

/* A hub (or someone in its place) answering a pull with what the protocol does not allow:
 * a clear error, and nothing of the page is kept — not even its good rows. */
static void
test_bad_answers (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *good = NULL;
  g_autofree char *item = pb_uuid_new ();
  g_autofree char *other_site = pb_uuid_new ();   /* another device's */
  FakeHub hub = { 0 };
  const char *columns = "\"columns\":" PB_SYNC_PULL_COLUMNS;
  g_autofree char *tail = page_tail (police);   /* the answers pass the audit check, the rows are wrong */
  gint64 cursor = state_of (police, "sync.cursor");
  gint64 items = count (police, "SELECT count (*) FROM items");
  gint64 entries = count (police, "SELECT count (*) FROM change_log");

  good = g_strdup_printf ("[900,\"%s\",117684150097084416,\"items\",\"%s\",\"insert\",null,"
                          "{\"title\":\"Taken from a bad page\",\"tlp\":\"AMBER\",\"source_org\":\"%s\","
                          "\"author\":\"%s\",\"reported_at\":1790000000},\"%s\",null]",
                          other_site, item, police->org,
                          pb_store_get_actor (police->store), pb_store_get_actor (police->store));
  {
    g_autofree char *rows_wrong_columns = g_strdup_printf ("{\"columns\":[\"seq\",\"site\"],\"rows\":[%s],%s",
                                                           good, tail);
    g_autofree char *objects = g_strdup_printf ("{\"changes\":[{\"seq\":900}],%s", tail);
    g_autofree char *short_row = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"x\"]],%s", columns, good, tail);
    g_autofree char *string_clock = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",\"soon\",\"items\","
                                                     "\"%s\",\"delete\",null,null,\"%s\",null]],%s",
                                                     columns, good, other_site, item,
                                                     pb_store_get_actor (police->store), tail);
    g_autofree char *unknown_table = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",117684150097084417,"
                                                      "\"secrets\",\"%s\",\"delete\",null,null,\"%s\",null]],%s",
                                                      columns, good, other_site, item,
                                                      pb_store_get_actor (police->store), tail);
    g_autofree char *bad_value = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",117684150097084417,"
                                                  "\"items\",\"%s\",\"update\",\"reported_at\",[1,2],\"%s\",null]],%s",
                                                  columns, good, other_site, item,
                                                  pb_store_get_actor (police->store), tail);
    /* "More" to come, from where the client stands: it would ask for the same page forever. */
    g_autofree char *standing_still = g_strdup_printf ("{%s,\"rows\":[],\"next\":%" G_GINT64_FORMAT
                                                       ",\"more\":true,%s", columns, MAX (cursor, 0),
                                                       strstr (tail, "\"audit\""));
    const char *answers[] = {
      "this is no JSON", "[1,2,3]", objects, rows_wrong_columns, short_row, string_clock, unknown_table, bad_value,
      standing_still,
    };

    fake_hub_start (&hub);

    g_clear_object (&police->transport);
    police->transport = pb_soup_transport_new (hub.url, NULL, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
      {
        g_autoptr(GError) error = NULL;

        hub.answer = answers[i];
        g_test_message ("answer %u: %s", i, answers[i]);
        g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL,
                                      &error));
        g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL);
        g_assert_cmpint (state_of (police, "sync.cursor"), ==, cursor);
        g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items);
        g_assert_cmpint (count (police, "SELECT count (*) FROM change_log"), ==, entries);
      }
  }

  fake_hub_stop (&hub);

  /* The real hub again: all is well. */
  client_reconnect (f, police);
  client_sync (police);
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items);
}

/* A page with a row this replica cannot store (issue 15, finding 6: an item without a
 * title, as an older or a wrong hub might pass on): that row is kept aside with the reason,
 * the rows around it are applied and the cursor moves on; the replica's synchronisation is
 * not stuck at it. */
static void
test_kept_aside (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *tail = page_tail (police);
  g_autofree char *site = pb_uuid_new ();
  g_autofree char *a = pb_uuid_new (), *b = pb_uuid_new (), *bad = pb_uuid_new ();
  const char *me = pb_store_get_actor (police->store);
  g_autofree char *page = NULL;
  g_autoptr(GError) error = NULL;
  PbSyncStats stats = { 0 };
  FakeHub hub = { 0 };
  gint64 items = count (police, "SELECT count (*) FROM items");
  sqlite3_stmt *st;

#define ITEM_ROW(seq, hlc, id, title) \
  "[" seq ",\"%s\"," hlc ",\"items\",\"%s\",\"insert\",null,{" title "\"tlp\":\"AMBER\",\"source_org\":\"%s\"," \
  "\"author\":\"%s\",\"reported_at\":1790000000},\"%s\",null]"
  page = g_strdup_printf ("{\"columns\":" PB_SYNC_PULL_COLUMNS ",\"rows\":["
                          ITEM_ROW ("900", "117684150097084416", a, "\"title\":\"Before\",") ","
                          ITEM_ROW ("901", "117684150097084417", bad, "") ","
                          ITEM_ROW ("902", "117684150097084418", b, "\"title\":\"After\",") "],%s",
                          site, a, police->org, me, me, site, bad, police->org, me, me, site, b, police->org, me, me,
                          tail);
#undef ITEM_ROW

  fake_hub_start (&hub);
  hub.answer = page;
  g_clear_object (&police->transport);
  police->transport = pb_soup_transport_new (hub.url, NULL, NULL);
  g_assert_true (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, &stats, &error));
  g_assert_no_error (error);
  fake_hub_stop (&hub);

  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpuint (stats.received, ==, 3);
  g_assert_cmpuint (stats.applied, ==, 2);
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items + 2);
  g_assert_cmpint (state_of (police, "sync.cursor"), ==, 999);
  g_assert_cmpint (pb_store_count_quarantined (police->store), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (police->store),
                                       "SELECT tbl, row_id, op, error, json_extract (change, '$.value.tlp')"
                                       " FROM sync_quarantine", -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 0), ==, "items");
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 1), ==, bad);
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 2), ==, "insert");
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (st, 3), "items.title"));
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 4), ==, "AMBER");
  sqlite3_finalize (st);
  g_assert_cmpint (count (police, "SELECT count (*) FROM change_log WHERE row_id IN (SELECT row_id FROM sync_quarantine)"),
                   ==, 0);
  /* The replica is sound: the store opens it, writes and reads on. */
  g_free (client_add_item (police, "Written after the page", "GREEN", NULL));
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items + 3);
  /* Nothing outside the write path may touch what was kept aside. */
  g_assert_cmpint (sqlite3_exec (_pb_store_get_db (police->store), "DELETE FROM sync_quarantine", NULL, NULL, NULL),
                   !=, SQLITE_OK);
}

static void
test_certificate_pinned (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *dir = g_strdup (f->dir);
  g_autofree char *cert = g_build_filename (f->dir, "hub-cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "hub-key.pem", NULL);
  g_autofree char *first = g_strdup (f->hub.fingerprint);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  /* Trusted on first use: the certificate seen at enrolment is the hub's. */
  g_assert_cmpstr (pb_soup_transport_get_fingerprint (police->transport), ==, first);
  before = pb_store_export_json (police->store, NULL);

  /* Another certificate on the same address: refused, with a warning that says so. */
  pb_test_hub_stop (&f->hub);
  g_assert_cmpint (g_unlink (cert), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  pb_test_hub_start (&f->hub, dir, TRUE);
  g_assert_cmpstr (f->hub.fingerprint, !=, first);
  g_clear_object (&police->transport);
  police->transport = pb_soup_transport_new (f->hub.url, first, &error);
  g_assert_no_error (error);
  g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL, &error));
  g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "certificate has changed"));
  after = pb_store_export_json (police->store, NULL);
  g_assert_cmpstr (before, ==, after);
}

/* A hub that takes small bodies only (max-body 64 KiB) and an outbox of 300 reports
 * with long texts (about 600 kB): the device sends less at a time when the hub says 413,
 * and everything arrives, once. */
static void
test_small_hub (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *conf = g_build_filename (f->dir, "hub.conf", NULL);
  g_autofree char *text = g_strnfill (1800, 'x');
  g_autoptr(GError) error = NULL;
  PbSyncStats stats = { 0 };

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *title = g_strdup_printf ("Report %u", i);
      g_autofree char *id = client_add_item (police, title, "GREEN", NULL);

      g_assert_true (client_set (police, "items", id, "body", text, &error));
      g_assert_no_error (error);
    }
  pb_test_hub_stop (&f->hub);
  g_assert_true (g_file_set_contents (conf, "[hub]\nmax-body=65536\n", -1, NULL));
  pb_test_hub_start (&f->hub, f->dir, GPOINTER_TO_INT (data));
  client_reconnect (f, police);
  client_reconnect (f, customs);

  g_assert_true (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, 0);
  client_sync (customs);
  g_assert_cmpint (count (customs, "SELECT count(*) FROM items WHERE title LIKE 'Report %' AND length(body) = 1800"),
                   ==, 300);
}

/* ---- The command line ------------------------------------------------------------- */

static char *
run_cli (int         expected,
         char      **err_out,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTBOARD_CLI"));
  va_start (args, first);
  for (arg = first; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (expected == 0)
    {
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("portboard-cli %s failed: %s", first, err);
    }
  else
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return out;
}

static void
test_cli (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *token = pb_test_hub_add_user (f->dir, "Karim", "Federal Police", "police", "officer");
  g_autofree char *token2 = pb_test_hub_add_user (f->dir, "Tine", "Federal Police", "police", "officer");
  g_autofree char *file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *file2 = g_build_filename (f->dir, "token2", NULL);
  g_autofree char *db = g_build_filename (f->dir, "cli.sqlite", NULL);
  g_autofree char *db2 = g_build_filename (f->dir, "cli2.sqlite", NULL);
  g_autofree char *held = NULL;
  g_autofree char *out = NULL, *err = NULL, *e1 = NULL, *e2 = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (file, token, -1, NULL));
  g_assert_true (g_file_set_contents (file2, token2, -1, NULL));

  /* Before enrolment, acting needs --as. */
  g_free (run_cli (1, &err, "item", "add", "--db", db, "--title", "x", "--tlp", "green", NULL));
  g_assert_nonnull (err);
  g_clear_pointer (&err, g_free);

  /* First sync enrols: the token file then holds the credential, for its owner only. */
  out = run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, "--fingerprint",
                 f->hub.fingerprint, NULL);
  g_assert_nonnull (strstr (out, "Sent 0 changes"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (file, &held, NULL, NULL));
  g_assert_true (g_str_has_prefix (held, "pbc_"));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Without --as, the enrolled person acts; `item set` edits through the write path. */
  {
    g_autofree char *id = run_cli (0, NULL, "item", "add", "--db", db, "--title", "From the command lime",
                                   "--tlp", "green", "--identifier", "container:CSQU3054383", NULL);

    g_strstrip (id);
    g_free (run_cli (0, NULL, "item", "set", "--db", db, id, "title", "From the command line", NULL));
    g_free (run_cli (1, &err, "item", "set", "--db", db, id, "source_org", "x", NULL));
    g_assert_nonnull (strstr (err, "source_org"));
    g_clear_pointer (&err, g_free);
    g_free (run_cli (1, &err, "item", "set", "--db", db, id, "tlp", "purple", NULL));
    g_clear_pointer (&err, g_free);
  }
  out = run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, NULL);
  g_assert_nonnull (strstr (out, "Sent 3 changes"));
  g_clear_pointer (&out, g_free);

  /* A colleague's device gets the same; the canonical exports are byte for byte equal. */
  g_free (run_cli (0, NULL, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, "--fingerprint",
                   f->hub.fingerprint, NULL));
  g_free (run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, NULL));
  e1 = run_cli (0, NULL, "export", "--db", db, "--format", "json", NULL);
  e2 = run_cli (0, NULL, "export", "--db", db2, "--format", "json", NULL);
  g_assert_nonnull (strstr (e1, "From the command line"));
  g_assert_null (strstr (e1, "lime"));
  g_assert_cmpstr (e1, ==, e2);

  /* Bad input: a spent token, a wrong fingerprint, a token file of nonsense. */
  g_assert_true (g_file_set_contents (file2, token2, -1, NULL));
  g_free (run_cli (1, &err, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, NULL));
  g_assert_nonnull (strstr (err, "credential"));
  g_clear_pointer (&err, g_free);
  g_free (run_cli (1, &err, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, "--fingerprint",
                   "00:11", NULL));
  g_assert_nonnull (strstr (err, "trusts"));
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (file2, "hello", -1, NULL));
  g_free (run_cli (1, &err, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, NULL));
  g_assert_nonnull (strstr (err, "neither"));
  g_clear_pointer (&err, g_free);
  g_free (run_cli (1, &err, "export", "--db", db, "--format", "xml", NULL));
  g_clear_pointer (&err, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn, tls) g_test_add ("/sync/" name, Fixture, GINT_TO_POINTER (tls), fixture_set_up, fn, fixture_tear_down)
  ADD ("hub-killed", test_hub_killed, FALSE);
  ADD ("audit-rewritten", test_audit_rewritten, FALSE);
  ADD ("bad-answers", test_bad_answers, FALSE);
  ADD ("kept-aside", test_kept_aside, FALSE);
  ADD ("small-hub", test_small_hub, FALSE);
  ADD ("certificate-pinned", test_certificate_pinned, TRUE);
  ADD ("cli", test_cli, TRUE);
#undef ADD

  return g_test_run ();
}
