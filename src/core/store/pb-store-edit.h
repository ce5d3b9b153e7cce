/* pb-store-edit.h: saving an item as one act, and undoing that act
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-store.h"

G_BEGIN_DECLS

/* What a person wrote in an item: its fields, the identifiers added and removed, the
 * organisations it is shared with by name or no longer. */
typedef struct _PbItemEdit PbItemEdit;

/* What undoes one save (opaque). */
typedef struct _PbUndo PbUndo;

PbItemEdit     *pb_item_edit_new                (const char       *item_id) G_GNUC_WARN_UNUSED_RESULT;
void            pb_item_edit_free               (PbItemEdit       *edit);
const char     *pb_item_edit_get_item_id        (const PbItemEdit *edit);
PbRecord       *pb_item_edit_get_fields         (PbItemEdit       *edit);
void            pb_item_edit_add_identifier     (PbItemEdit       *edit,
                                                 const char       *kind,
                                                 const char       *raw,
                                                 gboolean          known_invalid);
void            pb_item_edit_remove_identifier  (PbItemEdit       *edit,
                                                 const char       *identifier_id);
void            pb_item_edit_set_shared         (PbItemEdit       *edit,
                                                 const char       *org_id,
                                                 gboolean          shared);

gboolean        pb_store_save_item              (PbStore          *self,
                                                 const PbItemEdit *edit,
                                                 char            **item_id,
                                                 PbUndo          **undo,
                                                 GError          **error);

gboolean        pb_undo_apply                   (PbStore          *self,
                                                 PbUndo           *undo,
                                                 GError          **error);
const char     *pb_undo_get_item_id             (PbUndo           *undo);
gboolean        pb_undo_get_removes_item        (PbUndo           *undo);
void            pb_undo_free                    (PbUndo           *undo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbItemEdit, pb_item_edit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbUndo, pb_undo_free)

G_END_DECLS
