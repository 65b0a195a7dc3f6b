/*
 * cmd_scanner.c - `wharf scanner listen`: print every scan event a
 * driver delivers, one line each, until Ctrl-C or --count events.
 */
#include "commands.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/scanner/scan_format.h"
#include "drivers/scanner/scanner.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	fputs("usage: wharf scanner test [--scanner SPEC] [--lang en|zh_CN]\n"
	      "         the scan test screen, no database needed\n"
	      "       wharf scanner listen\n"
	      "         --driver wedge|evdev|hidpos|serial|fifo\n"
	      "         [--device PATH] [--vid HEX --pid HEX]\n"
	      "         [--prefix STR] [--suffix STR] [--min-burst N]\n"
	      "         [--gap-ms N] [--scan-timeout-ms N] [--no-aim]\n"
	      "         [--no-grab] [--count N]\n"
	      "  STR takes C escapes: \\r \\n \\t \\e \\\\ \\xNN.\n"
	      "  --suffix is a set of terminator bytes\n"
	      "    (default \\r; fifo \\n).\n"
	      "  fifo --device unix:PATH listens on a Unix stream socket.\n"
	      "  --count N stops after N scan or error events.\n", f);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes C escapes into out; false if malformed or too long. */
static bool parse_bytes(const char *s, unsigned char *out, size_t max,
			size_t *len)
{
	size_t n = 0;
	int hi, lo;
	unsigned char c;

	while (*s) {
		if (n == max)
			return false;
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'r': c = '\r'; break;
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'e': c = 0x1b; break;
		case '\\': c = '\\'; break;
		case 'x':
			hi = hexval(s[1]);
			lo = hi < 0 ? -1 : hexval(s[2]);
			if (lo < 0)
				return false;
			c = (unsigned char)(hi * 16 + lo);
			s += 2;
			break;
		default:
			return false;
		}
		out[n++] = c;
		s++;
	}
	*len = n;
	return true;
}

static bool parse_ulong(const char *s, int base, unsigned long max,
			unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*out = strtoul(s, &end, base);
	return !errno && !*end && *out <= max;
}

struct listen_opts {
	struct scanner_config cfg;
	unsigned long count;
};

static int parse_listen(int argc, char **argv, struct listen_opts *o)
{
	enum scanner_driver drv;
	const char *driver = NULL, *opt, *val;
	unsigned long v;
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--driver") && i + 1 < argc)
			driver = argv[i + 1];
	if (!driver || !scanner_driver_parse(driver, &drv)) {
		fprintf(stderr, "wharf scanner listen: --driver is required "
			"(wedge, evdev, hidpos, serial or fifo)\n");
		return 2;
	}
	scanner_config_init(&o->cfg, drv);
	o->count = 0;
	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (!strcmp(opt, "--no-grab")) {
			o->cfg.no_grab = true;
			continue;
		}
		if (!strcmp(opt, "--no-aim")) {
			o->cfg.aim = SCANNER_AIM_OFF;
			continue;
		}
		if (i + 1 >= argc)
			goto bad;
		val = argv[++i];
		if (!strcmp(opt, "--driver")) {
			continue;
		} else if (!strcmp(opt, "--device")) {
			o->cfg.device = val;
		} else if (!strcmp(opt, "--vid") &&
			   parse_ulong(val, 16, 0xffff, &v)) {
			o->cfg.vid = (uint16_t)v;
		} else if (!strcmp(opt, "--pid") &&
			   parse_ulong(val, 16, 0xffff, &v)) {
			o->cfg.pid = (uint16_t)v;
		} else if (!strcmp(opt, "--prefix")) {
			if (!parse_bytes(val, o->cfg.prefix, SCANNER_AFFIX_MAX,
					 &o->cfg.prefix_len))
				goto bad;
		} else if (!strcmp(opt, "--suffix")) {
			if (!parse_bytes(val, o->cfg.suffix, SCANNER_AFFIX_MAX,
					 &o->cfg.suffix_len) ||
			    !o->cfg.suffix_len)
				goto bad;
		} else if (!strcmp(opt, "--min-burst") &&
			   parse_ulong(val, 10, 4096, &v)) {
			o->cfg.min_burst = (unsigned)v;
		} else if (!strcmp(opt, "--gap-ms") &&
			   parse_ulong(val, 10, 60000, &v)) {
			o->cfg.gap_ms = (unsigned)v;
		} else if (!strcmp(opt, "--scan-timeout-ms") &&
			   parse_ulong(val, 10, 3600000, &v)) {
			o->cfg.scan_timeout_ms = (unsigned)v;
		} else if (!strcmp(opt, "--count") &&
			   parse_ulong(val, 10, ~0ul, &v)) {
			o->count = v;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "wharf scanner listen: bad option or value: %s\n",
		argv[i]);
	usage(stderr);
	return 2;
}

static bool is_ctrl_c(const struct scan_event *ev)
{
	return ev->kind == SCAN_EV_KEYS && memchr(ev->data, 0x03, ev->len);
}

static int listen_loop(scanner_t *s, unsigned long count)
{
	struct scan_event *ev;
	unsigned long seen = 0;
	struct pollfd pfd;
	char *line;
	int rc = 0;

	ev = malloc(sizeof(*ev));
	line = malloc(SCAN_FORMAT_MAX);
	if (!ev || !line) {
		fputs("wharf scanner listen: out of memory\n", stderr);
		rc = 1;
		goto out;
	}
	pfd.fd = scanner_fd(s);
	pfd.events = POLLIN;
	while (!stop_requested) {
		while (scanner_next(s, ev)) {
			scan_format_event(ev, line, SCAN_FORMAT_MAX);
			/* \r too: a wedge terminal is in raw mode. */
			printf("%s\r\n", line);
			if (is_ctrl_c(ev))
				stop_requested = 1;
			if (ev->kind == SCAN_EV_SCAN ||
			    ev->kind == SCAN_EV_ERROR)
				seen++;
			if ((count && seen >= count) || stop_requested)
				goto out;
		}
		fflush(stdout);
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
			fprintf(stderr, "wharf scanner listen: poll: %s\n",
				strerror(errno));
			rc = 1;
			goto out;
		}
	}
out:
	fflush(stdout);
	free(line);
	free(ev);
	return rc;
}

static int cmd_listen(int argc, char **argv)
{
	struct listen_opts o;
	struct sigaction sa;
	struct wh_error err;
	scanner_t *s;
	int rc;

	rc = parse_listen(argc, argv, &o);
	if (rc)
		return rc;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	wh_error_clear(&err);
	if (scanner_open(&o.cfg, &s, &err)) {
		fprintf(stderr, "wharf scanner listen: %s\n", err.msg);
		return 1;
	}
	rc = listen_loop(s, o.count);
	scanner_free(s);
	return rc;
}

int cmd_scanner(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "listen"))
		return cmd_listen(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "test"))
		return cmd_scanner_test(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "help"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
