-- 0008_engine_perf.sql: the engine's hot paths, measured and made cheaper.
--
-- Same contracts as 0001/0004 (same signatures, refusals, invariants,
-- idempotency by op_id); what changed is how much work each call does.
-- Measured with pg_stat_statements (track = all) under tests/bench/run:
--
--   * Deleting an allocation ran the ON DELETE SET NULL action of
--     pick_task.allocation_id, which had no index: a scan of every pick
--     task for every allocation a pick consumed (40% of confirm_pick).
--   * The small helpers written in LANGUAGE sql (_move, _audit,
--     _task_json, line_min_remaining, _lot_text) cannot be inlined, and
--     PostgreSQL 15 plans a SQL function's body afresh for every call
--     made from PL/pgSQL; as PL/pgSQL they keep their plans per session.
--   * claim_task counted the wave's tasks twice per call (wave_done,
--     wave_total): a scan of up to every task of the wave. The counts
--     now come from wharf.wave_tally, kept by triggers on pick_task and
--     sharded by backend so that no two pickers ever update the same
--     counter row (no hot row).
--   * The ledger trigger read the stock row FOR UPDATE and then updated
--     it: now one UPDATE whose WHERE carries the check.
--   * confirm_pick updated its pick_task row three times; now once.
--   * confirm_pick_next: a confirm and the claim of the picker's next
--     task in one call, one transaction, one commit: what a picker does
--     per scanned task becomes one round trip (DESIGN.md section 4).

-- Indexes ---------------------------------------------------------------------

-- The FK action of pick_task.allocation_id (ON DELETE SET NULL). Only
-- short_pick's re-allocated tasks carry an allocation id.
CREATE INDEX pick_task_allocation ON wharf.pick_task (allocation_id)
	WHERE allocation_id IS NOT NULL;

-- Helpers, as PL/pgSQL so their plans are cached ----------------------------

CREATE OR REPLACE FUNCTION wharf._move(p_op uuid, p_wh bigint,
				       p_kind wharf.move_kind, p_sku bigint,
				       p_lot bigint, p_from bigint,
				       p_to bigint, p_qty integer,
				       p_order bigint, p_reason text,
				       p_user bigint, p_station bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO wharf.stock_move (op_id, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty,
				      order_id, reason, user_id, station_id)
	VALUES (p_op, p_wh, p_kind, p_sku, p_lot, p_from, p_to, p_qty,
		p_order, p_reason, p_user, p_station);
END $$;

CREATE OR REPLACE FUNCTION wharf._audit(p_user bigint, p_station bigint,
					p_action text, p_entity text,
					p_id bigint, p_detail jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (p_user, p_station, p_action, p_entity, p_id, p_detail);
END $$;

CREATE OR REPLACE FUNCTION wharf.line_min_remaining(line_id bigint)
RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE
	v integer;
BEGIN
	SELECT greatest(s.min_remaining_days, coalesce(sh.min_remaining_days, 0))
	INTO v
	FROM wharf.order_line l
	JOIN wharf.sales_order o ON o.id = l.order_id
	JOIN wharf.shop sh ON sh.id = o.shop_id
	JOIN wharf.sku s ON s.id = l.sku_id
	WHERE l.id = line_min_remaining.line_id;
	RETURN v;
END $$;

CREATE OR REPLACE FUNCTION wharf._lot_text(p_lot bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text;
BEGIN
	IF p_lot IS NULL THEN
		RETURN 'no lot';
	END IF;
	SELECT format('lot %s (exp %s)', l.lot_code,
		      coalesce(l.expiry::text, 'none'))
	INTO v FROM wharf.lot l WHERE l.id = p_lot;
	RETURN v;
END $$;

-- The ledger trigger ----------------------------------------------------------

-- As in 0001, but the source row is taken by one UPDATE whose WHERE holds
-- the check (free units cover the move); only when it matches nothing is
-- the row read, locked, to say why (or, if it changed meanwhile, taken).
CREATE OR REPLACE FUNCTION wharf.apply_stock_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	have integer;
	reserved integer;
BEGIN
	IF EXISTS (SELECT 1 FROM wharf.location
		   WHERE id IN (NEW.from_location_id, NEW.to_location_id)
		     AND warehouse_id <> NEW.warehouse_id) THEN
		RAISE EXCEPTION 'stock move crosses warehouses'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.from_location_id IS NOT NULL THEN
		UPDATE wharf.stock SET on_hand = on_hand - NEW.qty,
			updated_at = now()
		WHERE location_id = NEW.from_location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id
		  AND on_hand - allocated >= NEW.qty;
		IF NOT FOUND THEN
			SELECT on_hand, allocated INTO have, reserved
			FROM wharf.stock
			WHERE location_id = NEW.from_location_id
			  AND sku_id = NEW.sku_id
			  AND lot_id IS NOT DISTINCT FROM NEW.lot_id
			FOR UPDATE;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'no stock of sku % lot % at location %',
					NEW.sku_id, NEW.lot_id, NEW.from_location_id
					USING ERRCODE = 'check_violation';
			END IF;
			-- Units reserved for orders stay put: whoever takes
			-- them releases the allocation first (a pick does).
			IF have - reserved < NEW.qty THEN
				RAISE EXCEPTION 'only % free of sku % lot % at location % (% on hand, % allocated): cannot take %',
					have - reserved, NEW.sku_id, NEW.lot_id,
					NEW.from_location_id, have, reserved, NEW.qty
					USING ERRCODE = 'check_violation';
			END IF;
			UPDATE wharf.stock SET on_hand = on_hand - NEW.qty,
				updated_at = now()
			WHERE location_id = NEW.from_location_id
			  AND sku_id = NEW.sku_id
			  AND lot_id IS NOT DISTINCT FROM NEW.lot_id;
		END IF;
	END IF;
	IF NEW.to_location_id IS NOT NULL THEN
		INSERT INTO wharf.stock AS s (warehouse_id, location_id, sku_id,
					      lot_id, on_hand)
		VALUES (NEW.warehouse_id, NEW.to_location_id, NEW.sku_id,
			NEW.lot_id, NEW.qty)
		ON CONFLICT (location_id, sku_id, lot_id)
		DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand,
			updated_at = now();
	END IF;
	RETURN NULL;
END $$;

-- Wave progress -------------------------------------------------------------

-- How many tasks a wave has and how many are closed (done, short or
-- cancelled), as sums over shards. Each backend writes only its own shard
-- (its pid), so pickers closing tasks of one wave never wait on each
-- other; a shard's figures may be negative, only the sums mean anything.
-- Kept by the triggers below; wharf.verify_engine() checks the sums
-- against pick_task.
CREATE TABLE wharf.wave_tally (
	wave_id bigint NOT NULL REFERENCES wharf.wave,
	shard integer NOT NULL,
	total integer NOT NULL DEFAULT 0,
	closed integer NOT NULL DEFAULT 0,
	PRIMARY KEY (wave_id, shard)
);

INSERT INTO wharf.wave_tally (wave_id, shard, total, closed)
SELECT wave_id, 0, count(*),
       count(*) FILTER (WHERE state NOT IN ('open', 'claimed'))
FROM wharf.pick_task WHERE wave_id IS NOT NULL GROUP BY wave_id;

CREATE FUNCTION wharf._tally(p_wave bigint, p_total integer,
			     p_closed integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_wave IS NULL OR (p_total = 0 AND p_closed = 0) THEN
		RETURN;
	END IF;
	INSERT INTO wharf.wave_tally AS w (wave_id, shard, total, closed)
	VALUES (p_wave, pg_backend_pid(), p_total, p_closed)
	ON CONFLICT (wave_id, shard) DO UPDATE
	SET total = w.total + EXCLUDED.total,
	    closed = w.closed + EXCLUDED.closed;
END $$;

-- Statement level for inserts: write_wave adds thousands of tasks at once.
CREATE FUNCTION wharf.tally_tasks_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO wharf.wave_tally AS w (wave_id, shard, total, closed)
	SELECT n.wave_id, pg_backend_pid(), count(*),
	       count(*) FILTER (WHERE n.state NOT IN ('open', 'claimed'))
	FROM tally_new n WHERE n.wave_id IS NOT NULL GROUP BY n.wave_id
	ON CONFLICT (wave_id, shard) DO UPDATE
	SET total = w.total + EXCLUDED.total,
	    closed = w.closed + EXCLUDED.closed;
	RETURN NULL;
END $$;

CREATE TRIGGER pick_task_tally_insert AFTER INSERT ON wharf.pick_task
	REFERENCING NEW TABLE AS tally_new
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.tally_tasks_inserted();

-- Row level for the rest, and only when a task opens, closes or moves
-- between waves (the WHEN clause spares every other update a call).
CREATE FUNCTION wharf.tally_task_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	was integer := 0;
	now_ integer := 0;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		was := CASE WHEN OLD.state IN ('open', 'claimed') THEN 0
			    ELSE 1 END;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		now_ := CASE WHEN NEW.state IN ('open', 'claimed') THEN 0
			     ELSE 1 END;
		IF OLD.wave_id IS NOT DISTINCT FROM NEW.wave_id THEN
			PERFORM wharf._tally(NEW.wave_id, 0, now_ - was);
			RETURN NULL;
		END IF;
		PERFORM wharf._tally(NEW.wave_id, 1, now_);
	END IF;
	PERFORM wharf._tally(OLD.wave_id, -1, -was);
	RETURN NULL;
END $$;

CREATE TRIGGER pick_task_tally_update AFTER UPDATE OF state, wave_id
	ON wharf.pick_task FOR EACH ROW
	WHEN (OLD.wave_id IS DISTINCT FROM NEW.wave_id
	      OR (OLD.state IN ('open', 'claimed'))
		 <> (NEW.state IN ('open', 'claimed')))
	EXECUTE FUNCTION wharf.tally_task_changed();

CREATE TRIGGER pick_task_tally_delete AFTER DELETE ON wharf.pick_task
	FOR EACH ROW WHEN (OLD.wave_id IS NOT NULL)
	EXECUTE FUNCTION wharf.tally_task_changed();

CREATE OR REPLACE FUNCTION wharf._task_json(p_task bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v jsonb;
BEGIN
	SELECT jsonb_build_object(
		'task_id', t.id, 'kind', t.kind, 'state', t.state,
		'location_id', t.location_id, 'location_code', loc.code,
		'to_location_code', tl.code,
		'sku_id', t.sku_id, 'sku_code', s.code, 'sku_name', s.name,
		'lot_code', lt.lot_code, 'lot_expiry', lt.expiry,
		'qty', t.qty - t.qty_done, 'tote_code', tote.code, 'slot', t.slot,
		'order_id', t.order_id, 'wave_id', t.wave_id,
		'wave_done', coalesce(w.closed, 0),
		'wave_total', coalesce(w.total, 0))
	INTO v
	FROM wharf.pick_task t
	JOIN wharf.location loc ON loc.id = t.location_id
	LEFT JOIN wharf.location tl ON tl.id = t.to_location_id
	JOIN wharf.sku s ON s.id = t.sku_id
	LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
	LEFT JOIN wharf.tote tote ON tote.id = t.tote_id
	LEFT JOIN LATERAL (SELECT sum(x.closed) AS closed,
				  sum(x.total) AS total
			   FROM wharf.wave_tally x
			   WHERE x.wave_id = t.wave_id) w ON true
	WHERE t.id = p_task;
	RETURN v;
END $$;

-- Picking ---------------------------------------------------------------------

-- _pick_units of 0004 without its final update of the task: the units
-- move from the bin to the tote line by line (allocation released,
-- ledger row, picked_stock, line and order counters).
CREATE FUNCTION wharf._pick_lines(t wharf.pick_task, p_units integer,
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
		INSERT INTO wharf.stock_move (op_id, warehouse_id, kind, sku_id,
					      lot_id, from_location_id,
					      to_location_id, qty, order_id,
					      user_id, station_id)
		VALUES (p_op, t.warehouse_id, 'pick', t.sku_id, p_lot,
			t.location_id, t.to_location_id, n, r.order_id, p_user,
			p_station);
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
END $$;

CREATE OR REPLACE FUNCTION wharf._pick_units(t wharf.pick_task,
					     p_units integer, p_lot bigint,
					     p_op uuid, p_user bigint,
					     p_station bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._pick_lines(t, p_units, p_lot, p_op, p_user, p_station);
	UPDATE wharf.pick_task SET qty_done = qty_done + p_units
	WHERE id = t.id;
END $$;

-- Marks the task's wave done when none of its tasks is open or claimed
-- any more (as _task_settle of 0004, from the tally).
CREATE FUNCTION wharf._wave_settle(p_wave bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_wave IS NULL THEN
		RETURN;
	END IF;
	IF (SELECT sum(total) - sum(closed) FROM wharf.wave_tally
	    WHERE wave_id = p_wave) = 0 THEN
		UPDATE wharf.wave w SET state = 'done', done_at = now()
		WHERE w.id = p_wave AND w.state IN ('released', 'picking');
	END IF;
END $$;

CREATE OR REPLACE FUNCTION wharf._task_settle(p_task bigint, p_state text)
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
	IF v_state <> 'claimed' AND v_state <> 'open' THEN
		PERFORM wharf._wave_settle(v_wave);
	END IF;
	RETURN v_state;
END $$;

-- confirm_pick: as in 0004 (same checks, same refusals, same result).
CREATE OR REPLACE FUNCTION wharf.confirm_pick(p_task bigint, p_location text,
					      p_barcode text, p_lot text,
					      p_qty integer, p_op uuid,
					      p_user bigint, p_station bigint)
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
	v_wave bigint;
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
	-- The strictest minimum remaining life of the lines still to pick
	-- (wharf.line_min_remaining of each, in one query).
	SELECT max(greatest(s.min_remaining_days,
			    coalesce(sh.min_remaining_days, 0)))
	INTO v_min
	FROM wharf.pick_task_line ptl
	JOIN wharf.order_line l ON l.id = ptl.order_line_id
	JOIN wharf.sales_order o ON o.id = l.order_id
	JOIN wharf.shop sh ON sh.id = o.shop_id
	JOIN wharf.sku s ON s.id = l.sku_id
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

	PERFORM wharf._pick_lines(t, v_units, v_lot, p_op, p_user, p_station);
	-- One update of the task: units, claim (an open task is claimed by
	-- whoever picks it) and, when complete, done.
	UPDATE wharf.pick_task SET
		qty_done = qty_done + v_units,
		state = CASE WHEN qty_done + v_units >= qty THEN 'done'
			     WHEN state = 'open' THEN 'claimed' ELSE state END,
		claimed_by = CASE WHEN state = 'open' THEN p_user
				  ELSE claimed_by END,
		claimed_at = CASE WHEN state = 'open' THEN now()
				  ELSE claimed_at END,
		done_at = CASE WHEN qty_done + v_units >= qty THEN now() END
	WHERE id = t.id RETURNING state, wave_id INTO v_state, v_wave;
	IF v_state = 'done' THEN
		PERFORM wharf._wave_settle(v_wave);
	END IF;
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (p_user, p_station,
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

-- confirm_pick_next(task, location, barcode, lot, qty, op, user, station,
-- warehouse): confirm_pick, then claim_task for the same picker, in one
-- transaction: the confirm's result with "next" set to the task the
-- picker now holds (the same task while units remain on it, else the next
-- one in walk order; null when there is nothing to do). A refused confirm
-- claims nothing. A replay returns the first result with "next" as
-- claim_task would answer now.
CREATE FUNCTION wharf.confirm_pick_next(p_task bigint, p_location text,
					p_barcode text, p_lot text,
					p_qty integer, p_op uuid,
					p_user bigint, p_station bigint,
					p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
BEGIN
	v_res := wharf.confirm_pick(p_task, p_location, p_barcode, p_lot,
				    p_qty, p_op, p_user, p_station);
	RETURN v_res || jsonb_build_object('next',
		wharf.claim_task(p_user, p_station, p_wh));
END $$;

-- Invariants -------------------------------------------------------------------

-- verify_engine of 0004, plus: the wave tally agrees with the tasks.
CREATE OR REPLACE FUNCTION wharf.verify_engine()
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
	UNION ALL
	SELECT 'wave_tally_matches_tasks',
	       format('wave %s: tally %s of %s closed, tasks %s of %s',
		      coalesce(a.wave_id, b.wave_id), coalesce(b.closed, 0),
		      coalesce(b.total, 0), coalesce(a.closed, 0),
		      coalesce(a.total, 0))
	FROM (SELECT wave_id, count(*) AS total,
		     count(*) FILTER (WHERE state NOT IN ('open', 'claimed'))
			AS closed
	      FROM wharf.pick_task WHERE wave_id IS NOT NULL
	      GROUP BY wave_id) a
	FULL JOIN (SELECT wave_id, sum(total) AS total, sum(closed) AS closed
		   FROM wharf.wave_tally GROUP BY wave_id) b
	  ON b.wave_id = a.wave_id
	WHERE coalesce(a.total, 0) <> coalesce(b.total, 0)
	   OR coalesce(a.closed, 0) <> coalesce(b.closed, 0)
$$;

-- Claiming ----------------------------------------------------------------------

-- claim_task of 0004, handing tasks out oldest wave first, then by walk
-- sequence. Ordered by walk sequence alone, the pickers of several
-- released waves all went for the same walk index of every wave, which
-- is the same bin and SKU: they queued on one stock row (the bench saw
-- 6 ms of every pick waiting there). Put-back tasks (no wave) come first.
CREATE INDEX pick_task_claim_wave ON wharf.pick_task
	(warehouse_id, wave_id NULLS FIRST, seq, id) WHERE state = 'open';

CREATE OR REPLACE FUNCTION wharf.claim_task(p_user bigint, p_station bigint,
					    p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_wave bigint;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'claim pick tasks');
	SELECT t.id INTO v_id FROM wharf.pick_task t
	WHERE t.warehouse_id = p_wh AND t.state = 'claimed'
	  AND t.claimed_by = p_user
	ORDER BY t.wave_id NULLS FIRST, t.seq, t.id LIMIT 1;
	IF NOT FOUND THEN
		SELECT t.id, t.wave_id INTO v_id, v_wave FROM wharf.pick_task t
		WHERE t.warehouse_id = p_wh AND t.state = 'open'
		ORDER BY t.wave_id NULLS FIRST, t.seq, t.id LIMIT 1
		FOR UPDATE SKIP LOCKED;
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
