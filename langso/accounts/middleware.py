from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from langso.accounts.twofactor import needs_second_factor

# Pages a signed-in user may open before passing the second factor.
_OPEN_PREFIXES = ("/account/2fa/", "/account/logout/", "/static/", "/i18n/", "/api/")


class TwoFactorRequiredMiddleware:
    """Sends officials who must use TOTP to set it up or enter a code before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()
            and needs_second_factor(user)
        ):
            return redirect("two_factor")
        return self.get_response(request)
