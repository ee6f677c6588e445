from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send the strict CSP on every response unless a view set its own (the outbox HTML view).

    The policy allows scripts and styles only from our own origin, so templates carry no inline
    script or style; htmx is configured (meta htmx-config) to need neither.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
