/* pb-identifier.c: validation and normalisation of typed identifiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules follow ../shared/reference/domain.md §1: ISO 6346 (mod 11 over powers of two,
 * remainder 10 gives 0), IMO ship numbers (weights 7…2, sum mod 10), MMSI (nine digits,
 * no check digit) and UN/LOCODE (country + three letters or digits 2–9).
 */

#define G_LOG_DOMAIN "pb-identifier"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-identifier.h"

G_DEFINE_QUARK (pb-identifier-error-quark, pb_identifier_error)

static const struct
{
  const char *id;
  const char *label;
} kinds[PB_N_IDENTIFIER_KINDS] = {
  [PB_IDENTIFIER_CONTAINER] = { "container", N_("Container") },
  [PB_IDENTIFIER_IMO] = { "imo", N_("Vessel IMO") },
  [PB_IDENTIFIER_MMSI] = { "mmsi", N_("MMSI") },
  [PB_IDENTIFIER_LOCODE] = { "locode", N_("UN/LOCODE") },
  [PB_IDENTIFIER_SEAL] = { "seal", N_("Seal") },
  [PB_IDENTIFIER_BILL_OF_LADING] = { "bl", N_("Bill of lading") },
  [PB_IDENTIFIER_PLATE] = { "plate", N_("Vehicle plate") },
  [PB_IDENTIFIER_COMPANY] = { "company", N_("Company") },
  [PB_IDENTIFIER_PERSON] = { "person", N_("Person reference") },
};

const char *
pb_identifier_kind_to_string (PbIdentifierKind kind)
{
  g_return_val_if_fail (kind < PB_N_IDENTIFIER_KINDS, NULL);
  return kinds[kind].id;
}

const char *
pb_identifier_kind_label (PbIdentifierKind kind)
{
  g_return_val_if_fail (kind < PB_N_IDENTIFIER_KINDS, NULL);
  return _(kinds[kind].label);
}

gboolean
pb_identifier_kind_from_string (const char       *str,
                                PbIdentifierKind *kind)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < PB_N_IDENTIFIER_KINDS; i++)
    {
      if (g_ascii_strcasecmp (str, kinds[i].id) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Upper-cases and drops spaces, tabs, dashes and dots: how people type these numbers. */
static char *
squeeze (const char *input)
{
  GString *out = g_string_new (NULL);

  for (const char *p = input; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '-' || *p == '.' || *p == '\n' || *p == '\r')
        continue;
      g_string_append_c (out, g_ascii_toupper (*p));
    }

  return g_string_free (out, FALSE);
}

static int
iso6346_letter_value (char c)
{
  /* A = 10, skipping 11, 22 and 33 (multiples of eleven). */
  int v = 10 + (c - 'A');

  if (v >= 11)
    v++;
  if (v >= 22)
    v++;
  if (v >= 33)
    v++;
  return v;
}

int
pb_iso6346_check_digit (const char *first_ten)
{
  int sum = 0;

  for (int i = 0; i < 10; i++)
    {
      char c = first_ten[i];
      int v;

      if (g_ascii_isdigit (c))
        v = c - '0';
      else if (c >= 'A' && c <= 'Z')
        v = iso6346_letter_value (c);
      else
        return -1;
      sum += v << i;
    }

  return sum % 11 % 10;
}

int
pb_imo_check_digit (const char *first_six)
{
  int sum = 0;

  for (int i = 0; i < 6; i++)
    {
      if (!g_ascii_isdigit (first_six[i]))
        return -1;
      sum += (first_six[i] - '0') * (7 - i);
    }

  return sum % 10;
}

static gboolean
all_digits (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static char *
normalize_container (const char *input,
                     GError    **error)
{
  g_autofree char *s = squeeze (input);
  size_t len = strlen (s);
  int expected;

  if (len != 11)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_LENGTH,
                   _("A container number has 11 characters (4 letters, 7 digits), not %u"),
                   (guint) len);
      return NULL;
    }

  for (int i = 0; i < 3; i++)
    {
      if (s[i] < 'A' || s[i] > 'Z')
        {
          g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                       _("Character %d of a container number must be a letter (owner code), not “%c”"),
                       i + 1, s[i]);
          return NULL;
        }
    }

  if (s[3] != 'U' && s[3] != 'J' && s[3] != 'Z')
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                   _("The category letter (4th character) must be U, J or Z, not “%c”"), s[3]);
      return NULL;
    }

  for (int i = 4; i < 11; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        {
          g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                       _("Character %d of a container number must be a digit, not “%c”"),
                       i + 1, s[i]);
          return NULL;
        }
    }

  expected = pb_iso6346_check_digit (s);
  if (expected != s[10] - '0')
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHECK_DIGIT,
                   _("Wrong check digit %c: the expected check digit is %d"), s[10], expected);
      return NULL;
    }

  return g_steal_pointer (&s);
}

static char *
normalize_imo (const char *input,
               GError    **error)
{
  g_autofree char *s = squeeze (input);
  const char *digits = s;
  int expected;

  if (g_str_has_prefix (digits, "IMO"))
    digits += 3;

  if (!all_digits (digits))
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                   _("An IMO number has only digits after “IMO”"));
      return NULL;
    }

  if (strlen (digits) != 7)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_LENGTH,
                   _("An IMO number has 7 digits, not %u"), (guint) strlen (digits));
      return NULL;
    }

  expected = pb_imo_check_digit (digits);
  if (expected != digits[6] - '0')
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHECK_DIGIT,
                   _("Wrong check digit %c: the expected check digit is %d"), digits[6], expected);
      return NULL;
    }

  return g_strdup (digits);
}

static char *
normalize_mmsi (const char *input,
                GError    **error)
{
  g_autofree char *s = squeeze (input);
  const char *digits = s;

  if (g_str_has_prefix (digits, "MMSI"))
    digits += 4;

  if (!all_digits (digits))
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                   _("An MMSI has only digits"));
      return NULL;
    }

  if (strlen (digits) != 9)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_LENGTH,
                   _("An MMSI has 9 digits, not %u"), (guint) strlen (digits));
      return NULL;
    }

  return g_strdup (digits);
}

static char *
normalize_locode (const char *input,
                  GError    **error)
{
  g_autofree char *s = squeeze (input);
  size_t len = strlen (s);

  if (len != 5)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_LENGTH,
                   _("A UN/LOCODE has 5 characters (country and place), not %u"), (guint) len);
      return NULL;
    }

  for (int i = 0; i < 2; i++)
    {
      if (s[i] < 'A' || s[i] > 'Z')
        {
          g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                       _("A UN/LOCODE starts with a two-letter country code; “%c” is not a letter"),
                       s[i]);
          return NULL;
        }
    }

  for (int i = 2; i < 5; i++)
    {
      if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '2' && s[i] <= '9')))
        {
          g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                       _("The place code of a UN/LOCODE uses letters and the digits 2–9; “%c” is not allowed"),
                       s[i]);
          return NULL;
        }
    }

  return g_steal_pointer (&s);
}

/* Free-text references: upper-cased, inner spaces removed, letters, digits and a few
 * separators only, so that the same reference typed twice compares equal. */
static char *
normalize_reference (PbIdentifierKind kind,
                     const char      *input,
                     GError         **error)
{
  g_autofree char *s = NULL;
  size_t len;

  if (kind == PB_IDENTIFIER_COMPANY)
    {
      /* Company names keep their inner spaces, collapsed to one. */
      g_auto(GStrv) words = g_strsplit_set (input, " \t\r\n", -1);
      GString *out = g_string_new (NULL);

      for (guint i = 0; words[i]; i++)
        {
          if (*words[i] == '\0')
            continue;
          if (out->len)
            g_string_append_c (out, ' ');
          g_string_append (out, words[i]);
        }
      s = g_utf8_strup (out->str, -1);
      g_string_free (out, TRUE);
    }
  else
    {
      s = squeeze (input);
      for (const char *p = s; *p; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '/')
            {
              g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                           _("“%c” is not allowed here: use letters, digits and “/”"), *p);
              return NULL;
            }
        }
    }

  len = strlen (s);
  if (len > 64)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_LENGTH,
                   _("At most 64 characters, not %u"), (guint) len);
      return NULL;
    }

  return g_steal_pointer (&s);
}

/**
 * pb_identifier_normalize:
 *
 * Returns: (transfer full) (nullable): the canonical form, or %NULL with @error set to
 *   a sentence that names the problem (length, character, or the expected check digit).
 */
char *
pb_identifier_normalize (PbIdentifierKind  kind,
                         const char       *input,
                         GError          **error)
{
  g_autofree char *stripped = NULL;

  if (kind >= PB_N_IDENTIFIER_KINDS)
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_UNKNOWN_KIND,
                   _("Unknown identifier kind"));
      return NULL;
    }

  if (!g_utf8_validate (input ? input : "", -1, NULL))
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_CHARACTERS,
                   _("The value is not valid UTF-8 text"));
      return NULL;
    }

  stripped = g_strstrip (g_strdup (input ? input : ""));
  if (*stripped == '\0')
    {
      g_set_error (error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_EMPTY, _("The value is empty"));
      return NULL;
    }

  switch (kind)
    {
    case PB_IDENTIFIER_CONTAINER:
      return normalize_container (stripped, error);
    case PB_IDENTIFIER_IMO:
      return normalize_imo (stripped, error);
    case PB_IDENTIFIER_MMSI:
      return normalize_mmsi (stripped, error);
    case PB_IDENTIFIER_LOCODE:
      return normalize_locode (stripped, error);
    case PB_IDENTIFIER_SEAL:
    case PB_IDENTIFIER_BILL_OF_LADING:
    case PB_IDENTIFIER_PLATE:
    case PB_IDENTIFIER_COMPANY:
    case PB_IDENTIFIER_PERSON:
    case PB_N_IDENTIFIER_KINDS:
    default:
      return normalize_reference (kind, stripped, error);
    }
}

/**
 * pb_identifier_compact:
 *
 * The form stored for a value that failed validation and was kept as "known invalid":
 * upper case without separators, so that hits still match on it.
 */
char *
pb_identifier_compact (PbIdentifierKind  kind,
                       const char       *input)
{
  g_autofree char *s = squeeze (input ? input : "");

  if (kind == PB_IDENTIFIER_IMO && g_str_has_prefix (s, "IMO"))
    return g_strdup (s + 3);
  return g_steal_pointer (&s);
}
