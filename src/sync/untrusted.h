/*
 * untrusted.h - make text from outside (marketplaces, buyers) safe to
 * store and to draw on a terminal.
 *
 * The output is valid UTF-8 with no C0 or C1 control characters, no
 * terminal escape sequences (ESC/CSI/OSC/DCS/SOS/PM/APC, 7- and 8-bit
 * forms), no bidirectional embedding/override/isolate controls, and no
 * more than cap bytes, cut at a character boundary. Invalid UTF-8
 * (overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences) becomes U+FFFD, one per offending byte. Tab, CR and LF
 * become a single space so that words stay apart. Pure; used by the
 * sync parsers and by the UI.
 */
#ifndef WHARF_SYNC_UNTRUSTED_H
#define WHARF_SYNC_UNTRUSTED_H

#include <stdbool.h>
#include <stddef.h>

#define UNTRUSTED_FIELD_MAX 1024   /* default cap for one field, bytes */
#define UNTRUSTED_ADDRESS_MAX 2048 /* cap for an address or remark */

/*
 * Cleans len bytes of in (which may contain NULs) into out, writing at
 * most cap bytes plus a NUL; out must hold cap + 1 bytes. Returns the
 * number of bytes written (without the NUL). *truncated, if not NULL,
 * says whether input was dropped for lack of room.
 */
size_t untrusted_clean_into(const char *in, size_t len, char *out, size_t cap,
			    bool *truncated);

/*
 * As untrusted_clean_into() into a new malloc'd string owned by the
 * caller. Returns NULL only when memory runs out.
 */
char *untrusted_clean(const char *in, size_t len, size_t cap, bool *truncated);

/* True when s[0..len) is already what untrusted_clean() would return. */
bool untrusted_is_clean(const char *s, size_t len);

#endif
