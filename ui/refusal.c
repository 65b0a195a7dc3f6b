/*
 * refusal.c - the engine's refusals in the user's language. See refusal.h.
 */
#include "ui/refusal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/i18n.h"
#include "ui/text.h"

/*
 * One row per format the engine can raise, by code. The format is the
 * RAISE EXCEPTION text of the function's last definition in
 * sql/migrations/ (what pg_proc holds after migrating), '' unescaped; the
 * test named in refusal.h compares them. Rows marked "C:" are refusals the
 * C side words the same way (src/db/, src/pack_req.c, src/station_req.c).
 *
 * The msgids lead with what is wrong, since a 20-column gun may show only
 * the first row of a long message, and keep the engine's parameters in its
 * order (a translation reorders with "%2$s").
 */
static const struct refusal_format formats[] = {
	{ "ALREADY_SHIPPED", "order % has already shipped",
	  N_("Already shipped: order %s") },
	{ "ALREADY_SHIPPED", "order % has left the warehouse",
	  N_("Already shipped: order %s has left the warehouse") },
	/* C: src/pack_req.c, with the tracking number */
	{ "ALREADY_SHIPPED", "order % has already shipped (%)",
	  N_("Already shipped: order %s (%s)") },

	{ "BAD_COUNT", "a line has an unknown lot % or a bad count",
	  N_("Bad count: unknown lot %s or a bad quantity") },

	{ "BAD_LOCATION", "location % cannot take stock here",
	  N_("Bad bin: location %s cannot take stock here") },
	{ "BAD_LOCATION", "location % cannot take the transfer",
	  N_("Bad bin: location %s cannot take the transfer") },
	{ "BAD_LOCATION",
	  "location % is not a receiving, storage or pick location of "
	  "warehouse %",
	  N_("Bad bin: location %s is not a receiving, storage or pick bin "
	     "of warehouse %s") },
	/* C: src/station_req.c, a scanned code that is no location */
	{ "BAD_LOCATION", "% is not a location",
	  N_("Bad bin: %s is not a location") },

	/* a bug of the station, never the user's: wharf.logout */
	{ "BAD_LOGOUT_REASON", "logout reason must be user, idle or exit",
	  N_("Bad logout reason: must be user, idle or exit") },

	{ "BAD_OP", "an operation id is required for %",
	  N_("No operation id for %s") },
	{ "BAD_OP", "an operation id is required for a tracking number",
	  N_("No operation id for a tracking number") },
	{ "BAD_OP", "an operation id is required for an SSCC",
	  N_("No operation id for an SSCC") },

	{ "BAD_QTY", "a transfer line has a bad quantity or location",
	  N_("Bad quantity: a transfer line has a bad quantity or bin") },
	{ "BAD_QTY", "an adjustment needs a non-zero delta and a reason",
	  N_("Bad quantity: an adjustment needs a non-zero change and a "
	     "reason") },
	{ "BAD_QTY", "found must be 0..%",
	  N_("Bad quantity: found must be 0..%s") },
	{ "BAD_QTY", "put back 1..% units",
	  N_("Bad quantity: put back 1..%s units") },
	{ "BAD_QTY", "quantity must be positive",
	  N_("Bad quantity: must be more than 0") },

	{ "BAD_SHIPMENT", "an empty label",
	  N_("Bad shipment: the label is empty") },
	{ "BAD_SHIPMENT", "an exception needs a reason",
	  N_("Bad shipment: an exception needs a reason") },
	{ "BAD_SHIPMENT", "carrier and tracking number are required",
	  N_("Bad shipment: carrier and tracking number are required") },
	{ "BAD_SHIPMENT", "no live shipment %",
	  N_("Bad shipment: no live shipment %s") },
	{ "BAD_SHIPMENT", "order % has no shipment to void",
	  N_("Bad shipment: order %s has no shipment to void") },
	{ "BAD_SHIPMENT", "shipment % has no pack record to undo",
	  N_("Bad shipment: shipment %s has no pack record to undo") },
	{ "BAD_SHIPMENT",
	  "the platform already has tracking % for order %: it cannot be "
	  "voided here",
	  N_("Bad shipment: the platform already has tracking %s for order "
	     "%s: cannot void here") },
	/* C: src/db/pack.c */
	{ "BAD_SHIPMENT", "no stored label for order %",
	  N_("Bad shipment: no stored label for order %s") },

	{ "EXPIRY_REQUIRED", "% is expiry-managed",
	  N_("Expiry required: %s is expiry-managed") },

	{ "EXTRA_UNIT", "% unit(s) of % would be more than was ordered and "
			"picked",
	  N_("Extra unit: %s unit(s) of %s is more than ordered and "
	     "picked") },

	{ "INSUFFICIENT_STOCK", "% free units at location %, % asked",
	  N_("Not enough stock: %s free units at location %s, %s asked") },
	{ "INSUFFICIENT_STOCK", "% free units at the source, % asked",
	  N_("Not enough stock: %s free units at the source, %s asked") },
	{ "INSUFFICIENT_STOCK", "% free units in %, % asked",
	  N_("Not enough stock: %s free units in %s, %s asked") },
	{ "INSUFFICIENT_STOCK", "% free units, cannot remove %",
	  N_("Not enough stock: %s free units, cannot remove %s") },

	{ "INTERCEPTED", "order % was intercepted (%)",
	  N_("Intercepted: order %s (%s)") },
	/* also C: src/pack_req.c */
	{ "INTERCEPTED",
	  "order % was intercepted (%): do not ship, put the units back",
	  N_("Intercepted: order %s (%s): do not ship, put the units "
	     "back") },
	{ "INTERCEPTED", "order % was intercepted (%): put the units back",
	  N_("Intercepted: order %s (%s): put the units back") },
	{ "INTERCEPTED", "order % was intercepted: task % is cancelled",
	  N_("Intercepted: order %s, task %s is cancelled") },

	{ "LOT_EXPIRED", "% is past its ship-by date",
	  N_("Lot expired: %s is past its ship-by date") },
	/* the same, its % being wharf._lot_text(): "lot L1 (exp D)" */
	{ "LOT_EXPIRED", "lot % (exp %) is past its ship-by date",
	  N_("Lot expired: lot %s (exp %s) is past its ship-by date") },
	{ "LOT_EXPIRED", "lot % (exp %) is past its ship-by date %",
	  N_("Lot expired: lot %s (exp %s) is past its ship-by date %s") },
	{ "LOT_EXPIRED",
	  "lot % is past its ship-by date (expiry %): leave it in %",
	  N_("Lot expired: lot %s (exp %s) is past its ship-by date: leave "
	     "it in %s") },

	{ "LOT_MISMATCH", "lot % of % expires %, not %",
	  N_("Lot mismatch: lot %s of %s expires %s, not %s") },

	{ "LOT_REQUIRED", "% needs a lot code",
	  N_("Lot required: %s needs a lot") },
	{ "LOT_REQUIRED", "lot % (exp %)",
	  N_("Lot required: lot %s (exp %s)") },
	{ "LOT_REQUIRED", "scan the lot; expected lot % (exp %)",
	  N_("Scan the lot: expected %s (exp %s)") },

	{ "NOT_ALLOCATED", "line % has no allocation of % units at the bin",
	  N_("Not allocated: line %s has no %s units allocated at the "
	     "bin") },
	{ "NOT_ALLOCATED",
	  "the task's lines have no allocation of % units at the bin",
	  N_("Not allocated: the task has no %s units allocated at the "
	     "bin") },

	{ "NOT_IN_TRANSIT", "transfer % is %",
	  N_("Not in transit: transfer %s is %s") },

	{ "NOT_ON_PO", "% is not on purchase order %",
	  N_("Not on the PO: %s is not on purchase order %s") },

	{ "NOT_PACKED", "order % is %, % units unpacked",
	  N_("Not packed: order %s is %s, %s units unpacked") },
	/* C: src/pack_req.c */
	{ "NOT_PACKED", "order % is %: % units unverified",
	  N_("Not packed: order %s is %s, %s units unverified") },

	{ "NOT_PENDING", "count task % is %",
	  N_("Not pending: count task %s is %s") },

	{ "NOT_PICKED", "order % is %",
	  N_("Not picked: order %s is %s") },

	{ "NO_COUNT", "no count task %", N_("No count task %s") },

	{ "NO_GS1_PREFIX", "warehouse % has no GS1 company prefix",
	  N_("No GS1 prefix: warehouse %s has no GS1 company prefix") },

	{ "NO_LOCATION", "no location %", N_("No bin %s") },
	/* C: src/db/lookup.c */
	{ "NO_LOCATION", "no receiving dock", N_("No receiving dock") },

	{ "NO_LOT_CONTROL", "% has no lots",
	  N_("No lots: %s is not lot-controlled") },

	{ "NO_ORDER", "no order %", N_("No order %s") },
	/* C: src/db/pack.c */
	{ "NO_ORDER", "no order, tote or tracking number %",
	  N_("No order, tote or tracking number %s") },
	{ "NO_ORDER", "no single-item order waits for %",
	  N_("No single-item order waits for %s") },

	{ "NO_QUARANTINE", "warehouse % has no quarantine location (%)",
	  N_("No quarantine: warehouse %s has no quarantine bin (%s)") },

	{ "NO_SKU", "no SKU %", N_("No SKU %s") },

	{ "NO_TASK", "no task %", N_("No task %s") },

	{ "NO_TOTE", "the wave needs % totes, % are free",
	  N_("No totes: the wave needs %s totes, %s are free") },

	{ "NO_TRANSFER", "no transfer %", N_("No transfer %s") },

	{ "NO_TRANSIT", "warehouse % has no transit location",
	  N_("No transit bin: warehouse %s has none") },

	{ "NO_WAREHOUSE", "no warehouse %", N_("No warehouse %s") },

	{ "OP_CONFLICT", "operation % was a %, not a %",
	  N_("Operation conflict: %s was a %s, not a %s") },

	{ "OVER_PICK", "% units scanned, the task needs %",
	  N_("Too many: %s units scanned, the task needs %s") },
	{ "OVER_PICK", "only % units left on this task, not %",
	  N_("Too many: only %s units left on this task, not %s") },
	{ "OVER_PICK", "the task needs % fewer units",
	  N_("Too many: the task needs %s fewer units") },
	{ "OVER_PICK", "the tote holds % fewer units of the order",
	  N_("Too many: the tote holds %s fewer units of the order") },

	{ "ROLE_REFUSED", "a % may not %", N_("Not allowed: a %s may not %s") },
	{ "ROLE_REFUSED", "unknown user % may not %",
	  N_("Not allowed: unknown user %s may not %s") },
	{ "ROLE_REFUSED", "user % is inactive",
	  N_("Not allowed: user %s is inactive") },

	{ "SSCC_EXHAUSTED", "every serial of prefix % is used",
	  N_("SSCCs used up: every serial of prefix %s is used") },

	{ "TASK_CLAIMED", "task % is claimed by user %",
	  N_("Task taken: task %s is claimed by user %s") },
	/* C: src/db/lookup.c */
	{ "TASK_CLAIMED", "task % is not yours to skip",
	  N_("Task taken: task %s is not yours to skip") },

	{ "TASK_CLOSED", "task % is %", N_("Task closed: task %s is %s") },

	/*
	 * The login (0016_login_codes.sql), on the screen every shift starts
	 * on. The badge row's % is also a login name typed in the "Badge"
	 * field, hence "badge". A lock's time is the engine's
	 * "YYYY-MM-DD HH:MI" in the warehouse's time zone, shown as given:
	 * it reads the same in every language, and the login screen knows
	 * neither the zone nor the day to shorten it against.
	 */
	{ "UNKNOWN_BADGE", "unknown badge or login: %",
	  N_("Unknown badge %s") },

	{ "UNKNOWN_BARCODE", "% is not a known barcode",
	  N_("Unknown barcode %s") },
	{ "UNKNOWN_BARCODE", "% is not a known barcode (expected %)",
	  N_("Unknown barcode %s: expected %s") },
	{ "UNKNOWN_BARCODE", "% is not a known item", N_("Unknown item %s") },

	{ "UNKNOWN_STATION", "unknown station %", N_("Unknown station %s") },

	/* wharf.logout, which no screen shows today */
	{ "UNKNOWN_USER", "unknown user %", N_("Unknown user %s") },

	{ "USER_INACTIVE", "user % is not active",
	  N_("Inactive user %s") },

	{ "USER_LOCKED", "user % is locked until %",
	  N_("Locked: %s until %s") },

	{ "WAVE_STALE", "% of % orders are no longer allocated",
	  N_("Wave out of date: %s of %s orders are no longer allocated") },
	{ "WAVE_STALE", "the plan does not match the allocations",
	  N_("Wave out of date: the plan does not match the allocations") },

	{ "WRONG_ITEM", "% is not in order %",
	  N_("Wrong item: %s is not in order %s") },

	{ "WRONG_LOCATION", "expected %, scanned %",
	  N_("Wrong bin: expected %s, scanned %s") },
	{ "WRONG_LOCATION", "put back into % (or another open bin), not %",
	  N_("Wrong bin: put back into %s (or another open bin), not %s") },
	{ "WRONG_LOCATION", "put them in %, not %",
	  N_("Wrong bin: put them in %s, not %s") },
	{ "WRONG_LOCATION", "take them from %, not %",
	  N_("Wrong bin: take them from %s, not %s") },

	{ "WRONG_LOT", "expected lot % (exp %), scanned %",
	  N_("Wrong lot: expected %s (exp %s), scanned %s") },
	{ "WRONG_LOT", "expected lot % (exp %), scanned unknown lot %",
	  N_("Wrong lot: expected %s (exp %s), scanned unknown lot %s") },
	{ "WRONG_LOT", "order % holds lot(s) % of %, not %",
	  N_("Wrong lot: order %s holds lot(s) %s of %s, not %s") },

	/* "Wrong PIN: 4 of 5" still fits a 20-column gun */
	{ "WRONG_PIN", "wrong PIN (% of % tries left)",
	  N_("Wrong PIN: %s of %s tries left") },
	/* the fifth in a row, which locks */
	{ "WRONG_PIN", "wrong PIN: user % is locked until %",
	  N_("Wrong PIN, locked: %s until %s") },

	{ "WRONG_SKU", "expected %, scanned %",
	  N_("Wrong item: expected %s, scanned %s") },

	{ "WRONG_TASK", "task % is a % task",
	  N_("Wrong task: task %s is a %s task") },
};

const struct refusal_format *refusal_formats(size_t *n)
{
	*n = sizeof(formats) / sizeof(formats[0]);
	return formats;
}

/* Matching ---------------------------------------------------------------- */

/* Bytes of a format's literal text, '%%' unescaped. */
#define PATTERN_TEXT_MAX 256

/* A format cut at its placeholders: lit[0] %1 lit[1] ... %k lit[k]. */
struct pattern {
	size_t k;
	size_t off[REFUSAL_PARAMS_MAX + 1], len[REFUSAL_PARAMS_MAX + 1];
	size_t literal; /* bytes of literal text in all */
	char text[PATTERN_TEXT_MAX];
};

/* False for a format with too many placeholders or too long to match. */
static bool pattern_of(const char *fmt, struct pattern *p)
{
	size_t used = 0;

	memset(p, 0, sizeof(*p));
	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && fmt[1] != '%') {
			if (p->k == REFUSAL_PARAMS_MAX)
				return false;
			p->len[p->k] = used - p->off[p->k];
			p->k++;
			p->off[p->k] = used;
			continue;
		}
		if (used == sizeof(p->text))
			return false;
		p->text[used++] = *fmt;
		if (fmt[0] == '%')
			fmt++; /* "%%" */
	}
	p->len[p->k] = used - p->off[p->k];
	p->literal = used;
	return true;
}

struct match {
	const struct pattern *p;
	const char *s;
	size_t n;
	bool longest; /* try the longest parameter first */
	size_t from[REFUSAL_PARAMS_MAX], to[REFUSAL_PARAMS_MAX];
	/* dead[j][pos]: placeholders j.. cannot match from pos */
	unsigned char dead[REFUSAL_PARAMS_MAX][REFUSAL_MSG_MAX + 1];
};

static bool lit_at(const struct match *m, size_t i, size_t pos)
{
	return m->n - pos >= m->p->len[i] &&
	       memcmp(m->s + pos, m->p->text + m->p->off[i], m->p->len[i]) ==
		       0;
}

/*
 * Can placeholder j, starting at pos, and everything after it match the
 * rest of the message? Each (j, pos) is worked out once, so a hostile
 * message costs O(k n^2) literal comparisons at worst, n bounded.
 */
static bool match_from(struct match *m, size_t j, size_t pos)
{
	size_t last, i;

	if (j == m->p->k)
		return pos == m->n;
	if (m->dead[j][pos])
		return false;
	if (m->n - pos < m->p->len[j + 1])
		goto dead;
	last = m->n - m->p->len[j + 1];
	for (i = 0; i <= last - pos; i++) {
		size_t e = m->longest ? last - i : pos + i;

		/* the last literal ends the message: one place to try */
		if (j + 1 == m->p->k)
			e = last;
		if (lit_at(m, j + 1, e) &&
		    match_from(m, j + 1, e + m->p->len[j + 1])) {
			m->from[j] = pos;
			m->to[j] = e;
			return true;
		}
		if (j + 1 == m->p->k)
			break;
	}
dead:
	m->dead[j][pos] = 1;
	return false;
}

/*
 * Matches words (n bytes) against p. 1: one way, with the parameters'
 * bounds in *m; 0: no way; -1: more than one way. The shortest-first and
 * the longest-first searches find the least and the greatest split in
 * lexicographic order: equal, there is no other.
 */
static int match_words(struct match *m, const struct pattern *p,
		       const char *words, size_t n)
{
	size_t from[REFUSAL_PARAMS_MAX], to[REFUSAL_PARAMS_MAX];

	memset(m, 0, sizeof(*m));
	m->p = p;
	m->s = words;
	m->n = n;
	if (!lit_at(m, 0, 0) || (p->k == 0 && n != p->len[0]))
		return 0;
	if (!match_from(m, 0, p->len[0]))
		return 0;
	memcpy(from, m->from, sizeof(from));
	memcpy(to, m->to, sizeof(to));
	m->longest = true;
	if (!match_from(m, 0, p->len[0]))
		return -1; /* cannot happen: the first search succeeded */
	if (memcmp(from, m->from, p->k * sizeof(from[0])) ||
	    memcmp(to, m->to, p->k * sizeof(to[0])))
		return -1;
	return 1;
}

/* Length of the "CODE" of "CODE: ..." (A-Z, 0-9, _), 0 when none. */
static size_t code_len(const char *msg)
{
	size_t i = 0;

	while ((msg[i] >= 'A' && msg[i] <= 'Z') ||
	       (msg[i] >= '0' && msg[i] <= '9') || msg[i] == '_')
		i++;
	return i && msg[i] == ':' && msg[i + 1] == ' ' ? i : 0;
}

const char *refusal_words(const char *msg)
{
	size_t n = msg ? code_len(msg) : 0;

	return n ? msg + n + 2 : msg;
}

/* The longest prefix of s[0..n) that fits in cap bytes with a NUL and
 * does not end inside a UTF-8 sequence. */
static size_t utf8_fit(const char *s, size_t n, size_t cap)
{
	if (!cap)
		return 0;
	if (n < cap)
		return n;
	n = cap - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* dst[REFUSAL_PARAM_SIZE]: s[0..n) sanitised, cut with "…" when long. */
static bool param_copy(char *dst, const char *s, size_t n)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	char *t = text_sanitize(s, n, 0);
	size_t len, k;

	if (!t)
		return false;
	len = strlen(t);
	k = utf8_fit(t, len, REFUSAL_PARAM_SIZE);
	if (k < len) {
		k = utf8_fit(t, k, REFUSAL_PARAM_SIZE - (sizeof(ellipsis) - 1));
		memcpy(dst, t, k);
		memcpy(dst + k, ellipsis, sizeof(ellipsis));
	} else {
		memcpy(dst, t, k);
		dst[k] = '\0';
	}
	free(t);
	return true;
}

bool refusal_parse(const char *msg, struct refusal *out)
{
	const struct refusal_format *best = NULL;
	struct pattern *p = NULL, *bp = NULL;
	struct match *m = NULL;
	size_t clen, n, i, best_lit = 0;
	const char *words;
	bool ok = false, tie = false;

	memset(out, 0, sizeof(*out));
	if (!msg || !(clen = code_len(msg)))
		return false;
	words = msg + clen + 2;
	n = strlen(words);
	if (n > REFUSAL_MSG_MAX)
		return false;
	p = malloc(sizeof(*p));
	bp = malloc(sizeof(*bp));
	m = malloc(sizeof(*m));
	if (!p || !bp || !m)
		goto out;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct refusal_format *f = &formats[i];

		if (strlen(f->code) != clen || memcmp(f->code, msg, clen) ||
		    !pattern_of(f->format, p) ||
		    match_words(m, p, words, n) == 0)
			continue;
		if (best && p->literal == best_lit) {
			tie = true;
		} else if (!best || p->literal > best_lit) {
			best = f;
			best_lit = p->literal;
			tie = false;
			*bp = *p;
		}
	}
	if (!best || tie || match_words(m, bp, words, n) != 1)
		goto out;
	for (i = 0; i < bp->k; i++)
		if (!param_copy(out->param[i], words + m->from[i],
				m->to[i] - m->from[i]))
			goto out;
	out->row = best;
	out->n = bp->k;
	ok = true;
out:
	if (!ok)
		memset(out, 0, sizeof(*out));
	free(p);
	free(bp);
	free(m);
	return ok;
}

/* Rendering --------------------------------------------------------------- */

struct sink {
	char *b;
	size_t cap, len;
	bool full;
};

static void sink_put(struct sink *o, const char *s, size_t n)
{
	size_t k;

	if (o->full)
		return;
	k = utf8_fit(s, n, o->cap - o->len);
	if (k < n)
		o->full = true;
	memcpy(o->b + o->len, s, k);
	o->len += k;
	o->b[o->len] = '\0';
}

bool refusal_expand(char *buf, size_t cap, const char *fmt,
		    const char *const *params, size_t n)
{
	struct sink o = { .b = buf, .cap = cap };
	size_t next = 0;
	const char *q;

	if (!cap)
		return false;
	buf[0] = '\0';
	if (!fmt)
		return false;
	while (*fmt) {
		size_t idx;

		q = strchr(fmt, '%');
		if (!q) {
			sink_put(&o, fmt, strlen(fmt));
			break;
		}
		sink_put(&o, fmt, (size_t)(q - fmt));
		if (q[1] == '%') {
			sink_put(&o, "%", 1);
			fmt = q + 2;
			continue;
		}
		if (q[1] == 's') {
			idx = next++;
			fmt = q + 2;
		} else {
			/* "%N$s", N = 1..n */
			const char *d = q + 1;

			idx = 0;
			while (*d >= '0' && *d <= '9' && idx <= n)
				idx = idx * 10 + (size_t)(*d++ - '0');
			if (d == q + 1 || d[0] != '$' || d[1] != 's' ||
			    idx < 1)
				goto bad;
			idx--;
			fmt = d + 2;
		}
		if (idx >= n || !params[idx])
			goto bad;
		sink_put(&o, params[idx], strlen(params[idx]));
	}
	return true;
bad:
	buf[0] = '\0';
	return false;
}

bool refusal_translate(const char *msg, char *buf, size_t cap)
{
	const char *params[REFUSAL_PARAMS_MAX];
	struct refusal *r;
	const char *t;
	bool ok = false;
	size_t i;

	if (!cap)
		return false;
	buf[0] = '\0';
	r = malloc(sizeof(*r));
	if (!r || !refusal_parse(msg, r))
		goto out;
	for (i = 0; i < r->n; i++)
		params[i] = r->param[i];
	t = _(r->row->msgid);
	ok = refusal_expand(buf, cap, t, params, r->n) ||
	     (t != r->row->msgid &&
	      refusal_expand(buf, cap, r->row->msgid, params, r->n));
out:
	free(r);
	return ok;
}
