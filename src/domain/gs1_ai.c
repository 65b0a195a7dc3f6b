/*
 * gs1_ai.c - the GS1 Application Identifier table.
 *
 * Formats, check-digit and date rules and Digital Link key qualifiers
 * follow the GS1 General Specifications and the GS1 Barcode Syntax
 * Dictionary. GS1_AI_PREDEF marks AIs whose first two digits are in the
 * predefined-length table (00-04, 11-20, 31-36, 41): only those need no
 * FNC1 after them. Other fixed-length AIs (422, 7003, 8001...) still end
 * with FNC1 when more data follows.
 *
 * Entries are in lexical order of AI; the table is prefix-free (no AI is
 * the start of another), so a scan's AI matches at most one entry. The
 * unit tests check both.
 */
#include "domain/gs1.h"

#include <string.h>

/* The table reads best one AI per entry, aligned by hand. */
/* clang-format off */
#define P GS1_AI_PREDEF
#define FAM GS1_AI_FAMILY
#define DEC (GS1_AI_FAMILY | GS1_AI_DECIMAL)

/* Component shorthands: N fixed with lint, N..n, X..n, X fixed... */
#define NF(n, li) { GS1_CSET_N, n, n, 0, GS1_LINT_##li }
#define NV(n) { GS1_CSET_N, 1, n, 0, GS1_LINT_NONE }
#define XF(n) { GS1_CSET_X, n, n, 0, GS1_LINT_NONE }
#define XV(n) { GS1_CSET_X, 1, n, 0, GS1_LINT_NONE }
#define ONF(n, li) { GS1_CSET_N, n, n, 1, GS1_LINT_##li }
#define ONV(n, li) { GS1_CSET_N, 1, n, 1, GS1_LINT_##li }
#define OXF(n, li) { GS1_CSET_X, n, n, 1, GS1_LINT_##li }
#define OXV(n) { GS1_CSET_X, 1, n, 1, GS1_LINT_NONE }

#define T(t) GS1_TYPE_##t

/* A family of measures with n = 0-5 implied decimals: 3100-3105... */
#define MEAS(pfx, title, name) \
	{ pfx, P | DEC, 0, 5, T(DECIMAL), { NF(6, NONE) }, NULL, title, name }

static const struct gs1_ai_def gs1_ai_table[] = {
	{ "00", P, 0, 0, T(KEY), { NF(18, CSUM) }, "", "SSCC",
	  "Serial Shipping Container Code" },
	{ "01", P, 0, 0, T(KEY), { NF(14, CSUM) }, "22,10,21|235", "GTIN",
	  "Global Trade Item Number" },
	{ "02", P, 0, 0, T(KEY), { NF(14, CSUM) }, NULL, "CONTENT",
	  "GTIN of contained trade items" },
	{ "03", P, 0, 0, T(KEY), { NF(14, CSUM) }, NULL, "MTO GTIN",
	  "GTIN of a made-to-order trade item" },
	{ "10", 0, 0, 0, T(STRING), { XV(20) }, NULL, "BATCH/LOT",
	  "Batch or lot number" },
	{ "11", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "PROD DATE",
	  "Production date" },
	{ "12", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "DUE DATE",
	  "Due date" },
	{ "13", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "PACK DATE",
	  "Packaging date" },
	{ "15", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "BEST BEFORE",
	  "Best before date" },
	{ "16", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "SELL BY",
	  "Sell by date" },
	{ "17", P, 0, 0, T(DATE), { NF(6, YYMMD0) }, NULL, "USE BY OR EXPIRY",
	  "Expiration date" },
	{ "20", P, 0, 0, T(STRING), { NF(2, NONE) }, NULL, "VARIANT",
	  "Internal product variant" },
	{ "21", 0, 0, 0, T(STRING), { XV(20) }, NULL, "SERIAL",
	  "Serial number" },
	{ "22", 0, 0, 0, T(STRING), { XV(20) }, NULL, "CPV",
	  "Consumer product variant" },
	{ "235", 0, 0, 0, T(STRING), { XV(28) }, NULL, "TPX",
	  "Third-party controlled serialised extension of GTIN" },
	{ "240", 0, 0, 0, T(STRING), { XV(30) }, NULL, "ADDITIONAL ID",
	  "Additional product identification" },
	{ "241", 0, 0, 0, T(STRING), { XV(30) }, NULL, "CUST. PART No.",
	  "Customer part number" },
	{ "242", 0, 0, 0, T(STRING), { NV(6) }, NULL, "MTO VARIANT",
	  "Made-to-order variation number" },
	{ "243", 0, 0, 0, T(STRING), { XV(20) }, NULL, "PCN",
	  "Packaging component number" },
	{ "250", 0, 0, 0, T(STRING), { XV(30) }, NULL, "SECONDARY SERIAL",
	  "Secondary serial number" },
	{ "251", 0, 0, 0, T(STRING), { XV(30) }, NULL, "REF. TO SOURCE",
	  "Reference to source entity" },
	{ "253", 0, 0, 0, T(KEY), { NF(13, CSUM), OXV(17) }, "", "GDTI",
	  "Global Document Type Identifier" },
	{ "254", 0, 0, 0, T(STRING), { XV(20) }, NULL,
	  "GLN EXTENSION COMPONENT", "GLN extension component" },
	{ "255", 0, 0, 0, T(KEY), { NF(13, CSUM), ONV(12, NONE) }, "", "GCN",
	  "Global Coupon Number" },
	{ "30", 0, 0, 0, T(INT), { NV(8) }, NULL, "VAR. COUNT",
	  "Variable count of items" },
	MEAS("310", "NET WEIGHT (kg)", "Net weight, kilograms"),
	MEAS("311", "LENGTH (m)", "Length or first dimension, metres"),
	MEAS("312", "WIDTH (m)", "Width or second dimension, metres"),
	MEAS("313", "HEIGHT (m)", "Depth or third dimension, metres"),
	MEAS("314", "AREA (m2)", "Area, square metres"),
	MEAS("315", "NET VOLUME (l)", "Net volume, litres"),
	MEAS("316", "NET VOLUME (m3)", "Net volume, cubic metres"),
	MEAS("320", "NET WEIGHT (lb)", "Net weight, pounds"),
	MEAS("321", "LENGTH (in)", "Length or first dimension, inches"),
	MEAS("322", "LENGTH (ft)", "Length or first dimension, feet"),
	MEAS("323", "LENGTH (yd)", "Length or first dimension, yards"),
	MEAS("324", "WIDTH (in)", "Width or second dimension, inches"),
	MEAS("325", "WIDTH (ft)", "Width or second dimension, feet"),
	MEAS("326", "WIDTH (yd)", "Width or second dimension, yards"),
	MEAS("327", "HEIGHT (in)", "Depth or third dimension, inches"),
	MEAS("328", "HEIGHT (ft)", "Depth or third dimension, feet"),
	MEAS("329", "HEIGHT (yd)", "Depth or third dimension, yards"),
	MEAS("330", "GROSS WEIGHT (kg)", "Logistic weight, kilograms"),
	MEAS("331", "LENGTH (m), log", "Logistic length, metres"),
	MEAS("332", "WIDTH (m), log", "Logistic width, metres"),
	MEAS("333", "HEIGHT (m), log", "Logistic depth, metres"),
	MEAS("334", "AREA (m2), log", "Logistic area, square metres"),
	MEAS("335", "VOLUME (l), log", "Logistic volume, litres"),
	MEAS("336", "VOLUME (m3), log", "Logistic volume, cubic metres"),
	MEAS("337", "KG PER m2", "Kilograms per square metre"),
	MEAS("340", "GROSS WEIGHT (lb)", "Logistic weight, pounds"),
	MEAS("341", "LENGTH (in), log", "Logistic length, inches"),
	MEAS("342", "LENGTH (ft), log", "Logistic length, feet"),
	MEAS("343", "LENGTH (yd), log", "Logistic length, yards"),
	MEAS("344", "WIDTH (in), log", "Logistic width, inches"),
	MEAS("345", "WIDTH (ft), log", "Logistic width, feet"),
	MEAS("346", "WIDTH (yd), log", "Logistic width, yards"),
	MEAS("347", "HEIGHT (in), log", "Logistic depth, inches"),
	MEAS("348", "HEIGHT (ft), log", "Logistic depth, feet"),
	MEAS("349", "HEIGHT (yd), log", "Logistic depth, yards"),
	MEAS("350", "AREA (in2)", "Area, square inches"),
	MEAS("351", "AREA (ft2)", "Area, square feet"),
	MEAS("352", "AREA (yd2)", "Area, square yards"),
	MEAS("353", "AREA (in2), log", "Logistic area, square inches"),
	MEAS("354", "AREA (ft2), log", "Logistic area, square feet"),
	MEAS("355", "AREA (yd2), log", "Logistic area, square yards"),
	MEAS("356", "NET WEIGHT (t oz)", "Net weight, troy ounces"),
	MEAS("357", "NET VOLUME (oz)", "Net weight or volume, ounces"),
	MEAS("360", "NET VOLUME (qt)", "Net volume, quarts"),
	MEAS("361", "NET VOLUME (gal.)", "Net volume, US gallons"),
	MEAS("362", "VOLUME (qt), log", "Logistic volume, quarts"),
	MEAS("363", "VOLUME (gal.), log", "Logistic volume, US gallons"),
	MEAS("364", "VOLUME (in3)", "Net volume, cubic inches"),
	MEAS("365", "VOLUME (ft3)", "Net volume, cubic feet"),
	MEAS("366", "VOLUME (yd3)", "Net volume, cubic yards"),
	MEAS("367", "VOLUME (in3), log", "Logistic volume, cubic inches"),
	MEAS("368", "VOLUME (ft3), log", "Logistic volume, cubic feet"),
	MEAS("369", "VOLUME (yd3), log", "Logistic volume, cubic yards"),
	{ "37", 0, 0, 0, T(INT), { NV(8) }, NULL, "COUNT",
	  "Count of trade items contained in a logistic unit" },
	{ "390", DEC, 0, 9, T(DECIMAL), { NV(15) }, NULL, "AMOUNT",
	  "Amount payable, local currency" },
	{ "391", DEC, 0, 9, T(AMOUNT), { NF(3, NONE), NV(15) }, NULL,
	  "AMOUNT", "Amount payable with ISO currency code" },
	{ "392", DEC, 0, 9, T(DECIMAL), { NV(15) }, NULL, "PRICE",
	  "Amount payable for a variable measure item, single currency" },
	{ "393", DEC, 0, 9, T(AMOUNT), { NF(3, NONE), NV(15) }, NULL,
	  "PRICE", "Amount payable for a variable measure item, ISO currency" },
	{ "394", DEC, 0, 3, T(DECIMAL), { NF(4, NONE) }, NULL, "PRCNT OFF",
	  "Percentage discount of a coupon" },
	{ "395", DEC, 0, 5, T(DECIMAL), { NF(6, NONE) }, NULL, "PRICE/UoM",
	  "Amount payable per unit of measure" },
	{ "400", 0, 0, 0, T(STRING), { XV(30) }, NULL, "ORDER NUMBER",
	  "Customer's purchase order number" },
	{ "401", 0, 0, 0, T(STRING), { XV(30) }, "", "GINC",
	  "Global Identification Number for Consignment" },
	{ "402", 0, 0, 0, T(KEY), { NF(17, CSUM) }, "", "GSIN",
	  "Global Shipment Identification Number" },
	{ "403", 0, 0, 0, T(STRING), { XV(30) }, NULL, "ROUTE",
	  "Routing code" },
	{ "410", P, 0, 0, T(KEY), { NF(13, CSUM) }, NULL, "SHIP TO LOC",
	  "Ship to / deliver to GLN" },
	{ "411", P, 0, 0, T(KEY), { NF(13, CSUM) }, NULL, "BILL TO",
	  "Bill to / invoice to GLN" },
	{ "412", P, 0, 0, T(KEY), { NF(13, CSUM) }, NULL, "PURCHASE FROM",
	  "Purchased from GLN" },
	{ "413", P, 0, 0, T(KEY), { NF(13, CSUM) }, NULL, "SHIP FOR LOC",
	  "Ship for / deliver for / forward to GLN" },
	{ "414", P, 0, 0, T(KEY), { NF(13, CSUM) }, "254|7040", "LOC No.",
	  "GLN of a physical location" },
	{ "415", P, 0, 0, T(KEY), { NF(13, CSUM) }, "8020", "PAY TO",
	  "GLN of the invoicing party" },
	{ "416", P, 0, 0, T(KEY), { NF(13, CSUM) }, NULL, "PROD/SERV LOC",
	  "GLN of the production or service location" },
	{ "417", P, 0, 0, T(KEY), { NF(13, CSUM) }, "7040", "PARTY",
	  "Party GLN" },
	{ "420", 0, 0, 0, T(STRING), { XV(20) }, NULL, "SHIP TO POST",
	  "Ship to / deliver to postal code, single postal authority" },
	{ "421", 0, 0, 0, T(STRING), { NF(3, NONE), XV(9) }, NULL,
	  "SHIP TO POST", "Ship to / deliver to postal code with ISO country" },
	{ "422", 0, 0, 0, T(STRING), { NF(3, NONE) }, NULL, "ORIGIN",
	  "Country of origin of a trade item" },
	{ "423", 0, 0, 0, T(STRING), { NV(15) }, NULL,
	  "COUNTRY - INITIAL PROCESS", "Country of initial processing" },
	{ "424", 0, 0, 0, T(STRING), { NF(3, NONE) }, NULL,
	  "COUNTRY - PROCESS", "Country of processing" },
	{ "425", 0, 0, 0, T(STRING), { NV(15) }, NULL,
	  "COUNTRY - DISASSEMBLY", "Country of disassembly" },
	{ "426", 0, 0, 0, T(STRING), { NF(3, NONE) }, NULL,
	  "COUNTRY - FULL PROCESS", "Country covering full process chain" },
	{ "427", 0, 0, 0, T(STRING), { XV(3) }, NULL, "ORIGIN SUBDIVISION",
	  "Country subdivision of origin" },
	{ "4300", 0, 0, 0, T(STRING), { XV(35) }, NULL, "SHIP TO COMP",
	  "Ship-to company name" },
	{ "4301", 0, 0, 0, T(STRING), { XV(35) }, NULL, "SHIP TO NAME",
	  "Ship-to contact" },
	{ "4302", 0, 0, 0, T(STRING), { XV(70) }, NULL, "SHIP TO ADD1",
	  "Ship-to address line 1" },
	{ "4303", 0, 0, 0, T(STRING), { XV(70) }, NULL, "SHIP TO ADD2",
	  "Ship-to address line 2" },
	{ "4304", 0, 0, 0, T(STRING), { XV(70) }, NULL, "SHIP TO SUB",
	  "Ship-to suburb" },
	{ "4305", 0, 0, 0, T(STRING), { XV(70) }, NULL, "SHIP TO LOC",
	  "Ship-to locality" },
	{ "4306", 0, 0, 0, T(STRING), { XV(70) }, NULL, "SHIP TO REG",
	  "Ship-to region" },
	{ "4307", 0, 0, 0, T(STRING), { XF(2) }, NULL, "SHIP TO COUNTRY",
	  "Ship-to country code" },
	{ "4308", 0, 0, 0, T(STRING), { XV(30) }, NULL, "SHIP TO PHONE",
	  "Ship-to telephone number" },
	{ "4309", 0, 0, 0, T(STRING), { NF(10, NONE), NF(10, NONE) }, NULL,
	  "SHIP TO GEO", "Ship-to GEO location" },
	{ "4310", 0, 0, 0, T(STRING), { XV(35) }, NULL, "RTN TO COMP",
	  "Return-to company name" },
	{ "4311", 0, 0, 0, T(STRING), { XV(35) }, NULL, "RTN TO NAME",
	  "Return-to contact" },
	{ "4312", 0, 0, 0, T(STRING), { XV(70) }, NULL, "RTN TO ADD1",
	  "Return-to address line 1" },
	{ "4313", 0, 0, 0, T(STRING), { XV(70) }, NULL, "RTN TO ADD2",
	  "Return-to address line 2" },
	{ "4314", 0, 0, 0, T(STRING), { XV(70) }, NULL, "RTN TO SUB",
	  "Return-to suburb" },
	{ "4315", 0, 0, 0, T(STRING), { XV(70) }, NULL, "RTN TO LOC",
	  "Return-to locality" },
	{ "4316", 0, 0, 0, T(STRING), { XV(70) }, NULL, "RTN TO REG",
	  "Return-to region" },
	{ "4317", 0, 0, 0, T(STRING), { XF(2) }, NULL, "RTN TO COUNTRY",
	  "Return-to country code" },
	{ "4318", 0, 0, 0, T(STRING), { XV(20) }, NULL, "RTN TO POST",
	  "Return-to postal code" },
	{ "4319", 0, 0, 0, T(STRING), { XV(30) }, NULL, "RTN TO PHONE",
	  "Return-to telephone number" },
	{ "4320", 0, 0, 0, T(STRING), { XV(35) }, NULL, "SRV DESCRIPTION",
	  "Service code description" },
	{ "4321", 0, 0, 0, T(STRING), { NF(1, YESNO) }, NULL, "DANGEROUS GOODS",
	  "Dangerous goods flag" },
	{ "4322", 0, 0, 0, T(STRING), { NF(1, YESNO) }, NULL, "AUTH TO LEAVE",
	  "Authority to leave" },
	{ "4323", 0, 0, 0, T(STRING), { NF(1, YESNO) }, NULL, "SIG REQUIRED",
	  "Signature required flag" },
	{ "4324", 0, 0, 0, T(DATETIME), { NF(6, YYMMD0), NF(4, HHMM) }, NULL,
	  "NOT BEF DEL DT", "Not before delivery date and time" },
	{ "4325", 0, 0, 0, T(DATETIME), { NF(6, YYMMD0), NF(4, HHMM) }, NULL,
	  "NOT AFT DEL DT", "Not after delivery date and time" },
	{ "4326", 0, 0, 0, T(DATE), { NF(6, YYMMDD) }, NULL, "REL DATE",
	  "Release date" },
	{ "4330", 0, 0, 0, T(STRING), { NF(6, NONE), OXF(1, HYPHEN) }, NULL,
	  "MAX TEMP F.", "Maximum temperature, Fahrenheit" },
	{ "4331", 0, 0, 0, T(STRING), { NF(6, NONE), OXF(1, HYPHEN) }, NULL,
	  "MAX TEMP C.", "Maximum temperature, Celsius" },
	{ "4332", 0, 0, 0, T(STRING), { NF(6, NONE), OXF(1, HYPHEN) }, NULL,
	  "MIN TEMP F.", "Minimum temperature, Fahrenheit" },
	{ "4333", 0, 0, 0, T(STRING), { NF(6, NONE), OXF(1, HYPHEN) }, NULL,
	  "MIN TEMP C.", "Minimum temperature, Celsius" },
	{ "7001", 0, 0, 0, T(STRING), { NF(13, NONE) }, NULL, "NSN",
	  "NATO Stock Number" },
	{ "7002", 0, 0, 0, T(STRING), { XV(30) }, NULL, "MEAT CUT",
	  "UNECE meat carcasses and cuts classification" },
	{ "7003", 0, 0, 0, T(DATETIME), { NF(6, YYMMDD), NF(4, HHMM) }, NULL,
	  "EXPIRY TIME", "Expiration date and time" },
	{ "7004", 0, 0, 0, T(INT), { NV(4) }, NULL, "ACTIVE POTENCY",
	  "Active potency" },
	{ "7005", 0, 0, 0, T(STRING), { XV(12) }, NULL, "CATCH AREA",
	  "Catch area" },
	{ "7006", 0, 0, 0, T(DATE), { NF(6, YYMMDD) }, NULL,
	  "FIRST FREEZE DATE", "First freeze date" },
	{ "7007", 0, 0, 0, T(DATE_RANGE), { NF(6, YYMMDD), ONF(6, YYMMDD) },
	  NULL, "HARVEST DATE", "Harvest date or date range" },
	{ "7008", 0, 0, 0, T(STRING), { XV(3) }, NULL, "AQUATIC SPECIES",
	  "Species for fishery purposes" },
	{ "7009", 0, 0, 0, T(STRING), { XV(10) }, NULL, "FISHING GEAR TYPE",
	  "Fishing gear type" },
	{ "7010", 0, 0, 0, T(STRING), { XV(2) }, NULL, "PROD METHOD",
	  "Production method" },
	{ "7011", 0, 0, 0, T(DATETIME), { NF(6, YYMMDD), ONF(4, HHMM) }, NULL,
	  "TEST BY DATE", "Test by date" },
	{ "7020", 0, 0, 0, T(STRING), { XV(20) }, NULL, "REFURB LOT",
	  "Refurbishment lot ID" },
	{ "7021", 0, 0, 0, T(STRING), { XV(20) }, NULL, "FUNC STAT",
	  "Functional status" },
	{ "7022", 0, 0, 0, T(STRING), { XV(20) }, NULL, "REV STAT",
	  "Revision status" },
	{ "7023", 0, 0, 0, T(STRING), { XV(30) }, NULL, "GIAI - ASSEMBLY",
	  "GIAI of an assembly" },
	{ "703", FAM, 0, 9, T(STRING), { NF(3, NONE), XV(27) }, NULL,
	  "PROCESSOR # s", "Number of processor with ISO country code" },
	{ "7040", 0, 0, 0, T(STRING), { NF(1, NONE), XF(3) }, NULL, "UIC+EXT",
	  "GS1 UIC with extension 1 and importer index" },
	{ "710", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN PZN",
	  "National Healthcare Reimbursement Number, Germany PZN" },
	{ "711", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN CIP",
	  "National Healthcare Reimbursement Number, France CIP" },
	{ "712", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN CN",
	  "National Healthcare Reimbursement Number, Spain CN" },
	{ "713", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN DRN",
	  "National Healthcare Reimbursement Number, Brazil DRN" },
	{ "714", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN AIM",
	  "National Healthcare Reimbursement Number, Portugal AIM" },
	{ "715", 0, 0, 0, T(STRING), { XV(20) }, NULL, "NHRN NDC",
	  "National Healthcare Reimbursement Number, USA NDC" },
	{ "723", FAM, 0, 9, T(STRING), { XF(2), XV(28) }, NULL, "CERT # s",
	  "Certification reference" },
	{ "7240", 0, 0, 0, T(STRING), { XV(20) }, NULL, "PROTOCOL",
	  "Protocol ID" },
	{ "7241", 0, 0, 0, T(STRING), { NF(2, NONE) }, NULL,
	  "AIDC MEDIA TYPE", "AIDC media type" },
	{ "7242", 0, 0, 0, T(STRING), { XV(25) }, NULL, "VCN",
	  "Version control number" },
	{ "8001", 0, 0, 0, T(STRING), { NF(14, NONE) }, NULL, "DIMENSIONS",
	  "Roll products: width, length, core diameter, direction, splices" },
	{ "8002", 0, 0, 0, T(STRING), { XV(20) }, NULL, "CMT No.",
	  "Cellular mobile telephone identifier" },
	{ "8003", 0, 0, 0, T(STRING), { NF(1, ZERO), NF(13, CSUM), OXV(16) },
	  "", "GRAI", "Global Returnable Asset Identifier" },
	{ "8004", 0, 0, 0, T(STRING), { XV(30) }, "7040", "GIAI",
	  "Global Individual Asset Identifier" },
	{ "8005", 0, 0, 0, T(STRING), { NF(6, NONE) }, NULL, "PRICE PER UNIT",
	  "Price per unit of measure" },
	{ "8006", 0, 0, 0, T(STRING), { NF(14, CSUM), NF(4, NONE) },
	  "22,10,21", "ITIP",
	  "Identification of an individual trade item piece" },
	{ "8007", 0, 0, 0, T(STRING), { XV(34) }, NULL, "IBAN",
	  "International Bank Account Number" },
	{ "8008", 0, 0, 0, T(DATETIME), { NF(8, YYMMDDHH), ONV(4, MMOPTSS) },
	  NULL, "PROD TIME", "Date and time of production" },
	{ "8009", 0, 0, 0, T(STRING), { XV(50) }, NULL, "OPTSEN",
	  "Optically readable sensor indicator" },
	{ "8010", 0, 0, 0, T(STRING), { { GS1_CSET_Y, 1, 30, 0, 0 } }, "8011",
	  "CPID", "Component / part identifier" },
	{ "8011", 0, 0, 0, T(STRING), { NV(12) }, NULL, "CPID SERIAL",
	  "Component / part identifier serial number" },
	{ "8012", 0, 0, 0, T(STRING), { XV(20) }, NULL, "VERSION",
	  "Software version" },
	{ "8013", 0, 0, 0, T(STRING), { XV(25) }, "", "GMN",
	  "Global Model Number" },
	{ "8017", 0, 0, 0, T(KEY), { NF(18, CSUM) }, "8019", "GSRN - PROVIDER",
	  "Global Service Relation Number, provider" },
	{ "8018", 0, 0, 0, T(KEY), { NF(18, CSUM) }, "8019",
	  "GSRN - RECIPIENT", "Global Service Relation Number, recipient" },
	{ "8019", 0, 0, 0, T(STRING), { NV(10) }, NULL, "SRIN",
	  "Service Relation Instance Number" },
	{ "8020", 0, 0, 0, T(STRING), { XV(25) }, NULL, "REF No.",
	  "Payment slip reference number" },
	{ "8026", 0, 0, 0, T(STRING), { NF(14, CSUM), NF(4, NONE) }, NULL,
	  "ITIP CONTENT", "ITIP of contained trade item pieces" },
	{ "8030", 0, 0, 0, T(STRING), { { GS1_CSET_Z, 1, 90, 0, 0 } }, NULL,
	  "DIGSIG", "Digital signature" },
	{ "8110", 0, 0, 0, T(STRING), { XV(70) }, NULL, "COUPON",
	  "Coupon code identification, North America" },
	{ "8111", 0, 0, 0, T(INT), { NF(4, NONE) }, NULL, "POINTS",
	  "Loyalty points of a coupon" },
	{ "8112", 0, 0, 0, T(STRING), { XV(70) }, NULL, "COUPON",
	  "Positive offer file coupon code, North America" },
	{ "8200", 0, 0, 0, T(STRING), { XV(70) }, NULL, "PRODUCT URL",
	  "Extended packaging URL" },
	{ "90", 0, 0, 0, T(STRING), { XV(30) }, NULL, "INTERNAL",
	  "Information mutually agreed between trading partners" },
	{ "9", FAM, 1, 9, T(STRING), { XV(90) }, NULL, "INTERNAL",
	  "Company internal information" },
};
/* clang-format on */

#define GS1_AI_TABLE_LEN (sizeof(gs1_ai_table) / sizeof(gs1_ai_table[0]))

size_t gs1_ai_count(void)
{
	return GS1_AI_TABLE_LEN;
}

const struct gs1_ai_def *gs1_ai_at(size_t i)
{
	return i < GS1_AI_TABLE_LEN ? &gs1_ai_table[i] : NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Does entry d name the AI at the start of buf? Returns the AI's length
 * (2-4) or 0.
 */
static size_t def_match(const struct gs1_ai_def *d, const char *buf, size_t len)
{
	size_t pl = strlen(d->ai);
	int n;

	if (len < pl || memcmp(d->ai, buf, pl) != 0)
		return 0;
	if (!(d->flags & GS1_AI_FAMILY))
		return pl;
	if (len < pl + 1 || !is_digit(buf[pl]))
		return 0;
	n = buf[pl] - '0';
	if (n < d->n_min || n > d->n_max)
		return 0;
	return pl + 1;
}

const struct gs1_ai_def *gs1_ai_match(const char *buf, size_t len,
				      size_t *ai_len)
{
	size_t i, k, digits = 0, shared = 0;

	for (i = 0; i < GS1_AI_TABLE_LEN; i++) {
		size_t m = def_match(&gs1_ai_table[i], buf, len);

		if (m) {
			*ai_len = m;
			return &gs1_ai_table[i];
		}
	}
	/*
	 * Unknown: name it by one digit more than it shares with any known
	 * AI ("04", "236", "3106"), so the message points at the bad digit.
	 */
	while (digits < len && digits < 4 && is_digit(buf[digits]))
		digits++;
	for (i = 0; i < GS1_AI_TABLE_LEN; i++) {
		const struct gs1_ai_def *d = &gs1_ai_table[i];
		size_t pl = strlen(d->ai);

		for (k = 0; k < digits && k < pl && d->ai[k] == buf[k]; k++)
			;
		if (k == pl && (d->flags & GS1_AI_FAMILY) && k < digits)
			k++; /* the parameter digit is out of range */
		if (k > shared)
			shared = k;
	}
	k = shared + 1;
	if (k < 2)
		k = 2;
	*ai_len = k < digits ? k : digits;
	return NULL;
}

const struct gs1_ai_def *gs1_ai_lookup(const char *ai, size_t len)
{
	size_t m;
	const struct gs1_ai_def *d = gs1_ai_match(ai, len, &m);

	return d && m == len ? d : NULL;
}
