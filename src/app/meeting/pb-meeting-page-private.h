/* pb-meeting-page-private.h: what the meeting page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is in two files, as GNOME Text Editor's window is: pb-meeting-page.c follows
 * the store and shows the meeting, pb-meeting-page-actions.c holds the user's commands
 * (the actions, and the dialogs they open).
 */

#pragma once

#include "pb-live-list.h"
#include "pb-map-render.h"
#include "pb-meeting-agenda.h"
#include "pb-meeting-entry-view.h"
#include "pb-meeting-page.h"
#include "pb-projector-window.h"

G_BEGIN_DECLS

struct _PbMeetingPage
{
  GtkWidget             parent_instance;

  PbContext            *context;
  PbStore              *store;
  PbMbtiles            *basemap;
  PbMapRenderer        *renderer;
  PbLiveList           *meetings;     /* every meeting, the latest first */
  PbLiveList           *attendance;   /* of the meeting on view */
  PbLiveList           *agenda;
  PbLiveList           *decisions;    /* on the item of the entry on view */
  PbLiveList           *actions;
  char                 *meeting_id;   /* the meeting on view */
  char                 *shown_entry;  /* the entry on view */
  char                 *shown_item;   /* its item, if it may be seen */
  gboolean              filling;      /* the page sets the meeting choice */
  gboolean              meetings_changing;
  gboolean              updating;
  gboolean              update_again;
  gboolean              connected_said;
  PbProjectorWindow    *projector;
  char                 *projector_map_of;
  GdkTexture           *projector_map;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkDropDown          *meeting_choice;
  GtkLabel             *meeting_status;
  GtkToggleButton      *follow_button;
  GtkWidget            *attendance_button;
  GtkWidget            *close_button;
  GtkWidget            *new_button;
  GtkStack             *stack;
  AdwStatusPage        *none_page;
  AdwLeaflet           *leaflet;
  PbMeetingAgenda      *agenda_panel;
  PbMeetingEntryView   *entry_view;
};


void                 _pb_meeting_page_toast              (PbMeetingPage      *self,
                                                          const char         *message);
const PbMeeting     *_pb_meeting_page_current            (PbMeetingPage      *self);
const PbAgendaEntry *_pb_meeting_page_shown              (PbMeetingPage      *self);
gboolean             _pb_meeting_page_is_chair           (PbMeetingPage      *self);
gboolean             _pb_meeting_page_is_open            (PbMeetingPage      *self);
void                 _pb_meeting_page_class_actions_init (PbMeetingPageClass *klass);

G_END_DECLS
