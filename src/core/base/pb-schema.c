/* pb-schema.c: the shared tables, as the write path, records and the hub know them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every shared row has a UUID primary key ("id"), generated where the row is created, so
 * that rows can be made offline and merged later. Every write to those tables goes through
 * the store's write path, which records a change entry and an access-log entry in the same
 * transaction. The SQL of the schema and its versions are the store's
 * (store/pb-store-migrations.c).
 */

#define G_LOG_DOMAIN "pb-schema"

#include "config.h"

#include <string.h>

#include "pb-schema.h"

/* Column defaults repeat the schema's DEFAULT clauses: the write path fills them in, so
 * that a row's change entry says everything the row holds (a test replays the log). */
static const PbColumn organisation_columns[] = {
  { "name", PB_COLUMN_TEXT },
  { "short_code", PB_COLUMN_TEXT },
  { "kind", PB_COLUMN_TEXT },
  { "colour", PB_COLUMN_TEXT, "#888888" },
};

static const PbColumn person_columns[] = {
  { "name", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
  { "role", PB_COLUMN_TEXT },
};

static const PbColumn case_columns[] = {
  { "title", PB_COLUMN_TEXT },
  { "lead_org", PB_COLUMN_TEXT },
  { "status", PB_COLUMN_TEXT, "open" },
  { "opened_at", PB_COLUMN_INTEGER },
  { "closed_at", PB_COLUMN_INTEGER },
  /* version 5 */
  { "source_org", PB_COLUMN_TEXT },
};

static const PbColumn item_columns[] = {
  { "title", PB_COLUMN_TEXT },
  { "body", PB_COLUMN_TEXT },
  { "source_org", PB_COLUMN_TEXT },
  { "author", PB_COLUMN_TEXT },
  { "reported_at", PB_COLUMN_INTEGER },
  { "event_time", PB_COLUMN_INTEGER },
  { "status", PB_COLUMN_TEXT, "incoming" },
  { "priority", PB_COLUMN_TEXT, "normal" },
  { "lead_org", PB_COLUMN_TEXT },
  { "due_date", PB_COLUMN_TEXT },
  { "reliability", PB_COLUMN_TEXT },
  { "credibility", PB_COLUMN_TEXT },
  { "tlp", PB_COLUMN_TEXT },
  { "modus_operandi", PB_COLUMN_TEXT },
  { "lat", PB_COLUMN_REAL },
  { "lon", PB_COLUMN_REAL },
  { "port_area", PB_COLUMN_TEXT },
  { "case_id", PB_COLUMN_TEXT },
  /* version 3 */
  { "rank", PB_COLUMN_REAL, "0" },
  { "closing_reason", PB_COLUMN_TEXT },
};

static const PbColumn identifier_columns[] = {
  { "item", PB_COLUMN_TEXT },
  { "kind", PB_COLUMN_TEXT },
  { "value", PB_COLUMN_TEXT },
  { "raw", PB_COLUMN_TEXT },
  { "known_invalid", PB_COLUMN_INTEGER, "0" },
};

static const PbColumn incident_columns[] = {
  { "kind", PB_COLUMN_TEXT },
  { "occurred_at", PB_COLUMN_INTEGER },
  { "lat", PB_COLUMN_REAL },
  { "lon", PB_COLUMN_REAL },
  { "terminal", PB_COLUMN_TEXT },
  { "goods", PB_COLUMN_TEXT },
  { "kg", PB_COLUMN_REAL },
  { "cash_eur", PB_COLUMN_REAL },
  { "item", PB_COLUMN_TEXT },
  { "source_org", PB_COLUMN_TEXT },
  { "tlp", PB_COLUMN_TEXT },
  { "description", PB_COLUMN_TEXT },
};

static const PbColumn share_columns[] = {
  { "item", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
};

static const PbColumn case_lead_columns[] = {
  { "case_id", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
  { "decided_at", PB_COLUMN_INTEGER },
  { "decided_by", PB_COLUMN_TEXT },
  { "reason", PB_COLUMN_TEXT },
};

static const PbColumn item_link_columns[] = {
  { "item_a", PB_COLUMN_TEXT },
  { "item_b", PB_COLUMN_TEXT },
};

/* version 7: the consultation meetings */
static const PbColumn meeting_columns[] = {
  { "title", PB_COLUMN_TEXT },
  { "place", PB_COLUMN_TEXT },
  { "starts_at", PB_COLUMN_INTEGER },
  { "status", PB_COLUMN_TEXT, "open" },
  { "chair", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
  { "presenting", PB_COLUMN_TEXT },
  { "closed_at", PB_COLUMN_INTEGER },
  { "minutes_sha256", PB_COLUMN_TEXT },
};

static const PbColumn attendance_columns[] = {
  { "meeting", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
  { "in_room", PB_COLUMN_INTEGER, "0" },
  { "connected", PB_COLUMN_INTEGER, "0" },
  { "names", PB_COLUMN_TEXT },
};

static const PbColumn agenda_columns[] = {
  { "meeting", PB_COLUMN_TEXT },
  { "item", PB_COLUMN_TEXT },
  { "item_org", PB_COLUMN_TEXT },
  { "rank", PB_COLUMN_REAL, "0" },
  { "reasons", PB_COLUMN_INTEGER, "0" },
};

static const PbColumn decision_columns[] = {
  { "meeting", PB_COLUMN_TEXT },
  { "item", PB_COLUMN_TEXT },
  { "outcome", PB_COLUMN_TEXT },
  { "lead_org", PB_COLUMN_TEXT },
  { "priority", PB_COLUMN_TEXT },
  { "case_id", PB_COLUMN_TEXT },
  { "share_orgs", PB_COLUMN_TEXT },
  { "tlp", PB_COLUMN_TEXT },
  { "note", PB_COLUMN_TEXT },
  { "decided_at", PB_COLUMN_INTEGER },
  { "decided_by", PB_COLUMN_TEXT },
};

static const PbColumn action_columns[] = {
  { "meeting", PB_COLUMN_TEXT },
  { "decision", PB_COLUMN_TEXT },
  { "item", PB_COLUMN_TEXT },
  { "owner_org", PB_COLUMN_TEXT },
  { "description", PB_COLUMN_TEXT },
  { "due_date", PB_COLUMN_TEXT },
  { "done_at", PB_COLUMN_INTEGER },
};

/* version 8: what an organisation asks of the one a report comes from */
static const PbColumn request_columns[] = {
  { "item", PB_COLUMN_TEXT },
  { "item_org", PB_COLUMN_TEXT },
  { "source_org", PB_COLUMN_TEXT },
  { "requested_by", PB_COLUMN_TEXT },
  { "requested_at", PB_COLUMN_INTEGER },
  { "kind", PB_COLUMN_TEXT },
  { "org", PB_COLUMN_TEXT },
  { "tlp", PB_COLUMN_TEXT },
  { "reason", PB_COLUMN_TEXT },
  { "status", PB_COLUMN_TEXT, "open" },
  { "decided_by", PB_COLUMN_TEXT },
  { "decided_at", PB_COLUMN_INTEGER },
  { "answer", PB_COLUMN_TEXT },
};

static const PbTableInfo tables[] = {
  { "organisations", organisation_columns, G_N_ELEMENTS (organisation_columns), 1 },
  { "people", person_columns, G_N_ELEMENTS (person_columns), 1 },
  { "cases", case_columns, G_N_ELEMENTS (case_columns), 1 },
  { "items", item_columns, G_N_ELEMENTS (item_columns), 1 },
  { "identifiers", identifier_columns, G_N_ELEMENTS (identifier_columns), 1 },
  { "incidents", incident_columns, G_N_ELEMENTS (incident_columns), 1 },
  { "item_shares", share_columns, G_N_ELEMENTS (share_columns), 2 },
  { "case_leads", case_lead_columns, G_N_ELEMENTS (case_lead_columns), 5 },
  { "item_links", item_link_columns, G_N_ELEMENTS (item_link_columns), 5 },
  { "meetings", meeting_columns, G_N_ELEMENTS (meeting_columns), 7 },
  { "meeting_attendance", attendance_columns, G_N_ELEMENTS (attendance_columns), 7 },
  { "agenda_entries", agenda_columns, G_N_ELEMENTS (agenda_columns), 7 },
  { "decisions", decision_columns, G_N_ELEMENTS (decision_columns), 7 },
  { "meeting_actions", action_columns, G_N_ELEMENTS (action_columns), 7 },
  { "requests", request_columns, G_N_ELEMENTS (request_columns), 8 },
};

const PbTableInfo *
pb_schema_tables (guint *n_tables)
{
  *n_tables = G_N_ELEMENTS (tables);
  return tables;
}

const PbTableInfo *
pb_schema_table_lookup (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (tables); i++)
    if (strcmp (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

int
pb_schema_column_index (const PbTableInfo *table,
                        const char        *column)
{
  for (guint i = 0; column && i < table->n_columns; i++)
    if (strcmp (table->columns[i].name, column) == 0)
      return (int) i;
  return -1;
}
