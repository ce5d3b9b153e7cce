/* pb-mbtiles.h: raster basemaps in MBTiles files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PB_MBTILES_ERROR (pb_mbtiles_error_quark ())

typedef enum
{
  PB_MBTILES_ERROR_NOT_FOUND,        /* no such file */
  PB_MBTILES_ERROR_NOT_SQLITE,       /* the file is not an SQLite database */
  PB_MBTILES_ERROR_NOT_MBTILES,      /* an SQLite database without the MBTiles tables */
  PB_MBTILES_ERROR_VECTOR,           /* vector (pbf) tiles: this build draws raster only */
  PB_MBTILES_ERROR_METADATA,         /* metadata missing or not readable */
  PB_MBTILES_ERROR_NO_TILE,          /* the file holds no tile there */
  PB_MBTILES_ERROR_FAILED,
} PbMbtilesError;

typedef struct _PbMbtiles PbMbtiles;

GQuark      pb_mbtiles_error_quark   (void);

PbMbtiles  *pb_mbtiles_open          (const char  *path,
                                      GError     **error);
void        pb_mbtiles_free          (PbMbtiles   *self);
const char *pb_mbtiles_get_path      (PbMbtiles   *self);
const char *pb_mbtiles_get_name      (PbMbtiles   *self);
const char *pb_mbtiles_get_format    (PbMbtiles   *self);
const char *pb_mbtiles_get_attribution (PbMbtiles *self);
void        pb_mbtiles_get_bounds    (PbMbtiles   *self,
                                      double      *west,
                                      double      *south,
                                      double      *east,
                                      double      *north);
void        pb_mbtiles_get_center    (PbMbtiles   *self,
                                      double      *lat,
                                      double      *lon,
                                      int         *zoom);
int         pb_mbtiles_get_min_zoom  (PbMbtiles   *self);
int         pb_mbtiles_get_max_zoom  (PbMbtiles   *self);
GBytes     *pb_mbtiles_get_tile      (PbMbtiles   *self,
                                      int          zoom,
                                      int          x,
                                      int          y,
                                      GError     **error);

/* Writing, for the basemap renderer: a new file, its metadata, then tiles (XYZ rows). */
PbMbtiles  *pb_mbtiles_create        (const char  *path,
                                      const char * const *metadata,
                                      GError     **error);
gboolean    pb_mbtiles_put_tile      (PbMbtiles   *self,
                                      int          zoom,
                                      int          x,
                                      int          y,
                                      GBytes      *data,
                                      GError     **error);
gboolean    pb_mbtiles_finish        (PbMbtiles   *self,
                                      GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbMbtiles, pb_mbtiles_free)

G_END_DECLS
