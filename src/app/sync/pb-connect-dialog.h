/* pb-connect-dialog.h: enrolment with a hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PB_TYPE_CONNECT_DIALOG (pb_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbConnectDialog, pb_connect_dialog, PB, CONNECT_DIALOG, AdwMessageDialog)

PbConnectDialog *pb_connect_dialog_new             (GtkWindow       *parent);
const char      *pb_connect_dialog_get_hub         (PbConnectDialog *self);
const char      *pb_connect_dialog_get_token       (PbConnectDialog *self);
const char      *pb_connect_dialog_get_fingerprint (PbConnectDialog *self);

G_END_DECLS
