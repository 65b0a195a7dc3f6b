/*
 * jfield.h - typed, sanitising field access on untrusted JSON (private to
 * src/sync; the platform parsers use it).
 *
 * Every getter takes a borrowed object, never crashes on a wrong type, and
 * on failure returns WH_ERR_INVALID with a message naming the field and
 * what was found. Strings come back as malloc'd, sanitised copies (see
 * untrusted.h) owned by the caller. A missing or null field is "absent":
 * an error when required, otherwise NULL / the default.
 */
#ifndef WHARF_SYNC_JFIELD_H
#define WHARF_SYNC_JFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

/*
 * Parses len bytes of JSON text. Number tokens with a fraction or an
 * exponent, and integers too long for int64, are turned into JSON strings
 * holding their exact text before jansson sees them, so that amounts sent
 * as JSON numbers (PDD's yuan doubles, Woo's prices) keep their decimal
 * digits and never pass through a binary double. Embedded NULs (\u0000)
 * are allowed; the sanitiser removes them. *out receives a new reference
 * (the caller's to json_decref()); WH_ERR_INVALID or WH_ERR_NOMEM else.
 */
enum wh_err sync_json_load(const char *text, size_t len, json_t **out,
			   struct wh_error *err);

/* A short type name for messages ("array", "number", ...). */
const char *jf_type_name(const json_t *v);

enum wh_err jf_str(const json_t *obj, const char *key, size_t cap,
		   bool required, char **out, struct wh_error *err);
/* Integer, or a string of decimal digits; absent gives def. */
enum wh_err jf_int(const json_t *obj, const char *key, bool required,
		   int64_t def, int64_t *out, struct wh_error *err);
/* Boolean; absent gives def. */
enum wh_err jf_bool(const json_t *obj, const char *key, bool def, bool *out,
		    struct wh_error *err);
/* Decimal amount (string or number) in units of 10^-exponent; absent 0. */
enum wh_err jf_amount(const json_t *obj, const char *key, int exponent,
		      bool required, int64_t *out, struct wh_error *err);
/*
 * Time: integer or digit string = unix seconds; other strings are parsed
 * by sync_time_parse() with default_offset; "" and absent give 0.
 */
enum wh_err jf_time(const json_t *obj, const char *key, int default_offset,
		    bool required, int64_t *out, struct wh_error *err);
/* Object or array member (borrowed), NULL when absent. */
enum wh_err jf_obj(const json_t *obj, const char *key, bool required,
		   json_t **out, struct wh_error *err);
enum wh_err jf_arr(const json_t *obj, const char *key, bool required,
		   json_t **out, struct wh_error *err);

#endif
