/* pb-meeting-lists.h: the live lists the meeting page shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-live-list.h"
#include "pb-meeting.h"

G_BEGIN_DECLS

PbLiveList *pb_meeting_lists_new_meetings    (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;
PbLiveList *pb_meeting_lists_new_attendance  (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;
PbLiveList *pb_meeting_lists_new_agenda      (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;
PbLiveList *pb_meeting_lists_new_decisions   (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;
PbLiveList *pb_meeting_lists_new_actions     (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;

void        pb_meeting_lists_read_meetings   (PbLiveList *meetings);
void        pb_meeting_lists_read_attendance (PbLiveList *attendance,
                                              const char *meeting_id);
void        pb_meeting_lists_read_agenda     (PbLiveList *agenda,
                                              const char *meeting_id);
void        pb_meeting_lists_read_decisions  (PbLiveList *decisions,
                                              const char *item_id);
void        pb_meeting_lists_read_actions    (PbLiveList *actions,
                                              const char *item_id);

char       *pb_agenda_entry_title            (const PbAgendaEntry *entry);

G_END_DECLS
