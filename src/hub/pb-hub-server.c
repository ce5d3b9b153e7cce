/* pb-hub-server.c: the hub's HTTP and WebSocket endpoints (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every answer is JSON. Requests are handled one at a time on the main loop: the hub's
 * database has one writer, and a push is one transaction.
 */

#include "config.h"

#include "pb-hub-server.h"
#include "pb-hub-http.h"

#include <glib/gi18n.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  SoupWebsocketConnection *connection;
  guint64                  org_bit;
  char                    *account;
} LiveClient;

struct _PbHubServer
{
  PbHub      *hub;
  SoupServer *server;
  gsize       max_body;
  GPtrArray  *live;   /* LiveClient */
  gboolean    tls;
};

static void
live_client_free (LiveClient *client)
{
  g_signal_handlers_disconnect_by_data (client->connection, client);
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (client->connection);
  g_free (client->account);
  g_free (client);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

/* A refusal: its status and code from the hub's one table of them (pb-hub-http.c). */
static void
reply_error (SoupServerMessage *msg,
             const GError      *error)
{
  guint status;
  char *body = pb_hub_error_reply (error, &status);

  reply_json (msg, status, body);
}

static void
refuse (SoupServerMessage *msg,
        PbHubError         code,
        const char        *message)
{
  g_autoptr(GError) error = g_error_new_literal (PB_HUB_ERROR, code, message);

  reply_error (msg, error);
}

/* A request's answer: the hub's reply, or its error (both are taken). */
static void
reply_result (SoupServerMessage *msg,
              gboolean           ok,
              char              *reply,
              GError            *error)
{
  if (ok)
    reply_json (msg, 200, reply);
  else
    reply_error (msg, error);
  g_clear_error (&error);
}

/* The account a request's bearer credential belongs to; NULL after answering 401. */
static PbHubAccount *
authenticate (PbHubServer       *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  PbHubAccount *account;

  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    {
      refuse (msg, PB_HUB_ERROR_NO_CREDENTIAL, _("This request needs the credential given at enrolment"));
      return NULL;
    }
  account = pb_hub_authenticate (self->hub, header + strlen ("Bearer "));
  if (account == NULL)
    refuse (msg, PB_HUB_ERROR_BAD_CREDENTIAL, _("The credential is wrong or was revoked"));
  return account;
}

/* Refuses a body that is too large before it is read, when its length is announced. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PbHubServer *self = user_data;
  goffset length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  if (length > 0 && (gsize) length > self->max_body)
    {
      g_autofree char *message = g_strdup_printf (_("The request is larger than %zu bytes"),
                                                  self->max_body);
      refuse (msg, PB_HUB_ERROR_TOO_LARGE, message);
      return;
    }
  if (g_str_equal (path, "/v1/live"))
    {
      g_autoptr(PbHubAccount) account = authenticate (self, msg);
      (void) account;
    }
}

static gboolean
check_method (SoupServerMessage *msg,
              const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;
  refuse (msg, PB_HUB_ERROR_METHOD, _("This address does not take this method"));
  return FALSE;
}

static gboolean
read_body (PbHubServer       *self,
           SoupServerMessage *msg,
           const char       **data,
           gsize             *length)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  if (g_bytes_get_size (bytes) > self->max_body)
    {
      refuse (msg, PB_HUB_ERROR_TOO_LARGE, _("The request is too large"));
      return FALSE;
    }
  *data = body->data ? body->data : "";
  *length = (gsize) body->length;
  return TRUE;
}

static void
notify_live (PbHubServer *self,
             guint64      audience)
{
  g_autofree char *text = g_strdup_printf ("{\"seq\":%" G_GINT64_FORMAT "}", pb_hub_last_seq (self->hub));

  for (guint i = 0; i < self->live->len; i++)
    {
      LiveClient *client = self->live->pdata[i];

      if ((client->org_bit & audience)
          && soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (client->connection, text);
    }
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  PbHubServer *self = user_data;
  g_autoptr(PbHubAccount) account = NULL;
  const char *data = NULL;
  gsize length = 0;
  char *reply = NULL;
  GError *error = NULL;
  gboolean ok;

  if (g_str_equal (path, "/v1/health"))
    {
      if (check_method (msg, "GET"))
        reply_json (msg, 200, pb_hub_health (self->hub));
      return;
    }
  if (g_str_equal (path, "/v1/enrol"))
    {
      if (!check_method (msg, "POST") || !read_body (self, msg, &data, &length))
        return;
      ok = pb_hub_enrol (self->hub, data, length, &reply, &error);
      reply_result (msg, ok, reply, error);
      return;
    }
  if (g_str_equal (path, "/v1/push"))
    {
      guint64 audience = 0;

      if (!check_method (msg, "POST") || (account = authenticate (self, msg)) == NULL
          || !read_body (self, msg, &data, &length))
        return;
      ok = pb_hub_push (self->hub, account, data, length, &audience, &reply, &error);
      reply_result (msg, ok, reply, error);
      if (ok && audience)
        notify_live (self, audience);
      return;
    }
  if (g_str_equal (path, "/v1/pull"))
    {
      if (!check_method (msg, "GET") || (account = authenticate (self, msg)) == NULL)
        return;
      ok = pb_hub_pull (self->hub, account, query ? g_hash_table_lookup (query, "since") : NULL,
                        query ? g_hash_table_lookup (query, "limit") : NULL,
                        query ? g_hash_table_lookup (query, "form") : NULL, &reply, &error);
      reply_result (msg, ok, reply, error);
      return;
    }
  if (g_str_equal (path, "/v1/audit/links"))
    {
      if (!check_method (msg, "GET") || (account = authenticate (self, msg)) == NULL)
        return;
      ok = pb_hub_audit_links (self->hub, account, query ? g_hash_table_lookup (query, "after") : NULL,
                               &reply, &error);
      reply_result (msg, ok, reply, error);
      return;
    }
  refuse (msg, PB_HUB_ERROR_NOT_FOUND, _("No such address"));
}

static void
live_closed (SoupWebsocketConnection *connection,
             gpointer                 user_data)
{
  PbHubServer *self = g_object_get_data (G_OBJECT (connection), "pb-hub-server");

  g_ptr_array_remove (self->live, user_data);
}

static void
live_handler (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  PbHubServer *self = user_data;
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autoptr(PbHubAccount) account = header ? pb_hub_authenticate (self->hub, header + strlen ("Bearer ")) : NULL;
  LiveClient *client;

  if (account == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unauthorised");
      return;
    }
  client = g_new0 (LiveClient, 1);
  client->connection = g_object_ref (connection);
  client->org_bit = account->org_bit;
  client->account = g_strdup (account->name);
  g_object_set_data (G_OBJECT (connection), "pb-hub-server", self);
  g_signal_connect (connection, "closed", G_CALLBACK (live_closed), client);
  g_ptr_array_add (self->live, client);
}

PbHubServer *
pb_hub_server_new (PbHub           *hub,
                   GTlsCertificate *certificate,
                   gsize            max_body,
                   GError         **error)
{
  PbHubServer *self = g_new0 (PbHubServer, 1);

  self->hub = g_object_ref (hub);
  self->max_body = max_body;
  self->tls = certificate != NULL;
  self->live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_client_free);
  self->server = soup_server_new ("server-header", "portboard-hub", "tls-certificate", certificate, NULL);
  /* Handlers are per path: the live channel has its own entry, with its own early check. */
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_early_handler (self->server, "/v1/live", early_handler, self, NULL);
  soup_server_add_websocket_handler (self->server, "/v1/live", NULL, NULL, live_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  return self;
}

gboolean
pb_hub_server_listen (PbHubServer  *self,
                      GInetAddress *address,
                      guint16       port,
                      GError      **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);

  return soup_server_listen (self->server, socket_address, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

char *
pb_hub_server_get_url (PbHubServer *self)
{
  GSList *uris = soup_server_get_uris (self->server);
  char *url = uris ? g_uri_to_string (uris->data) : NULL;

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

void
pb_hub_server_free (PbHubServer *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->live);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_object_unref (self->hub);
  g_free (self);
}

char *
pb_hub_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize size = sizeof digest;
  GString *out = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &size);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (out, "%s%02X", i ? ":" : "", digest[i]);
  return g_string_free (out, FALSE);
}

static gboolean
gnutls_failed (GError    **error,
               int         rc,
               const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (rc));
  return FALSE;
}

static gboolean
write_private (const char *path,
               const void *data,
               gsize       length,
               GError    **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  ok = write (fd, data, length) == (gssize) length;
  close (fd);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("Cannot write “%s”"), path);
  return ok;
}

gboolean
pb_hub_make_certificate (const char *cert_path,
                         const char *key_path,
                         GError    **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = { NULL, 0 };
  unsigned char serial[16];
  g_autofree char *host = g_strdup (g_get_host_name ());
  time_t now = time (NULL);
  gboolean ok = FALSE;
  int rc;

  if ((rc = gnutls_x509_privkey_init (&key)) < 0
      || (rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                             GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0)
    {
      gnutls_failed (error, rc, _("Cannot make the hub's key"));
      goto out;
    }
  if ((rc = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    {
      gnutls_failed (error, rc, _("Cannot make the hub's certificate"));
      goto out;
    }
  serial[0] &= 0x7f;
  if ((rc = gnutls_x509_crt_init (&crt)) < 0
      || (rc = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0
      || (rc = gnutls_x509_crt_set_activation_time (crt, now - 60)) < 0
      || (rc = gnutls_x509_crt_set_expiration_time (crt, now + (time_t) 10 * 365 * 24 * 3600)) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, "Portboard hub",
                                              strlen ("Portboard hub"))) < 0
      || (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host, strlen (host),
                                                     GNUTLS_FSAN_APPEND)) < 0
      || (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", strlen ("localhost"),
                                                     GNUTLS_FSAN_APPEND)) < 0
      || (rc = gnutls_x509_crt_set_key (crt, key)) < 0
      || (rc = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0
      || (rc = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0
      || (rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0
      || (rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem)) < 0
      || (rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                                  &key_pem)) < 0)
    {
      gnutls_failed (error, rc, _("Cannot make the hub's certificate"));
      goto out;
    }
  ok = write_private (key_path, key_pem.data, key_pem.size, error)
       && g_file_set_contents (cert_path, (const char *) cert_pem.data, cert_pem.size, error);

out:
  gnutls_free (cert_pem.data);
  gnutls_free (key_pem.data);
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return ok;
}
