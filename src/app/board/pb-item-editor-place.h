/* pb-item-editor-place.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"
#include "pb-store-edit.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_PLACE (pb_item_editor_place_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorPlace, pb_item_editor_place, PB, ITEM_EDITOR_PLACE, GtkWidget)

void        pb_item_editor_place_load          (PbItemEditorPlace *self,
                                                PbStore           *store,
                                                const char        *item_id,
                                                GHashTable        *fields,
                                                GPtrArray         *orgs);
void        pb_item_editor_place_set_read_only (PbItemEditorPlace *self,
                                                gboolean           read_only);
const char *pb_item_editor_place_get_problem   (PbItemEditorPlace *self);
void        pb_item_editor_place_collect       (PbItemEditorPlace *self,
                                                PbItemEdit        *edit);
void        pb_item_editor_place_set_location  (PbItemEditorPlace *self,
                                                double             lat,
                                                double             lon);
const char *pb_item_editor_place_get_terminal  (PbItemEditorPlace *self);

G_END_DECLS
