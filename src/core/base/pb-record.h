/* pb-record.h: the fields of one write to a shared table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "pb-schema.h"

G_BEGIN_DECLS

typedef struct _PbRecord PbRecord;

/* What a write does to a row. */
typedef enum
{
  PB_OP_INSERT,
  PB_OP_UPDATE,
  PB_OP_DELETE,
} PbOp;

PbRecord          *pb_record_new         (const char *table,
                                          const char *id);
void               pb_record_free        (PbRecord   *self);
const PbTableInfo *pb_record_get_table   (PbRecord   *self);
const char        *pb_record_get_id      (PbRecord   *self);
void               pb_record_set_id      (PbRecord   *self,
                                          const char *id);
void               pb_record_set_string  (PbRecord   *self,
                                          const char *field,
                                          const char *value);
void               pb_record_set_int     (PbRecord   *self,
                                          const char *field,
                                          gint64      value);
void               pb_record_set_double  (PbRecord   *self,
                                          const char *field,
                                          double      value);
void               pb_record_set_null    (PbRecord   *self,
                                          const char *field);
void               pb_record_set_reason  (PbRecord   *self,
                                          const char *reason);
void               pb_record_clear       (PbRecord   *self);
gboolean           pb_record_set_json    (PbRecord   *self,
                                          const char *field,
                                          JsonNode   *node);

/* For the write path. */
typedef enum
{
  PB_VALUE_UNSET,
  PB_VALUE_NULL,
  PB_VALUE_TEXT,
  PB_VALUE_INTEGER,
  PB_VALUE_REAL,
} PbValueType;

typedef struct
{
  PbValueType type;
  union
  {
    char   *s;
    gint64  i;
    double  d;
  };
} PbValue;

const PbValue     *pb_record_get_value   (PbRecord   *self,
                                          guint       column);
void               pb_record_set_value   (PbRecord      *self,
                                          const char    *field,
                                          const PbValue *value);
PbRecord          *pb_record_copy        (PbRecord   *self) G_GNUC_WARN_UNUSED_RESULT;
const PbValue     *pb_record_lookup      (PbRecord   *self,
                                          const char *field);
const char        *pb_record_get_reason  (PbRecord   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbRecord, pb_record_free)

G_END_DECLS
