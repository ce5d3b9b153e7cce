/* pb-meeting-agenda-row.h: one entry of a meeting's agenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-live-list.h"
#include "pb-meeting.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_AGENDA_ROW (pb_meeting_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingAgendaRow, pb_meeting_agenda_row, PB, MEETING_AGENDA_ROW, GtkListBoxRow)

PbMeetingAgendaRow *pb_meeting_agenda_row_new           (PbLiveItem         *item);
const char         *pb_meeting_agenda_row_get_entry_id  (PbMeetingAgendaRow *self);
void                pb_meeting_agenda_row_set_position  (PbMeetingAgendaRow *self,
                                                         guint               position);
void                pb_meeting_agenda_row_set_presented (PbMeetingAgendaRow *self,
                                                         gboolean            presented);
void                pb_meeting_agenda_row_set_editable  (PbMeetingAgendaRow *self,
                                                         gboolean            editable);

G_END_DECLS
