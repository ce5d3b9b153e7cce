/* pb-item-details.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_DETAILS (pb_item_details_get_type ())
G_DECLARE_FINAL_TYPE (PbItemDetails, pb_item_details, PB, ITEM_DETAILS, AdwWindow)

GtkWidget *pb_item_details_new (GtkWindow  *parent,
                                PbStore    *store,
                                GHashTable *fields);

G_END_DECLS
