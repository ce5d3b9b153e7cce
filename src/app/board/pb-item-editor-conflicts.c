/* pb-item-editor-conflicts.c: concurrent edits of an item that lost, to take or let go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When a synchronisation finds that a field of the item was written at the same time
 * elsewhere, the text that lost is kept until someone chooses. Each is shown with who wrote
 * it and when; "Use This" takes it (conflict.use), "Keep Current" lets it go
 * (conflict.keep), both with the conflict's id. The panel hides itself when there is none.
 */

#define G_LOG_DOMAIN "pb-item-editor-conflicts"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "pb-item-editor-conflicts.h"
#include "pb-item-editor-history.h"
#include "pb-sync.h"

struct _PbItemEditorConflicts
{
  GtkWidget            parent_instance;

  PbStore             *store;
  GPtrArray           *rows;     /* rows in group, to remove */

  /* Template widgets */
  AdwPreferencesGroup *group;
};

G_DEFINE_FINAL_TYPE (PbItemEditorConflicts, pb_item_editor_conflicts, GTK_TYPE_WIDGET)

enum {
  SIGNAL_RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The other text as written: a JSON string is shown as its text. */
static char *
losing_text (PbConflict *c)
{
  g_autoptr(JsonNode) node = json_from_string (c->losing_value, NULL);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup (c->losing_value ? c->losing_value : "");
}

static GtkWidget *
conflict_row (PbItemEditorConflicts *self,
              PbConflict            *c)
{
  g_autoptr(PbPerson) who = pb_store_find_person (self->store, c->losing_author, NULL);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (c->losing_at / 1000);
  g_autofree char *at = when ? g_date_time_format (when, "%x %H:%M") : g_strdup ("");
  g_autofree char *text = losing_text (c);
  g_autofree char *title = g_strdup_printf (_("%s, by %s at %s"), pb_item_editor_field_label (c->field),
                                            who ? who->name : _("someone"), at);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *take = gtk_button_new_with_mnemonic (_("_Use This"));
  GtkWidget *drop = gtk_button_new_with_mnemonic (_("_Keep Current"));
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  /* The other text first, where there is room for it; who wrote it and when below. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), title);
  gtk_widget_add_css_class (row, "conflict-row");
  /* The choices one above the other, so that the text has the width. */
  gtk_widget_set_valign (choices, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), choices);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (take), "conflict.use");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (take), "s", c->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (drop), "conflict.keep");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (drop), "s", c->id);
  gtk_widget_add_css_class (take, "suggested-action");
  gtk_box_append (GTK_BOX (choices), take);
  gtk_box_append (GTK_BOX (choices), drop);
  return row;
}

static void
resolve (PbItemEditorConflicts *self,
         GVariant              *param,
         gboolean               take)
{
  g_autoptr(GError) error = NULL;

  if (!pb_store_resolve_conflict (self->store, g_variant_get_string (param, NULL), take, &error))
    {
      g_warning ("Cannot settle the conflict: %s", error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_RESOLVED], 0, take);
}

static void
use_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  resolve (PB_ITEM_EDITOR_CONFLICTS (widget), param, TRUE);
}

static void
keep_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  resolve (PB_ITEM_EDITOR_CONFLICTS (widget), param, FALSE);
}

static void
pb_item_editor_conflicts_dispose (GObject *object)
{
  PbItemEditorConflicts *self = PB_ITEM_EDITOR_CONFLICTS (object);
  GtkWidget *child;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_CONFLICTS);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_item_editor_conflicts_parent_class)->dispose (object);
}

static void
pb_item_editor_conflicts_class_init (PbItemEditorConflictsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_conflicts_dispose;

  /* A conflict was settled: TRUE when the other text was taken (the item changed). */
  signals[SIGNAL_RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-conflicts.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorConflicts, group);
  gtk_widget_class_install_action (widget_class, "conflict.use", "s", use_action);
  gtk_widget_class_install_action (widget_class, "conflict.keep", "s", keep_action);
}

static void
pb_item_editor_conflicts_init (PbItemEditorConflicts *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

/**
 * pb_item_editor_conflicts_show:
 * @item_id: (nullable): the item, or %NULL for a new one (none)
 * @read_only: the choices are shown, not offered
 *
 * Shows the item's unsettled conflicts, or hides the panel when there is none.
 */
void
pb_item_editor_conflicts_show (PbItemEditorConflicts *self,
                               PbStore               *store,
                               const char            *item_id,
                               gboolean               read_only)
{
  g_autoptr(GPtrArray) conflicts = NULL;

  g_set_object (&self->store, store);
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  if (store && item_id)
    conflicts = pb_store_list_conflicts (store, item_id, NULL);
  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      GtkWidget *row = conflict_row (self, g_ptr_array_index (conflicts, i));

      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.use", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.keep", !read_only);
  gtk_widget_set_visible (GTK_WIDGET (self), self->rows->len > 0);
}
