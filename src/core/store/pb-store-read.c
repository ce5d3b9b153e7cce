/* pb-store-read.c: reading the local Portboard database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People and organisations, the board's cards, cross-agency hits, an item's details, history
 * and identifiers, the access log. Everything here applies need-to-know (the rulebook's SQL)
 * for the signed-in person; opening an item's details is recorded in the access log.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pb-card-private.h"
#include "pb-identifier.h"
#include "pb-store-private.h"

/* Reading */

void
pb_organisation_free (PbOrganisation *org)
{
  if (org == NULL)
    return;
  g_free (org->id);
  g_free (org->name);
  g_free (org->short_code);
  g_free (org->colour);
  g_free (org);
}

void
pb_person_free (PbPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->id);
  g_free (person->name);
  g_free (person->org);
  g_free (person);
}

static PbOrganisation *
org_from_stmt (sqlite3_stmt *stmt)
{
  PbOrganisation *org = g_new0 (PbOrganisation, 1);

  org->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  org->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  org->short_code = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  pb_org_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &org->kind);
  org->colour = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  return org;
}

static PbPerson *
person_from_stmt (sqlite3_stmt *stmt)
{
  PbPerson *person = g_new0 (PbPerson, 1);

  person->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  person->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  person->org = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  pb_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &person->role);
  return person;
}

GPtrArray *
pb_store_list_organisations (PbStore *self,
                             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_organisation_free);

  if (sqlite3_prepare_v2 (self->db, "SELECT id, name, short_code, kind, colour FROM organisations"
                          " ORDER BY name", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_unref (out);
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the organisations"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, org_from_stmt (stmt));
  return out;
}

GPtrArray *
pb_store_list_people (PbStore *self,
                      GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_person_free);

  if (sqlite3_prepare_v2 (self->db, "SELECT id, name, org, role FROM people ORDER BY name",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_unref (out);
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the people"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (out, person_from_stmt (stmt));
  return out;
}

PbPerson *
pb_store_find_person (PbStore    *self,
                      const char *id_or_name,
                      GError    **error)
{
  sqlite3_stmt *stmt;
  PbPerson *person = NULL;
  int matches = 0;

  stmt = _pb_store_get_stmt (self, "SELECT id, name, org, role FROM people WHERE id = ?1"
                         " UNION ALL SELECT id, name, org, role FROM people"
                         " WHERE name = ?1 COLLATE NOCASE AND id <> ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_or_name, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      matches++;
      if (person == NULL)
        person = person_from_stmt (stmt);
      /* An identifier matches one row; stop before scanning names. */
      if (matches == 1 && g_strcmp0 (person->id, id_or_name) == 0)
        break;
    }
  sqlite3_reset (stmt);

  if (matches == 0)
    g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                 _("Nobody called “%s” is known in this database"), id_or_name);
  else if (matches > 1)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("More than one person is called “%s”: use the identifier"), id_or_name);
      g_clear_pointer (&person, pb_person_free);
    }
  return person;
}

PbOrganisation *
pb_store_find_organisation (PbStore    *self,
                            const char *id_or_code,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, name, short_code, kind, colour FROM organisations"
                          " WHERE id = ?1 OR short_code = ?1 COLLATE NOCASE", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the organisations"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id_or_code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return org_from_stmt (stmt);

  g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
               _("No organisation “%s” is known in this database"), id_or_code);
  return NULL;
}

gboolean
_pb_store_bind_viewer (PbStore      *self,
             sqlite3_stmt *stmt,
             GError      **error)
{
  const PbActor *me = _pb_store_me (self);

  if (me->person == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("Nobody is signed in: choose who you are first"));
      return FALSE;
    }

  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":org"), me->org, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":org_kind"), pb_org_kind_to_string (me->org_kind),
                     -1, SQLITE_STATIC);
  return TRUE;
}

/* Who holds each identifier: the organisations of the items in this database, and those
 * the hub said hold it too (items this database does not have). */
#define HIT_ORGS \
  "(SELECT kind, value, org FROM identifier_orgs UNION SELECT kind, value, org FROM hub_hits)"

/* Whether organisation o holds identifier d, by the counts or by the hub's notice: two
 * lookups in the tables' keys. (Joined with HIT_ORGS instead, SQLite builds the whole union
 * first, which costs a third of a second with 200k identifiers.) */
#define HELD_BY_O \
  "(EXISTS (SELECT 1 FROM identifier_orgs x WHERE x.kind = d.kind AND x.value = d.value AND x.org = o.id)" \
  " OR EXISTS (SELECT 1 FROM hub_hits y WHERE y.kind = d.kind AND y.value = d.value AND y.org = o.id))"

/* Hits are deconfliction between the services: that the police or customs hold an item
 * on a container is itself sensitive, so private partners are told of no hit. */
static gboolean
hits_allowed (PbStore *self)
{
  return pb_rules_may_see_hits (&self->me);
}

/* The organisations a card's hit badge names: those that hold one of its identifiers. */
char *
_pb_store_hit_codes (PbStore    *self,
                     const char *item_id)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self,
                                 "SELECT group_concat (code, ', ') FROM"
                                 " (SELECT DISTINCT o.short_code AS code"
                                 "  FROM identifiers d JOIN items i ON i.id = d.item"
                                 "  JOIN organisations o ON o.id <> i.source_org AND " HELD_BY_O
                                 "  WHERE d.item = ?1 ORDER BY 1)", NULL);
  char *codes = NULL;

  if (stmt == NULL || !hits_allowed (self))
    return NULL;
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    codes = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return codes;
}


typedef struct
{
  const char *id;
  const char *code;
  const char *colour;
} CardOrg;

/* A card from a row of load_cards()'s query. */
static PbCard *
card_from_row (PbStore      *self,
               sqlite3_stmt *stmt,
               GHashTable   *org_by_id)
{
  PbStatus status = PB_STATUS_INCOMING;
  PbTlp tlp = PB_TLP_RED;
  PbPriority priority = PB_PRIORITY_NORMAL;
  const char *rel = (const char *) sqlite3_column_text (stmt, 8);
  const char *cred = (const char *) sqlite3_column_text (stmt, 9);
  const char *source_id = (const char *) sqlite3_column_text (stmt, 6);
  const char *lead_id = (const char *) sqlite3_column_text (stmt, 7);
  CardOrg *source = g_hash_table_lookup (org_by_id, source_id);
  CardOrg *lead = lead_id ? g_hash_table_lookup (org_by_id, lead_id) : NULL;
  char grading[3] = { rel ? rel[0] : 0, cred ? cred[0] : 0, 0 };

  pb_status_from_string ((const char *) sqlite3_column_text (stmt, 2), &status);
  pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 4), &tlp);
  pb_priority_from_string ((const char *) sqlite3_column_text (stmt, 5), &priority);

  return _pb_card_new ((const char *) sqlite3_column_text (stmt, 0),
                       sqlite3_column_int64 (stmt, 12),
                       (const char *) sqlite3_column_text (stmt, 1),
                       status,
                       sqlite3_column_double (stmt, 3),
                       tlp, priority,
                       source ? source->id : g_intern_string (source_id),
                       source ? source->code : g_intern_static_string ("?"),
                       source ? source->colour : g_intern_static_string ("#888888"),
                       lead ? lead->code : NULL,
                       rel && cred ? g_intern_string (grading) : NULL,
                       (const char *) sqlite3_column_text (stmt, 10),
                       sqlite3_column_int64 (stmt, 11));
}

/* The cards of the items the signed-in person may see, in board order: all of them, or
 * those that meet @condition (SQL over items "i", with @key bound to ":key"); with their
 * details when @details (a few cards: an agenda, a case, search results). */
GPtrArray *
_pb_store_load_cards_where (PbStore    *self,
                            const char *condition,
                            const char *key,
                            gboolean    details,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GHashTable) org_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree CardOrg *card_orgs = NULL;
  g_autofree char *sql = NULL;

  /* Organisations are few: looked up in memory rather than joined for every row. Their
   * strings are interned once here and shared by the cards. */
  orgs = pb_store_list_organisations (self, error);
  if (orgs == NULL)
    return NULL;
  card_orgs = g_new0 (CardOrg, orgs->len);
  for (guint i = 0; i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);

      card_orgs[i].id = g_intern_string (org->id);
      card_orgs[i].code = g_intern_string (org->short_code);
      card_orgs[i].colour = g_intern_string (org->colour);
      g_hash_table_insert (org_by_id, (char *) card_orgs[i].id, &card_orgs[i]);
    }

  /* The whole board is one pass over the board index (schema version 3), which is in
   * board order and holds every column read here; the shares of the viewer's
   * organisation are read once. */
  /* The conditions are the callers' literals: each expands once (pb_rules_sql keeps it). */
  if (condition)
    sql = g_strconcat ("SELECT i.id, i.title, i.status, i.rank, i.tlp, i.priority, i.source_org,"
                       "  i.lead_org, i.reliability, i.credibility, i.due_date, i.reported_at, i.rowid"
                       " FROM items i WHERE (", condition, ") AND {visible items i}"
                       " ORDER BY i.status, i.rank", NULL);
  else
    sql = g_strdup ("SELECT i.id, i.title, i.status, i.rank, i.tlp, i.priority, i.source_org,"
                    "  i.lead_org, i.reliability, i.credibility, i.due_date, i.reported_at, i.rowid"
                    " FROM items i WHERE {listing items i}"
                    " ORDER BY i.status, i.rank");
  if (sqlite3_prepare_v2 (self->db, pb_rules_sql (sql), -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the board"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  if (key)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":key"), key, -1, SQLITE_STATIC);

  /* One pass over the board index, which holds each column in rank order; the columns
   * are then put in the board's order (not the alphabetical order of their names). */
  {
    GPtrArray *per_column[PB_N_STATUSES];

    for (guint c = 0; c < PB_N_STATUSES; c++)
      per_column[c] = g_ptr_array_new ();
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        PbCard *card = card_from_row (self, stmt, org_by_id);
        g_ptr_array_add (per_column[pb_card_get_status (card)], card);
      }
    for (guint c = 0; c < PB_N_STATUSES; c++)
      g_ptr_array_extend_and_steal (cards, per_column[c]);
  }

  if (details && !pb_store_fill_card_details (self, (PbCard **) cards->pdata, cards->len, error))
    return NULL;
  return g_steal_pointer (&cards);
}

/* The ids of @cards as a JSON array, for "IN (SELECT value FROM json_each (?))". */
static char *
ids_json (PbCard *const *cards,
          guint           n)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pb_json_append_string (out, pb_card_get_id (cards[i]));
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/**
 * pb_store_fill_card_details:
 *
 * Reads what @cards show besides their rows: the main identifier, the organisations that
 * hold one of the item's identifiers (none for private partners), a concurrent edit that
 * waits. A few lookups per card: for the cards on screen, not a whole board.
 */
gboolean
pb_store_fill_card_details (PbStore        *self,
                            PbCard *const  *cards,
                            guint           n,
                            GError        **error)
{
  g_autoptr(GHashTable) main_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  if (n == 0)
    return TRUE;
  json = ids_json (cards, n);

  /* A container number first, else the vessel's IMO number, else any: the first of each
   * item's in this order. */
  stmt = _pb_store_get_stmt (self, "SELECT item, value FROM identifiers"
                                   " WHERE item IN (SELECT value FROM json_each (?1))"
                                   " ORDER BY item, kind = 'container' DESC, kind = 'imo' DESC, kind, value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *item = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (main_ids, item))
        g_hash_table_insert (main_ids, g_strdup (item), g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);

  stmt = _pb_store_get_stmt (self, "SELECT DISTINCT row_id FROM sync_conflicts"
                                   " WHERE row_id IN (SELECT value FROM json_each (?1)) AND resolved_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (conflicts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  /* Requests waiting for this organisation's answer. */
  stmt = _pb_store_get_stmt (self, "SELECT item, count (*) FROM requests"
                                   " WHERE item IN (SELECT value FROM json_each (?1)) AND status = 'open'"
                                   " AND item_org = ?2 GROUP BY item", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->me.org, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (asked, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);

  for (guint i = 0; i < n; i++)
    {
      const char *id = pb_card_get_id (cards[i]);
      g_autofree char *hits = _pb_store_hit_codes (self, id);

      if (_pb_card_set_details (cards[i], g_hash_table_lookup (main_ids, id), hits,
                                g_hash_table_contains (conflicts, id),
                                GPOINTER_TO_UINT (g_hash_table_lookup (asked, id))))
        _pb_card_changed (cards[i]);
    }
  return TRUE;
}

/**
 * pb_store_load_cards_by_id:
 *
 * Returns: (transfer full) (element-type PbCard): the cards of those of @ids the signed-in
 *   person may see, without their details, in board order
 */
GPtrArray *
pb_store_load_cards_by_id (PbStore            *self,
                            const char * const *ids,
                            guint               n,
                            GError            **error)
{
  GString *json = g_string_new ("[");
  g_autofree char *key = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      pb_json_append_string (json, ids[i]);
    }
  g_string_append_c (json, ']');
  key = g_string_free (json, FALSE);
  return _pb_store_load_cards_where (self, "i.id IN (SELECT value FROM json_each (:key))", key, FALSE, error);
}

/**
 * pb_store_load_cards:
 *
 * Returns: (transfer full): every item the signed-in person may see, as #PbCard, in
 *   board order (column, then rank).
 */
GListStore *
pb_store_load_cards (PbStore *self,
                     GError **error)
{
  g_autoptr(GPtrArray) cards = _pb_store_load_cards_where (self, NULL, NULL, FALSE, error);
  GListStore *store;

  if (cards == NULL)
    return NULL;
  store = g_list_store_new (PB_TYPE_CARD);
  g_list_store_splice (store, 0, 0, cards->pdata, cards->len);
  return store;
}

/**
 * pb_store_load_card:
 *
 * Returns: (transfer full) (nullable): the card of one item as it is now, or %NULL when it
 *   does not exist or the signed-in person may not see it
 */
PbCard *
pb_store_load_card (PbStore    *self,
                    const char *item_id,
                    GError    **error)
{
  g_autoptr(GPtrArray) cards = _pb_store_load_cards_where (self, "i.id = :key", item_id, TRUE, error);

  if (cards == NULL || cards->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (cards, 0));
}

/**
 * pb_store_open_item:
 *
 * Reads every field of one item for its details view, and records the consultation in
 * the access log. An item the signed-in person may not see is reported as not found.
 *
 * Returns: (transfer full): column name → value (strings; absent when NULL), plus
 *   "identifiers" (newline-separated "kind:value") and "shared_with" (organisation codes).
 */
GHashTable *
pb_store_open_item (PbStore    *self,
                    const char *item_id,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) idents = g_string_new (NULL);
  g_autoptr(GString) shares = g_string_new (NULL);

  if (sqlite3_prepare_v2 (self->db, pb_rules_sql ("SELECT i.* FROM items i WHERE i.id = :id AND {visible items i}"),
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the item"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":id"), item_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("The item does not exist or is not shared with your organisation"));
      return NULL;
    }
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    if (sqlite3_column_type (stmt, c) != SQLITE_NULL)
      g_hash_table_insert (fields, g_strdup (sqlite3_column_name (stmt, c)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, c)));
  g_clear_pointer (&stmt, sqlite3_finalize);

  sqlite3_prepare_v2 (self->db, "SELECT kind, value FROM identifiers WHERE item = ? ORDER BY kind, value",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (idents, "%s%s:%s", idents->len ? "\n" : "",
                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_hash_table_insert (fields, g_strdup ("identifiers"), g_strdup (idents->str));

  sqlite3_prepare_v2 (self->db, "SELECT o.short_code FROM item_shares s JOIN organisations o"
                      " ON o.id = s.org WHERE s.item = ? ORDER BY o.short_code", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (shares, "%s%s", shares->len ? ", " : "", sqlite3_column_text (stmt, 0));
  g_hash_table_insert (fields, g_strdup ("shared_with"), g_strdup (shares->str));

  if (!pb_store_log_access (self, PB_ACCESS_CONSULTATION, "items", item_id, "details", error))
    return NULL;

  return g_steal_pointer (&fields);
}

void
pb_access_entry_free (PbAccessEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->person);
  g_free (entry->action);
  g_free (entry->table);
  g_free (entry->row_id);
  g_free (entry->detail);
  g_free (entry->reason);
  g_free (entry);
}

/**
 * pb_store_list_access_log:
 * @limit: the newest entries to return
 * @n_total: (out) (optional): how many entries the signed-in person may see in all
 *
 * Chairs and administrators oversee the whole log; everyone else sees their own entries.
 *
 * Returns: (transfer full) (element-type PbAccessEntry): newest first
 */
GPtrArray *
pb_store_list_access_log (PbStore *self,
                          guint    limit,
                          guint   *n_total,
                          GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  GPtrArray *out;
  gboolean everyone;

  if (self->actor == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("Nobody is signed in: choose who you are first"));
      return NULL;
    }
  everyone = pb_rules_oversees_access_log (&self->me);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT l.seq, l.at, coalesce (p.name, l.person), l.action, l.tbl,"
                          "  l.row_id, l.detail, l.reason"
                          " FROM access_log l LEFT JOIN people p ON p.id = l.person"
                          " WHERE ?1 OR l.person = ?2 ORDER BY l.seq DESC LIMIT ?3",
                          -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, "SELECT count (*) FROM access_log WHERE ?1 OR person = ?2",
                             -1, &count, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the access log"));
      return NULL;
    }

  sqlite3_bind_int (stmt, 1, everyone);
  sqlite3_bind_text (stmt, 2, self->actor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_access_entry_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbAccessEntry *e = g_new0 (PbAccessEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->at_ms = sqlite3_column_int64 (stmt, 1);
      e->person = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->table = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      e->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      e->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (out, e);
    }

  if (n_total)
    {
      sqlite3_bind_int (count, 1, everyone);
      sqlite3_bind_text (count, 2, self->actor, -1, SQLITE_STATIC);
      *n_total = sqlite3_step (count) == SQLITE_ROW ? (guint) sqlite3_column_int64 (count, 0) : 0;
    }

  return out;
}

/**
 * pb_store_list_hits:
 * @item_id: (nullable): the hits of one item, or of every item the signed-in person may see
 *
 * Deconfliction: an identifier of an item the signed-in person may see that items of
 * another organisation hold too. A hit names that organisation and nothing of its items,
 * which may be items the person may not see. Private partners get no hits.
 *
 * Returns: (transfer full) (element-type PbHit): by item, then identifier, then organisation
 */
GPtrArray *
pb_store_list_hits (PbStore    *self,
                    const char *item_id,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;
  int rc;

  /* All of them: from the index kept in memory, unless it cannot hold this database. */
  if (item_id == NULL && hits_allowed (self))
    {
      g_autoptr(GError) local_error = NULL;

      out = _pb_store_list_all_hits (self, &local_error);
      if (out != NULL)
        return out;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  rc = sqlite3_prepare_v2 (self->db,
                           item_id
                           ? pb_rules_sql ("SELECT d.item, d.kind, d.value, o.short_code, o.name"
                             " FROM identifiers d JOIN items i ON i.id = d.item"
                             " JOIN organisations o ON o.id <> i.source_org AND " HELD_BY_O
                             " WHERE d.item = :item AND {visible items i}"
                             " ORDER BY d.kind, d.value, o.short_code")
                           : pb_rules_sql ("WITH shared AS (SELECT kind, value FROM " HIT_ORGS
                             "                GROUP BY kind, value HAVING count (*) > 1)"
                             " SELECT d.item, d.kind, d.value, o.short_code, o.name"
                             " FROM shared s"
                             " JOIN identifiers d ON d.kind = s.kind AND d.value = s.value"
                             " JOIN items i ON i.id = d.item"
                             " JOIN " HIT_ORGS " h ON h.kind = s.kind AND h.value = s.value"
                             "  AND h.org <> i.source_org"
                             " JOIN organisations o ON o.id = h.org"
                             " WHERE {listing items i}"
                             " ORDER BY d.item, d.kind, d.value, o.short_code"),
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the hits"));
      return NULL;
    }
  if (!_pb_store_bind_viewer (self, stmt, error))
    return NULL;
  if (item_id)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":item"), item_id, -1, SQLITE_STATIC);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_hit_free);
  while (hits_allowed (self) && sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbHit *hit = _pb_hit_new ((const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2),
                                (const char *) sqlite3_column_text (stmt, 3),
                                (const char *) sqlite3_column_text (stmt, 4));
      PbHit *prev = out->len ? out->pdata[out->len - 1] : NULL;

      /* An item that carries the same identifier twice has one hit for it (the rows come
       * in order, so the same hit comes twice in a row). */
      if (prev && strcmp (prev->item, hit->item) == 0 && strcmp (prev->kind, hit->kind) == 0
          && strcmp (prev->value, hit->value) == 0 && strcmp (prev->org_code, hit->org_code) == 0)
        pb_hit_free (hit);
      else
        g_ptr_array_add (out, hit);
    }
  return out;
}

void
pb_history_entry_free (PbHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->author);
  g_free (entry->table);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->op);
  g_free (entry);
}

void
pb_identifier_row_free (PbIdentifierRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->kind);
  g_free (row->value);
  g_free (row);
}

static char *
json_value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", json_node_get_double (node)));
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return json_to_string (node, FALSE);
}

/**
 * pb_store_item_history:
 *
 * The change log of an item and of its identifiers and sharing, oldest first: who, when,
 * which field, the value before and after (replayed from the log). An item the signed-in
 * person may not see has no history for them.
 *
 * Returns: (transfer full) (element-type PbHistoryEntry)
 */
GPtrArray *
pb_store_item_history (PbStore    *self,
                       const char *item_id,
                       GError    **error)
{
  g_autoptr(GHashTable) state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *out;

  /* Visibility, and the consultation is logged by the caller that opened the item. */
  {
    g_autoptr(PbCard) card = pb_store_load_card (self, item_id, error);
    if (card == NULL)
      {
        if (error && *error == NULL)
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                       _("The item does not exist or is not shared with your organisation"));
        return NULL;
      }
  }

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT c.hlc, coalesce (p.name, c.author), c.tbl, c.row_id, c.op, c.field, c.value"
                          " FROM change_log c LEFT JOIN people p ON p.id = c.author"
                          " WHERE c.row_id = ?1"
                          "  OR c.row_id IN (SELECT id FROM identifiers WHERE item = ?1)"
                          "  OR c.row_id IN (SELECT id FROM item_shares WHERE item = ?1)"
                          "  OR (c.tbl IN ('identifiers', 'item_shares') AND c.op = 'insert'"
                          "      AND json_extract (c.value, '$.item') = ?1)"
                          " ORDER BY c.seq", -1, &stmt, NULL) != SQLITE_OK)
    {
      _pb_store_set_sqlite_error (error, self->db, _("Cannot read the history"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_history_entry_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 3);
      const char *op = (const char *) sqlite3_column_text (stmt, 4);
      const char *field = (const char *) sqlite3_column_text (stmt, 5);
      const char *value = (const char *) sqlite3_column_text (stmt, 6);
      PbHistoryEntry *e = g_new0 (PbHistoryEntry, 1);

      e->at_ms = pb_hlc_wall_ms ((guint64) sqlite3_column_int64 (stmt, 0));
      e->author = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->table = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->op = g_strdup (op);

      if (g_str_equal (op, "insert") && value)
        {
          g_autoptr(JsonNode) node = json_from_string (value, NULL);
          JsonObject *obj = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autoptr(GList) members = obj ? json_object_get_members (obj) : NULL;

          for (GList *l = members; l; l = l->next)
            g_hash_table_insert (state, g_strconcat (row, "/", l->data, NULL),
                                 json_value_text (json_object_get_member (obj, l->data)));
          /* Created: the identifier's or share's value says what was added. */
          if (obj && json_object_has_member (obj, "value"))
            e->new_value = json_value_text (json_object_get_member (obj, "value"));
          else if (obj && json_object_has_member (obj, "org"))
            e->new_value = json_value_text (json_object_get_member (obj, "org"));
        }
      else if (g_str_equal (op, "update") && field)
        {
          g_autofree char *key = g_strconcat (row, "/", field, NULL);
          g_autoptr(JsonNode) node = value ? json_from_string (value, NULL) : NULL;

          e->field = g_strdup (field);
          e->old_value = g_strdup (g_hash_table_lookup (state, key));
          e->new_value = json_value_text (node);
          g_hash_table_insert (state, g_steal_pointer (&key), g_strdup (e->new_value));
        }
      g_ptr_array_add (out, e);
    }
  return out;
}

GPtrArray *
pb_store_list_identifiers (PbStore    *self,
                           const char *item_id,
                           GError    **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT id, kind, value, known_invalid FROM identifiers"
                                       " WHERE item = ? ORDER BY kind, value", error);
  GPtrArray *out;

  if (stmt == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_identifier_row_free);
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PbIdentifierRow *r = g_new0 (PbIdentifierRow, 1);

      r->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      r->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->value = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r->known_invalid = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (out, r);
    }
  sqlite3_reset (stmt);
  return out;
}

/**
 * pb_store_list_port_areas:
 *
 * Returns: (transfer full): the terminals and port areas that items are reported at, by
 *   name (what the board can be filtered by)
 */
GStrv
pb_store_list_port_areas (PbStore *self,
                          GError **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self,
                                           "SELECT DISTINCT port_area FROM items"
                                           " WHERE port_area IS NOT NULL AND port_area <> '' ORDER BY 1", error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}

/**
 * pb_store_list_item_shares:
 *
 * Returns: (transfer full): organisation id → id of the sharing row, for the
 *   organisations an item is shared with by name
 */
GHashTable *
pb_store_list_item_shares (PbStore    *self,
                           const char *item_id,
                           GError    **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT org, id FROM item_shares WHERE item = ?", error);
  GHashTable *shares;

  if (stmt == NULL)
    return NULL;
  shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (shares, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  return shares;
}
