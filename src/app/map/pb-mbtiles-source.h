/* pb-mbtiles-source.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "pb-mbtiles.h"

G_BEGIN_DECLS

#define PB_TYPE_MBTILES_SOURCE (pb_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (PbMbtilesSource, pb_mbtiles_source, PB, MBTILES_SOURCE, ShumateDataSource)

PbMbtilesSource  *pb_mbtiles_source_new          (PbMbtiles       *basemap);
ShumateMapSource *pb_mbtiles_source_map_source   (PbMbtilesSource *self);

G_END_DECLS
