/* test-store.c: the write path, the change log, the access log, need-to-know, search and
 * bad database files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "pb-demo.h"
#include "pb-schema.h"
#include "pb-test-util.h"
#include "pb-util.h"

static void
test_open_new (void)
{
  PbTestDb db = { 0 };

  pb_test_db_init (&db);
  g_assert_cmpint (pb_store_get_schema_version (db.store), ==, PB_SCHEMA_VERSION);
  g_assert_cmpint (pb_test_count (db.store, "PRAGMA application_id"), ==, PB_APPLICATION_ID);
  g_assert_cmpint (pb_test_count (db.store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), ==, 1);
  g_assert_nonnull (pb_store_get_site_id (db.store));
  g_assert_true (pb_store_is_portboard_file (db.path));
  pb_test_db_clear (&db);
}

static void
test_insert_records_change_and_access (void)
{
  PbTestDb db = { 0 };
  g_autofree char *item = NULL;
  gint64 changes, accesses;

  pb_test_db_init (&db);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  accesses = pb_test_count (db.store, "SELECT count(*) FROM access_log");
  /* 3 organisations + 4 people, each one change entry and one access entry */
  g_assert_cmpint (changes, ==, 7);
  g_assert_cmpint (accesses, ==, 7);

  item = pb_test_add_item (&db, db.officer, "Reefer tampered", "AMBER", "CSQU3054383");
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, changes + 2);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE action = 'collection'"), ==, accesses + 2);

  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE row_id = '%s'"
                                            " AND tbl = 'items' AND op = 'insert' AND field IS NULL"
                                            " AND json_extract (value, '$.title') = 'Reefer tampered'"
                                            " AND json_extract (value, '$.status') = 'incoming'"
                                            " AND author = '%s' AND site = '%s' AND hlc > 0",
                                            item, db.officer, pb_store_get_site_id (db.store));
    g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM access_log WHERE row_id = '%s'"
                                            " AND person = '%s' AND tbl = 'items'", item, db.officer);
    g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  }
  /* The identifier was normalised by the write path. */
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM identifiers WHERE value = 'CSQU3054383' AND kind = 'container'"), ==, 1);
  pb_test_db_clear (&db);
}

static void
test_update_records_changed_fields (void)
{
  PbTestDb db = { 0 };
  g_autofree char *item = NULL;
  g_autoptr(PbRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;
  guint64 hlc_before;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Divers seen", "GREEN", NULL);
  before = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  hlc_before = (guint64) pb_test_count (db.store, "SELECT max(hlc) FROM change_log");

  r = pb_record_new ("items", item);
  pb_record_set_string (r, "title", "Divers seen");     /* unchanged */
  pb_record_set_string (r, "status", "assessment");     /* changed */
  pb_record_set_string (r, "priority", "urgent");       /* changed */
  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, before + 2);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log WHERE op = 'update' AND field = 'status' AND value = '\"assessment\"'"), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log WHERE op = 'update' AND field = 'title'"), ==, 0);
  g_assert_cmpint ((guint64) pb_test_count (db.store, "SELECT min(hlc) FROM change_log WHERE op = 'update'"), >, hlc_before);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE action = 'alteration' AND detail = 'status,priority'"), ==, 1);

  /* An update with nothing new records nothing. */
  before = pb_test_count (db.store, "SELECT count(*) FROM access_log");
  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log"), ==, before);
  pb_test_db_clear (&db);
}

static void
test_delete_tombstone (void)
{
  PbTestDb db = { 0 };
  g_autofree char *item = NULL;
  g_autoptr(PbRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "To be erased", "RED", "CSQU3054383");

  /* Foreign keys keep identifiers from being orphaned: the item cannot go first. */
  r = pb_record_new ("items", item);
  g_assert_false (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);

  {
    g_autofree char *ident = NULL;
    g_autoptr(PbRecord) ir = NULL;
    sqlite3_stmt *stmt;

    sqlite3_prepare_v2 (_pb_store_get_db (db.store), "SELECT id FROM identifiers", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    ident = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    ir = pb_record_new ("identifiers", ident);
    g_assert_true (pb_store_write (db.store, PB_OP_DELETE, ir, &error));
    g_assert_no_error (error);
  }
  g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  g_assert_no_error (error);

  sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE row_id = '%s' AND op = 'delete'", item);
  g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items"), ==, 0);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items_fts"), ==, 0);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE action = 'erasure'"), ==, 2);

  /* Deleting again: not found, nothing recorded. */
  g_assert_false (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  pb_test_db_clear (&db);
}

/* No write bypasses the write path: the connection refuses to prepare any other write to
 * shared data, the change log, the access log or the search index. */
static void
test_no_bypass (void)
{
  PbTestDb db = { 0 };
  g_autofree char *item = NULL;
  const char *statements[] = {
    "INSERT INTO organisations (id, name, short_code, kind) VALUES ('x', 'x', 'x', 'police')",
    "UPDATE items SET title = 'changed behind the log'",
    "DELETE FROM items",
    "UPDATE people SET role = 'admin'",
    "DELETE FROM identifiers",
    "INSERT INTO item_shares (id, item, org) VALUES ('a', 'b', 'c')",
    "UPDATE incidents SET kg = 0",
    "UPDATE cases SET title = ''",
    "DELETE FROM change_log",
    "INSERT INTO change_log (tbl, row_id, op, hlc, site, author) VALUES ('items', 'x', 'insert', 1, 's', 'a')",
    "DELETE FROM access_log",
    "INSERT INTO items_fts (rowid, title, body, identifiers) VALUES (99, 'a', 'b', 'c')",
    "DROP TABLE items",
    "DROP TRIGGER access_log_no_update",
    "ALTER TABLE items ADD COLUMN sneaky TEXT",
  };

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Protected", "AMBER", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      char *errmsg = NULL;
      int rc = sqlite3_exec (_pb_store_get_db (db.store), statements[i], NULL, NULL, &errmsg);

      g_test_message ("%s → %d %s", statements[i], rc, errmsg ? errmsg : "");
      g_assert_cmpint (rc, ==, SQLITE_AUTH);
      sqlite3_free (errmsg);
    }

  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items WHERE title = 'Protected'"), ==, 1);
  pb_test_db_clear (&db);
}

/* Every row of every shared table is what its change log entries say, in order. */
static void
assert_log_replays_to_tables (PbStore *store)
{
  guint n_tables;
  const PbTableInfo *tables = pb_schema_tables (&n_tables);
  sqlite3 *sdb = _pb_store_get_db (store);

  for (guint t = 0; t < n_tables; t++)
    {
      g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) json_object_unref);
      sqlite3_stmt *stmt;
      guint n_rows = 0;

      sqlite3_prepare_v2 (sdb, "SELECT row_id, op, field, value FROM change_log WHERE tbl = ? ORDER BY seq",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, tables[t].name, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *row_id = (const char *) sqlite3_column_text (stmt, 0);
          const char *op = (const char *) sqlite3_column_text (stmt, 1);
          const char *field = (const char *) sqlite3_column_text (stmt, 2);
          const char *value = (const char *) sqlite3_column_text (stmt, 3);

          if (strcmp (op, "insert") == 0)
            {
              JsonNode *node = json_from_string (value, NULL);
              g_assert_nonnull (node);
              g_hash_table_insert (rows, g_strdup (row_id), json_object_ref (json_node_get_object (node)));
              json_node_unref (node);
            }
          else if (strcmp (op, "update") == 0)
            {
              JsonObject *row = g_hash_table_lookup (rows, row_id);
              JsonNode *node = json_from_string (value, NULL);
              g_assert_nonnull (row);
              json_object_set_member (row, field, node);
            }
          else
            g_assert_true (g_hash_table_remove (rows, row_id));
        }
      sqlite3_finalize (stmt);

      {
        g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", tables[t].name);
        sqlite3_prepare_v2 (sdb, sql, -1, &stmt, NULL);
      }
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          JsonObject *row = g_hash_table_lookup (rows, id);

          g_assert_nonnull (row);
          n_rows++;
          for (int c = 1; c < sqlite3_column_count (stmt); c++)
            {
              const char *col = sqlite3_column_name (stmt, c);
              JsonNode *v = json_object_get_member (row, col);

              g_assert_nonnull (v);
              switch (sqlite3_column_type (stmt, c))
                {
                case SQLITE_NULL:
                  g_assert_true (JSON_NODE_HOLDS_NULL (v));
                  break;
                case SQLITE_TEXT:
                  g_assert_cmpstr (json_node_get_string (v), ==, (const char *) sqlite3_column_text (stmt, c));
                  break;
                case SQLITE_INTEGER:
                  g_assert_cmpint (json_node_get_int (v), ==, sqlite3_column_int64 (stmt, c));
                  break;
                case SQLITE_FLOAT:
                  g_assert_cmpfloat_with_epsilon (json_node_get_double (v), sqlite3_column_double (stmt, c),
                                                  1e-9 * MAX (1.0, fabs (sqlite3_column_double (stmt, c))));
                  break;
                default:
                  g_assert_not_reached ();
                }
            }
        }
      sqlite3_finalize (stmt);
      g_assert_cmpuint (n_rows, ==, g_hash_table_size (rows));
    }
}

static void
test_change_log_replays (void)
{
  PbTestDb db = { 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;
  PbDemoOptions options;
  g_autoptr(PbStore) demo = NULL;
  g_autofree char *demo_path = pb_test_tmp_path ("replay.sqlite");

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "First", "AMBER", "CSQU3054383");
  b = pb_test_add_item (&db, db.customs_officer, "Second", "GREEN", "TASU1170000");
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", a);
    pb_store_set_actor (db.store, db.officer, NULL);
    pb_record_set_string (r, "status", "in-action");
    pb_record_set_double (r, "lat", 51.29278);
    pb_record_set_double (r, "lon", 4.2575);
    pb_record_set_null (r, "body");
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  }
  assert_log_replays_to_tables (db.store);
  pb_test_db_clear (&db);

  /* And over the whole demo dataset. */
  demo = pb_store_open (demo_path, &error);
  g_assert_no_error (error);
  pb_demo_options_init (&options);
  g_assert_true (pb_demo_generate (demo, &options, &error));
  g_assert_no_error (error);
  assert_log_replays_to_tables (demo);
}

static void
test_invalid_changes_nothing (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 changes, accesses, items;
  g_autofree char *item = NULL;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Existing", "AMBER", NULL);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  accesses = pb_test_count (db.store, "SELECT count(*) FROM access_log");
  items = pb_test_count (db.store, "SELECT count(*) FROM items");

  /* No handling code */
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
    pb_record_set_string (r, "title", "No TLP");
    pb_record_set_string (r, "source_org", db.org_police);
    pb_record_set_string (r, "author", db.officer);
    pb_record_set_int (r, "reported_at", 1);
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "TLP"));
    g_clear_error (&error);

    /* An unknown handling code, grading or modus operandi */
    pb_record_set_string (r, "tlp", "WHITE");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    pb_record_set_string (r, "tlp", "AMBER");
    pb_record_set_string (r, "reliability", "G");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    pb_record_set_string (r, "reliability", "B");
    pb_record_set_string (r, "modus_operandi", "MO-REEFER,MO-TELEPORT");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    pb_record_set_string (r, "modus_operandi", "MO-REEFER");
    pb_record_set_string (r, "due_date", "2026-02-30");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    pb_record_set_string (r, "due_date", "2026-12-01");
    /* Written in the name of another organisation: the rulebook refuses it */
    pb_record_set_string (r, "source_org", "00000000-0000-7000-8000-000000000000");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
    pb_record_set_string (r, "source_org", db.org_police);
    /* A foreign key to an organisation that does not exist */
    pb_record_set_string (r, "lead_org", "00000000-0000-7000-8000-000000000000");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
    pb_record_set_null (r, "lead_org");
    /* A malformed row identifier */
    pb_record_set_id (r, "not-a-uuid'; DROP TABLE items; --");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* An identifier with a wrong check digit is refused, with the expected digit... */
  {
    g_autoptr(PbRecord) r = pb_record_new ("identifiers", NULL);
    pb_record_set_string (r, "item", item);
    pb_record_set_string (r, "kind", "imo");
    pb_record_set_string (r, "raw", "IMO 8814274");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "expected check digit is 5"));
    g_clear_error (&error);
  }

  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, changes);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log"), ==, accesses);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items"), ==, items);

  /* ...unless it is marked known invalid: real ships carry invalid IMO numbers. */
  {
    g_autoptr(PbRecord) r = pb_record_new ("identifiers", NULL);
    pb_record_set_string (r, "item", item);
    pb_record_set_string (r, "kind", "imo");
    pb_record_set_string (r, "raw", "IMO 8814274");
    pb_record_set_int (r, "known_invalid", 1);
    g_assert_true (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM identifiers WHERE value = '8814274' AND known_invalid = 1 AND raw = 'IMO 8814274'"), ==, 1);
  }
  pb_test_db_clear (&db);
}

static void
test_transaction_failure_keeps_earlier_writes (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;

  pb_test_db_init (&db);
  pb_store_set_actor (db.store, db.officer, NULL);
  g_assert_true (pb_store_begin (db.store, &error));
  a = pb_test_add_item (&db, db.officer, "In the batch", "GREEN", NULL);
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
    pb_record_set_string (r, "title", "Broken");
    g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
    g_clear_error (&error);
  }
  g_assert_true (pb_store_commit (db.store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items"), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'batch'"), ==, 1);

  /* A rolled-back batch leaves nothing, not even in the search index. */
  g_assert_true (pb_store_begin (db.store, &error));
  g_free (pb_test_add_item (&db, db.officer, "Vanishing", "GREEN", NULL));
  pb_store_rollback (db.store);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items"), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items_fts WHERE items_fts MATCH 'vanishing'"), ==, 0);
  /* The log goes on from where the database is, not from the rolled-back entries. */
  g_free (pb_test_add_item (&db, db.officer, "After the rollback", "GREEN", NULL));
  {
    gint64 bad = -1;
    g_assert_true (pb_store_verify_access_log (db.store, &bad, &error));
    g_assert_cmpint (bad, ==, 0);
  }
  pb_test_db_clear (&db);
}

/* ---- What changed is announced ------------------------------------------------------ */

static void
collect_changes_cb (PbStore     *store,
                    PbChangeSet *changes,
                    GPtrArray   *seen)
{
  g_ptr_array_add (seen, pb_change_set_ref (changes));
}

static void
test_rows_changed (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_change_set_unref);
  g_autoptr(PbStore) other = NULL;
  g_autoptr(PbRecord) r = NULL;
  g_autofree char *item = NULL, *second = NULL, *ident = NULL;
  PbChangeSet *c;

  pb_test_db_init (&db);
  g_signal_connect (db.store, "rows-changed", G_CALLBACK (collect_changes_cb), seen);

  /* An item with its identifier is one act: one announcement, after the commit. */
  {
    g_autoptr(PbRecord) it = pb_record_new ("items", NULL);
    g_autoptr(PbRecord) id = pb_record_new ("identifiers", NULL);
    PbWrite writes[2] = { { PB_OP_INSERT, it }, { PB_OP_INSERT, id } };

    g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
    item = pb_uuid_new ();
    pb_record_set_id (it, item);
    pb_record_set_string (it, "title", "Reefer");
    pb_record_set_string (it, "tlp", "GREEN");
    pb_record_set_string (it, "source_org", db.org_police);
    pb_record_set_string (it, "author", db.officer);
    pb_record_set_int (it, "reported_at", 1790000000);
    pb_record_set_string (id, "item", item);
    pb_record_set_string (id, "kind", "container");
    pb_record_set_string (id, "raw", "MSCU1234566");
    g_assert_true (pb_store_write_many (db.store, writes, 2, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (seen->len, ==, 1);
  c = seen->pdata[0];
  g_assert_cmpint (pb_change_set_lookup (c, "items", item), ==, PB_ROW_INSERTED);
  g_assert_cmpuint (pb_change_set_count (c, "identifiers"), ==, 1);
  g_assert_true (pb_change_set_touches (c, "access_log"));
  g_assert_false (pb_change_set_touches (c, "cases"));
  {
    g_autoptr(GPtrArray) ids = pb_change_set_rows (c, "identifiers", PB_ROW_INSERTED);
    ident = g_strdup (ids->pdata[0]);
  }

  /* A batch is announced once, when it is committed; what a rollback takes back, never. */
  g_assert_true (pb_store_begin (db.store, &error));
  r = pb_record_new ("items", item);
  pb_record_set_string (r, "title", "Reefer, weight mismatch");
  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  g_clear_pointer (&r, pb_record_free);
  r = pb_record_new ("identifiers", ident);
  g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_true (pb_store_commit (db.store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  c = seen->pdata[1];
  g_assert_cmpint (pb_change_set_lookup (c, "items", item), ==, PB_ROW_UPDATED);
  g_assert_cmpint (pb_change_set_lookup (c, "identifiers", ident), ==, PB_ROW_DELETED);

  g_assert_true (pb_store_begin (db.store, &error));
  g_clear_pointer (&r, pb_record_free);
  r = pb_record_new ("items", item);
  pb_record_set_string (r, "priority", "urgent");
  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  pb_store_rollback (db.store);
  g_assert_cmpuint (seen->len, ==, 2);

  /* A refused write, and a write that changes nothing, announce nothing. */
  g_clear_pointer (&r, pb_record_free);
  r = pb_record_new ("items", item);
  pb_record_set_string (r, "tlp", "WHITE");
  g_assert_false (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  g_clear_error (&error);
  pb_record_set_string (r, "tlp", "GREEN");
  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  g_assert_cmpuint (seen->len, ==, 2);

  /* Another connection's writes (the sync worker's) reach this one's listeners when they
   * are announced to it. */
  other = pb_store_open (db.path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) other_seen = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_change_set_unref);

    g_signal_connect (other, "rows-changed", G_CALLBACK (collect_changes_cb), other_seen);
    g_assert_true (pb_store_set_actor (other, db.officer, &error));
    g_clear_pointer (&r, pb_record_free);
    r = pb_record_new ("items", item);
    pb_record_set_string (r, "priority", "high");
    g_assert_true (pb_store_write (other, PB_OP_UPDATE, r, &error));
    g_assert_cmpuint (seen->len, ==, 2);
    g_assert_cmpuint (other_seen->len, ==, 1);
    pb_store_announce (db.store, other_seen->pdata[0]);
    g_assert_cmpuint (seen->len, ==, 3);
    g_assert_cmpint (pb_change_set_lookup (seen->pdata[2], "items", item), ==, PB_ROW_UPDATED);
  }

  /* A row inserted and deleted in one batch was never there for anybody. */
  g_assert_true (pb_store_begin (db.store, &error));
  second = pb_test_add_item (&db, db.officer, "Short-lived", "GREEN", NULL);
  g_clear_pointer (&r, pb_record_free);
  r = pb_record_new ("items", second);
  g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  g_assert_true (pb_store_commit (db.store, &error));
  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpint (pb_change_set_lookup (seen->pdata[3], "items", second), ==, 0);

  g_clear_object (&other);
  pb_test_db_clear (&db);
}

static void
test_read_only_user (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
  gint64 changes;

  pb_test_db_init (&db);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");
  g_assert_true (pb_store_set_actor (db.store, db.partner, &error));
  pb_record_set_string (r, "title", "Partner's note");
  pb_record_set_string (r, "tlp", "CLEAR");
  pb_record_set_string (r, "source_org", db.org_partner);
  pb_record_set_string (r, "author", db.partner);
  pb_record_set_int (r, "reported_at", 1);
  g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, changes);
  g_clear_error (&error);

  /* Nobody signed in may only set up organisations and people. */
  pb_store_set_actor (db.store, NULL, NULL);
  g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER);
  g_clear_error (&error);

  g_assert_false (pb_store_set_actor (db.store, "Nobody Known", &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER);
  g_clear_error (&error);

  /* People come from the hub's accounts: an officer does not change a role. */
  g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
  g_free (pb_test_add_item (&db, db.officer, "Still an officer", "GREEN", NULL));
  {
    g_autoptr(PbRecord) p = pb_record_new ("people", db.officer);
    pb_record_set_string (p, "role", "chair");
    g_assert_false (pb_store_write (db.store, PB_OP_UPDATE, p, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }
  /* An officer made a partner (by the local set-up, as the hub's account would) can no
   * longer write, from that moment on. */
  {
    g_autoptr(PbRecord) p = pb_record_new ("people", db.officer);
    pb_record_set_string (p, "role", "partner");
    g_assert_true (pb_store_set_actor (db.store, NULL, &error));
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, p, &error));
    g_assert_no_error (error);
    g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
  }
  pb_record_set_string (r, "source_org", db.org_police);
  pb_record_set_string (r, "author", db.officer);
  g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  pb_store_set_actor (db.store, db.chair, NULL);
  g_assert_true (pb_store_set_actor (db.store, db.officer, NULL));
  g_assert_false (pb_store_write (db.store, PB_OP_INSERT, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  pb_test_db_clear (&db);
}

static void
test_consultation_logged (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *item = NULL;
  g_autofree char *sql = NULL;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Police only", "AMBER", "CSQU3054383");
  sql = g_strdup_printf ("SELECT count(*) FROM access_log WHERE action = 'consultation' AND row_id = '%s'", item);

  pb_store_set_actor (db.store, db.officer, NULL);
  pb_store_set_purpose (db.store, "weekly consultation");
  fields = pb_store_open_item (db.store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (fields, "title"), ==, "Police only");
  g_assert_cmpstr (g_hash_table_lookup (fields, "identifiers"), ==, "container:CSQU3054383");
  g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM access_log WHERE action = 'consultation' AND reason = 'weekly consultation'"), ==, 1);

  /* Customs may not see a police AMBER item that is not shared with it: not found, and
   * nothing revealed or logged as a consultation. */
  g_clear_pointer (&fields, g_hash_table_unref);
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  fields = pb_store_open_item (db.store, item, &error);
  g_assert_null (fields);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (pb_test_count (db.store, sql), ==, 1);
  pb_test_db_clear (&db);
}

static void
test_access_log_tamper (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;
  sqlite3 *raw = NULL;
  char *errmsg = NULL;

  pb_test_db_init (&db);
  g_free (pb_test_add_item (&db, db.officer, "One", "GREEN", NULL));
  g_free (pb_test_add_item (&db, db.officer, "Two", "GREEN", NULL));
  g_assert_true (pb_store_verify_access_log (db.store, &bad, &error));
  g_assert_cmpint (bad, ==, 0);

  /* Another program cannot update or delete entries: the table is append-only. */
  g_assert_cmpint (sqlite3_open (db.path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE access_log SET reason = 'x' WHERE seq = 3", NULL, NULL, &errmsg), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (errmsg, "append-only"));
  sqlite3_free (errmsg);
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM access_log WHERE seq = 3", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);

  /* Someone who drops the guard and edits an entry is found out by the hash chain. */
  g_assert_cmpint (sqlite3_exec (raw, "DROP TRIGGER access_log_no_update;"
                                 "UPDATE access_log SET person = 'someone else' WHERE seq = 5", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  g_assert_true (pb_store_verify_access_log (db.store, &bad, &error));
  g_assert_cmpint (bad, ==, 5);
  pb_test_db_clear (&db);
}

static void
test_access_log_deleted_entry (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;
  sqlite3 *raw = NULL;

  pb_test_db_init (&db);
  g_assert_cmpint (sqlite3_open (db.path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "DROP TRIGGER access_log_no_delete;"
                                 "DELETE FROM access_log WHERE seq = 2", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  g_assert_true (pb_store_verify_access_log (db.store, &bad, &error));
  g_assert_cmpint (bad, ==, 2);
  pb_test_db_clear (&db);
}

static guint
count_cards (PbStore    *store,
             const char *actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) cards = NULL;

  g_assert_true (pb_store_set_actor (store, actor, &error));
  cards = pb_store_load_cards (store, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (cards));
}

static void
test_need_to_know (void)
{
  PbTestDb db = { 0 };
  g_autofree char *clear = NULL, *green = NULL, *amber = NULL, *red = NULL, *shared = NULL;
  g_autoptr(GError) error = NULL;

  pb_test_db_init (&db);
  clear = pb_test_add_item (&db, db.officer, "Clear", "CLEAR", NULL);
  green = pb_test_add_item (&db, db.officer, "Green", "GREEN", NULL);
  amber = pb_test_add_item (&db, db.officer, "Amber", "AMBER", NULL);
  red = pb_test_add_item (&db, db.officer, "Red", "RED", NULL);
  shared = pb_test_add_item (&db, db.officer, "Green released to the terminal", "GREEN", NULL);
  {
    g_autoptr(PbRecord) s = pb_record_new ("item_shares", NULL);
    pb_record_set_string (s, "item", shared);
    pb_record_set_string (s, "org", db.org_partner);
    g_assert_true (pb_store_write (db.store, PB_OP_INSERT, s, &error));
  }

  g_assert_cmpuint (count_cards (db.store, db.officer), ==, 5);          /* own organisation */
  g_assert_cmpuint (count_cards (db.store, db.customs_officer), ==, 3);  /* CLEAR and GREEN */
  g_assert_cmpuint (count_cards (db.store, db.partner), ==, 2);          /* CLEAR and the released one */

  {
    g_autoptr(PbRecord) s = pb_record_new ("item_shares", NULL);
    pb_store_set_actor (db.store, db.officer, NULL);
    pb_record_set_string (s, "item", red);
    pb_record_set_string (s, "org", db.org_customs);
    g_assert_true (pb_store_write (db.store, PB_OP_INSERT, s, &error));
  }
  g_assert_cmpuint (count_cards (db.store, db.customs_officer), ==, 4);
  g_assert_cmpuint (count_cards (db.store, db.partner), ==, 2);
  pb_test_db_clear (&db);
}

static guint
search_count (PbStore    *store,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = pb_store_search (store, text, &error);

  g_assert_no_error (error);
  return hits->len;
}

static void
test_search (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "Reefer opened at Deurganck", "AMBER", "CSQU3054383");
  g_free (pb_test_add_item (&db, db.officer, "Divers near the quay", "GREEN", "TASU1170000"));

  g_assert_cmpuint (search_count (db.store, "reefer"), ==, 1);
  g_assert_cmpuint (search_count (db.store, "Reef"), ==, 1);          /* prefix, as you type */
  g_assert_cmpuint (search_count (db.store, "CSQU305"), ==, 1);       /* identifier prefix */
  g_assert_cmpuint (search_count (db.store, "body text"), ==, 2);     /* both words, in bodies */
  g_assert_cmpuint (search_count (db.store, "reefer divers"), ==, 0);
  g_assert_cmpuint (search_count (db.store, "\"unbalanced AND ( NEAR"), ==, 0);
  g_assert_cmpuint (search_count (db.store, "   "), ==, 0);

  /* A changed title is found under its new words only. */
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", a);
    pb_record_set_string (r, "title", "Cooling unit tampered");
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  }
  g_assert_cmpuint (search_count (db.store, "reefer"), ==, 0);
  g_assert_cmpuint (search_count (db.store, "tampered"), ==, 1);
  g_assert_cmpuint (search_count (db.store, "CSQU3054383"), ==, 1);
  pb_test_db_clear (&db);
}

static void
assert_refused (const char  *path,
                PbStoreError code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pb_test_file_digest (path);
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(PbStore) store = pb_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, PB_STORE_ERROR, (int) code);
  g_test_message ("%s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, path));
  after = pb_test_file_digest (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_bad_files (void)
{
  g_autofree char *text = pb_test_tmp_path ("notes.txt");
  g_autofree char *foreign = pb_test_tmp_path ("firefox.sqlite");
  g_autofree char *newer = pb_test_tmp_path ("newer.sqlite");
  g_autofree char *readonly = pb_test_tmp_path ("readonly.sqlite");
  g_autofree char *garbage = pb_test_tmp_path ("garbage.sqlite");
  g_autofree char *dir = pb_test_tmp_path ("a-folder");
  sqlite3 *raw = NULL;

  g_assert_true (g_file_set_contents (text, "Minutes of the meeting\n", -1, NULL));
  assert_refused (text, PB_STORE_ERROR_NOT_SQLITE);

  g_assert_cmpint (sqlite3_open (foreign, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('x')", NULL, NULL, NULL);
  sqlite3_close (raw);
  assert_refused (foreign, PB_STORE_ERROR_NOT_PORTBOARD);

  {
    g_autoptr(PbStore) store = pb_store_open (newer, NULL);
    g_assert_nonnull (store);
  }
  g_assert_cmpint (sqlite3_open (newer, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close (raw);
  assert_refused (newer, PB_STORE_ERROR_TOO_NEW);

  {
    g_autoptr(PbStore) store = pb_store_open (readonly, NULL);
    g_assert_nonnull (store);
  }
  g_assert_cmpint (sqlite3_open (readonly, &raw), ==, SQLITE_OK);
  sqlite3_exec (raw, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  sqlite3_close (raw);
  g_assert_cmpint (g_chmod (readonly, 0444), ==, 0);
  assert_refused (readonly, PB_STORE_ERROR_READ_ONLY_FILE);

  {
    GString *s = g_string_new_len ("SQLite format 3\0", 16);
    for (guint i = 0; i < 4096; i++)
      g_string_append_c (s, (char) (i * 7));
    g_assert_true (g_file_set_contents (garbage, s->str, s->len, NULL));
    g_string_free (s, TRUE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *before = pb_test_file_digest (garbage);
    g_autofree char *after = NULL;
    g_autoptr(PbStore) store = pb_store_open (garbage, &error);
    g_assert_null (store);
    g_assert_nonnull (error);
    g_assert_true (error->code == PB_STORE_ERROR_NOT_SQLITE || error->code == PB_STORE_ERROR_CORRUPT);
    after = pb_test_file_digest (garbage);
    g_assert_cmpstr (before, ==, after);
  }

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PbStore) store = pb_store_open (dir, &error);
    g_assert_null (store);
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_SQLITE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/store/open/new", test_open_new);
  g_test_add_func ("/store/open/bad-files", test_bad_files);
  g_test_add_func ("/store/write/insert-records-change-and-access", test_insert_records_change_and_access);
  g_test_add_func ("/store/write/update-records-changed-fields", test_update_records_changed_fields);
  g_test_add_func ("/store/write/delete-tombstone", test_delete_tombstone);
  g_test_add_func ("/store/write/no-bypass", test_no_bypass);
  g_test_add_func ("/store/write/change-log-replays", test_change_log_replays);
  g_test_add_func ("/store/write/invalid-changes-nothing", test_invalid_changes_nothing);
  g_test_add_func ("/store/write/transaction-failure", test_transaction_failure_keeps_earlier_writes);
  g_test_add_func ("/store/write/read-only-user", test_read_only_user);
  g_test_add_func ("/store/write/rows-changed", test_rows_changed);
  g_test_add_func ("/store/access-log/consultation", test_consultation_logged);
  g_test_add_func ("/store/access-log/tamper", test_access_log_tamper);
  g_test_add_func ("/store/access-log/deleted-entry", test_access_log_deleted_entry);
  g_test_add_func ("/store/need-to-know", test_need_to_know);
  g_test_add_func ("/store/search", test_search);
  return g_test_run ();
}
