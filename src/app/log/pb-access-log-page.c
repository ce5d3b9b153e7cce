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
#include "pb-live-list.h"

#define SHOWN_ENTRIES 200

struct _PbAccessLogPage
{
  GtkWidget      parent_instance;

  PbStore       *store;
  PbLiveList    *entries_list;  /* the newest entries, following the store */
  gint64         broken_at;     /* where the chain broke when last checked; 0: intact */
  char          *check_error;

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

/* An entry with its sequence number as text: its identity in the live list. */
typedef struct
{
  char          *key;
  PbAccessEntry *entry;
} LogRow;

static void
log_row_free (gpointer data)
{
  LogRow *r = data;

  g_free (r->key);
  pb_access_entry_free (r->entry);
  g_free (r);
}

static const char *
log_row_key (gconstpointer record)
{
  return ((const LogRow *) record)->key;
}

/* Entries are appended, never changed. */
static gboolean
log_row_same (gconstpointer a,
              gconstpointer b)
{
  return TRUE;
}

static GPtrArray *
read_entries (PbStore  *store,
              gpointer  data,
              GError  **error)
{
  g_autoptr(GPtrArray) entries = pb_store_list_access_log (store, SHOWN_ENTRIES, NULL, error);
  GPtrArray *out;

  if (entries == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (log_row_free);
  for (guint i = 0; i < entries->len; i++)
    {
      LogRow *r = g_new0 (LogRow, 1);

      r->entry = entries->pdata[i];
      entries->pdata[i] = NULL;
      r->key = g_strdup_printf ("%" G_GINT64_FORMAT, r->entry->seq);
      g_ptr_array_add (out, r);
    }
  return out;
}

/* Plain text: what the log names comes from users and other organisations, never markup. */
static GtkWidget *
entry_row (gpointer item,
           gpointer data)
{
  const PbAccessEntry *e = ((const LogRow *) pb_live_item_get (item))->entry;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (e->at_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  g_autofree char *title = g_strdup_printf ("%s · %s · %s", when, e->person, action_label (e->action));
  g_autofree char *subtitle = g_strdup_printf ("%s %s — %s — %s", e->table, e->row_id ? e->row_id : "",
                                               e->detail ? e->detail : "", e->reason);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

/* Whether the chain holds (as checked last) and how many entries the person may see. */
static void
update_status (PbAccessLogPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *status = NULL;
  guint total = 0;

  none = pb_store_list_access_log (self->store, 0, &total, &error);
  if (self->check_error)
    status = g_strdup (self->check_error);
  else if (none == NULL)
    status = g_strdup (error->message);
  else if (self->broken_at != 0)
    {
      g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, self->broken_at);
      status = g_strdup_printf (_("The access log has been tampered with: the chain breaks at entry %s."), entry);
    }
  else
    status = g_strdup_printf (ngettext ("The access log is intact. You may see %u entry; the newest are shown.",
                                        "The access log is intact. You may see %u entries; the newest are shown.",
                                        total), total);
  gtk_label_set_label (self->status, status);
  gtk_image_set_from_icon_name (self->status_icon, self->broken_at ? "dialog-warning-symbolic" : "security-high-symbolic");
  if (self->broken_at)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

/* The whole chain, checked entry by entry (on showing the log and on Check Again, not on
 * every entry that is added: a long log takes a while). */
static void
check_chain (PbAccessLogPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->check_error, g_free);
  self->broken_at = 0;
  if (!pb_store_verify_access_log (self->store, &self->broken_at, &error))
    self->check_error = g_strdup (error->message);
  update_status (self);
}

static void
on_refresh_clicked_cb (GtkButton       *button,
                       PbAccessLogPage *self)
{
  if (self->store)
    check_chain (self);
}

/**
 * pb_access_log_page_load:
 *
 * Shows the newest entries the signed-in person may see; from then on the list follows
 * the store.
 */
void
pb_access_log_page_load (PbAccessLogPage *self,
                         PbStore         *store)
{
  static const char *const tables[] = { "access_log", NULL };

  if (self->store != store)
    {
      g_set_object (&self->store, store);
      g_clear_object (&self->entries_list);
      self->entries_list = pb_live_list_new (store, tables, log_row_key, log_row_same, log_row_free);
      g_signal_connect_object (self->entries_list, "items-changed", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      gtk_list_box_bind_model (self->entries, G_LIST_MODEL (self->entries_list), entry_row, self, NULL);
    }
  pb_live_list_set_read (self->entries_list, read_entries, NULL, NULL);
  check_chain (self);
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
  g_clear_object (&self->entries_list);
  g_clear_object (&self->store);
  g_clear_pointer (&self->check_error, g_free);

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
