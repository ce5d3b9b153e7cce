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

#include <json-glib/json-glib.h>

#include "pb-demo.h"
#include "pb-map-render.h"
#include "pb-identifier.h"
#include "pb-meeting.h"
#include "pb-minutes.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-util.h"

static void
usage (void)
{
  g_printerr ("%s\n", _("Usage:\n"
                        "  portboard-cli validate container|imo|mmsi|locode VALUE\n"
                        "  portboard-cli demo --db PATH [--seed N]\n"
                        "  portboard-cli verify-log --db PATH\n"
                        "  portboard-cli item add --db PATH --as USER --title TITLE --tlp CODE\n"
                        "                         [--body TEXT] [--identifier KIND:VALUE]… [--allow-invalid]\n"
                        "  portboard-cli item move --db PATH --as USER ID COLUMN [--lead ORG] [--reason TEXT]\n"
                        "  portboard-cli item set --db PATH [--as USER] ID FIELD VALUE\n"
                        "  portboard-cli hits --db PATH --as USER\n"
                        "  portboard-cli map snapshot --db PATH [--as USER] [--basemap FILE.mbtiles]\n"
                        "                             --center LAT,LON --zoom Z --size WxH --out FILE.png\n"
                        "  portboard-cli sync --db PATH --hub URL --token-file FILE [--fingerprint SHA256]\n"
                        "  portboard-cli export --db PATH --format json\n"
                        "  portboard-cli meeting list --db PATH [--as USER]\n"
                        "  portboard-cli meeting minutes --db PATH [--as USER] --meeting ID --out FILE.pdf\n"
                        "Without --as, item, hits, map and meeting act as the person the database is enrolled for;\n"
                        "meeting, on a database that is not enrolled, as its chair."));
}

/* Parses a command's options; prints the reason and returns FALSE on bad ones. */
static gboolean
parse_options (const GOptionEntry *entries,
               int                *argc,
               char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return TRUE;
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
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  PbDemoOptions options;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generator"), N_("N") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 2;
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
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  gint64 bad = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 2;
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

static char *
first_chair (PbStore *store)
{
  g_autoptr(GPtrArray) people = pb_store_list_people (store, NULL);

  for (guint i = 0; people && i < people->len; i++)
    {
      PbPerson *p = people->pdata[i];
      if (p->role == PB_ROLE_CHAIR)
        return g_strdup (p->id);
    }
  return NULL;
}

/* Opens an existing database and signs in; prints the reason and returns NULL otherwise.
 * Without @user, the person the database is enrolled for acts; with @or_chair, on a
 * database not enrolled, its chair (the prosecutor's office reads the consultation's
 * record). */
static PbStore *
open_as_or (const char *db,
            const char *user,
            gboolean    or_chair)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;

  g_autofree char *enrolled = NULL;

  if (db == NULL)
    {
      usage ();
      return NULL;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("“%s” does not exist\n"), db);
      return NULL;
    }
  store = pb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return NULL;
    }
  /* Without --as, the person this database was enrolled for acts. */
  if (user == NULL)
    {
      enrolled = pb_sync_enrolled_person (store);
      if (enrolled == NULL && or_chair && (enrolled = first_chair (store)) == NULL)
        {
          g_printerr ("%s\n", _("Say who acts with --as: this database has no chair"));
          return NULL;
        }
      if (enrolled == NULL)
        {
          g_printerr ("%s\n", _("Say who acts with --as: this database is not enrolled with a hub"));
          return NULL;
        }
      user = enrolled;
    }
  if (!pb_store_set_actor (store, user, &error))
    {
      g_printerr ("%s\n", error->message);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static PbStore *
open_as (const char *db,
         const char *user)
{
  return open_as_or (db, user, FALSE);
}

static int
cmd_item_add (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *title = NULL;
  g_autofree char *tlp_str = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) identifiers = NULL;
  gboolean allow_invalid = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbPerson) me = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  g_autofree PbWrite *writes = NULL;
  PbRecord *item;
  PbTlp tlp;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title of the item"), N_("TITLE") },
    { "tlp", 0, 0, G_OPTION_ARG_STRING, &tlp_str, N_("Handling code: clear, green, amber, amber+strict or red"), N_("CODE") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_("Text of the report"), N_("TEXT") },
    { "identifier", 0, 0, G_OPTION_ARG_STRING_ARRAY, &identifiers, N_("An identifier, such as container:CSQU3054383"), N_("KIND:VALUE") },
    { "allow-invalid", 0, 0, G_OPTION_ARG_NONE, &allow_invalid, N_("Keep identifiers that fail validation, marked known invalid"), NULL },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || title == NULL)
    {
      usage ();
      return 1;
    }
  if (tlp_str == NULL)
    {
      g_printerr ("%s\n", _("An item needs a handling code (TLP) before it is saved"));
      return 1;
    }
  if (!pb_tlp_from_string (tlp_str, &tlp))
    {
      g_printerr (_("Unknown handling code “%s”\n"), tlp_str);
      return 1;
    }

  store = open_as (db, user);
  if (store == NULL)
    return 1;
  me = pb_store_find_person (store, pb_store_get_actor (store), &error);
  if (me == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  item = pb_record_new ("items", NULL);
  g_ptr_array_add (records, item);
  {
    g_autofree char *id = pb_uuid_new ();
    pb_record_set_id (item, id);
  }
  pb_record_set_string (item, "title", title);
  if (body)
    pb_record_set_string (item, "body", body);
  pb_record_set_string (item, "tlp", pb_tlp_to_string (tlp));
  pb_record_set_string (item, "source_org", me->org);
  pb_record_set_string (item, "author", me->id);
  pb_record_set_int (item, "reported_at", g_get_real_time () / G_USEC_PER_SEC);

  for (guint i = 0; identifiers && identifiers[i]; i++)
    {
      const char *colon = strchr (identifiers[i], ':');
      g_autofree char *kind = NULL;
      PbRecord *r;
      PbIdentifierKind k;

      if (colon == NULL)
        {
          g_printerr (_("“%s” is not KIND:VALUE\n"), identifiers[i]);
          return 1;
        }
      kind = g_strndup (identifiers[i], colon - identifiers[i]);
      if (!pb_identifier_kind_from_string (kind, &k))
        {
          g_printerr (_("Unknown identifier kind “%s”\n"), kind);
          return 1;
        }
      r = pb_record_new ("identifiers", NULL);
      g_ptr_array_add (records, r);
      pb_record_set_string (r, "item", pb_record_get_id (item));
      pb_record_set_string (r, "kind", pb_identifier_kind_to_string (k));
      pb_record_set_string (r, "raw", colon + 1);
      if (allow_invalid)
        {
          g_autofree char *normal = pb_identifier_normalize (k, colon + 1, NULL);
          if (normal == NULL)
            pb_record_set_int (r, "known_invalid", 1);
        }
    }

  writes = g_new (PbWrite, records->len);
  for (guint i = 0; i < records->len; i++)
    writes[i] = (PbWrite) { PB_OP_INSERT, g_ptr_array_index (records, i) };
  pb_store_set_purpose (store, "portboard-cli item add");
  if (!pb_store_write_many (store, writes, records->len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s\n", pb_record_get_id (item));
  return 0;
}

static int
cmd_item_move (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  PbStatus column;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { "lead", 0, 0, G_OPTION_ARG_STRING, &lead, N_("Lead organisation"), N_("ORG") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the item is closed"), N_("TEXT") },
    { "before", 0, 0, G_OPTION_ARG_STRING, &before, N_("Place it before this item"), N_("ID") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 3)
    {
      usage ();
      return 1;
    }
  if (!pb_status_from_string (argv[2], &column))
    {
      g_printerr (_("Unknown board column “%s”: use incoming, assessment, lead-assigned, in-action, monitoring or closed\n"),
                  argv[2]);
      return 1;
    }

  store = open_as (db, user);
  if (store == NULL)
    return 1;
  pb_store_set_purpose (store, "portboard-cli item move");
  if (!pb_store_move_item (store, argv[1], column, before, lead, reason, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static int
cmd_hits (int    argc,
          char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1)
    {
      usage ();
      return 1;
    }
  store = open_as (db, user);
  if (store == NULL)
    return 1;
  hits = pb_store_list_hits (store, NULL, &error);
  if (hits == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* One object per item and identifier, with the organisations to contact. */
  json_builder_begin_array (builder);
  for (guint i = 0; i < hits->len; i++)
    {
      PbHit *hit = g_ptr_array_index (hits, i);
      PbHit *prev = i > 0 ? g_ptr_array_index (hits, i - 1) : NULL;

      if (prev == NULL || g_strcmp0 (prev->item, hit->item) != 0
          || g_strcmp0 (prev->kind, hit->kind) != 0 || g_strcmp0 (prev->value, hit->value) != 0)
        {
          if (prev != NULL)
            {
              json_builder_end_array (builder);
              json_builder_end_object (builder);
            }
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "item");
          json_builder_add_string_value (builder, hit->item);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, hit->kind);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, hit->value);
          json_builder_set_member_name (builder, "contact");
          json_builder_begin_array (builder);
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, hit->org_code);
      json_builder_set_member_name (builder, "organisation");
      json_builder_add_string_value (builder, hit->org_name);
      json_builder_end_object (builder);
    }
  if (hits->len > 0)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  return 0;
}

/* The map as seen from a point: the basemap and the incidents the person may see. */
static int
cmd_map_snapshot (int    argc,
                  char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *basemap_path = NULL;
  g_autofree char *center = NULL;
  g_autofree char *size = NULL;
  g_autofree char *out = NULL;
  int zoom = -1;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbMbtiles) basemap = NULL;
  g_autoptr(PbMapRenderer) renderer = NULL;
  g_autoptr(PbGazetteer) gazetteer = NULL;
  g_autoptr(GPtrArray) incidents = NULL;
  g_autoptr(GArray) points = NULL;
  double lat, lon;
  gint64 width, height;
  PbMapView view;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { "basemap", 0, 0, G_OPTION_ARG_FILENAME, &basemap_path, N_("An MBTiles map (the built-in one without)"), N_("FILE") },
    { "center", 0, 0, G_OPTION_ARG_STRING, &center, N_("The centre of the picture"), N_("LAT,LON") },
    { "zoom", 0, 0, G_OPTION_ARG_INT, &zoom, N_("Zoom level, 0 to 22"), N_("Z") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Size of the picture in pixels"), N_("WxH") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The PNG file to write"), N_("FILE") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || db == NULL || center == NULL || size == NULL || out == NULL || zoom < 0)
    {
      usage ();
      return 1;
    }
  {
    g_auto(GStrv) parts = g_strsplit (center, ",", -1);
    char *end1 = NULL, *end2 = NULL;

    if (g_strv_length (parts) != 2
        || (lat = g_ascii_strtod (parts[0], &end1), *end1 != '\0' || end1 == parts[0])
        || (lon = g_ascii_strtod (parts[1], &end2), *end2 != '\0' || end2 == parts[1])
        || lat < -85 || lat > 85 || lon < -180 || lon > 180)
      {
        g_printerr (_("“%s” is not a centre: give latitude,longitude in degrees, such as 51.29,4.26\n"), center);
        return 1;
      }
  }
  if (zoom > 22)
    {
      g_printerr (_("The zoom level is 0 to 22, not %d\n"), zoom);
      return 1;
    }
  {
    g_auto(GStrv) parts = g_strsplit (size, "x", -1);

    if (g_strv_length (parts) != 2
        || !g_ascii_string_to_signed (parts[0], 10, 16, 8192, &width, NULL)
        || !g_ascii_string_to_signed (parts[1], 10, 16, 8192, &height, NULL))
      {
        g_printerr (_("“%s” is not a size: give width x height in pixels (16 to 8192), such as 1280x800\n"), size);
        return 1;
      }
  }

  if (basemap_path == NULL)
    basemap_path = pb_map_default_basemap_path ();
  basemap = pb_mbtiles_open (basemap_path, &error);
  if (basemap == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gazetteer = pb_gazetteer_load_default (&error);
  if (gazetteer == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (user)
    {
      store = open_as (db, user);
      if (store == NULL)
        return 1;
      incidents = pb_store_list_map_incidents (store, 0, gazetteer, &error);
      if (incidents)
        {
          GPtrArray *items = pb_store_list_map_items (store, 0, gazetteer, &error);
          if (items)
            g_ptr_array_extend_and_steal (incidents, items);
          else
            g_clear_pointer (&incidents, g_ptr_array_unref);
        }
      if (incidents == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  else
    {
      /* Nobody named: nobody's incidents, the basemap alone. */
      store = pb_store_open (db, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      incidents = g_ptr_array_new ();
      g_printerr ("%s\n", _("No --as given: the picture shows the basemap without incidents"));
    }

  points = pb_map_points_from_incidents (incidents);
  pb_map_view_init (&view, lat, lon, zoom, (int) width, (int) height);
  renderer = pb_map_renderer_new (basemap);
  if (!pb_map_snapshot (renderer, &view, (PbMapPoint *) (void *) points->data, points->len, out, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

/* Sets one field of an item through the write path, as the board's editor would. */
static int
cmd_item_set (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbRecord) record = NULL;
  const PbTableInfo *items = pb_schema_table_lookup ("items");
  int column;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 4)
    {
      usage ();
      return 1;
    }
  column = pb_schema_column_index (items, argv[2]);
  if (column < 0 || g_str_equal (argv[2], "source_org") || g_str_equal (argv[2], "author"))
    {
      g_printerr (_("An item has no field “%s” that can be set\n"), argv[2]);
      return 1;
    }
  store = open_as (db, user);
  if (store == NULL)
    return 1;
  record = pb_record_new ("items", argv[1]);
  if (items->columns[column].type == PB_COLUMN_TEXT)
    pb_record_set_string (record, argv[2], argv[3]);
  else
    {
      char *end = NULL;
      double v = g_ascii_strtod (argv[3], &end);

      if (end == argv[3] || *end != '\0')
        {
          g_printerr (_("“%s” is not a number\n"), argv[3]);
          return 1;
        }
      if (items->columns[column].type == PB_COLUMN_INTEGER)
        pb_record_set_int (record, argv[2], (gint64) v);
      else
        pb_record_set_double (record, argv[2], v);
    }
  if (!pb_store_write (store, PB_OP_UPDATE, record, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

/* The token file holds the one-time enrolment token; once enrolled, the credential
 * replaces it there (readable by its owner only), and later runs use that. */
static int
cmd_sync (int    argc,
          char **argv)
{
  g_autofree char *db = NULL, *hub = NULL, *token_file = NULL, *fingerprint = NULL;
  g_autofree char *secret = NULL, *pinned = NULL, *known_hub = NULL, *cursor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbSoupTransport) transport = NULL;
  PbSyncStats stats = { 0 };
  gboolean ok;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "hub", 0, 0, G_OPTION_ARG_STRING, &hub, N_("The hub's address"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("File with the enrolment token, later the credential"), N_("FILE") },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint, N_("SHA-256 fingerprint of the hub's certificate"), N_("SHA256") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || db == NULL || hub == NULL || token_file == NULL)
    {
      usage ();
      return 1;
    }
  if (!g_file_get_contents (token_file, &secret, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_strstrip (secret);
  if (!g_str_has_prefix (secret, "pbe_") && !g_str_has_prefix (secret, "pbc_"))
    {
      g_printerr (_("“%s” holds neither an enrolment token nor a credential\n"), token_file);
      return 1;
    }

  store = pb_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  known_hub = pb_sync_get_hub (store, &pinned);
  if (fingerprint && pinned && g_ascii_strcasecmp (fingerprint, pinned) != 0)
    {
      g_printerr (_("This database already trusts the certificate %s, not %s\n"), pinned, fingerprint);
      return 1;
    }
  transport = pb_soup_transport_new (hub, pinned ? pinned : fingerprint, &error);
  if (transport == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!pb_sync_is_enrolled (store))
    {
      g_autofree char *credential = NULL;

      if (!g_str_has_prefix (secret, "pbe_"))
        {
          g_printerr (_("This database is not enrolled yet: “%s” must hold an enrolment token\n"), token_file);
          return 1;
        }
      if (!pb_sync_enrol (store, PB_TRANSPORT (transport), secret, &credential, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (!g_file_set_contents_full (token_file, credential, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_free (secret);
      secret = g_steal_pointer (&credential);
    }
  else if (!g_str_has_prefix (secret, "pbc_"))
    {
      g_printerr (_("This database is enrolled: “%s” must hold its credential\n"), token_file);
      return 1;
    }
  /* Trust on first use: the certificate seen at enrolment is the one trusted from now on. */
  if (!pb_sync_set_hub (store, hub, pinned ? NULL : pb_soup_transport_get_fingerprint (transport), &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  ok = pb_sync_once (store, PB_TRANSPORT (transport), secret, &stats, &error);
  if (!pinned && pb_soup_transport_get_fingerprint (transport))
    pb_sync_set_hub (store, hub, pb_soup_transport_get_fingerprint (transport), NULL);
  if (!ok)
    {
      g_printerr ("%s\n", error->message);
      if (stats.waiting > 0)
        g_printerr (_("%u changes wait to be sent; nothing was lost\n"), stats.waiting);
      return 1;
    }
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, stats.cursor);
  g_print (_("Sent %u changes; received %u (%u applied, %u removed, %u conflicts); %u waiting; at %s\n"),
           stats.pushed, stats.received, stats.applied, stats.revoked, stats.conflicts, stats.waiting, cursor);
  if (stats.rejected > stats.dropped)
    g_print (_("%u changes were not taken: their rows are no longer shared with your organisation\n"),
             stats.rejected - stats.dropped);
  if (stats.dropped > 0)
    g_print (_("%u rows were made the same elsewhere first; the other copy is kept\n"), stats.dropped);
  if (stats.quarantined > 0)
    g_print (_("%u received changes could not be applied and were set aside\n"), stats.quarantined);
  return 0;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *db = NULL, *format = NULL, *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Only json"), N_("FORMAT") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || db == NULL || g_strcmp0 (format, "json") != 0)
    {
      usage ();
      return 1;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("“%s” does not exist\n"), db);
      return 1;
    }
  store = pb_store_open (db, &error);
  if (store == NULL || (json = pb_store_export_json (store, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  fputs (json, stdout);
  return 0;
}

/* One meeting a line: id, start, status, title. */
static int
cmd_meeting_list (int    argc,
                  char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || db == NULL)
    {
      usage ();
      return 1;
    }
  store = open_as_or (db, user, TRUE);
  if (store == NULL)
    return 1;
  meetings = pb_meeting_list (store, &error);
  if (meetings == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < meetings->len; i++)
    {
      PbMeeting *m = meetings->pdata[i];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->starts_at);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");

      g_print ("%s\t%s\t%s\t%s\n", m->id, when, m->closed ? "closed" : "open", m->title);
    }
  return 0;
}

static int
cmd_meeting_minutes (int    argc,
                     char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user = NULL;
  g_autofree char *meeting = NULL;
  g_autofree char *out = NULL;
  g_autofree char *basemap_path = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = NULL;
  g_autoptr(PbMbtiles) basemap = NULL;
  g_autoptr(PbMapRenderer) renderer = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Database file"), N_("PATH") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &user, N_("Act as this person"), N_("USER") },
    { "meeting", 0, 0, G_OPTION_ARG_STRING, &meeting, N_("The meeting, by its id"), N_("ID") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The PDF file to write"), N_("FILE") },
    { "basemap", 0, 0, G_OPTION_ARG_FILENAME, &basemap_path, N_("An MBTiles map (the built-in one without)"), N_("FILE") },
    { NULL }
  };

  if (!parse_options (entries, &argc, &argv))
    return 1;
  if (argc != 1 || db == NULL || meeting == NULL || out == NULL)
    {
      usage ();
      return 1;
    }
  if (basemap_path == NULL)
    basemap_path = pb_map_default_basemap_path ();
  basemap = pb_mbtiles_open (basemap_path, &error);
  if (basemap == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  renderer = pb_map_renderer_new (basemap);
  store = open_as_or (db, user, TRUE);
  if (store == NULL)
    return 1;
  if (!pb_minutes_export (store, meeting, renderer, out, &sha256, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s  %s\n", sha256, out);
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
  if (strcmp (argv[1], "map") == 0 && argc > 2 && strcmp (argv[2], "snapshot") == 0)
    return cmd_map_snapshot (argc - 2, argv + 2);
  if (strcmp (argv[1], "hits") == 0)
    return cmd_hits (argc - 1, argv + 1);
  if (strcmp (argv[1], "item") == 0 && argc > 2 && strcmp (argv[2], "add") == 0)
    return cmd_item_add (argc - 2, argv + 2);
  if (strcmp (argv[1], "item") == 0 && argc > 2 && strcmp (argv[2], "move") == 0)
    return cmd_item_move (argc - 2, argv + 2);
  if (strcmp (argv[1], "item") == 0 && argc > 2 && strcmp (argv[2], "set") == 0)
    return cmd_item_set (argc - 2, argv + 2);
  if (strcmp (argv[1], "sync") == 0)
    return cmd_sync (argc - 1, argv + 1);
  if (strcmp (argv[1], "export") == 0)
    return cmd_export (argc - 1, argv + 1);
  if (strcmp (argv[1], "meeting") == 0 && argc > 2 && strcmp (argv[2], "list") == 0)
    return cmd_meeting_list (argc - 2, argv + 2);
  if (strcmp (argv[1], "meeting") == 0 && argc > 2 && strcmp (argv[2], "minutes") == 0)
    return cmd_meeting_minutes (argc - 2, argv + 2);

  usage ();
  return 2;
}
