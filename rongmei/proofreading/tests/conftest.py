"""Helpers shared by the proofreading tests."""

from rongmei.proofreading.engine import Lexicon, Term, check


def lexicon(*terms: tuple) -> Lexicon:
    """A lexicon of ``(kind, term[, suggestion[, severity]])`` tuples."""
    return Lexicon(Term(*term) for term in terms)


EMPTY = lexicon()


def found(text: str, rule: str | None = None, *, against: Lexicon = EMPTY) -> list[tuple[int, int, str, str]]:
    """(start, end, text, suggestion) of each hit, of one rule if given."""
    return [
        (hit.start, hit.end, hit.text, hit.suggestion)
        for hit in check(text, lexicon=against)
        if rule is None or hit.rule == rule
    ]


IMPORT_URL = "/admin/proofreading/lexicon/import/"
EXPORT_URL = "/admin/proofreading/lexicon/export/"


def xlsx(*rows) -> bytes:
    """An .xlsx file whose first sheet holds these rows."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def preview(client, name: str, content: bytes, **form):
    """Post a file to the import page; the response shows the preview."""
    data = {"kind": "forbidden", "severity": "warning", "source": "", **form, "file": upload(name, content)}
    return client.post(IMPORT_URL, data)
