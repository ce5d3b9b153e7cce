/* pb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-application.h"
#include "pb-preferences-window.h"
#include "pb-window.h"

struct _PbApplication
{
  AdwApplication  parent_instance;

  char           *database;
  char           *user;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PbApplication, pb_application, ADW_TYPE_APPLICATION)

static char *
default_database (void)
{
  return g_build_filename (g_get_user_data_dir (), "portboard", "portboard.sqlite", NULL);
}

static void
pb_application_activate (GApplication *app)
{
  PbApplication *self = PB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *path = NULL;

  if (window == NULL)
    {
      if (self->database)
        path = g_strdup (self->database);
      else
        {
          g_autofree char *dir = NULL;

          path = default_database ();
          dir = g_path_get_dirname (path);
          g_mkdir_with_parents (dir, 0700);
        }
      window = GTK_WINDOW (pb_window_new (GTK_APPLICATION (app), self->settings, path, self->user));
    }

  gtk_window_present (window);
}

static int
pb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PbApplication *self = PB_APPLICATION (app);
  const char *database = NULL;
  const char *user = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("portboard %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "database", "^&ay", &database))
    self->database = g_canonicalize_filename (database, NULL);
  if (g_variant_dict_lookup (options, "user", "&s", &user))
    self->user = g_strdup (user);

  return -1;
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Portboard developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Portboard"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Portboard developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Joint case board of police, customs and the port prosecutor"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  PbApplication *self = user_data;
  GtkWindow *prefs = pb_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                                self->settings);
  gtk_window_present (prefs);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "preferences", preferences_activated },
  { "quit", quit_activated },
};

static void
pb_application_startup (GApplication *app)
{
  PbApplication *self = PB_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pb_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  pb_apply_color_scheme (self->settings);
  g_signal_connect_swapped (self->settings, "changed::color-scheme",
                            G_CALLBACK (pb_apply_color_scheme), self->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
}

static void
pb_application_finalize (GObject *object)
{
  PbApplication *self = PB_APPLICATION (object);

  g_free (self->database);
  g_free (self->user);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pb_application_parent_class)->finalize (object);
}

static void
pb_application_class_init (PbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pb_application_finalize;
  app_class->activate = pb_application_activate;
  app_class->startup = pb_application_startup;
  app_class->handle_local_options = pb_application_handle_local_options;
}

static void
pb_application_init (PbApplication *self)
{
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database"), N_("PATH") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, NULL, N_("Sign in as this person"), N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

PbApplication *
pb_application_new (void)
{
  return g_object_new (PB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/portboard/Portboard",
                       NULL);
}
