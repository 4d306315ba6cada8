"""The annual self-evaluation report (部门整体支出绩效自评报告): built from a
year's text blocks, figures and scores as a list of blocks, then written
as Markdown, HTML, DOCX (A4, 仿宋 body, 黑体/楷体 headings, page numbers)
and, where LibreOffice is installed, PDF."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rongmei.performance import metrics, placeholders, scoring, texts
from rongmei.performance.models import FiscalYear, Indicator, Problem, TextBlock

YOY_KEYS = [key for key, metric in metrics.REGISTRY.items() if metric.group == "output"]


class Figures(Mapping):
    """Every placeholder name of a year, computed when first read."""

    def __init__(self, fiscal: FiscalYear, months=metrics.ALL_MONTHS):
        self.fiscal, self.year, self.months = fiscal, fiscal.year, months
        self._cache: dict[str, object] = {}
        self._scorecard = None
        facts = {
            "year": metrics.Figure(fiscal.year),
            "previous_year": metrics.Figure(fiscal.year - 1),
            "unit_name": metrics.Figure(fiscal.unit_name or "", empty_text=""),
            "inventory_date": metrics.Figure(
                fiscal.fixed_assets_inventory_date.strftime("%Y年%-m月%-d日")
                if fiscal.fixed_assets_inventory_date
                else None,
                empty_text="未登记",
            ),
        }
        self._cache.update(facts)
        self._names = [
            *facts,
            *metrics.REGISTRY,
            *(f"{key}_yoy" for key in YOY_KEYS),
            *(f"{key}_yoy_pct" for key in YOY_KEYS),
            "total_score",
            "grade",
        ]

    def scorecard(self) -> scoring.Scorecard:
        if self._scorecard is None:
            self._scorecard = scoring.scorecard(self.year, self.months)
        return self._scorecard

    def __getitem__(self, name):
        if name not in self._cache:
            if name in metrics.REGISTRY:
                self._cache[name] = metrics.compute(name, self.year, self.months)
            elif name.endswith("_yoy_pct") and name[: -len("_yoy_pct")] in metrics.REGISTRY:
                self._cache[name] = metrics.yoy(name[: -len("_yoy_pct")], self.year, self.months)[1]
            elif name.endswith("_yoy") and name[: -len("_yoy")] in metrics.REGISTRY:
                self._cache[name] = metrics.yoy(name[: -len("_yoy")], self.year, self.months)[0]
            elif name == "total_score":
                self._cache[name] = metrics.Figure(self.scorecard().total, "分", "Σ 三级指标得分")
            elif name == "grade":
                self._cache[name] = metrics.Figure(self.scorecard().grade, "", "优≥90，良80–<90，中60–<80，差<60")
            else:
                raise KeyError(name)
        return self._cache[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __contains__(self, name):
        return name in self._names


def placeholder_names() -> list[str]:
    names = ["year", "previous_year", "unit_name", "inventory_date", *metrics.REGISTRY]
    names += [f"{key}_yoy" for key in YOY_KEYS] + [f"{key}_yoy_pct" for key in YOY_KEYS]
    return [*names, "total_score", "grade"]


@dataclass
class Block:
    kind: str  # title | heading | paragraph | table
    text: str = ""
    level: int = 0
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Report:
    year: int
    title: str
    blocks: list[Block]
    used: dict[str, metrics.Figure]  # the figures the text used, for the provenance appendix

    def text(self) -> str:
        """Every word of the report, for checks and search."""
        parts = []
        for block in self.blocks:
            parts.append(block.text)
            for row in [block.headers, *block.rows]:
                parts.append(" ".join(row))
        return "\n".join(parts)


def text_blocks(fiscal: FiscalYear) -> dict[str, str]:
    stored = dict(TextBlock.objects.filter(year=fiscal).values_list("key", "text"))
    return {key: stored.get(key, texts.DEFAULTS.get(key, "")) for key in texts.KEYS}


# The report is a Chinese official document whatever the interface's language.
STATUS_WORDS = {Problem.Status.OPEN: "未整改", Problem.Status.VERIFIED: "已整改待验证", Problem.Status.CLOSED: "已完成"}


def _problem_paragraphs(fiscal: FiscalYear) -> list[str]:
    problems = Problem.objects.filter(year__year__lte=fiscal.year).select_related("year")
    problems = problems.exclude(year__year__lt=fiscal.year, status=Problem.Status.CLOSED).order_by("year__year", "pk")
    out = []
    for item in problems:
        text = item.problem.strip()
        if item.year.year < fiscal.year:
            text = f"（{item.year.year}年遗留，{STATUS_WORDS[item.status]}）{text}"
        if item.cause.strip():
            text += f"原因：{item.cause.strip()}"
        out.append(text)
        details = []
        if item.measures.strip():
            details.append(f"整改措施：{item.measures.strip().rstrip('。；;')}")
        if item.owner:
            details.append(f"责任人：{item.owner}")
        if item.due_date:
            details.append(f"完成时限：{item.due_date:%Y年%-m月%-d日}")
        if item.verification.strip():
            details.append(f"验证结果：{item.verification.strip().rstrip('。；;')}")
        if details:
            out.append("；".join(details) + "。")
    return out


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | int | float):
        return placeholders._plain(Decimal(value))
    return str(value)


GRADE_WORDS = {Indicator.Grade.MET: "达成", Indicator.Grade.PARTLY: "部分达成", Indicator.Grade.NOT_MET: "未达成"}


def _actual_text(indicator: Indicator, result: scoring.Score) -> str:
    if indicator.rule == Indicator.Rule.QUALITATIVE:
        return f"{GRADE_WORDS[indicator.grade]}（{_fmt(indicator.grade_share)}%）" if indicator.grade else "未评定"
    return f"{_fmt(result.actual)}{indicator.unit if result.actual is not None else ''}"


def build(year: int, months=metrics.ALL_MONTHS) -> Report:
    """The report of ``year`` (FiscalYear.DoesNotExist when there is no such year)."""
    fiscal = FiscalYear.objects.get(year=year)
    with metrics.caching():
        figures = Figures(fiscal, months)
        blocks_text = text_blocks(fiscal)
        title = f"{fiscal.unit_name}{year}年度部门整体支出绩效自评报告"
        blocks = [Block("title", title)]
        used: dict[str, metrics.Figure] = {}
        for level, heading, key in texts.SECTIONS:
            blocks.append(Block("heading", heading, level=level))
            if not key:
                continue
            text = blocks_text[key]
            try:
                rendered = placeholders.render(text, figures)
            except placeholders.PlaceholderError as error:
                raise placeholders.PlaceholderError(f"“{texts.LABELS[key]}”文本块：{error.message}") from None
            for name, _filters in placeholders.parse(text):
                used[name] = figures[name]
            blocks.extend(Block("paragraph", line.strip()) for line in rendered.splitlines() if line.strip())
            if key == "problems":
                blocks.extend(Block("paragraph", line) for line in _problem_paragraphs(fiscal))
        card = figures.scorecard()
        blocks.append(Block("heading", "附表：绩效指标完成情况", level=2))
        rows = []
        for node in card.rows():
            indicator, result = node.indicator, node.result
            target = "" if indicator.target is None else f"{indicator.get_direction_display()}{_fmt(indicator.target)}"
            rows.append(
                [
                    indicator.name if indicator.level == 1 else ("　" * (indicator.level - 1)) + indicator.name,
                    _fmt(indicator.weight),
                    f"{target}{indicator.unit if target else ''}",
                    "" if result is None else _actual_text(indicator, result),
                    _fmt(node.score),
                ]
            )
        rows.append(["合计", _fmt(card.weight), "", "", f"{_fmt(card.total)}（{card.grade}）"])
        blocks.append(Block("table", headers=["指标", "分值", "目标值", "完成值", "得分"], rows=rows))
    return Report(year, title, blocks, used)


# ------------------------------------------------------------------ writers


def to_markdown(report: Report) -> str:
    out = []
    for block in report.blocks:
        if block.kind == "title":
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append("#" * min(block.level + 1, 6) + " " + block.text)
        elif block.kind == "paragraph":
            out.append(block.text)
        elif block.kind == "table":
            out.append("| " + " | ".join(block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in block.rows)
            continue
        out.append("")
    return "\n".join(out).rstrip() + "\n"


HTML_STYLE = """
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", serif; font-size: 16pt;
       line-height: 1.8; max-width: 46em; margin: 2em auto; color: #111; }
h1 { font-family: "方正小标宋简体", "SimHei", "黑体", sans-serif; font-size: 22pt; text-align: center;
     font-weight: normal; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 0; }
h3 { font-family: "KaiTi_GB2312", "KaiTi", "楷体", serif; font-size: 16pt; font-weight: normal; margin: .6em 0 0; }
h4, h5 { font-family: "FangSong_GB2312", "FangSong", "仿宋", serif; font-size: 16pt; font-weight: bold;
         margin: .4em 0 0; }
p { text-indent: 2em; margin: 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 12pt; width: 100%; }
th, td { border: 1px solid #333; padding: 2px 6px; text-align: left; }
"""


def to_html(report: Report, *, fragment: bool = False) -> str:
    out = []
    for block in report.blocks:
        text = html.escape(block.text)
        if block.kind == "title":
            out.append(f"<h1>{text}</h1>")
        elif block.kind == "heading":
            level = min(block.level + 1, 5)
            out.append(f"<h{level}>{text}</h{level}>")
        elif block.kind == "paragraph":
            out.append(f"<p>{text}</p>")
        elif block.kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    content = "\n".join(out)
    if fragment:
        return content
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{HTML_STYLE}</style></head>\n<body>\n{content}\n</body></html>\n"
    )


BODY_FONT, HEADING_FONT, KAI_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312"


def _set_font(run_or_style, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    font.size = Pt(size_pt)
    font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("— ")
    _set_font(run, BODY_FONT, 14)
    field_run = paragraph.add_run()
    _set_font(field_run, BODY_FONT, 14)
    begin, instr, separate, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:t"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate.set(qn("w:fldCharType"), "separate")
    text.text = "1"
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        field_run._r.append(element)
    tail = paragraph.add_run(" —")
    _set_font(tail, BODY_FONT, 14)


def to_docx(report: Report, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _set_font(document.styles["Normal"], BODY_FONT, 16)
    _page_number_footer(section)
    heading_fonts = {1: (HEADING_FONT, False), 2: (HEADING_FONT, False), 3: (KAI_FONT, False), 4: (BODY_FONT, True)}
    for block in report.blocks:
        if block.kind == "title":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(block.text), "方正小标宋简体", 22)
        elif block.kind == "heading":
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            name, bold = heading_fonts.get(block.level, (BODY_FONT, True))
            _set_font(paragraph.add_run(block.text), name, 16, bold)
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            paragraph.paragraph_format.line_spacing = Pt(28)
            _set_font(paragraph.add_run(block.text), BODY_FONT, 16)
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                _set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 12)
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    _set_font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)
    document.save(str(path))


def docx_text(path: Path) -> str:
    """Every paragraph's and table cell's text of a .docx (for checks)."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, pdf_path: Path) -> bool:
    """Convert with LibreOffice; False when it is not installed or fails."""
    binary = soffice()
    if not binary:
        return False
    with tempfile.TemporaryDirectory() as outdir:
        try:
            subprocess.run(
                [binary, "--headless", "--convert-to", "pdf", "--outdir", outdir, str(docx_path)],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        produced = Path(outdir) / (docx_path.stem + ".pdf")
        if not produced.exists():
            return False
        shutil.move(str(produced), pdf_path)
    return True


def write_files(year: int, out: str | Path, *, pdf: bool = True) -> tuple[list[Path], bool]:
    """Write ``out``.docx, .html, .md (and .pdf with LibreOffice, unless not
    ``pdf``); ``out`` may carry one of these extensions. Returns (paths
    written, pdf skipped)."""
    out = Path(out)
    if out.suffix.lower() in (".docx", ".html", ".md", ".pdf"):
        out = out.with_suffix("")
    out.parent.mkdir(parents=True, exist_ok=True)
    report = build(year)
    paths = [out.with_name(out.name + ext) for ext in (".docx", ".html", ".md")]
    to_docx(report, paths[0])
    paths[1].write_text(to_html(report), encoding="utf-8")
    paths[2].write_text(to_markdown(report), encoding="utf-8")
    pdf_path = out.with_name(out.name + ".pdf")
    if pdf and to_pdf(paths[0], pdf_path):
        paths.append(pdf_path)
        return paths, False
    return paths, True
