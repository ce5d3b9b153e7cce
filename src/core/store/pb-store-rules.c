/* pb-store-rules.c: the rulebook over this database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store answers the rulebook's questions about its rows (a PbRuleSource), knows who
 * acts (a PbActor) and turns the rulebook's refusals into errors of the write path. It
 * decides nothing itself: src/core/rules/ does.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pb-store-private.h"

static char *
source_field (gpointer    data,
              const char *table,
              const char *row,
              const char *field)
{
  return _pb_store_row_field (data, table, field, row);
}

static gboolean
source_exists (gpointer    data,
               const char *table,
               const char *row)
{
  PbStore *self = data;
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", table);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static GPtrArray *
source_children (gpointer    data,
                 const char *table,
                 const char *field,
                 const char *value)
{
  PbStore *self = data;
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE %s = ?", table, field);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (stmt == NULL)
    return out;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return out;
}

static PbOrgSet source_org_bit (gpointer data, const char *org);

static PbOrgSet
source_child_orgs (gpointer    data,
                   const char *table,
                   const char *field,
                   const char *value,
                   const char *org_field)
{
  PbStore *self = data;
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ?", org_field, table, field);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, sql, NULL);
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_free);
  PbOrgSet out = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (orgs, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < orgs->len; i++)
    out |= source_org_bit (self, orgs->pdata[i]);
  return out;
}

/* The organisations, numbered in the order they came: read again when they change here or
 * another connection wrote. */
static void
load_orgs (PbStore *self)
{
  sqlite3_stmt *stmt;
  gint64 version = _pb_store_data_version (self);
  guint n = 0;

  if (self->org_bits != NULL && self->org_bits_version == version)
    return;
  if (self->org_bits == NULL)
    self->org_bits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_remove_all (self->org_bits);
  self->rules.all = 0;
  self->rules.partners = 0;
  self->org_bits_version = version;

  stmt = _pb_store_get_stmt (self, "SELECT id, kind FROM organisations ORDER BY rowid", NULL);
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW && n < PB_RULES_MAX_ORGS)
    {
      PbOrgSet bit = G_GUINT64_CONSTANT (1) << n++;
      PbOrgKind kind = PB_ORG_POLICE;

      g_hash_table_insert (self->org_bits, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           g_memdup2 (&bit, sizeof bit));
      self->rules.all |= bit;
      if (pb_org_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind)
          && !pb_rules_is_member_kind (kind))
        self->rules.partners |= bit;
    }
  sqlite3_reset (stmt);
}

static PbOrgSet
source_org_bit (gpointer    data,
                const char *org)
{
  PbStore *self = data;
  PbOrgSet *bit;

  load_orgs (self);
  bit = org ? g_hash_table_lookup (self->org_bits, org) : NULL;
  return bit ? *bit : 0;
}

/* The organisations were written here: numbered again when next asked. */
void
_pb_store_orgs_changed (PbStore *self)
{
  g_clear_pointer (&self->org_bits, g_hash_table_unref);
}

/* Whether the actor's organisation sees a row, by the rule as SQL: the indexes find it
 * (a case is seen through the first of its items the organisation sees, not by going
 * over every one). */
static gboolean
source_sees (gpointer       data,
             const PbActor *actor,
             const char    *table,
             const char    *row,
             gboolean      *seen)
{
  PbStore *self = data;
  g_autofree char *template_sql = g_strdup_printf ("SELECT 1 FROM %s x WHERE x.id = :id AND {visible %s x}", table,
                                                   table);
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, pb_rules_sql (template_sql), NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":id"), row, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":org"), actor->org, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":org_kind"), pb_org_kind_to_string (actor->org_kind),
                     -1, SQLITE_STATIC);
  *seen = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * _pb_store_rules:
 *
 * Returns: the rulebook's view of this database's rows
 */
const PbRuleSource *
_pb_store_rules (PbStore *self)
{
  self->rules.field = source_field;
  self->rules.exists = source_exists;
  self->rules.children = source_children;
  self->rules.child_orgs = source_child_orgs;
  self->rules.kept = NULL;
  self->rules.org_bit = source_org_bit;
  self->rules.sees = source_sees;
  self->rules.data = self;
  load_orgs (self);
  return &self->rules;
}

/**
 * pb_store_get_me:
 *
 * Returns: who acts on this database, for the rulebook: person %NULL when nobody is
 *   signed in (or the local set-up acts)
 */
const PbActor *
pb_store_get_me (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  return _pb_store_me (self);
}

/**
 * pb_store_get_rules:
 *
 * Returns: the rulebook's view of this database's rows (a #PbRuleSource), valid until the
 *   next write
 */
const PbRuleSource *
pb_store_get_rules (PbStore *self)
{
  g_return_val_if_fail (PB_IS_STORE (self), NULL);

  return _pb_store_rules (self);
}

/**
 * pb_store_may_see:
 *
 * Returns: whether the row is here and the signed-in person's organisation may see it,
 *   by the rulebook
 */
gboolean
pb_store_may_see (PbStore    *self,
                  const char *table,
                  const char *row_id)
{
  g_return_val_if_fail (PB_IS_STORE (self), FALSE);

  return pb_rules_may_see (_pb_store_rules (self), _pb_store_me (self), table, row_id);
}

/* The signed-in person's organisation and its kind, read again when people or
 * organisations change. */
gboolean
_pb_store_load_me (PbStore *self,
                   GError **error)
{
  g_autoptr(PbPerson) person = NULL;
  g_autoptr(PbOrganisation) org = NULL;

  g_clear_pointer (&self->me_org, g_free);
  self->me = (PbActor) { NULL, NULL, PB_ROLE_PARTNER, PB_ORG_PRIVATE_PARTNER };
  self->me_version = _pb_store_data_version (self);
  if (self->actor == NULL)
    return TRUE;
  person = pb_store_find_person (self, self->actor, error);
  if (person == NULL)
    return FALSE;
  /* A person whose organisation is not known here acts as an outsider: read-only. */
  org = pb_store_find_organisation (self, person->org, NULL);
  self->me_org = g_strdup (person->org);
  self->me = (PbActor) { self->actor, self->me_org, person->role,
                         org ? org->kind : PB_ORG_PRIVATE_PARTNER };
  return TRUE;
}

/* Who acts, as the database says now: read again when another connection (the sync
 * worker) has written, as a role or an organisation may have come or changed. */
const PbActor *
_pb_store_me (PbStore *self)
{
  if (self->actor != NULL && self->me_version != _pb_store_data_version (self))
    {
      g_hash_table_remove_all (self->roles);
      _pb_store_load_me (self, NULL);
    }
  return &self->me;
}

/* Refuses a write the rulebook refuses, with an error of the store. */
gboolean
_pb_store_check_rules (PbStore  *self,
                       PbOp      op,
                       PbRecord *record,
                       GError  **error)
{
  PbVerdict verdict = pb_rules_check_write (_pb_store_rules (self), _pb_store_me (self), op, record);
  g_autofree char *message = NULL;
  int code;

  if (pb_verdict_allowed (verdict))
    return TRUE;

  switch (verdict.reason)
    {
    case PB_RULE_NOBODY:
      code = PB_STORE_ERROR_UNKNOWN_USER;
      break;
    case PB_RULE_READ_ONLY:
    case PB_RULE_ADMIN:
      code = PB_STORE_ERROR_READ_ONLY_USER;
      break;
    case PB_RULE_NOT_VISIBLE:
      code = PB_STORE_ERROR_NOT_FOUND;
      break;
    case PB_RULE_HUB_ONLY:
    case PB_RULE_PARENT_NOT_VISIBLE:
    case PB_RULE_FIXED:
    case PB_RULE_OWN_ORG:
    case PB_RULE_CHAIR:
    case PB_RULE_LEAD:
    case PB_RULE_OWN_NAME:
    case PB_RULE_ORIGINATOR:
    case PB_RULE_ALLOWED:
    case PB_N_RULE_REASONS:
    default:
      code = PB_STORE_ERROR_FORBIDDEN;
      break;
    }
  message = pb_verdict_message (verdict);
  g_set_error_literal (error, PB_STORE_ERROR, code, message);
  return FALSE;
}

/* Whether the signed-in person may write @table at all (partners, administrators and
 * nobody may not). */
gboolean
_pb_store_check_actor (PbStore    *self,
                       const char *table,
                       GError    **error)
{
  PbVerdict verdict = pb_rules_may_write_table (_pb_store_me (self), table);
  g_autofree char *message = NULL;

  if (pb_verdict_allowed (verdict) || verdict.reason == PB_RULE_CHAIR)
    return TRUE;
  message = pb_verdict_message (verdict);
  g_set_error_literal (error, PB_STORE_ERROR,
                       verdict.reason == PB_RULE_NOBODY ? PB_STORE_ERROR_UNKNOWN_USER
                       : verdict.reason == PB_RULE_HUB_ONLY ? PB_STORE_ERROR_FORBIDDEN
                       : PB_STORE_ERROR_READ_ONLY_USER, message);
  return FALSE;
}
