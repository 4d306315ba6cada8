"""Proofreading through the API: check a text, read the lexicon.

Mounted at ``/proofreading`` (``/api/v1/proofreading/…``). Changing the
lexicon is done in the admin only, where imports are previewed and audited.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import model_validator

from rongmei.core.text import html_to_text
from rongmei.proofreading import engine
from rongmei.proofreading.models import Kind, LexiconEntry, Severity

router = Router(tags=["proofreading"])

MAX_TEXT_LENGTH = 200_000


class CheckIn(Schema):
    text: str | None = Field(None, max_length=MAX_TEXT_LENGTH, description="plain text")
    html: str | None = Field(
        None, max_length=MAX_TEXT_LENGTH, description="rich text (HTML); its text is checked, one line per block"
    )

    @model_validator(mode="after")
    def one_of_text_or_html(self):
        if (self.text is None) == (self.html is None):
            raise ValueError("give either text or html")
        return self


class HitOut(Schema):
    start: int = Field(..., description="offset of the first character, in the checked text")
    end: int = Field(..., description="offset after the last character")
    text: str
    rule: str
    message: str
    suggestion: str
    severity: Severity
    note: str


class SummaryOut(Schema):
    counts: dict[str, int]
    total: int
    blocking: bool


class CheckOut(Schema):
    text: str | None = Field(None, description="for html: the plain text the offsets refer to")
    hits: list[HitOut]
    summary: SummaryOut


class LexiconEntryOut(Schema):
    id: int
    kind: Kind
    term: str
    suggestion: str
    severity: Severity
    note: str
    source: str
    is_active: bool
    updated_at: datetime


@router.post("/check", response=CheckOut, summary="Proofread a text or an HTML fragment")
def check(request: HttpRequest, payload: CheckIn):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    plain = html_to_text(payload.html) if payload.html is not None else None
    hits = engine.check(plain if plain is not None else payload.text)
    return {
        "text": plain,
        "hits": [hit.as_dict() for hit in hits],
        "summary": engine.summarise(hits),
    }


@router.get("/lexicon", response=list[LexiconEntryOut], summary="The lexicon, by kind and term")
def lexicon(
    request: HttpRequest,
    kind: Kind | None = None,
    active: bool | None = None,
    limit: int = 100,
    offset: int = 0,
):
    if not request.user.has_perm("proofreading.view_lexiconentry"):
        raise PermissionDenied
    entries = LexiconEntry.objects.order_by("kind", "term")
    if kind is not None:
        entries = entries.filter(kind=kind)
    if active is not None:
        entries = entries.filter(is_active=active)
    limit = max(1, min(limit, 1000))
    return entries[offset : offset + limit]
