/* pb-filter-bar.c: what the board is narrowed to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search over titles, reports and identifiers; the signed-in person's organisation;
 * overdue items; and, in the Filters menu, the reporting organisations, handling codes,
 * priorities, modus operandi and terminal, and the filters saved under a name (in
 * GSettings). The bar says "changed" when any of it changes (once for a saved filter put
 * back), and the board asks it for the filter.
 */

#define G_LOG_DOMAIN "pb-filter-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-filter-bar.h"

struct _PbFilterBar
{
  GtkWidget        parent_instance;

  GSettings       *settings;
  GPtrArray       *org_checks;    /* GtkCheckButton, one per organisation… */
  GPtrArray       *org_codes;     /* …and its code, at the same index */
  GtkCheckButton  *tlp_checks[PB_N_TLP];
  GtkCheckButton  *priority_checks[PB_N_PRIORITIES];
  GStrv            terminal_names; /* the terminal choice's, after "Any" */
  GPtrArray       *chosen_orgs;   /* what the last filter pointed at */
  gboolean         quiet;         /* putting a saved filter back: say "changed" once */

  /* Template widgets */
  GtkSearchEntry  *search_entry;
  GtkToggleButton *mine_toggle;
  GtkToggleButton *overdue_toggle;
  GtkBox          *org_box;
  GtkBox          *tlp_box;
  GtkBox          *priority_box;
  GtkDropDown     *mo_choice;       /* index 0: any; then the controlled list */
  GtkDropDown     *terminal_choice; /* index 0: any; then terminal_names */
  GtkBox          *saved_box;
  GtkEntry        *save_entry;
};

G_DEFINE_FINAL_TYPE (PbFilterBar, pb_filter_bar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHANGED,
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The modus operandi code chosen, or NULL for any. */
static const char *
selected_mo (PbFilterBar *self)
{
  guint n_mo, chosen = gtk_drop_down_get_selected (self->mo_choice);
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);

  return chosen == 0 || chosen > n_mo ? NULL : list[chosen - 1].code;
}

static const char *
selected_terminal (PbFilterBar *self)
{
  guint chosen = gtk_drop_down_get_selected (self->terminal_choice);

  if (self->terminal_names == NULL || chosen == 0 || chosen > g_strv_length (self->terminal_names))
    return NULL;
  return self->terminal_names[chosen - 1];
}

static guint
checked_mask (GtkCheckButton **checks,
              guint            n)
{
  guint mask = 0;

  for (guint k = 0; k < n; k++)
    if (gtk_check_button_get_active (checks[k]))
      mask |= 1u << k;
  return mask;
}

/**
 * pb_filter_bar_get_filter:
 * @filter: (out caller-allocates): what the bar holds; its strings are the bar's, valid
 *   until it changes
 */
void
pb_filter_bar_get_filter (PbFilterBar *self,
                          PbFilter    *filter)
{
  g_ptr_array_set_size (self->chosen_orgs, 0);
  for (guint k = 0; k < self->org_checks->len; k++)
    if (gtk_check_button_get_active (self->org_checks->pdata[k]))
      g_ptr_array_add (self->chosen_orgs, self->org_codes->pdata[k]);
  g_ptr_array_add (self->chosen_orgs, NULL);

  *filter = (PbFilter) {
    .text = (char *) gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
    .orgs = self->chosen_orgs->len > 1 ? (GStrv) self->chosen_orgs->pdata : NULL,
    .tlp_mask = checked_mask (self->tlp_checks, PB_N_TLP),
    .priority_mask = checked_mask (self->priority_checks, PB_N_PRIORITIES),
    .modus_operandi = (char *) selected_mo (self),
    .terminal = (char *) selected_terminal (self),
    .mine = gtk_toggle_button_get_active (self->mine_toggle),
    .overdue = gtk_toggle_button_get_active (self->overdue_toggle),
  };
}

static void
on_changed_cb (PbFilterBar *self)
{
  PbFilter filter;

  if (self->quiet)
    return;
  pb_filter_bar_get_filter (self, &filter);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filters.clear", !pb_filter_is_empty (&filter));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static GtkCheckButton *
add_check (PbFilterBar *self,
           GtkBox      *box,
           const char  *label)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_signal_connect_object (check, "toggled", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (box, check);
  return GTK_CHECK_BUTTON (check);
}

static void
remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}

/* Puts every part back to "any" without a word; the caller says "changed". */
static void
reset_quietly (PbFilterBar *self)
{
  gboolean was_quiet = self->quiet;

  self->quiet = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->mine_toggle, FALSE);
  gtk_toggle_button_set_active (self->overdue_toggle, FALSE);
  for (guint k = 0; k < PB_N_TLP; k++)
    gtk_check_button_set_active (self->tlp_checks[k], FALSE);
  for (guint k = 0; k < PB_N_PRIORITIES; k++)
    gtk_check_button_set_active (self->priority_checks[k], FALSE);
  for (guint k = 0; k < self->org_checks->len; k++)
    gtk_check_button_set_active (self->org_checks->pdata[k], FALSE);
  gtk_drop_down_set_selected (self->mo_choice, 0);
  gtk_drop_down_set_selected (self->terminal_choice, 0);
  self->quiet = was_quiet;
}

void
pb_filter_bar_clear (PbFilterBar *self)
{
  reset_quietly (self);
  on_changed_cb (self);
}

static void
rebuild_saved (PbFilterBar *self)
{
  g_autoptr(GVariant) saved = NULL;
  GVariantIter iter;
  GVariant *entry;

  remove_children (self->saved_box);
  if (self->settings == NULL)
    return;
  saved = g_settings_get_value (self->settings, "saved-filters");
  g_variant_iter_init (&iter, saved);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      const char *name = NULL;

      if (g_variant_lookup (entry, "name", "&s", &name))
        {
          GtkWidget *button = gtk_button_new_with_label (name);

          gtk_widget_add_css_class (button, "flat");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "filters.apply-saved");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
          gtk_box_append (self->saved_box, button);
        }
      g_variant_unref (entry);
    }
}

/**
 * pb_filter_bar_load:
 *
 * Offers the organisations and the port areas of @store's items to filter by, every part
 * back to "any".
 */
void
pb_filter_bar_load (PbFilterBar *self,
                    PbStore     *store)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->quiet = TRUE;
  remove_children (self->org_box);
  g_ptr_array_set_size (self->org_checks, 0);
  g_ptr_array_set_size (self->org_codes, 0);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", org->name, org->short_code);

      g_ptr_array_add (self->org_checks, add_check (self, self->org_box, label));
      g_ptr_array_add (self->org_codes, g_strdup (org->short_code));
    }

  g_clear_pointer (&self->terminal_names, g_strfreev);
  self->terminal_names = pb_store_list_port_areas (store, NULL);
  gtk_string_list_append (names, _("Any"));
  for (guint k = 0; self->terminal_names && self->terminal_names[k]; k++)
    gtk_string_list_append (names, self->terminal_names[k]);
  gtk_drop_down_set_model (self->terminal_choice, G_LIST_MODEL (names));

  reset_quietly (self);
  self->quiet = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filters.clear", FALSE);
}

/**
 * pb_filter_bar_set_settings:
 *
 * Where saved filters are kept; without settings (tests), filters cannot be saved.
 */
void
pb_filter_bar_set_settings (PbFilterBar *self,
                            GSettings   *settings)
{
  g_set_object (&self->settings, settings);
  rebuild_saved (self);
}

/* What the bar holds as a dictionary, for the saved filters. */
static GVariant *
state_of (PbFilterBar *self,
          const char  *name)
{
  GVariantBuilder dict, orgs;
  PbFilter filter;

  pb_filter_bar_get_filter (self, &filter);
  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_init (&orgs, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint k = 0; filter.orgs && filter.orgs[k]; k++)
    g_variant_builder_add (&orgs, "s", filter.orgs[k]);
  g_variant_builder_add (&dict, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&dict, "{sv}", "text", g_variant_new_string (filter.text));
  g_variant_builder_add (&dict, "{sv}", "orgs", g_variant_builder_end (&orgs));
  g_variant_builder_add (&dict, "{sv}", "tlp", g_variant_new_uint32 (filter.tlp_mask));
  g_variant_builder_add (&dict, "{sv}", "priority", g_variant_new_uint32 (filter.priority_mask));
  g_variant_builder_add (&dict, "{sv}", "modus-operandi",
                         g_variant_new_string (filter.modus_operandi ? filter.modus_operandi : ""));
  g_variant_builder_add (&dict, "{sv}", "terminal", g_variant_new_string (filter.terminal ? filter.terminal : ""));
  g_variant_builder_add (&dict, "{sv}", "mine", g_variant_new_boolean (filter.mine));
  g_variant_builder_add (&dict, "{sv}", "overdue", g_variant_new_boolean (filter.overdue));
  return g_variant_builder_end (&dict);
}

/**
 * pb_filter_bar_save:
 *
 * Saves what the bar holds under @name (replacing a filter of that name).
 *
 * Returns: whether it was saved (not without settings, nor without a name)
 */
gboolean
pb_filter_bar_save (PbFilterBar *self,
                    const char  *name)
{
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (name ? name : ""));
  GVariantBuilder list;
  GVariantIter iter;
  GVariant *entry;

  if (self->settings == NULL || *clean == '\0')
    return FALSE;

  saved = g_settings_get_value (self->settings, "saved-filters");
  g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
  g_variant_iter_init (&iter, saved);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      const char *other = NULL;

      if (!g_variant_lookup (entry, "name", "&s", &other) || g_strcmp0 (other, clean) != 0)
        g_variant_builder_add_value (&list, entry);
      g_variant_unref (entry);
    }
  g_variant_builder_add_value (&list, state_of (self, clean));
  g_settings_set_value (self->settings, "saved-filters", g_variant_builder_end (&list));
  rebuild_saved (self);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, clean);
  return TRUE;
}

static guint
index_in (const char *const *names,
          const char         *name)
{
  for (guint k = 0; names && names[k]; k++)
    if (g_str_equal (names[k], name))
      return k + 1;
  return 0;
}

/* Puts the saved filter @entry in the bar, quietly. */
static void
restore (PbFilterBar *self,
         GVariant    *entry)
{
  const char *text = "", *mo = "", *terminal = "";
  g_autofree const char **orgs = NULL;
  guint32 tlp = 0, priority = 0;
  gboolean mine = FALSE, overdue = FALSE;
  guint n_mo, mo_index = 0;
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);

  g_variant_lookup (entry, "text", "&s", &text);
  g_variant_lookup (entry, "orgs", "^a&s", &orgs);
  g_variant_lookup (entry, "tlp", "u", &tlp);
  g_variant_lookup (entry, "priority", "u", &priority);
  g_variant_lookup (entry, "mine", "b", &mine);
  g_variant_lookup (entry, "overdue", "b", &overdue);
  g_variant_lookup (entry, "modus-operandi", "&s", &mo);
  g_variant_lookup (entry, "terminal", "&s", &terminal);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_toggle_button_set_active (self->mine_toggle, mine);
  gtk_toggle_button_set_active (self->overdue_toggle, overdue);
  for (guint k = 0; k < PB_N_TLP; k++)
    gtk_check_button_set_active (self->tlp_checks[k], (tlp & (1u << k)) != 0);
  for (guint k = 0; k < PB_N_PRIORITIES; k++)
    gtk_check_button_set_active (self->priority_checks[k], (priority & (1u << k)) != 0);
  for (guint k = 0; k < self->org_checks->len; k++)
    gtk_check_button_set_active (self->org_checks->pdata[k], orgs && g_strv_contains (orgs, self->org_codes->pdata[k]));
  for (guint k = 0; k < n_mo; k++)
    if (g_str_equal (list[k].code, mo))
      mo_index = k + 1;
  gtk_drop_down_set_selected (self->mo_choice, mo_index);
  gtk_drop_down_set_selected (self->terminal_choice, index_in ((const char *const *) self->terminal_names, terminal));
}

/**
 * pb_filter_bar_apply_saved:
 *
 * Puts a saved filter back in the bar, which says "changed" once.
 *
 * Returns: whether there is a saved filter of that name
 */
gboolean
pb_filter_bar_apply_saved (PbFilterBar *self,
                           const char  *name)
{
  g_autoptr(GVariant) saved = NULL;
  GVariantIter iter;
  GVariant *entry;
  gboolean found = FALSE;

  if (self->settings == NULL)
    return FALSE;
  saved = g_settings_get_value (self->settings, "saved-filters");
  g_variant_iter_init (&iter, saved);
  while (!found && (entry = g_variant_iter_next_value (&iter)))
    {
      const char *other = NULL;

      if (g_variant_lookup (entry, "name", "&s", &other) && g_strcmp0 (other, name) == 0)
        {
          found = TRUE;
          self->quiet = TRUE;
          restore (self, entry);
          self->quiet = FALSE;
          on_changed_cb (self);
        }
      g_variant_unref (entry);
    }
  return found;
}

GtkWidget *
pb_filter_bar_get_search_entry (PbFilterBar *self)
{
  return GTK_WIDGET (self->search_entry);
}

static void
apply_saved_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  pb_filter_bar_apply_saved (PB_FILTER_BAR (widget), g_variant_get_string (param, NULL));
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PbFilterBar *self = PB_FILTER_BAR (widget);

  if (pb_filter_bar_save (self, gtk_editable_get_text (GTK_EDITABLE (self->save_entry))))
    gtk_editable_set_text (GTK_EDITABLE (self->save_entry), "");
}

static void
on_save_entry_activate_cb (PbFilterBar *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "filters.save", NULL);
}

static void
clear_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  pb_filter_bar_clear (PB_FILTER_BAR (widget));
}

static void
pb_filter_bar_dispose (GObject *object)
{
  PbFilterBar *self = PB_FILTER_BAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_FILTER_BAR);
  /* The Filters menu button has no id: dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->org_checks, g_ptr_array_unref);
  g_clear_pointer (&self->org_codes, g_ptr_array_unref);
  g_clear_pointer (&self->chosen_orgs, g_ptr_array_unref);
  g_clear_pointer (&self->terminal_names, g_strfreev);

  G_OBJECT_CLASS (pb_filter_bar_parent_class)->dispose (object);
}

static void
pb_filter_bar_class_init (PbFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_filter_bar_dispose;

  /**
   * PbFilterBar::changed:
   *
   * What the bar holds changed: pb_filter_bar_get_filter() says it.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PbFilterBar::saved:
   * @name: the name it was saved under
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, mine_toggle);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, org_box);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, tlp_box);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, priority_box);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, mo_choice);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, terminal_choice);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, saved_box);
  gtk_widget_class_bind_template_child (widget_class, PbFilterBar, save_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "filters.apply-saved", "s", apply_saved_activated);
  gtk_widget_class_install_action (widget_class, "filters.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "filters.clear", NULL, clear_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
pb_filter_bar_init (PbFilterBar *self)
{
  g_autoptr(GtkStringList) mo_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) terminals = gtk_string_list_new (NULL);
  guint n_mo;
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->org_checks = g_ptr_array_new ();
  self->org_codes = g_ptr_array_new_with_free_func (g_free);
  self->chosen_orgs = g_ptr_array_new ();

  for (guint k = 0; k < PB_N_TLP; k++)
    {
      g_autofree char *label = g_strconcat ("TLP:", pb_tlp_to_string (k), NULL);
      self->tlp_checks[k] = add_check (self, self->tlp_box, label);
    }
  for (guint k = 0; k < PB_N_PRIORITIES; k++)
    self->priority_checks[k] = add_check (self, self->priority_box, pb_priority_label (k));

  gtk_string_list_append (mo_names, _("Any"));
  for (guint k = 0; k < n_mo; k++)
    gtk_string_list_append (mo_names, _(list[k].name));
  gtk_drop_down_set_model (self->mo_choice, G_LIST_MODEL (mo_names));
  gtk_string_list_append (terminals, _("Any"));
  gtk_drop_down_set_model (self->terminal_choice, G_LIST_MODEL (terminals));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filters.clear", FALSE);
}
