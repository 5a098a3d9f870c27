"""A page's call of one service, written once: carry it out, then say how it went.

A page's action button posts, the view calls one service, and the page shows either what
the service refused (``report_errors``) or a confirmation. ``carry_out`` is that step; the
view still chooses what counts as a refusal (the errors its service raises for staff to
read; anything else stays an error page) and where to go next.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

from accounts.errors import DomainError
from accounts.views.errors import report_errors


def carry_out(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    success: str,
    refusals: tuple[type[Exception], ...] = (ValidationError, DomainError),
    form: BaseForm | None = None,
) -> bool:
    """Call ``call``; on one of ``refusals`` report it (on ``form`` if given) and return
    ``False``, else show ``success`` and return ``True``."""
    try:
        call()
    except refusals as error:
        report_errors(request, error, form)
        return False
    messages.success(request, success)
    return True
