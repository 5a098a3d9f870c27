"""The pages' side of the error layer (the API's is ``accounts.errors.api_exception_handler``).

``report_errors`` shows what a service refused: on the form's fields when the page has a
form, else as messages. ``safe_next_url`` / ``redirect_to_next`` follow a ``next`` address
only when it stays on this site. ``bad_request_page`` is the 400 page with its reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound

from accounts.errors import ERROR_CODE_HEADER
from accounts.errors import DomainError
from accounts.errors import ErrorCode


def error_messages(error: Exception) -> list[str]:
    """The texts of an error for staff: a ``ValidationError``'s messages, a domain
    error's message, a ``PermissionDenied``'s reason (or a general one)."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    if isinstance(error, DomainError):
        return [str(error.message)]
    message = getattr(error, "message", None)
    if isinstance(error, PermissionDenied) or message is None:
        return [str(error) or _("You may not do this.")]
    return [str(message)]


def report_errors(request: HttpRequest, error: Exception, form: BaseForm | None = None) -> None:
    """Show a service's refusal: with a form, a ``ValidationError``'s field errors go on the
    form's fields (the rest on the form as a whole); without a form, or for other errors,
    every message becomes an error message of the page."""
    if form is not None:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        elif isinstance(error, ValidationError):
            form.add_error(None, error)
        else:
            form.add_error(None, error_messages(error))
        return
    for text in error_messages(error):
        messages.error(request, text)


def safe_next_url(request: HttpRequest, default: str, target: str | None = None) -> str:
    """``target`` (by default the request's ``next`` parameter, POST before GET) if it
    points to this site, else ``default``: never an address on another host (open
    redirect), also not a scheme-relative one like ``//evil.example/``."""
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_to_next(request: HttpRequest, default: str, **kwargs: Any) -> HttpResponseRedirect:
    """Redirect to :func:`safe_next_url`."""
    return HttpResponseRedirect(safe_next_url(request, default, **kwargs))


def bad_request_page(request: HttpRequest, error: DomainError | None = None) -> HttpResponse:
    """The 400 page, with the error's message when it is one staff may read."""
    message = str(error.message) if error is not None else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an address below ``/api/`` that matches no route answers as the API
    does (JSON with its code, as its schema documents), every other one with the 404 page."""
    if request.path.startswith("/api/"):
        answer = JsonResponse(
            {"detail": str(NotFound.default_detail), "code": ErrorCode.NOT_FOUND.value},
            status=404,
        )
        answer[ERROR_CODE_HEADER] = ErrorCode.NOT_FOUND.value
        return answer
    return defaults.page_not_found(request, exception)
