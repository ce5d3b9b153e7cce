/* pb-card-private.h: what the store and the board model set on a card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-card.h"

G_BEGIN_DECLS

/* The organisation strings and the grading must be interned strings. */
PbCard     *_pb_card_new                (const char *id,
                                         gint64      rowid,
                                         const char *title,
                                         PbStatus    status,
                                         double      rank,
                                         PbTlp       tlp,
                                         PbPriority  priority,
                                         const char *source_org,
                                         const char *source_code,
                                         const char *source_colour,
                                         const char *lead_code,
                                         const char *grading,
                                         const char *due_date,
                                         gint64      reported_at);
/* Takes @from's fields (not its details); TRUE when something differs. */
gboolean    _pb_card_update             (PbCard     *self,
                                         PbCard     *from);
/* TRUE when something differs. */
gboolean    _pb_card_set_details        (PbCard     *self,
                                         const char *main_identifier,
                                         const char *hit_codes,
                                         gboolean    conflict,
                                         guint       asked);
void        _pb_card_forget_details     (PbCard     *self);
void        _pb_card_changed            (PbCard     *self);

G_END_DECLS
