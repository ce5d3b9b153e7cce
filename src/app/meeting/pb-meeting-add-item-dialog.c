/* pb-meeting-add-item-dialog.c: the chair puts an item on the agenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search over the items the chair may see (by title, report or identifier), the first
 * dozen found listed; the item chosen can be added. The page that opened the dialog adds
 * it to the meeting's agenda when the dialog answers "add".
 */

#define G_LOG_DOMAIN "pb-meeting-add-item-dialog"

#include "config.h"

#include "pb-meeting-add-item-dialog.h"

#define MAX_FOUND 12

struct _PbMeetingAddItemDialog
{
  AdwMessageDialog  parent_instance;

  PbStore          *store;
  char             *meeting_id;
  GListStore       *found;     /* PbCard */

  /* Template widgets */
  GtkSearchEntry   *search_entry;
  GtkListBox       *results;
};

G_DEFINE_FINAL_TYPE (PbMeetingAddItemDialog, pb_meeting_add_item_dialog, ADW_TYPE_MESSAGE_DIALOG)

static GtkWidget *
result_row (gpointer item,
            gpointer data)
{
  PbCard *card = item;
  g_autofree char *text = g_strdup_printf ("%s · %s", pb_card_get_source_code (card), pb_card_get_title (card));
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  return row;
}

static void
on_search_changed_cb (PbMeetingAddItemDialog *self)
{
  g_autoptr(GPtrArray) cards = NULL;

  if (self->store == NULL)
    return;
  cards = pb_store_search_cards (self->store, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), MAX_FOUND,
                                 NULL);
  g_list_store_splice (self->found, 0, g_list_model_get_n_items (G_LIST_MODEL (self->found)),
                       cards ? cards->pdata : NULL, cards ? cards->len : 0);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", FALSE);
}

static void
on_row_selected_cb (PbMeetingAddItemDialog *self,
                    GtkListBoxRow          *row)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", row != NULL);
}

static void
pb_meeting_add_item_dialog_dispose (GObject *object)
{
  PbMeetingAddItemDialog *self = PB_MEETING_ADD_ITEM_DIALOG (object);

  /* The results' rows go after the dialog's answers when it is destroyed with its window:
   * their selection must not reach the dialog then. */
  if (self->results)
    g_signal_handlers_disconnect_by_data (self->results, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_ADD_ITEM_DIALOG);
  g_clear_object (&self->found);
  g_clear_object (&self->store);
  g_clear_pointer (&self->meeting_id, g_free);

  G_OBJECT_CLASS (pb_meeting_add_item_dialog_parent_class)->dispose (object);
}

static void
pb_meeting_add_item_dialog_class_init (PbMeetingAddItemDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_add_item_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-add-item-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAddItemDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingAddItemDialog, results);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected_cb);
}

static void
pb_meeting_add_item_dialog_init (PbMeetingAddItemDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->found = g_list_store_new (PB_TYPE_CARD);
  gtk_list_box_bind_model (self->results, G_LIST_MODEL (self->found), result_row, NULL, NULL);
}

/**
 * pb_meeting_add_item_dialog_new:
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbMeetingAddItemDialog *
pb_meeting_add_item_dialog_new (GtkWindow  *parent,
                                PbStore    *store,
                                const char *meeting_id)
{
  PbMeetingAddItemDialog *self = g_object_new (PB_TYPE_MEETING_ADD_ITEM_DIALOG, "transient-for", parent,
                                               "modal", TRUE, NULL);

  self->store = g_object_ref (store);
  self->meeting_id = g_strdup (meeting_id);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

const char *
pb_meeting_add_item_dialog_get_meeting (PbMeetingAddItemDialog *self)
{
  g_return_val_if_fail (PB_IS_MEETING_ADD_ITEM_DIALOG (self), NULL);

  return self->meeting_id;
}

/* The item chosen, or %NULL. */
const char *
pb_meeting_add_item_dialog_get_item (PbMeetingAddItemDialog *self)
{
  GtkListBoxRow *row;
  g_autoptr(PbCard) card = NULL;

  g_return_val_if_fail (PB_IS_MEETING_ADD_ITEM_DIALOG (self), NULL);

  row = gtk_list_box_get_selected_row (self->results);
  card = row ? g_list_model_get_item (G_LIST_MODEL (self->found), gtk_list_box_row_get_index (row)) : NULL;
  /* The store holds the card: its id lives as long as the list does. */
  return card ? pb_card_get_id (card) : NULL;
}

/* Searches at once for @text, as if it were typed. */
void
pb_meeting_add_item_dialog_search (PbMeetingAddItemDialog *self,
                                   const char             *text)
{
  g_return_if_fail (PB_IS_MEETING_ADD_ITEM_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_changed_cb (self);
}

/**
 * pb_meeting_add_item_dialog_choose:
 *
 * Chooses an item among those found.
 *
 * Returns: whether it was found
 */
gboolean
pb_meeting_add_item_dialog_choose (PbMeetingAddItemDialog *self,
                                   const char             *item_id)
{
  g_return_val_if_fail (PB_IS_MEETING_ADD_ITEM_DIALOG (self), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->found)); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (self->found), i);

      if (g_strcmp0 (pb_card_get_id (card), item_id) == 0)
        {
          gtk_list_box_select_row (self->results, gtk_list_box_get_row_at_index (self->results, (int) i));
          return TRUE;
        }
    }
  return FALSE;
}
