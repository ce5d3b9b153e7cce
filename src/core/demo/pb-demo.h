/* pb-demo.h: a deterministic, fictional Port of Antwerp-Bruges dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint32 seed;
  guint   n_items;          /* default 320 */
  guint   n_cases;          /* default 40 */
  guint   n_incidents;      /* default 200 */
  guint   identifiers_per_item; /* 0: one to three, at random */
  gint64  reference_time;   /* unix seconds "now" of the dataset; 0: 2026-11-20 09:00 UTC */
  gboolean no_meetings;     /* without the held and the open consultation */
} PbDemoOptions;

void     pb_demo_options_init (PbDemoOptions *options);
gboolean pb_demo_generate     (PbStore             *store,
                               const PbDemoOptions *options,
                               GError             **error);

typedef struct
{
  const char *name;
  const char *smdg;
  double      lat;
  double      lon;
} PbTerminal;

const PbTerminal *pb_demo_terminals (guint *n_terminals);

G_END_DECLS
