-- 0013_allocate_fast.sql: allocation of a whole batch of orders at once,
-- and allocate_pending trying never-tried orders first (issue 3).
--
-- Same contracts as 0001/0004 (same signatures, results, refusals,
-- invariants; allocate stays idempotent by op_id). Measured with
-- pg_stat_statements (track = all) on bench_engine's 12,000 one-line
-- orders, allocate_pending in batches of 500:
--
--   * Every order line cost a PL/pgSQL call (_alloc_line) with its own
--     candidate query, and every allocation row a row trigger doing five
--     statements (SKU check, lot expiry, line_min_remaining, stock,
--     order_line). Now a batch reads the candidate stock of all its SKUs
--     in one query, plans every line in memory by the rules of
--     src/domain/alloc.h (exactly as _alloc_line did, line after line in
--     order, each seeing what the earlier ones left), writes all
--     allocations with one INSERT, and sets all order states with one
--     UPDATE.
--   * _allocate_order locked every stock row of the order's SKUs (about 7
--     per order) before planning. Now only the stock rows the plan uses
--     are locked, in id order, and re-checked; if a concurrent writer took
--     units from one of them since they were read (rare), that attempt is
--     rolled back to a savepoint, which releases its locks, and the batch
--     is planned again with all its candidate rows locked in id order, as
--     before. Lock order stays sales_order -> stock by id: no new
--     deadlocks.
--   * The allocation triggers are statement-level, with transition
--     tables: one stock UPDATE and one order_line UPDATE per statement,
--     whatever the number of rows, for every writer (allocate, pick,
--     short_pick, intercept, count). stock.allocated and
--     order_line.qty_allocated stay exactly the sums of the allocations,
--     and an allocation of another SKU, of a lot past its ship-by date or
--     without a stock row is refused with the same messages as before.
--     The INSERT trigger keeps the name allocation_apply.
--
-- Fairness: allocate_pending took orders by updated_at, so partially
-- allocated orders retried for lack of stock came before new orders that
-- arrived after their last try, and a pass could leave new orders 'new'.
-- Now never-tried ('new') orders come first, then partially allocated
-- ones least recently tried; within a pass, lines of a SKU whose free
-- stock is used up are not planned again.

-- Triggers ----------------------------------------------------------------------

-- Refuses new allocation rows (INSERT, or UPDATE's new versions) that
-- serve a line of another SKU, reserve a lot past its ship-by date for the
-- line (wharf.lot_sellable by the line's effective minimum remaining
-- life), or name no stock row. Reports one offending row.
CREATE FUNCTION wharf._allocation_refuse(p_sku bigint, p_line bigint,
					 p_lot bigint, p_loc bigint,
					 p_line_sku bigint, p_expiry date,
					 p_sellable boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_line_sku IS DISTINCT FROM p_sku THEN
		RAISE EXCEPTION 'allocation of sku % to line % of another sku',
			p_sku, p_line
			USING ERRCODE = 'check_violation';
	END IF;
	IF NOT p_sellable THEN
		RAISE EXCEPTION 'lot % is past its ship-by date (expiry %)',
			p_lot, p_expiry
			USING ERRCODE = 'check_violation';
	END IF;
	RAISE EXCEPTION 'no stock of sku % lot % at location % to allocate',
		p_sku, p_lot, p_loc
		USING ERRCODE = 'check_violation';
END $$;

CREATE FUNCTION wharf.apply_allocation_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b record;
BEGIN
	SELECT n.sku_id, n.order_line_id, n.lot_id, n.location_id,
	       l.sku_id AS line_sku, lt.expiry,
	       n.lot_id IS NULL OR wharf.lot_sellable(lt.expiry,
			greatest(s.min_remaining_days,
				 coalesce(sh.min_remaining_days, 0)),
			current_date) IS NOT FALSE AS sellable
	INTO b
	FROM alloc_new n
	LEFT JOIN wharf.order_line l ON l.id = n.order_line_id
	LEFT JOIN wharf.sales_order o ON o.id = l.order_id
	LEFT JOIN wharf.shop sh ON sh.id = o.shop_id
	LEFT JOIN wharf.sku s ON s.id = l.sku_id
	LEFT JOIN wharf.lot lt ON lt.id = n.lot_id
	LEFT JOIN wharf.stock st ON st.location_id = n.location_id
		AND st.sku_id = n.sku_id
		AND st.lot_id IS NOT DISTINCT FROM n.lot_id
	WHERE l.sku_id IS DISTINCT FROM n.sku_id
	   OR st.id IS NULL
	   OR (n.lot_id IS NOT NULL
	       AND NOT wharf.lot_sellable(lt.expiry,
			greatest(s.min_remaining_days,
				 coalesce(sh.min_remaining_days, 0)),
			current_date))
	LIMIT 1;
	IF FOUND THEN
		PERFORM wharf._allocation_refuse(b.sku_id, b.order_line_id,
			b.lot_id, b.location_id, b.line_sku, b.expiry,
			b.sellable);
	END IF;
	UPDATE wharf.stock st SET allocated = st.allocated + d.q
	FROM (SELECT location_id, sku_id, lot_id, sum(qty)::integer AS q
	      FROM alloc_new GROUP BY 1, 2, 3) d
	WHERE st.location_id = d.location_id AND st.sku_id = d.sku_id
	  AND st.lot_id IS NOT DISTINCT FROM d.lot_id;
	UPDATE wharf.order_line l SET qty_allocated = l.qty_allocated + d.q
	FROM (SELECT order_line_id, sum(qty)::integer AS q
	      FROM alloc_new GROUP BY 1) d
	WHERE l.id = d.order_line_id;
	RETURN NULL;
END $$;

-- An update applies the difference new - old per stock row and per line;
-- the new versions are checked as an insert's rows are.
CREATE FUNCTION wharf.apply_allocation_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b record;
BEGIN
	SELECT n.sku_id, n.order_line_id, n.lot_id, n.location_id,
	       l.sku_id AS line_sku, lt.expiry,
	       n.lot_id IS NULL OR wharf.lot_sellable(lt.expiry,
			greatest(s.min_remaining_days,
				 coalesce(sh.min_remaining_days, 0)),
			current_date) IS NOT FALSE AS sellable
	INTO b
	FROM alloc_new n
	LEFT JOIN wharf.order_line l ON l.id = n.order_line_id
	LEFT JOIN wharf.sales_order o ON o.id = l.order_id
	LEFT JOIN wharf.shop sh ON sh.id = o.shop_id
	LEFT JOIN wharf.sku s ON s.id = l.sku_id
	LEFT JOIN wharf.lot lt ON lt.id = n.lot_id
	LEFT JOIN wharf.stock st ON st.location_id = n.location_id
		AND st.sku_id = n.sku_id
		AND st.lot_id IS NOT DISTINCT FROM n.lot_id
	WHERE l.sku_id IS DISTINCT FROM n.sku_id
	   OR st.id IS NULL
	   OR (n.lot_id IS NOT NULL
	       AND NOT wharf.lot_sellable(lt.expiry,
			greatest(s.min_remaining_days,
				 coalesce(sh.min_remaining_days, 0)),
			current_date))
	LIMIT 1;
	IF FOUND THEN
		PERFORM wharf._allocation_refuse(b.sku_id, b.order_line_id,
			b.lot_id, b.location_id, b.line_sku, b.expiry,
			b.sellable);
	END IF;
	UPDATE wharf.stock st SET allocated = st.allocated + d.q
	FROM (SELECT location_id, sku_id, lot_id, sum(q)::integer AS q
	      FROM (SELECT location_id, sku_id, lot_id, qty AS q FROM alloc_new
		    UNION ALL
		    SELECT location_id, sku_id, lot_id, -qty FROM alloc_old) x
	      GROUP BY 1, 2, 3 HAVING sum(q) <> 0) d
	WHERE st.location_id = d.location_id AND st.sku_id = d.sku_id
	  AND st.lot_id IS NOT DISTINCT FROM d.lot_id;
	UPDATE wharf.order_line l SET qty_allocated = l.qty_allocated + d.q
	FROM (SELECT order_line_id, sum(q)::integer AS q
	      FROM (SELECT order_line_id, qty AS q FROM alloc_new
		    UNION ALL
		    SELECT order_line_id, -qty FROM alloc_old) x
	      GROUP BY 1 HAVING sum(q) <> 0) d
	WHERE l.id = d.order_line_id;
	RETURN NULL;
END $$;

CREATE FUNCTION wharf.apply_allocation_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wharf.stock st SET allocated = st.allocated - d.q
	FROM (SELECT location_id, sku_id, lot_id, sum(qty)::integer AS q
	      FROM alloc_old GROUP BY 1, 2, 3) d
	WHERE st.location_id = d.location_id AND st.sku_id = d.sku_id
	  AND st.lot_id IS NOT DISTINCT FROM d.lot_id;
	UPDATE wharf.order_line l SET qty_allocated = l.qty_allocated - d.q
	FROM (SELECT order_line_id, sum(qty)::integer AS q
	      FROM alloc_old GROUP BY 1) d
	WHERE l.id = d.order_line_id;
	RETURN NULL;
END $$;

DROP TRIGGER allocation_apply ON wharf.allocation;
CREATE TRIGGER allocation_apply AFTER INSERT ON wharf.allocation
	REFERENCING NEW TABLE AS alloc_new
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.apply_allocation_insert();
CREATE TRIGGER allocation_apply_update AFTER UPDATE ON wharf.allocation
	REFERENCING OLD TABLE AS alloc_old NEW TABLE AS alloc_new
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.apply_allocation_update();
CREATE TRIGGER allocation_apply_delete AFTER DELETE ON wharf.allocation
	REFERENCING OLD TABLE AS alloc_old
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.apply_allocation_delete();

-- Allocation --------------------------------------------------------------------

-- The pending queue: never-tried orders first, then the least recently
-- tried. allocate_pending now reads this one, and sales_order_pending of
-- 0004, which nothing else reads, goes: one index fewer to write on every
-- order insert and state change.
CREATE INDEX sales_order_pending_fair ON wharf.sales_order
	(warehouse_id, (state <> 'new'), updated_at, id)
	WHERE state IN ('new', 'partially_allocated');
DROP INDEX wharf.sales_order_pending;

-- Allocates what the orders p_orders still lack, in array order, each
-- line by the rules of _alloc_line (src/domain/alloc.h): the same
-- eligible rows, the same order, the same picks as allocating the orders
-- one after another. The caller holds the orders locked. Orders in state
-- new or partially_allocated, or in exception for an unmapped SKU, are
-- allocated; one with an unmapped line goes to (or stays in) exception
-- instead. An order in another state is only summarised, except that an
-- order in exception is put back to allocated / partially_allocated (as
-- _allocate_order of 0004 did). One row per order, in array order.
CREATE FUNCTION wharf._allocate_batch(p_orders bigint[],
	OUT o_id bigint, OUT o_state wharf.order_state, OUT o_reason text,
	OUT o_wanted integer, OUT o_allocated integer, OUT o_missing integer,
	OUT o_lines integer)
RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
	v_exc bigint[];
	v_why text[];
	-- lines to serve, ordered by warehouse, SKU, then batch order
	l_id bigint[];
	l_wh bigint[];
	l_sku bigint[];
	l_need integer[];
	l_min integer[];
	l_seq integer[];
	nl integer;
	-- candidate stock rows, ordered by warehouse, SKU, lot rank, pick
	-- face first, walk sequence, location, lot
	c_id bigint[];
	c_wh bigint[];
	c_sku bigint[];
	c_loc bigint[];
	c_lot bigint[];
	c_left integer[];
	c_sb integer[];	  -- days from today to expiry (huge: none)
	c_gend integer[]; -- last index of the row's (rank, kind) group
	nc integer;
	-- the plan
	p_seq integer[];
	p_line bigint[];
	p_cand integer[];
	p_qty integer[];
	np integer;
	v_locked boolean := false;
	v_lockset bigint[];
	v_conflict boolean;
	i integer;
	j integer;
	k integer;
	ci integer;
	cs integer;
	ce integer;
	g0 integer;
	g1 integer;
	imax integer;
	ifit integer;
	tk integer;
	q integer;
	v integer;
	need integer;
	mn integer;
	sku_left bigint;
BEGIN
	IF coalesce(cardinality(p_orders), 0) = 0 THEN
		RETURN;
	END IF;
	-- Orders with an unmapped line: exception, not allocated.
	WITH bad AS (
		SELECT DISTINCT ON (l.order_id) l.order_id,
		       format('unmapped SKU: line %s (%s)', l.line_no,
			      coalesce(l.platform_sku, '?')) AS why
		FROM wharf.order_line l
		WHERE l.order_id = ANY (p_orders) AND l.sku_id IS NULL
		ORDER BY l.order_id, l.line_no),
	u AS (
		UPDATE wharf.sales_order o SET state = 'exception',
			exception_reason = bad.why, updated_at = now()
		FROM bad
		WHERE o.id = bad.order_id
		  AND (o.state IN ('new', 'partially_allocated')
		       OR (o.state = 'exception'
			   AND o.exception_reason LIKE 'unmapped SKU%'))
		RETURNING o.id, bad.why)
	SELECT coalesce(array_agg(u.id), '{}'), coalesce(array_agg(u.why), '{}')
	INTO v_exc, v_why FROM u;

	SELECT array_agg(x.id ORDER BY x.wh, x.sku, x.seq),
	       array_agg(x.wh ORDER BY x.wh, x.sku, x.seq),
	       array_agg(x.sku ORDER BY x.wh, x.sku, x.seq),
	       array_agg(x.need ORDER BY x.wh, x.sku, x.seq),
	       array_agg(x.mn ORDER BY x.wh, x.sku, x.seq),
	       array_agg(x.seq ORDER BY x.wh, x.sku, x.seq)
	INTO l_id, l_wh, l_sku, l_need, l_min, l_seq
	FROM (SELECT l.id, o.warehouse_id AS wh, l.sku_id AS sku,
		     l.qty - l.qty_allocated - l.qty_picked AS need,
		     coalesce(greatest(s.min_remaining_days,
				       sh.min_remaining_days), 0) AS mn,
		     (row_number() OVER (ORDER BY b.ord, l.line_no, l.id))::integer
			AS seq
	      FROM unnest(p_orders) WITH ORDINALITY b(id, ord)
	      JOIN wharf.sales_order o ON o.id = b.id
	      JOIN wharf.shop sh ON sh.id = o.shop_id
	      JOIN wharf.order_line l ON l.order_id = o.id
	      JOIN wharf.sku s ON s.id = l.sku_id
	      WHERE (o.state IN ('new', 'partially_allocated')
		     OR (o.state = 'exception'
			 AND o.exception_reason LIKE 'unmapped SKU%'))
		AND o.id <> ALL (v_exc)
		AND l.qty - l.qty_allocated - l.qty_picked > 0) x;
	nl := coalesce(cardinality(l_id), 0);

	<<attempt>>
	LOOP
		EXIT attempt WHEN nl = 0;
		-- Candidates: read, or (second attempt) locked in id order.
		SELECT array_agg(c.id ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.wh ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.sku ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.loc ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.lot ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.av ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.sb ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt),
		       array_agg(c.gend ORDER BY c.wh, c.sku, c.rk, c.kd, c.ws, c.loc, c.lt)
		INTO c_id, c_wh, c_sku, c_loc, c_lot, c_left, c_sb, c_gend
		FROM (SELECT r.*,
			     (row_number() OVER w_all
			      + count(*) OVER (PARTITION BY r.wh, r.sku, r.rk, r.kd)
			      - row_number() OVER w_grp)::integer AS gend
		      FROM (SELECT st.id, st.warehouse_id AS wh, st.sku_id AS sku,
				   CASE sk.lot_control
				   WHEN 'fefo' THEN (lt.expiry - DATE '1970-01-01')::bigint
				   WHEN 'fifo' THEN coalesce(floor(extract(epoch FROM
						lt.first_received_at))::bigint, 0)
				   ELSE 0 END AS rk,
				   CASE WHEN loc.kind = 'pick' THEN 0 ELSE 1 END AS kd,
				   loc.walk_seq AS ws, loc.id AS loc,
				   coalesce(st.lot_id, 0) AS lt, st.lot_id AS lot,
				   st.on_hand - st.allocated AS av,
				   coalesce(lt.expiry - current_date, 2147483647) AS sb
			    FROM (SELECT DISTINCT u.wh, u.sku
				  FROM unnest(l_wh, l_sku) u(wh, sku)) u
			    JOIN wharf.sku sk ON sk.id = u.sku
			    -- per SKU through stock_sku, never a scan of all stock
			    CROSS JOIN LATERAL (
				SELECT st.id, st.warehouse_id, st.sku_id,
				       st.location_id, st.lot_id, st.on_hand,
				       st.allocated
				FROM wharf.stock st
				WHERE st.warehouse_id = u.wh AND st.sku_id = u.sku
				  AND st.on_hand - st.allocated > 0
				  AND (NOT v_locked OR st.id = ANY (v_lockset))
				OFFSET 0) st
			    JOIN wharf.location loc ON loc.id = st.location_id
			    LEFT JOIN wharf.lot lt ON lt.id = st.lot_id
			    WHERE loc.kind IN ('pick', 'storage')
			      AND NOT loc.blocked AND NOT loc.needs_count
			      AND (lt.expiry IS NOT NULL OR sk.lot_control <> 'fefo')) r
		      WINDOW w_all AS (ORDER BY r.wh, r.sku, r.rk, r.kd, r.ws, r.loc, r.lt),
			     w_grp AS (PARTITION BY r.wh, r.sku, r.rk, r.kd
				       ORDER BY r.ws, r.loc, r.lt)) c;
		nc := coalesce(cardinality(c_id), 0);

		-- The plan: lines and candidates are both ordered by
		-- (warehouse, SKU); each SKU's lines take from its rows in
		-- batch order.
		p_seq := '{}';
		p_line := '{}';
		p_cand := '{}';
		p_qty := '{}';
		np := 0;
		i := 1;
		ci := 1;
		WHILE i <= nl LOOP
			WHILE ci <= nc AND (c_wh[ci] < l_wh[i]
			      OR (c_wh[ci] = l_wh[i] AND c_sku[ci] < l_sku[i])) LOOP
				ci := ci + 1;
			END LOOP;
			cs := ci;
			ce := ci - 1;
			sku_left := 0;
			WHILE ce < nc AND c_wh[ce + 1] = l_wh[i]
			      AND c_sku[ce + 1] = l_sku[i] LOOP
				ce := ce + 1;
				sku_left := sku_left + c_left[ce];
			END LOOP;
			ci := ce + 1;
			j := i;
			WHILE j <= nl AND l_wh[j] = l_wh[i] AND l_sku[j] = l_sku[i] LOOP
				need := l_need[j];
				mn := l_min[j];
				g0 := cs;
				-- Nothing left of the SKU: the line waits.
				WHILE sku_left > 0 AND g0 <= ce AND need > 0 LOOP
					g1 := c_gend[g0];
					LOOP
						-- Within a (rank, kind) group: the
						-- smallest row covering the need,
						-- else the largest; ties by walk,
						-- location, lot.
						imax := 0;
						ifit := 0;
						FOR k IN g0 .. g1 LOOP
							v := c_left[k];
							IF v > 0 AND c_sb[k] >= mn THEN
								IF imax = 0 OR v > c_left[imax] THEN
									imax := k;
								END IF;
								IF v >= need AND (ifit = 0 OR v < c_left[ifit]) THEN
									ifit := k;
								END IF;
							END IF;
						END LOOP;
						EXIT WHEN imax = 0;
						tk := CASE WHEN ifit > 0 THEN ifit ELSE imax END;
						q := least(c_left[tk], need);
						np := np + 1;
						p_seq[np] := l_seq[j];
						p_line[np] := l_id[j];
						p_cand[np] := tk;
						p_qty[np] := q;
						c_left[tk] := c_left[tk] - q;
						need := need - q;
						sku_left := sku_left - q;
						EXIT WHEN need = 0;
					END LOOP;
					g0 := g1 + 1;
				END LOOP;
				j := j + 1;
			END LOOP;
			i := j;
		END LOOP;
		EXIT attempt WHEN np = 0 OR v_locked;

		-- Lock the rows the plan uses, in id order, and check that they
		-- still hold what it takes. If not, undo the locks (savepoint)
		-- and plan again with every candidate row locked.
		v_conflict := false;
		BEGIN
			PERFORM 1 FROM wharf.stock s
			WHERE s.id IN (SELECT c_id[u.c] FROM unnest(p_cand) u(c))
			ORDER BY s.id FOR UPDATE;
			IF EXISTS (SELECT 1
				   FROM (SELECT c_id[u.c] AS id, sum(u.q) AS q
					 FROM unnest(p_cand, p_qty) u(c, q)
					 GROUP BY 1) u
				   JOIN wharf.stock s ON s.id = u.id
				   WHERE s.on_hand - s.allocated < u.q) THEN
				RAISE EXCEPTION 'stock changed' USING ERRCODE = 'WH409';
			END IF;
		EXCEPTION WHEN SQLSTATE 'WH409' THEN
			v_conflict := true;
		END;
		EXIT attempt WHEN NOT v_conflict;
		-- Second attempt: only rows locked here are candidates, so the
		-- plan needs no further check.
		v_locked := true;
		SELECT coalesce(array_agg(z.id), '{}') INTO v_lockset
		FROM (SELECT st.id FROM wharf.stock st
		      JOIN wharf.location loc ON loc.id = st.location_id
		      WHERE (st.warehouse_id, st.sku_id) IN
			    (SELECT DISTINCT u.wh, u.sku
			     FROM unnest(l_wh, l_sku) u(wh, sku))
			AND st.on_hand - st.allocated > 0
			AND loc.kind IN ('pick', 'storage')
		      ORDER BY st.id FOR UPDATE OF st) z;
	END LOOP;

	IF np > 0 THEN
		INSERT INTO wharf.allocation (warehouse_id, order_line_id,
					      location_id, sku_id, lot_id, qty)
		SELECT c_wh[u.c], u.line, c_loc[u.c], c_sku[u.c], c_lot[u.c], u.q
		FROM unnest(p_seq, p_line, p_cand, p_qty) WITH ORDINALITY
			AS u(seq, line, c, q, n)
		ORDER BY u.seq, u.n;
	END IF;

	RETURN QUERY
	WITH b AS (
		SELECT x.id, x.ord FROM unnest(p_orders) WITH ORDINALITY x(id, ord)),
	s AS (
		SELECT b.id, b.ord, sum(l.qty)::integer AS w,
		       sum(l.qty - l.qty_allocated - l.qty_picked)::integer AS m,
		       count(l.id)::integer AS n
		FROM b LEFT JOIN wharf.order_line l ON l.order_id = b.id
		WHERE b.id <> ALL (v_exc)
		GROUP BY b.id, b.ord),
	u AS (
		UPDATE wharf.sales_order o SET
			state = CASE WHEN s.m = 0 THEN 'allocated'::wharf.order_state
				     ELSE 'partially_allocated' END,
			exception_reason = NULL, updated_at = now()
		FROM s
		WHERE o.id = s.id
		  AND o.state IN ('new', 'partially_allocated', 'exception')
		RETURNING o.id, o.state)
	SELECT r.id, r.state, r.why, r.w, r.a, r.m, r.n
	FROM (SELECT s.ord, s.id, coalesce(u.state, o.state) AS state,
		     NULL::text AS why, s.w, s.w - s.m AS a, s.m, s.n
	      FROM s JOIN wharf.sales_order o ON o.id = s.id
	      LEFT JOIN u ON u.id = s.id
	      UNION ALL
	      SELECT b.ord, b.id, 'exception', e.why, 0, 0, 0, 0
	      FROM unnest(v_exc, v_why) e(id, why) JOIN b ON b.id = e.id) r
	ORDER BY r.ord;
END $$;

-- As in 0004: allocates what one order lacks (the order row is locked by
-- the caller) and returns the summary; now through _allocate_batch.
CREATE OR REPLACE FUNCTION wharf._allocate_order(p_order bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	o record;
	r record;
BEGIN
	SELECT platform_order_id, intercepted_at, intercept_reason INTO o
	FROM wharf.sales_order WHERE id = p_order;
	IF o.intercepted_at IS NOT NULL THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%)',
			o.platform_order_id, coalesce(o.intercept_reason, 'cancelled');
	END IF;
	SELECT * INTO r FROM wharf._allocate_batch(ARRAY[p_order]);
	IF r.o_reason IS NOT NULL THEN
		RETURN jsonb_build_object('order_id', p_order,
			'state', r.o_state, 'reason', r.o_reason,
			'wanted', 0, 'allocated', 0, 'missing', 0, 'lines', 0);
	END IF;
	RETURN jsonb_build_object('order_id', p_order, 'state', r.o_state,
		'wanted', r.o_wanted, 'allocated', r.o_allocated,
		'missing', r.o_missing, 'lines', r.o_lines);
END $$;

-- allocate_pending(warehouse, limit): the sync thread's bulk call. Never
-- tried ('new') orders first, then partially allocated ones least
-- recently tried; orders another caller is allocating are skipped. The
-- whole batch is allocated at once, in that order.
CREATE OR REPLACE FUNCTION wharf.allocate_pending(p_wh bigint,
						  p_limit integer,
						  p_user bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_ids bigint[];
	v_r record;
BEGIN
	IF p_user IS NOT NULL THEN
		PERFORM wharf._actor(p_user, '{}', 'allocate orders');
	END IF;
	SELECT array_agg(x.id ORDER BY x.tried, x.updated_at, x.id) INTO v_ids
	FROM (SELECT o.id, o.state <> 'new' AS tried, o.updated_at
	      FROM wharf.sales_order o
	      WHERE o.warehouse_id = p_wh
		AND o.state IN ('new', 'partially_allocated')
		AND o.intercepted_at IS NULL
	      ORDER BY o.state <> 'new', o.updated_at, o.id
	      LIMIT p_limit FOR UPDATE SKIP LOCKED) x;
	SELECT count(*)::integer AS orders,
	       count(*) FILTER (WHERE b.o_state = 'allocated')::integer AS full_,
	       coalesce(sum(b.o_lines), 0)::integer AS lines,
	       coalesce(sum(b.o_allocated), 0)::integer AS units
	INTO v_r
	FROM wharf._allocate_batch(v_ids) b;
	RETURN jsonb_build_object('orders', v_r.orders,
				  'allocated_orders', v_r.full_,
				  'lines', v_r.lines, 'units', v_r.units);
END $$;
