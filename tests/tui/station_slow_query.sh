#!/bin/sh
# A slow query never freezes the station: while another session holds an
# exclusive lock on wharf.pick_task, the Pick screen's claim waits on the
# server, the spinner turns in the top-right corner after 300 ms, and keys
# are still handled (Esc leaves the waiting screen; its answer, arriving
# later, is dropped). Once the lock goes, the claim completes and the
# screen shows the task. The ledger is intact at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
APP="wharf_slowlock_$$"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin)

# lock_table: holds the lock from a background psql until unlock_table.
lock_table() {
	PGAPPNAME=$APP psql "$CONN" -Xq -c "BEGIN; LOCK TABLE wharf.pick_task \
IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)" >/dev/null 2>&1 &
	i=0
	while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a \
USING (pid) WHERE a.application_name = '$APP' AND l.granted AND \
l.mode = 'AccessExclusiveLock'")" = 0 ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ $i -lt 200 ] || fail "no lock"
}

unlock_table() {
	q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE \
application_name = '$APP'" >/dev/null
	wait || true
}

# blocked: a station backend is waiting for the lock right now.
blocked() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = \
current_database() AND wait_event_type = 'Lock' AND application_name <> \
'$APP'")" != 0 ]
}

# wait_spinner: the top row ends with a spinner character.
wait_spinner() {
	i=0
	while [ $i -lt 200 ]; do
		if $T capture-pane -p | head -n 1 | grep -q '[-|/\\]$'; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "no spinner"
}

wait_no_spinner() {
	i=0
	while [ $i -lt 200 ]; do
		if ! $T capture-pane -p | head -n 1 | grep -q '[-|/\\]$'; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "the spinner stays"
}

start 20 16 "$(station --lang en)"
login U1003 1234
wait_for "Main menu"

# 1. the claim waits; the spinner turns; the screen completes afterwards
lock_table
keys 1
wait_for "Finding a task"
wait_spinner
blocked || fail "the claim is not waiting for the lock"
unlock_table
wait_for "Go to $bin1"
wait_no_spinner

# 2. keys are handled while a call waits: Esc leaves the screen whose
#    answer is still due (the loop forgets the call, and the spinner with
#    it); the answer is dropped when it comes
keys Escape
wait_for "Main menu"
lock_table
keys 1
wait_for "Finding a task"
wait_spinner
keys Escape
wait_for "Main menu"
blocked || fail "the claim stopped waiting before the lock went"
unlock_table
i=0
while blocked && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ $i -lt 200 ] || fail "the claim still waits"
keys 1
wait_for "Go to $bin1"
keys Escape
wait_for "Main menu"
[ "$(task_field 1 state)" = claimed ] || fail "task 1 not claimed"

# 3. SIGTERM while a call waits: the station waits for the call, logs out
#    and joins its worker; a clean exit (no sanitizer report on stderr)
lock_table
keys 1
wait_for "Finding a task"
wait_spinner
pid=$(pgrep -P "$($T display -p '#{pane_pid}')" | head -n 1)
[ -n "$pid" ] || fail "no station process"
kill -TERM "$pid"
blocked || fail "the claim is not waiting for the lock"
unlock_table
wait_for "STATION-EXITED-0"
[ ! -s "/tmp/$SOCK.err" ] || fail "stderr: $(cat "/tmp/$SOCK.err")"
[ "$(q "SELECT count(*) FROM wharf.audit_log WHERE action = 'logout' \
AND detail->>'reason' = 'exit'")" = 1 ] || fail "no logout on exit"
verify
echo ok
