/* pb-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows one of three things: the pages (board, access log) once somebody is
 * signed in; the sign-in list when nobody is yet; or a page that explains why the
 * database could not be opened (not SQLite, another program's, too new, read-only).
 */

#define G_LOG_DOMAIN "pb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "board/pb-board-page.h"
#include "cases/pb-cases-page.h"
#include "map/pb-map-page.h"
#include "log/pb-access-log-page.h"
#include "meeting/pb-meeting-page.h"
#include "pb-sync.h"
#include "pb-window.h"
#include "sync/pb-sync-controller.h"
#include "sync/pb-sync-status.h"

struct _PbWindow
{
  AdwApplicationWindow  parent_instance;

  PbStore              *store;
  PbContext            *context;    /* who is signed in; the pages follow it */
  GSettings            *settings;

  /* Template widgets */
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  GtkListBox           *people_list;
  PbBoardPage          *board_page;
  PbAccessLogPage      *access_log_page;
  PbCasesPage          *cases_page;
  PbMapPage            *map_page;
  PbMeetingPage        *meeting_page;
  AdwViewStack         *view_stack;
  GtkLabel             *user_name;
  GtkLabel             *user_detail;
  GtkWidget            *user_box;
  GtkWidget            *read_only_badge;
  PbSyncStatus         *sync_status;
  GtkWidget            *connect_hub_button;

  PbSyncController     *sync;
};

G_DEFINE_FINAL_TYPE (PbWindow, pb_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_error (PbWindow   *self,
            const char *title,
            const char *message)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);
  gtk_widget_set_visible (self->connect_hub_button, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  gtk_widget_set_visible (self->user_box, FALSE);
}

/* A person of the sign-in list was chosen (each row activates this with its person). */
static void
sign_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PbWindow *self = PB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_window_sign_in (self, g_variant_get_string (param, NULL), &error))
    show_error (self, _("Cannot sign in"), error->message);
}

static void
show_sign_in (PbWindow *self)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autoptr(GHashTable) org_codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  people = pb_store_list_people (self->store, &error);
  orgs = people ? pb_store_list_organisations (self->store, &error) : NULL;
  if (orgs == NULL)
    {
      show_error (self, _("Cannot read the database"), error->message);
      return;
    }

  for (guint i = 0; i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_hash_table_insert (org_codes, org->id, org->short_code);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->people_list))))
    gtk_list_box_remove (self->people_list, child);

  for (guint i = 0; i < people->len; i++)
    {
      PbPerson *person = g_ptr_array_index (people, i);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                   (char *) g_hash_table_lookup (org_codes, person->org),
                                                   pb_role_label (person->role));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), person->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.sign-in");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", person->id);
      gtk_list_box_append (self->people_list, row);
    }

  if (people->len == 0)
    {
      show_error (self, _("Nobody can sign in"),
                  _("This database has no people yet. Connect it to the consultation's hub with the "
                    "enrolment token its administrator gave you, or open the demo database with “make run”."));
      gtk_widget_set_visible (self->connect_hub_button, self->sync != NULL);
      return;
    }

  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  gtk_widget_set_visible (self->user_box, FALSE);
}

/* A synchronisation ran. What it brought, the pages show by themselves: their models
 * follow the store (PbStore::rows-changed). A database just connected to a hub is used by
 * the person it was enrolled for, once the hub has sent who they are. */
static void
on_synced_cb (PbSyncController *sync,
              PbWindow         *self)
{
  g_autofree char *enrolled = pb_sync_enrolled_person (self->store);
  g_autoptr(PbPerson) me = NULL;

  if (enrolled && g_strcmp0 (enrolled, pb_store_get_actor (self->store)) != 0
      && (me = pb_store_find_person (self->store, enrolled, NULL)) != NULL)
    pb_window_sign_in (self, enrolled, NULL);
}

static void
on_connect_hub_clicked_cb (PbWindow *self)
{
  pb_sync_status_connect_dialog (self->sync_status);
}

static void
start_sync (PbWindow *self)
{
  if (self->sync == NULL)
    {
      self->sync = pb_sync_controller_new (self->store);
      g_signal_connect (self->sync, "synced", G_CALLBACK (on_synced_cb), self);
      g_signal_connect_swapped (self->store, "committed", G_CALLBACK (pb_sync_controller_changed_here), self->sync);
      pb_sync_status_set_controller (self->sync_status, self->sync);
      pb_sync_controller_start (self->sync);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sync_status), TRUE);
}

/* The header says who is signed in, as the context says it. */
static void
update_user (PbWindow *self)
{
  g_autofree char *detail = NULL;
  PbRole role = pb_context_get_role (self->context);

  gtk_label_set_label (self->user_name, pb_context_get_person_name (self->context)
                                        ? pb_context_get_person_name (self->context) : "");
  if (role < PB_N_ROLES)
    detail = g_strdup_printf ("%s · %s", pb_context_get_org_code (self->context), pb_role_label (role));
  gtk_label_set_label (self->user_detail, detail ? detail : "");
  gtk_widget_set_tooltip_text (self->user_box, pb_context_get_org_name (self->context));
}

gboolean
pb_window_sign_in (PbWindow   *self,
                   const char *person,
                   GError    **error)
{
  g_return_val_if_fail (PB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!pb_context_sign_in (self->context, person, error))
    return FALSE;
  if (!pb_context_get_signed_in (self->context))
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_UNKNOWN_USER,
                   _("Nobody called “%s” is known in this database"), person);
      return FALSE;
    }

  if (self->settings)
    g_settings_set_string (self->settings, "user",
                           g_settings_get_boolean (self->settings, "remember-user")
                           ? pb_context_get_actor (self->context)->person : "");

  gtk_widget_set_visible (self->user_box, TRUE);

  pb_board_page_set_settings (self->board_page, self->settings);
  if (!pb_board_page_load (self->board_page, self->context, error))
    return FALSE;
  pb_cases_page_load (self->cases_page, self->context);
  if (!pb_map_page_load (self->map_page, self->context, self->settings, error))
    return FALSE;
  pb_meeting_page_load (self->meeting_page, self->context);
  pb_access_log_page_load (self->access_log_page, self->store);
  start_sync (self);

  gtk_stack_set_visible_child_name (self->main_stack, "content");
  return TRUE;
}

static void
open_database (PbWindow   *self,
               const char *path,
               const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  self->store = pb_store_open (path, &error);
  if (self->store == NULL)
    {
      show_error (self, _("Cannot open the database"), error->message);
      return;
    }
  self->context = pb_context_new (self->store);
  /* The header and what the pages show follow who is signed in. */
  g_signal_connect_swapped (self->context, "notify::person-name", G_CALLBACK (update_user), self);
  g_signal_connect_swapped (self->context, "notify::org-code", G_CALLBACK (update_user), self);
  g_signal_connect_swapped (self->context, "notify::role", G_CALLBACK (update_user), self);
  g_object_bind_property (self->context, "is-partner", self->read_only_badge, "visible", G_BINDING_SYNC_CREATE);
  /* The consultation's record is its members': private partners see what is shared with
   * them on the board, not the meetings. */
  g_object_bind_property (self->context, "sees-meetings",
                          adw_view_stack_get_page (self->view_stack, GTK_WIDGET (self->meeting_page)), "visible",
                          G_BINDING_SYNC_CREATE);
  /* The hub may be where the people of this database come from: sync starts at once. */
  start_sync (self);

  if (user != NULL)
    {
      if (!pb_window_sign_in (self, user, &error))
        show_error (self, _("Cannot sign in"), error->message);
      return;
    }

  /* A database enrolled with a hub belongs to the person it was enrolled for. */
  saved = pb_sync_enrolled_person (self->store);
  if (saved && pb_window_sign_in (self, saved, NULL))
    return;
  g_clear_pointer (&saved, g_free);

  if (self->settings)
    saved = g_settings_get_string (self->settings, "user");
  if (saved && *saved && pb_window_sign_in (self, saved, NULL))
    return;

  show_sign_in (self);
}

static void
switch_user_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PbWindow *self = PB_WINDOW (widget);

  if (self->store)
    show_sign_in (self);
}

static void
on_cases_changed_cb (PbBoardPage *board,
                     const char  *case_id,
                     PbWindow    *self)
{
  pb_cases_page_load (self->cases_page, self->context);
}

static void
on_open_item_cb (GtkWidget   *page,
                 const char  *item_id,
                 PbWindow    *self)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "board");
  pb_board_page_open_item (self->board_page, item_id);
}

/* The map shows what the board is narrowed to. */
static void
on_board_filter_changed_cb (PbBoardPage *board,
                            PbWindow    *self)
{
  pb_map_page_set_filter (self->map_page, pb_board_page_get_filter (board));
}

/* The item open in the board's editor is the one the map marks. */
static void
on_item_opened_cb (PbBoardPage *board,
                   const char  *item_id,
                   PbWindow    *self)
{
  pb_incident_layer_set_selected (pb_map_page_get_layer (self->map_page), item_id);
}

static void
on_new_item_at_cb (PbMapPage *page,
                   double     lat,
                   double     lon,
                   PbWindow  *self)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "board");
  pb_board_page_new_item_at (self->board_page, lat, lon);
}

static void
show_case_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbWindow *self = PB_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "cases");
  pb_cases_page_show_case (self->cases_page, g_variant_get_string (param, NULL));
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbWindow *self = PB_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "content") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (param, NULL));
}

static void
pb_window_dispose (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  if (self->sync)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      if (self->store)
        g_signal_handlers_disconnect_by_data (self->store, self->sync);
    }
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pb_window_parent_class)->dispose (object);
}

static void
pb_window_finalize (GObject *object)
{
  PbWindow *self = PB_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_window_parent_class)->finalize (object);
}

static void
pb_window_class_init (PbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_window_dispose;
  object_class->finalize = pb_window_finalize;

  g_type_ensure (PB_TYPE_BOARD_PAGE);
  g_type_ensure (PB_TYPE_ACCESS_LOG_PAGE);
  g_type_ensure (PB_TYPE_CASES_PAGE);
  g_type_ensure (PB_TYPE_MAP_PAGE);
  g_type_ensure (PB_TYPE_MEETING_PAGE);
  g_type_ensure (PB_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/portboard/Portboard/ui/pb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, people_list);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, board_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, access_log_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, meeting_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, user_name);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, user_detail);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, user_box);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, read_only_badge);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, connect_hub_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_hub_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cases_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_item_at_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_board_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_opened_cb);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, cases_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, map_page);
  gtk_widget_class_bind_template_child (widget_class, PbWindow, view_stack);

  gtk_widget_class_install_action (widget_class, "win.sign-in", "s", sign_in_activated);
  gtk_widget_class_install_action (widget_class, "win.switch-user", NULL, switch_user_activated);
  gtk_widget_class_install_action (widget_class, "win.show-case", "s", show_case_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
  /* Alt+1 to Alt+4: the pages, in the order of the view switcher. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "board");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "cases");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "map");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "meeting");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-page", "s", "access-log");
}

static void
pb_window_init (PbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pb_window_new:
 * @application: (nullable): %NULL in tests, which must not register an application
 * @settings: (nullable): where the signed-in person is remembered
 * @user: (nullable): sign in as this person (name or identifier)
 */
PbWindow *
pb_window_new (GtkApplication *application,
               GSettings      *settings,
               const char     *database,
               const char     *user)
{
  PbWindow *self = g_object_new (PB_TYPE_WINDOW, "application", application, NULL);

  if (settings)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
    }

  open_database (self, database, user);
  return self;
}

PbStore *
pb_window_get_store (PbWindow *self)
{
  return self->store;
}

/* "content", "sign-in" or "error": for tests and for the command line. */
const char *
pb_window_get_state (PbWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}
