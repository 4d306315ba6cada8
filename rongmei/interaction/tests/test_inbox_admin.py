"""The inbox in the admin and the API: permissions on the server, filters,
keyset pages, bounded counts, the item page's actions, statistics with
charts, the dashboard warning and the classifier's report."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from rongmei.core import roles
from rongmei.core.models import AuditEntry
from rongmei.interaction import intake, queries, stats
from rongmei.interaction.models import Department, InboxCategory, Item
from rongmei.interaction.tests.conftest import incoming

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    texts = ["路灯坏了", "油烟扰民", "养老驿站助餐", "学校门口拥堵，很危险", "楼下着火了"]
    intake.ingest([incoming(n, content=texts[n % 5], hours_ago=n + 0.5, source="phone") for n in range(30)])
    return list(Item.objects.order_by("-posted_at"))


def test_who_may_open_the_inbox(client, role_users, items):
    url = reverse("interaction_inbox:list")
    for role, status in [
        (roles.OPERATOR, 200),
        (roles.DIRECTOR, 200),
        (roles.ADMINISTRATOR, 200),
        (roles.REPORTER, 302),
        (roles.FINANCE, 302),
    ]:
        client.force_login(role_users[role])
        response = client.get(url)
        assert response.status_code == status, role
    client.force_login(role_users[roles.DIRECTOR])  # reads, approves, but does not handle
    item = items[0]
    response = client.post(reverse("interaction_inbox:item", args=[item.pk]), {"action": "grade", "grade": "urgent"})
    assert response.status_code in (302, 403)
    item.refresh_from_db()
    assert not item.grade_by_person
    assert not AuditEntry.objects.filter(action="interaction.item.grade").exists()


def test_the_list_filters_and_pages_by_keyset(client, role_users, items):
    client.force_login(role_users[roles.OPERATOR])
    url = reverse("interaction_inbox:list")
    environment = InboxCategory.objects.get(name="环境")
    response = client.get(url, {"category": environment.pk})
    shown = [int(pk) for pk in re.findall(r'data-inbox-item="(\d+)"', response.content.decode())]
    assert shown and all(Item.objects.get(pk=pk).category == environment for pk in shown)
    assert len(shown) == 6
    urgent = client.get(url, {"grade": "urgent"}).content.decode()
    assert urgent.count("data-inbox-item=") == 6
    overdue = client.get(url, {"overdue": "1"}).content.decode()
    assert overdue.count("data-inbox-item=") == Item.objects.filter(due_at__lt=timezone.now()).count() > 0
    page = queries.inbox_page(queries.InboxFilter(), per_page=12)
    assert [i.pk for i in page.items] == [i.pk for i in items[:12]] and page.next_cursor
    second = queries.inbox_page(queries.InboxFilter(), cursor=page.next_cursor, per_page=12)
    assert [i.pk for i in second.items] == [i.pk for i in items[12:24]]
    third = client.get(url, {"after": second.next_cursor}).content.decode()
    assert third.count("data-inbox-item=") == 6 and "data-inbox-next" not in third
    assert client.get(url, {"q": "养老"}).content.decode().count("data-inbox-item=") == 6


def test_counts_stop_at_a_thousand(items):
    now = timezone.now()
    Item.objects.bulk_create(
        [Item(source="hotline", external_id=f"bulk-{n}", content="路灯", posted_at=now) for n in range(1005)]
    )
    page = queries.inbox_page(queries.InboxFilter())
    assert page.more and page.count_label == "1000+"
    assert queries.inbox_page(queries.InboxFilter(source="phone")).count_label == "30"
    # A count that would take too long is given up: the page says "at least what is shown".
    slow = Item.objects.all()
    if connection.vendor == "postgresql":  # a count that takes 50 ms, stopped after 1 ms
        slow = slow.filter(pk__in=RawSQL("SELECT id FROM interaction_item, pg_sleep(0.05)", []))
    assert queries.capped_count(slow, budget_ms=0) == -1
    assert queries.capped_count(Item.objects.filter(source="phone")) == 30
    given_up = queries.InboxPage(items=page.items, next_cursor="x", count=-1, more=False)
    assert given_up.count_label == "50+"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="on PostgreSQL the timeout is capped_count's, tested above")
def test_a_search_that_takes_too_long_says_so_instead_of_waiting(client, role_users, items, monkeypatch):
    now = timezone.now()
    Item.objects.bulk_create(  # rows the search must read through: few of the table match
        [Item(source="hotline", external_id=f"bulk-{n}", content="供暖不热", posted_at=now) for n in range(1000)]
    )
    found = queries.inbox_page(queries.InboxFilter(q="路灯"))
    assert found.items and not found.timed_out
    stopped = queries.inbox_page(queries.InboxFilter(q="路灯"), search_budget_ms=0)
    assert stopped.timed_out and stopped.items == []
    client.force_login(role_users[roles.OPERATOR])
    monkeypatch.setattr(queries, "SEARCH_BUDGET_MS", 0)
    page = client.get("/admin/inbox/?q=路灯").content.decode()
    assert "搜索耗时过长" in page and "data-inbox-item" not in page


def test_the_item_page_handles_the_item(client, role_users, items):
    operator = role_users[roles.OPERATOR]
    client.force_login(operator)
    item = next(i for i in items if i.grade == "normal")
    url = reverse("interaction_inbox:item", args=[item.pk])
    page = client.get(url).content.decode()
    assert item.content in page and "收到，已转办" in page  # a reply template is offered
    culture = InboxCategory.objects.get(name="文化")
    client.post(url, {"action": "classify", "category": culture.pk})
    department = Department.objects.get(name="街道办事处")
    client.post(url, {"action": "assign", "department": department.pk, "assignee": operator.pk})
    client.post(url, {"action": "reply", "text": "您好，已转街道办理。", "public": "on"})
    item.refresh_from_db()
    assert (item.category, item.category_by, item.department, item.assignee, item.status) == (
        culture,
        "person",
        department,
        operator,
        "answered",
    )
    page = client.get(url).content.decode()
    assert 'data-reply-status="recorded"' in page
    assert page.count("data-audit=") >= 4
    replies = item.replies.count()
    response = client.post(url, {"action": "reply", "text": "  "}, follow=True)
    assert response.status_code == 200 and item.replies.count() == replies


def test_statistics_summary_for_a_period(role_users):
    from rongmei.interaction import actions
    from rongmei.interaction.models import GradeRule

    GradeRule.objects.update(is_active=False)  # ten alike items would be "repeated": no review here
    operator = role_users[roles.OPERATOR]
    now = timezone.now()
    start = now - dt.timedelta(days=10)
    intake.ingest([incoming(n, content="图书馆几点开门", source="phone", hours_ago=100 + n) for n in range(10)])
    for n, item in enumerate(Item.objects.order_by("external_id")[:8]):
        actions.reply(item, user=operator, text="九点")
        Item.objects.filter(pk=item.pk).update(first_response_at=item.posted_at + dt.timedelta(hours=n + 1))
    actions.close(Item.objects.order_by("external_id")[9], user=operator, reason="重复")
    figures = stats.summary(start, now + dt.timedelta(minutes=1))
    assert figures["received"] == 10 and figures["answered"] == 8 and figures["closed"] == 1
    assert figures["response_rate"] == pytest.approx(8 / 9)
    assert figures["first_response_hours"]["median"] == pytest.approx(4.5, abs=0.01)
    assert figures["first_response_hours"]["p90"] == pytest.approx(8, abs=0.01)
    assert figures["overdue_now"] == 1  # the one neither answered nor closed
    assert figures["volume"]["category"]["total"] == {"文化": 10}
    assert sum(r["count"] for r in figures["volume"]["source"]["by_week"]) == 10
    assert stats.summary(now - dt.timedelta(days=1), now)["received"] == 0


def test_the_stats_page_draws_charts_on_the_server(client, role_users, items):
    client.force_login(role_users[roles.DIRECTOR])
    page = client.get(reverse("interaction_inbox:stats")).content.decode()
    assert page.count("<svg") >= 6 and 'data-stat="received">30<' in page
    assert "cdn." not in page.lower()


def test_the_dashboard_warns_about_overdue_items(client, role_users, items):
    client.force_login(role_users[roles.OPERATOR])
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    overdue = Item.objects.filter(due_at__lt=timezone.now()).count()
    assert f'data-inbox-overdue="{overdue}"' in page and overdue > 0


def test_the_classifier_page_shows_both_accuracies(client, role_users):
    from rongmei.interaction.models import ClassifierRun

    ClassifierRun.objects.create(
        corrected=250, train_size=200, test_size=50, lexicon_accuracy=0.62, model_accuracy=0.81, in_use=True
    )
    client.force_login(role_users[roles.OPERATOR])
    page = client.get(reverse("interaction_inbox:classifier")).content.decode()
    assert "62%" in page and "81%" in page


def api(client, user):
    _, token = APIToken.create_token(user=user, name="inbox")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_lists_and_replies(client, role_users, items):
    operator = api(client, role_users[roles.OPERATOR])
    response = client.get("/api/v1/inbox/items", {"grade": "urgent", "limit": 4}, **operator)
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 4 and body["count"] == 6 and body["next_cursor"]
    following = client.get("/api/v1/inbox/items", {"grade": "urgent", "after": body["next_cursor"]}, **operator)
    assert len(following.json()["items"]) == 2
    normal = Item.objects.filter(grade="normal").first()
    reply = client.post(
        f"/api/v1/inbox/items/{normal.pk}/reply", {"text": "收到"}, content_type="application/json", **operator
    )
    assert reply.status_code == 200 and reply.json()["status"] == "recorded"
    empty = client.post(
        f"/api/v1/inbox/items/{normal.pk}/reply", {"text": " "}, content_type="application/json", **operator
    )
    assert empty.status_code == 400
    finance = api(client, role_users[roles.FINANCE])
    assert client.get("/api/v1/inbox/items", **finance).status_code == 403
    assert (
        client.post(
            f"/api/v1/inbox/items/{normal.pk}/reply", {"text": "x"}, content_type="application/json", **finance
        ).status_code
        == 403
    )
    urgent = Item.objects.filter(grade="urgent").first()
    held = client.post(
        f"/api/v1/inbox/items/{urgent.pk}/reply", {"text": "已处置"}, content_type="application/json", **operator
    ).json()
    assert held["status"] == "pending_review"
    director = api(client, role_users[roles.DIRECTOR])
    approved = client.post(
        f"/api/v1/inbox/replies/{held['id']}/approve", {"note": "同意"}, content_type="application/json", **director
    )
    assert approved.status_code == 200 and approved.json()["status"] == "recorded"
    figures = client.get(
        "/api/v1/inbox/stats", {"start": "2020-01-01", "end": timezone.localdate().isoformat()}, **director
    ).json()
    assert figures["received"] == 30 and figures["answered"] == 2


def test_every_inbox_page_opens_for_those_who_may(client, role_users, items):
    from rongmei.interaction.models import SourceState

    SourceState.objects.create(
        key="channel:9", label="快手账号", state="unavailable", message="快手开放平台只提供评论数"
    )
    client.force_login(role_users[roles.ADMINISTRATOR])
    for name in ("list", "add", "import", "stats", "clues", "sources", "classifier"):
        response = client.get(reverse(f"interaction_inbox:{name}"))
        assert response.status_code == 200, name
    assert "快手开放平台只提供评论数" in client.get(reverse("interaction_inbox:sources")).content.decode()
    state = SourceState.objects.get()
    client.post(reverse("interaction_inbox:sources"), {"state": state.pk})
    state.refresh_from_db()
    assert state.state == "ok"
    response = client.post(
        reverse("interaction_inbox:add"),
        {"source": "phone", "content": "来电反映楼道灯不亮", "author": "王先生", "posted_at": "2026-11-20T09:30"},
    )
    item = Item.objects.get(source="phone", author="王先生")
    assert response.status_code == 302 and item.posted_at.date().isoformat() == "2026-11-20"
    client.force_login(role_users[roles.EDITOR])  # reads clues, nothing else of the inbox
    assert client.get(reverse("interaction_inbox:clues")).status_code == 200
    assert client.get(reverse("interaction_inbox:list")).status_code == 302
    client.post(reverse("interaction_inbox:clues"), {"items": [item.pk], "title": "楼道灯"})
    assert not item.clues.exists()
