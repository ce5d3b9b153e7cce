/* pb-meeting-private.h: what the meeting files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "pb-meeting.h"
#include "pb-store-private.h"

G_BEGIN_DECLS

char         *_pb_meeting_column_dup   (sqlite3_stmt *stmt,
                                        int           column);
gboolean      _pb_meeting_invalid      (GError      **error,
                                        const char   *message);
gboolean      _pb_meeting_not_found    (GError      **error,
                                        const char   *message);
gboolean      _pb_meeting_is_blank     (const char   *s);
gboolean      _pb_meeting_may_read     (PbStore      *self,
                                        GError      **error);
gboolean      _pb_meeting_check_chair  (PbStore      *self,
                                        GError      **error);
sqlite3_stmt *_pb_meeting_prepare      (PbStore      *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      _pb_meeting_write_one    (PbStore      *self,
                                        PbOp          op,
                                        PbRecord     *record,
                                        GError      **error);
PbMeeting    *_pb_meeting_open_meeting (PbStore      *self,
                                        const char   *meeting_id,
                                        GError      **error);

G_END_DECLS
