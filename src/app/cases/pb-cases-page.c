/* pb-cases-page.c: the cases of the consultation, their items, incidents and leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list of the cases the signed-in person may see, and the view of one case: who leads it
 * and every lead decision before (a handover is a dated decision with its reason), the
 * items of the case that the person may see, and their incidents. Opening a case is
 * recorded in the access log. Partners read; the actions that change a case are disabled
 * for them, and the store refuses them anyway.
 *
 * Every list is a live list of the store's (PbLiveList): what this page, the board or a
 * synchronisation writes shows here by itself; nothing is read again by hand.
 */

#define G_LOG_DOMAIN "pb-cases-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-cases-page.h"
#include "pb-hand-over-dialog.h"
#include "pb-live-list.h"

struct _PbCasesPage
{
  GtkWidget       parent_instance;

  PbContext      *context;
  PbStore        *store;
  PbLiveList     *cases;       /* every case the person may see */
  GtkFilterListModel *shown;   /* of those, the ones the search and the toggle let through */
  GtkCustomFilter *filter;
  PbLiveList     *leads;       /* of the case on view */
  PbLiveList     *items;
  PbLiveList     *incidents;
  char           *current;     /* the case on view */
  gboolean        removable;   /* its item rows have a button to take them out */
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

/* ---- What the live lists hold ----------------------------------------------------- */

static const char *
case_key (gconstpointer record)
{
  return ((const PbCase *) record)->id;
}

static gboolean
case_same (gconstpointer a,
           gconstpointer b)
{
  const PbCase *x = a, *y = b;

  return g_strcmp0 (x->title, y->title) == 0 && g_strcmp0 (x->lead_org, y->lead_org) == 0
         && g_strcmp0 (x->lead_code, y->lead_code) == 0 && x->closed == y->closed && x->n_items == y->n_items
         && x->opened_at == y->opened_at && x->closed_at == y->closed_at;
}

static GPtrArray *
read_cases (PbStore  *store,
            gpointer  data,
            GError  **error)
{
  return pb_store_list_cases (store, error);
}

static const char *
lead_key (gconstpointer record)
{
  return ((const PbCaseLead *) record)->id;
}

static gboolean
lead_same (gconstpointer a,
           gconstpointer b)
{
  const PbCaseLead *x = a, *y = b;

  return g_strcmp0 (x->org, y->org) == 0 && g_strcmp0 (x->org_name, y->org_name) == 0
         && g_strcmp0 (x->reason, y->reason) == 0 && x->decided_at == y->decided_at;
}

/* The current lead first, then the decisions before it. */
static GPtrArray *
read_leads (PbStore  *store,
            gpointer  case_id,
            GError  **error)
{
  GPtrArray *leads = pb_store_list_case_leads (store, case_id, error);

  if (leads)
    for (guint i = 0; i < leads->len / 2; i++)
      {
        gpointer t = leads->pdata[i];
        leads->pdata[i] = leads->pdata[leads->len - 1 - i];
        leads->pdata[leads->len - 1 - i] = t;
      }
  return leads;
}

static const char *
card_key (gconstpointer record)
{
  return pb_card_get_id ((PbCard *) record);
}

static gboolean
card_same (gconstpointer a,
           gconstpointer b)
{
  PbCard *x = (PbCard *) a, *y = (PbCard *) b;

  return g_strcmp0 (pb_card_get_title (x), pb_card_get_title (y)) == 0
         && pb_card_get_status (x) == pb_card_get_status (y) && pb_card_get_tlp (x) == pb_card_get_tlp (y)
         && pb_card_get_source_code (x) == pb_card_get_source_code (y);
}

static GPtrArray *
read_items (PbStore  *store,
            gpointer  case_id,
            GError  **error)
{
  return pb_store_list_case_items (store, case_id, error);
}

static const char *
incident_key (gconstpointer record)
{
  return ((const PbIncident *) record)->id;
}

static gboolean
incident_same (gconstpointer a,
               gconstpointer b)
{
  const PbIncident *x = a, *y = b;

  return x->kind == y->kind && x->occurred_at == y->occurred_at && x->kg == y->kg
         && g_strcmp0 (x->terminal, y->terminal) == 0 && g_strcmp0 (x->source_code, y->source_code) == 0;
}

static GPtrArray *
read_incidents (PbStore  *store,
                gpointer  case_id,
                GError  **error)
{
  return pb_store_list_incidents (store, case_id, NULL, error);
}

/* ---- Rows ------------------------------------------------------------------------- */

static GtkWidget *
case_row (gpointer item,
          gpointer data)
{
  const PbCase *c = pb_live_item_get (item);
  g_autofree char *subtitle = NULL;
  g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", c->n_items),
                                            c->n_items);
  AdwActionRow *row;

  if (c->closed)
    subtitle = g_strdup_printf (_("Closed · %s"), items);
  else if (c->lead_code)
    subtitle = g_strdup_printf (_("Lead %s · %s"), c->lead_code, items);
  else
    subtitle = g_strdup_printf (_("No lead yet · %s"), items);
  row = text_row (c->title, subtitle);
  adw_action_row_set_title_lines (row, 2);
  return GTK_WIDGET (row);
}

static GtkWidget *
lead_row (gpointer item,
          gpointer data)
{
  PbCasesPage *self = data;
  const PbCaseLead *lead = pb_live_item_get (item);
  const PbCase *c = pb_live_list_find (self->cases, self->current, NULL);
  g_autofree char *day = format_day (lead->decided_at);
  g_autofree char *title = g_strdup_printf ("%s (%s)", lead->org_name, lead->org_code);
  g_autofree char *who = lead->decided_by
                         ? g_strdup_printf (_("%s, decided by %s"), day, lead->decided_by)
                         : g_strdup_printf (_("%s, recorded before decisions were kept"), day);
  g_autofree char *subtitle = lead->reason ? g_strdup_printf ("%s — %s", who, lead->reason) : g_strdup (who);
  AdwActionRow *row = text_row (title, subtitle);

  adw_action_row_set_subtitle_lines (row, 3);
  if (c && pb_live_list_get (self->leads, 0) == lead && g_strcmp0 (lead->org, c->lead_org) == 0)
    {
      GtkWidget *badge = gtk_label_new (_("Leads now"));
      gtk_widget_add_css_class (badge, "current-lead");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (row, badge);
    }
  return GTK_WIDGET (row);
}

static GtkWidget *
item_row (gpointer item,
          gpointer data)
{
  PbCasesPage *self = data;
  PbCard *card = pb_live_item_get (item);
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

  if (self->removable)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Take the item out of the case"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Take the item out of the case"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "cases.remove-item");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", pb_card_get_id (card));
      adw_action_row_add_suffix (row, remove);
    }
  adw_action_row_add_suffix (row, gtk_image_new_from_icon_name ("go-next-symbolic"));
  return GTK_WIDGET (row);
}

static GtkWidget *
incident_row (gpointer item,
              gpointer data)
{
  const PbIncident *n = pb_live_item_get (item);
  g_autofree char *title = NULL;
  g_autofree char *day = format_day (n->occurred_at);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s", day, n->terminal ? n->terminal : _("no terminal"),
                                               n->source_code);

  if (n->kg > 0)
    title = g_strdup_printf (_("%s, %.0f kg"), pb_incident_kind_label (n->kind), n->kg);
  else
    title = g_strdup (pb_incident_kind_label (n->kind));
  return GTK_WIDGET (text_row (title, subtitle));
}

static GtkWidget *
placeholder (const char *text)
{
  return GTK_WIDGET (text_row (text, NULL));
}

/* ---- The case on view ------------------------------------------------------------- */

static void
update_counts (PbCasesPage *self)
{
  const PbCase *c = self->current ? pb_live_list_find (self->cases, self->current, NULL) : NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint n_incidents = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  double kg = 0;

  set_group_title (self->items_group, _("Items"), n_items);
  adw_preferences_group_set_description (self->items_group,
                                         c && (n_items < c->n_items || n_items == 0)
                                         ? _("Only the items shared with your organisation are listed.") : NULL);
  for (guint i = 0; i < n_incidents; i++)
    kg += ((const PbIncident *) pb_live_list_get (self->incidents, i))->kg;
  set_group_title (self->incidents_group, _("Incidents"), n_incidents);
  if (kg > 0)
    {
      g_autofree char *total = g_strdup_printf (_("%.0f kg seized in all"), kg);
      adw_preferences_group_set_description (self->incidents_group, total);
    }
  else
    adw_preferences_group_set_description (self->incidents_group, NULL);
}

/* The header and the actions of the case on view, as the list of cases has it now; the
 * empty page when it is gone (no longer seen). */
static void
show_current (PbCasesPage *self)
{
  const PbCase *c = self->current ? pb_live_list_find (self->cases, self->current, NULL) : NULL;
  gboolean can_write = self->context && pb_context_get_can_write (self->context);
  g_autofree char *opened = NULL;
  g_autofree char *status = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.hand-over", c && can_write && !c->closed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.toggle-closed", c && can_write);
  if (c == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
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
  gtk_stack_set_visible_child_name (self->detail_stack, "case");

  /* Items can be taken out of an open case by those who write: the rows say so. */
  if (self->removable != (can_write && !c->closed))
    {
      self->removable = can_write && !c->closed;
      gtk_list_box_bind_model (self->item_list, G_LIST_MODEL (self->items), item_row, self, NULL);
    }
  update_counts (self);
}

/* The row of the case on view selected in the list, where it is listed. */
static void
select_current (PbCasesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->shown));

  self->filling = TRUE;
  gtk_list_box_unselect_all (self->case_list);
  for (guint i = 0; self->current && i < n; i++)
    {
      g_autoptr(PbLiveItem) item = g_list_model_get_item (G_LIST_MODEL (self->shown), i);

      if (g_str_equal (((const PbCase *) pb_live_item_get (item))->id, self->current))
        gtk_list_box_select_row (self->case_list, gtk_list_box_get_row_at_index (self->case_list, (int) i));
    }
  self->filling = FALSE;
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
  g_autoptr(PbCase) c = NULL;

  g_return_val_if_fail (PB_IS_CASES_PAGE (self), FALSE);

  if (self->store == NULL)
    return FALSE;
  c = pb_store_open_case (self->store, case_id, &error);
  if (c == NULL)
    {
      show_message (self, error->message);
      return FALSE;
    }
  g_free (self->current);
  self->current = g_strdup (c->id);
  pb_live_list_set_read (self->leads, read_leads, g_strdup (c->id), g_free);
  pb_live_list_set_read (self->items, read_items, g_strdup (c->id), g_free);
  pb_live_list_set_read (self->incidents, read_incidents, g_strdup (c->id), g_free);
  /* (The lead rows' "Leads now" follows the case: made again for this one.) */
  gtk_list_box_bind_model (self->lead_list, G_LIST_MODEL (self->leads), lead_row, self, NULL);
  show_current (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
  select_current (self);
  return TRUE;
}

const char *
pb_cases_page_get_case (PbCasesPage *self)
{
  return self->current;
}

/* ---- Following the lists ---------------------------------------------------------- */

static void
on_cases_changed_cb (GListModel  *model,
                     guint        position,
                     guint        removed,
                     guint        added,
                     PbCasesPage *self)
{
  show_current (self);
  select_current (self);
  gtk_list_box_bind_model (self->lead_list, G_LIST_MODEL (self->leads), lead_row, self, NULL);
}

static void
on_case_lists_changed_cb (GListModel  *model,
                          guint        position,
                          guint        removed,
                          guint        added,
                          PbCasesPage *self)
{
  update_counts (self);
}

static gboolean
case_matches (gpointer item,
              gpointer data)
{
  PbCasesPage *self = data;
  const PbCase *c = pb_live_item_get (item);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = g_utf8_casefold (search, -1);
  g_autofree char *title = g_utf8_casefold (c->title, -1);

  if (c->closed && !gtk_toggle_button_get_active (self->closed_toggle))
    return FALSE;
  return *needle == '\0' || strstr (title, needle) != NULL;
}

static void
update_empty_page (PbCasesPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->cases)) == 0)
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

static void
make_lists (PbCasesPage *self)
{
  static const char *const case_tables[] = { "cases", "case_leads", "items", "item_shares", NULL };
  static const char *const lead_tables[] = { "case_leads", "cases", NULL };
  static const char *const item_tables[] = { "items", "item_shares", "cases", NULL };
  static const char *const incident_tables[] = { "incidents", "items", "item_shares", NULL };

  g_clear_object (&self->cases);
  g_clear_object (&self->leads);
  g_clear_object (&self->items);
  g_clear_object (&self->incidents);
  self->cases = pb_live_list_new (self->store, case_tables, case_key, case_same, (GDestroyNotify) pb_case_free);
  self->leads = pb_live_list_new (self->store, lead_tables, lead_key, lead_same, (GDestroyNotify) pb_case_lead_free);
  self->items = pb_live_list_new (self->store, item_tables, card_key, card_same, g_object_unref);
  self->incidents = pb_live_list_new (self->store, incident_tables, incident_key, incident_same,
                                      (GDestroyNotify) pb_incident_free);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (on_case_lists_changed_cb), self,
                           G_CONNECT_AFTER);
  g_signal_connect_object (self->incidents, "items-changed", G_CALLBACK (on_case_lists_changed_cb), self,
                           G_CONNECT_AFTER);

  g_clear_object (&self->shown);
  self->filter = gtk_custom_filter_new (case_matches, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->cases)), GTK_FILTER (self->filter));
  g_signal_connect_object (self->cases, "items-changed", G_CALLBACK (on_cases_changed_cb), self, G_CONNECT_AFTER);
  g_signal_connect_object (self->cases, "items-changed", G_CALLBACK (update_empty_page), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->case_list, G_LIST_MODEL (self->shown), case_row, self, NULL);
  gtk_list_box_bind_model (self->lead_list, G_LIST_MODEL (self->leads), lead_row, self, NULL);
  gtk_list_box_bind_model (self->item_list, G_LIST_MODEL (self->items), item_row, self, NULL);
  gtk_list_box_bind_model (self->incident_list, G_LIST_MODEL (self->incidents), incident_row, self, NULL);
}

/**
 * pb_cases_page_load:
 *
 * Shows the cases the person signed in (@context) may see; from then on the page follows
 * the store. The case on view stays, when it still may be seen.
 */
void
pb_cases_page_load (PbCasesPage *self,
                    PbContext   *context)
{
  PbStore *store = pb_context_get_store (context);
  g_autofree char *current = NULL;

  g_return_if_fail (PB_IS_CASES_PAGE (self));

  if (self->context != context)
    {
      if (self->context)
        g_signal_handlers_disconnect_by_data (self->context, self);
      g_set_object (&self->context, context);
      g_signal_connect_swapped (context, "notify::can-write", G_CALLBACK (show_current), self);
    }
  if (self->store != store)
    {
      g_clear_pointer (&self->current, g_free);
      g_set_object (&self->store, store);
      make_lists (self);
    }
  current = g_steal_pointer (&self->current);
  pb_live_list_set_read (self->cases, read_cases, NULL, NULL);
  if (current == NULL || !pb_cases_page_show_case (self, current))
    {
      pb_live_list_set_read (self->leads, NULL, NULL, NULL);
      pb_live_list_set_read (self->items, NULL, NULL, NULL);
      pb_live_list_set_read (self->incidents, NULL, NULL, NULL);
      show_current (self);
    }
  update_empty_page (self);
}

static void
on_search_changed_cb (PbCasesPage *self)
{
  if (self->filter)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->shown)
    select_current (self);
}

static void
on_case_selected_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     PbCasesPage   *self)
{
  g_autoptr(PbLiveItem) item = NULL;
  const PbCase *c;

  if (self->filling || row == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->shown), gtk_list_box_row_get_index (row));
  c = item ? pb_live_item_get (item) : NULL;
  if (c == NULL || g_strcmp0 (self->current, c->id) == 0)
    return;
  pb_cases_page_show_case (self, c->id);
}

static void
on_item_activated_cb (GtkListBox    *list,
                      GtkListBoxRow *row,
                      PbCasesPage   *self)
{
  g_autoptr(PbLiveItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), gtk_list_box_row_get_index (row));

  if (item)
    g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, pb_card_get_id (pb_live_item_get (item)));
}

static void
on_back_clicked_cb (PbCasesPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

/* ---- Actions ---------------------------------------------------------------------- */

static void
remove_item_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PbCasesPage *self = PB_CASES_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_store_remove_from_case (self->store, g_variant_get_string (param, NULL), &error))
    show_message (self, error->message);
  else
    show_message (self, _("Item taken out of the case"));
}

static void
toggle_closed_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PbCasesPage *self = PB_CASES_PAGE (widget);
  const PbCase *c = self->current ? pb_live_list_find (self->cases, self->current, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean closing;

  if (c == NULL)
    return;
  closing = !c->closed;
  /* A closed case is listed with the closed ones: show those, or it would vanish. */
  if (closing)
    gtk_toggle_button_set_active (self->closed_toggle, TRUE);
  if (!pb_store_set_case_closed (self->store, self->current, closing, &error))
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, closing ? _("Case closed") : _("Case reopened"));
}

static void
on_hand_over_response_cb (PbHandOverDialog *dialog,
                          const char       *response,
                          PbCasesPage      *self)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "hand-over"))
    return;
  reason = pb_hand_over_dialog_get_reason (dialog);
  if (pb_hand_over_dialog_get_org (dialog) == NULL)
    show_message (self, _("Choose the organisation that takes the lead"));
  else if (!pb_store_set_case_lead (self->store, pb_hand_over_dialog_get_case (dialog),
                                    pb_hand_over_dialog_get_org (dialog), reason, &error))
    show_message (self, error->message);
  else
    show_message (self, _("Lead handed over"));
}

static void
hand_over_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PbCasesPage *self = PB_CASES_PAGE (widget);
  const PbCase *c = self->current ? pb_live_list_find (self->cases, self->current, NULL) : NULL;
  PbHandOverDialog *dialog;

  if (c == NULL)
    return;
  dialog = pb_hand_over_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, c);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_hand_over_response_cb), self, G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pb_cases_page_dispose (GObject *object)
{
  PbCasesPage *self = PB_CASES_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_CASES_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->context)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->cases);
  g_clear_object (&self->leads);
  g_clear_object (&self->items);
  g_clear_object (&self->incidents);
  g_clear_pointer (&self->current, g_free);
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
  gtk_widget_class_install_action (widget_class, "cases.remove-item", "s", remove_item_action);
  gtk_widget_class_install_action (widget_class, "cases.toggle-closed", NULL, toggle_closed_action);
}

static void
pb_cases_page_init (PbCasesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->lead_list, placeholder (_("No lead decided yet")));
  gtk_list_box_set_placeholder (self->item_list, placeholder (_("No items you may see")));
  gtk_list_box_set_placeholder (self->incident_list, placeholder (_("No incidents you may see")));
  /* Back to the list only where the list is not beside the case. */
  g_object_bind_property (self->leaflet, "folded", self->back_button, "visible", G_BINDING_SYNC_CREATE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.hand-over", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.toggle-closed", FALSE);
}
