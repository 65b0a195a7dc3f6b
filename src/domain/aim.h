/*
 * aim.h - AIM / ISO/IEC 15424 symbology identifiers ("]C1", "]E0", ...).
 *
 * A scanner configured to "transmit AIM ID" prefixes every scan with three
 * bytes: ']', a symbology character and a modifier character. The
 * identifier tells GS1-128 (]C1) from plain Code 128 (]C0), and stands for
 * the leading FNC1 of GS1 symbols, which is never transmitted itself.
 *
 * Pure functions, no state: safe from any thread.
 */
#ifndef WHARF_DOMAIN_AIM_H
#define WHARF_DOMAIN_AIM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* How the data after the identifier is to be read. */
enum aim_kind {
	AIM_KIND_OTHER = 0, /* free text: Code 128, Code 39, QR, ... */
	AIM_KIND_GS1,	    /* GS1 element string, leading FNC1 implied */
	AIM_KIND_EAN,	    /* EAN-13 / UPC-A / UPC-E / EAN-8 digits */
	AIM_KIND_ITF,	    /* Interleaved 2 of 5 (ITF-14: a GTIN) */
};

#define AIM_ID_LEN 3

struct aim_info {
	char id[AIM_ID_LEN + 1]; /* "]C1", NUL-terminated */
	const char *name;	 /* static: "GS1-128", "EAN-13/UPC-A/UPC-E" */
	enum aim_kind kind;
	bool gs1;   /* kind == AIM_KIND_GS1: FNC1 in first position */
	bool known; /* false: well-formed but not in our table */
};

/*
 * Reads the symbology identifier at the start of buf (len bytes; bytes,
 * not a C string). buf must begin with ']'. On success fills *out and
 * returns WH_OK; the identifier is always AIM_ID_LEN bytes long, so the
 * data starts at buf + AIM_ID_LEN.
 *
 * A well-formed identifier we do not know (e.g. "]Z9") is accepted with
 * out->known == false and kind AIM_KIND_OTHER, so a new scanner does not
 * make scans fail. A malformed one (lone "]", "]C", "]\x01\x02") returns
 * WH_ERR_INVALID with a message in *err (err may be NULL).
 *
 *	struct aim_info ai;
 *	if (aim_lookup("]C1010950...", 16, &ai, &err) == WH_OK && ai.gs1)
 *		... parse buf + AIM_ID_LEN as a GS1 element string ...
 */
enum wh_err aim_lookup(const char *buf, size_t len, struct aim_info *out,
		       struct wh_error *err);

#endif
