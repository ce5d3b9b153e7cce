/* pb-soup-transport.c: the sync engine's requests over HTTP(S), with libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub's certificate is pinned: by the SHA-256 fingerprint given (the one the hub
 * printed when it started), or else the first one seen, which the caller keeps. A hub
 * that presents another certificate later is refused, whoever signed it.
 */

#include "config.h"

#include "pb-soup-transport.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

struct _PbSoupTransport
{
  GObject      parent_instance;

  SoupSession *session;
  GUri        *base;
  char        *pinned;   /* expected fingerprint, or NULL before the first connection */
  char        *seen;     /* what the hub presented */
};

static void pb_soup_transport_iface_init (PbTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbSoupTransport, pb_soup_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PB_TYPE_TRANSPORT, pb_soup_transport_iface_init))

static void
pb_soup_transport_finalize (GObject *object)
{
  PbSoupTransport *self = PB_SOUP_TRANSPORT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base, g_uri_unref);
  g_free (self->pinned);
  g_free (self->seen);
  G_OBJECT_CLASS (pb_soup_transport_parent_class)->finalize (object);
}

static void
pb_soup_transport_class_init (PbSoupTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_soup_transport_finalize;
}

static void
pb_soup_transport_init (PbSoupTransport *self)
{
  /* No certificate authorities: the hub is trusted by its pinned fingerprint alone, which
   * is stricter, and loading the system's authorities cost each new session 50 ms. */
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, "tls-database", NULL, NULL);
}

char *
pb_fingerprint_of_der (const guint8 *der,
                       gsize         length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize size = sizeof digest;
  GString *out = g_string_new (NULL);

  g_checksum_update (checksum, der, length);
  g_checksum_get_digest (checksum, digest, &size);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (out, "%s%02X", i ? ":" : "", digest[i]);
  return g_string_free (out, FALSE);
}

static char *
fingerprint_of (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  return der ? pb_fingerprint_of_der (der->data, der->len) : NULL;
}

/* A certificate no authority vouches for is taken when it is the pinned one, or the
 * first one seen when none is pinned. */
static gboolean
on_accept_certificate (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  PbSoupTransport *self = user_data;
  g_autofree char *fingerprint = fingerprint_of (certificate);

  return fingerprint != NULL && (self->pinned == NULL || g_ascii_strcasecmp (fingerprint, self->pinned) == 0);
}

static GBytes *
pb_soup_transport_request (PbTransport  *transport,
                           const char   *method,
                           const char   *path,
                           const char   *credential,
                           GBytes       *body,
                           guint        *status,
                           GError      **error)
{
  PbSoupTransport *self = PB_SOUP_TRANSPORT (transport);
  g_autoptr(GUri) uri = g_uri_parse_relative (self->base, path, G_URI_FLAGS_ENCODED_QUERY, error);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) local = NULL;
  GTlsCertificate *peer;
  GBytes *answer;

  if (uri == NULL)
    return NULL;
  msg = soup_message_new_from_uri (method, uri);
  if (credential)
    {
      g_autofree char *header = g_strconcat ("Bearer ", credential, NULL);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self);

  answer = soup_session_send_and_read (self->session, msg, NULL, &local);
  peer = soup_message_get_tls_peer_certificate (msg);
  if (peer)
    {
      g_autofree char *fingerprint = fingerprint_of (peer);

      if (self->pinned && g_ascii_strcasecmp (fingerprint, self->pinned) != 0)
        {
          g_clear_pointer (&answer, g_bytes_unref);
          g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                       _("The hub's certificate has changed (it is %s, this database trusts %s): "
                         "someone may be in between; check with the hub's administrator"),
                       fingerprint, self->pinned);
          return NULL;
        }
      /* Kept once: the sync engine fetches from a thread of its own (libsoup sends from
       * any thread since 3.2), and a caller may hold what this returned. */
      if (g_strcmp0 (self->seen, fingerprint) != 0)
        {
          g_free (self->seen);
          self->seen = g_steal_pointer (&fingerprint);
        }
    }
  if (answer == NULL)
    {
      if (g_error_matches (local, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) && self->pinned)
        g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                     _("The hub's certificate has changed (this database trusts %s): "
                       "someone may be in between; check with the hub's administrator"), self->pinned);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *status = soup_message_get_status (msg);
  return answer;
}

static void
pb_soup_transport_iface_init (PbTransportInterface *iface)
{
  iface->request = pb_soup_transport_request;
}

PbSoupTransport *
pb_soup_transport_new (const char *hub_url,
                       const char *fingerprint,
                       GError    **error)
{
  g_autoptr(GUri) base = g_uri_parse (hub_url, G_URI_FLAGS_NONE, error);
  PbSoupTransport *self;

  if (base == NULL)
    return NULL;
  if (g_strcmp0 (g_uri_get_scheme (base), "https") != 0 && g_strcmp0 (g_uri_get_scheme (base), "http") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The hub's address must start with https:// (%s)"), hub_url);
      return NULL;
    }
  self = g_object_new (PB_TYPE_SOUP_TRANSPORT, NULL);
  self->base = g_steal_pointer (&base);
  self->pinned = g_strdup (fingerprint);
  return self;
}

const char *
pb_soup_transport_get_fingerprint (PbSoupTransport *self)
{
  return self->seen;
}
