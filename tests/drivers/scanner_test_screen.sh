#!/bin/sh
# `wharf scanner test` on its own (no database): a GS1 scan arrives through
# a FIFO scanner and is shown decoded; a typed code too; F10 leaves cleanly.
set -eu
wharf=$1
dir=$(mktemp -d /tmp/wharf-scantest-XXXXXX)
sock=scantest-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
mkfifo "$dir/scanner"

tmux -L "$sock" new-session -d -x 80 -y 24 \
	"$wharf scanner test --scanner fifo:$dir/scanner --lang en; echo \"exit \$?\" > $dir/exit; sleep 5"
wait_for() { # wait_for TEXT: poll the screen until TEXT shows (10 s)
	i=0
	until tmux -L "$sock" capture-pane -p | grep -q -- "$1"; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "timed out waiting for: $1"; tmux -L "$sock" capture-pane -p; exit 1
		fi
		sleep 0.1
	done
}
wait_for "Scan"
# A GS1-128 case with a GS between lot and count, as a FIFO scan line.
printf ']C10109506000134352171302001024AB\0353712\n' > "$dir/scanner"
wait_for "2013-02-28"
wait_for "AB"
# Typed text + Enter counts as a keyboard scan.
tmux -L "$sock" send-keys -l "A-01-02-1"
tmux -L "$sock" send-keys Enter
wait_for "A-01-02-1"
tmux -L "$sock" send-keys F10
i=0
while [ ! -s "$dir/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "exit 0" "$dir/exit" || { echo "did not exit cleanly"; cat "$dir/exit" 2>/dev/null; exit 1; }
echo "scanner test screen: ok"
