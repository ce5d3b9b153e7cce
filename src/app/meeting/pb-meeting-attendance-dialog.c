/* pb-meeting-attendance-dialog.c: the chair records who is in the room
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every organisation of the consultation, ticked when it is recorded in the room, with the
 * names of who came for it. The page that opened the dialog records what it says, all at
 * once (pb_meeting_record_attendance()), when the dialog answers "save".
 */

#define G_LOG_DOMAIN "pb-meeting-attendance-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-attendance-dialog.h"

typedef struct
{
  char           *org;
  GtkCheckButton *check;
  GtkEditable    *names;
} Row;

struct _PbMeetingAttendanceDialog
{
  AdwMessageDialog  parent_instance;

  char             *meeting_id;
  GArray           *rows;      /* Row, an organisation each */

  /* Template widgets */
  GtkGrid          *grid;
};

G_DEFINE_FINAL_TYPE (PbMeetingAttendanceDialog, pb_meeting_attendance_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
row_clear (Row *row)
{
  g_free (row->org);
}

static void
add_row (PbMeetingAttendanceDialog *self,
         const PbOrganisation      *org,
         const PbAttendance        *recorded)
{
  GtkWidget *check = gtk_check_button_new_with_label (org->name);
  GtkWidget *names = gtk_entry_new ();
  g_autofree char *label = g_strdup_printf (_("Who attends for %s"), org->name);
  gboolean in_room = recorded && recorded->in_room;
  Row row = { g_strdup (org->id), GTK_CHECK_BUTTON (check), GTK_EDITABLE (names) };

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), in_room);
  if (in_room && recorded->names)
    gtk_editable_set_text (GTK_EDITABLE (names), recorded->names);
  gtk_entry_set_placeholder_text (GTK_ENTRY (names), _("Names"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (names), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_hexpand (names, TRUE);
  gtk_grid_attach (self->grid, check, 0, (int) self->rows->len, 1, 1);
  gtk_grid_attach (self->grid, names, 1, (int) self->rows->len, 1, 1);
  g_array_append_val (self->rows, row);
}

static void
pb_meeting_attendance_dialog_dispose (GObject *object)
{
  PbMeetingAttendanceDialog *self = PB_MEETING_ATTENDANCE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_ATTENDANCE_DIALOG);
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (pb_meeting_attendance_dialog_parent_class)->dispose (object);
}

static void
pb_meeting_attendance_dialog_class_init (PbMeetingAttendanceDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_attendance_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-attendance-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAttendanceDialog, grid);
}

static void
pb_meeting_attendance_dialog_init (PbMeetingAttendanceDialog *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, (GDestroyNotify) row_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_meeting_attendance_dialog_new:
 *
 * Returns: (transfer none): the dialog, not shown yet, with the attendance recorded now
 */
PbMeetingAttendanceDialog *
pb_meeting_attendance_dialog_new (GtkWindow  *parent,
                                  PbStore    *store,
                                  const char *meeting_id)
{
  PbMeetingAttendanceDialog *self = g_object_new (PB_TYPE_MEETING_ATTENDANCE_DIALOG, "transient-for", parent,
                                                  "modal", TRUE, NULL);
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GPtrArray) recorded = pb_meeting_list_attendance (store, meeting_id, NULL);

  self->meeting_id = g_strdup (meeting_id);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      const PbOrganisation *org = orgs->pdata[i];
      const PbAttendance *found = NULL;

      for (guint k = 0; recorded && k < recorded->len; k++)
        if (g_strcmp0 (((PbAttendance *) recorded->pdata[k])->org, org->id) == 0)
          found = recorded->pdata[k];
      add_row (self, org, found);
    }
  return self;
}

const char *
pb_meeting_attendance_dialog_get_meeting (PbMeetingAttendanceDialog *self)
{
  g_return_val_if_fail (PB_IS_MEETING_ATTENDANCE_DIALOG (self), NULL);

  return self->meeting_id;
}

/**
 * pb_meeting_attendance_dialog_get_attendance:
 *
 * Returns: (transfer full) (element-type PbAttendanceSpec): every organisation as the
 *   dialog says now; the strings are the dialog's, valid while it lives and is not changed
 */
GArray *
pb_meeting_attendance_dialog_get_attendance (PbMeetingAttendanceDialog *self)
{
  GArray *out;

  g_return_val_if_fail (PB_IS_MEETING_ATTENDANCE_DIALOG (self), NULL);

  out = g_array_sized_new (FALSE, TRUE, sizeof (PbAttendanceSpec), self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      PbAttendanceSpec spec = { row->org, gtk_check_button_get_active (row->check),
                                gtk_editable_get_text (row->names) };

      g_array_append_val (out, spec);
    }
  return out;
}

/**
 * pb_meeting_attendance_dialog_set_in_room:
 * @org: an organisation's id
 *
 * Ticks an organisation in the room, or not, with who came for it.
 *
 * Returns: whether the organisation is in the dialog
 */
gboolean
pb_meeting_attendance_dialog_set_in_room (PbMeetingAttendanceDialog *self,
                                          const char                *org,
                                          gboolean                   in_room,
                                          const char                *names)
{
  g_return_val_if_fail (PB_IS_MEETING_ATTENDANCE_DIALOG (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (g_strcmp0 (row->org, org) != 0)
        continue;
      gtk_check_button_set_active (row->check, in_room);
      gtk_editable_set_text (row->names, names ? names : "");
      return TRUE;
    }
  return FALSE;
}
