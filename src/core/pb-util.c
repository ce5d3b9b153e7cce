/* pb-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "pb-util"

#include "config.h"

#include <string.h>

#include "pb-util.h"

static char *
format_uuid (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* UUID version 7 (time-ordered), so that new rows land at the end of the primary key
 * index instead of all over it. */
static char *
uuid_v7 (gint64        unix_ms,
         const guint32 rnd[3])
{
  guint8 b[16];

  b[0] = (unix_ms >> 40) & 0xff;
  b[1] = (unix_ms >> 32) & 0xff;
  b[2] = (unix_ms >> 24) & 0xff;
  b[3] = (unix_ms >> 16) & 0xff;
  b[4] = (unix_ms >> 8) & 0xff;
  b[5] = unix_ms & 0xff;
  memcpy (b + 6, rnd, 10);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  return format_uuid (b);
}

char *
pb_uuid_new (void)
{
  guint32 rnd[3] = { g_random_int (), g_random_int (), g_random_int () };
  return uuid_v7 (g_get_real_time () / 1000, rnd);
}

char *
pb_uuid_new_from_rand (GRand *rand,
                       gint64 unix_ms)
{
  guint32 rnd[3] = { g_rand_int (rand), g_rand_int (rand), g_rand_int (rand) };
  return uuid_v7 (unix_ms, rnd);
}

gboolean
pb_uuid_is_valid (const char *str)
{
  if (str == NULL || strlen (str) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (str[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (str[i]) || g_ascii_isupper (str[i]))
        return FALSE;
    }
  return TRUE;
}

guint64
pb_hlc_tick (PbHlc *hlc,
             gint64 wall_ms)
{
  guint64 wall = ((guint64) MAX (wall_ms, 0)) << 16;

  if (wall > hlc->last)
    hlc->last = wall;
  else
    hlc->last++;
  return hlc->last;
}

void
pb_hlc_observe (PbHlc  *hlc,
                guint64 remote,
                gint64  wall_ms)
{
  guint64 wall = ((guint64) MAX (wall_ms, 0)) << 16;
  guint64 top = MAX (MAX (hlc->last, remote), wall);

  hlc->last = (top == wall && wall > hlc->last && wall > remote) ? wall : top + 1;
}

gint64
pb_hlc_wall_ms (guint64 stamp)
{
  return (gint64) (stamp >> 16);
}

void
pb_json_append_string (GString    *out,
                       const char *str)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) str; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}
