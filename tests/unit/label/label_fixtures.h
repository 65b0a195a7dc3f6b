/*
 * label_fixtures.h - sample label data shared by the label tests.
 * Header-only; each test file includes it once. Returned json_t objects
 * belong to the caller (json_decref).
 */
#ifndef WHARF_TESTS_LABEL_FIXTURES_H
#define WHARF_TESTS_LABEL_FIXTURES_H

#include <jansson.h>

static const char carrier_json[] =
	"{\"tracking\":\"SF1234567890123\",\"sort_code\":\"755W-021 A3\","
	"\"carrier\":\"顺丰速运\",\"order_ref\":\"TB20240611-889911\","
	"\"weight_kg\":1.25,"
	"\"receiver\":{\"name\":\"张三\",\"phone\":\"138****0000\","
	"\"address\":\"浙江省杭州市余杭区文一西路969号阿里巴巴西溪园区5号楼"
	"3层前台\"},"
	"\"sender\":{\"name\":\"李四仓库\",\"phone\":\"0571-88888888\","
	"\"address\":\"浙江省杭州市萧山区经济技术开发区鸿达路188号\"},"
	"\"items\":[{\"name\":\"婴儿奶粉 900g\",\"qty\":2},"
	"{\"name\":\"湿巾 80抽\",\"qty\":3}]}";

static const char sscc_count_json[] =
	"{\"sscc\":\"106141411234567897\",\"gtin\":\"09506000134352\","
	"\"count\":48,\"ship_from\":{\"name\":\"wharf DC 杭州\","
	"\"address\":\"杭州市萧山区鸿达路188号\"},"
	"\"ship_to\":{\"name\":\"天猫超市 嘉兴仓\","
	"\"address\":\"嘉兴市南湖区\"}}";

static const char sscc_lot_json[] =
	"{\"sscc\":\"106141411234567897\",\"gtin\":\"09506000134352\","
	"\"lot\":\"AB12\",\"expiry\":\"2025-12-31\"}";

static const char location_json[] =
	"{\"code\":\"A-01-02-03\",\"zone\":\"拣货区 A\","
	"\"description\":\"Pick face\"}";

static const char product_json[] =
	"{\"name\":\"婴儿配方奶粉 1段 900g 罐装\",\"gtin\":\"6901234567892\","
	"\"lot\":\"L2406A\",\"expiry\":\"2026-06-30\",\"sku\":\"MILK-900-1\","
	"\"spec\":\"900g x 1\"}";

static json_t *fixture(const char *text)
{
	json_error_t err;

	return json_loads(text, 0, &err);
}

#endif
