/*
 * sim_faults.c - fault injection rules, from --fault and /_sim/faults.
 *
 * A rule names a shop (or "*"), a kind, and either a count (fires on
 * the next N matching requests, then is spent) or a probability per
 * request (drawn from a stream seeded by --seed, so runs repeat). Rules
 * are tried in the order they were added; the first that fires wins.
 *
 * A "hold" keeps its request waiting until POST /_sim/faults/release (or
 * its delay_ms) and then answers it normally, so a test can change the
 * platform at a known point of a client's walk without racing it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

struct rule {
	int id;
	char shop[32];
	enum sim_fault_kind kind;
	int count;          /* > 0: remaining; 0: use probability */
	double probability;
	int64_t delay_ms;
	long fired;
};

static struct {
	pthread_mutex_t mu;
	struct rule *v;
	size_t n;
	size_t cap;
	int next_id;
	uint64_t draws;
	uint64_t releases; /* faults_release() calls so far */
} F = { .mu = PTHREAD_MUTEX_INITIALIZER };

static const char *const kind_names[] = {
	[SIM_FAULT_NONE] = "none",
	[SIM_FAULT_429] = "429",
	[SIM_FAULT_500] = "500",
	[SIM_FAULT_503] = "503",
	[SIM_FAULT_SLOW] = "slow",
	[SIM_FAULT_TIMEOUT] = "timeout",
	[SIM_FAULT_MALFORMED] = "malformed",
	[SIM_FAULT_TRUNCATED] = "truncated",
	[SIM_FAULT_DUPLICATE_PAGE] = "duplicate_page",
	[SIM_FAULT_OUT_OF_ORDER] = "out_of_order",
	[SIM_FAULT_CLOCK_SKEW] = "clock_skew",
	[SIM_FAULT_HOLD] = "hold",
};

enum wh_err faults_init(void)
{
	return WH_OK;
}

void faults_fini(void)
{
	faults_clear();
}

enum sim_fault_kind faults_kind(const char *name)
{
	for (size_t i = 1; name && i < sizeof(kind_names) /
						sizeof(kind_names[0]); i++)
		if (!strcmp(kind_names[i], name))
			return (enum sim_fault_kind)i;
	return SIM_FAULT_NONE;
}

const char *faults_kind_name(enum sim_fault_kind k)
{
	if ((size_t)k < sizeof(kind_names) / sizeof(kind_names[0]))
		return kind_names[k];
	return "none";
}

int faults_add(const char *shop, enum sim_fault_kind kind, int count,
	       double probability, int64_t delay_ms)
{
	struct rule *r;
	int id = -1;

	pthread_mutex_lock(&F.mu);
	if (F.n == F.cap) {
		size_t cap = F.cap ? F.cap * 2 : 8;
		struct rule *nv = realloc(F.v, cap * sizeof(*nv));

		if (!nv)
			goto out;
		F.v = nv;
		F.cap = cap;
	}
	r = &F.v[F.n++];
	memset(r, 0, sizeof(*r));
	r->id = id = ++F.next_id;
	snprintf(r->shop, sizeof(r->shop), "%s", shop ? shop : "*");
	r->kind = kind;
	r->count = count > 0 ? count : 0;
	r->probability = count > 0 ? 0 : probability;
	r->delay_ms = delay_ms;
out:
	pthread_mutex_unlock(&F.mu);
	return id;
}

enum wh_err faults_add_spec(const char *spec, struct wh_error *err)
{
	char buf[256], *p, *next;
	enum sim_fault_kind kind;
	char shop[32] = "*";
	long long count = 0, delay = 0;
	double prob = 0;

	if (strlen(spec) >= sizeof(buf))
		return wh_error_set(err, WH_ERR_INVALID, "fault spec too long");
	memcpy(buf, spec, strlen(spec) + 1);
	next = strchr(buf, ',');
	if (next)
		*next++ = '\0';
	kind = faults_kind(buf);
	if (kind == SIM_FAULT_NONE)
		return wh_error_set(err, WH_ERR_INVALID,
				    "unknown fault kind \"%s\"", buf);
	for (p = next; p; p = next) {
		char *eq = strchr(p, '=');

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		if (!eq)
			return wh_error_set(err, WH_ERR_INVALID,
					    "fault option \"%s\": want k=v", p);
		*eq++ = '\0';
		if (!strcmp(p, "shop")) {
			snprintf(shop, sizeof(shop), "%s", eq);
		} else if (!strcmp(p, "count")) {
			if (!parse_ll(eq, 1, 1000000, &count))
				return wh_error_set(err, WH_ERR_INVALID,
						    "bad fault count");
		} else if (!strcmp(p, "probability")) {
			char *end;

			prob = strtod(eq, &end);
			if (*end || !(prob > 0 && prob <= 1))
				return wh_error_set(err, WH_ERR_INVALID,
						    "bad fault probability");
		} else if (!strcmp(p, "delay_ms")) {
			if (!parse_ll(eq, 0, 3600000, &delay))
				return wh_error_set(err, WH_ERR_INVALID,
						    "bad fault delay_ms");
		} else {
			return wh_error_set(err, WH_ERR_INVALID,
					    "unknown fault option \"%s\"", p);
		}
	}
	if (!count && prob <= 0)
		count = 1;
	if (faults_add(shop, kind, (int)count, prob, delay) < 0)
		return wh_error_set(err, WH_ERR_NOMEM, "out of memory");
	return WH_OK;
}

void faults_clear(void)
{
	pthread_mutex_lock(&F.mu);
	free(F.v);
	F.v = NULL;
	F.n = F.cap = 0;
	pthread_mutex_unlock(&F.mu);
}

json_t *faults_json(void)
{
	json_t *arr = json_array();

	pthread_mutex_lock(&F.mu);
	for (size_t i = 0; arr && i < F.n; i++) {
		const struct rule *r = &F.v[i];

		json_array_append_new(arr, json_pack(
			"{s:i,s:s,s:s,s:i,s:f,s:I,s:I}", "id", r->id,
			"shop", r->shop, "kind", faults_kind_name(r->kind),
			"count", r->count, "probability", r->probability,
			"delay_ms", (json_int_t)r->delay_ms, "fired",
			(json_int_t)r->fired));
	}
	pthread_mutex_unlock(&F.mu);
	return json_pack("{s:o}", "faults", arr);
}

static bool paging_kind(enum sim_fault_kind k)
{
	return k == SIM_FAULT_DUPLICATE_PAGE || k == SIM_FAULT_OUT_OF_ORDER;
}

static void take(const struct sim_shop *s, bool paging,
		 struct sim_fault_hit *hit)
{
	hit->kind = SIM_FAULT_NONE;
	hit->delay_ms = 0;
	pthread_mutex_lock(&F.mu);
	/* Read with the rule taken: a release the test sends after it saw
	 * the rule fire is always a later one. */
	hit->releases = F.releases;
	for (size_t i = 0; i < F.n; i++) {
		struct rule *r = &F.v[i];
		bool fire;

		if (paging_kind(r->kind) != paging)
			continue;
		if (strcmp(r->shop, "*") && strcmp(r->shop, s->code))
			continue;
		if (r->count > 0) {
			fire = true;
			r->count--;
		} else {
			uint64_t d = sim_mix(sim_cfg.seed ^ 0xfa17ULL ^
					     ++F.draws);

			fire = (double)(d >> 11) / 9007199254740992.0 <
			       r->probability;
		}
		if (!fire)
			continue;
		r->fired++;
		hit->kind = r->kind;
		hit->delay_ms = r->delay_ms;
		/* A spent count rule goes away. */
		if (r->count == 0 && r->probability <= 0) {
			memmove(r, r + 1, (F.n - i - 1) * sizeof(*r));
			F.n--;
		}
		break;
	}
	pthread_mutex_unlock(&F.mu);
	if (hit->kind != SIM_FAULT_NONE)
		store_count_fault();
}

void faults_take(const struct sim_shop *s, struct sim_fault_hit *hit)
{
	take(s, false, hit);
}

void faults_take_paging(const struct sim_shop *s, struct sim_fault_hit *hit)
{
	take(s, true, hit);
}

static uint64_t releases(void)
{
	uint64_t n;

	pthread_mutex_lock(&F.mu);
	n = F.releases;
	pthread_mutex_unlock(&F.mu);
	return n;
}

void faults_hold(const struct sim_fault_hit *hit)
{
	int64_t left = hit->delay_ms > 0 ? hit->delay_ms : SIM_HOLD_MAX_MS;

	while (left > 0 && !sim_stopping() && releases() == hit->releases) {
		sim_sleep_ms(10);
		left -= 10;
	}
}

void faults_release(void)
{
	pthread_mutex_lock(&F.mu);
	F.releases++;
	pthread_mutex_unlock(&F.mu);
}
