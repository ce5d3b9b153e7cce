/* test-sync.c: client databases kept in step through a real hub process over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pb-board.h"
#include "pb-meeting.h"
#include "pb-record.h"
#include "pb-soup-transport.h"
#include "pb-store.h"
#include "pb-sync.h"
#include "pb-test-hub.h"
#include "pb-store-private.h"
#include "pb-util.h"

typedef struct
{
  char            *path;
  PbStore         *store;
  PbSoupTransport *transport;
  char            *credential;
  char            *org;
} Client;

typedef struct
{
  char      *dir;
  PbTestHub  hub;
  guint      n_clients;
} Fixture;

static void
client_free (Client *c)
{
  g_clear_object (&c->store);
  g_clear_object (&c->transport);
  g_free (c->path);
  g_free (c->credential);
  g_free (c->org);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_sync (Client *c)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = pb_sync_once (c->store, PB_TRANSPORT (c->transport), c->credential, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* A new account on the hub and a new database enrolled with it, synced once. */
static Client *
client_new (Fixture    *f,
            const char *name,
            const char *org,
            const char *kind,
            const char *role)
{
  g_autofree char *token = pb_test_hub_add_user (f->dir, name, org, kind, role);
  g_autofree char *file = g_strdup_printf ("client-%u.sqlite", f->n_clients++);
  g_autoptr(GError) error = NULL;
  Client *c = g_new0 (Client, 1);
  g_autoptr(PbPerson) me = NULL;

  c->path = g_build_filename (f->dir, file, NULL);
  c->store = pb_store_open (c->path, &error);
  g_assert_no_error (error);
  c->transport = pb_soup_transport_new (f->hub.url, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pb_sync_enrol (c->store, PB_TRANSPORT (c->transport), token, &c->credential, &error));
  g_assert_no_error (error);
  client_sync (c);
  g_assert_nonnull (pb_store_get_actor (c->store));
  me = pb_store_find_person (c->store, pb_store_get_actor (c->store), &error);
  g_assert_no_error (error);
  c->org = g_strdup (me->org);
  return c;
}

/* Points a client at the hub again after a restart (a new port). */
static void
client_reconnect (Fixture *f,
                  Client  *c)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&c->transport);
  c->transport = pb_soup_transport_new (f->hub.url, f->hub.fingerprint, &error);
  g_assert_no_error (error);
}

static char *
client_add_item (Client     *c,
                 const char *title,
                 const char *tlp,
                 const char *container)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) item = pb_record_new ("items", NULL);
  g_autoptr(PbRecord) ident = NULL;
  g_autofree char *id = pb_uuid_new ();
  PbWrite writes[2];

  pb_record_set_id (item, id);
  pb_record_set_string (item, "title", title);
  pb_record_set_string (item, "tlp", tlp);
  pb_record_set_string (item, "source_org", c->org);
  pb_record_set_string (item, "author", pb_store_get_actor (c->store));
  pb_record_set_int (item, "reported_at", 1790000000);
  writes[0] = (PbWrite) { PB_OP_INSERT, item };
  if (container)
    {
      ident = pb_record_new ("identifiers", NULL);
      pb_record_set_string (ident, "item", id);
      pb_record_set_string (ident, "kind", "container");
      pb_record_set_string (ident, "raw", container);
      writes[1] = (PbWrite) { PB_OP_INSERT, ident };
    }
  g_assert_true (pb_store_write_many (c->store, writes, container ? 2 : 1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static gboolean
client_set (Client     *c,
            const char *tbl,
            const char *id,
            const char *field,
            const char *value,
            GError    **error)
{
  g_autoptr(PbRecord) r = pb_record_new (tbl, id);

  pb_record_set_string (r, field, value);
  return pb_store_write (c->store, PB_OP_UPDATE, r, error);
}

static char *
client_share (Client     *c,
              const char *item,
              const char *org)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = pb_record_new ("item_shares", NULL);
  g_autofree char *id = pb_uuid_new ();

  pb_record_set_id (r, id);
  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "org", org);
  g_assert_true (pb_store_write (c->store, PB_OP_INSERT, r, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&id);
}

static gint64
count (Client     *c,
       const char *sql)
{
  sqlite3_stmt *s;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return n;
}

static char *
item_field (Client     *c,
            const char *id,
            const char *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM items WHERE id = '%s'", field, id);
  sqlite3_stmt *s;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (c->store), sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_finalize (s);
  return value;
}

static char *
title_of (Client     *c,
          const char *id)
{
  return item_field (c, id, "title");
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("pb-sync-XXXXXX", &error);
  g_assert_no_error (error);
  /* The hub is made with its first user before it runs, as an administrator would. */
  g_free (pb_test_hub_add_user (f->dir, "Admin", "Port Prosecutor", "prosecution", "admin"));
  pb_test_hub_start (&f->hub, f->dir, GPOINTER_TO_INT (data));
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  pb_test_hub_stop (&f->hub);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

/* ---- Meetings ---------------------------------------------------------------------- */

/* The chair's meeting reaches the members and not the partner; an entry whose item an
 * organisation may not see is "restricted" on its copy, and its decisions stay away until
 * the item is shared; an officer marks their own action done. */
static void
test_meeting (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(Client) chair = client_new (f, "Rania", "Port Prosecutor", "prosecution", "chair");
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autofree char *open_item = NULL, *amber = NULL, *meeting = NULL, *code = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  const char *share[] = { NULL, NULL };
  PbActionSpec action = { NULL, "Patrol the quay at night", "2026-12-01" };
  PbDecisionSpec spec = { 0 };

  client_sync (chair);
  open_item = client_add_item (chair, "Rip-on team at the Deurganck dock", "GREEN", NULL);
  amber = client_add_item (chair, "Informant: the crane driver", "AMBER", NULL);
  g_assert_true (pb_meeting_open (chair->store, "Consultation 12", "Port House", 0, &meeting, &error));
  g_assert_true (pb_meeting_add_entry (chair->store, meeting, open_item, &error));
  g_assert_true (pb_meeting_add_entry (chair->store, meeting, amber, &error));
  action.owner_org = police->org;
  spec.outcome = PB_OUTCOME_MONITOR;
  spec.lead_org = police->org;
  spec.actions = &action;
  spec.n_actions = 1;
  g_assert_true (pb_meeting_decide (chair->store, meeting, open_item, &spec, NULL, &error));
  memset (&spec, 0, sizeof spec);
  spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
  spec.lead_org = chair->org;
  g_assert_true (pb_meeting_decide (chair->store, meeting, amber, &spec, NULL, &error));
  g_assert_no_error (error);
  client_sync (chair);
  client_sync (police);
  client_sync (partner);

  g_assert_cmpint (count (police, "SELECT count (*) FROM meetings"), ==, 1);
  g_assert_cmpint (count (police, "SELECT count (*) FROM decisions"), ==, 1);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM meetings"), ==, 0);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM agenda_entries"), ==, 0);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM decisions"), ==, 0);
  agenda = pb_meeting_list_agenda (police->store, meeting, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agenda->len, ==, 2);
  g_assert_nonnull (((PbAgendaEntry *) agenda->pdata[0])->card);
  g_assert_null (((PbAgendaEntry *) agenda->pdata[1])->card);
  g_assert_cmpstr (((PbAgendaEntry *) agenda->pdata[1])->item_org_name, ==, "Port Prosecutor");
  /* The decision moved the police's copy of the item, as the chair's. */
  code = g_strdup_printf ("SELECT count (*) FROM items WHERE id = '%s' AND status = 'monitoring' AND lead_org = '%s'",
                          open_item, police->org);
  g_assert_cmpint (count (police, code), ==, 1);

  /* The police mark their action done; the chair sees it. */
  actions = pb_meeting_list_actions (police->store, meeting, TRUE, &error);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_true (pb_meeting_set_action_done (police->store, ((PbAction *) actions->pdata[0])->id, TRUE, &error));
  g_assert_no_error (error);
  client_sync (police);
  client_sync (chair);
  g_assert_cmpint (count (chair, "SELECT count (*) FROM meeting_actions WHERE done_at IS NOT NULL"), ==, 1);

  /* Shared with the police by a decision: the item arrives with what was decided on it. */
  memset (&spec, 0, sizeof spec);
  share[0] = police->org;
  spec.outcome = PB_OUTCOME_SHARE;
  spec.share_orgs = share;
  g_assert_true (pb_meeting_decide (chair->store, meeting, amber, &spec, NULL, &error));
  g_assert_no_error (error);
  client_sync (chair);
  client_sync (police);
  g_assert_cmpint (count (police, "SELECT count (*) FROM decisions"), ==, 3);
  g_clear_pointer (&agenda, g_ptr_array_unref);
  agenda = pb_meeting_list_agenda (police->store, meeting, &error);
  g_assert_nonnull (((PbAgendaEntry *) agenda->pdata[1])->card);
  client_sync (partner);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM decisions"), ==, 0);
}

/* A participant's own attendance row: the hub accepts only that they are connected. The
 * store once let them change the row's meeting or organisation too; the hub refused it,
 * its refusal refused the whole push, and that device's outbox stayed stuck. Now both
 * ask the same rulebook: the store refuses it at once and nothing jams. */
static void
test_attendance_outbox (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(Client) chair = client_new (f, "Rania", "Port Prosecutor", "prosecution", "chair");
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *meeting = NULL, *other = NULL, *row = NULL, *item = NULL, *sql = NULL;
  g_autoptr(GError) error = NULL;
  PbSyncStats stats;

  g_assert_true (pb_meeting_open (chair->store, "Consultation 12", "Port House", 0, &meeting, &error));
  g_assert_true (pb_meeting_open (chair->store, "Consultation 13", "Port House", 0, &other, &error));
  g_assert_no_error (error);
  client_sync (chair);
  client_sync (police);
  g_assert_true (pb_meeting_set_connected (police->store, meeting, TRUE, &error));
  g_assert_no_error (error);
  client_sync (police);
  row = g_strdup_printf ("SELECT count (*) FROM meeting_attendance WHERE meeting = '%s' AND connected = 1", meeting);
  client_sync (chair);
  g_assert_cmpint (count (chair, row), ==, 1);

  /* Moving their attendance row to another meeting, or to another organisation: refused
   * by the participant's own store, with nothing written to push. */
  {
    g_autofree char *id = NULL;
    sqlite3_stmt *s;

    g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (police->store), "SELECT id FROM meeting_attendance", -1, &s,
                                         NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    id = g_strdup ((const char *) sqlite3_column_text (s, 0));
    sqlite3_finalize (s);
    g_assert_false (client_set (police, "meeting_attendance", id, "meeting", other, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
    g_assert_false (client_set (police, "meeting_attendance", id, "org", chair->org, &error));
    g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, 0);

  /* And what the officer writes next still reaches the hub. */
  item = client_add_item (police, "Crane driver asks about scans", "GREEN", NULL);
  g_assert_true (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpuint (stats.waiting, ==, 0);
  client_sync (chair);
  sql = g_strdup_printf ("SELECT count (*) FROM items WHERE id = '%s'", item);
  g_assert_cmpint (count (chair, sql), ==, 1);
  g_assert_cmpint (count (chair, row), ==, 1);
}

/* ---- The board follows what a synchronisation brings -------------------------------- */

typedef struct
{
  guint emissions;
  guint biggest;     /* the most cards one emission took away or put in */
  guint resets;      /* emissions that replaced a whole column */
} Counts;

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        Counts     *counts)
{
  counts->emissions++;
  counts->biggest = MAX (counts->biggest, MAX (removed, added));
  if (removed > 1 && removed == g_list_model_get_n_items (model) - added + removed)
    counts->resets++;
}

/* 1,000 items changed by the police reach the chair's open board as 1,000 changes: cards
 * updated where they stand, 300 moved to another column, none of it a reload; the cards
 * are the same objects, and the board equals one read afresh. */
static void
test_board_follows (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(Client) chair = client_new (f, "Rania", "Port Prosecutor", "prosecution", "chair");
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(PbBoard) board = NULL;
  g_autoptr(PbBoard) fresh = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) before = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };
  PbSyncStats stats;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *title = g_strdup_printf ("Report %04u", i);
      g_ptr_array_add (items, client_add_item (police, title, "GREEN", NULL));
    }
  client_sync (police);
  client_sync (chair);

  board = pb_board_new (chair->store);
  g_assert_true (pb_board_load (board, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pb_board_get_n_cards (board), ==, 1000);
  for (guint c = 0; c < PB_N_STATUSES; c++)
    g_signal_connect (pb_board_get_column (board, c), "items-changed", G_CALLBACK (count_items_changed_cb), &counts);
  for (guint i = 0; i < items->len; i++)
    g_hash_table_insert (before, items->pdata[i], pb_board_lookup (board, items->pdata[i]));

  /* The police change every item: a new priority, and 300 go on to joint assessment. */
  g_assert_true (pb_store_begin (police->store, &error));
  for (guint i = 0; i < items->len; i++)
    {
      g_assert_true (client_set (police, "items", items->pdata[i], "priority", "high", &error));
      if (i % 10 < 3)
        g_assert_true (client_set (police, "items", items->pdata[i], "status", "assessment", &error));
    }
  g_assert_true (pb_store_commit (police->store, &error));
  g_assert_no_error (error);
  client_sync (police);

  /* The chair's store applies them: its board follows what it announces. */
  g_assert_true (pb_sync_once (chair->store, PB_TRANSPORT (chair->transport), chair->credential, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, >=, 1300);

  g_assert_cmpuint (pb_board_get_loads (board), ==, 1);
  g_assert_cmpuint (counts.resets, ==, 0);
  g_assert_cmpuint (counts.biggest, <=, 1);
  /* 300 cards taken out of one column and put in another. */
  g_assert_cmpuint (counts.emissions, ==, 600);
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_get_column (board, PB_STATUS_ASSESSMENT)), ==, 300);
  g_assert_cmpuint (g_list_model_get_n_items (pb_board_get_column (board, PB_STATUS_INCOMING)), ==, 700);
  for (guint i = 0; i < items->len; i++)
    {
      PbCard *card = pb_board_lookup (board, items->pdata[i]);

      g_assert_true (card == g_hash_table_lookup (before, items->pdata[i]));
      g_assert_cmpint (pb_card_get_priority (card), ==, PB_PRIORITY_HIGH);
    }

  /* And the board is what a new reading gives, card by card and in the same order. */
  fresh = pb_board_new (chair->store);
  g_assert_true (pb_board_load (fresh, &error));
  for (guint c = 0; c < PB_N_STATUSES; c++)
    {
      GListModel *a = pb_board_get_column (board, c), *b = pb_board_get_column (fresh, c);

      g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
      for (guint i = 0; i < g_list_model_get_n_items (a); i++)
        {
          g_autoptr(PbCard) x = g_list_model_get_item (a, i);
          g_autoptr(PbCard) y = g_list_model_get_item (b, i);

          g_assert_cmpstr (pb_card_get_id (x), ==, pb_card_get_id (y));
          g_assert_cmpint (pb_card_get_priority (x), ==, pb_card_get_priority (y));
          g_assert_cmpfloat (pb_card_get_rank (x), ==, pb_card_get_rank (y));
        }
    }
}

/* ---- Need-to-know, revocation, partners ------------------------------------------- */

static void
test_need_to_know (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autofree char *amber = NULL;
  g_autofree char *clear = NULL;
  g_autofree char *green = NULL;
  g_autofree char *share = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PbRecord) r = NULL;

  client_sync (police);
  amber = client_add_item (police, "Reefer at K913, seal broken", "AMBER", "MSCU1234566");
  clear = client_add_item (police, "Port notice: closed quay", "CLEAR", NULL);
  green = client_add_item (police, "Pattern of rip-on at night", "GREEN", NULL);
  g_assert_cmpuint (pb_sync_waiting (police->store), >, 0);
  client_sync (police);
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, 0);
  client_sync (customs);
  client_sync (partner);

  /* Everyone has every organisation and person. */
  g_assert_cmpint (count (partner, "SELECT count (*) FROM organisations"), ==, 4);
  /* AMBER stays with the police; GREEN reaches customs but not the partner; CLEAR all. */
  sql = g_strdup_printf ("SELECT count (*) FROM items WHERE id = '%s'", amber);
  g_assert_cmpint (count (customs, sql), ==, 0);
  g_assert_cmpint (count (partner, sql), ==, 0);
  g_assert_cmpint (count (customs, "SELECT count (*) FROM identifiers"), ==, 0);
  g_assert_cmpint (count (customs, "SELECT count (*) FROM items WHERE tlp = 'GREEN'"), ==, 1);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM items WHERE tlp = 'GREEN'"), ==, 0);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM items WHERE tlp = 'CLEAR'"), ==, 1);

  /* The partner writes nothing: the store refuses, before the hub would. */
  r = pb_record_new ("items", clear);
  pb_record_set_string (r, "title", "Partner's title");
  g_assert_false (pb_store_write (partner->store, PB_OP_UPDATE, r, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_READ_ONLY_USER);
  g_clear_error (&error);
  g_assert_cmpuint (pb_sync_waiting (partner->store), ==, 0);

  /* Shared with customs by name: the item arrives whole, identifier included; customs
   * may work on it and the police see the edit. */
  share = client_share (police, amber, customs->org);
  client_sync (police);
  client_sync (customs);
  g_assert_cmpint (count (customs, sql), ==, 1);
  g_assert_cmpint (count (customs, "SELECT count (*) FROM identifiers WHERE value = 'MSCU1234566'"), ==, 1);
  g_assert_true (client_set (customs, "items", amber, "title", "Reefer at K913: 40 kg found", &error));
  g_assert_no_error (error);
  client_sync (customs);
  client_sync (police);
  title = title_of (police, amber);
  g_assert_cmpstr (title, ==, "Reefer at K913: 40 kg found");
  g_assert_cmpint (count (partner, sql), ==, 0);

  /* Unshared: customs' copy goes, with its identifier; search finds nothing of it. */
  {
    g_autoptr(PbRecord) d = pb_record_new ("item_shares", share);
    g_autoptr(GArray) found = NULL;

    g_assert_true (pb_store_write (police->store, PB_OP_DELETE, d, &error));
    g_assert_no_error (error);
    client_sync (police);
    client_sync (customs);
    g_assert_cmpint (count (customs, sql), ==, 0);
    g_assert_cmpint (count (customs, "SELECT count (*) FROM identifiers"), ==, 0);
    g_assert_cmpint (count (customs, "SELECT count (*) FROM item_shares"), ==, 0);
    found = pb_store_search (customs->store, "K913", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
  }
  client_sync (partner);
  g_assert_cmpint (count (partner, "SELECT count (*) FROM items"), ==, 1);
}

static void
test_hits (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autofree char *a = client_add_item (police, "Police: suspicious booking", "AMBER", "MSCU1234566");
  g_autofree char *b = client_add_item (customs, "Customs: scanner anomaly", "RED", "MSCU 123456 6");
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  PbHit *hit;

  client_sync (police);
  client_sync (customs);
  client_sync (police);
  client_sync (partner);

  /* The police learn that customs hold the container too, and nothing of customs' item. */
  hits = pb_store_list_hits (police->store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = hits->pdata[0];
  g_assert_cmpstr (hit->value, ==, "MSCU1234566");
  g_assert_cmpstr (hit->org_name, ==, "Customs");
  g_assert_cmpint (count (police, "SELECT count (*) FROM items WHERE tlp = 'RED'"), ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = pb_store_list_hits (customs->store, b, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((PbHit *) hits->pdata[0])->org_name, ==, "Federal Police");
  /* The partner is told of no hit. */
  g_assert_cmpint (count (partner, "SELECT count (*) FROM hub_hits"), ==, 0);
}

/* ---- Concurrent edits ------------------------------------------------------------- */

static void
test_conflict (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autofree char *item = client_add_item (police, "Reefer at K913", "GREEN", NULL);
  g_autofree char *t1 = NULL, *t2 = NULL;
  g_autoptr(GPtrArray) c1 = NULL;
  g_autoptr(GPtrArray) c2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *police_text = "Reefer at K913: seal number does not match the manifest";
  const char *customs_text = "Reefer at K913: scanned, dense mass behind the evaporator";
  g_autofree char *quoted_police = g_strdup_printf ("\"%s\"", police_text);
  g_autofree char *quoted_customs = g_strdup_printf ("\"%s\"", customs_text);
  PbConflict *conflict;

  client_sync (police);
  client_sync (customs);

  /* Both edit the title while neither has seen the other's edit. */
  g_assert_true (client_set (police, "items", item, "title", police_text, &error));
  g_assert_true (client_set (customs, "items", item, "title", customs_text, &error));
  g_assert_no_error (error);
  client_sync (police);
  client_sync (customs);
  client_sync (police);

  /* One title wins on both sides, by the clock; the other text is kept on both. */
  t1 = title_of (police, item);
  t2 = title_of (customs, item);
  g_assert_cmpstr (t1, ==, t2);
  g_assert_true (g_str_equal (t1, police_text) || g_str_equal (t1, customs_text));
  c1 = pb_store_list_conflicts (police->store, item, &error);
  c2 = pb_store_list_conflicts (customs->store, item, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c1->len, ==, 1);
  g_assert_cmpuint (c2->len, ==, 1);
  conflict = c1->pdata[0];
  g_assert_cmpstr (conflict->id, ==, ((PbConflict *) c2->pdata[0])->id);
  g_assert_cmpstr (conflict->field, ==, "title");
  g_assert_cmpstr (conflict->losing_value, ==, g_str_equal (t1, police_text) ? quoted_customs : quoted_police);

  /* The police choose the kept text: it comes back as a new edit, and the conflict is
   * settled on both sides. */
  g_assert_true (pb_store_resolve_conflict (police->store, conflict->id, TRUE, &error));
  g_assert_no_error (error);
  client_sync (police);
  client_sync (customs);
  g_clear_pointer (&t1, g_free);
  g_clear_pointer (&t2, g_free);
  t1 = title_of (police, item);
  t2 = title_of (customs, item);
  g_assert_cmpstr (t1, ==, t2);
  g_assert_cmpstr (t1, !=, g_str_equal (t1, police_text) ? customs_text : police_text);
  g_clear_pointer (&c1, g_ptr_array_unref);
  g_clear_pointer (&c2, g_ptr_array_unref);
  c1 = pb_store_list_conflicts (police->store, item, &error);
  c2 = pb_store_list_conflicts (customs->store, item, &error);
  g_assert_cmpuint (c1->len, ==, 0);
  g_assert_cmpuint (c2->len, ==, 0);
  g_assert_false (pb_store_resolve_conflict (police->store, "nonexistent", TRUE, &error));
  g_assert_error (error, PB_STORE_ERROR, PB_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Again, and this time customs keep what is shown: that settles it for the police too. */
  g_assert_true (client_set (police, "items", item, "title", "Reefer at K913: released", &error));
  g_assert_true (client_set (customs, "items", item, "title", "Reefer at K913: to be opened", &error));
  client_sync (police);
  client_sync (customs);
  client_sync (police);
  g_clear_pointer (&c2, g_ptr_array_unref);
  c2 = pb_store_list_conflicts (customs->store, item, &error);
  g_assert_cmpuint (c2->len, ==, 1);
  g_assert_true (pb_store_resolve_conflict (customs->store, ((PbConflict *) c2->pdata[0])->id, FALSE, &error));
  g_assert_no_error (error);
  client_sync (customs);
  client_sync (police);
  g_clear_pointer (&c1, g_ptr_array_unref);
  g_clear_pointer (&c2, g_ptr_array_unref);
  c1 = pb_store_list_conflicts (police->store, item, &error);
  c2 = pb_store_list_conflicts (customs->store, item, &error);
  g_assert_cmpuint (c1->len, ==, 0);
  g_assert_cmpuint (c2->len, ==, 0);
  g_clear_pointer (&t1, g_free);
  g_clear_pointer (&t2, g_free);
  t1 = title_of (police, item);
  t2 = title_of (customs, item);
  g_assert_cmpstr (t1, ==, t2);
}

/* ---- Convergence ------------------------------------------------------------------ */

/* Rows present in both exports must be equal; returns how many were compared. */
static guint
compare_common (const char *a,
                const char *b)
{
  g_autoptr(JsonNode) na = json_from_string (a, NULL);
  g_autoptr(JsonNode) nb = json_from_string (b, NULL);
  JsonObject *oa = json_node_get_object (na), *ob = json_node_get_object (nb);
  g_autoptr(GList) tables = json_object_get_members (oa);
  guint compared = 0;

  for (GList *t = tables; t; t = t->next)
    {
      JsonArray *ra = json_object_get_array_member (oa, t->data);
      JsonArray *rb = json_object_get_array_member (ob, t->data);
      g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      if (json_array_get_length (ra) == 0 || !json_object_has_member (json_array_get_object_element (ra, 0), "id"))
        continue;
      for (guint i = 0; i < json_array_get_length (rb); i++)
        {
          JsonNode *row = json_array_get_element (rb, i);
          g_hash_table_insert (by_id, (gpointer) json_object_get_string_member (json_node_get_object (row), "id"),
                               json_to_string (row, FALSE));
        }
      for (guint i = 0; i < json_array_get_length (ra); i++)
        {
          JsonNode *row = json_array_get_element (ra, i);
          const char *other = g_hash_table_lookup (by_id, json_object_get_string_member (json_node_get_object (row), "id"));
          g_autofree char *mine = json_to_string (row, FALSE);

          if (other)
            {
              g_assert_cmpstr (mine, ==, other);
              compared++;
            }
        }
    }
  return compared;
}

static void
test_convergence (Fixture      *f,
                  gconstpointer data)
{
  const char *orgs[][4] = {
    { "Karim", "Federal Police", "police", "officer" },
    { "Nadia", "Customs", "customs", "officer" },
    { "Rania", "Port Prosecutor", "prosecution", "chair" },
  };
  const char *tlps[] = { "CLEAR", "GREEN", "AMBER", "AMBER", "RED" };
  const char *containers[] = { "MSCU1234566", "CSQU3054383", "TGHU1234567", NULL };
  Client *clients[3];
  GPtrArray *items[3];  /* ids each client may edit (its own) */
  GPtrArray *shares[3];
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  guint ops = 0, refused = 0;
  gboolean offline[3] = { FALSE, FALSE, FALSE };

  for (guint c = 0; c < 3; c++)
    {
      clients[c] = client_new (f, orgs[c][0], orgs[c][1], orgs[c][2], orgs[c][3]);
      items[c] = g_ptr_array_new_with_free_func (g_free);
      shares[c] = g_ptr_array_new_with_free_func (g_free);
    }

  for (guint round = 0; round < 60; round++)
    {
      for (guint c = 0; c < 3; c++)
        {
          Client *me = clients[c];

          /* Some rounds a client is offline: its changes wait in the outbox. */
          if (g_rand_int_range (rand, 0, 6) == 0)
            offline[c] = !offline[c];
          for (guint k = 0; k < 6; k++, ops++)
            {
              int what = g_rand_int_range (rand, 0, 10);
              g_autoptr(GError) error = NULL;

              if (what < 3 || items[c]->len == 0)
                {
                  g_autofree char *title = g_strdup_printf ("%s report %u", orgs[c][1], ops);
                  g_ptr_array_add (items[c], client_add_item (me, title, tlps[g_rand_int_range (rand, 0, 5)],
                                                              containers[g_rand_int_range (rand, 0, 4)]));
                }
              else if (what < 7)
                {
                  /* Edit an item it sees: its own, or one shared with it. */
                  const char *fields[] = { "title", "body", "priority" };
                  const char *priorities[] = { "low", "normal", "high", "urgent" };
                  guint fi = g_rand_int_range (rand, 0, 3);
                  g_autofree char *value = fi == 2 ? g_strdup (priorities[g_rand_int_range (rand, 0, 4)])
                                                   : g_strdup_printf ("edit %u by %s", ops, orgs[c][0]);
                  g_autofree char *target = NULL;
                  sqlite3_stmt *s;

                  g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (me->store),
                                                       "SELECT id FROM items ORDER BY random () LIMIT 1",
                                                       -1, &s, NULL), ==, SQLITE_OK);
                  if (sqlite3_step (s) == SQLITE_ROW)
                    target = g_strdup ((const char *) sqlite3_column_text (s, 0));
                  sqlite3_finalize (s);
                  if (target && !client_set (me, "items", target, fields[fi], value, &error))
                    refused++;
                }
              else if (what < 9)
                {
                  /* Share one of its own items with another organisation. */
                  const char *item = items[c]->pdata[g_rand_int_range (rand, 0, items[c]->len)];
                  Client *other = clients[(c + 1 + g_rand_int_range (rand, 0, 2)) % 3];
                  g_autoptr(PbRecord) r = pb_record_new ("item_shares", NULL);
                  g_autofree char *id = pb_uuid_new ();

                  pb_record_set_id (r, id);
                  pb_record_set_string (r, "item", item);
                  pb_record_set_string (r, "org", other->org);
                  if (pb_store_write (me->store, PB_OP_INSERT, r, &error))
                    g_ptr_array_add (shares[c], g_steal_pointer (&id));
                  else
                    refused++; /* already shared with them */
                }
              else if (shares[c]->len > 0)
                {
                  /* Take a share back. */
                  guint i = g_rand_int_range (rand, 0, shares[c]->len);
                  g_autoptr(PbRecord) r = pb_record_new ("item_shares", shares[c]->pdata[i]);

                  if (!pb_store_write (me->store, PB_OP_DELETE, r, &error))
                    refused++;
                  g_ptr_array_remove_index_fast (shares[c], i);
                }
            }
          if (!offline[c])
            client_sync (me);
        }
    }
  g_assert_cmpuint (ops, >=, 1000);

  /* Everyone back online, twice round, until nothing is left to exchange. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; c < 3; c++)
      client_sync (clients[c]);

  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *name = g_strdup_printf ("%s (new device)", orgs[c][0]);
      g_autoptr(Client) fresh = client_new (f, name, orgs[c][1], orgs[c][2], orgs[c][3]);
      g_autoptr(GError) error = NULL;
      g_autofree char *mine = pb_store_export_json (clients[c]->store, &error);
      g_autofree char *theirs = NULL;

      g_assert_cmpuint (pb_sync_waiting (clients[c]->store), ==, 0);
      /* What this replica holds is exactly what a new device of the same organisation
       * receives from the hub: everything it may see, nothing else, the same values. But
       * the new device's own person row is new to the old one: sync once more. */
      client_sync (clients[c]);
      g_free (mine);
      mine = pb_store_export_json (clients[c]->store, &error);
      theirs = pb_store_export_json (fresh->store, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (mine, ==, theirs);
    }
  /* Rows two organisations both see are the same on both. */
  {
    g_autofree char *e0 = NULL, *e1 = NULL, *e2 = NULL;

    for (guint c = 0; c < 3; c++)
      client_sync (clients[c]);
    e0 = pb_store_export_json (clients[0]->store, NULL);
    e1 = pb_store_export_json (clients[1]->store, NULL);
    e2 = pb_store_export_json (clients[2]->store, NULL);
    g_assert_cmpuint (compare_common (e0, e1), >, 50);
    g_assert_cmpuint (compare_common (e1, e2), >, 50);
    g_assert_cmpuint (compare_common (e0, e2), >, 50);
  }
  g_test_message ("%u operations, %u refused by the store", ops, refused);

  for (guint c = 0; c < 3; c++)
    {
      client_free (clients[c]);
      g_ptr_array_unref (items[c]);
      g_ptr_array_unref (shares[c]);
    }
}

/* ---- Failures --------------------------------------------------------------------- */

static gint64
clock_an_hour_ahead (gpointer data)
{
  return g_get_real_time () / 1000 + 3600 * 1000;
}

static void
test_clock_ahead (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  PbSyncStats stats;

  pb_store_set_clock (police->store, clock_an_hour_ahead, NULL);
  item = client_add_item (police, "Written with a wrong clock", "GREEN", NULL);
  g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, &stats, &error));
  g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_CLOCK);
  g_assert_nonnull (strstr (error->message, "clock"));
  /* Nothing is lost: the change waits; nothing reached anyone. */
  g_assert_cmpuint (stats.waiting, >, 0);
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, stats.waiting);
  client_sync (customs);
  g_assert_cmpint (count (customs, "SELECT count (*) FROM items"), ==, 0);
}

static gint64
clock_ahead_by (gpointer data)
{
  return g_get_real_time () / 1000 + GPOINTER_TO_INT (data) * 1000;
}

/* A later write of the value a replica already holds still moves the field's clock there:
 * an older write that arrives after it loses, as on the hub. */
static void
test_same_value (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(Client) first = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) older = client_new (f, "Tine", "Federal Police", "police", "officer");
  g_autoptr(Client) later = client_new (f, "Jef", "Federal Police", "police", "officer");
  g_autoptr(Client) reader = client_new (f, "Ilse", "Federal Police", "police", "officer");
  g_autoptr(GError) error = NULL;
  g_autofree char *item = client_add_item (first, "Reefer with a broken seal", "AMBER", NULL);
  Client *all[] = { first, older, later, reader };

  client_sync (first);
  for (guint i = 1; i < G_N_ELEMENTS (all); i++)
    client_sync (all[i]);

  g_assert_true (client_set (first, "items", item, "priority", "high", &error));
  g_assert_no_error (error);
  client_sync (first);
  client_sync (reader);

  /* Offline, ten seconds later by its clock. */
  pb_store_set_clock (older->store, clock_ahead_by, GINT_TO_POINTER (10));
  g_assert_true (client_set (older, "items", item, "priority", "low", &error));
  g_assert_no_error (error);
  /* Twenty seconds later: the value the reader already holds. */
  pb_store_set_clock (later->store, clock_ahead_by, GINT_TO_POINTER (20));
  g_assert_true (client_set (later, "items", item, "priority", "high", &error));
  g_assert_no_error (error);
  client_sync (later);
  client_sync (reader);
  client_sync (older);
  client_sync (reader);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autofree char *priority = NULL;

      client_sync (all[i]);
      priority = item_field (all[i], item, "priority");
      g_assert_cmpstr (priority, ==, "high");
    }
}

typedef struct
{
  Client   *client;
  gboolean  done;
  gboolean  ok;
} SyncThread;

static gpointer
sync_thread (gpointer data)
{
  SyncThread *t = data;

  t->ok = pb_sync_once (t->client->store, PB_TRANSPORT (t->client->transport), t->client->credential, NULL, NULL);
  g_atomic_int_set (&t->done, TRUE);
  return NULL;
}

static gint64
hub_count (Fixture    *f,
           const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  sqlite3 *db;
  sqlite3_stmt *s;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &s, NULL), ==, SQLITE_OK);
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

static void
test_hub_killed (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) chair = client_new (f, "Rania", "Port Prosecutor", "prosecution", "chair");
  g_autoptr(Client) fresh = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *mine = NULL, *theirs = NULL;
  g_autofree char *dir = g_strdup (f->dir);
  SyncThread t = { police, FALSE, FALSE };
  GThread *thread;
  guint waiting;

  /* A long offline shift: 2500 reports, each with a container. */
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *title = g_strdup_printf ("Night shift report %u", i);
      g_free (client_add_item (police, title, "GREEN", "MSCU1234566"));
    }
  waiting = pb_sync_waiting (police->store);
  g_assert_cmpuint (waiting, ==, 5000);

  /* The hub dies in the middle of the push. */
  thread = g_thread_new ("sync", sync_thread, &t);
  while (hub_count (f, "SELECT count (*) FROM changes WHERE tbl = 'items'") < 500 && !g_atomic_int_get (&t.done))
    g_usleep (2000);
  pb_test_hub_kill (&f->hub);
  g_thread_join (thread);
  g_assert_false (t.ok);

  /* Restarted, the client pushes again: every change exactly once, nothing lost. */
  pb_test_hub_start (&f->hub, dir, FALSE);
  client_reconnect (f, police);
  client_reconnect (f, chair);
  client_sync (police);
  g_assert_cmpuint (pb_sync_waiting (police->store), ==, 0);
  sql = g_strdup_printf ("SELECT count (*) FROM changes WHERE site = '%s'", pb_store_get_site_id (police->store));
  g_assert_cmpint (hub_count (f, sql), ==, waiting);
  g_assert_cmpint (hub_count (f, "SELECT count (*) FROM rows WHERE tbl = 'items'"), ==, 2500);
  client_sync (chair);
  g_assert_cmpint (count (chair, "SELECT count (*) FROM items"), ==, 2500);
  g_assert_cmpint (count (chair, "SELECT count (*) FROM identifiers"), ==, 2500);

  /* And the hub's audit chain survived the kill intact. */
  {
    const char *argv[] = { g_getenv ("PORTBOARD_HUB"), "audit", "verify", "--data", f->dir, NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                                 &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  fresh = client_new (f, "Karim 2", "Federal Police", "police", "officer");
  client_sync (police);
  mine = pb_store_export_json (police->store, NULL);
  theirs = pb_store_export_json (fresh->store, NULL);
  g_assert_cmpstr (mine, ==, theirs);
}

/* Someone with the hub's files rewrites history and recomputes the chain so that it
 * verifies again: a client that saw the old head notices. */
static void
test_audit_rewritten (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *path = g_build_filename (f->dir, "hub.db", NULL);
  g_autofree char *dir = g_strdup (f->dir);
  g_autofree char *item = client_add_item (police, "Evidence", "AMBER", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  sqlite3 *db;
  sqlite3_stmt *read, *write;
  char prev[65];

  client_sync (police);
  before = pb_store_export_json (police->store, NULL);
  pb_test_hub_stop (&f->hub);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update;"
                                     "UPDATE audit SET entry = replace (entry, 'Karim', 'Nobody')", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, entry FROM audit ORDER BY seq", -1, &read, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit SET leaf = ?, hash = ? WHERE seq = ?", -1, &write, NULL),
                   ==, SQLITE_OK);
  memset (prev, '0', 64);
  prev[64] = '\0';
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      g_autofree char *leaf = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             (const char *) sqlite3_column_text (read, 1), -1);
      g_autofree char *joined = g_strconcat (prev, leaf, NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);

      sqlite3_bind_text (write, 1, leaf, -1, SQLITE_STATIC);
      sqlite3_bind_text (write, 2, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (write, 3, sqlite3_column_int64 (read, 0));
      g_assert_cmpint (sqlite3_step (write), ==, SQLITE_DONE);
      sqlite3_reset (write);
      memcpy (prev, hash, 65);
    }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  sqlite3_close (db);

  pb_test_hub_start (&f->hub, dir, FALSE);
  client_reconnect (f, police);
  g_free (client_add_item (police, "After the rewrite", "AMBER", NULL));
  g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL, &error));
  g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_AUDIT);
  /* Nothing was taken from a hub that cannot be trusted. */
  after = pb_store_export_json (police->store, NULL);
  g_assert_nonnull (strstr (after, "After the rewrite"));
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, 2);
}

/* A hub that answers every pull with one fixed text, in a thread of its own (the client
 * blocks the test's thread while it pulls). */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  const char   *answer;
  GMutex        lock;
  GCond         ready;
} FakeHub;

static void
on_fake_pull (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           data)
{
  FakeHub *hub = data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, hub->answer, strlen (hub->answer));
}

static gpointer
fake_hub_thread (gpointer data)
{
  FakeHub *hub = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_main_context_push_thread_default (hub->context);
  hub->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hub->server, "/v1/pull", on_fake_pull, hub, NULL);
  g_assert_true (soup_server_listen_local (hub->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (hub->server);
  g_mutex_lock (&hub->lock);
  hub->url = g_uri_to_string (uris->data);
  g_cond_signal (&hub->ready);
  g_mutex_unlock (&hub->lock);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_main_loop_run (hub->loop);
  g_clear_object (&hub->server);
  g_main_context_pop_thread_default (hub->context);
  return NULL;
}

static gint64
state_of (Client     *c,
          const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT value FROM sync_state WHERE key = '%s'), -1)", key);

  return count (c, sql);
}

/* A hub (or someone in its place) answering a pull with what the protocol does not allow:
 * a clear error, and nothing of the page is kept — not even its good rows. */
static void
test_bad_answers (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *good = NULL;
  g_autofree char *item = pb_uuid_new ();
  g_autofree char *other_site = pb_uuid_new ();   /* another device's */
  FakeHub hub = { 0 };
  GThread *thread;
  const char *columns = "\"columns\":" PB_SYNC_PULL_COLUMNS;
  g_autofree char *tail = NULL;
  gint64 cursor = state_of (police, "sync.cursor");
  gint64 items = count (police, "SELECT count (*) FROM items");
  gint64 entries = count (police, "SELECT count (*) FROM change_log");

  /* The head this database saw last: the answers pass the audit check, the rows are wrong. */
  {
    sqlite3_stmt *st;

    g_assert_cmpint (sqlite3_prepare_v2 (_pb_store_get_db (police->store),
                                         "SELECT value FROM sync_state WHERE key = 'sync.audit_hash'", -1, &st, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
    tail = g_strdup_printf ("\"next\":999,\"more\":false,\"audit\":{\"seq\":%" G_GINT64_FORMAT ",\"hash\":\"%s\"}}",
                            state_of (police, "sync.audit_seq"), sqlite3_column_text (st, 0));
    sqlite3_finalize (st);
  }
  good = g_strdup_printf ("[900,\"%s\",117684150097084416,\"items\",\"%s\",\"insert\",null,"
                          "{\"title\":\"Taken from a bad page\",\"tlp\":\"AMBER\",\"source_org\":\"%s\","
                          "\"author\":\"%s\",\"reported_at\":1790000000},\"%s\",null]",
                          other_site, item, police->org,
                          pb_store_get_actor (police->store), pb_store_get_actor (police->store));
  {
    g_autofree char *rows_wrong_columns = g_strdup_printf ("{\"columns\":[\"seq\",\"site\"],\"rows\":[%s],%s",
                                                           good, tail);
    g_autofree char *objects = g_strdup_printf ("{\"changes\":[{\"seq\":900}],%s", tail);
    g_autofree char *short_row = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"x\"]],%s", columns, good, tail);
    g_autofree char *string_clock = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",\"soon\",\"items\","
                                                     "\"%s\",\"delete\",null,null,\"%s\",null]],%s",
                                                     columns, good, other_site, item,
                                                     pb_store_get_actor (police->store), tail);
    g_autofree char *unknown_table = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",117684150097084417,"
                                                      "\"secrets\",\"%s\",\"delete\",null,null,\"%s\",null]],%s",
                                                      columns, good, other_site, item,
                                                      pb_store_get_actor (police->store), tail);
    g_autofree char *bad_value = g_strdup_printf ("{%s,\"rows\":[%s,[901,\"%s\",117684150097084417,"
                                                  "\"items\",\"%s\",\"update\",\"reported_at\",[1,2],\"%s\",null]],%s",
                                                  columns, good, other_site, item,
                                                  pb_store_get_actor (police->store), tail);
    /* "More" to come, from where the client stands: it would ask for the same page forever. */
    g_autofree char *standing_still = g_strdup_printf ("{%s,\"rows\":[],\"next\":%" G_GINT64_FORMAT
                                                       ",\"more\":true,%s", columns, MAX (cursor, 0),
                                                       strstr (tail, "\"audit\""));
    const char *answers[] = {
      "this is no JSON", "[1,2,3]", objects, rows_wrong_columns, short_row, string_clock, unknown_table, bad_value,
      standing_still,
    };

    hub.context = g_main_context_new ();
    hub.loop = g_main_loop_new (hub.context, FALSE);
    g_mutex_init (&hub.lock);
    g_cond_init (&hub.ready);
    thread = g_thread_new ("fake-hub", fake_hub_thread, &hub);
    g_mutex_lock (&hub.lock);
    while (hub.url == NULL)
      g_cond_wait (&hub.ready, &hub.lock);
    g_mutex_unlock (&hub.lock);

    g_clear_object (&police->transport);
    police->transport = pb_soup_transport_new (hub.url, NULL, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
      {
        g_autoptr(GError) error = NULL;

        hub.answer = answers[i];
        g_test_message ("answer %u: %s", i, answers[i]);
        g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL,
                                      &error));
        g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL);
        g_assert_cmpint (state_of (police, "sync.cursor"), ==, cursor);
        g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items);
        g_assert_cmpint (count (police, "SELECT count (*) FROM change_log"), ==, entries);
      }
  }

  g_main_loop_quit (hub.loop);
  g_thread_join (thread);
  g_main_loop_unref (hub.loop);
  g_main_context_unref (hub.context);
  g_mutex_clear (&hub.lock);
  g_cond_clear (&hub.ready);
  g_free (hub.url);

  /* The real hub again: all is well. */
  client_reconnect (f, police);
  client_sync (police);
  g_assert_cmpint (count (police, "SELECT count (*) FROM items"), ==, items);
}

static void
test_certificate_pinned (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autofree char *dir = g_strdup (f->dir);
  g_autofree char *cert = g_build_filename (f->dir, "hub-cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "hub-key.pem", NULL);
  g_autofree char *first = g_strdup (f->hub.fingerprint);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  /* Trusted on first use: the certificate seen at enrolment is the hub's. */
  g_assert_cmpstr (pb_soup_transport_get_fingerprint (police->transport), ==, first);
  before = pb_store_export_json (police->store, NULL);

  /* Another certificate on the same address: refused, with a warning that says so. */
  pb_test_hub_stop (&f->hub);
  g_assert_cmpint (g_unlink (cert), ==, 0);
  g_assert_cmpint (g_unlink (key), ==, 0);
  pb_test_hub_start (&f->hub, dir, TRUE);
  g_assert_cmpstr (f->hub.fingerprint, !=, first);
  g_clear_object (&police->transport);
  police->transport = pb_soup_transport_new (f->hub.url, first, &error);
  g_assert_no_error (error);
  g_assert_false (pb_sync_once (police->store, PB_TRANSPORT (police->transport), police->credential, NULL, &error));
  g_assert_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "certificate has changed"));
  after = pb_store_export_json (police->store, NULL);
  g_assert_cmpstr (before, ==, after);
}

/* ---- The command line ------------------------------------------------------------- */

static char *
run_cli (int         expected,
         char      **err_out,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTBOARD_CLI"));
  va_start (args, first);
  for (arg = first; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (expected == 0)
    {
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("portboard-cli %s failed: %s", first, err);
    }
  else
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return out;
}

static void
test_cli (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *token = pb_test_hub_add_user (f->dir, "Karim", "Federal Police", "police", "officer");
  g_autofree char *token2 = pb_test_hub_add_user (f->dir, "Tine", "Federal Police", "police", "officer");
  g_autofree char *file = g_build_filename (f->dir, "token", NULL);
  g_autofree char *file2 = g_build_filename (f->dir, "token2", NULL);
  g_autofree char *db = g_build_filename (f->dir, "cli.sqlite", NULL);
  g_autofree char *db2 = g_build_filename (f->dir, "cli2.sqlite", NULL);
  g_autofree char *held = NULL;
  g_autofree char *out = NULL, *err = NULL, *e1 = NULL, *e2 = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (file, token, -1, NULL));
  g_assert_true (g_file_set_contents (file2, token2, -1, NULL));

  /* Before enrolment, acting needs --as. */
  g_free (run_cli (1, &err, "item", "add", "--db", db, "--title", "x", "--tlp", "green", NULL));
  g_assert_nonnull (err);
  g_clear_pointer (&err, g_free);

  /* First sync enrols: the token file then holds the credential, for its owner only. */
  out = run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, "--fingerprint",
                 f->hub.fingerprint, NULL);
  g_assert_nonnull (strstr (out, "Sent 0 changes"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_get_contents (file, &held, NULL, NULL));
  g_assert_true (g_str_has_prefix (held, "pbc_"));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* Without --as, the enrolled person acts; `item set` edits through the write path. */
  {
    g_autofree char *id = run_cli (0, NULL, "item", "add", "--db", db, "--title", "From the command lime",
                                   "--tlp", "green", "--identifier", "container:CSQU3054383", NULL);

    g_strstrip (id);
    g_free (run_cli (0, NULL, "item", "set", "--db", db, id, "title", "From the command line", NULL));
    g_free (run_cli (1, &err, "item", "set", "--db", db, id, "source_org", "x", NULL));
    g_assert_nonnull (strstr (err, "source_org"));
    g_clear_pointer (&err, g_free);
    g_free (run_cli (1, &err, "item", "set", "--db", db, id, "tlp", "purple", NULL));
    g_clear_pointer (&err, g_free);
  }
  out = run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, NULL);
  g_assert_nonnull (strstr (out, "Sent 3 changes"));
  g_clear_pointer (&out, g_free);

  /* A colleague's device gets the same; the canonical exports are byte for byte equal. */
  g_free (run_cli (0, NULL, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, "--fingerprint",
                   f->hub.fingerprint, NULL));
  g_free (run_cli (0, NULL, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, NULL));
  e1 = run_cli (0, NULL, "export", "--db", db, "--format", "json", NULL);
  e2 = run_cli (0, NULL, "export", "--db", db2, "--format", "json", NULL);
  g_assert_nonnull (strstr (e1, "From the command line"));
  g_assert_null (strstr (e1, "lime"));
  g_assert_cmpstr (e1, ==, e2);

  /* Bad input: a spent token, a wrong fingerprint, a token file of nonsense. */
  g_assert_true (g_file_set_contents (file2, token2, -1, NULL));
  g_free (run_cli (1, &err, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, NULL));
  g_assert_nonnull (strstr (err, "credential"));
  g_clear_pointer (&err, g_free);
  g_free (run_cli (1, &err, "sync", "--db", db, "--hub", f->hub.url, "--token-file", file, "--fingerprint",
                   "00:11", NULL));
  g_assert_nonnull (strstr (err, "trusts"));
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (file2, "hello", -1, NULL));
  g_free (run_cli (1, &err, "sync", "--db", db2, "--hub", f->hub.url, "--token-file", file2, NULL));
  g_assert_nonnull (strstr (err, "neither"));
  g_clear_pointer (&err, g_free);
  g_free (run_cli (1, &err, "export", "--db", db, "--format", "xml", NULL));
  g_clear_pointer (&err, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn, tls) g_test_add ("/sync/" name, Fixture, GINT_TO_POINTER (tls), fixture_set_up, fn, fixture_tear_down)
  ADD ("need-to-know", test_need_to_know, FALSE);
  ADD ("hits", test_hits, FALSE);
  ADD ("meeting", test_meeting, FALSE);
  ADD ("attendance-outbox", test_attendance_outbox, FALSE);
  ADD ("board-follows", test_board_follows, FALSE);
  ADD ("conflict", test_conflict, FALSE);
  ADD ("convergence", test_convergence, FALSE);
  ADD ("clock-ahead", test_clock_ahead, FALSE);
  ADD ("same-value", test_same_value, FALSE);
  ADD ("hub-killed", test_hub_killed, FALSE);
  ADD ("audit-rewritten", test_audit_rewritten, FALSE);
  ADD ("bad-answers", test_bad_answers, FALSE);
  ADD ("certificate-pinned", test_certificate_pinned, TRUE);
  ADD ("cli", test_cli, TRUE);
#undef ADD

  return g_test_run ();
}
