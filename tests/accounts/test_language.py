# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The language picked on the login page survives the login; dates follow the language."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from django.conf import settings
from django.template import Context
from django.template import Template
from django.test import Client
from django.utils import translation

from accounts.models import AuditEntry
from accounts.models import User
from tests.conftest import People
from tests.factories import TEST_PASSWORD
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _log_in(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_language_chosen_on_the_login_page_survives_the_login(people: People) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    _log_in(client, people.editor)
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    people.editor.refresh_from_db()
    assert people.editor.language == "en"  # e-mails follow it too
    assert AuditEntry.objects.filter(
        action="accounts.user.language_chosen", target_id=str(people.editor.pk)
    ).exists()


def test_a_login_without_a_choice_keeps_the_users_language(people: People) -> None:
    people.editor.language = "en"
    people.editor.save()
    client = Client()
    _log_in(client, people.editor)
    assert client.get("/").headers["Content-Language"] == "en"
    assert not AuditEntry.objects.filter(action="accounts.user.language_chosen").exists()


def test_the_language_cookie_follows_the_users_language(people: People) -> None:
    """After logging out, the login page speaks the user's language; an old choice there
    does not undo a newer one in the profile at the next login."""
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    _log_in(client, people.editor)
    client.post("/accounts/profile/", {"save_profile": "1", "full_name": "Rita", "language": "de"})
    client.get("/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    client.post("/accounts/logout/")
    assert '<html lang="de">' in client.get("/accounts/login/").content.decode()
    _log_in(client, people.editor)
    people.editor.refresh_from_db()
    assert people.editor.language == "de"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Saturday, 5 December 2026 · 5 Dec 2026, 13:30 · CET"),
        ("de", "Samstag, 5. Dezember 2026 · 05.12.2026 13:30 · MEZ"),
    ],
)
def test_dates_follow_the_language(language: str, expected: str) -> None:
    moment = datetime(2026, 12, 5, 12, 30, tzinfo=UTC)
    template = Template(
        '{% load sprachrohr %}{{ m|long_date }} · {{ m|date:"SHORT_DATETIME_FORMAT" }}'
        " · {{ m|zone_name }}"
    )
    with translation.override(language):
        assert template.render(Context({"m": moment})) == expected


def test_summer_time_is_named_by_its_date() -> None:
    template = Template("{% load sprachrohr %}{{ m|zone_name }}")
    with translation.override("en"):
        assert template.render(Context({"m": datetime(2026, 7, 1, tzinfo=UTC)})) == "CEST"
