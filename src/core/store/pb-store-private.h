/* pb-store-private.h: what the store's source files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pb-store.c opens the database and holds the write path, board moves and the access log;
 * pb-store-read.c reads: the board, search and filters, hits, history.
 */

#pragma once

#include <sqlite3.h>

#include "pb-changes.h"
#include "pb-rules.h"
#include "pb-store.h"
#include "pb-store-edit.h"
#include "pb-util.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct _PbHitIndex PbHitIndex;

/* Who made a change that arrives from elsewhere, and when by their clock. */
typedef struct
{
  const char *site;
  guint64     hlc;
  const char *author;
} PbOrigin;

struct _PbStore
{
  GObject      parent_instance;

  sqlite3     *db;
  char        *path;
  char        *site_id;
  char        *actor;
  PbActor      me;           /* the actor for the rulebook; its strings are these */
  char        *me_org;
  gint64       me_version;   /* data_version when it was read */
  PbRuleSource rules;        /* the rulebook's view of this database (pb-store-rules.c) */
  GHashTable  *org_bits;     /* organisation id → PbOrgSet bit */
  gint64       org_bits_version;
  char        *purpose;
  GHashTable  *statements;   /* SQL text → sqlite3_stmt, owned */
  GHashTable  *insert_stmts; /* (table index << 32 | column mask) → sqlite3_stmt, in statements */
  sqlite3_stmt *change_stmt;
  sqlite3_stmt *access_stmt;
  GHashTable  *fts_dirty;    /* item id → item id, rows whose search text must be rebuilt */
  char        *last_item_id; /* the item inserted last, and its organisation */
  char        *last_item_org;
  GHashTable  *roles;        /* person id → PbActor (org interned), of people who acted;
                              * emptied when people or organisations are written */
  char         last_hash[65];
  gint64       next_access_seq;
  PbHlc        hlc;
  gint64       data_version; /* PRAGMA data_version when the cached state was read */
  int          depth;        /* explicit transactions (pb_store_begin) */
  guint        in_write_path : 1;
  guint        aborted : 1;      /* rolled back inside a batch; the batch's commit fails */
  guint        migrating : 1;

  const PbOrigin *origin;    /* set while a change from another site is applied */
  PbChangeSet *pending;      /* what the transaction under way changed (rows-changed) */
  PbHitIndex  *hits;         /* every hit, once all were asked for (pb-store-hits.c) */

  gint64     (*now_ms) (gpointer);
  gpointer     now_data;
  char      *(*new_id) (gpointer);
  gpointer     new_id_data;
};

/* Need-to-know lives in the rulebook (src/core/rules/): SQL statements that list rows
 * name it as "{visible TABLE ALIAS}" or "{listing TABLE ALIAS}" and are expanded by
 * pb_rules_sql(). */

/* pb-store.c */
void          _pb_store_abort_transaction (PbStore      *self);
gboolean      _pb_store_load_access_head  (PbStore      *self,
                                           GError      **error);

/* pb-store-access.c */
gboolean      _pb_store_append_access     (PbStore        *self,
                                           PbAccessAction  action,
                                           const char     *table,
                                           const char     *row_id,
                                           const char     *detail,
                                           const char     *reason,
                                           GError        **error);

/* pb-store-validate.c */
gboolean      _pb_store_invalid           (GError      **error,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
const char   *_pb_store_text_of           (PbRecord     *record,
                                           const char   *field);

gboolean      _pb_store_check_actor       (PbStore      *self,
                                           const char   *table,
                                           GError      **error);
gboolean      _pb_store_check_rules       (PbStore      *self,
                                           PbOp          op,
                                           PbRecord     *record,
                                           GError      **error);
const PbRuleSource *_pb_store_rules       (PbStore      *self);
gboolean      _pb_store_load_me           (PbStore      *self,
                                           GError      **error);
void          _pb_store_orgs_changed      (PbStore      *self);
const PbActor *_pb_store_me               (PbStore      *self);
gint64        _pb_store_data_version      (PbStore      *self);
void          _pb_store_note              (PbStore      *self,
                                           const char   *table,
                                           const char   *row_id,
                                           PbRowChange   change);
sqlite3      *_pb_store_get_db            (PbStore      *self);
void          _pb_store_bind_value        (sqlite3_stmt  *stmt,
                                           int            index,
                                           const PbValue *v);
sqlite3_stmt *_pb_store_get_stmt          (PbStore      *self,
                                           const char   *sql,
                                           GError      **error);
gboolean      _pb_store_set_sqlite_error  (GError      **error,
                                           sqlite3      *db,
                                           const char   *what);
gboolean      _pb_store_bind_viewer       (PbStore      *self,
                                           sqlite3_stmt *stmt,
                                           GError      **error);
gint64        _pb_store_now_ms            (PbStore      *self);
char         *_pb_store_new_id            (PbStore      *self);
char         *_pb_store_row_field         (PbStore      *self,
                                           const char   *table,
                                           const char   *field,
                                           const char   *id);
gboolean      _pb_store_write_act         (PbStore        *self,
                                           PbAccessAction  action,
                                           const PbWrite  *writes,
                                           guint           n_writes,
                                           GError        **error);
gboolean      _pb_store_apply_remote      (PbStore        *self,
                                           PbOp            op,
                                           PbRecord       *record,
                                           const PbOrigin *origin,
                                           GError        **error);
gboolean      _pb_store_log_remote        (PbStore        *self,
                                           const char     *table,
                                           const char     *row_id,
                                           const char     *field,
                                           const char     *value_json,
                                           const PbOrigin *origin,
                                           GError        **error);
char         *_pb_store_state_get         (PbStore        *self,
                                           const char     *key);
gboolean      _pb_store_state_set         (PbStore        *self,
                                           const char     *key,
                                           const char     *value,
                                           GError        **error);
gboolean      _pb_store_restate_field     (PbStore        *self,
                                           const char     *table,
                                           const char     *row_id,
                                           const char     *field,
                                           GError        **error);
sqlite3_stmt *_pb_store_get_protected_stmt (PbStore       *self,
                                           const char     *sql,
                                           GError        **error);
gboolean      _pb_store_step_protected    (PbStore        *self,
                                           sqlite3_stmt   *stmt,
                                           GError        **error);
GPtrArray    *_pb_store_load_cards_where  (PbStore      *self,
                                           const char   *condition,
                                           const char   *key,
                                           gboolean      details,
                                           GError      **error);
char         *_pb_store_hit_codes         (PbStore      *self,
                                           const char   *item_id);

/* Rows as they are, and what undoes a save (pb-store-undo.c). */
gboolean      _pb_store_read_row          (PbStore      *self,
                                           const char   *table,
                                           const char   *id,
                                           PbRecord    **row,
                                           GError      **error);
gboolean      _pb_value_equal             (const PbValue *a,
                                           const PbValue *b);
PbUndo       *_pb_undo_new                (const char   *item_id,
                                           gboolean      removes_item);
void          _pb_undo_add                (PbUndo       *undo,
                                           PbOp          op,
                                           PbRecord     *record,
                                           PbRecord     *as_left);
gboolean      _pb_undo_is_empty           (PbUndo       *undo);

/* The index of all hits (pb-store-hits.c). */
void          _pb_hit_index_free          (PbHitIndex   *index);
void          _pb_store_hits_mark         (PbStore      *self,
                                           PbRecord     *record);
void          _pb_store_hits_mark_key     (PbStore      *self,
                                           const char   *kind,
                                           const char   *value);
GPtrArray    *_pb_store_list_all_hits     (PbStore      *self,
                                           GError      **error);
PbHit        *_pb_hit_new                 (const char   *item,
                                           const char   *kind,
                                           const char   *value,
                                           const char   *code,
                                           const char   *name);

G_END_DECLS
