#!/bin/sh
# `wharf scan decode` end to end: valid scans answer JSON with typed values
# and exit 0; invalid ones name the exact fault and exit 1; hostile bytes
# never crash it and never come back out raw (a terminal escape in a lot
# number is escaped in the JSON); usage errors exit 2.
set -eu
wharf=$1
fail() { echo "FAIL: $*"; exit 1; }

out=$("$wharf" scan decode --today 2026-11-25 '(01)09506000134352(17)130200(10)AB12')
echo "$out" | grep -q '"value": "2013-02-28"' || fail "DD=00 date: $out"
echo "$out" | grep -q '"bracketed": "\[01\]09506000134352\[17\]130200\[10\]AB12"' || fail "bracketed: $out"

# A GS1-128 scan as a wedge scanner sends it: AIM id, GS before the serial.
out=$("$wharf" scan decode --aim ']C1' '0109506000134352\x1d10LOT7\x1d21S1')
echo "$out" | grep -q '"value": "LOT7"' || fail "GS-separated lot: $out"
# The same with a printable GS substitute configured.
out=$("$wharf" scan decode --aim ']C1' --gs '~' '010950600013435210LOT7~21S1')
echo "$out" | grep -q '"value": "S1"' || fail "GS substitute: $out"
# A Digital Link URI.
out=$("$wharf" scan decode 'https://id.gs1.org/01/09506000134352/10/AB12?17=251231')
echo "$out" | grep -q '"value": "2025-12-31"' || fail "digital link: $out"

rc=0; out=$("$wharf" scan decode '(01)09506000134353') || rc=$?
[ $rc -eq 1 ] || fail "bad check digit exit $rc"
echo "$out" | grep -q 'AI 01: check digit 3, expected 2' || fail "check digit message: $out"
rc=0; out=$("$wharf" scan decode '(01)09506000134352(17)131301') || rc=$?
[ $rc -eq 1 ] || fail "bad month exit $rc"
echo "$out" | grep -q 'AI 17: month 13' || fail "month message: $out"

# An escape sequence inside a lot number comes back escaped, never raw.
out=$(printf '(01)09506000134352(10)A\033[2JB' | "$wharf" scan decode - || true)
printf '%s' "$out" | grep -q "$(printf '\033')" && fail "raw ESC in output"

# Hostile bytes on stdin: any answer, but a clean one (ASan would abort).
i=0
while [ $i -lt 20 ]; do
	rc=0
	head -c $((i * 500 + 1)) /dev/urandom | "$wharf" scan decode - >/dev/null || rc=$?
	[ $rc -le 1 ] || fail "random input exit $rc"
	i=$((i + 1))
done

rc=0; "$wharf" scan decode >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "usage exit $rc"
echo "scan decode: ok"
