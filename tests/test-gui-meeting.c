/* test-gui-meeting.c: the meeting page: the chair runs a meeting, a participant follows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "board/pb-add-to-case-dialog.h"
#include "board/pb-board-column.h"
#include "board/pb-board-page.h"
#include "board/pb-card-row.h"
#include "board/pb-item-editor.h"
#include "cases/pb-cases-page.h"
#include "map/pb-map-page.h"
#include "meeting/pb-meeting-add-item-dialog.h"
#include "meeting/pb-meeting-agenda-row.h"
#include "meeting/pb-meeting-attendance-dialog.h"
#include "meeting/pb-meeting-open-dialog.h"
#include "meeting/pb-meeting-page.h"
#include "meeting/pb-projector-window.h"
#include "pb-meeting.h"
#include "pb-demo.h"
#include "pb-record.h"
#include "pb-soup-transport.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-test-util.h"
#include "pb-util.h"
#include "pb-window.h"
#include "sync/pb-sync-status.h"
#include "gui-util.h"

static GPtrArray *
agenda_rows (PbMeetingPage *page)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect (GTK_WIDGET (page), PB_TYPE_MEETING_AGENDA_ROW, rows);
  return rows;
}

static GtkListBoxRow *
agenda_row_of (PbMeetingPage *page,
               const char    *entry_id)
{
  g_autoptr(GPtrArray) rows = agenda_rows (page);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (pb_meeting_agenda_row_get_entry_id (rows->pdata[i]), entry_id) == 0)
      return rows->pdata[i];
  return NULL;
}

static void
activate_entry (PbMeetingPage *page,
                const char    *entry_id)
{
  GtkListBoxRow *row = agenda_row_of (page, entry_id);

  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  WAIT_FOR (g_strcmp0 (pb_meeting_page_get_shown_entry (page), entry_id) == 0);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_id);
}

static void
count_changes (guint *changes)
{
  (*changes)++;
}

static const PbAgendaEntry *
agenda_entry_of_item (GPtrArray  *agenda,
                      const char *item)
{
  for (guint i = 0; i < agenda->len; i++)
    if (g_strcmp0 (((PbAgendaEntry *) agenda->pdata[i])->item, item) == 0)
      return agenda->pdata[i];
  return NULL;
}

/* The chair adds an item through the dialog: the agenda's list says so (items-changed) and
 * the page shows the new entry, without being told to read anything again. */
static void
add_item_shows (PbMeetingPage *page,
                PbStore       *store,
                const char    *meeting)
{
  static const char *const words[] = { "reefer", "release", "divers", "terminal", "container", NULL };
  GListModel *model = pb_meeting_page_get_agenda (page);
  guint before = g_list_model_get_n_items (model);
  guint changes = 0;
  gulong handler = g_signal_connect_swapped (model, "items-changed", G_CALLBACK (count_changes), &changes);
  g_autoptr(GPtrArray) agenda = pb_meeting_list_agenda (store, meeting, NULL);
  g_autoptr(PbCard) card = NULL;
  PbMeetingAddItemDialog *dialog;
  const PbAgendaEntry *added;

  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.add-item", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = PB_MEETING_ADD_ITEM_DIALOG (find_dialog ());
  for (guint w = 0; card == NULL && words[w]; w++)
    {
      g_autoptr(GPtrArray) found = pb_store_search_cards (store, words[w], 12, NULL);

      for (guint i = 0; card == NULL && found && i < found->len; i++)
        if (agenda_entry_of_item (agenda, pb_card_get_id (found->pdata[i])) == NULL)
          {
            card = g_object_ref (found->pdata[i]);
            pb_meeting_add_item_dialog_search (dialog, words[w]);
          }
    }
  g_assert_nonnull (card);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  g_assert_true (pb_meeting_add_item_dialog_choose (dialog, pb_card_get_id (card)));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");

  WAIT_FOR (g_list_model_get_n_items (model) == before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before + 1);
  g_assert_cmpuint (changes, >=, 1);
  g_clear_pointer (&agenda, g_ptr_array_unref);
  agenda = pb_meeting_list_agenda (store, meeting, NULL);
  added = agenda_entry_of_item (agenda, pb_card_get_id (card));
  g_assert_nonnull (added);
  g_assert_nonnull (agenda_row_of (page, added->id));
  WAIT_FOR (shows_text (GTK_WIDGET (page), pb_card_get_title (card)));
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (card)));
  g_signal_handler_disconnect (model, handler);
}

/* The chair ticks an organisation in the room: recorded at once, and said above the agenda. */
static void
attendance_shows (PbMeetingPage *page,
                  PbStore       *store,
                  const char    *meeting)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GPtrArray) before = pb_meeting_list_attendance (store, meeting, NULL);
  g_autoptr(GPtrArray) after = NULL;
  const PbOrganisation *absent = NULL;
  PbMeetingAttendanceDialog *dialog;

  for (guint i = 0; absent == NULL && i < orgs->len; i++)
    {
      gboolean recorded = FALSE;

      for (guint k = 0; k < before->len; k++)
        recorded |= g_strcmp0 (((PbAttendance *) before->pdata[k])->org, ((PbOrganisation *) orgs->pdata[i])->id) == 0;
      if (!recorded)
        absent = orgs->pdata[i];
    }
  g_assert_nonnull (absent);

  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.attendance", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = PB_MEETING_ATTENDANCE_DIALOG (find_dialog ());
  g_assert_true (pb_meeting_attendance_dialog_set_in_room (dialog, absent->id, TRUE, "Test Attendee"));
  /* Recorded as the dialog answers. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");

  after = pb_meeting_list_attendance (store, meeting, NULL);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  /* Nobody else was written: those recorded before are as they were. */
  for (guint k = 0; k < before->len; k++)
    {
      PbAttendance *was = before->pdata[k];
      gboolean same = FALSE;

      for (guint j = 0; j < after->len; j++)
        {
          PbAttendance *now = after->pdata[j];
          same |= g_strcmp0 (now->org, was->org) == 0 && now->in_room == was->in_room && now->connected == was->connected;
        }
      g_assert_true (same);
    }
  /* Above the agenda, the organisations attending. */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean said = FALSE;

    collect (GTK_WIDGET (page), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_label (labels->pdata[i]);

        said |= g_str_has_prefix (text, "Attending: ") && strstr (text, absent->short_code) != NULL;
      }
    g_assert_true (said);
  }
}

/* The chair on the demo's open meeting: the agenda as proposed, presenting an entry, the
 * projector's redaction, a decision through the dialog, the minutes. */
void
test_meeting_chair (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autofree char *pdf = pb_test_tmp_path ("minutes.pdf");
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMeeting) current = NULL;
  g_autoptr(PbMeeting) after = NULL;
  g_auto(GStrv) room = NULL;
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbMeetingPage *page;
  PbStore *store;
  PbProjectorWindow *projector;
  const PbAgendaEntry *open = NULL, *restricted = NULL;
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) drop_downs = g_ptr_array_new ();
  g_autofree char *status = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  show_window (window);
  store = pb_window_get_store (window);
  page = first_of (GTK_WIDGET (window), PB_TYPE_MEETING_PAGE);
  current = pb_meeting_get_current (store, &error);
  g_assert_nonnull (current);
  g_assert_cmpstr (pb_meeting_page_get_meeting (page), ==, current->id);

  /* Every entry of the agenda is a row. */
  agenda = pb_meeting_list_agenda (store, current->id, &error);
  g_assert_cmpuint (agenda->len, >, 10);
  rows = agenda_rows (page);
  g_assert_cmpuint (rows->len, ==, agenda->len);

  /* The room (the prosecutor's office, the judicial police, customs, and whoever joined
   * from their own Portboard in the tests before) sees some entries and not others. */
  room = pb_meeting_room_orgs (store, current->id, &error);
  g_assert_cmpuint (g_strv_length (room), >=, 3);
  for (guint i = 0; i < agenda->len; i++)
    {
      const PbAgendaEntry *e = agenda->pdata[i];
      if (pb_meeting_room_may_see (store, e->item, (const char *const *) room))
        open = open ? open : e;
      else if (e->card)
        restricted = restricted ? restricted : e;
    }
  g_assert_nonnull (open);
  g_assert_nonnull (restricted);

  /* Presenting: written on the meeting, shown large on the page and on the projector. */
  adw_view_stack_set_visible_child_name (first_of (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK), "meeting");
  projector = PB_PROJECTOR_WINDOW (pb_meeting_page_open_projector (page));
  activate_entry (page, open->id);
  g_clear_pointer (&after, pb_meeting_free);
  after = pb_meeting_get (store, current->id, &error);
  g_assert_cmpstr (after->presenting, ==, open->id);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, open->id);
  WAIT_FOR (shows_text (GTK_WIDGET (page), pb_card_get_title (open->card)));
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (open->card)));
  g_assert_cmpstr (pb_projector_window_get_title_text (projector), ==, pb_card_get_title (open->card));

  /* The meeting's row changed (what it presents): the meeting choice still shows it. */
  {
    PbLiveItem *chosen = gtk_drop_down_get_selected_item (first_of (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
    g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (current->starts_at);
    g_autofree char *day_text = g_date_time_format (day, "%Y-%m-%d");
    g_autofree char *name = g_strdup_printf ("%s — %s", current->title, day_text);

    g_assert_nonnull (chosen);
    g_assert_cmpstr (((const PbMeeting *) pb_live_item_get (chosen))->id, ==, current->id);
    WAIT_FOR (shows_text (GTK_WIDGET (page), name));
    g_assert_true (shows_text (GTK_WIDGET (page), name));
  }

  /* An item not every organisation in the room may see is not on the room's screen; the
   * chair's own page still shows it. */
  activate_entry (page, restricted->id);
  WAIT_FOR (shows_text (GTK_WIDGET (page), pb_card_get_title (restricted->card)));
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (restricted->card)));
  g_assert_true (g_str_has_prefix (pb_projector_window_get_title_text (projector), "Restricted item ("));
  g_assert_false (shows_text (GTK_WIDGET (projector), pb_card_get_title (restricted->card)));
  gtk_window_destroy (GTK_WINDOW (projector));

  /* Decide through the dialog: Monitor, applied to the item. */
  activate_entry (page, open->id);
  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.decide", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  collect (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, drop_downs);
  g_assert_cmpuint (drop_downs->len, >=, 4);
  gtk_drop_down_set_selected (drop_downs->pdata[0], PB_OUTCOME_MONITOR);
  adw_message_dialog_response (dialog, "decide");
  {
    g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (store, current->id, open->item, &error);
    g_autoptr(PbCard) card = pb_store_load_card (store, open->item, &error);

    g_assert_cmpuint (decisions->len, ==, 1);
    g_assert_cmpint (((PbDecision *) decisions->pdata[0])->outcome, ==, PB_OUTCOME_MONITOR);
    g_assert_cmpint (pb_card_get_status (card), ==, PB_STATUS_MONITORING);
  }
  WAIT_FOR (shows_text (GTK_WIDGET (page), "Monitor"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Monitor"));

  /* What the chair does shows by itself. */
  add_item_shows (page, store, current->id);
  attendance_shows (page, store, current->id);

  /* The minutes, with their SHA-256 on record. */
  g_assert_true (pb_meeting_page_write_minutes (page, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (length > 1000 && memcmp (contents, "%PDF", 4) == 0);
  g_clear_pointer (&after, pb_meeting_free);
  after = pb_meeting_get (store, current->id, &error);
  g_assert_nonnull (after->minutes_sha256);

  /* Alt+↑ on the focused entry moves it up; the focus stays on it. */
  {
    g_autoptr(GPtrArray) before = pb_meeting_list_agenda (store, current->id, &error);
    g_autoptr(GPtrArray) now = NULL;
    const char *second = ((PbAgendaEntry *) before->pdata[1])->id;
    GtkListBoxRow *row = agenda_row_of (page, second);
    GtkWidget *focus;

    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (row)));
    gtk_widget_activate_action (GTK_WIDGET (row), "meeting.move-focused", "i", -1);
    now = pb_meeting_list_agenda (store, current->id, &error);
    g_assert_cmpstr (((PbAgendaEntry *) now->pdata[0])->id, ==, second);
    /* The focus is given back to the moved row once the agenda is laid out again. */
    WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (window)))
              && gtk_widget_get_ancestor (focus, PB_TYPE_MEETING_AGENDA_ROW)
              && g_strcmp0 (pb_meeting_agenda_row_get_entry_id (PB_MEETING_AGENDA_ROW (gtk_widget_get_ancestor (
                              focus, PB_TYPE_MEETING_AGENDA_ROW))), second) == 0);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    while (focus && !PB_IS_MEETING_AGENDA_ROW (focus))
      focus = gtk_widget_get_parent (focus);
    g_assert_nonnull (focus);
    g_assert_cmpstr (pb_meeting_agenda_row_get_entry_id (PB_MEETING_AGENDA_ROW (focus)), ==, second);
  }

  /* A new meeting: a start that is not a date and time is not accepted. */
  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.new", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  {
    GtkEditable *starts = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                        PB_TYPE_MEETING_OPEN_DIALOG, "starts_entry"));
    g_autoptr(GDateTime) expected = g_date_time_new_local (2026, 12, 3, 9, 30, 0);
    g_autoptr(PbMeeting) opened = NULL;

    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
    gtk_editable_set_text (starts, "next Thursday");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "open"));
    gtk_editable_set_text (starts, "2026-12-03 09:30");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
    adw_message_dialog_response (dialog, "open");
    opened = pb_meeting_get (store, pb_meeting_page_get_meeting (page), &error);
    g_assert_nonnull (opened);
    g_assert_cmpstr (opened->id, !=, current->id);
    g_assert_cmpint (opened->starts_at, ==, g_date_time_to_unix (expected));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_unlink (pdf);
}

static gboolean
presenting_is (PbStore    *store,
               const char *meeting,
               const char *entry)
{
  g_autoptr(PbMeeting) m = pb_meeting_get (store, meeting, NULL);
  return m && g_strcmp0 (m->presenting, entry) == 0;
}

static guint
attendance_length (SyncClient *c,
                   const char *meeting)
{
  g_autoptr(GPtrArray) attendance = NULL;

  sync_client_sync (c);
  attendance = pb_meeting_list_attendance (c->store, meeting, NULL);
  return attendance ? attendance->len : 0;
}

/* A participant follows the chair over a real hub, looks elsewhere after switching Follow
 * off, and comes back; their Portboard says they are connected. */
void
test_meeting_follow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-gui-meeting-XXXXXX", &error);
  g_autofree char *chair_path = g_build_filename (dir, "chair.sqlite", NULL);
  g_autofree char *police_path = g_build_filename (dir, "police.sqlite", NULL);
  g_autofree char *credential_file = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autofree char *meeting = NULL, *a = NULL, *b = NULL, *entry_a = NULL, *entry_b = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  g_autoptr(GPtrArray) attendance = NULL;
  g_autoptr(PbChangeSet) announced = NULL;
  SyncClient chair = { 0 }, police = { 0 };
  GtkToggleButton *follow = NULL;
  gulong changed;
  PbTestHub hub;
  PbWindow *window;
  PbMeetingPage *page;
  gint64 started;
  double seconds;

  g_free (pb_test_hub_add_user (dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&hub, dir, FALSE);
  sync_client_enrol (&police, &hub, police_path, "Karim", "Federal Police", "police", "officer");
  sync_client_enrol (&chair, &hub, chair_path, "Rania", "Port Prosecutor", "prosecution", "chair");
  a = sync_client_add_item (&chair, "Reefer at K913");
  b = sync_client_add_item (&chair, "Divers near the Kallo lock");
  g_assert_true (pb_meeting_open (chair.store, "Consultation 48", "Port House", 0, &meeting, &error));
  g_assert_true (pb_meeting_add_entry (chair.store, meeting, a, &error));
  g_assert_true (pb_meeting_add_entry (chair.store, meeting, b, &error));
  g_assert_no_error (error);
  agenda = pb_meeting_list_agenda (chair.store, meeting, &error);
  entry_a = g_strdup (((PbAgendaEntry *) agenda->pdata[0])->id);
  entry_b = g_strdup (((PbAgendaEntry *) agenda->pdata[1])->id);
  sync_client_sync (&chair);

  /* The officer's Portboard opens on the meeting in progress. */
  window = open_enrolled_window (&police, police_path, &credential_file);
  page = first_of (GTK_WIDGET (window), PB_TYPE_MEETING_PAGE);
  adw_view_stack_set_visible_child_name (first_of (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK), "meeting");
  WAIT_FOR (g_strcmp0 (pb_meeting_page_get_meeting (page), meeting) == 0);
  g_assert_cmpstr (pb_meeting_page_get_meeting (page), ==, meeting);
  g_assert_null (pb_meeting_page_get_shown_entry (page));

  /* The chair presents; the officer's page follows by the live channel. */
  g_assert_true (pb_meeting_present (chair.store, meeting, entry_a, &error));
  started = g_get_monotonic_time ();
  sync_client_sync (&chair);
  WAIT_FOR (g_strcmp0 (pb_meeting_page_get_shown_entry (page), entry_a) == 0);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_a);
  g_test_message ("the officer's page showed the presented entry %.2f s after the chair's push", seconds);
  g_assert_cmpfloat (seconds, <, 5);
  WAIT_FOR (shows_text (GTK_WIDGET (page), "Reefer at K913"));
  g_assert_true (shows_text (GTK_WIDGET (page), "Reefer at K913"));

  /* Follow off: the officer stays where they are when the chair moves on. */
  collect (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "_Follow the Chair") == 0)
      follow = toggles->pdata[i];
  g_assert_nonnull (follow);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (follow)));
  gtk_toggle_button_set_active (follow, FALSE);
  announced = pb_change_set_new ();
  changed = g_signal_connect (pb_window_get_store (window), "rows-changed", G_CALLBACK (collect_changes_cb), announced);
  g_assert_true (pb_meeting_present (chair.store, meeting, entry_b, &error));
  sync_client_sync (&chair);
  /* Once the window was told of the meeting's change, the page had its chance to move. */
  WAIT_FOR (pb_change_set_touches (announced, "meetings"));
  g_signal_handler_disconnect (pb_window_get_store (window), changed);
  g_assert_true (pb_change_set_touches (announced, "meetings"));
  g_assert_true (presenting_is (pb_window_get_store (window), meeting, entry_b));
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_a);
  gtk_toggle_button_set_active (follow, TRUE);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_b);

  /* The officer's Portboard said that the police are connected; the chair learns it. */
  WAIT_FOR (attendance_length (&chair, meeting) == 1);
  attendance = pb_meeting_list_attendance (chair.store, meeting, NULL);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_true (((PbAttendance *) attendance->pdata[0])->connected);
  g_assert_cmpstr (((PbAttendance *) attendance->pdata[0])->org_name, ==, "Federal Police");

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  pb_test_hub_stop (&hub);
  sync_client_clear (&police);
  sync_client_clear (&chair);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
}
