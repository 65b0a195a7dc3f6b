/*
 * evdev_keymap.h - Linux key codes to bytes, US layout, done by wharf
 * itself so a scanner reads the same whatever the console keymap says.
 *
 * Pure: no I/O. Shift and Caps Lock as on a US keyboard; Ctrl makes the
 * C0 control characters (Ctrl+] is GS 0x1D, the GS1 separator; Ctrl+B is
 * STX, a common prefix); Alt+keypad digits give the byte with that
 * decimal number on Alt release (Zebra's "Alt 029" GS).
 *
 * Ownership: the caller owns struct evdev_keys (zero it to start).
 */
#ifndef WHARF_DRIVERS_EVDEV_KEYMAP_H
#define WHARF_DRIVERS_EVDEV_KEYMAP_H

#include <stdbool.h>

struct evdev_keys {
	bool lshift, rshift, lctrl, rctrl, lalt, ralt, caps;
	bool alt_digits; /* keypad digits typed while Alt is held */
	unsigned alt_code;
};

/*
 * Applies one EV_KEY event (value 0 release, 1 press, 2 autorepeat).
 * Returns the byte it produces (0..255), or -1 for none.
 */
int evdev_key_apply(struct evdev_keys *k, unsigned code, int value);

#endif
