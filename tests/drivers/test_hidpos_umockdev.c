/*
 * test_hidpos_umockdev.c - the HID POS driver against a USB scanner
 * emulated by umockdev: libusb talks to /dev/bus/usb/001/001, whose
 * usbfs ioctls are answered here. 100 scans (some spread over several
 * "continued" reports), malformed reports, the beep output report, an
 * unplug in the middle of a scan and a replug.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <umockdev.h>

#include "drivers/scanner/hidpos_report.h"
#include "drv_util.h"

#define DEVNODE "/dev/bus/usb/001/001"
#define MAX_REPORTS 1024

/* Report descriptor: usage page 0x8C, Bar Code Scanner, report 2. */
static const unsigned char rdesc[] = {
	0x05, 0x8c, 0x09, 0x02, 0xa1, 0x01, 0x09, 0x12, 0xa1, 0x02,
	0x85, 0x02, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95,
	0x3f, 0x09, 0xfe, 0x82, 0x02, 0x01, 0xc0, 0xc0,
};

struct fake_usb {
	pthread_mutex_t lock;
	/* Reports waiting for the driver's IN urb. */
	unsigned char reports[MAX_REPORTS][HIDPOS_REPORT_LEN];
	size_t head, tail;
	UMockdevIoctlData *in_urb;       /* interrupt IN in flight */
	UMockdevIoctlData *done[8];      /* control/OUT urbs to reap */
	size_t ndone;
	UMockdevIoctlData *discarded[8];
	size_t ndiscarded;
	bool unplugged;
	unsigned char beep[8];
	size_t beep_len;
	unsigned beeps;
};

static struct fake_usb fx;

static void complete_urb_now(UMockdevIoctlData *urb_data)
{
	struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
	const unsigned char *setup = urb->buffer;

	urb->status = 0;
	urb->actual_length = 0;
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		/* GET_DESCRIPTOR(REPORT) to the interface. */
		if (setup[0] == 0x81 && setup[1] == 0x06 && setup[3] == 0x22) {
			memcpy((unsigned char *)urb->buffer + 8, rdesc,
			       sizeof(rdesc));
			urb->actual_length = sizeof(rdesc);
		} else if (setup[0] == 0x21 && setup[1] == 0x09) {
			fx.beep_len = setup[6];
			memcpy(fx.beep, setup + 8, fx.beep_len);
			fx.beeps++;
		} else {
			urb->status = -EPIPE;
		}
	} else {
		/* Interrupt OUT: the beep report. */
		fx.beep_len = (size_t)urb->buffer_length;
		if (fx.beep_len > sizeof(fx.beep))
			fx.beep_len = sizeof(fx.beep);
		memcpy(fx.beep, urb->buffer, fx.beep_len);
		fx.beeps++;
		urb->actual_length = urb->buffer_length;
	}
}

static void hand_back(UMockdevIoctlClient *client, UMockdevIoctlData *arg,
		      UMockdevIoctlData *urb_data)
{
	UMockdevIoctlData *ptr;

	ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
	umockdev_ioctl_data_set_ptr(ptr, 0, urb_data);
	umockdev_ioctl_data_unref(ptr);
	umockdev_ioctl_data_unref(urb_data);
	umockdev_ioctl_client_complete(client, 0, 0);
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client,
			 gpointer user)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *urb_data, *d;
	struct usbdevfs_urb *urb;
	gboolean handled = TRUE;

	(void)h;
	(void)user;
	pthread_mutex_lock(&fx.lock);
	switch (req) {
	case USBDEVFS_GET_CAPABILITIES:
		d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
		*(guint32 *)d->data = USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
				      USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		umockdev_ioctl_data_unref(d);
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_GETDRIVER:
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		break;
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_DISCONNECT_CLAIM:
	case USBDEVFS_CLEAR_HALT:
		if (fx.unplugged)
			umockdev_ioctl_client_complete(client, -1, ENODEV);
		else
			umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_SUBMITURB:
		if (fx.unplugged) {
			umockdev_ioctl_client_complete(client, -1, ENODEV);
			break;
		}
		urb_data = umockdev_ioctl_data_resolve(arg, 0,
			sizeof(struct usbdevfs_urb), NULL);
		urb = (struct usbdevfs_urb *)urb_data->data;
		if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT &&
		    (urb->endpoint & 0x80) && !fx.in_urb) {
			fx.in_urb = urb_data;
		} else if (urb->type != USBDEVFS_URB_TYPE_INTERRUPT ||
			   !(urb->endpoint & 0x80)) {
			complete_urb_now(urb_data);
			fx.done[fx.ndone++] = urb_data;
		} else {
			umockdev_ioctl_data_unref(urb_data);
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			break;
		}
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_DISCARDURB:
		if (fx.in_urb &&
		    *(gulong *)arg->data == fx.in_urb->client_addr) {
			fx.discarded[fx.ndiscarded++] = fx.in_urb;
			fx.in_urb = NULL;
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
		}
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		if (fx.ndiscarded) {
			urb_data = fx.discarded[--fx.ndiscarded];
			urb = (struct usbdevfs_urb *)urb_data->data;
			urb->status = -ENOENT;
			urb->actual_length = 0;
			hand_back(client, arg, urb_data);
		} else if (fx.ndone) {
			urb_data = fx.done[0];
			memmove(fx.done, fx.done + 1,
				--fx.ndone * sizeof(fx.done[0]));
			hand_back(client, arg, urb_data);
		} else if (fx.in_urb && fx.unplugged) {
			urb_data = fx.in_urb;
			fx.in_urb = NULL;
			urb = (struct usbdevfs_urb *)urb_data->data;
			urb->status = -ENODEV;
			urb->actual_length = 0;
			hand_back(client, arg, urb_data);
		} else if (fx.in_urb && fx.head != fx.tail) {
			urb_data = fx.in_urb;
			fx.in_urb = NULL;
			urb = (struct usbdevfs_urb *)urb_data->data;
			memcpy(urb->buffer, fx.reports[fx.head % MAX_REPORTS],
			       HIDPOS_REPORT_LEN);
			fx.head++;
			urb->status = 0;
			urb->actual_length = HIDPOS_REPORT_LEN;
			hand_back(client, arg, urb_data);
		} else {
			umockdev_ioctl_client_complete(client, -1,
				fx.unplugged ? ENODEV : EAGAIN);
		}
		break;
	default:
		handled = FALSE;
		break;
	}
	pthread_mutex_unlock(&fx.lock);
	return handled;
}

static void push_report(const unsigned char *r)
{
	pthread_mutex_lock(&fx.lock);
	assert_true(fx.tail - fx.head < MAX_REPORTS);
	memcpy(fx.reports[fx.tail % MAX_REPORTS], r, HIDPOS_REPORT_LEN);
	fx.tail++;
	pthread_mutex_unlock(&fx.lock);
}

/* Sends one scan as Honeywell reports, 56 data bytes each. */
static void push_scan(const char *aim, const unsigned char *p, size_t n)
{
	unsigned char r[HIDPOS_REPORT_LEN];
	size_t k;

	do {
		k = n > HIDPOS_DATA_MAX ? HIDPOS_DATA_MAX : n;
		memset(r, 0, sizeof(r));
		r[0] = 0x02;
		r[1] = (unsigned char)k;
		memcpy(r + 2, aim, 3);
		memcpy(r + 5, p, k);
		r[61] = 'I';
		r[63] = n > k ? 0x01 : 0x00;
		push_report(r);
		p += k;
		n -= k;
	} while (n);
}

static void wait_reports_taken(void)
{
	uint64_t end = scanner_now_ms() + 5000;
	bool empty;

	do {
		pthread_mutex_lock(&fx.lock);
		empty = fx.head == fx.tail && fx.in_urb;
		pthread_mutex_unlock(&fx.lock);
		if (empty)
			return;
		usleep(1000);
	} while (scanner_now_ms() < end);
	fail_msg("the driver did not read the queued reports");
}

static void add_scanner(UMockdevTestbed *tb, UMockdevIoctlBase *h)
{
	char spec[1024];
	int k;

	/* Device, config, HID interface + HID descriptor, EP 0x81 and 0x02. */
	k = snprintf(spec, sizeof(spec),
		     "P: /devices/usb1\n"
		     "N: bus/usb/001/001\n"
		     "E: SUBSYSTEM=usb\n"
		     "E: DRIVER=usb\n"
		     "E: BUSNUM=001\n"
		     "E: DEVNUM=001\n"
		     "E: DEVNAME=/dev/bus/usb/001/001\n"
		     "E: DEVTYPE=usb_device\n"
		     "A: bConfigurationValue=1\\n\n"
		     "A: busnum=1\\n\n"
		     "A: devnum=1\\n\n"
		     "A: speed=12\\n\n"
		     "H: descriptors="
		     "12010002000000402e0c070b000101020301"
		     "09022900010100803209040000020300000009211101000122"
		     "%02zx00" "0705810340000107050203400001\n",
		     sizeof(rdesc));
	assert_true(k > 0 && (size_t)k < sizeof(spec));
	/* The handler first, so the node exists when the add event fires. */
	assert_true(umockdev_testbed_attach_ioctl(tb, DEVNODE, h, NULL));
	assert_true(umockdev_testbed_add_from_string(tb, spec, NULL));
}

static const struct scan_event *nth(const struct drv_events *d,
				    enum scan_kind k, size_t i)
{
	size_t j;

	for (j = 0; j < d->n; j++)
		if (d->ev[j].kind == k && i-- == 0)
			return &d->ev[j];
	fail_msg("event %zu of kind %d missing", i, (int)k);
	return NULL;
}

static void test_hidpos(void **state)
{
	unsigned char data[200], bad[HIDPOS_REPORT_LEN];
	struct scanner_config cfg;
	struct drv_events d = { 0 };
	const struct scan_event *ev;
	UMockdevIoctlBase *h;
	UMockdevTestbed *tb;
	struct wh_error e;
	scanner_t *s;
	size_t i, n, k;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	pthread_mutex_init(&fx.lock, NULL);
	tb = umockdev_testbed_new();
	assert_non_null(tb);
	h = umockdev_ioctl_base_new();
	g_signal_connect(h, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	add_scanner(tb, h);

	/* No vid/pid: found by its report descriptor's usage page 0x8C. */
	scanner_config_init(&cfg, SCANNER_DRV_HIDPOS);
	wh_error_clear(&e);
	assert_int_equal(scanner_open(&cfg, &s, &e), WH_OK);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_CONNECT, 1, 5000), 1);
	assert_non_null(strstr(d.ev[0].msg, "0c2e:0b07"));

	/* 100 scans; every third spans 3 reports; 2 malformed reports. */
	for (i = 0; i < 100; i++) {
		n = i % 3 ? 20 + i % 7 : 150;
		for (k = 0; k < n; k++)
			data[k] = (unsigned char)('A' + (i + k) % 26);
		data[5] = 0x1d;
		data[n - 1] = (unsigned char)i;
		push_scan("]C1", data, n);
		if (i == 40) {
			memset(bad, 0, sizeof(bad));
			bad[0] = 0x02;
			bad[1] = 60; /* > 56 */
			push_report(bad);
		}
		if (i == 70) {
			memset(bad, 0, sizeof(bad));
			bad[0] = 0x07; /* wrong report id */
			bad[1] = 3;
			push_report(bad);
		}
	}
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, 100, 20000), 100);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_ERROR, 2, 2000), 2);
	for (i = 0; i < 100; i++) {
		ev = nth(&d, SCAN_EV_SCAN, i);
		n = i % 3 ? 20 + i % 7 : 150;
		assert_int_equal(ev->source, SCAN_SRC_HIDPOS);
		assert_string_equal(ev->aim, "]C1");
		assert_int_equal(ev->len, n);
		assert_int_equal(ev->data[5], 0x1d);
		assert_int_equal(ev->data[n - 1], (unsigned char)i);
		assert_int_equal(ev->data[0], 'A' + i % 26);
	}
	ev = nth(&d, SCAN_EV_ERROR, 0);
	assert_non_null(strstr(ev->msg, "60"));
	ev = nth(&d, SCAN_EV_ERROR, 1);
	assert_non_null(strstr(ev->msg, "report id 7"));
	/* Errors sit in stream order: after scan 40 and after scan 70. */
	assert_true(nth(&d, SCAN_EV_ERROR, 0)->seq >
		    nth(&d, SCAN_EV_SCAN, 40)->seq);
	assert_true(nth(&d, SCAN_EV_ERROR, 0)->seq <
		    nth(&d, SCAN_EV_SCAN, 41)->seq);
	assert_true(nth(&d, SCAN_EV_ERROR, 1)->seq >
		    nth(&d, SCAN_EV_SCAN, 70)->seq);

	/* Good-read beep: output report 4 on the interrupt OUT endpoint. */
	assert_int_equal(scanner_beep(s, true, &e), WH_OK);
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.beeps, 1);
	assert_int_equal(fx.beep[0], HIDPOS_OUT_REPORT_ID);
	assert_int_equal(fx.beep[1], HIDPOS_OUT_GOOD_BEEP);
	pthread_mutex_unlock(&fx.lock);

	/* Unplug in the middle of a continued scan. */
	memset(data, 'Q', 100);
	push_scan("]C0", data, 56 + 10);
	/* Drop the tail report: only the "continued" first one is read. */
	pthread_mutex_lock(&fx.lock);
	fx.tail--;
	pthread_mutex_unlock(&fx.lock);
	wait_reports_taken();
	pthread_mutex_lock(&fx.lock);
	fx.unplugged = true;
	pthread_mutex_unlock(&fx.lock);
	umockdev_testbed_uevent(tb, "/sys/devices/usb1", "remove");
	assert_int_equal(drv_collect(s, &d, SCAN_EV_DISCONNECT, 1, 10000), 1);
	assert_int_equal(drv_count(&d, SCAN_EV_ERROR), 3);
	ev = nth(&d, SCAN_EV_ERROR, 2);
	assert_int_equal(ev->len, 56);
	assert_non_null(strstr(ev->msg, "lost"));
	assert_int_equal(scanner_beep(s, false, &e), WH_ERR_NOT_FOUND);
	umockdev_testbed_remove_device(tb, "/sys/devices/usb1");
	umockdev_testbed_detach_ioctl(tb, DEVNODE, NULL);

	/* Replug: the driver finds it again and reads on. */
	pthread_mutex_lock(&fx.lock);
	fx.unplugged = false;
	fx.head = fx.tail = 0;
	pthread_mutex_unlock(&fx.lock);
	add_scanner(tb, h);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_CONNECT, 2, 10000), 2);
	push_scan("]E0", (const unsigned char *)"4006381333931", 13);
	assert_int_equal(drv_collect(s, &d, SCAN_EV_SCAN, 101, 5000), 101);
	ev = nth(&d, SCAN_EV_SCAN, 100);
	assert_string_equal(ev->aim, "]E0");
	assert_memory_equal(ev->data, "4006381333931", 13);

	scanner_free(s);
	drv_events_free(&d);
	g_object_unref(h);
	g_object_unref(tb);
	pthread_mutex_destroy(&fx.lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidpos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
