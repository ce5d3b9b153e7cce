/* pb-add-to-case-dialog.h: the items selected on the board go into an open case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ADD_TO_CASE_DIALOG (pb_add_to_case_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbAddToCaseDialog, pb_add_to_case_dialog, PB, ADD_TO_CASE_DIALOG, AdwMessageDialog)

PbAddToCaseDialog *pb_add_to_case_dialog_new      (GtkWindow         *parent,
                                                   PbStore           *store,
                                                   guint              n_items,
                                                   GError           **error);
const PbCase      *pb_add_to_case_dialog_get_case (PbAddToCaseDialog *self);

G_END_DECLS
