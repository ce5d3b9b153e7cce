/* test-gui-sync.c: the window and a real hub: synced changes shown, status, enrolment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
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

void
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

  /* A change from the hub that the chair's database could not apply was kept aside
   * earlier (issue 15, finding 6): the status says so, and the rest goes on. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (chair_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO sync_quarantine (found_at, tbl, row_id, op, change, error)"
                                       " VALUES (1790000000000, 'items', 'x', 'insert', '{}',"
                                       " 'NOT NULL constraint failed: items.author')", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }

  /* The chair's Portboard opens, signed in as the person it is enrolled for. */
  window = open_enrolled_window (&chair, chair_path, &credential_file);
  page = first_of (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE);
  status = first_of (GTK_WIDGET (window), PB_TYPE_SYNC_STATUS);
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  WAIT_FOR (status_starts_with (status, "Synced"));
  g_assert_cmpstr (pb_sync_status_get_text (status), !=, "Not Connected");
  g_assert_true (status_starts_with (status, "Synced"));
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean said = FALSE;

    collect (GTK_WIDGET (status), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      said |= strstr (gtk_label_get_label (labels->pdata[i]), "1 change from the hub could not be applied here") != NULL;
    g_assert_true (said);
    g_assert_true (gtk_widget_has_css_class (gtk_widget_get_first_child (GTK_WIDGET (status)), "warning"));
  }

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
  settle ();
  sync_client_clear (&police);
  sync_client_clear (&chair);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A participant's first start: an empty database, Connect to Hub… on the page that says
 * nobody can sign in, the address and the token; the hub's people arrive and the enrolled
 * person is signed in. */
void
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
  show_window (window);
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
  settle ();
  pb_test_hub_stop (&hub);
  g_unlink (credential_file);
  g_assert_cmpint (system (cmd), ==, 0);
}
