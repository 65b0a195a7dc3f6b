#!/bin/sh
# A short pick at 40x8: the picker finds 1 of 2 units (F2), the engine
# reallocates the rest or raises an exception and asks for a count of the
# bin; the task is closed short and the next task comes up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin) id1=$(task_field 1 id)

start 40 8 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234
wait_for "Main menu"
keys 1
wait_for "Go to $bin1"
wait_for "Qty 2"
typed "$bin1"
keys Enter
wait_for "Scan item"
keys F2
wait_for "Units found"
typed 1
keys Enter
wait_for "Short 1:"
wait_for "Go to"
[ "$(q "SELECT state FROM wharf.pick_task WHERE id = $id1")" = short ] ||
	fail "task not short"
[ "$(q "SELECT count(*) FROM wharf.count_task ct JOIN wharf.location l
	ON l.id = ct.location_id WHERE l.code = '$bin1'")" -ge 1 ] ||
	fail "no count task for the bin"
verify
keys F3                         # skip the next task with a reason
wait_for "Skip: why?"
keys 2
wait_for "Task skipped"
[ "$(q "SELECT count(*) FROM wharf.audit_log WHERE action = 'pick_skip'")" = 1 ] ||
	fail "skip not audited"
verify
echo ok
