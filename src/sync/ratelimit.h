/*
 * ratelimit.h - per-shop, per-operation token buckets and retry backoff.
 *
 * Pure: the caller passes the time (milliseconds from any monotonic
 * origin) and, for jitter, a random source, so tests run on a fake clock.
 * A bucket is a plain struct the caller owns (one per shop and
 * operation); nothing here allocates.
 */
#ifndef WHARF_SYNC_RATELIMIT_H
#define WHARF_SYNC_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sync_bucket {
	double rate;     /* tokens added per second */
	double burst;    /* capacity */
	double tokens;   /* current level */
	int64_t last_ms; /* time of the last refill */
};

struct sync_rate_preset {
	const char *name; /* "amazon.getOrders", "shopify.standard", ... */
	double rate;
	double burst;
};

/*
 * Named limits from reference/platforms.md: Amazon getOrders 0.0167/s
 * burst 20; getOrder, orderItems, address, buyerInfo 0.5/30;
 * createRestrictedDataToken 1/10; confirmShipment 2/10 [M]; Shopify
 * leaky buckets 2/s (standard), 4/s (advanced), 20/s (plus), 40 deep [M].
 * TOP, JD, PDD and Douyin publish no per-shop figure we could confirm;
 * their presets are conservative guesses, meant to be configured.
 * Returns NULL for an unknown name.
 */
const struct sync_rate_preset *sync_rate_preset_find(const char *name);
/* The whole table; *n receives its size. */
const struct sync_rate_preset *sync_rate_presets(size_t *n);

/*
 * Starts a full bucket at now_ms. rate must be > 0 and burst >= 1, else
 * WH_ERR_INVALID.
 */
enum wh_err sync_bucket_init(struct sync_bucket *b, double rate,
			     double burst, int64_t now_ms,
			     struct wh_error *err);

/*
 * Takes one token if there is one and returns true. Otherwise returns
 * false and sets *wait_ms (if not NULL) to how long until one is there.
 * Time going backwards is treated as no time passing.
 */
bool sync_bucket_take(struct sync_bucket *b, int64_t now_ms,
		      int64_t *wait_ms);

/* Empties the bucket (after a 429) so the next token waits 1/rate. */
void sync_bucket_drain(struct sync_bucket *b, int64_t now_ms);

/*
 * Shopify: sets the level from "X-Shopify-Shop-Api-Call-Limit: 32/40"
 * (used/capacity). The capacity replaces burst. WH_ERR_INVALID if the
 * value is not "<used>/<capacity>".
 */
enum wh_err sync_bucket_observe_shopify(struct sync_bucket *b,
					const char *header, int64_t now_ms,
					struct wh_error *err);

/*
 * Full-jitter exponential backoff: a uniform random delay in
 * [0, min(cap_ms, base_ms * 2^attempt)], attempt counting from 0.
 * rnd returns uniformly distributed 64-bit values; ctx is passed to it.
 */
int64_t sync_backoff_ms(unsigned attempt, int64_t base_ms, int64_t cap_ms,
			uint64_t (*rnd)(void *ctx), void *ctx);

/*
 * Retry-After: delta-seconds ("120") or an IMF-fixdate HTTP date, which
 * is turned into seconds from now_epoch (0 if already past). Sets
 * *delay_ms. WH_ERR_INVALID for anything else.
 */
enum wh_err sync_retry_after_parse(const char *value, int64_t now_epoch,
				   int64_t *delay_ms, struct wh_error *err);

/*
 * The delay before the next try: the backoff for attempt, but never
 * less than retry_after_ms (pass 0 when the server sent none).
 */
int64_t sync_retry_delay_ms(unsigned attempt, int64_t base_ms,
			    int64_t cap_ms, int64_t retry_after_ms,
			    uint64_t (*rnd)(void *ctx), void *ctx);

#endif
