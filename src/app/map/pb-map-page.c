/* pb-map-page.c: the port map of incidents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An offline map (the built-in one of Antwerp-Bruges, or an MBTiles file the person
 * opens) with the incidents the signed-in person may see, clustered into count bubbles.
 * A click on a marker tells what it is and leads to its item on the board; a click on a
 * bubble zooms in. The period narrows what is shown. What is seen can be saved as a PNG
 * with the renderer of `portboard-cli map snapshot`. Partners see what is not shared with
 * them by name at its terminal, and the page says so.
 */

#define G_LOG_DOMAIN "pb-map-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-incident-layer.h"
#include "pb-live-list.h"
#include "pb-map-page.h"
#include "pb-mbtiles-source.h"

struct _PbMapPage
{
  GtkWidget          parent_instance;

  PbStore           *store;
  GSettings         *settings;
  PbGazetteer       *gazetteer;
  PbMbtilesSource   *source;
  PbIncidentLayer   *layer;
  char              *basemap_path;   /* NULL: built-in; ONLINE: the online tiles */
  char              *popover_item;
  PbMapCluster       popover_cluster;
  double             place_lat;      /* where "New Report Here" puts a report */
  double             place_lon;
  gboolean           can_write;
  PbContext         *context;
  PbLiveList        *markers;    /* what the layer shows, following the store */
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwToastOverlay   *toasts;
  GtkDropDown       *range_choice;
  GtkToggleButton   *density_toggle;
  GtkLabel          *count_label;
  GtkWidget         *precision_note;
  ShumateSimpleMap  *map;
  GtkPopover        *popover;
  GtkLabel          *popover_title;
  GtkLabel          *popover_text;
  GtkButton         *popover_button;
  GtkWidget         *incident_button;
};

G_DEFINE_FINAL_TYPE (PbMapPage, pb_map_page, GTK_TYPE_WIDGET)

#define ONLINE "online"

static void raise_layer          (PbMapPage *self);
static void update_online_action (PbMapPage *self);

enum {
  SIGNAL_OPEN_ITEM,
  SIGNAL_NEW_ITEM_AT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (PbMapPage  *self,
              const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

/**
 * pb_map_page_set_basemap:
 * @path: (nullable): an MBTiles file; %NULL for the built-in map
 *
 * Draws the map on another basemap. A file that cannot be used is refused with a message
 * that names the problem, and the map stays as it was.
 */
gboolean
pb_map_page_set_basemap (PbMapPage   *self,
                         const char  *path,
                         GError     **error)
{
  g_autofree char *builtin = pb_map_default_basemap_path ();
  g_autoptr(PbMbtiles) basemap = pb_mbtiles_open (path ? path : builtin, error);
  g_autoptr(ShumateMapSource) map_source = NULL;
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  double lat, lon;
  int zoom;
  gboolean first = self->source == NULL;

  if (basemap == NULL)
    return FALSE;

  pb_mbtiles_get_center (basemap, &lat, &lon, &zoom);
  g_clear_object (&self->source);
  self->source = pb_mbtiles_source_new (g_steal_pointer (&basemap));
  map_source = pb_mbtiles_source_map_source (self->source);
  shumate_simple_map_set_map_source (self->map, map_source);
  raise_layer (self);
  shumate_viewport_set_min_zoom_level (viewport, shumate_map_source_get_min_zoom_level (map_source));
  shumate_viewport_set_max_zoom_level (viewport, shumate_map_source_get_max_zoom_level (map_source));
  if (first || path != NULL || g_strcmp0 (self->basemap_path, path) != 0)
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
    }

  g_free (self->basemap_path);
  self->basemap_path = g_strdup (path);
  if (self->settings)
    g_settings_set_string (self->settings, "basemap", path ? path : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.builtin-basemap", path != NULL);
  update_online_action (self);
  return TRUE;
}

static void
raise_layer (PbMapPage *self)
{
  /* A new base layer goes on top of the map's layers: the incidents go back above it. */
  g_object_ref (self->layer);
  shumate_simple_map_remove_overlay_layer (self->map, SHUMATE_LAYER (self->layer));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->layer));
  g_object_unref (self->layer);
}

static void
update_online_action (PbMapPage *self)
{
  g_autofree char *url = self->settings ? g_settings_get_string (self->settings, "tile-url") : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.online-basemap",
                                 pb_tile_url_is_valid (url) && g_strcmp0 (self->basemap_path, ONLINE) != 0);
}

/**
 * pb_map_page_use_online:
 *
 * Draws the map on the online tiles set in Preferences (the only map traffic Portboard
 * makes, and only then), with their attribution.
 */
gboolean
pb_map_page_use_online (PbMapPage  *self,
                        GError    **error)
{
  g_autofree char *url = self->settings ? g_settings_get_string (self->settings, "tile-url") : NULL;
  g_autofree char *attribution = self->settings ? g_settings_get_string (self->settings, "tile-attribution") : NULL;
  g_autoptr(ShumateRasterRenderer) source = NULL;
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

  if (!pb_tile_url_is_valid (url))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("No address of online tiles is set in Preferences"));
      return FALSE;
    }
  source = shumate_raster_renderer_new_full_from_url (ONLINE, _("Online tiles"), attribution, "", 0, 19, 256,
                                                      SHUMATE_MAP_PROJECTION_MERCATOR, url);
  shumate_simple_map_set_map_source (self->map, SHUMATE_MAP_SOURCE (source));
  shumate_viewport_set_min_zoom_level (viewport, 0);
  shumate_viewport_set_max_zoom_level (viewport, 19);
  raise_layer (self);
  g_free (self->basemap_path);
  self->basemap_path = g_strdup (ONLINE);
  if (self->settings)
    g_settings_set_string (self->settings, "basemap", ONLINE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.builtin-basemap", TRUE);
  update_online_action (self);
  return TRUE;
}

static void
online_basemap_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PbMapPage *self = PB_MAP_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_map_page_use_online (self, &error))
    show_message (self, error->message);
}

static void
on_tile_url_changed_cb (GSettings  *settings,
                        const char *key,
                        PbMapPage  *self)
{
  update_online_action (self);
}

static void
update_count (PbMapPage *self)
{
  GPtrArray *all = pb_incident_layer_get_incidents (self->layer);
  guint n_all = all ? all->len : 0, shown;
  g_autofree char *count = NULL;

  pb_incident_layer_get_points (self->layer, &shown);
  if (shown == n_all)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u incident or report on the map",
                                          "%u incidents and reports on the map", n_all), n_all);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u on the map, as the board is filtered",
                                          "%u of %u on the map, as the board is filtered", n_all), shown, n_all);
  gtk_label_set_label (self->count_label, count);
}

static gint64
range_start (PbMapPage *self)
{
  static const int days[] = { 7, 30, 90, 0 };
  guint chosen = gtk_drop_down_get_selected (self->range_choice);

  if (chosen >= G_N_ELEMENTS (days) || days[chosen] == 0)
    return 0;
  return g_get_real_time () / G_USEC_PER_SEC - (gint64) days[chosen] * 86400;
}

/* ---- The markers: a live list of the store's -------------------------------------- */

typedef struct
{
  gint64       since;
  PbGazetteer *gazetteer;   /* the page's, which outlives the list */
} MarkerQuery;

static const char *
marker_key (gconstpointer record)
{
  return ((const PbMapIncident *) record)->id;
}

static gboolean
marker_same (gconstpointer a,
             gconstpointer b)
{
  const PbMapIncident *x = a, *y = b;

  return x->lat == y->lat && x->lon == y->lon && x->exact == y->exact && x->kind == y->kind && x->tlp == y->tlp
         && x->occurred_at == y->occurred_at && x->kg == y->kg && x->is_item == y->is_item
         && g_strcmp0 (x->terminal, y->terminal) == 0 && g_strcmp0 (x->item, y->item) == 0
         && g_strcmp0 (x->title, y->title) == 0 && x->item_rowid == y->item_rowid;
}

/* The incidents of the period that the signed-in person may see, and the located reports,
 * as markers of their own. */
static GPtrArray *
read_markers (PbStore  *store,
              gpointer  data,
              GError  **error)
{
  MarkerQuery *q = data;
  g_autoptr(GPtrArray) incidents = pb_store_list_map_incidents (store, q->since, q->gazetteer, error);
  g_autoptr(GPtrArray) items = incidents ? pb_store_list_map_items (store, q->since, q->gazetteer, error) : NULL;

  if (items == NULL)
    return NULL;
  g_ptr_array_extend_and_steal (incidents, g_steal_pointer (&items));
  return g_steal_pointer (&incidents);
}

/* Reads the markers of the period chosen; from then on they follow the store. */
static void
query_markers (PbMapPage *self)
{
  static const char *const tables[] = { "incidents", "items", "item_shares", NULL };
  MarkerQuery *q;

  if (self->store == NULL)
    return;
  if (self->markers == NULL)
    {
      self->markers = pb_live_list_new (self->store, tables, marker_key, marker_same,
                                        (GDestroyNotify) pb_map_incident_free);
      g_signal_connect_object (self->markers, "items-changed", G_CALLBACK (update_count), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      pb_incident_layer_set_model (self->layer, G_LIST_MODEL (self->markers));
    }
  q = g_new0 (MarkerQuery, 1);
  q->since = range_start (self);
  q->gazetteer = self->gazetteer;
  pb_live_list_set_read (self->markers, read_markers, q, g_free);
  update_count (self);
}

/**
 * pb_map_page_set_filter:
 * @filter: (nullable): the items the board is narrowed to
 *
 * Shows on the map what the board shows.
 */
void
pb_map_page_set_filter (PbMapPage *self,
                        PbItemSet *filter)
{
  pb_incident_layer_set_filter (self->layer, filter);
  update_count (self);
}

static void
on_range_changed_cb (PbMapPage *self)
{
  query_markers (self);
}

static void
on_density_toggled_cb (PbMapPage *self)
{
  pb_incident_layer_set_density (self->layer, gtk_toggle_button_get_active (self->density_toggle));
}

/**
 * pb_map_page_load:
 *
 * Shows the map for the signed-in person: their basemap (or the built-in one) and the
 * incidents they may see.
 */
gboolean
pb_map_page_load (PbMapPage  *self,
                  PbContext  *context,
                  GSettings  *settings,
                  GError    **error)
{
  PbStore *store = pb_context_get_store (context);
  g_autofree char *saved = NULL;

  g_set_object (&self->store, store);
  g_set_object (&self->context, context);
  if (settings && self->settings != settings)
    g_signal_connect_object (settings, "changed::tile-url", G_CALLBACK (on_tile_url_changed_cb), self, 0);
  g_set_object (&self->settings, settings);
  if (self->gazetteer == NULL && (self->gazetteer = pb_gazetteer_load_default (error)) == NULL)
    return FALSE;

  if (self->source == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      saved = settings ? g_settings_get_string (settings, "basemap") : NULL;
      /* A remembered file that is gone or broken: say so, and use the built-in map. */
      if (g_strcmp0 (saved, ONLINE) == 0)
        {
          if (pb_map_page_set_basemap (self, NULL, error) && !pb_map_page_use_online (self, &local_error))
            show_message (self, local_error->message);
        }
      else if (saved && *saved && !pb_map_page_set_basemap (self, saved, &local_error))
        show_message (self, local_error->message);
      if (self->source == NULL && !pb_map_page_set_basemap (self, NULL, error))
        return FALSE;
    }

  /* Partners see incidents at their terminal's centroid unless shared by name. */
  gtk_widget_set_visible (self->precision_note, !pb_rules_exact_places (pb_context_get_actor (context)));
  self->can_write = pb_context_get_can_write (context);
  query_markers (self);
  return TRUE;
}

static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);
  return dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
}

static void
show_popover (PbMapPage          *self,
              const PbMapCluster *cluster)
{
  GPtrArray *incidents = pb_incident_layer_get_incidents (self->layer);
  guint n_points;
  const PbMapPoint *points = pb_incident_layer_get_points (self->layer, &n_points);
  graphene_point_t in_page;
  GdkRectangle rect;

  self->popover_cluster = *cluster;
  g_clear_pointer (&self->popover_item, g_free);
  gtk_widget_set_visible (self->incident_button, FALSE);
  if (cluster->count == 1)
    {
      PbMapIncident *n = g_ptr_array_index (incidents, points[cluster->first].index);
      g_autofree char *day = format_day (n->occurred_at);
      g_autofree char *text = NULL;
      g_autofree char *weight = n->kg > 0 ? g_strdup_printf (_("%.0f kg"), n->kg) : NULL;

      gtk_label_set_label (self->popover_title, n->is_item ? n->title : pb_incident_kind_label (n->kind));
      text = g_strdup_printf ("%s · %s%s%s · TLP:%s%s", day, n->terminal ? n->terminal : _("no terminal"),
                              weight ? " · " : "", weight ? weight : "", pb_tlp_to_string (n->tlp),
                              n->exact ? "" : _(" · shown at its terminal"));
      gtk_label_set_label (self->popover_text, text);
      self->popover_item = g_strdup (n->item);
      gtk_button_set_label (self->popover_button, _("Open on Board"));
      gtk_widget_set_visible (GTK_WIDGET (self->popover_button), n->item != NULL);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u incident here",
                                                             "%u incidents here", cluster->count), cluster->count);
      gtk_label_set_label (self->popover_title, title);
      gtk_label_set_label (self->popover_text, _("Zoom in to see them one by one."));
      gtk_button_set_label (self->popover_button, _("Zoom In"));
      gtk_widget_set_visible (GTK_WIDGET (self->popover_button), TRUE);
    }

  if (!gtk_widget_compute_point (GTK_WIDGET (self->layer), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (cluster->px, cluster->py), &in_page))
    return;
  rect = (GdkRectangle) { (int) in_page.x - 8, (int) in_page.y - 8, 16, 16 };
  gtk_popover_set_pointing_to (self->popover, &rect);
  gtk_popover_popup (self->popover);
}

/* The place menu: a new report at a point of the map (secondary click or the Menu key). */
static void
show_place_popover (PbMapPage *self,
                    double     x,
                    double     y)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  graphene_point_t in_page;
  GdkRectangle rect;
  g_autofree char *where = NULL;
  const PbPlace *terminal;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  if (!self->can_write)
    return;
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->layer), x, y,
                                              &self->place_lat, &self->place_lon);
  terminal = self->gazetteer ? pb_gazetteer_terminal_at (self->gazetteer, self->place_lat, self->place_lon) : NULL;
  where = g_strdup_printf ("%s, %s%s%s", g_ascii_formatd (a, sizeof a, "%.5f", self->place_lat),
                          g_ascii_formatd (b, sizeof b, "%.5f", self->place_lon),
                          terminal ? " · " : "", terminal ? terminal->name : "");
  g_clear_pointer (&self->popover_item, g_free);
  self->popover_cluster.count = 0;
  gtk_label_set_label (self->popover_title, _("This Place"));
  gtk_label_set_label (self->popover_text, where);
  gtk_button_set_label (self->popover_button, _("New Report Here"));
  gtk_widget_set_visible (GTK_WIDGET (self->popover_button), TRUE);
  gtk_widget_set_visible (self->incident_button, TRUE);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->layer), GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &in_page))
    return;
  rect = (GdkRectangle) { (int) in_page.x - 1, (int) in_page.y - 1, 2, 2 };
  gtk_popover_set_pointing_to (self->popover, &rect);
  gtk_popover_popup (self->popover);
}

/**
 * pb_map_page_new_report_at:
 *
 * What the place menu's "New Report Here" does, at a point of the map (for the keyboard
 * and tests).
 */
void
pb_map_page_new_report_at (PbMapPage *self,
                           double     x,
                           double     y)
{
  show_place_popover (self, x, y);
}

static void
on_secondary_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         PbMapPage       *self)
{
  graphene_point_t in_layer;

  if (gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self->layer),
                                &GRAPHENE_POINT_INIT (x, y), &in_layer))
    show_place_popover (self, in_layer.x, in_layer.y);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   PbMapPage             *self)
{
  if (keyval == GDK_KEY_Menu || (keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK)))
    {
      show_place_popover (self, gtk_widget_get_width (GTK_WIDGET (self->layer)) / 2.0,
                          gtk_widget_get_height (GTK_WIDGET (self->layer)) / 2.0);
      return TRUE;
    }
  return FALSE;
}

static void
on_popover_button_clicked_cb (PbMapPage *self)
{
  gtk_popover_popdown (self->popover);
  if (self->popover_cluster.count == 0)
    {
      g_signal_emit (self, signals[SIGNAL_NEW_ITEM_AT], 0, self->place_lat, self->place_lon);
      return;
    }
  if (self->popover_item)
    {
      g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, self->popover_item);
      return;
    }
  {
    ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
    double lat, lon;

    shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self->layer),
                                                self->popover_cluster.px, self->popover_cluster.py, &lat, &lon);
    shumate_map_go_to_full (shumate_simple_map_get_map (self->map), lat, lon,
                            MIN (shumate_viewport_get_zoom_level (viewport) + 2,
                                 shumate_viewport_get_max_zoom_level (viewport)));
  }
}

/* New Incident Here: the incident the dialog describes, at the place of the place menu,
 * recorded by the organisation of who is signed in; one act of the write path. */
static void
on_incident_response_cb (PbIncidentDialog *dialog,
                         const char       *response,
                         PbMapPage        *self)
{
  const PbActor *me = pb_context_get_actor (self->context);
  g_autoptr(PbRecord) r = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "create") || me == NULL)
    return;
  r = pb_incident_dialog_build_record (dialog, me->org, g_get_real_time () / G_USEC_PER_SEC);
  if (!pb_store_write (self->store, PB_OP_INSERT, r, &error))
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, _("Incident recorded"));
}

/**
 * pb_map_page_new_incident_dialog:
 *
 * Returns: (transfer none): the dialog of a new incident at the place of the place menu,
 *   shown
 */
PbIncidentDialog *
pb_map_page_new_incident_dialog (PbMapPage *self)
{
  const PbPlace *terminal = self->gazetteer ? pb_gazetteer_terminal_at (self->gazetteer, self->place_lat, self->place_lon)
                                            : NULL;
  PbIncidentDialog *dialog = pb_incident_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                     self->place_lat, self->place_lon,
                                                     terminal ? terminal->name : NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_incident_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_new_incident_clicked_cb (PbMapPage *self)
{
  gtk_popover_popdown (self->popover);
  pb_map_page_new_incident_dialog (self);
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     PbMapPage       *self)
{
  PbMapCluster cluster;
  graphene_point_t in_layer;

  if (n_press != 1
      || !gtk_widget_compute_point (GTK_WIDGET (self->map), GTK_WIDGET (self->layer),
                                    &GRAPHENE_POINT_INIT (x, y), &in_layer)
      || !pb_incident_layer_cluster_at (self->layer, in_layer.x, in_layer.y, &cluster))
    return;
  show_popover (self, &cluster);
}

/**
 * pb_map_page_activate_at:
 *
 * What a click at a point of the map does (for tests and the keyboard): the marker or
 * bubble there opens its popover.
 *
 * Returns: whether there was one
 */
gboolean
pb_map_page_activate_at (PbMapPage *self,
                         double     x,
                         double     y)
{
  PbMapCluster cluster;

  if (!pb_incident_layer_cluster_at (self->layer, x, y, &cluster))
    return FALSE;
  show_popover (self, &cluster);
  return TRUE;
}

/* The local file a file chooser was answered with, or NULL. */
static char *
chosen_path (GtkNativeDialog *dialog,
             int              response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  return file ? g_file_get_path (file) : NULL;
}

static void
on_open_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     PbMapPage       *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = chosen_path (dialog, response);

  if (path && !pb_map_page_set_basemap (self, path, &error))
    show_message (self, error->message);
  g_clear_object (&self->chooser);
}

static void
open_basemap_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbMapPage *self = PB_MAP_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Open a Map File"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("MBTiles maps"));
  gtk_file_filter_add_pattern (filter, "*.mbtiles");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
builtin_basemap_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  PbMapPage *self = PB_MAP_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_map_page_set_basemap (self, NULL, &error))
    show_message (self, error->message);
}

/**
 * pb_map_page_export:
 *
 * Saves the map as it is shown (at the nearest whole zoom level) as a PNG.
 */
gboolean
pb_map_page_export (PbMapPage   *self,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(PbMapRenderer) renderer = NULL;
  g_autoptr(PbMbtiles) basemap = NULL;
  g_autofree char *builtin = pb_map_default_basemap_path ();
  PbMapView view;
  const PbMapPoint *points;
  guint n_points;
  double lat, lon;

  if (g_strcmp0 (self->basemap_path, ONLINE) == 0)
    {
      /* Online tiles are on screen only: the picture is what the map shows. */
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self->map));
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      int w = gtk_widget_get_width (GTK_WIDGET (self->map)), h = gtk_widget_get_height (GTK_WIDGET (self->map));

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      texture = node ? gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (self))),
                                                    node, &GRAPHENE_RECT_INIT (0, 0, w, h)) : NULL;
      if (texture == NULL || !gdk_texture_save_to_png (texture, path))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the picture “%s”"), path);
          return FALSE;
        }
      return TRUE;
    }

  basemap = pb_mbtiles_open (self->basemap_path ? self->basemap_path : builtin, error);
  if (basemap == NULL)
    return FALSE;
  pb_incident_layer_get_view (self->layer, &view);
  pb_map_unproject (view.x, view.y, &lat, &lon);
  pb_map_view_init (&view, lat, lon, view.zoom, MAX (view.width, 16), MAX (view.height, 16));
  points = pb_incident_layer_get_points (self->layer, &n_points);
  renderer = pb_map_renderer_new (basemap);
  return pb_map_snapshot (renderer, &view, points, n_points, path, error);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       PbMapPage       *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = chosen_path (dialog, response);

  if (path && !pb_map_page_export (self, path, &error))
    show_message (self, error->message);
  else if (path)
    show_message (self, _("Map saved as a picture"));
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbMapPage *self = PB_MAP_PAGE (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save the Map as a Picture"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("port-map.png"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
pb_map_page_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PbMapPage *self = PB_MAP_PAGE (widget);

  gtk_widget_measure (GTK_WIDGET (self->toasts), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
pb_map_page_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PbMapPage *self = PB_MAP_PAGE (widget);

  gtk_widget_allocate (GTK_WIDGET (self->toasts), width, height, baseline, NULL);
  gtk_popover_present (self->popover);
}

static void
pb_map_page_dispose (GObject *object)
{
  PbMapPage *self = PB_MAP_PAGE (object);

  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MAP_PAGE);
  g_clear_object (&self->markers);
  g_clear_object (&self->store);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->source);
  g_clear_pointer (&self->gazetteer, pb_gazetteer_free);
  g_clear_pointer (&self->basemap_path, g_free);
  g_clear_pointer (&self->popover_item, g_free);

  G_OBJECT_CLASS (pb_map_page_parent_class)->dispose (object);
}

static void
pb_map_page_class_init (PbMapPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_map_page_dispose;
  widget_class->measure = pb_map_page_measure;
  widget_class->size_allocate = pb_map_page_size_allocate;

  /* A marker's "Open on Board": the item's id. */
  signals[SIGNAL_OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /* "New Report Here": latitude and longitude. */
  signals[SIGNAL_NEW_ITEM_AT] =
    g_signal_new ("new-item-at", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/map/pb-map-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, range_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, density_toggle);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, precision_note);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, map);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, popover);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, popover_title);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, popover_text);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, popover_button);
  gtk_widget_class_bind_template_child (widget_class, PbMapPage, incident_button);
  gtk_widget_class_bind_template_callback (widget_class, on_new_incident_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_density_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "map.open-basemap", NULL, open_basemap_action);
  gtk_widget_class_install_action (widget_class, "map.builtin-basemap", NULL, builtin_basemap_action);
  gtk_widget_class_install_action (widget_class, "map.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "map.online-basemap", NULL, online_basemap_action);
}

static void
pb_map_page_init (PbMapPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.online-basemap", FALSE);
  self->layer = pb_incident_layer_new (shumate_simple_map_get_viewport (self->map));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->layer));

  /* Capture: the map's own gestures (panning) go on; a click on a marker opens it. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  /* Secondary click, or the Menu key: a new report at that place. */
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));
  {
    GtkEventController *keys = gtk_event_controller_key_new ();
    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
}

PbIncidentLayer *
pb_map_page_get_layer (PbMapPage *self)
{
  return self->layer;
}

GtkPopover *
pb_map_page_get_popover (PbMapPage *self)
{
  return self->popover;
}
