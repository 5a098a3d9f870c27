# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The one error layer: the API's exception handler, the pages' ``report_errors`` and the
safe ``next`` redirect."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http import HttpRequest
from django.test import RequestFactory
from rest_framework import exceptions
from rest_framework.response import Response

from accounts.errors import ERROR_CODE_HEADER
from accounts.errors import ConflictError
from accounts.errors import DomainError
from accounts.errors import ErrorCode
from accounts.errors import api_exception_handler
from accounts.views.errors import redirect_to_next
from accounts.views.errors import report_errors
from accounts.views.errors import safe_next_url
from editorial.posts.status import TransitionError
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _handle(error: Exception) -> Response:
    response = api_exception_handler(error, {})
    assert response is not None
    return response


# --- the API's exception handler -------------------------------------------------------


def test_a_field_error_keeps_drfs_field_shape_and_carries_its_code_in_the_header() -> None:
    response = _handle(ValidationError({"title": ["Too long."]}))
    assert response.status_code == 400
    assert response.data == {"title": ["Too long."]}
    assert response[ERROR_CODE_HEADER] == "invalid"


def test_a_non_field_error_keeps_the_list_shape() -> None:
    response = _handle(ValidationError("You have already approved this post."))
    assert response.status_code == 400
    assert response.data == ["You have already approved this post."]
    assert response[ERROR_CODE_HEADER] == "invalid"


def test_permission_denied_is_403_with_its_reason_and_code() -> None:
    response = _handle(PermissionDenied("You cannot approve your own post."))
    assert response.status_code == 403
    assert response.data == {
        "detail": "You cannot approve your own post.",
        "code": "permission_denied",
    }


def test_permission_denied_without_a_reason_gets_the_general_message() -> None:
    response = _handle(PermissionDenied())
    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert response.data["detail"]


def test_http404_is_404_not_found() -> None:
    response = _handle(Http404())
    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert response[ERROR_CODE_HEADER] == "not_found"


def test_a_domain_error_is_400_with_detail_and_code() -> None:
    response = _handle(DomainError("Not now.", code=ErrorCode.INVALID))
    assert response.status_code == 400
    assert response.data == {"detail": "Not now.", "code": "invalid"}


def test_a_transition_error_has_the_code_invalid_transition() -> None:
    response = _handle(TransitionError("A post cannot go from “Draft” to “Published”."))
    assert response.status_code == 400
    assert response.data["code"] == "invalid_transition"
    assert response[ERROR_CODE_HEADER] == "invalid_transition"


def test_a_domain_error_may_bring_its_own_status() -> None:
    response = _handle(ConflictError("The image is used by a post."))
    assert response.status_code == 409
    assert response.data == {"detail": "The image is used by a post.", "code": "conflict"}


def test_throttling_is_429_with_retry_after() -> None:
    response = _handle(exceptions.Throttled(wait=30))
    assert response.status_code == 429
    assert response.data["code"] == "throttled"
    assert response["Retry-After"] == "30"


def test_a_drf_error_keeps_its_detail_and_gets_a_stable_code() -> None:
    response = _handle(exceptions.NotAuthenticated())
    assert set(response.data) == {"detail", "code"}
    assert response.data["code"] == "not_authenticated"


def test_an_unknown_exception_is_left_to_django() -> None:
    assert api_exception_handler(RuntimeError("boom"), {}) is None


def test_every_code_is_a_stable_lowercase_identifier() -> None:
    for code in ErrorCode:
        assert code.value == code.name.lower()


# --- a domain error raised in a service reaches the API client ----------------------------


def test_a_services_domain_error_reaches_the_client_as_400_in_its_language(
    org: Org,
    people: People,
    api_client_for,
) -> None:
    editor, approver = api_client_for(people.editor), api_client_for(people.approver)
    created = editor.post(
        "/api/v1/posts/",
        {
            "unit": org.press.pk,
            "title": "Hitzewarnung",
            "text": "Heute bis 36 Grad.",
            "channels": [org.press_channel.pk],
            "planned_at": "2030-07-01T09:00:00+02:00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    # A draft cannot be approved: post_approve raises a TransitionError.
    response = approver.post(
        f"/api/v1/posts/{created.json()['id']}/approve/", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Nur ein Beitrag, der zur Freigabe vorliegt, kann freigegeben werden.",
        "code": "invalid_transition",
    }
    assert response[ERROR_CODE_HEADER] == "invalid_transition"


def test_an_anonymous_api_call_gets_a_code(org: Org) -> None:
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/posts/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


# --- pages: report_errors ---------------------------------------------------------------


class _TitleForm(forms.Form):
    title = forms.CharField(required=False)


def _page_request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_report_errors_puts_field_errors_on_the_forms_fields() -> None:
    form = _TitleForm(data={})
    assert form.is_valid()
    report_errors(
        _page_request(), ValidationError({"title": ["Too long."], "unit": ["Unknown unit."]}), form
    )
    assert form.errors["title"] == ["Too long."]
    assert form.non_field_errors() == ["Unknown unit."]


def test_report_errors_without_a_form_shows_messages() -> None:
    request = _page_request()
    report_errors(request, TransitionError("Not from here."))
    report_errors(request, PermissionDenied())
    texts = [str(m) for m in get_messages(request)]
    assert texts[0] == "Not from here."
    assert len(texts) == 2 and texts[1]


# --- safe next ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "http://evil.example/x"]
)
def test_safe_next_url_refuses_other_hosts(target: str) -> None:
    request = RequestFactory().get("/", {"next": target})
    assert safe_next_url(request, "/editorial/") == "/editorial/"


def test_safe_next_url_keeps_a_local_path() -> None:
    request = RequestFactory().post("/", {"next": "/editorial/posts/"})
    assert safe_next_url(request, "/") == "/editorial/posts/"


def test_redirect_to_next_uses_the_default_without_next() -> None:
    response = redirect_to_next(RequestFactory().get("/"), "/editorial/")
    assert response["Location"] == "/editorial/"
