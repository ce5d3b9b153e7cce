/* pb-incident-layer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "pb-map-render.h"

G_BEGIN_DECLS

#define PB_TYPE_INCIDENT_LAYER (pb_incident_layer_get_type ())
G_DECLARE_FINAL_TYPE (PbIncidentLayer, pb_incident_layer, PB, INCIDENT_LAYER, ShumateLayer)

PbIncidentLayer *pb_incident_layer_new          (ShumateViewport *viewport);
void             pb_incident_layer_set_incidents (PbIncidentLayer *self,
                                                  GPtrArray       *incidents);
GPtrArray       *pb_incident_layer_get_incidents (PbIncidentLayer *self);
void             pb_incident_layer_set_model     (PbIncidentLayer *self,
                                                  GListModel      *model);
gboolean         pb_incident_layer_cluster_at    (PbIncidentLayer *self,
                                                  double           x,
                                                  double           y,
                                                  PbMapCluster    *cluster);
void             pb_incident_layer_get_view      (PbIncidentLayer *self,
                                                  PbMapView       *view);
const PbMapPoint *pb_incident_layer_get_points   (PbIncidentLayer *self,
                                                  guint           *n_points);

void             pb_incident_layer_set_filter    (PbIncidentLayer *self,
                                                  PbItemSet       *filter);
char            *pb_incident_layer_get_tooltip_at (PbIncidentLayer *self,
                                                   double           x,
                                                   double           y);
void             pb_incident_layer_set_selected  (PbIncidentLayer *self,
                                                  const char      *item_id);
const char      *pb_incident_layer_get_selected  (PbIncidentLayer *self);
void             pb_incident_layer_set_density   (PbIncidentLayer *self,
                                                  gboolean         density);
gboolean         pb_incident_layer_get_density   (PbIncidentLayer *self);

G_END_DECLS
