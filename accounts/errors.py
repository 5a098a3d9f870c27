"""The project's one error layer: domain errors, stable API error codes, and the DRF handler.

Services raise Django's ``ValidationError`` (bad input, per field or for the whole request),
Django's ``PermissionDenied`` (the actor may not do this) or a :class:`DomainError` (a rule
of the domain refuses the request, e.g. an illegal status change). API views just call the
services; :func:`api_exception_handler` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) turns
those errors into answers. Pages use ``accounts.views.errors.report_errors`` instead.

Error bodies (the shapes clients and tests already rely on stay as they were):

* **Validation errors** (DRF's or Django's ``ValidationError``), status 400. A field error
  keeps DRF's shape ``{"<field>": ["message", ...], ...}`` (Django's non-field key
  ``"__all__"`` stays as it is); an error that names no field keeps the list shape
  ``["message", ...]``. These bodies get no extra key, since their keys are field names and
  a ``"code"`` key could collide with a field called ``code``; their code (``invalid``) is
  in the ``Error-Code`` response header.
* **Every other error** has the body ``{"detail": "message", "code": "<code>"}``: the
  message is translated into the request's language, the code is one of :class:`ErrorCode`
  and never translated. That covers 401/403 (``not_authenticated``,
  ``authentication_failed``, ``permission_denied``), 404 (``not_found``), 405, 406, 409,
  415, 429 (``throttled``) and domain errors (400 or the error's own status, e.g.
  ``invalid_transition``).

Every error answer also carries its code in the ``Error-Code`` header, so a client can
branch on one place whatever the body's shape.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler
from rest_framework.views import set_rollback

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ERROR_CODE_HEADER = "Error-Code"


class ErrorCode(StrEnum):
    """Stable, machine-readable error codes of the API. Never rename a value: clients
    branch on them. Add new ones at the end of their group."""

    # Input
    INVALID = "invalid"
    REQUIRED = "required"
    PARSE_ERROR = "parse_error"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    # Who is asking
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    # What is asked for
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    # Domain rules
    INVALID_TRANSITION = "invalid_transition"
    CONFLICT = "conflict"
    # Moderation: a decision must rest on a Netiquette rule, be justified and proportionate.
    RULE_REQUIRED = "rule_required"
    JUSTIFICATION_REQUIRED = "justification_required"
    PROPORTIONALITY_UNCONFIRMED = "proportionality_unconfirmed"
    NOT_SUPPORTED_BY_PLATFORM = "not_supported_by_platform"
    # Limits and everything else
    THROTTLED = "throttled"
    ERROR = "error"


class DomainError(Exception):
    """A rule of the domain refuses the request. ``message`` is safe to show to staff and
    is translated (pass a ``gettext`` result); ``code`` is an :class:`ErrorCode`."""

    code: ErrorCode = ErrorCode.INVALID
    status_code: int = status.HTTP_400_BAD_REQUEST
    default_message: StrOrPromise = _("This cannot be done.")

    def __init__(self, message: StrOrPromise | None = None, *, code: ErrorCode | None = None):
        self.message: StrOrPromise = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class ConflictError(DomainError):
    """The request collides with the current state of a record (409)."""

    code = ErrorCode.CONFLICT
    status_code = status.HTTP_409_CONFLICT


class MalformedInputError(DomainError, SuspiciousOperation):
    """The request holds what no input may: a NUL byte or invalid Unicode
    (``accounts.middleware.MalformedInputMiddleware``), or a body of the wrong shape. 400 on
    the API and on pages; also a ``SuspiciousOperation``, so that Django answers 400 (not
    500) wherever else it surfaces."""

    default_message = _(
        "The request contains characters that are not allowed (a NUL byte or invalid Unicode)."
    )


def domain_error_body(exc: DomainError) -> dict[str, str]:
    """The API's body for a domain error: ``{"detail": ..., "code": ...}``."""
    return {"detail": str(exc.message), "code": exc.code.value}


def domain_error_json(exc: DomainError) -> JsonResponse:
    """A domain error's API answer made outside DRF (in a middleware): the same body, status
    and ``Error-Code`` header as :func:`api_exception_handler` gives it."""
    answer = JsonResponse(domain_error_body(exc), status=exc.status_code)
    answer[ERROR_CODE_HEADER] = exc.code.value
    return answer


# DRF's own exceptions and their stable code (checked in this order: subclasses first).
_DRF_CODES: tuple[tuple[type[exceptions.APIException], ErrorCode], ...] = (
    (exceptions.ValidationError, ErrorCode.INVALID),
    (exceptions.ParseError, ErrorCode.PARSE_ERROR),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, ErrorCode.AUTHENTICATION_FAILED),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
)


def error_code_of(exc: exceptions.APIException) -> ErrorCode:
    """The stable code of a DRF exception: by its class, else by its ``default_code`` when
    that is one of ours (e.g. a view's own 409 with ``default_code = "conflict"``)."""
    for cls, code in _DRF_CODES:
        if isinstance(exc, cls):
            return code
    try:
        return ErrorCode(exc.default_code)
    except ValueError:
        return ErrorCode.ERROR


def validation_error_detail(error: DjangoValidationError) -> dict[str, Any] | list[str]:
    """Django's ``ValidationError`` as DRF detail: per field, or a list of messages."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return list(error.messages)


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(validation_error_detail(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error answer of the API is made here."""
    if isinstance(exc, DomainError):
        set_rollback()
        answer = Response(domain_error_body(exc), status=exc.status_code)
        answer[ERROR_CODE_HEADER] = exc.code.value
        return answer
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = error_code_of(exc)
    if isinstance(response.data, dict) and set(response.data) == {"detail"}:
        response.data["code"] = code.value
    response[ERROR_CODE_HEADER] = code.value
    return response
