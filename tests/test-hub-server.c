/* test-hub-server.c: the hub's server process over loopback — HTTP and HTTPS, bad
 * input, the live channel — and its command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <string.h>

#include "hub-fixture.h"
#include "pb-hub.h"
#include "pb-hub-http.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-util.h"

/* ---- The server process ----------------------------------------------------------- */

static guint
request (SoupSession *session,
         const char  *method,
         const char  *url,
         const char  *credential,
         const char  *body,
         gsize        length,
         char       **reply)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (credential)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", credential);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *reply = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static void
on_live_message (SoupWebsocketConnection *connection,
                 gint                     type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  g_ptr_array_add (user_data, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_websocket (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SoupWebsocketConnection **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (*out == NULL)
    *out = (gpointer) 1; /* refused */
}

static SoupWebsocketConnection *
connect_live (SoupSession *session,
              const char  *base,
              const char  *credential)
{
  g_autofree char *url = g_strconcat (base, "v1/live", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupWebsocketConnection *connection = NULL;

  if (credential)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", credential);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", header);
    }
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_websocket, &connection);
  while (connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  return connection == (gpointer) 1 ? NULL : connection;
}

static void
test_server (Fixture      *f,
             gconstpointer data)
{
  PbTestHub server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *body = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SoupWebsocketConnection) live = NULL;
  gint64 deadline;

  g_clear_object (&f->hub); /* the server process owns the folder now */
  pb_test_hub_start (&server, f->dir, FALSE);

  url = g_strconcat (server.url, "v1/health", NULL);
  g_assert_cmpuint (request (session, "GET", url, NULL, NULL, 0, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "\"status\":\"ok\""));
  /* Nothing of how much the hub holds or how busy it is, for anyone who asks. */
  g_assert_null (strstr (reply, "last_seq"));
  g_assert_null (strstr (reply, "audit"));
  g_assert_null (strstr (reply, "connections"));
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&url, g_free);

  /* No credential, a wrong one; a wrong method, an unknown address; too large a body. */
  url = g_strconcat (server.url, "v1/push", NULL);
  g_assert_cmpuint (request (session, "POST", url, NULL, "{}", 2, &reply), ==, 401);
  g_assert_nonnull (strstr (reply, "no_credential"));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (request (session, "POST", url, "pbc_wrong", "{}", 2, &reply), ==, 401);
  g_assert_nonnull (strstr (reply, "bad_credential"));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (request (session, "GET", url, f->police_credential, NULL, 0, &reply), ==, 405);
  g_clear_pointer (&reply, g_free);
  big = g_malloc0 (9 * 1024 * 1024);
  memset (big, ' ', 9 * 1024 * 1024 - 1);
  g_assert_cmpuint (request (session, "POST", url, f->police_credential, big, 9 * 1024 * 1024 - 1, &reply), ==, 413);
  g_assert_nonnull (strstr (reply, "too_large"));
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&url, g_free);
  url = g_strconcat (server.url, "v2/anything", NULL);
  g_assert_cmpuint (request (session, "GET", url, NULL, NULL, 0, &reply), ==, 404);
  g_assert_nonnull (strstr (reply, "not_found"));
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&url, g_free);

  /* The live channel refuses strangers; it tells a connected client of a new change. */
  g_assert_null (connect_live (session, server.url, NULL));
  g_assert_null (connect_live (session, server.url, "pbc_wrong"));
  live = connect_live (session, server.url, f->police_credential);
  g_assert_nonnull (live);
  g_signal_connect (live, "message", G_CALLBACK (on_live_message), received);

  body = one (item_insert (f, f->police, ITEM_A, "Live", "AMBER"));
  url = g_strconcat (server.url, "v1/push", NULL);
  g_assert_cmpuint (request (session, "POST", url, f->police_credential, body, strlen (body), &reply), ==, 200);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (received->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_true (g_str_has_prefix (received->pdata[0], "{\"seq\":"));

  soup_websocket_connection_close (live, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  pb_test_hub_stop (&server);
  f->hub = pb_hub_open (f->dir, NULL);
}

static gboolean
accept_any (SoupMessage     *msg,
            GTlsCertificate *certificate,
            GTlsCertificateFlags errors,
            gpointer         user_data)
{
  *(GTlsCertificate **) user_data = g_object_ref (certificate);
  return TRUE;
}

static void
test_server_tls (Fixture      *f,
                 gconstpointer data)
{
  PbTestHub server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) seen = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *cert_path = g_build_filename (f->dir, "hub-cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (f->dir, "hub-key.pem", NULL);
  GStatBuf st;

  g_clear_object (&f->hub);
  pb_test_hub_start (&server, f->dir, TRUE);
  g_assert_true (g_str_has_prefix (server.url, "https://"));
  g_assert_nonnull (server.fingerprint);
  /* The private key is readable by the hub's user only. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (g_file_test (cert_path, G_FILE_TEST_EXISTS));

  url = g_strconcat (server.url, "v1/health", NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), &seen);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (seen);

  /* The fingerprint printed is the SHA-256 of the certificate the hub presents. */
  g_object_get (seen, "certificate", &der, NULL);
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; digest[i]; i += 2)
    g_string_append_printf (expected, "%s%c%c", i ? ":" : "", g_ascii_toupper (digest[i]),
                            g_ascii_toupper (digest[i + 1]));
  g_assert_cmpstr (server.fingerprint, ==, expected->str);
  pb_test_hub_stop (&server);

  /* Plain HTTP is for loopback only. */
  {
    const char *argv[] = { g_getenv ("PORTBOARD_HUB"), "serve", "--data", f->dir, "--listen", "0.0.0.0:0",
                           "--insecure-loopback", NULL };
    g_autofree char *err = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                                 &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "loopback"));
  }
  f->hub = pb_hub_open (f->dir, NULL);
}

static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-hub-cli-XXXXXX", &error);
  const char *hub = g_getenv ("PORTBOARD_HUB");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cmd = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  {
    const char *argv[] = { hub, "user", "add", "--data", dir, "--name", "Femke", "--org", "Customs Antwerp",
                           "--role", "officer", "--org-kind", "customs", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    lines = g_strsplit (g_strstrip (out), "\n", -1);
    /* The token is on the last line, alone. */
    g_assert_true (g_str_has_prefix (lines[g_strv_length (lines) - 1], "pbe_"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { hub, "user", "add", "--data", dir, "--name", "X", "--org", "Y", "--role", "king", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "king"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { hub, "user", "list", "--data", dir, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Femke\tCustoms Antwerp\tofficer\tnot enrolled"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { hub, "user", "revoke", "--data", dir, "Femke", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { hub, "audit", "verify", "--data", dir, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_str_has_prefix (out, "OK"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    g_autofree char *path = g_build_filename (dir, "hub.db", NULL);
    const char *argv[] = { hub, "audit", "verify", "--data", dir, NULL };
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                       "UPDATE audit SET leaf = hash WHERE seq = 2", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_str_has_prefix (out, "BROKEN at entry 2"));
  }
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/hub/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("server", test_server);
  ADD ("server-tls", test_server_tls);
#undef ADD
  g_test_add_func ("/hub/cli", test_cli);

  return g_test_run ();
}
