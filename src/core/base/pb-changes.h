/* pb-changes.h: what one transaction changed, row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store collects a change set while a transaction runs — every row the write path
 * wrote, whether this program, an undo or the synchronisation wrote it — and hands it to
 * PbStore::rows-changed once the transaction is committed. Models read it to change only
 * what changed.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PB_ROW_INSERTED = 1 << 0,
  PB_ROW_UPDATED  = 1 << 1,
  PB_ROW_DELETED  = 1 << 2,
} PbRowChange;

typedef struct _PbChangeSet PbChangeSet;

#define PB_TYPE_CHANGE_SET (pb_change_set_get_type ())

GType        pb_change_set_get_type  (void) G_GNUC_CONST;
PbChangeSet *pb_change_set_new       (void);
PbChangeSet *pb_change_set_ref       (PbChangeSet *self);
void         pb_change_set_unref     (PbChangeSet *self);

void         pb_change_set_add       (PbChangeSet *self,
                                      const char  *table,
                                      const char  *row_id,
                                      PbRowChange  change);
void         pb_change_set_merge     (PbChangeSet *self,
                                      PbChangeSet *other);
void         pb_change_set_clear     (PbChangeSet *self);
gboolean     pb_change_set_is_empty  (PbChangeSet *self);
gboolean     pb_change_set_touches   (PbChangeSet *self,
                                      const char  *table);
gboolean     pb_change_set_touches_any (PbChangeSet        *self,
                                        const char * const *tables);
guint        pb_change_set_count     (PbChangeSet *self,
                                      const char  *table);
PbRowChange  pb_change_set_lookup    (PbChangeSet *self,
                                      const char  *table,
                                      const char  *row_id);
GPtrArray   *pb_change_set_rows      (PbChangeSet *self,
                                      const char  *table,
                                      PbRowChange  changes);
GStrv        pb_change_set_tables    (PbChangeSet *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbChangeSet, pb_change_set_unref)

G_END_DECLS
