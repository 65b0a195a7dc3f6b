-- 0004_engine.sql: the inventory engine (DESIGN.md sections 4-5).
--
-- Every floor operation is one function, one round trip, taking the acting
-- user (roles are checked here, not only in menus) and a client-generated
-- op_id. The first call records its result in wharf.operation; a replay
-- finds the row and returns that result (with "replayed": true) without
-- changing anything. A refused call rolls back and records nothing, so a
-- retry is evaluated afresh.
--
-- Refusals are RAISEd with SQLSTATE P0001 (role refusals: 42501) and a
-- message that starts with a stable reason code, "CODE: words", e.g.
--   WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned L2
-- The codes are listed in src/db/engine.h.
--
-- Lock order, everywhere: sales_order rows (by id) -> pick_task rows (by
-- id) -> stock rows (by id). Deadlocks that remain possible (a count that
-- must release allocations of an order) surface as 40P01 and are retried
-- by the C wrappers.
--
-- "Today" is current_date, as in the allocation trigger of 0001: one
-- definition of the ship-by day (wharf.lot_sellable) everywhere.

-- Which order lines a pick task serves, and how much of each. A
-- single-item wave task consolidates many orders' allocations at one bin.
CREATE TABLE wharf.pick_task_line (
	task_id bigint NOT NULL REFERENCES wharf.pick_task,
	order_line_id bigint NOT NULL REFERENCES wharf.order_line,
	qty integer NOT NULL CHECK (qty >= 0),
	qty_done integer NOT NULL DEFAULT 0
		CHECK (qty_done >= 0 AND qty_done <= qty),
	PRIMARY KEY (task_id, order_line_id)
);
CREATE INDEX pick_task_line_line ON wharf.pick_task_line (order_line_id);

-- Picked units of an order line, held in a tote (or pack) location until
-- shipped or put back: which lot, picked from where. Sum per line is
-- qty_picked - qty_shipped (wharf.verify_engine checks it).
CREATE TABLE wharf.picked_stock (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	order_line_id bigint NOT NULL REFERENCES wharf.order_line,
	location_id bigint NOT NULL REFERENCES wharf.location,
	source_location_id bigint NOT NULL REFERENCES wharf.location,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	qty integer NOT NULL CHECK (qty > 0),
	UNIQUE NULLS NOT DISTINCT (order_line_id, location_id,
				   source_location_id, lot_id)
);

CREATE INDEX pick_task_claim ON wharf.pick_task (warehouse_id, seq, id)
	WHERE state = 'open';
CREATE INDEX pick_task_wave ON wharf.pick_task (wave_id, state);
CREATE INDEX stock_move_order ON wharf.stock_move (order_id)
	WHERE order_id IS NOT NULL;
CREATE INDEX sales_order_pending ON wharf.sales_order (warehouse_id, updated_at, id)
	WHERE state IN ('new', 'partially_allocated');

-- Helpers -------------------------------------------------------------------

-- The acting user's role, or a refusal (42501) when the role may not do
-- what. Supervisors and admins may do everything.
CREATE FUNCTION wharf._actor(p_user bigint, p_roles wharf.user_role[],
			     p_what text)
RETURNS wharf.user_role LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_role wharf.user_role;
	v_active boolean;
BEGIN
	SELECT u.role, u.active INTO v_role, v_active
	FROM wharf.app_user u WHERE u.id = p_user;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'ROLE_REFUSED: unknown user % may not %',
			p_user, p_what USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT v_active THEN
		RAISE EXCEPTION 'ROLE_REFUSED: user % is inactive', p_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF v_role IN ('supervisor', 'admin') OR v_role = ANY (p_roles) THEN
		RETURN v_role;
	END IF;
	RAISE EXCEPTION 'ROLE_REFUSED: a % may not %', v_role, p_what
		USING ERRCODE = 'insufficient_privilege';
END $$;

-- Starts an operation: NULL when it is new (a placeholder row now holds the
-- op_id, so a concurrent replay waits for this transaction), else the
-- recorded result of the first call.
CREATE FUNCTION wharf._op_begin(p_op uuid, p_kind text, p_wh bigint,
				p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_kind text;
	v_result jsonb;
BEGIN
	IF p_op IS NULL THEN
		RAISE EXCEPTION 'BAD_OP: an operation id is required for %',
			p_kind;
	END IF;
	INSERT INTO wharf.operation (op_id, kind, warehouse_id, user_id,
				     station_id)
	VALUES (p_op, p_kind, p_wh, p_user, p_station)
	ON CONFLICT (op_id) DO NOTHING;
	IF FOUND THEN
		RETURN NULL;
	END IF;
	SELECT o.kind, o.result INTO v_kind, v_result
	FROM wharf.operation o WHERE o.op_id = p_op;
	IF v_kind <> p_kind THEN
		RAISE EXCEPTION 'OP_CONFLICT: operation % was a %, not a %',
			p_op, v_kind, p_kind;
	END IF;
	RETURN v_result || '{"replayed": true}';
END $$;

CREATE FUNCTION wharf._op_end(p_op uuid, p_result jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	UPDATE wharf.operation SET result = p_result || '{"replayed": false}'
	WHERE op_id = p_op;
	RETURN p_result || '{"replayed": false}';
END $$;

CREATE FUNCTION wharf._audit(p_user bigint, p_station bigint, p_action text,
			     p_entity text, p_id bigint, p_detail jsonb)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (p_user, p_station, p_action, p_entity, p_id, p_detail)
$$;

-- One ledger row (the trigger of 0001 applies it to stock).
CREATE FUNCTION wharf._move(p_op uuid, p_wh bigint, p_kind wharf.move_kind,
			    p_sku bigint, p_lot bigint, p_from bigint,
			    p_to bigint, p_qty integer, p_order bigint,
			    p_reason text, p_user bigint, p_station bigint)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO wharf.stock_move (op_id, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty,
				      order_id, reason, user_id, station_id)
	VALUES (p_op, p_wh, p_kind, p_sku, p_lot, p_from, p_to, p_qty,
		p_order, p_reason, p_user, p_station)
$$;

-- A scanned barcode: the SKU and the units one scan stands for. A GTIN-13
-- and its GTIN-14 form (leading 0) are the same code; a SKU code is
-- accepted as a unit barcode.
CREATE FUNCTION wharf.barcode_lookup(p_code text,
				     OUT sku_id bigint, OUT pack_qty integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT b.sku_id, b.pack_qty INTO sku_id, pack_qty
	FROM wharf.barcode b
	WHERE b.code IN (p_code,
			 CASE WHEN length(p_code) = 14 AND left(p_code, 1) = '0'
			      THEN substr(p_code, 2) END,
			 CASE WHEN length(p_code) = 13 THEN '0' || p_code END)
	ORDER BY b.code = p_code DESC LIMIT 1;
	IF NOT FOUND THEN
		SELECT s.id, 1 INTO sku_id, pack_qty
		FROM wharf.sku s WHERE s.code = p_code;
	END IF;
END $$;

CREATE FUNCTION wharf._lot_text(p_lot bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_lot IS NULL THEN 'no lot'
		    ELSE (SELECT format('lot %s (exp %s)', l.lot_code,
					coalesce(l.expiry::text, 'none'))
			  FROM wharf.lot l WHERE l.id = p_lot) END
$$;

-- Allocation ----------------------------------------------------------------

-- Allocates up to p_need units to one order line, mirroring the C planner
-- (src/domain/alloc.h) exactly: eligible rows are stock at unblocked pick
-- and storage locations not flagged for a count, with free units, whose lot
-- is sellable today by the line's minimum remaining life (a FEFO SKU needs
-- a lot with an expiry); ORDER lot rank, pick face before storage, then
-- within a (rank, kind) group the largest rows while none covers the need,
-- and the smallest covering row once one does; ties by walk sequence,
-- location, lot. The caller holds the line's order and the SKU's stock
-- rows locked. Returns the ids of the allocations made.
CREATE FUNCTION wharf._alloc_line(p_line bigint, p_need integer,
				  p_exclude bigint DEFAULT NULL)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
	v_sku bigint;
	v_wh bigint;
	v_ctl wharf.lot_control;
	v_min integer;
	c_rank bigint[];
	c_kind integer[];
	c_left integer[];
	c_loc bigint[];
	c_lot bigint[];
	n integer;
	g0 integer := 1;
	g1 integer;
	nxt integer;
	tk integer;
	q integer;
	need integer := p_need;
	v_id bigint;
	made bigint[] := '{}';
BEGIN
	IF need <= 0 THEN
		RETURN made;
	END IF;
	SELECT l.sku_id, o.warehouse_id, s.lot_control,
	       greatest(s.min_remaining_days, sh.min_remaining_days)
	INTO v_sku, v_wh, v_ctl, v_min
	FROM wharf.order_line l
	JOIN wharf.sales_order o ON o.id = l.order_id
	JOIN wharf.shop sh ON sh.id = o.shop_id
	JOIN wharf.sku s ON s.id = l.sku_id
	WHERE l.id = p_line;

	SELECT array_agg(c.rk ORDER BY c.rk, c.kd, c.av DESC, c.ws, c.loc, c.lt),
	       array_agg(c.kd ORDER BY c.rk, c.kd, c.av DESC, c.ws, c.loc, c.lt),
	       array_agg(c.av ORDER BY c.rk, c.kd, c.av DESC, c.ws, c.loc, c.lt),
	       array_agg(c.loc ORDER BY c.rk, c.kd, c.av DESC, c.ws, c.loc, c.lt),
	       array_agg(c.lot ORDER BY c.rk, c.kd, c.av DESC, c.ws, c.loc, c.lt)
	INTO c_rank, c_kind, c_left, c_loc, c_lot
	FROM (SELECT CASE v_ctl
			WHEN 'fefo' THEN (lt.expiry - DATE '1970-01-01')::bigint
			WHEN 'fifo' THEN coalesce(floor(extract(epoch FROM
					lt.first_received_at))::bigint, 0)
			ELSE 0 END AS rk,
		     CASE WHEN loc.kind = 'pick' THEN 0 ELSE 1 END AS kd,
		     st.on_hand - st.allocated AS av,
		     loc.walk_seq AS ws, loc.id AS loc,
		     coalesce(st.lot_id, 0) AS lt, st.lot_id AS lot
	      FROM wharf.stock st
	      JOIN wharf.location loc ON loc.id = st.location_id
	      LEFT JOIN wharf.lot lt ON lt.id = st.lot_id
	      WHERE st.warehouse_id = v_wh AND st.sku_id = v_sku
		AND st.on_hand - st.allocated > 0
		AND loc.kind IN ('pick', 'storage')
		AND NOT loc.blocked AND NOT loc.needs_count
		AND loc.id IS DISTINCT FROM p_exclude
		AND CASE WHEN lt.expiry IS NOT NULL
			 THEN wharf.lot_sellable(lt.expiry, v_min, current_date)
			 ELSE v_ctl <> 'fefo' END) c;
	n := coalesce(array_length(c_rank, 1), 0);

	WHILE g0 <= n AND need > 0 LOOP
		g1 := g0;
		WHILE g1 < n AND c_rank[g1 + 1] = c_rank[g0]
		      AND c_kind[g1 + 1] = c_kind[g0] LOOP
			g1 := g1 + 1;
		END LOOP;
		nxt := g0;
		WHILE nxt <= g1 AND need > 0 LOOP
			tk := nxt;
			IF c_left[nxt] >= need THEN
				FOR j IN nxt + 1 .. g1 LOOP
					EXIT WHEN c_left[j] < need;
					IF c_left[j] < c_left[tk] THEN
						tk := j;
					END IF;
				END LOOP;
			END IF;
			q := least(c_left[tk], need);
			INSERT INTO wharf.allocation (warehouse_id, order_line_id,
						      location_id, sku_id, lot_id, qty)
			VALUES (v_wh, p_line, c_loc[tk], v_sku, c_lot[tk], q)
			RETURNING id INTO v_id;
			made := made || v_id;
			c_left[tk] := c_left[tk] - q;
			need := need - q;
			IF tk = nxt THEN
				nxt := nxt + 1;
			END IF;
		END LOOP;
		g0 := g1 + 1;
	END LOOP;
	RETURN made;
END $$;

-- Allocates what an order still lacks; the order row is locked by the
-- caller. Unmapped lines put the order in exception. Returns the summary.
CREATE FUNCTION wharf._allocate_order(p_order bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	o record;
	ln record;
	v_wanted integer;
	v_missing integer;
	v_state wharf.order_state;
	v_reason text;
BEGIN
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF o.intercepted_at IS NOT NULL THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%)',
			o.platform_order_id, coalesce(o.intercept_reason, 'cancelled');
	END IF;
	IF o.state IN ('new', 'partially_allocated')
	   OR (o.state = 'exception' AND o.exception_reason LIKE 'unmapped SKU%') THEN
		SELECT format('unmapped SKU: line %s (%s)', l.line_no,
			      coalesce(l.platform_sku, '?'))
		INTO v_reason
		FROM wharf.order_line l
		WHERE l.order_id = p_order AND l.sku_id IS NULL
		ORDER BY l.line_no LIMIT 1;
		IF v_reason IS NOT NULL THEN
			UPDATE wharf.sales_order SET state = 'exception',
				exception_reason = v_reason, updated_at = now()
			WHERE id = p_order;
			RETURN jsonb_build_object('order_id', p_order,
				'state', 'exception', 'reason', v_reason,
				'wanted', 0, 'allocated', 0, 'missing', 0,
				'lines', 0);
		END IF;
		PERFORM 1 FROM wharf.stock st
		WHERE st.warehouse_id = o.warehouse_id
		  AND st.sku_id IN (SELECT l.sku_id FROM wharf.order_line l
				    WHERE l.order_id = p_order)
		ORDER BY st.id FOR UPDATE;
		FOR ln IN SELECT l.id, l.qty - l.qty_allocated - l.qty_picked AS need
			  FROM wharf.order_line l WHERE l.order_id = p_order
			  ORDER BY l.line_no, l.id LOOP
			IF ln.need > 0 THEN
				PERFORM wharf._alloc_line(ln.id, ln.need);
			END IF;
		END LOOP;
	END IF;
	SELECT sum(l.qty), sum(l.qty - l.qty_allocated - l.qty_picked)
	INTO v_wanted, v_missing
	FROM wharf.order_line l WHERE l.order_id = p_order;
	v_state := o.state;
	IF o.state IN ('new', 'partially_allocated', 'exception') THEN
		v_state := CASE WHEN v_missing = 0 THEN 'allocated'
				ELSE 'partially_allocated' END;
		UPDATE wharf.sales_order SET state = v_state,
			exception_reason = NULL, updated_at = now()
		WHERE id = p_order;
	END IF;
	RETURN jsonb_build_object('order_id', p_order, 'state', v_state,
		'wanted', v_wanted, 'allocated', v_wanted - v_missing,
		'missing', v_missing,
		'lines', (SELECT count(*) FROM wharf.order_line l
			  WHERE l.order_id = p_order));
END $$;

-- allocate(order, op, user): reserves stock for every line of an order.
-- p_user NULL is the sync process; a person must be a supervisor/admin.
CREATE FUNCTION wharf.allocate(p_order bigint, p_op uuid,
			       p_user bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_wh bigint;
BEGIN
	IF p_user IS NOT NULL THEN
		PERFORM wharf._actor(p_user, '{}', 'allocate orders');
	END IF;
	SELECT warehouse_id INTO v_wh FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'allocate', v_wh, p_user, NULL);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	PERFORM 1 FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	RETURN wharf._op_end(p_op, wharf._allocate_order(p_order));
END $$;

-- allocate_pending(warehouse, limit): the sync thread's bulk call. New
-- orders first, then partially allocated ones least recently tried;
-- orders another caller is allocating are skipped.
CREATE FUNCTION wharf.allocate_pending(p_wh bigint, p_limit integer,
				       p_user bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_r jsonb;
	n_orders integer := 0;
	n_full integer := 0;
	n_lines integer := 0;
	n_units integer := 0;
BEGIN
	IF p_user IS NOT NULL THEN
		PERFORM wharf._actor(p_user, '{}', 'allocate orders');
	END IF;
	FOR v_id IN SELECT o.id FROM wharf.sales_order o
		    WHERE o.warehouse_id = p_wh
		      AND o.state IN ('new', 'partially_allocated')
		      AND o.intercepted_at IS NULL
		    ORDER BY o.updated_at, o.id
		    LIMIT p_limit FOR UPDATE SKIP LOCKED LOOP
		v_r := wharf._allocate_order(v_id);
		n_orders := n_orders + 1;
		n_lines := n_lines + (v_r->>'lines')::integer;
		n_units := n_units + (v_r->>'allocated')::integer;
		IF v_r->>'state' = 'allocated' THEN
			n_full := n_full + 1;
		END IF;
	END LOOP;
	RETURN jsonb_build_object('orders', n_orders, 'allocated_orders', n_full,
				  'lines', n_lines, 'units', n_units);
END $$;

-- Removes up to p_qty units of a line's allocations at one stock row.
CREATE FUNCTION wharf._dealloc(p_line bigint, p_loc bigint, p_lot bigint,
			       p_qty integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	a record;
	left_ integer := p_qty;
	t integer;
BEGIN
	FOR a IN SELECT id, qty FROM wharf.allocation
		 WHERE order_line_id = p_line AND location_id = p_loc
		   AND lot_id IS NOT DISTINCT FROM p_lot
		 ORDER BY id LOOP
		EXIT WHEN left_ <= 0;
		t := least(a.qty, left_);
		IF t = a.qty THEN
			DELETE FROM wharf.allocation WHERE id = a.id;
		ELSE
			UPDATE wharf.allocation SET qty = qty - t WHERE id = a.id;
		END IF;
		left_ := left_ - t;
	END LOOP;
	RETURN p_qty - left_;
END $$;

-- Takes a line's unpicked units off its open pick tasks at one bin (all
-- bins when p_loc is NULL); cancels a task left with nothing to do.
CREATE FUNCTION wharf._unplan(p_line bigint, p_loc bigint, p_lot bigint,
			      p_qty integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r record;
	t integer;
	left_ integer := p_qty;
BEGIN
	FOR r IN SELECT ptl.task_id, ptl.qty - ptl.qty_done AS rem,
			pt.qty, pt.qty_done
		 FROM wharf.pick_task_line ptl
		 JOIN wharf.pick_task pt ON pt.id = ptl.task_id
		 WHERE ptl.order_line_id = p_line AND pt.kind = 'pick'
		   AND pt.state IN ('open', 'claimed')
		   AND ptl.qty > ptl.qty_done
		   AND (p_loc IS NULL OR (pt.location_id = p_loc
			AND pt.lot_id IS NOT DISTINCT FROM p_lot))
		 ORDER BY pt.id LOOP
		EXIT WHEN left_ <= 0;
		t := least(r.rem, left_);
		UPDATE wharf.pick_task_line SET qty = qty - t
		WHERE task_id = r.task_id AND order_line_id = p_line;
		IF r.qty - t <= 0 THEN
			UPDATE wharf.pick_task SET state = 'cancelled',
				done_at = now() WHERE id = r.task_id;
		ELSIF r.qty - t = r.qty_done THEN
			UPDATE wharf.pick_task SET qty = qty - t, state = 'done',
				done_at = now() WHERE id = r.task_id;
		ELSE
			UPDATE wharf.pick_task SET qty = qty - t
			WHERE id = r.task_id;
		END IF;
		left_ := left_ - t;
	END LOOP;
END $$;

-- Releases p_qty allocated units of one stock row (a count found less
-- than is reserved): newest allocations first; their orders go back to
-- partially_allocated, or to exception once released to the floor.
CREATE FUNCTION wharf._release_stock(p_loc bigint, p_sku bigint, p_lot bigint,
				     p_qty integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	a record;
	t integer;
	left_ integer := p_qty;
BEGIN
	FOR a IN SELECT al.id, al.qty, al.order_line_id, l.order_id
		 FROM wharf.allocation al
		 JOIN wharf.order_line l ON l.id = al.order_line_id
		 WHERE al.location_id = p_loc AND al.sku_id = p_sku
		   AND al.lot_id IS NOT DISTINCT FROM p_lot
		 ORDER BY al.id DESC LOOP
		EXIT WHEN left_ <= 0;
		t := least(a.qty, left_);
		PERFORM wharf._unplan(a.order_line_id, p_loc, p_lot, t);
		PERFORM wharf._dealloc(a.order_line_id, p_loc, p_lot, t);
		UPDATE wharf.sales_order SET
			state = CASE WHEN state IN ('allocated', 'partially_allocated')
				     THEN 'partially_allocated'::wharf.order_state
				     ELSE 'exception' END,
			exception_reason = CASE WHEN state IN ('allocated', 'partially_allocated')
				THEN exception_reason
				ELSE 'count: allocated stock missing' END,
			updated_at = now()
		WHERE id = a.order_id AND state NOT IN ('shipped', 'cancelled');
		left_ := left_ - t;
	END LOOP;
END $$;

-- Waves ---------------------------------------------------------------------

-- Writes a wave planned in C by wave_plan() (src/db/engine.c). p_plan:
--   {"orders": [{"o": order, "t": tote, "s": slot}, ...],
--    "tasks":  [{"w": walk index, "l": location, "k": sku, "q": lot|null,
--                "n": qty, "t": tote, "s": slot, "o": order|0}, ...]}
-- with tote/slot numbers 1-based (0 for single-item). Re-validates under
-- locks that every order is still fully allocated and not intercepted and
-- that the tasks cover exactly the orders' allocations; anything else is
-- WAVE_STALE (the C side re-plans). Picks go into real totes: free totes
-- of the warehouse (one for a single-item batch).
CREATE FUNCTION wharf.write_wave(p_wh bigint, p_strategy text, p_user bigint,
				 p_carrier text, p_plan jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_orders bigint[];
	v_ok integer;
	v_ntotes integer;
	v_maxslot integer;
	v_totes bigint[];
	v_wave bigint;
	v_tasks integer;
	v_bad integer;
	v_units bigint;
BEGIN
	PERFORM wharf._actor(p_user, '{}', 'release waves');
	SELECT array_agg(x.o ORDER BY x.o) INTO v_orders
	FROM jsonb_to_recordset(p_plan->'orders') AS x(o bigint);
	IF v_orders IS NULL THEN
		RETURN jsonb_build_object('wave_id', NULL, 'orders', 0,
					  'tasks', 0, 'totes', 0, 'units', 0);
	END IF;
	PERFORM 1 FROM wharf.sales_order WHERE id = ANY (v_orders)
	ORDER BY id FOR UPDATE;
	SELECT count(*) INTO v_ok
	FROM wharf.sales_order o
	WHERE o.id = ANY (v_orders) AND o.warehouse_id = p_wh
	  AND o.state = 'allocated' AND o.intercepted_at IS NULL
	  AND NOT EXISTS (SELECT 1 FROM wharf.order_line l WHERE l.order_id = o.id
			  AND l.qty_allocated <> l.qty);
	IF v_ok <> cardinality(v_orders) THEN
		RAISE EXCEPTION 'WAVE_STALE: % of % orders are no longer allocated',
			cardinality(v_orders) - v_ok, cardinality(v_orders);
	END IF;

	SELECT greatest(1, max(x.t)), max(x.s) INTO v_ntotes, v_maxslot
	FROM jsonb_to_recordset(p_plan->'orders') AS x(t integer, s integer);
	SELECT array_agg(id ORDER BY code) INTO v_totes FROM (
		SELECT t.id, t.code FROM wharf.tote t
		LEFT JOIN wharf.wave w ON w.id = t.wave_id
		WHERE t.warehouse_id = p_wh AND t.slots >= greatest(v_maxslot, 1)
		  AND (t.wave_id IS NULL OR w.state IN ('done', 'cancelled'))
		  AND NOT EXISTS (SELECT 1 FROM wharf.stock s
				  WHERE s.location_id = t.location_id AND s.on_hand > 0)
		ORDER BY t.code LIMIT v_ntotes
		FOR UPDATE OF t SKIP LOCKED) f;
	IF coalesce(cardinality(v_totes), 0) < v_ntotes THEN
		RAISE EXCEPTION 'NO_TOTE: the wave needs % totes, % are free',
			v_ntotes, coalesce(cardinality(v_totes), 0);
	END IF;

	INSERT INTO wharf.wave (warehouse_id, strategy, carrier, created_by)
	VALUES (p_wh, p_strategy, p_carrier, p_user) RETURNING id INTO v_wave;
	UPDATE wharf.tote SET wave_id = v_wave WHERE id = ANY (v_totes);
	INSERT INTO wharf.wave_order (wave_id, order_id, tote_id, slot)
	SELECT v_wave, x.o, v_totes[greatest(x.t, 1)], nullif(x.s, 0)
	FROM jsonb_to_recordset(p_plan->'orders') AS x(o bigint, t integer, s integer);

	WITH t AS (
		INSERT INTO wharf.pick_task (warehouse_id, kind, wave_id, order_id,
			seq, location_id, to_location_id, sku_id, lot_id, qty,
			tote_id, slot)
		SELECT p_wh, 'pick', v_wave, nullif(x.o, 0), x.w, x.l,
		       tt.location_id, x.k, x.q, x.n, tt.id, nullif(x.s, 0)
		FROM jsonb_to_recordset(p_plan->'tasks')
			AS x(w integer, l bigint, k bigint, q bigint, n integer,
			     t integer, s integer, o bigint)
		JOIN wharf.tote tt ON tt.id = v_totes[greatest(x.t, 1)]
		RETURNING id, location_id, sku_id, lot_id, order_id)
	INSERT INTO wharf.pick_task_line (task_id, order_line_id, qty)
	SELECT t.id, a.order_line_id, sum(a.qty)
	FROM t
	JOIN wharf.allocation a ON a.location_id = t.location_id
	 AND a.sku_id = t.sku_id
	 AND (a.lot_id = t.lot_id OR (a.lot_id IS NULL AND t.lot_id IS NULL))
	JOIN wharf.order_line l ON l.id = a.order_line_id
	JOIN wharf.wave_order wo ON wo.order_id = l.order_id AND wo.wave_id = v_wave
	WHERE t.order_id IS NULL OR t.order_id = l.order_id
	GROUP BY t.id, a.order_line_id;

	SELECT count(*), count(*) FILTER (WHERE pt.qty <> coalesce(s.q, 0)),
	       sum(pt.qty)
	INTO v_tasks, v_bad, v_units
	FROM wharf.pick_task pt
	LEFT JOIN (SELECT task_id, sum(qty) AS q FROM wharf.pick_task_line
		   GROUP BY task_id) s ON s.task_id = pt.id
	WHERE pt.wave_id = v_wave;
	IF v_bad > 0 OR v_units <> (SELECT sum(a.qty) FROM wharf.allocation a
				    JOIN wharf.order_line l ON l.id = a.order_line_id
				    WHERE l.order_id = ANY (v_orders)) THEN
		RAISE EXCEPTION 'WAVE_STALE: the plan does not match the allocations';
	END IF;
	UPDATE wharf.sales_order SET state = 'released', updated_at = now()
	WHERE id = ANY (v_orders);
	PERFORM wharf._audit(p_user, NULL, 'release_wave', 'wave', v_wave,
			     jsonb_build_object('orders', cardinality(v_orders),
						'tasks', v_tasks));
	RETURN jsonb_build_object('wave_id', v_wave, 'orders',
				  cardinality(v_orders), 'tasks', v_tasks,
				  'totes', cardinality(v_totes), 'units', v_units);
END $$;

-- Picking -------------------------------------------------------------------

CREATE FUNCTION wharf._task_json(p_task bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'task_id', t.id, 'kind', t.kind, 'state', t.state,
		'location_id', t.location_id, 'location_code', loc.code,
		'to_location_code', tl.code,
		'sku_id', t.sku_id, 'sku_code', s.code, 'sku_name', s.name,
		'lot_code', lt.lot_code, 'lot_expiry', lt.expiry,
		'qty', t.qty - t.qty_done, 'tote_code', tote.code, 'slot', t.slot,
		'order_id', t.order_id, 'wave_id', t.wave_id,
		'wave_done', (SELECT count(*) FROM wharf.pick_task w
			      WHERE w.wave_id = t.wave_id
				AND w.state IN ('done', 'short', 'cancelled')),
		'wave_total', (SELECT count(*) FROM wharf.pick_task w
			       WHERE w.wave_id = t.wave_id))
	FROM wharf.pick_task t
	JOIN wharf.location loc ON loc.id = t.location_id
	LEFT JOIN wharf.location tl ON tl.id = t.to_location_id
	JOIN wharf.sku s ON s.id = t.sku_id
	LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
	LEFT JOIN wharf.tote tote ON tote.id = t.tote_id
	WHERE t.id = p_task
$$;

-- claim_task(user, station, warehouse): the task this user already holds,
-- else the next open one by walk sequence that no other station is
-- claiming (SKIP LOCKED). NULL when there is nothing to do.
CREATE FUNCTION wharf.claim_task(p_user bigint, p_station bigint, p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_wave bigint;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'claim pick tasks');
	SELECT t.id INTO v_id FROM wharf.pick_task t
	WHERE t.warehouse_id = p_wh AND t.state = 'claimed'
	  AND t.claimed_by = p_user
	ORDER BY t.seq, t.id LIMIT 1;
	IF NOT FOUND THEN
		SELECT t.id, t.wave_id INTO v_id, v_wave FROM wharf.pick_task t
		WHERE t.warehouse_id = p_wh AND t.state = 'open'
		ORDER BY t.seq, t.id LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		UPDATE wharf.pick_task SET state = 'claimed', claimed_by = p_user,
			claimed_at = now() WHERE id = v_id;
		IF v_wave IS NOT NULL THEN
			UPDATE wharf.wave SET state = 'picking'
			WHERE id = v_wave AND state = 'released';
		END IF;
	END IF;
	RETURN wharf._task_json(v_id);
END $$;

-- Locks a task's orders then the task; refuses one that is not this
-- user's to work on. Returns the task row.
CREATE FUNCTION wharf._lock_task(p_task bigint, p_user bigint, p_kind text)
RETURNS wharf.pick_task LANGUAGE plpgsql AS $$
DECLARE
	t wharf.pick_task;
	v_order record;
BEGIN
	PERFORM 1 FROM wharf.sales_order o
	WHERE o.id IN (SELECT l.order_id FROM wharf.pick_task_line ptl
		       JOIN wharf.order_line l ON l.id = ptl.order_line_id
		       WHERE ptl.task_id = p_task)
	ORDER BY o.id FOR UPDATE;
	SELECT * INTO t FROM wharf.pick_task WHERE id = p_task FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_TASK: no task %', p_task
			USING ERRCODE = 'no_data_found';
	END IF;
	IF t.kind <> p_kind THEN
		RAISE EXCEPTION 'WRONG_TASK: task % is a % task', p_task, t.kind;
	END IF;
	SELECT o.platform_order_id, o.intercept_reason INTO v_order
	FROM wharf.sales_order o
	WHERE o.intercepted_at IS NOT NULL AND o.id IN (
		SELECT l.order_id FROM wharf.pick_task_line ptl
		JOIN wharf.order_line l ON l.id = ptl.order_line_id
		WHERE ptl.task_id = p_task AND ptl.qty > ptl.qty_done)
	LIMIT 1;
	IF FOUND AND p_kind = 'pick' THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%): put the units back',
			v_order.platform_order_id, coalesce(v_order.intercept_reason, 'cancelled');
	END IF;
	IF t.state NOT IN ('open', 'claimed') THEN
		IF t.kind = 'pick' AND t.order_id IS NOT NULL AND EXISTS (
			SELECT 1 FROM wharf.sales_order o
			WHERE o.id = t.order_id AND o.intercepted_at IS NOT NULL) THEN
			RAISE EXCEPTION 'INTERCEPTED: order % was intercepted: task % is cancelled',
				t.order_id, p_task;
		END IF;
		RAISE EXCEPTION 'TASK_CLOSED: task % is %', p_task, t.state;
	END IF;
	IF t.state = 'claimed' AND t.claimed_by IS DISTINCT FROM p_user
	   AND NOT EXISTS (SELECT 1 FROM wharf.app_user u WHERE u.id = p_user
			   AND u.role IN ('supervisor', 'admin')) THEN
		RAISE EXCEPTION 'TASK_CLAIMED: task % is claimed by user %',
			p_task, t.claimed_by;
	END IF;
	RETURN t;
END $$;

-- Moves p_units of lot p_lot from the task's bin into its tote, spread
-- over the task's lines in order: each line's allocation at the bin (of
-- the task's lot) shrinks, its qty_picked grows, the units are recorded
-- in picked_stock. Locks the stock rows involved by id first.
CREATE FUNCTION wharf._pick_units(t wharf.pick_task, p_units integer,
				  p_lot bigint, p_op uuid, p_user bigint,
				  p_station bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r record;
	left_ integer := p_units;
	n integer;
BEGIN
	PERFORM 1 FROM wharf.stock s
	WHERE s.warehouse_id = t.warehouse_id AND s.sku_id = t.sku_id
	  AND ((s.location_id = t.location_id
		AND (s.lot_id IS NOT DISTINCT FROM t.lot_id
		     OR s.lot_id IS NOT DISTINCT FROM p_lot))
	       OR (s.location_id = t.to_location_id
		   AND s.lot_id IS NOT DISTINCT FROM p_lot))
	ORDER BY s.id FOR UPDATE;
	FOR r IN SELECT ptl.order_line_id, ptl.qty - ptl.qty_done AS rem,
			l.order_id
		 FROM wharf.pick_task_line ptl
		 JOIN wharf.order_line l ON l.id = ptl.order_line_id
		 WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done
		 ORDER BY ptl.order_line_id LOOP
		EXIT WHEN left_ <= 0;
		n := least(r.rem, left_);
		IF wharf._dealloc(r.order_line_id, t.location_id, t.lot_id, n) <> n THEN
			RAISE EXCEPTION 'NOT_ALLOCATED: line % has no allocation of % units at the bin',
				r.order_line_id, n;
		END IF;
		PERFORM wharf._move(p_op, t.warehouse_id, 'pick', t.sku_id, p_lot,
				    t.location_id, t.to_location_id, n, r.order_id,
				    NULL, p_user, p_station);
		INSERT INTO wharf.picked_stock AS ps (order_line_id, location_id,
			source_location_id, sku_id, lot_id, qty)
		VALUES (r.order_line_id, t.to_location_id, t.location_id,
			t.sku_id, p_lot, n)
		ON CONFLICT (order_line_id, location_id, source_location_id, lot_id)
		DO UPDATE SET qty = ps.qty + EXCLUDED.qty;
		UPDATE wharf.order_line SET qty_picked = qty_picked + n
		WHERE id = r.order_line_id;
		UPDATE wharf.pick_task_line SET qty_done = qty_done + n
		WHERE task_id = t.id AND order_line_id = r.order_line_id;
		UPDATE wharf.sales_order o SET state =
			CASE WHEN NOT EXISTS (SELECT 1 FROM wharf.order_line x
					      WHERE x.order_id = o.id
						AND x.qty_picked < x.qty)
			     THEN 'picked'::wharf.order_state
			     ELSE 'picking' END,
			updated_at = now()
		WHERE o.id = r.order_id AND o.state IN ('released', 'picking');
		left_ := left_ - n;
	END LOOP;
	IF left_ > 0 THEN
		RAISE EXCEPTION 'OVER_PICK: the task needs % fewer units', left_;
	END IF;
	UPDATE wharf.pick_task SET qty_done = qty_done + p_units
	WHERE id = t.id;
END $$;

-- Closes a task whose units are all picked, and its wave when it was the
-- last.
CREATE FUNCTION wharf._task_settle(p_task bigint, p_state text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
	v_wave bigint;
BEGIN
	UPDATE wharf.pick_task SET
		state = CASE WHEN p_state IS NOT NULL THEN p_state
			     WHEN qty_done >= qty THEN 'done' ELSE state END,
		done_at = CASE WHEN p_state IS NOT NULL OR qty_done >= qty
			       THEN now() END
	WHERE id = p_task RETURNING state, wave_id INTO v_state, v_wave;
	IF v_state <> 'claimed' AND v_state <> 'open' AND v_wave IS NOT NULL THEN
		UPDATE wharf.wave w SET state = 'done', done_at = now()
		WHERE w.id = v_wave AND w.state IN ('released', 'picking')
		  AND NOT EXISTS (SELECT 1 FROM wharf.pick_task x
				  WHERE x.wave_id = v_wave
				    AND x.state IN ('open', 'claimed'));
	END IF;
	RETURN v_state;
END $$;

-- confirm_pick: the picker scanned the bin, the item (unit or case
-- barcode, or GTIN) and its lot, and says how many. p_qty counts scans of
-- that code, so a case of 12 with p_qty 1 is 12 units. A lot other than
-- the task's is accepted only when it is no later in FEFO/FIFO order,
-- sellable today for every line of the task, and free (unallocated) at
-- that bin in the quantity picked: the task's allocation is then released
-- and the other lot's units picked, atomically.
CREATE FUNCTION wharf.confirm_pick(p_task bigint, p_location text,
				   p_barcode text, p_lot text, p_qty integer,
				   p_op uuid, p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	t wharf.pick_task;
	v_loc text;
	v_sku bigint;
	v_pack integer;
	v_units integer;
	v_ctl wharf.lot_control;
	v_skucode text;
	v_lot bigint;
	v_sub boolean := false;
	v_want record;
	v_got record;
	v_min integer;
	v_free integer;
	v_state text;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'confirm picks');
	v_res := wharf._op_begin(p_op, 'confirm_pick',
		(SELECT warehouse_id FROM wharf.pick_task WHERE id = p_task),
		p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	t := wharf._lock_task(p_task, p_user, 'pick');
	SELECT code INTO v_loc FROM wharf.location WHERE id = t.location_id;
	IF p_location IS DISTINCT FROM v_loc THEN
		RAISE EXCEPTION 'WRONG_LOCATION: expected %, scanned %', v_loc,
			coalesce(p_location, 'nothing');
	END IF;
	SELECT b.sku_id, b.pack_qty INTO v_sku, v_pack
	FROM wharf.barcode_lookup(p_barcode) b;
	SELECT s.code, s.lot_control INTO v_skucode, v_ctl
	FROM wharf.sku s WHERE s.id = t.sku_id;
	IF v_sku IS NULL THEN
		RAISE EXCEPTION 'UNKNOWN_BARCODE: % is not a known barcode (expected %)',
			coalesce(p_barcode, 'nothing'), v_skucode;
	END IF;
	IF v_sku <> t.sku_id THEN
		RAISE EXCEPTION 'WRONG_SKU: expected %, scanned %', v_skucode,
			(SELECT code FROM wharf.sku WHERE id = v_sku);
	END IF;
	IF p_qty IS NULL OR p_qty <= 0 THEN
		RAISE EXCEPTION 'BAD_QTY: quantity must be positive';
	END IF;
	v_units := p_qty * v_pack;
	IF v_units > t.qty - t.qty_done THEN
		RAISE EXCEPTION 'OVER_PICK: % units scanned, the task needs %',
			v_units, t.qty - t.qty_done;
	END IF;

	SELECT l.lot_code, l.expiry, l.first_received_at INTO v_want
	FROM wharf.lot l WHERE l.id = t.lot_id;
	SELECT max(wharf.line_min_remaining(ptl.order_line_id)) INTO v_min
	FROM wharf.pick_task_line ptl
	WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done;
	IF t.lot_id IS NULL THEN
		v_lot := NULL;
	ELSIF p_lot IS NULL THEN
		RAISE EXCEPTION 'LOT_REQUIRED: scan the lot; expected lot % (exp %)',
			v_want.lot_code, coalesce(v_want.expiry::text, 'none');
	ELSE
		SELECT l.id, l.lot_code, l.expiry, l.first_received_at INTO v_got
		FROM wharf.lot l WHERE l.sku_id = t.sku_id AND l.lot_code = p_lot;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'WRONG_LOT: expected lot % (exp %), scanned unknown lot %',
				v_want.lot_code, coalesce(v_want.expiry::text, 'none'), p_lot;
		END IF;
		v_lot := v_got.id;
		IF NOT wharf.lot_sellable(v_got.expiry, v_min, current_date) THEN
			RAISE EXCEPTION 'LOT_EXPIRED: lot % (exp %) is past its ship-by date %',
				v_got.lot_code, v_got.expiry,
				wharf.ship_by(v_got.expiry, v_min);
		END IF;
		IF v_lot <> t.lot_id THEN
			SELECT s.on_hand - s.allocated INTO v_free
			FROM wharf.stock s
			WHERE s.location_id = t.location_id AND s.sku_id = t.sku_id
			  AND s.lot_id = v_lot;
			IF (v_ctl = 'fefo' AND (v_got.expiry IS NULL OR v_got.expiry > v_want.expiry))
			   OR (v_ctl = 'fifo' AND v_got.first_received_at > v_want.first_received_at)
			   OR coalesce(v_free, 0) < v_units THEN
				RAISE EXCEPTION 'WRONG_LOT: expected lot % (exp %), scanned %',
					v_want.lot_code, coalesce(v_want.expiry::text, 'none'),
					p_lot;
			END IF;
			v_sub := true;
		END IF;
	END IF;
	IF t.lot_id IS NOT NULL AND NOT v_sub
	   AND NOT wharf.lot_sellable(v_want.expiry, v_min, current_date) THEN
		RAISE EXCEPTION 'LOT_EXPIRED: lot % (exp %) is past its ship-by date %',
			v_want.lot_code, v_want.expiry, wharf.ship_by(v_want.expiry, v_min);
	END IF;

	PERFORM wharf._pick_units(t, v_units, v_lot, p_op, p_user, p_station);
	IF t.state = 'open' THEN
		UPDATE wharf.pick_task SET state = 'claimed', claimed_by = p_user,
			claimed_at = now() WHERE id = t.id;
	END IF;
	v_state := wharf._task_settle(t.id, NULL);
	PERFORM wharf._audit(p_user, p_station,
		CASE WHEN v_sub THEN 'pick_lot_substituted' ELSE 'pick' END,
		'pick_task', t.id,
		jsonb_build_object('units', v_units, 'lot', p_lot,
				   'expected_lot', v_want.lot_code));
	RETURN wharf._op_end(p_op, jsonb_build_object(
		'task_id', t.id, 'units', v_units, 'lot_code', p_lot,
		'substituted', v_sub, 'remaining', t.qty - t.qty_done - v_units,
		'task_state', v_state,
		'tote_code', (SELECT code FROM wharf.tote WHERE id = t.tote_id),
		'slot', t.slot,
		'order_state', (SELECT state FROM wharf.sales_order
				WHERE id = t.order_id)));
END $$;

-- short_pick: only p_found units are in the bin. Picks those, takes the
-- shortfall off the bin's allocations, flags the bin for a count (its
-- stock is no longer allocatable until counted), and reallocates the
-- shortfall elsewhere by the same rules as a new task in the same tote;
-- what cannot be reallocated puts the order in exception.
CREATE FUNCTION wharf.short_pick(p_task bigint, p_found integer, p_op uuid,
				 p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	t wharf.pick_task;
	r record;
	v_short integer;
	v_new bigint[];
	v_tasks bigint[] := '{}';
	v_realloc integer := 0;
	v_missing integer := 0;
	v_count bigint;
	v_tid bigint;
	a record;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'report short picks');
	v_res := wharf._op_begin(p_op, 'short_pick',
		(SELECT warehouse_id FROM wharf.pick_task WHERE id = p_task),
		p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	t := wharf._lock_task(p_task, p_user, 'pick');
	IF p_found IS NULL OR p_found < 0 OR p_found >= t.qty - t.qty_done THEN
		RAISE EXCEPTION 'BAD_QTY: found must be 0..%', t.qty - t.qty_done - 1;
	END IF;
	IF t.lot_id IS NOT NULL AND p_found > 0 AND NOT wharf.lot_sellable(
		(SELECT expiry FROM wharf.lot WHERE id = t.lot_id),
		(SELECT max(wharf.line_min_remaining(order_line_id))
		 FROM wharf.pick_task_line WHERE task_id = t.id), current_date) THEN
		RAISE EXCEPTION 'LOT_EXPIRED: % is past its ship-by date',
			wharf._lot_text(t.lot_id);
	END IF;
	IF p_found > 0 THEN
		PERFORM wharf._pick_units(t, p_found, t.lot_id, p_op, p_user, p_station);
	END IF;
	v_short := t.qty - t.qty_done - p_found;
	UPDATE wharf.location SET needs_count = true WHERE id = t.location_id;
	SELECT id INTO v_count FROM wharf.count_task
	WHERE location_id = t.location_id AND state = 'open' LIMIT 1;
	IF NOT FOUND THEN
		INSERT INTO wharf.count_task (warehouse_id, location_id, reason)
		VALUES (t.warehouse_id, t.location_id,
			format('short pick: task %s, %s units missing', t.id, v_short))
		RETURNING id INTO v_count;
	END IF;
	PERFORM 1 FROM wharf.stock s
	WHERE s.warehouse_id = t.warehouse_id AND s.sku_id = t.sku_id
	ORDER BY s.id FOR UPDATE;
	FOR r IN SELECT ptl.order_line_id, ptl.qty - ptl.qty_done AS rem,
			l.order_id
		 FROM wharf.pick_task_line ptl
		 JOIN wharf.order_line l ON l.id = ptl.order_line_id
		 WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done
		 ORDER BY ptl.order_line_id LOOP
		PERFORM wharf._dealloc(r.order_line_id, t.location_id, t.lot_id, r.rem);
		UPDATE wharf.pick_task_line SET qty = qty_done
		WHERE task_id = t.id AND order_line_id = r.order_line_id;
		v_new := wharf._alloc_line(r.order_line_id, r.rem, t.location_id);
		FOR a IN SELECT al.* FROM wharf.allocation al
			 JOIN wharf.location loc ON loc.id = al.location_id
			 WHERE al.id = ANY (v_new) ORDER BY loc.walk_seq, al.id LOOP
			INSERT INTO wharf.pick_task (warehouse_id, kind, wave_id,
				order_id, order_line_id, allocation_id, seq,
				location_id, to_location_id, sku_id, lot_id, qty,
				tote_id, slot)
			VALUES (t.warehouse_id, 'pick', t.wave_id, r.order_id,
				r.order_line_id, a.id, t.seq, a.location_id,
				t.to_location_id, a.sku_id, a.lot_id, a.qty,
				t.tote_id, t.slot)
			RETURNING id INTO v_tid;
			INSERT INTO wharf.pick_task_line (task_id, order_line_id, qty)
			VALUES (v_tid, r.order_line_id, a.qty);
			v_tasks := v_tasks || v_tid;
			v_realloc := v_realloc + a.qty;
		END LOOP;
		IF (SELECT coalesce(sum(qty), 0) FROM wharf.allocation
		    WHERE id = ANY (v_new)) < r.rem THEN
			v_missing := v_missing + r.rem - (SELECT coalesce(sum(qty), 0)
				FROM wharf.allocation WHERE id = ANY (v_new));
			UPDATE wharf.sales_order SET state = 'exception',
				exception_reason = format('short pick: %s units of %s not found',
					r.rem, (SELECT code FROM wharf.sku WHERE id = t.sku_id)),
				updated_at = now()
			WHERE id = r.order_id;
		END IF;
	END LOOP;
	UPDATE wharf.pick_task SET state = 'short', done_at = now()
	WHERE id = t.id;
	PERFORM wharf._task_settle(t.id, 'short');
	PERFORM wharf._audit(p_user, p_station, 'short_pick', 'pick_task', t.id,
		jsonb_build_object('found', p_found, 'short', v_short,
				   'reallocated', v_realloc));
	RETURN wharf._op_end(p_op, jsonb_build_object(
		'task_id', t.id, 'found', p_found, 'short', v_short,
		'reallocated', v_realloc, 'missing', v_missing,
		'new_tasks', to_jsonb(v_tasks), 'count_task_id', v_count,
		'order_state', (SELECT state FROM wharf.sales_order
				WHERE id = t.order_id)));
END $$;

-- confirm_putback: units of an intercepted order go from the tote back to
-- a bin (the suggested one or any unblocked pick/storage bin).
CREATE FUNCTION wharf.confirm_putback(p_task bigint, p_location text,
				      p_qty integer, p_op uuid, p_user bigint,
				      p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	t wharf.pick_task;
	v_to bigint;
	v_line bigint;
	v_ps record;
	left_ integer;
	n integer;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'put units back');
	v_res := wharf._op_begin(p_op, 'confirm_putback',
		(SELECT warehouse_id FROM wharf.pick_task WHERE id = p_task),
		p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	t := wharf._lock_task(p_task, p_user, 'putback');
	SELECT id INTO v_to FROM wharf.location
	WHERE warehouse_id = t.warehouse_id AND code = p_location
	  AND kind IN ('pick', 'storage') AND NOT blocked;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'WRONG_LOCATION: put back into % (or another open bin), not %',
			(SELECT code FROM wharf.location WHERE id = t.to_location_id),
			coalesce(p_location, 'nothing');
	END IF;
	IF p_qty IS NULL OR p_qty <= 0 OR p_qty > t.qty - t.qty_done THEN
		RAISE EXCEPTION 'BAD_QTY: put back 1..% units', t.qty - t.qty_done;
	END IF;
	v_line := t.order_line_id;
	left_ := p_qty;
	FOR v_ps IN SELECT * FROM wharf.picked_stock
		    WHERE order_line_id = v_line AND location_id = t.location_id
		      AND lot_id IS NOT DISTINCT FROM t.lot_id
		    ORDER BY id FOR UPDATE LOOP
		EXIT WHEN left_ <= 0;
		n := least(left_, v_ps.qty);
		IF n = v_ps.qty THEN
			DELETE FROM wharf.picked_stock WHERE id = v_ps.id;
		ELSE
			UPDATE wharf.picked_stock SET qty = qty - n WHERE id = v_ps.id;
		END IF;
		left_ := left_ - n;
	END LOOP;
	IF left_ > 0 THEN
		RAISE EXCEPTION 'OVER_PICK: the tote holds % fewer units of the order',
			left_;
	END IF;
	PERFORM wharf._move(p_op, t.warehouse_id, 'putback', t.sku_id, t.lot_id,
			    t.location_id, v_to, p_qty, t.order_id,
			    'intercepted order', p_user, p_station);
	UPDATE wharf.order_line SET qty_picked = qty_picked - p_qty
	WHERE id = v_line;
	UPDATE wharf.pick_task SET qty_done = qty_done + p_qty,
		state = CASE WHEN qty_done + p_qty >= qty THEN 'done' ELSE 'claimed' END,
		claimed_by = coalesce(claimed_by, p_user),
		done_at = CASE WHEN qty_done + p_qty >= qty THEN now() END
	WHERE id = t.id;
	UPDATE wharf.pick_task_line SET qty_done = qty_done + p_qty
	WHERE task_id = t.id AND order_line_id = v_line;
	PERFORM wharf._audit(p_user, p_station, 'putback', 'pick_task', t.id,
			     jsonb_build_object('units', p_qty, 'to', p_location));
	RETURN wharf._op_end(p_op, jsonb_build_object('task_id', t.id,
		'units', p_qty, 'remaining', t.qty - t.qty_done - p_qty));
END $$;

-- Interception ----------------------------------------------------------------

-- intercept(order, reason, op, user, station): the platform cancelled or a
-- refund was requested. From now on the order cannot be picked, packed or
-- shipped: unpicked allocations are released, open pick tasks shrink or
-- are cancelled, picked units get put-back tasks, and every station hears
-- NOTIFY wharf_intercept '<order id>'. p_user NULL is the sync process.
CREATE FUNCTION wharf.intercept(p_order bigint, p_reason text, p_op uuid,
				p_user bigint DEFAULT NULL,
				p_station bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
	r record;
	v_released integer;
	v_putback integer := 0;
	v_tid bigint;
BEGIN
	IF p_user IS NOT NULL THEN
		PERFORM wharf._actor(p_user, '{}', 'intercept orders');
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'intercept', o.warehouse_id, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	IF o.state = 'shipped' THEN
		RAISE EXCEPTION 'ALREADY_SHIPPED: order % has left the warehouse',
			o.platform_order_id;
	END IF;
	IF o.intercepted_at IS NOT NULL THEN
		RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
			'already', true, 'released', 0, 'putback_tasks', 0));
	END IF;
	PERFORM 1 FROM wharf.pick_task pt
	WHERE pt.id IN (SELECT ptl.task_id FROM wharf.pick_task_line ptl
			JOIN wharf.order_line l ON l.id = ptl.order_line_id
			WHERE l.order_id = p_order)
	  AND pt.state IN ('open', 'claimed')
	ORDER BY pt.id FOR UPDATE;
	FOR r IN SELECT l.id FROM wharf.order_line l WHERE l.order_id = p_order LOOP
		PERFORM wharf._unplan(r.id, NULL, NULL, 2147483647);
	END LOOP;
	SELECT coalesce(sum(a.qty), 0) INTO v_released
	FROM wharf.allocation a JOIN wharf.order_line l ON l.id = a.order_line_id
	WHERE l.order_id = p_order;
	PERFORM 1 FROM wharf.stock s
	WHERE (s.location_id, s.sku_id) IN (
		SELECT a.location_id, a.sku_id FROM wharf.allocation a
		JOIN wharf.order_line l ON l.id = a.order_line_id
		WHERE l.order_id = p_order)
	ORDER BY s.id FOR UPDATE;
	DELETE FROM wharf.allocation a USING wharf.order_line l
	WHERE l.id = a.order_line_id AND l.order_id = p_order;
	UPDATE wharf.order_line SET qty_packed = 0
	WHERE order_id = p_order AND qty_packed > 0;
	FOR r IN SELECT ps.*, t.id AS tote_id
		 FROM wharf.picked_stock ps
		 JOIN wharf.order_line l ON l.id = ps.order_line_id
		 LEFT JOIN wharf.tote t ON t.location_id = ps.location_id
		 WHERE l.order_id = p_order ORDER BY ps.id LOOP
		INSERT INTO wharf.pick_task (warehouse_id, kind, order_id,
			order_line_id, seq, location_id, to_location_id, sku_id,
			lot_id, qty, tote_id)
		VALUES (o.warehouse_id, 'putback', p_order, r.order_line_id, -1,
			r.location_id, r.source_location_id, r.sku_id, r.lot_id,
			r.qty, r.tote_id)
		RETURNING id INTO v_tid;
		INSERT INTO wharf.pick_task_line (task_id, order_line_id, qty)
		VALUES (v_tid, r.order_line_id, r.qty)
		ON CONFLICT (task_id, order_line_id) DO UPDATE
		SET qty = wharf.pick_task_line.qty + EXCLUDED.qty;
		v_putback := v_putback + 1;
	END LOOP;
	UPDATE wharf.sales_order SET intercepted_at = now(),
		intercept_reason = p_reason, state = 'exception',
		exception_reason = 'intercepted: ' || coalesce(p_reason, 'cancelled'),
		updated_at = now()
	WHERE id = p_order;
	PERFORM wharf._audit(p_user, p_station, 'intercept', 'sales_order',
			     p_order, jsonb_build_object('reason', p_reason,
				'released', v_released, 'putback_tasks', v_putback));
	PERFORM pg_notify('wharf_intercept', p_order::text);
	RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
		'already', false, 'released', v_released,
		'putback_tasks', v_putback));
END $$;

-- Pack and ship -------------------------------------------------------------

CREATE FUNCTION wharf._refuse_intercepted(o record) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF o.intercepted_at IS NOT NULL THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%): do not ship, put the units back',
			o.platform_order_id, coalesce(o.intercept_reason, 'cancelled');
	END IF;
END $$;

-- pack_verify(order, barcode, lot, op, user, station): one scan at the
-- pack desk; a case barcode counts its pack size.
CREATE FUNCTION wharf.pack_verify(p_order bigint, p_barcode text, p_lot text,
				  p_op uuid, p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
	v_sku bigint;
	v_pack integer;
	v_line record;
	v_code text;
	v_lot bigint;
	v_done boolean;
BEGIN
	PERFORM wharf._actor(p_user, '{packer}', 'pack orders');
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'pack_verify', o.warehouse_id, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	PERFORM wharf._refuse_intercepted(o);
	IF o.state NOT IN ('picking', 'picked') THEN
		RAISE EXCEPTION 'NOT_PICKED: order % is %', o.platform_order_id,
			o.state;
	END IF;
	SELECT b.sku_id, b.pack_qty INTO v_sku, v_pack
	FROM wharf.barcode_lookup(p_barcode) b;
	IF v_sku IS NULL THEN
		RAISE EXCEPTION 'UNKNOWN_BARCODE: % is not a known barcode',
			coalesce(p_barcode, 'nothing');
	END IF;
	SELECT code INTO v_code FROM wharf.sku WHERE id = v_sku;
	SELECT l.* INTO v_line FROM wharf.order_line l
	WHERE l.order_id = p_order AND l.sku_id = v_sku
	  AND l.qty_packed + v_pack <= l.qty_picked
	ORDER BY l.line_no LIMIT 1;
	IF NOT FOUND THEN
		IF EXISTS (SELECT 1 FROM wharf.order_line l
			   WHERE l.order_id = p_order AND l.sku_id = v_sku) THEN
			RAISE EXCEPTION 'EXTRA_UNIT: % unit(s) of % would be more than was ordered and picked',
				v_pack, v_code;
		END IF;
		RAISE EXCEPTION 'WRONG_ITEM: % is not in order %', v_code,
			o.platform_order_id;
	END IF;
	IF p_lot IS NOT NULL THEN
		SELECT ps.lot_id INTO v_lot FROM wharf.picked_stock ps
		JOIN wharf.lot l ON l.id = ps.lot_id
		WHERE ps.order_line_id = v_line.id AND l.lot_code = p_lot LIMIT 1;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'WRONG_LOT: order % holds lot(s) % of %, not %',
				o.platform_order_id,
				(SELECT string_agg(DISTINCT l.lot_code, ', ')
				 FROM wharf.picked_stock ps JOIN wharf.lot l ON l.id = ps.lot_id
				 WHERE ps.order_line_id = v_line.id), v_code, p_lot;
		END IF;
	END IF;
	UPDATE wharf.order_line SET qty_packed = qty_packed + v_pack
	WHERE id = v_line.id;
	v_done := NOT EXISTS (SELECT 1 FROM wharf.order_line l
			      WHERE l.order_id = p_order AND l.qty_packed < l.qty);
	IF v_done THEN
		UPDATE wharf.sales_order SET state = 'packed', updated_at = now()
		WHERE id = p_order;
	END IF;
	RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
		'line_id', v_line.id, 'sku_code', v_code, 'units', v_pack,
		'line_packed', v_line.qty_packed + v_pack, 'line_qty', v_line.qty,
		'order_packed', v_done,
		'remaining', (SELECT sum(qty - qty_packed) FROM wharf.order_line
			      WHERE order_id = p_order)));
END $$;

-- ship(order, carrier, tracking, weight, op, user, station): everything
-- packed leaves through the ledger; the shipment and the platform's
-- ship-confirm outbox row are written in the same transaction.
CREATE FUNCTION wharf.ship(p_order bigint, p_carrier text, p_tracking text,
			   p_weight integer, p_op uuid, p_user bigint,
			   p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
	r record;
	v_ship bigint;
	v_out bigint;
	v_units integer := 0;
BEGIN
	PERFORM wharf._actor(p_user, '{packer}', 'ship orders');
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'ship', o.warehouse_id, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	PERFORM wharf._refuse_intercepted(o);
	IF o.state = 'shipped' THEN
		RAISE EXCEPTION 'ALREADY_SHIPPED: order % has already shipped',
			o.platform_order_id;
	END IF;
	IF o.state <> 'packed' THEN
		RAISE EXCEPTION 'NOT_PACKED: order % is %, % units unpacked',
			o.platform_order_id, o.state,
			(SELECT sum(qty - qty_packed) FROM wharf.order_line
			 WHERE order_id = p_order);
	END IF;
	IF coalesce(p_carrier, '') = '' OR coalesce(p_tracking, '') = '' THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: carrier and tracking number are required';
	END IF;
	PERFORM 1 FROM wharf.stock s
	WHERE (s.location_id, s.sku_id) IN (
		SELECT ps.location_id, ps.sku_id FROM wharf.picked_stock ps
		JOIN wharf.order_line l ON l.id = ps.order_line_id
		WHERE l.order_id = p_order)
	ORDER BY s.id FOR UPDATE;
	FOR r IN SELECT ps.* FROM wharf.picked_stock ps
		 JOIN wharf.order_line l ON l.id = ps.order_line_id
		 WHERE l.order_id = p_order ORDER BY ps.id LOOP
		PERFORM wharf._move(p_op, o.warehouse_id, 'ship', r.sku_id, r.lot_id,
				    r.location_id, NULL, r.qty, p_order, p_tracking,
				    p_user, p_station);
		DELETE FROM wharf.picked_stock WHERE id = r.id;
		v_units := v_units + r.qty;
	END LOOP;
	UPDATE wharf.order_line SET qty_shipped = qty_packed
	WHERE order_id = p_order;
	INSERT INTO wharf.shipment (warehouse_id, order_id, carrier, tracking_no,
				    weight_g, state, shipped_at)
	VALUES (o.warehouse_id, p_order, p_carrier, p_tracking, p_weight,
		'shipped', now())
	RETURNING id INTO v_ship;
	INSERT INTO wharf.outbox (shop_id, kind, order_id, payload)
	VALUES (o.shop_id, 'ship_confirm', p_order, jsonb_build_object(
		'platform_order_id', o.platform_order_id,
		'carrier', p_carrier, 'tracking_no', p_tracking,
		'lines', (SELECT jsonb_agg(jsonb_build_object(
				'platform_line_id', l.platform_line_id,
				'platform_sku', l.platform_sku,
				'sku', s.code, 'qty', l.qty_shipped) ORDER BY l.line_no)
			  FROM wharf.order_line l
			  LEFT JOIN wharf.sku s ON s.id = l.sku_id
			  WHERE l.order_id = p_order)))
	RETURNING id INTO v_out;
	UPDATE wharf.sales_order SET state = 'shipped', carrier = p_carrier,
		updated_at = now()
	WHERE id = p_order;
	PERFORM wharf._audit(p_user, p_station, 'ship', 'sales_order', p_order,
			     jsonb_build_object('shipment', v_ship,
						'units', v_units));
	RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
		'shipment_id', v_ship, 'outbox_id', v_out, 'units', v_units,
		'tracking_no', p_tracking));
END $$;

-- Receiving and stock movements --------------------------------------------

-- receive(po or NULL, warehouse, sku, lot, expiry, produced, qty,
-- location, op, user, station): goods arrive. A new lot is created (first
-- received now). Goods expired or not sellable today under the SKU's own
-- minimum remaining life go to the warehouse's quarantine instead.
CREATE FUNCTION wharf.receive(p_po bigint, p_wh bigint, p_sku bigint,
			      p_lot text, p_expiry date, p_produced date,
			      p_qty integer, p_location bigint, p_op uuid,
			      p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	s record;
	v_lot bigint;
	v_exp date;
	v_to bigint := p_location;
	v_q boolean := false;
	v_reason text;
	v_rcpt bigint;
BEGIN
	PERFORM wharf._actor(p_user, '{receiver}', 'receive goods');
	v_res := wharf._op_begin(p_op, 'receive', p_wh, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO s FROM wharf.sku WHERE id = p_sku;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_SKU: no SKU %', p_sku USING ERRCODE = 'no_data_found';
	END IF;
	IF p_qty IS NULL OR p_qty <= 0 THEN
		RAISE EXCEPTION 'BAD_QTY: quantity must be positive';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.location WHERE id = p_location
		       AND warehouse_id = p_wh
		       AND kind IN ('receiving', 'storage', 'pick')) THEN
		RAISE EXCEPTION 'BAD_LOCATION: location % is not a receiving, storage or pick location of warehouse %',
			p_location, p_wh;
	END IF;
	IF s.lot_control = 'none' THEN
		IF p_lot IS NOT NULL THEN
			RAISE EXCEPTION 'NO_LOT_CONTROL: % has no lots', s.code;
		END IF;
	ELSE
		IF p_lot IS NULL THEN
			RAISE EXCEPTION 'LOT_REQUIRED: % needs a lot code', s.code;
		END IF;
		SELECT id, expiry INTO v_lot, v_exp FROM wharf.lot
		WHERE sku_id = p_sku AND lot_code = p_lot;
		IF FOUND THEN
			IF p_expiry IS NOT NULL AND v_exp IS DISTINCT FROM p_expiry THEN
				RAISE EXCEPTION 'LOT_MISMATCH: lot % of % expires %, not %',
					p_lot, s.code, v_exp, p_expiry;
			END IF;
		ELSE
			IF s.lot_control = 'fefo' AND p_expiry IS NULL THEN
				RAISE EXCEPTION 'EXPIRY_REQUIRED: % is expiry-managed', s.code;
			END IF;
			INSERT INTO wharf.lot (sku_id, lot_code, expiry, produced)
			VALUES (p_sku, p_lot, p_expiry, p_produced)
			ON CONFLICT (sku_id, lot_code) DO NOTHING
			RETURNING id, expiry INTO v_lot, v_exp;
			IF v_lot IS NULL THEN
				SELECT id, expiry INTO v_lot, v_exp FROM wharf.lot
				WHERE sku_id = p_sku AND lot_code = p_lot;
			END IF;
		END IF;
		IF NOT wharf.lot_sellable(v_exp, s.min_remaining_days, current_date) THEN
			v_q := true;
			v_reason := CASE WHEN v_exp < current_date
				THEN format('expired %s', v_exp)
				ELSE format('too short-lived: expires %s, ship-by %s', v_exp,
					    wharf.ship_by(v_exp, s.min_remaining_days)) END;
			SELECT id INTO v_to FROM wharf.location
			WHERE warehouse_id = p_wh AND kind = 'quarantine' AND NOT blocked
			ORDER BY walk_seq, id LIMIT 1;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'NO_QUARANTINE: warehouse % has no quarantine location (%)',
					p_wh, v_reason;
			END IF;
		END IF;
	END IF;
	INSERT INTO wharf.receipt (warehouse_id, po_id, op_id, received_by)
	VALUES (p_wh, p_po, p_op, p_user) RETURNING id INTO v_rcpt;
	INSERT INTO wharf.receipt_line (receipt_id, sku_id, lot_id, location_id,
					qty, quarantined)
	VALUES (v_rcpt, p_sku, v_lot, v_to, p_qty, v_q);
	PERFORM wharf._move(p_op, p_wh, 'receive', p_sku, v_lot, NULL, v_to,
			    p_qty, NULL, v_reason, p_user, p_station);
	IF p_po IS NOT NULL THEN
		UPDATE wharf.po_line SET qty_received = qty_received + p_qty
		WHERE po_id = p_po AND sku_id = p_sku;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'NOT_ON_PO: % is not on purchase order %',
				s.code, p_po;
		END IF;
		UPDATE wharf.purchase_order po SET state = CASE
			WHEN NOT EXISTS (SELECT 1 FROM wharf.po_line pl
					 WHERE pl.po_id = p_po
					   AND pl.qty_received < pl.qty_ordered)
			THEN 'received' ELSE 'partially_received' END
		WHERE po.id = p_po;
	END IF;
	PERFORM wharf._audit(p_user, p_station, 'receive', 'receipt', v_rcpt,
			     jsonb_build_object('sku', s.code, 'lot', p_lot,
				'qty', p_qty, 'quarantined', v_q));
	RETURN wharf._op_end(p_op, jsonb_build_object('receipt_id', v_rcpt,
		'lot_id', v_lot, 'location_id', v_to,
		'location_code', (SELECT code FROM wharf.location WHERE id = v_to),
		'quarantined', v_q, 'reason', v_reason, 'qty', p_qty));
END $$;

-- Where to put (sku, lot) away: a bin already holding that SKU and lot,
-- else an empty unblocked pick/storage bin, by walk sequence. NULL: none.
CREATE FUNCTION wharf.suggest_putaway(p_wh bigint, p_sku bigint, p_lot bigint)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT coalesce(
		(SELECT loc.id FROM wharf.stock s
		 JOIN wharf.location loc ON loc.id = s.location_id
		 WHERE s.warehouse_id = p_wh AND s.sku_id = p_sku
		   AND s.lot_id IS NOT DISTINCT FROM p_lot AND s.on_hand > 0
		   AND loc.kind IN ('pick', 'storage') AND NOT loc.blocked
		 ORDER BY loc.walk_seq, loc.id LIMIT 1),
		(SELECT loc.id FROM wharf.location loc
		 WHERE loc.warehouse_id = p_wh AND loc.kind IN ('pick', 'storage')
		   AND NOT loc.blocked
		   AND NOT EXISTS (SELECT 1 FROM wharf.stock s
				   WHERE s.location_id = loc.id AND s.on_hand > 0)
		 ORDER BY loc.walk_seq, loc.id LIMIT 1))
$$;

-- Moves free units between two locations of one warehouse.
CREATE FUNCTION wharf._relocate(p_kind wharf.move_kind, p_from bigint,
				p_to bigint, p_sku bigint, p_lot bigint,
				p_qty integer, p_op uuid, p_user bigint,
				p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_wh bigint;
	v_free integer;
BEGIN
	SELECT warehouse_id INTO v_wh FROM wharf.location WHERE id = p_from;
	v_res := wharf._op_begin(p_op, p_kind::text, v_wh, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	IF p_qty IS NULL OR p_qty <= 0 THEN
		RAISE EXCEPTION 'BAD_QTY: quantity must be positive';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.location WHERE id = p_to
		       AND warehouse_id = v_wh AND NOT blocked
		       AND kind IN ('pick', 'storage', 'receiving', 'quarantine')) THEN
		RAISE EXCEPTION 'BAD_LOCATION: location % cannot take stock here', p_to;
	END IF;
	PERFORM 1 FROM wharf.stock s
	WHERE s.sku_id = p_sku AND s.lot_id IS NOT DISTINCT FROM p_lot
	  AND s.location_id IN (p_from, p_to)
	ORDER BY s.id FOR UPDATE;
	SELECT on_hand - allocated INTO v_free FROM wharf.stock
	WHERE location_id = p_from AND sku_id = p_sku
	  AND lot_id IS NOT DISTINCT FROM p_lot;
	IF coalesce(v_free, 0) < p_qty THEN
		RAISE EXCEPTION 'INSUFFICIENT_STOCK: % free units at the source, % asked',
			coalesce(v_free, 0), p_qty;
	END IF;
	PERFORM wharf._move(p_op, v_wh, p_kind, p_sku, p_lot, p_from, p_to, p_qty,
			    NULL, NULL, p_user, p_station);
	PERFORM wharf._audit(p_user, p_station, p_kind::text, 'location', p_to,
			     jsonb_build_object('from', p_from, 'sku', p_sku,
						'lot', p_lot, 'qty', p_qty));
	RETURN wharf._op_end(p_op, jsonb_build_object('from', p_from, 'to', p_to,
							'qty', p_qty));
END $$;

CREATE FUNCTION wharf.putaway(p_from bigint, p_to bigint, p_sku bigint,
			      p_lot bigint, p_qty integer, p_op uuid,
			      p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._actor(p_user, '{receiver}', 'put away');
	RETURN wharf._relocate('putaway', p_from, p_to, p_sku, p_lot, p_qty,
			       p_op, p_user, p_station);
END $$;

CREATE FUNCTION wharf.move(p_from bigint, p_to bigint, p_sku bigint,
			   p_lot bigint, p_qty integer, p_op uuid,
			   p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._actor(p_user, '{receiver}', 'move stock');
	RETURN wharf._relocate('move', p_from, p_to, p_sku, p_lot, p_qty,
			       p_op, p_user, p_station);
END $$;

-- Counting and adjustments --------------------------------------------------

-- Applies a count's variances through the ledger (kind 'count'): each line
-- moves its stock row by counted - expected, never below zero; reserved
-- units beyond what remains are released first.
CREATE FUNCTION wharf._apply_count(p_task bigint, p_op uuid, p_user bigint,
				   p_station bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	ct record;
	c record;
	v_on integer;
	v_alloc integer;
	v_target integer;
	n integer := 0;
BEGIN
	SELECT * INTO ct FROM wharf.count_task WHERE id = p_task;
	FOR c IN SELECT * FROM wharf.count_line
		 WHERE count_task_id = p_task AND counted <> expected
		 ORDER BY sku_id, lot_id LOOP
		SELECT on_hand, allocated INTO v_on, v_alloc FROM wharf.stock
		WHERE location_id = ct.location_id AND sku_id = c.sku_id
		  AND lot_id IS NOT DISTINCT FROM c.lot_id;
		v_on := coalesce(v_on, 0);
		v_alloc := coalesce(v_alloc, 0);
		v_target := greatest(v_on + c.counted - c.expected, 0);
		IF v_target < v_alloc THEN
			PERFORM wharf._release_stock(ct.location_id, c.sku_id,
						     c.lot_id, v_alloc - v_target);
		END IF;
		IF v_target > v_on THEN
			PERFORM wharf._move(p_op, ct.warehouse_id, 'count', c.sku_id,
				c.lot_id, NULL, ct.location_id, v_target - v_on, NULL,
				format('count %s', p_task), p_user, p_station);
		ELSIF v_target < v_on THEN
			PERFORM wharf._move(p_op, ct.warehouse_id, 'count', c.sku_id,
				c.lot_id, ct.location_id, NULL, v_on - v_target, NULL,
				format('count %s', p_task), p_user, p_station);
		END IF;
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

-- count(location, lines, op, threshold, user, station): a blind count of
-- one location. p_lines: [{"sku_id": n, "lot_code": "L1"|null,
-- "counted": n}, ...]; stock not listed counts as 0. Total absolute
-- variance <= p_threshold is adjusted at once, else it waits for
-- approve_count.
CREATE FUNCTION wharf.count(p_location bigint, p_lines jsonb, p_op uuid,
			    p_threshold integer, p_user bigint,
			    p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_wh bigint;
	v_task bigint;
	v_var integer;
	v_state text;
	v_bad text;
BEGIN
	PERFORM wharf._actor(p_user, '{picker,receiver}', 'count stock');
	SELECT warehouse_id INTO v_wh FROM wharf.location WHERE id = p_location;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_LOCATION: no location %', p_location
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'count', v_wh, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	PERFORM 1 FROM wharf.location WHERE id = p_location FOR UPDATE;
	SELECT x.lot_code INTO v_bad
	FROM jsonb_to_recordset(p_lines) AS x(sku_id bigint, lot_code text,
					      counted integer)
	WHERE x.counted IS NULL OR x.counted < 0 OR x.sku_id IS NULL
	   OR (x.lot_code IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM wharf.lot l WHERE l.sku_id = x.sku_id
		AND l.lot_code = x.lot_code))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'BAD_COUNT: a line has an unknown lot % or a bad count',
			coalesce(v_bad, '(none)');
	END IF;
	PERFORM 1 FROM wharf.stock WHERE location_id = p_location
	ORDER BY id FOR UPDATE;
	SELECT id INTO v_task FROM wharf.count_task
	WHERE location_id = p_location AND state = 'open'
	ORDER BY id LIMIT 1 FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO wharf.count_task (warehouse_id, location_id, reason)
		VALUES (v_wh, p_location, 'cycle count') RETURNING id INTO v_task;
	END IF;
	INSERT INTO wharf.count_line (count_task_id, sku_id, lot_id, expected,
				      counted)
	SELECT v_task, coalesce(e.sku_id, c.sku_id), coalesce(e.lot_id, c.lot_id),
	       coalesce(e.on_hand, 0), coalesce(c.counted, 0)
	FROM (SELECT s.sku_id, s.lot_id, s.on_hand FROM wharf.stock s
	      WHERE s.location_id = p_location AND s.on_hand > 0) e
	FULL JOIN (SELECT x.sku_id, l.id AS lot_id, sum(x.counted)::integer AS counted
		   FROM jsonb_to_recordset(p_lines)
			AS x(sku_id bigint, lot_code text, counted integer)
		   LEFT JOIN wharf.lot l ON l.sku_id = x.sku_id
		    AND l.lot_code = x.lot_code
		   GROUP BY 1, 2) c
	  ON c.sku_id = e.sku_id AND c.lot_id IS NOT DISTINCT FROM e.lot_id;
	SELECT coalesce(sum(abs(counted - expected)), 0) INTO v_var
	FROM wharf.count_line WHERE count_task_id = v_task;
	IF v_var <= coalesce(p_threshold, 0) THEN
		PERFORM wharf._apply_count(v_task, p_op, p_user, p_station);
		v_state := 'counted';
		UPDATE wharf.location SET needs_count = false WHERE id = p_location;
	ELSE
		v_state := 'pending_approval';
	END IF;
	UPDATE wharf.count_task SET state = v_state, counted_by = p_user,
		counted_at = now() WHERE id = v_task;
	PERFORM wharf._audit(p_user, p_station, 'count', 'count_task', v_task,
			     jsonb_build_object('variance', v_var, 'state', v_state));
	RETURN wharf._op_end(p_op, jsonb_build_object('count_task_id', v_task,
		'state', v_state, 'variance', v_var));
END $$;

CREATE FUNCTION wharf.approve_count(p_task bigint, p_user bigint, p_op uuid,
				    p_station bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	ct record;
	n integer;
BEGIN
	PERFORM wharf._actor(p_user, '{}', 'approve counts');
	SELECT * INTO ct FROM wharf.count_task WHERE id = p_task;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_COUNT: no count task %', p_task
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'approve_count', ct.warehouse_id, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO ct FROM wharf.count_task WHERE id = p_task FOR UPDATE;
	IF ct.state <> 'pending_approval' THEN
		RAISE EXCEPTION 'NOT_PENDING: count task % is %', p_task, ct.state;
	END IF;
	PERFORM 1 FROM wharf.stock WHERE location_id = ct.location_id
	ORDER BY id FOR UPDATE;
	n := wharf._apply_count(p_task, p_op, p_user, p_station);
	UPDATE wharf.count_task SET state = 'approved', approved_by = p_user
	WHERE id = p_task;
	UPDATE wharf.location SET needs_count = false WHERE id = ct.location_id;
	PERFORM wharf._audit(p_user, p_station, 'approve_count', 'count_task',
			     p_task, jsonb_build_object('lines_adjusted', n));
	RETURN wharf._op_end(p_op, jsonb_build_object('count_task_id', p_task,
		'state', 'approved', 'lines_adjusted', n));
END $$;

-- adjust(location, sku, lot, delta, reason, op, user, station): a
-- supervisor's correction through the ledger; never takes reserved units.
CREATE FUNCTION wharf.adjust(p_location bigint, p_sku bigint, p_lot bigint,
			     p_delta integer, p_reason text, p_op uuid,
			     p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_wh bigint;
	v_free integer;
BEGIN
	PERFORM wharf._actor(p_user, '{}', 'adjust stock');
	SELECT warehouse_id INTO v_wh FROM wharf.location WHERE id = p_location;
	v_res := wharf._op_begin(p_op, 'adjust', v_wh, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	IF p_delta IS NULL OR p_delta = 0 OR coalesce(p_reason, '') = '' THEN
		RAISE EXCEPTION 'BAD_QTY: an adjustment needs a non-zero delta and a reason';
	END IF;
	PERFORM 1 FROM wharf.stock WHERE location_id = p_location
	  AND sku_id = p_sku AND lot_id IS NOT DISTINCT FROM p_lot FOR UPDATE;
	IF p_delta < 0 THEN
		SELECT on_hand - allocated INTO v_free FROM wharf.stock
		WHERE location_id = p_location AND sku_id = p_sku
		  AND lot_id IS NOT DISTINCT FROM p_lot;
		IF coalesce(v_free, 0) < -p_delta THEN
			RAISE EXCEPTION 'INSUFFICIENT_STOCK: % free units, cannot remove %',
				coalesce(v_free, 0), -p_delta;
		END IF;
		PERFORM wharf._move(p_op, v_wh, 'adjust', p_sku, p_lot, p_location,
				    NULL, -p_delta, NULL, p_reason, p_user, p_station);
	ELSE
		PERFORM wharf._move(p_op, v_wh, 'adjust', p_sku, p_lot, NULL,
				    p_location, p_delta, NULL, p_reason, p_user,
				    p_station);
	END IF;
	PERFORM wharf._audit(p_user, p_station, 'adjust', 'location', p_location,
			     jsonb_build_object('sku', p_sku, 'lot', p_lot,
						'delta', p_delta, 'reason', p_reason));
	RETURN wharf._op_end(p_op, jsonb_build_object('location_id', p_location,
							'delta', p_delta));
END $$;

-- Transfers -------------------------------------------------------------------

-- transfer_out(from wh, to wh, lines, op, user, station): p_lines
-- [{"location_id": n, "sku_id": n, "lot_id": n|null, "qty": n}]. Each line
-- leaves warehouse A (ledger row to NULL) and arrives in B's transit
-- location (ledger row from NULL), so in-transit stock is always somewhere.
CREATE FUNCTION wharf.transfer_out(p_from_wh bigint, p_to_wh bigint,
				   p_lines jsonb, p_op uuid, p_user bigint,
				   p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_transit bigint;
	v_tr bigint;
	r record;
	v_free integer;
BEGIN
	PERFORM wharf._actor(p_user, '{}', 'transfer stock');
	v_res := wharf._op_begin(p_op, 'transfer_out', p_from_wh, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT id INTO v_transit FROM wharf.location
	WHERE warehouse_id = p_to_wh AND kind = 'transit'
	ORDER BY walk_seq, id LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_TRANSIT: warehouse % has no transit location',
			p_to_wh;
	END IF;
	INSERT INTO wharf.transfer (from_warehouse_id, to_warehouse_id, state,
				    shipped_at)
	VALUES (p_from_wh, p_to_wh, 'in_transit', now()) RETURNING id INTO v_tr;
	PERFORM 1 FROM wharf.stock s
	WHERE (s.location_id, s.sku_id) IN (
		SELECT x.location_id, x.sku_id
		FROM jsonb_to_recordset(p_lines) AS x(location_id bigint, sku_id bigint))
	ORDER BY s.id FOR UPDATE;
	FOR r IN SELECT * FROM jsonb_to_recordset(p_lines)
		 AS x(location_id bigint, sku_id bigint, lot_id bigint, qty integer) LOOP
		IF r.qty IS NULL OR r.qty <= 0 OR NOT EXISTS (
			SELECT 1 FROM wharf.location WHERE id = r.location_id
			AND warehouse_id = p_from_wh) THEN
			RAISE EXCEPTION 'BAD_QTY: a transfer line has a bad quantity or location';
		END IF;
		SELECT on_hand - allocated INTO v_free FROM wharf.stock
		WHERE location_id = r.location_id AND sku_id = r.sku_id
		  AND lot_id IS NOT DISTINCT FROM r.lot_id;
		IF coalesce(v_free, 0) < r.qty THEN
			RAISE EXCEPTION 'INSUFFICIENT_STOCK: % free units at location %, % asked',
				coalesce(v_free, 0), r.location_id, r.qty;
		END IF;
		PERFORM wharf._move(p_op, p_from_wh, 'transfer_out', r.sku_id,
			r.lot_id, r.location_id, NULL, r.qty, NULL,
			format('transfer %s', v_tr), p_user, p_station);
		PERFORM wharf._move(p_op, p_to_wh, 'transfer_out', r.sku_id,
			r.lot_id, NULL, v_transit, r.qty, NULL,
			format('transfer %s', v_tr), p_user, p_station);
		INSERT INTO wharf.transfer_line AS tl (transfer_id, sku_id, lot_id, qty)
		VALUES (v_tr, r.sku_id, r.lot_id, r.qty)
		ON CONFLICT (transfer_id, sku_id, lot_id)
		DO UPDATE SET qty = tl.qty + EXCLUDED.qty;
	END LOOP;
	PERFORM wharf._audit(p_user, p_station, 'transfer_out', 'transfer', v_tr,
			     p_lines);
	RETURN wharf._op_end(p_op, jsonb_build_object('transfer_id', v_tr,
							'transit_location_id', v_transit));
END $$;

-- transfer_in(transfer, location, op, user, station): everything still in
-- transit for the transfer moves from B's transit location into a bin.
CREATE FUNCTION wharf.transfer_in(p_transfer bigint, p_location bigint,
				  p_op uuid, p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	tr record;
	v_transit bigint;
	r record;
	v_units integer := 0;
BEGIN
	PERFORM wharf._actor(p_user, '{receiver}', 'receive transfers');
	SELECT * INTO tr FROM wharf.transfer WHERE id = p_transfer;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_TRANSFER: no transfer %', p_transfer
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'transfer_in', tr.to_warehouse_id, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO tr FROM wharf.transfer WHERE id = p_transfer FOR UPDATE;
	IF tr.state <> 'in_transit' THEN
		RAISE EXCEPTION 'NOT_IN_TRANSIT: transfer % is %', p_transfer, tr.state;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.location WHERE id = p_location
		       AND warehouse_id = tr.to_warehouse_id AND NOT blocked
		       AND kind IN ('pick', 'storage', 'receiving')) THEN
		RAISE EXCEPTION 'BAD_LOCATION: location % cannot take the transfer',
			p_location;
	END IF;
	SELECT id INTO v_transit FROM wharf.location
	WHERE warehouse_id = tr.to_warehouse_id AND kind = 'transit'
	ORDER BY walk_seq, id LIMIT 1;
	FOR r IN SELECT * FROM wharf.transfer_line WHERE transfer_id = p_transfer
		 AND qty_received < qty ORDER BY sku_id, lot_id LOOP
		PERFORM wharf._move(p_op, tr.to_warehouse_id, 'transfer_in', r.sku_id,
			r.lot_id, v_transit, p_location, r.qty - r.qty_received, NULL,
			format('transfer %s', p_transfer), p_user, p_station);
		v_units := v_units + r.qty - r.qty_received;
	END LOOP;
	UPDATE wharf.transfer_line SET qty_received = qty
	WHERE transfer_id = p_transfer;
	UPDATE wharf.transfer SET state = 'received', received_at = now()
	WHERE id = p_transfer;
	PERFORM wharf._audit(p_user, p_station, 'transfer_in', 'transfer',
			     p_transfer, jsonb_build_object('units', v_units));
	RETURN wharf._op_end(p_op, jsonb_build_object('transfer_id', p_transfer,
							'units', v_units));
END $$;

-- The engine's own invariants, beyond wharf.verify(): picked units are
-- accounted for, and tasks agree with their lines. No rows: sound.
CREATE FUNCTION wharf.verify_engine()
RETURNS TABLE (check_name text, detail text)
LANGUAGE sql STABLE AS $$
	SELECT 'picked_stock_matches_line',
	       format('order line %s: picked %s shipped %s, held %s', l.id,
		      l.qty_picked, l.qty_shipped, coalesce(p.q, 0))
	FROM wharf.order_line l
	LEFT JOIN (SELECT order_line_id, sum(qty) AS q FROM wharf.picked_stock
		   GROUP BY 1) p ON p.order_line_id = l.id
	WHERE l.qty_picked - l.qty_shipped <> coalesce(p.q, 0)
	UNION ALL
	SELECT 'task_matches_lines',
	       format('pick task %s: qty %s done %s, lines %s / %s', t.id, t.qty,
		      t.qty_done, coalesce(s.q, 0), coalesce(s.d, 0))
	FROM wharf.pick_task t
	LEFT JOIN (SELECT task_id, sum(qty) AS q, sum(qty_done) AS d
		   FROM wharf.pick_task_line GROUP BY 1) s ON s.task_id = t.id
	WHERE t.state IN ('open', 'claimed')
	  AND (t.qty <> coalesce(s.q, 0) OR t.qty_done <> coalesce(s.d, 0))
	UNION ALL
	SELECT 'shipped_orders_complete',
	       format('order %s shipped with line %s at %s of %s', o.id, l.id,
		      l.qty_shipped, l.qty)
	FROM wharf.sales_order o JOIN wharf.order_line l ON l.order_id = o.id
	WHERE o.state = 'shipped' AND l.qty_shipped <> l.qty
	UNION ALL
	SELECT 'intercepted_not_allocated',
	       format('intercepted order %s still holds allocation %s',
		      l.order_id, a.id)
	FROM wharf.allocation a
	JOIN wharf.order_line l ON l.id = a.order_line_id
	JOIN wharf.sales_order o ON o.id = l.order_id
	WHERE o.intercepted_at IS NOT NULL
$$;
