/* pb-item-editor-links.c: the Links tab of the item editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The items linked to this one (reports about the same shipment, crew or company; only
 * those the signed-in person may see) and the incidents reported on it. Linking and
 * unlinking are written at once, each an act of its own. The rows are commands with the
 * other item's id: links.open opens it ("open-item"), links.add links an item found,
 * links.remove unlinks one. What the store refuses is said through "failed".
 */

#define G_LOG_DOMAIN "pb-item-editor-links"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-item-editor-links.h"

#define MAX_LINK_RESULTS 20

struct _PbItemEditorLinks
{
  GtkWidget       parent_instance;

  PbStore        *store;
  char           *item_id;     /* NULL for a new item */
  gboolean        read_only;

  /* Template widgets */
  GtkMenuButton  *link_button;
  GtkPopover     *link_popover;
  GtkSearchEntry *link_search;
  GtkListBox     *link_results;
  GtkListBox     *links_list;
  GtkListBox     *incidents_list;
};

G_DEFINE_FINAL_TYPE (PbItemEditorLinks, pb_item_editor_links, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_ITEM,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

/* A card as a row that activates @action with the card's id (a click, or Enter): handling
 * code, title (plain text), source and column. */
static AdwActionRow *
card_row (PbCard     *card,
          const char *action)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *chip = gtk_label_new (pb_tlp_to_string (pb_card_get_tlp (card)));
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", pb_card_get_source_code (card),
                                               pb_status_label (pb_card_get_status (card)));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pb_card_get_title (card));
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_add_css_class (chip, "tlp-chip");
  gtk_widget_add_css_class (chip, pb_tlp_css_class (pb_card_get_tlp (card)));
  gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (row, chip);
  /* An action row is not activatable unless told. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", pb_card_get_id (card));
  return row;
}

static GtkWidget *
placeholder_row (const char *text)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (row), "dim-label");
  return GTK_WIDGET (row);
}

static GtkWidget *
incident_row (PbIncident *n)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (n->occurred_at);
  g_autofree char *day = when ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("?");
  g_autofree char *title = n->kg > 0 ? g_strdup_printf (_("%s, %.0f kg"), pb_incident_kind_label (n->kind), n->kg)
                                     : g_strdup (pb_incident_kind_label (n->kind));
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s", day, n->terminal ? n->terminal : _("no terminal"),
                                               n->source_code);
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  return GTK_WIDGET (row);
}

static void
fill_links (PbItemEditorLinks *self)
{
  g_autoptr(GPtrArray) linked = pb_store_list_linked_items (self->store, self->item_id, NULL);

  clear_list_box (self->links_list);
  for (guint i = 0; linked && i < linked->len; i++)
    {
      PbCard *card = g_ptr_array_index (linked, i);
      AdwActionRow *row = card_row (card, "links.open");

      gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Open the linked item"));
      if (!self->read_only)
        {
          GtkWidget *unlink = gtk_button_new_from_icon_name ("list-remove-symbolic");

          gtk_widget_set_valign (unlink, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (unlink, "flat");
          gtk_widget_set_tooltip_text (unlink, _("Remove the link"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (unlink), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Remove the link"), -1);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (unlink), "links.remove");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (unlink), "s", pb_card_get_id (card));
          adw_action_row_add_suffix (row, unlink);
        }
      gtk_list_box_append (self->links_list, GTK_WIDGET (row));
    }
  if (linked == NULL || linked->len == 0)
    gtk_list_box_append (self->links_list, placeholder_row (_("No linked items")));
}

static void
fill_incidents (PbItemEditorLinks *self)
{
  g_autoptr(GPtrArray) incidents = pb_store_list_incidents (self->store, NULL, self->item_id, NULL);

  clear_list_box (self->incidents_list);
  for (guint i = 0; incidents && i < incidents->len; i++)
    gtk_list_box_append (self->incidents_list, incident_row (g_ptr_array_index (incidents, i)));
  if (incidents == NULL || incidents->len == 0)
    gtk_list_box_append (self->incidents_list, placeholder_row (_("No incidents")));
}

static void
on_link_search_changed_cb (PbItemEditorLinks *self)
{
  g_autoptr(GPtrArray) cards = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->link_search));
  guint shown = 0;

  clear_list_box (self->link_results);
  if (self->store == NULL || self->item_id == NULL || *text == '\0')
    return;
  cards = pb_store_search_cards (self->store, text, MAX_LINK_RESULTS + 1, NULL);
  for (guint i = 0; cards && i < cards->len && shown < MAX_LINK_RESULTS; i++)
    {
      PbCard *card = g_ptr_array_index (cards, i);

      if (g_str_equal (pb_card_get_id (card), self->item_id))
        continue;
      gtk_list_box_append (self->link_results, GTK_WIDGET (card_row (card, "links.add")));
      shown++;
    }
  if (shown == 0)
    gtk_list_box_append (self->link_results, placeholder_row (_("No item found")));
}

static void
on_link_popover_show_cb (PbItemEditorLinks *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->link_search), "");
  clear_list_box (self->link_results);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_OPEN_ITEM], 0, g_variant_get_string (param, NULL));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  PbItemEditorLinks *self = PB_ITEM_EDITOR_LINKS (widget);
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (self->link_popover);
  if (!pb_store_link_items (self->store, self->item_id, g_variant_get_string (param, NULL), &error))
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
  fill_links (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbItemEditorLinks *self = PB_ITEM_EDITOR_LINKS (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_store_unlink_items (self->store, self->item_id, g_variant_get_string (param, NULL), &error))
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
  fill_links (self);
}

static void
pb_item_editor_links_dispose (GObject *object)
{
  PbItemEditorLinks *self = PB_ITEM_EDITOR_LINKS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_LINKS);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->item_id, g_free);

  G_OBJECT_CLASS (pb_item_editor_links_parent_class)->dispose (object);
}

static void
pb_item_editor_links_class_init (PbItemEditorLinksClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_links_dispose;

  /* A linked item was activated: its id. */
  signals[SIGNAL_OPEN_ITEM] = g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Linking or unlinking was refused: why. */
  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-links.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, link_button);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, link_popover);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, link_search);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, link_results);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, links_list);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorLinks, incidents_list);
  gtk_widget_class_bind_template_callback (widget_class, on_link_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_link_search_changed_cb);
  gtk_widget_class_install_action (widget_class, "links.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "links.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "links.remove", "s", remove_action);
}

static void
pb_item_editor_links_init (PbItemEditorLinks *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_item_editor_links_show:
 * @item_id: (nullable): the item, or %NULL for a new one (it is linked once saved)
 * @read_only: links are shown, not made or removed
 */
void
pb_item_editor_links_show (PbItemEditorLinks *self,
                           PbStore           *store,
                           const char        *item_id,
                           gboolean           read_only)
{
  g_set_object (&self->store, store);
  g_free (self->item_id);
  self->item_id = g_strdup (item_id);
  self->read_only = read_only;
  gtk_widget_set_sensitive (GTK_WIDGET (self->link_button), item_id != NULL && !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "links.add", item_id != NULL && !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "links.remove", item_id != NULL && !read_only);
  if (item_id == NULL)
    {
      clear_list_box (self->links_list);
      clear_list_box (self->incidents_list);
      gtk_list_box_append (self->links_list, placeholder_row (_("Save the item first to link it to others")));
      gtk_list_box_append (self->incidents_list, placeholder_row (_("No incidents")));
      return;
    }
  fill_links (self);
  fill_incidents (self);
}
