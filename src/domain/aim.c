/*
 * aim.c - AIM / ISO/IEC 15424 symbology identifier table.
 *
 * Sources: GS1 General Specifications fig. 5.1.2-2 for the GS1 carriers,
 * ISO/IEC 15424 for the rest. Entries with modifier '*' cover every
 * modifier of that symbology not listed before them.
 */
#include "domain/aim.h"

#include <string.h>

struct aim_entry {
	char code;
	char mod; /* '*' = any modifier */
	enum aim_kind kind;
	const char *name;
};

static const struct aim_entry aim_table[] = {
    {'A', '*', AIM_KIND_OTHER, "Code 39"},
    {'C', '0', AIM_KIND_OTHER, "Code 128"},
    {'C', '1', AIM_KIND_GS1, "GS1-128"},
    {'C', '2', AIM_KIND_OTHER, "Code 128 (FNC1 in second position)"},
    {'C', '4', AIM_KIND_OTHER, "Code 128 (ISBT concatenation)"},
    {'C', '*', AIM_KIND_OTHER, "Code 128"},
    {'E', '0', AIM_KIND_EAN, "EAN-13/UPC-A/UPC-E"},
    {'E', '1', AIM_KIND_OTHER, "EAN/UPC 2-digit add-on"},
    {'E', '2', AIM_KIND_OTHER, "EAN/UPC 5-digit add-on"},
    {'E', '3', AIM_KIND_EAN, "EAN/UPC with add-on"},
    {'E', '4', AIM_KIND_EAN, "EAN-8"},
    {'E', '*', AIM_KIND_OTHER, "EAN/UPC"},
    {'F', '*', AIM_KIND_OTHER, "Codabar"},
    {'G', '*', AIM_KIND_OTHER, "Code 93"},
    {'H', '*', AIM_KIND_OTHER, "Code 11"},
    {'I', '0', AIM_KIND_ITF, "Interleaved 2 of 5"},
    {'I', '1', AIM_KIND_ITF, "ITF (check digit validated)"},
    {'I', '3', AIM_KIND_ITF, "ITF (check digit validated, stripped)"},
    {'I', '*', AIM_KIND_OTHER, "Interleaved 2 of 5"},
    {'J', '1', AIM_KIND_GS1, "GS1 DotCode"},
    {'J', '*', AIM_KIND_OTHER, "DotCode"},
    {'L', '2', AIM_KIND_OTHER, "MicroPDF417"},
    {'L', '*', AIM_KIND_OTHER, "PDF417"},
    {'M', '*', AIM_KIND_OTHER, "MSI"},
    {'Q', '3', AIM_KIND_GS1, "GS1 QR Code"},
    {'Q', '4', AIM_KIND_GS1, "GS1 QR Code (ECI)"},
    {'Q', '*', AIM_KIND_OTHER, "QR Code"},
    {'X', '*', AIM_KIND_OTHER, "other symbology"},
    {'d', '2', AIM_KIND_GS1, "GS1 DataMatrix"},
    {'d', '5', AIM_KIND_GS1, "GS1 DataMatrix (ECI)"},
    {'d', '*', AIM_KIND_OTHER, "Data Matrix"},
    {'e', '0', AIM_KIND_GS1, "GS1 DataBar"},
    {'e', '1', AIM_KIND_GS1, "GS1 Composite"},
    {'e', '2', AIM_KIND_GS1, "GS1 Composite (escape)"},
    {'e', '3', AIM_KIND_GS1, "GS1 DataBar/Composite"},
    {'e', '*', AIM_KIND_GS1, "GS1 DataBar"},
    {'z', '1', AIM_KIND_GS1, "GS1 Aztec"},
    {'z', '*', AIM_KIND_OTHER, "Aztec"},
};

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

enum wh_err aim_lookup(const char *buf, size_t len, struct aim_info *out,
		       struct wh_error *err)
{
	unsigned char code, mod;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (len == 0 || buf[0] != ']')
		return wh_error_set(err, WH_ERR_INVALID,
				    "symbology identifier must start with ']'");
	if (len < AIM_ID_LEN)
		return wh_error_set(err, WH_ERR_INVALID,
				    "symbology identifier truncated");
	code = (unsigned char)buf[1];
	mod = (unsigned char)buf[2];
	if (!is_alpha(code) || !is_alnum(mod))
		return wh_error_set(err, WH_ERR_INVALID,
				    "malformed symbology identifier");
	out->id[0] = ']';
	out->id[1] = (char)code;
	out->id[2] = (char)mod;
	out->id[3] = '\0';
	out->name = "unknown symbology";
	out->kind = AIM_KIND_OTHER;
	for (i = 0; i < sizeof(aim_table) / sizeof(aim_table[0]); i++) {
		const struct aim_entry *a = &aim_table[i];

		if (a->code != (char)code)
			continue;
		if (a->mod != '*' && a->mod != (char)mod)
			continue;
		out->name = a->name;
		out->kind = a->kind;
		out->known = true;
		break;
	}
	out->gs1 = out->kind == AIM_KIND_GS1;
	return WH_OK;
}
