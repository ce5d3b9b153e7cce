/* test-meeting.c: meetings, the proposed agenda, decisions through the write path, the
 * projector's rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-meeting.h"
#include "pb-test-util.h"
#include "pb-util.h"

#define DAY_S (24 * 3600)

static gint64
fake_now (gpointer data)
{
  return *(gint64 *) data;
}

static char *
text1 (PbStore    *store,
       const char *sql,
       const char *id)
{
  sqlite3_stmt *stmt;
  char *out = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

static void
sign_in (PbTestDb   *db,
         const char *who)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_store_set_actor (db->store, who, &error));
  g_assert_no_error (error);
}

static char *
open_meeting (PbTestDb   *db,
              const char *title,
              gint64      starts_at)
{
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  sign_in (db, db->chair);
  g_assert_true (pb_meeting_open (db->store, title, "Port House, room 3", starts_at, &id, &error));
  g_assert_no_error (error);
  g_assert_true (pb_uuid_is_valid (id));
  return id;
}

static const PbAgendaEntry *
entry_for (GPtrArray  *agenda,
           const char *item)
{
  for (guint i = 0; i < agenda->len; i++)
    if (g_strcmp0 (((PbAgendaEntry *) agenda->pdata[i])->item, item) == 0)
      return agenda->pdata[i];
  return NULL;
}

static void
set_reported (PbTestDb   *db,
              const char *item,
              gint64      at)
{
  g_autoptr(PbRecord) r = pb_record_new ("items", item);

  pb_record_set_int (r, "reported_at", at);
  pb_test_write_as_owner (db, PB_OP_UPDATE, r);
}

/* Two meetings: the first proposes what is new; decisions change the items through the
 * write path; the second proposes open actions, joint assessment, a hit found since the
 * first meeting and a new report, in that order, and nothing the chair may not see. */
static void
test_agenda_and_decisions (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  /* Hybrid clocks never run back: the test's days come after the setup's real time. */
  const gint64 base = g_get_real_time () / G_USEC_PER_SEC + DAY_S;
  gint64 now = base * 1000;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL, *g = NULL;
  g_autofree char *m1 = NULL, *m2 = NULL, *decision = NULL, *status = NULL, *lead = NULL, *reason = NULL;
  g_autofree char *expected_reason = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) agenda2 = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  const PbActionSpec action = { "CUS", "Scan the reefer at the MSC terminal", "2026-10-01" };
  const char *share_with[] = { "CUS", NULL };
  PbDecisionSpec spec = { 0 };
  guint n_added = 0;
  gint64 changes_before;

  pb_test_db_init (&db);
  pb_store_set_clock (db.store, fake_now, &now);

  a = pb_test_add_item (&db, db.officer, "Reefer of bananas, weight mismatch", "AMBER", NULL);
  b = pb_test_add_item (&db, db.customs_officer, "Customs scan anomaly", "GREEN", NULL);
  c = pb_test_add_item (&db, db.customs_officer, "Customs informant report", "AMBER", NULL);
  e = pb_test_add_item (&db, db.officer, "Rip-on team seen at the Deurganck dock", "GREEN", NULL);
  f = pb_test_add_item (&db, db.officer, "Container on a watch list", "AMBER", "MSCU1234566");
  set_reported (&db, a, base);
  set_reported (&db, b, base);
  set_reported (&db, c, base);
  set_reported (&db, e, base);
  set_reported (&db, f, base);
  sign_in (&db, db.officer);
  g_assert_true (pb_store_move_item (db.store, e, PB_STATUS_ASSESSMENT, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Meeting 1: the week's reports the chair may see (not customs' AMBER report). */
  now = (gint64) (base + 2 * DAY_S) * 1000;
  m1 = open_meeting (&db, "Consultation 12", base + 2 * DAY_S);
  g_assert_true (pb_meeting_propose_agenda (db.store, m1, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 4);
  agenda = pb_meeting_list_agenda (db.store, m1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agenda->len, ==, 4);
  g_assert_null (entry_for (agenda, c));
  g_assert_nonnull (entry_for (agenda, a));
  g_assert_true (entry_for (agenda, a)->reasons & PB_AGENDA_NEW);
  g_assert_cmpstr (entry_for (agenda, b)->item_org_code, ==, "CUS");
  g_assert_nonnull (entry_for (agenda, b)->card);
  /* Joint assessment comes first. */
  g_assert_cmpstr (((PbAgendaEntry *) agenda->pdata[0])->item, ==, e);
  g_assert_true (((PbAgendaEntry *) agenda->pdata[0])->reasons & PB_AGENDA_ASSESSMENT);
  /* Proposing again adds nothing twice. */
  g_assert_true (pb_meeting_propose_agenda (db.store, m1, &n_added, &error));
  g_assert_cmpuint (n_added, ==, 0);

  /* Assign customs the lead on A, share it with them, one action. */
  changes_before = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
  spec.lead_org = "CUS";
  spec.priority = "high";
  spec.share_orgs = share_with;
  spec.note = "Customs scans it on arrival";
  spec.actions = &action;
  spec.n_actions = 1;
  g_assert_true (pb_meeting_decide (db.store, m1, a, &spec, &decision, &error));
  g_assert_no_error (error);
  status = text1 (db.store, "SELECT status FROM items WHERE id = ?", a);
  lead = text1 (db.store, "SELECT o.short_code FROM items i JOIN organisations o ON o.id = i.lead_org WHERE i.id = ?", a);
  g_assert_cmpstr (status, ==, "lead-assigned");
  g_assert_cmpstr (lead, ==, "CUS");
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND priority = 'high'", a), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s' AND org = '%s'", a,
                           db.org_customs), ==, 1);
  /* Through the write path: the item's history shows the meeting's acts, by the chair. */
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE row_id = '%s' AND field = 'status'"
                                     " AND author = '%s'", a, db.chair), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE tbl = 'decisions' AND op = 'insert'"
                                     " AND row_id = '%s'", decision), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), >, changes_before + 5);
  decisions = pb_meeting_list_decisions (db.store, m1, a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decisions->len, ==, 1);
  g_assert_cmpint (((PbDecision *) decisions->pdata[0])->outcome, ==, PB_OUTCOME_ASSIGN_LEAD);
  g_assert_cmpstr (((PbDecision *) decisions->pdata[0])->lead_code, ==, "CUS");
  g_assert_cmpstr (((PbDecision *) decisions->pdata[0])->share_names, ==, "Test Customs");
  g_assert_cmpstr (((PbDecision *) decisions->pdata[0])->decided_by, ==, "Chris Chair");
  g_assert_cmpint (((PbDecision *) decisions->pdata[0])->decided_at, ==, base + 2 * DAY_S);
  actions = pb_meeting_list_actions (db.store, m1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpstr (((PbAction *) actions->pdata[0])->owner_code, ==, "CUS");
  g_assert_cmpstr (((PbAction *) actions->pdata[0])->due_date, ==, "2026-10-01");

  /* Dismiss B: closed, the reason says by which consultation. */
  memset (&spec, 0, sizeof spec);
  spec.outcome = PB_OUTCOME_DISMISS;
  g_assert_true (pb_meeting_decide (db.store, m1, b, &spec, NULL, &error));
  g_assert_no_error (error);
  reason = text1 (db.store, "SELECT closing_reason FROM items WHERE id = ? AND status = 'closed'", b);
  g_assert_nonnull (reason);
  day = g_date_time_new_from_unix_local (base + 2 * DAY_S);
  expected_reason = g_date_time_format (day, "Dismissed at the consultation of %Y-%m-%d");
  g_assert_cmpstr (reason, ==, expected_reason);

  /* Open a case with F. */
  memset (&spec, 0, sizeof spec);
  spec.outcome = PB_OUTCOME_OPEN_CASE;
  spec.case_title = "Operation Watchlist";
  spec.lead_org = "POL";
  g_assert_true (pb_meeting_decide (db.store, m1, f, &spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items i JOIN cases c ON c.id = i.case_id"
                                     " WHERE i.id = '%s' AND c.title = 'Operation Watchlist'", f), ==, 1);

  now = (gint64) (base + 2 * DAY_S + 7200) * 1000;
  g_assert_true (pb_meeting_close (db.store, m1, &error));
  g_assert_no_error (error);

  /* Between the meetings: a new police report, customs records F's container. */
  now = (gint64) (base + 5 * DAY_S) * 1000;
  d = pb_test_add_item (&db, db.officer, "Boarding of a tug at night", "RED", NULL);
  set_reported (&db, d, base + 5 * DAY_S);
  g = pb_test_add_item (&db, db.customs_officer, "Customs: the same container", "AMBER", "MSCU 123456-6");

  now = (gint64) (base + 9 * DAY_S) * 1000;
  m2 = open_meeting (&db, "Consultation 13", base + 9 * DAY_S);
  g_assert_true (pb_meeting_propose_agenda (db.store, m2, &n_added, &error));
  g_assert_no_error (error);
  agenda2 = pb_meeting_list_agenda (db.store, m2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agenda2->len, ==, 4);
  g_assert_cmpstr (((PbAgendaEntry *) agenda2->pdata[0])->item, ==, a);
  g_assert_cmpuint (((PbAgendaEntry *) agenda2->pdata[0])->reasons, ==, PB_AGENDA_ACTION);
  g_assert_cmpstr (((PbAgendaEntry *) agenda2->pdata[1])->item, ==, e);
  g_assert_cmpuint (((PbAgendaEntry *) agenda2->pdata[1])->reasons, ==, PB_AGENDA_ASSESSMENT);
  g_assert_cmpstr (((PbAgendaEntry *) agenda2->pdata[2])->item, ==, f);
  g_assert_cmpuint (((PbAgendaEntry *) agenda2->pdata[2])->reasons, ==, PB_AGENDA_HIT);
  g_assert_cmpstr (((PbAgendaEntry *) agenda2->pdata[3])->item, ==, d);
  g_assert_cmpuint (((PbAgendaEntry *) agenda2->pdata[3])->reasons, ==, PB_AGENDA_NEW);
  g_assert_null (entry_for (agenda2, b));
  g_assert_null (entry_for (agenda2, g));

  /* Done actions do not come back; only the organisation that owns one (or the chair) marks
   * it done, and the listing says so for each, as the rulebook does. */
  g_assert_true (((PbAction *) actions->pdata[0])->may_set_done);   /* the chair */
  sign_in (&db, db.officer);
  {
    g_autoptr(GPtrArray) theirs = pb_meeting_list_actions (db.store, m1, TRUE, &error);

    g_assert_cmpuint (theirs->len, ==, 1);
    g_assert_false (((PbAction *) theirs->pdata[0])->may_set_done);
  }
  g_assert_false (pb_meeting_set_action_done (db.store, ((PbAction *) actions->pdata[0])->id, TRUE, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  sign_in (&db, db.customs_officer);
  {
    g_autoptr(GPtrArray) theirs = pb_meeting_list_actions (db.store, m1, TRUE, &error);

    g_assert_cmpuint (theirs->len, ==, 1);
    g_assert_true (((PbAction *) theirs->pdata[0])->may_set_done);
  }
  g_assert_true (pb_meeting_set_action_done (db.store, ((PbAction *) actions->pdata[0])->id, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&actions, g_ptr_array_unref);
  actions = pb_meeting_list_actions (db.store, NULL, TRUE, &error);
  g_assert_cmpuint (actions->len, ==, 0);

  pb_test_db_clear (&db);
}

/* Whoever is not the chair, bad input, a closed meeting: a clear error, nothing written. */
static void
test_refusals (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL, *m = NULL, *hidden = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  PbDecisionSpec spec = { 0 };
  const PbActionSpec bad_date = { "CUS", "Check", "1 October" };
  const PbActionSpec no_owner = { "XYZ", "Check", NULL };
  const PbActionSpec blank = { "CUS", "   ", NULL };
  gint64 changes, access;
  char *id = NULL;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Report", "AMBER", NULL);
  hidden = pb_test_add_item (&db, db.customs_officer, "Customs only", "RED", NULL);

  sign_in (&db, db.officer);
  g_assert_false (pb_meeting_open (db.store, "Consultation", NULL, 0, &id, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_assert_null (id);
  g_clear_error (&error);
  sign_in (&db, db.partner);
  g_assert_false (pb_meeting_open (db.store, "Consultation", NULL, 0, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  sign_in (&db, db.chair);
  g_assert_false (pb_meeting_open (db.store, "   ", NULL, 0, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM meetings"), ==, 0);

  m = open_meeting (&db, "Consultation", 0);
  g_assert_true (pb_meeting_add_entry (db.store, m, item, &error));
  g_assert_no_error (error);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  access = pb_test_count (db.store, "SELECT count(*) FROM access_log");

  g_assert_false (pb_meeting_add_entry (db.store, m, item, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_meeting_add_entry (db.store, m, hidden, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pb_meeting_add_entry (db.store, "not-a-meeting", item, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  spec.lead_org = "NOPE";
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  spec.lead_org = "CUS";
  g_assert_false (pb_meeting_decide (db.store, m, hidden, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  spec.actions = &bad_date;
  spec.n_actions = 1;
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  spec.actions = &no_owner;
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  spec.actions = &blank;
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  spec.actions = NULL;
  spec.n_actions = 0;
  spec.tlp = "PURPLE";
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  spec.tlp = NULL;
  spec.outcome = PB_OUTCOME_LINK_CASE;
  spec.case_id = "00000000-0000-4000-8000-000000000000";
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  spec.outcome = PB_OUTCOME_SHARE;
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An officer cannot decide, present or reorder. */
  spec.outcome = PB_OUTCOME_MONITOR;
  sign_in (&db, db.officer);
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (pb_meeting_present (db.store, m, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* Nor through the write path itself: the rows are the chair's, but for a participant's
   * own organisation being connected. */
  {
    g_autoptr(PbRecord) meeting = pb_record_new ("meetings", m);
    g_autoptr(PbRecord) other = pb_record_new ("meeting_attendance", NULL);
    g_autoptr(PbRecord) in_room = pb_record_new ("meeting_attendance", NULL);
    g_autoptr(PbRecord) entry = pb_record_new ("agenda_entries", NULL);

    pb_record_set_string (meeting, "title", "Renamed by an officer");
    g_assert_false (pb_store_write (db.store, PB_OP_UPDATE, meeting, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
    pb_record_set_string (other, "meeting", m);
    pb_record_set_string (other, "org", db.org_customs);
    pb_record_set_int (other, "connected", 1);
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, other, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
    pb_record_set_string (in_room, "meeting", m);
    pb_record_set_string (in_room, "org", db.org_police);
    pb_record_set_int (in_room, "in_room", 1);
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, in_room, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
    pb_record_set_string (entry, "meeting", m);
    pb_record_set_string (entry, "item", item);
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, entry, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, changes);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log"), ==, access);
  /* Their own organisation connected: that they may say. */
  g_assert_true (pb_meeting_set_connected (db.store, m, TRUE, &error));
  g_assert_no_error (error);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  access = pb_test_count (db.store, "SELECT count(*) FROM access_log");
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND status = 'incoming'"
                                     " AND lead_org IS NULL", item), ==, 1);

  /* A closed meeting's record does not change. */
  sign_in (&db, db.chair);
  g_assert_true (pb_meeting_close (db.store, m, &error));
  g_assert_no_error (error);
  g_assert_false (pb_meeting_decide (db.store, m, item, &spec, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  agenda = pb_meeting_list_agenda (db.store, m, &error);
  g_assert_false (pb_meeting_remove_entry (db.store, ((PbAgendaEntry *) agenda->pdata[0])->id, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  pb_test_db_clear (&db);
}

/* Order, removal and the presented entry. */
static void
test_agenda_order (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *m = NULL, *x = NULL, *y = NULL, *z = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(PbMeeting) meeting = NULL;
  g_autofree char *ex = NULL, *ey = NULL, *ez = NULL;

  pb_test_db_init (&db);
  x = pb_test_add_item (&db, db.officer, "X", "GREEN", NULL);
  y = pb_test_add_item (&db, db.officer, "Y", "GREEN", NULL);
  z = pb_test_add_item (&db, db.officer, "Z", "GREEN", NULL);
  m = open_meeting (&db, "Consultation", 0);
  g_assert_true (pb_meeting_add_entry (db.store, m, x, &error));
  g_assert_true (pb_meeting_add_entry (db.store, m, y, &error));
  g_assert_true (pb_meeting_add_entry (db.store, m, z, &error));
  g_assert_no_error (error);
  agenda = pb_meeting_list_agenda (db.store, m, &error);
  ex = g_strdup (((PbAgendaEntry *) agenda->pdata[0])->id);
  ey = g_strdup (((PbAgendaEntry *) agenda->pdata[1])->id);
  ez = g_strdup (((PbAgendaEntry *) agenda->pdata[2])->id);
  g_assert_true (((PbAgendaEntry *) agenda->pdata[0])->reasons == PB_AGENDA_ADDED);

  /* Z before X, then Y to the end: Z X Y. */
  g_assert_true (pb_meeting_move_entry (db.store, ez, ex, &error));
  g_assert_true (pb_meeting_move_entry (db.store, ey, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pb_meeting_move_entry (db.store, ey, ey, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&agenda, g_ptr_array_unref);
  agenda = pb_meeting_list_agenda (db.store, m, &error);
  g_assert_cmpstr (((PbAgendaEntry *) agenda->pdata[0])->item, ==, z);
  g_assert_cmpstr (((PbAgendaEntry *) agenda->pdata[1])->item, ==, x);
  g_assert_cmpstr (((PbAgendaEntry *) agenda->pdata[2])->item, ==, y);

  g_assert_true (pb_meeting_present (db.store, m, ex, &error));
  g_assert_no_error (error);
  meeting = pb_meeting_get (db.store, m, &error);
  g_assert_cmpstr (meeting->presenting, ==, ex);
  g_clear_pointer (&meeting, pb_meeting_free);
  g_assert_true (pb_meeting_remove_entry (db.store, ex, &error));
  g_assert_no_error (error);
  meeting = pb_meeting_get (db.store, m, &error);
  g_assert_null (meeting->presenting);
  g_clear_pointer (&agenda, g_ptr_array_unref);
  agenda = pb_meeting_list_agenda (db.store, m, &error);
  g_assert_cmpuint (agenda->len, ==, 2);

  pb_test_db_clear (&db);
}

/* The room's screen shows what every attending organisation may see, by the board's rule. */
static void
test_projector_rule (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *m = NULL, *amber = NULL, *clear = NULL, *green = NULL, *shared = NULL;
  g_auto(GStrv) everyone = NULL;
  g_auto(GStrv) room = NULL;
  g_autoptr(GPtrArray) attendance = NULL;
  const char *share_with[] = { "CUS", NULL };
  PbDecisionSpec spec = { 0 };

  pb_test_db_init (&db);
  amber = pb_test_add_item (&db, db.officer, "Police only", "AMBER", NULL);
  clear = pb_test_add_item (&db, db.officer, "Public notice", "CLEAR", NULL);
  green = pb_test_add_item (&db, db.officer, "Community", "GREEN", NULL);
  shared = pb_test_add_item (&db, db.officer, "Shared with customs", "AMBER", NULL);
  m = open_meeting (&db, "Consultation", 0);
  spec.outcome = PB_OUTCOME_SHARE;
  spec.share_orgs = share_with;
  g_assert_true (pb_meeting_decide (db.store, m, shared, &spec, NULL, &error));
  g_assert_no_error (error);

  /* Nobody recorded: every organisation counts, the partner too. */
  everyone = pb_meeting_room_orgs (db.store, m, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (everyone), ==, 3);
  g_assert_true (pb_meeting_room_may_see (db.store, clear, (const char * const *) everyone));
  g_assert_false (pb_meeting_room_may_see (db.store, green, (const char * const *) everyone));

  g_assert_true (pb_meeting_set_attendance (db.store, m, "POL", TRUE, "Olga Officer", &error));
  g_assert_true (pb_meeting_set_attendance (db.store, m, "CUS", TRUE, NULL, &error));
  g_assert_no_error (error);
  room = pb_meeting_room_orgs (db.store, m, &error);
  g_assert_cmpuint (g_strv_length (room), ==, 2);
  g_assert_false (pb_meeting_room_may_see (db.store, amber, (const char * const *) room));
  g_assert_true (pb_meeting_room_may_see (db.store, clear, (const char * const *) room));
  g_assert_true (pb_meeting_room_may_see (db.store, green, (const char * const *) room));
  g_assert_true (pb_meeting_room_may_see (db.store, shared, (const char * const *) room));
  g_assert_false (pb_meeting_room_may_see (db.store, "no-such-item", (const char * const *) room));

  /* A private partner is shown nothing of the consultation's record. */
  sign_in (&db, db.partner);
  {
    g_autoptr(GPtrArray) meetings = pb_meeting_list (db.store, &error);
    g_autoptr(GPtrArray) agenda = pb_meeting_list_agenda (db.store, m, &error);
    g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (db.store, m, NULL, &error);
    g_autoptr(GPtrArray) partner_attendance = pb_meeting_list_attendance (db.store, m, &error);
    g_autoptr(PbMeeting) seen = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (meetings->len, ==, 0);
    g_assert_cmpuint (agenda->len, ==, 0);
    g_assert_cmpuint (decisions->len, ==, 0);
    g_assert_cmpuint (partner_attendance->len, ==, 0);
    g_assert_null (pb_meeting_get_current (db.store, &error));
    g_assert_no_error (error);
    seen = pb_meeting_get (db.store, m, &error);
    g_assert_null (seen);
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* A participant says that customs is connected; the chair's names stay. */
  sign_in (&db, db.customs_officer);
  g_assert_true (pb_meeting_set_connected (db.store, m, TRUE, &error));
  g_assert_no_error (error);
  attendance = pb_meeting_list_attendance (db.store, m, &error);
  g_assert_cmpuint (attendance->len, ==, 2);
  g_assert_cmpstr (((PbAttendance *) attendance->pdata[1])->org_code, ==, "POL");
  g_assert_cmpstr (((PbAttendance *) attendance->pdata[1])->names, ==, "Olga Officer");
  g_assert_true (((PbAttendance *) attendance->pdata[0])->connected);
  g_assert_true (((PbAttendance *) attendance->pdata[0])->in_room);

  pb_test_db_clear (&db);
}

static const PbAttendance *
attendance_of (GPtrArray  *attendance,
               const char *org_code)
{
  for (guint i = 0; i < attendance->len; i++)
    if (g_strcmp0 (((PbAttendance *) attendance->pdata[i])->org_code, org_code) == 0)
      return attendance->pdata[i];
  return NULL;
}

/* The chair records the room at once: everything or nothing; an organisation that follows
 * from its own Portboard stays connected when the chair does not tick it. */
static void
test_record_attendance (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *m = NULL;
  g_autoptr(GPtrArray) attendance = NULL;
  const PbAttendanceSpec first[] = {
    { "POL", TRUE, "Olga Officer" },
    { "CUS", FALSE, "" },
    { "TRM", FALSE, NULL },
  };
  const PbAttendanceSpec bad[] = {
    { "CUS", TRUE, "Carl Customs" },
    { "NOPE", TRUE, NULL },
  };
  PbAttendanceSpec second[] = {
    { NULL, FALSE, NULL },
    { "CUS", TRUE, "Carl Customs" },
    { "TRM", FALSE, NULL },
  };
  PbAttendanceSpec third[] = {
    { "CUS", FALSE, NULL },
  };
  gint64 rows;

  pb_test_db_init (&db);
  m = open_meeting (&db, "Consultation", 0);

  /* Only the organisations ticked are written: nothing for those never in the room. */
  g_assert_true (pb_meeting_record_attendance (db.store, m, first, G_N_ELEMENTS (first), &error));
  g_assert_no_error (error);
  attendance = pb_meeting_list_attendance (db.store, m, &error);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_cmpstr (attendance_of (attendance, "POL")->names, ==, "Olga Officer");
  g_assert_true (attendance_of (attendance, "POL")->in_room);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count (*) FROM meeting_attendance WHERE meeting = '%s'", m),
                   ==, 1);

  /* An unknown organisation: nothing of the rest is recorded either. */
  g_assert_false (pb_meeting_record_attendance (db.store, m, bad, G_N_ELEMENTS (bad), &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&attendance, g_ptr_array_unref);
  attendance = pb_meeting_list_attendance (db.store, m, &error);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_null (attendance_of (attendance, "CUS"));

  /* Customs follows from its own Portboard; the chair ticks it in, the police out (by id). */
  sign_in (&db, db.customs_officer);
  g_assert_true (pb_meeting_set_connected (db.store, m, TRUE, &error));
  sign_in (&db, db.chair);
  second[0].org = db.org_police;
  g_assert_true (pb_meeting_record_attendance (db.store, m, second, G_N_ELEMENTS (second), &error));
  g_assert_no_error (error);
  g_clear_pointer (&attendance, g_ptr_array_unref);
  attendance = pb_meeting_list_attendance (db.store, m, &error);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_null (attendance_of (attendance, "POL"));
  g_assert_true (attendance_of (attendance, "CUS")->in_room);
  g_assert_true (attendance_of (attendance, "CUS")->connected);
  g_assert_cmpstr (attendance_of (attendance, "CUS")->names, ==, "Carl Customs");

  /* Out of the room again, customs stays connected. */
  g_assert_true (pb_meeting_record_attendance (db.store, m, third, G_N_ELEMENTS (third), &error));
  g_assert_no_error (error);
  g_clear_pointer (&attendance, g_ptr_array_unref);
  attendance = pb_meeting_list_attendance (db.store, m, &error);
  g_assert_cmpuint (attendance->len, ==, 1);
  g_assert_false (attendance_of (attendance, "CUS")->in_room);
  g_assert_true (attendance_of (attendance, "CUS")->connected);

  /* Only the chair records the room, and only while the meeting is open. */
  rows = pb_test_count (db.store, "SELECT count (*) FROM meeting_attendance");
  sign_in (&db, db.officer);
  g_assert_false (pb_meeting_record_attendance (db.store, m, first, G_N_ELEMENTS (first), &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  sign_in (&db, db.chair);
  g_assert_true (pb_meeting_close (db.store, m, &error));
  g_assert_false (pb_meeting_record_attendance (db.store, m, first, G_N_ELEMENTS (first), &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count (*) FROM meeting_attendance"), ==, rows);

  pb_test_db_clear (&db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/meeting/agenda-and-decisions", test_agenda_and_decisions);
  g_test_add_func ("/meeting/refusals", test_refusals);
  g_test_add_func ("/meeting/agenda-order", test_agenda_order);
  g_test_add_func ("/meeting/projector-rule", test_projector_rule);
  g_test_add_func ("/meeting/record-attendance", test_record_attendance);
  return g_test_run ();
}
