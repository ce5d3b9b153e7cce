/* pb-meeting.c: the operational consultation: meetings, attendance, the agenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The port prosecutor chairs; police services and customs bring their items; together they
 * decide who leads, what is pursued and what is shared. A meeting, its attendance, its
 * agenda, its decisions and the actions they set are shared rows like any other: written
 * through the write path (change log, access log), synchronised through the hub. A decision
 * changes the item through the same acts as the board (move, lead, case, sharing), so that
 * the guards of the board apply and the item's history shows what the meeting did.
 *
 * Only the chair runs a meeting. Need-to-know applies as everywhere: the agenda is
 * proposed from the items the chair may see; a participant sees an entry for an item their
 * organisation may not see only as "restricted item (‹organisation›)".
 */

#define G_LOG_DOMAIN "pb-meeting"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-meeting-private.h"

/* The first meeting looks back this far for new and changed items. */
#define FIRST_LOOK_BACK_S (7 * 24 * 3600)

static const struct
{
  const char *name;
  const char *label;
} outcomes[PB_N_OUTCOMES] = {
  { "dismiss", N_("Dismiss") },
  { "monitor", N_("Monitor") },
  { "assign_lead", N_("Assign a lead") },
  { "link_case", N_("Link to a case") },
  { "open_case", N_("Open a case") },
  { "share", N_("Share") },
};

const char *
pb_outcome_to_string (PbOutcome outcome)
{
  g_return_val_if_fail (outcome < PB_N_OUTCOMES, NULL);
  return outcomes[outcome].name;
}

gboolean
pb_outcome_from_string (const char *s,
                        PbOutcome  *outcome)
{
  for (guint i = 0; s && i < PB_N_OUTCOMES; i++)
    if (strcmp (outcomes[i].name, s) == 0)
      {
        *outcome = (PbOutcome) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pb_outcome_label (PbOutcome outcome)
{
  g_return_val_if_fail (outcome < PB_N_OUTCOMES, NULL);
  return _(outcomes[outcome].label);
}

/**
 * pb_agenda_reasons_label:
 *
 * Returns: (transfer full): why an item is on the agenda, in words ("New · Hit")
 */
char *
pb_agenda_reasons_label (guint reasons)
{
  const char *labels[] = {
    /* Translators: why an item is on a meeting's agenda */
    N_("New"), N_("Changed"), N_("Joint assessment"), N_("Open action"), N_("New hit"), N_("Added"),
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (reasons & (1u << i))
      g_string_append_printf (out, "%s%s", out->len ? " · " : "", _(labels[i]));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
pb_meeting_free (PbMeeting *meeting)
{
  if (meeting == NULL)
    return;
  g_free (meeting->id);
  g_free (meeting->title);
  g_free (meeting->place);
  g_free (meeting->chair_name);
  g_free (meeting->org);
  g_free (meeting->presenting);
  g_free (meeting->minutes_sha256);
  g_free (meeting);
}

void
pb_attendance_free (PbAttendance *attendance)
{
  if (attendance == NULL)
    return;
  g_free (attendance->id);
  g_free (attendance->org);
  g_free (attendance->org_code);
  g_free (attendance->org_name);
  g_free (attendance->names);
  g_free (attendance);
}

void
pb_agenda_entry_free (PbAgendaEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->item);
  g_free (entry->item_org_code);
  g_free (entry->item_org_name);
  g_clear_object (&entry->card);
  g_free (entry->port_area);
  g_free (entry);
}

void
pb_decision_free (PbDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->id);
  g_free (decision->meeting);
  g_free (decision->item);
  g_free (decision->lead_code);
  g_free (decision->lead_name);
  g_free (decision->priority);
  g_free (decision->case_id);
  g_free (decision->case_title);
  g_free (decision->share_names);
  g_free (decision->tlp);
  g_free (decision->note);
  g_free (decision->decided_by);
  g_free (decision);
}

void
pb_action_free (PbAction *action)
{
  if (action == NULL)
    return;
  g_free (action->id);
  g_free (action->meeting);
  g_free (action->item);
  g_free (action->owner_org);
  g_free (action->owner_code);
  g_free (action->owner_name);
  g_free (action->description);
  g_free (action->due_date);
  g_free (action);
}

char *
_pb_meeting_column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_pb_meeting_invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, message);
  return FALSE;
}

gboolean
_pb_meeting_not_found (GError    **error,
           const char *message)
{
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

gboolean
_pb_meeting_is_blank (const char *s)
{
  while (s && g_ascii_isspace (*s))
    s++;
  return s == NULL || *s == '\0';
}

/* Who reads the consultation's record: anyone signed in but private partners, to whom it
 * is not shown (the hub does not send it to them either). FALSE with @error set when nobody
 * is signed in; FALSE without an error for a partner. */
gboolean
_pb_meeting_may_read (PbStore *self,
          GError **error)
{
  if (self->actor == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("Nobody is signed in: choose who you are first"));
      return FALSE;
    }
  return pb_rules_may_see_meetings (_pb_store_me (self));
}

/* Meetings are run by the chair of the consultation. */
gboolean
_pb_meeting_check_chair (PbStore *self,
             GError **error)
{
  PbVerdict verdict = pb_rules_may_write_table (_pb_store_me (self), "meetings");
  g_autofree char *message = NULL;

  if (pb_verdict_allowed (verdict))
    return TRUE;
  if (verdict.reason != PB_RULE_CHAIR)
    return _pb_store_check_actor (self, "meetings", error);
  message = pb_verdict_message (verdict);
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN, message);
  return FALSE;
}

sqlite3_stmt *
_pb_meeting_prepare (PbStore    *self,
         const char *sql,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  /* Need-to-know comes from the rulebook: "{visible items i}" is expanded. */
  if (sqlite3_prepare_v2 (self->db, pb_rules_sql (sql), -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the meetings"));
      return NULL;
    }
  return stmt;
}

gboolean
_pb_meeting_write_one (PbStore  *self,
           PbOp      op,
           PbRecord *record,
           GError  **error)
{
  return pb_store_write (self, op, record, error);
}

/* ---- Meetings ---------------------------------------------------------------------- */

#define MEETING_COLUMNS \
  "m.id, m.title, m.place, m.starts_at, m.status, m.closed_at, p.name, m.org, m.presenting, m.minutes_sha256"

static PbMeeting *
meeting_from_stmt (sqlite3_stmt *stmt)
{
  PbMeeting *m = g_new0 (PbMeeting, 1);

  m->id = _pb_meeting_column_dup (stmt, 0);
  m->title = _pb_meeting_column_dup (stmt, 1);
  m->place = _pb_meeting_column_dup (stmt, 2);
  m->starts_at = sqlite3_column_int64 (stmt, 3);
  m->closed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "closed") == 0;
  m->closed_at = sqlite3_column_int64 (stmt, 5);
  m->chair_name = _pb_meeting_column_dup (stmt, 6);
  m->org = _pb_meeting_column_dup (stmt, 7);
  m->presenting = _pb_meeting_column_dup (stmt, 8);
  m->minutes_sha256 = _pb_meeting_column_dup (stmt, 9);
  return m;
}

/**
 * pb_meeting_open:
 *
 * The chair opens a meeting: its title, place and start (seconds since 1970; 0: now).
 */
gboolean
pb_meeting_open (PbStore     *self,
                 const char  *title,
                 const char  *place,
                 gint64       starts_at,
                 char       **meeting_id,
                 GError     **error)
{
  g_autoptr(PbRecord) record = NULL;
  g_autoptr(PbPerson) me = NULL;
  g_autofree char *t = g_strstrip (g_strdup (title ? title : ""));

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error))
    return FALSE;
  if (*t == '\0')
    return _pb_meeting_invalid (error, _("A meeting needs a title"));
  me = pb_store_find_person (self, self->actor, error);
  if (me == NULL)
    return FALSE;

  record = pb_record_new ("meetings", NULL);
  pb_record_set_string (record, "title", t);
  if (place && *place)
    pb_record_set_string (record, "place", place);
  pb_record_set_int (record, "starts_at", starts_at > 0 ? starts_at : _pb_store_now_ms (self) / 1000);
  pb_record_set_string (record, "chair", me->id);
  pb_record_set_string (record, "org", me->org);
  if (!_pb_meeting_write_one (self, PB_OP_INSERT, record, error))
    return FALSE;
  if (meeting_id)
    *meeting_id = g_strdup (pb_record_get_id (record));
  return TRUE;
}

/**
 * pb_meeting_list:
 *
 * Returns: (transfer full) (element-type PbMeeting): every meeting, the latest first
 */
GPtrArray *
pb_meeting_list (PbStore *self,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_meeting_free);
  stmt = _pb_meeting_prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
                        " ORDER BY m.starts_at DESC, m.id", error);
  if (stmt == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_meeting_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, meeting_from_stmt (stmt));
  return out;
}

PbMeeting *
pb_meeting_get (PbStore    *self,
                const char *meeting_id,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    {
      if (self->actor != NULL)
        _pb_meeting_not_found (error, _("There is no such meeting"));
      return NULL;
    }
  stmt = _pb_meeting_prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
                        " WHERE m.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id ? meeting_id : "", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _pb_meeting_not_found (error, _("There is no such meeting"));
      return NULL;
    }
  return meeting_from_stmt (stmt);
}

/**
 * pb_meeting_get_current:
 *
 * Returns: (transfer full) (nullable): the open meeting that started last, or %NULL
 *   without an error when no meeting is open
 */
PbMeeting *
pb_meeting_get_current (PbStore *self,
                        GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    return NULL;
  stmt = _pb_meeting_prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
                        " WHERE m.status = 'open' ORDER BY m.starts_at DESC, m.id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return meeting_from_stmt (stmt);
}

PbMeeting *
_pb_meeting_open_meeting (PbStore    *self,
              const char *meeting_id,
              GError    **error)
{
  PbMeeting *m = pb_meeting_get (self, meeting_id, error);

  if (m && m->closed)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   _("The meeting “%s” is closed: its record cannot change"), m->title);
      pb_meeting_free (m);
      return NULL;
    }
  return m;
}

/* ---- Attendance -------------------------------------------------------------------- */

static char *
attendance_row (PbStore    *self,
                const char *meeting_id,
                const char *org)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT id FROM meeting_attendance WHERE meeting = ? AND org = ?", NULL);
  char *id = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, meeting_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    id = _pb_meeting_column_dup (s, 0);
  sqlite3_reset (s);
  return id;
}

/**
 * pb_meeting_set_attendance:
 *
 * The chair records whether an organisation is present in the room, and who.
 */
gboolean
pb_meeting_set_attendance (PbStore    *self,
                           const char *meeting_id,
                           const char *org,
                           gboolean    in_room,
                           const char *names,
                           GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbOrganisation) o = NULL;
  g_autoptr(PbRecord) record = NULL;
  g_autofree char *row = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL
      || (o = pb_store_find_organisation (self, org ? org : "", error)) == NULL)
    return FALSE;
  row = attendance_row (self, m->id, o->id);
  record = pb_record_new ("meeting_attendance", row);
  if (row == NULL)
    {
      pb_record_set_string (record, "meeting", m->id);
      pb_record_set_string (record, "org", o->id);
    }
  pb_record_set_int (record, "in_room", in_room ? 1 : 0);
  if (names && *names)
    pb_record_set_string (record, "names", names);
  else
    pb_record_set_null (record, "names");
  return _pb_meeting_write_one (self, row ? PB_OP_UPDATE : PB_OP_INSERT, record, error);
}

/**
 * pb_meeting_set_connected:
 *
 * A participant's Portboard says that their organisation follows the meeting from afar.
 */
gboolean
pb_meeting_set_connected (PbStore    *self,
                          const char *meeting_id,
                          gboolean    connected,
                          GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbPerson) me = NULL;
  g_autoptr(PbRecord) record = NULL;
  g_autofree char *row = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "meeting_attendance", error)
      || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL
      || (me = pb_store_find_person (self, self->actor, error)) == NULL)
    return FALSE;
  row = attendance_row (self, m->id, me->org);
  record = pb_record_new ("meeting_attendance", row);
  if (row == NULL)
    {
      pb_record_set_string (record, "meeting", m->id);
      pb_record_set_string (record, "org", me->org);
    }
  pb_record_set_int (record, "connected", connected ? 1 : 0);
  return _pb_meeting_write_one (self, row ? PB_OP_UPDATE : PB_OP_INSERT, record, error);
}

/**
 * pb_meeting_list_attendance:
 *
 * Returns: (transfer full) (element-type PbAttendance): every organisation recorded as
 *   present or connected, by name
 */
GPtrArray *
pb_meeting_list_attendance (PbStore    *self,
                            const char *meeting_id,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;

  if (!_pb_meeting_may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_attendance_free);
  stmt = _pb_meeting_prepare (self, "SELECT a.id, a.org, o.short_code, o.name, o.kind, a.in_room, a.connected, a.names"
                        " FROM meeting_attendance a JOIN organisations o ON o.id = a.org"
                        " WHERE a.meeting = ? AND (a.in_room OR a.connected) ORDER BY o.name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_STATIC);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_attendance_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbAttendance *a = g_new0 (PbAttendance, 1);

      a->id = _pb_meeting_column_dup (stmt, 0);
      a->org = _pb_meeting_column_dup (stmt, 1);
      a->org_code = _pb_meeting_column_dup (stmt, 2);
      a->org_name = _pb_meeting_column_dup (stmt, 3);
      pb_org_kind_from_string ((const char *) sqlite3_column_text (stmt, 4), &a->org_kind);
      a->in_room = sqlite3_column_int (stmt, 5) != 0;
      a->connected = sqlite3_column_int (stmt, 6) != 0;
      a->names = _pb_meeting_column_dup (stmt, 7);
      g_ptr_array_add (out, a);
    }
  return out;
}

/* ---- Agenda ------------------------------------------------------------------------ */

/* When the meeting before this one ended; the first meeting looks back a week. */
static gint64
previous_meeting_end (PbStore         *self,
                      const PbMeeting *m)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT max (coalesce (closed_at, starts_at)) FROM meetings"
                                              " WHERE status = 'closed' AND id <> ? AND starts_at <= ?", NULL);
  gint64 since = m->starts_at - FIRST_LOOK_BACK_S;

  if (s == NULL)
    return since;
  sqlite3_bind_text (s, 1, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, m->starts_at);
  if (sqlite3_step (s) == SQLITE_ROW && sqlite3_column_type (s, 0) != SQLITE_NULL)
    since = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return since;
}

static double
last_rank (PbStore    *self,
           const char *meeting_id)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT max (rank) FROM agenda_entries WHERE meeting = ?", NULL);
  double rank = 0;

  if (s == NULL)
    return 0;
  sqlite3_bind_text (s, 1, meeting_id, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    rank = sqlite3_column_double (s, 0);
  sqlite3_reset (s);
  return rank;
}

static gboolean
add_entry (PbStore    *self,
           const char *meeting_id,
           const char *item_id,
           const char *item_org,
           double      rank,
           guint       reasons,
           GError    **error)
{
  g_autoptr(PbRecord) record = pb_record_new ("agenda_entries", NULL);

  pb_record_set_string (record, "meeting", meeting_id);
  pb_record_set_string (record, "item", item_id);
  pb_record_set_string (record, "item_org", item_org);
  pb_record_set_double (record, "rank", rank);
  pb_record_set_int (record, "reasons", reasons);
  return _pb_meeting_write_one (self, PB_OP_INSERT, record, error);
}

/* The proposal, in the order the chair is offered it: open actions first, then joint
 * assessment, new hits, new and changed items; within each, by priority and age. The
 * query sees only what the chair may see. */
static const char proposal_sql[] =
  "WITH since (s) AS (SELECT :since),"
  " changed (item) AS ("
  "   SELECT row_id FROM change_log, since WHERE tbl = 'items' AND op = 'update' AND (hlc >> 16) >= s * 1000"
  "   UNION SELECT d.item FROM change_log c JOIN identifiers d ON d.id = c.row_id, since"
  "   WHERE c.tbl = 'identifiers' AND (c.hlc >> 16) >= s * 1000),"
  " hits (item) AS ("
  "   SELECT d.item FROM identifiers d JOIN items i ON i.id = d.item, since"
  "   WHERE EXISTS (SELECT 1 FROM identifier_orgs o WHERE o.kind = d.kind AND o.value = d.value"
  "                 AND o.org <> i.source_org)"
  "     AND EXISTS (SELECT 1 FROM identifiers d2 JOIN change_log c ON c.row_id = d2.id AND c.op = 'insert'"
  "                 WHERE d2.kind = d.kind AND d2.value = d.value AND (c.hlc >> 16) >= s * 1000)"
  "   UNION SELECT d.item FROM identifiers d JOIN items i ON i.id = d.item"
  "     JOIN hub_hits h ON h.kind = d.kind AND h.value = d.value AND h.org <> i.source_org, since"
  "   WHERE h.found_at >= s * 1000),"
  " actions (item) AS (SELECT item FROM meeting_actions WHERE done_at IS NULL)"
  " SELECT i.id, i.source_org,"
  "   (i.reported_at >= (SELECT s FROM since)) AS is_new,"
  "   (i.id IN (SELECT item FROM changed)) AS is_changed,"
  "   (i.status = 'assessment') AS in_assessment,"
  "   (i.id IN (SELECT item FROM actions)) AS has_action,"
  "   (i.id IN (SELECT item FROM hits)) AS has_hit"
  " FROM items i"
  " WHERE (i.status <> 'closed' OR i.id IN (SELECT item FROM actions))"
  "   AND (i.reported_at >= (SELECT s FROM since) OR i.status = 'assessment'"
  "        OR i.id IN (SELECT item FROM changed) OR i.id IN (SELECT item FROM actions)"
  "        OR i.id IN (SELECT item FROM hits))"
  "   AND {visible items i}"
  " ORDER BY has_action DESC, in_assessment DESC, has_hit DESC, is_new DESC,"
  "   CASE i.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,"
  "   i.reported_at";

/**
 * pb_meeting_propose_agenda:
 *
 * Adds to the agenda what the consultation should see: items new or changed since the
 * last meeting, items in Joint assessment, items with open actions, and items with hits
 * found since the last meeting. Entries already on the agenda stay where the chair put
 * them; the new ones go to the end. @n_added: how many entries were added.
 */
gboolean
pb_meeting_propose_agenda (PbStore    *self,
                           const char *meeting_id,
                           guint      *n_added,
                           GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *s;
  double rank;
  guint added = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (n_added)
    *n_added = 0;
  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;

  s = _pb_store_get_stmt (self, "SELECT item FROM agenda_entries WHERE meeting = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, m->id, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_hash_table_add (present, _pb_meeting_column_dup (s, 0));
  sqlite3_reset (s);

  stmt = _pb_meeting_prepare (self, proposal_sql, error);
  if (stmt == NULL || !_pb_store_bind_viewer (self, stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":since"), previous_meeting_end (self, m));

  if (!pb_store_begin (self, error))
    return FALSE;
  rank = last_rank (self, m->id);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *item = (const char *) sqlite3_column_text (stmt, 0);
      guint reasons = (sqlite3_column_int (stmt, 2) ? PB_AGENDA_NEW : 0)
                      | (sqlite3_column_int (stmt, 3) && !sqlite3_column_int (stmt, 2) ? PB_AGENDA_CHANGED : 0)
                      | (sqlite3_column_int (stmt, 4) ? PB_AGENDA_ASSESSMENT : 0)
                      | (sqlite3_column_int (stmt, 5) ? PB_AGENDA_ACTION : 0)
                      | (sqlite3_column_int (stmt, 6) ? PB_AGENDA_HIT : 0);

      if (g_hash_table_contains (present, item))
        continue;
      rank += 1;
      ok = add_entry (self, m->id, item, (const char *) sqlite3_column_text (stmt, 1), rank, reasons, error);
      added++;
    }
  if (!ok)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  if (!pb_store_commit (self, error))
    return FALSE;
  if (n_added)
    *n_added = added;
  return TRUE;
}

/**
 * pb_meeting_add_entry:
 *
 * The chair puts an item on the agenda, at the end.
 */
gboolean
pb_meeting_add_entry (PbStore    *self,
                      const char *meeting_id,
                      const char *item_id,
                      GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbCard) card = NULL;
  g_autofree char *existing = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  card = pb_store_load_card (self, item_id ? item_id : "", NULL);
  if (card == NULL)
    return _pb_meeting_not_found (error, _("The item does not exist or is not shared with your organisation"));
  s = _pb_store_get_stmt (self, "SELECT id FROM agenda_entries WHERE meeting = ? AND item = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    existing = _pb_meeting_column_dup (s, 0);
  sqlite3_reset (s);
  if (existing)
    return _pb_meeting_invalid (error, _("The item is on the agenda already"));
  return add_entry (self, m->id, item_id, pb_card_get_source_org (card), last_rank (self, m->id) + 1,
                    PB_AGENDA_ADDED, error);
}

static char *
entry_meeting (PbStore    *self,
               const char *entry_id,
               double     *rank)
{
  sqlite3_stmt *s = _pb_store_get_stmt (self, "SELECT meeting, rank FROM agenda_entries WHERE id = ?", NULL);
  char *meeting = NULL;

  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, entry_id ? entry_id : "", -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      meeting = _pb_meeting_column_dup (s, 0);
      if (rank)
        *rank = sqlite3_column_double (s, 1);
    }
  sqlite3_reset (s);
  return meeting;
}

gboolean
pb_meeting_remove_entry (PbStore    *self,
                         const char *entry_id,
                         GError    **error)
{
  g_autofree char *meeting_id = NULL;
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbRecord) record = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error))
    return FALSE;
  meeting_id = entry_meeting (self, entry_id, NULL);
  if (meeting_id == NULL)
    return _pb_meeting_not_found (error, _("There is no such agenda entry"));
  if ((m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;

  if (!pb_store_begin (self, error))
    return FALSE;
  if (g_strcmp0 (m->presenting, entry_id) == 0)
    {
      record = pb_record_new ("meetings", m->id);
      pb_record_set_null (record, "presenting");
      if (!_pb_meeting_write_one (self, PB_OP_UPDATE, record, error))
        {
          pb_store_rollback (self);
          return FALSE;
        }
      g_clear_pointer (&record, pb_record_free);
    }
  record = pb_record_new ("agenda_entries", entry_id);
  if (!_pb_meeting_write_one (self, PB_OP_DELETE, record, error))
    {
      pb_store_rollback (self);
      return FALSE;
    }
  return pb_store_commit (self, error);
}

/**
 * pb_meeting_move_entry:
 *
 * Places an agenda entry before another of the same meeting (%NULL: at the end).
 */
gboolean
pb_meeting_move_entry (PbStore    *self,
                       const char *entry_id,
                       const char *before_entry,
                       GError    **error)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *before_meeting = NULL;
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbRecord) record = NULL;
  double before_rank = 0, rank;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error))
    return FALSE;
  meeting_id = entry_meeting (self, entry_id, NULL);
  if (meeting_id == NULL)
    return _pb_meeting_not_found (error, _("There is no such agenda entry"));
  if ((m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (entry_id, before_entry) == 0)
    return _pb_meeting_invalid (error, _("An entry cannot be placed before itself"));

  if (before_entry == NULL)
    rank = last_rank (self, meeting_id) + 1;
  else
    {
      sqlite3_stmt *s;

      before_meeting = entry_meeting (self, before_entry, &before_rank);
      if (g_strcmp0 (before_meeting, meeting_id) != 0)
        return _pb_meeting_not_found (error, _("There is no such agenda entry"));
      /* Halfway between the entry before which it goes and the one before that. */
      s = _pb_store_get_stmt (self, "SELECT max (rank) FROM agenda_entries WHERE meeting = ? AND rank < ?"
                                    " AND id <> ?", error);
      if (s == NULL)
        return FALSE;
      sqlite3_bind_text (s, 1, meeting_id, -1, SQLITE_STATIC);
      sqlite3_bind_double (s, 2, before_rank);
      sqlite3_bind_text (s, 3, entry_id, -1, SQLITE_STATIC);
      if (sqlite3_step (s) == SQLITE_ROW && sqlite3_column_type (s, 0) != SQLITE_NULL)
        rank = (sqlite3_column_double (s, 0) + before_rank) / 2;
      else
        rank = before_rank - 1;
      sqlite3_reset (s);
    }
  record = pb_record_new ("agenda_entries", entry_id);
  pb_record_set_double (record, "rank", rank);
  return _pb_meeting_write_one (self, PB_OP_UPDATE, record, error);
}

/**
 * pb_meeting_list_agenda:
 *
 * Returns: (transfer full) (element-type PbAgendaEntry): the agenda in order; an entry
 *   for an item the signed-in person may not see has no card and no location
 */
GPtrArray *
pb_meeting_list_agenda (PbStore    *self,
                        const char *meeting_id,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GHashTable) by_item = NULL;
  sqlite3_stmt *where;

  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  if (!_pb_meeting_may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_agenda_entry_free);
  stmt = _pb_meeting_prepare (self, "SELECT e.id, e.item, o.short_code, o.name, e.rank, e.reasons,"
                        "  (SELECT count (*) FROM decisions d WHERE d.meeting = e.meeting AND d.item = e.item)"
                        " FROM agenda_entries e LEFT JOIN organisations o ON o.id = e.item_org"
                        " WHERE e.meeting = ? ORDER BY e.rank, e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_STATIC);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_agenda_entry_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbAgendaEntry *e = g_new0 (PbAgendaEntry, 1);

      e->id = _pb_meeting_column_dup (stmt, 0);
      e->item = _pb_meeting_column_dup (stmt, 1);
      e->item_org_code = _pb_meeting_column_dup (stmt, 2);
      e->item_org_name = _pb_meeting_column_dup (stmt, 3);
      e->rank = sqlite3_column_double (stmt, 4);
      e->reasons = (guint) sqlite3_column_int (stmt, 5);
      e->n_decisions = (guint) sqlite3_column_int (stmt, 6);
      g_ptr_array_add (out, e);
    }

  /* The cards of the items the signed-in person may see, in one reading. */
  cards = _pb_store_load_cards_where (self, "i.id IN (SELECT item FROM agenda_entries WHERE meeting = :key)",
                                      meeting_id, TRUE, error);
  if (cards == NULL)
    return NULL;
  by_item = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < cards->len; i++)
    g_hash_table_insert (by_item, (char *) pb_card_get_id (cards->pdata[i]), cards->pdata[i]);
  for (guint i = 0; i < out->len; i++)
    {
      PbAgendaEntry *e = out->pdata[i];
      PbCard *card = g_hash_table_lookup (by_item, e->item);

      e->card = card ? g_object_ref (card) : NULL;
    }

  /* Where the items are: only those the signed-in person may see. */
  where = _pb_store_get_stmt (self, "SELECT lat, lon, port_area FROM items WHERE id = ?", error);
  if (where == NULL)
    return NULL;
  for (guint i = 0; i < out->len; i++)
    {
      PbAgendaEntry *e = out->pdata[i];

      if (e->card == NULL)
        continue;
      sqlite3_bind_text (where, 1, e->item, -1, SQLITE_STATIC);
      if (sqlite3_step (where) == SQLITE_ROW)
        {
          e->located = sqlite3_column_type (where, 0) != SQLITE_NULL && sqlite3_column_type (where, 1) != SQLITE_NULL;
          e->lat = sqlite3_column_double (where, 0);
          e->lon = sqlite3_column_double (where, 1);
          e->port_area = _pb_meeting_column_dup (where, 2);
        }
      sqlite3_reset (where);
    }
  return g_steal_pointer (&out);
}

/**
 * pb_meeting_present:
 *
 * The chair shows one agenda entry to everyone (%NULL: none).
 */
gboolean
pb_meeting_present (PbStore    *self,
                    const char *meeting_id,
                    const char *entry_id,
                    GError    **error)
{
  g_autoptr(PbMeeting) m = NULL;
  g_autoptr(PbRecord) record = NULL;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_meeting_check_chair (self, error) || (m = _pb_meeting_open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  if (entry_id)
    {
      g_autofree char *of = entry_meeting (self, entry_id, NULL);
      if (g_strcmp0 (of, m->id) != 0)
        return _pb_meeting_not_found (error, _("There is no such agenda entry"));
    }
  if (g_strcmp0 (m->presenting, entry_id) == 0)
    return TRUE;
  record = pb_record_new ("meetings", m->id);
  if (entry_id)
    pb_record_set_string (record, "presenting", entry_id);
  else
    pb_record_set_null (record, "presenting");
  return _pb_meeting_write_one (self, PB_OP_UPDATE, record, error);
}
