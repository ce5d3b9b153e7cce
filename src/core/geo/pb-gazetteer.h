/* pb-gazetteer.h: the named places of a port (water, docks, quays, terminals)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PB_PLACE_WATER,
  PB_PLACE_DOCK,
  PB_PLACE_QUAY,
  PB_PLACE_TERMINAL,
  PB_PLACE_AREA,       /* an industrial or port area on land */
  PB_N_PLACE_KINDS
} PbPlaceKind;

typedef struct
{
  double lon;
  double lat;
} PbPoint;

typedef struct
{
  char        *name;
  PbPlaceKind  kind;
  GArray      *rings;    /* of GArray of PbPoint: the outer ring first, then holes; a quay is one line */
  double       west, south, east, north;
  PbPoint      centroid; /* of the outer ring */
} PbPlace;

typedef struct _PbGazetteer PbGazetteer;

PbGazetteer   *pb_gazetteer_load          (const char   *path,
                                           GError      **error);
PbGazetteer   *pb_gazetteer_load_default  (GError      **error);
void           pb_gazetteer_free          (PbGazetteer  *self);
guint          pb_gazetteer_get_n_places  (PbGazetteer  *self);
const PbPlace *pb_gazetteer_get_place     (PbGazetteer  *self,
                                           guint         index);
const PbPlace *pb_gazetteer_terminal_at   (PbGazetteer  *self,
                                           double        lat,
                                           double        lon);
const PbPlace *pb_gazetteer_find          (PbGazetteer  *self,
                                           const char   *name);
gboolean       pb_place_contains          (const PbPlace *place,
                                           double        lat,
                                           double        lon);
const char    *pb_place_kind_to_string    (PbPlaceKind   kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbGazetteer, pb_gazetteer_free)

G_END_DECLS
