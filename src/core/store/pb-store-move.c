/* pb-store-move.c: moving an item on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

/* The rank that puts an item just before @before_item in a column, or at its end. Ranks
 * are halved between neighbours, so a move writes one row whatever the column holds. */
static gboolean
rank_before (PbStore    *self,
             const char *item_id,
             PbStatus    column,
             const char *before_item,
             double     *rank,
             GError    **error)
{
  sqlite3_stmt *stmt;

  if (before_item == NULL)
    {
      /* Walks the board index from the end of the column: no scan of the column. */
      stmt = _pb_store_get_stmt (self, "SELECT rank FROM items WHERE status = ?1 AND id <> ?2"
                             " ORDER BY rank DESC LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, pb_status_to_string (column), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, item_id, -1, SQLITE_STATIC);
      *rank = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_double (stmt, 0) + 1 : 1;
      sqlite3_reset (stmt);
      return TRUE;
    }

  stmt = _pb_store_get_stmt (self,
                   "SELECT b.rank, (SELECT p.rank FROM items p WHERE p.status = b.status"
                   "                AND p.rank < b.rank AND p.id <> ?2"
                   "                ORDER BY p.rank DESC LIMIT 1)"
                   " FROM items b WHERE b.id = ?1 AND b.status = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, before_item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, item_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pb_status_to_string (column), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return _pb_store_invalid (error, _("The item to place it before is not in that column"));
    }
  if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    *rank = sqlite3_column_double (stmt, 0) - 1;
  else
    *rank = (sqlite3_column_double (stmt, 0) + sqlite3_column_double (stmt, 1)) / 2;
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * pb_store_move_item:
 * @column: the board column to move to (the same one to reorder)
 * @before_item: (nullable): the item to place it just before, or %NULL for the end
 * @lead_org: (nullable): the lead organisation (identifier or code) to set with the move
 * @closing_reason: (nullable): why the item is closed
 *
 * Moves an item on the board, through the write path. "Lead assigned" needs a lead
 * organisation and "Closed" a closing reason; a refused move says why and changes nothing.
 */
gboolean
pb_store_move_item (PbStore    *self,
                    const char *item_id,
                    PbStatus    column,
                    const char *before_item,
                    const char *lead_org,
                    const char *closing_reason,
                    GError    **error)
{
  g_autoptr(PbRecord) record = NULL;
  g_autoptr(PbOrganisation) lead = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *current_lead = NULL;
  g_autofree char *current_reason = NULL;
  g_autofree char *reason = NULL;
  double rank = 0;

  g_return_val_if_fail (column < PB_N_STATUSES, FALSE);

  if (!_pb_store_check_actor (self, "items", error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, pb_rules_sql ("SELECT i.lead_org, i.closing_reason FROM items i"
                                                  " WHERE i.id = :id AND {visible items i}"),
                          -1, &stmt, NULL) != SQLITE_OK)
    return _pb_store_set_sqlite_error (error, self->db, _("Cannot read the item"));
  if (!_pb_store_bind_viewer (self, stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":id"), item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("The item does not exist or is not shared with your organisation"));
      return FALSE;
    }
  current_lead = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  current_reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));

  if (lead_org != NULL)
    {
      lead = pb_store_find_organisation (self, lead_org, error);
      if (lead == NULL)
        return FALSE;
    }

  if (column == PB_STATUS_LEAD_ASSIGNED && lead == NULL && current_lead == NULL)
    return _pb_store_invalid (error, _("“Lead assigned” needs a lead organisation: choose who leads first"));
  if (closing_reason != NULL)
    {
      reason = g_strstrip (g_strdup (closing_reason));
      if (*reason == '\0')
        g_clear_pointer (&reason, g_free);
    }
  if (column == PB_STATUS_CLOSED && reason == NULL
      && (current_reason == NULL || *current_reason == '\0'))
    return _pb_store_invalid (error, _("“Closed” needs a closing reason: say why the item is closed"));

  if (g_strcmp0 (before_item, item_id) == 0)
    return _pb_store_invalid (error, _("An item cannot be placed before itself"));
  if (!rank_before (self, item_id, column, before_item, &rank, error))
    return FALSE;

  record = pb_record_new ("items", item_id);
  pb_record_set_string (record, "status", pb_status_to_string (column));
  pb_record_set_double (record, "rank", rank);
  if (lead)
    pb_record_set_string (record, "lead_org", lead->id);
  if (reason)
    pb_record_set_string (record, "closing_reason", reason);
  return pb_store_write (self, PB_OP_UPDATE, record, error);
}
