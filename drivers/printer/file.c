/*
 * file.c - printing to a file or a device node (/dev/usb/lp0, a FIFO).
 */
#include "drivers/printer/printer.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

enum wh_err printer_file_send(const char *path, const void *data,
			      size_t len, const struct printer_opts *o,
			      struct wh_error *e)
{
	const uint8_t *p = data;
	ssize_t n;
	int fd;

	(void)o;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return wh_error_set(e, WH_ERR_IO, "printer file %s: %s", path,
				    strerror(errno));
	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			wh_error_set(e, WH_ERR_IO, "printer file %s: %s", path,
				     n < 0 ? strerror(errno) : "short write");
			close(fd);
			return WH_ERR_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		return wh_error_set(e, WH_ERR_IO, "printer file %s: %s", path,
				    strerror(errno));
	return WH_OK;
}
