/* pb-bench-util.h: what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line per figure: "bench: NAME = VALUE UNIT (target OP VALUE)".
 */

#pragma once

#include <glib.h>
#include <stdio.h>

static inline double
pb_bench_now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static inline void
pb_bench_report (const char *name,
                 double      value,
                 const char *unit,
                 const char *op,
                 double      target)
{
  g_print ("bench: %s = %.*f %s (target %s %g)\n", name, value < 10 ? 2 : 1, value, unit, op, target);
}

static inline int
pb_bench_compare_double (gconstpointer a,
                         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}
