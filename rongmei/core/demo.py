"""Demo data of the core app: the center of the seed report, its
departments, and one user for every role."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from rongmei.core import roles
from rongmei.core.models import Department, Organisation, User

ORGANISATION = {
    "name": "北京市西城区融媒体中心",
    "short_name": "西城区融媒体中心",
    "region": "北京市西城区",
    "description": "区政府直属相当正处级公益一类财政补助事业单位。"
    "坚持一体化发展，移动端优先，实现一次采集、多元生成、多渠道发布、多平台互动。",
}

DEPARTMENTS = [
    ("综合办公室", "行政、人事、财务对接、资产管理"),
    ("新闻采访部", "区域内重点工作、重要活动和重大事件的采访报道；图片、视频资料的拍摄、存档、建目"),
    ("融媒编辑部", "稿件编辑、三审三校、选题策划，与中央、市属媒体联系沟通"),
    ("新媒体运营部", "“北京西城”微信公众号、微博、抖音、快手、视频号、央视频的运营与互动"),
    ("电视节目部", "北京电视台播出的西城区新闻和《都市阳光》等专题电视节目"),
    ("报刊编辑部", "《北京西城报》《西城文苑》的编辑出版"),
    ("网站编辑部", "区政府中英文网站新闻栏目的更新和维护"),
    ("技术保障部", "平台、网络与设备的运行维护"),
]

# Every demo user signs in with this password; it is printed in the docs,
# so a center that goes live starts with `rongmei up --no-demo`.
DEMO_PASSWORD = "rongmei-demo"  # noqa: S105 - public by design, see above

USERS = [
    # username, family name, given name, role, department
    ("reporter", "李", "明", roles.REPORTER, "新闻采访部"),
    ("editor", "王", "芳", roles.EDITOR, "融媒编辑部"),
    ("review1", "张", "伟", roles.REVIEW_1, "融媒编辑部"),
    ("review2", "刘", "洋", roles.REVIEW_2, "融媒编辑部"),
    ("review3", "陈", "静", roles.REVIEW_3, "融媒编辑部"),
    ("director", "赵", "强", roles.DIRECTOR, "综合办公室"),
    ("operator", "孙", "悦", roles.OPERATOR, "新媒体运营部"),
    ("finance", "周", "敏", roles.FINANCE, "综合办公室"),
    ("sysadmin", "吴", "磊", roles.ADMINISTRATOR, "技术保障部"),
]


def load() -> dict[type, int]:
    organisation, _ = Organisation.objects.update_or_create(name=ORGANISATION["name"], defaults=ORGANISATION)
    departments = {}
    for order, (name, duties) in enumerate(DEPARTMENTS, start=1):
        departments[name], _ = Department.objects.update_or_create(
            organisation=organisation, name=name, defaults={"duties": duties, "sort_order": order}
        )
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_NAMES)}
    # One hash for all demo users: hashing is deliberately slow (~0.7 s).
    demo_hash = make_password(DEMO_PASSWORD)
    for username, family, given, role, department in USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "last_name": family,
                "first_name": given,
                "email": f"{username}@demo.rongmei.local",
                "department": departments[department],
                "is_active": True,
            },
        )
        if created:
            user.password = demo_hash
            user.save(update_fields=["password"])
        user.groups.set([groups[role]])
    return {Organisation: 1, Department: len(DEPARTMENTS), User: len(USERS)}
