/*
 * bench_label.c - carrier label render + encode time per label.
 *
 *   bench_label [--seconds S] [--db IGNORED]
 *
 * A 100x150 mm carrier label (carrier-100x150) at 203 dpi with a Chinese
 * receiver and address, rendered and encoded with label_render_n() in
 * batches for about S seconds per format (default 5; at least one batch),
 * printing
 *   BENCH label_<format>_ms_per_label <v> ms
 *   RATIO label_zpl_vs_budget_10ms <v>     (ZPL ms per label / 10 ms)
 * --db is accepted and ignored so one runner can pass it to every bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "label/label.h"

#define BATCH 10
#define BUDGET_MS 10.0

static const char data_json[] =
	"{\"tracking\": \"SF100000000001\", \"sort_code\": \"755W-021 A3\","
	" \"carrier\": \"顺丰速运 SF Express\","
	" \"receiver\": {\"name\": \"李雷\", \"phone\": \"13800138000\","
	"  \"address\": \"广东省 深圳市 南山区 科技园科苑路 15 号 讯美科技广场"
	" 3 号楼 12 层 1203 室\"},"
	" \"sender\": {\"name\": \"上海仓\", \"address\": \"上海市 嘉定区"
	" 安亭镇 墨玉南路 888 号 wharf SH\"},"
	" \"order_ref\": \"TB-4021339921\", \"weight_kg\": \"1.250\","
	" \"items\": [{\"name\": \"婴儿奶粉 800g\", \"qty\": 2},"
	"  {\"name\": \"湿巾 80 抽\", \"qty\": 1}]}";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum label_format fmt;
	} fmts[] = {
		{ "zpl", LABEL_FMT_ZPL },
		{ "tspl", LABEL_FMT_TSPL },
		{ "png", LABEL_FMT_PNG },
		{ "pdf", LABEL_FMT_PDF },
	};
	struct wh_error e = { 0 };
	json_error_t jerr;
	double seconds = 5, zpl_ms = 0;
	json_t *data;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seconds") && a + 1 < argc) {
			char *end;

			seconds = strtod(argv[++a], &end);
			if (*end || seconds <= 0) {
				fputs("bench_label: bad --seconds\n", stderr);
				return 2;
			}
		} else if (!strcmp(argv[a], "--db") && a + 1 < argc) {
			a++; /* no database here */
		} else {
			fputs("usage: bench_label [--seconds S] [--db X]\n",
			      stderr);
			return 2;
		}
	}
	data = json_loads(data_json, 0, &jerr);
	if (!data) {
		fprintf(stderr, "bench_label: %s\n", jerr.text);
		return 1;
	}
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		double t0 = now_s(), t, end = t0 + seconds / 4;
		long n = 0;
		size_t bytes = 0;

		/* one warm-up label: fonts and caches */
		if (label_render_n("carrier-100x150", data, 203, fmts[i].fmt,
				   1, &bytes, &e) != WH_OK) {
			fprintf(stderr, "bench_label: %s: %s\n", fmts[i].name,
				e.msg);
			json_decref(data);
			return 1;
		}
		t0 = now_s();
		do {
			if (label_render_n("carrier-100x150", data, 203,
					   fmts[i].fmt, BATCH, &bytes,
					   &e) != WH_OK) {
				fprintf(stderr, "bench_label: %s: %s\n",
					fmts[i].name, e.msg);
				json_decref(data);
				return 1;
			}
			n += BATCH;
			t = now_s();
		} while (t < end);
		t = (t - t0) * 1000.0 / (double)n;
		printf("BENCH label_%s_ms_per_label %.3f ms\n", fmts[i].name,
		       t);
		printf("BENCH label_%s_bytes_per_label %zu bytes\n",
		       fmts[i].name, bytes);
		if (fmts[i].fmt == LABEL_FMT_ZPL)
			zpl_ms = t;
	}
	printf("RATIO label_zpl_vs_budget_10ms %.3f\n", zpl_ms / BUDGET_MS);
	json_decref(data);
	label_shutdown();
	return 0;
}
