#!/bin/sh
# The supervisor (lead, U0002) at 80x24 releases a multi-item wave: orders
# are allocated first with the engine's wharf.allocate; the form's limits
# are edited, the preview counts the eligible orders, Enter releases the
# wave with engine_release_wave, and the result names the wave.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
# Allocate the SH shop's new orders (those the stock covers end up
# allocated; the rest wait).
q "SELECT count(wharf.allocate(o.id, gen_random_uuid(),
	(SELECT id FROM wharf.app_user WHERE login = 'lead')))
	FROM wharf.sales_order o JOIN wharf.warehouse w
	ON w.id = o.warehouse_id AND w.code = 'SH' WHERE o.state = 'new'" \
	>/dev/null
eligible=$(q "SELECT count(*) FROM (SELECT so.id FROM wharf.sales_order so
	JOIN wharf.order_line l ON l.order_id = so.id
	JOIN wharf.warehouse w ON w.id = so.warehouse_id AND w.code = 'SH'
	WHERE so.state = 'allocated' AND so.intercepted_at IS NULL
	GROUP BY so.id HAVING sum(l.qty) = sum(l.qty_allocated)
	AND sum(l.qty) >= 2) x")
[ "$eligible" -ge 2 ] || fail "only $eligible multi-item orders allocated"

# lead's own language is Chinese: English for this test's texts
q "UPDATE wharf.app_user SET language = 'en' WHERE login = 'lead'"
start 80 24 "$(station --lang en)"
wait_for "wharf login"
login U0002 1234                # lead (supervisor)
wait_for "Main menu"
typed w                         # Wave release
wait_for "Strategy"
wait_for "< Multi item >"
keys Down                       # Max orders: 20 -> 2
keys BSpace BSpace
typed 2
wait_for "Enter: preview"
keys Enter
wait_for "2 orders,"
wait_for "$eligible orders ready in all"
keys Enter                      # release
wait_for "released"
wave=$(q "SELECT max(id) FROM wharf.wave")
[ -n "$wave" ] || fail "no wave"
wait_for "Wave $wave released"
[ "$(q "SELECT count(*) FROM wharf.wave_order WHERE wave_id = $wave")" = 2 ] ||
	fail "wave has not 2 orders"
tasks=$(q "SELECT count(*) FROM wharf.pick_task WHERE wave_id = $wave")
[ "$tasks" -ge 2 ] || fail "no pick tasks"
$T capture-pane -p | grep -E "Pick tasks +$tasks" >/dev/null ||
	fail "tasks not shown"
[ "$(q "SELECT count(*) FROM wharf.sales_order so JOIN wharf.wave_order wo
	ON wo.order_id = so.id WHERE wo.wave_id = $wave
	AND so.state = 'released'")" = 2 ] || fail "orders not released"
verify
keys Enter                      # back to the form
wait_for "< Multi item >"
keys F10
wait_for "Main menu"
echo ok
