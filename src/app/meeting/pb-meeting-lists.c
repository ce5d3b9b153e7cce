/* pb-meeting-lists.c: the live lists the meeting page shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The meetings, and of the meeting on view its attendance and agenda, and of the entry on
 * view the decisions and actions on its item: each a live list (PbLiveList) read with the
 * meeting functions of the core, naming the tables it depends on, so that what the chair
 * does here, a participant's Portboard or a synchronisation writes shows by itself. A row
 * is the same when everything the page shows of it is the same; a row that differs is
 * replaced where it stands.
 */

#define G_LOG_DOMAIN "pb-meeting-lists"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-meeting-lists.h"

/* ---- Meetings ---------------------------------------------------------------------- */

static const char *
meeting_key (gconstpointer record)
{
  return ((const PbMeeting *) record)->id;
}

static gboolean
meeting_same (gconstpointer a,
              gconstpointer b)
{
  const PbMeeting *x = a, *y = b;

  return g_strcmp0 (x->title, y->title) == 0 && g_strcmp0 (x->place, y->place) == 0
         && x->starts_at == y->starts_at && x->closed == y->closed && x->closed_at == y->closed_at
         && g_strcmp0 (x->chair_name, y->chair_name) == 0 && g_strcmp0 (x->org, y->org) == 0
         && g_strcmp0 (x->presenting, y->presenting) == 0 && g_strcmp0 (x->minutes_sha256, y->minutes_sha256) == 0;
}

static GPtrArray *
read_meetings (PbStore  *store,
               gpointer  data,
               GError  **error)
{
  return pb_meeting_list (store, error);
}

/**
 * pb_meeting_lists_new_meetings:
 *
 * Returns: (transfer full): every meeting, the latest first (once read)
 */
PbLiveList *
pb_meeting_lists_new_meetings (PbStore *store)
{
  static const char *const tables[] = { "meetings", NULL };

  return pb_live_list_new (store, tables, meeting_key, meeting_same, (GDestroyNotify) pb_meeting_free);
}

void
pb_meeting_lists_read_meetings (PbLiveList *meetings)
{
  pb_live_list_set_read (meetings, read_meetings, NULL, NULL);
}

/* ---- Attendance -------------------------------------------------------------------- */

static const char *
attendance_key (gconstpointer record)
{
  return ((const PbAttendance *) record)->id;
}

static gboolean
attendance_same (gconstpointer a,
                 gconstpointer b)
{
  const PbAttendance *x = a, *y = b;

  return g_strcmp0 (x->org, y->org) == 0 && g_strcmp0 (x->org_code, y->org_code) == 0
         && g_strcmp0 (x->org_name, y->org_name) == 0 && x->org_kind == y->org_kind && x->in_room == y->in_room
         && x->connected == y->connected && g_strcmp0 (x->names, y->names) == 0;
}

static GPtrArray *
read_attendance (PbStore  *store,
                 gpointer  meeting_id,
                 GError  **error)
{
  return pb_meeting_list_attendance (store, meeting_id, error);
}

/**
 * pb_meeting_lists_new_attendance:
 *
 * Returns: (transfer full): the organisations in the room or connected, once told which
 *   meeting (pb_meeting_lists_read_attendance())
 */
PbLiveList *
pb_meeting_lists_new_attendance (PbStore *store)
{
  static const char *const tables[] = { "meeting_attendance", NULL };

  return pb_live_list_new (store, tables, attendance_key, attendance_same, (GDestroyNotify) pb_attendance_free);
}

/* @meeting_id: %NULL: none, the list is empty */
void
pb_meeting_lists_read_attendance (PbLiveList *attendance,
                                  const char *meeting_id)
{
  if (meeting_id)
    pb_live_list_set_read (attendance, read_attendance, g_strdup (meeting_id), g_free);
  else
    pb_live_list_set_read (attendance, NULL, NULL, NULL);
}

/* ---- The agenda -------------------------------------------------------------------- */

static const char *
entry_key (gconstpointer record)
{
  return ((const PbAgendaEntry *) record)->id;
}

/* Everything an agenda row, the entry view or the projector shows of a card. */
static gboolean
card_same (PbCard *x,
           PbCard *y)
{
  if (x == NULL || y == NULL)
    return x == y;
  return g_strcmp0 (pb_card_get_title (x), pb_card_get_title (y)) == 0
         && pb_card_get_status (x) == pb_card_get_status (y) && pb_card_get_tlp (x) == pb_card_get_tlp (y)
         && pb_card_get_priority (x) == pb_card_get_priority (y)
         && g_strcmp0 (pb_card_get_source_org (x), pb_card_get_source_org (y)) == 0
         && g_strcmp0 (pb_card_get_source_code (x), pb_card_get_source_code (y)) == 0
         && g_strcmp0 (pb_card_get_lead_code (x), pb_card_get_lead_code (y)) == 0
         && g_strcmp0 (pb_card_get_grading (x), pb_card_get_grading (y)) == 0
         && g_strcmp0 (pb_card_get_due_date (x), pb_card_get_due_date (y)) == 0
         && g_strcmp0 (pb_card_get_main_identifier (x), pb_card_get_main_identifier (y)) == 0
         && g_strcmp0 (pb_card_get_hit_codes (x), pb_card_get_hit_codes (y)) == 0
         && pb_card_has_conflict (x) == pb_card_has_conflict (y);
}

static gboolean
entry_same (gconstpointer a,
            gconstpointer b)
{
  const PbAgendaEntry *x = a, *y = b;

  return g_strcmp0 (x->item, y->item) == 0 && g_strcmp0 (x->item_org_code, y->item_org_code) == 0
         && g_strcmp0 (x->item_org_name, y->item_org_name) == 0 && x->reasons == y->reasons
         && x->located == y->located && x->lat == y->lat && x->lon == y->lon
         && g_strcmp0 (x->port_area, y->port_area) == 0 && x->n_decisions == y->n_decisions
         && card_same (x->card, y->card);
}

static GPtrArray *
read_agenda (PbStore  *store,
             gpointer  meeting_id,
             GError  **error)
{
  return pb_meeting_list_agenda (store, meeting_id, error);
}

/**
 * pb_meeting_lists_new_agenda:
 *
 * Returns: (transfer full): the entries of a meeting's agenda in their order, once told
 *   which meeting (pb_meeting_lists_read_agenda()); an entry follows its item's card, the
 *   item's sharing and hits, and the decisions taken on it
 */
PbLiveList *
pb_meeting_lists_new_agenda (PbStore *store)
{
  static const char *const tables[] = { "agenda_entries", "decisions", "items", "item_shares", "identifiers",
                                        "identifier_orgs", "hub_hits", "sync_conflicts", NULL };

  return pb_live_list_new (store, tables, entry_key, entry_same, (GDestroyNotify) pb_agenda_entry_free);
}

void
pb_meeting_lists_read_agenda (PbLiveList *agenda,
                              const char *meeting_id)
{
  if (meeting_id)
    pb_live_list_set_read (agenda, read_agenda, g_strdup (meeting_id), g_free);
  else
    pb_live_list_set_read (agenda, NULL, NULL, NULL);
}

/* ---- Decisions --------------------------------------------------------------------- */

static const char *
decision_key (gconstpointer record)
{
  return ((const PbDecision *) record)->id;
}

static gboolean
decision_same (gconstpointer a,
               gconstpointer b)
{
  const PbDecision *x = a, *y = b;

  return g_strcmp0 (x->meeting, y->meeting) == 0 && g_strcmp0 (x->item, y->item) == 0 && x->outcome == y->outcome
         && g_strcmp0 (x->lead_code, y->lead_code) == 0 && g_strcmp0 (x->lead_name, y->lead_name) == 0
         && g_strcmp0 (x->priority, y->priority) == 0 && g_strcmp0 (x->case_id, y->case_id) == 0
         && g_strcmp0 (x->case_title, y->case_title) == 0 && g_strcmp0 (x->share_names, y->share_names) == 0
         && g_strcmp0 (x->tlp, y->tlp) == 0 && g_strcmp0 (x->note, y->note) == 0 && x->decided_at == y->decided_at
         && g_strcmp0 (x->decided_by, y->decided_by) == 0;
}

static GPtrArray *
read_decisions (PbStore  *store,
                gpointer  item_id,
                GError  **error)
{
  return pb_meeting_list_decisions (store, NULL, item_id, error);
}

/**
 * pb_meeting_lists_new_decisions:
 *
 * Returns: (transfer full): the decisions taken on an item, in every meeting, in the order
 *   they were taken, once told which item (pb_meeting_lists_read_decisions())
 */
PbLiveList *
pb_meeting_lists_new_decisions (PbStore *store)
{
  static const char *const tables[] = { "decisions", "items", "item_shares", "cases", NULL };

  return pb_live_list_new (store, tables, decision_key, decision_same, (GDestroyNotify) pb_decision_free);
}

void
pb_meeting_lists_read_decisions (PbLiveList *decisions,
                                 const char *item_id)
{
  if (item_id)
    pb_live_list_set_read (decisions, read_decisions, g_strdup (item_id), g_free);
  else
    pb_live_list_set_read (decisions, NULL, NULL, NULL);
}

/* ---- Actions ----------------------------------------------------------------------- */

static const char *
action_key (gconstpointer record)
{
  return ((const PbAction *) record)->id;
}

static gboolean
action_same (gconstpointer a,
             gconstpointer b)
{
  const PbAction *x = a, *y = b;

  return g_strcmp0 (x->meeting, y->meeting) == 0 && g_strcmp0 (x->item, y->item) == 0
         && g_strcmp0 (x->owner_org, y->owner_org) == 0 && g_strcmp0 (x->owner_code, y->owner_code) == 0
         && g_strcmp0 (x->owner_name, y->owner_name) == 0 && g_strcmp0 (x->description, y->description) == 0
         && g_strcmp0 (x->due_date, y->due_date) == 0 && x->done_at == y->done_at
         && x->may_set_done == y->may_set_done;
}

/* The actions decided on one item, in every meeting, open or done. */
static GPtrArray *
read_actions (PbStore  *store,
              gpointer  item_id,
              GError  **error)
{
  GPtrArray *actions = pb_meeting_list_actions (store, NULL, FALSE, error);

  for (guint i = actions ? actions->len : 0; i > 0; i--)
    if (g_strcmp0 (((PbAction *) actions->pdata[i - 1])->item, item_id) != 0)
      g_ptr_array_remove_index (actions, i - 1);
  return actions;
}

/**
 * pb_meeting_lists_new_actions:
 *
 * Returns: (transfer full): the actions decided on an item, once told which item
 *   (pb_meeting_lists_read_actions())
 */
PbLiveList *
pb_meeting_lists_new_actions (PbStore *store)
{
  static const char *const tables[] = { "meeting_actions", "items", "item_shares", NULL };

  return pb_live_list_new (store, tables, action_key, action_same, (GDestroyNotify) pb_action_free);
}

void
pb_meeting_lists_read_actions (PbLiveList *actions,
                               const char *item_id)
{
  if (item_id)
    pb_live_list_set_read (actions, read_actions, g_strdup (item_id), g_free);
  else
    pb_live_list_set_read (actions, NULL, NULL, NULL);
}

/**
 * pb_agenda_entry_title:
 *
 * Returns: (transfer full): the title of an entry's item, or who it belongs to when the
 *   signed-in person may not see it
 */
char *
pb_agenda_entry_title (const PbAgendaEntry *entry)
{
  if (entry->card)
    return g_strdup (pb_card_get_title (entry->card));
  return g_strdup_printf (_("Restricted item (%s)"), entry->item_org_name ? entry->item_org_name : "?");
}
