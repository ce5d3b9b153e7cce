/* pb-store-private.h: what cards ask of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-store.h"

G_BEGIN_DECLS

char *_pb_store_main_identifier (PbStore    *self,
                                 const char *item_id);

char *_pb_store_hit_codes       (PbStore    *self,
                                 const char *item_id);

G_END_DECLS
