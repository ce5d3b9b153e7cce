/* pb-store-validate.c: the rules of the data model that every writer keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whoever writes (the app, the command line, an import), a row keeps to the vocabularies,
 * the grading, the date and place formats; identifiers are normalised here, so that the
 * table never holds one value in two spellings. Who may write what is the rulebook's
 * (store/pb-store-rules.c).
 */

#define G_LOG_DOMAIN "pb-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pb-store-private.h"

#include "pb-identifier.h"
#include "pb-row-check.h"

gboolean
_pb_store_invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID, msg);
  return FALSE;
}

const char *
_pb_store_text_of (PbRecord   *record,
         const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v && v->type == PB_VALUE_TEXT ? v->s : NULL;
}

static gboolean
is_null (PbRecord   *record,
         const char *field)
{
  const PbValue *v = pb_record_lookup (record, field);
  return v && (v->type == PB_VALUE_NULL || (v->type == PB_VALUE_TEXT && *v->s == '\0'));
}

/**
 * pb_validate_record:
 *
 * Rules of the data model that every writer must keep, whoever it is (app, CLI, sync, a
 * hub checking a device's row). Identifiers are normalised here (@record changes), so the
 * table never holds a value in two spellings; a link's ends are put in order.
 */
gboolean
pb_validate_record (PbOp      op,
                    PbRecord *record,
                    GError  **error)
{
  const char *table = pb_record_get_table (record)->name;
  const char *s;

  if (op == PB_OP_DELETE)
    return TRUE;

  if (strcmp (table, "items") == 0)
    {
      if (op == PB_OP_INSERT && _pb_store_text_of (record, "tlp") == NULL)
        return _pb_store_invalid (error, _("An item needs a handling code (TLP) before it is saved"));
      if (op == PB_OP_INSERT && (_pb_store_text_of (record, "title") == NULL || is_null (record, "title")))
        return _pb_store_invalid (error, _("An item needs a title"));
      if (op == PB_OP_UPDATE && (is_null (record, "title") || is_null (record, "tlp")))
        return _pb_store_invalid (error, _("The title and the handling code cannot be removed"));
      if ((s = _pb_store_text_of (record, "tlp")))
        {
          PbTlp tlp;
          if (!pb_tlp_from_string (s, &tlp) || strcmp (s, pb_tlp_to_string (tlp)) != 0)
            return _pb_store_invalid (error, _("Unknown handling code “%s”"), s);
        }
      if ((s = _pb_store_text_of (record, "status")))
        {
          PbStatus st;
          if (!pb_status_from_string (s, &st))
            return _pb_store_invalid (error, _("Unknown board column “%s”"), s);
        }
      if ((s = _pb_store_text_of (record, "priority")))
        {
          PbPriority p;
          if (!pb_priority_from_string (s, &p))
            return _pb_store_invalid (error, _("Unknown priority “%s”"), s);
        }
      if ((s = _pb_store_text_of (record, "reliability")) && !pb_grading_is_valid (s, "1"))
        return _pb_store_invalid (error, _("Source reliability is a letter from A to F, not “%s”"), s);
      if ((s = _pb_store_text_of (record, "credibility")) && !pb_grading_is_valid ("A", s))
        return _pb_store_invalid (error, _("Information credibility is a digit from 1 to 6, not “%s”"), s);
      if ((s = _pb_store_text_of (record, "modus_operandi")))
        {
          g_auto(GStrv) codes = g_strsplit (s, ",", -1);
          for (guint i = 0; codes[i]; i++)
            if (pb_modus_operandi_lookup (codes[i]) == NULL)
              return _pb_store_invalid (error, _("Unknown modus operandi “%s”"), codes[i]);
        }
      if ((s = _pb_store_text_of (record, "due_date")))
        {
          g_autoptr(GDateTime) dt = NULL;
          g_autofree char *iso = g_strconcat (s, "T00:00:00Z", NULL);
          if (strlen (s) != 10 || (dt = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
            return _pb_store_invalid (error, _("A due date is written YYYY-MM-DD, not “%s”"), s);
        }
      {
        const PbValue *lat = pb_record_lookup (record, "lat");
        const PbValue *lon = pb_record_lookup (record, "lon");
        if ((lat && lat->type == PB_VALUE_REAL && (lat->d < -90 || lat->d > 90))
            || (lon && lon->type == PB_VALUE_REAL && (lon->d < -180 || lon->d > 180)))
          return _pb_store_invalid (error, _("The location is outside the range of latitude and longitude"));
      }
    }
  else if (strcmp (table, "identifiers") == 0)
    {
      PbIdentifierKind kind;
      const char *raw = _pb_store_text_of (record, "raw");
      const PbValue *known_invalid = pb_record_lookup (record, "known_invalid");
      g_autofree char *normal = NULL;
      g_autoptr(GError) local_error = NULL;

      if (op == PB_OP_UPDATE && pb_record_lookup (record, "kind") == NULL
          && raw == NULL)
        return TRUE;
      if (!pb_identifier_kind_from_string (_pb_store_text_of (record, "kind"), &kind))
        return _pb_store_invalid (error, _("Unknown identifier kind “%s”"),
                        _pb_store_text_of (record, "kind") ? _pb_store_text_of (record, "kind") : "");
      if (raw == NULL)
        raw = _pb_store_text_of (record, "value");
      if (raw == NULL)
        return _pb_store_invalid (error, _("An identifier needs a value"));

      normal = pb_identifier_normalize (kind, raw, &local_error);
      if (normal == NULL)
        {
          if (known_invalid == NULL || known_invalid->i == 0
              || g_error_matches (local_error, PB_IDENTIFIER_ERROR, PB_IDENTIFIER_ERROR_EMPTY))
            return _pb_store_invalid (error, "%s: %s", pb_identifier_kind_label (kind), local_error->message);
          normal = pb_identifier_compact (kind, raw);
        }
      pb_record_set_string (record, "kind", pb_identifier_kind_to_string (kind));
      if (pb_record_lookup (record, "raw") == NULL)
        pb_record_set_string (record, "raw", raw);   /* before "value", which @raw may be */
      pb_record_set_string (record, "value", normal);
    }
  else if (strcmp (table, "cases") == 0)
    {
      if (op == PB_OP_INSERT && (_pb_store_text_of (record, "title") == NULL || is_null (record, "title")))
        return _pb_store_invalid (error, _("A case needs a title"));
      if (op == PB_OP_UPDATE && is_null (record, "title"))
        return _pb_store_invalid (error, _("The title of a case cannot be removed"));
    }
  else if (strcmp (table, "item_links") == 0 && op == PB_OP_INSERT)
    {
      g_autofree char *a = g_strdup (_pb_store_text_of (record, "item_a"));
      g_autofree char *b = g_strdup (_pb_store_text_of (record, "item_b"));

      if (a == NULL || b == NULL)
        return _pb_store_invalid (error, _("A link joins two items"));
      if (strcmp (a, b) == 0)
        return _pb_store_invalid (error, _("An item cannot be linked to itself"));
      /* One row per pair, whichever way it was linked. */
      if (strcmp (a, b) > 0)
        {
          pb_record_set_string (record, "item_a", b);
          pb_record_set_string (record, "item_b", a);
        }
    }
  else if (strcmp (table, "people") == 0)
    {
      PbRole role;
      if ((s = _pb_store_text_of (record, "role")) && !pb_role_from_string (s, &role))
        return _pb_store_invalid (error, _("Unknown role “%s”"), s);
    }
  else if (strcmp (table, "organisations") == 0)
    {
      PbOrgKind kind;
      if ((s = _pb_store_text_of (record, "kind")) && !pb_org_kind_from_string (s, &kind))
        return _pb_store_invalid (error, _("Unknown kind of organisation “%s”"), s);
    }
  else if (strcmp (table, "incidents") == 0)
    {
      PbIncidentKind kind;
      PbTlp tlp;
      if ((s = _pb_store_text_of (record, "kind")) && !pb_incident_kind_from_string (s, &kind))
        return _pb_store_invalid (error, _("Unknown kind of incident “%s”"), s);
      if (op == PB_OP_INSERT && _pb_store_text_of (record, "tlp") == NULL)
        return _pb_store_invalid (error, _("An incident needs a handling code (TLP)"));
      if ((s = _pb_store_text_of (record, "tlp")) && !pb_tlp_from_string (s, &tlp))
        return _pb_store_invalid (error, _("Unknown handling code “%s”"), s);
    }

  return TRUE;
}
