#!/bin/sh
# The station at 20x16: wrong PIN, login as picker1 (whose language is
# zh_CN: the menu turns Chinese), the count screen opened and closed, stock
# summary paging (F2 from the stock lookup), scanner test with a GS1 scan
# typed as keystrokes, logout (back to the
# station's English).
. "$(dirname "$0")/lib.sh"
make_db
start 20 16 "$(station --lang en)"
wait_for "wharf login"
login picker1 9999
wait_for "Wrong PIN: 4 of 5"     # WRONG_PIN, through ui/refusal.c
screen_has_not "9999"
keys Escape
login U1001 1234
wait_for "主菜单"
wait_for "库存查询"
wait_for "扫描枪测试"
screen_has_not "波次"           # a picker does not see Wave release
keys 2                          # Count
wait_for "盲盘"
keys Escape
wait_for "主菜单"
typed s                         # Stock lookup
wait_for "商品、库位或批次"
keys F2                         # the summary
wait_for "库存概览"
wait_for "库位数"
wait_for "1/2"
keys Tab
wait_for "2/2"
wait_for "HZ"
keys Escape
wait_for "商品、库位或批次"
keys Escape
wait_for "主菜单"
typed t                         # Scanner test
wait_for "输入条码后回车"
typed "[01]09506000134352[17]271231[10]LOT42"
keys Enter
wait_for "(01) 09506000134352"
wait_for "(17) 2027-12-31"
wait_for "(10) LOT42"
wait_for "gs1-case"
keys Escape
wait_for "主菜单"
keys F10
wait_for "确定退出登录"
keys Enter
wait_for "wharf login"
echo ok
