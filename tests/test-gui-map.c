/* test-gui-map.c: the map page: markers, filters, export, a basemap file, the online map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "board/pb-add-to-case-dialog.h"
#include "board/pb-board-column.h"
#include "board/pb-board-page.h"
#include "board/pb-card-row.h"
#include "board/pb-item-editor.h"
#include "cases/pb-cases-page.h"
#include "map/pb-map-page.h"
#include "meeting/pb-meeting-add-item-dialog.h"
#include "meeting/pb-meeting-agenda-row.h"
#include "meeting/pb-meeting-attendance-dialog.h"
#include "meeting/pb-meeting-open-dialog.h"
#include "meeting/pb-meeting-page.h"
#include "meeting/pb-projector-window.h"
#include "pb-meeting.h"
#include "pb-demo.h"
#include "pb-record.h"
#include "pb-soup-transport.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-test-util.h"
#include "pb-util.h"
#include "pb-window.h"
#include "sync/pb-sync-status.h"
#include "gui-util.h"

/* The map page draws as it is: the pixels of the widget, as the screen gets them. */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* How many pixels of the widget have about this colour. */
static guint
count_colour (GtkWidget *widget,
              guint32    rgb)
{
  g_autoptr(GdkTexture) texture = render_widget (widget);
  g_autofree guint8 *data = NULL;
  int w, h;
  guint n = 0;

  if (texture == NULL)
    return 0;
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    {
      guint32 px = ((guint32 *) data)[i] & 0xffffff;   /* little-endian BGRA */
      int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
      if (ABS (r - (int) ((rgb >> 16) & 0xff)) < 6 && ABS (g - (int) ((rgb >> 8) & 0xff)) < 6
          && ABS (b - (int) (rgb & 0xff)) < 6)
        n++;
    }
  return n;
}

/* The map page: the built-in basemap is drawn (its water colour is on screen), incidents
 * are on it, a click on a bubble tells what is there, a broken map file is refused with a
 * message and the map stays, and the view is saved as a PNG. */
void
test_map_page (void)
{
  g_autofree char *chair = person_of_role ("chair");
  PbWindow *window = pb_window_new (NULL, NULL, demo_path, chair);
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = pb_test_tmp_path ("notes.mbtiles");
  g_autofree char *png = pb_test_tmp_path ("map-export.png");
  PbMapPage *page;
  PbIncidentLayer *layer;
  PbMapCluster cluster = { 0 };
  PbMapView view;
  gboolean found = FALSE;

  show_window (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
  collect (GTK_WIDGET (window), PB_TYPE_MAP_PAGE, pages);
  page = g_ptr_array_index (pages, 0);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  layer = pb_map_page_get_layer (page);

  /* Water (#aad3df), drawn by the basemap's tiles once they are read. */
  WAIT_FOR (count_colour (GTK_WIDGET (page), 0xaad3df) > 1000);
  g_assert_cmpuint (count_colour (GTK_WIDGET (page), 0xaad3df), >, 1000);
  /* Count bubbles (#333845) of the incidents a chair may see. */
  g_assert_cmpuint (count_colour (GTK_WIDGET (layer), 0x333845), >, 50);

  pb_incident_layer_get_view (layer, &view);
  for (int y = 0; y < view.height && !found; y += 4)
    for (int x = 0; x < view.width && !found; x += 4)
      found = pb_incident_layer_cluster_at (layer, x, y, &cluster);
  g_assert_true (found);
  {
    g_autofree char *tip = pb_incident_layer_get_tooltip_at (layer, cluster.px, cluster.py);
    g_assert_nonnull (tip);
    g_assert_true (strstr (tip, "here") != NULL || strstr (tip, "TLP:") != NULL);
  }
  g_assert_true (pb_map_page_activate_at (page, cluster.px, cluster.py));
  WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
  gtk_popover_popdown (pb_map_page_get_popover (page));

  /* The item opened in the board's editor is the one the map marks. */
  {
    g_autoptr(PbCard) card = g_list_model_get_item (pb_board_page_get_cards (board_of (window)), 0);

    pb_board_page_open_card (board_of (window), card);
    g_assert_cmpstr (pb_incident_layer_get_selected (layer), ==, pb_card_get_id (card));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));
  }

  /* Secondary click (or the Menu key) at MPET: a new report there, its terminal filled in. */
  {
    ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
    PbBoardPage *board = board_of (window);
    PbItemEditor *editor = pb_board_page_get_editor (board);
    double x, y;

    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), 51.29278, 4.25750, &x, &y);
    pb_map_page_new_report_at (page, x, y);
    WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (pb_map_page_get_popover (page))));
    g_signal_emit_by_name (first_of (GTK_WIDGET (pb_map_page_get_popover (page)), GTK_TYPE_BUTTON), "clicked");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
    g_assert_null (pb_item_editor_get_item_id (editor));
    g_assert_cmpstr (pb_item_editor_get_terminal (editor), ==, "MPET Deurganck Dock");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "map");
    WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)));

    /* …or a new incident there: the handling code first, a weight that is one. */
    {
      AdwMessageDialog *dialog;
      g_autoptr(GPtrArray) drops = g_ptr_array_new ();
      g_autoptr(GPtrArray) entries = g_ptr_array_new ();

      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), 51.29278, 4.25750, &x, &y);
      pb_map_page_new_report_at (page, x, y);
      gtk_popover_popdown (pb_map_page_get_popover (page));
      dialog = ADW_MESSAGE_DIALOG (pb_map_page_new_incident_dialog (page));
      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
      collect (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, drops);
      collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
      g_assert_cmpuint (drops->len, ==, 2);
      gtk_drop_down_set_selected (g_ptr_array_index (drops, 1), 1 + PB_TLP_AMBER);
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "-5");
      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "250");
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "Cocaine behind the cooling unit");
      g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
      /* Recorded as the dialog answers. */
      adw_message_dialog_response (dialog, "create");
      g_assert_cmpint (pb_test_count (pb_window_get_store (window),
                                      "SELECT count(*) FROM incidents WHERE terminal = 'MPET Deurganck Dock' AND kg = 250"
                                      " AND tlp = 'AMBER' AND description = 'Cocaine behind the cooling unit'"), ==, 1);
    }
  }

  /* A file that is not a map: refused, named, the map as it was. */
  g_assert_true (g_file_set_contents (notes, "minutes of the meeting\n", -1, NULL));
  g_assert_false (pb_map_page_set_basemap (page, notes, &error));
  g_assert_error (error, PB_MBTILES_ERROR, PB_MBTILES_ERROR_NOT_SQLITE);
  g_clear_error (&error);
  /* The built-in map still shows: its water is drawn. */
  WAIT_FOR (count_colour (GTK_WIDGET (page), 0xaad3df) > 1000);
  g_assert_cmpuint (count_colour (GTK_WIDGET (page), 0xaad3df), >, 1000);

  /* The board's filter narrows the map too: only markers of matching items stay. */
  {
    PbBoardPage *board = board_of (window);
    PbFilter filter = { 0 };
    guint all, narrowed;
    const PbMapPoint *points;
    GPtrArray *incidents = pb_incident_layer_get_incidents (layer);

    pb_incident_layer_get_points (layer, &all);
    filter.tlp_mask = 1u << PB_TLP_RED;
    g_assert_true (pb_board_page_apply_filter (board, &filter, NULL));
    points = pb_incident_layer_get_points (layer, &narrowed);
    g_assert_cmpuint (narrowed, <, all);
    for (guint i = 0; i < narrowed; i++)
      {
        PbMapIncident *n = g_ptr_array_index (incidents, points[i].index);
        g_assert_true (pb_item_set_contains (pb_board_page_get_filter (board), n->item_rowid));
      }
    filter.tlp_mask = 0;
    g_assert_true (pb_board_page_apply_filter (board, &filter, NULL));
    pb_incident_layer_get_points (layer, &narrowed);
    g_assert_cmpuint (narrowed, ==, all);
  }

  g_assert_true (pb_map_page_export (page, png, &error));
  g_assert_no_error (error);
  {
    cairo_surface_t *shot = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (shot), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (shot), ==, view.width);
    cairo_surface_destroy (shot);
  }
  g_unlink (png);
  g_unlink (notes);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}

/* Online tiles only when an address is set in Preferences; back to the built-in map. */
void
test_map_online (void)
{
  g_autofree char *chair = person_of_role ("chair");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.portboard.Portboard");
  PbWindow *window = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  ShumateSimpleMap *map;
  PbMapPage *page;

  g_settings_set_string (settings, "tile-url", "");
  g_settings_set_string (settings, "basemap", "");
  window = pb_window_new (NULL, settings, demo_path, chair);
  show_window (window);
  collect (GTK_WIDGET (window), PB_TYPE_MAP_PAGE, pages);
  page = g_ptr_array_index (pages, 0);
  map = first_of (GTK_WIDGET (page), SHUMATE_TYPE_SIMPLE_MAP);

  /* No address: no online map, and nothing is fetched. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "map.online-basemap", NULL)
                  && g_strcmp0 (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), "online") == 0);
  g_assert_false (pb_map_page_use_online (page, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_settings_set_string (settings, "tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png");
  g_settings_set_string (settings, "tile-attribution", "Test tiles");
  g_assert_true (pb_map_page_use_online (page, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), ==, "online");
  g_assert_cmpstr (shumate_map_source_get_license (shumate_simple_map_get_map_source (map)), ==, "Test tiles");
  {
    g_autofree char *saved = g_settings_get_string (settings, "basemap");
    g_assert_cmpstr (saved, ==, "online");
  }

  gtk_widget_activate_action (GTK_WIDGET (page), "map.builtin-basemap", NULL);
  g_assert_cmpstr (shumate_map_source_get_id (shumate_simple_map_get_map_source (map)), !=, "online");
  g_settings_set_string (settings, "tile-url", "");
  g_settings_set_string (settings, "basemap", "");
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
}
