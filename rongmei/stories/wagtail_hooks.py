from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from rongmei.stories.models import Story
from rongmei.stories.views import CategoryViewSet, StoryViewSet, override_view, review_sheet_view

register_snippet(StoryViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CategoryViewSet("story_categories", url_prefix="story-categories")


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("stories/<int:pk>/review-sheet/", review_sheet_view, name="story_review_sheet"),
        path("stories/<int:pk>/proofreading/override/", override_view, name="story_proofreading_override"),
    ]


@hooks.register("register_snippet_listing_buttons")
def review_sheet_button(snippet, user, next_url=None):
    if isinstance(snippet, Story):
        yield ListingButton(_("Review sheet"), reverse("story_review_sheet", args=[snippet.pk]), priority=30)


@hooks.register("insert_global_admin_css")
def proofreading_css():
    return format_html('<link rel="stylesheet" href="{}">', static("stories/proofreading.css"))
