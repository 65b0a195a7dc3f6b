-- 0001_schema.sql: the whole data model of DESIGN.md section 4.
--
-- Invariants this file makes impossible to break with plain SQL:
--   * stock.on_hand >= 0 and 0 <= stock.allocated <= stock.on_hand;
--   * stock.on_hand moves only with the ledger: stock_move rows are applied
--     to stock by a trigger, and are never updated, deleted or truncated;
--   * stock.allocated is the sum of the allocations on that stock row, and
--     an order line's allocated + picked quantity never exceeds what it asks;
--   * no allocation of a lot past its ship-by date (wharf.lot_sellable);
--   * an order cancelled or refunded upstream (intercepted) is never shipped.
-- `wharf db verify` re-checks all of them from first principles.

CREATE SCHEMA IF NOT EXISTS wharf;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE TYPE wharf.location_kind AS ENUM
	('receiving', 'storage', 'pick', 'pack', 'ship', 'quarantine',
	 'transit', 'tote');
CREATE TYPE wharf.lot_control AS ENUM ('none', 'fifo', 'fefo');
CREATE TYPE wharf.platform AS ENUM
	('taobao', 'tmall', 'jd', 'pdd', 'douyin', 'amazon', 'shopify',
	 'woocommerce');
CREATE TYPE wharf.user_role AS ENUM
	('picker', 'packer', 'receiver', 'supervisor', 'admin');
CREATE TYPE wharf.order_state AS ENUM
	('new', 'exception', 'on_hold', 'partially_allocated', 'allocated',
	 'released', 'picking', 'picked', 'packed', 'shipped', 'cancelled');
CREATE TYPE wharf.move_kind AS ENUM
	('receive', 'putaway', 'move', 'replenish', 'pick', 'putback', 'ship',
	 'adjust', 'count', 'transfer_out', 'transfer_in', 'quarantine',
	 'release');

-- One definition of the ship-by day and of "sellable on a day", used by
-- allocation, picking, alerts, stock push and verify alike. A lot is
-- sellable on day d iff d <= expiry - min_remaining_days. With no expiry it
-- is always sellable. Mirrored in C by src/domain/shelf.c.
CREATE FUNCTION wharf.ship_by(expiry date, min_remaining_days int)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT expiry - coalesce(min_remaining_days, 0) $$;

CREATE FUNCTION wharf.lot_sellable(expiry date, min_remaining_days int,
				   on_day date)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT expiry IS NULL OR on_day <= wharf.ship_by(expiry, min_remaining_days) $$;

-- Warehouses and their locations ------------------------------------------

CREATE TABLE wharf.warehouse (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{1,16}$'),
	name text NOT NULL,
	name_zh text,
	timezone text NOT NULL DEFAULT 'Asia/Shanghai',
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wharf.zone (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	code text NOT NULL,
	name text NOT NULL,
	UNIQUE (warehouse_id, code),
	UNIQUE (warehouse_id, id)
);

CREATE TABLE wharf.location (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	zone_id bigint,
	code text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
	kind wharf.location_kind NOT NULL,
	-- Position on the picker's walk: tasks are ordered by it.
	walk_seq integer NOT NULL DEFAULT 0,
	aisle integer, bay integer, level integer,
	max_units integer CHECK (max_units > 0),
	blocked boolean NOT NULL DEFAULT false,
	needs_count boolean NOT NULL DEFAULT false,
	UNIQUE (warehouse_id, code),
	UNIQUE (warehouse_id, id),
	FOREIGN KEY (warehouse_id, zone_id) REFERENCES wharf.zone (warehouse_id, id)
);
CREATE INDEX location_walk ON wharf.location (warehouse_id, walk_seq);

-- Products, barcodes, lots --------------------------------------------------

CREATE TABLE wharf.sku (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
	name text NOT NULL,
	name_zh text,
	lot_control wharf.lot_control NOT NULL DEFAULT 'none',
	shelf_life_days integer CHECK (shelf_life_days > 0),
	-- Minimum remaining shelf life, in days, for a unit to be shipped.
	min_remaining_days integer NOT NULL DEFAULT 0
		CHECK (min_remaining_days >= 0),
	weight_g integer CHECK (weight_g >= 0),
	length_mm integer, width_mm integer, height_mm integer,
	active boolean NOT NULL DEFAULT true,
	CHECK (lot_control <> 'fefo' OR shelf_life_days IS NOT NULL)
);

CREATE TABLE wharf.sku_warehouse (
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	safety_stock integer NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
	pick_face_min integer NOT NULL DEFAULT 0 CHECK (pick_face_min >= 0),
	pick_face_max integer NOT NULL DEFAULT 0
		CHECK (pick_face_max >= pick_face_min),
	PRIMARY KEY (warehouse_id, sku_id)
);

CREATE TABLE wharf.barcode (
	code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	-- Units of the SKU one scan of this code stands for (a case of 12).
	pack_qty integer NOT NULL DEFAULT 1 CHECK (pack_qty > 0),
	kind text NOT NULL DEFAULT 'gtin' CHECK (kind IN ('gtin', 'case', 'internal'))
);
CREATE INDEX barcode_sku ON wharf.barcode (sku_id);

CREATE TABLE wharf.lot (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_code text NOT NULL CHECK (length(lot_code) BETWEEN 1 AND 20),
	expiry date,
	produced date,
	first_received_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (sku_id, lot_code),
	UNIQUE (sku_id, id)
);

-- Stock and its ledger ------------------------------------------------------

-- One row per (location, sku, lot); lot_id is NULL for SKUs without lot
-- control. Rows are created and changed by the ledger trigger only.
CREATE TABLE wharf.stock (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL,
	location_id bigint NOT NULL,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint,
	on_hand integer NOT NULL DEFAULT 0
		CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
	allocated integer NOT NULL DEFAULT 0
		CONSTRAINT stock_allocated_within_on_hand
		CHECK (allocated >= 0 AND allocated <= on_hand),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (location_id, sku_id, lot_id),
	FOREIGN KEY (warehouse_id, location_id)
		REFERENCES wharf.location (warehouse_id, id),
	FOREIGN KEY (sku_id, lot_id) REFERENCES wharf.lot (sku_id, id)
);
CREATE INDEX stock_sku ON wharf.stock (warehouse_id, sku_id);

CREATE TABLE wharf.app_user (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9_.-]{1,32}$'),
	badge text UNIQUE,
	display_name text NOT NULL,
	role wharf.user_role NOT NULL,
	-- crypt(pin, gen_salt('bf')): never the PIN itself.
	pin_hash text NOT NULL,
	failed_logins integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	language text CHECK (language IN ('en', 'zh_CN')),
	home_warehouse_id bigint REFERENCES wharf.warehouse,
	active boolean NOT NULL DEFAULT true
);

CREATE TABLE wharf.station (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	kind text NOT NULL CHECK (kind IN ('handheld', 'pack', 'desk', 'supervisor', 'server')),
	printer_uri text,
	last_seen_at timestamptz
);

-- Every floor operation carries a client-generated id. The first call
-- records its result here; a replay finds the row and returns the same
-- result without changing anything (invariant 4).
CREATE TABLE wharf.operation (
	op_id uuid PRIMARY KEY,
	kind text NOT NULL,
	warehouse_id bigint REFERENCES wharf.warehouse,
	user_id bigint REFERENCES wharf.app_user,
	station_id bigint REFERENCES wharf.station,
	result jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now()
);

-- The append-only stock ledger, partitioned by month (DESIGN.md section 10).
-- A row moves qty units of (sku, lot) from from_location (NULL: from
-- outside, e.g. a receipt) to to_location (NULL: out of the warehouse, e.g. a
-- shipment). on_hand of a stock row is always sum(in) - sum(out).
CREATE TABLE wharf.stock_move (
	id bigint GENERATED ALWAYS AS IDENTITY,
	created_at timestamptz NOT NULL DEFAULT now(),
	op_id uuid,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	kind wharf.move_kind NOT NULL,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	from_location_id bigint REFERENCES wharf.location,
	to_location_id bigint REFERENCES wharf.location,
	qty integer NOT NULL CHECK (qty > 0),
	order_id bigint,
	reason text,
	user_id bigint REFERENCES wharf.app_user,
	station_id bigint REFERENCES wharf.station,
	PRIMARY KEY (id, created_at),
	CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL),
	CHECK (from_location_id IS DISTINCT FROM to_location_id)
) PARTITION BY RANGE (created_at);
CREATE TABLE wharf.stock_move_default PARTITION OF wharf.stock_move DEFAULT;
CREATE INDEX stock_move_op ON wharf.stock_move (op_id);
CREATE INDEX stock_move_from ON wharf.stock_move (from_location_id, sku_id);
CREATE INDEX stock_move_to ON wharf.stock_move (to_location_id, sku_id);

-- Creates the monthly partitions from `from_month` to `months_ahead` months
-- past the current one. A month that already has rows in the default
-- partition is left there (attaching it would fail); verify still sees
-- those rows, they are only not pruned.
CREATE FUNCTION wharf.ensure_stock_move_partitions(
	from_month date DEFAULT date_trunc('month', now())::date,
	months_ahead int DEFAULT 3)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	m date := date_trunc('month', from_month)::date;
	last date := (date_trunc('month', now()) + make_interval(months => months_ahead))::date;
	name text;
	created integer := 0;
BEGIN
	WHILE m <= last LOOP
		name := format('stock_move_%s', to_char(m, 'YYYYMM'));
		IF to_regclass('wharf.' || name) IS NULL AND NOT EXISTS (
			SELECT 1 FROM wharf.stock_move_default
			WHERE created_at >= m AND created_at < m + interval '1 month')
		THEN
			EXECUTE format('CREATE TABLE wharf.%I PARTITION OF wharf.stock_move FOR VALUES FROM (%L) TO (%L)',
				       name, m, (m + interval '1 month')::date);
			created := created + 1;
		END IF;
		m := (m + interval '1 month')::date;
	END LOOP;
	RETURN created;
END $$;
SELECT wharf.ensure_stock_move_partitions();

-- Trigger argument: the table's name as people know it (a partition of the
-- ledger would otherwise be named instead of the ledger).
CREATE FUNCTION wharf.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % refused',
		coalesce(TG_ARGV[0], TG_TABLE_NAME), TG_OP
		USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER stock_move_append_only BEFORE UPDATE OR DELETE ON wharf.stock_move
	FOR EACH ROW EXECUTE FUNCTION wharf.refuse_change('wharf.stock_move');
CREATE TRIGGER stock_move_no_truncate BEFORE TRUNCATE ON wharf.stock_move
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.refuse_change('wharf.stock_move');

-- Applies one ledger row to stock. The CHECK constraints on stock turn an
-- overdraw, or taking units allocated to someone else, into an error.
CREATE FUNCTION wharf.apply_stock_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	have integer;
	reserved integer;
BEGIN
	-- A ledger row stays inside one warehouse. A transfer is two rows: out
	-- of the sending warehouse, and into a transit location of the
	-- receiving one, so in-transit stock is always somewhere.
	IF EXISTS (SELECT 1 FROM wharf.location
		   WHERE id IN (NEW.from_location_id, NEW.to_location_id)
		     AND warehouse_id <> NEW.warehouse_id) THEN
		RAISE EXCEPTION 'stock move crosses warehouses'
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.from_location_id IS NOT NULL THEN
		SELECT on_hand, allocated INTO have, reserved FROM wharf.stock
		WHERE location_id = NEW.from_location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id
		FOR UPDATE;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no stock of sku % lot % at location %',
				NEW.sku_id, NEW.lot_id, NEW.from_location_id
				USING ERRCODE = 'check_violation';
		END IF;
		-- Units reserved for orders stay put: whoever takes them
		-- releases the allocation first (a pick does).
		IF have - reserved < NEW.qty THEN
			RAISE EXCEPTION 'only % free of sku % lot % at location % (% on hand, % allocated): cannot take %',
				have - reserved, NEW.sku_id, NEW.lot_id,
				NEW.from_location_id, have, reserved, NEW.qty
				USING ERRCODE = 'check_violation';
		END IF;
		UPDATE wharf.stock SET on_hand = on_hand - NEW.qty, updated_at = now()
		WHERE location_id = NEW.from_location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id;
	END IF;
	IF NEW.to_location_id IS NOT NULL THEN
		INSERT INTO wharf.stock AS s (warehouse_id, location_id, sku_id, lot_id, on_hand)
		VALUES (NEW.warehouse_id, NEW.to_location_id, NEW.sku_id, NEW.lot_id, NEW.qty)
		ON CONFLICT (location_id, sku_id, lot_id)
		DO UPDATE SET on_hand = s.on_hand + EXCLUDED.on_hand, updated_at = now();
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER stock_move_apply AFTER INSERT ON wharf.stock_move
	FOR EACH ROW EXECUTE FUNCTION wharf.apply_stock_move();

-- Shops and platform sync ---------------------------------------------------

CREATE TABLE wharf.shop (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE,
	platform wharf.platform NOT NULL,
	name text NOT NULL,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	api_base_url text,
	app_key text,
	-- Where the secret lives: a 0600 file path or a credential name. The
	-- secret itself is never stored in a column that is logged or shown.
	credentials_ref text,
	-- Stricter minimum remaining shelf life for this channel, if any.
	min_remaining_days integer CHECK (min_remaining_days >= 0),
	-- Units held back from the stock pushed to this shop.
	stock_buffer integer NOT NULL DEFAULT 0 CHECK (stock_buffer >= 0),
	enabled boolean NOT NULL DEFAULT true
);

-- Platform SKU codes mapped to ours; an order line whose code is not
-- here becomes an exception, never a guess.
CREATE TABLE wharf.shop_sku (
	shop_id bigint NOT NULL REFERENCES wharf.shop,
	outer_code text NOT NULL,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	platform_item_id text,
	platform_sku_id text,
	PRIMARY KEY (shop_id, outer_code)
);

CREATE TABLE wharf.sync_cursor (
	shop_id bigint NOT NULL REFERENCES wharf.shop,
	stream text NOT NULL,
	watermark timestamptz NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (shop_id, stream)
);

CREATE TABLE wharf.sync_health (
	shop_id bigint PRIMARY KEY REFERENCES wharf.shop,
	last_success_at timestamptz,
	last_error_at timestamptz,
	last_error text,
	orders_last_hour integer NOT NULL DEFAULT 0,
	lag_seconds integer
);

-- Orders --------------------------------------------------------------------

CREATE TABLE wharf.sales_order (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	shop_id bigint NOT NULL REFERENCES wharf.shop,
	platform_order_id text NOT NULL CHECK (length(platform_order_id) BETWEEN 1 AND 64),
	state wharf.order_state NOT NULL DEFAULT 'new',
	-- The platform's own status words, as received, for audit.
	platform_status text,
	exception_reason text,
	-- Set when the platform cancels or a refund is requested before the
	-- parcel leaves: from then on the order can never be shipped.
	intercepted_at timestamptz,
	intercept_reason text,
	priority integer NOT NULL DEFAULT 0,
	carrier text,
	cutoff_at timestamptz,
	buyer_nick text,
	receiver_name text,
	receiver_phone text,
	province text, city text, district text, address text,
	zip text, country char(2) NOT NULL DEFAULT 'CN',
	remark text,
	currency char(3) NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
	total_minor bigint NOT NULL DEFAULT 0,
	paid_at timestamptz,
	platform_created_at timestamptz,
	platform_modified_at timestamptz,
	raw jsonb,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (shop_id, platform_order_id),
	CHECK (state <> 'exception' OR exception_reason IS NOT NULL)
);
CREATE INDEX sales_order_state ON wharf.sales_order (warehouse_id, state);

CREATE FUNCTION wharf.refuse_intercepted_ship() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state IN ('packed', 'shipped') AND NEW.intercepted_at IS NOT NULL THEN
		RAISE EXCEPTION 'order % was intercepted (%): it cannot be %',
			NEW.platform_order_id, coalesce(NEW.intercept_reason, 'cancelled'),
			NEW.state
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER sales_order_no_intercepted_ship
	BEFORE INSERT OR UPDATE OF state, intercepted_at ON wharf.sales_order
	FOR EACH ROW EXECUTE FUNCTION wharf.refuse_intercepted_ship();

CREATE TABLE wharf.order_line (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	order_id bigint NOT NULL REFERENCES wharf.sales_order,
	line_no integer NOT NULL,
	platform_line_id text,
	-- NULL when the platform's SKU code is not mapped yet (an exception).
	sku_id bigint REFERENCES wharf.sku,
	platform_sku text,
	title text,
	qty integer NOT NULL CHECK (qty > 0),
	-- Units reserved in bins (sum of allocation.qty), maintained by trigger.
	qty_allocated integer NOT NULL DEFAULT 0 CHECK (qty_allocated >= 0),
	qty_picked integer NOT NULL DEFAULT 0 CHECK (qty_picked >= 0),
	qty_packed integer NOT NULL DEFAULT 0 CHECK (qty_packed >= 0),
	qty_shipped integer NOT NULL DEFAULT 0 CHECK (qty_shipped >= 0),
	unit_price_minor bigint NOT NULL DEFAULT 0,
	refund_state text,
	UNIQUE (order_id, line_no),
	CHECK (qty_allocated + qty_picked <= qty),
	CHECK (qty_packed <= qty_picked AND qty_shipped <= qty_packed)
);
CREATE INDEX order_line_order ON wharf.order_line (order_id);

-- A reservation of units still in a bin for an order line. The trigger
-- keeps stock.allocated and order_line.qty_allocated equal to the sums, so
-- the CHECKs on those columns forbid double allocation (invariant 2).
CREATE TABLE wharf.allocation (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL,
	order_line_id bigint NOT NULL REFERENCES wharf.order_line,
	location_id bigint NOT NULL,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint,
	qty integer NOT NULL CHECK (qty > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (warehouse_id, location_id)
		REFERENCES wharf.location (warehouse_id, id),
	FOREIGN KEY (sku_id, lot_id) REFERENCES wharf.lot (sku_id, id)
);
CREATE INDEX allocation_line ON wharf.allocation (order_line_id);
CREATE INDEX allocation_stock ON wharf.allocation (location_id, sku_id, lot_id);

-- Effective minimum remaining shelf life of an order line's SKU: the
-- stricter of the SKU's and the shop's.
CREATE FUNCTION wharf.line_min_remaining(line_id bigint)
RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT greatest(s.min_remaining_days, coalesce(sh.min_remaining_days, 0))
	FROM wharf.order_line l
	JOIN wharf.sales_order o ON o.id = l.order_id
	JOIN wharf.shop sh ON sh.id = o.shop_id
	JOIN wharf.sku s ON s.id = l.sku_id
	WHERE l.id = line_id
$$;

CREATE FUNCTION wharf.apply_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	exp date;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		UPDATE wharf.stock SET allocated = allocated - OLD.qty
		WHERE location_id = OLD.location_id AND sku_id = OLD.sku_id
		  AND lot_id IS NOT DISTINCT FROM OLD.lot_id;
		UPDATE wharf.order_line SET qty_allocated = qty_allocated - OLD.qty
		WHERE id = OLD.order_line_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		IF NOT EXISTS (SELECT 1 FROM wharf.order_line
			       WHERE id = NEW.order_line_id AND sku_id = NEW.sku_id) THEN
			RAISE EXCEPTION 'allocation of sku % to line % of another sku',
				NEW.sku_id, NEW.order_line_id
				USING ERRCODE = 'check_violation';
		END IF;
		IF NEW.lot_id IS NOT NULL THEN
			SELECT expiry INTO exp FROM wharf.lot WHERE id = NEW.lot_id;
			IF NOT wharf.lot_sellable(exp, wharf.line_min_remaining(NEW.order_line_id),
						  current_date) THEN
				RAISE EXCEPTION 'lot % is past its ship-by date (expiry %)',
					NEW.lot_id, exp
					USING ERRCODE = 'check_violation';
			END IF;
		END IF;
		UPDATE wharf.stock SET allocated = allocated + NEW.qty
		WHERE location_id = NEW.location_id AND sku_id = NEW.sku_id
		  AND lot_id IS NOT DISTINCT FROM NEW.lot_id;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no stock of sku % lot % at location % to allocate',
				NEW.sku_id, NEW.lot_id, NEW.location_id
				USING ERRCODE = 'check_violation';
		END IF;
		UPDATE wharf.order_line SET qty_allocated = qty_allocated + NEW.qty
		WHERE id = NEW.order_line_id;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER allocation_apply AFTER INSERT OR UPDATE OR DELETE ON wharf.allocation
	FOR EACH ROW EXECUTE FUNCTION wharf.apply_allocation();

-- Waves, totes, tasks -------------------------------------------------------

CREATE TABLE wharf.wave (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	strategy text NOT NULL CHECK (strategy IN ('single_item', 'multi_item', 'by_carrier')),
	state text NOT NULL DEFAULT 'released'
		CHECK (state IN ('released', 'picking', 'done', 'cancelled')),
	carrier text,
	created_by bigint REFERENCES wharf.app_user,
	released_at timestamptz NOT NULL DEFAULT now(),
	done_at timestamptz
);

CREATE TABLE wharf.tote (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	code text NOT NULL,
	-- A tote holds stock like a bin does: it has a location of kind 'tote'.
	location_id bigint NOT NULL UNIQUE REFERENCES wharf.location,
	slots integer NOT NULL DEFAULT 1 CHECK (slots BETWEEN 1 AND 99),
	wave_id bigint REFERENCES wharf.wave,
	UNIQUE (warehouse_id, code)
);

CREATE TABLE wharf.wave_order (
	wave_id bigint NOT NULL REFERENCES wharf.wave,
	order_id bigint NOT NULL UNIQUE REFERENCES wharf.sales_order,
	tote_id bigint REFERENCES wharf.tote,
	slot integer,
	PRIMARY KEY (wave_id, order_id)
);

CREATE TABLE wharf.pick_task (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	kind text NOT NULL DEFAULT 'pick'
		CHECK (kind IN ('pick', 'putback', 'replenish', 'putaway')),
	wave_id bigint REFERENCES wharf.wave,
	order_id bigint REFERENCES wharf.sales_order,
	order_line_id bigint REFERENCES wharf.order_line,
	allocation_id bigint REFERENCES wharf.allocation ON DELETE SET NULL,
	seq integer NOT NULL DEFAULT 0,
	location_id bigint NOT NULL REFERENCES wharf.location,
	to_location_id bigint REFERENCES wharf.location,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	qty integer NOT NULL CHECK (qty > 0),
	qty_done integer NOT NULL DEFAULT 0 CHECK (qty_done >= 0 AND qty_done <= qty),
	tote_id bigint REFERENCES wharf.tote,
	slot integer,
	state text NOT NULL DEFAULT 'open'
		CHECK (state IN ('open', 'claimed', 'done', 'short', 'cancelled')),
	claimed_by bigint REFERENCES wharf.app_user,
	claimed_at timestamptz,
	done_at timestamptz
);
CREATE INDEX pick_task_open ON wharf.pick_task (warehouse_id, state, seq)
	WHERE state IN ('open', 'claimed');

CREATE TABLE wharf.shipment (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	order_id bigint NOT NULL REFERENCES wharf.sales_order,
	carrier text NOT NULL,
	tracking_no text NOT NULL,
	weight_g integer CHECK (weight_g >= 0),
	carton text,
	label_format text CHECK (label_format IN ('zpl', 'tspl', 'pdf', 'png')),
	label bytea,
	state text NOT NULL DEFAULT 'created'
		CHECK (state IN ('created', 'shipped', 'voided')),
	created_at timestamptz NOT NULL DEFAULT now(),
	shipped_at timestamptz,
	UNIQUE (carrier, tracking_no)
);
-- At most one live shipment per order: a void frees the order again.
CREATE UNIQUE INDEX shipment_one_live ON wharf.shipment (order_id)
	WHERE state <> 'voided';

-- Counting, transfers, purchasing -------------------------------------------

CREATE TABLE wharf.count_task (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	location_id bigint NOT NULL REFERENCES wharf.location,
	state text NOT NULL DEFAULT 'open'
		CHECK (state IN ('open', 'counted', 'pending_approval', 'approved', 'rejected')),
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	counted_by bigint REFERENCES wharf.app_user,
	counted_at timestamptz,
	approved_by bigint REFERENCES wharf.app_user
);

CREATE TABLE wharf.count_line (
	count_task_id bigint NOT NULL REFERENCES wharf.count_task,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	expected integer NOT NULL CHECK (expected >= 0),
	counted integer NOT NULL CHECK (counted >= 0),
	UNIQUE NULLS NOT DISTINCT (count_task_id, sku_id, lot_id)
);

CREATE TABLE wharf.transfer (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	from_warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	to_warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	state text NOT NULL DEFAULT 'draft'
		CHECK (state IN ('draft', 'in_transit', 'received', 'cancelled')),
	created_at timestamptz NOT NULL DEFAULT now(),
	shipped_at timestamptz,
	received_at timestamptz,
	CHECK (from_warehouse_id <> to_warehouse_id)
);

CREATE TABLE wharf.transfer_line (
	transfer_id bigint NOT NULL REFERENCES wharf.transfer,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	qty integer NOT NULL CHECK (qty > 0),
	qty_received integer NOT NULL DEFAULT 0 CHECK (qty_received BETWEEN 0 AND qty),
	UNIQUE NULLS NOT DISTINCT (transfer_id, sku_id, lot_id)
);

CREATE TABLE wharf.supplier (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE,
	name text NOT NULL
);

CREATE TABLE wharf.purchase_order (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	supplier_id bigint NOT NULL REFERENCES wharf.supplier,
	po_no text NOT NULL UNIQUE,
	state text NOT NULL DEFAULT 'open'
		CHECK (state IN ('draft', 'open', 'partially_received', 'received', 'closed')),
	currency char(3) NOT NULL DEFAULT 'CNY' CHECK (currency ~ '^[A-Z]{3}$'),
	expected_at date,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wharf.po_line (
	po_id bigint NOT NULL REFERENCES wharf.purchase_order,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	qty_ordered integer NOT NULL CHECK (qty_ordered > 0),
	qty_received integer NOT NULL DEFAULT 0 CHECK (qty_received >= 0),
	unit_cost_minor bigint NOT NULL DEFAULT 0 CHECK (unit_cost_minor >= 0),
	PRIMARY KEY (po_id, sku_id)
);

CREATE TABLE wharf.receipt (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	warehouse_id bigint NOT NULL REFERENCES wharf.warehouse,
	po_id bigint REFERENCES wharf.purchase_order,
	op_id uuid UNIQUE,
	received_by bigint REFERENCES wharf.app_user,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wharf.receipt_line (
	receipt_id bigint NOT NULL REFERENCES wharf.receipt,
	sku_id bigint NOT NULL REFERENCES wharf.sku,
	lot_id bigint REFERENCES wharf.lot,
	location_id bigint NOT NULL REFERENCES wharf.location,
	qty integer NOT NULL CHECK (qty > 0),
	quarantined boolean NOT NULL DEFAULT false
);

-- Audit and outbox ----------------------------------------------------------

CREATE TABLE wharf.audit_log (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	user_id bigint REFERENCES wharf.app_user,
	station_id bigint REFERENCES wharf.station,
	action text NOT NULL,
	entity text,
	entity_id bigint,
	detail jsonb
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON wharf.audit_log
	FOR EACH ROW EXECUTE FUNCTION wharf.refuse_change('wharf.audit_log');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON wharf.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION wharf.refuse_change('wharf.audit_log');

-- Pushes to platforms, written in the same transaction as the ship or
-- stock change that causes them, and retried until acknowledged.
CREATE TABLE wharf.outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	shop_id bigint NOT NULL REFERENCES wharf.shop,
	kind text NOT NULL CHECK (kind IN ('ship_confirm', 'stock_set')),
	order_id bigint REFERENCES wharf.sales_order,
	sku_id bigint REFERENCES wharf.sku,
	payload jsonb NOT NULL,
	state text NOT NULL DEFAULT 'pending'
		CHECK (state IN ('pending', 'done', 'failed', 'superseded')),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	last_error text,
	created_at timestamptz NOT NULL DEFAULT now(),
	acked_at timestamptz
);
CREATE INDEX outbox_pending ON wharf.outbox (next_attempt_at) WHERE state = 'pending';
