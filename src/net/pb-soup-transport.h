/* pb-soup-transport.h: the sync engine's requests over HTTP(S), with libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-sync.h"

G_BEGIN_DECLS

#define PB_TYPE_SOUP_TRANSPORT (pb_soup_transport_get_type ())
G_DECLARE_FINAL_TYPE (PbSoupTransport, pb_soup_transport, PB, SOUP_TRANSPORT, GObject)

PbSoupTransport *pb_soup_transport_new             (const char      *hub_url,
                                                    const char      *fingerprint,
                                                    GError         **error);
const char      *pb_soup_transport_get_fingerprint (PbSoupTransport *self);
char            *pb_fingerprint_of_der             (const guint8    *der,
                                                    gsize            length);

G_END_DECLS
