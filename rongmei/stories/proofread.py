"""Proofreading of a whole story: each text field through the engine of
``rongmei.proofreading``, with the reviewers' overrides applied."""

from dataclasses import asdict, dataclass

from rongmei.core.text import html_to_text
from rongmei.proofreading import engine
from rongmei.proofreading.models import Severity
from rongmei.stories.models import Story

FIELDS = ("title", "kicker", "subtitle", "summary", "body")
BLOCKING = "blocking"


@dataclass(frozen=True)
class StoryHit:
    field: str
    start: int
    end: int
    text: str
    rule: str
    message: str
    suggestion: str
    severity: str
    before: str
    after: str
    overridden: bool

    @property
    def context(self) -> str:
        return f"{self.before}【{self.text}】{self.after}"

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCKING and not self.overridden

    def as_dict(self) -> dict:
        return {**asdict(self), "context": self.context}


def field_text(story: Story, field: str) -> str:
    value = getattr(story, field) or ""
    return html_to_text(value) if field == "body" else value


def proofread(story: Story) -> list[StoryHit]:
    overridden = set(story.proofreading_overrides.values_list("rule", "text")) if story.pk else set()
    hits = []
    for field in FIELDS:
        text = field_text(story, field)
        for hit in engine.check(text):
            hits.append(
                StoryHit(
                    field=field,
                    start=hit.start,
                    end=hit.end,
                    text=hit.text,
                    rule=hit.rule,
                    message=str(hit.message),
                    suggestion=hit.suggestion or "",
                    severity=str(hit.severity),
                    before=text[max(0, hit.start - 12) : hit.start],
                    after=text[hit.end : hit.end + 12],
                    overridden=(hit.rule, hit.text) in overridden,
                )
            )
    return hits


def blocking(hits: list[StoryHit]) -> list[StoryHit]:
    return [hit for hit in hits if hit.blocks]


def summary(hits: list[StoryHit]) -> dict:
    counts = {"info": 0, "warning": 0, "blocking": 0}
    for hit in hits:
        if not hit.overridden:
            counts[hit.severity] = counts.get(hit.severity, 0) + 1
    return {**counts, "can_submit": not blocking(hits)}
