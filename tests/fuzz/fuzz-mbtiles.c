/* fuzz-mbtiles.c: opening a map file the user chose, pb_mbtiles_open(), and reading it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the file: written to a temporary file, opened and checked as the map page
 * and `portboard-cli map snapshot --basemap` do, then, when it opens, its metadata and a
 * few tiles are read as the map asks for them (the centre's, the corners of the lowest and
 * the highest zoom). Besides the sanitizers: a refused file says why with a
 * PB_MBTILES_ERROR, and what an opened file tells keeps within what a map can show.
 */

#include <math.h>

#include "fuzz-util.h"
#include "pb-mbtiles.h"

static char *path;

static void
read_tile (PbMbtiles *map,
           int        zoom,
           int        x,
           int        y)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tile = pb_mbtiles_get_tile (map, zoom, x, y, &error);

  g_assert ((tile == NULL) == (error != NULL));
  g_assert (tile != NULL || error->domain == PB_MBTILES_ERROR);
}

/* The tile at a point, as the map computes it. */
static void
tile_at (double lat,
         double lon,
         int    zoom,
         int   *x,
         int   *y)
{
  double n = (double) (1 << zoom);
  double r = lat * G_PI / 180;

  *x = (int) CLAMP (floor ((lon + 180) / 360 * n), 0, n - 1);
  *y = (int) CLAMP (floor ((1 - log (tan (r) + 1 / cos (r)) / G_PI) / 2 * n), 0, n - 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PbMbtiles) map = NULL;
  g_autoptr(GError) error = NULL;
  double west, south, east, north, lat, lon;
  int zoom, x, y;

  if (path == NULL)
    {
      fuzz_init ();
      path = g_build_filename (fuzz_tmp_dir (), "map.mbtiles", NULL);
    }
  fuzz_remove_db (path);
  g_free (fuzz_write_temp ("map.mbtiles", data, size));

  map = pb_mbtiles_open (path, &error);
  if (map == NULL)
    {
      g_assert (error != NULL && error->domain == PB_MBTILES_ERROR && error->message[0] != '\0');
      return 0;
    }
  g_assert (error == NULL);
  g_assert (pb_mbtiles_get_name (map) != NULL && pb_mbtiles_get_format (map) != NULL);
  pb_mbtiles_get_bounds (map, &west, &south, &east, &north);
  g_assert (-180 <= west && west < east && east <= 180 && -85.06 <= south && south < north && north <= 85.06);
  pb_mbtiles_get_center (map, &lat, &lon, &zoom);
  g_assert (-85.06 <= lat && lat <= 85.06 && -180 <= lon && lon <= 180 && 0 <= zoom && zoom <= 30);
  g_assert (0 <= pb_mbtiles_get_min_zoom (map) && pb_mbtiles_get_min_zoom (map) <= pb_mbtiles_get_max_zoom (map)
            && pb_mbtiles_get_max_zoom (map) <= 30);

  tile_at (lat, lon, zoom, &x, &y);
  read_tile (map, zoom, x, y);
  for (int z = pb_mbtiles_get_min_zoom (map); z <= pb_mbtiles_get_max_zoom (map); z += MAX (1, pb_mbtiles_get_max_zoom (map) - pb_mbtiles_get_min_zoom (map)))
    {
      tile_at (north, west, z, &x, &y);
      read_tile (map, z, x, y);
      tile_at (south, east, z, &x, &y);
      read_tile (map, z, x, y);
    }
  read_tile (map, 0, 0, 0);
  read_tile (map, -1, 0, 0);
  read_tile (map, 31, 0, 0);
  return 0;
}
