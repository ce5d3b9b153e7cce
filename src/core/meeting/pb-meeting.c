/* pb-meeting.c: the operational consultation: meetings, agenda, decisions, actions
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

#include "pb-meeting.h"
#include "pb-store-private.h"

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

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
not_found (GError    **error,
           const char *message)
{
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND, message);
  return FALSE;
}

static gboolean
is_blank (const char *s)
{
  while (s && g_ascii_isspace (*s))
    s++;
  return s == NULL || *s == '\0';
}

/* Who reads the consultation's record: anyone signed in but private partners, to whom it
 * is not shown (the hub does not send it to them either). FALSE with @error set when nobody
 * is signed in; FALSE without an error for a partner. */
static gboolean
may_read (PbStore *self,
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
static gboolean
check_chair (PbStore *self,
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

static sqlite3_stmt *
prepare (PbStore    *self,
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

static gboolean
write_one (PbStore  *self,
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

  m->id = column_dup (stmt, 0);
  m->title = column_dup (stmt, 1);
  m->place = column_dup (stmt, 2);
  m->starts_at = sqlite3_column_int64 (stmt, 3);
  m->closed = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "closed") == 0;
  m->closed_at = sqlite3_column_int64 (stmt, 5);
  m->chair_name = column_dup (stmt, 6);
  m->org = column_dup (stmt, 7);
  m->presenting = column_dup (stmt, 8);
  m->minutes_sha256 = column_dup (stmt, 9);
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

  if (!check_chair (self, error))
    return FALSE;
  if (*t == '\0')
    return invalid (error, _("A meeting needs a title"));
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
  if (!write_one (self, PB_OP_INSERT, record, error))
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

  if (!may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_meeting_free);
  stmt = prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
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

  if (!may_read (self, error))
    {
      if (self->actor != NULL)
        not_found (error, _("There is no such meeting"));
      return NULL;
    }
  stmt = prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
                        " WHERE m.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id ? meeting_id : "", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      not_found (error, _("There is no such meeting"));
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

  if (!may_read (self, error))
    return NULL;
  stmt = prepare (self, "SELECT " MEETING_COLUMNS " FROM meetings m LEFT JOIN people p ON p.id = m.chair"
                        " WHERE m.status = 'open' ORDER BY m.starts_at DESC, m.id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return meeting_from_stmt (stmt);
}

static PbMeeting *
open_meeting (PbStore    *self,
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
    id = column_dup (s, 0);
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

  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL
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
  return write_one (self, row ? PB_OP_UPDATE : PB_OP_INSERT, record, error);
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
      || (m = open_meeting (self, meeting_id, error)) == NULL
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
  return write_one (self, row ? PB_OP_UPDATE : PB_OP_INSERT, record, error);
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

  if (!may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_attendance_free);
  stmt = prepare (self, "SELECT a.id, a.org, o.short_code, o.name, o.kind, a.in_room, a.connected, a.names"
                        " FROM meeting_attendance a JOIN organisations o ON o.id = a.org"
                        " WHERE a.meeting = ? AND (a.in_room OR a.connected) ORDER BY o.name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_STATIC);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_attendance_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbAttendance *a = g_new0 (PbAttendance, 1);

      a->id = column_dup (stmt, 0);
      a->org = column_dup (stmt, 1);
      a->org_code = column_dup (stmt, 2);
      a->org_name = column_dup (stmt, 3);
      pb_org_kind_from_string ((const char *) sqlite3_column_text (stmt, 4), &a->org_kind);
      a->in_room = sqlite3_column_int (stmt, 5) != 0;
      a->connected = sqlite3_column_int (stmt, 6) != 0;
      a->names = column_dup (stmt, 7);
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
  return write_one (self, PB_OP_INSERT, record, error);
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
  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;

  s = _pb_store_get_stmt (self, "SELECT item FROM agenda_entries WHERE meeting = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, m->id, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_hash_table_add (present, column_dup (s, 0));
  sqlite3_reset (s);

  stmt = prepare (self, proposal_sql, error);
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

  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  card = pb_store_load_card (self, item_id ? item_id : "", NULL);
  if (card == NULL)
    return not_found (error, _("The item does not exist or is not shared with your organisation"));
  s = _pb_store_get_stmt (self, "SELECT id FROM agenda_entries WHERE meeting = ? AND item = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    existing = column_dup (s, 0);
  sqlite3_reset (s);
  if (existing)
    return invalid (error, _("The item is on the agenda already"));
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
      meeting = column_dup (s, 0);
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

  if (!check_chair (self, error))
    return FALSE;
  meeting_id = entry_meeting (self, entry_id, NULL);
  if (meeting_id == NULL)
    return not_found (error, _("There is no such agenda entry"));
  if ((m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;

  if (!pb_store_begin (self, error))
    return FALSE;
  if (g_strcmp0 (m->presenting, entry_id) == 0)
    {
      record = pb_record_new ("meetings", m->id);
      pb_record_set_null (record, "presenting");
      if (!write_one (self, PB_OP_UPDATE, record, error))
        {
          pb_store_rollback (self);
          return FALSE;
        }
      g_clear_pointer (&record, pb_record_free);
    }
  record = pb_record_new ("agenda_entries", entry_id);
  if (!write_one (self, PB_OP_DELETE, record, error))
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

  if (!check_chair (self, error))
    return FALSE;
  meeting_id = entry_meeting (self, entry_id, NULL);
  if (meeting_id == NULL)
    return not_found (error, _("There is no such agenda entry"));
  if ((m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (entry_id, before_entry) == 0)
    return invalid (error, _("An entry cannot be placed before itself"));

  if (before_entry == NULL)
    rank = last_rank (self, meeting_id) + 1;
  else
    {
      sqlite3_stmt *s;

      before_meeting = entry_meeting (self, before_entry, &before_rank);
      if (g_strcmp0 (before_meeting, meeting_id) != 0)
        return not_found (error, _("There is no such agenda entry"));
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
  return write_one (self, PB_OP_UPDATE, record, error);
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

  if (!may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_agenda_entry_free);
  stmt = prepare (self, "SELECT e.id, e.item, o.short_code, o.name, e.rank, e.reasons,"
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

      e->id = column_dup (stmt, 0);
      e->item = column_dup (stmt, 1);
      e->item_org_code = column_dup (stmt, 2);
      e->item_org_name = column_dup (stmt, 3);
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
          e->port_area = column_dup (where, 2);
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

  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  if (entry_id)
    {
      g_autofree char *of = entry_meeting (self, entry_id, NULL);
      if (g_strcmp0 (of, m->id) != 0)
        return not_found (error, _("There is no such agenda entry"));
    }
  if (g_strcmp0 (m->presenting, entry_id) == 0)
    return TRUE;
  record = pb_record_new ("meetings", m->id);
  if (entry_id)
    pb_record_set_string (record, "presenting", entry_id);
  else
    pb_record_set_null (record, "presenting");
  return write_one (self, PB_OP_UPDATE, record, error);
}

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
  return write_one (self, PB_OP_UPDATE, record, error);
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
          if (!write_one (self, PB_OP_INSERT, share, error))
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
  if (!write_one (self, PB_OP_INSERT, decision, error))
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
      if (!write_one (self, PB_OP_INSERT, action, error))
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

  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  card = pb_store_load_card (self, item_id ? item_id : "", NULL);
  if (card == NULL)
    return not_found (error, _("The item does not exist or is not shared with your organisation"));
  if (spec->outcome >= PB_N_OUTCOMES)
    return invalid (error, _("Unknown outcome of a decision"));

  if (spec->lead_org && (lead = pb_store_find_organisation (self, spec->lead_org, error)) == NULL)
    return FALSE;
  if (spec->outcome == PB_OUTCOME_ASSIGN_LEAD && lead == NULL)
    return invalid (error, _("Assigning a lead needs the organisation that leads"));
  if (spec->outcome == PB_OUTCOME_LINK_CASE)
    {
      g_autoptr(PbCase) c = NULL;

      if (spec->case_id == NULL || (c = pb_store_open_case (self, spec->case_id, error)) == NULL)
        {
          if (error && *error == NULL)
            invalid (error, _("Linking to a case needs the case"));
          return FALSE;
        }
    }
  if (spec->outcome == PB_OUTCOME_OPEN_CASE && is_blank (spec->case_title))
    return invalid (error, _("Opening a case needs its title"));
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
    return invalid (error, _("Sharing needs the organisations to share with or a new handling code"));
  for (guint i = 0; i < spec->n_actions; i++)
    {
      const PbActionSpec *a = &spec->actions[i];
      PbOrganisation *o;

      if (is_blank (a->description))
        return invalid (error, _("An action needs a description"));
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

  if (!may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_decision_free);
  stmt = prepare (self, "SELECT d.id, d.meeting, d.item, d.outcome, o.short_code, o.name, d.priority, d.case_id,"
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

      d->id = column_dup (stmt, 0);
      d->meeting = column_dup (stmt, 1);
      d->item = column_dup (stmt, 2);
      pb_outcome_from_string ((const char *) sqlite3_column_text (stmt, 3), &d->outcome);
      d->lead_code = column_dup (stmt, 4);
      d->lead_name = column_dup (stmt, 5);
      d->priority = column_dup (stmt, 6);
      d->case_id = column_dup (stmt, 7);
      d->case_title = column_dup (stmt, 8);
      d->share_names = column_dup (stmt, 9);
      d->tlp = column_dup (stmt, 10);
      d->note = column_dup (stmt, 11);
      d->decided_at = sqlite3_column_int64 (stmt, 12);
      d->decided_by = column_dup (stmt, 13);
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

  if (!may_read (self, error))
    return self->actor == NULL ? NULL : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_action_free);
  stmt = prepare (self, "SELECT a.id, a.meeting, a.item, a.owner_org, o.short_code, o.name, a.description,"
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

      a->id = column_dup (stmt, 0);
      a->meeting = column_dup (stmt, 1);
      a->item = column_dup (stmt, 2);
      a->owner_org = column_dup (stmt, 3);
      a->owner_code = column_dup (stmt, 4);
      a->owner_name = column_dup (stmt, 5);
      a->description = column_dup (stmt, 6);
      a->due_date = column_dup (stmt, 7);
      a->done_at = sqlite3_column_int64 (stmt, 8);
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
  g_autoptr(PbPerson) me = NULL;
  g_autoptr(PbRecord) record = NULL;
  g_autofree char *owner = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  if (!_pb_store_check_actor (self, "meeting_actions", error)
      || (me = pb_store_find_person (self, self->actor, error)) == NULL)
    return FALSE;
  s = _pb_store_get_stmt (self, "SELECT owner_org FROM meeting_actions WHERE id = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, action_id ? action_id : "", -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    owner = column_dup (s, 0);
  sqlite3_reset (s);
  if (owner == NULL)
    return not_found (error, _("There is no such action"));
  if (me->role != PB_ROLE_CHAIR && g_strcmp0 (owner, me->org) != 0)
    return invalid (error, _("Only the organisation that owns an action, or the chair, marks it done"));
  record = pb_record_new ("meeting_actions", action_id);
  if (done)
    pb_record_set_int (record, "done_at", _pb_store_now_ms (self) / 1000);
  else
    pb_record_set_null (record, "done_at");
  return write_one (self, PB_OP_UPDATE, record, error);
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

  if (!check_chair (self, error) || (m = open_meeting (self, meeting_id, error)) == NULL)
    return FALSE;
  record = pb_record_new ("meetings", m->id);
  pb_record_set_string (record, "status", "closed");
  pb_record_set_int (record, "closed_at", _pb_store_now_ms (self) / 1000);
  pb_record_set_null (record, "presenting");
  return write_one (self, PB_OP_UPDATE, record, error);
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
      if (!write_one (self, PB_OP_UPDATE, record, error))
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

  stmt = prepare (self, "SELECT org FROM meeting_attendance WHERE meeting = ? AND (in_room OR connected)"
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
