/* test-gui.c: the window on a demo database, under Xvfb: cards, need-to-know, signing in, a bad file; main registers every GUI test (test-gui-*.c)
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

char *demo_path;

void
test_board_shows_cards (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbBoardPage *page;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GListStore) expected = NULL;
  guint in_columns = 0;
  gboolean found = FALSE;
  PbCard *first;

  show_window (window);
  g_assert_cmpstr (pb_window_get_state (window), ==, "content");

  collect (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  page = g_ptr_array_index (pages, 0);

  /* The board holds exactly what the store says the chair may see… */
  expected = pb_store_load_cards (pb_window_get_store (window), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_cards (page)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (expected)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (expected)), >, 100);
  /* …split over the six columns, each card in the column of its status. */
  for (PbStatus s = 0; s < PB_N_STATUSES; s++)
    {
      GListModel *column = pb_board_page_get_column (page, s);
      g_assert_cmpuint (g_list_model_get_n_items (column), >, 0);
      for (guint i = 0; i < g_list_model_get_n_items (column); i++)
        {
          g_autoptr(PbCard) card = g_list_model_get_item (column, i);
          g_assert_cmpint (pb_card_get_status (card), ==, s);
        }
      in_columns += g_list_model_get_n_items (column);
    }
  g_assert_cmpuint (in_columns, ==, g_list_model_get_n_items (G_LIST_MODEL (expected)));

  /* The cards are on screen: the first card of Incoming is drawn with its title. */
  collect (GTK_WIDGET (window), PB_TYPE_CARD_ROW, rows);
  g_assert_cmpuint (rows->len, >, 6);
  first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  for (guint i = 0; i < rows->len; i++)
    {
      PbCardRow *row = g_ptr_array_index (rows, i);
      if (pb_card_row_get_card (row) == first)
        {
          g_autoptr(GPtrArray) labels = g_ptr_array_new ();
          collect (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
          for (guint k = 0; k < labels->len; k++)
            if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, k)), pb_card_get_title (first)) == 0)
              found = gtk_widget_get_mapped (g_ptr_array_index (labels, k));
        }
    }
  g_assert_true (found);

  /* Opening the card shows its details and records the consultation. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM access_log WHERE action = 'consultation' AND row_id = '%s'",
                                            pb_card_get_id (first));
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 0);
    pb_board_page_open_card (page, first);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
  }
  g_object_unref (first);

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

void
test_partner_sees_less (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autofree char *partner = person_of_role ("partner");
  PbWindow *w1 = pb_window_new (NULL, NULL, demo_path, chair);
  PbWindow *w2 = pb_window_new (NULL, NULL, demo_path, partner);
  g_autoptr(GPtrArray) p1 = g_ptr_array_new ();
  g_autoptr(GPtrArray) p2 = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n1, n2;
  gboolean badge = FALSE;

  collect (GTK_WIDGET (w1), PB_TYPE_BOARD_PAGE, p1);
  collect (GTK_WIDGET (w2), PB_TYPE_BOARD_PAGE, p2);
  n1 = g_list_model_get_n_items (pb_board_page_get_cards (g_ptr_array_index (p1, 0)));
  n2 = g_list_model_get_n_items (pb_board_page_get_cards (g_ptr_array_index (p2, 0)));
  g_assert_cmpuint (n2, >, 0);
  g_assert_cmpuint (n2, <, n1);

  /* The consultation's record is its members': no Meeting page for the partner. */
  {
    AdwViewStack *s1 = first_of (GTK_WIDGET (w1), ADW_TYPE_VIEW_STACK);
    AdwViewStack *s2 = first_of (GTK_WIDGET (w2), ADW_TYPE_VIEW_STACK);

    g_assert_true (adw_view_stack_page_get_visible (
      adw_view_stack_get_page (s1, first_of (GTK_WIDGET (w1), PB_TYPE_MEETING_PAGE))));
    g_assert_false (adw_view_stack_page_get_visible (
      adw_view_stack_get_page (s2, first_of (GTK_WIDGET (w2), PB_TYPE_MEETING_PAGE))));
  }

  /* Every card a partner sees is TLP:CLEAR or shared with the partner. */
  for (guint i = 0; i < n2; i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (g_ptr_array_index (p2, 0)), i);
      if (pb_card_get_tlp (card) != PB_TLP_CLEAR)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM item_shares s JOIN organisations o ON o.id = s.org"
                                                  " WHERE s.item = '%s' AND o.kind = 'partner'", pb_card_get_id (card));
          g_assert_cmpint (pb_test_count (pb_window_get_store (w2), sql), >=, 1);
        }
    }

  collect (GTK_WIDGET (w2), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "read-only-badge"))
      badge = gtk_widget_get_visible (g_ptr_array_index (labels, i));
  g_assert_true (badge);

  /* Partners cannot select items for a case: the button is disabled, not only refused. */
  {
    g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
    gboolean found = FALSE;

    collect (GTK_WIDGET (w2), GTK_TYPE_TOGGLE_BUTTON, toggles);
    for (guint i = 0; i < toggles->len; i++)
      if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (toggles, i)), "_Select") == 0)
        {
          found = TRUE;
          g_assert_false (gtk_widget_get_sensitive (g_ptr_array_index (toggles, i)));
        }
    g_assert_true (found);
  }

  gtk_window_destroy (GTK_WINDOW (w1));
  gtk_window_destroy (GTK_WINDOW (w2));
}

void
test_sign_in (void)
{
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, NULL);
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  GtkListBox *people = NULL;

  g_assert_cmpstr (pb_window_get_state (window), ==, "sign-in");
  collect (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, lists);
  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (lists, i), "boxed-list")
        && gtk_list_box_get_row_at_index (g_ptr_array_index (lists, i), 47) != NULL)
      people = g_ptr_array_index (lists, i);
  g_assert_nonnull (people);
  g_assert_null (gtk_list_box_get_row_at_index (people, 48));

  /* As a click or Enter on the first person does. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (people, 0))));
  g_assert_cmpstr (pb_window_get_state (window), ==, "content");
  g_assert_nonnull (pb_store_get_actor (pb_window_get_store (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

void
test_bad_database (void)
{
  g_autofree char *text = pb_test_tmp_path ("minutes.txt");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PbWindow *window;

  g_assert_true (g_file_set_contents (text, "Not a database", -1, NULL));
  before = pb_test_file_digest (text);
  window = pb_window_new (NULL, NULL, text, NULL);
  g_assert_cmpstr (pb_window_get_state (window), ==, "error");
  g_assert_null (pb_window_get_store (window));
  after = pb_test_file_digest (text);
  g_assert_cmpstr (before, ==, after);
  gtk_window_destroy (GTK_WINDOW (window));

  /* An unknown --user is an error too, not a silent sign-in as someone else. */
  window = pb_window_new (NULL, NULL, demo_path, "Nobody Known");
  g_assert_cmpstr (pb_window_get_state (window), ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PbDemoOptions options;
  int ret;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it empties XDG_DATA_DIRS, and without the MIME database
   * gdk-pixbuf cannot tell that an icon is SVG. Settings stay in memory (GSETTINGS_BACKEND)
   * and databases in temporary folders. */
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run the GUI tests under xvfb-run (make test does)");
      return g_test_run ();
    }
  adw_init ();

  demo_path = pb_test_tmp_path ("gui-demo.sqlite");
  store = pb_store_open (demo_path, &error);
  g_assert_no_error (error);
  pb_demo_options_init (&options);
  g_assert_true (pb_demo_generate (store, &options, &error));
  g_clear_object (&store);

  g_test_add_func ("/gui/window/board-shows-cards", test_board_shows_cards);
  g_test_add_func ("/gui/window/partner-sees-less", test_partner_sees_less);
  g_test_add_func ("/gui/window/sign-in", test_sign_in);
  g_test_add_func ("/gui/board/keyboard-move-and-undo", test_keyboard_move_and_undo);
  g_test_add_func ("/gui/board/follows-synced-changes", test_board_follows);
  g_test_add_func ("/gui/board/partner-cannot-move", test_partner_cannot_move);
  g_test_add_func ("/gui/board/search-filters-columns", test_search_filters_columns);
  g_test_add_func ("/gui/board/drag-and-drop", test_drag_and_drop);
  g_test_add_func ("/gui/board/editor-new-item", test_editor_new_item);
  g_test_add_func ("/gui/board/saved-filters", test_saved_filters);
  g_test_add_func ("/gui/board/editor-read-only-for-partner", test_editor_read_only_for_partner);
  g_test_add_func ("/gui/board/editor-save-and-undo", test_editor_save_and_undo);
  g_test_add_func ("/gui/window/bad-database", test_bad_database);
  g_test_add_func ("/gui/cases/case-from-selection", test_case_from_selection);
  g_test_add_func ("/gui/board/editor-links", test_editor_links);
  g_test_add_func ("/gui/board/editor-place-and-sharing", test_editor_place_and_sharing);
  g_test_add_func ("/gui/board/editor-requests", test_editor_requests);
  g_test_add_func ("/gui/map/map-page", test_map_page);
  g_test_add_func ("/gui/map/online", test_map_online);
  g_test_add_func ("/gui/sync/window", test_sync_window);
  g_test_add_func ("/gui/sync/connect", test_sync_connect);
  g_test_add_func ("/gui/meeting/chair", test_meeting_chair);
  g_test_add_func ("/gui/meeting/follow", test_meeting_follow);
  ret = g_test_run ();
  g_free (demo_path);
  return ret;
}
