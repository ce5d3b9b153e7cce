/* test-board.c: moves on the board and cross-agency hits, in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-store-edit.h"
#include "pb-test-util.h"

static char *
status_of (PbStore    *store,
           const char *item)
{
  sqlite3_stmt *stmt;
  char *status = NULL;

  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT status FROM items WHERE id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return status;
}

static GPtrArray *
column_order (PbStore    *store,
              const char *status)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT title FROM items WHERE status = ? ORDER BY rank", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

static void
test_move_guards (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  g_autofree char *status = NULL;
  gint64 changes;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Reefer", "AMBER", NULL);
  changes = pb_test_count (db.store, "SELECT count(*) FROM change_log");

  /* "Lead assigned" needs a lead organisation; "Closed" a closing reason. */
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_LEAD_ASSIGNED, NULL, NULL, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "lead organisation"));
  g_clear_error (&error);
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_CLOSED, NULL, NULL, "  ", &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_CLOSED, NULL, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "closing reason"));
  g_clear_error (&error);
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_LEAD_ASSIGNED, NULL, "NOPE", NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  status = status_of (db.store, item);
  g_assert_cmpstr (status, ==, "incoming");
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log"), ==, changes);

  /* With the lead named, the move goes through the write path. */
  g_assert_true (pb_store_move_item (db.store, item, PB_STATUS_LEAD_ASSIGNED, NULL, "CUS", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, g_free);
  status = status_of (db.store, item);
  g_assert_cmpstr (status, ==, "lead-assigned");
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM change_log WHERE op = 'update' AND field IN ('status', 'lead_org')"), ==, 2);
  /* The lead stays: moving on needs no lead again. */
  g_assert_true (pb_store_move_item (db.store, item, PB_STATUS_IN_ACTION, NULL, NULL, NULL, &error));
  g_assert_true (pb_store_move_item (db.store, item, PB_STATUS_CLOSED, NULL, NULL, "Seized", &error));
  g_assert_no_error (error);

  /* Partners cannot move, and others cannot move what they may not see. */
  pb_store_set_actor (db.store, db.partner, NULL);
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_INCOMING, NULL, NULL, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  g_assert_false (pb_store_move_item (db.store, item, PB_STATUS_INCOMING, NULL, NULL, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  pb_test_db_clear (&db);
}

static void
test_move_order (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(GPtrArray) order = NULL;

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "A", "GREEN", NULL);
  b = pb_test_add_item (&db, db.officer, "B", "GREEN", NULL);
  c = pb_test_add_item (&db, db.officer, "C", "GREEN", NULL);
  /* New items go to the end of Incoming: A B C. */
  order = column_order (db.store, "incoming");
  g_assert_cmpstr (g_ptr_array_index (order, 0), ==, "A");
  g_assert_cmpstr (g_ptr_array_index (order, 1), ==, "B");
  g_assert_cmpstr (g_ptr_array_index (order, 2), ==, "C");
  g_clear_pointer (&order, g_ptr_array_unref);

  /* Put C before A, then A at the end. */
  g_assert_true (pb_store_move_item (db.store, c, PB_STATUS_INCOMING, a, NULL, NULL, &error));
  g_assert_no_error (error);
  order = column_order (db.store, "incoming");
  g_assert_cmpstr (g_ptr_array_index (order, 0), ==, "C");
  g_assert_cmpstr (g_ptr_array_index (order, 1), ==, "A");
  g_assert_cmpstr (g_ptr_array_index (order, 2), ==, "B");
  g_clear_pointer (&order, g_ptr_array_unref);

  g_assert_true (pb_store_move_item (db.store, a, PB_STATUS_INCOMING, NULL, NULL, NULL, &error));
  order = column_order (db.store, "incoming");
  g_assert_cmpstr (g_ptr_array_index (order, 0), ==, "C");
  g_assert_cmpstr (g_ptr_array_index (order, 1), ==, "B");
  g_assert_cmpstr (g_ptr_array_index (order, 2), ==, "A");
  g_clear_pointer (&order, g_ptr_array_unref);

  /* Between two neighbours, many times over: the order holds. */
  for (int i = 0; i < 30; i++)
    {
      g_assert_true (pb_store_move_item (db.store, i % 2 ? a : c, PB_STATUS_INCOMING, b, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  order = column_order (db.store, "incoming");
  g_assert_cmpstr (g_ptr_array_index (order, 2), ==, "B");
  g_clear_pointer (&order, g_ptr_array_unref);

  /* Into another column, before an item that is not there: refused. */
  g_assert_false (pb_store_move_item (db.store, a, PB_STATUS_ASSESSMENT, b, NULL, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pb_store_move_item (db.store, a, PB_STATUS_INCOMING, a, NULL, NULL, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  pb_test_db_clear (&db);
}

static char *
add_identifier (PbTestDb   *db,
                const char *item,
                const char *kind,
                const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("identifiers", NULL);

  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "kind", kind);
  pb_record_set_string (r, "raw", raw);
  g_assert_true (pb_store_write (db->store, PB_OP_INSERT, r, &error));
  g_assert_no_error (error);
  return g_strdup (pb_record_get_id (r));
}

static void
assert_counts_consistent (PbStore *store)
{
  /* identifier_orgs is exactly what a full recount gives. */
  g_assert_cmpint (pb_test_count (store,
                                  "SELECT count(*) FROM ("
                                  " SELECT kind, value, org, n FROM identifier_orgs"
                                  " EXCEPT SELECT d.kind, d.value, i.source_org, count(*) FROM identifiers d"
                                  "  JOIN items i ON i.id = d.item GROUP BY 1, 2, 3)"), ==, 0);
  g_assert_cmpint (pb_test_count (store,
                                  "SELECT count(*) FROM ("
                                  " SELECT d.kind, d.value, i.source_org, count(*) FROM identifiers d"
                                  "  JOIN items i ON i.id = d.item GROUP BY 1, 2, 3"
                                  " EXCEPT SELECT kind, value, org, n FROM identifier_orgs)"), ==, 0);
}

static void
test_hits (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *police_item = NULL;
  g_autofree char *customs_secret = NULL;
  g_autofree char *ident = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  PbHit *hit;

  pb_test_db_init (&db);
  police_item = pb_test_add_item (&db, db.officer, "Police report on a reefer", "AMBER", "CSQU3054383");
  customs_secret = pb_test_add_item (&db, db.customs_officer, "Customs: informant says reefer", "RED", "csqu 305438 3");
  g_free (pb_test_add_item (&db, db.officer, "Unrelated", "GREEN", "TASU1170000"));
  assert_counts_consistent (db.store);

  /* The police officer sees a hit on their own item: customs holds the same container. */
  pb_store_set_actor (db.store, db.officer, NULL);
  hits = pb_store_list_hits (db.store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->item, ==, police_item);
  g_assert_cmpstr (hit->value, ==, "CSQU3054383");
  g_assert_cmpstr (hit->org_code, ==, "CUS");
  /* Nothing of the customs item: its identifier and title are not in what is returned. */
  g_assert_cmpstr (hit->item, !=, customs_secret);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The card shows the hit as a badge; a card the viewer may not see is not loaded. */
  {
    g_autoptr(PbCard) card = pb_store_load_card (db.store, police_item, &error);
    g_autoptr(PbCard) hidden = pb_store_load_card (db.store, customs_secret, &error);

    g_assert_nonnull (card);
    g_assert_cmpstr (pb_card_get_hit_codes (card), ==, "CUS");
    g_assert_cmpstr (pb_card_get_main_identifier (card), ==, "CSQU3054383");
    g_assert_null (hidden);
  }

  /* And customs sees the mirror hit, "contact POL". */
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  hits = pb_store_list_hits (db.store, customs_secret, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((PbHit *) g_ptr_array_index (hits, 0))->org_code, ==, "POL");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* A partner sees neither item, so no hit at all. */
  pb_store_set_actor (db.store, db.partner, NULL);
  hits = pb_store_list_hits (db.store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Nor on an item the partner may see: that a service holds the container is not theirs
   * to know. The services still see the hit. */
  {
    g_autofree char *public_item = pb_test_add_item (&db, db.officer, "Public notice", "CLEAR", "CSQU3054383");
    g_autoptr(PbCard) card = NULL;

    pb_store_set_actor (db.store, db.partner, NULL);
    card = pb_store_load_card (db.store, public_item, &error);
    g_assert_nonnull (card);
    g_assert_null (pb_card_get_hit_codes (card));
    hits = pb_store_list_hits (db.store, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = pb_store_list_hits (db.store, public_item, &error);
    g_assert_cmpuint (hits->len, ==, 0);
    g_clear_pointer (&hits, g_ptr_array_unref);

    pb_store_set_actor (db.store, db.customs_officer, NULL);
    hits = pb_store_list_hits (db.store, public_item, &error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_clear_pointer (&hits, g_ptr_array_unref);
    pb_store_set_actor (db.store, db.officer, NULL);
  }

  /* Hits follow every write: a second police item with the container is no new hit for
   * police (same organisation), an identifier changed away ends the hit. */
  g_free (pb_test_add_item (&db, db.officer, "Second police report", "AMBER", "CSQU3054383"));
  assert_counts_consistent (db.store);
  {
    sqlite3_stmt *stmt;
    sqlite3_prepare_v2 (_pb_store_get_db (db.store), "SELECT id FROM identifiers WHERE item = ?", -1, &stmt, NULL);
    sqlite3_bind_text (stmt, 1, customs_secret, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    ident = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  {
    g_autoptr(PbRecord) r = pb_record_new ("identifiers", ident);
    pb_record_set_string (r, "kind", "container");
    pb_record_set_string (r, "raw", "TASU1170000");
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
    g_assert_no_error (error);
  }
  assert_counts_consistent (db.store);
  pb_store_set_actor (db.store, db.officer, NULL);
  hits = pb_store_list_hits (db.store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((PbHit *) g_ptr_array_index (hits, 0))->value, ==, "TASU1170000");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Deleted: no hit. */
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  {
    g_autoptr(PbRecord) r = pb_record_new ("identifiers", ident);
    g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
  }
  assert_counts_consistent (db.store);
  pb_store_set_actor (db.store, db.officer, NULL);
  hits = pb_store_list_hits (db.store, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_free (add_identifier (&db, police_item, "imo", "IMO 9319466"));
  assert_counts_consistent (db.store);
  pb_test_db_clear (&db);
}

/* All hits, from the index kept in memory, are what the hits of each item say (SQL), for
 * every viewer, after every kind of write: identifiers added, changed and removed, handling
 * codes changed, shares added and removed, and writes by another connection. */
static char *
hits_text (GPtrArray *hits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      PbHit *h = hits->pdata[i];
      g_string_append_printf (out, "%s %s:%s %s %s\n", h->item, h->kind, h->value, h->org_code, h->org_name);
    }
  return g_string_free (out, FALSE);
}

static void
assert_all_hits_match (PbStore    *store,
                       const char *viewer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) each = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_hit_free);
  g_autofree char *a = NULL, *b = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (pb_store_set_actor (store, viewer, &error));
  all = pb_store_list_hits (store, NULL, &error);
  g_assert_no_error (error);
  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT id FROM items ORDER BY id", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GPtrArray) one = pb_store_list_hits (store, ids->pdata[i], &error);
      g_assert_no_error (error);
      g_ptr_array_extend_and_steal (each, g_steal_pointer (&one));
    }
  a = hits_text (all);
  b = hits_text (each);
  g_assert_cmpstr (a, ==, b);
}

/* The officer of the organisation a row of @table belongs to (an item, or the item an
 * identifier or a share is on): who may write it. */
static const char *
owner_of (PbTestDb   *db,
          const char *table,
          const char *id)
{
  g_autofree char *sql = g_str_equal (table, "items")
                         ? g_strdup_printf ("SELECT count (*) FROM items WHERE id = '%s' AND source_org = '%s'",
                                            id, db->org_police)
                         : g_strdup_printf ("SELECT count (*) FROM %s r JOIN items i ON i.id = r.item"
                                            " WHERE r.id = '%s' AND i.source_org = '%s'", table, id, db->org_police);

  return pb_test_count (db->store, sql) > 0 ? db->officer : db->customs_officer;
}

static void
test_hits_index (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) idents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shares = g_ptr_array_new_with_free_func (g_free);
  const char *containers[] = { "CSQU3054383", "TASU1170000", "MSCU1234566", "MSCU1234571" };
  const char *tlps[] = { "CLEAR", "GREEN", "AMBER", "RED" };
  const char *writers[2];
  const char *viewers[4];
  guint total = 0;

  pb_test_db_init (&db);
  writers[0] = db.officer, writers[1] = db.customs_officer;
  viewers[0] = db.officer, viewers[1] = db.customs_officer, viewers[2] = db.chair, viewers[3] = db.partner;

  for (guint round = 0; round < 12; round++)
    {
      for (guint op = 0; op < 8; op++)
        {
          guint what = g_rand_int_range (rand, 0, 6);
          const char *writer = writers[g_rand_int_range (rand, 0, 2)];

          if (what <= 1 || items->len < 3)
            {
              g_autofree char *title = g_strdup_printf ("Report %u", items->len);
              g_ptr_array_add (items, pb_test_add_item (&db, writer, title, tlps[g_rand_int_range (rand, 0, 4)],
                                                        containers[g_rand_int_range (rand, 0, 4)]));
            }
          else if (what == 2)
            {
              const char *item = items->pdata[g_rand_int_range (rand, 0, items->len)];

              pb_store_set_actor (db.store, owner_of (&db, "items", item), NULL);
              g_ptr_array_add (idents, add_identifier (&db, item, "container",
                                                       containers[g_rand_int_range (rand, 0, 4)]));
            }
          else if (what == 3 && idents->len > 0)
            {
              guint k = g_rand_int_range (rand, 0, idents->len);
              g_autoptr(PbRecord) r = pb_record_new ("identifiers", idents->pdata[k]);

              pb_store_set_actor (db.store, owner_of (&db, "identifiers", idents->pdata[k]), NULL);
              if (g_rand_boolean (rand))
                {
                  pb_record_set_string (r, "kind", "container");
                  pb_record_set_string (r, "raw", containers[g_rand_int_range (rand, 0, 4)]);
                  g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
                }
              else
                {
                  g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
                  g_ptr_array_remove_index (idents, k);
                }
              g_assert_no_error (error);
            }
          else if (what == 4)
            {
              const char *item = items->pdata[g_rand_int_range (rand, 0, items->len)];
              g_autoptr(PbRecord) r = pb_record_new ("items", item);

              pb_store_set_actor (db.store, owner_of (&db, "items", item), NULL);
              pb_record_set_string (r, "tlp", tlps[g_rand_int_range (rand, 0, 4)]);
              g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
              g_assert_no_error (error);
            }
          else if (shares->len > 0 && g_rand_boolean (rand))
            {
              g_autoptr(PbRecord) r = pb_record_new ("item_shares", shares->pdata[shares->len - 1]);

              pb_store_set_actor (db.store, owner_of (&db, "item_shares", shares->pdata[shares->len - 1]), NULL);
              g_assert_true (pb_store_write (db.store, PB_OP_DELETE, r, &error));
              g_assert_no_error (error);
              g_ptr_array_remove_index (shares, shares->len - 1);
            }
          else
            {
              g_autoptr(PbRecord) r = pb_record_new ("item_shares", NULL);
              const char *item = items->pdata[g_rand_int_range (rand, 0, items->len)];

              pb_store_set_actor (db.store, owner_of (&db, "items", item), NULL);
              pb_record_set_string (r, "item", item);
              pb_record_set_string (r, "org", g_rand_boolean (rand) ? db.org_customs : db.org_police);
              if (pb_store_write (db.store, PB_OP_INSERT, r, NULL))
                g_ptr_array_add (shares, g_strdup (pb_record_get_id (r)));
            }
        }

      /* Now and then another program writes the same file. */
      if (round % 4 == 3)
        {
          g_autoptr(PbStore) other = pb_store_open (db.path, &error);
          g_autoptr(PbRecord) r = pb_record_new ("items", items->pdata[0]);

          g_assert_no_error (error);
          g_assert_true (pb_store_set_actor (other, owner_of (&db, "items", items->pdata[0]), &error));
          pb_record_set_string (r, "tlp", "CLEAR");
          g_assert_true (pb_store_write (other, PB_OP_UPDATE, r, &error));
          g_assert_no_error (error);
        }

      for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
        assert_all_hits_match (db.store, viewers[v]);
      {
        g_autoptr(GPtrArray) hits = NULL;
        pb_store_set_actor (db.store, db.chair, NULL);
        hits = pb_store_list_hits (db.store, NULL, &error);
        total += hits->len;
      }
    }
  /* The writes made hits to compare, not an empty list. */
  g_assert_cmpuint (total, >, 50);
  pb_test_db_clear (&db);
}

static guint
filter_count (PbStore  *store,
              PbFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbItemSet) ids = pb_store_filter_items (store, filter, &error);

  g_assert_no_error (error);
  return ids ? pb_item_set_get_size (ids) : G_MAXUINT;
}

static void
test_filters (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  PbFilter f = { 0 };

  pb_test_db_init (&db);
  a = pb_test_add_item (&db, db.officer, "Reefer opened at Deurganck", "AMBER", "CSQU3054383");
  b = pb_test_add_item (&db, db.customs_officer, "Divers near the quay", "GREEN", "TASU1170000");
  c = pb_test_add_item (&db, db.officer, "Seal mismatch", "RED", NULL);
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", c);
    pb_store_set_actor (db.store, db.officer, NULL);
    pb_record_set_string (r, "due_date", "2020-01-01");
    pb_record_set_string (r, "priority", "urgent");
    pb_record_set_string (r, "modus_operandi", "MO-RIPON,MO-SWITCH");
    pb_record_set_string (r, "port_area", "Europa Terminal");
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  }

  /* Nothing to filter on: everything. */
  g_assert_cmpuint (filter_count (db.store, &f), ==, G_MAXUINT);
  f.text = g_strdup ("   ");
  g_assert_cmpuint (filter_count (db.store, &f), ==, G_MAXUINT);

  g_free (f.text);
  f.text = g_strdup ("reef");
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  g_free (f.text);
  f.text = g_strdup ("TASU117");
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  g_clear_pointer (&f.text, g_free);

  f.orgs = g_strsplit ("CUS", ",", -1);
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  g_clear_pointer (&f.orgs, g_strfreev);
  f.tlp_mask = (1u << PB_TLP_AMBER) | (1u << PB_TLP_RED);
  g_assert_cmpuint (filter_count (db.store, &f), ==, 2);
  f.priority_mask = 1u << PB_PRIORITY_URGENT;
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  f.tlp_mask = f.priority_mask = 0;
  f.modus_operandi = g_strdup ("MO-SWITCH");
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  g_free (f.modus_operandi);
  f.modus_operandi = g_strdup ("MO-RIP");   /* whole codes only */
  g_assert_cmpuint (filter_count (db.store, &f), ==, 0);
  g_clear_pointer (&f.modus_operandi, g_free);
  f.terminal = g_strdup ("Europa Terminal");
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  g_clear_pointer (&f.terminal, g_free);
  f.overdue = TRUE;
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  f.overdue = FALSE;

  /* "My organisation" depends on who asks. */
  f.mine = TRUE;
  pb_store_set_actor (db.store, db.officer, NULL);
  g_assert_cmpuint (filter_count (db.store, &f), ==, 2);
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);

  /* Filters combine. */
  f.text = g_strdup ("divers");
  g_assert_cmpuint (filter_count (db.store, &f), ==, 1);
  f.tlp_mask = 1u << PB_TLP_RED;
  g_assert_cmpuint (filter_count (db.store, &f), ==, 0);
  pb_filter_clear (&f);
  g_assert_true (pb_filter_is_empty (&f));
  pb_test_db_clear (&db);
}

static void
test_history (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  g_autoptr(GPtrArray) history = NULL;
  PbHistoryEntry *e;
  gboolean saw_title = FALSE, saw_identifier = FALSE;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "First title", "AMBER", "CSQU3054383");
  {
    g_autoptr(PbRecord) r = pb_record_new ("items", item);
    pb_record_set_string (r, "title", "Second title");
    g_assert_true (pb_store_write (db.store, PB_OP_UPDATE, r, &error));
  }
  g_assert_true (pb_store_move_item (db.store, item, PB_STATUS_ASSESSMENT, NULL, NULL, NULL, &error));

  history = pb_store_item_history (db.store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >=, 4);
  e = g_ptr_array_index (history, 0);
  g_assert_cmpstr (e->op, ==, "insert");
  g_assert_cmpstr (e->table, ==, "items");
  g_assert_cmpstr (e->author, ==, "Olga Officer");
  for (guint i = 0; i < history->len; i++)
    {
      e = g_ptr_array_index (history, i);
      if (g_strcmp0 (e->field, "title") == 0)
        {
          g_assert_cmpstr (e->old_value, ==, "First title");
          g_assert_cmpstr (e->new_value, ==, "Second title");
          saw_title = TRUE;
        }
      if (g_strcmp0 (e->field, "status") == 0)
        {
          g_assert_cmpstr (e->old_value, ==, "incoming");
          g_assert_cmpstr (e->new_value, ==, "assessment");
        }
      if (g_strcmp0 (e->table, "identifiers") == 0)
        {
          g_assert_cmpstr (e->new_value, ==, "CSQU3054383");
          saw_identifier = TRUE;
        }
    }
  g_assert_true (saw_title);
  g_assert_true (saw_identifier);
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Not for someone who may not see the item. */
  pb_store_set_actor (db.store, db.customs_officer, NULL);
  history = pb_store_item_history (db.store, item, &error);
  g_assert_null (history);
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  pb_test_db_clear (&db);
}

/* The board's model is in board order: columns as they stand on the board (not their
 * names' alphabetical order), then rank. */
static void
test_cards_in_board_order (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) cards = NULL;
  const PbStatus columns[] = { PB_STATUS_MONITORING, PB_STATUS_INCOMING, PB_STATUS_ASSESSMENT,
                               PB_STATUS_IN_ACTION, PB_STATUS_INCOMING };

  pb_test_db_init (&db);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *title = g_strdup_printf ("Item %u", i);
      g_autofree char *id = pb_test_add_item (&db, db.officer, title, "GREEN", NULL);
      g_assert_true (pb_store_move_item (db.store, id, columns[i], NULL, NULL, NULL, &error));
    }
  cards = pb_store_load_cards (db.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cards)), ==, G_N_ELEMENTS (columns));
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (cards)); i++)
    {
      g_autoptr(PbCard) a = g_list_model_get_item (G_LIST_MODEL (cards), i - 1);
      g_autoptr(PbCard) b = g_list_model_get_item (G_LIST_MODEL (cards), i);
      g_assert_true (pb_card_get_status (a) < pb_card_get_status (b)
                     || (pb_card_get_status (a) == pb_card_get_status (b)
                         && pb_card_get_rank (a) < pb_card_get_rank (b)));
    }
  pb_test_db_clear (&db);
}

/* ---- Saving an item as one act, and undoing it ------------------------------------- */

static void
count_acts_cb (PbStore     *store,
               PbChangeSet *changes,
               guint       *n)
{
  (*n)++;
}

static gint64
last_seq (PbStore    *store,
          const char *table)
{
  return pb_test_countf (store, "SELECT coalesce (max (seq), 0) FROM %s", table);
}

/* A new item, saved with its identifiers and sharing, and undone: it is gone with what was
 * created with it, in one act (one transaction, one access-log entry about the item). */
static void
test_save_new_item_and_undo (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbItemEdit) edit = pb_item_edit_new (NULL);
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *item = NULL;
  PbRecord *fields = pb_item_edit_get_fields (edit);
  gint64 changes, accesses;
  guint acts = 0;

  pb_test_db_init (&db);
  g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
  g_signal_connect (db.store, "rows-changed", G_CALLBACK (count_acts_cb), &acts);
  pb_record_set_string (fields, "title", "Reefer with a cloned seal");
  pb_record_set_string (fields, "tlp", "AMBER");
  pb_record_set_double (fields, "lat", 51.2928);
  pb_record_set_double (fields, "lon", 4.2575);
  pb_item_edit_add_identifier (edit, "container", "csqu 305438 3", FALSE);
  pb_item_edit_add_identifier (edit, "imo", "IMO 8814274", TRUE);
  pb_item_edit_set_shared (edit, db.org_customs, TRUE);
  g_assert_true (pb_store_save_item (db.store, edit, &item, &undo, &error));
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_assert_nonnull (undo);
  g_assert_cmpuint (acts, ==, 1);
  g_assert_cmpstr (pb_undo_get_item_id (undo), ==, item);
  g_assert_true (pb_undo_get_removes_item (undo));
  /* The store says whose it is: the signed-in person's, of their organisation. */
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND author = '%s'"
                                   " AND source_org = '%s' AND lat = 51.2928", item, db.officer, db.org_police), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'"
                                   " AND ((value = 'CSQU3054383' AND known_invalid = 0)"
                                   "   OR (value = '8814274' AND known_invalid = 1))", item), ==, 2);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s'", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM access_log WHERE row_id = '%s'", item), ==, 1);

  changes = last_seq (db.store, "change_log");
  accesses = last_seq (db.store, "access_log");
  g_assert_true (pb_undo_apply (db.store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s'", item), ==, 0);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'", item), ==, 0);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s'", item), ==, 0);
  /* One act: one announcement, one access-log entry (an erasure of the item naming the rows
   * that went with it), and a tombstone for each row. */
  g_assert_cmpuint (acts, ==, 2);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM access_log WHERE seq > %" G_GINT64_FORMAT,
                                   accesses), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM access_log WHERE seq > %" G_GINT64_FORMAT
                                   " AND action = 'erasure' AND tbl = 'items' AND row_id = '%s'"
                                   " AND detail LIKE '%%delete identifiers%%delete item_shares%%'", accesses, item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE seq > %" G_GINT64_FORMAT,
                                   changes), ==, 4);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE seq > %" G_GINT64_FORMAT
                                   " AND op = 'delete'", changes), ==, 4);

  /* Applied, the undo has nothing more to undo. */
  changes = last_seq (db.store, "change_log");
  g_assert_true (pb_undo_apply (db.store, undo, &error));
  g_assert_cmpint (last_seq (db.store, "change_log"), ==, changes);
  g_assert_cmpuint (acts, ==, 2);
  pb_test_db_clear (&db);
}

static char *
share_item (PbTestDb   *db,
            const char *item,
            const char *org)
{
  g_autoptr(PbRecord) r = pb_record_new ("item_shares", NULL);
  g_autoptr(GError) error = NULL;

  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "org", org);
  g_assert_true (pb_store_write (db->store, PB_OP_INSERT, r, &error));
  g_assert_no_error (error);
  return g_strdup (pb_record_get_id (r));
}

static char *
identifier_of (PbStore    *store,
               const char *item,
               const char *value)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  sqlite3_prepare_v2 (_pb_store_get_db (store), "SELECT id FROM identifiers WHERE item = ? AND value = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

/* An edit of the fields, identifiers and sharing, undone: everything is as it was. */
static void
test_save_edit_and_undo (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbItemEdit) edit = NULL;
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *item = NULL, *container = NULL, *share = NULL, *saved = NULL;
  PbRecord *fields;
  gint64 changes, accesses;
  guint acts = 0;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Reefer", "AMBER", "CSQU3054383");
  share = share_item (&db, item, db.org_partner);
  container = identifier_of (db.store, item, "CSQU3054383");
  g_signal_connect (db.store, "rows-changed", G_CALLBACK (count_acts_cb), &acts);

  /* Saving what is there changes nothing, and leaves nothing to undo. */
  edit = pb_item_edit_new (item);
  pb_record_set_string (pb_item_edit_get_fields (edit), "title", "Reefer");
  pb_item_edit_set_shared (edit, db.org_partner, TRUE);
  changes = last_seq (db.store, "change_log");
  g_assert_true (pb_store_save_item (db.store, edit, &saved, &undo, &error));
  g_assert_cmpstr (saved, ==, item);
  g_assert_null (undo);
  g_assert_cmpint (last_seq (db.store, "change_log"), ==, changes);
  g_clear_pointer (&edit, pb_item_edit_free);

  edit = pb_item_edit_new (item);
  fields = pb_item_edit_get_fields (edit);
  pb_record_set_string (fields, "title", "Reefer, seal does not match");
  pb_record_set_null (fields, "body");
  pb_record_set_string (fields, "priority", "urgent");
  pb_record_set_string (fields, "due_date", "2026-12-01");
  pb_record_set_int (fields, "event_time", 1795144500);
  pb_record_set_double (fields, "lat", 51.2928);
  pb_item_edit_remove_identifier (edit, container);
  pb_item_edit_add_identifier (edit, "seal", "BE7654321", FALSE);
  pb_item_edit_set_shared (edit, db.org_partner, FALSE);
  pb_item_edit_set_shared (edit, db.org_customs, TRUE);
  g_assert_true (pb_store_save_item (db.store, edit, NULL, &undo, &error));
  g_assert_no_error (error);
  g_assert_nonnull (undo);
  g_assert_false (pb_undo_get_removes_item (undo));
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND priority = 'urgent'"
                                   " AND body IS NULL AND lat = 51.2928", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s' AND org = '%s'",
                                   item, db.org_customs), ==, 1);
  g_assert_cmpuint (acts, ==, 1);

  changes = last_seq (db.store, "change_log");
  accesses = last_seq (db.store, "access_log");
  pb_store_set_purpose (db.store, "undo in a test");
  g_assert_true (pb_undo_apply (db.store, undo, &error));
  pb_store_set_purpose (db.store, NULL);
  g_assert_no_error (error);
  /* The fields as they were, the removed identifier back (a new row with its value and
   * spelling), the added one gone, the sharing as it was. */
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND title = 'Reefer'"
                                   " AND body = 'Body text of the report' AND priority = 'normal' AND due_date IS NULL"
                                   " AND event_time IS NULL AND lat IS NULL", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s' AND id <> '%s'"
                                   " AND kind = 'container' AND value = 'CSQU3054383' AND raw = 'CSQU3054383'"
                                   " AND known_invalid = 0", item, container), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s' AND org = '%s'",
                                   item, db.org_partner), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM item_shares WHERE item = '%s'", item), ==, 1);
  /* One act: one announcement and one access-log entry, an alteration of the item. */
  g_assert_cmpuint (acts, ==, 2);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM access_log WHERE seq > %" G_GINT64_FORMAT,
                                   accesses), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM access_log WHERE seq > %" G_GINT64_FORMAT
                                   " AND action = 'alteration' AND tbl = 'items' AND row_id = '%s'"
                                   " AND reason = 'undo in a test'", accesses, item), ==, 1);
  /* Six fields, two identifiers, two sharing rows. */
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM change_log WHERE seq > %" G_GINT64_FORMAT,
                                   changes), ==, 10);
  pb_test_db_clear (&db);
}

static gboolean
set_title (PbStore    *store,
           const char *item,
           const char *field,
           const char *value)
{
  g_autoptr(PbRecord) r = pb_record_new ("items", item);
  g_autoptr(GError) error = NULL;

  pb_record_set_string (r, field, value);
  return pb_store_write (store, PB_OP_UPDATE, r, &error);
}

/* An undo never overwrites a later change: what it would write back was changed since
 * (here by someone on another connection, as a synchronisation would), it refuses and
 * changes nothing; changes to other fields do not stand in its way, and stay. */
static void
test_undo_refused_after_later_change (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) other = NULL;
  g_autoptr(PbItemEdit) edit = NULL;
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *item = NULL, *added = NULL;
  gint64 changes, accesses;

  pb_test_db_init (&db);
  item = pb_test_add_item (&db, db.officer, "Reefer", "AMBER", NULL);
  other = pb_store_open (db.path, &error);
  g_assert_true (pb_store_set_actor (other, db.chair, &error));

  edit = pb_item_edit_new (item);
  pb_record_set_string (pb_item_edit_get_fields (edit), "title", "Reefer at K913");
  pb_item_edit_add_identifier (edit, "container", "CSQU3054383", FALSE);
  g_assert_true (pb_store_save_item (db.store, edit, NULL, &undo, &error));
  g_assert_no_error (error);

  g_assert_true (set_title (other, item, "title", "Reefer at K913, held"));
  changes = last_seq (db.store, "change_log");
  accesses = last_seq (db.store, "access_log");
  g_assert_false (pb_undo_apply (db.store, undo, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_CHANGED_SINCE);
  g_assert_nonnull (strstr (error->message, "nothing was undone"));
  g_clear_error (&error);
  g_assert_cmpint (last_seq (db.store, "change_log"), ==, changes);
  g_assert_cmpint (last_seq (db.store, "access_log"), ==, accesses);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'", item), ==, 1);

  /* Put back as the save left it, the undo goes through; a later priority stays. */
  g_assert_true (set_title (other, item, "title", "Reefer at K913"));
  g_assert_true (set_title (other, item, "priority", "high"));
  g_assert_true (pb_undo_apply (db.store, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s' AND title = 'Reefer'"
                                   " AND priority = 'high'", item), ==, 1);
  g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM identifiers WHERE item = '%s'", item), ==, 0);
  g_clear_pointer (&undo, pb_undo_free);
  g_clear_pointer (&edit, pb_item_edit_free);

  /* An identifier the save added, removed since by someone else: refused. */
  edit = pb_item_edit_new (item);
  pb_item_edit_add_identifier (edit, "seal", "BE7654321", FALSE);
  g_assert_true (pb_store_save_item (db.store, edit, NULL, &undo, &error));
  added = identifier_of (db.store, item, "BE7654321");
  {
    g_autoptr(PbRecord) r = pb_record_new ("identifiers", added);
    g_assert_true (pb_store_write (other, PB_OP_DELETE, r, &error));
  }
  g_assert_false (pb_undo_apply (db.store, undo, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_CHANGED_SINCE);
  g_clear_error (&error);
  g_clear_pointer (&undo, pb_undo_free);
  g_clear_pointer (&edit, pb_item_edit_free);

  /* A new item that someone linked to another since: its creation is not undone. */
  edit = pb_item_edit_new (NULL);
  pb_record_set_string (pb_item_edit_get_fields (edit), "title", "Crew member seen at the gate");
  pb_record_set_string (pb_item_edit_get_fields (edit), "tlp", "GREEN");
  {
    g_autofree char *created = NULL;

    g_assert_true (pb_store_save_item (db.store, edit, &created, &undo, &error));
    g_assert_true (pb_store_link_items (other, created, item, &error));
    g_assert_no_error (error);
    changes = last_seq (db.store, "change_log");
    g_assert_false (pb_undo_apply (db.store, undo, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_CHANGED_SINCE);
    g_assert_cmpint (last_seq (db.store, "change_log"), ==, changes);
    g_assert_cmpint (pb_test_countf (db.store, "SELECT count(*) FROM items WHERE id = '%s'", created), ==, 1);
  }
  pb_test_db_clear (&db);
}

/* Partners save nothing; a save that breaks a rule saves nothing of the act. */
static void
test_save_refused (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PbItemEdit) edit = pb_item_edit_new (NULL);
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *item = NULL;
  gint64 changes;

  pb_test_db_init (&db);
  pb_record_set_string (pb_item_edit_get_fields (edit), "title", "Seal broken at the gate");
  pb_record_set_string (pb_item_edit_get_fields (edit), "tlp", "GREEN");
  pb_item_edit_add_identifier (edit, "container", "CSQU3054384", FALSE);   /* wrong check digit */
  g_assert_true (pb_store_set_actor (db.store, db.partner, &error));
  g_assert_false (pb_store_save_item (db.store, edit, &item, &undo, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);

  g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
  changes = last_seq (db.store, "change_log");
  g_assert_false (pb_store_save_item (db.store, edit, &item, &undo, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID);
  g_assert_null (item);
  g_assert_null (undo);
  g_assert_cmpint (last_seq (db.store, "change_log"), ==, changes);
  g_assert_cmpint (pb_test_count (db.store, "SELECT count(*) FROM items"), ==, 0);
  pb_test_db_clear (&db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/store/board/move-guards", test_move_guards);
  g_test_add_func ("/store/board/move-order", test_move_order);
  g_test_add_func ("/store/board/hits", test_hits);
  g_test_add_func ("/store/board/hits-index", test_hits_index);
  g_test_add_func ("/store/board/filters", test_filters);
  g_test_add_func ("/store/board/history", test_history);
  g_test_add_func ("/store/board/cards-in-board-order", test_cards_in_board_order);
  g_test_add_func ("/store/board/save-new-item-and-undo", test_save_new_item_and_undo);
  g_test_add_func ("/store/board/save-edit-and-undo", test_save_edit_and_undo);
  g_test_add_func ("/store/board/undo-refused-after-later-change", test_undo_refused_after_later_change);
  g_test_add_func ("/store/board/save-refused", test_save_refused);
  return g_test_run ();
}
