/* test-requests.c: what an organisation asks of the one a report comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pb-test-util.h"

static void
sign_in (PbTestDb   *db,
         const char *person)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_store_set_actor (db->store, person, &error));
  g_assert_no_error (error);
}

static PbRequest *
request_at (GPtrArray *requests,
            guint      i)
{
  g_assert_cmpuint (i, <, requests->len);
  return requests->pdata[i];
}

/* Customs sees a police AMBER item shared with it. It cannot pass it on to the partner
 * itself; it asks, with a reason; the police see the request and may answer it, customs
 * may not; accepted, the item is shared in the same act; a change of handling code asked
 * and refused changes nothing. */
static void
test_ask_and_answer (void)
{
  PbTestDb db;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(PbRecord) share = NULL;
  g_autofree char *item = NULL;
  g_autofree char *request = NULL;
  g_autofree char *tlp = NULL;
  gint64 shares;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Crew list of the Santos call", "AMBER", NULL);
  share = pb_record_new ("item_shares", NULL);
  pb_record_set_string (share, "item", item);
  pb_record_set_string (share, "org", db.org_customs);
  pb_test_write_as_owner (&db, PB_OP_INSERT, share);
  g_clear_pointer (&share, pb_record_free);

  /* Customs may not share it onward… */
  sign_in (&db, db.customs_officer);
  share = pb_record_new ("item_shares", NULL);
  pb_record_set_string (share, "item", item);
  pb_record_set_string (share, "org", db.org_partner);
  g_assert_false (pb_store_may_write (db.store, PB_OP_INSERT, share));
  g_assert_false (pb_store_write (db.store, PB_OP_INSERT, share, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* …it asks, with a reason (none: refused), once. */
  g_assert_false (pb_store_request (db.store, item, PB_REQUEST_SHARE, db.org_partner, NULL, "  ", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (pb_store_request (db.store, item, PB_REQUEST_SHARE, db.org_partner, NULL,
                                   "The terminal can hold the container", &request, &error));
  g_assert_no_error (error);
  g_assert_false (pb_store_request (db.store, item, PB_REQUEST_SHARE, db.org_partner, NULL, "Again", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  ours = pb_store_list_requests (db.store, item, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ours->len, ==, 1);
  g_assert_false (request_at (ours, 0)->may_answer);
  g_assert_false (pb_store_answer_request (db.store, request, TRUE, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* The police see it and answer: shared, in the same act. */
  sign_in (&db, db.officer);
  theirs = pb_store_list_requests (db.store, NULL, TRUE, &error);
  g_assert_cmpuint (theirs->len, ==, 1);
  g_assert_true (request_at (theirs, 0)->may_answer);
  g_assert_cmpint (request_at (theirs, 0)->kind, ==, PB_REQUEST_SHARE);
  g_assert_cmpstr (request_at (theirs, 0)->reason, ==, "The terminal can hold the container");
  g_assert_cmpstr (request_at (theirs, 0)->source_code, ==, "CUS");
  shares = pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s'", item);
  g_assert_true (pb_store_answer_request (db.store, request, TRUE, "Shared", &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s' AND org = '%s'", item,
                                   db.org_partner), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s'", item), ==,
                   shares + 1);
  g_clear_pointer (&theirs, g_ptr_array_unref);
  theirs = pb_store_list_requests (db.store, item, FALSE, &error);
  g_assert_cmpint (request_at (theirs, 0)->status, ==, PB_REQUEST_ACCEPTED);
  g_assert_cmpstr (request_at (theirs, 0)->answer, ==, "Shared");
  g_assert_false (request_at (theirs, 0)->may_answer);
  /* Answered once. */
  g_assert_false (pb_store_answer_request (db.store, request, FALSE, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A change of handling code, asked and refused: the code stays. */
  sign_in (&db, db.customs_officer);
  g_clear_pointer (&request, g_free);
  g_assert_false (pb_store_request (db.store, item, PB_REQUEST_HANDLING, NULL, "AMBER", "Same", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (pb_store_request (db.store, item, PB_REQUEST_HANDLING, NULL, "GREEN", "Every service should see it",
                                   &request, &error));
  sign_in (&db, db.officer);
  g_assert_true (pb_store_answer_request (db.store, request, FALSE, "Not yet: the search is on", &error));
  g_assert_no_error (error);
  tlp = _pb_store_row_field (db.store, "items", "tlp", item);
  g_assert_cmpstr (tlp, ==, "AMBER");

  /* The police ask nothing of themselves. */
  g_assert_false (pb_store_request (db.store, item, PB_REQUEST_HANDLING, NULL, "GREEN", "Mine", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The partner, now given the item, sees neither request: they are between the two. */
  sign_in (&db, db.partner);
  g_clear_pointer (&theirs, g_ptr_array_unref);
  theirs = pb_store_list_requests (db.store, item, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (theirs->len, ==, 0);

  pb_test_db_clear (&db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/requests/ask-and-answer", test_ask_and_answer);
  return g_test_run ();
}
