/* pb-rules.c: who may write what, and what roles and organisation kinds mean
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks of one write, in the order the hub has always made them: who the writer is
 * (role), whether the row is there for their organisation, the fields that never change,
 * the organisation a row is written in the name of, the rows it points at, and the
 * consultation's record, which is the chair's.
 */

#define G_LOG_DOMAIN "pb-rules"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-rules.h"

/* ---- Roles and organisations ------------------------------------------------------ */

/**
 * pb_rules_is_member_kind:
 *
 * Returns: whether organisations of @kind are members of the consultation (police,
 *   customs, prosecution), as opposed to private partners, who see only what is shared
 *   with them and change nothing
 */
gboolean
pb_rules_is_member_kind (PbOrgKind kind)
{
  return kind != PB_ORG_PRIVATE_PARTNER;
}

/**
 * pb_rules_may_lead:
 *
 * Returns: whether an organisation of @kind may lead an item or a case (and so be handed
 *   its lead): the services do, private partners never
 */
gboolean
pb_rules_may_lead (PbOrgKind kind)
{
  return pb_rules_is_member_kind (kind);
}

/* Private partners are the people of partner organisations, and only they. */
gboolean
pb_rules_role_fits_kind (PbRole    role,
                         PbOrgKind kind)
{
  return (role == PB_ROLE_PARTNER) == (kind == PB_ORG_PRIVATE_PARTNER);
}

/* The kind of a new organisation when an administrator names none. */
PbOrgKind
pb_rules_default_kind (PbRole role)
{
  switch (role)
    {
    case PB_ROLE_PARTNER:
      return PB_ORG_PRIVATE_PARTNER;
    case PB_ROLE_CHAIR:
      return PB_ORG_PROSECUTION;
    case PB_ROLE_OFFICER:
    case PB_ROLE_ADMIN:
    case PB_N_ROLES:
    default:
      return PB_ORG_POLICE;
    }
}

/* A handling code as it is stored and exchanged: "AMBER+STRICT", not "tlp:amber+strict". */
gboolean
pb_rules_tlp_is_canonical (const char *tlp)
{
  PbTlp value;

  return tlp != NULL && pb_tlp_from_string (tlp, &value) && strcmp (tlp, pb_tlp_to_string (value)) == 0;
}

static gboolean
signed_in (const PbActor *actor)
{
  return actor != NULL && actor->person != NULL;
}

/* Whether the person writes shared data at all: officers and chairs of the members. */
gboolean
pb_rules_may_write_data (const PbActor *actor)
{
  return signed_in (actor) && (actor->role == PB_ROLE_CHAIR || actor->role == PB_ROLE_OFFICER);
}

gboolean
pb_rules_is_chair (const PbActor *actor)
{
  return signed_in (actor) && actor->role == PB_ROLE_CHAIR;
}

/* The consultation's meetings are its members'; private partners are not shown them (the
 * hub sends them none). */
gboolean
pb_rules_may_see_meetings (const PbActor *actor)
{
  return signed_in (actor) && actor->role != PB_ROLE_PARTNER && pb_rules_is_member_kind (actor->org_kind);
}

/* Hits are deconfliction between the services: that the police or customs hold an item
 * on a container is itself sensitive, so private partners are told of no hit. */
gboolean
pb_rules_may_see_hits (const PbActor *actor)
{
  return signed_in (actor) && actor->role != PB_ROLE_PARTNER && pb_rules_is_member_kind (actor->org_kind);
}

/* Chairs and administrators oversee the whole access log; everyone else sees their own
 * entries. */
gboolean
pb_rules_oversees_access_log (const PbActor *actor)
{
  return signed_in (actor) && (actor->role == PB_ROLE_CHAIR || actor->role == PB_ROLE_ADMIN);
}

/* Whether the map shows this person incidents at their exact place. A private partner
 * sees an incident at its exact place only where its item was shared with their
 * organisation by name, else at the centroid of its terminal. */
gboolean
pb_rules_exact_places (const PbActor *actor)
{
  return signed_in (actor) && actor->role != PB_ROLE_PARTNER && pb_rules_is_member_kind (actor->org_kind);
}

/* ---- References and fixed fields -------------------------------------------------- */

/* A field that names a row of another table: the row's visibility and a writer's right to
 * point at it depend on that row. */
static const PbReference references[] = {
  { "identifiers", "item", "items" },
  { "item_shares", "item", "items" },
  { "incidents", "item", "items" },
  { "item_links", "item_a", "items" },
  { "item_links", "item_b", "items" },
  { "items", "case_id", "cases" },
  { "case_leads", "case_id", "cases" },
  { "meeting_attendance", "meeting", "meetings" },
  { "agenda_entries", "meeting", "meetings" },
  { "agenda_entries", "item", "items" },
  { "decisions", "meeting", "meetings" },
  { "decisions", "item", "items" },
  { "meeting_actions", "meeting", "meetings" },
  { "meeting_actions", "item", "items" },
  { "requests", "item", "items" },
};

/* Fields written by the one who creates the row, never changed after: who a row belongs
 * to and what it hangs on decide who sees it. */
static const struct
{
  const char *table;
  const char *field;
} fixed_fields[] = {
  { "items", "source_org" },
  { "items", "author" },
  { "incidents", "source_org" },
  { "cases", "source_org" },
  { "identifiers", "item" },
  { "item_shares", "item" },
  { "item_shares", "org" },
  { "item_links", "item_a" },
  { "item_links", "item_b" },
  { "case_leads", "case_id" },
  { "meeting_attendance", "meeting" },
  { "meeting_attendance", "org" },
  { "agenda_entries", "meeting" },
  { "agenda_entries", "item" },
  { "agenda_entries", "item_org" },
  { "decisions", "meeting" },
  { "decisions", "item" },
  { "meeting_actions", "meeting" },
  { "meeting_actions", "item" },
  { "meeting_actions", "owner_org" },
  { "case_leads", "org" },
  { "case_leads", "decided_by" },
  { "decisions", "decided_by" },
  { "meetings", "chair" },
  { "requests", "item" },
  { "requests", "item_org" },
  { "requests", "source_org" },
  { "requests", "requested_by" },
  { "requests", "requested_at" },
  { "requests", "kind" },
  { "requests", "org" },
  { "requests", "tlp" },
  { "requests", "reason" },
};

/* Fields that name the person who writes the row: on a new row, the writer themselves. */
static const struct { const char *table, *field; } signer_fields[] = {
  { "items", "author" }, { "case_leads", "decided_by" }, { "decisions", "decided_by" }, { "meetings", "chair" },
  { "requests", "requested_by" },
};

static gboolean
is_signer_field (const char *table,
                 const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (signer_fields); i++)
    if (strcmp (signer_fields[i].table, table) == 0 && strcmp (signer_fields[i].field, field) == 0)
      return TRUE;
  return FALSE;
}

/* Fields that name the organisation that leads (pb_rules_may_lead). */
static const struct { const char *table, *field; } lead_fields[] = {
  { "items", "lead_org" }, { "cases", "lead_org" }, { "case_leads", "org" }, { "decisions", "lead_org" },
};

/* Fields that name an organisation. */
static const char *const org_fields[] = {
  "org", "source_org", "lead_org", "owner_org", "item_org", NULL,
};

const PbReference *
pb_rules_references (guint *n_references)
{
  *n_references = G_N_ELEMENTS (references);
  return references;
}

const char *
pb_rules_reference_parent (const char *table,
                           const char *field)
{
  for (guint i = 0; table && field && i < G_N_ELEMENTS (references); i++)
    if (strcmp (references[i].table, table) == 0 && strcmp (references[i].field, field) == 0)
      return references[i].parent;
  return NULL;
}

gboolean
pb_rules_is_fixed (const char *table,
                   const char *field)
{
  for (guint i = 0; table && field && i < G_N_ELEMENTS (fixed_fields); i++)
    if (strcmp (fixed_fields[i].table, table) == 0 && strcmp (fixed_fields[i].field, field) == 0)
      return TRUE;
  return FALSE;
}

gboolean
pb_rules_is_org_field (const char *table,
                       const char *field)
{
  return field != NULL && g_strv_contains (org_fields, field);
}

gboolean
pb_rules_is_lead_field (const char *table,
                        const char *field)
{
  for (guint i = 0; table && field && i < G_N_ELEMENTS (lead_fields); i++)
    if (strcmp (lead_fields[i].table, table) == 0 && strcmp (lead_fields[i].field, field) == 0)
      return TRUE;
  return FALSE;
}

/* ---- Writing ---------------------------------------------------------------------- */

static gboolean
is_table (const char *table,
          const char *name)
{
  return strcmp (table, name) == 0;
}

static gboolean
is_hub_table (const char *table)
{
  return is_table (table, "organisations") || is_table (table, "people");
}

/* The consultation's record: meetings, their agendas and decisions are written by the
 * chair; attendance and actions by the chair and, for their own part, by participants. */
static gboolean
is_chair_table (const char *table)
{
  return is_table (table, "meetings") || is_table (table, "agenda_entries") || is_table (table, "decisions");
}

static PbVerdict
refuse (PbRuleReason reason,
        const char  *table,
        const char  *field)
{
  return (PbVerdict) { reason, table, field };
}

/**
 * pb_rules_may_write_table:
 *
 * Whether @actor may write rows of @table at all (some rows, some fields): what a page's
 * sensitivity follows. pb_rules_check_write() decides each write.
 */
PbVerdict
pb_rules_may_write_table (const PbActor *actor,
                          const char    *table)
{
  g_return_val_if_fail (table != NULL, refuse (PB_RULE_NOBODY, NULL, NULL));

  if (is_hub_table (table))
    return actor == NULL || actor->person == NULL ? PB_VERDICT_ALLOWED : refuse (PB_RULE_HUB_ONLY, table, NULL);
  if (!signed_in (actor))
    return refuse (PB_RULE_NOBODY, table, NULL);
  if (actor->role == PB_ROLE_PARTNER || !pb_rules_is_member_kind (actor->org_kind))
    return refuse (PB_RULE_READ_ONLY, table, NULL);
  if (actor->role == PB_ROLE_ADMIN)
    return refuse (PB_RULE_ADMIN, table, NULL);
  if (is_chair_table (table) && actor->role != PB_ROLE_CHAIR)
    return refuse (PB_RULE_CHAIR, table, NULL);
  return PB_VERDICT_ALLOWED;
}

static const char *
text_of (PbRecord   *record,
         const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v && v->type == PB_VALUE_TEXT ? v->s : NULL;
}

/* Whether @record sets no field but those in @allowed. */
static gboolean
sets_only (PbRecord           *record,
           const char * const *allowed)
{
  const PbTableInfo *info = pb_record_get_table (record);

  for (guint i = 0; i < info->n_columns; i++)
    if (pb_record_get_value (record, i)->type != PB_VALUE_UNSET && !g_strv_contains (allowed, info->columns[i].name))
      return FALSE;
  return TRUE;
}

static gboolean
unset_or_null (PbRecord   *record,
               const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v == NULL || v->type == PB_VALUE_NULL;
}

/* What a participant who is not the chair writes of the consultation's record: that their
 * own organisation follows the meeting (its attendance row, not who is in the room), and,
 * for an action their organisation owns, that it is done. */
static gboolean
participant_may (const PbRuleSource *src,
                 const PbActor      *actor,
                 PbOp                op,
                 PbRecord           *record)
{
  const char *table = pb_record_get_table (record)->name;
  const char *id = pb_record_get_id (record);
  static const char *const attendance_insert[] = { "meeting", "org", "connected", "in_room", "names", NULL };
  static const char *const attendance_update[] = { "connected", NULL };
  static const char *const action_update[] = { "done_at", NULL };

  if (is_table (table, "meeting_attendance") && op == PB_OP_INSERT)
    {
      const PbValue *in_room = pb_record_lookup (record, "in_room");

      return g_strcmp0 (text_of (record, "org"), actor->org) == 0 && sets_only (record, attendance_insert)
             && (unset_or_null (record, "in_room") || (in_room->type == PB_VALUE_INTEGER && in_room->i == 0))
             && unset_or_null (record, "names");
    }
  if (is_table (table, "meeting_attendance") && op == PB_OP_UPDATE)
    {
      g_autofree char *org = src->field (src->data, table, id, "org");
      return g_strcmp0 (org, actor->org) == 0 && sets_only (record, attendance_update);
    }
  if (is_table (table, "meeting_actions") && op == PB_OP_UPDATE)
    {
      g_autofree char *owner = src->field (src->data, table, id, "owner_org");
      return g_strcmp0 (owner, actor->org) == 0 && sets_only (record, action_update);
    }
  return FALSE;
}

/* The organisation an item comes from. */
static gboolean
is_originator (const PbRuleSource *src,
               const PbActor      *actor,
               const char         *item)
{
  g_autofree char *source = item ? src->field (src->data, "items", item, "source_org") : NULL;

  return source != NULL && g_strcmp0 (source, actor->org) == 0;
}

/* What only the organisation an item (or incident) comes from decides — TLP 2.0: those it
 * is given to neither pass it on beyond its label nor change the label, and nobody erases
 * another's report: sharing an item by name or taking the sharing back, changing a
 * handling code, deleting. The chair decides sharing and handling codes for the
 * consultation too (its decisions), but deletes no one's report. Others ask the
 * originator (a request). */
static gboolean
originator_may (const PbRuleSource *src,
                const PbActor      *actor,
                PbOp                op,
                PbRecord           *record)
{
  const char *table = pb_record_get_table (record)->name;
  const char *id = pb_record_get_id (record);
  gboolean chair = actor->role == PB_ROLE_CHAIR;

  if (is_table (table, "items") || is_table (table, "incidents"))
    {
      g_autofree char *source = NULL;

      if (op == PB_OP_INSERT)
        return TRUE;
      if (op == PB_OP_UPDATE && (pb_record_lookup (record, "tlp") == NULL || chair))
        return TRUE;
      source = src->field (src->data, table, id, "source_org");
      return source != NULL && g_strcmp0 (source, actor->org) == 0;
    }
  if (is_table (table, "item_shares"))
    {
      g_autofree char *item = NULL;

      if (chair)
        return TRUE;
      item = op == PB_OP_INSERT ? g_strdup (text_of (record, "item")) : src->field (src->data, table, id, "item");
      return is_originator (src, actor, item);
    }
  if (is_table (table, "requests"))
    {
      g_autofree char *asked = NULL;
      const PbValue *by;

      /* A request is addressed to the organisation the report comes from; that one alone
       * answers it, in its own name; nobody deletes one. */
      if (op == PB_OP_INSERT)
        {
          g_autofree char *source = text_of (record, "item")
                                    ? src->field (src->data, "items", text_of (record, "item"), "source_org") : NULL;
          return source != NULL && g_strcmp0 (source, text_of (record, "item_org")) == 0;
        }
      if (op == PB_OP_DELETE)
        return FALSE;
      asked = src->field (src->data, table, id, "item_org");
      by = pb_record_lookup (record, "decided_by");
      return g_strcmp0 (asked, actor->org) == 0
             && (by == NULL || by->type != PB_VALUE_TEXT || g_strcmp0 (by->s, actor->person) == 0);
    }
  return TRUE;
}

static gboolean
parent_visible (const PbRuleSource *src,
                const PbActor      *actor,
                const char         *parent_table,
                const char         *parent)
{
  return pb_rules_may_see (src, actor, parent_table, parent);
}

/**
 * pb_rules_check_write:
 * @record: the fields an insert sets, or those an update changes
 *
 * Decides one write of @actor. The row an update or a delete touches must be there for
 * their organisation; an update changes no field that is written once; a new row is
 * written in the name of their own organisation and points only at rows they see; the
 * consultation's record is the chair's, but for the parts a participant writes.
 *
 * Returns: %PB_RULE_ALLOWED, or the reason of the refusal
 */
PbVerdict
pb_rules_check_write (const PbRuleSource *src,
                      const PbActor      *actor,
                      PbOp                op,
                      PbRecord           *record)
{
  const PbTableInfo *info = pb_record_get_table (record);
  const char *table = info->name;
  const char *id = pb_record_get_id (record);
  PbVerdict verdict = pb_rules_may_write_table (actor, table);
  gboolean participant = FALSE;

  if (!pb_verdict_allowed (verdict))
    {
      /* A participant's own part of the consultation's record. */
      if (verdict.reason != PB_RULE_CHAIR)
        return verdict;
      participant = TRUE;
    }
  if (is_hub_table (table))
    return verdict;
  if ((is_table (table, "meeting_attendance") || is_table (table, "meeting_actions")) && actor->role != PB_ROLE_CHAIR)
    participant = TRUE;

  if (op != PB_OP_INSERT && (id == NULL || !pb_rules_may_see (src, actor, table, id)))
    return refuse (PB_RULE_NOT_VISIBLE, table, NULL);

  /* The rows it points at first: what follows reads them (who an item comes from), and a
   * row the writer does not see must answer as one that is not there. */
  if (op != PB_OP_DELETE)
    for (guint i = 0; i < info->n_columns; i++)
      {
        const PbValue *v = pb_record_get_value (record, i);
        const char *field = info->columns[i].name;
        const char *parent = pb_rules_reference_parent (table, field);

        if (parent && v->type == PB_VALUE_TEXT && !parent_visible (src, actor, parent, v->s))
          return refuse (PB_RULE_PARENT_NOT_VISIBLE, table, field);
      }

  if (participant && !participant_may (src, actor, op, record))
    return refuse (PB_RULE_CHAIR, table, NULL);

  if (!originator_may (src, actor, op, record))
    return refuse (PB_RULE_ORIGINATOR, table, NULL);

  if (op == PB_OP_DELETE)
    return PB_VERDICT_ALLOWED;

  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *v = pb_record_get_value (record, i);
      const char *field = info->columns[i].name;

      if (v->type == PB_VALUE_UNSET)
        continue;
      if (op == PB_OP_UPDATE && pb_rules_is_fixed (table, field))
        return refuse (PB_RULE_FIXED, table, field);
      if (op == PB_OP_INSERT && is_table (field, "source_org") && g_strcmp0 (text_of (record, field), actor->org) != 0)
        return refuse (PB_RULE_OWN_ORG, table, field);
      if (op == PB_OP_INSERT && v->type == PB_VALUE_TEXT && is_signer_field (table, field)
          && g_strcmp0 (v->s, actor->person) != 0)
        return refuse (PB_RULE_OWN_NAME, table, field);
      /* A partner is never made to lead, whoever writes it. */
      if (v->type == PB_VALUE_TEXT && pb_rules_is_lead_field (table, field)
          && (src->org_bit (src->data, v->s) & src->partners) != 0)
        return refuse (PB_RULE_LEAD, table, field);
    }
  return PB_VERDICT_ALLOWED;
}

const char *
pb_rule_reason_to_string (PbRuleReason reason)
{
  static const char *names[PB_N_RULE_REASONS] = {
    "allowed", "nobody", "read-only", "admin", "hub-only", "not-visible", "parent-not-visible", "fixed",
    "own-org", "chair", "lead", "own-name", "originator",
  };

  g_return_val_if_fail (reason < PB_N_RULE_REASONS, NULL);
  return names[reason];
}

/**
 * pb_verdict_message:
 *
 * Returns: (transfer full): why a write was refused, in words for the person who tried
 */
char *
pb_verdict_message (PbVerdict verdict)
{
  switch (verdict.reason)
    {
    case PB_RULE_ALLOWED:
      return g_strdup (_("Allowed"));
    case PB_RULE_NOBODY:
      return g_strdup (_("Nobody is signed in: choose who you are before changing anything"));
    case PB_RULE_READ_ONLY:
      return g_strdup (_("Partners have read-only access: this change was not saved"));
    case PB_RULE_ADMIN:
      return g_strdup (_("Administrators manage accounts; they do not write shared data"));
    case PB_RULE_HUB_ONLY:
      return g_strdup (_("Organisations and people come from the hub’s accounts; they are not changed here"));
    case PB_RULE_NOT_VISIBLE:
      return g_strdup (_("The record does not exist or is not shared with your organisation"));
    case PB_RULE_PARENT_NOT_VISIBLE:
      return g_strdup (_("It refers to a record that does not exist or is not shared with your organisation"));
    case PB_RULE_FIXED:
      return g_strdup_printf (_("“%s” cannot be changed once written"), verdict.field);
    case PB_RULE_OWN_ORG:
      return g_strdup (_("Records are written in the name of your own organisation"));
    case PB_RULE_CHAIR:
      return g_strdup (_("Only the chair of the consultation runs a meeting"));
    case PB_RULE_LEAD:
      return g_strdup (_("Only the services lead: a private partner cannot be given the lead"));
    case PB_RULE_OWN_NAME:
      return g_strdup (_("Records are written in your own name"));
    case PB_RULE_ORIGINATOR:
      return g_strdup (_("Only the organisation the report comes from shares it, changes its handling code or "
                         "deletes it: ask it to"));
    case PB_N_RULE_REASONS:
    default:
      g_return_val_if_reached (NULL);
    }
}
