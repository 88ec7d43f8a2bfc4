from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from langso.audit import context


class RequestContextMiddleware:
    """Labels everything written during a request with its id, source and client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        source = (
            "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        )
        with context.origin(source, ip_address=request.META.get("REMOTE_ADDR")) as origin:
            request.request_id = origin.request_id
            return self.get_response(request)
