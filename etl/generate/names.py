"""Word lists for the people and organizations of a fictional province (all GBK-encodable)."""

from __future__ import annotations

# Surnames with rough weights for a southern province.
SURNAMES = (
    "陈李黄张梁林刘吴何王郑罗谢杨邓周许冯曾叶蔡朱苏卢钟潘麦赖彭莫邱余"
    "胡郭徐江方丘温严廖区关庄凌袁唐侯詹龙欧柯马钱孙赵高姚谭汤韦陆程魏古危饶"
)
SURNAME_WEIGHTS = tuple(max(1.0, 14.0 - 0.25 * i) for i in range(len(SURNAMES)))

GIVEN_MALE = "伟强磊军勇杰涛明超浩鹏俊斌宇辉健锋波志豪博文宏宁晨睿翔嘉家泽子铭诚凯航"
GIVEN_FEMALE = "芳娜敏静丽婷雪琳颖倩欣怡佳慧玲燕霞晓梦思雨琪萱妍诗悦彤婉蕾洁菲瑶楠"

# The demo province is fictional (示例省): its cities, counties, universities and enterprises are
# invented, so that it cannot be taken for a real one. The region prefixes (4401 ...) stay: they
# are numbers that the ID numbers' check uses, not names.
PROVINCE = "示例省"

# City name, 4-digit region prefix, weight (members), weight (universities).
# fmt: off
CITIES = (
    ('青川市', '4401', 18, 55), ('岭北市', '4402', 2.5, 2), ('东临市', '4403', 17, 10),
    ('澜湾市', '4404', 3, 6), ('潮屿市', '4405', 5, 3), ('桐江市', '4406', 9, 4),
    ('鹤洲市', '4407', 4, 2), ('雷岸市', '4408', 6, 4), ('荔原市', '4409', 5, 2),
    ('霞岭市', '4412', 4, 2), ('枫阳市', '4413', 5, 2), ('柏川市', '4414', 3, 1),
    ('汐港市', '4415', 2, 0.5), ('棠溪市', '4416', 2.5, 0.5), ('朗阳市', '4417', 2.5, 0.5),
    ('苍岭市', '4418', 3, 1), ('明湖市', '4419', 10, 2), ('香岚市', '4420', 4, 1),
    ('韵州市', '4451', 2, 1), ('榕原市', '4452', 5, 0.5), ('玉岫市', '4453', 2, 0.5),
)
# fmt: on

# Counties and districts of each city, as many as the city has counties in any year (the
# generator takes the first n, n being how many the real region table has that year).
COUNTIES = {prefix: tuple(text.split()) for prefix, text in {
    "4401": "澄湖区 江岸区 云汀区 青屿区 白鹭区 锦澜区 临波区 翠溪区 南汀区 新澜区 枫泓区 "
            "凤岫区 石泓区 桂汀县 松岚县 溪岫县",
    "4402": "岭澜区 武岫区 曲汀区 始岚县 仁岫县 翁溪县 瑶汀县 新岚县 乐岫市 南岫市 "
            "北泓县 霁岭县 琅口县 瑶泓县 沁塘县 云岫县",
    "4403": "罗汀区 福湾区 南岬区 宝岚区 龙屿区 盐岫区 华澜区 坪汀区 光澜区",
    "4404": "香汀区 斗岚区 金屿区 碧泓区",
    "4405": "龙汀区 金岸区 濠湾区 潮岚区 潮溪区 澄屿区 南屿县 沁濠县 琅泓县 蓬岫县 "
            "河岚县 澄汀县 潮泓县 练岫县 峡岚县 鸥岫县 沙泓县",
    "4406": "禅溪区 南澜区 顺岸区 三汀区 高岚区 石岫县 九泓县 西岫县 官汀县 龙岚县",
    "4407": "蓬溪区 江澜区 新屿区 台岚市 开泓市 鹤岫市 恩汀市 杜岚县 白泓县",
    "4408": "赤岸区 霞湾区 坡屿区 麻汀区 遂岚县 徐岸县 廉溪市 雷澜市 吴岫市 碧洲县 琅海县",
    "4409": "茂岸区 电汀区 高岫市 化溪市 信岚市 林泓县 瑶角县",
    "4412": "端岫区 鼎岚区 高湾区 宁汀县 怀溪县 封岸县 德岚县 四汀市 禄岫县 金泓县 "
            "莲汀县 蛟岚县 白岫县 永泓县 回澜县",
    "4413": "枫城区 枫岸区 博溪县 枫东县 龙汀县 平岫县",
    "4414": "柏江区 柏溪区 大岫县 丰汀县 五岸县 平澜县 蕉溪县 兴岚市 松泓县",
    "4415": "汐城区 海岚县 陆溪县 陆岸市 红岫县",
    "4416": "源澜区 紫岫县 龙溪县 连汀县 和岚县 东岚县",
    "4417": "江岚区 朗东区 朗西县 朗春市 海泓县",
    "4418": "苍城区 苍新区 佛岚县 阳岫县 连岫县 连溪县 英岸市 连澜市 石汀县 浸泓县",
    "4451": "湘汀区 潮岸区 饶岚县 凤泓县",
    "4452": "榕城区 榕东区 榕西县 惠岸县 普岚市 棉岫县",
    "4453": "玉城区 玉安区 新岫县 郁岚县 罗岸市 南泓县",
}.items()}

# The two cities with towns instead of counties.
TOWNS = {
    "4419": tuple("湖城街道 南湖街道 东湖街道 万溪街道 石岸镇 虎岭镇 长岚镇 常汀镇 塘岫镇 樟岭镇 厚溪镇 寮岸镇 大澜镇 翠湖".split()),
    "4420": tuple("岚城街道 东岚街道 西岚街道 南岚街道 小溪镇 古岸镇 坦湾镇 三岭镇 火炬开发区 南汀镇".split()),
}

# Universities by city; more are made up from UNI_WORDS and UNI_SUFFIXES. Where a name here has
# the made-up form (city + word + suffix), the made-up name is skipped: keep those as they are.
UNIVERSITIES = {
    "4401": tuple(
        "青川大学 示例理工大学 澜江大学 示例师范大学 示例农业大学 示例工业大学 "
        "青川城市大学 示例外语外贸大学 东岚医科大学 青川医科大学 青川中医药大学 "
        "示例财经大学 示例技术师范大学 启明农业工程学院 示例药科大学 "
        "青川新澜职业技术学院 示例轻工职业技术学院".split()
    ),
    "4403": tuple("东临大学 海天科技大学 东临技术大学 东临信息职业技术学院".split()),
    "4404": tuple("澜湾科技学院 示例理工大学澜湾学院 澜湾城市职业技术学院".split()),
    "4405": tuple("潮屿大学 潮屿职业技术学院".split()),
    "4406": tuple("桐江科学技术学院 顺岸职业技术学院".split()),
    "4407": tuple("鹤洲大学".split()),
    "4408": tuple("示例海洋大学 示例医科大学 岭海师范学院".split()),
    "4409": tuple("示例石油化工学院".split()),
    "4412": tuple("霞岭学院".split()),
    "4413": tuple("枫阳学院".split()),
    "4414": tuple("柏川学院".split()),
    "4418": tuple("苍岭职业技术学院".split()),
    "4419": tuple("明湖理工学院".split()),
    "4420": tuple("示例电子科技大学香岚学院".split()),
    "4451": tuple("韵山师范学院".split()),
    "4402": tuple("岭北学院".split()),
}
UNI_WORDS = tuple("科技 工商 理工 信息 财经 艺术 师范 医学 工程 外语 商贸 建设 交通 航海 农林 体育 传媒 旅游 电子 机电".split())
UNI_SUFFIXES = tuple("学院 职业技术学院 职业学院".split())

COLLEGES = tuple(
    "计算机学院 电子信息学院 机械工程学院 土木工程学院 化学化工学院 材料学院 "
    "数学学院 物理学院 经济学院 管理学院 外国语学院 文学院 法学院 新闻传播学院 "
    "马克思主义学院 生命科学学院 医学院 药学院 护理学院 艺术学院 体育学院 "
    "教育学院 环境学院 建筑学院 自动化学院 软件学院 海洋学院 农学院 历史学院 "
    "公共管理学院".split()
)
MAJORS = tuple("机电技术 数控技术 会计 电子商务 计算机应用 汽车维修 护理 烹饪 旅游服务 物流管理 学前教育 工业机器人".split())

PLACE_A = "东西南北中新金银龙凤华宝石沙黄白青松桂梅莲榕江河海湖山岭塘洲岗"
PLACE_B = "山城湖岭坑塘田冲围岗埔湾洲头尾口坪圩村园林桥涌溪"

BIZ_A = tuple(
    "恒达 华信 鸿运 金信 中誉 澜海 南方 宏图 创新 汇泽 东方 联合 顺安 "
    "兴业 德信 美岚 天成 骏马 新科 远航 盛世 利华 正弘 佳美 瑞丰 安泰 "
    "雅居 卓越 博雅 星澜".split()
)
BIZ_B = tuple("科技 电子 电器 物流 贸易 实业 食品 服装 建材 机械 网络 医药 家具 陶瓷 塑胶 五金 纺织 印刷 汽车 光电".split())
BIZ_SUFFIX = tuple("有限公司 股份有限公司 集团有限公司".split())
SOE_WORDS = tuple("交通 地铁 水务 燃气 电力 建设 城投 港务 医药 商贸 粮食 旅游 发展 机场 能源 文化 轻工 金融 铁路 农垦".split())
DEPARTMENTS = tuple("综合管理部 财务部 人力资源部 市场部 研发中心 生产一部 生产二部 质量部 运营部 工程部 信息中心 客服中心".split())

# Agencies under a county's working committee, with their industry.
AGENCIES = tuple(
    tuple(a.split(":")) for a in (
        "人民医院:事业单位 中医院:事业单位 税务局:党政机关 公安分局:党政机关 "
        "教育局:党政机关 人民法院:党政机关 妇幼保健院:事业单位 "
        "疾病预防控制中心:事业单位 市场监督管理局:党政机关 供电局:国有企业 "
        "邮政分公司:国有企业"
    ).split()
)

# Receiving organizations outside the province (transfers out): other fictional provinces.
OUTSIDE_ORGS = tuple(
    "共青团示例北市海岳区中关街道委员会 共青团示例东市浦澜新区张汀镇委员会 "
    "共青团示例中省长岚市岳溪区委员会 共青团示例南省赣岭市章岸区委员会 "
    "共青团示例西自治区南澜市青岫区委员会 共青团示例西省成川市武岭区委员会 "
    "共青团示例华省武澜市洪岭区委员会 共青团示例闽省厦湾市思岸区委员会 "
    "共青团示例豫省郑岭市金溪区委员会 共青团示例浙省杭湾市西岚区委员会".split()
)

# fmt: off
MOBILE_PREFIXES = (
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157,
    158, 159, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 198, 199,
)
# fmt: on

EDUCATION = tuple("初中 高中 中等专科 大学专科 大学本科 硕士研究生".split())
