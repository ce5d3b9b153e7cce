/* pb-meeting-page.c: the consultation meeting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chair opens a meeting (its agenda is proposed at once), records who attends,
 * reorders the agenda, presents one entry at a time and records the decisions; closing
 * the meeting makes its minutes. Everyone else follows: the presented entry is a field of
 * the meeting, written by the chair and brought by the hub's live channel, and the page
 * shows it as soon as it arrives, unless the participant switched Follow off to look at
 * other entries. The projector window is the room's screen: it shows only what every
 * attending organisation may see.
 *
 * What the page shows are live lists of the store (pb-meeting-lists.c): the meetings, the
 * attendance and agenda of the meeting on view, the decisions and actions on the item of
 * the entry on view. Whatever writes them — this page, the chair's Portboard elsewhere, a
 * synchronisation — the lists change and the page follows (update_view()): nothing is read
 * again by hand. The agenda and the entry on view are panels of their own
 * (PbMeetingAgenda, PbMeetingEntryView); the dialogs are classes that say what was filled
 * in, and the page writes it through the core.
 */

#define G_LOG_DOMAIN "pb-meeting-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-lists.h"
#include "pb-meeting-page-private.h"
#include "pb-minutes.h"

#define MAP_W 640
#define MAP_H 300

G_DEFINE_FINAL_TYPE (PbMeetingPage, pb_meeting_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_pb_meeting_page_toast (PbMeetingPage *self,
                        const char    *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static char *
format_time (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_s);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

/* The meeting on view, as the list of meetings has it now. */
const PbMeeting *
_pb_meeting_page_current (PbMeetingPage *self)
{
  return self->meetings && self->meeting_id ? pb_live_list_find (self->meetings, self->meeting_id, NULL) : NULL;
}

/* The entry on view, as the agenda has it now. */
const PbAgendaEntry *
_pb_meeting_page_shown (PbMeetingPage *self)
{
  return self->agenda && self->shown_entry ? pb_live_list_find (self->agenda, self->shown_entry, NULL) : NULL;
}

gboolean
_pb_meeting_page_is_chair (PbMeetingPage *self)
{
  return self->context && pb_context_get_is_chair (self->context);
}

/* Whether the meeting on view is open: its record can change. */
gboolean
_pb_meeting_page_is_open (PbMeetingPage *self)
{
  const PbMeeting *m = _pb_meeting_page_current (self);

  return m != NULL && !m->closed;
}

static void
update_actions (PbMeetingPage *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  const PbAgendaEntry *e = _pb_meeting_page_shown (self);
  gboolean chair = _pb_meeting_page_is_chair (self);
  gboolean chair_open = chair && _pb_meeting_page_is_open (self);

  gtk_widget_action_set_enabled (w, "meeting.new", chair);
  gtk_widget_action_set_enabled (w, "meeting.propose", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.add-item", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.attendance", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.close", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.move-entry", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.move-focused", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.remove-entry", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.minutes", _pb_meeting_page_current (self) != NULL);
  gtk_widget_action_set_enabled (w, "meeting.projector", _pb_meeting_page_current (self) != NULL);
  gtk_widget_action_set_enabled (w, "meeting.decide", chair_open && e != NULL && e->card != NULL);
  gtk_widget_set_visible (self->new_button, chair);
  gtk_widget_set_visible (self->close_button, chair_open);
  gtk_widget_set_visible (self->attendance_button, chair);
  gtk_widget_set_visible (GTK_WIDGET (self->follow_button), !chair && _pb_meeting_page_is_open (self));
}

/* ---- The projector ----------------------------------------------------------------- */

/* The map snapshot of the room's screen, drawn again only for another place. */
static GdkTexture *
projector_map (PbMeetingPage       *self,
               const PbAgendaEntry *e)
{
  g_autofree char *key = NULL;

  if (!e->located || self->renderer == NULL)
    return NULL;
  key = g_strdup_printf ("%.6f %.6f", e->lat, e->lon);
  if (g_strcmp0 (key, self->projector_map_of) != 0)
    {
      g_clear_object (&self->projector_map);
      self->projector_map = pb_meeting_map_texture (self->renderer, e->lat, e->lon, MAP_W, MAP_H, 2);
      g_free (self->projector_map_of);
      self->projector_map_of = g_steal_pointer (&key);
    }
  return self->projector_map;
}

/* The room's screen shows the entry presented (or the one on view), if everyone in the
 * room may see it. */
static void
update_projector (PbMeetingPage *self)
{
  const PbMeeting *m = _pb_meeting_page_current (self);
  const PbAgendaEntry *e = NULL;
  g_auto(GStrv) room = NULL;
  g_autoptr(GString) decided = g_string_new (NULL);
  gboolean may_see;
  guint position = 0;

  if (self->projector == NULL || m == NULL)
    return;
  e = pb_live_list_find (self->agenda, m->presenting ? m->presenting : self->shown_entry, &position);
  room = pb_meeting_room_orgs (self->store, m->id, NULL);
  may_see = e && room && pb_meeting_room_may_see (self->store, e->item, (const char *const *) room);
  if (may_see)
    {
      g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (self->store, m->id, e->item, NULL);

      for (guint i = 0; decisions && i < decisions->len; i++)
        {
          g_autofree char *text = pb_meeting_decision_text (decisions->pdata[i]);
          g_string_append_printf (decided, "%s%s", decided->len ? "\n\n" : "", text);
        }
    }
  pb_projector_window_show (self->projector, m->title, position + 1,
                            g_list_model_get_n_items (G_LIST_MODEL (self->agenda)), e, may_see,
                            may_see ? projector_map (self, e) : NULL, decided->str);
}

GtkWindow *
pb_meeting_page_open_projector (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);

  if (self->projector == NULL)
    {
      self->projector = pb_projector_window_new ();
      g_object_add_weak_pointer (G_OBJECT (self->projector), (gpointer *) &self->projector);
      gtk_window_set_transient_for (GTK_WINDOW (self->projector), NULL);
    }
  update_projector (self);
  gtk_window_present (GTK_WINDOW (self->projector));
  return GTK_WINDOW (self->projector);
}

/* ---- Following the lists ----------------------------------------------------------- */

/* Another meeting on view: its agenda and attendance are read, and followed. */
static void
set_meeting (PbMeetingPage *self,
             const char    *meeting_id)
{
  if (g_strcmp0 (self->meeting_id, meeting_id) == 0)
    return;
  g_free (self->meeting_id);
  self->meeting_id = g_strdup (meeting_id);
  g_clear_pointer (&self->shown_entry, g_free);
  self->connected_said = FALSE;
  pb_meeting_lists_read_agenda (self->agenda, meeting_id);
  pb_meeting_lists_read_attendance (self->attendance, meeting_id);
}

/* With no meeting on view (or the one on view gone): the open meeting if there is one,
 * else the latest. A meeting opened elsewhere while none was shown is the one to follow. */
static void
choose_meeting (PbMeetingPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->meetings));
  const PbMeeting *pick = NULL;

  if (_pb_meeting_page_current (self) != NULL)
    return;
  for (guint i = 0; pick == NULL && i < n; i++)
    if (!((const PbMeeting *) pb_live_list_get (self->meetings, i))->closed)
      pick = pb_live_list_get (self->meetings, i);
  if (pick == NULL && n > 0)
    pick = pb_live_list_get (self->meetings, 0);
  set_meeting (self, pick ? pick->id : NULL);
}

static void
select_in_choice (PbMeetingPage *self)
{
  guint position;

  if (self->meeting_id && pb_live_list_find (self->meetings, self->meeting_id, &position)
      && gtk_drop_down_get_selected (self->meeting_choice) != position)
    {
      self->filling = TRUE;
      gtk_drop_down_set_selected (self->meeting_choice, position);
      self->filling = FALSE;
    }
}

static void
update_status (PbMeetingPage   *self,
               const PbMeeting *m)
{
  g_autofree char *when = format_time (m->starts_at);
  g_autofree char *text = NULL;

  if (m->closed)
    text = g_strdup_printf (_("%s · %s · closed · chaired by %s"), when, m->place ? m->place : "—",
                            m->chair_name ? m->chair_name : "?");
  else
    text = g_strdup_printf (_("%s · %s · open · chaired by %s"), when, m->place ? m->place : "—",
                            m->chair_name ? m->chair_name : "?");
  gtk_label_set_label (self->meeting_status, text);
}

/* Shows an entry of the agenda (%NULL, or one no longer on it: none); the decisions and
 * actions follow its item. */
static void
show_entry (PbMeetingPage *self,
            const char    *entry_id)
{
  guint position = 0;
  const PbAgendaEntry *e = entry_id ? pb_live_list_find (self->agenda, entry_id, &position) : NULL;
  g_autoptr(PbLiveItem) item = e ? g_list_model_get_item (G_LIST_MODEL (self->agenda), position) : NULL;
  const char *item_id = e && e->card ? e->item : NULL;
  gboolean changed = g_strcmp0 (self->shown_entry, e ? e->id : NULL) != 0;

  if (changed)
    {
      g_free (self->shown_entry);
      self->shown_entry = e ? g_strdup (e->id) : NULL;
    }
  if (g_strcmp0 (self->shown_item, item_id) != 0)
    {
      g_free (self->shown_item);
      self->shown_item = g_strdup (item_id);
      pb_meeting_lists_read_decisions (self->decisions, item_id);
      pb_meeting_lists_read_actions (self->actions, item_id);
    }
  pb_meeting_entry_view_show (self->entry_view, item, position + 1,
                              g_list_model_get_n_items (G_LIST_MODEL (self->agenda)));
  pb_meeting_agenda_set_shown (self->agenda_panel, self->shown_entry);
  /* Side by side, the focus stays in the agenda (the leaflet would move it to the entry):
   * the chair goes down the agenda with the keyboard. */
  if (changed && e && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "entry");
}

/* Following: the entry the chair presents; else the one looked at stays. */
static void
follow (PbMeetingPage *self)
{
  const PbMeeting *m = _pb_meeting_page_current (self);

  if (m && m->presenting
      && (_pb_meeting_page_is_chair (self) || gtk_toggle_button_get_active (self->follow_button)))
    show_entry (self, m->presenting);
  else
    show_entry (self, self->shown_entry);
}

/* A participant's Portboard says once that their organisation is connected. */
static void
say_connected (PbMeetingPage *self)
{
  g_autoptr(GError) error = NULL;

  /* Only while the page is on screen: opening Portboard is not joining the meeting. */
  if (self->connected_said || _pb_meeting_page_is_chair (self) || !self->context
      || !pb_context_get_can_write (self->context) || !_pb_meeting_page_is_open (self)
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->connected_said = TRUE;
  if (!pb_meeting_set_connected (self->store, self->meeting_id, TRUE, &error))
    g_debug ("Cannot say that we are connected: %s", error->message);
}

static void
update_view_once (PbMeetingPage *self)
{
  const PbMeeting *m;
  gboolean chair = _pb_meeting_page_is_chair (self);

  choose_meeting (self);
  m = _pb_meeting_page_current (self);
  gtk_widget_set_visible (GTK_WIDGET (self->meeting_choice),
                          g_list_model_get_n_items (G_LIST_MODEL (self->meetings)) > 0);
  select_in_choice (self);
  if (m)
    {
      update_status (self, m);
      gtk_stack_set_visible_child_name (self->stack, "meeting");
    }
  else
    {
      /* Partners take no part in the consultation's own record. */
      adw_status_page_set_description (self->none_page,
                                       chair
                                       ? _("Open the first meeting with New Meeting: its agenda is proposed from the items in joint assessment and the week’s new reports.")
                                       : _("The chair of the consultation opens the meetings; they appear here, and you can follow the one in progress."));
      gtk_stack_set_visible_child_name (self->stack, "none");
    }
  pb_meeting_agenda_set_presenting (self->agenda_panel, m ? m->presenting : NULL);
  pb_meeting_agenda_set_editable (self->agenda_panel, chair && m && !m->closed);
  pb_meeting_entry_view_set_can_decide (self->entry_view, chair && m && !m->closed);
  follow (self);
  say_connected (self);
  update_actions (self);
  update_projector (self);
}

/* What the page shows, as the lists are now. A list read while the page follows another
 * (a meeting chosen, an entry shown) says so again: the page follows once more. */
static void
update_view (PbMeetingPage *self)
{
  if (self->meetings == NULL)
    return;
  if (self->updating)
    {
      self->update_again = TRUE;
      return;
    }
  self->updating = TRUE;
  do
    {
      self->update_again = FALSE;
      update_view_once (self);
    }
  while (self->update_again);
  self->updating = FALSE;
}

/* The meeting choice follows the list of meetings; while the list changes, what the choice
 * says it selected is not the person's choice. */
static void
on_meetings_changing_cb (PbMeetingPage *self)
{
  self->meetings_changing = TRUE;
}

static void
on_meetings_changed_cb (PbMeetingPage *self)
{
  self->meetings_changing = FALSE;
  update_view (self);
}

static void
on_meeting_selected_cb (PbMeetingPage *self)
{
  const PbMeeting *m;

  if (self->filling || self->meetings_changing || self->meetings == NULL)
    return;
  m = pb_live_list_get (self->meetings, gtk_drop_down_get_selected (self->meeting_choice));
  if (m == NULL || g_strcmp0 (m->id, self->meeting_id) == 0)
    return;
  set_meeting (self, m->id);
  update_view (self);
}

static void
on_follow_toggled_cb (PbMeetingPage *self)
{
  update_view (self);
}

static void
on_entry_activated_cb (PbMeetingAgenda *agenda,
                       const char      *entry_id,
                       PbMeetingPage   *self)
{
  const PbMeeting *m = _pb_meeting_page_current (self);
  g_autofree char *id = g_strdup (entry_id);
  g_autoptr(GError) error = NULL;

  if (_pb_meeting_page_is_chair (self) && _pb_meeting_page_is_open (self))
    {
      if (!pb_meeting_page_present (self, id, &error))
        _pb_meeting_page_toast (self, error->message);
      return;
    }
  /* A participant who looks at another entry stops following. */
  if (m && !m->closed && m->presenting && g_strcmp0 (id, m->presenting) != 0)
    gtk_toggle_button_set_active (self->follow_button, FALSE);
  show_entry (self, id);
  update_actions (self);
  update_projector (self);
}

/* A meeting in the meeting choice: its title and day. */
static char *
meeting_name (PbLiveItem *item,
              gpointer    data)
{
  const PbMeeting *m = pb_live_item_get (item);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->starts_at);
  g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d");

  return g_strdup_printf ("%s — %s", m->title, day);
}

static void
make_lists (PbMeetingPage *self)
{
  g_clear_object (&self->meetings);
  g_clear_object (&self->attendance);
  g_clear_object (&self->agenda);
  g_clear_object (&self->decisions);
  g_clear_object (&self->actions);

  self->meetings = pb_meeting_lists_new_meetings (self->store);
  /* Before the choice's model follows the list, and after. */
  g_signal_connect_object (self->meetings, "items-changed", G_CALLBACK (on_meetings_changing_cb), self,
                           G_CONNECT_SWAPPED);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->meeting_choice, G_LIST_MODEL (self->meetings));
  self->filling = FALSE;
  g_signal_connect_object (self->meetings, "items-changed", G_CALLBACK (on_meetings_changed_cb), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);

  self->attendance = pb_meeting_lists_new_attendance (self->store);
  self->agenda = pb_meeting_lists_new_agenda (self->store);
  self->decisions = pb_meeting_lists_new_decisions (self->store);
  self->actions = pb_meeting_lists_new_actions (self->store);
  pb_meeting_agenda_set_lists (self->agenda_panel, self->agenda, self->attendance);
  pb_meeting_entry_view_set_lists (self->entry_view, self->decisions, self->actions);
  g_signal_connect_object (self->agenda, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  /* Who is in the room and what was decided: what the room's screen may show. */
  g_signal_connect_object (self->attendance, "items-changed", G_CALLBACK (update_projector), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  g_signal_connect_object (self->decisions, "items-changed", G_CALLBACK (update_projector), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
}

/**
 * pb_meeting_page_load:
 *
 * Shows the meetings to the person signed in (@context): the open meeting if there is
 * one, else the latest. From then on the page follows the store.
 */
void
pb_meeting_page_load (PbMeetingPage *self,
                      PbContext     *context)
{
  PbStore *store = pb_context_get_store (context);

  g_return_if_fail (PB_IS_MEETING_PAGE (self));

  if (self->context != context)
    {
      if (self->context)
        g_signal_handlers_disconnect_by_data (self->context, self);
      g_set_object (&self->context, context);
      g_signal_connect_object (context, "notify::is-chair", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "notify::can-write", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
    }
  if (self->renderer == NULL)
    {
      g_autofree char *path = pb_map_default_basemap_path ();

      self->basemap = pb_mbtiles_open (path, NULL);
      if (self->basemap)
        self->renderer = pb_map_renderer_new (self->basemap);
    }
  pb_meeting_entry_view_set_store (self->entry_view, store, self->renderer);
  if (self->store != store)
    {
      g_set_object (&self->store, store);
      make_lists (self);
    }
  /* Read again as the person signed in now may see it. */
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->shown_entry, g_free);
  g_clear_pointer (&self->shown_item, g_free);
  self->connected_said = FALSE;
  pb_meeting_lists_read_meetings (self->meetings);
  update_view (self);
}

/**
 * pb_meeting_page_show_meeting:
 *
 * Returns: whether the meeting exists and is shown
 */
gboolean
pb_meeting_page_show_meeting (PbMeetingPage *self,
                              const char    *meeting_id)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), FALSE);

  if (self->meetings == NULL || pb_live_list_find (self->meetings, meeting_id, NULL) == NULL)
    return FALSE;
  set_meeting (self, meeting_id);
  update_view (self);
  return TRUE;
}

const char *
pb_meeting_page_get_meeting (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);

  return _pb_meeting_page_current (self) ? self->meeting_id : NULL;
}

const char *
pb_meeting_page_get_shown_entry (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);

  return self->shown_entry;
}

/**
 * pb_meeting_page_get_agenda:
 *
 * Returns: (transfer none) (nullable): the agenda of the meeting on view, as the page
 *   shows it (a list of PbLiveItem holding PbAgendaEntry)
 */
GListModel *
pb_meeting_page_get_agenda (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);

  return self->agenda ? G_LIST_MODEL (self->agenda) : NULL;
}

/**
 * pb_meeting_page_present:
 *
 * The chair presents an entry: written on the meeting, so that everyone follows.
 */
gboolean
pb_meeting_page_present (PbMeetingPage *self,
                         const char    *entry_id,
                         GError       **error)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), FALSE);

  if (_pb_meeting_page_current (self) == NULL)
    return FALSE;
  return pb_meeting_present (self->store, self->meeting_id, entry_id, error);
}

/* ---- Minutes ---------------------------------------------------------------------- */

/**
 * pb_meeting_page_write_minutes:
 *
 * Writes the minutes of the meeting shown to @path, with map snapshots; their SHA-256 is
 * recorded.
 */
gboolean
pb_meeting_page_write_minutes (PbMeetingPage *self,
                               const char    *path,
                               GError       **error)
{
  g_autofree char *sha = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), FALSE);
  g_return_val_if_fail (_pb_meeting_page_current (self) != NULL, FALSE);

  if (!pb_minutes_export (self->store, self->meeting_id, self->renderer, path, &sha, error))
    return FALSE;
  /* Translators: %s is the start of the minutes' SHA-256 */
  message = g_strdup_printf (_("Minutes saved (SHA-256 %.12s…, recorded in the access log)"), sha);
  _pb_meeting_page_toast (self, message);
  return TRUE;
}

/* ---- Class ------------------------------------------------------------------------- */

static void
on_map_cb (PbMeetingPage *self)
{
  say_connected (self);
}

static void
pb_meeting_page_dispose (GObject *object)
{
  PbMeetingPage *self = PB_MEETING_PAGE (object);
  GtkWidget *child;

  if (self->projector)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->projector), (gpointer *) &self->projector);
      gtk_window_destroy (GTK_WINDOW (self->projector));
      self->projector = NULL;
    }
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->context)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->meetings);
  g_clear_object (&self->attendance);
  g_clear_object (&self->agenda);
  g_clear_object (&self->decisions);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->shown_entry, g_free);
  g_clear_pointer (&self->shown_item, g_free);
  g_clear_pointer (&self->projector_map_of, g_free);
  g_clear_object (&self->projector_map);
  g_clear_pointer (&self->renderer, pb_map_renderer_free);
  g_clear_pointer (&self->basemap, pb_mbtiles_free);
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (pb_meeting_page_parent_class)->dispose (object);
}

static void
pb_meeting_page_class_init (PbMeetingPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_page_dispose;

  /* "Open in Board" on an entry: the item's id. */
  signals[SIGNAL_OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (PB_TYPE_MEETING_AGENDA);
  g_type_ensure (PB_TYPE_MEETING_ENTRY_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, meeting_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, meeting_status);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, follow_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, attendance_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, none_page);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, agenda_panel);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, entry_view);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_toggled_cb);

  _pb_meeting_page_class_actions_init (klass);
}

static void
pb_meeting_page_init (PbMeetingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_expression (self->meeting_choice,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (meeting_name),
                                                             NULL, NULL));
  g_signal_connect_swapped (self->meeting_choice, "notify::selected", G_CALLBACK (on_meeting_selected_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  update_actions (self);
}
