#!/bin/sh
# Interception at the pack desk, 80x24: (1) an order intercepted before
# the packer scans it ("refund requested", psql calls wharf.intercept) is
# refused at the first scan with the full-screen alert naming the reason,
# the 3 units and the tote to put them back to; (2) an order intercepted
# after its units were verified, while the packer is at the weight step
# (the NOTIFY reaches the desk), shows the same alert: nothing is printed
# or shipped for either.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
. "$(dirname "$0")/pack_lib.sh"
make_db
o1=$(make_picked_order)
[ -n "$o1" ] || fail "no picked order"
# out of make_pick_wave's way (it takes the TUI-* orders)
q "UPDATE wharf.sales_order SET platform_order_id = 'INT-' || id
	WHERE id = $o1" >/dev/null
no1=$(q "SELECT platform_order_id FROM wharf.sales_order WHERE id = $o1")
tote1=$(q "SELECT t.code FROM wharf.wave_order wo JOIN wharf.tote t
	ON t.id = wo.tote_id WHERE wo.order_id = $o1")
q "SELECT wharf.intercept($o1, 'refund requested', gen_random_uuid())" \
	>/dev/null

# the second order: released and picked after the first
o2=$(make_picked_order)
[ -n "$o2" ] || fail "no second order"
no2=$(q "SELECT platform_order_id FROM wharf.sales_order WHERE id = $o2")
g1=$(line_field "$o2" 1 gtin) g2=$(line_field "$o2" 2 gtin)

start 80 24 "$(station --printer tcp://127.0.0.1:9)"
wait_for "wharf login"
login U2001 1234
wait_for "主菜单"
keys k
wait_for "扫描周转箱、订单号或运单号"
typed "$no1"
keys Enter
wait_for "refund requested —— 3 件，放回 $tote1"
wait_for "订单 $no1"
screen_has_not "已发货"
keys Enter                       # back to the scan prompt
wait_for "扫描周转箱、订单号或运单号"

typed "$no2"
keys Enter
wait_for "订单 $no2"
typed "$g1"
keys Enter
wait_for "1/2"
typed "$g1"
keys Enter
wait_for "2/2"
typed "$g2"
keys Enter
wait_for "全部验货完成"
q "SELECT wharf.intercept($o2, 'refund requested', gen_random_uuid())" \
	>/dev/null
wait_for "refund requested —— 3 件，放回"
wait_for "订单 $no2"
keys Enter
wait_for "扫描周转箱、订单号或运单号"
[ "$(q "SELECT count(*) FROM wharf.shipment
	WHERE order_id IN ($o1, $o2)")" = 0 ] || fail "an intercepted order shipped"
[ "$(q "SELECT count(*) FROM wharf.outbox
	WHERE order_id IN ($o1, $o2)")" = 0 ] || fail "an outbox row was written"
verify
echo ok
