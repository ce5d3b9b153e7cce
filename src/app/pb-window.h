/* pb-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_WINDOW (pb_window_get_type ())
G_DECLARE_FINAL_TYPE (PbWindow, pb_window, PB, WINDOW, AdwApplicationWindow)

PbWindow   *pb_window_new            (GtkApplication *application,
                                      GSettings      *settings,
                                      const char     *database,
                                      const char     *user);
PbStore    *pb_window_get_store      (PbWindow       *self);
const char *pb_window_get_state      (PbWindow       *self);
gboolean    pb_window_sign_in        (PbWindow       *self,
                                      const char     *person,
                                      GError        **error);

G_END_DECLS
