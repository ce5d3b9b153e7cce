/* pb-filter-bar.h: what the board is narrowed to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_FILTER_BAR (pb_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (PbFilterBar, pb_filter_bar, PB, FILTER_BAR, GtkWidget)

void       pb_filter_bar_load             (PbFilterBar *self,
                                           PbStore     *store);
void       pb_filter_bar_set_settings     (PbFilterBar *self,
                                           GSettings   *settings);
void       pb_filter_bar_get_filter       (PbFilterBar *self,
                                           PbFilter    *filter);
void       pb_filter_bar_clear            (PbFilterBar *self);
gboolean   pb_filter_bar_save             (PbFilterBar *self,
                                           const char  *name);
gboolean   pb_filter_bar_apply_saved      (PbFilterBar *self,
                                           const char  *name);
GtkWidget *pb_filter_bar_get_search_entry (PbFilterBar *self);

G_END_DECLS
