/* pb-hub.h: the sync hub's data: accounts, the shared change log, need-to-know, audit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything the hub decides is here, without HTTP, so that it can be tested directly;
 * pb-hub-server.c only carries requests to it. The protocol is described in
 * docs/sync-protocol.md.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PB_HUB_PROTOCOL       1
#define PB_HUB_MAX_ORGS       63
#define PB_HUB_MAX_BATCH      1000
#define PB_HUB_MAX_PAGE       5000
#define PB_HUB_MAX_FUTURE_MS  (5 * 60 * 1000)
/* A request body: arrays and objects nested at most this deep, and at most this many values
 * (a push of PB_HUB_MAX_BATCH changes of the widest table has fewer than 40,000). */
#define PB_HUB_MAX_DEPTH      64
/* The largest request body taken (the setting max-body) unless told otherwise. */
#define PB_HUB_DEFAULT_MAX_BODY (8 * 1024 * 1024)
#define PB_HUB_MAX_VALUES     100000

#define PB_HUB_ERROR (pb_hub_error_quark ())
/* Every kind of refusal. pb_hub_error_to_http() (pb-hub-http.h) gives each its HTTP status
 * and the code clients see (docs/sync-protocol.md). PB_HUB_ERROR_BUSY stays the last. */
typedef enum
{
  PB_HUB_ERROR_INVALID,         /* 400 invalid: a wrong member, table, field, value */
  PB_HUB_ERROR_NOT_FOUND,       /* 404 not_found: in a push, refuses that change alone */
  PB_HUB_ERROR_EXISTS,          /* 409 exists: the account is there already */
  PB_HUB_ERROR_CORRUPT,         /* 500 failed: not a hub database, a broken audit chain */
  PB_HUB_ERROR_FAILED,          /* 500 failed */
  PB_HUB_ERROR_MALFORMED,       /* 400 malformed: not UTF-8, not JSON, not an object */
  PB_HUB_ERROR_UNKNOWN_FIELD,   /* 400 unknown_field */
  PB_HUB_ERROR_NO_CREDENTIAL,   /* 401 no_credential */
  PB_HUB_ERROR_BAD_CREDENTIAL,  /* 401 bad_credential */
  PB_HUB_ERROR_BAD_TOKEN,       /* 401 bad_token: an enrolment token wrong, used or revoked */
  PB_HUB_ERROR_READ_ONLY,       /* 403 read_only: a push by a partner or an administrator */
  PB_HUB_ERROR_WRONG_SITE,      /* 403 wrong_site */
  PB_HUB_ERROR_WRONG_AUTHOR,    /* 403 wrong_author */
  PB_HUB_ERROR_FORBIDDEN,       /* 403 forbidden */
  PB_HUB_ERROR_METHOD,          /* 405 method */
  PB_HUB_ERROR_CLOCK_AHEAD,     /* 409 clock_ahead */
  PB_HUB_ERROR_TOO_LARGE,       /* 413 too_large: a request body */
  PB_HUB_ERROR_TOO_MANY,        /* 413 too_many: changes in a push */
  PB_HUB_ERROR_DUPLICATE,       /* 409 duplicate: in a push, refuses that change alone */
  PB_HUB_ERROR_BUSY,            /* 503 busy */
} PbHubError;

GQuark pb_hub_error_quark (void);

typedef struct
{
  char   *name;
  char   *person;
  char   *org;
  char   *org_name;
  char   *role;
  char   *org_kind;
  char   *site;        /* NULL until enrolled */
  gint64  created_at;
  gint64  enrolled_at; /* 0: not yet */
  gint64  revoked_at;  /* 0: not revoked */
  guint64 org_bit;
} PbHubAccount;

void          pb_hub_account_free    (PbHubAccount *account);
PbHubAccount *pb_hub_account_copy    (const PbHubAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PbHubAccount, pb_hub_account_free)

#define PB_TYPE_HUB (pb_hub_get_type ())
G_DECLARE_FINAL_TYPE (PbHub, pb_hub, PB, HUB, GObject)

PbHub        *pb_hub_open            (const char   *data_dir,
                                      GError      **error);
const char   *pb_hub_get_data_dir    (PbHub        *self);
const char   *pb_hub_get_site_id     (PbHub        *self);
void          pb_hub_set_clock       (PbHub        *self,
                                      gint64      (*now_ms) (gpointer),
                                      gpointer      user_data);

char         *pb_hub_add_user        (PbHub        *self,
                                      const char   *name,
                                      const char   *org,
                                      const char   *org_kind,
                                      const char   *role,
                                      GError      **error);
GPtrArray    *pb_hub_list_users      (PbHub        *self,
                                      GError      **error);
gboolean      pb_hub_revoke_user     (PbHub        *self,
                                      const char   *name,
                                      GError      **error);
PbHubAccount *pb_hub_authenticate    (PbHub        *self,
                                      const char   *credential);

/* Requests. Each sets @reply to its JSON answer and returns TRUE, or fails with a
 * PB_HUB_ERROR, and then nothing has changed (pb_hub_error_reply() is the answer). */
gboolean      pb_hub_enrol           (PbHub        *self,
                                      const char   *body,
                                      gsize         length,
                                      char        **reply,
                                      GError      **error);
gboolean      pb_hub_push            (PbHub        *self,
                                      const PbHubAccount *account,
                                      const char   *body,
                                      gsize         length,
                                      guint64      *audience,
                                      char        **reply,
                                      GError      **error);
gboolean      pb_hub_pull            (PbHub        *self,
                                      const PbHubAccount *account,
                                      const char   *since,
                                      const char   *limit,
                                      const char   *form,
                                      char        **reply,
                                      GError      **error);
gboolean      pb_hub_audit_links     (PbHub        *self,
                                      const PbHubAccount *account,
                                      const char   *after,
                                      char        **reply,
                                      GError      **error);
char         *pb_hub_health          (PbHub        *self);
void          pb_hub_set_max_request (PbHub        *self,
                                      gsize         max_body);
char         *pb_hub_health_public   (PbHub        *self,
                                      const char   *status);

gint64        pb_hub_last_seq        (PbHub        *self);
gboolean      pb_hub_verify_audit    (PbHub        *self,
                                      gint64       *n_entries,
                                      gint64       *first_bad,
                                      GError      **error);

G_END_DECLS
