#!/bin/sh
# A counter at 20x16 blind-counts a bin holding one lot: scans the bin,
# the GS1 item with its lot, types a count 5 over the stock; with the
# station's --count-threshold 3 the variance goes to supervisor approval:
# the screen says so without showing the expected quantity, and the
# count_task waits in pending_approval with the stock unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
pick=$(q "SELECT l.code || ' ' || lt.lot_code || ' ' || s.on_hand || ' ' ||
	(SELECT b.code FROM wharf.barcode b WHERE b.sku_id = s.sku_id
	 AND b.kind = 'gtin' ORDER BY b.code LIMIT 1)
	FROM wharf.stock s JOIN wharf.location l ON l.id = s.location_id
	JOIN wharf.lot lt ON lt.id = s.lot_id
	JOIN wharf.warehouse w ON w.id = s.warehouse_id AND w.code = 'SH'
	WHERE l.kind = 'pick' AND s.on_hand > 0 AND s.allocated = 0
	AND (SELECT count(*) FROM wharf.stock x WHERE x.location_id = l.id
	     AND x.on_hand > 0) = 1
	AND EXISTS (SELECT 1 FROM wharf.barcode b WHERE b.sku_id = s.sku_id
	     AND b.kind = 'gtin')
	ORDER BY l.walk_seq LIMIT 1")
set -- $pick
bin=$1 lot=$2 onhand=$3 gtin=$4
[ -n "$gtin" ] || fail "no bin with one lot"
counted=$((onhand + 5))

start 20 16 "$(station --lang en --count-threshold 3)"
wait_for "wharf login"
login U1003 1234                # picker3, English
wait_for "Main menu"
typed c                         # Count
wait_for "Scan the bin"
typed "$bin"
keys Enter
wait_for "0 lines counted"
typed "[01]0$gtin[10]$lot"
keys Enter
wait_for "Units counted"
screen_has_not "$onhand"
typed "$counted"
keys Enter
wait_for "1 lines counted"
keys Enter                      # empty line: submit
wait_for "Submit 1 lines"
keys Enter
wait_for "Sent for"
wait_for "supervisor"
[ "$(q "SELECT t.state FROM wharf.count_task t JOIN wharf.location l
	ON l.id = t.location_id JOIN wharf.warehouse w
	ON w.id = l.warehouse_id AND w.code = 'SH' WHERE l.code = '$bin'
	ORDER BY t.id DESC LIMIT 1")" = pending_approval ] ||
	fail "count_task not pending_approval"
[ "$(q "SELECT c.counted FROM wharf.count_line c JOIN wharf.count_task t
	ON t.id = c.count_task_id JOIN wharf.location l
	ON l.id = t.location_id JOIN wharf.warehouse w
	ON w.id = l.warehouse_id AND w.code = 'SH'
	WHERE l.code = '$bin'")" = "$counted" ] ||
	fail "count line not recorded"
[ "$(q "SELECT s.on_hand FROM wharf.stock s JOIN wharf.location l
	ON l.id = s.location_id JOIN wharf.warehouse w
	ON w.id = l.warehouse_id AND w.code = 'SH'
	WHERE l.code = '$bin'")" = "$onhand" ] ||
	fail "stock changed before approval"
verify
keys Enter                      # the next bin
wait_for "Scan the bin"
keys F10
wait_for "Main menu"
echo ok
