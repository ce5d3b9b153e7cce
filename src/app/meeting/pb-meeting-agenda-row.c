/* pb-meeting-agenda-row.c: one entry of a meeting's agenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry's place on the agenda, its item's title (or "restricted item" when the
 * signed-in person may not see it), the item's organisation, handling code, hits and place,
 * and why it is on the agenda; whether it is presented now and whether it was decided. The
 * chair of an open meeting moves it up and down and takes it off the agenda: the buttons
 * are the page's actions, with the entry's id.
 *
 * A row shows one record of the agenda's live list; when the record changes, the list
 * replaces its item and the list box makes a new row. Its place, whether it is presented
 * and whether the agenda can be changed are the agenda's, and set from there.
 */

#define G_LOG_DOMAIN "pb-meeting-agenda-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-agenda-row.h"
#include "pb-meeting-lists.h"

struct _PbMeetingAgendaRow
{
  GtkListBoxRow  parent_instance;

  PbLiveItem    *item;
  guint          position;
  gboolean       presented;

  /* Template widgets */
  GtkLabel      *number_label;
  GtkLabel      *title_label;
  GtkLabel      *meta_label;
  GtkWidget     *presented_icon;
  GtkWidget     *decided_icon;
  GtkWidget     *edit_box;
  GtkWidget     *up_button;
  GtkWidget     *down_button;
  GtkWidget     *remove_button;
};

G_DEFINE_FINAL_TYPE (PbMeetingAgendaRow, pb_meeting_agenda_row, GTK_TYPE_LIST_BOX_ROW)

static const PbAgendaEntry *
entry_of (PbMeetingAgendaRow *self)
{
  return pb_live_item_get (self->item);
}

/* The card's source, handling code, hits and place, then why the entry is on the agenda. */
static char *
meta_text (const PbAgendaEntry *e)
{
  g_autoptr(GString) meta = g_string_new (NULL);
  g_autofree char *reasons = pb_agenda_reasons_label (e->reasons);

  if (e->card)
    {
      const char *hits = pb_card_get_hit_codes (e->card);

      g_string_append_printf (meta, "%s · TLP:%s", pb_card_get_source_code (e->card),
                              pb_tlp_to_string (pb_card_get_tlp (e->card)));
      if (hits && *hits)
        /* Translators: on an agenda entry: organisations that hold the same identifier */
        g_string_append_printf (meta, " · %s %s", _("hit with"), hits);
      if (e->port_area)
        g_string_append_printf (meta, " · %s", e->port_area);
    }
  g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", reasons);
  return g_string_free (g_steal_pointer (&meta), FALSE);
}

/* Screen readers hear the entry whole, and whether it is the one presented. */
static void
update_accessible (PbMeetingAgendaRow *self)
{
  g_autofree char *accessible = g_strdup_printf ("%s %s. %s%s", gtk_label_get_label (self->number_label),
                                                 gtk_label_get_label (self->title_label),
                                                 gtk_label_get_label (self->meta_label),
                                                 self->presented ? _(", presented now") : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
pb_meeting_agenda_row_dispose (GObject *object)
{
  PbMeetingAgendaRow *self = PB_MEETING_AGENDA_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_AGENDA_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (pb_meeting_agenda_row_parent_class)->dispose (object);
}

static void
pb_meeting_agenda_row_class_init (PbMeetingAgendaRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_agenda_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-agenda-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, presented_icon);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, decided_icon);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, edit_box);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAgendaRow, remove_button);
}

static void
pb_meeting_agenda_row_init (PbMeetingAgendaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_meeting_agenda_row_new:
 * @item: an item of the agenda's live list (a PbAgendaEntry)
 *
 * Returns: (transfer floating): the row
 */
PbMeetingAgendaRow *
pb_meeting_agenda_row_new (PbLiveItem *item)
{
  PbMeetingAgendaRow *self = g_object_new (PB_TYPE_MEETING_AGENDA_ROW, NULL);
  const PbAgendaEntry *e = pb_live_item_get (item);
  g_autofree char *title = pb_agenda_entry_title (e);
  g_autofree char *meta = meta_text (e);

  self->item = g_object_ref (item);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->meta_label, meta);
  gtk_widget_set_visible (self->decided_icon, e->n_decisions > 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->up_button), "(si)", e->id, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->up_button), "meeting.move-entry");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->down_button), "(si)", e->id, +1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->down_button), "meeting.move-entry");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", e->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove_button), "meeting.remove-entry");
  update_accessible (self);
  return self;
}

const char *
pb_meeting_agenda_row_get_entry_id (PbMeetingAgendaRow *self)
{
  g_return_val_if_fail (PB_IS_MEETING_AGENDA_ROW (self), NULL);

  return entry_of (self)->id;
}

/* Its place on the agenda, from 1. */
void
pb_meeting_agenda_row_set_position (PbMeetingAgendaRow *self,
                                    guint               position)
{
  g_autofree char *number = NULL;

  g_return_if_fail (PB_IS_MEETING_AGENDA_ROW (self));

  if (self->position == position)
    return;
  self->position = position;
  number = g_strdup_printf ("%u", position);
  gtk_label_set_label (self->number_label, number);
  update_accessible (self);
}

void
pb_meeting_agenda_row_set_presented (PbMeetingAgendaRow *self,
                                     gboolean            presented)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA_ROW (self));

  presented = !!presented;
  if (self->presented == presented)
    return;
  self->presented = presented;
  if (presented)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_widget_set_visible (self->presented_icon, presented);
  update_accessible (self);
}

/* The chair of an open meeting changes the agenda: the row's buttons show. */
void
pb_meeting_agenda_row_set_editable (PbMeetingAgendaRow *self,
                                    gboolean            editable)
{
  g_return_if_fail (PB_IS_MEETING_AGENDA_ROW (self));

  gtk_widget_set_visible (self->edit_box, editable);
}
