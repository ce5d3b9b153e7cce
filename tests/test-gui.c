/* test-gui.c: the window on a demo database, under Xvfb
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

static char *demo_path;

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until @cond holds, for at most 10 s (the sanitized build is slow). */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 wait_end_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; \
    while (!(cond) && g_get_monotonic_time () < wait_end_) \
      g_main_context_iteration (NULL, FALSE); \
  } G_STMT_END

static void
collect (GtkWidget  *widget,
         GType       type,
         GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (out, child);
      collect (child, type, out);
    }
}

static char *
person_of_role (const char *role)
{
  g_autoptr(PbStore) store = pb_store_open (demo_path, NULL);
  g_autoptr(GPtrArray) people = pb_store_list_people (store, NULL);
  PbRole wanted;

  g_assert_true (pb_role_from_string (role, &wanted));
  for (guint i = 0; i < people->len; i++)
    {
      PbPerson *p = g_ptr_array_index (people, i);
      if (p->role == wanted)
        return g_strdup (p->name);
    }
  g_assert_not_reached ();
  return NULL;
}

static gpointer first_of (GtkWidget *widget, GType type);
static gpointer row_titled (GtkWidget *widget, GType type, const char *title);

/* ---- The board follows what another connection wrote ------------------------------ */

static void
collect_changes_cb (PbStore     *store,
                    PbChangeSet *changes,
                    PbChangeSet *all)
{
  pb_change_set_merge (all, changes);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Waits until the widget has drawn @n more frames: what changed is laid out and shown. */
static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  WAIT_FOR (frames >= n);
  gtk_widget_remove_tick_callback (widget, id);
  g_assert_cmpuint (frames, >=, n);
}

/* A thousand items changed by the synchronisation (another connection, announced to the
 * window's store as the sync controller does): the open board follows without being read
 * again; the column stays where it was scrolled to and its selected card stays selected. */
static void
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

static void
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

  gtk_window_present (GTK_WINDOW (window));
  iterate (500);
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
    iterate (100);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
  }
  g_object_unref (first);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static PbBoardPage *
board_of (PbWindow *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  collect (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  return g_ptr_array_index (pages, 0);
}

static char *
db_status (PbWindow   *window,
           const char *item)
{
  sqlite3_stmt *stmt;
  char *status = NULL;

  sqlite3_prepare_v2 (_pb_store_get_db (pb_window_get_store (window)),
                      "SELECT status FROM items WHERE id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return status;
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

static PbCardRow *row_of (GtkWidget *widget, PbCard *card);
static gpointer first_of (GtkWidget *widget, GType type);

/* Alt+→ on a focused card: the card moves to the next column in the store and on the
 * board, keeps the focus, and Ctrl+Z puts it back. */
static void
test_keyboard_move_and_undo (void)
{
  g_autofree char *officer = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page;
  g_autoptr(PbCard) card = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  guint incoming_before;
  GtkWidget *focus;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
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
  /* The focus is given in an idle callback: wait for it (slowly under sanitizers). */
  for (int tries = 0; tries < 100; tries++)
    {
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
        break;
      iterate (50);
    }
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
  iterate (200);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "assessment");
  g_assert_false (column_holds (page, PB_STATUS_INCOMING, id));
  g_assert_true (column_holds (page, PB_STATUS_ASSESSMENT, id));
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming_before - 1);
  /* The focus followed the card (in an idle callback: wait for it, slowly under sanitizers). */
  for (int tries = 0; tries < 100; tries++)
    {
      GtkWidget *column;

      focus = gtk_root_get_focus (GTK_ROOT (window));
      column = focus ? gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN) : NULL;
      if (column && pb_board_column_get_status (PB_BOARD_COLUMN (column)) == PB_STATUS_ASSESSMENT)
        break;
      iterate (50);
    }
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN));
  g_assert_cmpint (pb_board_column_get_status (PB_BOARD_COLUMN (gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN))), ==, PB_STATUS_ASSESSMENT);

  /* Assessment → Lead assigned is refused without a lead organisation: nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
  iterate (100);
  g_clear_pointer (&status, g_free);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "assessment");
  g_assert_true (column_holds (page, PB_STATUS_ASSESSMENT, id));

  /* Undo puts it back in Incoming, at the top where it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
  iterate (200);

  /* A card that has the focus without being selected (Tab into a column) moves too. */
  {
    g_autoptr(PbCard) second = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 1);
    g_autofree char *second_status = NULL;
    PbCardRow *row = row_of (GTK_WIDGET (page), second);

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row))));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL));
    iterate (200);
    second_status = db_status (window, pb_card_get_id (second));
    g_assert_cmpstr (second_status, ==, "assessment");
  }

  /* Undo again: the last move is undone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
  iterate (200);
  g_clear_pointer (&status, g_free);
  status = db_status (window, id);
  g_assert_cmpstr (status, ==, "incoming");
  {
    g_autoptr(PbCard) first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
    g_assert_cmpstr (pb_card_get_id (first), ==, id);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static void
test_partner_cannot_move (void)
{
  g_autofree char *partner = person_of_role ("partner");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, partner);
  PbBoardPage *page = board_of (window);
  g_autoptr(PbCard) card = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autofree char *status = NULL;
  gint64 changes = pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM change_log");

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  card = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  pb_board_column_focus_card (g_ptr_array_index (columns, 0), card);
  iterate (200);

  /* The moves are disabled for a partner: Alt+→ does nothing, not even try the store. */
  gtk_widget_activate_action (GTK_WIDGET (page), "board.move-right", NULL);
  iterate (100);
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
  iterate (50);
}

static GtkWidget *
list_of (PbBoardColumn *column)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  collect (GTK_WIDGET (column), GTK_TYPE_LIST_VIEW, lists);
  g_assert_cmpuint (lists->len, ==, 1);
  return g_ptr_array_index (lists, 0);
}

static PbCardRow *
row_of (GtkWidget *widget,
        PbCard    *card)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (widget, PB_TYPE_CARD_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (pb_card_row_get_card (g_ptr_array_index (rows, i)) == card)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Dropping a card on the upper half of another puts it before that one, in that column. */
static void
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

  gtk_window_present (GTK_WINDOW (window));
  iterate (400);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  monitoring = g_ptr_array_index (columns, PB_STATUS_MONITORING);
  dragged = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  target = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_MONITORING), 0);

  list = list_of (monitoring);
  row = row_of (list, target);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), list, &top, &in_list));
  g_assert_true (pb_board_column_drop_card (monitoring, dragged, in_list.x, in_list.y));
  iterate (200);

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
  iterate (50);
}

/* A new item in the side panel: the handling code first, identifiers checked as typed,
 * an invalid one only kept when marked known invalid; saved through the write path. */
static void
test_editor_new_item (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  guint incoming = g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING));
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.new-item", NULL));
  iterate (100);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_null (pb_item_editor_get_item_id (editor));
  g_assert_false (pb_item_editor_can_save (editor));

  pb_item_editor_set_title (editor, "Reefer with a cloned seal");
  g_assert_false (pb_item_editor_can_save (editor));   /* no handling code yet */
  pb_item_editor_set_tlp (editor, PB_TLP_AMBER);
  g_assert_true (pb_item_editor_can_save (editor));

  /* A wrong check digit names the expected one, and cannot be added as it is. */
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_CONTAINER, "CSQU3054384", FALSE);
  g_assert_nonnull (strstr (pb_item_editor_get_validation (editor), "expected check digit is 3"));
  g_assert_false (pb_item_editor_add_identifier (editor));
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_CONTAINER, "csqu 305438 3", FALSE);
  g_assert_nonnull (strstr (pb_item_editor_get_validation (editor), "CSQU3054383"));
  g_assert_true (pb_item_editor_add_identifier (editor));
  /* Real ships carry invalid IMO numbers: kept when marked. */
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_IMO, "IMO 8814274", TRUE);
  g_assert_true (pb_item_editor_add_identifier (editor));

  g_assert_true (pb_item_editor_save (editor, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pb_item_editor_get_item_id (editor));
  sql = g_strdup_printf ("SELECT count(*) FROM items i JOIN identifiers d ON d.item = i.id"
                         " WHERE i.id = '%s' AND i.tlp = 'AMBER' AND i.title = 'Reefer with a cloned seal'"
                         " AND ((d.value = 'CSQU3054383' AND d.known_invalid = 0)"
                         "  OR (d.value = '8814274' AND d.known_invalid = 1))", pb_item_editor_get_item_id (editor));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 2);
  iterate (100);
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming + 1);
  g_assert_cmpuint (pb_item_editor_get_history_length (editor), >=, 3);

  /* Editing: the title changes, the history shows the old and new title. */
  pb_item_editor_set_title (editor, "Reefer with two cloned seals");
  g_assert_true (pb_item_editor_save (editor, &error));
  g_assert_cmpuint (pb_item_editor_get_history_length (editor), >=, 4);

  /* Ctrl+Z undoes the edit, through the write path: the title is what it was. */
  {
    g_autofree char *id = g_strdup (pb_item_editor_get_item_id (editor));
    g_autofree char *titled = g_strdup_printf ("SELECT count(*) FROM items WHERE id = '%s' AND title = 'Reefer with a cloned seal'", id);
    g_autofree char *idents = g_strdup_printf ("SELECT count(*) FROM identifiers WHERE item = '%s'", id);
    g_autofree char *gone = g_strdup_printf ("SELECT count(*) FROM items WHERE title = 'Undone at once'");
    gint64 n_undo_entries = pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM access_log WHERE reason = 'undo in the item editor'");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
    iterate (100);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), titled), ==, 1);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), "SELECT count(*) FROM access_log WHERE reason = 'undo in the item editor'"),
                     ==, n_undo_entries + 1);
    g_assert_false (pb_board_page_undo (page));   /* one step: nothing more to undo */

    /* An identifier added in an edit goes again on undo. */
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), idents), ==, 2);
    pb_item_editor_type_identifier (editor, PB_IDENTIFIER_SEAL, "BE7654321", FALSE);
    g_assert_true (pb_item_editor_add_identifier (editor));
    g_assert_true (pb_item_editor_save (editor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), idents), ==, 3);
    /* The Undo of an older toast does not undo this newer change. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo-toast", "u", 0));
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), idents), ==, 3);
    g_assert_true (pb_board_page_undo (page));
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), idents), ==, 2);

    /* A new item, saved and undone, is gone from the store and the board. */
    incoming = g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.new-item", NULL));
    pb_item_editor_set_title (editor, "Undone at once");
    pb_item_editor_set_tlp (editor, PB_TLP_GREEN);
    g_assert_true (pb_item_editor_save (editor, &error));
    iterate (100);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), gone), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming + 1);
    g_assert_true (pb_board_page_undo (page));
    iterate (600);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), gone), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

/* An item as the store holds it: its fields, identifiers and sharing, as one text. */
static char *
item_snapshot (PbStore    *store,
               const char *item)
{
  sqlite3_stmt *stmt;
  char *out = NULL;

  sqlite3_prepare_v2 (_pb_store_get_db (store),
                      "SELECT json_array (i.title, i.body, i.tlp, i.priority, i.reliability, i.credibility, i.lead_org,"
                      "  i.due_date, i.case_id, i.event_time, i.lat, i.lon, i.port_area, i.modus_operandi, i.status,"
                      "  (SELECT group_concat (x, ' ') FROM (SELECT d.kind || ':' || d.value || ':' || d.raw || ':'"
                      "     || d.known_invalid AS x FROM identifiers d WHERE d.item = i.id ORDER BY x)),"
                      "  (SELECT group_concat (org, ' ') FROM (SELECT s.org FROM item_shares s WHERE s.item = i.id"
                      "     ORDER BY s.org)))"
                      " FROM items i WHERE i.id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

/* The buttons of the editor bound to @action. */
static GPtrArray *
buttons_for (PbItemEditor *editor,
             const char   *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (editor), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      g_ptr_array_add (out, g_ptr_array_index (buttons, i));
  return out;
}

/* A save that changes the fields, the identifiers and the sharing, and its Ctrl+Z: the item
 * is as it was, in the store and in the editor. */
static void
test_editor_save_and_undo (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  PbStore *store = pb_window_get_store (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) share_checks = g_ptr_array_new ();
  g_autoptr(GPtrArray) removes = NULL;
  g_autofree char *item = NULL, *before = NULL, *after = NULL, *undone = NULL;
  AdwEntryRow *location;
  AdwExpanderRow *share;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.new-item", NULL));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));

  /* An item with two identifiers, shared with one organisation. */
  pb_item_editor_set_title (editor, "Crew member seen at the gate twice");
  pb_item_editor_set_tlp (editor, PB_TLP_AMBER);
  location = row_titled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Location (latitude, longitude)");
  share = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Shared with");
  gtk_editable_set_text (GTK_EDITABLE (location), "51.2928, 4.2575");
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_CONTAINER, "CSQU3054383", FALSE);
  g_assert_true (pb_item_editor_add_identifier (editor));
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_IMO, "IMO 8814274", TRUE);
  g_assert_true (pb_item_editor_add_identifier (editor));
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  g_assert_cmpuint (share_checks->len, >=, 2);
  gtk_check_button_set_active (g_ptr_array_index (share_checks, 0), TRUE);
  g_assert_true (pb_item_editor_save (editor, &error));
  g_assert_no_error (error);
  item = g_strdup (pb_item_editor_get_item_id (editor));
  before = item_snapshot (store, item);

  /* Everything changed at once: title, place, handling, an identifier removed and one
   * added (through the rows' commands), the sharing the other way round. */
  pb_item_editor_set_title (editor, "Crew member seen at the gate, now identified");
  pb_item_editor_set_tlp (editor, PB_TLP_RED);
  location = row_titled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Location (latitude, longitude)");
  gtk_editable_set_text (GTK_EDITABLE (location), "");
  removes = buttons_for (editor, "identifiers.remove");
  g_assert_cmpuint (removes->len, ==, 2);
  g_signal_emit_by_name (g_ptr_array_index (removes, 0), "clicked");
  g_clear_pointer (&removes, g_ptr_array_unref);
  removes = buttons_for (editor, "identifiers.remove");
  g_assert_cmpuint (removes->len, ==, 1);
  pb_item_editor_type_identifier (editor, PB_IDENTIFIER_SEAL, "BE7654321", FALSE);
  {
    g_autoptr(GPtrArray) adds = buttons_for (editor, "identifiers.add");

    g_assert_cmpuint (adds->len, ==, 1);
    g_assert_true (gtk_widget_get_sensitive (g_ptr_array_index (adds, 0)));
    g_signal_emit_by_name (g_ptr_array_index (adds, 0), "clicked");
  }
  g_ptr_array_set_size (share_checks, 0);
  share = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Shared with");
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  gtk_check_button_set_active (g_ptr_array_index (share_checks, 0), FALSE);
  gtk_check_button_set_active (g_ptr_array_index (share_checks, 1), TRUE);
  g_assert_true (pb_item_editor_can_save (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  after = item_snapshot (store, item);
  g_assert_cmpstr (after, !=, before);
  g_assert_nonnull (strstr (after, "now identified"));
  g_assert_nonnull (strstr (after, "seal:BE7654321"));

  /* Ctrl+Z: the item as it was before that save, in one act. */
  {
    const char *acts = "SELECT count(*) FROM access_log WHERE action <> 'consultation'";
    gint64 accesses = pb_test_count (store, acts);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.undo", NULL));
    undone = item_snapshot (store, item);
    g_assert_cmpstr (undone, ==, before);
    g_assert_cmpint (pb_test_count (store, acts), ==, accesses + 1);
  }
  /* The editor shows it as it is again: two identifiers, the first organisation ticked. */
  WAIT_FOR (g_strcmp0 (pb_item_editor_get_item_id (editor), item) == 0);
  g_clear_pointer (&removes, g_ptr_array_unref);
  removes = buttons_for (editor, "identifiers.remove");
  g_assert_cmpuint (removes->len, ==, 2);
  g_ptr_array_set_size (share_checks, 0);
  share = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Shared with");
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  g_assert_true (gtk_check_button_get_active (g_ptr_array_index (share_checks, 0)));
  g_assert_false (gtk_check_button_get_active (g_ptr_array_index (share_checks, 1)));
  /* One step: nothing more to undo. */
  g_assert_false (pb_board_page_undo (page));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static void
test_editor_read_only_for_partner (void)
{
  g_autofree char *partner = person_of_role ("partner");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, partner);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (page), 0);
  g_autoptr(GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  iterate (200);
  pb_board_page_open_card (page, card);
  iterate (100);
  g_assert_cmpstr (pb_item_editor_get_item_id (editor), ==, pb_card_get_id (card));
  pb_item_editor_set_title (editor, "A partner's change");
  g_assert_false (pb_item_editor_can_save (editor));
  g_assert_false (pb_item_editor_save (editor, &error));
  g_assert_nonnull (error);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static guint
shown (PbBoardPage *page)
{
  guint n = 0;

  for (PbStatus s = 0; s < PB_N_STATUSES; s++)
    n += g_list_model_get_n_items (pb_board_page_get_column (page, s));
  return n;
}

/* Typing in the search field narrows every column to what the full-text index finds;
 * Ctrl+F gets there; clearing shows everything again. */
static void
test_search_filters_columns (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbBoardPage *page = board_of (window);
  GtkWidget *entry = pb_filter_bar_get_search_entry (pb_board_page_get_filter_bar (page));
  guint all;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  all = shown (page);
  g_assert_cmpuint (all, ==, g_list_model_get_n_items (pb_board_page_get_cards (page)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.search", NULL));
  iterate (50);
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));

  gtk_editable_set_text (GTK_EDITABLE (entry), "reefer");
  /* The search runs after a short pause in typing: waited for, not slept on (slow under
   * the sanitizers). */
  WAIT_FOR (shown (page) < all);
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
    g_autoptr(PbCard) any = g_list_model_get_item (pb_board_page_get_cards (page), 0);
    g_autofree char *prefix = g_strndup (pb_card_get_main_identifier (any), 8);
    gtk_editable_set_text (GTK_EDITABLE (entry), prefix);
    iterate (500);
    g_assert_cmpuint (shown (page), >=, 1);
  }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  WAIT_FOR (shown (page) == all);
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
  iterate (50);
}

/* A filter saved under a name comes back as it was. */
static void
test_saved_filters (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.portboard.Portboard");
  PbWindow *window = pb_window_new (NULL, settings, demo_path, chair);
  PbBoardPage *page = board_of (window);
  GtkWidget *entry = pb_filter_bar_get_search_entry (pb_board_page_get_filter_bar (page));
  guint all, narrowed;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  all = shown (page);
  gtk_editable_set_text (GTK_EDITABLE (entry), "seal");
  iterate (500);
  narrowed = shown (page);
  g_assert_cmpuint (narrowed, <, all);
  g_assert_true (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "  Seals  "));
  g_assert_false (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "   "));
  g_assert_cmpuint (g_variant_n_children (g_settings_get_value (settings, "saved-filters")), ==, 1);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  iterate (500);
  g_assert_cmpuint (shown (page), ==, all);
  g_assert_true (pb_filter_bar_apply_saved (pb_board_page_get_filter_bar (page), "Seals"));
  iterate (100);
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

    gtk_editable_set_text (GTK_EDITABLE (entry), "");
    iterate (300);
    collect (popover, GTK_TYPE_DROP_DOWN, drops);
    g_assert_cmpuint (drops->len, ==, 2);
    mo = g_ptr_array_index (drops, 0);
    terminal = g_ptr_array_index (drops, 1);
    g_assert_cmpuint (gtk_drop_down_get_selected (terminal), ==, 0);
    gtk_drop_down_set_selected (terminal, 1);
    iterate (100);
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
    iterate (100);
    g_assert_cmpuint (shown (page), <=, by_terminal);
    g_assert_true (pb_filter_bar_save (pb_board_page_get_filter_bar (page), "Terminal and MO"));
    gtk_drop_down_set_selected (mo, 0);
    gtk_drop_down_set_selected (terminal, 0);
    iterate (100);
    g_assert_cmpuint (shown (page), ==, all);
    g_assert_true (pb_filter_bar_apply_saved (pb_board_page_get_filter_bar (page), "Terminal and MO"));
    iterate (100);
    g_assert_cmpuint (gtk_drop_down_get_selected (terminal), ==, 1);
    g_assert_cmpuint (gtk_drop_down_get_selected (mo), ==, 3);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static void
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

static void
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

static void
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

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gpointer
first_of (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
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
static void
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

  gtk_window_present (GTK_WINDOW (window));
  iterate (400);
  collect (GTK_WIDGET (page), PB_TYPE_BOARD_COLUMN, columns);
  incoming = g_ptr_array_index (columns, PB_STATUS_INCOMING);
  first = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 0);
  second = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_INCOMING), 1);
  bar = first_of (GTK_WIDGET (page), GTK_TYPE_ACTION_BAR);
  g_assert_false (gtk_action_bar_get_revealed (bar));

  /* Selecting shows a check box on every card and the action bar. */
  pb_board_page_set_selecting (page, TRUE);
  iterate (100);
  g_assert_true (gtk_action_bar_get_revealed (bar));
  row = row_of (list_of (incoming), first);
  g_assert_nonnull (row);
  check = first_of (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (check)));
  gtk_check_button_set_active (check, TRUE);
  /* Enter on a card ticks it while selecting, instead of opening it. */
  g_signal_emit_by_name (incoming, "card-activated", second);
  iterate (50);
  marked = pb_board_page_get_marked (page);
  g_assert_cmpuint (g_strv_length (marked), ==, 2);
  g_assert_cmpstr (marked[0], ==, pb_card_get_id (first));
  g_assert_cmpstr (marked[1], ==, pb_card_get_id (second));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "marked"));

  /* New Case: a title is needed before the case can be opened. */
  gtk_widget_activate_action (GTK_WIDGET (page), "board.new-case", NULL);
  iterate (100);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (GTK_EDITABLE (first_of (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), "GUI test case");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
  adw_message_dialog_response (dialog, "create");
  iterate (200);

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
  iterate (200);
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
  iterate (100);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "hand-over"));
  gtk_editable_set_text (GTK_EDITABLE (first_of (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)), "Customs found the load");
  adw_message_dialog_response (dialog, "hand-over");
  iterate (200);
  leads = pb_store_list_case_leads (pb_window_get_store (window), g_ptr_array_index (ids, 0), NULL);
  g_assert_cmpuint (leads->len, ==, 1);
  g_assert_cmpstr (((PbCaseLead *) leads->pdata[0])->reason, ==, "Customs found the load");

  /* Alt+1 goes back to the board. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "board");
  iterate (100);
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
  iterate (50);
}

static GtkListBoxRow *
result_for (GtkListBox *list,
            const char *item_id)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (list), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GVariant *target = gtk_actionable_get_action_target_value (g_ptr_array_index (rows, i));

      if (target && g_strcmp0 (g_variant_get_string (target, NULL), item_id) == 0)
        return g_ptr_array_index (rows, i);
    }
  return NULL;
}

/* The row of the Links tab's list (not of the search) for an item. */
static GtkListBoxRow *
linked_row (PbItemEditor *editor,
            GtkPopover   *popover,
            const char   *item_id)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  collect (GTK_WIDGET (editor), GTK_TYPE_LIST_BOX, lists);
  for (guint i = 0; i < lists->len; i++)
    if (!gtk_widget_is_ancestor (g_ptr_array_index (lists, i), GTK_WIDGET (popover))
        && result_for (g_ptr_array_index (lists, i), item_id) != NULL)
      return result_for (g_ptr_array_index (lists, i), item_id);
  return NULL;
}

/* Links tab: find another item by its title, link it, see it listed; unlinking removes it. */
static void
test_editor_links (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_MONITORING), 0);
  g_autoptr(PbCard) other = g_list_model_get_item (pb_board_page_get_column (page, PB_STATUS_IN_ACTION), 0);
  g_autoptr(GPtrArray) menus = g_ptr_array_new ();
  g_autofree char *sql = NULL;
  GtkMenuButton *link_button = NULL;
  GtkPopover *popover;
  GtkListBox *list;
  GtkListBoxRow *hit = NULL;
  gint64 before;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  pb_board_page_open_card (page, card);
  iterate (100);
  collect (GTK_WIDGET (editor), GTK_TYPE_MENU_BUTTON, menus);
  for (guint i = 0; i < menus->len; i++)
    if (g_strcmp0 (gtk_menu_button_get_label (g_ptr_array_index (menus, i)), "_Link Item…") == 0)
      link_button = g_ptr_array_index (menus, i);
  g_assert_nonnull (link_button);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (link_button)));

  sql = g_strdup_printf ("SELECT count(*) FROM item_links WHERE item_a = min ('%s', '%s') AND item_b = max ('%s', '%s')",
                         pb_card_get_id (card), pb_card_get_id (other), pb_card_get_id (card), pb_card_get_id (other));
  before = pb_test_count (pb_window_get_store (window), sql);
  g_assert_cmpint (before, ==, 0);

  gtk_menu_button_popup (link_button);
  iterate (100);
  popover = gtk_menu_button_get_popover (link_button);
  gtk_editable_set_text (GTK_EDITABLE (first_of (GTK_WIDGET (popover), GTK_TYPE_SEARCH_ENTRY)),
                         pb_card_get_title (other));
  list = first_of (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX);
  /* The search runs after the entry's typing delay. */
  WAIT_FOR ((hit = result_for (list, pb_card_get_id (other))) != NULL);
  g_assert_nonnull (hit);
  /* A row found is a command with the item's id: activating it links the item. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (hit)));
  WAIT_FOR (pb_test_count (pb_window_get_store (window), sql) == 1);
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
  g_assert_cmpint (pb_test_count (pb_window_get_store (window),
                                  "SELECT count(*) FROM access_log WHERE action = 'combination' AND tbl = 'item_links'"), >=, 1);

  /* The linked item is listed; its row opens it (where this one is listed in turn), and a
   * row's button unlinks. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *unlink = NULL;

    hit = linked_row (editor, popover, pb_card_get_id (other));
    g_assert_nonnull (hit);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (hit)), ==, "links.open");
    g_assert_true (gtk_widget_activate (GTK_WIDGET (hit)));
    WAIT_FOR (g_strcmp0 (pb_item_editor_get_item_id (editor), pb_card_get_id (other)) == 0);
    g_assert_cmpstr (pb_item_editor_get_item_id (editor), ==, pb_card_get_id (other));
    hit = linked_row (editor, popover, pb_card_get_id (card));
    g_assert_nonnull (hit);
    collect (GTK_WIDGET (hit), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), "links.remove") == 0)
        unlink = g_ptr_array_index (buttons, i);
    g_assert_nonnull (unlink);
    g_signal_emit_by_name (unlink, "clicked");
    WAIT_FOR (pb_test_count (pb_window_get_store (window), sql) == 0);
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

/* The map page draws as it is: the pixels of the widget, as the screen gets them. */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* How many pixels of the widget have about this colour. */
static guint
count_colour (GtkWidget *widget,
              guint32    rgb)
{
  g_autoptr(GdkTexture) texture = render_widget (widget);
  g_autofree guint8 *data = NULL;
  int w, h;
  guint n = 0;

  if (texture == NULL)
    return 0;
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    {
      guint32 px = ((guint32 *) data)[i] & 0xffffff;   /* little-endian BGRA */
      int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
      if (ABS (r - (int) ((rgb >> 16) & 0xff)) < 6 && ABS (g - (int) ((rgb >> 8) & 0xff)) < 6
          && ABS (b - (int) (rgb & 0xff)) < 6)
        n++;
    }
  return n;
}

/* The map page: the built-in basemap is drawn (its water colour is on screen), incidents
 * are on it, a click on a bubble tells what is there, a broken map file is refused with a
 * message and the map stays, and the view is saved as a PNG. */
static void
test_map_page (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = pb_test_tmp_path ("notes.mbtiles");
  g_autofree char *png = pb_test_tmp_path ("map-export.png");
  PbMapPage *page;
  PbIncidentLayer *layer;
  PbMapCluster cluster = { 0 };
  PbMapView view;
  gboolean found = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
  collect (GTK_WIDGET (window), PB_TYPE_MAP_PAGE, pages);
  page = g_ptr_array_index (pages, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  layer = pb_map_page_get_layer (page);

  /* Water (#aad3df), drawn by the basemap's tiles once they are read. */
  WAIT_FOR (count_colour (GTK_WIDGET (page), 0xaad3df) > 1000);
  g_assert_cmpuint (count_colour (GTK_WIDGET (page), 0xaad3df), >, 1000);
  /* Count bubbles (#333845) of the incidents a chair may see. */
  g_assert_cmpuint (count_colour (GTK_WIDGET (layer), 0x333845), >, 50);

  pb_incident_layer_get_view (layer, &view);
  for (int y = 0; y < view.height && !found; y += 4)
    for (int x = 0; x < view.width && !found; x += 4)
      found = pb_incident_layer_cluster_at (layer, x, y, &cluster);
  g_assert_true (found);
  {
    g_autofree char *tip = pb_incident_layer_get_tooltip_at (layer, cluster.px, cluster.py);
    g_assert_nonnull (tip);
    g_assert_true (strstr (tip, "here") != NULL || strstr (tip, "TLP:") != NULL);
  }
  g_assert_true (pb_map_page_activate_at (page, cluster.px, cluster.py));
  WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
  gtk_popover_popdown (pb_map_page_get_popover (page));

  /* The item opened in the board's editor is the one the map marks. */
  {
    g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (board_of (window)), 0);

    pb_board_page_open_card (board_of (window), card);
    g_assert_cmpstr (pb_incident_layer_get_selected (layer), ==, pb_card_get_id (card));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  }

  /* Secondary click (or the Menu key) at MPET: a new report there, its terminal filled in. */
  {
    ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
    PbBoardPage *board = board_of (window);
    PbItemEditor *editor = pb_board_page_get_editor (board);
    double x, y;

    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), 51.29278, 4.25750, &x, &y);
    pb_map_page_new_report_at (page, x, y);
    WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
    g_signal_emit_by_name (first_of (GTK_WIDGET (pb_map_page_get_popover (page)), GTK_TYPE_BUTTON), "clicked");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
    g_assert_null (pb_item_editor_get_item_id (editor));
    g_assert_cmpstr (pb_item_editor_get_terminal (editor), ==, "MPET Deurganck Dock");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));

    /* …or a new incident there: the handling code first, a weight that is one. */
    {
      AdwMessageDialog *dialog;
      g_autoptr(GPtrArray) drops = g_ptr_array_new ();
      g_autoptr(GPtrArray) entries = g_ptr_array_new ();

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), 51.29278, 4.25750, &x, &y);
      pb_map_page_new_report_at (page, x, y);
      gtk_popover_popdown (pb_map_page_get_popover (page));
      dialog = ADW_MESSAGE_DIALOG (pb_map_page_new_incident_dialog (page));
      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
      collect (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, drops);
      collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
      g_assert_cmpuint (drops->len, ==, 2);
      gtk_drop_down_set_selected (g_ptr_array_index (drops, 1), 1 + PB_TLP_AMBER);
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "-5");
      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "250");
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "Cocaine behind the cooling unit");
      g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
      /* Recorded as the dialog answers. */
      adw_message_dialog_response (dialog, "create");
      g_assert_cmpint (pb_test_count (pb_window_get_store (window),
                                      "SELECT count(*) FROM incidents WHERE terminal = 'MPET Deurganck Dock' AND kg = 250"
                                      " AND tlp = 'AMBER' AND description = 'Cocaine behind the cooling unit'"), ==, 1);
    }
  }

  /* A file that is not a map: refused, named, the map as it was. */
  g_assert_true (g_file_set_contents (notes, "minutes of the meeting\n", -1, NULL));
  g_assert_false (pb_map_page_set_basemap (page, notes, &error));
  g_assert_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_SQLITE);
  g_clear_error (&error);
  iterate (200);
  g_assert_cmpuint (count_colour (GTK_WIDGET (page), 0xaad3df), >, 1000);

  /* The board's filter narrows the map too: only markers of matching items stay. */
  {
    PbBoardPage *board = board_of (window);
    PbFilter filter = { 0 };
    guint all, narrowed;
    const PbMapPoint *points;
    GPtrArray *incidents = pb_incident_layer_get_incidents (layer);

    pb_incident_layer_get_points (layer, &all);
    filter.tlp_mask = 1u << PB_TLP_RED;
    g_assert_true (pb_board_page_apply_filter (board, &filter, NULL));
    points = pb_incident_layer_get_points (layer, &narrowed);
    g_assert_cmpuint (narrowed, <, all);
    for (guint i = 0; i < narrowed; i++)
      {
        PbMapIncident *n = g_ptr_array_index (incidents, points[i].index);
        g_assert_true (pb_item_set_contains (pb_board_page_get_filter (board), n->item_rowid));
      }
    filter.tlp_mask = 0;
    g_assert_true (pb_board_page_apply_filter (board, &filter, NULL));
    pb_incident_layer_get_points (layer, &narrowed);
    g_assert_cmpuint (narrowed, ==, all);
  }

  g_assert_true (pb_map_page_export (page, png, &error));
  g_assert_no_error (error);
  {
    cairo_surface_t *shot = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (shot), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (shot), ==, view.width);
    cairo_surface_destroy (shot);
  }
  g_unlink (png);
  g_unlink (notes);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

static gpointer
row_titled (GtkWidget  *widget,
            GType       type,
            const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (widget, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Place, time, modus operandi and sharing: a location on a terminal names the terminal,
 * a wrong event time blocks the save, and what is ticked is stored (sharing as rows). */
static void
test_editor_place_and_sharing (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *shares = NULL;
  AdwEntryRow *event, *location;
  AdwComboRow *terminal;
  AdwExpanderRow *mo, *share;
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(GPtrArray) share_checks = g_ptr_array_new ();

  gtk_window_present (GTK_WINDOW (window));
  iterate (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.new-item", NULL));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  pb_item_editor_set_title (editor, "Extraction team seen at MPET");
  pb_item_editor_set_tlp (editor, PB_TLP_AMBER);

  event = row_titled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Event time (YYYY-MM-DD HH:MM, UTC)");
  location = row_titled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Location (latitude, longitude)");
  terminal = row_titled (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, "Terminal");
  mo = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Modus operandi");
  share = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Shared with");
  g_assert_nonnull (event);
  g_assert_nonnull (location);
  g_assert_nonnull (terminal);
  g_assert_nonnull (mo);
  g_assert_nonnull (share);

  gtk_editable_set_text (GTK_EDITABLE (event), "yesterday");
  g_assert_false (pb_item_editor_can_save (editor));
  gtk_editable_set_text (GTK_EDITABLE (event), "2026-11-20 03:15");
  gtk_editable_set_text (GTK_EDITABLE (location), "51.2928, 4.2575");
  g_assert_true (pb_item_editor_can_save (editor));
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (terminal)), ==, "MPET Deurganck Dock");
  gtk_editable_set_text (GTK_EDITABLE (location), "91, 4");
  g_assert_false (pb_item_editor_can_save (editor));
  gtk_editable_set_text (GTK_EDITABLE (location), "51.2928, 4.2575");

  collect (GTK_WIDGET (mo), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, >=, 20);
  gtk_check_button_set_active (g_ptr_array_index (checks, 11), TRUE);   /* extractors */
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  g_assert_cmpuint (share_checks->len, >=, 2);
  gtk_check_button_set_active (g_ptr_array_index (share_checks, 0), TRUE);

  g_assert_true (pb_item_editor_save (editor, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM items WHERE id = '%s' AND port_area = 'MPET Deurganck Dock'"
                         " AND abs (lat - 51.2928) < 1e-9 AND abs (lon - 4.2575) < 1e-9 AND modus_operandi = 'MO-EXTRACT'"
                         " AND event_time = 1795144500", pb_item_editor_get_item_id (editor));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
  shares = g_strdup_printf ("SELECT count(*) FROM item_shares WHERE item = '%s'", pb_item_editor_get_item_id (editor));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), shares), ==, 1);

  /* Unsharing is a deletion of the row; undo puts it back. */
  g_ptr_array_set_size (share_checks, 0);
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  for (guint i = 0; i < share_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (share_checks, i), FALSE);
  g_assert_true (pb_item_editor_save (editor, &error));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), shares), ==, 0);
  g_assert_true (pb_board_page_undo (page));
  g_assert_cmpint (pb_test_count (pb_window_get_store (window), shares), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

/* Online tiles only when an address is set in Preferences; back to the built-in map. */
static void
test_map_online (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.portboard.Portboard");
  PbWindow *window = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  ShumateSimpleMap *map;
  PbMapPage *page;

  g_settings_set_string (settings, "tile-url", "");
  g_settings_set_string (settings, "basemap", "");
  window = pb_window_new (NULL, settings, demo_path, chair);
  gtk_window_present (GTK_WINDOW (window));
  iterate (200);
  collect (GTK_WIDGET (window), PB_TYPE_MAP_PAGE, pages);
  page = g_ptr_array_index (pages, 0);
  map = first_of (GTK_WIDGET (page), SHUMATE_TYPE_SIMPLE_MAP);

  /* No address: no online map, and nothing is fetched. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "map.online-basemap", NULL)
                  && g_strcmp0 (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), "online") == 0);
  g_assert_false (pb_map_page_use_online (page, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_settings_set_string (settings, "tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png");
  g_settings_set_string (settings, "tile-attribution", "Test tiles");
  g_assert_true (pb_map_page_use_online (page, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), ==, "online");
  g_assert_cmpstr (shumate_map_source_get_license (shumate_simple_map_get_map_source (map)), ==, "Test tiles");
  {
    g_autofree char *saved = g_settings_get_string (settings, "basemap");
    g_assert_cmpstr (saved, ==, "online");
  }

  gtk_widget_activate_action (GTK_WIDGET (page), "map.builtin-basemap", NULL);
  g_assert_cmpstr (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), !=, "online");
  g_settings_set_string (settings, "tile-url", "");
  g_settings_set_string (settings, "basemap", "");
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
}

/* ---- Synchronisation ---------------------------------------------------------------- */

typedef struct
{
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
} SyncClient;

static void
sync_client_clear (SyncClient *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->transport);
  g_clear_pointer (&c->credential, g_free);
}

static void
sync_client_enrol (SyncClient *c,
                   PbTestHub  *hub,
                   const char *path,
                   const char *name,
                   const char *org,
                   const char *kind,
                   const char *role)
{
  g_autofree char *token = pb_test_hub_add_user (hub->dir, name, org, kind, role);
  g_autoptr(GError) error = NULL;

  c->store = pb_store_open (path, &error);
  g_assert_no_error (error);
  c->transport = pb_soup_transport_new (hub->url, NULL, &error);
  g_assert_true (pb_sync_enrol (c->store, PB_TRANSPORT (c->transport), token, &c->credential, &error));
  g_assert_true (pb_sync_set_hub (c->store, hub->url, NULL, &error));
  g_assert_true (pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error));
  g_assert_no_error (error);
}

static void
sync_client_sync (SyncClient *c)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
sync_client_set_title (SyncClient *c,
                       const char *item,
                       const char *title)
{
  g_autoptr(PbRecord) r = pb_record_new ("items", item);
  g_autoptr(GError) error = NULL;

  pb_record_set_string (r, "title", title);
  g_assert_true (pb_store_write (c->store, PB_OP_UPDATE, r, &error));
  g_assert_no_error (error);
}

static char *
sync_client_add_item (SyncClient *c,
                      const char *title)
{
  g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
  g_autoptr(PbPerson) me = pb_store_find_person (c->store, pb_store_get_actor (c->store), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = pb_uuid_new ();

  pb_record_set_id (r, id);
  pb_record_set_string (r, "title", title);
  pb_record_set_string (r, "tlp", "GREEN");
  pb_record_set_string (r, "source_org", me->org);
  pb_record_set_string (r, "author", me->id);
  pb_record_set_int (r, "reported_at", 1790000000);
  g_assert_true (pb_store_write (c->store, PB_OP_INSERT, r, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static gboolean
board_has_title (PbBoardPage *page,
                 const char  *title)
{
  GListModel *cards = pb_board_page_get_cards (page);

  for (guint i = 0; i < g_list_model_get_n_items (cards); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (cards, i);
      if (g_strcmp0 (pb_card_get_title (card), title) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
status_starts_with (PbSyncStatus *status,
                    const char   *prefix)
{
  return g_str_has_prefix (pb_sync_status_get_text (status), prefix);
}

/* The app's window on a client's database, signed in as the person it is enrolled for;
 * the credential is put where the app keeps it without a keyring. Returns the window and,
 * in @credential_file, the file to remove afterwards. The client's store is closed. */
static PbWindow *
open_enrolled_window (SyncClient *c,
                      const char *path,
                      char      **credential_file)
{
  g_autofree char *credential_dir = g_build_filename (g_get_user_data_dir (), "portboard", "credentials", NULL);
  PbWindow *window;

  g_assert_cmpint (g_mkdir_with_parents (credential_dir, 0700), ==, 0);
  *credential_file = g_build_filename (credential_dir, pb_store_get_site_id (c->store), NULL);
  g_assert_true (g_file_set_contents (*credential_file, c->credential, -1, NULL));
  g_clear_object (&c->store);
  window = pb_window_new (NULL, NULL, path, NULL);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (g_strcmp0 (pb_window_get_state (window), "content") == 0);
  return window;
}

static void
test_sync_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-gui-sync-XXXXXX", &error);
  g_autofree char *chair_path = g_build_filename (dir, "chair.sqlite", NULL);
  g_autofree char *police_path = g_build_filename (dir, "police.sqlite", NULL);
  g_autofree char *credential_file = NULL;
  g_autofree char *item = NULL;
  g_autofree char *live_item = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  SyncClient chair = { 0 }, police = { 0 };
  PbTestHub hub;
  PbWindow *window;
  PbBoardPage *page;
  PbSyncStatus *status;
  PbItemEditor *editor;
  g_autoptr(GPtrArray) conflict_rows = g_ptr_array_new ();
  gint64 started;
  double seconds;

  g_free (pb_test_hub_add_user (dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&hub, dir, FALSE);
  sync_client_enrol (&police, &hub, police_path, "Karim", "Federal Police", "police", "officer");
  sync_client_enrol (&chair, &hub, chair_path, "Rania", "Port Prosecutor", "prosecution", "chair");

  /* Both edit the same report's title before either has seen the other's edit. */
  item = sync_client_add_item (&police, "Reefer at K913");
  sync_client_sync (&police);
  sync_client_sync (&chair);
  sync_client_set_title (&police, item, "Reefer at K913: the seal does not match");
  sync_client_set_title (&chair, item, "Reefer at K913: hold for the scanner");
  sync_client_sync (&police);

  /* The chair's Portboard opens, signed in as the person it is enrolled for. */
  window = open_enrolled_window (&chair, chair_path, &credential_file);
  page = first_of (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE);
  status = first_of (GTK_WIDGET (window), PB_TYPE_SYNC_STATUS);
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  WAIT_FOR (status_starts_with (status, "Synced"));
  g_assert_cmpstr (pb_sync_status_get_text (status), !=, "Not Connected");
  g_assert_true (status_starts_with (status, "Synced"));

  /* The losing title is kept and shown in the editor, with who wrote it. */
  pb_board_page_open_item (page, item);
  editor = pb_board_page_get_editor (page);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  collect (GTK_WIDGET (editor), ADW_TYPE_ACTION_ROW, conflict_rows);
  for (guint i = conflict_rows->len; i-- > 0;)
    if (!gtk_widget_has_css_class (conflict_rows->pdata[i], "conflict-row"))
      g_ptr_array_remove_index (conflict_rows, i);
  g_assert_cmpuint (conflict_rows->len, ==, 1);
  {
    const char *kept = adw_preferences_row_get_title (conflict_rows->pdata[0]);
    const char *who = adw_action_row_get_subtitle (conflict_rows->pdata[0]);
    g_autoptr(PbCard) card = pb_store_load_card (pb_window_get_store (window), item, NULL);

    g_assert_true (g_str_equal (kept, "Reefer at K913: the seal does not match")
                   || g_str_equal (kept, "Reefer at K913: hold for the scanner"));
    g_assert_cmpstr (kept, !=, pb_card_get_title (card));
    /* Who wrote the kept text: the other one. */
    g_assert_nonnull (strstr (who, g_str_equal (kept, "Reefer at K913: the seal does not match") ? "Karim" : "Rania"));
  }

  /* The card says so too; keeping the current text settles it, and the card follows. */
  {
    GListModel *cards = pb_board_page_get_cards (page);
    g_autoptr(PbCard) card = NULL;
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *keep = NULL;

    for (guint i = 0; card == NULL && i < g_list_model_get_n_items (cards); i++)
      {
        g_autoptr(PbCard) c = g_list_model_get_item (cards, i);
        if (g_str_equal (pb_card_get_id (c), item))
          card = g_steal_pointer (&c);
      }
    g_assert_nonnull (card);
    /* Shown, the card reads what it shows besides its row. */
    pb_board_want_details (pb_board_page_get_board (page), card);
    WAIT_FOR (pb_card_has_details (card));
    g_assert_true (pb_card_has_conflict (card));
    collect (conflict_rows->pdata[0], GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_str_equal (gtk_button_get_label (buttons->pdata[i]), "_Keep Current"))
        keep = buttons->pdata[i];
    g_assert_nonnull (keep);
    g_signal_emit_by_name (keep, "clicked");
    /* The same card follows: the store said the conflict was settled. */
    WAIT_FOR (!pb_card_has_conflict (card));
    g_assert_false (pb_card_has_conflict (card));
  }

  /* A report the police write reaches the open board by the live channel. */
  live_item = sync_client_add_item (&police, "Live from the police");
  started = g_get_monotonic_time ();
  sync_client_sync (&police);
  WAIT_FOR (board_has_title (page, "Live from the police"));
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_assert_true (board_has_title (page, "Live from the police"));
  g_test_message ("a report pushed by the police was on the chair's board after %.2f s", seconds);
  g_assert_cmpfloat (seconds, <, 5);

  /* The hub goes away; what is written meanwhile waits, and the status says so. */
  pb_test_hub_stop (&hub);
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", live_item);
    pb_record_set_string (r, "priority", "high");
    g_assert_true (pb_store_write (pb_window_get_store (window), PB_OP_UPDATE, r, &error));
    g_assert_no_error (error);
  }
  WAIT_FOR (status_starts_with (status, "Offline"));
  g_assert_cmpstr (pb_sync_status_get_text (status), ==, "Offline · 1 Waiting");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (100);
  sync_client_clear (&police);
  sync_client_clear (&chair);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A participant's first start: an empty database, Connect to Hub… on the page that says
 * nobody can sign in, the address and the token; the hub's people arrive and the enrolled
 * person is signed in. */
static void
test_sync_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-gui-connect-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "new.sqlite", NULL);
  g_autofree char *token = NULL;
  g_autofree char *credential_file = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(PbPerson) me = NULL;
  PbTestHub hub;
  PbWindow *window;
  GtkWidget *dialog;
  GtkWidget *button = NULL;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  pb_test_hub_start (&hub, dir, FALSE);
  token = pb_test_hub_add_user (dir, "Femke", "Customs Antwerp", "customs", "officer");

  window = pb_window_new (NULL, NULL, path, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate (200);
  g_assert_cmpstr (pb_window_get_state (window), ==, "error");
  collect (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Connect to Hub…") == 0
        && gtk_widget_is_visible (buttons->pdata[i]))
      button = buttons->pdata[i];
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  WAIT_FOR (find_dialog () != NULL);
  dialog = GTK_WIDGET (find_dialog ());
  g_assert_nonnull (dialog);

  /* Connect is offered only with an address and a token. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  g_assert_true (PB_IS_CONNECT_DIALOG (dialog));
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();
    g_autoptr(GPtrArray) secrets = g_ptr_array_new ();

    /* As a person types: the address, then the token. */
    collect (dialog, GTK_TYPE_ENTRY, entries);
    collect (dialog, GTK_TYPE_PASSWORD_ENTRY, secrets);
    g_assert_cmpuint (entries->len, ==, 2);
    g_assert_cmpuint (secrets->len, ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), hub.url);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
    gtk_editable_set_text (GTK_EDITABLE (secrets->pdata[0]), token);
  }
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "connect");

  WAIT_FOR (g_strcmp0 (pb_window_get_state (window), "content") == 0);
  g_assert_cmpstr (pb_window_get_state (window), ==, "content");
  me = pb_store_find_person (pb_window_get_store (window), pb_store_get_actor (pb_window_get_store (window)), NULL);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->name, ==, "Femke");

  credential_file = g_build_filename (g_get_user_data_dir (), "portboard", "credentials",
                                      pb_store_get_site_id (pb_window_get_store (window)), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (100);
  pb_test_hub_stop (&hub);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
}

static GPtrArray *
agenda_rows (PbMeetingPage *page)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect (GTK_WIDGET (page), PB_TYPE_MEETING_AGENDA_ROW, rows);
  return rows;
}

static GtkListBoxRow *
agenda_row_of (PbMeetingPage *page,
               const char    *entry_id)
{
  g_autoptr(GPtrArray) rows = agenda_rows (page);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (pb_meeting_agenda_row_get_entry_id (rows->pdata[i]), entry_id) == 0)
      return rows->pdata[i];
  return NULL;
}

static void
activate_entry (PbMeetingPage *page,
                const char    *entry_id)
{
  GtkListBoxRow *row = agenda_row_of (page, entry_id);

  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
  iterate (50);
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) && strstr (gtk_label_get_label (labels->pdata[i]), text))
      return TRUE;
  return FALSE;
}

static void
count_changes (guint *changes)
{
  (*changes)++;
}

static const PbAgendaEntry *
agenda_entry_of_item (GPtrArray  *agenda,
                      const char *item)
{
  for (guint i = 0; i < agenda->len; i++)
    if (g_strcmp0 (((PbAgendaEntry *) agenda->pdata[i])->item, item) == 0)
      return agenda->pdata[i];
  return NULL;
}

/* The chair adds an item through the dialog: the agenda's list says so (items-changed) and
 * the page shows the new entry, without being told to read anything again. */
static void
add_item_shows (PbMeetingPage *page,
                PbStore       *store,
                const char    *meeting)
{
  static const char *const words[] = { "reefer", "release", "divers", "terminal", "container", NULL };
  GListModel *model = pb_meeting_page_get_agenda (page);
  guint before = g_list_model_get_n_items (model);
  guint changes = 0;
  gulong handler = g_signal_connect_swapped (model, "items-changed", G_CALLBACK (count_changes), &changes);
  g_autoptr(GPtrArray) agenda = pb_meeting_list_agenda (store, meeting, NULL);
  g_autoptr(PbCard) card = NULL;
  PbMeetingAddItemDialog *dialog;
  const PbAgendaEntry *added;

  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.add-item", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = PB_MEETING_ADD_ITEM_DIALOG (find_dialog ());
  for (guint w = 0; card == NULL && words[w]; w++)
    {
      g_autoptr(GPtrArray) found = pb_store_search_cards (store, words[w], 12, NULL);

      for (guint i = 0; card == NULL && found && i < found->len; i++)
        if (agenda_entry_of_item (agenda, pb_card_get_id (found->pdata[i])) == NULL)
          {
            card = g_object_ref (found->pdata[i]);
            pb_meeting_add_item_dialog_search (dialog, words[w]);
          }
    }
  g_assert_nonnull (card);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  g_assert_true (pb_meeting_add_item_dialog_choose (dialog, pb_card_get_id (card)));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");

  WAIT_FOR (g_list_model_get_n_items (model) == before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before + 1);
  g_assert_cmpuint (changes, >=, 1);
  g_clear_pointer (&agenda, g_ptr_array_unref);
  agenda = pb_meeting_list_agenda (store, meeting, NULL);
  added = agenda_entry_of_item (agenda, pb_card_get_id (card));
  g_assert_nonnull (added);
  g_assert_nonnull (agenda_row_of (page, added->id));
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (card)));
  g_signal_handler_disconnect (model, handler);
}

/* The chair ticks an organisation in the room: recorded at once, and said above the agenda. */
static void
attendance_shows (PbMeetingPage *page,
                  PbStore       *store,
                  const char    *meeting)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GPtrArray) before = pb_meeting_list_attendance (store, meeting, NULL);
  g_autoptr(GPtrArray) after = NULL;
  const PbOrganisation *absent = NULL;
  PbMeetingAttendanceDialog *dialog;

  for (guint i = 0; absent == NULL && i < orgs->len; i++)
    {
      gboolean recorded = FALSE;

      for (guint k = 0; k < before->len; k++)
        recorded |= g_strcmp0 (((PbAttendance *) before->pdata[k])->org, ((PbOrganisation *) orgs->pdata[i])->id) == 0;
      if (!recorded)
        absent = orgs->pdata[i];
    }
  g_assert_nonnull (absent);

  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.attendance", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = PB_MEETING_ATTENDANCE_DIALOG (find_dialog ());
  g_assert_true (pb_meeting_attendance_dialog_set_in_room (dialog, absent->id, TRUE, "Test Attendee"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  iterate (50);

  after = pb_meeting_list_attendance (store, meeting, NULL);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  /* Nobody else was written: those recorded before are as they were. */
  for (guint k = 0; k < before->len; k++)
    {
      PbAttendance *was = before->pdata[k];
      gboolean same = FALSE;

      for (guint j = 0; j < after->len; j++)
        {
          PbAttendance *now = after->pdata[j];
          same |= g_strcmp0 (now->org, was->org) == 0 && now->in_room == was->in_room && now->connected == was->connected;
        }
      g_assert_true (same);
    }
  /* Above the agenda, the organisations attending. */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean said = FALSE;

    collect (GTK_WIDGET (page), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_label (labels->pdata[i]);

        said |= g_str_has_prefix (text, "Attending: ") && strstr (text, absent->short_code) != NULL;
      }
    g_assert_true (said);
  }
}

/* The chair on the demo's open meeting: the agenda as proposed, presenting an entry, the
 * projector's redaction, a decision through the dialog, the minutes. */
static void
test_meeting_chair (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autofree char *pdf = pb_test_tmp_path ("minutes.pdf");
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMeeting) current = NULL;
  g_autoptr(PbMeeting) after = NULL;
  g_auto(GStrv) room = NULL;
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  PbMeetingPage *page;
  PbStore *store;
  PbProjectorWindow *projector;
  const PbAgendaEntry *open = NULL, *restricted = NULL;
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) drop_downs = g_ptr_array_new ();
  g_autofree char *status = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  gtk_window_present (GTK_WINDOW (window));
  iterate (100);
  store = pb_window_get_store (window);
  page = first_of (GTK_WIDGET (window), PB_TYPE_MEETING_PAGE);
  current = pb_meeting_get_current (store, &error);
  g_assert_nonnull (current);
  g_assert_cmpstr (pb_meeting_page_get_meeting (page), ==, current->id);

  /* Every entry of the agenda is a row. */
  agenda = pb_meeting_list_agenda (store, current->id, &error);
  g_assert_cmpuint (agenda->len, >, 10);
  rows = agenda_rows (page);
  g_assert_cmpuint (rows->len, ==, agenda->len);

  /* The room (the prosecutor's office, the judicial police, customs, and whoever joined
   * from their own Portboard in the tests before) sees some entries and not others. */
  room = pb_meeting_room_orgs (store, current->id, &error);
  g_assert_cmpuint (g_strv_length (room), >=, 3);
  for (guint i = 0; i < agenda->len; i++)
    {
      const PbAgendaEntry *e = agenda->pdata[i];
      if (pb_meeting_room_may_see (store, e->item, (const char *const *) room))
        open = open ? open : e;
      else if (e->card)
        restricted = restricted ? restricted : e;
    }
  g_assert_nonnull (open);
  g_assert_nonnull (restricted);

  /* Presenting: written on the meeting, shown large on the page and on the projector. */
  adw_view_stack_set_visible_child_name (first_of (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK), "meeting");
  projector = PB_PROJECTOR_WINDOW (pb_meeting_page_open_projector (page));
  activate_entry (page, open->id);
  g_clear_pointer (&after, pb_meeting_free);
  after = pb_meeting_get (store, current->id, &error);
  g_assert_cmpstr (after->presenting, ==, open->id);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, open->id);
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (open->card)));
  g_assert_cmpstr (pb_projector_window_get_title_text (projector), ==, pb_card_get_title (open->card));

  /* The meeting's row changed (what it presents): the meeting choice still shows it. */
  {
    PbLiveItem *chosen = gtk_drop_down_get_selected_item (first_of (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
    g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (current->starts_at);
    g_autofree char *day_text = g_date_time_format (day, "%Y-%m-%d");
    g_autofree char *name = g_strdup_printf ("%s — %s", current->title, day_text);

    g_assert_nonnull (chosen);
    g_assert_cmpstr (((const PbMeeting *) pb_live_item_get (chosen))->id, ==, current->id);
    g_assert_true (shows_text (GTK_WIDGET (page), name));
  }

  /* An item not every organisation in the room may see is not on the room's screen; the
   * chair's own page still shows it. */
  activate_entry (page, restricted->id);
  g_assert_true (shows_text (GTK_WIDGET (page), pb_card_get_title (restricted->card)));
  g_assert_true (g_str_has_prefix (pb_projector_window_get_title_text (projector), "Restricted item ("));
  g_assert_false (shows_text (GTK_WIDGET (projector), pb_card_get_title (restricted->card)));
  gtk_window_destroy (GTK_WINDOW (projector));

  /* Decide through the dialog: Monitor, applied to the item. */
  activate_entry (page, open->id);
  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.decide", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  collect (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, drop_downs);
  g_assert_cmpuint (drop_downs->len, >=, 4);
  gtk_drop_down_set_selected (drop_downs->pdata[0], PB_OUTCOME_MONITOR);
  adw_message_dialog_response (dialog, "decide");
  iterate (100);
  {
    g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (store, current->id, open->item, &error);
    g_autoptr(PbCard) card = pb_store_load_card (store, open->item, &error);

    g_assert_cmpuint (decisions->len, ==, 1);
    g_assert_cmpint (((PbDecision *) decisions->pdata[0])->outcome, ==, PB_OUTCOME_MONITOR);
    g_assert_cmpint (pb_card_get_status (card), ==, PB_STATUS_MONITORING);
  }
  g_assert_true (shows_text (GTK_WIDGET (page), "Monitor"));

  /* What the chair does shows by itself. */
  add_item_shows (page, store, current->id);
  attendance_shows (page, store, current->id);

  /* The minutes, with their SHA-256 on record. */
  g_assert_true (pb_meeting_page_write_minutes (page, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (length > 1000 && memcmp (contents, "%PDF", 4) == 0);
  g_clear_pointer (&after, pb_meeting_free);
  after = pb_meeting_get (store, current->id, &error);
  g_assert_nonnull (after->minutes_sha256);

  /* Alt+↑ on the focused entry moves it up; the focus stays on it. */
  {
    g_autoptr(GPtrArray) before = pb_meeting_list_agenda (store, current->id, &error);
    g_autoptr(GPtrArray) now = NULL;
    const char *second = ((PbAgendaEntry *) before->pdata[1])->id;
    GtkListBoxRow *row = agenda_row_of (page, second);
    GtkWidget *focus;

    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (row)));
    gtk_widget_activate_action (GTK_WIDGET (row), "meeting.move-focused", "i", -1);
    iterate (50);
    now = pb_meeting_list_agenda (store, current->id, &error);
    g_assert_cmpstr (((PbAgendaEntry *) now->pdata[0])->id, ==, second);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    while (focus && !PB_IS_MEETING_AGENDA_ROW (focus))
      focus = gtk_widget_get_parent (focus);
    g_assert_nonnull (focus);
    g_assert_cmpstr (pb_meeting_agenda_row_get_entry_id (PB_MEETING_AGENDA_ROW (focus)), ==, second);
  }

  /* A new meeting: a start that is not a date and time is not accepted. */
  gtk_widget_activate_action (GTK_WIDGET (page), "meeting.new", NULL);
  WAIT_FOR (find_dialog () != NULL);
  dialog = find_dialog ();
  {
    GtkEditable *starts = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                        PB_TYPE_MEETING_OPEN_DIALOG, "starts_entry"));
    g_autoptr(GDateTime) expected = g_date_time_new_local (2026, 12, 3, 9, 30, 0);
    g_autoptr(PbMeeting) opened = NULL;

    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
    gtk_editable_set_text (starts, "next Thursday");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "open"));
    gtk_editable_set_text (starts, "2026-12-03 09:30");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
    adw_message_dialog_response (dialog, "open");
    iterate (100);
    opened = pb_meeting_get (store, pb_meeting_page_get_meeting (page), &error);
    g_assert_nonnull (opened);
    g_assert_cmpstr (opened->id, !=, current->id);
    g_assert_cmpint (opened->starts_at, ==, g_date_time_to_unix (expected));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (50);
  g_unlink (pdf);
}

static gboolean
presenting_is (PbStore    *store,
               const char *meeting,
               const char *entry)
{
  g_autoptr(PbMeeting) m = pb_meeting_get (store, meeting, NULL);
  return m && g_strcmp0 (m->presenting, entry) == 0;
}

static guint
attendance_length (SyncClient *c,
                   const char *meeting)
{
  g_autoptr(GPtrArray) attendance = NULL;

  sync_client_sync (c);
  attendance = pb_meeting_list_attendance (c->store, meeting, NULL);
  iterate (50);
  return attendance ? attendance->len : 0;
}

/* A participant follows the chair over a real hub, looks elsewhere after switching Follow
 * off, and comes back; their Portboard says they are connected. */
static void
test_meeting_follow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-gui-meeting-XXXXXX", &error);
  g_autofree char *chair_path = g_build_filename (dir, "chair.sqlite", NULL);
  g_autofree char *police_path = g_build_filename (dir, "police.sqlite", NULL);
  g_autofree char *credential_file = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autofree char *meeting = NULL, *a = NULL, *b = NULL, *entry_a = NULL, *entry_b = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) toggles = g_ptr_array_new ();
  g_autoptr(GPtrArray) attendance = NULL;
  SyncClient chair = { 0 }, police = { 0 };
  GtkToggleButton *follow = NULL;
  PbTestHub hub;
  PbWindow *window;
  PbMeetingPage *page;
  gint64 started;
  double seconds;

  g_free (pb_test_hub_add_user (dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&hub, dir, FALSE);
  sync_client_enrol (&police, &hub, police_path, "Karim", "Federal Police", "police", "officer");
  sync_client_enrol (&chair, &hub, chair_path, "Rania", "Port Prosecutor", "prosecution", "chair");
  a = sync_client_add_item (&chair, "Reefer at K913");
  b = sync_client_add_item (&chair, "Divers near the Kallo lock");
  g_assert_true (pb_meeting_open (chair.store, "Consultation 48", "Port House", 0, &meeting, &error));
  g_assert_true (pb_meeting_add_entry (chair.store, meeting, a, &error));
  g_assert_true (pb_meeting_add_entry (chair.store, meeting, b, &error));
  g_assert_no_error (error);
  agenda = pb_meeting_list_agenda (chair.store, meeting, &error);
  entry_a = g_strdup (((PbAgendaEntry *) agenda->pdata[0])->id);
  entry_b = g_strdup (((PbAgendaEntry *) agenda->pdata[1])->id);
  sync_client_sync (&chair);

  /* The officer's Portboard opens on the meeting in progress. */
  window = open_enrolled_window (&police, police_path, &credential_file);
  page = first_of (GTK_WIDGET (window), PB_TYPE_MEETING_PAGE);
  adw_view_stack_set_visible_child_name (first_of (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK), "meeting");
  WAIT_FOR (g_strcmp0 (pb_meeting_page_get_meeting (page), meeting) == 0);
  g_assert_cmpstr (pb_meeting_page_get_meeting (page), ==, meeting);
  g_assert_null (pb_meeting_page_get_shown_entry (page));

  /* The chair presents; the officer's page follows by the live channel. */
  g_assert_true (pb_meeting_present (chair.store, meeting, entry_a, &error));
  started = g_get_monotonic_time ();
  sync_client_sync (&chair);
  WAIT_FOR (g_strcmp0 (pb_meeting_page_get_shown_entry (page), entry_a) == 0);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_a);
  g_test_message ("the officer's page showed the presented entry %.2f s after the chair's push", seconds);
  g_assert_cmpfloat (seconds, <, 5);
  g_assert_true (shows_text (GTK_WIDGET (page), "Reefer at K913"));

  /* Follow off: the officer stays where they are when the chair moves on. */
  collect (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON, toggles);
  for (guint i = 0; i < toggles->len; i++)
    if (g_strcmp0 (gtk_button_get_label (toggles->pdata[i]), "_Follow the Chair") == 0)
      follow = toggles->pdata[i];
  g_assert_nonnull (follow);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (follow)));
  gtk_toggle_button_set_active (follow, FALSE);
  g_assert_true (pb_meeting_present (chair.store, meeting, entry_b, &error));
  sync_client_sync (&chair);
  WAIT_FOR (presenting_is (pb_window_get_store (window), meeting, entry_b));
  g_assert_true (presenting_is (pb_window_get_store (window), meeting, entry_b));
  iterate (300);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_a);
  gtk_toggle_button_set_active (follow, TRUE);
  g_assert_cmpstr (pb_meeting_page_get_shown_entry (page), ==, entry_b);

  /* The officer's Portboard said that the police are connected; the chair learns it. */
  WAIT_FOR (attendance_length (&chair, meeting) == 1);
  attendance = pb_meeting_list_attendance (chair.store, meeting, NULL);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_true (((PbAttendance *) attendance->pdata[0])->connected);
  g_assert_cmpstr (((PbAttendance *) attendance->pdata[0])->org_name, ==, "Federal Police");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate (100);
  pb_test_hub_stop (&hub);
  sync_client_clear (&police);
  sync_client_clear (&chair);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
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
