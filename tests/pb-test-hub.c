/* pb-test-hub.c: a real portboard-hub process for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "pb-test-hub.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* A hub ends with the test that started it, also when an assertion aborts the test (its
 * open output would otherwise keep the test runner waiting). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts `portboard-hub serve` on a free loopback port and waits until it listens. */
void
pb_test_hub_start (PbTestHub  *hub,
                   const char *dir,
                   gboolean    tls)
{
  const char *program = g_getenv ("PORTBOARD_HUB");
  const char *argv[] = { program, "serve", "--data", dir, "--listen", "127.0.0.1:0",
                         tls ? NULL : "--insecure-loopback", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  int out_fd;

  g_assert_nonnull (program);
  memset (hub, 0, sizeof *hub);
  hub->dir = g_strdup (dir);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                                           NULL, &hub->pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (hub->url == NULL)
    {
      g_autofree char *line = NULL;

      g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
      if (g_str_has_prefix (line, "Certificate SHA-256 fingerprint: "))
        hub->fingerprint = g_strstrip (g_strdup (line + strlen ("Certificate SHA-256 fingerprint: ")));
      if (g_str_has_prefix (line, "Listening on "))
        hub->url = g_strstrip (g_strdup (line + strlen ("Listening on ")));
    }
}

static void
stop_with (PbTestHub *hub,
           int        sig)
{
  if (hub->pid == 0)
    return;
  kill (hub->pid, sig);
  waitpid (hub->pid, NULL, 0);
  g_spawn_close_pid (hub->pid);
  hub->pid = 0;
  g_clear_pointer (&hub->dir, g_free);
  g_clear_pointer (&hub->url, g_free);
  g_clear_pointer (&hub->fingerprint, g_free);
}

void
pb_test_hub_stop (PbTestHub *hub)
{
  stop_with (hub, SIGTERM);
}

/* As a power cut or the OOM killer would. */
void
pb_test_hub_kill (PbTestHub *hub)
{
  stop_with (hub, SIGKILL);
}

/* `portboard-hub user add`; returns the enrolment token it prints on its last line. */
char *
pb_test_hub_add_user (const char *dir,
                      const char *name,
                      const char *org,
                      const char *org_kind,
                      const char *role)
{
  const char *argv[] = { g_getenv ("PORTBOARD_HUB"), "user", "add", "--data", dir, "--name", name, "--org", org,
                         "--role", role, org_kind ? "--org-kind" : NULL, org_kind, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_true (g_str_has_prefix (lines[g_strv_length (lines) - 1], "pbe_"));
  return g_strdup (lines[g_strv_length (lines) - 1]);
}
