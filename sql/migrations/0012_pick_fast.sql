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
-- With those alone a pick still cost 2.2 ms of server CPU against 0.31 ms
-- for a pgbench tpcb-like transaction on the same server (CPU of the
-- benchmark's backends, read from /proc). The rest was statements:
-- about fifty executor runs over cached plans, a sixth of the time spent
-- re-planning the ones over arrays, and a lookup planned while its table
-- was empty scanning it. So the same checks, in the same order with the
-- same words, are made in about half as many statements:
--
--   * one read for the actor, a recorded result for the op_id, the task,
--     its bin, SKU and tote; one for the task's open lines with their
--     orders' interception and the strictest minimum remaining life; one
--     for both lots of a lot-managed task;
--   * the orders locked and re-checked in one statement, their new states
--     written and the task order's state read in another;
--   * the ledger trigger no longer looks the locations up: the stock row
--     it updates, or inserts with its (warehouse, location) key, proves
--     both the location and its warehouse;
--   * the task tally trigger writes its shard directly; claiming the next
--     task reads it with its wave's state and touches the wave only when
--     it is still 'released';
--   * the pick path keeps one generic plan per statement and no
--     sequential scans (see the end of this file).
--
-- Also here: the end of a wave. Two pickers closing a wave's last two
-- tasks at once each saw the other's task still open (neither had
-- committed) and neither marked the wave done; see _wave_settle.

-- Room for HOT updates ------------------------------------------------------

ALTER TABLE wharf.stock SET (fillfactor = 80);
ALTER TABLE wharf.order_line SET (fillfactor = 80);
ALTER TABLE wharf.pick_task_line SET (fillfactor = 80);
ALTER TABLE wharf.pick_task SET (fillfactor = 80);
ALTER TABLE wharf.sales_order SET (fillfactor = 85);
ALTER TABLE wharf.wave_tally SET (fillfactor = 50);
ALTER TABLE wharf.picked_stock SET (fillfactor = 80);

-- Keys checked by the writers, not by share locks ---------------------------

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

-- The ledger trigger --------------------------------------------------------

-- As in 0008, with the destination row updated in place when it exists
-- (a tote or bin that already holds the SKU and lot: the usual case) and
-- inserted only when it does not. The stock rows are matched on the
-- move's warehouse too: a stock row's (warehouse, location) key refers
-- to a location of that warehouse, so updating one proves the location
-- is there and is the warehouse's, and inserting one checks it by the
-- key. Only on a refusal
-- are the locations read, to say which rule was broken.
CREATE OR REPLACE FUNCTION wharf.apply_stock_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	have integer;
	reserved integer;
BEGIN
	IF NEW.from_location_id IS NOT NULL THEN
		UPDATE wharf.stock SET on_hand = on_hand - NEW.qty,
			updated_at = now()
		WHERE location_id = NEW.from_location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id
		  AND warehouse_id = NEW.warehouse_id
		  AND on_hand - allocated >= NEW.qty;
		IF NOT FOUND THEN
			PERFORM wharf._stock_move_refuse(NEW.warehouse_id,
				NEW.from_location_id, NEW.to_location_id);
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
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id
		  AND warehouse_id = NEW.warehouse_id;
		IF NOT FOUND THEN
			PERFORM wharf._stock_move_refuse(NEW.warehouse_id,
				NEW.from_location_id, NEW.to_location_id);
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

-- The refusal for a move naming a location that does not exist or is in
-- another warehouse than the move (the ledger's old location check, run
-- only when the fast path above did not match; it also stands for the
-- keys dropped above).
CREATE FUNCTION wharf._stock_move_refuse(p_wh bigint, p_from bigint,
					  p_to bigint)
RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
	n integer;
BEGIN
	SELECT count(*) INTO n FROM wharf.location
	WHERE id IN (p_from, p_to) AND warehouse_id = p_wh;
	IF n < (p_from IS NOT NULL)::integer
		+ (p_to IS NOT NULL AND p_to IS DISTINCT FROM p_from)::integer THEN
		RAISE EXCEPTION 'stock move crosses warehouses or names no location'
			USING ERRCODE = 'check_violation';
	END IF;
END $$;

-- The end of a wave ---------------------------------------------------------

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

-- Wave progress -------------------------------------------------------------

-- tally_task_changed of 0008 with the shard written here rather than
-- through wharf._tally: one statement a close instead of two.
CREATE OR REPLACE FUNCTION wharf.tally_task_changed() RETURNS trigger
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
			IF NEW.wave_id IS NOT NULL AND now_ <> was THEN
				INSERT INTO wharf.wave_tally AS w (wave_id, shard,
								   total, closed)
				VALUES (NEW.wave_id, pg_backend_pid(), 0,
					now_ - was)
				ON CONFLICT (wave_id, shard) DO UPDATE
				SET closed = w.closed + EXCLUDED.closed;
			END IF;
			RETURN NULL;
		END IF;
		PERFORM wharf._tally(NEW.wave_id, 1, now_);
	END IF;
	PERFORM wharf._tally(OLD.wave_id, -1, -was);
	RETURN NULL;
END $$;

-- Claiming ------------------------------------------------------------------

-- claim_task without the role check, for callers that made it: the task
-- the picker holds, else the first open one in walk order (a wave's tasks
-- before the next wave's), claimed; NULL when there is none. Its
-- description (as _task_json) is read in the same statement as its wave's
-- state, and the wave set 'picking' only when it is still 'released'.
CREATE FUNCTION wharf._claim_next(p_user bigint, p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
	v_task jsonb;
	v_wave_state text;
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
		RETURNING id INTO v_id;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
	END IF;
	SELECT jsonb_build_object(
		'task_id', t.id, 'kind', t.kind, 'state', t.state,
		'location_id', t.location_id, 'location_code', loc.code,
		'to_location_code', tl.code,
		'sku_id', t.sku_id, 'sku_code', s.code, 'sku_name', s.name,
		'lot_code', lt.lot_code, 'lot_expiry', lt.expiry,
		'qty', t.qty - t.qty_done, 'tote_code', tote.code, 'slot', t.slot,
		'order_id', t.order_id, 'wave_id', t.wave_id,
		'wave_done', coalesce(w.closed, 0),
		'wave_total', coalesce(w.total, 0)),
	       wv.state
	INTO v_task, v_wave_state
	FROM wharf.pick_task t
	JOIN wharf.location loc ON loc.id = t.location_id
	LEFT JOIN wharf.location tl ON tl.id = t.to_location_id
	JOIN wharf.sku s ON s.id = t.sku_id
	LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
	LEFT JOIN wharf.tote tote ON tote.id = t.tote_id
	LEFT JOIN wharf.wave wv ON wv.id = t.wave_id
	LEFT JOIN LATERAL (SELECT sum(x.closed) AS closed,
				  sum(x.total) AS total
			   FROM wharf.wave_tally x
			   WHERE x.wave_id = t.wave_id) w ON true
	WHERE t.id = v_id;
	IF v_wave_state = 'released' THEN
		UPDATE wharf.wave SET state = 'picking'
		WHERE id = (v_task ->> 'wave_id')::bigint AND state = 'released';
	END IF;
	RETURN v_task;
END $$;

CREATE OR REPLACE FUNCTION wharf.claim_task(p_user bigint, p_station bigint,
					    p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._actor(p_user, '{picker}', 'claim pick tasks');
	RETURN wharf._claim_next(p_user, p_wh);
END $$;

-- Picking -------------------------------------------------------------------

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

-- confirm_pick: the checks of 0008, in the same order with the same words,
-- on a task read without a lock; then the writes, in the lock order
-- intercept also follows (the task's orders, then the task, then
-- allocations and stock): the orders are locked and checked again, the
-- task is updated only if nobody changed it since it was read (else
-- 40001: the retry reads it afresh and refuses or proceeds).
CREATE OR REPLACE FUNCTION wharf.confirm_pick(p_task bigint, p_location text,
					      p_barcode text, p_lot text,
					      p_qty integer, p_op uuid,
					      p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	c record;
	t wharf.pick_task;
	ln record;
	lots record;
	v_sku bigint;
	v_pack integer;
	v_units integer;
	v_lot bigint;
	v_sub boolean := false;
	v_free integer;
	v_lines bigint[] := '{}';
	v_take integer[] := '{}';
	v_orders bigint[] := '{}';
	v_left integer;
	v_n integer;
	v_state text;
	v_order_state text;
	v_open bigint;
BEGIN
	IF p_op IS NULL THEN
		RAISE EXCEPTION 'BAD_OP: an operation id is required for %',
			'confirm_pick';
	END IF;
	-- Who asks, whether p_op was answered, and the task. Each is one
	-- primary-key lookup; LIMIT keeps each a lookup of its own, whatever
	-- the statistics of a table that was empty when they were taken
	-- (operation starts so, and a join plan made then scans it).
	SELECT u.id AS user_id, u.role, u.active, op.kind AS op_kind,
	       op.result AS op_result, pt.task, pt.loc_code, pt.sku_code,
	       pt.lot_control, pt.tote_code
	INTO c
	FROM (SELECT) one
	LEFT JOIN LATERAL (SELECT x.id, x.role, x.active
			   FROM wharf.app_user x WHERE x.id = p_user
			   LIMIT 1) u ON true
	LEFT JOIN LATERAL (SELECT x.kind, x.result
			   FROM wharf.operation x WHERE x.op_id = p_op
			   LIMIT 1) op ON true
	LEFT JOIN LATERAL (SELECT x AS task, loc.code AS loc_code,
				  s.code AS sku_code, s.lot_control,
				  tote.code AS tote_code
			   FROM wharf.pick_task x
			   JOIN wharf.location loc ON loc.id = x.location_id
			   JOIN wharf.sku s ON s.id = x.sku_id
			   LEFT JOIN wharf.tote tote ON tote.id = x.tote_id
			   WHERE x.id = p_task LIMIT 1) pt ON true;
	IF c.user_id IS NULL THEN
		RAISE EXCEPTION 'ROLE_REFUSED: unknown user % may not %',
			p_user, 'confirm picks'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'ROLE_REFUSED: user % is inactive', p_user
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF c.role NOT IN ('picker', 'supervisor', 'admin') THEN
		RAISE EXCEPTION 'ROLE_REFUSED: a % may not %', c.role,
			'confirm picks' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF c.op_kind IS NOT NULL THEN
		IF c.op_kind <> 'confirm_pick' THEN
			RAISE EXCEPTION 'OP_CONFLICT: operation % was a %, not a %',
				p_op, c.op_kind, 'confirm_pick';
		END IF;
		RETURN c.op_result || '{"replayed": true}';
	END IF;
	t := c.task;
	IF t.id IS NULL THEN
		RAISE EXCEPTION 'NO_TASK: no task %', p_task
			USING ERRCODE = 'no_data_found';
	END IF;
	IF t.kind <> 'pick' THEN
		RAISE EXCEPTION 'WRONG_TASK: task % is a % task', p_task, t.kind;
	END IF;
	-- The open lines, their orders' interception and the strictest
	-- minimum remaining life among them.
	SELECT array_agg(ptl.order_line_id ORDER BY ptl.order_line_id) AS ids,
	       array_agg(ptl.qty - ptl.qty_done ORDER BY ptl.order_line_id)
		       AS rem,
	       array_agg(l.order_id ORDER BY ptl.order_line_id) AS orders,
	       max(greatest(s.min_remaining_days,
			    coalesce(sh.min_remaining_days, 0))) AS min_days,
	       (array_agg(o.platform_order_id)
		       FILTER (WHERE o.intercepted_at IS NOT NULL))[1]
		       AS stopped,
	       (array_agg(o.intercept_reason)
		       FILTER (WHERE o.intercepted_at IS NOT NULL))[1] AS why
	INTO ln
	FROM wharf.pick_task_line ptl
	JOIN wharf.order_line l ON l.id = ptl.order_line_id
	JOIN wharf.sales_order o ON o.id = l.order_id
	JOIN wharf.shop sh ON sh.id = o.shop_id
	JOIN wharf.sku s ON s.id = l.sku_id
	WHERE ptl.task_id = t.id AND ptl.qty > ptl.qty_done;
	IF ln.stopped IS NOT NULL THEN
		RAISE EXCEPTION 'INTERCEPTED: order % was intercepted (%): put the units back',
			ln.stopped, coalesce(ln.why, 'cancelled');
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
	   AND c.role NOT IN ('supervisor', 'admin') THEN
		RAISE EXCEPTION 'TASK_CLAIMED: task % is claimed by user %',
			p_task, t.claimed_by;
	END IF;

	IF p_location IS DISTINCT FROM c.loc_code THEN
		RAISE EXCEPTION 'WRONG_LOCATION: expected %, scanned %',
			c.loc_code, coalesce(p_location, 'nothing');
	END IF;
	SELECT b.sku_id, b.pack_qty INTO v_sku, v_pack
	FROM wharf.barcode_lookup(p_barcode) b;
	IF v_sku IS NULL THEN
		RAISE EXCEPTION 'UNKNOWN_BARCODE: % is not a known barcode (expected %)',
			coalesce(p_barcode, 'nothing'), c.sku_code;
	END IF;
	IF v_sku <> t.sku_id THEN
		RAISE EXCEPTION 'WRONG_SKU: expected %, scanned %', c.sku_code,
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

	-- The lot, as in 0008: the task's and the scanned one in one read.
	IF t.lot_id IS NOT NULL THEN
		SELECT w.lot_code AS want_code, w.expiry AS want_expiry,
		       w.first_received_at AS want_first, g.id AS got_id,
		       g.lot_code AS got_code, g.expiry AS got_expiry,
		       g.first_received_at AS got_first
		INTO lots
		FROM wharf.lot w
		LEFT JOIN wharf.lot g ON g.sku_id = t.sku_id
				     AND g.lot_code = p_lot
		WHERE w.id = t.lot_id;
		IF p_lot IS NULL THEN
			RAISE EXCEPTION 'LOT_REQUIRED: scan the lot; expected lot % (exp %)',
				lots.want_code,
				coalesce(lots.want_expiry::text, 'none');
		END IF;
		IF lots.got_id IS NULL THEN
			RAISE EXCEPTION 'WRONG_LOT: expected lot % (exp %), scanned unknown lot %',
				lots.want_code,
				coalesce(lots.want_expiry::text, 'none'), p_lot;
		END IF;
		v_lot := lots.got_id;
		IF NOT wharf.lot_sellable(lots.got_expiry, ln.min_days,
					  current_date) THEN
			RAISE EXCEPTION 'LOT_EXPIRED: lot % (exp %) is past its ship-by date %',
				lots.got_code, lots.got_expiry,
				wharf.ship_by(lots.got_expiry, ln.min_days);
		END IF;
		IF v_lot <> t.lot_id THEN
			SELECT s.on_hand - s.allocated INTO v_free
			FROM wharf.stock s
			WHERE s.location_id = t.location_id AND s.sku_id = t.sku_id
			  AND s.lot_id = v_lot;
			IF (c.lot_control = 'fefo'
			    AND (lots.got_expiry IS NULL
				 OR lots.got_expiry > lots.want_expiry))
			   OR (c.lot_control = 'fifo'
			       AND lots.got_first > lots.want_first)
			   OR coalesce(v_free, 0) < v_units THEN
				RAISE EXCEPTION 'WRONG_LOT: expected lot % (exp %), scanned %',
					lots.want_code,
					coalesce(lots.want_expiry::text, 'none'),
					p_lot;
			END IF;
			v_sub := true;
		END IF;
	END IF;

	-- Which lines the units go to: in line order, as far as each needs.
	v_left := v_units;
	FOR i IN 1 .. coalesce(array_length(ln.ids, 1), 0) LOOP
		EXIT WHEN v_left <= 0;
		v_n := least(ln.rem[i], v_left);
		v_lines := v_lines || ln.ids[i];
		v_take := v_take || v_n;
		IF NOT ln.orders[i] = ANY (v_orders) THEN
			v_orders := v_orders || ln.orders[i];
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

	-- Lock the orders (intercept locks them first too) and look again:
	-- an intercept that committed after the read above is seen now.
	SELECT count(*) FILTER (WHERE x.intercepted_at IS NOT NULL) INTO v_n
	FROM (SELECT o.intercepted_at FROM wharf.sales_order o
	      WHERE o.id = ANY (v_orders) ORDER BY o.id FOR UPDATE) x;
	IF v_n > 0 THEN
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
		CASE WHEN cardinality(v_orders) = 1 THEN v_orders[1] END,
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
	-- or picked when no line has units left to pick. The task's own
	-- order's state comes back for the result.
	WITH n AS (
		SELECT o2.id, o2.state AS was,
		       CASE WHEN EXISTS (SELECT 1 FROM wharf.order_line x
					 WHERE x.order_id = o2.id
					   AND x.qty_picked < x.qty)
			    THEN 'picking'::wharf.order_state
			    ELSE 'picked' END AS state
		FROM wharf.sales_order o2 WHERE o2.id = ANY (v_orders)),
	u AS (
		UPDATE wharf.sales_order o SET state = n.state,
			updated_at = now()
		FROM n
		WHERE o.id = n.id AND o.state IN ('released', 'picking')
		  AND o.state <> n.state
		RETURNING o.id, o.state)
	SELECT coalesce(u.state, n.was)::text INTO v_order_state
	FROM n LEFT JOIN u ON u.id = n.id WHERE n.id = t.order_id;

	-- The wave ends with its last task (_wave_settle, its first read
	-- here: most closes stop at it).
	IF v_state = 'done' AND t.wave_id IS NOT NULL THEN
		SELECT sum(total) - sum(closed) INTO v_open
		FROM wharf.wave_tally WHERE wave_id = t.wave_id;
		IF v_open <= current_setting('max_connections')::integer THEN
			PERFORM wharf._wave_settle(t.wave_id);
		END IF;
	END IF;
	IF v_sub THEN
		INSERT INTO wharf.audit_log (user_id, station_id, action,
					     entity, entity_id, detail)
		VALUES (p_user, p_station, 'pick_lot_substituted', 'pick_task',
			t.id, jsonb_build_object('units', v_units, 'lot', p_lot,
						 'expected_lot', lots.want_code));
	END IF;
	IF t.order_id IS NOT NULL AND v_order_state IS NULL THEN
		SELECT state INTO v_order_state FROM wharf.sales_order
		WHERE id = t.order_id;
	END IF;
	RETURN wharf._op_record(p_op, 'confirm_pick', t.warehouse_id, p_user,
		p_station, jsonb_build_object(
		'task_id', t.id, 'units', v_units, 'lot_code', p_lot,
		'substituted', v_sub, 'remaining', t.qty - t.qty_done - v_units,
		'task_state', v_state, 'tote_code', c.tote_code,
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

-- Invariants ----------------------------------------------------------------

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

-- Plans ---------------------------------------------------------------------

-- A profile of the benchmark's backends (perf, tests/bench/run) showed a
-- sixth of a pick's CPU in the planner: PostgreSQL re-plans a PL/pgSQL
-- statement with its parameter values ("custom" plans) for as long as it
-- estimates the generic plan dearer, which it does for every statement
-- here over an array (unnest, = ANY). Every statement of the pick path is
-- a key lookup or an index walk, so it keeps one generic plan per session
-- and is not allowed to choose a sequential scan: a plan made while a
-- table was nearly empty (operation, on a new install) would otherwise
-- scan it for as long as the station stays connected. With both, server
-- CPU per pick-confirm went from 2.2 ms to 1.6 ms on the benchmark.
ALTER FUNCTION wharf.confirm_pick(bigint, text, text, text, integer, uuid,
				  bigint, bigint)
	SET plan_cache_mode = force_generic_plan SET enable_seqscan = off;
ALTER FUNCTION wharf.confirm_pick_next(bigint, text, text, text, integer,
				       uuid, bigint, bigint, bigint)
	SET plan_cache_mode = force_generic_plan SET enable_seqscan = off;
