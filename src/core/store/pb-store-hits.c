/* pb-store-hits.c: every cross-agency hit a person may see, from an index kept in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hits of one item are a few indexed lookups (pb-store-read.c). All hits at once — a
 * chair may see a quarter of a million — are a join over every identifier, which SQLite
 * takes more than a second for. So the store keeps, once asked for all hits, what the join
 * needs in memory: per identifier (kind and value) the organisations that hold it (one bit
 * each), and per item its organisation, handling code, the organisations it is shared with
 * and its identifiers. The write path marks what it touches (an item, an identifier and the
 * item it is on, a share, a hit notice of the hub); the next listing re-reads those rows
 * alone. When another connection wrote (the sync thread, another program), the index is
 * read again whole. Need-to-know is the rulebook's: each item's audience is computed by it
 * over what the index holds, and tested when listing for the person signed in then.
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

#define MAX_ORGS 64

typedef struct
{
  char    *kind;
  char    *value;
  guint64  holders;  /* organisations that hold it, a bit each */
} HitKey;

typedef struct
{
  char      *id;
  guint      org;      /* index of its organisation */
  PbTlp      tlp;
  guint64    shared;   /* organisations it is shared with by name */
  guint64    audience; /* organisations that see it (the rulebook's) */
  GPtrArray *keys;     /* HitKey, by kind and value */
} HitItem;

typedef struct
{
  char      *id;
  char      *code;
  char      *name;
  PbOrgKind  kind;
} HitOrg;

struct _PbHitIndex
{
  gint64      data_version;
  HitOrg      orgs[MAX_ORGS];
  guint       n_orgs;
  guint       by_code[MAX_ORGS]; /* org indexes in the order of their codes */
  GHashTable *org_index;   /* id → index + 1 */
  GHashTable *keys;        /* "kind\x1fvalue" → HitKey */
  GHashTable *items;       /* id → HitItem */
  GPtrArray  *sorted;      /* HitItem, by id; NULL: to be sorted again */
  GHashTable *dirty_items; /* ids */
  GHashTable *dirty_keys;  /* "kind\x1fvalue" */
  guint       last_count;  /* hits listed last time: the size to expect */
  PbRuleSource rules;      /* the rulebook's view of the items held here */
};

static void
hit_key_free (HitKey *k)
{
  g_free (k->kind);
  g_free (k->value);
  g_free (k);
}

static void
hit_item_free (HitItem *i)
{
  g_free (i->id);
  g_ptr_array_unref (i->keys);
  g_free (i);
}

void
_pb_hit_index_free (PbHitIndex *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_orgs; i++)
    {
      g_free (self->orgs[i].id);
      g_free (self->orgs[i].code);
      g_free (self->orgs[i].name);
    }
  g_hash_table_unref (self->org_index);
  g_hash_table_unref (self->items);
  g_hash_table_unref (self->keys);
  g_clear_pointer (&self->sorted, g_ptr_array_unref);
  g_hash_table_unref (self->dirty_items);
  g_hash_table_unref (self->dirty_keys);
  g_free (self);
}

static char *
key_of (const char *kind,
        const char *value)
{
  return g_strconcat (kind, "\x1f", value, NULL);
}


static guint64
org_bit (PbHitIndex *index,
         const char *org)
{
  guint i = org ? GPOINTER_TO_UINT (g_hash_table_lookup (index->org_index, org)) : 0;
  return i ? G_GUINT64_CONSTANT (1) << (i - 1) : 0;
}

static HitKey *
get_key (PbHitIndex *index,
         const char *kind,
         const char *value)
{
  g_autofree char *name = key_of (kind, value);
  HitKey *k = g_hash_table_lookup (index->keys, name);

  if (k == NULL)
    {
      k = g_new0 (HitKey, 1);
      k->kind = g_strdup (kind);
      k->value = g_strdup (value);
      g_hash_table_insert (index->keys, g_steal_pointer (&name), k);
    }
  return k;
}

/* ---- The rulebook over the index: an item's audience from what is held here ------ */

static char *
index_field (gpointer    data,
             const char *table,
             const char *row,
             const char *field)
{
  PbHitIndex *index = data;
  HitItem *item = g_str_equal (table, "items") ? g_hash_table_lookup (index->items, row) : NULL;

  if (item == NULL)
    return NULL;
  if (g_str_equal (field, "source_org"))
    return g_strdup (index->orgs[item->org].id);
  if (g_str_equal (field, "tlp"))
    return g_strdup (pb_tlp_to_string (item->tlp));
  return NULL;
}

static gboolean
index_exists (gpointer    data,
              const char *table,
              const char *row)
{
  PbHitIndex *index = data;
  return g_str_equal (table, "items") && g_hash_table_contains (index->items, row);
}

static GPtrArray *
index_children (gpointer    data,
                const char *table,
                const char *field,
                const char *value)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static guint64
index_child_orgs (gpointer    data,
                  const char *table,
                  const char *field,
                  const char *value,
                  const char *org_field)
{
  PbHitIndex *index = data;
  HitItem *item = g_hash_table_lookup (index->items, value);

  return item && g_str_equal (table, "item_shares") ? item->shared : 0;
}

static guint64 org_bit (PbHitIndex *index, const char *org);

static guint64
index_org_bit (gpointer    data,
               const char *org)
{
  return org_bit (data, org);
}

static void
index_rules_init (PbHitIndex *index)
{
  index->rules = (PbRuleSource) {
    .field = index_field,
    .exists = index_exists,
    .children = index_children,
    .child_orgs = index_child_orgs,
    .org_bit = index_org_bit,
    .data = index,
  };
  for (guint i = 0; i < index->n_orgs; i++)
    {
      index->rules.all |= G_GUINT64_CONSTANT (1) << i;
      if (!pb_rules_is_member_kind (index->orgs[i].kind))
        index->rules.partners |= G_GUINT64_CONSTANT (1) << i;
    }
}

static void
compute_audience (PbHitIndex *index,
                  HitItem    *item)
{
  item->audience = pb_rules_audience (&index->rules, "items", item->id);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  return strcmp ((*(HitItem * const *) a)->id, (*(HitItem * const *) b)->id);
}

static int
compare_codes (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  PbHitIndex *index = data;
  return strcmp (index->orgs[*(const guint *) a].code, index->orgs[*(const guint *) b].code);
}

/* The holders of one identifier, as the store counts them and the hub told. */
static gboolean
read_holders (PbStore *self,
              HitKey  *k,
              GError **error)
{
  sqlite3_stmt *stmt = _pb_store_get_stmt (self, "SELECT org FROM identifier_orgs WHERE kind = ?1 AND value = ?2"
                                                 " UNION SELECT org FROM hub_hits WHERE kind = ?1 AND value = ?2",
                                           error);

  if (stmt == NULL)
    return FALSE;
  k->holders = 0;
  sqlite3_bind_text (stmt, 1, k->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, k->value, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    k->holders |= org_bit (self->hits, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

/* One item as it is now: gone, or its organisation, code, shares and identifiers. */
static gboolean
read_item (PbStore    *self,
           const char *id,
           GError    **error)
{
  PbHitIndex *index = self->hits;
  HitItem *item = g_hash_table_lookup (index->items, id);
  sqlite3_stmt *stmt;
  PbTlp tlp = PB_TLP_RED;
  guint org = 0;
  gboolean exists = FALSE;

  /* The identifiers it held: their holders may have changed with it. */
  if (item)
    for (guint i = 0; i < item->keys->len; i++)
      g_hash_table_add (index->dirty_keys, key_of (((HitKey *) item->keys->pdata[i])->kind,
                                                   ((HitKey *) item->keys->pdata[i])->value));

  stmt = _pb_store_get_stmt (self, "SELECT source_org, tlp FROM items WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      org = GPOINTER_TO_UINT (g_hash_table_lookup (index->org_index, sqlite3_column_text (stmt, 0)));
      pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 1), &tlp);
    }
  sqlite3_reset (stmt);

  if (!exists || org == 0)
    {
      if (item && index->sorted)
        g_ptr_array_remove (index->sorted, item);
      g_hash_table_remove (index->items, id);
      return TRUE;
    }
  if (item == NULL)
    {
      item = g_new0 (HitItem, 1);
      item->id = g_strdup (id);
      item->keys = g_ptr_array_new ();
      g_hash_table_insert (index->items, item->id, item);
      g_clear_pointer (&index->sorted, g_ptr_array_unref);
    }
  item->org = org - 1;
  item->tlp = tlp;

  item->shared = 0;
  stmt = _pb_store_get_stmt (self, "SELECT org FROM item_shares WHERE item = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    item->shared |= org_bit (index, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  compute_audience (index, item);

  g_ptr_array_set_size (item->keys, 0);
  stmt = _pb_store_get_stmt (self, "SELECT DISTINCT kind, value FROM identifiers WHERE item = ? ORDER BY kind, value",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HitKey *k = get_key (index, (const char *) sqlite3_column_text (stmt, 0),
                           (const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (item->keys, k);
      g_hash_table_add (index->dirty_keys, key_of (k->kind, k->value));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* Everything again, with the organisations as they are now. */
static gboolean
build (PbStore *self,
       GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  PbHitIndex *index = g_new0 (PbHitIndex, 1);
  HitItem *last = NULL;

  _pb_hit_index_free (self->hits);
  self->hits = index;
  index->org_index = g_hash_table_new (g_str_hash, g_str_equal);
  index->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) hit_key_free);
  index->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) hit_item_free);
  index->dirty_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->dirty_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->data_version = _pb_store_data_version (self);

#define READ(sql) \
  G_STMT_START { \
    g_clear_pointer (&stmt, sqlite3_finalize); \
    if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) \
      goto failed; \
  } G_STMT_END

  READ ("SELECT id, short_code, name, kind FROM organisations ORDER BY short_code, id");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HitOrg *o;

      /* More organisations than bits: SQLite lists the hits (the caller falls back). */
      if (index->n_orgs == MAX_ORGS)
        {
          _pb_hit_index_free (g_steal_pointer (&self->hits));
          return FALSE;
        }
      o = &index->orgs[index->n_orgs];
      o->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      o->code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      o->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      pb_org_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &o->kind);
      index->by_code[index->n_orgs] = index->n_orgs;
      index->n_orgs++;
      g_hash_table_insert (index->org_index, o->id, GUINT_TO_POINTER (index->n_orgs));
    }
  g_qsort_with_data (index->by_code, (gint) index->n_orgs, sizeof (guint), compare_codes, index);
  index_rules_init (index);

  READ ("SELECT kind, value, org FROM identifier_orgs UNION ALL SELECT kind, value, org FROM hub_hits");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    get_key (index, (const char *) sqlite3_column_text (stmt, 0),
             (const char *) sqlite3_column_text (stmt, 1))->holders |= org_bit (index, (const char *) sqlite3_column_text (stmt, 2));

  READ ("SELECT id, source_org, tlp FROM items ORDER BY id");
  index->sorted = g_ptr_array_new ();
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint org = GPOINTER_TO_UINT (g_hash_table_lookup (index->org_index, sqlite3_column_text (stmt, 1)));
      HitItem *item;

      if (org == 0)
        continue;
      item = g_new0 (HitItem, 1);
      item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->org = org - 1;
      item->tlp = PB_TLP_RED;
      pb_tlp_from_string ((const char *) sqlite3_column_text (stmt, 2), &item->tlp);
      item->keys = g_ptr_array_new ();
      g_hash_table_insert (index->items, item->id, item);
      g_ptr_array_add (index->sorted, item);
    }

  READ ("SELECT item, org FROM item_shares");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HitItem *item = g_hash_table_lookup (index->items, sqlite3_column_text (stmt, 0));
      if (item)
        item->shared |= org_bit (index, (const char *) sqlite3_column_text (stmt, 1));
    }
  for (guint i = 0; i < index->sorted->len; i++)
    compute_audience (index, index->sorted->pdata[i]);

  /* By the index on (item, kind, value): each item's identifiers in order. */
  READ ("SELECT item, kind, value FROM identifiers INDEXED BY identifiers_item ORDER BY item, kind, value");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      HitKey *k;

      if (last == NULL || strcmp (last->id, id) != 0)
        last = g_hash_table_lookup (index->items, id);
      if (last == NULL)
        continue;
      k = get_key (index, (const char *) sqlite3_column_text (stmt, 1), (const char *) sqlite3_column_text (stmt, 2));
      if (last->keys->len == 0 || last->keys->pdata[last->keys->len - 1] != k)
        g_ptr_array_add (last->keys, k);
    }
  return TRUE;

failed:
  _pb_store_set_sqlite_error (error, self->db, _("Cannot read the hits"));
  _pb_hit_index_free (g_steal_pointer (&self->hits));
  return FALSE;
#undef READ
}

/* Brings the index up to date: what this connection wrote is re-read row by row; what
 * another connection wrote, whole. */
static gboolean
refresh (PbStore *self,
         GError **error)
{
  PbHitIndex *index = self->hits;
  GHashTableIter iter;
  gpointer key;

  if (index == NULL || index->data_version != _pb_store_data_version (self))
    return build (self, error);

  g_hash_table_iter_init (&iter, index->dirty_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!read_item (self, key, error))
      return FALSE;
  g_hash_table_remove_all (index->dirty_items);

  g_hash_table_iter_init (&iter, index->dirty_keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      HitKey *k = g_hash_table_lookup (index->keys, key);
      if (k && !read_holders (self, k, error))
        return FALSE;
    }
  g_hash_table_remove_all (index->dirty_keys);

  if (index->sorted == NULL)
    {
      GHashTableIter items;
      gpointer value;

      index->sorted = g_ptr_array_sized_new (g_hash_table_size (index->items));
      g_hash_table_iter_init (&items, index->items);
      while (g_hash_table_iter_next (&items, NULL, &value))
        g_ptr_array_add (index->sorted, value);
      g_ptr_array_sort (index->sorted, compare_items);
    }
  return TRUE;
}

/* What a write is about to change, or changed: marked, to be re-read at the next listing. */
void
_pb_store_hits_mark (PbStore  *self,
                     PbRecord *record)
{
  const char *table;
  const char *id;

  if (self->hits == NULL)
    return;
  table = pb_record_get_table (record)->name;
  id = pb_record_get_id (record);
  if (id == NULL)
    return;

  if (strcmp (table, "items") == 0)
    g_hash_table_add (self->hits->dirty_items, g_strdup (id));
  else if (strcmp (table, "identifiers") == 0 || strcmp (table, "item_shares") == 0)
    {
      const PbValue *v = pb_record_lookup (record, "item");
      char *stored = _pb_store_row_field (self, table, "item", id);

      if (v && v->type == PB_VALUE_TEXT)
        g_hash_table_add (self->hits->dirty_items, g_strdup (v->s));
      if (stored)
        g_hash_table_add (self->hits->dirty_items, stored);
    }
  else if (strcmp (table, "organisations") == 0)
    _pb_hit_index_free (g_steal_pointer (&self->hits));
}

/* The hub said that an organisation holds an identifier, or no longer does. */
void
_pb_store_hits_mark_key (PbStore    *self,
                         const char *kind,
                         const char *value)
{
  if (self->hits)
    g_hash_table_add (self->hits->dirty_keys, key_of (kind, value));
}

/* One hit in one block, its strings after it. */
static PbHit *
hit_new (const char *item,
         const char *kind,
         const char *value,
         const char *code,
         const char *name)
{
  gsize li = strlen (item) + 1, lk = strlen (kind) + 1, lv = strlen (value) + 1;
  gsize lc = strlen (code) + 1, ln = strlen (name) + 1;
  PbHit *hit = g_malloc (sizeof (PbHit) + li + lk + lv + lc + ln);
  char *p = (char *) (hit + 1);

  hit->item = memcpy (p, item, li);
  hit->kind = memcpy (p += li, kind, lk);
  hit->value = memcpy (p += lk, value, lv);
  hit->org_code = memcpy (p += lv, code, lc);
  hit->org_name = memcpy (p += lc, name, ln);
  hit->block = NULL;
  return hit;
}

/* Hits made a quarter of a million at once share blocks of memory: one allocation for
 * about two thousand of them, freed when the last of them is. The strings they point to are
 * in the same block, each once: an item's id for all its hits, an identifier for all of its
 * hits, an organisation's code and name for all the hits that name it. */
#define BLOCK_SIZE (128 * 1024 - 64)

typedef struct
{
  gint   refs;
  gsize  used;
  char   data[];
} HitBlock;

typedef struct
{
  HitBlock     *block;
  const char   *item_src;   /* what is copied into the current block already */
  char         *item;
  const HitKey *key_src;
  char         *kind;
  char         *value;
  char         *code[MAX_ORGS];
  char         *name[MAX_ORGS];
} HitAllocator;

static char *
block_copy (HitAllocator *a,
            const char   *s,
            gsize         len)
{
  char *out = a->block->data + a->block->used;

  memcpy (out, s, len);
  a->block->used += len;
  return out;
}

static PbHit *
hit_in_block (HitAllocator *a,
              const char   *item,
              gsize         li,
              const HitKey *key,
              gsize         lk,
              gsize         lv,
              guint         org,
              const HitOrg *o,
              gsize         lc,
              gsize         ln)
{
  gsize worst = sizeof (PbHit) + 8 + li + lk + lv + lc + ln;
  PbHit *hit;

  if (a->block == NULL || a->block->used + worst > BLOCK_SIZE)
    {
      a->block = g_malloc (sizeof (HitBlock) + BLOCK_SIZE);
      a->block->refs = 0;
      a->block->used = 0;
      a->item_src = NULL;
      a->key_src = NULL;
      memset (a->code, 0, sizeof a->code);
      memset (a->name, 0, sizeof a->name);
    }
  if (a->item_src != item)
    {
      a->item_src = item;
      a->item = block_copy (a, item, li);
    }
  if (a->key_src != key)
    {
      a->key_src = key;
      a->kind = block_copy (a, key->kind, lk);
      a->value = block_copy (a, key->value, lv);
    }
  if (a->code[org] == NULL)
    {
      a->code[org] = block_copy (a, o->code, lc);
      a->name[org] = block_copy (a, o->name, ln);
    }
  a->block->used = (a->block->used + 7) & ~(gsize) 7;
  hit = (PbHit *) (a->block->data + a->block->used);
  a->block->used += sizeof (PbHit);
  a->block->refs++;
  hit->item = a->item;
  hit->kind = a->kind;
  hit->value = a->value;
  hit->org_code = a->code[org];
  hit->org_name = a->name[org];
  hit->block = a->block;
  return hit;
}

void
pb_hit_free (PbHit *hit)
{
  HitBlock *block;

  if (hit == NULL)
    return;
  block = hit->block;
  if (block == NULL)
    g_free (hit);
  else if (g_atomic_int_dec_and_test (&block->refs))
    g_free (block);
}

PbHit *
_pb_hit_new (const char *item,
             const char *kind,
             const char *value,
             const char *code,
             const char *name)
{
  return hit_new (item, kind, value, code, name);
}

/* Every hit the signed-in person may see, by item, identifier and organisation code;
 * NULL with @error unset when the index cannot hold this database (more organisations
 * than it has bits): the caller asks SQLite. */
GPtrArray *
_pb_store_list_all_hits (PbStore *self,
                         GError **error)
{
  const PbActor *me = _pb_store_me (self);
  HitAllocator allocator = { NULL };
  gsize code_len[MAX_ORGS], name_len[MAX_ORGS];
  PbHitIndex *index;
  GPtrArray *out;
  guint64 me_bit;

  if (me->person == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("Nobody is signed in: choose who you are first"));
      return NULL;
    }
  if (!refresh (self, error))
    return NULL;
  index = self->hits;
  me_bit = org_bit (index, me->org);

  out = g_ptr_array_new_full (index->last_count, (GDestroyNotify) pb_hit_free);
  if (me_bit == 0 || !pb_rules_may_see_hits (me))
    return out;
  for (guint c = 0; c < index->n_orgs; c++)
    {
      code_len[c] = strlen (index->orgs[c].code) + 1;
      name_len[c] = strlen (index->orgs[c].name) + 1;
    }
  for (guint i = 0; i < index->sorted->len; i++)
    {
      HitItem *item = index->sorted->pdata[i];
      guint64 own = G_GUINT64_CONSTANT (1) << item->org;
      gsize li = strlen (item->id) + 1;

      if (!(item->audience & me_bit))
        continue;
      for (guint k = 0; k < item->keys->len; k++)
        {
          HitKey *key = item->keys->pdata[k];
          guint64 others = key->holders & ~own;

          if (others == 0)
            continue;
          for (guint c = 0; c < index->n_orgs; c++)
            {
              guint o = index->by_code[c];

              if (others & (G_GUINT64_CONSTANT (1) << o))
                g_ptr_array_add (out, hit_in_block (&allocator, item->id, li, key, strlen (key->kind) + 1,
                                                    strlen (key->value) + 1, o, &index->orgs[o], code_len[o],
                                                    name_len[o]));
            }
        }
    }
  index->last_count = out->len;
  return out;
}
