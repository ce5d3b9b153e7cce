/* pb-map-render.c: the port map drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for what leaves the screen: the app's PNG export and
 * `portboard-cli map snapshot` (for the meeting minutes). A view is a centre, a zoom level
 * and a size; the basemap's tiles are drawn under it (from the nearest zoom level the file
 * has, scaled), then the incidents, clustered on a grid of screen cells into count
 * bubbles. Markers have a colour and a letter per kind of incident and a ring in the
 * colour of their handling code. No GTK here: the CLI links this without it.
 */

#define G_LOG_DOMAIN "pb-map-render"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "pb-map-render.h"

#define MAX_CACHED_TILES 512

struct _PbMapRenderer
{
  PbMbtiles  *basemap;
  GHashTable *tiles;     /* "z/x/y" → cairo_surface_t (NULL for none) */
};

void
pb_map_project (double  lat,
                double  lon,
                double *x,
                double *y)
{
  double r = CLAMP (lat, -85.0511, 85.0511) * G_PI / 180.0;

  *x = (lon + 180.0) / 360.0;
  *y = (1.0 - log (tan (r) + 1.0 / cos (r)) / G_PI) / 2.0;
}

void
pb_map_unproject (double  x,
                  double  y,
                  double *lat,
                  double *lon)
{
  *lon = x * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * y))) * 180.0 / G_PI;
}

void
pb_map_view_init (PbMapView *view,
                  double     lat,
                  double     lon,
                  int        zoom,
                  int        width,
                  int        height)
{
  pb_map_project (lat, lon, &view->x, &view->y);
  view->zoom = CLAMP (zoom, 0, 22);
  view->width = width;
  view->height = height;
  view->world = (double) PB_MAP_TILE_SIZE * (double) (1 << view->zoom);
}

static inline double
world_size (const PbMapView *view)
{
  return view->world;
}

typedef struct
{
  double sum_x, sum_y;
  guint  count;
  guint  first;
  guint  kind_mask;
  PbTlp  tlp;
} Cell;

/* Handling codes from the least to the most restricted: a bubble shows the strictest. */
static int
tlp_rank (PbTlp tlp)
{
  switch (tlp)
    {
    case PB_TLP_CLEAR: return 0;
    case PB_TLP_GREEN: return 1;
    case PB_TLP_AMBER: return 2;
    case PB_TLP_AMBER_STRICT: return 3;
    case PB_TLP_RED: return 4;
    case PB_N_TLP:
    default: return 4;
    }
}

/**
 * pb_map_cluster:
 * @cell_px: the side of a grid cell in pixels
 *
 * Groups the points in the view by grid cell, in one pass over them.
 *
 * Returns: (transfer full) (element-type PbMapCluster): the clusters of the view, at the
 *   mean position of their points
 */
GArray *
pb_map_cluster (const PbMapView  *view,
                const PbMapPoint *points,
                guint             n_points,
                double            cell_px)
{
  double size = world_size (view);
  double left = view->x * size - view->width / 2.0;
  double top = view->y * size - view->height / 2.0;
  guint cols = (guint) ceil (view->width / cell_px), rows = (guint) ceil (view->height / cell_px);
  g_autofree Cell *cells = g_new0 (Cell, (gsize) cols * rows);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (PbMapCluster));

  for (guint i = 0; i < n_points; i++)
    {
      double px = points[i].x * size - left;
      double py = points[i].y * size - top;
      Cell *cell;

      if (px < 0 || py < 0 || px >= view->width || py >= view->height)
        continue;
      cell = &cells[(guint) (py / cell_px) * cols + (guint) (px / cell_px)];
      if (cell->count++ == 0)
        {
          cell->first = i;
          cell->tlp = points[i].tlp;
        }
      else if (tlp_rank (points[i].tlp) > tlp_rank (cell->tlp))
        cell->tlp = points[i].tlp;
      cell->sum_x += px;
      cell->sum_y += py;
      cell->kind_mask |= 1u << points[i].kind;
    }

  for (guint c = 0; c < cols * rows; c++)
    if (cells[c].count > 0)
      {
        PbMapCluster cluster = {
          cells[c].sum_x / cells[c].count, cells[c].sum_y / cells[c].count,
          cells[c].count, cells[c].first, cells[c].kind_mask, cells[c].tlp,
        };
        g_array_append_val (out, cluster);
      }

  /* Points near a cell border fall into two cells: clusters closer than 0.7 cell are
   * one (the grid leaves at most a few hundred, so pairs are cheap). */
  for (guint i = 0; i < out->len; i++)
    for (guint j = i + 1; j < out->len; j++)
      {
        PbMapCluster *a = &g_array_index (out, PbMapCluster, i);
        PbMapCluster *b = &g_array_index (out, PbMapCluster, j);
        double dx = a->px - b->px, dy = a->py - b->py;

        if (dx * dx + dy * dy < cell_px * cell_px * 0.5)
          {
            guint total = a->count + b->count;

            a->px = (a->px * a->count + b->px * b->count) / total;
            a->py = (a->py * a->count + b->py * b->count) / total;
            a->count = total;
            a->kind_mask |= b->kind_mask;
            if (tlp_rank (b->tlp) > tlp_rank (a->tlp))
              a->tlp = b->tlp;
            g_array_remove_index_fast (out, j);
            j = i;   /* the merged cluster may now reach others */
          }
      }
  return out;
}

#define DENSITY_CELL 32

/**
 * pb_map_draw_density:
 *
 * The density layer: kilograms seized per 32-pixel cell of the view, as soft red spots
 * whose strength grows with the logarithm of the weight (a few tonnes at one quay must
 * not hide everything else).
 */
void
pb_map_draw_density (cairo_t          *cr,
                     const PbMapView  *view,
                     const PbMapPoint *points,
                     guint             n_points)
{
  double left = view->x * view->world - view->width / 2.0;
  double top = view->y * view->world - view->height / 2.0;
  guint cols = (guint) ceil (view->width / (double) DENSITY_CELL), rows = (guint) ceil (view->height / (double) DENSITY_CELL);
  g_autofree double *kg = g_new0 (double, (gsize) cols * rows);
  double max = 0;

  for (guint i = 0; i < n_points; i++)
    {
      double px = points[i].x * view->world - left, py = points[i].y * view->world - top;
      guint c;

      if (points[i].weight <= 0 || px < 0 || py < 0 || px >= view->width || py >= view->height)
        continue;
      c = (guint) (py / DENSITY_CELL) * cols + (guint) (px / DENSITY_CELL);
      kg[c] += points[i].weight;
      max = MAX (max, kg[c]);
    }
  if (max <= 0)
    return;

  for (guint c = 0; c < cols * rows; c++)
    if (kg[c] > 0)
      {
        double cx = (c % cols + 0.5) * DENSITY_CELL, cy = (c / cols + 0.5) * DENSITY_CELL;
        double strength = 0.2 + 0.6 * log1p (kg[c]) / log1p (max);
        cairo_pattern_t *spot = cairo_pattern_create_radial (cx, cy, 0, cx, cy, DENSITY_CELL * 1.5);

        cairo_pattern_add_color_stop_rgba (spot, 0, 0.86, 0.15, 0.10, strength);
        cairo_pattern_add_color_stop_rgba (spot, 1, 0.86, 0.15, 0.10, 0);
        cairo_set_source (cr, spot);
        cairo_arc (cr, cx, cy, DENSITY_CELL * 1.5, 0, 2 * G_PI);
        cairo_fill (cr);
        cairo_pattern_destroy (spot);
      }
}

void
pb_map_kind_colour (PbIncidentKind  kind,
                    double         *r,
                    double         *g,
                    double         *b)
{
  /* Located reports (items) are PB_N_INCIDENT_KINDS here: slate blue. */
  static const double colours[][3] = {
    [PB_INCIDENT_SEIZURE] = { 0.753, 0.110, 0.157 },
    [PB_INCIDENT_BREACH] = { 0.902, 0.380, 0.000 },
    [PB_INCIDENT_EXTRACTION_ATTEMPT] = { 0.506, 0.239, 0.612 },
    [PB_INCIDENT_ARREST] = { 0.110, 0.443, 0.847 },
    [PB_INCIDENT_SUSPICIOUS_CONTAINER] = { 0.612, 0.431, 0.012 },
    [PB_INCIDENT_SEAL_ANOMALY] = { 0.149, 0.635, 0.412 },
    [PB_N_INCIDENT_KINDS] = { 0.329, 0.400, 0.525 },
  };
  guint k = kind < G_N_ELEMENTS (colours) ? kind : 0;

  *r = colours[k][0];
  *g = colours[k][1];
  *b = colours[k][2];
}

/* The ring of a marker: the TLP 2.0 colour of its handling code (CLEAR as white on black). */
static void
tlp_colour (PbTlp   tlp,
            double *r,
            double *g,
            double *b)
{
  switch (tlp)
    {
    case PB_TLP_GREEN: *r = 0.2, *g = 1.0, *b = 0.0; break;
    case PB_TLP_AMBER:
    case PB_TLP_AMBER_STRICT: *r = 1.0, *g = 0.753, *b = 0.0; break;
    case PB_TLP_RED: *r = 1.0, *g = 0.169, *b = 0.169; break;
    case PB_TLP_CLEAR:
    case PB_N_TLP:
    default: *r = 1.0, *g = 1.0, *b = 1.0; break;
    }
}

static const char *
kind_letter (PbIncidentKind kind)
{
  /* Symbols rather than words: the markers are read in any language. */
  static const char *letters[] = {
    [PB_INCIDENT_SEIZURE] = "◆", [PB_INCIDENT_BREACH] = "▲", [PB_INCIDENT_EXTRACTION_ATTEMPT] = "■",
    [PB_INCIDENT_ARREST] = "●", [PB_INCIDENT_SUSPICIOUS_CONTAINER] = "?", [PB_INCIDENT_SEAL_ANOMALY] = "!",
    [PB_N_INCIDENT_KINDS] = "i",
  };
  return kind < G_N_ELEMENTS (letters) ? letters[kind] : "•";
}

static void
centred_text (cairo_t    *cr,
              const char *text,
              double      x,
              double      y,
              double      size)
{
  cairo_text_extents_t ext;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, size);
  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - ext.width / 2 - ext.x_bearing, y - ext.height / 2 - ext.y_bearing);
  cairo_show_text (cr, text);
}

/**
 * pb_map_draw_markers:
 *
 * Draws clusters in viewport pixels: one incident as a marker of its kind, several as a
 * bubble with their number, ringed in the strictest handling code among them.
 */
void
pb_map_draw_markers (cairo_t          *cr,
                     const PbMapView  *view,
                     const PbMapPoint *points,
                     GArray           *clusters)
{
  for (guint i = 0; i < clusters->len; i++)
    {
      PbMapCluster *c = &g_array_index (clusters, PbMapCluster, i);
      double r, g, b, tr, tg, tb;
      double radius = c->count == 1 ? 9 : MIN (26, 11 + 3 * log10 (c->count) * 3);

      tlp_colour (c->tlp, &tr, &tg, &tb);
      cairo_new_path (cr);
      cairo_arc (cr, c->px, c->py, radius + 2.5, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_fill (cr);
      cairo_arc (cr, c->px, c->py, radius + 1.5, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, tr, tg, tb);
      cairo_fill (cr);
      cairo_arc (cr, c->px, c->py, radius - 0.5, 0, 2 * G_PI);
      if (c->count == 1)
        {
          pb_map_kind_colour (points[c->first].kind, &r, &g, &b);
          cairo_set_source_rgb (cr, r, g, b);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          centred_text (cr, kind_letter (points[c->first].kind), c->px, c->py, 10);
        }
      else
        {
          g_autofree char *count = g_strdup_printf ("%u", c->count);
          cairo_set_source_rgb (cr, 0.20, 0.22, 0.27);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          centred_text (cr, count, c->px, c->py, c->count < 100 ? 11 : 10);
        }
    }
}

PbMapRenderer *
pb_map_renderer_new (PbMbtiles *basemap)
{
  PbMapRenderer *self = g_new0 (PbMapRenderer, 1);

  self->basemap = basemap;
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cairo_surface_destroy);
  return self;
}

void
pb_map_renderer_free (PbMapRenderer *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tiles);
  g_free (self);
}

PbMbtiles *
pb_map_renderer_get_basemap (PbMapRenderer *self)
{
  return self->basemap;
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *reader = closure;

  if (reader->offset + length > reader->size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* A tile's image as a cairo surface: PNG directly, JPEG through GdkPixbuf. */
static cairo_surface_t *
decode_tile (GBytes *bytes)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  int w, h, n, stride, dst_stride;
  const guint8 *src;
  guint8 *dst;

  reader.data = g_bytes_get_data (bytes, &reader.size);
  if (reader.size >= 8 && memcmp (reader.data, "\x89PNG", 4) == 0)
    {
      surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        return surface;
      cairo_surface_destroy (surface);
      return NULL;
    }

  in = g_memory_input_stream_new_from_bytes (bytes);
  pixbuf = gdk_pixbuf_new_from_stream (in, NULL, NULL);
  if (pixbuf == NULL)
    return NULL;
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  n = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  src = gdk_pixbuf_read_pixels (pixbuf);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guint8 *p = src + y * stride + x * n;
        guint32 *q = (guint32 *) (dst + y * dst_stride) + x;
        *q = (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
      }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static cairo_surface_t *
get_tile (PbMapRenderer *self,
          int            z,
          int            x,
          int            y)
{
  g_autofree char *key = g_strdup_printf ("%d/%d/%d", z, x, y);
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;

  if (g_hash_table_lookup_extended (self->tiles, key, NULL, (gpointer *) &surface))
    return surface;
  bytes = pb_mbtiles_get_tile (self->basemap, z, x, y, NULL);
  surface = bytes ? decode_tile (bytes) : NULL;
  if (g_hash_table_size (self->tiles) >= MAX_CACHED_TILES)
    g_hash_table_remove_all (self->tiles);
  g_hash_table_insert (self->tiles, g_steal_pointer (&key), surface);
  return surface;
}

/* The basemap under the view, from the nearest zoom level the file has. */
static void
draw_basemap (PbMapRenderer   *self,
              cairo_t         *cr,
              const PbMapView *view)
{
  int tz = CLAMP (view->zoom, pb_mbtiles_get_min_zoom (self->basemap), pb_mbtiles_get_max_zoom (self->basemap));
  double scale = pow (2.0, view->zoom - tz);
  double tile = PB_MAP_TILE_SIZE * scale;
  /* Whole pixels: tiles drawn at fractions of a pixel show their seams. */
  double left = floor (view->x * world_size (view) - view->width / 2.0);
  double top = floor (view->y * world_size (view) - view->height / 2.0);
  int n = 1 << tz;
  int x0 = (int) floor (left / tile), x1 = (int) floor ((left + view->width) / tile);
  int y0 = (int) floor (top / tile), y1 = (int) floor ((top + view->height) / tile);

  cairo_set_source_rgb (cr, 0.871, 0.867, 0.855);
  cairo_paint (cr);
  for (int ty = MAX (y0, 0); ty <= MIN (y1, n - 1); ty++)
    for (int tx = MAX (x0, 0); tx <= MIN (x1, n - 1); tx++)
      {
        cairo_surface_t *surface = get_tile (self, tz, tx, ty);

        if (surface == NULL)
          continue;
        cairo_save (cr);
        cairo_translate (cr, tx * tile - left, ty * tile - top);
        cairo_scale (cr, scale, scale);
        cairo_set_source_surface (cr, surface, 0, 0);
        cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
        cairo_pattern_set_filter (cairo_get_source (cr), scale == 1 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_BILINEAR);
        cairo_rectangle (cr, 0, 0, PB_MAP_TILE_SIZE, PB_MAP_TILE_SIZE);
        cairo_fill (cr);
        cairo_restore (cr);
      }

  if (pb_mbtiles_get_attribution (self->basemap))
    {
      cairo_text_extents_t ext;
      const char *text = pb_mbtiles_get_attribution (self->basemap);

      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 10);
      cairo_text_extents (cr, text, &ext);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.75);
      cairo_rectangle (cr, view->width - ext.x_advance - 8, view->height - 16, ext.x_advance + 8, 16);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      cairo_move_to (cr, view->width - ext.x_advance - 4, view->height - 4);
      cairo_show_text (cr, text);
    }
}

/**
 * pb_map_render:
 *
 * Draws the view: basemap, then the incidents clustered into 48-pixel cells.
 */
void
pb_map_render (PbMapRenderer    *self,
               cairo_t          *cr,
               const PbMapView  *view,
               const PbMapPoint *points,
               guint             n_points)
{
  g_autoptr(GArray) clusters = NULL;

  draw_basemap (self, cr, view);
  clusters = pb_map_cluster (view, points, n_points, 48);
  pb_map_draw_markers (cr, view, points, clusters);
}

/**
 * pb_map_snapshot:
 *
 * Renders the view into a PNG file.
 */
gboolean
pb_map_snapshot (PbMapRenderer    *self,
                 const PbMapView  *view,
                 const PbMapPoint *points,
                 guint             n_points,
                 const char       *png_path,
                 GError          **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, view->width, view->height);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  pb_map_render (self, cr, view, points, n_points);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, png_path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the picture “%s”: %s"), png_path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * pb_map_default_basemap_path:
 *
 * Returns: (transfer full): where the built-in basemap is: $PORTBOARD_BASEMAP, the
 *   installed one, or the one of the build tree
 */
char *
pb_map_default_basemap_path (void)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "antwerp-bruges.mbtiles", NULL);

  if (g_getenv ("PORTBOARD_BASEMAP"))
    return g_strdup (g_getenv ("PORTBOARD_BASEMAP"));
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&installed);
  return g_strdup (BUILD_BASEMAP);
}

/**
 * pb_map_points_from_incidents:
 *
 * Returns: (transfer full) (element-type PbMapPoint): markers for map incidents, in order
 */
GArray *
pb_map_points_from_incidents (GPtrArray *incidents)
{
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (PbMapPoint), incidents->len);

  for (guint i = 0; i < incidents->len; i++)
    {
      PbMapIncident *n = g_ptr_array_index (incidents, i);
      PbMapPoint p = { 0, 0, n->kind, n->tlp, i, n->kind == PB_INCIDENT_SEIZURE ? n->kg : 0 };

      pb_map_project (n->lat, n->lon, &p.x, &p.y);
      g_array_append_val (points, p);
    }
  return points;
}

/**
 * pb_tile_url_is_valid:
 *
 * Whether an address is an XYZ template of online tiles: http or https, with {z}, {x}
 * and {y}.
 */
gboolean
pb_tile_url_is_valid (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
         && strstr (url, "{z}") && strstr (url, "{x}") && strstr (url, "{y}") && strchr (url, ' ') == NULL;
}
