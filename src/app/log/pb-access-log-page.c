/* pb-access-log-page.c: who opened or changed what, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the newest entries of the append-only access log (Directive 2016/680 Art. 25)
 * and whether its hash chain is intact.
 */

#define G_LOG_DOMAIN "pb-access-log-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-access-log-page.h"

#define SHOWN_ENTRIES 200

struct _PbAccessLogPage
{
  GtkWidget      parent_instance;

  PbStore       *store;

  /* Template widgets */
  GtkListBox    *entries;
  GtkLabel      *status;
  GtkImage      *status_icon;
};

G_DEFINE_FINAL_TYPE (PbAccessLogPage, pb_access_log_page, GTK_TYPE_WIDGET)

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "collection") == 0)
    return _("Collection");
  if (g_strcmp0 (action, "alteration") == 0)
    return _("Alteration");
  if (g_strcmp0 (action, "consultation") == 0)
    return _("Consultation");
  if (g_strcmp0 (action, "disclosure") == 0)
    return _("Disclosure");
  if (g_strcmp0 (action, "combination") == 0)
    return _("Combination");
  if (g_strcmp0 (action, "erasure") == 0)
    return _("Erasure");
  return action;
}

static void
on_refresh_clicked_cb (GtkButton       *button,
                       PbAccessLogPage *self)
{
  if (self->store)
    pb_access_log_page_load (self, self->store);
}

void
pb_access_log_page_load (PbAccessLogPage *self,
                         PbStore         *store)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  GtkWidget *child;
  gint64 bad = 0;
  guint total = 0;

  g_set_object (&self->store, store);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries))))
    gtk_list_box_remove (self->entries, child);

  entries = pb_store_list_access_log (store, SHOWN_ENTRIES, &total, &error);
  if (entries == NULL)
    {
      gtk_label_set_label (self->status, error->message);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      PbAccessEntry *e = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (e->at_ms / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
      g_autofree char *title = g_strdup_printf ("%s · %s · %s", when, e->person, action_label (e->action));
      g_autofree char *subtitle = g_strdup_printf ("%s %s — %s — %s", e->table,
                                                   e->row_id ? e->row_id : "",
                                                   e->detail ? e->detail : "", e->reason);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->entries, row);
    }

  if (!pb_store_verify_access_log (store, &bad, &error))
    status = g_strdup (error->message);
  else if (bad != 0)
    {
      g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, bad);
      status = g_strdup_printf (_("The access log has been tampered with: the chain breaks at entry %s."), entry);
    }
  else
    status = g_strdup_printf (ngettext ("The access log is intact. You may see %u entry; the newest are shown.",
                                        "The access log is intact. You may see %u entries; the newest are shown.",
                                        total), total);
  gtk_label_set_label (self->status, status);
  gtk_image_set_from_icon_name (self->status_icon, bad ? "dialog-warning-symbolic" : "security-high-symbolic");
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

static void
pb_access_log_page_dispose (GObject *object)
{
  PbAccessLogPage *self = PB_ACCESS_LOG_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ACCESS_LOG_PAGE);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_access_log_page_parent_class)->dispose (object);
}

static void
pb_access_log_page_class_init (PbAccessLogPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_access_log_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/log/pb-access-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbAccessLogPage, entries);
  gtk_widget_class_bind_template_child (widget_class, PbAccessLogPage, status);
  gtk_widget_class_bind_template_child (widget_class, PbAccessLogPage, status_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked_cb);
}

static void
pb_access_log_page_init (PbAccessLogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
