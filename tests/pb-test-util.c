/* pb-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "pb-test-util.h"

char *
pb_test_tmp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("portboard-test-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static char *
insert (PbStore    *store,
        PbRecord   *record)
{
  g_autoptr(GError) error = NULL;

  pb_store_write (store, PB_OP_INSERT, record, &error);
  g_assert_no_error (error);
  return g_strdup (pb_record_get_id (record));
}

static char *
add_org (PbStore    *store,
         const char *name,
         const char *code,
         const char *kind)
{
  g_autoptr(PbRecord) r = pb_record_new ("organisations", NULL);

  pb_record_set_string (r, "name", name);
  pb_record_set_string (r, "short_code", code);
  pb_record_set_string (r, "kind", kind);
  pb_record_set_string (r, "colour", "#336699");
  return insert (store, r);
}

static char *
add_person (PbStore    *store,
            const char *name,
            const char *org,
            const char *role)
{
  g_autoptr(PbRecord) r = pb_record_new ("people", NULL);

  pb_record_set_string (r, "name", name);
  pb_record_set_string (r, "org", org);
  pb_record_set_string (r, "role", role);
  return insert (store, r);
}

void
pb_test_db_init (PbTestDb *db)
{
  g_autoptr(GError) error = NULL;

  db->path = pb_test_tmp_path ("test.sqlite");
  db->dir = g_path_get_dirname (db->path);
  db->store = pb_store_open (db->path, &error);
  g_assert_no_error (error);

  db->org_police = add_org (db->store, "Test Police", "POL", "police");
  db->org_customs = add_org (db->store, "Test Customs", "CUS", "customs");
  db->org_partner = add_org (db->store, "Test Terminal", "TRM", "partner");
  db->officer = add_person (db->store, "Olga Officer", db->org_police, "officer");
  db->customs_officer = add_person (db->store, "Carl Customs", db->org_customs, "officer");
  db->partner = add_person (db->store, "Pia Partner", db->org_partner, "partner");
  db->chair = add_person (db->store, "Chris Chair", db->org_police, "chair");
}

void
pb_test_db_clear (PbTestDb *db)
{
  g_autofree char *wal = g_strconcat (db->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db->path, "-shm", NULL);

  g_clear_object (&db->store);
  g_unlink (db->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (db->dir);
  g_free (db->dir);
  g_free (db->path);
  g_free (db->org_police);
  g_free (db->org_customs);
  g_free (db->org_partner);
  g_free (db->officer);
  g_free (db->customs_officer);
  g_free (db->partner);
  g_free (db->chair);
}

char *
pb_test_add_item (PbTestDb   *db,
                  const char *actor,
                  const char *title,
                  const char *tlp,
                  const char *container)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
  g_autoptr(PbPerson) person = NULL;
  char *id;

  pb_store_set_actor (db->store, actor, &error);
  g_assert_no_error (error);
  person = pb_store_find_person (db->store, actor, &error);
  g_assert_no_error (error);

  pb_record_set_string (r, "title", title);
  pb_record_set_string (r, "body", "Body text of the report");
  pb_record_set_string (r, "source_org", person->org);
  pb_record_set_string (r, "author", person->id);
  pb_record_set_int (r, "reported_at", 1790000000);
  pb_record_set_string (r, "tlp", tlp);
  id = insert (db->store, r);

  if (container)
    {
      g_autoptr(PbRecord) ident = pb_record_new ("identifiers", NULL);
      g_autofree char *ident_id = NULL;

      pb_record_set_string (ident, "item", id);
      pb_record_set_string (ident, "kind", "container");
      pb_record_set_string (ident, "raw", container);
      ident_id = insert (db->store, ident);
    }
  return id;
}

gint64
pb_test_count (PbStore    *store,
               const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

char *
pb_test_file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("(missing)");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* pb_test_count() of an SQL text made with printf. */
gint64
pb_test_countf (PbStore    *store,
                const char *format,
                ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pb_test_count (store, sql);
}

/* Runs portboard-cli ($PORTBOARD_CLI) with @args; returns its exit status. */
int
pb_test_run_cli (const char * const *args,
                 char              **out,
                 char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("PORTBOARD_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                               &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The officer of the organisation a row belongs to (an item, or the item an identifier, a
 * share or an incident is on): someone the rulebook lets write it. */
const char *
pb_test_owner_of (PbTestDb   *db,
                  const char *table,
                  const char *id)
{
  g_autofree char *org = NULL;
  const char *orgs[] = { db->org_police, db->org_customs };
  const char *officers[] = { db->officer, db->customs_officer };

  for (guint i = 0; i < G_N_ELEMENTS (orgs); i++)
    {
      gint64 n = g_str_equal (table, "items")
                 ? pb_test_countf (db->store, "SELECT count (*) FROM items WHERE id = '%s' AND source_org = '%s'",
                                   id, orgs[i])
                 : pb_test_countf (db->store, "SELECT count (*) FROM %s r JOIN items i ON i.id = r.item"
                                   " WHERE r.id = '%s' AND i.source_org = '%s'", table, id, orgs[i]);
      if (n > 0)
        return officers[i];
    }
  g_assert_not_reached ();
}

/* Writes @record as the owner of the row would (as the hub would bring it here), and
 * signs the person who was signed in back in. */
void
pb_test_write_as_owner (PbTestDb *db,
                        PbOp      op,
                        PbRecord *record)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (pb_store_get_actor (db->store));
  const char *table = pb_record_get_table (record)->name;
  const char *id = op == PB_OP_INSERT && !g_str_equal (table, "items")
                   ? NULL : pb_record_get_id (record);
  const PbValue *item = pb_record_lookup (record, "item");

  if (id != NULL)
    g_assert_true (pb_store_set_actor (db->store, pb_test_owner_of (db, table, id), &error));
  else
    g_assert_true (pb_store_set_actor (db->store, pb_test_owner_of (db, "items", item->s), &error));
  g_assert_no_error (error);
  g_assert_true (pb_store_write (db->store, op, record, &error));
  g_assert_no_error (error);
  g_assert_true (pb_store_set_actor (db->store, before, &error));
  g_assert_no_error (error);
}

/* A person more, written by the local set-up; the signed-in person stays. */
char *
pb_test_add_person (PbTestDb   *db,
                    const char *name,
                    const char *org,
                    const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (pb_store_get_actor (db->store));
  char *id;

  g_assert_true (pb_store_set_actor (db->store, NULL, &error));
  id = add_person (db->store, name, org, role);
  g_assert_true (pb_store_set_actor (db->store, before, &error));
  g_assert_no_error (error);
  return id;
}
