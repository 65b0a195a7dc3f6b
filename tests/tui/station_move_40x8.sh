#!/bin/sh
# A receiver at 40x8 moves 2 free units of a lot from a pick bin to an
# empty storage bin: from bin, GS1 item with lot, quantity, to bin; a
# quantity above the free units is refused by the engine first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
pick=$(q "SELECT l.code || ' ' || lt.lot_code || ' ' ||
	(s.on_hand - s.allocated) || ' ' || s.id || ' ' ||
	(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = s.sku_id
	 AND b.kind = 'gtin' ORDER BY b.code LIMIT 1)
	FROM wharf.stock s JOIN wharf.location l ON l.id = s.location_id
	JOIN wharf.lot lt ON lt.id = s.lot_id
	JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
	WHERE l.kind = 'pick' AND s.on_hand - s.allocated >= 3
	AND EXISTS (SELECT 1 FROM wharf.barcode b WHERE b.sku_id = s.sku_id
	     AND b.kind = 'gtin')
	ORDER BY l.walk_seq LIMIT 1")
set -- $pick
from=$1 lot=$2 free=$3 stock=$4 gtin=$5
[ -n "$gtin" ] || fail "no stock to move"
to=$(q "SELECT l.code FROM wharf.location l WHERE l.kind = 'storage'
	AND NOT l.blocked AND l.warehouse_id = (SELECT id FROM wharf.warehouse
	WHERE code = 'SH') AND NOT EXISTS (SELECT 1 FROM wharf.stock s
	WHERE s.location_id = l.id AND s.on_hand > 0)
	ORDER BY l.walk_seq LIMIT 1")
[ -n "$to" ] || fail "no empty bin"

start 40 8 "$(station --lang en)"
wait_for "wharf login"
login U3002 1234                # receiver2, English
wait_for "Main menu"
typed m                         # Move
wait_for "Move"
typed "$from"
keys Enter
wait_for "Scan case or item"
typed "[01]0$gtin[10]$lot"
keys Enter
wait_for "Units, Enter"
typed $((free + 1))
keys Enter
wait_for "Scan the new bin"
typed "$to"
keys Enter
wait_for "free units"           # INSUFFICIENT_STOCK: back to the quantity
wait_for "Units, Enter"
typed 2
keys Enter
wait_for "Scan the new bin"
typed "$to"
keys Enter
wait_for "Moved 2 from $from"
[ "$(q "SELECT on_hand - allocated FROM wharf.stock WHERE id = $stock")" \
	= $((free - 2)) ] || fail "source not reduced"
[ "$(q "SELECT s.on_hand FROM wharf.stock s JOIN wharf.location l
	ON l.id = s.location_id JOIN wharf.lot lt ON lt.id = s.lot_id
	JOIN wharf.warehouse w ON w.id = l.warehouse_id AND w.code = 'SH'
	WHERE l.code = '$to' AND lt.lot_code = '$lot'")" = 2 ] ||
	fail "not in $to"
verify
keys F10
wait_for "Main menu"
echo ok
