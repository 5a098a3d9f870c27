"""The permission matrix of the analytics area: every page under /analytics/ and every API
operation under /api/v1/analytics/ (goals, target groups, channel strategies; the metrics'
Insights switch; records exports), tried by
each role of the Presseamt on the Presseamt's own objects and on the twins of another
authority (the Polizeipräsidium), by a user of that other authority, and anonymously.

The rule (``analytics/goals/permissions.py``): everyone with a role in a unit reads its goals,
target groups and channel strategies; approvers (the heads of the press office) and system
admins change them; nobody sees another authority's. The Insights switch of a Facebook or
Instagram channel is its channel admins' (``analytics/metrics/permissions.py``). Records
exports are requested, followed and downloaded by approvers, system admins and auditors
(``analytics/records/permissions.py``).

The matrix is data: ``CASES`` names, per route and HTTP method, the roles that may use it on
their own unit's objects. ``test_every_analytics_route_has_a_row`` walks the URL resolver, so
a new route (or a new method on a view) fails until its row is written here. Cells are
judged as in ``tests/matrix.py`` (allowed, denied, refused, no leak, nothing changed).

The objects of both authorities are built once per module (inside a transaction rolled back
at the end); each test runs in its own savepoint, so a mutating cell does not affect the next.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from analytics import urls as analytics_urls
from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import GoalMetric
from analytics.models import RecordsExport
from analytics.models import ReportRun
from analytics.models import TargetGroup
from channels_app.models import Channel
from channels_app.models import Platform
from editorial.models import Post
from tests.analytics.dashboard.conftest import published
from tests.conftest import build_org
from tests.conftest import build_people
from tests.factories import ChannelFactory
from tests.matrix import ALL
from tests.matrix import AU
from tests.matrix import CA
from tests.matrix import CM
from tests.matrix import CREATE
from tests.matrix import LIST
from tests.matrix import ROLES
from tests.matrix import SA
from tests.matrix import A
from tests.matrix import Case
from tests.matrix import E
from tests.matrix import TwoAuthorities
from tests.matrix import built_once
from tests.matrix import case_routes
from tests.matrix import cells
from tests.matrix import check_anonymous
from tests.matrix import check_role
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.matrix import lean_requests  # noqa: F401
from tests.matrix import log_in
from tests.matrix import pk_of
from tests.matrix import rows_digest
from tests.matrix import send

FEATURES = tuple(feature.app_name for feature in analytics_urls.FEATURES)
NAMESPACES = frozenset([*FEATURES, *(f"{f}_api" for f in FEATURES)])

READ = ALL  # every role reads its units' goals
EDIT = frozenset({A, SA})  # analytics.goals.permissions.EDIT_ROLES
MANAGE = frozenset({CA})  # the channel's connection: channels_app MANAGE_CHANNEL
RECORDS = frozenset({A, SA, AU})  # analytics.records.permissions.RECORDS_ROLES


@dataclass
class Side:
    unit: OrgUnit
    channel: Channel
    goal: Goal
    group: TargetGroup
    insights_channel: Channel  # Facebook: has the Insights switch
    markers: list[str]
    export: RecordsExport | None = None  # a ready records export (set by ``world``)
    report: ReportRun | None = None  # a built monthly report (set by ``world``)
    post: Post | None = None  # a post published on the side's channel (set by ``world``)


def build_side(unit: OrgUnit, channel: Channel, prefix: str) -> Side:
    group = TargetGroup.objects.create(unit=unit, name=f"{prefix}-Zielgruppe")
    goal = Goal.objects.create(
        unit=unit,
        title=f"{prefix}-Ziel",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        metric=GoalMetric.FOLLOWERS_GROWTH,
        target_value=Decimal(20),
    )
    goal.target_groups.add(group)
    strategy = ChannelStrategy.objects.create(channel=channel, purpose=f"{prefix}-Zweck")
    strategy.target_groups.add(group)
    return Side(
        unit=unit,
        channel=channel,
        goal=goal,
        group=group,
        insights_channel=ChannelFactory(
            unit=unit, platform=Platform.FACEBOOK, name=f"{prefix} Facebook"
        ),
        markers=[goal.title, group.name, strategy.purpose],
    )


World = TwoAuthorities[Side]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with built_once(django_db_blocker):
        org = build_org()
        people = build_people(org)
        own = build_side(org.press, org.press_channel, "Stadt")
        other = build_side(org.police_press, org.police_channel, "Polizei")
        own.export = ready_records_export(own, people.auditor, "1")
        other.export = ready_records_export(other, people.outsider, "2")
        own.report = built_report(own, people.approver, "a")
        other.report = built_report(other, people.outsider, "b")
        own.post = published_post(own, "Stadt")
        other.post = published_post(other, "Polizei")
        built = World(org=org, people=people, own=own, other=other)
        log_in(built)
        built.start = _state()
        yield built


def ready_records_export(side: Side, user: Any, digit: str) -> RecordsExport:
    export = RecordsExport.objects.create(
        unit=side.unit,
        channel=side.channel,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        requested_by=user,
        state=RecordsExport.State.READY,
        sha256=digit * 64,
    )
    export.file.save(f"records-{digit}.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    side.markers.append(export.sha256)  # the list shows it
    return export


def built_report(side: Side, user: Any, digit: str) -> ReportRun:
    report = ReportRun.objects.create(
        unit=side.unit,
        month=date(2026, 1, 1),
        language="de",
        trigger=ReportRun.Trigger.REQUEST,
        created_by=user,
        status=ReportRun.Status.READY,
        sha256=digit * 64,
    )
    report.file.save(f"report-{digit}.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    side.markers.append(report.sha256)  # the API's list shows it
    return report


def published_post(side: Side, prefix: str) -> Post:
    post = published(
        [side.channel], datetime(2026, 3, 10, 9, 0, tzinfo=UTC), title=f"{prefix}-Post"
    )
    side.markers.append(post.title)  # the metrics list shows it
    return post


def post_of(s: Side) -> dict[str, Any]:
    return {"post_id": s.post.pk if s.post else 0}


def unit_of(s: Side) -> dict[str, Any]:
    return {"unit_id": s.unit.pk}


def report_body(s: Side, w: Any) -> dict[str, Any]:
    return {"unit": s.unit.pk, "month": "2026-02"}


def records_body(s: Side, w: Any) -> dict[str, Any]:
    return {
        "unit": s.unit.pk,
        "channel": s.channel.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
    }


def channel_of(s: Side) -> dict[str, Any]:
    return {"channel_id": s.channel.pk}


def _goal_page(s: Side, w: Any) -> dict[str, Any]:
    return {
        "title": "Neues Ziel",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "metric": "",
        "channel": "",
        "comparison": "at_least",
        "target_value": "",
    }


GOAL_API = {"title": "Neues Ziel", "period_start": "2026-01-01", "period_end": "2026-12-31"}

CASES: list[Case] = [
    # --- dashboard (the figures of the units' subtree; goals first)
    Case("dashboard:index", "get", READ, kind=LIST),
    Case(
        "dashboard:index",
        "get",
        READ,
        kind=LIST,
        variant="export",
        query="?preset=last_90&export=channels&format=csv",
    ),
    Case("dashboard_api:dashboard", "get", READ, kind=LIST),
    # --- goals: pages
    Case("goals:index", "get", READ, kind=LIST),
    Case("goals:new", "get", EDIT, kind=LIST),
    Case(
        "goals:new",
        "post",
        EDIT,
        kind=CREATE,
        body=lambda s, w: {**_goal_page(s, w), "unit": s.unit.pk},
    ),
    Case("goals:detail", "get", READ, kwargs=pk_of("goal")),
    Case("goals:edit", "get", EDIT, kwargs=pk_of("goal")),
    Case("goals:edit", "post", EDIT, kwargs=pk_of("goal"), body=_goal_page),
    Case("goals:archive", "post", EDIT, kwargs=pk_of("goal"), body=lambda s, w: {}),
    Case("goals:target_groups", "get", READ, kind=LIST),
    Case("goals:target_group_new", "get", EDIT, kind=LIST),
    Case(
        "goals:target_group_new",
        "post",
        EDIT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "name": "Neue Gruppe", "description": ""},
    ),
    Case("goals:target_group_edit", "get", EDIT, kwargs=pk_of("group")),
    Case(
        "goals:target_group_edit",
        "post",
        EDIT,
        kwargs=pk_of("group"),
        body=lambda s, w: {"name": "Umbenannt", "description": ""},
    ),
    Case("goals:target_group_archive", "post", EDIT, kwargs=pk_of("group"), body=lambda s, w: {}),
    Case("goals:channels", "get", READ, kind=LIST),
    Case("goals:channel", "get", EDIT, kwargs=channel_of),
    Case(
        "goals:channel",
        "post",
        EDIT,
        kwargs=channel_of,
        body=lambda s, w: {"purpose": "Neu", "audience": ""},
    ),
    # --- goals: API
    Case("goals_api:list", "get", READ, kind=LIST),
    Case(
        "goals_api:list",
        "post",
        EDIT,
        kind=CREATE,
        body=lambda s, w: {**GOAL_API, "unit": s.unit.pk},
    ),
    Case("goals_api:detail", "get", READ, kwargs=pk_of("goal")),
    Case(
        "goals_api:detail",
        "patch",
        EDIT,
        kwargs=pk_of("goal"),
        body=lambda s, w: {"title": "Geändert"},
    ),
    Case("goals_api:archive", "post", EDIT, kwargs=pk_of("goal")),
    Case("goals_api:target-group-list", "get", READ, kind=LIST),
    Case(
        "goals_api:target-group-list",
        "post",
        EDIT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "name": "Neue Gruppe"},
    ),
    Case("goals_api:target-group-detail", "get", READ, kwargs=pk_of("group")),
    Case(
        "goals_api:target-group-detail",
        "patch",
        EDIT,
        kwargs=pk_of("group"),
        body=lambda s, w: {"name": "Umbenannt"},
    ),
    Case("goals_api:target-group-archive", "post", EDIT, kwargs=pk_of("group")),
    Case("goals_api:channel-strategy-list", "get", READ, kind=LIST),
    Case("goals_api:channel-strategy-detail", "get", READ, kwargs=channel_of),
    Case(
        "goals_api:channel-strategy-detail",
        "put",
        EDIT,
        kwargs=channel_of,
        body=lambda s, w: {"purpose": "Neu", "audience": "", "target_groups": []},
    ),
    # --- metrics: API (read as the dashboard)
    Case("metrics_api:post", "get", READ, kwargs=post_of),
    Case("metrics_api:list", "get", READ, kind=LIST),
    # --- metrics: pages
    Case("metrics:channel_insights", "get", MANAGE, kwargs=pk_of("insights_channel")),
    Case(
        "metrics:channel_insights",
        "post",
        MANAGE,
        kwargs=pk_of("insights_channel"),
        body=lambda s, w: {"insights_enabled": ""},
    ),
    # --- records export: pages and API
    Case("records:index", "get", RECORDS, kind=LIST),
    Case("records:new", "get", RECORDS, kind=LIST),
    Case("records:new", "post", RECORDS, kind=CREATE, body=records_body),
    Case("records:download", "get", RECORDS, kwargs=pk_of("export")),
    Case("records_api:list", "get", RECORDS, kind=LIST),
    Case("records_api:list", "post", RECORDS, kind=CREATE, body=records_body),
    Case("records_api:detail", "get", RECORDS, kwargs=pk_of("export")),
    Case("records_api:download", "get", RECORDS, kwargs=pk_of("export")),
    # --- monthly reports: pages and API
    Case("reports:index", "get", READ, kind=LIST),
    Case("reports:new", "get", EDIT, kind=LIST),
    Case("reports:new", "post", EDIT, kind=CREATE, body=report_body),
    Case("reports:detail", "get", READ, kwargs=pk_of("report")),
    Case("reports:download", "get", READ, kwargs=pk_of("report")),
    Case("reports:settings", "get", READ, kind=LIST),
    Case("reports:settings_edit", "get", EDIT, kwargs=unit_of),
    Case(
        "reports:settings_edit",
        "post",
        EDIT,
        kwargs=unit_of,
        body=lambda s, w: {"language": "en", "extra_addresses": ""},
    ),
    Case("reports_api:list", "get", READ, kind=LIST),
    Case("reports_api:list", "post", EDIT, kind=CREATE, body=report_body),
    Case("reports_api:detail", "get", READ, kwargs=pk_of("report")),
    Case("reports_api:download", "get", READ, kwargs=pk_of("report")),
    Case("reports_api:settings", "get", READ, kwargs=unit_of),
    Case(
        "reports_api:settings",
        "put",
        EDIT,
        kwargs=unit_of,
        body=lambda s, w: {"enabled": False, "language": "en", "recipients": []},
    ),
]

# Cells where the code lets through what it should not, marked strict xfail until fixed:
# (case label, role, "own"|"other") -> reason.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}

# PostMetricLatest is a copy of the newest snapshot kept by a trigger (keyed by the variant,
# no id column): the snapshots themselves are in the digest.
TABLES = sorted(
    {
        model._meta.db_table
        for model in apps.get_app_config("analytics").get_models(include_auto_created=True)
        if model._meta.pk is not None and model._meta.pk.column == "id"
    }
    | {AuditEntry._meta.db_table}
)


def _state() -> tuple[Any, ...]:
    """Every row of every analytics table and of the audit trail."""
    return rows_digest(TABLES)


@pytest.mark.parametrize(("case", "role", "scope"), list(cells(CASES, ROLES, KNOWN_BUGS)))
def test_permission_matrix(case: Case, role: str, scope: str, world: World) -> None:
    check_role(case, role, scope, world, _state)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_anonymous(case: Case, world: World) -> None:
    check_anonymous(case, world, _state)


def test_the_state_sees_any_change(world: World) -> None:
    assert _state() == world.start
    Goal.objects.filter(pk=world.other.goal.pk).update(title="x")
    assert _state() != world.start


# --- The checks are not vacuous: the own objects do show to who may read them ------------------

SHOWN: list[tuple[str, str, Callable[[Side], str]]] = [
    ("dashboard:index GET", AU, lambda s: s.goal.title),
    ("dashboard_api:dashboard GET", E, lambda s: s.goal.title),
    ("goals:index GET", E, lambda s: s.goal.title),
    ("goals:target_groups GET", AU, lambda s: s.group.name),
    ("goals:channels GET", CM, lambda s: s.markers[2]),
    ("goals_api:list GET", CA, lambda s: s.goal.title),
    ("goals_api:target-group-list GET", AU, lambda s: s.group.name),
    ("goals_api:channel-strategy-list GET", E, lambda s: s.markers[2]),
    ("records:index GET", AU, lambda s: s.markers[3]),
    ("records_api:list GET", A, lambda s: s.markers[3]),
    ("reports_api:list GET", AU, lambda s: s.markers[4]),
    ("reports:settings GET", E, lambda s: s.unit.name),
    ("metrics_api:list GET", AU, lambda s: s.markers[5]),
]


@pytest.mark.parametrize(("label", "role", "marker"), SHOWN, ids=[f"{x[0]}-{x[1]}" for x in SHOWN])
def test_lists_show_the_own_objects(
    label: str, role: str, marker: Callable[[Side], str], world: World
) -> None:
    case = next(c for c in CASES if c.label == label)
    status, body, _location = send(case, world.client(role, case.api), world.own, world)
    assert status == 200
    assert marker(world.own) in body


def test_every_analytics_route_has_a_row() -> None:
    found, skipped = case_routes(NAMESPACES)
    listed = {case.key for case in CASES}
    assert sorted(found - listed) == [], "routes without a row in CASES"
    assert sorted(listed - found) == [], "rows in CASES without a route"
    assert skipped == []
    assert len({(c.key, c.variant) for c in CASES}) == len(CASES), "duplicate rows"
    assert not [k for k in KNOWN_BUGS if k[0] not in {c.label for c in CASES}]
