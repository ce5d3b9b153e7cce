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

#include <json-glib/json-glib.h>

#include "pb-item-editor.h"
#include "pb-sync.h"
#include "pb-util.h"

struct _PbItemEditor
{
  GtkWidget        parent_instance;

  PbStore         *store;
  char            *item_id;       /* NULL for a new item */
  gboolean         read_only;
  PbContext       *context;
  GPtrArray       *org_ids;       /* lead organisation choices, index 0 = none */
  GPtrArray       *case_ids;      /* case choices, index 0 = none */
  GPtrArray       *new_identifiers;   /* PbRecord, to insert on save */
  GPtrArray       *removed_identifiers; /* ids, to delete on save */
  GPtrArray       *identifier_rows;   /* rows shown for identifiers */
  char            *validation;
  PbGazetteer     *gazetteer;     /* the port's terminals */
  GStrv            terminal_names; /* terminal choices after "None" */
  GPtrArray       *mo_checks;     /* GtkCheckButton, "code" data */
  GPtrArray       *share_checks;  /* GtkCheckButton, "org" data */
  GPtrArray       *share_rows;    /* rows in share_row, to remove */
  GHashTable      *share_ids;     /* org id → sharing row id, as opened */
  PbUndo          *undo;          /* what undoes the last save */

  GPtrArray       *conflict_rows; /* rows in conflicts_group, to remove */

  /* Template widgets */
  AdwPreferencesGroup *conflicts_group;
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
  AdwEntryRow     *event_row;
  AdwEntryRow     *location_row;
  AdwComboRow     *terminal_row;
  AdwExpanderRow  *mo_row;
  AdwExpanderRow  *share_row;
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

/* "YYYY-MM-DD HH:MM" (UTC) → seconds; empty → 0 with *empty set. */
static gboolean
parse_event_time (const char *text,
                  gint64     *seconds,
                  gboolean   *empty)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  *empty = *stripped == '\0';
  if (*empty)
    return TRUE;
  if (strlen (stripped) != 16 || stripped[10] != ' ')
    return FALSE;
  iso = g_strdup_printf ("%.10sT%s:00Z", stripped, stripped + 11);
  if ((dt = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
    return FALSE;
  *seconds = g_date_time_to_unix (dt);
  return TRUE;
}

/* "51.2928, 4.2575" → latitude and longitude; empty → *empty set. */
static gboolean
parse_location (const char *text,
                double     *lat,
                double     *lon,
                gboolean   *empty)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  g_auto(GStrv) parts = NULL;
  char *end;

  *empty = *stripped == '\0';
  if (*empty)
    return TRUE;
  parts = g_strsplit (stripped, ",", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;
  g_strstrip (parts[0]);
  g_strstrip (parts[1]);
  *lat = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0' || *lat < -90 || *lat > 90)
    return FALSE;
  *lon = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0' && *lon >= -180 && *lon <= 180;
}

static void
update_state (PbItemEditor *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  gboolean has_title = *title != '\0';
  gboolean has_tlp = adw_combo_row_get_selected (self->tlp_row) > 0;
  gboolean due_ok = due_date_ok (gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  gint64 when;
  double lat, lon;
  gboolean empty;
  gboolean event_ok = parse_event_time (gtk_editable_get_text (GTK_EDITABLE (self->event_row)), &when, &empty);
  gboolean location_ok = parse_location (gtk_editable_get_text (GTK_EDITABLE (self->location_row)), &lat, &lon, &empty);
  const char *hint = NULL;

  if (self->read_only)
    hint = _("Partners have read-only access.");
  else if (!has_tlp)
    hint = _("Choose a handling code before saving.");
  else if (!has_title)
    hint = _("Give the item a title.");
  else if (!due_ok)
    hint = _("Write the due date as YYYY-MM-DD.");
  else if (!event_ok)
    hint = _("Write the event time as YYYY-MM-DD HH:MM.");
  else if (!location_ok)
    hint = _("Write the location as latitude, longitude in degrees, such as 51.2928, 4.2575.");

  gtk_label_set_label (self->message, hint ? hint : "");
  gtk_widget_set_sensitive (self->save_button, self->store && hint == NULL);
}

/* A location on a terminal names the terminal, when none is chosen yet. */
static void
on_location_changed_cb (PbItemEditor *self)
{
  double lat, lon;
  gboolean empty;

  if (self->gazetteer && adw_combo_row_get_selected (self->terminal_row) == 0
      && parse_location (gtk_editable_get_text (GTK_EDITABLE (self->location_row)), &lat, &lon, &empty) && !empty)
    {
      const PbPlace *terminal = pb_gazetteer_terminal_at (self->gazetteer, lat, lon);

      for (guint i = 0; terminal && self->terminal_names && self->terminal_names[i]; i++)
        if (g_str_equal (self->terminal_names[i], terminal->name))
          adw_combo_row_set_selected (self->terminal_row, i + 1);
    }
  update_state (self);
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
static GtkCheckButton *
add_check_row (AdwExpanderRow *expander,
               const char     *title,
               const char     *subtitle,
               GPtrArray      *rows)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_add_prefix (row, check);
  adw_action_row_set_activatable_widget (row, check);
  adw_expander_row_add_row (expander, GTK_WIDGET (row));
  if (rows)
    g_ptr_array_add (rows, row);
  return GTK_CHECK_BUTTON (check);
}

/* Event time, location, terminal, modus operandi and sharing, as opened. */
static void
fill_place (PbItemEditor *self,
            GHashTable   *fields,
            PbPerson     *me,
            GPtrArray    *orgs)
{
  const char *value;
  g_autoptr(GtkStringList) terminals = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) chosen_mo = NULL;
  const char *port_area = fields ? g_hash_table_lookup (fields, "port_area") : NULL;
  gboolean listed = FALSE;

  value = fields ? g_hash_table_lookup (fields, "event_time") : NULL;
  if (value)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (g_ascii_strtoll (value, NULL, 10));
      g_autofree char *text = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
      gtk_editable_set_text (GTK_EDITABLE (self->event_row), text ? text : "");
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->event_row), "");

  /* The terminals of the gazetteer, and the item's own port area if it is another. */
  gtk_string_list_append (terminals, _("None"));
  for (guint i = 0; self->gazetteer && i < pb_gazetteer_get_n_places (self->gazetteer); i++)
    {
      const PbPlace *place = pb_gazetteer_get_place (self->gazetteer, i);

      if (place->kind != PB_PLACE_TERMINAL)
        continue;
      g_strv_builder_add (names, place->name);
      gtk_string_list_append (terminals, place->name);
      listed = listed || g_strcmp0 (place->name, port_area) == 0;
    }
  if (port_area && *port_area && !listed)
    {
      g_strv_builder_add (names, port_area);
      gtk_string_list_append (terminals, port_area);
    }
  g_clear_pointer (&self->terminal_names, g_strfreev);
  self->terminal_names = g_strv_builder_end (names);
  adw_combo_row_set_model (self->terminal_row, G_LIST_MODEL (terminals));
  adw_combo_row_set_selected (self->terminal_row, 0);
  for (guint i = 0; port_area && self->terminal_names[i]; i++)
    if (g_str_equal (self->terminal_names[i], port_area))
      adw_combo_row_set_selected (self->terminal_row, i + 1);

  value = fields ? g_hash_table_lookup (fields, "lat") : NULL;
  if (value && fields && g_hash_table_lookup (fields, "lon"))
    {
      g_autofree char *text = g_strdup_printf ("%s, %s", value, (char *) g_hash_table_lookup (fields, "lon"));
      gtk_editable_set_text (GTK_EDITABLE (self->location_row), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->location_row), "");

  value = fields ? g_hash_table_lookup (fields, "modus_operandi") : NULL;
  chosen_mo = value ? g_strsplit (value, ",", -1) : NULL;
  for (guint i = 0; i < self->mo_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->mo_checks, i);
      gtk_check_button_set_active (check, chosen_mo && g_strv_contains ((const char * const *) chosen_mo,
                                                                        g_object_get_data (G_OBJECT (check), "code")));
    }

  /* Sharing: every other organisation, ticked where the item is shared with it. */
  for (guint i = 0; i < self->share_rows->len; i++)
    adw_expander_row_remove (self->share_row, g_ptr_array_index (self->share_rows, i));
  g_ptr_array_set_size (self->share_rows, 0);
  g_ptr_array_set_size (self->share_checks, 0);
  g_clear_pointer (&self->share_ids, g_hash_table_unref);
  self->share_ids = self->item_id ? pb_store_list_item_shares (self->store, self->item_id, NULL) : NULL;
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_autofree char *title = NULL;
      GtkCheckButton *check;

      /* Not with the organisation the item comes from: it is its own. */
      if (g_strcmp0 (org->id, fields ? g_hash_table_lookup (fields, "source_org") : me ? me->org : NULL) == 0)
        continue;
      title = g_strdup_printf ("%s (%s)", org->name, org->short_code);
      check = add_check_row (self->share_row, title,
                             org->kind == PB_ORG_PRIVATE_PARTNER ? _("Private partner") : NULL, self->share_rows);
      g_object_set_data_full (G_OBJECT (check), "org", g_strdup (org->id), g_free);
      gtk_check_button_set_active (check, self->share_ids && g_hash_table_contains (self->share_ids, org->id));
      g_ptr_array_add (self->share_checks, check);
    }
}

/* Concurrent edits that lost: each shown with who wrote it and when, to take or let go. */
static void
on_conflict_choice_cb (GtkButton    *button,
                       PbItemEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "conflict");
  gboolean take = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "take"));
  g_autoptr(GError) error = NULL;

  if (!pb_sync_resolve_conflict (self->store, id, take, &error))
    {
      g_warning ("Cannot settle the conflict: %s", error->message);
      return;
    }
  if (self->item_id)
    {
      g_autofree char *item = g_strdup (self->item_id);
      pb_item_editor_edit (self, self->store, item, NULL);
      /* The board follows the store; taking the other version is a save to undo. */
      if (take)
        g_signal_emit (self, signals[SIGNAL_SAVED], 0, item, FALSE);
    }
}

void
pb_item_editor_refresh_conflicts (PbItemEditor *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;

  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_preferences_group_remove (self->conflicts_group, self->conflict_rows->pdata[i]);
  g_ptr_array_set_size (self->conflict_rows, 0);
  if (self->store && self->item_id)
    conflicts = pb_sync_list_conflicts (self->store, self->item_id, NULL);
  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      PbConflict *c = conflicts->pdata[i];
      g_autoptr(PbPerson) who = pb_store_find_person (self->store, c->losing_author, NULL);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (c->losing_at / 1000);
      g_autofree char *at = when ? g_date_time_format (when, "%x %H:%M") : g_strdup ("");
      g_autoptr(JsonNode) node = json_from_string (c->losing_value, NULL);
      const char *text = node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : c->losing_value;
      g_autofree char *title = g_strdup_printf (_("%s, by %s at %s"), field_label (c->field),
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
      for (guint k = 0; k < 2; k++)
        {
          GtkWidget *button = k ? drop : take;

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_sensitive (button, !self->read_only);
          g_object_set_data_full (G_OBJECT (button), "conflict", g_strdup (c->id), g_free);
          g_object_set_data (G_OBJECT (button), "take", GINT_TO_POINTER (k == 0));
          g_signal_connect (button, "clicked", G_CALLBACK (on_conflict_choice_cb), self);
          gtk_box_append (GTK_BOX (choices), button);
        }
      gtk_widget_add_css_class (take, "suggested-action");
      adw_preferences_group_add (self->conflicts_group, row);
      g_ptr_array_add (self->conflict_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), self->conflict_rows->len > 0);
}

gboolean
pb_item_editor_edit (PbItemEditor *self,
                     PbStore      *store,
                     const char   *item_id,
                     GError      **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(PbPerson) me = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GPtrArray) cases = NULL;
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
  self->read_only = self->context == NULL || !pb_context_get_can_write (self->context);
  me = pb_store_find_person (store, pb_store_get_actor (store), NULL);

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

  fill_place (self, fields, me, orgs);

  /* Read-only for partners: the form shows, nothing can be changed. */
  {
    GtkWidget *editable[] = { GTK_WIDGET (self->title_row), GTK_WIDGET (self->body_view),
                              GTK_WIDGET (self->tlp_row), GTK_WIDGET (self->reliability_row),
                              GTK_WIDGET (self->credibility_row), GTK_WIDGET (self->priority_row),
                              GTK_WIDGET (self->lead_row), GTK_WIDGET (self->due_row),
                              GTK_WIDGET (self->case_row), GTK_WIDGET (self->kind_row),
                              GTK_WIDGET (self->value_row), GTK_WIDGET (self->validation_row),
                              GTK_WIDGET (self->event_row), GTK_WIDGET (self->location_row),
                              GTK_WIDGET (self->terminal_row), GTK_WIDGET (self->mo_row),
                              GTK_WIDGET (self->share_row) };
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
  pb_item_editor_refresh_conflicts (self);
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
 * pb_item_editor_take_undo:
 *
 * Returns: (transfer full) (nullable): what undoes the last save (for a new item: its
 *   removal), or %NULL
 */
PbUndo *
pb_item_editor_take_undo (PbItemEditor *self)
{
  return g_steal_pointer (&self->undo);
}

/* The form's fields, as the item's. */
static void
collect_fields (PbItemEditor *self,
                PbRecord     *item)
{
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  guint i;
  gint64 when = 0;
  double lat = 0, lon = 0;
  gboolean empty;
  g_autoptr(GString) mo = g_string_new (NULL);

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

  if (parse_event_time (gtk_editable_get_text (GTK_EDITABLE (self->event_row)), &when, &empty) && !empty)
    pb_record_set_int (item, "event_time", when);
  else
    pb_record_set_null (item, "event_time");
  if (parse_location (gtk_editable_get_text (GTK_EDITABLE (self->location_row)), &lat, &lon, &empty) && !empty)
    {
      pb_record_set_double (item, "lat", lat);
      pb_record_set_double (item, "lon", lon);
    }
  else
    {
      pb_record_set_null (item, "lat");
      pb_record_set_null (item, "lon");
    }
  i = adw_combo_row_get_selected (self->terminal_row);
  if (i > 0 && self->terminal_names && i <= g_strv_length (self->terminal_names))
    pb_record_set_string (item, "port_area", self->terminal_names[i - 1]);
  else
    pb_record_set_null (item, "port_area");
  for (i = 0; i < self->mo_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->mo_checks, i)))
      g_string_append_printf (mo, "%s%s", mo->len ? "," : "",
                              (char *) g_object_get_data (G_OBJECT (g_ptr_array_index (self->mo_checks, i)), "code"));
  if (mo->len)
    pb_record_set_string (item, "modus_operandi", mo->str);
  else
    pb_record_set_null (item, "modus_operandi");
}

/**
 * pb_item_editor_save:
 *
 * Saves what the form holds (the item, the identifiers added and removed, the sharing) as
 * one act of the store, which says what undoes it.
 */
gboolean
pb_item_editor_save (PbItemEditor *self,
                     GError      **error)
{
  g_autoptr(PbItemEdit) edit = NULL;
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *id = NULL;
  gboolean was_new = self->item_id == NULL;
  gboolean ok;

  if (!gtk_widget_get_sensitive (self->save_button))
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, gtk_label_get_label (self->message));
      return FALSE;
    }

  edit = pb_item_edit_new (self->item_id);
  collect_fields (self, pb_item_edit_get_fields (edit));
  for (guint i = 0; i < self->new_identifiers->len; i++)
    {
      PbRecord *r = g_ptr_array_index (self->new_identifiers, i);
      const PbValue *known_invalid = pb_record_lookup (r, "known_invalid");

      pb_item_edit_add_identifier (edit, pb_record_lookup (r, "kind")->s, pb_record_lookup (r, "raw")->s,
                                   known_invalid && known_invalid->i);
    }
  for (guint i = 0; i < self->removed_identifiers->len; i++)
    pb_item_edit_remove_identifier (edit, g_ptr_array_index (self->removed_identifiers, i));
  /* Sharing: what was ticked or unticked since the item was opened. */
  for (guint i = 0; i < self->share_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->share_checks, i);
      const char *org = g_object_get_data (G_OBJECT (check), "org");
      gboolean was = self->share_ids && g_hash_table_contains (self->share_ids, org);

      if (gtk_check_button_get_active (check) != was)
        pb_item_edit_set_shared (edit, org, !was);
    }

  pb_store_set_purpose (self->store, "item editor");
  ok = pb_store_save_item (self->store, edit, &id, &undo, error);
  pb_store_set_purpose (self->store, NULL);
  if (!ok)
    return FALSE;

  g_clear_pointer (&self->undo, pb_undo_free);
  self->undo = g_steal_pointer (&undo);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id, was_new);
  /* Keep editing the saved item, with its identifiers and history as stored now. */
  pb_item_editor_edit (self, self->store, id, NULL);
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
  g_clear_object (&self->context);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);
  g_clear_pointer (&self->case_ids, g_ptr_array_unref);
  g_clear_pointer (&self->undo, pb_undo_free);
  g_clear_pointer (&self->gazetteer, pb_gazetteer_free);
  g_clear_pointer (&self->terminal_names, g_strfreev);
  g_clear_pointer (&self->mo_checks, g_ptr_array_unref);
  g_clear_pointer (&self->share_checks, g_ptr_array_unref);
  g_clear_pointer (&self->share_rows, g_ptr_array_unref);
  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  g_clear_pointer (&self->share_ids, g_hash_table_unref);
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
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, conflicts_group);
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
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, event_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, location_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, terminal_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, mo_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, share_row);
  gtk_widget_class_bind_template_callback (widget_class, on_location_changed_cb);
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
  self->mo_checks = g_ptr_array_new ();
  self->share_checks = g_ptr_array_new ();
  self->share_rows = g_ptr_array_new ();
  self->conflict_rows = g_ptr_array_new ();
  self->gazetteer = pb_gazetteer_load_default (NULL);
  {
    guint n_mo;
    const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);

    for (guint i = 0; i < n_mo; i++)
      {
        GtkCheckButton *check = add_check_row (self->mo_row, _(list[i].name), _(list[i].group), NULL);
        g_object_set_data (G_OBJECT (check), "code", (gpointer) list[i].code);
        g_ptr_array_add (self->mo_checks, check);
      }
  }
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

/**
 * pb_item_editor_set_location:
 *
 * Puts a location in the form (as typed: the terminal is found from it).
 */
void
pb_item_editor_set_location (PbItemEditor *self,
                             double        lat,
                             double        lon)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = g_strdup_printf ("%s, %s", g_ascii_formatd (a, sizeof a, "%.5f", lat),
                                           g_ascii_formatd (b, sizeof b, "%.5f", lon));

  gtk_editable_set_text (GTK_EDITABLE (self->location_row), text);
}

const char *
pb_item_editor_get_terminal (PbItemEditor *self)
{
  guint i = adw_combo_row_get_selected (self->terminal_row);

  if (i == 0 || self->terminal_names == NULL || i > g_strv_length (self->terminal_names))
    return NULL;
  return self->terminal_names[i - 1];
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

/**
 * pb_item_editor_set_context:
 *
 * Who edits: the editor is read-only for those who may not write (partners).
 */
void
pb_item_editor_set_context (PbItemEditor *self,
                            PbContext    *context)
{
  g_return_if_fail (PB_IS_ITEM_EDITOR (self));

  g_set_object (&self->context, context);
}
