/* test-identifier.c: identifiers with the worked examples of domain.md §1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pb-identifier.h"

static void
assert_normal (PbIdentifierKind kind,
               const char      *input,
               const char      *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = pb_identifier_normalize (kind, input, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (normal, ==, expected);
}

static void
assert_invalid (PbIdentifierKind  kind,
                const char       *input,
                PbIdentifierError code,
                const char       *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = pb_identifier_normalize (kind, input, &error);

  g_assert_null (normal);
  g_assert_error (error, PB_IDENTIFIER_ERROR, (int) code);
  if (message_part)
    g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_container_valid (void)
{
  /* CSQU3054383: sum 6185, 6185 mod 11 = 3 */
  assert_normal (PB_IDENTIFIER_CONTAINER, "CSQU3054383", "CSQU3054383");
  assert_normal (PB_IDENTIFIER_CONTAINER, "csqu 305438 3", "CSQU3054383");
  assert_normal (PB_IDENTIFIER_CONTAINER, "  CSQU-305438-3 ", "CSQU3054383");
  /* TASU1170000: remainder 10 gives check digit 0 */
  assert_normal (PB_IDENTIFIER_CONTAINER, "TASU 117000 0", "TASU1170000");
  assert_normal (PB_IDENTIFIER_CONTAINER, "TCNU7200794", "TCNU7200794");
  assert_normal (PB_IDENTIFIER_CONTAINER, "TOLU4734787", "TOLU4734787");
  assert_normal (PB_IDENTIFIER_CONTAINER, "GYOU4047990", "GYOU4047990");
  g_assert_cmpint (pb_iso6346_check_digit ("ABCU123456"), ==, 0);
  g_assert_cmpint (pb_iso6346_check_digit ("CSQU305438"), ==, 3);
}

static void
test_container_invalid (void)
{
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQU3054384", PB_IDENTIFIER_ERROR_CHECK_DIGIT,
                  "expected check digit is 3");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQU305438", PB_IDENTIFIER_ERROR_LENGTH, "not 10");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQU30543831", PB_IDENTIFIER_ERROR_LENGTH, "not 12");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "C5QU3054383", PB_IDENTIFIER_ERROR_CHARACTERS, "“5”");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQX3054383", PB_IDENTIFIER_ERROR_CHARACTERS, "U, J or Z");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQU30543A3", PB_IDENTIFIER_ERROR_CHARACTERS, "digit");
  assert_invalid (PB_IDENTIFIER_CONTAINER, "   ", PB_IDENTIFIER_ERROR_EMPTY, NULL);
  assert_invalid (PB_IDENTIFIER_CONTAINER, "CSQU\xff\xfe", PB_IDENTIFIER_ERROR_CHARACTERS, "UTF-8");
}

static void
test_imo (void)
{
  assert_normal (PB_IDENTIFIER_IMO, "IMO 9074729", "9074729");
  assert_normal (PB_IDENTIFIER_IMO, "IMO 9319466", "9319466");
  assert_normal (PB_IDENTIFIER_IMO, "imo8814275", "8814275");
  assert_normal (PB_IDENTIFIER_IMO, "9836878", "9836878");
  assert_invalid (PB_IDENTIFIER_IMO, "IMO 8814274", PB_IDENTIFIER_ERROR_CHECK_DIGIT,
                  "expected check digit is 5");
  assert_invalid (PB_IDENTIFIER_IMO, "IMO 931946", PB_IDENTIFIER_ERROR_LENGTH, "not 6");
  assert_invalid (PB_IDENTIFIER_IMO, "IMO 93194A6", PB_IDENTIFIER_ERROR_CHARACTERS, NULL);
  g_assert_cmpint (pb_imo_check_digit ("907472"), ==, 9);
}

static void
test_mmsi (void)
{
  assert_normal (PB_IDENTIFIER_MMSI, "205 123 456", "205123456");
  assert_normal (PB_IDENTIFIER_MMSI, "MMSI 247123456", "247123456");
  assert_invalid (PB_IDENTIFIER_MMSI, "20512345", PB_IDENTIFIER_ERROR_LENGTH, "not 8");
  assert_invalid (PB_IDENTIFIER_MMSI, "2051234X6", PB_IDENTIFIER_ERROR_CHARACTERS, NULL);
}

static void
test_locode (void)
{
  assert_normal (PB_IDENTIFIER_LOCODE, "BE ANR", "BEANR");
  assert_normal (PB_IDENTIFIER_LOCODE, "nlrtm", "NLRTM");
  assert_normal (PB_IDENTIFIER_LOCODE, "EC GYE", "ECGYE");
  assert_invalid (PB_IDENTIFIER_LOCODE, "BE AN1", PB_IDENTIFIER_ERROR_CHARACTERS, "“1”");
  assert_invalid (PB_IDENTIFIER_LOCODE, "B3ANR", PB_IDENTIFIER_ERROR_CHARACTERS, NULL);
  assert_invalid (PB_IDENTIFIER_LOCODE, "BEANRX", PB_IDENTIFIER_ERROR_LENGTH, "not 6");
}

static void
test_references (void)
{
  PbIdentifierKind kind;
  g_autofree char *compact = NULL;

  assert_normal (PB_IDENTIFIER_SEAL, "be 1234-567", "BE1234567");
  assert_normal (PB_IDENTIFIER_PLATE, "1-abc-123", "1ABC123");
  assert_normal (PB_IDENTIFIER_COMPANY, "  Noordkaai   Logistics ", "NOORDKAAI LOGISTICS");
  assert_invalid (PB_IDENTIFIER_SEAL, "BE#12", PB_IDENTIFIER_ERROR_CHARACTERS, "“#”");

  g_assert_true (pb_identifier_kind_from_string ("IMO", &kind));
  g_assert_cmpint (kind, ==, PB_IDENTIFIER_IMO);
  g_assert_false (pb_identifier_kind_from_string ("passport", &kind));

  compact = pb_identifier_compact (PB_IDENTIFIER_IMO, "IMO 1234567");
  g_assert_cmpstr (compact, ==, "1234567");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/identifier/container-valid", test_container_valid);
  g_test_add_func ("/unit/identifier/container-invalid", test_container_invalid);
  g_test_add_func ("/unit/identifier/imo", test_imo);
  g_test_add_func ("/unit/identifier/mmsi", test_mmsi);
  g_test_add_func ("/unit/identifier/locode", test_locode);
  g_test_add_func ("/unit/identifier/references", test_references);
  return g_test_run ();
}
