/* pb-meeting-decide-dialog.c: the consultation decides on an agenda entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outcome (dismiss, monitor, assign a lead, link to a case, open a case, share), the
 * lead organisation, a new priority and handling code, the organisations to share with, a
 * note for the minutes and the actions decided (owner, what, when). The case to link to is
 * asked for when linking, the new case's title when opening one. The page that opened the
 * dialog records the decision (pb_meeting_decide()) when the dialog answers "decide".
 */

#define G_LOG_DOMAIN "pb-meeting-decide-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pb-meeting-decide-dialog.h"

/* The choices of the priority and handling code drop-downs; the first: unchanged. */
static const char *const priorities[] = { NULL, "low", "normal", "high", "urgent" };
static const char *const tlps[] = { NULL, "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED" };

typedef struct
{
  GtkDropDown *owner;
  GtkEditable *what;
  GtkEditable *due;
} ActionRow;

typedef struct
{
  char           *org;
  GtkCheckButton *check;
} ShareCheck;

struct _PbMeetingDecideDialog
{
  AdwMessageDialog  parent_instance;

  char             *meeting_id;
  char             *item_id;
  GtkStringList    *org_names;  /* of the lead and owner choices: the first is "none" */
  GPtrArray        *org_ids;    /* their ids, "" first */
  GPtrArray        *case_ids;   /* of the case choice */
  GArray           *shares;     /* ShareCheck */
  GArray           *action_rows;/* ActionRow */

  /* What get_spec() hands out, kept until it is asked again. */
  GPtrArray        *spec_shares;
  GArray           *spec_actions;

  /* Template widgets */
  GtkDropDown      *outcome_choice;
  GtkDropDown      *case_choice;
  GtkEditable      *case_title_entry;
  GtkDropDown      *lead_choice;
  GtkDropDown      *priority_choice;
  GtkDropDown      *tlp_choice;
  GtkFlowBox       *share_box;
  GtkEditable      *note_entry;
  GtkBox           *actions_box;
};

G_DEFINE_FINAL_TYPE (PbMeetingDecideDialog, pb_meeting_decide_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
share_check_clear (ShareCheck *share)
{
  g_free (share->org);
}

/* An organisation chosen in a lead or owner choice, or %NULL for "none". */
static const char *
chosen_org (PbMeetingDecideDialog *self,
            GtkDropDown           *choice)
{
  guint i = gtk_drop_down_get_selected (choice);

  return i > 0 && i < self->org_ids->len ? self->org_ids->pdata[i] : NULL;
}

/* The names of the lead and owner choices, @none first. */
static GListModel *
org_names (PbMeetingDecideDialog *self,
           const char            *none)
{
  GtkStringList *names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, none);
  for (guint i = 1; i < self->org_ids->len; i++)
    gtk_string_list_append (names, gtk_string_list_get_string (self->org_names, i));
  return G_LIST_MODEL (names);
}

static void
add_action_row (PbMeetingDecideDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  ActionRow row = { GTK_DROP_DOWN (gtk_drop_down_new (org_names (self, _("Owner")), NULL)),
                    GTK_EDITABLE (gtk_entry_new ()), GTK_EDITABLE (gtk_entry_new ()) };

  gtk_accessible_update_property (GTK_ACCESSIBLE (row.owner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Organisation that owns the action"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (row.what), _("What is to be done"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.what), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Action"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (row.what), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (row.due), _("YYYY-MM-DD"));
  gtk_editable_set_width_chars (row.due, 11);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.due), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Due date"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row.owner));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row.what));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row.due));
  gtk_box_append (self->actions_box, box);
  g_array_append_val (self->action_rows, row);
}

static void
add_action_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  add_action_row (PB_MEETING_DECIDE_DIALOG (widget));
}

/* The case to link to when linking, the new case's title when opening one. */
static void
on_outcome_changed_cb (PbMeetingDecideDialog *self)
{
  PbOutcome outcome = (PbOutcome) gtk_drop_down_get_selected (self->outcome_choice);

  gtk_widget_set_visible (GTK_WIDGET (self->case_choice), outcome == PB_OUTCOME_LINK_CASE);
  gtk_widget_set_visible (GTK_WIDGET (self->case_title_entry), outcome == PB_OUTCOME_OPEN_CASE);
}

static void
pb_meeting_decide_dialog_dispose (GObject *object)
{
  PbMeetingDecideDialog *self = PB_MEETING_DECIDE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_MEETING_DECIDE_DIALOG);
  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_object (&self->org_names);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);
  g_clear_pointer (&self->case_ids, g_ptr_array_unref);
  g_clear_pointer (&self->shares, g_array_unref);
  g_clear_pointer (&self->action_rows, g_array_unref);
  g_clear_pointer (&self->spec_shares, g_ptr_array_unref);
  g_clear_pointer (&self->spec_actions, g_array_unref);

  G_OBJECT_CLASS (pb_meeting_decide_dialog_parent_class)->dispose (object);
}

static void
pb_meeting_decide_dialog_class_init (PbMeetingDecideDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_meeting_decide_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-meeting-decide-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, outcome_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, case_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, case_title_entry);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, lead_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, priority_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, tlp_choice);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, share_box);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, note_entry);
  gtk_widget_class_bind_template_child (widget_class, PbMeetingDecideDialog, actions_box);
  gtk_widget_class_bind_template_callback (widget_class, on_outcome_changed_cb);

  gtk_widget_class_install_action (widget_class, "decide.add-action", NULL, add_action_action);
}

static void
pb_meeting_decide_dialog_init (PbMeetingDecideDialog *self)
{
  self->org_names = gtk_string_list_new (NULL);
  self->org_ids = g_ptr_array_new_with_free_func (g_free);
  self->case_ids = g_ptr_array_new_with_free_func (g_free);
  self->shares = g_array_new (FALSE, TRUE, sizeof (ShareCheck));
  g_array_set_clear_func (self->shares, (GDestroyNotify) share_check_clear);
  self->action_rows = g_array_new (FALSE, TRUE, sizeof (ActionRow));
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The choices that do not depend on the store. */
static void
fill_fixed_choices (PbMeetingDecideDialog *self)
{
  g_autoptr(GtkStringList) outcomes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) priority_list = NULL;
  g_autoptr(GtkStringList) tlp_list = NULL;
  const char *priority_names[G_N_ELEMENTS (priorities) + 1] = { NULL };
  const char *tlp_names[] = { NULL, "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED", NULL };

  for (guint i = 0; i < PB_N_OUTCOMES; i++)
    gtk_string_list_append (outcomes, pb_outcome_label ((PbOutcome) i));
  gtk_drop_down_set_model (self->outcome_choice, G_LIST_MODEL (outcomes));
  gtk_drop_down_set_selected (self->outcome_choice, PB_OUTCOME_ASSIGN_LEAD);
  priority_names[0] = _("Priority unchanged");
  for (guint i = 0; i < PB_N_PRIORITIES && i + 1 < G_N_ELEMENTS (priorities); i++)
    priority_names[i + 1] = pb_priority_label ((PbPriority) i);
  priority_list = gtk_string_list_new (priority_names);
  gtk_drop_down_set_model (self->priority_choice, G_LIST_MODEL (priority_list));
  tlp_names[0] = _("Handling code unchanged");
  tlp_list = gtk_string_list_new (tlp_names);
  gtk_drop_down_set_model (self->tlp_choice, G_LIST_MODEL (tlp_list));
}

/* The organisations: to lead, to own actions, to share with (not the item's own). */
static void
fill_orgs (PbMeetingDecideDialog *self,
           PbStore               *store,
           PbCard                *card)
{
  g_autoptr(GPtrArray) orgs = pb_store_list_organisations (store, NULL);
  g_autoptr(GListModel) lead_names = NULL;

  g_ptr_array_add (self->org_ids, g_strdup (""));
  gtk_string_list_append (self->org_names, "");
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *o = orgs->pdata[i];
      ShareCheck share;

      g_ptr_array_add (self->org_ids, g_strdup (o->id));
      gtk_string_list_append (self->org_names, o->name);
      if (g_strcmp0 (o->id, pb_card_get_source_org (card)) == 0)
        continue;
      share.org = g_strdup (o->id);
      share.check = GTK_CHECK_BUTTON (gtk_check_button_new_with_label (o->short_code));
      gtk_widget_set_tooltip_text (GTK_WIDGET (share.check), o->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (share.check), GTK_ACCESSIBLE_PROPERTY_LABEL, o->name, -1);
      gtk_flow_box_append (self->share_box, GTK_WIDGET (share.check));
      g_array_append_val (self->shares, share);
    }
  lead_names = org_names (self, _("No lead decided"));
  gtk_drop_down_set_model (self->lead_choice, lead_names);
}

/* The open cases, to link to. */
static void
fill_cases (PbMeetingDecideDialog *self,
            PbStore               *store)
{
  g_autoptr(GPtrArray) cases = pb_store_list_cases (store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; cases && i < cases->len; i++)
    {
      PbCase *c = cases->pdata[i];

      if (c->closed)
        continue;
      gtk_string_list_append (names, c->title);
      g_ptr_array_add (self->case_ids, g_strdup (c->id));
    }
  gtk_drop_down_set_model (self->case_choice, G_LIST_MODEL (names));
}

/**
 * pb_meeting_decide_dialog_new:
 * @entry: the entry decided on; its item must be one the chair may see
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
PbMeetingDecideDialog *
pb_meeting_decide_dialog_new (GtkWindow           *parent,
                              PbStore             *store,
                              const char          *meeting_id,
                              const PbAgendaEntry *entry)
{
  PbMeetingDecideDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (entry != NULL && entry->card != NULL, NULL);

  self = g_object_new (PB_TYPE_MEETING_DECIDE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->meeting_id = g_strdup (meeting_id);
  self->item_id = g_strdup (entry->item);
  fill_fixed_choices (self);
  fill_orgs (self, store, entry->card);
  fill_cases (self, store);
  add_action_row (self);
  on_outcome_changed_cb (self);
  body = g_strdup_printf (_("“%s”. The decision is dated, attributed to this meeting and applied to the item."),
                          pb_card_get_title (entry->card));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  return self;
}

const char *
pb_meeting_decide_dialog_get_meeting (PbMeetingDecideDialog *self)
{
  g_return_val_if_fail (PB_IS_MEETING_DECIDE_DIALOG (self), NULL);

  return self->meeting_id;
}

const char *
pb_meeting_decide_dialog_get_item (PbMeetingDecideDialog *self)
{
  g_return_val_if_fail (PB_IS_MEETING_DECIDE_DIALOG (self), NULL);

  return self->item_id;
}

/* The actions filled in: a row left empty is none. */
static void
collect_actions (PbMeetingDecideDialog *self)
{
  g_clear_pointer (&self->spec_actions, g_array_unref);
  self->spec_actions = g_array_new (FALSE, TRUE, sizeof (PbActionSpec));
  for (guint i = 0; i < self->action_rows->len; i++)
    {
      const ActionRow *row = &g_array_index (self->action_rows, ActionRow, i);
      const char *owner = chosen_org (self, row->owner);
      const char *what = gtk_editable_get_text (row->what);
      const char *due = gtk_editable_get_text (row->due);
      PbActionSpec action = { owner ? owner : "", what, *due ? due : NULL };

      if (*what == '\0' && owner == NULL && *due == '\0')
        continue;
      g_array_append_val (self->spec_actions, action);
    }
}

/**
 * pb_meeting_decide_dialog_get_spec:
 * @spec: (out caller-allocates): what the dialog says is decided; its strings and arrays
 *   are the dialog's, valid while it lives and until this is asked again
 */
void
pb_meeting_decide_dialog_get_spec (PbMeetingDecideDialog *self,
                                   PbDecisionSpec        *spec)
{
  guint chosen_case = gtk_drop_down_get_selected (self->case_choice);

  g_return_if_fail (PB_IS_MEETING_DECIDE_DIALOG (self));

  memset (spec, 0, sizeof *spec);
  spec->outcome = (PbOutcome) gtk_drop_down_get_selected (self->outcome_choice);
  spec->lead_org = chosen_org (self, self->lead_choice);
  spec->priority = priorities[MIN (gtk_drop_down_get_selected (self->priority_choice), G_N_ELEMENTS (priorities) - 1)];
  spec->tlp = tlps[MIN (gtk_drop_down_get_selected (self->tlp_choice), G_N_ELEMENTS (tlps) - 1)];
  if (spec->outcome == PB_OUTCOME_LINK_CASE && chosen_case < self->case_ids->len)
    spec->case_id = self->case_ids->pdata[chosen_case];
  if (spec->outcome == PB_OUTCOME_OPEN_CASE)
    spec->case_title = gtk_editable_get_text (self->case_title_entry);
  spec->note = gtk_editable_get_text (self->note_entry);

  g_clear_pointer (&self->spec_shares, g_ptr_array_unref);
  self->spec_shares = g_ptr_array_new ();
  for (guint i = 0; i < self->shares->len; i++)
    if (gtk_check_button_get_active (g_array_index (self->shares, ShareCheck, i).check))
      g_ptr_array_add (self->spec_shares, g_array_index (self->shares, ShareCheck, i).org);
  g_ptr_array_add (self->spec_shares, NULL);
  spec->share_orgs = (const char * const *) self->spec_shares->pdata;

  collect_actions (self);
  spec->actions = (const PbActionSpec *) (void *) self->spec_actions->data;
  spec->n_actions = self->spec_actions->len;
}
