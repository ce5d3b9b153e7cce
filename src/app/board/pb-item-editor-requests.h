/* pb-item-editor-requests.h: what is asked of the organisation an item comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_REQUESTS (pb_item_editor_requests_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorRequests, pb_item_editor_requests, PB, ITEM_EDITOR_REQUESTS, GtkWidget)

void        pb_item_editor_requests_show  (PbItemEditorRequests *self,
                                           PbStore              *store,
                                           const char           *item_id,
                                           const char           *source_org,
                                           gboolean              read_only);
GListModel *pb_item_editor_requests_get_model (PbItemEditorRequests *self);

G_END_DECLS
