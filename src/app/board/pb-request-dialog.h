/* pb-request-dialog.h: ask the organisation an item comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_REQUEST_DIALOG (pb_request_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbRequestDialog, pb_request_dialog, PB, REQUEST_DIALOG, AdwMessageDialog)

PbRequestDialog *pb_request_dialog_new        (GtkWindow       *parent,
                                               PbStore         *store,
                                               const char      *item_id,
                                               const char      *source_org);
gboolean         pb_request_dialog_send       (PbRequestDialog *self,
                                               GError         **error);
void             pb_request_dialog_set_choice (PbRequestDialog *self,
                                               PbRequestKind    kind,
                                               const char      *org_or_tlp,
                                               const char      *reason);

G_END_DECLS
