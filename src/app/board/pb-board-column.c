/* pb-board-column.c: one column of the board, a filtered view of the board's cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-board-column"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-board.h"
#include "pb-board-column.h"
#include "pb-card-filter-model.h"
#include "pb-card-row.h"

struct _PbBoardColumn
{
  GtkWidget           parent_instance;

  PbStatus            status;
  PbBoard            *board;
  PbCardFilterModel  *model;
  GtkSingleSelection *selection;
  PbCard             *pending_focus;
  guint               focus_source;
  GHashTable         *marks;          /* the board's selected cards, not owned */
  gboolean            selecting;

  /* Template widgets */
  GtkLabel           *title;
  GtkLabel           *count;
  GtkListView        *list_view;
  GtkWidget          *scroller;
  GtkToggleButton    *expand_button;
};

G_DEFINE_FINAL_TYPE (PbBoardColumn, pb_board_column, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CARD_ACTIVATED,
  SIGNAL_CARD_DROPPED,
  SIGNAL_MARKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    PbCardRow     *row)
{
  PbCard *card = pb_card_row_get_card (row);

  if (card == NULL)
    return NULL;
  return gdk_content_provider_new_typed (PB_TYPE_CARD, card);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  PbCardRow     *row)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (GTK_WIDGET (row));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
  g_object_unref (paintable);
}

static void
on_row_mark_toggled_cb (PbCardRow     *row,
                        gboolean       marked,
                        PbBoardColumn *self)
{
  PbCard *card = pb_card_row_get_card (row);

  if (card != NULL)
    pb_board_column_set_marked (self, card, marked);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              PbBoardColumn            *self)
{
  PbCardRow *row = pb_card_row_new ();
  GtkDragSource *source = gtk_drag_source_new ();

  /* Cards are dragged between and within columns; the keyboard does the same with Alt+arrows. */
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), row);
  g_signal_connect (row, "mark-toggled", G_CALLBACK (on_row_mark_toggled_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (source));
  gtk_list_item_set_child (list_item, GTK_WIDGET (row));
}

/* The card under a point of the list, if any. */
static PbCard *
card_at (PbBoardColumn *self,
         double         x,
         double         y,
         gboolean      *lower_half)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked ? gtk_widget_get_ancestor (picked, PB_TYPE_CARD_ROW) : NULL;
  graphene_point_t point = GRAPHENE_POINT_INIT (x, y), local;

  if (row == NULL)
    return NULL;
  if (gtk_widget_compute_point (GTK_WIDGET (self->list_view), row, &point, &local))
    *lower_half = local.y > gtk_widget_get_height (row) / 2.0;
  return pb_card_row_get_card (PB_CARD_ROW (row));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            PbBoardColumn *self)
{
  PbCard *dropped = g_value_get_object (value);
  gboolean lower = FALSE;
  PbCard *under = card_at (self, x, y, &lower);
  g_autoptr(PbCard) before = NULL;
  gboolean moved = FALSE;

  if (dropped == NULL)
    return FALSE;

  /* Dropped on the lower half of a card: after it, so before the card that follows. */
  if (under != NULL && lower)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PbCard) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);
          if (item == under && i + 1 < n)
            before = g_list_model_get_item (G_LIST_MODEL (self->model), i + 1);
        }
    }
  else if (under != NULL)
    before = g_object_ref (under);

  if (before == dropped)
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_CARD_DROPPED], 0, dropped, before, &moved);
  return moved;
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  PbBoardColumn *self = user_data;
  PbCardRow *row = PB_CARD_ROW (gtk_list_item_get_child (list_item));
  PbCard *card = gtk_list_item_get_item (list_item);

  pb_card_row_set_card (row, card);
  /* What the card shows besides its row is read for the cards on screen, by the board. */
  pb_board_want_details (self->board, card);
  pb_card_row_set_marking (row, self->selecting,
                           self->marks != NULL && g_hash_table_contains (self->marks, card));
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
on_expand_toggled_cb (GtkToggleButton *button,
                      PbBoardColumn   *self)
{
  gboolean expanded = gtk_toggle_button_get_active (button);

  gtk_widget_set_visible (self->scroller, expanded);
  gtk_widget_set_hexpand (GTK_WIDGET (self), expanded);
  gtk_widget_set_size_request (GTK_WIDGET (self), expanded ? 200 : -1, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), expanded ? _("Hide the cards of this column")
                                                             : _("Show the cards of this column"));
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
}

static void
refresh_marks (PbBoardColumn *self,
               GtkWidget     *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (PB_IS_CARD_ROW (child))
        {
          PbCard *card = pb_card_row_get_card (PB_CARD_ROW (child));
          pb_card_row_set_marking (PB_CARD_ROW (child), self->selecting,
                                   card && self->marks && g_hash_table_contains (self->marks, card));
        }
      else
        refresh_marks (self, child);
    }
}

/**
 * pb_board_column_set_marks:
 * @marks: (nullable): the board's set of selected cards, shared by its columns
 * @selecting: whether cards show their check box
 *
 * Shows the selection on the rows that exist (the list makes the others when they scroll
 * into view, from @marks).
 */
void
pb_board_column_set_marks (PbBoardColumn *self,
                           GHashTable    *marks,
                           gboolean       selecting)
{
  self->marks = marks;
  self->selecting = selecting;
  refresh_marks (self, GTK_WIDGET (self->list_view));
}

/**
 * pb_board_column_set_marked:
 *
 * Adds @card to the board's selection or takes it out, and says so with
 * #PbBoardColumn::marks-changed.
 */
void
pb_board_column_set_marked (PbBoardColumn *self,
                            PbCard        *card,
                            gboolean       marked)
{
  if (self->marks == NULL)
    return;
  if (marked)
    g_hash_table_add (self->marks, g_object_ref (card));
  else
    g_hash_table_remove (self->marks, card);
  refresh_marks (self, GTK_WIDGET (self->list_view));
  g_signal_emit (self, signals[SIGNAL_MARKS_CHANGED], 0);
}

/**
 * pb_board_column_set_collapsible:
 *
 * Gives the column a button that hides its cards (the Closed column starts hidden: it only
 * grows). The header and the count stay.
 */
void
pb_board_column_set_collapsible (PbBoardColumn *self,
                                 gboolean       collapsed)
{
  gtk_widget_set_visible (GTK_WIDGET (self->expand_button), TRUE);
  gtk_toggle_button_set_active (self->expand_button, !collapsed);
  on_expand_toggled_cb (self->expand_button, self);
}

gboolean
pb_board_column_get_expanded (PbBoardColumn *self)
{
  return gtk_widget_get_visible (self->scroller);
}

static void
pb_board_column_dispose (GObject *object)
{
  PbBoardColumn *self = PB_BOARD_COLUMN (object);
  GtkWidget *child;

  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_clear_object (&self->pending_focus);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_BOARD_COLUMN);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->board);

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
  /* A card was dropped here, to go before a card (or at the end when that is NULL).
   * Returns whether it moved. */
  signals[SIGNAL_CARD_DROPPED] =
    g_signal_new ("card-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_BOOLEAN, 2, PB_TYPE_CARD, PB_TYPE_CARD);
  /* A card was selected or unselected (the board's marks changed). */
  signals[SIGNAL_MARKS_CHANGED] =
    g_signal_new ("marks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "boardcolumn");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-board-column.ui");
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, title);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, count);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, list_view);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, scroller);
  gtk_widget_class_bind_template_child (widget_class, PbBoardColumn, expand_button);
  gtk_widget_class_bind_template_callback (widget_class, on_expand_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
}

static void
pb_board_column_init (PbBoardColumn *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

/**
 * pb_board_column_new:
 * @board: the board whose column @status this shows
 *
 * A column showing the board's cards of @status, all of them until
 * pb_board_column_set_filter().
 */
PbBoardColumn *
pb_board_column_new (PbBoard *board,
                     PbStatus status)
{
  PbBoardColumn *self = g_object_new (PB_TYPE_BOARD_COLUMN, NULL);
  GtkSingleSelection *selection;

  self->status = status;
  self->board = g_object_ref (board);
  self->model = pb_card_filter_model_new (pb_board_get_column (board, status));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_DEFAULT);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  self->selection = selection;
  {
    GtkDropTarget *drop = gtk_drop_target_new (PB_TYPE_CARD, GDK_ACTION_MOVE);
    g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
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

/**
 * pb_board_column_set_filter:
 * @set: (nullable): the items to show; %NULL for all
 */
void
pb_board_column_set_filter (PbBoardColumn *self,
                            PbItemSet     *set)
{
  pb_card_filter_model_set_filter (self->model, set);
}

PbStatus
pb_board_column_get_status (PbBoardColumn *self)
{
  return self->status;
}

/**
 * pb_board_column_get_selected:
 *
 * Returns: (transfer none) (nullable): the card selected in this column; moving through a
 *   list with the keyboard selects the card that gets the focus.
 */
PbCard *
pb_board_column_get_selected (PbBoardColumn *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static PbCardRow *
find_row (GtkWidget *widget,
          PbCard    *card)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      PbCardRow *row;

      if (PB_IS_CARD_ROW (child) && pb_card_row_get_card (PB_CARD_ROW (child)) == card)
        return PB_CARD_ROW (child);
      if ((row = find_row (child, card)))
        return row;
    }
  return NULL;
}

/* Runs after the list has made a row for the card: focusing it then is what makes screen
 * readers hear the card in its new place (GTK 4.8 has no announcements). */
static gboolean
focus_pending_cb (gpointer user_data)
{
  PbBoardColumn *self = user_data;
  PbCardRow *row;
  guint position = G_MAXUINT;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  self->focus_source = 0;
  if (self->pending_focus == NULL)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < n && position == G_MAXUINT; i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      if (card == self->pending_focus)
        position = i;
    }

  row = find_row (GTK_WIDGET (self->list_view), self->pending_focus);
  if (row != NULL && position != G_MAXUINT)
    {
      GtkWidget *item_widget = gtk_widget_get_parent (GTK_WIDGET (row));
      g_autofree char *where = g_strdup_printf (_("%s, card %u of %u"), pb_status_label (self->status),
                                                position + 1, n);

      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, where, -1);
      if (item_widget)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                          where, -1);
          gtk_widget_grab_focus (item_widget);
        }
    }
  g_clear_object (&self->pending_focus);
  return G_SOURCE_REMOVE;
}

/**
 * pb_board_column_focus_card:
 *
 * Selects @card, scrolls to it, and gives it the keyboard focus once its row exists.
 */
void
pb_board_column_focus_card (PbBoardColumn *self,
                            PbCard        *card)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbCard) item = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (item == card)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          g_set_object (&self->pending_focus, card);
          g_clear_handle_id (&self->focus_source, g_source_remove);
          self->focus_source = g_idle_add (focus_pending_cb, self);
          return;
        }
    }
}

/**
 * pb_board_column_drop_card:
 *
 * What a drop of @card on the column does, at the point (@x, @y) of its list.
 */
gboolean
pb_board_column_drop_card (PbBoardColumn *self,
                           PbCard        *card,
                           double         x,
                           double         y)
{
  GValue value = G_VALUE_INIT;
  gboolean moved;

  g_value_init (&value, PB_TYPE_CARD);
  g_value_set_object (&value, card);
  moved = on_drop_cb (NULL, &value, x, y, self);
  g_value_unset (&value);
  return moved;
}
