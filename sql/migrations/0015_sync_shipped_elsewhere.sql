-- 0015_sync_shipped_elsewhere.sql: an order the platform reports shipped
-- while wharf still has it on the floor is stopped, never shipped twice.
--
-- 0005's sync_upsert_order turned a platform "shipped" (the seller sent it
-- from another warehouse, or by hand) into an exception only while the
-- order was new or on hold. Once allocated, released, picked or packed it
-- stayed in the flow: a picker would pick it, a packer pack it and ship
-- it a second time. Now such an order is intercepted like a cancellation
-- (its stock released, picked units sent back to their bins, the stations
-- told), with the platform status as the reason.

ALTER FUNCTION wharf.sync_upsert_order(bigint, jsonb, jsonb)
	RENAME TO _sync_upsert_order_0005;

-- sync_upsert_order(shop, order, raw): as in 0005, then the rule above.
CREATE FUNCTION wharf.sync_upsert_order(p_shop bigint, p_order jsonb,
					p_raw jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_res jsonb;
	o record;
	v_status text;
BEGIN
	v_res := wharf._sync_upsert_order_0005(p_shop, p_order, p_raw);
	IF v_res->>'action' <> 'updated'
	   OR p_order->>'error' IS NOT NULL
	   OR coalesce(p_order->>'state', '') NOT IN ('SHIPPED', 'COMPLETED') THEN
		RETURN v_res;
	END IF;
	SELECT id, state, intercepted_at INTO o FROM wharf.sales_order
	WHERE id = (v_res->>'order_id')::bigint;
	IF o.intercepted_at IS NOT NULL
	   OR o.state NOT IN ('partially_allocated', 'allocated', 'released',
			      'picking', 'picked', 'packed') THEN
		RETURN v_res;
	END IF;
	v_status := left(coalesce(p_order->>'status_raw', p_order->>'state'),
			 200);
	PERFORM wharf.intercept(o.id, 'shipped outside wharf: ' || v_status,
				gen_random_uuid(), NULL, NULL);
	RETURN v_res || jsonb_build_object('intercepted', true, 'state',
		(SELECT state FROM wharf.sales_order WHERE id = o.id));
END $$;
