# floor_lib.sh - helpers of the floor screens' tmux tests (sourced after
# lib.sh): orders and waves made with the engine's own SQL functions, and
# questions to the database.

# q SQL: one value from the test database.
q() {
	psql "$CONN" -XAtqc "$1"
}

# make_pick_wave: a two-line order of the Shanghai shop (two FEFO SKUs with
# sellable stock on pick faces, 2 and 1 units), allocated and released in
# a multi-item wave by the supervisor "lead" with wharf.allocate and
# wharf.write_wave (the plan built from the allocations the way the
# planner would: one tote, slot 1, one task per allocation by walk).
# Prints the order id.
make_pick_wave() {
	psql "$CONN" -XAtq -v ON_ERROR_STOP=1 <<'SQL'
CREATE TEMP TABLE pick_sku AS
SELECT s.sku_id, min(l.walk_seq) AS ws
FROM wharf.stock s
JOIN wharf.location l ON l.id = s.location_id
JOIN wharf.sku k ON k.id = s.sku_id
JOIN wharf.lot lt ON lt.id = s.lot_id
JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
WHERE l.kind = 'pick' AND k.lot_control = 'fefo'
  AND s.on_hand - s.allocated >= 5
  AND wharf.lot_sellable(lt.expiry, k.min_remaining_days, current_date)
GROUP BY s.sku_id ORDER BY min(l.walk_seq) LIMIT 2;
WITH o AS (
	INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id,
		state, platform_status, carrier)
	SELECT w.id, (SELECT id FROM wharf.shop WHERE warehouse_id = w.id
		      ORDER BY id LIMIT 1), 'TUI-' || txid_current(), 'new',
	       'WAIT_SELLER_SEND_GOODS', 'SF'
	FROM wharf.warehouse w WHERE w.code = 'SH' RETURNING id)
INSERT INTO wharf.order_line (order_id, line_no, platform_line_id, sku_id,
			      platform_sku, title, qty, unit_price_minor)
SELECT o.id, p.n, 'TUI-' || p.n, p.sku_id, k.code, k.name,
       CASE p.n WHEN 1 THEN 2 ELSE 1 END, 1000
FROM o CROSS JOIN (SELECT sku_id, row_number() OVER (ORDER BY ws) AS n
		   FROM pick_sku) p
JOIN wharf.sku k ON k.id = p.sku_id;
SELECT wharf.allocate(max(id), gen_random_uuid(),
		      (SELECT id FROM wharf.app_user WHERE login = 'lead'))
FROM wharf.sales_order WHERE platform_order_id LIKE 'TUI-%' \gset
SELECT wharf.write_wave(o.warehouse_id, 'multi_item',
	(SELECT id FROM wharf.app_user WHERE login = 'lead'), NULL,
	jsonb_build_object(
	 'orders', jsonb_build_array(jsonb_build_object('o', o.id, 't', 1,
							's', 1)),
	 'tasks', (SELECT jsonb_agg(jsonb_build_object('w', t.w, 'l', t.l,
		     'k', t.k, 'q', t.q, 'n', t.n, 't', 1, 's', 1, 'o', o.id)
		     ORDER BY t.w)
		   FROM (SELECT row_number() OVER (ORDER BY loc.walk_seq,
				 a.location_id, a.sku_id) AS w,
			 a.location_id AS l, a.sku_id AS k, a.lot_id AS q,
			 sum(a.qty) AS n
			 FROM wharf.allocation a
			 JOIN wharf.order_line ol ON ol.id = a.order_line_id
			 JOIN wharf.location loc ON loc.id = a.location_id
			 WHERE ol.order_id = o.id
			 GROUP BY a.location_id, a.sku_id, a.lot_id,
				  loc.walk_seq) t)))
FROM wharf.sales_order o WHERE o.platform_order_id LIKE 'TUI-%' \gset
SELECT id FROM wharf.sales_order WHERE platform_order_id LIKE 'TUI-%'
  AND state = 'released';
SQL
}

# task_field N COLUMN: a column of the order's Nth pick task by walk:
# bin, barcode (the unit GTIN), lot, expiry, qty, sku, case_barcode, pack.
task_field() {
	q "SELECT $2 FROM (SELECT l.code AS bin, lt.lot_code AS lot,
		lt.expiry AS expiry, t.qty AS qty, k.code AS sku,
		(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = t.sku_id
		 AND b.kind = 'gtin' LIMIT 1) AS barcode,
		(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = t.sku_id
		 AND b.kind = 'case' LIMIT 1) AS case_barcode,
		t.id AS id, t.state AS state
		FROM wharf.pick_task t JOIN wharf.location l
		ON l.id = t.location_id JOIN wharf.sku k ON k.id = t.sku_id
		LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
		WHERE t.kind = 'pick' ORDER BY t.seq, t.id
		OFFSET $1 - 1 LIMIT 1) x"
}

# other_lot N: a lot code of the Nth task's SKU that the engine must
# refuse (for a wrong-lot scan): a real lot expiring later than the
# task's (FEFO: not a substitute), else the unknown "LBAD".
other_lot() {
	o=$(q "SELECT (SELECT lt.lot_code FROM wharf.lot lt
		WHERE lt.sku_id = t.sku_id AND lt.expiry >
		(SELECT expiry FROM wharf.lot WHERE id = t.lot_id)
		ORDER BY lt.expiry DESC LIMIT 1)
		FROM wharf.pick_task t WHERE t.kind = 'pick'
		ORDER BY t.seq, t.id OFFSET $1 - 1 LIMIT 1")
	echo "${o:-LBAD}"
}

# verify: the database's invariants hold.
verify() {
	"$WHARF_BIN" db --db "$CONN" verify >/dev/null ||
		fail "wharf db verify failed"
}
