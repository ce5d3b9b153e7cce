/* pb-meeting-open-dialog.h: the chair opens a meeting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PB_TYPE_MEETING_OPEN_DIALOG (pb_meeting_open_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingOpenDialog, pb_meeting_open_dialog, PB, MEETING_OPEN_DIALOG, AdwMessageDialog)

PbMeetingOpenDialog *pb_meeting_open_dialog_new        (GtkWindow           *parent,
                                                        const char          *title,
                                                        const char          *place);
char                *pb_meeting_open_dialog_get_title  (PbMeetingOpenDialog *self);
const char          *pb_meeting_open_dialog_get_place  (PbMeetingOpenDialog *self);
gint64               pb_meeting_open_dialog_get_starts (PbMeetingOpenDialog *self);

G_END_DECLS
