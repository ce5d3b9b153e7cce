/* pb-vocab.h: the controlled vocabularies of Portboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Traffic Light Protocol 2.0 (FIRST). Ordered from least to most restricted. */
typedef enum
{
  PB_TLP_CLEAR,
  PB_TLP_GREEN,
  PB_TLP_AMBER,
  PB_TLP_AMBER_STRICT,
  PB_TLP_RED,
  PB_N_TLP
} PbTlp;

typedef enum
{
  PB_ROLE_CHAIR,
  PB_ROLE_OFFICER,
  PB_ROLE_PARTNER,   /* read-only */
  PB_ROLE_ADMIN,
  PB_N_ROLES
} PbRole;

typedef enum
{
  PB_ORG_POLICE,
  PB_ORG_CUSTOMS,
  PB_ORG_PROSECUTION,
  PB_ORG_PRIVATE_PARTNER,
  PB_N_ORG_KINDS
} PbOrgKind;

/* Board columns: the life of an information item. */
typedef enum
{
  PB_STATUS_INCOMING,
  PB_STATUS_ASSESSMENT,
  PB_STATUS_LEAD_ASSIGNED,
  PB_STATUS_IN_ACTION,
  PB_STATUS_MONITORING,
  PB_STATUS_CLOSED,
  PB_N_STATUSES
} PbStatus;

typedef enum
{
  PB_PRIORITY_LOW,
  PB_PRIORITY_NORMAL,
  PB_PRIORITY_HIGH,
  PB_PRIORITY_URGENT,
  PB_N_PRIORITIES
} PbPriority;

typedef enum
{
  PB_INCIDENT_SEIZURE,
  PB_INCIDENT_BREACH,
  PB_INCIDENT_EXTRACTION_ATTEMPT,
  PB_INCIDENT_ARREST,
  PB_INCIDENT_SUSPICIOUS_CONTAINER,
  PB_INCIDENT_SEAL_ANOMALY,
  PB_N_INCIDENT_KINDS
} PbIncidentKind;

/* What an organisation asks of the one a report comes from (only it decides). */
typedef enum
{
  PB_REQUEST_SHARE,      /* share it by name with another organisation */
  PB_REQUEST_UNSHARE,    /* stop sharing it with one */
  PB_REQUEST_HANDLING,   /* change its handling code */
  PB_N_REQUEST_KINDS
} PbRequestKind;

typedef enum
{
  PB_REQUEST_OPEN,
  PB_REQUEST_ACCEPTED,
  PB_REQUEST_REFUSED,
  PB_N_REQUEST_STATUSES
} PbRequestStatus;

/* What Directive 2016/680 Art. 25 requires to be logged. */
typedef enum
{
  PB_ACCESS_COLLECTION,
  PB_ACCESS_ALTERATION,
  PB_ACCESS_CONSULTATION,
  PB_ACCESS_DISCLOSURE,
  PB_ACCESS_COMBINATION,
  PB_ACCESS_ERASURE,
  PB_N_ACCESS_ACTIONS
} PbAccessAction;

typedef struct
{
  const char *code;
  const char *name;
  const char *group;
} PbModusOperandi;

const char *pb_tlp_to_string            (PbTlp tlp);
gboolean    pb_tlp_from_string          (const char *str, PbTlp *tlp);
const char *pb_tlp_css_class            (PbTlp tlp);

const char *pb_role_to_string           (PbRole role);
gboolean    pb_role_from_string         (const char *str, PbRole *role);
const char *pb_role_label               (PbRole role);

const char *pb_org_kind_to_string       (PbOrgKind kind);
gboolean    pb_org_kind_from_string     (const char *str, PbOrgKind *kind);
const char *pb_org_kind_label           (PbOrgKind kind);

const char *pb_status_to_string         (PbStatus status);
gboolean    pb_status_from_string       (const char *str, PbStatus *status);
const char *pb_status_label             (PbStatus status);

const char *pb_priority_to_string       (PbPriority priority);
gboolean    pb_priority_from_string     (const char *str, PbPriority *priority);
const char *pb_priority_label           (PbPriority priority);

const char *pb_incident_kind_to_string  (PbIncidentKind kind);
gboolean    pb_incident_kind_from_string (const char *str, PbIncidentKind *kind);
const char *pb_incident_kind_label      (PbIncidentKind kind);

const char *pb_request_kind_to_string   (PbRequestKind kind);
gboolean    pb_request_kind_from_string (const char *str, PbRequestKind *kind);
const char *pb_request_kind_label       (PbRequestKind kind);

const char *pb_request_status_to_string (PbRequestStatus status);
gboolean    pb_request_status_from_string (const char *str, PbRequestStatus *status);
const char *pb_request_status_label     (PbRequestStatus status);

const char *pb_access_action_to_string  (PbAccessAction action);

const PbModusOperandi *pb_modus_operandi_list   (guint *n_entries);
const PbModusOperandi *pb_modus_operandi_lookup (const char *code);

gboolean    pb_grading_is_valid         (const char *reliability, const char *credibility);

G_END_DECLS
