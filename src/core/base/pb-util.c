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
  static const char hex[] = "0123456789abcdef";
  char *out = g_malloc (37);
  char *p = out;

  for (int i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[b[i] >> 4];
      *p++ = hex[b[i] & 0xf];
    }
  *p = '\0';
  return out;
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

/* Where the JSON value that starts at @i ends (without checking it, which the parser does):
 * after its closing bracket or quote, or at the white space or structural character after
 * a number or a literal. Sets @bad_escape for an escape JSON does not have in a string
 * (json-glib reads "\333" as the byte 0xdb, which is not UTF-8). */
static gsize
json_value_end (const char *s,
                gsize       n,
                gsize       i,
                gboolean   *bad_escape)
{
  int depth = 0;

  if (i < n && s[i] != '[' && s[i] != '{' && s[i] != '"')
    {
      while (i < n && s[i] != '\0' && strchr (" \t\r\n[]{}\",:", s[i]) == NULL)
        i++;
      return i;
    }
  for (; i < n; i++)
    {
      if (s[i] == '"')
        {
          for (i++; i < n && s[i] != '"'; i++)
            if (s[i] == '\\')
              {
                if (i + 1 < n && (s[i + 1] == '\0' || strchr ("\"\\/bfnrtu", s[i + 1]) == NULL))
                  *bad_escape = TRUE;
                i++;
              }
          if (depth == 0)
            return MIN (i + 1, n);
        }
      else if (s[i] == '[' || s[i] == '{')
        depth++;
      else if ((s[i] == ']' || s[i] == '}') && --depth <= 0)
        return i + 1;
    }
  return n;
}

static gsize
json_skip_space (const char *s,
                 gsize       n,
                 gsize       i)
{
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
    i++;
  return i;
}

/**
 * pb_json_parse:
 * @length: of @data in bytes, or -1 when it ends with a NUL
 *
 * Reads one JSON value. json-glib 1.6 takes a text of several values one after the other
 * ("[1][2]", "0{…}") for its last one, and leaks the others, and reads escapes that JSON
 * does not have ("\333", an octal byte: text that is not UTF-8): such texts, which are not
 * JSON, are refused before they are parsed.
 *
 * Returns: (transfer full): the value, or %NULL with a #JSON_PARSER_ERROR
 */
JsonNode *
pb_json_parse (const char *data,
               gssize      length,
               GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gboolean bad_escape = FALSE;
  gsize n, end;

  if (data == NULL)
    data = "";
  n = length < 0 ? strlen (data) : (gsize) length;
  end = json_skip_space (data, n, json_value_end (data, n, json_skip_space (data, n, 0), &bad_escape));
  if (end < n)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "<data>:%" G_GSIZE_FORMAT ": Parse error: more than one value", end + 1);
      return NULL;
    }
  if (bad_escape)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_BAREWORD,
                   "<data>: Parse error: an escape that JSON does not have");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, n ? data : " ", n ? (gssize) n : 1, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, "<data>: Parse error: no value");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

void
pb_json_append_string (GString    *out,
                       const char *str)
{
  const unsigned char *run = (const unsigned char *) str;
  const unsigned char *p;

  g_string_append_c (out, '"');
  /* Copies runs of plain characters at once; only quotes, backslashes and control
   * characters are escaped. */
  for (p = run; *p; p++)
    {
      const char *escape = NULL;
      char buf[8];

      if (*p == '"')
        escape = "\\\"";
      else if (*p == '\\')
        escape = "\\\\";
      else if (*p == '\n')
        escape = "\\n";
      else if (*p == '\r')
        escape = "\\r";
      else if (*p == '\t')
        escape = "\\t";
      else if (*p < 0x20)
        {
          g_snprintf (buf, sizeof buf, "\\u%04x", *p);
          escape = buf;
        }

      if (escape)
        {
          g_string_append_len (out, (const char *) run, p - run);
          g_string_append (out, escape);
          run = p + 1;
        }
    }
  g_string_append_len (out, (const char *) run, p - run);
  g_string_append_c (out, '"');
}
