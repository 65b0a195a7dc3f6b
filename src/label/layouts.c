/*
 * layouts.c - the shipped label types: fields, element tables in mm, and
 * the hooks that turn validated fields into GS1 element strings.
 *
 * GS1 strings are built here from digits we have checked ourselves, so a
 * '[' in a lot number can never open a new AI inside zint; zint (in
 * GS1_MODE with WARN_FAIL_ALL) checks them again. Fixed-length AIs come
 * before the variable-length lot (10) so no FNC1 separator is needed.
 */
#include "label/label_int.h"
#include "domain/gs1.h"

#include <stdio.h>
#include <string.h>

#define END { .kind = LEL_TEXT, .text = NULL }

/* Shorthands keep the tables to one line per element. */
#define TXT(X, Y, W, H, PT, T, ...)                                        \
	{ .kind = LEL_TEXT, .x = X, .y = Y, .w = W, .h = H, .pt = PT,      \
	  .text = T, __VA_ARGS__ }
#define BAR(X, Y, W, H, SYM, MOD, MIN, T, ...)                             \
	{ .kind = LEL_BARCODE, .x = X, .y = Y, .w = W, .h = H, .sym = SYM, \
	  .module_mm = MOD, .min_module_mm = MIN, .text = T, __VA_ARGS__ }
#define HLINE(X, Y, W)                                                     \
	{ .kind = LEL_LINE, .x = X, .y = Y, .w = W, .h = 0.25f }
#define VLINE(X, Y, H)                                                     \
	{ .kind = LEL_LINE, .x = X, .y = Y, .w = 0.25f, .h = H }
#define BOX(X, Y, W, H)                                                    \
	{ .kind = LEL_BOX, .x = X, .y = Y, .w = W, .h = H, .stroke_mm = 0.375f }

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static enum wh_err check_gs1_key(const char *field, const char *s, size_t n,
				 struct wh_error *e)
{
	if (!all_digits(s, n))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field %s must be %zu digits", field, n);
	if (!gs1_check_digit_ok(s, n))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field %s: check digit should be %d, not %c",
				    field, gs1_check_digit(s, n - 1), s[n - 1]);
	return WH_OK;
}

/* A GTIN-13 or GTIN-14, checked, as 14 digits into gtin14[15]. */
static enum wh_err gtin14(const char *s, char gtin14[15], struct wh_error *e)
{
	enum wh_err rc;

	if (strlen(s) == 13) {
		rc = check_gs1_key("gtin", s, 13, e);
		gtin14[0] = '0';
		memcpy(gtin14 + 1, s, 14);
		return rc;
	}
	rc = check_gs1_key("gtin", s, 14, e);
	if (rc == WH_OK)
		memcpy(gtin14, s, 15);
	return rc;
}

/* GS1 AI encodable character set 82 (General Specifications 7.11). */
static bool cset82(const char *s)
{
	static const char ok[] = "!\"%&'()*+,-./:;<=>?_";

	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || strchr(ok, *s)))
			return false;
	return true;
}

/* "YYYY-MM-DD" or "YYMMDD" into yymmdd[7] and a readable "YYYY-MM-DD". */
static enum wh_err expiry(const char *s, char yymmdd[7], char iso[11],
			  struct wh_error *e)
{
	int mm, dd;

	yymmdd[0] = '\0';
	if (all_digits(s, 6)) {
		memcpy(yymmdd, s, 7);
	} else if (strlen(s) == 10 && s[0] == '2' && s[1] == '0' &&
		   s[4] == '-' && s[7] == '-') {
		char t[7] = { s[2], s[3], s[5], s[6], s[8], s[9], 0 };

		memcpy(yymmdd, t, 7);
	}
	if (!all_digits(yymmdd, 6))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field expiry must be YYYY-MM-DD or YYMMDD");
	mm = (yymmdd[2] - '0') * 10 + yymmdd[3] - '0';
	dd = (yymmdd[4] - '0') * 10 + yymmdd[5] - '0';
	if (mm < 1 || mm > 12 || dd > 31)
		return wh_error_set(e, WH_ERR_INVALID,
				    "field expiry: no such date \"%s\"", s);
	snprintf(iso, 11, "20%.2s-%.2s-%.2s", yymmdd, yymmdd + 2, yymmdd + 4);
	return WH_OK;
}

static enum wh_err check_lot(const char *lot, struct wh_error *e)
{
	if (strlen(lot) > 20 || !cset82(lot))
		return wh_error_set(e, WH_ERR_INVALID,
				    "field lot must be 1 to 20 characters of "
				    "the GS1 set (letters, digits, "
				    "!\"%%&'()*+,-./:;<=>?_)");
	return WH_OK;
}

/*
 * Appends the lot and expiry AIs, expiry (fixed length) first, and their
 * readable form.
 */
static enum wh_err lot_expiry(struct label_values *v, char *gs1, size_t gn,
			      char *hri, size_t hn, struct wh_error *e)
{
	const char *lot = label_values_get(v, "lot");
	const char *exp = label_values_get(v, "expiry");
	char ymd[7], iso[11];
	size_t l;
	enum wh_err rc;

	if (*lot && (rc = check_lot(lot, e)))
		return rc;
	if (*exp) {
		rc = expiry(exp, ymd, iso, e);
		if (rc)
			return rc;
		l = strlen(gs1);
		snprintf(gs1 + l, gn - l, "[17]%s", ymd);
		l = strlen(hri);
		snprintf(hri + l, hn - l, " (17) %s", ymd);
		rc = label_values_put(v, "_exp_hri", iso, e);
		if (rc)
			return rc;
	}
	if (*lot) {
		l = strlen(gs1);
		snprintf(gs1 + l, gn - l, "[10]%s", lot);
		l = strlen(hri);
		snprintf(hri + l, hn - l, " (10) %s", lot);
	}
	return WH_OK;
}

static enum wh_err prepare_carrier(struct label_values *v, struct wh_error *e)
{
	const char *qr = label_values_get(v, "qr");

	return label_values_put(v, "_qr",
				*qr ? qr : label_values_get(v, "tracking"), e);
}

static enum wh_err prepare_sscc(struct label_values *v, struct wh_error *e)
{
	const char *sscc = label_values_get(v, "sscc");
	const char *gtin = label_values_get(v, "gtin");
	const char *count = label_values_get(v, "count");
	char buf[96], hri[128], g14[15];
	enum wh_err rc;

	rc = check_gs1_key("sscc", sscc, 18, e);
	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "[00]%s", sscc);
	snprintf(hri, sizeof(hri), "(00) %s", sscc);
	if ((rc = label_values_put(v, "_gs1_sscc", buf, e)) ||
	    (rc = label_values_put(v, "_hri_sscc", hri, e)))
		return rc;
	if (!*gtin) {
		if (*count || *label_values_get(v, "lot") ||
		    *label_values_get(v, "expiry"))
			return wh_error_set(e, WH_ERR_INVALID,
					    "missing field gtin (count, lot "
					    "and expiry describe a GTIN)");
		return WH_OK;
	}
	rc = gtin14(gtin, g14, e);
	if (rc)
		return rc;
	if (*count) {
		if (strlen(count) > 8 || strspn(count, "0123456789") !=
		    strlen(count) || count[0] == '0')
			return wh_error_set(e, WH_ERR_INVALID,
					    "field count must be a whole "
					    "number from 1 to 99999999");
		snprintf(buf, sizeof(buf), "[02]%s[37]%s", g14, count);
		snprintf(hri, sizeof(hri), "(02) %s (37) %s", g14, count);
	} else {
		snprintf(buf, sizeof(buf), "[01]%s", g14);
		snprintf(hri, sizeof(hri), "(01) %s", g14);
		rc = lot_expiry(v, buf, sizeof(buf), hri, sizeof(hri), e);
		if (rc)
			return rc;
	}
	if ((rc = label_values_put(v, "_gtin14", g14, e)) ||
	    (rc = label_values_put(v, "_gs1_2", buf, e)))
		return rc;
	return label_values_put(v, "_hri_2", hri, e);
}

static enum wh_err prepare_product(struct label_values *v, struct wh_error *e)
{
	char g14[15], buf[96], hri[128] = "";
	enum wh_err rc;

	rc = gtin14(label_values_get(v, "gtin"), g14, e);
	if (rc)
		return rc;
	if (g14[0] == '0') {
		rc = label_values_put(v, "_ean13", g14 + 1, e);
		if (rc)
			return rc;
	}
	if (g14[0] != '0' || *label_values_get(v, "lot") ||
	    *label_values_get(v, "expiry")) {
		snprintf(buf, sizeof(buf), "[01]%s", g14);
		rc = lot_expiry(v, buf, sizeof(buf), hri, sizeof(hri), e);
		if (rc)
			return rc;
		rc = label_values_put(v, "_gs1_dm", buf, e);
	}
	return rc;
}

/* Carrier labels: all three share these fields. */
static const struct label_field carrier_fields[] = {
	{ "tracking", LF_CODE, true, 40 },
	{ "sort_code", LF_TEXT, true, 40 },
	{ "receiver.name", LF_TEXT, true, 100 },
	{ "receiver.phone", LF_TEXT, false, 40 },
	{ "receiver.address", LF_TEXT, true, 0 },
	{ "sender.name", LF_TEXT, true, 100 },
	{ "sender.phone", LF_TEXT, false, 40 },
	{ "sender.address", LF_TEXT, true, 0 },
	{ "carrier", LF_TEXT, false, 60 },
	{ "order_ref", LF_TEXT, false, 64 },
	{ "weight_kg", LF_NUMBER, false, 16 },
	{ "items", LF_ITEMS, false, 0 },
	{ "qr", LF_CODE, false, 300 },
	{ "cod", LF_TEXT, false, 32 },
	{ NULL, LF_TEXT, false, 0 },
};

static const struct label_el carrier_100x150[] = {
	TXT(2, 2, 60, 8, 14, "{carrier}", .bold = true, .min_pt = 9),
	TXT(62, 2, 36, 8, 9, "{order_ref}", .align = LALIGN_RIGHT,
	    .min_pt = 6),
	TXT(2, 11, 96, 18, 40, "{sort_code}", .bold = true, .invert = true,
	    .align = LALIGN_CENTER, .min_pt = 16),
	HLINE(0, 31, 100),
	BAR(5, 33, 90, 18, LSYM_CODE128, 0.375f, 0.25f, "{tracking}",
	    .align = LALIGN_CENTER),
	TXT(2, 52, 96, 6, 12, "{tracking}", .bold = true,
	    .align = LALIGN_CENTER),
	HLINE(0, 59, 100),
	TXT(2, 61, 8, 8, 16, "收", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(12, 60, 86, 7, 13, "{receiver.name}  {receiver.phone}",
	    .bold = true, .min_pt = 9),
	TXT(12, 67, 86, 17, 11, "{receiver.address}", .wrap = true,
	    .min_pt = 7),
	HLINE(0, 85, 100),
	TXT(2, 87, 8, 8, 16, "寄", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(12, 86, 86, 6, 10, "{sender.name}  {sender.phone}",
	    .min_pt = 7),
	TXT(12, 92, 86, 10, 9, "{sender.address}", .wrap = true,
	    .min_pt = 6),
	HLINE(0, 103, 100),
	BAR(2, 105, 32, 32, LSYM_QR, 0.75f, 0.375f, "{_qr}",
	    .about = "qr"),
	TXT(36, 105, 62, 6, 9, "订单 {order_ref}", .when = "order_ref",
	    .min_pt = 6),
	TXT(36, 111, 62, 6, 9, "重量 {weight_kg} kg", .when = "weight_kg"),
	TXT(36, 117, 62, 20, 8, "内件 {items}", .when = "items",
	    .wrap = true, .min_pt = 6),
	HLINE(0, 139, 100),
	TXT(2, 141, 96, 7, 9, "{carrier} {tracking}", .align = LALIGN_CENTER),
	END,
};

static const struct label_el carrier_4x6[] = {
	TXT(3, 3, 60, 8, 14, "{carrier}", .bold = true, .min_pt = 9),
	TXT(63, 3, 35, 8, 9, "{order_ref}", .align = LALIGN_RIGHT,
	    .min_pt = 6),
	TXT(3, 12, 95.6f, 18, 40, "{sort_code}", .bold = true,
	    .invert = true, .align = LALIGN_CENTER, .min_pt = 16),
	HLINE(0, 32, 101.6f),
	TXT(3, 34, 14, 6, 10, "SHIP TO", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(19, 33, 80, 7, 13, "{receiver.name}  {receiver.phone}",
	    .bold = true, .min_pt = 9),
	TXT(19, 40, 80, 18, 11, "{receiver.address}", .wrap = true,
	    .min_pt = 7),
	HLINE(0, 59, 101.6f),
	TXT(3, 61, 14, 6, 10, "FROM", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(19, 60, 80, 6, 10, "{sender.name}  {sender.phone}", .min_pt = 7),
	TXT(19, 66, 80, 10, 9, "{sender.address}", .wrap = true,
	    .min_pt = 6),
	HLINE(0, 77, 101.6f),
	TXT(3, 79, 95.6f, 5, 9, "TRACKING #", .bold = true),
	BAR(5, 85, 91.6f, 22, LSYM_CODE128, 0.375f, 0.25f, "{tracking}",
	    .align = LALIGN_CENTER),
	TXT(3, 108, 95.6f, 6, 12, "{tracking}", .bold = true,
	    .align = LALIGN_CENTER),
	HLINE(0, 115, 101.6f),
	BAR(3, 117, 32, 32, LSYM_QR, 0.75f, 0.375f, "{_qr}",
	    .about = "qr"),
	TXT(37, 117, 61, 6, 9, "Order {order_ref}", .when = "order_ref",
	    .min_pt = 6),
	TXT(37, 123, 61, 6, 9, "Weight {weight_kg} kg",
	    .when = "weight_kg"),
	TXT(37, 129, 61, 20, 8, "{items}", .when = "items", .wrap = true,
	    .min_pt = 6),
	END,
};

/* Chinese e-waybill: the upper part for the parcel, a tear-off stub. */
static const struct label_el ewaybill_100x180[] = {
	TXT(2, 2, 60, 8, 14, "{carrier}", .bold = true, .min_pt = 9),
	TXT(62, 2, 36, 8, 11, "代收 {cod}", .when = "cod", .bold = true,
	    .align = LALIGN_RIGHT, .min_pt = 7),
	TXT(2, 11, 96, 16, 36, "{sort_code}", .bold = true, .invert = true,
	    .align = LALIGN_CENTER, .min_pt = 16),
	HLINE(0, 28, 100),
	BAR(5, 30, 90, 16, LSYM_CODE128, 0.375f, 0.25f, "{tracking}",
	    .align = LALIGN_CENTER),
	TXT(2, 47, 96, 5, 11, "{tracking}", .bold = true,
	    .align = LALIGN_CENTER),
	HLINE(0, 53, 100),
	TXT(2, 55, 8, 8, 16, "收", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(12, 54, 86, 7, 13, "{receiver.name}  {receiver.phone}",
	    .bold = true, .min_pt = 9),
	TXT(12, 61, 86, 16, 11, "{receiver.address}", .wrap = true,
	    .min_pt = 7),
	HLINE(0, 78, 100),
	TXT(2, 80, 8, 8, 16, "寄", .bold = true, .invert = true,
	    .align = LALIGN_CENTER),
	TXT(12, 79, 86, 6, 10, "{sender.name}  {sender.phone}",
	    .min_pt = 7),
	TXT(12, 85, 86, 9, 8, "{sender.address}", .wrap = true,
	    .min_pt = 6),
	HLINE(0, 95, 100),
	TXT(2, 96, 70, 13, 8, "内件 {items}", .when = "items", .wrap = true,
	    .min_pt = 6),
	VLINE(73, 95, 15),
	TXT(75, 96, 23, 6, 9, "{weight_kg} kg", .when = "weight_kg",
	    .align = LALIGN_RIGHT),
	HLINE(0, 110, 100),
	HLINE(0, 111, 100),
	BAR(2, 113, 64, 12, LSYM_CODE128, 0.25f, 0.25f, "{tracking}",
	    .align = LALIGN_CENTER),
	TXT(2, 126, 64, 5, 9, "{tracking}", .align = LALIGN_CENTER),
	BAR(70, 112, 28, 28, LSYM_QR, 0.5f, 0.375f, "{_qr}",
	    .align = LALIGN_RIGHT),
	TXT(2, 132, 66, 6, 9, "收 {receiver.name}  {receiver.phone}",
	    .bold = true, .min_pt = 7),
	TXT(2, 141, 96, 13, 8, "{receiver.address}", .wrap = true,
	    .min_pt = 6),
	TXT(2, 155, 96, 6, 8, "寄 {sender.name}  {sender.phone}",
	    .min_pt = 6),
	TXT(2, 162, 96, 6, 8, "订单 {order_ref}", .when = "order_ref",
	    .min_pt = 6),
	TXT(2, 169, 96, 9, 7, "{items}", .when = "items", .wrap = true,
	    .min_pt = 6),
	END,
};

static const struct label_field sscc_fields[] = {
	{ "sscc", LF_CODE, true, 18 },
	{ "gtin", LF_CODE, false, 14 },
	{ "count", LF_CODE, false, 8 },
	{ "lot", LF_TEXT, false, 20 },
	{ "expiry", LF_CODE, false, 10 },
	{ "ship_from.name", LF_TEXT, false, 100 },
	{ "ship_from.address", LF_TEXT, false, 300 },
	{ "ship_to.name", LF_TEXT, false, 100 },
	{ "ship_to.address", LF_TEXT, false, 300 },
	{ NULL, LF_TEXT, false, 0 },
};

static const struct label_el sscc_els[] = {
	TXT(2, 2, 46, 5, 7, "FROM 发货"),
	TXT(2, 7, 46, 6, 10, "{ship_from.name}", .bold = true, .min_pt = 7),
	TXT(2, 13, 46, 14, 8, "{ship_from.address}", .wrap = true,
	    .min_pt = 6),
	VLINE(50, 0, 28),
	TXT(52, 2, 46, 5, 7, "TO 收货"),
	TXT(52, 7, 46, 6, 10, "{ship_to.name}", .bold = true, .min_pt = 7),
	TXT(52, 13, 46, 14, 8, "{ship_to.address}", .wrap = true,
	    .min_pt = 6),
	HLINE(0, 28, 100),
	TXT(2, 30, 30, 5, 8, "SSCC"),
	TXT(2, 35, 96, 9, 20, "{sscc}", .bold = true),
	TXT(2, 46, 48, 5, 8, "CONTENT / GTIN", .when = "gtin"),
	TXT(2, 51, 48, 7, 12, "{_gtin14}", .bold = true, .when = "gtin"),
	TXT(52, 46, 46, 5, 8, "COUNT", .when = "count"),
	TXT(52, 51, 46, 7, 12, "{count}", .bold = true, .when = "count"),
	TXT(2, 60, 48, 9, 10, "LOT {lot}", .when = "lot", .min_pt = 7),
	TXT(52, 60, 46, 9, 10, "BEST BEFORE {_exp_hri}", .when = "_exp_hri",
	    .min_pt = 7),
	HLINE(0, 70, 100),
	BAR(2, 73, 96, 25, LSYM_GS1_128, 0.5f, 0.25f, "{_gs1_2}",
	    .align = LALIGN_CENTER, .when = "_gs1_2",
	    .about = "gtin/count/lot/expiry"),
	TXT(2, 99, 96, 6, 10, "{_hri_2}", .align = LALIGN_CENTER,
	    .when = "_gs1_2", .min_pt = 7),
	BAR(2, 108, 96, 30, LSYM_GS1_128, 0.5f, 0.25f, "{_gs1_sscc}",
	    .align = LALIGN_CENTER, .about = "sscc"),
	TXT(2, 140, 96, 7, 12, "{_hri_sscc}", .bold = true,
	    .align = LALIGN_CENTER),
	END,
};

static const struct label_field location_fields[] = {
	{ "code", LF_CODE, true, 30 },
	{ "zone", LF_TEXT, false, 40 },
	{ "description", LF_TEXT, false, 80 },
	{ NULL, LF_TEXT, false, 0 },
};

static const struct label_el location_els[] = {
	TXT(2, 1.5f, 40, 6, 9, "{zone}", .min_pt = 6),
	TXT(42, 1.5f, 56, 6, 9, "{description}", .align = LALIGN_RIGHT,
	    .min_pt = 6),
	TXT(2, 7, 96, 20, 40, "{code}", .bold = true, .align = LALIGN_CENTER,
	    .min_pt = 16),
	BAR(2, 28, 96, 20, LSYM_CODE128, 0.5f, 0.25f, "{code}",
	    .align = LALIGN_CENTER),
	END,
};

static const struct label_field product_fields[] = {
	{ "name", LF_TEXT, true, 200 },
	{ "gtin", LF_CODE, true, 14 },
	{ "lot", LF_TEXT, false, 20 },
	{ "expiry", LF_CODE, false, 10 },
	{ "sku", LF_TEXT, false, 40 },
	{ "spec", LF_TEXT, false, 60 },
	{ NULL, LF_TEXT, false, 0 },
};

static const struct label_el product_els[] = {
	TXT(2, 1.5f, 66, 12, 12, "{name}", .bold = true, .wrap = true,
	    .min_pt = 7),
	TXT(2, 14, 40, 5, 8, "{spec}", .min_pt = 6),
	TXT(42, 14, 26, 5, 8, "{sku}", .align = LALIGN_RIGHT, .min_pt = 6),
	BAR(2, 20, 44, 19, LSYM_EAN13, 0.33f, 0.25f, "{_ean13}",
	    .when = "_ean13", .about = "gtin"),
	TXT(2, 39.5f, 44, 5, 9, "{_ean13}", .align = LALIGN_CENTER,
	    .when = "_ean13"),
	BAR(48, 20, 20, 20, LSYM_GS1_DATAMATRIX, 0.5f, 0.25f, "{_gs1_dm}",
	    .align = LALIGN_RIGHT, .when = "_gs1_dm",
	    .about = "gtin/lot/expiry"),
	TXT(2, 45, 33, 4.5f, 8, "LOT {lot}", .when = "lot", .min_pt = 6),
	TXT(35, 45, 33, 4.5f, 8, "EXP {_exp_hri}", .when = "_exp_hri",
	    .align = LALIGN_RIGHT, .min_pt = 6),
	END,
};

static const struct label_type types[] = {
	{ { "carrier-100x150", "carrier label, 100x150 mm", 100, 150 },
	  carrier_fields, carrier_100x150, prepare_carrier },
	{ { "ewaybill-100x180", "Chinese e-waybill with stub, 100x180 mm",
	    100, 180 },
	  carrier_fields, ewaybill_100x180, prepare_carrier },
	{ { "carrier-4x6", "carrier label, 4x6 in", 101.6f, 152.4f },
	  carrier_fields, carrier_4x6, prepare_carrier },
	{ { "sscc", "GS1-128 SSCC logistic label, 100x150 mm", 100, 150 },
	  sscc_fields, sscc_els, prepare_sscc },
	{ { "location", "bin location label, 100x50 mm", 100, 50 },
	  location_fields, location_els, NULL },
	{ { "product", "product/lot label, 70x50 mm", 70, 50 },
	  product_fields, product_els, prepare_product },
};

size_t label_type_count(void)
{
	return sizeof(types) / sizeof(types[0]);
}

const struct label_type_info *label_type_at(size_t i)
{
	return i < label_type_count() ? &types[i].info : NULL;
}

const struct label_type *label_type_find(const char *name)
{
	size_t i;

	for (i = 0; i < label_type_count(); i++)
		if (!strcmp(types[i].info.name, name))
			return &types[i];
	return NULL;
}
