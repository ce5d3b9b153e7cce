/* pb-util.h: identifiers for rows and sites, the hybrid logical clock, JSON helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char    *pb_uuid_new           (void) G_GNUC_WARN_UNUSED_RESULT;
char    *pb_uuid_new_from_rand (GRand *rand, gint64 unix_ms) G_GNUC_WARN_UNUSED_RESULT;
gboolean pb_uuid_is_valid      (const char *str);

/* Hybrid logical clock: (wall milliseconds << 16) | counter. */
typedef struct
{
  guint64 last;
} PbHlc;

guint64  pb_hlc_tick           (PbHlc *hlc, gint64 wall_ms);
void     pb_hlc_observe        (PbHlc *hlc, guint64 remote, gint64 wall_ms);
gint64   pb_hlc_wall_ms        (guint64 stamp);

void     pb_json_append_string (GString *out, const char *str);
JsonNode *pb_json_parse        (const char *data, gssize length, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
