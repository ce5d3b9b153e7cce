/* pb-store-export.c: the shared data of a replica, canonically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pb-store-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * pb_store_export_json:
 *
 * The shared data of this replica, canonically: tables by name, rows by id, fields by
 * name, without whitespace, so that two replicas that hold the same data export the same
 * bytes. Hit notices are included; local bookkeeping (logs, sync state) is not.
 */
char *
pb_store_export_json (PbStore *store,
                      GError **error)
{
  guint n_tables;
  const PbTableInfo *tables = pb_schema_tables (&n_tables);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out = g_string_new ("{");
  sqlite3 *db = store->db;

  for (guint t = 0; t < n_tables; t++)
    g_ptr_array_add (names, (gpointer) tables[t].name);
  g_ptr_array_add (names, (gpointer) "hub_hits");
  g_ptr_array_sort (names, compare_names);

  for (guint t = 0; t < names->len; t++)
    {
      const char *name = names->pdata[t];
      const PbTableInfo *info = pb_schema_table_lookup (name);
      g_autoptr(GPtrArray) columns = g_ptr_array_new ();
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autoptr(sqlite3_stmt) s = NULL;
      guint n_rows = 0;

      if (info)
        {
          g_ptr_array_add (columns, (gpointer) "id");
          for (guint c = 0; c < info->n_columns; c++)
            g_ptr_array_add (columns, (gpointer) info->columns[c].name);
        }
      else
        {
          g_ptr_array_add (columns, (gpointer) "kind");
          g_ptr_array_add (columns, (gpointer) "org");
          g_ptr_array_add (columns, (gpointer) "value");
        }
      g_ptr_array_sort (columns, compare_names);
      for (guint c = 0; c < columns->len; c++)
        g_string_append_printf (sql, "%sjson_quote (%s)", c ? ", " : "", (const char *) columns->pdata[c]);
      g_string_append_printf (sql, " FROM %s ORDER BY %s", name, info ? "id" : "kind, value, org");
      if (sqlite3_prepare_v2 (db, sql->str, -1, &s, NULL) != SQLITE_OK)
        {
          _pb_store_set_sqlite_error (error, db, _("Cannot export the database"));
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_printf (out, "%s\"%s\":[", t ? "," : "", name);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_string_append_printf (out, "%s{", n_rows++ ? "," : "");
          for (guint c = 0; c < columns->len; c++)
            g_string_append_printf (out, "%s\"%s\":%s", c ? "," : "", (const char *) columns->pdata[c],
                                    (const char *) sqlite3_column_text (s, (int) c));
          g_string_append_c (out, '}');
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}
