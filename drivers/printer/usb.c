/*
 * usb.c - USB printer class (interface class 7) through libusb: bulk OUT
 * for the job, GET_DEVICE_ID for the IEEE 1284 identity.
 *
 * Every libusb handle is opened and closed inside one call; a private
 * libusb context keeps us independent of the scanner driver's.
 */
#include "drivers/printer/printer.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#define USB_CHUNK 16384
#define USB_CLASS_PRINTER 7
#define USB_REQ_GET_DEVICE_ID 0

struct usb_printer {
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface, alt, config_index;
	unsigned char ep_out;
	bool claimed;
};

static int timeout_of(const struct printer_opts *o)
{
	return o && o->timeout_ms > 0 ? o->timeout_ms :
					PRINTER_TIMEOUT_MS_DEFAULT;
}

static enum wh_err parse_vidpid(const char *s, uint16_t *vid, uint16_t *pid,
				struct wh_error *e)
{
	unsigned long v, p;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 16);
	if (end == s || *end != ':' || v > 0xffff || errno)
		goto bad;
	s = end + 1;
	p = strtoul(s, &end, 16);
	if (end == s || *end || p > 0xffff || errno)
		goto bad;
	*vid = (uint16_t)v;
	*pid = (uint16_t)p;
	return WH_OK;
bad:
	return wh_error_set(e, WH_ERR_INVALID,
			    "USB printer must be VID:PID in hex, e.g. "
			    "0a5f:0164");
}

/* Finds the printer-class interface with a bulk OUT endpoint. */
static bool find_interface(libusb_device *dev, struct usb_printer *up)
{
	struct libusb_config_descriptor *cfg;
	const struct libusb_interface_descriptor *d;
	int i, a, k;

	if (libusb_get_active_config_descriptor(dev, &cfg))
		return false;
	for (i = 0; i < cfg->bNumInterfaces; i++) {
		for (a = 0; a < cfg->interface[i].num_altsetting; a++) {
			d = &cfg->interface[i].altsetting[a];
			if (d->bInterfaceClass != USB_CLASS_PRINTER)
				continue;
			for (k = 0; k < d->bNumEndpoints; k++) {
				const struct libusb_endpoint_descriptor *ep =
					&d->endpoint[k];

				if ((ep->bmAttributes & 3) ==
					    LIBUSB_TRANSFER_TYPE_BULK &&
				    !(ep->bEndpointAddress &
				      LIBUSB_ENDPOINT_IN)) {
					up->iface = d->bInterfaceNumber;
					up->alt = d->bAlternateSetting;
					up->ep_out = ep->bEndpointAddress;
					up->config_index = 0;
					libusb_free_config_descriptor(cfg);
					return true;
				}
			}
		}
	}
	libusb_free_config_descriptor(cfg);
	return false;
}

static void usb_close(struct usb_printer *up)
{
	if (up->claimed)
		libusb_release_interface(up->h, up->iface);
	if (up->h)
		libusb_close(up->h);
	if (up->ctx)
		libusb_exit(up->ctx);
}

static enum wh_err usb_open(const char *vidpid, struct usb_printer *up,
			    struct wh_error *e)
{
	libusb_device **list = NULL;
	struct libusb_device_descriptor dd;
	uint16_t vid, pid;
	ssize_t n, i;
	int rc = LIBUSB_ERROR_NOT_FOUND;
	bool found = false, not_printer = false;

	memset(up, 0, sizeof(*up));
	if (parse_vidpid(vidpid, &vid, &pid, e))
		return WH_ERR_INVALID;
	if (libusb_init(&up->ctx))
		return wh_error_set(e, WH_ERR_UNSUPPORTED,
				    "USB is not available on this system");
	n = libusb_get_device_list(up->ctx, &list);
	for (i = 0; i < n && !found; i++) {
		if (libusb_get_device_descriptor(list[i], &dd) ||
		    dd.idVendor != vid || dd.idProduct != pid)
			continue;
		if (!find_interface(list[i], up)) {
			not_printer = true;
			continue;
		}
		rc = libusb_open(list[i], &up->h);
		found = rc == 0;
	}
	if (list)
		libusb_free_device_list(list, 1);
	if (!found) {
		usb_close(up);
		if (rc == LIBUSB_ERROR_ACCESS)
			return wh_error_set(e, WH_ERR_PERM,
				"USB printer %s: permission denied (install "
				"the wharf udev rules)", vidpid);
		if (rc == LIBUSB_ERROR_NOT_FOUND && not_printer)
			return wh_error_set(e, WH_ERR_NOT_FOUND,
				"USB device %s is not a printer (no "
				"printer-class interface with a bulk OUT "
				"endpoint)", vidpid);
		return wh_error_set(e, WH_ERR_NOT_FOUND,
				    "no USB printer %s is connected", vidpid);
	}
	libusb_set_auto_detach_kernel_driver(up->h, 1);
	rc = libusb_claim_interface(up->h, up->iface);
	if (rc == 0) {
		up->claimed = true;
		if (up->alt)
			rc = libusb_set_interface_alt_setting(up->h, up->iface,
							      up->alt);
	}
	if (rc) {
		usb_close(up);
		return wh_error_set(e, WH_ERR_IO, "USB printer %s: %s%s",
				    vidpid, libusb_strerror(rc),
				    rc == LIBUSB_ERROR_BUSY ?
				    " (another program has it open)" : "");
	}
	return WH_OK;
}

enum wh_err printer_usb_send(const char *vidpid, const void *data,
			     size_t len, const struct printer_opts *o,
			     struct wh_error *e)
{
	struct usb_printer up;
	unsigned char *p = (unsigned char *)data;
	size_t sent = 0;
	int ms = timeout_of(o), n, done, rc;
	enum wh_err err;

	err = usb_open(vidpid, &up, e);
	if (err)
		return err;
	while (sent < len) {
		n = len - sent > USB_CHUNK ? USB_CHUNK : (int)(len - sent);
		done = 0;
		rc = libusb_bulk_transfer(up.h, up.ep_out, p + sent, n, &done,
					  ms);
		if (done < 0 || done > n)
			done = 0;
		sent += (size_t)done;
		/*
		 * A timeout that moved data is a slow printer: go on. One
		 * that moved nothing, or a "success" that moved nothing
		 * (which would loop forever), is a printer that stopped.
		 */
		if ((rc == LIBUSB_ERROR_TIMEOUT || rc == 0) && done == 0) {
			err = wh_error_set(e, WH_ERR_IO,
					   "USB printer %s did not accept data "
					   "within %d ms (%zu of %zu bytes "
					   "sent)", vidpid, ms, sent, len);
			break;
		}
		if (rc == LIBUSB_ERROR_NO_DEVICE) {
			err = wh_error_set(e, WH_ERR_IO,
					   "USB printer %s was disconnected "
					   "after %zu of %zu bytes", vidpid,
					   sent, len);
			break;
		}
		if (rc && rc != LIBUSB_ERROR_TIMEOUT) {
			err = wh_error_set(e, WH_ERR_IO,
					   "USB printer %s: %s (%zu of %zu "
					   "bytes sent)", vidpid,
					   libusb_strerror(rc), sent, len);
			break;
		}
	}
	usb_close(&up);
	return err;
}

enum wh_err printer_usb_device_id(const char *vidpid, char *id, size_t n,
				  const struct printer_opts *o,
				  struct wh_error *e)
{
	struct usb_printer up;
	unsigned char buf[1024];
	int rc, len, i;
	size_t k = 0;
	enum wh_err err;

	if (!n)
		return wh_error_set(e, WH_ERR_INVALID, "no room for the ID");
	id[0] = '\0';
	err = usb_open(vidpid, &up, e);
	if (err)
		return err;
	rc = libusb_control_transfer(up.h, LIBUSB_ENDPOINT_IN |
				     LIBUSB_REQUEST_TYPE_CLASS |
				     LIBUSB_RECIPIENT_INTERFACE,
				     USB_REQ_GET_DEVICE_ID,
				     (uint16_t)up.config_index,
				     (uint16_t)(up.iface << 8 | up.alt), buf,
				     sizeof(buf), (unsigned)timeout_of(o));
	usb_close(&up);
	if (rc < 2)
		return wh_error_set(e, WH_ERR_IO,
				    "USB printer %s gave no device ID: %s",
				    vidpid, rc < 0 ? libusb_strerror(rc) :
						     "short reply");
	/* A 2-byte big-endian length that counts itself. */
	len = buf[0] << 8 | buf[1];
	if (len > rc || len < 2)
		len = rc;
	for (i = 2; i < len && k + 1 < n; i++)
		if (buf[i] >= 0x20 && buf[i] < 0x7f)
			id[k++] = (char)buf[i];
	id[k] = '\0';
	return WH_OK;
}

static const char *const key_alias[][2] = {
	{ "MFG", "MANUFACTURER" },
	{ "MDL", "MODEL" },
	{ "CMD", "COMMAND SET" },
	{ "CLS", "CLASS" },
	{ "DES", "DESCRIPTION" },
};

static bool key_is(const char *k, size_t kn, const char *want)
{
	size_t i;

	if (strlen(want) != kn)
		return false;
	for (i = 0; i < kn; i++)
		if (toupper((unsigned char)k[i]) !=
		    toupper((unsigned char)want[i]))
			return false;
	return true;
}

static bool key_matches(const char *k, size_t kn, const char *key)
{
	size_t i;

	if (key_is(k, kn, key))
		return true;
	for (i = 0; i < sizeof(key_alias) / sizeof(key_alias[0]); i++)
		if ((key_is(key, strlen(key), key_alias[i][0]) ||
		     key_is(key, strlen(key), key_alias[i][1])) &&
		    (key_is(k, kn, key_alias[i][0]) ||
		     key_is(k, kn, key_alias[i][1])))
			return true;
	return false;
}

bool printer_1284_get(const char *id, const char *key, char *out, size_t n)
{
	const char *p = id, *colon, *semi;
	size_t vl;

	while (*p) {
		while (*p == ' ')
			p++;
		colon = strchr(p, ':');
		semi = strchr(p, ';');
		if (!colon || (semi && semi < colon))
			break;
		if (!semi)
			semi = p + strlen(p);
		if (key_matches(p, (size_t)(colon - p), key)) {
			vl = (size_t)(semi - colon - 1);
			if (n) {
				if (vl >= n)
					vl = n - 1;
				memcpy(out, colon + 1, vl);
				out[vl] = '\0';
			}
			return true;
		}
		p = *semi ? semi + 1 : semi;
	}
	return false;
}
