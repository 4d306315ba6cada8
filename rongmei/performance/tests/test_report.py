"""The report written from the demo data reproduces every figure of the seed
report, in every format; changed data change it."""

import re
from decimal import Decimal

import pytest

from rongmei.performance import report
from rongmei.performance.models import BudgetLine, ChannelStat, Expenditure, FiscalYear, Placement, Platform

# The demo years, loaded once for the whole module.
pytestmark = pytest.mark.usefixtures("demo_years")

# Every figure of /work/shared/seed/000_71609186caeeb8e6.txt, as the report writes it.
SEED_FIGURES = [
    "2024年全年预算数3709.81万元",
    "基本支出预算数1996.23万元",
    "项目支出预算数1713.58万元",
    "资金总体支出3709.81万元",
    "基本支出1996.23万元",
    "项目支出1713.58万元",
    "预算执行率为100%",
    "累计刊播5000余篇/条",
    "8次登上央视《新闻联播》",
    "《北京新闻》近20次",
    "图文消息1955篇",
    "总阅读量479.4万次，较去年增加171.8万",
    "关注总量达 42.6万，较去年增加2.52万",
    "微博从6月1日运营",
    "新增有效用户粉丝2000余个",
    "粉丝总数达104.6万",
    "发布微博条数1012条",
    "总阅读量284万次",
    "共发布2100篇，总观看量5218万",
    "直播204场，总观看量300万次",
    "正刊出版81期，560个版面",
    "发行4期，刊发121篇文章，300余张图片",
    "播出304期",
    "共发布1595篇",
    "英文网站更新内容400余条",
    "访问量达到416万",
    "获奖近20个",
    "固定资产总额 1221.72万元",
    "2024年结转结余率为0",
    "2024年部门预决算差异率为0",
    "自评得分为100分",
    "需进一步加强预算管理工作，不断提升部门预算编制的前瞻性、科学性和准确性。",
]

HEADINGS = ["部门概况", "当年预算执行情况", "产出数量", "产出质量", "社会效益", "资产管理", "总体评价结论", "措施建议"]


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def test_report_reproduces_every_seed_figure(demo):
    built = report.build(2024)
    text = built.text()
    missing = [figure for figure in SEED_FIGURES if figure not in text]
    assert not missing, missing
    assert all(heading in text for heading in HEADINGS)
    assert "评价等级为“优”" in text


def test_files_in_every_format_hold_the_figures(demo, tmp_path):
    paths, pdf_skipped = report.write_files(2024, tmp_path / "自评报告.docx")
    names = sorted(p.name for p in paths)
    assert names[:3] == ["自评报告.docx", "自评报告.html", "自评报告.md"]
    texts = {
        "md": (tmp_path / "自评报告.md").read_text(encoding="utf-8"),
        "html": _plain((tmp_path / "自评报告.html").read_text(encoding="utf-8")),
        "docx": report.docx_text(tmp_path / "自评报告.docx"),
    }
    for kind, text in texts.items():
        missing = [figure for figure in SEED_FIGURES if figure not in text]
        assert not missing, (kind, missing)
    assert pdf_skipped == (report.soffice() is None)


def test_docx_layout_is_an_official_document(demo, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    path = tmp_path / "r.docx"
    report.to_docx(report.build(2024), path)
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    east_asia = {
        run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs
    }
    assert {"仿宋_GB2312", "黑体"} <= east_asia


def test_changed_data_change_the_report(demo):
    fiscal = FiscalYear.objects.get(year=2024)
    line = BudgetLine.objects.get(year=fiscal, name="公用经费")
    Expenditure.objects.filter(line=line, month=12).update(amount=Decimal("0"))
    spent_dec = line.expenditures.exclude(month=12).first()
    assert spent_dec is not None
    stat = ChannelStat.objects.get(platform=Platform.WECHAT_MP, year=2024, month=12)
    stat.posts += 100
    stat.save()
    Placement.objects.filter(programme="新闻联播", date__year=2024).first().delete()
    text = report.build(2024).text()
    assert "图文消息2055篇" in text
    assert "7次登上央视《新闻联播》" in text
    assert "预算执行率为100%" not in text
    assert "资金总体支出3709.81万元" not in text
    assert "自评得分为100分" not in text  # the execution rate and 新闻联播 indicators lost points
