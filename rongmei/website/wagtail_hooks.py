"""The website in the admin: 管理员 edits columns and home pages (page
permissions from migration 0005), but an article page changes only through
its story's three-level review and the publish queue (the website adapter),
never by hand in the page editor — except by a superuser, for an emergency."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from rongmei.website.models import ArticlePage


def _refuse(request, page):
    messages.error(
        request,
        _("Website articles are changed by editing their story, which goes through the three-level review again."),
    )
    return redirect("wagtailadmin_explore", page.pk)


@hooks.register("before_create_page")
def articles_are_not_written_here(request, parent_page, page_class):
    if issubclass(page_class, ArticlePage) and not request.user.is_superuser:
        return _refuse(request, parent_page)
    return None


@hooks.register("before_edit_page")
def articles_are_not_edited_here(request, page):
    if isinstance(page.specific_deferred, ArticlePage) and not request.user.is_superuser:
        return _refuse(request, page.get_parent())
    return None
