/* pb-item-details.c: every field of one item, read-only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opened through pb_store_open_item(), which records the consultation in the access log.
 */

#define G_LOG_DOMAIN "pb-item-details"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-identifier.h"
#include "pb-item-details.h"

#include <string.h>

struct _PbItemDetails
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *report_group;
  AdwPreferencesGroup  *triage_group;
  AdwPreferencesGroup  *handling_group;
  AdwPreferencesGroup  *identifiers_group;
  GtkLabel             *body;
};

G_DEFINE_FINAL_TYPE (PbItemDetails, pb_item_details, ADW_TYPE_WINDOW)

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
}

static char *
format_time (const char *unix_seconds)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_seconds == NULL)
    return NULL;
  utc = g_date_time_new_from_unix_utc (g_ascii_strtoll (unix_seconds, NULL, 10));
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
org_name (PbStore    *store,
          const char *id)
{
  g_autoptr(PbOrganisation) org = id ? pb_store_find_organisation (store, id, NULL) : NULL;

  return org ? g_strdup_printf ("%s (%s)", org->name, org->short_code) : NULL;
}

static void
pb_item_details_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PB_TYPE_ITEM_DETAILS);
  G_OBJECT_CLASS (pb_item_details_parent_class)->dispose (object);
}

static void
pb_item_details_class_init (PbItemDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, window_title);
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, report_group);
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, triage_group);
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, handling_group);
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, identifiers_group);
  gtk_widget_class_bind_template_child (widget_class, PbItemDetails, body);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pb_item_details_init (PbItemDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pb_item_details_new (GtkWindow  *parent,
                     PbStore    *store,
                     GHashTable *fields)
{
  PbItemDetails *self = g_object_new (PB_TYPE_ITEM_DETAILS, "transient-for", parent, NULL);
  const char *value;
  g_autofree char *source = org_name (store, g_hash_table_lookup (fields, "source_org"));
  g_autofree char *lead = org_name (store, g_hash_table_lookup (fields, "lead_org"));
  g_autofree char *reported = format_time (g_hash_table_lookup (fields, "reported_at"));
  g_autofree char *event = format_time (g_hash_table_lookup (fields, "event_time"));
  g_autofree char *grading = NULL;
  g_autofree char *location = NULL;
  g_autofree char *status_label = NULL;
  g_autofree char *mo = NULL;
  g_autoptr(PbPerson) author = NULL;
  PbStatus status;
  PbPriority priority;

  adw_window_title_set_title (self->window_title, g_hash_table_lookup (fields, "title"));
  adw_window_title_set_subtitle (self->window_title, source);
  value = g_hash_table_lookup (fields, "body");
  gtk_label_set_label (self->body, value ? value : "");

  if ((value = g_hash_table_lookup (fields, "author")))
    author = pb_store_find_person (store, value, NULL);

  add_row (self->report_group, _("Source organisation"), source);
  add_row (self->report_group, _("Author"), author ? author->name : NULL);
  add_row (self->report_group, _("Reported"), reported);
  add_row (self->report_group, _("Event time"), event);
  if ((value = g_hash_table_lookup (fields, "port_area")))
    {
      const char *lat = g_hash_table_lookup (fields, "lat");
      const char *lon = g_hash_table_lookup (fields, "lon");
      location = lat && lon ? g_strdup_printf ("%s (%.5s, %.5s)", value, lat, lon) : g_strdup (value);
    }
  add_row (self->report_group, _("Location"), location);

  if (pb_status_from_string (g_hash_table_lookup (fields, "status"), &status))
    status_label = g_strdup (pb_status_label (status));
  add_row (self->triage_group, _("Column"), status_label);
  if (pb_priority_from_string (g_hash_table_lookup (fields, "priority"), &priority))
    add_row (self->triage_group, _("Priority"), pb_priority_label (priority));
  add_row (self->triage_group, _("Lead organisation"), lead);
  add_row (self->triage_group, _("Due date"), g_hash_table_lookup (fields, "due_date"));
  add_row (self->triage_group, _("Closing reason"), g_hash_table_lookup (fields, "closing_reason"));

  if ((value = g_hash_table_lookup (fields, "modus_operandi")))
    {
      g_auto(GStrv) codes = g_strsplit (value, ",", -1);
      GString *s = g_string_new (NULL);
      for (guint i = 0; codes[i]; i++)
        {
          const PbModusOperandi *m = pb_modus_operandi_lookup (codes[i]);
          g_string_append_printf (s, "%s%s", s->len ? ", " : "", m ? _(m->name) : codes[i]);
        }
      mo = g_string_free (s, FALSE);
    }
  add_row (self->triage_group, _("Modus operandi"), mo);

  {
    g_autofree char *tlp = g_strconcat ("TLP:", (char *) g_hash_table_lookup (fields, "tlp"), NULL);
    add_row (self->handling_group, _("Handling code"), tlp);
  }
  add_row (self->handling_group, _("Shared with"), g_hash_table_lookup (fields, "shared_with"));
  if (g_hash_table_lookup (fields, "reliability") && g_hash_table_lookup (fields, "credibility"))
    grading = g_strconcat (g_hash_table_lookup (fields, "reliability"),
                           g_hash_table_lookup (fields, "credibility"), NULL);
  add_row (self->handling_group, _("Grading"), grading);

  if ((value = g_hash_table_lookup (fields, "identifiers")) && *value)
    {
      g_auto(GStrv) lines = g_strsplit (value, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          char *colon = strchr (lines[i], ':');
          PbIdentifierKind kind;

          if (colon == NULL)
            continue;
          *colon = '\0';
          add_row (self->identifiers_group,
                   pb_identifier_kind_from_string (lines[i], &kind) ? pb_identifier_kind_label (kind)
                                                                    : lines[i],
                   colon + 1);
        }
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->identifiers_group), FALSE);

  return GTK_WIDGET (self);
}
