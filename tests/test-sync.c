/* test-sync.c: client databases kept in step through a real hub process over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Need-to-know, hits, meetings, the live model, conflicts and convergence. (Failures and
 * hostile answers are in test-sync-faults.c.)
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
#include "sync-client.h"
#include "pb-store-private.h"
#include "pb-util.h"

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

/* A row made and widened in the same push reaches those it was widened to (issue 15,
 * finding 1): an AMBER item with an identifier, then made GREEN and shared with the
 * partner by name, all in one push: customs and the partner get the item, its identifier
 * and its sharing row, not only the edits. */
static void
test_widened_in_one_push (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr(Client) police = client_new (f, "Karim", "Federal Police", "police", "officer");
  g_autoptr(Client) customs = client_new (f, "Nadia", "Customs", "customs", "officer");
  g_autoptr(Client) partner = client_new (f, "Sam", "Terminal Operator", "partner", "partner");
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL;
  g_autofree char *share = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *title = NULL;

  item = client_add_item (police, "Reefer at K913, seal broken", "AMBER", "MSCU1234566");
  g_assert_true (client_set (police, "items", item, "tlp", "GREEN", &error));
  g_assert_no_error (error);
  client_sync (police);
  client_sync (customs);
  title = title_of (customs, item);
  g_assert_cmpstr (title, ==, "Reefer at K913, seal broken");
  sql = g_strdup_printf ("SELECT count (*) FROM identifiers WHERE item = '%s'", item);
  g_assert_cmpint (count (customs, sql), ==, 1);

  /* Made and shared with the partner in one push: the partner gets it whole. */
  g_clear_pointer (&item, g_free);
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&title, g_free);
  item = client_add_item (police, "Crew list of the Santos call", "AMBER", "MSCU1234571");
  share = client_share (police, item, partner->org);
  client_sync (police);
  client_sync (partner);
  title = title_of (partner, item);
  g_assert_cmpstr (title, ==, "Crew list of the Santos call");
  sql = g_strdup_printf ("SELECT count (*) FROM item_shares WHERE id = '%s'", share);
  g_assert_cmpint (count (partner, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM identifiers WHERE item = '%s'", item);
  g_assert_cmpint (count (partner, sql), ==, 1);
  /* Customs was not given it: AMBER, shared with the partner only. */
  g_clear_pointer (&title, g_free);
  title = title_of (customs, item);
  client_sync (customs);
  g_clear_pointer (&title, g_free);
  title = title_of (customs, item);
  g_assert_null (title);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn, tls) g_test_add ("/sync/" name, Fixture, GINT_TO_POINTER (tls), fixture_set_up, fn, fixture_tear_down)
  ADD ("need-to-know", test_need_to_know, FALSE);
  ADD ("widened-in-one-push", test_widened_in_one_push, FALSE);
  ADD ("hits", test_hits, FALSE);
  ADD ("meeting", test_meeting, FALSE);
  ADD ("attendance-outbox", test_attendance_outbox, FALSE);
  ADD ("board-follows", test_board_follows, FALSE);
  ADD ("conflict", test_conflict, FALSE);
  ADD ("convergence", test_convergence, FALSE);
  ADD ("clock-ahead", test_clock_ahead, FALSE);
  ADD ("same-value", test_same_value, FALSE);
#undef ADD

  return g_test_run ();
}
