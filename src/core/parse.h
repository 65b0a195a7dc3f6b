/*
 * parse.h - strict number parsing for arguments and configuration
 * (strtol with every check, instead of atoi).
 */
#ifndef WHARF_CORE_PARSE_H
#define WHARF_CORE_PARSE_H

#include <stdbool.h>

/* True and *out set when s is a whole decimal number in [min, max] with
 * nothing else around it. */
bool parse_long(const char *s, long min, long max, long *out);

#endif
