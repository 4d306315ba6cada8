"""``rongmei report performance --year Y --out FILE`` writes the report."""

import pytest

from rongmei import cli
from rongmei.performance import report
from rongmei.performance.models import TextBlock

# The demo years, loaded once for the whole module.
pytestmark = pytest.mark.usefixtures("demo_years")


def test_the_command_writes_every_format(demo, tmp_path, capsys):
    out = tmp_path / "reports" / "绩效自评2024"
    assert cli.main(["report", "performance", "--year", "2024", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for ext in (".docx", ".html", ".md"):
        path = out.with_name(out.name + ext)
        assert path.exists() and path.stat().st_size > 1000
        assert str(path) in printed
    assert "图文消息1955篇" in out.with_name(out.name + ".md").read_text(encoding="utf-8")
    assert "图文消息1955篇" in report.docx_text(out.with_name(out.name + ".docx"))
    if report.soffice() is None:
        assert "PDF" in printed and "LibreOffice" in printed
    else:
        assert out.with_name(out.name + ".pdf").exists()


def test_a_missing_year_or_a_bad_text_block_is_one_sentence(demo, tmp_path, capsys):
    assert cli.main(["report", "performance", "--year", "1999", "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "1999" in err and "2023、2024" in err and "Traceback" not in err
    TextBlock.objects.filter(year__year=2024, key="score").update(text="得分{score_total}")
    assert cli.main(["report", "performance", "--year", "2024", "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "{score_total}" in err and "total_score" in err
    assert not (tmp_path / "x.docx").exists()
