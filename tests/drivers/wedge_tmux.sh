#!/bin/sh
# The terminal wedge through a real terminal: `wharf scanner listen` runs in
# tmux, and 100 scans are typed into it as fast as tmux can send them, with
# GS (Ctrl-]) inside GS1 scans, an identical scan repeated, and ordinary
# typing between scans. Every scan must arrive, in order, unchanged.
set -eu
wharf=$1
dir=$(mktemp -d /tmp/wharf-wedge-XXXXXX)
sock=wedge-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT

out=$dir/events
tmux -L "$sock" new-session -d -x 120 -y 30 \
	"$wharf scanner listen --driver wedge --prefix '\\x02' --suffix '\\r' --count 100 > $out 2>&1; echo done > $dir/exit"

# Wait until the listener has put its terminal in raw mode: typed bytes
# before that would be line-edited by the tty, not delivered.
tty=$(tmux -L "$sock" display -p '#{pane_tty}')
i=0
until stty -F "$tty" -a 2>/dev/null | grep -q -- '-icanon'; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then echo "listener never set raw mode"; cat "$out"; exit 1; fi
	sleep 0.05
done

# All 100 scans go in one send-keys call: one burst, as fast as the
# terminal delivers it (well under a second).
hex() { printf '%s' "$1" | od -An -tx1 | tr -s ' \n' '  '; }
burst=""
n=1
while [ $n -le 100 ]; do
	# Scan n: STX prefix, GS1 data with a GS before the serial, CR suffix.
	# Scans 50 and 51 are identical (a repeat, counted not dropped).
	k=$n
	[ $n -eq 51 ] && k=50
	burst="$burst 02 $(hex "010950600013435210LOT$k") 1d $(hex "21SN$k") 0d"
	# Typing between scans must not become part of a scan.
	[ $((n % 10)) -eq 0 ] && burst="$burst $(hex x)"
	n=$((n + 1))
done
start=$(date +%s%3N)
# shellcheck disable=SC2086
tmux -L "$sock" send-keys -H $burst

i=0
while [ ! -s "$dir/exit" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$dir/exit" ]; then
	echo "listener did not see 100 scans in 20 s; it printed:"
	cat "$out"
	exit 1
fi

scans=$(grep -c "0109506000134352" "$out" || true)
if [ "$scans" -ne 100 ]; then
	echo "expected 100 scans, got $scans:"; cat "$out"; exit 1
fi
# In order, GS kept and shown, nothing of the typing inside a scan.
n=1
grep "0109506000134352" "$out" | while IFS= read -r line; do
	k=$n; [ $n -eq 51 ] && k=50
	case "$line" in
	*"10LOT$k<GS>21SN$k"*) ;;
	*) echo "scan $n is wrong: $line"; exit 1 ;;
	esac
	n=$((n + 1))
done
grep "10LOT50<GS>21SN50" "$out" | tail -1 | grep -q "repeat"
echo "wedge through tmux: 100 scans in one burst, in order, in $(( $(date +%s%3N) - start )) ms"
