/* pb-store-undo.c: what undoes the save of an item, and undoing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pb_store_save_item() (pb-store-edit.c) reads the rows as they were before its act, in the
 * act's own transaction, and leaves a PbUndo: the writes that put them back, each with the
 * row as the act left it. pb_undo_apply() writes them as one act through the write path,
 * once it has found, in the same transaction, that nobody changed those rows since: an undo
 * never overwrites a later change (see pb_undo_apply()).
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

/* One write of an undo. @as_left: for an update or a delete, the fields of the row as the
 * act left them (the row must still hold them); for an insert, the row's key (no row may
 * hold it: the act's removal has not been made good by someone else meanwhile). */
typedef struct
{
  PbOp      op;
  PbRecord *record;
  PbRecord *as_left;
} UndoStep;

struct _PbUndo
{
  char      *item_id;
  gboolean   removes_item;   /* the act created the item: the undo takes it away */
  GPtrArray *steps;          /* UndoStep, in the order they are written */
};

static void
undo_step_free (UndoStep *step)
{
  pb_record_free (step->record);
  pb_record_free (step->as_left);
  g_free (step);
}

PbUndo *
_pb_undo_new (const char *item_id,
              gboolean    removes_item)
{
  PbUndo *undo = g_new0 (PbUndo, 1);

  undo->item_id = g_strdup (item_id);
  undo->removes_item = removes_item;
  undo->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_step_free);
  return undo;
}

/* Takes @record and @as_left. */
void
_pb_undo_add (PbUndo   *undo,
              PbOp      op,
              PbRecord *record,
              PbRecord *as_left)
{
  UndoStep *step = g_new0 (UndoStep, 1);

  step->op = op;
  step->record = record;
  step->as_left = as_left;
  g_ptr_array_add (undo->steps, step);
}

gboolean
_pb_undo_is_empty (PbUndo *undo)
{
  return undo->steps->len == 0;
}

/**
 * pb_undo_free:
 *
 * Forgets an undo without applying it.
 */
void
pb_undo_free (PbUndo *undo)
{
  if (undo == NULL)
    return;
  g_free (undo->item_id);
  g_ptr_array_unref (undo->steps);
  g_free (undo);
}

/* The item whose save this undoes. */
const char *
pb_undo_get_item_id (PbUndo *undo)
{
  return undo->item_id;
}

/* Whether the save created the item, so that undoing it takes the item away. */
gboolean
pb_undo_get_removes_item (PbUndo *undo)
{
  return undo->removes_item;
}

gboolean
_pb_value_equal (const PbValue *a,
                 const PbValue *b)
{
  gboolean a_null = a == NULL || a->type == PB_VALUE_UNSET || a->type == PB_VALUE_NULL;
  gboolean b_null = b == NULL || b->type == PB_VALUE_UNSET || b->type == PB_VALUE_NULL;

  if (a_null || b_null)
    return a_null && b_null;
  if (a->type == PB_VALUE_TEXT || b->type == PB_VALUE_TEXT)
    return a->type == b->type && strcmp (a->s, b->s) == 0;
  return (a->type == PB_VALUE_REAL ? a->d : (double) a->i) == (b->type == PB_VALUE_REAL ? b->d : (double) b->i);
}

/**
 * _pb_store_read_row:
 * @row: (out) (transfer full): the row's fields, typed as the schema types them; %NULL
 *   when there is no such row
 *
 * Returns: %FALSE only when the database cannot be read
 */
gboolean
_pb_store_read_row (PbStore     *self,
                    const char  *table,
                    const char  *id,
                    PbRecord   **row,
                    GError     **error)
{
  const PbTableInfo *info = pb_schema_table_lookup (table);
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?", table);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, error);
  PbRecord *out;

  *row = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  out = pb_record_new (table, id);
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      const char *name = sqlite3_column_name (stmt, c);
      int i = pb_schema_column_index (info, name);

      if (i < 0)
        continue;
      if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
        pb_record_set_null (out, name);
      else if (info->columns[i].type == PB_COLUMN_INTEGER)
        pb_record_set_int (out, name, sqlite3_column_int64 (stmt, c));
      else if (info->columns[i].type == PB_COLUMN_REAL)
        pb_record_set_double (out, name, sqlite3_column_double (stmt, c));
      else
        pb_record_set_string (out, name, (const char *) sqlite3_column_text (stmt, c));
    }
  sqlite3_reset (stmt);
  *row = out;
  return TRUE;
}

/* Whether a row of @key's table holds every field set in @key. */
static gboolean
row_with_key_exists (PbStore   *self,
                     PbRecord  *key,
                     gboolean  *exists,
                     GError   **error)
{
  const PbTableInfo *info = pb_record_get_table (key);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int n = 0;

  g_string_append_printf (sql, "SELECT 1 FROM %s WHERE 1", info->name);
  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (key, i)->type != PB_VALUE_UNSET)
      g_string_append_printf (sql, " AND %s IS ?", info->columns[i].name);
  g_string_append (sql, " LIMIT 1");
  stmt = _pb_store_get_stmt (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (key, i)->type != PB_VALUE_UNSET)
      _pb_store_bind_value (stmt, ++n, pb_record_get_value (key, i));
  *exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

/* Whether the row of one write of the undo is still as the act left it. */
static gboolean
step_holds (PbStore   *self,
            UndoStep  *step,
            gboolean  *holds,
            GError   **error)
{
  const PbTableInfo *info = pb_record_get_table (step->as_left);
  g_autoptr(PbRecord) now = NULL;

  if (step->op == PB_OP_INSERT)
    {
      gboolean exists = FALSE;

      if (!row_with_key_exists (self, step->as_left, &exists, error))
        return FALSE;
      *holds = !exists;
      return TRUE;
    }

  if (!_pb_store_read_row (self, info->name, pb_record_get_id (step->record), &now, error))
    return FALSE;
  *holds = now != NULL;
  for (guint i = 0; *holds && i < info->n_columns; i++)
    {
      const PbValue *left = pb_record_get_value (step->as_left, i);

      if (left->type != PB_VALUE_UNSET && !_pb_value_equal (left, pb_record_get_value (now, i)))
        *holds = FALSE;
    }
  return TRUE;
}

/* Whether rows hang on the item that the undo of its creation would not take away with
 * it: identifiers, sharing, links, incidents, agenda entries and decisions made since. */
static gboolean
item_gained_rows (PbStore   *self,
                  PbUndo    *undo,
                  gboolean  *gained,
                  GError   **error)
{
  g_autoptr(GHashTable) deleted = g_hash_table_new (g_str_hash, g_str_equal);
  const PbReference *refs;
  guint n;

  for (guint i = 0; i < undo->steps->len; i++)
    {
      UndoStep *step = g_ptr_array_index (undo->steps, i);

      if (step->op == PB_OP_DELETE)
        g_hash_table_add (deleted, (gpointer) pb_record_get_id (step->record));
    }

  *gained = FALSE;
  refs = pb_rules_references (&n);
  for (guint i = 0; !*gained && i < n; i++)
    {
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (strcmp (refs[i].parent, "items") != 0)
        continue;
      sql = g_strdup_printf ("SELECT id FROM %s WHERE %s = ?", refs[i].table, refs[i].field);
      stmt = _pb_store_get_stmt (self, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, undo->item_id, -1, SQLITE_STATIC);
      while (!*gained && sqlite3_step (stmt) == SQLITE_ROW)
        *gained = !g_hash_table_contains (deleted, sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* Refuses, with the reason, an undo whose rows changed since its act. */
static gboolean
check_unchanged (PbStore  *self,
                 PbUndo   *undo,
                 GError  **error)
{
  gboolean holds = TRUE;
  gboolean gained = FALSE;

  for (guint i = 0; holds && i < undo->steps->len; i++)
    if (!step_holds (self, g_ptr_array_index (undo->steps, i), &holds, error))
      return FALSE;
  if (!holds)
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_CHANGED_SINCE,
                           _("The item was changed since this save; undoing the save would overwrite that change, "
                             "so nothing was undone"));
      return FALSE;
    }
  if (undo->removes_item && !item_gained_rows (self, undo, &gained, error))
    return FALSE;
  if (gained)
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_CHANGED_SINCE,
                           _("Identifiers, links or other information were added to the item since it was created; "
                             "taking the item away would take them too, so nothing was undone"));
      return FALSE;
    }
  return TRUE;
}

/**
 * pb_undo_apply:
 * @undo: what pb_store_save_item() gave; applied once, it undoes nothing more
 *
 * Undoes a save of an item as one act through the write path (one transaction, one
 * access-log entry about the item, a change entry per field and row): the fields the save
 * changed get their values back, the identifiers and sharing it added go, those it removed
 * come back (as new rows: a row once deleted stays deleted), and a new item goes with
 * what was created with it.
 *
 * An undo never overwrites a later change. When a row it would write back was changed
 * since the save (by this person, someone else, or a synchronisation), it refuses with
 * %PB_STORE_ERROR_CHANGED_SINCE and changes nothing: a field it would restore holds
 * another value than the save left, an identifier or sharing the save added was changed
 * or removed, one it removed is there again, or information was added to a new item
 * (identifiers, sharing, links, incidents, agenda entries, decisions). Later changes to
 * the item's other fields do not stand in the way, and are kept. This is checked inside
 * the undo's own transaction, so nothing can be written between the check and the undo.
 */
gboolean
pb_undo_apply (PbStore  *self,
               PbUndo   *undo,
               GError  **error)
{
  g_autoptr(GArray) writes = g_array_new (FALSE, FALSE, sizeof (PbWrite));
  g_autoptr(PbRecord) main_row = NULL;
  PbWrite w;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (undo->steps->len == 0)
    return TRUE;

  /* The act is about the item: its row comes first, as the act's main row, even when
   * nothing of it is written back (a new item's row can only go last, after the rows
   * that refer to it). */
  if (((UndoStep *) undo->steps->pdata[0])->op != PB_OP_UPDATE)
    {
      main_row = pb_record_new ("items", undo->item_id);
      w = (PbWrite) { PB_OP_UPDATE, main_row };
      g_array_append_val (writes, w);
    }
  for (guint i = 0; i < undo->steps->len; i++)
    {
      UndoStep *step = g_ptr_array_index (undo->steps, i);

      w = (PbWrite) { step->op, step->record };
      g_array_append_val (writes, w);
    }

  if (!pb_store_begin (self, error))
    return FALSE;
  if (!check_unchanged (self, undo, error)
      || !_pb_store_write_act (self, undo->removes_item ? PB_ACCESS_ERASURE : PB_N_ACCESS_ACTIONS,
                               (PbWrite *) writes->data, writes->len, error))
    {
      pb_store_rollback (self);
      return FALSE;
    }
  if (!pb_store_commit (self, error))
    return FALSE;
  g_ptr_array_set_size (undo->steps, 0);
  return TRUE;
}
