/* pb-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card is data: what the board shows of an item, read by the store. Cards are made by the
 * hundred thousand when a board loads, so the store fills the fields directly instead of
 * going through GObject properties; the getters are the API. Organisation codes, colours
 * and gradings come interned from the store (there are a handful of each), so cards share
 * them.
 *
 * Its details — the identifier it shows, the organisations that hold one of its
 * identifiers, a concurrent edit waiting — cost a few lookups each, and a board of 100,000
 * items shows a few dozen at a time: the board model reads them for the cards on screen,
 * outside drawing, and says so with PbCard::changed.
 */

#define G_LOG_DOMAIN "pb-card"

#include "config.h"

#include "pb-card-private.h"

struct _PbCard
{
  GObject     parent_instance;

  char       *id;
  gint64      rowid;          /* the item's row in this database: filters test it */
  char       *title;
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

  gboolean    details;
  char       *main_identifier;
  char       *hit_codes;
  gboolean    conflict;
  guint       asked;     /* open requests to the viewer's organisation */
};

G_DEFINE_FINAL_TYPE (PbCard, pb_card, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
pb_card_finalize (GObject *object)
{
  PbCard *self = (PbCard *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->main_identifier);
  g_free (self->hit_codes);
  g_free (self->due_date);

  G_OBJECT_CLASS (pb_card_parent_class)->finalize (object);
}

static void
pb_card_class_init (PbCardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pb_card_finalize;

  /**
   * PbCard::changed:
   *
   * What the card shows changed (the item was written, or its details were read): the
   * widget that shows it draws it again. Its place on the board is its list's business.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
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
  self->due_date = g_strdup (due_date);
  self->reported_at = reported_at;
  return self;
}

gboolean
_pb_card_update (PbCard *self,
                 PbCard *from)
{
  gboolean same = self->rowid == from->rowid && g_strcmp0 (self->title, from->title) == 0
                  && self->status == from->status && self->rank == from->rank && self->tlp == from->tlp
                  && self->priority == from->priority && self->source_org == from->source_org
                  && self->source_code == from->source_code && self->source_colour == from->source_colour
                  && self->lead_code == from->lead_code && self->grading == from->grading
                  && g_strcmp0 (self->due_date, from->due_date) == 0 && self->reported_at == from->reported_at;

  if (same)
    return FALSE;
  self->rowid = from->rowid;
  g_free (self->title);
  self->title = g_strdup (from->title);
  self->status = from->status;
  self->rank = from->rank;
  self->tlp = from->tlp;
  self->priority = from->priority;
  self->source_org = from->source_org;
  self->source_code = from->source_code;
  self->source_colour = from->source_colour;
  self->lead_code = from->lead_code;
  self->grading = from->grading;
  g_free (self->due_date);
  self->due_date = g_strdup (from->due_date);
  self->reported_at = from->reported_at;
  return TRUE;
}

gboolean
_pb_card_set_details (PbCard     *self,
                      const char *main_identifier,
                      const char *hit_codes,
                      gboolean    conflict,
                      guint       asked)
{
  gboolean same = self->details && g_strcmp0 (self->main_identifier, main_identifier) == 0
                  && g_strcmp0 (self->hit_codes, hit_codes) == 0 && self->conflict == conflict
                  && self->asked == asked;

  self->details = TRUE;
  if (same)
    return FALSE;
  g_free (self->main_identifier);
  self->main_identifier = g_strdup (main_identifier);
  g_free (self->hit_codes);
  self->hit_codes = g_strdup (hit_codes);
  self->conflict = conflict;
  self->asked = asked;
  return TRUE;
}

void
_pb_card_forget_details (PbCard *self)
{
  self->details = FALSE;
}

void
_pb_card_changed (PbCard *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
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
const char *pb_card_get_due_date (PbCard *self) { return self->due_date; }
gint64 pb_card_get_reported_at (PbCard *self) { return self->reported_at; }

/* Whether the details below were read; until then they are empty. */
gboolean pb_card_has_details (PbCard *self) { return self->details; }

/**
 * pb_card_get_main_identifier:
 *
 * Returns: (nullable): the identifier the card shows: a container number first, else the
 *   vessel's IMO number, else any
 */
const char *pb_card_get_main_identifier (PbCard *self) { return self->main_identifier; }

/**
 * pb_card_get_hit_codes:
 *
 * Returns: (nullable): the codes of the other organisations that hold one of the item's
 *   identifiers ("DOU, FGP"), or %NULL when there is no hit
 */
const char *pb_card_get_hit_codes (PbCard *self) { return self->hit_codes; }

/**
 * pb_card_has_conflict:
 *
 * Returns: whether text of the item was edited elsewhere at the same time, and the other
 *   version waits for someone to choose
 */
gboolean pb_card_has_conflict (PbCard *self) { return self->conflict; }

/**
 * pb_card_get_asked:
 *
 * Returns: how many requests (to share it, to change its handling code) wait for the
 *   viewer's organisation's answer, once the details were read
 */
guint pb_card_get_asked (PbCard *self) { return self->asked; }
