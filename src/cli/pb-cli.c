/* pb-cli.c: portboard-cli, the command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "portboard-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pb-demo.h"
#include "pb-identifier.h"
#include "pb-store.h"

static void
usage (void)
{
  g_printerr ("%s\n", _("Usage:\n"
                        "  portboard-cli validate container|imo|mmsi|locode VALUE\n"
                        "  portboard-cli demo --db PATH [--seed N]\n"
                        "  portboard-cli verify-log --db PATH"));
}

static int
cmd_validate (int    argc,
              char **argv)
{
  PbIdentifierKind kind;
  g_autofree char *normal = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3)
    {
      usage ();
      return 2;
    }

  if (!pb_identifier_kind_from_string (argv[1], &kind)
      || (kind != PB_IDENTIFIER_CONTAINER && kind != PB_IDENTIFIER_IMO
          && kind != PB_IDENTIFIER_MMSI && kind != PB_IDENTIFIER_LOCODE))
    {
      g_printerr (_("Unknown kind “%s”: use container, imo, mmsi or locode\n"), argv[1]);
      return 2;
    }

  normal = pb_identifier_normalize (kind, argv[2], &error);
  if (normal == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s\n", normal);
  return 0;
}

static int
cmd_demo (int    argc,
          char **argv)
{
  g_autofree char *db = NULL;
  gint64 seed = 1;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  PbDemoOptions options;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generator"), N_("N") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (db == NULL || argc != 1)
    {
      usage ();
      return 2;
    }
  if (seed < 0 || seed > G_MAXUINT32)
    {
      g_printerr (_("The seed is a number from 0 to %u\n"), G_MAXUINT32);
      return 2;
    }

  store = pb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  pb_demo_options_init (&options);
  options.seed = (guint32) seed;
  if (!pb_demo_generate (store, &options, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (_("Demo data written to %s\n"), db);
  return 0;
}

static int
cmd_verify_log (int    argc,
                char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  gint64 bad = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (db == NULL)
    {
      usage ();
      return 2;
    }

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("“%s” does not exist\n"), db);
      return 1;
    }
  store = pb_store_open (db, &error);
  if (store == NULL || !pb_store_verify_access_log (store, &bad, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (bad != 0)
    {
      g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, bad);
      g_printerr (_("The access log is broken at entry %s\n"), entry);
      return 1;
    }
  g_print ("OK\n");
  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PORTBOARD_LOCALEDIR") ? g_getenv ("PORTBOARD_LOCALEDIR")
                                                                      : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      usage ();
      return 2;
    }

  if (strcmp (argv[1], "validate") == 0)
    return cmd_validate (argc - 1, argv + 1);
  if (strcmp (argv[1], "demo") == 0)
    return cmd_demo (argc - 1, argv + 1);
  if (strcmp (argv[1], "verify-log") == 0)
    return cmd_verify_log (argc - 1, argv + 1);

  usage ();
  return 2;
}
