/* pb-meeting-entry-view.h: the agenda entry on view, shown large
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-live-list.h"
#include "pb-map-render.h"
#include "pb-meeting.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_ENTRY_VIEW (pb_meeting_entry_view_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingEntryView, pb_meeting_entry_view, PB, MEETING_ENTRY_VIEW, GtkWidget)

void        pb_meeting_entry_view_set_store (PbMeetingEntryView *self,
                                             PbStore            *store,
                                             PbMapRenderer      *renderer);
void        pb_meeting_entry_view_set_lists (PbMeetingEntryView *self,
                                             PbLiveList         *decisions,
                                             PbLiveList         *actions);
void        pb_meeting_entry_view_set_can_decide (PbMeetingEntryView *self,
                                                  gboolean            can_decide);
void        pb_meeting_entry_view_show      (PbMeetingEntryView *self,
                                             PbLiveItem         *entry,
                                             guint               position,
                                             guint               n_entries);

char       *pb_meeting_decision_text        (const PbDecision   *decision);
GdkTexture *pb_meeting_map_texture          (PbMapRenderer      *renderer,
                                             double              lat,
                                             double              lon,
                                             int                 width,
                                             int                 height,
                                             int                 scale);

G_END_DECLS
