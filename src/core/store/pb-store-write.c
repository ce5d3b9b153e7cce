/* pb-store-write.c: the one write path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pb_store_write() and pb_store_write_many() are the only code that inserts, updates or
 * deletes rows of the shared tables, the change log and the access log (the authorizer of
 * pb-store.c refuses every other statement that would). In one transaction an act is
 * checked (the data model's rules, then the rulebook's), written, recorded as change entries
 * (row, table, field, new value, hybrid-logical-clock stamp, site, author) and as one
 * access-log entry, and noted for PbStore::rows-changed. Rows a synchronisation brings take
 * the same statements (_pb_store_apply_remote), logged with their own stamps.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-row-check.h"
#include "pb-store-private.h"

#include "pb-identifier.h"
#include "pb-schema.h"

static void
append_value_json (GString       *out,
                   const PbValue *v)
{
  switch (v->type)
    {
    case PB_VALUE_TEXT:
      pb_json_append_string (out, v->s);
      break;
    case PB_VALUE_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->i);
      break;
    case PB_VALUE_REAL:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v->d));
      }
      break;
    case PB_VALUE_UNSET:
    case PB_VALUE_NULL:
    default:
      g_string_append (out, "null");
    }
}

/* Binds a record's value to a statement's parameter. */
void
_pb_store_bind_value (sqlite3_stmt  *stmt,
                      int            index,
                      const PbValue *v)
{
  switch (v->type)
    {
    case PB_VALUE_TEXT:
      sqlite3_bind_text (stmt, index, v->s, -1, SQLITE_STATIC);
      break;
    case PB_VALUE_INTEGER:
      sqlite3_bind_int64 (stmt, index, v->i);
      break;
    case PB_VALUE_REAL:
      sqlite3_bind_double (stmt, index, v->d);
      break;
    case PB_VALUE_UNSET:
    case PB_VALUE_NULL:
    default:
      sqlite3_bind_null (stmt, index);
    }
}

/* One field of one row as text (NULL: no such row, or no value). */
char *
_pb_store_row_field (PbStore    *self,
                     const char *table,
                     const char *field,
                     const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", field, table);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, NULL);
  char *out = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return out;
}

static gboolean
insert_change (PbStore    *self,
               const char *table,
               const char *row_id,
               const char *op,
               const char *field,
               const char *value_json,
               GError    **error)
{
  sqlite3_stmt *stmt = self->change_stmt;

  if (stmt == NULL)
    {
      stmt = _pb_store_get_stmt (self, "INSERT INTO change_log (tbl, row_id, op, field, value, hlc, site, author)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      self->change_stmt = stmt;
    }

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, value_json, -1, SQLITE_STATIC);
  if (self->origin)
    {
      /* A change made elsewhere keeps its own stamp; the local clock moves past it. */
      pb_hlc_observe (&self->hlc, self->origin->hlc, _pb_store_now_ms (self));
      sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) self->origin->hlc);
      sqlite3_bind_text (stmt, 7, self->origin->site, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, self->origin->author, -1, SQLITE_STATIC);
    }
  else
    {
      sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) pb_hlc_tick (&self->hlc, _pb_store_now_ms (self)));
      sqlite3_bind_text (stmt, 7, self->site_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, self->actor ? self->actor : "system", -1, SQLITE_STATIC);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _pb_store_set_sqlite_error (error, self->db, _("Cannot record the change"));
    }
  sqlite3_reset (stmt);
  /* Every row the write path writes has a change entry: what was written is noted here. */
  _pb_store_note (self, table, row_id,
                  op[0] == 'i' ? PB_ROW_INSERTED : op[0] == 'd' ? PB_ROW_DELETED : PB_ROW_UPDATED);
  return TRUE;
}

static gboolean
step_write (PbStore      *self,
            sqlite3_stmt *stmt,
            GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                       _("The change breaks a rule of the database: %s"), sqlite3_errmsg (self->db));
          return FALSE;
        }
      return _pb_store_set_sqlite_error (error, self->db, _("Cannot save the change"));
    }
  return TRUE;
}

static gboolean
do_insert (PbStore  *self,
           PbRecord *record,
           GString  *detail,
           gboolean *domain_done,
           GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  guint n_tables;
  guint table_index = info - pb_schema_tables (&n_tables);
  guint64 mask = 0;
  gint64 key;
  sqlite3_stmt *stmt;
  g_autoptr(GString) json = NULL;
  int n = 1;

  if (pb_record_get_id (record) == NULL)
    {
      g_autofree char *id = _pb_store_new_id (self);
      pb_record_set_id (record, id);
    }
  else if (!pb_uuid_is_valid (pb_record_get_id (record)))
    return _pb_store_invalid (error, _("“%s” is not a valid row identifier (UUID)"), pb_record_get_id (record));

  /* A new item without a place goes to the end of its column. */
  if (strcmp (info->name, "items") == 0 && pb_record_lookup (record, "rank") == NULL)
    {
      const char *status = _pb_store_text_of (record, "status");

      stmt = _pb_store_get_stmt (self, "SELECT rank FROM items WHERE status = ? ORDER BY rank DESC LIMIT 1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, status ? status : "incoming", -1, SQLITE_STATIC);
      pb_record_set_double (record, "rank",
                            sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_double (stmt, 0) + 1 : 1);
      sqlite3_reset (stmt);
    }

  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbColumn *col = &info->columns[i];

      if (pb_record_get_value (record, i)->type == PB_VALUE_UNSET && col->default_value != NULL)
        {
          if (col->type == PB_COLUMN_TEXT)
            pb_record_set_string (record, col->name, col->default_value);
          else if (col->type == PB_COLUMN_INTEGER)
            pb_record_set_int (record, col->name, g_ascii_strtoll (col->default_value, NULL, 10));
          else
            pb_record_set_double (record, col->name, g_ascii_strtod (col->default_value, NULL));
        }
      if (pb_record_get_value (record, i)->type != PB_VALUE_UNSET)
        mask |= G_GUINT64_CONSTANT (1) << i;
    }
  key = ((gint64) table_index << 40) | (gint64) mask;

  /* Statements are cached per table and set of columns: building and hashing SQL text
   * for every row cost more than the insert itself. */
  stmt = g_hash_table_lookup (self->insert_stmts, &key);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  else
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO %s (id", info->name);
      for (guint i = 0; i < info->n_columns; i++)
        if (mask & (G_GUINT64_CONSTANT (1) << i))
          g_string_append_printf (sql, ", %s", info->columns[i].name);
      g_string_append (sql, ") VALUES (?");
      for (guint i = 0; i < info->n_columns; i++)
        if (mask & (G_GUINT64_CONSTANT (1) << i))
          g_string_append (sql, ", ?");
      g_string_append (sql, ")");

      stmt = _pb_store_get_stmt (self, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      g_hash_table_insert (self->insert_stmts, g_memdup2 (&key, sizeof key), stmt);
    }

  sqlite3_bind_text (stmt, n++, pb_record_get_id (record), -1, SQLITE_STATIC);
  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *v = pb_record_get_value (record, i);
      if (v->type != PB_VALUE_UNSET)
        _pb_store_bind_value (stmt, n++, v);
    }

  if (!step_write (self, stmt, error))
    return FALSE;
  *domain_done = TRUE;

  /* The change entry holds the whole row, column defaults included (filled in above), so
   * that applying the change log elsewhere gives the same row. */
  json = g_string_sized_new (512);
  g_string_append_c (json, '{');
  for (guint i = 0; i < info->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      pb_json_append_string (json, info->columns[i].name);
      g_string_append_c (json, ':');
      append_value_json (json, pb_record_get_value (record, i));
    }
  g_string_append_c (json, '}');
  if (!insert_change (self, info->name, pb_record_get_id (record), "insert", NULL, json->str, error))
    return FALSE;

  if (strcmp (info->name, "items") == 0)
    {
      g_free (self->last_item_id);
      g_free (self->last_item_org);
      self->last_item_id = g_strdup (pb_record_get_id (record));
      self->last_item_org = g_strdup (_pb_store_text_of (record, "source_org"));
    }

  g_string_append (detail, "created");
  return TRUE;
}

/* The columns of @record whose value differs from the row's: unchanged fields make no
 * change entry (the log records what changed) and are not what the rulebook checks. */
static gboolean
find_changes (PbStore   *self,
              PbRecord  *record,
              GArray   **out,
              GError   **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  const char *id = pb_record_get_id (record);
  sqlite3_stmt *current;
  g_autofree char *select = NULL;
  g_autoptr(GArray) changed = NULL;

  /* Cached like every statement of the write path; reset before anything else runs. */
  select = g_strdup_printf ("SELECT * FROM %s WHERE id = ?", info->name);
  current = _pb_store_get_stmt (self, select, error);
  if (current == NULL)
    return FALSE;
  sqlite3_bind_text (current, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (current) != SQLITE_ROW)
    {
      sqlite3_reset (current);
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name, id);
      return FALSE;
    }

  changed = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *v = pb_record_get_value (record, i);
      const char *col = info->columns[i].name;
      int ci = -1;
      gboolean same = FALSE;

      if (v->type == PB_VALUE_UNSET)
        continue;

      for (int c = 0; c < sqlite3_column_count (current); c++)
        if (strcmp (sqlite3_column_name (current, c), col) == 0)
          ci = c;
      g_assert (ci >= 0);

      switch (v->type)
        {
        case PB_VALUE_NULL:
          same = sqlite3_column_type (current, ci) == SQLITE_NULL;
          break;
        case PB_VALUE_TEXT:
          same = sqlite3_column_type (current, ci) == SQLITE_TEXT
                 && g_strcmp0 ((const char *) sqlite3_column_text (current, ci), v->s) == 0;
          break;
        case PB_VALUE_INTEGER:
          same = sqlite3_column_type (current, ci) == SQLITE_INTEGER
                 && sqlite3_column_int64 (current, ci) == v->i;
          break;
        case PB_VALUE_REAL:
          same = sqlite3_column_type (current, ci) != SQLITE_NULL
                 && sqlite3_column_double (current, ci) == v->d;
          break;
        case PB_VALUE_UNSET:
        default:
          break;
        }
      if (!same)
        g_array_append_val (changed, i);
    }
  sqlite3_reset (current);
  *out = g_steal_pointer (&changed);
  return TRUE;
}

/* The changed columns of an update, as a record of their own, for the rulebook. */
static PbRecord *
changes_record (PbRecord *record,
                GArray   *changed)
{
  const PbTableInfo *info = pb_record_get_table (record);
  PbRecord *out = pb_record_new (info->name, pb_record_get_id (record));

  for (guint k = 0; k < changed->len; k++)
    {
      guint i = g_array_index (changed, guint, k);
      const PbValue *v = pb_record_get_value (record, i);
      const char *name = info->columns[i].name;

      switch (v->type)
        {
        case PB_VALUE_TEXT:
          pb_record_set_string (out, name, v->s);
          break;
        case PB_VALUE_INTEGER:
          pb_record_set_int (out, name, v->i);
          break;
        case PB_VALUE_REAL:
          pb_record_set_double (out, name, v->d);
          break;
        case PB_VALUE_NULL:
        case PB_VALUE_UNSET:
        default:
          pb_record_set_null (out, name);
          break;
        }
    }
  return out;
}

/* Asks the rulebook about one write of this act, before anything of the row is written:
 * for an update, about the fields it changes (@changed, found here). */
static gboolean
check_write (PbStore   *self,
             PbOp       op,
             PbRecord  *record,
             GArray   **changed,
             GError   **error)
{
  g_autoptr(PbRecord) changes = NULL;

  if (op != PB_OP_UPDATE)
    return _pb_store_check_rules (self, op, record, error);
  if (!find_changes (self, record, changed, error))
    return FALSE;
  if ((*changed)->len == 0)
    return TRUE;
  changes = changes_record (record, *changed);
  return _pb_store_check_rules (self, op, changes, error);
}

/* Writes the @changed columns of @record's row in one statement, so that the row changes whole or not
 * at all, and logs a change entry for each. */
static gboolean
update_columns (PbStore  *self,
                PbRecord *record,
                GArray   *changed,
                GString  *detail,
                gboolean *domain_done,
                GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  const char *id = pb_record_get_id (record);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_string_append_printf (sql, "UPDATE %s SET ", info->name);
  for (guint k = 0; k < changed->len; k++)
    g_string_append_printf (sql, "%s%s = ?", k ? ", " : "",
                            info->columns[g_array_index (changed, guint, k)].name);
  g_string_append (sql, " WHERE id = ?");
  stmt = _pb_store_get_stmt (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint k = 0; k < changed->len; k++)
    _pb_store_bind_value (stmt, k + 1, pb_record_get_value (record, g_array_index (changed, guint, k)));
  sqlite3_bind_text (stmt, changed->len + 1, id, -1, SQLITE_STATIC);
  if (!step_write (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name, id);
      return FALSE;
    }
  *domain_done = TRUE;

  for (guint k = 0; k < changed->len; k++)
    {
      guint i = g_array_index (changed, guint, k);
      g_autoptr(GString) json = g_string_new (NULL);

      append_value_json (json, pb_record_get_value (record, i));
      if (!insert_change (self, info->name, id, "update", info->columns[i].name, json->str, error))
        return FALSE;
      if (detail->len)
        g_string_append_c (detail, ',');
      g_string_append (detail, info->columns[i].name);
    }

  return TRUE;
}

static gboolean
do_delete (PbStore  *self,
           PbRecord *record,
           GString  *detail,
           gboolean *domain_done,
           GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", info->name);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, error);
  gint64 item_rowid = -1;

  if (stmt == NULL)
    return FALSE;

  if (strcmp (info->name, "items") == 0)
    {
      /* The search row goes with the item; it is found by the item's rowid, read first. */
      sqlite3_stmt *find = _pb_store_get_stmt (self, "SELECT rowid FROM items WHERE id = ?", error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_text (find, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
      item_rowid = sqlite3_step (find) == SQLITE_ROW ? sqlite3_column_int64 (find, 0) : -1;
      sqlite3_reset (find);
      stmt = _pb_store_get_stmt (self, sql, error);
      if (stmt == NULL)
        return FALSE;
    }

  sqlite3_bind_text (stmt, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
  if (!step_write (self, stmt, error))
    return FALSE;
  *domain_done = TRUE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name,
                   pb_record_get_id (record));
      return FALSE;
    }

  if (item_rowid >= 0)
    {
      sqlite3_stmt *fts = _pb_store_get_stmt (self, "DELETE FROM items_fts WHERE rowid = ?", error);
      if (fts == NULL)
        return FALSE;
      sqlite3_bind_int64 (fts, 1, item_rowid);
      if (!step_write (self, fts, error))
        return FALSE;
      g_hash_table_remove (self->fts_dirty, pb_record_get_id (record));
    }

  g_string_append (detail, "deleted");
  return insert_change (self, info->name, pb_record_get_id (record), "delete", NULL, NULL, error);
}

static void
mark_fts (PbStore  *self,
          PbOp      op,
          PbRecord *record)
{
  const char *table = pb_record_get_table (record)->name;

  if (strcmp (table, "items") == 0)
    {
      if (op != PB_OP_UPDATE || pb_record_lookup (record, "title") || pb_record_lookup (record, "body"))
        g_hash_table_add (self->fts_dirty, g_strdup (pb_record_get_id (record)));
    }
  else if (strcmp (table, "identifiers") == 0)
    {
      const char *item = _pb_store_text_of (record, "item");
      g_autofree char *looked_up = NULL;

      if (item == NULL)
        item = looked_up = _pb_store_row_field (self, "identifiers", "item", pb_record_get_id (record));
      if (item)
        g_hash_table_add (self->fts_dirty, g_strdup (item));
    }
}

/* identifier_orgs counts, per identifier, the items of each organisation that hold it. */
static gboolean
count_key (PbStore    *self,
           const char *kind,
           const char *value,
           const char *org,
           int         delta,
           GError    **error)
{
  /* Counted up (inserted at 1); or counted down, and removed at 0. */
  const char *sql[2];

  if (delta > 0)
    {
      sql[0] = "INSERT INTO identifier_orgs (kind, value, org, n) VALUES (?1, ?2, ?3, 1)"
               " ON CONFLICT (kind, value, org) DO UPDATE SET n = n + 1";
      sql[1] = NULL;
    }
  else
    {
      sql[0] = "UPDATE identifier_orgs SET n = n - 1 WHERE kind = ?1 AND value = ?2 AND org = ?3";
      sql[1] = "DELETE FROM identifier_orgs WHERE kind = ?1 AND value = ?2 AND org = ?3 AND n <= 0";
    }

  for (guint k = 0; k < G_N_ELEMENTS (sql) && sql[k]; k++)
    {
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql[k], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, org, -1, SQLITE_STATIC);
      if (!step_write (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
count_identifier (PbStore    *self,
                  const char *identifier_id,
                  int         delta,
                  GError    **error)
{
  sqlite3_stmt *find = _pb_store_get_stmt (self, "SELECT d.kind, d.value, i.source_org FROM identifiers d"
                                       " JOIN items i ON i.id = d.item WHERE d.id = ?", error);
  g_autofree char *kind = NULL;
  g_autofree char *value = NULL;
  g_autofree char *org = NULL;

  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, identifier_id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      kind = g_strdup ((const char *) sqlite3_column_text (find, 0));
      value = g_strdup ((const char *) sqlite3_column_text (find, 1));
      org = g_strdup ((const char *) sqlite3_column_text (find, 2));
    }
  sqlite3_reset (find);
  if (kind == NULL)
    return TRUE;
  return count_key (self, kind, value, org, delta, error);
}

/* A new identifier: its kind and value are in the record; its item was most often
 * inserted in the same act, whose organisation is remembered. */
static gboolean
count_new_identifier (PbStore  *self,
                      PbRecord *record,
                      GError  **error)
{
  const char *item = _pb_store_text_of (record, "item");
  const char *org = NULL;
  g_autofree char *looked_up = NULL;

  if (item && g_strcmp0 (item, self->last_item_id) == 0)
    org = self->last_item_org;
  else
    {
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT source_org FROM items WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        looked_up = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      org = looked_up;
    }
  if (org == NULL)
    return TRUE;
  return count_key (self, _pb_store_text_of (record, "kind"), _pb_store_text_of (record, "value"), org, +1, error);
}

/* Before and after a write that may move identifiers between organisations or values. */
static gboolean
count_write (PbStore  *self,
             PbOp      op,
             PbRecord *record,
             int       delta,
             GError  **error)
{
  const char *table = pb_record_get_table (record)->name;

  if (strcmp (table, "identifiers") == 0)
    {
      if (op == PB_OP_INSERT && delta > 0)
        return count_new_identifier (self, record, error);
      if ((op == PB_OP_DELETE && delta < 0)
          || (op == PB_OP_UPDATE && (pb_record_lookup (record, "kind") || pb_record_lookup (record, "value")
                                     || pb_record_lookup (record, "raw") || pb_record_lookup (record, "item"))))
        return count_identifier (self, pb_record_get_id (record), delta, error);
    }
  else if (strcmp (table, "items") == 0 && op == PB_OP_UPDATE && pb_record_lookup (record, "source_org"))
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT id FROM identifiers WHERE item = ?", error);

      g_clear_pointer (&self->last_item_id, g_free);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      for (guint i = 0; i < ids->len; i++)
        if (!count_identifier (self, g_ptr_array_index (ids, i), delta, error))
          return FALSE;
    }
  return TRUE;
}

/* The rows a row belongs to are noted as changed with it: an item shows its identifiers,
 * its sharing decides who sees it, a case counts its items. @stored: the values the row
 * has in the database now (before an update or a delete), else those of the record. */
static void
note_parents (PbStore  *self,
              PbOp      op,
              PbRecord *record,
              gboolean  stored)
{
  const char *table = pb_record_get_table (record)->name;
  const char *id = pb_record_get_id (record);
  gboolean item = strcmp (table, "items") == 0;
  const PbReference *refs;
  guint n;

  /* An item's case follows its case and its handling code (who sees it, so the case). */
  if (item && op == PB_OP_UPDATE && pb_record_lookup (record, "case_id") == NULL
      && pb_record_lookup (record, "tlp") == NULL)
    return;
  refs = pb_rules_references (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *parent = NULL;

      if (strcmp (refs[i].table, table) != 0)
        continue;
      if (stored)
        parent = id ? _pb_store_row_field (self, table, refs[i].field, id) : NULL;
      else
        {
          const PbValue *v = pb_record_lookup (record, refs[i].field);
          parent = v && v->type == PB_VALUE_TEXT ? g_strdup (v->s) : NULL;
          if (parent == NULL && v == NULL && id != NULL)
            parent = _pb_store_row_field (self, table, refs[i].field, id);
        }
      if (parent)
        _pb_store_note (self, refs[i].parent, parent, PB_ROW_UPDATED);
    }
}

/* People or organisations were written: a role, an organisation or its kind may have
 * changed, the signed-in person's too. */
static void
written_whom (PbStore    *self,
              const char *table)
{
  if (strcmp (table, "people") != 0 && strcmp (table, "organisations") != 0)
    return;
  g_hash_table_remove_all (self->roles);
  _pb_store_orgs_changed (self);
  _pb_store_load_me (self, NULL);
}

/**
 * pb_store_write_many:
 * @writes: (array length=n_writes): the rows of one act, the main row first
 *
 * The one write path for shared data. In one transaction: validates every record, writes
 * them, records a change entry per changed field (an insert records the whole row as one
 * entry, a delete a tombstone), and appends one access-log entry for the act: its action
 * and row are those of the first write, and its detail names every other row written.
 * Creating an item with its identifiers is one act of collection.
 *
 * When it fails, nothing of the act is kept. A failure found before anything was written
 * (a rule of the data model, a constraint of the first row) leaves a batch begun with
 * pb_store_begin() open; a failure after part of the act was written rolls the whole
 * batch back, and its pb_store_commit() then reports that nothing was saved.
 */
gboolean
pb_store_write_many (PbStore       *self,
                     const PbWrite *writes,
                     guint          n_writes,
                     GError       **error)
{
  return _pb_store_write_act (self, PB_N_ACCESS_ACTIONS, writes, n_writes, error);
}

/* pb_store_write_many(), logged as @action instead of the act that the first write
 * implies (PB_N_ACCESS_ACTIONS): adding reports to a case is a combination of data. */
gboolean
_pb_store_write_act (PbStore        *self,
                     PbAccessAction  action,
                     const PbWrite  *writes,
                     guint           n_writes,
                     GError        **error)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  char saved_hash[65];
  gint64 saved_seq;
  PbHlc saved_hlc;
  gboolean ok = TRUE;
  gboolean domain_done = FALSE;
  static const PbAccessAction actions[] = {
    [PB_OP_INSERT] = PB_ACCESS_COLLECTION,
    [PB_OP_UPDATE] = PB_ACCESS_ALTERATION,
    [PB_OP_DELETE] = PB_ACCESS_ERASURE,
  };
  static const char *op_names[] = { "insert", "update", "delete" };

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (writes != NULL && n_writes > 0, FALSE);

  for (guint w = 0; w < n_writes; w++)
    {
      PbRecord *record = writes[w].record;

      g_return_val_if_fail (record != NULL, FALSE);
      if (!_pb_store_check_actor (self, pb_record_get_table (record)->name, error))
        return FALSE;
      if (writes[w].op != PB_OP_INSERT && !pb_uuid_is_valid (pb_record_get_id (record)))
        return _pb_store_invalid (error, _("“%s” is not a valid row identifier (UUID)"),
                        pb_record_get_id (record) ? pb_record_get_id (record) : "");
      if (!pb_validate_record (writes[w].op, record, error))
        return FALSE;
    }

  /* What the log and clock were, read after the lock is taken (begin may reload them). */
  if (!pb_store_begin (self, error))
    return FALSE;
  memcpy (saved_hash, self->last_hash, sizeof saved_hash);
  saved_seq = self->next_access_seq;
  saved_hlc = self->hlc;

  self->in_write_path = TRUE;
  for (guint w = 0; ok && w < n_writes; w++)
    {
      PbOp op = writes[w].op;
      PbRecord *record = writes[w].record;
      const char *table = pb_record_get_table (record)->name;
      g_autoptr(GString) row_detail = g_string_new (NULL);
      g_autoptr(GArray) changed = NULL;

      /* The rulebook decides before the row is touched (its counts included). */
      if (!check_write (self, op, record, &changed, error))
        {
          ok = FALSE;
          break;
        }

      if (op == PB_OP_DELETE && strcmp (table, "identifiers") == 0)
        mark_fts (self, op, record);
      _pb_store_hits_mark (self, record);

      /* Counted out before the row changes, and in again after; a failure here comes
       * before the row's own statement, and counts nothing. */
      if (op != PB_OP_INSERT)
        {
          gboolean counted = strcmp (table, "identifiers") == 0
                             || (strcmp (table, "items") == 0 && pb_record_lookup (record, "source_org"));

          if (!count_write (self, op, record, -1, error))
            {
              ok = FALSE;
              domain_done = domain_done || w > 0;
              break;
            }
          /* Counts changed: from here on a failure must roll them back. */
          if (counted)
            domain_done = TRUE;
        }

      if (op == PB_OP_DELETE || (op == PB_OP_UPDATE && changed->len > 0))
        note_parents (self, op, record, TRUE);
      switch (op)
        {
        case PB_OP_INSERT:
          ok = do_insert (self, record, row_detail, &domain_done, error);
          break;
        case PB_OP_UPDATE:
          ok = changed->len == 0 || update_columns (self, record, changed, row_detail, &domain_done, error);
          break;
        case PB_OP_DELETE:
          ok = do_delete (self, record, row_detail, &domain_done, error);
          break;
        default:
          g_assert_not_reached ();
        }

      if (ok && op != PB_OP_DELETE)
        mark_fts (self, op, record);
      if (ok)
        _pb_store_hits_mark (self, record);
      if (ok && (op == PB_OP_INSERT || (op == PB_OP_UPDATE && changed->len > 0)))
        note_parents (self, op, record, FALSE);
      if (ok && op != PB_OP_DELETE && !count_write (self, op, record, +1, error))
        ok = FALSE;

      if (ok && w == 0)
        g_string_append (detail, row_detail->str);
      else if (ok && row_detail->len > 0)
        g_string_append_printf (detail, "; %s %s %s", op_names[op], table, pb_record_get_id (record));
    }

  for (guint w = 0; ok && w < n_writes; w++)
    written_whom (self, pb_record_get_table (writes[w].record)->name);

  if (ok && detail->len > 0)
    ok = _pb_store_append_access (self, action < PB_N_ACCESS_ACTIONS ? action : actions[writes[0].op],
                        pb_record_get_table (writes[0].record)->name,
                        pb_record_get_id (writes[0].record), detail->str,
                        pb_record_get_reason (writes[0].record) ? pb_record_get_reason (writes[0].record)
                                                                : self->purpose,
                        error);
  self->in_write_path = FALSE;

  if (!ok && !domain_done)
    {
      /* Validation or the first row's own statement failed: SQLite undid that statement,
       * and nothing else was written. A batch the caller began goes on. */
      memcpy (self->last_hash, saved_hash, sizeof saved_hash);
      self->next_access_seq = saved_seq;
      self->hlc = saved_hlc;
      if (--self->depth == 0)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          self->aborted = FALSE;
          pb_change_set_clear (self->pending);
        }
      return FALSE;
    }

  if (!ok)
    {
      /* Part of the act, or a row without its change entry or access entry, must not
       * survive: the whole transaction goes. */
      _pb_store_abort_transaction (self);
      if (--self->depth == 0)
        self->aborted = FALSE;
      return FALSE;
    }

  return pb_store_commit (self, error);
}

/* Applies a change that another site made, as the hub delivered it: the same statements,
 * search index and identifier counts as the write path, logged with the change's own
 * stamp and author. The sync engine has decided that the change wins (last writer by
 * clock) and holds the transaction; the rules of the data model were checked where the
 * change was made, and need-to-know by the hub. */
gboolean
_pb_store_apply_remote (PbStore        *self,
                        PbOp            op,
                        PbRecord       *record,
                        const PbOrigin *origin,
                        GError        **error)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  gboolean domain_done = FALSE;
  gboolean ok;

  g_return_val_if_fail (self->depth > 0, FALSE);

  self->origin = origin;
  self->in_write_path = TRUE;
  if (op == PB_OP_DELETE && strcmp (pb_record_get_table (record)->name, "identifiers") == 0)
    mark_fts (self, op, record);
  _pb_store_hits_mark (self, record);
  if (op != PB_OP_INSERT)
    note_parents (self, op, record, TRUE);
  ok = op == PB_OP_INSERT || count_write (self, op, record, -1, error);
  if (ok)
    {
      switch (op)
        {
        case PB_OP_INSERT:
          ok = do_insert (self, record, detail, &domain_done, error);
          break;
        case PB_OP_UPDATE:
          {
            /* Written and logged even where the value here is the same: the field's
             * clock must become the later write's, or an older write arriving next
             * would win against it. */
            g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (guint));
            const PbTableInfo *info = pb_record_get_table (record);

            for (guint i = 0; i < info->n_columns; i++)
              if (pb_record_get_value (record, i)->type != PB_VALUE_UNSET)
                g_array_append_val (columns, i);
            ok = columns->len == 0 || update_columns (self, record, columns, detail, &domain_done, error);
          }
          break;
        case PB_OP_DELETE:
          ok = do_delete (self, record, detail, &domain_done, error);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (ok && op != PB_OP_DELETE)
    {
      mark_fts (self, op, record);
      ok = count_write (self, op, record, +1, error);
    }
  if (ok)
    {
      _pb_store_hits_mark (self, record);
      if (op != PB_OP_DELETE)
        note_parents (self, op, record, FALSE);
      written_whom (self, pb_record_get_table (record)->name);
    }
  self->in_write_path = FALSE;
  self->origin = NULL;
  return ok;
}

/* A change entry for a field another site set, whose value is already in place. */
gboolean
_pb_store_log_remote (PbStore        *self,
                      const char     *table,
                      const char     *row_id,
                      const char     *field,
                      const char     *value_json,
                      const PbOrigin *origin,
                      GError        **error)
{
  gboolean ok;

  self->origin = origin;
  self->in_write_path = TRUE;
  ok = insert_change (self, table, row_id, "update", field, value_json, error);
  self->in_write_path = FALSE;
  self->origin = NULL;
  return ok;
}

/* Writes a field's current value again as a change of this site, so that others learn
 * that it was chosen over a concurrent edit (the sync engine settles their conflicts). */
gboolean
_pb_store_restate_field (PbStore    *self,
                         const char *table,
                         const char *row_id,
                         const char *field,
                         GError    **error)
{
  const PbTableInfo *info = pb_schema_table_lookup (table);
  g_autofree char *sql = NULL;
  g_autofree char *json = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (info == NULL || pb_schema_column_index (info, field) < 0)
    return _pb_store_invalid (error, _("“%s” has no field “%s”"), table, field);
  if (!_pb_store_check_actor (self, table, error))
    return FALSE;
  sql = g_strdup_printf ("SELECT json_quote (%s) FROM %s WHERE id = ?", field, table);
  stmt = _pb_store_get_stmt (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (json == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), table, row_id);
      return FALSE;
    }

  if (!pb_store_begin (self, error))
    return FALSE;
  detail = g_strdup_printf ("%s (kept)", field);
  self->in_write_path = TRUE;
  ok = insert_change (self, table, row_id, "update", field, json, error)
       && _pb_store_append_access (self, PB_ACCESS_ALTERATION, table, row_id, detail, self->purpose, error);
  self->in_write_path = FALSE;
  if (!ok)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}

/* Prepares a statement that writes a table only the write path may write: the
 * authorizer is asked when a statement is prepared. */
sqlite3_stmt *
_pb_store_get_protected_stmt (PbStore    *self,
                              const char *sql,
                              GError    **error)
{
  sqlite3_stmt *stmt;

  self->in_write_path = TRUE;
  stmt = _pb_store_get_stmt (self, sql, error);
  self->in_write_path = FALSE;
  return stmt;
}

/* Steps a statement that writes a table only the write path may write (hit notices and
 * conflicts, kept by the sync engine). */
gboolean
_pb_store_step_protected (PbStore      *self,
                          sqlite3_stmt *stmt,
                          GError      **error)
{
  gboolean ok;

  self->in_write_path = TRUE;
  ok = step_write (self, stmt, error);
  self->in_write_path = FALSE;
  return ok;
}

/**
 * pb_store_write:
 *
 * pb_store_write_many() for an act of one row.
 */
gboolean
pb_store_write (PbStore  *self,
                PbOp      op,
                PbRecord *record,
                GError  **error)
{
  PbWrite write = { op, record };

  return pb_store_write_many (self, &write, 1, error);
}
