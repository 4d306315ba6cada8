"""Demo data of the inbox: a few hundred comments and messages over the
last two months from every source, classified and graded the real way;
some answered and resolved, some overdue, some forwarded to departments,
two clusters (路灯 in one street, a sudden surge about a gas smell) and a
clue made from one. Loading twice adds nothing (fixed ids at the source)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from rongmei.interaction import deadlines, intake
from rongmei.interaction.models import Clue, Department, InboxCategory, Item, Reply, Source

# Classifying and grading a few hundred items takes seconds: rongmei up leaves it to the worker.
IN_BACKGROUND = True

SEED = 9
COUNT = 360

AUTHORS = [
    "西城居民",
    "老北京",
    "德胜街坊",
    "金融街小王",
    "什刹海边",
    "月坛张阿姨",
    "广内李师傅",
    "白纸坊市民",
    "展览路老刘",
    "陶然亭晨练",
    "新街口宝妈",
    "椿树街道热心人",
    "天桥游客",
    "牛街老住户",
    "大栅栏商户",
]
TEXTS = [
    "社区养老驿站的助餐服务很好，希望增加送餐上门，独居老人行动不便。",
    "请问孩子明年幼儿园入学需要什么材料，在哪里报名？",
    "社区卫生服务中心挂号太难了，能不能增加号源？",
    "老旧小区加装电梯的进度怎么样了？三楼以上的老人很需要。",
    "路口的红绿灯时间太短，老人过马路来不及，很不安全。",
    "小区门口的垃圾桶满了没人清理，异味很大。",
    "胡同里有人占道经营，晚上还有噪音扰民。",
    "想咨询一下灵活就业人员的社保怎么缴纳。",
    "周末去了图书馆的非遗展览，内容很丰富，点赞！",
    "感谢街道工作人员及时解决了我们楼道的照明问题，辛苦了！",
    "地铁站出口的共享单车乱停，挡住了盲道。",
    "楼下餐馆的油烟直接排到居民窗户，已经反映过多次。",
    "公园的健身器材坏了，希望尽快维修。",
    "公租房申请的条件是什么？需要什么材料？",
    "学校门口放学时车辆拥堵，孩子过马路很危险。",
    "供暖不热，家里只有十五度，老人受不了。",
    "河道边的护栏松动了，有安全隐患。",
    "退休人员的养老金调整什么时候发放？",
    "博物馆预约太难了，能不能增加名额？",
    "小区物业费上涨没有公示，业主有意见。",
]
STREETLIGHT = "{place}的路灯坏了好几天了，晚上一片漆黑，出行不便。"
GAS = "{place}附近闻到很重的燃气味，担心燃气泄漏，请赶紧派人来看看！"
PLACES = ["德胜门内大街", "新街口东街", "西四北大街", "护国寺街", "西直门南小街"]
SOURCES = [Source.WECHAT, Source.WEIBO, Source.DOUYIN, Source.HOTLINE, Source.WEBSITE, Source.LETTER, Source.PHONE]


def _incoming(now: dt.datetime) -> list[intake.Incoming]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible
    found = []
    for n in range(COUNT):
        source = SOURCES[n % len(SOURCES)]
        if source == Source.WEBSITE:
            source = Source.HOTLINE  # website messages come through the form (rongmei.interaction.actions.receive)
        posted = now - dt.timedelta(hours=rng.uniform(1, 24 * 60))
        text = rng.choice(TEXTS)
        if n % 17 == 0:
            text += " 😀👍"
        found.append(
            intake.Incoming(
                source=source,
                external_id=f"demo-{n}",
                content=text,
                posted_at=posted,
                author=rng.choice(AUTHORS),
                url=f"https://weibo.com/5723401234/demo{n}" if source == Source.WEIBO else "",
            )
        )
    for n, place in enumerate(PLACES * 3):  # cluster: street lights in one area over a week
        found.append(
            intake.Incoming(
                source=Source.HOTLINE,
                external_id=f"demo-light-{n}",
                content=STREETLIGHT.format(place=place),
                author=AUTHORS[n % len(AUTHORS)],
                posted_at=now - dt.timedelta(days=7 - n * 0.4),
            )
        )
    for n in range(9):  # surge: a gas smell, within the last hour
        found.append(
            intake.Incoming(
                source=Source.WEIBO,
                external_id=f"demo-gas-{n}",
                content=GAS.format(place=PLACES[n % 2]),
                author=f"路过的市民{n}",
                posted_at=now - dt.timedelta(minutes=50 - n * 5),
            )
        )
    return found


def load() -> dict[type, int]:
    now = timezone.now()
    intake.ingest(_incoming(now))
    departments = list(Department.objects.order_by("pk"))
    demo = Item.objects.filter(external_id__startswith="demo-").order_by("pk")
    for item in demo.filter(status=Item.Status.NEW, posted_at__lt=now - dt.timedelta(days=3)):
        rng = random.Random(f"{SEED}-{item.external_id}")  # noqa: S311 - per item: loading again draws the same
        roll = rng.random()
        if roll < 0.55:  # answered, most of them resolved
            answered = item.posted_at + dt.timedelta(hours=rng.uniform(0.5, 40))
            Reply.objects.create(
                item=item,
                text="您好，您反映的问题已收到并转相关部门处理，感谢您的关注。",
                status=Reply.Status.RECORDED,
                sent_at=answered,
                written_at=answered,
            )
            item.first_response_at = answered
            item.status = Item.Status.ANSWERED
            if rng.random() < 0.7:
                item.resolved_at = answered + dt.timedelta(hours=rng.uniform(2, 150))
                item.status = Item.Status.RESOLVED
        elif roll < 0.75 and departments:  # forwarded to a department, waiting
            item.department = rng.choice(departments)
            item.level = "department"
            item.status = Item.Status.ASSIGNED
            item.resolution_due = item.posted_at + dt.timedelta(hours=item.department.answer_hours)
        item.due_at = deadlines.next_due(item)
        item.save()
    lights = demo.filter(external_id__startswith="demo-light-")
    clue, _ = Clue.objects.get_or_create(
        title="德胜、新街口一带路灯集中损坏",
        defaults={"summary": "一周内 12345 热线多次反映同一片区路灯不亮，可做民生追踪报道。"},
    )
    clue.items.set(lights)
    demo.filter(external_id__in=[f"demo-{n}" for n in range(0, 300, 10)]).update(  # a few hand corrections
        category_by=Item.CategoryBy.PERSON
    )
    return {Item: demo.count(), Clue: Clue.objects.count(), InboxCategory: InboxCategory.objects.count()}
