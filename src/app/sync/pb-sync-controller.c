/* pb-sync-controller.c: keeps the open database in step with its hub, in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sync round runs in a worker thread on its own connection to the database (SQLite in
 * WAL mode lets the board read meanwhile). Rounds start when the hub says on its live
 * channel that there is something new, shortly after something is written here, every
 * minute, and when the network comes back; after a failure the next try waits 5 s, then
 * twice as long each time, up to 5 minutes.
 *
 * The credential is kept in the desktop keyring (libsecret). Where there is none (a
 * server without a session, a test), it is kept in a file readable only by its owner,
 * and the status says so.
 *
 * What a round applied is written by the worker's own connection; its store says what
 * changed (PbStore::rows-changed), and the round hands that to the window's store
 * (pb_store_announce), whose models follow it: no page reads anything again by hand.
 *
 * Signals: synced, once a round has applied changes.
 */

#define G_LOG_DOMAIN "pb-sync"

#include "config.h"

#include "pb-sync-controller.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "pb-live-channel.h"
#include "pb-soup-transport.h"
#include "pb-sync.h"

#define PERIOD_S 60
#define FIRST_RETRY_S 5
#define LAST_RETRY_S 300
#define SOON_MS 400

struct _PbSyncController
{
  GObject           parent_instance;

  PbStore          *store;
  char             *path;
  char             *site;
  char             *hub;
  char             *fingerprint;
  char             *credential;
  PbLiveChannel    *live;
  GNetworkMonitor  *monitor;

  PbSyncState       state;
  guint             waiting;
  guint             quarantined;  /* received changes set aside: this database cannot apply them */
  gint64            last_synced;  /* ms since 1970 */
  char             *message;
  gboolean          in_file;      /* the credential is in a file, not the keyring */

  gboolean          running;
  gboolean          again;
  guint             timer_id;
  guint             soon_id;
  guint             backoff;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_WAITING,
  PROP_QUARANTINED,
  PROP_LAST_SYNCED,
  PROP_MESSAGE,
  PROP_LIVE,
  N_PROPS
};
enum { SYNCED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PbSyncController, pb_sync_controller, G_TYPE_OBJECT)

/* ---- The credential --------------------------------------------------------------- */

static const SecretSchema *
credential_schema (void)
{
  static const SecretSchema schema = {
    "io.github.portboard.Portboard.HubCredential", SECRET_SCHEMA_NONE,
    {
      { "site", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "hub", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static char *
credential_file (const char *site)
{
  return g_build_filename (g_get_user_data_dir (), "portboard", "credentials", site, NULL);
}

/* Keeps the credential; TRUE in *in_file when the keyring was not there. */
static gboolean
store_credential (const char *site,
                  const char *hub,
                  const char *credential,
                  gboolean   *in_file,
                  GError    **error)
{
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *label = g_strdup_printf (_("Portboard hub %s"), hub);
  g_autofree char *file = NULL;
  g_autofree char *folder = NULL;

  *in_file = FALSE;
  if (secret_password_store_sync (credential_schema (), SECRET_COLLECTION_DEFAULT, label, credential, NULL,
                                  &keyring_error, "site", site, "hub", hub, NULL))
    return TRUE;
  g_debug ("No keyring (%s): the credential goes to a private file", keyring_error->message);
  file = credential_file (site);
  folder = g_path_get_dirname (file);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot keep the credential: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  *in_file = TRUE;
  return g_file_set_contents_full (file, credential, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static char *
lookup_credential (const char *site,
                   const char *hub,
                   gboolean   *in_file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = credential_file (site);
  char *credential = secret_password_lookup_sync (credential_schema (), NULL, &error, "site", site, "hub", hub,
                                                  NULL);

  *in_file = FALSE;
  if (credential)
    return credential;
  if (g_file_get_contents (file, &credential, NULL, NULL))
    {
      *in_file = TRUE;
      return g_strstrip (credential);
    }
  return NULL;
}

/* ---- A round, in the worker ------------------------------------------------------- */

typedef struct
{
  char        *path;
  char        *site;
  char        *hub;
  char        *fingerprint;
  char        *credential;
  gboolean     in_file;
  char        *seen_fingerprint;
  PbSyncStats  stats;
  guint        waiting;
  PbChangeSet *changes;      /* what the round wrote, from the worker's store */
} Round;

static void
round_free (Round *r)
{
  g_free (r->path);
  g_free (r->site);
  g_free (r->hub);
  g_free (r->fingerprint);
  g_free (r->credential);
  g_free (r->seen_fingerprint);
  g_clear_pointer (&r->changes, pb_change_set_unref);
  g_free (r);
}

/* In the worker thread: what each transaction of the round committed. */
static void
on_round_rows_changed_cb (PbStore     *store,
                          PbChangeSet *changes,
                          Round       *r)
{
  pb_change_set_merge (r->changes, changes);
}

static void
round_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Round *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = pb_store_open (r->path, &error);
  g_autoptr(PbSoupTransport) transport = NULL;
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (r->credential == NULL)
    r->credential = lookup_credential (r->site, r->hub, &r->in_file);
  if (r->credential == NULL)
    {
      g_task_return_new_error (task, PB_SYNC_ERROR, PB_SYNC_ERROR_NOT_ENROLLED,
                               _("The credential for this hub is missing from the keyring: connect again"));
      return;
    }
  transport = pb_soup_transport_new (r->hub, r->fingerprint, &error);
  if (transport == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_connect (store, "rows-changed", G_CALLBACK (on_round_rows_changed_cb), r);
  ok = pb_sync_once (store, PB_TRANSPORT (transport), r->credential, &r->stats, &error);
  r->waiting = pb_sync_waiting (store);
  r->seen_fingerprint = g_strdup (pb_soup_transport_get_fingerprint (transport));
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- The controller --------------------------------------------------------------- */

static void start_round (PbSyncController *self);

static void
set_state (PbSyncController *self,
           PbSyncState       state,
           const char       *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
update_counts (PbSyncController *self)
{
  guint waiting = pb_sync_waiting (self->store);
  guint quarantined = (guint) MAX (pb_store_count_quarantined (self->store), 0);

  if (waiting != self->waiting)
    {
      self->waiting = waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }
  if (quarantined != self->quarantined)
    {
      self->quarantined = quarantined;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUARANTINED]);
    }
}

static gboolean
timer_cb (gpointer data)
{
  PbSyncController *self = data;

  self->timer_id = 0;
  start_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (PbSyncController *self,
          guint             seconds)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_seconds (seconds, timer_cb, self);
}

static void
on_live_connected (PbSyncController *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
round_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  PbSyncController *self = PB_SYNC_CONTROLLER (source);
  Round *r = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->running = FALSE;
  /* What the round applied — also when it failed after some pages — reaches the window's
   * store and every model that follows it. */
  if (!pb_change_set_is_empty (r->changes))
    {
      pb_store_announce (self->store, r->changes);
      g_signal_emit (self, signals[SYNCED], 0);
    }
  if (r->credential && self->credential == NULL)
    {
      self->credential = g_strdup (r->credential);
      self->in_file = r->in_file;
    }
  /* Trusted on first use: the certificate seen first is the one trusted from then on. */
  if (self->fingerprint == NULL && r->seen_fingerprint)
    {
      self->fingerprint = g_strdup (r->seen_fingerprint);
      pb_sync_set_hub (self->store, self->hub, self->fingerprint, NULL);
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gboolean unreachable = g_error_matches (error, PB_SYNC_ERROR, PB_SYNC_ERROR_UNREACHABLE)
                             && strstr (error->message, "certificate") == NULL;

      set_state (self, unreachable ? PB_SYNC_STATE_OFFLINE : PB_SYNC_STATE_ERROR, error->message);
      update_counts (self);
      schedule (self, self->backoff);
      self->backoff = MIN (self->backoff * 2, LAST_RETRY_S);
    }
  else
    {
      self->backoff = FIRST_RETRY_S;
      self->last_synced = g_get_real_time () / 1000;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      set_state (self, PB_SYNC_STATE_ONLINE,
                 self->in_file ? _("The desktop keyring is not available: the credential is kept in a file "
                                   "only you can read") : NULL);
      update_counts (self);
      schedule (self, PERIOD_S);
      if (self->live == NULL && self->credential)
        {
          self->live = pb_live_channel_new (self->hub, self->fingerprint, self->credential);
          g_signal_connect_swapped (self->live, "changed", G_CALLBACK (pb_sync_controller_sync_now), self);
          g_signal_connect_swapped (self->live, "notify::connected", G_CALLBACK (on_live_connected), self);
          pb_live_channel_start (self->live);
        }
    }
  if (self->again)
    {
      self->again = FALSE;
      start_round (self);
    }
}

static void
start_round (PbSyncController *self)
{
  g_autoptr(GTask) task = NULL;
  Round *r;

  if (self->hub == NULL)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  self->running = TRUE;
  set_state (self, PB_SYNC_STATE_SYNCING, self->message);

  r = g_new0 (Round, 1);
  r->path = g_strdup (self->path);
  r->site = g_strdup (self->site);
  r->hub = g_strdup (self->hub);
  r->fingerprint = g_strdup (self->fingerprint);
  r->credential = g_strdup (self->credential);
  r->changes = pb_change_set_new ();
  task = g_task_new (self, NULL, round_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) round_free);
  g_task_run_in_thread (task, round_thread);
}

static void
on_network_changed (GNetworkMonitor  *monitor,
                    gboolean          available,
                    PbSyncController *self)
{
  if (available && self->state == PB_SYNC_STATE_OFFLINE)
    {
      self->backoff = FIRST_RETRY_S;
      start_round (self);
    }
}

static void
pb_sync_controller_dispose (GObject *object)
{
  PbSyncController *self = PB_SYNC_CONTROLLER (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  if (self->live)
    pb_live_channel_stop (self->live);
  g_clear_object (&self->live);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pb_sync_controller_parent_class)->dispose (object);
}

static void
pb_sync_controller_finalize (GObject *object)
{
  PbSyncController *self = PB_SYNC_CONTROLLER (object);

  g_free (self->path);
  g_free (self->site);
  g_free (self->hub);
  g_free (self->fingerprint);
  g_free (self->credential);
  g_free (self->message);
  G_OBJECT_CLASS (pb_sync_controller_parent_class)->finalize (object);
}

static void
pb_sync_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PbSyncController *self = PB_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_WAITING:
      g_value_set_uint (value, self->waiting);
      break;
    case PROP_QUARANTINED:
      g_value_set_uint (value, self->quarantined);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_int64 (value, self->last_synced);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, pb_sync_controller_get_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pb_sync_controller_class_init (PbSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pb_sync_controller_dispose;
  object_class->finalize = pb_sync_controller_finalize;
  object_class->get_property = pb_sync_controller_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, PB_SYNC_STATE_ERROR, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WAITING] = g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Changes from the hub that this database could not apply (a row its schema refuses):
   * kept aside with why; the rest went on. */
  properties[PROP_QUARANTINED] = g_param_spec_uint ("quarantined", NULL, NULL, 0, G_MAXUINT, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                                    | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_SYNCED] = g_param_spec_int64 ("last-synced", NULL, NULL, 0, G_MAXINT64, 0,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                                     | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PbSyncController::synced:
   *
   * A round applied changes from the hub; they were announced to the store first.
   */
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
pb_sync_controller_init (PbSyncController *self)
{
  self->backoff = FIRST_RETRY_S;
}

PbSyncController *
pb_sync_controller_new (PbStore *store)
{
  PbSyncController *self = g_object_new (PB_TYPE_SYNC_CONTROLLER, NULL);

  self->store = g_object_ref (store);
  self->path = g_strdup (pb_store_get_path (store));
  self->site = g_strdup (pb_store_get_site_id (store));
  if (pb_sync_is_enrolled (store))
    self->hub = pb_sync_get_hub (store, &self->fingerprint);
  self->state = self->hub ? PB_SYNC_STATE_OFFLINE : PB_SYNC_STATE_NOT_CONNECTED;
  self->last_synced = pb_sync_last_synced (store);
  self->waiting = pb_sync_waiting (store);
  return self;
}

void
pb_sync_controller_start (PbSyncController *self)
{
  if (self->monitor == NULL)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);
    }
  start_round (self);
}

void
pb_sync_controller_sync_now (PbSyncController *self)
{
  self->backoff = FIRST_RETRY_S;
  start_round (self);
}

static gboolean
soon_cb (gpointer data)
{
  PbSyncController *self = data;

  self->soon_id = 0;
  update_counts (self);
  if (self->state != PB_SYNC_STATE_OFFLINE)
    start_round (self);
  return G_SOURCE_REMOVE;
}

/* Something was written here: it goes out shortly (a burst of writes goes at once). */
void
pb_sync_controller_changed_here (PbSyncController *self)
{
  if (self->hub == NULL)
    return;
  g_clear_handle_id (&self->soon_id, g_source_remove);
  self->soon_id = g_timeout_add (SOON_MS, soon_cb, self);
}

PbSyncState
pb_sync_controller_get_state (PbSyncController *self)
{
  return self->state;
}

guint
pb_sync_controller_get_waiting (PbSyncController *self)
{
  return self->waiting;
}

gint64
pb_sync_controller_get_last_synced (PbSyncController *self)
{
  return self->last_synced;
}

const char *
pb_sync_controller_get_message (PbSyncController *self)
{
  return self->message;
}

char *
pb_sync_controller_get_hub (PbSyncController *self,
                            char            **fingerprint)
{
  if (fingerprint)
    *fingerprint = g_strdup (self->fingerprint);
  return g_strdup (self->hub);
}

guint
pb_sync_controller_get_quarantined (PbSyncController *self)
{
  g_return_val_if_fail (PB_IS_SYNC_CONTROLLER (self), 0);
  return self->quarantined;
}

gboolean
pb_sync_controller_get_live (PbSyncController *self)
{
  return self->live != NULL && pb_live_channel_is_connected (self->live);
}

/* ---- Enrolment -------------------------------------------------------------------- */

typedef struct
{
  char    *path;
  char    *site;
  char    *hub;
  char    *token;
  char    *fingerprint;
  char    *credential;
  char    *seen_fingerprint;
  gboolean in_file;
} Enrolment;

static void
enrolment_free (Enrolment *e)
{
  g_free (e->path);
  g_free (e->site);
  g_free (e->hub);
  g_free (e->token);
  g_free (e->fingerprint);
  g_free (e->credential);
  g_free (e->seen_fingerprint);
  g_free (e);
}

static void
enrol_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Enrolment *e = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbStore) store = pb_store_open (e->path, &error);
  g_autoptr(PbSoupTransport) transport = NULL;

  if (store == NULL || (transport = pb_soup_transport_new (e->hub, e->fingerprint, &error)) == NULL
      || !pb_sync_enrol (store, PB_TRANSPORT (transport), e->token, &e->credential, &error)
      || !store_credential (e->site, e->hub, e->credential, &e->in_file, &error)
      || !pb_sync_set_hub (store, e->hub, e->fingerprint ? e->fingerprint
                                                         : pb_soup_transport_get_fingerprint (transport), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  e->seen_fingerprint = g_strdup (pb_soup_transport_get_fingerprint (transport));
  g_task_return_boolean (task, TRUE);
}

void
pb_sync_controller_enrol_async (PbSyncController    *self,
                                const char          *hub_url,
                                const char          *token,
                                const char          *fingerprint,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Enrolment *e = g_new0 (Enrolment, 1);

  e->path = g_strdup (self->path);
  e->site = g_strdup (self->site);
  e->hub = g_strstrip (g_strdup (hub_url));
  e->token = g_strstrip (g_strdup (token));
  e->fingerprint = fingerprint && *fingerprint ? g_strstrip (g_strdup (fingerprint)) : NULL;
  g_task_set_task_data (task, e, (GDestroyNotify) enrolment_free);
  g_task_run_in_thread (task, enrol_thread);
}

gboolean
pb_sync_controller_enrol_finish (PbSyncController *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  Enrolment *e = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  g_free (self->hub);
  self->hub = g_strdup (e->hub);
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (e->fingerprint ? e->fingerprint : e->seen_fingerprint);
  g_free (self->credential);
  self->credential = g_strdup (e->credential);
  self->in_file = e->in_file;
  set_state (self, PB_SYNC_STATE_OFFLINE, NULL);
  pb_sync_controller_start (self);
  return TRUE;
}
