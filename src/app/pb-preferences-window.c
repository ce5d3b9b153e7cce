/* pb-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-preferences-window.h"
#include "pb-map-render.h"

struct _PbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *style_row;
  AdwEntryRow          *tile_url_row;
  AdwEntryRow          *tile_attribution_row;
  GtkSwitch            *remember_switch;
};

G_DEFINE_FINAL_TYPE (PbPreferencesWindow, pb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *schemes[] = { "default", "light", "dark" };

void
pb_apply_color_scheme (GSettings *settings)
{
  g_autofree char *scheme = g_settings_get_string (settings, "color-scheme");
  AdwColorScheme value = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    value = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    value = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), value);
}

/* An address is kept only when it is one (http or https, with {z}, {x} and {y}); the row
 * shows an error until then. Empty turns online tiles off. */
static void
on_tile_url_changed_cb (AdwEntryRow         *row,
                        PbPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean ok = *url == '\0' || pb_tile_url_is_valid (url);

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  if (ok && self->settings)
    g_settings_set_string (self->settings, "tile-url", url);
}

static void
on_style_selected_cb (AdwComboRow         *row,
                      GParamSpec          *pspec,
                      PbPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (row);

  if (i < G_N_ELEMENTS (schemes))
    g_settings_set_string (self->settings, "color-scheme", schemes[i]);
}

static void
pb_preferences_window_dispose (GObject *object)
{
  PbPreferencesWindow *self = PB_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pb_preferences_window_parent_class)->dispose (object);
}

static void
pb_preferences_window_class_init (PbPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/pb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PbPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferencesWindow, tile_url_row);
  gtk_widget_class_bind_template_child (widget_class, PbPreferencesWindow, tile_attribution_row);
  gtk_widget_class_bind_template_callback (widget_class, on_tile_url_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, PbPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_style_selected_cb);
}

static void
pb_preferences_window_init (PbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWindow *
pb_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  PbPreferencesWindow *self = g_object_new (PB_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent,
                                            NULL);
  g_autofree char *scheme = g_settings_get_string (settings, "color-scheme");

  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_strcmp0 (scheme, schemes[i]) == 0)
      adw_combo_row_set_selected (self->style_row, i);
  g_settings_bind (settings, "remember-user", self->remember_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "tile-attribution", self->tile_attribution_row, "text", G_SETTINGS_BIND_DEFAULT);
  {
    g_autofree char *url = g_settings_get_string (settings, "tile-url");
    gtk_editable_set_text (GTK_EDITABLE (self->tile_url_row), url);
  }
  return GTK_WINDOW (self);
}
