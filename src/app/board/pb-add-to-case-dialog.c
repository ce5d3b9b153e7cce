/* pb-add-to-case-dialog.c: the items selected on the board go into an open case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The open cases, searchable by title (they are many); the board adds the items when the
 * dialog answers "add". Without an open case, the dialog says to open one first.
 */

#define G_LOG_DOMAIN "pb-add-to-case-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-add-to-case-dialog.h"

struct _PbAddToCaseDialog
{
  AdwMessageDialog  parent_instance;

  GPtrArray        *cases;   /* PbCase, the open ones, in the choice's order */

  /* Template widgets */
  GtkDropDown      *case_choice;
};

G_DEFINE_FINAL_TYPE (PbAddToCaseDialog, pb_add_to_case_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
pb_add_to_case_dialog_dispose (GObject *object)
{
  PbAddToCaseDialog *self = PB_ADD_TO_CASE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ADD_TO_CASE_DIALOG);
  g_clear_pointer (&self->cases, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_add_to_case_dialog_parent_class)->dispose (object);
}

static void
pb_add_to_case_dialog_class_init (PbAddToCaseDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_add_to_case_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-add-to-case-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbAddToCaseDialog, case_choice);
}

static void
pb_add_to_case_dialog_init (PbAddToCaseDialog *self)
{
  self->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_case_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Cases are many: the list can be searched by title. */
  gtk_drop_down_set_expression (self->case_choice,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
}

/**
 * pb_add_to_case_dialog_new:
 * @n_items: how many items go into the case
 *
 * Returns: (transfer none): the dialog, not shown yet; or %NULL and @error when the cases
 *   cannot be read
 */
PbAddToCaseDialog *
pb_add_to_case_dialog_new (GtkWindow *parent,
                           PbStore   *store,
                           guint      n_items,
                           GError   **error)
{
  g_autoptr(GPtrArray) all = pb_store_list_cases (store, error);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;
  PbAddToCaseDialog *self;

  if (all == NULL)
    return NULL;
  self = g_object_new (PB_TYPE_ADD_TO_CASE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  for (guint i = 0; i < all->len; i++)
    {
      PbCase *c = g_ptr_array_index (all, i);

      if (c->closed)
        continue;
      gtk_string_list_append (titles, c->title);
      g_ptr_array_add (self->cases, g_ptr_array_steal_index (all, i--));
    }
  gtk_drop_down_set_model (self->case_choice, G_LIST_MODEL (titles));

  body = self->cases->len == 0
         ? g_strdup (_("There is no open case yet. Open one with New Case."))
         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The selected item goes into the case you choose.",
                                         "The %u selected items go into the case you choose.", n_items), n_items);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", self->cases->len > 0);
  return self;
}

/* The case chosen, or NULL when there is none to choose. */
const PbCase *
pb_add_to_case_dialog_get_case (PbAddToCaseDialog *self)
{
  guint chosen = gtk_drop_down_get_selected (self->case_choice);

  return chosen < self->cases->len ? g_ptr_array_index (self->cases, chosen) : NULL;
}
