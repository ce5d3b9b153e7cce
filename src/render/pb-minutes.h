/* pb-minutes.h: the minutes of a meeting as PDF (cairo + Pango, without GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-map-render.h"
#include "pb-meeting.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_MINUTES_ERROR (pb_minutes_error_quark ())

typedef enum
{
  PB_MINUTES_ERROR_WRITE,
} PbMinutesError;

GQuark    pb_minutes_error_quark (void);

gboolean  pb_minutes_export      (PbStore        *store,
                                  const char     *meeting_id,
                                  PbMapRenderer  *renderer,
                                  const char     *path,
                                  char          **sha256,
                                  GError        **error);
PbTlp     pb_minutes_marking     (PbStore        *store,
                                  const char     *meeting_id,
                                  GError        **error);

G_END_DECLS
