/* pb-sync-status.c: the header bar's word on synchronisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One button that says where this database stands: not connected, online and when it
 * last synced, syncing, offline with the changes that wait, or the hub's refusal. Its
 * popover gives the hub, the certificate trusted, the live channel, Sync Now, and
 * Connect to Hub… for a database not enrolled yet.
 */

#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync-status.h"

#include <adwaita.h>
#include <glib/gi18n.h>


struct _PbSyncStatus
{
  GtkWidget         parent_instance;

  PbSyncController *controller;

  GtkWidget        *button;
  GtkStack         *icon_stack;
  GtkImage         *icon;
  GtkSpinner       *spinner;
  GtkLabel         *label;
  GtkLabel         *heading;
  GtkLabel         *details;
  GtkWidget        *connect_button;
  GtkWidget        *sync_button;
};

G_DEFINE_FINAL_TYPE (PbSyncStatus, pb_sync_status, GTK_TYPE_WIDGET)

static char *
format_time (gint64 unix_s)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (unix_s);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (t == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (t) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (t) == g_date_time_get_day_of_year (now))
    return g_date_time_format (t, "%H:%M");
  return g_date_time_format (t, "%x %H:%M");
}

static void
update (PbSyncStatus *self)
{
  PbSyncState state = pb_sync_controller_get_state (self->controller);
  guint waiting = pb_sync_controller_get_waiting (self->controller);
  guint quarantined = pb_sync_controller_get_quarantined (self->controller);
  gint64 last = pb_sync_controller_get_last_synced (self->controller);
  const char *message = pb_sync_controller_get_message (self->controller);
  g_autofree char *when = last ? format_time (last / 1000) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *hub = pb_sync_controller_get_hub (self->controller, &fingerprint);
  g_autoptr(GString) details = g_string_new (NULL);
  const char *icon = "network-transmit-receive-symbolic";
  const char *heading;

  switch (state)
    {
    case PB_SYNC_STATE_NOT_CONNECTED:
      text = g_strdup (_("Not Connected"));
      heading = _("Not connected to a hub");
      icon = "network-offline-symbolic";
      break;
    case PB_SYNC_STATE_SYNCING:
      text = g_strdup (_("Syncing…"));
      heading = _("Syncing with the hub");
      break;
    case PB_SYNC_STATE_OFFLINE:
      text = waiting ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline · %u Waiting", "Offline · %u Waiting",
                                                     waiting), waiting)
                     : g_strdup (_("Offline"));
      heading = _("The hub cannot be reached");
      icon = "network-offline-symbolic";
      break;
    case PB_SYNC_STATE_ERROR:
      text = g_strdup (_("Sync Error"));
      heading = _("The hub refused to sync");
      icon = "dialog-warning-symbolic";
      break;
    case PB_SYNC_STATE_ONLINE:
    default:
      text = waiting ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Change Waiting", "%u Changes Waiting",
                                                     waiting), waiting)
                     : when ? g_strdup_printf (_("Synced %s"), when) : g_strdup (_("Online"));
      heading = _("In step with the hub");
      break;
    }

  if (state == PB_SYNC_STATE_NOT_CONNECTED)
    g_string_append (details, _("This database is used on this computer only. Connect it to the consultation's "
                                "hub with the address and the one-time enrolment token its administrator gave you."));
  else
    {
      g_string_append_printf (details, _("Hub: %s"), hub);
      if (fingerprint)
        {
          g_string_append_c (details, '\n');
          g_string_append_printf (details, _("Certificate trusted: %s"), fingerprint);
        }
      g_string_append_c (details, '\n');
      g_string_append (details, pb_sync_controller_get_live (self->controller)
                                ? _("Live updates: on") : _("Live updates: off"));
      g_string_append_c (details, '\n');
      if (when)
        g_string_append_printf (details, _("Last synced: %s"), when);
      else
        g_string_append (details, _("Not synced yet"));
      if (waiting)
        {
          g_string_append_c (details, '\n');
          g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "%u change waits to be sent",
                                                        "%u changes wait to be sent", waiting), waiting);
        }
      if (quarantined)
        {
          g_string_append_c (details, '\n');
          g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE,
                                                        "%u change from the hub could not be applied here and "
                                                        "was set aside; the others were",
                                                        "%u changes from the hub could not be applied here and "
                                                        "were set aside; the others were", quarantined),
                                  quarantined);
        }
    }
  if (message)
    {
      g_string_append (details, "\n\n");
      g_string_append (details, message);
    }

  gtk_label_set_label (self->label, text);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_stack_set_visible_child_name (self->icon_stack, state == PB_SYNC_STATE_SYNCING ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, state == PB_SYNC_STATE_SYNCING);
  gtk_label_set_label (self->heading, heading);
  gtk_label_set_label (self->details, details->str);
  gtk_widget_set_visible (self->connect_button, state == PB_SYNC_STATE_NOT_CONNECTED);
  gtk_widget_set_visible (self->sync_button, state != PB_SYNC_STATE_NOT_CONNECTED);
  gtk_widget_set_sensitive (self->sync_button, state != PB_SYNC_STATE_SYNCING);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (state == PB_SYNC_STATE_ERROR || state == PB_SYNC_STATE_OFFLINE || quarantined > 0)
    gtk_widget_add_css_class (self->button, "warning");
  else
    gtk_widget_remove_css_class (self->button, "warning");
}

static void
on_sync_clicked_cb (PbSyncStatus *self)
{
  pb_sync_controller_sync_now (self->controller);
}

static void
on_enrolled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(PbSyncStatus) self = data;
  g_autoptr(GError) error = NULL;

  if (!pb_sync_controller_enrol_finish (PB_SYNC_CONTROLLER (source), result, &error)
      && gtk_widget_get_root (GTK_WIDGET (self)))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                  _("Cannot connect to the hub"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_connect_response_cb (PbConnectDialog *dialog,
                        const char      *response,
                        PbSyncStatus    *self)
{
  if (!g_str_equal (response, "connect"))
    return;
  pb_sync_controller_enrol_async (self->controller, pb_connect_dialog_get_hub (dialog),
                                  pb_connect_dialog_get_token (dialog), pb_connect_dialog_get_fingerprint (dialog),
                                  NULL, on_enrolled_cb, g_object_ref (self));
}

/**
 * pb_sync_status_connect_dialog:
 *
 * Asks for the hub's address, the enrolment token and, optionally, the fingerprint of
 * the hub's certificate, then enrols this database.
 *
 * Returns: (transfer none): the dialog, shown
 */
PbConnectDialog *
pb_sync_status_connect_dialog (PbSyncStatus *self)
{
  PbConnectDialog *dialog = pb_connect_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_connect_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_connect_clicked_cb (PbSyncStatus *self)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  pb_sync_status_connect_dialog (self);
}

static void
pb_sync_status_dispose (GObject *object)
{
  PbSyncStatus *self = PB_SYNC_STATUS (object);

  if (self->controller)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_clear_object (&self->controller);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_SYNC_STATUS);
  G_OBJECT_CLASS (pb_sync_status_parent_class)->dispose (object);
}

static void
pb_sync_status_class_init (PbSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_sync_status_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portboard/Portboard/ui/sync/pb-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, icon);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, label);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, heading);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, details);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, connect_button);
  gtk_widget_class_bind_template_child (widget_class, PbSyncStatus, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pb_sync_status_init (PbSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
pb_sync_status_set_controller (PbSyncStatus     *self,
                               PbSyncController *controller)
{
  if (self->controller)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  if (controller == NULL)
    return;
  g_signal_connect_swapped (controller, "notify", G_CALLBACK (update), self);
  update (self);
}

const char *
pb_sync_status_get_text (PbSyncStatus *self)
{
  return gtk_label_get_label (self->label);
}
