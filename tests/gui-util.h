/* gui-util.h: what the GUI tests share: the demo database, waiting for conditions,
 * finding widgets, clients enrolled with a test hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "board/pb-board-page.h"
#include "board/pb-board-column.h"
#include "board/pb-card-row.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-test-hub.h"
#include "pb-window.h"

G_BEGIN_DECLS

/* The demo database every test opens a window on (made once, in main). */
extern char *demo_path;

/* How long a wait may last: 10 s, times PB_TEST_WAIT_SCALE (the sanitized build is slow). */
gint64 wait_limit_us (void);

/* Runs the main loop until @cond holds, for at most wait_limit_us(). */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 wait_end_ = g_get_monotonic_time () + wait_limit_us (); \
    while (!(cond) && g_get_monotonic_time () < wait_end_) \
      g_main_context_iteration (NULL, FALSE); \
  } G_STMT_END

typedef struct
{
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
} SyncClient;

/* Waiting */
void              settle               (void);
void              wait_frames          (GtkWidget     *widget,
                                        guint          n);
void              show_window          (PbWindow      *window);
void              search_for           (PbBoardPage   *page,
                                        const char    *text);
void              collect_changes_cb   (PbStore       *store,
                                        PbChangeSet   *changes,
                                        PbChangeSet   *all);

/* Finding widgets and what they show */
void              collect              (GtkWidget     *widget,
                                        GType          type,
                                        GPtrArray     *out);
gpointer          first_of             (GtkWidget     *widget,
                                        GType          type);
gpointer          row_titled           (GtkWidget     *widget,
                                        GType          type,
                                        const char    *title);
AdwMessageDialog *find_dialog          (void);
gboolean          shows_text           (GtkWidget     *widget,
                                        const char    *text);
PbBoardPage      *board_of             (PbWindow      *window);
GtkWidget        *list_of              (PbBoardColumn *column);
PbCardRow        *row_of               (GtkWidget     *widget,
                                        PbCard        *card);
guint             shown                (PbBoardPage   *page);

/* The demo database */
char             *person_of_role       (const char    *role);
char             *db_status            (PbWindow      *window,
                                        const char    *item);

/* Clients enrolled with a test hub */
void              sync_client_clear    (SyncClient    *c);
void              sync_client_enrol    (SyncClient    *c,
                                        PbTestHub     *hub,
                                        const char    *path,
                                        const char    *name,
                                        const char    *org,
                                        const char    *kind,
                                        const char    *role);
void              sync_client_sync     (SyncClient    *c);
void              sync_client_set_title (SyncClient   *c,
                                        const char    *item,
                                        const char    *title);
char             *sync_client_add_item (SyncClient    *c,
                                        const char    *title);
PbWindow         *open_enrolled_window (SyncClient    *c,
                                        const char    *path,
                                        char         **credential_file);

/* The tests, registered by main in test-gui.c. */
void test_board_shows_cards (void);
void test_partner_sees_less (void);
void test_sign_in (void);
void test_bad_database (void);
void test_board_follows (void);
void test_keyboard_move_and_undo (void);
void test_partner_cannot_move (void);
void test_drag_and_drop (void);
void test_search_filters_columns (void);
void test_saved_filters (void);
void test_case_from_selection (void);
void test_editor_new_item (void);
void test_editor_save_and_undo (void);
void test_editor_read_only_for_partner (void);
void test_editor_links (void);
void test_editor_place_and_sharing (void);
void test_editor_requests (void);
void test_map_page (void);
void test_map_online (void);
void test_sync_window (void);
void test_sync_connect (void);
void test_meeting_chair (void);
void test_meeting_follow (void);

G_END_DECLS
