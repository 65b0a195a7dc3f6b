/*
 * test_refusal.c - the engine's refusals in the user's language
 * (ui/refusal.h): every row of the table on a real message, in English and
 * with the zh_CN catalogue the build compiles from ui/po; hostile messages,
 * parameters and translations; floor_msg_db() on top.
 *
 * That the table covers every format the migrated database can raise is
 * tests/db/test_refusal_coverage.c's job (it needs PostgreSQL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <limits.h>
#include <sys/stat.h>

#include "ui/floor.h"
#include "ui/i18n.h"
#include "ui/refusal.h"
#include "ui/text.h"

#include "catalogue.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * One real message per row, as the engine words it (the RAISE format with
 * the kind of values it fills in), and what the floor shows for it.
 */
static const struct {
	const char *msg, *en, *zh;
} cases[] = {
	{ "ALREADY_SHIPPED: order TB-1001 has already shipped",
	  "Already shipped: order TB-1001",
	  "已发货：订单 TB-1001" },
	{ "ALREADY_SHIPPED: order TB-1001 has left the warehouse",
	  "Already shipped: order TB-1001 has left the warehouse",
	  "已发货：订单 TB-1001 已出库" },
	{ "ALREADY_SHIPPED: order TB-1001 has already shipped "
	  "(SF1234567890)",
	  "Already shipped: order TB-1001 (SF1234567890)",
	  "已发货：订单 TB-1001（SF1234567890）" },
	{ "BAD_COUNT: a line has an unknown lot L404 or a bad count",
	  "Bad count: unknown lot L404 or a bad quantity",
	  "盘点有误：批次 L404 未知或数量有误" },
	{ "BAD_LOCATION: location 77 cannot take stock here",
	  "Bad bin: location 77 cannot take stock here",
	  "库位不可用：库位 77 不能存货" },
	{ "BAD_LOCATION: location 12 cannot take the transfer",
	  "Bad bin: location 12 cannot take the transfer",
	  "库位不可用：库位 12 不能接收调拨" },
	{ "BAD_LOCATION: location 31 is not a receiving, storage or pick "
	  "location of warehouse 2",
	  "Bad bin: location 31 is not a receiving, storage or pick bin of "
	  "warehouse 2",
	  "库位不可用：库位 31 不是仓库 2 的收货、存储或拣货库位" },
	{ "BAD_LOCATION: X-1 is not a location",
	  "Bad bin: X-1 is not a location",
	  "库位无效：X-1 不是库位" },
	{ "BAD_LOGOUT_REASON: logout reason must be user, idle or exit",
	  "Bad logout reason: must be user, idle or exit",
	  "退出原因有误：应为 user、idle 或 exit" },
	{ "BAD_OP: an operation id is required for receive",
	  "No operation id for receive",
	  "缺少操作号：receive" },
	{ "BAD_OP: an operation id is required for a tracking number",
	  "No operation id for a tracking number",
	  "缺少操作号：运单号" },
	{ "BAD_OP: an operation id is required for an SSCC",
	  "No operation id for an SSCC",
	  "缺少操作号：SSCC" },
	{ "BAD_QTY: a transfer line has a bad quantity or location",
	  "Bad quantity: a transfer line has a bad quantity or bin",
	  "数量有误：调拨行的数量或库位有误" },
	{ "BAD_QTY: an adjustment needs a non-zero delta and a reason",
	  "Bad quantity: an adjustment needs a non-zero change and a reason",
	  "数量有误：调整需非零数量和原因" },
	{ "BAD_QTY: found must be 0..3",
	  "Bad quantity: found must be 0..3",
	  "数量有误：找到数应为 0..3" },
	{ "BAD_QTY: put back 1..2 units",
	  "Bad quantity: put back 1..2 units",
	  "数量有误：应放回 1..2 件" },
	{ "BAD_QTY: quantity must be positive",
	  "Bad quantity: must be more than 0",
	  "数量有误：必须大于 0" },
	{ "BAD_SHIPMENT: an empty label",
	  "Bad shipment: the label is empty",
	  "发运有误：面单为空" },
	{ "BAD_SHIPMENT: an exception needs a reason",
	  "Bad shipment: an exception needs a reason",
	  "发运有误：异常须填原因" },
	{ "BAD_SHIPMENT: carrier and tracking number are required",
	  "Bad shipment: carrier and tracking number are required",
	  "发运有误：须填承运商和运单号" },
	{ "BAD_SHIPMENT: no live shipment 55",
	  "Bad shipment: no live shipment 55",
	  "发运有误：无有效发运 55" },
	{ "BAD_SHIPMENT: order TB-1001 has no shipment to void",
	  "Bad shipment: order TB-1001 has no shipment to void",
	  "发运有误：订单 TB-1001 无可作废的发运" },
	{ "BAD_SHIPMENT: shipment SF1234567890 has no pack record to undo",
	  "Bad shipment: shipment SF1234567890 has no pack record to undo",
	  "发运有误：发运 SF1234567890 无可撤销的打包记录" },
	{ "BAD_SHIPMENT: the platform already has tracking SF1234567890 "
	  "for order TB-1001: it cannot be voided here",
	  "Bad shipment: the platform already has tracking SF1234567890 "
	  "for order TB-1001: cannot void here",
	  "发运有误：平台已有订单 TB-1001 的运单号 SF1234567890，"
	  "此处不能作废" },
	{ "BAD_SHIPMENT: no stored label for order 42",
	  "Bad shipment: no stored label for order 42",
	  "发运有误：订单 42 没有已存面单" },
	{ "EXPIRY_REQUIRED: SKU-000005 is expiry-managed",
	  "Expiry required: SKU-000005 is expiry-managed",
	  "需要效期：SKU-000005 按效期管理" },
	{ "EXTRA_UNIT: 1 unit(s) of SKU-B would be more than was ordered "
	  "and picked",
	  "Extra unit: 1 unit(s) of SKU-B is more than ordered and picked",
	  "多出商品：SKU-B 多 1 件，超出订购和已拣数量" },
	{ "INSUFFICIENT_STOCK: 4 free units at location 19, 7 asked",
	  "Not enough stock: 4 free units at location 19, 7 asked",
	  "库存不足：库位 19 可用 4 件，需 7 件" },
	{ "INSUFFICIENT_STOCK: 20 free units at the source, 24 asked",
	  "Not enough stock: 20 free units at the source, 24 asked",
	  "库存不足：原库位可用 20 件，需 24 件" },
	{ "INSUFFICIENT_STOCK: 3 free units in A-01-02-1, 6 asked",
	  "Not enough stock: 3 free units in A-01-02-1, 6 asked",
	  "库存不足：A-01-02-1 可用 3 件，需 6 件" },
	{ "INSUFFICIENT_STOCK: 2 free units, cannot remove 5",
	  "Not enough stock: 2 free units, cannot remove 5",
	  "库存不足：可用 2 件，不能减 5 件" },
	{ "INTERCEPTED: order TB-1001 was intercepted (refund)",
	  "Intercepted: order TB-1001 (refund)",
	  "订单已拦截：TB-1001（refund）" },
	{ "INTERCEPTED: order TB-1001 was intercepted (refund requested): "
	  "do not ship, put the units back",
	  "Intercepted: order TB-1001 (refund requested): do not ship, put "
	  "the units back",
	  "订单已拦截：TB-1001（refund requested）：勿发货，请放回商品" },
	{ "INTERCEPTED: order 42 was intercepted (cancelled): put the "
	  "units back",
	  "Intercepted: order 42 (cancelled): put the units back",
	  "订单已拦截：42（cancelled）：请放回商品" },
	{ "INTERCEPTED: order 42 was intercepted: task 9 is cancelled",
	  "Intercepted: order 42, task 9 is cancelled",
	  "订单已拦截：42，任务 9 已取消" },
	{ "LOT_EXPIRED: no lot is past its ship-by date",
	  "Lot expired: no lot is past its ship-by date",
	  "批次过期：no lot 已过发货期限" },
	{ "LOT_EXPIRED: lot L1 (exp 2025-01-31) is past its ship-by date",
	  "Lot expired: lot L1 (exp 2025-01-31) is past its ship-by date",
	  "批次过期：批次 L1（效期 2025-01-31）已过发货期限" },
	{ "LOT_EXPIRED: lot L1 (exp 2026-01-31) is past its ship-by date "
	  "2026-01-01",
	  "Lot expired: lot L1 (exp 2026-01-31) is past its ship-by date "
	  "2026-01-01",
	  "批次过期：批次 L1（效期 2026-01-31）已过发货期限 2026-01-01" },
	{ "LOT_EXPIRED: lot L1 is past its ship-by date (expiry "
	  "2026-01-31): leave it in R-01-01-1",
	  "Lot expired: lot L1 (exp 2026-01-31) is past its ship-by date: "
	  "leave it in R-01-01-1",
	  "批次过期：批次 L1（效期 2026-01-31）已过发货期限，请留在 "
	  "R-01-01-1" },
	{ "LOT_MISMATCH: lot L9 of SKU-000005 expires 2027-03-01, not "
	  "2027-02-28",
	  "Lot mismatch: lot L9 of SKU-000005 expires 2027-03-01, not "
	  "2027-02-28",
	  "批次不符：SKU-000005 批次 L9 效期为 2027-03-01，不是 2027-02-28" },
	{ "LOT_REQUIRED: SKU-000005 needs a lot code",
	  "Lot required: SKU-000005 needs a lot",
	  "需要批次：SKU-000005 须扫批次" },
	{ "LOT_REQUIRED: lot L1 (exp 2027-03-01)",
	  "Lot required: lot L1 (exp 2027-03-01)",
	  "需要批次：批次 L1（效期 2027-03-01）" },
	{ "LOT_REQUIRED: scan the lot; expected lot L1 (exp 2027-03-01)",
	  "Scan the lot: expected L1 (exp 2027-03-01)",
	  "请扫批次：应为 L1（效期 2027-03-01）" },
	{ "NOT_ALLOCATED: line 88 has no allocation of 2 units at the bin",
	  "Not allocated: line 88 has no 2 units allocated at the bin",
	  "未分配：订单行 88 在此库位未分配 2 件" },
	{ "NOT_ALLOCATED: the task's lines have no allocation of 2 units "
	  "at the bin",
	  "Not allocated: the task has no 2 units allocated at the bin",
	  "未分配：任务在此库位未分配 2 件" },
	{ "NOT_IN_TRANSIT: transfer 5 is received",
	  "Not in transit: transfer 5 is received",
	  "不在途：调拨 5 状态为 received" },
	{ "NOT_ON_PO: SKU-000007 is not on purchase order 3",
	  "Not on the PO: SKU-000007 is not on purchase order 3",
	  "不在采购单：SKU-000007 不在采购单 3 上" },
	{ "NOT_PACKED: order TB-1001 is picked, 2 units unpacked",
	  "Not packed: order TB-1001 is picked, 2 units unpacked",
	  "未打包：订单 TB-1001 状态 picked，2 件未打包" },
	{ "NOT_PACKED: order TB-1001 is picked: 2 units unverified",
	  "Not packed: order TB-1001 is picked, 2 units unverified",
	  "未打包：订单 TB-1001 状态 picked，2 件未验货" },
	{ "NOT_PENDING: count task 14 is counted",
	  "Not pending: count task 14 is counted",
	  "非待审批：盘点任务 14 状态为 counted" },
	{ "NOT_PICKED: order TB-1001 is released",
	  "Not picked: order TB-1001 is released",
	  "未拣完：订单 TB-1001 状态为 released" },
	{ "NO_COUNT: no count task 14",
	  "No count task 14",
	  "无此盘点任务 14" },
	{ "NO_GS1_PREFIX: warehouse 1 has no GS1 company prefix",
	  "No GS1 prefix: warehouse 1 has no GS1 company prefix",
	  "无 GS1 前缀：仓库 1 未设厂商识别代码" },
	{ "NO_LOCATION: no location 999",
	  "No bin 999",
	  "无此库位 999" },
	{ "NO_LOCATION: no receiving dock",
	  "No receiving dock",
	  "没有收货口" },
	{ "NO_LOT_CONTROL: SKU-000001 has no lots",
	  "No lots: SKU-000001 is not lot-controlled",
	  "无批次：SKU-000001 不按批次管理" },
	{ "NO_ORDER: no order 42",
	  "No order 42",
	  "无此订单 42" },
	{ "NO_ORDER: no order, tote or tracking number T0099",
	  "No order, tote or tracking number T0099",
	  "无此订单、周转箱或运单号 T0099" },
	{ "NO_ORDER: no single-item order waits for 06900000000011",
	  "No single-item order waits for 06900000000011",
	  "没有等待 06900000000011 的单件订单" },
	{ "NO_QUARANTINE: warehouse 1 has no quarantine location (expired "
	  "2024-01-01)",
	  "No quarantine: warehouse 1 has no quarantine bin (expired "
	  "2024-01-01)",
	  "无隔离区：仓库 1 没有隔离库位（expired 2024-01-01）" },
	{ "NO_SKU: no SKU 77",
	  "No SKU 77",
	  "无此商品 77" },
	{ "NO_TASK: no task 9",
	  "No task 9",
	  "无此任务 9" },
	{ "NO_TOTE: the wave needs 4 totes, 3 are free",
	  "No totes: the wave needs 4 totes, 3 are free",
	  "周转箱不足：波次需 4 个，空闲 3 个" },
	{ "NO_TRANSFER: no transfer 5",
	  "No transfer 5",
	  "无此调拨 5" },
	{ "NO_TRANSIT: warehouse 2 has no transit location",
	  "No transit bin: warehouse 2 has none",
	  "无在途库位：仓库 2 未设置" },
	{ "NO_WAREHOUSE: no warehouse 3",
	  "No warehouse 3",
	  "无此仓库 3" },
	{ "OP_CONFLICT: operation 5f0c was a move, not a putaway",
	  "Operation conflict: 5f0c was a move, not a putaway",
	  "操作冲突：5f0c 是 move，不是 putaway" },
	{ "OVER_PICK: 3 units scanned, the task needs 2",
	  "Too many: 3 units scanned, the task needs 2",
	  "数量超出：扫了 3 件，任务只需 2 件" },
	{ "OVER_PICK: only 2 units left on this task, not 5",
	  "Too many: only 2 units left on this task, not 5",
	  "数量超出：任务只剩 2 件，不是 5 件" },
	{ "OVER_PICK: the task needs 1 fewer units",
	  "Too many: the task needs 1 fewer units",
	  "数量超出：任务需少 1 件" },
	{ "OVER_PICK: the tote holds 1 fewer units of the order",
	  "Too many: the tote holds 1 fewer units of the order",
	  "数量超出：周转箱内该订单少 1 件" },
	{ "ROLE_REFUSED: a picker may not ship orders",
	  "Not allowed: a picker may not ship orders",
	  "无权限：picker 不能 ship orders" },
	{ "ROLE_REFUSED: unknown user 99 may not count stock",
	  "Not allowed: unknown user 99 may not count stock",
	  "无权限：未知用户 99 不能 count stock" },
	{ "ROLE_REFUSED: user 7 is inactive",
	  "Not allowed: user 7 is inactive",
	  "无权限：用户 7 已停用" },
	{ "SSCC_EXHAUSTED: every serial of prefix 6901234 is used",
	  "SSCCs used up: every serial of prefix 6901234 is used",
	  "SSCC 已用完：前缀 6901234 的序号已全部用完" },
	{ "TASK_CLAIMED: task 9 is claimed by user 3",
	  "Task taken: task 9 is claimed by user 3",
	  "任务已被领：任务 9 已由用户 3 领取" },
	{ "TASK_CLAIMED: task 9 is not yours to skip",
	  "Task taken: task 9 is not yours to skip",
	  "任务已被领：任务 9 不是你的，不能跳过" },
	{ "TASK_CLOSED: task 9 is done",
	  "Task closed: task 9 is done",
	  "任务已关闭：任务 9 状态为 done" },
	{ "UNKNOWN_BADGE: unknown badge or login: U9999",
	  "Unknown badge U9999",
	  "未知工牌 U9999" },
	{ "UNKNOWN_BARCODE: 6909999999999 is not a known barcode",
	  "Unknown barcode 6909999999999",
	  "未知条码 6909999999999" },
	{ "UNKNOWN_BARCODE: 6909999999999 is not a known barcode (expected "
	  "SKU-000005)",
	  "Unknown barcode 6909999999999: expected SKU-000005",
	  "未知条码 6909999999999：应为 SKU-000005" },
	{ "UNKNOWN_BARCODE: XYZ is not a known item",
	  "Unknown item XYZ",
	  "未知商品 XYZ" },
	{ "UNKNOWN_STATION: unknown station NOPE-01",
	  "Unknown station NOPE-01",
	  "未知终端 NOPE-01" },
	{ "UNKNOWN_USER: unknown user 99",
	  "Unknown user 99",
	  "未知用户 99" },
	{ "USER_INACTIVE: user picker9 is not active",
	  "Inactive user picker9",
	  "账号已停用：picker9" },
	{ "USER_LOCKED: user picker3 is locked until 2026-11-25 16:38",
	  "Locked: picker3 until 2026-11-25 16:38",
	  "账号已锁定：picker3，2026-11-25 16:38 解锁" },
	{ "WAVE_STALE: 2 of 10 orders are no longer allocated",
	  "Wave out of date: 2 of 10 orders are no longer allocated",
	  "波次已过期：10 个订单中 2 个已不再分配" },
	{ "WAVE_STALE: the plan does not match the allocations",
	  "Wave out of date: the plan does not match the allocations",
	  "波次已过期：计划与分配不符" },
	{ "WRONG_ITEM: SKU-Z is not in order TB-1001",
	  "Wrong item: SKU-Z is not in order TB-1001",
	  "商品错误：SKU-Z 不在订单 TB-1001 中" },
	{ "WRONG_LOCATION: expected A-01-02-1, scanned B-01",
	  "Wrong bin: expected A-01-02-1, scanned B-01",
	  "库位错误：应为 A-01-02-1，扫描为 B-01" },
	{ "WRONG_LOCATION: put back into A-01 (or another open bin), not "
	  "nothing",
	  "Wrong bin: put back into A-01 (or another open bin), not nothing",
	  "库位错误：请放回 A-01（或其他可用库位），不是 nothing" },
	{ "WRONG_LOCATION: put them in P-01-01-1, not -",
	  "Wrong bin: put them in P-01-01-1, not -",
	  "库位错误：请放入 P-01-01-1，不是 -" },
	{ "WRONG_LOCATION: take them from R-01-01-1, not R-02-01-1",
	  "Wrong bin: take them from R-01-01-1, not R-02-01-1",
	  "库位错误：请从 R-01-01-1 取货，不是 R-02-01-1" },
	{ "WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned L2",
	  "Wrong lot: expected L1 (exp 2027-03-01), scanned L2",
	  "批次错误：应为 L1（效期 2027-03-01），扫描为 L2" },
	{ "WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned unknown "
	  "lot L9",
	  "Wrong lot: expected L1 (exp 2027-03-01), scanned unknown lot L9",
	  "批次错误：应为 L1（效期 2027-03-01），扫描为未知批次 L9" },
	{ "WRONG_LOT: order TB-1001 holds lot(s) L1, L3 of SKU-B, not L2",
	  "Wrong lot: order TB-1001 holds lot(s) L1, L3 of SKU-B, not L2",
	  "批次错误：订单 TB-1001 中 SKU-B 的批次为 L1, L3，不是 L2" },
	{ "WRONG_PIN: wrong PIN (4 of 5 tries left)",
	  "Wrong PIN: 4 of 5 tries left",
	  "密码错误：还剩 4 次（共 5 次）" },
	{ "WRONG_PIN: wrong PIN: user picker3 is locked until 2026-11-25 "
	  "16:38",
	  "Wrong PIN, locked: picker3 until 2026-11-25 16:38",
	  "密码错误，账号已锁定：picker3，2026-11-25 16:38 解锁" },
	{ "WRONG_SKU: expected SKU-000005, scanned SKU-000006",
	  "Wrong item: expected SKU-000005, scanned SKU-000006",
	  "商品错误：应为 SKU-000005，扫描为 SKU-000006" },
	{ "WRONG_TASK: task 9 is a putback task",
	  "Wrong task: task 9 is a putback task",
	  "任务类型错误：任务 9 是 putback 任务" },
};

/* Is s valid UTF-8 with nothing that must not reach a terminal? (what a
 * cut and the sanitiser must preserve; U+FFFD itself is fine) */
static bool clean_utf8(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		char enc[4];
		uint32_t cp;
		size_t k = text_decode(s, n, &cp);

		/* an invalid sequence decodes to U+FFFD, not to itself */
		if (text_encode(cp, enc) != k || memcmp(enc, s, k) ||
		    !text_cp_displayable(cp))
			return false;
		s += k;
		n -= k;
	}
	return true;
}

static size_t count_placeholders(const char *fmt)
{
	size_t n = 0;

	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && fmt[1] == '%')
			fmt++;
		else if (fmt[0] == '%')
			n++;
	}
	return n;
}

/* The table's own rules: a code, '%' only as placeholders, one "%s" per
 * '%' in the msgid and no other directive, no row twice. */
static void test_table_sane(void **unused)
{
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	const struct refusal_format *f;
	size_t n, i, j;

	(void)unused;
	f = refusal_formats(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const char *p;
		size_t k = count_placeholders(f[i].format), s = 0;

		assert_true(f[i].code[0]);
		assert_int_equal(strspn(f[i].code, upper), strlen(f[i].code));
		assert_true(k <= REFUSAL_PARAMS_MAX);
		for (p = f[i].msgid; (p = strchr(p, '%')); p += 2) {
			if (p[1] != 's')
				fail_msg("msgid \"%s\": only %%s", f[i].msgid);
			s++;
		}
		if (s != k)
			fail_msg("%s: \"%s\" has %zu parameters, \"%s\" %zu",
				 f[i].code, f[i].format, k, f[i].msgid, s);
		for (j = 0; j < i; j++)
			if (!strcmp(f[i].code, f[j].code) &&
			    !strcmp(f[i].format, f[j].format))
				fail_msg("%s: \"%s\" twice", f[i].code,
					 f[i].format);
	}
}

/* Every row on its real message: matched to that row, in English. */
static void test_every_row_english(void **unused)
{
	const struct refusal_format *f;
	bool *hit;
	size_t n, i;

	(void)unused;
	f = refusal_formats(&n);
	hit = calloc(n, sizeof(*hit));
	assert_non_null(hit);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct refusal r;
		char buf[FLOOR_MSG_MAX];

		if (!refusal_parse(cases[i].msg, &r))
			fail_msg("no row for \"%s\"", cases[i].msg);
		hit[r.row - f] = true;
		assert_true(refusal_translate(cases[i].msg, buf, sizeof(buf)));
		assert_string_equal(buf, cases[i].en);
	}
	for (i = 0; i < n; i++)
		if (!hit[i])
			fail_msg("no test message for %s: \"%s\"", f[i].code,
				 f[i].format);
	free(hit);
}

static void test_parameters(void **unused)
{
	struct refusal r;

	(void)unused;
	assert_true(refusal_parse("WRONG_LOT: expected lot L1 (exp "
				  "2027-03-01), scanned L2", &r));
	assert_string_equal(r.row->code, "WRONG_LOT");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.param[0], "L1");
	assert_string_equal(r.param[1], "2027-03-01");
	assert_string_equal(r.param[2], "L2");
	/* the more specific of two overlapping rows wins */
	assert_true(refusal_parse("WRONG_LOT: expected lot L1 (exp "
				  "2027-03-01), scanned unknown lot L9", &r));
	assert_string_equal(r.row->format,
			    "expected lot % (exp %), scanned unknown lot %");
	assert_string_equal(r.param[2], "L9");
	/* a value holding the words of another row of the code */
	assert_true(refusal_parse("LOT_EXPIRED: no lot is past its ship-by "
				  "date", &r));
	assert_string_equal(r.param[0], "no lot");
	/* empty parameters are parameters */
	assert_true(refusal_parse("WRONG_LOCATION: expected , scanned ", &r));
	assert_int_equal(r.n, 2);
	assert_string_equal(r.param[0], "");
	assert_string_equal(r.param[1], "");
	/* a parameter with commas the format does not use after it */
	assert_true(refusal_parse("WRONG_LOT: order TB-1 holds lot(s) L1, L3 "
				  "of SKU-B, not L2", &r));
	assert_string_equal(r.param[1], "L1, L3");
	/* no parameter */
	assert_true(refusal_parse("BAD_QTY: quantity must be positive", &r));
	assert_int_equal(r.n, 0);
}

/* Hostile and malformed messages match nothing, and change nothing. */
static void test_no_match(void **unused)
{
	static const char *const bad[] = {
		"",
		"WRONG_LOT",
		"WRONG_LOT:",
		"WRONG_LOT: ",
		"WRONG_LOT expected lot L1 (exp 2027-03-01), scanned L2",
		"WRONG_LOT:expected lot L1 (exp 2027-03-01), scanned L2",
		"wrong_lot: expected lot L1 (exp 2027-03-01), scanned L2",
		" WRONG_LOT: expected lot L1 (exp 2027-03-01), scanned L2",
		": expected A, scanned B",
		/* an unknown code with a known format */
		"WRONG_BIN: expected A-01, scanned B-01",
		/* a known format under another code */
		"WRONG_SKU: put them in A-01, not B-01",
		/* almost: a changed word, a missing comma, case, extra text */
		"WRONG_LOCATION: expected A-01, scaned B-01",
		"WRONG_LOCATION: expected A-01 scanned B-01",
		"WRONG_LOCATION: Expected A-01, scanned B-01",
		"NO_TOTE: the wave needs 4 totes, 3 are free!",
		"NO_TOTE: 3 totes free, 4 needed",
		"BAD_QTY: quantity must be positive ",
		"BAD_QTY: quantity must be",
		"NO_LOCATION: no receiving dock.",
		/* a database error, not a refusal */
		"duplicate key value violates unique constraint \"sku_pkey\"",
		"could not connect to server: Connection refused",
		/* ambiguous: the scan holds the format's own words */
		"WRONG_LOCATION: expected A-01, scanned B, scanned C",
		"OP_CONFLICT: operation x was a y, not a z, not a w",
	};
	struct refusal r;
	char buf[64];
	size_t i;

	(void)unused;
	assert_false(refusal_parse(NULL, &r));
	assert_null(r.row);
	assert_false(refusal_translate(NULL, buf, sizeof(buf)));
	assert_string_equal(buf, "");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(buf, 'x', sizeof(buf));
		if (refusal_parse(bad[i], &r))
			fail_msg("\"%s\" matched %s: \"%s\"", bad[i],
				 r.row->code, r.row->format);
		assert_null(r.row);
		assert_int_equal(r.n, 0);
		assert_false(refusal_translate(bad[i], buf, sizeof(buf)));
		assert_string_equal(buf, "");
	}
	/* nothing is written without room */
	buf[0] = 'x';
	assert_false(refusal_translate("BAD_QTY: quantity must be positive",
				       buf, 0));
	assert_int_equal(buf[0], 'x');
}

/* Parameters are data: a '%' stays a '%', escapes and controls go. */
static void test_hostile_parameters(void **unused)
{
	char buf[FLOOR_MSG_MAX];
	struct refusal r;

	(void)unused;
	assert_true(refusal_translate("WRONG_LOCATION: expected %s%n%x%1$s, "
				      "scanned 100%", buf, sizeof(buf)));
	assert_string_equal(buf, "Wrong bin: expected %s%n%x%1$s, scanned "
				 "100%");
	assert_true(refusal_translate("WRONG_LOCATION: expected A\x1b[2J-01, "
				      "scanned B\x07\r\n", buf, sizeof(buf)));
	assert_string_equal(buf, "Wrong bin: expected A-01, scanned B ");
	/* an unterminated OSC eats the rest of its parameter, no more */
	assert_true(refusal_parse("WRONG_LOCATION: expected A\x1b]0;pwned, "
				  "scanned B", &r));
	assert_string_equal(r.param[0], "A");
	assert_string_equal(r.param[1], "B");
	/* 8-bit CSI, bidi override, invalid UTF-8 */
	assert_true(refusal_parse("WRONG_SKU: expected \xc2\x9b" "31mX, "
				  "scanned \xe2\x80\xaeY\xff", &r));
	assert_true(clean_utf8(r.param[0]));
	assert_true(clean_utf8(r.param[1]));
	assert_null(strchr(r.param[0], '\x1b'));
	assert_non_null(strstr(r.param[1], "Y"));
	assert_null(strstr(r.param[1], "\xe2\x80\xae"));
}

/* Long values are cut inside their own slot, on a character boundary. */
static void test_long_parameters(void **unused)
{
	char msg[REFUSAL_MSG_MAX + 64], buf[FLOOR_MSG_MAX], small[16];
	struct refusal r;
	size_t i, n;

	(void)unused;
	/* 300 ASCII bytes: cut with an ellipsis */
	n = (size_t)snprintf(msg, sizeof(msg), "NO_TASK: no task ");
	for (i = 0; i < 300; i++)
		msg[n++] = 'A' + (char)(i % 26);
	msg[n] = '\0';
	assert_true(refusal_parse(msg, &r));
	assert_true(strlen(r.param[0]) < REFUSAL_PARAM_SIZE);
	assert_string_equal(r.param[0] + strlen(r.param[0]) - 3,
			    "\xe2\x80\xa6");
	/* 100 CJK characters (300 bytes) then a code: cut between them */
	n = (size_t)snprintf(msg, sizeof(msg), "WRONG_SKU: expected ");
	for (i = 0; i < 100; i++) {
		memcpy(msg + n, "\xe5\xba\x93", 3); /* 库 */
		n += 3;
	}
	snprintf(msg + n, sizeof(msg) - n, ", scanned SKU-1");
	assert_true(refusal_parse(msg, &r));
	assert_true(clean_utf8(r.param[0]));
	assert_true(strlen(r.param[0]) < REFUSAL_PARAM_SIZE);
	assert_string_equal(r.param[1], "SKU-1");
	assert_true(refusal_translate(msg, buf, sizeof(buf)));
	assert_true(clean_utf8(buf));
	assert_non_null(strstr(buf, "scanned SKU-1"));
	/* a small output buffer: cut, never inside a character */
	assert_true(refusal_translate(msg, small, sizeof(small)));
	assert_true(clean_utf8(small));
	assert_true(strlen(small) < sizeof(small));
	assert_true(refusal_translate(msg, small, 1));
	assert_string_equal(small, "");
	/* longer than any message of the engine: not looked at */
	memset(msg, 'a', sizeof(msg) - 1);
	memcpy(msg, "NO_TASK: no task ", 17);
	msg[sizeof(msg) - 1] = '\0';
	assert_false(refusal_parse(msg, &r));
	/* a message built to make a naive matcher backtrack */
	n = (size_t)snprintf(msg, sizeof(msg), "WRONG_LOT: order ");
	while (n + 8 < REFUSAL_MSG_MAX) {
		memcpy(msg + n, " of , no", 8);
		n += 8;
	}
	msg[n] = '\0';
	assert_false(refusal_parse(msg, &r));
}

static void test_expand(void **unused)
{
	const char *p[] = { "A", "B%s", "C" };
	char buf[32];

	(void)unused;
	assert_true(refusal_expand(buf, sizeof(buf), "%s-%s-%s", p, 3));
	assert_string_equal(buf, "A-B%s-C");
	assert_true(refusal_expand(buf, sizeof(buf), "%3$s %1$s %2$s", p, 3));
	assert_string_equal(buf, "C A B%s");
	assert_true(refusal_expand(buf, sizeof(buf), "100%% %s", p, 1));
	assert_string_equal(buf, "100% A");
	assert_true(refusal_expand(buf, sizeof(buf), "no parameter", p, 0));
	assert_string_equal(buf, "no parameter");
	/* a translation may leave a parameter out */
	assert_true(refusal_expand(buf, sizeof(buf), "%2$s", p, 3));
	assert_string_equal(buf, "B%s");
	/* anything else is a broken format: nothing, not garbage */
	assert_false(refusal_expand(buf, sizeof(buf), "%d", p, 3));
	assert_string_equal(buf, "");
	assert_false(refusal_expand(buf, sizeof(buf), "%n", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%.3s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%-5s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "50%", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%s %s %s %s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%4$s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%0$s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%$s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf),
				    "%99999999999999999999$s", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), "%1$d", p, 3));
	assert_false(refusal_expand(buf, sizeof(buf), NULL, p, 3));
	assert_false(refusal_expand(buf, 0, "x", p, 3));
	/* cut to the buffer, a character never split */
	assert_true(refusal_expand(buf, 8, "\xe5\xba\x93\xe5\xba\x93%s", p,
				   1));
	assert_string_equal(buf, "\xe5\xba\x93\xe5\xba\x93" "A");
	assert_true(refusal_expand(buf, 7, "\xe5\xba\x93\xe5\xba\x93%s", p,
				   1));
	assert_string_equal(buf, "\xe5\xba\x93\xe5\xba\x93");
	assert_true(refusal_expand(buf, 6, "\xe5\xba\x93\xe5\xba\x93%s", p,
				   1));
	assert_string_equal(buf, "\xe5\xba\x93");
}

/* floor_msg_db: translated when known, the English words when not. */
/* The one reader of the "CODE: " prefix, for translated and not. */
static void test_words(void **unused)
{
	(void)unused;
	assert_null(refusal_words(NULL));
	assert_string_equal(refusal_words("NO_TOTE: no tote T1"), "no tote T1");
	assert_string_equal(refusal_words("WRONG_PIN_2: x"), "x");
	/* no code, or not followed by ": ", stays whole */
	assert_string_equal(refusal_words("server gone"), "server gone");
	assert_string_equal(refusal_words(": x"), ": x");
	assert_string_equal(refusal_words("NO_TOTE:x"), "NO_TOTE:x");
	assert_string_equal(refusal_words("No_tote: x"), "No_tote: x");
	assert_string_equal(refusal_words(""), "");
}

static void test_floor_msg_db(void **unused)
{
	struct floor_msg m;

	(void)unused;
	floor_msg_db(&m, "WRONG_LOCATION: expected A-01-02-1, scanned B-01",
		     "Database error");
	assert_true(m.err);
	assert_string_equal(m.text, "Wrong bin: expected A-01-02-1, scanned "
				    "B-01");
	/* a format this build does not know: today's behaviour */
	floor_msg_db(&m, "WRONG_LOCATION: go to A-01-02-1", "x");
	assert_string_equal(m.text, "go to A-01-02-1");
	floor_msg_db(&m, "NEW_CODE: something new\x1b[2J", "x");
	assert_string_equal(m.text, "something new");
	floor_msg_db(&m, "WRONG_LOCATION: expected A-01, scanned B, scanned C",
		     "x");
	assert_string_equal(m.text, "expected A-01, scanned B, scanned C");
	floor_msg_db(&m, "server closed the connection unexpectedly", "x");
	assert_string_equal(m.text,
			    "server closed the connection unexpectedly");
	floor_msg_db(&m, NULL, "Database error");
	assert_string_equal(m.text, "Database error");
	floor_msg_db(&m, "", "Database error");
	assert_string_equal(m.text, "Database error");
}

/* Every row in Chinese: translated, every parameter shown. */
static void test_every_row_chinese(void **unused)
{
	const struct refusal_format *f;
	struct wh_error e = { 0 };
	char dir[PATH_MAX], buf[FLOOR_MSG_MAX];
	struct floor_msg m;
	size_t n, i, j;

	(void)unused;
	if (!find_catalogue(dir, sizeof(dir)))
		skip(); /* ui/po not built into this tree */
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	assert_int_equal(i18n_init(dir, &e), WH_OK);
	assert_int_equal(i18n_set_language("zh_CN", &e), WH_OK);
	f = refusal_formats(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(_(f[i].msgid), f[i].msgid))
			fail_msg("no zh_CN translation of \"%s\"", f[i].msgid);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct refusal r;

		assert_true(refusal_translate(cases[i].msg, buf, sizeof(buf)));
		assert_string_equal(buf, cases[i].zh);
		assert_true(refusal_parse(cases[i].msg, &r));
		for (j = 0; j < r.n; j++)
			if (!strstr(buf, r.param[j]))
				fail_msg("\"%s\" lost \"%s\"", buf, r.param[j]);
	}
	/* through the status line, and the fallback stays English */
	floor_msg_db(&m, "WRONG_LOCATION: expected A-01-02-1, scanned B-01",
		     "x");
	assert_string_equal(m.text, "库位错误：应为 A-01-02-1，扫描为 B-01");
	floor_msg_db(&m, "WRONG_LOCATION: go to A-01-02-1", "x");
	assert_string_equal(m.text, "go to A-01-02-1");
	/* cut on a character boundary in Chinese too */
	assert_true(refusal_translate("WRONG_LOCATION: expected A, scanned B",
				      buf, 8));
	assert_string_equal(buf, "库位");
	assert_int_equal(i18n_set_language(NULL, &e), WH_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_every_row_english),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_hostile_parameters),
		cmocka_unit_test(test_long_parameters),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_floor_msg_db),
		cmocka_unit_test(test_every_row_chinese),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
