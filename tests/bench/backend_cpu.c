/*
 * backend_cpu.c - CPU time spent by PostgreSQL backends, read from /proc.
 * Owner: the benchmarks.
 */
#include "backend_cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

double backend_cpu_s(int pid)
{
	char path[64], buf[1024], *p, *end;
	unsigned long long utime, stime;
	long tick = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* pid (comm) state ...: comm may hold spaces, so count fields from
	 * the last ')'. utime and stime are fields 14 and 15. */
	p = strrchr(buf, ')');
	if (!p || tick <= 0)
		return -1;
	p++;
	for (int field = 3; field < 14; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	utime = strtoull(p, &end, 10);
	if (end == p)
		return -1;
	stime = strtoull(end, &p, 10);
	if (p == end)
		return -1;
	return (double)(utime + stime) / (double)tick;
}

static double realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool cpu_window_sample(struct db *db, const char *dbname, int expect,
		       struct cpu_window *w)
{
	const char *p[] = { dbname };
	struct wh_error err;
	struct db_result *r;
	double total = 0, t;
	int rows;

	if (db_exec(db,
		    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND "
		    "backend_type = 'client backend'",
		    1, p, &r, &err) != WH_OK)
		return false;
	t = realtime_s();
	rows = db_result_rows(r);
	for (int i = 0; i < rows && rows == expect; i++) {
		double s = backend_cpu_s((int)db_result_int64(r, i, 0));

		if (s < 0) {
			rows = -1;
			break;
		}
		total += s;
	}
	db_result_free(r);
	if (rows != expect)
		return false;
	if (w->samples++ == 0) {
		w->t_first = t;
		w->cpu_first = total;
	}
	w->t_last = t;
	w->cpu_last = total;
	return true;
}
