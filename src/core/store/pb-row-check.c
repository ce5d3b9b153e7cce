/* pb-row-check.c: whether a row is one every replica can store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hub takes rows from devices it does not trust, and every replica then stores them: a
 * row one replica refuses would stop that replica's synchronisation at it. So the hub asks,
 * for each row as it will be after a change, what a replica's store asks before it keeps a
 * row: the data model's rules, in the very form a store keeps (an identifier normalised,
 * a link's ends in order), and the schema's own constraints (NOT NULL, CHECK), by storing
 * the row, for a moment, in an empty database made by the same migrations as every
 * replica's (and taking it out again). The schema's unique keys come from that database
 * too, for the hub to look for another row with the same key among its own.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "pb-row-check.h"
#include "pb-store-private.h"

struct _PbRowCheck
{
  sqlite3    *db;
  GHashTable *unique;   /* table → GPtrArray of GStrv (the columns of each unique key) */
};

/**
 * pb_row_check_new:
 *
 * Returns: (transfer full): a check with the current schema, or %NULL and @error
 */
PbRowCheck *
pb_row_check_new (GError **error)
{
  PbRowCheck *self = g_new0 (PbRowCheck, 1);

  self->unique = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  if (sqlite3_open_v2 (":memory:", &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
      || sqlite3_exec (self->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FAILED, _("Cannot make the schema's check: %s"),
                   sqlite3_errmsg (self->db));
      pb_row_check_free (self);
      return NULL;
    }
  if (!pb_schema_migrate (self->db, PB_SCHEMA_VERSION, error))
    {
      pb_row_check_free (self);
      return NULL;
    }
  return self;
}

void
pb_row_check_free (PbRowCheck *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->unique, g_hash_table_unref);
  g_free (self);
}

static void
bind (sqlite3_stmt  *s,
      int            index,
      const PbValue *v)
{
  switch (v->type)
    {
    case PB_VALUE_TEXT:
      sqlite3_bind_text (s, index, v->s, -1, SQLITE_TRANSIENT);
      break;
    case PB_VALUE_INTEGER:
      sqlite3_bind_int64 (s, index, v->i);
      break;
    case PB_VALUE_REAL:
      sqlite3_bind_double (s, index, v->d);
      break;
    case PB_VALUE_UNSET:
    case PB_VALUE_NULL:
    default:
      sqlite3_bind_null (s, index);
    }
}

/* Stores the row in the empty database and takes it out again: the schema's constraints
 * answer. Fields the row does not set take the schema's defaults, as in a replica. */
static gboolean
store_for_a_moment (PbRowCheck *self,
                    PbRecord   *row,
                    GError    **error)
{
  const PbTableInfo *info = pb_record_get_table (row);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  sqlite3_stmt *s = NULL;
  int n = 1, rc;

  g_string_append_printf (sql, "INSERT INTO %s (id", info->name);
  g_string_append (values, "?1");
  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (row, i)->type != PB_VALUE_UNSET)
      {
        g_string_append_printf (sql, ", %s", info->columns[i].name);
        g_string_append_printf (values, ", ?%d", ++n);
      }
  g_string_append_printf (sql, ") VALUES (%s)", values->str);

  if (sqlite3_exec (self->db, "SAVEPOINT row_check", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, sql->str, -1, &s, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FAILED, _("Cannot check the row: %s"),
                   sqlite3_errmsg (self->db));
      sqlite3_finalize (s);
      sqlite3_exec (self->db, "ROLLBACK TO row_check; RELEASE row_check", NULL, NULL, NULL);
      return FALSE;
    }
  sqlite3_bind_text (s, 1, pb_record_get_id (row), -1, SQLITE_STATIC);
  n = 1;
  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (row, i)->type != PB_VALUE_UNSET)
      bind (s, ++n, pb_record_get_value (row, i));
  rc = sqlite3_step (s);
  if (rc != SQLITE_DONE)
    g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                 _("A row of “%s” that a replica would refuse: %s"), info->name, sqlite3_errmsg (self->db));
  sqlite3_finalize (s);
  sqlite3_exec (self->db, "ROLLBACK TO row_check; RELEASE row_check", NULL, NULL, NULL);
  return rc == SQLITE_DONE;
}

/**
 * pb_row_check:
 * @row: a row whole, as it will be (its id and every field it has)
 *
 * Whether every replica would store the row as it is: the data model's rules, in the form
 * a store keeps (so that each replica stores the same bytes), and the schema's
 * constraints. Unique keys among other rows are the caller's to look for
 * (pb_row_check_unique_keys()).
 */
gboolean
pb_row_check (PbRowCheck *self,
              PbRecord   *row,
              GError    **error)
{
  const PbTableInfo *info = pb_record_get_table (row);
  g_autoptr(PbRecord) kept = pb_record_copy (row);

  g_return_val_if_fail (self != NULL, FALSE);

  if (!pb_validate_record (PB_OP_INSERT, kept, error))
    return FALSE;
  /* What the row sets must be as a store would keep it (a field the store would add, such
   * as an identifier's raw text, is not asked for). */
  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (row, i)->type != PB_VALUE_UNSET
        && !_pb_value_equal (pb_record_get_value (row, i), pb_record_get_value (kept, i)))
      {
        g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                     _("“%s” of a row of “%s” is not in the form every replica stores"), info->columns[i].name,
                     info->name);
        return FALSE;
      }
  return store_for_a_moment (self, row, error);
}

/**
 * pb_row_check_unique_keys:
 *
 * Returns: (transfer none) (element-type GStrv): the columns of each of @table's unique
 *   keys besides its id, as the schema has them
 */
GPtrArray *
pb_row_check_unique_keys (PbRowCheck *self,
                          const char *table)
{
  GPtrArray *keys = g_hash_table_lookup (self->unique, table);
  g_autofree char *list_sql = NULL;
  sqlite3_stmt *list = NULL;

  if (keys)
    return keys;
  keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_hash_table_insert (self->unique, g_strdup (table), keys);
  list_sql = g_strdup_printf ("SELECT name FROM pragma_index_list ('%s') WHERE \"unique\" AND origin <> 'pk'", table);
  if (sqlite3_prepare_v2 (self->db, list_sql, -1, &list, NULL) != SQLITE_OK)
    return keys;
  while (sqlite3_step (list) == SQLITE_ROW)
    {
      g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();
      sqlite3_stmt *info = NULL;

      if (sqlite3_prepare_v2 (self->db, "SELECT name FROM pragma_index_info (?) ORDER BY seqno", -1, &info, NULL)
          != SQLITE_OK)
        continue;
      sqlite3_bind_text (info, 1, (const char *) sqlite3_column_text (list, 0), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (info) == SQLITE_ROW)
        g_strv_builder_add (columns, (const char *) sqlite3_column_text (info, 0));
      sqlite3_finalize (info);
      g_ptr_array_add (keys, g_strv_builder_end (columns));
    }
  sqlite3_finalize (list);
  return keys;
}
