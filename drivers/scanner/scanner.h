/*
 * scanner.h - one interface for every barcode scanner driver.
 *
 * A scanner handle turns one device (a terminal in wedge mode, an evdev
 * keyboard, a HID POS scanner over libusb, a serial/CDC-ACM port, a FIFO
 * or Unix socket) into a stream of raw scan events. Parsing (GS1, AIM
 * semantics) is someone else's job: events carry the bytes as they came.
 *
 * Loop contract: scanner_fd() is one descriptor that stays valid for the
 * life of the handle, even across unplug/replug. It is level-triggered:
 * it polls readable (POLLIN) whenever scanner_next() may make progress.
 * After poll() says so, call scanner_next() until it returns false; a
 * caller that calls it only once per wake-up loses nothing, it is simply
 * woken again. scanner_next() never blocks.
 *
 * Nothing is dropped: events wait in a per-handle queue (lock-protected,
 * SCANNER_QUEUE_MAX events) until taken. If a stalled caller lets the
 * queue fill, later events are counted and one SCAN_EV_ERROR with
 * WH_ERR_NOMEM and the count is delivered once there is room again.
 *
 * Ownership: scanner_open() returns a handle the caller frees with
 * scanner_free() (NULL is a no-op). scanner_next() copies the event into
 * a caller-provided struct scan_event; nothing in it points into the
 * handle. The config passed to scanner_open() is copied; strings in it
 * are borrowed only for the duration of the call.
 *
 * Threads: a handle is used from one thread (the UI thread). Drivers
 * that need their own thread (hidpos: libusb event handling) start and
 * join it inside scanner_open()/scanner_free().
 */
#ifndef WHARF_DRIVERS_SCANNER_H
#define WHARF_DRIVERS_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Largest scan delivered whole; longer ones become SCAN_EV_ERROR. */
#define SCAN_DATA_MAX 4096
#define SCAN_MSG_MAX 160
#define SCANNER_QUEUE_MAX 65536

enum scan_source {
	SCAN_SRC_WEDGE,  /* a terminal: scans mixed with typing */
	SCAN_SRC_EVDEV,  /* /dev/input/eventN keyboard-emulating scanner */
	SCAN_SRC_HIDPOS, /* USB HID POS (usage page 0x8C) via libusb */
	SCAN_SRC_SERIAL, /* serial or CDC-ACM tty */
	SCAN_SRC_FIFO,   /* named pipe or Unix socket, one scan per line */
};

enum scan_kind {
	SCAN_EV_SCAN,       /* a complete scan: aim + data */
	SCAN_EV_KEYS,       /* wedge only: typed bytes that were not a scan */
	SCAN_EV_ERROR,      /* see err and msg; data holds what was read */
	SCAN_EV_DISCONNECT, /* the device went away; the handle keeps trying */
	SCAN_EV_CONNECT,    /* the device (re)appeared */
};

struct scan_event {
	enum scan_kind kind;
	enum scan_source source;
	/*
	 * AIM / ISO 15424 symbology identifier ("]C1"), NUL-terminated,
	 * empty when the scanner sent none. Not part of data.
	 */
	char aim[4];
	/* CLOCK_MONOTONIC milliseconds when the scan completed. */
	uint64_t time_ms;
	/* 1-based position of this event in its handle's or wedge's stream. */
	uint64_t seq;
	/*
	 * SCAN_EV_SCAN: how many identical scans (same aim and data) came
	 * directly before this one. 0 for a new code. Repeats are always
	 * delivered, never merged.
	 */
	uint32_t repeat;
	/* SCAN_EV_ERROR: the error class; WH_OK otherwise. */
	enum wh_err err;
	/* SCAN_EV_ERROR and DISCONNECT/CONNECT: a human message. */
	char msg[SCAN_MSG_MAX];
	/*
	 * Bytes as received: may contain NUL, GS (0x1D), any control
	 * character. len <= SCAN_DATA_MAX. For an oversize scan (an ERROR)
	 * data holds the first SCAN_DATA_MAX bytes and total_len the real
	 * length; otherwise total_len == len.
	 */
	size_t len;
	size_t total_len;
	unsigned char data[SCAN_DATA_MAX];
};

enum scanner_driver {
	SCANNER_DRV_WEDGE,
	SCANNER_DRV_EVDEV,
	SCANNER_DRV_HIDPOS,
	SCANNER_DRV_SERIAL,
	SCANNER_DRV_FIFO,
};

/* How a leading "]Xn" in wedge/evdev/serial/fifo data is treated. */
enum scanner_aim_mode {
	SCANNER_AIM_AUTO, /* split off ']' letter char when present */
	SCANNER_AIM_OFF,  /* data is delivered untouched, aim stays "" */
};

#define SCANNER_AFFIX_MAX 16

struct scanner_config {
	enum scanner_driver driver;
	/*
	 * wedge: terminal path (NULL: standard input); evdev: event node
	 * (NULL: find by vid/pid); serial: tty path; fifo: FIFO path, or
	 * "unix:PATH" to listen on a Unix stream socket. hidpos: ignored.
	 */
	const char *device;
	/* evdev/hidpos: match this vendor/product; 0/0 means "any scanner". */
	uint16_t vid, pid;
	/* Framing (wedge, evdev, serial, fifo); see wedge.h. */
	unsigned char prefix[SCANNER_AFFIX_MAX];
	size_t prefix_len;
	unsigned char suffix[SCANNER_AFFIX_MAX]; /* set of terminator bytes */
	size_t suffix_len;                       /* 0: "\r" (fifo: "\n") */
	unsigned min_burst;  /* wedge timing fallback N; 0 disables it */
	unsigned gap_ms;     /* wedge timing fallback T */
	unsigned scan_timeout_ms; /* give up on an unterminated scan */
	enum scanner_aim_mode aim;
	/* wedge: leave the terminal's mode alone (caller set raw mode). */
	bool keep_termios;
	/* evdev: skip EVIOCGRAB (the keys then also reach the console). */
	bool no_grab;
	/* hidpos: input report id (0: 2, Honeywell) and beep output report. */
	uint8_t report_id;
	/* sysfs root for evdev lookup (NULL: "/sys"); tests use a fake. */
	const char *sysfs_root;
};

typedef struct scanner scanner_t;

/* Fills *cfg with defaults for driver: CR suffix, N=4, T=30 ms, ... */
void scanner_config_init(struct scanner_config *cfg,
			 enum scanner_driver driver);

/*
 * Opens the device described by cfg. On success *out is a new handle.
 * hidpos succeeds with no matching device plugged in (it waits for one
 * and reports SCAN_EV_CONNECT); the others fail if the device cannot be
 * opened. Errors: WH_ERR_IO, WH_ERR_PERM, WH_ERR_NOT_FOUND,
 * WH_ERR_INVALID (config), WH_ERR_NOMEM, WH_ERR_UNSUPPORTED.
 */
enum wh_err scanner_open(const struct scanner_config *cfg, scanner_t **out,
			 struct wh_error *e);

/* Stops the driver thread, restores terminal modes, frees. NULL is ok. */
void scanner_free(scanner_t *s);

/* The one descriptor to poll for POLLIN. Owned by the handle. */
int scanner_fd(const scanner_t *s);

/*
 * Takes the next complete event into *ev. Returns true if one was
 * stored, false if none is ready now. Never blocks. Device errors do not
 * fail this call: they arrive as SCAN_EV_ERROR / SCAN_EV_DISCONNECT.
 */
bool scanner_next(scanner_t *s, struct scan_event *ev);

/*
 * Good-read (good=true) or error beep. hidpos sends the output report;
 * the other drivers cannot beep and return WH_ERR_UNSUPPORTED.
 */
enum wh_err scanner_beep(scanner_t *s, bool good, struct wh_error *e);

const char *scan_source_name(enum scan_source src);
const char *scan_kind_name(enum scan_kind kind);

/* Parses "wedge", "evdev", ...; false if unknown. */
bool scanner_driver_parse(const char *name, enum scanner_driver *out);

/* CLOCK_MONOTONIC in milliseconds: the clock of scan_event.time_ms. */
uint64_t scanner_now_ms(void);

#endif
