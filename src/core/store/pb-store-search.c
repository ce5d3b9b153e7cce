/* pb-store-search.c: finding items: the board's search and filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person types is matched against the full-text index of titles, reports and
 * identifiers; the board's filters (status, kind, organisation, handling code, port area,
 * dates, hits) become one query. Both answer only with items the signed-in person may see
 * (the rulebook's SQL).
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

/* Turns what a person types into an FTS5 query: every word must match, the last one as
 * a prefix (as-you-type). Quotes keep FTS5 syntax characters literal. */
static char *
fts_query (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);
  GString *q = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      g_autoptr(GString) w = g_string_new (NULL);

      for (const char *p = words[i]; *p; p++)
        if (*p != '"')
          g_string_append_c (w, *p);
      if (w->len == 0)
        continue;
      if (q->len)
        g_string_append_c (q, ' ');
      g_string_append_printf (q, "\"%s\"*", w->str);
    }
  return g_string_free (q, FALSE);
}

/**
 * pb_store_search:
 *
 * Returns: (transfer full): the rowids of the items whose title, body or identifiers
 *   match @text (every word as a prefix, as typed), in the order the items were added.
 *   Ranking by relevance is left to the caller: for an as-you-type filter the board keeps
 *   its own order, and bm25 over thousands of hits would cost more than the search.
 */
GArray *
pb_store_search (PbStore    *self,
                 const char *text,
                 GError    **error)
{
  g_autofree char *q = fts_query (text ? text : "");
  sqlite3_stmt *stmt;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (*q == '\0')
    return out;

  stmt = _pb_store_get_stmt (self, "SELECT rowid FROM items_fts WHERE items_fts MATCH ?", error);
  if (stmt == NULL)
    {
      g_array_unref (out);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, q, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (out, rowid);
    }
  sqlite3_reset (stmt);
  return out;
}

gboolean
pb_filter_is_empty (const PbFilter *filter)
{
  g_autofree char *text = filter->text ? g_strstrip (g_strdup (filter->text)) : NULL;

  return (text == NULL || *text == '\0') && (filter->orgs == NULL || filter->orgs[0] == NULL)
         && filter->tlp_mask == 0 && filter->priority_mask == 0
         && (filter->modus_operandi == NULL || *filter->modus_operandi == '\0')
         && (filter->terminal == NULL || *filter->terminal == '\0')
         && !filter->mine && !filter->overdue;
}

void
pb_filter_clear (PbFilter *filter)
{
  g_clear_pointer (&filter->text, g_free);
  g_clear_pointer (&filter->orgs, g_strfreev);
  g_clear_pointer (&filter->modus_operandi, g_free);
  g_clear_pointer (&filter->terminal, g_free);
  memset (filter, 0, sizeof *filter);
}

/* A set of items, by row: one bit per row, so that testing a card is one memory read. */
struct _PbItemSet
{
  guint64 *words;
  gsize    n_words;
  guint    size;
};

/**
 * pb_item_set_new:
 *
 * Returns: (transfer full): an empty set
 */
PbItemSet *
pb_item_set_new (void)
{
  return g_rc_box_new0 (PbItemSet);
}

void
pb_item_set_add (PbItemSet *set,
                 gint64     rowid)
{
  gsize word;

  if (rowid < 0)
    return;
  word = (gsize) rowid / 64;
  if (word >= set->n_words)
    {
      gsize n = MAX (word + 1, set->n_words * 2);
      set->words = g_renew (guint64, set->words, n);
      memset (set->words + set->n_words, 0, (n - set->n_words) * sizeof (guint64));
      set->n_words = n;
    }
  if (!(set->words[word] & (G_GUINT64_CONSTANT (1) << (rowid % 64))))
    {
      set->words[word] |= G_GUINT64_CONSTANT (1) << (rowid % 64);
      set->size++;
    }
}

gboolean
pb_item_set_contains (const PbItemSet *set,
                      gint64           rowid)
{
  gsize word = (gsize) rowid / 64;

  return rowid >= 0 && word < set->n_words && (set->words[word] & (G_GUINT64_CONSTANT (1) << (rowid % 64)));
}

guint
pb_item_set_get_size (const PbItemSet *set)
{
  return set->size;
}

static void
item_set_clear (PbItemSet *set)
{
  g_free (set->words);
}

PbItemSet *
pb_item_set_ref (PbItemSet *set)
{
  return g_rc_box_acquire (set);
}

void
pb_item_set_unref (PbItemSet *set)
{
  if (set)
    g_rc_box_release_full (set, (GDestroyNotify) item_set_clear);
}

/**
 * pb_store_filter_items:
 *
 * The items that match every part of @filter, found in SQL (the full-text index for the
 * text). Visibility is not applied here: the board only holds what the person may see.
 *
 * Returns: (transfer full) (nullable): the items that match every part of @filter, as a
 *   set that cards are tested against with pb_item_set_contains() and
 *   pb_card_get_rowid(); %NULL for an empty filter (everything matches) or on error
 */
PbItemSet *
pb_store_filter_items (PbStore        *self,
                       const PbFilter *filter,
                       GError        **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT i.rowid FROM items i");
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *query = NULL;
  g_autoptr(PbPerson) me = NULL;
  PbItemSet *set;
  gboolean text_only;
  guint n_clauses = 0;
  const char *glue = " WHERE ";

  if (pb_filter_is_empty (filter))
    return NULL;

#define AND(clause) G_STMT_START { g_string_append (sql, glue); g_string_append (sql, clause); glue = " AND "; n_clauses++; } G_STMT_END

  if (filter->text && (query = fts_query (filter->text)) && *query)
    {
      AND ("i.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)");
      g_ptr_array_add (params, g_strdup (query));
    }
  if (filter->orgs && filter->orgs[0])
    {
      AND ("i.source_org IN (SELECT id FROM organisations WHERE short_code IN (");
      for (guint k = 0; filter->orgs[k]; k++)
        {
          g_string_append (sql, k ? ", ?" : "?");
          g_ptr_array_add (params, g_strdup (filter->orgs[k]));
        }
      g_string_append (sql, "))");
    }
  if (filter->tlp_mask)
    {
      gboolean first = TRUE;
      AND ("i.tlp IN (");
      for (guint k = 0; k < PB_N_TLP; k++)
        if (filter->tlp_mask & (1u << k))
          {
            g_string_append (sql, first ? "?" : ", ?");
            g_ptr_array_add (params, g_strdup (pb_tlp_to_string (k)));
            first = FALSE;
          }
      g_string_append (sql, ")");
    }
  if (filter->priority_mask)
    {
      gboolean first = TRUE;
      AND ("i.priority IN (");
      for (guint k = 0; k < PB_N_PRIORITIES; k++)
        if (filter->priority_mask & (1u << k))
          {
            g_string_append (sql, first ? "?" : ", ?");
            g_ptr_array_add (params, g_strdup (pb_priority_to_string (k)));
            first = FALSE;
          }
      g_string_append (sql, ")");
    }
  if (filter->modus_operandi && *filter->modus_operandi)
    {
      AND ("(',' || i.modus_operandi || ',') LIKE ('%,' || ? || ',%')");
      g_ptr_array_add (params, g_strdup (filter->modus_operandi));
    }
  if (filter->terminal && *filter->terminal)
    {
      AND ("i.port_area = ?");
      g_ptr_array_add (params, g_strdup (filter->terminal));
    }
  if (filter->mine)
    {
      if (self->actor == NULL || (me = pb_store_find_person (self, self->actor, error)) == NULL)
        {
          if (error && *error == NULL)
            g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                         _("Nobody is signed in: choose who you are first"));
          return NULL;
        }
      AND ("(i.source_org = ? OR i.lead_org = ?)");
      g_ptr_array_add (params, g_strdup (me->org));
      g_ptr_array_add (params, g_strdup (me->org));
    }
  if (filter->overdue)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (_pb_store_now_ms (self) / 1000);
      AND ("i.due_date < ? AND i.status <> 'closed'");
      g_ptr_array_add (params, g_date_time_format (now, "%Y-%m-%d"));
    }
#undef AND

  set = pb_item_set_new ();
  if (filter->text && query && *query == '\0' && g_str_equal (glue, " WHERE "))
    return set;

  /* Text alone is the search index alone: no need to go through the items. */
  text_only = n_clauses == 1 && query && *query;
  if (sqlite3_prepare_v2 (self->db, text_only ? "SELECT rowid FROM items_fts WHERE items_fts MATCH ?" : sql->str,
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      pb_item_set_unref (set);
      _pb_store_set_sqlite_error (error, self->db, _("Cannot filter the board"));
      return NULL;
    }
  for (guint k = 0; k < params->len; k++)
    sqlite3_bind_text (stmt, k + 1, g_ptr_array_index (params, k), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    pb_item_set_add (set, sqlite3_column_int64 (stmt, 0));
  return set;
}

/**
 * pb_store_search_cards:
 * @limit: the most cards returned
 *
 * Returns: (transfer full) (element-type PbCard): cards of the items the signed-in person
 *   may see whose title, report or identifiers match @text (as the board's search does)
 */
GPtrArray *
pb_store_search_cards (PbStore    *self,
                       const char *text,
                       guint       limit,
                       GError    **error)
{
  g_autofree char *q = fts_query (text ? text : "");
  GPtrArray *cards;

  if (*q == '\0')
    return g_ptr_array_new_with_free_func (g_object_unref);
  cards = _pb_store_load_cards_where (self, "i.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH :key)",
                                      q, TRUE, error);
  if (cards && cards->len > limit)
    g_ptr_array_set_size (cards, limit);
  return cards;
}
