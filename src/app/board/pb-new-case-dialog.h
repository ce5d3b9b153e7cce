/* pb-new-case-dialog.h: a new case with the items selected on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_NEW_CASE_DIALOG (pb_new_case_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbNewCaseDialog, pb_new_case_dialog, PB, NEW_CASE_DIALOG, AdwMessageDialog)

PbNewCaseDialog *pb_new_case_dialog_new       (GtkWindow       *parent,
                                               PbStore         *store,
                                               guint            n_items);
char            *pb_new_case_dialog_get_title (PbNewCaseDialog *self);
const char      *pb_new_case_dialog_get_lead  (PbNewCaseDialog *self);

G_END_DECLS
