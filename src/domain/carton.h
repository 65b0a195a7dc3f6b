/*
 * carton.h - which carton a parcel goes in: a small built-in table of the
 * desk's cartons and a pure suggestion from the items' dimensions.
 *
 * The rule: the smallest carton (by volume) whose inside fits the largest
 * item in some orientation (sorted edges against sorted edges), whose
 * volume holds the items' total volume with a fill allowance (packing is
 * never perfect: CARTON_FILL_PCT), and whose weight limit holds the total
 * weight. Items with unknown dimensions (0) count as CARTON_UNKNOWN_MM on
 * each edge, so a parcel of unknown goods never gets the smallest box.
 * Nothing fits: the largest carton, flagged oversize.
 *
 * Ownership: everything is borrowed; carton_at() returns a pointer into a
 * static const table.
 */
#ifndef WHARF_DOMAIN_CARTON_H
#define WHARF_DOMAIN_CARTON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARTON_FILL_PCT 80   /* usable share of a carton's volume */
#define CARTON_UNKNOWN_MM 100

struct carton {
	const char *code; /* printed on the carton: "C1" ... */
	int32_t l_mm, w_mm, h_mm; /* inside */
	int32_t max_g;
};

struct carton_item {
	int32_t l_mm, w_mm, h_mm; /* 0: unknown */
	int32_t weight_g;         /* 0: unknown */
	int32_t qty;
};

size_t carton_count(void);
const struct carton *carton_at(size_t i);
/* The carton with that code (case-sensitive), or NULL. */
const struct carton *carton_find(const char *code);

/*
 * The carton for n items; *oversize (may be NULL) says nothing fitted.
 * n == 0 gives the smallest carton.
 */
const struct carton *carton_suggest(const struct carton_item *items,
				    size_t n, bool *oversize);

#endif
