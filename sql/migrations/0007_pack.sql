-- 0007_pack.sql: the packing desk (DESIGN.md section 5, "Pack").
--
-- What the pack station needs beyond the engine of 0004:
--   * the station's label format and resolution (wharf.station);
--   * demo tracking numbers: wharf.issue_tracking() hands out one per
--     operation from a sequence, in a format each carrier's parcels are
--     recognised by (SF + 12 digits...). This is the demo's stand-in for a
--     carrier's waybill API: a real deployment asks the carrier instead;
--   * wharf.ship_with_label(): wharf.ship() plus the printed label (format
--     and bytes) and carton stored with the shipment, and a record of what
--     the parcel held, in one transaction;
--   * wharf.store_label(): replaces a shipment's stored label;
--   * wharf.void_shipment(): the parcel does not leave after all (damaged
--     label, wrong carton): the shipment is voided, its units come back to
--     the tote they were packed from, the platform push is withdrawn and
--     the order is packable again;
--   * wharf.pack_exception(): the packer cannot finish an order (missing
--     unit, damage): it goes to the supervisor's exception queue;
--   * wharf.pack_find(), wharf.pack_single_item(), wharf.pack_label_data():
--     the desk's lookups.
-- Refusals follow 0004: "CODE: words", SQLSTATE P0001.

ALTER TABLE wharf.station
	ADD COLUMN label_format text NOT NULL DEFAULT 'zpl'
		CHECK (label_format IN ('zpl', 'tspl', 'pdf', 'png')),
	ADD COLUMN label_dpi integer NOT NULL DEFAULT 203
		CHECK (label_dpi IN (203, 300));

-- Demo carriers: the prefix and digits of their tracking numbers, and the
-- name printed on the label.
CREATE TABLE wharf.demo_carrier (
	carrier text PRIMARY KEY,
	name text NOT NULL,
	prefix text NOT NULL CHECK (prefix ~ '^[A-Z0-9]{0,4}$'),
	digits integer NOT NULL CHECK (digits BETWEEN 8 AND 15)
);
INSERT INTO wharf.demo_carrier (carrier, name, prefix, digits) VALUES
	('SF', '顺丰速运 SF Express', 'SF', 12),
	('YTO', '圆通速递 YTO Express', 'YT', 13),
	('ZTO', '中通快递 ZTO Express', '7', 14),
	('JD', '京东物流 JD Logistics', 'JDV', 12),
	('EMS', '中国邮政 EMS', 'EM', 11);

CREATE SEQUENCE wharf.demo_tracking_seq START 100000001;

-- One tracking number per operation id: a retried print asks again with
-- the same op and gets the same number.
CREATE TABLE wharf.tracking_issue (
	op_id uuid PRIMARY KEY,
	order_id bigint NOT NULL REFERENCES wharf.sales_order,
	carrier text NOT NULL,
	tracking_no text NOT NULL UNIQUE,
	issued_at timestamptz NOT NULL DEFAULT now()
);

-- What a shipment held when it left (picked_stock as it was), so a void
-- can put exactly those units back.
CREATE TABLE wharf.shipment_content (
	shipment_id bigint NOT NULL REFERENCES wharf.shipment,
	order_line_id bigint NOT NULL REFERENCES wharf.order_line,
	location_id bigint NOT NULL REFERENCES wharf.location,
	source_location_id bigint NOT NULL REFERENCES wharf.location,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	qty integer NOT NULL CHECK (qty > 0)
);
CREATE INDEX shipment_content_shipment ON wharf.shipment_content (shipment_id);

ALTER TABLE wharf.shipment
	ADD COLUMN voided_at timestamptz,
	ADD COLUMN void_reason text;

-- The carrier an order ships with: its own, else SF.
CREATE FUNCTION wharf._pack_carrier(p_carrier text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT carrier FROM wharf.demo_carrier
			 WHERE carrier = upper(p_carrier)), 'SF')
$$;

-- issue_tracking(order, carrier, op): the demo waybill number.
CREATE FUNCTION wharf.issue_tracking(p_order bigint, p_carrier text,
				     p_op uuid)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_no text;
	c wharf.demo_carrier;
BEGIN
	IF p_op IS NULL THEN
		RAISE EXCEPTION 'BAD_OP: an operation id is required for a tracking number';
	END IF;
	SELECT tracking_no INTO v_no FROM wharf.tracking_issue
	WHERE op_id = p_op;
	IF FOUND THEN
		RETURN v_no;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.sales_order WHERE id = p_order) THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	SELECT * INTO c FROM wharf.demo_carrier
	WHERE carrier = wharf._pack_carrier(p_carrier);
	v_no := c.prefix || lpad((nextval('wharf.demo_tracking_seq')
				  % (10 ^ c.digits)::bigint)::text,
				 c.digits, '0');
	INSERT INTO wharf.tracking_issue (op_id, order_id, carrier, tracking_no)
	VALUES (p_op, p_order, c.carrier, v_no)
	ON CONFLICT (op_id) DO NOTHING;
	RETURN (SELECT tracking_no FROM wharf.tracking_issue WHERE op_id = p_op);
END $$;

-- store_label(shipment, format, bytes, user, station): the label as printed.
CREATE FUNCTION wharf.store_label(p_shipment bigint, p_format text,
				  p_label bytea, p_user bigint,
				  p_station bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM wharf._actor(p_user, '{packer}', 'store labels');
	IF p_label IS NULL OR length(p_label) = 0 THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: an empty label';
	END IF;
	UPDATE wharf.shipment SET label_format = p_format, label = p_label
	WHERE id = p_shipment AND state <> 'voided';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: no live shipment %', p_shipment;
	END IF;
	PERFORM wharf._audit(p_user, p_station, 'store_label', 'shipment',
			     p_shipment, jsonb_build_object('format', p_format,
				'bytes', length(p_label)));
END $$;

-- ship_with_label(order, carrier, tracking, weight, carton, format, label,
-- op, user, station): wharf.ship() and the label in one transaction. A
-- replay returns the first call's result and stores nothing again.
CREATE FUNCTION wharf.ship_with_label(p_order bigint, p_carrier text,
				      p_tracking text, p_weight integer,
				      p_carton text, p_format text,
				      p_label bytea, p_op uuid, p_user bigint,
				      p_station bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_snap jsonb;
	v_res jsonb;
	v_ship bigint;
BEGIN
	PERFORM 1 FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	SELECT jsonb_agg(to_jsonb(ps)) INTO v_snap
	FROM wharf.picked_stock ps
	JOIN wharf.order_line l ON l.id = ps.order_line_id
	WHERE l.order_id = p_order;
	v_res := wharf.ship(p_order, p_carrier, p_tracking, p_weight, p_op,
			    p_user, p_station);
	IF (v_res->>'replayed')::boolean THEN
		RETURN v_res;
	END IF;
	v_ship := (v_res->>'shipment_id')::bigint;
	INSERT INTO wharf.shipment_content (shipment_id, order_line_id,
		location_id, source_location_id, sku_id, lot_id, qty)
	SELECT v_ship, x.order_line_id, x.location_id, x.source_location_id,
	       x.sku_id, x.lot_id, x.qty
	FROM jsonb_to_recordset(coalesce(v_snap, '[]'))
		AS x(order_line_id bigint, location_id bigint,
		     source_location_id bigint, sku_id bigint, lot_id bigint,
		     qty integer);
	UPDATE wharf.shipment SET carton = p_carton WHERE id = v_ship;
	PERFORM wharf.store_label(v_ship, p_format, p_label, p_user, p_station);
	RETURN v_res;
END $$;

-- void_shipment(order, reason, user, op, station): see the header.
CREATE FUNCTION wharf.void_shipment(p_order bigint, p_reason text,
				    p_user bigint, p_op uuid,
				    p_station bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
	sh wharf.shipment;
	r record;
	v_units integer := 0;
BEGIN
	PERFORM wharf._actor(p_user, '{packer}', 'void shipments');
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'void_shipment', o.warehouse_id, p_user,
				 p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	SELECT * INTO sh FROM wharf.shipment
	WHERE order_id = p_order AND state <> 'voided' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: order % has no shipment to void',
			o.platform_order_id;
	END IF;
	IF EXISTS (SELECT 1 FROM wharf.outbox WHERE order_id = p_order
		   AND kind = 'ship_confirm' AND state = 'done') THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: the platform already has tracking % for order %: it cannot be voided here',
			sh.tracking_no, o.platform_order_id;
	END IF;
	IF sh.state = 'shipped' AND NOT EXISTS (
		SELECT 1 FROM wharf.shipment_content WHERE shipment_id = sh.id) THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: shipment % has no pack record to undo',
			sh.tracking_no;
	END IF;
	UPDATE wharf.outbox SET state = 'superseded',
		last_error = 'shipment voided: ' || coalesce(p_reason, '')
	WHERE order_id = p_order AND kind = 'ship_confirm'
	  AND state IN ('pending', 'failed');
	IF sh.state = 'shipped' THEN
		FOR r IN SELECT * FROM wharf.shipment_content
			 WHERE shipment_id = sh.id ORDER BY order_line_id LOOP
			PERFORM wharf._move(p_op, o.warehouse_id, 'adjust',
				r.sku_id, r.lot_id, NULL, r.location_id, r.qty,
				p_order, 'void shipment ' || sh.tracking_no,
				p_user, p_station);
			INSERT INTO wharf.picked_stock AS ps (order_line_id,
				location_id, source_location_id, sku_id, lot_id,
				qty)
			VALUES (r.order_line_id, r.location_id,
				r.source_location_id, r.sku_id, r.lot_id, r.qty)
			ON CONFLICT (order_line_id, location_id,
				     source_location_id, lot_id)
			DO UPDATE SET qty = ps.qty + EXCLUDED.qty;
			v_units := v_units + r.qty;
		END LOOP;
	END IF;
	UPDATE wharf.order_line SET qty_shipped = 0, qty_packed = 0
	WHERE order_id = p_order;
	UPDATE wharf.shipment SET state = 'voided', voided_at = now(),
		void_reason = p_reason
	WHERE id = sh.id;
	UPDATE wharf.sales_order SET state = 'picked', updated_at = now()
	WHERE id = p_order;
	PERFORM wharf._audit(p_user, p_station, 'void_shipment', 'sales_order',
			     p_order, jsonb_build_object('shipment', sh.id,
				'tracking_no', sh.tracking_no,
				'reason', p_reason, 'units', v_units));
	RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
		'shipment_id', sh.id, 'units', v_units));
END $$;

-- pack_exception(order, reason, user, op, station): to the exception
-- queue; what was verified must be verified again by whoever resumes.
CREATE FUNCTION wharf.pack_exception(p_order bigint, p_reason text,
				     p_user bigint, p_op uuid,
				     p_station bigint DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
BEGIN
	PERFORM wharf._actor(p_user, '{packer}', 'raise pack exceptions');
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'NO_ORDER: no order %', p_order
			USING ERRCODE = 'no_data_found';
	END IF;
	v_res := wharf._op_begin(p_op, 'pack_exception', o.warehouse_id,
				 p_user, p_station);
	IF v_res IS NOT NULL THEN
		RETURN v_res;
	END IF;
	SELECT * INTO o FROM wharf.sales_order WHERE id = p_order FOR UPDATE;
	IF o.state = 'shipped' THEN
		RAISE EXCEPTION 'ALREADY_SHIPPED: order % has already shipped',
			o.platform_order_id;
	END IF;
	IF coalesce(btrim(p_reason), '') = '' THEN
		RAISE EXCEPTION 'BAD_SHIPMENT: an exception needs a reason';
	END IF;
	UPDATE wharf.order_line SET qty_packed = 0
	WHERE order_id = p_order AND qty_packed > 0;
	UPDATE wharf.sales_order SET state = 'exception',
		exception_reason = 'pack: ' || p_reason, updated_at = now()
	WHERE id = p_order;
	PERFORM wharf._audit(p_user, p_station, 'pack_exception',
			     'sales_order', p_order,
			     jsonb_build_object('reason', p_reason,
						'was', o.state));
	RETURN wharf._op_end(p_op, jsonb_build_object('order_id', p_order,
		'state', 'exception'));
END $$;

-- pack_find(warehouse, code): the order a scan at the desk means, and how
-- it was found ('tote', 'order', 'tracking'). A tote gives its first order
-- not yet shipped, by slot; an order number the newest such order.
CREATE FUNCTION wharf.pack_find(p_wh bigint, p_code text)
RETURNS TABLE (order_id bigint, via text)
LANGUAGE sql STABLE AS $$
	(SELECT wo.order_id, 'tote'
	 FROM wharf.tote t
	 JOIN wharf.wave_order wo ON wo.tote_id = t.id
	 JOIN wharf.sales_order o ON o.id = wo.order_id
	 WHERE t.warehouse_id = p_wh AND t.code = p_code
	   AND o.state <> 'shipped'
	 ORDER BY (o.state IN ('picking', 'picked', 'packed')) DESC,
		  wo.wave_id DESC, wo.slot NULLS LAST, o.id
	 LIMIT 1)
	UNION ALL
	(SELECT o.id, 'order' FROM wharf.sales_order o
	 WHERE o.warehouse_id = p_wh AND o.platform_order_id = p_code
	 ORDER BY o.id DESC LIMIT 1)
	UNION ALL
	(SELECT s.order_id, 'tracking' FROM wharf.shipment s
	 WHERE s.warehouse_id = p_wh AND s.tracking_no = p_code
	 ORDER BY (s.state <> 'voided') DESC, s.id DESC LIMIT 1)
	LIMIT 1
$$;

-- pack_single_item(warehouse, barcode): the oldest packable one-unit order
-- of a single-item wave holding that item, or NULL.
CREATE FUNCTION wharf.pack_single_item(p_wh bigint, p_barcode text)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT o.id
	FROM wharf.sales_order o
	JOIN wharf.wave_order wo ON wo.order_id = o.id
	JOIN wharf.wave w ON w.id = wo.wave_id AND w.strategy = 'single_item'
	JOIN wharf.order_line l ON l.order_id = o.id
	WHERE o.warehouse_id = p_wh AND o.state IN ('picking', 'picked')
	  AND o.intercepted_at IS NULL
	  AND l.sku_id = (SELECT b.sku_id FROM wharf.barcode_lookup(p_barcode) b)
	  AND l.qty = 1 AND l.qty_picked = 1 AND l.qty_packed = 0
	  AND (SELECT count(*) FROM wharf.order_line x
	       WHERE x.order_id = o.id) = 1
	ORDER BY coalesce(o.paid_at, o.created_at), o.id
	LIMIT 1
$$;

-- Text made safe for a label: no control characters, trimmed, cut.
CREATE FUNCTION wharf._label_text(p text, p_max integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT left(btrim(regexp_replace(coalesce(p, ''), '[[:cntrl:]]+', ' ',
					 'g')), p_max)
$$;

-- pack_label_data(order, tracking, weight_g): the carrier label's data
-- (src/label/label.h, carrier-100x150). The sort code is the demo's: a
-- stable code from the destination's province and city, standing in for
-- the carrier's routing table.
CREATE FUNCTION wharf.pack_label_data(p_order bigint, p_tracking text,
				      p_weight integer)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
		'tracking', p_tracking,
		'carrier', c.name,
		'sort_code', lpad((abs(hashtext(coalesce(o.province, '') ||
			coalesce(o.city, ''))) % 1000)::text, 3, '0') || 'W-' ||
			lpad((abs(hashtext(coalesce(o.district, ''))) % 100)::text,
			     2, '0') || ' ' || chr(65 + abs(hashtext(p_tracking)) % 6) ||
			(1 + abs(hashtext(o.platform_order_id)) % 9)::text,
		'receiver', jsonb_build_object(
			'name', coalesce(nullif(wharf._label_text(o.receiver_name, 40), ''),
					 '-'),
			'phone', wharf._label_text(o.receiver_phone, 24),
			'address', coalesce(nullif(wharf._label_text(concat_ws(' ',
				o.province, o.city, o.district, o.address), 120), ''),
				'-')),
		'sender', jsonb_build_object(
			'name', wharf._label_text(coalesce(w.name_zh, w.name), 40),
			'address', wharf._label_text(w.name || ' (' || w.code || ')',
						     80)),
		'order_ref', wharf._label_text(o.platform_order_id, 40),
		'weight_kg', to_char(p_weight / 1000.0, 'FM9990.000'),
		'items', (SELECT coalesce(jsonb_agg(jsonb_build_object(
				'name', wharf._label_text(coalesce(k.name_zh, k.name,
					l.title, l.platform_sku), 30),
				'qty', l.qty) ORDER BY l.line_no), '[]')
			  FROM wharf.order_line l
			  LEFT JOIN wharf.sku k ON k.id = l.sku_id
			  WHERE l.order_id = o.id))
	FROM wharf.sales_order o
	JOIN wharf.warehouse w ON w.id = o.warehouse_id
	JOIN wharf.demo_carrier c ON c.carrier = wharf._pack_carrier(o.carrier)
	WHERE o.id = p_order
$$;
