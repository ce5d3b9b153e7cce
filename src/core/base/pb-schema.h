/* pb-schema.h: the database schema, its versions and the shared-table descriptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* "PBRD": marks a file as a Portboard database (PRAGMA application_id). */
#define PB_APPLICATION_ID 0x50425244
#define PB_SCHEMA_VERSION 8

typedef enum
{
  PB_COLUMN_TEXT,
  PB_COLUMN_INTEGER,
  PB_COLUMN_REAL,
} PbColumnType;

typedef struct
{
  const char   *name;
  PbColumnType  type;
  const char   *default_value; /* as in the schema's DEFAULT clause; NULL: none */
} PbColumn;

typedef struct
{
  const char     *name;
  const PbColumn *columns;
  guint           n_columns;
  guint           since_version;
} PbTableInfo;

const PbTableInfo *pb_schema_tables        (guint *n_tables);
const PbTableInfo *pb_schema_table_lookup  (const char *name);
int                pb_schema_column_index  (const PbTableInfo *table, const char *column);

/* Migrates a database opened with sqlite3 from its user_version up to @target.
 * Runs inside the caller's transaction. */
gboolean           pb_schema_migrate       (sqlite3 *db, int target, GError **error);

G_END_DECLS
