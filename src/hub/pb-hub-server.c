/* pb-hub-server.c: the hub's HTTP and WebSocket endpoints (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every answer is JSON. Requests are handled one at a time on the main loop: the hub's
 * database has one writer, and a push is one transaction.
 *
 * The hub accepts its connections itself (libsoup's listener stops for good on the first
 * accept that fails, as when descriptors run out) and hands each to libsoup. Each is
 * counted, per address and in all, and watched: a request must arrive whole within
 * request-timeout, and a connection waits between requests for idle-timeout at most; beyond
 * max-connections the connection that has waited longest without a request is closed to
 * make room. A body is never read past max-body: its announced length, or what has come of
 * it, answers 413 and closes the connection at once. Live channels are checked every second:
 * one whose credential was revoked (by `portboard-hub user revoke`, another process) is
 * closed.
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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Connections being closed that may be open on top of max-connections, and the descriptors
 * kept free for the database and the rest. */
#define CLOSING_SLACK     128
#define ACCEPT_BATCH      16
#define ACCEPT_RETRY_MS   100
#define ACCEPT_GRACE_USEC (30 * G_USEC_PER_SEC)
/* A body refused: what the client still sends is read (and dropped) this long, so that the
 * answer is not lost to a reset. */
#define LINGER_USEC       (2 * G_USEC_PER_SEC)

typedef enum
{
  CONN_READING,    /* a request is coming (from its first byte, or from the accept) */
  CONN_HANDLING,   /* read; being answered */
  CONN_IDLE,       /* between requests */
  CONN_LIVE,       /* a live channel */
  CONN_CLOSING,    /* cut, refused or answered for the last time */
} ConnState;

typedef struct
{
  PbHubServer    *server;
  GSocket        *socket;
  GIOStream      *stream;   /* weak: the connection is counted as long as it lives */
  GSocketAddress *remote;   /* the address given to libsoup: leads from a message here */
  char           *address;
  ConnState       state;
  gint64          since;    /* monotonic µs */
} Conn;

typedef struct
{
  SoupWebsocketConnection *connection;
  guint64                  org_bit;
  char                    *credential;
} LiveClient;

struct _PbHubServer
{
  PbHub             *hub;
  SoupServer        *server;
  PbHubServerLimits  limits;
  GPtrArray         *live;           /* LiveClient */
  GTlsCertificate   *certificate;
  GSocket           *listener;
  GSource           *accept_source;
  guint              accept_retry;
  gint64             accept_failed_since;  /* 0: accepting */
  GHashTable        *conns;          /* Conn */
  GHashTable        *per_address;    /* address → count */
  guint              closing;
  guint              tick;
  GBytes            *busy_answer;
};

static GQuark
conn_quark (void)
{
  return g_quark_from_static_string ("pb-hub-conn");
}

static void
live_client_free (LiveClient *client)
{
  g_signal_handlers_disconnect_by_data (client->connection, client);
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (client->connection);
  g_free (client->credential);
  g_free (client);
}

/* ---- Connections ------------------------------------------------------------------ */

static void conn_gone (gpointer  data,
                       GObject  *stream);

static void
conn_set_state (Conn     *conn,
                ConnState state)
{
  if (conn->state == CONN_CLOSING)
    conn->server->closing--;
  if (state == CONN_CLOSING)
    conn->server->closing++;
  conn->state = state;
  conn->since = g_get_monotonic_time ();
}

static void
conn_drop (Conn *conn)
{
  PbHubServer *self = conn->server;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, conn->address));

  if (conn->stream)
    g_object_weak_unref (G_OBJECT (conn->stream), conn_gone, conn);
  if (conn->state == CONN_CLOSING)
    self->closing--;
  if (n > 1)
    g_hash_table_insert (self->per_address, g_strdup (conn->address), GUINT_TO_POINTER (n - 1));
  else
    g_hash_table_remove (self->per_address, conn->address);
  g_hash_table_remove (self->conns, conn);
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
  g_object_unref (conn->remote);
  g_object_unref (conn->socket);
  g_free (conn->address);
  g_free (conn);
}

static void
conn_gone (gpointer  data,
           GObject  *stream)
{
  Conn *conn = data;

  conn->stream = NULL;
  conn_drop (conn);
}

/* Ends a connection: libsoup reads the end and lets it go, as for a client that left. */
static void
conn_cut (Conn *conn)
{
  if (conn->state == CONN_CLOSING)
    return;
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  conn_set_state (conn, CONN_CLOSING);
}

static Conn *
conn_of_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

static guint
open_connections (PbHubServer *self)
{
  return g_hash_table_size (self->conns) - self->closing;
}

/* Makes room: the connection that has waited longest for a request (or between two). */
static gboolean
evict_oldest (PbHubServer *self)
{
  GHashTableIter iter;
  Conn *conn, *oldest = NULL;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    if ((conn->state == CONN_READING || conn->state == CONN_IDLE) && (oldest == NULL || conn->since < oldest->since))
      oldest = conn;
  if (oldest == NULL)
    return FALSE;
  conn_cut (oldest);
  return TRUE;
}

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Conn *conn = conn_of_message (msg);

  if (conn && conn->state != CONN_CLOSING)
    conn_set_state (conn, CONN_READING);
}

static void
request_read (SoupServer        *server,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  Conn *conn = conn_of_message (msg);

  if (conn && conn->state != CONN_CLOSING)
    conn_set_state (conn, CONN_HANDLING);
}

static void
request_done (SoupServer        *server,
              SoupServerMessage *msg,
              gpointer           user_data)
{
  Conn *conn = conn_of_message (msg);

  if (conn && conn->state != CONN_CLOSING && conn->state != CONN_LIVE)
    conn_set_state (conn, CONN_IDLE);
}

/* Refused before libsoup sees it: a short answer where it is plain HTTP, and closed. */
static void
turn_away (PbHubServer *self,
           GSocket     *socket)
{
  g_socket_set_blocking (socket, FALSE);
  if (self->certificate == NULL)
    g_socket_send (socket, g_bytes_get_data (self->busy_answer, NULL), g_bytes_get_size (self->busy_answer),
                   NULL, NULL);
  g_socket_close (socket, NULL);
}

static void
admit (PbHubServer *self,
       GSocket     *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  GIOStream *stream;
  Conn *conn;
  guint from_address;

  if (remote == NULL || local == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_socket_close (socket, NULL);
      return;
    }
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  from_address = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
  if (from_address >= self->limits.max_per_address
      || g_hash_table_size (self->conns) >= self->limits.max_connections + CLOSING_SLACK
      || (open_connections (self) >= self->limits.max_connections && !evict_oldest (self)))
    {
      turn_away (self, socket);
      return;
    }

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* A backstop for what the timers below do not see: an answer the client does not read. */
  g_socket_set_timeout (socket, MAX (self->limits.idle_timeout, self->limits.request_timeout));
  connection = g_socket_connection_factory_create_connection (socket);
  if (self->certificate)
    {
      static const char *const protocols[] = { "http/1.1", "http/1.0", NULL };

      stream = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, &error);
      if (stream == NULL)
        {
          g_printerr ("portboard-hub: %s\n", error->message);
          return;
        }
      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (stream), (const char **) protocols);
    }
  else
    stream = G_IO_STREAM (g_object_ref (connection));

  conn = g_new0 (Conn, 1);
  conn->server = self;
  conn->socket = g_object_ref (socket);
  conn->stream = stream;
  conn->remote = g_object_ref (remote);
  conn->address = g_steal_pointer (&address);
  conn->state = CONN_READING;
  conn->since = g_get_monotonic_time ();
  g_object_weak_ref (G_OBJECT (stream), conn_gone, conn);
  g_object_set_qdata (G_OBJECT (remote), conn_quark (), conn);
  g_hash_table_add (self->conns, conn);
  g_hash_table_insert (self->per_address, g_strdup (conn->address), GUINT_TO_POINTER (from_address + 1));
  soup_server_accept_iostream (self->server, stream, local, remote, NULL);
  g_object_unref (stream);
}

static gboolean on_incoming (GSocket      *listener,
                             GIOCondition  condition,
                             gpointer      user_data);

static void
start_accepting (PbHubServer *self)
{
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static gboolean
retry_accepting (gpointer user_data)
{
  PbHubServer *self = user_data;

  self->accept_retry = 0;
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket      *listener,
             GIOCondition  condition,
             gpointer      user_data)
{
  PbHubServer *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket)
        {
          self->accept_failed_since = 0;
          admit (self, socket);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      /* Out of descriptors (EMFILE, ENFILE) or memory: the listener stays, room is made
       * and accepting starts again shortly, rather than spinning on the same failure. */
      if (self->accept_failed_since == 0)
        {
          self->accept_failed_since = g_get_monotonic_time ();
          g_printerr ("portboard-hub: %s: %s\n", _("Cannot accept connections"), error->message);
        }
      evict_oldest (self);
      g_clear_pointer (&self->accept_source, g_source_unref);
      self->accept_retry = g_timeout_add (ACCEPT_RETRY_MS, retry_accepting, self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Answers ---------------------------------------------------------------------- */

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

/* ---- Bodies over the limit -------------------------------------------------------- */

/* The connection of a refused body, taken from libsoup: the answer is written, what the
 * client still sends is dropped for a moment, then it is closed. */
typedef struct
{
  GIOStream *stream;
  GBytes    *answer;
  guint8     buffer[16384];
  gint64     deadline;
} Refused;

static void
refused_free (Refused *r)
{
  g_io_stream_close (r->stream, NULL, NULL);
  g_object_unref (r->stream);
  g_bytes_unref (r->answer);
  g_free (r);
}

static void
refused_drained (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refused *r = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || g_get_monotonic_time () > r->deadline)
    {
      refused_free (r);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->buffer, sizeof r->buffer,
                             G_PRIORITY_LOW, NULL, refused_drained, r);
}

static void
refused_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refused *r = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refused_free (r);
      return;
    }
  r->deadline = g_get_monotonic_time () + LINGER_USEC;
  g_input_stream_read_async (g_io_stream_get_input_stream (r->stream), r->buffer, sizeof r->buffer,
                             G_PRIORITY_LOW, NULL, refused_drained, r);
}

/* Answers 413 and closes, without reading the body further. */
static void
refuse_too_large (PbHubServer       *self,
                  SoupServerMessage *msg)
{
  g_autoptr(GError) error = g_error_new (PB_HUB_ERROR, PB_HUB_ERROR_TOO_LARGE,
                                         _("The request is larger than %zu bytes"), self->limits.max_body);
  Conn *conn = conn_of_message (msg);
  g_autofree char *body = NULL;
  char *head;
  Refused *r;
  guint status;

  body = pb_hub_error_reply (error, &status);
  if (conn)
    conn_set_state (conn, CONN_CLOSING);
  r = g_new0 (Refused, 1);
  r->stream = soup_server_message_steal_connection (msg);
  if (r->stream == NULL)
    {
      g_free (r);
      return;
    }
  head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Connection: close\r\n\r\n%s", status, soup_status_get_phrase (status), strlen (body), body);
  r->answer = g_bytes_new_take (head, strlen (head));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (r->stream), g_bytes_get_data (r->answer, NULL),
                                   g_bytes_get_size (r->answer), G_PRIORITY_DEFAULT, NULL, refused_written, r);
}

/* A request's body as it arrives. libsoup, accumulating, would keep every chunk and then a
 * flattened copy beside them: twice the body before a byte of it is parsed. The hub keeps
 * it once: in a buffer of the announced length, or (chunked) as its chunks until they are
 * joined. */
typedef struct
{
  GByteArray *data;     /* announced length: filled as chunks come */
  GPtrArray  *chunks;   /* chunked: the chunks, joined once at the end */
  gsize       length;
} Body;

static void
body_free (Body *b)
{
  g_clear_pointer (&b->data, g_byte_array_unref);
  g_clear_pointer (&b->chunks, g_ptr_array_unref);
  g_free (b);
}

static void
got_chunk (SoupServerMessage *msg,
           GBytes            *chunk,
           gpointer           user_data)
{
  PbHubServer *self = user_data;
  Body *b = g_object_get_data (G_OBJECT (msg), "pb-body");

  b->length += g_bytes_get_size (chunk);
  if (b->length > self->limits.max_body)
    {
      g_signal_handlers_disconnect_by_func (msg, got_chunk, self);
      g_clear_pointer (&b->data, g_byte_array_unref);
      g_clear_pointer (&b->chunks, g_ptr_array_unref);
      refuse_too_large (self, msg);
      return;
    }
  if (b->data)
    g_byte_array_append (b->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  else
    g_ptr_array_add (b->chunks, g_bytes_ref (chunk));
}

/* The body, whole, once; the chunks it was made of are let go. */
static GByteArray *
body_take (SoupServerMessage *msg)
{
  Body *b = g_object_get_data (G_OBJECT (msg), "pb-body");
  GByteArray *data;

  if (b == NULL)
    return g_byte_array_sized_new (1);
  if (b->data == NULL)
    {
      b->data = g_byte_array_sized_new ((guint) b->length + 1);
      for (guint i = 0; b->chunks && i < b->chunks->len; i++)
        g_byte_array_append (b->data, g_bytes_get_data (b->chunks->pdata[i], NULL),
                             g_bytes_get_size (b->chunks->pdata[i]));
      g_clear_pointer (&b->chunks, g_ptr_array_unref);
    }
  data = g_steal_pointer (&b->data);
  return data;
}

/* How much of a body has come. */
static gsize
body_received (SoupServerMessage *msg)
{
  Body *b = g_object_get_data (G_OBJECT (msg), "pb-body");

  return b ? b->length : 0;
}

/* Refuses a body that is too large before it is read, when its length is announced, and
 * follows one that is not announced (chunked) to refuse it as soon as it is. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  PbHubServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > self->limits.max_body)
    {
      refuse_too_large (self, msg);
      return;
    }
  {
    Body *b = g_new0 (Body, 1);

    if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
      b->data = g_byte_array_sized_new ((guint) soup_message_headers_get_content_length (headers) + 1);
    else
      b->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_object_set_data_full (G_OBJECT (msg), "pb-body", b, (GDestroyNotify) body_free);
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), self);
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
  if (!g_str_equal (soup_server_message_get_method (msg), method))
    {
      refuse (msg, PB_HUB_ERROR_METHOD, _("This address does not take this method"));
      return FALSE;
    }
  if (g_str_equal (method, "GET") && body_received (msg) > 0)
    {
      refuse (msg, PB_HUB_ERROR_MALFORMED, _("This request takes no body"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_body (PbHubServer       *self,
           SoupServerMessage *msg,
           GByteArray       **data)
{
  *data = body_take (msg);
  if ((*data)->len > self->limits.max_body)
    {
      g_clear_pointer (data, g_byte_array_unref);
      refuse (msg, PB_HUB_ERROR_TOO_LARGE, _("The request is too large"));
      return FALSE;
    }
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

/* ---- Health ----------------------------------------------------------------------- */

static const char *
health_status (PbHubServer *self)
{
  if (self->listener == NULL || self->accept_failed_since != 0)
    return "not_accepting";
  if (open_connections (self) >= self->limits.max_connections)
    return "full";
  return "ok";
}

/* Listening, and accepting or failing to for less than ACCEPT_GRACE_USEC (the watchdog's
 * question: a hub at max-connections under a flood is busy, not broken). */
gboolean
pb_hub_server_is_accepting (PbHubServer *self)
{
  return self->listener != NULL
         && (self->accept_failed_since == 0 || g_get_monotonic_time () - self->accept_failed_since < ACCEPT_GRACE_USEC);
}

static void
reply_health (PbHubServer       *self,
              SoupServerMessage *msg)
{
  const char *status = health_status (self);

  if (!g_str_equal (status, "ok"))
    g_message ("Health: %s (%u connections open, at most %u)", status, open_connections (self),
               self->limits.max_connections);
  reply_json (msg, g_str_equal (status, "ok") ? 200 : 503, pb_hub_health_public (self->hub, status));
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
  g_autoptr(GByteArray) data = NULL;
  char *reply = NULL;
  GError *error = NULL;
  gboolean ok;

  if (g_str_equal (path, "/v1/health"))
    {
      if (check_method (msg, "GET"))
        reply_health (self, msg);
      return;
    }
  if (g_str_equal (path, "/v1/enrol"))
    {
      if (!check_method (msg, "POST") || !read_body (self, msg, &data))
        return;
      ok = pb_hub_enrol (self->hub, (const char *) data->data, data->len, &reply, &error);
      reply_result (msg, ok, reply, error);
      return;
    }
  if (g_str_equal (path, "/v1/push"))
    {
      guint64 audience = 0;

      if (!check_method (msg, "POST") || (account = authenticate (self, msg)) == NULL
          || !read_body (self, msg, &data))
        return;
      ok = pb_hub_push (self->hub, account, (const char *) data->data, data->len, &audience, &reply, &error);
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
  const char *credential = header && g_str_has_prefix (header, "Bearer ") ? header + strlen ("Bearer ") : NULL;
  g_autoptr(PbHubAccount) account = credential ? pb_hub_authenticate (self->hub, credential) : NULL;
  Conn *conn = conn_of_message (msg);
  LiveClient *client;

  if (account == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unauthorised");
      return;
    }
  /* A live channel waits as long as it likes: its timeouts are the WebSocket's. */
  if (conn)
    {
      conn_set_state (conn, CONN_LIVE);
      g_socket_set_timeout (conn->socket, 0);
    }
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  client = g_new0 (LiveClient, 1);
  client->connection = g_object_ref (connection);
  client->org_bit = account->org_bit;
  client->credential = g_strdup (credential);
  g_object_set_data (G_OBJECT (connection), "pb-hub-server", self);
  g_signal_connect (connection, "closed", G_CALLBACK (live_closed), client);
  g_ptr_array_add (self->live, client);
}

/* Closes the live channels whose credential was revoked since they opened. */
static void
check_live (PbHubServer *self)
{
  for (guint i = self->live->len; i-- > 0;)
    {
      LiveClient *client = self->live->pdata[i];
      g_autoptr(PbHubAccount) account = pb_hub_authenticate (self->hub, client->credential);

      if (account == NULL)
        {
          g_signal_handlers_disconnect_by_data (client->connection, client);
          if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "revoked");
          g_ptr_array_remove_index (self->live, i);
        }
    }
}

/* Every second: connections past their time are cut, closed ones forgotten, revoked live
 * channels closed. */
static gboolean
on_tick (gpointer user_data)
{
  PbHubServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) closed = g_ptr_array_new ();
  GHashTableIter iter;
  Conn *conn;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      if (g_socket_is_closed (conn->socket))
        g_ptr_array_add (closed, conn);
      else if (conn->state == CONN_READING && now - conn->since > self->limits.request_timeout * G_USEC_PER_SEC)
        conn_cut (conn);
      else if (conn->state == CONN_IDLE && now - conn->since > self->limits.idle_timeout * G_USEC_PER_SEC)
        conn_cut (conn);
    }
  for (guint i = 0; i < closed->len; i++)
    conn_drop (closed->pdata[i]);
  check_live (self);
  return G_SOURCE_CONTINUE;
}

/* libsoup 3.2 keeps a connection open after an answer (keep-alive) only while the server has
 * a listener of its own; the hub accepts its connections itself, so libsoup is given one that
 * never accepts anything: one end of a socket pair whose other end is closed. */
static void
add_inert_listener (SoupServer *server)
{
  g_autoptr(GSocket) socket = NULL;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return;
  socket = g_socket_new_from_fd (fds[0], NULL);
  if (socket == NULL)
    close (fds[0]);
  else
    soup_server_listen_socket (server, socket, 0, NULL);
  close (fds[1]);
}

PbHubServer *
pb_hub_server_new (PbHub                   *hub,
                   GTlsCertificate         *certificate,
                   const PbHubServerLimits *limits,
                   GError                 **error)
{
  PbHubServer *self = g_new0 (PbHubServer, 1);
  g_autoptr(GError) busy = g_error_new_literal (PB_HUB_ERROR, PB_HUB_ERROR_BUSY,
                                                _("The hub has too many connections; try again later"));
  g_autofree char *body = NULL;
  char *text;
  guint status;

  self->hub = g_object_ref (hub);
  self->limits = *limits;
  pb_hub_set_max_request (hub, limits->max_body);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_client_free);
  self->conns = g_hash_table_new (NULL, NULL);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  body = pb_hub_error_reply (busy, &status);
  text = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Connection: close\r\n\r\n%s", status, soup_status_get_phrase (status), strlen (body), body);
  self->busy_answer = g_bytes_new_take (text, strlen (text));
  self->server = soup_server_new ("server-header", "portboard-hub", NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (request_read), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_done), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_done), self);
  /* Handlers are per path: the live channel has its own entry, with its own early check. */
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_early_handler (self->server, "/v1/live", early_handler, self, NULL);
  soup_server_add_websocket_handler (self->server, "/v1/live", NULL, NULL, live_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  add_inert_listener (self->server);
  self->tick = g_timeout_add_seconds (1, on_tick, self);
  return self;
}

gboolean
pb_hub_server_listen (PbHubServer  *self,
                      GInetAddress *address,
                      guint16       port,
                      GError      **error)
{
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  g_autoptr(GSocket) listener = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, error);

  if (listener == NULL)
    return FALSE;
  g_socket_set_blocking (listener, FALSE);
  g_socket_set_listen_backlog (listener, 1024);
  if (!g_socket_bind (listener, socket_address, TRUE, error) || !g_socket_listen (listener, error))
    return FALSE;
  self->listener = g_steal_pointer (&listener);
  start_accepting (self);
  return TRUE;
}

char *
pb_hub_server_get_url (PbHubServer *self)
{
  g_autoptr(GSocketAddress) local = self->listener ? g_socket_get_local_address (self->listener, NULL) : NULL;
  GInetAddress *address;
  g_autofree char *host = NULL;
  gboolean v6;

  if (local == NULL)
    return NULL;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_to_string (address);
  v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  return g_strdup_printf ("%s://%s%s%s:%u/", self->certificate ? "https" : "http", v6 ? "[" : "", host,
                          v6 ? "]" : "", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

void
pb_hub_server_free (PbHubServer *self)
{
  GHashTableIter iter;
  Conn *conn;

  if (self == NULL)
    return;
  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->accept_retry, g_source_remove);
  if (self->accept_source)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->listener)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
  g_ptr_array_unref (self->live);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  /* What libsoup let go of already is forgotten; the rest is only counted. */
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      if (conn->stream)
        g_object_weak_unref (G_OBJECT (conn->stream), conn_gone, conn);
      g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
      g_object_unref (conn->remote);
      g_object_unref (conn->socket);
      g_free (conn->address);
      g_free (conn);
    }
  g_hash_table_unref (self->conns);
  g_hash_table_unref (self->per_address);
  g_bytes_unref (self->busy_answer);
  g_clear_object (&self->certificate);
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
