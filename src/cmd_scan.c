/*
 * cmd_scan.c - `wharf scan decode`: show how wharf reads a scan, as JSON.
 *
 *   wharf scan decode [--aim ID] [--gs SUBSTITUTE] [--today YYYY-MM-DD]
 *                     DATA | -
 *
 * DATA may spell bytes as \xHH (e.g. \x1d for GS) and a backslash as \\;
 * "-" reads the raw bytes of the scan from stdin instead (no escapes; one
 * trailing newline is dropped). --today sets the reference date of the
 * GS1 century rule; it defaults to the local date.
 *
 * Exit status: 0 the scan is valid, 1 it is not ({"error": "..."} on
 * stdout), 2 usage error (message on stderr).
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "domain/gs1.h"
#include "domain/scan_classify.h"

#define SCAN_STDIN_MAX (1024 * 1024)

static const char usage_text[] =
    "usage: wharf scan decode [--aim ID] [--gs SUBSTITUTE] "
    "[--today YYYY-MM-DD] DATA|-\n"
    "\n"
    "Shows how wharf reads one scan, as JSON. DATA may spell bytes as\n"
    "\\xHH (\\x1d is GS) and a backslash as \\\\; - reads raw bytes from\n"
    "stdin. --aim gives the symbology identifier (]C1) when DATA has\n"
    "none, --gs the printable stand-in for GS, --today the reference\n"
    "date of the GS1 century rule (default: today).\n"
    "Exit status: 0 valid, 1 invalid ({\"error\": ...}), 2 usage.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "wharf scan: %s\n", why);
	fputs(usage_text, stderr);
	return 2;
}

static bool is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/* Decodes \xHH and \\ in s into a new buffer (*out, *n); false if bad. */
static bool unescape(const char *s, char **out, size_t *n)
{
	size_t len = strlen(s), i, k = 0;
	char *b = malloc(len + 1);

	if (!b)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && s[i + 1] == '\\') {
			b[k++] = '\\';
			i++;
		} else if (s[i] == '\\' && s[i + 1] == 'x') {
			int hi = s[i + 2] ? hexval(s[i + 2]) : -1;
			int lo = hi >= 0 && s[i + 3] ? hexval(s[i + 3]) : -1;

			if (hi < 0 || lo < 0) {
				free(b);
				return false;
			}
			b[k++] = (char)(hi * 16 + lo);
			i += 3;
		} else {
			b[k++] = s[i];
		}
	}
	*out = b;
	*n = k;
	return true;
}

/* Reads all of stdin; drops one trailing "\n" or "\r\n". */
static bool read_stdin(char **out, size_t *n)
{
	size_t cap = 4096, len = 0, r;
	char *b = malloc(cap), *nb;

	if (!b)
		return false;
	while ((r = fread(b + len, 1, cap - len, stdin)) > 0) {
		len += r;
		if (len == cap) {
			if (cap >= SCAN_STDIN_MAX)
				goto out_free;
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb)
				goto out_free;
			b = nb;
		}
	}
	if (ferror(stdin))
		goto out_free;
	if (len > 0 && b[len - 1] == '\n')
		len--;
	if (len > 0 && b[len - 1] == '\r')
		len--;
	*out = b;
	*n = len;
	return true;
out_free:
	free(b);
	return false;
}

static bool parse_ymd(const char *s, struct gs1_date *d)
{
	long v[3];
	const char *p = s;
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return false;
		errno = 0;
		v[i] = strtol(p, &end, 10);
		if (errno || end == p)
			return false;
		if (i < 2 && *end != '-')
			return false;
		p = end + (i < 2);
	}
	if (*end != '\0' || v[0] < 1000 || v[0] > 9999 || v[1] < 1 ||
	    v[1] > 12 || v[2] < 1 ||
	    v[2] > gs1_days_in_month((int)v[0], (int)v[1]))
		return false;
	d->year = (int)v[0];
	d->month = (int)v[1];
	d->day = (int)v[2];
	return true;
}

/* A JSON string of bytes that may not be UTF-8: hex if it is not. */
static void set_bytes(json_t *obj, const char *key, const char *hexkey,
		      const char *p, size_t n)
{
	json_t *s = json_stringn(p, n);
	char *hex;
	size_t i;

	if (s) {
		json_object_set_new(obj, key, s);
		return;
	}
	hex = malloc(n * 2 + 1);
	if (!hex)
		return;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)p[i]);
	hex[2 * n] = '\0';
	json_object_set_new(obj, hexkey, json_string(hex));
	free(hex);
}

static void fmt_date(char buf[16], const struct gs1_date *d)
{
	snprintf(buf, 16, "%04d-%02d-%02d", d->year, d->month, d->day);
}

static json_t *element_json(const struct gs1_element *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "ai", json_string(e->ai));
	json_object_set_new(o, "title", json_string(e->def->title));
	json_object_set_new(o, "name", json_string(e->def->name));
	json_object_set_new(o, "raw", json_stringn(e->raw, e->raw_len));
	json_object_set_new(o, "type", json_string(gs1_type_name(e->type)));
	json_object_set_new(o, "value", json_string(e->typed));
	if (e->type == GS1_TYPE_DECIMAL || e->type == GS1_TYPE_AMOUNT)
		json_object_set_new(o, "decimals", json_integer(e->decimals));
	if (e->type == GS1_TYPE_AMOUNT)
		json_object_set_new(o, "currency", json_string(e->currency));
	return o;
}

static json_t *class_json(const struct scan_class *sc)
{
	json_t *o = json_object();
	char d[16];

	json_object_set_new(o, "kind",
			    json_string(scan_class_kind_name(sc->kind)));
	if (sc->code_len)
		set_bytes(o, "code", "code_hex", sc->code, sc->code_len);
	if (sc->rule != SCAN_NO_RULE)
		json_object_set_new(o, "rule",
				    json_integer((json_int_t)sc->rule));
	if (sc->gtin[0]) {
		json_object_set_new(o, "gtin", json_string(sc->gtin));
		json_object_set_new(o, "indicator",
				    json_integer(sc->indicator));
		json_object_set_new(o, "contained",
				    json_boolean(sc->contained));
	}
	if (sc->lot[0])
		json_object_set_new(o, "lot", json_string(sc->lot));
	if (sc->serial[0])
		json_object_set_new(o, "serial", json_string(sc->serial));
	if (sc->has_expiry) {
		fmt_date(d, &sc->expiry);
		json_object_set_new(o, "expiry", json_string(d));
	}
	if (sc->has_best_before) {
		fmt_date(d, &sc->best_before);
		json_object_set_new(o, "best_before", json_string(d));
	}
	if (sc->has_count)
		json_object_set_new(o, "count",
				    json_integer((json_int_t)sc->count));
	if (sc->measure_ai[0]) {
		json_object_set_new(o, "measure_ai",
				    json_string(sc->measure_ai));
		json_object_set_new(o, "measure", json_string(sc->measure));
	}
	return o;
}

static json_t *result_json(const struct gs1_result *r,
			   const struct scan_class *sc)
{
	json_t *o = json_object(), *els = json_array();
	char br[GS1_MAX_ELEMENTS * (GS1_VALUE_MAX + 6) + 1];
	size_t i;

	if (r->has_aim) {
		json_t *s = json_object();

		json_object_set_new(s, "aim", json_string(r->aim.id));
		json_object_set_new(s, "name", json_string(r->aim.name));
		json_object_set_new(s, "gs1", json_boolean(r->aim.gs1));
		json_object_set_new(o, "symbology", s);
	} else {
		json_object_set_new(o, "symbology", json_null());
	}
	json_object_set_new(o, "form", json_string(gs1_form_name(r->form)));
	if (r->symbol)
		json_object_set_new(o, "symbol", json_string(r->symbol));
	if (r->addon[0])
		json_object_set_new(o, "addon", json_string(r->addon));
	if (r->form == GS1_FORM_PLAIN || r->form == GS1_FORM_GTIN)
		set_bytes(o, "data", "data_hex", r->data, r->data_len);
	for (i = 0; i < r->count; i++)
		json_array_append_new(els, element_json(&r->el[i]));
	json_object_set_new(o, "elements", els);
	if (r->count && gs1_to_bracketed(r, br, sizeof(br)) < sizeof(br))
		json_object_set_new(o, "bracketed", json_string(br));
	json_object_set_new(o, "classification", class_json(sc));
	return o;
}

static int print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2));

	json_decref(o);
	if (!s)
		return -1;
	printf("%s\n", s);
	free(s);
	return fflush(stdout) == 0 ? 0 : -1;
}

static int decode(const char *arg, const struct gs1_options *opt)
{
	struct gs1_result *r;
	struct scan_class sc;
	struct wh_error err;
	json_t *o;
	char *buf;
	size_t n;
	int rc;

	if (strcmp(arg, "-") == 0) {
		if (!read_stdin(&buf, &n)) {
			fprintf(stderr, "wharf scan: cannot read stdin\n");
			return 2;
		}
	} else if (!unescape(arg, &buf, &n)) {
		return usage("bad \\x escape in DATA");
	}
	r = malloc(sizeof(*r));
	if (!r) {
		free(buf);
		fprintf(stderr, "wharf scan: out of memory\n");
		return 1;
	}
	wh_error_clear(&err);
	if (gs1_parse(buf, n, opt, r, &err) != WH_OK ||
	    scan_classify(r, &scan_rules_default, &sc, &err) != WH_OK) {
		o = json_object();
		json_object_set_new(o, "error", json_string(err.msg));
		rc = 1;
	} else {
		o = result_json(r, &sc);
		rc = 0;
	}
	free(r);
	free(buf);
	if (print_json(o) != 0) {
		fprintf(stderr, "wharf scan: cannot write output\n");
		return 1;
	}
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	struct gs1_options opt;
	char aim[AIM_ID_LEN + 1];
	const char *data = NULL;
	struct tm tm;
	time_t now;
	int i;

	if (argc >= 2 &&
	    (is_help(argv[1]) || (argc >= 3 && strcmp(argv[1], "decode") == 0 &&
				  is_help(argv[2])))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "decode") != 0)
		return usage(argc < 2 ? NULL : "unknown scan command");
	now = time(NULL);
	if (!localtime_r(&now, &tm))
		return usage("cannot read the local date; use --today");
	gs1_options_init(&opt, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--aim") == 0 || strcmp(a, "--gs") == 0 ||
		    strcmp(a, "--today") == 0) {
			const char *v;

			if (i + 1 >= argc)
				return usage("option needs a value");
			v = argv[++i];
			if (strcmp(a, "--aim") == 0) {
				opt.aim = v;
			} else if (strcmp(a, "--gs") == 0) {
				opt.gs_subst = v;
			} else if (!parse_ymd(v, &opt.today)) {
				return usage("--today wants YYYY-MM-DD");
			}
		} else if (strcmp(a, "--") == 0 && i + 1 < argc && !data) {
			data = argv[++i];
		} else if (a[0] == '-' && a[1] == '-') {
			return usage("unknown option");
		} else if (!data) {
			data = a;
		} else {
			return usage("one DATA argument only");
		}
	}
	if (!data)
		return usage("DATA missing");
	if (opt.aim) {
		/* "]C1" or "C1"; checked here so a typo is a usage error. */
		struct aim_info ai;
		size_t al = strlen(opt.aim);

		if (al == AIM_ID_LEN - 1)
			snprintf(aim, sizeof(aim), "]%s", opt.aim);
		else if (al == AIM_ID_LEN)
			snprintf(aim, sizeof(aim), "%s", opt.aim);
		else
			aim[0] = '\0';
		if (aim_lookup(aim, strlen(aim), &ai, NULL) != WH_OK)
			return usage("--aim wants an identifier like ]C1");
		opt.aim = aim;
	}
	if (opt.gs_subst && (strlen(opt.gs_subst) > GS1_GS_SUBST_MAX ||
			     strpbrk(opt.gs_subst, "0123456789")))
		return usage("--gs wants at most 16 characters, no digits");
	return decode(data, &opt);
}
