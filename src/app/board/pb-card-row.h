/* pb-card-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "pb-card.h"

G_BEGIN_DECLS

#define PB_TYPE_CARD_ROW (pb_card_row_get_type ())
G_DECLARE_FINAL_TYPE (PbCardRow, pb_card_row, PB, CARD_ROW, GtkWidget)

PbCardRow *pb_card_row_new      (void);
void       pb_card_row_set_card (PbCardRow *self,
                                 PbCard    *card);
PbCard    *pb_card_row_get_card (PbCardRow *self);
void       pb_card_row_set_marking (PbCardRow *self,
                                    gboolean   selecting,
                                    gboolean   marked);

char      *pb_format_age        (gint64     then,
                                 gint64     now);
gboolean   pb_due_date_is_overdue (const char *due_date,
                                   GDateTime  *now);

G_END_DECLS
