/* pb-meeting.h: the operational consultation: meetings, agenda, decisions, actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-card.h"
#include "pb-store.h"

G_BEGIN_DECLS

typedef enum
{
  PB_OUTCOME_DISMISS,
  PB_OUTCOME_MONITOR,
  PB_OUTCOME_ASSIGN_LEAD,
  PB_OUTCOME_LINK_CASE,
  PB_OUTCOME_OPEN_CASE,
  PB_OUTCOME_SHARE,
  PB_N_OUTCOMES
} PbOutcome;

/* Why an item is on the agenda (a mask). */
typedef enum
{
  PB_AGENDA_NEW        = 1 << 0, /* reported since the last meeting */
  PB_AGENDA_CHANGED    = 1 << 1, /* changed since the last meeting */
  PB_AGENDA_ASSESSMENT = 1 << 2, /* in Joint assessment */
  PB_AGENDA_ACTION     = 1 << 3, /* an action decided before is still open */
  PB_AGENDA_HIT        = 1 << 4, /* another organisation holds one of its identifiers,
                                  * found since the last meeting */
  PB_AGENDA_ADDED      = 1 << 5, /* added by the chair */
} PbAgendaReason;

typedef struct
{
  char     *id;
  char     *title;
  char     *place;
  gint64    starts_at;      /* seconds since 1970 */
  gboolean  closed;
  gint64    closed_at;
  char     *chair_name;
  char     *org;            /* the chairing organisation's id */
  char     *presenting;     /* the agenda entry shown to everyone; NULL: none */
  char     *minutes_sha256; /* of the last minutes made; NULL: none yet */
} PbMeeting;

typedef struct
{
  char     *id;
  char     *org;
  char     *org_code;
  char     *org_name;
  PbOrgKind org_kind;
  gboolean  in_room;
  gboolean  connected;
  char     *names;
} PbAttendance;

typedef struct
{
  char     *id;
  char     *item;
  char     *item_org_code;  /* whose item it is, also for those who may not see it */
  char     *item_org_name;
  double    rank;
  guint     reasons;        /* PbAgendaReason */
  PbCard   *card;           /* NULL: the signed-in person may not see the item */
  gboolean  located;
  double    lat;
  double    lon;
  char     *port_area;
  guint     n_decisions;    /* taken in this meeting */
} PbAgendaEntry;

typedef struct
{
  char      *id;
  char      *meeting;
  char      *item;
  PbOutcome  outcome;
  char      *lead_code;     /* NULL: none set */
  char      *lead_name;
  char      *priority;
  char      *case_id;
  char      *case_title;
  char      *share_names;   /* organisations it was shared with, ", "-separated */
  char      *tlp;           /* the new handling code; NULL: unchanged */
  char      *note;
  gint64     decided_at;
  char      *decided_by;
} PbDecision;

typedef struct
{
  char     *id;
  char     *meeting;
  char     *item;
  char     *owner_org;
  char     *owner_code;
  char     *owner_name;
  char     *description;
  char     *due_date;       /* YYYY-MM-DD; NULL: none */
  gint64    done_at;        /* 0: open */
  gboolean  may_set_done;   /* the rulebook lets the person signed in say it is done, or open */
} PbAction;

typedef struct
{
  const char *owner_org;    /* organisation id or short code */
  const char *description;
  const char *due_date;     /* YYYY-MM-DD or NULL */
} PbActionSpec;

/* What the chair records of one organisation's attendance (pb_meeting_record_attendance()). */
typedef struct
{
  const char *org;          /* organisation id or short code */
  gboolean    in_room;
  const char *names;        /* who came for it; NULL or "": no names */
} PbAttendanceSpec;

/* What the consultation decides on one item. Only what is set changes. */
typedef struct
{
  PbOutcome            outcome;
  const char          *lead_org;    /* id or short code; needed to assign a lead */
  const char          *priority;    /* "low" … "urgent" or NULL */
  const char          *case_id;     /* linking to a case */
  const char          *case_title;  /* opening a case */
  const char * const  *share_orgs;  /* ids or short codes to share with */
  const char          *tlp;         /* a new handling code, or NULL */
  const char          *note;
  const PbActionSpec  *actions;
  guint                n_actions;
} PbDecisionSpec;

const char   *pb_outcome_to_string         (PbOutcome       outcome);
gboolean      pb_outcome_from_string       (const char     *s,
                                            PbOutcome      *outcome);
const char   *pb_outcome_label             (PbOutcome       outcome);
char         *pb_agenda_reasons_label      (guint           reasons);

gboolean      pb_meeting_open              (PbStore        *store,
                                            const char     *title,
                                            const char     *place,
                                            gint64          starts_at,
                                            char          **meeting_id,
                                            GError        **error);
GPtrArray    *pb_meeting_list              (PbStore        *store,
                                            GError        **error);
PbMeeting    *pb_meeting_get               (PbStore        *store,
                                            const char     *meeting_id,
                                            GError        **error);
PbMeeting    *pb_meeting_get_current       (PbStore        *store,
                                            GError        **error);
gboolean      pb_meeting_set_attendance    (PbStore        *store,
                                            const char     *meeting_id,
                                            const char     *org,
                                            gboolean        in_room,
                                            const char     *names,
                                            GError        **error);
gboolean      pb_meeting_set_connected     (PbStore        *store,
                                            const char     *meeting_id,
                                            gboolean        connected,
                                            GError        **error);
gboolean      pb_meeting_record_attendance (PbStore                *store,
                                            const char             *meeting_id,
                                            const PbAttendanceSpec *orgs,
                                            guint                   n_orgs,
                                            GError                **error);
GPtrArray    *pb_meeting_list_attendance   (PbStore        *store,
                                            const char     *meeting_id,
                                            GError        **error);
gboolean      pb_meeting_propose_agenda    (PbStore        *store,
                                            const char     *meeting_id,
                                            guint          *n_added,
                                            GError        **error);
GPtrArray    *pb_meeting_list_agenda       (PbStore        *store,
                                            const char     *meeting_id,
                                            GError        **error);
gboolean      pb_meeting_add_entry         (PbStore        *store,
                                            const char     *meeting_id,
                                            const char     *item_id,
                                            GError        **error);
gboolean      pb_meeting_remove_entry      (PbStore        *store,
                                            const char     *entry_id,
                                            GError        **error);
gboolean      pb_meeting_move_entry        (PbStore        *store,
                                            const char     *entry_id,
                                            const char     *before_entry,
                                            GError        **error);
gboolean      pb_meeting_present           (PbStore        *store,
                                            const char     *meeting_id,
                                            const char     *entry_id,
                                            GError        **error);
gboolean      pb_meeting_decide            (PbStore              *store,
                                            const char           *meeting_id,
                                            const char           *item_id,
                                            const PbDecisionSpec *spec,
                                            char                **decision_id,
                                            GError              **error);
GPtrArray    *pb_meeting_list_decisions    (PbStore        *store,
                                            const char     *meeting_id,
                                            const char     *item_id,
                                            GError        **error);
GPtrArray    *pb_meeting_list_actions      (PbStore        *store,
                                            const char     *meeting_id,
                                            gboolean        open_only,
                                            GError        **error);
gboolean      pb_meeting_set_action_done   (PbStore        *store,
                                            const char     *action_id,
                                            gboolean        done,
                                            GError        **error);
gboolean      pb_meeting_close             (PbStore        *store,
                                            const char     *meeting_id,
                                            GError        **error);
gboolean      pb_meeting_record_minutes    (PbStore        *store,
                                            const char     *meeting_id,
                                            const char     *sha256,
                                            const char     *where,
                                            GError        **error);
GStrv         pb_meeting_room_orgs         (PbStore        *store,
                                            const char     *meeting_id,
                                            GError        **error);
gboolean      pb_meeting_room_may_see      (PbStore            *store,
                                            const char         *item_id,
                                            const char * const *orgs);

void          pb_meeting_free              (PbMeeting      *meeting);
void          pb_attendance_free           (PbAttendance   *attendance);
void          pb_agenda_entry_free         (PbAgendaEntry  *entry);
void          pb_decision_free             (PbDecision     *decision);
void          pb_action_free               (PbAction       *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbMeeting, pb_meeting_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbAgendaEntry, pb_agenda_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbDecision, pb_decision_free)

G_END_DECLS
