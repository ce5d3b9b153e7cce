/* pb-hub.c: the sync hub's data: accounts, the shared change log, need-to-know, audit
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
 */

#include "config.h"

#include "pb-hub.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/random.h>

#include "pb-schema.h"
#include "pb-sync.h"
#include "pb-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_DEFINE_QUARK (pb-hub-error-quark, pb_hub_error)

struct _PbHub
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *data_dir;
  char       *site_id;
  GHashTable *statements;  /* SQL → sqlite3_stmt */
  GHashTable *org_bits;    /* org id → bit */
  guint64     partner_orgs;
  guint64     known_orgs;
  PbHlc       hlc;
  char        audit_head[65];
  gint64      audit_seq;
  gint64      data_version;

  gint64    (*now_ms) (gpointer);
  gpointer    now_data;
};

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

/* A field that points at another row: what the row's visibility depends on. */
static const struct
{
  const char *tbl;
  const char *field;
  const char *parent;
} references[] = {
  { "identifiers", "item", "items" },
  { "item_shares", "item", "items" },
  { "incidents", "item", "items" },
  { "item_links", "item_a", "items" },
  { "item_links", "item_b", "items" },
  { "items", "case_id", "cases" },
  { "case_leads", "case_id", "cases" },
  { "meeting_attendance", "meeting", "meetings" },
  { "agenda_entries", "meeting", "meetings" },
  { "agenda_entries", "item", "items" },
  { "decisions", "meeting", "meetings" },
  { "decisions", "item", "items" },
  { "meeting_actions", "meeting", "meetings" },
  { "meeting_actions", "item", "items" },
};

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

/* The consultation's own tables: meetings, who attends, the agenda. Seen by its members
 * (police, customs, the prosecutor's office), not by private partners. */
static gboolean
is_meeting_table (const char *tbl)
{
  return g_str_equal (tbl, "meetings") || g_str_equal (tbl, "meeting_attendance")
         || g_str_equal (tbl, "agenda_entries");
}

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
  copy->site = g_strdup (account->site);
  return copy;
}

static gint64
default_now_ms (gpointer data)
{
  return g_get_real_time () / 1000;
}

static gint64
now_ms (PbHub *self)
{
  return self->now_ms (self->now_data);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pb_hub_finalize (GObject *object)
{
  PbHub *self = PB_HUB (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->org_bits, g_hash_table_unref);
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
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  self->org_bits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->now_ms = default_now_ms;
}

static gboolean
sql_error (GError    **error,
           sqlite3    *db,
           const char *what)
{
  g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

/* Statements are prepared once and kept; the SQL text must be a literal. */
static sqlite3_stmt *
stmt (PbHub      *self,
      const char *sql)
{
  sqlite3_stmt *s = g_hash_table_lookup (self->statements, sql);

  if (s == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
        g_error ("hub: cannot prepare %s: %s", sql, sqlite3_errmsg (self->db));
      g_hash_table_insert (self->statements, (gpointer) sql, s);
    }
  else
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
    return sql_error (error, self->db, _("The hub database cannot be written"));
  return TRUE;
}

static char *
meta_get (PbHub      *self,
          const char *key)
{
  sqlite3_stmt *s = stmt (self, "SELECT value FROM meta WHERE key = ?");
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
  sqlite3_stmt *s = stmt (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  int rc;

  sqlite3_bind_text (s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

static char *
sha256_hex (const char *data,
            gssize      length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                      length < 0 ? strlen (data) : (gsize) length);
}

/* A secret for a token or credential: 32 bytes from the kernel's random source. */
static char *
new_secret (const char *prefix)
{
  guchar bytes[32];
  g_autofree char *b64 = NULL;
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      gssize n = getrandom (bytes + filled, sizeof bytes - filled, 0);
      if (n < 0)
        g_error ("hub: no random bytes: %s", g_strerror (errno));
      filled += (gsize) n;
    }
  b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strconcat (prefix, b64, NULL);
}

static void
load_orgs (PbHub *self)
{
  sqlite3_stmt *s = stmt (self, "SELECT ordinal, id, kind FROM orgs");

  g_hash_table_remove_all (self->org_bits);
  self->partner_orgs = 0;
  self->known_orgs = 0;
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << sqlite3_column_int (s, 0);

      g_hash_table_insert (self->org_bits, g_strdup ((const char *) sqlite3_column_text (s, 1)),
                           g_memdup2 (&bit, sizeof bit));
      self->known_orgs |= bit;
      if (g_strcmp0 ((const char *) sqlite3_column_text (s, 2), "partner") == 0)
        self->partner_orgs |= bit;
    }
  sqlite3_reset (s);
}

static guint64
org_bit (PbHub      *self,
         const char *org)
{
  guint64 *bit = org ? g_hash_table_lookup (self->org_bits, org) : NULL;
  return bit ? *bit : 0;
}

/* The audit chain: hash(n) = SHA-256 (hash(n-1) ‖ SHA-256 (entry n)), hex, from 64 zeros. */
static char *
chain_hash (const char *prev,
            const char *leaf)
{
  char buf[129];

  memcpy (buf, prev, 64);
  memcpy (buf + 64, leaf, 64);
  buf[128] = '\0';
  return sha256_hex (buf, 128);
}

static gboolean
audit_append (PbHub      *self,
              const char *entry)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO audit (seq, entry, leaf, hash) VALUES (?, ?, ?, ?)");
  g_autofree char *leaf = sha256_hex (entry, -1);
  g_autofree char *hash = chain_hash (self->audit_head, leaf);
  int rc;

  sqlite3_bind_int64 (s, 1, self->audit_seq + 1);
  sqlite3_bind_text (s, 2, entry, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, leaf, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return FALSE;
  self->audit_seq++;
  g_strlcpy (self->audit_head, hash, sizeof self->audit_head);
  return TRUE;
}

static void
load_audit_head (PbHub *self)
{
  sqlite3_stmt *s = stmt (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");

  self->audit_seq = 0;
  memset (self->audit_head, '0', 64);
  self->audit_head[64] = '\0';
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      self->audit_seq = sqlite3_column_int64 (s, 0);
      g_strlcpy (self->audit_head, (const char *) sqlite3_column_text (s, 1), sizeof self->audit_head);
    }
  sqlite3_reset (s);
}

/* Another process (portboard-hub user add, while the server runs) may have written the
 * database: what is kept in memory is read again. Called with the write lock held, so
 * that nothing else writes in between. */
static void
reload_if_changed (PbHub *self)
{
  sqlite3_stmt *s = stmt (self, "PRAGMA data_version");
  gint64 version = -1;

  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (version == self->data_version)
    return;
  self->data_version = version;
  load_orgs (self);
  load_audit_head (self);
  {
    g_autofree char *hlc = meta_get (self, "hlc");
    if (hlc)
      self->hlc.last = MAX (self->hlc.last, g_ascii_strtoull (hlc, NULL, 10));
  }
}

static gboolean
begin_write (PbHub *self)
{
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  reload_if_changed (self);
  return TRUE;
}

/* Both rolled back together when a request fails half-way. */
typedef struct
{
  PbHlc   hlc;
  gint64  audit_seq;
  char    audit_head[65];
} Saved;

static void
save (PbHub *self,
      Saved *saved)
{
  saved->hlc = self->hlc;
  saved->audit_seq = self->audit_seq;
  memcpy (saved->audit_head, self->audit_head, sizeof saved->audit_head);
}

static void
restore (PbHub *self,
         Saved *saved)
{
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->hlc = saved->hlc;
  self->audit_seq = saved->audit_seq;
  memcpy (self->audit_head, saved->audit_head, sizeof self->audit_head);
  load_orgs (self);
}

static gboolean
commit (PbHub  *self,
        GError **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self->hlc.last);
  if (!meta_set (self, "hlc", buf))
    return sql_error (error, self->db, _("The hub database cannot be written"));
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
  sqlite3_stmt *s;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the hub's folder “%s”: %s"), data_dir, g_strerror (saved_errno));
      return NULL;
    }
  self->data_dir = g_strdup (data_dir);
  path = g_build_filename (data_dir, "hub.db", NULL);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      sql_error (error, self->db, _("Cannot open the hub database"));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    " PRAGMA cache_size = -65536", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                   _("“%s” is not a hub database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK
      && sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);

  if (version == 0)
    {
      g_autofree char *site = pb_uuid_new ();

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return NULL;
      if (sqlite3_exec (self->db, hub_schema, NULL, NULL, NULL) != SQLITE_OK
          || sqlite3_exec (self->db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK
          || !meta_set (self, "site_id", site))
        {
          sql_error (error, self->db, _("Cannot create the hub database"));
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return NULL;
        }
      if (!exec (self, "COMMIT", error))
        return NULL;
    }
  else if (version != 1)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                   _("“%s” was written by a newer hub (version %d)"), path, version);
      return NULL;
    }

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
  load_orgs (self);
  load_audit_head (self);
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
  sqlite3_stmt *s = stmt (self, "SELECT coalesce (max (seq), 0) FROM changes");
  gint64 seq = 0;

  if (sqlite3_step (s) == SQLITE_ROW)
    seq = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return seq;
}

/* ---- The log ---------------------------------------------------------------------- */

typedef struct
{
  const char *site;
  guint64     hlc;
  const char *tbl;
  const char *row;
  const char *op;
  const char *field;
  const char *value;   /* JSON text */
  const char *author;
  guint64     audience;
  const char *by;      /* account name, for the audit entry */
  const char *base;    /* JSON: the clock of the value a text edit replaced */
} Entry;

static gint64
append_entry (PbHub       *self,
              const Entry *e)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO changes (site, hlc, tbl, row_id, op, field, value, author,"
                                " audience, received_at, base) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  g_autoptr(GString) entry = g_string_new (NULL);
  g_autofree char *digest = NULL;
  gint64 seq;
  int rc;

  sqlite3_bind_text (s, 1, e->site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) e->hlc);
  sqlite3_bind_text (s, 3, e->tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, e->row, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, e->op, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, e->field, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 7, e->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 8, e->author, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 9, (sqlite3_int64) e->audience);
  sqlite3_bind_int64 (s, 10, now_ms (self));
  sqlite3_bind_text (s, 11, e->base, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return 0;
  seq = sqlite3_last_insert_rowid (self->db);

  /* The audit entry: canonical JSON, keys sorted; the value only as its digest. */
  digest = sha256_hex (e->value ? e->value : "null", -1);
  g_string_append_printf (entry, "{\"at\":%" G_GINT64_FORMAT ",\"audience\":%" G_GUINT64_FORMAT ",\"by\":",
                          now_ms (self), e->audience);
  pb_json_append_string (entry, e->by);
  g_string_append (entry, ",\"digest\":\"");
  g_string_append (entry, digest);
  g_string_append (entry, "\",\"field\":");
  if (e->field)
    pb_json_append_string (entry, e->field);
  else
    g_string_append (entry, "null");
  g_string_append_printf (entry, ",\"hlc\":%" G_GUINT64_FORMAT ",\"kind\":\"change\",\"op\":\"%s\",\"row\":",
                          e->hlc, e->op);
  pb_json_append_string (entry, e->row);
  g_string_append_printf (entry, ",\"seq\":%" G_GINT64_FORMAT ",\"site\":", seq);
  pb_json_append_string (entry, e->site);
  g_string_append (entry, ",\"tbl\":");
  pb_json_append_string (entry, e->tbl);
  g_string_append_c (entry, '}');
  if (!audit_append (self, entry->str))
    return 0;
  return seq;
}

/* ---- Row state -------------------------------------------------------------------- */

/* A field's value as a string when it is a JSON string (ids, codes), else NULL. */
static char *
field_string (PbHub      *self,
              const char *tbl,
              const char *row,
              const char *field)
{
  sqlite3_stmt *s = stmt (self, "SELECT value FROM fields WHERE tbl = ? AND row_id = ? AND field = ?");
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

typedef struct
{
  gboolean exists;
  gboolean deleted;
  guint64  audience;
} RowState;

static RowState
row_state (PbHub      *self,
           const char *tbl,
           const char *row)
{
  sqlite3_stmt *s = stmt (self, "SELECT deleted, audience FROM rows WHERE tbl = ? AND row_id = ?");
  RowState state = { FALSE, FALSE, 0 };

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

static GPtrArray *
children (PbHub      *self,
          const char *parent,
          const char *tbl)
{
  sqlite3_stmt *s = stmt (self, "SELECT f.row_id FROM refs f JOIN rows r ON r.tbl = f.tbl AND r.row_id = f.row_id"
                                " WHERE f.parent = ? AND f.tbl = ? AND NOT r.deleted");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  sqlite3_bind_text (s, 1, parent, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (s, 0)));
  sqlite3_reset (s);
  return out;
}

/* Whom a handling code lets see a row besides its organisation (the board's rule). */
static guint64
tlp_audience (PbHub      *self,
              const char *tlp)
{
  if (g_strcmp0 (tlp, "CLEAR") == 0)
    return self->known_orgs;
  if (g_strcmp0 (tlp, "GREEN") == 0)
    return self->known_orgs & ~self->partner_orgs;
  return 0;
}

static guint64
shared_with (PbHub      *self,
             const char *item)
{
  g_autoptr(GPtrArray) shares = children (self, item, "item_shares");
  guint64 mask = 0;

  for (guint i = 0; i < shares->len; i++)
    {
      g_autofree char *org = field_string (self, "item_shares", shares->pdata[i], "org");
      mask |= org_bit (self, org);
    }
  return mask;
}

static guint64
compute_audience (PbHub      *self,
                  const char *tbl,
                  const char *row)
{
  if (g_str_equal (tbl, "organisations") || g_str_equal (tbl, "people"))
    return self->known_orgs;

  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *src = field_string (self, tbl, row, "source_org");
      g_autofree char *tlp = field_string (self, tbl, row, "tlp");

      return org_bit (self, src) | tlp_audience (self, tlp) | shared_with (self, row);
    }

  if (g_str_equal (tbl, "identifiers") || g_str_equal (tbl, "item_shares"))
    {
      g_autofree char *item = field_string (self, tbl, row, "item");
      return item ? row_state (self, "items", item).audience : 0;
    }

  if (g_str_equal (tbl, "item_links"))
    {
      g_autofree char *a = field_string (self, tbl, row, "item_a");
      g_autofree char *b = field_string (self, tbl, row, "item_b");

      if (a == NULL || b == NULL)
        return 0;
      return row_state (self, "items", a).audience & row_state (self, "items", b).audience;
    }

  if (g_str_equal (tbl, "incidents"))
    {
      g_autofree char *src = field_string (self, tbl, row, "source_org");
      g_autofree char *tlp = field_string (self, tbl, row, "tlp");
      g_autofree char *item = field_string (self, tbl, row, "item");
      guint64 mask = org_bit (self, src) | tlp_audience (self, tlp);

      if (item)
        {
          g_autofree char *item_src = field_string (self, "items", item, "source_org");
          if (g_strcmp0 (item_src, src) == 0)
            mask |= shared_with (self, item);
        }
      return mask;
    }

  if (g_str_equal (tbl, "cases"))
    {
      g_autofree char *src = field_string (self, tbl, row, "source_org");
      g_autofree char *lead = field_string (self, tbl, row, "lead_org");
      g_autoptr(GPtrArray) leads = children (self, row, "case_leads");
      g_autoptr(GPtrArray) items = children (self, row, "items");
      guint64 mask = org_bit (self, src) | org_bit (self, lead);

      for (guint i = 0; i < leads->len; i++)
        {
          g_autofree char *org = field_string (self, "case_leads", leads->pdata[i], "org");
          mask |= org_bit (self, org);
        }
      for (guint i = 0; i < items->len; i++)
        mask |= row_state (self, "items", items->pdata[i]).audience;
      return mask;
    }

  if (g_str_equal (tbl, "case_leads"))
    {
      g_autofree char *c = field_string (self, tbl, row, "case_id");
      return c ? row_state (self, "cases", c).audience : 0;
    }

  if (is_meeting_table (tbl))
    return self->known_orgs & ~self->partner_orgs;

  /* What was decided on an item, and the actions, say as much as the item. */
  if (g_str_equal (tbl, "decisions") || g_str_equal (tbl, "meeting_actions"))
    {
      g_autofree char *item = field_string (self, tbl, row, "item");
      return item ? row_state (self, "items", item).audience & ~self->partner_orgs : 0;
    }

  return 0;
}

/* What one request changed in who sees what: the audience of each row before it. */
typedef struct
{
  GHashTable *before;  /* "tbl\x1frow" → Before */
  const char *by;
  guint64     notified; /* organisations told of new entries */
} Batch;

typedef struct
{
  gboolean existed;
  guint64  audience;
} Before;

static char *
row_key (const char *tbl,
         const char *row)
{
  return g_strconcat (tbl, "\x1f", row, NULL);
}

static void
remember (Batch      *batch,
          const char *tbl,
          const char *row,
          RowState    state)
{
  g_autofree char *key = row_key (tbl, row);

  if (!g_hash_table_contains (batch->before, key))
    {
      Before *b = g_new (Before, 1);
      b->existed = state.exists;
      b->audience = state.audience;
      g_hash_table_insert (batch->before, g_steal_pointer (&key), b);
    }
}

static gboolean
set_audience (PbHub      *self,
              const char *tbl,
              const char *row,
              guint64     audience)
{
  sqlite3_stmt *s = stmt (self, "UPDATE rows SET audience = ? WHERE tbl = ? AND row_id = ?");
  int rc;

  sqlite3_bind_int64 (s, 1, (sqlite3_int64) audience);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

/* Recomputes who sees a row, and then the rows whose visibility follows from it. */
static gboolean
refresh (PbHub      *self,
         Batch      *batch,
         const char *tbl,
         const char *row)
{
  RowState state = row_state (self, tbl, row);
  guint64 audience;
  static const char *item_children[] = { "identifiers", "item_shares", "incidents", "item_links", "decisions",
                                         "meeting_actions" };

  if (!state.exists)
    return TRUE;
  remember (batch, tbl, row, state);
  audience = compute_audience (self, tbl, row);
  if (audience == state.audience)
    return TRUE;
  if (!set_audience (self, tbl, row, audience))
    return FALSE;

  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *c = field_string (self, tbl, row, "case_id");

      for (guint k = 0; k < G_N_ELEMENTS (item_children); k++)
        {
          g_autoptr(GPtrArray) rows = children (self, row, item_children[k]);
          for (guint i = 0; i < rows->len; i++)
            if (!refresh (self, batch, item_children[k], rows->pdata[i]))
              return FALSE;
        }
      if (c && !refresh (self, batch, "cases", c))
        return FALSE;
    }
  else if (g_str_equal (tbl, "cases"))
    {
      g_autoptr(GPtrArray) rows = children (self, row, "case_leads");
      for (guint i = 0; i < rows->len; i++)
        if (!refresh (self, batch, "case_leads", rows->pdata[i]))
          return FALSE;
    }
  return TRUE;
}

/* The rows whose visibility a change of this row can change, besides itself. */
static gboolean
refresh_parents (PbHub      *self,
                 Batch      *batch,
                 const char *tbl,
                 const char *row,
                 const char *old_case)
{
  if (g_str_equal (tbl, "item_shares"))
    {
      g_autofree char *item = field_string (self, tbl, row, "item");
      return item == NULL || refresh (self, batch, "items", item);
    }
  if (g_str_equal (tbl, "case_leads"))
    {
      g_autofree char *c = field_string (self, tbl, row, "case_id");
      return c == NULL || refresh (self, batch, "cases", c);
    }
  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *c = field_string (self, tbl, row, "case_id");

      if (old_case && g_strcmp0 (old_case, c) != 0 && !refresh (self, batch, "cases", old_case))
        return FALSE;
      return c == NULL || refresh (self, batch, "cases", c);
    }
  return TRUE;
}

/* ---- Hits ------------------------------------------------------------------------- */

typedef struct
{
  char *kind;
  char *value;
  char *org;
} Holding;

static void
holding_clear (Holding *h)
{
  g_clear_pointer (&h->kind, g_free);
  g_clear_pointer (&h->value, g_free);
  g_clear_pointer (&h->org, g_free);
}

/* The identifier an identifiers row holds, and the organisation that holds it. */
static Holding
holding_of (PbHub      *self,
            const char *row)
{
  Holding h = { NULL, NULL, NULL };
  RowState state = row_state (self, "identifiers", row);
  g_autofree char *item = NULL;

  if (!state.exists || state.deleted)
    return h;
  item = field_string (self, "identifiers", row, "item");
  h.kind = field_string (self, "identifiers", row, "kind");
  h.value = field_string (self, "identifiers", row, "value");
  h.org = item ? field_string (self, "items", item, "source_org") : NULL;
  if (h.kind == NULL || h.value == NULL || h.org == NULL)
    holding_clear (&h);
  return h;
}

static gboolean
hit_entry (PbHub      *self,
           Batch      *batch,
           const char *op,
           const Holding *h,
           const char *holder,
           guint64     audience)
{
  g_autoptr(GString) value = g_string_new ("{\"kind\":");
  g_autofree char *row = g_strconcat (h->kind, ":", h->value, NULL);
  Entry e = { self->site_id, pb_hlc_tick (&self->hlc, now_ms (self)), "hits", row, op, holder,
              NULL, self->site_id, audience & ~self->partner_orgs, batch->by };

  if (e.audience == 0)
    return TRUE;
  pb_json_append_string (value, h->kind);
  g_string_append (value, ",\"org\":");
  pb_json_append_string (value, holder);
  g_string_append (value, ",\"value\":");
  pb_json_append_string (value, h->value);
  g_string_append_c (value, '}');
  e.value = value->str;
  batch->notified |= e.audience;
  return append_entry (self, &e) != 0;
}

/* One more (or one fewer) identifiers row of @h->org holds the identifier. When the first
 * arrives or the last goes, the other holders and the organisation are told. */
static gboolean
count_holding (PbHub         *self,
               Batch         *batch,
               const Holding *h,
               int            delta)
{
  sqlite3_stmt *s;
  gint64 n = 0;
  GPtrArray *others;
  gboolean ok = TRUE;

  if (h->org == NULL)
    return TRUE;
  s = stmt (self, "SELECT n FROM holders WHERE kind = ? AND value = ? AND org = ?");
  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  s = stmt (self, n + delta > 0
                  ? "INSERT OR REPLACE INTO holders (kind, value, org, n) VALUES (?, ?, ?, ?)"
                  : "DELETE FROM holders WHERE kind = ? AND value = ? AND org = ? AND ? IS NOT NULL");
  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 4, MAX (n + delta, 0));
  if (sqlite3_step (s) != SQLITE_DONE)
    ok = FALSE;
  sqlite3_reset (s);
  if (!ok || (n > 0 && n + delta > 0))
    return ok;

  /* The organisation starts or stops holding it: tell it and the others of each other. */
  others = g_ptr_array_new_with_free_func (g_free);
  s = stmt (self, "SELECT org FROM holders WHERE kind = ? AND value = ? AND org <> ?");
  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (others, g_strdup ((const char *) sqlite3_column_text (s, 0)));
  sqlite3_reset (s);

  {
    const char *op = delta > 0 ? "hit" : "unhit";
    guint64 others_mask = 0;

    for (guint i = 0; ok && i < others->len; i++)
      {
        others_mask |= org_bit (self, others->pdata[i]);
        ok = hit_entry (self, batch, op, h, others->pdata[i], org_bit (self, h->org));
      }
    if (ok)
      ok = hit_entry (self, batch, op, h, h->org, others_mask);
  }
  g_ptr_array_unref (others);
  return ok;
}

/* ---- Accounts --------------------------------------------------------------------- */

static const char *
default_org_kind (const char *role)
{
  if (g_strcmp0 (role, "partner") == 0)
    return "partner";
  if (g_strcmp0 (role, "chair") == 0)
    return "prosecution";
  return "police";
}

static char *
short_code (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name, " -_/", -1);
  GString *code = g_string_new (NULL);

  for (guint i = 0; words[i] && code->len < 4; i++)
    if (g_unichar_isalnum (g_utf8_get_char (words[i])) && *words[i])
      g_string_append_unichar (code, g_unichar_toupper (g_utf8_get_char (words[i])));
  if (code->len == 0)
    g_string_append (code, "ORG");
  return g_string_free (code, FALSE);
}

/* A row the hub itself writes (organisations, people), as one insert entry. */
static gboolean
hub_insert (PbHub      *self,
            Batch      *batch,
            const char *tbl,
            const char *row,
            const char *const *names,
            const char *const *values)
{
  g_autoptr(GString) json = g_string_new ("{");
  guint64 hlc = pb_hlc_tick (&self->hlc, now_ms (self));
  sqlite3_stmt *s;
  Entry e;

  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GString) v = g_string_new (NULL);

      pb_json_append_string (v, values[i]);
      if (i > 0)
        g_string_append_c (json, ',');
      pb_json_append_string (json, names[i]);
      g_string_append_c (json, ':');
      g_string_append (json, v->str);

      s = stmt (self, "INSERT OR REPLACE INTO fields (tbl, row_id, field, value, hlc, site) VALUES (?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, names[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 4, v->str, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (s, 5, (sqlite3_int64) hlc);
      sqlite3_bind_text (s, 6, self->site_id, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        return FALSE;
    }
  g_string_append_c (json, '}');

  s = stmt (self, "INSERT INTO rows (tbl, row_id, audience) VALUES (?, ?, ?)");
  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, (sqlite3_int64) self->known_orgs);
  if (sqlite3_step (s) != SQLITE_DONE)
    return FALSE;

  e = (Entry) { self->site_id, hlc, tbl, row, "insert", NULL, json->str, self->site_id,
                self->known_orgs, batch->by };
  batch->notified |= e.audience;
  return append_entry (self, &e) != 0;
}

static gboolean emit_snapshot (PbHub *self, Batch *batch, const char *tbl, const char *row, guint64 audience);

/* A new organisation sees, from the start, what is visible to everyone of its kind. */
static gboolean
welcome_org (PbHub      *self,
             Batch      *batch,
             guint64     bit)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = stmt (self, "SELECT tbl, row_id FROM rows WHERE NOT deleted AND tbl <> 'organisations'"
                                " AND tbl <> 'people'");

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 1)));
    }
  sqlite3_reset (s);
  for (guint i = 0; i < rows->len; i += 2)
    {
      RowState state = row_state (self, rows->pdata[i], rows->pdata[i + 1]);
      guint64 audience = compute_audience (self, rows->pdata[i], rows->pdata[i + 1]);

      if (audience == state.audience)
        continue;
      if (!set_audience (self, rows->pdata[i], rows->pdata[i + 1], audience))
        return FALSE;
      if ((audience & bit) && !emit_snapshot (self, batch, rows->pdata[i], rows->pdata[i + 1], bit))
        return FALSE;
    }

  /* Everyone's organisations and people, and everyone sees the new ones. */
  s = stmt (self, "SELECT tbl, row_id FROM rows WHERE tbl = 'organisations' OR tbl = 'people'");
  g_ptr_array_set_size (rows, 0);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 1)));
    }
  sqlite3_reset (s);
  for (guint i = 0; i < rows->len; i += 2)
    if (!set_audience (self, rows->pdata[i], rows->pdata[i + 1], self->known_orgs)
        || !emit_snapshot (self, batch, rows->pdata[i], rows->pdata[i + 1], bit))
      return FALSE;
  return TRUE;
}

static gboolean
valid_name (const char *s)
{
  g_autofree char *stripped = NULL;

  if (s == NULL || !g_utf8_validate (s, -1, NULL) || g_utf8_strlen (s, -1) > 200)
    return FALSE;
  stripped = g_strstrip (g_strdup (s));
  return *stripped != '\0';
}

char *
pb_hub_add_user (PbHub      *self,
                 const char *name,
                 const char *org,
                 const char *org_kind,
                 const char *role,
                 GError    **error)
{
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *person = pb_uuid_new ();
  g_autofree char *org_id = NULL;
  g_autofree char *existing_kind = NULL;
  g_autofree char *account_entry = NULL;
  Batch batch = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), "hub", 0 };
  Saved saved;
  sqlite3_stmt *s;
  gboolean ok = FALSE;

  if (!valid_name (name) || !valid_name (org))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("A user needs a name and an organisation (at most 200 characters)"));
      goto out;
    }
  if (g_strcmp0 (role, "chair") != 0 && g_strcmp0 (role, "officer") != 0
      && g_strcmp0 (role, "partner") != 0 && g_strcmp0 (role, "admin") != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Unknown role “%s”: chair, officer, partner or admin"), role ? role : "");
      goto out;
    }
  if (org_kind && g_strcmp0 (org_kind, "police") != 0 && g_strcmp0 (org_kind, "customs") != 0
      && g_strcmp0 (org_kind, "prosecution") != 0 && g_strcmp0 (org_kind, "partner") != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Unknown kind of organisation “%s”: police, customs, prosecution or partner"), org_kind);
      goto out;
    }

  save (self, &saved);
  if (!begin_write (self))
    {
      sql_error (error, self->db, _("The hub database cannot be written"));
      goto out;
    }

  s = stmt (self, "SELECT 1 FROM accounts WHERE name = ?");
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      sqlite3_reset (s);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_EXISTS, _("There is already a user “%s”"), name);
      restore (self, &saved);
      goto out;
    }
  sqlite3_reset (s);

  s = stmt (self, "SELECT id, kind FROM orgs WHERE name = ?");
  sqlite3_bind_text (s, 1, org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      org_id = g_strdup ((const char *) sqlite3_column_text (s, 0));
      existing_kind = g_strdup ((const char *) sqlite3_column_text (s, 1));
    }
  sqlite3_reset (s);

  if (existing_kind && org_kind && g_strcmp0 (existing_kind, org_kind) != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("“%s” is already an organisation of kind %s"), org, existing_kind);
      restore (self, &saved);
      goto out;
    }
  if ((g_strcmp0 (role, "partner") == 0) != (g_strcmp0 (existing_kind ? existing_kind : org_kind ? org_kind : default_org_kind (role), "partner") == 0))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Private partners are the users of partner organisations, and only they"));
      restore (self, &saved);
      goto out;
    }

  if (org_id == NULL)
    {
      const char *kind = org_kind ? org_kind : default_org_kind (role);
      g_autofree char *code = short_code (org);
      int ordinal = -1;
      guint64 bit;
      /* A colour for the organisation's badge, from the GNOME palette, by order of arrival. */
      static const char *palette[] = { "#1c71d8", "#2190a4", "#613583", "#c64600", "#26a269", "#a51d2d",
                                       "#e5a50a", "#865e3c", "#3584e4", "#9141ac" };
      const char *names[] = { "name", "short_code", "kind", "colour", NULL };
      const char *values[] = { org, code, kind, NULL, NULL };

      for (int i = 0; i < PB_HUB_MAX_ORGS; i++)
        if (!(self->known_orgs & (G_GUINT64_CONSTANT (1) << i)))
          {
            ordinal = i;
            break;
          }
      if (ordinal < 0)
        {
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                       _("A hub serves at most %d organisations"), PB_HUB_MAX_ORGS);
          restore (self, &saved);
          goto out;
        }
      values[3] = palette[ordinal % G_N_ELEMENTS (palette)];
      org_id = pb_uuid_new ();
      s = stmt (self, "INSERT INTO orgs (ordinal, id, name, kind) VALUES (?, ?, ?, ?)");
      sqlite3_bind_int (s, 1, ordinal);
      sqlite3_bind_text (s, 2, org_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, org, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 4, kind, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        {
          sql_error (error, self->db, _("Cannot add the organisation"));
          restore (self, &saved);
          goto out;
        }
      load_orgs (self);
      bit = org_bit (self, org_id);
      if (!welcome_org (self, &batch, bit)
          || !hub_insert (self, &batch, "organisations", org_id, names, values))
        {
          sql_error (error, self->db, _("Cannot add the organisation"));
          restore (self, &saved);
          goto out;
        }
    }

  {
    const char *names[] = { "name", "org", "role", NULL };
    const char *values[] = { name, org_id, role, NULL };

    token = new_secret ("pbe_");
    token_hash = sha256_hex (token, -1);
    s = stmt (self, "INSERT INTO accounts (name, person, org, role, enrol_hash, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)");
    sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text (s, 2, person, -1, SQLITE_STATIC);
    sqlite3_bind_text (s, 3, org_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (s, 4, role, -1, SQLITE_STATIC);
    sqlite3_bind_text (s, 5, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (s, 6, now_ms (self));
    if (sqlite3_step (s) != SQLITE_DONE || !hub_insert (self, &batch, "people", person, names, values))
      {
        sql_error (error, self->db, _("Cannot add the user"));
        restore (self, &saved);
        goto out;
      }
  }

  {
    g_autoptr(GString) entry = g_string_new (NULL);

    g_string_append_printf (entry, "{\"account\":");
    pb_json_append_string (entry, name);
    g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"account-added\",\"org\":",
                            now_ms (self));
    pb_json_append_string (entry, org_id);
    g_string_append (entry, ",\"person\":");
    pb_json_append_string (entry, person);
    g_string_append_printf (entry, ",\"role\":\"%s\"}", role);
    if (!audit_append (self, entry->str) || !commit (self, error))
      {
        if (error && *error == NULL)
          sql_error (error, self->db, _("Cannot add the user"));
        restore (self, &saved);
        goto out;
      }
  }
  ok = TRUE;

out:
  g_hash_table_unref (batch.before);
  return ok ? g_steal_pointer (&token) : NULL;
}

static PbHubAccount *
account_from_row (PbHub        *self,
                  sqlite3_stmt *s)
{
  PbHubAccount *a = g_new0 (PbHubAccount, 1);

  a->name = g_strdup ((const char *) sqlite3_column_text (s, 0));
  a->person = g_strdup ((const char *) sqlite3_column_text (s, 1));
  a->org = g_strdup ((const char *) sqlite3_column_text (s, 2));
  a->org_name = g_strdup ((const char *) sqlite3_column_text (s, 3));
  a->role = g_strdup ((const char *) sqlite3_column_text (s, 4));
  a->site = g_strdup ((const char *) sqlite3_column_text (s, 5));
  a->created_at = sqlite3_column_int64 (s, 6);
  a->enrolled_at = sqlite3_column_int64 (s, 7);
  a->revoked_at = sqlite3_column_int64 (s, 8);
  a->org_bit = org_bit (self, a->org);
  return a;
}

#define ACCOUNT_COLUMNS \
  "a.name, a.person, a.org, o.name, a.role, a.site, a.created_at, a.enrolled_at, a.revoked_at" \
  " FROM accounts a JOIN orgs o ON o.id = a.org"

GPtrArray *
pb_hub_list_users (PbHub   *self,
                   GError **error)
{
  sqlite3_stmt *s = stmt (self, "SELECT " ACCOUNT_COLUMNS " ORDER BY o.name, a.name");
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_hub_account_free);

  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (out, account_from_row (self, s));
  sqlite3_reset (s);
  return out;
}

gboolean
pb_hub_revoke_user (PbHub      *self,
                    const char *name,
                    GError    **error)
{
  sqlite3_stmt *s;
  Saved saved;
  g_autoptr(GString) entry = g_string_new ("{\"account\":");

  save (self, &saved);
  if (!begin_write (self))
    return sql_error (error, self->db, _("The hub database cannot be written"));
  s = stmt (self, "UPDATE accounts SET revoked_at = ?, enrol_hash = NULL WHERE name = ? AND revoked_at IS NULL");
  sqlite3_bind_int64 (s, 1, now_ms (self));
  sqlite3_bind_text (s, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) != SQLITE_DONE || sqlite3_changes (self->db) != 1)
    {
      sqlite3_reset (s);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND,
                   _("There is no user “%s”, or they were already revoked"), name);
      restore (self, &saved);
      return FALSE;
    }
  sqlite3_reset (s);
  pb_json_append_string (entry, name);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"account-revoked\"}", now_ms (self));
  if (!audit_append (self, entry->str) || !commit (self, error))
    {
      restore (self, &saved);
      return sql_error (error, self->db, _("Cannot revoke the user"));
    }
  return TRUE;
}

PbHubAccount *
pb_hub_authenticate (PbHub      *self,
                     const char *credential)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *s;
  PbHubAccount *account = NULL;

  if (credential == NULL || !g_str_has_prefix (credential, "pbc_") || strlen (credential) > 100)
    return NULL;
  reload_if_changed (self);
  hash = sha256_hex (credential, -1);
  s = stmt (self, "SELECT " ACCOUNT_COLUMNS " WHERE a.credential_hash = ? AND a.revoked_at IS NULL");
  sqlite3_bind_text (s, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    account = account_from_row (self, s);
  sqlite3_reset (s);
  return account;
}

/* ---- Requests --------------------------------------------------------------------- */

static char *
error_reply (const char *code,
             const char *message)
{
  GString *out = g_string_new ("{\"error\":");

  pb_json_append_string (out, code);
  g_string_append (out, ",\"message\":");
  pb_json_append_string (out, message);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static guint
fail (char      **reply,
      guint       status,
      const char *code,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static guint
fail (char      **reply,
      guint       status,
      const char *code,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  *reply = error_reply (code, message);
  return status;
}

/* A JSON object from a request body, with only the members named. */
static JsonObject *
parse_object (const char  *body,
              gsize        length,
              const char  *const *allowed,
              char       **reply,
              guint       *status)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *member;

  if (!g_utf8_validate (body, (gssize) length, NULL)
      || !json_parser_load_from_data (parser, body, (gssize) length, &error))
    {
      *status = fail (reply, 400, "malformed", _("The request is not valid JSON: %s"),
                      error ? error->message : _("not UTF-8"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *status = fail (reply, 400, "malformed", _("The request must be a JSON object"));
      return NULL;
    }
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      {
        *status = fail (reply, 400, "unknown_field", _("Unknown field “%s” in the request"), member);
        return NULL;
      }
  return json_object_ref (json_node_get_object (root));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

guint
pb_hub_enrol (PbHub      *self,
              const char *body,
              gsize       length,
              char      **reply)
{
  static const char *const allowed[] = { "token", "site", NULL };
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *credential_hash = NULL;
  g_autoptr(PbHubAccount) account = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) entry = NULL;
  const char *token, *site;
  guint status = 200;
  sqlite3_stmt *s;
  Saved saved;

  request = parse_object (body, length, allowed, reply, &status);
  if (request == NULL)
    return status;
  token = member_string (request, "token");
  site = member_string (request, "site");
  if (token == NULL || site == NULL)
    return fail (reply, 400, "invalid", _("Enrolment needs “token” and “site”, both strings"));
  if (!pb_uuid_is_valid (site))
    return fail (reply, 400, "invalid", _("“site” must be a UUID"));

  hash = sha256_hex (token, -1);
  s = stmt (self, "SELECT " ACCOUNT_COLUMNS " WHERE a.enrol_hash = ? AND a.revoked_at IS NULL");
  sqlite3_bind_text (s, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    account = account_from_row (self, s);
  sqlite3_reset (s);
  if (account == NULL)
    return fail (reply, 401, "bad_token", _("This enrolment token is not valid: it is wrong, used or revoked"));

  credential = new_secret ("pbc_");
  credential_hash = sha256_hex (credential, -1);
  save (self, &saved);
  if (!begin_write (self))
    return fail (reply, 503, "busy", _("The hub is busy; try again"));
  s = stmt (self, "UPDATE accounts SET enrol_hash = NULL, credential_hash = ?, site = ?, enrolled_at = ?"
                  " WHERE name = ?");
  sqlite3_bind_text (s, 1, credential_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, now_ms (self));
  sqlite3_bind_text (s, 4, account->name, -1, SQLITE_STATIC);
  entry = g_string_new ("{\"account\":");
  pb_json_append_string (entry, account->name);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"enrolled\",\"site\":", now_ms (self));
  pb_json_append_string (entry, site);
  g_string_append_c (entry, '}');
  if (sqlite3_step (s) != SQLITE_DONE || !audit_append (self, entry->str) || !commit (self, NULL))
    {
      sqlite3_reset (s);
      restore (self, &saved);
      return fail (reply, 500, "failed", _("The hub could not record the enrolment"));
    }
  sqlite3_reset (s);

  out = g_string_new ("{\"credential\":");
  pb_json_append_string (out, credential);
  g_string_append (out, ",\"account\":");
  pb_json_append_string (out, account->name);
  g_string_append (out, ",\"person\":");
  pb_json_append_string (out, account->person);
  g_string_append (out, ",\"org\":");
  pb_json_append_string (out, account->org);
  g_string_append (out, ",\"org_name\":");
  pb_json_append_string (out, account->org_name);
  g_string_append (out, ",\"role\":");
  pb_json_append_string (out, account->role);
  g_string_append (out, ",\"hub_site\":");
  pb_json_append_string (out, self->site_id);
  g_string_append_printf (out, ",\"protocol\":%d}", PB_HUB_PROTOCOL);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return 200;
}

static gboolean
is_fixed (const char *tbl,
          const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixed_fields); i++)
    if (g_str_equal (fixed_fields[i].tbl, tbl) && g_str_equal (fixed_fields[i].field, field))
      return TRUE;
  return FALSE;
}

static gboolean
is_reference (const char *tbl,
              const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    if (g_str_equal (references[i].tbl, tbl) && g_str_equal (references[i].field, field))
      return TRUE;
  return FALSE;
}

static const char *
reference_table (const char *tbl,
                 const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    if (g_str_equal (references[i].tbl, tbl) && g_str_equal (references[i].field, field))
      return references[i].parent;
  return "items";
}

/* Checks a field's value against the schema; NULL if it is fine, else why not. */
static char *
check_value (PbHub             *self,
             const PbTableInfo *table,
             const char        *field,
             JsonNode          *node)
{
  int index = pb_schema_column_index (table, field);
  const PbColumn *column;
  GType type;

  if (index < 0 || g_str_equal (field, "id"))
    return g_strdup_printf (_("“%s” has no field “%s”"), table->name, field);
  column = &table->columns[index];
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return g_strdup_printf (_("“%s” must be a plain value"), field);
  type = json_node_get_value_type (node);
  switch (column->type)
    {
    case PB_COLUMN_TEXT:
      if (type != G_TYPE_STRING)
        return g_strdup_printf (_("“%s” must be text"), field);
      if (strlen (json_node_get_string (node)) > 1024 * 1024)
        return g_strdup_printf (_("“%s” is longer than 1 MiB"), field);
      if ((g_str_equal (field, "tlp"))
          && !g_strv_contains ((const char *const[]) { "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL },
                               json_node_get_string (node)))
        return g_strdup_printf (_("“%s” is not a handling code"), json_node_get_string (node));
      if ((is_reference (table->name, field) || g_str_equal (field, "org") || g_str_equal (field, "source_org")
           || g_str_equal (field, "lead_org") || g_str_equal (field, "author") || g_str_equal (field, "decided_by")
           || g_str_equal (field, "owner_org") || g_str_equal (field, "item_org") || g_str_equal (field, "chair"))
          && !pb_uuid_is_valid (json_node_get_string (node)))
        return g_strdup_printf (_("“%s” must be a UUID"), field);
      if ((g_str_equal (field, "org") || g_str_equal (field, "source_org") || g_str_equal (field, "lead_org")
           || g_str_equal (field, "owner_org") || g_str_equal (field, "item_org"))
          && org_bit (self, json_node_get_string (node)) == 0)
        return g_strdup_printf (_("“%s” is not an organisation of this hub"), json_node_get_string (node));
      return NULL;
    case PB_COLUMN_INTEGER:
      return type == G_TYPE_INT64 ? NULL : g_strdup_printf (_("“%s” must be an integer"), field);
    case PB_COLUMN_REAL:
      return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE
             ? NULL : g_strdup_printf (_("“%s” must be a number"), field);
    default:
      g_assert_not_reached ();
    }
}

/* A value as JSON text; strings, the most of them, without json-glib's generator. */
static char *
node_to_json (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      GString *out = g_string_new (NULL);
      pb_json_append_string (out, json_node_get_string (node));
      return g_string_free (out, FALSE);
    }
  return json_to_string (node, FALSE);
}

static gboolean
set_field (PbHub      *self,
           const char *tbl,
           const char *row,
           const char *field,
           const char *value,
           guint64     hlc,
           const char *site)
{
  sqlite3_stmt *s = stmt (self, "INSERT INTO fields (tbl, row_id, field, value, hlc, site) VALUES (?, ?, ?, ?, ?, ?)"
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
  if (rc != SQLITE_DONE)
    return FALSE;

  if (is_reference (tbl, field))
    {
      g_autofree char *parent = field_string (self, tbl, row, field);

      s = stmt (self, "DELETE FROM refs WHERE tbl = ? AND row_id = ? AND parent <> ?");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, parent ? parent : "", -1, SQLITE_STATIC);
      if (g_str_equal (tbl, "item_links"))
        ; /* both ends are kept */
      else if (sqlite3_step (s) != SQLITE_DONE)
        return FALSE;
      sqlite3_reset (s);
      if (parent)
        {
          s = stmt (self, "INSERT OR IGNORE INTO refs (parent, tbl, row_id) VALUES (?, ?, ?)");
          sqlite3_bind_text (s, 1, parent, -1, SQLITE_STATIC);
          sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
          sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
          rc = sqlite3_step (s);
          sqlite3_reset (s);
          if (rc != SQLITE_DONE)
            return FALSE;
        }
    }
  return TRUE;
}

/* Applies one change of a push; FALSE with *status and *reply set if it is refused. */
static gboolean
apply_change (PbHub              *self,
              Batch              *batch,
              const PbHubAccount *account,
              JsonNode           *node,
              guint               index,
              gboolean           *duplicate,
              char              **rejected,
              char              **reply,
              guint              *status)
{
  static const char *const allowed[] = { "site", "hlc", "tbl", "row", "op", "field", "value", "author", "base", NULL };
  JsonObject *change;
  JsonObjectIter iter;
  const char *member, *tbl, *row, *op, *site, *field, *author;
  const PbTableInfo *table;
  JsonNode *hlc_node, *value, *base;
  g_autofree char *base_json = NULL;
  guint64 hlc;
  RowState state;
  g_autofree char *old_case = NULL;
  g_autofree char *value_json = NULL;
  Holding before_holding = { NULL, NULL, NULL }, after_holding = { NULL, NULL, NULL };
  gboolean ok = FALSE;
  sqlite3_stmt *s;

  *duplicate = FALSE;
  *rejected = NULL;
#define REFUSE(st, code, ...) G_STMT_START { *status = fail (reply, st, code, __VA_ARGS__); goto out; } G_STMT_END
  /* A row the writer no longer sees (it was unshared while they worked offline) refuses
   * that change alone: the rest of the batch goes on, or the outbox would be stuck. */
#define NOT_THERE(...) G_STMT_START { *rejected = g_strdup_printf (__VA_ARGS__); ok = TRUE; goto out; } G_STMT_END

  if (!JSON_NODE_HOLDS_OBJECT (node))
    REFUSE (400, "invalid", _("Change %u is not an object"), index);
  change = json_node_get_object (node);
  json_object_iter_init (&iter, change);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_strv_contains (allowed, member))
      REFUSE (400, "unknown_field", _("Change %u has an unknown field “%s”"), index, member);

  site = member_string (change, "site");
  tbl = member_string (change, "tbl");
  row = member_string (change, "row");
  op = member_string (change, "op");
  author = member_string (change, "author");
  hlc_node = json_object_get_member (change, "hlc");
  if (site == NULL || tbl == NULL || row == NULL || op == NULL || author == NULL || hlc_node == NULL
      || !JSON_NODE_HOLDS_VALUE (hlc_node) || json_node_get_value_type (hlc_node) != G_TYPE_INT64
      || json_node_get_int (hlc_node) <= 0)
    REFUSE (400, "invalid", _("Change %u needs site, hlc (a positive integer), tbl, row, op and author"), index);
  hlc = (guint64) json_node_get_int (hlc_node);

  if (g_strcmp0 (site, account->site) != 0)
    REFUSE (403, "wrong_site", _("Change %u comes from site %s, but this account is enrolled on %s"),
            index, site, account->site);
  if (g_strcmp0 (author, account->person) != 0)
    REFUSE (403, "wrong_author", _("Change %u is signed by someone other than this account"), index);

  /* Replayed: accepted before, nothing to do. */
  s = stmt (self, "SELECT 1 FROM changes WHERE site = ? AND hlc = ?");
  sqlite3_bind_text (s, 1, site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) hlc);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      sqlite3_reset (s);
      *duplicate = TRUE;
      return TRUE;
    }
  sqlite3_reset (s);

  if (pb_hlc_wall_ms (hlc) > now_ms (self) + PB_HUB_MAX_FUTURE_MS)
    REFUSE (409, "clock_ahead",
            _("Change %u is stamped %lld s in the future; the device's clock is wrong"),
            index, (long long) ((pb_hlc_wall_ms (hlc) - now_ms (self)) / 1000));

  table = pb_schema_table_lookup (tbl);
  if (table == NULL || g_str_equal (tbl, "organisations") || g_str_equal (tbl, "people"))
    REFUSE (400, "invalid", _("Change %u: “%s” is not a table clients write"), index, tbl);
  if (!pb_uuid_is_valid (row))
    REFUSE (400, "invalid", _("Change %u: the row id is not a UUID"), index);

  field = member_string (change, "field");
  value = json_object_get_member (change, "value");
  state = row_state (self, tbl, row);

  /* A text edit may say which value it replaced, for clients to find concurrent edits. */
  base = json_object_get_member (change, "base");
  if (base)
    {
      JsonObject *b = JSON_NODE_HOLDS_OBJECT (base) ? json_node_get_object (base) : NULL;
      JsonNode *bh = b ? json_object_get_member (b, "hlc") : NULL;

      if (!g_str_equal (op, "update") || b == NULL || json_object_get_size (b) != 2 || bh == NULL
          || !JSON_NODE_HOLDS_VALUE (bh) || json_node_get_value_type (bh) != G_TYPE_INT64
          || member_string (b, "site") == NULL || !pb_uuid_is_valid (member_string (b, "site")))
        REFUSE (400, "invalid", _("Change %u: “base” is {\"hlc\": integer, \"site\": UUID}, on updates only"), index);
      base_json = node_to_json (base);
    }

  /* Only the chair runs a meeting; a participant says that their own organisation is
   * connected, and the organisation that owns an action marks it done. */
  if ((is_meeting_table (tbl) || g_str_equal (tbl, "decisions") || g_str_equal (tbl, "meeting_actions"))
      && g_strcmp0 (account->role, "chair") != 0)
    {
      gboolean own = FALSE;

      if (g_str_equal (tbl, "meeting_attendance"))
        {
          g_autofree char *org = state.exists ? field_string (self, tbl, row, "org") : NULL;
          JsonObject *values = value && JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;

          if (g_str_equal (op, "insert") && values)
            {
              JsonNode *in_room = json_object_get_member (values, "in_room");
              JsonNode *names = json_object_get_member (values, "names");

              own = g_strcmp0 (member_string (values, "org"), account->org) == 0
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
          g_autofree char *owner = field_string (self, tbl, row, "owner_org");
          own = g_strcmp0 (owner, account->org) == 0 && g_strcmp0 (field, "done_at") == 0;
        }
      if (!own)
        REFUSE (403, "forbidden", _("Change %u: only the chair of the consultation runs a meeting"), index);
    }

  if (g_str_equal (op, "insert"))
    {
      JsonObject *values;

      if (json_object_has_member (change, "field") || value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        REFUSE (400, "invalid", _("Change %u: an insert has “value”, an object of fields, and no “field”"), index);
      if (state.exists && !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
      values = json_node_get_object (value);
      json_object_iter_init (&iter, values);
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *why = check_value (self, table, member, node);
          if (why)
            REFUSE (400, "invalid", _("Change %u: %s"), index, why);
        }
      /* What makes a row visible is what its writer may set: their own organisation as
       * its source, and only parents they see. */
      if (json_object_has_member (values, "source_org")
          && g_strcmp0 (member_string (values, "source_org"), account->org) != 0)
        REFUSE (403, "forbidden", _("Change %u: rows are written in the name of your own organisation"), index);
      if ((g_str_equal (tbl, "items") || g_str_equal (tbl, "incidents"))
          && member_string (values, "source_org") == NULL)
        REFUSE (400, "invalid", _("Change %u: a new row of %s needs source_org"), index, tbl);
      if (g_str_equal (tbl, "items") && member_string (values, "tlp") == NULL)
        REFUSE (400, "invalid", _("Change %u: a new item needs a handling code"), index);
      for (guint i = 0; i < G_N_ELEMENTS (references); i++)
        if (g_str_equal (references[i].tbl, tbl) && member_string (values, references[i].field))
          {
            const char *parent = member_string (values, references[i].field);
            RowState p = row_state (self, references[i].parent, parent);

            if (!p.exists || p.deleted || !(p.audience & account->org_bit))
              NOT_THERE (_("Change %u: %s %s is not there"), index, references[i].field, parent);
          }
      if ((g_str_equal (tbl, "identifiers") || g_str_equal (tbl, "item_shares"))
          && member_string (values, "item") == NULL)
        REFUSE (400, "invalid", _("Change %u: a new row of %s needs its item"), index, tbl);
    }
  else if (g_str_equal (op, "update"))
    {
      g_autofree char *why = NULL;

      if (field == NULL || value == NULL)
        REFUSE (400, "invalid", _("Change %u: an update has “field” and “value”"), index);
      if (!state.exists || !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
      why = check_value (self, table, field, value);
      if (why)
        REFUSE (400, "invalid", _("Change %u: %s"), index, why);
      if (is_fixed (tbl, field))
        REFUSE (403, "forbidden", _("Change %u: “%s” cannot be changed once written"), index, field);
      if (is_reference (tbl, field) && JSON_NODE_HOLDS_VALUE (value))
        {
          RowState p = row_state (self, reference_table (tbl, field), json_node_get_string (value));
          if (!p.exists || p.deleted || !(p.audience & account->org_bit))
            NOT_THERE (_("Change %u: %s %s is not there"), index, field, json_node_get_string (value));
        }
    }
  else if (g_str_equal (op, "delete"))
    {
      if (json_object_has_member (change, "field") || json_object_has_member (change, "value"))
        REFUSE (400, "invalid", _("Change %u: a delete has no “field” or “value”"), index);
      if (!state.exists || !(state.audience & account->org_bit))
        NOT_THERE (_("Change %u: row %s is not there"), index, row);
    }
  else
    REFUSE (400, "invalid", _("Change %u: “op” is insert, update or delete"), index);

  /* Accepted: merge it. */
  remember (batch, tbl, row, state);
  if (g_str_equal (tbl, "items"))
    old_case = field_string (self, tbl, row, "case_id");
  if (g_str_equal (tbl, "identifiers"))
    before_holding = holding_of (self, row);

  if (!state.exists)
    {
      s = stmt (self, "INSERT INTO rows (tbl, row_id) VALUES (?, ?)");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        REFUSE (500, "failed", _("The hub could not store change %u"), index);
    }

  if (g_str_equal (op, "insert"))
    {
      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *json = node_to_json (node);
          if (!set_field (self, tbl, row, member, json, hlc, site))
            REFUSE (500, "failed", _("The hub could not store change %u"), index);
        }
    }
  else if (g_str_equal (op, "update"))
    {
      g_autofree char *json = node_to_json (value);
      if (!state.deleted && !set_field (self, tbl, row, field, json, hlc, site))
        REFUSE (500, "failed", _("The hub could not store change %u"), index);
    }
  else
    {
      s = stmt (self, "UPDATE rows SET deleted = 1 WHERE tbl = ? AND row_id = ?");
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        REFUSE (500, "failed", _("The hub could not store change %u"), index);
    }

  if (!refresh (self, batch, tbl, row) || !refresh_parents (self, batch, tbl, row, old_case))
    REFUSE (500, "failed", _("The hub could not store change %u"), index);

  if (g_str_equal (tbl, "identifiers"))
    {
      after_holding = holding_of (self, row);
      if (g_strcmp0 (before_holding.kind, after_holding.kind) != 0
          || g_strcmp0 (before_holding.value, after_holding.value) != 0
          || g_strcmp0 (before_holding.org, after_holding.org) != 0)
        if (!count_holding (self, batch, &before_holding, -1)
            || !count_holding (self, batch, &after_holding, +1))
          REFUSE (500, "failed", _("The hub could not store change %u"), index);
    }

  {
    RowState now = row_state (self, tbl, row);
    Entry e = { site, hlc, tbl, row, op, field, NULL, author, now.audience, account->name, base_json };

    if (value)
      value_json = node_to_json (value);
    e.value = value_json;
    batch->notified |= e.audience;
    if (append_entry (self, &e) == 0)
      REFUSE (500, "failed", _("The hub could not store change %u"), index);
  }
  ok = TRUE;

out:
  holding_clear (&before_holding);
  holding_clear (&after_holding);
  return ok;
#undef REFUSE
#undef NOT_THERE
}

/* The current state of a row, for an organisation that starts to see it. */
static gboolean
emit_snapshot (PbHub      *self,
               Batch      *batch,
               const char *tbl,
               const char *row,
               guint64     audience)
{
  sqlite3_stmt *s = stmt (self, "SELECT field, value, hlc, site FROM fields WHERE tbl = ? AND row_id = ?"
                                " ORDER BY field");
  g_autoptr(GString) json = g_string_new ("{");
  Entry e;

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

  e = (Entry) { self->site_id, pb_hlc_tick (&self->hlc, now_ms (self)), tbl, row, "snapshot", NULL,
                json->str, self->site_id, audience, batch->by };
  batch->notified |= audience;
  return append_entry (self, &e) != 0;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
finish_batch (PbHub *self,
              Batch *batch)
{
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  /* In a fixed order, so that two hubs given the same pushes write the same log. */
  g_hash_table_iter_init (&iter, batch->before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys->pdata[i], "\x1f", 2);
      Before *before;
      RowState now = row_state (self, parts[0], parts[1]);
      guint64 gained, lost;

      value = g_hash_table_lookup (batch->before, keys->pdata[i]);
      before = value;
      if (!before->existed)
        continue;
      gained = now.audience & ~before->audience;
      lost = before->audience & ~now.audience;
      if (gained && !now.deleted && !emit_snapshot (self, batch, parts[0], parts[1], gained))
        return FALSE;
      if (lost)
        {
          Entry e = { self->site_id, pb_hlc_tick (&self->hlc, now_ms (self)), parts[0], parts[1], "revoke",
                      NULL, NULL, self->site_id, lost, batch->by };
          batch->notified |= lost;
          if (append_entry (self, &e) == 0)
            return FALSE;
        }
    }
  return TRUE;
}

guint
pb_hub_push (PbHub              *self,
             const PbHubAccount *account,
             const char         *body,
             gsize               length,
             guint64            *audience,
             char              **reply)
{
  static const char *const allowed[] = { "changes", NULL };
  g_autoptr(JsonObject) request = NULL;
  JsonNode *changes;
  JsonArray *array;
  guint status = 200, accepted = 0, duplicates = 0;
  g_autoptr(GString) rejected = g_string_new (NULL);
  Batch batch = { NULL, NULL, 0 };
  Saved saved;
  gint64 first_seq, last_seq;

  *audience = 0;
  if (g_strcmp0 (account->role, "partner") == 0)
    return fail (reply, 403, "read_only", _("Private partners have read-only access: the hub accepts no changes from them"));
  if (g_strcmp0 (account->role, "admin") == 0)
    return fail (reply, 403, "read_only", _("Administrators manage accounts; they do not write shared data"));

  request = parse_object (body, length, allowed, reply, &status);
  if (request == NULL)
    return status;
  changes = json_object_get_member (request, "changes");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return fail (reply, 400, "invalid", _("“changes” must be an array"));
  array = json_node_get_array (changes);
  if (json_array_get_length (array) > PB_HUB_MAX_BATCH)
    return fail (reply, 413, "too_many", _("At most %d changes a push"), PB_HUB_MAX_BATCH);

  save (self, &saved);
  if (!begin_write (self))
    return fail (reply, 503, "busy", _("The hub is busy; try again"));
  first_seq = pb_hub_last_seq (self);
  batch.before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  batch.by = account->name;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gboolean duplicate;
      g_autofree char *why = NULL;

      if (!apply_change (self, &batch, account, json_array_get_element (array, i), i, &duplicate, &why,
                         reply, &status))
        {
          restore (self, &saved);
          g_hash_table_unref (batch.before);
          return status;
        }
      if (why)
        {
          g_autoptr(GString) entry = g_string_new (NULL);

          g_string_append_printf (rejected, "%s{\"index\":%u,\"error\":\"not_found\",\"message\":",
                                  rejected->len ? "," : "", i);
          pb_json_append_string (rejected, why);
          g_string_append_c (rejected, '}');
          g_string_append_printf (entry, "{\"at\":%" G_GINT64_FORMAT ",\"by\":", now_ms (self));
          pb_json_append_string (entry, account->name);
          g_string_append_printf (entry, ",\"index\":%u,\"kind\":\"rejected\",\"reason\":", i);
          pb_json_append_string (entry, why);
          g_string_append_c (entry, '}');
          if (!audit_append (self, entry->str))
            {
              restore (self, &saved);
              g_hash_table_unref (batch.before);
              return fail (reply, 500, "failed", _("The hub could not store the changes"));
            }
        }
      else if (duplicate)
        duplicates++;
      else
        accepted++;
    }
  if (!finish_batch (self, &batch) || !commit (self, NULL))
    {
      restore (self, &saved);
      g_hash_table_unref (batch.before);
      return fail (reply, 500, "failed", _("The hub could not store the changes"));
    }
  g_hash_table_unref (batch.before);

  last_seq = pb_hub_last_seq (self);
  *audience = batch.notified;
  *reply = g_strdup_printf ("{\"accepted\":%u,\"duplicates\":%u,\"rejected\":[%s],\"first_seq\":%" G_GINT64_FORMAT
                            ",\"last_seq\":%" G_GINT64_FORMAT ",\"hub_hlc\":%" G_GUINT64_FORMAT
                            ",\"audit\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}",
                            accepted, duplicates, rejected->str, last_seq > first_seq ? first_seq + 1 : 0, last_seq,
                            self->hlc.last, self->audit_seq, self->audit_head);
  return 200;
}

static gboolean
parse_count (const char *text,
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

/* A pulled change as an object (the default form of a pull). */
static void
append_change_object (GString      *out,
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
static void
append_change_row (GString      *out,
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

guint
pb_hub_pull (PbHub              *self,
             const PbHubAccount *account,
             const char         *since_text,
             const char         *limit_text,
             const char         *form,
             char              **reply)
{
  sqlite3_stmt *s;
  gboolean rows = g_strcmp0 (form, "rows") == 0;
  g_autoptr(GString) out = g_string_new (rows ? "{\"columns\":" PB_SYNC_PULL_COLUMNS ",\"rows\":["
                                              : "{\"changes\":[");
  g_autoptr(GString) seqs = g_string_new (NULL);
  gint64 since, limit, last = 0, scanned_to, head = pb_hub_last_seq (self);
  guint n = 0;
  gboolean more = FALSE;

  if (!parse_count (since_text, 0, G_MAXINT64, &since))
    return fail (reply, 400, "invalid", _("“since” must be a sequence number"));
  if (!parse_count (limit_text, 1000, PB_HUB_MAX_PAGE, &limit) || limit == 0)
    return fail (reply, 400, "invalid", _("“limit” must be a number from 1 to %d"), PB_HUB_MAX_PAGE);
  if (form != NULL && !rows && !g_str_equal (form, "objects"))
    return fail (reply, 400, "invalid", _("“form” must be “objects” or “rows”"));

  /* An entry goes to the organisations it was written for, and of those only to the ones
   * that still see the row: a row revoked since is not sent again. */
  s = stmt (self, "SELECT c.seq, c.site, c.hlc, c.tbl, c.row_id, c.op, c.field, c.value, c.author, c.base"
                  " FROM changes c LEFT JOIN rows r ON r.tbl = c.tbl AND r.row_id = c.row_id"
                  " WHERE c.seq > ?1 AND (c.audience & ?2) <> 0"
                  "  AND (c.op = 'revoke' OR c.op = 'hit' OR c.op = 'unhit' OR (r.audience & ?2) <> 0)"
                  " ORDER BY c.seq LIMIT ?3");
  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) account->org_bit);
  sqlite3_bind_int64 (s, 3, limit + 1);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if ((gint64) n == limit)
        {
          more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (s, 0);
      if (n > 0)
        g_string_append_c (out, ',');
      if (rows)
        append_change_row (out, s);
      else
        append_change_object (out, s);
      g_string_append_printf (seqs, "%" G_GINT64_FORMAT ",", last);
      n++;
    }
  sqlite3_reset (s);
  /* Without more to send, the client may skip to the head: what lies between is not for it. */
  scanned_to = more ? last : head;

  if (n > 0)
    {
      g_autofree char *digest = sha256_hex (seqs->str, (gssize) seqs->len);
      g_autoptr(GString) entry = g_string_new ("{\"account\":");
      Saved saved;

      pb_json_append_string (entry, account->name);
      g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"count\":%u,\"from\":%" G_GINT64_FORMAT
                              ",\"kind\":\"delivery\",\"seqs\":\"%s\",\"to\":%" G_GINT64_FORMAT "}",
                              now_ms (self), n, since + 1, digest, last);
      save (self, &saved);
      if (!begin_write (self)
          || !audit_append (self, entry->str) || !commit (self, NULL))
        {
          restore (self, &saved);
          return fail (reply, 503, "busy", _("The hub could not record the delivery; try again"));
        }
    }

  g_string_append_printf (out, "],\"next\":%" G_GINT64_FORMAT ",\"more\":%s,\"hub_hlc\":%" G_GUINT64_FORMAT
                          ",\"hub_time\":%" G_GINT64_FORMAT ",\"audit\":{\"seq\":%" G_GINT64_FORMAT
                          ",\"hash\":\"%s\"}}",
                          MAX (scanned_to, since), more ? "true" : "false", self->hlc.last, now_ms (self),
                          self->audit_seq, self->audit_head);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return 200;
}

/* The leaf digests after a chain position, so that a client holding an earlier head can
 * check that the new head extends it, without learning what the entries say. */
guint
pb_hub_audit_links (PbHub              *self,
                    const PbHubAccount *account,
                    const char         *after_text,
                    char              **reply)
{
  sqlite3_stmt *s;
  g_autoptr(GString) out = g_string_new ("{\"from\":");
  gint64 after, to;
  guint n = 0;

  if (!parse_count (after_text, 0, G_MAXINT64, &after))
    return fail (reply, 400, "invalid", _("“after” must be a chain position"));
  to = MIN (self->audit_seq, after + 10000);
  s = stmt (self, "SELECT hash FROM audit WHERE seq = ?");
  sqlite3_bind_int64 (s, 1, after);
  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"", after);
  if (after == 0)
    g_string_append (out, "0000000000000000000000000000000000000000000000000000000000000000");
  else if (sqlite3_step (s) == SQLITE_ROW)
    g_string_append (out, (const char *) sqlite3_column_text (s, 0));
  else
    {
      sqlite3_reset (s);
      return fail (reply, 404, "not_found", _("The audit chain has no position %lld"), (long long) after);
    }
  sqlite3_reset (s);
  g_string_append (out, "\"},\"leaves\":[");
  s = stmt (self, "SELECT leaf FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq");
  sqlite3_bind_int64 (s, 1, after);
  sqlite3_bind_int64 (s, 2, to);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (out, "%s\"%s\"", n++ ? "," : "", sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  s = stmt (self, "SELECT hash FROM audit WHERE seq = ?");
  sqlite3_bind_int64 (s, 1, to);
  g_string_append_printf (out, "],\"to\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}", to,
                          to == 0 ? "0000000000000000000000000000000000000000000000000000000000000000"
                          : sqlite3_step (s) == SQLITE_ROW ? (const char *) sqlite3_column_text (s, 0) : "");
  sqlite3_reset (s);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return 200;
}

char *
pb_hub_health (PbHub *self)
{
  return g_strdup_printf ("{\"status\":\"ok\",\"protocol\":%d,\"hub_time\":%" G_GINT64_FORMAT
                          ",\"last_seq\":%" G_GINT64_FORMAT ",\"audit\":{\"seq\":%" G_GINT64_FORMAT
                          ",\"hash\":\"%s\"}}",
                          PB_HUB_PROTOCOL, now_ms (self), pb_hub_last_seq (self), self->audit_seq,
                          self->audit_head);
}

gboolean
pb_hub_verify_audit (PbHub   *self,
                     gint64  *n_entries,
                     gint64  *first_bad,
                     GError **error)
{
  g_autoptr(sqlite3_stmt) s = NULL;
  char prev[65];
  gint64 expected = 1;

  memset (prev, '0', 64);
  prev[64] = '\0';
  *n_entries = 0;
  *first_bad = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT seq, entry, leaf, hash FROM audit ORDER BY seq", -1, &s, NULL) != SQLITE_OK)
    return sql_error (error, self->db, _("Cannot read the audit log"));
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (s, 0);
      const char *entry = (const char *) sqlite3_column_text (s, 1);
      const char *leaf = (const char *) sqlite3_column_text (s, 2);
      const char *hash = (const char *) sqlite3_column_text (s, 3);
      g_autofree char *real_leaf = sha256_hex (entry ? entry : "", -1);
      g_autofree char *real_hash = NULL;

      if (seq != expected || leaf == NULL || hash == NULL || strlen (leaf) != 64 || strlen (hash) != 64
          || strcmp (real_leaf, leaf) != 0)
        {
          *first_bad = expected;
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                       seq != expected ? _("Audit entry %lld is missing")
                                       : _("Audit entry %lld was altered"), (long long) expected);
          return FALSE;
        }
      real_hash = chain_hash (prev, leaf);
      if (strcmp (real_hash, hash) != 0)
        {
          *first_bad = seq;
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                       _("Audit entry %lld does not follow from the one before"), (long long) seq);
          return FALSE;
        }
      memcpy (prev, hash, 65);
      expected++;
      (*n_entries)++;
    }
  return TRUE;
}
