/* pb-board.c: the board as a live model: the cards of each column, kept in step with the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One list per column, each in rank order, holds a card for every item the signed-in person
 * may see. The board follows PbStore::rows-changed: an item written here, undone, or brought
 * by the synchronisation is read again alone and its card updated where it is, or moved to
 * where its column and rank now place it, added or taken away; each list says exactly what
 * changed with items-changed, so views keep their scroll position and selection. Only when
 * who acts or the organisations change is the board read again whole.
 *
 * A card's details (its main identifier, hits, a waiting concurrent edit) are read for the
 * cards that are shown: a view asks for them when it shows a card (pb_board_want_details),
 * and they are read together just before the next frame is drawn — nothing that draws
 * reads the database.
 */

#define G_LOG_DOMAIN "pb-board"

#include "config.h"

#include "pb-board.h"
#include "pb-card-private.h"

/* Past this many cards with details, a change to identifiers or hits makes them ask again
 * (the ones on screen do) rather than be read again all at once. */
#define MAX_DETAILED 2000

struct _PbBoard
{
  GObject      parent_instance;

  PbStore     *store;
  GListStore  *columns[PB_N_STATUSES];
  GHashTable  *by_id;      /* item id → PbCard */
  GHashTable  *wanted;     /* PbCard → PbCard: details to read */
  GHashTable  *detailed;   /* PbCard → PbCard: details read */
  guint        details_id;
  guint        loads;
  gboolean     loaded;
};

G_DEFINE_FINAL_TYPE (PbBoard, pb_board, G_TYPE_OBJECT)

enum { LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- Order ------------------------------------------------------------------------ */

int
pb_board_compare_cards (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  PbCard *x = (PbCard *) a;
  PbCard *y = (PbCard *) b;

  if (pb_card_get_status (x) != pb_card_get_status (y))
    return (int) pb_card_get_status (x) - (int) pb_card_get_status (y);
  return pb_card_get_rank (x) < pb_card_get_rank (y) ? -1 : pb_card_get_rank (x) > pb_card_get_rank (y);
}

/* By bisection on the column and rank @card has now (a column of 100,000 cards is not
 * walked); equal ranks sit side by side, looked at around the point found. */
gboolean
pb_board_find_position (GListModel *column,
                        PbCard     *card,
                        guint      *position)
{
  guint lo = 0, hi = g_list_model_get_n_items (column);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(PbCard) item = g_list_model_get_item (column, mid);

      if (item == card)
        {
          *position = mid;
          return TRUE;
        }
      if (pb_board_compare_cards (item, card, NULL) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < g_list_model_get_n_items (column); i++)
    {
      g_autoptr(PbCard) item = g_list_model_get_item (column, i);

      if (item == card)
        {
          *position = i;
          return TRUE;
        }
      if (pb_board_compare_cards (item, card, NULL) != 0)
        break;
    }
  return FALSE;
}

/* ---- Details ---------------------------------------------------------------------- */

static gboolean
read_wanted_cb (gpointer data)
{
  PbBoard *self = data;
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer card;

  self->details_id = 0;
  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &card, NULL))
    g_ptr_array_add (cards, g_object_ref (card));
  g_hash_table_remove_all (self->wanted);
  if (!pb_board_read_details (self, (PbCard **) cards->pdata, cards->len, &error))
    g_warning ("Cannot read what the cards show: %s", error->message);
  return G_SOURCE_REMOVE;
}

/**
 * pb_board_want_details:
 *
 * A view shows @card: its details are read before the next frame is drawn (with those of
 * the other cards asked for meanwhile), and PbCard::changed says when they are there.
 */
void
pb_board_want_details (PbBoard *self,
                       PbCard  *card)
{
  g_return_if_fail (PB_IS_BOARD (self));

  if (pb_card_has_details (card) || g_hash_table_contains (self->wanted, card))
    return;
  g_hash_table_add (self->wanted, g_object_ref (card));
  if (self->details_id == 0)
    self->details_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, read_wanted_cb, self, NULL);
}

/* The details of @cards, read now. */
gboolean
pb_board_read_details (PbBoard  *self,
                       PbCard  **cards,
                       guint     n,
                       GError  **error)
{
  g_return_val_if_fail (PB_IS_BOARD (self), FALSE);

  for (guint i = 0; i < n; i++)
    g_hash_table_add (self->detailed, g_object_ref (cards[i]));
  for (guint i = 0; i < n; i += 500)
    if (!pb_store_fill_card_details (self->store, cards + i, MIN (500, n - i), error))
      return FALSE;
  return TRUE;
}

/* What cards show besides their rows changed (identifiers, hits, concurrent edits): the
 * cards that show it read it again. */
static void
details_changed (PbBoard *self)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer card;

  g_hash_table_iter_init (&iter, self->detailed);
  while (g_hash_table_iter_next (&iter, &card, NULL))
    g_ptr_array_add (cards, g_object_ref (card));
  if (cards->len > MAX_DETAILED)
    {
      g_hash_table_remove_all (self->detailed);
      for (guint i = 0; i < cards->len; i++)
        {
          _pb_card_forget_details (cards->pdata[i]);
          _pb_card_changed (cards->pdata[i]);
        }
      return;
    }
  if (!pb_board_read_details (self, (PbCard **) cards->pdata, cards->len, &error))
    g_warning ("Cannot read what the cards show: %s", error->message);
}

/* ---- Following the store ---------------------------------------------------------- */

static void
take_out (PbBoard *self,
          PbCard  *card)
{
  GListStore *column = self->columns[pb_card_get_status (card)];
  guint position;

  if (pb_board_find_position (G_LIST_MODEL (column), card, &position))
    g_list_store_remove (column, position);
}

static void
put_in (PbBoard *self,
        PbCard  *card)
{
  g_list_store_insert_sorted (self->columns[pb_card_get_status (card)], card, pb_board_compare_cards, NULL);
}

/* One item as it is now: its card updated where it stands, moved, added or taken away. */
static void
follow_item (PbBoard    *self,
             const char *id,
             PbCard     *fresh)
{
  PbCard *card = g_hash_table_lookup (self->by_id, id);

  if (card == NULL && fresh == NULL)
    return;
  if (card == NULL)
    {
      g_hash_table_insert (self->by_id, g_strdup (id), g_object_ref (fresh));
      put_in (self, fresh);
      return;
    }
  g_object_ref (card);
  if (fresh == NULL)
    {
      take_out (self, card);
      g_hash_table_remove (self->wanted, card);
      g_hash_table_remove (self->detailed, card);
      g_hash_table_remove (self->by_id, id);
    }
  else if (pb_card_get_status (card) != pb_card_get_status (fresh) || pb_card_get_rank (card) != pb_card_get_rank (fresh))
    {
      /* Taken out where it was, put in where it goes: the same card, so that a view that
       * follows it keeps it. */
      take_out (self, card);
      _pb_card_update (card, fresh);
      put_in (self, card);
      _pb_card_changed (card);
    }
  else if (_pb_card_update (card, fresh))
    _pb_card_changed (card);
  g_object_unref (card);
}

static void
on_rows_changed_cb (PbStore     *store,
                    PbChangeSet *changes,
                    PbBoard     *self)
{
  static const char *const whom[] = { "people", "organisations", NULL };
  static const char *const shown[] = { "identifiers", "hub_hits", "sync_conflicts", "requests", NULL };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->loaded)
    return;
  /* Who acts, or the organisations (codes and colours every card shows), changed. */
  if (pb_change_set_touches_any (changes, whom))
    {
      if (!pb_board_load (self, &error))
        g_warning ("Cannot read the board again: %s", error->message);
      return;
    }

  ids = pb_change_set_rows (changes, "items", PB_ROW_INSERTED | PB_ROW_UPDATED | PB_ROW_DELETED);
  if (ids->len > 0)
    {
      g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) cards = NULL;

      /* Read again together, in batches (a synchronisation brings thousands). */
      for (guint i = 0; i < ids->len; i += 500)
        {
          g_autoptr(GPtrArray) batch = pb_store_load_cards_by_id (self->store, (const char * const *) ids->pdata + i,
                                                                  MIN (500, ids->len - i), &error);
          if (batch == NULL)
            {
              g_warning ("Cannot read the changed cards: %s", error->message);
              return;
            }
          if (cards == NULL)
            cards = g_steal_pointer (&batch);
          else
            g_ptr_array_extend_and_steal (cards, g_steal_pointer (&batch));
        }
      for (guint i = 0; i < cards->len; i++)
        g_hash_table_insert (fresh, (gpointer) pb_card_get_id (cards->pdata[i]), cards->pdata[i]);
      for (guint i = 0; i < ids->len; i++)
        follow_item (self, ids->pdata[i], g_hash_table_lookup (fresh, ids->pdata[i]));
    }

  if (pb_change_set_touches_any (changes, shown))
    details_changed (self);
}

/* ---- The object ------------------------------------------------------------------- */

static void
pb_board_dispose (GObject *object)
{
  PbBoard *self = PB_BOARD (object);

  g_clear_handle_id (&self->details_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  for (guint i = 0; i < PB_N_STATUSES; i++)
    g_clear_object (&self->columns[i]);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_clear_pointer (&self->detailed, g_hash_table_unref);

  G_OBJECT_CLASS (pb_board_parent_class)->dispose (object);
}

static void
pb_board_class_init (PbBoardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pb_board_dispose;

  /**
   * PbBoard::loaded:
   *
   * The board was read whole: at first, and when who acts or the organisations changed.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
pb_board_init (PbBoard *self)
{
  for (guint i = 0; i < PB_N_STATUSES; i++)
    self->columns[i] = g_list_store_new (PB_TYPE_CARD);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->wanted = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->detailed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/**
 * pb_board_new:
 *
 * Returns: (transfer full): the board of the person signed in to @store, empty until
 *   pb_board_load(); from then on it follows the store
 */
PbBoard *
pb_board_new (PbStore *store)
{
  PbBoard *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);

  self = g_object_new (PB_TYPE_BOARD, NULL);
  self->store = g_object_ref (store);
  g_signal_connect (store, "rows-changed", G_CALLBACK (on_rows_changed_cb), self);
  return self;
}

PbStore *
pb_board_get_store (PbBoard *self)
{
  g_return_val_if_fail (PB_IS_BOARD (self), NULL);

  return self->store;
}

/**
 * pb_board_load:
 *
 * Reads every card the signed-in person may see, whole.
 */
gboolean
pb_board_load (PbBoard *self,
               GError **error)
{
  g_autoptr(GListStore) cards = NULL;
  GPtrArray *per_column[PB_N_STATUSES];
  guint n;

  g_return_val_if_fail (PB_IS_BOARD (self), FALSE);

  cards = pb_store_load_cards (self->store, error);
  if (cards == NULL)
    return FALSE;

  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->wanted);
  g_hash_table_remove_all (self->detailed);
  for (guint i = 0; i < PB_N_STATUSES; i++)
    per_column[i] = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (cards));
  for (guint i = 0; i < n; i++)
    {
      PbCard *card = g_list_model_get_item (G_LIST_MODEL (cards), i);

      g_hash_table_insert (self->by_id, g_strdup (pb_card_get_id (card)), g_object_ref (card));
      g_ptr_array_add (per_column[pb_card_get_status (card)], card);
    }
  for (guint i = 0; i < PB_N_STATUSES; i++)
    {
      g_list_store_splice (self->columns[i], 0, g_list_model_get_n_items (G_LIST_MODEL (self->columns[i])),
                           per_column[i]->pdata, per_column[i]->len);
      g_ptr_array_unref (per_column[i]);
    }
  self->loaded = TRUE;
  self->loads++;
  g_signal_emit (self, signals[LOADED], 0);
  return TRUE;
}

/**
 * pb_board_get_column:
 *
 * Returns: (transfer none): the cards of one column, in rank order (a #GListModel of
 *   #PbCard)
 */
GListModel *
pb_board_get_column (PbBoard  *self,
                     PbStatus  status)
{
  g_return_val_if_fail (PB_IS_BOARD (self), NULL);
  g_return_val_if_fail (status < PB_N_STATUSES, NULL);

  return G_LIST_MODEL (self->columns[status]);
}

guint
pb_board_get_n_cards (PbBoard *self)
{
  g_return_val_if_fail (PB_IS_BOARD (self), 0);

  return g_hash_table_size (self->by_id);
}

/**
 * pb_board_lookup:
 *
 * Returns: (transfer none) (nullable): the card of an item on the board
 */
PbCard *
pb_board_lookup (PbBoard    *self,
                 const char *item_id)
{
  g_return_val_if_fail (PB_IS_BOARD (self), NULL);

  return item_id ? g_hash_table_lookup (self->by_id, item_id) : NULL;
}

/* How many times the board was read whole (a test tells a reload from a change). */
guint
pb_board_get_loads (PbBoard *self)
{
  g_return_val_if_fail (PB_IS_BOARD (self), 0);

  return self->loads;
}
