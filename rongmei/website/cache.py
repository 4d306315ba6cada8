"""The website's rendered pages, cached.

Each page caches its own HTML inside its ``serve`` (see
:func:`serve_cached`), not in a middleware: Wagtail's ``before_serve_page``
hooks (view restrictions, the page-view counts) still run on every
request, and previews and other methods are never cached.

A rendered page is keyed by the site's version, the page, its live
revision, its language, the variant it shows (a listing's page number, a
feed) and the host it was asked for. Publishing, unpublishing, moving or
deleting any page gives the site a new version (:func:`invalidate`): a
home page and its column listings change whenever one of their articles
does, so every page is rendered afresh after any change; entries of older
versions are never read again and expire. The version is bumped at once
and again when the transaction commits, so that a page rendered by another
process between the two, from the data before the commit, is not kept.

The cache is Django's default cache (``settings.CACHES``): files in the
data dir, shared by every web process and by the worker, whose publishing
bumps the version (a per-process memory cache would leave the other
processes showing old pages)."""

from __future__ import annotations

import hashlib
import secrets
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "website:version"
# How long a rendered page is kept at most: what changes without a publish
# (a video's web version made later) shows within this time.
TIMEOUT = 600
HEADER = "X-Rongmei-Cache"


def site_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _new_version() -> str:
    # A value never used before (not a counter: two processes bumping at
    # once must not both write the same next number).
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def bump() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def invalidate(**kwargs) -> None:
    """Receiver of Wagtail's page signals: every rendered page is out of date."""
    bump()
    transaction.on_commit(bump)


def page_key(page, request, variant: str) -> str:
    parts = [
        site_version(),
        str(page.pk),
        str(page.live_revision_id or ""),
        getattr(page, "language", ""),
        variant,
        request.scheme,
        request.get_host(),
    ]
    return "website:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def cacheable(request) -> bool:
    return request.method in ("GET", "HEAD") and not getattr(request, "is_preview", False)


def serve_cached(page, request, variant: str, render) -> HttpResponse:
    """``render()``'s response, or the one cached for the page and ``variant``.
    Only answers of status 200 are kept."""
    if not cacheable(request):
        return render()
    key = page_key(page, request, variant)
    cached = cache.get(key)
    if cached is not None:
        response = HttpResponse(cached["content"], content_type=cached["content_type"])
        for header, value in cached["headers"].items():
            response[header] = value
        response[HEADER] = "hit"
        return response
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if getattr(page, "html_lang", "") and not response.has_header("Content-Language"):
        response["Content-Language"] = page.html_lang
    if response.status_code == 200 and not response.streaming:
        headers = {name: response[name] for name in ("Content-Language",) if response.has_header(name)}
        cache.set(
            key,
            {"content": response.content, "content_type": response["Content-Type"], "headers": headers},
            TIMEOUT,
        )
    response[HEADER] = "miss"
    return response


def connect() -> None:
    """Invalidate on every change Wagtail signals for pages."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    signals = {"published": page_published, "unpublished": page_unpublished, "moved": post_page_move}
    for name, signal in signals.items():
        signal.connect(invalidate, dispatch_uid=f"rongmei.website.cache.{name}")
