/* pb-hub-pull.c: a pull: the entries of the log an account's organisation may receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page of entries after a position of the log, as objects or (form=rows) as arrays. An
 * entry goes to the organisations it was written for, and of those only to the ones that
 * still see the row. Every page delivered is recorded in the audit chain.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <glib/gi18n.h>

#include "pb-sync.h"

/* The entries after @since for @account, at most @limit, appended to @out; how many, the
 * seq of the last, their seqs (for the delivery's digest) and whether more are waiting. */
static guint
read_page (PbHub              *self,
           const PbHubAccount *account,
           gint64              since,
           gint64              limit,
           gboolean            rows,
           GString            *out,
           GString            *seqs,
           gint64             *last,
           gboolean           *more)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_PULL);
  guint n = 0;

  *last = 0;
  *more = FALSE;
  sqlite3_bind_int64 (s, 1, since);
  sqlite3_bind_int64 (s, 2, (sqlite3_int64) account->org_bit);
  sqlite3_bind_int64 (s, 3, limit + 1);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if ((gint64) n == limit)
        {
          *more = TRUE;
          break;
        }
      *last = sqlite3_column_int64 (s, 0);
      if (n > 0)
        g_string_append_c (out, ',');
      if (rows)
        _pb_hub_append_change_row (out, s);
      else
        _pb_hub_append_change_object (out, s);
      g_string_append_printf (seqs, "%" G_GINT64_FORMAT ",", *last);
      n++;
    }
  sqlite3_reset (s);
  return n;
}

/* Who received which entries, when: one entry of the audit chain. */
static gboolean
record_delivery (PbHub              *self,
                 const PbHubAccount *account,
                 guint               n,
                 gint64              since,
                 GString            *seqs,
                 gint64              last,
                 GError            **error)
{
  g_autofree char *digest = _pb_hub_sha256_hex (seqs->str, (gssize) seqs->len);
  PbHubSaved saved;

  _pb_hub_save (self, &saved);
  if (!_pb_hub_begin_write (self)
      || !_pb_hub_audit_delivery (self, account->name, n, since + 1, digest, last) || !_pb_hub_commit (self, NULL))
    {
      _pb_hub_restore (self, &saved);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_BUSY, _("The hub could not record the delivery; try again"));
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_hub_pull (PbHub              *self,
             const PbHubAccount *account,
             const char         *since_text,
             const char         *limit_text,
             const char         *form,
             char              **reply,
             GError            **error)
{
  gboolean rows = g_strcmp0 (form, "rows") == 0;
  g_autoptr(GString) out = g_string_new (rows ? "{\"columns\":" PB_SYNC_PULL_COLUMNS ",\"rows\":["
                                              : "{\"changes\":[");
  g_autoptr(GString) seqs = g_string_new (NULL);
  gint64 since, limit, last, scanned_to, head = pb_hub_last_seq (self);
  gboolean more;
  guint n;

  if (!_pb_hub_parse_count (since_text, 0, G_MAXINT64, &since))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“since” must be a sequence number"));
      return FALSE;
    }
  if (!_pb_hub_parse_count (limit_text, 1000, PB_HUB_MAX_PAGE, &limit) || limit == 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“limit” must be a number from 1 to %d"),
                   PB_HUB_MAX_PAGE);
      return FALSE;
    }
  if (form != NULL && !rows && !g_str_equal (form, "objects"))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“form” must be “objects” or “rows”"));
      return FALSE;
    }

  n = read_page (self, account, since, limit, rows, out, seqs, &last, &more);
  /* Without more to send, the client may skip to the head: what lies between is not for it. */
  scanned_to = more ? last : head;
  if (n > 0 && !record_delivery (self, account, n, since, seqs, last, error))
    return FALSE;

  g_string_append_printf (out, "],\"next\":%" G_GINT64_FORMAT ",\"more\":%s,\"hub_hlc\":%" G_GUINT64_FORMAT
                          ",\"hub_time\":%" G_GINT64_FORMAT ",\"audit\":{\"seq\":%" G_GINT64_FORMAT
                          ",\"hash\":\"%s\"}}",
                          MAX (scanned_to, since), more ? "true" : "false", self->hlc.last, _pb_hub_now_ms (self),
                          self->audit_seq, self->audit_head);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}
