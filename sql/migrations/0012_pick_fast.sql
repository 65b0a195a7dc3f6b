-- 0012_pick_fast.sql: a pick confirm that writes what it must and no more.
--
-- Same contracts as 0008 (signatures, checks, refusals and their reason
-- codes, results, replays by op_id). Measured under tests/bench/run with
-- pg_stat_statements (track = all), one confirm_pick_next of 0008 wrote
-- about 94 WAL records, because:
--
--   * every foreign key of an inserted row takes a KEY SHARE lock on the
--     row it points to: a ledger row locked its warehouse, SKU, lot, both
--     locations, user and station; a picked_stock row five more; the
--     operation row three. The warehouse row is shared by every picker,
--     so those locks became MultiXacts (a write of their own) on the
--     hottest row of the database. The ledger, picked_stock, operation
--     and audit rows are written only by engine functions that have just
--     resolved every id they carry, and their stock counterpart (the
--     stock row the ledger trigger applies them to) keeps its own keys;
--     wharf.verify_engine() now checks that every id they hold exists.
--   * a pick wrote one ledger row per order line of the task; the units
--     leave one bin for one tote, so one row per task now says it (the
--     order lines are in picked_stock, written as before). The ledger
--     row names the order when the task serves exactly one.
--   * the operation row was inserted as a placeholder and updated with
--     the result: now a replay is looked up first and the row written
--     once, at the end, with its result. Two first calls racing with one
--     op_id meet on its primary key: the second waits, finds the row and
--     is answered 40001, which src/db retries as a replay.
--   * an audit_log row repeated what the ledger row says (who, where,
--     when, what); only a lot substitution, which the ledger cannot show,
--     is still audited.
--   * the order rows were updated once per line whether or not their
--     state changed; now once per order, and only when it changes.
--   * stock, order_line, pick_task_line and friends filled their pages
--     (fillfactor 100), so most updates could not be HOT and wrote every
--     index again. They now leave room on new pages.
--
-- Also here: the end of a wave. Two pickers closing a wave's last two
-- tasks at once each saw the other's task still open (neither had
-- committed) and neither marked the wave done; see _wave_settle.

-- Room for HOT updates ---------------------------------------------------------

ALTER TABLE wharf.stock SET (fillfactor = 80);
ALTER TABLE wharf.order_line SET (fillfactor = 80);
ALTER TABLE wharf.pick_task_line SET (fillfactor = 80);
ALTER TABLE wharf.pick_task SET (fillfactor = 80);
ALTER TABLE wharf.sales_order SET (fillfactor = 85);
ALTER TABLE wharf.wave_tally SET (fillfactor = 50);
ALTER TABLE wharf.picked_stock SET (fillfactor = 80);

-- Keys checked by the writers, not by share locks -----------------------------

ALTER TABLE wharf.stock_move
	DROP CONSTRAINT stock_move_warehouse_id_fkey,
	DROP CONSTRAINT stock_move_sku_id_fkey,
	DROP CONSTRAINT stock_move_lot_id_fkey,
	DROP CONSTRAINT stock_move_from_location_id_fkey,
	DROP CONSTRAINT stock_move_to_location_id_fkey,
	DROP CONSTRAINT stock_move_user_id_fkey,
	DROP CONSTRAINT stock_move_station_id_fkey;
ALTER TABLE wharf.picked_stock
	DROP CONSTRAINT picked_stock_location_id_fkey,
	DROP CONSTRAINT picked_stock_source_location_id_fkey,
	DROP CONSTRAINT picked_stock_sku_id_fkey,
	DROP CONSTRAINT picked_stock_lot_id_fkey;
ALTER TABLE wharf.operation
	DROP CONSTRAINT operation_warehouse_id_fkey,
	DROP CONSTRAINT operation_user_id_fkey,
	DROP CONSTRAINT operation_station_id_fkey;
ALTER TABLE wharf.audit_log
	DROP CONSTRAINT audit_log_user_id_fkey,
	DROP CONSTRAINT audit_log_station_id_fkey;

-- The ledger trigger ------------------------------------------------------------

-- As in 0008, with the destination row updated in place when it exists
-- (a tote or bin that already holds the SKU and lot: the usual case) and
-- inserted only when it does not. The location lookup also refuses an id
-- that names no location, which the dropped keys used to do.
CREATE OR REPLACE FUNCTION wharf.apply_stock_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	have integer;
	reserved integer;
	n integer;
BEGIN
	SELECT count(*) INTO n FROM wharf.location
	WHERE id IN (NEW.from_location_id, NEW.to_location_id)
	  AND warehouse_id = NEW.warehouse_id;
	IF n < (NEW.from_location_id IS NOT NULL)::integer
		+ (NEW.to_location_id IS NOT NULL
		   AND NEW.to_location_id IS DISTINCT FROM NEW.from_location_id)::integer THEN
		RAISE EXCEPTION 'stock move crosses warehouses or names no location'
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
		UPDATE wharf.stock SET on_hand = on_hand + NEW.qty,
			updated_at = now()
		WHERE location_id = NEW.to_location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id;
		IF NOT FOUND THEN
			INSERT INTO wharf.stock AS s (warehouse_id, location_id,
						      sku_id, lot_id, on_hand)
			VALUES (NEW.warehouse_id, NEW.to_location_id,
				NEW.sku_id, NEW.lot_id, NEW.qty)
			ON CONFLICT (location_id, sku_id, lot_id)
			DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand,
				updated_at = now();
		END IF;
	END IF;
	RETURN NULL;
END $$;

-- The end of a wave ---------------------------------------------------------------

-- Marks a wave done when none of its tasks is open or claimed. The tally
-- this transaction reads misses the tasks other transactions are closing
-- right now (not committed yet), so near the end of a wave (no more open
-- tasks than there can be such transactions) it looks for an open task
-- nobody is writing: one found, share-locked, stays open until this
-- transaction commits, so the wave is not done and whoever closes that
-- task later will see this close. When every open task is being written,
-- the wave row is locked and the tally read again: each closer of the
-- last tasks passes through that lock, reads what the ones before it
-- committed, and the last one sees zero.
CREATE OR REPLACE FUNCTION wharf._wave_settle(p_wave bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_open bigint;
BEGIN
	IF p_wave IS NULL THEN
		RETURN;
	END IF;
	SELECT sum(total) - sum(closed) INTO v_open
	FROM wharf.wave_tally WHERE wave_id = p_wave;
	IF v_open > current_setting('max_connections')::integer THEN
		RETURN;
	END IF;
	IF v_open > 0 THEN
		PERFORM 1 FROM wharf.pick_task t
		WHERE t.wave_id = p_wave AND t.state IN ('open', 'claimed')
		LIMIT 1 FOR SHARE SKIP LOCKED;
		IF FOUND THEN
			RETURN;
		END IF;
	END IF;
	PERFORM 1 FROM wharf.wave WHERE id = p_wave FOR NO KEY UPDATE;
	SELECT sum(total) - sum(closed) INTO v_open
	FROM wharf.wave_tally WHERE wave_id = p_wave;
	IF v_open = 0 THEN
		UPDATE wharf.wave w SET state = 'done', done_at = now()
		WHERE w.id = p_wave AND w.state IN ('released', 'picking');
	END IF;
END $$;

-- Claiming ---------------------------------------------------------------------------

-- claim_task without the role check, for callers that made it: the task
-- the picker holds, else the first open one in walk order (a wave's
-- tasks before the next wave's), claimed; NULL when there is none.
CREATE FUNCTION wharf._claim_next(p_user bigint, p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_wave bigint;
BEGIN
	SELECT t.id INTO v_id FROM wharf.pick_task t
	WHERE t.warehouse_id = p_wh AND t.state = 'claimed'
	  AND t.claimed_by = p_user AND t.kind <> 'replenish'
	ORDER BY t.wave_id NULLS FIRST, t.seq, t.id LIMIT 1;
	IF NOT FOUND THEN
		UPDATE wharf.pick_task SET state = 'claimed',
			claimed_by = p_user, claimed_at = now()
		WHERE id = (SELECT t.id FROM wharf.pick_task t
			    WHERE t.warehouse_id = p_wh AND t.state = 'open'
			      AND t.kind <> 'replenish'
			    ORDER BY t.wave_id NULLS FIRST, t.seq, t.id
			    LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING id, wave_id INTO v_id, v_wave;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		IF v_wave IS NOT NULL THEN
			UPDATE wharf.wave SET state = 'picking'
			WHERE id = v_wave AND state = 'released';
		END IF;
	END IF;
	RETURN wharf._task_json(v_id);
END $$;

CREATE OR REPLACE FUNCTION wharf.claim_task(p_user bigint, p_station bigint,
					    p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'claim pick tasks');
	RETURN wharf._claim_next(p_user, p_wh);
END $$;

-- Picking ---------------------------------------------------------------------------

-- A replayed operation's result, or NULL when p_op is new. Unlike
-- _op_begin this writes nothing: the caller records the operation with
-- its result when it is done (_op_record).
CREATE FUNCTION wharf._op_replay(p_op uuid, p_kind text)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_kind text;
	v_result jsonb;
BEGIN
	IF p_op IS NULL THEN
		RAISE EXCEPTION 'BAD_OP: an operation id is required for %',
			p_kind;
	END IF;
	SELECT o.kind, o.result INTO v_kind, v_result
	FROM wharf.operation o WHERE o.op_id = p_op;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF v_kind <> p_kind THEN
		RAISE EXCEPTION 'OP_CONFLICT: operation % was a %, not a %',
			p_op, v_kind, p_kind;
	END IF;
	RETURN v_result || '{"replayed": true}';
END $$;

-- Records a finished operation with its result. When another transaction
-- recorded the same op_id first (a concurrent replay of a first call),
-- this one's work is undone by 40001 and src/db's retry answers it as a
-- replay.
CREATE FUNCTION wharf._op_record(p_op uuid, p_kind text, p_wh bigint,
				 p_user bigint, p_station bigint,
				 p_result jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO wharf.operation (op_id, kind, warehouse_id, user_id,
				     station_id, result)
	VALUES (p_op, p_kind, p_wh, p_user, p_station,
		p_result || '{"replayed": false}')
	ON CONFLICT (op_id) DO NOTHING;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'operation % was recorded meanwhile', p_op
			USING ERRCODE = 'serialization_failure';
	END IF;
	RETURN p_result || '{"replayed": false}';
END $$;

-- Takes p_take[i] units off line p_lines[i]'s allocations at one stock
-- row (location, lot), oldest allocation first: one DELETE of the rows it
-- uses up and, only when one must be cut, one UPDATE, so the allocation
-- triggers (statement-level) run once or twice rather than once a row.
-- Returns the units taken, fewer than asked when the allocations are not
-- there. The caller holds the lines' orders locked, as every writer of
-- their allocations does; a row gone meanwhile all the same is 40001.
CREATE FUNCTION wharf._dealloc_lines(p_lines bigint[], p_take integer[],
				     p_loc bigint, p_lot bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_gone bigint[];
	v_cut bigint[];
	v_keep integer[];
	v_took integer;
	v_rows bigint;
BEGIN
	-- Which rows go whole and which one of a line is cut, to what.
	SELECT coalesce(array_agg(a.id) FILTER (WHERE a.cum <= a.n), '{}'),
	       coalesce(array_agg(a.id) FILTER (WHERE a.cum > a.n
						 AND a.cum - a.qty < a.n), '{}'),
	       coalesce(array_agg(a.cum - a.n) FILTER (WHERE a.cum > a.n
						 AND a.cum - a.qty < a.n), '{}'),
	       coalesce(sum(least(a.qty, greatest(a.n - (a.cum - a.qty), 0))), 0)
	INTO v_gone, v_cut, v_keep, v_took
	FROM (SELECT al.id, al.qty, w.n,
		     sum(al.qty) OVER (PARTITION BY al.order_line_id
				       ORDER BY al.id) AS cum
	      FROM wharf.allocation al
	      JOIN unnest(p_lines, p_take) AS w(line, n)
		ON w.line = al.order_line_id
	      WHERE al.location_id = p_loc
		AND al.lot_id IS NOT DISTINCT FROM p_lot) a;
	IF cardinality(v_gone) > 0 THEN
		DELETE FROM wharf.allocation WHERE id = ANY (v_gone);
		GET DIAGNOSTICS v_rows = ROW_COUNT;
		IF v_rows <> cardinality(v_gone) THEN
			RAISE EXCEPTION 'allocations changed meanwhile'
				USING ERRCODE = 'serialization_failure';
		END IF;
	END IF;
	IF cardinality(v_cut) > 0 THEN
		UPDATE wharf.allocation al SET qty = x.keep
		FROM unnest(v_cut, v_keep) AS x(id, keep) WHERE al.id = x.id;
		GET DIAGNOSTICS v_rows = ROW_COUNT;
		IF v_rows <> cardinality(v_cut) THEN
			RAISE EXCEPTION 'allocations changed meanwhile'
				USING ERRCODE = 'serialization_failure';
		END IF;
	END IF;
	RETURN v_took;
END $$;

-- The refusals of _lock_task for a task read without a lock: NO_TASK,
-- WRONG_TASK, INTERCEPTED, TASK_CLOSED, TASK_CLAIMED.
CREATE FUNCTION wharf._pick_task_check(t wharf.pick_task, p_task bigint,
				       p_user bigint)
RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_order record;
BEGIN
	IF t.id IS NULL THEN
		RAISE EXCEPTION 'NO_TASK: no task %', p_task
			USING ERRCODE = 'no_data_found';
	END IF;
	IF t.kind <> 'pick' THEN
		RAISE EXCEPTION 'WRONG_TASK: task % is a % task', p_task, t.kind;
	END IF;
	SELECT o.platform_order_id, o.intercept_reason INTO v_order
	FROM wharf.sales_order o
	WHERE o.intercepted_at IS NOT NULL AND o.id IN (
		SELECT l.order_id FROM wharf.pick_task_line ptl
		JOIN wharf.order_line l ON l.id = ptl.order_line_id
		WHERE ptl.task_id = p_task AND ptl.qty > ptl.qty_done)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%): put the units back',
			v_order.platform_order_id,
			coalesce(v_order.intercept_reason, 'cancelled');
	END IF;
	IF t.state NOT IN ('open', 'claimed') THEN
		IF t.order_id IS NOT NULL AND EXISTS (
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
END $$;

-- confirm_pick: the checks of 0008 on a task read without a lock, then
-- the writes, in the lock order intercept also follows (the task's
-- orders, then the task, then stock): the orders are locked and checked
-- again, the task is updated only if nobody changed it since it was read
-- (else 40001: the retry reads it afresh and refuses or proceeds).
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
	v_lines bigint[] := '{}';
	v_take integer[] := '{}';
	v_orders bigint[] := '{}';
	v_order bigint;
	v_left integer;
	v_n integer;
	r record;
	v_state text;
	v_order_state text;
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'confirm picks');
	v_res := wharf._op_replay(p_op, 'confirm_pick');
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO t FROM wharf.pick_task WHERE id = p_task;
	PERFORM wharf._pick_task_check(t, p_task, p_user);

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

	-- The lot, as in 0008. Only lot-managed tasks need the lines'
	-- strictest minimum remaining life.
	IF t.lot_id IS NOT NULL THEN
		SELECT l.lot_code, l.expiry, l.first_received_at INTO v_want
		FROM wharf.lot l WHERE l.id = t.lot_id;
		SELECT max(greatest(s.min_remaining_days,
				    coalesce(sh.min_remaining_days, 0)))
		INTO v_min
		FROM wharf.pick_task_line ptl
		JOIN wharf.order_line l ON l.id = ptl.order_line_id
		JOIN wharf.sales_order o ON o.id = l.order_id
		JOIN wharf.shop sh ON sh.id = o.shop_id
		JOIN wharf.sku s ON s.id = l.sku_id
		WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done;
		IF p_lot IS NULL THEN
			RAISE EXCEPTION 'LOT_REQUIRED: scan the lot; expected lot % (exp %)',
				v_want.lot_code, coalesce(v_want.expiry::text, 'none');
		END IF;
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

	-- Which lines the units go to: in line order, as far as each needs.
	v_left := v_units;
	FOR r IN SELECT ptl.order_line_id, ptl.qty - ptl.qty_done AS rem,
			l.order_id
		 FROM wharf.pick_task_line ptl
		 JOIN wharf.order_line l ON l.id = ptl.order_line_id
		 WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done
		 ORDER BY ptl.order_line_id LOOP
		EXIT WHEN v_left <= 0;
		v_n := least(r.rem, v_left);
		v_lines := v_lines || r.order_line_id;
		v_take := v_take || v_n;
		IF NOT r.order_id = ANY (v_orders) THEN
			v_orders := v_orders || r.order_id;
		END IF;
		v_left := v_left - v_n;
	END LOOP;
	IF v_left > 0 THEN
		-- The lines were read after the task: if it moved on in
		-- between, read both again.
		IF EXISTS (SELECT 1 FROM wharf.pick_task x WHERE x.id = t.id
			   AND (x.qty_done, x.qty, x.state)
			       IS DISTINCT FROM (t.qty_done, t.qty, t.state)) THEN
			RAISE EXCEPTION 'task % changed meanwhile', p_task
				USING ERRCODE = 'serialization_failure';
		END IF;
		RAISE EXCEPTION 'OVER_PICK: the task needs % fewer units', v_left;
	END IF;

	-- Lock the orders (intercept locks them first too), then look again:
	-- an intercept that committed after the check above is seen now.
	PERFORM 1 FROM wharf.sales_order o WHERE o.id = ANY (v_orders)
	ORDER BY o.id FOR UPDATE;
	IF EXISTS (SELECT 1 FROM wharf.sales_order o
		   WHERE o.id = ANY (v_orders) AND o.intercepted_at IS NOT NULL) THEN
		RAISE EXCEPTION 'task % changed meanwhile', p_task
			USING ERRCODE = 'serialization_failure';
	END IF;
	-- The task: units, claim (an open task is claimed by whoever picks
	-- it) and, when complete, done; only as it was read.
	UPDATE wharf.pick_task SET
		qty_done = qty_done + v_units,
		state = CASE WHEN qty_done + v_units >= qty THEN 'done'
			     WHEN state = 'open' THEN 'claimed' ELSE state END,
		claimed_by = CASE WHEN state = 'open' THEN p_user
				  ELSE claimed_by END,
		claimed_at = CASE WHEN state = 'open' THEN now()
				  ELSE claimed_at END,
		done_at = CASE WHEN qty_done + v_units >= qty THEN now() END
	WHERE id = t.id AND state = t.state AND qty_done = t.qty_done
	  AND qty = t.qty AND claimed_by IS NOT DISTINCT FROM t.claimed_by
	RETURNING state INTO v_state;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'task % changed meanwhile', p_task
			USING ERRCODE = 'serialization_failure';
	END IF;

	-- Each line's allocation at the bin shrinks by its units (the
	-- allocation triggers release them on the stock row and the line).
	IF wharf._dealloc_lines(v_lines, v_take, t.location_id, t.lot_id)
	   <> v_units THEN
		RAISE EXCEPTION 'NOT_ALLOCATED: the task''s lines have no allocation of % units at the bin',
			v_units;
	END IF;
	UPDATE wharf.order_line l SET qty_picked = l.qty_picked + x.n
	FROM unnest(v_lines, v_take) AS x(line, n) WHERE l.id = x.line;
	-- One ledger row: the units leave the bin for the tote.
	INSERT INTO wharf.stock_move (op_id, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty,
				      order_id, user_id, station_id)
	VALUES (p_op, t.warehouse_id, 'pick', t.sku_id, v_lot, t.location_id,
		t.to_location_id, v_units,
		CASE WHEN array_length(v_orders, 1) = 1 THEN v_orders[1] END,
		p_user, p_station);
	-- Per line: where its units are, how many are picked.
	INSERT INTO wharf.picked_stock AS ps (order_line_id, location_id,
		source_location_id, sku_id, lot_id, qty)
	SELECT x.line, t.to_location_id, t.location_id, t.sku_id, v_lot, x.n
	FROM unnest(v_lines, v_take) AS x(line, n)
	ON CONFLICT (order_line_id, location_id, source_location_id, lot_id)
	DO UPDATE SET qty = ps.qty + EXCLUDED.qty;
	UPDATE wharf.pick_task_line ptl SET qty_done = ptl.qty_done + x.n
	FROM unnest(v_lines, v_take) AS x(line, n)
	WHERE ptl.task_id = t.id AND ptl.order_line_id = x.line;
	-- Orders whose state changes: released or picking becomes picking,
	-- or picked when no line has units left to pick.
	UPDATE wharf.sales_order o SET state = n.state, updated_at = now()
	FROM (SELECT o2.id,
		     CASE WHEN EXISTS (SELECT 1 FROM wharf.order_line x
				       WHERE x.order_id = o2.id
					 AND x.qty_picked < x.qty)
			  THEN 'picking'::wharf.order_state
			  ELSE 'picked' END AS state
	      FROM wharf.sales_order o2 WHERE o2.id = ANY (v_orders)) n
	WHERE o.id = n.id AND o.state IN ('released', 'picking')
	  AND o.state <> n.state;

	IF v_state = 'done' THEN
		PERFORM wharf._wave_settle(t.wave_id);
	END IF;
	IF v_sub THEN
		INSERT INTO wharf.audit_log (user_id, station_id, action,
					     entity, entity_id, detail)
		VALUES (p_user, p_station, 'pick_lot_substituted', 'pick_task',
			t.id, jsonb_build_object('units', v_units, 'lot', p_lot,
						 'expected_lot', v_want.lot_code));
	END IF;
	IF t.order_id IS NOT NULL THEN
		SELECT state INTO v_order_state FROM wharf.sales_order
		WHERE id = t.order_id;
	END IF;
	RETURN wharf._op_record(p_op, 'confirm_pick', t.warehouse_id, p_user,
		p_station, jsonb_build_object(
		'task_id', t.id, 'units', v_units, 'lot_code', p_lot,
		'substituted', v_sub, 'remaining', t.qty - t.qty_done - v_units,
		'task_state', v_state,
		'tote_code', (SELECT code FROM wharf.tote WHERE id = t.tote_id),
		'slot', t.slot, 'order_state', v_order_state));
END $$;

-- confirm_pick_next: as in 0008, with the claim of the next task done by
-- _claim_next (the role was checked by the confirm).
CREATE OR REPLACE FUNCTION wharf.confirm_pick_next(p_task bigint,
						   p_location text,
						   p_barcode text, p_lot text,
						   p_qty integer, p_op uuid,
						   p_user bigint,
						   p_station bigint,
						   p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
BEGIN
	v_res := wharf.confirm_pick(p_task, p_location, p_barcode, p_lot,
				    p_qty, p_op, p_user, p_station);
	RETURN v_res || jsonb_build_object('next',
		wharf._claim_next(p_user, p_wh));
END $$;

-- Invariants ---------------------------------------------------------------------------

-- verify_engine of 0010, plus: every id the ledger, picked_stock and the
-- operation log hold names a row that exists (the keys 0012 dropped).
ALTER FUNCTION wharf.verify_engine() RENAME TO _verify_engine_pre_0012;

CREATE FUNCTION wharf.verify_engine()
RETURNS TABLE (check_name text, detail text)
LANGUAGE sql STABLE AS $$
	SELECT v.check_name, v.detail FROM wharf._verify_engine_pre_0012() v
	UNION ALL
	SELECT 'ledger_reference',
	       format('stock move %s names a missing %s', m.id, x.what)
	FROM wharf.stock_move m
	CROSS JOIN LATERAL (VALUES
		('warehouse', NOT EXISTS (SELECT 1 FROM wharf.warehouse w
					  WHERE w.id = m.warehouse_id)),
		('sku', NOT EXISTS (SELECT 1 FROM wharf.sku s
				    WHERE s.id = m.sku_id)),
		('lot', m.lot_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.lot l WHERE l.id = m.lot_id)),
		('from location', m.from_location_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.location l
			WHERE l.id = m.from_location_id)),
		('to location', m.to_location_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.location l
			WHERE l.id = m.to_location_id)),
		('user', m.user_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.app_user u WHERE u.id = m.user_id)),
		('station', m.station_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.station s
			WHERE s.id = m.station_id))) AS x(what, missing)
	WHERE x.missing
	UNION ALL
	SELECT 'picked_stock_reference',
	       format('picked stock %s names a missing location, SKU or lot',
		      p.id)
	FROM wharf.picked_stock p
	WHERE NOT EXISTS (SELECT 1 FROM wharf.location l
			  WHERE l.id = p.location_id)
	   OR NOT EXISTS (SELECT 1 FROM wharf.location l
			  WHERE l.id = p.source_location_id)
	   OR NOT EXISTS (SELECT 1 FROM wharf.sku s WHERE s.id = p.sku_id)
	   OR (p.lot_id IS NOT NULL
	       AND NOT EXISTS (SELECT 1 FROM wharf.lot l WHERE l.id = p.lot_id))
$$;
