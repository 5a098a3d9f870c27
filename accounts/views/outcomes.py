"""A page's call of one service, written once: carry it out, then say how it went.

A page's action button posts, the view calls one service, and the page shows either what
the service refused (``report_errors``) or a confirmation. ``carry_out`` is that step; the
view still chooses what counts as a refusal (the errors its service raises for staff to
read; anything else stays an error page) and where to go next. ``attempt`` is the step
itself, shared with ``submit_form`` (``accounts/views/submissions.py``), the same for a
page with a form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from accounts.errors import DomainError
from accounts.views.errors import report_errors

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """How one service call went: ``refused`` when it raised a refusal (already reported),
    else ``result`` is what the service returned. An object rather than ``T | None`` so a
    service that returns ``None`` still counts as done, and so a caller that returns
    ``T | None`` itself does not make mypy read ``T`` as ``T | None``."""

    refused: bool
    result: T | None = None


def attempt(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    refusals: tuple[type[Exception], ...],
    report: Callable[[Exception], None],
) -> Attempt[T]:
    """Call ``call``; on one of ``refusals`` ``report`` it and return a refused attempt,
    else show ``success`` (or ``success(result)``) and return the result."""
    try:
        result = call()
    except refusals as error:
        report(error)
        return Attempt(refused=True)
    messages.success(request, success(result) if callable(success) else success)
    return Attempt(refused=False, result=result)


def carry_out(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    refusals: tuple[type[Exception], ...] = (ValidationError, DomainError),
    form: BaseForm | None = None,
) -> bool:
    """Call ``call``; on one of ``refusals`` report it (on ``form`` if given) and return
    ``False``, else show ``success`` (or ``success(result)``, a message naming what the
    service returned) and return ``True``."""
    outcome = attempt(
        request,
        call,
        success=success,
        refusals=refusals,
        report=lambda error: report_errors(request, error, form),
    )
    return not outcome.refused
