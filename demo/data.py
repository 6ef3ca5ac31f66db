"""The demo catalogue's people, companies, categories and collections (products: demo/products.py).

Every company, person and number here is made up for demonstration; the
products, places, certifications and market-access facts are the real kinds a
Pacific exporter brings to China. Chinese names of products come from
catalogue/data/product_terms.csv, the glossary staff use.
"""

import csv
from pathlib import Path

from django.conf import settings

PRODUCT_TERMS_CSV = Path(settings.BASE_DIR) / "catalogue" / "data" / "product_terms.csv"

# Fixed on purpose: this is demo data, printed at the end of every run.
ADMIN = {"email": "admin@pti-bridge.local", "password": "pti-admin-demo", "first_name": "Demo", "last_name": "Admin"}
STAFF = {"email": "staff@pti-bridge.local", "password": "pti-staff-demo", "first_name": "Wei", "last_name": "Li"}
# The back office asks staff for a code after the password: the demo accounts' authenticator
# has this fixed key (base32, for any authenticator app) and these recovery codes.
SECOND_FACTOR = {
    ADMIN["email"]: {
        "key": "PTIADMINDEMOPTIADMINDEMOPTIADMIN",
        "recovery_codes": [f"admindemo{n}" for n in range(1, 6)],
    },
    STAFF["email"]: {
        "key": "PTISTAFFDEMOPTISTAFFDEMOPTISTAFF",
        "recovery_codes": [f"staffdemo{n}" for n in range(1, 6)],
    },
}
EXPORTER_PASSWORD = "pti-exporter-demo"
DEMO_EXPORTER_EMAIL = "exporter@pti-bridge.local"


def product_terms() -> dict[str, dict[str, str]]:
    """The glossary, by English term: {"term_en": {"zh": ..., "hs": ...}}."""
    with PRODUCT_TERMS_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["term_en"].strip(): {"zh": row["term_zh_hans"].strip(), "hs": row["hs_heading"].strip()}
            for row in csv.DictReader(handle)
        }


# Sectors and the products under them. A child names its glossary term ("term"),
# from which its Chinese name comes, or gives the Chinese itself ("zh").
CATEGORIES = [
    {
        "slug": "spices-botanicals",
        "en": "Spices and botanicals",
        "zh": "香料与植物原料",
        "icon": "spice",
        "children": [
            {"slug": "vanilla", "en": "Vanilla", "term": "vanilla beans"},
            {"slug": "kava", "en": "Kava", "term": "kava"},
            {"slug": "turmeric", "en": "Turmeric", "term": "turmeric"},
            {"slug": "ginger", "en": "Ginger", "term": "ginger"},
        ],
    },
    {
        "slug": "coconut-products",
        "en": "Coconut products",
        "zh": "椰子制品",
        "icon": "coconut",
        "children": [
            {"slug": "virgin-coconut-oil", "en": "Virgin coconut oil", "term": "virgin coconut oil"},
            {"slug": "coconut-water", "en": "Coconut water", "term": "coconut water"},
        ],
    },
    {
        "slug": "beverages",
        "en": "Beverages",
        "zh": "饮品",
        "icon": "cup",
        "children": [
            {"slug": "coffee", "en": "Coffee", "term": "coffee"},
            {"slug": "noni", "en": "Noni", "term": "noni juice", "zh": "诺丽果"},
            {"slug": "mineral-water", "en": "Mineral water", "term": "mineral water"},
        ],
    },
    {
        "slug": "cocoa-chocolate",
        "en": "Cocoa and chocolate",
        "zh": "可可与巧克力",
        "icon": "cocoa",
        "children": [
            {"slug": "cocoa-beans", "en": "Cocoa beans", "term": "cocoa beans"},
            {"slug": "chocolate", "en": "Chocolate", "term": "chocolate"},
        ],
    },
    {
        "slug": "seafood",
        "en": "Seafood",
        "zh": "水产品",
        "icon": "fish",
        "children": [
            {"slug": "tuna", "en": "Tuna", "term": "tuna"},
            {"slug": "sea-cucumber", "en": "Sea cucumber", "term": "sea cucumber"},
        ],
    },
    {
        "slug": "fresh-produce-honey",
        "en": "Root crops and honey",
        "zh": "根茎作物与蜂蜜",
        "icon": "leaf",
        "children": [
            {"slug": "honey", "en": "Honey", "term": "honey"},
            {"slug": "taro", "en": "Taro", "term": "taro"},
        ],
    },
    {
        "slug": "health-beauty",
        "en": "Health and beauty",
        "zh": "美容与个护",
        "icon": "flower",
        "children": [
            {"slug": "skincare", "en": "Skincare", "term": "skincare"},
            {"slug": "tamanu-oil", "en": "Tamanu oil", "term": "tamanu oil"},
            {"slug": "sandalwood", "en": "Sandalwood", "term": "sandalwood"},
        ],
    },
    {
        "slug": "handicrafts",
        "en": "Handicrafts",
        "zh": "手工艺品",
        "icon": "craft",
        "children": [
            {"slug": "tapa-weaving", "en": "Tapa cloth and weaving", "zh": "树皮布与编织品"},
            {"slug": "carvings-jewellery", "en": "Carvings and shell jewellery", "zh": "木雕与贝壳饰品"},
        ],
    },
]

CERTIFICATIONS = [
    ("organic-biogro", "BioGro organic (New Zealand)", "BioGro有机认证（新西兰）"),
    ("organic-pacific", "Organic Pacific (POETCom)", "太平洋有机认证（POETCom）"),
    ("organic-usda", "USDA Organic", "美国农业部有机认证（USDA Organic）"),
    ("organic-eu", "EU Organic", "欧盟有机认证"),
    ("haccp", "HACCP", "HACCP危害分析与关键控制点认证"),
    ("iso-22000", "ISO 22000 food safety management", "ISO 22000食品安全管理体系认证"),
    ("fairtrade", "Fairtrade", "公平贸易认证"),
    ("halal", "Halal", "清真认证"),
    ("msc", "MSC sustainable fishery", "MSC海洋可持续渔业认证"),
    ("gacc-registered", "GACC registered producer", "海关总署境外生产企业注册"),
    ("fijian-made", "Fijian Made", "斐济制造认证"),
]

# verification: "verified" (by the staff account), "pending" or "suspended" (verified, then suspended).
EXPORTERS = [
    {
        "name": "Taveuni Gold Coconut Co.",
        "name_zh": "塔韦乌尼金椰有限公司",
        "country": "FJ",
        "sector": "agriculture",
        "founded": 2009,
        "website": "https://www.taveunigold.example",
        "markets": "NZ, AU, US, JP",
        "gacc": "CFJI22010500131",
        "address": "Waiyevo, Taveuni, Fiji",
        "phone": "+679 888 0131",
        "en": "Family-owned coconut processor on Taveuni, Fiji's 'Garden Island'. We buy fresh mature nuts from 400 smallholder farmers and cold-press virgin coconut oil within four hours of opening the nut.",
        "zh": "位于斐济“花园岛”塔韦乌尼的家族椰子加工企业，向当地400户小农收购新鲜成熟椰子，开壳后四小时内完成冷榨，生产初榨椰子油。",
        "owner": {
            "email": DEMO_EXPORTER_EMAIL,
            "first_name": "Mere",
            "last_name": "Tuilau",
            "title": "Managing Director",
        },
        "logo": (30, 112, 92),
        "verification": "verified",
    },
    {
        "name": "Nadi Bay Kava Traders",
        "name_zh": "楠迪湾卡瓦贸易公司",
        "country": "FJ",
        "sector": "agriculture",
        "founded": 1998,
        "website": "https://www.nadibaykava.example",
        "markets": "NZ, AU, US",
        "address": "Namaka Industrial Estate, Nadi, Fiji",
        "phone": "+679 672 1998",
        "en": "Kava buyers and millers since 1998, sourcing noble varieties from Kadavu and Vanua Levu. Every lot is tested for kavalactone content and moisture before milling.",
        "zh": "自1998年起从事卡瓦收购与研磨，原料来自卡达武岛和瓦努阿岛的优良品种。每批原料在研磨前均检测卡瓦内酯含量和水分。",
        "owner": {
            "email": "josefa@nadibaykava.example",
            "first_name": "Josefa",
            "last_name": "Ravuvu",
            "title": "Director",
        },
        "logo": (112, 88, 52),
        "verification": "verified",
    },
    {
        "name": "Nausori Highlands Artesian Water",
        "name_zh": "瑙索里高地自流井水公司",
        "country": "FJ",
        "sector": "beverages",
        "founded": 2012,
        "website": "https://www.nausoriwater.example",
        "markets": "AU, NZ, US, KR",
        "gacc": "CFJI22010500278",
        "address": "Nausori Highlands, Ba Province, Fiji",
        "phone": "+679 666 2012",
        "en": "Artesian water drawn from a confined aquifer under the Nausori Highlands and bottled at source. Naturally rich in silica, with a pH of 7.6.",
        "zh": "取自瑙索里高地地下承压含水层的自流井水，于水源地直接灌装。天然富含偏硅酸，pH值7.6。",
        "owner": {
            "email": "anjali@nausoriwater.example",
            "first_name": "Anjali",
            "last_name": "Prasad",
            "title": "Export Manager",
        },
        "verification": "verified",
    },
    {
        "name": "Savai'i Cocoa Growers Cooperative",
        "name_zh": "萨瓦伊岛可可种植合作社",
        "country": "WS",
        "sector": "agriculture",
        "founded": 2015,
        "website": "https://www.savaiicocoa.example",
        "markets": "NZ, AU, DE",
        "gacc": "CWSM22020300045",
        "address": "Salelologa, Savai'i, Samoa",
        "phone": "+685 51 015",
        "en": "A cooperative of 120 Samoan growers of heirloom Trinitario cocoa. Beans are fermented in wooden boxes for six days and sun-dried on raised beds; we also make bean-to-bar chocolate in Apia.",
        "zh": "由120户萨摩亚农户组成的合作社，种植传统特立尼达可可。可可豆在木箱中发酵六天，再于架空晒床上自然晾晒；合作社还在阿皮亚生产从豆到巧克力的自制巧克力。",
        "owner": {
            "email": "tavita@savaiicocoa.example",
            "first_name": "Tavita",
            "last_name": "Leota",
            "title": "Cooperative Manager",
        },
        "logo": (110, 58, 40),
        "verification": "verified",
    },
    {
        "name": "Apia Noni & Naturals",
        "name_zh": "阿皮亚诺丽天然制品公司",
        "country": "WS",
        "sector": "health_beauty",
        "founded": 2004,
        "website": "https://www.apianoni.example",
        "markets": "JP, TW, US, NZ",
        "gacc": "CWSM22020300112",
        "address": "Vaitele, Apia, Samoa",
        "phone": "+685 20 404",
        "en": "Producer of fermented noni juice and coconut-based soaps and skincare, made with wild-harvested Samoan noni and village-pressed coconut oil.",
        "zh": "生产发酵诺丽果汁以及椰子基香皂和护肤品，原料为萨摩亚野生诺丽果和村落压榨的椰子油。",
        "owner": {"email": "lagi@apianoni.example", "first_name": "Lagi", "last_name": "Fa'amausili", "title": "Owner"},
        "verification": "verified",
    },
    {
        "name": "Vava'u Vanilla Estate",
        "name_zh": "瓦瓦乌香草庄园",
        "country": "TO",
        "sector": "agriculture",
        "founded": 2001,
        "website": "https://www.vavauvanilla.example",
        "markets": "NZ, AU, US, FR",
        "gacc": "CTON22030100027",
        "address": "Neiafu, Vava'u, Tonga",
        "phone": "+676 70 201",
        "en": "Vanilla planifolia grown under shade trees on Vava'u and cured the slow traditional way: blanched, sweated and sun-dried over three months until the pods are supple and rich in vanillin.",
        "zh": "在瓦瓦乌群岛林荫下种植平叶香草（Vanilla planifolia），采用传统慢速工艺发酵：杀青、发汗、日晒，历时三个月，使香草荚柔韧饱满、香兰素含量高。",
        "owner": {
            "email": "sione@vavauvanilla.example",
            "first_name": "Sione",
            "last_name": "Taufa",
            "title": "Estate Manager",
        },
        "logo": (58, 36, 24),
        "verification": "verified",
    },
    {
        "name": "Tongatapu Root Crops Exporters",
        "name_zh": "汤加塔布根茎作物出口公司",
        "country": "TO",
        "sector": "agriculture",
        "founded": 1994,
        "website": "https://www.tongaroots.example",
        "markets": "NZ, AU, US",
        "gacc": "CTON22030100064",
        "address": "Vaini, Tongatapu, Tonga",
        "phone": "+676 29 994",
        "en": "Grower-exporter of taro, cassava and yam, with a freezing plant in Nuku'alofa that peels, cuts and blast-freezes root crops for Pacific communities overseas.",
        "zh": "种植并出口芋头、木薯和山药，在努库阿洛法设有速冻加工厂，将根茎作物去皮、切块后急冻，供应海外太平洋岛民社区。",
        "owner": {
            "email": "mele@tongaroots.example",
            "first_name": "Mele",
            "last_name": "Vaipulu",
            "title": "General Manager",
        },
        "verification": "verified",
    },
    {
        "name": "Tonga Tapa & Weave Studio",
        "name_zh": "汤加树皮布编织工坊",
        "country": "TO",
        "sector": "handicrafts",
        "founded": 2010,
        "website": "https://www.tongatapa.example",
        "markets": "NZ, AU, US",
        "address": "Kolofo'ou, Nuku'alofa, Tonga",
        "phone": "+676 24 110",
        "en": "A women's collective making ngatu (tapa cloth) from mulberry bark and weaving pandanus mats and baskets, each piece signed by its maker.",
        "zh": "由妇女组成的手工艺合作社，用构树皮制作传统树皮布（ngatu），并编织露兜树叶草席和篮子，每件作品都有制作者签名。",
        "owner": {
            "email": "ana@tongatapa.example",
            "first_name": "'Ana",
            "last_name": "Fifita",
            "title": "Coordinator",
        },
        "verification": "verified",
    },
    {
        "name": "Tanna Highlands Coffee",
        "name_zh": "塔纳高地咖啡",
        "country": "VU",
        "sector": "agriculture",
        "founded": 2006,
        "website": "https://www.tannacoffee.example",
        "markets": "AU, NZ, NC",
        "gacc": "CVUT22040200019",
        "address": "Lenakel, Tanna, Vanuatu",
        "phone": "+678 68 606",
        "en": "Arabica grown on the volcanic soils of Tanna and processed at our mill in Lenakel. Wet-processed, sun-dried, and roasted to order in Port Vila.",
        "zh": "阿拉比卡咖啡种植于塔纳岛的火山土壤，在莱纳克尔自有加工厂处理。水洗处理、日晒干燥，并在维拉港按订单烘焙。",
        "owner": {"email": "kalo@tannacoffee.example", "first_name": "Kalo", "last_name": "Nakou", "title": "Director"},
        "logo": (74, 44, 28),
        "verification": "verified",
    },
    {
        "name": "Santo Tamanu & Botanicals",
        "name_zh": "桑托岛琼崖海棠植物制品公司",
        "country": "VU",
        "sector": "health_beauty",
        "founded": 2011,
        "website": "https://www.santotamanu.example",
        "markets": "AU, FR, NC, JP",
        "address": "Luganville, Espiritu Santo, Vanuatu",
        "phone": "+678 36 611",
        "en": "Cold-pressed tamanu (nambagura) oil and sandalwood from Espiritu Santo and Erromango, collected by village families under a community benefit-sharing agreement.",
        "zh": "出产冷榨琼崖海棠油（当地称nambagura）及桑托岛和埃罗芒阿岛檀香，原料由村落家庭采集，并签有社区惠益分享协议。",
        "owner": {"email": "marie@santotamanu.example", "first_name": "Marie", "last_name": "Tabi", "title": "Founder"},
        "verification": "verified",
    },
    {
        "name": "Eastern Highlands Arabica Ltd",
        "name_zh": "东高地阿拉比卡咖啡有限公司",
        "country": "PG",
        "sector": "agriculture",
        "founded": 1987,
        "website": "https://www.ehacoffee.example",
        "markets": "AU, US, DE, JP, KR",
        "gacc": "CPNG22050100008",
        "address": "Goroka, Eastern Highlands Province, Papua New Guinea",
        "phone": "+675 532 1987",
        "en": "Dry mill and exporter in Goroka buying parchment from more than 3,000 smallholders between 1,500 and 1,900 metres. Grades A, AA, X and PSC, with organic and Fairtrade lots.",
        "zh": "位于戈罗卡的咖啡干处理厂和出口商，向海拔1500至1900米的3000多户小农收购带壳豆。供应A、AA、X和PSC等级，并有有机和公平贸易批次。",
        "owner": {
            "email": "peter@ehacoffee.example",
            "first_name": "Peter",
            "last_name": "Kuman",
            "title": "Export Director",
        },
        "logo": (40, 80, 50),
        "verification": "verified",
    },
    {
        "name": "Sepik Spice Company",
        "name_zh": "塞皮克香料公司",
        "country": "PG",
        "sector": "agriculture",
        "founded": 2008,
        "website": "https://www.sepikspice.example",
        "markets": "AU, US, SG",
        "gacc": "CPNG22050100037",
        "address": "Wewak, East Sepik Province, Papua New Guinea",
        "phone": "+675 456 2008",
        "en": "Vanilla, turmeric and ginger from the Sepik and Maprik hills, dried and milled in Wewak. We work with 800 farming families and pay a quality premium for mature, well-cured vanilla.",
        "zh": "经营来自塞皮克和马普里克山区的香草、姜黄和生姜，在韦瓦克干燥和研磨。与800户农户合作，对成熟度高、发酵良好的香草支付优质溢价。",
        "owner": {
            "email": "grace@sepikspice.example",
            "first_name": "Grace",
            "last_name": "Wani",
            "title": "Managing Director",
        },
        "verification": "verified",
    },
    {
        "name": "Bismarck Sea Fisheries",
        "name_zh": "俾斯麦海渔业公司",
        "country": "PG",
        "sector": "seafood",
        "founded": 1996,
        "website": "https://www.bismarcksea.example",
        "markets": "JP, TH, US, EU",
        "gacc": "CPNG22050100002",
        "address": "Madang, Madang Province, Papua New Guinea",
        "phone": "+675 422 1996",
        "en": "Purse-seine and longline operator with a processing plant and cannery in Madang. Yellowfin and skipjack tuna, frozen at sea and processed under HACCP with full catch documentation.",
        "zh": "拥有围网和延绳钓船队，在马当设有加工厂和罐头厂。经营黄鳍金枪鱼和鲣鱼，海上冷冻，按HACCP体系加工，捕捞文件齐全可追溯。",
        "owner": {
            "email": "john@bismarcksea.example",
            "first_name": "John",
            "last_name": "Kaupa",
            "title": "Sales Manager",
        },
        "logo": (30, 70, 120),
        "verification": "verified",
    },
    {
        "name": "Guadalcanal Sea Harvest",
        "name_zh": "瓜达尔卡纳尔海产公司",
        "country": "SB",
        "sector": "seafood",
        "founded": 2013,
        "website": "https://www.seaharvest-sb.example",
        "markets": "HK, SG, MY",
        "gacc": "CSLB22060100011",
        "address": "Ranadi, Honiara, Solomon Islands",
        "phone": "+677 30 113",
        "en": "Buyer and processor of dried sea cucumber (beche-de-mer) during the open season, working with licensed village fishers across Guadalcanal and Malaita.",
        "zh": "在开捕季收购并加工干海参，与瓜达尔卡纳尔岛和马莱塔岛持证的村落渔民合作。",
        "owner": {
            "email": "david@seaharvest-sb.example",
            "first_name": "David",
            "last_name": "Tora",
            "title": "Director",
        },
        "verification": "verified",
    },
    {
        "name": "Rarotonga Apiaries",
        "name_zh": "拉罗汤加蜂场",
        "country": "CK",
        "sector": "agriculture",
        "founded": 2003,
        "website": "https://www.rarotongahoney.example",
        "markets": "NZ, AU",
        "gacc": "CCOK22070100004",
        "address": "Titikaveka, Rarotonga, Cook Islands",
        "phone": "+682 21 003",
        "en": "Raw honey from hives free of varroa mite and American foulbrood, kept among coconut, citrus and native forest on Rarotonga and Aitutaki. No antibiotics, no feeding.",
        "zh": "蜂场位于拉罗汤加岛和艾图塔基岛的椰林、柑橘园和原生林之间，蜂群无瓦螨、无美洲幼虫腐臭病。不使用抗生素，不喂糖。",
        "owner": {
            "email": "teina@rarotongahoney.example",
            "first_name": "Teina",
            "last_name": "Marsters",
            "title": "Beekeeper and Owner",
        },
        "logo": (214, 138, 30),
        "verification": "verified",
    },
    {
        "name": "Niue Vanilla & Honey Co",
        "name_zh": "纽埃香草蜂蜜公司",
        "country": "NU",
        "sector": "agriculture",
        "founded": 2019,
        "website": "https://www.niuevanilla.example",
        "markets": "NZ",
        "address": "Alofi, Niue",
        "phone": "+683 4 019",
        "en": "A young company on Niue selling vanilla and honey from family plantations. Registered in 2026; documents sent to PTI for verification.",
        "zh": "纽埃的新公司，销售家庭种植园出产的香草和蜂蜜。2026年注册，已向PTI提交核验文件。",
        "owner": {
            "email": "hine@niuevanilla.example",
            "first_name": "Hine",
            "last_name": "Tukuitoga",
            "title": "Owner",
        },
        "verification": "pending",
    },
    {
        "name": "Malaita Shell Crafts",
        "name_zh": "马莱塔贝壳工艺社",
        "country": "SB",
        "sector": "handicrafts",
        "founded": 2014,
        "address": "Auki, Malaita, Solomon Islands",
        "phone": "+677 40 014",
        "en": "Traditional shell-money necklaces and carved kerosene-wood figures from Langa Langa Lagoon.",
        "zh": "出产朗阿朗阿潟湖的传统贝壳货币项链和煤油木雕像。",
        "owner": {
            "email": "esther@malaitacrafts.example",
            "first_name": "Esther",
            "last_name": "Lui",
            "title": "Secretary",
        },
        "verification": "suspended",
        "suspension": "Export permit for shell products expired in March; suspended until the renewed permit is on file.",
    },
]

COLLECTIONS = [
    {
        "slug": "ciie-2026",
        "en": "2026 China International Import Expo picks",
        "zh": "2026中国国际进口博览会精选",
        "description_en": "Products from the Pacific Islands pavilion at the 8th CIIE in Shanghai, chosen by the PTI China office for importers who missed the show.",
        "description_zh": "第八届进博会太平洋岛国展区的精选产品，由PTI中国办公室为未能到场的进口商整理。",
        "starts_on": "2026-11-05",
        "cover": "vanilla",
        "position": 1,
        "products": [
            ("Vava'u Vanilla Estate", "Grade A gourmet vanilla beans (Vanilla planifolia)"),
            ("Taveuni Gold Coconut Co.", "Cold-pressed virgin coconut oil, 500 ml glass jar"),
            ("Eastern Highlands Arabica Ltd", "PNG Arabica green coffee, grade A"),
            ("Bismarck Sea Fisheries", "Frozen yellowfin tuna loins, sashimi grade"),
            ("Savai'i Cocoa Growers Cooperative", "Fermented Trinitario cocoa beans"),
            ("Rarotonga Apiaries", "Raw Rarotonga honey, 500 g jar"),
            ("Santo Tamanu & Botanicals", "Cold-pressed tamanu oil, 100 ml"),
        ],
    },
    {
        "slug": "pacific-superfoods",
        "en": "Pacific superfoods",
        "zh": "太平洋超级食品",
        "description_en": "Nutrient-dense foods grown in clean island soils and seas: noni, virgin coconut oil, raw cacao, turmeric and raw honey.",
        "description_zh": "生长于洁净海岛土壤和海洋的营养密集型食品：诺丽果、初榨椰子油、生可可、姜黄和原蜜。",
        "cover": "noni_fruit",
        "position": 2,
        "products": [
            ("Apia Noni & Naturals", "Fermented Samoan noni juice, 1 litre"),
            ("Taveuni Gold Coconut Co.", "Cold-pressed virgin coconut oil, 500 ml glass jar"),
            ("Savai'i Cocoa Growers Cooperative", "Samoan 70% dark chocolate, 80 g bar"),
            ("Sepik Spice Company", "Organic turmeric powder"),
            ("Rarotonga Apiaries", "Raw Rarotonga honey, 500 g jar"),
            ("Taveuni Gold Coconut Co.", "Pure coconut water, 330 ml"),
        ],
    },
]

# The openid and unionid the local WeChat stand-in gives the user "demo-buyer" with the
# default app id (docs/wechat.md 2.2), so signing in locally with the code "valid-demo-buyer#1"
# (or "demo-buyer" with --accept-any-code) is 王经理.
DEMO_BUYER_LOGIN_CODE = "valid-demo-buyer#1"
BUYER = {
    "openid": "oe88ICDX-tZJLeyPnT9_MzeFuOe-",
    "unionid": "uIQrfGF9JukJ7UVwfH4IYkRslRyu",
    "display_name": "王经理",
    "company": "上海浦江进口食品贸易有限公司",
    "policy_version": "2026-11",
    "favourites": [
        ("Vava'u Vanilla Estate", "Grade A gourmet vanilla beans (Vanilla planifolia)"),
        ("Savai'i Cocoa Growers Cooperative", "Fermented Trinitario cocoa beans"),
        ("Bismarck Sea Fisheries", "Frozen yellowfin tuna loins, sashimi grade"),
    ],
}

# Threads as they would stand after the workflow ran; "days_ago" dates the first message.
INQUIRIES = [
    {
        "key": "demo-inquiry-0001",
        "product": ("Taveuni Gold Coconut Co.", "Cold-pressed virgin coconut oil, 500 ml glass jar"),
        "quantity": "1200",
        "unit": "carton",
        "target_price": "4.20",
        "currency": "USD",
        "destination": "上海洋山港",
        "share_contact": True,
        "status": "answered",
        "days_ago": 6,
        "messages": [
            {
                "role": "buyer",
                "language": "zh-hans",
                "hours": 0,
                "text": "您好，我们是上海的进口食品分销商，主要供应华东地区的精品超市和母婴渠道。想了解贵司500毫升玻璃瓶装初榨椰子油：1200箱的CIF上海价格是多少？能否提供中文背标和有机证书？",
                "translation": "Hello, we are an imported-food distributor in Shanghai supplying premium supermarkets and mother-and-baby stores in East China. We are interested in your 500 ml glass-jar virgin coconut oil: what is your CIF Shanghai price for 1,200 cartons? Can you provide a Chinese back label and the organic certificate?",
            },
            {
                "role": "staff",
                "language": "en",
                "hours": 3,
                "internal": True,
                "text": "Buyer checked: company registered in Shanghai Pudong since 2014, food import licence seen. Forwarded to Taveuni Gold.",
            },
            {
                "role": "exporter",
                "language": "en",
                "hours": 28,
                "text": "Bula and thank you! For 1,200 cartons (12 jars each) we can offer USD 4.35 per jar CIF Shanghai, shipped within 5 weeks of deposit. We will print the Chinese back label to GB 7718 from your importer details, and our BioGro organic certificate and GACC registration are attached in the listing.",
                "translation": "您好，感谢询价！1200箱（每箱12瓶）的CIF上海价格为每瓶4.35美元，收到定金后5周内发货。我们会根据贵司的进口商信息按GB 7718要求印制中文背标；BioGro有机证书和海关总署注册信息已附在产品页面。",
            },
        ],
    },
    {
        "key": "demo-inquiry-0002",
        "product": ("Vava'u Vanilla Estate", "Grade A gourmet vanilla beans (Vanilla planifolia)"),
        "quantity": "50",
        "unit": "kg",
        "target_price": "260",
        "currency": "USD",
        "destination": "广州南沙港",
        "share_contact": False,
        "status": "new",
        "days_ago": 1,
        "messages": [
            {
                "role": "buyer",
                "language": "zh-hans",
                "hours": 0,
                "text": "请问A级香草荚的含水量和香兰素含量是多少？我们是烘焙原料供应商，首单想先订50公斤试用，能否寄样品？",
                "translation": "",
            }
        ],
    },
]
