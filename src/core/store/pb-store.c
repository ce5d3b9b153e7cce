/* pb-store.c: the local Portboard database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening (a file that is not ours is refused and left alone), the local state (site,
 * clock), who acts, and transactions: what a transaction wrote is announced when it is
 * committed (PbStore::rows-changed). One write path (pb-store-write.c) writes the shared
 * tables; an SQLite authorizer enforces it: while no write-path call is running, the
 * connection refuses to even prepare a statement that writes to those tables.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "pb-identifier.h"
#include "pb-schema.h"
#include "pb-store.h"
#include "pb-store-private.h"
#include "pb-util.h"


G_DEFINE_FINAL_TYPE (PbStore, pb_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (pb-store-error-quark, pb_store_error)

static const char *protected_tables[] = {
  "organisations", "people", "cases", "items", "identifiers", "incidents", "item_shares",
  "change_log", "access_log", "items_fts", "identifier_orgs", "case_leads", "item_links",
  "hub_hits", "sync_conflicts", "meetings", "meeting_attendance", "agenda_entries", "decisions",
  "meeting_actions", "requests", "sync_quarantine",
};

static gint64
default_now_ms (gpointer data)
{
  return g_get_real_time () / 1000;
}

gint64
_pb_store_now_ms (PbStore *self)
{
  return self->now_ms (self->now_data);
}

gboolean
_pb_store_set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  const char *what)
{
  int code = sqlite3_errcode (db);
  int domain_code = PB_STORE_ERROR_FAILED;

  if (code == SQLITE_NOTADB)
    domain_code = PB_STORE_ERROR_NOT_SQLITE;
  else if (code == SQLITE_CORRUPT)
    domain_code = PB_STORE_ERROR_CORRUPT;
  else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN)
    domain_code = PB_STORE_ERROR_READ_ONLY_FILE;
  else if (code == SQLITE_CONSTRAINT)
    domain_code = PB_STORE_ERROR_INVALID;

  g_set_error (error, PB_STORE_ERROR, domain_code, "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static int
authorizer_cb (void       *user_data,
               int         action,
               const char *arg1,
               const char *arg2,
               const char *db_name,
               const char *trigger)
{
  PbStore *self = user_data;

  if (self->in_write_path || self->migrating)
    return SQLITE_OK;

  switch (action)
    {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      for (guint i = 0; i < G_N_ELEMENTS (protected_tables); i++)
        if (g_strcmp0 (arg1, protected_tables[i]) == 0
            || (arg1 && g_str_has_prefix (arg1, "items_fts_")))
          return SQLITE_DENY;
      return SQLITE_OK;

    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_INDEX:
    case SQLITE_ALTER_TABLE:
    case SQLITE_DROP_VTABLE:
      return SQLITE_DENY;

    default:
      return SQLITE_OK;
    }
}

sqlite3_stmt *
_pb_store_get_stmt (PbStore    *self,
          const char *sql,
          GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot prepare a database statement"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pb_store_finalize (GObject *object)
{
  PbStore *self = (PbStore *) object;

  g_clear_pointer (&self->insert_stmts, g_hash_table_unref);
  g_clear_pointer (&self->roles, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->fts_dirty, g_hash_table_unref);
  g_clear_pointer (&self->hits, _pb_hit_index_free);
  g_clear_pointer (&self->pending, pb_change_set_unref);
  if (self->db)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->site_id);
  g_free (self->actor);
  g_free (self->me_org);
  g_clear_pointer (&self->org_bits, g_hash_table_unref);
  g_free (self->purpose);
  g_free (self->last_item_id);
  g_free (self->last_item_org);

  G_OBJECT_CLASS (pb_store_parent_class)->finalize (object);
}

enum { COMMITTED, ROWS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
pb_store_class_init (PbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_store_finalize;

  /**
   * PbStore::committed:
   *
   * Emitted after a transaction of this connection is committed: something was written
   * here (the sync engine takes it from there).
   */
  signals[COMMITTED] = g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                     NULL, G_TYPE_NONE, 0);

  /**
   * PbStore::rows-changed:
   * @changes: every row the transaction wrote, by table (a #PbChangeSet)
   *
   * Emitted after a transaction is committed, for what the write path wrote in it — this
   * program's writes, an undo, the rows a synchronisation applied — and when changes
   * written by another connection are announced (pb_store_announce()). Models follow it
   * and change only what changed; nothing reloads by hand.
   */
  signals[ROWS_CHANGED] = g_signal_new ("rows-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                        NULL, NULL, G_TYPE_NONE, 1,
                                        PB_TYPE_CHANGE_SET | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pb_store_init (PbStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->fts_dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->insert_stmts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->purpose = g_strdup ("portboard");
  self->pending = pb_change_set_new ();
  self->now_ms = default_now_ms;
  memset (self->last_hash, '0', 64);
}

/* Looks at a file before SQLite touches it: SQLite would happily turn an empty or
 * foreign file into a database of its own when it writes the WAL header. */
static gboolean
check_file (const char *path,
            gboolean   *exists,
            GError    **error)
{
  GStatBuf st;
  g_autofree char *dir = NULL;

  *exists = g_stat (path, &st) == 0;

  if (!*exists)
    {
      dir = g_path_get_dirname (path);
      if (access (dir, W_OK) != 0)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_FILE,
                       _("Cannot create “%s”: the folder cannot be written to"), path);
          return FALSE;
        }
      return TRUE;
    }

  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_SQLITE,
                   _("“%s” is not a regular file"), path);
      return FALSE;
    }

  if (st.st_size > 0)
    {
      char header[16] = { 0 };
      FILE *f = g_fopen (path, "rb");
      size_t n = 0;

      if (f != NULL)
        {
          n = fread (header, 1, sizeof header, f);
          fclose (f);
        }

      if (f == NULL)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_FILE,
                       _("Cannot read “%s”: %s"), path, g_strerror (errno));
          return FALSE;
        }

      if (n < sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_SQLITE,
                       _("“%s” is not a Portboard database: it is not an SQLite file"), path);
          return FALSE;
        }
    }

  /* Write bits are checked too: root passes access (W_OK), but a file somebody marked
   * read-only is meant to stay as it is. */
  dir = g_path_get_dirname (path);
  if ((st.st_mode & 0222) == 0 || access (path, W_OK) != 0 || access (dir, W_OK) != 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_FILE,
                   _("“%s” is read-only: Portboard needs to write to the file and its folder"),
                   path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec (PbStore    *self,
      const char *sql,
      GError    **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _pb_store_set_sqlite_error (error, self->db, _("Database error"));
  return TRUE;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           gboolean   *ok)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 value = 0;

  *ok = FALSE;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      value = sqlite3_column_int64 (stmt, 0);
      *ok = TRUE;
    }
  return value;
}

/* PRAGMA data_version: changes when another connection commits. */
gint64
_pb_store_data_version (PbStore *self)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

char *
_pb_store_state_get (PbStore    *self,
                     const char *key)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT value FROM sync_state WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

/* sync_state is local bookkeeping (site, clock, the hub's cursor), not shared data. */
gboolean
_pb_store_state_set (PbStore    *self,
                     const char *key,
                     const char *value,
                     GError    **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                                 error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _pb_store_set_sqlite_error (error, self->db, _("Cannot save the local state"));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Where the next access-log entry chains on: read at open, and again after a rollback has
 * taken back entries that were appended in memory order. */
gboolean
_pb_store_load_access_head (PbStore *self,
                  GError **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT hash, seq FROM access_log ORDER BY seq DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  memset (self->last_hash, '0', 64);
  self->last_hash[64] = '\0';
  self->next_access_seq = 1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_strlcpy (self->last_hash, (const char *) sqlite3_column_text (stmt, 0),
                 sizeof self->last_hash);
      self->next_access_seq = sqlite3_column_int64 (stmt, 1) + 1;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_state (PbStore *self,
            GError **error)
{
  g_autofree char *hlc = NULL;

  self->site_id = _pb_store_state_get (self, "site_id");
  if (self->site_id == NULL)
    {
      self->site_id = pb_uuid_new ();
      if (!_pb_store_state_set (self, "site_id", self->site_id, error))
        return FALSE;
    }

  hlc = _pb_store_state_get (self, "hlc");
  if (hlc != NULL)
    self->hlc.last = g_ascii_strtoull (hlc, NULL, 10);

  return _pb_store_load_access_head (self, error);
  return TRUE;
}

gboolean
pb_store_is_portboard_file (const char *path)
{
  sqlite3 *db = NULL;
  gboolean ok = FALSE;
  gint64 app_id;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      app_id = query_int (db, "PRAGMA application_id", &ok);
      ok = ok && app_id == PB_APPLICATION_ID;
    }
  sqlite3_close (db);
  return ok;
}

/**
 * pb_store_open:
 * @path: the database file; created when it does not exist
 *
 * Opens a Portboard database and migrates it to the current schema. A file that is not
 * SQLite, is another program's database, was written by a newer Portboard, or cannot be
 * written is refused with an error that says so, and is left untouched.
 */
PbStore *
pb_store_open (const char *path,
               GError    **error)
{
  g_autoptr(PbStore) self = NULL;
  gboolean exists;
  gboolean ok;
  gint64 app_id, version, n_tables;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_file (path, &exists, error))
    return NULL;

  self = g_object_new (PB_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
                       | (exists ? 0 : SQLITE_OPEN_CREATE), NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot open the database"));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 5000);

  /* Read-only checks first: nothing below writes until the file is known to be ours. */
  n_tables = query_int (self->db, "SELECT count(*) FROM sqlite_master", &ok);
  if (!ok)
    {
      int code = sqlite3_errcode (self->db);
      g_set_error (error, PB_STORE_ERROR,
                   code == SQLITE_NOTADB ? PB_STORE_ERROR_NOT_SQLITE : PB_STORE_ERROR_CORRUPT,
                   _("“%s” cannot be read as a database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }

  app_id = query_int (self->db, "PRAGMA application_id", &ok);
  version = query_int (self->db, "PRAGMA user_version", &ok);

  if (app_id != PB_APPLICATION_ID && (n_tables > 0 || app_id != 0))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_PORTBOARD,
                   _("“%s” is an SQLite database of another program, not a Portboard database"),
                   path);
      return NULL;
    }

  if (version > PB_SCHEMA_VERSION)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Portboard (schema %d; this version reads up to %d). Update Portboard to open it."),
                   path, (int) version, PB_SCHEMA_VERSION);
      return NULL;
    }


  /* A 64 MB page cache: a board of 100k items and its indexes stay in memory, instead of
   * being read again from disk for every card and every index update. */
  if (!exec (self, "PRAGMA cache_size = -65536", error)
      || !exec (self, "PRAGMA temp_store = MEMORY", error)
      || !exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = NORMAL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;

  self->migrating = TRUE;
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!pb_schema_migrate (self->db, PB_SCHEMA_VERSION, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", PB_APPLICATION_ID);
    if (!exec (self, sql, error))
      {
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        return NULL;
      }
  }
  if (!load_state (self, error) || !exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return NULL;
    }
  self->migrating = FALSE;

  sqlite3_set_authorizer (self->db, authorizer_cb, self);

  return g_steal_pointer (&self);
}

const char *
pb_store_get_path (PbStore *self)
{
  return self->path;
}

/* The connection itself, for tests that look at rows directly. */
sqlite3 *
_pb_store_get_db (PbStore *self)
{
  return self->db;
}

const char *
pb_store_get_site_id (PbStore *self)
{
  return self->site_id;
}

int
pb_store_get_schema_version (PbStore *self)
{
  gboolean ok;
  return (int) query_int (self->db, "PRAGMA user_version", &ok);
}

void
pb_store_set_clock (PbStore *self,
                    gint64 (*now) (gpointer),
                    gpointer user_data)
{
  self->now_ms = now ? now : default_now_ms;
  self->now_data = user_data;
}

/* The id of a new row: random, or from the source the demo set. */
char *
_pb_store_new_id (PbStore *self)
{
  return self->new_id ? self->new_id (self->new_id_data) : pb_uuid_new ();
}

/**
 * pb_store_set_id_source:
 * @new_id: (nullable): makes the id of a new row (a UUID, newly allocated); %NULL: random
 *   UUIDs
 *
 * Where the ids of rows inserted without one come from: the demo data is reproducible.
 */
void
pb_store_set_id_source (PbStore  *self,
                        char   *(*new_id) (gpointer),
                        gpointer  user_data)
{
  g_return_if_fail (PB_IS_STORE (self));

  self->new_id = new_id;
  self->new_id_data = user_data;
}

void
pb_store_set_purpose (PbStore    *self,
                      const char *purpose)
{
  char *copy = g_strdup (purpose ? purpose : "portboard");
  g_free (self->purpose);
  self->purpose = copy;
}

gboolean
pb_store_set_actor (PbStore    *self,
                    const char *person_id,
                    GError    **error)
{
  g_autoptr(PbPerson) person = NULL;
  g_autofree char *previous = NULL;

  if (person_id == NULL)
    {
      g_clear_pointer (&self->actor, g_free);
      return _pb_store_load_me (self, error);
    }

  if (g_strcmp0 (self->actor, person_id) == 0)
    return TRUE;

  /* Imports switch between authors for every row; who they are is remembered. */
  {
    PbActor *known = g_hash_table_lookup (self->roles, person_id);

    if (known != NULL)
      {
        g_free (self->actor);
        g_free (self->me_org);
        self->actor = g_strdup (person_id);
        self->me_org = g_strdup (known->org);
        self->me = (PbActor) { self->actor, self->me_org, known->role, known->org_kind };
        return TRUE;
      }
  }

  person = pb_store_find_person (self, person_id, error);
  if (person == NULL)
    return FALSE;
  previous = g_steal_pointer (&self->actor);
  self->actor = g_strdup (person->id);
  if (!_pb_store_load_me (self, error))
    {
      g_free (self->actor);
      self->actor = g_steal_pointer (&previous);
      _pb_store_load_me (self, NULL);
      return FALSE;
    }
  {
    PbActor *known = g_new0 (PbActor, 1);

    known->role = self->me.role;
    known->org_kind = self->me.org_kind;
    known->org = g_intern_string (self->me_org);
    g_hash_table_insert (self->roles, g_strdup (person->id), known);
  }
  return TRUE;
}

const char *
pb_store_get_actor (PbStore *self)
{
  return self->actor;
}

/* Transactions */

/* The search rows of the items changed in this transaction are rebuilt at commit, in two
 * statements for all of them: FTS5 writes its pending terms out at the end of every
 * statement, so one statement per item would write a segment per item. */
typedef struct
{
  gint64      rowid;
  const char *id;
} DirtyItem;

static int
compare_dirty (gconstpointer a,
               gconstpointer b)
{
  gint64 x = ((const DirtyItem *) a)->rowid, y = ((const DirtyItem *) b)->rowid;
  return x < y ? -1 : x > y;
}

/* Rebuilds the search text of the items changed in this transaction: one statement per
 * row, by rowid (an IN list on a virtual table is not handed to FTS5, which then scans
 * the whole index for every commit). Rows go in rowid order: FTS5 writes its pending
 * terms out whenever a rowid is lower than the one before. Deleted items were taken out
 * of the index by do_delete(). */
static gboolean
flush_fts (PbStore *self,
           GError **error)
{
  g_autoptr(GArray) dirty = NULL;
  GHashTableIter iter;
  const char *item_id;
  sqlite3_stmt *find, *del, *add;
  gboolean ok = FALSE;

  if (g_hash_table_size (self->fts_dirty) == 0)
    return TRUE;

  self->in_write_path = TRUE;
  find = _pb_store_get_stmt (self,
                             "SELECT rowid, title, coalesce (body, ''),"
                             "  coalesce ((SELECT group_concat (value, ' ') FROM identifiers"
                             "             WHERE identifiers.item = items.id), '')"
                             " FROM items WHERE id = ?", error);
  del = find ? _pb_store_get_stmt (self, "DELETE FROM items_fts WHERE rowid = ?", error) : NULL;
  add = del ? _pb_store_get_stmt (self, "INSERT INTO items_fts (rowid, title, body, identifiers)"
                                        " VALUES (?, ?, ?, ?)", error) : NULL;
  if (add == NULL)
    goto out;

  dirty = g_array_sized_new (FALSE, FALSE, sizeof (DirtyItem), g_hash_table_size (self->fts_dirty));
  g_hash_table_iter_init (&iter, self->fts_dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item_id, NULL))
    {
      DirtyItem d = { 0, item_id };

      sqlite3_bind_text (find, 1, item_id, -1, SQLITE_STATIC);
      if (sqlite3_step (find) == SQLITE_ROW)
        {
          d.rowid = sqlite3_column_int64 (find, 0);
          g_array_append_val (dirty, d);
        }
      sqlite3_reset (find);
    }
  g_array_sort (dirty, compare_dirty);

  for (guint i = 0; i < dirty->len; i++)
    {
      DirtyItem *d = &g_array_index (dirty, DirtyItem, i);
      int rc;

      sqlite3_bind_int64 (del, 1, d->rowid);
      rc = sqlite3_step (del);
      sqlite3_reset (del);
      if (rc != SQLITE_DONE)
        {
          _pb_store_set_sqlite_error (error, self->db, _("Cannot update the search index"));
          goto out;
        }

      sqlite3_bind_text (find, 1, d->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (find);
      if (rc == SQLITE_ROW)
        {
          sqlite3_bind_int64 (add, 1, d->rowid);
          sqlite3_bind_value (add, 2, sqlite3_column_value (find, 1));
          sqlite3_bind_value (add, 3, sqlite3_column_value (find, 2));
          sqlite3_bind_value (add, 4, sqlite3_column_value (find, 3));
          rc = sqlite3_step (add) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
          sqlite3_reset (add);
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
      sqlite3_reset (find);
      if (rc != SQLITE_OK)
        {
          _pb_store_set_sqlite_error (error, self->db, _("Cannot update the search index"));
          goto out;
        }
    }

  g_hash_table_remove_all (self->fts_dirty);
  ok = TRUE;

out:
  self->in_write_path = FALSE;
  return ok;
}

static gboolean
save_clock (PbStore *self,
            GError **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, self->hlc.last);
  return _pb_store_state_set (self, "hlc", buf, error);
}

/* What the transaction changed, to its listeners. Taken first: a listener may write. */
static void
emit_pending (PbStore *self)
{
  g_autoptr(PbChangeSet) changes = NULL;

  if (pb_change_set_is_empty (self->pending))
    return;
  changes = g_steal_pointer (&self->pending);
  self->pending = pb_change_set_new ();
  g_signal_emit (self, signals[ROWS_CHANGED], 0, changes);
}

/* A row the write path wrote in the transaction under way. */
void
_pb_store_note (PbStore     *self,
                const char  *table,
                const char  *row_id,
                PbRowChange  change)
{
  if (row_id != NULL)
    pb_change_set_add (self->pending, table, row_id, change);
}

/**
 * pb_store_announce:
 * @changes: what another connection to the same database wrote (the synchronisation's,
 *   which applies rows in a thread of its own)
 *
 * Tells this connection's listeners (PbStore::rows-changed) of changes written elsewhere.
 */
void
pb_store_announce (PbStore     *self,
                   PbChangeSet *changes)
{
  g_return_if_fail (PB_IS_STORE (self));

  if (changes == NULL || pb_change_set_is_empty (changes))
    return;
  /* Who acts, and the organisations, may have come or changed with them. */
  if (pb_change_set_touches (changes, "people") || pb_change_set_touches (changes, "organisations"))
    {
      g_hash_table_remove_all (self->roles);
      _pb_store_orgs_changed (self);
      _pb_store_load_me (self, NULL);
    }
  g_signal_emit (self, signals[ROWS_CHANGED], 0, changes);
}

gboolean
pb_store_begin (PbStore *self,
                GError **error)
{
  gboolean ok;
  gint64 version;

  if (self->depth++ > 0)
    return TRUE;
  self->aborted = FALSE;
  if (!exec (self, "BEGIN IMMEDIATE", error))
    {
      self->depth--;
      return FALSE;
    }

  /* Another connection (the sync worker, the command line) may have written since: the
   * head of the access log and the clock kept in memory are read again, under the lock. */
  version = query_int (self->db, "PRAGMA data_version", &ok);
  if (ok && version != self->data_version)
    {
      g_autofree char *hlc = _pb_store_state_get (self, "hlc");

      self->data_version = version;
      _pb_store_load_access_head (self, NULL);
      if (hlc)
        self->hlc.last = MAX (self->hlc.last, g_ascii_strtoull (hlc, NULL, 10));
    }
  return TRUE;
}

void
_pb_store_abort_transaction (PbStore *self)
{
  if (!self->aborted)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->aborted = TRUE;
  g_hash_table_remove_all (self->fts_dirty);
  pb_change_set_clear (self->pending);
  _pb_store_load_access_head (self, NULL);
}

static gboolean
commit_in_write_path (PbStore *self,
                      GError **error)
{
  gboolean ok;

  self->in_write_path = TRUE;
  ok = exec (self, "COMMIT", error);
  self->in_write_path = FALSE;
  return ok;
}

gboolean
pb_store_commit (PbStore *self,
                 GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (--self->depth > 0)
    return TRUE;

  if (self->aborted)
    {
      self->aborted = FALSE;
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FAILED,
                   _("Nothing was saved: a change in this batch could not be recorded"));
      return FALSE;
    }

  /* FTS5 writes its pending terms out when the transaction commits: that is still the
   * write path's own writing. */
  if (!flush_fts (self, error) || !save_clock (self, error) || !commit_in_write_path (self, error))
    {
      _pb_store_abort_transaction (self);
      self->aborted = FALSE;
      return FALSE;
    }
  g_signal_emit (self, signals[COMMITTED], 0);
  emit_pending (self);
  return TRUE;
}

void
pb_store_rollback (PbStore *self)
{
  g_return_if_fail (self->depth > 0);

  _pb_store_abort_transaction (self);
  self->depth = 0;
  self->aborted = FALSE;
}
