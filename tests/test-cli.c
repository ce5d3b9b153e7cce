/* test-cli.c: portboard-cli, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"


#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pb-test-util.h"
#include "pb-util.h"

static void
assert_validate (const char *kind,
                 const char *value,
                 int         code,
                 const char *expected_out,
                 const char *expected_err_part)
{
  const char *args[] = { "validate", kind, value, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (pb_test_run_cli (args, &out, &err), ==, code);
  g_assert_cmpstr (out, ==, expected_out);
  if (expected_err_part)
    g_assert_nonnull (strstr (err, expected_err_part));
  else
    g_assert_cmpstr (err, ==, "");
}

static void
test_validate (void)
{
  assert_validate ("container", "csqu 305438 3", 0, "CSQU3054383\n", NULL);
  assert_validate ("container", "CSQU3054384", 1, "", "expected check digit is 3");
  assert_validate ("imo", "IMO 9319466", 0, "9319466\n", NULL);
  assert_validate ("imo", "IMO 8814274", 1, "", "expected check digit is 5");
  assert_validate ("mmsi", "205123456", 0, "205123456\n", NULL);
  assert_validate ("mmsi", "20512345", 1, "", "9 digits");
  assert_validate ("locode", "BE ANR", 0, "BEANR\n", NULL);
  assert_validate ("locode", "BE AN0", 1, "", "“0”");
  assert_validate ("passport", "X", 2, "", "Unknown kind");
}

static void
test_demo (void)
{
  g_autofree char *path = pb_test_tmp_path ("cli-demo.sqlite");
  g_autofree char *text = pb_test_tmp_path ("report.txt");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *demo[] = { "demo", "--db", path, "--seed", "3", NULL };
  const char *demo_text[] = { "demo", "--db", text, NULL };
  const char *verify[] = { "verify-log", "--db", path, NULL };

  g_assert_cmpint (pb_test_run_cli (demo, &out, &err), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A second run refuses: the database holds data already. */
  g_assert_cmpint (pb_test_run_cli (demo, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already holds data"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pb_test_run_cli (verify, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "OK\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A file that is not a Portboard database is refused and left as it was. */
  g_assert_true (g_file_set_contents (text, "not a database\n", -1, NULL));
  before = pb_test_file_digest (text);
  g_assert_cmpint (pb_test_run_cli (demo_text, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a Portboard database"));
  after = pb_test_file_digest (text);
  g_assert_cmpstr (before, ==, after);
}

static char *
first_person (const char *db,
              const char *role)
{
  g_autoptr(PbStore) store = pb_store_open (db, NULL);
  g_autoptr(GPtrArray) people = pb_store_list_people (store, NULL);
  PbRole wanted;

  g_assert_true (pb_role_from_string (role, &wanted));
  for (guint i = 0; i < people->len; i++)
    if (((PbPerson *) g_ptr_array_index (people, i))->role == wanted)
      return g_strdup (((PbPerson *) g_ptr_array_index (people, i))->name);
  g_assert_not_reached ();
  return NULL;
}

static void
test_item_commands (void)
{
  g_autofree char *db = pb_test_tmp_path ("cli-items.sqlite");
  g_autofree char *officer = NULL;
  g_autofree char *partner = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  const char *demo[] = { "demo", "--db", db, NULL };
  gint64 items;

  g_assert_cmpint (pb_test_run_cli (demo, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  officer = first_person (db, "officer");
  partner = first_person (db, "partner");
  {
    g_autoptr(PbStore) store = pb_store_open (db, NULL);
    items = pb_test_count (store, "SELECT count(*) FROM items");
  }

  /* Refusals: no handling code, unknown user, read-only user, invalid identifier. */
  {
    const char *no_tlp[] = { "item", "add", "--db", db, "--as", officer, "--title", "T", NULL };
    const char *unknown[] = { "item", "add", "--db", db, "--as", "Nobody Known", "--title", "T", "--tlp", "amber", NULL };
    const char *partner_add[] = { "item", "add", "--db", db, "--as", partner, "--title", "T", "--tlp", "clear", NULL };
    const char *bad_ident[] = { "item", "add", "--db", db, "--as", officer, "--title", "T", "--tlp", "red",
                                "--identifier", "container:CSQU3054384", NULL };
    const char *bad_kind[] = { "item", "add", "--db", db, "--as", officer, "--title", "T", "--tlp", "red",
                               "--identifier", "passport:X1", NULL };
    const char *bad_tlp[] = { "item", "add", "--db", db, "--as", officer, "--title", "T", "--tlp", "white", NULL };
    struct { const char **args; const char *reason; } cases[] = {
      { no_tlp, "handling code" }, { unknown, "Nobody called" }, { partner_add, "read-only" },
      { bad_ident, "expected check digit is 3" }, { bad_kind, "passport" }, { bad_tlp, "WHITE" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_assert_cmpint (pb_test_run_cli (cases[i].args, &out, &err), ==, 1);
        g_test_message ("%s", err);
        g_assert_nonnull (strcasestr (err, cases[i].reason));
        g_assert_cmpstr (out, ==, "");
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
  }
  {
    g_autoptr(PbStore) store = pb_store_open (db, NULL);
    g_assert_cmpint (pb_test_count (store, "SELECT count(*) FROM items"), ==, items);
  }

  /* An item with identifiers; an invalid IMO kept when allowed. */
  {
    const char *add[] = { "item", "add", "--db", db, "--as", officer, "--title", "Seal mismatch", "--tlp", "amber+strict",
                          "--body", "Found at the gate", "--identifier", "container:csqu 305438 3",
                          "--identifier", "imo:IMO 8814274", "--allow-invalid", NULL };
    g_autoptr(PbStore) store = NULL;
    g_autofree char *sql = NULL;

    g_assert_cmpint (pb_test_run_cli (add, &out, &err), ==, 0);
    id = g_strstrip (g_strdup (out));
    g_assert_true (pb_uuid_is_valid (id));
    store = pb_store_open (db, NULL);
    sql = g_strdup_printf ("SELECT count(*) FROM items i JOIN identifiers d ON d.item = i.id WHERE i.id = '%s'"
                           " AND i.tlp = 'AMBER+STRICT' AND ((d.value = 'CSQU3054383' AND d.known_invalid = 0)"
                           " OR (d.value = '8814274' AND d.known_invalid = 1))", id);
    g_assert_cmpint (pb_test_count (store, sql), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Moves with the board's guards. */
  {
    const char *no_lead[] = { "item", "move", "--db", db, "--as", officer, id, "lead-assigned", NULL };
    const char *with_lead[] = { "item", "move", "--db", db, "--as", officer, id, "lead-assigned", "--lead", "DOU", NULL };
    const char *close_no_reason[] = { "item", "move", "--db", db, "--as", officer, id, "closed", NULL };
    const char *bad_column[] = { "item", "move", "--db", db, "--as", officer, id, "archive", NULL };
    const char *bad_id[] = { "item", "move", "--db", db, "--as", officer, "not-an-id", "closed", "--reason", "x", NULL };

    g_assert_cmpint (pb_test_run_cli (no_lead, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "lead organisation"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pb_test_run_cli (with_lead, &out, &err), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pb_test_run_cli (close_no_reason, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "closing reason"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pb_test_run_cli (bad_column, &out, &err), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pb_test_run_cli (bad_id, &out, &err), ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Hits as JSON: the new item's container is in the shared pool of the demo only by
   * chance, so look at the structure and at what a partner gets. */
  {
    const char *hits[] = { "hits", "--db", db, "--as", officer, NULL };
    const char *partner_hits[] = { "hits", "--db", db, "--as", partner, NULL };
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;
    JsonArray *array;

    g_assert_cmpint (pb_test_run_cli (hits, &out, &err), ==, 0);
    node = json_from_string (out, &error);
    g_assert_no_error (error);
    array = json_node_get_array (node);
    g_assert_cmpuint (json_array_get_length (array), >, 0);
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *o = json_array_get_object_element (array, i);
        g_assert_true (json_object_has_member (o, "item"));
        g_assert_true (json_object_has_member (o, "value"));
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "contact")), >, 0);
        g_assert_false (json_object_has_member (o, "title"));
      }
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&node, json_node_unref);

    g_assert_cmpint (pb_test_run_cli (partner_hits, &out, &err), ==, 0);
    node = json_from_string (out, &error);
    g_assert_no_error (error);
  }
}

/* The width and height a PNG file says it has. */
static void
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree guint8 *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, (char **) &data, &length, NULL));
  g_assert_cmpuint (length, >, 24);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  *width = (guint) data[16] << 24 | (guint) data[17] << 16 | (guint) data[18] << 8 | data[19];
  *height = (guint) data[20] << 24 | (guint) data[21] << 16 | (guint) data[22] << 8 | data[23];
}

static void
test_map_snapshot (void)
{
  g_autofree char *db = pb_test_tmp_path ("cli-map.sqlite");
  g_autofree char *png = pb_test_tmp_path ("snapshot.png");
  g_autofree char *not_map = pb_test_tmp_path ("notes.mbtiles");
  g_autofree char *out = NULL, *err = NULL;
  const char *demo[] = { "demo", "--db", db, NULL };
  const char *snap[] = { "map", "snapshot", "--db", db, "--as", "admin-prk-1", "--center", "51.29,4.26",
                         "--zoom", "14", "--size", "640x400", "--out", png, NULL };
  const char *public_snap[] = { "map", "snapshot", "--db", db, "--center", "51.29,4.26",
                                "--zoom", "14", "--size", "320x200", "--out", png, NULL };
  const char *bad_basemap[] = { "map", "snapshot", "--db", db, "--basemap", not_map, "--center", "51.29,4.26",
                                "--zoom", "14", "--size", "640x400", "--out", png, NULL };
  const char *bad_center[] = { "map", "snapshot", "--db", db, "--center", "north", "--zoom", "14",
                               "--size", "640x400", "--out", png, NULL };
  const char *bad_zoom[] = { "map", "snapshot", "--db", db, "--center", "51.29,4.26", "--zoom", "31",
                             "--size", "640x400", "--out", png, NULL };
  const char *bad_size[] = { "map", "snapshot", "--db", db, "--center", "51.29,4.26", "--zoom", "14",
                             "--size", "640", "--out", png, NULL };
  guint w, h;

  g_assert_cmpint (pb_test_run_cli (demo, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* As a person of the demo, and with nobody named (the basemap alone, said so). */
  {
    g_autoptr(PbStore) store = pb_store_open (db, NULL);
    g_autoptr(GPtrArray) people = pb_store_list_people (store, NULL);
    snap[5] = ((PbPerson *) people->pdata[0])->name;
    g_assert_cmpint (pb_test_run_cli (snap, &out, &err), ==, 0);
    png_size (png, &w, &h);
    g_assert_cmpuint (w, ==, 640);
    g_assert_cmpuint (h, ==, 400);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (public_snap, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, "without incidents"));
  png_size (png, &w, &h);
  g_assert_cmpuint (w, ==, 320);
  g_unlink (png);

  /* Bad input: a clear message, exit 1, no picture. */
  g_assert_true (g_file_set_contents (not_map, "these are notes\n", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (bad_basemap, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a map file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (bad_center, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a centre"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (bad_zoom, &out, &err), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (bad_size, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a size"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_unlink (not_map);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/unit/cli/validate", test_validate);
  g_test_add_func ("/unit/cli/demo", test_demo);
  g_test_add_func ("/unit/cli/map-snapshot", test_map_snapshot);
  g_test_add_func ("/unit/cli/item-commands", test_item_commands);
  return g_test_run ();
}
