/* pb-meeting-page.h: the consultation meeting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-context.h"
#include "pb-meeting.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_MEETING_PAGE (pb_meeting_page_get_type ())
G_DECLARE_FINAL_TYPE (PbMeetingPage, pb_meeting_page, PB, MEETING_PAGE, GtkWidget)

void        pb_meeting_page_load            (PbMeetingPage *self,
                                             PbContext     *context);
gboolean    pb_meeting_page_show_meeting    (PbMeetingPage *self,
                                             const char    *meeting_id);
const char *pb_meeting_page_get_meeting     (PbMeetingPage *self);
const char *pb_meeting_page_get_shown_entry (PbMeetingPage *self);
GListModel *pb_meeting_page_get_agenda      (PbMeetingPage *self);
gboolean    pb_meeting_page_present         (PbMeetingPage *self,
                                             const char    *entry_id,
                                             GError       **error);
gboolean    pb_meeting_page_write_minutes   (PbMeetingPage *self,
                                             const char    *path,
                                             GError       **error);
GtkWindow  *pb_meeting_page_open_projector  (PbMeetingPage *self);

G_END_DECLS
