/* pb-form-dialog.c: the small forms of the app (new case, handover, new incident…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message dialog with a form under its text, Cancel and one suggested answer that the
 * form enables when it is complete.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pb-form-dialog.h"

/**
 * pb_form_dialog_new:
 * @owner: a widget of the window the dialog belongs to
 * @form: (transfer floating): what is filled in
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
AdwMessageDialog *
pb_form_dialog_new (GtkWidget  *owner,
                    const char *heading,
                    const char *body,
                    const char *accept_id,
                    const char *accept_label,
                    GtkWidget  *form)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (owner)),
                                                                         heading, body));

  adw_message_dialog_set_extra_child (dialog, form);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), accept_id, accept_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, accept_id, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, accept_id);
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

/**
 * pb_form_label:
 *
 * Returns: (transfer floating): a label over a field of a form, its mnemonic going there
 */
GtkWidget *
pb_form_label (const char *text,
               GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  return label;
}
