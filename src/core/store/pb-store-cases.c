/* pb-store-cases.c: cases, their lead decisions, linked items and incidents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case groups the items that the consultation pursues together. Who leads it is a dated
 * decision (case_leads), so that a handover from one service to another stays on record;
 * cases.lead_org is the latest decision. Every change here is one act of the write path;
 * adding reports to a case is logged as a combination of data (Directive 2016/680,
 * Art. 25). Need-to-know applies throughout: a case is seen by those that lead or led it
 * and by those that may see one of its items, and only the items and incidents a person
 * may see are listed.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

void
pb_case_free (PbCase *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->title);
  g_free (c->lead_org);
  g_free (c->lead_code);
  g_free (c->lead_name);
  g_free (c);
}

void
pb_case_lead_free (PbCaseLead *lead)
{
  if (lead == NULL)
    return;
  g_free (lead->id);
  g_free (lead->org);
  g_free (lead->org_code);
  g_free (lead->org_name);
  g_free (lead->decided_by);
  g_free (lead->reason);
  g_free (lead);
}

void
pb_incident_free (PbIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->id);
  g_free (incident->terminal);
  g_free (incident->goods);
  g_free (incident->item);
  g_free (incident->source_code);
  g_free (incident->description);
  g_free (incident);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
not_found_case (GError **error)
{
  g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
               _("The case does not exist or is not shared with your organisation"));
  return FALSE;
}

static gboolean
not_found_item (GError **error)
{
  g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
               _("The item does not exist or is not shared with your organisation"));
  return FALSE;
}

/* Cases the signed-in person may see; one of them when @only_id is given. */
static GPtrArray *
query_cases (PbStore    *self,
             const char *only_id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_case_free);
  const char *sql = pb_rules_sql (
    "SELECT c.id, c.title, c.lead_org, o.short_code, o.name, c.status, c.opened_at, c.closed_at,"
    "  (SELECT count (*) FROM items i WHERE i.case_id = c.id AND {visible items i})"
    " FROM cases c LEFT JOIN organisations o ON o.id = c.lead_org"
    " WHERE (:only IS NULL OR c.id = :only) AND {visible cases c}"
    " ORDER BY c.status = 'closed', c.title");

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the cases"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  if (only_id)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":only"), only_id, -1, SQLITE_STATIC);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbCase *c = g_new0 (PbCase, 1);

      c->id = column_dup (stmt, 0);
      c->title = column_dup (stmt, 1);
      c->lead_org = column_dup (stmt, 2);
      c->lead_code = column_dup (stmt, 3);
      c->lead_name = column_dup (stmt, 4);
      c->closed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), "closed") == 0;
      c->opened_at = sqlite3_column_int64 (stmt, 6);
      c->closed_at = sqlite3_column_int64 (stmt, 7);
      c->n_items = (guint) sqlite3_column_int (stmt, 8);
      g_ptr_array_add (out, c);
    }
  return g_steal_pointer (&out);
}

/**
 * pb_store_list_cases:
 *
 * Returns: (transfer full) (element-type PbCase): the cases the signed-in person may see,
 *   open ones first, by title
 */
GPtrArray *
pb_store_list_cases (PbStore *self,
                     GError **error)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  return query_cases (self, NULL, error);
}

static PbCase *
find_case (PbStore    *self,
           const char *case_id,
           GError    **error)
{
  g_autoptr(GPtrArray) found = NULL;

  if (case_id == NULL || !pb_uuid_is_valid (case_id))
    {
      not_found_case (error);
      return NULL;
    }
  found = query_cases (self, case_id, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      not_found_case (error);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

/**
 * pb_store_open_case:
 *
 * Reads a case for its view, and records the consultation in the access log.
 *
 * Returns: (transfer full): the case, or %NULL with %PB_STORE_ERROR_NOT_FOUND when it does
 *   not exist or the signed-in person may not see it
 */
PbCase *
pb_store_open_case (PbStore    *self,
                    const char *case_id,
                    GError    **error)
{
  g_autoptr(PbCase) c = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  c = find_case (self, case_id, error);
  if (c == NULL || !pb_store_log_access (self, PB_ACCESS_CONSULTATION, "cases", case_id, "case view", error))
    return NULL;
  return g_steal_pointer (&c);
}

/* The case an item is in ("" when none), checking that the signed-in person may see it. */
static char *
visible_item_case (PbStore    *self,
                   const char *item_id,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (item_id == NULL || !pb_uuid_is_valid (item_id))
    {
      not_found_item (error);
      return NULL;
    }
  if (sqlite3_prepare_v2 (self->db, pb_rules_sql ("SELECT coalesce (i.case_id, '') FROM items i"
                                                  " WHERE i.id = :key AND {visible items i}"),
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the item"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":key"), item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      not_found_item (error);
      return NULL;
    }
  return column_dup (stmt, 0);
}

/* A lead decision, checked: an existing organisation of the services. */
static PbRecord *
lead_record (PbStore    *self,
             const char *case_id,
             const char *org,
             const char *reason,
             char      **org_id,
             GError    **error)
{
  g_autoptr(PbOrganisation) o = pb_store_find_organisation (self, org, error);
  PbRecord *r;

  if (o == NULL)
    return NULL;
  if (!pb_rules_may_lead (o->kind))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   _("%s is a private partner: only a police service, customs or the prosecution can lead a case"),
                   o->name);
      return NULL;
    }

  r = pb_record_new ("case_leads", NULL);
  pb_record_set_string (r, "case_id", case_id);
  pb_record_set_string (r, "org", o->id);
  pb_record_set_int (r, "decided_at", _pb_store_now_ms (self) / 1000);
  pb_record_set_string (r, "decided_by", self->actor);
  if (reason && *reason)
    {
      pb_record_set_string (r, "reason", reason);
      pb_record_set_reason (r, reason);
    }
  *org_id = g_strdup (o->id);
  return r;
}

/**
 * pb_store_create_case:
 * @lead_org: (nullable): id or short code of the leading organisation
 * @item_ids: (nullable) (array zero-terminated=1): items that go into the case
 * @case_id: (out) (optional): the new case's id
 *
 * Opens a case, its first lead decision and its items in one act. An item already in
 * another case moves to this one. Every item must be one the signed-in person may see.
 */
gboolean
pb_store_create_case (PbStore            *self,
                      const char         *title,
                      const char         *lead_org,
                      const char * const *item_ids,
                      char              **case_id,
                      GError            **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  g_autofree PbWrite *writes = NULL;
  g_autofree char *id = _pb_store_new_id (self);
  g_autofree char *lead_id = NULL;
  g_autofree char *stripped = NULL;
  g_autoptr(PbPerson) me = NULL;
  PbRecord *c;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "cases", error))
    return FALSE;

  me = pb_store_find_person (self, self->actor, error);
  if (me == NULL)
    return FALSE;

  c = pb_record_new ("cases", id);
  pb_record_set_string (c, "source_org", me->org);
  g_ptr_array_add (records, c);
  stripped = g_strstrip (g_strdup (title ? title : ""));
  pb_record_set_string (c, "title", stripped);
  pb_record_set_string (c, "status", "open");
  pb_record_set_int (c, "opened_at", _pb_store_now_ms (self) / 1000);

  if (lead_org && *lead_org)
    {
      PbRecord *lead = lead_record (self, id, lead_org, NULL, &lead_id, error);
      if (lead == NULL)
        return FALSE;
      pb_record_set_string (c, "lead_org", lead_id);
      g_ptr_array_add (records, lead);
    }

  for (guint i = 0; item_ids && item_ids[i]; i++)
    {
      g_autofree char *current = visible_item_case (self, item_ids[i], error);
      PbRecord *r;

      if (current == NULL)
        return FALSE;
      r = pb_record_new ("items", item_ids[i]);
      pb_record_set_string (r, "case_id", id);
      g_ptr_array_add (records, r);
    }

  writes = g_new (PbWrite, records->len);
  for (guint i = 0; i < records->len; i++)
    writes[i] = (PbWrite) { i == 0 || (lead_id && i == 1) ? PB_OP_INSERT : PB_OP_UPDATE,
                            g_ptr_array_index (records, i) };
  if (!_pb_store_write_act (self, PB_N_ACCESS_ACTIONS, writes, records->len, error))
    return FALSE;

  if (case_id)
    *case_id = g_steal_pointer (&id);
  return TRUE;
}

/**
 * pb_store_add_to_case:
 * @item_ids: (array zero-terminated=1): the items
 *
 * Puts items into a case (out of the case they were in, if any). Items already in it are
 * left as they are.
 */
gboolean
pb_store_add_to_case (PbStore            *self,
                      const char         *case_id,
                      const char * const *item_ids,
                      GError            **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  g_autoptr(PbCase) c = NULL;
  g_autofree PbWrite *writes = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (item_ids != NULL, FALSE);

  if (!_pb_store_check_actor (self, "items", error))
    return FALSE;
  c = find_case (self, case_id, error);
  if (c == NULL)
    return FALSE;
  if (c->closed)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   _("The case “%s” is closed: reopen it before adding items"), c->title);
      return FALSE;
    }

  for (guint i = 0; item_ids[i]; i++)
    {
      g_autofree char *current = visible_item_case (self, item_ids[i], error);
      PbRecord *r;

      if (current == NULL)
        return FALSE;
      if (strcmp (current, c->id) == 0)
        continue;
      r = pb_record_new ("items", item_ids[i]);
      pb_record_set_string (r, "case_id", c->id);
      g_ptr_array_add (records, r);
    }
  if (records->len == 0)
    return TRUE;

  writes = g_new (PbWrite, records->len);
  for (guint i = 0; i < records->len; i++)
    writes[i] = (PbWrite) { PB_OP_UPDATE, g_ptr_array_index (records, i) };
  return _pb_store_write_act (self, PB_ACCESS_COMBINATION, writes, records->len, error);
}

/**
 * pb_store_remove_from_case:
 *
 * Takes an item out of its case.
 */
gboolean
pb_store_remove_from_case (PbStore    *self,
                           const char *item_id,
                           GError    **error)
{
  g_autofree char *current = NULL;
  g_autoptr(PbRecord) r = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "items", error))
    return FALSE;
  current = visible_item_case (self, item_id, error);
  if (current == NULL)
    return FALSE;
  if (*current == '\0')
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, _("The item is not in a case"));
      return FALSE;
    }
  r = pb_record_new ("items", item_id);
  pb_record_set_null (r, "case_id");
  return pb_store_write (self, PB_OP_UPDATE, r, error);
}

/**
 * pb_store_set_case_lead:
 * @org: id or short code of the organisation that takes the lead
 * @reason: (nullable): why, as the consultation decided it
 *
 * Records a lead decision dated now, by the signed-in person, and makes it the case's
 * current lead.
 */
gboolean
pb_store_set_case_lead (PbStore    *self,
                        const char *case_id,
                        const char *org,
                        const char *reason,
                        GError    **error)
{
  g_autoptr(PbCase) c = NULL;
  g_autoptr(PbRecord) lead = NULL;
  g_autoptr(PbRecord) update = NULL;
  g_autofree char *org_id = NULL;
  PbWrite writes[2];

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "cases", error))
    return FALSE;
  c = find_case (self, case_id, error);
  if (c == NULL)
    return FALSE;
  if (org == NULL || *org == '\0')
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, _("Choose the organisation that takes the lead"));
      return FALSE;
    }
  lead = lead_record (self, c->id, org, reason, &org_id, error);
  if (lead == NULL)
    return FALSE;
  if (g_strcmp0 (org_id, c->lead_org) == 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   _("%s already leads this case"), c->lead_name);
      return FALSE;
    }

  update = pb_record_new ("cases", c->id);
  pb_record_set_string (update, "lead_org", org_id);
  writes[0] = (PbWrite) { PB_OP_INSERT, lead };
  writes[1] = (PbWrite) { PB_OP_UPDATE, update };
  return pb_store_write_many (self, writes, G_N_ELEMENTS (writes), error);
}

/**
 * pb_store_set_case_closed:
 *
 * Closes a case (dated now) or reopens it.
 */
gboolean
pb_store_set_case_closed (PbStore    *self,
                          const char *case_id,
                          gboolean    closed,
                          GError    **error)
{
  g_autoptr(PbCase) c = NULL;
  g_autoptr(PbRecord) r = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "cases", error))
    return FALSE;
  c = find_case (self, case_id, error);
  if (c == NULL)
    return FALSE;
  if (c->closed == !!closed)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   closed ? _("The case is already closed") : _("The case is already open"));
      return FALSE;
    }
  r = pb_record_new ("cases", c->id);
  pb_record_set_string (r, "status", closed ? "closed" : "open");
  if (closed)
    pb_record_set_int (r, "closed_at", _pb_store_now_ms (self) / 1000);
  else
    pb_record_set_null (r, "closed_at");
  return pb_store_write (self, PB_OP_UPDATE, r, error);
}

/**
 * pb_store_list_case_leads:
 *
 * Returns: (transfer full) (element-type PbCaseLead): the lead decisions of a case, the
 *   first one first
 */
GPtrArray *
pb_store_list_case_leads (PbStore    *self,
                          const char *case_id,
                          GError    **error)
{
  g_autoptr(PbCase) c = NULL;
  g_autoptr(GPtrArray) out = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  c = find_case (self, case_id, error);
  if (c == NULL)
    return NULL;
  stmt = _pb_store_get_stmt (self,
                             "SELECT l.id, l.decided_at, l.org, o.short_code, o.name, p.name, l.reason"
                             " FROM case_leads l JOIN organisations o ON o.id = l.org"
                             " LEFT JOIN people p ON p.id = l.decided_by"
                             " WHERE l.case_id = ? ORDER BY l.decided_at, l.rowid", error);
  if (stmt == NULL)
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_case_lead_free);
  sqlite3_bind_text (stmt, 1, c->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbCaseLead *lead = g_new0 (PbCaseLead, 1);

      lead->id = column_dup (stmt, 0);
      lead->decided_at = sqlite3_column_int64 (stmt, 1);
      lead->org = column_dup (stmt, 2);
      lead->org_code = column_dup (stmt, 3);
      lead->org_name = column_dup (stmt, 4);
      lead->decided_by = column_dup (stmt, 5);
      lead->reason = column_dup (stmt, 6);
      g_ptr_array_add (out, lead);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&out);
}

/**
 * pb_store_list_case_items:
 *
 * Returns: (transfer full) (element-type PbCard): the items of a case that the signed-in
 *   person may see, in board order
 */
GPtrArray *
pb_store_list_case_items (PbStore    *self,
                          const char *case_id,
                          GError    **error)
{
  g_autoptr(PbCase) c = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  c = find_case (self, case_id, error);
  if (c == NULL)
    return NULL;
  return _pb_store_load_cards_where (self, "i.case_id = :key", c->id, TRUE, error);
}

/**
 * pb_store_list_incidents:
 * @case_id: (nullable): the incidents of this case's items
 * @item_id: (nullable): or those of this item
 *
 * Returns: (transfer full) (element-type PbIncident): the incidents the signed-in person
 *   may see, of items they may see, the latest first
 */
GPtrArray *
pb_store_list_incidents (PbStore    *self,
                         const char *case_id,
                         const char *item_id,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(PbCase) c = NULL;
  g_autofree char *item_case = NULL;
  const char *key;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);
  g_return_val_if_fail ((case_id == NULL) != (item_id == NULL), NULL);

  if (case_id && (c = find_case (self, case_id, error)) == NULL)
    return NULL;
  if (item_id && (item_case = visible_item_case (self, item_id, error)) == NULL)
    return NULL;
  key = case_id ? case_id : item_id;

  if (sqlite3_prepare_v2 (self->db,
                          case_id
                          ? pb_rules_sql ("SELECT n.id, n.kind, n.occurred_at, n.terminal, n.goods, n.kg, n.cash_eur, n.item,"
                            "  o.short_code, n.tlp, n.description"
                            " FROM incidents n JOIN organisations o ON o.id = n.source_org"
                            " WHERE n.item IN (SELECT i.id FROM items i WHERE i.case_id = :key AND {visible items i})"
                            " AND {visible incidents n} ORDER BY n.occurred_at DESC")
                          : pb_rules_sql ("SELECT n.id, n.kind, n.occurred_at, n.terminal, n.goods, n.kg, n.cash_eur, n.item,"
                            "  o.short_code, n.tlp, n.description"
                            " FROM incidents n JOIN organisations o ON o.id = n.source_org"
                            " WHERE n.item = :key AND {visible incidents n} ORDER BY n.occurred_at DESC"),
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the incidents"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":key"), key, -1, SQLITE_STATIC);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_incident_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbIncident *n = g_new0 (PbIncident, 1);

      n->id = column_dup (stmt, 0);
      pb_incident_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &n->kind);
      n->occurred_at = sqlite3_column_int64 (stmt, 2);
      n->terminal = column_dup (stmt, 3);
      n->goods = column_dup (stmt, 4);
      n->kg = sqlite3_column_double (stmt, 5);
      n->cash_eur = sqlite3_column_double (stmt, 6);
      n->item = column_dup (stmt, 7);
      n->source_code = column_dup (stmt, 8);
      n->tlp = PB_TLP_RED;
      pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 9), &n->tlp);
      n->description = column_dup (stmt, 10);
      g_ptr_array_add (out, n);
    }
  return g_steal_pointer (&out);
}

/* The id of the link between two items, or NULL. */
static char *
find_link (PbStore    *self,
           const char *item_id,
           const char *other_id)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self,
                                           "SELECT id FROM item_links WHERE item_a = min (?1, ?2) AND item_b = max (?1, ?2)",
                                           NULL);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, other_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/**
 * pb_store_link_items:
 *
 * Links two items that the signed-in person may both see (the same shipment, the same
 * crew, a follow-up report). A link has no direction.
 */
gboolean
pb_store_link_items (PbStore    *self,
                     const char *item_id,
                     const char *other_id,
                     GError    **error)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *existing = NULL;
  g_autoptr(PbRecord) r = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "item_links", error)
      || (a = visible_item_case (self, item_id, error)) == NULL
      || (b = visible_item_case (self, other_id, error)) == NULL)
    return FALSE;
  if ((existing = find_link (self, item_id, other_id)))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, _("The items are already linked"));
      return FALSE;
    }

  r = pb_record_new ("item_links", NULL);
  pb_record_set_string (r, "item_a", item_id);
  pb_record_set_string (r, "item_b", other_id);
  return _pb_store_write_act (self, PB_ACCESS_COMBINATION, &(PbWrite) { PB_OP_INSERT, r }, 1, error);
}

/**
 * pb_store_unlink_items:
 */
gboolean
pb_store_unlink_items (PbStore    *self,
                       const char *item_id,
                       const char *other_id,
                       GError    **error)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *link = NULL;
  g_autoptr(PbRecord) r = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "item_links", error)
      || (a = visible_item_case (self, item_id, error)) == NULL
      || (b = visible_item_case (self, other_id, error)) == NULL)
    return FALSE;
  if ((link = find_link (self, item_id, other_id)) == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND, _("The items are not linked"));
      return FALSE;
    }
  r = pb_record_new ("item_links", link);
  return pb_store_write (self, PB_OP_DELETE, r, error);
}

/**
 * pb_store_list_linked_items:
 *
 * Returns: (transfer full) (element-type PbCard): the items linked to an item, those the
 *   signed-in person may see
 */
GPtrArray *
pb_store_list_linked_items (PbStore    *self,
                            const char *item_id,
                            GError    **error)
{
  g_autofree char *item_case = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  item_case = visible_item_case (self, item_id, error);
  if (item_case == NULL)
    return NULL;
  return _pb_store_load_cards_where (self,
                                     "i.id IN (SELECT item_b FROM item_links WHERE item_a = :key"
                                     " UNION SELECT item_a FROM item_links WHERE item_b = :key)",
                                     item_id, TRUE, error);
}
