/* test-hub.c: the sync hub — accounts, pushes, need-to-know on pulls, hits, meetings,
 * audit, refusals and their errors, in the test process (the server process is tested in
 * test-hub-server.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <string.h>

#include "hub-fixture.h"
#include "pb-hub.h"
#include "pb-hub-http.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-util.h"

/* Everything @a receives from the start: row id → last op, and the hits they are told. */
typedef struct
{
  GHashTable *rows;    /* row → op of the last entry */
  GHashTable *values;  /* "row/field" → JSON */
  GPtrArray  *hits;    /* "op kind:value org" */
  gint64      next;
} Pulled;

static void
pulled_free (Pulled *p)
{
  g_hash_table_unref (p->rows);
  g_hash_table_unref (p->values);
  g_ptr_array_unref (p->hits);
  g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pulled, pulled_free)

static Pulled *
pull_all (Fixture            *f,
          const PbHubAccount *a,
          gint64              since)
{
  Pulled *p = g_new0 (Pulled, 1);
  gboolean more = TRUE;

  p->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->hits = g_ptr_array_new_with_free_func (g_free);
  p->next = since;
  while (more)
    {
      g_autofree char *reply = NULL;
      g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, p->next);
      g_autoptr(JsonObject) answer = NULL;
      JsonArray *changes;

      g_assert_cmpuint (pull_request (f->hub, a, since_text, "7", NULL, &reply), ==, 200);
      answer = parse (reply);
      changes = json_object_get_array_member (answer, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);
          const char *op = json_object_get_string_member (c, "op");
          const char *row = json_object_get_string_member (c, "row");

          if (g_str_equal (op, "hit") || g_str_equal (op, "unhit"))
            {
              g_ptr_array_add (p->hits, g_strdup_printf ("%s %s %s", op, row,
                                                         json_object_get_string_member (c, "field")));
              continue;
            }
          g_hash_table_insert (p->rows, g_strdup (row), g_strdup (op));
          if (g_str_equal (op, "update"))
            g_hash_table_insert (p->values,
                                 g_strdup_printf ("%s/%s", row, json_object_get_string_member (c, "field")),
                                 json_to_string (json_object_get_member (c, "value"), FALSE));
        }
      more = json_object_get_boolean_member (answer, "more");
      g_assert_cmpint (json_object_get_int_member (answer, "next"), >=, p->next);
      p->next = json_object_get_int_member (answer, "next");
    }
  return p;
}

#define ITEM_B "01a21900-0000-7000-8000-00000000000b"
#define IDENT_A "01a21900-0000-7000-8000-0000000000a1"
#define IDENT_B "01a21900-0000-7000-8000-0000000000b1"
#define SHARE_A "01a21900-0000-7000-8000-0000000000a2"

static void
test_accounts (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = pb_hub_list_users (f->hub, &error);
  g_autofree char *token = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *body = NULL;
  gint64 n, bad;

  g_assert_cmpuint (users->len, ==, 4);
  /* Organisations are created as they are named, once. */
  token = pb_hub_add_user (f->hub, "Tine", "Federal Police", NULL, "officer", &error);
  g_assert_no_error (error);
  g_clear_pointer (&users, g_ptr_array_unref);
  users = pb_hub_list_users (f->hub, &error);
  for (guint i = 0; i < users->len; i++)
    if (g_str_equal (((PbHubAccount *) users->pdata[i])->name, "Tine"))
      g_assert_cmpstr (((PbHubAccount *) users->pdata[i])->org, ==, f->police->org);

  /* Refused: the same name, an unknown role, a partner in a police organisation. */
  g_assert_null (pb_hub_add_user (f->hub, "Tine", "Customs", NULL, "officer", &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (pb_hub_add_user (f->hub, "Jan", "Customs", NULL, "boss", &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (pb_hub_add_user (f->hub, "Jan", "Federal Police", NULL, "partner", &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID);
  g_clear_error (&error);

  /* An enrolment token works once. */
  body = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"01a21900-0000-7000-8000-0000000000ff\"}", token);
  g_assert_cmpuint (enrol_request (f->hub, body, &reply), ==, 200);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (enrol_request (f->hub, body, &reply), ==, 401);
  g_assert_nonnull (strstr (reply, "bad_token"));
  g_clear_pointer (&reply, g_free);

  /* A device's site is one account's (found by fuzz-enrol): another account enrolling on
   * it, or on the hub's own, is refused and keeps its token for a device of its own. */
  {
    g_autofree char *jan = pb_hub_add_user (f->hub, "Jan", "Customs", NULL, "officer", &error);
    g_autofree char *taken = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"%s\"}", jan, f->police->site);
    g_autofree char *hubs = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"%s\"}", jan,
                                             pb_hub_get_site_id (f->hub));
    g_autofree char *own = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"01a21900-0000-7000-8000-0000000000fe\"}",
                                            jan);

    g_assert_no_error (error);
    g_assert_cmpuint (enrol_request (f->hub, taken, &reply), ==, 409);
    g_assert_nonnull (strstr (reply, "\"exists\""));
    g_clear_pointer (&reply, g_free);
    g_assert_cmpuint (enrol_request (f->hub, hubs, &reply), ==, 409);
    g_clear_pointer (&reply, g_free);
    g_assert_cmpuint (enrol_request (f->hub, own, &reply), ==, 200);
  }

  /* A revoked account's credential stops working. */
  {
    g_autoptr(PbHubAccount) karim = pb_hub_authenticate (f->hub, f->police_credential);
    g_assert_nonnull (karim);
  }
  g_assert_true (pb_hub_revoke_user (f->hub, "Karim", &error));
  g_assert_no_error (error);
  g_assert_null (pb_hub_authenticate (f->hub, f->police_credential));
  g_assert_false (pb_hub_revoke_user (f->hub, "Karim", &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (pb_hub_authenticate (f->hub, "pbc_nonsense"));
  g_assert_null (pb_hub_authenticate (f->hub, NULL));

  g_assert_true (pb_hub_verify_audit (f->hub, &n, &bad, &error));
  g_assert_cmpint (n, >, 8);
}

static void
test_need_to_know (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *c1 = item_insert (f, f->police, ITEM_A, "Reefer at K913", "AMBER");
  g_autofree char *c2 = change (f, f->police, "identifiers", IDENT_A, "insert", NULL,
                                "{\"item\":\"" ITEM_A "\",\"kind\":\"container\",\"value\":\"MSCU1234566\"}");
  g_autofree char *c3 = item_insert (f, f->police, ITEM_B, "Open notice", "CLEAR");
  g_autofree char *share = NULL;
  g_autofree char *unshare = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(Pulled) police = NULL;
  g_autoptr(Pulled) customs = NULL;
  g_autoptr(Pulled) partner = NULL;
  g_autoptr(Pulled) customs2 = NULL;
  g_autoptr(Pulled) customs3 = NULL;
  gint64 customs_cursor;

  g_assert_cmpuint (push (f, f->police, &reply, c1, c2, c3, NULL), ==, 200);

  police = pull_all (f, f->police, 0);
  customs = pull_all (f, f->customs, 0);
  partner = pull_all (f, f->partner, 0);
  /* Everyone gets the organisations and people. */
  g_assert_true (g_hash_table_contains (customs->rows, f->police->org));
  g_assert_true (g_hash_table_contains (partner->rows, f->police->person));
  /* AMBER: the police only, with its identifier; CLEAR: everyone, partners too. */
  g_assert_true (g_hash_table_contains (police->rows, ITEM_A));
  g_assert_true (g_hash_table_contains (police->rows, IDENT_A));
  g_assert_false (g_hash_table_contains (customs->rows, ITEM_A));
  g_assert_false (g_hash_table_contains (customs->rows, IDENT_A));
  g_assert_false (g_hash_table_contains (partner->rows, ITEM_A));
  g_assert_true (g_hash_table_contains (customs->rows, ITEM_B));
  g_assert_true (g_hash_table_contains (partner->rows, ITEM_B));
  customs_cursor = customs->next;

  /* Shared with customs by name: customs gets the item's whole state, identifiers too. */
  {
    g_autofree char *v = g_strdup_printf ("{\"item\":\"" ITEM_A "\",\"org\":\"%s\"}", f->customs->org);
    share = change (f, f->police, "item_shares", SHARE_A, "insert", NULL, v);
  }
  g_assert_cmpuint (push (f, f->police, NULL, share, NULL), ==, 200);
  customs2 = pull_all (f, f->customs, customs_cursor);
  g_assert_cmpstr (g_hash_table_lookup (customs2->rows, ITEM_A), ==, "snapshot");
  g_assert_cmpstr (g_hash_table_lookup (customs2->rows, IDENT_A), ==, "snapshot");
  g_assert_true (g_hash_table_contains (customs2->rows, SHARE_A));

  /* Customs may now edit it; the partner still sees nothing of it. */
  edit = change (f, f->customs, "items", ITEM_A, "update", "title", "\"Reefer at K913, seal broken\"");
  g_assert_cmpuint (push (f, f->customs, NULL, edit, NULL), ==, 200);
  g_clear_pointer (&partner, pulled_free);
  partner = pull_all (f, f->partner, 0);
  g_assert_false (g_hash_table_contains (partner->rows, ITEM_A));

  /* Unshared: customs is told to remove it, item and identifier. */
  unshare = change (f, f->police, "item_shares", SHARE_A, "delete", NULL, NULL);
  g_assert_cmpuint (push (f, f->police, NULL, unshare, NULL), ==, 200);
  customs3 = pull_all (f, f->customs, customs2->next);
  g_assert_cmpstr (g_hash_table_lookup (customs3->rows, ITEM_A), ==, "revoke");
  g_assert_cmpstr (g_hash_table_lookup (customs3->rows, IDENT_A), ==, "revoke");

  /* A newly enrolled customs device, from the start: nothing of the item at all, not even
   * the entries from when customs could see it. */
  g_clear_pointer (&customs, pulled_free);
  customs = pull_all (f, f->customs, 0);
  g_assert_true (g_hash_table_lookup (customs->rows, ITEM_A) == NULL
                 || g_str_equal (g_hash_table_lookup (customs->rows, ITEM_A), "revoke"));
  g_assert_null (g_hash_table_lookup (customs->values, ITEM_A "/title"));

  /* The edit reached the police, the winner by clock. */
  g_clear_pointer (&police, pulled_free);
  police = pull_all (f, f->police, 0);
  g_assert_cmpstr (g_hash_table_lookup (police->values, ITEM_A "/title"), ==, "\"Reefer at K913, seal broken\"");
}

static void
test_hits (Fixture      *f,
           gconstpointer data)
{
  g_autofree char *c1 = item_insert (f, f->police, ITEM_A, "Police report", "AMBER");
  g_autofree char *c2 = change (f, f->police, "identifiers", IDENT_A, "insert", NULL,
                                "{\"item\":\"" ITEM_A "\",\"kind\":\"container\",\"value\":\"MSCU1234566\"}");
  g_autofree char *c3 = item_insert (f, f->customs, ITEM_B, "Customs report", "RED");
  g_autofree char *c4 = change (f, f->customs, "identifiers", IDENT_B, "insert", NULL,
                                "{\"item\":\"" ITEM_B "\",\"kind\":\"container\",\"value\":\"MSCU1234566\"}");
  g_autofree char *expect_police = NULL;
  g_autofree char *expect_customs = NULL;
  g_autoptr(Pulled) police = NULL;
  g_autoptr(Pulled) customs = NULL;
  g_autoptr(Pulled) partner = NULL;
  g_autoptr(Pulled) chair = NULL;

  g_assert_cmpuint (push (f, f->police, NULL, c1, c2, NULL), ==, 200);
  g_assert_cmpuint (push (f, f->customs, NULL, c3, c4, NULL), ==, 200);
  police = pull_all (f, f->police, 0);
  customs = pull_all (f, f->customs, 0);
  partner = pull_all (f, f->partner, 0);
  chair = pull_all (f, f->chair, 0);

  /* Each is told the other holds the container, and nothing of the other's item. */
  expect_police = g_strdup_printf ("hit container:MSCU1234566 %s", f->customs->org);
  expect_customs = g_strdup_printf ("hit container:MSCU1234566 %s", f->police->org);
  g_assert_cmpuint (police->hits->len, ==, 1);
  g_assert_cmpstr (police->hits->pdata[0], ==, expect_police);
  g_assert_cmpuint (customs->hits->len, ==, 1);
  g_assert_cmpstr (customs->hits->pdata[0], ==, expect_customs);
  g_assert_false (g_hash_table_contains (police->rows, ITEM_B));
  g_assert_false (g_hash_table_contains (customs->rows, ITEM_A));
  /* Those who do not hold it are told nothing. */
  g_assert_cmpuint (partner->hits->len, ==, 0);
  g_assert_cmpuint (chair->hits->len, ==, 0);
}


#define MEETING "01a21900-0000-7000-8000-0000000000c1"
#define ENTRY_A "01a21900-0000-7000-8000-0000000000c2"
#define DECISION_A "01a21900-0000-7000-8000-0000000000c3"
#define DECISION_B "01a21900-0000-7000-8000-0000000000c4"
#define ATTEND "01a21900-0000-7000-8000-0000000000c5"

/* Meetings are the consultation's: seen by its members and not by partners, written by the
 * chair; a decision says as much as its item and goes where the item goes. */
static void
test_meetings (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *a = item_insert (f, f->chair, ITEM_A, "Report for the meeting", "GREEN");
  g_autofree char *b = item_insert (f, f->chair, ITEM_B, "Informant", "AMBER");
  g_autofree char *meeting_value = g_strdup_printf ("{\"title\":\"Consultation 12\",\"starts_at\":1,\"status\":\"open\","
                                                    "\"chair\":\"%s\",\"org\":\"%s\"}", f->chair->person,
                                                    f->chair->org);
  g_autofree char *m = change (f, f->chair, "meetings", MEETING, "insert", NULL, meeting_value);
  g_autofree char *entry_value = g_strdup_printf ("{\"meeting\":\"" MEETING "\",\"item\":\"" ITEM_A "\","
                                                  "\"item_org\":\"%s\",\"rank\":1,\"reasons\":1}", f->chair->org);
  g_autofree char *e = change (f, f->chair, "agenda_entries", ENTRY_A, "insert", NULL, entry_value);
  g_autofree char *da = change (f, f->chair, "decisions", DECISION_A, "insert", NULL,
                                "{\"meeting\":\"" MEETING "\",\"item\":\"" ITEM_A "\",\"outcome\":\"monitor\","
                                "\"decided_at\":1}");
  g_autofree char *db = change (f, f->chair, "decisions", DECISION_B, "insert", NULL,
                                "{\"meeting\":\"" MEETING "\",\"item\":\"" ITEM_B "\",\"outcome\":\"dismiss\","
                                "\"decided_at\":1}");
  g_autofree char *own_value = g_strdup_printf ("{\"meeting\":\"" MEETING "\",\"org\":\"%s\",\"in_room\":0,"
                                                "\"connected\":1,\"names\":null}", f->police->org);
  g_autofree char *other_value = g_strdup_printf ("{\"meeting\":\"" MEETING "\",\"org\":\"%s\",\"connected\":1}",
                                                  f->customs->org);
  g_autofree char *reply = NULL;
  g_autoptr(Pulled) police = NULL;
  g_autoptr(Pulled) partner = NULL;
  g_autoptr(Pulled) later = NULL;
  gint64 seq;

  g_assert_cmpuint (push (f, f->chair, NULL, a, b, m, e, da, db, NULL), ==, 200);
  police = pull_all (f, f->police, 0);
  partner = pull_all (f, f->partner, 0);
  g_assert_true (g_hash_table_contains (police->rows, MEETING));
  g_assert_true (g_hash_table_contains (police->rows, ENTRY_A));
  g_assert_true (g_hash_table_contains (police->rows, DECISION_A));
  g_assert_false (g_hash_table_contains (police->rows, DECISION_B));
  g_assert_false (g_hash_table_contains (police->rows, ITEM_B));
  g_assert_false (g_hash_table_contains (partner->rows, MEETING));
  g_assert_false (g_hash_table_contains (partner->rows, ENTRY_A));
  g_assert_false (g_hash_table_contains (partner->rows, DECISION_A));

  /* An officer runs no meeting; they say that their own organisation is connected. */
  seq = pb_hub_last_seq (f->hub);
  {
    g_autofree char *c = change (f, f->police, "meetings", MEETING, "update", "title", "\"Renamed\"");
    g_assert_cmpuint (push (f, f->police, &reply, c, NULL), ==, 403);
    g_clear_pointer (&reply, g_free);
  }
  {
    g_autofree char *c = change (f, f->police, "meeting_attendance", ATTEND, "insert", NULL, other_value);
    g_assert_cmpuint (push (f, f->police, &reply, c, NULL), ==, 403);
    g_assert_nonnull (strstr (reply, "forbidden"));
    g_clear_pointer (&reply, g_free);
  }
  {
    g_autofree char *c = change (f, f->police, "decisions", DECISION_A, "update", "outcome", "\"dismiss\"");
    g_assert_cmpuint (push (f, f->police, &reply, c, NULL), ==, 403);
    g_clear_pointer (&reply, g_free);
  }
  g_assert_cmpint (pb_hub_last_seq (f->hub), ==, seq);
  {
    g_autofree char *c = change (f, f->police, "meeting_attendance", ATTEND, "insert", NULL, own_value);
    g_assert_cmpuint (push (f, f->police, &reply, c, NULL), ==, 200);
    g_clear_pointer (&reply, g_free);
  }
  {
    g_autofree char *c = change (f, f->police, "meeting_attendance", ATTEND, "update", "in_room", "1");
    g_assert_cmpuint (push (f, f->police, &reply, c, NULL), ==, 403);
    g_clear_pointer (&reply, g_free);
  }

  /* Shared with the police, the item comes with what was decided on it. */
  {
    g_autofree char *share_value = g_strdup_printf ("{\"item\":\"" ITEM_B "\",\"org\":\"%s\"}", f->police->org);
    g_autofree char *c = change (f, f->chair, "item_shares", SHARE_A, "insert", NULL, share_value);
    g_assert_cmpuint (push (f, f->chair, NULL, c, NULL), ==, 200);
  }
  later = pull_all (f, f->police, police->next);
  g_assert_true (g_hash_table_contains (later->rows, ITEM_B));
  g_assert_true (g_hash_table_contains (later->rows, DECISION_B));
}

/* Every refused request leaves the log and the audit chain as they were. */
static void
assert_refused (Fixture            *f,
                const PbHubAccount *a,
                const char         *body,
                guint               status,
                const char         *code)
{
  g_autofree char *reply = NULL;
  g_autofree char *before = pb_hub_health (f->hub);
  g_autofree char *after = NULL;
  guint64 audience = 0;

  g_assert_cmpuint (push_request (f->hub, a, body, &audience, &reply), ==, status);
  g_assert_nonnull (strstr (reply, code));
  g_assert_nonnull (strstr (reply, "\"message\""));
  after = pb_hub_health (f->hub);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (audience, ==, 0);
}

static void
test_bad_pushes (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *good = item_insert (f, f->police, ITEM_A, "Fine", "AMBER");
  g_autofree char *future = NULL;
  g_autofree char *body = NULL;
  g_autofree char *other_site = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *foreign = NULL;
  const char *bodies[][3] = {
    { "", "400", "malformed" },
    { "{", "400", "malformed" },
    { "[]", "400", "malformed" },
    { "{\"changes\":5}", "400", "invalid" },
    { "{\"changes\":[],\"extra\":1}", "400", "unknown_field" },
    { "{\"changes\":[5]}", "400", "invalid" },
    { "{\"changes\":[{\"site\":1}]}", "400", "invalid" },
    { "\xff\xfe", "400", "malformed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_refused (f, f->police, bodies[i][0], atoi (bodies[i][1]), bodies[i][2]);

  /* A good change followed by a bad one: nothing of the batch is kept. */
  body = g_strdup_printf ("{\"changes\":[%s,{\"site\":\"%s\",\"hlc\":\"x\"}]}", good, f->police->site);
  assert_refused (f, f->police, body, 400, "invalid");
  g_clear_pointer (&body, g_free);

  /* Unknown fields, tables, types, handling codes. */
  body = one (change (f, f->police, "items", ITEM_A, "insert", NULL,
                      "{\"title\":\"x\",\"tlp\":\"AMBER\",\"colour\":\"red\"}"));
  assert_refused (f, f->police, body, 400, "invalid");
  g_clear_pointer (&body, g_free);
  body = one (change (f, f->police, "people", ITEM_A, "insert", NULL, "{}"));
  assert_refused (f, f->police, body, 400, "invalid");
  g_clear_pointer (&body, g_free);
  {
    g_autofree char *v = g_strdup_printf ("{\"title\":7,\"source_org\":\"%s\",\"tlp\":\"AMBER\"}", f->police->org);
    body = one (change (f, f->police, "items", ITEM_A, "insert", NULL, v));
    assert_refused (f, f->police, body, 400, "invalid");
    g_clear_pointer (&body, g_free);
  }
  body = one (item_insert (f, f->police, ITEM_A, "x", "PURPLE"));
  assert_refused (f, f->police, body, 400, "invalid");
  g_clear_pointer (&body, g_free);

  /* In another organisation's name; from another site; signed by another person. */
  foreign = item_insert (f, f->customs, ITEM_A, "Customs' name", "AMBER");
  body = g_strdup_printf ("{\"changes\":[%s]}", foreign);
  assert_refused (f, f->police, body, 403, "wrong_site");
  g_clear_pointer (&body, g_free);

  /* A clock more than 5 minutes ahead. */
  f->hlc = (guint64) (f->now + 6 * 60 * 1000) << 16;
  future = item_insert (f, f->police, ITEM_A, "From the future", "AMBER");
  body = g_strdup_printf ("{\"changes\":[%s]}", future);
  assert_refused (f, f->police, body, 409, "clock_ahead");
  g_clear_pointer (&body, g_free);
  f->hlc = (guint64) f->now << 16;

  /* Partners and administrators write nothing. */
  body = one (item_insert (f, f->partner, ITEM_B, "x", "CLEAR"));
  assert_refused (f, f->partner, body, 403, "read_only");
  g_clear_pointer (&body, g_free);

  /* A row one cannot see does not exist for them: neither edit nor delete. */
  g_assert_cmpuint (push (f, f->police, &reply, good, NULL), ==, 200);
  /* Refused one by one (the writer may have lost sight of the row while offline), with
   * the rest of the batch kept; nothing is told of the row. */
  {
    gint64 before = pb_hub_last_seq (f->hub);
    g_autofree char *edit = change (f, f->customs, "items", ITEM_A, "update", "title", "\"mine now\"");
    g_autofree char *del = change (f, f->customs, "items", ITEM_A, "delete", NULL, NULL);
    g_autofree char *own = item_insert (f, f->customs, ITEM_B, "Customs' own", "AMBER");
    g_autoptr(JsonObject) answer = NULL;
    JsonArray *rejected;

    g_clear_pointer (&reply, g_free);
    g_assert_cmpuint (push (f, f->customs, &reply, edit, del, own, NULL), ==, 200);
    answer = parse (reply);
    g_assert_cmpint (json_object_get_int_member (answer, "accepted"), ==, 1);
    rejected = json_object_get_array_member (answer, "rejected");
    g_assert_cmpuint (json_array_get_length (rejected), ==, 2);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0), "index"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejected, 1), "error"), ==,
                     "not_found");
    g_assert_cmpint (pb_hub_last_seq (f->hub), ==, before + 1);
    g_assert_null (strstr (reply, "Fine"));
  }
  /* The organisation that wrote it cannot be changed. */
  {
    g_autofree char *v = g_strdup_printf ("\"%s\"", f->customs->org);
    body = one (change (f, f->police, "items", ITEM_A, "update", "source_org", v));
    assert_refused (f, f->police, body, 403, "forbidden");
    g_clear_pointer (&body, g_free);
  }

  /* Replayed change ids: accepted once, then counted as duplicates, nothing added. */
  {
    gint64 before = pb_hub_last_seq (f->hub);

    g_clear_pointer (&reply, g_free);
    g_assert_cmpuint (push (f, f->police, &reply, good, NULL), ==, 200);
    g_assert_nonnull (strstr (reply, "\"accepted\":0,\"duplicates\":1"));
    g_assert_cmpint (pb_hub_last_seq (f->hub), ==, before);
  }

  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (pull_request (f->hub, f->police, "-1", NULL, NULL, &reply), ==, 400);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (pull_request (f->hub, f->police, "0", "0", NULL, &reply), ==, 400);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (pull_request (f->hub, f->police, "abc", NULL, NULL, &reply), ==, 400);
}

/* The "rows" form of a pull carries the same changes as the objects, member by member in
 * the order of its columns (null where an object leaves one out); another form is refused
 * before anything is delivered. */
static void
test_pull_rows (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *c1 = item_insert (f, f->police, ITEM_A, "Reefer at K913", "AMBER");
  g_autofree char *c2 = change (f, f->police, "identifiers", IDENT_A, "insert", NULL,
                                "{\"item\":\"" ITEM_A "\",\"kind\":\"container\",\"value\":\"MSCU1234566\"}");
  g_autofree char *c3 = change (f, f->police, "items", ITEM_A, "update", "lead_org", "null");
  g_autofree char *c4 = change (f, f->police, "items", ITEM_A, "delete", NULL, NULL);
  g_autofree char *reply = NULL;
  g_autofree char *objects_reply = NULL;
  g_autofree char *rows_reply = NULL;
  g_autofree char *health = NULL;
  g_autoptr(JsonObject) objects = NULL;
  g_autoptr(JsonObject) rows = NULL;
  g_autoptr(JsonNode) expected_columns = json_from_string (PB_SYNC_PULL_COLUMNS, NULL);
  JsonArray *columns, *changes, *list;

  g_assert_cmpuint (push (f, f->police, &reply, c1, c2, c3, c4, NULL), ==, 200);
  g_assert_cmpuint (pull_request (f->hub, f->police, "0", "50", "objects", &objects_reply), ==, 200);
  g_assert_cmpuint (pull_request (f->hub, f->police, "0", "50", "rows", &rows_reply), ==, 200);
  objects = parse (objects_reply);
  rows = parse (rows_reply);
  g_assert_false (json_object_has_member (rows, "changes"));
  g_assert_true (json_node_equal (json_object_get_member (rows, "columns"), expected_columns));
  columns = json_object_get_array_member (rows, "columns");
  changes = json_object_get_array_member (objects, "changes");
  list = json_object_get_array_member (rows, "rows");
  g_assert_cmpuint (json_array_get_length (changes), >=, 4);
  g_assert_cmpuint (json_array_get_length (list), ==, json_array_get_length (changes));
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);
      JsonArray *r = json_array_get_array_element (list, i);

      g_assert_cmpuint (json_array_get_length (r), ==, json_array_get_length (columns));
      for (guint k = 0; k < json_array_get_length (columns); k++)
        {
          const char *name = json_array_get_string_element (columns, k);
          JsonNode *in_row = json_array_get_element (r, k);

          if (json_object_has_member (c, name))
            g_assert_true (json_node_equal (json_object_get_member (c, name), in_row));
          else
            g_assert_true (JSON_NODE_HOLDS_NULL (in_row));
        }
    }
  g_assert_cmpint (json_object_get_int_member (rows, "next"), ==, json_object_get_int_member (objects, "next"));
  /* A value set to null is a null in both forms. */
  g_assert_nonnull (strstr (rows_reply, "\"lead_org\",null,"));

  /* No such form: refused, and no delivery is recorded. */
  health = pb_hub_health (f->hub);
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (pull_request (f->hub, f->police, "0", "50", "table", &reply), ==, 400);
  g_assert_nonnull (strstr (reply, "\"invalid\""));
  g_clear_pointer (&reply, g_free);
  reply = pb_hub_health (f->hub);
  g_assert_cmpstr (strstr (reply, "\"audit\""), ==, strstr (health, "\"audit\""));
}

static void
test_audit_tamper (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *c1 = item_insert (f, f->police, ITEM_A, "Evidence", "AMBER");
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbHub) reopened = NULL;
  sqlite3 *db;
  gint64 n, bad, altered = 0;

  g_assert_cmpuint (push (f, f->police, NULL, c1, NULL), ==, 200);
  g_assert_true (pb_hub_verify_audit (f->hub, &n, &bad, &error));
  g_assert_no_error (error);
  g_clear_object (&f->hub);

  /* Someone with the file rewrites who added a change (the append-only triggers dropped
   * first): the first entry that names Karim. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                     "CREATE TEMP TABLE t AS SELECT min (seq) AS seq FROM audit"
                                     " WHERE entry LIKE '%\"by\":\"Karim\"%';"
                                     "UPDATE audit SET entry = replace (entry, 'Karim', 'Nobody')"
                                     " WHERE seq = (SELECT seq FROM t)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  {
    sqlite3_stmt *s;
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq FROM t", -1, &s, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    altered = sqlite3_column_int64 (s, 0);
    sqlite3_finalize (s);
  }
  g_assert_cmpint (altered, >, 10);
  sqlite3_close (db);

  reopened = pb_hub_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_false (pb_hub_verify_audit (reopened, &n, &bad, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_CORRUPT);
  g_assert_cmpint (bad, ==, altered);
  g_clear_error (&error);

  /* Or deletes the last entry and recomputes nothing: the chain still holds but the head
   * clients hold is gone; a deleted middle entry is found. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_false (pb_hub_verify_audit (reopened, &n, &bad, &error));
  g_assert_cmpint (bad, ==, 2);
  f->hub = g_steal_pointer (&reopened);
}

/* A database on which a statement cannot be prepared (a table is missing) is refused when
 * it is opened, with an error, instead of ending the process later. */
static void
test_open_damaged (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_clear_object (&f->hub);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE holders", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (pb_hub_open (f->dir, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "holders"));
}

/* Every error the hub gives has an HTTP status and a code, and those clients see are the
 * protocol's (docs/sync-protocol.md). */
static void
test_error_table (void)
{
  static const struct
  {
    PbHubError  error;
    guint       status;
    const char *code;
  } protocol[] = {
    { PB_HUB_ERROR_MALFORMED, 400, "malformed" },
    { PB_HUB_ERROR_UNKNOWN_FIELD, 400, "unknown_field" },
    { PB_HUB_ERROR_INVALID, 400, "invalid" },
    { PB_HUB_ERROR_NO_CREDENTIAL, 401, "no_credential" },
    { PB_HUB_ERROR_BAD_CREDENTIAL, 401, "bad_credential" },
    { PB_HUB_ERROR_BAD_TOKEN, 401, "bad_token" },
    { PB_HUB_ERROR_READ_ONLY, 403, "read_only" },
    { PB_HUB_ERROR_WRONG_SITE, 403, "wrong_site" },
    { PB_HUB_ERROR_WRONG_AUTHOR, 403, "wrong_author" },
    { PB_HUB_ERROR_FORBIDDEN, 403, "forbidden" },
    { PB_HUB_ERROR_NOT_FOUND, 404, "not_found" },
    { PB_HUB_ERROR_METHOD, 405, "method" },
    { PB_HUB_ERROR_CLOCK_AHEAD, 409, "clock_ahead" },
    { PB_HUB_ERROR_TOO_LARGE, 413, "too_large" },
    { PB_HUB_ERROR_TOO_MANY, 413, "too_many" },
    { PB_HUB_ERROR_FAILED, 500, "failed" },
    { PB_HUB_ERROR_BUSY, 503, "busy" },
  };
  const char *code;
  guint status;

  /* Every code (PB_HUB_ERROR_BUSY is the last) is in the table. */
  for (int i = 0; i <= PB_HUB_ERROR_BUSY; i++)
    {
      g_autoptr(GError) e = g_error_new_literal (PB_HUB_ERROR, i, "x");

      status = 0;
      code = NULL;
      g_assert_true (pb_hub_error_to_http (e, &status, &code));
      g_assert_cmpuint (status, >=, 400);
      g_assert_cmpuint (status, <, 600);
      g_assert_nonnull (code);
      g_assert_cmpuint (strlen (code), >, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (protocol); i++)
    {
      g_autoptr(GError) e = g_error_new_literal (PB_HUB_ERROR, protocol[i].error, "Why \"not\"");
      g_autofree char *expected = g_strdup_printf ("{\"error\":\"%s\",\"message\":\"Why \\\"not\\\"\"}",
                                                   protocol[i].code);
      g_autofree char *body = pb_hub_error_reply (e, &status);

      g_assert_true (pb_hub_error_to_http (e, NULL, &code));
      g_assert_cmpstr (code, ==, protocol[i].code);
      g_assert_cmpuint (status, ==, protocol[i].status);
      g_assert_cmpstr (body, ==, expected);
    }
  /* Another domain, another code: the hub failed. */
  {
    g_autoptr(GError) e = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "x");
    g_autoptr(GError) unknown = g_error_new_literal (PB_HUB_ERROR, PB_HUB_ERROR_BUSY + 1, "x");

    g_assert_false (pb_hub_error_to_http (e, &status, &code));
    g_assert_cmpuint (status, ==, 500);
    g_assert_cmpstr (code, ==, "failed");
    g_assert_false (pb_hub_error_to_http (unknown, &status, &code));
    g_assert_cmpuint (status, ==, 500);
  }
}

/* A few refusals give, answer for answer, what clients have always seen; nothing changes. */
static void
test_refusals (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GString) many = g_string_new ("{\"changes\":[");
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *before = pb_hub_health (f->hub);
  g_autofree char *after = NULL;
  guint64 audience = 1;
  const char *code;
  guint status;

  /* A push by a partner. */
  g_assert_false (pb_hub_push (f->hub, f->partner, "{\"changes\":[]}", 14, &audience, &reply, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_READ_ONLY);
  g_assert_null (reply);
  g_assert_cmpuint (audience, ==, 0);
  reply = pb_hub_error_reply (error, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (reply, ==, "{\"error\":\"read_only\",\"message\":\"Private partners have read-only access: "
                              "the hub accepts no changes from them\"}");
  g_clear_pointer (&reply, g_free);
  g_clear_error (&error);

  /* Not JSON. */
  g_assert_false (pb_hub_push (f->hub, f->police, "{", 1, &audience, &reply, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_MALFORMED);
  g_assert_true (pb_hub_error_to_http (error, &status, &code));
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (code, ==, "malformed");
  g_clear_error (&error);

  /* Too many changes. */
  for (guint i = 0; i <= PB_HUB_MAX_BATCH; i++)
    g_string_append (many, i ? ",{}" : "{}");
  g_string_append (many, "]}");
  g_assert_false (pb_hub_push (f->hub, f->police, many->str, many->len, &audience, &reply, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_TOO_MANY);
  reply = pb_hub_error_reply (error, &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (reply, ==, "{\"error\":\"too_many\",\"message\":\"At most 1000 changes a push\"}");
  g_clear_pointer (&reply, g_free);
  g_clear_error (&error);

  /* A wrong enrolment token. */
  {
    const char *body = "{\"token\":\"pbe_wrong\",\"site\":\"01a21900-0000-7000-8000-0000000000ff\"}";

    g_assert_false (pb_hub_enrol (f->hub, body, strlen (body), &reply, &error));
    g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_BAD_TOKEN);
    reply = pb_hub_error_reply (error, &status);
    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (reply, ==, "{\"error\":\"bad_token\",\"message\":\"This enrolment token is not valid: "
                                "it is wrong, used or revoked\"}");
    g_clear_pointer (&reply, g_free);
    g_clear_error (&error);
  }

  /* An audit chain position that does not exist; one that is not a number. */
  g_assert_false (pb_hub_audit_links (f->hub, f->police, "999999", &reply, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND);
  g_assert_true (pb_hub_error_to_http (error, &status, &code));
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpstr (code, ==, "not_found");
  g_clear_error (&error);
  g_assert_false (pb_hub_audit_links (f->hub, f->police, "x", &reply, &error));
  g_assert_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (pb_hub_audit_links (f->hub, f->police, "0", &reply, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (reply, "{\"from\":{\"seq\":0,\"hash\":\"0000"));

  /* None of it changed anything. */
  after = pb_hub_health (f->hub);
  g_assert_cmpstr (before, ==, after);
}

/* Shared with one organisation and unshared with another in the same push, then edited:
 * the one it was shared with gets its whole state (the edit too), the other is told to
 * remove it (issue 15, finding 1). */
static void
test_reshared_in_one_push (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *item = item_insert (f, f->police, ITEM_A, "Reefer at K913", "AMBER");
  g_autofree char *to_customs = NULL, *to_partner = NULL, *unshare = NULL, *edit = NULL;
  g_autoptr(Pulled) customs = NULL;
  g_autoptr(Pulled) partner = NULL;
  g_autoptr(Pulled) customs2 = NULL;
  g_autoptr(Pulled) partner2 = NULL;

  {
    g_autofree char *v = g_strdup_printf ("{\"item\":\"" ITEM_A "\",\"org\":\"%s\"}", f->customs->org);
    to_customs = change (f, f->police, "item_shares", SHARE_A, "insert", NULL, v);
  }
  g_assert_cmpuint (push (f, f->police, NULL, item, to_customs, NULL), ==, 200);
  customs = pull_all (f, f->customs, 0);
  partner = pull_all (f, f->partner, 0);
  g_assert_cmpstr (g_hash_table_lookup (customs->rows, ITEM_A), ==, "snapshot");
  g_assert_false (g_hash_table_contains (partner->rows, ITEM_A));

  {
    g_autofree char *v = g_strdup_printf ("{\"item\":\"" ITEM_A "\",\"org\":\"%s\"}", f->partner->org);
    to_partner = change (f, f->police, "item_shares", "01a21900-0000-7000-8000-0000000000a3", "insert", NULL, v);
  }
  unshare = change (f, f->police, "item_shares", SHARE_A, "delete", NULL, NULL);
  edit = change (f, f->police, "items", ITEM_A, "update", "priority", "\"high\"");
  g_assert_cmpuint (push (f, f->police, NULL, to_partner, unshare, edit, NULL), ==, 200);
  customs2 = pull_all (f, f->customs, customs->next);
  partner2 = pull_all (f, f->partner, partner->next);
  g_assert_cmpstr (g_hash_table_lookup (customs2->rows, ITEM_A), ==, "revoke");
  g_assert_cmpstr (g_hash_table_lookup (partner2->rows, ITEM_A), ==, "snapshot");

  /* Unshared, edited and shared again in one push: the partner, who held it before and
   * after but not when it was edited, gets its whole state again (the edit was not sent
   * to it). */
  {
    g_autofree char *unshare_partner = change (f, f->police, "item_shares", "01a21900-0000-7000-8000-0000000000a3",
                                               "delete", NULL, NULL);
    g_autofree char *edit2 = change (f, f->police, "items", ITEM_A, "update", "title", "\"Seen by nobody else\"");
    g_autofree char *v = g_strdup_printf ("{\"item\":\"" ITEM_A "\",\"org\":\"%s\"}", f->partner->org);
    g_autofree char *reshare = change (f, f->police, "item_shares", "01a21900-0000-7000-8000-0000000000a4", "insert",
                                       NULL, v);
    g_autoptr(Pulled) partner3 = NULL;

    g_assert_cmpuint (push (f, f->police, NULL, unshare_partner, edit2, reshare, NULL), ==, 200);
    partner3 = pull_all (f, f->partner, partner2->next);
    g_assert_null (g_hash_table_lookup (partner3->values, ITEM_A "/title"));
    g_assert_cmpstr (g_hash_table_lookup (partner3->rows, ITEM_A), ==, "snapshot");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/hub/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("accounts", test_accounts);
  ADD ("need-to-know", test_need_to_know);
  ADD ("reshared-in-one-push", test_reshared_in_one_push);
  ADD ("hits", test_hits);
  ADD ("meetings", test_meetings);
  ADD ("bad-pushes", test_bad_pushes);
  ADD ("pull-rows", test_pull_rows);
  ADD ("audit-tamper", test_audit_tamper);
  ADD ("refusals", test_refusals);
  ADD ("open-damaged", test_open_damaged);
#undef ADD
  g_test_add_func ("/hub/error-table", test_error_table);

  return g_test_run ();
}
