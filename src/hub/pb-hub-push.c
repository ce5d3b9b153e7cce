/* pb-hub-push.c: a push: the changes of a device, checked and merged one by one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A push is one transaction: a change that is refused refuses the whole batch, except a
 * change to a row (or parent row) the writer does not see: it may have been unshared while
 * the device was offline, so that change alone is refused ("rejected", recorded in the
 * audit chain) and the rest of the batch goes on, or the device's outbox would be stuck.
 *
 * Each field keeps the write with the greatest (hlc, site).
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>

#include "pb-hub-http.h"

/* Fields written by the one who creates the row, never changed after. */
static const struct
{
  const char *tbl;
  const char *field;
} fixed_fields[] = {
  { "items", "source_org" },
  { "items", "author" },
  { "incidents", "source_org" },
  { "cases", "source_org" },
  { "identifiers", "item" },
  { "item_shares", "item" },
  { "item_shares", "org" },
  { "item_links", "item_a" },
  { "item_links", "item_b" },
  { "case_leads", "case_id" },
  { "meeting_attendance", "meeting" },
  { "meeting_attendance", "org" },
  { "agenda_entries", "meeting" },
  { "agenda_entries", "item" },
  { "agenda_entries", "item_org" },
  { "decisions", "meeting" },
  { "decisions", "item" },
  { "meeting_actions", "meeting" },
  { "meeting_actions", "item" },
  { "meeting_actions", "owner_org" },
};

static gboolean
is_fixed (const char *tbl,
          const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixed_fields); i++)
    if (g_str_equal (fixed_fields[i].tbl, tbl) && g_str_equal (fixed_fields[i].field, field))
      return TRUE;
  return FALSE;
}

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
  sqlite3_stmt *s = _pb_hub_stmt (self, "INSERT INTO fields (tbl, row_id, field, value, hlc, site) VALUES (?, ?, ?, ?, ?, ?)"
                                        " ON CONFLICT (tbl, row_id, field) DO UPDATE SET value = excluded.value,"
                                        " hlc = excluded.hlc, site = excluded.site"
                                        " WHERE excluded.hlc > fields.hlc"
                                        "  OR (excluded.hlc = fields.hlc AND excluded.site > fields.site)");
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

/* Applies one change of a push: TRUE if it was merged, or was a @duplicate of one merged
 * before. A change to a row the writer does not see fails with PB_HUB_ERROR_NOT_FOUND,
 * which refuses it alone; any other error refuses the whole push. */
static gboolean
apply_change (PbHub              *self,
              PbHubBatch         *batch,
              const PbHubAccount *account,
              JsonNode           *node,
              guint               index,
              gboolean           *duplicate,
              GError            **error)
{
  static const char *const allowed[] = { "site", "hlc", "tbl", "row", "op", "field", "value", "author", "base", NULL };
  JsonObject *change;
  JsonObjectIter iter;
  const char *member, *tbl, *row, *op, *site, *field, *author;
  const PbTableInfo *table;
  JsonNode *hlc_node, *value, *base;
  g_autofree char *base_json = NULL;
  guint64 hlc;
  PbHubRowState state;
  g_autofree char *old_case = NULL;
  g_autofree char *value_json = NULL;
  PbHubHolding before_holding = { NULL, NULL, NULL }, after_holding = { NULL, NULL, NULL };
  gboolean ok = FALSE;
  sqlite3_stmt *s;

  *duplicate = FALSE;
#define REFUSE(code, ...) G_STMT_START { g_set_error (error, PB_HUB_ERROR, code, __VA_ARGS__); goto out; } G_STMT_END
  /* A row the writer no longer sees (it was unshared while they worked offline) refuses
   * that change alone: the rest of the batch goes on, or the outbox would be stuck. */
#define NOT_THERE(...) REFUSE (PB_HUB_ERROR_NOT_FOUND, __VA_ARGS__)

  if (!JSON_NODE_HOLDS_OBJECT (node))
    REFUSE (PB_HUB_ERROR_INVALID, _("Change %u is not an object"), index);
  change = json_node_get_object (node);
  json_object_iter_init (&iter, change);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      REFUSE (PB_HUB_ERROR_UNKNOWN_FIELD, _("Change %u has an unknown field “%s”"), index, member);

  site = _pb_hub_member_string (change, "site");
  tbl = _pb_hub_member_string (change, "tbl");
  row = _pb_hub_member_string (change, "row");
  op = _pb_hub_member_string (change, "op");
  author = _pb_hub_member_string (change, "author");
  hlc_node = json_object_get_member (change, "hlc");
  if (site == NULL || tbl == NULL || row == NULL || op == NULL || author == NULL || hlc_node == NULL
      || !JSON_NODE_HOLDS_VALUE (hlc_node) || json_node_get_value_type (hlc_node) != G_TYPE_INT64
      || json_node_get_int (hlc_node) <= 0)
    REFUSE (PB_HUB_ERROR_INVALID, _("Change %u needs site, hlc (a positive integer), tbl, row, op and author"), index);
  hlc = (guint64) json_node_get_int (hlc_node);

  if (g_strcmp0 (site, account->site) != 0)
    REFUSE (PB_HUB_ERROR_WRONG_SITE, _("Change %u comes from site %s, but this account is enrolled on %s"),
            index, site, account->site);
  if (g_strcmp0 (author, account->person) != 0)
    REFUSE (PB_HUB_ERROR_WRONG_AUTHOR, _("Change %u is signed by someone other than this account"), index);

  /* Replayed: accepted before, nothing to do. */
  s = _pb_hub_stmt (self, "SELECT 1 FROM changes WHERE site = ? AND hlc = ?");
  sqlite3_bind_text (s, 1, site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) hlc);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      sqlite3_reset (s);
      *duplicate = TRUE;
      return TRUE;
    }
  sqlite3_reset (s);

  if (pb_hlc_wall_ms (hlc) > _pb_hub_now_ms (self) + PB_HUB_MAX_FUTURE_MS)
    REFUSE (PB_HUB_ERROR_CLOCK_AHEAD,
            _("Change %u is stamped %lld s in the future; the device's clock is wrong"),
            index, (long long) ((pb_hlc_wall_ms (hlc) - _pb_hub_now_ms (self)) / 1000));

  table = pb_schema_table_lookup (tbl);
  if (table == NULL || g_str_equal (tbl, "organisations") || g_str_equal (tbl, "people"))
    REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: “%s” is not a table clients write"), index, tbl);
  if (!pb_uuid_is_valid (row))
    REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: the row id is not a UUID"), index);

  field = _pb_hub_member_string (change, "field");
  value = json_object_get_member (change, "value");
  state = _pb_hub_row_state (self, tbl, row);

  /* A text edit may say which value it replaced, for clients to find concurrent edits. */
  base = json_object_get_member (change, "base");
  if (base)
    {
      JsonObject *b = JSON_NODE_HOLDS_OBJECT (base) ? json_node_get_object (base) : NULL;
      JsonNode *bh = b ? json_object_get_member (b, "hlc") : NULL;

      if (!g_str_equal (op, "update") || b == NULL || json_object_get_size (b) != 2 || bh == NULL
          || !JSON_NODE_HOLDS_VALUE (bh) || json_node_get_value_type (bh) != G_TYPE_INT64
          || _pb_hub_member_string (b, "site") == NULL || !pb_uuid_is_valid (_pb_hub_member_string (b, "site")))
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: “base” is {\"hlc\": integer, \"site\": UUID}, on updates only"),
                index);
      base_json = _pb_hub_node_to_json (base);
    }

  /* Only the chair runs a meeting; a participant says that their own organisation is
   * connected, and the organisation that owns an action marks it done. */
  if ((_pb_hub_is_meeting_table (tbl) || g_str_equal (tbl, "decisions") || g_str_equal (tbl, "meeting_actions"))
      && g_strcmp0 (account->role, "chair") != 0)
    {
      gboolean own = FALSE;

      if (g_str_equal (tbl, "meeting_attendance"))
        {
          g_autofree char *org = state.exists ? _pb_hub_field_string (self, tbl, row, "org") : NULL;
          JsonObject *values = value && JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;

          if (g_str_equal (op, "insert") && values)
            {
              JsonNode *in_room = json_object_get_member (values, "in_room");
              JsonNode *names = json_object_get_member (values, "names");

              own = g_strcmp0 (_pb_hub_member_string (values, "org"), account->org) == 0
                    && (in_room == NULL || JSON_NODE_HOLDS_NULL (in_room)
                        || (JSON_NODE_HOLDS_VALUE (in_room) && json_node_get_value_type (in_room) == G_TYPE_INT64
                            && json_node_get_int (in_room) == 0))
                    && (names == NULL || JSON_NODE_HOLDS_NULL (names));
            }
          else if (g_str_equal (op, "update"))
            own = g_strcmp0 (org, account->org) == 0 && g_strcmp0 (field, "connected") == 0;
        }
      else if (g_str_equal (tbl, "meeting_actions") && g_str_equal (op, "update") && state.exists)
        {
          g_autofree char *owner = _pb_hub_field_string (self, tbl, row, "owner_org");
          own = g_strcmp0 (owner, account->org) == 0 && g_strcmp0 (field, "done_at") == 0;
        }
      if (!own)
        REFUSE (PB_HUB_ERROR_FORBIDDEN, _("Change %u: only the chair of the consultation runs a meeting"), index);
    }

  if (g_str_equal (op, "insert"))
    {
      JsonObject *values;

      if (json_object_has_member (change, "field") || value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: an insert has “value”, an object of fields, and no “field”"),
                index);
      if (state.exists && !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
      values = json_node_get_object (value);
      json_object_iter_init (&iter, values);
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autoptr(GError) why = NULL;
          if (!_pb_hub_check_value (self, table, member, node, &why))
            REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: %s"), index, why->message);
        }
      /* What makes a row visible is what its writer may set: their own organisation as
       * its source, and only parents they see. */
      if (json_object_has_member (values, "source_org")
          && g_strcmp0 (_pb_hub_member_string (values, "source_org"), account->org) != 0)
        REFUSE (PB_HUB_ERROR_FORBIDDEN, _("Change %u: rows are written in the name of your own organisation"), index);
      if ((g_str_equal (tbl, "items") || g_str_equal (tbl, "incidents"))
          && _pb_hub_member_string (values, "source_org") == NULL)
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: a new row of %s needs source_org"), index, tbl);
      if (g_str_equal (tbl, "items") && _pb_hub_member_string (values, "tlp") == NULL)
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: a new item needs a handling code"), index);
      for (guint i = 0; i < _pb_hub_n_references; i++)
        if (g_str_equal (_pb_hub_references[i].tbl, tbl) && _pb_hub_member_string (values, _pb_hub_references[i].field))
          {
            const char *parent = _pb_hub_member_string (values, _pb_hub_references[i].field);
            PbHubRowState p = _pb_hub_row_state (self, _pb_hub_references[i].parent, parent);

            if (!p.exists || p.deleted || !(p.audience & account->org_bit))
              NOT_THERE (_("Change %u: %s %s is not there"), index, _pb_hub_references[i].field, parent);
          }
      if ((g_str_equal (tbl, "identifiers") || g_str_equal (tbl, "item_shares"))
          && _pb_hub_member_string (values, "item") == NULL)
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: a new row of %s needs its item"), index, tbl);
    }
  else if (g_str_equal (op, "update"))
    {
      g_autoptr(GError) why = NULL;

      if (field == NULL || value == NULL)
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: an update has “field” and “value”"), index);
      if (!state.exists || !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
      if (!_pb_hub_check_value (self, table, field, value, &why))
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: %s"), index, why->message);
      if (is_fixed (tbl, field))
        REFUSE (PB_HUB_ERROR_FORBIDDEN, _("Change %u: “%s” cannot be changed once written"), index, field);
      if (_pb_hub_reference_parent (tbl, field) && JSON_NODE_HOLDS_VALUE (value))
        {
          PbHubRowState p = _pb_hub_row_state (self, _pb_hub_reference_parent (tbl, field),
                                               json_node_get_string (value));
          if (!p.exists || p.deleted || !(p.audience & account->org_bit))
            NOT_THERE (_("Change %u: %s %s is not there"), index, field, json_node_get_string (value));
        }
    }
  else if (g_str_equal (op, "delete"))
    {
      if (json_object_has_member (change, "field") || json_object_has_member (change, "value"))
        REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: a delete has no “field” or “value”"), index);
      if (!state.exists || !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
    }
  else
    REFUSE (PB_HUB_ERROR_INVALID, _("Change %u: “op” is insert, update or delete"), index);

  /* Accepted: merge it. */
  _pb_hub_remember (batch, tbl, row, state);
  if (g_str_equal (tbl, "items"))
    old_case = _pb_hub_field_string (self, tbl, row, "case_id");
  if (g_str_equal (tbl, "identifiers"))
    before_holding = _pb_hub_holding_of (self, row);

  if (!state.exists)
    {
      s = _pb_hub_stmt (self, "INSERT INTO rows (tbl, row_id) VALUES (?, ?)");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
    }

  if (g_str_equal (op, "insert"))
    {
      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *json = _pb_hub_node_to_json (node);
          if (!set_field (self, tbl, row, member, json, hlc, site))
            REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
        }
    }
  else if (g_str_equal (op, "update"))
    {
      g_autofree char *json = _pb_hub_node_to_json (value);
      if (!state.deleted && !set_field (self, tbl, row, field, json, hlc, site))
        REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
    }
  else
    {
      s = _pb_hub_stmt (self, "UPDATE rows SET deleted = 1 WHERE tbl = ? AND row_id = ?");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
    }

  if (!_pb_hub_refresh (self, batch, tbl, row) || !_pb_hub_refresh_parents (self, batch, tbl, row, old_case))
    REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);

  if (g_str_equal (tbl, "identifiers"))
    {
      after_holding = _pb_hub_holding_of (self, row);
      if (!_pb_hub_holding_moved (self, batch, &before_holding, &after_holding))
        REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
    }

  {
    PbHubRowState now = _pb_hub_row_state (self, tbl, row);
    PbHubEntry e = { site, hlc, tbl, row, op, field, NULL, author, now.audience, account->name, base_json };

    if (value)
      value_json = _pb_hub_node_to_json (value);
    e.value = value_json;
    batch->notified |= e.audience;
    if (_pb_hub_append_entry (self, &e) == 0)
      REFUSE (PB_HUB_ERROR_FAILED, _("The hub could not store change %u"), index);
  }
  ok = TRUE;

out:
  _pb_hub_holding_clear (&before_holding);
  _pb_hub_holding_clear (&after_holding);
  return ok;
#undef REFUSE
#undef NOT_THERE
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

/* The changes, in one transaction; the answer. */
static gboolean
apply_changes (PbHub              *self,
               const PbHubAccount *account,
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

      if (apply_change (self, &batch, account, json_array_get_element (array, i), i, &duplicate, &local))
        {
          if (duplicate)
            duplicates++;
          else
            accepted++;
        }
      else if (g_error_matches (local, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND))
        ok = reject (self, account, rejected, i, local, error);
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

  *audience = 0;
  if (g_strcmp0 (account->role, "partner") == 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY,
                   _("Private partners have read-only access: the hub accepts no changes from them"));
      return FALSE;
    }
  if (g_strcmp0 (account->role, "admin") == 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY,
                   _("Administrators manage accounts; they do not write shared data"));
      return FALSE;
    }

  request = _pb_hub_parse_object (body, length, allowed, error);
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
  return apply_changes (self, account, array, audience, reply, error);
}
