/* make-pull-seeds.c: the seeds of the pull-answer harness, from a real hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   make-pull-seeds OUTDIR
 *
 * A hub in a temporary folder (pb-hub, as the server runs it) takes pushes from two
 * organisations (items, identifiers that make a hit, an incident, a share taken back),
 * then answers the police officer's sync rounds as fuzz-pull-answer.c replays them: the
 * pages of a pull and the audit chain's links, one answer after the other. The officer's
 * person and organisation, and the hub's site, are written as the harness enrols them.
 * Built on demand (ninja -C build tests/fuzz/make-pull-seeds); commit what it writes.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "pb-hub.h"
#include "pb-util.h"

#define FUZZ_PERSON    "01a21900-0000-7000-8000-0000000000a1"
#define FUZZ_ORG       "01a21900-0000-7000-8000-0000000000a2"
#define FUZZ_HUB_SITE  "01a21900-0000-7000-8000-0000000000a3"

static gint64 now = G_GINT64_CONSTANT (1790000000000);
static guint64 hlc;

static gint64
clock_now (gpointer data)
{
  return now;
}

static PbHubAccount *
enrol (PbHub      *hub,
       const char *name,
       const char *org,
       const char *kind,
       const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pb_hub_add_user (hub, name, org, kind, role, &error);
  g_autofree char *site = pb_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"token\":\"%s\",\"site\":\"%s\"}", token, site);
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!pb_hub_enrol (hub, body, strlen (body), &reply, &error))
    g_error ("%s", error->message);
  node = json_from_string (reply, NULL);
  return pb_hub_authenticate (hub, json_object_get_string_member (json_node_get_object (node), "credential"));
}

static void
push (PbHub              *hub,
      const PbHubAccount *a,
      const char         *tbl,
      const char         *row,
      const char         *op,
      const char         *field,
      const char         *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  GString *body = g_string_new (NULL);
  guint64 audience;

  g_string_append_printf (body, "{\"changes\":[{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":\"%s\","
                          "\"row\":\"%s\",\"op\":\"%s\",\"author\":\"%s\"", a->site, ++hlc, tbl, row, op, a->person);
  if (field)
    g_string_append_printf (body, ",\"field\":\"%s\"", field);
  if (value)
    g_string_append_printf (body, ",\"value\":%s", value);
  g_string_append (body, "}]}");
  if (!pb_hub_push (hub, a, body->str, body->len, &audience, &reply, &error))
    g_error ("%s: %s", body->str, error->message);
  g_string_free (body, TRUE);
  now += 1000;
}

static char *
item (const PbHubAccount *a,
      const char         *title,
      const char         *tlp)
{
  return g_strdup_printf ("{\"title\":\"%s\",\"body\":\"Reported at the scanner\",\"source_org\":\"%s\","
                          "\"author\":\"%s\",\"tlp\":\"%s\",\"reported_at\":1789990000000,\"priority\":\"high\","
                          "\"lat\":51.28,\"lon\":4.3,\"port_area\":\"Waaslandhaven\"}", title, a->org, a->person, tlp);
}

/* What the police officer's client is answered, in the order it asks, from @cursor, in
 * pages of @limit; @checked: the audit head its last round checked (0: none). */
static GString *
round_answers (PbHub              *hub,
               const PbHubAccount *police,
               gint64             *cursor,
               guint               limit,
               gint64             *checked)
{
  GString *out = g_string_new (NULL);
  gboolean first = TRUE, more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, *cursor);
      g_autofree char *lim = g_strdup_printf ("%u", limit);
      g_autofree char *reply = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *o;
      gint64 seq;

      if (!pb_hub_pull (hub, police, since, lim, "rows", &reply, &error))
        g_error ("%s", error->message);
      node = json_from_string (reply, NULL);
      o = json_node_get_object (node);
      *cursor = json_object_get_int_member (o, "next");
      more = json_object_get_boolean_member (o, "more");
      seq = json_object_get_int_member (json_object_get_object_member (o, "audit"), "seq");
      if (out->len)
        g_string_append (out, "\n====\n");
      g_string_append (out, reply);
      /* The client checks the head of the first page and of the last: from what it knew,
       * the links up to it. */
      if (first || !more)
        {
          while (*checked > 0 && *checked < seq)
            {
              g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, *checked);
              g_autofree char *links = NULL;
              g_autoptr(JsonNode) l = NULL;

              if (!pb_hub_audit_links (hub, police, after, &links, &error))
                g_error ("%s", error->message);
              g_string_append (out, "\n====\n");
              g_string_append (out, links);
              l = json_from_string (links, NULL);
              *checked = json_object_get_int_member (json_object_get_object_member (json_node_get_object (l), "to"),
                                                     "seq");
            }
          *checked = seq;
        }
      first = FALSE;
      now += 1000;
    }
  return out;
}

static void
write_seed (const char         *dir,
            const char         *name,
            GString            *text,
            const PbHubAccount *police,
            PbHub              *hub)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) s = g_string_new (text->str);

  g_string_replace (s, police->person, FUZZ_PERSON, 0);
  g_string_replace (s, police->org, FUZZ_ORG, 0);
  g_string_replace (s, pb_hub_get_site_id (hub), FUZZ_HUB_SITE, 0);
  if (!g_file_set_contents (path, s->str, (gssize) s->len, &error))
    g_error ("%s", error->message);
  g_string_free (text, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pb-seeds-XXXXXX", &error);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(PbHub) hub = pb_hub_open (dir, &error);
  PbHubAccount *police, *customs;
  gint64 cursor = 0, checked = 0;
  g_autofree char *i1 = NULL, *i2 = NULL, *i3 = NULL, *share = NULL, *ident = NULL;
  g_autofree char *v = NULL;

  if (argc != 2 || hub == NULL)
    g_error ("usage: make-pull-seeds OUTDIR");
  pb_hub_set_clock (hub, clock_now, NULL);
  hlc = (guint64) now << 16;
  police = enrol (hub, "Karim", "Federal Police", "police", "officer");
  customs = enrol (hub, "Nadia", "Customs", "customs", "officer");
  enrol (hub, "Rania", "Port Prosecutor", NULL, "chair");
  enrol (hub, "Sam", "Terminal Operator", NULL, "partner");

  i1 = pb_uuid_new (), i2 = pb_uuid_new (), i3 = pb_uuid_new (), share = pb_uuid_new (), ident = pb_uuid_new ();
  v = item (police, "Cocaine in a reefer", "AMBER");
  push (hub, police, "items", i1, "insert", NULL, v);
  g_free (v);
  v = g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"container\",\"value\":\"MSCU1234566\",\"raw\":\"MSCU 123456 6\"}", i1);
  push (hub, police, "identifiers", ident, "insert", NULL, v);
  g_free (v);
  v = item (customs, "Rip-on rip-off at the quay", "GREEN");
  push (hub, customs, "items", i2, "insert", NULL, v);
  g_free (v);
  {
    g_autofree char *id = pb_uuid_new ();
    v = g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"container\",\"value\":\"MSCU1234566\",\"raw\":\"MSCU1234566\"}", i2);
    push (hub, customs, "identifiers", id, "insert", NULL, v);
    g_free (v);
  }
  v = item (customs, "Shared by name", "AMBER");
  push (hub, customs, "items", i3, "insert", NULL, v);
  g_free (v);
  v = g_strdup_printf ("{\"item\":\"%s\",\"org\":\"%s\"}", i3, police->org);
  push (hub, customs, "item_shares", share, "insert", NULL, v);
  g_free (v);
  {
    g_autofree char *id = pb_uuid_new ();
    v = g_strdup_printf ("{\"item\":\"%s\",\"kind\":\"seizure\",\"occurred_at\":1789990000000,\"lat\":51.28,"
                         "\"lon\":4.3,\"kg\":120.5,\"source_org\":\"%s\",\"tlp\":\"AMBER\"}", i1, police->org);
    push (hub, police, "incidents", id, "insert", NULL, v);
    g_free (v);
  }
  push (hub, customs, "items", i2, "update", "title", "\"Rip-on rip-off at quay 1742\"");

  /* Everything in one page; then two rounds, the second with edits and a share taken back. */
  {
    GString *one = round_answers (hub, police, &cursor, 1000, &checked);
    GString *two;

    write_seed (argv[1], "one-page.txt", g_string_new (one->str), police, hub);
    push (hub, customs, "items", i3, "update", "priority", "\"urgent\"");
    push (hub, customs, "item_shares", share, "delete", NULL, NULL);
    push (hub, police, "items", i1, "update", "status", "\"assessment\"");
    two = round_answers (hub, police, &cursor, 1000, &checked);
    g_string_append (one, "\n====\n");
    g_string_append (one, two->str);
    g_string_free (two, TRUE);
    write_seed (argv[1], "two-rounds-revoked.txt", one, police, hub);
  }

  /* From the start again in small pages: the last page's head is checked by the links. */
  cursor = 0;
  checked = 0;
  write_seed (argv[1], "pages-and-links.txt", round_answers (hub, police, &cursor, 4, &checked), police, hub);

  g_clear_object (&hub);
  if (system (cmd) != 0)
    g_printerr ("cannot remove %s\n", dir);
  return 0;
}
