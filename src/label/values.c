/*
 * values.c - label data: pulling declared fields out of untrusted JSON,
 * sanitising them, and expanding layout templates.
 */
#include "label/label_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX_DEFAULT 4096
#define ITEMS_MAX 50

const char *label_values_get(const struct label_values *v, const char *key)
{
	const char *s = json_string_value(json_object_get(v->obj, key));

	return s ? s : "";
}

enum wh_err label_values_put(struct label_values *v, const char *key,
			     const char *val, struct wh_error *e)
{
	if (json_object_set_new(v->obj, key, json_string(val)))
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	return WH_OK;
}

void label_values_free(struct label_values *v)
{
	if (!v)
		return;
	json_decref(v->obj);
	v->obj = NULL;
}

/* Decodes one UTF-8 sequence; returns its length, 0 when invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static bool cp_dropped(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x200e || c == 0x200f || c == 0xfeff;
}

char *label_sanitize_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0, n;
	char *out = malloc(len + 1);
	uint32_t c;

	if (!out)
		return NULL;
	while (*p) {
		n = utf8_next(p, &c);
		if (!n) {
			p++;
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
		} else if (!cp_dropped(c)) {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* Finds a dotted path in data; NULL when any step is absent. */
static const json_t *path_get(const json_t *data, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while ((dot = strchr(path, '.'))) {
		n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		data = json_object_get(data, key);
		path = dot + 1;
	}
	return json_object_get(data, path);
}

/*
 * Formats a JSON number without printf's %f, whose decimal point follows
 * LC_NUMERIC: a station running in a locale with a decimal comma must
 * still print "1.25".
 */
static void number_text(const json_t *j, char *buf, size_t n)
{
	double d;
	long long milli;
	int frac;

	if (json_is_integer(j)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(j));
		return;
	}
	d = json_real_value(j);
	milli = (long long)(d * 1000.0 + (d < 0 ? -0.5 : 0.5));
	frac = (int)((milli < 0 ? -milli : milli) % 1000);
	snprintf(buf, n, "%s%lld", milli < 0 ? "-" : "",
		 (milli < 0 ? -milli : milli) / 1000);
	if (frac) {
		size_t l = strlen(buf);

		snprintf(buf + l, n - l, ".%03d", frac);
		l = strlen(buf);
		while (buf[l - 1] == '0')
			buf[--l] = '\0';
	}
}

static bool numeric_string(const char *s)
{
	bool dot = false, digit = false;

	if (*s == '-')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !dot)
			dot = true;
		else
			return false;
	}
	return digit;
}

static enum wh_err put_owned(struct label_values *v, const char *key,
			     char *val, struct wh_error *e)
{
	enum wh_err rc;

	if (!val)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	rc = label_values_put(v, key, val, e);
	free(val);
	return rc;
}

/* "name ×qty; name ×qty" from an items array. */
static enum wh_err items_text(const struct label_field *f, const json_t *j,
			      struct label_values *v, struct wh_error *e)
{
	struct label_buf b = { 0 };
	const json_t *it;
	size_t i;
	char num[32];
	enum wh_err rc = WH_OK;

	if (!json_is_array(j))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field %s must be an array", f->path);
	if (json_array_size(j) > ITEMS_MAX)
		return wh_error_set(e, WH_ERR_INVALID,
				    "field %s has more than %d entries",
				    f->path, ITEMS_MAX);
	json_array_foreach(j, i, it) {
		const json_t *name = json_object_get(it, "name");
		const json_t *qty = json_object_get(it, "qty");
		char *clean;

		if (!json_is_string(name) || !json_is_integer(qty) ||
		    json_integer_value(qty) < 1)
			return wh_error_set(e, WH_ERR_INVALID,
				"field %s[%zu] needs a text name and a "
				"positive integer qty", f->path, i);
		clean = label_sanitize_text(json_string_value(name));
		if (!clean)
			goto nomem;
		snprintf(num, sizeof(num), " ×%lld",
			 (long long)json_integer_value(qty));
		if ((i && label_buf_append(&b, "; ", 2)) ||
		    label_buf_append(&b, clean, strlen(clean)) ||
		    label_buf_append(&b, num, strlen(num))) {
			free(clean);
			goto nomem;
		}
		free(clean);
	}
	if (label_buf_append(&b, "", 1))
		goto nomem;
	if (b.len - 1 > (f->max_len ? f->max_len : FIELD_MAX_DEFAULT))
		rc = wh_error_set(e, WH_ERR_INVALID,
				  "field %s is too long", f->path);
	else
		rc = label_values_put(v, f->path, (const char *)b.data, e);
	label_buf_free(&b);
	return rc;
nomem:
	label_buf_free(&b);
	return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
}

static enum wh_err check_code(const struct label_field *f, const char *s,
			      struct wh_error *e)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return wh_error_set(e, WH_ERR_INVALID,
				"field %s: only printable ASCII without "
				"spaces is allowed in a code", f->path);
	return WH_OK;
}

static enum wh_err collect_one(const struct label_field *f, const json_t *j,
			       struct label_values *v, struct wh_error *e)
{
	size_t max = f->max_len ? f->max_len : FIELD_MAX_DEFAULT;
	char num[64];
	char *s;
	enum wh_err rc;

	if (f->kind == LF_ITEMS)
		return items_text(f, j, v, e);
	if (json_is_number(j) && f->kind != LF_CODE) {
		number_text(j, num, sizeof(num));
		return label_values_put(v, f->path, num, e);
	}
	if (json_is_integer(j) && f->kind == LF_CODE &&
	    json_integer_value(j) >= 0) {
		number_text(j, num, sizeof(num));
		return label_values_put(v, f->path, num, e);
	}
	if (!json_is_string(j))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field %s must be %s", f->path,
				    f->kind == LF_NUMBER ? "a number" : "text");
	s = label_sanitize_text(json_string_value(j));
	if (!s)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	rc = WH_OK;
	if (f->required && !*s)
		rc = wh_error_set(e, WH_ERR_INVALID, "missing field %s",
				  f->path);
	else if (strlen(s) > max)
		rc = wh_error_set(e, WH_ERR_INVALID,
				  "field %s is too long (%zu bytes, at most %zu)",
				  f->path, strlen(s), max);
	else if (f->kind == LF_CODE)
		rc = check_code(f, s, e);
	else if (f->kind == LF_NUMBER && *s && !numeric_string(s))
		rc = wh_error_set(e, WH_ERR_INVALID,
				  "field %s must be a number", f->path);
	if (rc) {
		free(s);
		return rc;
	}
	if (!*s) {
		free(s);
		return WH_OK;
	}
	return put_owned(v, f->path, s, e);
}

enum wh_err label_values_collect(const struct label_type *t,
				 const json_t *data, struct label_values *v,
				 struct wh_error *e)
{
	const struct label_field *f;
	const json_t *j;
	enum wh_err rc;

	v->obj = json_object();
	if (!v->obj)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	if (!json_is_object(data))
		return wh_error_set(e, WH_ERR_INVALID,
				    "label data must be a JSON object");
	for (f = t->fields; f->path; f++) {
		j = path_get(data, f->path);
		if (!j || json_is_null(j)) {
			if (f->required)
				return wh_error_set(e, WH_ERR_INVALID,
						    "missing field %s",
						    f->path);
			continue;
		}
		rc = collect_one(f, j, v, e);
		if (rc)
			return rc;
	}
	return t->prepare ? t->prepare(v, e) : WH_OK;
}

char *label_expand(const char *tmpl, const struct label_values *v)
{
	struct label_buf b = { 0 };
	const char *p = tmpl, *end, *val;
	char key[64];
	size_t n;

	while (*p) {
		if (p[0] == '{' && p[1] == '{') {
			if (label_buf_append(&b, "{", 1))
				goto nomem;
			p += 2;
			continue;
		}
		end = p[0] == '{' ? strchr(p, '}') : NULL;
		if (!end || (size_t)(end - p - 1) >= sizeof(key)) {
			n = strcspn(p + 1, "{") + 1;
			if (label_buf_append(&b, p, n))
				goto nomem;
			p += n;
			continue;
		}
		n = (size_t)(end - p - 1);
		memcpy(key, p + 1, n);
		key[n] = '\0';
		val = label_values_get(v, key);
		if (label_buf_append(&b, val, strlen(val)))
			goto nomem;
		p = end + 1;
	}
	if (label_buf_append(&b, "", 1))
		goto nomem;
	return (char *)b.data;
nomem:
	label_buf_free(&b);
	return NULL;
}
