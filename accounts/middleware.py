from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django_otp import user_has_device

from accounts.errors import MalformedInputError
from accounts.errors import domain_error_json
from accounts.input import form_is_clean
from accounts.input import json_is_clean
from accounts.input import text_is_clean
from accounts.input import urlencoded_is_clean
from accounts.selectors import user_two_factor_pending
from accounts.views.errors import bad_request_page

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
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language:
            # The login page (after logging out) speaks the user's language, and an old
            # choice there does not overwrite a newer one from the profile at the next login.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
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


_REFUSED = "malformed_input_refused"


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


SANDBOX_PREFIX = "/sandbox/"


class MalformedInputMiddleware:
    """Refuse a NUL byte or invalid Unicode (lone surrogates, bytes that are no UTF-8) in the
    path, the query string, a url-encoded form body or a JSON body with a 400 before any view
    sees it: ``{"detail", "code": "invalid"}`` below ``/api/``, else the 400 page.

    Multipart bodies (media uploads, possibly large) are not read here: their fields and file
    names are checked when Django parses them (the file contents never), and the parser
    raises :class:`~accounts.errors.MalformedInputError`, answered the same way. The API's
    multipart parser checks the same (``accounts.parsers``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The built-in sandbox stands in for an external platform: like a real one it judges
        # its own input and answers in its own error format (422 invalid_request).
        if request.path_info.startswith(SANDBOX_PREFIX):
            return self.get_response(request)
        if not self._is_clean(request):
            return self._refuse(request, MalformedInputError())
        if request.content_type == "multipart/form-data":
            self._check_multipart_when_parsed(request)
        response = self.get_response(request)
        refused = getattr(request, _REFUSED, None)
        if refused is not None:
            # Found while parsing outside the view (e.g. by the CSRF check): Django already
            # answered 400 (a SuspiciousOperation), here with the reason.
            return self._refuse(request, refused)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, MalformedInputError):
            return self._refuse(request, exception)
        return None

    @staticmethod
    def _refuse(request: HttpRequest, error: MalformedInputError) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return domain_error_json(error)
        return bad_request_page(request, error)

    @staticmethod
    def _is_clean(request: HttpRequest) -> bool:
        if not text_is_clean(request.path_info):
            return False
        query = request.META.get("QUERY_STRING", "")
        try:
            raw_query = query.encode("iso-8859-1")  # WSGI: the raw bytes as latin-1
        except UnicodeEncodeError:
            raw_query = query.encode("utf-8", errors="surrogatepass")
        if query and not urlencoded_is_clean(raw_query):
            return False
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return urlencoded_is_clean(request.body, request.encoding or "utf-8")
        if _is_json(content_type):
            return json_is_clean(request.body, request.encoding or "utf-8")
        return True

    @staticmethod
    def _check_multipart_when_parsed(request: HttpRequest) -> None:
        # Wraps this request's parse only (the instance attribute shadows the method): the
        # views' upload handlers (the media size limit) stay in place and in charge.
        parse = request.parse_file_upload

        def parse_and_check(*args: Any, **kwargs: Any) -> Any:
            post, files = parse(*args, **kwargs)
            if not form_is_clean(post, files):
                error = MalformedInputError()
                setattr(request, _REFUSED, error)
                raise error
            return post, files

        request.parse_file_upload = parse_and_check  # type: ignore[method-assign]
