/* pb-test-util.h: helpers shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-store.h"
/* Tests look at rows directly (_pb_store_get_db) and at other internals. */
#include "pb-store-private.h"

typedef struct
{
  char    *dir;
  char    *path;
  PbStore *store;
  char    *org_police;
  char    *org_customs;
  char    *org_partner;
  char    *officer;      /* police */
  char    *customs_officer;
  char    *partner;
  char    *chair;
} PbTestDb;

void      pb_test_db_init     (PbTestDb *db);
void      pb_test_db_clear    (PbTestDb *db);
char     *pb_test_add_item    (PbTestDb *db, const char *actor, const char *title, const char *tlp,
                               const char *container);
gint64    pb_test_count       (PbStore *store, const char *sql);
char     *pb_test_add_person  (PbTestDb *db, const char *name, const char *org, const char *role);
const char *pb_test_owner_of  (PbTestDb *db, const char *table, const char *id);
void      pb_test_write_as_owner (PbTestDb *db, PbOp op, PbRecord *record);
gint64    pb_test_countf      (PbStore *store, const char *format, ...) G_GNUC_PRINTF (2, 3);
int       pb_test_run_cli     (const char * const *args, char **out, char **err);
char     *pb_test_file_digest (const char *path);
char     *pb_test_tmp_path    (const char *name);
