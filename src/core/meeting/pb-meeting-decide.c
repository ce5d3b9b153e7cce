/* pb-meeting-decide.c: what a meeting decides, the actions it sets, its close and the room
 * (who is in it, and what it may see)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decision changes the item through the same acts as the board (move, lead, case,
 * sharing), so that the guards of the board apply and the item's history shows what the
 * meeting did; the decision and its actions are one act with those changes.
 */

#define G_LOG_DOMAIN "pb-meeting"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-meeting-private.h"

/* ---- Decisions --------------------------------------------------------------------- */

static gboolean
valid_date (const char *s)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = NULL;

  if (s == NULL || strlen (s) != 10)
    return FALSE;
  iso = g_strconcat (s, "T00:00:00Z", NULL);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  return dt != NULL;
}

static gboolean
set_item_field (PbStore    *self,
                const char *item_id,
                const char *field,
                const char *value,
                GError    **error)
{
  g_autoptr(PbRecord) record = pb_record_new ("items", item_id);

  pb_record_set_string (record, field, value);
  return _pb_meeting_write_one (self, PB_OP_UPDATE, record, error);
}

static char *
meeting_day (PbStore         *self,
             const PbMeeting *m)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->starts_at);

  (void) self;
  return g_date_time_format (dt, "%Y-%m-%d");
}

/* The acts of a decision, in the caller's transaction. */
static gboolean
apply_decision (PbStore              *self,
                const PbMeeting      *m,
                const char           *item_id,
                const PbDecisionSpec *spec,
                PbOrganisation       *lead,
                GPtrArray            *share_orgs,
                GPtrArray            *owners,
                char                **decision_id,
                GError              **error)
{
  g_autoptr(PbRecord) decision = pb_record_new ("decisions", NULL);
  g_autoptr(GHashTable) shares = NULL;
  g_autoptr(GString) share_ids = g_string_new (NULL);
  g_autofree char *case_id = NULL;
  g_autofree char *day = meeting_day (self, m);
  const char *items[] = { item_id, NULL };

  switch (spec->outcome)
    {
    case PB_OUTCOME_DISMISS:
      {
        g_autofree char *reason = spec->note && *spec->note
                                  ? g_strdup (spec->note)
                                  : g_strdup_printf (_("Dismissed at the consultation of %s"), day);
        if (!pb_store_move_item (self, item_id, PB_STATUS_CLOSED, NULL, NULL, reason, error))
          return FALSE;
      }
      break;
    case PB_OUTCOME_MONITOR:
      if (!pb_store_move_item (self, item_id, PB_STATUS_MONITORING, NULL, lead ? lead->id : NULL, NULL, error))
        return FALSE;
      break;
    case PB_OUTCOME_ASSIGN_LEAD:
      if (!pb_store_move_item (self, item_id, PB_STATUS_LEAD_ASSIGNED, NULL, lead->id, NULL, error))
        return FALSE;
      break;
    case PB_OUTCOME_LINK_CASE:
      if (!pb_store_add_to_case (self, spec->case_id, items, error))
        return FALSE;
      case_id = g_strdup (spec->case_id);
      break;
    case PB_OUTCOME_OPEN_CASE:
      if (!pb_store_create_case (self, spec->case_title, lead ? lead->id : NULL, items, &case_id, error))
        return FALSE;
      break;
    case PB_OUTCOME_SHARE:
    case PB_N_OUTCOMES:
    default:
      break;
    }

  /* A lead decided along with another outcome is the item's lead. */
  if (lead && (spec->outcome == PB_OUTCOME_LINK_CASE || spec->outcome == PB_OUTCOME_SHARE)
      && !set_item_field (self, item_id, "lead_org", lead->id, error))
    return FALSE;
  if (spec->priority && !set_item_field (self, item_id, "priority", spec->priority, error))
    return FALSE;
  if (spec->tlp && !set_item_field (self, item_id, "tlp", spec->tlp, error))
    return FALSE;

  shares = pb_store_list_item_shares (self, item_id, error);
  if (shares == NULL)
    return FALSE;
  for (guint i = 0; i < share_orgs->len; i++)
    {
      PbOrganisation *o = share_orgs->pdata[i];

      g_string_append_printf (share_ids, "%s%s", share_ids->len ? "," : "", o->id);
      if (!g_hash_table_contains (shares, o->id))
        {
          g_autoptr(PbRecord) share = pb_record_new ("item_shares", NULL);

          pb_record_set_string (share, "item", item_id);
          pb_record_set_string (share, "org", o->id);
          if (!_pb_meeting_write_one (self, PB_OP_INSERT, share, error))
            return FALSE;
        }
    }

  pb_record_set_string (decision, "meeting", m->id);
  pb_record_set_string (decision, "item", item_id);
  pb_record_set_string (decision, "outcome", pb_outcome_to_string (spec->outcome));
  if (lead)
    pb_record_set_string (decision, "lead_org", lead->id);
  if (spec->priority)
    pb_record_set_string (decision, "priority", spec->priority);
  if (case_id)
    pb_record_set_string (decision, "case_id", case_id);
  if (share_ids->len)
    pb_record_set_string (decision, "share_orgs", share_ids->str);
  if (spec->tlp)
    pb_record_set_string (decision, "tlp", spec->tlp);
  if (spec->note && *spec->note)
    pb_record_set_string (decision, "note", spec->note);
  pb_record_set_int (decision, "decided_at", _pb_store_now_ms (self) / 1000);
  pb_record_set_string (decision, "decided_by", self->actor);
  if (!_pb_meeting_write_one (self, PB_OP_INSERT, decision, error))
    return FALSE;

  for (guint i = 0; i < spec->n_actions; i++)
    {
      g_autoptr(PbRecord) action = pb_record_new ("meeting_actions", NULL);
      g_autofree char *description = g_strstrip (g_strdup (spec->actions[i].description));
      PbOrganisation *owner = owners->pdata[i];

      pb_record_set_string (action, "meeting", m->id);
      pb_record_set_string (action, "decision", pb_record_get_id (decision));
      pb_record_set_string (action, "item", item_id);
      pb_record_set_string (action, "owner_org", owner->id);
      pb_record_set_string (action, "description", description);
      if (spec->actions[i].due_date)
        pb_record_set_string (action, "due_date", spec->actions[i].due_date);
      if (!_pb_meeting_write_one (self, PB_OP_INSERT, action, error))
        return FALSE;
    }
  if (decision_id)
    *decision_id = g_strdup (pb_record_get_id (decision));
  return TRUE;
}

/**
 * pb_meeting_decide:
 *
 * Records what the consultation decided on an item and applies it to the item through
 * the board's acts: Dismiss closes it (the note, or the meeting's date, as the reason),
 * Monitor moves it to Monitoring, Assign a lead to Lead assigned, Link to a case and Open
 * a case put it in a case; a lead, a priority, a handling code and sharing are set with
 * any outcome. Actions are kept with owner and due date. All of it or nothing.
 */
gboolean
pb_meeting_decide (PbStore              *self,
                   const char           *meeting_id,
                   const char           *item_id,
                   const PbDecisionSpec *spec,
                   char                **decision_id,
                   GError              **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbCard) card = NULL;
  g_autoptr(PbOrganisation) lead = NULL;
  g_autoptr(GPtrArray) share_orgs = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_organisation_free);
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_organisation_free);

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  card = pb_store_load_card (self, item_id ? item_id : "", NULL);
  if (card == NULL)
    return _pb_meeting_not_found (error, _("The item does not exist or is not shared with your organisation"));
  if (spec->outcome >= PB_N_OUTCOMES)
    return _pb_meeting_invalid (error, _("Unknown outcome of a decision"));

  if (spec->lead_org && (lead = pb_store_find_organisation (self, spec->lead_org, error)) == NULL)
    return FALSE;
  if (spec->outcome == PB_OUTCOME_ASSIGN_LEAD && lead == NULL)
    return _pb_meeting_invalid (error, _("Assigning a lead needs the organisation that leads"));
  if (spec->outcome == PB_OUTCOME_LINK_CASE)
    {
      g_autoptr(PbCase) c = NULL;

      if (spec->case_id == NULL || (c = pb_store_open_case (self, spec->case_id, error)) == NULL)
        {
          if (error && *error == NULL)
            _pb_meeting_invalid (error, _("Linking to a case needs the case"));
          return FALSE;
        }
    }
  if (spec->outcome == PB_OUTCOME_OPEN_CASE && _pb_meeting_is_blank (spec->case_title))
    return _pb_meeting_invalid (error, _("Opening a case needs its title"));
  if (spec->priority)
    {
      PbPriority p;
      if (!pb_priority_from_string (spec->priority, &p))
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, _("Unknown priority “%s”"), spec->priority);
          return FALSE;
        }
    }
  if (spec->tlp)
    {
      PbTlp tlp;
      if (!pb_tlp_from_string (spec->tlp, &tlp) || strcmp (spec->tlp, pb_tlp_to_string (tlp)) != 0)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, _("Unknown handling code “%s”"), spec->tlp);
          return FALSE;
        }
    }
  for (guint i = 0; spec->share_orgs && spec->share_orgs[i]; i++)
    {
      PbOrganisation *o = pb_store_find_organisation (self, spec->share_orgs[i], error);
      if (o == NULL)
        return FALSE;
      g_ptr_array_add (share_orgs, o);
    }
  if (spec->outcome == PB_OUTCOME_SHARE && share_orgs->len == 0 && spec->tlp == NULL)
    return _pb_meeting_invalid (error, _("Sharing needs the organisations to share with or a new handling code"));
  for (guint i = 0; i < spec->n_actions; i++)
    {
      const PbActionSpec *a = &spec->actions[i];
      PbOrganisation *o;

      if (_pb_meeting_is_blank (a->description))
        return _pb_meeting_invalid (error, _("An action needs a description"));
      if (a->due_date && !valid_date (a->due_date))
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                       _("A due date is written YYYY-MM-DD, not “%s”"), a->due_date);
          return FALSE;
        }
      o = pb_store_find_organisation (self, a->owner_org ? a->owner_org : "", error);
      if (o == NULL)
        return FALSE;
      g_ptr_array_add (owners, o);
    }

  if (!pb_store_begin (self, error))
    return FALSE;
  if (!apply_decision (self, m, item_id, spec, lead, share_orgs, owners, decision_id, error))
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}

/**
 * pb_meeting_list_decisions:
 *
 * Returns: (transfer full) (element-type PbDecision): the decisions of a meeting (or of
 *   every meeting when %NULL) on the items the signed-in person may see, of one item when
 *   @item_id is given, in the order they were taken
 */
GPtrArray *
pb_meeting_list_decisions (PbStore    *self,
                           const char *meeting_id,
                           const char *item_id,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_decision_free);
  stmt = _pb_meeting_prepare (self, "SELECT d.id, d.meeting, d.item, d.outcome, o.short_code, o.name, d.priority, d.case_id,"
                        "  c.title,"
                        "  (SELECT group_concat (so.name, ', ') FROM organisations so"
                        "   WHERE instr (',' || d.share_orgs || ',', ',' || so.id || ',') > 0),"
                        "  d.tlp, d.note, d.decided_at, coalesce (p.name, d.decided_by)"
                        " FROM decisions d JOIN items i ON i.id = d.item"
                        " LEFT JOIN organisations o ON o.id = d.lead_org"
                        " LEFT JOIN cases c ON c.id = d.case_id"
                        " LEFT JOIN people p ON p.id = d.decided_by"
                        " WHERE (:meeting IS NULL OR d.meeting = :meeting) AND (:item IS NULL OR d.item = :item)"
                        "   AND {visible items i}"
                        " ORDER BY d.decided_at, d.rowid", error);
  if (stmt == NULL || !_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  if (meeting_id)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":meeting"), meeting_id, -1, SQLITE_STATIC);
  if (item_id)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":item"), item_id, -1, SQLITE_STATIC);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_decision_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbDecision *d = g_new0 (PbDecision, 1);

      d->id = _pb_meeting_column_dup (stmt, 0);
      d->meeting = _pb_meeting_column_dup (stmt, 1);
      d->item = _pb_meeting_column_dup (stmt, 2);
      pb_outcome_from_string ((const char *) sqlite3_column_text (stmt, 3), &d->outcome);
      d->lead_code = _pb_meeting_column_dup (stmt, 4);
      d->lead_name = _pb_meeting_column_dup (stmt, 5);
      d->priority = _pb_meeting_column_dup (stmt, 6);
      d->case_id = _pb_meeting_column_dup (stmt, 7);
      d->case_title = _pb_meeting_column_dup (stmt, 8);
      d->share_names = _pb_meeting_column_dup (stmt, 9);
      d->tlp = _pb_meeting_column_dup (stmt, 10);
      d->note = _pb_meeting_column_dup (stmt, 11);
      d->decided_at = sqlite3_column_int64 (stmt, 12);
      d->decided_by = _pb_meeting_column_dup (stmt, 13);
      g_ptr_array_add (out, d);
    }
  return out;
}

/**
 * pb_meeting_list_actions:
 *
 * Returns: (transfer full) (element-type PbAction): the actions decided in a meeting (every
 *   meeting when %NULL), open ones only when @open_only, on items the signed-in person may
 *   see, by due date
 */
GPtrArray *
pb_meeting_list_actions (PbStore    *self,
                         const char *meeting_id,
                         gboolean    open_only,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_action_free);
  stmt = _pb_meeting_prepare (self, "SELECT a.id, a.meeting, a.item, a.owner_org, o.short_code, o.name, a.description,"
                        "  a.due_date, a.done_at"
                        " FROM meeting_actions a JOIN items i ON i.id = a.item"
                        " JOIN organisations o ON o.id = a.owner_org"
                        " WHERE (:meeting IS NULL OR a.meeting = :meeting) AND (NOT :open OR a.done_at IS NULL)"
                        "   AND {visible items i}"
                        " ORDER BY a.due_date IS NULL, a.due_date, a.rowid", error);
  if (stmt == NULL || !_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  if (meeting_id)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":meeting"), meeting_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":open"), open_only ? 1 : 0);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_action_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbAction *a = g_new0 (PbAction, 1);

      a->id = _pb_meeting_column_dup (stmt, 0);
      a->meeting = _pb_meeting_column_dup (stmt, 1);
      a->item = _pb_meeting_column_dup (stmt, 2);
      a->owner_org = _pb_meeting_column_dup (stmt, 3);
      a->owner_code = _pb_meeting_column_dup (stmt, 4);
      a->owner_name = _pb_meeting_column_dup (stmt, 5);
      a->description = _pb_meeting_column_dup (stmt, 6);
      a->due_date = _pb_meeting_column_dup (stmt, 7);
      a->done_at = sqlite3_column_int64 (stmt, 8);
      {
        g_autoptr(PbRecord) done = pb_record_new ("meeting_actions", a->id);

        pb_record_set_null (done, "done_at");
        a->may_set_done = _pb_store_check_rules (self, PB_OP_UPDATE, done, NULL);
      }
      g_ptr_array_add (out, a);
    }
  return out;
}

/**
 * pb_meeting_set_action_done:
 *
 * Marks an action done (or open again): by the chair or by the organisation that owns it.
 */
gboolean
pb_meeting_set_action_done (PbStore    *self,
                            const char *action_id,
                            gboolean    done,
                            GError    **error)
{
  g_autoptr(PbRecord) record = NULL;
  g_autoptr(GError) refused = NULL;
  g_autofree char *owner = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "meeting_actions", error))
    return FALSE;
  s = _pb_store_get_stmt (self, "SELECT owner_org FROM meeting_actions WHERE id = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, action_id ? action_id : "", -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    owner = _pb_meeting_column_dup (s, 0);
  sqlite3_reset (s);
  if (owner == NULL)
    return _pb_meeting_not_found (error, _("There is no such action"));
  record = pb_record_new ("meeting_actions", action_id);
  if (done)
    pb_record_set_int (record, "done_at", _pb_store_now_ms (self) / 1000);
  else
    pb_record_set_null (record, "done_at");
  /* Who may: the rulebook (the chair, or the organisation that owns the action), said in
   * this act's words. */
  if (!_pb_store_check_rules (self, PB_OP_UPDATE, record, &refused))
    {
      if (g_error_matches (refused, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN))
        g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN,
                             _("Only the organisation that owns an action, or the chair, marks it done"));
      else
        g_propagate_error (error, g_steal_pointer (&refused));
      return FALSE;
    }
  return _pb_meeting_write_one (self, PB_OP_UPDATE, record, error);
}

/**
 * pb_meeting_close:
 *
 * The chair closes the meeting: its record no longer changes; the next meeting's agenda
 * looks back to this moment.
 */
gboolean
pb_meeting_close (PbStore    *self,
                  const char *meeting_id,
                  GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbRecord) record = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  record = pb_record_new ("meetings", m->id);
  pb_record_set_string (record, "status", "closed");
  pb_record_set_int (record, "closed_at", _pb_store_now_ms (self) / 1000);
  pb_record_set_null (record, "presenting");
  return _pb_meeting_write_one (self, PB_OP_UPDATE, record, error);
}

/**
 * pb_meeting_record_minutes:
 *
 * Records that minutes were made: their SHA-256 on the meeting, and in the access log as
 * a disclosure (what was written, where to).
 */
gboolean
pb_meeting_record_minutes (PbStore    *self,
                           const char *meeting_id,
                           const char *sha256,
                           const char *where,
                           GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbRecord) record = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && strlen (sha256) == 64, FALSE);

  if (!_pb_store_check_actor (self, "meetings", error) || (m = pb_meeting_get (self, meeting_id, error)) == NULL)
    return FALSE;
  detail = g_strdup_printf ("minutes sha256:%s%s%s", sha256, where ? " to " : "", where ? where : "");
  if (!pb_store_begin (self, error))
    return FALSE;
  /* The chair's record of the minutes travels with the meeting; anyone's export is logged. */
  if (pb_rules_is_chair (_pb_store_me (self)) && g_strcmp0 (m->minutes_sha256, sha256) != 0)
    {
      record = pb_record_new ("meetings", m->id);
      pb_record_set_string (record, "minutes_sha256", sha256);
      if (!_pb_meeting_write_one (self, PB_OP_UPDATE, record, error))
        {
          pb_store_rollback (self);
          return FALSE;
        }
    }
  if (!pb_store_log_access (self, PB_ACCESS_DISCLOSURE, "meetings", m->id, detail, error))
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}

/* ---- The room ---------------------------------------------------------------------- */

/* Whether @org (an id or a short code) is recorded in the room, in @attendance. */
static gboolean
recorded_in_room (GPtrArray  *attendance,
                  const char *org)
{
  for (guint i = 0; i < attendance->len; i++)
    {
      PbAttendance *a = attendance->pdata[i];

      if (a->in_room && (g_strcmp0 (a->org, org) == 0 || g_strcmp0 (a->org_code, org) == 0))
        return TRUE;
    }
  return FALSE;
}

/**
 * pb_meeting_record_attendance:
 * @orgs: (array length=n_orgs): what the chair ticked, organisation by organisation
 *
 * The chair records who is in the room, all at once (the attendance dialog): an
 * organisation given in the room is recorded so, with the names of who came for it; one
 * given out of the room is recorded out of it only if it was recorded in the room, so that
 * an organisation that follows from its own Portboard (connected) or never came is left as
 * it is. One transaction: everything is recorded, or nothing (an unknown organisation, a
 * closed meeting, someone who is not the chair).
 *
 * Returns: whether the attendance was recorded
 */
gboolean
pb_meeting_record_attendance (PbStore                *self,
                              const char             *meeting_id,
                              const PbAttendanceSpec *orgs,
                              guint                   n_orgs,
                              GError                **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(GPtrArray) before = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (orgs != NULL || n_orgs == 0, FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  if (!pb_store_begin (self, error))
    return FALSE;
  /* Read under the transaction's lock: what a synchronisation wrote meanwhile counts. */
  before = pb_meeting_list_attendance (self, m->id, error);
  if (before == NULL)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < n_orgs; i++)
    {
      if (!orgs[i].in_room && !recorded_in_room (before, orgs[i].org))
        continue;
      if (!pb_meeting_set_attendance (self, m->id, orgs[i].org, orgs[i].in_room, orgs[i].names, error))
        {
          pb_store_rollback (self);
          return FALSE;
        }
    }
  return pb_store_commit (self, error);
}

/**
 * pb_meeting_room_orgs:
 *
 * Returns: (transfer full): the organisations attending (in the room or connected); all
 *   known organisations when no attendance is recorded, so that the room's screen errs
 *   on the side of showing less
 */
GStrv
pb_meeting_room_orgs (PbStore    *self,
                      const char *meeting_id,
                      GError    **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  stmt = _pb_meeting_prepare (self, "SELECT org FROM meeting_attendance WHERE meeting = ? AND (in_room OR connected)"
                        " ORDER BY org", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      n++;
    }
  if (n == 0)
    {
      g_autoptr(GPtrArray) orgs = pb_store_list_organisations (self, error);

      if (orgs == NULL)
        return NULL;
      for (guint i = 0; i < orgs->len; i++)
        g_strv_builder_add (builder, ((PbOrganisation *) orgs->pdata[i])->id);
    }
  return g_strv_builder_end (builder);
}

/**
 * pb_meeting_room_may_see:
 *
 * Whether every organisation of @orgs may see an item, by the rulebook. An item unknown
 * here is not seen.
 */
gboolean
pb_meeting_room_may_see (PbStore            *self,
                         const char         *item_id,
                         const char * const *orgs)
{
  const PbRuleSource *rules = _pb_store_rules (self);
  PbOrgSet audience;

  if (item_id == NULL || orgs == NULL || !rules->exists (rules->data, "items", item_id))
    return FALSE;
  audience = pb_rules_audience (rules, "items", item_id);
  for (guint i = 0; orgs[i]; i++)
    {
      PbOrgSet bit = rules->org_bit (rules->data, orgs[i]);

      if (bit == 0 || !(audience & bit))
        return FALSE;
    }
  return TRUE;
}
