/* pb-item-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-identifier.h"
#include "pb-context.h"
#include "pb-store.h"
#include "pb-store-edit.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR (pb_item_editor_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditor, pb_item_editor, PB, ITEM_EDITOR, GtkWidget)

gboolean    pb_item_editor_edit            (PbItemEditor *self,
                                            PbStore      *store,
                                            const char   *item_id,
                                            GError      **error);
gboolean    pb_item_editor_save            (PbItemEditor *self,
                                            GError      **error);
const char *pb_item_editor_get_item_id     (PbItemEditor *self);
PbUndo     *pb_item_editor_take_undo       (PbItemEditor *self);
void        pb_item_editor_set_location    (PbItemEditor *self,
                                            double        lat,
                                            double        lon);
const char *pb_item_editor_get_terminal    (PbItemEditor *self);
void        pb_item_editor_focus           (PbItemEditor *self);

/* For tests and keyboard users: what the form holds. */
void        pb_item_editor_set_title       (PbItemEditor *self,
                                            const char   *title);
void        pb_item_editor_set_tlp         (PbItemEditor *self,
                                            int           tlp);
void        pb_item_editor_type_identifier (PbItemEditor     *self,
                                            PbIdentifierKind  kind,
                                            const char       *value,
                                            gboolean          known_invalid);
gboolean    pb_item_editor_add_identifier  (PbItemEditor *self);
const char *pb_item_editor_get_validation  (PbItemEditor *self);
gboolean    pb_item_editor_can_save        (PbItemEditor *self);
guint       pb_item_editor_get_history_length (PbItemEditor *self);

void          pb_item_editor_set_context   (PbItemEditor *self,
                                            PbContext    *context);

G_END_DECLS
