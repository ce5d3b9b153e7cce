/* pb-board-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-filter-bar.h"
#include "pb-item-editor.h"
#include "pb-board.h"
#include "pb-context.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_BOARD_PAGE (pb_board_page_get_type ())
G_DECLARE_FINAL_TYPE (PbBoardPage, pb_board_page, PB, BOARD_PAGE, GtkWidget)

gboolean    pb_board_page_load        (PbBoardPage *self,
                                       PbContext   *context,
                                       GError     **error);
GListModel *pb_board_page_get_cards   (PbBoardPage *self);
GListModel *pb_board_page_get_column  (PbBoardPage *self,
                                       PbStatus     status);
void        pb_board_page_open_card   (PbBoardPage *self,
                                       PbCard      *card);
gboolean    pb_board_page_move_card   (PbBoardPage *self,
                                       PbCard      *card,
                                       PbStatus     column,
                                       PbCard      *before);
gboolean    pb_board_page_undo        (PbBoardPage *self);
gboolean    pb_board_page_apply_filter (PbBoardPage    *self,
                                        const PbFilter *filter,
                                        GError        **error);
PbFilterBar *pb_board_page_get_filter_bar (PbBoardPage *self);
PbItemEditor *pb_board_page_get_editor (PbBoardPage *self);
void        pb_board_page_set_settings (PbBoardPage *self,
                                        GSettings   *settings);
PbBoard    *pb_board_page_get_board   (PbBoardPage *self);

void          pb_board_page_set_selecting     (PbBoardPage *self,
                                               gboolean     selecting);
GStrv         pb_board_page_get_marked        (PbBoardPage *self);
void          pb_board_page_open_item         (PbBoardPage *self,
                                               const char  *item_id);
PbItemSet    *pb_board_page_get_filter        (PbBoardPage *self);
void          pb_board_page_new_item_at       (PbBoardPage *self,
                                               double       lat,
                                               double       lon);

G_END_DECLS
