-- 0003_login.sql: station login by badge (or login name) and PIN, with
-- lockout, and logout. DESIGN.md section 9.
--
-- Rules kept here, not in the station, so every client gets them:
--   * a wrong PIN adds one to app_user.failed_logins; the fifth in a row
--     locks the user for 15 minutes (locked_until) and restarts the count;
--   * a locked user is refused even with the right PIN, and the PIN is not
--     even checked (a locked account tells nothing about a guess);
--   * a successful login resets the count and the lock;
--   * every attempt, good or bad, is in wharf.audit_log (never the PIN).
--
-- Why a procedure and not a function: a refused attempt must raise P0001
-- (the station shows the message) and yet keep its side effects (the
-- failure count and the audit row). An exception rolls back everything its
-- transaction did, so wharf.login COMMITs those effects before it raises.
-- Only a procedure may COMMIT, and only when CALLed outside a transaction
-- block; the very first statement is a COMMIT so that a CALL inside a
-- transaction block fails (SQLSTATE 2D000) before any PIN is checked:
-- nobody can probe PINs in a transaction they then roll back.
--
--	CALL wharf.login('U1001', '1234', 'SH-HH-01',
--			 NULL, NULL, NULL, NULL, NULL, NULL);
--	-> user_id, display_name, role, language, warehouse_id, warehouse_code

CREATE PROCEDURE wharf.login(
	badge_or_login text, pin text, station_code text,
	OUT user_id bigint, OUT display_name text, OUT role wharf.user_role,
	OUT language text, OUT warehouse_id bigint, OUT warehouse_code text)
LANGUAGE plpgsql AS $$
DECLARE
	max_failures CONSTANT integer := 5;
	lock_time CONSTANT interval := interval '15 minutes';
	st wharf.station%ROWTYPE;
	wh wharf.warehouse%ROWTYPE;
	u wharf.app_user%ROWTYPE;
	who text := left(coalesce(badge_or_login, ''), 64);
	failures integer;
	refusal text;
BEGIN
	COMMIT; -- 2D000 inside a transaction block: see the header

	SELECT * INTO st FROM wharf.station s WHERE s.code = station_code;
	IF NOT FOUND THEN
		INSERT INTO wharf.audit_log (action, entity, detail)
		VALUES ('login_refused', 'station',
			jsonb_build_object('who', who, 'reason', 'unknown station',
					   'station', left(coalesce(station_code, ''), 64)));
		COMMIT;
		RAISE EXCEPTION 'unknown station %', coalesce(station_code, '')
			USING ERRCODE = 'P0001';
	END IF;
	SELECT * INTO wh FROM wharf.warehouse w WHERE w.id = st.warehouse_id;
	UPDATE wharf.station s SET last_seen_at = now() WHERE s.id = st.id;

	-- Badge first (what the scanner reads), then the login name (typed).
	SELECT * INTO u FROM wharf.app_user a WHERE a.badge = who FOR UPDATE;
	IF NOT FOUND THEN
		SELECT * INTO u FROM wharf.app_user a WHERE a.login = who
		FOR UPDATE;
	END IF;
	IF NOT FOUND THEN
		INSERT INTO wharf.audit_log (station_id, action, entity, detail)
		VALUES (st.id, 'login_refused', 'app_user',
			jsonb_build_object('who', who, 'reason', 'unknown badge'));
		COMMIT;
		RAISE EXCEPTION 'unknown badge or login: %', who
			USING ERRCODE = 'P0001';
	END IF;

	IF NOT u.active THEN
		refusal := 'inactive';
	ELSIF u.locked_until IS NOT NULL AND u.locked_until > now() THEN
		refusal := 'locked';
	END IF;
	IF refusal IS NOT NULL THEN
		INSERT INTO wharf.audit_log (user_id, station_id, action,
					     entity, entity_id, detail)
		VALUES (u.id, st.id, 'login_refused', 'app_user', u.id,
			jsonb_build_object('who', who, 'reason', refusal,
					   'locked_until', u.locked_until));
		COMMIT;
		IF refusal = 'inactive' THEN
			RAISE EXCEPTION 'user % is not active', u.login
				USING ERRCODE = 'P0001';
		END IF;
		RAISE EXCEPTION 'user % is locked until %', u.login,
			to_char(u.locked_until AT TIME ZONE wh.timezone,
				'YYYY-MM-DD HH24:MI')
			USING ERRCODE = 'P0001',
			      HINT = 'too many wrong PINs; a supervisor can unlock';
	END IF;

	IF pin IS NULL OR pin = '' OR
	   public.crypt(pin, u.pin_hash) IS DISTINCT FROM u.pin_hash THEN
		failures := u.failed_logins + 1;
		IF failures >= max_failures THEN
			UPDATE wharf.app_user a
			SET failed_logins = 0, locked_until = now() + lock_time
			WHERE a.id = u.id
			RETURNING a.locked_until INTO u.locked_until;
		ELSE
			UPDATE wharf.app_user a SET failed_logins = failures
			WHERE a.id = u.id;
		END IF;
		INSERT INTO wharf.audit_log (user_id, station_id, action,
					     entity, entity_id, detail)
		VALUES (u.id, st.id, 'login_failed', 'app_user', u.id,
			jsonb_build_object('who', who, 'reason', 'wrong pin',
					   'failures', failures,
					   'locked_until', u.locked_until));
		COMMIT;
		IF failures >= max_failures THEN
			RAISE EXCEPTION 'wrong PIN: user % is locked until %',
				u.login,
				to_char(u.locked_until AT TIME ZONE wh.timezone,
					'YYYY-MM-DD HH24:MI')
				USING ERRCODE = 'P0001';
		END IF;
		RAISE EXCEPTION 'wrong PIN (% of % tries left)',
			max_failures - failures, max_failures
			USING ERRCODE = 'P0001';
	END IF;

	UPDATE wharf.app_user a SET failed_logins = 0, locked_until = NULL
	WHERE a.id = u.id;
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (u.id, st.id, 'login', 'app_user', u.id,
		jsonb_build_object('who', who));
	user_id := u.id;
	display_name := u.display_name;
	role := u.role;
	language := coalesce(u.language, 'en');
	warehouse_id := wh.id;
	warehouse_code := wh.code;
END;
$$;

-- Ends a session: reason is 'user' (logged out), 'idle' (the station's
-- idle timer) or 'exit' (the station closed). Audited; unknown user or
-- station raise P0001.
CREATE FUNCTION wharf.logout(user_id bigint, station_code text,
			     reason text DEFAULT 'user')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	sid bigint;
BEGIN
	SELECT s.id INTO sid FROM wharf.station s WHERE s.code = station_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown station %', coalesce(station_code, '')
			USING ERRCODE = 'P0001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.app_user a WHERE a.id = user_id) THEN
		RAISE EXCEPTION 'unknown user %', user_id
			USING ERRCODE = 'P0001';
	END IF;
	IF reason IS NULL OR reason NOT IN ('user', 'idle', 'exit') THEN
		RAISE EXCEPTION 'logout reason must be user, idle or exit'
			USING ERRCODE = 'P0001';
	END IF;
	UPDATE wharf.station s SET last_seen_at = now() WHERE s.id = sid;
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (logout.user_id, sid, 'logout', 'app_user', logout.user_id,
		jsonb_build_object('reason', reason));
END;
$$;
