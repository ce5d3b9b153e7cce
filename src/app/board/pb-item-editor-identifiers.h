/* pb-item-editor-identifiers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-identifier.h"
#include "pb-store.h"
#include "pb-store-edit.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_IDENTIFIERS (pb_item_editor_identifiers_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorIdentifiers, pb_item_editor_identifiers, PB, ITEM_EDITOR_IDENTIFIERS, GtkWidget)

void        pb_item_editor_identifiers_load           (PbItemEditorIdentifiers *self,
                                                       PbStore                 *store,
                                                       const char              *item_id);
void        pb_item_editor_identifiers_set_read_only  (PbItemEditorIdentifiers *self,
                                                       gboolean                 read_only);
void        pb_item_editor_identifiers_collect        (PbItemEditorIdentifiers *self,
                                                       PbItemEdit              *edit);
void        pb_item_editor_identifiers_type           (PbItemEditorIdentifiers *self,
                                                       PbIdentifierKind         kind,
                                                       const char              *value,
                                                       gboolean                 known_invalid);
gboolean    pb_item_editor_identifiers_add            (PbItemEditorIdentifiers *self);
const char *pb_item_editor_identifiers_get_validation (PbItemEditorIdentifiers *self);

G_END_DECLS
