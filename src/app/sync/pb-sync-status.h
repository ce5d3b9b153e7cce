/* pb-sync-status.h: the header bar's word on synchronisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "pb-connect-dialog.h"
#include "pb-sync-controller.h"

G_BEGIN_DECLS

#define PB_TYPE_SYNC_STATUS (pb_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (PbSyncStatus, pb_sync_status, PB, SYNC_STATUS, GtkWidget)

void pb_sync_status_set_controller (PbSyncStatus     *self,
                                    PbSyncController *controller);
const char *pb_sync_status_get_text (PbSyncStatus    *self);
PbConnectDialog *pb_sync_status_connect_dialog (PbSyncStatus *self);

G_END_DECLS
