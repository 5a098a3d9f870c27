"""An invalid form's errors as the page's messages, for a form the page does not show.

A button with a field or two (a confirmation box, a date) posts from a page that shows no
form to put errors on, and the view redirects back. What the form refused is then shown as
error messages of the page, one a message, in the form's field order; ``report_errors``
(``accounts/views/errors.py``) does the same for what a service refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest


def report_form_errors(request: HttpRequest, form: BaseForm) -> None:
    """Show every error of the (validated, invalid) ``form`` as an error message."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
