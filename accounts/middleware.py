from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django_otp import user_has_device

from accounts.selectors import user_two_factor_pending

# Paths a half-logged-in user (password ok, second factor missing) may still reach.
_TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/i18n/",
    "/api/",  # the API refuses such sessions itself (VerifiedSessionAuthentication)
)


class UserLanguageMiddleware:
    """The signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        request.LANGUAGE_CODE = user.language
        # override, not activate: the thread goes back to its language after the request.
        with translation.override(user.language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", user.language)
        return response


class TwoFactorMiddleware:
    """Send a user without a verified second factor to verification or to setup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user_two_factor_pending(user) and not request.path.startswith(  # type: ignore[arg-type]
            _TWO_FACTOR_EXEMPT_PREFIXES
        ):
            if user_has_device(user, confirmed=True):
                return redirect(f"/accounts/2fa/verify/?next={quote(request.get_full_path())}")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
