#!/bin/sh
# The pack desk at 80x24, end to end: a two-line order (2 + 1 units)
# picked with the engine's SQL functions; packer1 (Chinese UI) scans the
# tote, scans a unit that is not in the order (refused, the order stays
# open), verifies all three units, types the weight, and Enter prints the
# carrier label to a loopback raw-TCP printer and ships. Checked: the
# bytes the printer got (one ZPL job, ^XA...^XZ), the shipment row with
# the same label stored, the ship-confirm outbox row, `wharf db verify`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
. "$(dirname "$0")/pack_lib.sh"
: "${WHARF_TCP_SINK:?}"
make_db
order=$(make_picked_order)
[ -n "$order" ] || fail "no picked order"
no=$(q "SELECT platform_order_id FROM wharf.sales_order WHERE id = $order")
tote=$(q "SELECT t.code FROM wharf.wave_order wo JOIN wharf.tote t
	ON t.id = wo.tote_id WHERE wo.order_id = $order")
gtin1=$(line_field "$order" 1 gtin) sku1=$(line_field "$order" 1 sku)
gtin2=$(line_field "$order" 2 gtin) sku2=$(line_field "$order" 2 sku)
wrong=$(other_gtin "$order")

OUT=/tmp/$SOCK.label PORTF=/tmp/$SOCK.port
rm -f "$OUT" "$PORTF"
"$WHARF_TCP_SINK" "$PORTF" "$OUT" 1 60 &
sink=$!
i=0
while [ ! -s "$PORTF" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$PORTF")
[ -n "$port" ] || fail "the loopback printer did not start"

start 80 24 "$(station --printer "tcp://127.0.0.1:$port")"
wait_for "wharf login"
login U2001 1234                # packer1, Chinese
wait_for "主菜单"
keys k                          # the menu key of Pack
wait_for "扫描周转箱、订单号或运单号"
typed "$tote"
keys Enter
wait_for "订单 $no"
wait_for "$sku1"
wait_for "$sku2"
wait_for "0/2"
typed "$wrong"                  # not in the order: refused, order open
keys Enter
wait_for "不在订单 $no 中"         # WRONG_ITEM, in the packer's Chinese
typed "$gtin1"
keys Enter
wait_for "1/2"
typed "$gtin1"
keys Enter
wait_for "2/2"
typed "$gtin2"
keys Enter
wait_for "全部验货完成"
wait_for "纸箱 C"
typed "1.25"
keys Enter
wait_for "已发货 SF"
tracking=$(q "SELECT tracking_no FROM wharf.shipment WHERE order_id = $order")
wait_for "$tracking"
wait "$sink" || fail "the printer did not get exactly one job"

# the printer got one ZPL job, and it is what the database stored
head -c 3 "$OUT" | grep -q '^^XA' || fail "the job does not start with ^XA"
tail -c 4 "$OUT" | grep -q '\^XZ' || fail "the job does not end with ^XZ"
grep -q '\^GFA' "$OUT" || fail "no graphic field in the job"
sent=$(od -An -v -tx1 "$OUT" | tr -d ' \n')
stored=$(q "SELECT encode(label, 'hex') FROM wharf.shipment
	WHERE order_id = $order AND state = 'shipped' AND label_format = 'zpl'
	AND weight_g = 1250 AND carton LIKE 'C%'")
[ -n "$stored" ] || fail "no shipment with its label"
[ "$sent" = "$stored" ] || fail "the stored label differs from the job sent"
case "$tracking" in
SF[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;;
*) fail "tracking number $tracking is not SF + 12 digits" ;;
esac
[ "$(q "SELECT count(*) FROM wharf.outbox WHERE order_id = $order
	AND kind = 'ship_confirm' AND payload->>'tracking_no' = '$tracking'")" \
	= 1 ] || fail "no ship-confirm outbox row"
[ "$(q "SELECT state FROM wharf.sales_order WHERE id = $order")" = shipped ] ||
	fail "order not shipped"
verify
rm -f "$OUT" "$PORTF"
echo ok
