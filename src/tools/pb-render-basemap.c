/* pb-render-basemap.c: draws the built-in basemap from the port gazetteer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   pb-render-basemap GAZETTEER.geojson OUT.mbtiles
 *
 * Runs at build time. Every tile of zoom levels 10 to 17 over the gazetteer's extent is
 * drawn with cairo in Web Mercator (land, port areas, water and docks, terminals, quays,
 * then the names at the zoom levels where they fit) and written as PNG into an MBTiles
 * file, which the app then reads like any other offline map. Tiles that come out the
 * same (open land, open water) are encoded once.
 */

#include "config.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pb-gazetteer.h"
#include "pb-mbtiles.h"

#define TILE 256
#define MIN_ZOOM 10
#define MAX_ZOOM 17

typedef struct
{
  double r, g, b;
} Colour;

static const Colour land = { 0.949, 0.937, 0.914 };
static const Colour area = { 0.902, 0.886, 0.859 };
static const Colour water = { 0.667, 0.827, 0.875 };
static const Colour terminal_fill = { 0.820, 0.808, 0.835 };
static const Colour terminal_line = { 0.545, 0.522, 0.580 };
static const Colour quay = { 0.239, 0.220, 0.275 };
static const Colour label = { 0.180, 0.180, 0.200 };
static const Colour water_label = { 0.180, 0.369, 0.529 };

static double
lon_to_x (double lon,
          int    zoom)
{
  return (lon + 180.0) / 360.0 * TILE * (1 << zoom);
}

static double
lat_to_y (double lat,
          int    zoom)
{
  double r = lat * G_PI / 180.0;
  return (1.0 - log (tan (r) + 1.0 / cos (r)) / G_PI) / 2.0 * TILE * (1 << zoom);
}

static void
set_colour (cairo_t      *cr,
            const Colour *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static void
trace (cairo_t       *cr,
       const PbPlace *place,
       int            zoom,
       gboolean       close_path)
{
  for (guint r = 0; r < place->rings->len; r++)
    {
      GArray *ring = g_array_index (place->rings, GArray *, r);

      for (guint i = 0; i < ring->len; i++)
        {
          PbPoint *p = &g_array_index (ring, PbPoint, i);
          double x = lon_to_x (p->lon, zoom), y = lat_to_y (p->lat, zoom);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      if (close_path)
        cairo_close_path (cr);
    }
}

/* A name centred on a point, with a halo so that it reads over any fill. */
static void
draw_label (cairo_t      *cr,
            const char   *text,
            double        x,
            double        y,
            double        size,
            const Colour *colour,
            gboolean      italic)
{
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, "Sans", italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                          italic ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, size);
  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing, y - ext.height / 2 - ext.y_bearing);
  cairo_text_path (cr, text);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  set_colour (cr, colour);
  cairo_fill (cr);
}

/* Draws the map in world pixels of @zoom; the caller has moved the origin to a tile. */
static void
draw_map (cairo_t     *cr,
          PbGazetteer *gazetteer,
          int          zoom)
{
  guint n = pb_gazetteer_get_n_places (gazetteer);
  double scale = pow (2.0, zoom - 14);   /* 1 at zoom 14 */

  set_colour (cr, &land);
  cairo_paint (cr);

  for (int pass = 0; pass < 4; pass++)
    for (guint i = 0; i < n; i++)
      {
        const PbPlace *place = pb_gazetteer_get_place (gazetteer, i);

        if (pass == 0 && place->kind == PB_PLACE_AREA)
          {
            trace (cr, place, zoom, TRUE);
            set_colour (cr, &area);
            cairo_fill (cr);
          }
        else if (pass == 1 && (place->kind == PB_PLACE_WATER || place->kind == PB_PLACE_DOCK))
          {
            trace (cr, place, zoom, TRUE);
            set_colour (cr, &water);
            cairo_fill (cr);
          }
        else if (pass == 2 && place->kind == PB_PLACE_TERMINAL)
          {
            trace (cr, place, zoom, TRUE);
            set_colour (cr, &terminal_fill);
            cairo_fill_preserve (cr);
            set_colour (cr, &terminal_line);
            cairo_set_line_width (cr, MAX (0.5, MIN (2.0, 0.6 * scale)));
            cairo_stroke (cr);
          }
        else if (pass == 3 && place->kind == PB_PLACE_QUAY && zoom >= 13)
          {
            trace (cr, place, zoom, FALSE);
            set_colour (cr, &quay);
            cairo_set_line_width (cr, MIN (4.0, 1.2 * scale));
            cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
            cairo_stroke (cr);
          }
      }

  /* Names: the river from zoom 11, terminals from 13, docks from 14, quays from 16. */
  for (guint i = 0; i < n; i++)
    {
      const PbPlace *place = pb_gazetteer_get_place (gazetteer, i);
      double x = lon_to_x (place->centroid.lon, zoom), y = lat_to_y (place->centroid.lat, zoom);
      double size = CLAMP (11 + 1.5 * (zoom - 14), 9, 16);

      switch (place->kind)
        {
        case PB_PLACE_WATER:
          if (zoom >= 11)
            draw_label (cr, place->name, x, y, size, &water_label, TRUE);
          break;
        case PB_PLACE_TERMINAL:
          if (zoom >= 13)
            draw_label (cr, place->name, x, y, size, &label, FALSE);
          break;
        case PB_PLACE_DOCK:
          if (zoom >= 14)
            draw_label (cr, place->name, x, y, size - 1, &water_label, TRUE);
          break;
        case PB_PLACE_QUAY:
          if (zoom >= 16)
            draw_label (cr, place->name, x, y + 14, size - 2, &quay, FALSE);
          break;
        case PB_PLACE_AREA:
          if (zoom >= 12 && zoom <= 14)
            draw_label (cr, place->name, x, y, size + 1, &terminal_line, TRUE);
          break;
        case PB_N_PLACE_KINDS:
        default:
          break;
        }
    }
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbGazetteer) gazetteer = NULL;
  g_autoptr(PbMbtiles) out = NULL;
  g_autoptr(GHashTable) encoded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  double west = G_MAXDOUBLE, south = G_MAXDOUBLE, east = -G_MAXDOUBLE, north = -G_MAXDOUBLE;
  char bounds[128], center[96], minzoom[8], maxzoom[8];
  guint n_tiles = 0;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s GAZETTEER.geojson OUT.mbtiles\n", argv[0]);
      return 2;
    }
  gazetteer = pb_gazetteer_load (argv[1], &error);
  if (gazetteer == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < pb_gazetteer_get_n_places (gazetteer); i++)
    {
      const PbPlace *place = pb_gazetteer_get_place (gazetteer, i);

      if (place->kind == PB_PLACE_WATER)
        continue;   /* the river runs on beyond the port */
      west = MIN (west, place->west);
      south = MIN (south, place->south);
      east = MAX (east, place->east);
      north = MAX (north, place->north);
    }
  /* A margin of about a kilometre around the port. */
  west -= 0.015, east += 0.015, south -= 0.01, north += 0.01;

  g_snprintf (bounds, sizeof bounds, "%.5f,%.5f,%.5f,%.5f", west, south, east, north);
  g_snprintf (center, sizeof center, "%.5f,%.5f,%d", (west + east) / 2, (south + north) / 2, 13);
  g_snprintf (minzoom, sizeof minzoom, "%d", MIN_ZOOM);
  g_snprintf (maxzoom, sizeof maxzoom, "%d", MAX_ZOOM);
  {
    const char *metadata[] = {
      "name", "Port of Antwerp-Bruges (Portboard)",
      "format", "png",
      "type", "baselayer",
      "version", "1",
      "description", "Schematic port map drawn from the Portboard gazetteer",
      "attribution", "Portboard gazetteer, after the SMDG Terminal Code List",
      "bounds", bounds,
      "center", center,
      "minzoom", minzoom,
      "maxzoom", maxzoom,
      NULL,
    };
    out = pb_mbtiles_create (argv[2], metadata, &error);
  }
  if (out == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (int zoom = MIN_ZOOM; zoom <= MAX_ZOOM; zoom++)
    {
      int x0 = (int) floor (lon_to_x (west, zoom) / TILE), x1 = (int) floor (lon_to_x (east, zoom) / TILE);
      int y0 = (int) floor (lat_to_y (north, zoom) / TILE), y1 = (int) floor (lat_to_y (south, zoom) / TILE);

      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE, TILE);
            cairo_t *cr = cairo_create (surface);
            g_autofree char *checksum = NULL;
            GBytes *png;

            cairo_translate (cr, -x * TILE, -y * TILE);
            draw_map (cr, gazetteer, zoom);
            cairo_destroy (cr);
            cairo_surface_flush (surface);
            checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, cairo_image_surface_get_data (surface),
                                                    (gsize) cairo_image_surface_get_stride (surface) * TILE);
            png = g_hash_table_lookup (encoded, checksum);
            if (png == NULL)
              {
                GByteArray *buffer = g_byte_array_new ();
                cairo_surface_write_to_png_stream (surface, append_png, buffer);
                png = g_byte_array_free_to_bytes (buffer);
                g_hash_table_insert (encoded, g_steal_pointer (&checksum), png);
              }
            cairo_surface_destroy (surface);
            if (!pb_mbtiles_put_tile (out, zoom, x, y, png, &error))
              {
                fprintf (stderr, "%s\n", error->message);
                return 1;
              }
            n_tiles++;
          }
    }
  if (!pb_mbtiles_finish (out, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%u tiles (%u different) of zoom %d to %d, bounds %s\n", n_tiles, g_hash_table_size (encoded),
          MIN_ZOOM, MAX_ZOOM, bounds);
  return 0;
}
