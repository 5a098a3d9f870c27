"""What the permission matrices (tests/accounts, tests/editorial, tests/moderation,
tests/analytics) share: objects built once per module in one transaction with each test in a
savepoint of it, logged-in sessions to hand to clients, and the routes and methods the URL
resolver serves."""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from typing import Any
from typing import Generic
from typing import TypeVar

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections
from django.db import connection
from django.db import transaction
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.test import override_settings
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.factories import totp_device_for


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


# What gives a test a second database connection: it would wait for the locks of the module's
# open transaction (the audit chain head, which its first audit entry needs) without end.
SECOND_CONNECTION = frozenset({"live_server", "transactional_db"})


@pytest.fixture(autouse=True)
def db(world: Any, django_db_blocker: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """Imported by a matrix module as its ``db``, it overrides pytest-django's there: each
    test runs in a savepoint of the module's transaction. (pytest-django's test case closes
    the connection after each test, which would end the module's transaction and with it the
    objects built once.) Its name also tells pytest-django to set up the test database.

    A test with a live server or a transactional database fails here at once instead of
    hanging: such a module keeps the per-test fixtures."""
    second = SECOND_CONNECTION & set(request.fixturenames)
    if second or any(m.kwargs.get("transaction") for m in request.node.iter_markers("django_db")):
        pytest.fail(
            f"{request.node.nodeid} uses {sorted(second) or 'a transactional database'} in a "
            "module built once in one transaction: its second connection would wait for the "
            "module's locks. Keep this module on tests.conftest's per-test fixtures."
        )
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


# --- Object matrices (editorial, moderation): rows of routes, cells of roles by authorities -
#
# A module defines ``World`` (with ``own``/``other`` sides, each with ``markers``: names that
# must not appear to the other authority, and ``client(role, api)``), its ``CASES`` and a
# ``state()`` of what a denied write must not change, then runs ``check_cell`` and
# ``check_anonymous`` over ``cells(CASES, ROLES, KNOWN_BUGS)``. A role that is a user of the
# other authority is checked with ``home="other"`` (``check_cell``), and ``rows_digest``
# measures the tables a denied write must leave alone.

# How the other authority is tried on a route.
OBJECT = "object"  # the address names an object: the other's answers 403/404
LIST = "list"  # a read without object: same answer as for the own side, no other object shown
CREATE = "create"  # the body names a unit/template/channel: the other's is refused
NONE = "none"  # nothing of a unit is involved (the user's own feed token)
NOBODY: frozenset[str] = frozenset()
WRITE_METHODS = ("post", "patch", "put", "delete")


@dataclass(frozen=True)
class Case:
    route: str  # "namespace:name"
    method: str  # get, post, patch, delete
    allowed: frozenset[str]  # roles that may, on their own unit's objects
    kwargs: Callable[[Any], dict[str, Any]] = lambda s: {}
    body: Callable[[Any, Any], dict[str, Any]] | None = None
    # A format string ({today}, {in_a_week}), or the side -> the query (objects named there)
    query: str | Callable[[Any], str] = ""
    kind: str = OBJECT
    variant: str = ""  # several rows of one route and method (actions, bodies)
    refused: frozenset[str] = NOBODY  # denied with 400, not 403 (see the module docs)
    multipart: bool = False
    note: str = ""

    @property
    def api(self) -> bool:
        return self.route.split(":")[0].endswith("_api")

    @property
    def key(self) -> tuple[str, str]:
        return self.route, self.method.upper()

    @property
    def label(self) -> str:
        suffix = f"[{self.variant}]" if self.variant else ""
        return f"{self.route}{suffix} {self.method.upper()}"


def pk_of(name: str) -> Callable[[Any], dict[str, Any]]:
    """URL kwargs ``{"pk": <side.name.pk>}``."""
    return lambda s: {"pk": getattr(s, name).pk}


def url_of(case: Case, side: Any) -> str:
    if callable(case.query):
        query = case.query(side)
    else:
        today = timezone.localdate()
        query = case.query.format(
            today=today.isoformat(), in_a_week=(today + timedelta(days=7)).isoformat()
        )
    return reverse(case.route, kwargs=case.kwargs(side)) + query


def send(case: Case, client: Client, side: Any, world: Any) -> tuple[int, str, str]:
    kwargs: dict[str, Any] = {}
    if case.body is not None:
        kwargs["data"] = case.body(side, world)
        if case.api:
            kwargs["format"] = "multipart" if case.multipart else "json"
    elif case.api and case.method in WRITE_METHODS:
        kwargs["format"] = "json"
    response: HttpResponseBase = getattr(client, case.method)(url_of(case, side), **kwargs)
    try:
        streaming = getattr(response, "streaming", False)
        body = "" if streaming else response.content.decode(errors="replace")  # type: ignore[attr-defined]
        return response.status_code, body, response.get("Location", "")
    finally:
        close(response)


def close(response: HttpResponseBase) -> None:
    """Close (file responses keep a file open) as the test client does: without the signal
    handler that would close the database connection, and with it the module's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def is_allowed(case: Case, status: int) -> bool:
    if case.method == "get":
        return 200 <= status < 400
    return 200 <= status < 400 or status == 400


def is_denied(status: int) -> bool:
    return status in (403, 404, 405)


def is_refused(case: Case, status: int) -> bool:
    return status in (400, 403, 404) or (not case.api and status == 200)


def cells(
    cases: list[Case], roles: tuple[str, ...], known_bugs: dict[tuple[str, str, str], str]
) -> Iterator[Any]:
    """One test parameter per (case, role, own/other); known bugs as strict xfails."""
    for case in cases:
        scopes = ("own",) if case.kind == NONE else ("own", "other")
        for role in roles:
            for scope in scopes:
                reason = known_bugs.get((case.label, role, scope))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(
                    case, role, scope, id=f"{case.label}-{role}-{scope}", marks=marks
                )


def check_cell(
    case: Case,
    role: str,
    scope: str,
    world: Any,
    state: Callable[[], tuple[Any, ...]],
    *,
    home: str = "own",
    holds: frozenset[str] | None = None,
    start: tuple[Any, ...] | None = None,
) -> None:
    """One cell: the role on the own or the other authority's objects.

    ``home`` is the side of the role's own authority ("other" for a user of the other
    authority, whose foreign side is then the own one) and ``holds`` the roles of the rows
    that the user has there (several for a user with several roles; default: ``role``).
    ``start``: the ``state()`` every test begins with (the module's objects, each test in a
    savepoint), to save measuring it again before each write."""
    side = world.own if scope == "own" else world.other
    held = holds if holds is not None else frozenset({role})
    may = bool(held & case.allowed)
    client = world.client(role, case.api)
    before = None
    if case.method in WRITE_METHODS:
        before = start if start is not None else state()
    status, body, _location = send(case, client, side, world)
    where = (case.label, role, scope, status, body[:300])

    if scope == home or case.kind in (LIST, NONE):
        if may:
            assert is_allowed(case, status), where
        elif held <= case.refused:
            assert status == 400, where
        else:
            assert is_denied(status), where
    elif case.kind == OBJECT:
        assert is_denied(status), where
    else:  # CREATE with the other authority's unit, template or channel
        assert is_refused(case, status), where
        assert state() == before, ("created in the other authority", *where)

    if scope != home:
        leaked = [m for m in side.markers if m in body]
        assert not leaked, ("shows the other authority's", leaked, *where)
    if before is not None and (scope != home or not may):
        assert state() == before, ("a denied write changed something", *where)


def check_anonymous(case: Case, world: Any, state: Callable[[], tuple[Any, ...]]) -> None:
    """Pages redirect to the login, the API answers 401/403, and nothing changes."""
    before = state() if case.method in WRITE_METHODS else None
    status, _body, location = send(case, world.client("anonymous", case.api), world.own, world)
    if case.api:
        assert status in (401, 403), (case.label, status)
    else:
        assert status == 302, (case.label, status)
        assert location.startswith(resolve_url(settings.LOGIN_URL)), (case.label, location)
    if before is not None:
        assert state() == before


def rows_digest(tables: list[str]) -> tuple[str, ...]:
    """Every column of every row of ``tables``, as one digest per table, in one query: what
    a denied write must not change, however many models it could touch."""
    # One digest per table: its rows as text, in id order (table names are our models').
    digest = "(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM {} t)"
    parts = ", ".join(digest.format(connection.ops.quote_name(table)) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


def case_routes(
    namespaces: frozenset[str],
    skip_views: set[Any] = frozenset(),  # type: ignore[assignment]
) -> tuple[set[tuple[str, str]], list[str]]:
    """(route, METHOD) of every session-authenticated route in ``namespaces``, and the
    skipped ones (token-authenticated views)."""
    found: set[tuple[str, str]] = set()
    skipped: list[str] = []
    for namespace, pattern in routes(get_resolver().url_patterns):
        if namespace not in namespaces:
            continue
        callback = pattern.callback
        if callback in skip_views:
            skipped.append(f"{namespace}:{pattern.name}")
            continue
        assert "_moved" not in callback.__qualname__, pattern  # redirects live outside
        assert pattern.name, f"unnamed route {pattern.pattern} in {namespace}"
        for method in methods(callback.view_class):
            found.add((f"{namespace}:{pattern.name}", method))
    return found, skipped


# --- Two authorities and a user of the other one (analytics, moderation) ----------------------
#
# The Presseamt's roles, each a user of the own authority, and ``OUT``: system admin and
# auditor of the police (the other authority). A module builds ``TwoAuthorities`` of its own
# ``Side`` in its ``world`` fixture, logs the roles in with ``log_in``, imports
# ``lean_requests`` (so that it applies to the module) and judges a cell with ``check_role``.

E = "editor"
A = "approver"
CM = "community_manager"
CA = "channel_admin"
AU = "auditor"
SA = "system_admin"
OUT = "outsider"  # system admin and auditor of the police: another authority
ROLES = (E, A, CM, CA, AU, SA, OUT)
ALL = frozenset(ROLES)
# The roles the outsider holds in its own authority (the other side).
OUTSIDER_HOLDS = frozenset({SA, AU})

S = TypeVar("S")


@dataclass
class TwoAuthorities(Generic[S]):
    org: Org
    people: People
    own: S
    other: S
    sessions: dict[str, str] = field(default_factory=dict)
    start: tuple[Any, ...] = ()  # the state every test begins with

    def client(self, role: str, api: bool) -> Client:
        return client_with(None if role == "anonymous" else self.sessions[role], api)


def log_in(world: TwoAuthorities[Any], roles: tuple[str, ...] = ROLES) -> None:
    """A session for each role's user (of ``world.people``), second factor set up."""
    for role in roles:
        user = getattr(world.people, role)
        totp_device_for(user)
        world.sessions[role] = session_of(user)


@pytest.fixture(autouse=True, scope="module")
def lean_requests() -> Iterator[None]:
    """Imported by a matrix module, for its thousands of requests, most of them refused:
    their warnings (each with a formatted traceback) are expected there and not logged
    (server errors still are), and a session is saved only when it changes (its sliding
    expiry is not what a matrix is about)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    with override_settings(SESSION_SAVE_EVERY_REQUEST=False):
        yield
    logger.setLevel(level)


def check_role(
    case: Case,
    role: str,
    scope: str,
    world: TwoAuthorities[Any],
    state: Callable[[], tuple[Any, ...]],
) -> None:
    """``check_cell`` for one of ``ROLES``: the outsider is at home on the other side and
    holds ``OUTSIDER_HOLDS`` there."""
    if role == OUT:
        check_cell(
            case, role, scope, world, state, home="other", holds=OUTSIDER_HOLDS, start=world.start
        )
    else:
        check_cell(case, role, scope, world, state, start=world.start)
