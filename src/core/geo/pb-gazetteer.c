/* pb-gazetteer.c: the named places of a port, from GeoJSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gazetteer is a GeoJSON FeatureCollection: polygons of water, docks, terminals and
 * port areas, and quays as lines, each with the properties "name" and "kind". It gives
 * items and incidents their terminal (point in polygon), a partner's coarse position (a
 * terminal's centroid) and the built-in basemap its shapes and labels. The one of
 * Antwerp-Bruges is built into the library.
 */

#define G_LOG_DOMAIN "pb-gazetteer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "pb-core-resources.h"
#include "pb-gazetteer.h"
#include "pb-util.h"

struct _PbGazetteer
{
  GPtrArray *places;   /* PbPlace */
};

static const char *kind_names[PB_N_PLACE_KINDS] = { "water", "dock", "quay", "terminal", "area" };

const char *
pb_place_kind_to_string (PbPlaceKind kind)
{
  g_return_val_if_fail (kind < PB_N_PLACE_KINDS, NULL);
  return kind_names[kind];
}

static void
place_free (PbPlace *place)
{
  g_free (place->name);
  g_array_unref (place->rings);
  g_free (place);
}

void
pb_gazetteer_free (PbGazetteer *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->places);
  g_free (self);
}

/* A coordinate: a number from -@limit to @limit. */
static gboolean
read_degrees (JsonNode *node,
              double    limit,
              double   *out)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return -limit <= *out && *out <= limit;
}

static gboolean
read_ring (JsonArray *coords,
           GArray    *ring)
{
  for (guint i = 0; i < json_array_get_length (coords); i++)
    {
      JsonNode *node = json_array_get_element (coords, i);
      JsonArray *pair;
      PbPoint p;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (pair = json_node_get_array (node)) < 2
          || !read_degrees (json_array_get_element (pair, 0), 180, &p.lon)
          || !read_degrees (json_array_get_element (pair, 1), 90, &p.lat))
        return FALSE;
      g_array_append_val (ring, p);
    }
  return ring->len >= 2;
}

/* Bounding box, and the area centroid of the outer ring (its mean point for a line). */
static void
measure (PbPlace *place)
{
  GArray *outer = g_array_index (place->rings, GArray *, 0);
  double a = 0, cx = 0, cy = 0;

  place->west = place->south = G_MAXDOUBLE;
  place->east = place->north = -G_MAXDOUBLE;
  for (guint i = 0; i < outer->len; i++)
    {
      PbPoint *p = &g_array_index (outer, PbPoint, i);
      PbPoint *q = &g_array_index (outer, PbPoint, (i + 1) % outer->len);
      double cross = p->lon * q->lat - q->lon * p->lat;

      place->west = MIN (place->west, p->lon);
      place->east = MAX (place->east, p->lon);
      place->south = MIN (place->south, p->lat);
      place->north = MAX (place->north, p->lat);
      a += cross;
      cx += (p->lon + q->lon) * cross;
      cy += (p->lat + q->lat) * cross;
    }
  if (place->kind != PB_PLACE_QUAY && fabs (a) > 1e-12)
    {
      place->centroid.lon = cx / (3 * a);
      place->centroid.lat = cy / (3 * a);
    }
  else
    {
      place->centroid.lon = (place->west + place->east) / 2;
      place->centroid.lat = (place->south + place->north) / 2;
    }
}

static void
free_ring (gpointer data)
{
  g_array_unref (*(GArray **) data);
}

static PbPlace *
new_place (const char  *name,
           PbPlaceKind  kind)
{
  PbPlace *place = g_new0 (PbPlace, 1);

  place->name = g_strdup (name);
  place->kind = kind;
  place->rings = g_array_new (FALSE, FALSE, sizeof (GArray *));
  g_array_set_clear_func (place->rings, free_ring);
  return place;
}

/* One polygon (an array of rings) of a feature. */
static PbPlace *
read_polygon (const char  *name,
              PbPlaceKind  kind,
              JsonArray   *rings)
{
  PbPlace *place = new_place (name, kind);

  for (guint r = 0; r < json_array_get_length (rings); r++)
    {
      JsonNode *node = json_array_get_element (rings, r);
      GArray *ring = g_array_new (FALSE, FALSE, sizeof (PbPoint));

      g_array_append_val (place->rings, ring);
      if (!JSON_NODE_HOLDS_ARRAY (node) || !read_ring (json_node_get_array (node), ring) || ring->len < 4)
        {
          place_free (place);
          return NULL;
        }
    }
  if (place->rings->len == 0)
    {
      place_free (place);
      return NULL;
    }
  measure (place);
  return place;
}

/* A member that is an object, or NULL (json-glib's getter complains of any other). */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A member that is text, or NULL (json-glib's getter gives NULL, or complains, for others). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
invalid (GError    **error,
         const char *source,
         guint       feature,
         const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The gazetteer %s is not valid: feature %u: %s"), source, feature + 1, what);
  return FALSE;
}

static PbGazetteer *
parse (const char *data,
       gssize      length,
       const char *source,
       GError    **error)
{
  g_autoptr(PbGazetteer) self = g_new0 (PbGazetteer, 1);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *collection;
  JsonArray *features;

  self->places = g_ptr_array_new_with_free_func ((GDestroyNotify) place_free);
  root = pb_json_parse (data, length, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (string_member (collection = json_node_get_object (root), "type"), "FeatureCollection") != 0
      || !json_object_has_member (collection, "features")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (collection, "features")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The gazetteer %s is not a GeoJSON FeatureCollection"), source);
      return NULL;
    }

  features = json_object_get_array_member (collection, "features");
  for (guint f = 0; f < json_array_get_length (features); f++)
    {
      JsonNode *node = json_array_get_element (features, f);
      JsonObject *feature, *props, *geometry;
      const char *name, *kind_name, *type;
      PbPlaceKind kind = PB_N_PLACE_KINDS;
      JsonArray *coords;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, source, f, _("not an object")), NULL;
      feature = json_node_get_object (node);
      props = object_member (feature, "properties");
      geometry = object_member (feature, "geometry");
      if (props == NULL || geometry == NULL)
        return invalid (error, source, f, _("no properties or no geometry")), NULL;
      name = string_member (props, "name");
      kind_name = string_member (props, "kind");
      for (guint k = 0; k < PB_N_PLACE_KINDS; k++)
        if (g_strcmp0 (kind_name, kind_names[k]) == 0)
          kind = k;
      if (name == NULL || kind == PB_N_PLACE_KINDS)
        return invalid (error, source, f, _("a place needs a name and a known kind")), NULL;
      type = string_member (geometry, "type");
      if (!json_object_has_member (geometry, "coordinates")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (geometry, "coordinates")))
        return invalid (error, source, f, _("no coordinates")), NULL;
      coords = json_object_get_array_member (geometry, "coordinates");

      if (g_strcmp0 (type, "Polygon") == 0)
        {
          PbPlace *place = read_polygon (name, kind, coords);
          if (place == NULL)
            return invalid (error, source, f, _("a polygon needs closed rings of at least four points")), NULL;
          g_ptr_array_add (self->places, place);
        }
      else if (g_strcmp0 (type, "MultiPolygon") == 0)
        {
          for (guint p = 0; p < json_array_get_length (coords); p++)
            {
              JsonNode *poly = json_array_get_element (coords, p);
              PbPlace *place = JSON_NODE_HOLDS_ARRAY (poly) ? read_polygon (name, kind, json_node_get_array (poly)) : NULL;
              if (place == NULL)
                return invalid (error, source, f, _("a polygon needs closed rings of at least four points")), NULL;
              g_ptr_array_add (self->places, place);
            }
        }
      else if (g_strcmp0 (type, "LineString") == 0)
        {
          PbPlace *place = new_place (name, kind);
          GArray *line = g_array_new (FALSE, FALSE, sizeof (PbPoint));

          g_array_append_val (place->rings, line);
          if (!read_ring (coords, line))
            {
              place_free (place);
              return invalid (error, source, f, _("a line needs at least two points")), NULL;
            }
          measure (place);
          g_ptr_array_add (self->places, place);
        }
      else
        return invalid (error, source, f, _("the geometry is not a Polygon, MultiPolygon or LineString")), NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * pb_gazetteer_load:
 *
 * Returns: (transfer full): the places of a GeoJSON file, or %NULL with an error naming
 *   what is wrong
 */
PbGazetteer *
pb_gazetteer_load (const char *path,
                   GError    **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return parse (data, (gssize) length, path, error);
}

/**
 * pb_gazetteer_load_default:
 *
 * Returns: (transfer full): the gazetteer of the Port of Antwerp-Bruges built into Portboard
 */
PbGazetteer *
pb_gazetteer_load_default (GError **error)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (pb_core_get_resource (),
                                                    "/io/github/portboard/Portboard/gazetteer/antwerp-bruges.geojson",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  gsize length;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return parse (data, (gssize) length, "antwerp-bruges.geojson", error);
}

guint
pb_gazetteer_get_n_places (PbGazetteer *self)
{
  return self->places->len;
}

const PbPlace *
pb_gazetteer_get_place (PbGazetteer *self,
                        guint        index)
{
  g_return_val_if_fail (index < self->places->len, NULL);
  return g_ptr_array_index (self->places, index);
}

static gboolean
ring_contains (GArray *ring,
               double  lat,
               double  lon)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = ring->len - 1; i < ring->len; j = i++)
    {
      PbPoint *a = &g_array_index (ring, PbPoint, i);
      PbPoint *b = &g_array_index (ring, PbPoint, j);

      if ((a->lat > lat) != (b->lat > lat)
          && lon < (b->lon - a->lon) * (lat - a->lat) / (b->lat - a->lat) + a->lon)
        inside = !inside;
    }
  return inside;
}

/**
 * pb_place_contains:
 *
 * Whether a point is inside a place's polygon (and not in one of its holes). Lines
 * contain nothing.
 */
gboolean
pb_place_contains (const PbPlace *place,
                   double         lat,
                   double         lon)
{
  if (place->kind == PB_PLACE_QUAY || lat < place->south || lat > place->north
      || lon < place->west || lon > place->east)
    return FALSE;
  if (!ring_contains (g_array_index (place->rings, GArray *, 0), lat, lon))
    return FALSE;
  for (guint r = 1; r < place->rings->len; r++)
    if (ring_contains (g_array_index (place->rings, GArray *, r), lat, lon))
      return FALSE;
  return TRUE;
}

/**
 * pb_gazetteer_terminal_at:
 *
 * Returns: (transfer none) (nullable): the terminal at a point, or %NULL
 */
const PbPlace *
pb_gazetteer_terminal_at (PbGazetteer *self,
                          double       lat,
                          double       lon)
{
  for (guint i = 0; i < self->places->len; i++)
    {
      const PbPlace *place = g_ptr_array_index (self->places, i);

      if (place->kind == PB_PLACE_TERMINAL && pb_place_contains (place, lat, lon))
        return place;
    }
  return NULL;
}

/**
 * pb_gazetteer_find:
 *
 * Returns: (transfer none) (nullable): the first place of that name
 */
const PbPlace *
pb_gazetteer_find (PbGazetteer *self,
                   const char  *name)
{
  for (guint i = 0; name && i < self->places->len; i++)
    {
      const PbPlace *place = g_ptr_array_index (self->places, i);
      if (g_str_equal (place->name, name))
        return place;
    }
  return NULL;
}
