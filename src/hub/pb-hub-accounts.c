/* pb-hub-accounts.c: the hub's accounts and organisations, and enrolment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account belongs to one organisation; each organisation has a bit, its place in every
 * audience. Accounts are added with a one-time enrolment token; a device enrols with it
 * and gets the credential it sends on every request. Only SHA-256 digests of tokens and
 * credentials are kept. The organisations and people are also rows of their own
 * (organisations, people), written by the hub and delivered to everyone.
 */

#include "config.h"

#include "pb-hub-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

void
_pb_hub_load_orgs (PbHub *self)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ORGS_LOAD);

  g_hash_table_remove_all (self->org_bits);
  self->partner_orgs = 0;
  self->known_orgs = 0;
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      guint64 bit = G_GUINT64_CONSTANT (1) << sqlite3_column_int (s, 0);
      PbOrgKind kind = PB_ORG_PRIVATE_PARTNER;

      g_hash_table_insert (self->org_bits, g_strdup ((const char *) sqlite3_column_text (s, 1)),
                           g_memdup2 (&bit, sizeof bit));
      self->known_orgs |= bit;
      /* A kind that is not known here counts as the most restricted. */
      if (!pb_org_kind_from_string ((const char *) sqlite3_column_text (s, 2), &kind)
          || !pb_rules_is_member_kind (kind))
        self->partner_orgs |= bit;
    }
  sqlite3_reset (s);
}

guint64
_pb_hub_org_bit (PbHub      *self,
                 const char *org)
{
  guint64 *bit = org ? g_hash_table_lookup (self->org_bits, org) : NULL;
  return bit ? *bit : 0;
}

/* A secret for a token or credential: 32 bytes from the kernel's random source. */
static char *
new_secret (const char *prefix,
            GError    **error)
{
  guchar bytes[32];
  g_autofree char *b64 = NULL;
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      gssize n = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, _("No random bytes from the kernel: %s"),
                       g_strerror (saved_errno));
          return NULL;
        }
      filled += (gsize) n;
    }
  b64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strconcat (prefix, b64, NULL);
}

static char *
short_code (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name, " -_/", -1);
  GString *code = g_string_new (NULL);

  for (guint i = 0; words[i] && code->len < 4; i++)
    if (g_unichar_isalnum (g_utf8_get_char (words[i])) && *words[i])
      g_string_append_unichar (code, g_unichar_toupper (g_utf8_get_char (words[i])));
  if (code->len == 0)
    g_string_append (code, "ORG");
  return g_string_free (code, FALSE);
}

/* A row the hub itself writes (organisations, people), as one insert entry. */
static gboolean
hub_insert (PbHub             *self,
            PbHubBatch        *batch,
            const char        *tbl,
            const char        *row,
            const char *const *names,
            const char *const *values)
{
  g_autoptr(GString) json = g_string_new ("{");
  guint64 hlc = pb_hlc_tick (&self->hlc, _pb_hub_now_ms (self));
  sqlite3_stmt *s;
  PbHubEntry e;

  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GString) v = g_string_new (NULL);

      pb_json_append_string (v, values[i]);
      if (i > 0)
        g_string_append_c (json, ',');
      pb_json_append_string (json, names[i]);
      g_string_append_c (json, ':');
      g_string_append (json, v->str);

      s = _pb_hub_stmt (self, PB_HUB_STMT_HUB_FIELD_SET);
      sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 3, names[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 4, v->str, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (s, 5, (sqlite3_int64) hlc);
      sqlite3_bind_text (s, 6, self->site_id, -1, SQLITE_STATIC);
      if (sqlite3_step (s) != SQLITE_DONE)
        return FALSE;
    }
  g_string_append_c (json, '}');

  s = _pb_hub_stmt (self, PB_HUB_STMT_HUB_ROW_INSERT);
  sqlite3_bind_text (s, 1, tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, row, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, (sqlite3_int64) self->known_orgs);
  if (sqlite3_step (s) != SQLITE_DONE)
    return FALSE;

  e = (PbHubEntry) { self->site_id, hlc, tbl, row, "insert", NULL, json->str, self->site_id,
                     self->known_orgs, batch->by };
  batch->notified |= e.audience;
  return _pb_hub_append_entry (self, &e) != 0;
}

static gboolean
valid_name (const char *s)
{
  g_autofree char *stripped = NULL;

  if (s == NULL || !g_utf8_validate (s, -1, NULL) || g_utf8_strlen (s, -1) > 200)
    return FALSE;
  stripped = g_strstrip (g_strdup (s));
  return *stripped != '\0';
}

/* A role or a kind as the vocabulary spells it (the hub stores what it is given). */
static gboolean
canonical_role (const char *text,
                PbRole     *role)
{
  PbRole value;

  if (!pb_role_from_string (text, &value) || g_strcmp0 (text, pb_role_to_string (value)) != 0)
    return FALSE;
  if (role)
    *role = value;
  return TRUE;
}

static gboolean
canonical_kind (const char *text,
                PbOrgKind  *kind)
{
  PbOrgKind value;

  if (!pb_org_kind_from_string (text, &value) || g_strcmp0 (text, pb_org_kind_to_string (value)) != 0)
    return FALSE;
  if (kind)
    *kind = value;
  return TRUE;
}

/* What can be said of a new user before looking at the database. */
static gboolean
check_user (const char *name,
            const char *org,
            const char *org_kind,
            const char *role,
            GError    **error)
{
  if (!valid_name (name) || !valid_name (org))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("A user needs a name and an organisation (at most 200 characters)"));
      return FALSE;
    }
  if (!canonical_role (role, NULL))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Unknown role “%s”: chair, officer, partner or admin"), role ? role : "");
      return FALSE;
    }
  if (org_kind && !canonical_kind (org_kind, NULL))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Unknown kind of organisation “%s”: police, customs, prosecution or partner"), org_kind);
      return FALSE;
    }
  return TRUE;
}

/* The organisation named @org, if there is one: its id and kind. */
static void
find_org (PbHub      *self,
          const char *org,
          char      **id,
          char      **kind)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ORG_BY_NAME);

  sqlite3_bind_text (s, 1, org, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      *id = g_strdup ((const char *) sqlite3_column_text (s, 0));
      *kind = g_strdup ((const char *) sqlite3_column_text (s, 1));
    }
  sqlite3_reset (s);
}

/* A new organisation, the first time it is named: its id. */
static char *
add_org (PbHub      *self,
         PbHubBatch *batch,
         const char *org,
         const char *kind,
         GError    **error)
{
  g_autofree char *code = short_code (org);
  g_autofree char *org_id = NULL;
  int ordinal = -1;
  sqlite3_stmt *s;
  /* A colour for the organisation's badge, from the GNOME palette, by order of arrival. */
  static const char *palette[] = { "#1c71d8", "#2190a4", "#613583", "#c64600", "#26a269", "#a51d2d",
                                   "#e5a50a", "#865e3c", "#3584e4", "#9141ac" };
  const char *names[] = { "name", "short_code", "kind", "colour", NULL };
  const char *values[] = { org, code, kind, NULL, NULL };

  for (int i = 0; i < PB_HUB_MAX_ORGS; i++)
    if (!(self->known_orgs & (G_GUINT64_CONSTANT (1) << i)))
      {
        ordinal = i;
        break;
      }
  if (ordinal < 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("A hub serves at most %d organisations"), PB_HUB_MAX_ORGS);
      return NULL;
    }
  values[3] = palette[ordinal % G_N_ELEMENTS (palette)];
  org_id = pb_uuid_new ();
  s = _pb_hub_stmt (self, PB_HUB_STMT_ORG_INSERT);
  sqlite3_bind_int (s, 1, ordinal);
  sqlite3_bind_text (s, 2, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, org, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, kind, -1, SQLITE_STATIC);
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      _pb_hub_sql_error (error, self->db, _("Cannot add the organisation"));
      return NULL;
    }
  _pb_hub_load_orgs (self);
  if (!_pb_hub_welcome_org (self, batch, _pb_hub_org_bit (self, org_id))
      || !hub_insert (self, batch, "organisations", org_id, names, values))
    {
      _pb_hub_sql_error (error, self->db, _("Cannot add the organisation"));
      return NULL;
    }
  return g_steal_pointer (&org_id);
}

/* The organisation a new user belongs to, made if it is new: its id. */
static char *
user_org (PbHub      *self,
          PbHubBatch *batch,
          const char *org,
          const char *org_kind,
          const char *role,
          GError    **error)
{
  g_autofree char *org_id = NULL;
  g_autofree char *existing_kind = NULL;
  const char *kind;
  PbRole role_value = PB_ROLE_OFFICER;
  PbOrgKind kind_value = PB_ORG_PRIVATE_PARTNER;

  find_org (self, org, &org_id, &existing_kind);
  if (existing_kind && org_kind && g_strcmp0 (existing_kind, org_kind) != 0)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("“%s” is already an organisation of kind %s"), org, existing_kind);
      return NULL;
    }
  canonical_role (role, &role_value);
  kind = existing_kind ? existing_kind
         : org_kind ? org_kind : pb_org_kind_to_string (pb_rules_default_kind (role_value));
  canonical_kind (kind, &kind_value);
  if (!pb_rules_role_fits_kind (role_value, kind_value))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID,
                   _("Private partners are the users of partner organisations, and only they"));
      return NULL;
    }
  if (org_id == NULL)
    return add_org (self, batch, org, kind, error);
  return g_steal_pointer (&org_id);
}

/* The account and its person row, with the write lock held; its enrolment token. */
static char *
add_account (PbHub      *self,
             PbHubBatch *batch,
             const char *name,
             const char *org,
             const char *org_kind,
             const char *role,
             const char *person,
             GError    **error)
{
  g_autofree char *org_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  const char *names[] = { "name", "org", "role", NULL };
  const char *values[] = { name, NULL, role, NULL };
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_EXISTS);

  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      sqlite3_reset (s);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_EXISTS, _("There is already a user “%s”"), name);
      return NULL;
    }
  sqlite3_reset (s);

  org_id = user_org (self, batch, org, org_kind, role, error);
  if (org_id == NULL)
    return NULL;
  token = new_secret ("pbe_", error);
  if (token == NULL)
    return NULL;
  token_hash = _pb_hub_sha256_hex (token, -1);
  values[1] = org_id;
  s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_INSERT);
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, person, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 4, role, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 6, _pb_hub_now_ms (self));
  if (sqlite3_step (s) != SQLITE_DONE || !hub_insert (self, batch, "people", person, names, values)
      || !_pb_hub_audit_account_added (self, name, org_id, person, role))
    {
      _pb_hub_sql_error (error, self->db, _("Cannot add the user"));
      return NULL;
    }
  if (!_pb_hub_commit (self, error))
    return NULL;
  return g_steal_pointer (&token);
}

char *
pb_hub_add_user (PbHub      *self,
                 const char *name,
                 const char *org,
                 const char *org_kind,
                 const char *role,
                 GError    **error)
{
  g_autofree char *person = pb_uuid_new ();
  char *token;
  PbHubBatch batch;
  PbHubSaved saved;

  if (!check_user (name, org, org_kind, role, error))
    return NULL;
  _pb_hub_save (self, &saved);
  if (!_pb_hub_begin_write (self))
    {
      _pb_hub_sql_error (error, self->db, _("The hub database cannot be written"));
      return NULL;
    }
  _pb_hub_batch_init (&batch, "hub");
  token = add_account (self, &batch, name, org, org_kind, role, person, error);
  _pb_hub_batch_clear (&batch);
  if (token == NULL)
    _pb_hub_restore (self, &saved);
  return token;
}

static PbHubAccount *
account_from_row (PbHub        *self,
                  sqlite3_stmt *s)
{
  PbHubAccount *a = g_new0 (PbHubAccount, 1);

  a->name = g_strdup ((const char *) sqlite3_column_text (s, 0));
  a->person = g_strdup ((const char *) sqlite3_column_text (s, 1));
  a->org = g_strdup ((const char *) sqlite3_column_text (s, 2));
  a->org_name = g_strdup ((const char *) sqlite3_column_text (s, 3));
  a->role = g_strdup ((const char *) sqlite3_column_text (s, 4));
  a->site = g_strdup ((const char *) sqlite3_column_text (s, 5));
  a->created_at = sqlite3_column_int64 (s, 6);
  a->enrolled_at = sqlite3_column_int64 (s, 7);
  a->revoked_at = sqlite3_column_int64 (s, 8);
  a->org_bit = _pb_hub_org_bit (self, a->org);
  a->org_kind = g_strdup ((const char *) sqlite3_column_text (s, 9));
  return a;
}

GPtrArray *
pb_hub_list_users (PbHub   *self,
                   GError **error)
{
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNTS_LIST);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_hub_account_free);

  while (sqlite3_step (s) == SQLITE_ROW)
    g_ptr_array_add (out, account_from_row (self, s));
  sqlite3_reset (s);
  return out;
}

gboolean
pb_hub_revoke_user (PbHub      *self,
                    const char *name,
                    GError    **error)
{
  sqlite3_stmt *s;
  PbHubSaved saved;

  _pb_hub_save (self, &saved);
  if (!_pb_hub_begin_write (self))
    return _pb_hub_sql_error (error, self->db, _("The hub database cannot be written"));
  s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_REVOKE);
  sqlite3_bind_int64 (s, 1, _pb_hub_now_ms (self));
  sqlite3_bind_text (s, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step (s) != SQLITE_DONE || sqlite3_changes (self->db) != 1)
    {
      sqlite3_reset (s);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_NOT_FOUND,
                   _("There is no user “%s”, or they were already revoked"), name);
      _pb_hub_restore (self, &saved);
      return FALSE;
    }
  sqlite3_reset (s);
  if (!_pb_hub_audit_account_revoked (self, name) || !_pb_hub_commit (self, NULL))
    {
      _pb_hub_restore (self, &saved);
      return _pb_hub_sql_error (error, self->db, _("Cannot revoke the user"));
    }
  return TRUE;
}

PbHubAccount *
pb_hub_authenticate (PbHub      *self,
                     const char *credential)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *s;
  PbHubAccount *account = NULL;

  if (credential == NULL || !g_str_has_prefix (credential, "pbc_") || strlen (credential) > 100)
    return NULL;
  _pb_hub_reload_if_changed (self);
  hash = _pb_hub_sha256_hex (credential, -1);
  s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_BY_CREDENTIAL);
  sqlite3_bind_text (s, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    account = account_from_row (self, s);
  sqlite3_reset (s);
  return account;
}

/* ---- Enrolment -------------------------------------------------------------------- */

/* The account an enrolment token was given to, if it is still good for one enrolment. */
static PbHubAccount *
account_for_token (PbHub      *self,
                   const char *token,
                   GError    **error)
{
  g_autofree char *hash = _pb_hub_sha256_hex (token, -1);
  sqlite3_stmt *s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_BY_TOKEN);
  PbHubAccount *account = NULL;

  sqlite3_bind_text (s, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (s) == SQLITE_ROW)
    account = account_from_row (self, s);
  sqlite3_reset (s);
  if (account == NULL)
    g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_BAD_TOKEN,
                 _("This enrolment token is not valid: it is wrong, used or revoked"));
  return account;
}

/* Whether a site is the hub's own, an account's (revoked ones too) or has written changes. */
static gboolean
site_taken (PbHub      *self,
            const char *site)
{
  sqlite3_stmt *s;
  gboolean taken;

  if (g_str_equal (site, self->site_id))
    return TRUE;
  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM accounts WHERE site = ?1"
                                    " UNION ALL SELECT 1 FROM changes WHERE site = ?1 LIMIT 1", -1, &s, NULL)
      != SQLITE_OK)
    return TRUE;   /* not known to be free */
  sqlite3_bind_text (s, 1, site, -1, SQLITE_STATIC);
  taken = sqlite3_step (s) != SQLITE_DONE;
  sqlite3_finalize (s);
  return taken;
}

/* The token is spent; the device's site and its credential are kept. */
static gboolean
record_enrolment (PbHub              *self,
                  const PbHubAccount *account,
                  const char         *site,
                  const char         *credential,
                  GError            **error)
{
  g_autofree char *credential_hash = _pb_hub_sha256_hex (credential, -1);
  PbHubSaved saved;
  sqlite3_stmt *s;
  int rc;

  _pb_hub_save (self, &saved);
  if (!_pb_hub_begin_write (self))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_BUSY, _("The hub is busy; try again"));
      return FALSE;
    }
  s = _pb_hub_stmt (self, PB_HUB_STMT_ACCOUNT_ENROL);
  sqlite3_bind_text (s, 1, credential_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 3, _pb_hub_now_ms (self));
  sqlite3_bind_text (s, 4, account->name, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE || !_pb_hub_audit_enrolled (self, account->name, site) || !_pb_hub_commit (self, NULL))
    {
      _pb_hub_restore (self, &saved);
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_FAILED, _("The hub could not record the enrolment"));
      return FALSE;
    }
  return TRUE;
}

static char *
enrolment_reply (PbHub              *self,
                 const PbHubAccount *account,
                 const char         *credential)
{
  GString *out = g_string_new ("{\"credential\":");

  pb_json_append_string (out, credential);
  g_string_append (out, ",\"account\":");
  pb_json_append_string (out, account->name);
  g_string_append (out, ",\"person\":");
  pb_json_append_string (out, account->person);
  g_string_append (out, ",\"org\":");
  pb_json_append_string (out, account->org);
  g_string_append (out, ",\"org_name\":");
  pb_json_append_string (out, account->org_name);
  g_string_append (out, ",\"role\":");
  pb_json_append_string (out, account->role);
  g_string_append (out, ",\"hub_site\":");
  pb_json_append_string (out, self->site_id);
  g_string_append_printf (out, ",\"protocol\":%d}", PB_HUB_PROTOCOL);
  return g_string_free (out, FALSE);
}

gboolean
pb_hub_enrol (PbHub      *self,
              const char *body,
              gsize       length,
              char      **reply,
              GError    **error)
{
  static const char *const allowed[] = { "token", "site", NULL };
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(PbHubAccount) account = NULL;
  g_autofree char *credential = NULL;
  const char *token, *site;

  request = _pb_hub_parse_object (self, body, length, allowed, error);
  if (request == NULL)
    return FALSE;
  token = _pb_hub_member_string (request, "token");
  site = _pb_hub_member_string (request, "site");
  if (token == NULL || site == NULL)
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("Enrolment needs “token” and “site”, both strings"));
      return FALSE;
    }
  if (!pb_uuid_is_valid (site))
    {
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_INVALID, _("“site” must be a UUID"));
      return FALSE;
    }

  account = account_for_token (self, token, error);
  if (account == NULL)
    return FALSE;
  if (site_taken (self, site))
    {
      /* A change is known by its site and clock: a second device on a site in use could
       * have another's later changes dropped as ones seen before, or sign as the hub. The
       * token is not spent. */
      g_set_error (error, PB_HUB_ERROR, PB_HUB_ERROR_EXISTS,
                   _("This device is enrolled for someone else already: enrol from a new database"));
      return FALSE;
    }
  credential = new_secret ("pbc_", error);
  if (credential == NULL || !record_enrolment (self, account, site, credential, error))
    return FALSE;
  *reply = enrolment_reply (self, account, credential);
  return TRUE;
}
