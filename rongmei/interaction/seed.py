# ruff: noqa: E501 - keyword lists read best one category a line
"""The inbox's starting lists (a data migration puts them in; every one is
editable in the admin afterwards): categories with their keywords, grade
rules and policies, departments and reply templates."""

CATEGORIES = [
    (
        "养老",
        "Elderly care",
        "养老 老人 老年人 养老院 养老驿站 敬老院 助餐 老年餐桌 高龄 失能 护理 居家养老 适老化 养老金 退休 独居老人 老年食堂",
    ),
    (
        "教育",
        "Education",
        "学校 学生 老师 教师 小学 中学 幼儿园 入学 招生 学位 课外 补课 培训班 教育 家长 课后服务 校车 学区",
    ),
    (
        "医疗",
        "Health care",
        "医院 看病 挂号 医生 医保 社区卫生 卫生服务中心 门诊 药店 买药 疫苗 体检 就医 急诊 护士 医疗 报销 病房",
    ),
    (
        "住房",
        "Housing",
        "住房 房子 物业 租房 房租 公租房 保障房 拆迁 老旧小区 改造 加装电梯 电梯 漏水 房屋 产权 物业费 楼道 违建 供暖 暖气",
    ),
    (
        "交通",
        "Transport",
        "交通 公交 地铁 停车 停车位 堵车 拥堵 红绿灯 信号灯 路口 道路 修路 共享单车 车站 出租车 限行 违停 斑马线 非机动车道 过街 人行道",
    ),
    (
        "环境",
        "Environment",
        "环境 垃圾 垃圾分类 污染 噪音 噪声 扰民 异味 臭味 绿化 树木 河道 污水 油烟 空气 扬尘 施工噪音 排污 卫生死角",
    ),
    (
        "城市管理",
        "City management",
        "城管 占道 占道经营 摊贩 路灯 井盖 广告牌 违章 私搭乱建 市容 共享单车乱停 地桩 路面 坑洼 下水道 积水 街巷",
    ),
    (
        "就业",
        "Employment",
        "就业 工作 招聘 失业 求职 工资 欠薪 拖欠工资 社保 劳动合同 培训 创业 岗位 用工 加班 劳动仲裁",
    ),
    (
        "文化",
        "Culture",
        "文化 图书馆 博物馆 演出 展览 文物 非遗 胡同 四合院 古建 文化馆 书店 电影 戏曲 阅读 文艺 中轴线 体育 健身",
    ),
    (
        "咨询",
        "Enquiry",
        "请问 咨询 怎么办理 如何办理 办理 流程 需要什么材料 在哪里 几点 开放时间 电话多少 能不能 是否可以 政策 申请条件",
    ),
    ("表扬", "Praise", "感谢 谢谢 点赞 表扬 辛苦了 为你们点赞 好评 赞 给力 暖心 感动 负责任 及时解决"),
    ("其他", "Other", ""),
]

GRADE_POLICIES = [
    # grade, first response hours, resolution hours, review required
    ("normal", 24, 120, False),
    ("important", 8, 72, True),
    ("urgent", 2, 24, True),
]

GRADE_RULES = [
    # name, kind, grade, keywords, threshold, window hours, factor
    (
        "危及生命或公共安全",
        "keyword",
        "urgent",
        "生命危险 有人受伤 伤亡 死亡 火灾 着火 起火 爆炸 坍塌 塌方 燃气泄漏 煤气泄漏 天然气泄漏 跳楼 轻生 溺水 触电 救命 中毒 被困 踩踏",
        0,
        0,
        0.0,
    ),
    (
        "提及安全",
        "keyword",
        "important",
        "安全 隐患 危险 漏电 消防通道 消防 电动车充电 飞线充电 高空坠物 食品安全 塌陷 裂缝 摔倒",
        0,
        0,
        0.0,
    ),
    ("同一人反复反映", "repeat_author", "important", "", 3, 168, 0.0),
    ("同一话题反复反映", "repeat_topic", "important", "", 10, 72, 0.0),
    ("话题突增", "surge", "urgent", "", 8, 24, 4.0),
]

DEPARTMENTS = [
    # name, contact, answer hours
    ("区民政局", "养老、社会救助", 120),
    ("区教委", "学校、招生", 120),
    ("区卫生健康委", "医院、社区卫生", 120),
    ("区住房城市建设委", "住房、物业、老旧小区", 168),
    ("区交通支队", "交通、停车", 72),
    ("区生态环境局", "污染、噪音", 72),
    ("区城市管理委", "市容、路灯、占道", 72),
    ("区人力社保局", "就业、社保、欠薪", 120),
    ("区文化和旅游局", "文化、文物", 168),
    ("街道办事处", "社区事务", 72),
]

REPLY_TEMPLATES = [
    ("收到，已转办", None, "{author}您好，感谢您的反映。我们已将您反映的问题转交相关部门办理，办理结果将及时回复您。"),
    ("收到，正在核实", None, "{author}您好，您反映的情况我们已收到，正在核实，请耐心等待。"),
    ("感谢表扬", "表扬", "{author}您好，感谢您的肯定和鼓励，我们会继续努力，做好服务。"),
    ("咨询答复", "咨询", "{author}您好，关于您咨询的问题，办理方式如下："),
]
