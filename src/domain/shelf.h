/*
 * shelf.h - calendar days and the one ship-by rule.
 *
 * Pure functions, no global state, no allocation: every argument is a value
 * or a caller-owned buffer. Thread-safe.
 *
 * DAYS
 * A date is an int32_t day number: days since 1970-01-01 (day 0), negative
 * before it, proleptic Gregorian calendar, valid for 0001-01-01
 * (SHELF_DAY_MIN) to 9999-12-31 (SHELF_DAY_MAX). In PostgreSQL the same
 * number is `d - DATE '1970-01-01'` and a day number n is
 * `DATE '1970-01-01' + n`. "Today" is always an argument: which calendar
 * day it is in the warehouse's time zone is the caller's decision
 * (shelf_day_from_unix() helps).
 *
 * THE SHIP-BY RULE (invariant 3 of DESIGN.md; the SQL mirrors it exactly)
 * The expiry date of a lot is the last day on which it is still usable: a
 * lot printed "EXP 2025-03-01" is good on 2025-03-01 and expired on
 * 2025-03-02. Hence
 *
 *     expired(D)          <=>  D > expiry_day
 *     remaining_days(D)    =   expiry_day - D
 *     ship_by_day          =   expiry_day - min_remaining_days
 *     sellable(D)         <=>  D <= ship_by_day
 *                         <=>  expiry_day - D >= min_remaining_days
 *
 * "Sellable" covers allocate, pick and ship alike: one rule, evaluated with
 * D = the day the action happens, so a lot allocated on its ship-by day and
 * picked the next day is refused at pick (and reallocated), never shipped.
 * A lot that "expires today" (expiry_day == D) is not expired, and is
 * sellable only when min_remaining_days is 0; with min_remaining_days >= 1
 * its last sellable day was expiry_day - min_remaining_days. With
 * min_remaining_days = 0 the ship-by day is the expiry day itself: the
 * formula never lets an expired lot out, and needs no special case.
 *
 * Why inclusive: GS1 AI (17) and printed use-by dates name the last good
 * day, and "remaining shelf life >= N days" is then the natural reading of a
 * marketplace's rule ("at least 30 days left when shipped").
 *
 * EFFECTIVE MINIMUM REMAINING LIFE
 *     min_remaining_days = GREATEST(sku_min, channel_min)
 * The SKU's value is the warehouse's floor (brand contract, regulation);
 * a shop or channel override may only make it stricter (a Tmall
 * baby-formula shop asking 180 days beats the SKU's 30), never looser.
 * A missing override (SQL NULL, here any negative value) leaves the SKU's.
 * GREATEST() in PostgreSQL ignores NULLs, so the SQL is literally
 * GREATEST(sku.min_remaining_days, shop.min_remaining_days).
 *
 * SQL mirror:
 *     ship_by  := lot.expiry - GREATEST(sku.min_rem, shop.min_rem);  -- date
 *     sellable := lot.expiry IS NULL OR current_date <= ship_by;
 * (whether a lot without an expiry is eligible is the caller's policy;
 * alloc.h refuses it for FEFO SKUs).
 */
#ifndef WHARF_DOMAIN_SHELF_H
#define WHARF_DOMAIN_SHELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SHELF_DAY_MIN (-719162) /* 0001-01-01 */
#define SHELF_DAY_MAX 2932896	/* 9999-12-31 */
#define SHELF_ISO_SIZE 11	/* "YYYY-MM-DD" and its NUL */

/* True for Gregorian leap years (divisible by 4, not by 100 unless by 400). */
bool shelf_is_leap(int32_t year);

/* 28..31, or 0 when month is not 1..12. */
int shelf_days_in_month(int32_t year, int month);

/*
 * Day number of year-month-day. WH_ERR_INVALID (and *day untouched) unless
 * year is 1..9999, month 1..12 and day exists in that month
 * (2023-02-29 is refused, 2024-02-29 accepted).
 */
enum wh_err shelf_day_from_ymd(int32_t year, int month, int mday, int32_t *day,
			       struct wh_error *e);

/* The inverse. WH_ERR_INVALID when day is outside SHELF_DAY_MIN..MAX. */
enum wh_err shelf_day_to_ymd(int32_t day, int32_t *year, int *month, int *mday,
			     struct wh_error *e);

/*
 * Parses exactly "YYYY-MM-DD" (ISO 8601 extended, no time, no spaces).
 * Example: shelf_day_parse("2024-02-29", &d, &err) sets d = 19782.
 */
enum wh_err shelf_day_parse(const char *iso, int32_t *day, struct wh_error *e);

/*
 * Writes "YYYY-MM-DD" and a NUL into buf, which must hold SHELF_ISO_SIZE
 * bytes. WH_ERR_INVALID for a day out of range or a short buffer (buf is
 * then set to "" when size > 0).
 */
enum wh_err shelf_day_format(int32_t day, char *buf, size_t size,
			     struct wh_error *e);

/*
 * The calendar day of a Unix time in a zone utc_offset_seconds east of UTC
 * (Asia/Shanghai: 28800): floor((t + offset) / 86400). WH_ERR_INVALID when
 * the result is outside SHELF_DAY_MIN..MAX.
 */
enum wh_err shelf_day_from_unix(int64_t unix_seconds,
				int32_t utc_offset_seconds, int32_t *day,
				struct wh_error *e);

/*
 * GREATEST(sku_min, channel_min), with negative values meaning "not set"
 * (so the result is never below 0).
 */
int32_t shelf_effective_min(int32_t sku_min, int32_t channel_min);

/*
 * expiry_day - min_remaining_days; a negative min counts as 0. Saturates
 * at INT32_MIN instead of overflowing.
 */
int32_t shelf_ship_by(int32_t expiry_day, int32_t min_remaining_days);

/* today <= shelf_ship_by(expiry_day, min_remaining_days). */
bool shelf_sellable(int32_t expiry_day, int32_t min_remaining_days,
		    int32_t today);

/* today > expiry_day. */
bool shelf_expired(int32_t expiry_day, int32_t today);

/* Near-expiry boards, most severe last. */
enum shelf_status {
	SHELF_OK,	   /* sellable, ship-by more than warn_days away */
	SHELF_NEAR,	   /* sellable, ship-by within warn_days (inclusive) */
	SHELF_UNSHIPPABLE, /* past ship-by, not yet expired */
	SHELF_EXPIRED,	   /* past expiry */
};

/*
 * Classifies a lot on day today:
 *     EXPIRED      today > expiry_day
 *     UNSHIPPABLE  today > ship_by_day
 *     NEAR         ship_by_day - today <= warn_days   (0 = last sellable day)
 *     OK           otherwise
 * A negative warn_days never yields NEAR.
 */
enum shelf_status shelf_classify(int32_t expiry_day, int32_t min_remaining_days,
				 int32_t today, int32_t warn_days);

/* "ok", "near", "unshippable", "expired"; a static string. */
const char *shelf_status_name(enum shelf_status s);

#endif
