"""The request being served, so that services can record who acted and from where without
every caller passing the request down."""

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("attune_audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()
