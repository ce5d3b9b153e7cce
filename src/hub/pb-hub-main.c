/* pb-hub-main.c: portboard-hub, the sync server and its administration commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "pb-hub.h"
#include "pb-hub-server.h"

#define DEFAULT_PORT 8443
/* Descriptors kept for the database and the rest, and for connections being closed, below
 * the process's limit: max-connections is lowered to fit. */
#define RESERVED_FDS 192

static int
usage (void)
{
  g_printerr ("%s\n",
              _("Usage:\n"
                "  portboard-hub serve --data DIR [--listen ADDR:PORT] [--insecure-loopback]\n"
                "                      [--cert FILE --key FILE]\n"
                "  portboard-hub user add --data DIR --name NAME --org ORG\n"
                "                      --role chair|officer|partner|admin [--org-kind KIND]\n"
                "  portboard-hub user list --data DIR\n"
                "  portboard-hub user revoke --data DIR NAME\n"
                "  portboard-hub audit verify --data DIR\n"
                "Limits and timeouts: portboard-hub serve --help"));
  return 2;
}

static int
fail (const char *message)
{
  g_printerr ("portboard-hub: %s\n", message);
  return 1;
}

static gboolean
parse_listen (const char    *text,
              GInetAddress **address,
              guint16       *port)
{
  const char *colon = text ? strrchr (text, ':') : NULL;
  g_autofree char *host = NULL;
  guint64 p;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    return FALSE;
  host = g_strndup (text, colon - text);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  *address = g_inet_address_new_from_string (host);
  *port = (guint16) p;
  return *address != NULL;
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET, when systemd gave one. */
static void
notify_systemd (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  gsize length;
  int fd;

  if (path == NULL || (path[0] != '/' && path[0] != '@') || (length = strlen (path)) >= sizeof address.sun_path)
    return;
  memcpy (address.sun_path, path, length);
  if (path[0] == '@')
    address.sun_path[0] = '\0';
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  /* Best effort, as sd_notify(3): a manager that does not listen changes nothing here. */
  (void) sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &address,
                 (socklen_t) (G_STRUCT_OFFSET (struct sockaddr_un, sun_path) + length));
  close (fd);
}

/* systemd's watchdog (WatchdogSec=) is told the hub is alive while it accepts connections:
 * a hub whose listener failed for good is restarted. */
static gboolean
on_watchdog (gpointer server)
{
  if (pb_hub_server_is_accepting (server))
    notify_systemd ("WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

static guint
start_watchdog (PbHubServer *server)
{
  const char *usec = g_getenv ("WATCHDOG_USEC");
  const char *pid = g_getenv ("WATCHDOG_PID");
  guint64 interval;

  if (usec == NULL || !g_ascii_string_to_unsigned (usec, 10, 1, G_MAXUINT64, &interval, NULL)
      || (pid && g_ascii_strtoull (pid, NULL, 10) != (guint64) getpid ()))
    return 0;
  return g_timeout_add (MAX (interval / 2000, 1), on_watchdog, server);
}

/* As many descriptors as the hard limit allows; max-connections lowered to what fits. */
static void
fit_descriptors (PbHubServerLimits *limits)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return;
  if (rl.rlim_cur < rl.rlim_max)
    {
      rlim_t wanted = rl.rlim_max;

      rl.rlim_cur = wanted;
      if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
        getrlimit (RLIMIT_NOFILE, &rl);
    }
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t) limits->max_connections + RESERVED_FDS)
    {
      limits->max_connections = rl.rlim_cur > RESERVED_FDS + 16 ? (guint) (rl.rlim_cur - RESERVED_FDS) : 16;
      g_printerr ("portboard-hub: ");
      g_printerr (_("max-connections lowered to %u: the process may open %llu files (LimitNOFILE=)"),
                  limits->max_connections, (unsigned long long) rl.rlim_cur);
      g_printerr ("\n");
    }
}

/* A positive number from the settings, or @fallback. */
static guint64
setting (GKeyFile   *settings,
         const char *key,
         guint64     fallback)
{
  gint64 value = g_key_file_get_int64 (settings, "hub", key, NULL);

  return value > 0 ? (guint64) value : fallback;
}

static int
serve (const char *data_dir,
       const char *listen,
       gboolean    insecure,
       const char *cert_opt,
       const char *key_opt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbHub) hub = NULL;
  g_autoptr(GKeyFile) settings = g_key_file_new ();
  g_autofree char *settings_path = g_build_filename (data_dir, "hub.conf", NULL);
  g_autofree char *listen_setting = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(PbHubServer) server = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  guint16 port = DEFAULT_PORT;
  PbHubServerLimits limits;
  guint watchdog;

  hub = pb_hub_open (data_dir, &error);
  if (hub == NULL)
    return fail (error->message);

  /* Settings: written with their defaults the first time, so that they can be edited. */
  if (!g_key_file_load_from_file (settings, settings_path, G_KEY_FILE_KEEP_COMMENTS, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return fail (error->message);
      g_clear_error (&error);
      g_key_file_set_string (settings, "hub", "listen", "0.0.0.0:8443");
      g_key_file_set_comment (settings, "hub", "listen", " Address and port the hub listens on", NULL);
      g_key_file_set_int64 (settings, "hub", "max-body", PB_HUB_DEFAULT_MAX_BODY);
      g_key_file_set_comment (settings, "hub", "max-body", " Largest request body accepted, in bytes", NULL);
      g_key_file_set_int64 (settings, "hub", "max-connections", PB_HUB_DEFAULT_MAX_CONNECTIONS);
      g_key_file_set_comment (settings, "hub", "max-connections",
                              " Open connections, all clients together; beyond it the one that waited longest"
                              "\n without a request is closed", NULL);
      g_key_file_set_int64 (settings, "hub", "max-connections-per-address", PB_HUB_DEFAULT_MAX_PER_ADDRESS);
      g_key_file_set_comment (settings, "hub", "max-connections-per-address",
                              " Open connections from one IP address; more are refused", NULL);
      g_key_file_set_int64 (settings, "hub", "idle-timeout", PB_HUB_DEFAULT_IDLE_TIMEOUT);
      g_key_file_set_comment (settings, "hub", "idle-timeout",
                              " Seconds a connection may wait between two requests", NULL);
      g_key_file_set_int64 (settings, "hub", "request-timeout", PB_HUB_DEFAULT_REQUEST_TIMEOUT);
      g_key_file_set_comment (settings, "hub", "request-timeout",
                              " Seconds a client has to send a whole request, from its connection or its first byte",
                              NULL);
      if (!g_key_file_save_to_file (settings, settings_path, &error))
        return fail (error->message);
    }
  listen_setting = g_key_file_get_string (settings, "hub", "listen", NULL);
  limits.max_body = (gsize) setting (settings, "max-body", PB_HUB_DEFAULT_MAX_BODY);
  limits.max_connections = (guint) MIN (setting (settings, "max-connections", PB_HUB_DEFAULT_MAX_CONNECTIONS),
                                        G_MAXINT);
  limits.max_per_address = (guint) MIN (setting (settings, "max-connections-per-address",
                                                 PB_HUB_DEFAULT_MAX_PER_ADDRESS), G_MAXINT);
  limits.idle_timeout = (guint) MIN (setting (settings, "idle-timeout", PB_HUB_DEFAULT_IDLE_TIMEOUT), 86400);
  limits.request_timeout = (guint) MIN (setting (settings, "request-timeout", PB_HUB_DEFAULT_REQUEST_TIMEOUT),
                                        86400);
  fit_descriptors (&limits);
  if (!parse_listen (listen ? listen : listen_setting ? listen_setting : "0.0.0.0:8443", &address, &port))
    return fail (_("--listen takes ADDRESS:PORT, for example 127.0.0.1:8443"));

  if (insecure)
    {
      if (!g_inet_address_get_is_loopback (address))
        return fail (_("Plain HTTP is only allowed on a loopback address (127.0.0.1 or ::1)"));
    }
  else
    {
      cert_path = g_strdup (cert_opt ? cert_opt : g_key_file_get_string (settings, "hub", "certificate", NULL));
      key_path = g_strdup (key_opt ? key_opt : g_key_file_get_string (settings, "hub", "key", NULL));
      if ((cert_path == NULL) != (key_path == NULL))
        return fail (_("A certificate needs its key: give both --cert and --key"));
      if (cert_path == NULL)
        {
          g_free (cert_path);
          g_free (key_path);
          cert_path = g_build_filename (data_dir, "hub-cert.pem", NULL);
          key_path = g_build_filename (data_dir, "hub-key.pem", NULL);
          if (!g_file_test (cert_path, G_FILE_TEST_EXISTS))
            {
              if (!pb_hub_make_certificate (cert_path, key_path, &error))
                return fail (error->message);
              g_printerr ("portboard-hub: %s\n", _("Made a self-signed certificate for this hub"));
            }
        }
      certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
      if (certificate == NULL)
        return fail (error->message);
    }

  server = pb_hub_server_new (hub, certificate, &limits, &error);
  if (server == NULL || !pb_hub_server_listen (server, address, port, &error))
    return fail (error->message);

  url = pb_hub_server_get_url (server);
  if (certificate)
    {
      g_autofree char *fingerprint = pb_hub_certificate_fingerprint (certificate);
      g_print (_("Certificate SHA-256 fingerprint: %s\n"), fingerprint);
    }
  g_print (_("Listening on %s\n"), url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  notify_systemd ("READY=1");
  watchdog = start_watchdog (server);
  g_main_loop_run (loop);
  notify_systemd ("STOPPING=1");
  g_clear_handle_id (&watchdog, g_source_remove);
  g_printerr ("portboard-hub: %s\n", _("Stopped"));
  return 0;
}

static int
user_command (int    argc,
              char **argv)
{
  g_autofree char *data = NULL, *name = NULL, *org = NULL, *role = NULL, *org_kind = NULL;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, N_("The hub's folder"), "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The user's name"), "NAME" },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("The user's organisation"), "ORG" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("chair, officer, partner or admin"), "ROLE" },
    { "org-kind", 0, 0, G_OPTION_ARG_STRING, &org_kind, N_("police, customs, prosecution or partner"), "KIND" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbHub) hub = NULL;
  const char *what;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (argc < 3 || data == NULL)
    return usage ();
  what = argv[2];
  hub = pb_hub_open (data, &error);
  if (hub == NULL)
    return fail (error->message);

  if (g_str_equal (what, "add"))
    {
      g_autofree char *token = NULL;

      if (name == NULL || org == NULL || role == NULL || argc != 3)
        return usage ();
      token = pb_hub_add_user (hub, name, org, org_kind, role, &error);
      if (token == NULL)
        return fail (error->message);
      g_print (_("Added %s (%s, %s). Enrolment token, valid once:\n"), name, org, role);
      g_print ("%s\n", token);
      return 0;
    }
  if (g_str_equal (what, "list") && argc == 3)
    {
      g_autoptr(GPtrArray) users = pb_hub_list_users (hub, &error);

      for (guint i = 0; i < users->len; i++)
        {
          PbHubAccount *a = users->pdata[i];
          const char *state = a->revoked_at ? _("revoked") : a->enrolled_at ? _("enrolled") : _("not enrolled");

          g_print ("%s\t%s\t%s\t%s\n", a->name, a->org_name, a->role, state);
        }
      return 0;
    }
  if (g_str_equal (what, "revoke") && argc == 4)
    {
      if (!pb_hub_revoke_user (hub, argv[3], &error))
        return fail (error->message);
      g_print (_("Revoked %s\n"), argv[3]);
      return 0;
    }
  return usage ();
}

static int
audit_command (int    argc,
               char **argv)
{
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, N_("The hub's folder"), "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PbHub) hub = NULL;
  gint64 n = 0, bad = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (argc != 3 || !g_str_equal (argv[2], "verify") || data == NULL)
    return usage ();
  if (!g_file_test (data, G_FILE_TEST_IS_DIR))
    return fail (_("There is no hub folder there"));
  hub = pb_hub_open (data, &error);
  if (hub == NULL)
    return fail (error->message);
  if (!pb_hub_verify_audit (hub, &n, &bad, &error))
    {
      g_print (_("BROKEN at entry %lld: %s\n"), (long long) bad, error->message);
      return 1;
    }
  g_print (_("OK: %lld entries\n"), (long long) n);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return usage ();
  if (g_str_equal (argv[1], "serve"))
    {
      g_autofree char *data = NULL, *listen = NULL, *cert = NULL, *key = NULL;
      gboolean insecure = FALSE;
      GOptionEntry entries[] = {
        { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, N_("The hub's folder"), "DIR" },
        { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Address and port"), "ADDR:PORT" },
        { "insecure-loopback", 0, 0, G_OPTION_ARG_NONE, &insecure, N_("Plain HTTP, on loopback only"), NULL },
        { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("Certificate (PEM)"), "FILE" },
        { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("Its private key (PEM)"), "FILE" },
        { NULL }
      };
      g_autoptr(GOptionContext) context = g_option_context_new (NULL);
      g_autoptr(GError) error = NULL;

      g_option_context_set_description (context,
        _("Settings, in DIR/hub.conf ([hub], written with their defaults on the first start):\n"
          "  listen, certificate, key\n"
          "  max-body                     largest request body, in bytes (8388608)\n"
          "  max-connections              open connections in all (2048; lowered to fit the\n"
          "                               process's file limit, which is raised to its hard limit)\n"
          "  max-connections-per-address  open connections from one IP address (256)\n"
          "  idle-timeout                 seconds a connection may wait between requests (60)\n"
          "  request-timeout              seconds to send a whole request (30)\n"
          "GET /v1/health answers 503 when the hub is full or cannot accept connections.\n"
          "Under systemd (Type=notify, WatchdogSec=) the watchdog is told while the hub accepts."));
      g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
      if (!g_option_context_parse (context, &argc, &argv, &error))
        return fail (error->message);
      if (data == NULL || argc != 2)
        return usage ();
      return serve (data, listen, insecure, cert, key);
    }
  if (g_str_equal (argv[1], "user"))
    return user_command (argc, argv);
  if (g_str_equal (argv[1], "audit"))
    return audit_command (argc, argv);
  return usage ();
}
