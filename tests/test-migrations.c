/* test-migrations.c: a database of every earlier schema version opens, migrates and keeps
 * its data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-schema.h"
#include "pb-test-util.h"

#define ORG "01900000-0000-7000-8000-000000000001"
#define PERSON "01900000-0000-7000-8000-000000000002"
#define ITEM "01900000-0000-7000-8000-000000000003"
#define IDENT "01900000-0000-7000-8000-000000000004"
#define CASE "01900000-0000-7000-8000-000000000005"

/* Rows as a Portboard of that version wrote them, directly in SQL. */
static const char seed_v1[] =
  "INSERT INTO organisations (id, name, short_code, kind, colour) VALUES ('" ORG "', 'Old Police', 'OLD', 'police', '#123456');"
  "INSERT INTO people (id, name, org, role) VALUES ('" PERSON "', 'Olivia Oldtimer', '" ORG "', 'officer');"
  "INSERT INTO cases (id, title, lead_org, status, opened_at) VALUES ('" CASE "', 'Old case', '" ORG "', 'open', 1690000000);"
  "INSERT INTO items (id, title, body, source_org, author, reported_at, status, tlp, case_id)"
  "  VALUES ('" ITEM "', 'Legacy reefer report', 'Written before search existed', '" ORG "', '" PERSON "', 1700000000, 'assessment', 'AMBER', '" CASE "');"
  "INSERT INTO identifiers (id, item, kind, value, raw) VALUES ('" IDENT "', '" ITEM "', 'container', 'CSQU3054383', 'CSQU 305438 3');"
  "INSERT INTO access_log (seq, at, person, action, tbl, row_id, detail, reason, hash)"
  "  VALUES (1, 1700000000000, '" PERSON "', 'collection', 'items', '" ITEM "', 'created', 'old', 'x');";

static const char seed_v2_index[] =
  "INSERT INTO items_fts (rowid, title, body, identifiers)"
  "  SELECT rowid, title, body, 'CSQU3054383' FROM items;";

static void
make_database (const char *path,
               int         version)
{
  sqlite3 *raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = g_strdup_printf ("PRAGMA application_id = %d", PB_APPLICATION_ID);

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, app_id, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (pb_schema_migrate (raw, version, &error));
  g_assert_no_error (error);
  if (version >= 1)
    g_assert_cmpint (sqlite3_exec (raw, seed_v1, NULL, NULL, NULL), ==, SQLITE_OK);
  /* From version 2 on, Portboard kept the search index up to date itself. */
  if (version >= 2)
    g_assert_cmpint (sqlite3_exec (raw, seed_v2_index, NULL, NULL, NULL), ==, SQLITE_OK);
  /* Version 3 placed new items at the end of their column, version 4 counted identifiers. */
  if (version >= 3)
    g_assert_cmpint (sqlite3_exec (raw, "UPDATE items SET rank = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  if (version >= 4)
    g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO identifier_orgs VALUES ('container', 'CSQU3054383', '" ORG "', 1)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  /* Version 5 kept a case's lead as its first decision. */
  if (version >= 5)
    g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO case_leads (id, case_id, org, decided_at)"
                                        " VALUES ('" CASE "', '" CASE "', '" ORG "', 1690000000)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
}

static void
test_from_version (gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autofree char *path = pb_test_tmp_path ("old.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(PbRecord) r = NULL;

  make_database (path, version);
  store = pb_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_store_get_schema_version (store), ==, PB_SCHEMA_VERSION);

  if (version == 0)
    return;

  /* The old rows are still there… */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items WHERE id = '" ITEM "' AND title = 'Legacy reefer report' AND status = 'assessment'"), ==, 1);
  /* …are searchable, identifiers included (version 2 built the index)… */
  hits = pb_store_search (store, "legacy", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_array_unref);
  hits = pb_store_search (store, "CSQU3054", &error);
  g_assert_cmpuint (hits->len, ==, 1);
  /* …have a board position (version 3), their identifiers counted for hits (version 4)… */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items WHERE rank > 0"), ==, 1);
  g_assert_cmpint (pb_test_count (store, "SELECT n FROM identifier_orgs WHERE kind = 'container' AND value = 'CSQU3054383' AND org = '" ORG "'"), ==, 1);
  /* …a case's lead became its first dated decision (version 5), the same row on every
   * site that migrates… */
  g_assert_true (pb_store_set_actor (store, "Olivia Oldtimer", &error));
  {
    g_autoptr(GPtrArray) leads = pb_store_list_case_leads (store, CASE, &error);
    g_autoptr(GPtrArray) items = pb_store_list_case_items (store, CASE, &error);
    PbCaseLead *lead;

    g_assert_no_error (error);
    g_assert_cmpint (leads->len, ==, 1);
    lead = leads->pdata[0];
    g_assert_cmpstr (lead->id, ==, CASE);
    g_assert_cmpstr (lead->org_code, ==, "OLD");
    g_assert_cmpint (lead->decided_at, ==, 1690000000);
    g_assert_null (lead->decided_by);
    g_assert_cmpint (items->len, ==, 1);
  }
  /* …and new writes work on them through the write path. */
  r = pb_record_new ("items", ITEM);
  pb_record_set_string (r, "status", "closed");
  pb_record_set_string (r, "closing_reason", "Handled before the upgrade");
  g_assert_true (pb_store_write (store, PB_OP_UPDATE, r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items WHERE closing_reason IS NOT NULL"), ==, 1);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM change_log WHERE row_id = '" ITEM "'"), ==, 2);
}

static void
test_current_is_untouched (void)
{
  g_autofree char *path = pb_test_tmp_path ("current.sqlite");
  g_autoptr(GError) error = NULL;

  make_database (path, PB_SCHEMA_VERSION);
  {
    g_autoptr(PbStore) store = pb_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items"), ==, 1);
  }
  {
    /* Opening twice does not migrate twice. */
    g_autoptr(PbStore) store = pb_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pb_store_get_schema_version (store), ==, PB_SCHEMA_VERSION);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (int v = 0; v < PB_SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf ("/store/migrations/from-version-%d", v);
      g_test_add_data_func (name, GINT_TO_POINTER (v), test_from_version);
    }
  g_test_add_func ("/store/migrations/current", test_current_is_untouched);
  return g_test_run ();
}
