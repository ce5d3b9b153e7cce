/* pb-card-filter-model.c: the cards of a column that match the board's filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel over another list of cards, showing those whose item is in a #PbItemSet
 * (or all of them, without a set). It does what GtkFilterListModel does for the board,
 * without its per-item cost: it keeps the source's cards in an array and the positions of
 * the matching ones in another, so that a new search over 100k cards tests one bit per
 * card, and a change of the source (a moved card, a new item) is passed on as the one
 * change it is, at its place in the filtered list.
 */

#define G_LOG_DOMAIN "pb-card-filter-model"

#include "config.h"

#include "pb-card-filter-model.h"

struct _PbCardFilterModel
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *cards;      /* the source's cards, in its order (owned refs) */
  GArray     *matches;    /* guint: positions in cards of the matching ones, ascending */
  PbItemSet  *set;        /* NULL: everything matches */
};

static void pb_card_filter_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbCardFilterModel, pb_card_filter_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pb_card_filter_model_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return PB_TYPE_CARD;
}

static guint
get_n_items (GListModel *model)
{
  return PB_CARD_FILTER_MODEL (model)->matches->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PbCardFilterModel *self = PB_CARD_FILTER_MODEL (model);

  if (position >= self->matches->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->cards, g_array_index (self->matches, guint, position)));
}

static void
pb_card_filter_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static inline gboolean
matches (PbCardFilterModel *self,
         PbCard            *card)
{
  return self->set == NULL || pb_item_set_contains (self->set, pb_card_get_rowid (card));
}

/* The first index of matches whose source position is at least @position. */
static guint
lower_bound (PbCardFilterModel *self,
             guint              position)
{
  guint lo = 0, hi = self->matches->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->matches, guint, mid) < position)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
on_source_items_changed_cb (GListModel        *source,
                            guint              position,
                            guint              removed,
                            guint              added,
                            PbCardFilterModel *self)
{
  guint first = lower_bound (self, position);
  guint last = lower_bound (self, position + removed);
  g_autoptr(GArray) fresh = g_array_sized_new (FALSE, FALSE, sizeof (guint), added);

  /* The source's cards, as they are now. */
  g_ptr_array_remove_range (self->cards, position, removed);
  for (guint i = 0; i < added; i++)
    {
      PbCard *card = g_list_model_get_item (source, position + i);

      g_ptr_array_insert (self->cards, position + i, card);
      if (matches (self, card))
        {
          guint p = position + i;
          g_array_append_val (fresh, p);
        }
    }

  /* The matches after the change move with it; those within it are replaced. */
  for (guint k = last; k < self->matches->len; k++)
    g_array_index (self->matches, guint, k) += added - removed;
  g_array_remove_range (self->matches, first, last - first);
  g_array_insert_vals (self->matches, first, fresh->data, fresh->len);

  if (last - first > 0 || fresh->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first, last - first, fresh->len);
}

/**
 * pb_card_filter_model_set_filter:
 * @set: (nullable) (transfer none): the items to show; %NULL shows every card
 *
 * Filters again, testing every card of the source once.
 */
void
pb_card_filter_model_set_filter (PbCardFilterModel *self,
                                 PbItemSet         *set)
{
  guint before = self->matches->len;

  g_return_if_fail (PB_IS_CARD_FILTER_MODEL (self));

  if (set)
    pb_item_set_ref (set);
  g_clear_pointer (&self->set, pb_item_set_unref);
  self->set = set;

  g_array_set_size (self->matches, 0);
  for (guint i = 0; i < self->cards->len; i++)
    if (matches (self, g_ptr_array_index (self->cards, i)))
      g_array_append_val (self->matches, i);

  if (before > 0 || self->matches->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->matches->len);
}

static void
pb_card_filter_model_dispose (GObject *object)
{
  PbCardFilterModel *self = PB_CARD_FILTER_MODEL (object);

  if (self->source)
    g_signal_handlers_disconnect_by_func (self->source, on_source_items_changed_cb, self);
  g_clear_object (&self->source);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);
  g_clear_pointer (&self->set, pb_item_set_unref);

  G_OBJECT_CLASS (pb_card_filter_model_parent_class)->dispose (object);
}

static void
pb_card_filter_model_class_init (PbCardFilterModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pb_card_filter_model_dispose;
}

static void
pb_card_filter_model_init (PbCardFilterModel *self)
{
  self->cards = g_ptr_array_new_with_free_func (g_object_unref);
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * pb_card_filter_model_new:
 * @source: (transfer none): a list of #PbCard
 *
 * Returns: (transfer full): every card of @source, until a filter is set
 */
PbCardFilterModel *
pb_card_filter_model_new (GListModel *source)
{
  PbCardFilterModel *self = g_object_new (PB_TYPE_CARD_FILTER_MODEL, NULL);
  guint n = g_list_model_get_n_items (source);

  g_return_val_if_fail (g_list_model_get_item_type (source) == PB_TYPE_CARD, self);

  self->source = g_object_ref (source);
  g_signal_connect (source, "items-changed", G_CALLBACK (on_source_items_changed_cb), self);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (self->cards, g_list_model_get_item (source, i));
      g_array_append_val (self->matches, i);
    }
  return self;
}
