/* pb-item-editor-requests.c: what is asked of the organisation an item comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The item's requests (a live list: an answer that comes with a synchronisation shows by
 * itself), newest first: what was asked, by whom, why, and the answer. The organisation
 * the item comes from accepts (requests.accept) or refuses (requests.refuse) an open one,
 * by its id; another organisation asks (requests.ask: the request dialog). The panel is
 * hidden for a new item, and for an item of the person's own organisation that nobody
 * asked anything of.
 */

#define G_LOG_DOMAIN "pb-item-editor-requests"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-item-editor-requests.h"
#include "pb-live-list.h"
#include "pb-request-dialog.h"

struct _PbItemEditorRequests
{
  GtkWidget            parent_instance;

  PbStore             *store;
  char                *item_id;
  char                *source_org;
  PbLiveList          *requests;
  gboolean             read_only;
  gboolean             own;        /* the item is the person's organisation's */

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkListBox          *list;
  GtkWidget           *ask_button;
};

G_DEFINE_FINAL_TYPE (PbItemEditorRequests, pb_item_editor_requests, GTK_TYPE_WIDGET)

static const char *
request_key (gconstpointer record)
{
  return ((const PbRequest *) record)->id;
}

static gboolean
request_same (gconstpointer a,
              gconstpointer b)
{
  const PbRequest *x = a, *y = b;

  return x->status == y->status && x->may_answer == y->may_answer && g_strcmp0 (x->answer, y->answer) == 0
         && g_strcmp0 (x->decided_by, y->decided_by) == 0;
}

static GPtrArray *
read_requests (PbStore  *store,
               gpointer  item_id,
               GError  **error)
{
  return pb_store_list_requests (store, item_id, FALSE, error);
}

/* "Share with Customs", "Change the handling code to TLP:GREEN". */
static char *
what_of (const PbRequest *r)
{
  switch (r->kind)
    {
    case PB_REQUEST_SHARE:
      return g_strdup_printf (_("Share with %s"), r->org_name ? r->org_name : "—");
    case PB_REQUEST_UNSHARE:
      return g_strdup_printf (_("Stop sharing with %s"), r->org_name ? r->org_name : "—");
    case PB_REQUEST_HANDLING:
    case PB_N_REQUEST_KINDS:
    default:
      return g_strdup_printf (_("Change the handling code to TLP:%s"), r->tlp ? r->tlp : "—");
    }
}

static char *
when_of (gint64 seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (seconds);

  return when ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static GtkWidget *
request_row (gpointer item,
             gpointer data)
{
  PbItemEditorRequests *self = data;
  const PbRequest *r = pb_live_item_get (item);
  g_autofree char *what = what_of (r);
  g_autofree char *asked = when_of (r->requested_at);
  g_autofree char *subtitle = NULL;
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  g_autofree char *asked_line = g_strdup_printf (_("Asked by %s (%s) on %s: “%s”"),
                                                 r->requested_by ? r->requested_by : "—", r->source_code, asked,
                                                 r->reason);

  if (r->status == PB_REQUEST_OPEN)
    subtitle = g_strdup_printf ("%s\n%s", asked_line, _("Not answered yet"));
  else
    {
      g_autofree char *when = when_of (r->decided_at);
      g_autofree char *answered = g_strdup_printf (_("%s by %s on %s"), pb_request_status_label (r->status),
                                                   r->decided_by ? r->decided_by : "—", when);

      subtitle = r->answer ? g_strdup_printf ("%s\n%s: “%s”", asked_line, answered, r->answer)
                           : g_strdup_printf ("%s\n%s", asked_line, answered);
    }
  /* What people wrote is shown as it is, never read as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_set_subtitle_lines (row, 0);
  if (r->may_answer && !self->read_only)
    {
      GtkWidget *accept = gtk_button_new_with_mnemonic (_("_Accept"));
      GtkWidget *refuse = gtk_button_new_with_mnemonic (_("_Refuse"));

      gtk_widget_set_valign (accept, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (refuse, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (accept, "suggested-action");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (accept), "requests.accept");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (accept), "s", r->id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (refuse), "requests.refuse");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (refuse), "s", r->id);
      adw_action_row_add_suffix (row, refuse);
      adw_action_row_add_suffix (row, accept);
    }
  return GTK_WIDGET (row);
}

static void
update_visibility (PbItemEditorRequests *self)
{
  guint n = self->requests ? g_list_model_get_n_items (G_LIST_MODEL (self->requests)) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self), self->item_id != NULL && (n > 0 || !self->own));
  gtk_widget_set_visible (GTK_WIDGET (self->list), n > 0);
  gtk_widget_set_visible (self->ask_button, !self->own && !self->read_only);
}

static void
answer (PbItemEditorRequests *self,
        GVariant             *param,
        gboolean              accept)
{
  g_autoptr(GError) error = NULL;

  if (!pb_store_answer_request (self->store, g_variant_get_string (param, NULL), accept, NULL, &error))
    g_warning ("Cannot answer the request: %s", error->message);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  answer (PB_ITEM_EDITOR_REQUESTS (widget), param, TRUE);
}

static void
refuse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  answer (PB_ITEM_EDITOR_REQUESTS (widget), param, FALSE);
}

static void
on_request_response_cb (PbRequestDialog      *dialog,
                        const char           *response,
                        PbItemEditorRequests *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "ask") || pb_request_dialog_send (dialog, &error))
    return;
  {
    GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                 _("The request was not sent"), error->message);

    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
    gtk_window_present (GTK_WINDOW (message));
  }
}

static void
ask_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  PbItemEditorRequests *self = PB_ITEM_EDITOR_REQUESTS (widget);
  PbRequestDialog *dialog;

  if (self->store == NULL || self->item_id == NULL)
    return;
  dialog = pb_request_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->item_id,
                                  self->source_org);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_request_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
pb_item_editor_requests_dispose (GObject *object)
{
  PbItemEditorRequests *self = PB_ITEM_EDITOR_REQUESTS (object);
  GtkWidget *child;

  if (self->list)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_REQUESTS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->requests);
  g_clear_object (&self->store);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->source_org, g_free);

  G_OBJECT_CLASS (pb_item_editor_requests_parent_class)->dispose (object);
}

static void
pb_item_editor_requests_class_init (PbItemEditorRequestsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_requests_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-requests.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorRequests, group);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorRequests, list);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorRequests, ask_button);
  gtk_widget_class_install_action (widget_class, "requests.accept", "s", accept_action);
  gtk_widget_class_install_action (widget_class, "requests.refuse", "s", refuse_action);
  gtk_widget_class_install_action (widget_class, "requests.ask", NULL, ask_action);
}

static void
pb_item_editor_requests_init (PbItemEditorRequests *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * pb_item_editor_requests_show:
 * @item_id: (nullable): the item, or %NULL for a new one (no requests)
 * @source_org: (nullable): the organisation the item comes from
 * @read_only: nothing is asked or answered, the requests are shown
 *
 * Shows the item's requests, following the store from then on.
 */
void
pb_item_editor_requests_show (PbItemEditorRequests *self,
                              PbStore              *store,
                              const char           *item_id,
                              const char           *source_org,
                              gboolean              read_only)
{
  static const char *const tables[] = { "requests", "items", "item_shares", NULL };
  const PbActor *me = store ? pb_store_get_me (store) : NULL;

  g_return_if_fail (PB_IS_ITEM_EDITOR_REQUESTS (self));

  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->requests);
  g_set_object (&self->store, store);
  g_free (self->item_id);
  self->item_id = g_strdup (item_id);
  self->read_only = read_only;
  self->own = TRUE;
  if (store && item_id)
    {
      g_autoptr(GError) error = NULL;

      self->requests = pb_live_list_new (store, tables, request_key, request_same,
                                         (GDestroyNotify) pb_request_free);
      pb_live_list_set_read (self->requests, read_requests, g_strdup (item_id), g_free);
      if (!pb_live_list_refresh (self->requests, &error))
        g_warning ("Cannot read the item's requests: %s", error->message);
      gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->requests), request_row, self, NULL);
      g_signal_connect_object (self->requests, "items-changed", G_CALLBACK (update_visibility), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      self->own = me == NULL || g_strcmp0 (source_org, me->org) == 0;
      g_free (self->source_org);
      self->source_org = g_strdup (source_org);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.ask", !read_only && !self->own);
  update_visibility (self);
}

/* The requests shown (PbLiveItem of PbRequest); NULL for a new item. */
GListModel *
pb_item_editor_requests_get_model (PbItemEditorRequests *self)
{
  return self->requests ? G_LIST_MODEL (self->requests) : NULL;
}
