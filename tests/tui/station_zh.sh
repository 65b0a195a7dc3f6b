#!/bin/sh
# Chinese: the station in --lang zh_CN under C.UTF-8 (no zh_CN locale
# needed), a wrong PIN refused in Chinese (the database's WRONG_PIN through
# ui/refusal.c), and a picker whose own language is zh_CN on an English
# station.
. "$(dirname "$0")/lib.sh"
make_db
start 20 16 "$(station --lang zh_CN)"
BADGE_LABEL=工牌
PIN_LABEL=密码
wait_for "工牌"
login U1003 9999               # a wrong PIN: in the station's language
wait_for "密码错误：还剩 4 次"
screen_has_not "PIN"
keys Escape
wait_for "请扫描工牌"
login U1003 1234               # Tom Baker prefers English
wait_for "Main menu"
keys F10
wait_for "Log out?"
keys Enter
wait_for "wharf 登录"                 # back to the station's language
login U1001 1234               # Wang Fang prefers Chinese
wait_for "主菜单"
wait_for "扫描枪测试"
keys 1                          # the pick screen, in Chinese
wait_for "暂无拣货任务"
keys Escape
wait_for "主菜单"
echo ok
