/* test-card-filter.c: the board's filtered column model against GtkFilterListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Random changes of the source (inserts, removals, replacements) and of the filter; after
 * each, PbCardFilterModel must hold what GtkFilterListModel holds for the same filter, and
 * its items-changed signals, replayed on a copy, must give that copy the same contents.
 */

#include "config.h"

#include <gtk/gtk.h>

#include "board/pb-card-filter-model.h"
#include "pb-card-private.h"

static PbItemSet *current_set;

static gboolean
reference_match (gpointer item,
                 gpointer user_data)
{
  return current_set == NULL || pb_item_set_contains (current_set, pb_card_get_rowid (item));
}

static void
replay_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           GListStore *copy)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_cmpuint (position + removed, <=, g_list_model_get_n_items (G_LIST_MODEL (copy)));
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (items, g_list_model_get_item (model, position + i));
  g_list_store_splice (copy, position, removed, items->pdata, items->len);
}

static PbCard *
new_card (gint64 rowid)
{
  g_autofree char *id = g_strdup_printf ("card-%" G_GINT64_FORMAT, rowid);
  return _pb_card_new (id, rowid, id, PB_STATUS_INCOMING, rowid, PB_TLP_GREEN, PB_PRIORITY_NORMAL,
                       "org", "ORG", "#888888", NULL, NULL, NULL, 0);
}

static void
assert_same (GListModel *a,
             GListModel *b)
{
  g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < g_list_model_get_n_items (a); i++)
    {
      g_autoptr(PbCard) x = g_list_model_get_item (a, i);
      g_autoptr(PbCard) y = g_list_model_get_item (b, i);
      g_assert_true (x == y);
    }
}

static void
test_random_changes (void)
{
  g_autoptr(GListStore) source = g_list_store_new (PB_TYPE_CARD);
  g_autoptr(GListStore) copy = g_list_store_new (PB_TYPE_CARD);
  g_autoptr(PbCardFilterModel) model = NULL;
  g_autoptr(GtkFilterListModel) reference = NULL;
  GtkCustomFilter *filter = gtk_custom_filter_new (reference_match, NULL, NULL);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 next_rowid = 1;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(PbCard) card = new_card (next_rowid++);
      g_list_store_append (source, card);
    }
  model = pb_card_filter_model_new (G_LIST_MODEL (source));
  reference = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (source)), GTK_FILTER (filter));
  replay_cb (G_LIST_MODEL (model), 0, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), copy);
  g_signal_connect (model, "items-changed", G_CALLBACK (replay_cb), copy);
  assert_same (G_LIST_MODEL (model), G_LIST_MODEL (reference));

  for (guint step = 0; step < 2000; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (source));
      guint what = g_rand_int_range (rand, 0, 10);

      if (what == 0)
        {
          /* A new filter: a random third of the rows, or none at all. */
          g_clear_pointer (&current_set, pb_item_set_unref);
          if (g_rand_boolean (rand))
            {
              current_set = pb_item_set_new ();
              for (gint64 r = 1; r < next_rowid; r++)
                if (g_rand_int_range (rand, 0, 3) == 0)
                  pb_item_set_add (current_set, r);
            }
          pb_card_filter_model_set_filter (model, current_set);
          gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
        }
      else
        {
          /* Remove some cards at a place and insert others there (a move is one of each). */
          guint position = n ? g_rand_int_range (rand, 0, n + 1) : 0;
          guint removed = position < n ? g_rand_int_range (rand, 0, MIN (4, n - position) + 1) : 0;
          guint added = g_rand_int_range (rand, 0, 4);
          g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint k = 0; k < added; k++)
            g_ptr_array_add (fresh, new_card (next_rowid++));
          g_list_store_splice (source, position, removed, fresh->pdata, fresh->len);
        }
      assert_same (G_LIST_MODEL (model), G_LIST_MODEL (reference));
      assert_same (G_LIST_MODEL (model), G_LIST_MODEL (copy));
    }

  g_clear_pointer (&current_set, pb_item_set_unref);
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/card-filter-model/random-changes", test_random_changes);
  return g_test_run ();
}
