/* pb-row-check.h: whether a row is one every replica can store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "pb-record.h"

G_BEGIN_DECLS

gboolean    pb_validate_record       (PbOp         op,
                                      PbRecord    *record,
                                      GError     **error);

typedef struct _PbRowCheck PbRowCheck;

PbRowCheck *pb_row_check_new         (GError     **error);
void        pb_row_check_free        (PbRowCheck  *self);
gboolean    pb_row_check             (PbRowCheck  *self,
                                      PbRecord    *row,
                                      GError     **error);
GPtrArray  *pb_row_check_unique_keys (PbRowCheck  *self,
                                      const char  *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbRowCheck, pb_row_check_free)

G_END_DECLS
