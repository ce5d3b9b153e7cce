/* pb-hub-private.h: what the files of the hub share: the PbHub structure, its prepared
 * statements, the log entry and the internal (_pb_hub_*) functions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub is split by responsibility:
 * - pb-hub.c: the object, opening (and creating) the database, the clock, the prepared
 *   statements, transactions, and reading a row's current state;
 * - pb-hub-accounts.c: accounts, organisations and enrolment;
 * - pb-hub-audit.c: the log and the audit chain over it;
 * - pb-hub-audience.c: who may see each row (need-to-know), snapshots and revocations;
 * - pb-hub-hits.c: which organisations hold each identifier;
 * - pb-hub-push.c, pb-hub-pull.c: the two sync requests;
 * - pb-hub-wire.c: reading requests and writing answers (JSON);
 * - pb-hub-http.c: each error's HTTP status and code (the one table of them).
 *
 * Errors: every request and every decision fails with a GError of PB_HUB_ERROR. Helpers
 * that only write rows return FALSE (or 0) when SQLite fails, and the request that called
 * them says what could not be done: the messages clients see are the protocol's.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pb-hub.h"
#include "pb-row-check.h"
#include "pb-rules.h"
#include "pb-schema.h"
#include "pb-util.h"

G_BEGIN_DECLS

/* Every statement the hub runs, prepared once by pb_hub_open (the SQL is in pb-hub.c). */
typedef enum
{
  PB_HUB_STMT_META_GET,
  PB_HUB_STMT_META_SET,
  PB_HUB_STMT_DATA_VERSION,
  PB_HUB_STMT_LAST_SEQ,
  PB_HUB_STMT_FIELD_GET,
  PB_HUB_STMT_ROW_STATE,
  PB_HUB_STMT_CHILDREN,
  /* accounts */
  PB_HUB_STMT_ORGS_LOAD,
  PB_HUB_STMT_ORG_BY_NAME,
  PB_HUB_STMT_ORG_INSERT,
  PB_HUB_STMT_ACCOUNT_EXISTS,
  PB_HUB_STMT_ACCOUNT_INSERT,
  PB_HUB_STMT_ACCOUNTS_LIST,
  PB_HUB_STMT_ACCOUNT_REVOKE,
  PB_HUB_STMT_ACCOUNT_BY_CREDENTIAL,
  PB_HUB_STMT_ACCOUNT_BY_TOKEN,
  PB_HUB_STMT_ACCOUNT_ENROL,
  PB_HUB_STMT_HUB_FIELD_SET,
  PB_HUB_STMT_HUB_ROW_INSERT,
  /* the log and the audit chain */
  PB_HUB_STMT_CHANGE_INSERT,
  PB_HUB_STMT_AUDIT_INSERT,
  PB_HUB_STMT_AUDIT_HEAD,
  PB_HUB_STMT_AUDIT_HASH,
  PB_HUB_STMT_AUDIT_LEAVES,
  PB_HUB_STMT_AUDIT_ALL,
  /* need-to-know */
  PB_HUB_STMT_SET_AUDIENCE,
  PB_HUB_STMT_REFS_DELETE,
  PB_HUB_STMT_REFS_INSERT,
  PB_HUB_STMT_SNAPSHOT_FIELDS,
  PB_HUB_STMT_SHARED_ROWS,
  PB_HUB_STMT_DIRECTORY_ROWS,
  /* hits */
  PB_HUB_STMT_HOLDERS_COUNT,
  PB_HUB_STMT_HOLDERS_SET,
  PB_HUB_STMT_HOLDERS_DELETE,
  PB_HUB_STMT_HOLDERS_OTHERS,
  /* push and pull */
  PB_HUB_STMT_CHANGE_EXISTS,
  PB_HUB_STMT_ROW_INSERT,
  PB_HUB_STMT_FIELD_MERGE,
  PB_HUB_STMT_ROW_DELETE,
  PB_HUB_STMT_PULL,
  PB_HUB_N_STMTS
} PbHubStmt;

/* The columns an account is read from, in the order account_from_row() (pb-hub-accounts.c)
 * reads them. */
#define PB_HUB_ACCOUNT_COLUMNS \
  "a.name, a.person, a.org, o.name, a.role, a.site, a.created_at, a.enrolled_at, a.revoked_at, o.kind" \
  " FROM accounts a JOIN orgs o ON o.id = a.org"

struct _PbHub
{
  GObject       parent_instance;

  sqlite3      *db;
  char         *data_dir;
  char         *site_id;
  sqlite3_stmt *statements[PB_HUB_N_STMTS];
  GHashTable   *org_bits;    /* org id → bit */
  guint64       partner_orgs;
  guint64       known_orgs;
  PbHlc         hlc;
  char          audit_head[65];
  gint64        audit_seq;
  gint64        data_version;
  PbRuleSource  rules;       /* the rulebook's view of the hub's rows (pb-hub-audience.c) */
  PbRowCheck   *row_check;   /* whether every replica can store a row (the store's schema) */
  gsize         max_request; /* the largest body taken, and what its parsed tree may cost */

  gint64      (*now_ms) (gpointer);
  gpointer      now_data;
};

/* What is kept in memory, rolled back with the transaction when a request fails half-way. */
typedef struct
{
  PbHlc   hlc;
  gint64  audit_seq;
  char    audit_head[65];
} PbHubSaved;

typedef struct
{
  gboolean exists;
  gboolean deleted;
  guint64  audience;
} PbHubRowState;

/* One entry of the log. */
typedef struct
{
  const char *site;
  guint64     hlc;
  const char *tbl;
  const char *row;
  const char *op;
  const char *field;
  const char *value;   /* JSON text */
  const char *author;
  guint64     audience;
  const char *by;      /* account name, for the audit entry */
  const char *base;    /* JSON: the clock of the value a text edit replaced */
} PbHubEntry;

/* What one request changed in who sees what: the audience of each row before it. */
typedef struct
{
  GHashTable *before;   /* "tbl\x1frow" → its state before the request */
  const char *by;
  guint64     notified; /* organisations told of new entries */
} PbHubBatch;

/* The identifier an identifiers row holds, and the organisation that holds it. */
typedef struct
{
  char *kind;
  char *value;
  char *org;
} PbHubHolding;

/* pb-hub.c */
gint64         _pb_hub_now_ms             (PbHub        *self);
sqlite3_stmt  *_pb_hub_stmt               (PbHub        *self,
                                           PbHubStmt     id);
gboolean       _pb_hub_sql_error          (GError      **error,
                                           sqlite3      *db,
                                           const char   *what);
char          *_pb_hub_sha256_hex         (const char   *data,
                                           gssize        length);
void           _pb_hub_reload_if_changed  (PbHub        *self);
gboolean       _pb_hub_begin_write        (PbHub        *self);
void           _pb_hub_save               (PbHub        *self,
                                           PbHubSaved   *saved);
void           _pb_hub_restore            (PbHub        *self,
                                           PbHubSaved   *saved);
gboolean       _pb_hub_commit             (PbHub        *self,
                                           GError      **error);
char          *_pb_hub_field_json         (PbHub        *self,
                                           const char   *tbl,
                                           const char   *row,
                                           const char   *field);
char          *_pb_hub_field_string       (PbHub        *self,
                                           const char   *tbl,
                                           const char   *row,
                                           const char   *field);
PbHubRowState  _pb_hub_row_state          (PbHub        *self,
                                           const char   *tbl,
                                           const char   *row);
GPtrArray     *_pb_hub_children           (PbHub        *self,
                                           const char   *parent,
                                           const char   *tbl);

/* pb-hub-accounts.c */
void           _pb_hub_load_orgs          (PbHub        *self);
guint64        _pb_hub_org_bit            (PbHub        *self,
                                           const char   *org);

/* pb-hub-audit.c */
void           _pb_hub_load_audit_head    (PbHub        *self);
gboolean       _pb_hub_audit_append       (PbHub        *self,
                                           const char   *entry);
gint64         _pb_hub_append_entry       (PbHub        *self,
                                           const PbHubEntry *e);
gboolean       _pb_hub_audit_account_added (PbHub       *self,
                                           const char   *name,
                                           const char   *org,
                                           const char   *person,
                                           const char   *role);
gboolean       _pb_hub_audit_account_revoked (PbHub     *self,
                                           const char   *name);
gboolean       _pb_hub_audit_enrolled     (PbHub        *self,
                                           const char   *name,
                                           const char   *site);
gboolean       _pb_hub_audit_rejected     (PbHub        *self,
                                           const char   *by,
                                           guint         index,
                                           const char   *reason);
gboolean       _pb_hub_audit_delivery     (PbHub        *self,
                                           const char   *account,
                                           guint         count,
                                           gint64        from,
                                           const char   *seqs_digest,
                                           gint64        to);

/* pb-hub-audience.c */
const PbRuleSource *_pb_hub_rules        (PbHub        *self);
gboolean       _pb_hub_account_actor      (const PbHubAccount *account,
                                           PbActor      *actor);
void           _pb_hub_batch_init         (PbHubBatch   *batch,
                                           const char   *by);
void           _pb_hub_batch_clear        (PbHubBatch   *batch);
void          _pb_hub_logged              (PbHubBatch     *batch,
                                           const char     *tbl,
                                           const char     *row,
                                           gboolean        insert,
                                           guint64         audience);
void           _pb_hub_remember           (PbHubBatch   *batch,
                                           const char   *tbl,
                                           const char   *row,
                                           PbHubRowState state);
gboolean       _pb_hub_update_refs        (PbHub        *self,
                                           const char   *tbl,
                                           const char   *row,
                                           const char   *field);
GStrv          _pb_hub_parents_of         (PbHub        *self,
                                           const char   *tbl,
                                           const char   *row);
gboolean       _pb_hub_refresh_changed    (PbHub        *self,
                                           PbHubBatch   *batch,
                                           const char   *tbl,
                                           const char   *row,
                                           const char *const *old_parents);
gboolean       _pb_hub_welcome_org        (PbHub        *self,
                                           PbHubBatch   *batch,
                                           guint64       bit);
gboolean       _pb_hub_finish_batch       (PbHub        *self,
                                           PbHubBatch   *batch);

/* pb-hub-hits.c */
PbHubHolding   _pb_hub_holding_of         (PbHub        *self,
                                           const char   *row);
void           _pb_hub_holding_clear      (PbHubHolding *h);
gboolean       _pb_hub_holding_moved      (PbHub        *self,
                                           PbHubBatch   *batch,
                                           const PbHubHolding *before,
                                           const PbHubHolding *after);

/* pb-hub-wire.c */
JsonObject    *_pb_hub_parse_object       (PbHub        *self,
                                            const char   *body,
                                           gsize         length,
                                           const char   *const *allowed,
                                           GError      **error);
const char    *_pb_hub_member_string      (JsonObject   *object,
                                           const char   *name);
char          *_pb_hub_node_to_json       (JsonNode     *node);
gboolean       _pb_hub_check_value        (PbHub        *self,
                                           const PbTableInfo *table,
                                           const char   *field,
                                           JsonNode     *node,
                                           GError      **error);
gboolean       _pb_hub_parse_count        (const char   *text,
                                           gint64        fallback,
                                           gint64        max,
                                           gint64       *out);
void           _pb_hub_append_change_object (GString    *out,
                                           sqlite3_stmt *s);
void           _pb_hub_append_change_row  (GString      *out,
                                           sqlite3_stmt *s);

G_END_DECLS
