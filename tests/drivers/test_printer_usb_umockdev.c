/*
 * test_printer_usb_umockdev.c - the USB printer-class transport against a
 * label printer emulated by umockdev: libusb talks to
 * /dev/bus/usb/001/001, whose usbfs ioctls are answered here.
 *
 * The printer is a composite device: interface 0 is vendor-specific with
 * its own bulk OUT (0x03), interface 1 is the printer (class 7, subclass
 * 1, protocol 2, bulk OUT 0x01, bulk IN 0x82), so the transport must pick
 * the interface by class and send GET_DEVICE_ID to interface 1. Checked:
 * the IEEE 1284 ID, a 100 KB ZPL job arriving byte for byte on 0x01 in
 * chunks, a missing printer, a USB device that is not a printer, a
 * printer that stops taking data (timeout), and an unplug mid-job.
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
#include <time.h>

#include <cmocka.h>
#include <umockdev.h>

#include "drivers/printer/printer.h"

#define VIDPID "0a5f:0164"
#define PRINTER_NODE "/dev/bus/usb/001/001"
#define PRINTER_SYS "/sys/devices/usb1"
#define OTHER_NODE "/dev/bus/usb/001/002"
#define PRINTER_IFACE 1
#define PRINTER_EP_OUT 0x01
#define JOB_LEN (100 * 1024)
#define MAX_DONE 16
#define ZEBRA_ID "MFG:Zebra Technologies;CMD:ZPL;MDL:ZD421;CLS:PRINTER;"

/*
 * Device 0a5f:0164, high speed, one configuration: interface 0 vendor
 * class (bulk OUT 0x03), interface 1 printer class 7/1/2 (bulk OUT 0x01,
 * bulk IN 0x82), 512-byte packets.
 */
static const char printer_desc[] =
	"12010002000000405f0a6401000101020301"
	"09023000020100c001"
	"0904000001ff000000" "07050302000200"
	"090401000207010200" "07050102000200" "07058202000200";

/* Device 0a5f:0999: the same vendor, no printer interface. */
static const char other_desc[] =
	"12010002000000405f0a9909000101020301"
	"09021900010100c001"
	"0904000001ff000000" "07050302000200";

struct fake_printer {
	pthread_mutex_t lock;
	/* Behaviour, set by the test before the call. */
	char id_reply[256];     /* GET_DEVICE_ID answer, length included */
	size_t id_reply_len;
	size_t stall_at;        /* stop taking data after this many bytes */
	size_t unplug_at;       /* cable pulled after this many bytes */
	/* What the printer saw. */
	unsigned char *rx;      /* bytes on the printer's bulk OUT */
	size_t rx_len;
	size_t other_bytes;     /* bytes on any other endpoint */
	unsigned out_urbs;
	int max_urb;
	unsigned claims, releases;
	int claimed_iface;
	unsigned id_requests;
	unsigned char id_setup[8];
	unsigned bad_controls;
	bool unplugged;
	/* Urbs: completed and waiting to be reaped, held, discarded. */
	UMockdevIoctlData *done[MAX_DONE];
	size_t ndone;
	UMockdevIoctlData *held;
	UMockdevIoctlData *discarded;
};

static struct fake_printer fx;

struct bed {
	UMockdevTestbed *tb;
	UMockdevIoctlBase *h;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The printer's reply: a 2-byte big-endian length counting itself. */
static void set_id_reply(const char *id, bool little_endian)
{
	size_t n = strlen(id) + 2;

	assert_true(n <= sizeof(fx.id_reply));
	pthread_mutex_lock(&fx.lock);
	fx.id_reply[little_endian] = (char)(n >> 8);
	fx.id_reply[!little_endian] = (char)(n & 0xff);
	memcpy(fx.id_reply + 2, id, n - 2);
	fx.id_reply_len = n;
	pthread_mutex_unlock(&fx.lock);
}

/* Answers a control urb at once; the setup packet leads the buffer. */
static void control_urb(struct usbdevfs_urb *urb)
{
	unsigned char *b = urb->buffer;
	size_t want = (size_t)b[6] | (size_t)b[7] << 8;
	size_t n = fx.id_reply_len;

	urb->status = 0;
	urb->actual_length = 0;
	if (urb->buffer_length >= 8 && b[0] == 0xa1 && b[1] == 0x00) {
		fx.id_requests++;
		memcpy(fx.id_setup, b, 8);
		if (n > want)
			n = want;
		if (n > (size_t)urb->buffer_length - 8)
			n = (size_t)urb->buffer_length - 8;
		memcpy(b + 8, fx.id_reply, n);
		urb->actual_length = (int)n;
	} else {
		fx.bad_controls++;
		urb->status = -EPIPE;
	}
}

/*
 * A bulk urb. Returns false to keep it in flight (a printer that stopped
 * taking data), true when it is complete.
 */
static bool bulk_urb(struct usbdevfs_urb *urb)
{
	size_t len = (size_t)urb->buffer_length, take = len;
	unsigned char *p;

	urb->status = 0;
	urb->actual_length = 0;
	if (urb->endpoint & 0x80)
		return true; /* the transport never reads; nothing to say */
	if (urb->endpoint != PRINTER_EP_OUT) {
		fx.other_bytes += len;
		urb->actual_length = urb->buffer_length;
		return true;
	}
	fx.out_urbs++;
	if (urb->buffer_length > fx.max_urb)
		fx.max_urb = urb->buffer_length;
	if (fx.stall_at && fx.rx_len >= fx.stall_at)
		return false;
	if (fx.unplug_at && fx.rx_len + take >= fx.unplug_at) {
		take = fx.unplug_at - fx.rx_len;
		/* What the host controller gives urbs of a vanished device. */
		urb->status = -ESHUTDOWN;
		fx.unplugged = true;
	}
	p = realloc(fx.rx, fx.rx_len + take + 1);
	if (!p)
		abort();
	fx.rx = p;
	memcpy(fx.rx + fx.rx_len, urb->buffer, take);
	fx.rx_len += take;
	urb->actual_length = (int)take;
	return true;
}

static void submit_urb(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb_data, *buf;
	struct usbdevfs_urb *urb;

	if (fx.unplugged) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return;
	}
	urb_data = umockdev_ioctl_data_resolve(arg, 0,
		sizeof(struct usbdevfs_urb), NULL);
	urb = (struct usbdevfs_urb *)urb_data->data;
	if (urb->buffer_length > 0) {
		/* A local copy, written back when the urb is reaped. */
		buf = umockdev_ioctl_data_resolve(urb_data,
			offsetof(struct usbdevfs_urb, buffer),
			(gsize)urb->buffer_length, NULL);
		umockdev_ioctl_data_unref(buf);
	}
	if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
		control_urb(urb);
	} else if (urb->type != USBDEVFS_URB_TYPE_BULK) {
		umockdev_ioctl_data_unref(urb_data);
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return;
	} else if (!bulk_urb(urb)) {
		if (fx.held) {
			umockdev_ioctl_data_unref(urb_data);
			umockdev_ioctl_client_complete(client, -1, EBUSY);
			return;
		}
		fx.held = urb_data;
		umockdev_ioctl_client_complete(client, 0, 0);
		return;
	}
	if (fx.ndone == MAX_DONE) {
		umockdev_ioctl_data_unref(urb_data);
		umockdev_ioctl_client_complete(client, -1, ENOMEM);
		return;
	}
	fx.done[fx.ndone++] = urb_data;
	umockdev_ioctl_client_complete(client, 0, 0);
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

static void reap_urb(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
	UMockdevIoctlData *urb_data;
	struct usbdevfs_urb *urb;

	if (fx.discarded) {
		urb_data = fx.discarded;
		fx.discarded = NULL;
		urb = (struct usbdevfs_urb *)urb_data->data;
		urb->status = -ENOENT;
		urb->actual_length = 0;
		hand_back(client, arg, urb_data);
	} else if (fx.ndone) {
		urb_data = fx.done[0];
		memmove(fx.done, fx.done + 1, --fx.ndone * sizeof(fx.done[0]));
		hand_back(client, arg, urb_data);
	} else {
		umockdev_ioctl_client_complete(client, -1,
			fx.unplugged ? ENODEV : EAGAIN);
	}
}

static unsigned iface_of(UMockdevIoctlData *arg, gsize size)
{
	UMockdevIoctlData *d;
	unsigned iface;

	/* struct usbdevfs_disconnect_claim starts with the interface. */
	d = umockdev_ioctl_data_resolve(arg, 0, size, NULL);
	iface = *(unsigned *)d->data;
	umockdev_ioctl_data_unref(d);
	return iface;
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client,
			 gpointer user)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	gulong req = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *d;
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
	case USBDEVFS_DISCONNECT_CLAIM:
		if (fx.unplugged) {
			umockdev_ioctl_client_complete(client, -1, ENODEV);
			break;
		}
		fx.claimed_iface = (int)iface_of(arg,
			req == USBDEVFS_CLAIMINTERFACE ? sizeof(unsigned) :
			sizeof(struct usbdevfs_disconnect_claim));
		fx.claims++;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_RELEASEINTERFACE:
		fx.releases++;
		umockdev_ioctl_client_complete(client, fx.unplugged ? -1 : 0,
					       fx.unplugged ? ENODEV : 0);
		break;
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_SUBMITURB:
		submit_urb(client, arg);
		break;
	case USBDEVFS_DISCARDURB:
		if (fx.held && *(gulong *)arg->data == fx.held->client_addr) {
			fx.discarded = fx.held;
			fx.held = NULL;
			umockdev_ioctl_client_complete(client, 0, 0);
		} else {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
		}
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		reap_urb(client, arg);
		break;
	default:
		handled = FALSE;
		break;
	}
	pthread_mutex_unlock(&fx.lock);
	return handled;
}

static void add_usb(struct bed *b, int devnum, const char *desc)
{
	char spec[1024], node[64];
	int k;

	snprintf(node, sizeof(node), "/dev/bus/usb/001/%03d", devnum);
	k = snprintf(spec, sizeof(spec),
		     "P: /devices/usb%d\n"
		     "N: bus/usb/001/%03d\n"
		     "E: SUBSYSTEM=usb\n"
		     "E: DRIVER=usb\n"
		     "E: BUSNUM=001\n"
		     "E: DEVNUM=%03d\n"
		     "E: DEVNAME=%s\n"
		     "E: DEVTYPE=usb_device\n"
		     "A: bConfigurationValue=1\\n\n"
		     "A: busnum=1\\n\n"
		     "A: devnum=%d\\n\n"
		     "A: speed=480\\n\n"
		     "H: descriptors=%s\n",
		     devnum, devnum, devnum, node, devnum, desc);
	assert_true(k > 0 && (size_t)k < sizeof(spec));
	/* The handler first, so the node exists when the add event fires. */
	assert_true(umockdev_testbed_attach_ioctl(b->tb, node, b->h, NULL));
	assert_true(umockdev_testbed_add_from_string(b->tb, spec, NULL));
}

static int bed_setup(void **state)
{
	struct bed *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	memset(&fx, 0, sizeof(fx));
	pthread_mutex_init(&fx.lock, NULL);
	set_id_reply(ZEBRA_ID, false);
	b->tb = umockdev_testbed_new();
	b->h = umockdev_ioctl_base_new();
	if (!b->tb || !b->h)
		return -1;
	g_signal_connect(b->h, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	*state = b;
	return 0;
}

static int bed_teardown(void **state)
{
	struct bed *b = *state;
	size_t i;

	g_object_unref(b->h);
	g_object_unref(b->tb);
	for (i = 0; i < fx.ndone; i++)
		umockdev_ioctl_data_unref(fx.done[i]);
	if (fx.held)
		umockdev_ioctl_data_unref(fx.held);
	if (fx.discarded)
		umockdev_ioctl_data_unref(fx.discarded);
	free(fx.rx);
	pthread_mutex_destroy(&fx.lock);
	free(b);
	return 0;
}

/* Every claim of the printer interface was released again. */
static void assert_released(void)
{
	pthread_mutex_lock(&fx.lock);
	assert_true(fx.claims > 0);
	assert_int_equal(fx.claims, fx.releases);
	assert_int_equal(fx.claimed_iface, PRINTER_IFACE);
	assert_int_equal(fx.ndone, 0);
	assert_null(fx.held);
	assert_null(fx.discarded);
	pthread_mutex_unlock(&fx.lock);
}

/*
 * A ZPL job of exactly len bytes: one ^GFB binary graphic field, so every
 * byte value occurs and a dropped, doubled or reordered chunk shows.
 */
static unsigned char *zpl_job(size_t len)
{
	static const char tail[] = "^FS\n^XZ\n";
	unsigned char *job = malloc(len);
	char head[64];
	size_t hn, gn, i;
	uint32_t x = 2463534242u;
	int k;

	assert_non_null(job);
	gn = len - 40; /* both header lengths have 5-digit fields */
	k = snprintf(head, sizeof(head), "^XA\n^FO20,20^GFB,%zu,%zu,100,",
		     gn, gn);
	assert_true(k > 0 && (size_t)k < sizeof(head));
	hn = (size_t)k;
	gn = len - hn - (sizeof(tail) - 1);
	k = snprintf(head, sizeof(head), "^XA\n^FO20,20^GFB,%zu,%zu,100,",
		     gn, gn);
	assert_int_equal((size_t)k, hn);
	memcpy(job, head, hn);
	for (i = 0; i < gn; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		job[hn + i] = (unsigned char)x;
	}
	memcpy(job + hn + gn, tail, sizeof(tail) - 1);
	return job;
}

static void test_device_id(void **state)
{
	struct bed *b = *state;
	struct wh_error e;
	char id[256], v[64], small[16];

	add_usb(b, 1, printer_desc);
	wh_error_clear(&e);
	assert_int_equal(printer_usb_device_id(VIDPID, id, sizeof(id), NULL,
					       &e), WH_OK);
	assert_string_equal(id, ZEBRA_ID);
	assert_true(printer_1284_get(id, "MFG", v, sizeof(v)));
	assert_string_equal(v, "Zebra Technologies");
	assert_true(printer_1284_get(id, "MANUFACTURER", v, sizeof(v)));
	assert_string_equal(v, "Zebra Technologies");
	assert_true(printer_1284_get(id, "command set", v, sizeof(v)));
	assert_string_equal(v, "ZPL");
	assert_true(printer_1284_get(id, "MDL", v, sizeof(v)));
	assert_string_equal(v, "ZD421");
	assert_true(printer_1284_get(id, "CLS", v, sizeof(v)));
	assert_string_equal(v, "PRINTER");
	assert_false(printer_1284_get(id, "DES", v, sizeof(v)));

	/* Class request, device to host, to interface 1 alt 0, config 0. */
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.id_requests, 1);
	assert_int_equal(fx.bad_controls, 0);
	assert_int_equal(fx.id_setup[0], 0xa1);
	assert_int_equal(fx.id_setup[1], 0x00);
	assert_int_equal(fx.id_setup[2] | fx.id_setup[3] << 8, 0);
	assert_int_equal(fx.id_setup[4] | fx.id_setup[5] << 8,
			 PRINTER_IFACE << 8);
	assert_true((fx.id_setup[6] | fx.id_setup[7] << 8) >=
		    (int)strlen(ZEBRA_ID) + 2);
	pthread_mutex_unlock(&fx.lock);
	assert_released();

	/* Truncated to the caller's buffer, still terminated. */
	assert_int_equal(printer_usb_device_id(VIDPID, small, sizeof(small),
					       NULL, &e), WH_OK);
	assert_string_equal(small, "MFG:Zebra Techn");

	/*
	 * Some printers send the length little-endian and end the ID with
	 * CR LF: the reply length wins and control characters go.
	 */
	set_id_reply("MANUFACTURER:Zebra Technologies;COMMAND SET:ZPL;"
		     "MODEL:ZTC ZD421-203dpi ZPL;\r\n", true);
	assert_int_equal(printer_usb_device_id(VIDPID, id, sizeof(id), NULL,
					       &e), WH_OK);
	assert_string_equal(id, "MANUFACTURER:Zebra Technologies;"
			    "COMMAND SET:ZPL;MODEL:ZTC ZD421-203dpi ZPL;");
	assert_true(printer_1284_get(id, "MDL", v, sizeof(v)));
	assert_string_equal(v, "ZTC ZD421-203dpi ZPL");
	assert_released();
}

static void assert_job_received(const unsigned char *job, size_t len)
{
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.rx_len, len);
	assert_memory_equal(fx.rx, job, len);
	assert_int_equal(fx.other_bytes, 0);
	/* 100 KB cannot go in one transfer of at most 16 KB. */
	assert_true(fx.out_urbs >= (len + 16383) / 16384);
	assert_true(fx.max_urb > 0 && fx.max_urb <= 16384);
	pthread_mutex_unlock(&fx.lock);
}

static void test_send_100k(void **state)
{
	struct bed *b = *state;
	unsigned char *job = zpl_job(JOB_LEN);
	struct wh_error e;

	assert_memory_equal(job, "^XA\n^FO20,20^GFB,", 17);
	assert_memory_equal(job + JOB_LEN - 4, "^XZ\n", 4);
	add_usb(b, 1, printer_desc);
	wh_error_clear(&e);
	assert_int_equal(printer_usb_send(VIDPID, job, JOB_LEN, NULL, &e),
			 WH_OK);
	assert_job_received(job, JOB_LEN);
	assert_released();

	/* The same through the URI dispatch. */
	pthread_mutex_lock(&fx.lock);
	fx.rx_len = 0;
	fx.out_urbs = 0;
	fx.max_urb = 0;
	pthread_mutex_unlock(&fx.lock);
	assert_int_equal(printer_send("usb:" VIDPID, job, JOB_LEN, NULL, &e),
			 WH_OK);
	assert_job_received(job, JOB_LEN);
	assert_released();

	/* A one-byte job is one transfer of one byte. */
	pthread_mutex_lock(&fx.lock);
	fx.rx_len = 0;
	fx.out_urbs = 0;
	fx.max_urb = 0;
	pthread_mutex_unlock(&fx.lock);
	assert_int_equal(printer_send("usb:0A5F:0164", "~", 1, NULL, &e),
			 WH_OK);
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.rx_len, 1);
	assert_int_equal(fx.rx[0], '~');
	assert_int_equal(fx.out_urbs, 1);
	pthread_mutex_unlock(&fx.lock);
	free(job);
}

static void test_not_there(void **state)
{
	struct bed *b = *state;
	struct wh_error e;
	char id[64];

	/* No USB device at all. */
	wh_error_clear(&e);
	assert_int_equal(printer_send("usb:" VIDPID, "^XA^XZ", 6, NULL, &e),
			 WH_ERR_NOT_FOUND);
	assert_string_equal(e.msg, "no USB printer 0a5f:0164 is connected");
	assert_int_equal(printer_usb_device_id(VIDPID, id, sizeof(id), NULL,
					       &e), WH_ERR_NOT_FOUND);
	assert_string_equal(id, "");

	/* A printer, but not the one asked for. */
	add_usb(b, 1, printer_desc);
	assert_int_equal(printer_usb_send("0a5f:0165", "^XA^XZ", 6, NULL, &e),
			 WH_ERR_NOT_FOUND);
	assert_string_equal(e.msg, "no USB printer 0a5f:0165 is connected");

	/* The device asked for is there, but it is not a printer. */
	add_usb(b, 2, other_desc);
	assert_int_equal(printer_usb_send("0a5f:0999", "^XA^XZ", 6, NULL, &e),
			 WH_ERR_NOT_FOUND);
	assert_non_null(strstr(e.msg, "0a5f:0999"));
	assert_non_null(strstr(e.msg, "not a printer"));

	/* Malformed ids never reach libusb. */
	assert_int_equal(printer_usb_send("0a5f", "x", 1, NULL, &e),
			 WH_ERR_INVALID);
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.rx_len, 0);
	assert_int_equal(fx.other_bytes, 0);
	assert_int_equal(fx.claims, 0);
	pthread_mutex_unlock(&fx.lock);
	umockdev_testbed_detach_ioctl(b->tb, OTHER_NODE, NULL);
}

/* The printer stops taking data (paused, out of media): a timeout. */
static void test_stalled(void **state)
{
	struct bed *b = *state;
	struct printer_opts o = { .timeout_ms = 400 };
	unsigned char *job = zpl_job(JOB_LEN);
	struct wh_error e;
	int64_t t0, ms;

	add_usb(b, 1, printer_desc);
	pthread_mutex_lock(&fx.lock);
	fx.stall_at = 32768;
	pthread_mutex_unlock(&fx.lock);
	wh_error_clear(&e);
	t0 = mono_ms();
	assert_int_equal(printer_usb_send(VIDPID, job, JOB_LEN, &o, &e),
			 WH_ERR_IO);
	ms = mono_ms() - t0;
	assert_true(ms >= 350);
	assert_true(ms < 5000);
	assert_non_null(strstr(e.msg, "0a5f:0164"));
	assert_non_null(strstr(e.msg, "did not accept data within 400 ms"));
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.rx_len, 32768);
	assert_memory_equal(fx.rx, job, 32768);
	pthread_mutex_unlock(&fx.lock);
	assert_released();
	free(job);
}

/* The cable is pulled 40000 bytes into the job. */
static void test_unplug_mid_job(void **state)
{
	struct bed *b = *state;
	struct printer_opts o = { .timeout_ms = 3000 };
	unsigned char *job = zpl_job(JOB_LEN);
	struct wh_error e;
	int64_t t0, ms;

	add_usb(b, 1, printer_desc);
	pthread_mutex_lock(&fx.lock);
	fx.unplug_at = 40000;
	pthread_mutex_unlock(&fx.lock);
	wh_error_clear(&e);
	t0 = mono_ms();
	assert_int_equal(printer_usb_send(VIDPID, job, JOB_LEN, &o, &e),
			 WH_ERR_IO);
	ms = mono_ms() - t0;
	/* Reported at once, not after the 3 s timeout. */
	assert_true(ms < 2000);
	assert_non_null(strstr(e.msg, "0a5f:0164"));
	assert_non_null(strstr(e.msg, "disconnected"));
	assert_non_null(strstr(e.msg, "40000 of 102400 bytes"));
	pthread_mutex_lock(&fx.lock);
	assert_int_equal(fx.rx_len, 40000);
	assert_memory_equal(fx.rx, job, 40000);
	pthread_mutex_unlock(&fx.lock);
	assert_released();

	/* Once the kernel has removed it, it is simply not connected. */
	umockdev_testbed_uevent(b->tb, PRINTER_SYS, "remove");
	umockdev_testbed_remove_device(b->tb, PRINTER_SYS);
	umockdev_testbed_detach_ioctl(b->tb, PRINTER_NODE, NULL);
	assert_int_equal(printer_usb_send(VIDPID, job, JOB_LEN, &o, &e),
			 WH_ERR_NOT_FOUND);
	assert_string_equal(e.msg, "no USB printer 0a5f:0164 is connected");
	free(job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_device_id, bed_setup,
						bed_teardown),
		cmocka_unit_test_setup_teardown(test_send_100k, bed_setup,
						bed_teardown),
		cmocka_unit_test_setup_teardown(test_not_there, bed_setup,
						bed_teardown),
		cmocka_unit_test_setup_teardown(test_stalled, bed_setup,
						bed_teardown),
		cmocka_unit_test_setup_teardown(test_unplug_mid_job, bed_setup,
						bed_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
