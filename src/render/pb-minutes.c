/* pb-minutes.c: the minutes of a meeting as PDF (cairo + Pango, without GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Attendance, the agenda, per entry what the item is, its hits, the decisions with lead,
 * priority, case and sharing, the actions with owners and due dates, and a map snapshot of
 * each located item; then every action in one list. Every page carries the handling
 * marking of the highest content in its header and footer (TLP 2.0: coloured text on
 * black) and its page number. The minutes hold what their maker may see: an item they may
 * not see is "restricted item (‹organisation›)". The document is written whole or not at
 * all, and its SHA-256 is recorded on the meeting and in the access log.
 *
 * The text is laid out once with Pango into blocks, the blocks are placed on pages (a
 * heading is kept with what follows it), and then the pages are drawn, so that every page
 * knows how many there are.
 */

#define G_LOG_DOMAIN "pb-minutes"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "pb-minutes.h"

G_DEFINE_QUARK (pb-minutes-error-quark, pb_minutes_error)

#define PAGE_W    595.28 /* A4, in points */
#define PAGE_H    841.89
#define MARGIN_X  56.0
#define TOP       78.0
#define BOTTOM    (PAGE_H - 64.0)
#define TEXT_W    (PAGE_W - 2 * MARGIN_X)
#define SNAP_W    460    /* map snapshot, in pixels = points */
#define SNAP_H    190
#define SNAP_ZOOM 14

typedef enum
{
  BLOCK_TEXT,
  BLOCK_IMAGE,
  BLOCK_RULE,
} BlockKind;

typedef struct
{
  BlockKind        kind;
  PangoLayout     *layout;
  cairo_surface_t *image;
  double           indent;
  double           space_before;
  double           height;
  gboolean         keep_with_next;
  guint            page;
  double           y;
} Block;

typedef struct
{
  PbStore          *store;
  PbMapRenderer    *renderer;
  cairo_t          *measure;   /* a context for layouts, on the PDF surface */
  PangoFontDescription *body_font;
  GArray           *blocks;
  PbTlp             marking;
  char             *title;
} Minutes;

static void
block_clear (Block *b)
{
  g_clear_object (&b->layout);
  g_clear_pointer (&b->image, cairo_surface_destroy);
}

static void
add_text (Minutes    *m,
          const char *markup,
          double      size,
          double      indent,
          double      space_before,
          gboolean    keep_with_next)
{
  Block b = { BLOCK_TEXT, NULL, NULL, indent, space_before, 0, keep_with_next, 0, 0 };
  PangoFontDescription *font = pango_font_description_copy (m->body_font);
  int w, h;

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  b.layout = pango_cairo_create_layout (m->measure);
  pango_layout_set_font_description (b.layout, font);
  pango_layout_set_width (b.layout, (int) ((TEXT_W - indent) * PANGO_SCALE));
  pango_layout_set_wrap (b.layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_markup (b.layout, markup, -1);
  pango_layout_get_size (b.layout, &w, &h);
  b.height = (double) h / PANGO_SCALE;
  pango_font_description_free (font);
  g_array_append_val (m->blocks, b);
}

static void
add_textf (Minutes    *m,
           double      size,
           double      indent,
           double      space_before,
           gboolean    keep_with_next,
           const char *format,
           ...) G_GNUC_PRINTF (6, 7);

/* Markup with the arguments escaped. */
static void
add_textf (Minutes    *m,
           double      size,
           double      indent,
           double      space_before,
           gboolean    keep_with_next,
           const char *format,
           ...)
{
  g_autofree char *markup = NULL;
  va_list args;

  va_start (args, format);
  markup = g_markup_vprintf_escaped (format, args);
  va_end (args);
  add_text (m, markup, size, indent, space_before, keep_with_next);
}

static void
add_rule (Minutes *m,
          double   space_before)
{
  Block b = { BLOCK_RULE, NULL, NULL, 0, space_before, 1, FALSE, 0, 0 };

  g_array_append_val (m->blocks, b);
}

/* The item's surroundings from the basemap, the item at the centre. */
static void
add_snapshot (Minutes *m,
              double   lat,
              double   lon)
{
  Block b = { BLOCK_IMAGE, NULL, NULL, 0, 6, SNAP_H, FALSE, 0, 0 };
  PbMapView view;
  cairo_t *cr;

  if (m->renderer == NULL)
    return;
  pb_map_view_init (&view, lat, lon, SNAP_ZOOM, SNAP_W, SNAP_H);
  b.image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SNAP_W, SNAP_H);
  cr = cairo_create (b.image);
  pb_map_render (m->renderer, cr, &view, NULL, 0);
  /* The place: a pin in the handling colours' red, ringed for any background. */
  /* A fresh path: the renderer leaves its last point where it wrote the attribution. */
  cairo_new_path (cr);
  cairo_arc (cr, SNAP_W / 2.0, SNAP_H / 2.0, 7, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_stroke (cr);
  cairo_arc (cr, SNAP_W / 2.0, SNAP_H / 2.0, 4.5, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_rectangle (cr, 0.5, 0.5, SNAP_W - 1, SNAP_H - 1);
  cairo_stroke (cr);
  cairo_destroy (cr);
  g_array_append_val (m->blocks, b);
}

static char *
format_day (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_s);

  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static const char *
or_dash (const char *s)
{
  return s && *s ? s : "—";
}

static const PbAgendaEntry *
find_entry (GPtrArray  *agenda,
            const char *item)
{
  for (guint i = 0; i < agenda->len; i++)
    if (g_strcmp0 (((PbAgendaEntry *) agenda->pdata[i])->item, item) == 0)
      return agenda->pdata[i];
  return NULL;
}

static char *
entry_title (const PbAgendaEntry *e)
{
  if (e->card)
    return g_strdup (pb_card_get_title (e->card));
  /* Translators: an agenda entry whose item the reader may not see */
  return g_strdup_printf (_("Restricted item (%s)"), or_dash (e->item_org_name));
}

static void
add_decision (Minutes          *m,
              const PbDecision *d)
{
  g_autofree char *when = format_day (d->decided_at);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *head = NULL;

  head = g_markup_printf_escaped ("<b>%s</b> %s", _("Decision:"), pb_outcome_label (d->outcome));
  add_text (m, head, 10, 12, 4, FALSE);
  if (d->lead_name)
    g_string_append_printf (detail, "%s %s\n", _("Lead:"), d->lead_name);
  if (d->priority)
    {
      PbPriority p;
      g_string_append_printf (detail, "%s %s\n", _("Priority:"),
                              pb_priority_from_string (d->priority, &p) ? pb_priority_label (p) : d->priority);
    }
  if (d->case_title)
    g_string_append_printf (detail, "%s %s\n", _("Case:"), d->case_title);
  if (d->share_names)
    g_string_append_printf (detail, "%s %s\n", _("Shared with:"), d->share_names);
  if (d->tlp)
    g_string_append_printf (detail, "%s TLP:%s\n", _("New handling code:"), d->tlp);
  if (d->note)
    g_string_append_printf (detail, "%s %s\n", _("Note:"), d->note);
  /* Translators: who took a decision and when */
  g_string_append_printf (detail, _("Recorded by %s, %s"), or_dash (d->decided_by), when);
  add_textf (m, 9, 24, 1, FALSE, "%s", detail->str);
}

static void
add_action_line (Minutes        *m,
                 const PbAction *a,
                 double          indent)
{
  /* Translators: an action in the minutes: owner, what, due date, done or open */
  add_textf (m, 9, indent, 2, FALSE, _("• %s — %s (due %s, %s)"), or_dash (a->owner_name), a->description,
             or_dash (a->due_date), a->done_at ? _("done") : _("open"));
}

/* The marking: the strictest handling code of what the minutes show. */
static PbTlp
strictest (GPtrArray *agenda)
{
  PbTlp marking = PB_TLP_CLEAR;

  for (guint i = 0; i < agenda->len; i++)
    {
      PbAgendaEntry *e = agenda->pdata[i];
      if (e->card && pb_card_get_tlp (e->card) > marking)
        marking = pb_card_get_tlp (e->card);
    }
  return marking;
}

static gboolean
build (Minutes    *m,
       const char *meeting_id,
       GError    **error)
{
  g_autoptr(PbMeeting) meeting = NULL;
  g_autoptr(GPtrArray) attendance = NULL;
  g_autoptr(GPtrArray) agenda = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autofree char *starts = NULL;

  meeting = pb_meeting_get (m->store, meeting_id, error);
  if (meeting == NULL)
    return FALSE;
  if ((attendance = pb_meeting_list_attendance (m->store, meeting->id, error)) == NULL
      || (agenda = pb_meeting_list_agenda (m->store, meeting->id, error)) == NULL
      || (decisions = pb_meeting_list_decisions (m->store, meeting->id, NULL, error)) == NULL
      || (actions = pb_meeting_list_actions (m->store, meeting->id, FALSE, error)) == NULL)
    return FALSE;
  m->title = g_strdup (meeting->title);

  m->marking = strictest (agenda);

  starts = format_day (meeting->starts_at);
  add_textf (m, 20, 0, 0, FALSE, "<b>%s</b>", meeting->title);
  add_textf (m, 10, 0, 6, FALSE, "%s %s\n%s %s\n%s %s", _("Date:"), starts, _("Place:"), or_dash (meeting->place),
             _("Chair:"), or_dash (meeting->chair_name));
  if (meeting->closed)
    {
      g_autofree char *closed = format_day (meeting->closed_at);
      add_textf (m, 10, 0, 0, FALSE, "%s %s", _("Closed:"), closed);
    }
  else
    add_textf (m, 10, 0, 0, FALSE, "<i>%s</i>", _("Draft: the meeting is still open"));

  add_textf (m, 13, 0, 16, TRUE, "<b>%s</b>", _("Attendance"));
  if (attendance->len == 0)
    add_textf (m, 10, 12, 2, FALSE, "%s", _("No attendance was recorded."));
  for (guint i = 0; i < attendance->len; i++)
    {
      PbAttendance *a = attendance->pdata[i];
      const char *how = a->in_room && a->connected ? _("in the room and connected")
                        : a->in_room ? _("in the room") : _("connected");

      if (a->names)
        add_textf (m, 10, 12, 2, FALSE, "%s — %s: %s", a->org_name, how, a->names);
      else
        add_textf (m, 10, 12, 2, FALSE, "%s — %s", a->org_name, how);
    }

  add_textf (m, 13, 0, 16, TRUE, "<b>%s</b>", _("Agenda"));
  if (agenda->len == 0)
    add_textf (m, 10, 12, 2, FALSE, "%s", _("The agenda was empty."));
  for (guint i = 0; i < agenda->len; i++)
    {
      g_autofree char *t = entry_title (agenda->pdata[i]);
      add_textf (m, 10, 12, 2, FALSE, "%u. %s", i + 1, t);
    }

  for (guint i = 0; i < agenda->len; i++)
    {
      PbAgendaEntry *e = agenda->pdata[i];
      g_autofree char *t = entry_title (e);
      g_autofree char *reasons = pb_agenda_reasons_label (e->reasons);
      guint n_decided = 0;

      add_rule (m, 14);
      add_textf (m, 12, 0, 6, TRUE, "<b>%u. %s</b>", i + 1, t);
      if (e->card == NULL)
        {
          add_textf (m, 9, 12, 2, FALSE, "<i>%s</i>",
                     _("Not shown: the maker of these minutes may not see this item."));
          continue;
        }
      {
        PbCard *c = e->card;
        const char *grading = pb_card_get_grading (c);
        const char *ident = pb_card_get_main_identifier (c);
        g_autoptr(GPtrArray) hits = pb_store_list_hits (m->store, e->item, NULL);

        add_textf (m, 9, 12, 2, FALSE, "%s · TLP:%s · %s %s · %s · %s%s%s%s%s",
                   or_dash (pb_card_get_source_code (c)), pb_tlp_to_string (pb_card_get_tlp (c)),
                   _("Grading"), or_dash (grading), pb_status_label (pb_card_get_status (c)),
                   pb_priority_label (pb_card_get_priority (c)),
                   ident ? " · " : "", ident ? ident : "",
                   e->port_area ? " · " : "", e->port_area ? e->port_area : "");
        add_textf (m, 9, 12, 1, FALSE, "%s %s", _("On the agenda:"), reasons);
        for (guint h = 0; hits && h < hits->len; h++)
          {
            PbHit *hit = hits->pdata[h];
            /* Translators: a hit in the minutes: identifier, then the other organisation */
            add_textf (m, 9, 12, 1, FALSE, _("Hit: %s is also known to %s — contact them"), hit->value,
                       hit->org_name);
          }
      }
      for (guint d = 0; d < decisions->len; d++)
        if (g_strcmp0 (((PbDecision *) decisions->pdata[d])->item, e->item) == 0)
          {
            add_decision (m, decisions->pdata[d]);
            n_decided++;
          }
      if (n_decided == 0)
        add_textf (m, 9, 12, 4, FALSE, "<i>%s</i>", _("No decision."));
      for (guint k = 0; k < actions->len; k++)
        if (g_strcmp0 (((PbAction *) actions->pdata[k])->item, e->item) == 0)
          add_action_line (m, actions->pdata[k], 24);
      if (e->located)
        add_snapshot (m, e->lat, e->lon);
    }

  add_rule (m, 14);
  add_textf (m, 13, 0, 10, TRUE, "<b>%s</b>", _("Actions"));
  if (actions->len == 0)
    add_textf (m, 10, 12, 2, FALSE, "%s", _("No actions were decided."));
  for (guint k = 0; k < actions->len; k++)
    {
      PbAction *a = actions->pdata[k];
      const PbAgendaEntry *e = find_entry (agenda, a->item);
      g_autofree char *t = e ? entry_title (e) : g_strdup ("—");

      add_action_line (m, a, 12);
      add_textf (m, 8, 24, 0, FALSE, "%s %s", _("Item:"), t);
    }
  return TRUE;
}

/* Places the blocks on pages; returns how many pages. */
static guint
paginate (Minutes *m)
{
  guint page = 0;
  double y = TOP;

  for (guint i = 0; i < m->blocks->len; i++)
    {
      Block *b = &g_array_index (m->blocks, Block, i);
      double need = b->space_before + b->height;

      /* A heading goes with what follows it. */
      if (b->keep_with_next && i + 1 < m->blocks->len)
        {
          Block *next = &g_array_index (m->blocks, Block, i + 1);
          need += next->space_before + next->height;
        }
      if (y + need > BOTTOM && y > TOP)
        {
          page++;
          y = TOP;
        }
      else
        y += b->space_before;
      b->page = page;
      b->y = y;
      y += b->height;
    }
  return page + 1;
}

static void
tlp_colour (PbTlp   tlp,
            double *r,
            double *g,
            double *b)
{
  switch (tlp)
    {
    case PB_TLP_RED:
      *r = 1, *g = 0x2b / 255.0, *b = 0x2b / 255.0;
      break;
    case PB_TLP_AMBER:
    case PB_TLP_AMBER_STRICT:
      *r = 1, *g = 0xc0 / 255.0, *b = 0;
      break;
    case PB_TLP_GREEN:
      *r = 0x33 / 255.0, *g = 1, *b = 0;
      break;
    case PB_TLP_CLEAR:
    case PB_N_TLP:
    default:
      *r = 1, *g = 1, *b = 1;
      break;
    }
}

/* TLP 2.0: the label in its colour on black. */
static void
draw_marking (Minutes *m,
              cairo_t *cr,
              double   x,
              double   baseline_y)
{
  g_autofree char *label = g_strdup_printf ("TLP:%s", pb_tlp_to_string (m->marking));
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 9");
  double r, g, b;
  int w, h;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, label, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, x, baseline_y - h - 2, w + 8, h + 4);
  cairo_fill (cr);
  tlp_colour (m->marking, &r, &g, &b);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_move_to (cr, x + 4, baseline_y - h);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_small (cairo_t    *cr,
            const char *text,
            double      x,
            double      y,
            gboolean    align_right)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  int w, h;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  cairo_move_to (cr, align_right ? x - w : x, y - h);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_pages (Minutes *m,
            cairo_t *cr,
            guint    n_pages)
{
  guint next = 0;

  for (guint page = 0; page < n_pages; page++)
    {
      /* Translators: page numbers in the minutes' footer */
      g_autofree char *number = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
      /* Translators: the minutes' running header; %s is the meeting's title */
      g_autofree char *running = g_strdup_printf (_("Minutes — %s"), m->title);

      draw_marking (m, cr, MARGIN_X, 44);
      draw_small (cr, running, PAGE_W - MARGIN_X, 42, TRUE);
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, MARGIN_X, 52);
      cairo_line_to (cr, PAGE_W - MARGIN_X, 52);
      cairo_move_to (cr, MARGIN_X, PAGE_H - 46);
      cairo_line_to (cr, PAGE_W - MARGIN_X, PAGE_H - 46);
      cairo_stroke (cr);
      draw_marking (m, cr, MARGIN_X, PAGE_H - 26);
      draw_small (cr, number, PAGE_W - MARGIN_X, PAGE_H - 28, TRUE);

      for (; next < m->blocks->len && g_array_index (m->blocks, Block, next).page == page; next++)
        {
          Block *b = &g_array_index (m->blocks, Block, next);

          switch (b->kind)
            {
            case BLOCK_TEXT:
              cairo_set_source_rgb (cr, 0, 0, 0);
              cairo_move_to (cr, MARGIN_X + b->indent, b->y);
              pango_cairo_show_layout (cr, b->layout);
              break;
            case BLOCK_IMAGE:
              cairo_set_source_surface (cr, b->image, MARGIN_X + 12, b->y);
              cairo_paint (cr);
              break;
            case BLOCK_RULE:
              cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
              cairo_set_line_width (cr, 0.5);
              cairo_move_to (cr, MARGIN_X, b->y + 0.5);
              cairo_line_to (cr, PAGE_W - MARGIN_X, b->y + 0.5);
              cairo_stroke (cr);
              break;
            default:
              break;
            }
        }
      cairo_show_page (cr);
    }
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * pb_minutes_marking:
 *
 * Returns: the handling marking the minutes of a meeting carry: the strictest handling
 *   code among the agenda's items that the signed-in person may see
 */
PbTlp
pb_minutes_marking (PbStore    *store,
                    const char *meeting_id,
                    GError    **error)
{
  g_autoptr(GPtrArray) agenda = pb_meeting_list_agenda (store, meeting_id, error);

  return agenda ? strictest (agenda) : PB_TLP_CLEAR;
}

/**
 * pb_minutes_export:
 * @renderer: (nullable): draws the map snapshots; %NULL: minutes without them
 * @sha256: (out) (optional): the SHA-256 of the file, in hex
 *
 * Writes the minutes of a meeting to @path (whole, or nothing on an error) and records
 * their SHA-256 on the meeting and in the access log.
 */
gboolean
pb_minutes_export (PbStore        *store,
                   const char     *meeting_id,
                   PbMapRenderer  *renderer,
                   const char     *path,
                   char          **sha256,
                   GError        **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(PbMeeting) meeting = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GDateTime) when = NULL;
  Minutes m = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (PB_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  meeting = pb_meeting_get (store, meeting_id, error);
  if (meeting == NULL)
    return FALSE;

  surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, PAGE_W, PAGE_H);
  /* The same meeting gives the same document: dated by the meeting, not by the export. */
  when = g_date_time_new_from_unix_utc (meeting->closed ? meeting->closed_at : meeting->starts_at);
  created = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, meeting->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Portboard");
  cr = cairo_create (surface);

  m.store = store;
  m.renderer = renderer;
  m.measure = cr;
  m.body_font = pango_font_description_from_string ("Sans 10");
  m.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (m.blocks, (GDestroyNotify) block_clear);

  ok = build (&m, meeting->id, error);
  if (ok)
    draw_pages (&m, cr, paginate (&m));
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_array_unref (m.blocks);
  pango_font_description_free (m.body_font);
  g_free (m.title);
  if (!ok)
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PB_MINUTES_ERROR, PB_MINUTES_ERROR_WRITE, _("Cannot make the minutes: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  if (!g_file_set_contents (path, (const char *) bytes->data, (gssize) bytes->len, error))
    return FALSE;
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
  /* Minutes that are not on record are not left behind. */
  if (!pb_meeting_record_minutes (store, meeting->id, digest, path, error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (sha256)
    *sha256 = g_steal_pointer (&digest);
  return TRUE;
}
