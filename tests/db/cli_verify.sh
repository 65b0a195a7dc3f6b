#!/bin/sh
# The CLI end to end on a fresh database of the test cluster: migrate, seed,
# verify passes (exit 0); a stock row edited by hand makes verify name it
# and exit non-zero.
set -eu
wharf=$1
db=t_cli_$$
ci="$WHARF_TEST_PG dbname=$db"
trap 'psql -qX "$WHARF_TEST_PG" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

psql -qX -v ON_ERROR_STOP=1 "$WHARF_TEST_PG" -c "CREATE DATABASE $db"
"$wharf" db --db "$ci" migrate
"$wharf" db --db "$ci" migrate | grep -q "0 applied"
"$wharf" db --db "$ci" seed --demo --date 2026-11-25 | grep -q "^seeded: 2 warehouses"
"$wharf" db --db "$ci" verify | grep -q "every invariant holds"

psql -qX -v ON_ERROR_STOP=1 "$ci" -c \
  "UPDATE wharf.stock SET on_hand = on_hand + 3 WHERE id = (SELECT min(id) FROM wharf.stock WHERE on_hand > 0)"
if out=$("$wharf" db --db "$ci" verify); then
  echo "verify passed on a corrupted database:"; echo "$out"; exit 1
fi
echo "$out" | grep -q "^FAIL stock_matches_ledger"
echo "$out" | grep -q "verify: 1 violation"
echo "cli verify: ok"
