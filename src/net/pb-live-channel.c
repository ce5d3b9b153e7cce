/* pb-live-channel.c: the hub's live channel, which says when there is something to pull
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A WebSocket to /v1/live. The hub sends {"seq": N} when entries for this organisation
 * were written; the channel emits ::changed, and the owner pulls. When the connection
 * drops, it is tried again after 1, 2, 4 … 60 seconds.
 *
 * Signals: changed (gint64 seq), notify::connected.
 */

#include "config.h"

#include "pb-live-channel.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pb-soup-transport.h"
#include "pb-util.h"

struct _PbLiveChannel
{
  GObject                  parent_instance;

  SoupSession             *session;
  char                    *url;
  char                    *fingerprint;
  char                    *credential;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  guint                    retry_id;
  guint                    backoff;     /* seconds before the next attempt */
  gboolean                 running;
};

enum { PROP_0, PROP_CONNECTED, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PbLiveChannel, pb_live_channel, G_TYPE_OBJECT)

static void connect_now (PbLiveChannel *self);

static void
drop_connection (PbLiveChannel *self)
{
  gboolean was = self->connection != NULL;

  if (self->connection)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->connection);
    }
  if (was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
retry_cb (gpointer data)
{
  PbLiveChannel *self = data;

  self->retry_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (PbLiveChannel *self)
{
  if (!self->running || self->retry_id)
    return;
  self->retry_id = g_timeout_add_seconds (self->backoff, retry_cb, self);
  self->backoff = MIN (self->backoff * 2, 60);
}

static void
on_message (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *message,
            gpointer                 data)
{
  PbLiveChannel *self = data;
  g_autoptr(JsonNode) node = NULL;
  gsize size;
  const char *text = g_bytes_get_data (message, &size);

  node = pb_json_parse (text, (gssize) size, NULL);
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    g_signal_emit (self, signals[CHANGED], 0,
                   json_object_get_int_member_with_default (json_node_get_object (node), "seq", 0));
}

static void
on_closed (SoupWebsocketConnection *connection,
           gpointer                 data)
{
  PbLiveChannel *self = data;

  drop_connection (self);
  schedule_retry (self);
}

static gboolean
on_accept_certificate (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             data)
{
  PbLiveChannel *self = data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  fingerprint = der ? pb_fingerprint_of_der (der->data, der->len) : NULL;
  return fingerprint && self->fingerprint && g_ascii_strcasecmp (fingerprint, self->fingerprint) == 0;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  PbLiveChannel *self = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (connection == NULL)
    {
      schedule_retry (self);
      return;
    }
  self->connection = connection;
  self->backoff = 1;
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (on_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  /* Whatever happened while disconnected is pulled now. */
  g_signal_emit (self, signals[CHANGED], 0, (gint64) 0);
}

static void
connect_now (PbLiveChannel *self)
{
  g_autofree char *live = g_strconcat (self->url, g_str_has_suffix (self->url, "/") ? "" : "/", "v1/live", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", live);
  g_autofree char *header = g_strconcat ("Bearer ", self->credential, NULL);

  if (msg == NULL)
    return;
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", header);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, self->cancellable,
                                        on_connected, self);
}

static void
pb_live_channel_dispose (GObject *object)
{
  PbLiveChannel *self = PB_LIVE_CHANNEL (object);

  pb_live_channel_stop (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (pb_live_channel_parent_class)->dispose (object);
}

static void
pb_live_channel_finalize (GObject *object)
{
  PbLiveChannel *self = PB_LIVE_CHANNEL (object);

  g_free (self->url);
  g_free (self->fingerprint);
  g_free (self->credential);
  G_OBJECT_CLASS (pb_live_channel_parent_class)->finalize (object);
}

static void
pb_live_channel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, pb_live_channel_is_connected (PB_LIVE_CHANNEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_live_channel_class_init (PbLiveChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_live_channel_dispose;
  object_class->finalize = pb_live_channel_finalize;
  object_class->get_property = pb_live_channel_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
pb_live_channel_init (PbLiveChannel *self)
{
  self->session = soup_session_new_with_options ("tls-database", NULL, NULL);
  self->backoff = 1;
}

PbLiveChannel *
pb_live_channel_new (const char *hub_url,
                     const char *fingerprint,
                     const char *credential)
{
  PbLiveChannel *self = g_object_new (PB_TYPE_LIVE_CHANNEL, NULL);

  self->url = g_strdup (hub_url);
  self->fingerprint = g_strdup (fingerprint);
  self->credential = g_strdup (credential);
  return self;
}

void
pb_live_channel_start (PbLiveChannel *self)
{
  if (self->running)
    return;
  self->running = TRUE;
  connect_now (self);
}

void
pb_live_channel_stop (PbLiveChannel *self)
{
  self->running = FALSE;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  drop_connection (self);
}

gboolean
pb_live_channel_is_connected (PbLiveChannel *self)
{
  return self->connection != NULL
         && soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}
