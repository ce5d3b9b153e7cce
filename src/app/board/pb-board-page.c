/* pb-board-page.c: the board, one column per stage of an item's life
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One model holds every card the signed-in person may see; each column is a filtered
 * view of it, so a change to a card reaches exactly the column it belongs to.
 */

#define G_LOG_DOMAIN "pb-board-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-board-column.h"
#include "pb-board-page.h"
#include "pb-add-to-case-dialog.h"
#include "pb-card-row.h"
#include "pb-filter-bar.h"
#include "pb-item-editor.h"
#include "pb-new-case-dialog.h"

struct _PbBoardPage
{
  GtkWidget       parent_instance;

  PbContext      *context;                     /* who acts, and what they may do */
  PbStore        *store;
  PbBoard        *board;                       /* the cards, kept in step with the store */
  GtkFlattenListModel *cards;                  /* all of them, in board order */
  GtkCssProvider *org_css;
  PbBoardColumn  *columns[PB_N_STATUSES];
  gboolean        can_write;

  /* The last move, for undo: where the card was. */
  char           *undo_item;
  PbStatus        undo_status;
  char           *undo_before;
  guint           undo_serial;   /* which change the newest Undo toast is for */
  /* …or the last edit in the editor: what undoes it (the store's), and its item. */
  PbUndo         *undo_edit;
  char           *undo_edit_item;

  /* Filters: the matching items, or NULL for all. Each column shows those of its cards
   * (PbCardFilterModel), so a search goes over every card once. */
  PbItemSet      *filter_ids;

  /* Template widgets */
  AdwToastOverlay *toasts;
  AdwFlap        *flap;
  PbItemEditor   *editor;
  PbFilterBar    *filter_bar;
  GtkBox         *columns_box;
  GtkLabel       *summary;
  GtkToggleButton *select_toggle;
  GtkActionBar   *selection_bar;
  GtkLabel       *selection_label;

  /* Cards selected to open a case or add to one (PbCard, owned); shared with the columns. */
  GHashTable     *marks;
  gboolean        selecting;
};

G_DEFINE_FINAL_TYPE (PbBoardPage, pb_board_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CASES_CHANGED,
  SIGNAL_FILTER_CHANGED,
  SIGNAL_ITEM_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_summary        (PbBoardPage *self);

/* Organisation colours come from the database: one CSS class per organisation code. */
static void
update_org_css (PbBoardPage *self)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (self->store, NULL);
  g_autoptr(GString) css = g_string_new (NULL);

  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      GdkRGBA rgba;
      gboolean ok_code = org->short_code[0] != '\0';

      for (const char *p = org->short_code; *p; p++)
        ok_code = ok_code && g_ascii_isalnum (*p);
      if (!ok_code || !gdk_rgba_parse (&rgba, org->colour))
        continue;
      g_string_append_printf (css, ".org-badge.org-%s { background-color: %s; }\n",
                              org->short_code, org->colour);
    }

  if (self->org_css == NULL)
    {
      self->org_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (self->org_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->org_css, css->str, -1);
}

static void
show_toast (PbBoardPage *self,
            AdwToast    *toast)
{
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* The toast of the last move or save, with Undo when it can be undone. Its Undo names the
 * change it was shown for: a toast still on screen after a newer change cannot undo that
 * one. (Toasts are not dismissed early: libadwaita 1.2 crashes when a queued toast is.) */
static void
show_undo_toast (PbBoardPage *self,
                 const char  *message,
                 gboolean     can_undo)
{
  AdwToast *toast = adw_toast_new (message);

  self->undo_serial++;
  if (can_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "board.undo-toast");
      adw_toast_set_action_target_value (toast, g_variant_new_uint32 (self->undo_serial));
    }
  show_toast (self, toast);
}

static void
show_message (PbBoardPage *self,
              const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  show_toast (self, toast);
}

static PbBoardColumn *
focused_column (PbBoardPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *column = focus ? gtk_widget_get_ancestor (focus, PB_TYPE_BOARD_COLUMN) : NULL;

  return column ? PB_BOARD_COLUMN (column) : NULL;
}

/* The card after @card in its column, or NULL at the end. */
static PbCard *
card_after (PbBoardPage *self,
            PbCard      *card,
            int          steps)
{
  GListModel *column = pb_board_column_get_model (self->columns[pb_card_get_status (card)]);
  guint n = g_list_model_get_n_items (column);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbCard) item = g_list_model_get_item (column, i);

      if (item == card)
        {
          int target = (int) i + steps;
          return target >= 0 && (guint) target < n ? g_list_model_get_item (column, target) : NULL;
        }
    }
  return NULL;
}

/**
 * pb_board_page_move_card:
 * @before: (nullable): the card to put it before, or %NULL for the end of the column
 *
 * Moves a card through the store (with the board's guards), updates the columns, keeps
 * the focus on the card and offers to undo. A refused move says why and changes nothing.
 */
gboolean
pb_board_page_move_card (PbBoardPage *self,
                         PbCard      *card,
                         PbStatus     column,
                         PbCard      *before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbCard) keep = g_object_ref (card);
  g_autoptr(PbCard) next = card_after (self, card, 1);
  PbStatus from = pb_card_get_status (card);
  g_autofree char *message = NULL;

  if (!pb_store_move_item (self->store, pb_card_get_id (card), column,
                           before ? pb_card_get_id (before) : NULL, NULL, NULL, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }

  g_clear_pointer (&self->undo_edit, pb_undo_free);
  g_clear_pointer (&self->undo_edit_item, g_free);
  g_free (self->undo_item);
  g_free (self->undo_before);
  self->undo_item = g_strdup (pb_card_get_id (card));
  self->undo_status = from;
  self->undo_before = next ? g_strdup (pb_card_get_id (next)) : NULL;

  /* The board put the card where it goes (the store said what changed): the focus follows
   * it there. */
  if (pb_board_lookup (self->board, pb_card_get_id (card)) == card)
    pb_board_column_focus_card (self->columns[pb_card_get_status (card)], card);

  message = column == from ? g_strdup (_("Card moved"))
                           : g_strdup_printf (_("Moved to “%s”"), pb_status_label (column));
  show_undo_toast (self, message, TRUE);
  return TRUE;
}

/* The card that has the keyboard focus: the list row's card (Tab moves the focus into a
 * list without selecting), else the column's selected card. */
static PbCard *
focused_card (PbBoardPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  PbBoardColumn *column = focused_column (self);
  GtkWidget *row = NULL;

  if (focus == NULL || column == NULL)
    return NULL;
  if (PB_IS_CARD_ROW (focus))
    row = focus;
  else if (gtk_widget_get_first_child (focus) && PB_IS_CARD_ROW (gtk_widget_get_first_child (focus)))
    row = gtk_widget_get_first_child (focus);
  else
    row = gtk_widget_get_ancestor (focus, PB_TYPE_CARD_ROW);

  return row ? pb_card_row_get_card (PB_CARD_ROW (row)) : pb_board_column_get_selected (column);
}

static void
move_focused (PbBoardPage *self,
              int          columns,
              int          rows)
{
  PbCard *card = focused_card (self);
  int target;

  if (card == NULL)
    return;

  if (columns != 0)
    {
      target = (int) pb_card_get_status (card) + columns;
      if (target < 0 || target >= PB_N_STATUSES)
        return;
      pb_board_page_move_card (self, card, target, NULL);
    }
  else
    {
      /* Up: before the previous card. Down: before the card after the next one. */
      g_autoptr(PbCard) neighbour = card_after (self, card, rows < 0 ? -1 : 1);
      g_autoptr(PbCard) before = NULL;

      if (neighbour == NULL)
        return;
      before = rows < 0 ? g_object_ref (neighbour) : card_after (self, card, 2);
      pb_board_page_move_card (self, card, pb_card_get_status (card), before);
    }
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);

  if (g_str_equal (action_name, "board.move-left"))
    move_focused (self, -1, 0);
  else if (g_str_equal (action_name, "board.move-right"))
    move_focused (self, 1, 0);
  else if (g_str_equal (action_name, "board.move-up"))
    move_focused (self, 0, -1);
  else
    move_focused (self, 0, 1);
}

/* Keeps the focus on an item's card, wherever the board put it. */
static void
focus_item (PbBoardPage *self,
            const char  *item_id)
{
  PbCard *card = self->board ? pb_board_lookup (self->board, item_id) : NULL;

  if (card)
    pb_board_column_focus_card (self->columns[pb_card_get_status (card)], card);
}

/* Undoes the last save of the editor: one act of the store that puts back the fields,
 * identifiers and sharing as they were, or takes a new item away again. The store refuses
 * when the item was changed since, and says so. */
static gboolean
undo_edit (PbBoardPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PbUndo) undo = g_steal_pointer (&self->undo_edit);
  g_autofree char *item = g_steal_pointer (&self->undo_edit_item);
  gboolean ok;

  if (undo == NULL)
    return FALSE;

  pb_store_set_purpose (self->store, "undo in the item editor");
  ok = pb_undo_apply (self->store, undo, &error);
  pb_store_set_purpose (self->store, NULL);
  if (!ok)
    {
      show_message (self, error->message);
      return FALSE;
    }

  focus_item (self, item);
  /* The editor shows the item as it is again, or closes when the item is gone. */
  if (g_strcmp0 (pb_item_editor_get_item_id (self->editor), item) == 0
      && !pb_item_editor_edit (self->editor, self->store, item, NULL))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  show_message (self, _("Edit undone"));
  return TRUE;
}

/**
 * pb_board_page_undo:
 *
 * Puts the last moved card back where it was, or undoes the last save of the editor.
 */
gboolean
pb_board_page_undo (PbBoardPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *item = g_steal_pointer (&self->undo_item);
  g_autofree char *before = g_steal_pointer (&self->undo_before);

  if (item == NULL)
    return undo_edit (self);

  if (!pb_store_move_item (self->store, item, self->undo_status, before, NULL, NULL, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }

  focus_item (self, item);
  show_message (self, _("Move undone"));
  return TRUE;
}

static void
undo_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);

  if (g_variant_get_uint32 (param) != self->undo_serial)
    {
      show_message (self, _("Only the last change can be undone"));
      return;
    }
  pb_board_page_undo (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  pb_board_page_undo (PB_BOARD_PAGE (widget));
}


static void
update_summary (PbBoardPage *self)
{
  g_autofree char *summary = NULL;
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->cards));
  guint shown = 0;

  for (guint i = 0; i < PB_N_STATUSES; i++)
    shown += g_list_model_get_n_items (pb_board_column_get_model (self->columns[i]));

  if (shown == all)
    summary = g_strdup_printf (ngettext ("%u item you may see", "%u items you may see", all), all);
  else
    summary = g_strdup_printf (ngettext ("%u of %u item shown", "%u of %u items shown", all), shown, all);
  gtk_label_set_label (self->summary, summary);
}

/**
 * pb_board_page_apply_filter:
 *
 * Narrows every column to the items that match @filter (the board's own filter bar builds
 * one from what is typed and chosen).
 */
gboolean
pb_board_page_apply_filter (PbBoardPage    *self,
                            const PbFilter *filter,
                            GError        **error)
{
  PbItemSet *ids = NULL;

  if (!pb_filter_is_empty (filter))
    {
      ids = pb_store_filter_items (self->store, filter, error);
      if (ids == NULL)
        return FALSE;
    }
  g_clear_pointer (&self->filter_ids, pb_item_set_unref);
  self->filter_ids = ids;
  for (guint i = 0; i < PB_N_STATUSES; i++)
    pb_board_column_set_filter (self->columns[i], ids);
  g_signal_emit (self, signals[SIGNAL_FILTER_CHANGED], 0);
  update_summary (self);
  return TRUE;
}

/* The filter bar changed: the board narrows to what it holds. */
static void
on_filter_changed_cb (PbBoardPage *self)
{
  g_autoptr(GError) error = NULL;
  PbFilter filter;

  if (self->store == NULL)
    return;
  pb_filter_bar_get_filter (self->filter_bar, &filter);
  if (!pb_board_page_apply_filter (self, &filter, &error))
    show_message (self, error->message);
}

static void
on_filter_saved_cb (PbBoardPage *self,
                    const char  *name)
{
  show_message (self, _("Filter saved"));
}

/**
 * pb_board_page_set_settings:
 *
 * Where saved filters are kept; without settings (tests), filters cannot be saved.
 */
void
pb_board_page_set_settings (PbBoardPage *self,
                            GSettings   *settings)
{
  pb_filter_bar_set_settings (self->filter_bar, settings);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);

  gtk_widget_grab_focus (pb_filter_bar_get_search_entry (self->filter_bar));
}

static gboolean
on_card_dropped_cb (PbBoardColumn *column,
                    PbCard        *card,
                    PbCard        *before,
                    PbBoardPage   *self)
{
  if (!self->can_write)
    return FALSE;
  return pb_board_page_move_card (self, card, pb_board_column_get_status (column), before);
}

static void
on_card_activated_cb (PbBoardColumn *column,
                      PbCard        *card,
                      PbBoardPage   *self)
{
  /* While selecting, Enter, Space and a click tick the card instead of opening it. */
  if (self->selecting)
    pb_board_column_set_marked (column, card, !g_hash_table_contains (self->marks, card));
  else
    pb_board_page_open_card (self, card);
}

static void
update_selection (PbBoardPage *self)
{
  guint n = g_hash_table_size (self->marks);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item selected",
                                                        "%u items selected", n), n);

  gtk_label_set_label (self->selection_label, text);
  gtk_action_bar_set_revealed (self->selection_bar, self->selecting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.new-case", self->can_write && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.add-to-case", self->can_write && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.unselect-all", n > 0);
}

static void
on_marks_changed_cb (PbBoardColumn *column,
                     PbBoardPage   *self)
{
  update_selection (self);
}

static void
on_select_toggled_cb (PbBoardPage *self)
{
  self->selecting = gtk_toggle_button_get_active (self->select_toggle);
  if (!self->selecting)
    g_hash_table_remove_all (self->marks);
  for (guint i = 0; i < PB_N_STATUSES; i++)
    if (self->columns[i])
      pb_board_column_set_marks (self->columns[i], self->marks, self->selecting);
  update_selection (self);
}

/**
 * pb_board_page_set_selecting:
 *
 * Starts or ends selection mode; ending it unselects every card.
 */
void
pb_board_page_set_selecting (PbBoardPage *self,
                             gboolean     selecting)
{
  gtk_toggle_button_set_active (self->select_toggle, selecting);
}

/**
 * pb_board_page_get_marked:
 *
 * Returns: (transfer full): the ids of the selected cards, in board order, %NULL-terminated
 */
GStrv
pb_board_page_get_marked (PbBoardPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = self->cards ? g_list_model_get_n_items (G_LIST_MODEL (self->cards)) : 0;
  guint found = 0;

  for (guint i = 0; i < n && found < g_hash_table_size (self->marks); i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (self->cards), i);

      if (g_hash_table_contains (self->marks, card))
        {
          g_strv_builder_add (builder, pb_card_get_id (card));
          found++;
        }
    }
  return g_strv_builder_end (builder);
}

static void
unselect_all_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);

  g_hash_table_remove_all (self->marks);
  on_select_toggled_cb (self);
}

static void
case_done (PbBoardPage *self,
           const char  *case_id,
           const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Show Case"));
  adw_toast_set_action_name (toast, "win.show-case");
  adw_toast_set_action_target_value (toast, g_variant_new_string (case_id));
  adw_toast_overlay_add_toast (self->toasts, toast);
  pb_board_page_set_selecting (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_CASES_CHANGED], 0, case_id);
}

static void
on_new_case_response_cb (PbNewCaseDialog *dialog,
                         const char      *response,
                         PbBoardPage     *self)
{
  g_autofree char *title = pb_new_case_dialog_get_title (dialog);
  g_auto(GStrv) ids = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "create"))
    return;
  ids = pb_board_page_get_marked (self);
  if (!pb_store_create_case (self->store, title, pb_new_case_dialog_get_lead (dialog), (const char * const *) ids,
                             &case_id, &error))
    {
      show_message (self, error->message);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Case “%s” opened with %u item",
                                          "Case “%s” opened with %u items", g_strv_length (ids)),
                             title, g_strv_length (ids));
  case_done (self, case_id, message);
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);
  PbNewCaseDialog *dialog = pb_new_case_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store,
                                                    g_hash_table_size (self->marks));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_case_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_add_to_case_response_cb (PbAddToCaseDialog *dialog,
                            const char        *response,
                            PbBoardPage       *self)
{
  const PbCase *c = pb_add_to_case_dialog_get_case (dialog);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "add") || c == NULL)
    return;
  ids = pb_board_page_get_marked (self);
  if (!pb_store_add_to_case (self->store, c->id, (const char * const *) ids, &error))
    {
      show_message (self, error->message);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item added to “%s”",
                                          "%u items added to “%s”", g_strv_length (ids)),
                             g_strv_length (ids), c->title);
  case_done (self, c->id, message);
}

static void
add_to_case_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PbBoardPage *self = PB_BOARD_PAGE (widget);
  g_autoptr(GError) error = NULL;
  PbAddToCaseDialog *dialog = pb_add_to_case_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store,
                                                         g_hash_table_size (self->marks), &error);

  if (dialog == NULL)
    {
      show_message (self, error->message);
      return;
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_to_case_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pb_board_page_open_card (PbBoardPage *self,
                         PbCard      *card)
{
  g_autoptr(GError) error = NULL;

  if (!pb_item_editor_edit (self->editor, self->store, card ? pb_card_get_id (card) : NULL, &error))
    {
      show_message (self, error->message);
      return;
    }
  adw_flap_set_reveal_flap (self->flap, TRUE);
  pb_item_editor_focus (self->editor);
  g_signal_emit (self, signals[SIGNAL_ITEM_OPENED], 0, card ? pb_card_get_id (card) : NULL);
}

/**
 * pb_board_page_open_item:
 *
 * Shows an item's card in its column, with the focus, and opens it in the editor.
 */
void
pb_board_page_open_item (PbBoardPage *self,
                         const char  *item_id)
{
  guint n = self->cards ? g_list_model_get_n_items (G_LIST_MODEL (self->cards)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PbCard) card = g_list_model_get_item (G_LIST_MODEL (self->cards), i);

      if (g_str_equal (pb_card_get_id (card), item_id))
        {
          pb_board_column_focus_card (self->columns[pb_card_get_status (card)], card);
          pb_board_page_open_card (self, card);
          return;
        }
    }
  show_message (self, _("The item is not on your board"));
}

/**
 * pb_board_page_get_filter:
 *
 * Returns: (transfer none) (nullable): the items the board is narrowed to, or %NULL
 */
PbItemSet *
pb_board_page_get_filter (PbBoardPage *self)
{
  return self->filter_ids;
}

/**
 * pb_board_page_new_item_at:
 *
 * A new item in the editor, at a place (from the map).
 */
void
pb_board_page_new_item_at (PbBoardPage *self,
                           double       lat,
                           double       lon)
{
  if (!self->can_write)
    return;
  pb_board_page_open_card (self, NULL);
  pb_item_editor_set_location (self->editor, lat, lon);
}

PbItemEditor *
pb_board_page_get_editor (PbBoardPage *self)
{
  return self->editor;
}

static void
new_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  pb_board_page_open_card (PB_BOARD_PAGE (widget), NULL);
}

static void
on_editor_saved_cb (PbItemEditor *editor,
                    const char   *item_id,
                    gboolean      created,
                    PbBoardPage  *self)
{
  /* The board shows the saved item already (the store said what changed). The save is
   * what Ctrl+Z undoes now. */
  g_clear_pointer (&self->undo_item, g_free);
  g_clear_pointer (&self->undo_before, g_free);
  g_clear_pointer (&self->undo_edit, pb_undo_free);
  g_free (self->undo_edit_item);
  self->undo_edit_item = g_strdup (item_id);
  self->undo_edit = pb_item_editor_take_undo (editor);
  show_undo_toast (self, created ? _("Item saved") : _("Changes saved"), self->undo_edit != NULL);
}

static void
on_editor_open_item_cb (PbItemEditor *editor,
                        const char   *item_id,
                        PbBoardPage  *self)
{
  pb_board_page_open_item (self, item_id);
}

static void
on_editor_closed_cb (PbItemEditor *editor,
                     PbBoardPage  *self)
{
  adw_flap_set_reveal_flap (self->flap, FALSE);
}


static void
on_column_changed_cb (GListModel  *model,
                      guint        position,
                      guint        removed,
                      guint        added,
                      PbBoardPage *self)
{
  update_summary (self);
}

/* The columns of a new board: each shows one of its lists; Closed, hidden at first, sits
 * apart from the open ones, which share the width equally. */
static void
build_columns (PbBoardPage *self)
{
  GListStore *lists = g_list_store_new (G_TYPE_LIST_MODEL);
  GtkWidget *open_columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))))
    gtk_box_remove (self->columns_box, child);
  for (guint i = 0; i < PB_N_STATUSES; i++)
    g_list_store_append (lists, pb_board_get_column (self->board, i));
  g_clear_object (&self->cards);
  self->cards = gtk_flatten_list_model_new (G_LIST_MODEL (lists));

  gtk_box_set_homogeneous (GTK_BOX (open_columns), TRUE);
  gtk_widget_set_hexpand (open_columns, TRUE);
  gtk_box_append (self->columns_box, open_columns);
  for (guint i = 0; i < PB_N_STATUSES; i++)
    {
      self->columns[i] = pb_board_column_new (self->board, i);
      g_signal_connect_object (self->columns[i], "card-activated",
                               G_CALLBACK (on_card_activated_cb), self, G_CONNECT_DEFAULT);
      g_signal_connect_object (self->columns[i], "card-dropped",
                               G_CALLBACK (on_card_dropped_cb), self, G_CONNECT_DEFAULT);
      g_signal_connect_object (self->columns[i], "marks-changed",
                               G_CALLBACK (on_marks_changed_cb), self, G_CONNECT_DEFAULT);
      g_signal_connect_object (pb_board_column_get_model (self->columns[i]), "items-changed",
                               G_CALLBACK (on_column_changed_cb), self, G_CONNECT_DEFAULT);
      pb_board_column_set_marks (self->columns[i], self->marks, self->selecting);
      if (i == PB_STATUS_CLOSED)
        {
          gtk_box_append (self->columns_box, GTK_WIDGET (self->columns[i]));
          pb_board_column_set_collapsible (self->columns[i], TRUE);
        }
      else
        gtk_box_append (GTK_BOX (open_columns), GTK_WIDGET (self->columns[i]));
    }
}

/* Partners read: the moves are disabled, not only refused by the store. Selecting is for
 * making cases, which they cannot either. */
static void
update_write_actions (PbBoardPage *self)
{
  const char *actions[] = { "board.move-left", "board.move-right", "board.move-up",
                            "board.move-down", "board.undo", "board.undo-toast", "board.new-item" };

  self->can_write = self->context && pb_context_get_can_write (self->context);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], self->can_write);
  gtk_widget_set_sensitive (GTK_WIDGET (self->select_toggle), self->can_write);
  update_selection (self);
}

/**
 * pb_board_page_load:
 *
 * Shows the board of the person signed in, as @context says. From then on the board
 * follows the store (PbBoard) and the page follows the context: nothing is read again by
 * hand.
 */
gboolean
pb_board_page_load (PbBoardPage *self,
                    PbContext   *context,
                    GError     **error)
{
  PbStore *store = pb_context_get_store (context);

  g_return_val_if_fail (PB_IS_BOARD_PAGE (self), FALSE);

  if (self->context != context)
    {
      if (self->context)
        g_signal_handlers_disconnect_by_data (self->context, self);
      g_set_object (&self->context, context);
      g_signal_connect_swapped (context, "notify::can-write", G_CALLBACK (update_write_actions), self);
      pb_item_editor_set_context (self->editor, context);
    }
  g_set_object (&self->store, store);
  if (self->board == NULL || pb_board_get_store (self->board) != store)
    {
      g_clear_object (&self->board);
      self->board = pb_board_new (store);
      build_columns (self);
    }
  if (!pb_board_load (self->board, error))
    return FALSE;
  update_org_css (self);
  update_write_actions (self);
  /* The cards are new: nothing of the last session stays selected. */
  pb_board_page_set_selecting (self, FALSE);
  g_hash_table_remove_all (self->marks);

  pb_filter_bar_load (self->filter_bar, store);
  g_clear_pointer (&self->filter_ids, pb_item_set_unref);
  on_filter_changed_cb (self);
  update_summary (self);
  update_selection (self);
  return TRUE;
}

/* The board model the page shows. */
PbBoard *
pb_board_page_get_board (PbBoardPage *self)
{
  return self->board;
}

GListModel *
pb_board_page_get_cards (PbBoardPage *self)
{
  return self->cards ? G_LIST_MODEL (self->cards) : NULL;
}

GListModel *
pb_board_page_get_column (PbBoardPage *self,
                          PbStatus     status)
{
  g_return_val_if_fail (status < PB_N_STATUSES, NULL);
  return self->columns[status] ? pb_board_column_get_model (self->columns[status]) : NULL;
}

static void
pb_board_page_dispose (GObject *object)
{
  PbBoardPage *self = PB_BOARD_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_BOARD_PAGE);
  /* The template's root box has no id, so dispose_template leaves it to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  if (self->org_css)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->org_css));
  g_clear_object (&self->org_css);
  g_clear_object (&self->cards);
  g_clear_object (&self->board);
  if (self->context)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_pointer (&self->filter_ids, pb_item_set_unref);
  g_clear_pointer (&self->undo_item, g_free);
  g_clear_pointer (&self->undo_before, g_free);
  g_clear_pointer (&self->undo_edit, pb_undo_free);
  g_clear_pointer (&self->undo_edit_item, g_free);
  g_clear_pointer (&self->marks, g_hash_table_unref);

  G_OBJECT_CLASS (pb_board_page_parent_class)->dispose (object);
}

static void
pb_board_page_class_init (PbBoardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_board_page_dispose;

  g_type_ensure (PB_TYPE_ITEM_EDITOR);
  g_type_ensure (PB_TYPE_FILTER_BAR);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-board-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, columns_box);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, flap);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_closed_cb);
  gtk_widget_class_install_action (widget_class, "board.new-item", NULL, new_item_action);

  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, filter_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_open_item_cb);
  gtk_widget_class_install_action (widget_class, "board.search", NULL, search_action);


  gtk_widget_class_install_action (widget_class, "board.move-left", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "board.move-right", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "board.move-up", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "board.move-down", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "board.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "board.undo-toast", "u", undo_toast_action);
  gtk_widget_class_install_action (widget_class, "board.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "board.add-to-case", NULL, add_to_case_action);
  gtk_widget_class_install_action (widget_class, "board.unselect-all", NULL, unselect_all_action);

  /* An item was opened in the editor: its id (NULL for a new one). */
  signals[SIGNAL_ITEM_OPENED] =
    g_signal_new ("item-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /* The board was narrowed or widened: pb_board_page_get_filter() tells to what. */
  signals[SIGNAL_FILTER_CHANGED] =
    g_signal_new ("filter-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A case was opened or items were added to one: its id. */
  signals[SIGNAL_CASES_CHANGED] =
    g_signal_new ("cases-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "board.move-left", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "board.move-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "board.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "board.move-down", NULL);

  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, summary);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, select_toggle);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, PbBoardPage, selection_label);
  gtk_widget_class_bind_template_callback (widget_class, on_select_toggled_cb);
}

static void
pb_board_page_init (PbBoardPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  const struct { guint key; const char *action; } global[] = {
    { GDK_KEY_f, "board.search" }, { GDK_KEY_n, "board.new-item" }, { GDK_KEY_z, "board.undo" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->marks = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  update_selection (self);

  /* Ctrl+F, Ctrl+N and Ctrl+Z work wherever the focus is in the window; the Alt+arrow
   * moves are bindings of the board, as they act on its focused card. */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (global); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (global[i].key, GDK_CONTROL_MASK),
                                                            gtk_named_action_new (global[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* The bar of the board's filters: search, quick filters, the Filters menu, saved ones. */
PbFilterBar *
pb_board_page_get_filter_bar (PbBoardPage *self)
{
  return self->filter_bar;
}
