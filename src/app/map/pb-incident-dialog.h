/* pb-incident-dialog.h: a new incident at a place of the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-record.h"

G_BEGIN_DECLS

#define PB_TYPE_INCIDENT_DIALOG (pb_incident_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PbIncidentDialog, pb_incident_dialog, PB, INCIDENT_DIALOG, AdwMessageDialog)

PbIncidentDialog *pb_incident_dialog_new          (GtkWindow        *parent,
                                                   double            lat,
                                                   double            lon,
                                                   const char       *terminal);
PbRecord         *pb_incident_dialog_build_record (PbIncidentDialog *self,
                                                   const char       *source_org,
                                                   gint64            occurred_at);

G_END_DECLS
