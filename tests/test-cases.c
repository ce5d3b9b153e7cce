/* test-cases.c: cases, lead decisions and their history, linked items, incidents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-test-util.h"
#include "pb-util.h"

static char *
last_access_action (PbStore *store)
{
  sqlite3_stmt *stmt;
  char *action = NULL;

  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT action FROM access_log ORDER BY seq DESC LIMIT 1",
                      -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    action = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return action;
}

static gboolean
cards_hold (GPtrArray  *cards,
            const char *id)
{
  for (guint i = 0; i < cards->len; i++)
    if (g_strcmp0 (pb_card_get_id (g_ptr_array_index (cards, i)), id) == 0)
      return TRUE;
  return FALSE;
}

/* A case made from selected items: the case, its first lead decision and its items in one
 * act, through the write path. */
static void
test_create_case (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *case_id = NULL, *action = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(PbCase) c = NULL;
  const char *ids[3];
  gint64 n_access;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "Reefer from Guayaquil", "AMBER", NULL);
  b = pb_test_add_item (&db, db.officer, "Same reefer, second leg", "GREEN", NULL);
  ids[0] = a, ids[1] = b, ids[2] = NULL;
  n_access = pb_test_count (db.store, "SELECT count(*) FROM access_log");

  g_assert_true (pb_store_create_case (db.store, "  Operation Banana  ", "POL", ids, &case_id, &error));
  g_assert_no_error (error);
  g_assert_true (pb_uuid_is_valid (case_id));

  c = pb_store_open_case (db.store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->title, ==, "Operation Banana");
  g_assert_cmpstr (c->lead_code, ==, "POL");
  g_assert_false (c->closed);
  g_assert_cmpint (c->n_items, ==, 2);
  g_assert_cmpint (c->opened_at, >, 0);

  items = pb_store_list_case_items (db.store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (items->len, ==, 2);
  g_assert_true (cards_hold (items, a) && cards_hold (items, b));

  leads = pb_store_list_case_leads (db.store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (leads->len, ==, 1);
  g_assert_cmpstr (((PbCaseLead *) leads->pdata[0])->org_code, ==, "POL");
  g_assert_cmpstr (((PbCaseLead *) leads->pdata[0])->decided_by, ==, "Olga Officer");

  /* One act of collection, and one consultation when the case was opened. */
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log"), ==, n_access + 2);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE action = 'collection' AND tbl = 'cases'"), ==, 1);
  action = last_access_action (db.store);
  g_assert_cmpstr (action, ==, "consultation");
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE tbl = 'cases' AND row_id = '%s'", case_id), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE tbl = 'items' AND field = 'case_id' AND value = '\"%s\"'", case_id), ==, 2);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log WHERE tbl = 'case_leads'"), ==, 1);

  /* A case needs a title; a private partner cannot lead; nothing is written then. */
  {
    gint64 n_cases = pb_test_count (db.store, "SELECT count(*) FROM cases");
    gint64 n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");

    g_assert_false (pb_store_create_case (db.store, "   ", NULL, NULL, NULL, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (pb_store_create_case (db.store, "Terminal lead", "TRM", ids, NULL, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "private partner"));
    g_clear_error (&error);
    g_assert_false (pb_store_create_case (db.store, "Unknown lead", "XYZ", ids, NULL, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM cases"), ==, n_cases);
    g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes);
  }

  pb_test_db_clear (&db);
}

static void
test_add_to_case (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *hidden = NULL, *case_id = NULL, *other = NULL, *action = NULL;
  g_autoptr(PbCase) c = NULL;
  const char *first[] = { NULL, NULL };
  const char *more[] = { NULL, NULL, NULL };
  const char *bad[] = { NULL, NULL };
  gint64 n_changes;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "First report", "AMBER", NULL);
  b = pb_test_add_item (&db, db.officer, "Second report", "AMBER", NULL);
  hidden = pb_test_add_item (&db, db.customs_officer, "Customs only", "AMBER", NULL);

  pb_store_set_actor (db.store, db.officer, &error);
  first[0] = a;
  g_assert_true (pb_store_create_case (db.store, "Case one", NULL, first, &case_id, &error));
  g_assert_no_error (error);
  g_assert_true (pb_store_create_case (db.store, "Case two", NULL, NULL, &other, &error));
  g_assert_no_error (error);

  /* Adding combines data: logged as such. An item already in the case is left alone. */
  more[0] = a, more[1] = b;
  n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  g_assert_true (pb_store_add_to_case (db.store, case_id, more, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes + 1);
  action = last_access_action (db.store);
  g_assert_cmpstr (action, ==, "combination");

  /* An item moves from one case to another. */
  g_assert_true (pb_store_add_to_case (db.store, other, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE case_id = '%s'", other), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE case_id = '%s'", case_id), ==, 1);

  /* An item the officer may not see, a malformed id, an unknown case: refused, unchanged. */
  n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  bad[0] = hidden;
  g_assert_false (pb_store_add_to_case (db.store, case_id, bad, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  bad[0] = "not-a-uuid";
  g_assert_false (pb_store_add_to_case (db.store, case_id, bad, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (pb_store_add_to_case (db.store, "0190c1c2-0000-7000-8000-000000000000", more, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes);

  /* A closed case takes no items until it is reopened. */
  g_assert_true (pb_store_set_case_closed (db.store, case_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_add_to_case (db.store, case_id, first, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_set_case_closed (db.store, case_id, TRUE, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  c = pb_store_open_case (db.store, case_id, &error);
  g_assert_true (c->closed);
  g_assert_cmpint (c->closed_at, >, 0);
  g_clear_pointer (&c, pb_case_free);
  g_assert_true (pb_store_set_case_closed (db.store, case_id, FALSE, &error));
  g_assert_true (pb_store_add_to_case (db.store, case_id, first, &error));
  g_assert_no_error (error);
  c = pb_store_open_case (db.store, case_id, &error);
  g_assert_false (c->closed);
  g_assert_cmpint (c->closed_at, ==, 0);
  g_assert_cmpint (c->n_items, ==, 2);

  /* Out of the case again. */
  g_assert_true (pb_store_remove_from_case (db.store, b, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_remove_from_case (db.store, b, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE case_id = '%s'", case_id), ==, 1);

  pb_test_db_clear (&db);
}

/* The lead is a dated decision: a handover adds one, the history keeps them all. */
static void
test_lead_handover (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *case_id = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(PbCase) c = NULL;
  const char *ids[] = { NULL, NULL };
  gint64 n_changes;
  PbCaseLead *first, *second;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "Reefer", "GREEN", NULL);
  ids[0] = a;
  pb_store_set_actor (db.store, db.officer, &error);
  g_assert_true (pb_store_create_case (db.store, "Handover", db.org_police, ids, &case_id, &error));
  g_assert_no_error (error);

  pb_store_set_actor (db.store, db.chair, &error);
  g_assert_true (pb_store_set_case_lead (db.store, case_id, "CUS", "Seizure at the scanner: customs lead", &error));
  g_assert_no_error (error);

  c = pb_store_open_case (db.store, case_id, &error);
  g_assert_cmpstr (c->lead_code, ==, "CUS");
  g_assert_cmpstr (c->lead_name, ==, "Test Customs");

  leads = pb_store_list_case_leads (db.store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (leads->len, ==, 2);
  first = leads->pdata[0];
  second = leads->pdata[1];
  g_assert_cmpstr (first->org_code, ==, "POL");
  g_assert_null (first->reason);
  g_assert_cmpstr (second->org_code, ==, "CUS");
  g_assert_cmpstr (second->decided_by, ==, "Chris Chair");
  g_assert_cmpstr (second->reason, ==, "Seizure at the scanner: customs lead");
  g_assert_cmpint (second->decided_at, >=, first->decided_at);
  /* The reason is also why the access log says the case was changed. */
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE reason = 'Seizure at the scanner: customs lead'"), ==, 1);

  /* Refused, and nothing written: the same lead again, no organisation, a partner. */
  n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  g_assert_false (pb_store_set_case_lead (db.store, case_id, db.org_customs, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already leads"));
  g_clear_error (&error);
  g_assert_false (pb_store_set_case_lead (db.store, case_id, "", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_set_case_lead (db.store, case_id, "TRM", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM case_leads"), ==, 2);

  pb_test_db_clear (&db);
}

/* Need-to-know: a partner sees a case only through an item shared with them, never edits;
 * nobody sees a case that neither leads them nor holds an item they may see. */
static void
test_case_visibility (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *clear = NULL, *secret = NULL, *shared_case = NULL, *secret_case = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(PbCase) c = NULL;
  const char *ids[] = { NULL, NULL, NULL };
  gint64 n_changes;

  pb_test_db_init (&db);
  clear = pb_test_add_item (&db, db.officer, "Public warning", "CLEAR", NULL);
  secret = pb_test_add_item (&db, db.officer, "Informant report", "RED", NULL);
  pb_store_set_actor (db.store, db.officer, &error);
  ids[0] = clear, ids[1] = secret;
  g_assert_true (pb_store_create_case (db.store, "Shared case", "POL", ids, &shared_case, &error));
  ids[0] = secret, ids[1] = NULL;
  g_assert_true (pb_store_create_case (db.store, "Secret case", "POL", NULL, &secret_case, &error));
  g_assert_no_error (error);

  /* The partner sees the shared case and its CLEAR item only. */
  pb_store_set_actor (db.store, db.partner, &error);
  cases = pb_store_list_cases (db.store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cases->len, ==, 1);
  g_assert_cmpstr (((PbCase *) cases->pdata[0])->title, ==, "Shared case");
  g_assert_cmpint (((PbCase *) cases->pdata[0])->n_items, ==, 1);
  items = pb_store_list_case_items (db.store, shared_case, &error);
  g_assert_no_error (error);
  g_assert_cmpint (items->len, ==, 1);
  g_assert_true (cards_hold (items, clear));
  c = pb_store_open_case (db.store, secret_case, &error);
  g_assert_null (c);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (pb_store_list_case_leads (db.store, secret_case, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* …and the store refuses every change of a read-only partner. */
  n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  ids[0] = clear;
  g_assert_false (pb_store_create_case (db.store, "Partner case", NULL, ids, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  g_assert_false (pb_store_add_to_case (db.store, shared_case, ids, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  g_assert_false (pb_store_set_case_lead (db.store, shared_case, "CUS", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes);

  /* Customs see the shared case (a CLEAR item) but not the empty police case. */
  g_clear_pointer (&cases, g_ptr_array_unref);
  pb_store_set_actor (db.store, db.customs_officer, &error);
  cases = pb_store_list_cases (db.store, &error);
  g_assert_cmpint (cases->len, ==, 1);
  /* Once customs lead it, they see it, and keep seeing it after handing it back. */
  pb_store_set_actor (db.store, db.chair, &error);
  g_assert_true (pb_store_set_case_lead (db.store, secret_case, "CUS", NULL, &error));
  g_assert_true (pb_store_set_case_lead (db.store, secret_case, "POL", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&cases, g_ptr_array_unref);
  pb_store_set_actor (db.store, db.customs_officer, &error);
  cases = pb_store_list_cases (db.store, &error);
  g_assert_cmpint (cases->len, ==, 2);

  pb_test_db_clear (&db);
}

static void
test_links (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *hidden = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  gint64 n_changes;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "Crew list", "GREEN", NULL);
  b = pb_test_add_item (&db, db.officer, "Crew member seen at the gate", "AMBER", NULL);
  hidden = pb_test_add_item (&db, db.customs_officer, "Customs tip", "AMBER", NULL);

  pb_store_set_actor (db.store, db.officer, &error);
  /* Linked from the item that sorts last: stored once, the smaller id first. */
  g_assert_true (pb_store_link_items (db.store, b, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM item_links WHERE item_a < item_b"), ==, 1);

  linked = pb_store_list_linked_items (db.store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (linked->len, ==, 1);
  g_assert_true (cards_hold (linked, b));
  g_clear_pointer (&linked, g_ptr_array_unref);
  linked = pb_store_list_linked_items (db.store, b, &error);
  g_assert_cmpint (linked->len, ==, 1);
  g_assert_true (cards_hold (linked, a));
  g_clear_pointer (&linked, g_ptr_array_unref);

  n_changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  g_assert_false (pb_store_link_items (db.store, a, b, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_link_items (db.store, a, a, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_link_items (db.store, a, hidden, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, n_changes);

  /* Customs link their item to the GREEN one; the police officer does not see that link. */
  pb_store_set_actor (db.store, db.customs_officer, &error);
  g_assert_true (pb_store_link_items (db.store, hidden, a, &error));
  g_assert_no_error (error);
  pb_store_set_actor (db.store, db.officer, &error);
  linked = pb_store_list_linked_items (db.store, a, &error);
  g_assert_cmpint (linked->len, ==, 1);
  g_clear_pointer (&linked, g_ptr_array_unref);

  g_assert_true (pb_store_unlink_items (db.store, a, b, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_unlink_items (db.store, a, b, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  linked = pb_store_list_linked_items (db.store, b, &error);
  g_assert_cmpint (linked->len, ==, 0);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log WHERE tbl = 'item_links' AND op = 'delete'"), ==, 1);

  pb_test_db_clear (&db);
}

static char *
add_incident (PbTestDb   *db,
              const char *actor,
              const char *org,
              const char *item,
              const char *tlp,
              double      kg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("incidents", NULL);

  pb_store_set_actor (db->store, actor, &error);
  pb_record_set_string (r, "kind", "seizure");
  pb_record_set_int (r, "occurred_at", 1790000000 + (gint64) kg);
  pb_record_set_string (r, "source_org", org);
  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "tlp", tlp);
  pb_record_set_double (r, "kg", kg);
  pb_record_set_string (r, "terminal", "Deurganck");
  g_assert_true (pb_store_write (db->store, PB_OP_INSERT, r, &error));
  g_assert_no_error (error);
  return g_strdup (pb_record_get_id (r));
}

/* A case lists the incidents of its items, those the person may see. */
static void
test_case_incidents (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL, *case_id = NULL;
  g_autofree char *own = NULL, *theirs = NULL, *theirs_green = NULL;
  g_autoptr(GPtrArray) incidents = NULL;
  const char *ids[] = { NULL, NULL };

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Container of bananas", "CLEAR", NULL);
  own = add_incident (&db, db.officer, db.org_police, item, "AMBER", 120);
  theirs = add_incident (&db, db.customs_officer, db.org_customs, item, "AMBER", 800);
  theirs_green = add_incident (&db, db.customs_officer, db.org_customs, item, "GREEN", 40);
  ids[0] = item;
  pb_store_set_actor (db.store, db.officer, &error);
  g_assert_true (pb_store_create_case (db.store, "Bananas", NULL, ids, &case_id, &error));
  g_assert_no_error (error);

  /* The police see their own incident and the GREEN one of customs, not the AMBER one. */
  incidents = pb_store_list_incidents (db.store, case_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (incidents->len, ==, 2);
  g_assert_cmpstr (((PbIncident *) incidents->pdata[0])->id, ==, own);
  g_assert_cmpfloat (((PbIncident *) incidents->pdata[0])->kg, ==, 120);
  g_assert_cmpint (((PbIncident *) incidents->pdata[0])->kind, ==, PB_INCIDENT_SEIZURE);
  g_assert_cmpstr (((PbIncident *) incidents->pdata[1])->id, ==, theirs_green);
  g_clear_pointer (&incidents, g_ptr_array_unref);

  /* Customs see their own two, not the AMBER incident of the police. */
  pb_store_set_actor (db.store, db.customs_officer, &error);
  incidents = pb_store_list_incidents (db.store, NULL, item, &error);
  g_assert_no_error (error);
  g_assert_cmpint (incidents->len, ==, 2);
  g_assert_cmpstr (((PbIncident *) incidents->pdata[0])->id, ==, theirs);
  g_assert_cmpstr (((PbIncident *) incidents->pdata[1])->id, ==, theirs_green);
  g_clear_pointer (&incidents, g_ptr_array_unref);

  /* The partner: none (no incident is CLEAR or shared with them). */
  pb_store_set_actor (db.store, db.partner, &error);
  incidents = pb_store_list_incidents (db.store, case_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (incidents->len, ==, 0);

  pb_test_db_clear (&db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/cases/create", test_create_case);
  g_test_add_func ("/store/cases/add", test_add_to_case);
  g_test_add_func ("/store/cases/lead-handover", test_lead_handover);
  g_test_add_func ("/store/cases/visibility", test_case_visibility);
  g_test_add_func ("/store/cases/links", test_links);
  g_test_add_func ("/store/cases/incidents", test_case_incidents);

  return g_test_run ();
}
