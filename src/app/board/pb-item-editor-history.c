/* pb-item-editor-history.c: the History tab of the item editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The item's change log, newest first: who changed which field when, from what to what.
 * Values and names are what people wrote, here or elsewhere: shown as plain text.
 */

#define G_LOG_DOMAIN "pb-item-editor-history"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-item-editor-history.h"

struct _PbItemEditorHistory
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (PbItemEditorHistory, pb_item_editor_history, GTK_TYPE_WIDGET)

/**
 * pb_item_editor_field_label:
 *
 * Returns: the name of an item's field as the editor shows it (the field itself when it
 *   has none)
 */
const char *
pb_item_editor_field_label (const char *field)
{
  static const struct { const char *field; const char *label; } labels[] = {
    { "title", N_("Title") }, { "body", N_("Report text") }, { "status", N_("Column") },
    { "priority", N_("Priority") }, { "lead_org", N_("Lead organisation") },
    { "due_date", N_("Due date") }, { "reliability", N_("Source reliability") },
    { "credibility", N_("Information credibility") }, { "tlp", N_("Handling code") },
    { "case_id", N_("Case") }, { "closing_reason", N_("Closing reason") }, { "rank", N_("Place in the column") },
  };

  for (guint i = 0; field && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].field, field))
      return _(labels[i].label);
  return field;
}

/* What one entry of the change log did, in a line. */
static char *
entry_title (PbHistoryEntry *e)
{
  if (e->field)
    return g_strdup_printf ("%s: %s → %s", pb_item_editor_field_label (e->field),
                            e->old_value ? e->old_value : "—", e->new_value ? e->new_value : "—");
  if (g_str_equal (e->op, "insert") && g_str_equal (e->table, "items"))
    return g_strdup (_("Created"));
  if (g_str_equal (e->op, "insert"))
    return g_strdup_printf (g_str_equal (e->table, "identifiers") ? _("Identifier added: %s") : _("Shared: %s"),
                            e->new_value ? e->new_value : "");
  return g_strdup (g_str_equal (e->table, "identifiers") ? _("Identifier removed") : _("Deleted"));
}

static void
pb_item_editor_history_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), PB_TYPE_ITEM_EDITOR_HISTORY);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pb_item_editor_history_parent_class)->dispose (object);
}

static void
pb_item_editor_history_class_init (PbItemEditorHistoryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_history_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-history.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorHistory, list);
}

static void
pb_item_editor_history_init (PbItemEditorHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_item_editor_history_show:
 * @item_id: (nullable): the item, or %NULL for a new one (no history)
 */
void
pb_item_editor_history_show (PbItemEditorHistory *self,
                             PbStore             *store,
                             const char          *item_id)
{
  g_autoptr(GPtrArray) history = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  if (item_id == NULL)
    return;

  history = pb_store_item_history (store, item_id, NULL);
  for (guint i = 0; history && i < history->len; i++)
    {
      PbHistoryEntry *e = g_ptr_array_index (history, history->len - 1 - i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (e->at_ms / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *title = entry_title (e);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", when, e->author);
      GtkWidget *row = adw_action_row_new ();

      /* Values and names as written: never read as markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->list, row);
    }
}

guint
pb_item_editor_history_get_length (PbItemEditorHistory *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->list)); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}
