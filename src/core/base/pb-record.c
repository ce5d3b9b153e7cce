/* pb-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-record"

#include "config.h"

#include <json-glib/json-glib.h>

#include "pb-record.h"

#define MAX_COLUMNS 32

struct _PbRecord
{
  const PbTableInfo *table;
  char              *id;
  char              *reason;
  PbValue            values[MAX_COLUMNS];
};

PbRecord *
pb_record_new (const char *table,
               const char *id)
{
  const PbTableInfo *info = pb_schema_table_lookup (table);
  PbRecord *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_assert (info->n_columns <= MAX_COLUMNS);

  self = g_new0 (PbRecord, 1);
  self->table = info;
  self->id = g_strdup (id);
  return self;
}

static void
value_clear (PbValue *v)
{
  if (v->type == PB_VALUE_TEXT)
    g_free (v->s);
  v->type = PB_VALUE_UNSET;
}

void
pb_record_clear (PbRecord *self)
{
  for (guint i = 0; i < self->table->n_columns; i++)
    value_clear (&self->values[i]);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->reason, g_free);
}

void
pb_record_free (PbRecord *self)
{
  if (self == NULL)
    return;
  pb_record_clear (self);
  g_free (self);
}

const PbTableInfo *
pb_record_get_table (PbRecord *self)
{
  return self->table;
}

const char *
pb_record_get_id (PbRecord *self)
{
  return self->id;
}

void
pb_record_set_id (PbRecord   *self,
                  const char *id)
{
  char *copy = g_strdup (id);
  g_free (self->id);
  self->id = copy;
}

void
pb_record_set_reason (PbRecord   *self,
                      const char *reason)
{
  char *copy = g_strdup (reason);
  g_free (self->reason);
  self->reason = copy;
}

const char *
pb_record_get_reason (PbRecord *self)
{
  return self->reason;
}

static PbValue *
slot (PbRecord   *self,
      const char *field)
{
  int i = pb_schema_column_index (self->table, field);

  if (i < 0)
    {
      g_critical ("Table %s has no column %s", self->table->name, field);
      return NULL;
    }
  value_clear (&self->values[i]);
  return &self->values[i];
}

void
pb_record_set_string (PbRecord   *self,
                      const char *field,
                      const char *value)
{
  PbValue *v = slot (self, field);

  if (v == NULL)
    return;
  if (value == NULL)
    {
      v->type = PB_VALUE_NULL;
      return;
    }
  v->type = PB_VALUE_TEXT;
  v->s = g_strdup (value);
}

void
pb_record_set_int (PbRecord   *self,
                   const char *field,
                   gint64      value)
{
  PbValue *v = slot (self, field);

  if (v == NULL)
    return;
  v->type = PB_VALUE_INTEGER;
  v->i = value;
}

void
pb_record_set_double (PbRecord   *self,
                      const char *field,
                      double      value)
{
  PbValue *v = slot (self, field);

  if (v == NULL)
    return;
  v->type = PB_VALUE_REAL;
  v->d = value;
}

void
pb_record_set_null (PbRecord   *self,
                    const char *field)
{
  PbValue *v = slot (self, field);

  if (v != NULL)
    v->type = PB_VALUE_NULL;
}

/**
 * pb_record_set_value:
 * @value: (nullable): the value; %NULL or unset leaves the field unset
 *
 * Sets @field to a copy of @value.
 */
void
pb_record_set_value (PbRecord      *self,
                     const char    *field,
                     const PbValue *value)
{
  PbValue *v = slot (self, field);

  if (v == NULL || value == NULL)
    return;
  *v = *value;
  if (value->type == PB_VALUE_TEXT)
    v->s = g_strdup (value->s);
}

/**
 * pb_record_copy:
 *
 * Returns: (transfer full): a record of the same table, id, reason and fields
 */
PbRecord *
pb_record_copy (PbRecord *self)
{
  PbRecord *copy = pb_record_new (self->table->name, self->id);

  copy->reason = g_strdup (self->reason);
  for (guint i = 0; i < self->table->n_columns; i++)
    pb_record_set_value (copy, self->table->columns[i].name, &self->values[i]);
  return copy;
}

const PbValue *
pb_record_get_value (PbRecord *self,
                     guint     column)
{
  g_return_val_if_fail (column < self->table->n_columns, NULL);
  return &self->values[column];
}

const PbValue *
pb_record_lookup (PbRecord   *self,
                  const char *field)
{
  int i = pb_schema_column_index (self->table, field);

  if (i < 0 || self->values[i].type == PB_VALUE_UNSET)
    return NULL;
  return &self->values[i];
}

/**
 * pb_record_set_json:
 *
 * Sets @field from a JSON value as the schema types it: a string for text, an integer for
 * an integer, a number for a real; null for NULL.
 *
 * Returns: %FALSE, setting nothing, when the table has no such field or the value is of
 *   another type
 */
gboolean
pb_record_set_json (PbRecord   *self,
                    const char *field,
                    JsonNode   *node)
{
  int index = pb_schema_column_index (self->table, field);
  GType type;

  if (index < 0 || node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      pb_record_set_null (self, field);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  switch (self->table->columns[index].type)
    {
    case PB_COLUMN_TEXT:
      if (type != G_TYPE_STRING)
        return FALSE;
      pb_record_set_string (self, field, json_node_get_string (node));
      return TRUE;
    case PB_COLUMN_INTEGER:
      if (type != G_TYPE_INT64)
        return FALSE;
      pb_record_set_int (self, field, json_node_get_int (node));
      return TRUE;
    case PB_COLUMN_REAL:
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return FALSE;
      pb_record_set_double (self, field, json_node_get_double (node));
      return TRUE;
    default:
      return FALSE;
    }
}
