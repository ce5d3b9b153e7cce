/* test-minutes.c: the minutes of a meeting as PDF, read back as text (pdftotext), and
 * portboard-cli meeting list / minutes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pb-meeting.h"
#include "pb-minutes.h"
#include "pb-test-util.h"
#include "pb-util.h"

typedef struct
{
  PbTestDb  db;
  char     *meeting;
  char     *amber;     /* police, AMBER, decided on */
  char     *hidden;    /* customs, RED: the chair may not see it */
  char     *pdf;
} Fixture;

static void
sign_in (PbTestDb   *db,
         const char *who)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_store_set_actor (db->store, who, &error));
  g_assert_no_error (error);
}

static void
locate (PbTestDb   *db,
        const char *item)
{
  g_autoptr(PbRecord) r = pb_record_new ("items", item);

  pb_record_set_double (r, "lat", 51.2806);
  pb_record_set_double (r, "lon", 4.2602);
  pb_record_set_string (r, "port_area", "Deurganck Dock");
  pb_test_write_as_owner (db, PB_OP_UPDATE, r);
}

/* A meeting of a dozen located items, one of them customs' own that the chair may not see
 * (it is on the agenda of a customs chair's copy: written here as the hub would bring it). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) entry = pb_record_new ("agenda_entries", NULL);
  g_autofree char *customs_chair = NULL;
  const PbActionSpec action = { "CUS", "Scan the reefer at the MSC terminal", "2026-12-01" };
  PbDecisionSpec spec = { 0 };

  pb_test_db_init (&f->db);
  f->amber = pb_test_add_item (&f->db, f->db.officer, "Reefer of bananas, weight mismatch", "AMBER", "MSCU1234566");
  f->hidden = pb_test_add_item (&f->db, f->db.customs_officer, "Informant: the crane driver", "RED", "MSCU1234566");
  locate (&f->db, f->amber);
  sign_in (&f->db, f->db.chair);
  g_assert_true (pb_meeting_open (f->db.store, "Consultation 12", "Port House", 1795683600, &f->meeting, &error));
  g_assert_no_error (error);
  g_assert_true (pb_meeting_set_attendance (f->db.store, f->meeting, "POL", TRUE, "Olga Officer", &error));
  g_assert_true (pb_meeting_set_attendance (f->db.store, f->meeting, "CUS", TRUE, "Carl Customs", &error));
  g_assert_no_error (error);
  g_assert_true (pb_meeting_add_entry (f->db.store, f->meeting, f->amber, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *title = g_strdup_printf ("Green report %u", i);
      g_autofree char *item = pb_test_add_item (&f->db, f->db.officer, title, "GREEN", NULL);

      locate (&f->db, item);
      sign_in (&f->db, f->db.chair);
      g_assert_true (pb_meeting_add_entry (f->db.store, f->meeting, item, &error));
      g_assert_no_error (error);
    }
  pb_record_set_string (entry, "meeting", f->meeting);
  pb_record_set_string (entry, "item", f->hidden);
  pb_record_set_string (entry, "item_org", f->db.org_customs);
  pb_record_set_int (entry, "reasons", PB_AGENDA_ADDED);
  /* Put on the agenda by a chair who sees it: one of customs. */
  customs_chair = pb_test_add_person (&f->db, "Cora Customs Chair", f->db.org_customs, "chair");
  sign_in (&f->db, customs_chair);
  g_assert_true (pb_store_write (f->db.store, PB_OP_INSERT, entry, &error));
  g_assert_no_error (error);
  sign_in (&f->db, f->db.chair);

  spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
  spec.lead_org = "CUS";
  spec.note = "Customs scans it on arrival";
  spec.actions = &action;
  spec.n_actions = 1;
  g_assert_true (pb_meeting_decide (f->db.store, f->meeting, f->amber, &spec, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pb_meeting_close (f->db.store, f->meeting, &error));
  g_assert_no_error (error);

  f->pdf = g_build_filename (f->db.dir, "minutes.pdf", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unlink (f->pdf);
  g_free (f->pdf);
  g_free (f->meeting);
  g_free (f->amber);
  g_free (f->hidden);
  pb_test_db_clear (&f->db);
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-layout", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return out;
}

/* The text with every run of white space as one space: lines wrap where the layout says. */
static char *
squash (const char *text)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
}

static PbMapRenderer *
renderer_new (PbMbtiles **basemap)
{
  g_autoptr(GError) error = NULL;

  *basemap = pb_mbtiles_open (g_getenv ("PORTBOARD_BUILT_BASEMAP"), &error);
  g_assert_no_error (error);
  return pb_map_renderer_new (*basemap);
}

static void
test_content (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMbtiles) basemap = NULL;
  g_autoptr(PbMapRenderer) renderer = renderer_new (&basemap);
  g_autofree char *sha = NULL, *file_sha = NULL, *raw = NULL, *text = NULL, *detail = NULL;
  g_autoptr(PbMeeting) meeting = NULL;
  g_auto(GStrv) pages = NULL;
  guint n_pages;
  gint64 access, bad_seq = -1;

  access = pb_test_count (f->db.store, "SELECT count(*) FROM access_log WHERE action = 'disclosure'");
  g_assert_true (pb_minutes_export (f->db.store, f->meeting, renderer, f->pdf, &sha, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_minutes_marking (f->db.store, f->meeting, NULL), ==, PB_TLP_AMBER);

  raw = pdf_text (f->pdf);
  text = squash (raw);
  /* Attendance, the agenda, the decision, the action with owner and due date. */
  g_assert_nonnull (strstr (text, "Consultation 12"));
  g_assert_nonnull (strstr (text, "Test Customs — in the room: Carl Customs"));
  g_assert_nonnull (strstr (text, "2. Reefer of bananas, weight mismatch"));
  g_assert_nonnull (strstr (text, "Decision: Assign a lead"));
  g_assert_nonnull (strstr (text, "Lead: Test Customs"));
  g_assert_nonnull (strstr (text, "Note: Customs scans it on arrival"));
  g_assert_nonnull (strstr (text, "Test Customs — Scan the reefer at the MSC terminal (due 2026-12-01, open)"));
  g_assert_nonnull (strstr (text, "Hit: MSCU1234566 is also known to Test Customs — contact them"));
  g_assert_nonnull (strstr (text, "Green report 9"));
  /* What the chair may not see is named by its organisation only. */
  g_assert_nonnull (strstr (text, "Restricted item (Test Customs)"));
  g_assert_null (strstr (text, "crane driver"));

  /* The marking of the highest content, in the header and the footer of every page, and
   * the page numbers. */
  pages = g_strsplit (raw, "\f", -1);
  n_pages = g_strv_length (pages);
  if (n_pages > 0 && *g_strstrip (pages[n_pages - 1]) == '\0')
    n_pages--;
  g_assert_cmpuint (n_pages, >=, 2);
  for (guint p = 0; p < n_pages; p++)
    {
      g_autofree char *number = g_strdup_printf ("Page %u of %u", p + 1, n_pages);
      const char *first = strstr (pages[p], "TLP:AMBER");

      g_assert_nonnull (first);
      g_assert_nonnull (strstr (first + 1, "TLP:AMBER"));
      g_assert_nonnull (strstr (pages[p], number));
      g_assert_null (strstr (pages[p], "TLP:RED"));
    }

  /* The SHA-256 of the file, on the meeting and in the access log. */
  file_sha = pb_test_file_digest (f->pdf);
  g_assert_cmpstr (sha, ==, file_sha);
  meeting = pb_meeting_get (f->db.store, f->meeting, &error);
  g_assert_cmpstr (meeting->minutes_sha256, ==, sha);
  g_assert_cmpint (pb_test_count (f->db.store, "SELECT count(*) FROM access_log WHERE action = 'disclosure'"), ==,
                   access + 1);
  detail = g_strdup_printf ("SELECT count(*) FROM access_log WHERE action = 'disclosure' AND tbl = 'meetings'"
                            " AND detail LIKE 'minutes sha256:%s%%'", sha);
  g_assert_cmpint (pb_test_count (f->db.store, detail), ==, 1);
  g_assert_true (pb_store_verify_access_log (f->db.store, &bad_seq, &error));
  g_assert_no_error (error);
}

/* The same meeting gives the same document. */
static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMbtiles) basemap = NULL;
  g_autoptr(PbMapRenderer) renderer = renderer_new (&basemap);
  g_autofree char *a = NULL, *b = NULL;

  g_assert_true (pb_minutes_export (f->db.store, f->meeting, renderer, f->pdf, &a, &error));
  g_assert_true (pb_minutes_export (f->db.store, f->meeting, renderer, f->pdf, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);
}

/* A path that cannot be written, a meeting that does not exist: an error, no file, nothing
 * on record. */
static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (f->db.dir, "no-such-dir", "minutes.pdf", NULL);
  g_autoptr(PbMeeting) meeting = NULL;
  gint64 access = pb_test_count (f->db.store, "SELECT count(*) FROM access_log");

  g_assert_false (pb_minutes_export (f->db.store, f->meeting, NULL, nowhere, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (pb_minutes_export (f->db.store, "5bd5ef0c-0000-4000-8000-000000000000", NULL, f->pdf, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (f->pdf, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  meeting = pb_meeting_get (f->db.store, f->meeting, &error);
  g_assert_null (meeting->minutes_sha256);
  g_assert_cmpint (pb_test_count (f->db.store, "SELECT count(*) FROM access_log"), ==, access);
}

/* portboard-cli meeting list and minutes, on the closed store's file. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *line = NULL, *text = NULL, *digest = NULL;
  g_autofree char *path = g_strdup (f->db.path);
  g_autofree char *bad = g_build_filename (f->db.dir, "nope", "x.pdf", NULL);
  const char *list[] = { "meeting", "list", "--db", path, NULL };
  const char *minutes[] = { "meeting", "minutes", "--db", path, "--meeting", f->meeting, "--out", f->pdf, NULL };
  const char *unknown[] = { "meeting", "minutes", "--db", path, "--meeting", "nope", "--out", f->pdf, NULL };
  const char *unwritable[] = { "meeting", "minutes", "--db", path, "--meeting", f->meeting, "--out", bad, NULL };
  const char *officer[] = { "meeting", "list", "--db", path, "--as", "Olga Officer", NULL };

  g_assert_cmpint (pb_test_run_cli (list, &out, &err), ==, 0);
  line = g_strdup_printf ("%s\t", f->meeting);
  g_assert_true (g_str_has_prefix (out, line));
  g_assert_nonnull (strstr (out, "\tclosed\tConsultation 12\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (officer, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Consultation 12"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pb_test_run_cli (unknown, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no such meeting"));
  g_assert_false (g_file_test (f->pdf, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pb_test_run_cli (unwritable, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pb_test_run_cli (minutes, &out, &err), ==, 0);
  digest = pb_test_file_digest (f->pdf);
  g_assert_true (g_str_has_prefix (out, digest));
  text = pdf_text (f->pdf);
  g_assert_nonnull (strstr (text, "Decision: Assign a lead"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/minutes/content", Fixture, NULL, fixture_set_up, test_content, fixture_tear_down);
  g_test_add ("/minutes/reproducible", Fixture, NULL, fixture_set_up, test_reproducible, fixture_tear_down);
  g_test_add ("/minutes/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/minutes/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  return g_test_run ();
}
