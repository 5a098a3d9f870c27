from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from accounts.services import api_token_create
from channels_app.models import Channel
from tests.factories import ChannelFactory
from tests.factories import UnitFactory
from tests.factories import UserFactory
from tests.factories import totp_device_for

# `make test` hands whole files to its two processes (--dist loadfile) in the order of this
# list (--no-loadscope-reorder). pytest-xdist's own order, most tests first, put the files
# with a few slow tests (a real worker, a migration run, a walk over every route) last, where
# one of them kept a process busy long after the other had run out of work. So the files that
# took longest in a measured run come first, slowest first, and the many small ones fill in
# around them, most tests first as before.
HEAVY_FILES_FIRST = (
    "tests/test_malformed_input.py",
    "tests/editorial/test_permission_matrix.py",
    "tests/moderation/test_permission_matrix.py",
    "tests/editorial/publishing/test_faults.py",
    "tests/config/test_make_run.py",
    "tests/moderation/replies/test_sending.py",
    "tests/analytics/test_permission_matrix.py",
    "tests/config/test_healthz.py",
    "tests/e2e/test_moderation_pages.py",
    "tests/accounts/test_permission_matrix.py",
    "tests/e2e/test_daily_paths.py",
    "tests/moderation/flags/test_classifier.py",
    "tests/config/test_settings.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heavy files first, then the others by their number of tests (a stable sort: the
    tests of a file keep their order)."""
    tests_in = Counter(_file_of(item) for item in items)

    def rank(item: pytest.Item) -> tuple[int, int]:
        path = _file_of(item)
        if path in HEAVY_FILES_FIRST:
            return HEAVY_FILES_FIRST.index(path), 0
        return len(HEAVY_FILES_FIRST), -tests_in[path]

    items.sort(key=rank)


def _file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """Django empties the tables with TRUNCATE after each transactional test (the browser
    tests above all), which the audit tables refuse (accounts migration 0003): the test
    database drops those guards. tests/accounts/test_audit_tamper_evidence.py puts them back
    inside its own transaction."""
    from importlib import import_module

    from django.db import connection

    migration = import_module("accounts.migrations.0003_audit_tamper_evidence")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(migration.ALLOW_TRUNCATE)
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
    if superuser:
        _empty_tables_by_delete()


def _empty_tables_by_delete() -> None:
    """Empty the tables after a transactional test with DELETE instead of TRUNCATE.

    TRUNCATE gives each of the ~100 tables (and its indexes) new files: about a second per
    transactional test, several under load, while the rows a test leaves are a handful.
    DELETE of every table in one transaction, with triggers (the audit log's append-only
    guards, the foreign-key checks) switched off for it as a replica does
    (``session_replication_role``, superusers only, as the test database's owner is in
    `make test`), leaves the same empty tables. Sequences are not reset either way unless a
    test asks for it (``reset_sequences``), which keeps Django's TRUNCATE … RESTART IDENTITY.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(  # type: ignore[no-untyped-def]
        self, style, tables, *, reset_sequences=False, allow_cascade=False
    ) -> list[str]:
        if not tables or reset_sequences:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # execute_sql_flush runs these in one transaction: SET LOCAL ends with it. The table
        # names are quoted identifiers of our own models.
        return [
            "SET LOCAL session_replication_role = replica;",
            *(f"DELETE FROM {self.quote_name(table)};" for table in tables),  # noqa: S608
        ]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    # Redis is real and shared between tests: lockout counters must not leak.
    cache.clear()


@dataclass
class Org:
    """Two authorities. Stadt Musterstadt → Presseamt → Social-Media-Team, and the
    Polizeipräsidium → Pressestelle, each with channels."""

    city: OrgUnit
    press: OrgUnit
    social: OrgUnit
    police: OrgUnit
    police_press: OrgUnit
    press_channel: Channel
    social_channel: Channel
    police_channel: Channel


def build_org() -> Org:
    """The two authorities, with a channel in each of three units."""
    city = UnitFactory(name="Stadt Musterstadt", federal_state="NW")
    press = UnitFactory(name="Presseamt", parent=city)
    social = UnitFactory(name="Social-Media-Team", parent=press, kind=OrgUnit.Kind.OFFICE)
    police = UnitFactory(name="Polizeipräsidium Musterstadt")
    police_press = UnitFactory(name="Pressestelle", parent=police)
    return Org(
        city=city,
        press=press,
        social=social,
        police=police,
        police_press=police_press,
        press_channel=ChannelFactory(name="Stadt Mastodon", unit=press),
        social_channel=ChannelFactory(name="Bürgerservice", unit=social),
        police_channel=ChannelFactory(name="Polizei Mastodon", unit=police_press),
    )


@pytest.fixture
def org(db: None) -> Org:
    return build_org()


@dataclass
class People:
    """One user per role in the Presseamt (admins of the whole city), and an outsider."""

    editor: User
    approver: User
    community_manager: User
    channel_admin: User
    auditor: User
    system_admin: User
    outsider: User  # system admin and auditor of the police: another authority


def build_people(org: Org) -> People:
    """One user per role in the Presseamt (admins of the whole city), and an outsider."""
    return People(
        editor=UserFactory(email="editor@stadt.example", roles=[(org.press, Role.EDITOR)]),
        approver=UserFactory(email="approver@stadt.example", roles=[(org.press, Role.APPROVER)]),
        community_manager=UserFactory(
            email="community@stadt.example", roles=[(org.press, Role.COMMUNITY_MANAGER)]
        ),
        channel_admin=UserFactory(
            email="channeladmin@stadt.example", roles=[(org.press, Role.CHANNEL_ADMIN)]
        ),
        auditor=UserFactory(email="auditor@stadt.example", roles=[(org.city, Role.AUDITOR)]),
        system_admin=UserFactory(
            email="admin@stadt.example", roles=[(org.city, Role.SYSTEM_ADMIN)]
        ),
        outsider=UserFactory(
            email="admin@polizei.example",
            roles=[(org.police, Role.SYSTEM_ADMIN), (org.police, Role.AUDITOR)],
        ),
    )


@pytest.fixture
def people(org: Org) -> People:
    return build_people(org)


def de(text: str) -> str:
    """``text`` (an English source string) as the German interface shows it: the users of
    these fixtures read German, so a test names the source string and compares what they see."""
    with translation.override("de"):
        return translation.gettext(text)


def login(client: Client, user: User) -> Client:
    """Log in as after password and, where the user has or needs one, second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.selectors import user_requires_two_factor

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user_requires_two_factor(user):
        device = totp_device_for(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db: None):  # type: ignore[no-untyped-def]
    def make(user: User) -> Client:
        return login(Client(), user)

    return make


@pytest.fixture
def api_client_for(db: None):  # type: ignore[no-untyped-def]
    """An API client authenticated with a personal API token of the user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='test').key}"
        )
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _empty_broker() -> None:
    """Start from an empty broker: messages left by an aborted earlier run are not ours."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
