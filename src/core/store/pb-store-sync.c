/* pb-store-sync.c: the replica's side of synchronisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Merging follows the hub's rule, field by field: the write with the greatest (clock,
 * site) wins, whatever order writes arrive in. The clock of a field's current value is
 * that of the latest change-log entry that set it. Text that loses to a concurrent edit
 * (the other writer had not seen it: their edit replaced another value than the one this
 * database holds) is kept as a conflict, with the same id on every replica, until someone
 * chooses.
 *
 * A pulled page is applied in one transaction together with the new cursor, so that a
 * crash repeats a page rather than losing or doubling it; its commit announces the rows
 * it changed.
 */

#include "config.h"

#include "pb-store-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-record.h"
#include "pb-store-private.h"
#include "pb-util.h"

/* Fields whose text is kept when it loses to a concurrent edit. */
static gboolean
keeps_both (const char *tbl,
            const char *field)
{
  static const char *fields[][2] = {
    { "items", "title" }, { "items", "body" }, { "items", "closing_reason" },
    { "incidents", "description" }, { "cases", "title" }, { "case_leads", "reason" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i][0], tbl) && g_str_equal (fields[i][1], field))
      return TRUE;
  return FALSE;
}

typedef struct
{
  gboolean found;
  guint64  hlc;
  char     site[40];
  char    *author;
} Clock;

static void
clock_clear (Clock *c)
{
  g_clear_pointer (&c->author, g_free);
}

/* Positive when (a_hlc, a_site) is the later write. */
static int
compare_clock (guint64     a_hlc,
               const char *a_site,
               guint64     b_hlc,
               const char *b_site)
{
  if (a_hlc != b_hlc)
    return a_hlc > b_hlc ? 1 : -1;
  return strcmp (a_site, b_site);
}

/* What the change log says of a field: the clock of the write that set its current value
 * (before the entry @before_seq, when that is not 0), and, when @seen is given, whether the
 * change stamped (@site, @hlc) was applied here before (a write is never applied twice).
 * One reading of the row's entries. */
static Clock
field_clock (PbStore    *store,
             const char *row,
             const char *field,
             gint64      before_seq,
             const char *site,
             guint64     hlc,
             gboolean   *seen)
{
  sqlite3_stmt *s = _pb_store_get_stmt (store,
                                        "SELECT hlc, site, author,"
                                        /* A key of the inserted row's JSON: found as text,
                                         * not parsed (a quote inside a value is escaped). */
                                        "  field = ?2 OR (op = 'insert' AND instr (value, '\"' || ?2 || '\":') > 0)"
                                        " FROM change_log WHERE row_id = ?1 AND (?3 = 0 OR seq < ?3)", NULL);
  Clock c = { FALSE, 0, "", NULL };

  if (seen)
    *seen = FALSE;
  if (s == NULL)
    return c;
  sqlite3_bind_text (s, 1, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, before_seq);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      guint64 h = (guint64) sqlite3_column_int64 (s, 0);
      const char *by = (const char *) sqlite3_column_text (s, 1);

      /* Seen: that very write of this field (one change may set several fields with one
       * clock: an insert of a row that is here already). */
      if (seen && h == hlc && g_strcmp0 (by, site) == 0 && sqlite3_column_int (s, 3))
        *seen = TRUE;
      if (sqlite3_column_int (s, 3) && (!c.found || compare_clock (h, by, c.hlc, c.site) > 0))
        {
          c.found = TRUE;
          c.hlc = h;
          g_strlcpy (c.site, by, sizeof c.site);
          g_free (c.author);
          c.author = g_strdup ((const char *) sqlite3_column_text (s, 2));
        }
    }
  sqlite3_reset (s);
  return c;
}

/* ---- Sync state ------------------------------------------------------------------- */

char *
pb_store_get_sync_state (PbStore    *self,
                         const char *key)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  return _pb_store_state_get (self, key);
}

gint64
pb_store_get_sync_state_int (PbStore    *self,
                             const char *key)
{
  g_autofree char *v = _pb_store_state_get (self, key);
  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

gboolean
pb_store_set_sync_state (PbStore    *self,
                         const char *key,
                         const char *value,
                         GError    **error)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return _pb_store_state_set (self, key, value, error);
}

gboolean
pb_store_set_sync_state_int (PbStore    *self,
                             const char *key,
                             gint64      value,
                             GError    **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return _pb_store_state_set (self, key, buf, error);
}

/* The newest entry of the change log (0 when there is none): what a database held before
 * it was enrolled is its own, only what is written after goes to the hub. */
gint64
pb_store_get_last_change (PbStore *self,
                          GError **error)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT coalesce (max (seq), 0) FROM change_log", error);
  gint64 last = 0;

  if (s == NULL)
    return -1;
  if (sqlite3_step (s) == SQLITE_ROW)
    last = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return last;
}

/* ---- The outbox ------------------------------------------------------------------- */

/* A person's own changes made here; organisations and people are the hub's to write. */
#define OUTBOX_WHERE \
  " FROM change_log WHERE site = ?1 AND seq > ?2 AND author = ?3" \
  " AND tbl <> 'organisations' AND tbl <> 'people'"

void
pb_outgoing_change_free (PbOutgoingChange *change)
{
  if (change == NULL)
    return;
  g_free (change->tbl);
  g_free (change->row_id);
  g_free (change->op);
  g_free (change->field);
  g_free (change->value);
  g_free (change->base_site);
  g_free (change);
}

guint
pb_store_count_outbox (PbStore    *self,
                       const char *author,
                       gint64      after)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT count (*)" OUTBOX_WHERE, NULL);
  guint n = 0;

  if (s == NULL || author == NULL)
    return 0;
  sqlite3_bind_text (s, 1, pb_store_get_site_id (self), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, after);
  sqlite3_bind_text (s, 3, author, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return n;
}

/* The first @limit changes @author made here after the entry @after, in order; a text
 * edit with the clock of the write it replaced. */
GPtrArray *
pb_store_read_outbox (PbStore    *self,
                      const char *author,
                      gint64      after,
                      guint       limit,
                      GError    **error)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT seq, tbl, row_id, op, field, value, hlc" OUTBOX_WHERE
                                              " ORDER BY seq LIMIT ?4", error);
  g_autoptr(GPtrArray) out = NULL;

  if (s == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_outgoing_change_free);
  sqlite3_bind_text (s, 1, pb_store_get_site_id (self), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, after);
  sqlite3_bind_text (s, 3, author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 4, limit);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      PbOutgoingChange *c = g_new0 (PbOutgoingChange, 1);

      c->seq = sqlite3_column_int64 (s, 0);
      c->tbl = g_strdup ((const char *) sqlite3_column_text (s, 1));
      c->row_id = g_strdup ((const char *) sqlite3_column_text (s, 2));
      c->op = g_strdup ((const char *) sqlite3_column_text (s, 3));
      c->field = g_strdup ((const char *) sqlite3_column_text (s, 4));
      if (!g_str_equal (c->op, "delete"))
        c->value = g_strdup (sqlite3_column_type (s, 5) == SQLITE_NULL ? "null" : (const char *) sqlite3_column_text (s, 5));
      c->hlc = (guint64) sqlite3_column_int64 (s, 6);
      g_ptr_array_add (out, c);
    }
  sqlite3_reset (s);

  /* Which value each text edit replaced (read after: the statement above was busy). */
  for (guint i = 0; i < out->len; i++)
    {
      PbOutgoingChange *c = out->pdata[i];
      Clock base;

      if (!g_str_equal (c->op, "update") || !keeps_both (c->tbl, c->field))
        continue;
      base = field_clock (self, c->row_id, c->field, c->seq, NULL, 0, NULL);
      if (base.found)
        {
          c->has_base = TRUE;
          c->base_hlc = base.hlc;
          c->base_site = g_strdup (base.site);
        }
      clock_clear (&base);
    }
  return g_steal_pointer (&out);
}

/* ---- Applying a pulled page ------------------------------------------------------- */

typedef struct
{
  PbStore     *store;
  PbSyncStats *stats;
  const char  *own_site;
} Apply;

static gboolean
row_exists (PbStore    *store,
            const char *tbl,
            const char *row)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", tbl);
  sqlite3_stmt *s = _pb_store_get_stmt (store, sql, NULL);
  gboolean found;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, row, -1, SQLITE_STATIC);
  found = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return found;
}

static gboolean
already_applied (PbStore    *store,
                 const char *row,
                 const char *site,
                 guint64     hlc)
{
  sqlite3_stmt *s = _pb_store_get_stmt (store, "SELECT 1 FROM change_log WHERE row_id = ? AND site = ? AND hlc = ?",
                                        NULL);
  gboolean found;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, (sqlite3_int64) hlc);
  found = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return found;
}

/* A field's current value as JSON, for a conflict that keeps it. */
static char *
current_json (PbStore    *store,
              const char *tbl,
              const char *row,
              const char *field)
{
  g_autofree char *quoted = g_strdup_printf ("json_quote (%s)", field);

  return _pb_store_row_field (store, tbl, quoted, row);
}

static gboolean
unreadable (GError    **error,
            const char *what)
{
  g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNREADABLE_CHANGE,
               _("The hub sent a change this client cannot read: %s"), what);
  return FALSE;
}

static gboolean
record_conflict (Apply      *a,
                 const char *tbl,
                 const char *row,
                 const char *field,
                 const char *losing_value,
                 guint64     losing_hlc,
                 const char *losing_site,
                 const char *losing_author,
                 guint64     winning_hlc,
                 const char *winning_site,
                 GError    **error)
{
  sqlite3_stmt *s = _pb_store_get_protected_stmt (a->store,
                                        "INSERT OR IGNORE INTO sync_conflicts (id, tbl, row_id, field, losing_value,"
                                        " losing_hlc, losing_site, losing_author, winning_hlc, winning_site, found_at)"
                                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%s\n%" G_GUINT64_FORMAT "\n%s", tbl, row, field, losing_hlc,
                                          losing_site);
  g_autofree char *id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  if (s == NULL)
    return FALSE;
  id[32] = '\0';
  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, losing_value, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 6, (sqlite3_int64) losing_hlc);
  sqlite3_bind_text (s, 7, losing_site, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 8, losing_author, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 9, (sqlite3_int64) winning_hlc);
  sqlite3_bind_text (s, 10, winning_site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 11, g_get_real_time () / 1000);
  if (!_pb_store_step_protected (a->store, s, error))
    return FALSE;
  if (sqlite3_changes (a->store->db) > 0)
    {
      a->stats->conflicts++;
      _pb_store_note (a->store, "sync_conflicts", row, PB_ROW_UPDATED);
    }
  return TRUE;
}

/* An edit made by someone who had seen the current value settles the conflicts it saw. */
static gboolean
settle_conflicts (Apply      *a,
                  const char *row,
                  const char *field,
                  guint64     seen_hlc,
                  const char *seen_site,
                  const char *by,
                  GError    **error)
{
  sqlite3_stmt *s = _pb_store_get_protected_stmt (a->store,
                                        "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?"
                                        " WHERE row_id = ? AND field = ? AND resolved_at IS NULL"
                                        " AND winning_hlc = ? AND winning_site = ?", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, g_get_real_time () / 1000);
  sqlite3_bind_text (s, 2, by, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 5, (sqlite3_int64) seen_hlc);
  sqlite3_bind_text (s, 6, seen_site, -1, SQLITE_STATIC);
  if (!_pb_store_step_protected (a->store, s, error))
    return FALSE;
  if (sqlite3_changes (a->store->db) > 0)
    _pb_store_note (a->store, "sync_conflicts", row, PB_ROW_UPDATED);
  return TRUE;
}

/* One field of an update: applied when it is the later write. */
static gboolean
apply_update (Apply             *a,
              const PbTableInfo *table,
              const char        *row,
              const char        *field,
              JsonNode          *value,
              JsonObject        *base,
              const PbOrigin    *origin,
              GError           **error)
{
  gboolean seen;
  Clock current = field_clock (a->store, row, field, 0, origin->site, origin->hlc, &seen);
  gboolean wins = !current.found || compare_clock (origin->hlc, origin->site, current.hlc, current.site) > 0;
  gboolean ok = TRUE;

  if (seen)
    {
      clock_clear (&current);
      return TRUE;
    }

  /* Concurrent: the writer replaced another value than the one held here (and not one of
   * their own). An edit that replaced the value held here was made knowing it: it settles
   * the conflicts that value won. */
  if (current.found && base && keeps_both (table->name, field))
    {
      guint64 base_hlc = (guint64) json_object_get_int_member_with_default (base, "hlc", 0);
      const char *base_site = json_object_get_string_member_with_default (base, "site", "");

      if ((base_hlc != current.hlc || g_strcmp0 (base_site, current.site) != 0)
          && g_strcmp0 (current.site, origin->site) != 0)
        {
          if (wins)
            {
              g_autofree char *held = current_json (a->store, table->name, row, field);
              ok = record_conflict (a, table->name, row, field, held, current.hlc, current.site, current.author,
                                    origin->hlc, origin->site, error);
            }
          else
            {
              g_autofree char *json = json_to_string (value, FALSE);
              ok = record_conflict (a, table->name, row, field, json, origin->hlc, origin->site, origin->author,
                                    current.hlc, current.site, error);
            }
        }
      else if (base_hlc == current.hlc && g_strcmp0 (base_site, current.site) == 0)
        ok = settle_conflicts (a, row, field, base_hlc, base_site, origin->author, error);
    }
  clock_clear (&current);
  if (!ok)
    return FALSE;

  if (wins)
    {
      g_autoptr(PbRecord) record = pb_record_new (table->name, row);

      if (!pb_record_set_json (record, field, value))
        return unreadable (error, field);
      if (!_pb_store_apply_remote (a->store, PB_OP_UPDATE, record, origin, error))
        return FALSE;
      a->stats->applied++;
    }
  return TRUE;
}

/* A row's state as the hub holds it: inserted whole when it is new here, else field by
 * field, each with its own clock. */
static gboolean
apply_snapshot (Apply             *a,
                const PbTableInfo *table,
                const char        *row,
                JsonObject        *fields,
                const char        *author,
                GError           **error)
{
  JsonObjectIter iter;
  const char *field;
  JsonNode *node;

  if (!row_exists (a->store, table->name, row))
    {
      g_autoptr(PbRecord) record = pb_record_new (table->name, row);
      guint64 min_hlc = G_MAXUINT64;
      const char *min_site = NULL;
      PbOrigin origin;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &field, &node))
        {
          JsonObject *f = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          guint64 h;
          const char *site;

          if (f == NULL || !json_object_has_member (f, "v") || !json_object_has_member (f, "h")
              || (site = json_object_get_string_member_with_default (f, "s", NULL)) == NULL
              || !pb_record_set_json (record, field, json_object_get_member (f, "v")))
            return unreadable (error, field);
          h = (guint64) json_object_get_int_member (f, "h");
          if (min_site == NULL || compare_clock (h, site, min_hlc, min_site) < 0)
            {
              min_hlc = h;
              min_site = site;
            }
        }
      if (min_site == NULL)
        return unreadable (error, row);
      origin = (PbOrigin) { min_site, min_hlc, author };
      if (!_pb_store_apply_remote (a->store, PB_OP_INSERT, record, &origin, error))
        return FALSE;
      a->stats->applied++;

      /* Fields set later than the oldest get their own entries, so that their clocks
       * are known to later merges. */
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &field, &node))
        {
          JsonObject *f = json_node_get_object (node);
          guint64 h = (guint64) json_object_get_int_member (f, "h");
          const char *site = json_object_get_string_member (f, "s");
          PbOrigin later = { site, h, author };
          g_autofree char *json = NULL;

          if (compare_clock (h, site, min_hlc, min_site) == 0)
            continue;
          json = json_to_string (json_object_get_member (f, "v"), FALSE);
          if (!_pb_store_log_remote (a->store, table->name, row, field, json, &later, error))
            return FALSE;
        }
      return TRUE;
    }

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &field, &node))
    {
      JsonObject *f = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      PbOrigin origin;

      if (f == NULL || !json_object_has_member (f, "h") || json_object_get_string_member_with_default (f, "s", NULL) == NULL)
        return unreadable (error, field);
      origin = (PbOrigin) { json_object_get_string_member (f, "s"), (guint64) json_object_get_int_member (f, "h"),
                            author };
      if (!apply_update (a, table, row, field, json_object_get_member (f, "v"), NULL, &origin, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_hit (Apply      *a,
           const char *op,
           const char *row,
           const char *org,
           guint64     hlc,
           GError    **error)
{
  const char *colon = strchr (row, ':');
  g_autofree char *kind = NULL;
  sqlite3_stmt *s;

  if (colon == NULL || org == NULL)
    return unreadable (error, row);
  kind = g_strndup (row, colon - row);
  s = _pb_store_get_protected_stmt (a->store, g_str_equal (op, "hit")
                                    ? "INSERT OR IGNORE INTO hub_hits (kind, value, org, found_at) VALUES (?, ?, ?, ?)"
                                    : "DELETE FROM hub_hits WHERE kind = ? AND value = ? AND org = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, colon + 1, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, org, -1, SQLITE_STATIC);
  if (g_str_equal (op, "hit"))
    sqlite3_bind_int64 (s, 4, pb_hlc_wall_ms (hlc));
  _pb_store_hits_mark_key (a->store, kind, colon + 1);
  _pb_store_note (a->store, "hub_hits", row, PB_ROW_UPDATED);
  return _pb_store_step_protected (a->store, s, error);
}

static gboolean
revoke_children (Apply          *a,
                 const char     *item,
                 const PbOrigin *origin,
                 GError        **error)
{
  static const char *sql[][2] = {
    { "identifiers", "SELECT id FROM identifiers WHERE item = ?1" },
    { "item_shares", "SELECT id FROM item_shares WHERE item = ?1" },
    { "item_links", "SELECT id FROM item_links WHERE item_a = ?1 OR item_b = ?1" },
    { "meeting_actions", "SELECT id FROM meeting_actions WHERE item = ?1" },
    { "decisions", "SELECT id FROM decisions WHERE item = ?1" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (sql); k++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *s = _pb_store_get_stmt (a->store, sql[k][1], error);

      if (s == NULL)
        return FALSE;
      sqlite3_bind_text (s, 1, item, -1, SQLITE_STATIC);
      while (sqlite3_step (s) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (s, 0)));
      sqlite3_reset (s);
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(PbRecord) record = pb_record_new (sql[k][0], ids->pdata[i]);
          if (!_pb_store_apply_remote (a->store, PB_OP_DELETE, record, origin, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_entry (Apply                *a,
             const PbPulledChange *c,
             GError      **error)
{
  const char *op = c->op;
  const char *tbl = c->tbl;
  const char *row = c->row;
  const char *site = c->site;
  const char *author = c->author;
  const char *field = c->field;
  JsonNode *value = c->value;
  guint64 hlc = c->hlc;
  const PbTableInfo *table;
  PbOrigin origin;

  if (op == NULL || tbl == NULL || row == NULL || site == NULL || author == NULL || hlc == 0)
    return unreadable (error, _("a change without op, tbl, row, site, author or hlc"));
  a->stats->received++;

  if (g_str_equal (op, "hit") || g_str_equal (op, "unhit"))
    return apply_hit (a, op, row, field, hlc, error);

  table = pb_schema_table_lookup (tbl);
  if (table == NULL || !pb_uuid_is_valid (row))
    return unreadable (error, tbl);
  origin = (PbOrigin) { site, hlc, author };

  if (g_str_equal (op, "snapshot"))
    {
      if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        return unreadable (error, op);
      return apply_snapshot (a, table, row, json_node_get_object (value), author, error);
    }

  if (g_str_equal (op, "revoke"))
    {
      g_autoptr(PbRecord) record = NULL;

      if (!row_exists (a->store, tbl, row))
        return TRUE;
      /* What hangs on an item goes with it, also what was added here and never reached
       * the hub. */
      if (g_str_equal (tbl, "items") && !revoke_children (a, row, &origin, error))
        return FALSE;
      record = pb_record_new (tbl, row);
      if (!_pb_store_apply_remote (a->store, PB_OP_DELETE, record, &origin, error))
        return FALSE;
      a->stats->revoked++;
      return TRUE;
    }

  /* This site's own changes come back; a change seen before is not applied twice (an
   * edit's field state says so). */
  if (g_str_equal (site, a->own_site))
    return TRUE;

  if (g_str_equal (op, "update"))
    {
      if (field == NULL || value == NULL)
        return unreadable (error, op);
      /* A row deleted here, or never seen, takes no edits. */
      if (!row_exists (a->store, tbl, row))
        return TRUE;
      return apply_update (a, table, row, field, value, c->base,
                           &origin, error);
    }

  if (already_applied (a->store, row, site, hlc))
    return TRUE;

  if (g_str_equal (op, "insert"))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        return unreadable (error, op);
      if (!row_exists (a->store, tbl, row))
        {
          g_autoptr(PbRecord) record = pb_record_new (tbl, row);

          json_object_iter_init (&iter, json_node_get_object (value));
          while (json_object_iter_next (&iter, &member, &node))
            if (!pb_record_set_json (record, member, node))
              return unreadable (error, member);
          if (!_pb_store_apply_remote (a->store, PB_OP_INSERT, record, &origin, error))
            return FALSE;
          a->stats->applied++;
          return TRUE;
        }
      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, &member, &node))
        if (!apply_update (a, table, row, member, node, NULL, &origin, error))
          return FALSE;
      return TRUE;
    }

  if (g_str_equal (op, "delete"))
    {
      g_autoptr(PbRecord) record = NULL;

      if (!row_exists (a->store, tbl, row))
        return TRUE;
      record = pb_record_new (tbl, row);
      if (!_pb_store_apply_remote (a->store, PB_OP_DELETE, record, &origin, error))
        return FALSE;
      a->stats->applied++;
      return TRUE;
    }

  return unreadable (error, op);
}

/* ---- What cannot be stored here ------------------------------------------------------ */

/* A pulled change in the hub's wire form, to keep. */
static char *
pulled_change_json (const PbPulledChange *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "site");
  json_builder_add_string_value (b, c->site);
  json_builder_set_member_name (b, "hlc");
  json_builder_add_int_value (b, (gint64) c->hlc);
  json_builder_set_member_name (b, "tbl");
  json_builder_add_string_value (b, c->tbl);
  json_builder_set_member_name (b, "row");
  json_builder_add_string_value (b, c->row);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, c->op);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, c->author);
  if (c->field)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, c->field);
    }
  if (c->value)
    {
      json_builder_set_member_name (b, "value");
      json_builder_add_value (b, json_node_copy (c->value));
    }
  if (c->base)
    {
      JsonNode *base = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (base, c->base);
      json_builder_set_member_name (b, "base");
      json_builder_add_value (b, base);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
quarantine (Apply                *a,
            const PbPulledChange *c,
            const char           *why,
            GError              **error)
{
  g_autofree char *json = pulled_change_json (c);
  sqlite3_stmt *s = _pb_store_get_protected_stmt (a->store,
                                                  "INSERT INTO sync_quarantine (found_at, tbl, row_id, op, site, hlc,"
                                                  " change, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, _pb_store_now_ms (a->store));
  sqlite3_bind_text (s, 2, c->tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, c->row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, c->op, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, c->site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 6, (sqlite3_int64) c->hlc);
  sqlite3_bind_text (s, 7, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 8, why, -1, SQLITE_STATIC);
  return _pb_store_step_protected (a->store, s, error);
}

/* Applies one pulled change; a change the data model or the schema refuses here (the hub
 * checks what it takes, but it may be older than this replica, or wrong) is kept aside
 * with the reason, and the page goes on: one bad row must not stop a replica's
 * synchronisation for good. A change this version cannot read still stops the page. */
static gboolean
apply_or_quarantine (Apply                *a,
                     const PbPulledChange *c,
                     GError              **error)
{
  PbStore *store = a->store;
  PbSyncStats before = *a->stats;
  gint64 saved_seq = store->next_access_seq;
  char saved_hash[sizeof store->last_hash];
  g_autoptr(GError) local = NULL;

  memcpy (saved_hash, store->last_hash, sizeof saved_hash);
  store->in_write_path = TRUE;
  if (sqlite3_exec (store->db, "SAVEPOINT pulled_change", NULL, NULL, NULL) != SQLITE_OK)
    {
      store->in_write_path = FALSE;
      return _pb_store_set_sqlite_error (error, store->db, _("Cannot apply the pulled changes"));
    }
  store->in_write_path = FALSE;
  if (apply_entry (a, c, &local))
    {
      store->in_write_path = TRUE;
      sqlite3_exec (store->db, "RELEASE pulled_change", NULL, NULL, NULL);
      store->in_write_path = FALSE;
      return TRUE;
    }
  store->in_write_path = TRUE;
  sqlite3_exec (store->db, "ROLLBACK TO pulled_change; RELEASE pulled_change", NULL, NULL, NULL);
  store->in_write_path = FALSE;
  if (!g_error_matches (local, PB_STORE_ERROR, PB_STORE_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* What the change had written is undone, and so is what this connection remembers of
   * it. */
  memcpy (store->last_hash, saved_hash, sizeof saved_hash);
  store->next_access_seq = saved_seq;
  g_clear_pointer (&store->last_item_id, g_free);
  g_clear_pointer (&store->last_item_org, g_free);
  *a->stats = before;
  a->stats->received++;
  a->stats->quarantined++;
  g_message ("A pulled change to %s %s is kept aside: %s", c->tbl ? c->tbl : "?", c->row ? c->row : "?",
             local->message);
  return quarantine (a, c, local->message, error);
}

/* While a pull runs, references are not enforced: rows arrive as the hub logged them, a
 * child before its parent at times, and what this organisation sees may point at rows it
 * does not. (Set once per pull, not per page: a change of it makes SQLite prepare every
 * statement again.) */
void
pb_store_set_pulling (PbStore *self,
                      gboolean pulling)
{
  g_return_if_fail (PB_IS_STORE (self));
  sqlite3_exec (self->db, pulling ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

/**
 * pb_store_apply_pulled:
 * @mark: where the page leaves this replica (the hub's cursor, the audit head checked)
 * @stats: counts what was received, applied, revoked and kept as conflicts
 *
 * Applies a page of pulled changes: the rows, the cursor and audit head of @mark and an
 * entry in the access log (when someone acts here) in one transaction, announced at its
 * commit. A change the data model or the schema refuses here is kept aside (sync_quarantine)
 * and counted; nothing of the page is kept when one change cannot be read or applied.
 */
gboolean
pb_store_apply_pulled (PbStore              *self,
                       const PbPulledChange *changes,
                       guint                 n_changes,
                       const PbPullMark     *mark,
                       PbSyncStats          *stats,
                       GError              **error)
{
  PbSyncStats before = *stats;
  Apply a = { self, stats, pb_store_get_site_id (self) };
  gboolean ok = TRUE;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (mark != NULL, FALSE);

  if (!pb_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < n_changes; i++)
    ok = apply_or_quarantine (&a, &changes[i], error);
  if (ok)
    ok = pb_store_set_sync_state_int (self, PB_SYNC_STATE_CURSOR, mark->cursor, error);
  if (ok && mark->audit_checked)
    ok = pb_store_set_sync_state_int (self, PB_SYNC_STATE_AUDIT_SEQ, mark->audit_seq, error)
         && _pb_store_state_set (self, PB_SYNC_STATE_AUDIT_HASH, mark->audit_hash, error);
  if (ok && n_changes > 0 && pb_store_get_actor (self) != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%u changes from the hub", n_changes);
      ok = pb_store_log_access (self, PB_ACCESS_COLLECTION, "sync", NULL, detail, error);
    }
  if (!ok)
    pb_store_rollback (self);
  if (!ok || !pb_store_commit (self, error))
    {
      *stats = before;
      return FALSE;
    }
  stats->cursor = mark->cursor;
  return TRUE;
}

/* ---- Conflicts -------------------------------------------------------------------- */

void
pb_conflict_free (PbConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->tbl);
  g_free (conflict->row_id);
  g_free (conflict->field);
  g_free (conflict->losing_value);
  g_free (conflict->losing_author);
  g_free (conflict);
}

GPtrArray *
pb_store_list_conflicts (PbStore    *store,
                         const char *row_id,
                         GError    **error)
{
  sqlite3_stmt *s = _pb_store_get_stmt (store,
                                        "SELECT id, tbl, row_id, field, losing_value, losing_author, losing_hlc"
                                        " FROM sync_conflicts WHERE resolved_at IS NULL AND (?1 IS NULL OR row_id = ?1)"
                                        " ORDER BY row_id, field, losing_hlc", error);
  GPtrArray *out;

  if (s == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_conflict_free);
  sqlite3_bind_text (s, 1, row_id, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      PbConflict *c = g_new0 (PbConflict, 1);

      c->id = g_strdup ((const char *) sqlite3_column_text (s, 0));
      c->tbl = g_strdup ((const char *) sqlite3_column_text (s, 1));
      c->row_id = g_strdup ((const char *) sqlite3_column_text (s, 2));
      c->field = g_strdup ((const char *) sqlite3_column_text (s, 3));
      c->losing_value = g_strdup ((const char *) sqlite3_column_text (s, 4));
      c->losing_author = g_strdup ((const char *) sqlite3_column_text (s, 5));
      c->losing_at = pb_hlc_wall_ms ((guint64) sqlite3_column_int64 (s, 6));
      g_ptr_array_add (out, c);
    }
  sqlite3_reset (s);
  return out;
}

/* Settles a conflict: the value shown stays, or the kept text comes back; either way as a
 * new edit that syncs, and settles the conflict on the other copies too. */
gboolean
pb_store_resolve_conflict (PbStore    *store,
                           const char *conflict_id,
                           gboolean    keep_losing,
                           GError    **error)
{
  sqlite3_stmt *s = _pb_store_get_stmt (store, "SELECT tbl, row_id, field, losing_value FROM sync_conflicts"
                                               " WHERE id = ? AND resolved_at IS NULL", error);
  g_autofree char *tbl = NULL, *row = NULL, *field = NULL, *losing = NULL;
  gboolean ok;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, conflict_id, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      tbl = g_strdup ((const char *) sqlite3_column_text (s, 0));
      row = g_strdup ((const char *) sqlite3_column_text (s, 1));
      field = g_strdup ((const char *) sqlite3_column_text (s, 2));
      losing = g_strdup ((const char *) sqlite3_column_text (s, 3));
    }
  sqlite3_reset (s);
  if (tbl == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND, _("There is no open conflict %s"), conflict_id);
      return FALSE;
    }
  if (!_pb_store_check_actor (store, tbl, error))
    return FALSE;

  if (keep_losing)
    {
      g_autoptr(PbRecord) record = pb_record_new (tbl, row);
      g_autoptr(JsonNode) node = json_from_string (losing, NULL);

      if (node == NULL || !pb_record_set_json (record, field, node))
        return unreadable (error, field);
      pb_record_set_reason (record, _("Concurrent edit resolved"));
      if (!pb_store_write (store, PB_OP_UPDATE, record, error))
        return FALSE;
    }
  /* Keeping what is shown is a choice too: said again as an edit, it reaches the others. */
  else if (!_pb_store_restate_field (store, tbl, row, field, error))
    return FALSE;

  if (!pb_store_begin (store, error))
    return FALSE;
  s = _pb_store_get_protected_stmt (store, "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ? WHERE id = ?",
                                    error);
  ok = s != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (s, 1, g_get_real_time () / 1000);
      sqlite3_bind_text (s, 2, pb_store_get_actor (store), -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, conflict_id, -1, SQLITE_STATIC);
      ok = _pb_store_step_protected (store, s, error);
      if (ok)
        _pb_store_note (store, "sync_conflicts", row, PB_ROW_UPDATED);
    }
  if (!ok)
    {
      pb_store_rollback (store);
      return FALSE;
    }
  return pb_store_commit (store, error);
}


/* ---- Kept aside, dropped ------------------------------------------------------------ */

/**
 * pb_store_count_quarantined:
 *
 * Returns: how many pulled changes this replica could not store and keeps aside
 */
gint64
pb_store_count_quarantined (PbStore *self)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT count (*) FROM sync_quarantine", NULL);
  gint64 n = 0;

  if (s == NULL)
    return 0;
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return n;
}

/**
 * pb_store_drop_refused:
 * @tbl: the table of a row made here
 * @row: its id
 *
 * Takes out a row made here that the hub refused because another row already holds its
 * unique key (two people shared one report with one organisation while offline, say): the
 * other row, which the hub has, arrives with the next pull and stands for both. The row
 * goes as if the hub had removed it: nothing of it is sent again.
 */
gboolean
pb_store_drop_refused (PbStore    *self,
                       const char *tbl,
                       const char *row,
                       GError    **error)
{
  g_autofree char *hub_site = pb_store_get_sync_state (self, "sync.hub_site");
  g_autoptr(PbRecord) record = NULL;
  PbOrigin origin = { NULL, 0, NULL };
  gboolean ok;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (pb_schema_table_lookup (tbl) == NULL || !pb_uuid_is_valid (row))
    return unreadable (error, tbl);
  if (!pb_store_begin (self, error))
    return FALSE;
  if (!row_exists (self, tbl, row))
    return pb_store_commit (self, error);
  origin.site = hub_site ? hub_site : "hub";
  origin.hlc = pb_hlc_tick (&self->hlc, _pb_store_now_ms (self));
  origin.author = pb_store_get_actor (self) ? pb_store_get_actor (self) : "";
  record = pb_record_new (tbl, row);
  ok = _pb_store_apply_remote (self, PB_OP_DELETE, record, &origin, error);
  if (!ok)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}
