/* pb-sync-controller.h: keeps the open database in step with its hub, in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-store.h"

G_BEGIN_DECLS

typedef enum
{
  PB_SYNC_STATE_NOT_CONNECTED, /* not enrolled with a hub */
  PB_SYNC_STATE_ONLINE,
  PB_SYNC_STATE_SYNCING,
  PB_SYNC_STATE_OFFLINE,       /* the hub cannot be reached; changes wait */
  PB_SYNC_STATE_ERROR,         /* the hub refused, or cannot be trusted */
} PbSyncState;

#define PB_TYPE_SYNC_CONTROLLER (pb_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (PbSyncController, pb_sync_controller, PB, SYNC_CONTROLLER, GObject)

PbSyncController *pb_sync_controller_new          (PbStore          *store);
void              pb_sync_controller_start        (PbSyncController *self);
void              pb_sync_controller_sync_now     (PbSyncController *self);
void              pb_sync_controller_changed_here (PbSyncController *self);
PbSyncState       pb_sync_controller_get_state    (PbSyncController *self);
guint             pb_sync_controller_get_waiting  (PbSyncController *self);
guint             pb_sync_controller_get_quarantined (PbSyncController *self);
gint64            pb_sync_controller_get_last_synced (PbSyncController *self);
const char       *pb_sync_controller_get_message  (PbSyncController *self);
char             *pb_sync_controller_get_hub      (PbSyncController *self,
                                                   char            **fingerprint);
gboolean          pb_sync_controller_get_live     (PbSyncController *self);

void              pb_sync_controller_enrol_async  (PbSyncController    *self,
                                                   const char          *hub_url,
                                                   const char          *token,
                                                   const char          *fingerprint,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          pb_sync_controller_enrol_finish (PbSyncController    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
