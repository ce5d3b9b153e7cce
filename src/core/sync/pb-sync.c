/* pb-sync.c: the client side of synchronisation with the hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One round: push the outbox (this site's own entries of the change log, from where the
 * last push ended), then pull until the hub has nothing more. The engine speaks to the
 * hub, reads its answers and checks its audit chain; the store keeps the state of the
 * conversation and applies each pulled page through one entry point
 * (pb_store_apply_pulled, which merges, logs and announces it; see pb-store-sync.c).
 */

#include "config.h"

#include "pb-sync.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pb-util.h"

G_DEFINE_INTERFACE (PbTransport, pb_transport, G_TYPE_OBJECT)
G_DEFINE_QUARK (pb-sync-error-quark, pb_sync_error)

#define PAGE 1000
#define AUDIT_CHECK_PAGES 16

static void
pb_transport_default_init (PbTransportInterface *iface)
{
}

GBytes *
pb_transport_request (PbTransport  *self,
                      const char   *method,
                      const char   *path,
                      const char   *credential,
                      GBytes       *body,
                      guint        *status,
                      GError      **error)
{
  g_return_val_if_fail (PB_IS_TRANSPORT (self), NULL);
  return PB_TRANSPORT_GET_IFACE (self)->request (self, method, path, credential, body, status, error);
}

/* ---- Local state (sync_state, through the store) ------------------------------------- */

gboolean
pb_sync_is_enrolled (PbStore *store)
{
  g_autofree char *person = pb_store_get_sync_state (store, PB_SYNC_STATE_PERSON);
  return person != NULL;
}

char *
pb_sync_enrolled_person (PbStore *store)
{
  return pb_store_get_sync_state (store, PB_SYNC_STATE_PERSON);
}

/* The hub this database syncs with, and the fingerprint of the certificate it trusts. */
char *
pb_sync_get_hub (PbStore *store,
                 char   **fingerprint)
{
  if (fingerprint)
    *fingerprint = pb_store_get_sync_state (store, PB_SYNC_STATE_FINGERPRINT);
  return pb_store_get_sync_state (store, PB_SYNC_STATE_HUB);
}

gboolean
pb_sync_set_hub (PbStore    *store,
                 const char *url,
                 const char *fingerprint,
                 GError    **error)
{
  return pb_store_set_sync_state (store, PB_SYNC_STATE_HUB, url, error)
         && (fingerprint == NULL || pb_store_set_sync_state (store, PB_SYNC_STATE_FINGERPRINT, fingerprint, error));
}

gint64
pb_sync_last_synced (PbStore *store)
{
  return pb_store_get_sync_state_int (store, PB_SYNC_STATE_LAST_SYNCED);
}

/* ---- Requests ----------------------------------------------------------------------- */

/* A member of an answer if it is text, else NULL (json-glib's getters complain of a member
 * that is no value, and give NULL for a value of another type). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : fallback;
}

static gboolean
boolean_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

/* Sends a request and parses the JSON object it answers with; a refusal becomes @error
 * with the hub's own message. */
static JsonObject *
call (PbTransport *transport,
      const char  *method,
      const char  *path,
      const char  *credential,
      const char  *body,
      guint       *status_out,
      GError     **error)
{
  g_autoptr(GBytes) request = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  guint status = 0;

  answer = pb_transport_request (transport, method, path, credential, request, &status, &local);
  if (answer == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_UNREACHABLE,
                   _("The hub cannot be reached: %s"), local ? local->message : _("no answer"));
      return NULL;
    }
  if (status_out)
    *status_out = status;
  root = pb_json_parse (g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL,
                   _("The hub answered %u with something that is not JSON"), status);
      return NULL;
    }
  object = json_node_get_object (root);
  if (status != 200)
    {
      const char *code = string_member (object, "error");
      const char *message = string_member (object, "message");

      g_set_error (error, PB_SYNC_ERROR,
                   g_strcmp0 (code, "clock_ahead") == 0 ? PB_SYNC_ERROR_CLOCK : PB_SYNC_ERROR_REFUSED,
                   _("The hub refused (%u): %s"), status, message ? message : "");
      return NULL;
    }
  return json_object_ref (object);
}

gboolean
pb_sync_enrol (PbStore      *store,
               PbTransport  *transport,
               const char   *token,
               char        **credential,
               GError      **error)
{
  g_autoptr(GString) body = g_string_new ("{\"token\":");
  g_autoptr(JsonObject) answer = NULL;
  const char *keys[] = { "person", "org", "org_name", "account", "role", "hub_site" };
  gint64 last;

  pb_json_append_string (body, token);
  g_string_append (body, ",\"site\":");
  pb_json_append_string (body, pb_store_get_site_id (store));
  g_string_append_c (body, '}');
  answer = call (transport, "POST", "/v1/enrol", NULL, body->str, NULL, error);
  if (answer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (string_member (answer, keys[i]) == NULL)
      {
        g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub's answer to enrolment lacks “%s”"),
                     keys[i]);
        return FALSE;
      }
  if (string_member (answer, "credential") == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub's answer to enrolment lacks “%s”"),
                   "credential");
      return FALSE;
    }

  /* What this database held before is its own: only what is written from now on goes. */
  last = pb_store_get_last_change (store, error);
  if (last < 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = g_strconcat ("sync.", keys[i], NULL);
      if (!pb_store_set_sync_state (store, key, string_member (answer, keys[i]), error))
        return FALSE;
    }
  if (!pb_store_set_sync_state_int (store, PB_SYNC_STATE_PUSHED, last, error)
      || !pb_store_set_sync_state_int (store, PB_SYNC_STATE_CURSOR, 0, error))
    return FALSE;
  *credential = g_strdup (string_member (answer, "credential"));
  return TRUE;
}

/* ---- Push ------------------------------------------------------------------------- */

#define PUSH_PAGE 1000
/* A push body grows to about this much at most (a hub takes 8 MiB unless told otherwise);
 * a hub that finds it too large anyway gets half as many changes, down to one. */
#define PUSH_MAX_BYTES (1024 * 1024)

guint
pb_sync_waiting (PbStore *store)
{
  g_autofree char *person = pb_store_get_sync_state (store, PB_SYNC_STATE_PERSON);

  if (person == NULL)
    return 0;
  return pb_store_count_outbox (store, person, pb_store_get_sync_state_int (store, PB_SYNC_STATE_PUSHED));
}

static void
append_change (GString                *body,
               const PbOutgoingChange *c,
               const char             *site,
               const char             *person)
{
  g_string_append_printf (body, "{\"site\":\"%s\",\"hlc\":%" G_GUINT64_FORMAT ",\"tbl\":", site, c->hlc);
  pb_json_append_string (body, c->tbl);
  g_string_append (body, ",\"row\":");
  pb_json_append_string (body, c->row_id);
  g_string_append (body, ",\"op\":");
  pb_json_append_string (body, c->op);
  g_string_append (body, ",\"author\":");
  pb_json_append_string (body, person);
  if (c->field)
    {
      g_string_append (body, ",\"field\":");
      pb_json_append_string (body, c->field);
    }
  if (c->value)
    g_string_append_printf (body, ",\"value\":%s", c->value);
  if (c->has_base)
    {
      g_string_append_printf (body, ",\"base\":{\"hlc\":%" G_GUINT64_FORMAT ",\"site\":", c->base_hlc);
      pb_json_append_string (body, c->base_site);
      g_string_append_c (body, '}');
    }
  g_string_append_c (body, '}');
}

/* The changes the hub refused alone; the rest of the push was taken. A change to a row the
 * organisation lost sight of while offline goes, and the revocation that follows removes
 * the row here. A row the hub refused as another's duplicate (the same sharing made on two
 * devices) is taken out here at once: the other row, which the pull brings next, stands
 * for it, and would not fit beside it. */
static gboolean
take_refusals (PbStore     *store,
               JsonObject  *answer,
               GPtrArray   *changes,
               PbSyncStats *stats,
               GError     **error)
{
  JsonArray *rejected;

  if (!json_object_has_member (answer, "rejected")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "rejected")))
    return TRUE;
  rejected = json_object_get_array_member (answer, "rejected");
  stats->rejected += json_array_get_length (rejected);
  for (guint i = 0; i < json_array_get_length (rejected); i++)
    {
      JsonNode *node = json_array_get_element (rejected, i);
      JsonObject *why = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 index = why ? int_member (why, "index", -1) : -1;
      const PbOutgoingChange *c;

      if (why == NULL || index < 0 || index >= changes->len
          || g_strcmp0 (string_member (why, "error"), "duplicate") != 0)
        continue;
      c = changes->pdata[index];
      if (!g_str_equal (c->op, "insert"))
        continue;
      if (!pb_store_drop_refused (store, c->tbl, c->row_id, error))
        return FALSE;
      stats->dropped++;
    }
  return TRUE;
}

static gboolean
push (PbStore     *store,
      PbTransport *transport,
      const char  *credential,
      PbSyncStats *stats,
      GError     **error)
{
  g_autofree char *person = pb_store_get_sync_state (store, PB_SYNC_STATE_PERSON);
  const char *site = pb_store_get_site_id (store);
  guint page = PUSH_PAGE;

  for (;;)
    {
      gint64 pushed = pb_store_get_sync_state_int (store, PB_SYNC_STATE_PUSHED);
      g_autoptr(GPtrArray) changes = pb_store_read_outbox (store, person, pushed, page, error);
      g_autoptr(GString) body = g_string_new ("{\"changes\":[");
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) local = NULL;
      guint status = 0;
      guint n = 0;
      gint64 last;

      if (changes == NULL)
        return FALSE;
      if (changes->len == 0)
        return TRUE;
      for (; n < changes->len && (n == 0 || body->len < PUSH_MAX_BYTES); n++)
        {
          if (n > 0)
            g_string_append_c (body, ',');
          append_change (body, changes->pdata[n], site, person);
        }
      g_string_append (body, "]}");
      g_ptr_array_set_size (changes, n);
      last = ((PbOutgoingChange *) changes->pdata[n - 1])->seq;

      answer = call (transport, "POST", "/v1/push", credential, body->str, &status, &local);
      if (answer == NULL && status == 413 && n > 1)
        {
          page = n / 2;
          continue;
        }
      if (answer == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      stats->pushed += (guint) int_member (answer, "accepted", 0);
      if (!take_refusals (store, answer, changes, stats, error))
        return FALSE;
      if (!pb_store_set_sync_state_int (store, PB_SYNC_STATE_PUSHED, last, error))
        return FALSE;
    }
}

/* ---- Pull ------------------------------------------------------------------------- */

static gboolean
protocol_error (GError    **error,
                const char *what)
{
  g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, _("The hub sent a change this client cannot read: %s"),
               what);
  return FALSE;
}

/* A pulled change, as a row of the pull's "rows" form (PB_SYNC_PULL_COLUMNS). Members of
 * the wrong type read as missing; a null value is a value (set to NULL). */
static const char *
string_at (JsonArray *array,
           guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
read_change (JsonNode       *node,
             PbPulledChange *c)
{
  JsonArray *row;
  JsonNode *hlc, *base;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (row = json_node_get_array (node)) != 10)
    return FALSE;
  hlc = json_array_get_element (row, 2);
  base = json_array_get_element (row, 9);
  c->site = string_at (row, 1);
  c->hlc = JSON_NODE_HOLDS_VALUE (hlc) && json_node_get_value_type (hlc) == G_TYPE_INT64
           ? (guint64) json_node_get_int (hlc) : 0;
  c->tbl = string_at (row, 3);
  c->row = string_at (row, 4);
  c->op = string_at (row, 5);
  c->field = string_at (row, 6);
  c->value = json_array_get_element (row, 7);
  c->author = string_at (row, 8);
  c->base = JSON_NODE_HOLDS_OBJECT (base) ? json_node_get_object (base) : NULL;
  return TRUE;
}

/* ---- Fetching pages ----------------------------------------------------------------
 *
 * Pages are fetched, read and checked against the audit chain by a thread of their own
 * while this one applies the page before: the hub's serving and the reading of JSON run
 * beside the writes. It never touches the store; pages come in order with what applying
 * them needs, and go back to it to be freed (each one returned lets it fetch one more, so
 * that at most a few pages are held). */

typedef struct
{
  JsonObject *answer;
  JsonArray  *changes;
  gint64      next;
  gboolean    more;
  gint64      audit_seq;
  const char *audit_hash;
  gboolean    audit_checked;
  GError     *error;   /* fetching or checking failed: the last page */
} Page;

typedef struct
{
  PbTransport *transport;
  const char  *credential;
  gint64       cursor;
  gint64       audit_seq;    /* the chain head last checked */
  char        *audit_hash;   /* or NULL before the first */
  JsonNode    *columns;      /* PB_SYNC_PULL_COLUMNS, read once */
  gboolean     checked;      /* a head of this pull */
  guint        unchecked;    /* pages since */
  GAsyncQueue *pages;        /* fetched, in order */
  GAsyncQueue *returned;     /* applied (or a token to fetch one more), for this thread */
  gint         stop;
} Fetcher;

/* A token on the returned queue that is no page. */
static Page fetch_more;

static void
page_free (Page *page)
{
  if (page == NULL || page == &fetch_more)
    return;
  g_clear_pointer (&page->answer, json_object_unref);
  g_clear_error (&page->error);
  g_free (page);
}

/* A member of an answer, or NULL when it is missing or of another type (json-glib's own
 * getters complain of a missing member). */
static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Checks that the audit chain head the hub shows now (@seq, @hash) extends the one it
 * showed before (@known, @known_hash; NULL the first time). */
static gboolean
verify_audit (PbTransport *transport,
              const char  *credential,
              gint64       known,
              const char  *known_hash,
              gint64       seq,
              const char  *hash,
              GError     **error)
{
  g_autofree char *prev = NULL;

  if (hash == NULL || strlen (hash) != 64)
    return protocol_error (error, "audit");
  if (known_hash == NULL || seq == known)
    {
      if (known_hash && g_strcmp0 (known_hash, hash) != 0)
        goto broken;
      return TRUE;
    }
  if (seq < known)
    goto broken;

  prev = g_strdup (known_hash);
  while (known < seq)
    {
      g_autofree char *path = g_strdup_printf ("/v1/audit/links?after=%" G_GINT64_FORMAT, known);
      g_autoptr(JsonObject) answer = call (transport, "GET", path, credential, NULL, NULL, error);
      JsonObject *from, *to;
      JsonArray *leaves;
      guint n;

      if (answer == NULL)
        return FALSE;
      from = object_member (answer, "from");
      to = object_member (answer, "to");
      leaves = array_member (answer, "leaves");
      if (from == NULL || to == NULL || leaves == NULL
          || g_strcmp0 (string_member (from, "hash"), prev) != 0)
        goto broken;
      n = json_array_get_length (leaves);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *leaf = json_array_get_element (leaves, i);
          g_autofree char *joined = NULL;

          if (!JSON_NODE_HOLDS_VALUE (leaf) || json_node_get_value_type (leaf) != G_TYPE_STRING)
            goto broken;
          joined = g_strconcat (prev, json_node_get_string (leaf), NULL);
          g_free (prev);
          prev = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);
        }
      /* Each link is one entry of the chain: the answer ends that many entries further on
       * (a hub that said otherwise could keep this loop asking for ever). */
      if (n == 0 || int_member (to, "seq", 0) != known + (gint64) n
          || g_strcmp0 (string_member (to, "hash"), prev) != 0)
        goto broken;
      known += n;
    }
  /* The head given with the pull may be older than the newest link: find it on the way. */
  if (known != seq || g_strcmp0 (prev, hash) != 0)
    {
      if (known > seq)
        return TRUE;
      goto broken;
    }
  return TRUE;

broken:
  g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_AUDIT,
               _("The hub's audit log does not extend what it showed before: it may have been altered"));
  return FALSE;
}

static Page *
fetch_page (Fetcher *f)
{
  g_autofree char *path = g_strdup_printf ("/v1/pull?since=%" G_GINT64_FORMAT "&limit=%d&form=rows", f->cursor,
                                           PAGE);
  Page *page = g_new0 (Page, 1);
  JsonObject *audit;

  page->answer = call (f->transport, "GET", path, f->credential, NULL, NULL, &page->error);
  if (page->answer == NULL)
    return page;
  page->changes = array_member (page->answer, "rows");
  audit = object_member (page->answer, "audit");
  page->next = int_member (page->answer, "next", -1);
  page->more = boolean_member (page->answer, "more");
  /* "More" must move on: a page that says so without passing the cursor would be asked
   * for again and again. */
  if (page->changes == NULL || audit == NULL || page->next < f->cursor || (page->more && page->next == f->cursor)
      || !json_object_has_member (page->answer, "columns")
      || !json_node_equal (json_object_get_member (page->answer, "columns"), f->columns))
    {
      protocol_error (&page->error, "pull");
      return page;
    }
  page->audit_seq = int_member (audit, "seq", 0);
  page->audit_hash = string_member (audit, "hash");
  f->cursor = page->next;
  /* The head is checked on the first page of a pull, so that nothing is taken from a hub
   * whose chain no longer extends what it showed before, on the last, and every few pages
   * between (each check asks the hub for the links since the last); a head not checked is
   * not kept. */
  if (page->more && f->checked && ++f->unchecked < AUDIT_CHECK_PAGES)
    return page;
  if (!verify_audit (f->transport, f->credential, f->audit_seq, f->audit_hash, page->audit_seq,
                     page->audit_hash, &page->error))
    return page;
  page->audit_checked = TRUE;
  f->checked = TRUE;
  f->unchecked = 0;
  f->audit_seq = page->audit_seq;
  g_free (f->audit_hash);
  f->audit_hash = g_strdup (page->audit_hash);
  return page;
}

static gpointer
fetcher_thread (gpointer data)
{
  Fetcher *f = data;

  for (;;)
    {
      Page *page;

      page_free (g_async_queue_pop (f->returned));
      if (g_atomic_int_get (&f->stop))
        break;
      page = fetch_page (f);
      g_async_queue_push (f->pages, page);
      if (page->error || !page->more)
        break;
    }
  return NULL;
}

/* Reads a page's changes and hands them to the store, which applies, logs and announces
 * them in one transaction together with where the page leaves this replica. */
static gboolean
apply_page (PbStore     *store,
            Page        *page,
            PbSyncStats *stats,
            GError     **error)
{
  guint n = json_array_get_length (page->changes);
  g_autofree PbPulledChange *changes = g_new0 (PbPulledChange, MAX (n, 1));
  PbPullMark mark = { page->next, page->audit_checked, page->audit_seq, page->audit_hash };
  g_autoptr(GError) local = NULL;

  for (guint i = 0; i < n; i++)
    if (!read_change (json_array_get_element (page->changes, i), &changes[i]))
      return protocol_error (error, "change");
  if (pb_store_apply_pulled (store, changes, n, &mark, stats, &local))
    return TRUE;
  /* What the hub sent does not read as a change: the answer breaks the protocol. */
  if (g_error_matches (local, PB_STORE_ERROR, PB_STORE_ERROR_UNREADABLE_CHANGE))
    g_set_error_literal (error, PB_SYNC_ERROR, PB_SYNC_ERROR_PROTOCOL, local->message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
pull (PbStore     *store,
      PbTransport *transport,
      const char  *credential,
      PbSyncStats *stats,
      GError     **error)
{
  Fetcher f = {
    .transport = transport,
    .credential = credential,
    .cursor = pb_store_get_sync_state_int (store, PB_SYNC_STATE_CURSOR),
    .audit_seq = pb_store_get_sync_state_int (store, PB_SYNC_STATE_AUDIT_SEQ),
    .audit_hash = pb_store_get_sync_state (store, PB_SYNC_STATE_AUDIT_HASH),
    .pages = g_async_queue_new (),
    .returned = g_async_queue_new (),
    .columns = json_from_string (PB_SYNC_PULL_COLUMNS, NULL),
  };
  GThread *thread;
  gboolean ok = TRUE, more;
  Page *page;

  pb_store_set_pulling (store, TRUE);
  /* The page being applied, the next one fetched and read meanwhile. */
  g_async_queue_push (f.returned, &fetch_more);
  g_async_queue_push (f.returned, &fetch_more);
  thread = g_thread_new ("pb-sync-fetch", fetcher_thread, &f);
  do
    {
      page = g_async_queue_pop (f.pages);
      more = page->more;
      if (page->error)
        {
          g_propagate_error (error, g_steal_pointer (&page->error));
          ok = FALSE;
        }
      else
        ok = apply_page (store, page, stats, error);
      if (!ok || !more)
        {
          g_atomic_int_set (&f.stop, TRUE);
          g_async_queue_push (f.returned, &fetch_more);
        }
      /* From here the page is the fetcher's to free. */
      g_async_queue_push (f.returned, page);
    }
  while (ok && more);
  g_thread_join (thread);
  pb_store_set_pulling (store, FALSE);

  while ((page = g_async_queue_try_pop (f.pages)) != NULL)
    page_free (page);
  while ((page = g_async_queue_try_pop (f.returned)) != NULL)
    page_free (page);
  g_async_queue_unref (f.pages);
  g_async_queue_unref (f.returned);
  g_free (f.audit_hash);
  json_node_unref (f.columns);
  return ok;
}

gboolean
pb_sync_once (PbStore      *store,
              PbTransport  *transport,
              const char   *credential,
              PbSyncStats  *stats,
              GError      **error)
{
  PbSyncStats local = { 0 };
  g_autofree char *person = pb_store_get_sync_state (store, PB_SYNC_STATE_PERSON);

  if (stats == NULL)
    stats = &local;
  memset (stats, 0, sizeof *stats);
  if (person == NULL)
    {
      g_set_error (error, PB_SYNC_ERROR, PB_SYNC_ERROR_NOT_ENROLLED, _("This database is not enrolled with a hub"));
      return FALSE;
    }
  if (!push (store, transport, credential, stats, error)
      || !pull (store, transport, credential, stats, error))
    {
      stats->waiting = pb_sync_waiting (store);
      return FALSE;
    }
  /* The enrolled person acts here once the hub has sent who they are. */
  if (pb_store_get_actor (store) == NULL)
    pb_store_set_actor (store, person, NULL);
  stats->waiting = pb_sync_waiting (store);
  return pb_store_set_sync_state_int (store, PB_SYNC_STATE_LAST_SYNCED, g_get_real_time () / 1000, error);
}
