/* pb-board-column.c: one column of the board, a filtered view of the board's cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-board-column"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-board-column.h"
#include "pb-card-row.h"

struct _PbBoardColumn
{
  GtkWidget           parent_instance;

  PbStatus            status;
  GtkFilterListModel *model;

  /* Template widgets */
  GtkLabel           *title;
  GtkLabel           *count;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (PbBoardColumn, pb_board_column, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CARD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
in_column (gpointer item,
           gpointer user_data)
{
  PbBoardColumn *self = user_data;
  return pb_card_get_status (item) == self->status;
}

static void
update_count (PbBoardColumn *self)
{
  g_autofree char *text = g_strdup_printf ("%u", g_list_model_get_n_items (G_LIST_MODEL (self->model)));
  gtk_label_set_label (self->count, text);
}

static void
on_items_changed_cb (GListModel    *model,
                     guint          position,
                     guint          removed,
                     guint          added,
                     PbBoardColumn *self)
{
  update_count (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, GTK_WIDGET (pb_card_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  pb_card_row_set_card (PB_CARD_ROW (gtk_list_item_get_child (list_item)),
                        gtk_list_item_get_item (list_item));
}

static void
on_activate_cb (GtkListView   *list_view,
                guint          position,
                PbBoardColumn *self)
{
  g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (card)
    g_signal_emit (self, signals[SIGNAL_CARD_ACTIVATED], 0, card);
}

static void
pb_board_column_dispose (GObject *object)
{
  PbBoardColumn *self = PB_BOARD_COLUMN (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_BOARD_COLUMN);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (pb_board_column_parent_class)->dispose (object);
}

static void
pb_board_column_class_init (PbBoardColumnClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_board_column_dispose;

  signals[SIGNAL_CARD_ACTIVATED] =
    g_signal_new ("card-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, PB_TYPE_CARD);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "boardcolumn");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-board-column.ui");
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, title);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, count);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
}

static void
pb_board_column_init (PbBoardColumn *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PbBoardColumn *
pb_board_column_new (PbStatus    status,
                     GListModel *cards)
{
  PbBoardColumn *self = g_object_new (PB_TYPE_BOARD_COLUMN, NULL);
  GtkCustomFilter *filter = gtk_custom_filter_new (in_column, self, NULL);
  GtkSingleSelection *selection;

  self->status = status;
  self->model = gtk_filter_list_model_new (g_object_ref (cards), GTK_FILTER (filter));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_DEFAULT);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_label_set_label (self->title, pb_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pb_status_label (status), -1);
  update_count (self);
  return self;
}

GListModel *
pb_board_column_get_model (PbBoardColumn *self)
{
  return G_LIST_MODEL (self->model);
}
