#!/bin/sh
# The station at 80x24 with a FIFO scanner: the badge scanned, the summary
# side by side, a GS1 scan with a real GS through the FIFO, F10 on the
# login leaves the program.
. "$(dirname "$0")/lib.sh"
FIFO="/tmp/$SOCK.fifo"
make_db
start 80 24 "$(station --lang en --scanner "fifo:$FIFO")"
wait_for "wharf login"
i=0
while [ ! -p "$FIFO" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -p "$FIFO" ] || fail "no FIFO"
printf 'U1003\n' >"$FIFO"
wait_for "U1003"
typed 1234
keys Enter
wait_for "Main menu"
typed s
wait_for "SKU, bin or lot"
keys F2
wait_for "Stock summary"
wait_for "Units on hand"
wait_for "SH"
wait_for "HZ"
keys Escape
wait_for "SKU, bin or lot"
keys Escape
wait_for "Main menu"
typed t
wait_for "Type a scan"
printf ']C10109506000134352\03510LOT7\035' >"$FIFO"
printf '3712\n' >"$FIFO"
wait_for "fifo AIM ]C1"
wait_for "Raw: 0109506000134352"
wait_for "<GS>"
wait_for "(37) 12"
wait_for "(10) LOT7"
keys Escape
wait_for "Main menu"
keys F10
wait_for "Log out?"
keys Enter
wait_for "wharf login"
keys F10
wait_for "STATION-EXITED-0"
echo ok
