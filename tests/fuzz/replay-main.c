/* replay-main.c: a harness as an ordinary test: every file of its corpus, once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built with any compiler (the normal build, make asan) instead of libFuzzer: each argument
 * is a file or a folder whose files are fed to LLVMFuzzerTestOneInput() in the order of
 * their names, one TAP case each. A crash input moved into the corpus is a test from then
 * on; a file that fails ends the program, and the log's last "# replaying" names it.
 */

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-util.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
add_inputs (GPtrArray  *files,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    add_inputs (files, g_ptr_array_index (names, i));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  fuzz_init ();
  for (int i = 1; i < argc; i++)
    add_inputs (files, argv[i]);
  if (files->len == 0)
    {
      printf ("1..0 # SKIP no input\n");
      return 0;
    }
  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      printf ("# replaying %s\n", path);
      fflush (stdout);
      if (!g_file_get_contents (path, &data, &length, &error))
        g_error ("%s", error->message);
      LLVMFuzzerTestOneInput ((const uint8_t *) data, length);
      printf ("ok %u %s\n", i + 1, path);
      fflush (stdout);
    }
  return 0;
}
