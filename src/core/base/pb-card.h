/* pb-card.h: one item as the board shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "pb-vocab.h"

G_BEGIN_DECLS

#define PB_TYPE_CARD (pb_card_get_type ())
G_DECLARE_FINAL_TYPE (PbCard, pb_card, PB, CARD, GObject)

const char *pb_card_get_id              (PbCard *self);
gint64      pb_card_get_rowid           (PbCard *self);
const char *pb_card_get_title           (PbCard *self);
PbStatus    pb_card_get_status          (PbCard *self);
double      pb_card_get_rank            (PbCard *self);
PbTlp       pb_card_get_tlp             (PbCard *self);
PbPriority  pb_card_get_priority        (PbCard *self);
const char *pb_card_get_source_org      (PbCard *self);
const char *pb_card_get_source_code     (PbCard *self);
const char *pb_card_get_source_colour   (PbCard *self);
const char *pb_card_get_lead_code       (PbCard *self);
const char *pb_card_get_grading         (PbCard *self);
const char *pb_card_get_due_date        (PbCard *self);
gint64      pb_card_get_reported_at     (PbCard *self);

/* The details a card shows besides its row: read for the cards on screen (PbBoard), or
 * with the card for the few the store reads at a time. */
gboolean    pb_card_has_details         (PbCard *self);
const char *pb_card_get_main_identifier (PbCard *self);
const char *pb_card_get_hit_codes       (PbCard *self);
gboolean    pb_card_has_conflict        (PbCard *self);
guint       pb_card_get_asked           (PbCard *self);

G_END_DECLS
