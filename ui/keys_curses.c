/*
 * keys_curses.c - curses key codes to ui keys. See keys.h.
 */
#include <curses.h>

#include "ui/keys.h"

static const struct {
	int curses;
	int key;
} special[] = {
	{ KEY_ENTER, UI_KEY_ENTER },    { KEY_BACKSPACE, UI_KEY_BACKSPACE },
	{ KEY_DC, UI_KEY_DELETE },      { KEY_UP, UI_KEY_UP },
	{ KEY_DOWN, UI_KEY_DOWN },      { KEY_LEFT, UI_KEY_LEFT },
	{ KEY_RIGHT, UI_KEY_RIGHT },    { KEY_HOME, UI_KEY_HOME },
	{ KEY_END, UI_KEY_END },        { KEY_PPAGE, UI_KEY_PGUP },
	{ KEY_NPAGE, UI_KEY_PGDN },     { KEY_BTAB, UI_KEY_TAB },
	{ KEY_A1, UI_KEY_HOME },        { KEY_C1, UI_KEY_END },
	{ KEY_A3, UI_KEY_PGUP },        { KEY_C3, UI_KEY_PGDN },
};

int keys_from_curses(int ret, unsigned long wch)
{
	size_t i;

	if (ret == KEY_CODE_YES) {
		if (wch >= (unsigned long)KEY_F(1) &&
		    wch <= (unsigned long)KEY_F(24))
			return UI_KEY_F((int)(wch - KEY_F0));
		for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
			if ((unsigned long)special[i].curses == wch)
				return special[i].key;
		return UI_KEY_NONE; /* KEY_RESIZE, KEY_MOUSE, unknown */
	}
	if (ret != OK)
		return UI_KEY_NONE;
	switch (wch) {
	case '\r':
	case '\n':
		return UI_KEY_ENTER;
	case 0x1B:
		return UI_KEY_ESC;
	case '\t':
		return UI_KEY_TAB;
	case 0x7F:
	case 0x08:
		return UI_KEY_BACKSPACE;
	}
	if (wch < 0x20 || (wch >= 0x80 && wch < 0xA0) || wch > 0x10FFFF)
		return UI_KEY_NONE; /* other controls */
	return (int)wch;
}
