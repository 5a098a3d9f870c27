"""A page's call of one service: the shared step (``attempt``) and its two users,
``carry_out`` (a button) and ``submit_form`` (a form)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.test import RequestFactory

from accounts.errors import DomainError
from accounts.views.outcomes import attempt
from accounts.views.outcomes import carry_out
from accounts.views.submissions import submit_form


class _TitleForm(forms.Form):
    title = forms.CharField()


def _page_request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _texts(request: HttpRequest) -> list[str]:
    return [str(message) for message in get_messages(request)]


def _refuse(*_: Any) -> str:
    raise ValidationError("Not now.")


# --- attempt ---------------------------------------------------------------------------


def test_attempt_returns_the_result_and_confirms_with_a_message_made_from_it() -> None:
    request = _page_request()
    outcome = attempt(
        request,
        lambda: 7,
        success=lambda number: f"Made {number}.",
        refusals=(ValidationError,),
        report=lambda error: None,
    )
    assert (outcome.refused, outcome.result) == (False, 7)
    assert _texts(request) == ["Made 7."]


def test_attempt_counts_a_service_returning_none_as_done() -> None:
    request = _page_request()
    outcome = attempt(
        request, lambda: None, success="Done.", refusals=(ValidationError,), report=print
    )
    assert not outcome.refused
    assert outcome.result is None
    assert _texts(request) == ["Done."]


def test_attempt_reports_a_refusal_and_confirms_nothing() -> None:
    request = _page_request()
    reported: list[Exception] = []
    outcome = attempt(
        request, _refuse, success="Done.", refusals=(ValidationError,), report=reported.append
    )
    assert outcome.refused
    assert outcome.result is None
    [error] = reported
    assert isinstance(error, ValidationError)
    assert error.messages == ["Not now."]
    assert _texts(request) == []


def test_attempt_lets_an_error_that_is_no_refusal_through() -> None:
    def forbidden() -> None:
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        attempt(
            _page_request(), forbidden, success="Done.", refusals=(ValidationError,), report=print
        )


# --- carry_out -------------------------------------------------------------------------


def test_carry_out_confirms_and_returns_true() -> None:
    request = _page_request()
    assert carry_out(request, lambda: None, success="Archived.") is True
    assert _texts(request) == ["Archived."]


def test_carry_out_confirms_with_a_message_naming_what_the_service_returned() -> None:
    request = _page_request()
    assert carry_out(request, lambda: 3, success=lambda version: f"Version {version}.") is True
    assert _texts(request) == ["Version 3."]


def test_carry_out_shows_a_refusal_as_a_message_without_a_form() -> None:
    request = _page_request()
    assert carry_out(request, _refuse, success="Archived.") is False
    assert _texts(request) == ["Not now."]


def test_carry_out_puts_a_refusal_on_the_form_it_is_given() -> None:
    request = _page_request()
    form = _TitleForm(data={"title": "x"})
    assert form.is_valid()

    def refuse() -> None:
        raise DomainError("Already archived.")

    assert carry_out(request, refuse, success="Archived.", form=form) is False
    assert form.non_field_errors() == ["Already archived."]
    assert _texts(request) == []


# --- submit_form -----------------------------------------------------------------------


def test_submit_form_hands_the_cleaned_data_to_the_service_and_returns_its_result() -> None:
    request = _page_request()
    form = _TitleForm(data={"title": "Hello"})
    result = submit_form(
        request, form, lambda data: data["title"].upper(), success=lambda made: f"{made}!"
    )
    assert result == "HELLO"
    assert _texts(request) == ["HELLO!"]


def test_submit_form_does_not_call_the_service_for_an_invalid_form() -> None:
    request = _page_request()
    calls: list[dict[str, Any]] = []
    assert submit_form(request, _TitleForm(data={}), calls.append, success="Saved.") is None
    assert calls == []
    assert _texts(request) == []


def test_submit_form_reports_a_refusal_through_its_report_on_the_form() -> None:
    request = _page_request()
    form = _TitleForm(data={"title": "Hello"})
    seen: list[tuple[Exception, BaseForm]] = []

    def report(_request: HttpRequest, error: Exception, on: BaseForm) -> None:
        seen.append((error, on))

    assert submit_form(request, form, _refuse, success="Saved.", report=report) is None
    assert [on for _, on in seen] == [form]
    assert _texts(request) == []
