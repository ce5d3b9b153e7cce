/* pb-live-list.c: a list read from the store that follows it, changing only what changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lists of the pages that are not the board — cases, a case's items and incidents, the
 * meetings, an agenda, the attendance, the decisions and actions, the access log, the map's
 * markers — are a few dozen to a few thousand rows. A live list reads its list again when a
 * transaction wrote one of the tables it depends on (PbStore::rows-changed), compares it with
 * what it holds, row by row by id, and says each difference as its own items-changed: a row
 * that changed is replaced where it stands, a new one put in, a gone one taken out; the rows
 * that did not change keep their items, so a view keeps its scroll position and selection.
 */

#define G_LOG_DOMAIN "pb-live-list"

#include "config.h"

#include "pb-live-list.h"

/* ---- Items ------------------------------------------------------------------------ */

struct _PbLiveItem
{
  GObject         parent_instance;

  gpointer        record;
  GDestroyNotify  record_free;
};

G_DEFINE_FINAL_TYPE (PbLiveItem, pb_live_item, G_TYPE_OBJECT)

static void
pb_live_item_finalize (GObject *object)
{
  PbLiveItem *self = PB_LIVE_ITEM (object);

  if (self->record_free)
    self->record_free (self->record);
  G_OBJECT_CLASS (pb_live_item_parent_class)->finalize (object);
}

static void
pb_live_item_class_init (PbLiveItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_live_item_finalize;
}

static void
pb_live_item_init (PbLiveItem *self)
{
}

static PbLiveItem *
item_new (gpointer       record,
          GDestroyNotify record_free)
{
  PbLiveItem *self = g_object_new (PB_TYPE_LIVE_ITEM, NULL);

  self->record = record;
  self->record_free = record_free;
  return self;
}

/**
 * pb_live_item_get:
 *
 * Returns: (transfer none): the record the item holds
 */
gpointer
pb_live_item_get (PbLiveItem *self)
{
  g_return_val_if_fail (PB_IS_LIVE_ITEM (self), NULL);

  return self->record;
}

/* ---- The list --------------------------------------------------------------------- */

struct _PbLiveList
{
  GObject         parent_instance;

  PbStore        *store;
  GStrv           tables;
  PbLiveListKey   key;
  PbLiveListSame  same;
  GDestroyNotify  record_free;
  PbLiveListRead  read;
  gpointer        user_data;
  GDestroyNotify  user_data_free;
  GPtrArray      *items;      /* PbLiveItem */
  guint           reads;
};

static void pb_live_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PbLiveList, pb_live_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pb_live_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return PB_TYPE_LIVE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return PB_LIVE_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PbLiveList *self = PB_LIVE_LIST (model);

  return position < self->items->len ? g_object_ref (self->items->pdata[position]) : NULL;
}

static void
pb_live_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static const char *
key_at (PbLiveList *self,
        GPtrArray  *items,
        guint       i)
{
  return self->key (((PbLiveItem *) items->pdata[i])->record);
}

/* Makes the list @fresh, one difference at a time: a row gone is taken out, a row new is
 * put in, a row changed is replaced where it stands; a row that moved is taken out where it
 * was and put in where it is. */
static void
apply (PbLiveList *self,
       GPtrArray  *fresh)
{
  g_autoptr(GHashTable) in_fresh = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) in_old = g_hash_table_new (g_str_hash, g_str_equal);
  guint pos = 0, j = 0;

  for (guint i = 0; i < fresh->len; i++)
    g_hash_table_add (in_fresh, (gpointer) self->key (fresh->pdata[i]));
  for (guint i = 0; i < self->items->len; i++)
    g_hash_table_add (in_old, (gpointer) key_at (self, self->items, i));

  while (pos < self->items->len || j < fresh->len)
    {
      const char *old_key = pos < self->items->len ? key_at (self, self->items, pos) : NULL;
      const char *new_key = j < fresh->len ? self->key (fresh->pdata[j]) : NULL;

      if (old_key && (new_key == NULL || !g_hash_table_contains (in_fresh, old_key)))
        {
          g_ptr_array_remove_index (self->items, pos);
          g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
        }
      else if (old_key == NULL || !g_hash_table_contains (in_old, new_key))
        {
          g_ptr_array_insert (self->items, pos, item_new (g_steal_pointer (&fresh->pdata[j]), self->record_free));
          g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
          pos++, j++;
        }
      else if (g_str_equal (old_key, new_key))
        {
          PbLiveItem *item = self->items->pdata[pos];

          if (!self->same (item->record, fresh->pdata[j]))
            {
              g_ptr_array_index (self->items, pos) = item_new (g_steal_pointer (&fresh->pdata[j]), self->record_free);
              g_object_unref (item);
              g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
            }
          pos++, j++;
        }
      else
        {
          /* Moved: taken out here; it is new where it comes again. */
          g_hash_table_remove (in_old, old_key);
          g_ptr_array_remove_index (self->items, pos);
          g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);
        }
    }
}

/**
 * pb_live_list_refresh:
 *
 * Reads the list now, and changes what differs.
 */
gboolean
pb_live_list_refresh (PbLiveList *self,
                      GError    **error)
{
  g_autoptr(GPtrArray) fresh = NULL;

  g_return_val_if_fail (PB_IS_LIVE_LIST (self), FALSE);

  if (self->read == NULL)
    fresh = g_ptr_array_new ();
  else if ((fresh = self->read (self->store, self->user_data, error)) == NULL)
    return FALSE;
  /* The records go to the items or are freed here, whatever the array would do. */
  g_ptr_array_set_free_func (fresh, NULL);
  self->reads++;
  apply (self, fresh);
  for (guint i = 0; i < fresh->len; i++)
    if (fresh->pdata[i] && self->record_free)
      self->record_free (fresh->pdata[i]);
  return TRUE;
}

static void
on_rows_changed_cb (PbStore     *store,
                    PbChangeSet *changes,
                    PbLiveList  *self)
{
  static const char *const whom[] = { "people", "organisations", NULL };
  g_autoptr(GError) error = NULL;

  if (self->read == NULL
      || (!pb_change_set_touches_any (changes, (const char * const *) self->tables)
          && !pb_change_set_touches_any (changes, whom)))
    return;
  if (!pb_live_list_refresh (self, &error))
    g_warning ("Cannot read a list again: %s", error->message);
}

static void
pb_live_list_dispose (GObject *object)
{
  PbLiveList *self = PB_LIVE_LIST (object);

  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->user_data_free)
    g_clear_pointer (&self->user_data, self->user_data_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->tables, g_strfreev);

  G_OBJECT_CLASS (pb_live_list_parent_class)->dispose (object);
}

static void
pb_live_list_class_init (PbLiveListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pb_live_list_dispose;
}

static void
pb_live_list_init (PbLiveList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * pb_live_list_new:
 * @tables: the tables whose rows the list shows or depends on
 *
 * Returns: (transfer full): an empty list; it reads and follows the store once it is told
 *   how to read (pb_live_list_set_read())
 */
PbLiveList *
pb_live_list_new (PbStore            *store,
                  const char * const *tables,
                  PbLiveListKey       key,
                  PbLiveListSame      same,
                  GDestroyNotify      record_free)
{
  PbLiveList *self;

  g_return_val_if_fail (PB_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL && same != NULL, NULL);

  self = g_object_new (PB_TYPE_LIVE_LIST, NULL);
  self->store = g_object_ref (store);
  self->tables = g_strdupv ((char **) tables);
  self->key = key;
  self->same = same;
  self->record_free = record_free;
  g_signal_connect (store, "rows-changed", G_CALLBACK (on_rows_changed_cb), self);
  return self;
}

/**
 * pb_live_list_set_read:
 *
 * How the list is read (a meeting's agenda: which meeting), and reads it.
 */
void
pb_live_list_set_read (PbLiveList     *self,
                       PbLiveListRead  read,
                       gpointer        user_data,
                       GDestroyNotify  user_data_free)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PB_IS_LIVE_LIST (self));

  if (self->user_data_free)
    g_clear_pointer (&self->user_data, self->user_data_free);
  self->read = read;
  self->user_data = user_data;
  self->user_data_free = user_data_free;
  if (!pb_live_list_refresh (self, &error))
    g_warning ("Cannot read a list: %s", error->message);
}

/**
 * pb_live_list_get:
 *
 * Returns: (transfer none) (nullable): the record at @position
 */
gpointer
pb_live_list_get (PbLiveList *self,
                  guint       position)
{
  g_return_val_if_fail (PB_IS_LIVE_LIST (self), NULL);

  return position < self->items->len ? ((PbLiveItem *) self->items->pdata[position])->record : NULL;
}

/**
 * pb_live_list_find:
 *
 * Returns: (transfer none) (nullable): the record of id @key, and where it is
 */
gpointer
pb_live_list_find (PbLiveList *self,
                   const char *key,
                   guint      *position)
{
  g_return_val_if_fail (PB_IS_LIVE_LIST (self), NULL);

  for (guint i = 0; key && i < self->items->len; i++)
    if (g_strcmp0 (key_at (self, self->items, i), key) == 0)
      {
        if (position)
          *position = i;
        return ((PbLiveItem *) self->items->pdata[i])->record;
      }
  return NULL;
}

/* How many times the list was read (a test tells what followed the store). */
guint
pb_live_list_get_reads (PbLiveList *self)
{
  g_return_val_if_fail (PB_IS_LIVE_LIST (self), 0);

  return self->reads;
}
