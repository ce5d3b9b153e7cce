/* pb-live-list.h: a list read from the store that follows it, changing only what changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-store.h"

G_BEGIN_DECLS

/* One row of a live list: a boxed record of the store (a PbCase, a PbAgendaEntry…). */
#define PB_TYPE_LIVE_ITEM (pb_live_item_get_type ())
G_DECLARE_FINAL_TYPE (PbLiveItem, pb_live_item, PB, LIVE_ITEM, GObject)

gpointer     pb_live_item_get        (PbLiveItem *self);

/* Reads the whole list, as the store gives it (a GPtrArray of records, in order). */
typedef GPtrArray  *(*PbLiveListRead) (PbStore    *store,
                                       gpointer    user_data,
                                       GError    **error);
/* A record's identity (its row id), and whether two records show the same. */
typedef const char *(*PbLiveListKey)  (gconstpointer record);
typedef gboolean    (*PbLiveListSame) (gconstpointer a,
                                       gconstpointer b);

#define PB_TYPE_LIVE_LIST (pb_live_list_get_type ())
G_DECLARE_FINAL_TYPE (PbLiveList, pb_live_list, PB, LIVE_LIST, GObject)

PbLiveList *pb_live_list_new        (PbStore            *store,
                                     const char * const *tables,
                                     PbLiveListKey       key,
                                     PbLiveListSame      same,
                                     GDestroyNotify      record_free) G_GNUC_WARN_UNUSED_RESULT;
void        pb_live_list_set_read   (PbLiveList         *self,
                                     PbLiveListRead      read,
                                     gpointer            user_data,
                                     GDestroyNotify      user_data_free);
gboolean    pb_live_list_refresh    (PbLiveList         *self,
                                     GError            **error);
gpointer    pb_live_list_get        (PbLiveList         *self,
                                     guint               position);
gpointer    pb_live_list_find       (PbLiveList         *self,
                                     const char         *key,
                                     guint              *position);
guint       pb_live_list_get_reads  (PbLiveList         *self);

G_END_DECLS
