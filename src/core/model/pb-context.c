/* pb-context.c: who is signed in, and what the rulebook lets them do, as properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Views bind their sensitivity and visibility to these properties (can-write, is-chair,
 * sees-meetings…) instead of each asking who acts; the answers are the rulebook's
 * (src/core/rules/). The context follows the store: a role or an organisation that changes
 * (a synchronisation brings the hub's accounts) changes the properties at once.
 */

#define G_LOG_DOMAIN "pb-context"

#include "config.h"

#include "pb-context.h"

struct _PbContext
{
  GObject         parent_instance;

  PbStore        *store;
  PbPerson       *person;
  PbOrganisation *org;
  gboolean        can_write;
  gboolean        is_chair;
  gboolean        is_partner;
  gboolean        sees_meetings;
};

G_DEFINE_FINAL_TYPE (PbContext, pb_context, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SIGNED_IN,
  PROP_PERSON,
  PROP_PERSON_NAME,
  PROP_ORG,
  PROP_ORG_CODE,
  PROP_ORG_NAME,
  PROP_ROLE,
  PROP_CAN_WRITE,
  PROP_IS_CHAIR,
  PROP_IS_PARTNER,
  PROP_SEES_MEETINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Reads who acts again, and says what changed. */
static void
update (PbContext *self)
{
  const PbActor *me = pb_store_get_me (self->store);
  g_autoptr(PbPerson) person = NULL;
  g_autoptr(PbOrganisation) org = NULL;
  gboolean can_write, is_chair, is_partner, sees_meetings;

  if (me->person)
    person = pb_store_find_person (self->store, me->person, NULL);
  if (person)
    org = pb_store_find_organisation (self->store, person->org, NULL);
  can_write = pb_rules_may_write_data (me);
  is_chair = pb_rules_is_chair (me);
  is_partner = me->person != NULL && !pb_rules_is_member_kind (me->org_kind);
  sees_meetings = pb_rules_may_see_meetings (me);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (person ? person->id : NULL, self->person ? self->person->id : NULL) != 0
      || g_strcmp0 (person ? person->name : NULL, self->person ? self->person->name : NULL) != 0
      || (person && self->person && person->role != self->person->role))
    {
      gboolean was_signed_in = self->person != NULL;

      g_clear_pointer (&self->person, pb_person_free);
      self->person = g_steal_pointer (&person);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSON_NAME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
      if (was_signed_in != (self->person != NULL))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    }
  if (g_strcmp0 (org ? org->id : NULL, self->org ? self->org->id : NULL) != 0
      || g_strcmp0 (org ? org->short_code : NULL, self->org ? self->org->short_code : NULL) != 0
      || g_strcmp0 (org ? org->name : NULL, self->org ? self->org->name : NULL) != 0)
    {
      g_clear_pointer (&self->org, pb_organisation_free);
      self->org = g_steal_pointer (&org);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_CODE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_NAME]);
    }
#define SET(field, prop) \
  if (self->field != field) \
    { \
      self->field = field; \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
    }
  SET (can_write, PROP_CAN_WRITE)
  SET (is_chair, PROP_IS_CHAIR)
  SET (is_partner, PROP_IS_PARTNER)
  SET (sees_meetings, PROP_SEES_MEETINGS)
#undef SET
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_rows_changed_cb (PbStore     *store,
                    PbChangeSet *changes,
                    PbContext   *self)
{
  if (pb_change_set_touches (changes, "people") || pb_change_set_touches (changes, "organisations"))
    update (self);
}

static void
pb_context_dispose (GObject *object)
{
  PbContext *self = PB_CONTEXT (object);

  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_context_parent_class)->dispose (object);
}

static void
pb_context_finalize (GObject *object)
{
  PbContext *self = PB_CONTEXT (object);

  g_clear_pointer (&self->person, pb_person_free);
  g_clear_pointer (&self->org, pb_organisation_free);

  G_OBJECT_CLASS (pb_context_parent_class)->finalize (object);
}

static void
pb_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PbContext *self = PB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->person != NULL);
      break;
    case PROP_PERSON:
      g_value_set_string (value, self->person ? self->person->id : NULL);
      break;
    case PROP_PERSON_NAME:
      g_value_set_string (value, self->person ? self->person->name : NULL);
      break;
    case PROP_ORG:
      g_value_set_string (value, self->org ? self->org->id : NULL);
      break;
    case PROP_ORG_CODE:
      g_value_set_string (value, self->org ? self->org->short_code : NULL);
      break;
    case PROP_ORG_NAME:
      g_value_set_string (value, self->org ? self->org->name : NULL);
      break;
    case PROP_ROLE:
      g_value_set_uint (value, self->person ? self->person->role : PB_N_ROLES);
      break;
    case PROP_CAN_WRITE:
      g_value_set_boolean (value, self->can_write);
      break;
    case PROP_IS_CHAIR:
      g_value_set_boolean (value, self->is_chair);
      break;
    case PROP_IS_PARTNER:
      g_value_set_boolean (value, self->is_partner);
      break;
    case PROP_SEES_MEETINGS:
      g_value_set_boolean (value, self->sees_meetings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PbContext *self = PB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_context_constructed (GObject *object)
{
  PbContext *self = PB_CONTEXT (object);

  G_OBJECT_CLASS (pb_context_parent_class)->constructed (object);
  g_assert (PB_IS_STORE (self->store));
  g_signal_connect (self->store, "rows-changed", G_CALLBACK (on_rows_changed_cb), self);
  update (self);
}

static void
pb_context_class_init (PbContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pb_context_dispose;
  object_class->finalize = pb_context_finalize;
  object_class->constructed = pb_context_constructed;
  object_class->get_property = pb_context_get_property;
  object_class->set_property = pb_context_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, PB_TYPE_STORE,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, ro);
  properties[PROP_PERSON] = g_param_spec_string ("person", NULL, NULL, NULL, ro);
  properties[PROP_PERSON_NAME] = g_param_spec_string ("person-name", NULL, NULL, NULL, ro);
  properties[PROP_ORG] = g_param_spec_string ("org", NULL, NULL, NULL, ro);
  properties[PROP_ORG_CODE] = g_param_spec_string ("org-code", NULL, NULL, NULL, ro);
  properties[PROP_ORG_NAME] = g_param_spec_string ("org-name", NULL, NULL, NULL, ro);
  /* A PbRole; PB_N_ROLES when nobody is signed in. */
  properties[PROP_ROLE] = g_param_spec_uint ("role", NULL, NULL, 0, PB_N_ROLES, PB_N_ROLES, ro);
  /* Whether the person writes shared data: officers and chairs of the members. */
  properties[PROP_CAN_WRITE] = g_param_spec_boolean ("can-write", NULL, NULL, FALSE, ro);
  properties[PROP_IS_CHAIR] = g_param_spec_boolean ("is-chair", NULL, NULL, FALSE, ro);
  properties[PROP_IS_PARTNER] = g_param_spec_boolean ("is-partner", NULL, NULL, FALSE, ro);
  properties[PROP_SEES_MEETINGS] = g_param_spec_boolean ("sees-meetings", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pb_context_init (PbContext *self)
{
}

PbContext *
pb_context_new (PbStore *store)
{
  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  return g_object_new (PB_TYPE_CONTEXT, "store", store, NULL);
}

PbStore *
pb_context_get_store (PbContext *self)
{
  g_return_val_if_fail (PB_IS_CONTEXT (self), NULL);

  return self->store;
}

/**
 * pb_context_sign_in:
 * @person: (nullable): a person's id or name; %NULL signs out
 *
 * Signs @person in to the store; the properties follow.
 */
gboolean
pb_context_sign_in (PbContext  *self,
                    const char *person,
                    GError    **error)
{
  g_return_val_if_fail (PB_IS_CONTEXT (self), FALSE);

  if (!pb_store_set_actor (self->store, person, error))
    return FALSE;
  update (self);
  return TRUE;
}

const PbActor *
pb_context_get_actor (PbContext *self)
{
  g_return_val_if_fail (PB_IS_CONTEXT (self), NULL);

  return pb_store_get_me (self->store);
}

gboolean pb_context_get_signed_in (PbContext *self) { return self->person != NULL; }
const char *pb_context_get_person_name (PbContext *self) { return self->person ? self->person->name : NULL; }
const char *pb_context_get_org_code (PbContext *self) { return self->org ? self->org->short_code : NULL; }
const char *pb_context_get_org_name (PbContext *self) { return self->org ? self->org->name : NULL; }
PbRole pb_context_get_role (PbContext *self) { return self->person ? self->person->role : PB_N_ROLES; }
gboolean pb_context_get_can_write (PbContext *self) { return self->can_write; }
gboolean pb_context_get_is_chair (PbContext *self) { return self->is_chair; }
gboolean pb_context_get_is_partner (PbContext *self) { return self->is_partner; }
gboolean pb_context_get_sees_meetings (PbContext *self) { return self->sees_meetings; }
