/* pb-demo.c: a deterministic, fictional Port of Antwerp-Bruges dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything comes from one GRand seeded with the options' seed, so the same seed gives
 * the same rows, UUIDs included. People's names are made up from invented surnames; the
 * two private partners are fictional companies. Terminal coordinates are the public SMDG
 * ones (domain.md §4.1); seizure amounts are scaled so that one year of demo seizures adds
 * up to Belgian customs' 2023 figure for the port (116 t, domain.md §4.2).
 */

#define G_LOG_DOMAIN "pb-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "pb-demo.h"
#include "pb-meeting.h"
#include "pb-identifier.h"
#include "pb-store-private.h"
#include "pb-util.h"

#define DEFAULT_REFERENCE_TIME G_GINT64_CONSTANT (1795683600) /* 2026-11-20 09:00 UTC */
#define ANTWERP_2023_SEIZED_KG 116000.0

static const PbTerminal terminals[] = {
  { "MPET Deurganck Dock", "K1742", 51.29278, 4.25750 },
  { "Antwerp Gateway", "1700", 51.29194, 4.26556 },
  { "Europa Terminal", "K869", 51.33833, 4.27611 },
  { "Noordzee Terminal", "K913", 51.35083, 4.26528 },
  { "Churchill Terminal", "K420", 51.27889, 4.36528 },
  { "Antwerp Container Terminal", "ACOT", 51.32417, 4.34639 },
  { "Antwerp Euroterminal", "AET", 51.27306, 4.20333 },
  { "Belgian New Fruit Wharf", "BNFW", 51.2617, 4.3783 },
};

const PbTerminal *
pb_demo_terminals (guint *n_terminals)
{
  *n_terminals = G_N_ELEMENTS (terminals);
  return terminals;
}

typedef struct
{
  const char *name;
  const char *code;
  const char *kind;
  const char *colour;
} OrgSpec;

static const OrgSpec orgs[] = {
  { "Federal Judicial Police Antwerp", "FGP", "police", "#1c71d8" },
  { "Maritime Police Antwerp", "SPN", "police", "#2190a4" },
  { "Local Police Antwerp", "LPA", "police", "#613583" },
  { "Customs Antwerp", "DOU", "customs", "#c88800" },
  { "Port Prosecutor's Office", "PRK", "prosecution", "#a51d2d" },
  { "Scheldemond Quay Terminals", "SQT", "partner", "#865e3c" },
  { "Meridian Reefer Line", "MRL", "partner", "#5e5c64" },
};

enum { ORG_FGP, ORG_SPN, ORG_LPA, ORG_DOU, ORG_PRK, ORG_SQT, ORG_MRL, N_ORGS };

static const char *first_names[] = {
  "Anke", "Bram", "Chloé", "Dries", "Elif", "Femke", "Gilles", "Hanne", "Ilias", "Jolien",
  "Karim", "Lotte", "Maarten", "Nadia", "Olivier", "Pieter", "Rania", "Sander", "Tine", "Yannick",
};

/* Invented surnames, built to sound Flemish or Walloon without being common real ones. */
static const char *last_names[] = {
  "Aerdeleyn", "Bruystens", "Claeverhout", "Dorlaeckx", "Everaens", "Fonteynck", "Gheerbrandt",
  "Hoogstraelen", "Ingelbroeck", "Jaspaert", "Kerckhaert", "Lemmeroy", "Moerdyck", "Noothaert",
  "Oostvlaeminck", "Plancquaert", "Roobrouckx", "Scheldewaert", "Tielemaere", "Verschaelde",
};

static const char *owner_codes[] = {
  "MRLU", "SQTU", "NVCU", "AXLU", "BRZU", "CQAU", "DLVU", "EQXU", "FRTU", "GLDU",
};

static const char *vessel_names[] = {
  "Meridian Aurora", "Meridian Boreal", "Scheldt Pioneer", "Cap Quillota", "Rio Estrella",
  "Costa Verdadera", "Nordic Kestrel", "Guayas Trader", "Santos Meridian", "Pacific Ondina",
  "Atlantic Lumen", "Caribe Sol", "Esmeralda Bay", "Andes Reefer", "Polar Guaiaquil",
  "Cartagena Star", "Baltic Orion", "Volta Express", "Isla Moin", "Buena Ventura",
};

static const char *origins[] = {
  "Guayaquil (EC GYE)", "Puerto Bolívar (EC PBO)", "Cartagena (CO CTG)", "Santos (BR SSZ)",
  "Paranaguá (BR PNG)", "Moín (CR MOB)", "Caucedo (DO CAU)", "Buenaventura (CO BUN)",
  "San Antonio (CL SAI)", "Manzanillo (MX ZLO)",
};

static const char *goods[] = {
  "bananas", "pineapples", "frozen shrimp", "fruit pulp", "coffee beans", "cut flowers",
  "timber", "scrap metal", "tinned fish", "soybeans",
};

static const char *companies[] = {
  "Fruta del Pacífico Import BVBA", "Noordkaai Logistics", "Zuiderdok Trading",
  "Polder Freight Forwarding", "Agrovia Export SA", "Blauwe Sluis Transport",
  "Tropicana Verde Holdings", "Kempen Cold Storage",
};

static const char *closing_reasons[] = {
  "Seized and handed to the investigating judge",
  "No further action: information not confirmed",
  "Merged into the case file",
  "Passed to the Rotterdam HARC team",
};

typedef struct
{
  GRand   *rand;
  PbStore *store;
  gint64   now;
  gint64   n_ids;
  char    *org_ids[N_ORGS];
  GPtrArray *people;       /* person ids */
  GArray    *people_org;   /* guint org index of each person */
  GArray    *people_role;  /* PbRole of each person */
  GPtrArray *cases;
  GPtrArray *case_last_item; /* per case, its latest item */
  GPtrArray *items;
  GPtrArray *containers;   /* pool shared across organisations, for hits */
  GPtrArray *imos;
  gint64     clock_ms;     /* the store's clock while the demo writes */
} Demo;

static guint
pick (Demo *d,
      guint n)
{
  return (guint) g_rand_int_range (d->rand, 0, (gint32) n);
}

static double
uniform (Demo *d)
{
  return g_rand_double (d->rand);
}

static char *
new_id (Demo *d)
{
  /* UUIDv7: the time part counts up from the dataset's clock, one millisecond per row, as
   * rows made one after the other get; the random part comes from the seeded generator. */
  return pb_uuid_new_from_rand (d->rand, d->now * 1000 + d->n_ids++);
}

static char *
make_container (Demo *d)
{
  char s[12];
  g_snprintf (s, sizeof s, "%s%06u", owner_codes[pick (d, G_N_ELEMENTS (owner_codes))],
              pick (d, 1000000));
  s[10] = '0' + pb_iso6346_check_digit (s);
  s[11] = '\0';
  return g_strdup (s);
}

static char *
make_imo (Demo *d)
{
  char s[8];
  g_snprintf (s, sizeof s, "9%05u", 100000 + pick (d, 800000) % 100000);
  s[6] = '0' + pb_imo_check_digit (s);
  s[7] = '\0';
  return g_strdup (s);
}

static gboolean
write_record (Demo     *d,
              PbOp      op,
              PbRecord *record,
              GError  **error)
{
  return pb_store_write (d->store, op, record, error);
}

static gboolean
make_orgs_and_people (Demo    *d,
                      GError **error)
{
  /* Twelve people of every role. Chairs are port prosecutors and their deputies;
   * officers come from the police services and customs; partners from the two companies;
   * each organisation has its own administrators. */
  static const guint chair_orgs[] = { ORG_PRK };
  static const guint officer_orgs[] = { ORG_FGP, ORG_SPN, ORG_LPA, ORG_DOU };
  static const guint partner_orgs[] = { ORG_SQT, ORG_MRL };
  static const guint admin_orgs[] = { ORG_FGP, ORG_SPN, ORG_LPA, ORG_DOU, ORG_PRK, ORG_SQT, ORG_MRL };
  struct { PbRole role; const guint *orgs; guint n; } plan[] = {
    { PB_ROLE_CHAIR, chair_orgs, G_N_ELEMENTS (chair_orgs) },
    { PB_ROLE_OFFICER, officer_orgs, G_N_ELEMENTS (officer_orgs) },
    { PB_ROLE_PARTNER, partner_orgs, G_N_ELEMENTS (partner_orgs) },
    { PB_ROLE_ADMIN, admin_orgs, G_N_ELEMENTS (admin_orgs) },
  };
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < N_ORGS; i++)
    {
      g_autoptr(PbRecord) r = pb_record_new ("organisations", NULL);
      g_autofree char *id = new_id (d);

      pb_record_set_id (r, id);
      pb_record_set_string (r, "name", orgs[i].name);
      pb_record_set_string (r, "short_code", orgs[i].code);
      pb_record_set_string (r, "kind", orgs[i].kind);
      pb_record_set_string (r, "colour", orgs[i].colour);
      if (!write_record (d, PB_OP_INSERT, r, error))
        return FALSE;
      d->org_ids[i] = g_strdup (id);
    }

  for (guint p = 0; p < G_N_ELEMENTS (plan); p++)
    {
      for (guint k = 0; k < 12; k++)
        {
          g_autoptr(PbRecord) r = pb_record_new ("people", NULL);
          g_autofree char *id = new_id (d);
          g_autofree char *name = NULL;
          guint org = plan[p].orgs[k % plan[p].n];

          do
            {
              g_free (name);
              name = g_strdup_printf ("%s %s", first_names[pick (d, G_N_ELEMENTS (first_names))],
                                      last_names[pick (d, G_N_ELEMENTS (last_names))]);
            }
          while (g_hash_table_contains (used, name));
          g_hash_table_add (used, g_strdup (name));

          pb_record_set_id (r, id);
          pb_record_set_string (r, "name", name);
          pb_record_set_string (r, "org", d->org_ids[org]);
          pb_record_set_string (r, "role", pb_role_to_string (plan[p].role));
          if (!write_record (d, PB_OP_INSERT, r, error))
            return FALSE;

          g_ptr_array_add (d->people, g_strdup (id));
          g_array_append_val (d->people_org, org);
          g_array_append_val (d->people_role, plan[p].role);
        }
    }

  return TRUE;
}

/* A writer of the given organisation: an officer, or a chair at the prosecutor's office. */
static const char *
author_for (Demo *d,
            guint org)
{
  guint n = d->people->len;
  guint start = pick (d, n);

  for (guint k = 0; k < n; k++)
    {
      guint i = (start + k) % n;
      PbRole role = g_array_index (d->people_role, PbRole, i);

      if (g_array_index (d->people_org, guint, i) == org
          && (role == PB_ROLE_OFFICER || role == PB_ROLE_CHAIR))
        return g_ptr_array_index (d->people, i);
    }
  g_assert_not_reached ();
  return NULL;
}

/* Why the lead went to each service, in the order of the organisations above. */
static const char *handover_reasons[] = {
  "Money flows and a criminal organisation behind it: the judicial police take over",
  "The vessel is at the heart of it: the maritime police take over",
  "The network works on the terminal: the local police lead",
  "Declarations and release codes: customs lead the next steps",
  "Several services involved: the prosecutor's office directs the case",
};

/* A lead decision, taken at the consultation and recorded by its chair. */
static gboolean
write_lead (Demo        *d,
            const char  *case_id,
            guint        org,
            gint64       when,
            const char  *reason,
            GError     **error)
{
  g_autoptr(PbRecord) r = pb_record_new ("case_leads", NULL);
  g_autofree char *id = new_id (d);

  pb_record_set_id (r, id);
  pb_record_set_string (r, "case_id", case_id);
  pb_record_set_string (r, "org", d->org_ids[org]);
  pb_record_set_int (r, "decided_at", when);
  /* Signed by who records it (a pick is still drawn, so that the demo's other data stay
   * as they were). */
  (void) author_for (d, ORG_PRK);
  pb_record_set_string (r, "decided_by", pb_store_get_actor (d->store));
  if (reason)
    pb_record_set_string (r, "reason", reason);
  return write_record (d, PB_OP_INSERT, r, error);
}

static gboolean
make_cases (Demo    *d,
            guint    n_cases,
            GError **error)
{
  static const char *themes[] = {
    "Reefer line from", "Extraction network at", "PIN-code fraud via",
    "Insider at", "Hull concealment from", "Front company",
  };

  if (!pb_store_set_actor (d->store, author_for (d, ORG_PRK), error))
    return FALSE;

  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(PbRecord) r = pb_record_new ("cases", NULL);
      g_autofree char *id = new_id (d);
      g_autofree char *title = NULL;
      const char *theme = themes[pick (d, G_N_ELEMENTS (themes))];
      const char *subject;
      gboolean closed = uniform (d) < 0.25;
      gint64 opened = d->now - (gint64) (uniform (d) * 400 * 86400);
      gint64 closed_at;
      guint lead;

      if (strstr (theme, "Insider") || strstr (theme, "network"))
        subject = terminals[pick (d, G_N_ELEMENTS (terminals))].name;
      else if (strstr (theme, "company"))
        subject = companies[pick (d, G_N_ELEMENTS (companies))];
      else
        subject = origins[pick (d, G_N_ELEMENTS (origins))];

      title = g_strdup_printf ("C-%04u %s %s", 100 + i, theme, subject);
      lead = pick (d, ORG_PRK + 1);
      closed_at = closed ? opened + (gint64) (uniform (d) * 200 * 86400) : 0;

      pb_record_set_id (r, id);
      pb_record_set_string (r, "title", title);
      pb_record_set_string (r, "lead_org", d->org_ids[lead]);
      pb_record_set_string (r, "source_org", d->org_ids[ORG_PRK]);
      pb_record_set_string (r, "status", closed ? "closed" : "open");
      pb_record_set_int (r, "opened_at", opened);
      if (closed)
        pb_record_set_int (r, "closed_at", closed_at);
      if (!write_record (d, PB_OP_INSERT, r, error)
          || !write_lead (d, id, lead, opened, NULL, error))
        return FALSE;

      /* A third of the cases changed hands: the consultation gave the lead to another
       * service when the investigation took another turn. */
      if (uniform (d) < 0.33)
        {
          g_autoptr(PbRecord) update = pb_record_new ("cases", id);
          guint next = (lead + 1 + pick (d, ORG_PRK)) % (ORG_PRK + 1);
          gint64 when = opened + (gint64) ((3 + pick (d, 60)) * 86400);

          if (closed && when > closed_at)
            when = closed_at;
          if (when > d->now)
            when = d->now;
          if (!write_lead (d, id, next, when, handover_reasons[next], error))
            return FALSE;
          pb_record_set_string (update, "lead_org", d->org_ids[next]);
          if (!write_record (d, PB_OP_UPDATE, update, error))
            return FALSE;
        }
      g_ptr_array_add (d->cases, g_strdup (id));
      g_ptr_array_add (d->case_last_item, NULL);
    }

  return TRUE;
}

static void
add_identifier (Demo       *d,
                GPtrArray  *act,
                const char *item,
                const char *kind,
                const char *value)
{
  PbRecord *r = pb_record_new ("identifiers", NULL);
  g_autofree char *id = new_id (d);

  pb_record_set_id (r, id);
  pb_record_set_string (r, "item", item);
  pb_record_set_string (r, "kind", kind);
  pb_record_set_string (r, "raw", value);
  g_ptr_array_add (act, r);
}

static gboolean
make_items (Demo                *d,
            const PbDemoOptions *options,
            GError             **error)
{
  static const double tlp_weights[PB_N_TLP] = { 0.10, 0.30, 0.35, 0.10, 0.15 };
  static const double status_weights[PB_N_STATUSES] = { 0.18, 0.17, 0.15, 0.18, 0.14, 0.18 };
  static const guint source_orgs[] = { ORG_FGP, ORG_FGP, ORG_SPN, ORG_LPA, ORG_DOU, ORG_DOU, ORG_DOU, ORG_PRK };
  double rank[PB_N_STATUSES] = { 0 };
  guint n_mo;
  const PbModusOperandi *mo = pb_modus_operandi_list (&n_mo);
  g_autoptr(PbRecord) r = pb_record_new ("items", NULL);
  g_autoptr(GPtrArray) act = g_ptr_array_new_with_free_func ((GDestroyNotify) pb_record_free);

  for (guint i = 0; i < MAX (150, options->n_items / 2); i++)
    g_ptr_array_add (d->containers, make_container (d));
  /* A fleet in proportion to the reports: twenty named ships for the demo, more (their names
   * repeating) for the large datasets of the benchmarks, so that hits stay as rare. */
  for (guint i = 0; i < MAX (G_N_ELEMENTS (vessel_names), options->n_items / 16); i++)
    g_ptr_array_add (d->imos, make_imo (d));

  for (guint n = 0; n < options->n_items; n++)
    {
      g_autofree char *id = new_id (d);
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;
      g_autofree char *container = NULL;
      guint case_index;
      const char *author;
      guint org = source_orgs[pick (d, G_N_ELEMENTS (source_orgs))];
      guint fleet_index = pick (d, d->imos->len);
      guint vessel = fleet_index % G_N_ELEMENTS (vessel_names);
      const PbTerminal *term = &terminals[pick (d, G_N_ELEMENTS (terminals))];
      const char *origin = origins[pick (d, G_N_ELEMENTS (origins))];
      const char *cargo = goods[pick (d, G_N_ELEMENTS (goods))];
      PbTlp tlp = PB_TLP_CLEAR;
      PbStatus status = PB_STATUS_INCOMING;
      double x;
      guint template;
      const char *company = NULL;
      const char *mo_code;
      gint64 reported;

      x = uniform (d);
      for (guint k = 0; k < PB_N_TLP; k++)
        {
          if (x < tlp_weights[k])
            {
              tlp = k;
              break;
            }
          x -= tlp_weights[k];
          tlp = k;
        }
      x = uniform (d);
      for (guint k = 0; k < PB_N_STATUSES; k++)
        {
          if (x < status_weights[k])
            {
              status = k;
              break;
            }
          x -= status_weights[k];
          status = k;
        }

      /* Shared containers make cross-agency hits: a third of the items use the pool. */
      container = uniform (d) < 0.33 ? g_strdup (g_ptr_array_index (d->containers,
                                                                    pick (d, d->containers->len)))
                                     : make_container (d);

      template = pick (d, 7);
      switch (template)
        {
        case 0:
          title = g_strdup_printf ("Reefer %s from %s: cooling unit opened", container, origin);
          body = g_strdup_printf ("Scan of reefer %s (%s) at %s shows anomalies in the machinery "
                                  "compartment. Declared consignee unknown at the address.",
                                  container, cargo, term->name);
          mo_code = "MO-REEFER";
          break;
        case 1:
          title = g_strdup_printf ("Extraction team expected at %s", term->name);
          body = g_strdup_printf ("Source reports a team of four planning to enter %s at night "
                                  "to empty container %s after discharge from %s.",
                                  term->name, container, vessel_names[vessel]);
          mo_code = "MO-EXTRACT";
          break;
        case 2:
          title = g_strdup_printf ("Release code for %s requested twice", container);
          body = g_strdup_printf ("Two pick-up requests for %s within an hour from different "
                                  "hauliers; the second one failed identity checks.",
                                  container);
          mo_code = "MO-PIN";
          break;
        case 3:
          title = g_strdup_printf ("Seal mismatch on %s", container);
          body = g_strdup_printf ("Seal found on %s differs from the seal declared on the bill of "
                                  "lading; %s from %s.", container, cargo, origin);
          mo_code = "MO-RIPON";
          break;
        case 4:
          title = g_strdup_printf ("Divers seen near %s", vessel_names[vessel]);
          body = g_strdup_printf ("Crew of a tug reported divers at the hull of %s while berthed "
                                  "at %s.", vessel_names[vessel], term->name);
          mo_code = "MO-HULL";
          break;
        case 5:
          title = g_strdup_printf ("Terminal employee asked about scan results of %s", container);
          body = g_strdup_printf ("An employee at %s asked colleagues whether %s had been "
                                  "selected for scanning.", term->name, container);
          mo_code = "MO-INSIDER";
          break;
        default:
          company = companies[pick (d, G_N_ELEMENTS (companies))];
          title = g_strdup_printf ("%s in %s: front company suspected", company, cargo);
          body = g_strdup_printf ("Newly registered importer of %s from %s; container %s paid in "
                                  "cash.", cargo, origin, container);
          mo_code = "MO-CARGO";
          break;
        }

      reported = d->now - (gint64) (uniform (d) * 120 * 86400);

      pb_record_clear (r);
      pb_record_set_id (r, id);
      pb_record_set_string (r, "title", title);
      pb_record_set_string (r, "body", body);
      pb_record_set_string (r, "source_org", d->org_ids[org]);
      author = author_for (d, org);
      pb_record_set_string (r, "author", author);
      pb_record_set_int (r, "reported_at", reported);
      pb_record_set_int (r, "event_time", reported - (gint64) (uniform (d) * 5 * 86400));
      pb_record_set_string (r, "status", pb_status_to_string (status));
      pb_record_set_double (r, "rank", ++rank[status]);
      pb_record_set_string (r, "priority", pb_priority_to_string (pick (d, PB_N_PRIORITIES)));
      pb_record_set_string (r, "tlp", pb_tlp_to_string (tlp));
      {
        char rel[2] = { 'A' + pick (d, 6), 0 };
        char cred[2] = { '1' + pick (d, 6), 0 };
        pb_record_set_string (r, "reliability", rel);
        pb_record_set_string (r, "credibility", cred);
      }
      if (uniform (d) < 0.4)
        {
          g_autofree char *both = g_strdup_printf ("%s,%s", mo_code, mo[pick (d, n_mo)].code);
          if (strstr (both + strlen (mo_code) + 1, mo_code) == NULL)
            pb_record_set_string (r, "modus_operandi", both);
          else
            pb_record_set_string (r, "modus_operandi", mo_code);
        }
      else
        pb_record_set_string (r, "modus_operandi", mo_code);

      if (uniform (d) < 0.7)
        {
          pb_record_set_double (r, "lat", term->lat + (uniform (d) - 0.5) * 0.004);
          pb_record_set_double (r, "lon", term->lon + (uniform (d) - 0.5) * 0.006);
          pb_record_set_string (r, "port_area", term->name);
        }
      if (status >= PB_STATUS_LEAD_ASSIGNED)
        pb_record_set_string (r, "lead_org", d->org_ids[pick (d, ORG_PRK + 1)]);
      if (status == PB_STATUS_IN_ACTION || status == PB_STATUS_LEAD_ASSIGNED)
        {
          g_autoptr(GDateTime) due = g_date_time_new_from_unix_utc (reported + (gint64) ((7 + pick (d, 50)) * 86400));
          g_autofree char *s = g_date_time_format (due, "%Y-%m-%d");
          pb_record_set_string (r, "due_date", s);
        }
      if (status == PB_STATUS_CLOSED)
        pb_record_set_string (r, "closing_reason", closing_reasons[pick (d, G_N_ELEMENTS (closing_reasons))]);
      /* Reports go into the cases their service sees (as the hub would have it), written by
       * their author (a second pick is still drawn, so that the demo's other data stay as
       * they were). */
      (void) author_for (d, org);
      if (!pb_store_set_actor (d->store, author, error))
        return FALSE;
      case_index = G_MAXUINT;
      if (d->cases->len > 0 && uniform (d) < 0.4)
        {
          case_index = pick (d, d->cases->len);
          if (pb_store_may_see (d->store, "cases", g_ptr_array_index (d->cases, case_index)))
            pb_record_set_string (r, "case_id", g_ptr_array_index (d->cases, case_index));
          else
            case_index = G_MAXUINT;
        }

      /* The item, its identifiers and its sharing are one act of collection. */
      g_ptr_array_set_size (act, 0);
      if (options->identifiers_per_item)
        {
          /* Benchmarks: a container and a vessel on every item. */
          add_identifier (d, act, id, "container", container);
          for (guint k = 1; k < options->identifiers_per_item; k++)
            add_identifier (d, act, id, "imo", g_ptr_array_index (d->imos, (fleet_index + k - 1) % d->imos->len));
        }
      else
        {
          /* The demo: the container of the report, the vessel when the report is about
           * one, the company when it is, and sometimes the seal that was found. */
          add_identifier (d, act, id, "container", container);
          if (template == 1 || template == 4)
            add_identifier (d, act, id, "imo", g_ptr_array_index (d->imos, fleet_index));
          if (template == 6)
            add_identifier (d, act, id, "company", company);
          if (template == 3 || uniform (d) < 0.2)
            {
              char seal[16];
              g_snprintf (seal, sizeof seal, "BE%07u", pick (d, 10000000));
              add_identifier (d, act, id, "seal", seal);
            }
        }

      /* Sharing: AMBER goes to one or two other services; some GREEN is released to the
       * partners; RED reaches the port prosecutor. */
      {
        guint targets[3];
        guint n_targets = 0;

        if (tlp == PB_TLP_AMBER || tlp == PB_TLP_AMBER_STRICT)
          {
            targets[n_targets++] = pick (d, ORG_PRK + 1);
            if (uniform (d) < 0.5)
              targets[n_targets++] = pick (d, ORG_PRK + 1);
          }
        else if (tlp == PB_TLP_GREEN && uniform (d) < 0.3)
          targets[n_targets++] = uniform (d) < 0.5 ? ORG_SQT : ORG_MRL;
        else if (tlp == PB_TLP_RED && org != ORG_PRK && uniform (d) < 0.5)
          targets[n_targets++] = ORG_PRK;

        for (guint k = 0; k < n_targets; k++)
          {
            PbRecord *share;
            g_autofree char *sid = NULL;

            if (targets[k] == org || (k == 1 && targets[1] == targets[0]))
              continue;
            share = pb_record_new ("item_shares", NULL);
            sid = new_id (d);
            pb_record_set_id (share, sid);
            pb_record_set_string (share, "item", id);
            pb_record_set_string (share, "org", d->org_ids[targets[k]]);
            g_ptr_array_add (act, share);
          }
      }

      /* Half of the reports of a case follow up on the one before: linked. */
      if (case_index != G_MAXUINT && g_ptr_array_index (d->case_last_item, case_index) && uniform (d) < 0.5
          && pb_store_may_see (d->store, "items", g_ptr_array_index (d->case_last_item, case_index)))
        {
          PbRecord *link = pb_record_new ("item_links", NULL);
          g_autofree char *lid = new_id (d);

          pb_record_set_id (link, lid);
          pb_record_set_string (link, "item_a", g_ptr_array_index (d->case_last_item, case_index));
          pb_record_set_string (link, "item_b", id);
          g_ptr_array_add (act, link);
        }
      if (case_index != G_MAXUINT)
        {
          g_free (g_ptr_array_index (d->case_last_item, case_index));
          g_ptr_array_index (d->case_last_item, case_index) = g_strdup (id);
        }

      {
        g_autofree PbWrite *writes = g_new (PbWrite, act->len + 1);

        writes[0] = (PbWrite) { PB_OP_INSERT, r };
        for (guint k = 0; k < act->len; k++)
          writes[k + 1] = (PbWrite) { PB_OP_INSERT, g_ptr_array_index (act, k) };
        if (!pb_store_write_many (d->store, writes, act->len + 1, error))
          return FALSE;
      }
      g_ptr_array_add (d->items, g_strdup (id));
    }

  return TRUE;
}

static double
seizure_weight (Demo *d)
{
  /* Heavy-tailed: most finds are small, a few are several tonnes (Rotterdam 2023: 81 finds
   * under 100 kg, 13 over 1,000 kg). Log-normal with a median around 150 kg. */
  double u1 = MAX (uniform (d), 1e-9), u2 = uniform (d);
  double z = sqrt (-2.0 * log (u1)) * cos (2 * G_PI * u2);
  return exp (log (150.0) + 1.6 * z);
}

static gboolean
make_incidents (Demo    *d,
                guint    n_incidents,
                GError **error)
{
  static const double kind_weights[PB_N_INCIDENT_KINDS] = { 0.45, 0.12, 0.15, 0.13, 0.10, 0.05 };
  g_autoptr(GArray) kg = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) kinds = g_array_new (FALSE, TRUE, sizeof (PbIncidentKind));
  g_autoptr(GArray) when = g_array_new (FALSE, TRUE, sizeof (gint64));
  double year_total = 0, scale;
  static const guint source_orgs[] = { ORG_DOU, ORG_DOU, ORG_SPN, ORG_FGP, ORG_LPA };

  /* First draw every incident, then scale the seizures of the last year to the public
   * yearly figure, then write. */
  for (guint i = 0; i < n_incidents; i++)
    {
      PbIncidentKind kind = PB_INCIDENT_SEIZURE;
      double x = uniform (d), w = 0;
      gint64 t = d->now - (gint64) (uniform (d) * 540 * 86400);

      for (guint k = 0; k < PB_N_INCIDENT_KINDS; k++)
        {
          kind = k;
          if (x < kind_weights[k])
            break;
          x -= kind_weights[k];
        }
      if (kind == PB_INCIDENT_SEIZURE)
        {
          w = seizure_weight (d);
          if (t > d->now - 365 * 86400)
            year_total += w;
        }
      g_array_append_val (kinds, kind);
      g_array_append_val (kg, w);
      g_array_append_val (when, t);
    }
  scale = year_total > 0 ? ANTWERP_2023_SEIZED_KG / year_total : 1.0;

  for (guint i = 0; i < n_incidents; i++)
    {
      g_autoptr(PbRecord) r = pb_record_new ("incidents", NULL);
      g_autofree char *id = new_id (d);
      g_autofree char *description = NULL;
      PbIncidentKind kind = g_array_index (kinds, PbIncidentKind, i);
      const PbTerminal *term = &terminals[pick (d, G_N_ELEMENTS (terminals))];
      guint org = source_orgs[pick (d, G_N_ELEMENTS (source_orgs))];
      const char *cargo = goods[pick (d, G_N_ELEMENTS (goods))];
      static const PbTlp tlps[] = { PB_TLP_CLEAR, PB_TLP_GREEN, PB_TLP_GREEN, PB_TLP_AMBER, PB_TLP_RED };

      pb_record_set_id (r, id);
      pb_record_set_string (r, "kind", pb_incident_kind_to_string (kind));
      pb_record_set_int (r, "occurred_at", g_array_index (when, gint64, i));
      pb_record_set_double (r, "lat", term->lat + (uniform (d) - 0.5) * 0.005);
      pb_record_set_double (r, "lon", term->lon + (uniform (d) - 0.5) * 0.008);
      pb_record_set_string (r, "terminal", term->name);
      pb_record_set_string (r, "source_org", d->org_ids[org]);
      pb_record_set_string (r, "tlp", pb_tlp_to_string (tlps[pick (d, G_N_ELEMENTS (tlps))]));

      switch (kind)
        {
        case PB_INCIDENT_SEIZURE:
          {
            double amount = round (g_array_index (kg, double, i) * scale * 10) / 10;
            pb_record_set_string (r, "goods", cargo);
            pb_record_set_double (r, "kg", amount);
            description = g_strdup_printf ("%.1f kg of cocaine found in a container of %s",
                                           amount, cargo);
          }
          break;
        case PB_INCIDENT_ARREST:
          if (uniform (d) < 0.3)
            pb_record_set_double (r, "cash_eur", 1000.0 * (5 + pick (d, 120)));
          description = g_strdup_printf ("%u people arrested on the terminal", 1 + pick (d, 5));
          break;
        case PB_INCIDENT_BREACH:
          description = g_strdup ("Fence cut at the perimeter");
          break;
        case PB_INCIDENT_EXTRACTION_ATTEMPT:
          description = g_strdup ("Container doors found opened after discharge");
          break;
        case PB_INCIDENT_SUSPICIOUS_CONTAINER:
          description = g_strdup_printf ("Container of %s moved outside its planned position", cargo);
          break;
        case PB_INCIDENT_SEAL_ANOMALY:
        case PB_N_INCIDENT_KINDS:
        default:
          description = g_strdup ("Seal number differs from the declaration");
          break;
        }
      pb_record_set_string (r, "description", description);
      if (!pb_store_set_actor (d->store, author_for (d, org), error))
        return FALSE;
      /* An incident is reported on an item its service sees. */
      if (d->items->len > 0 && uniform (d) < 0.5)
        {
          const char *item = g_ptr_array_index (d->items, pick (d, d->items->len));

          if (pb_store_may_see (d->store, "items", item))
            pb_record_set_string (r, "item", item);
        }

      if (!write_record (d, PB_OP_INSERT, r, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- Meetings --------------------------------------------------------------------- */

static gint64
demo_clock (gpointer data)
{
  return ((Demo *) data)->clock_ms;
}

static char *
demo_id (gpointer data)
{
  return new_id (data);
}

static const char *
first_person (Demo  *d,
              PbRole role,
              guint  org)
{
  for (guint i = 0; i < d->people->len; i++)
    if (g_array_index (d->people_role, PbRole, i) == role
        && (org == N_ORGS || g_array_index (d->people_org, guint, i) == org))
      return d->people->pdata[i];
  return NULL;
}

static char *
demo_day (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_s);
  return g_date_time_format (dt, "%Y-%m-%d");
}

typedef struct
{
  char  *item;
  guint  reasons;
  char  *org;
} Pick;

static void
pick_clear (Pick *p)
{
  g_free (p->item);
  g_free (p->org);
}

/* Items the chair may see for a held meeting's agenda: in Joint assessment, or reported
 * in the fortnight before it, a dozen in all. */
static GArray *
pick_agenda (Demo  *d,
             gint64 starts)
{
  g_autoptr(GArray) picked = g_array_new (FALSE, FALSE, sizeof (Pick));
  sqlite3_stmt *stmt;
  guint n_assessment = 0, n_new = 0;

  if (sqlite3_prepare_v2 (_pb_store_get_db (d->store),
                          "SELECT id, status, reported_at FROM items WHERE status <> 'closed' ORDER BY rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    return g_steal_pointer (&picked);
  g_array_set_clear_func (picked, (GDestroyNotify) pick_clear);
  while (sqlite3_step (stmt) == SQLITE_ROW && picked->len < 12)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      gboolean assessment = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "assessment") == 0;
      gint64 reported = sqlite3_column_int64 (stmt, 2);
      gboolean is_new = reported >= starts - 14 * 86400 && reported < starts;
      g_autoptr(PbCard) card = NULL;
      guint reasons = (assessment ? PB_AGENDA_ASSESSMENT : 0) | (is_new ? PB_AGENDA_NEW : 0);

      if (reasons == 0 || (assessment && !is_new && n_assessment >= 7) || (is_new && !assessment && n_new >= 5))
        continue;
      card = pb_store_load_card (d->store, id, NULL);
      if (card == NULL)
        continue;
      n_assessment += assessment;
      n_new += is_new && !assessment;
      g_array_append_val (picked, ((Pick) { g_strdup (id), reasons, g_strdup (pb_card_get_source_org (card)) }));
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&picked);
}

static gboolean
attend (Demo       *d,
        const char *meeting,
        guint       org,
        gboolean    in_room,
        gboolean    connected,
        GError    **error)
{
  g_autoptr(PbRecord) r = pb_record_new ("meeting_attendance", NULL);
  const char *person = first_person (d, org == ORG_PRK ? PB_ROLE_CHAIR : PB_ROLE_OFFICER, org);
  g_autoptr(PbPerson) p = pb_store_find_person (d->store, person, NULL);

  pb_record_set_string (r, "meeting", meeting);
  pb_record_set_string (r, "org", d->org_ids[org]);
  pb_record_set_int (r, "in_room", in_room);
  pb_record_set_int (r, "connected", connected);
  if (in_room && p)
    pb_record_set_string (r, "names", p->name);
  return write_record (d, PB_OP_INSERT, r, error);
}

/* A consultation held a week before the demo's day, with its decisions and actions, and
 * the one of the demo's day, open, with the agenda the chair is proposed. */
static gboolean
make_meetings (Demo    *d,
               GError **error)
{
  const gint64 held = d->now - 7 * 86400;
  g_autofree char *m1 = NULL, *m2 = NULL, *due1 = demo_day (held + 7 * 86400), *due2 = demo_day (held + 14 * 86400);
  g_autoptr(GArray) agenda = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  const char *chair = first_person (d, PB_ROLE_CHAIR, N_ORGS);

  if (!pb_store_set_actor (d->store, chair, error))
    return FALSE;
  d->clock_ms = held * 1000;
  if (!pb_meeting_open (d->store, "Port consultation 46", "Port House, Antwerp — room Scheldt", held, &m1, error)
      || !attend (d, m1, ORG_PRK, TRUE, FALSE, error) || !attend (d, m1, ORG_FGP, TRUE, FALSE, error)
      || !attend (d, m1, ORG_DOU, TRUE, FALSE, error) || !attend (d, m1, ORG_SPN, FALSE, TRUE, error)
      || !attend (d, m1, ORG_LPA, FALSE, TRUE, error))
    return FALSE;

  agenda = pick_agenda (d, held);
  for (guint i = 0; i < agenda->len; i++)
    {
      g_autoptr(PbRecord) r = pb_record_new ("agenda_entries", NULL);
      Pick *p = &g_array_index (agenda, Pick, i);

      pb_record_set_string (r, "meeting", m1);
      pb_record_set_string (r, "item", p->item);
      pb_record_set_string (r, "item_org", p->org);
      pb_record_set_double (r, "rank", i + 1);
      pb_record_set_int (r, "reasons", p->reasons);
      if (!write_record (d, PB_OP_INSERT, r, error))
        return FALSE;
    }

  cases = pb_store_list_cases (d->store, error);
  if (cases == NULL)
    return FALSE;
  for (guint i = 0; i < agenda->len && i < 8; i++)
    {
      const char *item = g_array_index (agenda, Pick, i).item;
      const char *share[] = { "DOU", "SPN", NULL };
      PbActionSpec actions[2] = { { 0 } };
      PbDecisionSpec spec = { 0 };

      d->clock_ms = (held + 600 + 480 * i) * 1000;
      spec.actions = actions;
      switch (i)
        {
        case 0:
          spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
          spec.lead_org = "DOU";
          spec.priority = "high";
          spec.note = "Customs scans the container on arrival; the police are told of the result.";
          actions[0] = (PbActionSpec) { "DOU", "Scan the container on arrival and report the result", due1 };
          spec.n_actions = 1;
          break;
        case 1:
          spec.outcome = PB_OUTCOME_OPEN_CASE;
          spec.case_title = "Operation Tidewater";
          spec.lead_org = "FGP";
          actions[0] = (PbActionSpec) { "FGP", "Open a file with the investigating judge", due1 };
          actions[1] = (PbActionSpec) { "SPN", "Watch the berth during the next call", due2 };
          spec.n_actions = 2;
          break;
        case 2:
          spec.outcome = PB_OUTCOME_MONITOR;
          spec.lead_org = "SPN";
          spec.note = "Too little to act on; watched for a month.";
          actions[0] = (PbActionSpec) { "SPN", "Patrol the dock at night for two weeks", due2 };
          spec.n_actions = 1;
          break;
        case 3:
          spec.outcome = PB_OUTCOME_DISMISS;
          spec.note = "Already handled by the terminal's own security.";
          break;
        case 4:
          spec.outcome = PB_OUTCOME_SHARE;
          spec.share_orgs = share;
          spec.priority = "high";
          break;
        case 5:
          if (cases->len == 0)
            continue;
          spec.outcome = PB_OUTCOME_LINK_CASE;
          spec.case_id = ((PbCase *) cases->pdata[0])->id;
          break;
        case 6:
          spec.outcome = PB_OUTCOME_ASSIGN_LEAD;
          spec.lead_org = "SPN";
          actions[0] = (PbActionSpec) { "SPN", "Interview the boatmen on duty that night", due1 };
          spec.n_actions = 1;
          break;
        default:
          spec.outcome = PB_OUTCOME_MONITOR;
          spec.lead_org = "FGP";
          break;
        }
      if (!pb_meeting_decide (d->store, m1, item, &spec, NULL, error))
        return FALSE;
    }
  d->clock_ms = (held + 9000) * 1000;
  if (!pb_meeting_close (d->store, m1, error))
    return FALSE;

  /* The demo's day: the chair has opened the meeting and taken the proposed agenda. */
  d->clock_ms = d->now * 1000;
  return pb_meeting_open (d->store, "Port consultation 47", "Port House, Antwerp — room Scheldt", d->now, &m2, error)
         && attend (d, m2, ORG_PRK, TRUE, FALSE, error) && attend (d, m2, ORG_FGP, TRUE, FALSE, error)
         && attend (d, m2, ORG_DOU, TRUE, FALSE, error)
         && pb_meeting_propose_agenda (d->store, m2, NULL, error);
}

void
pb_demo_options_init (PbDemoOptions *options)
{
  memset (options, 0, sizeof *options);
  options->seed = 1;
  options->n_items = 320;
  options->n_cases = 40;
  options->n_incidents = 200;
}

/**
 * pb_demo_generate:
 *
 * Fills an empty Portboard database with the demo dataset, in one transaction and
 * through the write path. A database that already holds organisations is refused.
 */
gboolean
pb_demo_generate (PbStore             *store,
                  const PbDemoOptions *options,
                  GError             **error)
{
  Demo d = { 0 };
  gboolean ok = FALSE;
  g_autoptr(GPtrArray) existing = NULL;

  existing = pb_store_list_organisations (store, error);
  if (existing == NULL)
    return FALSE;
  if (existing->len > 0)
    {
      g_set_error (error, PB_STORE_ERROR, PB_STORE_ERROR_INVALID,
                   _("“%s” already holds data: demo data goes only into a new database"),
                   pb_store_get_path (store));
      return FALSE;
    }

  d.rand = g_rand_new_with_seed (options->seed);
  d.store = store;
  d.now = options->reference_time ? options->reference_time : DEFAULT_REFERENCE_TIME;
  d.people = g_ptr_array_new_with_free_func (g_free);
  d.people_org = g_array_new (FALSE, FALSE, sizeof (guint));
  d.people_role = g_array_new (FALSE, FALSE, sizeof (PbRole));
  d.cases = g_ptr_array_new_with_free_func (g_free);
  d.case_last_item = g_ptr_array_new_with_free_func (g_free);
  d.items = g_ptr_array_new_with_free_func (g_free);
  d.containers = g_ptr_array_new_with_free_func (g_free);
  d.imos = g_ptr_array_new_with_free_func (g_free);

  pb_store_set_purpose (store, "demo data");
  /* The demo's rows are stamped a month before its day, so that the meetings it holds
   * find what is new and changed as they would; their ids come from the seed. */
  d.clock_ms = (d.now - 30 * 86400) * 1000;
  pb_store_set_clock (store, demo_clock, &d);
  pb_store_set_id_source (store, demo_id, &d);

  if (pb_store_begin (store, error))
    {
      ok = pb_store_set_actor (store, NULL, error)
           && make_orgs_and_people (&d, error)
           && make_cases (&d, options->n_cases, error)
           && make_items (&d, options, error)
           && make_incidents (&d, options->n_incidents, error)
           && (options->no_meetings || make_meetings (&d, error));
      if (ok)
        ok = pb_store_commit (store, error);
      else
        pb_store_rollback (store);
    }

  pb_store_set_purpose (store, NULL);
  pb_store_set_actor (store, NULL, NULL);
  pb_store_set_clock (store, NULL, NULL);
  pb_store_set_id_source (store, NULL, NULL);

  for (guint i = 0; i < N_ORGS; i++)
    g_free (d.org_ids[i]);
  g_ptr_array_unref (d.people);
  g_array_unref (d.people_org);
  g_array_unref (d.people_role);
  g_ptr_array_unref (d.cases);
  g_ptr_array_unref (d.case_last_item);
  g_ptr_array_unref (d.items);
  g_ptr_array_unref (d.containers);
  g_ptr_array_unref (d.imos);
  g_rand_free (d.rand);
  return ok;
}
