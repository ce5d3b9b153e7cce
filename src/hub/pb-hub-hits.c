/* pb-hub-hits.c: which organisations hold each identifier, and the hits that tells them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub counts, per normalised identifier (kind and value), the identifiers rows of each
 * organisation's items that hold it. When a second organisation starts to hold one, each
 * is told of the other ("hit" entries: the identifier and the organisation, nothing of the
 * items); when one stops, "unhit". Private partners are never told of hits.
 */

#include "config.h"

#include "pb-hub-private.h"

void
_pb_hub_holding_clear (PbHubHolding *h)
{
  g_clear_pointer (&h->kind, g_free);
  g_clear_pointer (&h->value, g_free);
  g_clear_pointer (&h->org, g_free);
}

/* The identifier an identifiers row holds, and the organisation that holds it; all NULL
 * if the row holds none (deleted, or incomplete). */
PbHubHolding
_pb_hub_holding_of (PbHub      *self,
                    const char *row)
{
  PbHubHolding h = { NULL, NULL, NULL };
  PbHubRowState state = _pb_hub_row_state (self, "identifiers", row);
  g_autofree char *item = NULL;

  if (!state.exists || state.deleted)
    return h;
  item = _pb_hub_field_string (self, "identifiers", row, "item");
  h.kind = _pb_hub_field_string (self, "identifiers", row, "kind");
  h.value = _pb_hub_field_string (self, "identifiers", row, "value");
  h.org = item ? _pb_hub_field_string (self, "items", item, "source_org") : NULL;
  if (h.kind == NULL || h.value == NULL || h.org == NULL)
    _pb_hub_holding_clear (&h);
  return h;
}

static gboolean
hit_entry (PbHub              *self,
           PbHubBatch         *batch,
           const char         *op,
           const PbHubHolding *h,
           const char         *holder,
           guint64             audience)
{
  g_autoptr(GString) value = g_string_new ("{\"kind\":");
  g_autofree char *row = g_strconcat (h->kind, ":", h->value, NULL);
  PbHubEntry e = { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), "hits", row, op, holder,
                   NULL, self->site_id, pb_rules_hits_audience (_pb_hub_rules (self), audience), batch->by };

  if (e.audience == 0)
    return TRUE;
  pb_json_append_string (value, h->kind);
  g_string_append (value, ",\"org\":");
  pb_json_append_string (value, holder);
  g_string_append (value, ",\"value\":");
  pb_json_append_string (value, h->value);
  g_string_append_c (value, '}');
  e.value = value->str;
  batch->notified |= e.audience;
  return _pb_hub_append_entry (self, &e) != 0;
}

/* The organisations other than @h->org that hold @h's identifier. */
static GPtrArray *
other_holders (PbHub              *self,
               const PbHubHolding *h)
{
  GPtrArray *others = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_HOLDERS_OTHERS);

  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (others, g_strdup ((const char *) sqlite3_column_text (s, 0)));
  sqlite3_reset (s);
  return others;
}

/* One more (or one fewer) identifiers row of @h->org holds the identifier. When the first
 * arrives or the last goes, the other holders and the organisation are told. */
static gboolean
count_holding (PbHub              *self,
               PbHubBatch         *batch,
               const PbHubHolding *h,
               int                 delta)
{
  sqlite3_stmt *s;
  gint64 n = 0;
  g_autoptr(GPtrArray) others = NULL;
  const char *op = delta > 0 ? "hit" : "unhit";
  guint64 others_mask = 0;
  int rc;

  if (h->org == NULL)
    return TRUE;
  s = _pb_hub_stmt (self, PB_HUB_STMT_HOLDERS_COUNT);
  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  s = _pb_hub_stmt (self, n + delta > 0 ? PB_HUB_STMT_HOLDERS_SET : PB_HUB_STMT_HOLDERS_DELETE);
  sqlite3_bind_text (s, 1, h->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, h->value, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, h->org, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 4, MAX (n + delta, 0));
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return FALSE;
  if (n > 0 && n + delta > 0)
    return TRUE;

  /* The organisation starts or stops holding it: tell it and the others of each other. */
  others = other_holders (self, h);
  for (guint i = 0; i < others->len; i++)
    {
      others_mask |= _pb_hub_org_bit (self, others->pdata[i]);
      if (!hit_entry (self, batch, op, h, others->pdata[i], _pb_hub_org_bit (self, h->org)))
        return FALSE;
    }
  return hit_entry (self, batch, op, h, h->org, others_mask);
}

/* An identifiers row was written: if what it holds changed, the old holding goes and the
 * new one comes. */
gboolean
_pb_hub_holding_moved (PbHub              *self,
                       PbHubBatch         *batch,
                       const PbHubHolding *before,
                       const PbHubHolding *after)
{
  if (g_strcmp0 (before->kind, after->kind) == 0 && g_strcmp0 (before->value, after->value) == 0
      && g_strcmp0 (before->org, after->org) == 0)
    return TRUE;
  return count_holding (self, batch, before, -1) && count_holding (self, batch, after, +1);
}
