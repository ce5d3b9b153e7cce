/* pb-live-channel.h: the hub's live channel, which says when there is something to pull
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PB_TYPE_LIVE_CHANNEL (pb_live_channel_get_type ())
G_DECLARE_FINAL_TYPE (PbLiveChannel, pb_live_channel, PB, LIVE_CHANNEL, GObject)

PbLiveChannel *pb_live_channel_new           (const char    *hub_url,
                                              const char    *fingerprint,
                                              const char    *credential);
void           pb_live_channel_start         (PbLiveChannel *self);
void           pb_live_channel_stop          (PbLiveChannel *self);
gboolean       pb_live_channel_is_connected  (PbLiveChannel *self);

G_END_DECLS
