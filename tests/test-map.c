/* test-map.c: the port gazetteer and MBTiles basemaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "pb-gazetteer.h"
#include "pb-map-render.h"
#include "pb-mbtiles.h"
#include "pb-store.h"
#include "pb-test-util.h"

/* The terminal points of the SMDG list (domain.md §4.1): each lies in its terminal. */
static const struct { const char *name; double lat, lon; } smdg[] = {
  { "MPET Deurganck Dock", 51.29278, 4.25750 },
  { "Antwerp Gateway", 51.29194, 4.26556 },
  { "Europa Terminal", 51.33833, 4.27611 },
  { "Noordzee Terminal", 51.35083, 4.26528 },
  { "Churchill Terminal", 51.27889, 4.36528 },
  { "Antwerp Container Terminal", 51.32417, 4.34639 },
  { "Antwerp Euroterminal", 51.27306, 4.20333 },
  { "Belgian New Fruit Wharf", 51.2617, 4.3783 },
};

static void
test_gazetteer_terminals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbGazetteer) gazetteer = pb_gazetteer_load_default (&error);
  guint n_water = 0, n_docks = 0, n_quays = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (smdg); i++)
    {
      const PbPlace *place = pb_gazetteer_terminal_at (gazetteer, smdg[i].lat, smdg[i].lon);
      const PbPlace *named = pb_gazetteer_find (gazetteer, smdg[i].name);

      g_assert_nonnull (place);
      g_assert_cmpstr (place->name, ==, smdg[i].name);
      /* A partner sees an unshared item at its terminal's centroid: inside the terminal. */
      g_assert_true (named == place);
      g_assert_true (pb_place_contains (place, place->centroid.lat, place->centroid.lon));
    }
  /* In the Scheldt, and far away, there is no terminal. */
  g_assert_null (pb_gazetteer_terminal_at (gazetteer, 51.3200, 4.2660));
  g_assert_null (pb_gazetteer_terminal_at (gazetteer, 50.8503, 4.3517));
  for (guint i = 0; i < pb_gazetteer_get_n_places (gazetteer); i++)
    {
      const PbPlace *place = pb_gazetteer_get_place (gazetteer, i);
      n_water += place->kind == PB_PLACE_WATER;
      n_docks += place->kind == PB_PLACE_DOCK;
      n_quays += place->kind == PB_PLACE_QUAY;
    }
  g_assert_cmpuint (n_water, >=, 1);
  g_assert_cmpuint (n_docks, >=, 5);
  g_assert_cmpuint (n_quays, ==, G_N_ELEMENTS (smdg));
}

static void
test_point_in_polygon (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pb_test_tmp_path ("holes.geojson");
  g_autoptr(PbGazetteer) gazetteer = NULL;
  const PbPlace *ring;
  /* A square terminal with a square hole (a tank farm inside it, say). */
  const char *json =
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\","
    " \"properties\": {\"name\": \"Ring\", \"kind\": \"terminal\"},"
    " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
    "  [[4.0, 51.0], [4.1, 51.0], [4.1, 51.1], [4.0, 51.1], [4.0, 51.0]],"
    "  [[4.04, 51.04], [4.06, 51.04], [4.06, 51.06], [4.04, 51.06], [4.04, 51.04]]]}}]}";

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  gazetteer = pb_gazetteer_load (path, &error);
  g_assert_no_error (error);
  ring = pb_gazetteer_get_place (gazetteer, 0);
  g_assert_true (pb_place_contains (ring, 51.02, 4.02));
  g_assert_false (pb_place_contains (ring, 51.05, 4.05));   /* in the hole */
  g_assert_false (pb_place_contains (ring, 51.2, 4.05));
  g_assert_false (pb_place_contains (ring, 51.05, 3.99));
  g_assert_cmpfloat_with_epsilon (ring->centroid.lon, 4.05, 1e-9);
  g_assert_cmpfloat_with_epsilon (ring->centroid.lat, 51.05, 1e-9);
  g_unlink (path);
}

static void
test_gazetteer_errors (void)
{
  static const char *bad[] = {
    "not json at all",
    "{\"type\": \"Feature\"}",
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"name\": \"X\","
    " \"kind\": \"castle\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [4, 51]}}]}",
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"name\": \"X\","
    " \"kind\": \"dock\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[4, 51], [4.1, 51], [4, 51]]]}}]}",
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"kind\": \"dock\"},"
    " \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[4, 51], [4.1, 51], [4.1, 51.1], [4, 51]]]}}]}",
    "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"name\": \"X\","
    " \"kind\": \"quay\"}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[400, 51], [4.1, 51]]}}]}",
  };
  g_autofree char *path = pb_test_tmp_path ("bad.geojson");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PbGazetteer) gazetteer = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      gazetteer = pb_gazetteer_load (path, &error);
      g_assert_null (gazetteer);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
    }
  g_unlink (path);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static const char *good_metadata[] = {
  "name", "Test map", "format", "png", "bounds", "4.0,51.0,4.5,51.5", "center", "4.25,51.25,12",
  "minzoom", "10", "maxzoom", "12", "attribution", "Test", NULL,
};

static char *
make_mbtiles (const char  *name,
              const char **metadata)
{
  g_autoptr(GError) error = NULL;
  char *path = pb_test_tmp_path (name);
  g_autoptr(PbMbtiles) out = pb_mbtiles_create (path, metadata, &error);

  g_assert_no_error (error);
  for (int y = 0; y < 4; y++)
    {
      g_autoptr(GBytes) tile = g_bytes_new_take (g_strdup_printf ("tile 2/1/%d", y), strlen ("tile 2/1/0"));
      g_assert_true (pb_mbtiles_put_tile (out, 2, 1, y, tile, &error));
    }
  g_assert_true (pb_mbtiles_finish (out, &error));
  return path;
}

/* Rows are stored from the south (TMS) and asked for from the north (XYZ). */
static void
test_mbtiles_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_mbtiles ("rows.mbtiles", good_metadata);
  g_autoptr(PbMbtiles) map = pb_mbtiles_open (path, &error);
  double w, s, e, n, lat, lon;
  int zoom;
  sqlite3 *raw;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpstr (pb_mbtiles_get_name (map), ==, "Test map");
  g_assert_cmpstr (pb_mbtiles_get_format (map), ==, "png");
  g_assert_cmpstr (pb_mbtiles_get_attribution (map), ==, "Test");
  pb_mbtiles_get_bounds (map, &w, &s, &e, &n);
  g_assert_cmpfloat (w, ==, 4.0);
  g_assert_cmpfloat (n, ==, 51.5);
  pb_mbtiles_get_center (map, &lat, &lon, &zoom);
  g_assert_cmpfloat (lat, ==, 51.25);
  g_assert_cmpfloat (lon, ==, 4.25);
  g_assert_cmpint (zoom, ==, 12);
  g_assert_cmpint (pb_mbtiles_get_min_zoom (map), ==, 10);
  g_assert_cmpint (pb_mbtiles_get_max_zoom (map), ==, 12);

  for (int y = 0; y < 4; y++)
    {
      g_autoptr(GBytes) tile = pb_mbtiles_get_tile (map, 2, 1, y, &error);
      g_autofree char *want = g_strdup_printf ("tile 2/1/%d", y);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (tile, NULL), g_bytes_get_size (tile), want, strlen (want));
    }

  /* In the file, XYZ row 0 (the north) is TMS row 3. */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  sqlite3_prepare_v2 (raw, "SELECT tile_data FROM tiles WHERE zoom_level = 2 AND tile_column = 1 AND tile_row = 3",
                      -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0), "tile 2/1/0", 10);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

  /* No tile there, or outside the world. */
  g_assert_null (pb_mbtiles_get_tile (map, 2, 0, 0, &error));
  g_assert_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NO_TILE);
  g_clear_error (&error);
  g_assert_null (pb_mbtiles_get_tile (map, 2, 4, 0, &error));
  g_assert_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NO_TILE);
  g_clear_error (&error);
  g_assert_null (pb_mbtiles_get_tile (map, -1, 0, 0, &error));
  g_assert_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NO_TILE);
  g_clear_error (&error);

  g_clear_pointer (&map, pb_mbtiles_free);
  g_unlink (path);
}

static void
expect_error (const char *path,
              int         code,
              const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMbtiles) map = pb_mbtiles_open (path, &error);

  g_assert_null (map);
  g_assert_error (error, PB_MBTILES_ERROR, code);
  g_test_message ("%s", error->message);
  if (in_message)
    g_assert_nonnull (strstr (error->message, in_message));
}

/* Every kind of broken file gets a message that names the problem, and is left as it was. */
static void
test_mbtiles_broken (void)
{
  g_autofree char *missing = pb_test_tmp_path ("missing.mbtiles");
  g_autofree char *empty = pb_test_tmp_path ("empty.mbtiles");
  g_autofree char *text = pb_test_tmp_path ("text.mbtiles");
  g_autofree char *other = pb_test_tmp_path ("other.sqlite");
  g_autofree char *vector = NULL, *no_meta = NULL, *bad_bounds = NULL, *bad_zoom = NULL, *webp = NULL;
  g_autofree char *digest = NULL, *digest_after = NULL;
  sqlite3 *raw;
  const char *vector_meta[] = { "name", "Vector", "format", "pbf", "bounds", "4,51,5,52", "center", "4.5,51.5,10",
                                "minzoom", "0", "maxzoom", "14", NULL };
  const char *no_meta_list[] = { "name", "Partial", "format", "png", "minzoom", "10", "maxzoom", "12", NULL };
  const char *bad_bounds_list[] = { "name", "Bad", "format", "png", "bounds", "4.5,51,4.0,52", "center", "4.2,51.5,10",
                                    "minzoom", "10", "maxzoom", "12", NULL };
  const char *bad_zoom_list[] = { "name", "Bad", "format", "png", "bounds", "4,51,5,52", "center", "4.5,51.5,10",
                                  "minzoom", "12", "maxzoom", "10", NULL };
  const char *webp_list[] = { "name", "Webp", "format", "webp", "bounds", "4,51,5,52", "center", "4.5,51.5,10",
                              "minzoom", "10", "maxzoom", "12", NULL };

  expect_error (missing, PB_MBTILES_ERROR_NOT_FOUND, NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  expect_error (empty, PB_MBTILES_ERROR_NOT_SQLITE, "not a map file");
  g_assert_true (g_file_set_contents (text, "name,format\nmap,png\n", -1, NULL));
  expect_error (text, PB_MBTILES_ERROR_NOT_SQLITE, "not a map file");

  g_assert_cmpint (sqlite3_open (other, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE tiles (a); CREATE TABLE other (b)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  digest = pb_test_file_digest (other);
  expect_error (other, PB_MBTILES_ERROR_NOT_MBTILES, "not an MBTiles map");
  digest_after = pb_test_file_digest (other);
  g_assert_cmpstr (digest, ==, digest_after);

  vector = make_mbtiles ("vector.mbtiles", vector_meta);
  expect_error (vector, PB_MBTILES_ERROR_VECTOR, "vector tiles");
  no_meta = make_mbtiles ("partial.mbtiles", no_meta_list);
  expect_error (no_meta, PB_MBTILES_ERROR_METADATA, "bounds, center");
  bad_bounds = make_mbtiles ("bounds.mbtiles", bad_bounds_list);
  expect_error (bad_bounds, PB_MBTILES_ERROR_METADATA, "bounds");
  bad_zoom = make_mbtiles ("zoom.mbtiles", bad_zoom_list);
  expect_error (bad_zoom, PB_MBTILES_ERROR_METADATA, "maxzoom");
  webp = make_mbtiles ("webp.mbtiles", webp_list);
  expect_error (webp, PB_MBTILES_ERROR_METADATA, "format");

  g_unlink (empty);
  g_unlink (text);
  g_unlink (other);
  g_unlink (vector);
  g_unlink (no_meta);
  g_unlink (bad_bounds);
  g_unlink (bad_zoom);
  g_unlink (webp);
}

/* The basemap built from the gazetteer: a valid raster MBTiles over the port, whose tile
 * at a terminal is drawn (not the plain land of a tile away from the port). */
static void
test_built_basemap (void)
{
  const char *path = g_getenv ("PORTBOARD_BUILT_BASEMAP");
  g_autoptr(GError) error = NULL;
  g_autoptr(PbMbtiles) map = NULL;
  g_autoptr(GBytes) terminal = NULL;
  g_autoptr(GBytes) corner = NULL;
  double w, s, e, n;
  int zoom = 15, x, y;
  double lat = 51.29278, lon = 4.25750;   /* MPET */

  g_assert_nonnull (path);
  map = pb_mbtiles_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pb_mbtiles_get_min_zoom (map), ==, 10);
  g_assert_cmpint (pb_mbtiles_get_max_zoom (map), ==, 17);
  pb_mbtiles_get_bounds (map, &w, &s, &e, &n);
  for (guint i = 0; i < G_N_ELEMENTS (smdg); i++)
    {
      g_assert_cmpfloat (smdg[i].lon, >, w);
      g_assert_cmpfloat (smdg[i].lon, <, e);
      g_assert_cmpfloat (smdg[i].lat, >, s);
      g_assert_cmpfloat (smdg[i].lat, <, n);
    }

  x = (int) ((lon + 180) / 360 * (1 << zoom));
  y = (int) ((1 - log (tan (lat * G_PI / 180) + 1 / cos (lat * G_PI / 180)) / G_PI) / 2 * (1 << zoom));
  terminal = pb_mbtiles_get_tile (map, zoom, x, y, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (terminal, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  x = (int) ((w + 180) / 360 * (1 << zoom));
  y = (int) ((1 - log (tan (n * G_PI / 180) + 1 / cos (n * G_PI / 180)) / G_PI) / 2 * (1 << zoom));
  corner = pb_mbtiles_get_tile (map, zoom, x, y, &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (terminal, corner));
}

/* One tile of a colour, as a PNG. */
static GBytes *
solid_png (double r,
           double g,
           double b)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PB_MAP_TILE_SIZE, PB_MAP_TILE_SIZE);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  cairo_surface_flush (surface);
  return ((guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)))[x] & 0xffffff;
}

/* A snapshot puts each tile where the map has it: at zoom 1 the north-east tile is red,
 * the others blue, and the red one must be drawn top right (rows are flipped in the file). */
static void
test_snapshot_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pb_test_tmp_path ("quadrants.mbtiles");
  g_autofree char *png_path = pb_test_tmp_path ("quadrants.png");
  const char *metadata[] = { "name", "Quadrants", "format", "png", "bounds", "-180,-85,180,85",
                             "center", "0,0,1", "minzoom", "1", "maxzoom", "1", NULL };
  g_autoptr(PbMbtiles) out = pb_mbtiles_create (path, metadata, &error);
  g_autoptr(PbMbtiles) map = NULL;
  g_autoptr(PbMapRenderer) renderer = NULL;
  cairo_surface_t *shot;
  PbMapView view;

  g_assert_no_error (error);
  for (int x = 0; x < 2; x++)
    for (int y = 0; y < 2; y++)
      {
        g_autoptr(GBytes) tile = x == 1 && y == 0 ? solid_png (1, 0, 0) : solid_png (0, 0, 1);
        g_assert_true (pb_mbtiles_put_tile (out, 1, x, y, tile, &error));
      }
  g_assert_true (pb_mbtiles_finish (out, &error));

  map = pb_mbtiles_open (path, &error);
  g_assert_no_error (error);
  renderer = pb_map_renderer_new (map);
  pb_map_view_init (&view, 0, 0, 1, 512, 512);
  g_assert_true (pb_map_snapshot (renderer, &view, NULL, 0, png_path, &error));
  g_assert_no_error (error);
  shot = cairo_image_surface_create_from_png (png_path);
  g_assert_cmpint (cairo_surface_status (shot), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (shot), ==, 512);
  g_assert_cmphex (pixel (shot, 400, 100), ==, 0xff0000);   /* north-east */
  g_assert_cmphex (pixel (shot, 100, 100), ==, 0x0000ff);
  g_assert_cmphex (pixel (shot, 400, 400), ==, 0x0000ff);
  g_assert_cmphex (pixel (shot, 100, 400), ==, 0x0000ff);
  cairo_surface_destroy (shot);

  /* Zoomed in past the file's last level, the red tile is scaled up: still north-east. */
  pb_map_view_init (&view, 40, 90, 2, 256, 256);
  g_assert_true (pb_map_snapshot (renderer, &view, NULL, 0, png_path, &error));
  shot = cairo_image_surface_create_from_png (png_path);
  g_assert_cmphex (pixel (shot, 128, 128), ==, 0xff0000);
  cairo_surface_destroy (shot);

  g_clear_pointer (&renderer, pb_map_renderer_free);
  g_clear_pointer (&map, pb_mbtiles_free);
  g_unlink (path);
  g_unlink (png_path);
}

/* Markers: one incident is drawn in its kind's colour; many close together are one bubble;
 * far apart, two. Points outside the view are left out. */
static void
test_clusters (void)
{
  PbMapView view;
  PbMapPoint points[5];
  g_autoptr(GArray) clusters = NULL;
  double world = PB_MAP_TILE_SIZE * (double) (1 << 14);
  guint total = 0;

  pb_map_view_init (&view, 51.29, 4.26, 14, 800, 600);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      points[i].kind = PB_INCIDENT_SEIZURE;
      points[i].tlp = PB_TLP_GREEN;
      points[i].index = i;
    }
  /* Three within 10 pixels of the centre (one AMBER), one 200 pixels east, one off screen. */
  points[0].x = view.x, points[0].y = view.y;
  points[1].x = view.x + 6 / world, points[1].y = view.y + 4 / world;
  points[2].x = view.x - 5 / world, points[2].y = view.y + 8 / world, points[2].tlp = PB_TLP_AMBER;
  points[3].x = view.x + 200 / world, points[3].y = view.y;
  points[4].x = view.x + 2000 / world, points[4].y = view.y;

  clusters = pb_map_cluster (&view, points, G_N_ELEMENTS (points), 48);
  g_assert_cmpuint (clusters->len, ==, 2);
  for (guint i = 0; i < clusters->len; i++)
    {
      PbMapCluster *c = &g_array_index (clusters, PbMapCluster, i);

      total += c->count;
      if (c->count == 3)
        {
          g_assert_cmpfloat (fabs (c->px - 400), <, 10);
          g_assert_cmpfloat (fabs (c->py - 300), <, 10);
          g_assert_cmpint (c->tlp, ==, PB_TLP_AMBER);   /* the strictest */
        }
      else
        {
          g_assert_cmpuint (c->count, ==, 1);
          g_assert_cmpfloat (fabs (c->px - 600), <, 1);
        }
    }
  g_assert_cmpuint (total, ==, 4);

  /* A single marker has its kind's colour at its centre. */
  {
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 600);
    cairo_t *cr = cairo_create (surface);
    g_autoptr(GArray) one = pb_map_cluster (&view, &points[3], 1, 48);
    double r, g, b;
    guint32 want;

    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    pb_map_draw_markers (cr, &view, &points[3], one);
    cairo_destroy (cr);
    pb_map_kind_colour (PB_INCIDENT_SEIZURE, &r, &g, &b);
    want = (guint32) (r * 255 + 0.5) << 16 | (guint32) (g * 255 + 0.5) << 8 | (guint32) (b * 255 + 0.5);
    g_assert_cmphex (pixel (surface, 600 - 6, 300), ==, want);
    cairo_surface_destroy (surface);
  }
}

/* The density layer: seized kilograms as red under their cell; nothing where none was. */
static void
test_density (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 320, 320);
  cairo_t *cr = cairo_create (surface);
  PbMapView view;
  PbMapPoint points[2] = { { 0 } };
  guint32 hot, cold;

  pb_map_view_init (&view, 51.29, 4.26, 14, 320, 320);
  points[0].x = view.x, points[0].y = view.y, points[0].kind = PB_INCIDENT_SEIZURE, points[0].weight = 1200;
  points[1].x = view.x + 100 / view.world, points[1].y = view.y, points[1].kind = PB_INCIDENT_ARREST;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  pb_map_draw_density (cr, &view, points, G_N_ELEMENTS (points));
  cairo_destroy (cr);
  hot = pixel (surface, 160, 160);
  cold = pixel (surface, 262, 160);
  g_assert_cmpuint ((hot >> 16) & 0xff, >, ((hot >> 8) & 0xff) + 40);   /* red over green */
  g_assert_cmphex (cold, ==, 0xffffff);                                /* an arrest weighs nothing */
  cairo_surface_destroy (surface);
}

static void
test_tile_url (void)
{
  g_assert_true (pb_tile_url_is_valid ("https://tiles.example.org/{z}/{x}/{y}.png"));
  g_assert_true (pb_tile_url_is_valid ("http://10.0.0.5:8080/osm/{z}/{x}/{y}.jpg"));
  g_assert_false (pb_tile_url_is_valid (""));
  g_assert_false (pb_tile_url_is_valid ("https://tiles.example.org/{z}/{x}.png"));
  g_assert_false (pb_tile_url_is_valid ("file:///srv/tiles/{z}/{x}/{y}.png"));
  g_assert_false (pb_tile_url_is_valid ("https://tiles example/{z}/{x}/{y}.png"));
  g_assert_false (pb_tile_url_is_valid (NULL));
}

/* The map of a partner: what is not shared with them by name sits at its terminal. */
static void
test_partner_precision (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbGazetteer) gazetteer = pb_gazetteer_load_default (&error);
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  const PbPlace *mpet = pb_gazetteer_find (gazetteer, "MPET Deurganck Dock");
  const char *kinds[] = { "CLEAR", "AMBER" };

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Seizure at MPET", "CLEAR", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(PbRecord) r = pb_record_new ("incidents", NULL);

      pb_record_set_string (r, "kind", "seizure");
      pb_record_set_int (r, "occurred_at", 1790000000 + i);
      pb_record_set_double (r, "lat", 51.2950);
      pb_record_set_double (r, "lon", 4.2500);
      pb_record_set_string (r, "source_org", db.org_police);
      pb_record_set_string (r, "tlp", kinds[i]);
      pb_record_set_string (r, "item", item);
      g_assert_true (pb_store_write (db.store, PB_OP_INSERT, r, &error));
      g_assert_no_error (error);
    }

  /* The police see both, exactly, with their terminal found by its polygon. */
  seen = pb_store_list_map_incidents (db.store, 0, gazetteer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_true (((PbMapIncident *) seen->pdata[0])->exact);
  g_assert_cmpfloat (((PbMapIncident *) seen->pdata[0])->lat, ==, 51.2950);
  g_assert_cmpstr (((PbMapIncident *) seen->pdata[0])->terminal, ==, "MPET Deurganck Dock");
  g_clear_pointer (&seen, g_ptr_array_unref);

  /* The partner sees the CLEAR one only, at the terminal's centroid. */
  pb_store_set_actor (db.store, db.partner, &error);
  seen = pb_store_list_map_incidents (db.store, 0, gazetteer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_false (((PbMapIncident *) seen->pdata[0])->exact);
  g_assert_cmpfloat (((PbMapIncident *) seen->pdata[0])->lat, ==, mpet->centroid.lat);
  g_assert_cmpfloat (((PbMapIncident *) seen->pdata[0])->lon, ==, mpet->centroid.lon);
  g_clear_pointer (&seen, g_ptr_array_unref);

  /* A located CLEAR report: the partner sees it too, at its terminal's centroid. */
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", item);
    g_autoptr(GPtrArray) items = NULL;

    pb_store_set_actor (db.store, db.officer, &error);
    pb_record_set_double (r, "lat", 51.2940);
    pb_record_set_double (r, "lon", 4.2510);
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
    g_assert_no_error (error);
    items = pb_store_list_map_items (db.store, 0, gazetteer, &error);
    g_assert_cmpuint (items->len, ==, 1);
    g_assert_true (((PbMapIncident *) items->pdata[0])->is_item);
    g_assert_true (((PbMapIncident *) items->pdata[0])->exact);
    g_assert_cmpstr (((PbMapIncident *) items->pdata[0])->title, ==, "Seizure at MPET");
    g_clear_pointer (&items, g_ptr_array_unref);
    pb_store_set_actor (db.store, db.partner, &error);
    items = pb_store_list_map_items (db.store, 0, gazetteer, &error);
    g_assert_cmpuint (items->len, ==, 1);
    g_assert_false (((PbMapIncident *) items->pdata[0])->exact);
    g_assert_cmpfloat (((PbMapIncident *) items->pdata[0])->lat, ==, mpet->centroid.lat);
    g_assert_cmpstr (((PbMapIncident *) items->pdata[0])->terminal, ==, "MPET Deurganck Dock");
  }

  /* The item shared with the partner by name: its incidents, exactly (the AMBER one too,
   * as its organisation shared the item). */
  {
    g_autoptr(PbRecord) share = pb_record_new ("item_shares", NULL);

    pb_store_set_actor (db.store, db.officer, &error);
    pb_record_set_string (share, "item", item);
    pb_record_set_string (share, "org", db.org_partner);
    g_assert_true (pb_store_write (db.store, PB_OP_INSERT, share, &error));
    pb_store_set_actor (db.store, db.partner, &error);
    seen = pb_store_list_map_incidents (db.store, 0, gazetteer, &error);
    g_assert_cmpuint (seen->len, ==, 2);
    for (guint i = 0; i < seen->len; i++)
      {
        g_assert_true (((PbMapIncident *) seen->pdata[i])->exact);
        g_assert_cmpfloat (((PbMapIncident *) seen->pdata[i])->lat, ==, 51.2950);
      }
  }
  pb_test_db_clear (&db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/unit/map/gazetteer-terminals", test_gazetteer_terminals);
  g_test_add_func ("/unit/map/point-in-polygon", test_point_in_polygon);
  g_test_add_func ("/unit/map/gazetteer-errors", test_gazetteer_errors);
  g_test_add_func ("/unit/map/mbtiles-rows", test_mbtiles_rows);
  g_test_add_func ("/unit/map/mbtiles-broken", test_mbtiles_broken);
  g_test_add_func ("/unit/map/built-basemap", test_built_basemap);
  g_test_add_func ("/unit/map/snapshot-rows", test_snapshot_rows);
  g_test_add_func ("/unit/map/clusters", test_clusters);
  g_test_add_func ("/unit/map/density", test_density);
  g_test_add_func ("/unit/map/tile-url", test_tile_url);
  g_test_add_func ("/unit/map/partner-precision", test_partner_precision);

  return g_test_run ();
}
