/* fuzz-hub.c: a hub for the push and enrolment harnesses, the same before every input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made once per process (accounts of five kinds, two items, an identifier, an incident and
 * a share), kept as the bytes of its database, and put back after every input that changed
 * it: each input meets the same hub, so that a crash replays from its file alone.
 */

#include "fuzz-hub.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fuzz-util.h"
#include "pb-util.h"

static FuzzHub fuzz_hub;
static char *hub_dir;
static char *db_path;
static GBytes *image;
static char *police_site, *customs_site, *chair_site, *partner_site, *admin_site;

static gint64
fixed_now (gpointer data)
{
  return FUZZ_NOW_MS;
}

static PbHubAccount *
enrol (PbHub      *hub,
       const char *name,
       const char *org,
       const char *kind,
       const char *role,
       char      **site_out,
       char      **token_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pb_hub_add_user (hub, name, org, kind, role, &error);
  g_autofree char *site = pb_uuid_new ();
  g_autofree char *body = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *credential;
  PbHubAccount *account;

  if (token == NULL)
    g_error ("%s", error->message);
  body = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"%s\"}", token, site);
  if (!pb_hub_enrol (hub, body, strlen (body), &reply, &error)
      || !json_parser_load_from_data (parser, reply, -1, &error))
    g_error ("%s", error->message);
  credential = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "credential");
  account = pb_hub_authenticate (hub, credential);
  g_assert (account != NULL);
  *site_out = g_steal_pointer (&site);
  if (token_out)
    *token_out = g_steal_pointer (&token);
  return account;
}

static void
push_or_die (PbHub              *hub,
             const PbHubAccount *account,
             const char         *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  guint64 audience;

  if (!pb_hub_push (hub, account, body, strlen (body), &audience, &reply, &error))
    g_error ("setting up the hub: %s", error->message);
}

static void
open_hub (void)
{
  g_autoptr(GError) error = NULL;

  fuzz_hub.hub = pb_hub_open (hub_dir, &error);
  if (fuzz_hub.hub == NULL)
    g_error ("%s", error->message);
  pb_hub_set_clock (fuzz_hub.hub, fixed_now, NULL);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  FuzzHub *f = &fuzz_hub;
  guint64 hlc = (guint64) FUZZ_NOW_MS << 16;
  g_autofree char *body = NULL;
  gsize length;
  char *data;

  fuzz_init ();
  hub_dir = g_build_filename (fuzz_tmp_dir (), "hub", NULL);
  db_path = g_build_filename (hub_dir, "hub.db", NULL);
  open_hub ();

  f->police = enrol (f->hub, "Karim", "Federal Police", "police", "officer", &police_site, &f->used_token);
  f->customs = enrol (f->hub, "Nadia", "Customs", "customs", "officer", &customs_site, NULL);
  f->chair = enrol (f->hub, "Rania", "Port Prosecutor", NULL, "chair", &chair_site, NULL);
  f->partner = enrol (f->hub, "Sam", "Terminal Operator", NULL, "partner", &partner_site, NULL);
  f->admin = enrol (f->hub, "Alex", "Port Prosecutor", NULL, "admin", &admin_site, NULL);
  f->fresh_token = pb_hub_add_user (f->hub, "Lotte", "Federal Police", "police", "officer", &error);
  f->revoked_token = pb_hub_add_user (f->hub, "Jan", "Customs", "customs", "officer", &error);
  if (f->fresh_token == NULL || f->revoked_token == NULL || !pb_hub_revoke_user (f->hub, "Jan", &error))
    g_error ("%s", error->message);

  /* A police item (AMBER) with an identifier and an incident; a customs item shared with
   * the police by name. */
  body = g_strdup_printf (
    "{\"changes\":["
    "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"items\",\"row\":\"" FUZZ_ITEM_POLICE "\","
    "\"op\":\"insert\",\"author\":\"%s\",\"value\":{\"title\":\"Cocaine in reefer\",\"source_org\":\"%s\","
    "\"author\":\"%s\",\"tlp\":\"AMBER\",\"reported_at\":1789990000000,\"lat\":51.28,\"lon\":4.3}},"
    "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"identifiers\",\"row\":\"" FUZZ_IDENTIFIER "\","
    "\"op\":\"insert\",\"author\":\"%s\",\"value\":{\"item\":\"" FUZZ_ITEM_POLICE "\",\"kind\":\"container\","
    "\"value\":\"MSCU1234566\",\"raw\":\"MSCU 123456 6\"}},"
    "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"incidents\",\"row\":\"" FUZZ_INCIDENT "\","
    "\"op\":\"insert\",\"author\":\"%s\",\"value\":{\"item\":\"" FUZZ_ITEM_POLICE "\",\"kind\":\"seizure\","
    "\"occurred_at\":1789990000000,\"kg\":120.5,\"source_org\":\"%s\",\"tlp\":\"AMBER\"}}]}",
    police_site, hlc + 1, f->police->person, f->police->org, f->police->person,
    police_site, hlc + 2, f->police->person,
    police_site, hlc + 3, f->police->person, f->police->org);
  push_or_die (f->hub, f->police, body);
  g_free (body);
  body = g_strdup_printf (
    "{\"changes\":["
    "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"items\",\"row\":\"" FUZZ_ITEM_CUSTOMS "\","
    "\"op\":\"insert\",\"author\":\"%s\",\"value\":{\"title\":\"Rip-on rip-off\",\"source_org\":\"%s\","
    "\"author\":\"%s\",\"tlp\":\"AMBER\",\"reported_at\":1789990000000}},"
    "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"item_shares\",\"row\":\"" FUZZ_SHARE "\","
    "\"op\":\"insert\",\"author\":\"%s\",\"value\":{\"item\":\"" FUZZ_ITEM_CUSTOMS "\",\"org\":\"%s\"}}]}",
    customs_site, hlc + 4, f->customs->person, f->customs->org, f->customs->person,
    customs_site, hlc + 5, f->customs->person, f->police->org);
  push_or_die (f->hub, f->customs, body);

  /* Closing the hub writes everything into the one file. */
  g_clear_object (&f->hub);
  if (!g_file_get_contents (db_path, &data, &length, &error))
    g_error ("%s", error->message);
  image = g_bytes_new_take (data, length);
  open_hub ();

  {
    const char *pairs[] = {
      "@POLICE_SITE@", police_site, "@CUSTOMS_SITE@", customs_site, "@CHAIR_SITE@", chair_site,
      "@PARTNER_SITE@", partner_site, "@ADMIN_SITE@", admin_site,
      "@POLICE_ORG@", f->police->org, "@CUSTOMS_ORG@", f->customs->org, "@CHAIR_ORG@", f->chair->org,
      "@PARTNER_ORG@", f->partner->org,
      "@POLICE@", f->police->person, "@CUSTOMS@", f->customs->person, "@CHAIR@", f->chair->person,
      "@PARTNER@", f->partner->person, "@ADMIN@", f->admin->person,
      "@TOKEN@", f->fresh_token, "@USED_TOKEN@", f->used_token, "@REVOKED_TOKEN@", f->revoked_token,
      "@NEW_SITE@", "01a21900-0000-7000-8000-0000000000ff",
      NULL
    };
    f->pairs = g_memdup2 (pairs, sizeof pairs);
  }
}

FuzzHub *
fuzz_hub_get (void)
{
  if (image == NULL)
    set_up ();
  return &fuzz_hub;
}

/* Puts the hub back as it was made. */
void
fuzz_hub_reset (FuzzHub *fh)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fh->hub);
  fuzz_remove_db (db_path);
  if (!g_file_set_contents (db_path, g_bytes_get_data (image, NULL), (gssize) g_bytes_get_size (image), &error))
    g_error ("%s", error->message);
  open_hub ();
}
