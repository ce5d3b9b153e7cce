/* test-gui-board.c: the board: following synced changes, keyboard moves and undo, drag and drop, search and filters, a case from a selection
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

/* ---- The board follows what another connection wrote ------------------------------ */


/* A thousand items changed by the synchronisation (another connection, announced to the
 * window's store as the sync controller does): the open board follows without being read
 * again; the column stays where it was scrolled to and its selected card stays selected. */
void
test_board_follows (void)
{
  g_autofree char *path = pb_test_tmp_path ("follow.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) other = NULL;
  g_autoptr(PbChangeSet) changes = pb_change_set_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GPtrArray) scrollers = g_ptr_array_new ();
  g_autofree char *chair = NULL;
  PbDemoOptions options;
  PbWindow *window;
  PbBoardPage *page;
  PbBoard *board;
  PbBoardColumn *incoming = NULL;
  GtkAdjustment *adjustment;
  GListModel *column;
  PbCard *selected;
  double scrolled;
  guint written = 0;

  {
    g_autoptr(PbStore) store = pb_store_open (path, &error);
    g_autoptr(GPtrArray) people = NULL;

    g_assert_no_error (error);
    pb_demo_options_init (&options);
    options.n_items = 3000;
    options.no_meetings = TRUE;
    g_assert_true (pb_demo_generate (store, &options, &error));
    g_assert_no_error (error);
    people = pb_store_list_people (store, NULL);
    for (guint i = 0; chair == NULL && i < people->len; i++)
      if (((PbPerson *) people->pdata[i])->role == PB_ROLE_CHAIR)
        chair = g_strdup (((PbPerson *) people->pdata[i])->id);
  }

  window = pb_window_new (NULL, NULL, path, chair);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (g_str_equal (pb_window_get_state (window), "content"));
  page = first_of (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE);
  board = pb_board_page_get_board (page);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  for (guint i = 0; i < columns->len; i++)
    if (pb_board_column_get_status (columns->pdata[i]) == PB_STATUS_INCOMING)
      incoming = columns->pdata[i];
  g_assert_nonnull (incoming);
  collect (GTK_WIDGET (incoming), GTK_TYPE_SCROLLED_WINDOW, scrollers);
  adjustment = gtk_scrolled_window_get_vadjustment (scrollers->pdata[0]);
  column = pb_board_column_get_model (incoming);
  g_assert_cmpuint (g_list_model_get_n_items (column), >, 300);

  /* A card far down the column selected, and scrolled to. */
  selected = g_list_model_get_item (column, 150);
  g_object_unref (selected);
  pb_board_column_focus_card (incoming, selected);
  WAIT_FOR (pb_board_column_get_selected (incoming) == selected && gtk_adjustment_get_value (adjustment) > 0);
  wait_frames (GTK_WIDGET (window), 3);
  scrolled = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (scrolled, >, 0);
  g_assert_cmpuint (pb_board_get_loads (board), ==, 1);

  /* Another connection writes: the cards above the selected one change where they stand,
   * those further down go on to another column, and the other columns' cards change too. */
  other = pb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (pb_store_set_actor (other, chair, &error));
  g_signal_connect (other, "rows-changed", G_CALLBACK (collect_changes_cb), changes);
  g_assert_true (pb_store_begin (other, &error));
  for (PbStatus s = 0; s < PB_N_STATUSES && written < 1000; s++)
    {
      GListModel *cards = pb_board_get_column (board, s);

      for (guint i = 0; i < g_list_model_get_n_items (cards) && written < 1000; i++)
        {
          g_autoptr(PbCard) card = g_list_model_get_item (cards, i);
          g_autoptr(PbRecord) r = pb_record_new ("items", pb_card_get_id (card));

          if (card == selected)
            continue;
          if (s == PB_STATUS_INCOMING && i > 300)
            pb_record_set_string (r, "status", "monitoring");
          else
            pb_record_set_string (r, "priority", pb_card_get_priority (card) == PB_PRIORITY_URGENT ? "low" : "urgent");
          g_assert_true (pb_store_write (other, PB_OP_UPDATE, r, &error));
          g_assert_no_error (error);
          written++;
        }
    }
  g_assert_true (pb_store_commit (other, &error));
  g_assert_cmpuint (written, ==, 1000);
  g_assert_cmpuint (pb_change_set_count (changes, "items"), ==, 1000);

  pb_store_announce (pb_window_get_store (window), changes);
  wait_frames (GTK_WIDGET (window), 3);

  g_assert_cmpuint (pb_board_get_loads (board), ==, 1);
  g_assert_true (pb_board_column_get_selected (incoming) == selected);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, scrolled);
  g_assert_cmpuint (g_list_model_get_n_items (column), ==, 301);

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0);
}

static gboolean
column_holds (PbBoardPage *page,
              PbStatus     status,
              const char  *item)
{
  GListModel *column = pb_board_page_get_column (page, status);

  for (guint i = 0; i < g_list_model_get_n_items (column); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (column, i);
      if (g_str_equal (pb_card_get_id (card), item))
        return TRUE;
    }
  return FALSE;
}


/* Alt+→ on a focused card: the card moves to the next column in the store and on the
 * board, keeps the focus, and Ctrl+Z puts it back. */
void
test_keyboard_move_and_undo (void)
{
  g_autofree char *officer = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page;
  g_autoptr(PbCard) card = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *second_id = NULL;
  guint incoming_before;
  GtkWidget *focus;

  show_window (window);
  page = board_of (window);
  incoming_before = g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING));
  card = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  id = g_strdup (pb_card_get_id (card));

  /* Focus the first card of Incoming, as the keyboard would. */
  {
    g_autoptr(GPtrArray) columns = g_ptr_array_new ();
    collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
    pb_board_column_focus_card (g_ptr_array_index (columns, 0), card);
  }
  /* The focus is given in an idle callback: wait for it. */
  WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (window))) && gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));

  /* The move is written and shown as the action runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "assessment");
  g_assert_false (column_holds (page, PB_STATUS_INCOMING, id));
  g_assert_true (column_holds (page, PB_STATUS_ASSESSMENT, id));
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming_before - 1);
  /* The focus followed the card (in an idle callback: wait for it). */
  WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (window)))
            && gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN)
            && pb_board_column_get_status (PB_BOARD_COLUMN (gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN)))
               == PB_STATUS_ASSESSMENT);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN));
  g_assert_cmpint (pb_board_column_get_status (PB_BOARD_COLUMN (gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN))), ==, PB_STATUS_ASSESSMENT);

  /* Assessment → Lead assigned is refused without a lead organisation: nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
  g_clear_pointer (&status, g_free);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "assessment");
  g_assert_true (column_holds (page, PB_STATUS_ASSESSMENT, id));

  /* Undo puts it back in Incoming, at the top where it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
  g_clear_pointer (&status, g_free);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "incoming");

  /* A card that has the focus without being selected (Tab into a column) moves too. */
  {
    g_autoptr(PbCard) second = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 1);
    g_autofree char *second_status = NULL;
    PbCardRow *row = row_of (GTK_WIDGET (page), second);

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row))));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
    second_id = g_strdup (pb_card_get_id (second));
    second_status = db_status (window, second_id);
    g_assert_cmpstr (second_status, ==, "assessment");
  }

  /* Undo again: the last move is undone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
  {
    g_autofree char *second_status = db_status (window, second_id);

    g_assert_cmpstr (second_status, ==, "incoming");
  }
  g_clear_pointer (&status, g_free);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "incoming");
  {
    g_autoptr(PbCard) first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
    g_assert_cmpstr (pb_card_get_id (first), ==, id);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

void
test_partner_cannot_move (void)
{
  g_autofree char *partner = person_of_role ("partner");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, partner);
  PbBoardPage *page = board_of (window);
  g_autoptr(PbCard) card = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autofree char *status = NULL;
  gint64 changes = pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM change_log");

  show_window (window);
  card = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  pb_board_column_focus_card (g_ptr_array_index (columns, 0), card);
  WAIT_FOR (gtk_root_get_focus (GTK_ROOT (window))
            && gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (page)));

  /* The moves are disabled for a partner: Alt+→ does nothing, not even try the store. */
  gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL);
  status = db_status (window, pb_card_get_id (card));
  g_assert_cmpstr (status, ==, "incoming");
  g_assert_true (column_holds (page, PB_STATUS_INCOMING, pb_card_get_id (card)));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM change_log"), ==, changes);
  /* The actions are disabled, not only refused: the buttons bound to them are insensitive. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    gboolean found = FALSE;

    collect (GTK_WIDGET (page), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), "board.new-item") == 0)
        {
          found = TRUE;
          g_assert_false (gtk_widget_get_sensitive (g_ptr_array_index (buttons, i)));
        }
    g_assert_true (found);
  }
  /* And the store would refuse it anyway. */
  g_assert_false (pb_board_page_move_card (page, card, PB_STATUS_ASSESSMENT, NULL));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM change_log"), ==, changes);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

/* Dropping a card on the upper half of another puts it before that one, in that column. */
void
test_drag_and_drop (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbBoardPage *page = board_of (window);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(PbCard) dragged = NULL;
  g_autoptr(PbCard) target = NULL;
  g_autofree char *status = NULL;
  PbBoardColumn *monitoring;
  GtkWidget *list;
  PbCardRow *row;
  graphene_point_t top = GRAPHENE_POINT_INIT (10, 5), in_list;

  show_window (window);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  monitoring = g_ptr_array_index (columns, PB_STATUS_MONITORING);
  dragged = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  target = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_MONITORING), 0);

  list = list_of (monitoring);
  row = row_of (list, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), list, &top, &in_list));
  g_assert_true (pb_board_column_drop_card (monitoring, dragged, in_list.x, in_list.y));

  status = db_status (window, pb_card_get_id (dragged));
  g_assert_cmpstr (status, ==, "monitoring");
  {
    g_autoptr(PbCard) first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_MONITORING), 0);
    g_autoptr(PbCard) second = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_MONITORING), 1);
    g_assert_cmpstr (pb_card_get_id (first), ==, pb_card_get_id (dragged));
    g_assert_cmpstr (pb_card_get_id (second), ==, pb_card_get_id (target));
  }

  /* Undo takes it back to Incoming. */
  g_assert_true (pb_board_page_undo (page));
  g_clear_pointer (&status, g_free);
  status = db_status (window, pb_card_get_id (dragged));
  g_assert_cmpstr (status, ==, "incoming");
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

/* Typing in the search field narrows every column to what the full-text index finds;
 * Ctrl+F gets there; clearing shows everything again. */
void
test_search_filters_columns (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbBoardPage *page = board_of (window);
  GtkWidget *entry = pb_filter_bar_get_search_entry (pb_board_page_get_filter_bar (page));
  guint all;

  show_window (window);
  all = shown (page);
  g_assert_cmpuint (all, ==, g_list_model_get_n_items (pb_board_page_get_cards (page)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.search", NULL));
  WAIT_FOR (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));

  search_for (page, "reefer");
  g_assert_cmpuint (shown (page), >, 0);
  g_assert_cmpuint (shown (page), <, all);
  for (PbStatus s = 0; s < PB_N_STATUSES; s++)
    {
      GListModel *column = pb_board_page_get_column (page, s);
      for (guint i = 0; i < g_list_model_get_n_items (column); i++)
        {
          g_autoptr(PbCard) card = g_list_model_get_item (column, i);
          g_autoptr(GHashTable) fields = pb_store_open_item (pb_window_get_store (window), pb_card_get_id (card), NULL);
          g_autofree char *both = g_strconcat (g_hash_table_lookup (fields, "title"), " ",
                                               (char *) g_hash_table_lookup (fields, "body"), NULL);
          g_autofree char *text = g_utf8_strdown (both, -1);
          g_assert_nonnull (strstr (text, "reefer"));
        }
    }

  /* A container number, by its first characters. */
  {
    g_autoptr(PbCard) any = NULL;
    g_autofree char *prefix = NULL;

    for (guint i = 0; prefix == NULL && i < g_list_model_get_n_items (pb_board_page_get_cards (page)); i++)
      {
        g_clear_object (&any);
        any = g_list_model_get_item (pb_board_page_get_cards (page), i);
        if (pb_card_get_main_identifier (any))
          prefix = g_strndup (pb_card_get_main_identifier (any), 8);
      }
    g_assert_nonnull (prefix);
    search_for (page, prefix);
    g_assert_cmpuint (shown (page), >=, 1);
    g_assert_cmpuint (shown (page), <, all);
  }

  search_for (page, "");
  g_assert_cmpuint (shown (page), ==, all);

  /* Every part of a filter narrows; the store decides what matches. */
  {
    PbFilter filter = { 0 };
    g_autoptr(PbItemSet) ids = NULL;

    filter.tlp_mask = 1u << PB_TLP_RED;
    g_assert_true (pb_board_page_apply_filter (page, &filter, NULL));
    ids = pb_store_filter_items (pb_window_get_store (window), &filter, NULL);
    for (PbStatus s = 0; s < PB_N_STATUSES; s++)
      {
        GListModel *column = pb_board_page_get_column (page, s);
        for (guint i = 0; i < g_list_model_get_n_items (column); i++)
          {
            g_autoptr(PbCard) card = g_list_model_get_item (column, i);
            g_assert_cmpint (pb_card_get_tlp (card), ==, PB_TLP_RED);
            g_assert_true (pb_item_set_contains (ids, pb_card_get_rowid (card)));
          }
      }
    g_assert_cmpuint (shown (page), >, 0);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

/* A filter saved under a name comes back as it was. */
void
test_saved_filters (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.portboard.Portboard");
  PbWindow *window = pb_window_new (NULL, settings, demo_path, chair);
  PbBoardPage *page = board_of (window);
  GtkWidget *entry = pb_filter_bar_get_search_entry (pb_board_page_get_filter_bar (page));
  guint all, narrowed;

  show_window (window);
  all = shown (page);
  search_for (page, "seal");
  narrowed = shown (page);
  g_assert_cmpuint (narrowed, <, all);
  g_assert_true (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "  Seals  "));
  g_assert_false (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "   "));
  g_assert_cmpuint (g_variant_n_children (g_settings_get_value (settings, "saved-filters")), ==, 1);

  search_for (page, "");
  g_assert_cmpuint (shown (page), ==, all);
  /* A saved filter is put back and applied at once. */
  g_assert_true (pb_filter_bar_apply_saved (pb_board_page_get_filter_bar (page), "Seals"));
  g_assert_cmpuint (shown (page), ==, narrowed);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "seal");
  g_assert_false (pb_filter_bar_apply_saved (pb_board_page_get_filter_bar (page), "No such filter"));

  /* Saving under the same name replaces it. */
  g_assert_true (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "Seals"));
  g_assert_cmpuint (g_variant_n_children (g_settings_get_value (settings, "saved-filters")), ==, 1);

  /* The terminal and the modus operandi narrow too, and are saved with a filter. */
  {
    g_autoptr(GPtrArray) drops = g_ptr_array_new ();
    GtkDropDown *mo = NULL, *terminal = NULL;
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (first_of (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON)));
    guint by_terminal;

    search_for (page, "");
    collect (popover, GTK_TYPE_DROP_DOWN, drops);
    g_assert_cmpuint (drops->len, ==, 2);
    mo = g_ptr_array_index (drops, 0);
    terminal = g_ptr_array_index (drops, 1);
    g_assert_cmpuint (gtk_drop_down_get_selected (terminal), ==, 0);
    /* A choice in the menu applies at once. */
    gtk_drop_down_set_selected (terminal, 1);
    by_terminal = shown (page);
    g_assert_cmpuint (by_terminal, >, 0);
    g_assert_cmpuint (by_terminal, <, all);
    for (PbStatus st = 0; st < PB_N_STATUSES; st++)
      for (guint i = 0; i < g_list_model_get_n_items (pb_board_page_get_column (page, st)); i++)
        {
          g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_column (page, st), i);
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM items WHERE id = '%s' AND port_area = '%s'",
                                                  pb_card_get_id (card),
                                                  gtk_string_object_get_string (gtk_drop_down_get_selected_item (terminal)));
          g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
        }
    gtk_drop_down_set_selected (mo, 3);
    g_assert_cmpuint (shown (page), <=, by_terminal);
    g_assert_true (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "Terminal and MO"));
    gtk_drop_down_set_selected (mo, 0);
    gtk_drop_down_set_selected (terminal, 0);
    g_assert_cmpuint (shown (page), ==, all);
    g_assert_true (pb_filter_bar_apply_saved (pb_board_page_get_filter_bar (page), "Terminal and MO"));
    g_assert_cmpuint (gtk_drop_down_get_selected (terminal), ==, 1);
    g_assert_cmpuint (gtk_drop_down_get_selected (mo), ==, 3);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

static GPtrArray *
case_ids_titled (PbStore    *store,
                 const char *title)
{
  g_autoptr(GPtrArray) cases = pb_store_list_cases (store, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < cases->len; i++)
    if (g_str_equal (((PbCase *) cases->pdata[i])->title, title))
      g_ptr_array_add (ids, g_strdup (((PbCase *) cases->pdata[i])->id));
  return ids;
}

/* Select two cards (a tick, and Enter while selecting), open a case with them from the
 * action bar's dialog, see it on the Cases page, and hand its lead over. */
void
test_case_from_selection (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(PbCard) first = NULL;
  g_autoptr(PbCard) second = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_auto(GStrv) marked = NULL;
  PbBoardColumn *incoming;
  PbCasesPage *cases_page;
  AdwMessageDialog *dialog;
  PbCardRow *row;
  GtkCheckButton *check;
  GtkActionBar *bar;
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  gboolean items_listed = FALSE;

  show_window (window);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  incoming = g_ptr_array_index (columns, PB_STATUS_INCOMING);
  first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  second = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 1);
  bar = first_of (GTK_WIDGET (page), GTK_TYPE_ACTION_BAR);
  g_assert_false (gtk_action_bar_get_revealed (bar));

  /* Selecting shows a check box on every card and the action bar. */
  pb_board_page_set_selecting (page, TRUE);
  g_assert_true (gtk_action_bar_get_revealed (bar));
  row = row_of (list_of (incoming), first);
  g_assert_nonnull (row);
  check = first_of (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (check)));
  gtk_check_button_set_active (check, TRUE);
  /* Enter on a card ticks it while selecting, instead of opening it. */
  g_signal_emit_by_name (incoming, "card-activated", second);
  marked = pb_board_page_get_marked (page);
  g_assert_cmpuint (g_strv_length (marked), ==, 2);
  g_assert_cmpstr (marked[0], ==, pb_card_get_id (first));
  g_assert_cmpstr (marked[1], ==, pb_card_get_id (second));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "marked"));

  /* New Case: a title is needed before the case can be opened. */
  gtk_widget_activate_action (GTK_WIDGET (page), "board.new-case", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (GTK_EDITABLE (first_of (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), "GUI test case");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
  adw_message_dialog_response (dialog, "create");

  ids = case_ids_titled (pb_window_get_store (window), "GUI test case");
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (pb_test_count (pb_window_get_store (window),
                                  "SELECT count(*) FROM items i JOIN cases c ON c.id = i.case_id"
                                  " WHERE c.title = 'GUI test case'"), ==, 2);
  /* Selecting ended, nothing stays selected. */
  g_assert_false (gtk_action_bar_get_revealed (bar));
  g_clear_pointer (&marked, g_strfreev);
  marked = pb_board_page_get_marked (page);
  g_assert_cmpuint (g_strv_length (marked), ==, 0);

  /* The toast's Show Case goes to the case on the Cases page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-case", "s", g_ptr_array_index (ids, 0));
  collect (GTK_WIDGET (window), PB_TYPE_CASES_PAGE, pages);
  cases_page = g_ptr_array_index (pages, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (cases_page)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (cases_page)));
  g_assert_cmpstr (pb_cases_page_get_case (cases_page), ==, g_ptr_array_index (ids, 0));
  collect (GTK_WIDGET (cases_page), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_title (g_ptr_array_index (groups, i)), "Items (2)") == 0)
      items_listed = TRUE;
  g_assert_true (items_listed);

  /* Hand Over: a reason is required; the decision is recorded. */
  gtk_widget_activate_action (GTK_WIDGET (cases_page), "cases.hand-over", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "hand-over"));
  gtk_editable_set_text (GTK_EDITABLE (first_of (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), "Customs found the load");
  adw_message_dialog_response (dialog, "hand-over");
  leads = pb_store_list_case_leads (pb_window_get_store (window), g_ptr_array_index (ids, 0), NULL);
  g_assert_cmpuint (leads->len, ==, 1);
  g_assert_cmpstr (((PbCaseLead *) leads->pdata[0])->reason, ==, "Customs found the load");

  /* Alt+1 goes back to the board. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "board");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));

  /* Add to Case: another item goes into the open case chosen by its title. */
  {
    g_autoptr(PbCard) third = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 2);
    GtkDropDown *choice;
    GListModel *titles;
    guint at = G_MAXUINT;

    pb_board_page_set_selecting (page, TRUE);
    check = first_of (GTK_WIDGET (row_of (list_of (incoming), third)), GTK_TYPE_CHECK_BUTTON);
    gtk_check_button_set_active (check, TRUE);
    gtk_widget_activate_action (GTK_WIDGET (page), "board.add-to-case", NULL);
    WAIT_FOR (find_dialog () != NULL);
    dialog = find_dialog ();
    g_assert_true (PB_IS_ADD_TO_CASE_DIALOG (dialog));
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
    choice = first_of (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN);
    titles = gtk_drop_down_get_model (choice);
    for (guint i = 0; i < g_list_model_get_n_items (titles); i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (titles), i), "GUI test case") == 0)
        at = i;
    g_assert_cmpuint (at, !=, G_MAXUINT);
    gtk_drop_down_set_selected (choice, at);
    adw_message_dialog_response (dialog, "add");
    g_assert_cmpint (pb_test_count (pb_window_get_store (window),
                                    "SELECT count(*) FROM items i JOIN cases c ON c.id = i.case_id"
                                    " WHERE c.title = 'GUI test case'"), ==, 3);
    g_assert_false (gtk_action_bar_get_revealed (bar));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}
