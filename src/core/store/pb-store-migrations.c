/* pb-store-migrations.c: the database schema's versions, and the forward migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A migration step is never edited once released: a new version appends a step. The
 * shared tables' descriptions (base/pb-schema.c) follow the last version.
 */

#define G_LOG_DOMAIN "pb-schema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-schema.h"
#include "pb-store.h"

/* CHECK constraints are written as OR chains: SQLite builds a temporary table for every
 * row it checks against an IN list, which made each insert several times slower.
 *
 * Version 1: the shared tables, the change log, the access log, local sync state. */
static const char migration_1[] =
  "CREATE TABLE organisations ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  short_code TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind = 'police' OR kind = 'customs' OR kind = 'prosecution' OR kind = 'partner'),"
  "  colour TEXT NOT NULL DEFAULT '#888888');"
  "CREATE TABLE people ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  org TEXT NOT NULL REFERENCES organisations (id),"
  "  role TEXT NOT NULL CHECK (role = 'chair' OR role = 'officer' OR role = 'partner' OR role = 'admin'));"
  "CREATE TABLE cases ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL,"
  "  lead_org TEXT REFERENCES organisations (id),"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'closed'),"
  "  opened_at INTEGER,"
  "  closed_at INTEGER);"
  "CREATE TABLE items ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL,"
  "  body TEXT,"
  "  source_org TEXT NOT NULL REFERENCES organisations (id),"
  "  author TEXT NOT NULL REFERENCES people (id),"
  "  reported_at INTEGER NOT NULL,"
  "  event_time INTEGER,"
  "  status TEXT NOT NULL DEFAULT 'incoming',"
  "  priority TEXT NOT NULL DEFAULT 'normal',"
  "  lead_org TEXT REFERENCES organisations (id),"
  "  due_date TEXT,"
  "  reliability TEXT,"
  "  credibility TEXT,"
  "  tlp TEXT NOT NULL CHECK (tlp = 'CLEAR' OR tlp = 'GREEN' OR tlp = 'AMBER' OR tlp = 'AMBER+STRICT' OR tlp = 'RED'),"
  "  modus_operandi TEXT,"
  "  lat REAL,"
  "  lon REAL,"
  "  port_area TEXT,"
  "  case_id TEXT REFERENCES cases (id));"
  "CREATE INDEX items_status ON items (status);"
  "CREATE TABLE identifiers ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  item TEXT NOT NULL REFERENCES items (id),"
  "  kind TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  raw TEXT,"
  "  known_invalid INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX identifiers_item ON identifiers (item);"
  "CREATE TABLE incidents ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  occurred_at INTEGER NOT NULL,"
  "  lat REAL,"
  "  lon REAL,"
  "  terminal TEXT,"
  "  goods TEXT,"
  "  kg REAL,"
  "  cash_eur REAL,"
  "  item TEXT REFERENCES items (id),"
  "  source_org TEXT NOT NULL REFERENCES organisations (id),"
  "  tlp TEXT NOT NULL CHECK (tlp = 'CLEAR' OR tlp = 'GREEN' OR tlp = 'AMBER' OR tlp = 'AMBER+STRICT' OR tlp = 'RED'),"
  "  description TEXT);"
  "CREATE TABLE change_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  op TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),"
  "  field TEXT,"
  "  value TEXT,"
  "  hlc INTEGER NOT NULL,"
  "  site TEXT NOT NULL,"
  "  author TEXT NOT NULL);"
  "CREATE INDEX change_log_row ON change_log (row_id);"
  "CREATE TABLE access_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  person TEXT NOT NULL,"
  "  action TEXT NOT NULL CHECK (action = 'collection' OR action = 'alteration'"
  "    OR action = 'consultation' OR action = 'disclosure' OR action = 'combination'"
  "    OR action = 'erasure'),"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT,"
  "  detail TEXT,"
  "  reason TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log"
  "  BEGIN SELECT RAISE (ABORT, 'the access log is append-only'); END;"
  "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log"
  "  BEGIN SELECT RAISE (ABORT, 'the access log is append-only'); END;"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY NOT NULL, value);";

/* Version 2: sharing lists and the full-text index (titles, bodies, identifiers). */
static const char migration_2[] =
  "CREATE TABLE item_shares ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  item TEXT NOT NULL REFERENCES items (id),"
  "  org TEXT NOT NULL REFERENCES organisations (id),"
  "  UNIQUE (item, org));"
  "CREATE VIRTUAL TABLE items_fts USING fts5 ("
  "  title, body, identifiers,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO items_fts (rowid, title, body, identifiers)"
  "  SELECT rowid, title, coalesce (body, ''),"
  "         coalesce ((SELECT group_concat (value, ' ') FROM identifiers"
  "                    WHERE identifiers.item = items.id), '')"
  "  FROM items;";

/* Version 3: persistent order within a board column, closing reasons, the board index, and
 * the index that cross-agency hits are found with. */
static const char migration_3[] =
  "ALTER TABLE items ADD COLUMN rank REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE items ADD COLUMN closing_reason TEXT;"
  "UPDATE items SET rank = rowid;"
  /* Covers what a board card shows, in board order: loading the board reads this index
   * alone, not the reports' bodies. */
  "CREATE INDEX items_board ON items (status, rank, tlp, source_org, id, title, priority,"
  "  lead_org, reliability, credibility, due_date, reported_at);"
  "DROP INDEX items_status;"
  "CREATE INDEX identifiers_kind_value ON identifiers (kind, value);"
  "DROP INDEX identifiers_item;"
  "CREATE INDEX identifiers_item ON identifiers (item, kind, value);";

/* Version 4: which organisations hold each identifier, kept by the write path, so that
 * cross-agency hits are found without comparing every identifier with every other. */
static const char migration_4[] =
  "CREATE TABLE identifier_orgs ("
  "  kind TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  org TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, value, org)) WITHOUT ROWID;"
  "INSERT INTO identifier_orgs (kind, value, org, n)"
  "  SELECT d.kind, d.value, i.source_org, count (*)"
  "  FROM identifiers d JOIN items i ON i.id = d.item"
  "  GROUP BY d.kind, d.value, i.source_org;";

/* Version 5: cases as the consultation runs them. The lead organisation of a case is a
 * dated decision: each one is a row of case_leads, and cases.lead_org is the latest. A
 * case led before this version gets its lead as the first decision, on the day it was
 * opened, with the case's own id, so that every site migrates to the same row. The
 * organisation that opened a case is kept (source_org), so that it sees the case before
 * it has a lead or items. Items can be linked to each other (a link is stored once, the
 * smaller id first). */
static const char migration_5[] =
  "ALTER TABLE cases ADD COLUMN source_org TEXT REFERENCES organisations (id);"
  "CREATE TABLE case_leads ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  case_id TEXT NOT NULL REFERENCES cases (id),"
  "  org TEXT NOT NULL REFERENCES organisations (id),"
  "  decided_at INTEGER NOT NULL,"
  "  decided_by TEXT REFERENCES people (id),"
  "  reason TEXT);"
  "CREATE INDEX case_leads_case ON case_leads (case_id, decided_at);"
  "INSERT INTO case_leads (id, case_id, org, decided_at)"
  "  SELECT id, id, lead_org, coalesce (opened_at, 0) FROM cases WHERE lead_org IS NOT NULL;"
  "CREATE TABLE item_links ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  item_a TEXT NOT NULL REFERENCES items (id),"
  "  item_b TEXT NOT NULL REFERENCES items (id),"
  "  CHECK (item_a < item_b),"
  "  UNIQUE (item_a, item_b));"
  "CREATE INDEX item_links_b ON item_links (item_b);"
  "CREATE INDEX items_case ON items (case_id) WHERE case_id IS NOT NULL;"
  "CREATE INDEX incidents_item ON incidents (item) WHERE item IS NOT NULL;";

/* Version 6: what synchronisation keeps. Hit notices from the hub: another organisation
 * holds an identifier (nothing more), kept apart from the counts of the items this
 * database holds. Text that lost to a concurrent edit of the same field, kept with the
 * clocks of both writes until someone chooses; the same conflict gets the same id on
 * every replica. */
static const char migration_6[] =
  "CREATE TABLE hub_hits ("
  "  kind TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  org TEXT NOT NULL,"
  "  PRIMARY KEY (kind, value, org)) WITHOUT ROWID;"
  "CREATE TABLE sync_conflicts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  losing_value TEXT,"
  "  losing_hlc INTEGER NOT NULL,"
  "  losing_site TEXT NOT NULL,"
  "  losing_author TEXT NOT NULL,"
  "  winning_hlc INTEGER NOT NULL,"
  "  winning_site TEXT NOT NULL,"
  "  found_at INTEGER NOT NULL,"
  "  resolved_at INTEGER,"
  "  resolved_by TEXT);"
  "CREATE INDEX sync_conflicts_row ON sync_conflicts (row_id) WHERE resolved_at IS NULL;"
  "CREATE INDEX change_log_site ON change_log (site, seq);";

/* Version 7: the consultation meetings. A meeting has attendance per organisation, an
 * agenda of items (an entry names the item's organisation, so that a participant who may
 * not see the item still sees whose it is), decisions per item and the actions they set.
 * Items are not enforced as references: an agenda lists items that some participants'
 * copies do not hold. presenting is the agenda entry shown to everyone. */
static const char migration_7[] =
  "CREATE TABLE meetings ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL,"
  "  place TEXT,"
  "  starts_at INTEGER NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'closed'),"
  "  chair TEXT REFERENCES people (id),"
  "  org TEXT REFERENCES organisations (id),"
  "  presenting TEXT,"
  "  closed_at INTEGER,"
  "  minutes_sha256 TEXT);"
  "CREATE TABLE meeting_attendance ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting TEXT NOT NULL REFERENCES meetings (id),"
  "  org TEXT NOT NULL REFERENCES organisations (id),"
  "  in_room INTEGER NOT NULL DEFAULT 0,"
  "  connected INTEGER NOT NULL DEFAULT 0,"
  "  names TEXT,"
  "  UNIQUE (meeting, org));"
  "CREATE TABLE agenda_entries ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting TEXT NOT NULL REFERENCES meetings (id),"
  "  item TEXT NOT NULL,"
  "  item_org TEXT,"
  "  rank REAL NOT NULL DEFAULT 0,"
  "  reasons INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (meeting, item));"
  "CREATE TABLE decisions ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting TEXT NOT NULL REFERENCES meetings (id),"
  "  item TEXT NOT NULL,"
  "  outcome TEXT NOT NULL CHECK (outcome = 'dismiss' OR outcome = 'monitor' OR outcome = 'assign_lead'"
  "    OR outcome = 'link_case' OR outcome = 'open_case' OR outcome = 'share'),"
  "  lead_org TEXT REFERENCES organisations (id),"
  "  priority TEXT,"
  "  case_id TEXT,"
  "  share_orgs TEXT,"
  "  tlp TEXT,"
  "  note TEXT,"
  "  decided_at INTEGER NOT NULL,"
  "  decided_by TEXT);"
  "CREATE INDEX decisions_meeting ON decisions (meeting, item);"
  "CREATE INDEX decisions_item ON decisions (item);"
  "CREATE TABLE meeting_actions ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting TEXT NOT NULL REFERENCES meetings (id),"
  "  decision TEXT,"
  "  item TEXT NOT NULL,"
  "  owner_org TEXT NOT NULL REFERENCES organisations (id),"
  "  description TEXT NOT NULL,"
  "  due_date TEXT,"
  "  done_at INTEGER);"
  "CREATE INDEX meeting_actions_item ON meeting_actions (item);"
  "CREATE INDEX meeting_actions_open ON meeting_actions (due_date) WHERE done_at IS NULL;"
  /* When the hub said that another organisation holds an identifier (its clock, in ms):
   * hits found since the last meeting go on the agenda. */
  "ALTER TABLE hub_hits ADD COLUMN found_at INTEGER;";

/* Version 8: what an organisation asks of the one a report comes from (share it with
 * another organisation, stop sharing it, change its handling code), which only that one
 * decides; and the changes from the hub that this database could not apply, kept aside
 * (with why) instead of stopping every later change. */
static const char migration_8[] =
  "CREATE TABLE requests ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  item TEXT NOT NULL REFERENCES items (id),"
  "  item_org TEXT NOT NULL REFERENCES organisations (id),"
  "  source_org TEXT NOT NULL REFERENCES organisations (id),"
  "  requested_by TEXT NOT NULL REFERENCES people (id),"
  "  requested_at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind = 'share' OR kind = 'unshare' OR kind = 'handling'),"
  "  org TEXT REFERENCES organisations (id),"
  "  tlp TEXT CHECK (tlp IS NULL OR tlp = 'CLEAR' OR tlp = 'GREEN' OR tlp = 'AMBER' OR tlp = 'AMBER+STRICT'"
  "    OR tlp = 'RED'),"
  "  reason TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'accepted' OR status = 'refused'),"
  "  decided_by TEXT REFERENCES people (id),"
  "  decided_at INTEGER,"
  "  answer TEXT);"
  "CREATE INDEX requests_item ON requests (item);"
  "CREATE INDEX requests_open ON requests (item_org) WHERE status = 'open';"
  "CREATE TABLE sync_quarantine ("
  "  seq INTEGER PRIMARY KEY,"
  "  found_at INTEGER NOT NULL,"
  "  tbl TEXT,"
  "  row_id TEXT,"
  "  op TEXT,"
  "  site TEXT,"
  "  hlc INTEGER,"
  "  change TEXT NOT NULL,"
  "  error TEXT NOT NULL);";

static const char *migrations[] = {
  NULL,
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PB_SCHEMA_VERSION + 1);

gboolean
pb_schema_migrate (sqlite3 *db,
                   int      target,
                   GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  char *errmsg = NULL;

  g_return_val_if_fail (target >= 0 && target <= PB_SCHEMA_VERSION, FALSE);

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  for (int v = version + 1; v <= target; v++)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", v);

      if (sqlite3_exec (db, migrations[v], NULL, NULL, &errmsg) != SQLITE_OK
          || sqlite3_exec (db, pragma, NULL, NULL, &errmsg) != SQLITE_OK)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FAILED,
                       _("Migration to schema version %d failed: %s"), v, errmsg);
          sqlite3_free (errmsg);
          return FALSE;
        }
    }

  return TRUE;
}
