/* pb-meeting-attendance-dialog.h: the chair records who is in the room
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-meeting.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_ATTENDANCE_DIALOG (pb_meeting_attendance_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingAttendanceDialog, pb_meeting_attendance_dialog, PB, MEETING_ATTENDANCE_DIALOG,
                      AdwMessageDialog)

PbMeetingAttendanceDialog *pb_meeting_attendance_dialog_new            (GtkWindow                 *parent,
                                                                        PbStore                   *store,
                                                                        const char                *meeting_id);
const char                *pb_meeting_attendance_dialog_get_meeting    (PbMeetingAttendanceDialog *self);
GArray                    *pb_meeting_attendance_dialog_get_attendance (PbMeetingAttendanceDialog *self);
gboolean                   pb_meeting_attendance_dialog_set_in_room    (PbMeetingAttendanceDialog *self,
                                                                        const char                *org,
                                                                        gboolean                   in_room,
                                                                        const char                *names);

G_END_DECLS
