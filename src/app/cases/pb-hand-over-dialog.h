/* pb-hand-over-dialog.h: the consultation hands the lead of a case to another service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_HAND_OVER_DIALOG (pb_hand_over_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbHandOverDialog, pb_hand_over_dialog, PB, HAND_OVER_DIALOG, AdwMessageDialog)

PbHandOverDialog *pb_hand_over_dialog_new        (GtkWindow        *parent,
                                                  PbStore          *store,
                                                  const PbCase     *c);
const char       *pb_hand_over_dialog_get_case   (PbHandOverDialog *self);
const char       *pb_hand_over_dialog_get_org    (PbHandOverDialog *self);
char             *pb_hand_over_dialog_get_reason (PbHandOverDialog *self);

G_END_DECLS
