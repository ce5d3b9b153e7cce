/* pb-item-editor.c: the side panel where an item is written and changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every field of an item, its identifiers (checked as they are typed: a wrong check digit
 * names the expected one, and only a value marked "known invalid" is kept anyway), and
 * its history from the change log. Saving is one act through the write path; the handling
 * code must be chosen before the first save. Partners see the form read-only.
 */

#define G_LOG_DOMAIN "pb-item-editor"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pb-item-editor.h"
#include "pb-util.h"

struct _PbItemEditor
{
  GtkWidget        parent_instance;

  PbStore         *store;
  char            *item_id;       /* NULL for a new item */
  gboolean         read_only;
  GPtrArray       *org_ids;       /* lead organisation choices, index 0 = none */
  GPtrArray       *case_ids;      /* case choices, index 0 = none */
  GPtrArray       *new_identifiers;   /* PbRecord, to insert on save */
  GPtrArray       *removed_identifiers; /* ids, to delete on save */
  GPtrArray       *identifier_rows;   /* rows shown for identifiers */
  char            *validation;
  GHashTable      *loaded;        /* the item's fields as opened, for undo */
  GPtrArray       *undo;          /* PbUndoWrite: what undoes the last save */

  /* Template widgets */
  GtkLabel        *heading;
  GtkWidget       *save_button;
  GtkStack        *stack;
  AdwEntryRow     *title_row;
  GtkTextView     *body_view;
  AdwComboRow     *tlp_row;
  AdwComboRow     *reliability_row;
  AdwComboRow     *credibility_row;
  AdwComboRow     *priority_row;
  AdwComboRow     *lead_row;
  AdwEntryRow     *due_row;
  AdwComboRow     *case_row;
  AdwPreferencesGroup *identifiers_group;
  AdwComboRow     *kind_row;
  AdwEntryRow     *value_row;
  GtkWidget       *add_identifier_button;
  AdwActionRow    *validation_row;
  GtkCheckButton  *known_invalid_check;
  GtkLabel        *message;
  GtkListBox      *history_list;
  GtkWidget       *link_button;
  GtkPopover      *link_popover;
  GtkSearchEntry  *link_search;
  GtkListBox      *link_results;
  GtkListBox      *links_list;
  GtkListBox      *incidents_list;
};

G_DEFINE_FINAL_TYPE (PbItemEditor, pb_item_editor, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SAVED,
  SIGNAL_CLOSED,
  SIGNAL_OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *grades_reliability[] = { "A", "B", "C", "D", "E", "F" };
static const char *grades_credibility[] = { "1", "2", "3", "4", "5", "6" };

static GtkStringList *
string_list (const char  *first,
             const char **rest,
             guint        n_rest)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (first)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < n_rest; i++)
    gtk_string_list_append (list, rest[i]);
  return list;
}

static gboolean
due_date_ok (const char *text)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  iso = g_strconcat (text, "T00:00:00Z", NULL);
  return strlen (text) == 10 && (dt = g_date_time_new_from_iso8601 (iso, NULL)) != NULL;
}

static void
update_state (PbItemEditor *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  gboolean has_title = *title != '\0';
  gboolean has_tlp = adw_combo_row_get_selected (self->tlp_row) > 0;
  gboolean due_ok = due_date_ok (gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  const char *hint = NULL;

  if (self->read_only)
    hint = _("Partners have read-only access.");
  else if (!has_tlp)
    hint = _("Choose a handling code before saving.");
  else if (!has_title)
    hint = _("Give the item a title.");
  else if (!due_ok)
    hint = _("Write the due date as YYYY-MM-DD.");

  gtk_label_set_label (self->message, hint ? hint : "");
  gtk_widget_set_sensitive (self->save_button, self->store && hint == NULL);
}

static void
on_identifier_changed_cb (PbItemEditor *self)
{
  PbIdentifierKind kind = adw_combo_row_get_selected (self->kind_row);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->value_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = NULL;
  gboolean known_invalid = gtk_check_button_get_active (self->known_invalid_check);
  gboolean can_add;

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

  can_add = !self->read_only && text && *text
            && (normal != NULL
                || (known_invalid && !g_error_matches (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_EMPTY)));
  gtk_widget_set_sensitive (self->add_identifier_button, can_add);
}

static void
on_remove_identifier_cb (GtkButton    *button,
                         PbItemEditor *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *id = g_object_get_data (G_OBJECT (row), "identifier-id");
  PbRecord *pending = g_object_get_data (G_OBJECT (row), "pending");

  if (id)
    g_ptr_array_add (self->removed_identifiers, g_strdup (id));
  if (pending)
    g_ptr_array_remove (self->new_identifiers, pending);
  g_ptr_array_remove (self->identifier_rows, row);
  adw_preferences_group_remove (self->identifiers_group, row);
  update_state (self);
}

static void
show_identifier (PbItemEditor *self,
                 const char   *kind,
                 const char   *value,
                 gboolean      known_invalid,
                 const char   *id,
                 PbRecord     *pending)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  PbIdentifierKind k;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);
  subtitle = g_strdup_printf ("%s%s", pb_identifier_kind_from_string (kind, &k) ? pb_identifier_kind_label (k) : kind,
                              known_invalid ? _(" · known invalid") : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove the identifier"));
  gtk_widget_set_sensitive (remove, !self->read_only);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_identifier_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  g_object_set_data_full (G_OBJECT (row), "identifier-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (row), "pending", pending);
  adw_preferences_group_add (self->identifiers_group, row);
  g_ptr_array_add (self->identifier_rows, row);
}

static void
on_add_identifier_cb (PbItemEditor *self)
{
  pb_item_editor_add_identifier (self);
}

gboolean
pb_item_editor_add_identifier (PbItemEditor *self)
{
  PbIdentifierKind kind = adw_combo_row_get_selected (self->kind_row);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->value_row));
  gboolean known_invalid = gtk_check_button_get_active (self->known_invalid_check);
  g_autofree char *normal = NULL;
  PbRecord *record;

  if (!gtk_widget_get_sensitive (self->add_identifier_button))
    return FALSE;

  normal = pb_identifier_normalize (kind, text, NULL);
  if (normal == NULL)
    normal = pb_identifier_compact (kind, text);
  else
    known_invalid = FALSE;

  record = pb_record_new ("identifiers", NULL);
  pb_record_set_string (record, "kind", pb_identifier_kind_to_string (kind));
  pb_record_set_string (record, "raw", text);
  if (known_invalid)
    pb_record_set_int (record, "known_invalid", 1);
  g_ptr_array_add (self->new_identifiers, record);
  show_identifier (self, pb_identifier_kind_to_string (kind), normal, known_invalid, NULL, record);

  gtk_editable_set_text (GTK_EDITABLE (self->value_row), "");
  gtk_check_button_set_active (self->known_invalid_check, FALSE);
  update_state (self);
  return TRUE;
}

static void
clear_identifier_rows (PbItemEditor *self)
{
  for (guint i = 0; i < self->identifier_rows->len; i++)
    adw_preferences_group_remove (self->identifiers_group, g_ptr_array_index (self->identifier_rows, i));
  g_ptr_array_set_size (self->identifier_rows, 0);
  g_ptr_array_set_size (self->new_identifiers, 0);
  g_ptr_array_set_size (self->removed_identifiers, 0);
}

static const char *
field_label (const char *field)
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

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

/* A card as a row: handling code, title (plain text), source and column. */
static AdwActionRow *
card_row (PbCard *card)
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
  g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (pb_card_get_id (card)), g_free);
  return row;
}

static GtkWidget *
placeholder_row (const char *text)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (GTK_WIDGET (row), "dim-label");
  return GTK_WIDGET (row);
}

static void fill_links (PbItemEditor *self);

static void
on_unlink_clicked_cb (GtkButton    *button,
                      PbItemEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!pb_store_unlink_items (self->store, self->item_id, g_object_get_data (G_OBJECT (button), "item-id"), &error))
    gtk_label_set_label (self->message, error->message);
  fill_links (self);
}

static void
fill_links (PbItemEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GPtrArray) incidents = NULL;

  clear_list_box (self->links_list);
  clear_list_box (self->incidents_list);
  gtk_widget_set_sensitive (self->link_button, self->item_id != NULL && !self->read_only);
  if (self->item_id == NULL)
    {
      gtk_list_box_append (self->links_list, placeholder_row (_("Save the item first to link it to others")));
      gtk_list_box_append (self->incidents_list, placeholder_row (_("No incidents")));
      return;
    }

  linked = pb_store_list_linked_items (self->store, self->item_id, &error);
  for (guint i = 0; linked && i < linked->len; i++)
    {
      PbCard *card = g_ptr_array_index (linked, i);
      AdwActionRow *row = card_row (card);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Open the linked item"));
      if (!self->read_only)
        {
          GtkWidget *unlink = gtk_button_new_from_icon_name ("list-remove-symbolic");

          gtk_widget_set_valign (unlink, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (unlink, "flat");
          gtk_widget_set_tooltip_text (unlink, _("Remove the link"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (unlink), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Remove the link"), -1);
          g_object_set_data_full (G_OBJECT (unlink), "item-id", g_strdup (pb_card_get_id (card)), g_free);
          g_signal_connect (unlink, "clicked", G_CALLBACK (on_unlink_clicked_cb), self);
          adw_action_row_add_suffix (row, unlink);
        }
      gtk_list_box_append (self->links_list, GTK_WIDGET (row));
    }
  if (linked == NULL || linked->len == 0)
    gtk_list_box_append (self->links_list, placeholder_row (_("No linked items")));

  g_clear_error (&error);
  incidents = pb_store_list_incidents (self->store, NULL, self->item_id, &error);
  for (guint i = 0; incidents && i < incidents->len; i++)
    {
      PbIncident *n = g_ptr_array_index (incidents, i);
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
      gtk_list_box_append (self->incidents_list, GTK_WIDGET (row));
    }
  if (incidents == NULL || incidents->len == 0)
    gtk_list_box_append (self->incidents_list, placeholder_row (_("No incidents")));
}

#define MAX_LINK_RESULTS 20

static void
on_link_search_changed_cb (PbItemEditor *self)
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
      gtk_list_box_append (self->link_results, GTK_WIDGET (card_row (card)));
      shown++;
    }
  if (shown == 0)
    gtk_list_box_append (self->link_results, placeholder_row (_("No item found")));
}

static void
on_link_popover_show_cb (PbItemEditor *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->link_search), "");
  clear_list_box (self->link_results);
}

static void
on_link_result_activated_cb (GtkListBox    *list,
                             GtkListBoxRow *row,
                             PbItemEditor  *self)
{
  const char *other = g_object_get_data (G_OBJECT (row), "item-id");
  g_autoptr(GError) error = NULL;

  if (other == NULL)
    return;
  gtk_popover_popdown (self->link_popover);
  if (!pb_store_link_items (self->store, self->item_id, other, &error))
    gtk_label_set_label (self->message, error->message);
  fill_links (self);
}

static void
on_linked_activated_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        PbItemEditor  *self)
{
  const char *other = g_object_get_data (G_OBJECT (row), "item-id");

  if (other)
    g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, other);
}

static void
fill_history (PbItemEditor *self)
{
  g_autoptr(GPtrArray) history = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))))
    gtk_list_box_remove (self->history_list, child);
  if (self->item_id == NULL)
    return;

  history = pb_store_item_history (self->store, self->item_id, NULL);
  for (guint i = 0; history && i < history->len; i++)
    {
      PbHistoryEntry *e = g_ptr_array_index (history, history->len - 1 - i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (e->at_ms / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *title = NULL;
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", when, e->author);
      GtkWidget *row = adw_action_row_new ();

      if (e->field)
        title = g_strdup_printf ("%s: %s → %s", field_label (e->field), e->old_value ? e->old_value : "—",
                                 e->new_value ? e->new_value : "—");
      else if (g_str_equal (e->op, "insert") && g_str_equal (e->table, "items"))
        title = g_strdup (_("Created"));
      else if (g_str_equal (e->op, "insert"))
        title = g_strdup_printf (g_str_equal (e->table, "identifiers") ? _("Identifier added: %s")
                                                                       : _("Shared: %s"),
                                 e->new_value ? e->new_value : "");
      else
        title = g_strdup (g_str_equal (e->table, "identifiers") ? _("Identifier removed") : _("Deleted"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
select_string (AdwComboRow *row,
               const char  *value,
               guint        offset,
               const char **choices,
               guint        n)
{
  adw_combo_row_set_selected (row, 0);
  for (guint i = 0; value && i < n; i++)
    if (g_str_equal (choices[i], value))
      adw_combo_row_set_selected (row, i + offset);
}

/**
 * pb_item_editor_edit:
 * @item_id: (nullable): the item to edit, or %NULL for a new one
 *
 * Fills the form. Opening an existing item is recorded in the access log.
 */
gboolean
pb_item_editor_edit (PbItemEditor *self,
                     PbStore      *store,
                     const char   *item_id,
                     GError      **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(PbPerson) me = NULL;
  g_autoptr(GtkStringList) org_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) case_names = gtk_string_list_new (NULL);
  const char *value;
  PbTlp tlp;
  PbPriority priority;

  if (item_id)
    {
      fields = pb_store_open_item (store, item_id, error);
      if (fields == NULL)
        return FALSE;
    }

  g_set_object (&self->store, store);
  g_free (self->item_id);
  self->item_id = g_strdup (item_id);
  g_clear_pointer (&self->loaded, g_hash_table_unref);
  if (fields)
    self->loaded = g_hash_table_ref (fields);
  me = pb_store_find_person (store, pb_store_get_actor (store), NULL);
  self->read_only = me == NULL || me->role == PB_ROLE_PARTNER;

  gtk_label_set_label (self->heading, item_id ? _("Item") : _("New Item"));
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), fields ? g_hash_table_lookup (fields, "title") : "");
  value = fields ? g_hash_table_lookup (fields, "body") : NULL;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), value ? value : "", -1);

  adw_combo_row_set_selected (self->tlp_row, fields && pb_tlp_from_string (g_hash_table_lookup (fields, "tlp"), &tlp) ? tlp + 1 : 0);
  select_string (self->reliability_row, fields ? g_hash_table_lookup (fields, "reliability") : NULL, 1,
                 grades_reliability, G_N_ELEMENTS (grades_reliability));
  select_string (self->credibility_row, fields ? g_hash_table_lookup (fields, "credibility") : NULL, 1,
                 grades_credibility, G_N_ELEMENTS (grades_credibility));
  adw_combo_row_set_selected (self->priority_row,
                              fields && pb_priority_from_string (g_hash_table_lookup (fields, "priority"), &priority)
                              ? priority : PB_PRIORITY_NORMAL);

  g_ptr_array_set_size (self->org_ids, 0);
  g_ptr_array_add (self->org_ids, NULL);
  gtk_string_list_append (org_names, _("None"));
  orgs = pb_store_list_organisations (store, NULL);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", org->name, org->short_code);

      if (org->kind == PB_ORG_PRIVATE_PARTNER)
        continue;
      g_ptr_array_add (self->org_ids, g_strdup (org->id));
      gtk_string_list_append (org_names, label);
    }
  adw_combo_row_set_model (self->lead_row, G_LIST_MODEL (org_names));
  adw_combo_row_set_selected (self->lead_row, 0);
  value = fields ? g_hash_table_lookup (fields, "lead_org") : NULL;
  for (guint i = 1; value && i < self->org_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->org_ids, i), value))
      adw_combo_row_set_selected (self->lead_row, i);

  gtk_editable_set_text (GTK_EDITABLE (self->due_row),
                         fields && g_hash_table_lookup (fields, "due_date") ? g_hash_table_lookup (fields, "due_date") : "");

  g_ptr_array_set_size (self->case_ids, 0);
  g_ptr_array_add (self->case_ids, NULL);
  gtk_string_list_append (case_names, _("None"));
  cases = pb_store_list_cases (store, NULL);
  value = fields ? g_hash_table_lookup (fields, "case_id") : NULL;
  for (guint i = 0; cases && i < cases->len; i++)
    {
      PbCase *c = g_ptr_array_index (cases, i);

      /* A closed case takes no new items; the item's own case stays listed. */
      if (c->closed && g_strcmp0 (c->id, value) != 0)
        continue;
      g_ptr_array_add (self->case_ids, g_strdup (c->id));
      gtk_string_list_append (case_names, c->title);
    }
  adw_combo_row_set_model (self->case_row, G_LIST_MODEL (case_names));
  adw_combo_row_set_selected (self->case_row, 0);
  for (guint i = 1; value && i < self->case_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->case_ids, i), value))
      adw_combo_row_set_selected (self->case_row, i);

  clear_identifier_rows (self);
  if (item_id)
    {
      g_autoptr(GPtrArray) idents = pb_store_list_identifiers (store, item_id, NULL);
      for (guint i = 0; idents && i < idents->len; i++)
        {
          PbIdentifierRow *r = g_ptr_array_index (idents, i);
          show_identifier (self, r->kind, r->value, r->known_invalid, r->id, NULL);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), "");

  /* Read-only for partners: the form shows, nothing can be changed. */
  {
    GtkWidget *editable[] = { GTK_WIDGET (self->title_row), GTK_WIDGET (self->body_view),
                              GTK_WIDGET (self->tlp_row), GTK_WIDGET (self->reliability_row),
                              GTK_WIDGET (self->credibility_row), GTK_WIDGET (self->priority_row),
                              GTK_WIDGET (self->lead_row), GTK_WIDGET (self->due_row),
                              GTK_WIDGET (self->case_row), GTK_WIDGET (self->kind_row),
                              GTK_WIDGET (self->value_row), GTK_WIDGET (self->validation_row) };
    for (guint i = 0; i < G_N_ELEMENTS (editable); i++)
      gtk_widget_set_sensitive (editable[i], !self->read_only);
  }

  fill_history (self);
  fill_links (self);
  gtk_stack_page_set_visible (gtk_stack_get_page (self->stack, gtk_stack_get_child_by_name (self->stack, "history")),
                              item_id != NULL);
  gtk_stack_set_visible_child_name (self->stack, "details");
  on_identifier_changed_cb (self);
  update_state (self);
  return TRUE;
}

static void
set_text_field (PbRecord   *record,
                const char *field,
                const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));

  if (*copy)
    pb_record_set_string (record, field, copy);
  else
    pb_record_set_null (record, field);
}

/**
 * pb_item_editor_save:
 *
 * Writes the item, the identifiers added and removed, as one act through the write path.
 */
void
pb_undo_write_free (PbUndoWrite *write)
{
  if (write == NULL)
    return;
  pb_record_free (write->record);
  g_free (write);
}

static void
add_undo (GPtrArray *undo,
          PbOp       op,
          PbRecord  *record)
{
  PbUndoWrite *write = g_new0 (PbUndoWrite, 1);

  write->op = op;
  write->record = record;
  g_ptr_array_add (undo, write);
}

/* The fields the editor writes, all text. */
static const char *editor_fields[] = {
  "title", "body", "tlp", "reliability", "credibility", "priority", "lead_org", "due_date", "case_id",
};

/* What puts an item back as it was before @item was written (the fields that changed,
 * the identifiers added and removed); computed before the save, from what was opened. */
static GPtrArray *
inverse_of_edit (PbItemEditor *self,
                 PbRecord     *item)
{
  GPtrArray *undo = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_undo_write_free);
  PbRecord *back = pb_record_new ("items", self->item_id);
  gboolean changed = FALSE;
  g_autoptr(GPtrArray) idents = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (editor_fields); i++)
    {
      const PbValue *v = pb_record_lookup (item, editor_fields[i]);
      const char *now = v && v->type == PB_VALUE_TEXT ? v->s : NULL;
      const char *before = self->loaded ? g_hash_table_lookup (self->loaded, editor_fields[i]) : NULL;

      if (v == NULL || g_strcmp0 (now, before) == 0)
        continue;
      if (before)
        pb_record_set_string (back, editor_fields[i], before);
      else
        pb_record_set_null (back, editor_fields[i]);
      changed = TRUE;
    }
  if (changed)
    add_undo (undo, PB_OP_UPDATE, back);
  else
    pb_record_free (back);

  /* Removed identifiers come back (as new rows: an id once deleted stays deleted). */
  idents = self->removed_identifiers->len ? pb_store_list_identifiers (self->store, self->item_id, NULL) : NULL;
  for (guint i = 0; idents && i < idents->len; i++)
    {
      PbIdentifierRow *row = g_ptr_array_index (idents, i);

      for (guint k = 0; k < self->removed_identifiers->len; k++)
        if (g_str_equal (row->id, g_ptr_array_index (self->removed_identifiers, k)))
          {
            PbRecord *r = pb_record_new ("identifiers", NULL);

            pb_record_set_string (r, "item", self->item_id);
            pb_record_set_string (r, "kind", row->kind);
            pb_record_set_string (r, "raw", row->value);
            pb_record_set_int (r, "known_invalid", row->known_invalid);
            add_undo (undo, PB_OP_INSERT, r);
          }
    }
  return undo;
}

/**
 * pb_item_editor_take_undo:
 *
 * Returns: (transfer full) (nullable) (element-type PbUndoWrite): the writes that undo
 *   the last save (for a new item: its deletion), or %NULL
 */
GPtrArray *
pb_item_editor_take_undo (PbItemEditor *self)
{
  return g_steal_pointer (&self->undo);
}

gboolean
pb_item_editor_save (PbItemEditor *self,
                     GError      **error)
{
  g_autoptr(PbRecord) item = NULL;
  g_autoptr(GArray) writes = g_array_new (FALSE, FALSE, sizeof (PbWrite));
  g_autoptr(GPtrArray) deletes = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  g_autoptr(GPtrArray) undo = NULL;
  g_autoptr(PbPerson) me = NULL;
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  guint i;
  PbWrite w;

  if (!gtk_widget_get_sensitive (self->save_button))
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, gtk_label_get_label (self->message));
      return FALSE;
    }

  item = pb_record_new ("items", self->item_id);
  if (self->item_id == NULL)
    {
      g_autofree char *id = pb_uuid_new ();

      me = pb_store_find_person (self->store, pb_store_get_actor (self->store), error);
      if (me == NULL)
        return FALSE;
      pb_record_set_id (item, id);
      pb_record_set_string (item, "source_org", me->org);
      pb_record_set_string (item, "author", me->id);
      pb_record_set_int (item, "reported_at", g_get_real_time () / G_USEC_PER_SEC);
    }

  set_text_field (item, "title", gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->body_view), &start, &end);
  body = gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->body_view), &start, &end, FALSE);
  set_text_field (item, "body", body);
  pb_record_set_string (item, "tlp", pb_tlp_to_string (adw_combo_row_get_selected (self->tlp_row) - 1));
  i = adw_combo_row_get_selected (self->reliability_row);
  if (i > 0)
    pb_record_set_string (item, "reliability", grades_reliability[i - 1]);
  else
    pb_record_set_null (item, "reliability");
  i = adw_combo_row_get_selected (self->credibility_row);
  if (i > 0)
    pb_record_set_string (item, "credibility", grades_credibility[i - 1]);
  else
    pb_record_set_null (item, "credibility");
  pb_record_set_string (item, "priority", pb_priority_to_string (adw_combo_row_get_selected (self->priority_row)));
  i = adw_combo_row_get_selected (self->lead_row);
  pb_record_set_string (item, "lead_org", i < self->org_ids->len ? g_ptr_array_index (self->org_ids, i) : NULL);
  set_text_field (item, "due_date", gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  i = adw_combo_row_get_selected (self->case_row);
  pb_record_set_string (item, "case_id", i < self->case_ids->len ? g_ptr_array_index (self->case_ids, i) : NULL);

  w = (PbWrite) { self->item_id ? PB_OP_UPDATE : PB_OP_INSERT, item };
  g_array_append_val (writes, w);
  for (i = 0; i < self->new_identifiers->len; i++)
    {
      PbRecord *r = g_ptr_array_index (self->new_identifiers, i);
      pb_record_set_string (r, "item", pb_record_get_id (item));
      w = (PbWrite) { PB_OP_INSERT, r };
      g_array_append_val (writes, w);
    }
  for (i = 0; i < self->removed_identifiers->len; i++)
    {
      PbRecord *r = pb_record_new ("identifiers", g_ptr_array_index (self->removed_identifiers, i));
      g_ptr_array_add (deletes, r);
      w = (PbWrite) { PB_OP_DELETE, r };
      g_array_append_val (writes, w);
    }

  undo = self->item_id ? inverse_of_edit (self, item) : g_ptr_array_new_with_free_func ((GDestroyNotify) pb_undo_write_free);

  pb_store_set_purpose (self->store, "item editor");
  if (!pb_store_write_many (self->store, (PbWrite *) writes->data, writes->len, error))
    {
      pb_store_set_purpose (self->store, NULL);
      return FALSE;
    }
  pb_store_set_purpose (self->store, NULL);

  /* Identifiers added now go again on undo; a new item goes with them. */
  for (i = 0; i < self->new_identifiers->len; i++)
    add_undo (undo, PB_OP_DELETE,
              pb_record_new ("identifiers", pb_record_get_id (g_ptr_array_index (self->new_identifiers, i))));
  if (self->item_id == NULL)
    add_undo (undo, PB_OP_DELETE, pb_record_new ("items", pb_record_get_id (item)));
  /* An update is the act's main row: it goes first. */
  if (undo->len > 1 && ((PbUndoWrite *) undo->pdata[0])->op != PB_OP_UPDATE)
    {
      for (i = 1; i < undo->len; i++)
        if (((PbUndoWrite *) undo->pdata[i])->op == PB_OP_UPDATE)
          {
            gpointer tmp = undo->pdata[0];
            undo->pdata[0] = undo->pdata[i];
            undo->pdata[i] = tmp;
          }
    }
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  self->undo = undo->len ? g_steal_pointer (&undo) : NULL;

  {
    g_autofree char *id = g_strdup (pb_record_get_id (item));
    gboolean was_new = self->item_id == NULL;

    g_signal_emit (self, signals[SIGNAL_SAVED], 0, id, was_new);
    /* Keep editing the saved item, with its identifiers and history as stored now. */
    pb_item_editor_edit (self, self->store, id, NULL);
  }
  return TRUE;
}

static void
on_save_clicked_cb (PbItemEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!pb_item_editor_save (self, &error))
    gtk_label_set_label (self->message, error->message);
}

static void
on_close_clicked_cb (PbItemEditor *self)
{
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
pb_item_editor_dispose (GObject *object)
{
  PbItemEditor *self = PB_ITEM_EDITOR (object);
  GtkWidget *child;

  g_clear_pointer (&self->identifier_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);
  g_clear_pointer (&self->case_ids, g_ptr_array_unref);
  g_clear_pointer (&self->loaded, g_hash_table_unref);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->new_identifiers, g_ptr_array_unref);
  g_clear_pointer (&self->removed_identifiers, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_item_editor_parent_class)->dispose (object);
}

static void
pb_item_editor_finalize (GObject *object)
{
  PbItemEditor *self = PB_ITEM_EDITOR (object);

  g_free (self->item_id);
  g_free (self->validation);

  G_OBJECT_CLASS (pb_item_editor_parent_class)->finalize (object);
}

static void
pb_item_editor_class_init (PbItemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_item_editor_dispose;
  object_class->finalize = pb_item_editor_finalize;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /* A linked item was activated: its id. */
  signals[SIGNAL_OPEN_ITEM] = g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, heading);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, tlp_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, reliability_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, credibility_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, priority_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, lead_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, due_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, case_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, identifiers_group);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, value_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, add_identifier_button);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, validation_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, known_invalid_check);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, message);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, history_list);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, link_button);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, link_popover);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, link_search);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, link_results);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, links_list);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, incidents_list);
  gtk_widget_class_bind_template_callback (widget_class, on_link_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_link_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_link_result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_linked_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_state);
  gtk_widget_class_bind_template_callback (widget_class, on_identifier_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_identifier_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked_cb);
}

static void
pb_item_editor_init (PbItemEditor *self)
{
  g_autoptr(GtkStringList) tlps = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) priorities = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->org_ids = g_ptr_array_new_with_free_func (g_free);
  self->case_ids = g_ptr_array_new_with_free_func (g_free);
  self->new_identifiers = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);
  self->removed_identifiers = g_ptr_array_new_with_free_func (g_free);
  self->identifier_rows = g_ptr_array_new ();

  gtk_string_list_append (tlps, _("Choose…"));
  for (guint i = 0; i < PB_N_TLP; i++)
    {
      g_autofree char *label = g_strconcat ("TLP:", pb_tlp_to_string (i), NULL);
      gtk_string_list_append (tlps, label);
    }
  adw_combo_row_set_model (self->tlp_row, G_LIST_MODEL (tlps));
  {
    g_autoptr(GtkStringList) rel = string_list ("—", grades_reliability, G_N_ELEMENTS (grades_reliability));
    g_autoptr(GtkStringList) cred = string_list ("—", grades_credibility, G_N_ELEMENTS (grades_credibility));
    adw_combo_row_set_model (self->reliability_row, G_LIST_MODEL (rel));
    adw_combo_row_set_model (self->credibility_row, G_LIST_MODEL (cred));
  }
  for (guint i = 0; i < PB_N_PRIORITIES; i++)
    gtk_string_list_append (priorities, pb_priority_label (i));
  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priorities));
  for (guint i = 0; i < PB_N_IDENTIFIER_KINDS; i++)
    gtk_string_list_append (kinds, pb_identifier_kind_label (i));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
}

const char *
pb_item_editor_get_item_id (PbItemEditor *self)
{
  return self->item_id;
}

void
pb_item_editor_set_title (PbItemEditor *self,
                          const char   *title)
{
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
}

void
pb_item_editor_set_tlp (PbItemEditor *self,
                        int           tlp)
{
  adw_combo_row_set_selected (self->tlp_row, tlp < 0 ? 0 : (guint) tlp + 1);
}

void
pb_item_editor_type_identifier (PbItemEditor     *self,
                                PbIdentifierKind  kind,
                                const char       *value,
                                gboolean          known_invalid)
{
  adw_combo_row_set_selected (self->kind_row, kind);
  gtk_check_button_set_active (self->known_invalid_check, known_invalid);
  gtk_editable_set_text (GTK_EDITABLE (self->value_row), value);
}

const char *
pb_item_editor_get_validation (PbItemEditor *self)
{
  return self->validation;
}

gboolean
pb_item_editor_can_save (PbItemEditor *self)
{
  return gtk_widget_get_sensitive (self->save_button);
}

guint
pb_item_editor_get_history_length (PbItemEditor *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->history_list)); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* Puts the keyboard in the title, where a report starts. */
void
pb_item_editor_focus (PbItemEditor *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}
