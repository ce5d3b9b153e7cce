/* pb-sync.c: the client side of synchronisation with the hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One round: push the outbox (this site's own entries of the change log, from where the
 * last push ended), then pull until the hub has nothing more, applying each page in one
 * transaction together with the new cursor, so that a crash repeats a page rather than
 * losing or doubling it.
 *
 * Merging follows the hub's rule, field by field: the write with the greatest (clock,
 * site) wins, whatever order writes arrive in. The clock of a field's current value is
 * that of the latest change-log entry that set it. Text that loses to a concurrent edit
 * (the other writer had not seen it: their edit replaced another value than the one this
 * database holds) is kept as a conflict, with the same id on every replica, until someone
 * chooses.
 */

#include "config.h"

#include "pb-sync.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pb-record.h"
#include "pb-store-private.h"
#include "pb-util.h"

G_DEFINE_INTERFACE (PbTransport, pb_transport, G_TYPE_OBJECT)
G_DEFINE_QUARK (pb-sync-error-quark, pb_sync_error)

#define PAGE 1000
#define AUDIT_CHECK_PAGES 16

static void
pb_transport_default_init (PbTransportInterface *iface)
{
}

GBytes *
pb_transport_request (PbTransport  *self,
                      const char   *method,
                      const char   *path,
                      const char   *credential,
                      GBytes       *body,
                      guint        *status,
                      GError      **error)
{
  g_return_val_if_fail (PB_IS_TRANSPORT (self), NULL);
  return PB_TRANSPORT_GET_IFACE (self)->request (self, method, path, credential, body, status, error);
}

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

/* ---- Local state (sync_state, through the store) ------------------------------------- */

static gint64
state_get_int (PbStore    *store,
               const char *key)
{
  g_autofree char *v = _pb_store_state_get (store, key);
  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

static gboolean
state_set_int (PbStore    *store,
               const char *key,
               gint64      value,
               GError    **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return _pb_store_state_set (store, key, buf, error);
}

gboolean
pb_sync_is_enrolled (PbStore *store)
{
  g_autofree char *person = _pb_store_state_get (store, "sync.person");
  return person != NULL;
}

char *
pb_sync_enrolled_person (PbStore *store)
{
  return _pb_store_state_get (store, "sync.person");
}

/* The hub this database syncs with, and the fingerprint of the certificate it trusts. */
char *
pb_sync_get_hub (PbStore *store,
                 char   **fingerprint)
{
  if (fingerprint)
    *fingerprint = _pb_store_state_get (store, "sync.fingerprint");
  return _pb_store_state_get (store, "sync.hub");
}

gboolean
pb_sync_set_hub (PbStore    *store,
                 const char *url,
                 const char *fingerprint,
                 GError    **error)
{
  return _pb_store_state_set (store, "sync.hub", url, error)
         && (fingerprint == NULL || _pb_store_state_set (store, "sync.fingerprint", fingerprint, error));
}

gint64
pb_sync_last_synced (PbStore *store)
{
  return state_get_int (store, "sync.last_synced");
}

/* ---- Requests ----------------------------------------------------------------------- */

/* Sends a request and parses the JSON object it answers with; a refusal becomes @error
 * with the hub's own message. */
static JsonObject *
call (PbTransport *transport,
      const char  *method,
      const char  *path,
      const char  *credential,
      const char  *body,
      guint       *status_out,
      GError     **error)
{
  g_autoptr(GBytes) request = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonObject *object;
  guint status = 0;

  answer = pb_transport_request (transport, method, path, credential, request, &status, &local);
  if (answer == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_UNREACHABLE,
                   _("The hub cannot be reached: %s"), local ? local->message : _("no answer"));
      return NULL;
    }
  if (status_out)
    *status_out = status;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL,
                   _("The hub answered %u with something that is not JSON"), status);
      return NULL;
    }
  object = json_node_get_object (root);
  if (status != 200)
    {
      const char *code = json_object_get_string_member_with_default (object, "error", "");
      const char *message = json_object_get_string_member_with_default (object, "message", "");

      g_set_error (error, PB_SYNC_ERROR,
                   g_str_equal (code, "clock_ahead") ? PB_SYNC_ERROR_CLOCK : PB_SYNC_ERROR_REFUSED,
                   _("The hub refused (%u): %s"), status, message);
      return NULL;
    }
  return json_object_ref (object);
}

gboolean
pb_sync_enrol (PbStore      *store,
               PbTransport  *transport,
               const char   *token,
               char        **credential,
               GError      **error)
{
  g_autoptr(GString) body = g_string_new ("{\"token\":");
  g_autoptr(JsonObject) answer = NULL;
  const char *keys[] = { "person", "org", "org_name", "account", "role", "hub_site" };
  sqlite3_stmt *s;
  gint64 last = 0;

  pb_json_append_string (body, token);
  g_string_append (body, ",\"site\":");
  pb_json_append_string (body, pb_store_get_site_id (store));
  g_string_append_c (body, '}');
  answer = call (transport, "POST", "/v1/enrol", NULL, body->str, NULL, error);
  if (answer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (json_object_get_string_member_with_default (answer, keys[i], NULL) == NULL)
      {
        g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub's answer to enrolment lacks “%s”"),
                     keys[i]);
        return FALSE;
      }
  if (json_object_get_string_member_with_default (answer, "credential", NULL) == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub's answer to enrolment lacks “%s”"),
                   "credential");
      return FALSE;
    }

  /* What this database held before is its own: only what is written from now on goes. */
  s = _pb_store_get_stmt (store, "SELECT coalesce (max (seq), 0) FROM change_log", error);
  if (s == NULL)
    return FALSE;
  if (sqlite3_step (s) == SQLITE_ROW)
    last = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = g_strconcat ("sync.", keys[i], NULL);
      if (!_pb_store_state_set (store, key, json_object_get_string_member (answer, keys[i]), error))
        return FALSE;
    }
  if (!state_set_int (store, "sync.pushed", last, error) || !state_set_int (store, "sync.cursor", 0, error))
    return FALSE;
  *credential = g_strdup (json_object_get_string_member (answer, "credential"));
  return TRUE;
}

/* ---- Push ------------------------------------------------------------------------- */

#define OUTBOX_WHERE \
  " FROM change_log WHERE site = ?1 AND seq > ?2 AND author = ?3" \
  " AND tbl <> 'organisations' AND tbl <> 'people'"

guint
pb_sync_waiting (PbStore *store)
{
  g_autofree char *person = _pb_store_state_get (store, "sync.person");
  sqlite3_stmt *s;
  guint n = 0;

  if (person == NULL)
    return 0;
  s = _pb_store_get_stmt (store, "SELECT count (*)" OUTBOX_WHERE, NULL);
  if (s == NULL)
    return 0;
  sqlite3_bind_text (s, 1, pb_store_get_site_id (store), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, state_get_int (store, "sync.pushed"));
  sqlite3_bind_text (s, 3, person, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return n;
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

      if (seen && h == hlc && g_strcmp0 (by, site) == 0)
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

static gboolean
push (PbStore     *store,
      PbTransport *transport,
      const char  *credential,
      PbSyncStats *stats,
      GError     **error)
{
  g_autofree char *person = _pb_store_state_get (store, "sync.person");
  const char *site = pb_store_get_site_id (store);

  for (;;)
    {
      sqlite3_stmt *s = _pb_store_get_stmt (store, "SELECT seq, tbl, row_id, op, field, value, hlc" OUTBOX_WHERE
                                                   " ORDER BY seq LIMIT 1000", error);
      g_autoptr(GString) body = g_string_new ("{\"changes\":[");
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      gint64 pushed = state_get_int (store, "sync.pushed");
      gint64 last = pushed;
      guint n = 0;

      if (s == NULL)
        return FALSE;
      sqlite3_bind_text (s, 1, site, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (s, 2, pushed);
      sqlite3_bind_text (s, 3, person, -1, SQLITE_STATIC);
      while (sqlite3_step (s) == SQLITE_ROW)
        {
          const char *op = (const char *) sqlite3_column_text (s, 3);
          g_autoptr(GString) c = g_string_new (NULL);

          last = sqlite3_column_int64 (s, 0);
          g_string_append_printf (c, "{\"site\":\"%s\",\"hlc\":%" G_GINT64_FORMAT ",\"tbl\":\"%s\",\"row\":\"%s\","
                                  "\"op\":\"%s\",\"author\":", site, (gint64) sqlite3_column_int64 (s, 6),
                                  sqlite3_column_text (s, 1), sqlite3_column_text (s, 2), op);
          pb_json_append_string (c, person);
          if (sqlite3_column_type (s, 4) != SQLITE_NULL)
            {
              g_string_append (c, ",\"field\":");
              pb_json_append_string (c, (const char *) sqlite3_column_text (s, 4));
            }
          if (!g_str_equal (op, "delete"))
            g_string_append_printf (c, ",\"value\":%s", sqlite3_column_type (s, 5) == SQLITE_NULL
                                                        ? "null" : (const char *) sqlite3_column_text (s, 5));
          /* Which value a text edit replaced: "base", read below (the statement is busy). */
          if (g_str_equal (op, "update") && keeps_both ((const char *) sqlite3_column_text (s, 1),
                                                        (const char *) sqlite3_column_text (s, 4)))
            g_ptr_array_add (rows, g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%u", last,
                                                    sqlite3_column_text (s, 2), sqlite3_column_text (s, 4),
                                                    n));
          g_string_append_c (c, '}');
          g_string_append_printf (body, "%s%s", n ? "," : "", c->str);
          n++;
        }
      sqlite3_reset (s);
      if (n == 0)
        return TRUE;

      g_string_append (body, "]}");

      /* Each text edit says which value it replaced ("base"). */
      if (rows->len > 0)
        {
          g_autoptr(JsonNode) root = json_from_string (body->str, error);
          g_autofree char *text = NULL;
          JsonArray *changes;

          if (root == NULL)
            return FALSE;
          changes = json_object_get_array_member (json_node_get_object (root), "changes");
          for (guint i = 0; i < rows->len; i++)
            {
              g_auto(GStrv) parts = g_strsplit (rows->pdata[i], "\x1f", 4);
              Clock base = field_clock (store, parts[1], parts[2], g_ascii_strtoll (parts[0], NULL, 10), NULL, 0, NULL);

              if (base.found)
                {
                  JsonObject *b = json_object_new ();
                  json_object_set_int_member (b, "hlc", (gint64) base.hlc);
                  json_object_set_string_member (b, "site", base.site);
                  json_object_set_object_member (json_array_get_object_element (changes,
                                                                                (guint) g_ascii_strtoull (parts[3], NULL, 10)),
                                                 "base", b);
                }
              clock_clear (&base);
            }
          text = json_to_string (root, FALSE);
          g_string_assign (body, text);
        }

      answer = call (transport, "POST", "/v1/push", credential, body->str, NULL, error);
      if (answer == NULL)
        return FALSE;
      stats->pushed += (guint) json_object_get_int_member_with_default (answer, "accepted", 0);
      /* Changes to rows the organisation lost sight of while offline: the hub kept the
       * rest; these go, and the revocation that follows removes the rows here. */
      if (json_object_has_member (answer, "rejected")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "rejected")))
        stats->rejected += json_array_get_length (json_object_get_array_member (answer, "rejected"));
      if (!state_set_int (store, "sync.pushed", last, error))
        return FALSE;
    }
}

/* ---- Pull ------------------------------------------------------------------------- */

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
set_value (PbRecord          *record,
           const PbTableInfo *table,
           const char        *field,
           JsonNode          *node)
{
  return pb_record_set_json (record, field, node);
}

static gboolean
protocol_error (GError    **error,
                const char *what)
{
  g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub sent a change this client cannot read: %s"),
               what);
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
  if (sqlite3_changes (pb_store_get_db (a->store)) > 0)
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
  if (sqlite3_changes (pb_store_get_db (a->store)) > 0)
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

      if (!set_value (record, table, field, value))
        return protocol_error (error, field);
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
              || !set_value (record, table, field, json_object_get_member (f, "v")))
            return protocol_error (error, field);
          h = (guint64) json_object_get_int_member (f, "h");
          if (min_site == NULL || compare_clock (h, site, min_hlc, min_site) < 0)
            {
              min_hlc = h;
              min_site = site;
            }
        }
      if (min_site == NULL)
        return protocol_error (error, row);
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
        return protocol_error (error, field);
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
    return protocol_error (error, row);
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

/* A pulled change, as a row of the pull's "rows" form (PB_SYNC_PULL_COLUMNS). Members of
 * the wrong type read as missing; a null value is a value (set to NULL). */
typedef struct
{
  const char *site;
  guint64     hlc;
  const char *tbl;
  const char *row;
  const char *op;
  const char *field;
  JsonNode   *value;
  const char *author;
  JsonNode   *base;
} Change;

static const char *
string_at (JsonArray *array,
           guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
read_change (JsonNode *node,
             Change   *c)
{
  JsonArray *row;
  JsonNode *hlc, *base;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (row = json_node_get_array (node)) != 10)
    return FALSE;
  hlc = json_array_get_element (row, 2);
  base = json_array_get_element (row, 9);
  c->site = string_at (row, 1);
  c->hlc = JSON_NODE_HOLDS_VALUE (hlc) && json_node_get_value_type (hlc) == G_TYPE_INT64
           ? (guint64) json_node_get_int (hlc) : 0;
  c->tbl = string_at (row, 3);
  c->row = string_at (row, 4);
  c->op = string_at (row, 5);
  c->field = string_at (row, 6);
  c->value = json_array_get_element (row, 7);
  c->author = string_at (row, 8);
  c->base = JSON_NODE_HOLDS_OBJECT (base) ? base : NULL;
  return TRUE;
}

static gboolean
apply_entry (Apply        *a,
             const Change *c,
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
    return protocol_error (error, _("a change without op, tbl, row, site, author or hlc"));
  a->stats->received++;

  if (g_str_equal (op, "hit") || g_str_equal (op, "unhit"))
    return apply_hit (a, op, row, field, hlc, error);

  table = pb_schema_table_lookup (tbl);
  if (table == NULL || !pb_uuid_is_valid (row))
    return protocol_error (error, tbl);
  origin = (PbOrigin) { site, hlc, author };

  if (g_str_equal (op, "snapshot"))
    {
      if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        return protocol_error (error, op);
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
        return protocol_error (error, op);
      /* A row deleted here, or never seen, takes no edits. */
      if (!row_exists (a->store, tbl, row))
        return TRUE;
      return apply_update (a, table, row, field, value, c->base ? json_node_get_object (c->base) : NULL,
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
        return protocol_error (error, op);
      if (!row_exists (a->store, tbl, row))
        {
          g_autoptr(PbRecord) record = pb_record_new (tbl, row);

          json_object_iter_init (&iter, json_node_get_object (value));
          while (json_object_iter_next (&iter, &member, &node))
            if (!set_value (record, table, member, node))
              return protocol_error (error, member);
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

  return protocol_error (error, op);
}

/* ---- Fetching pages ----------------------------------------------------------------
 *
 * Pages are fetched, read and checked against the audit chain by a thread of their own
 * while this one applies the page before: the hub's serving and the reading of JSON run
 * beside the writes. It never touches the store; pages come in order with what applying
 * them needs, and go back to it to be freed (each one returned lets it fetch one more, so
 * that at most a few pages are held). */

typedef struct
{
  JsonObject *answer;
  JsonArray  *changes;
  gint64      next;
  gboolean    more;
  gint64      audit_seq;
  const char *audit_hash;
  gboolean    audit_checked;
  GError     *error;   /* fetching or checking failed: the last page */
} Page;

typedef struct
{
  PbTransport *transport;
  const char  *credential;
  gint64       cursor;
  gint64       audit_seq;    /* the chain head last checked */
  char        *audit_hash;   /* or NULL before the first */
  JsonNode    *columns;      /* PB_SYNC_PULL_COLUMNS, read once */
  gboolean     checked;      /* a head of this pull */
  guint        unchecked;    /* pages since */
  GAsyncQueue *pages;        /* fetched, in order */
  GAsyncQueue *returned;     /* applied (or a token to fetch one more), for this thread */
  gint         stop;
} Fetcher;

/* A token on the returned queue that is no page. */
static Page fetch_more;

static void
page_free (Page *page)
{
  if (page == NULL || page == &fetch_more)
    return;
  g_clear_pointer (&page->answer, json_object_unref);
  g_clear_error (&page->error);
  g_free (page);
}

/* A member of an answer, or NULL when it is missing or of another type (json-glib's own
 * getters complain of a missing member). */
static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Checks that the audit chain head the hub shows now (@seq, @hash) extends the one it
 * showed before (@known, @known_hash; NULL the first time). */
static gboolean
verify_audit (PbTransport *transport,
              const char  *credential,
              gint64       known,
              const char  *known_hash,
              gint64       seq,
              const char  *hash,
              GError     **error)
{
  g_autofree char *prev = NULL;

  if (hash == NULL || strlen (hash) != 64)
    return protocol_error (error, "audit");
  if (known_hash == NULL || seq == known)
    {
      if (known_hash && g_strcmp0 (known_hash, hash) != 0)
        goto broken;
      return TRUE;
    }
  if (seq < known)
    goto broken;

  prev = g_strdup (known_hash);
  while (known < seq)
    {
      g_autofree char *path = g_strdup_printf ("/v1/audit/links?after=%" G_GINT64_FORMAT, known);
      g_autoptr(JsonObject) answer = call (transport, "GET", path, credential, NULL, NULL, error);
      JsonObject *from, *to;
      JsonArray *leaves;

      if (answer == NULL)
        return FALSE;
      from = object_member (answer, "from");
      to = object_member (answer, "to");
      leaves = array_member (answer, "leaves");
      if (from == NULL || to == NULL || leaves == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (from, "hash", ""), prev) != 0)
        goto broken;
      for (guint i = 0; i < json_array_get_length (leaves); i++)
        {
          g_autofree char *joined = g_strconcat (prev, json_array_get_string_element (leaves, i), NULL);
          g_free (prev);
          prev = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);
        }
      if (json_array_get_length (leaves) == 0
          || g_strcmp0 (json_object_get_string_member_with_default (to, "hash", ""), prev) != 0)
        goto broken;
      known = json_object_get_int_member (to, "seq");
    }
  /* The head given with the pull may be older than the newest link: find it on the way. */
  if (known != seq || g_strcmp0 (prev, hash) != 0)
    {
      if (known > seq)
        return TRUE;
      goto broken;
    }
  return TRUE;

broken:
  g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_AUDIT,
               _("The hub's audit log does not extend what it showed before: it may have been altered"));
  return FALSE;
}

static Page *
fetch_page (Fetcher *f)
{
  g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=%d&form=rows", f->cursor,
                                           PAGE);
  Page *page = g_new0 (Page, 1);
  JsonObject *audit;

  page->answer = call (f->transport, "GET", path, f->credential, NULL, NULL, &page->error);
  if (page->answer == NULL)
    return page;
  page->changes = array_member (page->answer, "rows");
  audit = object_member (page->answer, "audit");
  page->next = json_object_get_int_member_with_default (page->answer, "next", -1);
  page->more = json_object_get_boolean_member_with_default (page->answer, "more", FALSE);
  /* "More" must move on: a page that says so without passing the cursor would be asked
   * for again and again. */
  if (page->changes == NULL || audit == NULL || page->next < f->cursor || (page->more && page->next == f->cursor)
      || !json_object_has_member (page->answer, "columns")
      || !json_node_equal (json_object_get_member (page->answer, "columns"), f->columns))
    {
      protocol_error (&page->error, "pull");
      return page;
    }
  page->audit_seq = json_object_get_int_member_with_default (audit, "seq", 0);
  page->audit_hash = json_object_get_string_member_with_default (audit, "hash", NULL);
  f->cursor = page->next;
  /* The head is checked on the first page of a pull, so that nothing is taken from a hub
   * whose chain no longer extends what it showed before, on the last, and every few pages
   * between (each check asks the hub for the links since the last); a head not checked is
   * not kept. */
  if (page->more && f->checked && ++f->unchecked < AUDIT_CHECK_PAGES)
    return page;
  if (!verify_audit (f->transport, f->credential, f->audit_seq, f->audit_hash, page->audit_seq,
                     page->audit_hash, &page->error))
    return page;
  page->audit_checked = TRUE;
  f->checked = TRUE;
  f->unchecked = 0;
  f->audit_seq = page->audit_seq;
  g_free (f->audit_hash);
  f->audit_hash = g_strdup (page->audit_hash);
  return page;
}

static gpointer
fetcher_thread (gpointer data)
{
  Fetcher *f = data;

  for (;;)
    {
      Page *page;

      page_free (g_async_queue_pop (f->returned));
      if (g_atomic_int_get (&f->stop))
        break;
      page = fetch_page (f);
      g_async_queue_push (f->pages, page);
      if (page->error || !page->more)
        break;
    }
  return NULL;
}

static gboolean
apply_page (PbStore     *store,
            Apply       *a,
            Page        *page,
            GError     **error)
{
  guint n = json_array_get_length (page->changes);
  gboolean ok = TRUE;

  if (!pb_store_begin (store, error))
    return FALSE;
  for (guint i = 0; ok && i < n; i++)
    {
      Change change;

      ok = read_change (json_array_get_element (page->changes, i), &change)
           ? apply_entry (a, &change, error) : protocol_error (error, "change");
    }
  if (ok)
    ok = state_set_int (store, "sync.cursor", page->next, error);
  if (ok && page->audit_checked)
    ok = state_set_int (store, "sync.audit_seq", page->audit_seq, error)
         && _pb_store_state_set (store, "sync.audit_hash", page->audit_hash, error);
  if (ok && n > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%u changes from the hub", n);
      ok = pb_store_get_actor (store) == NULL
           || pb_store_log_access (store, PB_ACCESS_COLLECTION, "sync", NULL, detail, error);
    }
  if (!ok)
    {
      pb_store_rollback (store);
      return FALSE;
    }
  if (!pb_store_commit (store, error))
    return FALSE;
  a->stats->cursor = page->next;
  return TRUE;
}

static gboolean
pull (PbStore     *store,
      PbTransport *transport,
      const char  *credential,
      PbSyncStats *stats,
      GError     **error)
{
  sqlite3 *db = pb_store_get_db (store);
  Apply a = { store, stats, pb_store_get_site_id (store) };
  Fetcher f = {
    .transport = transport,
    .credential = credential,
    .cursor = state_get_int (store, "sync.cursor"),
    .audit_seq = state_get_int (store, "sync.audit_seq"),
    .audit_hash = _pb_store_state_get (store, "sync.audit_hash"),
    .pages = g_async_queue_new (),
    .returned = g_async_queue_new (),
    .columns = json_from_string (PB_SYNC_PULL_COLUMNS, NULL),
  };
  GThread *thread;
  gboolean ok = TRUE, more;
  Page *page;

  /* Rows arrive as the hub logged them, a child before its parent at times, and what this
   * organisation sees may point at rows it does not: references are not enforced while
   * pages are applied. (Set once: a change of it makes SQLite prepare every statement
   * again.) */
  sqlite3_exec (db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
  /* The page being applied, the next one fetched and read meanwhile. */
  g_async_queue_push (f.returned, &fetch_more);
  g_async_queue_push (f.returned, &fetch_more);
  thread = g_thread_new ("pb-sync-fetch", fetcher_thread, &f);
  do
    {
      page = g_async_queue_pop (f.pages);
      more = page->more;
      if (page->error)
        {
          g_propagate_error (error, g_steal_pointer (&page->error));
          ok = FALSE;
        }
      else
        ok = apply_page (store, &a, page, error);
      if (!ok || !more)
        {
          g_atomic_int_set (&f.stop, TRUE);
          g_async_queue_push (f.returned, &fetch_more);
        }
      /* From here the page is the fetcher's to free. */
      g_async_queue_push (f.returned, page);
    }
  while (ok && more);
  g_thread_join (thread);
  sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);

  while ((page = g_async_queue_try_pop (f.pages)) != NULL)
    page_free (page);
  while ((page = g_async_queue_try_pop (f.returned)) != NULL)
    page_free (page);
  g_async_queue_unref (f.pages);
  g_async_queue_unref (f.returned);
  g_free (f.audit_hash);
  json_node_unref (f.columns);
  return ok;
}

gboolean
pb_sync_once (PbStore      *store,
              PbTransport  *transport,
              const char   *credential,
              PbSyncStats  *stats,
              GError      **error)
{
  PbSyncStats local = { 0 };
  g_autofree char *person = _pb_store_state_get (store, "sync.person");

  if (stats == NULL)
    stats = &local;
  memset (stats, 0, sizeof *stats);
  if (person == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_NOT_ENROLLED, _("This database is not enrolled with a hub"));
      return FALSE;
    }
  if (!push (store, transport, credential, stats, error)
      || !pull (store, transport, credential, stats, error))
    {
      stats->waiting = pb_sync_waiting (store);
      return FALSE;
    }
  /* The enrolled person acts here once the hub has sent who they are. */
  if (pb_store_get_actor (store) == NULL)
    pb_store_set_actor (store, person, NULL);
  stats->waiting = pb_sync_waiting (store);
  return state_set_int (store, "sync.last_synced", g_get_real_time () / 1000, error);
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
pb_sync_list_conflicts (PbStore    *store,
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
pb_sync_resolve_conflict (PbStore    *store,
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

      if (node == NULL || !set_value (record, pb_schema_table_lookup (tbl), field, node))
        return protocol_error (error, field);
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

/* ---- Export ----------------------------------------------------------------------- */

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
  sqlite3 *db = pb_store_get_db (store);

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
