/* pb-item-editor-details.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ITEM_EDITOR_DETAILS (pb_item_editor_details_get_type ())
G_DECLARE_FINAL_TYPE (PbItemEditorDetails, pb_item_editor_details, PB, ITEM_EDITOR_DETAILS, GtkWidget)

void        pb_item_editor_details_load          (PbItemEditorDetails *self,
                                                  PbStore             *store,
                                                  GHashTable          *fields,
                                                  GPtrArray           *orgs);
void        pb_item_editor_details_set_read_only (PbItemEditorDetails *self,
                                                  gboolean             read_only);
const char *pb_item_editor_details_get_problem   (PbItemEditorDetails *self);
void        pb_item_editor_details_collect       (PbItemEditorDetails *self,
                                                  PbRecord            *item);
void        pb_item_editor_details_set_title     (PbItemEditorDetails *self,
                                                  const char          *title);
void        pb_item_editor_details_set_tlp       (PbItemEditorDetails *self,
                                                  int                  tlp);
void        pb_item_editor_details_focus         (PbItemEditorDetails *self);

G_END_DECLS
