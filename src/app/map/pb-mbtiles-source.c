/* pb-mbtiles-source.c: libshumate tiles from an MBTiles file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate 1.0 fetches raster tiles through a ShumateDataSource. This one reads them
 * from an MBTiles file in a worker thread (one at a time: the file has one connection).
 * libshumate 1.0.3 makes the tile's picture in its handler of "received-data", so the
 * signal is emitted, in the main thread, before the data is handed over.
 */

#define G_LOG_DOMAIN "pb-mbtiles-source"

#include "config.h"

#include "pb-mbtiles-source.h"

struct _PbMbtilesSource
{
  ShumateDataSource  parent_instance;

  PbMbtiles         *basemap;   /* owned */
  GMutex             lock;
};

G_DEFINE_FINAL_TYPE (PbMbtilesSource, pb_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int x, y, zoom;
} TileRequest;

static void
read_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PbMbtilesSource *self = source_object;
  TileRequest *request = task_data;
  GError *error = NULL;
  GBytes *bytes;

  g_mutex_lock (&self->lock);
  bytes = pb_mbtiles_get_tile (self->basemap, request->zoom, request->x, request->y, &error);
  g_mutex_unlock (&self->lock);
  if (bytes)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

/* In the main thread, once the worker read the tile: libshumate 1.0.3 takes the picture
 * from "received-data", which must come before the request completes. */
static void
on_tile_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  TileRequest *request = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  GBytes *bytes = g_task_propagate_pointer (G_TASK (result), &error);

  if (bytes == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  g_signal_emit_by_name (source, "received-data", request->x, request->y, request->zoom, bytes);
  g_task_return_pointer (outer, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
pb_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *outer = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (source, cancellable, on_tile_read_cb, outer);
  TileRequest *request = g_new (TileRequest, 1);

  request->x = x;
  request->y = y;
  request->zoom = zoom_level;
  g_task_set_source_tag (outer, pb_mbtiles_source_get_tile_data_async);
  g_task_set_task_data (inner, request, g_free);
  g_task_run_in_thread (inner, read_tile_thread);
}

static GBytes *
pb_mbtiles_source_get_tile_data_finish (ShumateDataSource *source,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pb_mbtiles_source_finalize (GObject *object)
{
  PbMbtilesSource *self = PB_MBTILES_SOURCE (object);

  g_clear_pointer (&self->basemap, pb_mbtiles_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pb_mbtiles_source_parent_class)->finalize (object);
}

static void
pb_mbtiles_source_class_init (PbMbtilesSourceClass *klass)
{
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pb_mbtiles_source_finalize;
  source_class->get_tile_data_async = pb_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = pb_mbtiles_source_get_tile_data_finish;
}

static void
pb_mbtiles_source_init (PbMbtilesSource *self)
{
  g_mutex_init (&self->lock);
}

/**
 * pb_mbtiles_source_new:
 * @basemap: (transfer full): an opened MBTiles file
 */
PbMbtilesSource *
pb_mbtiles_source_new (PbMbtiles *basemap)
{
  PbMbtilesSource *self = g_object_new (PB_TYPE_MBTILES_SOURCE, NULL);

  self->basemap = basemap;
  return self;
}

/**
 * pb_mbtiles_source_map_source:
 *
 * Returns: (transfer full): a raster map source over the file, with its name, zoom
 *   levels and attribution
 */
ShumateMapSource *
pb_mbtiles_source_map_source (PbMbtilesSource *self)
{
  const char *path = pb_mbtiles_get_path (self->basemap);
  const char *attribution = pb_mbtiles_get_attribution (self->basemap);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (path, pb_mbtiles_get_name (self->basemap),
                                                               attribution ? attribution : "", "",
                                                               (guint) pb_mbtiles_get_min_zoom (self->basemap),
                                                               (guint) pb_mbtiles_get_max_zoom (self->basemap),
                                                               256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
