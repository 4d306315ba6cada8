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
processes showing old pages).

A rendered page is also kept under its address (:func:`path_key`), and
:func:`serve_by_path`, in front of Wagtail's page serving
(``rongmei.website.views.serve``), answers a GET from there without finding
the site, walking the page tree or loading the page: that walk costs more
than everything else of a cached page. Only pages without view restrictions
are kept so (changing a restriction gives the site a new version), and
what the ``before_serve_page`` hooks do for every view is done by the hooks
registered as :data:`CACHED_VIEW_HOOK`: they get the request and what the
page's first rendering noted in ``request.rongmei_cache_notes`` (the page
views count the page itself, see ``rongmei.analytics``)."""

from __future__ import annotations

import hashlib
import secrets
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from wagtail import hooks

VERSION_KEY = "website:version"
# How long a rendered page is kept at most: what changes without a publish
# (a video's web version made later) shows within this time.
TIMEOUT = 600
HEADER = "X-Rongmei-Cache"
# Wagtail hook run for every view answered by serve_by_path: fn(request, notes).
CACHED_VIEW_HOOK = "rongmei_cached_page_view"
NOTES_ATTR = "rongmei_cache_notes"
# The query parameters a cached page may vary by; an address with any other
# is served the long way (and not kept: every tracking parameter would be
# another copy).
VARYING_PARAMETERS = {"page"}


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


def path_key(request) -> str | None:
    """The key of the page at the request's address, or None where the
    address is not one to keep (a query parameter other than a page number)."""
    if set(request.GET) - VARYING_PARAMETERS:
        return None
    parts = [
        site_version(),
        request.scheme,
        request.get_host(),
        request.path,
        "&".join(f"{name}={request.GET.get(name)}" for name in sorted(request.GET)),
    ]
    return "website:path:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def note(request, **notes) -> None:
    """What a ``before_serve_page`` hook wants back when the page is served
    from :func:`serve_by_path` (handed to the :data:`CACHED_VIEW_HOOK` hooks)."""
    if not hasattr(request, NOTES_ATTR):
        setattr(request, NOTES_ATTR, {})
    getattr(request, NOTES_ATTR).update(notes)


def _response(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for header, value in entry["headers"].items():
        response[header] = value
    return response


def serve_by_path(request) -> HttpResponse | None:
    """The page kept for the request's address, or None (serve it the long way)."""
    if not cacheable(request) or request.method != "GET":
        return None
    key = path_key(request)
    entry = cache.get(key) if key else None
    if entry is None:
        return None
    for hook in hooks.get_hooks(CACHED_VIEW_HOOK):
        hook(request, entry["notes"])
    response = _response(entry)
    response[HEADER] = "hit"
    return response


def _keep_by_path(page, request, entry: dict) -> None:
    key = path_key(request)
    if key is None or request.method != "GET" or page.get_view_restrictions().exists():
        return
    cache.set(key, {**entry, "notes": getattr(request, NOTES_ATTR, {})}, TIMEOUT)


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
        _keep_by_path(page, request, cached)
        response = _response(cached)
        response[HEADER] = "hit"
        return response
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if getattr(page, "html_lang", "") and not response.has_header("Content-Language"):
        response["Content-Language"] = page.html_lang
    if response.status_code == 200 and not response.streaming:
        headers = {name: response[name] for name in ("Content-Language",) if response.has_header(name)}
        entry = {"content": response.content, "content_type": response["Content-Type"], "headers": headers}
        cache.set(key, entry, TIMEOUT)
        _keep_by_path(page, request, entry)
    response[HEADER] = "miss"
    return response


def connect() -> None:
    """Invalidate on every change Wagtail signals for pages, and on every
    change of a view restriction or a site (what serve_by_path relies on)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    signals = {"published": page_published, "unpublished": page_unpublished, "moved": post_page_move}
    for name, signal in signals.items():
        signal.connect(invalidate, dispatch_uid=f"rongmei.website.cache.{name}")
    for model in (PageViewRestriction, Site):
        for name, signal in {"saved": post_save, "deleted": post_delete}.items():
            signal.connect(invalidate, sender=model, dispatch_uid=f"rongmei.website.cache.{model.__name__}.{name}")
