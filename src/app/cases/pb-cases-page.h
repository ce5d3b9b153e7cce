/* pb-cases-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "pb-context.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_CASES_PAGE (pb_cases_page_get_type ())
G_DECLARE_FINAL_TYPE (PbCasesPage, pb_cases_page, PB, CASES_PAGE, GtkWidget)

void         pb_cases_page_load     (PbCasesPage *self,
                                     PbContext   *context);
gboolean    pb_cases_page_show_case (PbCasesPage *self,
                                     const char  *case_id);
const char *pb_cases_page_get_case  (PbCasesPage *self);

G_END_DECLS
