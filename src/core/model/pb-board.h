/* pb-board.h: the board as a live model: the cards of each column, kept in step with the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-card.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_BOARD (pb_board_get_type ())
G_DECLARE_FINAL_TYPE (PbBoard, pb_board, PB, BOARD, GObject)

PbBoard    *pb_board_new            (PbStore     *store) G_GNUC_WARN_UNUSED_RESULT;
PbStore    *pb_board_get_store      (PbBoard     *self);
gboolean    pb_board_load           (PbBoard     *self,
                                     GError     **error);
GListModel *pb_board_get_column     (PbBoard     *self,
                                     PbStatus     status);
guint       pb_board_get_n_cards    (PbBoard     *self);
PbCard     *pb_board_lookup         (PbBoard     *self,
                                     const char  *item_id);
void        pb_board_want_details   (PbBoard     *self,
                                     PbCard      *card);
gboolean    pb_board_read_details   (PbBoard     *self,
                                     PbCard     **cards,
                                     guint        n,
                                     GError     **error);
guint       pb_board_get_loads      (PbBoard     *self);

int         pb_board_compare_cards  (gconstpointer a,
                                     gconstpointer b,
                                     gpointer      user_data);
gboolean    pb_board_find_position  (GListModel  *column,
                                     PbCard      *card,
                                     guint       *position);

G_END_DECLS
