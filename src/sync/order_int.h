/*
 * order_int.h - helpers shared by the platform parsers (private to
 * src/sync). Pointers returned by ord_push()/ord_line_push() are borrowed
 * from the list/order and stay valid until the next push.
 */
#ifndef WHARF_SYNC_ORDER_INT_H
#define WHARF_SYNC_ORDER_INT_H

#include <jansson.h>

#include "sync/jfield.h"
#include "sync/order.h"
#include "sync/untrusted.h"

/* Returns from the calling function when an action fails. */
#define ORD_TRY(x)                            \
	do {                                  \
		enum wh_err rc_ = (x);        \
		if (rc_)                      \
			return rc_;           \
	} while (0)

#define FMAX UNTRUSTED_FIELD_MAX
#define AMAX UNTRUSTED_ADDRESS_MAX

/* Appends a zeroed order for platform p; NULL when out of memory. */
struct sync_order *ord_push(struct sync_order_list *l, enum sync_platform p,
			    struct wh_error *err);
/* Appends a zeroed line; NULL when out of memory. */
struct sync_order_line *ord_line_push(struct sync_order *o,
				      struct wh_error *err);

/* Frees o's lines and empties the list (its capacity stays). */
void ord_lines_clear(struct sync_order *o);

/*
 * Records e's message as o->error, sets o->state UNKNOWN and counts it.
 * Returns WH_ERR_NOMEM if even that fails, otherwise WH_OK.
 */
enum wh_err ord_fail(struct sync_order_list *l, struct sync_order *o,
		     const struct wh_error *e, struct wh_error *err);

/* Sets o->status_raw from a printf format. */
enum wh_err ord_status_raw(struct sync_order *o, struct wh_error *err,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* o->state = sync_state_with_lines(o->state, line refunds). */
void ord_apply_line_refunds(struct sync_order *o);

/*
 * Fills e from the envelope fields and returns the wharf code with a
 * message "<platform> API error <code> [<sub_code>]: <message>".
 */
enum wh_err ord_api_fail(enum sync_platform p, const struct sync_api_error *e,
			 struct wh_error *err);

/*
 * Copies a sanitised string member (string or number) of obj into a
 * fixed buffer; missing gives "".
 */
void ord_copy_field(const json_t *obj, const char *key, char *buf,
		    size_t size);

/* How one platform reads one order object. */
struct ord_parser {
	enum sync_platform platform;
	const char *what; /* "trade", "order": used in messages */
	/* Reads the order id into *id (malloc'd), or fails. */
	enum wh_err (*id)(const json_t *obj, char **id, struct wh_error *e);
	/* Fills everything else; a failure marks only this order. */
	enum wh_err (*fill)(const json_t *obj, struct sync_order *o,
			    struct wh_error *e);
};

/*
 * Parses one order object with p and appends it to out. Returns an error
 * only for what sinks the whole payload (not an object, no id, no
 * memory); a fill failure is recorded in the order (ord_fail()).
 */
enum wh_err ord_parse_one(const struct ord_parser *p, const json_t *obj,
			  size_t index, struct sync_order_list *out,
			  struct wh_error *err);
/*
 * Parses every element of lines (NULL: none) into a new line of o with fn,
 * which may read the order parsed so far (its currency, say). A non-object
 * element or a failing line is an error naming the line's index.
 */
typedef enum wh_err (*ord_line_fn)(const json_t *t, struct sync_order_line *ln,
				   const struct sync_order *o,
				   struct wh_error *e);
enum wh_err ord_parse_lines(struct sync_order *o, const json_t *lines,
			    ord_line_fn fn, struct wh_error *e);

/* ord_parse_one() for every element of arr (NULL arr: nothing). */
enum wh_err ord_parse_array(const struct ord_parser *p, const json_t *arr,
			    struct sync_order_list *out,
			    struct wh_error *err);

/*
 * A list that TOP wraps one level deeper unless simplify=true:
 * parent[outer] is either an array or {inner: array}. *out is NULL when
 * absent.
 */
enum wh_err ord_wrapped_list(const json_t *parent, const char *outer,
			     const char *inner, json_t **out,
			     struct wh_error *err);

/* Reads the first present of two id keys (string or integer). */
enum wh_err ord_id2(const json_t *obj, const char *k1, const char *k2,
		    char **id, struct wh_error *err);

/* Checks a parsed line: qty > 0 and amounts not negative. */
enum wh_err ord_check_line(const struct sync_order_line *ln,
			   struct wh_error *err);

/* *out = a + sep + b (sep only between two non-empty parts); NULL if
 * both are empty. */
enum wh_err ord_join(const char *a, const char *sep, const char *b,
		     char **out, struct wh_error *err);

/* *out = a * b for non-negative a, b, or WH_ERR_INVALID on overflow. */
enum wh_err ord_mul(int64_t a, int64_t b, int64_t *out,
		    struct wh_error *err);

/*
 * sync_json_load() plus a check that the root is an object or array;
 * messages start with "<what> response".
 */
enum wh_err ord_parse_root(const char *json, size_t len, const char *what,
			   json_t **root, struct wh_error *err);

/* Classifies platform envelopes; used by sync_api_classify(). */
enum sync_api_status api_classify_top(const json_t *root, long http,
				      struct sync_api_error *out);
enum sync_api_status api_classify_jd(const json_t *root, long http,
				     struct sync_api_error *out);
enum sync_api_status api_classify_pdd(const json_t *root, long http,
				      struct sync_api_error *out);
enum sync_api_status api_classify_douyin(const json_t *root, long http,
					 struct sync_api_error *out);
enum sync_api_status api_classify_amazon(const json_t *root, long http,
					 struct sync_api_error *out);
enum sync_api_status api_classify_shopify(const json_t *root, long http,
					  struct sync_api_error *out);
enum sync_api_status api_classify_woo(const json_t *root, long http,
				      struct sync_api_error *out);

/*
 * A status from the HTTP code alone: 429 RATE_LIMITED, 401/403 AUTH,
 * 5xx SERVER, other 4xx OTHER, else OK.
 */
enum sync_api_status api_from_http(long http);

/*
 * Guesses a status from a platform's error text (English and Chinese
 * keywords); fallback when the code is not one we know.
 */
enum sync_api_status api_from_text(const char *code, const char *sub_code,
				   const char *message,
				   enum sync_api_status fallback);

#endif
