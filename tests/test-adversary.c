/* test-adversary.c: a corrupted member device against a real hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The realistic attacker is a member organisation's own credential on a device that no
 * longer runs Portboard's code: it pushes whatever it likes, signed as its person, from its
 * site. Each test crafts such pushes by hand over loopback and checks that the hub refuses
 * them, changes nothing, and that the other organisations' replicas stay as they were.
 * (Strangers without a credential are tried in test-hub-dos.c.)
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pb-store-private.h"
#include "pb-util.h"
#include "sync-client.h"

/* ---- Pushing by hand ---------------------------------------------------------------- */

typedef struct
{
  guint  status;
  char  *body;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* The person a client acts as. */
static const char *
person_of (Client *c)
{
  return pb_store_get_actor (c->store);
}

/* A change in wire form, stamped with @c's site and person and a fresh clock; @value is
 * JSON or NULL. */
static char *
forge (Client     *c,
       const char *tbl,
       const char *row,
       const char *op,
       const char *field,
       const char *value)
{
  static guint64 counter;
  GString *out = g_string_new (NULL);
  guint64 hlc = ((guint64) (g_get_real_time () / 1000) << 16) + (++counter & 0xffff);

  g_string_append_printf (out, "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"%s\",\"row\":\"%s\","
                          "\"op\":\"%s\",\"author\":\"%s\"", pb_store_get_site_id (c->store), hlc, tbl, row, op,
                          person_of (c));
  if (field)
    g_string_append_printf (out, ",\"field\":\"%s\"", field);
  if (value)
    g_string_append_printf (out, ",\"value\":%s", value);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* Pushes one forged change as @c; the answer. */
static Answer
push_raw (Client *c,
          char   *change)
{
  g_autofree char *owned = change;
  g_autofree char *body = g_strdup_printf ("{\"changes\":[%s]}", change);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  Answer a = { 0, NULL };

  reply = pb_transport_request (PB_TRANSPORT (c->transport), "POST", "/v1/push", c->credential, request, &a.status,
                                &error);
  g_assert_no_error (error);
  a.body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return a;
}

/* Whether the hub took the change: 200 and accepted. */
static gboolean
accepted (const Answer *a)
{
  return a->status == 200 && strstr (a->body, "\"accepted\":1") != NULL;
}

static char *
field_of (Client     *c,
          const char *tbl,
          const char *row,
          const char *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = '%s'", field, tbl, row);
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  return value;
}

/* Whether @c holds the row. */
static gboolean
has_row (Client     *c,
         const char *tbl,
         const char *row)
{
  g_autofree char *id = field_of (c, tbl, row, "id");

  return id != NULL;
}

/* ---- Fixed fields ------------------------------------------------------------------- */

/* Customs re-inserts a police GREEN item it sees, with its own organisation and RED
 * (issue 15, finding 2): refused; the police keep their item as it was, everywhere. */
static void
test_reinsert (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *item = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_autofree char *value = NULL;
  g_autofree char *source = NULL, *tlp = NULL, *title = NULL;
  g_auto(Answer) a = { 0 };

  client_sync (police);
  client_sync (customs);
  g_assert_true (has_row (customs, "items", item));

  value = g_strdup_printf ("{\"title\":\"Customs' now\",\"source_org\":\"%s\",\"author\":\"%s\",\"tlp\":\"RED\","
                           "\"reported_at\":1790000000}", customs->org, person_of (customs));
  a = push_raw (customs, forge (customs, "items", item, "insert", NULL, value));
  g_assert_false (accepted (&a));
  g_assert_cmpuint (a.status, ==, 403);

  client_sync (police);
  source = field_of (police, "items", item, "source_org");
  tlp = field_of (police, "items", item, "tlp");
  title = field_of (police, "items", item, "title");
  g_assert_cmpstr (source, ==, police->org);
  g_assert_cmpstr (tlp, ==, "GREEN");
  g_assert_cmpstr (title, ==, "Pattern of rip-on at night");
}

/* Re-inserting its own item with other values of fields that may change is an edit of
 * each: all of them reach the other replicas (the client applied only the first field of
 * such an insert: the others looked "seen", having the same clock). */
static void
test_reinsert_own (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *item = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_autofree char *value = NULL;
  g_autofree char *title = NULL, *body = NULL, *priority = NULL;
  g_auto(Answer) a = { 0 };

  client_sync (police);
  client_sync (customs);
  value = g_strdup_printf ("{\"title\":\"New title\",\"body\":\"New body\",\"priority\":\"urgent\","
                           "\"source_org\":\"%s\",\"author\":\"%s\",\"tlp\":\"GREEN\",\"reported_at\":1790000000}",
                           police->org, person_of (police));
  a = push_raw (police, forge (police, "items", item, "insert", NULL, value));
  g_assert_true (accepted (&a));

  client_sync (customs);
  title = field_of (customs, "items", item, "title");
  body = field_of (customs, "items", item, "body");
  priority = field_of (customs, "items", item, "priority");
  g_assert_cmpstr (title, ==, "New title");
  g_assert_cmpstr (body, ==, "New body");
  g_assert_cmpstr (priority, ==, "urgent");
}

/* A new item signed by someone else (issue 15, finding 3): refused, nothing reaches the
 * others. */
static void
test_forged_author (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *row = pb_uuid_new ();
  g_autofree char *value = NULL;
  g_autofree char *title = NULL;
  g_auto(Answer) a = { 0 };

  value = g_strdup_printf ("{\"title\":\"Written by the police, they say\",\"source_org\":\"%s\",\"author\":\"%s\","
                           "\"tlp\":\"GREEN\",\"reported_at\":1790000000}", customs->org, person_of (police));
  a = push_raw (customs, forge (customs, "items", row, "insert", NULL, value));
  g_assert_cmpuint (a.status, ==, 403);
  g_assert_nonnull (strstr (a.body, "own name"));
  client_sync (police);
  title = field_of (police, "items", row, "title");
  g_assert_null (title);
}

/* Customs passes a police AMBER item it was given on to a private partner, and erases a
 * police item (issue 15, finding 4): both refused; the partner gets nothing, the police
 * keep their item. */
static void
test_onward (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autofree char *amber = client_add_item (police, "Crew list of the Santos call", "AMBER", NULL);
  g_autofree char *green = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_autofree char *share = NULL;
  g_autofree char *row = pb_uuid_new ();
  g_autofree char *value = NULL;
  g_autofree char *title = NULL, *tlp = NULL;
  g_auto(Answer) a = { 0 };
  g_auto(Answer) b = { 0 };
  g_auto(Answer) c = { 0 };

  client_sync (police);   /* knows customs now */
  share = client_share (police, amber, customs->org);
  client_sync (police);
  client_sync (customs);
  g_assert_true (has_row (customs, "items", amber));

  value = g_strdup_printf ("{\"item\":\"%s\",\"org\":\"%s\"}", amber, partner->org);
  a = push_raw (customs, forge (customs, "item_shares", row, "insert", NULL, value));
  g_assert_cmpuint (a.status, ==, 403);
  b = push_raw (customs, forge (customs, "items", green, "delete", NULL, NULL));
  g_assert_cmpuint (b.status, ==, 403);
  c = push_raw (customs, forge (customs, "items", amber, "update", "tlp", "\"CLEAR\""));
  g_assert_cmpuint (c.status, ==, 403);

  client_sync (partner);
  g_assert_false (has_row (partner, "items", amber));
  client_sync (police);
  title = field_of (police, "items", green, "title");
  tlp = field_of (police, "items", amber, "tlp");
  g_assert_cmpstr (title, ==, "Pattern of rip-on at night");
  g_assert_cmpstr (tlp, ==, "AMBER");
}

/* Customs knows the id of a police RED item it was never given (a leak, a guess) and
 * hangs rows on it: an identifier, a link, a sharing with itself, an incident. Each is
 * refused as if the item were not there (nothing tells customs it is), and the police's
 * item gets none of them. */
static void
test_hidden_parent (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *red = client_add_item (police, "Informant's tip on the Santos call", "RED", NULL);
  g_autofree char *own = client_add_item (customs, "Scanner image of a reefer", "GREEN", NULL);
  const char *low = strcmp (red, own) < 0 ? red : own;
  const char *high = strcmp (red, own) < 0 ? own : red;
  struct
  {
    const char *tbl;
    char       *value;
  } cases[] = {
    { "identifiers", g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"container\",\"value\":\"MSCU1234566\"}", red) },
    { "item_links", g_strdup_printf ("{\"item_a\":\"%s\",\"item_b\":\"%s\"}", low, high) },
    { "item_shares", g_strdup_printf ("{\"item\":\"%s\",\"org\":\"%s\"}", red, customs->org) },
    { "incidents", g_strdup_printf ("{\"kind\":\"seizure\",\"occurred_at\":1790000000,\"item\":\"%s\","
                                    "\"tlp\":\"GREEN\",\"source_org\":\"%s\"}", red, customs->org) },
    /* Whom the item comes from, guessed right and wrong: the same answer. */
    { "requests", g_strdup_printf ("{\"item\":\"%s\",\"item_org\":\"%s\",\"source_org\":\"%s\",\"requested_by\":\"%s\","
                                   "\"requested_at\":1790000000,\"kind\":\"handling\",\"tlp\":\"GREEN\",\"reason\":\"x\"}",
                                   red, police->org, customs->org, person_of (customs)) },
    { "requests", g_strdup_printf ("{\"item\":\"%s\",\"item_org\":\"%s\",\"source_org\":\"%s\",\"requested_by\":\"%s\","
                                   "\"requested_at\":1790000000,\"kind\":\"handling\",\"tlp\":\"GREEN\",\"reason\":\"x\"}",
                                   red, customs->org, customs->org, person_of (customs)) },
  };
  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM identifiers WHERE item = '%1$s')"
                                          " + (SELECT count(*) FROM item_links WHERE item_a = '%1$s' OR item_b = '%1$s')"
                                          " + (SELECT count(*) FROM item_shares WHERE item = '%1$s')"
                                          " + (SELECT count(*) FROM incidents WHERE item = '%1$s')", red);

  client_sync (police);
  client_sync (customs);
  g_assert_false (has_row (customs, "items", red));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *row = pb_uuid_new ();
      g_autofree char *value = cases[i].value;
      g_auto(Answer) a = { 0 };

      a = push_raw (customs, forge (customs, cases[i].tbl, row, "insert", NULL, value));
      g_test_message ("%s %s → %u %s", cases[i].tbl, value, a.status, a.body);
      /* The same answer as for an item that does not exist: nothing to learn from it. */
      g_assert_cmpuint (a.status, ==, 200);
      g_assert_false (accepted (&a));
      g_assert_nonnull (strstr (a.body, "\"not_found\""));
      g_assert_nonnull (strstr (a.body, "is not there"));
    }
  client_sync (police);
  g_assert_cmpint (count (police, sql), ==, 0);
  client_sync (customs);
  g_assert_false (has_row (customs, "items", red));
}

/* ---- Rows no replica could store ---------------------------------------------------- */

/* Rows that pass the rulebook but that a replica's schema refuses (issue 15, finding 6):
 * an item without its author or time, an identifier with a wrong check digit or not in
 * its normal form, a link whose pair is in the wrong order, a handling code that does not
 * exist. The hub refuses each as invalid and keeps nothing; the others' sync goes on. */
static void
test_unstorable (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *a_item = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_autofree char *b_item = client_add_item (police, "Crew list of the Santos call", "GREEN", NULL);
  const char *low = strcmp (a_item, b_item) < 0 ? a_item : b_item;
  const char *high = strcmp (a_item, b_item) < 0 ? b_item : a_item;
  struct
  {
    const char *tbl;
    char       *value;
  } cases[] = {
    { "items", g_strdup_printf ("{\"title\":\"No author, no time\",\"source_org\":\"%s\",\"tlp\":\"GREEN\"}",
                                police->org) },
    { "items", g_strdup_printf ("{\"title\":\"Purple\",\"source_org\":\"%s\",\"author\":\"%s\",\"tlp\":\"PURPLE\","
                                "\"reported_at\":1790000000}", police->org, person_of (police)) },
    { "identifiers", g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"container\",\"value\":\"MSCU1234565\"}", a_item) },
    { "identifiers", g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"container\",\"value\":\"mscu 123456-6\"}",
                                      a_item) },
    { "item_links", g_strdup_printf ("{\"item_a\":\"%s\",\"item_b\":\"%s\"}", high, low) },
  };
  gint64 before;

  client_sync (police);
  client_sync (customs);
  before = count (customs, "SELECT count(*) FROM items");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *row = pb_uuid_new ();
      g_autofree char *value = cases[i].value;
      g_autofree char *found = NULL;
      g_auto(Answer) a = { 0 };

      a = push_raw (police, forge (police, cases[i].tbl, row, "insert", NULL, value));
      g_test_message ("%s %s → %u %s", cases[i].tbl, value, a.status, a.body);
      g_assert_cmpuint (a.status, ==, 400);
      g_assert_nonnull (strstr (a.body, "\"invalid\""));

      client_sync (customs);
      found = field_of (customs, cases[i].tbl, row, "id");
      g_assert_null (found);
    }
  g_assert_cmpint (count (customs, "SELECT count(*) FROM items"), ==, before);
  g_assert_cmpint (count (customs, "SELECT count(*) FROM sync_quarantine"), ==, 0);
}

/* Two devices of one organisation share the same item with customs while offline
 * (issue 15, finding 6): the second sharing is the same row twice, which no replica could
 * hold beside the first. The hub refuses it alone and the device drops its copy; every
 * replica ends with one sharing, and customs gets the item. */
static void
test_duplicate_share (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(Client) karim = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) lotte = client_new (f, "Lotte", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *item = client_add_item (karim, "Crew list of the Santos call", "AMBER", NULL);
  g_autofree char *first = NULL, *second = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  PbSyncStats stats = { 0 };

  g_assert_cmpstr (karim->org, ==, lotte->org);
  client_sync (karim);
  client_sync (lotte);
  g_assert_true (has_row (lotte, "items", item));

  first = client_share (karim, item, customs->org);
  second = client_share (lotte, item, customs->org);
  client_sync (karim);
  g_assert_true (pb_sync_once (lotte->store, PB_TRANSPORT (lotte->transport), lotte->credential, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.rejected, ==, 1);
  g_assert_cmpuint (stats.dropped, ==, 1);
  client_sync (customs);
  client_sync (karim);

  sql = g_strdup_printf ("SELECT count(*) FROM item_shares WHERE item = '%s'", item);
  g_assert_cmpint (count (karim, sql), ==, 1);
  g_assert_cmpint (count (lotte, sql), ==, 1);
  g_assert_cmpint (count (customs, sql), ==, 1);
  g_assert_true (has_row (lotte, "item_shares", first));
  g_assert_false (has_row (lotte, "item_shares", second));
  g_assert_true (has_row (customs, "items", item));
  g_assert_cmpint (pb_store_count_quarantined (lotte->store), ==, 0);
}

/* ---- A partner reading ------------------------------------------------------------- */

/* A GET as @c; the answer. */
static Answer
get_raw (Client     *c,
         const char *path)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  Answer a = { 0, NULL };

  reply = pb_transport_request (PB_TRANSPORT (c->transport), "GET", path, c->credential, NULL, &a.status, &error);
  g_assert_no_error (error);
  a.body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return a;
}

/* A private partner tries to read what is not shared with it through every address the
 * hub has: pulls from the start with any cursor, size and form, the audit chain, the
 * health check, edits and deletes of the hidden items. It gets the item shared with it,
 * and of the others not a title, not an id; its writes to them answer as for rows that do
 * not exist. */
static void
test_partner_reads (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autofree char *red = client_add_item (police, "Informant names the reefer crew", "RED", "MSCU1234566");
  g_autofree char *amber = client_add_item (police, "Crew list of the Santos call", "AMBER", NULL);
  g_autofree char *green = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_autofree char *given = client_add_item (police, "Gate camera out of order", "AMBER", NULL);
  g_autofree char *share_a = NULL, *share_b = NULL, *nowhere = pb_uuid_new ();
  const char *hidden[] = { red, amber, green, "Informant", "Crew list", "rip-on", "MSCU1234566", NULL };
  const char *pulls[] = { "/v1/pull?since=0&limit=5000", "/v1/pull?since=0&limit=5000&form=rows", "/v1/pull?since=0&limit=100000",
                          "/v1/pull?since=-1", "/v1/pull?since=99999999999&limit=1", "/v1/pull?limit=0",
                          "/v1/pull?since=0&form=nonsense", "/v1/pull?since=0%00&limit=5",
                          "/v1/audit/links?after=0", "/v1/health", NULL };

  client_sync (police);
  share_a = client_share (police, amber, customs->org);
  share_b = client_share (police, given, partner->org);
  client_sync (police);
  client_sync (customs);

  for (guint i = 0; pulls[i]; i++)
    {
      g_auto(Answer) a = get_raw (partner, pulls[i]);

      g_test_message ("%s → %u", pulls[i], a.status);
      for (guint k = 0; hidden[k]; k++)
        g_assert_null (strstr (a.body, hidden[k]));
      g_assert_null (strstr (a.body, share_a));   /* customs' sharing */
      if (a.status == 200 && g_str_has_prefix (pulls[i], "/v1/pull?since=0&limit"))
        g_assert_nonnull (strstr (a.body, given));
    }

  /* Writes to what it does not see answer as for what is not there: a partner writes
   * nothing (read-only), whatever the row. */
  for (guint k = 0; k < 3; k++)
    {
      const char *row = k == 0 ? red : k == 1 ? amber : green;
      g_auto(Answer) edit = push_raw (partner, forge (partner, "items", row, "update", "title", "\"Mine\""));
      g_auto(Answer) gone = push_raw (partner, forge (partner, "items", row, "delete", NULL, NULL));
      g_auto(Answer) none = push_raw (partner, forge (partner, "items", nowhere, "update", "title", "\"Mine\""));

      g_assert_cmpuint (edit.status, ==, 403);
      g_assert_cmpstr (edit.body, ==, none.body);
      g_assert_cmpstr (gone.body, ==, none.body);
    }
  client_sync (police);
  {
    g_autofree char *title = field_of (police, "items", red, "title");
    g_assert_cmpstr (title, ==, "Informant names the reefer crew");
  }
}

/* ---- The test program --------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/adversary/" name, Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, fn, \
                                  fixture_tear_down)
  ADD ("reinsert", test_reinsert);
  ADD ("reinsert-own", test_reinsert_own);
  ADD ("forged-author", test_forged_author);
  ADD ("onward", test_onward);
  ADD ("hidden-parent", test_hidden_parent);
  ADD ("partner-reads", test_partner_reads);
  ADD ("unstorable", test_unstorable);
  ADD ("duplicate-share", test_duplicate_share);
#undef ADD

  return g_test_run ();
}
