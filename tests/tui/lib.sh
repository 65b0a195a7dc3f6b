# lib.sh - helpers for the station's tmux tests (sourced, POSIX sh).
#
# Needs WHARF_BIN (the binary) and WHARF_TEST_PG (the test cluster's
# maintenance conninfo) from CTest. Every script gets its own database and
# its own tmux server (-L), killed on exit whatever happens.

set -eu

: "${WHARF_BIN:?}" "${WHARF_TEST_PG:?}"
NAME=$(basename "$0" .sh | tr -c 'a-z0-9_\n' '_')
DB="tui_${NAME}_$$"
SOCK="wharf-tui-${NAME}-$$"
CONN="$(printf '%s' "$WHARF_TEST_PG" | sed 's/dbname=[^ ]*//') dbname=$DB"
T="tmux -L $SOCK -f /dev/null"

cleanup() {
	$T kill-server 2>/dev/null || true
	rm -f "/tmp/$SOCK.err" "/tmp/$SOCK.fifo"
	psql "$WHARF_TEST_PG" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
		>/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	echo "--- screen ---" >&2
	$T capture-pane -p >&2 2>/dev/null || true
	exit 1
}

make_db() {
	psql "$WHARF_TEST_PG" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
	psql "$WHARF_TEST_PG" -qc "CREATE DATABASE $DB" >/dev/null
	"$WHARF_BIN" db --db "$CONN" migrate >/dev/null
	"$WHARF_BIN" db --db "$CONN" seed --demo >/dev/null
}

# start W H [env and extra station arguments...]: the station in tmux.
start() {
	w=$1 h=$2
	shift 2
	$T kill-server 2>/dev/null || true
	$T new-session -d -x "$w" -y "$h" \
		"env $* 2>/tmp/$SOCK.err; echo STATION-EXITED-\$?; sleep 60"
}

# wait_for TEXT [SECONDS]: polls the screen until TEXT appears.
wait_for() {
	i=0
	limit=$(( ${2:-10} * 20 ))
	while [ $i -lt "$limit" ]; do
		if $T capture-pane -p 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "'$1' did not appear"
}

# wait_gone TEXT: polls until TEXT is no longer on the screen.
wait_gone() {
	i=0
	while [ $i -lt 200 ]; do
		if ! $T capture-pane -p 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail "'$1' did not go away"
}

keys() {
	$T send-keys "$@"
}

# typed TEXT: literal keystrokes (no key-name lookup).
typed() {
	$T send-keys -l -- "$1"
}

screen_has_not() {
	if $T capture-pane -p | grep -qF -- "$1"; then
		fail "'$1' is on the screen"
	fi
}

station() {
	echo "LANG=${STATION_LANG:-C.UTF-8} TERM=${STATION_TERM:-xterm-256color}" \
	     "$WHARF_BIN --db '$CONN' --station SH-HH-01 $*"
}

# login BADGE PIN (labels in $BADGE_LABEL and $PIN_LABEL when translated)
login() {
	wait_for "${BADGE_LABEL:-Badge}"
	typed "$1"
	keys Enter
	wait_for "${PIN_LABEL:-PIN}"
	typed "$2"
	keys Enter
}
