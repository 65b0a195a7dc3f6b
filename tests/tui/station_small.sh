#!/bin/sh
# A 15x6 terminal gets a message, not garbage; growing it shows the login.
. "$(dirname "$0")/lib.sh"
make_db
start 15 6 "$(station --lang en)"
wait_for "terminal too"
$T resize-window -x 20 -y 16
wait_for "wharf login"
echo ok
