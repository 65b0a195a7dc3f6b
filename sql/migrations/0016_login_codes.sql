-- 0016_login_codes.sql: the login refusals get reason codes, so the station
-- can show them in the user's language.
--
-- 0003's wharf.login and wharf.logout raised bare English ('wrong PIN (4 of
-- 5 tries left)'). Every other refusal of the database reads 'CODE: words'
-- (0004_engine.sql), and the station translates those through the table
-- of ui/refusal.c; the badge/PIN screen, the one every shift starts on, was
-- the one place a Chinese floor user still got English. Now:
--
--	UNKNOWN_STATION    unknown station %               (login, logout)
--	UNKNOWN_BADGE      unknown badge or login: %
--	USER_INACTIVE      user % is not active
--	USER_LOCKED        user % is locked until %        (before the PIN)
--	WRONG_PIN          wrong PIN (% of % tries left)
--	WRONG_PIN          wrong PIN: user % is locked until %  (the fifth)
--	UNKNOWN_USER       unknown user %                  (logout)
--	BAD_LOGOUT_REASON  logout reason must be user, idle or exit  (logout)
--
-- The code only goes in front: the words after it are 0003's, letter for
-- letter, so a station that does not know a format yet (it drops the code
-- and shows the words) shows exactly what it showed before, and a reader
-- of the logs finds the same text. The fifth wrong PIN is WRONG_PIN, not
-- USER_LOCKED: the code says what this attempt did wrong (as the audit row
-- does, 'wrong pin'); its words say the user is now locked.
--
-- Nothing else changes: the same signatures (CREATE OR REPLACE keeps the
-- owner and grants), SQLSTATE P0001 and the HINT, the COMMIT before each
-- refusal, the failure count and lockout, the audit rows. The bodies are
-- 0003's but for the RAISE texts (and line breaks that the longer texts
-- need).

CREATE OR REPLACE PROCEDURE wharf.login(
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
		RAISE EXCEPTION 'UNKNOWN_STATION: unknown station %',
			coalesce(station_code, '')
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
		RAISE EXCEPTION 'UNKNOWN_BADGE: unknown badge or login: %',
			who
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
			RAISE EXCEPTION 'USER_INACTIVE: user % is not active',
				u.login
				USING ERRCODE = 'P0001';
		END IF;
		RAISE EXCEPTION 'USER_LOCKED: user % is locked until %',
			u.login,
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
			RAISE EXCEPTION
				'WRONG_PIN: wrong PIN: user % is locked until %',
				u.login,
				to_char(u.locked_until AT TIME ZONE wh.timezone,
					'YYYY-MM-DD HH24:MI')
				USING ERRCODE = 'P0001';
		END IF;
		RAISE EXCEPTION 'WRONG_PIN: wrong PIN (% of % tries left)',
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
CREATE OR REPLACE FUNCTION wharf.logout(user_id bigint,
					station_code text,
					reason text DEFAULT 'user')
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	sid bigint;
BEGIN
	SELECT s.id INTO sid FROM wharf.station s WHERE s.code = station_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'UNKNOWN_STATION: unknown station %',
			coalesce(station_code, '')
			USING ERRCODE = 'P0001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM wharf.app_user a WHERE a.id = user_id) THEN
		RAISE EXCEPTION 'UNKNOWN_USER: unknown user %', user_id
			USING ERRCODE = 'P0001';
	END IF;
	IF reason IS NULL OR reason NOT IN ('user', 'idle', 'exit') THEN
		RAISE EXCEPTION
			'BAD_LOGOUT_REASON: logout reason must be user, idle or exit'
			USING ERRCODE = 'P0001';
	END IF;
	UPDATE wharf.station s SET last_seen_at = now() WHERE s.id = sid;
	INSERT INTO wharf.audit_log (user_id, station_id, action, entity,
				     entity_id, detail)
	VALUES (logout.user_id, sid, 'logout', 'app_user', logout.user_id,
		jsonb_build_object('reason', reason));
END;
$$;
