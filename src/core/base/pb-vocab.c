/* pb-vocab.c: the controlled vocabularies of Portboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-vocab"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-vocab.h"

typedef struct
{
  const char *id;
  const char *label;
} Entry;

static gboolean
lookup (const Entry *entries,
        guint        n,
        const char  *str,
        guint       *out)
{
  if (str == NULL)
    return FALSE;
  /* Values read back from the database are in their canonical spelling: an exact match
   * first, as boards look up three of these per card. */
  for (guint i = 0; i < n; i++)
    {
      if (strcmp (entries[i].id, str) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      if (g_ascii_strcasecmp (entries[i].id, str) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The three functions of a vocabulary: its stable identifier (stored and exchanged), the
 * lookup from an identifier (case-insensitive), and its translated label. */
#define DEFINE_VOCABULARY(prefix, Type, entries, n)                     \
  const char *                                                          \
  prefix##_to_string (Type value)                                       \
  {                                                                     \
    g_return_val_if_fail ((guint) value < (n), NULL);                   \
    return entries[value].id;                                           \
  }                                                                     \
                                                                        \
  gboolean                                                              \
  prefix##_from_string (const char *str,                                \
                        Type       *value)                              \
  {                                                                     \
    guint i;                                                            \
    if (!lookup (entries, (n), str, &i))                                \
      return FALSE;                                                     \
    *value = i;                                                         \
    return TRUE;                                                        \
  }                                                                     \
                                                                        \
  const char *                                                          \
  prefix##_label (Type value)                                           \
  {                                                                     \
    g_return_val_if_fail ((guint) value < (n), NULL);                   \
    return _(entries[value].label);                                     \
  }

/* TLP labels stay in English in every language (FIRST TLP 2.0). */
static const Entry tlps[PB_N_TLP] = {
  { "CLEAR", "TLP:CLEAR" },
  { "GREEN", "TLP:GREEN" },
  { "AMBER", "TLP:AMBER" },
  { "AMBER+STRICT", "TLP:AMBER+STRICT" },
  { "RED", "TLP:RED" },
};

const char *
pb_tlp_to_string (PbTlp tlp)
{
  g_return_val_if_fail (tlp < PB_N_TLP, NULL);
  return tlps[tlp].id;
}

gboolean
pb_tlp_from_string (const char *str,
                    PbTlp      *tlp)
{
  guint i;

  if (str && g_ascii_strncasecmp (str, "TLP:", 4) == 0)
    str += 4;
  if (!lookup (tlps, PB_N_TLP, str, &i))
    return FALSE;
  *tlp = i;
  return TRUE;
}

const char *
pb_tlp_css_class (PbTlp tlp)
{
  static const char *classes[PB_N_TLP] = {
    "tlp-clear", "tlp-green", "tlp-amber", "tlp-amber-strict", "tlp-red",
  };
  g_return_val_if_fail (tlp < PB_N_TLP, NULL);
  return classes[tlp];
}

static const Entry roles[PB_N_ROLES] = {
  { "chair", N_("Chair") },
  { "officer", N_("Officer") },
  { "partner", N_("Partner (read-only)") },
  { "admin", N_("Administrator") },
};

DEFINE_VOCABULARY (pb_role, PbRole, roles, PB_N_ROLES)

static const Entry org_kinds[PB_N_ORG_KINDS] = {
  { "police", N_("Police") },
  { "customs", N_("Customs") },
  { "prosecution", N_("Prosecution") },
  { "partner", N_("Private partner") },
};

DEFINE_VOCABULARY (pb_org_kind, PbOrgKind, org_kinds, PB_N_ORG_KINDS)

static const Entry statuses[PB_N_STATUSES] = {
  { "incoming", N_("Incoming") },
  { "assessment", N_("Joint assessment") },
  { "lead-assigned", N_("Lead assigned") },
  { "in-action", N_("In action") },
  { "monitoring", N_("Monitoring") },
  { "closed", N_("Closed") },
};

DEFINE_VOCABULARY (pb_status, PbStatus, statuses, PB_N_STATUSES)

static const Entry priorities[PB_N_PRIORITIES] = {
  { "low", N_("Low") },
  { "normal", N_("Normal") },
  { "high", N_("High") },
  { "urgent", N_("Urgent") },
};

DEFINE_VOCABULARY (pb_priority, PbPriority, priorities, PB_N_PRIORITIES)

static const Entry incident_kinds[PB_N_INCIDENT_KINDS] = {
  { "seizure", N_("Seizure") },
  { "breach", N_("Perimeter breach") },
  { "extraction-attempt", N_("Extraction attempt") },
  { "arrest", N_("Arrest") },
  { "suspicious-container", N_("Suspicious container") },
  { "seal-anomaly", N_("Seal anomaly") },
};

DEFINE_VOCABULARY (pb_incident_kind, PbIncidentKind, incident_kinds, PB_N_INCIDENT_KINDS)

static const Entry request_kinds[PB_N_REQUEST_KINDS] = {
  { "share", N_("Share with an organisation") },
  { "unshare", N_("Stop sharing with an organisation") },
  { "handling", N_("Change the handling code") },
};

DEFINE_VOCABULARY (pb_request_kind, PbRequestKind, request_kinds, PB_N_REQUEST_KINDS)

static const Entry request_statuses[PB_N_REQUEST_STATUSES] = {
  { "open", N_("Open") },
  { "accepted", N_("Accepted") },
  { "refused", N_("Refused") },
};

DEFINE_VOCABULARY (pb_request_status, PbRequestStatus, request_statuses, PB_N_REQUEST_STATUSES)

const char *
pb_access_action_to_string (PbAccessAction action)
{
  static const char *names[PB_N_ACCESS_ACTIONS] = {
    "collection", "alteration", "consultation", "disclosure", "combination", "erasure",
  };
  g_return_val_if_fail (action < PB_N_ACCESS_ACTIONS, NULL);
  return names[action];
}

/* domain.md §3.2: concealment, extraction, insider facilitation, routing. */
static const PbModusOperandi modus_operandi[] = {
  { "MO-RIPON", N_("Rip-on / rip-off"), N_("Loading and concealment") },
  { "MO-FRONT", N_("Front-of-door loading"), N_("Loading and concealment") },
  { "MO-REEFER", N_("Reefer machinery"), N_("Loading and concealment") },
  { "MO-STRUCT", N_("Container structure"), N_("Loading and concealment") },
  { "MO-CARGO", N_("Concealed in legitimate cargo"), N_("Loading and concealment") },
  { "MO-CHEM", N_("Chemical incorporation"), N_("Loading and concealment") },
  { "MO-GROUP", N_("Groupage / LCL container"), N_("Loading and concealment") },
  { "MO-HULL", N_("Hull / sea chest"), N_("Loading and concealment") },
  { "MO-SHIP", N_("Vessel structure"), N_("Loading and concealment") },
  { "MO-CREW", N_("Crew couriers"), N_("Loading and concealment") },
  { "MO-DROP", N_("Drop-off at sea"), N_("Loading and concealment") },
  { "MO-EXTRACT", N_("Extractors"), N_("Extraction") },
  { "MO-ACCESS", N_("Unauthorised access"), N_("Extraction") },
  { "MO-PIN", N_("PIN-code fraud"), N_("Extraction") },
  { "MO-SWITCH", N_("Container switch"), N_("Extraction") },
  { "MO-OUTSIDE", N_("Extraction outside the port"), N_("Extraction") },
  { "MO-INSIDER", N_("Corrupt insider"), N_("Corruption and insiders") },
  { "MO-IT", N_("IT / data misuse"), N_("Corruption and insiders") },
  { "MO-SCOUT", N_("Scouts"), N_("Corruption and insiders") },
  { "MO-SCANGAP", N_("Exploiting control gaps"), N_("Corruption and insiders") },
  { "MO-DECOY", N_("Decoy tip-off"), N_("Corruption and insiders") },
  { "MO-ROUTE", N_("Transshipment / cold route"), N_("Routing") },
};

const PbModusOperandi *
pb_modus_operandi_list (guint *n_entries)
{
  *n_entries = G_N_ELEMENTS (modus_operandi);
  return modus_operandi;
}

const PbModusOperandi *
pb_modus_operandi_lookup (const char *code)
{
  for (guint i = 0; code && i < G_N_ELEMENTS (modus_operandi); i++)
    if (strcmp (modus_operandi[i].code, code) == 0)
      return &modus_operandi[i];
  return NULL;
}

/* Admiralty (NATO) grading: source reliability A–F, information credibility 1–6. */
gboolean
pb_grading_is_valid (const char *reliability,
                     const char *credibility)
{
  return reliability && strlen (reliability) == 1 && reliability[0] >= 'A' && reliability[0] <= 'F'
         && credibility && strlen (credibility) == 1 && credibility[0] >= '1'
         && credibility[0] <= '6';
}
