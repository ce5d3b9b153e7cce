/* pb-store-map.c: what the port map shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The located incidents the signed-in person may see (the rulebook's SQL). Private
 * partners see a position exactly only where the item it belongs to was shared with their
 * organisation by name; anything else they may see is put at the centroid of its terminal,
 * and left off the map when it has none.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pb-store-private.h"

void
pb_map_incident_free (PbMapIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->id);
  g_free (incident->item);
  g_free (incident->terminal);
  g_free (incident->title);
  g_free (incident);
}

/* Finds a marker's terminal (by name, else by its polygon), and moves a marker that a
 * partner may see but that was not shared with them by name to that terminal's centroid.
 * Returns FALSE when such a marker has no terminal: it stays off the map. */
static gboolean
place_marker (PbMapIncident *n,
              PbGazetteer   *gazetteer,
              gboolean       coarse)
{
  const PbPlace *place = NULL;

  if (gazetteer)
    {
      place = n->terminal ? pb_gazetteer_find (gazetteer, n->terminal) : NULL;
      if (place == NULL)
        place = pb_gazetteer_terminal_at (gazetteer, n->lat, n->lon);
      if (place && n->terminal == NULL)
        n->terminal = g_strdup (place->name);
    }
  if (!coarse)
    return TRUE;
  if (place == NULL)
    return FALSE;
  n->lat = place->centroid.lat;
  n->lon = place->centroid.lon;
  n->exact = FALSE;
  return TRUE;
}

/**
 * pb_store_list_map_incidents:
 * @since: only incidents from this time on (seconds since 1970); 0 for all
 * @gazetteer: (nullable): the port's places, for the terminal of an incident and a
 *   partner's coarse positions
 *
 * Returns: (transfer full) (element-type PbMapIncident): the incidents to put on the map
 */
GPtrArray *
pb_store_list_map_incidents (PbStore     *self,
                             gint64       since,
                             PbGazetteer *gazetteer,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_map_incident_free);
  gboolean partner = !pb_rules_exact_places (_pb_store_me (self));

  if (sqlite3_prepare_v2 (self->db,
                          pb_rules_sql ("SELECT n.id, n.lat, n.lon, n.kind, n.tlp, n.occurred_at, n.terminal, n.item,"
                          "  EXISTS (SELECT 1 FROM item_shares s WHERE s.item = n.item AND s.org = :org), n.kg,"
                          "  (SELECT rowid FROM items WHERE id = n.item)"
                          " FROM incidents n"
                          " WHERE n.lat IS NOT NULL AND n.lon IS NOT NULL AND n.occurred_at >= :since"
                          " AND {visible incidents n}"
                          " ORDER BY n.occurred_at"),
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the incidents"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":since"), since);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(PbMapIncident) n = g_new0 (PbMapIncident, 1);

      n->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      n->lat = sqlite3_column_double (stmt, 1);
      n->lon = sqlite3_column_double (stmt, 2);
      pb_incident_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &n->kind);
      n->tlp = PB_TLP_RED;
      pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 4), &n->tlp);
      n->occurred_at = sqlite3_column_int64 (stmt, 5);
      n->terminal = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      n->item = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      n->kg = sqlite3_column_double (stmt, 9);
      n->item_rowid = sqlite3_column_int64 (stmt, 10);
      n->exact = TRUE;

      if (place_marker (n, gazetteer, partner && !sqlite3_column_int (stmt, 8)))
        g_ptr_array_add (out, g_steal_pointer (&n));
    }
  return g_steal_pointer (&out);
}

/**
 * pb_store_list_map_items:
 * @since: only items reported from this time on (seconds since 1970); 0 for all
 *
 * Returns: (transfer full) (element-type PbMapIncident): the located items the signed-in
 *   person may see, as map markers (is_item set), under the same precision rule as
 *   incidents
 */
GPtrArray *
pb_store_list_map_items (PbStore     *self,
                         gint64       since,
                         PbGazetteer *gazetteer,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_map_incident_free);
  gboolean partner = !pb_rules_exact_places (_pb_store_me (self));

  if (sqlite3_prepare_v2 (self->db,
                          pb_rules_sql ("SELECT i.id, i.lat, i.lon, i.tlp, i.reported_at, i.port_area, i.title,"
                          "  EXISTS (SELECT 1 FROM item_shares s WHERE s.item = i.id AND s.org = :org), i.rowid"
                          " FROM items i"
                          " WHERE i.lat IS NOT NULL AND i.lon IS NOT NULL AND i.reported_at >= :since"
                          " AND {visible items i}"
                          " ORDER BY i.reported_at"),
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the board"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":since"), since);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(PbMapIncident) n = g_new0 (PbMapIncident, 1);

      n->is_item = TRUE;
      n->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      n->item = g_strdup (n->id);
      n->lat = sqlite3_column_double (stmt, 1);
      n->lon = sqlite3_column_double (stmt, 2);
      n->kind = PB_N_INCIDENT_KINDS;
      n->tlp = PB_TLP_RED;
      pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 3), &n->tlp);
      n->occurred_at = sqlite3_column_int64 (stmt, 4);
      n->terminal = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      n->title = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      n->item_rowid = sqlite3_column_int64 (stmt, 8);
      n->exact = TRUE;

      if (place_marker (n, gazetteer, partner && !sqlite3_column_int (stmt, 7)))
        g_ptr_array_add (out, g_steal_pointer (&n));
    }
  return g_steal_pointer (&out);
}
