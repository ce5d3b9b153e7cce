/* test-rules.c: one table of cases through a store and through a real hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same organisations, people and rows are made twice: in one local database, written
 * by each row's owner through the store's write path (as the demo holds every service's
 * rows), and on a real portboard-hub process, written by each owner's own enrolled
 * database and synchronised. Then every case — who, what (see a row, insert, update a
 * field, delete), which row — is asked of both: the store answers with its write path (in
 * a transaction rolled back after each case) and its listings; the hub with what it
 * delivers to that person's database and with what it does with the change pushed as
 * theirs (on a fresh copy of the hub's data for each case). Both must give the expected
 * answer, for the expected reason. A rule can no longer differ between them; nor can
 * what a replica's data model and schema refuse (values, constraints, unique keys).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pb-rules.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-util.h"

/* ---- Who ------------------------------------------------------------------------- */

enum { POLICE, CUSTOMS, CHAIR, PARTNER, ADMIN, N_WHO };

static const struct
{
  const char *name;
  const char *org;
  const char *kind;
  const char *role;
} who[N_WHO] = {
  [POLICE] = { "Karim Police", "Federal Police", "police", "officer" },
  [CUSTOMS] = { "Cato Customs", "Customs", "customs", "officer" },
  [CHAIR] = { "Rania Chair", "Port Prosecutor", "prosecution", "chair" },
  [PARTNER] = { "Sam Partner", "Terminal Operator", "partner", "partner" },
  [ADMIN] = { "Adam Admin", "Port Prosecutor", "prosecution", "admin" },
};

/* ---- The rows, by name: each has one id on both sides ---------------------------- */

typedef struct
{
  guint       actor;
  PbOp        op;
  const char *table;
  const char *name;        /* the row; NULL for a new row of a case */
  const char *fields[12];  /* "field=value"; a value "@org:N", "@person:N" or "@row:name" is
                            * resolved on each side; "#N" is an integer */
} Step;

#define ORG(n) "@org:" G_STRINGIFY (n)
#define PERSON(n) "@person:" G_STRINGIFY (n)

static const Step fixture[] = {
  /* The police's items, each with a container; two of them shared by name. */
  { POLICE, PB_OP_INSERT, "items", "i_clear", { "title=Clear", "tlp=CLEAR", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_green", { "title=Green", "tlp=GREEN", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_green2", { "title=Green two", "tlp=GREEN", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_green_trm", { "title=Green for the terminal", "tlp=GREEN", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_amber", { "title=Amber", "tlp=AMBER", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_amber_cus", { "title=Amber for customs", "tlp=AMBER", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "items", "i_red", { "title=Red", "tlp=RED", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "identifiers", "d_green", { "item=@row:i_green", "kind=container", "raw=MSCU1234566", "value=MSCU1234566" } },
  { POLICE, PB_OP_INSERT, "identifiers", "d_amber", { "item=@row:i_amber", "kind=container", "raw=CSQU3054383", "value=CSQU3054383" } },
  { POLICE, PB_OP_INSERT, "identifiers", "d_amber_cus", { "item=@row:i_amber_cus", "kind=container", "raw=TASU1170000", "value=TASU1170000" } },
  { POLICE, PB_OP_INSERT, "item_shares", "s_amber_cus", { "item=@row:i_amber_cus", "org=" ORG (1) } },
  /* Customs asks the police to pass it on to the partner. */
  { CUSTOMS, PB_OP_INSERT, "requests", "q_share", { "item=@row:i_amber_cus", "item_org=" ORG (0), "source_org=" ORG (1), "requested_by=" PERSON (1), "requested_at=#1790000000", "kind=share", "org=" ORG (3), "reason=The terminal can hold it" } },
  { POLICE, PB_OP_INSERT, "item_shares", "s_green_trm", { "item=@row:i_green_trm", "org=" ORG (3) } },
  /* An incident of the police's, AMBER, on an item that is shared by name afterwards: those
   * it is shared with then see the incident too. */
  { POLICE, PB_OP_INSERT, "incidents", "n_green2", { "kind=seizure", "tlp=AMBER", "item=@row:i_green2", "source_org=" ORG (0), "occurred_at=#1790000000" } },
  /* A TLP:CLEAR incident on an AMBER item: it names the item, so it is not seen beyond it. */
  { POLICE, PB_OP_INSERT, "incidents", "n_clear_on_amber", { "kind=seizure", "tlp=CLEAR", "item=@row:i_amber", "source_org=" ORG (0), "occurred_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "incidents", "n_clear_alone", { "kind=seizure", "tlp=CLEAR", "source_org=" ORG (0), "occurred_at=#1790000000" } },
  { POLICE, PB_OP_INSERT, "item_shares", "s_green2_cus", { "item=@row:i_green2", "org=" ORG (1) } },
  { POLICE, PB_OP_INSERT, "item_links", "l_clear_green", { "item_a=@row:i_clear", "item_b=@row:i_green" } },
  { POLICE, PB_OP_INSERT, "item_links", "l_green_amber", { "item_a=@row:i_green", "item_b=@row:i_amber" } },
  /* Customs' own item. */
  { CUSTOMS, PB_OP_INSERT, "items", "c_red", { "title=Customs red", "tlp=RED", "source_org=" ORG (1), "author=" PERSON (1), "reported_at=#1790000000" } },
  /* The chair's cases: one led by the police, who put their GREEN item in it; one of its own. */
  { CHAIR, PB_OP_INSERT, "cases", "k_case", { "title=Reefer line", "lead_org=" ORG (0), "source_org=" ORG (2) } },
  { CHAIR, PB_OP_INSERT, "case_leads", "k_lead", { "case_id=@row:k_case", "org=" ORG (0), "decided_at=#1790000000" } },
  { CHAIR, PB_OP_INSERT, "cases", "k_own", { "title=Prosecutor's own", "lead_org=" ORG (2), "source_org=" ORG (2) } },
  { POLICE, PB_OP_UPDATE, "items", "i_green", { "case_id=@row:k_case" } },
  /* The consultation: a meeting, the police connected, an action customs owns. */
  { CHAIR, PB_OP_INSERT, "meetings", "m_meeting", { "title=Consultation 12", "chair=" PERSON (2), "org=" ORG (2), "starts_at=#1790000000" } },
  { CHAIR, PB_OP_INSERT, "meetings", "m_other", { "title=Consultation 13", "chair=" PERSON (2), "org=" ORG (2), "starts_at=#1790600000" } },
  { POLICE, PB_OP_INSERT, "meeting_attendance", "a_police", { "meeting=@row:m_meeting", "org=" ORG (0), "connected=#1" } },
  { CHAIR, PB_OP_INSERT, "meeting_actions", "x_customs", { "meeting=@row:m_meeting", "item=@row:i_green", "owner_org=" ORG (1), "description=Scan it" } },
};

/* ---- The cases --------------------------------------------------------------------- */

typedef enum
{
  SEE,
  WRITE,
} Kind;

typedef struct
{
  Kind         kind;
  guint        actor;
  PbOp         op;            /* WRITE */
  const char  *table;
  const char  *name;          /* the row; NULL: a new row (an insert) */
  PbRuleReason expected;      /* PB_RULE_ALLOWED, or why not */
  const char  *fields[10];
} Case;

/* Not the rulebook's reasons but the data model's and the schema's, which every replica
 * applies to what it stores (issue 15, finding 6): a value refused, a row that would
 * stand beside another with the same unique key. */
#define INVALID ((PbRuleReason) 100)
#define DUPLICATE ((PbRuleReason) 101)

static const char *
reason_name (PbRuleReason reason)
{
  return reason == INVALID ? "invalid" : reason == DUPLICATE ? "duplicate" : pb_rule_reason_to_string (reason);
}

#define SEES(a, t, n) { SEE, a, 0, t, n, PB_RULE_ALLOWED }
#define HIDDEN(a, t, n) { SEE, a, 0, t, n, PB_RULE_NOT_VISIBLE }

static const Case cases[] = {
  /* TLP 2.0 and sharing by name */
  SEES (PARTNER, "items", "i_clear"),
  HIDDEN (PARTNER, "items", "i_green"),
  SEES (PARTNER, "items", "i_green_trm"),
  HIDDEN (PARTNER, "items", "i_amber"),
  SEES (CUSTOMS, "items", "i_green"),
  HIDDEN (CUSTOMS, "items", "i_amber"),
  SEES (CUSTOMS, "items", "i_amber_cus"),
  HIDDEN (CUSTOMS, "items", "i_red"),
  HIDDEN (POLICE, "items", "c_red"),
  SEES (CHAIR, "items", "i_green"),
  HIDDEN (CHAIR, "items", "i_amber_cus"),
  /* What hangs on an item is seen with it */
  SEES (CUSTOMS, "identifiers", "d_amber_cus"),
  HIDDEN (CUSTOMS, "identifiers", "d_amber"),
  SEES (CUSTOMS, "item_shares", "s_amber_cus"),
  /* A request is between the two organisations */
  SEES (POLICE, "requests", "q_share"),
  SEES (CUSTOMS, "requests", "q_share"),
  HIDDEN (CHAIR, "requests", "q_share"),
  HIDDEN (PARTNER, "requests", "q_share"),
  SEES (CUSTOMS, "incidents", "n_green2"),
  SEES (POLICE, "incidents", "n_clear_on_amber"),
  HIDDEN (CUSTOMS, "incidents", "n_clear_on_amber"),
  HIDDEN (PARTNER, "incidents", "n_clear_on_amber"),
  SEES (PARTNER, "incidents", "n_clear_alone"),
  HIDDEN (PARTNER, "incidents", "n_green2"),
  HIDDEN (CHAIR, "incidents", "n_green2"),
  SEES (CUSTOMS, "item_links", "l_clear_green"),
  HIDDEN (PARTNER, "item_links", "l_clear_green"),
  HIDDEN (CUSTOMS, "item_links", "l_green_amber"),
  /* Cases: who opened it, who leads or led it, who sees one of its items */
  SEES (POLICE, "cases", "k_case"),
  SEES (CUSTOMS, "cases", "k_case"),
  HIDDEN (PARTNER, "cases", "k_case"),
  HIDDEN (CUSTOMS, "cases", "k_own"),
  SEES (CUSTOMS, "case_leads", "k_lead"),
  /* The consultation's record is its members' */
  SEES (CUSTOMS, "meetings", "m_meeting"),
  HIDDEN (PARTNER, "meetings", "m_meeting"),
  SEES (CUSTOMS, "meeting_actions", "x_customs"),
  HIDDEN (PARTNER, "meeting_actions", "x_customs"),

  /* Writing items */
  { WRITE, CUSTOMS, PB_OP_UPDATE, "items", "i_amber", PB_RULE_NOT_VISIBLE, { "title=Seen" } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "items", "i_amber_cus", PB_RULE_ALLOWED, { "title=Seen by customs" } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "items", "i_amber_cus", PB_RULE_FIXED, { "source_org=" ORG (1) } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", PB_RULE_FIXED, { "author=" PERSON (2) } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", PB_RULE_PARENT_NOT_VISIBLE, { "case_id=@row:k_own" } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "items", "c_red", PB_RULE_ALLOWED, { "tlp=AMBER" } },
  { WRITE, PARTNER, PB_OP_UPDATE, "items", "i_clear", PB_RULE_READ_ONLY, { "title=Partner's" } },
  { WRITE, ADMIN, PB_OP_UPDATE, "items", "i_clear", PB_RULE_ADMIN, { "title=Admin's" } },
  { WRITE, POLICE, PB_OP_INSERT, "items", NULL, PB_RULE_OWN_ORG,
    { "title=In customs' name", "tlp=GREEN", "source_org=" ORG (1), "author=" PERSON (0), "reported_at=#1790000000" } },
  { WRITE, POLICE, PB_OP_INSERT, "items", NULL, PB_RULE_ALLOWED,
    { "title=Own", "tlp=GREEN", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  /* Signed by someone else of the same organisation: refused. */
  { WRITE, POLICE, PB_OP_INSERT, "items", NULL, PB_RULE_OWN_NAME,
    { "title=Signed by the chair", "tlp=GREEN", "source_org=" ORG (0), "author=" PERSON (2), "reported_at=#1790000000" } },
  { WRITE, CHAIR, PB_OP_INSERT, "case_leads", NULL, PB_RULE_OWN_NAME,
    { "case_id=@row:k_case", "org=" ORG (1), "decided_at=#1790000000", "decided_by=" PERSON (0) } },
  { WRITE, CUSTOMS, PB_OP_DELETE, "items", "i_amber", PB_RULE_NOT_VISIBLE },
  /* Leading: the services, never a partner, whoever writes it */
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", PB_RULE_ALLOWED, { "lead_org=" ORG (1) } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", PB_RULE_LEAD, { "lead_org=" ORG (3) } },
  { WRITE, CHAIR, PB_OP_UPDATE, "cases", "k_case", PB_RULE_LEAD, { "lead_org=" ORG (3) } },
  { WRITE, CHAIR, PB_OP_INSERT, "case_leads", NULL, PB_RULE_LEAD,
    { "case_id=@row:k_case", "org=" ORG (3), "decided_at=#1790000000" } },
  { WRITE, CHAIR, PB_OP_INSERT, "case_leads", NULL, PB_RULE_ALLOWED,
    { "case_id=@row:k_case", "org=" ORG (1), "decided_at=#1790000000" } },
  /* Only the organisation a report comes from passes it on, relabels or deletes it */
  { WRITE, CUSTOMS, PB_OP_INSERT, "item_shares", NULL, PB_RULE_ORIGINATOR, { "item=@row:i_green", "org=" ORG (3) } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "item_shares", NULL, PB_RULE_ORIGINATOR, { "item=@row:i_amber_cus", "org=" ORG (3) } },
  { WRITE, CUSTOMS, PB_OP_DELETE, "item_shares", "s_amber_cus", PB_RULE_ORIGINATOR },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "items", "i_amber_cus", PB_RULE_ORIGINATOR, { "tlp=GREEN" } },
  { WRITE, CUSTOMS, PB_OP_DELETE, "items", "i_amber_cus", PB_RULE_ORIGINATOR },
  { WRITE, POLICE, PB_OP_INSERT, "item_shares", NULL, PB_RULE_ALLOWED, { "item=@row:i_green", "org=" ORG (3) } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", PB_RULE_ALLOWED, { "tlp=AMBER" } },
  { WRITE, POLICE, PB_OP_DELETE, "incidents", "n_green2", PB_RULE_ALLOWED },
  { WRITE, CUSTOMS, PB_OP_DELETE, "incidents", "n_green2", PB_RULE_ORIGINATOR },
  { WRITE, CHAIR, PB_OP_INSERT, "item_shares", NULL, PB_RULE_ALLOWED, { "item=@row:i_green", "org=" ORG (3) } },
  { WRITE, CHAIR, PB_OP_DELETE, "items", "i_green", PB_RULE_ORIGINATOR },
  /* Requests: to the originator, answered by it alone, in its own name, never deleted */
  { WRITE, CUSTOMS, PB_OP_INSERT, "requests", NULL, PB_RULE_ORIGINATOR,
    { "item=@row:i_amber_cus", "item_org=" ORG (2), "source_org=" ORG (1), "requested_by=" PERSON (1), "requested_at=#1790000000", "kind=handling", "tlp=GREEN", "reason=Wrong addressee" } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "requests", NULL, PB_RULE_ALLOWED,
    { "item=@row:i_amber_cus", "item_org=" ORG (0), "source_org=" ORG (1), "requested_by=" PERSON (1), "requested_at=#1790000000", "kind=handling", "tlp=GREEN", "reason=Every service should see it" } },
  { WRITE, POLICE, PB_OP_UPDATE, "requests", "q_share", PB_RULE_ALLOWED, { "status=refused", "decided_by=" PERSON (0) } },
  { WRITE, POLICE, PB_OP_UPDATE, "requests", "q_share", PB_RULE_ORIGINATOR, { "status=refused", "decided_by=" PERSON (1) } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "requests", "q_share", PB_RULE_ORIGINATOR, { "status=accepted" } },
  { WRITE, POLICE, PB_OP_UPDATE, "requests", "q_share", PB_RULE_FIXED, { "reason=Changed" } },
  { WRITE, CUSTOMS, PB_OP_DELETE, "requests", "q_share", PB_RULE_ORIGINATOR },
  /* What hangs on items */
  { WRITE, CUSTOMS, PB_OP_INSERT, "identifiers", NULL, PB_RULE_PARENT_NOT_VISIBLE,
    { "item=@row:i_amber", "kind=container", "raw=MSCU1234571", "value=MSCU1234571" } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "identifiers", NULL, PB_RULE_ALLOWED,
    { "item=@row:i_amber_cus", "kind=container", "raw=MSCU1234571", "value=MSCU1234571" } },
  { WRITE, POLICE, PB_OP_DELETE, "identifiers", "d_green", PB_RULE_ALLOWED },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "identifiers", "d_amber", PB_RULE_NOT_VISIBLE, { "known_invalid=#1" } },
  { WRITE, POLICE, PB_OP_INSERT, "item_links", NULL, PB_RULE_PARENT_NOT_VISIBLE,
    { "item_a=@row:i_clear", "item_b=@row:c_red" } },
  { WRITE, POLICE, PB_OP_UPDATE, "item_shares", "s_amber_cus", PB_RULE_FIXED, { "org=" ORG (3) } },
  /* The consultation: the chair's, but for a participant's own part */
  { WRITE, POLICE, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_ALLOWED, { "connected=#0" } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_CHAIR, { "connected=#0" } },
  { WRITE, POLICE, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_CHAIR, { "meeting=@row:m_other" } },
  { WRITE, POLICE, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_CHAIR, { "in_room=#1" } },
  { WRITE, CHAIR, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_ALLOWED, { "in_room=#1" } },
  { WRITE, CHAIR, PB_OP_UPDATE, "meeting_attendance", "a_police", PB_RULE_FIXED, { "org=" ORG (1) } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "meeting_attendance", NULL, PB_RULE_ALLOWED,
    { "meeting=@row:m_meeting", "org=" ORG (1), "connected=#1" } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "meeting_attendance", NULL, PB_RULE_CHAIR,
    { "meeting=@row:m_meeting", "org=" ORG (1), "in_room=#1" } },
  { WRITE, CUSTOMS, PB_OP_INSERT, "meeting_attendance", NULL, PB_RULE_CHAIR,
    { "meeting=@row:m_meeting", "org=" ORG (0), "connected=#1" } },
  { WRITE, CUSTOMS, PB_OP_UPDATE, "meeting_actions", "x_customs", PB_RULE_ALLOWED, { "done_at=#1790000000" } },
  { WRITE, POLICE, PB_OP_UPDATE, "meeting_actions", "x_customs", PB_RULE_CHAIR, { "done_at=#1790000000" } },
  { WRITE, POLICE, PB_OP_INSERT, "meetings", NULL, PB_RULE_CHAIR,
    { "title=Police meeting", "chair=" PERSON (0), "org=" ORG (0), "starts_at=#1790000000" } },
  { WRITE, CHAIR, PB_OP_INSERT, "meetings", NULL, PB_RULE_ALLOWED,
    { "title=Next consultation", "chair=" PERSON (2), "org=" ORG (2), "starts_at=#1790000000" } },
  { WRITE, CHAIR, PB_OP_UPDATE, "meetings", "m_meeting", PB_RULE_ALLOWED, { "title=Consultation 12 (moved)" } },
  /* What every replica can store: the data model and the schema, the same on both sides */
  { WRITE, POLICE, PB_OP_INSERT, "identifiers", NULL, INVALID,
    { "item=@row:i_green", "kind=container", "raw=MSCU1234565", "value=MSCU1234565" } },
  { WRITE, POLICE, PB_OP_INSERT, "identifiers", NULL, INVALID,
    { "item=@row:i_green", "kind=password", "raw=x", "value=x" } },
  { WRITE, POLICE, PB_OP_INSERT, "items", NULL, INVALID,
    { "title=Purple", "tlp=PURPLE", "source_org=" ORG (0), "author=" PERSON (0), "reported_at=#1790000000" } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", INVALID, { "tlp=PURPLE" } },
  { WRITE, POLICE, PB_OP_UPDATE, "items", "i_green", INVALID, { "title=" } },
  { WRITE, POLICE, PB_OP_INSERT, "incidents", NULL, INVALID,
    { "kind=seizure", "source_org=" ORG (0), "tlp=GREEN" } },
  { WRITE, POLICE, PB_OP_INSERT, "item_shares", NULL, DUPLICATE, { "item=@row:i_amber_cus", "org=" ORG (1) } },
};

/* ---- The two sides ------------------------------------------------------------------ */

typedef struct
{
  char            *path;
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
} Client;

typedef struct
{
  char       *dir;
  GHashTable *ids;           /* row name → UUID, the same on both sides */
  /* The store: one database holding every service's rows. */
  PbStore    *store;
  char       *store_orgs[N_WHO];
  char       *store_people[N_WHO];
  /* The hub, and each person's enrolled database. */
  PbTestHub   hub;
  char       *hub_dir;
  char       *golden;        /* the hub's data after the fixture */
  Client      clients[N_WHO];
  char       *hub_orgs[N_WHO];
  char       *hub_people[N_WHO];
} Fixture;

static const char *
row_id (Fixture    *f,
        const char *name)
{
  char *id = g_hash_table_lookup (f->ids, name);

  if (id == NULL)
    {
      id = pb_uuid_new ();
      g_hash_table_insert (f->ids, g_strdup (name), id);
    }
  return id;
}

/* A field's value as written in a step, on one side. */
static const char *
resolve (Fixture    *f,
         gboolean    hub,
         const char *value)
{
  if (g_str_has_prefix (value, "@org:"))
    return (hub ? f->hub_orgs : f->store_orgs)[atoi (value + 5)];
  if (g_str_has_prefix (value, "@person:"))
    return (hub ? f->hub_people : f->store_people)[atoi (value + 8)];
  if (g_str_has_prefix (value, "@row:"))
    return row_id (f, value + 5);
  return value;
}

static PbRecord *
make_record (Fixture            *f,
             gboolean            hub,
             const char         *table,
             const char         *id,
             const char * const *fields)
{
  PbRecord *r = pb_record_new (table, id);

  for (guint i = 0; fields[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (fields[i], "=", 2);

      if (kv[1][0] == '#')
        pb_record_set_int (r, kv[0], g_ascii_strtoll (kv[1] + 1, NULL, 10));
      else
        pb_record_set_string (r, kv[0], resolve (f, hub, kv[1]));
    }
  return r;
}

/* The change a person's device would push for a write, as JSON. */
static char *
change_json (Fixture            *f,
             guint               actor,
             PbOp                op,
             const char         *table,
             const char         *id,
             const char * const *fields)
{
  static guint counter;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  Client *c = &f->clients[actor];
  guint64 hlc = ((guint64) (g_get_real_time () / 1000) << 16) | (++counter & 0xffff);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "site");
  json_builder_add_string_value (b, pb_store_get_site_id (c->store));
  json_builder_set_member_name (b, "hlc");
  json_builder_add_int_value (b, (gint64) hlc);
  json_builder_set_member_name (b, "tbl");
  json_builder_add_string_value (b, table);
  json_builder_set_member_name (b, "row");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, op == PB_OP_INSERT ? "insert" : op == PB_OP_UPDATE ? "update" : "delete");
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, f->hub_people[actor]);
  if (op == PB_OP_INSERT)
    {
      json_builder_set_member_name (b, "value");
      json_builder_begin_object (b);
    }
  for (guint i = 0; op != PB_OP_DELETE && fields[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (fields[i], "=", 2);

      if (op == PB_OP_UPDATE)
        {
          json_builder_set_member_name (b, "field");
          json_builder_add_string_value (b, kv[0]);
          json_builder_set_member_name (b, "value");
        }
      else
        json_builder_set_member_name (b, kv[0]);
      if (kv[1][0] == '#')
        json_builder_add_int_value (b, g_ascii_strtoll (kv[1] + 1, NULL, 10));
      else
        json_builder_add_string_value (b, resolve (f, TRUE, kv[1]));
    }
  if (op == PB_OP_INSERT)
    json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
client_sync (Client *c)
{
  g_autoptr(GError) error = NULL;

  pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error);
  g_assert_no_error (error);
}

static void
set_up_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "store.sqlite", NULL);
  GHashTable *orgs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  f->store = pb_store_open (path, &error);
  g_assert_no_error (error);
  for (guint w = 0; w < N_WHO; w++)
    {
      char *org = g_hash_table_lookup (orgs, who[w].org);
      g_autoptr(PbRecord) person = pb_record_new ("people", NULL);

      if (org == NULL)
        {
          g_autoptr(PbRecord) r = pb_record_new ("organisations", NULL);
          g_autofree char *code = g_strndup (who[w].org, 3);

          pb_record_set_string (r, "name", who[w].org);
          pb_record_set_string (r, "short_code", code);
          pb_record_set_string (r, "kind", who[w].kind);
          g_assert_true (pb_store_write (f->store, PB_OP_INSERT, r, &error));
          g_assert_no_error (error);
          org = g_strdup (pb_record_get_id (r));
          g_hash_table_insert (orgs, (char *) who[w].org, org);
        }
      f->store_orgs[w] = g_strdup (org);
      pb_record_set_string (person, "name", who[w].name);
      pb_record_set_string (person, "org", org);
      pb_record_set_string (person, "role", who[w].role);
      g_assert_true (pb_store_write (f->store, PB_OP_INSERT, person, &error));
      g_assert_no_error (error);
      f->store_people[w] = g_strdup (pb_record_get_id (person));
    }
  g_hash_table_unref (orgs);
}

/* The hub with an account for each person, and each person's database enrolled. */
static void
set_up_hub (Fixture *f)
{
  f->hub_dir = g_build_filename (f->dir, "hub", NULL);
  g_assert_cmpint (g_mkdir (f->hub_dir, 0700), ==, 0);
  for (guint w = 0; w < N_WHO; w++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *file = g_strdup_printf ("client-%u.sqlite", w);
      Client *c = &f->clients[w];

      c->path = g_build_filename (f->dir, file, NULL);
      c->store = pb_store_open (c->path, &error);
      g_assert_no_error (error);
    }
}

static void
enrol_all (Fixture *f)
{
  char *tokens[N_WHO];

  for (guint w = 0; w < N_WHO; w++)
    tokens[w] = pb_test_hub_add_user (f->hub_dir, who[w].name, who[w].org, who[w].kind, who[w].role);
  pb_test_hub_start (&f->hub, f->hub_dir, FALSE);
  for (guint w = 0; w < N_WHO; w++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PbPerson) me = NULL;
      Client *c = &f->clients[w];

      c->transport = pb_soup_transport_new (f->hub.url, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (pb_sync_enrol (c->store, PB_TRANSPORT (c->transport), tokens[w], &c->credential, &error));
      g_free (tokens[w]);
      g_assert_no_error (error);
      client_sync (c);
      me = pb_store_find_person (c->store, pb_store_get_actor (c->store), &error);
      g_assert_no_error (error);
      f->hub_people[w] = g_strdup (me->id);
      f->hub_orgs[w] = g_strdup (me->org);
    }
}

static void
sync_all (Fixture *f)
{
  for (guint w = 0; w < N_WHO; w++)
    client_sync (&f->clients[w]);
}

/* Each step on both sides: the owner writes it through their store. */
static void
write_fixture (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixture); i++)
    {
      const Step *step = &fixture[i];
      const char *id = row_id (f, step->name);
      g_autoptr(PbRecord) local = make_record (f, FALSE, step->table, id, step->fields);
      g_autoptr(PbRecord) remote = make_record (f, TRUE, step->table, id, step->fields);
      g_autoptr(GError) error = NULL;
      Client *c = &f->clients[step->actor];

      g_assert_true (pb_store_set_actor (f->store, f->store_people[step->actor], &error));
      if (!pb_store_write (f->store, step->op, local, &error))
        g_error ("fixture step %u (%s %s) refused by the store: %s", i, step->table, step->name, error->message);
      /* The owner's device, up to date, writes it and pushes it. */
      client_sync (c);
      if (!pb_store_write (c->store, step->op, remote, &error))
        g_error ("fixture step %u (%s %s) refused by the hub's client: %s", i, step->table, step->name,
                 error->message);
      client_sync (c);
    }
  sync_all (f);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = NULL;

  f->dir = g_dir_make_tmp ("pb-rules-XXXXXX", &error);
  g_assert_no_error (error);
  f->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  set_up_store (f);
  set_up_hub (f);
  enrol_all (f);
  write_fixture (f);

  /* The hub's data as the fixture left it: each write case starts from a copy. */
  pb_test_hub_stop (&f->hub);
  f->golden = g_build_filename (f->dir, "golden", NULL);
  cmd = g_strdup_printf ("cp -a '%s' '%s'", f->hub_dir, f->golden);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  pb_test_hub_stop (&f->hub);
  g_clear_object (&f->store);
  for (guint w = 0; w < N_WHO; w++)
    {
      g_clear_object (&f->clients[w].store);
      g_clear_object (&f->clients[w].transport);
      g_free (f->clients[w].path);
      g_free (f->clients[w].credential);
      g_free (f->store_orgs[w]);
      g_free (f->store_people[w]);
      g_free (f->hub_orgs[w]);
      g_free (f->hub_people[w]);
    }
  g_hash_table_unref (f->ids);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->hub_dir);
  g_free (f->golden);
}

/* ---- Asking each side ------------------------------------------------------------- */

static gint64
count_in (const char *path,
          const char *sql,
          const char *id,
          const char *org,
          const char *org_kind)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &s, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_text (s, sqlite3_bind_parameter_index (s, ":id"), id, -1, SQLITE_STATIC);
  if (org)
    {
      sqlite3_bind_text (s, sqlite3_bind_parameter_index (s, ":org"), org, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, sqlite3_bind_parameter_index (s, ":org_kind"), org_kind, -1, SQLITE_STATIC);
    }
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

/* The store: the rulebook's own answer, its SQL in a listing, and for an item the board. */
static gboolean
store_sees (Fixture    *f,
            const Case *c)
{
  g_autoptr(GError) error = NULL;
  const char *id = row_id (f, c->name);
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s x WHERE x.id = :id AND {visible %s x}", c->table,
                                          c->table);
  g_autofree char *listing = g_strdup_printf ("SELECT count (*) FROM %s x WHERE x.id = :id AND {listing %s x}",
                                              c->table, c->table);
  PbRuleSource terms;
  gboolean evaluated, by_sql, by_listing;

  g_assert_true (pb_store_set_actor (f->store, f->store_people[c->actor], &error));
  evaluated = pb_store_may_see (f->store, c->table, id);
  /* The rule evaluated term by term over the store's rows, as the hub does over its own,
   * gives the same answer as its SQL. */
  terms = *pb_store_get_rules (f->store);
  terms.sees = NULL;
  g_assert_cmpint (evaluated, ==, pb_rules_may_see (&terms, pb_store_get_me (f->store), c->table, id));
  by_sql = count_in (pb_store_get_path (f->store), pb_rules_sql (sql), id, f->store_orgs[c->actor],
                     who[c->actor].kind) == 1;
  by_listing = count_in (pb_store_get_path (f->store), pb_rules_sql (listing), id, f->store_orgs[c->actor],
                         who[c->actor].kind) == 1;
  g_assert_cmpint (evaluated, ==, by_sql);
  g_assert_cmpint (evaluated, ==, by_listing);
  if (g_str_equal (c->table, "items"))
    {
      g_autoptr(PbCard) card = pb_store_load_card (f->store, id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (evaluated, ==, card != NULL);
    }
  return evaluated;
}

/* The hub: whether it delivered the row to that person's database. */
static gboolean
hub_sees (Fixture    *f,
          const Case *c)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE id = :id", c->table);

  return count_in (f->clients[c->actor].path, sql, row_id (f, c->name), NULL, NULL) == 1;
}

/* The store's write path, in a transaction taken back after. */
static PbRuleReason
store_writes (Fixture    *f,
              const Case *c,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = make_record (f, FALSE, c->table, id, c->fields);
  gboolean ok;

  g_assert_true (pb_store_set_actor (f->store, f->store_people[c->actor], &error));
  g_assert_true (pb_store_begin (f->store, &error));
  ok = pb_store_write (f->store, c->op, r, &error);
  pb_store_rollback (f->store);
  if (ok)
    return PB_RULE_ALLOWED;
  /* Refused for a reason of the rulebook, not for a value. */
  g_assert_true (error->domain == PB_STORE_ERROR);
  switch (error->code)
    {
    case PB_STORE_ERROR_NOT_FOUND:
      return PB_RULE_NOT_VISIBLE;
    case PB_STORE_ERROR_INVALID:
      return strstr (error->message, "UNIQUE constraint failed") ? DUPLICATE : INVALID;
    case PB_STORE_ERROR_READ_ONLY_USER:
      return strstr (error->message, "Administrators") ? PB_RULE_ADMIN : PB_RULE_READ_ONLY;
    case PB_STORE_ERROR_FORBIDDEN:
      {
        PbRuleReason reasons[] = { PB_RULE_PARENT_NOT_VISIBLE, PB_RULE_FIXED, PB_RULE_OWN_ORG, PB_RULE_CHAIR,
                                   PB_RULE_HUB_ONLY, PB_RULE_LEAD, PB_RULE_OWN_NAME, PB_RULE_ORIGINATOR };

        /* Which reason: the store says the rulebook's words. */
        for (guint k = 0; k < G_N_ELEMENTS (reasons); k++)
          {
            g_auto(GStrv) kv = g_strsplit (c->fields[0] ? c->fields[0] : "", "=", 2);
            g_autofree char *message = pb_verdict_message ((PbVerdict) { reasons[k], c->table, kv[0] });

            if (g_str_equal (message, error->message))
              return reasons[k];
          }
        g_error ("case refused with an unknown reason: %s", error->message);
      }
    default:
      g_error ("case refused for another reason: %s", error->message);
    }
}

/* The hub: the change pushed as that person's, on a fresh copy of the fixture's data. */
static PbRuleReason
hub_writes (Fixture    *f,
            const Case *c,
            const char *id)
{
  g_autofree char *dir = g_build_filename (f->dir, "case", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' && cp -a '%s' '%s'", dir, f->golden, dir);
  g_autofree char *body = change_json (f, c->actor, c->op, c->table, id, c->fields);
  g_autoptr(PbSoupTransport) transport = NULL;
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *reply;
  const char *code;
  guint status = 0;

  g_assert_cmpint (system (cmd), ==, 0);
  pb_test_hub_start (&f->hub, dir, FALSE);
  transport = pb_soup_transport_new (f->hub.url, NULL, &error);
  g_assert_no_error (error);
  answer = pb_transport_request (PB_TRANSPORT (transport), "POST", "/v1/push", f->clients[c->actor].credential,
                                 request, &status, &error);
  g_assert_no_error (error);
  pb_test_hub_stop (&f->hub);

  root = json_from_string (g_bytes_get_data (answer, NULL), &error);
  g_assert_no_error (error);
  reply = json_node_get_object (root);
  if (status == 200)
    {
      JsonArray *rejected = json_object_get_array_member (reply, "rejected");
      g_autofree char *row = g_strdup_printf ("row %s is not there", id);
      JsonObject *why;

      if (json_object_get_int_member (reply, "accepted") == 1)
        return PB_RULE_ALLOWED;
      g_assert_cmpuint (json_array_get_length (rejected), ==, 1);
      why = json_array_get_object_element (rejected, 0);
      /* Refused alone: the same sharing was made first on another device. */
      if (g_str_equal (json_object_get_string_member (why, "error"), "duplicate"))
        return DUPLICATE;
      g_assert_cmpstr (json_object_get_string_member (why, "error"), ==, "not_found");
      /* The row, or a row it points at, is not there for them. */
      return strstr (json_object_get_string_member (why, "message"), row) ? PB_RULE_NOT_VISIBLE
                                                                          : PB_RULE_PARENT_NOT_VISIBLE;
    }
  code = json_object_get_string_member (reply, "error");
  if (status == 400 && g_str_equal (code, "invalid"))
    return INVALID;
  g_assert_cmpuint (status, ==, 403);
  if (g_str_equal (code, "read_only"))
    return strstr (json_object_get_string_member (reply, "message"), "Administrators") ? PB_RULE_ADMIN
                                                                                          : PB_RULE_READ_ONLY;
  g_assert_cmpstr (code, ==, "forbidden");
  if (strstr (json_object_get_string_member (reply, "message"), "cannot be changed once written"))
    return PB_RULE_FIXED;
  if (strstr (json_object_get_string_member (reply, "message"), "own organisation"))
    return PB_RULE_OWN_ORG;
  if (strstr (json_object_get_string_member (reply, "message"), "only the chair"))
    return PB_RULE_CHAIR;
  if (strstr (json_object_get_string_member (reply, "message"), "only the services lead"))
    return PB_RULE_LEAD;
  if (strstr (json_object_get_string_member (reply, "message"), "in your own name"))
    return PB_RULE_OWN_NAME;
  if (strstr (json_object_get_string_member (reply, "message"), "only the organisation the report comes from"))
    return PB_RULE_ORIGINATOR;
  g_error ("the hub refused for an unknown reason: %s", json_object_get_string_member (reply, "message"));
}

static const char *
describe (const Case *c)
{
  static char buf[256];
  static const char *ops[] = { "insert", "update", "delete" };

  g_snprintf (buf, sizeof buf, "%s %s %s %s%s%s", who[c->actor].name, c->kind == SEE ? "sees" : ops[c->op],
              c->table, c->name ? c->name : "(new)", c->fields[0] ? " " : "", c->fields[0] ? c->fields[0] : "");
  return buf;
}

static void
test_conformance (Fixture      *f,
                  gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];

      if (c->kind == SEE)
        {
          gboolean expected = c->expected == PB_RULE_ALLOWED;
          gboolean store = store_sees (f, c);
          gboolean hub = hub_sees (f, c);

          if (store != expected || hub != expected)
            g_error ("case %u, %s: expected %s; the store says %s, the hub %s", i, describe (c),
                     expected ? "seen" : "hidden", store ? "seen" : "hidden", hub ? "seen" : "hidden");
        }
      else
        {
          g_autofree char *fresh = pb_uuid_new ();
          const char *id = c->name ? row_id (f, c->name) : fresh;
          PbRuleReason store = store_writes (f, c, id);
          PbRuleReason hub = hub_writes (f, c, id);

          if (store != c->expected || hub != c->expected)
            g_error ("case %u, %s: expected %s; the store says %s, the hub %s", i, describe (c),
                     reason_name (c->expected), reason_name (store), reason_name (hub));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rules/conformance", Fixture, NULL, fixture_set_up, test_conformance, fixture_tear_down);

  return g_test_run ();
}
