/* pb-meeting-agenda.h: a meeting's agenda, and who attends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-live-list.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_AGENDA (pb_meeting_agenda_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingAgenda, pb_meeting_agenda, PB, MEETING_AGENDA, GtkWidget)

void        pb_meeting_agenda_set_lists         (PbMeetingAgenda *self,
                                                 PbLiveList      *agenda,
                                                 PbLiveList      *attendance);
void        pb_meeting_agenda_set_presenting    (PbMeetingAgenda *self,
                                                 const char      *entry_id);
void        pb_meeting_agenda_set_shown         (PbMeetingAgenda *self,
                                                 const char      *entry_id);
void        pb_meeting_agenda_set_editable      (PbMeetingAgenda *self,
                                                 gboolean         editable);
gboolean    pb_meeting_agenda_focus_entry       (PbMeetingAgenda *self,
                                                 const char      *entry_id);
const char *pb_meeting_agenda_get_focused_entry (PbMeetingAgenda *self);

G_END_DECLS
