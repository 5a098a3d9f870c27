# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The Content-Security-Policy header (accounts/security.py) on every kind of response."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.test import Client
from django.test import RequestFactory

from accounts.security import HEADER
from accounts.security import ContentSecurityPolicyMiddleware
from accounts.security import policy_header
from channels_app.models import Platform
from channels_app.services import channel_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_html_page() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response[HEADER] == STRICT


def test_json_answer() -> None:
    response = Client().get("/api/v1/users/me/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert response[HEADER] == STRICT


def test_not_found_page() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response[HEADER] == STRICT


def test_api_documentation_page() -> None:
    response = Client().get("/api/docs/")
    assert response[HEADER] == STRICT
    page = response.content.decode()
    assert "<style" not in page
    assert "<script>" not in page  # the start script is a file (?script)


def test_a_policy_the_view_set_is_kept() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(b"file")
        response[HEADER] = "default-src 'none'; sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response[HEADER] == "default-src 'none'; sandbox"


def test_policy_header_replaces_single_directives() -> None:
    header = policy_header(form_action=["'self'", "https:"])
    assert header == STRICT.replace("form-action 'self'", "form-action 'self' https:")


def test_the_oauth_connect_page_may_send_its_form_on_to_the_platform(
    org: Org, people: People
) -> None:
    """Its form's answer redirects to the platform's login, which form-action also governs."""
    channel = channel_create(
        actor=people.channel_admin,
        unit=org.press,
        platform=Platform.MASTODON,
        name="Stadt auf social.bund.de",
        base_url="https://social.bund.de",
    )
    response = login(Client(), people.channel_admin).get(f"/channels/{channel.pk}/connect/")
    assert response.status_code == 200
    assert response[HEADER] == STRICT.replace("form-action 'self'", "form-action 'self' https:")


def test_a_form_connect_page_keeps_the_strict_policy(org: Org, people: People) -> None:
    channel = channel_create(
        actor=people.channel_admin, unit=org.press, platform=Platform.SANDBOX, name="Sandbox"
    )
    response = login(Client(), people.channel_admin).get(f"/channels/{channel.pk}/connect/")
    assert response.status_code == 200
    assert response[HEADER] == STRICT
