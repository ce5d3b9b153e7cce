/* pb-item-editor.c: the side panel where an item is written and changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor composes its panels (as gnome-text-editor composes its window): the details
 * tab holds the conflicts of concurrent edits (PbItemEditorConflicts), the report and its
 * handling (PbItemEditorDetails), place, time and sharing (PbItemEditorPlace) and the
 * identifiers (PbItemEditorIdentifiers); the Links and History tabs are
 * PbItemEditorLinks and PbItemEditorHistory. Saving collects what was typed in every panel
 * into one PbItemEdit and hands it to the store, which saves it as one act and says what
 * undoes it (pb_item_editor_take_undo()). The handling code must be chosen before the
 * first save; partners see the form read-only. editor.save and editor.close are the
 * header's commands.
 */

#define G_LOG_DOMAIN "pb-item-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-item-editor.h"
#include "pb-item-editor-conflicts.h"
#include "pb-item-editor-requests.h"
#include "pb-item-editor-details.h"
#include "pb-item-editor-history.h"
#include "pb-item-editor-identifiers.h"
#include "pb-item-editor-links.h"
#include "pb-item-editor-place.h"

struct _PbItemEditor
{
  GtkWidget                parent_instance;

  PbStore                 *store;
  PbContext               *context;
  char                    *item_id;     /* NULL for a new item */
  gboolean                 read_only;
  gboolean                 can_save;
  PbUndo                  *undo;        /* what undoes the last save */

  /* Template widgets */
  GtkLabel                *heading;
  GtkStack                *stack;
  PbItemEditorConflicts   *conflicts;
  PbItemEditorRequests    *requests;
  PbItemEditorDetails     *details;
  PbItemEditorPlace       *place;
  PbItemEditorIdentifiers *identifiers;
  GtkLabel                *message;
  PbItemEditorLinks       *links;
  PbItemEditorHistory     *history;
};

G_DEFINE_FINAL_TYPE (PbItemEditor, pb_item_editor, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SAVED,
  SIGNAL_CLOSED,
  SIGNAL_OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Whether the item can be saved, and if not, why (under the form). */
static void
update_state (PbItemEditor *self)
{
  const char *hint = NULL;

  if (self->read_only)
    hint = _("Partners have read-only access.");
  else if ((hint = pb_item_editor_details_get_problem (self->details)) == NULL)
    hint = pb_item_editor_place_get_problem (self->place);

  gtk_label_set_label (self->message, hint ? hint : "");
  self->can_save = self->store && hint == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->can_save);
}

static void
on_form_changed_cb (PbItemEditor *self)
{
  update_state (self);
}

/* A concurrent edit was settled: the item as it is now; taking the other text changed it,
 * and the board hears of it as of a save (there is no undo for it). */
static void
on_conflict_resolved_cb (PbItemEditorConflicts *conflicts,
                         gboolean               taken,
                         PbItemEditor          *self)
{
  g_autofree char *item = g_strdup (self->item_id);

  if (item == NULL)
    return;
  pb_item_editor_edit (self, self->store, item, NULL);
  if (taken)
    {
      g_clear_pointer (&self->undo, pb_undo_free);
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, item, FALSE);
    }
}

static void
on_link_failed_cb (PbItemEditorLinks *links,
                   const char        *message,
                   PbItemEditor      *self)
{
  gtk_label_set_label (self->message, message);
}

static void
on_open_item_cb (PbItemEditorLinks *links,
                 const char        *item_id,
                 PbItemEditor      *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_ITEM], 0, item_id);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PbItemEditor *self = PB_ITEM_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (!pb_item_editor_save (self, &error))
    gtk_label_set_label (self->message, error->message);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_CLOSED], 0);
}

static void
pb_item_editor_dispose (GObject *object)
{
  PbItemEditor *self = PB_ITEM_EDITOR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->context);
  g_clear_pointer (&self->undo, pb_undo_free);

  G_OBJECT_CLASS (pb_item_editor_parent_class)->dispose (object);
}

static void
pb_item_editor_finalize (GObject *object)
{
  PbItemEditor *self = PB_ITEM_EDITOR (object);

  g_free (self->item_id);

  G_OBJECT_CLASS (pb_item_editor_parent_class)->finalize (object);
}

static void
pb_item_editor_class_init (PbItemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pb_item_editor_dispose;
  object_class->finalize = pb_item_editor_finalize;

  /* The item was saved: its id, and whether it is new. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  /* A linked item was activated: its id. */
  signals[SIGNAL_OPEN_ITEM] = g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PB_TYPE_ITEM_EDITOR_CONFLICTS);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_DETAILS);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_HISTORY);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_IDENTIFIERS);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_LINKS);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_PLACE);
  g_type_ensure (PB_TYPE_ITEM_EDITOR_REQUESTS);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, heading);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, conflicts);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, requests);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, details);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, place);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, identifiers);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, message);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, links);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditor, history);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_conflict_resolved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_link_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_item_cb);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.close", NULL, close_action);
}

static void
pb_item_editor_init (PbItemEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", FALSE);
}

/**
 * pb_item_editor_edit:
 * @item_id: (nullable): the item to edit, or %NULL for a new one
 *
 * Fills the form. Opening an existing item is recorded in the access log.
 */
gboolean
pb_item_editor_edit (PbItemEditor *self,
                     PbStore      *store,
                     const char   *item_id,
                     GError      **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) orgs = NULL;
  g_autofree char *id = g_strdup (item_id);

  if (id)
    {
      fields = pb_store_open_item (store, id, error);
      if (fields == NULL)
        return FALSE;
    }

  g_set_object (&self->store, store);
  g_free (self->item_id);
  self->item_id = g_steal_pointer (&id);
  self->read_only = self->context == NULL || !pb_context_get_can_write (self->context);
  orgs = pb_store_list_organisations (store, NULL);

  gtk_label_set_label (self->heading, self->item_id ? _("Item") : _("New Item"));
  pb_item_editor_details_load (self->details, store, fields, orgs);
  pb_item_editor_details_set_read_only (self->details, self->read_only);
  pb_item_editor_place_load (self->place, store, self->item_id, fields, orgs);
  pb_item_editor_place_set_read_only (self->place, self->read_only);
  pb_item_editor_identifiers_set_read_only (self->identifiers, self->read_only);
  pb_item_editor_identifiers_load (self->identifiers, store, self->item_id);
  pb_item_editor_history_show (self->history, store, self->item_id);
  pb_item_editor_links_show (self->links, store, self->item_id, self->read_only);

  gtk_stack_page_set_visible (gtk_stack_get_page (self->stack, gtk_stack_get_child_by_name (self->stack, "history")),
                              self->item_id != NULL);
  gtk_stack_set_visible_child_name (self->stack, "details");
  update_state (self);
  pb_item_editor_conflicts_show (self->conflicts, store, self->item_id, self->read_only);
  pb_item_editor_requests_show (self->requests, store, self->item_id,
                                fields ? g_hash_table_lookup (fields, "source_org") : NULL, self->read_only);
  return TRUE;
}

/**
 * pb_item_editor_save:
 *
 * Saves what the form holds (the item, the identifiers added and removed, the sharing) as
 * one act of the store, which says what undoes it.
 */
gboolean
pb_item_editor_save (PbItemEditor *self,
                     GError      **error)
{
  g_autoptr(PbItemEdit) edit = NULL;
  g_autoptr(PbUndo) undo = NULL;
  g_autofree char *id = NULL;
  gboolean was_new = self->item_id == NULL;
  gboolean ok;

  if (!self->can_save)
    {
      g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, gtk_label_get_label (self->message));
      return FALSE;
    }

  edit = pb_item_edit_new (self->item_id);
  pb_item_editor_details_collect (self->details, pb_item_edit_get_fields (edit));
  pb_item_editor_place_collect (self->place, edit);
  pb_item_editor_identifiers_collect (self->identifiers, edit);

  pb_store_set_purpose (self->store, "item editor");
  ok = pb_store_save_item (self->store, edit, &id, &undo, error);
  pb_store_set_purpose (self->store, NULL);
  if (!ok)
    return FALSE;

  g_clear_pointer (&self->undo, pb_undo_free);
  self->undo = g_steal_pointer (&undo);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id, was_new);
  /* Keep editing the saved item, with its identifiers and history as stored now. */
  pb_item_editor_edit (self, self->store, id, NULL);
  return TRUE;
}

/**
 * pb_item_editor_take_undo:
 *
 * Returns: (transfer full) (nullable): what undoes the last save (for a new item: its
 *   removal), or %NULL
 */
PbUndo *
pb_item_editor_take_undo (PbItemEditor *self)
{
  return g_steal_pointer (&self->undo);
}

const char *
pb_item_editor_get_item_id (PbItemEditor *self)
{
  return self->item_id;
}

void
pb_item_editor_set_title (PbItemEditor *self,
                          const char   *title)
{
  pb_item_editor_details_set_title (self->details, title);
}

/**
 * pb_item_editor_set_location:
 *
 * Puts a location in the form (as typed: the terminal is found from it).
 */
void
pb_item_editor_set_location (PbItemEditor *self,
                             double        lat,
                             double        lon)
{
  pb_item_editor_place_set_location (self->place, lat, lon);
}

const char *
pb_item_editor_get_terminal (PbItemEditor *self)
{
  return pb_item_editor_place_get_terminal (self->place);
}

void
pb_item_editor_set_tlp (PbItemEditor *self,
                        int           tlp)
{
  pb_item_editor_details_set_tlp (self->details, tlp);
}

void
pb_item_editor_type_identifier (PbItemEditor     *self,
                                PbIdentifierKind  kind,
                                const char       *value,
                                gboolean          known_invalid)
{
  pb_item_editor_identifiers_type (self->identifiers, kind, value, known_invalid);
}

gboolean
pb_item_editor_add_identifier (PbItemEditor *self)
{
  return pb_item_editor_identifiers_add (self->identifiers);
}

const char *
pb_item_editor_get_validation (PbItemEditor *self)
{
  return pb_item_editor_identifiers_get_validation (self->identifiers);
}

gboolean
pb_item_editor_can_save (PbItemEditor *self)
{
  return self->can_save;
}

guint
pb_item_editor_get_history_length (PbItemEditor *self)
{
  return pb_item_editor_history_get_length (self->history);
}

/* Puts the keyboard in the title, where a report starts. */
void
pb_item_editor_focus (PbItemEditor *self)
{
  pb_item_editor_details_focus (self->details);
}

/**
 * pb_item_editor_set_context:
 *
 * Who edits: the editor is read-only for those who may not write (partners).
 */
void
pb_item_editor_set_context (PbItemEditor *self,
                            PbContext    *context)
{
  g_return_if_fail (PB_IS_ITEM_EDITOR (self));

  g_set_object (&self->context, context);
}
