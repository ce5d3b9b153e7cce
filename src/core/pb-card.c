/* pb-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cards are created by the hundred thousand when a board loads, so the store fills the
 * fields directly instead of going through GObject properties; the getters are the API.
 * Organisation codes, colours and gradings come interned from the store (there are a handful
 * of each), so cards share them. The
 * main identifier is looked up when the card is first shown, as a board of 100,000 items
 * shows a few dozen at a time.
 */

#define G_LOG_DOMAIN "pb-card"

#include "config.h"

#include "pb-card.h"
#include "pb-store-private.h"

struct _PbCard
{
  GObject     parent_instance;

  char       *id;
  gint64      rowid;          /* the item's row in this database: filters test it */
  char       *title;
  char       *main_identifier;
  char       *hit_codes;
  PbStore    *store;          /* asked for what a card shows only when it is shown */
  gboolean    main_loaded;
  gboolean    hits_loaded;
  gboolean    conflict_loaded;
  gboolean    conflict;
  const char *source_org;
  const char *source_code;
  const char *source_colour;
  const char *lead_code;
  const char *grading;
  char       *due_date;
  gint64      reported_at;
  double      rank;
  PbStatus    status;
  PbTlp       tlp;
  PbPriority  priority;
};

G_DEFINE_FINAL_TYPE (PbCard, pb_card, G_TYPE_OBJECT)

static void
pb_card_finalize (GObject *object)
{
  PbCard *self = (PbCard *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->main_identifier);
  g_free (self->hit_codes);
  g_free (self->due_date);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pb_card_parent_class)->finalize (object);
}

static void
pb_card_class_init (PbCardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_card_finalize;
}

static void
pb_card_init (PbCard *self)
{
}

PbCard *
_pb_card_new (const char *id,
              gint64      rowid,
              const char *title,
              PbStatus    status,
              double      rank,
              PbTlp       tlp,
              PbPriority  priority,
              const char *source_org,
              const char *source_code,
              const char *source_colour,
              const char *lead_code,
              const char *grading,
              gpointer    store,
              const char *due_date,
              gint64      reported_at)
{
  PbCard *self = g_object_new (PB_TYPE_CARD, NULL);

  self->id = g_strdup (id);
  self->rowid = rowid;
  self->title = g_strdup (title);
  self->status = status;
  self->rank = rank;
  self->tlp = tlp;
  self->priority = priority;
  self->source_org = source_org;
  self->source_code = source_code;
  self->source_colour = source_colour;
  self->lead_code = lead_code;
  self->grading = grading;
  self->store = store ? g_object_ref (store) : NULL;
  self->due_date = g_strdup (due_date);
  self->reported_at = reported_at;
  return self;
}

const char *pb_card_get_id (PbCard *self) { return self->id; }
gint64 pb_card_get_rowid (PbCard *self) { return self->rowid; }
const char *pb_card_get_title (PbCard *self) { return self->title; }
PbStatus pb_card_get_status (PbCard *self) { return self->status; }
double pb_card_get_rank (PbCard *self) { return self->rank; }
PbTlp pb_card_get_tlp (PbCard *self) { return self->tlp; }
PbPriority pb_card_get_priority (PbCard *self) { return self->priority; }
const char *pb_card_get_source_org (PbCard *self) { return self->source_org; }
const char *pb_card_get_source_code (PbCard *self) { return self->source_code; }
const char *pb_card_get_source_colour (PbCard *self) { return self->source_colour; }
const char *pb_card_get_lead_code (PbCard *self) { return self->lead_code; }
const char *pb_card_get_grading (PbCard *self) { return self->grading; }
const char *
pb_card_get_main_identifier (PbCard *self)
{
  if (!self->main_loaded)
    {
      self->main_loaded = TRUE;
      if (self->store)
        self->main_identifier = _pb_store_main_identifier (self->store, self->id);
    }
  return self->main_identifier;
}

/**
 * pb_card_has_conflict:
 *
 * Returns: whether text of the item was edited elsewhere at the same time, and the other
 *   version waits for someone to choose
 */
gboolean
pb_card_has_conflict (PbCard *self)
{
  if (!self->conflict_loaded)
    {
      self->conflict_loaded = TRUE;
      if (self->store)
        self->conflict = _pb_store_has_conflict (self->store, self->id);
    }
  return self->conflict;
}

/**
 * pb_card_get_hit_codes:
 *
 * Returns: (nullable): the codes of the other organisations that hold one of the item's
 *   identifiers ("DOU, FGP"), or %NULL when there is no hit
 */
const char *
pb_card_get_hit_codes (PbCard *self)
{
  if (!self->hits_loaded)
    {
      self->hits_loaded = TRUE;
      if (self->store)
        self->hit_codes = _pb_store_hit_codes (self->store, self->id);
    }
  return self->hit_codes;
}
const char *pb_card_get_due_date (PbCard *self) { return self->due_date; }
gint64 pb_card_get_reported_at (PbCard *self) { return self->reported_at; }
