/*
 * evdev_keymap.c - US-layout key code translation (see evdev_keymap.h).
 */
#include "drivers/scanner/evdev_keymap.h"

#include <linux/input-event-codes.h>
#include <stddef.h>

struct keydef {
	char plain, shifted;
};

/* Indexed by KEY_* code; {0, 0} produces nothing. */
static const struct keydef us[KEY_KPDOT + 1] = {
	[KEY_ESC] = { 0x1b, 0x1b },
	[KEY_1] = { '1', '!' }, [KEY_2] = { '2', '@' },
	[KEY_3] = { '3', '#' }, [KEY_4] = { '4', '$' },
	[KEY_5] = { '5', '%' }, [KEY_6] = { '6', '^' },
	[KEY_7] = { '7', '&' }, [KEY_8] = { '8', '*' },
	[KEY_9] = { '9', '(' }, [KEY_0] = { '0', ')' },
	[KEY_MINUS] = { '-', '_' }, [KEY_EQUAL] = { '=', '+' },
	[KEY_BACKSPACE] = { 0x08, 0x08 }, [KEY_TAB] = { '\t', '\t' },
	[KEY_Q] = { 'q', 'Q' }, [KEY_W] = { 'w', 'W' },
	[KEY_E] = { 'e', 'E' }, [KEY_R] = { 'r', 'R' },
	[KEY_T] = { 't', 'T' }, [KEY_Y] = { 'y', 'Y' },
	[KEY_U] = { 'u', 'U' }, [KEY_I] = { 'i', 'I' },
	[KEY_O] = { 'o', 'O' }, [KEY_P] = { 'p', 'P' },
	[KEY_LEFTBRACE] = { '[', '{' }, [KEY_RIGHTBRACE] = { ']', '}' },
	[KEY_ENTER] = { '\r', '\r' },
	[KEY_A] = { 'a', 'A' }, [KEY_S] = { 's', 'S' },
	[KEY_D] = { 'd', 'D' }, [KEY_F] = { 'f', 'F' },
	[KEY_G] = { 'g', 'G' }, [KEY_H] = { 'h', 'H' },
	[KEY_J] = { 'j', 'J' }, [KEY_K] = { 'k', 'K' },
	[KEY_L] = { 'l', 'L' },
	[KEY_SEMICOLON] = { ';', ':' }, [KEY_APOSTROPHE] = { '\'', '"' },
	[KEY_GRAVE] = { '`', '~' }, [KEY_BACKSLASH] = { '\\', '|' },
	[KEY_Z] = { 'z', 'Z' }, [KEY_X] = { 'x', 'X' },
	[KEY_C] = { 'c', 'C' }, [KEY_V] = { 'v', 'V' },
	[KEY_B] = { 'b', 'B' }, [KEY_N] = { 'n', 'N' },
	[KEY_M] = { 'm', 'M' },
	[KEY_COMMA] = { ',', '<' }, [KEY_DOT] = { '.', '>' },
	[KEY_SLASH] = { '/', '?' },
	[KEY_KPASTERISK] = { '*', '*' }, [KEY_SPACE] = { ' ', ' ' },
	[KEY_KP7] = { '7', '7' }, [KEY_KP8] = { '8', '8' },
	[KEY_KP9] = { '9', '9' }, [KEY_KPMINUS] = { '-', '-' },
	[KEY_KP4] = { '4', '4' }, [KEY_KP5] = { '5', '5' },
	[KEY_KP6] = { '6', '6' }, [KEY_KPPLUS] = { '+', '+' },
	[KEY_KP1] = { '1', '1' }, [KEY_KP2] = { '2', '2' },
	[KEY_KP3] = { '3', '3' }, [KEY_KP0] = { '0', '0' },
	[KEY_KPDOT] = { '.', '.' },
};

static int keypad_digit(unsigned code)
{
	switch (code) {
	case KEY_KP0: return 0;
	case KEY_KP1: return 1;
	case KEY_KP2: return 2;
	case KEY_KP3: return 3;
	case KEY_KP4: return 4;
	case KEY_KP5: return 5;
	case KEY_KP6: return 6;
	case KEY_KP7: return 7;
	case KEY_KP8: return 8;
	case KEY_KP9: return 9;
	default: return -1;
	}
}

/* The control character Ctrl+<key> gives, as xterm does; -1: none. */
static int ctrl_of(char c)
{
	if (c >= 'a' && c <= 'z')
		return c & 0x1f;
	switch (c) {
	case '2': case '@': case ' ':
		return 0x00;
	case '[':
		return 0x1b;
	case '\\':
		return 0x1c;
	case ']':
		return 0x1d;
	case '6': case '^':
		return 0x1e;
	case '-': case '_':
		return 0x1f;
	default:
		return -1;
	}
}

static bool modifier(struct evdev_keys *k, unsigned code, bool down,
		     int *out)
{
	*out = -1;
	switch (code) {
	case KEY_LEFTSHIFT:
		k->lshift = down;
		return true;
	case KEY_RIGHTSHIFT:
		k->rshift = down;
		return true;
	case KEY_LEFTCTRL:
		k->lctrl = down;
		return true;
	case KEY_RIGHTCTRL:
		k->rctrl = down;
		return true;
	case KEY_LEFTALT:
	case KEY_RIGHTALT:
		if (code == KEY_LEFTALT)
			k->lalt = down;
		else
			k->ralt = down;
		if (!down && !k->lalt && !k->ralt && k->alt_digits) {
			*out = (int)(k->alt_code & 0xff);
			k->alt_digits = false;
			k->alt_code = 0;
		}
		return true;
	case KEY_CAPSLOCK:
		return true;
	default:
		return false;
	}
}

int evdev_key_apply(struct evdev_keys *k, unsigned code, int value)
{
	const struct keydef *d;
	bool shift;
	int out, digit;
	char c;

	if (value == 1 && code == KEY_CAPSLOCK)
		k->caps = !k->caps;
	if (modifier(k, code, value != 0, &out))
		return out;
	if (value == 0)
		return -1;
	if (k->lalt || k->ralt) {
		digit = keypad_digit(code);
		if (digit >= 0 && value == 1) {
			k->alt_digits = true;
			k->alt_code = (k->alt_code * 10 + (unsigned)digit) %
				      1000;
		}
		/* Alt+other keys are menu shortcuts, not scan data. */
		return -1;
	}
	if (code >= sizeof(us) / sizeof(us[0]))
		return code == KEY_KPENTER ? '\r' :
		       code == KEY_KPSLASH ? '/' : -1;
	d = &us[code];
	if (!d->plain)
		return -1;
	shift = k->lshift || k->rshift;
	if (k->caps && d->plain >= 'a' && d->plain <= 'z')
		shift = !shift;
	c = shift ? d->shifted : d->plain;
	if (k->lctrl || k->rctrl) {
		out = ctrl_of(d->plain);
		if (out < 0)
			out = ctrl_of(c);
		return out;
	}
	return (unsigned char)c;
}
