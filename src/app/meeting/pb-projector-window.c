/* pb-projector-window.c: the room's screen during a meeting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full screen, large type, the entry the chair presents. It shows only what every
 * organisation attending may see (the meeting page decides, by the board's rule); an
 * entry above that is "restricted item (‹organisation›)" and nothing more: no handling
 * code, no place, no decisions. Escape leaves the full screen, F11 toggles it.
 */

#define G_LOG_DOMAIN "pb-projector"

#include "config.h"

#include <glib/gi18n.h>

#include "pb-projector-window.h"

struct _PbProjectorWindow
{
  AdwWindow    parent_instance;

  char        *tlp_class;

  /* Template widgets */
  GtkLabel    *meeting_label;
  GtkLabel    *position_label;
  GtkLabel    *tlp_label;
  GtkLabel    *title_label;
  GtkLabel    *meta_label;
  GtkPicture  *map_picture;
  GtkLabel    *decisions_label;
};

G_DEFINE_FINAL_TYPE (PbProjectorWindow, pb_projector_window, ADW_TYPE_WINDOW)

static void
toggle_fullscreen (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
leave_fullscreen (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  if (gtk_window_is_fullscreen (GTK_WINDOW (widget)))
    gtk_window_unfullscreen (GTK_WINDOW (widget));
  else
    gtk_window_close (GTK_WINDOW (widget));
}

static void
pb_projector_window_finalize (GObject *object)
{
  PbProjectorWindow *self = PB_PROJECTOR_WINDOW (object);

  g_free (self->tlp_class);
  G_OBJECT_CLASS (pb_projector_window_parent_class)->finalize (object);
}

static void
pb_projector_window_class_init (PbProjectorWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pb_projector_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/portboard/Portboard/ui/meeting/pb-projector-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, meeting_label);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, tlp_label);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, map_picture);
  gtk_widget_class_bind_template_child (widget_class, PbProjectorWindow, decisions_label);

  gtk_widget_class_install_action (widget_class, "projector.fullscreen", NULL, toggle_fullscreen);
  gtk_widget_class_install_action (widget_class, "projector.leave", NULL, leave_fullscreen);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "projector.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "projector.leave", NULL);
}

static void
pb_projector_window_init (PbProjectorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PbProjectorWindow *
pb_projector_window_new (void)
{
  return g_object_new (PB_TYPE_PROJECTOR_WINDOW, NULL);
}

/**
 * pb_projector_window_show:
 * @entry: (nullable): the entry presented; %NULL: none
 * @room_may_see: whether every organisation attending may see the entry's item
 * @map: (nullable): the item's place
 * @decisions: (nullable): what was decided, as text
 */
void
pb_projector_window_show (PbProjectorWindow   *self,
                          const char          *meeting_title,
                          guint                position,
                          guint                n_entries,
                          const PbAgendaEntry *entry,
                          gboolean             room_may_see,
                          GdkTexture          *map,
                          const char          *decisions)
{
  gboolean shown = entry != NULL && entry->card != NULL && room_may_see;
  const char *wanted = shown ? pb_tlp_css_class (pb_card_get_tlp (entry->card)) : NULL;
  g_autofree char *pos = entry ? g_strdup_printf ("%u / %u", position, n_entries) : NULL;

  g_return_if_fail (PB_IS_PROJECTOR_WINDOW (self));

  gtk_label_set_label (self->meeting_label, meeting_title);
  gtk_label_set_label (self->position_label, pos ? pos : "");

  if (self->tlp_class)
    gtk_widget_remove_css_class (GTK_WIDGET (self->tlp_label), self->tlp_class);
  g_free (self->tlp_class);
  self->tlp_class = g_strdup (wanted);
  if (wanted)
    gtk_widget_add_css_class (GTK_WIDGET (self->tlp_label), wanted);
  gtk_widget_set_visible (GTK_WIDGET (self->tlp_label), shown);

  if (entry == NULL)
    {
      gtk_label_set_label (self->title_label, _("Waiting for the chair to present an entry"));
      gtk_label_set_label (self->meta_label, "");
    }
  else if (!shown)
    {
      g_autofree char *restricted = g_strdup_printf (_("Restricted item (%s)"),
                                                     entry->item_org_name ? entry->item_org_name : "?");
      gtk_label_set_label (self->title_label, restricted);
      gtk_label_set_label (self->meta_label,
                           _("Not every organisation attending may see this item: it is discussed without the screen."));
    }
  else
    {
      PbCard *card = entry->card;
      const char *ident = pb_card_get_main_identifier (card);
      const char *grading = pb_card_get_grading (card);
      g_autofree char *tlp = g_strdup_printf ("TLP:%s", pb_tlp_to_string (pb_card_get_tlp (card)));
      g_autofree char *meta = g_strdup_printf ("%s · %s%s%s · %s%s%s%s%s", pb_card_get_source_code (card),
                                               pb_status_label (pb_card_get_status (card)),
                                               grading ? " · " : "", grading ? grading : "",
                                               pb_priority_label (pb_card_get_priority (card)),
                                               ident ? " · " : "", ident ? ident : "",
                                               entry->port_area ? " · " : "",
                                               entry->port_area ? entry->port_area : "");

      gtk_label_set_label (self->tlp_label, tlp);
      gtk_label_set_label (self->title_label, pb_card_get_title (card));
      gtk_label_set_label (self->meta_label, meta);
    }
  gtk_picture_set_paintable (self->map_picture, shown && map ? GDK_PAINTABLE (map) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->map_picture), shown && map != NULL);
  gtk_label_set_label (self->decisions_label, shown && decisions ? decisions : "");
  gtk_widget_set_visible (GTK_WIDGET (self->decisions_label), shown && decisions && *decisions);
}

const char *
pb_projector_window_get_title_text (PbProjectorWindow *self)
{
  g_return_val_if_fail (PB_IS_PROJECTOR_WINDOW (self), NULL);
  return gtk_label_get_label (self->title_label);
}
