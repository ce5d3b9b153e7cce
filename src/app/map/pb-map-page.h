/* pb-map-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-incident-layer.h"
#include "pb-context.h"
#include "pb-incident-dialog.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_MAP_PAGE (pb_map_page_get_type ())
G_DECLARE_FINAL_TYPE (PbMapPage, pb_map_page, PB, MAP_PAGE, GtkWidget)

gboolean         pb_map_page_load         (PbMapPage   *self,
                                           PbContext     *context,
                                           GSettings   *settings,
                                           GError     **error);
gboolean         pb_map_page_set_basemap  (PbMapPage   *self,
                                           const char  *path,
                                           GError     **error);
void             pb_map_page_set_filter   (PbMapPage   *self,
                                           PbItemSet   *filter);
gboolean         pb_map_page_use_online   (PbMapPage   *self,
                                           GError     **error);
gboolean         pb_map_page_export       (PbMapPage   *self,
                                           const char  *path,
                                           GError     **error);
gboolean         pb_map_page_activate_at  (PbMapPage   *self,
                                           double       x,
                                           double       y);
void             pb_map_page_new_report_at (PbMapPage  *self,
                                           double       x,
                                           double       y);
PbIncidentDialog *pb_map_page_new_incident_dialog (PbMapPage *self);
PbIncidentLayer *pb_map_page_get_layer    (PbMapPage   *self);
GtkPopover      *pb_map_page_get_popover  (PbMapPage   *self);

G_END_DECLS
