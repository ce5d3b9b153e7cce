/* gui-util.c: what the GUI tests share
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

gint64
wait_limit_us (void)
{
  const char *scale = g_getenv ("PB_TEST_WAIT_SCALE");
  gint64 factor = scale ? g_ascii_strtoll (scale, NULL, 10) : 1;

  return 10 * G_USEC_PER_SEC * MAX (factor, 1);
}

/* Runs what is pending (idle callbacks, a destroyed window's last events) until nothing
 * is: so that one test's leftovers do not run in the next. */
void
settle (void)
{
  WAIT_FOR (!g_main_context_iteration (NULL, FALSE));
}

void
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

char *
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

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* Waits until the widget has drawn @n more frames: what changed is laid out and shown. */
void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  WAIT_FOR (frames >= n);
  gtk_widget_remove_tick_callback (widget, id);
  g_assert_cmpuint (frames, >=, n);
}

PbBoardPage *
board_of (PbWindow *window)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  collect (GTK_WIDGET (window), PB_TYPE_BOARD_PAGE, pages);
  g_assert_cmpuint (pages->len, ==, 1);
  return g_ptr_array_index (pages, 0);
}

char *
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

GtkWidget *
list_of (PbBoardColumn *column)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  collect (GTK_WIDGET (column), GTK_TYPE_LIST_VIEW, lists);
  g_assert_cmpuint (lists->len, ==, 1);
  return g_ptr_array_index (lists, 0);
}

PbCardRow *
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

guint
shown (PbBoardPage *page)
{
  guint n = 0;

  for (PbStatus s = 0; s < PB_N_STATUSES; s++)
    n += g_list_model_get_n_items (pb_board_page_get_column (page, s));
  return n;
}

AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

gpointer
first_of (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  g_assert_cmpuint (found->len, >, 0);
  return g_ptr_array_index (found, 0);
}

gpointer
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

/* ---- Synchronisation ---------------------------------------------------------------- */



void
sync_client_clear (SyncClient *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->transport);
  g_clear_pointer (&c->credential, g_free);
}

void
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

void
sync_client_sync (SyncClient *c)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

void
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

char *
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

/* The app's window on a client's database, signed in as the person it is enrolled for;
 * the credential is put where the app keeps it without a keyring. Returns the window and,
 * in @credential_file, the file to remove afterwards. The client's store is closed. */
PbWindow *
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

gboolean
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

/* Shows the window and waits until it is on screen and has drawn: its pages are laid out. */
void
show_window (PbWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  wait_frames (GTK_WIDGET (window), 2);
}

typedef struct
{
  GtkEditable *entry;
  const char  *text;
  guint        n;
} Search;

static void
on_filter_changed_cb (PbBoardPage *page,
                      Search      *search)
{
  /* Replacing the text first empties it, which the entry reports at once: only a filter
   * of the whole text counts. */
  if (g_str_equal (gtk_editable_get_text (search->entry), search->text))
    search->n++;
}

/* Types @text in the board's search field and waits for the board to be narrowed to it
 * (the search runs after a pause in typing). */
void
search_for (PbBoardPage *page,
            const char  *text)
{
  Search search = {
    GTK_EDITABLE (pb_filter_bar_get_search_entry (pb_board_page_get_filter_bar (page))), text, 0
  };
  gulong id = g_signal_connect (page, "filter-changed", G_CALLBACK (on_filter_changed_cb), &search);

  gtk_editable_set_text (search.entry, text);
  WAIT_FOR (search.n > 0);
  g_signal_handler_disconnect (page, id);
  g_assert_cmpuint (search.n, >, 0);
}

/* A "rows-changed" handler that gathers every change set into @all. */
void
collect_changes_cb (PbStore     *store,
                    PbChangeSet *changes,
                    PbChangeSet *all)
{
  pb_change_set_merge (all, changes);
}
