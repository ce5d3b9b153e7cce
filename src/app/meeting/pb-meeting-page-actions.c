/* pb-meeting-page-actions.c: the meeting page's commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the chair (and a participant, for their own actions) does on the meeting page, as
 * actions of the page ("meeting.*"), with the ids they act on as targets: opening a
 * meeting, recording the attendance, proposing and changing the agenda, deciding, saying
 * that an action is done, the projector, the minutes, closing. A command that needs more
 * than a click opens its dialog; when the dialog answers, the page writes what it says
 * through the core. Nothing here shows what was written: the page follows the store.
 */

#define G_LOG_DOMAIN "pb-meeting-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-add-item-dialog.h"
#include "pb-meeting-attendance-dialog.h"
#include "pb-meeting-decide-dialog.h"
#include "pb-meeting-open-dialog.h"
#include "pb-meeting-page-private.h"

/* ---- The agenda's acts ------------------------------------------------------------- */

/* Moves an entry one place up (-1) or down (+1); the focus stays on it. */
static void
move_entry (PbMeetingPage *self,
            const char    *entry_id,
            int            delta)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (entry_id);
  g_autofree char *before = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->agenda));
  guint pos = 0;

  if (pb_live_list_find (self->agenda, id, &pos) == NULL)
    return;
  /* Up: before the one above; down: before the one two below (or at the end). */
  if (delta < 0 && pos >= 1)
    before = g_strdup (((const PbAgendaEntry *) pb_live_list_get (self->agenda, pos - 1))->id);
  else if (delta > 0 && pos + 2 < n)
    before = g_strdup (((const PbAgendaEntry *) pb_live_list_get (self->agenda, pos + 2))->id);
  else if (delta < 0 || pos + 1 == n)
    return;
  if (!pb_meeting_move_entry (self->store, id, before, &error))
    {
      _pb_meeting_page_toast (self, error->message);
      return;
    }
  /* The list moved the entry: its row is a new one. */
  pb_meeting_agenda_focus_entry (self->agenda_panel, id);
}

static void
move_entry_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  const char *entry_id;
  gint32 delta;

  g_variant_get (param, "(&si)", &entry_id, &delta);
  move_entry (PB_MEETING_PAGE (widget), entry_id, delta);
}

/* Alt+↑ and Alt+↓ on the focused entry, as on the board. */
static void
move_focused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  const char *entry_id = pb_meeting_agenda_get_focused_entry (self->agenda_panel);

  if (entry_id && _pb_meeting_page_is_chair (self) && _pb_meeting_page_is_open (self))
    move_entry (self, entry_id, g_variant_get_int32 (param));
}

static void
remove_entry_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  /* Copied: the row whose button says which entry goes with it. */
  g_autofree char *entry_id = g_variant_dup_string (param, NULL);
  g_autoptr(GError) error = NULL;

  if (!pb_meeting_remove_entry (self->store, entry_id, &error))
    _pb_meeting_page_toast (self, error->message);
  else
    _pb_meeting_page_toast (self, _("Taken off the agenda"));
}

static void
propose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!pb_meeting_propose_agenda (self->store, self->meeting_id, &n, &error))
    {
      _pb_meeting_page_toast (self, error->message);
      return;
    }
  message = n == 0 ? g_strdup (_("Nothing to add: the agenda holds everything proposed"))
                   : g_strdup_printf (g_dngettext (NULL, "%u entry added to the agenda",
                                                   "%u entries added to the agenda", n), n);
  _pb_meeting_page_toast (self, message);
}

static void
on_add_item_response_cb (PbMeetingAddItemDialog *dialog,
                         const char             *response,
                         PbMeetingPage          *self)
{
  const char *item = pb_meeting_add_item_dialog_get_item (dialog);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "add") || item == NULL)
    return;
  if (!pb_meeting_add_entry (self->store, pb_meeting_add_item_dialog_get_meeting (dialog), item, &error))
    _pb_meeting_page_toast (self, error->message);
}

static void
add_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  PbMeetingAddItemDialog *dialog = pb_meeting_add_item_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                                   self->store, self->meeting_id);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_item_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- The meeting's acts ------------------------------------------------------------ */

static void
on_open_response_cb (PbMeetingOpenDialog *dialog,
                     const char          *response,
                     PbMeetingPage       *self)
{
  g_autofree char *title = pb_meeting_open_dialog_get_title (dialog);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint n = 0;

  if (!g_str_equal (response, "open"))
    return;
  if (!pb_meeting_open (self->store, title, pb_meeting_open_dialog_get_place (dialog),
                        pb_meeting_open_dialog_get_starts (dialog), &id, &error)
      || !pb_meeting_propose_agenda (self->store, id, &n, &error))
    {
      _pb_meeting_page_toast (self, error->message);
      return;
    }
  pb_meeting_page_show_meeting (self, id);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  const PbMeeting *latest = pb_live_list_get (self->meetings, 0);
  g_autofree char *title = g_strdup_printf (_("Port consultation %u"),
                                            g_list_model_get_n_items (G_LIST_MODEL (self->meetings)) + 1);
  PbMeetingOpenDialog *dialog = pb_meeting_open_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), title,
                                                            latest ? latest->place : NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_attendance_response_cb (PbMeetingAttendanceDialog *dialog,
                           const char                *response,
                           PbMeetingPage             *self)
{
  g_autoptr(GArray) attendance = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save"))
    return;
  attendance = pb_meeting_attendance_dialog_get_attendance (dialog);
  if (!pb_meeting_record_attendance (self->store, pb_meeting_attendance_dialog_get_meeting (dialog),
                                     (const PbAttendanceSpec *) (void *) attendance->data, attendance->len, &error))
    _pb_meeting_page_toast (self, error->message);
}

static void
attendance_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  PbMeetingAttendanceDialog *dialog =
    pb_meeting_attendance_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->meeting_id);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_attendance_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_decide_response_cb (PbMeetingDecideDialog *dialog,
                       const char            *response,
                       PbMeetingPage         *self)
{
  PbDecisionSpec spec;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "decide"))
    return;
  pb_meeting_decide_dialog_get_spec (dialog, &spec);
  if (!pb_meeting_decide (self->store, pb_meeting_decide_dialog_get_meeting (dialog),
                          pb_meeting_decide_dialog_get_item (dialog), &spec, NULL, &error))
    _pb_meeting_page_toast (self, error->message);
  else
    _pb_meeting_page_toast (self, _("Decision recorded and applied to the item"));
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  const PbAgendaEntry *e = _pb_meeting_page_shown (self);
  PbMeetingDecideDialog *dialog;

  if (e == NULL || e->card == NULL)
    return;
  dialog = pb_meeting_decide_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->meeting_id, e);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_decide_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The chair, or the organisation that owns an action, says that it is done (or not). */
static void
set_action_done_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  g_autofree char *action_id = NULL;
  gboolean done;
  g_autoptr(GError) error = NULL;

  /* Copied: the row whose button says which action goes with it. */
  g_variant_get (param, "(sb)", &action_id, &done);
  if (!pb_meeting_set_action_done (self->store, action_id, done, &error))
    _pb_meeting_page_toast (self, error->message);
}

static void
open_in_board_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  g_signal_emit_by_name (widget, "open-item", g_variant_get_string (param, NULL));
}

static void
projector_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GtkWindow *window = pb_meeting_page_open_projector (PB_MEETING_PAGE (widget));

  gtk_window_fullscreen (window);
}

/* ---- Closing, minutes -------------------------------------------------------------- */

static void
on_minutes_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        PbMeetingPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file ? g_file_get_path (file) : NULL;
      if (path && !pb_meeting_page_write_minutes (self, path, &error))
        _pb_meeting_page_toast (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
minutes_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  const PbMeeting *m = _pb_meeting_page_current (self);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *name = NULL;

  if (m == NULL || self->chooser)
    return;
  dt = g_date_time_new_from_unix_local (m->starts_at);
  name = g_date_time_format (dt, _("minutes-%Y-%m-%d.pdf"));
  self->chooser = gtk_file_chooser_native_new (_("Save the Minutes"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_minutes_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      PbMeetingPage    *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "close") || _pb_meeting_page_current (self) == NULL)
    return;
  if (!pb_meeting_close (self->store, self->meeting_id, &error))
    {
      _pb_meeting_page_toast (self, error->message);
      return;
    }
  /* The minutes come next. */
  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.minutes", NULL);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->agenda));
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  guint undecided = 0;

  for (guint i = 0; i < n; i++)
    if (((const PbAgendaEntry *) pb_live_list_get (self->agenda, i))->n_decisions == 0)
      undecided++;
  body = undecided
         ? g_strdup_printf (g_dngettext (NULL, "%u entry has no decision. Closed, the meeting’s record is final; its minutes are made next.",
                                         "%u entries have no decision. Closed, the meeting’s record is final; its minutes are made next.",
                                         undecided), undecided)
         : g_strdup (_("Closed, the meeting’s record is final; its minutes are made next."));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Close the Meeting?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "close", _("C_lose Meeting"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- The actions ------------------------------------------------------------------- */

void
_pb_meeting_page_class_actions_init (PbMeetingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "meeting.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "meeting.propose", NULL, propose_action);
  gtk_widget_class_install_action (widget_class, "meeting.add-item", NULL, add_item_action);
  gtk_widget_class_install_action (widget_class, "meeting.attendance", NULL, attendance_action);
  gtk_widget_class_install_action (widget_class, "meeting.decide", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "meeting.projector", NULL, projector_action);
  gtk_widget_class_install_action (widget_class, "meeting.minutes", NULL, minutes_action);
  gtk_widget_class_install_action (widget_class, "meeting.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "meeting.move-entry", "(si)", move_entry_action);
  gtk_widget_class_install_action (widget_class, "meeting.remove-entry", "s", remove_entry_action);
  gtk_widget_class_install_action (widget_class, "meeting.set-action-done", "(sb)", set_action_done_action);
  gtk_widget_class_install_action (widget_class, "meeting.open-in-board", "s", open_in_board_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "meeting.projector", NULL);
  gtk_widget_class_install_action (widget_class, "meeting.move-focused", "i", move_focused_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "meeting.move-focused", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "meeting.move-focused", "i", +1);
}
