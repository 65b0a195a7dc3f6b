-- The demo warehouse generator behind `wharf db seed --demo [--scale N]`.
--
-- Deterministic: every "random" choice is a hash of a key (wharf_demo.h),
-- never random(), so the same scale and reference date give the same rows.
-- Stock enters only through the ledger (receive, putaway, ship), so
-- `wharf db verify` passes on the result.

CREATE SCHEMA IF NOT EXISTS wharf_demo;

-- A stable 60-bit hash of a text key.
CREATE OR REPLACE FUNCTION wharf_demo.h(key text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(key), 1, 15))::bit(60)::bigint $$;

-- A stable choice in 0..n-1.
CREATE OR REPLACE FUNCTION wharf_demo.pick(key text, n int) RETURNS int
LANGUAGE sql IMMUTABLE AS
$$ SELECT (wharf_demo.h(key) % n)::int $$;

-- GS1 check digit: weights 3,1,3,... from the rightmost data digit.
CREATE OR REPLACE FUNCTION wharf_demo.check_digit(digits text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT ((10 - sum(substr(reverse(digits), i, 1)::int
			  * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10)::text
	FROM generate_series(1, length(digits)) AS i
$$;

CREATE OR REPLACE FUNCTION wharf_demo.seed(scale int, ref date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	aisles int := 10 * scale;
	aisle_w int := greatest(2, length((10 * scale)::text));
	nskus int := 500 * scale;
BEGIN
	PERFORM wharf.ensure_stock_move_partitions((ref - 800)::date, 3);

	INSERT INTO wharf.warehouse (code, name, name_zh) VALUES
		('SH', 'Shanghai DC', '上海仓'),
		('HZ', 'Hangzhou DC', '杭州仓');

	INSERT INTO wharf.zone (warehouse_id, code, name)
	SELECT w.id, z.code, z.name
	FROM wharf.warehouse w,
	     (VALUES ('A', 'Fast pick 快拣区'), ('B', 'Pick 拣货区'),
		     ('R', 'Reserve 存储区'), ('Q', 'Quarantine 隔离区'),
		     ('D', 'Dock 收发区'), ('T', 'Totes 周转箱')) AS z(code, name);

	-- Bins: aisle x 20 bays x 5 levels per warehouse. Levels 1-2 of the
	-- pick zones are pick faces. The walk is serpentine: odd aisles go up
	-- the bays, even aisles come back down, so
	--   walk_seq = aisle * 1000 + (odd aisle ? bay : 21 - bay) * 10 + level
	INSERT INTO wharf.location (warehouse_id, zone_id, code, kind, walk_seq,
				    aisle, bay, level, max_units)
	SELECT w.id, z.id,
	       format('%s-%s-%s-%s', zc, lpad(a::text, aisle_w, '0'),
		      lpad(b::text, 2, '0'), l),
	       CASE WHEN zc IN ('A', 'B') AND l <= 2 THEN 'pick' ELSE 'storage' END::wharf.location_kind,
	       a * 1000 + (CASE WHEN a % 2 = 1 THEN b ELSE 21 - b END) * 10 + l,
	       a, b, l,
	       CASE WHEN zc IN ('A', 'B') AND l <= 2 THEN 400 ELSE 5000 END
	FROM wharf.warehouse w
	CROSS JOIN generate_series(1, aisles) AS a
	CROSS JOIN LATERAL (SELECT CASE WHEN a <= 3 * scale THEN 'A'
					WHEN a <= 6 * scale THEN 'B'
					ELSE 'R' END AS zc) zz
	JOIN wharf.zone z ON z.warehouse_id = w.id AND z.code = zz.zc
	CROSS JOIN generate_series(1, 20) AS b
	CROSS JOIN generate_series(1, 5) AS l;

	INSERT INTO wharf.location (warehouse_id, zone_id, code, kind, walk_seq)
	SELECT w.id, z.id, s.code, s.kind::wharf.location_kind, s.seq
	FROM wharf.warehouse w
	CROSS JOIN (VALUES ('RCV-01', 'receiving', 'D', 0), ('RCV-02', 'receiving', 'D', 1),
			   ('Q-01', 'quarantine', 'Q', 900000), ('Q-02', 'quarantine', 'Q', 900001),
			   ('PACK-01', 'pack', 'D', 990001), ('PACK-02', 'pack', 'D', 990002),
			   ('PACK-03', 'pack', 'D', 990003), ('PACK-04', 'pack', 'D', 990004),
			   ('SHIP-01', 'ship', 'D', 999000),
			   ('TRANSIT-01', 'transit', 'D', 999500)) AS s(code, kind, zone, seq)
	JOIN wharf.zone z ON z.warehouse_id = w.id AND z.code = s.zone;

	-- Totes are locations too, so picked units stay on the ledger.
	INSERT INTO wharf.location (warehouse_id, zone_id, code, kind, walk_seq)
	SELECT w.id, z.id, format('T%s', lpad(t::text, 4, '0')), 'tote', 0
	FROM wharf.warehouse w
	JOIN wharf.zone z ON z.warehouse_id = w.id AND z.code = 'T'
	CROSS JOIN generate_series(1, 40 * scale) AS t;
	INSERT INTO wharf.tote (warehouse_id, code, location_id, slots)
	SELECT warehouse_id, code, id, 8 FROM wharf.location WHERE kind = 'tote';

	-- SKUs, five families with their own lot rules:
	-- 0 infant formula (FEFO, 720 d, 180 d must remain), 1 cosmetics
	-- (FEFO, 1095/90), 2 snacks (FEFO, 270/30), 3 apparel (no lots),
	-- 4 phone accessories (FIFO by receipt).
	INSERT INTO wharf.sku (code, name, name_zh, lot_control, shelf_life_days,
			       min_remaining_days, weight_g, length_mm, width_mm,
			       height_mm)
	SELECT format('SKU-%s', lpad(i::text, 6, '0')),
	       format('%s %s %s', b.en, p.en, v.en),
	       format('%s%s %s', b.zh, p.zh, v.zh),
	       (ARRAY['fefo', 'fefo', 'fefo', 'none', 'fifo'])[fam + 1]::wharf.lot_control,
	       (ARRAY[720, 1095, 270, NULL, NULL])[fam + 1],
	       (ARRAY[180, 90, 30, 0, 0])[fam + 1],
	       (ARRAY[900, 150, 250, 300, 60])[fam + 1] + wharf_demo.pick('w' || i, 100),
	       (ARRAY[200, 120, 220, 300, 150])[fam + 1],
	       (ARRAY[130, 50, 150, 250, 80])[fam + 1],
	       (ARRAY[130, 50, 60, 30, 20])[fam + 1]
	FROM generate_series(1, nskus) AS i
	CROSS JOIN LATERAL (SELECT i % 5 AS fam) f
	CROSS JOIN LATERAL (
		SELECT (ARRAY[
			ARRAY['Aptamil', 'Friso', 'Feihe', 'a2', 'Wyeth', 'Junlebao'],
			ARRAY['Shiseido', 'Estee Lauder', 'Proya', 'Lancome', 'Pechoin', 'Winona'],
			ARRAY['Three Squirrels', 'BeStore', 'Oreo', 'Lays', 'Want Want', 'Haoliyou'],
			ARRAY['Uniqlo', 'Anta', 'Li-Ning', 'Semir', 'Bosideng', 'Peacebird'],
			ARRAY['Anker', 'Baseus', 'Ugreen', 'Xiaomi', 'Huawei', 'Pisen']])[fam + 1][1 + wharf_demo.pick('b' || i, 6)] AS en,
		       (ARRAY[
			ARRAY['爱他美', '美素佳儿', '飞鹤', 'a2', '惠氏', '君乐宝'],
			ARRAY['资生堂', '雅诗兰黛', '珀莱雅', '兰蔻', '百雀羚', '薇诺娜'],
			ARRAY['三只松鼠', '良品铺子', '奥利奥', '乐事', '旺旺', '好丽友'],
			ARRAY['优衣库', '安踏', '李宁', '森马', '波司登', '太平鸟'],
			ARRAY['安克', '倍思', '绿联', '小米', '华为', '品胜']])[fam + 1][1 + wharf_demo.pick('b' || i, 6)] AS zh
	) b
	CROSS JOIN LATERAL (
		SELECT (ARRAY['Infant Formula', 'Face Cream', 'Mixed Nuts', 'T-Shirt', 'USB-C Cable'])[fam + 1] AS en,
		       (ARRAY['婴儿配方奶粉', '面霜', '每日坚果', 'T恤', 'USB-C数据线'])[fam + 1] AS zh
	) p
	CROSS JOIN LATERAL (
		SELECT (ARRAY[
			ARRAY['Stage 1 800g', 'Stage 2 800g', 'Stage 3 800g', 'Stage 1 400g'],
			ARRAY['50ml', '30ml', 'Night 50ml', 'Travel 15ml'],
			ARRAY['750g', 'Gift Box 1.2kg', '30 Packs', 'Family 500g'],
			ARRAY['White M', 'Black L', 'Grey XL', 'Navy S'],
			ARRAY['1m 60W', '2m 100W', '0.5m', 'Braided 1.5m']])[fam + 1][1 + wharf_demo.pick('v' || i, 4)] AS en,
		       (ARRAY[
			ARRAY['1段 800克', '2段 800克', '3段 800克', '1段 400克'],
			ARRAY['50毫升', '30毫升', '晚霜 50毫升', '旅行装 15毫升'],
			ARRAY['750克', '礼盒 1.2千克', '30袋', '家庭装 500克'],
			ARRAY['白色 M', '黑色 L', '灰色 XL', '藏青 S'],
			ARRAY['1米 60W', '2米 100W', '0.5米', '编织 1.5米']])[fam + 1][1 + wharf_demo.pick('v' || i, 4)] AS zh
	) v;

	-- EAN-13 under the 690 (China) prefix, and a case GTIN-14 (indicator
	-- 1) for everything but apparel, which has an internal code instead.
	INSERT INTO wharf.barcode (code, sku_id, pack_qty, kind)
	SELECT g || wharf_demo.check_digit(g), s.id, 1, 'gtin'
	FROM wharf.sku s
	CROSS JOIN LATERAL (SELECT '690' || lpad(s.id::text, 9, '0') AS g) x;
	INSERT INTO wharf.barcode (code, sku_id, pack_qty, kind)
	SELECT g || wharf_demo.check_digit(g), s.id,
	       CASE WHEN s.id % 2 = 0 THEN 12 ELSE 24 END, 'case'
	FROM wharf.sku s
	CROSS JOIN LATERAL (SELECT '1690' || lpad(s.id::text, 9, '0') AS g) x
	WHERE s.lot_control <> 'none';
	INSERT INTO wharf.barcode (code, sku_id, pack_qty, kind)
	SELECT s.code, s.id, 1, 'internal' FROM wharf.sku s
	WHERE s.lot_control = 'none';

	-- Three lots per lot-controlled SKU. FEFO expiries spread from 90
	-- days before the reference date to a full shelf life after it, so
	-- some lots are expired, some are inside their ship-by window.
	INSERT INTO wharf.lot (sku_id, lot_code, expiry, produced, first_received_at)
	SELECT s.id,
	       format('L%s%s', to_char(prod, 'YYMMDD'), chr(65 + k)),
	       exp, prod,
	       (least(prod + 5 + wharf_demo.pick('r' || s.id || k, 20), ref - 1)
		+ time '09:00')::timestamptz
	FROM wharf.sku s
	CROSS JOIN generate_series(0, 2) AS k
	CROSS JOIN LATERAL (
		SELECT CASE WHEN s.lot_control = 'fefo'
			    THEN ref - 90 + wharf_demo.pick('e' || s.id || k, s.shelf_life_days + 90)
		       END AS exp) e
	CROSS JOIN LATERAL (
		SELECT CASE WHEN s.lot_control = 'fefo' THEN exp - s.shelf_life_days
			    ELSE ref - 30 - wharf_demo.pick('p' || s.id || k, 400)
		       END AS prod) pr
	WHERE s.lot_control <> 'none';

	-- Bins numbered per warehouse and kind, so a hash picks one cheaply.
	CREATE TEMP TABLE demo_bin ON COMMIT DROP AS
	SELECT id, warehouse_id, kind,
	       row_number() OVER (PARTITION BY warehouse_id, kind ORDER BY walk_seq) - 1 AS rn,
	       count(*) OVER (PARTITION BY warehouse_id, kind) AS cnt
	FROM wharf.location WHERE kind IN ('pick', 'storage');
	CREATE INDEX ON demo_bin (warehouse_id, kind, rn);
	ANALYZE demo_bin;

	CREATE TEMP TABLE demo_put ON COMMIT DROP AS
	WITH bins AS (
		SELECT warehouse_id, kind, count(*)::int AS cnt
		FROM demo_bin GROUP BY 1, 2
	), units AS MATERIALIZED (
		-- One stock unit per (warehouse, sku, lot): every SKU in
		-- Shanghai, two in three also in Hangzhou. Its bins are
		-- chosen here, so the joins below are plain equalities.
		SELECT w.id AS wh, w.code AS whc, s.id AS sku, l.id AS lot,
		       l.expiry, coalesce(l.first_received_at,
					  (ref - 60 + time '09:00')::timestamptz) AS recv_at,
		       k.key,
		       wharf_demo.pick('bf' || s.id, fb.cnt) AS face_rn,
		       wharf_demo.pick('br' || k.key, rb.cnt) AS reserve_rn
		FROM wharf.sku s
		LEFT JOIN wharf.lot l ON l.sku_id = s.id
		CROSS JOIN wharf.warehouse w
		CROSS JOIN LATERAL (SELECT s.id::text || ':' || coalesce(l.id::text, '-')
					   || ':' || w.code AS key) k
		JOIN bins fb ON fb.warehouse_id = w.id AND fb.kind = 'pick'
		JOIN bins rb ON rb.warehouse_id = w.id AND rb.kind = 'storage'
		WHERE w.code = 'SH' OR s.id % 3 <> 0
	)
	SELECT u.*, u.expiry IS NOT NULL AND u.expiry < ref AS expired,
	       20 + wharf_demo.pick('qf' || u.key, 80) AS face_qty,
	       wharf_demo.pick('qr' || u.key, 3) * 120 AS reserve_qty,
	       wharf_demo.pick('hs' || u.key, 30) AS shipped_qty,
	       f.id AS face_loc, r.id AS reserve_loc, q.id AS quarantine_loc,
	       d.id AS dock_loc
	FROM units u
	JOIN demo_bin f ON f.warehouse_id = u.wh AND f.kind = 'pick' AND f.rn = u.face_rn
	JOIN demo_bin r ON r.warehouse_id = u.wh AND r.kind = 'storage' AND r.rn = u.reserve_rn
	JOIN wharf.location q ON q.warehouse_id = u.wh AND q.code = 'Q-01'
	JOIN wharf.location d ON d.warehouse_id = u.wh AND d.code = 'RCV-01';

	-- Receipts land on the dock and are put away the same day; expired
	-- lots go to quarantine instead of a pick face.
	INSERT INTO wharf.stock_move (created_at, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty, reason)
	SELECT recv_at, wh, 'receive', sku, lot, NULL, dock_loc,
	       face_qty + reserve_qty + shipped_qty, 'demo receipt'
	FROM demo_put ORDER BY recv_at, key;
	INSERT INTO wharf.stock_move (created_at, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty)
	SELECT recv_at + interval '2 hours', wh, 'putaway', sku, lot, dock_loc,
	       CASE WHEN expired THEN quarantine_loc ELSE face_loc END,
	       face_qty + shipped_qty
	FROM demo_put ORDER BY recv_at, key;
	INSERT INTO wharf.stock_move (created_at, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty)
	SELECT recv_at + interval '3 hours', wh, 'putaway', sku, lot, dock_loc,
	       CASE WHEN expired THEN quarantine_loc ELSE reserve_loc END, reserve_qty
	FROM demo_put WHERE reserve_qty > 0 ORDER BY recv_at, key;
	-- Past orders shipped from the pick faces.
	INSERT INTO wharf.stock_move (created_at, warehouse_id, kind, sku_id, lot_id,
				      from_location_id, to_location_id, qty, reason)
	SELECT least(recv_at + interval '7 days', ref - 1 + time '17:00'), wh,
	       'ship', sku, lot, CASE WHEN expired THEN quarantine_loc ELSE face_loc END,
	       NULL, shipped_qty, 'demo history'
	FROM demo_put WHERE shipped_qty > 0 ORDER BY recv_at, key;

	INSERT INTO wharf.sku_warehouse (sku_id, warehouse_id, safety_stock,
					 pick_face_min, pick_face_max)
	SELECT DISTINCT sku, wh, 10 + wharf_demo.pick('ss' || sku, 40), 20, 200
	FROM demo_put;

	INSERT INTO wharf.app_user (login, badge, display_name, role, pin_hash, language,
				    home_warehouse_id)
	SELECT u.login, u.badge, u.name, u.role::wharf.user_role,
	       crypt('1234', gen_salt('bf', 6)), u.lang,
	       (SELECT id FROM wharf.warehouse WHERE code = 'SH')
	FROM (VALUES
		('admin', 'U0001', '管理员 Admin', 'admin', 'en'),
		('lead', 'U0002', '陈主管 Chen (supervisor)', 'supervisor', 'zh_CN'),
		('picker1', 'U1001', '王芳 Wang Fang', 'picker', 'zh_CN'),
		('picker2', 'U1002', '李娜 Li Na', 'picker', 'zh_CN'),
		('picker3', 'U1003', 'Tom Baker', 'picker', 'en'),
		('packer1', 'U2001', '张伟 Zhang Wei', 'packer', 'zh_CN'),
		('packer2', 'U2002', 'Maria Silva', 'packer', 'en'),
		('receiver1', 'U3001', '刘洋 Liu Yang', 'receiver', 'zh_CN'),
		('receiver2', 'U3002', 'Sam Lee', 'receiver', 'en')
	) AS u(login, badge, name, role, lang);

	INSERT INTO wharf.station (code, warehouse_id, kind)
	SELECT w.code || '-' || s.code, w.id, s.kind
	FROM wharf.warehouse w
	CROSS JOIN (VALUES ('HH-01', 'handheld'), ('HH-02', 'handheld'),
			   ('HH-03', 'handheld'), ('HH-04', 'handheld'),
			   ('PACK-01', 'pack'), ('PACK-02', 'pack'),
			   ('SUP-01', 'supervisor')) AS s(code, kind);

	-- One shop per platform. The Tmall baby shop demands more remaining
	-- shelf life than the SKU rule; every shop keeps a small buffer.
	INSERT INTO wharf.shop (code, platform, name, warehouse_id, app_key,
				credentials_ref, min_remaining_days, stock_buffer)
	SELECT s.code, s.platform::wharf.platform, s.name,
	       (SELECT id FROM wharf.warehouse WHERE code = s.wh),
	       'demo-' || lower(s.code), 'demo:' || lower(s.code), s.minrem, s.buffer
	FROM (VALUES
		('TB-FLAGSHIP', 'taobao', '淘宝 宝贝优选旗舰店', 'SH', NULL, 2),
		('TM-BABY', 'tmall', '天猫 母婴专营店', 'SH', 240, 5),
		('JD-SELF', 'jd', '京东 自营旗舰店', 'SH', NULL, 3),
		('PDD-MAIN', 'pdd', '拼多多 百货专营店', 'SH', NULL, 0),
		('DY-LIVE', 'douyin', '抖音 直播间小店', 'HZ', NULL, 2),
		('AMZ-US', 'amazon', 'Amazon US Store', 'HZ', NULL, 5),
		('SHOPIFY', 'shopify', 'Shopify Global Store', 'HZ', NULL, 1),
		('WOO-EU', 'woocommerce', 'WooCommerce EU Shop', 'HZ', NULL, 1)
	) AS s(code, platform, name, wh, minrem, buffer);
	INSERT INTO wharf.shop_sku (shop_id, outer_code, sku_id, platform_item_id,
				    platform_sku_id)
	SELECT sh.id, s.code, s.id, (1000000 + s.id)::text, (5000000 + s.id)::text
	FROM wharf.shop sh CROSS JOIN wharf.sku s;
	INSERT INTO wharf.sync_health (shop_id) SELECT id FROM wharf.shop;

	INSERT INTO wharf.supplier (code, name) VALUES
		('SUP-NUTRI', '上海营养品贸易有限公司'), ('SUP-BEAUTY', '广州美妆供应链'),
		('SUP-FOOD', '杭州食品批发'), ('SUP-TEXTILE', '宁波纺织服装'),
		('SUP-ELEC', '深圳电子配件');
	INSERT INTO wharf.purchase_order (warehouse_id, supplier_id, po_no, expected_at)
	SELECT (SELECT id FROM wharf.warehouse WHERE code = CASE WHEN p % 3 = 0 THEN 'HZ' ELSE 'SH' END),
	       (SELECT id FROM wharf.supplier ORDER BY id OFFSET p % 5 LIMIT 1),
	       format('PO-%s-%s', to_char(ref, 'YYMM'), lpad(p::text, 5, '0')),
	       ref + 1 + p % 14
	FROM generate_series(1, 10 * scale) AS p;
	INSERT INTO wharf.po_line (po_id, sku_id, qty_ordered, unit_cost_minor)
	SELECT DISTINCT ON (po.id, s.id) po.id, s.id,
	       24 * (1 + wharf_demo.pick('po' || po.id || k, 10)),
	       500 + wharf_demo.pick('pc' || po.id || k, 20000)
	FROM wharf.purchase_order po
	CROSS JOIN generate_series(1, 3 + po.id::int % 5) AS k
	JOIN wharf.sku s ON s.id = 1 + wharf_demo.pick('ps' || po.id || k, nskus)
	       AND s.id % 5 = (po.supplier_id - 1) % 5;

	PERFORM wharf_demo.seed_orders(scale, ref);
END $$;

-- New, unallocated orders from every shop, with the buyer data each
-- platform gives: Chinese names and addresses for the Chinese platforms,
-- English ones for the global stores.
CREATE OR REPLACE FUNCTION wharf_demo.seed_orders(scale int, ref date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	nskus int := (SELECT count(*) FROM wharf.sku);
BEGIN
	INSERT INTO wharf.sales_order (warehouse_id, shop_id, platform_order_id,
		state, platform_status, priority, carrier, cutoff_at, buyer_nick,
		receiver_name, receiver_phone, province, city, district, address,
		zip, country, currency, paid_at, platform_created_at,
		platform_modified_at)
	SELECT sh.warehouse_id, sh.id,
	       CASE sh.platform
		WHEN 'taobao' THEN (3000000000000000000 + wharf_demo.h('o' || n) % 999999999999999)::text
		WHEN 'tmall' THEN (4000000000000000000 + wharf_demo.h('o' || n) % 999999999999999)::text
		WHEN 'jd' THEN (280000000000 + wharf_demo.h('o' || n) % 9999999999)::text
		WHEN 'pdd' THEN to_char(ref, 'YYMMDD') || '-' || lpad((wharf_demo.h('o' || n) % 999999999999999)::text, 15, '0')
		WHEN 'douyin' THEN (6900000000000000000 + wharf_demo.h('o' || n) % 999999999999999)::text
		WHEN 'amazon' THEN format('113-%s-%s', lpad((wharf_demo.h('a' || n) % 10000000)::text, 7, '0'),
					  lpad((wharf_demo.h('b' || n) % 10000000)::text, 7, '0'))
		WHEN 'shopify' THEN (5400000000000 + n)::text
		ELSE (10000 + n)::text
	       END,
	       'new', CASE sh.platform WHEN 'taobao' THEN 'WAIT_SELLER_SEND_GOODS'
			WHEN 'tmall' THEN 'WAIT_SELLER_SEND_GOODS'
			WHEN 'jd' THEN 'WAIT_SELLER_STOCK_OUT' WHEN 'pdd' THEN '1'
			WHEN 'douyin' THEN '2' WHEN 'amazon' THEN 'Unshipped'
			WHEN 'shopify' THEN 'paid' ELSE 'processing' END,
	       wharf_demo.pick('pri' || n, 3),
	       CASE WHEN sh.platform IN ('amazon', 'shopify', 'woocommerce')
		    THEN (ARRAY['UPS', 'DHL', 'FedEx'])[1 + wharf_demo.pick('c' || n, 3)]
		    ELSE (ARRAY['SF', 'ZTO', 'YTO', 'JD'])[1 + wharf_demo.pick('c' || n, 4)] END,
	       (ref + time '16:00')::timestamptz,
	       CASE WHEN cn THEN 't***' || wharf_demo.pick('nick' || n, 999) END,
	       CASE WHEN cn
		    THEN (ARRAY['张', '王', '李', '赵', '陈', '刘', '杨', '黄'])[1 + wharf_demo.pick('fn' || n, 8)]
			 || (ARRAY['伟', '芳', '娜', '敏', '静', '磊', '洋', '婷'])[1 + wharf_demo.pick('gn' || n, 8)]
		    ELSE (ARRAY['Emma', 'Liam', 'Olivia', 'Noah', 'Sophia', 'Lucas'])[1 + wharf_demo.pick('fn' || n, 6)]
			 || ' ' || (ARRAY['Smith', 'Johnson', 'Müller', 'García', 'Rossi', 'Martin'])[1 + wharf_demo.pick('gn' || n, 6)]
	       END,
	       CASE WHEN cn THEN '138****' || lpad(wharf_demo.pick('ph' || n, 9999)::text, 4, '0')
		    ELSE '+1-555-' || lpad(wharf_demo.pick('ph' || n, 9999)::text, 4, '0') END,
	       CASE WHEN cn THEN (ARRAY['浙江省', '上海市', '广东省', '江苏省', '北京市'])[1 + r5]
		    ELSE (ARRAY['CA', 'NY', 'Bayern', 'Île-de-France', 'TX'])[1 + r5] END,
	       CASE WHEN cn THEN (ARRAY['杭州市', '上海市', '深圳市', '南京市', '北京市'])[1 + r5]
		    ELSE (ARRAY['San Jose', 'Brooklyn', 'München', 'Paris', 'Austin'])[1 + r5] END,
	       CASE WHEN cn THEN (ARRAY['余杭区', '浦东新区', '南山区', '鼓楼区', '朝阳区'])[1 + r5] END,
	       CASE WHEN cn
		    THEN (ARRAY['文一西路969号 阿里巴巴西溪园区', '世纪大道100号 环球金融中心', '科技园南区 深南大道10000号',
				'中山路321号 新街口百货', '建国路87号 华贸中心'])[1 + r5]
			 || wharf_demo.pick('rm' || n, 30) || '栋' || (100 + wharf_demo.pick('rn' || n, 2000)) || '室'
		    ELSE (100 + wharf_demo.pick('st' || n, 9000))::text || ' '
			 || (ARRAY['Market St', 'Atlantic Ave', 'Leopoldstraße', 'Rue de Rivoli', 'Congress Ave'])[1 + r5] END,
	       CASE WHEN cn THEN (ARRAY['311121', '200120', '518057', '210008', '100022'])[1 + r5]
		    ELSE (ARRAY['95113', '11217', '80802', '75001', '78701'])[1 + r5] END,
	       CASE WHEN cn THEN 'CN' ELSE (ARRAY['US', 'US', 'DE', 'FR', 'US'])[1 + r5] END,
	       CASE WHEN sh.platform = 'amazon' OR sh.platform = 'shopify' THEN 'USD'
		    WHEN sh.platform = 'woocommerce' THEN 'EUR' ELSE 'CNY' END,
	       (ref - 1 + time '20:00')::timestamptz + make_interval(mins => n % 600),
	       (ref - 1 + time '19:55')::timestamptz + make_interval(mins => n % 600),
	       (ref - 1 + time '20:00')::timestamptz + make_interval(mins => n % 600)
	FROM generate_series(1, 60 * scale) AS n
	JOIN wharf.shop sh ON sh.id = 1 + (n - 1) % 8
	CROSS JOIN LATERAL (SELECT sh.platform NOT IN ('amazon', 'shopify', 'woocommerce') AS cn,
				   wharf_demo.pick('addr' || n, 5) AS r5) c;

	INSERT INTO wharf.order_line (order_id, line_no, platform_line_id, sku_id,
				      platform_sku, title, qty, unit_price_minor)
	SELECT o.id, k, o.platform_order_id || '-' || k, s.id, s.code,
	       CASE WHEN o.currency = 'CNY' THEN s.name_zh ELSE s.name END,
	       1 + wharf_demo.pick('q' || o.id || k, 3) / 2,
	       990 + wharf_demo.pick('pr' || s.id, 30000)
	FROM wharf.sales_order o
	CROSS JOIN generate_series(1, 1 + wharf_demo.pick('lines' || o.id, 3)) AS k
	JOIN wharf.sku s ON s.id = 1 + wharf_demo.pick('sku' || o.id || k, nskus);

	UPDATE wharf.sales_order o SET total_minor = t.total
	FROM (SELECT order_id, sum(qty * unit_price_minor) AS total
	      FROM wharf.order_line GROUP BY order_id) t
	WHERE t.order_id = o.id;
END $$;
