/* pb-hub-audience.c: need-to-know: who may see each row, and what follows when that changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row has an audience, one bit per organisation, computed by the board's rules
 * (compute_audience) from the row and the rows it points at (references, kept in the refs
 * table). When a row changes, its audience and those of the rows that follow from it are
 * computed again; at the end of the request, an organisation that starts to see a row gets
 * its whole current state (a "snapshot" entry), one that stops gets a "revoke" entry.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <string.h>

const PbHubReference _pb_hub_references[] = {
  { "identifiers", "item", "items" },
  { "item_shares", "item", "items" },
  { "incidents", "item", "items" },
  { "item_links", "item_a", "items" },
  { "item_links", "item_b", "items" },
  { "items", "case_id", "cases" },
  { "case_leads", "case_id", "cases" },
  { "meeting_attendance", "meeting", "meetings" },
  { "agenda_entries", "meeting", "meetings" },
  { "agenda_entries", "item", "items" },
  { "decisions", "meeting", "meetings" },
  { "decisions", "item", "items" },
  { "meeting_actions", "meeting", "meetings" },
  { "meeting_actions", "item", "items" },
};
const guint _pb_hub_n_references = G_N_ELEMENTS (_pb_hub_references);

/* The table a field points into; NULL if it is not a reference. */
const char *
_pb_hub_reference_parent (const char *tbl,
                          const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (_pb_hub_references); i++)
    if (g_str_equal (_pb_hub_references[i].tbl, tbl) && g_str_equal (_pb_hub_references[i].field, field))
      return _pb_hub_references[i].parent;
  return NULL;
}

/* The consultation's own tables: meetings, who attends, the agenda. Seen by its members
 * (police, customs, the prosecutor's office), not by private partners. */
gboolean
_pb_hub_is_meeting_table (const char *tbl)
{
  return g_str_equal (tbl, "meetings") || g_str_equal (tbl, "meeting_attendance")
         || g_str_equal (tbl, "agenda_entries");
}

/* Whom a handling code lets see a row besides its organisation (the board's rule). */
static guint64
tlp_audience (PbHub      *self,
              const char *tlp)
{
  if (g_strcmp0 (tlp, "CLEAR") == 0)
    return self->known_orgs;
  if (g_strcmp0 (tlp, "GREEN") == 0)
    return self->known_orgs & ~self->partner_orgs;
  return 0;
}

static guint64
shared_with (PbHub      *self,
             const char *item)
{
  g_autoptr(GPtrArray) shares = _pb_hub_children (self, item, "item_shares");
  guint64 mask = 0;

  for (guint i = 0; i < shares->len; i++)
    {
      g_autofree char *org = _pb_hub_field_string (self, "item_shares", shares->pdata[i], "org");
      mask |= _pb_hub_org_bit (self, org);
    }
  return mask;
}

static guint64
compute_audience (PbHub      *self,
                  const char *tbl,
                  const char *row)
{
  if (g_str_equal (tbl, "organisations") || g_str_equal (tbl, "people"))
    return self->known_orgs;

  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *src = _pb_hub_field_string (self, tbl, row, "source_org");
      g_autofree char *tlp = _pb_hub_field_string (self, tbl, row, "tlp");

      return _pb_hub_org_bit (self, src) | tlp_audience (self, tlp) | shared_with (self, row);
    }

  if (g_str_equal (tbl, "identifiers") || g_str_equal (tbl, "item_shares"))
    {
      g_autofree char *item = _pb_hub_field_string (self, tbl, row, "item");
      return item ? _pb_hub_row_state (self, "items", item).audience : 0;
    }

  if (g_str_equal (tbl, "item_links"))
    {
      g_autofree char *a = _pb_hub_field_string (self, tbl, row, "item_a");
      g_autofree char *b = _pb_hub_field_string (self, tbl, row, "item_b");

      if (a == NULL || b == NULL)
        return 0;
      return _pb_hub_row_state (self, "items", a).audience & _pb_hub_row_state (self, "items", b).audience;
    }

  if (g_str_equal (tbl, "incidents"))
    {
      g_autofree char *src = _pb_hub_field_string (self, tbl, row, "source_org");
      g_autofree char *tlp = _pb_hub_field_string (self, tbl, row, "tlp");
      g_autofree char *item = _pb_hub_field_string (self, tbl, row, "item");
      guint64 mask = _pb_hub_org_bit (self, src) | tlp_audience (self, tlp);

      if (item)
        {
          g_autofree char *item_src = _pb_hub_field_string (self, "items", item, "source_org");
          if (g_strcmp0 (item_src, src) == 0)
            mask |= shared_with (self, item);
        }
      return mask;
    }

  if (g_str_equal (tbl, "cases"))
    {
      g_autofree char *src = _pb_hub_field_string (self, tbl, row, "source_org");
      g_autofree char *lead = _pb_hub_field_string (self, tbl, row, "lead_org");
      g_autoptr(GPtrArray) leads = _pb_hub_children (self, row, "case_leads");
      g_autoptr(GPtrArray) items = _pb_hub_children (self, row, "items");
      guint64 mask = _pb_hub_org_bit (self, src) | _pb_hub_org_bit (self, lead);

      for (guint i = 0; i < leads->len; i++)
        {
          g_autofree char *org = _pb_hub_field_string (self, "case_leads", leads->pdata[i], "org");
          mask |= _pb_hub_org_bit (self, org);
        }
      for (guint i = 0; i < items->len; i++)
        mask |= _pb_hub_row_state (self, "items", items->pdata[i]).audience;
      return mask;
    }

  if (g_str_equal (tbl, "case_leads"))
    {
      g_autofree char *c = _pb_hub_field_string (self, tbl, row, "case_id");
      return c ? _pb_hub_row_state (self, "cases", c).audience : 0;
    }

  if (_pb_hub_is_meeting_table (tbl))
    return self->known_orgs & ~self->partner_orgs;

  /* What was decided on an item, and the actions, say as much as the item. */
  if (g_str_equal (tbl, "decisions") || g_str_equal (tbl, "meeting_actions"))
    {
      g_autofree char *item = _pb_hub_field_string (self, tbl, row, "item");
      return item ? _pb_hub_row_state (self, "items", item).audience & ~self->partner_orgs : 0;
    }

  return 0;
}

/* ---- One request's changes of audience -------------------------------------------- */

typedef struct
{
  gboolean existed;
  guint64  audience;
} Before;

void
_pb_hub_batch_init (PbHubBatch *batch,
                    const char *by)
{
  batch->before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  batch->by = by;
  batch->notified = 0;
}

void
_pb_hub_batch_clear (PbHubBatch *batch)
{
  g_clear_pointer (&batch->before, g_hash_table_unref);
}

static char *
row_key (const char *tbl,
         const char *row)
{
  return g_strconcat (tbl, "\x1f", row, NULL);
}

/* Keeps a row's state before the request changed it (the first time only). */
void
_pb_hub_remember (PbHubBatch   *batch,
                  const char   *tbl,
                  const char   *row,
                  PbHubRowState state)
{
  g_autofree char *key = row_key (tbl, row);

  if (!g_hash_table_contains (batch->before, key))
    {
      Before *b = g_new (Before, 1);
      b->existed = state.exists;
      b->audience = state.audience;
      g_hash_table_insert (batch->before, g_steal_pointer (&key), b);
    }
}

static gboolean
set_audience (PbHub      *self,
              const char *tbl,
              const char *row,
              guint64     audience)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_SET_AUDIENCE);
  int rc;

  sqlite3_bind_int64 (s, 1, (sqlite3_int64) audience);
  sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  return rc == SQLITE_DONE;
}

/* After a field was written: if it points at another row, the row is that one's child. */
gboolean
_pb_hub_update_refs (PbHub      *self,
                     const char *tbl,
                     const char *row,
                     const char *field)
{
  g_autofree char *parent = NULL;
  sqlite3_stmt *s;
  int rc;

  if (_pb_hub_reference_parent (tbl, field) == NULL)
    return TRUE;
  parent = _pb_hub_field_string (self, tbl, row, field);
  /* An item link keeps both its ends; other rows have one parent in a table. */
  if (!g_str_equal (tbl, "item_links"))
    {
      s = _pb_hub_stmt (self, PB_HUB_STMT_REFS_DELETE);
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, parent ? parent : "", -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  if (parent)
    {
      s = _pb_hub_stmt (self, PB_HUB_STMT_REFS_INSERT);
      sqlite3_bind_text (s, 1, parent, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, row, -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

/* Recomputes who sees a row, and then the rows whose visibility follows from it. */
gboolean
_pb_hub_refresh (PbHub      *self,
                 PbHubBatch *batch,
                 const char *tbl,
                 const char *row)
{
  PbHubRowState state = _pb_hub_row_state (self, tbl, row);
  guint64 audience;
  static const char *item_children[] = { "identifiers", "item_shares", "incidents", "item_links", "decisions",
                                         "meeting_actions" };

  if (!state.exists)
    return TRUE;
  _pb_hub_remember (batch, tbl, row, state);
  audience = compute_audience (self, tbl, row);
  if (audience == state.audience)
    return TRUE;
  if (!set_audience (self, tbl, row, audience))
    return FALSE;

  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *c = _pb_hub_field_string (self, tbl, row, "case_id");

      for (guint k = 0; k < G_N_ELEMENTS (item_children); k++)
        {
          g_autoptr(GPtrArray) rows = _pb_hub_children (self, row, item_children[k]);
          for (guint i = 0; i < rows->len; i++)
            if (!_pb_hub_refresh (self, batch, item_children[k], rows->pdata[i]))
              return FALSE;
        }
      if (c && !_pb_hub_refresh (self, batch, "cases", c))
        return FALSE;
    }
  else if (g_str_equal (tbl, "cases"))
    {
      g_autoptr(GPtrArray) rows = _pb_hub_children (self, row, "case_leads");
      for (guint i = 0; i < rows->len; i++)
        if (!_pb_hub_refresh (self, batch, "case_leads", rows->pdata[i]))
          return FALSE;
    }
  return TRUE;
}

/* The rows whose visibility a change of this row can change, besides itself. */
gboolean
_pb_hub_refresh_parents (PbHub      *self,
                         PbHubBatch *batch,
                         const char *tbl,
                         const char *row,
                         const char *old_case)
{
  if (g_str_equal (tbl, "item_shares"))
    {
      g_autofree char *item = _pb_hub_field_string (self, tbl, row, "item");
      return item == NULL || _pb_hub_refresh (self, batch, "items", item);
    }
  if (g_str_equal (tbl, "case_leads"))
    {
      g_autofree char *c = _pb_hub_field_string (self, tbl, row, "case_id");
      return c == NULL || _pb_hub_refresh (self, batch, "cases", c);
    }
  if (g_str_equal (tbl, "items"))
    {
      g_autofree char *c = _pb_hub_field_string (self, tbl, row, "case_id");

      if (old_case && g_strcmp0 (old_case, c) != 0 && !_pb_hub_refresh (self, batch, "cases", old_case))
        return FALSE;
      return c == NULL || _pb_hub_refresh (self, batch, "cases", c);
    }
  return TRUE;
}

/* ---- Snapshots and revocations ---------------------------------------------------- */

/* The current state of a row, for an organisation that starts to see it. */
static gboolean
emit_snapshot (PbHub      *self,
               PbHubBatch *batch,
               const char *tbl,
               const char *row,
               guint64     audience)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_SNAPSHOT_FIELDS);
  g_autoptr(GString) json = g_string_new ("{");
  PbHubEntry e;

  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      if (json->len > 1)
        g_string_append_c (json, ',');
      pb_json_append_string (json, (const char *) sqlite3_column_text (s, 0));
      g_string_append (json, ":{\"v\":");
      g_string_append (json, sqlite3_column_type (s, 1) == SQLITE_NULL
                             ? "null" : (const char *) sqlite3_column_text (s, 1));
      g_string_append_printf (json, ",\"h\":%" G_GINT64_FORMAT ",\"s\":", (gint64) sqlite3_column_int64 (s, 2));
      pb_json_append_string (json, (const char *) sqlite3_column_text (s, 3));
      g_string_append_c (json, '}');
    }
  sqlite3_reset (s);
  g_string_append_c (json, '}');

  e = (PbHubEntry) { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), tbl, row, "snapshot", NULL,
                     json->str, self->site_id, audience, batch->by };
  batch->notified |= audience;
  return _pb_hub_append_entry (self, &e) != 0;
}

/* The (tbl, row id) pairs a statement gives, one after the other in one array. */
static GPtrArray *
row_pairs (PbHub     *self,
           PbHubStmt  id)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, id);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 0)));
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (s, 1)));
    }
  sqlite3_reset (s);
  return rows;
}

/* A new organisation sees, from the start, what is visible to everyone of its kind. */
gboolean
_pb_hub_welcome_org (PbHub      *self,
                     PbHubBatch *batch,
                     guint64     bit)
{
  g_autoptr(GPtrArray) rows = row_pairs (self, PB_HUB_STMT_SHARED_ROWS);
  g_autoptr(GPtrArray) directory = NULL;

  for (guint i = 0; i < rows->len; i += 2)
    {
      PbHubRowState state = _pb_hub_row_state (self, rows->pdata[i], rows->pdata[i + 1]);
      guint64 audience = compute_audience (self, rows->pdata[i], rows->pdata[i + 1]);

      if (audience == state.audience)
        continue;
      if (!set_audience (self, rows->pdata[i], rows->pdata[i + 1], audience))
        return FALSE;
      if ((audience & bit) && !emit_snapshot (self, batch, rows->pdata[i], rows->pdata[i + 1], bit))
        return FALSE;
    }

  /* Everyone's organisations and people, and everyone sees the new ones. */
  directory = row_pairs (self, PB_HUB_STMT_DIRECTORY_ROWS);
  for (guint i = 0; i < directory->len; i += 2)
    if (!set_audience (self, directory->pdata[i], directory->pdata[i + 1], self->known_orgs)
        || !emit_snapshot (self, batch, directory->pdata[i], directory->pdata[i + 1], bit))
      return FALSE;
  return TRUE;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* At the end of a request: snapshots for those who now see a row, revocations for those
 * who no longer do. */
gboolean
_pb_hub_finish_batch (PbHub      *self,
                      PbHubBatch *batch)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  /* In a fixed order, so that two hubs given the same pushes write the same log. */
  g_hash_table_iter_init (&iter, batch->before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys->pdata[i], "\x1f", 2);
      Before *before = g_hash_table_lookup (batch->before, keys->pdata[i]);
      PbHubRowState now = _pb_hub_row_state (self, parts[0], parts[1]);
      guint64 gained, lost;

      if (!before->existed)
        continue;
      gained = now.audience & ~before->audience;
      lost = before->audience & ~now.audience;
      if (gained && !now.deleted && !emit_snapshot (self, batch, parts[0], parts[1], gained))
        return FALSE;
      if (lost)
        {
          PbHubEntry e = { self->site_id, pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self)), parts[0], parts[1],
                           "revoke", NULL, NULL, self->site_id, lost, batch->by };
          batch->notified |= lost;
          if (_pb_hub_append_entry (self, &e) == 0)
            return FALSE;
        }
    }
  return TRUE;
}
