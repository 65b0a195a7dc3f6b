/*
 * scale_serial.h - a parcel scale on a serial port (RS-232 or USB CDC-ACM,
 * "continuous output": one line per reading, see domain/scale.h).
 *
 * Lives beside the printer transports: both are the pack desk's devices.
 * The port is opened raw (termios, 8N1, no flow control) at the given
 * speed; reading waits for the first stable reading within a timeout, so
 * a scale still settling (US lines) is waited for, not misread.
 *
 * Ownership: scale_serial_open() gives a descriptor the caller closes.
 */
#ifndef WHARF_DRIVERS_SCALE_SERIAL_H
#define WHARF_DRIVERS_SCALE_SERIAL_H

#include "core/err.h"
#include "domain/scale.h"

/*
 * baud: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200 (0: 9600);
 * another speed is WH_ERR_INVALID.
 */
enum wh_err scale_serial_open(const char *path, int baud, int *fd,
			      struct wh_error *e);

/*
 * The first stable reading (SCALE_OK) on fd within timeout_ms. Unstable
 * readings (also unstable negative ones: a parcel going on or off),
 * tare lines and lines that are not readings are skipped. An overload or
 * a stable negative weight is WH_ERR_REFUSED ("scale overloaded");
 * nothing stable in time is WH_ERR_IO, saying whether a moving weight was
 * seen; a line that hangs up (EOF, EIO) is WH_ERR_IO "scale
 * disconnected" at once. On an error out->status is never SCALE_OK.
 */
enum wh_err scale_serial_read(int fd, const struct scale_format *fmt,
			      int timeout_ms, struct scale_reading *out,
			      struct wh_error *e);

/* "serial:/dev/ttyUSB0", "serial:/dev/ttyUSB0@9600" or a bare path:
 * opens, reads one stable weight, closes. */
enum wh_err scale_serial_weigh(const char *spec, int timeout_ms,
			       int32_t *grams, struct wh_error *e);

#endif
