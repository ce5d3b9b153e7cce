/* pb-meeting-add-item-dialog.h: the chair puts an item on the agenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_ADD_ITEM_DIALOG (pb_meeting_add_item_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingAddItemDialog, pb_meeting_add_item_dialog, PB, MEETING_ADD_ITEM_DIALOG,
                      AdwMessageDialog)

PbMeetingAddItemDialog *pb_meeting_add_item_dialog_new         (GtkWindow              *parent,
                                                                PbStore                *store,
                                                                const char             *meeting_id);
const char             *pb_meeting_add_item_dialog_get_meeting (PbMeetingAddItemDialog *self);
const char             *pb_meeting_add_item_dialog_get_item    (PbMeetingAddItemDialog *self);
void                    pb_meeting_add_item_dialog_search      (PbMeetingAddItemDialog *self,
                                                                const char             *text);
gboolean                pb_meeting_add_item_dialog_choose      (PbMeetingAddItemDialog *self,
                                                                const char             *item_id);

G_END_DECLS
