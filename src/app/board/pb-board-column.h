/* pb-board-column.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "pb-board.h"
#include "pb-card.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_BOARD_COLUMN (pb_board_column_get_type ())
G_DECLARE_FINAL_TYPE (PbBoardColumn, pb_board_column, PB, BOARD_COLUMN, GtkWidget)

PbBoardColumn *pb_board_column_new       (PbBoard    *board,
                                          PbStatus    status);
void           pb_board_column_set_filter (PbBoardColumn *self,
                                           PbItemSet     *set);
GListModel    *pb_board_column_get_model (PbBoardColumn *self);
PbStatus       pb_board_column_get_status (PbBoardColumn *self);
void           pb_board_column_set_collapsible (PbBoardColumn *self,
                                                gboolean       collapsed);
gboolean       pb_board_column_get_expanded (PbBoardColumn *self);
gboolean       pb_board_column_drop_card (PbBoardColumn *self,
                                          PbCard        *card,
                                          double         x,
                                          double         y);
PbCard        *pb_board_column_get_selected (PbBoardColumn *self);
void           pb_board_column_focus_card (PbBoardColumn *self,
                                           PbCard        *card);

void            pb_board_column_set_marks      (PbBoardColumn *self,
                                                GHashTable    *marks,
                                                gboolean       selecting);
void            pb_board_column_set_marked     (PbBoardColumn *self,
                                                PbCard        *card,
                                                gboolean       marked);

G_END_DECLS
