/*
 * drv_hidpos.c - USB HID POS scanners through libusb.
 *
 * One libusb context and one thread per handle. The thread handles
 * libusb events, keeps one interrupt IN transfer in flight, joins
 * continued reports, and pushes events into the handle's locked queue
 * (whose eventfd wakes the UI). Unplug is seen as a transfer ending
 * with LIBUSB_TRANSFER_NO_DEVICE or a hotplug "left" callback; the
 * thread then looks for the scanner again on hotplug "arrived" or, where
 * hotplug is unsupported, once a second.
 *
 * libusb handles never leave this file. The device handle is shared
 * with scanner_beep() on the UI thread under hp->lock.
 */
#include "drivers/scanner/hidpos_report.h"
#include "drivers/scanner/scanner_int.h"

#include <libusb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define HIDPOS_RESCAN_MS 1000
#define HIDPOS_CTRL_TIMEOUT_MS 1000
#define HIDPOS_RDESC_MAX 4096

struct hidpos {
	struct scanner *s;
	libusb_context *ctx;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;  /* h, ep_out, iface; stop */
	bool stop;
	libusb_device_handle *h;
	int iface;
	uint8_t ep_in, ep_out; /* ep_out 0: SET_REPORT on ep 0 */
	uint16_t in_size;
	struct libusb_transfer *xfer;
	bool xfer_busy;        /* submitted, callback not yet run */
	bool lost;             /* the device went away; close it */
	bool rescan;           /* hotplug says something arrived */
	bool hotplug;
	libusb_hotplug_callback_handle hp_cb;
	uint64_t next_scan_ms;
	struct hidpos_asm as;
	unsigned char buf[HIDPOS_REPORT_LEN * 2];
	struct scan_event ev;  /* thread-side scratch */
};

static enum wh_err usb_err(int rc)
{
	switch (rc) {
	case LIBUSB_ERROR_ACCESS:
		return WH_ERR_PERM;
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		return WH_ERR_NOT_FOUND;
	case LIBUSB_ERROR_NO_MEM:
		return WH_ERR_NOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		return WH_ERR_UNSUPPORTED;
	case LIBUSB_ERROR_BUSY:
		return WH_ERR_REFUSED;
	default:
		return WH_ERR_IO;
	}
}

static void xfer_cb(struct libusb_transfer *t)
{
	struct hidpos *hp = t->user_data;
	uint64_t now = scanner_now_ms();

	hp->xfer_busy = false;
	switch (t->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		if (hidpos_asm_feed(&hp->as, t->buffer,
				    (size_t)t->actual_length, now,
				    &hp->ev) == HIDPOS_EVENT)
			scanner_push(hp->s, &hp->ev);
		break;
	case LIBUSB_TRANSFER_CANCELLED:
		return;
	case LIBUSB_TRANSFER_NO_DEVICE:
		hp->lost = true;
		return;
	case LIBUSB_TRANSFER_TIMED_OUT:
		break;
	case LIBUSB_TRANSFER_ERROR:
	case LIBUSB_TRANSFER_STALL:
	case LIBUSB_TRANSFER_OVERFLOW:
		scanner_push_status(hp->s, SCAN_EV_ERROR, WH_ERR_IO,
				    "interrupt transfer failed: %s",
				    libusb_error_name(t->status ==
					LIBUSB_TRANSFER_OVERFLOW ?
					LIBUSB_ERROR_OVERFLOW :
					t->status == LIBUSB_TRANSFER_STALL ?
					LIBUSB_ERROR_PIPE : LIBUSB_ERROR_IO));
		if (t->status == LIBUSB_TRANSFER_STALL && hp->h)
			libusb_clear_halt(hp->h, hp->ep_in);
		break;
	}
	if (hp->stop)
		return;
	if (libusb_submit_transfer(t) == 0)
		hp->xfer_busy = true;
	else
		hp->lost = true;
}

/* Looks for an interrupt IN/OUT pair on a HID interface of dev. */
static bool pick_interface(const struct libusb_interface_descriptor *id,
			   uint8_t *in, uint16_t *in_size, uint8_t *out)
{
	const struct libusb_endpoint_descriptor *ep;
	int k;

	if (id->bInterfaceClass != LIBUSB_CLASS_HID)
		return false;
	*in = 0;
	*out = 0;
	for (k = 0; k < id->bNumEndpoints; k++) {
		ep = &id->endpoint[k];
		if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_INTERRUPT)
			continue;
		if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
			if (!*in) {
				*in = ep->bEndpointAddress;
				*in_size = ep->wMaxPacketSize;
			}
		} else if (!*out) {
			*out = ep->bEndpointAddress;
		}
	}
	return *in != 0;
}

/* Asks the device for its report descriptor: is it a POS scanner? */
static bool iface_is_pos(libusb_device_handle *h, int iface)
{
	unsigned char *d;
	bool pos;
	int n;

	d = malloc(HIDPOS_RDESC_MAX);
	if (!d)
		return false;
	n = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN |
				    LIBUSB_REQUEST_TYPE_STANDARD |
				    LIBUSB_RECIPIENT_INTERFACE,
				    LIBUSB_REQUEST_GET_DESCRIPTOR,
				    (LIBUSB_DT_REPORT << 8), (uint16_t)iface,
				    d, HIDPOS_RDESC_MAX,
				    HIDPOS_CTRL_TIMEOUT_MS);
	pos = n > 0 && hidpos_rdesc_is_pos(d, (size_t)n);
	free(d);
	return pos;
}

/* Tries one device; true if it is now open, claimed and reading. */
static bool try_device(struct hidpos *hp, libusb_device *dev)
{
	const struct scanner_config *cfg = &hp->s->cfg;
	struct libusb_config_descriptor *cd = NULL;
	struct libusb_device_descriptor dd;
	libusb_device_handle *h = NULL;
	uint8_t in = 0, out = 0;
	uint16_t in_size = 0;
	int i, iface = -1, rc;
	bool by_id;

	if (libusb_get_device_descriptor(dev, &dd))
		return false;
	by_id = cfg->vid || cfg->pid;
	if (by_id && (dd.idVendor != cfg->vid || dd.idProduct != cfg->pid))
		return false;
	if (libusb_get_active_config_descriptor(dev, &cd) &&
	    libusb_get_config_descriptor(dev, 0, &cd))
		return false;
	for (i = 0; i < cd->bNumInterfaces && iface < 0; i++) {
		if (cd->interface[i].num_altsetting < 1)
			continue;
		if (pick_interface(&cd->interface[i].altsetting[0], &in,
				   &in_size, &out))
			iface = cd->interface[i].altsetting[0].bInterfaceNumber;
		if (iface < 0)
			continue;
		if (!h && libusb_open(dev, &h)) {
			h = NULL;
			break;
		}
		if (!by_id && !iface_is_pos(h, iface))
			iface = -1;
	}
	libusb_free_config_descriptor(cd);
	if (iface < 0 || !h)
		goto fail;
	libusb_set_auto_detach_kernel_driver(h, 1);
	rc = libusb_claim_interface(h, iface);
	if (rc) {
		scanner_push_status(hp->s, SCAN_EV_ERROR, usb_err(rc),
				    "claim %04x:%04x interface %d: %s",
				    dd.idVendor, dd.idProduct, iface,
				    libusb_error_name(rc));
		goto fail;
	}
	libusb_fill_interrupt_transfer(hp->xfer, h, in, hp->buf,
				       HIDPOS_REPORT_LEN, xfer_cb, hp, 0);
	rc = libusb_submit_transfer(hp->xfer);
	if (rc) {
		libusb_release_interface(h, iface);
		scanner_push_status(hp->s, SCAN_EV_ERROR, usb_err(rc),
				    "read %04x:%04x: %s", dd.idVendor,
				    dd.idProduct, libusb_error_name(rc));
		goto fail;
	}
	pthread_mutex_lock(&hp->lock);
	hp->h = h;
	hp->iface = iface;
	hp->ep_in = in;
	hp->ep_out = out;
	hp->in_size = in_size;
	hp->xfer_busy = true;
	hp->lost = false;
	pthread_mutex_unlock(&hp->lock);
	hidpos_asm_init(&hp->as, cfg->report_id);
	scanner_push_status(hp->s, SCAN_EV_CONNECT, WH_OK,
			    "%04x:%04x bus %u address %u interface %d",
			    dd.idVendor, dd.idProduct,
			    libusb_get_bus_number(dev),
			    libusb_get_device_address(dev), iface);
	return true;
fail:
	if (h)
		libusb_close(h);
	return false;
}

static void find_device(struct hidpos *hp)
{
	libusb_device **list;
	ssize_t n, i;

	n = libusb_get_device_list(hp->ctx, &list);
	if (n < 0)
		return;
	for (i = 0; i < n && !hp->h; i++)
		try_device(hp, list[i]);
	libusb_free_device_list(list, 1);
}

/* Event thread: waits out the transfer, then closes the device. */
static void drop_device(struct hidpos *hp, bool report)
{
	libusb_device_handle *h;
	struct timeval tv = { 0, 100000 };
	int tries;

	if (hp->xfer_busy) {
		libusb_cancel_transfer(hp->xfer);
		for (tries = 0; hp->xfer_busy && tries < 50; tries++)
			libusb_handle_events_timeout_completed(hp->ctx, &tv,
							       NULL);
	}
	pthread_mutex_lock(&hp->lock);
	h = hp->h;
	hp->h = NULL;
	pthread_mutex_unlock(&hp->lock);
	if (h) {
		libusb_release_interface(h, hp->iface);
		libusb_close(h);
	}
	hp->lost = false;
	if (!report)
		return;
	if (hidpos_asm_abort(&hp->as, scanner_now_ms(), &hp->ev))
		scanner_push(hp->s, &hp->ev);
	scanner_push_status(hp->s, SCAN_EV_DISCONNECT, WH_ERR_IO,
			    "scanner unplugged");
}

static int LIBUSB_CALL hotplug_cb(libusb_context *ctx, libusb_device *dev,
				  libusb_hotplug_event event, void *arg)
{
	struct hidpos *hp = arg;

	(void)ctx;
	/* Only flags here: opening a device is not allowed in a callback. */
	if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		hp->rescan = true;
	else if (hp->h && libusb_get_device(hp->h) == dev)
		hp->lost = true;
	return 0;
}

static bool stopping(struct hidpos *hp)
{
	bool stop;

	pthread_mutex_lock(&hp->lock);
	stop = hp->stop;
	pthread_mutex_unlock(&hp->lock);
	return stop;
}

static void *hidpos_thread(void *arg)
{
	struct hidpos *hp = arg;
	struct timeval tv = { 0, 200000 };
	uint64_t now;

	bool lost, have;

	while (!stopping(hp)) {
		libusb_handle_events_timeout_completed(hp->ctx, &tv, NULL);
		/* A beep on the UI thread may have run our callbacks. */
		pthread_mutex_lock(&hp->lock);
		lost = hp->lost;
		have = hp->h != NULL;
		pthread_mutex_unlock(&hp->lock);
		if (lost && have)
			drop_device(hp, true);
		else if (have)
			continue;
		now = scanner_now_ms();
		if (hp->rescan || (!hp->hotplug && now >= hp->next_scan_ms)) {
			hp->rescan = false;
			hp->next_scan_ms = now + HIDPOS_RESCAN_MS;
			find_device(hp);
		}
	}
	if (hp->h)
		drop_device(hp, false);
	return NULL;
}

static void hidpos_close(struct scanner *s)
{
	struct hidpos *hp = s->priv;

	if (!hp)
		return;
	if (hp->thread_started) {
		pthread_mutex_lock(&hp->lock);
		hp->stop = true;
		pthread_mutex_unlock(&hp->lock);
		libusb_interrupt_event_handler(hp->ctx);
		pthread_join(hp->thread, NULL);
	}
	if (hp->hotplug)
		libusb_hotplug_deregister_callback(hp->ctx, hp->hp_cb);
	if (hp->xfer)
		libusb_free_transfer(hp->xfer);
	if (hp->ctx)
		libusb_exit(hp->ctx);
	pthread_mutex_destroy(&hp->lock);
	free(hp);
	s->priv = NULL;
}

static enum wh_err hidpos_open(struct scanner *s, struct wh_error *e)
{
	struct hidpos *hp;
	int rc;

	hp = calloc(1, sizeof(*hp));
	if (!hp)
		return wh_error_set(e, WH_ERR_NOMEM, "out of memory");
	if (pthread_mutex_init(&hp->lock, NULL)) {
		free(hp);
		return wh_error_set(e, WH_ERR_NOMEM, "pthread_mutex_init");
	}
	hp->s = s;
	s->priv = hp;
	hidpos_asm_init(&hp->as, s->cfg.report_id);
	rc = libusb_init(&hp->ctx);
	if (rc) {
		hp->ctx = NULL;
		return wh_error_set(e, usb_err(rc), "libusb_init: %s",
				    libusb_error_name(rc));
	}
	hp->xfer = libusb_alloc_transfer(0);
	if (!hp->xfer)
		return wh_error_set(e, WH_ERR_NOMEM, "libusb_alloc_transfer");
	if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
		rc = libusb_hotplug_register_callback(hp->ctx,
			LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
			LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
			s->cfg.vid || s->cfg.pid ? s->cfg.vid :
			LIBUSB_HOTPLUG_MATCH_ANY,
			s->cfg.vid || s->cfg.pid ? s->cfg.pid :
			LIBUSB_HOTPLUG_MATCH_ANY,
			LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, hp, &hp->hp_cb);
		hp->hotplug = rc == LIBUSB_SUCCESS;
	}
	/* First look now, so a plugged-in scanner reports CONNECT at once. */
	find_device(hp);
	hp->next_scan_ms = scanner_now_ms() + HIDPOS_RESCAN_MS;
	if (pthread_create(&hp->thread, NULL, hidpos_thread, hp))
		return wh_error_set(e, WH_ERR_NOMEM, "pthread_create");
	hp->thread_started = true;
	return WH_OK;
}

static enum wh_err hidpos_beep(struct scanner *s, bool good,
			       struct wh_error *e)
{
	struct hidpos *hp = s->priv;
	unsigned char rep[HIDPOS_REPORT_LEN];
	enum wh_err ret = WH_OK;
	size_t n;
	int rc, done = 0;

	memset(rep, 0, sizeof(rep));
	n = hidpos_beep_report(good, rep, sizeof(rep));
	pthread_mutex_lock(&hp->lock);
	if (!hp->h) {
		ret = wh_error_set(e, WH_ERR_NOT_FOUND,
				   "no scanner connected");
		goto out;
	}
	if (hp->ep_out)
		rc = libusb_interrupt_transfer(hp->h, hp->ep_out, rep,
					       (int)n, &done,
					       HIDPOS_CTRL_TIMEOUT_MS);
	else
		rc = libusb_control_transfer(hp->h, LIBUSB_ENDPOINT_OUT |
			LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE,
			0x09 /* SET_REPORT */,
			(uint16_t)(0x0200 | HIDPOS_OUT_REPORT_ID),
			(uint16_t)hp->iface, rep, (uint16_t)n,
			HIDPOS_CTRL_TIMEOUT_MS);
	if (rc < 0)
		ret = wh_error_set(e, usb_err(rc), "beep: %s",
				   libusb_error_name(rc));
out:
	pthread_mutex_unlock(&hp->lock);
	return ret;
}

const struct scanner_ops scanner_hidpos_ops = {
	.open = hidpos_open,
	.beep = hidpos_beep,
	.close = hidpos_close,
};
