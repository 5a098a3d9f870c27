"""A page's form handed to one service, written once: validate, call, say how it went.

A form page posts, the view checks the form and calls one service with what the form read,
and the page shows either what the service refused (on the form, ``report_errors``) or a
confirmation before it redirects. ``submit_form`` is that step and returns what the service
returned, so the view can go to the object it made; ``carry_out``
(``accounts/views/outcomes.py``) is the same for a button without a form, and both take
the call itself from there (``attempt``). The view still chooses what counts as a refusal
(the errors its service raises for staff to read; anything else stays an error page) and
where to go next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from accounts.errors import DomainError
from accounts.views.errors import report_errors
from accounts.views.outcomes import attempt

T = TypeVar("T")


def submit_form(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    refusals: tuple[type[Exception], ...] = (ValidationError, DomainError),
    report: Callable[[HttpRequest, Exception, BaseForm], None] = report_errors,
) -> T | None:
    """When ``form`` is valid, ``call`` it with the form's cleaned data. On one of
    ``refusals`` ``report`` it on the form and return ``None``; else show ``success`` (or
    ``success(result)``) and return the result. An invalid form returns ``None`` too."""
    if not form.is_valid():
        return None
    outcome = attempt(
        request,
        lambda: call(form.cleaned_data),
        success=success,
        refusals=refusals,
        report=lambda error: report(request, error, form),
    )
    return outcome.result
