"""The starter lexicon a new center begins with (migration 0002 loads it).

Small on purpose: only entries that are public, well known and right in any
story. The center maintains the rest in the admin (校对 → 词库), where every
entry can be edited, deactivated or exported.

Provenance of each ``source``:

``XINHUA``
    新华社《新华社新闻信息报道中的禁用词和慎用词》(2016年7月修订), which
    revised and extended 《新华社在新闻报道中的禁用词（第一批）》(2015年11月),
    as widely republished. Only entries stated there as a word not to use,
    with the replacement it gives where it gives one. Words of that list
    that would be found inside ordinary words were left out rather than
    flagging correct text: 天王 (天王星), 巨星 (红巨星), 根治 (根治欠薪),
    回回 (这回回来), 中澳 (China–Australia), 台语 (平台语音), 妈的 (妈妈的),
    and the Latin abbreviations SB/NB (USB, NBA).
``NORMS``
    Names and titles as fixed by the state: the full names of the
    autonomous regions, the title of the chairman of the NPC Standing
    Committee, the 2010 merger of 宣武区 into 西城区 and of 崇文区 into
    东城区 (State Council approval of 2010-07), and the quotation marks of
    the five-year plans and of the Belt and Road Initiative as written in
    official documents (“十四五”规划, “一带一路”倡议).
``LEADERS``
    The order of the members of the Standing Committee of the Political
    Bureau of the 20th CPC Central Committee, elected 2022-10-23 and
    published by Xinhua that day. It changes with each Party congress.

``allowed`` entries are exceptions: phrases inside which the entries above
would otherwise be found (农村长期 is not 村长).
"""

XINHUA = "新华社禁用词和慎用词（2016）"
NORMS = "规范名称和提法"
LEADERS = "二十届中央政治局常委（2022）"

_F, _S, _E, _L, _A = "forbidden", "sensitive", "standard_expression", "leader_order", "allowed"
_INFO, _WARNING, _BLOCKING = "info", "warning", "blocking"

# (kind, term, suggestion, severity, note, source)
# fmt: off
STARTER_ENTRIES: list[tuple[str, str, str, str, str, str]] = [
    # Disability: no contemptuous names.
    (_F, "残废人", "残疾人", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "独眼龙", "残疾人", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "瞎子", "盲人", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "聋子", "聋人", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "傻子", "智力障碍者", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "呆子", "智力障碍者", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    (_F, "弱智", "智力障碍者", _WARNING, "对有身体伤疾的人士不使用蔑称。", XINHUA),
    # Entertainment, leaders' activities, cadres.
    (_F, "影帝", "著名演员", _WARNING, "对文艺界人士不使用此类称谓。", XINHUA),
    (_F, "影后", "著名演员", _WARNING, "对文艺界人士不使用此类称谓。", XINHUA),
    (_S, "亲自", "", _INFO, "对各级领导同志的活动报道慎用“亲自”。", XINHUA),
    (_S, "隆重召开", "召开", _INFO, "除党中央、国务院召开的重要会议外，一般会议不用“隆重召开”。", XINHUA),
    (_S, "老板", "负责人", _INFO, "对国内领导干部和国有企业负责人不称“老板”。", XINHUA),
    (_E, "八荣八耻", "社会主义荣辱观", _WARNING, "不使用“践行‘八荣八耻’”，用“践行社会主义荣辱观”。", XINHUA),
    (_S, "村官", "村干部", _INFO, "除“大学生村官”外，不把村干部称作“村官”。", XINHUA),
    (_A, "大学生村官", "", _INFO, "", XINHUA),
    (_E, "村长", "村主任", _WARNING, "村民委员会主任简称“村主任”，不称“村长”。", XINHUA),
    (_A, "农村长", "", _INFO, "农村长期、农村长效机制等不是“村长”。", NORMS),
    (_A, "乡村长", "", _INFO, "乡村长廊等不是“村长”。", NORMS),
    (_A, "山村长", "", _INFO, "山村长大等不是“村长”。", NORMS),
    (_S, "少数民族上层人士", "", _INFO, "除对特定历史时期的表述外，不再使用这一称谓。", XINHUA),
    # Law.
    (_S, "罪犯", "犯罪嫌疑人", _WARNING, "法院宣判有罪之前，不称“罪犯”。", XINHUA),
    # Advertising of medicines.
    (_F, "药到病除", "", _WARNING, "医药报道中不使用。", XINHUA),
    (_F, "无效退款", "", _WARNING, "医药报道中不使用。", XINHUA),
    # Ethnic groups: no contemptuous names, no arbitrary abbreviations.
    (_F, "蒙古大夫", "庸医", _BLOCKING, "不使用含民族名称的侮辱性说法。", XINHUA),
    (_E, "蒙族", "蒙古族", _WARNING, "民族名称不随意简称。", XINHUA),
    (_E, "维族", "维吾尔族", _WARNING, "民族名称不随意简称。", XINHUA),
    (_E, "鲜族", "朝鲜族", _WARNING, "民族名称不随意简称。", XINHUA),
    # Territory, sovereignty, Hong Kong, Macao and Taiwan.
    (_F, "台湾政府", "台湾当局", _BLOCKING, "对1949年以后的台湾地区政权称“台湾当局”或“台湾方面”。", XINHUA),
    (
        _F, "中华民国总统", "台湾地区领导人", _BLOCKING,
        "严禁用“中华民国总统”称呼台湾地区领导人，加注引号也不可。", XINHUA,
    ),
    (
        _S, "中华民国", "台湾当局", _WARNING,
        "1949年10月1日以后的台湾不使用“中华民国”及其纪年；1912—1949年的历史表述可用。", XINHUA,
    ),
    (_F, "福尔摩莎", "台湾", _BLOCKING, "不使用。", XINHUA),
    (_S, "中港", "内地与香港", _WARNING, "不得将香港与中国并列提及。", XINHUA),
    (_F, "两岸三地", "海峡两岸和香港", _WARNING, "不得将海峡两岸和香港并称为“两岸三地”。", XINHUA),
    (_F, "深港一体化", "", _WARNING, "列为不再使用的提法。", XINHUA),
    (_E, "前苏联", "苏联", _WARNING, "称“苏联”，不称“前苏联”。", XINHUA),
    # International relations.
    (_E, "北朝鲜", "朝鲜", _WARNING, "“朝鲜民主主义人民共和国”简称“朝鲜”。", XINHUA),
    (_E, "世界贸易组织成员国", "世界贸易组织成员", _WARNING, "成员中既有国家也有地区，称“成员”。", XINHUA),
    (_E, "亚太经合组织成员国", "亚太经合组织成员", _WARNING, "成员中既有国家也有地区，称“成员”。", XINHUA),
    (_E, "穆斯林国家", "伊斯兰国家", _WARNING, "", XINHUA),
    (_E, "穆斯林世界", "伊斯兰世界", _WARNING, "", XINHUA),
    (_S, "阿拉伯民兵", "武装民兵", _WARNING, "", XINHUA),
    (_S, "伊斯兰原教旨主义", "宗教激进主义", _WARNING, "", XINHUA),
    (_S, "十字军", "", _WARNING, "国际报道中不使用“十字军”等说法。", XINHUA),
    # Vulgar and slang words (不文明用语).
    (_F, "装逼", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "草泥马", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "特么的", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "撕逼", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "屌丝", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "蛋疼", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "碧池", "", _BLOCKING, "不文明用语。", XINHUA),
    (_F, "哇噻", "", _WARNING, "俚语；引语中不得不用时加括号注明含义。", XINHUA),
    # Fixed political expressions.
    (_E, "一带一路战略", "“一带一路”倡议", _WARNING, "称“倡议”，不称“战略”。", XINHUA),
    (_E, "一带一路倡议", "“一带一路”倡议", _WARNING, "“一带一路”加引号。", NORMS),
    (_E, "十四五规划", "“十四五”规划", _WARNING, "规划简称加引号。", NORMS),
    (_E, "十五五规划", "“十五五”规划", _WARNING, "规划简称加引号。", NORMS),
    (_E, "全国人大委员长", "全国人大常委会委员长", _WARNING, "职务名称为全国人大常委会委员长。", NORMS),
    # Place names.
    (_E, "内蒙自治区", "内蒙古自治区", _WARNING, "", NORMS),
    (_E, "内蒙古省", "内蒙古自治区", _WARNING, "", NORMS),
    (_E, "广西省", "广西壮族自治区", _WARNING, "", NORMS),
    (_E, "宁夏省", "宁夏回族自治区", _WARNING, "", NORMS),
    (_E, "新疆省", "新疆维吾尔自治区", _WARNING, "", NORMS),
    (_E, "西藏省", "西藏自治区", _WARNING, "", NORMS),
    (_S, "宣武区", "西城区", _INFO, "2010年并入西城区；历史表述可用。", NORMS),
    (_S, "崇文区", "东城区", _INFO, "2010年并入东城区；历史表述可用。", NORMS),
    # Order of leaders' names.
    (
        _L, "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希", "", _BLOCKING,
        "按二十届中央政治局常委排序；下届党代会后请更新。", LEADERS,
    ),
]
# fmt: on
