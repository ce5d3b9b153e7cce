/* pb-hub-http.c: the HTTP status and wire code of each of the hub's errors, in one table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What clients see of a refusal: the status and the "error" code of docs/sync-protocol.md,
 * and the error's message. Part of the hub's library, so that the tests check the same
 * answers the server gives.
 */

#include "config.h"

#include "pb-hub-http.h"

#include "pb-util.h"

static const struct
{
  guint       status;
  const char *code;
} http_errors[] = {
  [PB_HUB_ERROR_MALFORMED] = { 400, "malformed" },
  [PB_HUB_ERROR_UNKNOWN_FIELD] = { 400, "unknown_field" },
  [PB_HUB_ERROR_INVALID] = { 400, "invalid" },
  [PB_HUB_ERROR_NO_CREDENTIAL] = { 401, "no_credential" },
  [PB_HUB_ERROR_BAD_CREDENTIAL] = { 401, "bad_credential" },
  [PB_HUB_ERROR_BAD_TOKEN] = { 401, "bad_token" },
  [PB_HUB_ERROR_READ_ONLY] = { 403, "read_only" },
  [PB_HUB_ERROR_WRONG_SITE] = { 403, "wrong_site" },
  [PB_HUB_ERROR_WRONG_AUTHOR] = { 403, "wrong_author" },
  [PB_HUB_ERROR_FORBIDDEN] = { 403, "forbidden" },
  [PB_HUB_ERROR_NOT_FOUND] = { 404, "not_found" },
  [PB_HUB_ERROR_METHOD] = { 405, "method" },
  [PB_HUB_ERROR_CLOCK_AHEAD] = { 409, "clock_ahead" },
  /* An account's name (portboard-hub user add), a device's site (enrolment). */
  [PB_HUB_ERROR_EXISTS] = { 409, "exists" },
  [PB_HUB_ERROR_DUPLICATE] = { 409, "duplicate" },
  [PB_HUB_ERROR_TOO_LARGE] = { 413, "too_large" },
  [PB_HUB_ERROR_TOO_MANY] = { 413, "too_many" },
  [PB_HUB_ERROR_FAILED] = { 500, "failed" },
  /* A damaged database is the hub's failure; clients are not told more. */
  [PB_HUB_ERROR_CORRUPT] = { 500, "failed" },
  [PB_HUB_ERROR_BUSY] = { 503, "busy" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (http_errors) == PB_HUB_ERROR_BUSY + 1);

/* The HTTP status and the wire code of @error; an error of another domain, or one not in
 * the table, is the hub's failure (500 "failed"), and FALSE is returned. */
gboolean
pb_hub_error_to_http (const GError  *error,
                      guint         *status,
                      const char   **code)
{
  guint s = 500;
  const char *c = "failed";
  gboolean known = FALSE;

  if (error && error->domain == PB_HUB_ERROR && error->code >= 0
      && (gsize) error->code < G_N_ELEMENTS (http_errors) && http_errors[error->code].code)
    {
      s = http_errors[error->code].status;
      c = http_errors[error->code].code;
      known = TRUE;
    }
  if (status)
    *status = s;
  if (code)
    *code = c;
  return known;
}

/* The answer to a refused request: {"error": code, "message": text}, and its status. */
char *
pb_hub_error_reply (const GError *error,
                    guint        *status)
{
  g_autofree char *message = g_utf8_make_valid (error->message, -1);
  const char *code;
  GString *out = g_string_new ("{\"error\":");

  pb_hub_error_to_http (error, status, &code);
  pb_json_append_string (out, code);
  g_string_append (out, ",\"message\":");
  pb_json_append_string (out, message);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
