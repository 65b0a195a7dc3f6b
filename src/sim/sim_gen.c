/*
 * sim_gen.c - deterministic order generation.
 *
 * Order number seq of a shop always comes out the same for one --seed,
 * whatever else happened before (each order draws from its own stream
 * keyed by seed, shop and seq), so two runs with the same seed and the
 * same control calls serve the same orders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sim/sim.h"

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	return sim_mix(r->s++);
}

/* Uniform in [0, n). */
static unsigned pick(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct cn_place {
	const char *prov;
	const char *city;
	const char *dist[3];
	const char *zip;
	const char *streets[3];
};

static const struct cn_place cn_places[] = {
	{ "浙江省", "杭州市", { "西湖区", "余杭区", "滨江区" }, "310012",
	  { "文三路", "文一西路", "江南大道" } },
	{ "上海市", "上海市", { "浦东新区", "徐汇区", "静安区" }, "200120",
	  { "世纪大道", "漕溪北路", "南京西路" } },
	{ "广东省", "深圳市", { "南山区", "福田区", "宝安区" }, "518057",
	  { "深南大道", "科技园南路", "新安六路" } },
	{ "广东省", "广州市", { "天河区", "越秀区", "海珠区" }, "510620",
	  { "天河路", "中山五路", "新港中路" } },
	{ "江苏省", "南京市", { "鼓楼区", "玄武区", "建邺区" }, "210008",
	  { "中山路", "珠江路", "江东中路" } },
	{ "江苏省", "苏州市", { "姑苏区", "工业园区", "吴中区" }, "215000",
	  { "人民路", "星湖街", "东吴北路" } },
	{ "北京市", "北京市", { "朝阳区", "海淀区", "东城区" }, "100022",
	  { "建国路", "中关村大街", "东直门内大街" } },
	{ "四川省", "成都市", { "武侯区", "锦江区", "高新区" }, "610041",
	  { "人民南路", "春熙路", "天府大道" } },
	{ "湖北省", "武汉市", { "武昌区", "洪山区", "江汉区" }, "430061",
	  { "中南路", "珞喻路", "解放大道" } },
	{ "山东省", "青岛市", { "市南区", "崂山区", "李沧区" }, "266071",
	  { "香港中路", "海尔路", "京口路" } },
	{ "福建省", "厦门市", { "思明区", "湖里区", "集美区" }, "361001",
	  { "鹭江道", "湖滨南路", "杏林湾路" } },
	{ "陕西省", "西安市", { "雁塔区", "碑林区", "未央区" }, "710061",
	  { "长安南路", "南大街", "凤城八路" } },
};

static const char *const cn_surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
};

static const char *const cn_given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "玉兰", "桂英",
	"建国", "志强", "晓燕", "子涵", "浩然", "欣怡", "宇轩", "梓萱",
};

static const char *const cn_estates[] = {
	"金都花园", "阳光小区", "万科城", "绿城桂花园", "碧桂园",
	"华润中心", "保利香槟国际", "龙湖天街", "世茂滨江花园",
};

static const char *const cn_phone_prefix[] = {
	"138", "139", "136", "150", "151", "186", "187", "177", "135",
	"159",
};

struct west_place {
	const char *country;
	const char *state;
	const char *state_code;
	const char *city;
	const char *zip;
	const char *street;
	const char *dial; /* phone prefix */
};

static const struct west_place us_places[] = {
	{ "US", "California", "CA", "San Jose", "95113", "Market St",
	  "+1 408-555-" },
	{ "US", "California", "CA", "Los Angeles", "90012", "Spring St",
	  "+1 213-555-" },
	{ "US", "New York", "NY", "Brooklyn", "11217", "Atlantic Ave",
	  "+1 718-555-" },
	{ "US", "Texas", "TX", "Austin", "78701", "Congress Ave",
	  "+1 512-555-" },
	{ "US", "Washington", "WA", "Seattle", "98101", "Pike St",
	  "+1 206-555-" },
	{ "US", "Illinois", "IL", "Chicago", "60601", "Michigan Ave",
	  "+1 312-555-" },
	{ "US", "Massachusetts", "MA", "Boston", "02108", "Beacon St",
	  "+1 617-555-" },
	{ "US", "Colorado", "CO", "Denver", "80202", "Larimer St",
	  "+1 303-555-" },
	{ "US", "Oregon", "OR", "Portland", "97204", "Burnside St",
	  "+1 503-555-" },
	{ "US", "Georgia", "GA", "Atlanta", "30303", "Peachtree St",
	  "+1 404-555-" },
};

static const struct west_place world_places[] = {
	{ "GB", "England", "ENG", "London", "NW1 6XE", "Baker Street",
	  "+44 20 7946 " },
	{ "CA", "Ontario", "ON", "Toronto", "M5V 2T6", "King Street W",
	  "+1 416-555-" },
	{ "AU", "New South Wales", "NSW", "Sydney", "2000", "George St",
	  "+61 2 5550 " },
};

static const struct west_place eu_places[] = {
	{ "DE", "Berlin", "BE", "Berlin", "10117", "Unter den Linden",
	  "+49 30 5550" },
	{ "DE", "Bayern", "BY", "München", "80802", "Leopoldstraße",
	  "+49 89 5550" },
	{ "FR", "Île-de-France", "IDF", "Paris", "75001", "Rue de Rivoli",
	  "+33 1 5550 " },
	{ "NL", "Noord-Holland", "NH", "Amsterdam", "1012 LG", "Damrak",
	  "+31 20 555 " },
	{ "ES", "Madrid", "M", "Madrid", "28013", "Gran Vía",
	  "+34 91 555 " },
	{ "IT", "Lombardia", "MI", "Milano", "20121",
	  "Via Montenapoleone", "+39 02 5550 " },
	{ "AT", "Wien", "9", "Wien", "1010", "Kärntner Straße",
	  "+43 1 5550 " },
};

static const char *const en_first[] = {
	"Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia",
	"Mason", "Isabella", "Lucas", "Mia", "James", "Charlotte",
	"Benjamin", "Amelia", "Henry", "Harper", "Alexander",
};

static const char *const en_last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
	"Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas",
	"Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
};

static const char *const eu_first[] = {
	"Lukas", "Emma", "Mia", "Leon", "Sofia", "Louis", "Chloé",
	"Lucas", "Giulia", "Marco", "Anna", "Jan", "Sara", "Pablo",
	"Lucía", "Léa", "Matteo", "Sophie",
};

static const char *const eu_last[] = {
	"Müller", "Schmidt", "Schneider", "Dubois", "Martin", "Bernard",
	"Rossi", "Russo", "García", "Fernández", "de Vries", "Jansen",
	"Novak", "Weber", "Lefèvre", "Bianchi",
};

static const char *const zh_titles[] = {
	"婴儿配方奶粉 3段 800g", "纯棉短袖T恤", "保湿补水面霜 50ml",
	"有机绿茶 250g 罐装", "不锈钢保温杯 500ml", "无线蓝牙耳机 降噪",
	"儿童益智积木 120粒", "天然乳胶枕头", "坚果礼盒 混合装 1kg",
	"运动速干袜 5双装", "快充数据线 1m", "洗衣凝珠 薰衣草 52颗",
};

static const char *const en_titles[] = {
	"Infant Formula Stage 3 800g", "Cotton Crew T-Shirt",
	"Hydrating Face Cream 50ml", "Organic Green Tea 250g Tin",
	"Stainless Steel Bottle 500ml", "Wireless Noise-Cancelling Earbuds",
	"Building Blocks Set 120 pcs", "Natural Latex Pillow",
	"Mixed Nuts Gift Box 1kg", "Quick-Dry Sport Socks 5-Pack",
	"USB-C Fast Charge Cable 1m", "Laundry Pods Lavender 52ct",
};

static const char *const zh_variants[] = { "白色", "黑色", "蓝色", "粉色",
					   "灰色" };
static const char *const en_variants[] = { "White", "Black", "Blue", "Pink",
					   "Grey" };

void gen_sku_title(int n, bool chinese, char *buf, size_t size)
{
	unsigned k = (unsigned)(n > 0 ? n - 1 : 0);

	if (chinese)
		snprintf(buf, size, "%s %s", zh_titles[k % N(zh_titles)],
			 zh_variants[(k / N(zh_titles)) % N(zh_variants)]);
	else
		snprintf(buf, size, "%s, %s", en_titles[k % N(en_titles)],
			 en_variants[(k / N(en_titles)) % N(en_variants)]);
}

int64_t gen_sku_price(int n)
{
	/* 9.90 .. 309.89, fixed per SKU like the demo catalogue. */
	return 990 + (int64_t)(sim_mix(0x5eedULL * 1000003u + (uint64_t)n) %
			       30000);
}

long long gen_item_id(int n)
{
	return 1000000LL + n;
}

long long gen_sku_id(int n)
{
	return 5000000LL + n;
}

long long gen_inventory_item_id(int n)
{
	return 7000000LL + n;
}

static int sku_in_range(long long n)
{
	return n >= 1 && n <= sim_cfg.skus ? (int)n : 0;
}

int gen_sku_from_code(const char *code)
{
	long long n;

	if (!code || strncmp(code, "SKU-", 4) != 0 || strlen(code) != 10)
		return 0;
	return parse_ll(code + 4, 1, 999999, &n) ? sku_in_range(n) : 0;
}

int gen_sku_from_item_id(const char *id)
{
	long long n;

	return parse_ll(id, 1000001, 1999999, &n) ?
		       sku_in_range(n - 1000000) : 0;
}

int gen_sku_from_sku_id(const char *id)
{
	long long n;

	return parse_ll(id, 5000001, 5999999, &n) ?
		       sku_in_range(n - 5000000) : 0;
}

char *gen_cipher(const struct sim_shop *s, const char *order_id,
		 const char *plain)
{
	size_t n = strlen(plain), ob;
	unsigned char *x = malloc(n + 1);
	unsigned char block[32];
	char *b, *out;

	if (!x)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i % 32 == 0) {
			EVP_MD_CTX *c = EVP_MD_CTX_new();
			uint32_t ctr = (uint32_t)(i / 32);
			unsigned int bl = 0;

			if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
			    !EVP_DigestUpdate(c, s->secret,
					      strlen(s->secret)) ||
			    !EVP_DigestUpdate(c, order_id,
					      strlen(order_id)) ||
			    !EVP_DigestUpdate(c, &ctr, sizeof(ctr)) ||
			    !EVP_DigestFinal_ex(c, block, &bl)) {
				EVP_MD_CTX_free(c);
				free(x);
				return NULL;
			}
			EVP_MD_CTX_free(c);
		}
		x[i] = (unsigned char)plain[i] ^ block[i % 32];
	}
	b = b64_encode(x, n);
	free(x);
	if (!b)
		return NULL;
	ob = strlen(b) + 3;
	out = malloc(ob);
	if (out)
		snprintf(out, ob, "~%s~", b);
	free(b);
	return out;
}

/* Length in bytes of the first k UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, size_t k)
{
	size_t i = 0;

	while (s[i] && k) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		k--;
	}
	return i;
}

void gen_mask_name(const char *name, char *buf, size_t size)
{
	size_t p = utf8_prefix(name, 1);

	snprintf(buf, size, "%.*s**", (int)p, name);
}

void gen_mask_phone(const char *phone, char *buf, size_t size)
{
	size_t n = strlen(phone);

	if (n < 8) {
		snprintf(buf, size, "****");
		return;
	}
	snprintf(buf, size, "%.3s****%s", phone, phone + n - 4);
}

void gen_mask_address(const char *addr, char *buf, size_t size)
{
	size_t p = utf8_prefix(addr, 4);

	snprintf(buf, size, "%.*s****", (int)p, addr);
}

static bool is_chinese(const struct sim_shop *s)
{
	return s->platform == SIM_TOP || s->platform == SIM_JD ||
	       s->platform == SIM_PDD || s->platform == SIM_DOUYIN;
}

static void gen_ids(const struct sim_shop *s, uint64_t seq, int64_t now_ms,
		    struct rng *r, struct sim_order *o)
{
	unsigned long long q = (unsigned long long)seq;
	char day[16];
	time_t t = (time_t)(now_ms / 1000 + 8 * 3600);
	struct tm tm;

	switch (s->platform) {
	case SIM_TOP:
		snprintf(o->id, sizeof(o->id), "%llu",
			 (strcmp(s->platform_name, "tmall") ? 3ULL : 4ULL) *
					 1000000000000000000ULL +
				 q * 1000 + pick(r, 990));
		break;
	case SIM_JD:
		snprintf(o->id, sizeof(o->id), "%llu",
			 280000000000ULL + q * 100 + pick(r, 100));
		break;
	case SIM_PDD:
		gmtime_r(&t, &tm);
		snprintf(day, sizeof(day), "%02d%02d%02d", tm.tm_year % 100,
			 tm.tm_mon + 1, tm.tm_mday);
		snprintf(o->id, sizeof(o->id), "%s-%08u%07llu", day,
			 pick(r, 100000000), q % 10000000);
		break;
	case SIM_DOUYIN:
		snprintf(o->id, sizeof(o->id), "%llu",
			 6900000000000000000ULL + q * 100 + pick(r, 90));
		break;
	case SIM_AMAZON:
		snprintf(o->id, sizeof(o->id), "113-%07u-%07llu",
			 pick(r, 10000000), q % 10000000);
		break;
	case SIM_SHOPIFY:
		snprintf(o->id, sizeof(o->id), "%llu", 5400000000000ULL + q);
		snprintf(o->number, sizeof(o->number), "#%llu", 1000 + q);
		break;
	case SIM_WOO:
		snprintf(o->id, sizeof(o->id), "%llu", 10000ULL + q);
		snprintf(o->number, sizeof(o->number), "%llu", 10000ULL + q);
		break;
	}
}

static void line_id(const struct sim_shop *s, const struct sim_order *o,
		    uint64_t seq, int k, struct rng *r, char *buf, size_t n)
{
	unsigned long long q = (unsigned long long)seq;

	switch (s->platform) {
	case SIM_TOP:
		/* A single-line trade's oid is its tid. */
		if (o->nlines == 1) {
			snprintf(buf, n, "%s", o->id);
			return;
		}
		snprintf(buf, n, "%llu", strtoull(o->id, NULL, 10) + 1 +
						(unsigned long long)k);
		return;
	case SIM_DOUYIN:
		snprintf(buf, n, "%llu", strtoull(o->id, NULL, 10) -
						strtoull(o->id, NULL, 10) %
							100 +
						90 + (unsigned long long)k);
		return;
	case SIM_AMAZON:
		snprintf(buf, n, "%011llu%03d",
			 (unsigned long long)(rnd(r) % 100000000000ULL), k);
		return;
	case SIM_SHOPIFY:
		snprintf(buf, n, "%llu", 13600000000000ULL + q * 10 +
						 (unsigned long long)k);
		return;
	case SIM_WOO:
		snprintf(buf, n, "%llu", q * 10 + (unsigned long long)k);
		return;
	case SIM_JD:
	case SIM_PDD:
		/* No line ids: the platform SKU id stands in. */
		snprintf(buf, n, "%lld", gen_sku_id(o->lines[k].sku));
		return;
	}
}

static void gen_person(const struct sim_shop *s, struct rng *r,
		       struct sim_order *o)
{
	if (is_chinese(s)) {
		const struct cn_place *p = &cn_places[pick(r, N(cn_places))];

		snprintf(o->first, sizeof(o->first), "%s%s",
			 cn_surnames[pick(r, N(cn_surnames))],
			 cn_given[pick(r, N(cn_given))]);
		o->last[0] = '\0';
		snprintf(o->phone, sizeof(o->phone), "%s%08u",
			 cn_phone_prefix[pick(r, N(cn_phone_prefix))],
			 pick(r, 100000000));
		snprintf(o->province, sizeof(o->province), "%s", p->prov);
		snprintf(o->city, sizeof(o->city), "%s", p->city);
		snprintf(o->district, sizeof(o->district), "%s",
			 p->dist[pick(r, 3)]);
		snprintf(o->street, sizeof(o->street),
			 "%s%u号 %s %u栋%u室", p->streets[pick(r, 3)],
			 1 + pick(r, 999), cn_estates[pick(r, N(cn_estates))],
			 1 + pick(r, 30), 101 + pick(r, 30) * 100 +
					     pick(r, 6));
		snprintf(o->zip, sizeof(o->zip), "%s", p->zip);
		snprintf(o->country, sizeof(o->country), "CN");
		snprintf(o->currency, sizeof(o->currency), "CNY");
		snprintf(o->buyer, sizeof(o->buyer), "%s**%u",
			 cn_surnames[pick(r, N(cn_surnames))],
			 pick(r, 10));
		o->email[0] = '\0';
		return;
	}

	const struct west_place *p;
	const char *const *first = en_first, *const *last = en_last;
	size_t nf = N(en_first), nl = N(en_last);

	if (s->platform == SIM_WOO) {
		p = &eu_places[pick(r, N(eu_places))];
		first = eu_first;
		last = eu_last;
		nf = N(eu_first);
		nl = N(eu_last);
		snprintf(o->currency, sizeof(o->currency), "EUR");
	} else if (s->platform == SIM_SHOPIFY && pick(r, 4) == 0) {
		p = &world_places[pick(r, N(world_places))];
		snprintf(o->currency, sizeof(o->currency), "USD");
	} else {
		p = &us_places[pick(r, N(us_places))];
		snprintf(o->currency, sizeof(o->currency), "USD");
	}
	snprintf(o->first, sizeof(o->first), "%s",
		 first[pick(r, (unsigned)nf)]);
	snprintf(o->last, sizeof(o->last), "%s", last[pick(r, (unsigned)nl)]);
	snprintf(o->phone, sizeof(o->phone), "%s%04u", p->dial,
		 pick(r, 10000));
	snprintf(o->province, sizeof(o->province), "%s", p->state);
	snprintf(o->province_code, sizeof(o->province_code), "%s",
		 p->state_code);
	snprintf(o->city, sizeof(o->city), "%s", p->city);
	o->district[0] = '\0';
	if (!strcmp(p->country, "US") || !strcmp(p->country, "CA") ||
	    !strcmp(p->country, "AU") || !strcmp(p->country, "GB"))
		snprintf(o->street, sizeof(o->street), "%u %s",
			 1 + pick(r, 2999), p->street);
	else
		snprintf(o->street, sizeof(o->street), "%s %u", p->street,
			 1 + pick(r, 199));
	snprintf(o->zip, sizeof(o->zip), "%s", p->zip);
	snprintf(o->country, sizeof(o->country), "%s", p->country);
	/* ASCII local part: names like "Müller" are not. */
	snprintf(o->email, sizeof(o->email), "buyer%u.%u@example.%s",
		 (unsigned)o->seq, pick(r, 1000),
		 s->platform == SIM_WOO ? "eu" : "com");
	snprintf(o->buyer, sizeof(o->buyer), "%s %s", o->first, o->last);
}

void gen_order(const struct sim_shop *s, uint64_t seq, int64_t now_ms,
	       const struct sim_new_orders *how, struct sim_order *o)
{
	static const int nlines_w[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					2, 2, 2, 2, 2, 2, 3, 3, 3, 4 };
	struct rng r = { sim_mix(sim_cfg.seed ^ ((uint64_t)s->index << 56) ^
				 seq * 0x100000001b3ULL) };
	int64_t goods = 0;
	int skus = sim_cfg.skus > 0 ? sim_cfg.skus : 500;

	memset(o, 0, sizeof(*o));
	o->seq = seq;
	gen_ids(s, seq, now_ms, &r, o);
	gen_person(s, &r, o);
	o->nlines = nlines_w[pick(&r, N(nlines_w))];
	if (o->nlines > skus)
		o->nlines = skus;
	for (int k = 0; k < o->nlines; k++) {
		struct sim_line *ln = &o->lines[k];
		unsigned q = pick(&r, 10);
		bool dup;

		do {
			ln->sku = 1 + (int)pick(&r, (unsigned)skus);
			dup = false;
			for (int j = 0; j < k; j++)
				dup |= o->lines[j].sku == ln->sku;
		} while (dup);
		ln->qty = q < 7 ? 1 : (q < 9 ? 2 : 3);
		ln->price = gen_sku_price(ln->sku);
		goods += ln->price * ln->qty;
	}
	for (int k = 0; k < o->nlines; k++)
		line_id(s, o, seq, k, &r, o->lines[k].id,
			sizeof(o->lines[k].id));
	if (is_chinese(s))
		o->shipping_fee = pick(&r, 4) == 0 ? 600 : 0;
	else
		o->shipping_fee = pick(&r, 3) == 0 ? 0 : 499;
	/* A coupon on some orders, never more than the first line. */
	if (pick(&r, 4) == 0)
		o->discount = (o->lines[0].price * o->lines[0].qty / 10) /
			      100 * 100;
	(void)goods;
	o->created_ms = now_ms;
	o->modified_ms = now_ms;
	if (how->unpaid) {
		o->state = SIM_UNPAID;
	} else {
		o->state = SIM_PAID;
		o->paid_ms = now_ms;
	}
	if (!how->evolve)
		return;
	int64_t pay = how->unpaid ? now_ms + 5000 + pick(&r, 55000) : now_ms;

	if (how->unpaid)
		o->pay_at_ms = pay;
	if ((int)pick(&r, 100) < sim_cfg.cancel_rate) {
		/* Two in five cancel before paying. */
		if (how->unpaid && pick(&r, 5) < 2)
			o->cancel_at_ms = now_ms + 1000 +
					  pick(&r, (unsigned)(pay - now_ms));
		else
			o->cancel_at_ms = pay + 30000 + pick(&r, 270000);
	} else if ((int)pick(&r, 100) < sim_cfg.refund_rate) {
		o->refund_at_ms = pay + 30000 + pick(&r, 570000);
	}
}
