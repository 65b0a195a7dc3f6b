#!/bin/sh
# The pick flow of station_pick_20x16.sh in Chinese: picker1's language is
# zh_CN (and --lang zh_CN for the login): wrong bin, wrong lot refused by
# the engine naming the right lot (its English refusal shown in Chinese,
# ui/refusal.h), both lines picked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/floor_lib.sh"
make_db
order=$(make_pick_wave)
[ -n "$order" ] || fail "no wave"
bin1=$(task_field 1 bin) gtin1=$(task_field 1 barcode)
lot1=$(task_field 1 lot) bad1=$(other_lot 1)
bin2=$(task_field 2 bin) gtin2=$(task_field 2 barcode) lot2=$(task_field 2 lot)

BADGE_LABEL="工牌" PIN_LABEL="密码"
start 20 16 "$(station --lang zh_CN)"
wait_for "工牌"
login U1001 1234                # picker1
wait_for "主菜单"
keys 1                          # 拣货
wait_for "去 $bin1"
wait_for "周转箱 T"
typed "Z-99-99-9"
keys Enter
wait_for "库位错误"
typed "$bin1"
keys Enter
wait_for "扫商品"
typed "[01]0$gtin1[10]$bad1[30]2"
keys Enter
wait_for "回车 = 2"
keys Enter
wait_for "批次错误"                 # the engine's WRONG_LOT, in Chinese
wait_for "$lot1"
wait_for "扫批次"
typed "$lot1"
keys Enter
keys Enter
wait_for "去 $bin2"
typed "$bin2"
keys Enter
typed "$gtin2"
keys Enter
wait_for "请扫批次"
typed "$lot2"
keys Enter
wait_for "回车 = 1"
keys Enter
wait_for "暂无拣货任务"
[ "$(q "SELECT state FROM wharf.sales_order WHERE id = $order")" = picked ] ||
	fail "order not picked"
verify
echo ok
