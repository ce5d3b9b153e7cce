/* pb-hub-audience.c: need-to-know: who may see each row, and what follows when that changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row has an audience, one bit per organisation, computed by the board's rules
 * (compute_audience) from the row and the rows it points at (references, kept in the refs
 * table). When a row changes, its audience and those of the rows that follow from it are
 * computed again; at the end of the request, an organisation that starts to see a row gets
 * its whole current state (a "snapshot" entry), one that stops gets a "revoke" entry.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <string.h>

/* ---- The rulebook over the hub's rows ------------------------------------------- */

static char *
source_field (gpointer    data,
              const char *table,
              const char *row,
              const char *field)
{
  return _pb_hub_field_string (data, table, row, field);
}

static gboolean
source_exists (gpointer    data,
               const char *table,
               const char *row)
{
  PbHubRowState state = _pb_hub_row_state (data, table, row);
  return state.exists && !state.deleted;
}

/* The rows of @table that point at @value: the hub keeps them as references (refs). */
static GPtrArray *
source_children (gpointer    data,
                 const char *table,
                 const char *field,
                 const char *value)
{
  return _pb_hub_children (data, value, table);
}

static PbOrgSet
source_child_orgs (gpointer    data,
                   const char *table,
                   const char *field,
                   const char *value,
                   const char *org_field)
{
  g_autoptr(GPtrArray) rows = _pb_hub_children (data, value, table);
  PbOrgSet out = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *org = _pb_hub_field_string (data, table, rows->pdata[i], org_field);
      out |= _pb_hub_org_bit (data, org);
    }
  return out;
}

/* The audience kept for each row: what the rows that follow from it are computed from. */
static gboolean
source_kept (gpointer    data,
             const char *table,
             const char *row,
             PbOrgSet   *audience)
{
  PbHubRowState state = _pb_hub_row_state (data, table, row);

  if (!state.exists)
    return FALSE;
  *audience = state.audience;
  return TRUE;
}

static PbOrgSet
source_org_bit (gpointer    data,
                const char *org)
{
  return _pb_hub_org_bit (data, org);
}

/**
 * _pb_hub_rules:
 *
 * Returns: the rulebook's view of the hub's rows, with the organisations as they are now
 */
const PbRuleSource *
_pb_hub_rules (PbHub *self)
{
  self->rules = (PbRuleSource) {
    .field = source_field,
    .exists = source_exists,
    .children = source_children,
    .child_orgs = source_child_orgs,
    .kept = source_kept,
    .org_bit = source_org_bit,
    .data = self,
    .all = self->known_orgs,
    .partners = self->partner_orgs,
  };
  return &self->rules;
}

/* Who an account is, for the rulebook; FALSE when its role or kind is not one it knows. */
gboolean
_pb_hub_account_actor (const PbHubAccount *account,
                       PbActor            *actor)
{
  PbRole role;
  PbOrgKind kind;

  if (!pb_role_from_string (account->role, &role) || !pb_org_kind_from_string (account->org_kind, &kind))
    return FALSE;
  *actor = (PbActor) { account->person, account->org, role, kind };
  return TRUE;
}

static guint64
compute_audience (PbHub      *self,
                  const char *tbl,
                  const char *row)
{
  return pb_rules_audience (_pb_hub_rules (self), tbl, row);
}

/* ---- One request's changes of audience -------------------------------------------- */

typedef struct
{
  gboolean existed;
  guint64  audience;
  guint64  missed;   /* organisations an entry of the row in this request was not sent to */
} Before;

void
_pb_hub_batch_init (PbHubBatch *batch,
                    const char *by)
{
  batch->before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  batch->by = by;
  batch->notified = 0;
}

void
_pb_hub_batch_clear (PbHubBatch *batch)
{
  g_clear_pointer (&batch->before, g_hash_table_unref);
}

static char *
row_key (const char *tbl,
         const char *row)
{
  return g_strconcat (tbl, "\x1f", row, NULL);
}

/* Keeps a row's state before the request changed it (the first time only). */
void
_pb_hub_remember (PbHubBatch   *batch,
                  const char   *tbl,
                  const char   *row,
                  PbHubRowState state)
{
  g_autofree char *key = row_key (tbl, row);

  if (!g_hash_table_contains (batch->before, key))
    {
      Before *b = g_new (Before, 1);
      b->existed = state.exists;
      b->audience = state.audience;
      b->missed = 0;
      g_hash_table_insert (batch->before, g_steal_pointer (&key), b);
    }
}

/* An entry of a row was logged for @audience. A row new in this request is held from
 * then on by those its insert was sent to, and the end of the request compares its
 * audience with that; and whoever an entry was not sent to (the row was out of their
 * sight for a moment of the request: unshared, then shared again) gets the row's whole
 * state at the end if they see it then. */
void
_pb_hub_logged (PbHubBatch *batch,
                const char *tbl,
                const char *row,
                gboolean    insert,
                guint64     audience)
{
  g_autofree char *key = row_key (tbl, row);
  Before *b = g_hash_table_lookup (batch->before, key);

  if (b == NULL)
    return;
  if (insert && !b->existed)
    {
      b->existed = TRUE;
      b->audience = audience;
    }
  b->missed |= ~audience;
}

static gboolean
set_audience (PbHub      *self,
              const char *tbl,
              const char *row,
              guint64     audience)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_SET_AUDIENCE);
  int rc;

  sqlite3_bind_int64 (s, 1, (sqlite3_int64) audience);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

/* After a field was written: if it points at another row, the row is that one's child. */
gboolean
_pb_hub_update_refs (PbHub      *self,
                     const char *tbl,
                     const char *row,
                     const char *field)
{
  g_autofree char *parent = NULL;
  sqlite3_stmt *s;
  int rc;

  if (pb_rules_reference_parent (tbl, field) == NULL)
    return TRUE;
  parent = _pb_hub_field_string (self, tbl, row, field);
  /* An item link keeps both its ends; other rows have one parent in a table. */
  if (!g_str_equal (tbl, "item_links"))
    {
      s = _pb_hub_stmt (self, PB_HUB_STMT_REFS_DELETE);
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, parent ? parent : "", -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  if (parent)
    {
      s = _pb_hub_stmt (self, PB_HUB_STMT_REFS_INSERT);
      sqlite3_bind_text (s, 1, parent, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* Recomputes who sees a row, and then the rows that follow from it, as the rulebook says:
 * the rows that depend on it when its audience changed (or, for those that follow an
 * item's sharing rows, when those changed: @shares_changed), and the parents that depend
 * on who sees it. */
static gboolean
refresh (PbHub      *self,
         PbHubBatch *batch,
         const char *tbl,
         const char *row,
         gboolean    shares_changed)
{
  PbHubRowState state = _pb_hub_row_state (self, tbl, row);
  const PbDependent *deps;
  const char *done = NULL;
  guint64 audience;
  gboolean changed;
  guint n;

  if (!state.exists)
    return TRUE;
  _pb_hub_remember (batch, tbl, row, state);
  audience = compute_audience (self, tbl, row);
  changed = audience != state.audience;
  if (changed && !set_audience (self, tbl, row, audience))
    return FALSE;

  deps = pb_rules_dependent_children (tbl, &n);
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(GPtrArray) rows = NULL;

      /* A table named twice (a link's two ends) is looked at once: the hub's references
       * give every row that points at this one. */
      if ((!changed && !(deps[k].follows_shares && shares_changed)) || g_strcmp0 (done, deps[k].table) == 0)
        continue;
      done = deps[k].table;
      rows = _pb_hub_children (self, row, deps[k].table);
      for (guint i = 0; i < rows->len; i++)
        if (!refresh (self, batch, deps[k].table, rows->pdata[i], FALSE))
          return FALSE;
    }

  if (!changed)
    return TRUE;
  deps = pb_rules_dependent_parents (tbl, &n);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *parent = NULL;

      if (!deps[k].follows_audience)
        continue;
      parent = _pb_hub_field_string (self, tbl, row, deps[k].field);
      if (parent && !refresh (self, batch, deps[k].table, parent, FALSE))
        return FALSE;
    }
  return TRUE;
}

/**
 * _pb_hub_parents_of:
 *
 * Returns: (transfer full): the parent rows whose audience follows from this row, one
 *   per entry of pb_rules_dependent_parents() ("" where there is none), to look at again
 *   after the row changes (the rows it pointed at before, too)
 */
GStrv
_pb_hub_parents_of (PbHub      *self,
                    const char *tbl,
                    const char *row)
{
  guint n;
  const PbDependent *deps = pb_rules_dependent_parents (tbl, &n);
  GStrv out = g_new0 (char *, n + 1);

  for (guint k = 0; k < n; k++)
    {
      char *parent = _pb_hub_field_string (self, tbl, row, deps[k].field);
      out[k] = parent ? parent : g_strdup ("");
    }
  return out;
}

/**
 * _pb_hub_refresh_changed:
 * @old_parents: what _pb_hub_parents_of() said before the change
 *
 * After a change of a row: who sees it, the rows that follow from it, and the parents it
 * points at now and pointed at before.
 */
gboolean
_pb_hub_refresh_changed (PbHub             *self,
                         PbHubBatch        *batch,
                         const char        *tbl,
                         const char        *row,
                         const char *const *old_parents)
{
  guint n;
  const PbDependent *deps = pb_rules_dependent_parents (tbl, &n);

  if (!refresh (self, batch, tbl, row, FALSE))
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *parent = _pb_hub_field_string (self, tbl, row, deps[k].field);
      /* A parent that follows this row's fields (an item its sharing rows) has them
       * changed. */
      gboolean fields = !deps[k].follows_audience;
      const char *old = old_parents && old_parents[k] && *old_parents[k] ? old_parents[k] : NULL;

      if (parent && !refresh (self, batch, deps[k].table, parent, fields))
        return FALSE;
      if (old && g_strcmp0 (old, parent) != 0 && !refresh (self, batch, deps[k].table, old, fields))
        return FALSE;
    }
  return TRUE;
}

/* ---- Snapshots and revocations ---------------------------------------------------- */

/* The current state of a row, for an organisation that starts to see it. */
static gboolean
emit_snapshot (PbHub      *self,
               PbHubBatch *batch,
               const char *tbl,
               const char *row,
               guint64     audience)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_SNAPSHOT_FIELDS);
  g_autoptr(GString) json = g_string_new ("{");
  PbHubEntry e;

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if (json->len > 1)
        g_string_append_c (json, ',');
      pb_json_append_string (json, (const char *) sqlite3_column_text (s, 0));
      g_string_append (json, ":{\"v\":");
      g_string_append (json, sqlite3_column_type (s, 1) == SQLITE_NULL
                             ? "null" : (const char *) sqlite3_column_text (s, 1));
      g_string_append_printf (json, ",\"h\":%" G_GINT64_FORMAT ",\"s\":", (gint64) sqlite3_column_int64 (s, 2));
      pb_json_append_string (json, (const char *) sqlite3_column_text (s, 3));
      g_string_append_c (json, '}');
    }
  sqlite3_reset (s);
  g_string_append_c (json, '}');

  e = (PbHubEntry) { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), tbl, row, "snapshot", NULL,
                     json->str, self->site_id, audience, batch->by };
  batch->notified |= audience;
  return _pb_hub_append_entry (self, &e) != 0;
}

/* The (tbl, row id) pairs a statement gives, one after the other in one array. */
static GPtrArray *
row_pairs (PbHub     *self,
           PbHubStmt  id)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, id);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 1)));
    }
  sqlite3_reset (s);
  return rows;
}

/* A new organisation sees, from the start, what is visible to everyone of its kind. */
gboolean
_pb_hub_welcome_org (PbHub      *self,
                     PbHubBatch *batch,
                     guint64     bit)
{
  g_autoptr(GPtrArray) rows = row_pairs (self, PB_HUB_STMT_SHARED_ROWS);
  g_autoptr(GPtrArray) directory = NULL;

  for (guint i = 0; i < rows->len; i += 2)
    {
      PbHubRowState state = _pb_hub_row_state (self, rows->pdata[i], rows->pdata[i + 1]);
      guint64 audience = compute_audience (self, rows->pdata[i], rows->pdata[i + 1]);

      if (audience == state.audience)
        continue;
      if (!set_audience (self, rows->pdata[i], rows->pdata[i + 1], audience))
        return FALSE;
      if ((audience & bit) && !emit_snapshot (self, batch, rows->pdata[i], rows->pdata[i + 1], bit))
        return FALSE;
    }

  /* Everyone's organisations and people, and everyone sees the new ones. */
  directory = row_pairs (self, PB_HUB_STMT_DIRECTORY_ROWS);
  for (guint i = 0; i < directory->len; i += 2)
    if (!set_audience (self, directory->pdata[i], directory->pdata[i + 1], self->known_orgs)
        || !emit_snapshot (self, batch, directory->pdata[i], directory->pdata[i + 1], bit))
      return FALSE;
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* At the end of a request: snapshots for those who now see a row, revocations for those
 * who no longer do. */
gboolean
_pb_hub_finish_batch (PbHub      *self,
                      PbHubBatch *batch)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  /* In a fixed order, so that two hubs given the same pushes write the same log. */
  g_hash_table_iter_init (&iter, batch->before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys->pdata[i], "\x1f", 2);
      Before *before = g_hash_table_lookup (batch->before, keys->pdata[i]);
      PbHubRowState now = _pb_hub_row_state (self, parts[0], parts[1]);
      guint64 gained, lost;

      if (!before->existed)
        continue;
      gained = now.audience & ~(before->audience & ~before->missed);
      lost = before->audience & ~now.audience;
      if (gained && !now.deleted && !emit_snapshot (self, batch, parts[0], parts[1], gained))
        return FALSE;
      if (lost)
        {
          PbHubEntry e = { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), parts[0], parts[1],
                           "revoke", NULL, NULL, self->site_id, lost, batch->by };
          batch->notified |= lost;
          if (_pb_hub_append_entry (self, &e) == 0)
            return FALSE;
        }
    }
  return TRUE;
}
