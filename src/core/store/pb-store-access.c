/* pb-store-access.c: the access log (Directive 2016/680, Art. 25)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every collection, alteration, consultation, disclosure, combination and erasure is an
 * entry of an append-only log, each chained to the one before by SHA-256, so that a removed
 * or altered entry shows in pb_store_verify_access_log(). The write path appends the entry
 * of each act in the act's own transaction.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

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

gboolean
_pb_store_append_access (PbStore       *self,
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
  ok = _pb_store_append_access (self, action, table, row_id, detail, self->purpose, error);
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
