/* test-models.c: the core's live models follow the store, and say exactly what changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Random writes — new items, changed titles and columns, handling codes that hide or show
 * an item, shares, deletions, by two services — go to a store; after each, the board model
 * and a live list must equal a fresh reading, and a mirror that only replays their
 * items-changed signals must equal them too (a signal that says less or more than what
 * changed shows there).
 */

#include "config.h"

#include "pb-board.h"
#include "pb-live-list.h"
#include "pb-test-util.h"
#include "pb-util.h"

/* A copy of a model kept only from its items-changed signals. */
typedef struct
{
  GListModel *model;
  GPtrArray  *items;
  guint       emissions;
} Mirror;

static void
on_mirror_changed_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Mirror     *m)
{
  g_assert_cmpuint (position + removed, <=, m->items->len);
  g_ptr_array_remove_range (m->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (m->items, position + i, g_list_model_get_item (model, position + i));
  m->emissions++;
}

static void
mirror_init (Mirror     *m,
             GListModel *model)
{
  m->model = model;
  m->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (m->items, g_list_model_get_item (model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_mirror_changed_cb), m);
}

static void
mirror_check (Mirror *m)
{
  g_assert_cmpuint (m->items->len, ==, g_list_model_get_n_items (m->model));
  for (guint i = 0; i < m->items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (m->model, i);
      g_assert_true (item == m->items->pdata[i]);
    }
}

static void
mirror_clear (Mirror *m)
{
  g_signal_handlers_disconnect_by_data (m->model, m);
  g_ptr_array_unref (m->items);
}

/* The live list under test: the titles of the items the signed-in person may see. */
typedef struct
{
  char *id;
  char *title;
} Row;

static void
row_free (gpointer data)
{
  Row *r = data;

  g_free (r->id);
  g_free (r->title);
  g_free (r);
}

static const char *
row_key (gconstpointer data)
{
  return ((const Row *) data)->id;
}

static gboolean
row_same (gconstpointer a,
          gconstpointer b)
{
  return g_strcmp0 (((const Row *) a)->title, ((const Row *) b)->title) == 0;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *x = *(const Row * const *) a, *y = *(const Row * const *) b;
  int c = g_strcmp0 (x->title, y->title);

  return c ? c : g_strcmp0 (x->id, y->id);
}

static GPtrArray *
read_rows_sorted (PbStore  *store,
                  gpointer  data,
                  GError  **error)
{
  g_autoptr(GListStore) cards = pb_store_load_cards (store, error);
  GPtrArray *out;

  if (cards == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (row_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cards)); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (cards), i);
      Row *r = g_new0 (Row, 1);

      r->id = g_strdup (pb_card_get_id (card));
      r->title = g_strdup (pb_card_get_title (card));
      g_ptr_array_add (out, r);
    }
  g_ptr_array_sort (out, compare_rows);
  return out;
}

/* The board model equals one read afresh, card by card, column by column. */
static void
assert_board_fresh (PbBoard *board,
                    PbStore *store)
{
  g_autoptr(PbBoard) fresh = pb_board_new (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (pb_board_load (fresh, &error));
  g_assert_no_error (error);
  for (guint c = 0; c < PB_N_STATUSES; c++)
    {
      GListModel *a = pb_board_get_column (board, c), *b = pb_board_get_column (fresh, c);

      g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
      for (guint i = 0; i < g_list_model_get_n_items (a); i++)
        {
          g_autoptr(PbCard) x = g_list_model_get_item (a, i);
          g_autoptr(PbCard) y = g_list_model_get_item (b, i);

          g_assert_cmpstr (pb_card_get_id (x), ==, pb_card_get_id (y));
          g_assert_cmpstr (pb_card_get_title (x), ==, pb_card_get_title (y));
          g_assert_cmpint (pb_card_get_tlp (x), ==, pb_card_get_tlp (y));
          g_assert_cmpint (pb_card_get_priority (x), ==, pb_card_get_priority (y));
        }
    }
}

static void
assert_list_fresh (PbLiveList *list,
                   PbStore    *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = read_rows_sorted (store, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = pb_live_list_get (list, i);
      g_assert_cmpstr (r->id, ==, ((Row *) rows->pdata[i])->id);
      g_assert_cmpstr (r->title, ==, ((Row *) rows->pdata[i])->title);
    }
}

static void
collect_cb (PbStore     *store,
            PbChangeSet *changes,
            PbChangeSet *all)
{
  pb_change_set_merge (all, changes);
}

/* The police officer writes on the store the models follow; customs on a connection of
 * their own, whose changes are announced to it (as the synchronisation's are). */
static PbStore *
writer_for (PbTestDb   *db,
            PbStore    *customs,
            const char *owner)
{
  return g_str_equal (owner, db->officer) ? db->store : customs;
}

static void
test_models_follow (void)
{
  PbTestDb db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PbBoard) board = NULL;
  g_autoptr(PbLiveList) list = NULL;
  const char *tables[] = { "items", "item_shares", NULL };
  const char *tlps[] = { "CLEAR", "GREEN", "AMBER", "RED" };
  const char *columns[] = { "incoming", "assessment", "in-action", "monitoring" };
  Mirror columns_mirror[PB_N_STATUSES];
  Mirror list_mirror;

  g_autoptr(PbStore) customs = NULL;
  g_autoptr(PbChangeSet) announced = pb_change_set_new ();

  pb_test_db_init (&db);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *title = g_strdup_printf ("Report %02u", i);
      g_ptr_array_add (items, pb_test_add_item (&db, i % 2 ? db.officer : db.customs_officer, title,
                                                tlps[i % 4], NULL));
    }
  customs = pb_store_open (db.path, &error);
  g_assert_no_error (error);
  g_assert_true (pb_store_set_actor (customs, db.customs_officer, &error));
  g_signal_connect (customs, "rows-changed", G_CALLBACK (collect_cb), announced);

  /* Seen by the police officer. */
  g_assert_true (pb_store_set_actor (db.store, db.officer, &error));
  board = pb_board_new (db.store);
  g_assert_true (pb_board_load (board, &error));
  list = pb_live_list_new (db.store, tables, row_key, row_same, row_free);
  pb_live_list_set_read (list, read_rows_sorted, NULL, NULL);
  for (guint c = 0; c < PB_N_STATUSES; c++)
    mirror_init (&columns_mirror[c], pb_board_get_column (board, c));
  mirror_init (&list_mirror, G_LIST_MODEL (list));

  for (guint round = 0; round < 300; round++)
    {
      guint what = g_rand_int_range (rand, 0, 6);
      const char *item = items->pdata[g_rand_int_range (rand, 0, items->len)];
      const char *owner = pb_test_owner_of (&db, "items", item);
      PbStore *writer = writer_for (&db, customs, owner);
      g_autoptr(PbRecord) r = pb_record_new ("items", item);

      switch (what)
        {
        case 0:
          {
            g_autofree char *title = g_strdup_printf ("Report %02d", g_rand_int_range (rand, 0, 40));
            pb_record_set_string (r, "title", title);
            g_assert_true (pb_store_write (writer, PB_OP_UPDATE, r, &error));
          }
          break;
        case 1:
          pb_record_set_string (r, "tlp", tlps[g_rand_int_range (rand, 0, 4)]);
          g_assert_true (pb_store_write (writer, PB_OP_UPDATE, r, &error));
          break;
        case 2:
          pb_record_set_string (r, "status", columns[g_rand_int_range (rand, 0, 4)]);
          pb_record_set_double (r, "rank", g_rand_double_range (rand, 0, 20));
          g_assert_true (pb_store_write (writer, PB_OP_UPDATE, r, &error));
          break;
        case 3:
          {
            g_autoptr(PbRecord) share = pb_record_new ("item_shares", NULL);

            const char *org = g_rand_boolean (rand) ? db.org_police : db.org_customs;

            pb_record_set_string (share, "item", item);
            pb_record_set_string (share, "org", org);
            /* (Once per organisation.) */
            if (pb_test_countf (db.store, "SELECT count (*) FROM item_shares WHERE item = '%s' AND org = '%s'", item, org) == 0)
              g_assert_true (pb_store_write (writer, PB_OP_INSERT, share, &error));
          }
          break;
        case 4:
          {
            g_autofree char *title = g_strdup_printf ("New %u", round);
            g_autoptr(PbRecord) n = pb_record_new ("items", NULL);
            gboolean police = g_rand_boolean (rand);

            writer = police ? db.store : customs;
            pb_record_set_string (n, "title", title);
            pb_record_set_string (n, "tlp", tlps[g_rand_int_range (rand, 0, 4)]);
            pb_record_set_string (n, "source_org", police ? db.org_police : db.org_customs);
            pb_record_set_string (n, "author", police ? db.officer : db.customs_officer);
            pb_record_set_int (n, "reported_at", 1790000000 + round);
            g_assert_true (pb_store_write (writer, PB_OP_INSERT, n, &error));
            g_ptr_array_add (items, g_strdup (pb_record_get_id (n)));
          }
          break;
        default:
          /* (An item with sharing rows is not taken away here: they would have to go first.) */
          if (items->len > 4 && pb_test_countf (db.store, "SELECT count (*) FROM item_shares WHERE item = '%s'", item) == 0)
            {
              g_assert_true (pb_store_write (writer, PB_OP_DELETE, r, &error));
              g_ptr_array_remove_fast (items, (gpointer) item);
            }
          break;
        }
      g_assert_no_error (error);
      if (writer == customs)
        {
          pb_store_announce (db.store, announced);
          pb_change_set_clear (announced);
        }

      assert_board_fresh (board, db.store);
      assert_list_fresh (list, db.store);
      for (guint c = 0; c < PB_N_STATUSES; c++)
        mirror_check (&columns_mirror[c]);
      mirror_check (&list_mirror);
    }
  /* Only the first reading was whole. */
  g_assert_cmpuint (pb_board_get_loads (board), ==, 1);
  g_assert_cmpuint (list_mirror.emissions, >, 0);

  for (guint c = 0; c < PB_N_STATUSES; c++)
    mirror_clear (&columns_mirror[c]);
  mirror_clear (&list_mirror);
  g_clear_object (&list);
  g_clear_object (&board);
  g_clear_object (&customs);
  pb_test_db_clear (&db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/models/follow-random-writes", test_models_follow);

  return g_test_run ();
}
