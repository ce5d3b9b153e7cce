#!/bin/sh
# sqlite-floor.sh: what SQLite alone takes on this machine for the data of the sync figures,
# with none of Portboard's code around it: the floor under sync.merge_changes_per_s and
# sync.initial_100k_s (and store.insert_100k_s).
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/sqlite-floor.sh DB
#   DB  a database of 100k items written by the benchmark:
#       PB_BENCH_REUSE=/tmp/b100k.sqlite build/tests/pb-bench
# DB is only read; the work is done on copies in a temporary directory.
#
# merge    the bare SQL of merging 20,000 field edits: the clock of each field from the
#          change log, the updates, the change entries (one set-based statement each), and
#          the commit
# initial  the rows a new device needs to search (items, identifiers, sharing rows, the
#          search index) copied into an empty database of the same schema, without the
#          change log

set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
  echo "usage: $0 DB (a database of the benchmark, read only)" >&2
  exit 2
fi
command -v sqlite3 >/dev/null || { echo "$0: needs the sqlite3 program" >&2; exit 2; }

src=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seconds () {
  # Sums the "Run Time: real" lines of the sqlite3 shell's timer.
  awk '/^Run Time: real/ { s += $4 } END { printf "%.2f", s }'
}

cp "$src" "$tmp/merge.sqlite"
merge=$(sqlite3 "$tmp/merge.sqlite" <<'EOF' | seconds
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;
CREATE TEMP TABLE incoming AS
  SELECT id AS row_id, CASE WHEN rowid % 2 THEN 'high' ELSE 'urgent' END AS v,
         (SELECT max (hlc) FROM change_log) + rowid AS hlc
  FROM items ORDER BY rowid LIMIT 20000;
.timer on
BEGIN;
SELECT count (h) FROM (SELECT (SELECT hlc FROM change_log c WHERE c.row_id = incoming.row_id
                                AND (c.field = 'priority'
                                     OR (c.op = 'insert' AND instr (c.value, '"priority":') > 0))
                               ORDER BY hlc DESC LIMIT 1) AS h FROM incoming);
UPDATE items SET priority = incoming.v FROM incoming WHERE items.id = incoming.row_id;
INSERT INTO change_log (tbl, row_id, op, field, value, hlc, site, author)
  SELECT 'items', row_id, 'update', 'priority', json_quote (v), hlc,
         '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'
  FROM incoming;
COMMIT;
EOF
)
echo "merge of 20000 edits: $merge s ($(echo "$merge" | awk '{ printf "%.0f", 20000 / $1 }') changes/s)"

sqlite3 "$src" .schema | grep -v "^CREATE TABLE IF NOT EXISTS 'items_fts_" | grep -v "sqlite_stat\|sqlite_sequence" \
  | sqlite3 "$tmp/initial.sqlite"
initial=$(sqlite3 "$tmp/initial.sqlite" <<EOF | seconds
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = OFF;
ATTACH '$src' AS src;
.timer on
BEGIN;
INSERT INTO organisations SELECT * FROM src.organisations;
INSERT INTO people SELECT * FROM src.people;
INSERT INTO items SELECT * FROM src.items;
INSERT INTO identifiers SELECT * FROM src.identifiers;
INSERT INTO item_shares SELECT * FROM src.item_shares;
INSERT INTO items_fts (rowid, title, body, identifiers)
  SELECT rowid, title, body, identifiers FROM src.items_fts;
COMMIT;
EOF
)
echo "rows and search index of $(sqlite3 "$src" 'SELECT count (*) FROM items') items: $initial s"
