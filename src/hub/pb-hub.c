/* pb-hub.c: the sync hub's object: its database, clock, prepared statements, transactions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub keeps, in DATA/hub.db:
 * - every accepted change, in one log ordered by seq; each entry carries the set of
 *   organisations that may receive it ("audience", one bit per organisation), decided when
 *   it is written, and a pull also checks the row's audience now;
 * - the current state of every shared row, one row per field with the clock of the write
 *   that set it (last writer wins by hybrid logical clock, ties broken by site id);
 * - who may see each row, recomputed when a row or what it depends on changes (an item's
 *   handling code or sharing list decides who sees its identifiers, incidents and case).
 *   An organisation that starts to see a row gets its whole current state (a "snapshot"
 *   entry); one that stops gets a "revoke" entry and its clients remove their copy;
 * - which organisations hold each identifier, to tell each one who else holds it ("hit")
 *   without any content;
 * - an append-only hash chain over every entry of the log and every delivery.
 *
 * This file opens (or creates) the database, prepares every statement the hub runs, and
 * holds the clock, transactions and the readers of a row's current state; the rest is in
 * the files pb-hub-private.h lists.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_QUARK (pb-hub-error-quark, pb_hub_error)

G_DEFINE_FINAL_TYPE (PbHub, pb_hub, G_TYPE_OBJECT)

static const char hub_schema[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value);"
  "CREATE TABLE orgs ("
  "  ordinal INTEGER PRIMARY KEY CHECK (ordinal >= 0 AND ordinal < 63),"
  "  id TEXT UNIQUE NOT NULL,"
  "  name TEXT UNIQUE NOT NULL,"
  "  kind TEXT NOT NULL);"
  "CREATE TABLE accounts ("
  "  name TEXT PRIMARY KEY NOT NULL,"
  "  person TEXT UNIQUE NOT NULL,"
  "  org TEXT NOT NULL REFERENCES orgs (id),"
  "  role TEXT NOT NULL CHECK (role = 'chair' OR role = 'officer' OR role = 'partner' OR role = 'admin'),"
  "  enrol_hash TEXT UNIQUE,"
  "  credential_hash TEXT UNIQUE,"
  "  site TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  enrolled_at INTEGER,"
  "  revoked_at INTEGER);"
  "CREATE TABLE changes ("
  "  seq INTEGER PRIMARY KEY,"
  "  site TEXT NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  op TEXT NOT NULL,"
  "  field TEXT,"
  "  value TEXT,"
  "  author TEXT NOT NULL,"
  "  base TEXT,"
  "  audience INTEGER NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  UNIQUE (site, hlc));"
  "CREATE TABLE rows ("
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  audience INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;"
  "CREATE TABLE fields ("
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  value TEXT,"
  "  hlc INTEGER NOT NULL,"
  "  site TEXT NOT NULL,"
  "  PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;"
  "CREATE TABLE refs ("
  "  parent TEXT NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  PRIMARY KEY (parent, tbl, row_id)) WITHOUT ROWID;"
  "CREATE INDEX refs_row ON refs (tbl, row_id);"
  "CREATE TABLE holders ("
  "  kind TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  org TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, value, org)) WITHOUT ROWID;"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  entry TEXT NOT NULL,"
  "  leaf TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;";

static const char *const statement_sql[PB_HUB_N_STMTS] = {
  [PB_HUB_STMT_META_GET] = "SELECT value FROM meta WHERE key = ?",
  [PB_HUB_STMT_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
  [PB_HUB_STMT_DATA_VERSION] = "PRAGMA data_version",
  [PB_HUB_STMT_LAST_SEQ] = "SELECT coalesce (max (seq), 0) FROM changes",
  [PB_HUB_STMT_FIELD_GET] = "SELECT value FROM fields WHERE tbl = ? AND row_id = ? AND field = ?",
  [PB_HUB_STMT_ROW_STATE] = "SELECT deleted, audience FROM rows WHERE tbl = ? AND row_id = ?",
  [PB_HUB_STMT_CHILDREN] =
    "SELECT f.row_id FROM refs f JOIN rows r ON r.tbl = f.tbl AND r.row_id = f.row_id"
    " WHERE f.parent = ? AND f.tbl = ? AND NOT r.deleted",

  [PB_HUB_STMT_ORGS_LOAD] = "SELECT ordinal, id, kind FROM orgs",
  [PB_HUB_STMT_ORG_BY_NAME] = "SELECT id, kind FROM orgs WHERE name = ?",
  [PB_HUB_STMT_ORG_INSERT] = "INSERT INTO orgs (ordinal, id, name, kind) VALUES (?, ?, ?, ?)",
  [PB_HUB_STMT_ACCOUNT_EXISTS] = "SELECT 1 FROM accounts WHERE name = ?",
  [PB_HUB_STMT_ACCOUNT_INSERT] =
    "INSERT INTO accounts (name, person, org, role, enrol_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  [PB_HUB_STMT_ACCOUNTS_LIST] = "SELECT " PB_HUB_ACCOUNT_COLUMNS " ORDER BY o.name, a.name",
  [PB_HUB_STMT_ACCOUNT_REVOKE] =
    "UPDATE accounts SET revoked_at = ?, enrol_hash = NULL WHERE name = ? AND revoked_at IS NULL",
  [PB_HUB_STMT_ACCOUNT_BY_CREDENTIAL] =
    "SELECT " PB_HUB_ACCOUNT_COLUMNS " WHERE a.credential_hash = ? AND a.revoked_at IS NULL",
  [PB_HUB_STMT_ACCOUNT_BY_TOKEN] =
    "SELECT " PB_HUB_ACCOUNT_COLUMNS " WHERE a.enrol_hash = ? AND a.revoked_at IS NULL",
  [PB_HUB_STMT_ACCOUNT_ENROL] =
    "UPDATE accounts SET enrol_hash = NULL, credential_hash = ?, site = ?, enrolled_at = ? WHERE name = ?",
  [PB_HUB_STMT_HUB_FIELD_SET] =
    "INSERT OR REPLACE INTO fields (tbl, row_id, field, value, hlc, site) VALUES (?, ?, ?, ?, ?, ?)",
  [PB_HUB_STMT_HUB_ROW_INSERT] = "INSERT INTO rows (tbl, row_id, audience) VALUES (?, ?, ?)",

  [PB_HUB_STMT_CHANGE_INSERT] =
    "INSERT INTO changes (site, hlc, tbl, row_id, op, field, value, author, audience, received_at, base)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  [PB_HUB_STMT_AUDIT_INSERT] = "INSERT INTO audit (seq, entry, leaf, hash) VALUES (?, ?, ?, ?)",
  [PB_HUB_STMT_AUDIT_HEAD] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
  [PB_HUB_STMT_AUDIT_HASH] = "SELECT hash FROM audit WHERE seq = ?",
  [PB_HUB_STMT_AUDIT_LEAVES] = "SELECT leaf FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq",
  [PB_HUB_STMT_AUDIT_ALL] = "SELECT seq, entry, leaf, hash FROM audit ORDER BY seq",

  [PB_HUB_STMT_SET_AUDIENCE] = "UPDATE rows SET audience = ? WHERE tbl = ? AND row_id = ?",
  [PB_HUB_STMT_REFS_DELETE] = "DELETE FROM refs WHERE tbl = ? AND row_id = ? AND parent <> ?",
  [PB_HUB_STMT_REFS_INSERT] = "INSERT OR IGNORE INTO refs (parent, tbl, row_id) VALUES (?, ?, ?)",
  [PB_HUB_STMT_SNAPSHOT_FIELDS] =
    "SELECT field, value, hlc, site FROM fields WHERE tbl = ? AND row_id = ? ORDER BY field",
  [PB_HUB_STMT_SHARED_ROWS] =
    "SELECT tbl, row_id FROM rows WHERE NOT deleted AND tbl <> 'organisations' AND tbl <> 'people'",
  [PB_HUB_STMT_DIRECTORY_ROWS] = "SELECT tbl, row_id FROM rows WHERE tbl = 'organisations' OR tbl = 'people'",

  [PB_HUB_STMT_HOLDERS_COUNT] = "SELECT n FROM holders WHERE kind = ? AND value = ? AND org = ?",
  [PB_HUB_STMT_HOLDERS_SET] = "INSERT OR REPLACE INTO holders (kind, value, org, n) VALUES (?, ?, ?, ?)",
  [PB_HUB_STMT_HOLDERS_DELETE] = "DELETE FROM holders WHERE kind = ? AND value = ? AND org = ? AND ? IS NOT NULL",
  [PB_HUB_STMT_HOLDERS_OTHERS] = "SELECT org FROM holders WHERE kind = ? AND value = ? AND org <> ?",

  [PB_HUB_STMT_CHANGE_EXISTS] = "SELECT 1 FROM changes WHERE site = ? AND hlc = ?",
  [PB_HUB_STMT_ROW_INSERT] = "INSERT INTO rows (tbl, row_id) VALUES (?, ?)",
  [PB_HUB_STMT_FIELD_MERGE] =
    "INSERT INTO fields (tbl, row_id, field, value, hlc, site) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (tbl, row_id, field) DO UPDATE SET value = excluded.value,"
    " hlc = excluded.hlc, site = excluded.site"
    " WHERE excluded.hlc > fields.hlc"
    "  OR (excluded.hlc = fields.hlc AND excluded.site > fields.site)",
  [PB_HUB_STMT_ROW_DELETE] = "UPDATE rows SET deleted = 1 WHERE tbl = ? AND row_id = ?",
  /* An entry goes to the organisations it was written for, and of those only to the ones
   * that still see the row: a row revoked since is not sent again. */
  [PB_HUB_STMT_PULL] =
    "SELECT c.seq, c.site, c.hlc, c.tbl, c.row_id, c.op, c.field, c.value, c.author, c.base"
    " FROM changes c LEFT JOIN rows r ON r.tbl = c.tbl AND r.row_id = c.row_id"
    " WHERE c.seq > ?1 AND (c.audience & ?2) <> 0"
    "  AND (c.op = 'revoke' OR c.op = 'hit' OR c.op = 'unhit' OR (r.audience & ?2) <> 0)"
    " ORDER BY c.seq LIMIT ?3",
};

void
pb_hub_account_free (PbHubAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->person);
  g_free (account->org);
  g_free (account->org_name);
  g_free (account->role);
  g_free (account->org_kind);
  g_free (account->site);
  g_free (account);
}

PbHubAccount *
pb_hub_account_copy (const PbHubAccount *account)
{
  PbHubAccount *copy = g_memdup2 (account, sizeof *account);

  copy->name = g_strdup (account->name);
  copy->person = g_strdup (account->person);
  copy->org = g_strdup (account->org);
  copy->org_name = g_strdup (account->org_name);
  copy->role = g_strdup (account->role);
  copy->org_kind = g_strdup (account->org_kind);
  copy->site = g_strdup (account->site);
  return copy;
}

static gint64
default_now_ms (gpointer data)
{
  return g_get_real_time () / 1000;
}

gint64
_pb_hub_now_ms (PbHub *self)
{
  return self->now_ms (self->now_data);
}

static void
pb_hub_finalize (GObject *object)
{
  PbHub *self = PB_HUB (object);

  for (guint i = 0; i < PB_HUB_N_STMTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  g_clear_pointer (&self->org_bits, g_hash_table_unref);
  g_clear_pointer (&self->row_check, pb_row_check_free);
  if (self->db)
    sqlite3_close (self->db);
  g_free (self->data_dir);
  g_free (self->site_id);

  G_OBJECT_CLASS (pb_hub_parent_class)->finalize (object);
}

static void
pb_hub_class_init (PbHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_hub_finalize;
}

static void
pb_hub_init (PbHub *self)
{
  self->org_bits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->now_ms = default_now_ms;
}

gboolean
_pb_hub_sql_error (GError    **error,
                   sqlite3    *db,
                   const char *what)
{
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/* Every statement, prepared once; a hub that cannot prepare one does not open. */
static gboolean
prepare_statements (PbHub   *self,
                    GError **error)
{
  for (guint i = 0; i < PB_HUB_N_STMTS; i++)
    if (sqlite3_prepare_v3 (self->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &self->statements[i], NULL) != SQLITE_OK)
      {
        g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, "%s: %s (%s)", _("Cannot open the hub database"),
                     sqlite3_errmsg (self->db), statement_sql[i]);
        return FALSE;
      }
  return TRUE;
}

/* A prepared statement, reset and without bindings. */
sqlite3_stmt *
_pb_hub_stmt (PbHub     *self,
              PbHubStmt  id)
{
  sqlite3_stmt *s = self->statements[id];

  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return s;
}

static gboolean
exec (PbHub      *self,
      const char *sql,
      GError    **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _pb_hub_sql_error (error, self->db, _("The hub database cannot be written"));
  return TRUE;
}

static char *
meta_get (PbHub      *self,
          const char *key)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_META_GET);
  char *value = NULL;

  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return value;
}

static gboolean
meta_set (PbHub      *self,
          const char *key,
          const char *value)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_META_SET);
  int rc;

  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

char *
_pb_hub_sha256_hex (const char *data,
                    gssize      length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                      length < 0 ? strlen (data) : (gsize) length);
}

/* Another process (portboard-hub user add, while the server runs) may have written the
 * database: what is kept in memory is read again. Called with the write lock held, so
 * that nothing else writes in between. */
void
_pb_hub_reload_if_changed (PbHub *self)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_DATA_VERSION);
  gint64 version = -1;

  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (version == self->data_version)
    return;
  self->data_version = version;
  _pb_hub_load_orgs (self);
  _pb_hub_load_audit_head (self);
  {
    g_autofree char *hlc = meta_get (self, "hlc");
    if (hlc)
      self->hlc.last = MAX (self->hlc.last, g_ascii_strtoull (hlc, NULL, 10));
  }
}

gboolean
_pb_hub_begin_write (PbHub *self)
{
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  _pb_hub_reload_if_changed (self);
  return TRUE;
}

void
_pb_hub_save (PbHub      *self,
              PbHubSaved *saved)
{
  saved->hlc = self->hlc;
  saved->audit_seq = self->audit_seq;
  memcpy (saved->audit_head, self->audit_head, sizeof saved->audit_head);
}

void
_pb_hub_restore (PbHub      *self,
                 PbHubSaved *saved)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->hlc = saved->hlc;
  self->audit_seq = saved->audit_seq;
  memcpy (self->audit_head, saved->audit_head, sizeof self->audit_head);
  _pb_hub_load_orgs (self);
}

gboolean
_pb_hub_commit (PbHub   *self,
                GError **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self->hlc.last);
  if (!meta_set (self, "hlc", buf))
    return _pb_hub_sql_error (error, self->db, _("The hub database cannot be written"));
  return exec (self, "COMMIT", error);
}

/* Opens the database file, or makes one; its schema version, 0 for a new file. */
static gboolean
open_database (PbHub      *self,
               const char *path,
               int        *version,
               GError    **error)
{
  sqlite3_stmt *s;

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    return _pb_hub_sql_error (error, self->db, _("Cannot open the hub database"));
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    " PRAGMA cache_size = -65536", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                   _("“%s” is not a hub database: %s"), path, sqlite3_errmsg (self->db));
      return FALSE;
    }
  *version = 0;
  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK
      && sqlite3_step (s) == SQLITE_ROW)
    *version = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  if (*version != 0 && *version != 1)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                   _("“%s” was written by a newer hub (version %d)"), path, *version);
      return FALSE;
    }
  return TRUE;
}

/* A new database: the schema and the hub's site id, in one transaction; the statements are
 * prepared once the tables exist. */
static gboolean
create_database (PbHub   *self,
                 GError **error)
{
  g_autofree char *site = pb_uuid_new ();

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (sqlite3_exec (self->db, hub_schema, NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (self->db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK)
    {
      _pb_hub_sql_error (error, self->db, _("Cannot create the hub database"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!prepare_statements (self, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (!meta_set (self, "site_id", site))
    {
      _pb_hub_sql_error (error, self->db, _("Cannot create the hub database"));
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return exec (self, "COMMIT", error);
}

PbHub *
pb_hub_open (const char *data_dir,
             GError    **error)
{
  g_autoptr(PbHub) self = g_object_new (PB_TYPE_HUB, NULL);
  g_autofree char *path = NULL;
  g_autofree char *hlc = NULL;
  int version = 0;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the hub's folder “%s”: %s"), data_dir, g_strerror (saved_errno));
      return NULL;
    }
  self->data_dir = g_strdup (data_dir);
  path = g_build_filename (data_dir, "hub.db", NULL);
  if (!open_database (self, path, &version, error))
    return NULL;
  if (version == 0 ? !create_database (self, error) : !prepare_statements (self, error))
    return NULL;

  self->site_id = meta_get (self, "site_id");
  if (self->site_id == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                   _("“%s” is not a hub database"), path);
      return NULL;
    }
  hlc = meta_get (self, "hlc");
  if (hlc)
    self->hlc.last = g_ascii_strtoull (hlc, NULL, 10);
  _pb_hub_load_orgs (self);
  _pb_hub_load_audit_head (self);
  self->max_request = PB_HUB_DEFAULT_MAX_BODY;
  self->row_check = pb_row_check_new (error);
  if (self->row_check == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
pb_hub_get_data_dir (PbHub *self)
{
  return self->data_dir;
}

const char *
pb_hub_get_site_id (PbHub *self)
{
  return self->site_id;
}

void
pb_hub_set_clock (PbHub   *self,
                  gint64 (*now) (gpointer),
                  gpointer user_data)
{
  self->now_ms = now ? now : default_now_ms;
  self->now_data = user_data;
}

gint64
pb_hub_last_seq (PbHub *self)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_LAST_SEQ);
  gint64 seq = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    seq = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return seq;
}

/* The largest body the hub takes (the server refuses larger ones before reading them); a
 * body and its parsed tree together hold at most twice that. */
void
pb_hub_set_max_request (PbHub *self,
                        gsize  max_body)
{
  g_return_if_fail (PB_IS_HUB (self));
  self->max_request = max_body;
}

/* Where the hub stands (its changes and the audit chain's head), for the hub's own
 * checks and tests; over HTTP only pb_hub_health_public() is answered. */
char *
pb_hub_health (PbHub *self)
{
  return g_strdup_printf ("{\"status\":\"ok\",\"protocol\":%d,\"hub_time\":%" G_GINT64_FORMAT
                          ",\"last_seq\":%" G_GINT64_FORMAT ",\"audit\":{\"seq\":%" G_GINT64_FORMAT
                          ",\"hash\":\"%s\"}}",
                          PB_HUB_PROTOCOL, _pb_hub_now_ms (self), pb_hub_last_seq (self), self->audit_seq,
                          self->audit_head);
}

/* What anyone may ask without a credential: whether the hub serves, and its protocol and
 * time (a client's clock is compared with it). Not how much it holds or how busy it is:
 * the count of changes, the audit chain's head and the connections tell a stranger when
 * the consultation works, and are for members (in every push's and pull's answer) and
 * for the hub's own log. */
char *
pb_hub_health_public (PbHub      *self,
                      const char *status)
{
  return g_strdup_printf ("{\"status\":\"%s\",\"protocol\":%d,\"hub_time\":%" G_GINT64_FORMAT "}", status,
                          PB_HUB_PROTOCOL, _pb_hub_now_ms (self));
}

/* ---- A row's current state -------------------------------------------------------- */

/* A field's value as a string when it is a JSON string (ids, codes), else NULL. */
char *
_pb_hub_field_string (PbHub      *self,
                      const char *tbl,
                      const char *row,
                      const char *field)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_FIELD_GET);
  char *out = NULL;

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, field, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW && sqlite3_column_type (s, 0) == SQLITE_TEXT)
    {
      const char *json = (const char *) sqlite3_column_text (s, 0);
      int length = sqlite3_column_bytes (s, 0);

      /* Ids and codes have nothing to unescape: the quotes are taken off. */
      if (length >= 2 && json[0] == '"' && json[length - 1] == '"' && memchr (json, '\\', length) == NULL)
        out = g_strndup (json + 1, length - 2);
      else if (json[0] == '"')
        {
          g_autoptr(JsonNode) node = json_from_string (json, NULL);

          if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            out = g_strdup (json_node_get_string (node));
        }
    }
  sqlite3_reset (s);
  return out;
}

/* A field's value as the hub keeps it, JSON text; NULL when the row has no such field. */
char *
_pb_hub_field_json (PbHub      *self,
                    const char *tbl,
                    const char *row,
                    const char *field)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_FIELD_GET);
  char *out = NULL;

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, field, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    out = g_strdup (sqlite3_column_type (s, 0) == SQLITE_NULL ? "null" : (const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return out;
}

PbHubRowState
_pb_hub_row_state (PbHub      *self,
                   const char *tbl,
                   const char *row)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ROW_STATE);
  PbHubRowState state = { FALSE, FALSE, 0 };

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      state.exists = TRUE;
      state.deleted = sqlite3_column_int (s, 0) != 0;
      state.audience = (guint64) sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return state;
}

/* The rows of @tbl that point at @parent, and are not deleted. */
GPtrArray *
_pb_hub_children (PbHub      *self,
                  const char *parent,
                  const char *tbl)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_CHILDREN);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  sqlite3_bind_text (s, 1, parent, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (s, 0)));
  sqlite3_reset (s);
  return out;
}
