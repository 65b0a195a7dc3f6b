#!/bin/sh
# The database goes away under a logged-in station: OFFLINE banner, the
# station stays up, and comes back by itself.
. "$(dirname "$0")/lib.sh"
make_db
start 40 16 "$(station --lang en)"
login U1003 1234
wait_for "Main menu"
psql "$WHARF_TEST_PG" -qAt -c "SELECT pg_terminate_backend(pid) FROM \
pg_stat_activity WHERE datname = '$DB'" >/dev/null
wait_for "OFFLINE"
wait_gone "OFFLINE"
wait_for "Back online"
typed s
wait_for "SKU, bin or lot"
keys F2
wait_for "Units on hand"
echo ok
