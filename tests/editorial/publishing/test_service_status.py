# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Whether the services that publish are running (their heartbeats), and the banner that
tells the people who can act when one is silent (issue 13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.test import RequestFactory
from django.utils import timezone

import accounts.selectors
from accounts.models import User
from accounts.selectors import user_role_assignments
from accounts.services import worker_heartbeat_record
from editorial.publishing.context_processors import service_status
from editorial.publishing.selectors import publishing_service_status
from tests.conftest import People
from tests.conftest import login
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _both_report() -> None:
    worker_heartbeat_record(hostname="celery@host", queue="default")
    worker_heartbeat_record(hostname="publisher@host", queue="publishing")


@pytest.fixture
def banner_on(settings: Any, people: People) -> None:
    settings.SERVICE_BANNER_ENABLED = True
    User.objects.update(language="en")  # assertions on the English source texts


def _home(client: Client) -> str:
    return client.get("/").content.decode()


# --- The selector ------------------------------------------------------------------------------


def test_services_that_both_reported_are_running() -> None:
    _both_report()
    assert publishing_service_status().running


def test_no_heartbeat_yet_means_both_services_are_silent() -> None:
    assert publishing_service_status().silent == ("default", "publishing")


def test_a_heartbeat_older_than_the_limit_is_silent(settings: Any) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=120)
    _both_report()
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert not publishing_service_status().running


def test_a_heartbeat_within_the_limit_is_fresh(settings: Any) -> None:
    settings.WORKER_HEARTBEAT_MAX_AGE = timedelta(seconds=120)
    _both_report()
    with time_machine.travel(timezone.now() + timedelta(seconds=119)):
        assert publishing_service_status().running


def test_only_the_silent_service_is_named() -> None:
    worker_heartbeat_record(hostname="celery@host", queue="default")
    assert publishing_service_status().silent == ("publishing",)


def test_the_banner_names_when_the_silent_service_last_reported(settings: Any) -> None:
    _both_report()
    reported = cache.get("service-heartbeat:publishing")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        worker_heartbeat_record(hostname="celery@host", queue="default")
        assert publishing_service_status().last_heartbeat == reported


def test_an_unreadable_store_is_not_running(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("editorial.publishing.selectors.service_heartbeats", broken)
    status = publishing_service_status()
    assert (status.readable, status.running) == (False, False)


# --- The banner on every page --------------------------------------------------------------------


def test_the_banner_shows_for_editors_when_a_service_is_silent(
    banner_on: None, people: People
) -> None:
    assert 'class="service-banner"' in _home(login(Client(), people.editor))


def test_no_banner_while_both_services_run(banner_on: None, people: People) -> None:
    _both_report()
    assert "service-banner" not in _home(login(Client(), people.editor))


def test_auditors_see_no_banner(banner_on: None, people: People) -> None:
    assert "service-banner" not in _home(login(Client(), people.auditor))


def test_system_admins_get_the_way_to_the_operations_page(banner_on: None, people: People) -> None:
    assert "/editorial/publishing/#service-help" in _home(login(Client(), people.system_admin))


def test_editors_are_told_whom_to_tell(banner_on: None, people: People) -> None:
    html = _home(login(Client(), people.editor))
    assert "#service-help" not in html
    assert "Please tell your system administration." in html


def test_the_banner_costs_one_cache_read_and_no_query(
    settings: Any, people: People, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    settings.SERVICE_BANNER_ENABLED = True
    request = RequestFactory().get("/")
    request.user = people.editor
    user_role_assignments(people.editor)  # loaded by the navigation on every page already
    reads: list[list[str]] = []
    real = accounts.selectors.cache

    class CountingCache:
        def get_many(self, keys: list[str]) -> dict[str, object]:
            reads.append(keys)
            return real.get_many(keys)

    monkeypatch.setattr(accounts.selectors, "cache", CountingCache())
    with django_assert_num_queries(0):
        context = service_status(request)
    assert context["service_problem"] is not None
    assert len(reads) == 1


def test_the_operations_page_says_what_to_do(banner_on: None, people: People) -> None:
    html = login(Client(), people.system_admin).get("/editorial/publishing/").content.decode()
    assert 'id="service-help"' in html
    assert "docker compose restart worker publisher beat" in html
