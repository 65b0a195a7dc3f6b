-- 0005_sync.sql: platform sync (DESIGN.md section 6).
--
-- What the sync thread calls, one round trip each:
--   wharf.sync_ingest(shop, items, stream, watermark)  a page of orders and,
--       with the last page of a window, the cursor advance, in one
--       transaction (the caller's);
--   wharf.sync_upsert_order(shop, order, raw)  one normalised order;
--   wharf.sync_enqueue_stock(shop)  debounced 'stock_set' outbox rows;
--   wharf.sync_outbox_claim / _ack / _fail  the outbound queue;
--   wharf.sync_health_report(shop, ok, error, lag)  the supervisor's view.
--
-- The normalised order (built by src/sync/sync_store.c from struct
-- sync_order) is a JSON object: id, name, state (READY_TO_SHIP, ...,
-- UNKNOWN), status_raw, created_at / modified_at / paid_at (epoch s),
-- buyer, receiver_name, phone, province, city, district, address, zip,
-- country, remark, currency, total (minor units), error, and lines
-- [{line_id, sku_code, platform_sku_id, title, qty, unit_price, refund}].
-- Secrets never reach the database: shop.credentials_ref only names where
-- they are.

ALTER TABLE wharf.sync_health
	ADD COLUMN pending_outbox integer NOT NULL DEFAULT 0,
	ADD COLUMN last_leader text;

-- The last quantity queued for each (shop, SKU): a push is queued only
-- when the available-to-promise quantity differs from it (debounce).
CREATE TABLE wharf.stock_push (
	shop_id bigint NOT NULL REFERENCES wharf.shop,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	qty integer NOT NULL,
	queued_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (shop_id, sku_id)
);

CREATE INDEX outbox_claim ON wharf.outbox (shop_id, next_attempt_at, id)
	WHERE state = 'pending';
CREATE INDEX sales_order_recent ON wharf.sales_order (shop_id, created_at);

-- Text of a JSON member, NULL for absent, null or "".
CREATE FUNCTION wharf._jtext(j jsonb, k text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT nullif(j->>k, '') $$;

-- Epoch seconds member as a timestamptz; 0 and absent give NULL.
CREATE FUNCTION wharf._jtime(j jsonb, k text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN coalesce((j->>k)::bigint, 0) > 0
		    THEN to_timestamp((j->>k)::bigint) END
$$;

-- sync_upsert_order(shop, order, raw): inserts or updates one order.
-- Idempotent: the same order again changes nothing, and an older
-- modified time never overwrites a newer one. Returns
-- {order_id, action: inserted|updated|same|stale, state, intercepted}.
CREATE FUNCTION wharf.sync_upsert_order(p_shop bigint, p_order jsonb,
					p_raw jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	sh record;
	o record;
	v_id bigint;
	v_pid text := wharf._jtext(p_order, 'id');
	v_norm text := coalesce(wharf._jtext(p_order, 'state'), 'UNKNOWN');
	v_status text := left(coalesce(wharf._jtext(p_order, 'status_raw'),
				       v_norm), 200);
	v_mod timestamptz := wharf._jtime(p_order, 'modified_at');
	v_err text := wharf._jtext(p_order, 'error');
	v_state wharf.order_state;
	v_reason text;
	v_cancel boolean := false;
	v_cur text := upper(coalesce(wharf._jtext(p_order, 'currency'), ''));
	v_country text := upper(coalesce(wharf._jtext(p_order, 'country'), ''));
	v_line jsonb;
	v_no integer := 0;
	v_sku bigint;
	v_unmapped text;
	v_held boolean;
	v_res jsonb;
	v_action text;
BEGIN
	SELECT * INTO sh FROM wharf.shop WHERE id = p_shop;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_SHOP: no shop %', p_shop
			USING ERRCODE = 'no_data_found';
	END IF;
	IF v_pid IS NULL OR length(v_pid) > 64 THEN
		RAISE EXCEPTION 'BAD_ORDER: an order id of 1 to 64 characters is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF v_cur !~ '^[A-Z]{3}$' THEN
		v_cur := CASE WHEN sh.platform IN ('amazon', 'shopify') THEN 'USD'
			      WHEN sh.platform = 'woocommerce' THEN 'EUR'
			      ELSE 'CNY' END;
	END IF;
	IF v_country !~ '^[A-Z]{2}$' THEN
		v_country := CASE WHEN sh.platform IN ('amazon', 'shopify',
						       'woocommerce')
				  THEN 'US' ELSE 'CN' END;
	END IF;

	-- Normalised state -> wharf state. Unknown is an exception naming
	-- the platform status: never a silent drop (invariant 6).
	IF v_err IS NOT NULL THEN
		v_state := 'exception';
		v_reason := left('unreadable order: ' || v_err, 500);
	ELSE
		CASE v_norm
		WHEN 'READY_TO_SHIP', 'PART_SHIPPED' THEN v_state := 'new';
		WHEN 'UNPAID', 'ON_HOLD' THEN v_state := 'on_hold';
		WHEN 'CANCELLED', 'REFUND_REQUESTED', 'REFUNDED' THEN
			v_state := 'cancelled';
			v_cancel := true;
		WHEN 'SHIPPED', 'COMPLETED' THEN v_state := 'shipped';
		ELSE
			v_state := 'exception';
			v_reason := left('unknown platform status: ' || v_status, 500);
		END CASE;
	END IF;

	SELECT * INTO o FROM wharf.sales_order
	WHERE shop_id = p_shop AND platform_order_id = v_pid FOR UPDATE;

	IF NOT FOUND THEN
		-- A first sight of an order shipped or closed elsewhere is
		-- kept for the record, never worked: it stays on hold.
		IF v_state = 'shipped' THEN
			v_state := 'on_hold';
		END IF;
		INSERT INTO wharf.sales_order (warehouse_id, shop_id,
			platform_order_id, state, platform_status,
			exception_reason, intercepted_at, intercept_reason,
			buyer_nick, receiver_name, receiver_phone, province,
			city, district, address, zip, country, remark,
			currency, total_minor, paid_at, platform_created_at,
			platform_modified_at, raw)
		VALUES (sh.warehouse_id, p_shop, v_pid,
			CASE WHEN v_cancel THEN 'cancelled' ELSE v_state END,
			v_status, v_reason,
			CASE WHEN v_cancel THEN now() END,
			CASE WHEN v_cancel THEN lower(v_norm) END,
			wharf._jtext(p_order, 'buyer'),
			wharf._jtext(p_order, 'receiver_name'),
			wharf._jtext(p_order, 'phone'),
			wharf._jtext(p_order, 'province'),
			wharf._jtext(p_order, 'city'),
			wharf._jtext(p_order, 'district'),
			wharf._jtext(p_order, 'address'),
			wharf._jtext(p_order, 'zip'), v_country,
			wharf._jtext(p_order, 'remark'), v_cur,
			coalesce((p_order->>'total')::bigint, 0),
			wharf._jtime(p_order, 'paid_at'),
			wharf._jtime(p_order, 'created_at'), v_mod, p_raw)
		RETURNING id INTO v_id;
		FOR v_line IN SELECT * FROM jsonb_array_elements(
				coalesce(p_order->'lines', '[]')) LOOP
			v_no := v_no + 1;
			SELECT ss.sku_id INTO v_sku FROM wharf.shop_sku ss
			WHERE ss.shop_id = p_shop
			  AND ss.outer_code = wharf._jtext(v_line, 'sku_code');
			IF v_sku IS NULL AND v_unmapped IS NULL THEN
				v_unmapped := format('unmapped SKU: line %s (%s)', v_no,
					coalesce(wharf._jtext(v_line, 'sku_code'),
						 wharf._jtext(v_line, 'platform_sku_id'),
						 '?'));
			END IF;
			INSERT INTO wharf.order_line (order_id, line_no,
				platform_line_id, sku_id, platform_sku, title, qty,
				unit_price_minor, refund_state)
			VALUES (v_id, v_no, wharf._jtext(v_line, 'line_id'), v_sku,
				left(coalesce(wharf._jtext(v_line, 'sku_code'),
					      wharf._jtext(v_line, 'platform_sku_id')), 64),
				left(wharf._jtext(v_line, 'title'), 200),
				greatest(coalesce((v_line->>'qty')::integer, 1), 1),
				coalesce((v_line->>'unit_price')::bigint, 0),
				wharf._jtext(v_line, 'refund'));
			IF coalesce((v_line->>'qty')::integer, 0) <= 0
			   AND v_unmapped IS NULL THEN
				v_unmapped := format('line %s has no quantity', v_no);
			END IF;
		END LOOP;
		IF v_no = 0 AND NOT v_cancel AND v_state <> 'exception' THEN
			v_unmapped := 'the platform sent no order lines';
		END IF;
		IF v_unmapped IS NOT NULL AND v_state IN ('new', 'on_hold') THEN
			UPDATE wharf.sales_order SET state = 'exception',
				exception_reason = v_unmapped
			WHERE id = v_id;
			v_state := 'exception';
		END IF;
		RETURN jsonb_build_object('order_id', v_id, 'action', 'inserted',
			'state', CASE WHEN v_cancel THEN 'cancelled'
				      ELSE v_state::text END,
			'intercepted', v_cancel);
	END IF;

	v_id := o.id;
	IF o.platform_modified_at IS NOT NULL AND v_mod IS NOT NULL
	   AND v_mod < o.platform_modified_at THEN
		RETURN jsonb_build_object('order_id', v_id, 'action', 'stale',
			'state', o.state, 'intercepted', false);
	END IF;
	IF o.platform_modified_at IS NOT DISTINCT FROM v_mod
	   AND o.platform_status IS NOT DISTINCT FROM v_status THEN
		RETURN jsonb_build_object('order_id', v_id, 'action', 'same',
			'state', o.state, 'intercepted', false);
	END IF;
	v_action := 'updated';
	UPDATE wharf.sales_order SET platform_status = v_status,
		platform_modified_at = coalesce(v_mod, platform_modified_at),
		paid_at = coalesce(wharf._jtime(p_order, 'paid_at'), paid_at),
		raw = p_raw, updated_at = now()
	WHERE id = v_id;
	FOR v_line IN SELECT * FROM jsonb_array_elements(
			coalesce(p_order->'lines', '[]')) LOOP
		UPDATE wharf.order_line SET refund_state = wharf._jtext(v_line, 'refund')
		WHERE order_id = v_id
		  AND platform_line_id = wharf._jtext(v_line, 'line_id')
		  AND refund_state IS DISTINCT FROM wharf._jtext(v_line, 'refund');
	END LOOP;

	IF v_cancel THEN
		IF o.intercepted_at IS NOT NULL OR o.state IN ('shipped', 'cancelled') THEN
			NULL; -- already out of the flow, or gone
		ELSIF o.state IN ('new', 'on_hold', 'exception')
		      AND NOT EXISTS (SELECT 1 FROM wharf.order_line l
				      WHERE l.order_id = v_id
					AND (l.qty_allocated > 0 OR l.qty_picked > 0)) THEN
			-- Nothing reserved or picked: just close it.
			UPDATE wharf.sales_order SET state = 'cancelled',
				intercepted_at = now(), intercept_reason = lower(v_norm),
				exception_reason = NULL
			WHERE id = v_id;
		ELSE
			-- Reserved or in the floor flow: the engine releases
			-- stock, creates put-back tasks and tells the stations.
			PERFORM wharf.intercept(v_id, lower(v_norm),
						gen_random_uuid(), NULL, NULL);
		END IF;
		SELECT state INTO v_state FROM wharf.sales_order WHERE id = v_id;
		RETURN jsonb_build_object('order_id', v_id, 'action', v_action,
			'state', v_state, 'intercepted',
			o.intercepted_at IS NULL AND o.state NOT IN ('shipped', 'cancelled'));
	END IF;

	v_held := o.state = 'on_hold';
	IF v_state = 'new' AND v_held THEN
		-- Paid, or released from risk control: into the flow.
		UPDATE wharf.sales_order SET state = 'new' WHERE id = v_id;
		IF EXISTS (SELECT 1 FROM wharf.order_line l
			   WHERE l.order_id = v_id AND l.sku_id IS NULL) THEN
			UPDATE wharf.sales_order SET state = 'exception',
				exception_reason = (SELECT format('unmapped SKU: line %s (%s)',
					l.line_no, coalesce(l.platform_sku, '?'))
					FROM wharf.order_line l
					WHERE l.order_id = v_id AND l.sku_id IS NULL
					ORDER BY l.line_no LIMIT 1)
			WHERE id = v_id;
		END IF;
	ELSIF v_state = 'on_hold' AND o.state IN ('new', 'partially_allocated',
						  'allocated')
	      AND NOT EXISTS (SELECT 1 FROM wharf.order_line l
			      WHERE l.order_id = v_id AND l.qty_picked > 0) THEN
		-- Put under risk review again: release what it holds.
		DELETE FROM wharf.allocation a USING wharf.order_line l
		WHERE l.id = a.order_line_id AND l.order_id = v_id;
		UPDATE wharf.sales_order SET state = 'on_hold' WHERE id = v_id;
	ELSIF v_state = 'shipped' AND o.state IN ('new', 'on_hold') THEN
		-- Shipped by someone else: never ship it a second time.
		UPDATE wharf.sales_order SET state = 'exception',
			exception_reason = left('shipped outside wharf: ' || v_status, 500)
		WHERE id = v_id;
	ELSIF v_state = 'exception' AND o.state IN ('new', 'on_hold') THEN
		UPDATE wharf.sales_order SET state = 'exception',
			exception_reason = v_reason
		WHERE id = v_id;
	END IF;
	SELECT state INTO v_state FROM wharf.sales_order WHERE id = v_id;
	RETURN jsonb_build_object('order_id', v_id, 'action', v_action,
		'state', v_state, 'intercepted', false);
END $$;

-- sync_ingest(shop, items, stream, watermark): items is a JSON array of
-- {"order": normalised order, "raw": platform JSON}. Upserts each and,
-- when watermark is not NULL, moves the shop's cursor forward to it (never
-- back). One call per page, inside the caller's transaction. Returns the
-- counts of each action and of new interceptions.
CREATE FUNCTION wharf.sync_ingest(p_shop bigint, p_items jsonb,
				  p_stream text, p_watermark timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	it jsonb;
	r jsonb;
	n_ins integer := 0;
	n_upd integer := 0;
	n_same integer := 0;
	n_stale integer := 0;
	n_int integer := 0;
	n_exc integer := 0;
BEGIN
	FOR it IN SELECT * FROM jsonb_array_elements(coalesce(p_items, '[]'))
		  ORDER BY (value->'order'->>'modified_at')::bigint NULLS FIRST
	LOOP
		r := wharf.sync_upsert_order(p_shop, it->'order', it->'raw');
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

-- Available to promise per shop and SKU: on hand - allocated in sellable
-- places (not quarantine, totes, packing, shipping, transit or blocked
-- bins), counting only lots sellable today under the stricter of the
-- SKU's and the shop's minimum remaining shelf life, less the shop's
-- buffer, never below zero. Only SKUs the shop maps are listed.
CREATE FUNCTION wharf.sync_stock_levels(p_shop bigint)
RETURNS TABLE (sku_id bigint, outer_code text, platform_item_id text,
	       platform_sku_id text, atp integer)
LANGUAGE sql STABLE AS $$
	SELECT ss.sku_id, ss.outer_code, ss.platform_item_id,
	       ss.platform_sku_id,
	       greatest(coalesce((
		SELECT sum(st.on_hand - st.allocated)
		FROM wharf.stock st
		JOIN wharf.location l ON l.id = st.location_id
		LEFT JOIN wharf.lot lt ON lt.id = st.lot_id
		WHERE st.warehouse_id = sh.warehouse_id
		  AND st.sku_id = ss.sku_id
		  AND l.kind IN ('receiving', 'storage', 'pick')
		  AND NOT l.blocked
		  AND wharf.lot_sellable(lt.expiry,
			greatest(s.min_remaining_days,
				 coalesce(sh.min_remaining_days, 0)),
			current_date)), 0) - sh.stock_buffer, 0)::integer
	FROM wharf.shop sh
	JOIN wharf.shop_sku ss ON ss.shop_id = sh.id
	JOIN wharf.sku s ON s.id = ss.sku_id
	WHERE sh.id = p_shop AND s.active
$$;

-- sync_enqueue_stock(shop): queues a 'stock_set' outbox row for every SKU
-- whose available quantity differs from the last one queued, superseding
-- any older push of that SKU still pending. Returns how many it queued.
CREATE FUNCTION wharf.sync_enqueue_stock(p_shop bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	r record;
	n integer := 0;
BEGIN
	PERFORM 1 FROM wharf.shop WHERE id = p_shop FOR UPDATE;
	FOR r IN SELECT lv.*, sp.qty AS last_qty
		 FROM wharf.sync_stock_levels(p_shop) lv
		 LEFT JOIN wharf.stock_push sp
		   ON sp.shop_id = p_shop AND sp.sku_id = lv.sku_id
		 WHERE sp.qty IS DISTINCT FROM lv.atp
		 ORDER BY lv.sku_id LOOP
		UPDATE wharf.outbox SET state = 'superseded'
		WHERE shop_id = p_shop AND kind = 'stock_set'
		  AND sku_id = r.sku_id AND state = 'pending';
		INSERT INTO wharf.outbox (shop_id, kind, sku_id, payload)
		VALUES (p_shop, 'stock_set', r.sku_id, jsonb_build_object(
			'sku', r.outer_code, 'platform_item_id', r.platform_item_id,
			'platform_sku_id', r.platform_sku_id, 'qty', r.atp));
		INSERT INTO wharf.stock_push AS sp (shop_id, sku_id, qty)
		VALUES (p_shop, r.sku_id, r.atp)
		ON CONFLICT (shop_id, sku_id) DO UPDATE
		SET qty = EXCLUDED.qty, queued_at = now();
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

-- sync_outbox_claim(shop, limit, lease seconds): takes due pending rows of
-- a shop, oldest first, skipping rows another process holds. A claimed
-- row is leased: if its claimer dies before ack or fail, it is due again
-- when the lease runs out, so nothing is lost.
CREATE FUNCTION wharf.sync_outbox_claim(p_shop bigint, p_limit integer,
					p_lease integer)
RETURNS TABLE (id bigint, kind text, order_id bigint, sku_id bigint,
	       payload jsonb, attempts integer)
LANGUAGE sql AS $$
	UPDATE wharf.outbox ob
	SET attempts = ob.attempts + 1,
	    next_attempt_at = now() + make_interval(secs => p_lease)
	WHERE ob.id IN (SELECT c.id FROM wharf.outbox c
			WHERE c.shop_id = p_shop AND c.state = 'pending'
			  AND c.next_attempt_at <= now()
			ORDER BY c.id LIMIT p_limit
			FOR UPDATE SKIP LOCKED)
	RETURNING ob.id, ob.kind, ob.order_id, ob.sku_id, ob.payload,
		  ob.attempts
$$;

CREATE FUNCTION wharf.sync_outbox_ack(p_id bigint)
RETURNS void LANGUAGE sql AS $$
	UPDATE wharf.outbox SET state = 'done', acked_at = now(),
		last_error = NULL
	WHERE id = p_id AND state = 'pending'
$$;

-- sync_outbox_fail(id, error, permanent): a permanent refusal, or the
-- 20th failure, marks the row failed (the supervisor sees it); otherwise
-- it is due again after an exponential backoff with jitter, at most an
-- hour.
CREATE FUNCTION wharf.sync_outbox_fail(p_id bigint, p_error text,
				       p_permanent boolean)
RETURNS void LANGUAGE sql AS $$
	UPDATE wharf.outbox SET
		state = CASE WHEN p_permanent OR attempts >= 20 THEN 'failed'
			     ELSE 'pending' END,
		last_error = left(p_error, 500),
		next_attempt_at = now() + make_interval(secs =>
			least(3600, 2 ^ least(attempts, 12)) * (0.5 + random() / 2))
	WHERE id = p_id AND state = 'pending'
$$;

-- sync_health_report(shop, ok, error, lag, leader): one pass's outcome.
CREATE FUNCTION wharf.sync_health_report(p_shop bigint, p_ok boolean,
					 p_error text, p_lag integer,
					 p_leader text)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO wharf.sync_health AS h (shop_id, last_success_at,
		last_error_at, last_error, orders_last_hour, lag_seconds,
		pending_outbox, last_leader)
	VALUES (p_shop, CASE WHEN p_ok THEN now() END,
		CASE WHEN NOT p_ok THEN now() END,
		CASE WHEN NOT p_ok THEN left(p_error, 500) END,
		(SELECT count(*) FROM wharf.sales_order o
		 WHERE o.shop_id = p_shop AND o.created_at > now() - interval '1 hour'),
		p_lag,
		(SELECT count(*) FROM wharf.outbox ob
		 WHERE ob.shop_id = p_shop AND ob.state = 'pending'),
		p_leader)
	ON CONFLICT (shop_id) DO UPDATE SET
		last_success_at = coalesce(EXCLUDED.last_success_at, h.last_success_at),
		last_error_at = coalesce(EXCLUDED.last_error_at, h.last_error_at),
		last_error = CASE WHEN p_ok THEN h.last_error ELSE EXCLUDED.last_error END,
		orders_last_hour = EXCLUDED.orders_last_hour,
		lag_seconds = coalesce(EXCLUDED.lag_seconds, h.lag_seconds),
		pending_outbox = EXCLUDED.pending_outbox,
		last_leader = EXCLUDED.last_leader
$$;
