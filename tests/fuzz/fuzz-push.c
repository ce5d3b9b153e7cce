/* fuzz-push.c: the hub's reading of a push (POST /v1/push), pb_hub_push()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a push body, pushed by the police officer of fuzz-hub.c, or by the account
 * a first line "#as customs", "#as chair", "#as partner" or "#as admin" names. Placeholders
 * (@POLICE_SITE@, @POLICE@, @POLICE_ORG@, … see fuzz-hub.c) stand for what the hub made.
 * Besides the sanitizers: an accepted push answers a JSON object; a refused one answers a
 * hub error whose reply is a JSON object, and changes nothing (the log, the audit chain).
 */

#include <string.h>

#include "fuzz-hub.h"
#include "fuzz-util.h"
#include "pb-hub-http.h"

static const PbHubAccount *
pusher (FuzzHub       *fh,
        const char   **body,
        gsize         *length)
{
  static const struct { const char *line; gsize offset; } names[] = {
    { "#as customs\n", G_STRUCT_OFFSET (FuzzHub, customs) },
    { "#as chair\n", G_STRUCT_OFFSET (FuzzHub, chair) },
    { "#as partner\n", G_STRUCT_OFFSET (FuzzHub, partner) },
    { "#as admin\n", G_STRUCT_OFFSET (FuzzHub, admin) },
    { "#as police\n", G_STRUCT_OFFSET (FuzzHub, police) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i].line);
      if (*length >= n && memcmp (*body, names[i].line, n) == 0)
        {
          *body += n;
          *length -= n;
          return G_STRUCT_MEMBER (PbHubAccount *, fh, names[i].offset);
        }
    }
  return fh->police;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FuzzHub *fh = fuzz_hub_get ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const PbHubAccount *account;
  const char *body;
  guint64 audience = 0;
  gboolean ok;
  gsize length;

  expanded = fuzz_expand (data, size, fh->pairs, &length);
  body = expanded;
  account = pusher (fh, &body, &length);
  before = pb_hub_health (fh->hub);

  ok = pb_hub_push (fh->hub, account, body, length, &audience, &reply, &error);
  if (g_getenv ("PB_FUZZ_VERBOSE"))
    g_printerr ("%s\n", ok ? reply : error->message);
  if (ok)
    {
      g_assert (error == NULL);
      fuzz_assert_json_object (reply);
      /* Put the hub back when the push changed it (most are refused, or change nothing). */
      after = pb_hub_health (fh->hub);
      if (g_strcmp0 (before, after) != 0)
        fuzz_hub_reset (fh);
      return 0;
    }

  {
    g_autofree char *answer = NULL;
    guint status = 0;

    g_assert (error != NULL && error->domain == PB_HUB_ERROR && reply == NULL && audience == 0);
    answer = pb_hub_error_reply (error, &status);
    fuzz_assert_json_object (answer);
    g_assert (status >= 400 && status < 600);
  }
  /* A refused push changes nothing. */
  after = pb_hub_health (fh->hub);
  if (g_strcmp0 (before, after) != 0)
    g_error ("a refused push (%s) changed the hub: %s → %s", error->message, before, after);
  return 0;
}
