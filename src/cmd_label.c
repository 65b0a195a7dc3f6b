/*
 * cmd_label.c - `wharf label types | render | print`.
 *
 *   wharf label types
 *   wharf label render --type TYPE --format zpl|tspl|pdf|png [--dpi 203|300]
 *                      --data FILE.json --out FILE
 *   wharf label print  --type TYPE --data FILE.json --printer URI
 *                      [--format zpl|tspl] [--dpi 203|300]
 *
 * Common options: --z64 (ZPL Z64 instead of ASCII compression),
 * --tspl-black 0|1 (the BITMAP bit value that prints black; TSC: 0),
 * --timeout MS (printer I/O). "-" as --data or --out is stdin/stdout.
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "core/parse.h"
#include "drivers/printer/printer.h"
#include "label/label.h"

struct label_args {
	const char *type, *format, *data, *out, *printer;
	int dpi, tspl_black, timeout_ms;
	bool z64;
};

static void usage(FILE *f)
{
	fputs("usage: wharf label types\n"
	      "       wharf label render --type TYPE --format "
	      "zpl|tspl|pdf|png [--dpi 203|300]\n"
	      "                          --data FILE.json --out FILE\n"
	      "       wharf label print --type TYPE --data FILE.json "
	      "--printer URI\n"
	      "                         [--format zpl|tspl] [--dpi 203|300]\n"
	      "options: --z64  --tspl-black 0|1  --timeout MS\n"
	      "printers: tcp://HOST:PORT  file:PATH  cups:QUEUE  "
	      "usb:VID:PID\n", f);
}

static bool parse_int(const char *s, long lo, long hi, int *out)
{
	long v;

	if (!parse_long(s, lo, hi, &v))
		return false;
	*out = (int)v;
	return true;
}

/* Returns 0, or 2 after printing what is wrong. */
static int parse_args(int argc, char **argv, struct label_args *a)
{
	const char *o, *v, **str;
	bool ok;
	int i;

	memset(a, 0, sizeof(*a));
	a->dpi = 203;
	for (i = 2; i < argc; i++) {
		o = argv[i];
		if (!strcmp(o, "--z64")) {
			a->z64 = true;
			continue;
		}
		v = i + 1 < argc ? argv[++i] : NULL;
		str = !strcmp(o, "--type") ? &a->type :
		      !strcmp(o, "--format") ? &a->format :
		      !strcmp(o, "--data") ? &a->data :
		      !strcmp(o, "--out") ? &a->out :
		      !strcmp(o, "--printer") ? &a->printer : NULL;
		if (!v)
			ok = false;
		else if (str)
			ok = (*str = v) != NULL;
		else if (!strcmp(o, "--dpi"))
			ok = parse_int(v, 150, 600, &a->dpi);
		else if (!strcmp(o, "--tspl-black"))
			ok = parse_int(v, 0, 1, &a->tspl_black);
		else if (!strcmp(o, "--timeout"))
			ok = parse_int(v, 1, 600000, &a->timeout_ms);
		else
			ok = false;
		if (!ok) {
			fprintf(stderr, "wharf label: bad option %s%s%s\n", o,
				v ? " " : "", v ? v : "");
			usage(stderr);
			return 2;
		}
	}
	return 0;
}

static bool format_of(const char *s, enum label_format *f)
{
	static const char *const names[] = { "zpl", "tspl", "pdf", "png" };
	static const enum label_format fmts[] = {
		LABEL_FMT_ZPL, LABEL_FMT_TSPL, LABEL_FMT_PDF, LABEL_FMT_PNG
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcmp(s, names[i])) {
			*f = fmts[i];
			return true;
		}
	}
	return false;
}

static int cmd_types(void)
{
	const struct label_type_info *t;
	size_t i;

	for (i = 0; i < label_type_count(); i++) {
		t = label_type_at(i);
		printf("%-18s %s\n", t->name, t->description);
	}
	return 0;
}

static int write_out(const char *path, const struct label_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	int bad;

	if (!f) {
		fprintf(stderr, "wharf label: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	bad = fwrite(b->data, 1, b->len, f) != b->len;
	bad |= f == stdout ? fflush(f) != 0 : fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "wharf label: writing %s failed\n", path);
		return 1;
	}
	return 0;
}

/* Renders and encodes per the arguments into *b; prints errors. */
static int make_job(const struct label_args *a, enum label_format fmt,
		    struct label_buf *b)
{
	struct label_encode_opts o = {
		.dpi = a->dpi,
		.zpl = a->z64 ? LABEL_ZPL_Z64 : LABEL_ZPL_ASCII,
		.tspl_black = a->tspl_black,
	};
	struct label_raster *r = NULL;
	struct wh_error e = { 0 };
	json_error_t je;
	json_t *data;
	enum wh_err rc;

	data = strcmp(a->data, "-") ? json_load_file(a->data, 0, &je) :
				      json_loadf(stdin, 0, &je);
	if (!data) {
		fprintf(stderr, "wharf label: %s:%d: %s\n", a->data, je.line,
			je.text);
		return 1;
	}
	rc = label_render(a->type, data, a->dpi, &r, &e);
	json_decref(data);
	if (rc == WH_OK)
		rc = label_encode(r, fmt, &o, b, &e);
	label_raster_free(r);
	if (rc) {
		fprintf(stderr, "wharf label: %s\n", e.msg);
		return 1;
	}
	return 0;
}

static int cmd_render(const struct label_args *a)
{
	struct label_buf b = { 0 };
	enum label_format fmt;
	int rc;

	if (!a->type || !a->format || !a->data || !a->out) {
		usage(stderr);
		return 2;
	}
	if (!format_of(a->format, &fmt)) {
		fprintf(stderr, "wharf label: unknown format \"%s\"\n",
			a->format);
		return 2;
	}
	rc = make_job(a, fmt, &b);
	if (rc == 0)
		rc = write_out(a->out, &b);
	label_buf_free(&b);
	return rc;
}

static int cmd_print(const struct label_args *a)
{
	struct printer_opts po = { .timeout_ms = a->timeout_ms };
	struct label_buf b = { 0 };
	struct wh_error e = { 0 };
	enum label_format fmt = LABEL_FMT_ZPL;
	int rc;

	if (!a->type || !a->data || !a->printer) {
		usage(stderr);
		return 2;
	}
	if (a->format && (!format_of(a->format, &fmt) ||
			  (fmt != LABEL_FMT_ZPL && fmt != LABEL_FMT_TSPL))) {
		fprintf(stderr, "wharf label: print takes --format zpl or "
			"tspl\n");
		return 2;
	}
	rc = make_job(a, fmt, &b);
	if (rc == 0 && printer_send(a->printer, b.data, b.len, &po, &e)) {
		fprintf(stderr, "wharf label: %s\n", e.msg);
		rc = 1;
	}
	label_buf_free(&b);
	return rc;
}

int cmd_label(int argc, char **argv)
{
	struct label_args a;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "types"))
		return cmd_types();
	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc;
	if (!strcmp(argv[1], "render"))
		rc = cmd_render(&a);
	else if (!strcmp(argv[1], "print"))
		rc = cmd_print(&a);
	else {
		fprintf(stderr, "wharf label: unknown command \"%s\"\n",
			argv[1]);
		usage(stderr);
		return 2;
	}
	/* The process ends after a command: let LeakSanitizer see clean. */
	label_shutdown();
	return rc;
}
