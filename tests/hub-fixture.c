/* hub-fixture.c: a hub in the test process with four enrolled members, and changes in
 * wire form, for the hub's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hub-fixture.h"
#include "pb-hub-http.h"
#include "pb-util.h"


gint64
fixture_now (gpointer data)
{
  return ((Fixture *) data)->now;
}

JsonObject *
parse (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* A request's answer as the server gives it: 200 and the hub's reply, or the status and
 * the {"error": code, "message": text} of its error. */
guint
http_answer (gboolean  ok,
             GError   *error,
             char    **reply)
{
  guint status = 0;

  if (ok)
    {
      g_assert_no_error (error);
      g_assert_nonnull (*reply);
      return 200;
    }
  g_assert_nonnull (error);
  g_assert_true (error->domain == PB_HUB_ERROR);
  g_assert_null (*reply);
  *reply = pb_hub_error_reply (error, &status);
  g_error_free (error);
  return status;
}

guint
enrol_request (PbHub      *hub,
               const char *body,
               char      **reply)
{
  GError *error = NULL;
  gboolean ok = pb_hub_enrol (hub, body, strlen (body), reply, &error);

  return http_answer (ok, error, reply);
}

guint
push_request (PbHub              *hub,
              const PbHubAccount *account,
              const char         *body,
              guint64            *audience,
              char              **reply)
{
  GError *error = NULL;
  gboolean ok = pb_hub_push (hub, account, body, strlen (body), audience, reply, &error);

  return http_answer (ok, error, reply);
}

guint
pull_request (PbHub              *hub,
              const PbHubAccount *account,
              const char         *since,
              const char         *limit,
              const char         *form,
              char              **reply)
{
  GError *error = NULL;
  gboolean ok = pb_hub_pull (hub, account, since, limit, form, reply, &error);

  return http_answer (ok, error, reply);
}

/* Adds a user and enrols them; returns the account and their credential. */
PbHubAccount *
enrol (Fixture    *f,
       const char *name,
       const char *org,
       const char *kind,
       const char *role,
       char      **credential_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pb_hub_add_user (f->hub, name, org, kind, role, &error);
  g_autofree char *site = pb_uuid_new ();
  g_autofree char *body = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonObject) answer = NULL;
  PbHubAccount *account;

  g_assert_no_error (error);
  body = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"%s\"}", token, site);
  g_assert_cmpuint (enrol_request (f->hub, body, &reply), ==, 200);
  answer = parse (reply);
  account = pb_hub_authenticate (f->hub, json_object_get_string_member (answer, "credential"));
  g_assert_nonnull (account);
  g_assert_cmpstr (account->site, ==, site);
  if (credential_out)
    *credential_out = g_strdup (json_object_get_string_member (answer, "credential"));
  return account;
}

void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pb-hub-XXXXXX", &error);
  g_assert_no_error (error);
  f->hub = pb_hub_open (f->dir, &error);
  g_assert_no_error (error);
  f->now = 1790000000000;
  pb_hub_set_clock (f->hub, fixture_now, f);
  f->hlc = (guint64) f->now << 16;
  f->police = enrol (f, "Karim", "Federal Police", "police", "officer", &f->police_credential);
  f->customs = enrol (f, "Nadia", "Customs", "customs", "officer", NULL);
  f->chair = enrol (f, "Rania", "Port Prosecutor", NULL, "chair", NULL);
  f->partner = enrol (f, "Sam", "Terminal Operator", NULL, "partner", NULL);
}

void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->hub);
  pb_hub_account_free (f->police);
  pb_hub_account_free (f->customs);
  pb_hub_account_free (f->chair);
  pb_hub_account_free (f->partner);
  g_free (f->police_credential);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* One change in wire form, stamped by the account's site with the next clock value. */
char *
change (Fixture            *f,
        const PbHubAccount *a,
        const char         *tbl,
        const char         *row,
        const char         *op,
        const char         *field,
        const char         *value)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"%s\",\"row\":\"%s\","
                          "\"op\":\"%s\",\"author\":\"%s\"", a->site, ++f->hlc, tbl, row, op, a->person);
  if (field)
    g_string_append_printf (out, ",\"field\":\"%s\"", field);
  if (value)
    g_string_append_printf (out, ",\"value\":%s", value);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A push body of one change, taking the change. */
char *
one (char *c)
{
  char *body = g_strdup_printf ("{\"changes\":[%s]}", c);
  g_free (c);
  return body;
}

guint
push (Fixture            *f,
      const PbHubAccount *a,
      char              **reply,
      ...)
{
  GString *body = g_string_new ("{\"changes\":[");
  g_autofree char *text = NULL;
  g_autofree char *ignored = NULL;
  guint64 audience;
  const char *c;
  va_list args;
  guint status;

  va_start (args, reply);
  for (guint i = 0; (c = va_arg (args, const char *)) != NULL; i++)
    g_string_append_printf (body, "%s%s", i ? "," : "", c);
  va_end (args);
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  status = push_request (f->hub, a, text, &audience, reply ? reply : &ignored);
  return status;
}

char *
item_insert (Fixture            *f,
             const PbHubAccount *a,
             const char         *row,
             const char         *title,
             const char         *tlp)
{
  g_autofree char *value = g_strdup_printf ("{\"title\":\"%s\",\"source_org\":\"%s\",\"author\":\"%s\","
                                            "\"tlp\":\"%s\",\"reported_at\":1}", title, a->org, a->person, tlp);
  return change (f, a, "items", row, "insert", NULL, value);
}
