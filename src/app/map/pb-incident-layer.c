/* pb-incident-layer.c: the incidents on the map, drawn in one snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ShumateLayer that draws every incident itself (no widget per marker): on each frame
 * the incidents in view are clustered on a grid of 48-pixel cells and drawn with the same
 * cairo code as the PNG export, so the screen and the minutes show the same map.
 */

#define G_LOG_DOMAIN "pb-incident-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pb-incident-layer.h"
#include "pb-live-list.h"

#define CELL_PX 48
#define CLOSE_ZOOM 16
#define CLOSE_CELL_PX 12

struct _PbIncidentLayer
{
  ShumateLayer  parent_instance;

  GListModel   *model;       /* PbLiveItem of PbMapIncident, when the layer follows one */
  GPtrArray    *incidents;   /* PbMapIncident */
  GArray       *points;      /* PbMapPoint, one per incident */
  GArray       *clusters;    /* of the last frame */
  gboolean      density;     /* the seizure density under the markers */
  PbItemSet    *filter;      /* the board's filter: markers of matching items only */
  char         *selected;    /* the item open in the board's editor */
};

G_DEFINE_FINAL_TYPE (PbIncidentLayer, pb_incident_layer, SHUMATE_TYPE_LAYER)

/**
 * pb_incident_layer_get_view:
 *
 * The layer's view as the renderer counts it (centre, fractional zoom, size).
 */
void
pb_incident_layer_get_view (PbIncidentLayer *self,
                            PbMapView       *view)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);

  pb_map_project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &view->x, &view->y);
  view->zoom = (int) floor (zoom + 0.5);
  view->width = gtk_widget_get_width (GTK_WIDGET (self));
  view->height = gtk_widget_get_height (GTK_WIDGET (self));
  view->world = PB_MAP_TILE_SIZE * pow (2.0, zoom);
}

/* The markers: every incident, or those the board's filter lets through. The points keep
 * the index of their incident in the full list. */
static void
rebuild_points (PbIncidentLayer *self)
{
  g_clear_pointer (&self->points, g_array_unref);
  if (self->incidents)
    {
      GArray *all = pb_map_points_from_incidents (self->incidents);

      if (self->filter)
        {
          guint kept = 0;

          for (guint i = 0; i < all->len; i++)
            {
              PbMapIncident *n = g_ptr_array_index (self->incidents, g_array_index (all, PbMapPoint, i).index);

              if (n->item_rowid > 0 && pb_item_set_contains (self->filter, n->item_rowid))
                g_array_index (all, PbMapPoint, kept++) = g_array_index (all, PbMapPoint, i);
            }
          g_array_set_size (all, kept);
        }
      self->points = all;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pb_incident_layer_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PbIncidentLayer *self = PB_INCIDENT_LAYER (widget);
  PbMapView view;
  cairo_t *cr;

  pb_incident_layer_get_view (self, &view);
  g_clear_pointer (&self->clusters, g_array_unref);
  if (self->points == NULL || view.width <= 0 || view.height <= 0)
    return;
  /* Bubbles when zoomed out; close in (a quay, a yard), each marker on its own unless it
   * sits on another. */
  self->clusters = pb_map_cluster (&view, (PbMapPoint *) (void *) self->points->data, self->points->len,
                                   view.zoom >= CLOSE_ZOOM ? CLOSE_CELL_PX : CELL_PX);
  if (self->clusters->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, view.width, view.height));
  if (self->density)
    pb_map_draw_density (cr, &view, (PbMapPoint *) (void *) self->points->data, self->points->len);
  pb_map_draw_markers (cr, &view, (PbMapPoint *) (void *) self->points->data, self->clusters);

  /* The item open in the editor, and its incidents: an accent ring (the selection the map
   * shares with the board). */
  if (self->selected)
    for (guint i = 0; i < self->points->len; i++)
      {
        PbMapPoint *p = &g_array_index (self->points, PbMapPoint, i);
        PbMapIncident *n = g_ptr_array_index (self->incidents, p->index);
        double px = p->x * view.world - (view.x * view.world - view.width / 2.0);
        double py = p->y * view.world - (view.y * view.world - view.height / 2.0);

        if (g_strcmp0 (n->item, self->selected) != 0)
          continue;
        cairo_new_path (cr);
        cairo_arc (cr, px, py, 16, 0, 2 * G_PI);
        cairo_set_line_width (cr, 3);
        cairo_set_source_rgb (cr, 0.208, 0.518, 0.894);
        cairo_stroke (cr);
      }
  cairo_destroy (cr);
}

static void
on_viewport_changed_cb (GObject         *viewport,
                        GParamSpec      *pspec,
                        PbIncidentLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* What a marker or bubble is, in a line (its tooltip). */
static char *
describe (PbIncidentLayer    *self,
          const PbMapCluster *cluster)
{
  if (cluster->count == 1)
    {
      PbMapPoint *p = &g_array_index (self->points, PbMapPoint, cluster->first);
      PbMapIncident *n = g_ptr_array_index (self->incidents, p->index);

      return g_strdup_printf ("%s — %s (TLP:%s)", n->is_item ? n->title : pb_incident_kind_label (n->kind),
                              n->terminal ? n->terminal : _("no terminal"), pb_tlp_to_string (n->tlp));
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u incident here", "%u incidents here", cluster->count),
                          cluster->count);
}

static gboolean
on_query_tooltip_cb (GtkWidget       *widget,
                     int              x,
                     int              y,
                     gboolean         keyboard,
                     GtkTooltip      *tooltip,
                     PbIncidentLayer *self)
{
  PbMapCluster cluster;
  g_autofree char *text = NULL;

  if (!pb_incident_layer_cluster_at (self, x, y, &cluster))
    return FALSE;
  text = describe (self, &cluster);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
pb_incident_layer_constructed (GObject *object)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (object));

  G_OBJECT_CLASS (pb_incident_layer_parent_class)->constructed (object);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (on_viewport_changed_cb), object, 0);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (on_viewport_changed_cb), object, 0);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (on_viewport_changed_cb), object, 0);
}

static void
pb_incident_layer_finalize (GObject *object)
{
  PbIncidentLayer *self = PB_INCIDENT_LAYER (object);

  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->clusters, g_array_unref);
  g_clear_pointer (&self->filter, pb_item_set_unref);
  g_clear_pointer (&self->selected, g_free);

  G_OBJECT_CLASS (pb_incident_layer_parent_class)->finalize (object);
}

static void
pb_incident_layer_class_init (PbIncidentLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->constructed = pb_incident_layer_constructed;
  G_OBJECT_CLASS (klass)->finalize = pb_incident_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = pb_incident_layer_snapshot;
}

static void
pb_incident_layer_init (PbIncidentLayer *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self);
}

/**
 * pb_incident_layer_get_tooltip_at:
 *
 * Returns: (transfer full) (nullable): the tooltip of what is at a point of the layer
 */
char *
pb_incident_layer_get_tooltip_at (PbIncidentLayer *self,
                                  double           x,
                                  double           y)
{
  PbMapCluster cluster;

  if (!pb_incident_layer_cluster_at (self, x, y, &cluster))
    return NULL;
  return describe (self, &cluster);
}

PbIncidentLayer *
pb_incident_layer_new (ShumateViewport *viewport)
{
  return g_object_new (PB_TYPE_INCIDENT_LAYER, "viewport", viewport, NULL);
}

/**
 * pb_incident_layer_set_incidents:
 * @incidents: (transfer none) (element-type PbMapIncident): what to show
 */
void
pb_incident_layer_set_incidents (PbIncidentLayer *self,
                                 GPtrArray       *incidents)
{
  if (incidents)
    g_ptr_array_ref (incidents);
  g_clear_pointer (&self->incidents, g_ptr_array_unref);
  self->incidents = incidents;
  rebuild_points (self);
}

/* The markers as the model has them now: the layer draws the model's records. */
static void
on_model_changed_cb (GListModel      *model,
                     guint            position,
                     guint            removed,
                     guint            added,
                     PbIncidentLayer *self)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PbLiveItem) item = g_list_model_get_item (model, i);
      g_ptr_array_add (incidents, pb_live_item_get (item));
    }
  pb_incident_layer_set_incidents (self, incidents);
}

/**
 * pb_incident_layer_set_model:
 * @model: (nullable): a #GListModel of #PbLiveItem holding #PbMapIncident (a live list of
 *   the store's)
 *
 * Shows the markers of @model, and follows it.
 */
void
pb_incident_layer_set_model (PbIncidentLayer *self,
                             GListModel      *model)
{
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model)
    {
      g_signal_connect (model, "items-changed", G_CALLBACK (on_model_changed_cb), self);
      on_model_changed_cb (model, 0, 0, 0, self);
    }
  else
    pb_incident_layer_set_incidents (self, NULL);
}

/**
 * pb_incident_layer_set_filter:
 * @filter: (nullable): the items the board is narrowed to; %NULL for all
 *
 * Shows the markers of what the board shows: located items that match, and incidents of
 * matching items (incidents of no item only without a filter).
 */
void
pb_incident_layer_set_filter (PbIncidentLayer *self,
                              PbItemSet       *filter)
{
  if (filter)
    pb_item_set_ref (filter);
  g_clear_pointer (&self->filter, pb_item_set_unref);
  self->filter = filter;
  rebuild_points (self);
}

GPtrArray *
pb_incident_layer_get_incidents (PbIncidentLayer *self)
{
  return self->incidents;
}

const PbMapPoint *
pb_incident_layer_get_points (PbIncidentLayer *self,
                              guint           *n_points)
{
  *n_points = self->points ? self->points->len : 0;
  return self->points ? (PbMapPoint *) (void *) self->points->data : NULL;
}

/**
 * pb_incident_layer_cluster_at:
 *
 * Returns: whether a marker or bubble of the last frame is under the point (in the
 *   layer's pixels), and which
 */
gboolean
pb_incident_layer_cluster_at (PbIncidentLayer *self,
                              double           x,
                              double           y,
                              PbMapCluster    *cluster)
{
  double best = 24 * 24;
  gboolean found = FALSE;

  for (guint i = 0; self->clusters && i < self->clusters->len; i++)
    {
      PbMapCluster *c = &g_array_index (self->clusters, PbMapCluster, i);
      double d = (c->px - x) * (c->px - x) + (c->py - y) * (c->py - y);

      if (d < best)
        {
          best = d;
          *cluster = *c;
          found = TRUE;
        }
    }
  return found;
}

/**
 * pb_incident_layer_set_density:
 *
 * Shows or hides the density of seizures (kilograms) under the markers.
 */
void
pb_incident_layer_set_density (PbIncidentLayer *self,
                               gboolean         density)
{
  self->density = density;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
pb_incident_layer_get_density (PbIncidentLayer *self)
{
  return self->density;
}

/**
 * pb_incident_layer_set_selected:
 * @item_id: (nullable): the item open in the board's editor
 */
void
pb_incident_layer_set_selected (PbIncidentLayer *self,
                                const char      *item_id)
{
  g_free (self->selected);
  self->selected = g_strdup (item_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
pb_incident_layer_get_selected (PbIncidentLayer *self)
{
  return self->selected;
}
