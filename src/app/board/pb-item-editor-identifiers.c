/* pb-item-editor-identifiers.c: the identifiers of an item, in the item editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An identifier is checked as it is typed: a wrong check digit names the expected one, and
 * only a value marked "known invalid" is kept anyway (real ships carry invalid IMO
 * numbers). "identifiers.add" adds what is typed; "identifiers.remove" takes one away, by
 * its key (a stored identifier's id, or the key of one added since the item was opened).
 * Nothing is written until the item is saved: collect() puts the identifiers added and
 * removed in the edit.
 */

#define G_LOG_DOMAIN "pb-item-editor-identifiers"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-item-editor-identifiers.h"

/* One identifier shown: stored (@id set) or added since the item was opened. */
typedef struct
{
  char      *key;
  char      *id;
  char      *kind;
  char      *raw;
  gboolean   known_invalid;
  GtkWidget *row;
} Entry;

struct _PbItemEditorIdentifiers
{
  GtkWidget            parent_instance;

  GPtrArray           *entries;   /* Entry, as shown */
  GPtrArray           *removed;   /* ids of stored identifiers taken away */
  guint                n_added;   /* for the keys of those added */
  char                *validation;
  gboolean             read_only;
  gboolean             can_add;

  /* Template widgets */
  AdwPreferencesGroup *group;
  AdwComboRow         *kind_row;
  AdwEntryRow         *value_row;
  AdwActionRow        *validation_row;
  GtkCheckButton      *known_invalid_check;
};

G_DEFINE_FINAL_TYPE (PbItemEditorIdentifiers, pb_item_editor_identifiers, GTK_TYPE_WIDGET)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_free (entry->id);
  g_free (entry->kind);
  g_free (entry->raw);
  g_free (entry);
}

/* Shows an identifier: its value as stored (plain text), its kind, a button to remove it. */
static void
show_entry (PbItemEditorIdentifiers *self,
            Entry                   *entry,
            const char              *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  PbIdentifierKind k;
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf ("%s%s", pb_identifier_kind_from_string (entry->kind, &k) ? pb_identifier_kind_label (k)
                                                                                      : entry->kind,
                              entry->known_invalid ? _(" · known invalid") : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove the identifier"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove the identifier"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "identifiers.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", entry->key);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_preferences_group_add (self->group, row);
  entry->row = row;
  g_ptr_array_add (self->entries, entry);
}

static void
update_validation (PbItemEditorIdentifiers *self)
{
  PbIdentifierKind kind = adw_combo_row_get_selected (self->kind_row);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->value_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = NULL;
  gboolean known_invalid = gtk_check_button_get_active (self->known_invalid_check);

  g_clear_pointer (&self->validation, g_free);
  if (text && *text)
    {
      normal = pb_identifier_normalize (kind, text, &error);
      self->validation = normal ? g_strdup_printf (_("Valid: %s"), normal) : g_strdup (error->message);
    }
  adw_action_row_set_subtitle (self->validation_row, self->validation ? self->validation : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->validation_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->validation_row), "error");

  self->can_add = !self->read_only && text && *text
                  && (normal != NULL
                      || (known_invalid && !g_error_matches (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_EMPTY)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "identifiers.add", self->can_add);
}

static void
on_identifier_changed_cb (PbItemEditorIdentifiers *self)
{
  update_validation (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  pb_item_editor_identifiers_add (PB_ITEM_EDITOR_IDENTIFIERS (widget));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbItemEditorIdentifiers *self = PB_ITEM_EDITOR_IDENTIFIERS (widget);
  const char *key = g_variant_get_string (param, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (!g_str_equal (entry->key, key))
        continue;
      if (entry->id)
        g_ptr_array_add (self->removed, g_strdup (entry->id));
      adw_preferences_group_remove (self->group, entry->row);
      g_ptr_array_remove_index (self->entries, i);
      return;
    }
}

static void
clear (PbItemEditorIdentifiers *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    adw_preferences_group_remove (self->group, ((Entry *) g_ptr_array_index (self->entries, i))->row);
  g_ptr_array_set_size (self->entries, 0);
  g_ptr_array_set_size (self->removed, 0);
}

static void
pb_item_editor_identifiers_dispose (GObject *object)
{
  PbItemEditorIdentifiers *self = PB_ITEM_EDITOR_IDENTIFIERS (object);
  GtkWidget *child;

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_IDENTIFIERS);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->removed, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_item_editor_identifiers_parent_class)->dispose (object);
}

static void
pb_item_editor_identifiers_finalize (GObject *object)
{
  PbItemEditorIdentifiers *self = PB_ITEM_EDITOR_IDENTIFIERS (object);

  g_free (self->validation);

  G_OBJECT_CLASS (pb_item_editor_identifiers_parent_class)->finalize (object);
}

static void
pb_item_editor_identifiers_class_init (PbItemEditorIdentifiersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_item_editor_identifiers_dispose;
  object_class->finalize = pb_item_editor_identifiers_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-identifiers.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorIdentifiers, group);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorIdentifiers, kind_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorIdentifiers, value_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorIdentifiers, validation_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorIdentifiers, known_invalid_check);
  gtk_widget_class_bind_template_callback (widget_class, on_identifier_changed_cb);
  gtk_widget_class_install_action (widget_class, "identifiers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "identifiers.remove", "s", remove_action);
}

static void
pb_item_editor_identifiers_init (PbItemEditorIdentifiers *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < PB_N_IDENTIFIER_KINDS; i++)
    gtk_string_list_append (kinds, pb_identifier_kind_label (i));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "identifiers.add", FALSE);
}

/**
 * pb_item_editor_identifiers_load:
 * @item_id: (nullable): the item, or %NULL for a new one (none yet)
 *
 * Shows the item's identifiers as stored, and forgets what was added or removed.
 */
void
pb_item_editor_identifiers_load (PbItemEditorIdentifiers *self,
                                 PbStore                 *store,
                                 const char              *item_id)
{
  g_autoptr(GPtrArray) idents = item_id ? pb_store_list_identifiers (store, item_id, NULL) : NULL;

  clear (self);
  for (guint i = 0; idents && i < idents->len; i++)
    {
      PbIdentifierRow *r = g_ptr_array_index (idents, i);
      Entry *entry = g_new0 (Entry, 1);

      entry->key = g_strdup (r->id);
      entry->id = g_strdup (r->id);
      entry->kind = g_strdup (r->kind);
      entry->known_invalid = r->known_invalid;
      show_entry (self, entry, r->value);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), "");
  update_validation (self);
}

/* Read-only for partners: shown, not changed. */
void
pb_item_editor_identifiers_set_read_only (PbItemEditorIdentifiers *self,
                                          gboolean                 read_only)
{
  self->read_only = read_only;
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->value_row), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->validation_row), !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "identifiers.remove", !read_only);
  update_validation (self);
}

/* Puts the identifiers added and removed since the item was opened in the edit. */
void
pb_item_editor_identifiers_collect (PbItemEditorIdentifiers *self,
                                    PbItemEdit              *edit)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->id == NULL)
        pb_item_edit_add_identifier (edit, entry->kind, entry->raw, entry->known_invalid);
    }
  for (guint i = 0; i < self->removed->len; i++)
    pb_item_edit_remove_identifier (edit, g_ptr_array_index (self->removed, i));
}

/* What is typed, for tests and keyboard users. */
void
pb_item_editor_identifiers_type (PbItemEditorIdentifiers *self,
                                 PbIdentifierKind         kind,
                                 const char              *value,
                                 gboolean                 known_invalid)
{
  adw_combo_row_set_selected (self->kind_row, kind);
  gtk_check_button_set_active (self->known_invalid_check, known_invalid);
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), value);
}

/**
 * pb_item_editor_identifiers_add:
 *
 * Adds the identifier typed, to be saved with the item.
 *
 * Returns: %FALSE when it cannot be added as it is (see the validation)
 */
gboolean
pb_item_editor_identifiers_add (PbItemEditorIdentifiers *self)
{
  PbIdentifierKind kind = adw_combo_row_get_selected (self->kind_row);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->value_row));
  g_autofree char *normal = NULL;
  Entry *entry;

  if (!self->can_add)
    return FALSE;

  entry = g_new0 (Entry, 1);
  normal = pb_identifier_normalize (kind, text, NULL);
  entry->known_invalid = normal == NULL && gtk_check_button_get_active (self->known_invalid_check);
  if (normal == NULL)
    normal = pb_identifier_compact (kind, text);
  entry->key = g_strdup_printf ("added-%u", ++self->n_added);
  entry->kind = g_strdup (pb_identifier_kind_to_string (kind));
  entry->raw = g_strdup (text);
  show_entry (self, entry, normal);

  gtk_editable_set_text (GTK_EDITABLE (self->value_row), "");
  gtk_check_button_set_active (self->known_invalid_check, FALSE);
  return TRUE;
}

/**
 * pb_item_editor_identifiers_get_validation:
 *
 * Returns: (nullable): what the check of the identifier typed says, or %NULL when none is
 *   typed
 */
const char *
pb_item_editor_identifiers_get_validation (PbItemEditorIdentifiers *self)
{
  return self->validation;
}
