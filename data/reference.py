"""Reference lists the demo generator draws from: names, regions, branches, products, phrases.

Surnames carry their pinyin explicitly because several are read differently as surnames (曾 zeng,
单 shan); given-name characters were chosen to have one common reading, romanised by pypinyin.
Weights roughly follow the national surname census: 王 李 张 刘 陈 lead.
"""

from __future__ import annotations

SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 72), ("李", "li", 71), ("张", "zhang", 67), ("刘", "liu", 52),
    ("陈", "chen", 46), ("杨", "yang", 33), ("黄", "huang", 25), ("赵", "zhao", 21),
    ("吴", "wu", 20), ("周", "zhou", 19), ("徐", "xu", 15), ("孙", "sun", 14),
    ("马", "ma", 13), ("朱", "zhu", 12), ("胡", "hu", 11), ("郭", "guo", 11),
    ("何", "he", 10), ("林", "lin", 10), ("高", "gao", 9), ("罗", "luo", 9),
    ("郑", "zheng", 9), ("梁", "liang", 8), ("谢", "xie", 7), ("宋", "song", 7),
    ("唐", "tang", 7), ("许", "xu", 6), ("邓", "deng", 6), ("韩", "han", 6),
    ("冯", "feng", 6), ("曹", "cao", 6), ("彭", "peng", 5), ("曾", "zeng", 5),
    ("肖", "xiao", 5), ("田", "tian", 5), ("董", "dong", 5), ("潘", "pan", 4),
    ("袁", "yuan", 4), ("蔡", "cai", 4), ("蒋", "jiang", 4), ("余", "yu", 4),
    ("于", "yu", 4), ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 4),
    ("魏", "wei", 3), ("苏", "su", 3), ("吕", "lv", 3), ("丁", "ding", 3),
    ("任", "ren", 3), ("卢", "lu", 3), ("姚", "yao", 3), ("沈", "shen", 3),
    ("钟", "zhong", 3), ("姜", "jiang", 3), ("崔", "cui", 3), ("谭", "tan", 3),
    ("陆", "lu", 2), ("范", "fan", 2), ("汪", "wang", 2), ("廖", "liao", 2),
    ("石", "shi", 2), ("金", "jin", 2), ("韦", "wei", 2), ("贾", "jia", 2),
    ("夏", "xia", 2), ("付", "fu", 2), ("方", "fang", 2), ("邹", "zou", 2),
    ("单", "shan", 1), ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("诸葛", "zhuge", 1),
)

GIVEN_MALE = "伟强军磊洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰亮振国建文志新"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁佳琪梅兰红晶莉萍月莹璐瑶怡欣悦蕾薇丹"
GIVEN_NEUTRAL = "一子晨雨思嘉安然之天星海博远泽睿宏诗云清"

# Resident-ID region codes (GB/T 2260) of the three centre cities and a spread of others.
REGIONS: tuple[tuple[str, str, str], ...] = (
    ("110105", "北京市朝阳区", "Beijing Chaoyang"),
    ("110108", "北京市海淀区", "Beijing Haidian"),
    ("310115", "上海市浦东新区", "Shanghai Pudong"),
    ("310104", "上海市徐汇区", "Shanghai Xuhui"),
    ("440305", "深圳市南山区", "Shenzhen Nanshan"),
    ("440304", "深圳市福田区", "Shenzhen Futian"),
    ("440106", "广州市天河区", "Guangzhou Tianhe"),
    ("330106", "杭州市西湖区", "Hangzhou Xihu"),
    ("320102", "南京市玄武区", "Nanjing Xuanwu"),
    ("510107", "成都市武侯区", "Chengdu Wuhou"),
    ("420106", "武汉市武昌区", "Wuhan Wuchang"),
    ("610113", "西安市雁塔区", "Xi'an Yanta"),
    ("500103", "重庆市渝中区", "Chongqing Yuzhong"),
    ("120101", "天津市和平区", "Tianjin Heping"),
    ("370202", "青岛市市南区", "Qingdao Shinan"),
    ("210102", "沈阳市和平区", "Shenyang Heping"),
)

STREETS = ("建国路", "人民路", "中山路", "解放路", "长江路", "和平街", "文化路", "新华路", "滨江大道")

OCCUPATIONS = (
    "工程师", "教师", "医生", "个体经营者", "公务员", "销售", "会计", "退休", "学生", "自由职业",
)

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "185", "186",
    "187", "188", "189", "191", "198", "199",
)

# UnionPay BINs begin with 62; these are illustrative, not any real bank's.
DEBIT_BINS = ("622588", "621483", "623668")
CREDIT_BINS = ("625912", "628290")

# (code, kind, Chinese name, English name, product risk level R1–R5)
PRODUCTS: tuple[tuple[str, str, str, str, int], ...] = (
    ("DC-STD", "debit_card", "借记卡（标准卡）", "Debit card (standard)", 1),
    ("DC-GOLD", "debit_card", "借记卡（金卡）", "Debit card (gold)", 1),
    ("CC-CLASSIC", "credit_card", "信用卡（普卡）", "Credit card (classic)", 2),
    ("CC-PLAT", "credit_card", "信用卡（白金卡）", "Credit card (platinum)", 2),
    ("TD-1Y", "time_deposit", "一年期定期存款", "1-year time deposit", 1),
    ("TD-3Y", "time_deposit", "三年期定期存款", "3-year time deposit", 1),
    ("WM-CASH", "wealth", "现金管理类理财", "Cash-management wealth product", 1),
    ("WM-BOND", "wealth", "固定收益类理财", "Fixed-income wealth product", 2),
    ("WM-MIX", "wealth", "混合类理财", "Mixed wealth product", 3),
    ("FD-EQUITY", "fund", "股票型基金", "Equity fund", 4),
    ("FD-QDII", "fund", "QDII 基金", "QDII fund", 5),
    ("LN-MORT", "loan", "个人住房贷款", "Mortgage", 2),
    ("LN-CONS", "loan", "个人消费贷款", "Consumer loan", 3),
)

COUNTERPARTIES = (
    "支付宝", "财付通", "京东商城", "中国石化", "国家电网", "美团", "滴滴出行", "某某物业",
    "工资代发", "房东", "个人转账", "证券资金账户",
)

CHANNELS = ("phone", "app", "wechat", "web_chat", "email", "branch")
TRANSACTION_CHANNELS = ("app", "atm", "counter", "pos", "online", "wechat")

INTERACTION_TOPICS: tuple[tuple[str, str], ...] = (
    ("consultation", "咨询理财产品收益及风险等级"),
    ("consultation", "咨询信用卡账单分期手续费"),
    ("business", "办理借记卡挂失"),
    ("business", "修改预留手机号码"),
    ("complaint", "投诉转账到账延迟"),
    ("complaint", "投诉网点排队时间过长"),
    ("suggestion", "建议手机银行增加大字版"),
    ("consultation", "咨询跨境汇款所需材料"),
)

CASE_TITLES: tuple[tuple[str, str, str], ...] = (
    ("complaint", "high", "转账未到账，客户要求尽快处理"),
    ("complaint", "normal", "信用卡年费争议"),
    ("business", "normal", "补寄信用卡"),
    ("consultation", "low", "理财产品赎回规则书面答复"),
    ("business", "high", "银行卡被冻结，需核实解冻"),
)
