"""The website's views outside its pages: the public files, ``robots.txt``
and the "page not found" page.

Public files are the renditions of the archive assets that a live article
page shows (its pictures, its video and the video's poster). The
archive's own file view (:mod:`rongmei.archive.views.files`) is for staff
and checks their permissions; a visitor gets a rendition here only while
a live page uses the asset, never an original, and never an asset of the
"named staff only" security level.

The pages themselves are Wagtail's (:mod:`rongmei.website.models`); the
sitemap is Wagtail's (``wagtail.contrib.sitemaps``) at ``/sitemap.xml``."""

import re
from pathlib import PurePath

from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from rongmei.archive.models import Asset, Security
from rongmei.core.ranges import range_response
from rongmei.website import cache
from rongmei.website.models import PUBLIC_KINDS, ArticleImage, ArticlePage, WebsiteHomePage

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "mp4": "video/mp4",
}


def is_public(asset_id: int) -> bool:
    """Whether a live article page shows the asset."""
    return (
        ArticleImage.objects.filter(asset_id=asset_id, page__live=True).exists()
        or ArticlePage.objects.live().filter(video_id=asset_id).exists()
    )


@require_GET
def media(request, pk: int, kind: str):
    if kind not in PUBLIC_KINDS or not is_public(pk):
        raise Http404
    asset = Asset.objects.exclude(security=Security.RESTRICTED).filter(pk=pk).first()
    rendition = asset.renditions.filter(kind=kind).first() if asset else None
    if rendition is None:
        raise Http404
    storage, name = rendition.file.storage, rendition.file.name
    try:
        url = storage.url(name)
    except Exception:  # a local storage without a base URL
        url = ""
    if re.match(r"^https?://", url or ""):
        return HttpResponseRedirect(url)  # an object store's (signed) address
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = PurePath(name).suffix.lstrip(".").lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    response = range_response(handle, size, request.headers.get("Range", ""), content_type)
    if response is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "public, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _path_of(page, request) -> str:
    parts = page.get_url_parts(request=request)
    return parts[2] if parts else page.url_path


@require_GET
def serve(request, path):
    """Wagtail's page serving, with the page kept for this address answered
    first (see :func:`rongmei.website.cache.serve_by_path`)."""
    return cache.serve_by_path(request) or wagtail_views.serve(request, path)


def robots(request):
    """Crawlers may read the pages, not the admin, the API or search results; the sitemap is named."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /documents/"]
    for home in WebsiteHomePage.objects.live().order_by("path"):
        lines.append(f"Disallow: {_path_of(home, request)}{home.reverse_subpage('search')}")
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def home_for_path(request):
    """The live home page whose address is the longest start of the request's path."""
    best, best_length = None, -1
    for home in WebsiteHomePage.objects.live().order_by("path"):
        prefix = _path_of(home, request)
        if request.path.startswith(prefix) and len(prefix) > best_length:
            best, best_length = home, len(prefix)
    return best


def page_not_found(request, exception=None):
    """``handler404``: "page not found" in the language of the site the
    address belongs to (``/en/…`` English, the rest Chinese), in the site's
    layout."""
    try:
        home = home_for_path(request)
    except DatabaseError:
        home = None
    if home is None:
        return defaults.page_not_found(request, exception)
    response = TemplateResponse(request, "404.html", {"page": home, "not_found": True}, status=404)
    response.render()
    return response
