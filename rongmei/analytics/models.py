"""What the platform measures of its own channels: the website's page
views per page and day (访问量), counted in our own database with nothing
about the visitor kept, and the daily inspection of the website against
the national rules (:mod:`rongmei.website.inspection`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageView(models.Model):
    """How many times one page of the website was opened on one day.

    Only a count: no address, cookie, user agent or time of day of any
    visitor is kept (see :mod:`rongmei.analytics.visits`). The page's
    language is copied at the first view of the day, so a day's totals per
    site stay right after a page is deleted (its rows then keep no page)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("page")
    )
    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="analytics_pageview_page_day")]
        indexes = [models.Index(fields=["day", "language"], name="analytics_pageview_day")]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.views}"


class InspectionRun(models.Model):
    """One run of the website inspection and what it flagged (a list of
    :class:`rongmei.website.inspection.Flag` as dictionaries)."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now, db_index=True)
    day = models.DateField(_("day inspected"))
    flags = models.JSONField(_("flags"), default=list)
    seconds = models.FloatField(_("duration (s)"), default=0)

    class Meta:
        verbose_name = _("website inspection")
        verbose_name_plural = _("website inspections")
        ordering = ["-ran_at", "-pk"]
        get_latest_by = "ran_at"

    def __str__(self):
        return f"{self.day:%Y-%m-%d}"
