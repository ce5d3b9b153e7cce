/* pb-rules-audience.c: who sees a row, as one table of rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each shared table has one rule: the organisations that see a row are the union (or, for
 * a link, the intersection) of a few terms — the organisation a field names, who a handling
 * code lets see it (TLP 2.0), who the item is shared with by name, who sees the row it
 * belongs to. The same table is read three ways: evaluated over a PbRuleSource (the hub's
 * audience, a store's check of one row), turned into SQL (a store's listings), and walked
 * backwards (which rows to look at again when one changes).
 */

#define G_LOG_DOMAIN "pb-rules"

#include "config.h"

#include <string.h>

#include "pb-rules.h"

typedef enum
{
  TERM_NONE,
  TERM_EVERYONE,        /* every organisation */
  TERM_MEMBERS,         /* every organisation of the consultation: not private partners */
  TERM_ORG,             /* the organisation named in @field */
  TERM_TLP,             /* who the handling code in @field lets see the row */
  TERM_SHARES,          /* the organisations this item is shared with by name */
  TERM_SHARES_OF_SAME,  /* those the item named in @field is shared with, when that item
                         * has the same source organisation as this row */
  TERM_PARENT,          /* who sees the row of @table named in @field */
  TERM_CHILD_ORGS,      /* the organisations named in @other by the rows of @table whose
                         * @field names this row */
  TERM_CHILDREN,        /* who sees one of the rows of @table whose @field names this row */
} TermKind;

typedef struct
{
  TermKind    kind;
  const char *field;
  const char *table;
  const char *other;
} Term;

typedef struct
{
  const char *table;
  gboolean    intersect;     /* the terms intersected, not united */
  gboolean    members_only;  /* and never private partners */
  Term        terms[4];
  Term        within;        /* a TERM_PARENT: never seen beyond the row its field names,
                              * when it names one (a child is not wider than its parent) */
} Rule;

/* Need-to-know. TLP:CLEAR is seen by everyone, TLP:GREEN by the consultation's members
 * (police, customs, prosecution; a private partner only when the item is shared with it
 * by name), AMBER, AMBER+STRICT and RED only by the source organisation and those it is
 * shared with by name. */
static const Rule rules[] = {
  { "organisations", FALSE, FALSE, { { TERM_EVERYONE } } },
  { "people", FALSE, FALSE, { { TERM_EVERYONE } } },
  { "items", FALSE, FALSE, {
      { TERM_ORG, "source_org" },
      { TERM_TLP, "tlp" },
      { TERM_SHARES },
    } },
  { "identifiers", FALSE, FALSE, { { TERM_PARENT, "item", "items" } } },
  { "item_shares", FALSE, FALSE, { { TERM_PARENT, "item", "items" } } },
  /* A link says that two items belong together: seen by who sees both. */
  { "item_links", TRUE, FALSE, {
      { TERM_PARENT, "item_a", "items" },
      { TERM_PARENT, "item_b", "items" },
    } },
  /* An incident is its organisation's report: its own handling code decides, and where
   * that organisation shared the item it belongs to, those it shared it with see it; but an
   * incident on an item is never seen by those who do not see the item (it names it). */
  { "incidents", FALSE, FALSE, {
      { TERM_ORG, "source_org" },
      { TERM_TLP, "tlp" },
      { TERM_SHARES_OF_SAME, "item", "items", "source_org" },
    }, { TERM_PARENT, "item", "items" } },
  /* A case: who opened it, who leads or led it, who sees one of its items. */
  { "cases", FALSE, FALSE, {
      { TERM_ORG, "source_org" },
      { TERM_ORG, "lead_org" },
      { TERM_CHILD_ORGS, "case_id", "case_leads", "org" },
      { TERM_CHILDREN, "case_id", "items" },
    } },
  { "case_leads", FALSE, FALSE, { { TERM_PARENT, "case_id", "cases" } } },
  /* The consultation's record is its members'. What was decided on an item, and the
   * actions, say as much as the item. */
  { "meetings", FALSE, FALSE, { { TERM_MEMBERS } } },
  { "meeting_attendance", FALSE, FALSE, { { TERM_MEMBERS } } },
  { "agenda_entries", FALSE, FALSE, { { TERM_MEMBERS } } },
  { "decisions", FALSE, TRUE, { { TERM_PARENT, "item", "items" } } },
  { "meeting_actions", FALSE, TRUE, { { TERM_PARENT, "item", "items" } } },
  /* A request is between the organisation that asks and the one the report comes from,
   * and says no more than the item does. */
  { "requests", FALSE, TRUE, {
      { TERM_ORG, "source_org" },
      { TERM_ORG, "item_org" },
    }, { TERM_PARENT, "item", "items" } },
};

/* Who each handling code lets see a row besides the organisations above. */
typedef enum
{
  REACH_NOBODY_ELSE,
  REACH_MEMBERS,
  REACH_EVERYONE,
} Reach;

static const Reach tlp_reach[PB_N_TLP] = {
  [PB_TLP_CLEAR] = REACH_EVERYONE,
  [PB_TLP_GREEN] = REACH_MEMBERS,
  [PB_TLP_AMBER] = REACH_NOBODY_ELSE,
  [PB_TLP_AMBER_STRICT] = REACH_NOBODY_ELSE,
  [PB_TLP_RED] = REACH_NOBODY_ELSE,
};

static const Rule *
rule_of (const char *table)
{
  for (guint i = 0; table && i < G_N_ELEMENTS (rules); i++)
    if (strcmp (rules[i].table, table) == 0)
      return &rules[i];
  return NULL;
}

PbOrgSet
pb_rules_tlp_audience (const PbRuleSource *src,
                       PbTlp               tlp)
{
  g_return_val_if_fail (tlp < PB_N_TLP, 0);

  switch (tlp_reach[tlp])
    {
    case REACH_EVERYONE:
      return src->all;
    case REACH_MEMBERS:
      return src->all & ~src->partners;
    case REACH_NOBODY_ELSE:
    default:
      return 0;
    }
}

/* ---- Evaluated over a source ------------------------------------------------------ */

static PbOrgSet compute (const PbRuleSource *src, const Rule *rule, const char *table, const char *row);

/* The audience of a row another depends on: kept by the source, or computed. The row
 * asked about itself is always computed (what a source keeps may be what is being
 * brought up to date). */
static PbOrgSet
lookup (const PbRuleSource *src,
        const char         *table,
        const char         *row)
{
  const Rule *rule = rule_of (table);
  PbOrgSet kept;

  if (rule == NULL || row == NULL)
    return 0;
  if (src->kept && src->kept (src->data, table, row, &kept))
    return kept;
  return compute (src, rule, table, row);
}

static PbOrgSet
term_audience (const PbRuleSource *src,
               const Term         *term,
               const char         *table,
               const char         *row)
{
  g_autofree char *value = NULL;

  switch (term->kind)
    {
    case TERM_EVERYONE:
      return src->all;

    case TERM_MEMBERS:
      return src->all & ~src->partners;

    case TERM_ORG:
      value = src->field (src->data, table, row, term->field);
      return value ? src->org_bit (src->data, value) : 0;

    case TERM_TLP:
      {
        PbTlp tlp;

        value = src->field (src->data, table, row, term->field);
        /* Only a handling code in its stored spelling counts; anything else is kept from
         * everybody but the organisations named. */
        if (value == NULL || !pb_rules_tlp_is_canonical (value) || !pb_tlp_from_string (value, &tlp))
          return 0;
        return pb_rules_tlp_audience (src, tlp);
      }

    case TERM_SHARES:
      return src->child_orgs (src->data, "item_shares", "item", row, "org");

    case TERM_SHARES_OF_SAME:
      {
        g_autofree char *own = NULL;
        g_autofree char *parent_own = NULL;

        value = src->field (src->data, table, row, term->field);
        if (value == NULL || !src->exists (src->data, term->table, value))
          return 0;
        own = src->field (src->data, table, row, term->other);
        parent_own = src->field (src->data, term->table, value, term->other);
        if (own == NULL || g_strcmp0 (own, parent_own) != 0)
          return 0;
        return src->child_orgs (src->data, "item_shares", "item", value, "org");
      }

    case TERM_PARENT:
      value = src->field (src->data, table, row, term->field);
      if (value == NULL || !src->exists (src->data, term->table, value))
        return 0;
      return lookup (src, term->table, value);

    case TERM_CHILD_ORGS:
      return src->child_orgs (src->data, term->table, term->field, row, term->other);

    case TERM_CHILDREN:
      {
        g_autoptr(GPtrArray) ids = src->children (src->data, term->table, term->field, row);
        PbOrgSet out = 0;

        for (guint i = 0; ids && i < ids->len; i++)
          out |= lookup (src, term->table, ids->pdata[i]);
        return out;
      }

    case TERM_NONE:
    default:
      return 0;
    }
}

static PbOrgSet
compute (const PbRuleSource *src,
         const Rule         *rule,
         const char         *table,
         const char         *row)
{
  PbOrgSet out = rule->intersect ? src->all : 0;

  for (guint i = 0; i < G_N_ELEMENTS (rule->terms) && rule->terms[i].kind != TERM_NONE; i++)
    {
      PbOrgSet t = term_audience (src, &rule->terms[i], table, row);

      out = rule->intersect ? out & t : out | t;
    }
  if (rule->members_only)
    out &= ~src->partners;
  if (rule->within.kind == TERM_PARENT)
    {
      g_autofree char *parent = src->field (src->data, table, row, rule->within.field);

      if (parent)
        out &= src->exists (src->data, rule->within.table, parent) ? lookup (src, rule->within.table, parent) : 0;
    }
  return out & src->all;
}

/**
 * pb_rules_audience:
 *
 * Returns: the organisations that see the row @row of @table, computed from the row as it
 *   is now (the audiences a source keeps are taken for the rows it depends on): none when
 *   the table is not a shared one
 */
PbOrgSet
pb_rules_audience (const PbRuleSource *src,
                   const char         *table,
                   const char         *row)
{
  const Rule *rule = rule_of (table);

  if (rule == NULL || row == NULL)
    return 0;
  return compute (src, rule, table, row);
}

/* The organisations that are told of hits: the members; private partners never. */
PbOrgSet
pb_rules_hits_audience (const PbRuleSource *src,
                        PbOrgSet            orgs)
{
  return orgs & src->all & ~src->partners;
}

/* Whether @bit is in the audience of the row: the terms one by one, stopping at the first
 * that includes it (an organisation's own item is decided by its first field). */
static gboolean
audience_has (const PbRuleSource *src,
              const char         *table,
              const char         *row,
              PbOrgSet            bit,
              gboolean            dependency)
{
  const Rule *rule = rule_of (table);
  PbOrgSet kept;

  if (rule == NULL || row == NULL)
    return FALSE;
  if (dependency && src->kept && src->kept (src->data, table, row, &kept))
    return (kept & bit) != 0;
  if (rule->members_only && (bit & src->partners))
    return FALSE;
  if (rule->within.kind == TERM_PARENT)
    {
      g_autofree char *parent = src->field (src->data, table, row, rule->within.field);

      if (parent && !(src->exists (src->data, rule->within.table, parent)
                      && audience_has (src, rule->within.table, parent, bit, TRUE)))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rule->terms) && rule->terms[i].kind != TERM_NONE; i++)
    {
      const Term *term = &rule->terms[i];
      gboolean has;

      if (term->kind == TERM_PARENT)
        {
          g_autofree char *value = src->field (src->data, table, row, term->field);
          has = value && src->exists (src->data, term->table, value)
                && audience_has (src, term->table, value, bit, TRUE);
        }
      else
        has = (term_audience (src, term, table, row) & bit) != 0;

      if (rule->intersect && !has)
        return FALSE;
      if (!rule->intersect && has)
        return TRUE;
    }
  return rule->intersect;
}

gboolean
pb_rules_may_see (const PbRuleSource *src,
                  const PbActor      *actor,
                  const char         *table,
                  const char         *row)
{
  PbOrgSet bit;
  gboolean seen;

  if (actor == NULL || actor->org == NULL || row == NULL || rule_of (table) == NULL)
    return FALSE;
  if (src->sees && src->sees (src->data, actor, table, row, &seen))
    return seen;
  bit = src->org_bit (src->data, actor->org);
  return bit != 0 && (bit & src->all) && src->exists (src->data, table, row) && audience_has (src, table, row, bit, FALSE);
}

/* ---- As SQL ----------------------------------------------------------------------- */

/* The organisation kinds that are not members, as an SQL list: "'partner'". */
static void
append_outsider_kinds (GString *out)
{
  gboolean first = TRUE;

  for (PbOrgKind k = 0; k < PB_N_ORG_KINDS; k++)
    if (!pb_rules_is_member_kind (k))
      {
        g_string_append_printf (out, "%s'%s'", first ? "" : ", ", pb_org_kind_to_string (k));
        first = FALSE;
      }
}

static void
append_member_test (GString *out)
{
  g_string_append (out, ":org_kind NOT IN (");
  append_outsider_kinds (out);
  g_string_append_c (out, ')');
}

/* The handling codes of one reach, as an SQL list; FALSE when there is none. */
static gboolean
append_tlps (GString *out,
             Reach    reach)
{
  gboolean any = FALSE;

  for (PbTlp t = 0; t < PB_N_TLP; t++)
    if (tlp_reach[t] == reach)
      {
        g_string_append_printf (out, "%s'%s'", any ? ", " : "", pb_tlp_to_string (t));
        any = TRUE;
      }
  return any;
}

static void append_rule (GString *out, const Rule *rule, const char *alias, PbRulesSqlForm form, guint *depth);

static void
append_term (GString        *out,
             const Term     *term,
             const char     *alias,
             PbRulesSqlForm  form,
             guint          *depth)
{
  g_autofree char *sub = NULL;

  switch (term->kind)
    {
    case TERM_EVERYONE:
      g_string_append (out, "1");
      break;

    case TERM_MEMBERS:
      append_member_test (out);
      break;

    case TERM_ORG:
      g_string_append_printf (out, "%s.%s = :org", alias, term->field);
      break;

    case TERM_TLP:
      {
        g_autoptr(GString) all = g_string_new (NULL);
        g_autoptr(GString) members = g_string_new (NULL);
        gboolean any_all = append_tlps (all, REACH_EVERYONE);
        gboolean any_members = append_tlps (members, REACH_MEMBERS);

        g_string_append_c (out, '(');
        if (any_all)
          g_string_append_printf (out, "%s.%s IN (%s)", alias, term->field, all->str);
        if (any_members)
          {
            g_string_append_printf (out, "%s(%s.%s IN (%s) AND ", any_all ? " OR " : "", alias, term->field,
                                    members->str);
            append_member_test (out);
            g_string_append_c (out, ')');
          }
        if (!any_all && !any_members)
          g_string_append (out, "0");
        g_string_append_c (out, ')');
      }
      break;

    case TERM_SHARES:
      if (form == PB_RULES_SQL_LISTING)
        g_string_append_printf (out, "%s.id IN (SELECT item FROM item_shares WHERE org = :org)", alias);
      else
        {
          sub = g_strdup_printf ("s%u", ++*depth);
          g_string_append_printf (out, "EXISTS (SELECT 1 FROM item_shares %s WHERE %s.item = %s.id AND %s.org = :org)",
                                  sub, sub, alias, sub);
        }
      break;

    case TERM_SHARES_OF_SAME:
      {
        guint n = ++*depth;

        g_string_append_printf (out, "EXISTS (SELECT 1 FROM %s p%u JOIN item_shares s%u ON s%u.item = p%u.id"
                                " WHERE p%u.id = %s.%s AND p%u.%s = %s.%s AND s%u.org = :org)",
                                term->table, n, n, n, n, n, alias, term->field, n, term->other, alias,
                                term->other, n);
      }
      break;

    case TERM_PARENT:
      sub = g_strdup_printf ("p%u", ++*depth);
      g_string_append_printf (out, "EXISTS (SELECT 1 FROM %s %s WHERE %s.id = %s.%s AND ", term->table, sub, sub,
                              alias, term->field);
      append_rule (out, rule_of (term->table), sub, PB_RULES_SQL_ROW, depth);
      g_string_append_c (out, ')');
      break;

    case TERM_CHILD_ORGS:
      sub = g_strdup_printf ("c%u", ++*depth);
      g_string_append_printf (out, "EXISTS (SELECT 1 FROM %s %s WHERE %s.%s = %s.id AND %s.%s = :org)", term->table,
                              sub, sub, term->field, alias, sub, term->other);
      break;

    case TERM_CHILDREN:
      sub = g_strdup_printf ("c%u", ++*depth);
      g_string_append_printf (out, "EXISTS (SELECT 1 FROM %s %s WHERE %s.%s = %s.id AND ", term->table, sub, sub,
                              term->field, alias);
      append_rule (out, rule_of (term->table), sub, PB_RULES_SQL_ROW, depth);
      g_string_append_c (out, ')');
      break;

    case TERM_NONE:
    default:
      g_string_append (out, "0");
      break;
    }
}

static void
append_rule (GString        *out,
             const Rule     *rule,
             const char     *alias,
             PbRulesSqlForm  form,
             guint          *depth)
{
  g_assert (rule != NULL);

  g_string_append_c (out, '(');
  for (guint i = 0; i < G_N_ELEMENTS (rule->terms) && rule->terms[i].kind != TERM_NONE; i++)
    {
      if (i > 0)
        g_string_append (out, rule->intersect ? " AND " : " OR ");
      append_term (out, &rule->terms[i], alias, form, depth);
    }
  if (rule->members_only)
    {
      g_string_append (out, ") AND (");
      append_member_test (out);
    }
  if (rule->within.kind == TERM_PARENT)
    {
      g_string_append_printf (out, ") AND (%s.%s IS NULL OR ", alias, rule->within.field);
      append_term (out, &rule->within, alias, PB_RULES_SQL_ROW, depth);
    }
  g_string_append_c (out, ')');
}

static GRecMutex sql_lock;   /* recursive: an expansion makes the conditions it names */
static GHashTable *sql_cache;   /* key → generated SQL, for the life of the process */

static const char *
cached (const char *key,
        char *(*make) (const char *key, gconstpointer data),
        gconstpointer data)
{
  const char *out;

  g_rec_mutex_lock (&sql_lock);
  if (sql_cache == NULL)
    sql_cache = g_hash_table_new (g_str_hash, g_str_equal);
  out = g_hash_table_lookup (sql_cache, key);
  if (out == NULL)
    {
      char *made = make (key, data);

      g_hash_table_insert (sql_cache, g_strdup (key), made);
      out = made;
    }
  g_rec_mutex_unlock (&sql_lock);
  return out;
}

typedef struct
{
  const Rule     *rule;
  const char     *alias;
  PbRulesSqlForm  form;
} VisibleArgs;

static char *
make_visible (const char   *key,
              gconstpointer data)
{
  const VisibleArgs *args = data;
  GString *out = g_string_new (NULL);
  guint depth = 0;

  append_rule (out, args->rule, args->alias, args->form, &depth);
  return g_string_free (out, FALSE);
}

const char *
pb_rules_visible_sql (const char    *table,
                      const char    *alias,
                      PbRulesSqlForm form)
{
  VisibleArgs args = { rule_of (table), alias, form };
  g_autofree char *key = g_strdup_printf ("\x01%s\x1f%s\x1f%d", table, alias, form);

  g_return_val_if_fail (args.rule != NULL, "0");
  g_return_val_if_fail (alias != NULL && *alias != '\0', "0");
  return cached (key, make_visible, &args);
}

static char *
make_expanded (const char   *template_sql,
               gconstpointer data)
{
  GString *out = g_string_new (NULL);
  const char *p = template_sql;

  for (;;)
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_auto(GStrv) words = NULL;
      g_autofree char *inside = NULL;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      close = strchr (open, '}');
      g_assert (close != NULL);
      g_string_append_len (out, p, open - p);
      inside = g_strndup (open + 1, close - open - 1);
      words = g_strsplit (inside, " ", -1);
      g_assert (g_strv_length (words) == 3);
      g_assert (g_str_equal (words[0], "visible") || g_str_equal (words[0], "listing"));
      g_string_append (out, pb_rules_visible_sql (words[1], words[2],
                                                  g_str_equal (words[0], "listing") ? PB_RULES_SQL_LISTING
                                                                                    : PB_RULES_SQL_ROW));
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

const char *
pb_rules_sql (const char *template_sql)
{
  g_return_val_if_fail (template_sql != NULL, NULL);

  return cached (template_sql, make_expanded, NULL);
}

/* ---- Walked backwards ------------------------------------------------------------- */

typedef struct
{
  const char *table;
  PbDependent children[12];
  guint       n_children;
  PbDependent parents[4];
  guint       n_parents;
} Dependents;

static Dependents dependents[G_N_ELEMENTS (rules)];

static gpointer
build_dependents (gpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    dependents[i].table = rules[i].table;

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    for (guint t = 0; t <= G_N_ELEMENTS (rules[i].terms); t++)
      {
        /* The terms, and last the parent that bounds the rule. */
        const Term *term = t < G_N_ELEMENTS (rules[i].terms) ? &rules[i].terms[t] : &rules[i].within;

        for (guint j = 0; j < G_N_ELEMENTS (rules); j++)
          {
            Dependents *d = &dependents[j];

            /* A row of rules[i] follows from the row its field names. */
            if ((term->kind == TERM_PARENT || term->kind == TERM_SHARES_OF_SAME)
                && g_str_equal (term->table, rules[j].table))
              {
                g_assert (d->n_children < G_N_ELEMENTS (d->children));
                d->children[d->n_children++] = (PbDependent) { rules[i].table, term->field,
                                                               term->kind == TERM_SHARES_OF_SAME, FALSE };
              }
            /* A row of rules[i] follows from the rows that name it: each of those tells
             * its parent to look again. */
            if ((term->kind == TERM_CHILDREN || term->kind == TERM_CHILD_ORGS)
                && g_str_equal (term->table, rules[j].table))
              {
                g_assert (d->n_parents < G_N_ELEMENTS (d->parents));
                d->parents[d->n_parents++] = (PbDependent) { rules[i].table, term->field, FALSE,
                                                             term->kind == TERM_CHILDREN };
              }
            if (term->kind == TERM_SHARES && g_str_equal (rules[j].table, "item_shares"))
              {
                g_assert (d->n_parents < G_N_ELEMENTS (d->parents));
                d->parents[d->n_parents++] = (PbDependent) { rules[i].table, "item", FALSE, FALSE };
              }
          }
      }
  return NULL;
}

static Dependents *
dependents_of (const char *table)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_dependents, NULL);
  for (guint i = 0; table && i < G_N_ELEMENTS (dependents); i++)
    if (strcmp (dependents[i].table, table) == 0)
      return &dependents[i];
  return NULL;
}

/**
 * pb_rules_dependent_children:
 *
 * Returns: (array length=n): the rows whose audience follows from a row of @table: each
 *   entry a table and its field that names the row (identifiers.item for items)
 */
const PbDependent *
pb_rules_dependent_children (const char *table,
                             guint      *n)
{
  Dependents *d = dependents_of (table);

  *n = d ? d->n_children : 0;
  return d ? d->children : NULL;
}

/**
 * pb_rules_dependent_parents:
 *
 * Returns: (array length=n): for a row of @table, the parent rows whose audience follows
 *   from it: each entry the parent's table and the field of @table that names the parent
 *   (item_shares: items by "item"; items: cases by "case_id")
 */
const PbDependent *
pb_rules_dependent_parents (const char *table,
                            guint      *n)
{
  Dependents *d = dependents_of (table);

  *n = d ? d->n_parents : 0;
  return d ? d->parents : NULL;
}
