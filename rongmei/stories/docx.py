"""The review sheet (审稿单) as a Word document, the format offices exchange."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from rongmei.stories import review


def review_sheet_docx(story, rows) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)

    document.add_heading(_("Review sheet"), level=1)
    facts = [
        (_("Title"), story.title),
        (_("Author"), str(story.author)),
        (_("Department"), str(story.department or "")),
        (_("Category"), str(story.category or "")),
        (_("Source"), story.get_source_display() + (f" · {story.source_name}" if story.source_name else "")),
        (_("Status"), review.status(story)[1]),
        (_("Printed"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value

    document.add_paragraph()
    headers = [_("Submission"), _("Level"), _("Reviewer"), _("Decision"), _("Time"), _("Comment")]
    decisions = document.add_table(rows=1, cols=len(headers))
    decisions.style = "Table Grid"
    for cell, header in zip(decisions.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        cells = decisions.add_row().cells
        values = [
            str(row.submission),
            row.level_name,
            row.reviewer or "—",
            row.decision,
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M") if row.at else "—",
            row.comment or "—",
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
