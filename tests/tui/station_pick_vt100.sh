#!/bin/sh
# The pick flow on TERM=vt100 (monochrome) at 80x24, the desk layout, and
# the interception alert drawn without colour.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin) gtin1=$(task_field 1 barcode) lot1=$(task_field 1 lot)
bin2=$(task_field 2 bin)

STATION_TERM=vt100
start 80 24 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234
wait_for "Main menu"
keys 1
wait_for "Go to $bin1"
wait_for "Quantity"
wait_for "Expiry"
typed "$bin1"
keys Enter
typed "[01]0$gtin1[10]$lot1[30]2"
keys Enter
wait_for "Enter = 2"
keys Enter
wait_for "Go to $bin2"
q "SELECT wharf.intercept($order, 'refund', gen_random_uuid())" >/dev/null
wait_for "INTERCEPTED"
wait_for "Put back location:"
keys Enter
wait_for "Put back"
wait_for "Into $bin1"
verify
echo ok
