#!/bin/sh
# TERM=vt100 (monochrome), and the same flow at 40x8.
. "$(dirname "$0")/lib.sh"
make_db
STATION_TERM=vt100
start 40 8 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234
wait_for "Main menu"
typed s
wait_for "SKU, bin or lot"
keys F2
wait_for "Stock summary"
wait_for "1/6"
keys Tab
wait_for "2/6"
keys Escape
wait_for "SKU, bin or lot"
keys Escape
wait_for "Main menu"
echo ok
