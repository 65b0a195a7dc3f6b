-- 0011_sync_ingest.sql: a page of new orders in a few set-based
-- statements (issue 7, sync throughput).
--
-- Same contract as 0005's wharf.sync_ingest (same signature and result;
-- idempotent; an older update never overwrites a newer one; exceptions
-- with reasons; cancellations intercepted; raw kept). Measured with
-- pg_stat_statements (track = all) on bench_sync:
--
--   * Every order of a page cost a PL/pgSQL call (sync_upsert_order) with
--     its own lookup, INSERT, shop_sku lookup and INSERT per line. Orders
--     seen for the first time (almost all of a backlog) are now inserted
--     with one statement per page: the orders, their lines and their
--     exception reasons in one INSERT ... SELECT each. Everything else
--     (an order already stored, an id seen twice in the page, an invalid
--     id, an insert that lost a race) still goes through
--     wharf.sync_upsert_order, one by one, oldest modification first, as
--     before: the rules for updates live in one place.
--   * Plans cached while sales_order was empty (a database analyzed
--     before its first orders, as bench_sync's template is) are
--     sequential scans; the per-row foreign-key checks of order_line and
--     the upsert's lookup kept them until autovacuum's next ANALYZE, so
--     ingest slowed down quadratically for the first few thousand orders
--     (bench_sync's 4-shop phase spent most of its time there, its figure
--     depending on when autovacuum came by). Now a page first analyzes
--     sales_order and order_line when either has grown to more than twice
--     the size its statistics were taken at (and 16 pages): at most a few
--     small ANALYZEs while a table is young, then never (autovacuum keeps
--     up with anything big), and the new statistics make every backend
--     plan again. Planning every statement instead (plan_cache_mode =
--     force_custom_plan) cost more than the whole ingest.

-- True when rel has more than twice the pages (and at least 16) that its
-- statistics were taken with.
CREATE FUNCTION wharf._sync_outgrown(rel regclass) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint
	       > greatest(2 * c.relpages::bigint, 16)
	FROM pg_class c WHERE c.oid = rel
$$;

-- sync_ingest(shop, items, stream, watermark): as in 0005, one call per
-- page inside the caller's transaction; see the top of this file.
CREATE OR REPLACE FUNCTION wharf.sync_ingest(p_shop bigint, p_items jsonb,
					     p_stream text,
					     p_watermark timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	sh record;
	it record;
	r jsonb;
	v_done bigint[];
	n_ins integer := 0;
	n_upd integer := 0;
	n_same integer := 0;
	n_stale integer := 0;
	n_int integer := 0;
	n_exc integer := 0;
BEGIN
	SELECT s.id, s.warehouse_id, s.platform INTO sh
	FROM wharf.shop s WHERE s.id = p_shop;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_SHOP: no shop %', p_shop
			USING ERRCODE = 'no_data_found';
	END IF;
	-- SKIP_LOCKED: another page (or autovacuum) is at it already.
	IF wharf._sync_outgrown('wharf.sales_order') THEN
		ANALYZE (SKIP_LOCKED) wharf.sales_order;
	END IF;
	IF wharf._sync_outgrown('wharf.order_line') THEN
		ANALYZE (SKIP_LOCKED) wharf.order_line;
	END IF;

	-- First sights, set-based: the rules of sync_upsert_order's insert
	-- branch, order by order (see 0005).
	WITH page AS (
		SELECT i.ord, i.value->'order' AS o, i.value->'raw' AS raw,
		       wharf._jtext(i.value->'order', 'id') AS pid,
		       count(*) OVER (PARTITION BY
				wharf._jtext(i.value->'order', 'id')) AS seen
		FROM jsonb_array_elements(coalesce(p_items, '[]'))
			WITH ORDINALITY AS i(value, ord)
	), fresh AS (
		SELECT p.ord, p.o, p.raw, p.pid,
		       coalesce(wharf._jtext(p.o, 'state'), 'UNKNOWN') AS norm,
		       wharf._jtext(p.o, 'error') AS err,
		       upper(coalesce(wharf._jtext(p.o, 'currency'), '')) AS cur,
		       upper(coalesce(wharf._jtext(p.o, 'country'), '')) AS ctry
		FROM page p
		WHERE p.pid IS NOT NULL AND length(p.pid) <= 64 AND p.seen = 1
		  AND NOT EXISTS (SELECT 1 FROM wharf.sales_order so
				  WHERE so.shop_id = p_shop
				    AND so.platform_order_id = p.pid)
	), st AS (
		SELECT f.*,
		       left(coalesce(wharf._jtext(f.o, 'status_raw'), f.norm),
			    200) AS status,
		       f.err IS NULL AND f.norm IN ('CANCELLED',
			'REFUND_REQUESTED', 'REFUNDED') AS cancel,
		       -- A first sight of an order shipped or closed elsewhere
		       -- is kept for the record, never worked: on hold.
		       (CASE WHEN f.err IS NOT NULL THEN 'exception'
			     WHEN f.norm IN ('READY_TO_SHIP', 'PART_SHIPPED')
			     THEN 'new'
			     WHEN f.norm IN ('UNPAID', 'ON_HOLD', 'SHIPPED',
					     'COMPLETED') THEN 'on_hold'
			     WHEN f.norm IN ('CANCELLED', 'REFUND_REQUESTED',
					     'REFUNDED') THEN 'cancelled'
			     ELSE 'exception'
			END)::wharf.order_state AS st0
		FROM fresh f
	), ln AS (
		SELECT s.ord, l.no, l.v,
		       (SELECT ss.sku_id FROM wharf.shop_sku ss
			WHERE ss.shop_id = p_shop
			  AND ss.outer_code = wharf._jtext(l.v, 'sku_code'))
			AS sku_id
		FROM st s
		CROSS JOIN LATERAL jsonb_array_elements(
			coalesce(s.o->'lines', '[]')) WITH ORDINALITY AS l(v, no)
	), prob AS (
		-- The first line that is unmapped or has no quantity.
		SELECT DISTINCT ON (ln.ord) ln.ord,
		       CASE WHEN ln.sku_id IS NULL THEN
				format('unmapped SKU: line %s (%s)', ln.no,
				       coalesce(wharf._jtext(ln.v, 'sku_code'),
						wharf._jtext(ln.v,
							     'platform_sku_id'),
						'?'))
			    ELSE format('line %s has no quantity', ln.no)
		       END AS why
		FROM ln
		WHERE ln.sku_id IS NULL
		   OR coalesce((ln.v->>'qty')::integer, 0) <= 0
		ORDER BY ln.ord, ln.no
	), fin AS (
		SELECT s.*, x.unm,
		       CASE WHEN x.unm IS NOT NULL AND s.st0 IN ('new', 'on_hold')
			    THEN 'exception' ELSE s.st0
		       END::wharf.order_state AS state,
		       CASE WHEN x.unm IS NOT NULL AND s.st0 IN ('new', 'on_hold')
			    THEN x.unm
			    WHEN s.err IS NOT NULL
			    THEN left('unreadable order: ' || s.err, 500)
			    WHEN s.st0 = 'exception'
			    THEN left('unknown platform status: ' || s.status, 500)
		       END AS reason
		FROM st s
		LEFT JOIN prob p ON p.ord = s.ord
		CROSS JOIN LATERAL (SELECT coalesce(p.why,
			CASE WHEN NOT s.cancel AND s.st0 <> 'exception'
				  AND jsonb_array_length(coalesce(s.o->'lines',
						'[]')) = 0
			     THEN 'the platform sent no order lines' END)
			AS unm) x
	), ins AS (
		INSERT INTO wharf.sales_order (warehouse_id, shop_id,
			platform_order_id, state, platform_status,
			exception_reason, intercepted_at, intercept_reason,
			buyer_nick, receiver_name, receiver_phone, province,
			city, district, address, zip, country, remark,
			currency, total_minor, paid_at, platform_created_at,
			platform_modified_at, raw)
		SELECT sh.warehouse_id, p_shop, f.pid, f.state, f.status,
		       f.reason,
		       CASE WHEN f.cancel THEN now() END,
		       CASE WHEN f.cancel THEN lower(f.norm) END,
		       wharf._jtext(f.o, 'buyer'),
		       wharf._jtext(f.o, 'receiver_name'),
		       wharf._jtext(f.o, 'phone'),
		       wharf._jtext(f.o, 'province'),
		       wharf._jtext(f.o, 'city'),
		       wharf._jtext(f.o, 'district'),
		       wharf._jtext(f.o, 'address'),
		       wharf._jtext(f.o, 'zip'),
		       CASE WHEN f.ctry ~ '^[A-Z]{2}$' THEN f.ctry
			    WHEN sh.platform IN ('amazon', 'shopify',
						 'woocommerce') THEN 'US'
			    ELSE 'CN' END,
		       wharf._jtext(f.o, 'remark'),
		       CASE WHEN f.cur ~ '^[A-Z]{3}$' THEN f.cur
			    WHEN sh.platform IN ('amazon', 'shopify') THEN 'USD'
			    WHEN sh.platform = 'woocommerce' THEN 'EUR'
			    ELSE 'CNY' END,
		       coalesce((f.o->>'total')::bigint, 0),
		       wharf._jtime(f.o, 'paid_at'),
		       wharf._jtime(f.o, 'created_at'),
		       wharf._jtime(f.o, 'modified_at'), f.raw
		FROM fin f
		ORDER BY (f.o->>'modified_at')::bigint NULLS FIRST, f.ord
		-- Lost a race with another writer: the slow path below.
		ON CONFLICT (shop_id, platform_order_id) DO NOTHING
		RETURNING id, platform_order_id, state
	), lines AS (
		INSERT INTO wharf.order_line (order_id, line_no,
			platform_line_id, sku_id, platform_sku, title, qty,
			unit_price_minor, refund_state)
		SELECT i.id, ln.no, wharf._jtext(ln.v, 'line_id'), ln.sku_id,
		       left(coalesce(wharf._jtext(ln.v, 'sku_code'),
				     wharf._jtext(ln.v, 'platform_sku_id')), 64),
		       left(wharf._jtext(ln.v, 'title'), 200),
		       greatest(coalesce((ln.v->>'qty')::integer, 1), 1),
		       coalesce((ln.v->>'unit_price')::bigint, 0),
		       wharf._jtext(ln.v, 'refund')
		FROM ins i
		JOIN fin f ON f.pid = i.platform_order_id
		JOIN ln ON ln.ord = f.ord
		ORDER BY i.id, ln.no
	)
	SELECT array_agg(f.ord), count(*),
	       count(*) FILTER (WHERE f.cancel),
	       count(*) FILTER (WHERE i.state = 'exception')
	INTO v_done, n_ins, n_int, n_exc
	FROM ins i JOIN fin f ON f.pid = i.platform_order_id;

	-- The rest, one by one, oldest modification first.
	FOR it IN SELECT i.value FROM jsonb_array_elements(
			coalesce(p_items, '[]')) WITH ORDINALITY AS i(value, ord)
		  WHERE NOT i.ord = ANY (coalesce(v_done, '{}'))
		  ORDER BY (i.value->'order'->>'modified_at')::bigint
			   NULLS FIRST, i.ord
	LOOP
		r := wharf.sync_upsert_order(p_shop, it.value->'order',
					     it.value->'raw');
		CASE r->>'action'
		WHEN 'inserted' THEN n_ins := n_ins + 1;
		WHEN 'updated' THEN n_upd := n_upd + 1;
		WHEN 'same' THEN n_same := n_same + 1;
		ELSE n_stale := n_stale + 1;
		END CASE;
		IF (r->>'intercepted')::boolean THEN
			n_int := n_int + 1;
		END IF;
		IF r->>'state' = 'exception' AND r->>'action' IN ('inserted', 'updated') THEN
			n_exc := n_exc + 1;
		END IF;
	END LOOP;
	IF p_watermark IS NOT NULL THEN
		INSERT INTO wharf.sync_cursor AS c (shop_id, stream, watermark)
		VALUES (p_shop, p_stream, p_watermark)
		ON CONFLICT (shop_id, stream) DO UPDATE
		SET watermark = greatest(c.watermark, EXCLUDED.watermark),
		    updated_at = now();
	END IF;
	RETURN jsonb_build_object('inserted', n_ins, 'updated', n_upd,
		'same', n_same, 'stale', n_stale, 'intercepted', n_int,
		'exceptions', n_exc);
END $$;
