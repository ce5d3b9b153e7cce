/* pb-meeting-decide-dialog.h: the consultation decides on an agenda entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-meeting.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_DECIDE_DIALOG (pb_meeting_decide_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingDecideDialog, pb_meeting_decide_dialog, PB, MEETING_DECIDE_DIALOG, AdwMessageDialog)

PbMeetingDecideDialog *pb_meeting_decide_dialog_new         (GtkWindow             *parent,
                                                             PbStore               *store,
                                                             const char            *meeting_id,
                                                             const PbAgendaEntry   *entry);
const char            *pb_meeting_decide_dialog_get_meeting (PbMeetingDecideDialog *self);
const char            *pb_meeting_decide_dialog_get_item    (PbMeetingDecideDialog *self);
void                   pb_meeting_decide_dialog_get_spec    (PbMeetingDecideDialog *self,
                                                             PbDecisionSpec        *spec);

G_END_DECLS
