-- 0002_verify.sql: wharf.verify(), the invariant checker behind
-- `wharf db verify` and every concurrency test.
--
-- It recomputes from first principles rather than trusting the triggers:
-- each row returned is one violation, named by `check_name`, with enough
-- detail for a person to find the row. No rows: the database is sound.

CREATE FUNCTION wharf.verify()
RETURNS TABLE (check_name text, detail text)
LANGUAGE sql STABLE AS $$
	-- Invariant 1: on_hand equals the ledger, for every stock row and for
	-- every (location, sku, lot) the ledger mentions.
	WITH ledger AS (
		SELECT location_id, sku_id, lot_id, sum(delta) AS qty
		FROM (
			SELECT to_location_id AS location_id, sku_id, lot_id, qty AS delta
			FROM wharf.stock_move WHERE to_location_id IS NOT NULL
			UNION ALL
			SELECT from_location_id, sku_id, lot_id, -qty
			FROM wharf.stock_move WHERE from_location_id IS NOT NULL
		) m
		GROUP BY location_id, sku_id, lot_id
	)
	SELECT 'stock_matches_ledger',
	       format('location %s sku %s lot %s: stock on_hand %s, ledger %s',
		      coalesce(s.location_id, l.location_id),
		      coalesce(s.sku_id, l.sku_id),
		      coalesce(s.lot_id, l.lot_id)::text,
		      coalesce(s.on_hand, 0), coalesce(l.qty, 0))
	FROM wharf.stock s
	FULL JOIN ledger l
	  ON l.location_id = s.location_id AND l.sku_id = s.sku_id
	 AND l.lot_id IS NOT DISTINCT FROM s.lot_id
	WHERE coalesce(s.on_hand, 0) <> coalesce(l.qty, 0)

	UNION ALL
	SELECT 'stock_bounds',
	       format('stock %s: on_hand %s allocated %s', id, on_hand, allocated)
	FROM wharf.stock
	WHERE on_hand < 0 OR allocated < 0 OR allocated > on_hand

	-- Invariant 2: stock.allocated is what the allocations say, so a unit
	-- is never reserved twice; no line holds more than it asks.
	UNION ALL
	SELECT 'stock_allocated_matches',
	       format('stock %s: allocated %s, allocations sum to %s',
		      s.id, s.allocated, coalesce(a.qty, 0))
	FROM wharf.stock s
	LEFT JOIN (SELECT location_id, sku_id, lot_id, sum(qty) AS qty
		   FROM wharf.allocation GROUP BY 1, 2, 3) a
	  ON a.location_id = s.location_id AND a.sku_id = s.sku_id
	 AND a.lot_id IS NOT DISTINCT FROM s.lot_id
	WHERE s.allocated <> coalesce(a.qty, 0)

	UNION ALL
	SELECT 'allocation_has_stock',
	       format('allocation %s: no stock row at location %s', a.id, a.location_id)
	FROM wharf.allocation a
	WHERE NOT EXISTS (SELECT 1 FROM wharf.stock s
			  WHERE s.location_id = a.location_id AND s.sku_id = a.sku_id
			    AND s.lot_id IS NOT DISTINCT FROM a.lot_id)

	UNION ALL
	SELECT 'line_allocated_matches',
	       format('order line %s: qty_allocated %s, allocations sum to %s',
		      l.id, l.qty_allocated, coalesce(a.qty, 0))
	FROM wharf.order_line l
	LEFT JOIN (SELECT order_line_id, sum(qty) AS qty
		   FROM wharf.allocation GROUP BY 1) a ON a.order_line_id = l.id
	WHERE l.qty_allocated <> coalesce(a.qty, 0)

	UNION ALL
	SELECT 'line_not_overallocated',
	       format('order line %s: asks %s, allocated %s + picked %s',
		      id, qty, qty_allocated, qty_picked)
	FROM wharf.order_line
	WHERE qty_allocated + qty_picked > qty OR qty_shipped > qty_packed
	   OR qty_packed > qty_picked

	-- Invariant 3: nothing reserved past its ship-by date.
	UNION ALL
	SELECT 'allocation_sellable',
	       format('allocation %s: lot %s expires %s, ship-by %s has passed',
		      a.id, lot.lot_code, lot.expiry,
		      wharf.ship_by(lot.expiry, wharf.line_min_remaining(a.order_line_id)))
	FROM wharf.allocation a
	JOIN wharf.lot ON lot.id = a.lot_id
	WHERE NOT wharf.lot_sellable(lot.expiry,
				     wharf.line_min_remaining(a.order_line_id),
				     current_date)

	-- Invariant 5: an intercepted order is never shipped.
	UNION ALL
	SELECT 'intercepted_not_shipped',
	       format('order %s (%s) was intercepted at %s but is %s',
		      id, platform_order_id, intercepted_at, state)
	FROM wharf.sales_order
	WHERE intercepted_at IS NOT NULL AND state IN ('packed', 'shipped')

	UNION ALL
	SELECT 'intercepted_not_shipped',
	       format('shipment %s of intercepted order %s left at %s',
		      sh.id, o.platform_order_id, sh.shipped_at)
	FROM wharf.shipment sh
	JOIN wharf.sales_order o ON o.id = sh.order_id
	WHERE sh.state = 'shipped' AND o.intercepted_at IS NOT NULL
	  AND sh.shipped_at >= o.intercepted_at

	-- Invariant 6: an unknown platform status is an exception with a
	-- reason, never a silent drop.
	UNION ALL
	SELECT 'exception_has_reason',
	       format('order %s is in exception with no reason', id)
	FROM wharf.sales_order
	WHERE state = 'exception' AND coalesce(exception_reason, '') = ''

	-- Every stock row's warehouse is its location's.
	UNION ALL
	SELECT 'stock_warehouse',
	       format('stock %s: warehouse %s, location in %s',
		      s.id, s.warehouse_id, loc.warehouse_id)
	FROM wharf.stock s JOIN wharf.location loc ON loc.id = s.location_id
	WHERE s.warehouse_id <> loc.warehouse_id
$$;
