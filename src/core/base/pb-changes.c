/* pb-changes.c: what one transaction changed, row by row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row changed twice in one set is one change: inserted then updated is inserted;
 * inserted then deleted is gone from the set (nobody saw it); updated then deleted is
 * deleted; deleted then inserted again is updated.
 */

#define G_LOG_DOMAIN "pb-changes"

#include "config.h"

#include "pb-changes.h"

struct _PbChangeSet
{
  gatomicrefcount  ref;
  GHashTable      *tables;   /* table → (row id → PbRowChange) */
};

G_DEFINE_BOXED_TYPE (PbChangeSet, pb_change_set, pb_change_set_ref, pb_change_set_unref)

PbChangeSet *
pb_change_set_new (void)
{
  PbChangeSet *self = g_new0 (PbChangeSet, 1);

  g_atomic_ref_count_init (&self->ref);
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  return self;
}

PbChangeSet *
pb_change_set_ref (PbChangeSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
pb_change_set_unref (PbChangeSet *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  g_hash_table_unref (self->tables);
  g_free (self);
}

static PbRowChange
combine (PbRowChange before,
         PbRowChange now)
{
  if (before == 0)
    return now;
  if (before == PB_ROW_INSERTED && now == PB_ROW_DELETED)
    return 0;
  if (before == PB_ROW_INSERTED)
    return PB_ROW_INSERTED;
  if (before == PB_ROW_DELETED && now == PB_ROW_INSERTED)
    return PB_ROW_UPDATED;
  if (now == PB_ROW_DELETED)
    return PB_ROW_DELETED;
  return before == PB_ROW_DELETED ? PB_ROW_DELETED : PB_ROW_UPDATED;
}

void
pb_change_set_add (PbChangeSet *self,
                   const char  *table,
                   const char  *row_id,
                   PbRowChange  change)
{
  GHashTable *rows;
  PbRowChange was, now;

  g_return_if_fail (self != NULL && table != NULL && row_id != NULL);

  rows = g_hash_table_lookup (self->tables, table);
  if (rows == NULL)
    {
      rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->tables, g_strdup (table), rows);
    }
  was = GPOINTER_TO_UINT (g_hash_table_lookup (rows, row_id));
  now = combine (was, change);
  if (now == 0)
    g_hash_table_remove (rows, row_id);
  else
    g_hash_table_insert (rows, g_strdup (row_id), GUINT_TO_POINTER (now));
  if (g_hash_table_size (rows) == 0)
    g_hash_table_remove (self->tables, table);
}

void
pb_change_set_merge (PbChangeSet *self,
                     PbChangeSet *other)
{
  GHashTableIter tables, rows;
  gpointer table, table_rows, row, change;

  g_return_if_fail (self != NULL);
  if (other == NULL || other == self)
    return;
  g_hash_table_iter_init (&tables, other->tables);
  while (g_hash_table_iter_next (&tables, &table, &table_rows))
    {
      g_hash_table_iter_init (&rows, table_rows);
      while (g_hash_table_iter_next (&rows, &row, &change))
        pb_change_set_add (self, table, row, GPOINTER_TO_UINT (change));
    }
}

void
pb_change_set_clear (PbChangeSet *self)
{
  g_hash_table_remove_all (self->tables);
}

gboolean
pb_change_set_is_empty (PbChangeSet *self)
{
  return g_hash_table_size (self->tables) == 0;
}

gboolean
pb_change_set_touches (PbChangeSet *self,
                       const char  *table)
{
  return g_hash_table_contains (self->tables, table);
}

gboolean
pb_change_set_touches_any (PbChangeSet        *self,
                           const char * const *tables)
{
  for (guint i = 0; tables && tables[i]; i++)
    if (g_hash_table_contains (self->tables, tables[i]))
      return TRUE;
  return FALSE;
}

/* How many rows of @table changed. */
guint
pb_change_set_count (PbChangeSet *self,
                     const char  *table)
{
  GHashTable *rows = g_hash_table_lookup (self->tables, table);

  return rows ? g_hash_table_size (rows) : 0;
}

PbRowChange
pb_change_set_lookup (PbChangeSet *self,
                      const char  *table,
                      const char  *row_id)
{
  GHashTable *rows = g_hash_table_lookup (self->tables, table);

  return rows ? GPOINTER_TO_UINT (g_hash_table_lookup (rows, row_id)) : 0;
}

/**
 * pb_change_set_rows:
 * @changes: the kinds of change wanted (a mask of #PbRowChange)
 *
 * Returns: (transfer full) (element-type utf8): the ids of the rows of @table changed so
 */
GPtrArray *
pb_change_set_rows (PbChangeSet *self,
                    const char  *table,
                    PbRowChange  changes)
{
  GHashTable *rows = g_hash_table_lookup (self->tables, table);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer row, change;

  if (rows == NULL)
    return out;
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &row, &change))
    if (GPOINTER_TO_UINT (change) & changes)
      g_ptr_array_add (out, g_strdup (row));
  return out;
}

/* The tables of the set. */
GStrv
pb_change_set_tables (PbChangeSet *self)
{
  g_autofree char **keys = (char **) g_hash_table_get_keys_as_array (self->tables, NULL);

  return g_strdupv (keys);
}
