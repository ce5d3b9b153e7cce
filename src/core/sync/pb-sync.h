/* pb-sync.h: the client side of synchronisation with the hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine speaks the protocol of docs/sync-protocol.md through a PbTransport, which
 * carries one request to the hub and back (libsoup in src/net/; the core has no HTTP).
 * Everything here blocks: the app runs it in a worker thread, on its own PbStore.
 */

#pragma once

#include <glib-object.h>

#include "pb-store-sync.h"

G_BEGIN_DECLS

#define PB_TYPE_TRANSPORT (pb_transport_get_type ())
G_DECLARE_INTERFACE (PbTransport, pb_transport, PB, TRANSPORT, GObject)

struct _PbTransportInterface
{
  GTypeInterface parent_iface;

  /* Returns the body of the answer and sets @status, or NULL and @error when the hub
   * could not be reached at all. */
  GBytes *(*request) (PbTransport  *self,
                      const char   *method,
                      const char   *path,
                      const char   *credential,
                      GBytes       *body,
                      guint        *status,
                      GError      **error);
};

GBytes *pb_transport_request (PbTransport  *self,
                              const char   *method,
                              const char   *path,
                              const char   *credential,
                              GBytes       *body,
                              guint        *status,
                              GError      **error);

/* The members of a pulled change in the order of a pull's "rows" form (see
 * docs/sync-protocol.md), as the hub sends them. */
#define PB_SYNC_PULL_COLUMNS "[\"seq\",\"site\",\"hlc\",\"tbl\",\"row\",\"op\",\"field\",\"value\",\"author\",\"base\"]"

#define PB_SYNC_ERROR (pb_sync_error_quark ())
typedef enum
{
  PB_SYNC_ERROR_NOT_ENROLLED,  /* this database has not been enrolled with a hub */
  PB_SYNC_ERROR_UNREACHABLE,   /* no answer (network, TLS, a changed certificate) */
  PB_SYNC_ERROR_REFUSED,       /* the hub answered with an error */
  PB_SYNC_ERROR_CLOCK,         /* this device's clock is ahead of the hub's */
  PB_SYNC_ERROR_PROTOCOL,      /* the answer is not what the protocol says */
  PB_SYNC_ERROR_AUDIT,         /* the hub's audit chain does not extend what it showed before */
} PbSyncError;

GQuark pb_sync_error_quark (void);

gboolean  pb_sync_enrol          (PbStore      *store,
                                  PbTransport  *transport,
                                  const char   *token,
                                  char        **credential,
                                  GError      **error);
gboolean  pb_sync_is_enrolled    (PbStore      *store);
char     *pb_sync_enrolled_person(PbStore      *store);
gboolean  pb_sync_once           (PbStore      *store,
                                  PbTransport  *transport,
                                  const char   *credential,
                                  PbSyncStats  *stats,
                                  GError      **error);
guint     pb_sync_waiting        (PbStore      *store);
char     *pb_sync_get_hub        (PbStore      *store,
                                  char        **fingerprint);
gboolean  pb_sync_set_hub        (PbStore      *store,
                                  const char   *url,
                                  const char   *fingerprint,
                                  GError      **error);
gint64    pb_sync_last_synced    (PbStore      *store);

G_END_DECLS
