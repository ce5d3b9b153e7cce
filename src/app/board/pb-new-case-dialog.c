/* pb-new-case-dialog.c: a new case with the items selected on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A title (required) and, when the consultation has decided it, the service that leads;
 * private partners do not lead. The board opens the case when the dialog answers
 * "create".
 */

#define G_LOG_DOMAIN "pb-new-case-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-new-case-dialog.h"

struct _PbNewCaseDialog
{
  AdwMessageDialog  parent_instance;

  GPtrArray        *lead_ids;   /* the lead choices' organisation ids; index 0 is none */

  /* Template widgets */
  GtkEntry         *title_entry;
  GtkDropDown      *lead_choice;
};

G_DEFINE_FINAL_TYPE (PbNewCaseDialog, pb_new_case_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_title_changed_cb (PbNewCaseDialog *self)
{
  g_autofree char *title = pb_new_case_dialog_get_title (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "create", *title != '\0');
}

static void
pb_new_case_dialog_dispose (GObject *object)
{
  PbNewCaseDialog *self = PB_NEW_CASE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_NEW_CASE_DIALOG);
  g_clear_pointer (&self->lead_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_new_case_dialog_parent_class)->dispose (object);
}

static void
pb_new_case_dialog_class_init (PbNewCaseDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_new_case_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-new-case-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbNewCaseDialog, title_entry);
  gtk_widget_class_bind_template_child (widget_class, PbNewCaseDialog, lead_choice);
  gtk_widget_class_bind_template_callback (widget_class, on_title_changed_cb);
}

static void
pb_new_case_dialog_init (PbNewCaseDialog *self)
{
  self->lead_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_new_case_dialog_new:
 * @n_items: how many items go into the case
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbNewCaseDialog *
pb_new_case_dialog_new (GtkWindow *parent,
                        PbStore   *store,
                        guint      n_items)
{
  PbNewCaseDialog *self = g_object_new (PB_TYPE_NEW_CASE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;

  /* Index 0: no lead decided yet. Only the services can lead. */
  g_ptr_array_add (self->lead_ids, NULL);
  gtk_string_list_append (names, _("No lead decided yet"));
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);

      if (!pb_rules_may_lead (org->kind))
        continue;
      g_ptr_array_add (self->lead_ids, g_strdup (org->id));
      gtk_string_list_append (names, org->name);
    }
  gtk_drop_down_set_model (self->lead_choice, G_LIST_MODEL (names));

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The selected item goes into the new case. An item already in another case moves to this one.",
                                       "The %u selected items go into the new case. Items already in another case move to this one.",
                                       n_items), n_items);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  return self;
}

char *
pb_new_case_dialog_get_title (PbNewCaseDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
}

/* The organisation chosen to lead, or NULL when no lead is decided yet. */
const char *
pb_new_case_dialog_get_lead (PbNewCaseDialog *self)
{
  guint chosen = gtk_drop_down_get_selected (self->lead_choice);

  return chosen < self->lead_ids->len ? g_ptr_array_index (self->lead_ids, chosen) : NULL;
}
