"""Demo publications: two demo drafts whose package passes every channel's
check are approved through the three review levels by the demo reviewers,
so the publish queue creates their deliveries the real way — the Chinese
website publishes them (the worker runs them), the outlets without an API
wait for a person, and the newspaper's delivery of the first is recorded
as published by hand. Loading twice approves nothing more."""

from django.contrib.auth import get_user_model

from rongmei.distribution.models import Delivery

# Approving runs the review, the proofreading and every channel's checks: the worker does it.
IN_BACKGROUND = True
COUNT = 2
NEWSPAPER_PAGE = "https://epaper.bjxch.example.cn/2026-11-26/03.html"


def load() -> dict[type, int]:
    from rongmei.distribution import actions as distribution
    from rongmei.stories import actions, review
    from rongmei.stories.models import Story
    from rongmei.versions import views

    names = ["editor", "review1", "review2", "review3", "operator"]  # rongmei.core.demo.USERS
    users = {user.username: user for user in get_user_model().objects.filter(username__in=names)}
    if len(users) < len(names):
        return {Delivery: Delivery.objects.count()}
    published = Story.objects.filter(deliveries__isnull=False).distinct().count()
    for story in Story.objects.order_by("pk"):
        if published >= COUNT:
            break
        if review.status(story)[0] != review.Status.DRAFT or not views.story_versions(story):
            continue
        try:
            actions.submit_for_review(story, user=users["editor"])
        except actions.StoryError:
            continue  # a check refuses this package: leave it as a draft
        for level, name in enumerate(("review1", "review2", "review3"), start=1):
            actions.decide(story, user=users[name], decision="approve", level=level)
        published += 1
        if published == 1:
            newspaper = Delivery.objects.filter(story=story, channel__kind="newspaper").first()
            if newspaper is not None:
                distribution.mark_published_manually(newspaper, user=users["operator"], url=NEWSPAPER_PAGE)
    return {Delivery: Delivery.objects.count()}
