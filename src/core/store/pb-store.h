/* pb-store.h: the local Portboard database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "pb-card.h"
#include "pb-changes.h"
#include "pb-gazetteer.h"
#include "pb-record.h"
#include "pb-rules.h"
#include "pb-vocab.h"

G_BEGIN_DECLS

#define PB_STORE_ERROR (pb_store_error_quark ())

typedef enum
{
  PB_STORE_ERROR_FAILED,
  PB_STORE_ERROR_NOT_SQLITE,      /* the file is not an SQLite database */
  PB_STORE_ERROR_NOT_PORTBOARD,   /* an SQLite database of another program */
  PB_STORE_ERROR_TOO_NEW,         /* written by a newer Portboard */
  PB_STORE_ERROR_READ_ONLY_FILE,  /* the file or its folder cannot be written */
  PB_STORE_ERROR_CORRUPT,
  PB_STORE_ERROR_READ_ONLY_USER,  /* partners cannot write */
  PB_STORE_ERROR_UNKNOWN_USER,
  PB_STORE_ERROR_INVALID,         /* a value breaks a rule of the data model */
  PB_STORE_ERROR_NOT_FOUND,
  PB_STORE_ERROR_FORBIDDEN,       /* the rulebook refuses this write to this person */
  PB_STORE_ERROR_UNREADABLE_CHANGE, /* a pulled change this version cannot read */
  PB_STORE_ERROR_CHANGED_SINCE,   /* an undo would overwrite what was written after its act */
} PbStoreError;

typedef struct
{
  PbOp      op;
  PbRecord *record;
} PbWrite;

typedef struct
{
  char   *id;
  char   *name;
  char   *short_code;
  PbOrgKind kind;
  char   *colour;
} PbOrganisation;

typedef struct
{
  char   *id;
  char   *name;
  char   *org;
  PbRole  role;
} PbPerson;

typedef struct
{
  gint64  seq;
  gint64  at_ms;
  char   *person;      /* name, or "system" */
  char   *action;
  char   *table;
  char   *row_id;
  char   *detail;
  char   *reason;
} PbAccessEntry;

typedef struct
{
  char   *item;        /* an item the signed-in person may see */
  char   *kind;
  char   *value;
  char   *org_code;    /* another organisation that holds the same identifier */
  char   *org_name;
  /*< private >*/
  gpointer block;      /* the block of many hits this one is in; NULL: its own */
} PbHit;

/* What the board is narrowed to; empty fields do not narrow. */
typedef struct
{
  char      *text;          /* full-text, as typed */
  GStrv      orgs;          /* source organisations, by code */
  guint      tlp_mask;      /* 1 << PbTlp */
  guint      priority_mask; /* 1 << PbPriority */
  char      *modus_operandi;
  char      *terminal;      /* port area */
  gboolean   mine;          /* reported by or led by the signed-in person's organisation */
  gboolean   overdue;
} PbFilter;

typedef struct
{
  gint64  at_ms;
  char   *author;     /* name, or "system" */
  char   *table;
  char   *field;      /* NULL: the row was created or deleted */
  char   *old_value;  /* as text; NULL when there was none */
  char   *new_value;
  char   *op;
} PbHistoryEntry;

typedef struct
{
  char     *id;
  char     *kind;
  char     *value;
  gboolean  known_invalid;
} PbIdentifierRow;

typedef struct
{
  char     *id;
  char     *title;
  char     *lead_org;    /* organisation id; NULL: no lead decided */
  char     *lead_code;
  char     *lead_name;
  gboolean  closed;
  gint64    opened_at;   /* seconds since 1970; 0: unknown */
  gint64    closed_at;
  guint     n_items;     /* the items of the case the signed-in person may see */
} PbCase;

/* What an organisation asks of the one a report comes from (pb-store-requests.c). */
typedef struct
{
  char            *id;
  char            *item;
  char            *item_org;        /* asked: the organisation the item comes from */
  char            *item_org_code;
  char            *source_org;      /* who asks */
  char            *source_code;
  char            *source_name;
  char            *requested_by;    /* the person's name */
  gint64           requested_at;    /* seconds since 1970 */
  PbRequestKind    kind;
  char            *org;             /* share, unshare: with whom */
  char            *org_name;
  char            *tlp;             /* handling: the code asked for */
  char            *reason;
  PbRequestStatus  status;
  char            *decided_by;      /* the person's name */
  gint64           decided_at;
  char            *answer;
  gboolean         may_answer;      /* the person signed in may accept or refuse it */
} PbRequest;

/* A decision on who leads a case. */
typedef struct
{
  char   *id;
  gint64  decided_at;    /* seconds since 1970 */
  char   *org;           /* organisation id */
  char   *org_code;
  char   *org_name;
  char   *decided_by;    /* name; NULL for a lead recorded before decisions were kept */
  char   *reason;
} PbCaseLead;

typedef struct
{
  char           *id;
  PbIncidentKind  kind;
  gint64          occurred_at; /* seconds since 1970 */
  char           *terminal;
  char           *goods;
  double          kg;          /* 0: none given */
  double          cash_eur;
  char           *item;
  char           *source_code;
  PbTlp           tlp;
  char           *description;
} PbIncident;

typedef struct _PbItemSet PbItemSet;

/* An incident where the map puts it. */
typedef struct
{
  char           *id;
  double          lat;
  double          lon;
  gboolean        exact;       /* FALSE: moved to its terminal's centroid (partners) */
  PbIncidentKind  kind;
  PbTlp           tlp;
  gint64          occurred_at; /* seconds since 1970 */
  char           *terminal;
  char           *item;
  double          kg;
  char           *title;       /* set for a located item (is_item), NULL for an incident */
  gboolean        is_item;
  gint64          item_rowid;  /* of its item (what board filters test); 0: none */
} PbMapIncident;

#define PB_TYPE_STORE (pb_store_get_type ())
G_DECLARE_FINAL_TYPE (PbStore, pb_store, PB, STORE, GObject)

GQuark          pb_store_error_quark         (void);

PbStore        *pb_store_open                (const char     *path,
                                              GError        **error) G_GNUC_WARN_UNUSED_RESULT;
const char     *pb_store_get_path            (PbStore        *self);
const char     *pb_store_get_site_id         (PbStore        *self);
int             pb_store_get_schema_version  (PbStore        *self);

/* Who acts. %NULL is the local set-up ("system"), which may only create organisations
 * and people. */
gboolean        pb_store_set_actor           (PbStore        *self,
                                              const char     *person_id,
                                              GError        **error);
const char     *pb_store_get_actor           (PbStore        *self);
const PbActor  *pb_store_get_me              (PbStore        *self);
const PbRuleSource *pb_store_get_rules      (PbStore        *self);
gboolean        pb_store_may_see             (PbStore        *self,
                                              const char     *table,
                                              const char     *row_id);
void            pb_store_set_purpose         (PbStore        *self,
                                              const char     *purpose);
void            pb_store_set_clock           (PbStore        *self,
                                              gint64        (*now_ms) (gpointer),
                                              gpointer        user_data);
void            pb_store_set_id_source       (PbStore        *self,
                                              char         *(*new_id) (gpointer),
                                              gpointer        user_data);

/* The one write path. */
gboolean        pb_store_write               (PbStore        *self,
                                              PbOp            op,
                                              PbRecord       *record,
                                              GError        **error);
gboolean        pb_store_write_many          (PbStore        *self,
                                              const PbWrite  *writes,
                                              guint           n_writes,
                                              GError        **error);
gboolean        pb_store_begin               (PbStore        *self,
                                              GError        **error);
gboolean        pb_store_commit              (PbStore        *self,
                                              GError        **error);
void            pb_store_rollback            (PbStore        *self);

void            pb_store_announce            (PbStore        *self,
                                              PbChangeSet    *changes);
gboolean        pb_store_log_access          (PbStore        *self,
                                              PbAccessAction  action,
                                              const char     *table,
                                              const char     *row_id,
                                              const char     *detail,
                                              GError        **error);
gboolean        pb_store_verify_access_log   (PbStore        *self,
                                              gint64         *first_bad_seq,
                                              GError        **error);

/* Reading */
GPtrArray      *pb_store_list_organisations  (PbStore        *self,
                                              GError        **error);
GPtrArray      *pb_store_list_people         (PbStore        *self,
                                              GError        **error);
PbPerson       *pb_store_find_person         (PbStore        *self,
                                              const char     *id_or_name,
                                              GError        **error);
PbOrganisation *pb_store_find_organisation   (PbStore        *self,
                                              const char     *id_or_code,
                                              GError        **error);
GListStore     *pb_store_load_cards          (PbStore        *self,
                                              GError        **error);
PbCard         *pb_store_load_card           (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
GPtrArray      *pb_store_load_cards_by_id    (PbStore        *self,
                                              const char * const *ids,
                                              guint           n,
                                              GError        **error);
gboolean        pb_store_fill_card_details   (PbStore        *self,
                                              PbCard *const  *cards,
                                              guint           n,
                                              GError        **error);
PbItemSet      *pb_store_filter_items        (PbStore        *self,
                                              const PbFilter *filter,
                                              GError        **error);
gboolean        pb_filter_is_empty           (const PbFilter *filter);
PbItemSet      *pb_item_set_new              (void);
void            pb_item_set_add              (PbItemSet      *set,
                                              gint64          rowid);
gboolean        pb_item_set_contains         (const PbItemSet *set,
                                              gint64          rowid);
guint           pb_item_set_get_size         (const PbItemSet *set);
PbItemSet      *pb_item_set_ref              (PbItemSet      *set);
void            pb_item_set_unref            (PbItemSet      *set);
GPtrArray      *pb_store_list_map_incidents  (PbStore        *self,
                                              gint64          since,
                                              PbGazetteer    *gazetteer,
                                              GError        **error);
GPtrArray      *pb_store_list_map_items      (PbStore        *self,
                                              gint64          since,
                                              PbGazetteer    *gazetteer,
                                              GError        **error);
GHashTable     *pb_store_list_item_shares    (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
GStrv           pb_store_list_port_areas     (PbStore        *self,
                                              GError        **error);
GPtrArray      *pb_store_search_cards        (PbStore        *self,
                                              const char     *text,
                                              guint           limit,
                                              GError        **error);
void            pb_filter_clear              (PbFilter       *filter);
GArray         *pb_store_search              (PbStore        *self,
                                              const char     *text,
                                              GError        **error);
GHashTable     *pb_store_open_item           (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
GPtrArray      *pb_store_list_access_log     (PbStore        *self,
                                              guint           limit,
                                              guint          *n_total,
                                              GError        **error);
GPtrArray      *pb_store_list_hits           (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
gboolean        pb_store_move_item           (PbStore        *self,
                                              const char     *item_id,
                                              PbStatus        column,
                                              const char     *before_item,
                                              const char     *lead_org,
                                              const char     *closing_reason,
                                              GError        **error);
GPtrArray      *pb_store_item_history        (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
GPtrArray      *pb_store_list_identifiers    (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);

/* Cases (pb-store-cases.c) */
GPtrArray      *pb_store_list_cases          (PbStore        *self,
                                              GError        **error);
PbCase         *pb_store_open_case           (PbStore        *self,
                                              const char     *case_id,
                                              GError        **error);
gboolean        pb_store_create_case         (PbStore        *self,
                                              const char     *title,
                                              const char     *lead_org,
                                              const char * const *item_ids,
                                              char          **case_id,
                                              GError        **error);
gboolean        pb_store_add_to_case         (PbStore        *self,
                                              const char     *case_id,
                                              const char * const *item_ids,
                                              GError        **error);
gboolean        pb_store_remove_from_case    (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);
gboolean        pb_store_set_case_lead       (PbStore        *self,
                                              const char     *case_id,
                                              const char     *org,
                                              const char     *reason,
                                              GError        **error);
gboolean        pb_store_set_case_closed     (PbStore        *self,
                                              const char     *case_id,
                                              gboolean        closed,
                                              GError        **error);
GPtrArray      *pb_store_list_case_leads     (PbStore        *self,
                                              const char     *case_id,
                                              GError        **error);
GPtrArray      *pb_store_list_case_items     (PbStore        *self,
                                              const char     *case_id,
                                              GError        **error);
GPtrArray      *pb_store_list_incidents      (PbStore        *self,
                                              const char     *case_id,
                                              const char     *item_id,
                                              GError        **error);
gboolean        pb_store_link_items          (PbStore        *self,
                                              const char     *item_id,
                                              const char     *other_id,
                                              GError        **error);
gboolean        pb_store_unlink_items        (PbStore        *self,
                                              const char     *item_id,
                                              const char     *other_id,
                                              GError        **error);
GPtrArray      *pb_store_list_linked_items   (PbStore        *self,
                                              const char     *item_id,
                                              GError        **error);

gboolean        pb_store_may_write           (PbStore        *self,
                                              PbOp            op,
                                              PbRecord       *record);

void            pb_request_free              (PbRequest      *request);
gboolean        pb_store_request             (PbStore        *self,
                                              const char     *item_id,
                                              PbRequestKind   kind,
                                              const char     *org,
                                              const char     *tlp,
                                              const char     *reason,
                                              char          **request_id,
                                              GError        **error);
gboolean        pb_store_answer_request      (PbStore        *self,
                                              const char     *request_id,
                                              gboolean        accept,
                                              const char     *answer,
                                              GError        **error);
GPtrArray      *pb_store_list_requests       (PbStore        *self,
                                              const char     *item_id,
                                              gboolean        open_only,
                                              GError        **error);

gboolean        pb_store_is_portboard_file   (const char     *path);

void            pb_organisation_free         (PbOrganisation *org);
void            pb_person_free               (PbPerson       *person);
void            pb_access_entry_free         (PbAccessEntry  *entry);
void            pb_hit_free                  (PbHit          *hit);
void            pb_history_entry_free        (PbHistoryEntry *entry);
void            pb_identifier_row_free       (PbIdentifierRow *row);
void            pb_case_free                 (PbCase         *c);
void            pb_map_incident_free         (PbMapIncident  *incident);
void            pb_case_lead_free            (PbCaseLead     *lead);
void            pb_incident_free             (PbIncident     *incident);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbOrganisation, pb_organisation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbPerson, pb_person_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbCase, pb_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbRequest, pb_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbMapIncident, pb_map_incident_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbItemSet, pb_item_set_unref)

G_END_DECLS
