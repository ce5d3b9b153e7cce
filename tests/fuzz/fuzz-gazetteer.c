/* fuzz-gazetteer.c: reading a port's gazetteer (GeoJSON), pb_gazetteer_load(), and asking
 * it what the map and the store ask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the file. When it reads, every place is measured, looked up by name, and
 * asked whether its centroid and its corners are in it, and which terminal is there.
 * Besides the sanitizers: a refused file says why, and every place has a name, a known
 * kind, at least one ring and a bounding box in degrees.
 */

#include "fuzz-util.h"
#include "pb-gazetteer.h"

static char *path;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PbGazetteer) gazetteer = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    fuzz_init ();
  g_free (path);
  path = fuzz_write_temp ("gazetteer.geojson", data, size);

  gazetteer = pb_gazetteer_load (path, &error);
  if (gazetteer == NULL)
    {
      g_assert (error != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < pb_gazetteer_get_n_places (gazetteer); i++)
    {
      const PbPlace *place = pb_gazetteer_get_place (gazetteer, i);

      g_assert (place->name != NULL && place->kind < PB_N_PLACE_KINDS && place->rings->len > 0);
      g_assert (pb_place_kind_to_string (place->kind) != NULL);
      g_assert (-180 <= place->west && place->west <= place->east && place->east <= 180);
      g_assert (-90 <= place->south && place->south <= place->north && place->north <= 90);
      g_assert (pb_gazetteer_find (gazetteer, place->name) != NULL);
      pb_place_contains (place, place->centroid.lat, place->centroid.lon);
      pb_place_contains (place, place->south, place->west);
      pb_place_contains (place, place->north, place->east);
      pb_gazetteer_terminal_at (gazetteer, place->centroid.lat, place->centroid.lon);
    }
  pb_gazetteer_terminal_at (gazetteer, 51.28, 4.3);
  pb_gazetteer_find (gazetteer, "Deurganck Dock");
  return 0;
}
