/* pb-item-editor-conflicts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_CONFLICTS (pb_item_editor_conflicts_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorConflicts, pb_item_editor_conflicts, PB, ITEM_EDITOR_CONFLICTS, GtkWidget)

void pb_item_editor_conflicts_show (PbItemEditorConflicts *self,
                                    PbStore               *store,
                                    const char            *item_id,
                                    gboolean               read_only);

G_END_DECLS
