/* pb-connect-dialog.c: enrolment with a hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub's address, the enrolment token the hub's administrator gave and, optionally,
 * the fingerprint of the hub's certificate (without one, the certificate the hub shows
 * now is trusted from then on). Connect is offered once the address is a web address and
 * the token looks like one; the sync status enrols when the dialog answers "connect".
 */

#define G_LOG_DOMAIN "pb-connect-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-connect-dialog.h"

struct _PbConnectDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEntry         *hub_entry;
  GtkPasswordEntry *token_entry;
  GtkEntry         *fingerprint_entry;
};

G_DEFINE_FINAL_TYPE (PbConnectDialog, pb_connect_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_form_changed_cb (PbConnectDialog *self)
{
  const char *url = pb_connect_dialog_get_hub (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect",
                                           (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
                                           && g_str_has_prefix (pb_connect_dialog_get_token (self), "pbe_"));
}

static void
pb_connect_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PB_TYPE_CONNECT_DIALOG);

  G_OBJECT_CLASS (pb_connect_dialog_parent_class)->dispose (object);
}

static void
pb_connect_dialog_class_init (PbConnectDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_connect_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/sync/pb-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbConnectDialog, hub_entry);
  gtk_widget_class_bind_template_child (widget_class, PbConnectDialog, token_entry);
  gtk_widget_class_bind_template_child (widget_class, PbConnectDialog, fingerprint_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
}

static void
pb_connect_dialog_init (PbConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_connect_dialog_new:
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbConnectDialog *
pb_connect_dialog_new (GtkWindow *parent)
{
  return g_object_new (PB_TYPE_CONNECT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

const char *
pb_connect_dialog_get_hub (PbConnectDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->hub_entry));
}

const char *
pb_connect_dialog_get_token (PbConnectDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->token_entry));
}

const char *
pb_connect_dialog_get_fingerprint (PbConnectDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->fingerprint_entry));
}
