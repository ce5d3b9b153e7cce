/* pb-item-editor-links.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_LINKS (pb_item_editor_links_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorLinks, pb_item_editor_links, PB, ITEM_EDITOR_LINKS, GtkWidget)

void pb_item_editor_links_show (PbItemEditorLinks *self,
                                PbStore           *store,
                                const char        *item_id,
                                gboolean           read_only);

G_END_DECLS
