/* pb-meeting-entry-view.c: the agenda entry on view, shown large
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entry the chair presents (or the one a participant looks at): the item's handling
 * code and title, its source, status, grading, priority, identifier and place, why it is
 * on the agenda, a map snapshot of where it is, the hits on its identifiers, the decisions
 * taken on it and the actions decided, in every meeting, and its recent history. An item
 * the signed-in person may not see is its organisation's to present: its title says whose
 * it is, and nothing more is shown.
 *
 * The entry is a record of the agenda's live list, the decisions and actions the page's
 * live lists for its item, bound to their list boxes; the hits and the history are read
 * again when the store says that the item, its identifiers or the hits changed.
 */

#define G_LOG_DOMAIN "pb-meeting-entry-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-meeting-entry-view.h"
#include "pb-meeting-lists.h"

#define MAP_W 640
#define MAP_H 300
#define HISTORY_LINES 8

struct _PbMeetingEntryView
{
  GtkWidget      parent_instance;

  PbStore       *store;
  PbMapRenderer *renderer;
  PbLiveList    *decisions;
  PbLiveList    *actions;
  PbLiveItem    *item;         /* the entry shown (a PbAgendaEntry); NULL: none */
  guint          position;
  guint          n_entries;
  gboolean       can_decide;
  char          *map_of;       /* the entry and place the map snapshot shows */

  /* Template widgets */
  GtkStack      *stack;
  GtkLabel      *tlp_label;
  GtkLabel      *title_label;
  GtkWidget     *restricted_label;
  GtkWidget     *details_box;
  GtkLabel      *meta_label;
  GtkLabel      *why_label;
  GtkWidget     *decide_button;
  GtkWidget     *open_button;
  GtkPicture    *map_picture;
  GtkWidget     *hits_section;
  GtkBox        *hits_box;
  GtkListBox    *decisions_list;
  GtkWidget     *actions_section;
  GtkListBox    *actions_list;
  GtkWidget     *history_section;
  GtkBox        *history_box;
};

G_DEFINE_FINAL_TYPE (PbMeetingEntryView, pb_meeting_entry_view, GTK_TYPE_WIDGET)

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

/**
 * pb_meeting_decision_text:
 *
 * Returns: (transfer full): a decision as text: what was decided, the note, and who
 *   decided when, a line each
 */
char *
pb_meeting_decision_text (const PbDecision *d)
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

/* ---- Rows -------------------------------------------------------------------------- */

/* A row of plain text: titles and notes are what people wrote, never read as markup. */
static AdwActionRow *
text_row (const char *title,
          const char *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (row, 0);
  if (subtitle)
    {
      adw_action_row_set_subtitle (row, subtitle);
      adw_action_row_set_subtitle_lines (row, 0);
    }
  return row;
}

/* What was decided, then the note and who decided when. */
static GtkWidget *
decision_row (gpointer item,
              gpointer data)
{
  g_autofree char *text = pb_meeting_decision_text (pb_live_item_get (item));
  char *rest = strchr (text, '\n');

  if (rest)
    *rest++ = '\0';
  return GTK_WIDGET (text_row (text, rest));
}

/* An action, and where the rulebook lets the person signed in (the chair, the organisation
 * that owns it), a button that says it is done (or not). */
static GtkWidget *
action_row (gpointer item,
            gpointer data)
{
  const PbAction *a = pb_live_item_get (item);
  g_autofree char *line = g_strdup_printf (_("Action for %s: %s (due %s, %s)"), a->owner_name, a->description,
                                           a->due_date ? a->due_date : "—", a->done_at ? _("done") : _("open"));
  AdwActionRow *row = text_row (line, NULL);

  if (a->may_set_done)
    {
      GtkWidget *toggle = gtk_button_new_with_mnemonic (a->done_at ? _("Mark _Open") : _("Mark _Done"));

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (toggle), "(sb)", a->id, a->done_at == 0);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (toggle), "meeting.set-action-done");
      adw_action_row_add_suffix (row, toggle);
    }
  return GTK_WIDGET (row);
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

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}

/* ---- The item's details ------------------------------------------------------------ */

static const PbAgendaEntry *
entry_of (PbMeetingEntryView *self)
{
  return self->item ? pb_live_item_get (self->item) : NULL;
}

static void
show_hits (PbMeetingEntryView *self)
{
  const PbAgendaEntry *e = entry_of (self);
  g_autoptr(GPtrArray) hits = e && e->card ? pb_store_list_hits (self->store, e->item, NULL) : NULL;

  clear_box (self->hits_box);
  for (guint i = 0; hits && i < hits->len; i++)
    {
      PbHit *hit = hits->pdata[i];
      g_autofree char *line = g_strdup_printf (_("%s is also known to %s — contact them"), hit->value, hit->org_name);

      gtk_box_append (self->hits_box, text_line (line, FALSE));
    }
  gtk_widget_set_visible (self->hits_section, hits && hits->len > 0);
}

/* The item's last changes, newest first; organisations by their code, as everywhere else,
 * and a card's place in its column is not news. */
static void
show_history (PbMeetingEntryView *self)
{
  const PbAgendaEntry *e = entry_of (self);
  g_autoptr(GPtrArray) history = e && e->card ? pb_store_item_history (self->store, e->item, NULL) : NULL;
  g_autoptr(GPtrArray) orgs = history ? pb_store_list_organisations (self->store, NULL) : NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  guint shown = 0;

  clear_box (self->history_box);
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *o = orgs->pdata[i];
      g_hash_table_insert (codes, o->id, o->short_code);
    }
  for (guint i = 0; history && i < history->len && shown < HISTORY_LINES; i++)
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
      gtk_box_append (self->history_box, text_line (line, TRUE));
      shown++;
    }
  gtk_widget_set_visible (self->history_section, history && history->len > 0);
}

/* The map snapshot, drawn again only for another entry or another place. */
static void
show_map (PbMeetingEntryView *self)
{
  const PbAgendaEntry *e = entry_of (self);
  g_autofree char *key = NULL;
  g_autoptr(GdkTexture) map = NULL;

  if (e == NULL || e->card == NULL || !e->located || self->renderer == NULL)
    {
      g_clear_pointer (&self->map_of, g_free);
      gtk_picture_set_paintable (self->map_picture, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->map_picture), FALSE);
      return;
    }
  key = g_strdup_printf ("%s %.6f %.6f", e->id, e->lat, e->lon);
  gtk_widget_set_visible (GTK_WIDGET (self->map_picture), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->map_picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  e->port_area ? e->port_area : _("Where the item is"), -1);
  if (g_strcmp0 (key, self->map_of) == 0)
    return;
  map = pb_meeting_map_texture (self->renderer, e->lat, e->lon, MAP_W, MAP_H, 1);
  gtk_picture_set_paintable (self->map_picture, GDK_PAINTABLE (map));
  g_free (self->map_of);
  self->map_of = g_steal_pointer (&key);
}

/* The header, the card's summary and the buttons. */
static void
show_summary (PbMeetingEntryView *self)
{
  const PbAgendaEntry *e = entry_of (self);
  PbCard *c = e->card;
  g_autofree char *title = pb_agenda_entry_title (e);
  g_autofree char *reasons = NULL, *why = NULL, *meta = NULL, *tlp = NULL;
  const char *ident, *grading;

  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->tlp_label), c != NULL);
  gtk_widget_set_visible (self->restricted_label, c == NULL);
  gtk_widget_set_visible (self->details_box, c != NULL);
  if (c == NULL)
    return;

  tlp = g_strdup_printf ("TLP:%s", pb_tlp_to_string (pb_card_get_tlp (c)));
  gtk_label_set_label (self->tlp_label, tlp);
  gtk_widget_set_css_classes (GTK_WIDGET (self->tlp_label),
                              (const char *[]) { "tlp-chip", pb_tlp_css_class (pb_card_get_tlp (c)), NULL });
  ident = pb_card_get_main_identifier (c);
  grading = pb_card_get_grading (c);
  meta = g_strdup_printf ("%u / %u · %s · %s%s%s · %s%s%s%s%s", self->position, self->n_entries,
                          pb_card_get_source_code (c), pb_status_label (pb_card_get_status (c)),
                          grading ? " · " : "", grading ? grading : "", pb_priority_label (pb_card_get_priority (c)),
                          ident ? " · " : "", ident ? ident : "", e->port_area ? " · " : "",
                          e->port_area ? e->port_area : "");
  gtk_label_set_label (self->meta_label, meta);
  reasons = pb_agenda_reasons_label (e->reasons);
  why = g_strdup_printf (_("On the agenda: %s"), reasons);
  gtk_label_set_label (self->why_label, why);
  gtk_widget_set_visible (self->decide_button, self->can_decide);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", e->item);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "meeting.open-in-board");
}

static void
update_actions_section (PbMeetingEntryView *self)
{
  gtk_widget_set_visible (self->actions_section,
                          self->actions && g_list_model_get_n_items (G_LIST_MODEL (self->actions)) > 0);
}

/* The item, its identifiers or the hits changed: its hits and history are read again. */
static void
on_rows_changed_cb (PbStore            *store,
                    PbChangeSet        *changes,
                    PbMeetingEntryView *self)
{
  static const char *const hit_tables[] = { "identifiers", "identifier_orgs", "hub_hits", NULL };
  const PbAgendaEntry *e = entry_of (self);

  if (e == NULL || e->card == NULL)
    return;
  if (pb_change_set_touches_any (changes, hit_tables))
    show_hits (self);
  if (pb_change_set_lookup (changes, "items", e->item) != 0 || pb_change_set_touches (changes, "identifiers"))
    show_history (self);
}

/* ---- The object -------------------------------------------------------------------- */

static void
pb_meeting_entry_view_dispose (GObject *object)
{
  PbMeetingEntryView *self = PB_MEETING_ENTRY_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_ENTRY_VIEW);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->decisions);
  g_clear_object (&self->actions);
  g_clear_object (&self->item);
  g_clear_pointer (&self->map_of, g_free);

  G_OBJECT_CLASS (pb_meeting_entry_view_parent_class)->dispose (object);
}

static void
pb_meeting_entry_view_class_init (PbMeetingEntryViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_entry_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-entry-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, stack);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, tlp_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, title_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, restricted_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, details_box);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, why_label);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, decide_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, open_button);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, map_picture);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, hits_section);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, hits_box);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, decisions_list);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, actions_section);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, actions_list);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, history_section);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingEntryView, history_box);
}

static void
pb_meeting_entry_view_init (PbMeetingEntryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->decisions_list, GTK_WIDGET (text_row (_("None yet."), NULL)));
}

/**
 * pb_meeting_entry_view_set_store:
 * @renderer: (nullable): draws the map snapshots; %NULL: no basemap, no snapshots
 */
void
pb_meeting_entry_view_set_store (PbMeetingEntryView *self,
                                 PbStore            *store,
                                 PbMapRenderer      *renderer)
{
  g_return_if_fail (PB_IS_MEETING_ENTRY_VIEW (self));

  self->renderer = renderer;
  g_clear_pointer (&self->map_of, g_free);
  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_signal_connect_object (store, "rows-changed", G_CALLBACK (on_rows_changed_cb), self, G_CONNECT_AFTER);
}

/**
 * pb_meeting_entry_view_set_lists:
 * @decisions: the decisions on the item of the entry on view (PbDecision)
 * @actions: the actions decided on it (PbAction)
 */
void
pb_meeting_entry_view_set_lists (PbMeetingEntryView *self,
                                 PbLiveList         *decisions,
                                 PbLiveList         *actions)
{
  g_return_if_fail (PB_IS_MEETING_ENTRY_VIEW (self));

  if (self->actions)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->decisions, decisions);
  g_set_object (&self->actions, actions);
  gtk_list_box_bind_model (self->decisions_list, G_LIST_MODEL (decisions), decision_row, self, NULL);
  gtk_list_box_bind_model (self->actions_list, G_LIST_MODEL (actions), action_row, self, NULL);
  g_signal_connect_object (actions, "items-changed", G_CALLBACK (update_actions_section), self,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  update_actions_section (self);
}

/**
 * pb_meeting_entry_view_set_can_decide:
 * @can_decide: the chair, in a meeting still open
 */
void
pb_meeting_entry_view_set_can_decide (PbMeetingEntryView *self,
                                      gboolean            can_decide)
{
  g_return_if_fail (PB_IS_MEETING_ENTRY_VIEW (self));

  gtk_widget_set_visible (self->decide_button, can_decide);
  self->can_decide = can_decide;
}

/**
 * pb_meeting_entry_view_show:
 * @entry: (nullable): an item of the agenda's live list (a PbAgendaEntry); %NULL: none
 * @position: its place on the agenda, from 1
 *
 * Shows an entry; nothing is done again for the same entry, unchanged, at the same place.
 */
void
pb_meeting_entry_view_show (PbMeetingEntryView *self,
                            PbLiveItem         *entry,
                            guint               position,
                            guint               n_entries)
{
  g_return_if_fail (PB_IS_MEETING_ENTRY_VIEW (self));

  if (entry == self->item && position == self->position && n_entries == self->n_entries)
    return;
  g_set_object (&self->item, entry);
  self->position = position;
  self->n_entries = n_entries;
  if (entry == NULL)
    {
      g_clear_pointer (&self->map_of, g_free);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  show_summary (self);
  show_map (self);
  show_hits (self);
  show_history (self);
  gtk_stack_set_visible_child_name (self->stack, "entry");
}
