/* pb-item-editor-place.c: where and when, how, and with whom an item is shared
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The event time, the location (a location on a terminal names the terminal, when none is
 * chosen yet), the terminal, the modus operandi from the controlled list, and the other
 * organisations the item is shared with by name. A share is saved as what was ticked or
 * unticked since the item was opened. "changed" says that what decides whether the item
 * can be saved changed.
 */

#define G_LOG_DOMAIN "pb-item-editor-place"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pb-gazetteer.h"
#include "pb-item-editor-place.h"

struct _PbItemEditorPlace
{
  GtkWidget       parent_instance;

  PbGazetteer    *gazetteer;      /* the port's terminals */
  GStrv           terminal_names; /* terminal choices after "None" */
  GPtrArray      *mo_checks;      /* GtkCheckButton, one per modus operandi, in the list's order */
  GPtrArray      *share_checks;   /* GtkCheckButton, one per organisation of share_orgs */
  GPtrArray      *share_orgs;     /* organisation ids, as the checks */
  GPtrArray      *share_rows;     /* rows in share_row, to remove */
  GHashTable     *shared_before;  /* organisation ids the item was shared with, as opened */
  gboolean        may_share;      /* the rulebook lets the person share it */

  /* Template widgets */
  AdwEntryRow    *event_row;
  AdwEntryRow    *location_row;
  AdwComboRow    *terminal_row;
  AdwExpanderRow *mo_row;
  AdwExpanderRow *share_row;
};

G_DEFINE_FINAL_TYPE (PbItemEditorPlace, pb_item_editor_place, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* A row with a check box in an expander row; its title is plain text. */
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

static void
on_changed_cb (PbItemEditorPlace *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* A location on a terminal names the terminal, when none is chosen yet. */
static void
on_location_changed_cb (PbItemEditorPlace *self)
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
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
pb_item_editor_place_dispose (GObject *object)
{
  PbItemEditorPlace *self = PB_ITEM_EDITOR_PLACE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_PLACE);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->gazetteer, pb_gazetteer_free);
  g_clear_pointer (&self->terminal_names, g_strfreev);
  g_clear_pointer (&self->mo_checks, g_ptr_array_unref);
  g_clear_pointer (&self->share_checks, g_ptr_array_unref);
  g_clear_pointer (&self->share_orgs, g_ptr_array_unref);
  g_clear_pointer (&self->share_rows, g_ptr_array_unref);
  g_clear_pointer (&self->shared_before, g_hash_table_unref);

  G_OBJECT_CLASS (pb_item_editor_place_parent_class)->dispose (object);
}

static void
pb_item_editor_place_class_init (PbItemEditorPlaceClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_place_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-place.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorPlace, event_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorPlace, location_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorPlace, terminal_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorPlace, mo_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorPlace, share_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_location_changed_cb);
}

static void
pb_item_editor_place_init (PbItemEditorPlace *self)
{
  guint n_mo;
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->gazetteer = pb_gazetteer_load_default (NULL);
  self->mo_checks = g_ptr_array_new ();
  self->share_checks = g_ptr_array_new ();
  self->share_orgs = g_ptr_array_new_with_free_func (g_free);
  self->share_rows = g_ptr_array_new ();
  for (guint i = 0; i < n_mo; i++)
    g_ptr_array_add (self->mo_checks, add_check_row (self->mo_row, _(list[i].name), _(list[i].group), NULL));
}

/* The terminals of the gazetteer, and the item's own port area if it is another. */
static void
load_terminals (PbItemEditorPlace *self,
                const char        *port_area)
{
  g_autoptr(GtkStringList) terminals = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  gboolean listed = FALSE;

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
}

/* Every organisation but the item's own, ticked where the item is shared with it. */
static void
load_shares (PbItemEditorPlace *self,
             PbStore           *store,
             const char        *item_id,
             GPtrArray         *orgs,
             const char        *own_org)
{
  g_autoptr(GHashTable) shares = item_id ? pb_store_list_item_shares (store, item_id, NULL) : NULL;

  for (guint i = 0; i < self->share_rows->len; i++)
    adw_expander_row_remove (self->share_row, g_ptr_array_index (self->share_rows, i));
  g_ptr_array_set_size (self->share_rows, 0);
  g_ptr_array_set_size (self->share_checks, 0);
  g_ptr_array_set_size (self->share_orgs, 0);
  g_clear_pointer (&self->shared_before, g_hash_table_unref);
  self->shared_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_autofree char *title = NULL;
      gboolean shared = shares && g_hash_table_contains (shares, org->id);
      GtkCheckButton *check;

      /* Not with the organisation the item comes from: it is its own. */
      if (g_strcmp0 (org->id, own_org) == 0)
        continue;
      title = g_strdup_printf ("%s (%s)", org->name, org->short_code);
      check = add_check_row (self->share_row, title,
                             org->kind == PB_ORG_PRIVATE_PARTNER ? _("Private partner") : NULL, self->share_rows);
      gtk_check_button_set_active (check, shared);
      g_ptr_array_add (self->share_checks, check);
      g_ptr_array_add (self->share_orgs, g_strdup (org->id));
      if (shared)
        g_hash_table_add (self->shared_before, g_strdup (org->id));
    }
}

/**
 * pb_item_editor_place_load:
 * @item_id: (nullable): the item, or %NULL for a new one
 * @fields: (nullable): the item's fields as pb_store_open_item() reads them
 * @orgs: (element-type PbOrganisation): every organisation
 *
 * Fills the place, time, modus operandi and sharing as the item has them.
 */
void
pb_item_editor_place_load (PbItemEditorPlace *self,
                           PbStore           *store,
                           const char        *item_id,
                           GHashTable        *fields,
                           GPtrArray         *orgs)
{
  const char *value;
  g_auto(GStrv) chosen_mo = NULL;
  guint n_mo;
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);
  const PbActor *me = pb_store_get_me (store);

#define FIELD(name) (fields ? (const char *) g_hash_table_lookup (fields, (name)) : NULL)
  value = FIELD ("event_time");
  if (value)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (g_ascii_strtoll (value, NULL, 10));
      g_autofree char *text = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : NULL;
      gtk_editable_set_text (GTK_EDITABLE (self->event_row), text ? text : "");
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->event_row), "");

  load_terminals (self, FIELD ("port_area"));

  if (FIELD ("lat") && FIELD ("lon"))
    {
      g_autofree char *text = g_strdup_printf ("%s, %s", FIELD ("lat"), FIELD ("lon"));
      gtk_editable_set_text (GTK_EDITABLE (self->location_row), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->location_row), "");

  value = FIELD ("modus_operandi");
  chosen_mo = value ? g_strsplit (value, ",", -1) : NULL;
  for (guint i = 0; i < self->mo_checks->len && i < n_mo; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->mo_checks, i),
                                 chosen_mo && g_strv_contains ((const char * const *) chosen_mo, list[i].code));

  load_shares (self, store, item_id, orgs, fields ? FIELD ("source_org") : me ? me->org : NULL);

  /* Sharing by name is the decision of the organisation the item comes from. */
  if (item_id && self->share_orgs->len > 0)
    {
      g_autoptr(PbRecord) share = pb_record_new ("item_shares", NULL);

      pb_record_set_string (share, "item", item_id);
      pb_record_set_string (share, "org", self->share_orgs->pdata[0]);
      self->may_share = pb_store_may_write (store, PB_OP_INSERT, share);
    }
  else
    self->may_share = TRUE;
  adw_expander_row_set_subtitle (self->share_row,
                                 self->may_share
                                 ? _("Organisations that see this item besides what its handling code allows")
                                 : _("Shared by the organisation the item comes from: ask it under Requests"));
#undef FIELD
}

/* Read-only for partners: shown, not changed. */
void
pb_item_editor_place_set_read_only (PbItemEditorPlace *self,
                                    gboolean           read_only)
{
  GtkWidget *editable[] = { GTK_WIDGET (self->event_row), GTK_WIDGET (self->location_row),
                            GTK_WIDGET (self->terminal_row), GTK_WIDGET (self->mo_row),
                            GTK_WIDGET (self->share_row) };

  for (guint i = 0; i < G_N_ELEMENTS (editable); i++)
    gtk_widget_set_sensitive (editable[i], !read_only);
  /* Who it is shared with is still shown: only the choice is not theirs. */
  for (guint i = 0; i < self->share_checks->len; i++)
    gtk_widget_set_sensitive (self->share_checks->pdata[i], !read_only && self->may_share);
}

/**
 * pb_item_editor_place_get_problem:
 *
 * Returns: (nullable): what keeps the item from being saved, as a hint, or %NULL
 */
const char *
pb_item_editor_place_get_problem (PbItemEditorPlace *self)
{
  gint64 when;
  double lat, lon;
  gboolean empty;

  if (!parse_event_time (gtk_editable_get_text (GTK_EDITABLE (self->event_row)), &when, &empty))
    return _("Write the event time as YYYY-MM-DD HH:MM.");
  if (!parse_location (gtk_editable_get_text (GTK_EDITABLE (self->location_row)), &lat, &lon, &empty))
    return _("Write the location as latitude, longitude in degrees, such as 51.2928, 4.2575.");
  return NULL;
}

/* Puts the place, time and modus operandi in the edit's fields, and what was ticked or
 * unticked for sharing since the item was opened. */
void
pb_item_editor_place_collect (PbItemEditorPlace *self,
                              PbItemEdit        *edit)
{
  PbRecord *item = pb_item_edit_get_fields (edit);
  gint64 when = 0;
  double lat = 0, lon = 0;
  gboolean empty;
  guint n_mo;
  const PbModusOperandi *list = pb_modus_operandi_list (&n_mo);
  g_autoptr(GString) mo = g_string_new (NULL);

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
  pb_record_set_string (item, "port_area", pb_item_editor_place_get_terminal (self));
  for (guint i = 0; i < self->mo_checks->len && i < n_mo; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->mo_checks, i)))
      g_string_append_printf (mo, "%s%s", mo->len ? "," : "", list[i].code);
  pb_record_set_string (item, "modus_operandi", mo->len ? mo->str : NULL);

  for (guint i = 0; i < self->share_checks->len; i++)
    {
      const char *org = g_ptr_array_index (self->share_orgs, i);
      gboolean shared = gtk_check_button_get_active (g_ptr_array_index (self->share_checks, i));

      if (shared != g_hash_table_contains (self->shared_before, org))
        pb_item_edit_set_shared (edit, org, shared);
    }
}

/* Puts a location in the form, as if typed: the terminal is found from it. */
void
pb_item_editor_place_set_location (PbItemEditorPlace *self,
                                   double             lat,
                                   double             lon)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = g_strdup_printf ("%s, %s", g_ascii_formatd (a, sizeof a, "%.5f", lat),
                                           g_ascii_formatd (b, sizeof b, "%.5f", lon));

  gtk_editable_set_text (GTK_EDITABLE (self->location_row), text);
}

/**
 * pb_item_editor_place_get_terminal:
 *
 * Returns: (nullable): the terminal chosen, or %NULL for none
 */
const char *
pb_item_editor_place_get_terminal (PbItemEditorPlace *self)
{
  guint i = adw_combo_row_get_selected (self->terminal_row);

  if (i == 0 || self->terminal_names == NULL || i > g_strv_length (self->terminal_names))
    return NULL;
  return self->terminal_names[i - 1];
}
