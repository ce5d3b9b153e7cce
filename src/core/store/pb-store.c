/* pb-store.c: the local Portboard database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One write path: pb_store_write() is the only code that inserts, updates or deletes rows
 * of the shared tables, the change log and the access log. In the same transaction it
 * records a change entry (row, table, field, new value, hybrid-logical-clock stamp, site,
 * author) and an access-log entry (Directive 2016/680 Art. 25). An SQLite authorizer
 * enforces this: while no write-path call is running, the connection refuses to even
 * prepare a statement that writes to those tables.
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
  "meeting_actions",
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
static gboolean
load_access_head (PbStore *self,
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
  g_autofree char *last_hash = NULL;

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

  return load_access_head (self, error);
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

sqlite3 *
pb_store_get_db (PbStore *self)
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
      load_access_head (self, NULL);
      if (hlc)
        self->hlc.last = MAX (self->hlc.last, g_ascii_strtoull (hlc, NULL, 10));
    }
  return TRUE;
}

static void
abort_transaction (PbStore *self)
{
  if (!self->aborted)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->aborted = TRUE;
  g_hash_table_remove_all (self->fts_dirty);
  pb_change_set_clear (self->pending);
  load_access_head (self, NULL);
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
      abort_transaction (self);
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

  abort_transaction (self);
  self->depth = 0;
  self->aborted = FALSE;
}

/* Access log: append-only, each entry chained to the previous one by SHA-256, so that a
 * removed or altered entry shows in pb_store_verify_access_log(). */

static char *
access_entry_hash (const char *prev,
                   gint64      seq,
                   gint64      at,
                   const char *person,
                   const char *action,
                   const char *table,
                   const char *row_id,
                   const char *detail,
                   const char *reason)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char num[2][24];
  const char *parts[] = { prev, num[0], num[1], person, action, table, row_id ? row_id : "",
                          detail ? detail : "", reason };

  g_snprintf (num[0], sizeof num[0], "%" G_GINT64_FORMAT, seq);
  g_snprintf (num[1], sizeof num[1], "%" G_GINT64_FORMAT, at);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (i > 0)
        g_checksum_update (sum, (const guchar *) "|", 1);
      g_checksum_update (sum, (const guchar *) parts[i], -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
append_access (PbStore       *self,
               PbAccessAction action,
               const char    *table,
               const char    *row_id,
               const char    *detail,
               const char    *reason,
               GError       **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *hash = NULL;
  const char *person = self->actor ? self->actor : "system";
  const char *action_str = pb_access_action_to_string (action);
  gint64 at = _pb_store_now_ms (self);
  gint64 seq;

  seq = self->next_access_seq;
  hash = access_entry_hash (self->last_hash, seq, at, person, action_str, table, row_id, detail,
                            reason);

  stmt = self->access_stmt;
  if (stmt == NULL)
    {
      stmt = _pb_store_get_stmt (self,
                       "INSERT INTO access_log (seq, at, person, action, tbl, row_id, detail, reason, hash)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      self->access_stmt = stmt;
    }
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, person, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action_str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _pb_store_set_sqlite_error (error, self->db, _("Cannot write the access log"));
    }
  sqlite3_reset (stmt);
  g_strlcpy (self->last_hash, hash, sizeof self->last_hash);
  self->next_access_seq = seq + 1;
  {
    char key[24];

    g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, seq);
    _pb_store_note (self, "access_log", key, PB_ROW_INSERTED);
  }
  return TRUE;
}

/**
 * pb_store_log_access:
 *
 * Records a consultation, disclosure or combination (reads that the law requires to be
 * logged). Writes log themselves through pb_store_write().
 */
gboolean
pb_store_log_access (PbStore       *self,
                     PbAccessAction action,
                     const char    *table,
                     const char    *row_id,
                     const char    *detail,
                     GError       **error)
{
  char saved_hash[65];
  gint64 saved_seq;
  gboolean ok;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!pb_store_begin (self, error))
    return FALSE;
  memcpy (saved_hash, self->last_hash, sizeof saved_hash);
  saved_seq = self->next_access_seq;
  self->in_write_path = TRUE;
  ok = append_access (self, action, table, row_id, detail, self->purpose, error);
  self->in_write_path = FALSE;
  if (!ok)
    {
      pb_store_rollback (self);
      memcpy (self->last_hash, saved_hash, sizeof saved_hash);
      self->next_access_seq = saved_seq;
      return FALSE;
    }
  return pb_store_commit (self, error);
}

gboolean
pb_store_verify_access_log (PbStore *self,
                            gint64  *first_bad_seq,
                            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char prev[65];
  gint64 expected_seq = 1;

  memset (prev, '0', 64);
  prev[64] = '\0';
  *first_bad_seq = 0;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT seq, at, person, action, tbl, row_id, detail, reason, hash"
                          " FROM access_log ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    return _pb_store_set_sqlite_error (error, self->db, _("Cannot read the access log"));

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autofree char *hash = access_entry_hash (prev, seq, sqlite3_column_int64 (stmt, 1),
                                                 (const char *) sqlite3_column_text (stmt, 2),
                                                 (const char *) sqlite3_column_text (stmt, 3),
                                                 (const char *) sqlite3_column_text (stmt, 4),
                                                 (const char *) sqlite3_column_text (stmt, 5),
                                                 (const char *) sqlite3_column_text (stmt, 6),
                                                 (const char *) sqlite3_column_text (stmt, 7));

      if (seq != expected_seq || g_strcmp0 (hash, (const char *) sqlite3_column_text (stmt, 8)) != 0)
        {
          *first_bad_seq = seq != expected_seq ? expected_seq : seq;
          return TRUE;
        }
      g_strlcpy (prev, hash, sizeof prev);
      expected_seq++;
    }

  return TRUE;
}

/* The write path */

static void
append_value_json (GString       *out,
                   const PbValue *v)
{
  switch (v->type)
    {
    case PB_VALUE_TEXT:
      pb_json_append_string (out, v->s);
      break;
    case PB_VALUE_INTEGER:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->i);
      break;
    case PB_VALUE_REAL:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v->d));
      }
      break;
    case PB_VALUE_UNSET:
    case PB_VALUE_NULL:
    default:
      g_string_append (out, "null");
    }
}

static void
bind_value (sqlite3_stmt  *stmt,
            int            index,
            const PbValue *v)
{
  switch (v->type)
    {
    case PB_VALUE_TEXT:
      sqlite3_bind_text (stmt, index, v->s, -1, SQLITE_STATIC);
      break;
    case PB_VALUE_INTEGER:
      sqlite3_bind_int64 (stmt, index, v->i);
      break;
    case PB_VALUE_REAL:
      sqlite3_bind_double (stmt, index, v->d);
      break;
    case PB_VALUE_UNSET:
    case PB_VALUE_NULL:
    default:
      sqlite3_bind_null (stmt, index);
    }
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, msg);
  return FALSE;
}

static const char *
text_of (PbRecord   *record,
         const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v && v->type == PB_VALUE_TEXT ? v->s : NULL;
}

static gboolean
is_null (PbRecord   *record,
         const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v && (v->type == PB_VALUE_NULL || (v->type == PB_VALUE_TEXT && *v->s == '\0'));
}

/* Rules of the data model that every writer must keep, whoever it is (app, CLI, sync).
 * Identifiers are normalised here, so the table never holds a value in two spellings. */
static gboolean
validate_record (PbStore  *self,
                 PbOp      op,
                 PbRecord *record,
                 GError  **error)
{
  const char *table = pb_record_get_table (record)->name;
  const char *s;

  if (op == PB_OP_DELETE)
    return TRUE;

  if (strcmp (table, "items") == 0)
    {
      if (op == PB_OP_INSERT && text_of (record, "tlp") == NULL)
        return invalid (error, _("An item needs a handling code (TLP) before it is saved"));
      if (op == PB_OP_INSERT && (text_of (record, "title") == NULL || is_null (record, "title")))
        return invalid (error, _("An item needs a title"));
      if (op == PB_OP_UPDATE && (is_null (record, "title") || is_null (record, "tlp")))
        return invalid (error, _("The title and the handling code cannot be removed"));
      if ((s = text_of (record, "tlp")))
        {
          PbTlp tlp;
          if (!pb_tlp_from_string (s, &tlp) || strcmp (s, pb_tlp_to_string (tlp)) != 0)
            return invalid (error, _("Unknown handling code “%s”"), s);
        }
      if ((s = text_of (record, "status")))
        {
          PbStatus st;
          if (!pb_status_from_string (s, &st))
            return invalid (error, _("Unknown board column “%s”"), s);
        }
      if ((s = text_of (record, "priority")))
        {
          PbPriority p;
          if (!pb_priority_from_string (s, &p))
            return invalid (error, _("Unknown priority “%s”"), s);
        }
      if ((s = text_of (record, "reliability")) && !pb_grading_is_valid (s, "1"))
        return invalid (error, _("Source reliability is a letter from A to F, not “%s”"), s);
      if ((s = text_of (record, "credibility")) && !pb_grading_is_valid ("A", s))
        return invalid (error, _("Information credibility is a digit from 1 to 6, not “%s”"), s);
      if ((s = text_of (record, "modus_operandi")))
        {
          g_auto(GStrv) codes = g_strsplit (s, ",", -1);
          for (guint i = 0; codes[i]; i++)
            if (pb_modus_operandi_lookup (codes[i]) == NULL)
              return invalid (error, _("Unknown modus operandi “%s”"), codes[i]);
        }
      if ((s = text_of (record, "due_date")))
        {
          g_autoptr(GDateTime) dt = NULL;
          g_autofree char *iso = g_strconcat (s, "T00:00:00Z", NULL);
          if (strlen (s) != 10 || (dt = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
            return invalid (error, _("A due date is written YYYY-MM-DD, not “%s”"), s);
        }
      {
        const PbValue *lat = pb_record_lookup (record, "lat");
        const PbValue *lon = pb_record_lookup (record, "lon");
        if ((lat && lat->type == PB_VALUE_REAL && (lat->d < -90 || lat->d > 90))
            || (lon && lon->type == PB_VALUE_REAL && (lon->d < -180 || lon->d > 180)))
          return invalid (error, _("The location is outside the range of latitude and longitude"));
      }
    }
  else if (strcmp (table, "identifiers") == 0)
    {
      PbIdentifierKind kind;
      const char *raw = text_of (record, "raw");
      const PbValue *known_invalid = pb_record_lookup (record, "known_invalid");
      g_autofree char *normal = NULL;
      g_autoptr(GError) local_error = NULL;

      if (op == PB_OP_UPDATE && pb_record_lookup (record, "kind") == NULL
          && raw == NULL)
        return TRUE;
      if (!pb_identifier_kind_from_string (text_of (record, "kind"), &kind))
        return invalid (error, _("Unknown identifier kind “%s”"),
                        text_of (record, "kind") ? text_of (record, "kind") : "");
      if (raw == NULL)
        raw = text_of (record, "value");
      if (raw == NULL)
        return invalid (error, _("An identifier needs a value"));

      normal = pb_identifier_normalize (kind, raw, &local_error);
      if (normal == NULL)
        {
          if (known_invalid == NULL || known_invalid->i == 0
              || g_error_matches (local_error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_EMPTY))
            return invalid (error, "%s: %s", pb_identifier_kind_label (kind), local_error->message);
          normal = pb_identifier_compact (kind, raw);
        }
      pb_record_set_string (record, "kind", pb_identifier_kind_to_string (kind));
      pb_record_set_string (record, "value", normal);
      if (pb_record_lookup (record, "raw") == NULL)
        pb_record_set_string (record, "raw", raw);
    }
  else if (strcmp (table, "cases") == 0)
    {
      if (op == PB_OP_INSERT && (text_of (record, "title") == NULL || is_null (record, "title")))
        return invalid (error, _("A case needs a title"));
      if (op == PB_OP_UPDATE && is_null (record, "title"))
        return invalid (error, _("The title of a case cannot be removed"));
    }
  else if (strcmp (table, "item_links") == 0 && op == PB_OP_INSERT)
    {
      g_autofree char *a = g_strdup (text_of (record, "item_a"));
      g_autofree char *b = g_strdup (text_of (record, "item_b"));

      if (a == NULL || b == NULL)
        return invalid (error, _("A link joins two items"));
      if (strcmp (a, b) == 0)
        return invalid (error, _("An item cannot be linked to itself"));
      /* One row per pair, whichever way it was linked. */
      if (strcmp (a, b) > 0)
        {
          pb_record_set_string (record, "item_a", b);
          pb_record_set_string (record, "item_b", a);
        }
    }
  else if (strcmp (table, "people") == 0)
    {
      PbRole role;
      if ((s = text_of (record, "role")) && !pb_role_from_string (s, &role))
        return invalid (error, _("Unknown role “%s”"), s);
    }
  else if (strcmp (table, "organisations") == 0)
    {
      PbOrgKind kind;
      if ((s = text_of (record, "kind")) && !pb_org_kind_from_string (s, &kind))
        return invalid (error, _("Unknown kind of organisation “%s”"), s);
    }
  else if (strcmp (table, "incidents") == 0)
    {
      PbIncidentKind kind;
      PbTlp tlp;
      if ((s = text_of (record, "kind")) && !pb_incident_kind_from_string (s, &kind))
        return invalid (error, _("Unknown kind of incident “%s”"), s);
      if (op == PB_OP_INSERT && text_of (record, "tlp") == NULL)
        return invalid (error, _("An incident needs a handling code (TLP)"));
      if ((s = text_of (record, "tlp")) && !pb_tlp_from_string (s, &tlp))
        return invalid (error, _("Unknown handling code “%s”"), s);
    }

  return TRUE;
}

/* One field of one row as text (NULL: no such row, or no value). */
char *
_pb_store_row_field (PbStore    *self,
                     const char *table,
                     const char *field,
                     const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", field, table);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, NULL);
  char *out = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return out;
}

static gboolean
insert_change (PbStore    *self,
               const char *table,
               const char *row_id,
               const char *op,
               const char *field,
               const char *value_json,
               GError    **error)
{
  sqlite3_stmt *stmt = self->change_stmt;

  if (stmt == NULL)
    {
      stmt = _pb_store_get_stmt (self, "INSERT INTO change_log (tbl, row_id, op, field, value, hlc, site, author)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      self->change_stmt = stmt;
    }

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, value_json, -1, SQLITE_STATIC);
  if (self->origin)
    {
      /* A change made elsewhere keeps its own stamp; the local clock moves past it. */
      pb_hlc_observe (&self->hlc, self->origin->hlc, _pb_store_now_ms (self));
      sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) self->origin->hlc);
      sqlite3_bind_text (stmt, 7, self->origin->site, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, self->origin->author, -1, SQLITE_STATIC);
    }
  else
    {
      sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) pb_hlc_tick (&self->hlc, _pb_store_now_ms (self)));
      sqlite3_bind_text (stmt, 7, self->site_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, self->actor ? self->actor : "system", -1, SQLITE_STATIC);
    }

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return _pb_store_set_sqlite_error (error, self->db, _("Cannot record the change"));
    }
  sqlite3_reset (stmt);
  /* Every row the write path writes has a change entry: what was written is noted here. */
  _pb_store_note (self, table, row_id,
                  op[0] == 'i' ? PB_ROW_INSERTED : op[0] == 'd' ? PB_ROW_DELETED : PB_ROW_UPDATED);
  return TRUE;
}

static gboolean
step_write (PbStore      *self,
            sqlite3_stmt *stmt,
            GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_CONSTRAINT)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                       _("The change breaks a rule of the database: %s"), sqlite3_errmsg (self->db));
          return FALSE;
        }
      return _pb_store_set_sqlite_error (error, self->db, _("Cannot save the change"));
    }
  return TRUE;
}

static gboolean
do_insert (PbStore  *self,
           PbRecord *record,
           GString  *detail,
           gboolean *domain_done,
           GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  guint n_tables;
  guint table_index = info - pb_schema_tables (&n_tables);
  guint64 mask = 0;
  gint64 key;
  sqlite3_stmt *stmt;
  g_autoptr(GString) json = NULL;
  int n = 1;

  if (pb_record_get_id (record) == NULL)
    {
      g_autofree char *id = _pb_store_new_id (self);
      pb_record_set_id (record, id);
    }
  else if (!pb_uuid_is_valid (pb_record_get_id (record)))
    return invalid (error, _("“%s” is not a valid row identifier (UUID)"), pb_record_get_id (record));

  /* A new item without a place goes to the end of its column. */
  if (strcmp (info->name, "items") == 0 && pb_record_lookup (record, "rank") == NULL)
    {
      const char *status = text_of (record, "status");

      stmt = _pb_store_get_stmt (self, "SELECT rank FROM items WHERE status = ? ORDER BY rank DESC LIMIT 1",
                                 error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, status ? status : "incoming", -1, SQLITE_STATIC);
      pb_record_set_double (record, "rank",
                            sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_double (stmt, 0) + 1 : 1);
      sqlite3_reset (stmt);
    }

  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbColumn *col = &info->columns[i];

      if (pb_record_get_value (record, i)->type == PB_VALUE_UNSET && col->default_value != NULL)
        {
          if (col->type == PB_COLUMN_TEXT)
            pb_record_set_string (record, col->name, col->default_value);
          else if (col->type == PB_COLUMN_INTEGER)
            pb_record_set_int (record, col->name, g_ascii_strtoll (col->default_value, NULL, 10));
          else
            pb_record_set_double (record, col->name, g_ascii_strtod (col->default_value, NULL));
        }
      if (pb_record_get_value (record, i)->type != PB_VALUE_UNSET)
        mask |= G_GUINT64_CONSTANT (1) << i;
    }
  key = ((gint64) table_index << 40) | (gint64) mask;

  /* Statements are cached per table and set of columns: building and hashing SQL text
   * for every row cost more than the insert itself. */
  stmt = g_hash_table_lookup (self->insert_stmts, &key);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  else
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO %s (id", info->name);
      for (guint i = 0; i < info->n_columns; i++)
        if (mask & (G_GUINT64_CONSTANT (1) << i))
          g_string_append_printf (sql, ", %s", info->columns[i].name);
      g_string_append (sql, ") VALUES (?");
      for (guint i = 0; i < info->n_columns; i++)
        if (mask & (G_GUINT64_CONSTANT (1) << i))
          g_string_append (sql, ", ?");
      g_string_append (sql, ")");

      stmt = _pb_store_get_stmt (self, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      g_hash_table_insert (self->insert_stmts, g_memdup2 (&key, sizeof key), stmt);
    }

  sqlite3_bind_text (stmt, n++, pb_record_get_id (record), -1, SQLITE_STATIC);
  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *v = pb_record_get_value (record, i);
      if (v->type != PB_VALUE_UNSET)
        bind_value (stmt, n++, v);
    }

  if (!step_write (self, stmt, error))
    return FALSE;
  *domain_done = TRUE;

  /* The change entry holds the whole row, column defaults included (filled in above), so
   * that applying the change log elsewhere gives the same row. */
  json = g_string_sized_new (512);
  g_string_append_c (json, '{');
  for (guint i = 0; i < info->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      pb_json_append_string (json, info->columns[i].name);
      g_string_append_c (json, ':');
      append_value_json (json, pb_record_get_value (record, i));
    }
  g_string_append_c (json, '}');
  if (!insert_change (self, info->name, pb_record_get_id (record), "insert", NULL, json->str, error))
    return FALSE;

  if (strcmp (info->name, "items") == 0)
    {
      g_free (self->last_item_id);
      g_free (self->last_item_org);
      self->last_item_id = g_strdup (pb_record_get_id (record));
      self->last_item_org = g_strdup (text_of (record, "source_org"));
    }

  g_string_append (detail, "created");
  return TRUE;
}

/* The columns of @record whose value differs from the row's: unchanged fields make no
 * change entry (the log records what changed) and are not what the rulebook checks. */
static gboolean
find_changes (PbStore   *self,
              PbRecord  *record,
              GArray   **out,
              GError   **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  const char *id = pb_record_get_id (record);
  sqlite3_stmt *current;
  g_autofree char *select = NULL;
  g_autoptr(GArray) changed = NULL;

  /* Cached like every statement of the write path; reset before anything else runs. */
  select = g_strdup_printf ("SELECT * FROM %s WHERE id = ?", info->name);
  current = _pb_store_get_stmt (self, select, error);
  if (current == NULL)
    return FALSE;
  sqlite3_bind_text (current, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (current) != SQLITE_ROW)
    {
      sqlite3_reset (current);
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name, id);
      return FALSE;
    }

  changed = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *v = pb_record_get_value (record, i);
      const char *col = info->columns[i].name;
      int ci = -1;
      gboolean same = FALSE;

      if (v->type == PB_VALUE_UNSET)
        continue;

      for (int c = 0; c < sqlite3_column_count (current); c++)
        if (strcmp (sqlite3_column_name (current, c), col) == 0)
          ci = c;
      g_assert (ci >= 0);

      switch (v->type)
        {
        case PB_VALUE_NULL:
          same = sqlite3_column_type (current, ci) == SQLITE_NULL;
          break;
        case PB_VALUE_TEXT:
          same = sqlite3_column_type (current, ci) == SQLITE_TEXT
                 && g_strcmp0 ((const char *) sqlite3_column_text (current, ci), v->s) == 0;
          break;
        case PB_VALUE_INTEGER:
          same = sqlite3_column_type (current, ci) == SQLITE_INTEGER
                 && sqlite3_column_int64 (current, ci) == v->i;
          break;
        case PB_VALUE_REAL:
          same = sqlite3_column_type (current, ci) != SQLITE_NULL
                 && sqlite3_column_double (current, ci) == v->d;
          break;
        case PB_VALUE_UNSET:
        default:
          break;
        }
      if (!same)
        g_array_append_val (changed, i);
    }
  sqlite3_reset (current);
  *out = g_steal_pointer (&changed);
  return TRUE;
}

/* The changed columns of an update, as a record of their own, for the rulebook. */
static PbRecord *
changes_record (PbRecord *record,
                GArray   *changed)
{
  const PbTableInfo *info = pb_record_get_table (record);
  PbRecord *out = pb_record_new (info->name, pb_record_get_id (record));

  for (guint k = 0; k < changed->len; k++)
    {
      guint i = g_array_index (changed, guint, k);
      const PbValue *v = pb_record_get_value (record, i);
      const char *name = info->columns[i].name;

      switch (v->type)
        {
        case PB_VALUE_TEXT:
          pb_record_set_string (out, name, v->s);
          break;
        case PB_VALUE_INTEGER:
          pb_record_set_int (out, name, v->i);
          break;
        case PB_VALUE_REAL:
          pb_record_set_double (out, name, v->d);
          break;
        case PB_VALUE_NULL:
        case PB_VALUE_UNSET:
        default:
          pb_record_set_null (out, name);
          break;
        }
    }
  return out;
}

/* Asks the rulebook about one write of this act, before anything of the row is written:
 * for an update, about the fields it changes (@changed, found here). */
static gboolean
check_write (PbStore   *self,
             PbOp       op,
             PbRecord  *record,
             GArray   **changed,
             GError   **error)
{
  g_autoptr(PbRecord) changes = NULL;

  if (op != PB_OP_UPDATE)
    return _pb_store_check_rules (self, op, record, error);
  if (!find_changes (self, record, changed, error))
    return FALSE;
  if ((*changed)->len == 0)
    return TRUE;
  changes = changes_record (record, *changed);
  return _pb_store_check_rules (self, op, changes, error);
}

/* Writes the @changed columns of @record's row in one statement, so that the row changes whole or not
 * at all, and logs a change entry for each. */
static gboolean
update_columns (PbStore  *self,
                PbRecord *record,
                GArray   *changed,
                GString  *detail,
                gboolean *domain_done,
                GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  const char *id = pb_record_get_id (record);
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_string_append_printf (sql, "UPDATE %s SET ", info->name);
  for (guint k = 0; k < changed->len; k++)
    g_string_append_printf (sql, "%s%s = ?", k ? ", " : "",
                            info->columns[g_array_index (changed, guint, k)].name);
  g_string_append (sql, " WHERE id = ?");
  stmt = _pb_store_get_stmt (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  for (guint k = 0; k < changed->len; k++)
    bind_value (stmt, k + 1, pb_record_get_value (record, g_array_index (changed, guint, k)));
  sqlite3_bind_text (stmt, changed->len + 1, id, -1, SQLITE_STATIC);
  if (!step_write (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name, id);
      return FALSE;
    }
  *domain_done = TRUE;

  for (guint k = 0; k < changed->len; k++)
    {
      guint i = g_array_index (changed, guint, k);
      g_autoptr(GString) json = g_string_new (NULL);

      append_value_json (json, pb_record_get_value (record, i));
      if (!insert_change (self, info->name, id, "update", info->columns[i].name, json->str, error))
        return FALSE;
      if (detail->len)
        g_string_append_c (detail, ',');
      g_string_append (detail, info->columns[i].name);
    }

  return TRUE;
}

static gboolean
do_delete (PbStore  *self,
           PbRecord *record,
           GString  *detail,
           gboolean *domain_done,
           GError  **error)
{
  const PbTableInfo *info = pb_record_get_table (record);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", info->name);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, error);
  gint64 item_rowid = -1;

  if (stmt == NULL)
    return FALSE;

  if (strcmp (info->name, "items") == 0)
    {
      /* The search row goes with the item; it is found by the item's rowid, read first. */
      sqlite3_stmt *find = _pb_store_get_stmt (self, "SELECT rowid FROM items WHERE id = ?", error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_text (find, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
      item_rowid = sqlite3_step (find) == SQLITE_ROW ? sqlite3_column_int64 (find, 0) : -1;
      sqlite3_reset (find);
      stmt = _pb_store_get_stmt (self, sql, error);
      if (stmt == NULL)
        return FALSE;
    }

  sqlite3_bind_text (stmt, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
  if (!step_write (self, stmt, error))
    return FALSE;
  *domain_done = TRUE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), info->name,
                   pb_record_get_id (record));
      return FALSE;
    }

  if (item_rowid >= 0)
    {
      sqlite3_stmt *fts = _pb_store_get_stmt (self, "DELETE FROM items_fts WHERE rowid = ?", error);
      if (fts == NULL)
        return FALSE;
      sqlite3_bind_int64 (fts, 1, item_rowid);
      if (!step_write (self, fts, error))
        return FALSE;
      g_hash_table_remove (self->fts_dirty, pb_record_get_id (record));
    }

  g_string_append (detail, "deleted");
  return insert_change (self, info->name, pb_record_get_id (record), "delete", NULL, NULL, error);
}

static void
mark_fts (PbStore  *self,
          PbOp      op,
          PbRecord *record)
{
  const char *table = pb_record_get_table (record)->name;

  if (strcmp (table, "items") == 0)
    {
      if (op != PB_OP_UPDATE || pb_record_lookup (record, "title") || pb_record_lookup (record, "body"))
        g_hash_table_add (self->fts_dirty, g_strdup (pb_record_get_id (record)));
    }
  else if (strcmp (table, "identifiers") == 0)
    {
      const char *item = text_of (record, "item");
      g_autofree char *looked_up = NULL;

      if (item == NULL)
        item = looked_up = _pb_store_row_field (self, "identifiers", "item", pb_record_get_id (record));
      if (item)
        g_hash_table_add (self->fts_dirty, g_strdup (item));
    }
}

/* identifier_orgs counts, per identifier, the items of each organisation that hold it. */
static gboolean
count_key (PbStore    *self,
           const char *kind,
           const char *value,
           const char *org,
           int         delta,
           GError    **error)
{
  /* Counted up (inserted at 1); or counted down, and removed at 0. */
  const char *sql[2];

  if (delta > 0)
    {
      sql[0] = "INSERT INTO identifier_orgs (kind, value, org, n) VALUES (?1, ?2, ?3, 1)"
               " ON CONFLICT (kind, value, org) DO UPDATE SET n = n + 1";
      sql[1] = NULL;
    }
  else
    {
      sql[0] = "UPDATE identifier_orgs SET n = n - 1 WHERE kind = ?1 AND value = ?2 AND org = ?3";
      sql[1] = "DELETE FROM identifier_orgs WHERE kind = ?1 AND value = ?2 AND org = ?3 AND n <= 0";
    }

  for (guint k = 0; k < G_N_ELEMENTS (sql) && sql[k]; k++)
    {
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql[k], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, org, -1, SQLITE_STATIC);
      if (!step_write (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
count_identifier (PbStore    *self,
                  const char *identifier_id,
                  int         delta,
                  GError    **error)
{
  sqlite3_stmt *find = _pb_store_get_stmt (self, "SELECT d.kind, d.value, i.source_org FROM identifiers d"
                                       " JOIN items i ON i.id = d.item WHERE d.id = ?", error);
  g_autofree char *kind = NULL;
  g_autofree char *value = NULL;
  g_autofree char *org = NULL;

  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, identifier_id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      kind = g_strdup ((const char *) sqlite3_column_text (find, 0));
      value = g_strdup ((const char *) sqlite3_column_text (find, 1));
      org = g_strdup ((const char *) sqlite3_column_text (find, 2));
    }
  sqlite3_reset (find);
  if (kind == NULL)
    return TRUE;
  return count_key (self, kind, value, org, delta, error);
}

/* A new identifier: its kind and value are in the record; its item was most often
 * inserted in the same act, whose organisation is remembered. */
static gboolean
count_new_identifier (PbStore  *self,
                      PbRecord *record,
                      GError  **error)
{
  const char *item = text_of (record, "item");
  const char *org = NULL;
  g_autofree char *looked_up = NULL;

  if (item && g_strcmp0 (item, self->last_item_id) == 0)
    org = self->last_item_org;
  else
    {
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT source_org FROM items WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        looked_up = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      org = looked_up;
    }
  if (org == NULL)
    return TRUE;
  return count_key (self, text_of (record, "kind"), text_of (record, "value"), org, +1, error);
}

/* Before and after a write that may move identifiers between organisations or values. */
static gboolean
count_write (PbStore  *self,
             PbOp      op,
             PbRecord *record,
             int       delta,
             GError  **error)
{
  const char *table = pb_record_get_table (record)->name;

  if (strcmp (table, "identifiers") == 0)
    {
      if (op == PB_OP_INSERT && delta > 0)
        return count_new_identifier (self, record, error);
      if ((op == PB_OP_DELETE && delta < 0)
          || (op == PB_OP_UPDATE && (pb_record_lookup (record, "kind") || pb_record_lookup (record, "value")
                                     || pb_record_lookup (record, "raw") || pb_record_lookup (record, "item"))))
        return count_identifier (self, pb_record_get_id (record), delta, error);
    }
  else if (strcmp (table, "items") == 0 && op == PB_OP_UPDATE && pb_record_lookup (record, "source_org"))
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT id FROM identifiers WHERE item = ?", error);

      g_clear_pointer (&self->last_item_id, g_free);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, pb_record_get_id (record), -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      for (guint i = 0; i < ids->len; i++)
        if (!count_identifier (self, g_ptr_array_index (ids, i), delta, error))
          return FALSE;
    }
  return TRUE;
}

/* The rows a row belongs to are noted as changed with it: an item shows its identifiers,
 * its sharing decides who sees it, a case counts its items. @stored: the values the row
 * has in the database now (before an update or a delete), else those of the record. */
static void
note_parents (PbStore  *self,
              PbOp      op,
              PbRecord *record,
              gboolean  stored)
{
  const char *table = pb_record_get_table (record)->name;
  const char *id = pb_record_get_id (record);
  gboolean item = strcmp (table, "items") == 0;
  const PbReference *refs;
  guint n;

  /* An item's case follows its case and its handling code (who sees it, so the case). */
  if (item && op == PB_OP_UPDATE && pb_record_lookup (record, "case_id") == NULL
      && pb_record_lookup (record, "tlp") == NULL)
    return;
  refs = pb_rules_references (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *parent = NULL;

      if (strcmp (refs[i].table, table) != 0)
        continue;
      if (stored)
        parent = id ? _pb_store_row_field (self, table, refs[i].field, id) : NULL;
      else
        {
          const PbValue *v = pb_record_lookup (record, refs[i].field);
          parent = v && v->type == PB_VALUE_TEXT ? g_strdup (v->s) : NULL;
          if (parent == NULL && v == NULL && id != NULL)
            parent = _pb_store_row_field (self, table, refs[i].field, id);
        }
      if (parent)
        _pb_store_note (self, refs[i].parent, parent, PB_ROW_UPDATED);
    }
}

/* People or organisations were written: a role, an organisation or its kind may have
 * changed, the signed-in person's too. */
static void
written_whom (PbStore    *self,
              const char *table)
{
  if (strcmp (table, "people") != 0 && strcmp (table, "organisations") != 0)
    return;
  g_hash_table_remove_all (self->roles);
  _pb_store_orgs_changed (self);
  _pb_store_load_me (self, NULL);
}

/**
 * pb_store_write_many:
 * @writes: (array length=n_writes): the rows of one act, the main row first
 *
 * The one write path for shared data. In one transaction: validates every record, writes
 * them, records a change entry per changed field (an insert records the whole row as one
 * entry, a delete a tombstone), and appends one access-log entry for the act: its action
 * and row are those of the first write, and its detail names every other row written.
 * Creating an item with its identifiers is one act of collection.
 *
 * When it fails, nothing of the act is kept. A failure found before anything was written
 * (a rule of the data model, a constraint of the first row) leaves a batch begun with
 * pb_store_begin() open; a failure after part of the act was written rolls the whole
 * batch back, and its pb_store_commit() then reports that nothing was saved.
 */
gboolean
pb_store_write_many (PbStore       *self,
                     const PbWrite *writes,
                     guint          n_writes,
                     GError       **error)
{
  return _pb_store_write_act (self, PB_N_ACCESS_ACTIONS, writes, n_writes, error);
}

/* pb_store_write_many(), logged as @action instead of the act that the first write
 * implies (PB_N_ACCESS_ACTIONS): adding reports to a case is a combination of data. */
gboolean
_pb_store_write_act (PbStore        *self,
                     PbAccessAction  action,
                     const PbWrite  *writes,
                     guint           n_writes,
                     GError        **error)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  char saved_hash[65];
  gint64 saved_seq;
  PbHlc saved_hlc;
  gboolean ok = TRUE;
  gboolean domain_done = FALSE;
  static const PbAccessAction actions[] = {
    [PB_OP_INSERT] = PB_ACCESS_COLLECTION,
    [PB_OP_UPDATE] = PB_ACCESS_ALTERATION,
    [PB_OP_DELETE] = PB_ACCESS_ERASURE,
  };
  static const char *op_names[] = { "insert", "update", "delete" };

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (writes != NULL && n_writes > 0, FALSE);

  for (guint w = 0; w < n_writes; w++)
    {
      PbRecord *record = writes[w].record;

      g_return_val_if_fail (record != NULL, FALSE);
      if (!_pb_store_check_actor (self, pb_record_get_table (record)->name, error))
        return FALSE;
      if (writes[w].op != PB_OP_INSERT && !pb_uuid_is_valid (pb_record_get_id (record)))
        return invalid (error, _("“%s” is not a valid row identifier (UUID)"),
                        pb_record_get_id (record) ? pb_record_get_id (record) : "");
      if (!validate_record (self, writes[w].op, record, error))
        return FALSE;
    }

  /* What the log and clock were, read after the lock is taken (begin may reload them). */
  if (!pb_store_begin (self, error))
    return FALSE;
  memcpy (saved_hash, self->last_hash, sizeof saved_hash);
  saved_seq = self->next_access_seq;
  saved_hlc = self->hlc;

  self->in_write_path = TRUE;
  for (guint w = 0; ok && w < n_writes; w++)
    {
      PbOp op = writes[w].op;
      PbRecord *record = writes[w].record;
      const char *table = pb_record_get_table (record)->name;
      g_autoptr(GString) row_detail = g_string_new (NULL);
      g_autoptr(GArray) changed = NULL;

      /* The rulebook decides before the row is touched (its counts included). */
      if (!check_write (self, op, record, &changed, error))
        {
          ok = FALSE;
          break;
        }

      if (op == PB_OP_DELETE && strcmp (table, "identifiers") == 0)
        mark_fts (self, op, record);
      _pb_store_hits_mark (self, record);

      /* Counted out before the row changes, and in again after; a failure here comes
       * before the row's own statement, and counts nothing. */
      if (op != PB_OP_INSERT)
        {
          gboolean counted = strcmp (table, "identifiers") == 0
                             || (strcmp (table, "items") == 0 && pb_record_lookup (record, "source_org"));

          if (!count_write (self, op, record, -1, error))
            {
              ok = FALSE;
              domain_done = domain_done || w > 0;
              break;
            }
          /* Counts changed: from here on a failure must roll them back. */
          if (counted)
            domain_done = TRUE;
        }

      if (op == PB_OP_DELETE || (op == PB_OP_UPDATE && changed->len > 0))
        note_parents (self, op, record, TRUE);
      switch (op)
        {
        case PB_OP_INSERT:
          ok = do_insert (self, record, row_detail, &domain_done, error);
          break;
        case PB_OP_UPDATE:
          ok = changed->len == 0 || update_columns (self, record, changed, row_detail, &domain_done, error);
          break;
        case PB_OP_DELETE:
          ok = do_delete (self, record, row_detail, &domain_done, error);
          break;
        default:
          g_assert_not_reached ();
        }

      if (ok && op != PB_OP_DELETE)
        mark_fts (self, op, record);
      if (ok)
        _pb_store_hits_mark (self, record);
      if (ok && (op == PB_OP_INSERT || (op == PB_OP_UPDATE && changed->len > 0)))
        note_parents (self, op, record, FALSE);
      if (ok && op != PB_OP_DELETE && !count_write (self, op, record, +1, error))
        ok = FALSE;

      if (ok && w == 0)
        g_string_append (detail, row_detail->str);
      else if (ok && row_detail->len > 0)
        g_string_append_printf (detail, "; %s %s %s", op_names[op], table, pb_record_get_id (record));
    }

  for (guint w = 0; ok && w < n_writes; w++)
    written_whom (self, pb_record_get_table (writes[w].record)->name);

  if (ok && detail->len > 0)
    ok = append_access (self, action < PB_N_ACCESS_ACTIONS ? action : actions[writes[0].op],
                        pb_record_get_table (writes[0].record)->name,
                        pb_record_get_id (writes[0].record), detail->str,
                        pb_record_get_reason (writes[0].record) ? pb_record_get_reason (writes[0].record)
                                                                : self->purpose,
                        error);
  self->in_write_path = FALSE;

  if (!ok && !domain_done)
    {
      /* Validation or the first row's own statement failed: SQLite undid that statement,
       * and nothing else was written. A batch the caller began goes on. */
      memcpy (self->last_hash, saved_hash, sizeof saved_hash);
      self->next_access_seq = saved_seq;
      self->hlc = saved_hlc;
      if (--self->depth == 0)
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          self->aborted = FALSE;
          pb_change_set_clear (self->pending);
        }
      return FALSE;
    }

  if (!ok)
    {
      /* Part of the act, or a row without its change entry or access entry, must not
       * survive: the whole transaction goes. */
      abort_transaction (self);
      if (--self->depth == 0)
        self->aborted = FALSE;
      return FALSE;
    }

  return pb_store_commit (self, error);
}

/* Applies a change that another site made, as the hub delivered it: the same statements,
 * search index and identifier counts as the write path, logged with the change's own
 * stamp and author. The sync engine has decided that the change wins (last writer by
 * clock) and holds the transaction; the rules of the data model were checked where the
 * change was made, and need-to-know by the hub. */
gboolean
_pb_store_apply_remote (PbStore        *self,
                        PbOp            op,
                        PbRecord       *record,
                        const PbOrigin *origin,
                        GError        **error)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  gboolean domain_done = FALSE;
  gboolean ok;

  g_return_val_if_fail (self->depth > 0, FALSE);

  self->origin = origin;
  self->in_write_path = TRUE;
  if (op == PB_OP_DELETE && strcmp (pb_record_get_table (record)->name, "identifiers") == 0)
    mark_fts (self, op, record);
  _pb_store_hits_mark (self, record);
  if (op != PB_OP_INSERT)
    note_parents (self, op, record, TRUE);
  ok = op == PB_OP_INSERT || count_write (self, op, record, -1, error);
  if (ok)
    {
      switch (op)
        {
        case PB_OP_INSERT:
          ok = do_insert (self, record, detail, &domain_done, error);
          break;
        case PB_OP_UPDATE:
          {
            /* Written and logged even where the value here is the same: the field's
             * clock must become the later write's, or an older write arriving next
             * would win against it. */
            g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (guint));
            const PbTableInfo *info = pb_record_get_table (record);

            for (guint i = 0; i < info->n_columns; i++)
              if (pb_record_get_value (record, i)->type != PB_VALUE_UNSET)
                g_array_append_val (columns, i);
            ok = columns->len == 0 || update_columns (self, record, columns, detail, &domain_done, error);
          }
          break;
        case PB_OP_DELETE:
          ok = do_delete (self, record, detail, &domain_done, error);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (ok && op != PB_OP_DELETE)
    {
      mark_fts (self, op, record);
      ok = count_write (self, op, record, +1, error);
    }
  if (ok)
    {
      _pb_store_hits_mark (self, record);
      if (op != PB_OP_DELETE)
        note_parents (self, op, record, FALSE);
      written_whom (self, pb_record_get_table (record)->name);
    }
  self->in_write_path = FALSE;
  self->origin = NULL;
  return ok;
}

/* A change entry for a field another site set, whose value is already in place. */
gboolean
_pb_store_log_remote (PbStore        *self,
                      const char     *table,
                      const char     *row_id,
                      const char     *field,
                      const char     *value_json,
                      const PbOrigin *origin,
                      GError        **error)
{
  gboolean ok;

  self->origin = origin;
  self->in_write_path = TRUE;
  ok = insert_change (self, table, row_id, "update", field, value_json, error);
  self->in_write_path = FALSE;
  self->origin = NULL;
  return ok;
}

/* Writes a field's current value again as a change of this site, so that others learn
 * that it was chosen over a concurrent edit (the sync engine settles their conflicts). */
gboolean
_pb_store_restate_field (PbStore    *self,
                         const char *table,
                         const char *row_id,
                         const char *field,
                         GError    **error)
{
  const PbTableInfo *info = pb_schema_table_lookup (table);
  g_autofree char *sql = NULL;
  g_autofree char *json = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (info == NULL || pb_schema_column_index (info, field) < 0)
    return invalid (error, _("“%s” has no field “%s”"), table, field);
  if (!_pb_store_check_actor (self, table, error))
    return FALSE;
  sql = g_strdup_printf ("SELECT json_quote (%s) FROM %s WHERE id = ?", field, table);
  stmt = _pb_store_get_stmt (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (json == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with the identifier %s"), table, row_id);
      return FALSE;
    }

  if (!pb_store_begin (self, error))
    return FALSE;
  detail = g_strdup_printf ("%s (kept)", field);
  self->in_write_path = TRUE;
  ok = insert_change (self, table, row_id, "update", field, json, error)
       && append_access (self, PB_ACCESS_ALTERATION, table, row_id, detail, self->purpose, error);
  self->in_write_path = FALSE;
  if (!ok)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}

/* Prepares a statement that writes a table only the write path may write: the
 * authorizer is asked when a statement is prepared. */
sqlite3_stmt *
_pb_store_get_protected_stmt (PbStore    *self,
                              const char *sql,
                              GError    **error)
{
  sqlite3_stmt *stmt;

  self->in_write_path = TRUE;
  stmt = _pb_store_get_stmt (self, sql, error);
  self->in_write_path = FALSE;
  return stmt;
}

/* Steps a statement that writes a table only the write path may write (hit notices and
 * conflicts, kept by the sync engine). */
gboolean
_pb_store_step_protected (PbStore      *self,
                          sqlite3_stmt *stmt,
                          GError      **error)
{
  gboolean ok;

  self->in_write_path = TRUE;
  ok = step_write (self, stmt, error);
  self->in_write_path = FALSE;
  return ok;
}

/**
 * pb_store_write:
 *
 * pb_store_write_many() for an act of one row.
 */
gboolean
pb_store_write (PbStore  *self,
                PbOp      op,
                PbRecord *record,
                GError  **error)
{
  PbWrite write = { op, record };

  return pb_store_write_many (self, &write, 1, error);
}

/* The rank that puts an item just before @before_item in a column, or at its end. Ranks
 * are halved between neighbours, so a move writes one row whatever the column holds. */
static gboolean
rank_before (PbStore    *self,
             const char *item_id,
             PbStatus    column,
             const char *before_item,
             double     *rank,
             GError    **error)
{
  sqlite3_stmt *stmt;

  if (before_item == NULL)
    {
      /* Walks the board index from the end of the column: no scan of the column. */
      stmt = _pb_store_get_stmt (self, "SELECT rank FROM items WHERE status = ?1 AND id <> ?2"
                             " ORDER BY rank DESC LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, pb_status_to_string (column), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, item_id, -1, SQLITE_STATIC);
      *rank = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_double (stmt, 0) + 1 : 1;
      sqlite3_reset (stmt);
      return TRUE;
    }

  stmt = _pb_store_get_stmt (self,
                   "SELECT b.rank, (SELECT p.rank FROM items p WHERE p.status = b.status"
                   "                AND p.rank < b.rank AND p.id <> ?2"
                   "                ORDER BY p.rank DESC LIMIT 1)"
                   " FROM items b WHERE b.id = ?1 AND b.status = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, before_item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, item_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pb_status_to_string (column), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return invalid (error, _("The item to place it before is not in that column"));
    }
  if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    *rank = sqlite3_column_double (stmt, 0) - 1;
  else
    *rank = (sqlite3_column_double (stmt, 0) + sqlite3_column_double (stmt, 1)) / 2;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pb_store_move_item:
 * @column: the board column to move to (the same one to reorder)
 * @before_item: (nullable): the item to place it just before, or %NULL for the end
 * @lead_org: (nullable): the lead organisation (identifier or code) to set with the move
 * @closing_reason: (nullable): why the item is closed
 *
 * Moves an item on the board, through the write path. "Lead assigned" needs a lead
 * organisation and "Closed" a closing reason; a refused move says why and changes nothing.
 */
gboolean
pb_store_move_item (PbStore    *self,
                    const char *item_id,
                    PbStatus    column,
                    const char *before_item,
                    const char *lead_org,
                    const char *closing_reason,
                    GError    **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(PbRecord) record = NULL;
  g_autoptr(PbOrganisation) lead = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *current_lead = NULL;
  g_autofree char *current_reason = NULL;
  g_autofree char *reason = NULL;
  double rank = 0;

  g_return_val_if_fail (column < PB_N_STATUSES, FALSE);

  if (!_pb_store_check_actor (self, "items", error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, pb_rules_sql ("SELECT i.lead_org, i.closing_reason FROM items i"
                                                  " WHERE i.id = :id AND {visible items i}"),
                          -1, &stmt, NULL) != SQLITE_OK)
    return _pb_store_set_sqlite_error (error, self->db, _("Cannot read the item"));
  if (!_pb_store_bind_viewer (self, stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":id"), item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("The item does not exist or is not shared with your organisation"));
      return FALSE;
    }
  current_lead = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  current_reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));

  if (lead_org != NULL)
    {
      lead = pb_store_find_organisation (self, lead_org, error);
      if (lead == NULL)
        return FALSE;
    }

  if (column == PB_STATUS_LEAD_ASSIGNED && lead == NULL && current_lead == NULL)
    return invalid (error, _("“Lead assigned” needs a lead organisation: choose who leads first"));
  if (closing_reason != NULL)
    {
      reason = g_strstrip (g_strdup (closing_reason));
      if (*reason == '\0')
        g_clear_pointer (&reason, g_free);
    }
  if (column == PB_STATUS_CLOSED && reason == NULL
      && (current_reason == NULL || *current_reason == '\0'))
    return invalid (error, _("“Closed” needs a closing reason: say why the item is closed"));

  if (g_strcmp0 (before_item, item_id) == 0)
    return invalid (error, _("An item cannot be placed before itself"));
  if (!rank_before (self, item_id, column, before_item, &rank, error))
    return FALSE;

  record = pb_record_new ("items", item_id);
  pb_record_set_string (record, "status", pb_status_to_string (column));
  pb_record_set_double (record, "rank", rank);
  if (lead)
    pb_record_set_string (record, "lead_org", lead->id);
  if (reason)
    pb_record_set_string (record, "closing_reason", reason);
  return pb_store_write (self, PB_OP_UPDATE, record, error);
}

