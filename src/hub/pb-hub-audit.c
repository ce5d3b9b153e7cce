/* pb-hub-audit.c: the hub's log and the append-only audit chain over it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hash(n) = SHA-256 (hash(n-1) ‖ SHA-256 (entry n)), hex, from 64 zeros. Every entry of the
 * log, every delivery (a pull page), every enrolment, account and revocation, and every
 * change a push refused alone is an entry: canonical JSON with sorted keys, a change's value
 * only as its digest. Here too: verifying the chain, and the leaf digests a client asks for
 * to check that a new head extends the one it holds.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static char *
chain_hash (const char *prev,
            const char *leaf)
{
  char buf[129];

  memcpy (buf, prev, 64);
  memcpy (buf + 64, leaf, 64);
  buf[128] = '\0';
  return _pb_hub_sha256_hex (buf, 128);
}

gboolean
_pb_hub_audit_append (PbHub      *self,
                      const char *entry)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_INSERT);
  g_autofree char *leaf = _pb_hub_sha256_hex (entry, -1);
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

void
_pb_hub_load_audit_head (PbHub *self)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_HEAD);

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

/* Appends an entry to the log, and its audit entry to the chain: its seq, 0 if it failed. */
gint64
_pb_hub_append_entry (PbHub            *self,
                      const PbHubEntry *e)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_CHANGE_INSERT);
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
  sqlite3_bind_int64 (s, 10, _pb_hub_now_ms (self));
  sqlite3_bind_text (s, 11, e->base, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return 0;
  seq = sqlite3_last_insert_rowid (self->db);

  /* The audit entry: canonical JSON, keys sorted; the value only as its digest. */
  digest = _pb_hub_sha256_hex (e->value ? e->value : "null", -1);
  g_string_append_printf (entry, "{\"at\":%" G_GINT64_FORMAT ",\"audience\":%" G_GUINT64_FORMAT ",\"by\":",
                          _pb_hub_now_ms (self), e->audience);
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
  if (!_pb_hub_audit_append (self, entry->str))
    return 0;
  return seq;
}

/* ---- What else the chain records -------------------------------------------------- */

gboolean
_pb_hub_audit_account_added (PbHub      *self,
                             const char *name,
                             const char *org,
                             const char *person,
                             const char *role)
{
  g_autoptr(GString) entry = g_string_new ("{\"account\":");

  pb_json_append_string (entry, name);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"account-added\",\"org\":",
                          _pb_hub_now_ms (self));
  pb_json_append_string (entry, org);
  g_string_append (entry, ",\"person\":");
  pb_json_append_string (entry, person);
  g_string_append_printf (entry, ",\"role\":\"%s\"}", role);
  return _pb_hub_audit_append (self, entry->str);
}

gboolean
_pb_hub_audit_account_revoked (PbHub      *self,
                               const char *name)
{
  g_autoptr(GString) entry = g_string_new ("{\"account\":");

  pb_json_append_string (entry, name);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"account-revoked\"}",
                          _pb_hub_now_ms (self));
  return _pb_hub_audit_append (self, entry->str);
}

gboolean
_pb_hub_audit_enrolled (PbHub      *self,
                        const char *name,
                        const char *site)
{
  g_autoptr(GString) entry = g_string_new ("{\"account\":");

  pb_json_append_string (entry, name);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"kind\":\"enrolled\",\"site\":",
                          _pb_hub_now_ms (self));
  pb_json_append_string (entry, site);
  g_string_append_c (entry, '}');
  return _pb_hub_audit_append (self, entry->str);
}

/* A change of a push refused alone (a row the writer does not see). */
gboolean
_pb_hub_audit_rejected (PbHub      *self,
                        const char *by,
                        guint       index,
                        const char *reason)
{
  g_autoptr(GString) entry = g_string_new (NULL);

  g_string_append_printf (entry, "{\"at\":%" G_GINT64_FORMAT ",\"by\":", _pb_hub_now_ms (self));
  pb_json_append_string (entry, by);
  g_string_append_printf (entry, ",\"index\":%u,\"kind\":\"rejected\",\"reason\":", index);
  pb_json_append_string (entry, reason);
  g_string_append_c (entry, '}');
  return _pb_hub_audit_append (self, entry->str);
}

/* A pull page: who received which entries (the digest of their seqs), when. */
gboolean
_pb_hub_audit_delivery (PbHub      *self,
                        const char *account,
                        guint       count,
                        gint64      from,
                        const char *seqs_digest,
                        gint64      to)
{
  g_autoptr(GString) entry = g_string_new ("{\"account\":");

  pb_json_append_string (entry, account);
  g_string_append_printf (entry, ",\"at\":%" G_GINT64_FORMAT ",\"count\":%u,\"from\":%" G_GINT64_FORMAT
                          ",\"kind\":\"delivery\",\"seqs\":\"%s\",\"to\":%" G_GINT64_FORMAT "}",
                          _pb_hub_now_ms (self), count, from, seqs_digest, to);
  return _pb_hub_audit_append (self, entry->str);
}

/* ---- Reading the chain ------------------------------------------------------------ */

/* The leaf digests after a chain position, so that a client holding an earlier head can
 * check that the new head extends it, without learning what the entries say. */
gboolean
pb_hub_audit_links (PbHub              *self,
                    const PbHubAccount *account,
                    const char         *after_text,
                    char              **reply,
                    GError            **error)
{
  sqlite3_stmt *s;
  g_autoptr(GString) out = g_string_new ("{\"from\":");
  gint64 after, to;
  guint n = 0;

  if (!_pb_hub_parse_count (after_text, 0, G_MAXINT64, &after))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“after” must be a chain position"));
      return FALSE;
    }
  to = MIN (self->audit_seq, after + 10000);
  s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_HASH);
  sqlite3_bind_int64 (s, 1, after);
  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"", after);
  if (after == 0)
    g_string_append (out, ZERO_HASH);
  else if (sqlite3_step (s) == SQLITE_ROW)
    g_string_append (out, (const char *) sqlite3_column_text (s, 0));
  else
    {
      sqlite3_reset (s);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND,
                   _("The audit chain has no position %lld"), (long long) after);
      return FALSE;
    }
  sqlite3_reset (s);
  g_string_append (out, "\"},\"leaves\":[");
  s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_LEAVES);
  sqlite3_bind_int64 (s, 1, after);
  sqlite3_bind_int64 (s, 2, to);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (out, "%s\"%s\"", n++ ? "," : "", sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_HASH);
  sqlite3_bind_int64 (s, 1, to);
  g_string_append_printf (out, "],\"to\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}", to,
                          to == 0 ? ZERO_HASH
                          : sqlite3_step (s) == SQLITE_ROW ? (const char *) sqlite3_column_text (s, 0) : "");
  sqlite3_reset (s);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

gboolean
pb_hub_verify_audit (PbHub   *self,
                     gint64  *n_entries,
                     gint64  *first_bad,
                     GError **error)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_AUDIT_ALL);
  char prev[65];
  gint64 expected = 1;
  gboolean ok = TRUE;
  int rc;

  memset (prev, '0', 64);
  prev[64] = '\0';
  *n_entries = 0;
  *first_bad = 0;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (s, 0);
      const char *entry = (const char *) sqlite3_column_text (s, 1);
      const char *leaf = (const char *) sqlite3_column_text (s, 2);
      const char *hash = (const char *) sqlite3_column_text (s, 3);
      g_autofree char *real_leaf = _pb_hub_sha256_hex (entry ? entry : "", -1);
      g_autofree char *real_hash = NULL;

      if (seq != expected || leaf == NULL || hash == NULL || strlen (leaf) != 64 || strlen (hash) != 64
          || strcmp (real_leaf, leaf) != 0)
        {
          *first_bad = expected;
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                       seq != expected ? _("Audit entry %lld is missing")
                                       : _("Audit entry %lld was altered"), (long long) expected);
          ok = FALSE;
          break;
        }
      real_hash = chain_hash (prev, leaf);
      if (strcmp (real_hash, hash) != 0)
        {
          *first_bad = seq;
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT,
                       _("Audit entry %lld does not follow from the one before"), (long long) seq);
          ok = FALSE;
          break;
        }
      memcpy (prev, hash, 65);
      expected++;
      (*n_entries)++;
    }
  /* A chain that cannot be read to its end is not said to hold. */
  if (ok && rc != SQLITE_DONE)
    ok = _pb_hub_sql_error (error, self->db, _("Cannot read the audit log"));
  sqlite3_reset (s);
  return ok;
}
