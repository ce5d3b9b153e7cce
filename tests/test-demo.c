/* test-demo.c: the demo dataset is deterministic and looks like the port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pb-demo.h"
#include "pb-identifier.h"
#include "pb-test-util.h"

static PbStore *
make_demo (guint32 seed)
{
  g_autofree char *path = pb_test_tmp_path ("demo.sqlite");
  g_autoptr(GError) error = NULL;
  PbStore *store = pb_store_open (path, &error);
  PbDemoOptions options;

  g_assert_no_error (error);
  pb_demo_options_init (&options);
  options.seed = seed;
  g_assert_true (pb_demo_generate (store, &options, &error));
  g_assert_no_error (error);
  return store;
}

/* Every shared table, rows sorted by id, all columns. */
static char *
dump (PbStore *store)
{
  const char *tables[] = { "organisations", "people", "cases", "items", "identifiers",
                           "incidents", "item_shares", "meetings", "meeting_attendance", "agenda_entries",
                           "decisions", "meeting_actions" };
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY id", tables[t]);
      sqlite3_stmt *stmt;

      sqlite3_prepare_v2 (_pb_store_get_db (store), sql, -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c) ? (const char *) sqlite3_column_text (stmt, c) : "∅");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
test_deterministic (void)
{
  g_autoptr(PbStore) a = make_demo (7);
  g_autoptr(PbStore) b = make_demo (7);
  g_autoptr(PbStore) c = make_demo (8);
  g_autofree char *da = dump (a);
  g_autofree char *db = dump (b);
  g_autofree char *dc = dump (c);

  g_assert_cmpuint (strlen (da), >, 10000);
  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, !=, dc);
}

static void
test_content (void)
{
  g_autoptr(PbStore) store = make_demo (1);
  guint n_terminals;
  const PbTerminal *terminals = pb_demo_terminals (&n_terminals);
  sqlite3_stmt *stmt;
  double total;

  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM organisations"), ==, 7);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM organisations WHERE kind = 'partner'"), ==, 2);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT kind) FROM organisations"), ==, 4);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM people"), ==, 48);
  g_assert_cmpint (pb_test_count (store, "SELECT min(n) FROM (SELECT count(*) AS n FROM people GROUP BY role)"), ==, 12);

  /* A consultation held, with its decisions and actions, and the next one open with its
   * proposed agenda. */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM meetings WHERE status = 'closed'"), ==, 1);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM meetings WHERE status = 'open'"), ==, 1);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM decisions d JOIN meetings m ON m.id = d.meeting"
                                         " WHERE m.status = 'closed'"), >=, 6);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT outcome) FROM decisions"), ==, 6);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM meeting_actions WHERE done_at IS NULL"), >=, 3);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM agenda_entries e JOIN meetings m ON m.id = e.meeting"
                                         " WHERE m.status = 'open'"), >=, 10);
  /* The open actions come back on the open meeting's agenda. */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM meeting_actions a WHERE a.done_at IS NULL"
                                         " AND NOT EXISTS (SELECT 1 FROM agenda_entries e JOIN meetings m ON m.id = e.meeting"
                                         "                 WHERE m.status = 'open' AND e.item = a.item)"), ==, 0);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT role) FROM people"), ==, 4);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT name) FROM people"), ==, 48);
  /* Partners are people of the partner organisations only. */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM people p JOIN organisations o ON o.id = p.org WHERE p.role = 'partner' AND o.kind <> 'partner'"), ==, 0);

  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items"), >=, 300);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT status) FROM items"), ==, 6);
  g_assert_cmpint (pb_test_count (store, "SELECT min(n) FROM (SELECT count(*) AS n FROM items GROUP BY status)"), >=, 20);
  g_assert_cmpint (pb_test_count (store, "SELECT count(DISTINCT tlp) FROM items"), ==, 5);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items WHERE status = 'closed' AND closing_reason IS NULL"), ==, 0);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items WHERE status IN ('lead-assigned','in-action','monitoring') AND lead_org IS NULL"), ==, 0);
  /* The 40 cases, and the one the held consultation opened. */
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM cases"), ==, 41);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM incidents"), ==, 200);

  /* Valid identifiers, and some containers known to more than one organisation. */
  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT kind, value FROM identifiers WHERE kind IN ('container','imo')", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbIdentifierKind kind;
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = NULL;

      g_assert_true (pb_identifier_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &kind));
      normal = pb_identifier_normalize (kind, (const char *) sqlite3_column_text (stmt, 1), &error);
      g_assert_no_error (error);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM (SELECT d.value FROM identifiers d JOIN items i ON i.id = d.item"
                                         " WHERE d.kind = 'container' GROUP BY d.value HAVING count(DISTINCT i.source_org) > 1)"), >=, 10);

  /* Incidents lie on the terminals of domain.md §4.1. */
  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT lat, lon, terminal FROM incidents", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gboolean near = FALSE;
      for (guint t = 0; t < n_terminals; t++)
        if (g_strcmp0 (terminals[t].name, (const char *) sqlite3_column_text (stmt, 2)) == 0)
          near = fabs (sqlite3_column_double (stmt, 0) - terminals[t].lat) < 0.005
                 && fabs (sqlite3_column_double (stmt, 1) - terminals[t].lon) < 0.005;
      g_assert_true (near);
    }
  sqlite3_finalize (stmt);

  /* A year of demo seizures adds up to the 2023 figure for the port (116 t). */
  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT sum(kg) FROM incidents WHERE kind = 'seizure' AND occurred_at > 1795683600 - 365 * 86400", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  total = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpfloat (fabs (total - 116000.0), <, 10.0);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM incidents WHERE kind = 'seizure' AND kg < 100"), >, 5);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM incidents WHERE kind = 'seizure' AND kg > 1000"), >, 5);
}

static void
test_refuses_existing_data (void)
{
  g_autoptr(PbStore) store = make_demo (1);
  g_autoptr(GError) error = NULL;
  PbDemoOptions options;
  gint64 changes = pb_test_count (store, "SELECT count(*) FROM change_log");

  pb_demo_options_init (&options);
  g_assert_false (pb_demo_generate (store, &options, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM change_log"), ==, changes);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/store/demo/deterministic", test_deterministic);
  g_test_add_func ("/store/demo/content", test_content);
  g_test_add_func ("/store/demo/refuses-existing-data", test_refuses_existing_data);
  return g_test_run ();
}
