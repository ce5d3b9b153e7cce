/* pb-access-log-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_ACCESS_LOG_PAGE (pb_access_log_page_get_type ())
G_DECLARE_FINAL_TYPE (PbAccessLogPage, pb_access_log_page, PB, ACCESS_LOG_PAGE, GtkWidget)

void pb_access_log_page_load (PbAccessLogPage *self,
                              PbStore         *store);

G_END_DECLS
