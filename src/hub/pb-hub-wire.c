/* pb-hub-wire.c: the hub's JSON: reading requests and their values, writing changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A request body is one JSON object with only the members it has; a change's values are
 * checked against the shared tables' schema (src/core/pb-schema.c). A pulled change is
 * written as an object or, in the "rows" form, as an array in the order of
 * PB_SYNC_PULL_COLUMNS.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* A JSON object from a request body, with only the members named. */
JsonObject *
_pb_hub_parse_object (const char        *body,
                      gsize              length,
                      const char *const *allowed,
                      GError           **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *member;

  if (!g_utf8_validate (body, (gssize) length, NULL)
      || (root = pb_json_parse (body, (gssize) length, &local)) == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, _("The request is not valid JSON: %s"),
                   local ? local->message : _("not UTF-8"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, _("The request must be a JSON object"));
      return NULL;
    }
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      {
        g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_UNKNOWN_FIELD, _("Unknown field “%s” in the request"), member);
        return NULL;
      }
  return json_object_ref (json_node_get_object (root));
}

/* A member's value if it is a string, else NULL. */
const char *
_pb_hub_member_string (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* A value as JSON text; strings, the most of them, without json-glib's generator. */
char *
_pb_hub_node_to_json (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      GString *out = g_string_new (NULL);
      pb_json_append_string (out, json_node_get_string (node));
      return g_string_free (out, FALSE);
    }
  return json_to_string (node, FALSE);
}

/* A field that holds an organisation's id. */
/* A field that holds a row's id. */
static gboolean
is_id_field (const char *tbl,
             const char *field)
{
  return pb_rules_reference_parent (tbl, field) != NULL || pb_rules_is_org_field (tbl, field) || g_str_equal (field, "author")
         || g_str_equal (field, "decided_by") || g_str_equal (field, "chair");
}

static char *
check_text (PbHub             *self,
            const PbTableInfo *table,
            const char        *field,
            JsonNode          *node)
{
  const char *text;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return g_strdup_printf (_("“%s” must be text"), field);
  text = json_node_get_string (node);
  if (strlen (text) > 1024 * 1024)
    return g_strdup_printf (_("“%s” is longer than 1 MiB"), field);
  if (g_str_equal (field, "tlp") && !pb_rules_tlp_is_canonical (text))
    return g_strdup_printf (_("“%s” is not a handling code"), text);
  if (is_id_field (table->name, field) && !pb_uuid_is_valid (text))
    return g_strdup_printf (_("“%s” must be a UUID"), field);
  if (pb_rules_is_org_field (table->name, field) && _pb_hub_org_bit (self, text) == 0)
    return g_strdup_printf (_("“%s” is not an organisation of this hub"), text);
  return NULL;
}

/* Checks a field's value against the schema; INVALID with why not, without saying which
 * change it was. */
gboolean
_pb_hub_check_value (PbHub             *self,
                     const PbTableInfo *table,
                     const char        *field,
                     JsonNode          *node,
                     GError           **error)
{
  int index = pb_schema_column_index (table, field);
  g_autofree char *why = NULL;
  GType type;

  if (index < 0 || g_str_equal (field, "id"))
    why = g_strdup_printf (_("“%s” has no field “%s”"), table->name, field);
  else if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  else if (!JSON_NODE_HOLDS_VALUE (node))
    why = g_strdup_printf (_("“%s” must be a plain value"), field);
  else
    {
      type = json_node_get_value_type (node);
      switch (table->columns[index].type)
        {
        case PB_COLUMN_TEXT:
          why = check_text (self, table, field, node);
          break;
        case PB_COLUMN_INTEGER:
          if (type != G_TYPE_INT64)
            why = g_strdup_printf (_("“%s” must be an integer"), field);
          break;
        case PB_COLUMN_REAL:
          if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
            why = g_strdup_printf (_("“%s” must be a number"), field);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (why == NULL)
    return TRUE;
  g_set_error_literal (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, why);
  return FALSE;
}

/* A count in a query (since, limit, after): @fallback without one, FALSE if it is not a
 * number from 0 to @max. */
gboolean
_pb_hub_parse_count (const char *text,
                     gint64      fallback,
                     gint64      max,
                     gint64     *out)
{
  guint64 v;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, (guint64) max, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

/* A pulled change as an object (the default form of a pull), from a row of
 * PB_HUB_STMT_PULL. */
void
_pb_hub_append_change_object (GString      *out,
                              sqlite3_stmt *s)
{
  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"site\":\"%s\",\"hlc\":%" G_GINT64_FORMAT
                          ",\"tbl\":\"%s\",\"row\":", (gint64) sqlite3_column_int64 (s, 0), sqlite3_column_text (s, 1),
                          (gint64) sqlite3_column_int64 (s, 2), sqlite3_column_text (s, 3));
  pb_json_append_string (out, (const char *) sqlite3_column_text (s, 4));
  g_string_append_printf (out, ",\"op\":\"%s\"", sqlite3_column_text (s, 5));
  if (sqlite3_column_type (s, 6) != SQLITE_NULL)
    {
      g_string_append (out, ",\"field\":");
      pb_json_append_string (out, (const char *) sqlite3_column_text (s, 6));
    }
  if (sqlite3_column_type (s, 7) != SQLITE_NULL)
    {
      g_string_append (out, ",\"value\":");
      g_string_append (out, (const char *) sqlite3_column_text (s, 7));
    }
  g_string_append (out, ",\"author\":");
  pb_json_append_string (out, (const char *) sqlite3_column_text (s, 8));
  if (sqlite3_column_type (s, 9) != SQLITE_NULL)
    {
      g_string_append (out, ",\"base\":");
      g_string_append (out, (const char *) sqlite3_column_text (s, 9));
    }
  g_string_append_c (out, '}');
}

/* The same as an array in the order of PB_SYNC_PULL_COLUMNS, null where a member would be
 * left out: a third of the size to read for a client (no member names to store). */
void
_pb_hub_append_change_row (GString      *out,
                           sqlite3_stmt *s)
{
  g_string_append_printf (out, "[%" G_GINT64_FORMAT ",\"%s\",%" G_GINT64_FORMAT ",\"%s\",",
                          (gint64) sqlite3_column_int64 (s, 0), sqlite3_column_text (s, 1),
                          (gint64) sqlite3_column_int64 (s, 2), sqlite3_column_text (s, 3));
  pb_json_append_string (out, (const char *) sqlite3_column_text (s, 4));
  g_string_append_printf (out, ",\"%s\",", sqlite3_column_text (s, 5));
  if (sqlite3_column_type (s, 6) != SQLITE_NULL)
    pb_json_append_string (out, (const char *) sqlite3_column_text (s, 6));
  else
    g_string_append (out, "null");
  g_string_append_c (out, ',');
  g_string_append (out, sqlite3_column_type (s, 7) != SQLITE_NULL ? (const char *) sqlite3_column_text (s, 7) : "null");
  g_string_append_c (out, ',');
  pb_json_append_string (out, (const char *) sqlite3_column_text (s, 8));
  g_string_append_c (out, ',');
  g_string_append (out, sqlite3_column_type (s, 9) != SQLITE_NULL ? (const char *) sqlite3_column_text (s, 9) : "null");
  g_string_append_c (out, ']');
}
