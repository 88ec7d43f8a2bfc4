"""Every API error is JSON with a stable shape: {"detail": ..., "errors": [...]}."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)


def install(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
        body = {"detail": detail}
        if errors is not None:
            body["errors"] = errors
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        return reply(request, 422, "invalid input", exc.errors)

    @api.exception_handler(ValidationError)
    def invalid_data(request, exc):
        if hasattr(exc, "message_dict"):
            errors = [{"field": f, "msg": " ".join(m)} for f, m in exc.message_dict.items()]
        else:
            errors = [{"field": None, "msg": m} for m in exc.messages]
        return reply(request, 400, "invalid data", errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return reply(request, 401, "authentication required")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return reply(request, 403, "not allowed for your role")

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request, exc):
        return reply(request, 404, "not found")

    @api.exception_handler(Http404)
    def missing_route(request, exc):
        return reply(request, 404, "not found")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return reply(request, exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("API error on %s", request.path)
        return reply(request, 500, "internal error; it has been logged")
