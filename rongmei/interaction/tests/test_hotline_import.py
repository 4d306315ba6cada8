"""Importing 12345 hotline records: column mapping, a dry run that writes
nothing, clear Chinese errors for wrong columns and bad dates, and no
record twice."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from rongmei.core import roles, tabular
from rongmei.interaction import hotline
from rongmei.interaction.models import Item

pytestmark = pytest.mark.django_db

GOOD = (
    "工单号,受理时间,反映内容,市民姓名,联系电话,承办单位\n"
    "GD2025030501,2025-03-05 14:30,德胜门内大街路灯不亮,张先生,13800000001,区城市管理委\n"
    "GD2025030502,2025/3/5 15:02:09,小区楼下餐馆油烟扰民𠮷😀,,13800000002,\n"
    "GD2025030503,2025年3月6日 9时5分,请问公租房申请条件,李女士,,不存在的单位\n"
)


def table(text: str):
    return tabular.read_table(text.encode("gb18030"))


def test_a_dry_run_shows_what_would_happen_and_writes_nothing():
    data = table(GOOD)
    mapping = tabular.guess_mapping(data.headers, hotline.COLUMNS)
    assert mapping == {"ticket": 0, "when": 1, "content": 2, "caller": 3, "phone": 4, "department": 5}
    preview = hotline.preview(data, mapping)
    assert len(preview.rows) == 3 and not preview.errors and preview.unknown_departments == ["不存在的单位"]
    assert preview.rows[1]["when"].strftime("%H:%M:%S") == "15:02:09"
    assert Item.objects.count() == 0


def test_import_adds_each_record_once(role_users):
    operator = role_users[roles.OPERATOR]
    data = table(GOOD)
    mapping = tabular.guess_mapping(data.headers, hotline.COLUMNS)
    assert hotline.import_rows(hotline.preview(data, mapping).rows, user=operator) == 3
    light = Item.objects.get(external_id="GD2025030501")
    assert (light.source, light.author, light.contact, light.department.name, light.level) == (
        "hotline",
        "张先生",
        "13800000001",
        "区城市管理委",
        "department",
    )
    assert light.posted_at.hour == 6 and light.posted_at.minute == 30  # 14:30 in Beijing, stored in UTC
    assert "𠮷😀" in Item.objects.get(external_id="GD2025030502").content
    again = hotline.preview(data, mapping)
    assert again.duplicates == 3 and not again.rows
    assert hotline.import_rows(again.rows, user=operator) == 0 and Item.objects.count() == 3


def test_wrong_columns_and_bad_dates_are_explained_in_chinese():
    wrong = table("编号,日期,备注\nA1,2025-03-05,路灯\n")
    mapping = tabular.guess_mapping(wrong.headers, hotline.COLUMNS)
    preview = hotline.preview(wrong, mapping)
    messages = [str(e) for e in preview.errors]
    assert any("缺少必需的列“来电时间”" in m for m in messages)
    assert any("缺少必需的列“诉求内容”" in m for m in messages)
    bad = table(
        "工单号,受理时间,反映内容\nA1,2025-02-30 10:00,路灯\nA2,昨天下午,噪音\n"
        "A3,2099-01-01 08:00,油烟\nA1,2025-03-01,重复\n"
    )
    preview = hotline.preview(bad, tabular.guess_mapping(bad.headers, hotline.COLUMNS))
    messages = [str(e) for e in preview.errors]
    assert "第2行“来电时间”：“2025-02-30 10:00”不是有效的时间（日期或时刻超出范围）。" in messages
    assert "第3行“来电时间”：“昨天下午”不是有效的时间，请写成 2025-03-05 14:30 的形式。" in messages
    assert any(m.startswith("第4行") and "将来" in m for m in messages)
    assert Item.objects.count() == 0


def test_the_import_page_maps_previews_and_imports(client, role_users):
    client.force_login(role_users[roles.OPERATOR])
    url = reverse("interaction_inbox:import")
    book = Workbook()
    sheet = book.active
    sheet.append(["诉求编号", "时间", "内容"])
    sheet.append(["X-1", "2025-03-05 08:00", "学校门口拥堵"])
    sheet.append(["X-2", "2025-03-05 09:00", "路灯坏了"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "12345.xlsx"
    page = client.post(url, {"file": buffer}).content.decode()
    assert "缺少必需的列“来电时间”" in page and 'data-import-new="0"' in page  # “时间” is not guessed
    token = next(line for line in page.splitlines() if 'name="token"' in line).split('value="')[1].split('"')[0]
    assert Item.objects.count() == 0
    mapped = {
        "token": token,
        "file_name": "12345.xlsx",
        "map_ticket": "0",
        "map_when": "1",
        "map_content": "2",
        "confirm": "0",
    }
    page = client.post(url, mapped).content.decode()
    assert 'data-import-new="2"' in page and 'data-import-errors="0"' in page and Item.objects.count() == 0
    response = client.post(url, {**mapped, "confirm": "1"})
    assert response.status_code == 302 and Item.objects.filter(source="hotline").count() == 2
    client.force_login(role_users[roles.DIRECTOR])
    assert client.get(url).status_code in (302, 403)  # Wagtail's admin answers "no permission" with a redirect


def test_an_unreadable_file_is_refused_plainly(client, role_users):
    client.force_login(role_users[roles.OPERATOR])
    legacy = io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    legacy.name = "old.xls"
    page = client.post(reverse("interaction_inbox:import"), {"file": legacy}, follow=True).content.decode()
    assert "不支持旧版 Excel" in page and Item.objects.count() == 0
