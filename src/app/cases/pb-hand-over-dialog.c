/* pb-hand-over-dialog.c: the consultation hands the lead of a case to another service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The services that may lead (not private partners, not the one leading now) and the
 * reason the consultation gave; the handover can be given once there is a reason. The
 * page that opened the dialog records it when the dialog answers "hand-over".
 */

#define G_LOG_DOMAIN "pb-hand-over-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-hand-over-dialog.h"

struct _PbHandOverDialog
{
  AdwMessageDialog  parent_instance;

  char             *case_id;
  GPtrArray        *org_ids;   /* the choices' organisation ids, in their order */

  /* Template widgets */
  GtkDropDown      *org_choice;
  GtkEntry         *reason_entry;
};

G_DEFINE_FINAL_TYPE (PbHandOverDialog, pb_hand_over_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_reason_changed_cb (PbHandOverDialog *self)
{
  g_autofree char *reason = pb_hand_over_dialog_get_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "hand-over",
                                           *reason != '\0' && self->org_ids->len > 0);
}

static void
pb_hand_over_dialog_dispose (GObject *object)
{
  PbHandOverDialog *self = PB_HAND_OVER_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_HAND_OVER_DIALOG);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_hand_over_dialog_parent_class)->dispose (object);
}

static void
pb_hand_over_dialog_class_init (PbHandOverDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_hand_over_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/cases/pb-hand-over-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbHandOverDialog, org_choice);
  gtk_widget_class_bind_template_child (widget_class, PbHandOverDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
}

static void
pb_hand_over_dialog_init (PbHandOverDialog *self)
{
  self->org_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_hand_over_dialog_new:
 * @c: the case, as it is now
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbHandOverDialog *
pb_hand_over_dialog_new (GtkWindow    *parent,
                         PbStore      *store,
                         const PbCase *c)
{
  PbHandOverDialog *self = g_object_new (PB_TYPE_HAND_OVER_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;

  self->case_id = g_strdup (c->id);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);

      /* Only the services lead, and not the one that leads now. */
      if (!pb_rules_may_lead (org->kind) || g_strcmp0 (org->id, c->lead_org) == 0)
        continue;
      g_ptr_array_add (self->org_ids, g_strdup (org->id));
      gtk_string_list_append (names, org->name);
    }
  gtk_drop_down_set_model (self->org_choice, G_LIST_MODEL (names));

  body = c->lead_name
         ? g_strdup_printf (_("%s leads “%s” now. The handover is recorded with today’s date, your name and the reason."),
                            c->lead_name, c->title)
         : g_strdup_printf (_("Nobody leads “%s” yet. The decision is recorded with today’s date, your name and the reason."),
                            c->title);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
  return self;
}

const char *
pb_hand_over_dialog_get_case (PbHandOverDialog *self)
{
  return self->case_id;
}

/* The organisation chosen to lead, or NULL when there is none to choose. */
const char *
pb_hand_over_dialog_get_org (PbHandOverDialog *self)
{
  guint chosen = gtk_drop_down_get_selected (self->org_choice);

  return chosen < self->org_ids->len ? g_ptr_array_index (self->org_ids, chosen) : NULL;
}

char *
pb_hand_over_dialog_get_reason (PbHandOverDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
}
