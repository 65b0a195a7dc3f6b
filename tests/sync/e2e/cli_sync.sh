#!/bin/sh
# `wharf sync` as a command, against the real simulator and a fresh
# demo-seeded database of the test cluster:
#   1. --once: the orders arrive, exit 0, a summary line;
#   2. a shop whose credentials file is mode 0644: a clear error naming
#      the shop, the other shops still synced, exit 3 (shop errors), no
#      crash;
#   3. --webhook-port 0: a signed Shopify orders/updated body is upserted
#      (inserted, then updated to cancelled); a bad HMAC gets 401 and
#      writes nothing; an unknown shop 401; a huge body 413; a malformed
#      body 400; the process stops cleanly on SIGTERM.
# Waits poll; nothing here asserts on time.
#
#   cli_sync.sh WHARF SIM
set -eu
wharf=$1
sim=$2
db=t_sync_cli_$$
ci="$WHARF_TEST_PG dbname=$db"
tmp=$(mktemp -d /tmp/wharf-sync-cli-XXXXXX)
simpid=
hookpid=
cleanup() {
	[ -n "$hookpid" ] && kill "$hookpid" 2>/dev/null || true
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null || true
	wait 2>/dev/null || true
	psql -qX "$WHARF_TEST_PG" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() {
	echo "cli_sync: FAIL: $*"
	for f in "$tmp"/*.out "$tmp"/*.err; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
	done
	exit 1
}
q() { psql -qtAX -v ON_ERROR_STOP=1 "$ci" -c "$1"; }
# Waits (up to ~20 s, polling) for a line starting with $2 in file $1.
wait_line() {
	i=0
	while ! grep -q "^$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "no '$2' in $1"
		sleep 0.1
	done
	sed -n "s/^$2//p" "$1" | head -n 1
}
no_sanitizer_report() {
	if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$1"; then
		fail "sanitizer report in $1"
	fi
}

"$sim" --port 0 --seed 7 --skus 40 --cancel-rate 0 --refund-rate 0 \
	--rate-limit-scale 20 >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
base="http://$(wait_line "$tmp/sim.out" "LISTENING ")"

psql -qX -v ON_ERROR_STOP=1 "$WHARF_TEST_PG" -c "CREATE DATABASE $db" >/dev/null
"$wharf" db --db "$ci" migrate >/dev/null
"$wharf" db --db "$ci" seed --demo >/dev/null
q "UPDATE wharf.shop SET api_base_url = '$base/' || code;
   DELETE FROM wharf.shop_sku WHERE outer_code > 'SKU-000040'" >/dev/null

# 1. --once: 5 paid orders in each of the 8 shops arrive.
curl -sSf -X POST -d '{"shop":"*","count":5,"state":"paid"}' \
	"$base/_sim/orders" >/dev/null
sleep 1.1 # the newest order must be older than the window's end
rc=0
"$wharf" sync --db "$ci" --once --rate-scale 20 >"$tmp/once.out" \
	2>"$tmp/once.err" || rc=$?
[ $rc -eq 0 ] || fail "sync --once exited $rc"
no_sanitizer_report "$tmp/once.err"
grep -q "^wharf sync: [0-9]* orders read, 40 new, .* 0 shop errors" \
	"$tmp/once.out" || fail "no summary with 40 new orders"
[ "$(q "SELECT count(*) FROM wharf.sales_order WHERE raw IS NOT NULL")" = 40 ] ||
	fail "the database does not hold the 40 orders"
[ "$(q "SELECT count(*) FROM wharf.sync_health WHERE last_success_at IS NOT NULL")" = 8 ] ||
	fail "sync_health does not show 8 healthy shops"

# 2. A credentials file others can read: refused, by name, no crash.
printf '{"app_key":"demo-tm-baby","secret":"demo-secret-tm-baby",' \
	>"$tmp/creds.json"
printf '"token":"demo-token-tm-baby"}\n' >>"$tmp/creds.json"
chmod 0644 "$tmp/creds.json"
q "UPDATE wharf.shop SET credentials_ref = 'file:$tmp/creds.json'
   WHERE code = 'TM-BABY'" >/dev/null
curl -sSf -X POST -d '{"shop":"*","count":2,"state":"paid"}' \
	"$base/_sim/orders" >/dev/null
sleep 1.1
rc=0
"$wharf" sync --db "$ci" --once --rate-scale 20 >"$tmp/perm.out" \
	2>"$tmp/perm.err" || rc=$?
no_sanitizer_report "$tmp/perm.err"
[ $rc -eq 3 ] || fail "sync --once with a 0644 credentials file exited $rc, not 3"
grep -q "shop TM-BABY: the credentials file must be .* mode 0600" \
	"$tmp/perm.err" || fail "no clear error about the credentials file"
if grep -q "demo-secret" "$tmp/perm.err" "$tmp/perm.out"; then
	fail "a secret was printed"
fi
grep -q "^wharf sync: .* 1 shop errors" "$tmp/perm.out" ||
	fail "the summary does not count the shop's error"
[ "$(q "SELECT count(*) FROM wharf.sales_order o JOIN wharf.shop s ON s.id = o.shop_id
	WHERE s.code <> 'TM-BABY' AND o.raw IS NOT NULL")" -gt 35 ] ||
	fail "the other 7 shops were not synced"
[ "$(q "SELECT count(*) FROM wharf.sales_order o JOIN wharf.shop s ON s.id = o.shop_id
	WHERE s.code = 'TM-BABY' AND o.raw IS NOT NULL")" = 5 ] ||
	fail "TM-BABY was synced without its credentials"
[ "$(q "SELECT count(*) FROM wharf.sync_health h JOIN wharf.shop s ON s.id = h.shop_id
	WHERE s.code = 'TM-BABY' AND h.last_error LIKE '%mode 0600%'")" = 1 ] ||
	fail "the shop's health row does not carry the error"
# Mode 0600: accepted.
chmod 0600 "$tmp/creds.json"
rc=0
"$wharf" sync --db "$ci" --once --rate-scale 20 >"$tmp/fixed.out" \
	2>"$tmp/fixed.err" || rc=$?
[ $rc -eq 0 ] || fail "sync --once with a 0600 credentials file exited $rc"
[ "$(q "SELECT count(*) FROM wharf.sales_order WHERE raw IS NOT NULL")" = 56 ] ||
	fail "TM-BABY's 2 orders did not arrive once its file was fixed"

# 3. Webhooks. No shop has a URL, so the poll reads nothing: whatever
# arrives came through the webhook.
q "UPDATE wharf.shop SET api_base_url = NULL" >/dev/null
"$wharf" sync --db "$ci" --webhook-port 0 >"$tmp/hook.out" \
	2>"$tmp/hook.err" &
hookpid=$!
hook="http://$(wait_line "$tmp/hook.out" "WEBHOOK ")/webhooks/shopify"

new_order() { # a new paid SHOPIFY order in the simulator; its id
	curl -sSf -X POST -d '{"shop":"SHOPIFY","count":1,"state":"paid"}' \
		"$base/_sim/orders" | jq -r '.ids[0]'
}
order_body() { # the platform's order JSON, as Shopify's webhook sends it
	curl -sSf -H "X-Shopify-Access-Token: shpat_demo_shopify" \
		"$base/SHOPIFY/admin/api/2024-01/orders/$1.json" |
		jq -c .order | tr -d '\n' >"$2"
}
post() { # post FILE SECRET [SHOP]: prints the HTTP status
	h=$(openssl dgst -sha256 -hmac "$2" -binary <"$1" | base64 | tr -d '\n')
	curl -s -o /dev/null -w '%{http_code}' -X POST \
		-H "Content-Type: application/json" \
		-H "X-Shopify-Topic: orders/updated" \
		-H "X-Shopify-Hmac-Sha256: $h" \
		--data-binary "@$1" "$hook/${3:-SHOPIFY}"
}
in_db() {
	q "SELECT count(*) FROM wharf.sales_order o JOIN wharf.shop s ON s.id = o.shop_id
	   WHERE s.code = 'SHOPIFY' AND o.platform_order_id = '$1'"
}

id=$(new_order)
[ -n "$id" ] && [ "$id" != null ] || fail "the simulator made no order"
order_body "$id" "$tmp/o1.json"
[ "$(in_db "$id")" = 0 ] || fail "order $id is in wharf before its webhook"
st=$(post "$tmp/o1.json" demo-secret-shopify)
[ "$st" = 200 ] || fail "a signed webhook got $st"
[ "$(in_db "$id")" = 1 ] || fail "the webhook did not insert order $id"
[ "$(q "SELECT state FROM wharf.sales_order WHERE platform_order_id = '$id'")" = new ] ||
	fail "order $id is not new"
# The same order cancelled on the platform: the webhook updates it.
sleep 1.1 # a newer updated_at than the first body's (seconds)
curl -sSf -X POST "$base/_sim/orders/SHOPIFY/$id/cancel" >/dev/null
order_body "$id" "$tmp/o2.json"
st=$(post "$tmp/o2.json" demo-secret-shopify)
[ "$st" = 200 ] || fail "the signed update got $st"
[ "$(q "SELECT count(*) FROM wharf.sales_order WHERE platform_order_id = '$id'
	AND intercepted_at IS NOT NULL AND state = 'cancelled'")" = 1 ] ||
	fail "the update did not cancel order $id"

# A bad HMAC (signed with another secret): 401, nothing written.
id2=$(new_order)
order_body "$id2" "$tmp/o3.json"
st=$(post "$tmp/o3.json" not-the-secret)
[ "$st" = 401 ] || fail "a bad HMAC got $st"
[ "$(in_db "$id2")" = 0 ] || fail "a bad HMAC wrote order $id2"
# No HMAC header at all: 401.
st=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary "@$tmp/o3.json" \
	"$hook/SHOPIFY")
[ "$st" = 401 ] || fail "no HMAC got $st"
# A shop that does not exist: 401, as a bad signature.
st=$(post "$tmp/o3.json" demo-secret-shopify NO-SUCH-SHOP)
[ "$st" = 401 ] || fail "an unknown shop got $st"
[ "$(in_db "$id2")" = 0 ] || fail "order $id2 written through an unknown shop"

# A body over the 2 MiB limit: 413.
head -c 3145728 /dev/zero | tr '\0' 'x' >"$tmp/huge.json"
st=$(post "$tmp/huge.json" demo-secret-shopify)
[ "$st" = 413 ] || fail "a 3 MiB body got $st"
# Correctly signed, but not an order: 400.
printf '{"id": 12, "line_items": [' >"$tmp/bad.json"
st=$(post "$tmp/bad.json" demo-secret-shopify)
[ "$st" = 400 ] || fail "a malformed body got $st"
printf '[1,2,3]' >"$tmp/bad2.json"
st=$(post "$tmp/bad2.json" demo-secret-shopify)
[ "$st" = 400 ] || fail "a JSON array body got $st"
# Still serving after all that.
st=$(post "$tmp/o3.json" demo-secret-shopify)
[ "$st" = 200 ] || fail "a good webhook after the bad ones got $st"
[ "$(in_db "$id2")" = 1 ] || fail "order $id2 not inserted"

kill -TERM "$hookpid"
rc=0
wait "$hookpid" || rc=$?
hookpid=
[ $rc -eq 0 ] || fail "sync --webhook-port exited $rc on SIGTERM"
no_sanitizer_report "$tmp/hook.err"
[ "$(q "SELECT count(*) FROM wharf.verify()")" = 0 ] || fail "wharf.verify() fails"
echo "cli sync: ok"
