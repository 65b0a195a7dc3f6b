-- 0017_outbox_order.sql: a newer stock level never overtakes an older one
-- that is still on its way to the platform.
--
-- sync_enqueue_stock (0005) supersedes a SKU's pending 'stock_set' row
-- when the level changes again, and the ack of a superseded row changes
-- nothing. A row claimed (leased) by one process and then superseded was
-- still being pushed by it, while the new row could be claimed at once
-- by another: after a leader change, or with several sync workers, the
-- old level could reach the platform after the new one, and the platform
-- would keep it, with nothing to queue it again (the level in stock_push
-- already said the new one).
--
-- So a claim records how long the row is leased, and a stock_set row is
-- not claimed while an older row of the same shop and SKU is superseded
-- but still leased: it waits for that push to end (acked, failed or its
-- lease run out, the claimer being dead). An ack or a failure ends the
-- lease of a superseded row too; a superseded row is never pushed again.

ALTER TABLE wharf.outbox ADD COLUMN leased_until timestamptz;

-- Few rows at a time: only superseded pushes still under way.
CREATE INDEX outbox_stock_in_flight ON wharf.outbox (shop_id, sku_id)
	WHERE state = 'superseded' AND leased_until IS NOT NULL;

CREATE OR REPLACE FUNCTION wharf.sync_outbox_claim(p_shop bigint,
						   p_limit integer,
						   p_lease integer)
RETURNS TABLE (id bigint, kind text, order_id bigint, sku_id bigint,
	       payload jsonb, attempts integer)
LANGUAGE sql AS $$
	UPDATE wharf.outbox ob
	SET attempts = ob.attempts + 1,
	    next_attempt_at = now() + make_interval(secs => p_lease),
	    leased_until = now() + make_interval(secs => p_lease)
	WHERE ob.id IN (SELECT c.id FROM wharf.outbox c
			WHERE c.shop_id = p_shop AND c.state = 'pending'
			  AND c.next_attempt_at <= now()
			  AND NOT (c.kind = 'stock_set' AND EXISTS (
				SELECT 1 FROM wharf.outbox old
				WHERE old.shop_id = c.shop_id
				  AND old.sku_id = c.sku_id
				  AND old.state = 'superseded'
				  AND old.leased_until > now()
				  AND old.id < c.id))
			ORDER BY c.id LIMIT p_limit
			FOR UPDATE SKIP LOCKED)
	RETURNING ob.id, ob.kind, ob.order_id, ob.sku_id, ob.payload,
		  ob.attempts
$$;

CREATE OR REPLACE FUNCTION wharf.sync_outbox_ack(p_id bigint)
RETURNS void LANGUAGE sql AS $$
	UPDATE wharf.outbox SET
		state = CASE WHEN state = 'pending' THEN 'done' ELSE state END,
		acked_at = now(), leased_until = NULL,
		last_error = CASE WHEN state = 'pending' THEN NULL
				  ELSE last_error END
	WHERE id = p_id AND state IN ('pending', 'superseded')
$$;

-- As 0005 for a pending row; a superseded one only ends its lease.
CREATE OR REPLACE FUNCTION wharf.sync_outbox_fail(p_id bigint, p_error text,
						  p_permanent boolean)
RETURNS void LANGUAGE sql AS $$
	UPDATE wharf.outbox SET
		state = CASE WHEN state = 'superseded' THEN state
			     WHEN p_permanent OR attempts >= 20 THEN 'failed'
			     ELSE 'pending' END,
		last_error = left(p_error, 500),
		leased_until = NULL,
		next_attempt_at = CASE WHEN state = 'superseded'
				       THEN next_attempt_at
				       ELSE now() + make_interval(secs =>
					least(3600, 2 ^ least(attempts, 12))
					* (0.5 + random() / 2)) END
	WHERE id = p_id AND state IN ('pending', 'superseded')
$$;
