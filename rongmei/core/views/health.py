from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rongmei.core.health import service_status


@never_cache
@require_GET
def healthz(request):
    """200 with every part "ok", or 503 naming the failing part."""
    ok, body = service_status()
    return JsonResponse(body, status=200 if ok else 503)
