/* pb-hub-http.h: the HTTP status and wire code of each of the hub's errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-hub.h"

G_BEGIN_DECLS

gboolean  pb_hub_error_to_http  (const GError  *error,
                                 guint         *status,
                                 const char   **code);
char     *pb_hub_error_reply    (const GError  *error,
                                 guint         *status);

G_END_DECLS
