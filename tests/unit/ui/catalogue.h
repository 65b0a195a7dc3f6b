/*
 * catalogue.h - where the zh_CN catalogue of this build is, for the UI
 * tests that check translated text. Header-only: each test_*.c is built
 * on its own.
 */
#ifndef WHARF_TESTS_UI_CATALOGUE_H
#define WHARF_TESTS_UI_CATALOGUE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "ui/i18n.h"

/* The catalogue built by ui/po: next to the wharf binary CTest names
 * in $WHARF_BIN. False when there is none (the caller skips). */
static inline bool find_catalogue(char *dir, size_t n)
{
	const char *bin = getenv("WHARF_BIN");
	char mo[PATH_MAX];
	struct stat st;

	if (!bin || i18n_localedir(NULL, bin, dir, n) != WH_OK)
		return false;
	snprintf(mo, sizeof(mo), "%s/zh_CN/LC_MESSAGES/wharf.mo", dir);
	return stat(mo, &st) == 0;
}

#endif
