/* pb-store-edit.c: saving an item as one act
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PbItemEdit holds what a person wrote in an item (the item editor fills one); saving it
 * writes the item, the identifiers added and removed and the sharing changed as one act
 * through the write path, and computes from the rows as they were before the act, read in
 * the act's own transaction, what undoes it (a PbUndo, pb-store-undo.c).
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

typedef struct
{
  char     *org;
  gboolean  shared;
} ShareChoice;

struct _PbItemEdit
{
  char      *item_id;      /* NULL: a new item */
  PbRecord  *fields;       /* of "items", without an id */
  GPtrArray *added;        /* PbRecord of "identifiers": kind, raw, known_invalid */
  GPtrArray *removed;      /* identifier ids */
  GPtrArray *shares;       /* ShareChoice, one per organisation */
};

static void
share_choice_free (ShareChoice *choice)
{
  g_free (choice->org);
  g_free (choice);
}

/**
 * pb_item_edit_new:
 * @item_id: (nullable): the item changed, or %NULL for a new one
 *
 * Returns: (transfer full): an edit that changes nothing yet
 */
PbItemEdit *
pb_item_edit_new (const char *item_id)
{
  PbItemEdit *edit = g_new0 (PbItemEdit, 1);

  edit->item_id = g_strdup (item_id);
  edit->fields = pb_record_new ("items", NULL);
  edit->added = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  edit->removed = g_ptr_array_new_with_free_func (g_free);
  edit->shares = g_ptr_array_new_with_free_func ((GDestroyNotify) share_choice_free);
  return edit;
}

void
pb_item_edit_free (PbItemEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->item_id);
  pb_record_free (edit->fields);
  g_ptr_array_unref (edit->added);
  g_ptr_array_unref (edit->removed);
  g_ptr_array_unref (edit->shares);
  g_free (edit);
}

/* The item changed, or %NULL for a new one. */
const char *
pb_item_edit_get_item_id (const PbItemEdit *edit)
{
  return edit->item_id;
}

/**
 * pb_item_edit_get_fields:
 *
 * Returns: (transfer none): the item's fields as written (a record of "items"): those set
 *   are saved, those left unset stay as they are. A new item's organisation, author and
 *   time of reporting are the store's to set.
 */
PbRecord *
pb_item_edit_get_fields (PbItemEdit *edit)
{
  return edit->fields;
}

/* An identifier to add, as typed (the write path normalises it); @known_invalid keeps a
 * value that fails its check. */
void
pb_item_edit_add_identifier (PbItemEdit *edit,
                             const char *kind,
                             const char *raw,
                             gboolean    known_invalid)
{
  PbRecord *record = pb_record_new ("identifiers", NULL);

  pb_record_set_string (record, "kind", kind);
  pb_record_set_string (record, "raw", raw);
  if (known_invalid)
    pb_record_set_int (record, "known_invalid", 1);
  g_ptr_array_add (edit->added, record);
}

/* An identifier of the item to remove, by its row's id. */
void
pb_item_edit_remove_identifier (PbItemEdit *edit,
                                const char *identifier_id)
{
  g_ptr_array_add (edit->removed, g_strdup (identifier_id));
}

/* Shares the item with an organisation by name, or no longer: only what differs from the
 * rows at the time of the save is written. */
void
pb_item_edit_set_shared (PbItemEdit *edit,
                         const char *org_id,
                         gboolean    shared)
{
  ShareChoice *choice;

  for (guint i = 0; i < edit->shares->len; i++)
    {
      choice = g_ptr_array_index (edit->shares, i);
      if (g_str_equal (choice->org, org_id))
        {
          choice->shared = shared;
          return;
        }
    }
  choice = g_new0 (ShareChoice, 1);
  choice->org = g_strdup (org_id);
  choice->shared = shared;
  g_ptr_array_add (edit->shares, choice);
}

/* What one save writes, and what it will take to undo it. */
typedef struct
{
  GArray    *writes;       /* PbWrite, of records in @records */
  GPtrArray *records;      /* PbRecord, owned */
  PbRecord  *before;       /* the item's row before the act; NULL for a new item */
  GHashTable *removed;     /* identifier id → its row (PbRecord) before the act */
  GHashTable *shares;      /* organisation id → sharing row id, before the act */
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->writes, g_array_unref);
  g_clear_pointer (&plan->records, g_ptr_array_unref);
  g_clear_pointer (&plan->before, pb_record_free);
  g_clear_pointer (&plan->removed, g_hash_table_unref);
  g_clear_pointer (&plan->shares, g_hash_table_unref);
}

static PbRecord *
plan_add (Plan     *plan,
          PbOp      op,
          PbRecord *record)
{
  PbWrite w = { op, record };

  g_ptr_array_add (plan->records, record);
  g_array_append_val (plan->writes, w);
  return record;
}

/* The item's own row: a new one from the signed-in person's organisation, or the
 * fields written over the row as it is. */
static gboolean
plan_item (PbStore          *self,
           const PbItemEdit *edit,
           Plan             *plan,
           GError          **error)
{
  PbRecord *item = pb_record_copy (edit->fields);

  if (edit->item_id == NULL)
    {
      const PbActor *me = _pb_store_me (self);
      g_autofree char *id = _pb_store_new_id (self);

      if (me == NULL || me->person == NULL)
        {
          pb_record_free (item);
          return _pb_store_check_actor (self, "items", error);
        }
      pb_record_set_id (item, id);
      pb_record_set_string (item, "source_org", me->org);
      pb_record_set_string (item, "author", me->person);
      pb_record_set_int (item, "reported_at", _pb_store_now_ms (self) / 1000);
      plan_add (plan, PB_OP_INSERT, item);
      return TRUE;
    }

  pb_record_set_id (item, edit->item_id);
  plan_add (plan, PB_OP_UPDATE, item);
  if (!_pb_store_read_row (self, "items", edit->item_id, &plan->before, error))
    return FALSE;
  if (plan->before == NULL)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                   _("The item does not exist or is not shared with your organisation"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
plan_identifiers (PbStore          *self,
                  const PbItemEdit *edit,
                  const char       *item_id,
                  Plan             *plan,
                  GError          **error)
{
  for (guint i = 0; i < edit->added->len; i++)
    {
      PbRecord *r = plan_add (plan, PB_OP_INSERT, pb_record_copy (g_ptr_array_index (edit->added, i)));

      pb_record_set_string (r, "item", item_id);
    }
  for (guint i = 0; i < edit->removed->len; i++)
    {
      const char *id = g_ptr_array_index (edit->removed, i);
      g_autoptr(PbRecord) row = NULL;
      const PbValue *owner;

      /* Read now: the undo brings it back as it was. */
      if (!_pb_store_read_row (self, "identifiers", id, &row, error))
        return FALSE;
      if (row == NULL)
        {
          g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND,
                       _("There is no %s with the identifier %s"), "identifiers", id);
          return FALSE;
        }
      owner = pb_record_lookup (row, "item");
      if (owner == NULL || owner->type != PB_VALUE_TEXT || g_strcmp0 (owner->s, item_id) != 0)
        return _pb_store_invalid (error, _("The identifier %s is not one of this item’s"), id);
      g_hash_table_insert (plan->removed, g_strdup (id), g_steal_pointer (&row));
      plan_add (plan, PB_OP_DELETE, pb_record_new ("identifiers", id));
    }
  return TRUE;
}

static gboolean
plan_shares (PbStore          *self,
             const PbItemEdit *edit,
             const char       *item_id,
             Plan             *plan,
             GError          **error)
{
  plan->shares = item_id && edit->item_id ? pb_store_list_item_shares (self, item_id, error)
                                          : g_hash_table_new (g_str_hash, g_str_equal);
  if (plan->shares == NULL)
    return FALSE;
  for (guint i = 0; i < edit->shares->len; i++)
    {
      ShareChoice *choice = g_ptr_array_index (edit->shares, i);
      const char *share_id = g_hash_table_lookup (plan->shares, choice->org);

      if (choice->shared && share_id == NULL)
        {
          PbRecord *r = plan_add (plan, PB_OP_INSERT, pb_record_new ("item_shares", NULL));

          pb_record_set_string (r, "item", item_id);
          pb_record_set_string (r, "org", choice->org);
        }
      else if (!choice->shared && share_id != NULL)
        plan_add (plan, PB_OP_DELETE, pb_record_new ("item_shares", share_id));
    }
  return TRUE;
}

/* A record of the row's key fields (@fields, NULL-terminated) as @row holds them. */
static PbRecord *
key_of (PbRecord    *row,
        const char **fields)
{
  PbRecord *key = pb_record_new (pb_record_get_table (row)->name, NULL);

  for (guint i = 0; fields[i]; i++)
    pb_record_set_value (key, fields[i], pb_record_lookup (row, fields[i]));
  return key;
}

/* The fields the act changed go back to what they were. */
static void
undo_fields (Plan     *plan,
             PbRecord *item,
             PbUndo   *undo)
{
  const PbTableInfo *info = pb_record_get_table (item);
  PbRecord *back = pb_record_new ("items", pb_record_get_id (item));
  PbRecord *as_left = pb_record_new ("items", pb_record_get_id (item));
  gboolean changed = FALSE;

  for (guint i = 0; i < info->n_columns; i++)
    {
      const PbValue *now = pb_record_get_value (item, i);
      const PbValue *was = pb_record_get_value (plan->before, i);

      if (now->type == PB_VALUE_UNSET || _pb_value_equal (now, was))
        continue;
      if (was->type == PB_VALUE_UNSET)
        pb_record_set_null (back, info->columns[i].name);
      else
        pb_record_set_value (back, info->columns[i].name, was);
      pb_record_set_value (as_left, info->columns[i].name, now);
      changed = TRUE;
    }
  if (changed)
    _pb_undo_add (undo, PB_OP_UPDATE, back, as_left);
  else
    {
      pb_record_free (back);
      pb_record_free (as_left);
    }
}

/* What undoes the act just written: rows inserted go, rows deleted come back, the item's
 * fields get their values back; for a new item, the item goes last, after what hangs on
 * it. */
static PbUndo *
plan_undo (Plan       *plan,
           const char *item_id,
           gboolean    created)
{
  static const char *identifier_key[] = { "item", "kind", "value", NULL };
  static const char *share_key[] = { "item", "org", NULL };
  PbUndo *undo = _pb_undo_new (item_id, created);
  PbRecord *item = g_array_index (plan->writes, PbWrite, 0).record;

  if (!created)
    undo_fields (plan, item, undo);
  for (guint i = 1; i < plan->writes->len; i++)
    {
      PbWrite *w = &g_array_index (plan->writes, PbWrite, i);
      const char *table = pb_record_get_table (w->record)->name;
      gboolean identifier = strcmp (table, "identifiers") == 0;

      if (w->op == PB_OP_INSERT)
        _pb_undo_add (undo, PB_OP_DELETE, pb_record_new (table, pb_record_get_id (w->record)),
                      pb_record_copy (w->record));
      else if (identifier)
        {
          PbRecord *row = g_hash_table_lookup (plan->removed, pb_record_get_id (w->record));
          PbRecord *back = pb_record_new ("identifiers", NULL);

          pb_record_set_string (back, "item", item_id);
          pb_record_set_value (back, "kind", pb_record_lookup (row, "kind"));
          pb_record_set_value (back, "raw", pb_record_lookup (row, "raw") ? pb_record_lookup (row, "raw")
                                                                         : pb_record_lookup (row, "value"));
          pb_record_set_value (back, "known_invalid", pb_record_lookup (row, "known_invalid"));
          _pb_undo_add (undo, PB_OP_INSERT, back, key_of (row, identifier_key));
        }
      else
        {
          PbRecord *back = pb_record_new ("item_shares", NULL);
          GHashTableIter iter;
          gpointer org, share_id;

          g_hash_table_iter_init (&iter, plan->shares);
          while (g_hash_table_iter_next (&iter, &org, &share_id))
            if (g_str_equal (share_id, pb_record_get_id (w->record)))
              pb_record_set_string (back, "org", org);
          pb_record_set_string (back, "item", item_id);
          _pb_undo_add (undo, PB_OP_INSERT, back, key_of (back, share_key));
        }
    }
  if (created)
    _pb_undo_add (undo, PB_OP_DELETE, pb_record_new ("items", item_id), pb_record_copy (item));
  return undo;
}

/**
 * pb_store_save_item:
 * @edit: what the person wrote
 * @item_id: (out) (optional) (transfer full): the item's id (a new item's, made here)
 * @undo: (out) (optional) (transfer full) (nullable): what undoes this save, for
 *   pb_undo_apply(); %NULL when the save changed nothing
 *
 * Saves an item as one act through the write path: a new item (from the signed-in
 * person's organisation, by them, now) or the fields of the edit written over the item,
 * with the identifiers added and removed and the sharing changed; one transaction, one
 * access-log entry. What undoes it is computed from the rows as they were before the
 * act, read inside the same transaction. Nothing is saved when the act is refused.
 */
gboolean
pb_store_save_item (PbStore          *self,
                    const PbItemEdit *edit,
                    char            **item_id,
                    PbUndo          **undo,
                    GError          **error)
{
  Plan plan = { 0 };
  g_autoptr(PbUndo) inverse = NULL;
  g_autofree char *id = NULL;
  gboolean ok;

  g_return_val_if_fail (PB_IS_STORE (self), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  if (!_pb_store_check_actor (self, "items", error) || !pb_store_begin (self, error))
    return FALSE;
  plan.writes = g_array_new (FALSE, FALSE, sizeof (PbWrite));
  plan.records = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  plan.removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pb_record_free);
  ok = plan_item (self, edit, &plan, error);
  if (ok)
    id = g_strdup (pb_record_get_id (g_array_index (plan.writes, PbWrite, 0).record));
  ok = ok && plan_identifiers (self, edit, id, &plan, error)
       && plan_shares (self, edit, id, &plan, error)
       && pb_store_write_many (self, (PbWrite *) plan.writes->data, plan.writes->len, error);
  /* Rows inserted have their ids now. */
  if (ok && undo)
    inverse = plan_undo (&plan, id, edit->item_id == NULL);
  plan_clear (&plan);
  if (!ok)
    {
      pb_store_rollback (self);
      return FALSE;
    }
  if (!pb_store_commit (self, error))
    return FALSE;

  if (item_id)
    *item_id = g_steal_pointer (&id);
  if (undo)
    *undo = inverse && !_pb_undo_is_empty (inverse) ? g_steal_pointer (&inverse) : NULL;
  return TRUE;
}
