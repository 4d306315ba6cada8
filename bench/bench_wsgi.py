"""WSGI entry point for bench/api_rps.py only: the platform plus one bare view.

``application`` is ``rongmei.wsgi.application`` itself; before the first
request, this module appends ``/bench/bare`` to ``rongmei.urls.urlpatterns``,
so the bare view is resolved by Django's URL resolver and passes through the
same middleware stack as every other request. Everything else is served by the
platform unchanged. The project itself never imports this module.
"""

from django.http import HttpResponse
from django.urls import path

from rongmei.wsgi import application  # sets DJANGO_SETTINGS_MODULE and runs django.setup()

import rongmei.urls  # isort: skip  (needs the apps loaded by the line above)

BARE_PATH = "/bench/bare"


def bare(request):
    """The cheapest Django view: no database, no template, no serialisation."""
    return HttpResponse(b"ok", content_type="text/plain")


# The resolver reads urlpatterns on the first request, after this line.
rongmei.urls.urlpatterns.append(path(BARE_PATH.lstrip("/"), bare, name="bench-bare"))

__all__ = ["BARE_PATH", "application"]
