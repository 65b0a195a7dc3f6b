/*
 * backend_cpu.h - CPU time spent by PostgreSQL backends, read from /proc.
 * Owner: the benchmarks.
 *
 * Throughput on a shared 2-core machine moves with whatever else runs;
 * the server CPU one transaction costs does not. The benchmarks run the
 * server on the same machine (tests/bench/run), so a backend's pid names
 * a process whose user and system time /proc/<pid>/stat holds.
 */
#ifndef WHARF_BENCH_BACKEND_CPU_H
#define WHARF_BENCH_BACKEND_CPU_H

#include <stdbool.h>
#include <stddef.h>

/* User + system CPU seconds of process pid so far; < 0 when unreadable
 * (a server on another machine, or the backend has exited). */
double backend_cpu_s(int pid);

/*
 * Samples the backends of one database while a load runs: every sample
 * that sees exactly `expect` client backends of `dbname` (all of the load
 * connected, none gone) records the time and their total CPU. The first
 * and last such samples bound the measured window.
 */
struct cpu_window {
	double t_first, t_last;     /* CLOCK_REALTIME seconds */
	double cpu_first, cpu_last; /* total CPU seconds at those instants */
	int samples;
};

struct db;

/* One sample through db (a connection to any database of the server, kept
 * open by the caller); false when it could not be taken or did not see
 * `expect` backends. */
bool cpu_window_sample(struct db *db, const char *dbname, int expect,
		       struct cpu_window *w);

#endif
