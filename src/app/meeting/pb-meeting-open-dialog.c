/* pb-meeting-open-dialog.c: the chair opens a meeting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its title (the next in the series is suggested), its place (the last meeting's is
 * suggested) and when it starts (now is suggested), as "YYYY-MM-DD HH:MM" in local time;
 * the meeting can be opened once there is a title and a start that is a date and time. The
 * page that opened the dialog opens the meeting when the dialog answers "open".
 */

#define G_LOG_DOMAIN "pb-meeting-open-dialog"

#include "config.h"

#include <stdio.h>

#include "pb-meeting-open-dialog.h"

struct _PbMeetingOpenDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEntry         *title_entry;
  GtkEntry         *place_entry;
  GtkEntry         *starts_entry;
};

G_DEFINE_FINAL_TYPE (PbMeetingOpenDialog, pb_meeting_open_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* "YYYY-MM-DD HH:MM" in local time, in seconds since 1970; 0 when @text is not one. */
static gint64
parse_start (const char *text)
{
  int y, mo, d, h, mi;
  char end;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &end) != 5)
    return 0;
  dt = g_date_time_new_local (y, mo, d, h, mi, 0);
  return dt ? g_date_time_to_unix (dt) : 0;
}

static void
on_changed_cb (PbMeetingOpenDialog *self)
{
  g_autofree char *title = pb_meeting_open_dialog_get_title (self);
  gboolean valid_start = pb_meeting_open_dialog_get_starts (self) > 0;

  if (valid_start)
    gtk_widget_remove_css_class (GTK_WIDGET (self->starts_entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->starts_entry), "error");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "open", *title != '\0' && valid_start);
}

static void
pb_meeting_open_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PB_TYPE_MEETING_OPEN_DIALOG);

  G_OBJECT_CLASS (pb_meeting_open_dialog_parent_class)->dispose (object);
}

static void
pb_meeting_open_dialog_class_init (PbMeetingOpenDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_open_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-open-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingOpenDialog, title_entry);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingOpenDialog, place_entry);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingOpenDialog, starts_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
pb_meeting_open_dialog_init (PbMeetingOpenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_meeting_open_dialog_new:
 * @title: the title suggested
 * @place: (nullable): the place suggested
 *
 * Returns: (transfer none): the dialog, not shown yet; it starts now
 */
PbMeetingOpenDialog *
pb_meeting_open_dialog_new (GtkWindow  *parent,
                            const char *title,
                            const char *place)
{
  PbMeetingOpenDialog *self = g_object_new (PB_TYPE_MEETING_OPEN_DIALOG, "transient-for", parent, "modal", TRUE,
                                            NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%d %H:%M");

  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title);
  gtk_editable_set_text (GTK_EDITABLE (self->place_entry), place ? place : "");
  gtk_editable_set_text (GTK_EDITABLE (self->starts_entry), now_text);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  return self;
}

/* The title, without blanks around it. */
char *
pb_meeting_open_dialog_get_title (PbMeetingOpenDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
}

const char *
pb_meeting_open_dialog_get_place (PbMeetingOpenDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->place_entry));
}

/* When it starts, in seconds since 1970; 0 when what was typed is not a date and time. */
gint64
pb_meeting_open_dialog_get_starts (PbMeetingOpenDialog *self)
{
  return parse_start (gtk_editable_get_text (GTK_EDITABLE (self->starts_entry)));
}
