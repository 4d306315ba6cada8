"""Demo stories: the fictional stories of ``demo_data.py``, filed by the demo
reporters and taken through the real review to the state each one names."""

from datetime import timedelta
from html import escape

from django.contrib.auth import get_user_model
from django.utils import timezone

from rongmei.stories import actions, proofread
from rongmei.stories.demo_data import STORIES
from rongmei.stories.models import Category, Story

# Filing and reviewing 34 stories takes seconds: rongmei up leaves it to the worker.
IN_BACKGROUND = True

LEVELS = {"review1": 0, "review2": 1, "review3": 2, "approved": 3}
REVIEWERS = ["review1", "review2", "review3"]
DEMO_OVERRIDE_REASON = "演示数据：该处为有意保留的示例差错，供校对功能演示。"


def _file(item, users) -> Story:
    return actions.create_story(
        author=users[item["reporter"]],
        title=item["title"],
        kicker=item.get("kicker", ""),
        subtitle=item.get("subtitle", ""),
        summary=item.get("summary", ""),
        body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in item["body"]),
        category=Category.objects.get(name=item["category"]),
        keywords=item.get("keywords", []),
        photographers=item.get("photographers", ""),
        source=item.get("source", Story.Source.ORIGINAL),
        source_name=item.get("source_name", ""),
    )


def _review(story: Story, item, users) -> None:
    state = item["state"]
    if state == "draft":
        return
    for hit in proofread.blocking(proofread.proofread(story)):
        actions.override_proofreading(
            story, user=users["review1"], rule=hit.rule, text=hit.text, reason=DEMO_OVERRIDE_REASON
        )
    actions.submit_for_review(story, user=users[item["reporter"]])
    if state == "rejected":
        actions.decide(story, user=users["review1"], decision="reject", comment=item["reject_comment"])
        return
    for level in range(LEVELS[state]):
        actions.decide(story, user=users[REVIEWERS[level]], decision="approve", level=level + 1)


def load() -> dict[type, int]:
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=["reporter", "editor", *REVIEWERS])
    }
    now = timezone.now()
    for item in STORIES:
        if Story.objects.filter(title=item["title"]).exists():
            continue  # loaded before: keep it as the newsroom left it
        story = _file(item, users)
        _review(story, item, users)
        written = now - timedelta(days=item.get("days_ago", 0))
        Story.objects.filter(pk=story.pk).update(created_at=written)
    return {Story: len(STORIES)}
