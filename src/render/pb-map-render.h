/* pb-map-render.h: the port map drawn with cairo (the app's export and the CLI's snapshots)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "pb-mbtiles.h"
#include "pb-store.h"
#include "pb-vocab.h"

G_BEGIN_DECLS

#define PB_MAP_TILE_SIZE 256

/* A marker: a position in Web Mercator, normalised to [0, 1) (x east, y south). */
typedef struct
{
  double          x;
  double          y;
  PbIncidentKind  kind;
  PbTlp           tlp;
  guint           index;    /* the caller's own */
  double          weight;   /* kg seized, for the density layer; 0 for other incidents */
} PbMapPoint;

/* Markers close together on screen, drawn as one count bubble (or one marker). */
typedef struct
{
  double  px;               /* centre in viewport pixels */
  double  py;
  guint   count;
  guint   first;            /* index into the points of one of its markers */
  guint   kind_mask;        /* 1 << PbIncidentKind of its markers */
  PbTlp   tlp;              /* the strictest handling code among them */
} PbMapCluster;

/* What is shown: a centre, a zoom level, a size in pixels. */
typedef struct
{
  double  x;                /* centre, normalised Web Mercator */
  double  y;
  int     zoom;
  int     width;
  int     height;
  double  world;            /* pixels around the world: 256 × 2^zoom, or between levels */
} PbMapView;

void      pb_map_project        (double           lat,
                                 double           lon,
                                 double          *x,
                                 double          *y);
void      pb_map_unproject      (double           x,
                                 double           y,
                                 double          *lat,
                                 double          *lon);
void      pb_map_view_init      (PbMapView       *view,
                                 double           lat,
                                 double           lon,
                                 int              zoom,
                                 int              width,
                                 int              height);
GArray   *pb_map_cluster        (const PbMapView *view,
                                 const PbMapPoint *points,
                                 guint            n_points,
                                 double           cell_px);
/* Draws a basemap, keeping the tiles it decoded for the next frames. */
typedef struct _PbMapRenderer PbMapRenderer;

PbMapRenderer *pb_map_renderer_new   (PbMbtiles       *basemap);
void      pb_map_renderer_free  (PbMapRenderer   *self);
PbMbtiles *pb_map_renderer_get_basemap (PbMapRenderer *self);
void      pb_map_render         (PbMapRenderer   *self,
                                 cairo_t         *cr,
                                 const PbMapView *view,
                                 const PbMapPoint *points,
                                 guint            n_points);
void      pb_map_draw_markers   (cairo_t         *cr,
                                 const PbMapView *view,
                                 const PbMapPoint *points,
                                 GArray          *clusters);
void      pb_map_draw_density   (cairo_t         *cr,
                                 const PbMapView *view,
                                 const PbMapPoint *points,
                                 guint            n_points);
void      pb_map_kind_colour    (PbIncidentKind   kind,
                                 double          *r,
                                 double          *g,
                                 double          *b);
gboolean  pb_map_snapshot       (PbMapRenderer   *self,
                                 const PbMapView *view,
                                 const PbMapPoint *points,
                                 guint            n_points,
                                 const char      *png_path,
                                 GError         **error);

char     *pb_map_default_basemap_path  (void);
gboolean  pb_tile_url_is_valid         (const char *url);
GArray   *pb_map_points_from_incidents (GPtrArray *incidents);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbMapRenderer, pb_map_renderer_free)

G_END_DECLS
