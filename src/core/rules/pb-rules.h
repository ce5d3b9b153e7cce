/* pb-rules.h: the rulebook: who may see and who may write what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every rule of need-to-know and of writing lives here once, as tables and pure functions.
 * The local store's write path, its listings (SQL generated from the same tables), the
 * hub's push check and audience, the pages' sensitivity and the command line all ask it;
 * tests/test-rules.c runs one table of cases through a store and through a real hub.
 *
 * Rows are read through a PbRuleSource, which a store or a hub implements over its own
 * tables: the rules never touch a database themselves.
 */

#pragma once

#include <glib.h>

#include "pb-record.h"
#include "pb-vocab.h"

G_BEGIN_DECLS

/* A set of organisations, one bit each, in the numbering of a PbRuleSource. At most 63:
 * a hub serves no more. */
typedef guint64 PbOrgSet;

#define PB_RULES_MAX_ORGS 63

/* Who acts. @person is %NULL for the local set-up ("system"), which creates
 * organisations and people and nothing else. */
typedef struct
{
  const char *person;
  const char *org;
  PbRole      role;
  PbOrgKind   org_kind;
} PbActor;

typedef enum
{
  PB_RULE_ALLOWED,
  PB_RULE_NOBODY,             /* nobody is signed in */
  PB_RULE_READ_ONLY,          /* private partners change nothing */
  PB_RULE_ADMIN,              /* administrators manage accounts, not shared data */
  PB_RULE_HUB_ONLY,           /* organisations and people come from the hub's accounts */
  PB_RULE_NOT_VISIBLE,        /* the row is not there for this organisation */
  PB_RULE_PARENT_NOT_VISIBLE, /* a row it points at is not there for this organisation */
  PB_RULE_FIXED,              /* the field is written when the row is made, never after */
  PB_RULE_OWN_ORG,            /* rows are written in the name of the writer's organisation */
  PB_RULE_CHAIR,              /* only the chair runs the consultation's meetings */
  PB_RULE_LEAD,               /* only the services lead an item or a case, not a partner */
  PB_RULE_OWN_NAME,           /* rows are signed by their writer, no one else */
  PB_RULE_ORIGINATOR,         /* only the organisation a report comes from shares, relabels
                               * or deletes it */
  PB_N_RULE_REASONS
} PbRuleReason;

/* The answer of a check: allowed, or why not. @field names the field concerned, when one
 * is (a static string of the schema). */
typedef struct
{
  PbRuleReason  reason;
  const char   *table;
  const char   *field;
} PbVerdict;

#define PB_VERDICT_ALLOWED ((PbVerdict) { PB_RULE_ALLOWED, NULL, NULL })

static inline gboolean
pb_verdict_allowed (PbVerdict verdict)
{
  return verdict.reason == PB_RULE_ALLOWED;
}

/* What a store or a hub tells the rules about its rows. Strings are returned newly
 * allocated; %NULL where there is no such row or no value. */
typedef struct
{
  /* One field of a row, as text (ids and codes). */
  char     *(*field)      (gpointer    data,
                           const char *table,
                           const char *row,
                           const char *field);
  /* Whether the row is there (not deleted). */
  gboolean  (*exists)     (gpointer    data,
                           const char *table,
                           const char *row);
  /* The ids of the rows of @table whose @field is @value. */
  GPtrArray *(*children)  (gpointer    data,
                           const char *table,
                           const char *field,
                           const char *value);
  /* The organisations named in @org_field by the rows of @table whose @field is @value
   * (the organisations an item is shared with, those that led a case). */
  PbOrgSet  (*child_orgs) (gpointer    data,
                           const char *table,
                           const char *field,
                           const char *value,
                           const char *org_field);
  /* Optional: the audience the source keeps for a row, to take instead of computing it
   * again (the hub keeps one per row); FALSE when it keeps none. */
  gboolean  (*kept)       (gpointer    data,
                           const char *table,
                           const char *row,
                           PbOrgSet   *audience);
  /* The bit of an organisation; 0 when it is unknown. */
  PbOrgSet  (*org_bit)    (gpointer    data,
                           const char *org);
  /* Optional: whether @actor's organisation sees the row, answered by the source itself
   * with the rule as SQL (pb_rules_visible_sql(), for a database that indexes the rows);
   * FALSE when it cannot answer, and the rule is evaluated over the other functions. */
  gboolean  (*sees)       (gpointer       data,
                           const PbActor *actor,
                           const char    *table,
                           const char    *row,
                           gboolean      *seen);
  gpointer   data;
  PbOrgSet   all;          /* every organisation */
  PbOrgSet   partners;     /* the private partners among them */
} PbRuleSource;

/* ---- The vocabulary of access ----------------------------------------------------- */

gboolean     pb_rules_is_member_kind     (PbOrgKind      kind);
gboolean     pb_rules_may_lead           (PbOrgKind      kind);
gboolean     pb_rules_role_fits_kind     (PbRole         role,
                                          PbOrgKind      kind);
PbOrgKind    pb_rules_default_kind       (PbRole         role);
gboolean     pb_rules_tlp_is_canonical   (const char    *tlp);
PbOrgSet     pb_rules_tlp_audience       (const PbRuleSource *src,
                                          PbTlp          tlp);

/* What a person may do at all, for the pages' sensitivity. */
gboolean     pb_rules_may_write_data     (const PbActor *actor);
gboolean     pb_rules_is_chair           (const PbActor *actor);
gboolean     pb_rules_may_see_meetings   (const PbActor *actor);
gboolean     pb_rules_may_see_hits       (const PbActor *actor);
gboolean     pb_rules_oversees_access_log (const PbActor *actor);
gboolean     pb_rules_exact_places       (const PbActor *actor);

/* ---- Seeing ----------------------------------------------------------------------- */

PbOrgSet     pb_rules_audience           (const PbRuleSource *src,
                                          const char    *table,
                                          const char    *row);
PbOrgSet     pb_rules_hits_audience      (const PbRuleSource *src,
                                          PbOrgSet       orgs);
gboolean     pb_rules_may_see            (const PbRuleSource *src,
                                          const PbActor *actor,
                                          const char    *table,
                                          const char    *row);

/* The condition under which the row @alias of @table is seen by the organisation bound to
 * the parameter ":org" (of kind ":org_kind"), as SQL generated from the rule. The
 * listing form reads the organisation's shares once for a statement that reads many rows
 * (a board); the row form looks each row up in the indexes. The string lives as long as
 * the process. */
typedef enum
{
  PB_RULES_SQL_ROW,
  PB_RULES_SQL_LISTING,
} PbRulesSqlForm;

const char  *pb_rules_visible_sql        (const char    *table,
                                          const char    *alias,
                                          PbRulesSqlForm form);
/* @template with every "{visible TABLE ALIAS}" and "{listing TABLE ALIAS}" replaced by
 * pb_rules_visible_sql(); kept for the life of the process, like the template (a
 * literal). */
const char  *pb_rules_sql                (const char    *template_sql);

/* ---- Writing ---------------------------------------------------------------------- */

PbVerdict    pb_rules_may_write_table    (const PbActor *actor,
                                          const char    *table);
/* Checks one write of @actor: @record holds the fields an insert sets, or the fields an
 * update changes (not those it sets to the value they have). */
PbVerdict    pb_rules_check_write        (const PbRuleSource *src,
                                          const PbActor *actor,
                                          PbOp           op,
                                          PbRecord      *record);
char        *pb_verdict_message          (PbVerdict      verdict);
const char  *pb_rule_reason_to_string    (PbRuleReason   reason);

/* ---- What the rules read: references and fixed fields ----------------------------- */

typedef struct
{
  const char *table;
  const char *field;
  const char *parent;
} PbReference;

const PbReference *pb_rules_references   (guint         *n_references);
const char  *pb_rules_reference_parent   (const char    *table,
                                          const char    *field);
gboolean     pb_rules_is_fixed           (const char    *table,
                                          const char    *field);
gboolean     pb_rules_is_org_field       (const char    *table,
                                          const char    *field);
gboolean     pb_rules_is_lead_field      (const char    *table,
                                          const char    *field);

/* Rows whose audience follows from a row of @table: for each, the table and the field of
 * it that names the row (children), or the field of @table that names a row whose audience
 * depends on this one (parents). A child that @follows_shares follows the sharing rows of
 * its parent item itself, not only the item's audience: it must be looked at again when
 * those change, even where the item's audience stays the same. A parent that
 * @follows_audience depends on who sees the child (a case on its items); the others on
 * the child's fields (an item on its sharing rows, a case on its lead decisions). */
typedef struct
{
  const char *table;
  const char *field;
  gboolean    follows_shares;
  gboolean    follows_audience;
} PbDependent;

const PbDependent *pb_rules_dependent_children (const char *table,
                                                guint      *n);
const PbDependent *pb_rules_dependent_parents  (const char *table,
                                                guint      *n);

G_END_DECLS
