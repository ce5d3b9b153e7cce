/* pb-identifier.h: typed identifiers (ISO 6346, IMO, MMSI, UN/LOCODE, …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PB_IDENTIFIER_CONTAINER,     /* ISO 6346 */
  PB_IDENTIFIER_IMO,           /* IMO ship identification number */
  PB_IDENTIFIER_MMSI,
  PB_IDENTIFIER_LOCODE,        /* UN/LOCODE */
  PB_IDENTIFIER_SEAL,
  PB_IDENTIFIER_BILL_OF_LADING,
  PB_IDENTIFIER_PLATE,         /* vehicle registration plate */
  PB_IDENTIFIER_COMPANY,
  PB_IDENTIFIER_PERSON,        /* person reference (a case file number, never free text) */
  PB_N_IDENTIFIER_KINDS
} PbIdentifierKind;

#define PB_IDENTIFIER_ERROR (pb_identifier_error_quark ())

typedef enum
{
  PB_IDENTIFIER_ERROR_EMPTY,
  PB_IDENTIFIER_ERROR_LENGTH,
  PB_IDENTIFIER_ERROR_CHARACTERS,
  PB_IDENTIFIER_ERROR_CHECK_DIGIT,
  PB_IDENTIFIER_ERROR_FORMAT,
  PB_IDENTIFIER_ERROR_UNKNOWN_KIND,
} PbIdentifierError;

GQuark            pb_identifier_error_quark        (void);

const char       *pb_identifier_kind_to_string     (PbIdentifierKind kind);
gboolean          pb_identifier_kind_from_string   (const char       *str,
                                                    PbIdentifierKind *kind);
const char       *pb_identifier_kind_label         (PbIdentifierKind kind);

char             *pb_identifier_normalize          (PbIdentifierKind  kind,
                                                    const char       *input,
                                                    GError          **error) G_GNUC_WARN_UNUSED_RESULT;
char             *pb_identifier_compact            (PbIdentifierKind  kind,
                                                    const char       *input) G_GNUC_WARN_UNUSED_RESULT;

int               pb_iso6346_check_digit           (const char       *first_ten);
int               pb_imo_check_digit               (const char       *first_six);

G_END_DECLS
