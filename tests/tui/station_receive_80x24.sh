#!/bin/sh
# A receiver at 80x24 receives a GS1 case (GTIN + expiry + lot + count,
# typed as keystrokes) blind; the lot expired, so the engine puts the
# units into quarantine and a full-screen warning says so and why. Then a
# typed item with lot and expiry against a purchase order goes to the dock.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
case_code=$(q "SELECT b.code FROM wharf.barcode b JOIN wharf.sku s
	ON s.id = b.sku_id WHERE b.kind = 'case' AND s.lot_control = 'fefo'
	ORDER BY b.code LIMIT 1")
pack=$(q "SELECT pack_qty FROM wharf.barcode WHERE code = '$case_code'")
po=$(q "SELECT po_no FROM wharf.purchase_order WHERE state = 'open'
	AND warehouse_id = (SELECT id FROM wharf.warehouse WHERE code = 'SH')
	ORDER BY expected_at NULLS LAST, id LIMIT 1")
po_gtin=$(q "SELECT b.code FROM wharf.po_line pl
	JOIN wharf.purchase_order po ON po.id = pl.po_id
	JOIN wharf.sku s ON s.id = pl.sku_id AND s.lot_control = 'fefo'
	JOIN wharf.barcode b ON b.sku_id = s.id AND b.kind = 'gtin'
	WHERE po.po_no = '$po' ORDER BY b.code LIMIT 1")

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
typed "[01]$case_code[17]240101[10]LTUIX1[30]2"
keys Enter
wait_for "Enter = $((pack * 2))"
wait_for "LTUIX1"
wait_for "2024-01-01"
keys Enter
wait_for "QUARANTINE"
wait_for "expired 2024-01-01"
wait_for "Now in Q-01"
[ "$(q "SELECT count(*) FROM wharf.receipt_line rl JOIN wharf.lot l
	ON l.id = rl.lot_id WHERE l.lot_code = 'LTUIX1' AND rl.quarantined
	AND rl.qty = $((pack * 2))")" = 1 ] || fail "no quarantined receipt"
[ "$(q "SELECT s.on_hand FROM wharf.stock s JOIN wharf.lot l
	ON l.id = s.lot_id JOIN wharf.location loc ON loc.id = s.location_id
	WHERE l.lot_code = 'LTUIX1' AND loc.kind = 'quarantine'")" = \
	$((pack * 2)) ] || fail "not in quarantine"
keys Escape                     # back to the purchase orders
wait_for "Blind receipt"
keys Enter                      # the first PO
wait_for "$po"
typed "$po_gtin"
keys Enter
wait_for "Lot"
typed "LTUIOK1"
keys Enter
wait_for "Expiry YYYY-MM-DD"
typed "2099-12-31"
keys Enter
wait_for "Enter = 1"
typed 5
keys Enter
wait_for "Received"
wait_for "Now in RCV-01"
screen_has_not "QUARANTINE"
[ "$(q "SELECT sum(pl.qty_received) FROM wharf.po_line pl
	JOIN wharf.purchase_order po ON po.id = pl.po_id
	WHERE po.po_no = '$po'")" -ge 5 ] || fail "PO not received"
verify
keys F10
wait_for "Main menu"
echo ok
