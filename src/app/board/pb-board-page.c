/* pb-board-page.c: the board, one column per stage of an item's life
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model holds every card the signed-in person may see; each column is a filtered
 * view of it, so a change to a card reaches exactly the column it belongs to.
 */

#define G_LOG_DOMAIN "pb-board-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-board-column.h"
#include "pb-board-page.h"
#include "pb-item-details.h"

struct _PbBoardPage
{
  GtkWidget       parent_instance;

  PbStore        *store;
  GListStore     *cards;
  GtkCssProvider *org_css;
  PbBoardColumn  *columns[PB_N_STATUSES];

  /* Template widgets */
  GtkBox         *columns_box;
  GtkLabel       *summary;
};

G_DEFINE_FINAL_TYPE (PbBoardPage, pb_board_page, GTK_TYPE_WIDGET)

/* Organisation colours come from the database: one CSS class per organisation code. */
static void
update_org_css (PbBoardPage *self)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (self->store, NULL);
  g_autoptr(GString) css = g_string_new (NULL);

  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      GdkRGBA rgba;
      gboolean ok_code = org->short_code[0] != '\0';

      for (const char *p = org->short_code; *p; p++)
        ok_code = ok_code && g_ascii_isalnum (*p);
      if (!ok_code || !gdk_rgba_parse (&rgba, org->colour))
        continue;
      g_string_append_printf (css, ".org-badge.org-%s { background-color: %s; }\n",
                              org->short_code, org->colour);
    }

  if (self->org_css == NULL)
    {
      self->org_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (self->org_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->org_css, css->str, -1);
}

static void
on_card_activated_cb (PbBoardColumn *column,
                      PbCard        *card,
                      PbBoardPage   *self)
{
  pb_board_page_open_card (self, card);
}

void
pb_board_page_open_card (PbBoardPage *self,
                         PbCard      *card)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fields = NULL;
  GtkWidget *details;

  fields = pb_store_open_item (self->store, pb_card_get_id (card), &error);
  if (fields == NULL)
    {
      AdwToast *toast = adw_toast_new (error->message);
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      if (overlay)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
      else
        g_object_unref (g_object_ref_sink (toast));
      return;
    }

  details = pb_item_details_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 self->store, fields);
  gtk_window_present (GTK_WINDOW (details));
}

gboolean
pb_board_page_load (PbBoardPage *self,
                    PbStore     *store,
                    GError     **error)
{
  g_autoptr(GListStore) cards = NULL;
  g_autofree char *summary = NULL;

  g_return_val_if_fail (PB_IS_BOARD_PAGE (self), FALSE);

  cards = pb_store_load_cards (store, error);
  if (cards == NULL)
    return FALSE;

  g_set_object (&self->store, store);
  update_org_css (self);

  if (self->cards == NULL)
    {
      self->cards = g_steal_pointer (&cards);
      for (guint i = 0; i < PB_N_STATUSES; i++)
        {
          self->columns[i] = pb_board_column_new (i, G_LIST_MODEL (self->cards));
          g_signal_connect_object (self->columns[i], "card-activated",
                                   G_CALLBACK (on_card_activated_cb), self, G_CONNECT_DEFAULT);
          gtk_box_append (self->columns_box, GTK_WIDGET (self->columns[i]));
        }
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (cards));
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (cards), i));
      g_list_store_splice (self->cards, 0, g_list_model_get_n_items (G_LIST_MODEL (self->cards)),
                           items->pdata, items->len);
    }

  summary = g_strdup_printf (ngettext ("%u item you may see", "%u items you may see",
                                       g_list_model_get_n_items (G_LIST_MODEL (self->cards))),
                             g_list_model_get_n_items (G_LIST_MODEL (self->cards)));
  gtk_label_set_label (self->summary, summary);
  return TRUE;
}

GListModel *
pb_board_page_get_cards (PbBoardPage *self)
{
  return self->cards ? G_LIST_MODEL (self->cards) : NULL;
}

GListModel *
pb_board_page_get_column (PbBoardPage *self,
                          PbStatus     status)
{
  g_return_val_if_fail (status < PB_N_STATUSES, NULL);
  return self->columns[status] ? pb_board_column_get_model (self->columns[status]) : NULL;
}

static void
pb_board_page_dispose (GObject *object)
{
  PbBoardPage *self = PB_BOARD_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_BOARD_PAGE);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->org_css)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->org_css));
  g_clear_object (&self->org_css);
  g_clear_object (&self->cards);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_board_page_parent_class)->dispose (object);
}

static void
pb_board_page_class_init (PbBoardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_board_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-board-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, columns_box);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, summary);
}

static void
pb_board_page_init (PbBoardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
