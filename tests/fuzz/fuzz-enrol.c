/* fuzz-enrol.c: the hub's reading of an enrolment (POST /v1/enrol), pb_hub_enrol()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is an enrolment body. @TOKEN@ stands for the token of an account not enrolled
 * yet, @USED_TOKEN@ for one spent, @REVOKED_TOKEN@ for a revoked account's, @NEW_SITE@ and
 * @POLICE_SITE@ for a site new to the hub and one enrolled already (fuzz-hub.c). Besides
 * the sanitizers: an enrolment answers a JSON object whose credential signs in as the
 * account on the site asked for; a refused one answers a hub error and changes nothing.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "fuzz-hub.h"
#include "fuzz-util.h"
#include "pb-hub-http.h"

static void
check_enrolled (FuzzHub    *fh,
                const char *body,
                gsize       length,
                const char *reply)
{
  g_autoptr(JsonParser) request = json_parser_new ();
  g_autoptr(JsonParser) answer = json_parser_new ();
  g_autoptr(PbHubAccount) account = NULL;
  const char *site, *credential;

  fuzz_assert_json_object (reply);
  g_assert (json_parser_load_from_data (request, body, (gssize) length, NULL));
  g_assert (json_parser_load_from_data (answer, reply, -1, NULL));
  site = json_object_get_string_member (json_node_get_object (json_parser_get_root (request)), "site");
  credential = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (answer)),
                                                           "credential", NULL);
  account = pb_hub_authenticate (fh->hub, credential);
  if (account == NULL || g_strcmp0 (account->site, site) != 0)
    g_error ("an enrolment answered a credential that does not sign in on its site: %s", reply);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FuzzHub *fh = fuzz_hub_get ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean ok;
  gsize length;

  body = fuzz_expand (data, size, fh->pairs, &length);
  before = pb_hub_health (fh->hub);

  ok = pb_hub_enrol (fh->hub, body, length, &reply, &error);
  if (g_getenv ("PB_FUZZ_VERBOSE"))
    g_printerr ("%s\n", ok ? reply : error->message);
  if (ok)
    {
      g_assert (error == NULL);
      check_enrolled (fh, body, length, reply);
      fuzz_hub_reset (fh);
      return 0;
    }

  {
    g_autofree char *answer = NULL;
    guint status = 0;

    g_assert (error != NULL && error->domain == PB_HUB_ERROR && reply == NULL);
    answer = pb_hub_error_reply (error, &status);
    fuzz_assert_json_object (answer);
    g_assert (status >= 400 && status < 600);
  }
  after = pb_hub_health (fh->hub);
  if (g_strcmp0 (before, after) != 0)
    g_error ("a refused enrolment (%s) changed the hub: %s → %s", error->message, before, after);
  return 0;
}
