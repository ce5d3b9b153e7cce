/* pb-store-sync.h: what a replica keeps for synchronisation, and the one way pulled
 * changes enter it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine (src/core/sync/) speaks to the hub; the store keeps the state of that
 * conversation (which hub, where the pull and the push stand, the audit chain's head),
 * hands out its outbox, and applies a pulled page in one transaction: the rows, the new
 * cursor, the audit head and the access-log entry commit together, and the rows the page
 * changed are announced like any other write (PbStore::rows-changed).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "pb-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint  pushed;      /* changes the hub accepted */
  guint  rejected;    /* changes to rows this organisation no longer sees, dropped */
  guint  received;    /* entries pulled */
  guint  applied;     /* of which changed this database */
  guint  revoked;     /* rows removed because the organisation no longer sees them */
  guint  conflicts;   /* concurrent text edits kept */
  guint  quarantined; /* pulled changes this replica cannot store, kept aside */
  guint  dropped;     /* rows made here that the hub refused as another's duplicate */
  guint  waiting;     /* local changes still to push */
  gint64 cursor;      /* the hub's sequence number this database is at */
} PbSyncStats;

/* The keys of the sync state (each a string; numbers in decimal). */
#define PB_SYNC_STATE_HUB          "sync.hub"
#define PB_SYNC_STATE_FINGERPRINT  "sync.fingerprint"
#define PB_SYNC_STATE_PERSON       "sync.person"
#define PB_SYNC_STATE_CURSOR       "sync.cursor"
#define PB_SYNC_STATE_PUSHED       "sync.pushed"
#define PB_SYNC_STATE_AUDIT_SEQ    "sync.audit_seq"
#define PB_SYNC_STATE_AUDIT_HASH   "sync.audit_hash"
#define PB_SYNC_STATE_LAST_SYNCED  "sync.last_synced"

char     *pb_store_get_sync_state      (PbStore      *self,
                                        const char   *key);
gint64    pb_store_get_sync_state_int  (PbStore      *self,
                                        const char   *key);
gboolean  pb_store_set_sync_state      (PbStore      *self,
                                        const char   *key,
                                        const char   *value,
                                        GError      **error);
gboolean  pb_store_set_sync_state_int  (PbStore      *self,
                                        const char   *key,
                                        gint64        value,
                                        GError      **error);
gint64    pb_store_get_last_change     (PbStore      *self,
                                        GError      **error);

/* A change this replica made and the hub has not taken yet. */
typedef struct
{
  gint64   seq;        /* in this replica's change log */
  guint64  hlc;
  char    *tbl;
  char    *row_id;
  char    *op;         /* insert, update, delete */
  char    *field;      /* of an update */
  char    *value;      /* JSON; NULL for a delete */
  /* A text edit says which write it replaced (see docs/sync-protocol.md, "base"). */
  gboolean has_base;
  guint64  base_hlc;
  char    *base_site;
} PbOutgoingChange;

void       pb_outgoing_change_free     (PbOutgoingChange *change);
GPtrArray *pb_store_read_outbox        (PbStore      *self,
                                        const char   *author,
                                        gint64        after,
                                        guint         limit,
                                        GError      **error);
guint      pb_store_count_outbox       (PbStore      *self,
                                        const char   *author,
                                        gint64        after);

/* A change as the hub sends it (a row of the pull's "rows" form); the strings and nodes
 * belong to the page it came in. A member missing or of the wrong type is NULL (0 for the
 * clock); a null value is a value. */
typedef struct
{
  const char *site;
  guint64     hlc;
  const char *tbl;
  const char *row;
  const char *op;      /* insert, update, delete, snapshot, revoke, hit, unhit */
  const char *field;
  JsonNode   *value;
  const char *author;
  JsonObject *base;
} PbPulledChange;

/* Where a page leaves this replica: the hub's cursor after it, and the head of the hub's
 * audit chain when the engine checked it with this page. */
typedef struct
{
  gint64      cursor;
  gboolean    audit_checked;
  gint64      audit_seq;
  const char *audit_hash;
} PbPullMark;

void      pb_store_set_pulling         (PbStore              *self,
                                        gboolean              pulling);
gboolean  pb_store_apply_pulled        (PbStore              *self,
                                        const PbPulledChange *changes,
                                        guint                 n_changes,
                                        const PbPullMark     *mark,
                                        PbSyncStats          *stats,
                                        GError              **error);

gint64    pb_store_count_quarantined   (PbStore              *self);
gboolean  pb_store_drop_refused        (PbStore              *self,
                                        const char           *tbl,
                                        const char           *row,
                                        GError              **error);

/* Concurrent text edits that lost, kept until someone chooses. */
typedef struct
{
  char   *id;
  char   *tbl;
  char   *row_id;
  char   *field;
  char   *losing_value;   /* JSON */
  char   *losing_author;
  gint64  losing_at;      /* ms, from the losing write's clock */
} PbConflict;

void       pb_conflict_free             (PbConflict   *conflict);
GPtrArray *pb_store_list_conflicts      (PbStore      *self,
                                         const char   *row_id,
                                         GError      **error);
gboolean   pb_store_resolve_conflict    (PbStore      *self,
                                         const char   *conflict_id,
                                         gboolean      keep_losing,
                                         GError      **error);

char      *pb_store_export_json         (PbStore      *self,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbConflict, pb_conflict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbOutgoingChange, pb_outgoing_change_free)

G_END_DECLS
