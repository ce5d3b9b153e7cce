/* test-cli.c: portboard-cli, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-test-util.h"

static int
run (const char * const *args,
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

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

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

  g_assert_cmpint (run (args, &out, &err), ==, code);
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

  g_assert_cmpint (run (demo, &out, &err), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A second run refuses: the database holds data already. */
  g_assert_cmpint (run (demo, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already holds data"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (verify, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "OK\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A file that is not a Portboard database is refused and left as it was. */
  g_assert_true (g_file_set_contents (text, "not a database\n", -1, NULL));
  before = pb_test_file_digest (text);
  g_assert_cmpint (run (demo_text, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a Portboard database"));
  after = pb_test_file_digest (text);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/unit/cli/validate", test_validate);
  g_test_add_func ("/unit/cli/demo", test_demo);
  return g_test_run ();
}
