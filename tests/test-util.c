/* test-util.c: row identifiers, the hybrid logical clock, JSON strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "pb-util.h"

static void
test_uuid (void)
{
  g_autofree char *a = pb_uuid_new ();
  g_autofree char *b = pb_uuid_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree char *c = pb_uuid_new_from_rand (rand, G_GINT64_CONSTANT (0x0123456789ab));

  g_assert_true (pb_uuid_is_valid (a));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (a[14], ==, '7');                 /* version 7 */
  g_assert_true (strchr ("89ab", a[19]) != NULL);    /* RFC 4122 variant */
  g_assert_true (g_str_has_prefix (c, "01234567-89ab-7"));
  g_assert_false (pb_uuid_is_valid ("01234567-89AB-7000-8000-000000000000"));
  g_assert_false (pb_uuid_is_valid ("01234567-89ab-7000-8000-00000000000"));
  g_assert_false (pb_uuid_is_valid ("01234567x89ab-7000-8000-000000000000"));
  g_assert_false (pb_uuid_is_valid (NULL));
}

static void
test_hlc (void)
{
  PbHlc hlc = { 0 };
  guint64 t1 = pb_hlc_tick (&hlc, 1000);
  guint64 t2 = pb_hlc_tick (&hlc, 1000);   /* same millisecond: the counter goes up */
  guint64 t3 = pb_hlc_tick (&hlc, 900);    /* the wall clock went back: still later */
  guint64 t4 = pb_hlc_tick (&hlc, 2000);

  g_assert_cmpuint (t1, ==, G_GUINT64_CONSTANT (1000) << 16);
  g_assert_cmpuint (t2, ==, t1 + 1);
  g_assert_cmpuint (t3, ==, t2 + 1);
  g_assert_cmpuint (t4, ==, G_GUINT64_CONSTANT (2000) << 16);
  g_assert_cmpint (pb_hlc_wall_ms (t4), ==, 2000);

  /* A remote stamp from the future is folded in: the next local one is later still. */
  pb_hlc_observe (&hlc, G_GUINT64_CONSTANT (5000) << 16, 2000);
  g_assert_cmpuint (pb_hlc_tick (&hlc, 2001), >, G_GUINT64_CONSTANT (5000) << 16);
}

static void
test_json_string (void)
{
  const char *inputs[] = { "plain", "quote \" and backslash \\", "new\nline\ttab\rcr",
                           "control \x01\x1f end", "Puerto Bolívar “quoted”", "" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      pb_json_append_string (out, inputs[i]);
      node = json_from_string (out->str, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (node), ==, inputs[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/util/uuid", test_uuid);
  g_test_add_func ("/unit/util/hlc", test_hlc);
  g_test_add_func ("/unit/util/json-string", test_json_string);
  return g_test_run ();
}
