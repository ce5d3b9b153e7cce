/* pb-store-requests.c: what an organisation asks of the one a report comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the organisation an item comes from shares it by name, takes the sharing back or
 * changes its handling code (the rulebook, TLP 2.0). Another organisation that sees the
 * item asks it to, with a reason; the originator accepts — and the change is made in the
 * same act — or refuses, with an answer. Requests are a record: kept, never deleted, seen
 * by the two organisations only (and never beyond the item).
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pb-store-private.h"

void
pb_request_free (PbRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->id);
  g_free (request->item);
  g_free (request->item_org);
  g_free (request->item_org_code);
  g_free (request->source_org);
  g_free (request->source_code);
  g_free (request->source_name);
  g_free (request->requested_by);
  g_free (request->org);
  g_free (request->org_name);
  g_free (request->tlp);
  g_free (request->reason);
  g_free (request->decided_by);
  g_free (request->answer);
  g_free (request);
}

/**
 * pb_store_may_write:
 * @record: the write, as pb_store_write() would take it
 *
 * Returns: whether the rulebook lets the person signed in make this write; nothing is
 *   written (for the pages: what to offer)
 */
gboolean
pb_store_may_write (PbStore  *self,
                    PbOp      op,
                    PbRecord *record)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  return _pb_store_check_rules (self, op, record, NULL);
}

/* The sharing row of @item with @org, or NULL. */
static char *
share_of (PbStore    *self,
          const char *item,
          const char *org)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT id FROM item_shares WHERE item = ? AND org = ?", NULL);
  char *id = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return id;
}

/* Whether an open request of this kind (for this organisation or code) is there already. */
static gboolean
already_asked (PbStore       *self,
               const char    *item,
               PbRequestKind  kind,
               const char    *org,
               const char    *tlp)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT 1 FROM requests WHERE item = ? AND kind = ? AND status = 'open'"
                                              " AND org IS ? AND tlp IS ?", NULL);
  gboolean found;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, pb_request_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, org, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, tlp, -1, SQLITE_STATIC);
  found = sqlite3_step (s) == SQLITE_ROW;
  sqlite3_reset (s);
  return found;
}

/**
 * pb_store_request:
 * @kind: what is asked
 * @org: for %PB_REQUEST_SHARE and %PB_REQUEST_UNSHARE, the organisation (id or code)
 * @tlp: for %PB_REQUEST_HANDLING, the handling code asked for
 * @reason: why (required)
 * @request_id: (out) (optional): the new request's id
 *
 * Asks the organisation an item comes from to share it, stop sharing it or change its
 * handling code. Refused (INVALID) when there is nothing to ask (already so, already
 * asked, asking oneself) and by the rulebook when the item is not there for the person.
 */
gboolean
pb_store_request (PbStore       *self,
                  const char    *item_id,
                  PbRequestKind  kind,
                  const char    *org,
                  const char    *tlp,
                  const char    *reason,
                  char         **request_id,
                  GError       **error)
{
  g_autoptr(PbRecord) r = NULL;
  g_autoptr(PbOrganisation) target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *source = NULL;
  g_autofree char *current_tlp = NULL;
  g_autofree char *why = g_strstrip (g_strdup (reason ? reason : ""));
  const PbActor *me;
  PbTlp code;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < PB_N_REQUEST_KINDS, FALSE);

  if (!_pb_store_check_actor (self, "requests", error))
    return FALSE;
  me = pb_store_get_me (self);
  if (item_id == NULL || !pb_store_may_see (self, "items", item_id))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("The item does not exist or is not shared with your organisation"));
      return FALSE;
    }
  source = _pb_store_row_field (self, "items", "source_org", item_id);
  current_tlp = _pb_store_row_field (self, "items", "tlp", item_id);
  if (g_strcmp0 (source, me->org) == 0)
    return _pb_store_invalid (error, _("The item is your organisation’s: you decide this yourself"));
  if (*why == '\0')
    return _pb_store_invalid (error, _("Say why you ask"));

  if (kind == PB_REQUEST_HANDLING)
    {
      if (tlp == NULL || !pb_tlp_from_string (tlp, &code) || !pb_rules_tlp_is_canonical (tlp))
        return _pb_store_invalid (error, _("Choose the handling code to ask for"));
      if (g_strcmp0 (tlp, current_tlp) == 0)
        return _pb_store_invalid (error, _("The item has that handling code already"));
      org = NULL;
    }
  else
    {
      g_autofree char *shared = NULL;

      target = org ? pb_store_find_organisation (self, org, NULL) : NULL;
      if (target == NULL)
        return _pb_store_invalid (error, _("Choose the organisation"));
      if (g_strcmp0 (target->id, source) == 0)
        return _pb_store_invalid (error, _("The item comes from that organisation"));
      shared = share_of (self, item_id, target->id);
      if (kind == PB_REQUEST_SHARE && shared != NULL)
        return _pb_store_invalid (error, _("The item is shared with %s already"), target->name);
      if (kind == PB_REQUEST_UNSHARE && shared == NULL)
        return _pb_store_invalid (error, _("The item is not shared with %s"), target->name);
      org = target->id;
      tlp = NULL;
    }
  if (already_asked (self, item_id, kind, org, tlp))
    return _pb_store_invalid (error, _("This has been asked already and is not answered yet"));

  id = _pb_store_new_id (self);
  r = pb_record_new ("requests", id);
  pb_record_set_string (r, "item", item_id);
  pb_record_set_string (r, "item_org", source);
  pb_record_set_string (r, "source_org", me->org);
  pb_record_set_string (r, "requested_by", me->person);
  pb_record_set_int (r, "requested_at", _pb_store_now_ms (self) / 1000);
  pb_record_set_string (r, "kind", pb_request_kind_to_string (kind));
  if (org)
    pb_record_set_string (r, "org", org);
  if (tlp)
    pb_record_set_string (r, "tlp", tlp);
  pb_record_set_string (r, "reason", why);
  if (!_pb_store_write_act (self, PB_ACCESS_COLLECTION, &(PbWrite) { PB_OP_INSERT, r }, 1, error))
    return FALSE;
  if (request_id)
    *request_id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * pb_store_answer_request:
 * @accept: %TRUE to do what is asked, %FALSE to refuse
 * @answer: (nullable): a word for the organisation that asked
 *
 * The organisation the item comes from answers a request: accepting makes the change
 * (the sharing row, the handling code) in the same act as the answer.
 */
gboolean
pb_store_answer_request (PbStore    *self,
                         const char *request_id,
                         gboolean    accept,
                         const char *answer,
                         GError    **error)
{
  g_autoptr(PbRecord) answered = NULL;
  g_autoptr(PbRecord) change = NULL;
  g_autofree char *item = NULL, *kind_text = NULL, *status = NULL, *org = NULL, *tlp = NULL;
  g_autofree char *words = g_strstrip (g_strdup (answer ? answer : ""));
  PbAccessAction action = PB_ACCESS_ALTERATION;
  PbWrite writes[2];
  guint n = 0;
  PbRequestKind kind;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "requests", error))
    return FALSE;
  if (request_id == NULL || !pb_store_may_see (self, "requests", request_id))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND, _("There is no such request"));
      return FALSE;
    }
  item = _pb_store_row_field (self, "requests", "item", request_id);
  kind_text = _pb_store_row_field (self, "requests", "kind", request_id);
  status = _pb_store_row_field (self, "requests", "status", request_id);
  org = _pb_store_row_field (self, "requests", "org", request_id);
  tlp = _pb_store_row_field (self, "requests", "tlp", request_id);
  if (g_strcmp0 (status, "open") != 0)
    return _pb_store_invalid (error, _("The request has been answered already"));
  if (!pb_request_kind_from_string (kind_text, &kind))
    return _pb_store_invalid (error, _("Unknown request “%s”"), kind_text ? kind_text : "");

  answered = pb_record_new ("requests", request_id);
  pb_record_set_string (answered, "status", accept ? "accepted" : "refused");
  pb_record_set_string (answered, "decided_by", self->actor);
  pb_record_set_int (answered, "decided_at", _pb_store_now_ms (self) / 1000);
  if (*words)
    pb_record_set_string (answered, "answer", words);
  writes[n++] = (PbWrite) { PB_OP_UPDATE, answered };

  if (accept && kind == PB_REQUEST_SHARE && org)
    {
      g_autofree char *shared = share_of (self, item, org);

      if (shared == NULL)
        {
          change = pb_record_new ("item_shares", NULL);
          pb_record_set_string (change, "item", item);
          pb_record_set_string (change, "org", org);
          writes[n++] = (PbWrite) { PB_OP_INSERT, change };
          action = PB_ACCESS_DISCLOSURE;
        }
    }
  else if (accept && kind == PB_REQUEST_UNSHARE && org)
    {
      g_autofree char *shared = share_of (self, item, org);

      if (shared != NULL)
        {
          change = pb_record_new ("item_shares", shared);
          writes[n++] = (PbWrite) { PB_OP_DELETE, change };
        }
    }
  else if (accept && kind == PB_REQUEST_HANDLING && tlp)
    {
      change = pb_record_new ("items", item);
      pb_record_set_string (change, "tlp", tlp);
      writes[n++] = (PbWrite) { PB_OP_UPDATE, change };
    }
  return _pb_store_write_act (self, action, writes, n, error);
}

static char *
column_text (sqlite3_stmt *s,
             int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (s, i));
}

/**
 * pb_store_list_requests:
 * @item_id: (nullable): the item's requests, or every request the person sees
 * @open_only: only those not answered yet
 *
 * Returns: (transfer full) (element-type PbRequest): newest first
 */
GPtrArray *
pb_store_list_requests (PbStore    *self,
                        const char *item_id,
                        gboolean    open_only,
                        GError    **error)
{
  sqlite3_stmt *s;
  GPtrArray *out;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  s = _pb_store_get_stmt (self, pb_rules_sql (
        "SELECT r.id, r.item, r.item_org, io.short_code, r.source_org, so.short_code, so.name, rp.name,"
        "  r.requested_at, r.kind, r.org, o.name, r.tlp, r.reason, r.status, dp.name, r.decided_at, r.answer"
        " FROM requests r"
        " JOIN organisations io ON io.id = r.item_org"
        " JOIN organisations so ON so.id = r.source_org"
        " LEFT JOIN people rp ON rp.id = r.requested_by"
        " LEFT JOIN organisations o ON o.id = r.org"
        " LEFT JOIN people dp ON dp.id = r.decided_by"
        " WHERE (:item IS NULL OR r.item = :item) AND (NOT :open OR r.status = 'open') AND {visible requests r}"
        " ORDER BY r.requested_at DESC, r.rowid DESC"), error);
  if (s == NULL || !_pb_store_bind_viewer (self, s, error))
    return NULL;
  sqlite3_bind_text (s, sqlite3_bind_parameter_index (s, ":item"), item_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, sqlite3_bind_parameter_index (s, ":open"), open_only ? 1 : 0);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_request_free);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      PbRequest *r = g_new0 (PbRequest, 1);

      r->id = column_text (s, 0);
      r->item = column_text (s, 1);
      r->item_org = column_text (s, 2);
      r->item_org_code = column_text (s, 3);
      r->source_org = column_text (s, 4);
      r->source_code = column_text (s, 5);
      r->source_name = column_text (s, 6);
      r->requested_by = column_text (s, 7);
      r->requested_at = sqlite3_column_int64 (s, 8);
      if (!pb_request_kind_from_string ((const char *) sqlite3_column_text (s, 9), &r->kind))
        r->kind = PB_REQUEST_SHARE;
      r->org = column_text (s, 10);
      r->org_name = column_text (s, 11);
      r->tlp = column_text (s, 12);
      r->reason = column_text (s, 13);
      if (!pb_request_status_from_string ((const char *) sqlite3_column_text (s, 14), &r->status))
        r->status = PB_REQUEST_OPEN;
      r->decided_by = column_text (s, 15);
      r->decided_at = sqlite3_column_int64 (s, 16);
      r->answer = column_text (s, 17);
      g_ptr_array_add (out, r);
    }
  sqlite3_reset (s);

  /* Who may answer: the rulebook, on the answer it would be. */
  for (guint i = 0; i < out->len; i++)
    {
      PbRequest *r = out->pdata[i];
      g_autoptr(PbRecord) answer = pb_record_new ("requests", r->id);

      pb_record_set_string (answer, "status", "accepted");
      pb_record_set_string (answer, "decided_by", self->actor);
      r->may_answer = r->status == PB_REQUEST_OPEN && _pb_store_check_rules (self, PB_OP_UPDATE, answer, NULL);
    }
  return out;
}
