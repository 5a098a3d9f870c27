"""What the permission matrices (tests/accounts, tests/editorial) share: objects built once
per module in one transaction with each test in a savepoint of it, logged-in sessions to hand
to clients, and the routes and methods the URL resolver serves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import login


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator[None]:
    """A transaction around a module-scoped fixture's objects, rolled back when the module
    is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def db(world: Any, django_db_blocker: Any) -> Iterator[None]:
    """Imported by a matrix module as its ``db``, it overrides pytest-django's there: each
    test runs in a savepoint of the module's transaction. (pytest-django's test case closes
    the connection after each test, which would end the module's transaction and with it the
    objects built once.) Its name also tells pytest-django to set up the test database."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def session_of(user: User) -> str:
    """The session key of ``user`` logged in as ``tests.conftest.login`` does it."""
    return login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value


def client_with(session: str | None, api: bool) -> Client:
    """A page or API client carrying ``session``, anonymous without one."""
    client: Client = APIClient() if api else Client()
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def routes(
    patterns: list[Any], namespace: str | None = None
) -> Iterator[tuple[str | None, URLPattern]]:
    """Every URL pattern below ``patterns`` with the namespace it is reversed in."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, pattern.namespace or namespace)
        else:
            yield namespace, pattern


def methods(view_class: Any) -> set[str]:
    """The HTTP methods a class-based view answers (HEAD, OPTIONS and TRACE left out)."""
    return {
        m.upper()
        for m in view_class.http_method_names
        if m not in ("head", "options", "trace") and hasattr(view_class, m)
    }
