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

static gboolean
refuse_body (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, message);
  return FALSE;
}

/* The value of four hex digits at @p, or -1. */
static int
hex4 (const char *p,
      const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* A string's escapes, from the opening quote at *@pos: each must decode to text. Leaves
 * *@pos on the closing quote; what is not JSON at all is json-glib's to say. */
static gboolean
scan_string (const char  *body,
             const char  *end,
             const char **pos,
             GError     **error)
{
  const char *p = *pos + 1;

  for (; p < end && *p != '"'; p++)
    {
      int cp, low;

      if ((guchar) *p < 0x20)
        return refuse_body (error, _("A string in the request holds a control character"));
      if (*p != '\\')
        continue;
      if (++p == end)
        break;
      if (*p != 'u' || (cp = hex4 (p + 1, end)) < 0)
        continue;
      p += 4;
      if (cp == 0)
        return refuse_body (error, _("A string in the request holds a null character (\\u0000)"));
      if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
        return refuse_body (error, _("A string in the request holds a control character"));
      if (cp >= 0xdc00 && cp <= 0xdfff)
        return refuse_body (error, _("A string in the request holds a lone surrogate"));
      if (cp >= 0xd800 && cp <= 0xdbff)
        {
          if (end - p < 7 || p[1] != '\\' || p[2] != 'u' || (low = hex4 (p + 3, end)) < 0xdc00 || low > 0xdfff)
            return refuse_body (error, _("A string in the request holds a lone surrogate"));
          p += 6;
        }
    }
  *pos = p;
  return TRUE;
}

/* What json-glib's tree costs, in bytes, measured on GLib 2.74 and json-glib 1.6 (an empty
 * object holds a hash table: ~300 bytes; an array ~110; a value's node ~100; a member's
 * name and slot ~150), rounded up; and each string's text, copied once decoded. A body of
 * 300 kB of empty objects made a 29 MB tree before this was counted. */
#define COST_OBJECT 320
#define COST_ARRAY  128
#define COST_VALUE  112
#define COST_MEMBER 160

static gboolean
budget_left (gsize    cost,
             gsize    budget,
             GError **error)
{
  if (cost <= budget)
    return TRUE;
  /* Too large, as a body over the limit: a client sends less at a time. */
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_TOO_LARGE,
               _("The request would take more than %zu bytes once read; send less at a time"), budget);
  return FALSE;
}

/* Reads a body once, in a straight line, before json-glib does (its parser is recursive,
 * and each value costs memory): at most PB_HUB_MAX_DEPTH levels of arrays and objects, at
 * most PB_HUB_MAX_VALUES values (each is after a '[', '{' or ','), a tree that costs no more
 * than @budget bytes, and strings whose escapes
 * decode to text (no null character, which would cut the decoded string short, no control
 * character, no lone surrogate). */
static gboolean
scan_body (const char *body,
           gsize       length,
           gsize       budget,
           GError    **error)
{
  const char *end = body + length;
  guint depth = 0;
  guint values = 0;
  gsize cost = 0;

  for (const char *p = body; p < end; p++)
    switch (*p)
      {
      case '[':
      case '{':
        if (++depth > PB_HUB_MAX_DEPTH)
          {
            g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED,
                         _("The request is nested more than %d levels deep"), PB_HUB_MAX_DEPTH);
            return FALSE;
          }
        cost += *p == '{' ? COST_OBJECT : COST_ARRAY;
        G_GNUC_FALLTHROUGH;
      case ',':
        if (++values > PB_HUB_MAX_VALUES)
          {
            g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED,
                         _("The request holds more than %d values"), PB_HUB_MAX_VALUES);
            return FALSE;
          }
        cost += COST_VALUE;
        break;
      case ':':
        cost += COST_MEMBER;
        break;
      case ']':
      case '}':
        if (depth > 0)
          depth--;
        break;
      case '"':
        {
          const char *start = p;

          if (!scan_string (body, end, &p, error))
            return FALSE;
          cost += (gsize) (p - start);
          if (p == end)
            return budget_left (cost, budget, error);
        }
        break;
      default:
        break;
      }
  return budget_left (cost, budget, error);
}

/* A decoded string is text: valid UTF-8 without control characters but tab, line feed and
 * carriage return (json-glib lets a lone low surrogate through as invalid UTF-8, and raw
 * control characters as they are). */
static gboolean
check_decoded (const char *text,
               GError    **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    return refuse_body (error, _("A string in the request is not valid UTF-8 once unescaped"));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c < 0xa0))
        return refuse_body (error, _("A string in the request holds a control character"));
    }
  return TRUE;
}

/* Every member name and string value, as decoded, without recursion: the depth is bounded
 * already, but a stack of our own costs nothing. */
static gboolean
check_strings (JsonNode *root,
               GError  **error)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter iter;
          const char *member;
          JsonNode *child;

          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &member, &child))
            {
              if (!check_decoded (member, error))
                return FALSE;
              g_ptr_array_add (stack, child);
            }
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (stack, json_array_get_element (array, i));
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
               && !check_decoded (json_node_get_string (node), error))
        return FALSE;
    }
  return TRUE;
}

/* A JSON object from a request body, with only the members named. Every endpoint that
 * takes a body reads it here: its size and depth are bounded before json-glib reads it, and
 * its strings are checked as decoded. */
JsonObject *
_pb_hub_parse_object (PbHub             *self,
                      const char        *body,
                      gsize              length,
                      const char *const *allowed,
                      GError           **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *member;

  if (!g_utf8_validate (body, (gssize) length, NULL))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, _("The request is not valid JSON: %s"),
                   _("not UTF-8"));
      return NULL;
    }
  /* The body and its tree together within twice the limit. */
  if (!scan_body (body, length, 2 * self->max_request > length ? 2 * self->max_request - length : 0, error))
    return NULL;
  if ((root = pb_json_parse (body, (gssize) length, &local)) == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, _("The request is not valid JSON: %s"),
                   local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED, _("The request must be a JSON object"));
      return NULL;
    }
  if (!check_strings (root, error))
    return NULL;
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
         || g_str_equal (field, "decided_by") || g_str_equal (field, "chair")
         || g_str_equal (field, "requested_by");
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
