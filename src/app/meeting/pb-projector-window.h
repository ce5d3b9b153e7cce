/* pb-projector-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-meeting.h"

G_BEGIN_DECLS

#define PB_TYPE_PROJECTOR_WINDOW (pb_projector_window_get_type ())
G_DECLARE_FINAL_TYPE (PbProjectorWindow, pb_projector_window, PB, PROJECTOR_WINDOW, AdwWindow)

PbProjectorWindow *pb_projector_window_new       (void);
void               pb_projector_window_show      (PbProjectorWindow   *self,
                                                  const char          *meeting_title,
                                                  guint                position,
                                                  guint                n_entries,
                                                  const PbAgendaEntry *entry,
                                                  gboolean             room_may_see,
                                                  GdkTexture          *map,
                                                  const char          *decisions);
const char        *pb_projector_window_get_title_text (PbProjectorWindow *self);

G_END_DECLS
