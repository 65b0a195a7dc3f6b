#!/bin/sh
# A receiver at 80x24 puts away a case received at the dock (received with
# the engine's wharf.receive): scan the dock, the GS1 case (GTIN + lot), the
# engine suggests a bin; another bin asks for a confirmation (declined),
# the suggested bin is scanned, the quantity typed, the units move.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
sku=$(q "SELECT s.id FROM wharf.sku s JOIN wharf.barcode b
	ON b.sku_id = s.id AND b.kind = 'gtin' WHERE s.lot_control = 'fefo'
	ORDER BY s.code LIMIT 1")
gtin=$(q "SELECT code FROM wharf.barcode WHERE sku_id = $sku
	AND kind = 'gtin' ORDER BY code LIMIT 1")
q "SELECT wharf.receive(NULL, w.id, $sku, 'LPUT1', '2099-12-31', NULL, 6,
	(SELECT id FROM wharf.location WHERE warehouse_id = w.id
	 AND code = 'RCV-01'), gen_random_uuid(),
	(SELECT id FROM wharf.app_user WHERE login = 'receiver2'), NULL)
	FROM wharf.warehouse w WHERE w.code = 'SH'" >/dev/null
lot=$(q "SELECT id FROM wharf.lot WHERE sku_id = $sku AND lot_code = 'LPUT1'")
bin=$(q "SELECT l.code FROM wharf.location l WHERE l.id =
	wharf.suggest_putaway((SELECT id FROM wharf.warehouse
	WHERE code = 'SH'), $sku, $lot)")
[ -n "$bin" ] || fail "no suggestion"
other=$(q "SELECT code FROM wharf.location WHERE kind = 'storage'
	AND code <> '$bin' AND warehouse_id = (SELECT id FROM wharf.warehouse
	WHERE code = 'SH') ORDER BY walk_seq LIMIT 1")

start 80 24 "$(station --lang en)"
wait_for "wharf login"
login U3002 1234                # receiver2, English
wait_for "Main menu"
typed u                         # Putaway
wait_for "Scan where it is"
typed "RCV-01"
keys Enter
wait_for "Scan case or item"
typed "[01]0$gtin[10]LPUT1"
keys Enter
wait_for "Put into $bin"
typed "$other"
keys Enter
wait_for "Use $other instead of $bin?"
keys Escape                     # no: back to the suggestion
wait_for "Put into $bin"
typed "$bin"
keys Enter
wait_for "Units, Enter"
typed 6
keys Enter
wait_for "Put away 6 into $bin"
[ "$(q "SELECT s.on_hand FROM wharf.stock s JOIN wharf.location l
	ON l.id = s.location_id WHERE s.lot_id = $lot AND l.code = '$bin'")" \
	= 6 ] || fail "not in $bin"
[ "$(q "SELECT coalesce(sum(s.on_hand), 0) FROM wharf.stock s
	JOIN wharf.location l ON l.id = s.location_id WHERE s.lot_id = $lot
	AND l.code = 'RCV-01'")" = 0 ] || fail "still at the dock"
[ "$(q "SELECT count(*) FROM wharf.stock_move WHERE kind = 'putaway'
	AND lot_id = $lot AND qty = 6")" -ge 1 ] || fail "no ledger row"
verify
keys Enter                      # the next item from the dock
wait_for "Scan case or item"
keys F10
wait_for "Main menu"
echo ok
