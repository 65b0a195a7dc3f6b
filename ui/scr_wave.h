/*
 * scr_wave.h - wave release (supervisor): choose a strategy and limits,
 * see how many orders a wave would take now, release it.
 *
 * States (enum wave_state):
 *   WV_FORM     the form: strategy (single item / multi item / by
 *               carrier), max orders, totes, slots per tote, carrier ("":
 *               any). Up/Down (Tab) choose a field; Left/Right or 1-3 the
 *               strategy; digits and Backspace edit a number; Enter asks
 *               for the preview (UI_REQ_WAVE_PREVIEW);
 *   WV_PREVIEW  the preview: orders and units now eligible. Enter
 *               releases (UI_REQ_WAVE_RELEASE), Esc back to the form;
 *   WV_DONE     the released wave: id, orders, pick tasks, totes, units.
 *               Enter: back to the form.
 * Keys: Enter OK, Esc back (closes from the form), F10 close.
 */
#ifndef WHARF_UI_SCR_WAVE_H
#define WHARF_UI_SCR_WAVE_H

#include "ui/screen.h"

enum wave_state {
	WV_FORM,
	WV_PREVIEW,
	WV_DONE,
};

enum wave_tag {
	WV_TAG_PREVIEW = 1,
	WV_TAG_RELEASE,
};

enum wave_field {
	WV_F_STRATEGY,
	WV_F_ORDERS,
	WV_F_TOTES,
	WV_F_SLOTS,
	WV_F_CARRIER,
	WV_F_END,
};

extern const struct ui_screen_ops scr_wave;

/* For tests. */
enum wave_state wave_state_of(const void *state);
const char *wave_message(const void *state);
enum wave_field wave_field_of(const void *state);

#endif
