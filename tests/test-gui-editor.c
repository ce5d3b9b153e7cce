/* test-gui-editor.c: the item editor: a new item, save and undo, read-only for partners, links, place and sharing
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
#include "board/pb-item-editor-requests.h"
#include "board/pb-request-dialog.h"
#include "gui-util.h"

/* A new item in the side panel: the handling code first, identifiers checked as typed,
 * an invalid one only kept when marked known invalid; saved through the write path. */
void
test_editor_new_item (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  guint incoming = g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING));
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  show_window (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "board.new-item", NULL));
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
  /* The board shows the new card as the save commits. */
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
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), gone), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming + 1);
    g_assert_true (pb_board_page_undo (page));
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), gone), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (pb_board_page_get_column (page, PB_STATUS_INCOMING)), ==, incoming);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
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
void
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

  show_window (window);
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
  settle ();
}

void
test_editor_read_only_for_partner (void)
{
  g_autofree char *partner = person_of_role ("partner");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, partner);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (page), 0);
  g_autoptr(GError) error = NULL;

  show_window (window);
  pb_board_page_open_card (page, card);
  g_assert_cmpstr (pb_item_editor_get_item_id (editor), ==, pb_card_get_id (card));
  pb_item_editor_set_title (editor, "A partner's change");
  g_assert_false (pb_item_editor_can_save (editor));
  g_assert_false (pb_item_editor_save (editor, &error));
  g_assert_nonnull (error);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
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
void
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

  show_window (window);
  pb_board_page_open_card (page, card);
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
  popover = gtk_menu_button_get_popover (link_button);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
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
  settle ();
}

/* Place, time, modus operandi and sharing: a location on a terminal names the terminal,
 * a wrong event time blocks the save, and what is ticked is stored (sharing as rows). */
void
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

  show_window (window);
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
  settle ();
}

/* An item of another organisation: its sharing and handling code are shown, not offered;
 * the officer asks its organisation to share it with a partner, and that organisation's
 * officer, opening it, sees the request and accepts it: the item is shared (issue 15). */
void
test_editor_requests (void)
{
  g_autofree char *officer = person_of_role ("officer");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, officer);
  PbBoardPage *page = board_of (window);
  PbItemEditor *editor = pb_board_page_get_editor (page);
  PbStore *store = pb_window_get_store (window);
  const PbActor *me = pb_store_get_me (store);
  g_autoptr(PbCard) theirs = NULL;
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GPtrArray) share_checks = g_ptr_array_new ();
  g_autofree char *source = NULL, *source_person = NULL, *partner = NULL;
  AdwExpanderRow *share;
  AdwComboRow *tlp;
  PbItemEditorRequests *requests;
  PbRequestDialog *dialog;
  gint64 asked;

  show_window (window);
  /* A GREEN item of another organisation, which the officer sees. */
  for (guint i = 0; theirs == NULL && i < g_list_model_get_n_items (pb_board_page_get_cards (page)); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (page), i);
      g_autofree char *org = _pb_store_row_field (store, "items", "source_org", pb_card_get_id (card));

      if (pb_card_get_tlp (card) == PB_TLP_GREEN && g_strcmp0 (org, me->org) != 0)
        {
          theirs = g_object_ref (card);
          source = g_steal_pointer (&org);
        }
    }
  g_assert_nonnull (theirs);
  for (guint i = 0; i < orgs->len; i++)
    if (((PbOrganisation *) orgs->pdata[i])->kind == PB_ORG_PRIVATE_PARTNER && partner == NULL)
      partner = g_strdup (((PbOrganisation *) orgs->pdata[i])->id);
  g_assert_nonnull (partner);

  pb_board_page_open_card (page, theirs);
  share = row_titled (GTK_WIDGET (editor), ADW_TYPE_EXPANDER_ROW, "Shared with");
  tlp = row_titled (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, "Handling code");
  g_assert_nonnull (share);
  g_assert_nonnull (tlp);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (tlp)));
  collect (GTK_WIDGET (share), GTK_TYPE_CHECK_BUTTON, share_checks);
  g_assert_cmpuint (share_checks->len, >, 0);
  for (guint i = 0; i < share_checks->len; i++)
    g_assert_false (gtk_widget_get_sensitive (share_checks->pdata[i]));

  /* Ask: a reason is needed. */
  requests = first_of (GTK_WIDGET (editor), PB_TYPE_ITEM_EDITOR_REQUESTS);
  g_assert_nonnull (requests);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (requests)));
  asked = pb_test_count (store, "SELECT count(*) FROM requests");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (requests), "requests.ask", NULL));
  WAIT_FOR (find_dialog () != NULL);
  dialog = PB_REQUEST_DIALOG (find_dialog ());
  pb_request_dialog_set_choice (dialog, PB_REQUEST_SHARE, partner, NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ask"));
  pb_request_dialog_set_choice (dialog, PB_REQUEST_SHARE, partner, "The terminal can hold the container");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ask"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "ask");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM requests"), ==, asked + 1);
  /* The request shows by itself, open. */
  WAIT_FOR (g_list_model_get_n_items (pb_item_editor_requests_get_model (requests)) >= 1);
  {
    g_autoptr(PbLiveItem) first = g_list_model_get_item (pb_item_editor_requests_get_model (requests), 0);
    const PbRequest *r = pb_live_item_get (first);

    g_assert_cmpint (r->status, ==, PB_REQUEST_OPEN);
    g_assert_false (r->may_answer);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();

  /* The item's own organisation answers. */
  {
    g_autoptr(GPtrArray) people = NULL;
    g_autofree char *request_id = NULL;
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM item_shares WHERE item = '%s' AND org = '%s'",
                                            pb_card_get_id (theirs), partner);
    g_autoptr(PbStore) probe = pb_store_open (demo_path, NULL);

    people = pb_store_list_people (probe, NULL);
    for (guint i = 0; i < people->len && source_person == NULL; i++)
      if (g_strcmp0 (((PbPerson *) people->pdata[i])->org, source) == 0
          && ((PbPerson *) people->pdata[i])->role == PB_ROLE_OFFICER)
        source_person = g_strdup (((PbPerson *) people->pdata[i])->name);
    g_assert_nonnull (source_person);
    window = pb_window_new (NULL, NULL, demo_path, source_person);
    page = board_of (window);
    editor = pb_board_page_get_editor (page);
    show_window (window);
    /* The card says a request waits for an answer. */
    {
      PbCard *card = pb_board_lookup (pb_board_page_get_board (page), pb_card_get_id (theirs));

      g_assert_nonnull (card);
      g_assert_true (pb_board_read_details (pb_board_page_get_board (page), &card, 1, NULL));
      g_assert_cmpuint (pb_card_get_asked (card), ==, 1);
    }
    pb_board_page_open_item (page, pb_card_get_id (theirs));
    requests = first_of (GTK_WIDGET (editor), PB_TYPE_ITEM_EDITOR_REQUESTS);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (requests)));
    {
      g_autoptr(PbLiveItem) first = g_list_model_get_item (pb_item_editor_requests_get_model (requests), 0);
      const PbRequest *r = pb_live_item_get (first);

      g_assert_true (r->may_answer);
      request_id = g_strdup (r->id);
    }
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (requests), "requests.accept", "s", request_id));
    g_assert_cmpint (pb_test_count (pb_window_get_store (window), sql), ==, 1);
    /* Answered: the card no longer says so. */
    {
      PbCard *card = pb_board_lookup (pb_board_page_get_board (page), pb_card_get_id (theirs));

      g_assert_true (pb_board_read_details (pb_board_page_get_board (page), &card, 1, NULL));
      g_assert_cmpuint (pb_card_get_asked (card), ==, 0);
    }
    gtk_window_destroy (GTK_WINDOW (window));
    settle ();
  }
}
