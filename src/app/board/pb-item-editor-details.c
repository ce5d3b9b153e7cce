/* pb-item-editor-details.c: the report and its handling, in the item editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The title and report text, the handling code (to choose before the first save), the
 * grading of source and information, and the triage: priority, lead organisation, due
 * date and case. "changed" says that what decides whether the item can be saved changed.
 */

#define G_LOG_DOMAIN "pb-item-editor-details"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pb-item-editor-details.h"

struct _PbItemEditorDetails
{
  GtkWidget    parent_instance;

  GPtrArray   *org_ids;       /* lead organisation choices, index 0 = none */
  GPtrArray   *case_ids;      /* case choices, index 0 = none */

  /* Template widgets */
  AdwEntryRow *title_row;
  GtkTextView *body_view;
  AdwComboRow *tlp_row;
  gboolean     may_relabel;   /* the rulebook lets the person change the handling code */
  AdwComboRow *reliability_row;
  AdwComboRow *credibility_row;
  AdwComboRow *priority_row;
  AdwComboRow *lead_row;
  AdwEntryRow *due_row;
  AdwComboRow *case_row;
};

G_DEFINE_FINAL_TYPE (PbItemEditorDetails, pb_item_editor_details, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *grades_reliability[] = { "A", "B", "C", "D", "E", "F" };
static const char *grades_credibility[] = { "1", "2", "3", "4", "5", "6" };

static GtkStringList *
string_list (const char  *first,
             const char **rest,
             guint        n_rest)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  if (first)
    gtk_string_list_append (list, first);
  for (guint i = 0; i < n_rest; i++)
    gtk_string_list_append (list, rest[i]);
  return list;
}

static gboolean
due_date_ok (const char *text)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  iso = g_strconcat (text, "T00:00:00Z", NULL);
  return strlen (text) == 10 && (dt = g_date_time_new_from_iso8601 (iso, NULL)) != NULL;
}

static void
select_string (AdwComboRow *row,
               const char  *value,
               const char **choices,
               guint        n)
{
  adw_combo_row_set_selected (row, 0);
  for (guint i = 0; value && i < n; i++)
    if (g_str_equal (choices[i], value))
      adw_combo_row_set_selected (row, i + 1);
}

/* Text as typed, without the spaces around it; nothing left is no value. */
static void
set_text_field (PbRecord   *record,
                const char *field,
                const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));

  if (*copy)
    pb_record_set_string (record, field, copy);
  else
    pb_record_set_null (record, field);
}

static void
on_changed_cb (PbItemEditorDetails *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
pb_item_editor_details_dispose (GObject *object)
{
  PbItemEditorDetails *self = PB_ITEM_EDITOR_DETAILS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PB_TYPE_ITEM_EDITOR_DETAILS);
  /* What the template put in goes with it, bound to a field or not (the outer box). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->org_ids, g_ptr_array_unref);
  g_clear_pointer (&self->case_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pb_item_editor_details_parent_class)->dispose (object);
}

static void
pb_item_editor_details_class_init (PbItemEditorDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pb_item_editor_details_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/board/pb-item-editor-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, title_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, body_view);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, tlp_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, reliability_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, credibility_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, priority_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, lead_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, due_row);
  gtk_widget_class_bind_template_child (widget_class, PbItemEditorDetails, case_row);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
pb_item_editor_details_init (PbItemEditorDetails *self)
{
  g_autoptr(GtkStringList) tlps = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) priorities = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) reliability = string_list ("—", grades_reliability, G_N_ELEMENTS (grades_reliability));
  g_autoptr(GtkStringList) credibility = string_list ("—", grades_credibility, G_N_ELEMENTS (grades_credibility));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->org_ids = g_ptr_array_new_with_free_func (g_free);
  self->case_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (tlps, _("Choose…"));
  for (guint i = 0; i < PB_N_TLP; i++)
    {
      g_autofree char *label = g_strconcat ("TLP:", pb_tlp_to_string (i), NULL);
      gtk_string_list_append (tlps, label);
    }
  adw_combo_row_set_model (self->tlp_row, G_LIST_MODEL (tlps));
  adw_combo_row_set_model (self->reliability_row, G_LIST_MODEL (reliability));
  adw_combo_row_set_model (self->credibility_row, G_LIST_MODEL (credibility));
  for (guint i = 0; i < PB_N_PRIORITIES; i++)
    gtk_string_list_append (priorities, pb_priority_label (i));
  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priorities));
}

/* The services that may lead (not private partners), the item's one chosen. */
static void
load_leads (PbItemEditorDetails *self,
            GPtrArray           *orgs,
            const char          *lead)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->org_ids, 0);
  g_ptr_array_add (self->org_ids, NULL);
  gtk_string_list_append (names, _("None"));
  for (guint i = 0; orgs && i < orgs->len; i++)
    {
      PbOrganisation *org = g_ptr_array_index (orgs, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", org->name, org->short_code);

      if (!pb_rules_may_lead (org->kind))
        continue;
      g_ptr_array_add (self->org_ids, g_strdup (org->id));
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->lead_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->lead_row, 0);
  for (guint i = 1; lead && i < self->org_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->org_ids, i), lead))
      adw_combo_row_set_selected (self->lead_row, i);
}

/* The open cases, and the item's own case if it is closed, the item's one chosen. */
static void
load_cases (PbItemEditorDetails *self,
            PbStore             *store,
            const char          *case_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) cases = pb_store_list_cases (store, NULL);

  g_ptr_array_set_size (self->case_ids, 0);
  g_ptr_array_add (self->case_ids, NULL);
  gtk_string_list_append (names, _("None"));
  for (guint i = 0; cases && i < cases->len; i++)
    {
      PbCase *c = g_ptr_array_index (cases, i);

      /* A closed case takes no new items; the item's own case stays listed. */
      if (c->closed && g_strcmp0 (c->id, case_id) != 0)
        continue;
      g_ptr_array_add (self->case_ids, g_strdup (c->id));
      gtk_string_list_append (names, c->title);
    }
  adw_combo_row_set_model (self->case_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->case_row, 0);
  for (guint i = 1; case_id && i < self->case_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->case_ids, i), case_id))
      adw_combo_row_set_selected (self->case_row, i);
}

/**
 * pb_item_editor_details_load:
 * @fields: (nullable): the item's fields as pb_store_open_item() reads them; %NULL for a
 *   new item
 * @orgs: (element-type PbOrganisation): every organisation
 */
void
pb_item_editor_details_load (PbItemEditorDetails *self,
                             PbStore             *store,
                             GHashTable          *fields,
                             GPtrArray           *orgs)
{
  const char *value;
  PbTlp tlp;
  PbPriority priority;

#define FIELD(name) (fields ? (const char *) g_hash_table_lookup (fields, (name)) : NULL)
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), FIELD ("title") ? FIELD ("title") : "");
  value = FIELD ("body");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), value ? value : "", -1);
  adw_combo_row_set_selected (self->tlp_row, pb_tlp_from_string (FIELD ("tlp"), &tlp) ? tlp + 1 : 0);
  select_string (self->reliability_row, FIELD ("reliability"), grades_reliability, G_N_ELEMENTS (grades_reliability));
  select_string (self->credibility_row, FIELD ("credibility"), grades_credibility, G_N_ELEMENTS (grades_credibility));
  adw_combo_row_set_selected (self->priority_row, pb_priority_from_string (FIELD ("priority"), &priority)
                                                  ? priority : PB_PRIORITY_NORMAL);
  load_leads (self, orgs, FIELD ("lead_org"));
  gtk_editable_set_text (GTK_EDITABLE (self->due_row), FIELD ("due_date") ? FIELD ("due_date") : "");
  load_cases (self, store, FIELD ("case_id"));

  /* The handling code is the decision of the organisation the item comes from. */
  if (fields && FIELD ("id"))
    {
      g_autoptr(PbRecord) relabel = pb_record_new ("items", FIELD ("id"));

      pb_record_set_string (relabel, "tlp", "RED");
      self->may_relabel = pb_store_may_write (store, PB_OP_UPDATE, relabel);
    }
  else
    self->may_relabel = TRUE;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->tlp_row),
                               !fields ? _("Required before the first save")
                               : self->may_relabel ? ""
                               : _("Set by the organisation the item comes from: ask it under Requests"));
#undef FIELD
}

/* Read-only for partners: the form shows, nothing can be changed. */
void
pb_item_editor_details_set_read_only (PbItemEditorDetails *self,
                                      gboolean             read_only)
{
  GtkWidget *editable[] = { GTK_WIDGET (self->title_row), GTK_WIDGET (self->body_view),
                            GTK_WIDGET (self->tlp_row), GTK_WIDGET (self->reliability_row),
                            GTK_WIDGET (self->credibility_row), GTK_WIDGET (self->priority_row),
                            GTK_WIDGET (self->lead_row), GTK_WIDGET (self->due_row),
                            GTK_WIDGET (self->case_row) };

  for (guint i = 0; i < G_N_ELEMENTS (editable); i++)
    gtk_widget_set_sensitive (editable[i], !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tlp_row), !read_only && self->may_relabel);
}

/**
 * pb_item_editor_details_get_problem:
 *
 * Returns: (nullable): what keeps the item from being saved, as a hint, or %NULL
 */
const char *
pb_item_editor_details_get_problem (PbItemEditorDetails *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));

  if (adw_combo_row_get_selected (self->tlp_row) == 0)
    return _("Choose a handling code before saving.");
  if (*title == '\0')
    return _("Give the item a title.");
  if (!due_date_ok (gtk_editable_get_text (GTK_EDITABLE (self->due_row))))
    return _("Write the due date as YYYY-MM-DD.");
  return NULL;
}

/* Puts the form's fields in the item's record. */
void
pb_item_editor_details_collect (PbItemEditorDetails *self,
                                PbRecord            *item)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  guint i;

  set_text_field (item, "title", gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  set_text_field (item, "body", body);
  pb_record_set_string (item, "tlp", pb_tlp_to_string (adw_combo_row_get_selected (self->tlp_row) - 1));
  i = adw_combo_row_get_selected (self->reliability_row);
  pb_record_set_string (item, "reliability", i > 0 ? grades_reliability[i - 1] : NULL);
  i = adw_combo_row_get_selected (self->credibility_row);
  pb_record_set_string (item, "credibility", i > 0 ? grades_credibility[i - 1] : NULL);
  pb_record_set_string (item, "priority", pb_priority_to_string (adw_combo_row_get_selected (self->priority_row)));
  i = adw_combo_row_get_selected (self->lead_row);
  pb_record_set_string (item, "lead_org", i < self->org_ids->len ? g_ptr_array_index (self->org_ids, i) : NULL);
  set_text_field (item, "due_date", gtk_editable_get_text (GTK_EDITABLE (self->due_row)));
  i = adw_combo_row_get_selected (self->case_row);
  pb_record_set_string (item, "case_id", i < self->case_ids->len ? g_ptr_array_index (self->case_ids, i) : NULL);
}

void
pb_item_editor_details_set_title (PbItemEditorDetails *self,
                                  const char          *title)
{
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
}

/* @tlp: a #PbTlp, or -1 for none chosen */
void
pb_item_editor_details_set_tlp (PbItemEditorDetails *self,
                                int                  tlp)
{
  adw_combo_row_set_selected (self->tlp_row, tlp < 0 ? 0 : (guint) tlp + 1);
}

/* Puts the keyboard in the title, where a report starts. */
void
pb_item_editor_details_focus (PbItemEditorDetails *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}
