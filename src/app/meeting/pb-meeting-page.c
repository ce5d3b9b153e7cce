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
 */

#define G_LOG_DOMAIN "pb-meeting-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-form-dialog.h"
#include "pb-meeting-page.h"
#include "pb-minutes.h"
#include "pb-projector-window.h"

#define MAP_W 640
#define MAP_H 300

struct _PbMeetingPage
{
  GtkWidget       parent_instance;

  PbStore        *store;
  PbMbtiles      *basemap;
  PbMapRenderer  *renderer;
  GPtrArray      *meetings;    /* PbMeeting, latest first */
  PbMeeting      *meeting;     /* the one shown */
  GPtrArray      *agenda;      /* PbAgendaEntry */
  char           *shown_entry;
  char           *my_org;
  gboolean        is_chair;
  gboolean        can_write;
  PbContext      *context;
  gboolean        filling;
  gboolean        connected_said;
  gboolean        stale;       /* a reload was asked for while the page was hidden */
  PbProjectorWindow *projector;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwToastOverlay *toasts;
  GtkDropDown    *meeting_choice;
  GtkLabel       *meeting_status;
  GtkToggleButton *follow_button;
  GtkWidget      *attendance_button;
  GtkWidget      *close_button;
  GtkWidget      *new_button;
  GtkStack       *stack;
  AdwStatusPage  *none_page;
  AdwLeaflet     *leaflet;
  GtkLabel       *attendance_label;
  GtkListBox     *agenda_list;
  GtkStack       *detail_stack;
  GtkBox         *detail_box;
};

G_DEFINE_FINAL_TYPE (PbMeetingPage, pb_meeting_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_entry (PbMeetingPage *self, const char *entry_id);
static void update_projector (PbMeetingPage *self);

static void
toast (PbMeetingPage *self,
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

/**
 * pb_meeting_map_texture:
 *
 * Returns: (transfer full): the basemap around a place, the place marked at the centre
 */
GdkTexture *
pb_meeting_map_texture (PbMapRenderer *renderer,
                        double         lat,
                        double         lon,
                        int            width,
                        int            height,
                        int            scale)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  PbMapView view;

  /* The same place at any size: a larger picture is the same map drawn larger. */
  cairo_scale (cr, scale, scale);
  pb_map_view_init (&view, lat, lon, 14, width, height);
  pb_map_render (renderer, cr, &view, NULL, 0);
  /* A fresh path: the renderer leaves its last point where it wrote the attribution. */
  cairo_new_path (cr);
  cairo_arc (cr, width / 2.0, height / 2.0, 9, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_arc (cr, width / 2.0, height / 2.0, 6, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height * scale);
  texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                    (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

static const PbAgendaEntry *
find_entry (PbMeetingPage *self,
            const char    *entry_id,
            guint         *position)
{
  for (guint i = 0; self->agenda && entry_id && i < self->agenda->len; i++)
    if (g_strcmp0 (((PbAgendaEntry *) self->agenda->pdata[i])->id, entry_id) == 0)
      {
        if (position)
          *position = i + 1;
        return self->agenda->pdata[i];
      }
  return NULL;
}

static gboolean
meeting_open (PbMeetingPage *self)
{
  return self->meeting != NULL && !self->meeting->closed;
}

static void
update_actions (PbMeetingPage *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean chair_open = self->is_chair && meeting_open (self);

  gtk_widget_action_set_enabled (w, "meeting.new", self->is_chair);
  gtk_widget_action_set_enabled (w, "meeting.propose", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.add-item", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.attendance", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.close", chair_open);
  gtk_widget_action_set_enabled (w, "meeting.minutes", self->meeting != NULL);
  gtk_widget_action_set_enabled (w, "meeting.projector", self->meeting != NULL);
  gtk_widget_action_set_enabled (w, "meeting.decide", chair_open && self->shown_entry != NULL);
  gtk_widget_set_visible (self->new_button, self->is_chair);
  gtk_widget_set_visible (self->close_button, chair_open);
  gtk_widget_set_visible (self->attendance_button, self->is_chair);
  gtk_widget_set_visible (GTK_WIDGET (self->follow_button), !self->is_chair && meeting_open (self));
}

/* ---- The agenda -------------------------------------------------------------------- */

/* Moves an entry one place up (-1) or down (+1); the focus stays on it. */
static void
move_entry (PbMeetingPage *self,
            const char    *entry,
            int            delta)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (entry);
  guint pos = 0;
  const char *before = NULL;

  if (find_entry (self, id, &pos) == NULL)
    return;
  /* Up: before the one above; down: before the one two below (or at the end). */
  if (delta < 0 && pos >= 2)
    before = ((PbAgendaEntry *) self->agenda->pdata[pos - 2])->id;
  else if (delta > 0 && pos + 1 < self->agenda->len)
    before = ((PbAgendaEntry *) self->agenda->pdata[pos + 1])->id;
  else if (delta < 0 || pos == self->agenda->len)
    return;
  if (!pb_meeting_move_entry (self->store, id, before, &error))
    {
      toast (self, error->message);
      return;
    }
  pb_meeting_page_reload (self);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->agenda_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "entry-id"), id) == 0)
      gtk_widget_grab_focus (row);
}

static void
on_move_clicked_cb (GtkButton     *button,
                    PbMeetingPage *self)
{
  move_entry (self, g_object_get_data (G_OBJECT (button), "entry-id"),
              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delta")));
}

/* Alt+↑ and Alt+↓ on the focused entry, as on the board. */
static void
move_focused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  while (focus && !GTK_IS_LIST_BOX_ROW (focus))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL || gtk_widget_get_parent (focus) != GTK_WIDGET (self->agenda_list)
      || !self->is_chair || !meeting_open (self))
    return;
  move_entry (self, g_object_get_data (G_OBJECT (focus), "entry-id"), g_variant_get_int32 (param));
}

static void
on_remove_clicked_cb (GtkButton     *button,
                      PbMeetingPage *self)
{
  const char *entry = g_object_get_data (G_OBJECT (button), "entry-id");
  g_autoptr(GError) error = NULL;

  if (!pb_meeting_remove_entry (self->store, entry, &error))
    {
      toast (self, error->message);
      return;
    }
  if (g_strcmp0 (self->shown_entry, entry) == 0)
    g_clear_pointer (&self->shown_entry, g_free);
  toast (self, _("Taken off the agenda"));
  pb_meeting_page_reload (self);
}

static GtkWidget *
icon_button (PbMeetingPage *self,
             const char    *icon,
             const char    *tooltip,
             const char    *entry_id,
             GCallback      callback,
             int            delta)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "entry-id", g_strdup (entry_id), g_free);
  g_object_set_data (G_OBJECT (button), "delta", GINT_TO_POINTER (delta));
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static char *
entry_title (const PbAgendaEntry *e)
{
  if (e->card)
    return g_strdup (pb_card_get_title (e->card));
  return g_strdup_printf (_("Restricted item (%s)"), e->item_org_name ? e->item_org_name : "?");
}

static GtkWidget *
agenda_row (PbMeetingPage       *self,
            const PbAgendaEntry *e,
            guint                position)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *number = g_strdup_printf ("%u", position);
  g_autofree char *title = entry_title (e);
  g_autofree char *reasons = pb_agenda_reasons_label (e->reasons);
  g_autoptr(GString) meta = g_string_new (NULL);
  g_autofree char *accessible = NULL;
  gboolean presented = self->meeting && g_strcmp0 (self->meeting->presenting, e->id) == 0;
  GtkWidget *label;

  label = gtk_label_new (number);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_width_chars (GTK_LABEL (label), 2);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (presented)
    gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (texts), label);
  if (e->card)
    {
      const char *hits = pb_card_get_hit_codes (e->card);

      g_string_append_printf (meta, "%s · TLP:%s", pb_card_get_source_code (e->card),
                              pb_tlp_to_string (pb_card_get_tlp (e->card)));
      if (hits && *hits)
        /* Translators: on an agenda entry: organisations that hold the same identifier */
        g_string_append_printf (meta, " · %s %s", _("hit with"), hits);
      if (e->port_area)
        g_string_append_printf (meta, " · %s", e->port_area);
    }
  g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", reasons);
  label = gtk_label_new (meta->str);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (texts), label);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);

  if (presented)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("video-display-symbolic");
      gtk_widget_set_tooltip_text (icon, _("Presented now"));
      gtk_box_append (GTK_BOX (box), icon);
    }
  if (e->n_decisions > 0)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_set_tooltip_text (icon, _("Decided"));
      gtk_widget_add_css_class (icon, "success");
      gtk_box_append (GTK_BOX (box), icon);
    }
  if (self->is_chair && meeting_open (self))
    {
      gtk_box_append (GTK_BOX (box), icon_button (self, "go-up-symbolic", _("Move Up"), e->id,
                                                  G_CALLBACK (on_move_clicked_cb), -1));
      gtk_box_append (GTK_BOX (box), icon_button (self, "go-down-symbolic", _("Move Down"), e->id,
                                                  G_CALLBACK (on_move_clicked_cb), +1));
      gtk_box_append (GTK_BOX (box), icon_button (self, "list-remove-symbolic", _("Take Off the Agenda"), e->id,
                                                  G_CALLBACK (on_remove_clicked_cb), 0));
    }

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Screen readers hear the entry whole, and whether it is the one presented. */
  accessible = g_strdup_printf ("%s %s. %s%s", number, title, meta->str, presented ? _(", presented now") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "entry-id", g_strdup (e->id), g_free);
  return row;
}

static void
fill_agenda (PbMeetingPage *self)
{
  GtkWidget *child;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attendance = NULL;
  g_autoptr(GString) who = g_string_new (NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->agenda_list))))
    gtk_list_box_remove (self->agenda_list, child);
  g_clear_pointer (&self->agenda, g_ptr_array_unref);
  if (self->meeting == NULL)
    return;
  self->agenda = pb_meeting_list_agenda (self->store, self->meeting->id, &error);
  if (self->agenda == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < self->agenda->len; i++)
    gtk_list_box_append (self->agenda_list, agenda_row (self, self->agenda->pdata[i], i + 1));

  attendance = pb_meeting_list_attendance (self->store, self->meeting->id, NULL);
  for (guint i = 0; attendance && i < attendance->len; i++)
    {
      PbAttendance *a = attendance->pdata[i];
      g_string_append_printf (who, "%s%s%s", who->len ? ", " : "", a->org_code,
                              a->in_room ? "" : _(" (connected)"));
    }
  {
    /* Translators: above the agenda: the organisations attending */
    g_autofree char *text = who->len ? g_strdup_printf (_("Attending: %s"), who->str)
                                     : g_strdup (_("No attendance recorded yet"));
    gtk_label_set_label (self->attendance_label, text);
  }
}

/* ---- The entry shown --------------------------------------------------------------- */

static GtkWidget *
section (const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 6);
  return label;
}

static GtkWidget *
text_line (const char *text,
           gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static char *
decision_text (const PbDecision *d)
{
  g_autoptr(GString) out = g_string_new (pb_outcome_label (d->outcome));
  g_autofree char *when = format_time (d->decided_at);

  if (d->lead_name)
    g_string_append_printf (out, " · %s %s", _("lead"), d->lead_name);
  if (d->priority)
    {
      PbPriority p;
      if (pb_priority_from_string (d->priority, &p))
        g_string_append_printf (out, " · %s", pb_priority_label (p));
    }
  if (d->case_title)
    g_string_append_printf (out, " · %s", d->case_title);
  if (d->share_names)
    g_string_append_printf (out, " · %s %s", _("shared with"), d->share_names);
  if (d->tlp)
    g_string_append_printf (out, " · TLP:%s", d->tlp);
  if (d->note)
    g_string_append_printf (out, "\n%s", d->note);
  g_string_append_printf (out, "\n%s, %s", d->decided_by ? d->decided_by : "?", when);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_open_in_board_clicked_cb (GtkButton     *button,
                             PbMeetingPage *self)
{
  const PbAgendaEntry *e = find_entry (self, self->shown_entry, NULL);

  if (e && e->card)
    g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, e->item);
}

static void
on_action_done_clicked_cb (GtkButton     *button,
                           PbMeetingPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!pb_meeting_set_action_done (self->store, g_object_get_data (G_OBJECT (button), "action-id"),
                                   GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "done")), &error))
    {
      toast (self, error->message);
      return;
    }
  pb_meeting_page_reload (self);
}

static void
show_entry (PbMeetingPage *self,
            const char    *entry_id)
{
  const PbAgendaEntry *e;
  GtkWidget *child, *head, *label, *buttons;
  g_autofree char *title = NULL;
  g_autofree char *reasons = NULL;
  guint position = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))))
    gtk_box_remove (self->detail_box, child);

  e = find_entry (self, entry_id, &position);
  if (e == NULL)
    {
      g_clear_pointer (&self->shown_entry, g_free);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      update_actions (self);
      return;
    }
  if (entry_id != self->shown_entry)
    {
      g_free (self->shown_entry);
      self->shown_entry = g_strdup (entry_id);
    }
  title = entry_title (e);
  reasons = pb_agenda_reasons_label (e->reasons);

  head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  if (e->card)
    {
      g_autofree char *tlp = g_strdup_printf ("TLP:%s", pb_tlp_to_string (pb_card_get_tlp (e->card)));
      label = gtk_label_new (tlp);
      gtk_widget_add_css_class (label, "tlp-chip");
      gtk_widget_add_css_class (label, pb_tlp_css_class (pb_card_get_tlp (e->card)));
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (head), label);
    }
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "title-1");
  gtk_box_append (GTK_BOX (head), label);
  gtk_box_append (self->detail_box, head);

  if (e->card == NULL)
    {
      gtk_box_append (self->detail_box,
                      text_line (_("Your organisation may not see this item. Its organisation presents it."), TRUE));
      gtk_stack_set_visible_child_name (self->detail_stack, "entry");
      update_actions (self);
      return;
    }

  {
    PbCard *c = e->card;
    const char *ident = pb_card_get_main_identifier (c);
    const char *grading = pb_card_get_grading (c);
    g_autofree char *meta = g_strdup_printf ("%u / %u · %s · %s%s%s · %s%s%s%s%s", position, self->agenda->len,
                                             pb_card_get_source_code (c), pb_status_label (pb_card_get_status (c)),
                                             grading ? " · " : "", grading ? grading : "",
                                             pb_priority_label (pb_card_get_priority (c)),
                                             ident ? " · " : "", ident ? ident : "",
                                             e->port_area ? " · " : "", e->port_area ? e->port_area : "");
    g_autofree char *why = g_strdup_printf (_("On the agenda: %s"), reasons);

    gtk_box_append (self->detail_box, text_line (meta, FALSE));
    gtk_box_append (self->detail_box, text_line (why, TRUE));
  }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (self->is_chair && meeting_open (self))
    {
      GtkWidget *decide = gtk_button_new_with_mnemonic (_("_Decide…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (decide), "meeting.decide");
      gtk_widget_add_css_class (decide, "suggested-action");
      gtk_box_append (GTK_BOX (buttons), decide);
    }
  {
    GtkWidget *open = gtk_button_new_with_mnemonic (_("Open in _Board"));
    g_signal_connect (open, "clicked", G_CALLBACK (on_open_in_board_clicked_cb), self);
    gtk_box_append (GTK_BOX (buttons), open);
  }
  gtk_box_append (self->detail_box, buttons);

  if (e->located && self->renderer)
    {
      g_autoptr(GdkTexture) map = pb_meeting_map_texture (self->renderer, e->lat, e->lon, MAP_W, MAP_H, 1);
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (map));

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, -1, MAP_H);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      e->port_area ? e->port_area : _("Where the item is"), -1);
      gtk_box_append (self->detail_box, picture);
    }

  {
    g_autoptr(GPtrArray) hits = pb_store_list_hits (self->store, e->item, NULL);

    if (hits && hits->len > 0)
      {
        gtk_box_append (self->detail_box, section (_("Hits")));
        for (guint i = 0; i < hits->len; i++)
          {
            PbHit *hit = hits->pdata[i];
            g_autofree char *line = g_strdup_printf (_("%s is also known to %s — contact them"), hit->value,
                                                     hit->org_name);
            gtk_box_append (self->detail_box, text_line (line, FALSE));
          }
      }
  }

  {
    g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (self->store, NULL, e->item, NULL);
    g_autoptr(GPtrArray) actions = pb_meeting_list_actions (self->store, NULL, FALSE, NULL);

    gtk_box_append (self->detail_box, section (_("Decisions")));
    if (decisions == NULL || decisions->len == 0)
      gtk_box_append (self->detail_box, text_line (_("None yet."), TRUE));
    for (guint i = 0; decisions && i < decisions->len; i++)
      {
        g_autofree char *text = decision_text (decisions->pdata[i]);
        gtk_box_append (self->detail_box, text_line (text, FALSE));
      }
    for (guint i = 0; actions && i < actions->len; i++)
      {
        PbAction *a = actions->pdata[i];
        g_autofree char *line = NULL;
        GtkWidget *row;

        if (g_strcmp0 (a->item, e->item) != 0)
          continue;
        line = g_strdup_printf (_("Action for %s: %s (due %s, %s)"), a->owner_name, a->description,
                                a->due_date ? a->due_date : "—", a->done_at ? _("done") : _("open"));
        row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
        label = text_line (line, FALSE);
        gtk_widget_set_hexpand (label, TRUE);
        gtk_box_append (GTK_BOX (row), label);
        /* The chair, or the organisation that owns it, says that it is done (or not). */
        if (self->is_chair || g_strcmp0 (a->owner_org, self->my_org) == 0)
          {
            GtkWidget *toggle = gtk_button_new_with_mnemonic (a->done_at ? _("Mark _Open") : _("Mark _Done"));

            gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
            g_object_set_data_full (G_OBJECT (toggle), "action-id", g_strdup (a->id), g_free);
            g_object_set_data (G_OBJECT (toggle), "done", GINT_TO_POINTER (a->done_at == 0));
            g_signal_connect (toggle, "clicked", G_CALLBACK (on_action_done_clicked_cb), self);
            gtk_box_append (GTK_BOX (row), toggle);
          }
        gtk_box_append (self->detail_box, row);
      }
  }

  {
    g_autoptr(GPtrArray) history = pb_store_item_history (self->store, e->item, NULL);
    g_autoptr(GPtrArray) orgs = pb_store_list_organisations (self->store, NULL);
    g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
    guint shown = 0;

    /* Organisations by their code, as everywhere else; a card's place in its column is
     * not news. */
    for (guint i = 0; orgs && i < orgs->len; i++)
      g_hash_table_insert (codes, ((PbOrganisation *) orgs->pdata[i])->id, ((PbOrganisation *) orgs->pdata[i])->short_code);
    if (history && history->len > 0)
      gtk_box_append (self->detail_box, section (_("History")));
    for (guint i = 0; history && i < history->len && shown < 8; i++)
      {
        PbHistoryEntry *h = history->pdata[history->len - 1 - i];
        g_autofree char *when = NULL;
        g_autofree char *line = NULL;
        const char *old_value, *new_value;

        if (g_strcmp0 (h->field, "rank") == 0)
          continue;
        when = format_time (h->at_ms / 1000);
        old_value = h->old_value && g_hash_table_lookup (codes, h->old_value) ? g_hash_table_lookup (codes, h->old_value)
                                                                             : h->old_value;
        new_value = h->new_value && g_hash_table_lookup (codes, h->new_value) ? g_hash_table_lookup (codes, h->new_value)
                                                                             : h->new_value;
        line = h->field ? g_strdup_printf ("%s · %s · %s: %s → %s", when, h->author, h->field,
                                           old_value ? old_value : "—", new_value ? new_value : "—")
                        : g_strdup_printf ("%s · %s · %s", when, h->author, h->op);
        gtk_box_append (self->detail_box, text_line (line, TRUE));
        shown++;
      }
  }

  gtk_stack_set_visible_child_name (self->detail_stack, "entry");
  adw_leaflet_set_visible_child_name (self->leaflet, "entry");
  update_actions (self);
}

/* ---- Showing a meeting ------------------------------------------------------------- */

static void
update_status (PbMeetingPage *self)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (self->meeting == NULL)
    return;
  when = format_time (self->meeting->starts_at);
  if (self->meeting->closed)
    text = g_strdup_printf (_("%s · %s · closed · chaired by %s"), when,
                            self->meeting->place ? self->meeting->place : "—",
                            self->meeting->chair_name ? self->meeting->chair_name : "?");
  else
    text = g_strdup_printf (_("%s · %s · open · chaired by %s"), when,
                            self->meeting->place ? self->meeting->place : "—",
                            self->meeting->chair_name ? self->meeting->chair_name : "?");
  gtk_label_set_label (self->meeting_status, text);
}

/* A participant's Portboard says once that their organisation is connected. */
static void
say_connected (PbMeetingPage *self)
{
  g_autoptr(GError) error = NULL;

  /* Only while the page is on screen: opening Portboard is not joining the meeting. */
  if (self->connected_said || self->is_chair || !self->can_write || !meeting_open (self)
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->connected_said = TRUE;
  if (!pb_meeting_set_connected (self->store, self->meeting->id, TRUE, &error))
    g_debug ("Cannot say that we are connected: %s", error->message);
}

static void
on_map_cb (PbMeetingPage *self)
{
  if (self->stale)
    pb_meeting_page_reload (self);
  say_connected (self);
}

gboolean
pb_meeting_page_show_meeting (PbMeetingPage *self,
                              const char    *meeting_id)
{
  g_autoptr(GError) error = NULL;
  PbMeeting *m;

  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), FALSE);

  m = pb_meeting_get (self->store, meeting_id, &error);
  if (m == NULL)
    return FALSE;
  if (self->meeting == NULL || g_strcmp0 (self->meeting->id, m->id) != 0)
    {
      g_clear_pointer (&self->shown_entry, g_free);
      self->connected_said = FALSE;
    }
  g_clear_pointer (&self->meeting, pb_meeting_free);
  self->meeting = m;

  for (guint i = 0; self->meetings && i < self->meetings->len; i++)
    if (g_strcmp0 (((PbMeeting *) self->meetings->pdata[i])->id, m->id) == 0
        && gtk_drop_down_get_selected (self->meeting_choice) != i)
      {
        self->filling = TRUE;
        gtk_drop_down_set_selected (self->meeting_choice, i);
        self->filling = FALSE;
      }

  update_status (self);
  fill_agenda (self);
  gtk_stack_set_visible_child_name (self->stack, "meeting");
  /* Following: the entry the chair presents; else the one looked at stays. */
  if (m->presenting && (self->is_chair || gtk_toggle_button_get_active (self->follow_button)))
    show_entry (self, m->presenting);
  else
    show_entry (self, self->shown_entry);
  say_connected (self);
  update_actions (self);
  update_projector (self);
  return TRUE;
}

const char *
pb_meeting_page_get_meeting (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);
  return self->meeting ? self->meeting->id : NULL;
}

const char *
pb_meeting_page_get_shown_entry (PbMeetingPage *self)
{
  g_return_val_if_fail (PB_IS_MEETING_PAGE (self), NULL);
  return self->shown_entry;
}

static void
fill_meetings (PbMeetingPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->meetings, g_ptr_array_unref);
  self->meetings = pb_meeting_list (self->store, NULL);
  for (guint i = 0; self->meetings && i < self->meetings->len; i++)
    {
      PbMeeting *m = self->meetings->pdata[i];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (m->starts_at);
      g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d");
      g_autofree char *name = g_strdup_printf ("%s — %s", m->title, day);

      gtk_string_list_append (names, name);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->meeting_choice, G_LIST_MODEL (names));
  self->filling = FALSE;
}

void
pb_meeting_page_load (PbMeetingPage *self,
                      PbContext     *context)
{
  PbStore *store = pb_context_get_store (context);
  g_autoptr(PbMeeting) current = NULL;

  g_return_if_fail (PB_IS_MEETING_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->context, context);
  self->is_chair = pb_context_get_is_chair (context);
  g_free (self->my_org);
  self->my_org = g_strdup (pb_context_get_actor (context)->org);
  self->can_write = pb_context_get_can_write (context);
  g_clear_pointer (&self->meeting, pb_meeting_free);
  g_clear_pointer (&self->shown_entry, g_free);
  self->connected_said = FALSE;

  if (self->renderer == NULL)
    {
      g_autofree char *path = pb_map_default_basemap_path ();
      self->basemap = pb_mbtiles_open (path, NULL);
      if (self->basemap)
        self->renderer = pb_map_renderer_new (self->basemap);
    }

  fill_meetings (self);
  /* The open meeting if there is one, else the latest. */
  current = pb_meeting_get_current (store, NULL);
  if (current)
    pb_meeting_page_show_meeting (self, current->id);
  else if (self->meetings && self->meetings->len > 0)
    pb_meeting_page_show_meeting (self, ((PbMeeting *) self->meetings->pdata[0])->id);
  else
    {
      /* Partners take no part in the consultation's own record. */
      adw_status_page_set_description (self->none_page,
                                       self->is_chair
                                       ? _("Open the first meeting with New Meeting: its agenda is proposed from the items in joint assessment and the week’s new reports.")
                                       : _("The chair of the consultation opens the meetings; they appear here, and you can follow the one in progress."));
      gtk_stack_set_visible_child_name (self->stack, "none");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->meeting_choice), self->meetings && self->meetings->len > 0);
  update_actions (self);
}

/* After a sync or an act of this page: the same meeting, as it is now. */
void
pb_meeting_page_reload (PbMeetingPage *self)
{
  g_autofree char *id = NULL;
  g_autoptr(PbMeeting) current = NULL;

  g_return_if_fail (PB_IS_MEETING_PAGE (self));

  if (self->store == NULL || pb_store_get_actor (self->store) == NULL)
    return;
  /* Nobody looks: read it again when the page or the projector is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) && self->projector == NULL)
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  id = self->meeting ? g_strdup (self->meeting->id) : NULL;
  fill_meetings (self);
  gtk_widget_set_visible (GTK_WIDGET (self->meeting_choice), self->meetings && self->meetings->len > 0);
  /* A meeting opened elsewhere while none was shown is the one to follow. */
  if (id == NULL && (current = pb_meeting_get_current (self->store, NULL)) != NULL)
    id = g_strdup (current->id);
  if (id == NULL || !pb_meeting_page_show_meeting (self, id))
    pb_meeting_page_load (self, self->context);
}

static void
on_meeting_selected_cb (GObject       *choice,
                        GParamSpec    *pspec,
                        PbMeetingPage *self)
{
  guint i = gtk_drop_down_get_selected (self->meeting_choice);

  if (self->filling || self->meetings == NULL || i >= self->meetings->len)
    return;
  pb_meeting_page_show_meeting (self, ((PbMeeting *) self->meetings->pdata[i])->id);
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

  if (self->meeting == NULL || !pb_meeting_present (self->store, self->meeting->id, entry_id, error))
    return FALSE;
  g_free (self->shown_entry);
  self->shown_entry = g_strdup (entry_id);
  pb_meeting_page_reload (self);
  return TRUE;
}

static void
on_entry_activated_cb (GtkListBox    *list,
                       GtkListBoxRow *row,
                       PbMeetingPage *self)
{
  const char *entry = g_object_get_data (G_OBJECT (row), "entry-id");
  g_autoptr(GError) error = NULL;

  if (self->is_chair && meeting_open (self))
    {
      if (!pb_meeting_page_present (self, entry, &error))
        toast (self, error->message);
      return;
    }
  /* A participant who looks at another entry stops following. */
  if (meeting_open (self) && self->meeting->presenting && g_strcmp0 (entry, self->meeting->presenting) != 0)
    gtk_toggle_button_set_active (self->follow_button, FALSE);
  show_entry (self, entry);
}

static void
on_follow_toggled_cb (PbMeetingPage *self)
{
  if (gtk_toggle_button_get_active (self->follow_button) && self->meeting && self->meeting->presenting)
    show_entry (self, self->meeting->presenting);
}

/* ---- The projector ----------------------------------------------------------------- */

static void
update_projector (PbMeetingPage *self)
{
  const PbAgendaEntry *e;
  g_auto(GStrv) room = NULL;
  g_autoptr(GdkTexture) map = NULL;
  g_autoptr(GString) decided = g_string_new (NULL);
  gboolean may_see;
  guint position = 0;

  if (self->projector == NULL || self->meeting == NULL)
    return;
  e = find_entry (self, self->meeting->presenting ? self->meeting->presenting : self->shown_entry, &position);
  room = pb_meeting_room_orgs (self->store, self->meeting->id, NULL);
  may_see = e && room && pb_meeting_room_may_see (self->store, e->item, (const char *const *) room);
  if (may_see && e->located && self->renderer)
    map = pb_meeting_map_texture (self->renderer, e->lat, e->lon, MAP_W, MAP_H, 2);
  if (may_see)
    {
      g_autoptr(GPtrArray) decisions = pb_meeting_list_decisions (self->store, self->meeting->id, e->item, NULL);
      for (guint i = 0; decisions && i < decisions->len; i++)
        {
          g_autofree char *text = decision_text (decisions->pdata[i]);
          g_string_append_printf (decided, "%s%s", decided->len ? "\n\n" : "", text);
        }
    }
  pb_projector_window_show (self->projector, self->meeting->title, position, self->agenda ? self->agenda->len : 0,
                            e, may_see, map, decided->str);
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
  if (self->stale)
    pb_meeting_page_reload (self);
  update_projector (self);
  gtk_window_present (GTK_WINDOW (self->projector));
  return GTK_WINDOW (self->projector);
}

static void
projector_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GtkWindow *window = pb_meeting_page_open_projector (PB_MEETING_PAGE (widget));

  gtk_window_fullscreen (window);
}

/* ---- The chair's acts -------------------------------------------------------------- */

static void
propose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!pb_meeting_propose_agenda (self->store, self->meeting->id, &n, &error))
    {
      toast (self, error->message);
      return;
    }
  message = n == 0 ? g_strdup (_("Nothing to add: the agenda holds everything proposed"))
                   : g_strdup_printf (g_dngettext (NULL, "%u entry added to the agenda",
                                                   "%u entries added to the agenda", n), n);
  toast (self, message);
  pb_meeting_page_reload (self);
}

/* "YYYY-MM-DD HH:MM" in local time; 0 when it is not one. */
static gint64
parse_start (const char *text)
{
  int y, mo, d, h, mi;
  char end;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &end) != 5)
    return 0;
  dt = g_date_time_new_local (y, mo, d, h, mi, 0);
  return dt ? g_date_time_to_unix (dt) : 0;
}

static void
on_new_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PbMeetingPage    *self)
{
  GtkEditable *title = g_object_get_data (G_OBJECT (dialog), "title");
  GtkEditable *place = g_object_get_data (G_OBJECT (dialog), "place");
  GtkEditable *starts = g_object_get_data (G_OBJECT (dialog), "starts");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint n = 0;

  if (g_strcmp0 (response, "open") != 0)
    return;
  if (!pb_meeting_open (self->store, gtk_editable_get_text (title), gtk_editable_get_text (place),
                        parse_start (gtk_editable_get_text (starts)), &id, &error)
      || !pb_meeting_propose_agenda (self->store, id, &n, &error))
    {
      toast (self, error->message);
      return;
    }
  fill_meetings (self);
  pb_meeting_page_show_meeting (self, id);
}

static void
on_new_changed_cb (GtkEditable      *editable,
                   AdwMessageDialog *dialog)
{
  GtkEditable *title = g_object_get_data (G_OBJECT (dialog), "title");
  GtkEditable *starts = g_object_get_data (G_OBJECT (dialog), "starts");
  g_autofree char *t = g_strstrip (g_strdup (gtk_editable_get_text (title)));
  gboolean valid_start = parse_start (gtk_editable_get_text (starts)) > 0;

  if (valid_start)
    gtk_widget_remove_css_class (GTK_WIDGET (starts), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (starts), "error");
  adw_message_dialog_set_response_enabled (dialog, "open", *t != '\0' && valid_start);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_entry_new ();
  GtkWidget *place = gtk_entry_new ();
  GtkWidget *starts = gtk_entry_new ();
  AdwMessageDialog *dialog;
  g_autofree char *suggested = g_strdup_printf (_("Port consultation %u"),
                                                (self->meetings ? self->meetings->len : 0) + 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%d %H:%M");

  gtk_editable_set_text (GTK_EDITABLE (title), suggested);
  gtk_entry_set_activates_default (GTK_ENTRY (title), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (place), _("For example: Port House, room Scheldt"));
  gtk_entry_set_activates_default (GTK_ENTRY (place), TRUE);
  if (self->meetings && self->meetings->len > 0 && ((PbMeeting *) self->meetings->pdata[0])->place)
    gtk_editable_set_text (GTK_EDITABLE (place), ((PbMeeting *) self->meetings->pdata[0])->place);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Title"), title));
  gtk_box_append (GTK_BOX (form), title);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Place"), place));
  gtk_box_append (GTK_BOX (form), place);
  gtk_editable_set_text (GTK_EDITABLE (starts), now_text);
  gtk_entry_set_activates_default (GTK_ENTRY (starts), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (starts), _("YYYY-MM-DD HH:MM"));
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Starts (YYYY-MM-DD HH:MM)"), starts));
  gtk_box_append (GTK_BOX (form), starts);
  dialog = pb_form_dialog_new (widget, _("Open a Meeting"),
                               _("Its agenda is proposed at once: items new or changed since the last meeting, items in joint assessment, open actions and new hits."),
                               "open", _("_Open Meeting"), form);
  g_object_set_data (G_OBJECT (dialog), "title", title);
  g_object_set_data (G_OBJECT (dialog), "place", place);
  g_object_set_data (G_OBJECT (dialog), "starts", starts);
  g_signal_connect (title, "changed", G_CALLBACK (on_new_changed_cb), dialog);
  g_signal_connect (starts, "changed", G_CALLBACK (on_new_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_new_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (title);
}

static void
on_attendance_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           PbMeetingPage    *self)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (dialog), "rows");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") != 0 || self->meeting == NULL)
    return;
  {
    g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (PbAttendanceSpec));

    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget *check = rows->pdata[i];
        PbAttendanceSpec spec = { g_object_get_data (G_OBJECT (check), "org"),
                                  gtk_check_button_get_active (GTK_CHECK_BUTTON (check)),
                                  gtk_editable_get_text (g_object_get_data (G_OBJECT (check), "names")) };

        g_array_append_val (specs, spec);
      }
    if (!pb_meeting_record_attendance (self->store, self->meeting->id, (const PbAttendanceSpec *) (void *) specs->data,
                                       specs->len, &error))
      {
        toast (self, error->message);
        return;
      }
  }
  pb_meeting_page_reload (self);
}

static void
attendance_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (self->store, NULL);
  g_autoptr(GPtrArray) present = pb_meeting_list_attendance (self->store, self->meeting->id, NULL);
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *form = gtk_grid_new ();
  AdwMessageDialog *dialog;

  gtk_grid_set_row_spacing (GTK_GRID (form), 6);
  gtk_grid_set_column_spacing (GTK_GRID (form), 12);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *o = orgs->pdata[i];
      GtkWidget *check = gtk_check_button_new_with_label (o->name);
      GtkWidget *names = gtk_entry_new ();
      g_autofree char *label = g_strdup_printf (_("Who attends for %s"), o->name);
      gboolean was = FALSE;

      for (guint k = 0; present && k < present->len; k++)
        {
          PbAttendance *a = present->pdata[k];
          if (g_strcmp0 (a->org, o->id) == 0 && a->in_room)
            {
              was = TRUE;
              gtk_editable_set_text (GTK_EDITABLE (names), a->names ? a->names : "");
            }
        }
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), was);
      gtk_entry_set_placeholder_text (GTK_ENTRY (names), _("Names"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (names), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_widget_set_hexpand (names, TRUE);
      g_object_set_data_full (G_OBJECT (check), "org", g_strdup (o->id), g_free);
      g_object_set_data (G_OBJECT (check), "names", names);
      gtk_grid_attach (GTK_GRID (form), check, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (form), names, 1, (int) i, 1, 1);
      g_ptr_array_add (rows, check);
    }
  dialog = pb_form_dialog_new (widget, _("Attendance"),
                               _("Tick the organisations present in the room and who came for them. Those who follow from their own Portboard are recorded as connected by it."),
                               "save", _("_Save"), form);
  g_object_set_data_full (G_OBJECT (dialog), "rows", rows, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_attendance_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_add_item_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         PbMeetingPage    *self)
{
  GtkListBox *results = g_object_get_data (G_OBJECT (dialog), "results");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (results);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "add") != 0 || row == NULL)
    return;
  if (!pb_meeting_add_entry (self->store, self->meeting->id, g_object_get_data (G_OBJECT (row), "item-id"), &error))
    {
      toast (self, error->message);
      return;
    }
  pb_meeting_page_reload (self);
}

static void
on_add_search_changed_cb (GtkSearchEntry   *entry,
                          AdwMessageDialog *dialog)
{
  PbMeetingPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  GtkListBox *results = g_object_get_data (G_OBJECT (dialog), "results");
  g_autoptr(GPtrArray) cards = pb_store_search_cards (self->store, gtk_editable_get_text (GTK_EDITABLE (entry)), 12,
                                                      NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (results))))
    gtk_list_box_remove (results, child);
  for (guint i = 0; cards && i < cards->len; i++)
    {
      PbCard *card = cards->pdata[i];
      g_autofree char *text = g_strdup_printf ("%s · %s", pb_card_get_source_code (card), pb_card_get_title (card));
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (pb_card_get_id (card)), g_free);
      gtk_list_box_append (results, row);
    }
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);
}

static void
on_add_row_selected_cb (GtkListBox       *results,
                        GtkListBoxRow    *row,
                        AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "add", row != NULL);
}

static void
add_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *results = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  AdwMessageDialog *dialog;

  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search items by title, report or identifier"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), results);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 220);
  gtk_widget_add_css_class (results, "boxed-list");
  gtk_box_append (GTK_BOX (form), search);
  gtk_box_append (GTK_BOX (form), scroller);
  dialog = pb_form_dialog_new (widget, _("Add an Item to the Agenda"),
                               _("Find the item by its title, its report or an identifier."), "add", _("_Add"), form);
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  g_object_set_data (G_OBJECT (dialog), "results", results);
  g_signal_connect (search, "search-changed", G_CALLBACK (on_add_search_changed_cb), dialog);
  g_signal_connect (results, "row-selected", G_CALLBACK (on_add_row_selected_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_add_item_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (search);
}

/* The decision dialog: outcome, lead, priority, case, sharing, handling code, note, actions. */

typedef struct
{
  GtkDropDown *outcome;
  GtkDropDown *lead;
  GtkDropDown *priority;
  GtkDropDown *case_choice;
  GtkEditable *case_title;
  GtkDropDown *tlp;
  GtkEditable *note;
  GPtrArray   *share_checks;
  GPtrArray   *org_ids;       /* of lead and owner choices: index 0 is "none" */
  GPtrArray   *case_ids;
  GtkBox      *actions_box;
  GPtrArray   *action_rows;   /* GtkBox with owner, description, due */
  char        *item_id;
} DecisionForm;

static void
decision_form_free (DecisionForm *f)
{
  g_ptr_array_unref (f->share_checks);
  g_ptr_array_unref (f->org_ids);
  g_ptr_array_unref (f->case_ids);
  g_ptr_array_unref (f->action_rows);
  g_free (f->item_id);
  g_free (f);
}

static GtkDropDown *
org_drop_down (GPtrArray  *orgs,
               const char *none)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, none);
  for (guint i = 0; i < orgs->len; i++)
    gtk_string_list_append (names, ((PbOrganisation *) orgs->pdata[i])->name);
  return GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
}

static void
add_action_row (DecisionForm *f,
                GPtrArray    *orgs)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkDropDown *owner = org_drop_down (orgs, _("Owner"));
  GtkWidget *what = gtk_entry_new ();
  GtkWidget *due = gtk_entry_new ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (owner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Organisation that owns the action"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (what), _("What is to be done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (what), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Action"), -1);
  gtk_widget_set_hexpand (what, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (due), _("YYYY-MM-DD"));
  gtk_editable_set_width_chars (GTK_EDITABLE (due), 11);
  gtk_accessible_update_property (GTK_ACCESSIBLE (due), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Due date"), -1);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (owner));
  gtk_box_append (GTK_BOX (row), what);
  gtk_box_append (GTK_BOX (row), due);
  g_object_set_data (G_OBJECT (row), "owner", owner);
  g_object_set_data (G_OBJECT (row), "what", what);
  g_object_set_data (G_OBJECT (row), "due", due);
  gtk_box_append (f->actions_box, row);
  g_ptr_array_add (f->action_rows, row);
}

static void
on_add_action_clicked_cb (GtkButton        *button,
                          AdwMessageDialog *dialog)
{
  DecisionForm *f = g_object_get_data (G_OBJECT (dialog), "form");
  GPtrArray *orgs = g_object_get_data (G_OBJECT (dialog), "orgs");

  add_action_row (f, orgs);
}

static void
on_outcome_changed_cb (GObject          *outcome,
                       GParamSpec       *pspec,
                       AdwMessageDialog *dialog)
{
  DecisionForm *f = g_object_get_data (G_OBJECT (dialog), "form");
  PbOutcome o = (PbOutcome) gtk_drop_down_get_selected (f->outcome);

  gtk_widget_set_visible (GTK_WIDGET (f->case_choice), o == PB_OUTCOME_LINK_CASE);
  gtk_widget_set_visible (GTK_WIDGET (f->case_title), o == PB_OUTCOME_OPEN_CASE);
}

static void
on_decide_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       PbMeetingPage    *self)
{
  DecisionForm *f = g_object_get_data (G_OBJECT (dialog), "form");
  static const char *priorities[] = { NULL, "low", "normal", "high", "urgent" };
  static const char *tlps[] = { NULL, "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED" };
  g_autoptr(GPtrArray) shares = g_ptr_array_new ();
  g_autoptr(GArray) actions = g_array_new (FALSE, TRUE, sizeof (PbActionSpec));
  g_autoptr(GError) error = NULL;
  PbDecisionSpec spec = { 0 };
  guint lead = gtk_drop_down_get_selected (f->lead);
  guint c = gtk_drop_down_get_selected (f->case_choice);

  if (g_strcmp0 (response, "decide") != 0)
    return;
  spec.outcome = (PbOutcome) gtk_drop_down_get_selected (f->outcome);
  spec.lead_org = lead > 0 && lead < f->org_ids->len ? f->org_ids->pdata[lead] : NULL;
  spec.priority = priorities[MIN (gtk_drop_down_get_selected (f->priority), G_N_ELEMENTS (priorities) - 1)];
  spec.tlp = tlps[MIN (gtk_drop_down_get_selected (f->tlp), G_N_ELEMENTS (tlps) - 1)];
  spec.case_id = spec.outcome == PB_OUTCOME_LINK_CASE && c < f->case_ids->len ? f->case_ids->pdata[c] : NULL;
  spec.case_title = spec.outcome == PB_OUTCOME_OPEN_CASE ? gtk_editable_get_text (f->case_title) : NULL;
  spec.note = gtk_editable_get_text (f->note);
  for (guint i = 0; i < f->share_checks->len; i++)
    if (gtk_check_button_get_active (f->share_checks->pdata[i]))
      g_ptr_array_add (shares, g_object_get_data (G_OBJECT (f->share_checks->pdata[i]), "org"));
  g_ptr_array_add (shares, NULL);
  spec.share_orgs = (const char *const *) shares->pdata;
  for (guint i = 0; i < f->action_rows->len; i++)
    {
      GObject *row = f->action_rows->pdata[i];
      guint owner = gtk_drop_down_get_selected (g_object_get_data (row, "owner"));
      const char *what = gtk_editable_get_text (g_object_get_data (row, "what"));
      const char *due = gtk_editable_get_text (g_object_get_data (row, "due"));
      PbActionSpec a = { owner > 0 && owner < f->org_ids->len ? f->org_ids->pdata[owner] : "", what,
                         due && *due ? due : NULL };

      if (*what == '\0' && owner == 0 && (due == NULL || *due == '\0'))
        continue;
      g_array_append_val (actions, a);
    }
  spec.actions = (const PbActionSpec *) (void *) actions->data;
  spec.n_actions = actions->len;

  if (!pb_meeting_decide (self->store, self->meeting->id, f->item_id, &spec, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Decision recorded and applied to the item"));
  pb_meeting_page_reload (self);
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  const PbAgendaEntry *e = find_entry (self, self->shown_entry, NULL);
  g_autoptr(GPtrArray) all_orgs = NULL;
  GPtrArray *orgs;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) case_names = gtk_string_list_new (NULL);
  const char *priority_names[] = { NULL, NULL, NULL, NULL, NULL, NULL };
  const char *tlp_names[] = { NULL, "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED", NULL };
  DecisionForm *f;
  GtkWidget *form, *shares, *add_action;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (e == NULL || e->card == NULL)
    return;
  all_orgs = pb_store_list_organisations (self->store, NULL);
  if (all_orgs == NULL)
    return;
  orgs = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_organisation_free);
  for (guint i = 0; i < all_orgs->len; i++)
    g_ptr_array_add (orgs, g_steal_pointer (&all_orgs->pdata[i]));
  g_ptr_array_set_size (all_orgs, 0);

  f = g_new0 (DecisionForm, 1);
  f->item_id = g_strdup (e->item);
  f->share_checks = g_ptr_array_new ();
  f->org_ids = g_ptr_array_new_with_free_func (g_free);
  f->case_ids = g_ptr_array_new_with_free_func (g_free);
  f->action_rows = g_ptr_array_new ();
  g_ptr_array_add (f->org_ids, g_strdup (""));
  for (guint i = 0; i < orgs->len; i++)
    g_ptr_array_add (f->org_ids, g_strdup (((PbOrganisation *) orgs->pdata[i])->id));

  for (guint i = 0; i < PB_N_OUTCOMES; i++)
    gtk_string_list_append (outcomes, pb_outcome_label ((PbOutcome) i));
  f->outcome = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&outcomes)), NULL));
  gtk_drop_down_set_selected (f->outcome, PB_OUTCOME_ASSIGN_LEAD);
  f->lead = org_drop_down (orgs, _("No lead decided"));
  priority_names[0] = _("Priority unchanged");
  for (guint i = 0; i < PB_N_PRIORITIES; i++)
    priority_names[i + 1] = pb_priority_label ((PbPriority) i);
  f->priority = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (priority_names));
  tlp_names[0] = _("Handling code unchanged");
  f->tlp = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (tlp_names));
  cases = pb_store_list_cases (self->store, NULL);
  for (guint i = 0; cases && i < cases->len; i++)
    {
      PbCase *pc = cases->pdata[i];
      if (pc->closed)
        continue;
      gtk_string_list_append (case_names, pc->title);
      g_ptr_array_add (f->case_ids, g_strdup (pc->id));
    }
  f->case_choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&case_names)), NULL));
  f->case_title = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (f->case_title), _("Title of the new case"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (f->case_title), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Title of the new case"), -1);
  f->note = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (f->note), _("What the consultation said, for the minutes"));

  form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Outcome"), GTK_WIDGET (f->outcome)));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->outcome));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->case_choice));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->case_title));
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Lead organisation"), GTK_WIDGET (f->lead)));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->lead));
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Priority"), GTK_WIDGET (f->priority)));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->priority));
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Handling code"), GTK_WIDGET (f->tlp)));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->tlp));
  shares = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (shares), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (shares), 3);
  for (guint i = 0; i < orgs->len; i++)
    {
      PbOrganisation *o = orgs->pdata[i];
      GtkWidget *check = gtk_check_button_new_with_label (o->short_code);

      if (g_strcmp0 (o->id, pb_card_get_source_org (e->card)) == 0)
        continue;
      gtk_widget_set_tooltip_text (check, o->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, o->name, -1);
      g_object_set_data_full (G_OBJECT (check), "org", g_strdup (o->id), g_free);
      gtk_flow_box_append (GTK_FLOW_BOX (shares), check);
      g_ptr_array_add (f->share_checks, check);
    }
  gtk_box_append (GTK_BOX (form), pb_form_label (_("Share with"), NULL));
  gtk_box_append (GTK_BOX (form), shares);
  gtk_box_append (GTK_BOX (form), pb_form_label (_("_Note"), GTK_WIDGET (f->note)));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->note));
  gtk_box_append (GTK_BOX (form), pb_form_label (_("Actions"), NULL));
  f->actions_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (form), GTK_WIDGET (f->actions_box));
  add_action_row (f, orgs);
  add_action = gtk_button_new_with_mnemonic (_("Add _Another Action"));
  gtk_widget_set_halign (add_action, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (form), add_action);

  body = g_strdup_printf (_("“%s”. The decision is dated, attributed to this meeting and applied to the item."),
                          pb_card_get_title (e->card));
  dialog = pb_form_dialog_new (widget, _("Decide"), body, "decide", _("_Decide"), form);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 620, -1);
  g_object_set_data_full (G_OBJECT (dialog), "form", f, (GDestroyNotify) decision_form_free);
  g_object_set_data_full (G_OBJECT (dialog), "orgs", orgs, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (f->outcome, "notify::selected", G_CALLBACK (on_outcome_changed_cb), dialog);
  g_signal_connect (add_action, "clicked", G_CALLBACK (on_add_action_clicked_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_decide_response_cb), self);
  on_outcome_changed_cb (G_OBJECT (f->outcome), NULL, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Closing, minutes -------------------------------------------------------------- */

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
  g_return_val_if_fail (self->meeting != NULL, FALSE);

  if (!pb_minutes_export (self->store, self->meeting->id, self->renderer, path, &sha, error))
    return FALSE;
  /* Translators: %s is the start of the minutes' SHA-256 */
  message = g_strdup_printf (_("Minutes saved (SHA-256 %.12s…, recorded in the access log)"), sha);
  toast (self, message);
  return TRUE;
}

static void
on_minutes_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        PbMeetingPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file ? g_file_get_path (file) : NULL;
      if (path && !pb_meeting_page_write_minutes (self, path, &error))
        toast (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
minutes_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *name = NULL;

  if (self->meeting == NULL || self->chooser)
    return;
  dt = g_date_time_new_from_unix_local (self->meeting->starts_at);
  name = g_date_time_format (dt, _("minutes-%Y-%m-%d.pdf"));
  self->chooser = gtk_file_chooser_native_new (_("Save the Minutes"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_minutes_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_close_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      PbMeetingPage    *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "close") != 0 || self->meeting == NULL)
    return;
  if (!pb_meeting_close (self->store, self->meeting->id, &error))
    {
      toast (self, error->message);
      return;
    }
  pb_meeting_page_reload (self);
  /* The minutes come next. */
  gtk_widget_activate_action (GTK_WIDGET (self), "meeting.minutes", NULL);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  PbMeetingPage *self = PB_MEETING_PAGE (widget);
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  guint undecided = 0;

  for (guint i = 0; self->agenda && i < self->agenda->len; i++)
    if (((PbAgendaEntry *) self->agenda->pdata[i])->n_decisions == 0)
      undecided++;
  body = undecided
         ? g_strdup_printf (g_dngettext (NULL, "%u entry has no decision. Closed, the meeting’s record is final; its minutes are made next.",
                                         "%u entries have no decision. Closed, the meeting’s record is final; its minutes are made next.",
                                         undecided), undecided)
         : g_strdup (_("Closed, the meeting’s record is final; its minutes are made next."));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Close the Meeting?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "close", _("C_lose Meeting"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Class ------------------------------------------------------------------------- */

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
  g_clear_pointer (&self->meetings, g_ptr_array_unref);
  g_clear_pointer (&self->meeting, pb_meeting_free);
  g_clear_pointer (&self->agenda, g_ptr_array_unref);
  g_clear_pointer (&self->shown_entry, g_free);
  g_clear_pointer (&self->my_org, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, attendance_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingPage, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_toggled_cb);

  gtk_widget_class_install_action (widget_class, "meeting.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "meeting.propose", NULL, propose_action);
  gtk_widget_class_install_action (widget_class, "meeting.add-item", NULL, add_item_action);
  gtk_widget_class_install_action (widget_class, "meeting.attendance", NULL, attendance_action);
  gtk_widget_class_install_action (widget_class, "meeting.decide", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "meeting.projector", NULL, projector_action);
  gtk_widget_class_install_action (widget_class, "meeting.minutes", NULL, minutes_action);
  gtk_widget_class_install_action (widget_class, "meeting.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "meeting.projector", NULL);
  gtk_widget_class_install_action (widget_class, "meeting.move-focused", "i", move_focused_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "meeting.move-focused", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "meeting.move-focused", "i", +1);
}

static void
pb_meeting_page_init (PbMeetingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->meeting_choice, "notify::selected", G_CALLBACK (on_meeting_selected_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  update_actions (self);
}
