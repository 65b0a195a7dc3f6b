#!/bin/sh
# A picker at 20x16 picks a two-line order of a released wave with scans
# typed as keystrokes: a wrong bin and a wrong lot are refused naming what
# is expected (the lot by the engine), the first line comes from a GS1
# scan (GTIN + lot + count), the second from the unit barcode with the
# lot typed, and the order ends up picked with the ledger intact.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin) gtin1=$(task_field 1 barcode)
lot1=$(task_field 1 lot) bad1=$(other_lot 1)
bin2=$(task_field 2 bin) gtin2=$(task_field 2 barcode) lot2=$(task_field 2 lot)

start 20 16 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234                # picker3, English
wait_for "Main menu"
keys 1                          # Pick
wait_for "Go to $bin1"
wait_for "1/2"
typed "Z-99-99-9"
keys Enter
wait_for "Wrong bin"
typed "$bin1"
keys Enter
wait_for "Scan item"
typed "[01]0$gtin1[10]$bad1[30]2"
keys Enter
wait_for "Enter = 2"
keys Enter
wait_for "Wrong lot"                # the engine's WRONG_LOT, translated
wait_for "$lot1"
[ "$(task_field 1 state)" = claimed ] || fail "wrong lot was picked"
wait_for "Scan lot"
typed "$lot1"
keys Enter
wait_for "Enter = 2"
keys Enter
wait_for "Go to $bin2"
wait_for "2 into T"
typed "$bin2"
keys Enter
wait_for "Scan item"
typed "$gtin2"
keys Enter
wait_for "Scan the lot"
typed "$lot2"
keys Enter
wait_for "Enter = 1"
keys Enter
wait_for "No pick tasks"
[ "$(q "SELECT state FROM wharf.sales_order WHERE id = $order")" = picked ] ||
	fail "order not picked"
[ "$(q "SELECT count(*) FROM wharf.pick_task WHERE state = 'done'")" = 2 ] ||
	fail "tasks not done"
verify
keys Escape
wait_for "Main menu"
echo ok
