/* pb-meeting-agenda.c: a meeting's agenda, and who attends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The agenda panel of the meeting page: the organisations attending, over the entries of
 * the agenda. Both are the page's live lists: the list box is bound to the agenda, and an
 * entry added, moved, decided or taken off — here, by the chair elsewhere, or by a
 * synchronisation — shows as soon as the store says so. The rows are numbered again after
 * each change; the entry presented and the entry on view are marked. Activating an entry
 * says so ("entry-activated"); what that means is the page's to decide.
 */

#define G_LOG_DOMAIN "pb-meeting-agenda"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-agenda.h"
#include "pb-meeting-agenda-row.h"
#include "pb-meeting.h"

struct _PbMeetingAgenda
{
  GtkWidget    parent_instance;

  PbLiveList  *agenda;
  PbLiveList  *attendance;
  char        *presenting;
  char        *shown;
  gboolean     editable;

  /* Template widgets */
  GtkLabel    *attendance_label;
  GtkListBox  *list;
};

G_DEFINE_FINAL_TYPE (PbMeetingAgenda, pb_meeting_agenda, GTK_TYPE_WIDGET)

enum {
  SIGNAL_ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PbMeetingAgendaRow *
row_at (PbMeetingAgenda *self,
        guint            position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) position);

  return PB_IS_MEETING_AGENDA_ROW (row) ? PB_MEETING_AGENDA_ROW (row) : NULL;
}

static GtkWidget *
create_row (gpointer item,
            gpointer data)
{
  PbMeetingAgenda *self = data;
  PbMeetingAgendaRow *row = pb_meeting_agenda_row_new (item);
  const PbAgendaEntry *e = pb_live_item_get (item);

  pb_meeting_agenda_row_set_presented (row, g_strcmp0 (e->id, self->presenting) == 0);
  pb_meeting_agenda_row_set_editable (row, self->editable);
  return GTK_WIDGET (row);
}

/* The rows' numbers, marks and buttons, as the agenda is now; the entry on view selected. */
static void
update_rows (PbMeetingAgenda *self)
{
  guint n = self->agenda ? g_list_model_get_n_items (G_LIST_MODEL (self->agenda)) : 0;
  GtkListBoxRow *shown = NULL;

  for (guint i = 0; i < n; i++)
    {
      PbMeetingAgendaRow *row = row_at (self, i);
      const char *id;

      if (row == NULL)
        continue;
      id = pb_meeting_agenda_row_get_entry_id (row);
      pb_meeting_agenda_row_set_position (row, i + 1);
      pb_meeting_agenda_row_set_presented (row, g_strcmp0 (id, self->presenting) == 0);
      pb_meeting_agenda_row_set_editable (row, self->editable);
      if (g_strcmp0 (id, self->shown) == 0)
        shown = GTK_LIST_BOX_ROW (row);
    }
  if (shown == NULL)
    gtk_list_box_unselect_all (self->list);
  else if (gtk_list_box_get_selected_row (self->list) != shown)
    gtk_list_box_select_row (self->list, shown);
}

static void
update_attendance (PbMeetingAgenda *self)
{
  guint n = self->attendance ? g_list_model_get_n_items (G_LIST_MODEL (self->attendance)) : 0;
  g_autoptr(GString) who = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      const PbAttendance *a = pb_live_list_get (self->attendance, i);

      g_string_append_printf (who, "%s%s%s", who->len ? ", " : "", a->org_code, a->in_room ? "" : _(" (connected)"));
    }
  /* Translators: above the agenda: the organisations attending */
  text = who->len ? g_strdup_printf (_("Attending: %s"), who->str) : g_strdup (_("No attendance recorded yet"));
  gtk_label_set_label (self->attendance_label, text);
}

static void
on_row_activated_cb (GtkListBox      *list,
                     GtkListBoxRow   *row,
                     PbMeetingAgenda *self)
{
  if (PB_IS_MEETING_AGENDA_ROW (row))
    g_signal_emit (self, signals[SIGNAL_ENTRY_ACTIVATED], 0,
                   pb_meeting_agenda_row_get_entry_id (PB_MEETING_AGENDA_ROW (row)));
}

static void
pb_meeting_agenda_dispose (GObject *object)
{
  PbMeetingAgenda *self = PB_MEETING_AGENDA (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_AGENDA);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->agenda);
  g_clear_object (&self->attendance);
  g_clear_pointer (&self->presenting, g_free);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (pb_meeting_agenda_parent_class)->dispose (object);
}

static void
pb_meeting_agenda_class_init (PbMeetingAgendaClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_agenda_dispose;

  /* An entry was activated (clicked, or Enter): its id. */
  signals[SIGNAL_ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-agenda.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgenda, attendance_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgenda, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
pb_meeting_agenda_init (PbMeetingAgenda *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_meeting_agenda_set_lists:
 * @agenda: the agenda of the meeting on view (PbAgendaEntry)
 * @attendance: its attendance (PbAttendance)
 *
 * The lists the panel shows and follows.
 */
void
pb_meeting_agenda_set_lists (PbMeetingAgenda *self,
                             PbLiveList      *agenda,
                             PbLiveList      *attendance)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA (self));

  if (self->agenda)
    g_signal_handlers_disconnect_by_data (self->agenda, self);
  if (self->attendance)
    g_signal_handlers_disconnect_by_data (self->attendance, self);
  g_set_object (&self->agenda, agenda);
  g_set_object (&self->attendance, attendance);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (agenda), create_row, self, NULL);
  /* After the list box made its rows. */
  g_signal_connect_object (agenda, "items-changed", G_CALLBACK (update_rows), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  g_signal_connect_object (attendance, "items-changed", G_CALLBACK (update_attendance), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  update_rows (self);
  update_attendance (self);
}

/* The entry the chair presents (%NULL: none), marked in its row. */
void
pb_meeting_agenda_set_presenting (PbMeetingAgenda *self,
                                  const char      *entry_id)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA (self));

  if (g_strcmp0 (self->presenting, entry_id) == 0)
    return;
  g_free (self->presenting);
  self->presenting = g_strdup (entry_id);
  update_rows (self);
}

/* The entry on view (%NULL: none), selected in the list. */
void
pb_meeting_agenda_set_shown (PbMeetingAgenda *self,
                             const char      *entry_id)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA (self));

  if (g_strcmp0 (self->shown, entry_id) == 0)
    return;
  g_free (self->shown);
  self->shown = g_strdup (entry_id);
  update_rows (self);
}

/* Whether the rows offer to move entries and take them off. */
void
pb_meeting_agenda_set_editable (PbMeetingAgenda *self,
                                gboolean         editable)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA (self));

  if (self->editable == !!editable)
    return;
  self->editable = !!editable;
  update_rows (self);
}

/**
 * pb_meeting_agenda_focus_entry:
 *
 * Puts the keyboard focus on an entry's row (after a move, the row is a new one).
 *
 * Returns: whether the entry is on the agenda
 */
gboolean
pb_meeting_agenda_focus_entry (PbMeetingAgenda *self,
                               const char      *entry_id)
{
  guint position;
  PbMeetingAgendaRow *row;

  g_return_val_if_fail (PB_IS_MEETING_AGENDA (self), FALSE);

  if (self->agenda == NULL || pb_live_list_find (self->agenda, entry_id, &position) == NULL
      || (row = row_at (self, position)) == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

/* The entry whose row has the keyboard focus, or %NULL. */
const char *
pb_meeting_agenda_get_focused_entry (PbMeetingAgenda *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  g_return_val_if_fail (PB_IS_MEETING_AGENDA (self), NULL);

  while (focus && !PB_IS_MEETING_AGENDA_ROW (focus))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL || gtk_widget_get_parent (focus) != GTK_WIDGET (self->list))
    return NULL;
  return pb_meeting_agenda_row_get_entry_id (PB_MEETING_AGENDA_ROW (focus));
}
