/* pb-card-row.c: a card on the board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-card-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-card-row.h"

struct _PbCardRow
{
  GtkWidget  parent_instance;

  PbCard    *card;
  char      *org_class;
  char      *tlp_class;

  /* Template widgets */
  GtkLabel  *source;
  GtkLabel  *tlp;
  GtkLabel  *grading;
  GtkLabel  *age;
  GtkLabel  *title;
  GtkLabel  *identifier;
  GtkLabel  *lead;
  GtkLabel  *due;
  GtkLabel  *hit;
  GtkLabel  *conflict;
  GtkLabel  *asked;
  GtkImage  *priority;
  GtkCheckButton *mark;
};

G_DEFINE_FINAL_TYPE (PbCardRow, pb_card_row, GTK_TYPE_WIDGET)

enum {
  SIGNAL_MARK_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
pb_format_age (gint64 then,
               gint64 now)
{
  gint64 s = MAX (now - then, 0);

  if (s < 3600)
    return g_strdup_printf (_("%d min"), (int) (s / 60));
  if (s < 86400)
    return g_strdup_printf (_("%d h"), (int) (s / 3600));
  return g_strdup_printf (_("%d d"), (int) (s / 86400));
}

gboolean
pb_due_date_is_overdue (const char *due_date,
                        GDateTime  *now)
{
  g_autofree char *today = NULL;

  if (due_date == NULL)
    return FALSE;
  today = g_date_time_format (now, "%Y-%m-%d");
  return g_strcmp0 (due_date, today) < 0;
}

static void
swap_class (GtkWidget  *widget,
            char      **current,
            const char *wanted)
{
  if (g_strcmp0 (*current, wanted) == 0)
    return;
  if (*current)
    gtk_widget_remove_css_class (widget, *current);
  g_free (*current);
  *current = g_strdup (wanted);
  if (wanted)
    gtk_widget_add_css_class (widget, wanted);
}

static void show_card (PbCardRow *self);

/* The item was written, or the card's details were read: drawn again. */
static void
on_card_changed_cb (PbCard    *card,
                    PbCardRow *self)
{
  show_card (self);
}

/**
 * pb_card_row_set_card:
 *
 * Shows @card, and follows it (PbCard::changed) while it is shown.
 */
void
pb_card_row_set_card (PbCardRow *self,
                      PbCard    *card)
{
  if (self->card == card)
    return;
  if (self->card)
    g_signal_handlers_disconnect_by_func (self->card, on_card_changed_cb, self);
  g_set_object (&self->card, card);
  if (card == NULL)
    return;
  g_signal_connect (card, "changed", G_CALLBACK (on_card_changed_cb), self);
  show_card (self);
}

static void
show_card (PbCardRow *self)
{
  PbCard *card = self->card;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *org_class = NULL;
  g_autofree char *age = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *due = NULL;
  g_autofree char *a11y = NULL;
  const char *grading;
  const char *ident;
  const char *hits;
  g_autofree char *hit_text = NULL;
  g_autofree char *asked_text = NULL;
  guint asked;
  gboolean overdue;
  PbPriority priority;

  org_class = g_strdup_printf ("org-%s", pb_card_get_source_code (card));
  gtk_label_set_label (self->source, pb_card_get_source_code (card));
  swap_class (GTK_WIDGET (self->source), &self->org_class, org_class);

  gtk_label_set_label (self->tlp, pb_tlp_to_string (pb_card_get_tlp (card)));
  swap_class (GTK_WIDGET (self->tlp), &self->tlp_class, pb_tlp_css_class (pb_card_get_tlp (card)));

  grading = pb_card_get_grading (card);
  gtk_label_set_label (self->grading, grading ? grading : "");
  gtk_widget_set_visible (GTK_WIDGET (self->grading), grading != NULL);

  age = pb_format_age (pb_card_get_reported_at (card), g_date_time_to_unix (now));
  gtk_label_set_label (self->age, age);

  gtk_label_set_label (self->title, pb_card_get_title (card));

  ident = pb_card_get_main_identifier (card);
  gtk_label_set_label (self->identifier, ident ? ident : "");
  gtk_widget_set_visible (GTK_WIDGET (self->identifier), ident != NULL);

  if (pb_card_get_lead_code (card))
    lead = g_strdup_printf (_("Lead: %s"), pb_card_get_lead_code (card));
  gtk_label_set_label (self->lead, lead ? lead : "");
  gtk_widget_set_visible (GTK_WIDGET (self->lead), lead != NULL);

  overdue = pb_due_date_is_overdue (pb_card_get_due_date (card), now);
  if (pb_card_get_due_date (card))
    due = g_strdup_printf (overdue ? _("Overdue %s") : _("Due %s"), pb_card_get_due_date (card));
  gtk_label_set_label (self->due, due ? due : "");
  gtk_widget_set_visible (GTK_WIDGET (self->due), due != NULL);
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->due), "overdue");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->due), "overdue");

  hits = pb_card_get_hit_codes (card);
  if (hits)
    hit_text = g_strdup_printf (_("Also known to %s — contact them"), hits);
  gtk_label_set_label (self->hit, hit_text ? hit_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hit), hit_text != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->conflict), pb_card_has_conflict (card));
  asked = pb_card_get_asked (card);
  if (asked > 0)
    asked_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request to answer", "%u requests to answer", asked),
                                  asked);
  gtk_label_set_label (self->asked, asked_text ? asked_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->asked), asked > 0);

  priority = pb_card_get_priority (card);
  gtk_widget_set_visible (GTK_WIDGET (self->priority), priority >= PB_PRIORITY_HIGH);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->priority), pb_priority_label (priority));
  if (priority == PB_PRIORITY_URGENT)
    gtk_widget_add_css_class (GTK_WIDGET (self->priority), "urgent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->priority), "urgent");

  /* One sentence for screen readers, in the order a person reads the card. */
  a11y = g_strdup_printf (_("%s. From %s, %s, grading %s, priority %s%s%s%s%s%s%s%s."),
                          pb_card_get_title (card), pb_card_get_source_code (card),
                          pb_tlp_to_string (pb_card_get_tlp (card)),
                          grading ? grading : _("none"), pb_priority_label (priority),
                          due ? ", " : "", due ? due : "",
                          hit_text ? ". " : "", hit_text ? hit_text : "",
                          pb_card_has_conflict (card) ? _(". Two versions of its text wait for a choice") : "",
                          asked_text ? ". " : "", asked_text ? asked_text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  /* GTK 4.8 gives list rows no name of their own, and the row is what takes the focus:
   * name it after the card so that a screen reader says the card when it is focused. */
  if (gtk_widget_get_parent (GTK_WIDGET (self)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
on_mark_toggled_cb (GtkCheckButton *button,
                    PbCardRow      *self)
{
  g_signal_emit (self, signals[SIGNAL_MARK_TOGGLED], 0, gtk_check_button_get_active (button));
}

/**
 * pb_card_row_set_marking:
 * @selecting: whether the board is selecting cards (the check box shows)
 * @marked: whether this card is one of them
 *
 * Shows the card's selection state, without emitting #PbCardRow::mark-toggled.
 */
void
pb_card_row_set_marking (PbCardRow *self,
                         gboolean   selecting,
                         gboolean   marked)
{
  g_signal_handlers_block_by_func (self->mark, on_mark_toggled_cb, self);
  gtk_check_button_set_active (self->mark, marked);
  g_signal_handlers_unblock_by_func (self->mark, on_mark_toggled_cb, self);
  gtk_widget_set_visible (GTK_WIDGET (self->mark), selecting);
  if (marked)
    gtk_widget_add_css_class (GTK_WIDGET (self), "marked");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "marked");
}

PbCard *
pb_card_row_get_card (PbCardRow *self)
{
  return self->card;
}

static void
pb_card_row_dispose (GObject *object)
{
  PbCardRow *self = PB_CARD_ROW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_CARD_ROW);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->card)
    g_signal_handlers_disconnect_by_func (self->card, on_card_changed_cb, self);
  g_clear_object (&self->card);
  g_clear_pointer (&self->org_class, g_free);
  g_clear_pointer (&self->tlp_class, g_free);

  G_OBJECT_CLASS (pb_card_row_parent_class)->dispose (object);
}

static void
pb_card_row_class_init (PbCardRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_card_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-card-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, source);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, tlp);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, grading);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, age);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, title);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, identifier);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, lead);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, due);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, hit);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, conflict);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, asked);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, priority);
  gtk_widget_class_bind_template_child (widget_class, PbCardRow, mark);
  gtk_widget_class_bind_template_callback (widget_class, on_mark_toggled_cb);

  /* The person ticked or unticked the card's check box. */
  signals[SIGNAL_MARK_TOGGLED] =
    g_signal_new ("mark-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

/* While selecting, a click anywhere on the card ticks it; a click on the check box itself
 * is the check box's (its gesture claims the click, and this one is cancelled). */
static void
on_click_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PbCardRow       *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->mark)))
    return;
  gtk_check_button_set_active (self->mark, !gtk_check_button_get_active (self->mark));
}

static void
pb_card_row_init (PbCardRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

PbCardRow *
pb_card_row_new (void)
{
  return g_object_new (PB_TYPE_CARD_ROW, NULL);
}
