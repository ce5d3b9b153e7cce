/* pb-incident-dialog.c: a new incident at a place of the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kind, handling code, amount and a description of what happened at the place chosen on
 * the map (its terminal, when the gazetteer knows one, named in the text). The handling
 * code comes first, as for a report: the incident can be recorded once there is one and
 * the weight, when given, is a number of kilograms. The page that opened the dialog writes
 * the incident when it answers "create".
 */

#define G_LOG_DOMAIN "pb-incident-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-incident-dialog.h"
#include "pb-vocab.h"

struct _PbIncidentDialog
{
  AdwMessageDialog  parent_instance;

  double            lat;
  double            lon;
  char             *terminal;

  /* Template widgets */
  GtkDropDown      *kind_choice;
  GtkDropDown      *tlp_choice;
  GtkEntry         *kg_entry;
  GtkEntry         *description_entry;
};

G_DEFINE_FINAL_TYPE (PbIncidentDialog, pb_incident_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The weight typed, or FALSE when it is not a number of kilograms (empty is none). */
static gboolean
read_kg (PbIncidentDialog *self,
         double           *kg,
         gboolean         *given)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->kg_entry));
  char *end = NULL;

  *given = *text != '\0';
  *kg = *given ? g_ascii_strtod (text, &end) : 0;
  return !*given || (end && *end == '\0' && *kg >= 0);
}

static void
on_form_changed_cb (PbIncidentDialog *self)
{
  double kg;
  gboolean given;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "create",
                                           gtk_drop_down_get_selected (self->tlp_choice) > 0
                                           && read_kg (self, &kg, &given));
}

static void
pb_incident_dialog_dispose (GObject *object)
{
  PbIncidentDialog *self = PB_INCIDENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_INCIDENT_DIALOG);
  g_clear_pointer (&self->terminal, g_free);

  G_OBJECT_CLASS (pb_incident_dialog_parent_class)->dispose (object);
}

static void
pb_incident_dialog_class_init (PbIncidentDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_incident_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/map/pb-incident-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbIncidentDialog, kind_choice);
  gtk_widget_class_bind_template_child (widget_class, PbIncidentDialog, tlp_choice);
  gtk_widget_class_bind_template_child (widget_class, PbIncidentDialog, kg_entry);
  gtk_widget_class_bind_template_child (widget_class, PbIncidentDialog, description_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
}

static void
pb_incident_dialog_init (PbIncidentDialog *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) codes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint k = 0; k < PB_N_INCIDENT_KINDS; k++)
    gtk_string_list_append (kinds, pb_incident_kind_label (k));
  gtk_drop_down_set_model (self->kind_choice, G_LIST_MODEL (kinds));
  gtk_string_list_append (codes, _("Choose a handling code"));
  for (guint k = 0; k < PB_N_TLP; k++)
    {
      g_autofree char *code = g_strconcat ("TLP:", pb_tlp_to_string (k), NULL);
      gtk_string_list_append (codes, code);
    }
  gtk_drop_down_set_model (self->tlp_choice, G_LIST_MODEL (codes));
}

/**
 * pb_incident_dialog_new:
 * @terminal: (nullable): the terminal at that place
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbIncidentDialog *
pb_incident_dialog_new (GtkWindow  *parent,
                        double      lat,
                        double      lon,
                        const char *terminal)
{
  PbIncidentDialog *self = g_object_new (PB_TYPE_INCIDENT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  g_autofree char *body = terminal ? g_strdup_printf (_("At %s, now."), terminal)
                                   : g_strdup (_("At the place chosen on the map, now."));

  self->lat = lat;
  self->lon = lon;
  self->terminal = g_strdup (terminal);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  return self;
}

/**
 * pb_incident_dialog_build_record:
 * @source_org: the organisation that records it
 *
 * Returns: (transfer full): the incident as the form says it, to be written
 */
PbRecord *
pb_incident_dialog_build_record (PbIncidentDialog *self,
                                 const char       *source_org,
                                 gint64            occurred_at)
{
  PbRecord *r = pb_record_new ("incidents", NULL);
  guint tlp = gtk_drop_down_get_selected (self->tlp_choice);
  const char *description = gtk_editable_get_text (GTK_EDITABLE (self->description_entry));
  double kg;
  gboolean given;

  pb_record_set_string (r, "kind", pb_incident_kind_to_string (gtk_drop_down_get_selected (self->kind_choice)));
  pb_record_set_int (r, "occurred_at", occurred_at);
  pb_record_set_double (r, "lat", self->lat);
  pb_record_set_double (r, "lon", self->lon);
  pb_record_set_string (r, "source_org", source_org);
  /* The first choice asks for a code; the store refuses an incident without one. */
  if (tlp > 0)
    pb_record_set_string (r, "tlp", pb_tlp_to_string (tlp - 1));
  if (self->terminal)
    pb_record_set_string (r, "terminal", self->terminal);
  if (read_kg (self, &kg, &given) && given)
    pb_record_set_double (r, "kg", kg);
  if (*description)
    pb_record_set_string (r, "description", description);
  return r;
}
