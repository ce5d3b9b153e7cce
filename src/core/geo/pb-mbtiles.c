/* pb-mbtiles.c: raster basemaps in MBTiles files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MBTiles 1.3: an SQLite database with a metadata table (name, value) and a tiles table
 * (zoom_level, tile_column, tile_row, tile_data). Rows count from the south (TMS), the
 * map's tiles from the north (XYZ): a row is flipped on the way in and out. A file is
 * checked when it is opened, so that a map never half-works: not SQLite, not MBTiles,
 * vector tiles (this build of libshumate draws raster only) or missing metadata each get
 * a message that names the problem.
 */

#define G_LOG_DOMAIN "pb-mbtiles"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "pb-mbtiles.h"

struct _PbMbtiles
{
  char         *path;
  sqlite3      *db;
  sqlite3_stmt *tile_stmt;
  sqlite3_stmt *put_stmt;
  char         *name;
  char         *format;
  char         *attribution;
  double        bounds[4];   /* west, south, east, north */
  double        center[2];   /* lat, lon */
  int           center_zoom;
  int           min_zoom;
  int           max_zoom;
};

G_DEFINE_QUARK (pb-mbtiles-error-quark, pb_mbtiles_error)

void
pb_mbtiles_free (PbMbtiles *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->tile_stmt);
  sqlite3_finalize (self->put_stmt);
  sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->name);
  g_free (self->format);
  g_free (self->attribution);
  g_free (self);
}

static gboolean
parse_doubles (const char *text,
               double     *out,
               guint       n)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, ",", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      char *end = NULL;
      g_strstrip (parts[i]);
      out[i] = g_ascii_strtod (parts[i], &end);
      /* strtod reads "nan" and "inf" too, which no bound compares with */
      if (end == parts[i] || *end != '\0' || !isfinite (out[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_zoom (const char *text,
            int        *zoom)
{
  gint64 v;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, 30, &v, NULL))
    return FALSE;
  *zoom = (int) v;
  return TRUE;
}

static gboolean
bad_metadata (GError    **error,
              const char *path,
              const char *key,
              const char *value,
              const char *expected)
{
  g_autofree char *base = g_path_get_basename (path);

  g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_METADATA,
               _("“%s”: its %s “%s” is not %s"), base, key, value, expected);
  return FALSE;
}

/* Reads and checks the metadata table. */
static gboolean
read_metadata (PbMbtiles *self,
               GError   **error)
{
  static const char *required[] = { "name", "format", "bounds", "center", "minzoom", "maxzoom" };
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *base = g_path_get_basename (self->path);
  sqlite3_stmt *stmt = NULL;
  double center[3];

  if (sqlite3_prepare_v2 (self->db, "SELECT name, value FROM metadata", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_METADATA,
                   _("“%s”: its metadata cannot be read: %s"), base, sqlite3_errmsg (self->db));
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) && sqlite3_column_text (stmt, 1))
      g_hash_table_insert (meta, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  /* Vector tiles first: such a file lacks nothing, it is of the wrong kind. */
  self->format = g_strdup (g_hash_table_lookup (meta, "format"));
  if (g_strcmp0 (self->format, "pbf") == 0)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_VECTOR,
                   _("“%s” holds vector tiles (pbf); Portboard draws raster maps (PNG or JPEG) only"), base);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (g_hash_table_lookup (meta, required[i]) == NULL)
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", required[i]);
  if (missing->len)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_METADATA,
                   _("“%s” lacks metadata that a map needs: %s"), base, missing->str);
      return FALSE;
    }

  if (g_strcmp0 (self->format, "png") != 0 && g_strcmp0 (self->format, "jpg") != 0
      && g_strcmp0 (self->format, "jpeg") != 0)
    return bad_metadata (error, self->path, "format", self->format, _("png or jpg"));
  if (!parse_doubles (g_hash_table_lookup (meta, "bounds"), self->bounds, 4)
      || self->bounds[0] < -180 || self->bounds[2] > 180 || self->bounds[0] >= self->bounds[2]
      || self->bounds[1] < -85.06 || self->bounds[3] > 85.06 || self->bounds[1] >= self->bounds[3])
    return bad_metadata (error, self->path, "bounds", g_hash_table_lookup (meta, "bounds"),
                         _("west,south,east,north in degrees"));
  if (!parse_zoom (g_hash_table_lookup (meta, "minzoom"), &self->min_zoom))
    return bad_metadata (error, self->path, "minzoom", g_hash_table_lookup (meta, "minzoom"), _("a zoom level"));
  if (!parse_zoom (g_hash_table_lookup (meta, "maxzoom"), &self->max_zoom) || self->max_zoom < self->min_zoom)
    return bad_metadata (error, self->path, "maxzoom", g_hash_table_lookup (meta, "maxzoom"),
                         _("a zoom level from minzoom up"));
  if (!parse_doubles (g_hash_table_lookup (meta, "center"), center, 3)
      || center[0] < -180 || center[0] > 180 || center[1] < -85.06 || center[1] > 85.06
      || center[2] < 0 || center[2] > 30)
    return bad_metadata (error, self->path, "center", g_hash_table_lookup (meta, "center"),
                         _("longitude,latitude,zoom"));
  self->center[0] = center[1];
  self->center[1] = center[0];
  self->center_zoom = (int) center[2];

  self->name = g_strdup (g_hash_table_lookup (meta, "name"));
  self->attribution = g_strdup (g_hash_table_lookup (meta, "attribution"));
  return TRUE;
}

/**
 * pb_mbtiles_open:
 *
 * Opens an MBTiles file read-only and checks it.
 *
 * Returns: (transfer full): the basemap, or %NULL with a #PB_MBTILES_ERROR that says what
 *   is wrong with the file
 */
PbMbtiles *
pb_mbtiles_open (const char *path,
                 GError    **error)
{
  g_autoptr(PbMbtiles) self = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  sqlite3_stmt *stmt = NULL;
  char magic[16] = { 0 };
  gsize n_read = 0;
  int n_tables = 0;

  g_return_val_if_fail (path != NULL, NULL);

  base = g_path_get_basename (path);
  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, NULL);
  if (in == NULL)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_FOUND,
                   _("“%s” cannot be read: no such file, or no permission"), path);
      return NULL;
    }
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), magic, sizeof magic, &n_read, NULL, NULL)
      || n_read < sizeof magic || memcmp (magic, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_SQLITE,
                   _("“%s” is not a map file: MBTiles maps are SQLite databases, and this is not one"), base);
      return NULL;
    }

  self = g_new0 (PbMbtiles, 1);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db,
                             "SELECT count (*) FROM sqlite_master WHERE type IN ('table', 'view')"
                             " AND name IN ('metadata', 'tiles')", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_SQLITE,
                   _("“%s” cannot be read as a database: %s"), base, sqlite3_errmsg (self->db));
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_tables = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (n_tables != 2)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_MBTILES,
                   _("“%s” is an SQLite database but not an MBTiles map: it has no metadata and tiles tables"),
                   base);
      return NULL;
    }

  if (!read_metadata (self, error))
    return NULL;

  if (sqlite3_prepare_v3 (self->db,
                          "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->tile_stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_MBTILES,
                   _("“%s”: its tiles table is not as MBTiles defines it: %s"), base, sqlite3_errmsg (self->db));
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *pb_mbtiles_get_path (PbMbtiles *self) { return self->path; }
const char *pb_mbtiles_get_name (PbMbtiles *self) { return self->name; }
const char *pb_mbtiles_get_format (PbMbtiles *self) { return self->format; }
const char *pb_mbtiles_get_attribution (PbMbtiles *self) { return self->attribution; }
int pb_mbtiles_get_min_zoom (PbMbtiles *self) { return self->min_zoom; }
int pb_mbtiles_get_max_zoom (PbMbtiles *self) { return self->max_zoom; }

void
pb_mbtiles_get_bounds (PbMbtiles *self,
                       double    *west,
                       double    *south,
                       double    *east,
                       double    *north)
{
  *west = self->bounds[0];
  *south = self->bounds[1];
  *east = self->bounds[2];
  *north = self->bounds[3];
}

void
pb_mbtiles_get_center (PbMbtiles *self,
                       double    *lat,
                       double    *lon,
                       int       *zoom)
{
  *lat = self->center[0];
  *lon = self->center[1];
  *zoom = self->center_zoom;
}

/**
 * pb_mbtiles_get_tile:
 * @y: the row counted from the north (XYZ, as maps count)
 *
 * Returns: (transfer full): the encoded image of a tile, or %NULL with
 *   %PB_MBTILES_ERROR_NO_TILE where the file has none
 */
GBytes *
pb_mbtiles_get_tile (PbMbtiles *self,
                     int        zoom,
                     int        x,
                     int        y,
                     GError   **error)
{
  GBytes *bytes = NULL;
  int rc;

  g_return_val_if_fail (self != NULL && self->tile_stmt != NULL, NULL);

  if (zoom < 0 || zoom > 30 || x < 0 || y < 0 || x >= (1 << zoom) || y >= (1 << zoom))
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NO_TILE,
                   _("There is no tile %d/%d/%d"), zoom, x, y);
      return NULL;
    }
  sqlite3_bind_int (self->tile_stmt, 1, zoom);
  sqlite3_bind_int (self->tile_stmt, 2, x);
  sqlite3_bind_int (self->tile_stmt, 3, (1 << zoom) - 1 - y);
  rc = sqlite3_step (self->tile_stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (self->tile_stmt, 0), sqlite3_column_bytes (self->tile_stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NO_TILE,
                 _("The map has no tile %d/%d/%d"), zoom, x, y);
  else
    g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_FAILED,
                 _("The map's tile %d/%d/%d cannot be read: %s"), zoom, x, y, sqlite3_errmsg (self->db));
  sqlite3_reset (self->tile_stmt);
  return bytes;
}

static gboolean
exec (PbMbtiles  *self,
      const char *sql,
      GError    **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_FAILED, _("Cannot write the map: %s"), msg);
  sqlite3_free (msg);
  return FALSE;
}

/**
 * pb_mbtiles_create:
 * @metadata: (array zero-terminated=1): name, value, name, value…
 *
 * Starts a new MBTiles file at @path (replacing one there). Tiles follow with
 * pb_mbtiles_put_tile(); pb_mbtiles_finish() writes them out.
 */
PbMbtiles *
pb_mbtiles_create (const char         *path,
                   const char * const *metadata,
                   GError            **error)
{
  g_autoptr(PbMbtiles) self = g_new0 (PbMbtiles, 1);
  sqlite3_stmt *stmt = NULL;

  self->path = g_strdup (path);
  g_unlink (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_FAILED,
                   _("Cannot create the map “%s”: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (!exec (self, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                   "CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);"
                   "CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,"
                   "  tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);"
                   "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
                   "BEGIN", error))
    return NULL;

  sqlite3_prepare_v2 (self->db, "INSERT INTO metadata (name, value) VALUES (?, ?)", -1, &stmt, NULL);
  for (guint i = 0; metadata && metadata[i] && metadata[i + 1]; i += 2)
    {
      sqlite3_bind_text (stmt, 1, metadata[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, metadata[i + 1], -1, SQLITE_STATIC);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data)"
                          " VALUES (?, ?, ?, ?)", -1, &self->put_stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_FAILED,
                   _("Cannot write the map: %s"), sqlite3_errmsg (self->db));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
pb_mbtiles_put_tile (PbMbtiles *self,
                     int        zoom,
                     int        x,
                     int        y,
                     GBytes    *data,
                     GError   **error)
{
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);
  int rc;

  g_return_val_if_fail (self->put_stmt != NULL, FALSE);

  sqlite3_bind_int (self->put_stmt, 1, zoom);
  sqlite3_bind_int (self->put_stmt, 2, x);
  sqlite3_bind_int (self->put_stmt, 3, (1 << zoom) - 1 - y);
  sqlite3_bind_blob (self->put_stmt, 4, bytes, (int) size, SQLITE_STATIC);
  rc = sqlite3_step (self->put_stmt);
  sqlite3_reset (self->put_stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_FAILED,
                   _("Cannot write the map: %s"), sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

gboolean
pb_mbtiles_finish (PbMbtiles *self,
                   GError   **error)
{
  return exec (self, "COMMIT", error);
}
