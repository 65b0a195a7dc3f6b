#!/bin/sh
# A station started with --sync runs the platform sync itself: with only
# its login screen open, the simulator's orders arrive in the database
# and every shop's sync health turns successful; leaving the station
# stops the loop cleanly. Waits poll; nothing asserts on time.
#
#   station_sync.sh WHARF SIM
set -eu
wharf=$1
sim=$2
db=t_station_sync_$$
ci="$WHARF_TEST_PG dbname=$db"
tmp=$(mktemp -d /tmp/wharf-station-sync-XXXXXX)
sock=stsync-$$
simpid=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null || true
	wait 2>/dev/null || true
	psql -qX "$WHARF_TEST_PG" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() {
	echo "station_sync: FAIL: $*"
	tail -n 30 "$tmp/sync.log" 2>/dev/null || true
	tmux -L "$sock" capture-pane -p 2>/dev/null || true
	exit 1
}
q() { psql -qtAX -v ON_ERROR_STOP=1 "$ci" -c "$1"; }
# Polls (up to ~60 s) until the SQL in $1 answers $2.
wait_q() {
	i=0
	until [ "$(q "$1")" = "$2" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && fail "waited for '$1' = $2, have $(q "$1")"
		sleep 0.1
	done
}

"$sim" --port 0 --seed 11 --skus 40 --cancel-rate 0 --refund-rate 0 \
	--rate-limit-scale 20 >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
i=0
until grep -q "^LISTENING " "$tmp/sim.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "the simulator did not start"; sleep 0.1
done
base="http://$(sed -n 's/^LISTENING //p' "$tmp/sim.out")"

psql -qX -v ON_ERROR_STOP=1 "$WHARF_TEST_PG" -c "CREATE DATABASE $db" >/dev/null
"$wharf" db --db "$ci" migrate >/dev/null
"$wharf" db --db "$ci" seed --demo >/dev/null
q "UPDATE wharf.shop SET api_base_url = '$base/' || code;
   DELETE FROM wharf.shop_sku WHERE outer_code > 'SKU-000040'" >/dev/null
curl -sSf -X POST -d '{"shop":"*","count":5,"state":"paid"}' \
	"$base/_sim/orders" >/dev/null

# The station's sanitizer reports go to files: its stderr is tmux's.
tmux -L "$sock" new-session -d -x 80 -y 24 \
	"ASAN_OPTIONS=detect_leaks=1:log_path=$tmp/asan $wharf --db '$ci' --station SH-HH-01 --lang en --sync $tmp/sync.log; echo \"exit \$?\" > $tmp/exit; sleep 5"
wait_q "SELECT count(*) FROM wharf.sales_order WHERE raw IS NOT NULL" 40
wait_q "SELECT count(*) FROM wharf.sync_health WHERE last_success_at IS NOT NULL" 8
tmux -L "$sock" capture-pane -p | grep -q "Badge" || fail "no login screen"

tmux -L "$sock" send-keys F10
i=0
until [ -s "$tmp/exit" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && fail "the station did not exit"; sleep 0.1
done
grep -q "exit 0" "$tmp/exit" || fail "the station exited $(cat "$tmp/exit")"
if ls "$tmp"/asan* >/dev/null 2>&1; then cat "$tmp"/asan*; fail "sanitizer report"; fi
grep -q "leader" "$tmp/sync.log" || fail "the sync log never mentions leadership"
"$wharf" db --db "$ci" verify >/dev/null || fail "verify"
echo "station --sync: 40 orders from 8 shops, clean exit"
