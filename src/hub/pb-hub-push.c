/* pb-hub-push.c: a push: the changes of a device, checked and merged one by one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A push is one transaction: a change that is refused refuses the whole batch, except a
 * change to a row (or parent row) the writer does not see: it may have been unshared while
 * the device was offline, so that change alone is refused ("rejected", recorded in the
 * audit chain) and the rest of the batch goes on, or the device's outbox would be stuck.
 *
 * Each change is read, checked for who signs it (the account's site and person) and for its
 * values (schema, organisations), then the rulebook (src/core/rules/) decides whether its
 * writer may make it — the same decision the writer's own store made — and it is merged:
 * each field keeps the write with the greatest (hlc, site).
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>

#include "pb-hub-http.h"

/* One change of a push, as read from its object. */
typedef struct
{
  guint              index;
  JsonObject        *object;
  const char        *site;
  guint64            hlc;
  const char        *tbl;
  const char        *row;
  const char        *op;
  const char        *field;   /* NULL if there is none, or it is not a string */
  JsonNode          *value;
  const char        *author;
  char              *base;    /* JSON text of the clock a text edit replaced, or NULL */
  const PbTableInfo *table;
  PbHubRowState      state;   /* of the row, before the change */
} Change;

/* ---- Reading a change ------------------------------------------------------------- */

static gboolean
read_change (JsonNode *node,
             guint     index,
             Change   *c,
             GError  **error)
{
  static const char *const allowed[] = { "site", "hlc", "tbl", "row", "op", "field", "value", "author", "base", NULL };
  JsonObjectIter iter;
  const char *member;
  JsonNode *hlc_node;

  c->index = index;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u is not an object"), index);
      return FALSE;
    }
  c->object = json_node_get_object (node);
  json_object_iter_init (&iter, c->object);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      {
        g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_UNKNOWN_FIELD, _("Change %u has an unknown field “%s”"),
                     index, member);
        return FALSE;
      }

  c->site = _pb_hub_member_string (c->object, "site");
  c->tbl = _pb_hub_member_string (c->object, "tbl");
  c->row = _pb_hub_member_string (c->object, "row");
  c->op = _pb_hub_member_string (c->object, "op");
  c->author = _pb_hub_member_string (c->object, "author");
  hlc_node = json_object_get_member (c->object, "hlc");
  if (c->site == NULL || c->tbl == NULL || c->row == NULL || c->op == NULL || c->author == NULL
      || hlc_node == NULL || !JSON_NODE_HOLDS_VALUE (hlc_node) || json_node_get_value_type (hlc_node) != G_TYPE_INT64
      || json_node_get_int (hlc_node) <= 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Change %u needs site, hlc (a positive integer), tbl, row, op and author"), index);
      return FALSE;
    }
  c->hlc = (guint64) json_node_get_int (hlc_node);
  c->field = _pb_hub_member_string (c->object, "field");
  c->value = json_object_get_member (c->object, "value");
  return TRUE;
}

/* A change is stamped by the device it comes from and signed by the person who made it. */
static gboolean
check_signature (const PbHubAccount *account,
                 const Change       *c,
                 GError            **error)
{
  if (g_strcmp0 (c->site, account->site) != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_WRONG_SITE,
                   _("Change %u comes from site %s, but this account is enrolled on %s"),
                   c->index, c->site, account->site);
      return FALSE;
    }
  if (g_strcmp0 (c->author, account->person) != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_WRONG_AUTHOR,
                   _("Change %u is signed by someone other than this account"), c->index);
      return FALSE;
    }
  return TRUE;
}

/* Replayed: accepted before, nothing to do. */
static gboolean
is_duplicate (PbHub        *self,
              const Change *c)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_CHANGE_EXISTS);
  gboolean found;

  sqlite3_bind_text (s, 1, c->site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) c->hlc);
  found = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return found;
}

/* The clock, the table and the row id; then the row's state. */
static gboolean
check_target (PbHub   *self,
              Change  *c,
              GError **error)
{
  if (pb_hlc_wall_ms (c->hlc) > _pb_hub_now_ms (self) + PB_HUB_MAX_FUTURE_MS)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CLOCK_AHEAD,
                   _("Change %u is stamped %lld s in the future; the device's clock is wrong"),
                   c->index, (long long) ((pb_hlc_wall_ms (c->hlc) - _pb_hub_now_ms (self)) / 1000));
      return FALSE;
    }
  c->table = pb_schema_table_lookup (c->tbl);
  if (c->table == NULL || g_str_equal (c->tbl, "organisations") || g_str_equal (c->tbl, "people"))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: “%s” is not a table clients write"),
                   c->index, c->tbl);
      return FALSE;
    }
  if (!pb_uuid_is_valid (c->row))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: the row id is not a UUID"), c->index);
      return FALSE;
    }
  c->state = _pb_hub_row_state (self, c->tbl, c->row);
  return TRUE;
}

/* A text edit may say which value it replaced, for clients to find concurrent edits. */
static gboolean
read_base (Change  *c,
           GError **error)
{
  JsonNode *base = json_object_get_member (c->object, "base");
  JsonObject *b;
  JsonNode *bh;

  if (base == NULL)
    return TRUE;
  b = JSON_NODE_HOLDS_OBJECT (base) ? json_node_get_object (base) : NULL;
  bh = b ? json_object_get_member (b, "hlc") : NULL;
  if (!g_str_equal (c->op, "update") || b == NULL || json_object_get_size (b) != 2 || bh == NULL
      || !JSON_NODE_HOLDS_VALUE (bh) || json_node_get_value_type (bh) != G_TYPE_INT64
      || _pb_hub_member_string (b, "site") == NULL || !pb_uuid_is_valid (_pb_hub_member_string (b, "site")))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Change %u: “base” is {\"hlc\": integer, \"site\": UUID}, on updates only"), c->index);
      return FALSE;
    }
  c->base = _pb_hub_node_to_json (base);
  return TRUE;
}

/* ---- Who may write it: the rulebook ---------------------------------------------- */

/* The change as the rulebook reads a write: the fields an insert sets, or the one an update
 * changes. An insert of a row that is there already is an edit of the fields whose values
 * it changes (so a field written once is not written again that way). A value of a type
 * its field cannot hold is left out here; checking the values refuses it. */
static PbRecord *
change_record (PbHub        *self,
               const Change *c)
{
  PbRecord *record = pb_record_new (c->tbl, c->row);

  if (g_str_equal (c->op, "insert") && c->value && JSON_NODE_HOLDS_OBJECT (c->value))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (c->value));
      while (json_object_iter_next (&iter, &member, &node))
        {
          if (c->state.exists)
            {
              g_autofree char *held = _pb_hub_field_json (self, c->tbl, c->row, member);
              g_autofree char *given = _pb_hub_node_to_json (node);

              if (g_strcmp0 (held, given) == 0)
                continue;
            }
          pb_record_set_json (record, member, node);
        }
    }
  else if (g_str_equal (c->op, "update") && c->field && c->value)
    pb_record_set_json (record, c->field, c->value);
  return record;
}

static PbOp
change_op (const Change *c)
{
  if (g_str_equal (c->op, "insert"))
    return c->state.exists ? PB_OP_UPDATE : PB_OP_INSERT;
  if (g_str_equal (c->op, "update"))
    return PB_OP_UPDATE;
  return PB_OP_DELETE;
}

/* Asks the rulebook, as the store does before a write is kept: a row or a parent the writer
 * does not see is "not there" (that change alone is refused); anything else the rulebook
 * refuses refuses the push. */
static gboolean
check_rules (PbHub         *self,
             const PbActor *actor,
             const Change  *c,
             GError       **error)
{
  g_autoptr(PbRecord) record = change_record (self, c);
  PbVerdict verdict;
  const PbValue *parent;

  /* A row deleted is not made again: its id is taken for good. */
  if (g_str_equal (c->op, "insert") && c->state.deleted)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND, _("Change %u: row %s is not there"), c->index, c->row);
      return FALSE;
    }
  verdict = pb_rules_check_write (_pb_hub_rules (self), actor, change_op (c), record);

  switch (verdict.reason)
    {
    case PB_RULE_ALLOWED:
      return TRUE;
    case PB_RULE_NOT_VISIBLE:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND, _("Change %u: row %s is not there"), c->index, c->row);
      return FALSE;
    case PB_RULE_PARENT_NOT_VISIBLE:
      parent = pb_record_lookup (record, verdict.field);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND, _("Change %u: %s %s is not there"), c->index,
                   verdict.field, parent && parent->type == PB_VALUE_TEXT ? parent->s : "");
      return FALSE;
    case PB_RULE_FIXED:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN, _("Change %u: “%s” cannot be changed once written"),
                   c->index, verdict.field);
      return FALSE;
    case PB_RULE_OWN_ORG:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN,
                   _("Change %u: rows are written in the name of your own organisation"), c->index);
      return FALSE;
    case PB_RULE_CHAIR:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN,
                   _("Change %u: only the chair of the consultation runs a meeting"), c->index);
      return FALSE;
    case PB_RULE_LEAD:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN,
                   _("Change %u: only the services lead: a private partner cannot be given the lead"), c->index);
      return FALSE;
    case PB_RULE_OWN_NAME:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN,
                   _("Change %u: rows are written in your own name"), c->index);
      return FALSE;
    case PB_RULE_ORIGINATOR:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FORBIDDEN,
                   _("Change %u: only the organisation the report comes from shares it, changes its handling "
                     "code or deletes it"), c->index);
      return FALSE;
    case PB_RULE_HUB_ONLY:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: “%s” is not a table clients write"),
                   c->index, c->tbl);
      return FALSE;
    case PB_RULE_NOBODY:
    case PB_RULE_READ_ONLY:
    case PB_RULE_ADMIN:
    case PB_N_RULE_REASONS:
    default:
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY,
                   _("Private partners have read-only access: the hub accepts no changes from them"));
      return FALSE;
    }
}

/* ---- Its values ------------------------------------------------------------------- */

static gboolean
check_value (PbHub        *self,
             const Change *c,
             const char   *field,
             JsonNode     *node,
             GError      **error)
{
  g_autoptr(GError) why = NULL;

  if (_pb_hub_check_value (self, c->table, field, node, &why))
    return TRUE;
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: %s"), c->index, why->message);
  return FALSE;
}

static gboolean
check_insert (PbHub              *self,
              const PbHubAccount *account,
              const Change       *c,
              GError            **error)
{
  JsonObject *values;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (json_object_has_member (c->object, "field") || c->value == NULL || !JSON_NODE_HOLDS_OBJECT (c->value))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Change %u: an insert has “value”, an object of fields, and no “field”"), c->index);
      return FALSE;
    }
  values = json_node_get_object (c->value);
  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &member, &node))
    if (!check_value (self, c, member, node, error))
      return FALSE;
  if ((g_str_equal (c->tbl, "items") || g_str_equal (c->tbl, "incidents"))
      && _pb_hub_member_string (values, "source_org") == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: a new row of %s needs source_org"),
                   c->index, c->tbl);
      return FALSE;
    }
  if (g_str_equal (c->tbl, "items") && _pb_hub_member_string (values, "tlp") == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: a new item needs a handling code"),
                   c->index);
      return FALSE;
    }
  if ((g_str_equal (c->tbl, "identifiers") || g_str_equal (c->tbl, "item_shares"))
      && _pb_hub_member_string (values, "item") == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: a new row of %s needs its item"),
                   c->index, c->tbl);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_update (PbHub              *self,
              const PbHubAccount *account,
              const Change       *c,
              GError            **error)
{
  if (c->field == NULL || c->value == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: an update has “field” and “value”"),
                   c->index);
      return FALSE;
    }
  return check_value (self, c, c->field, c->value, error);
}

static gboolean
check_delete (const PbHubAccount *account,
              const Change       *c,
              GError            **error)
{
  if (json_object_has_member (c->object, "field") || json_object_has_member (c->object, "value"))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: a delete has no “field” or “value”"),
                   c->index);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_op (PbHub              *self,
          const PbHubAccount *account,
          const Change       *c,
          GError            **error)
{
  if (g_str_equal (c->op, "insert"))
    return check_insert (self, account, c, error);
  if (g_str_equal (c->op, "update"))
    return check_update (self, account, c, error);
  if (g_str_equal (c->op, "delete"))
    return check_delete (account, c, error);
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: “op” is insert, update or delete"),
               c->index);
  return FALSE;
}

/* ---- What every replica can store --------------------------------------------------- */

/* The row as it will be after the change, whole: its fields as the hub holds them, and
 * those the change sets. */
static PbRecord *
row_after (PbHub        *self,
           const Change *c)
{
  PbRecord *row = pb_record_new (c->tbl, c->row);

  if (c->state.exists)
    {
      sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_SNAPSHOT_FIELDS);

      sqlite3_bind_text (s, 1, c->tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, c->row, -1, SQLITE_STATIC);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          g_autoptr(JsonNode) node = json_from_string (sqlite3_column_type (s, 1) == SQLITE_NULL
                                                       ? "null" : (const char *) sqlite3_column_text (s, 1), NULL);
          if (node)
            pb_record_set_json (row, (const char *) sqlite3_column_text (s, 0), node);
        }
      sqlite3_reset (s);
    }
  if (g_str_equal (c->op, "insert"))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (c->value));
      while (json_object_iter_next (&iter, &member, &node))
        pb_record_set_json (row, member, node);
    }
  else
    pb_record_set_json (row, c->field, c->value);
  return row;
}

/* Another live row of the table with the same values of the key's columns, or NULL. */
static char *
same_key (PbHub        *self,
          PbRecord     *row,
          const char   *tbl,
          const char   *id,
          const char   *const *columns)
{
  g_autoptr(GString) sql = g_string_new ("SELECT f0.row_id FROM fields f0"
                                         " JOIN rows r ON r.tbl = f0.tbl AND r.row_id = f0.row_id AND NOT r.deleted");
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = NULL;
  char *other = NULL;
  guint n = g_strv_length ((char **) columns);

  for (guint k = 0; k < n; k++)
    {
      const PbValue *v = pb_record_lookup (row, columns[k]);
      GString *json;

      if (v == NULL || v->type != PB_VALUE_TEXT)
        return NULL;   /* a key with an empty part is no key (NULLs differ) */
      json = g_string_new (NULL);
      pb_json_append_string (json, v->s);
      g_ptr_array_add (values, g_string_free (json, FALSE));
      if (k > 0)
        g_string_append_printf (sql, " JOIN fields f%u ON f%u.tbl = f0.tbl AND f%u.row_id = f0.row_id"
                                     " AND f%u.field = ?%u AND f%u.value = ?%u", k, k, k, k, 2 * k + 3, k, 2 * k + 4);
    }
  g_string_append (sql, " WHERE f0.tbl = ?1 AND f0.row_id <> ?2 AND f0.field = ?3 AND f0.value = ?4 LIMIT 1");
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &s, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, id, -1, SQLITE_STATIC);
  for (guint k = 0; k < n; k++)
    {
      sqlite3_bind_text (s, 2 * k + 3, columns[k], -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2 * k + 4, values->pdata[k], -1, SQLITE_STATIC);
    }
  if (sqlite3_step (s) == SQLITE_ROW)
    other = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  return other;
}

/* Whether every replica will store the row as the change leaves it: the data model's rules
 * and the schema's constraints (as a store checks them: refused, the push with it), and no
 * other row with the same unique key (two devices made the same sharing, say: this change
 * alone is refused, and its device told to drop its copy). */
static gboolean
check_schema (PbHub        *self,
              const Change *c,
              GError      **error)
{
  g_autoptr(PbRecord) row = NULL;
  g_autoptr(GError) why = NULL;
  GPtrArray *keys;

  if (g_str_equal (c->op, "delete") || c->state.deleted)
    return TRUE;
  row = row_after (self, c);
  if (!pb_row_check (self->row_check, row, &why))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Change %u: %s"), c->index, why->message);
      return FALSE;
    }
  keys = pb_row_check_unique_keys (self->row_check, c->tbl);
  for (guint k = 0; k < keys->len; k++)
    {
      g_autofree char *other = same_key (self, row, c->tbl, c->row, keys->pdata[k]);

      if (other)
        {
          g_autofree char *columns = g_strjoinv (", ", keys->pdata[k]);

          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_DUPLICATE,
                       _("Change %u: row %s of %s has the same %s as row %s"), c->index, c->row, c->tbl, columns,
                       other);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- Merging it ------------------------------------------------------------------- */

/* A field keeps the write with the greatest (hlc, site). */
static gboolean
set_field (PbHub      *self,
           const char *tbl,
           const char *row,
           const char *field,
           const char *value,
           guint64     hlc,
           const char *site)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_FIELD_MERGE);
  int rc;

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 5, (sqlite3_int64) hlc);
  sqlite3_bind_text (s, 6, site, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE && _pb_hub_update_refs (self, tbl, row, field);
}

/* The row's state: created if it is new, its fields merged, or marked deleted. */
static gboolean
write_change (PbHub        *self,
              const Change *c)
{
  sqlite3_stmt *s;
  int rc;

  if (!c->state.exists)
    {
      s = _pb_hub_stmt (self, PB_HUB_STMT_ROW_INSERT);
      sqlite3_bind_text (s, 1, c->tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, c->row, -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return FALSE;
    }

  if (g_str_equal (c->op, "insert"))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (c->value));
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *json = _pb_hub_node_to_json (node);
          if (!set_field (self, c->tbl, c->row, member, json, c->hlc, c->site))
            return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (c->op, "update"))
    {
      g_autofree char *json = _pb_hub_node_to_json (c->value);
      return c->state.deleted || set_field (self, c->tbl, c->row, c->field, json, c->hlc, c->site);
    }
  s = _pb_hub_stmt (self, PB_HUB_STMT_ROW_DELETE);
  sqlite3_bind_text (s, 1, c->tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, c->row, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

/* The change's entry in the log, for those who see the row now. */
static gboolean
log_change (PbHub              *self,
            PbHubBatch         *batch,
            const PbHubAccount *account,
            const Change       *c)
{
  PbHubRowState now = _pb_hub_row_state (self, c->tbl, c->row);
  g_autofree char *value = c->value ? _pb_hub_node_to_json (c->value) : NULL;
  PbHubEntry e = { c->site, c->hlc, c->tbl, c->row, c->op, c->field, value, c->author, now.audience,
                   account->name, c->base };

  batch->notified |= e.audience;
  _pb_hub_logged (batch, c->tbl, c->row, g_str_equal (c->op, "insert"), now.audience);
  return _pb_hub_append_entry (self, &e) != 0;
}

/* Merges an accepted change, and what follows from it: who sees what, hits, the log. */
static gboolean
merge_change (PbHub              *self,
              PbHubBatch         *batch,
              const PbHubAccount *account,
              const Change       *c,
              GError            **error)
{
  g_auto(GStrv) old_parents = NULL;
  PbHubHolding before = { NULL, NULL, NULL }, after = { NULL, NULL, NULL };
  gboolean identifier = g_str_equal (c->tbl, "identifiers");
  gboolean ok;

  _pb_hub_remember (batch, c->tbl, c->row, c->state);
  /* The rows whose audience follows from this one's fields, as they were. */
  old_parents = _pb_hub_parents_of (self, c->tbl, c->row);
  if (identifier)
    before = _pb_hub_holding_of (self, c->row);

  ok = write_change (self, c)
       && _pb_hub_refresh_changed (self, batch, c->tbl, c->row, (const char *const *) old_parents);
  if (ok && identifier)
    {
      after = _pb_hub_holding_of (self, c->row);
      ok = _pb_hub_holding_moved (self, batch, &before, &after);
    }
  ok = ok && log_change (self, batch, account, c);
  _pb_hub_holding_clear (&before);
  _pb_hub_holding_clear (&after);
  if (!ok)
    g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), c->index);
  return ok;
}

/* Applies one change of a push: TRUE if it was merged, or was a @duplicate of one merged
 * before. A change to a row the writer does not see fails with PB_HUB_ERROR_NOT_FOUND,
 * which refuses it alone; any other error refuses the whole push. */
static gboolean
apply_change (PbHub              *self,
              PbHubBatch         *batch,
              const PbHubAccount *account,
              const PbActor      *actor,
              JsonNode           *node,
              guint               index,
              gboolean           *duplicate,
              GError            **error)
{
  Change c = { 0 };
  gboolean ok;

  *duplicate = FALSE;
  if (!read_change (node, index, &c, error) || !check_signature (account, &c, error))
    return FALSE;
  if (is_duplicate (self, &c))
    {
      *duplicate = TRUE;
      return TRUE;
    }
  ok = check_target (self, &c, error)
       && read_base (&c, error)
       && check_op (self, account, &c, error)
       && check_rules (self, actor, &c, error)
       && check_schema (self, &c, error)
       && merge_change (self, batch, account, &c, error);
  g_free (c.base);
  return ok;
}

/* ---- The push --------------------------------------------------------------------- */

/* A change refused alone: said in the answer's "rejected", and recorded in the chain. */
static gboolean
reject (PbHub              *self,
        const PbHubAccount *account,
        GString            *rejected,
        guint               index,
        const GError       *why,
        GError            **error)
{
  const char *code;

  pb_hub_error_to_http (why, NULL, &code);
  g_string_append_printf (rejected, "%s{\"index\":%u,\"error\":\"%s\",\"message\":", rejected->len ? "," : "",
                          index, code);
  pb_json_append_string (rejected, why->message);
  g_string_append_c (rejected, '}');
  if (_pb_hub_audit_rejected (self, account->name, index, why->message))
    return TRUE;
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, _("The hub could not store the changes"));
  return FALSE;
}

/* A row refused as a duplicate stays on the device that made it: its organisation is told
 * to drop it (as when a row is no longer shared with it), so that the replicas agree. */
static gboolean
drop_copy (PbHub              *self,
           PbHubBatch         *batch,
           const PbHubAccount *account,
           JsonNode           *node)
{
  JsonObject *object = json_node_get_object (node);
  const char *tbl = _pb_hub_member_string (object, "tbl");
  const char *row = _pb_hub_member_string (object, "row");
  guint64 bit = _pb_hub_org_bit (self, account->org);
  PbHubEntry e = { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), tbl, row, "revoke", NULL, NULL,
                   self->site_id, bit, account->name };

  batch->notified |= bit;
  return _pb_hub_append_entry (self, &e) != 0;
}

/* The changes, in one transaction; the answer. */
static gboolean
apply_changes (PbHub              *self,
               const PbHubAccount *account,
               const PbActor      *actor,
               JsonArray          *array,
               guint64            *audience,
               char              **reply,
               GError            **error)
{
  g_autoptr(GString) rejected = g_string_new (NULL);
  guint accepted = 0, duplicates = 0;
  gint64 first_seq, last_seq;
  gboolean ok = TRUE;
  PbHubBatch batch;
  PbHubSaved saved;

  _pb_hub_save (self, &saved);
  if (!_pb_hub_begin_write (self))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_BUSY, _("The hub is busy; try again"));
      return FALSE;
    }
  first_seq = pb_hub_last_seq (self);
  _pb_hub_batch_init (&batch, account->name);
  for (guint i = 0; ok && i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local = NULL;
      gboolean duplicate;

      if (apply_change (self, &batch, account, actor, json_array_get_element (array, i), i, &duplicate, &local))
        {
          if (duplicate)
            duplicates++;
          else
            accepted++;
        }
      else if (g_error_matches (local, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND))
        ok = reject (self, account, rejected, i, local, error);
      else if (g_error_matches (local, PB_HUB_ERROR, PB_HUB_ERROR_DUPLICATE))
        ok = reject (self, account, rejected, i, local, error)
             && drop_copy (self, &batch, account, json_array_get_element (array, i));
      else
        {
          g_propagate_error (error, g_steal_pointer (&local));
          ok = FALSE;
        }
    }
  if (ok && (!_pb_hub_finish_batch (self, &batch) || !_pb_hub_commit (self, NULL)))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, _("The hub could not store the changes"));
      ok = FALSE;
    }
  if (!ok)
    {
      _pb_hub_restore (self, &saved);
      _pb_hub_batch_clear (&batch);
      return FALSE;
    }
  _pb_hub_batch_clear (&batch);

  last_seq = pb_hub_last_seq (self);
  *audience = batch.notified;
  *reply = g_strdup_printf ("{\"accepted\":%u,\"duplicates\":%u,\"rejected\":[%s],\"first_seq\":%" G_GINT64_FORMAT
                            ",\"last_seq\":%" G_GINT64_FORMAT ",\"hub_hlc\":%" G_GUINT64_FORMAT
                            ",\"audit\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}",
                            accepted, duplicates, rejected->str, last_seq > first_seq ? first_seq + 1 : 0, last_seq,
                            self->hlc.last, self->audit_seq, self->audit_head);
  return TRUE;
}

gboolean
pb_hub_push (PbHub              *self,
             const PbHubAccount *account,
             const char         *body,
             gsize               length,
             guint64            *audience,
             char              **reply,
             GError            **error)
{
  static const char *const allowed[] = { "changes", NULL };
  g_autoptr(JsonObject) request = NULL;
  JsonNode *changes;
  JsonArray *array;
  PbActor actor;

  *audience = 0;
  /* Who writes shared data at all is the rulebook's: officers and chairs of the members. */
  if (!_pb_hub_account_actor (account, &actor) || !pb_rules_may_write_data (&actor))
    {
      if (g_strcmp0 (account->role, "admin") == 0)
        g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY,
                     _("Administrators manage accounts; they do not write shared data"));
      else
        g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY,
                     _("Private partners have read-only access: the hub accepts no changes from them"));
      return FALSE;
    }

  request = _pb_hub_parse_object (self, body, length, allowed, error);
  if (request == NULL)
    return FALSE;
  changes = json_object_get_member (request, "changes");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“changes” must be an array"));
      return FALSE;
    }
  array = json_node_get_array (changes);
  if (json_array_get_length (array) > PB_HUB_MAX_BATCH)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_TOO_MANY, _("At most %d changes a push"), PB_HUB_MAX_BATCH);
      return FALSE;
    }
  return apply_changes (self, account, &actor, array, audience, reply, error);
}
