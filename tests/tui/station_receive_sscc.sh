#!/bin/sh
# A receiver at 80x24 on a station that labels what it receives
# (station.receive_labels, a loopback raw-TCP printer, a GS1 company
# prefix for the warehouse) receives a GS1 case blind: the receipt is
# booked, an SSCC is issued and its logistic label printed. Checked: the
# printer got one ZPL job with a graphic field, the screen shows the
# SSCC, the SSCC row belongs to the receipt and has a valid GS1 check
# digit, `wharf db verify`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
# tests/tui/CMakeLists.txt passes the loopback printer to the pack
# scripts only; the station_* scripts find it next to the binary.
: "${WHARF_TCP_SINK:=$(dirname "$WHARF_BIN")/tests/tui/wharf-tcp-sink}"
[ -x "$WHARF_TCP_SINK" ] || fail "no loopback printer $WHARF_TCP_SINK"
make_db
case_code=$(q "SELECT b.code FROM wharf.barcode b JOIN wharf.sku s
	ON s.id = b.sku_id WHERE b.kind = 'case' AND s.lot_control = 'fefo'
	ORDER BY b.code LIMIT 1")
pack=$(q "SELECT pack_qty FROM wharf.barcode WHERE code = '$case_code'")

OUT=/tmp/$SOCK.label PORTF=/tmp/$SOCK.port
rm -f "$OUT" "$PORTF"
"$WHARF_TCP_SINK" "$PORTF" "$OUT" 1 60 &
sink=$!
i=0
while [ ! -s "$PORTF" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat "$PORTF")
[ -n "$port" ] || fail "the loopback printer did not start"

q "UPDATE wharf.station SET receive_labels = true,
	printer_uri = 'tcp://127.0.0.1:$port' WHERE code = 'SH-HH-01'
	RETURNING 1" >/dev/null
q "INSERT INTO wharf.gs1_prefix (warehouse_id, company_prefix, extension)
	SELECT id, '6901234', 3 FROM wharf.warehouse WHERE code = 'SH'
	RETURNING 1" >/dev/null

start 80 24 "$(station --lang en)"
wait_for "wharf login"
login U3002 1234                # receiver2, English
wait_for "Main menu"
typed r                         # Receive
wait_for "Purchase order:"
wait_for "Blind receipt"
keys Up                         # the last entry: blind
keys Enter
wait_for "Scan case or item"
typed "[01]$case_code[17]301231[10]LSSCC1[30]2"
keys Enter
wait_for "Enter = $((pack * 2))"
keys Enter
wait_for "Received"
wait_for "Label printed: SSCC"
wait "$sink" || fail "the printer did not get exactly one job"

receipt=$(q "SELECT rl.receipt_id FROM wharf.receipt_line rl
	JOIN wharf.lot l ON l.id = rl.lot_id WHERE l.lot_code = 'LSSCC1'
	AND rl.qty = $((pack * 2))")
[ -n "$receipt" ] || fail "no receipt"
sscc=$(q "SELECT code FROM wharf.sscc WHERE receipt_id = $receipt")
[ -n "$sscc" ] || fail "no SSCC row for the receipt"
[ "$(q "SELECT count(*) FROM wharf.sscc")" = 1 ] || fail "not one SSCC"
wait_for "Label printed: SSCC $sscc"
case "$sscc" in
3690123400000000[0-9][0-9]) ;;
*) fail "SSCC $sscc is not extension 3 + prefix 6901234 + serial" ;;
esac
echo "$sscc" | awk '{
	s = 0
	for (i = 17; i >= 1; i--)
		s += substr($0, i, 1) * ((17 - i) % 2 == 0 ? 3 : 1)
	exit !((10 - s % 10) % 10 == substr($0, 18, 1))
}' || fail "SSCC $sscc has a bad check digit"

head -c 3 "$OUT" | grep -q '^^XA' || fail "the job does not start with ^XA"
tail -c 4 "$OUT" | grep -q '\^XZ' || fail "the job does not end with ^XZ"
grep -q '\^GFA' "$OUT" || fail "no graphic field in the job"
[ "$(grep -c '\^XA' "$OUT")" = 1 ] || fail "not one ZPL job"
verify
keys F10
wait_for "Main menu"
rm -f "$OUT" "$PORTF"
echo ok
