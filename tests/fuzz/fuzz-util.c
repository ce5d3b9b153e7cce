/* fuzz-util.c: what the fuzzing harnesses share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

static char *tmp_dir;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      if (g_remove (path) != 0 && g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", path);
          if (system (cmd) != 0)
            g_printerr ("cannot remove %s\n", path);
        }
    }
  g_rmdir (tmp_dir);
}

/* g_error() and fatal criticals end with SIGTRAP, which libFuzzer does not catch (it would
 * not write the input out): they abort instead. */
static void
on_trap (int sig)
{
  abort ();
}

/* Once per process: GLib's allocator and checks as the sanitizers want them, and every
 * warning or critical fatal. */
void
fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, on_trap);
}

/* A folder of this process's own, in memory where there is one, removed at exit. */
const char *
fuzz_tmp_dir (void)
{
  if (tmp_dir == NULL)
    {
      g_autofree char *template = NULL;

      if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
        template = g_strdup ("/dev/shm/pb-fuzz-XXXXXX");
      else
        template = g_build_filename (g_get_tmp_dir (), "pb-fuzz-XXXXXX", NULL);
      tmp_dir = g_mkdtemp (g_steal_pointer (&template));
      if (tmp_dir == NULL)
        g_error ("cannot make a temporary folder");
      atexit (remove_tmp_dir);
    }
  return tmp_dir;
}

/* Writes the input to a file of that name in the folder; returns its path. */
char *
fuzz_write_temp (const char    *name,
                 const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fuzz_tmp_dir (), name, NULL);

  if (!g_file_set_contents (path, (const char *) data, (gssize) size, &error))
    g_error ("%s", error->message);
  return path;
}

/* Removes an SQLite database and what SQLite keeps beside it, so that nothing of one input
 * reaches the next. */
void
fuzz_remove_db (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      g_remove (p);
    }
}

/* The input with each placeholder of @pairs (placeholder, value, …, NULL) replaced, so that
 * a checked-in input can name what a harness makes anew in each process (an account's
 * site, an enrolment token). NUL-terminated; @length without it. */
char *
fuzz_expand (const uint8_t     *data,
             size_t             size,
             const char *const *pairs,
             gsize             *length)
{
  GString *out = g_string_sized_new (size + 1);

  for (size_t i = 0; i < size;)
    {
      gboolean replaced = FALSE;

      if (data[i] == '@')
        for (guint p = 0; pairs[p] && pairs[p + 1]; p += 2)
          {
            size_t n = strlen (pairs[p]);
            if (size - i >= n && memcmp (data + i, pairs[p], n) == 0)
              {
                g_string_append (out, pairs[p + 1]);
                i += n;
                replaced = TRUE;
                break;
              }
          }
      if (!replaced)
        g_string_append_c (out, (char) data[i++]);
    }
  *length = out->len;
  return g_string_free (out, FALSE);
}

/* An answer given to a client must be a JSON object, whatever was asked. */
void
fuzz_assert_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("an answer is not a JSON object: %s (%s)", text ? text : "(null)", error ? error->message : "");
}
