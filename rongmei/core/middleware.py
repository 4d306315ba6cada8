from rongmei.core.audit import audit_context


class AuditContextMiddleware:
    """Attributes audit entries written while serving a request to its user and IP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(request=request):
            return self.get_response(request)
