/* pb-cases-page.c: the cases of the consultation, their items, incidents and leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list of the cases the signed-in person may see, and the view of one case: who leads it
 * and every lead decision before (a handover is a dated decision with its reason), the
 * items of the case that the person may see, and their incidents. Opening a case is
 * recorded in the access log. Partners read; the actions that change a case are disabled
 * for them, and the store refuses them anyway.
 */

#define G_LOG_DOMAIN "pb-cases-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-cases-page.h"
#include "pb-form-dialog.h"

struct _PbCasesPage
{
  GtkWidget       parent_instance;

  PbStore        *store;
  GPtrArray      *cases;       /* PbCase, the list as read */
  PbCase         *current;
  gboolean        can_write;
  PbContext      *context;
  gboolean        filling;

  /* Template widgets */
  AdwToastOverlay *toasts;
  AdwLeaflet     *leaflet;
  GtkSearchEntry *search_entry;
  GtkToggleButton *closed_toggle;
  GtkListBox     *case_list;
  GtkStack       *detail_stack;
  AdwStatusPage  *empty_page;
  GtkLabel       *title;
  GtkLabel       *status;
  GtkButton      *close_button;
  GtkWidget      *back_button;
  GtkListBox     *lead_list;
  AdwPreferencesGroup *items_group;
  GtkListBox     *item_list;
  AdwPreferencesGroup *incidents_group;
  GtkListBox     *incident_list;
};

G_DEFINE_FINAL_TYPE (PbCasesPage, pb_cases_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fill_list (PbCasesPage *self);

static void
show_message (PbCasesPage *self,
              const char  *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = unix_time > 0 ? g_date_time_new_from_unix_local (unix_time) : NULL;

  return dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

/* A row of plain text: titles come from the reports, never read as markup. */
static AdwActionRow *
text_row (const char *title,
          const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (row, subtitle);
  return row;
}

static void
set_group_title (AdwPreferencesGroup *group,
                 const char          *title,
                 guint                n)
{
  g_autofree char *text = g_strdup_printf ("%s (%u)", title, n);
  adw_preferences_group_set_title (group, text);
}

static void
on_remove_clicked_cb (GtkButton   *button,
                      PbCasesPage *self)
{
  const char *item_id = g_object_get_data (G_OBJECT (button), "item-id");
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;

  if (!pb_store_remove_from_case (self->store, item_id, &error))
    {
      show_message (self, error->message);
      return;
    }
  case_id = g_strdup (self->current->id);
  show_message (self, _("Item taken out of the case"));
  fill_list (self);
  pb_cases_page_show_case (self, case_id);
}

static void
fill_items (PbCasesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = pb_store_list_case_items (self->store, self->current->id, &error);

  clear_list (self->item_list);
  if (cards == NULL)
    {
      show_message (self, error->message);
      return;
    }
  set_group_title (self->items_group, _("Items"), cards->len);
  adw_preferences_group_set_description (self->items_group,
                                         cards->len < self->current->n_items || cards->len == 0
                                         ? _("Only the items shared with your organisation are listed.")
                                         : NULL);
  for (guint i = 0; i < cards->len; i++)
    {
      PbCard *card = g_ptr_array_index (cards, i);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", pb_card_get_source_code (card),
                                                   pb_status_label (pb_card_get_status (card)));
      AdwActionRow *row = text_row (pb_card_get_title (card), subtitle);
      GtkWidget *chip = gtk_label_new (pb_tlp_to_string (pb_card_get_tlp (card)));

      gtk_widget_add_css_class (chip, "tlp-chip");
      gtk_widget_add_css_class (chip, pb_tlp_css_class (pb_card_get_tlp (card)));
      gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (row, chip);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Open the item on the board"));
      g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (pb_card_get_id (card)), g_free);

      if (self->can_write && !self->current->closed)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_tooltip_text (remove, _("Take the item out of the case"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Take the item out of the case"), -1);
          g_object_set_data_full (G_OBJECT (remove), "item-id", g_strdup (pb_card_get_id (card)), g_free);
          g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
          adw_action_row_add_suffix (row, remove);
        }
      adw_action_row_add_suffix (row, gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->item_list, GTK_WIDGET (row));
    }
  if (cards->len == 0)
    gtk_list_box_append (self->item_list, GTK_WIDGET (text_row (_("No items you may see"), NULL)));
}

static void
fill_incidents (PbCasesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) incidents = pb_store_list_incidents (self->store, self->current->id, NULL, &error);
  double kg = 0;

  clear_list (self->incident_list);
  if (incidents == NULL)
    {
      show_message (self, error->message);
      return;
    }
  for (guint i = 0; i < incidents->len; i++)
    {
      PbIncident *n = g_ptr_array_index (incidents, i);
      g_autofree char *title = NULL;
      g_autofree char *day = format_day (n->occurred_at);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s", day, n->terminal ? n->terminal : _("no terminal"),
                                                   n->source_code);

      kg += n->kg;
      if (n->kg > 0)
        title = g_strdup_printf (_("%s, %.0f kg"), pb_incident_kind_label (n->kind), n->kg);
      else
        title = g_strdup (pb_incident_kind_label (n->kind));
      gtk_list_box_append (self->incident_list, GTK_WIDGET (text_row (title, subtitle)));
    }
  set_group_title (self->incidents_group, _("Incidents"), incidents->len);
  if (kg > 0)
    {
      g_autofree char *total = g_strdup_printf (_("%.0f kg seized in all"), kg);
      adw_preferences_group_set_description (self->incidents_group, total);
    }
  else
    adw_preferences_group_set_description (self->incidents_group, NULL);
  if (incidents->len == 0)
    gtk_list_box_append (self->incident_list, GTK_WIDGET (text_row (_("No incidents you may see"), NULL)));
}

static void
fill_leads (PbCasesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = pb_store_list_case_leads (self->store, self->current->id, &error);

  clear_list (self->lead_list);
  if (leads == NULL)
    {
      show_message (self, error->message);
      return;
    }
  /* The current lead first, then the decisions before it. */
  for (guint i = leads->len; i-- > 0;)
    {
      PbCaseLead *lead = g_ptr_array_index (leads, i);
      g_autofree char *day = format_day (lead->decided_at);
      g_autofree char *title = g_strdup_printf ("%s (%s)", lead->org_name, lead->org_code);
      g_autofree char *who = lead->decided_by
                             ? g_strdup_printf (_("%s, decided by %s"), day, lead->decided_by)
                             : g_strdup_printf (_("%s, recorded before decisions were kept"), day);
      g_autofree char *subtitle = lead->reason ? g_strdup_printf ("%s — %s", who, lead->reason)
                                               : g_strdup (who);
      AdwActionRow *row = text_row (title, subtitle);

      adw_action_row_set_subtitle_lines (row, 3);
      if (i == leads->len - 1 && g_strcmp0 (lead->org, self->current->lead_org) == 0)
        {
          GtkWidget *badge = gtk_label_new (_("Leads now"));
          gtk_widget_add_css_class (badge, "current-lead");
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (row, badge);
        }
      gtk_list_box_append (self->lead_list, GTK_WIDGET (row));
    }
  if (leads->len == 0)
    gtk_list_box_append (self->lead_list, GTK_WIDGET (text_row (_("No lead decided yet"), NULL)));
}

/**
 * pb_cases_page_show_case:
 *
 * Opens a case in the view (the opening is recorded in the access log).
 *
 * Returns: whether the case exists and may be seen
 */
gboolean
pb_cases_page_show_case (PbCasesPage *self,
                         const char  *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *status = NULL;
  PbCase *c;

  g_return_val_if_fail (PB_IS_CASES_PAGE (self), FALSE);

  if (self->store == NULL)
    return FALSE;
  c = pb_store_open_case (self->store, case_id, &error);
  if (c == NULL)
    {
      show_message (self, error->message);
      return FALSE;
    }
  g_clear_pointer (&self->current, pb_case_free);
  self->current = c;

  gtk_label_set_label (self->title, c->title);
  opened = format_day (c->opened_at);
  if (c->closed)
    {
      g_autofree char *closed = format_day (c->closed_at);
      status = g_strdup_printf (_("Closed on %s · opened on %s"), closed, opened);
    }
  else
    status = g_strdup_printf (_("Open since %s"), opened);
  gtk_label_set_label (self->status, status);
  gtk_button_set_label (self->close_button, c->closed ? _("_Reopen Case") : _("_Close Case"));

  fill_leads (self);
  fill_items (self);
  fill_incidents (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.hand-over", self->can_write && !c->closed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.toggle-closed", self->can_write);
  gtk_stack_set_visible_child_name (self->detail_stack, "case");
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");

  /* Keep the list's selection on it, when it is listed. */
  self->filling = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->case_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "case-id"), c->id) == 0)
      gtk_list_box_select_row (self->case_list, GTK_LIST_BOX_ROW (row));
  self->filling = FALSE;
  return TRUE;
}

const char *
pb_cases_page_get_case (PbCasesPage *self)
{
  return self->current ? self->current->id : NULL;
}

static void
fill_list (PbCasesPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean with_closed = gtk_toggle_button_get_active (self->closed_toggle);
  g_autofree char *needle = g_utf8_casefold (search, -1);

  g_clear_pointer (&self->cases, g_ptr_array_unref);
  self->cases = pb_store_list_cases (self->store, &error);
  self->filling = TRUE;
  clear_list (self->case_list);
  self->filling = FALSE;
  if (self->cases == NULL)
    {
      show_message (self, error->message);
      return;
    }

  for (guint i = 0; i < self->cases->len; i++)
    {
      PbCase *c = g_ptr_array_index (self->cases, i);
      g_autofree char *title = g_utf8_casefold (c->title, -1);
      g_autofree char *subtitle = NULL;
      g_autofree char *items = NULL;
      AdwActionRow *row;

      if ((c->closed && !with_closed) || (*needle && strstr (title, needle) == NULL))
        continue;
      items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", c->n_items), c->n_items);
      if (c->closed)
        subtitle = g_strdup_printf (_("Closed · %s"), items);
      else if (c->lead_code)
        subtitle = g_strdup_printf (_("Lead %s · %s"), c->lead_code, items);
      else
        subtitle = g_strdup_printf (_("No lead yet · %s"), items);
      row = text_row (c->title, subtitle);
      adw_action_row_set_title_lines (row, 2);
      g_object_set_data_full (G_OBJECT (row), "case-id", g_strdup (c->id), g_free);
      self->filling = TRUE;
      gtk_list_box_append (self->case_list, GTK_WIDGET (row));
      if (self->current && g_str_equal (self->current->id, c->id))
        gtk_list_box_select_row (self->case_list, GTK_LIST_BOX_ROW (row));
      self->filling = FALSE;
    }

  if (self->cases->len == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Cases Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("To open a case, select items on the board and choose New Case."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Case Selected"));
      adw_status_page_set_description (self->empty_page,
                                       _("Choose a case in the list. To open one, select items on the board and choose New Case."));
    }
}

/**
 * pb_cases_page_load:
 *
 * Reads the cases the signed-in person may see; the case on view stays, when it still may
 * be seen.
 */
void
pb_cases_page_load (PbCasesPage *self,
                    PbContext   *context)
{
  PbStore *store = pb_context_get_store (context);
  g_autofree char *current = NULL;

  g_return_if_fail (PB_IS_CASES_PAGE (self));

  if (self->store != store)
    g_clear_pointer (&self->current, pb_case_free);
  g_set_object (&self->store, store);
  g_set_object (&self->context, context);
  self->can_write = pb_context_get_can_write (context);

  current = self->current ? g_strdup (self->current->id) : NULL;
  g_clear_pointer (&self->current, pb_case_free);
  fill_list (self);
  if (current == NULL || !pb_cases_page_show_case (self, current))
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.hand-over", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.toggle-closed", FALSE);
    }
}

static void
on_search_changed_cb (PbCasesPage *self)
{
  if (self->store)
    fill_list (self);
}

static void
on_case_selected_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     PbCasesPage   *self)
{
  const char *id = row ? g_object_get_data (G_OBJECT (row), "case-id") : NULL;

  if (self->filling || id == NULL || (self->current && g_str_equal (self->current->id, id)))
    return;
  pb_cases_page_show_case (self, id);
}

static void
on_item_activated_cb (GtkListBox    *list,
                      GtkListBoxRow *row,
                      PbCasesPage   *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "item-id");

  if (id)
    g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, id);
}

static void
on_back_clicked_cb (PbCasesPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
toggle_closed_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PbCasesPage *self = PB_CASES_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gboolean closing;

  if (self->current == NULL)
    return;
  closing = !self->current->closed;
  if (!pb_store_set_case_closed (self->store, self->current->id, closing, &error))
    {
      show_message (self, error->message);
      return;
    }
  id = g_strdup (self->current->id);
  /* A closed case is listed with the closed ones: show those, or it would vanish. */
  if (closing)
    gtk_toggle_button_set_active (self->closed_toggle, TRUE);
  fill_list (self);
  pb_cases_page_show_case (self, id);
  show_message (self, closing ? _("Case closed") : _("Case reopened"));
}

static void
on_reason_changed_cb (GtkEditable      *entry,
                      AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "hand-over", *reason != '\0');
}

static void
on_hand_over_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          PbCasesPage      *self)
{
  GtkDropDown *choice = g_object_get_data (G_OBJECT (dialog), "org");
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  GPtrArray *org_ids = g_object_get_data (G_OBJECT (dialog), "org-ids");
  const char *case_id = g_object_get_data (G_OBJECT (dialog), "case-id");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint chosen;

  if (!g_str_equal (response, "hand-over"))
    return;
  chosen = gtk_drop_down_get_selected (choice);
  text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));
  if (chosen >= org_ids->len
      || !pb_store_set_case_lead (self->store, case_id, g_ptr_array_index (org_ids, chosen), text, &error))
    {
      show_message (self, error ? error->message : _("Choose the organisation that takes the lead"));
      return;
    }
  fill_list (self);
  pb_cases_page_show_case (self, case_id);
  show_message (self, _("Lead handed over"));
}

static void
hand_over_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PbCasesPage *self = PB_CASES_PAGE (widget);
  g_autoptr(GPtrArray) orgs = NULL;
  GPtrArray *org_ids;
  GtkStringList *names;
  GtkWidget *form, *choice, *reason;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->current == NULL)
    return;
  orgs = pb_store_list_organisations (self->store, NULL);
  if (orgs == NULL)
    return;

  org_ids = g_ptr_array_new_with_free_func (g_free);
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);

      /* Only the services lead, and not the one that leads now. */
      if (org->kind == PB_ORG_PRIVATE_PARTNER || g_strcmp0 (org->id, self->current->lead_org) == 0)
        continue;
      g_ptr_array_add (org_ids, g_strdup (org->id));
      gtk_string_list_append (names, org->name);
    }

  form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  choice = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("For example: the seizure makes it a customs matter"));
  gtk_entry_set_activates_default (GTK_ENTRY (reason), TRUE);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_New lead"), choice));
  gtk_box_append (GTK_BOX (form), choice);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Reason, as the consultation decided"), reason));
  gtk_box_append (GTK_BOX (form), reason);

  body = self->current->lead_name
         ? g_strdup_printf (_("%s leads “%s” now. The handover is recorded with today’s date, your name and the reason."),
                            self->current->lead_name, self->current->title)
         : g_strdup_printf (_("Nobody leads “%s” yet. The decision is recorded with today’s date, your name and the reason."),
                            self->current->title);
  dialog = pb_form_dialog_new (widget, _("Hand Over the Lead"), body, "hand-over", _("_Hand Over"), form);
  adw_message_dialog_set_response_enabled (dialog, "hand-over", FALSE);
  g_object_set_data (G_OBJECT (dialog), "org", choice);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_object_set_data_full (G_OBJECT (dialog), "org-ids", org_ids, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (dialog), "case-id", g_strdup (self->current->id), g_free);
  g_signal_connect (reason, "changed", G_CALLBACK (on_reason_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_hand_over_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void
pb_cases_page_dispose (GObject *object)
{
  PbCasesPage *self = PB_CASES_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_CASES_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_pointer (&self->current, pb_case_free);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pb_cases_page_parent_class)->dispose (object);
}

static void
pb_cases_page_class_init (PbCasesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_cases_page_dispose;

  /* An item of the case was activated: its id. */
  signals[SIGNAL_OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/cases/pb-cases-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, closed_toggle);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, case_list);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, title);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, status);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, lead_list);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, items_group);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, item_list);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, incidents_group);
  gtk_widget_class_bind_template_child (widget_class, PbCasesPage, incident_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_case_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "cases.hand-over", NULL, hand_over_action);
  gtk_widget_class_install_action (widget_class, "cases.toggle-closed", NULL, toggle_closed_action);
}

static void
pb_cases_page_init (PbCasesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Back to the list only where the list is not beside the case. */
  g_object_bind_property (self->leaflet, "folded", self->back_button, "visible", G_BINDING_SYNC_CREATE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.hand-over", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.toggle-closed", FALSE);
}
