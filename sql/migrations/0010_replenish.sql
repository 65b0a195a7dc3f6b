-- 0010_replenish.sql: pick-face replenishment tasks (DESIGN.md section 5)
-- and SSCC case labels on receipt.
--
-- REPLENISHMENT mirrors the C planner of src/domain/replen.h exactly:
--   * a FACE is a (pick location, SKU) that has a stock row at an unblocked
--     pick location of the warehouse, with the SKU's pick_face_min/max of
--     wharf.sku_warehouse; its `current` is the units on hand there plus
--     the units still to come on open or claimed replenishment tasks to it
--     (so nothing is ordered twice);
--   * TRIGGER: current <= min and current < max; it wants max - current;
--   * SOURCES are stock rows at unblocked storage (reserve) locations not
--     flagged for a count - never a pick face, never quarantine - with
--     available = on_hand - allocated - the units open replenishment tasks
--     will still take from that row;
--   * ELIGIBILITY and ORDER are wharf._alloc_line's (alloc.h): the lot must
--     be sellable today with the SKU's own min_remaining_days (a FEFO SKU
--     needs a lot with an expiry); lot rank FEFO expiry / FIFO first
--     receipt, then largest while none covers the need, smallest covering
--     row once one does, then walk sequence, location, lot;
--   * FACES compete most depleted first: current / max ascending (exact),
--     then walk sequence, location id, SKU id (the "input order" of the
--     faces as wharf.replen_faces lists them).
-- wharf.replen_faces() and wharf.replen_sources() are the planner's inputs
-- in the C structs' terms; tests/db/test_replenish.c feeds them to
-- replen_plan() and checks that the SQL made the same tasks.
--
-- Replenishment tasks are pick_task rows of kind 'replenish' (location_id
-- the reserve bin, to_location_id the face, no order, no wave). They have
-- no pick_task_line rows, so the pick claim and verify_engine's
-- task/lines check leave them out (both redefined below).

-- Replenishment -------------------------------------------------------------

CREATE INDEX pick_task_replen_open ON wharf.pick_task
	(warehouse_id, seq, id) WHERE kind = 'replenish'
				  AND state IN ('open', 'claimed');

-- The faces of a warehouse, as struct replen_face. lot_control 0 none,
-- 1 fifo, 2 fefo (enum alloc_lot_control).
CREATE FUNCTION wharf.replen_faces(p_wh bigint)
RETURNS TABLE (location_id bigint, sku_id bigint, walk_seq integer,
	       min_qty bigint, max_qty bigint, current bigint,
	       lot_control integer, min_remaining_days integer)
LANGUAGE sql STABLE AS $$
	SELECT loc.id, st.sku_id, loc.walk_seq, sw.pick_face_min::bigint,
	       sw.pick_face_max::bigint,
	       sum(st.on_hand)::bigint + coalesce((
			SELECT sum(t.qty - t.qty_done) FROM wharf.pick_task t
			WHERE t.kind = 'replenish'
			  AND t.state IN ('open', 'claimed')
			  AND t.to_location_id = loc.id
			  AND t.sku_id = st.sku_id), 0)::bigint,
	       CASE s.lot_control WHEN 'fefo' THEN 2 WHEN 'fifo' THEN 1
				  ELSE 0 END,
	       s.min_remaining_days
	FROM wharf.stock st
	JOIN wharf.location loc ON loc.id = st.location_id
	JOIN wharf.sku_warehouse sw ON sw.warehouse_id = st.warehouse_id
				   AND sw.sku_id = st.sku_id
	JOIN wharf.sku s ON s.id = st.sku_id
	WHERE st.warehouse_id = p_wh AND loc.kind = 'pick' AND NOT loc.blocked
	GROUP BY loc.id, st.sku_id, loc.walk_seq, sw.pick_face_min,
		 sw.pick_face_max, s.lot_control, s.min_remaining_days
	ORDER BY loc.id, st.sku_id
$$;

-- The reserve rows of a warehouse, as struct alloc_candidate (kind
-- ALLOC_LOC_RESERVE, never quarantined: quarantine locations are not
-- storage). expiry_day is the shelf.h day number.
CREATE FUNCTION wharf.replen_sources(p_wh bigint)
RETURNS TABLE (location_id bigint, sku_id bigint, lot_id bigint,
	       walk_seq integer, has_expiry boolean, expiry_day integer,
	       first_received bigint, available bigint)
LANGUAGE sql STABLE AS $$
	SELECT loc.id, st.sku_id, coalesce(st.lot_id, 0), loc.walk_seq,
	       lt.expiry IS NOT NULL,
	       coalesce(lt.expiry - DATE '1970-01-01', 0),
	       coalesce(floor(extract(epoch FROM lt.first_received_at))::bigint,
			0),
	       (st.on_hand - st.allocated - coalesce((
			SELECT sum(t.qty - t.qty_done) FROM wharf.pick_task t
			WHERE t.kind = 'replenish'
			  AND t.state IN ('open', 'claimed')
			  AND t.location_id = st.location_id
			  AND t.sku_id = st.sku_id
			  AND t.lot_id IS NOT DISTINCT FROM st.lot_id), 0))::bigint
	FROM wharf.stock st
	JOIN wharf.location loc ON loc.id = st.location_id
	LEFT JOIN wharf.lot lt ON lt.id = st.lot_id
	WHERE st.warehouse_id = p_wh AND loc.kind = 'storage'
	  AND NOT loc.blocked AND NOT loc.needs_count
	ORDER BY loc.id, st.sku_id, coalesce(st.lot_id, 0)
$$;

-- Cancels open (unclaimed) replenishment tasks that can no longer be
-- done as planned: the lot is past its ship-by date, or the source bin no
-- longer has the free units. Their faces are then planned afresh.
CREATE FUNCTION wharf._replen_prune(p_wh bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	WITH stale AS (
		SELECT t.id FROM wharf.pick_task t
		JOIN wharf.sku s ON s.id = t.sku_id
		JOIN wharf.location loc ON loc.id = t.location_id
		LEFT JOIN wharf.lot lt ON lt.id = t.lot_id
		LEFT JOIN wharf.stock st ON st.location_id = t.location_id
			AND st.sku_id = t.sku_id
			AND st.lot_id IS NOT DISTINCT FROM t.lot_id
		WHERE t.warehouse_id = p_wh AND t.kind = 'replenish'
		  AND t.state = 'open'
		  AND (loc.blocked
		       OR NOT CASE WHEN lt.expiry IS NOT NULL
			      THEN wharf.lot_sellable(lt.expiry,
					s.min_remaining_days, current_date)
			      ELSE s.lot_control <> 'fefo' END
		       OR coalesce(st.on_hand - st.allocated, 0) < (
				SELECT sum(o.qty - o.qty_done)
				FROM wharf.pick_task o
				WHERE o.kind = 'replenish'
				  AND o.state IN ('open', 'claimed')
				  AND o.location_id = t.location_id
				  AND o.sku_id = t.sku_id
				  AND o.lot_id IS NOT DISTINCT FROM t.lot_id))
		FOR UPDATE OF t SKIP LOCKED)
	UPDATE wharf.pick_task t SET state = 'cancelled', done_at = now()
	FROM stale WHERE t.id = stale.id;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;

-- plan_replenishment(warehouse, user, op): a supervisor's "replenish the
-- pick faces now". Creates the tasks the rules above call for and returns
-- {"tasks": n, "units": n, "faces": n, "shortfall": n, "cancelled": n,
--  "task_ids": [...]}. Concurrent planners of one warehouse queue on an
-- advisory lock, so the second sees the first's tasks.
CREATE FUNCTION wharf.plan_replenishment(p_wh bigint, p_user bigint,
					 p_op uuid)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	f record;
	c_rank bigint[];
	c_left bigint[];
	c_loc bigint[];
	c_lot bigint[];
	c_ws integer[];
	n integer;
	g0 integer;
	g1 integer;
	nxt integer;
	tk integer;
	q bigint;
	need bigint;
	v_id bigint;
	v_ids bigint[] := '{}';
	v_units bigint := 0;
	v_faces integer := 0;
	v_short bigint := 0;
	v_cancelled integer;
BEGIN
	PERFORM wharf._actor(p_user, '{}', 'plan replenishment');
	IF NOT EXISTS (SELECT 1 FROM wharf.warehouse WHERE id = p_wh) THEN
		RAISE EXCEPTION 'NO_WAREHOUSE: no warehouse %', p_wh
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'plan_replenishment', p_wh, p_user,
				 NULL);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('wharf.plan_replenishment'),
				      p_wh::integer);
	v_cancelled := wharf._replen_prune(p_wh);

	FOR f IN SELECT * FROM wharf.replen_faces(p_wh) x
		 WHERE x.current <= x.min_qty AND x.current < x.max_qty
		 ORDER BY div(x.current::numeric * 1e25, x.max_qty::numeric),
			  x.walk_seq, x.location_id, x.sku_id
	LOOP
		v_faces := v_faces + 1;
		need := f.max_qty - f.current;
		-- Sources as this face sees them: what earlier faces took is
		-- already on their (just inserted) tasks.
		SELECT array_agg(c.rk ORDER BY c.rk, c.available DESC,
				 c.walk_seq, c.location_id, c.lot_id),
		       array_agg(c.available ORDER BY c.rk, c.available DESC,
				 c.walk_seq, c.location_id, c.lot_id),
		       array_agg(c.location_id ORDER BY c.rk, c.available DESC,
				 c.walk_seq, c.location_id, c.lot_id),
		       array_agg(c.lot_id ORDER BY c.rk, c.available DESC,
				 c.walk_seq, c.location_id, c.lot_id),
		       array_agg(c.walk_seq ORDER BY c.rk, c.available DESC,
				 c.walk_seq, c.location_id, c.lot_id)
		INTO c_rank, c_left, c_loc, c_lot, c_ws
		FROM (SELECT src.*,
			     CASE f.lot_control WHEN 2 THEN src.expiry_day::bigint
						WHEN 1 THEN src.first_received
						ELSE 0 END AS rk
		      FROM wharf.replen_sources(p_wh) src
		      WHERE src.sku_id = f.sku_id AND src.available > 0
			AND src.location_id <> f.location_id
			AND CASE WHEN src.has_expiry
				 THEN (current_date - DATE '1970-01-01')
				      <= src.expiry_day - f.min_remaining_days
				 ELSE f.lot_control <> 2 END) c;
		n := coalesce(array_length(c_rank, 1), 0);
		g0 := 1;
		WHILE g0 <= n AND need > 0 LOOP
			g1 := g0;
			WHILE g1 < n AND c_rank[g1 + 1] = c_rank[g0] LOOP
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
				INSERT INTO wharf.pick_task (warehouse_id, kind,
					seq, location_id, to_location_id, sku_id,
					lot_id, qty)
				VALUES (p_wh, 'replenish', c_ws[tk], c_loc[tk],
					f.location_id, f.sku_id,
					nullif(c_lot[tk], 0), q)
				RETURNING id INTO v_id;
				v_ids := v_ids || v_id;
				v_units := v_units + q;
				c_left[tk] := c_left[tk] - q;
				need := need - q;
				IF tk = nxt THEN
					nxt := nxt + 1;
				END IF;
			END LOOP;
			g0 := g1 + 1;
		END LOOP;
		v_short := v_short + need;
	END LOOP;

	v_res := jsonb_build_object('tasks', coalesce(array_length(v_ids, 1), 0),
				    'units', v_units, 'faces', v_faces,
				    'shortfall', v_short,
				    'cancelled', v_cancelled,
				    'task_ids', to_jsonb(v_ids));
	PERFORM wharf._audit(p_user, NULL, 'plan_replenishment', 'warehouse',
			     p_wh, v_res - 'task_ids');
	RETURN wharf._op_end(p_op, v_res);
END $$;

-- claim_replenish(user, station, warehouse): the replenishment task this
-- user holds, else the next open one by the source's walk sequence that
-- no other station is claiming. NULL: no replenishment needed.
CREATE FUNCTION wharf.claim_replenish(p_user bigint, p_station bigint,
				      p_wh bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_id bigint;
BEGIN
	PERFORM wharf._actor(p_user, '{picker,receiver}',
			     'replenish pick faces');
	SELECT t.id INTO v_id FROM wharf.pick_task t
	WHERE t.warehouse_id = p_wh AND t.kind = 'replenish'
	  AND t.state = 'claimed' AND t.claimed_by = p_user
	ORDER BY t.seq, t.id LIMIT 1;
	IF NOT FOUND THEN
		SELECT t.id INTO v_id FROM wharf.pick_task t
		WHERE t.warehouse_id = p_wh AND t.kind = 'replenish'
		  AND t.state = 'open'
		ORDER BY t.seq, t.id LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		UPDATE wharf.pick_task SET state = 'claimed',
			claimed_by = p_user, claimed_at = now()
		WHERE id = v_id;
	END IF;
	RETURN wharf._task_json(v_id);
END $$;

-- confirm_replenish(task, from bin, to bin, scanned code, lot, qty, op,
-- user, station): the units went from the reserve bin to the face, through
-- the ledger (kind 'replenish'). p_qty counts scans of the code, so a case
-- of 12 with p_qty 1 is 12 units (as confirm_pick). Fewer units than the
-- task asks leave it claimed for the rest.
CREATE FUNCTION wharf.confirm_replenish(p_task bigint, p_from text,
					p_to text, p_code text, p_lot text,
					p_qty integer, p_op uuid,
					p_user bigint, p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	v_wh bigint;
	t wharf.pick_task;
	s record;
	lt record;
	v_from text;
	v_to text;
	v_sku bigint;
	v_pack integer;
	v_units integer;
	v_free integer;
	v_left integer;
	v_state text;
BEGIN
	PERFORM wharf._actor(p_user, '{picker,receiver}',
			     'replenish pick faces');
	SELECT warehouse_id INTO v_wh FROM wharf.pick_task WHERE id = p_task;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_TASK: no task %', p_task
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'replenish', v_wh, p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	t := wharf._lock_task(p_task, p_user, 'replenish');
	SELECT code INTO v_from FROM wharf.location WHERE id = t.location_id;
	SELECT code INTO v_to FROM wharf.location WHERE id = t.to_location_id;
	SELECT * INTO s FROM wharf.sku WHERE id = t.sku_id;
	IF p_from IS DISTINCT FROM v_from THEN
		RAISE EXCEPTION 'WRONG_LOCATION: take them from %, not %',
			v_from, coalesce(p_from, '-');
	END IF;
	SELECT b.sku_id, b.pack_qty INTO v_sku, v_pack
	FROM wharf.barcode_lookup(p_code) b;
	IF v_sku IS NULL THEN
		RAISE EXCEPTION 'UNKNOWN_BARCODE: % is not a known item',
			coalesce(p_code, '-');
	END IF;
	IF v_sku <> t.sku_id THEN
		RAISE EXCEPTION 'WRONG_SKU: expected %, scanned %', s.code,
			(SELECT code FROM wharf.sku WHERE id = v_sku);
	END IF;
	IF t.lot_id IS NOT NULL THEN
		SELECT * INTO lt FROM wharf.lot WHERE id = t.lot_id;
		IF p_lot IS NULL OR p_lot = '' THEN
			RAISE EXCEPTION 'LOT_REQUIRED: lot % (exp %)',
				lt.lot_code, coalesce(lt.expiry::text, 'none');
		END IF;
		IF p_lot <> lt.lot_code THEN
			RAISE EXCEPTION 'WRONG_LOT: expected lot % (exp %), scanned %',
				lt.lot_code, coalesce(lt.expiry::text, 'none'),
				p_lot;
		END IF;
		IF NOT wharf.lot_sellable(lt.expiry, s.min_remaining_days,
					  current_date) THEN
			RAISE EXCEPTION 'LOT_EXPIRED: lot % is past its ship-by date (expiry %): leave it in %',
				lt.lot_code, lt.expiry, v_from;
		END IF;
	END IF;
	IF p_qty IS NULL OR p_qty <= 0 OR p_qty::bigint * v_pack > 1000000 THEN
		RAISE EXCEPTION 'BAD_QTY: quantity must be positive';
	END IF;
	v_units := p_qty * v_pack;
	IF v_units > t.qty - t.qty_done THEN
		RAISE EXCEPTION 'OVER_PICK: only % units left on this task, not %',
			t.qty - t.qty_done, v_units;
	END IF;
	IF p_to IS DISTINCT FROM v_to THEN
		RAISE EXCEPTION 'WRONG_LOCATION: put them in %, not %',
			v_to, coalesce(p_to, '-');
	END IF;
	PERFORM 1 FROM wharf.stock st
	WHERE st.sku_id = t.sku_id AND st.lot_id IS NOT DISTINCT FROM t.lot_id
	  AND st.location_id IN (t.location_id, t.to_location_id)
	ORDER BY st.id FOR UPDATE;
	SELECT on_hand - allocated INTO v_free FROM wharf.stock
	WHERE location_id = t.location_id AND sku_id = t.sku_id
	  AND lot_id IS NOT DISTINCT FROM t.lot_id;
	IF coalesce(v_free, 0) < v_units THEN
		RAISE EXCEPTION 'INSUFFICIENT_STOCK: % free units in %, % asked',
			coalesce(v_free, 0), v_from, v_units;
	END IF;
	PERFORM wharf._move(p_op, t.warehouse_id, 'replenish', t.sku_id,
			    t.lot_id, t.location_id, t.to_location_id,
			    v_units, NULL, NULL, p_user, p_station);
	v_left := t.qty - t.qty_done - v_units;
	v_state := CASE WHEN v_left = 0 THEN 'done' ELSE 'claimed' END;
	UPDATE wharf.pick_task SET qty_done = qty_done + v_units,
		state = v_state,
		claimed_by = coalesce(claimed_by, p_user),
		claimed_at = coalesce(claimed_at, now()),
		done_at = CASE WHEN v_left = 0 THEN now() END
	WHERE id = p_task;
	PERFORM wharf._audit(p_user, p_station, 'replenish', 'pick_task',
			     p_task, jsonb_build_object('from', v_from,
				'to', v_to, 'sku', s.code,
				'lot', p_lot, 'qty', v_units));
	RETURN wharf._op_end(p_op, jsonb_build_object('task_id', p_task,
		'units', v_units, 'remaining', v_left, 'task_state', v_state,
		'from', v_from, 'to', v_to));
END $$;

-- The pick claim of 0006 with replenishment tasks left out: they belong
-- to claim_replenish, and confirm_pick refuses them (WRONG_TASK).
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
	  AND t.claimed_by = p_user AND t.kind <> 'replenish'
	ORDER BY t.wave_id NULLS FIRST, t.seq, t.id LIMIT 1;
	IF NOT FOUND THEN
		SELECT t.id, t.wave_id INTO v_id, v_wave FROM wharf.pick_task t
		WHERE t.warehouse_id = p_wh AND t.state = 'open'
		  AND t.kind <> 'replenish'
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

-- verify_engine as the earlier migrations define it, without the
-- task/lines check for replenishment tasks (they have no lines), plus:
-- an open replenishment task goes from a storage bin to a pick face.
ALTER FUNCTION wharf.verify_engine() RENAME TO _verify_engine_pre_replen;

CREATE FUNCTION wharf.verify_engine()
RETURNS TABLE (check_name text, detail text)
LANGUAGE sql STABLE AS $$
	SELECT v.check_name, v.detail
	FROM wharf._verify_engine_pre_replen() v
	WHERE v.check_name <> 'task_matches_lines'
	   OR NOT EXISTS (SELECT 1 FROM wharf.pick_task t
			  WHERE t.kind = 'replenish'
			    AND v.detail LIKE format('pick task %s:%%', t.id))
	UNION ALL
	SELECT 'replenish_task_shape',
	       format('replenishment task %s: from %s (%s) to %s (%s)', t.id,
		      f.code, f.kind, tl.code, tl.kind)
	FROM wharf.pick_task t
	JOIN wharf.location f ON f.id = t.location_id
	LEFT JOIN wharf.location tl ON tl.id = t.to_location_id
	WHERE t.kind = 'replenish' AND t.state IN ('open', 'claimed')
	  AND (f.kind <> 'storage' OR tl.kind IS DISTINCT FROM 'pick'
	       OR t.order_id IS NOT NULL OR t.wave_id IS NOT NULL)
$$;

-- SSCC case labels on receipt -------------------------------------------------

-- Whether Receive prints a GS1-128 SSCC label for each received case.
ALTER TABLE wharf.station ADD COLUMN receive_labels boolean NOT NULL
	DEFAULT false;

-- A warehouse's GS1 company prefix, the SSCC extension digit and the next
-- serial reference. extension + prefix + serial is 17 digits.
CREATE TABLE wharf.gs1_prefix (
	warehouse_id bigint PRIMARY KEY REFERENCES wharf.warehouse,
	company_prefix text NOT NULL CHECK (company_prefix ~ '^[0-9]{6,12}$'),
	extension integer NOT NULL DEFAULT 0 CHECK (extension BETWEEN 0 AND 9),
	next_serial bigint NOT NULL DEFAULT 1 CHECK (next_serial >= 0)
);

-- Every SSCC issued, once: a replay of the same operation returns it.
CREATE TABLE wharf.sscc (
	code text PRIMARY KEY CHECK (code ~ '^[0-9]{18}$'),
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	receipt_id bigint REFERENCES wharf.receipt,
	op_id uuid NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- The GS1 mod-10 check digit of a digit string (weights 3,1,3... from the
-- right), as gs1_check_digit() of src/domain/gs1.h.
CREATE FUNCTION wharf.gs1_check_digit(p_digits text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT (10 - sum(substr(p_digits, length(p_digits) - i, 1)::integer
			 * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END) % 10) % 10
	FROM generate_series(0, length(p_digits) - 1) AS i
$$;

-- issue_sscc(warehouse, receipt or NULL, op, user, station): the next
-- SSCC of the warehouse for one received case. The same op_id returns the
-- same SSCC. NO_GS1_PREFIX when the warehouse has none configured.
CREATE FUNCTION wharf.issue_sscc(p_wh bigint, p_receipt bigint, p_op uuid,
				 p_user bigint, p_station bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	g wharf.gs1_prefix;
	v_code text;
	v_body text;
	v_width integer;
BEGIN
	PERFORM wharf._actor(p_user, '{receiver}', 'label received cases');
	IF p_op IS NULL THEN
		RAISE EXCEPTION 'BAD_OP: an operation id is required for an SSCC';
	END IF;
	SELECT code INTO v_code FROM wharf.sscc WHERE op_id = p_op;
	IF FOUND THEN
		RETURN v_code;
	END IF;
	SELECT * INTO g FROM wharf.gs1_prefix WHERE warehouse_id = p_wh
	FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_GS1_PREFIX: warehouse % has no GS1 company prefix',
			p_wh;
	END IF;
	v_width := 16 - length(g.company_prefix);
	IF g.next_serial >= 10::bigint ^ v_width THEN
		RAISE EXCEPTION 'SSCC_EXHAUSTED: every serial of prefix % is used',
			g.company_prefix;
	END IF;
	v_body := g.extension::text || g.company_prefix
		  || lpad(g.next_serial::text, v_width, '0');
	v_code := v_body || wharf.gs1_check_digit(v_body)::text;
	UPDATE wharf.gs1_prefix SET next_serial = next_serial + 1
	WHERE warehouse_id = p_wh;
	INSERT INTO wharf.sscc (code, warehouse_id, receipt_id, op_id)
	VALUES (v_code, p_wh, p_receipt, p_op);
	PERFORM wharf._audit(p_user, p_station, 'issue_sscc', 'receipt',
			     p_receipt, jsonb_build_object('sscc', v_code));
	RETURN v_code;
END $$;
