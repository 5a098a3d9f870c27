"""An invalid form's errors shown as the page's messages (``report_form_errors``)."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from accounts.views.form_messages import report_form_errors


class _DateForm(forms.Form):
    day = forms.DateField(error_messages={"required": "Enter a day."})
    confirm = forms.BooleanField(error_messages={"required": "Confirm it."})

    def clean(self) -> dict:
        raise forms.ValidationError("Not today.")


def _page_request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_every_error_becomes_an_error_message_in_field_order() -> None:
    request = _page_request()
    form = _DateForm({})
    assert not form.is_valid()

    report_form_errors(request, form)

    shown = [(message.level_tag, message.message) for message in get_messages(request)]
    assert shown == [("error", "Enter a day."), ("error", "Confirm it."), ("error", "Not today.")]


def test_a_valid_form_shows_nothing() -> None:
    request = _page_request()
    form = forms.Form({})
    assert form.is_valid()

    report_form_errors(request, form)

    assert list(get_messages(request)) == []
