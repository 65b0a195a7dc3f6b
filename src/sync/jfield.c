#include "sync/jfield.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/amount.h"
#include "sync/synctime.h"
#include "sync/untrusted.h"

/* Integers with more digits than this may not fit int64: keep as text. */
#define INT_DIGITS_MAX 18

static bool num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
	       c == 'e' || c == 'E';
}

/*
 * Copies text, quoting number tokens that jansson would turn into a
 * double or refuse as too big. Only bytes outside strings are examined;
 * invalid JSON stays invalid, so jansson still reports it.
 */
static char *quote_numbers(const char *text, size_t len)
{
	bool in_str = false;
	size_t o = 0;
	char *out;

	/* A number token of k >= 2 bytes grows by 2: at most doubling. */
	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	out = malloc(2 * len + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		char c = text[i];

		if (in_str) {
			out[o++] = c;
			i++;
			if (c == '\\' && i < len)
				out[o++] = text[i++];
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
			out[o++] = c;
			i++;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i, digits = 0;
			bool real = false;

			while (j < len && num_char(text[j])) {
				if (text[j] == '.' || text[j] == 'e' ||
				    text[j] == 'E')
					real = true;
				else if (text[j] >= '0' && text[j] <= '9')
					digits++;
				j++;
			}
			if (real || digits > INT_DIGITS_MAX) {
				out[o++] = '"';
				memcpy(out + o, text + i, j - i);
				o += j - i;
				out[o++] = '"';
			} else {
				memcpy(out + o, text + i, j - i);
				o += j - i;
			}
			i = j;
			continue;
		}
		out[o++] = c;
		i++;
	}
	out[o] = '\0';
	return out;
}

enum wh_err sync_json_load(const char *text, size_t len, json_t **out,
			   struct wh_error *err)
{
	json_error_t je;
	size_t qlen;
	char *q;

	*out = NULL;
	if (!text)
		len = 0;
	if (len && memchr(text, '\0', len))
		return wh_error_set(err, WH_ERR_INVALID,
				    "JSON text contains a NUL byte");
	q = quote_numbers(text ? text : "", len);
	if (!q)
		return wh_error_set(err, WH_ERR_NOMEM,
				    "out of memory reading JSON");
	qlen = strlen(q);
	*out = json_loadb(q, qlen, JSON_ALLOW_NUL, &je);
	free(q);
	if (!*out)
		return wh_error_set(err, WH_ERR_INVALID,
				    "invalid JSON at line %d column %d: %.200s",
				    je.line, je.column, je.text);
	return WH_OK;
}

const char *jf_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something else";
}

/* The member, or NULL when absent or null. */
static json_t *member(const json_t *obj, const char *key)
{
	json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

static enum wh_err absent(const char *key, bool required,
			  struct wh_error *err)
{
	if (required)
		return wh_error_set(err, WH_ERR_INVALID,
				    "field \"%s\" is missing", key);
	return WH_OK;
}

static enum wh_err wrong(const char *key, const char *want, const json_t *v,
			 struct wh_error *err)
{
	return wh_error_set(err, WH_ERR_INVALID,
			    "field \"%s\": expected %s, got %s", key, want,
			    jf_type_name(v));
}

enum wh_err jf_str(const json_t *obj, const char *key, size_t cap,
		   bool required, char **out, struct wh_error *err)
{
	json_t *v = member(obj, key);
	char buf[32];
	const char *s;
	size_t len;

	*out = NULL;
	if (!v)
		return absent(key, required, err);
	if (json_is_string(v)) {
		s = json_string_value(v);
		len = json_string_length(v);
	} else if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		s = buf;
		len = strlen(buf);
	} else {
		return wrong(key, "a string", v, err);
	}
	*out = untrusted_clean(s, len, cap, NULL);
	if (!*out)
		return wh_error_set(err, WH_ERR_NOMEM,
				    "out of memory reading \"%s\"", key);
	if (required && !**out) {
		free(*out);
		*out = NULL;
		return wh_error_set(err, WH_ERR_INVALID,
				    "field \"%s\" is empty", key);
	}
	return WH_OK;
}

/* Parses an optional '-' and decimal digits that fit int64 exactly. */
static bool parse_int_text(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	uint64_t v = 0, lim = (uint64_t)INT64_MAX;
	bool neg = false;

	if (len && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

enum wh_err jf_int(const json_t *obj, const char *key, bool required,
		   int64_t def, int64_t *out, struct wh_error *err)
{
	json_t *v = member(obj, key);

	*out = def;
	if (!v)
		return absent(key, required, err);
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return WH_OK;
	}
	if (json_is_string(v)) {
		if (parse_int_text(json_string_value(v), json_string_length(v),
				   out))
			return WH_OK;
		*out = def;
		return wh_error_set(err, WH_ERR_INVALID,
				    "field \"%s\": \"%.40s\" is not an "
				    "integer", key, json_string_value(v));
	}
	return wrong(key, "an integer", v, err);
}

enum wh_err jf_bool(const json_t *obj, const char *key, bool def, bool *out,
		    struct wh_error *err)
{
	json_t *v = member(obj, key);

	*out = def;
	if (!v)
		return WH_OK;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return WH_OK;
	}
	if (json_is_string(v) && !strcmp(json_string_value(v), "true")) {
		*out = true;
		return WH_OK;
	}
	if (json_is_string(v) && !strcmp(json_string_value(v), "false")) {
		*out = false;
		return WH_OK;
	}
	return wrong(key, "a boolean", v, err);
}

enum wh_err jf_amount(const json_t *obj, const char *key, int exponent,
		      bool required, int64_t *out, struct wh_error *err)
{
	json_t *v = member(obj, key);
	enum wh_err rc;

	*out = 0;
	if (!v)
		return absent(key, required, err);
	if (json_is_integer(v)) {
		int64_t n = json_integer_value(v);

		for (int i = 0; i < exponent; i++) {
			if (n > INT64_MAX / 10 || n < INT64_MIN / 10)
				return wh_error_set(err, WH_ERR_INVALID,
						    "field \"%s\": amount out "
						    "of range", key);
			n *= 10;
		}
		*out = n;
		return WH_OK;
	}
	if (!json_is_string(v))
		return wrong(key, "an amount", v, err);
	if (json_string_length(v) == 0)
		return absent(key, required, err);
	rc = sync_amount_parse_number(json_string_value(v),
				      json_string_length(v), exponent, out,
				      err);
	if (rc)
		wh_error_prefix(err, "field \"%s\"", key);
	return rc;
}

enum wh_err jf_time(const json_t *obj, const char *key, int default_offset,
		    bool required, int64_t *out, struct wh_error *err)
{
	json_t *v = member(obj, key);
	const char *s;
	size_t len;
	enum wh_err rc;

	*out = 0;
	if (!v)
		return absent(key, required, err);
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		if (*out < 0)
			goto range;
		return WH_OK;
	}
	if (!json_is_string(v))
		return wrong(key, "a time", v, err);
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0)
		return absent(key, required, err);
	if (parse_int_text(s, len, out)) {
		if (*out < 0)
			goto range;
		return WH_OK;
	}
	rc = sync_time_parse(s, len, default_offset, out, err);
	if (rc)
		wh_error_prefix(err, "field \"%s\"", key);
	else if (*out <= 0)
		*out = 0; /* "0001-01-01 00:00:00" and such: not set */
	return rc;
range:
	*out = 0;
	return wh_error_set(err, WH_ERR_INVALID,
			    "field \"%s\": negative time", key);
}

enum wh_err jf_obj(const json_t *obj, const char *key, bool required,
		   json_t **out, struct wh_error *err)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return absent(key, required, err);
	if (!json_is_object(v))
		return wrong(key, "an object", v, err);
	*out = v;
	return WH_OK;
}

enum wh_err jf_arr(const json_t *obj, const char *key, bool required,
		   json_t **out, struct wh_error *err)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return absent(key, required, err);
	if (!json_is_array(v))
		return wrong(key, "an array", v, err);
	*out = v;
	return WH_OK;
}
