/* pb-context.h: who is signed in, and what the rulebook lets them do, as properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "pb-rules.h"
#include "pb-store.h"

G_BEGIN_DECLS

#define PB_TYPE_CONTEXT (pb_context_get_type ())
G_DECLARE_FINAL_TYPE (PbContext, pb_context, PB, CONTEXT, GObject)

PbContext     *pb_context_new              (PbStore    *store) G_GNUC_WARN_UNUSED_RESULT;
PbStore       *pb_context_get_store        (PbContext  *self);
gboolean       pb_context_sign_in          (PbContext  *self,
                                            const char *person,
                                            GError    **error);
const PbActor *pb_context_get_actor        (PbContext  *self);
gboolean       pb_context_get_signed_in    (PbContext  *self);
const char    *pb_context_get_person_name  (PbContext  *self);
const char    *pb_context_get_org_code     (PbContext  *self);
const char    *pb_context_get_org_name     (PbContext  *self);
PbRole         pb_context_get_role         (PbContext  *self);
gboolean       pb_context_get_can_write    (PbContext  *self);
gboolean       pb_context_get_is_chair     (PbContext  *self);
gboolean       pb_context_get_is_partner   (PbContext  *self);
gboolean       pb_context_get_sees_meetings (PbContext *self);

G_END_DECLS
