/* pb-request-dialog.c: ask the organisation an item comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the organisation an item comes from shares it, takes the sharing back or changes its
 * handling code. Another organisation asks here: what (share it with an organisation, stop
 * sharing it with one, change the handling code), with whom or to which code, and why.
 * "Ask" is offered once there is a reason; the store sends it (pb_store_request).
 */

#define G_LOG_DOMAIN "pb-request-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-request-dialog.h"

struct _PbRequestDialog
{
  AdwMessageDialog  parent_instance;

  PbStore          *store;
  char             *item_id;
  GPtrArray        *org_ids;   /* the organisation choices, in order */

  /* Template widgets */
  GtkDropDown      *kind_choice;
  GtkDropDown      *org_choice;
  GtkDropDown      *tlp_choice;
  GtkWidget        *org_label;
  GtkWidget        *tlp_label;
  GtkEntry         *reason_entry;
};

G_DEFINE_FINAL_TYPE (PbRequestDialog, pb_request_dialog, ADW_TYPE_MESSAGE_DIALOG)

static PbRequestKind
chosen_kind (PbRequestDialog *self)
{
  guint k = gtk_drop_down_get_selected (self->kind_choice);

  return k < PB_N_REQUEST_KINDS ? k : PB_REQUEST_SHARE;
}

static void
on_form_changed_cb (PbRequestDialog *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));
  gboolean handling = chosen_kind (self) == PB_REQUEST_HANDLING;

  gtk_widget_set_visible (GTK_WIDGET (self->org_choice), !handling);
  gtk_widget_set_visible (self->org_label, !handling);
  gtk_widget_set_visible (GTK_WIDGET (self->tlp_choice), handling);
  gtk_widget_set_visible (self->tlp_label, handling);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "ask",
                                           *reason != '\0' && (handling || self->org_ids->len > 0));
}

static void
pb_request_dialog_dispose (GObject *object)
{
  PbRequestDialog *self = PB_REQUEST_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_REQUEST_DIALOG);
  g_clear_object (&self->store);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_request_dialog_parent_class)->dispose (object);
}

static void
pb_request_dialog_class_init (PbRequestDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_request_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-request-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, kind_choice);
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, org_choice);
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, tlp_choice);
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, org_label);
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, tlp_label);
  gtk_widget_class_bind_template_child (widget_class, PbRequestDialog, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
}

static void
pb_request_dialog_init (PbRequestDialog *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) codes = gtk_string_list_new (NULL);

  self->org_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint k = 0; k < PB_N_REQUEST_KINDS; k++)
    gtk_string_list_append (kinds, pb_request_kind_label (k));
  gtk_drop_down_set_model (self->kind_choice, G_LIST_MODEL (kinds));
  for (guint k = 0; k < PB_N_TLP; k++)
    {
      g_autofree char *code = g_strconcat ("TLP:", pb_tlp_to_string (k), NULL);
      gtk_string_list_append (codes, code);
    }
  gtk_drop_down_set_model (self->tlp_choice, G_LIST_MODEL (codes));
}

/**
 * pb_request_dialog_new:
 * @item_id: the item, not the person's organisation's own
 * @source_org: the organisation it comes from
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbRequestDialog *
pb_request_dialog_new (GtkWindow  *parent,
                       PbStore    *store,
                       const char *item_id,
                       const char *source)
{
  PbRequestDialog *self = g_object_new (PB_TYPE_REQUEST_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(PbOrganisation) from = source ? pb_store_find_organisation (store, source, NULL) : NULL;
  const PbActor *me = pb_store_get_me (store);
  g_autofree char *body = NULL;

  self->store = g_object_ref (store);
  self->item_id = g_strdup (item_id);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = orgs->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s (%s)", org->name, org->short_code);

      /* Neither the organisation asked nor the one that asks. */
      if (g_strcmp0 (org->id, source) == 0 || g_strcmp0 (org->id, me ? me->org : NULL) == 0)
        continue;
      g_ptr_array_add (self->org_ids, g_strdup (org->id));
      gtk_string_list_append (names, label);
    }
  gtk_drop_down_set_model (self->org_choice, G_LIST_MODEL (names));
  body = g_strdup_printf (_("Only %s, which the item comes from, shares it or changes its handling code. Ask it; "
                            "it answers here."), from ? from->name : _("the organisation"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  on_form_changed_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
  return self;
}

/**
 * pb_request_dialog_set_choice:
 * @org_or_tlp: (nullable): the organisation's id (share, unshare) or the handling code
 * @reason: (nullable): why
 *
 * Fills the form (for a page that knows what is asked, and for tests).
 */
void
pb_request_dialog_set_choice (PbRequestDialog *self,
                              PbRequestKind    kind,
                              const char      *org_or_tlp,
                              const char      *reason)
{
  PbTlp tlp;

  gtk_drop_down_set_selected (self->kind_choice, kind);
  if (kind == PB_REQUEST_HANDLING && org_or_tlp && pb_tlp_from_string (org_or_tlp, &tlp))
    gtk_drop_down_set_selected (self->tlp_choice, tlp);
  for (guint i = 0; kind != PB_REQUEST_HANDLING && org_or_tlp && i < self->org_ids->len; i++)
    if (g_str_equal (self->org_ids->pdata[i], org_or_tlp))
      gtk_drop_down_set_selected (self->org_choice, i);
  if (reason)
    gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason);
  on_form_changed_cb (self);
}

/* Sends what the form says. */
gboolean
pb_request_dialog_send (PbRequestDialog *self,
                        GError         **error)
{
  PbRequestKind kind = chosen_kind (self);
  guint org = gtk_drop_down_get_selected (self->org_choice);
  const char *tlp = pb_tlp_to_string (MIN (gtk_drop_down_get_selected (self->tlp_choice), PB_N_TLP - 1));

  return pb_store_request (self->store, self->item_id, kind,
                           kind != PB_REQUEST_HANDLING && org < self->org_ids->len ? self->org_ids->pdata[org] : NULL,
                           kind == PB_REQUEST_HANDLING ? tlp : NULL,
                           gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)), NULL, error);
}
