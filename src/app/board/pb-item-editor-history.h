/* pb-item-editor-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_HISTORY (pb_item_editor_history_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorHistory, pb_item_editor_history, PB, ITEM_EDITOR_HISTORY, GtkWidget)

void        pb_item_editor_history_show        (PbItemEditorHistory *self,
                                                PbStore             *store,
                                                const char          *item_id);
guint       pb_item_editor_history_get_length  (PbItemEditorHistory *self);

const char *pb_item_editor_field_label         (const char          *field);

G_END_DECLS
