"""API authentication: bearer tokens (hashed at rest) or the browser session."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from langso.accounts.models import ApiToken
from langso.accounts.roles import Capability


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.is_usable or not found.user.is_active:
            return None
        if not found.user.can(Capability.USE_API):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF-checked for writes), for the app's own pages."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from langso.accounts.twofactor import needs_second_factor

        if needs_second_factor(user) and not user.is_verified():
            return None
        return user
