"""The admin's website-visits page shows each page's views over the last 7
and 30 days and the views per day, to those allowed to see them."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from rongmei.analytics.visits import count_view

pytestmark = pytest.mark.django_db

URL = "/admin/analytics/visits/"


def cell(html: str, page, name: str) -> str:
    row = re.search(rf'<tr data-analytics-page="{page.pk}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf"<td data-analytics-{name}>(\d+)</td>", row).group(1)


@pytest.fixture
def counted(make_article, english_home):
    today = timezone.localdate()
    read = make_article(title="区政府召开常务会议")
    older = make_article(title="冬季供暖准备就绪")
    for page, days_ago, views in [(read, 0, 3), (read, 10, 5), (older, 20, 2), (older, 40, 9), (english_home, 1, 4)]:
        for _ in range(views):
            count_view(page, today - dt.timedelta(days=days_ago))
    return read, older


def test_the_page_lists_views_over_7_and_30_days(client, user_with, counted, english_home):
    read, older = counted
    client.force_login(user_with("analyst", "analytics.view_pageview", "wagtailadmin.access_admin"))
    html = client.get(URL).content.decode()
    assert "区政府召开常务会议" in html and "冬季供暖准备就绪" in html
    assert (cell(html, read, "short"), cell(html, read, "long")) == ("3", "8")
    assert (cell(html, older, "short"), cell(html, older, "long")) == ("0", "2")  # the view 40 days ago is left out
    assert html.index("区政府召开常务会议") < html.index("冬季供暖准备就绪")  # most viewed first
    assert re.search(r'data-analytics-total="7">7<', html)  # 3 + 4
    assert re.search(r'data-analytics-total="30">14<', html)  # 3 + 5 + 2 + 4
    assert html.count('class="archive-bars__count"') == 30  # a bar a day


def test_one_languages_site_alone(client, superuser, counted, english_home):
    client.force_login(superuser)
    html = client.get(URL, {"language": "en"}).content.decode()
    assert cell(html, english_home, "long") == "4"
    assert "区政府召开常务会议" not in html


def test_the_page_and_its_menu_item_need_the_permission(client, user_with, role_users, counted):
    client.force_login(user_with("nobody", "wagtailadmin.access_admin"))
    refused = client.get(URL)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
    assert URL not in client.get("/admin/").content.decode()
    client.force_login(user_with("analyst", "analytics.view_pageview", "wagtailadmin.access_admin"))
    assert URL in client.get("/admin/").content.decode()
