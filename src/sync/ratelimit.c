#include "sync/ratelimit.h"

#include <math.h>
#include <string.h>

#include "sync/synctime.h"

static const struct sync_rate_preset presets[] = {
	{ "amazon.getOrders", 0.0167, 20 },
	{ "amazon.getOrder", 0.5, 30 },
	{ "amazon.getOrderItems", 0.5, 30 },
	{ "amazon.getOrderAddress", 0.5, 30 },
	{ "amazon.getOrderBuyerInfo", 0.5, 30 },
	{ "amazon.createRestrictedDataToken", 1, 10 },
	{ "amazon.confirmShipment", 2, 10 },
	{ "shopify.standard", 2, 40 },
	{ "shopify.advanced", 4, 40 },
	{ "shopify.plus", 20, 40 },
	/* Unpublished per-shop limits: conservative, configurable. */
	{ "top.default", 5, 10 },
	{ "jd.default", 5, 10 },
	{ "pdd.default", 5, 10 },
	{ "douyin.default", 5, 10 },
	{ "woo.default", 5, 10 },
};

const struct sync_rate_preset *sync_rate_presets(size_t *n)
{
	*n = sizeof(presets) / sizeof(presets[0]);
	return presets;
}

const struct sync_rate_preset *sync_rate_preset_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(presets) / sizeof(presets[0]);
	     i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

enum wh_err sync_bucket_init(struct sync_bucket *b, double rate,
			     double burst, int64_t now_ms,
			     struct wh_error *err)
{
	if (!(rate > 0) || !(burst >= 1) || !isfinite(rate) ||
	    !isfinite(burst))
		return wh_error_set(err, WH_ERR_INVALID,
				    "rate limit needs rate > 0 and burst >= 1");
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
	b->last_ms = now_ms;
	return WH_OK;
}

static void refill(struct sync_bucket *b, int64_t now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last_ms = now_ms;
	}
}

/* ceil() without libm: need is positive and far below INT64_MAX. */
static int64_t ceil_ms(double need)
{
	int64_t w = (int64_t)need;

	return (double)w < need ? w + 1 : w;
}

bool sync_bucket_take(struct sync_bucket *b, int64_t now_ms,
		      int64_t *wait_ms)
{
	double need;

	refill(b, now_ms);
	/* A hair of slack absorbs rounding in the refill arithmetic. */
	if (b->tokens >= 1.0 - 1e-9) {
		b->tokens -= 1.0;
		if (b->tokens < 0)
			b->tokens = 0;
		if (wait_ms)
			*wait_ms = 0;
		return true;
	}
	need = (1.0 - b->tokens) * 1000.0 / b->rate;
	if (wait_ms)
		*wait_ms = ceil_ms(need);
	return false;
}

void sync_bucket_drain(struct sync_bucket *b, int64_t now_ms)
{
	refill(b, now_ms);
	b->tokens = 0;
}

static bool parse_uint(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;

	if (len == 0 || len > 12)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * Seconds as Retry-After gives them, "2" or (Shopify) "2.0", into
 * milliseconds; digits past the third decimal are ignored.
 */
static bool parse_seconds_ms(const char *s, size_t len, int64_t *ms)
{
	const char *dot = memchr(s, '.', len);
	size_t whole = dot ? (size_t)(dot - s) : len;
	int64_t secs, frac = 0, scale = 100;

	if (!parse_uint(s, whole, &secs))
		return false;
	if (dot) {
		size_t nfrac = len - whole - 1;

		if (nfrac == 0)
			return false;
		for (size_t i = 0; i < nfrac; i++) {
			char c = dot[1 + i];

			if (c < '0' || c > '9')
				return false;
			if (scale) {
				frac += (c - '0') * scale;
				scale /= 10;
			}
		}
	}
	*ms = secs * 1000 + frac;
	return true;
}

enum wh_err sync_bucket_observe_shopify(struct sync_bucket *b,
					const char *header, int64_t now_ms,
					struct wh_error *err)
{
	const char *slash = header ? strchr(header, '/') : NULL;
	int64_t used, cap;

	if (!slash || !parse_uint(header, (size_t)(slash - header), &used) ||
	    !parse_uint(slash + 1, strlen(slash + 1), &cap) || cap < 1 ||
	    used > cap)
		return wh_error_set(err, WH_ERR_INVALID,
				    "X-Shopify-Shop-Api-Call-Limit \"%.40s\" "
				    "is not used/capacity",
				    header ? header : "");
	refill(b, now_ms);
	b->burst = (double)cap;
	b->tokens = (double)(cap - used);
	return WH_OK;
}

int64_t sync_backoff_ms(unsigned attempt, int64_t base_ms, int64_t cap_ms,
			uint64_t (*rnd)(void *ctx), void *ctx)
{
	int64_t ceiling = base_ms > 0 ? base_ms : 0;

	if (cap_ms < 0)
		cap_ms = 0;
	for (unsigned i = 0; i < attempt && ceiling < cap_ms; i++)
		ceiling = ceiling > cap_ms / 2 ? cap_ms : ceiling * 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	if (ceiling == 0 || !rnd)
		return ceiling;
	return (int64_t)(rnd(ctx) % ((uint64_t)ceiling + 1));
}

enum wh_err sync_retry_after_parse(const char *value, int64_t now_epoch,
				   int64_t *delay_ms, struct wh_error *err)
{
	int64_t when;
	size_t len;

	*delay_ms = 0;
	if (!value)
		return wh_error_set(err, WH_ERR_INVALID, "no Retry-After");
	while (*value == ' ' || *value == '\t')
		value++;
	len = strlen(value);
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (parse_seconds_ms(value, len, delay_ms))
		return WH_OK;
	if (sync_http_date_parse(value, len, &when, NULL) == WH_OK) {
		*delay_ms = when > now_epoch ? (when - now_epoch) * 1000 : 0;
		return WH_OK;
	}
	return wh_error_set(err, WH_ERR_INVALID,
			    "Retry-After \"%.40s\" is neither seconds nor an "
			    "HTTP date", value);
}

int64_t sync_retry_delay_ms(unsigned attempt, int64_t base_ms,
			    int64_t cap_ms, int64_t retry_after_ms,
			    uint64_t (*rnd)(void *ctx), void *ctx)
{
	int64_t d = sync_backoff_ms(attempt, base_ms, cap_ms, rnd, ctx);

	return retry_after_ms > d ? retry_after_ms : d;
}
