/*
 * tcp_sink.c - a loopback "printer" on raw TCP for the pack desk's tmux
 * tests: listens on 127.0.0.1 (an ephemeral port, written to PORTFILE once
 * listening), appends everything each connection sends to OUT, and exits
 * after COUNT connections or SECONDS without one.
 *
 *   wharf-tcp-sink PORTFILE OUT COUNT SECONDS
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || v <= 0 ? -1 : v;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	long count, secs, done = 0;
	FILE *pf, *out;
	int ls, one = 1;

	if (argc != 5 || (count = arg_long(argv[3])) < 0 ||
	    (secs = arg_long(argv[4])) < 0) {
		fputs("usage: wharf-tcp-sink PORTFILE OUT COUNT SECONDS\n",
		      stderr);
		return 2;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(ls, 4) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &alen) < 0) {
		perror("wharf-tcp-sink");
		return 1;
	}
	out = fopen(argv[2], "ab");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	/* written to a temporary name and renamed: readers see it whole */
	{
		char tmp[4096];

		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
		pf = fopen(tmp, "w");
		if (!pf || fprintf(pf, "%d\n", ntohs(a.sin_port)) < 0 ||
		    fclose(pf) != 0 || rename(tmp, argv[1]) != 0) {
			perror(argv[1]);
			return 1;
		}
	}
	while (done < count) {
		struct pollfd p = { .fd = ls, .events = POLLIN };
		char buf[65536];
		ssize_t n;
		int c;

		if (poll(&p, 1, (int)secs * 1000) <= 0)
			break;
		c = accept(ls, NULL, NULL);
		if (c < 0)
			continue;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, out);
		fflush(out);
		close(c);
		done++;
	}
	fclose(out);
	close(ls);
	return done == count ? 0 : 1;
}
