/* pb-hub-server.h: the hub's HTTP and WebSocket endpoints (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-hub.h"

G_BEGIN_DECLS

typedef struct _PbHubServer PbHubServer;

PbHubServer *pb_hub_server_new        (PbHub            *hub,
                                       GTlsCertificate  *certificate,
                                       gsize             max_body,
                                       GError          **error);
gboolean     pb_hub_server_listen     (PbHubServer      *self,
                                       GInetAddress     *address,
                                       guint16           port,
                                       GError          **error);
char        *pb_hub_server_get_url    (PbHubServer      *self);
void         pb_hub_server_free       (PbHubServer      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbHubServer, pb_hub_server_free)

/* A self-signed certificate and key (PEM) for a hub that has none; its SHA-256
 * fingerprint, colon-separated hex, for clients to pin. */
gboolean     pb_hub_make_certificate  (const char       *cert_path,
                                       const char       *key_path,
                                       GError          **error);
char        *pb_hub_certificate_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
