# pack_lib.sh - helpers of the pack desk's tmux tests (sourced after
# lib.sh and floor_lib.sh).

# make_picked_order: make_pick_wave's two-line order (2 + 1 units), every
# task confirmed by picker1 with wharf.confirm_pick, so the order is
# 'picked' with its units in the tote. Prints the order id.
make_picked_order() {
	o=$(make_pick_wave)
	[ -n "$o" ] || return 1
	psql "$CONN" -XAtq -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT wharf.confirm_pick(t.id, l.code,
	(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = t.sku_id
	 AND b.kind = 'gtin' ORDER BY b.code LIMIT 1),
	lt.lot_code, t.qty, gen_random_uuid(),
	(SELECT id FROM wharf.app_user WHERE login = 'picker1'), NULL)
FROM wharf.pick_task t
JOIN wharf.location l ON l.id = t.location_id
LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
WHERE t.order_id = $o AND t.kind = 'pick'
ORDER BY t.seq, t.id;
SQL
	echo "$o"
}

# line_field ORDER N COLUMN: of the order's Nth line: gtin, sku, qty.
line_field() {
	q "SELECT $3 FROM (SELECT k.code AS sku, l.qty AS qty,
		(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = l.sku_id
		 AND b.kind = 'gtin' ORDER BY b.code LIMIT 1) AS gtin
		FROM wharf.order_line l JOIN wharf.sku k ON k.id = l.sku_id
		WHERE l.order_id = $1 ORDER BY l.line_no
		OFFSET $2 - 1 LIMIT 1) x"
}

# a barcode of a SKU that is not in the order (for a wrong-item scan)
other_gtin() {
	q "SELECT b.code FROM wharf.barcode b WHERE b.kind = 'gtin'
	   AND b.sku_id NOT IN (SELECT sku_id FROM wharf.order_line
				WHERE order_id = $1)
	   ORDER BY b.code LIMIT 1"
}
