/* pb-card-filter-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_CARD_FILTER_MODEL (pb_card_filter_model_get_type ())
G_DECLARE_FINAL_TYPE (PbCardFilterModel, pb_card_filter_model, PB, CARD_FILTER_MODEL, GObject)

PbCardFilterModel *pb_card_filter_model_new        (GListModel        *source);
void               pb_card_filter_model_set_filter (PbCardFilterModel *self,
                                                    PbItemSet         *set);

G_END_DECLS
