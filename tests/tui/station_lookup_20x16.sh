#!/bin/sh
# Stock lookup at 20x16: a SKU typed as keystrokes shows its stock by
# location and lot, paged (Down: next page, the sixth row on page 2); a bin
# shows what it holds; an unknown code is refused; F2 opens the summary.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
# The SH SKU with the most stock rows (more than a 20x16 page of five).
sku=$(q "SELECT k.code FROM wharf.stock s JOIN wharf.sku k ON k.id = s.sku_id
	JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
	WHERE s.on_hand > 0 GROUP BY k.code HAVING count(*) > 5
	ORDER BY count(*) DESC, k.code LIMIT 1")
[ -n "$sku" ] || fail "no SKU in six bins"
# its rows in the screen's order: the first and the sixth
row() {
	q "SELECT l.code || ' ' || s.on_hand || '/' || s.allocated || '/' ||
		(s.on_hand - s.allocated) FROM wharf.stock s
		JOIN wharf.location l ON l.id = s.location_id
		JOIN wharf.sku k ON k.id = s.sku_id
		LEFT JOIN wharf.lot lt ON lt.id = s.lot_id
		JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
		WHERE k.code = '$sku' AND s.on_hand > 0
		ORDER BY lt.expiry NULLS LAST, lt.lot_code, l.walk_seq, l.code
		OFFSET $1 LIMIT 1"
}
first=$(row 0) sixth=$(row 5)
pages=$(q "SELECT (count(*) + 4) / 5 FROM wharf.stock s
	JOIN wharf.sku k ON k.id = s.sku_id
	JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
	WHERE k.code = '$sku' AND s.on_hand > 0")

start 20 16 "$(station --lang en)"
wait_for "wharf login"
login U1003 1234                # picker3, English
wait_for "Main menu"
typed s                         # Stock lookup
wait_for "SKU, bin or lot"
typed "NOSUCH-1"
keys Enter
wait_for "Nothing known as"
typed "$sku"
keys Enter
wait_for "1/$pages"
wait_for "${first%% *}"
wait_for "${first#* }"
keys Down
wait_for "2/$pages"
wait_for "${sixth%% *}"
wait_for "${sixth#* }"
keys Up
wait_for "1/$pages"
keys Escape                     # back to the query
wait_for "SKU, bin or lot"
typed "${first%% *}"            # the first bin: what it holds
keys Enter
wait_for "$sku"
keys F2
wait_for "Stock summary"
keys Escape
wait_for "Stock lookup"
verify
keys Escape
keys Escape
wait_for "Main menu"
echo ok
