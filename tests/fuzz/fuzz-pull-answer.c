/* fuzz-pull-answer.c: the client's reading of what the hub answers to a sync round
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pb_sync_once() on an enrolled database, over a transport that gives the answers the
 * input holds, in order: the pull pages (GET /v1/pull), the audit chain's links
 * (GET /v1/audit/links) and what else the client asks for. The answers are separated by a
 * line "====" ("\n====\n"); an answer that begins with a line "!NNN" comes with that HTTP
 * status (else 200); when they run out the hub is unreachable. Answers left after a round
 * that succeeded go to the next one (up to three rounds). Everything from the
 * decoding of the JSON to the store's pb_store_apply_pulled() runs as in the app. Besides
 * the sanitizers: a round that fails says why, and the database's access log stays a
 * valid chain whatever the hub sent.
 *
 * The database is enrolled as FUZZ_PERSON of FUZZ_ORG; it is put back as it was after
 * every input that may have changed it.
 */

#include <string.h>

#include <gio/gio.h>

#include "fuzz-util.h"
#include "pb-store.h"
#include "pb-sync.h"

#define FUZZ_PERSON    "01a21900-0000-7000-8000-0000000000a1"
#define FUZZ_ORG       "01a21900-0000-7000-8000-0000000000a2"
#define FUZZ_HUB_SITE  "01a21900-0000-7000-8000-0000000000a3"
#define SEPARATOR      "\n====\n"

/* ---- A transport that answers from the input ----------------------------------------- */

#define FUZZ_TYPE_TRANSPORT (fuzz_transport_get_type ())
G_DECLARE_FINAL_TYPE (FuzzTransport, fuzz_transport, FUZZ, TRANSPORT, GObject)

struct _FuzzTransport
{
  GObject    parent_instance;
  GPtrArray *answers;   /* GBytes */
  guint      next;
};

static void fuzz_transport_iface_init (PbTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FuzzTransport, fuzz_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PB_TYPE_TRANSPORT, fuzz_transport_iface_init))

static GBytes *
fuzz_transport_request (PbTransport  *transport,
                        const char   *method,
                        const char   *path,
                        const char   *credential,
                        GBytes       *body,
                        guint        *status,
                        GError      **error)
{
  FuzzTransport *self = FUZZ_TRANSPORT (transport);
  GBytes *answer;
  gsize size;
  const char *data;

  if (self->next >= self->answers->len)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "no more answers");
      return NULL;
    }
  answer = g_ptr_array_index (self->answers, self->next++);
  data = g_bytes_get_data (answer, &size);
  *status = 200;
  if (size >= 5 && data[0] == '!' && g_ascii_isdigit (data[1]) && g_ascii_isdigit (data[2])
      && g_ascii_isdigit (data[3]) && data[4] == '\n')
    {
      *status = (guint) ((data[1] - '0') * 100 + (data[2] - '0') * 10 + (data[3] - '0'));
      return g_bytes_new_from_bytes (answer, 5, size - 5);
    }
  return g_bytes_ref (answer);
}

static void
fuzz_transport_iface_init (PbTransportInterface *iface)
{
  iface->request = fuzz_transport_request;
}

static void
fuzz_transport_finalize (GObject *object)
{
  g_ptr_array_unref (FUZZ_TRANSPORT (object)->answers);
  G_OBJECT_CLASS (fuzz_transport_parent_class)->finalize (object);
}

static void
fuzz_transport_class_init (FuzzTransportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fuzz_transport_finalize;
}

static void
fuzz_transport_init (FuzzTransport *self)
{
  self->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static FuzzTransport *
fuzz_transport_new (const uint8_t *data,
                    size_t         size)
{
  FuzzTransport *self = g_object_new (FUZZ_TYPE_TRANSPORT, NULL);
  gsize sep = strlen (SEPARATOR);
  size_t start = 0;

  for (size_t i = 0; i + sep <= size; i++)
    if (memcmp (data + i, SEPARATOR, sep) == 0)
      {
        g_ptr_array_add (self->answers, g_bytes_new (data + start, i - start));
        start = i + sep;
        i += sep - 1;
      }
  g_ptr_array_add (self->answers, g_bytes_new (data + start, size - start));
  return self;
}

/* ---- The database --------------------------------------------------------------------- */

static char *db_path;
static GBytes *image;
static PbStore *store;
static gboolean dirty;

static void
open_store (void)
{
  g_autoptr(GError) error = NULL;

  store = pb_store_open (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
}

static void
set_up (void)
{
  static const char enrolment[] =
    "{\"credential\":\"pbc_fuzz\",\"account\":\"Karim\",\"person\":\"" FUZZ_PERSON "\",\"org\":\"" FUZZ_ORG "\","
    "\"org_name\":\"Federal Police\",\"role\":\"officer\",\"hub_site\":\"" FUZZ_HUB_SITE "\",\"protocol\":1}";
  g_autoptr(FuzzTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL;
  gsize length;
  char *data;

  fuzz_init ();
  db_path = g_build_filename (fuzz_tmp_dir (), "client.db", NULL);
  open_store ();
  transport = fuzz_transport_new ((const uint8_t *) enrolment, strlen (enrolment));
  if (!pb_sync_set_hub (store, "https://hub.invalid", NULL, &error)
      || !pb_sync_enrol (store, PB_TRANSPORT (transport), "pbe_fuzz", &credential, &error))
    g_error ("%s", error->message);
  g_clear_object (&store);
  if (!g_file_get_contents (db_path, &data, &length, &error))
    g_error ("%s", error->message);
  image = g_bytes_new_take (data, length);
  open_store ();
}

static void
reset (void)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&store);
  fuzz_remove_db (db_path);
  if (!g_file_set_contents (db_path, g_bytes_get_data (image, NULL), (gssize) g_bytes_get_size (image), &error))
    g_error ("%s", error->message);
  open_store ();
}

static gboolean
sync_state_moved (void)
{
  g_autofree char *hash = pb_store_get_sync_state (store, PB_SYNC_STATE_AUDIT_HASH);

  return pb_store_get_sync_state_int (store, PB_SYNC_STATE_CURSOR) != 0
         || pb_store_get_sync_state_int (store, PB_SYNC_STATE_AUDIT_SEQ) != 0 || hash != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FuzzTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  PbSyncStats stats = { 0 };
  gint64 first_bad = 0;
  gboolean ok;

  if (image == NULL)
    set_up ();
  else if (dirty)
    reset ();
  dirty = FALSE;

  transport = fuzz_transport_new (data, size);
  for (guint round = 0; round < 3 && transport->next < transport->answers->len; round++)
    {
      ok = pb_sync_once (store, PB_TRANSPORT (transport), "pbc_fuzz", &stats, &error);
      g_assert (ok == (error == NULL));
      /* Most answers are refused before anything is applied: then the database is as it
       * was, and is not put back. A page without changes moves the cursor and the audit
       * head alone. */
      dirty |= ok || stats.received > 0 || stats.revoked > 0 || sync_state_moved ();
      if (g_getenv ("PB_FUZZ_VERBOSE"))
        g_printerr ("round %u: %s (received %u, applied %u, revoked %u)\n", round, ok ? "ok" : error->message,
                    stats.received, stats.applied, stats.revoked);
      if (!ok)
        break;
    }
  g_clear_error (&error);
  if (!pb_store_verify_access_log (store, &first_bad, &error))
    g_error ("after a sync round the access log is broken at %" G_GINT64_FORMAT ": %s", first_bad,
             error ? error->message : "");
  return 0;
}
