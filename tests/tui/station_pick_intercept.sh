#!/bin/sh
# Interception mid-pick at 20x16: the first line is picked into the tote;
# while the picker is on the second task the order is intercepted (psql
# calls the engine, which sends NOTIFY wharf_intercept): the red alert
# shows the put-back location, the task is abandoned, and the next task is
# the put-back of the units already in the tote.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin) gtin1=$(task_field 1 barcode) lot1=$(task_field 1 lot)
bin2=$(task_field 2 bin)

start 20 16 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234
wait_for "Main menu"
keys 1
wait_for "Go to $bin1"
typed "$bin1"
keys Enter
typed "[01]0$gtin1[10]$lot1[30]2"
keys Enter
wait_for "Enter = 2"
keys Enter
wait_for "Go to $bin2"
typed "$bin2"
keys Enter
wait_for "Scan item"
q "SELECT wharf.intercept($order, 'buyer cancelled', gen_random_uuid())" \
	>/dev/null
wait_for "INTERCEPTED"
wait_for "Order $order"
wait_for "Put back location:"
wait_for "$bin2"
keys Enter                      # next: the put-back task
wait_for "Put back"
wait_for "Into $bin1"
wait_for "From tote T"
typed "$bin1"
keys Enter
wait_for "Enter = 2"
keys Enter
wait_for "No pick tasks"
[ "$(q "SELECT state FROM wharf.pick_task WHERE kind = 'putback'")" = done ] ||
	fail "put-back not done"
[ "$(q "SELECT sum(qty_picked) FROM wharf.order_line
	WHERE order_id = $order")" = 0 ] || fail "units still picked"
verify
echo ok
