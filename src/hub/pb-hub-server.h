/* pb-hub-server.h: the hub's HTTP and WebSocket endpoints (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-hub.h"

G_BEGIN_DECLS

typedef struct _PbHubServer PbHubServer;

/* What one client may take of the hub (hub.conf, [hub]; README.md, "Limits"). */
typedef struct
{
  gsize max_body;            /* max-body: bytes of a request body */
  guint max_connections;     /* max-connections: open connections, all clients together */
  guint max_per_address;     /* max-connections-per-address: from one IP address */
  guint idle_timeout;        /* idle-timeout: seconds a connection may wait between requests */
  guint request_timeout;     /* request-timeout: seconds to send a whole request */
} PbHubServerLimits;

#define PB_HUB_DEFAULT_MAX_CONNECTIONS  2048
#define PB_HUB_DEFAULT_MAX_PER_ADDRESS  256
#define PB_HUB_DEFAULT_IDLE_TIMEOUT     60
#define PB_HUB_DEFAULT_REQUEST_TIMEOUT  30

PbHubServer *pb_hub_server_new        (PbHub            *hub,
                                       GTlsCertificate  *certificate,
                                       const PbHubServerLimits *limits,
                                       GError          **error);
gboolean     pb_hub_server_listen     (PbHubServer      *self,
                                       GInetAddress     *address,
                                       guint16           port,
                                       GError          **error);
char        *pb_hub_server_get_url    (PbHubServer      *self);
gboolean     pb_hub_server_is_accepting (PbHubServer    *self);
void         pb_hub_server_free       (PbHubServer      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbHubServer, pb_hub_server_free)

/* A self-signed certificate and key (PEM) for a hub that has none; its SHA-256
 * fingerprint, colon-separated hex, for clients to pin. */
gboolean     pb_hub_make_certificate  (const char       *cert_path,
                                       const char       *key_path,
                                       GError          **error);
char        *pb_hub_certificate_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
