"""The permission matrix of the moderation area: every page under /moderation/ and every API
operation of moderation under /api/v1/ (inbox, replies, actions, Netiquette, evidence,
blocks, flags, service levels, privacy, ingestion), tried by each role of the Presseamt on
the Presseamt's own objects and on the twins of another authority (the Polizeipräsidium),
by a user of that other authority, and anonymously.

The rule (issue 11, "API and roles"; ``moderation/common/permissions.py``): community
managers act on their units' channels, auditors read, nobody sees another authority's
items; what governs a unit follows the feature's ``permissions.py`` (service levels:
community managers; retention, criminal unit and the per-employee figures switch: system
admins; data-subject requests: community managers and system admins, read by auditors).

The matrix is data: ``CASES`` names, per route and HTTP method, the roles that may use it on
their own unit's objects. ``test_every_moderation_route_has_a_row`` walks the URL resolver,
so a new route (or a new method on a view) fails until its row is written here.

A cell's answer (``tests/matrix.py``):

* allowed (own unit): no 401/403/404/405 and no server error; for writes also 400 (the door
  is open, the minimal body was not enough).
* denied: 403 or 404 (405 where a method is not offered), and no row of any moderation
  table nor the audit trail changed.
* refused (``refused=`` roles of a row): a write whose body names an item the role cannot
  read answers 400 ("unknown item", the serializer's scoped lookup) instead of 403; nothing
  is created.
* the other authority's objects: 403/404; rows without an object in the address try the
  other side through the body (refused, nothing created) or, for lists, must not show any
  of its objects (``markers``).
* the user of the other authority (``outsider``: its system admin and auditor): on the
  Presseamt's objects like everyone on the police's; on the police's own objects it gets
  what its two roles allow there, which shows that each twin is reachable by its own
  authority (the denials elsewhere are not an artefact of a broken twin).
* anonymous: pages redirect to the login, the API answers 401/403.

Permission bugs found are cells marked ``xfail(strict=True)`` in ``KNOWN_BUGS``.

The objects of both authorities are built once per module (inside a transaction rolled back
at the end); each test runs in its own savepoint, so a mutating cell does not affect the next.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from moderation import urls as moderation_urls
from moderation.models import BlockEntry
from moderation.models import DataSubjectRequest
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from moderation.models import ModerationAction
from moderation.models import Netiquette
from moderation.models import Reply
from moderation.netiquette import views as netiquette_views
from tests.conftest import build_org
from tests.conftest import build_people
from tests.factories import UserFactory
from tests.matrix import ALL
from tests.matrix import AU
from tests.matrix import CA
from tests.matrix import CM
from tests.matrix import CREATE
from tests.matrix import LIST
from tests.matrix import NONE
from tests.matrix import OBJECT
from tests.matrix import OUT
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
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.matrix import lean_requests  # noqa: F401
from tests.matrix import log_in
from tests.matrix import pk_of
from tests.matrix import rows_digest
from tests.matrix import send
from tests.moderation.world import Side
from tests.moderation.world import build_side

# Every feature that moderation/urls.py mounts, pages and API: a new one needs its rows too.
FEATURES = tuple(feature.app_name for feature in moderation_urls.FEATURES)
NAMESPACES = frozenset([*FEATURES, *(f"{f}_api" for f in FEATURES)])

# Public (no login): tested on their own below.
PUBLIC_VIEWS = {netiquette_views.public_netiquette}

READ = frozenset({CM, AU})  # channels_for_reading
ACT = frozenset({CM})  # channels_for_moderating
GOVERN = frozenset({SA})  # units_for_governing
SETTINGS_READ = READ | GOVERN  # service levels and privacy settings: system admins see them
REQUESTS = ACT | GOVERN  # data-subject requests: handled by community managers and admins
NOT_READING = ALL - READ - {OUT}  # answered "unknown item" (400) by scoped serializers

# --- The objects of one authority -------------------------------------------------------------


World = TwoAuthorities[Side]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Both authorities with everything the routes need, built once for the module."""
    with built_once(django_db_blocker):
        org = build_org()
        people = build_people(org)
        city_writer = UserFactory(
            email="community2@stadt.example", roles=[(org.press, Role.COMMUNITY_MANAGER)]
        )
        police_writer = UserFactory(
            email="community@polizei.example",
            roles=[(org.police_press, Role.COMMUNITY_MANAGER)],
        )
        own = build_side(org.press, org.social, org.press_channel, city_writer, "Stadt")
        other = build_side(
            org.police_press, org.police, org.police_channel, police_writer, "Polizei"
        )
        # Global, of no authority: the trained insult classifier.
        InsultClassifier.objects.create(source="germeval-test.tsv", samples=20, model=b"")
        built = World(org=org, people=people, own=own, other=other)
        log_in(built)
        built.start = _state()
        yield built


# --- The matrix -------------------------------------------------------------------------------

TODAY = timezone.localdate().isoformat()
IN_A_WEEK = (timezone.localdate() + timedelta(days=7)).isoformat()
IN_A_MONTH = (timezone.localdate() + timedelta(days=30)).isoformat()
RULES = [{"number": 1, "title": "Respekt", "text": "Keine Beleidigungen."}]


def _rules_formset() -> dict[str, Any]:
    return {
        "title": "Netiquette",
        "preamble": "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-number": "1",
        "rules-0-title": "Respekt",
        "rules-0-text": "Keine Beleidigungen.",
    }


def unit_of(name: str = "unit") -> Callable[[Any], dict[str, Any]]:
    """URL kwargs ``{"unit_id": <side.name.pk>}``."""
    return lambda s: {"unit_id": getattr(s, name).pk}


def item_query(s: Side) -> str:
    return f"?item={s.item.pk}"


CASES: list[Case] = [
    # --- inbox: pages
    Case("inbox:index", "get", READ, kind=LIST),
    Case(
        "inbox:bulk",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"items": [s.item.pk], "action": "priority", "priority": "3"},
    ),
    Case("inbox:item", "get", READ, kwargs=pk_of("item")),
    Case(
        "inbox:status", "post", ACT, kwargs=pk_of("item"), body=lambda s, w: {"status": "pending"}
    ),
    Case("inbox:priority", "post", ACT, kwargs=pk_of("item"), body=lambda s, w: {"priority": "3"}),
    Case(
        "inbox:assign",
        "post",
        ACT,
        kwargs=pk_of("item"),
        body=lambda s, w: {"assignee": s.writer.pk, "team": ""},
    ),
    Case(
        "inbox:snooze",
        "post",
        ACT,
        kwargs=pk_of("item"),
        body=lambda s, w: {"snoozed_until": f"{IN_A_WEEK}T09:00"},
    ),
    Case("inbox:note", "post", ACT, kwargs=pk_of("item"), body=lambda s, w: {"text": "Notiz"}),
    Case("inbox:presence", "get", READ, kwargs=pk_of("item")),
    Case("inbox:presence", "post", READ, kwargs=pk_of("item"), note="reading: says who looks"),
    Case("inbox:presence", "delete", READ, kwargs=pk_of("item"), note="reading: says who left"),
    # --- inbox: API
    Case("inbox_api:item-list", "get", ALL, kind=LIST, note="an empty list for non-readers"),
    Case(
        "inbox_api:item-bulk",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"items": [s.item.pk], "action": "priority", "priority": 3},
    ),
    Case("inbox_api:item-detail", "get", READ, kwargs=pk_of("item")),
    Case(
        "inbox_api:item-detail",
        "patch",
        ACT,
        kwargs=pk_of("item"),
        body=lambda s, w: {"priority": 3, "status": "pending"},
    ),
    Case("inbox_api:item-notes", "get", READ, kwargs=pk_of("item")),
    Case(
        "inbox_api:item-notes", "post", ACT, kwargs=pk_of("item"), body=lambda s, w: {"text": "N"}
    ),
    Case("inbox_api:item-presence", "get", READ, kwargs=pk_of("item")),
    Case("inbox_api:item-presence", "post", READ, kwargs=pk_of("item")),
    Case("inbox_api:item-presence", "delete", READ, kwargs=pk_of("item")),
    # --- replies: pages
    Case("replies:item", "get", READ, kwargs=lambda s: {"item_pk": s.item.pk}),
    Case(
        "replies:item",
        "post",
        ACT,
        kwargs=lambda s: {"item_pk": s.item.pk},
        body=lambda s, w: {"text": "Das Bürgerbüro öffnet um 8 Uhr."},
    ),
    Case("replies:approvals", "get", READ, kind=LIST),
    Case("replies:detail", "get", READ, kwargs=pk_of("reply_awaiting")),
    Case("replies:approve", "post", ACT, kwargs=pk_of("reply_awaiting"), body=lambda s, w: {}),
    Case(
        "replies:reject",
        "post",
        ACT,
        kwargs=pk_of("reply_awaiting"),
        body=lambda s, w: {"reason": "Bitte freundlicher."},
    ),
    Case("replies:retry", "post", ACT, kwargs=pk_of("reply_failed"), body=lambda s, w: {}),
    Case(
        "replies:resolve",
        "post",
        ACT,
        kwargs=pk_of("reply_unclear"),
        body=lambda s, w: {"found": "no", "remote_url": ""},
    ),
    Case("replies:saved_list", "get", READ, kind=LIST),
    Case("replies:saved_new", "get", ACT, kind=LIST),
    Case(
        "replies:saved_new",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "text": "Hallo", "shared": "on"},
    ),
    Case("replies:saved_edit", "get", ACT, kwargs=pk_of("saved_reply")),
    Case(
        "replies:saved_edit",
        "post",
        ACT,
        kwargs=pk_of("saved_reply"),
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "text": "Hallo", "shared": "on"},
    ),
    Case("replies:saved_delete", "get", ACT, kwargs=pk_of("saved_reply")),
    Case("replies:saved_delete", "post", ACT, kwargs=pk_of("saved_reply"), body=lambda s, w: {}),
    # --- replies: API
    Case("replies_api:item-replies", "get", READ, kwargs=lambda s: {"item_pk": s.item.pk}),
    Case(
        "replies_api:item-replies",
        "post",
        ACT,
        kwargs=lambda s: {"item_pk": s.item.pk},
        body=lambda s, w: {"text": "Das Bürgerbüro öffnet um 8 Uhr."},
    ),
    Case("replies_api:reply-detail", "get", READ, kwargs=pk_of("reply_awaiting")),
    Case("replies_api:reply-approve", "post", ACT, kwargs=pk_of("reply_awaiting")),
    Case(
        "replies_api:reply-reject",
        "post",
        ACT,
        kwargs=pk_of("reply_awaiting"),
        body=lambda s, w: {"reason": "Bitte freundlicher."},
    ),
    Case("replies_api:reply-retry", "post", ACT, kwargs=pk_of("reply_failed")),
    Case(
        "replies_api:reply-resolve",
        "post",
        ACT,
        kwargs=pk_of("reply_unclear"),
        body=lambda s, w: {"found": False},
    ),
    Case("replies_api:saved-reply-list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "replies_api:saved-reply-list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "text": "Hallo"},
    ),
    Case("replies_api:saved-reply-detail", "get", READ, kwargs=pk_of("saved_reply")),
    Case(
        "replies_api:saved-reply-detail",
        "patch",
        ACT,
        kwargs=pk_of("saved_reply"),
        body=lambda s, w: {"title": "Umbenannt"},
    ),
    Case(
        "replies_api:saved-reply-detail",
        "put",
        ACT,
        kwargs=pk_of("saved_reply"),
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "text": "Hallo"},
    ),
    Case("replies_api:saved-reply-detail", "delete", ACT, kwargs=pk_of("saved_reply")),
    # --- actions: pages
    Case("actions:list", "get", READ, kind=LIST),
    Case("actions:item", "get", READ, kwargs=lambda s: {"item_id": s.item.pk}),
    Case(
        "actions:item",
        "post",
        ACT,
        kwargs=lambda s: {"item_id": s.item.pk},
        body=lambda s, w: {"kind": "no_action", "justification": "Kein Verstoß."},
    ),
    Case("actions:retry", "post", ACT, kwargs=pk_of("action"), body=lambda s, w: {}),
    # --- actions: API
    Case("actions_api:list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "actions_api:list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {
            "item": s.item.pk,
            "kind": "no_action",
            "justification": "Kein Verstoß.",
        },
        refused=NOT_READING,
    ),
    Case("actions_api:options", "get", READ, query=item_query),
    Case("actions_api:detail", "get", READ, kwargs=pk_of("action")),
    Case("actions_api:retry", "post", ACT, kwargs=pk_of("action")),
    # --- netiquette: pages
    Case("netiquette:index", "get", READ, kind=LIST, note="rows only of the units one reads"),
    Case("netiquette:unit", "get", READ, kwargs=unit_of()),
    Case("netiquette:draft", "get", ACT, kwargs=unit_of()),
    Case("netiquette:draft", "post", ACT, kwargs=unit_of(), body=lambda s, w: _rules_formset()),
    Case("netiquette:publish", "post", ACT, kwargs=unit_of(), body=lambda s, w: {}),
    Case("netiquette:detail", "get", READ, kwargs=pk_of("draft")),
    Case("netiquette:starter", "get", READ, kwargs=unit_of()),
    Case("netiquette:starter", "post", ACT, kwargs=unit_of("free_unit"), body=lambda s, w: {}),
    # --- netiquette: API
    Case("netiquette_api:list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "netiquette_api:list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.free_unit.pk, "title": "Netiquette", "rules": RULES},
    ),
    Case("netiquette_api:detail", "get", READ, kwargs=pk_of("draft")),
    Case(
        "netiquette_api:detail",
        "put",
        ACT,
        kwargs=pk_of("draft"),
        body=lambda s, w: {"title": "Netiquette", "rules": RULES},
    ),
    Case(
        "netiquette_api:detail",
        "patch",
        ACT,
        kwargs=pk_of("draft"),
        body=lambda s, w: {"title": "Umbenannt"},
    ),
    Case("netiquette_api:publish", "post", ACT, kwargs=pk_of("draft")),
    Case(
        "netiquette_api:adopt_starter",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.free_unit.pk},
    ),
    # --- evidence: pages
    Case("evidence:list", "get", READ, kind=LIST),
    Case("evidence:detail", "get", READ, kwargs=pk_of("record")),
    Case("evidence:export_pdf", "get", ACT, kwargs=pk_of("record")),
    Case("evidence:export_json", "get", ACT, kwargs=pk_of("record")),
    Case(
        "evidence:mark_criminal",
        "post",
        ACT,
        kwargs=pk_of("record"),
        body=lambda s, w: {"known_since": TODAY},
    ),
    Case(
        "evidence:complaint_filed",
        "post",
        ACT,
        kwargs=pk_of("criminal_record"),
        body=lambda s, w: {"reference": "StA 1 Js 1/26"},
    ),
    Case(
        "evidence:release_hold",
        "post",
        ACT,
        kwargs=pk_of("criminal_record"),
        body=lambda s, w: {"reason": "Verfahren eingestellt"},
    ),
    # --- evidence: API
    Case("evidence_api:list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "evidence_api:list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"item": s.item.pk},
        refused=NOT_READING,
    ),
    Case("evidence_api:detail", "get", READ, kwargs=pk_of("record")),
    Case("evidence_api:pdf", "get", ACT, kwargs=pk_of("record")),
    Case("evidence_api:package", "get", ACT, kwargs=pk_of("record")),
    Case(
        "evidence_api:mark-criminal",
        "post",
        ACT,
        kwargs=pk_of("record"),
        body=lambda s, w: {"known_since": TODAY},
    ),
    Case(
        "evidence_api:complaint-filed",
        "post",
        ACT,
        kwargs=pk_of("criminal_record"),
        body=lambda s, w: {"reference": "StA 1 Js 1/26"},
    ),
    Case(
        "evidence_api:release-hold",
        "post",
        ACT,
        kwargs=pk_of("criminal_record"),
        body=lambda s, w: {"reason": "Verfahren eingestellt"},
    ),
    # --- blocks: pages
    Case("blocks:list", "get", READ, kind=LIST),
    Case("blocks:new", "get", ACT, query=item_query),
    Case(
        "blocks:new",
        "post",
        ACT,
        body=lambda s, w: {
            "item": s.item.pk,
            "rule": s.rule.pk,
            "justification": "Wiederholte Beleidigungen.",
            "why_not_milder": "Verbergen allein hat nicht gereicht.",
        },
        note="the body names the item: the other authority's is not found",
    ),
    Case("blocks:detail", "get", READ, kwargs=pk_of("block")),
    Case(
        "blocks:review",
        "post",
        ACT,
        kwargs=pk_of("block"),
        body=lambda s, w: {"justification": "Weiter nötig.", "review_due_on": IN_A_MONTH},
    ),
    Case("blocks:lift", "post", ACT, kwargs=pk_of("block"), body=lambda s, w: {"reason": "Ok."}),
    Case(
        "blocks:appeal",
        "post",
        ACT,
        kwargs=pk_of("block"),
        body=lambda s, w: {"text": "Ich widerspreche.", "received_on": TODAY},
    ),
    Case("blocks:platform_retry", "post", ACT, kwargs=pk_of("block"), body=lambda s, w: {}),
    Case("blocks:platform_confirm", "post", ACT, kwargs=pk_of("block"), body=lambda s, w: {}),
    Case(
        "blocks:appeal_decide",
        "post",
        ACT,
        kwargs=pk_of("appeal"),
        body=lambda s, w: {
            f"a{s.appeal.pk}-decision": "upheld",
            f"a{s.appeal.pk}-reason": "Die Sperre bleibt.",
        },
        note="the community manager is a second person: the writer blocked and recorded",
    ),
    # --- blocks: API
    Case("blocks_api:block-list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "blocks_api:block-list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {
            "item": s.item.pk,
            "rule": s.rule.pk,
            "justification": "Wiederholte Beleidigungen.",
            "why_not_milder": "Verbergen allein hat nicht gereicht.",
        },
        refused=NOT_READING,
    ),
    Case("blocks_api:block-detail", "get", READ, kwargs=pk_of("block")),
    Case(
        "blocks_api:block-review",
        "post",
        ACT,
        kwargs=pk_of("block"),
        body=lambda s, w: {"justification": "Weiter nötig."},
    ),
    Case(
        "blocks_api:block-lift",
        "post",
        ACT,
        kwargs=pk_of("block"),
        body=lambda s, w: {"reason": "Ok"},
    ),
    Case("blocks_api:block-platform-retry", "post", ACT, kwargs=pk_of("block")),
    Case("blocks_api:block-platform-confirm", "post", ACT, kwargs=pk_of("block")),
    Case("blocks_api:block-appeals", "get", READ, kwargs=pk_of("block")),
    Case(
        "blocks_api:block-appeals",
        "post",
        ACT,
        kwargs=pk_of("block"),
        body=lambda s, w: {"text": "Ich widerspreche.", "received_on": TODAY},
    ),
    Case(
        "blocks_api:block-appeal-decide",
        "post",
        ACT,
        kwargs=pk_of("appeal"),
        body=lambda s, w: {"decision": "upheld", "reason": "Die Sperre bleibt."},
    ),
    # --- flags: pages
    Case("flags:index", "get", READ, kind=LIST),
    Case("flags:unit", "get", READ, kwargs=unit_of()),
    Case(
        "flags:alert_create",
        "post",
        ACT,
        kwargs=unit_of(),
        body=lambda s, w: {"phrase": "Bombe", "category": "threat"},
    ),
    Case("flags:alert_delete", "post", ACT, kwargs=pk_of("alert"), body=lambda s, w: {}),
    Case(
        "flags:lexicon_create",
        "post",
        ACT,
        kwargs=unit_of(),
        body=lambda s, w: {"term": "dummkopf"},
    ),
    Case("flags:lexicon_delete", "post", ACT, kwargs=pk_of("entry"), body=lambda s, w: {}),
    Case("flags:base_lexicon", "get", READ, kind=NONE, note="the shipped lexicon, no unit's"),
    Case("flags:dismiss", "post", ACT, kwargs=pk_of("flag"), body=lambda s, w: {}),
    # --- flags: API
    Case("flags_api:keyword-alert-list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "flags_api:keyword-alert-list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "phrase": "Bombe", "category": "threat"},
    ),
    Case("flags_api:keyword-alert-detail", "get", READ, kwargs=pk_of("alert")),
    Case("flags_api:keyword-alert-detail", "delete", ACT, kwargs=pk_of("alert")),
    Case("flags_api:lexicon-entry-list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case(
        "flags_api:lexicon-entry-list",
        "post",
        ACT,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "term": "dummkopf"},
    ),
    Case("flags_api:lexicon-entry-detail", "get", READ, kwargs=pk_of("entry")),
    Case("flags_api:lexicon-entry-detail", "delete", ACT, kwargs=pk_of("entry")),
    Case("flags_api:item-flags", "get", READ, kwargs=pk_of("item")),
    Case("flags_api:flag-dismiss", "post", ACT, kwargs=pk_of("flag")),
    Case(
        "flags_api:classifier-list",
        "get",
        ALL,
        kind=NONE,
        note="global, of no unit; an empty list for non-readers",
    ),
    # --- service levels: pages
    Case("service_levels:index", "get", SETTINGS_READ, kind=LIST),
    Case("service_levels:report", "get", SETTINGS_READ, kind=LIST),
    Case("service_levels:unit", "get", SETTINGS_READ, kwargs=unit_of()),
    Case(
        "service_levels:unit",
        "post",
        ACT,
        kwargs=unit_of(),
        body=lambda s, w: {
            "first_response_minutes": "240",
            "next_response_minutes": "480",
            "storm_threshold": "50",
            "storm_window_minutes": "60",
            "day0_0_start": "08:00",
            "day0_0_end": "16:00",
        },
        note="service levels are the community managers' (service_levels/permissions.py)",
    ),
    # --- service levels: API
    Case("service_levels_api:settings", "get", SETTINGS_READ, kwargs=unit_of()),
    Case(
        "service_levels_api:settings",
        "patch",
        ACT,
        kwargs=unit_of(),
        body=lambda s, w: {"first_response_minutes": 120},
        variant="service levels",
    ),
    Case(
        "service_levels_api:settings",
        "patch",
        GOVERN,
        kwargs=unit_of(),
        body=lambda s, w: {"employee_figures": True},
        variant="employee figures",
    ),
    Case(
        "service_levels_api:settings",
        "patch",
        GOVERN,
        kwargs=unit_of(),
        body=lambda s, w: {"retention_days": 30},
        variant="retention",
    ),
    Case(
        "service_levels_api:report",
        "get",
        SETTINGS_READ,
        query=lambda s: f"?unit={s.unit.pk}&start={TODAY}&end={TODAY}",
    ),
    Case("service_levels_api:storm-alerts", "get", ALL, kind=LIST, note="empty for others"),
    # --- privacy: pages
    Case("privacy:index", "get", SETTINGS_READ, kind=LIST),
    Case("privacy:unit", "get", SETTINGS_READ, kwargs=unit_of()),
    Case(
        "privacy:unit",
        "post",
        GOVERN,
        kwargs=unit_of(),
        body=lambda s, w: {
            "retention_days": "30",
            "evidence_retention_days": "400",
            "block_retention_days": "400",
            "criminal_unit": "",
            "employee_figures": "on",
        },
    ),
    Case("privacy:requests", "get", SETTINGS_READ, kind=LIST),
    Case("privacy:request_new", "get", REQUESTS, kind=LIST),
    Case(
        "privacy:request_new",
        "post",
        REQUESTS,
        kind=CREATE,
        body=lambda s, w: {
            "unit": s.unit.pk,
            "q": s.author.remote_id,
            "kind": "access",
            "authors": [s.author.pk],
        },
    ),
    Case("privacy:request", "get", SETTINGS_READ, kwargs=pk_of("subject_request")),
    Case(
        "privacy:request_export",
        "post",
        REQUESTS,
        kwargs=pk_of("subject_request"),
        body=lambda s, w: {},
    ),
    Case(
        "privacy:request_erase",
        "post",
        REQUESTS,
        kwargs=pk_of("subject_request"),
        body=lambda s, w: {"confirm": "on"},
    ),
    # --- privacy: API
    Case("privacy_api:request-list", "get", ALL, kind=LIST, note="empty for others"),
    Case(
        "privacy_api:request-list",
        "post",
        REQUESTS,
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "kind": "access", "authors": [s.author.pk]},
    ),
    Case(
        "privacy_api:request-search",
        "get",
        REQUESTS,
        query=lambda s: f"?unit={s.unit.pk}&q={s.author.remote_id}",
    ),
    Case("privacy_api:request-detail", "get", SETTINGS_READ, kwargs=pk_of("subject_request")),
    Case("privacy_api:request-export", "post", REQUESTS, kwargs=pk_of("subject_request")),
    Case("privacy_api:request-erase", "post", REQUESTS, kwargs=pk_of("subject_request")),
    # --- ingestion
    Case("ingestion:list", "get", READ, kind=LIST),
    Case("ingestion:fetch_now", "post", ACT, kwargs=pk_of("cursor"), body=lambda s, w: {}),
    Case("ingestion_api:stream-list", "get", ALL, kind=LIST, note="empty for non-readers"),
    Case("ingestion_api:stream-detail", "get", READ, kwargs=pk_of("cursor")),
    Case("ingestion_api:stream-fetch-now", "post", ACT, kwargs=pk_of("cursor")),
]

# Cells where the code lets through what it should not, marked strict xfail until fixed:
# (case label, role, "own"|"other") -> reason.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


# --- Running one cell -------------------------------------------------------------------------

TABLES = sorted(
    {
        model._meta.db_table
        for model in apps.get_app_config("moderation").get_models(include_auto_created=True)
    }
    | {AuditEntry._meta.db_table}
)


def _state() -> tuple[Any, ...]:
    """Every row of every moderation table and of the audit trail: a denied write must
    leave all of them as they were."""
    return rows_digest(TABLES)


@pytest.mark.parametrize(("case", "role", "scope"), list(cells(CASES, ROLES, KNOWN_BUGS)))
def test_permission_matrix(case: Case, role: str, scope: str, world: World) -> None:
    check_role(case, role, scope, world, _state)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_anonymous(case: Case, world: World) -> None:
    check_anonymous(case, world, _state)


def test_the_state_sees_any_change(world: World) -> None:
    """The "nothing changed" check would notice a change of one column of one row."""
    assert _state() == world.start
    InboxItem.objects.filter(pk=world.other.item.pk).update(priority=InboxItem.Priority.LOW)
    assert _state() != world.start


# --- The checks are not vacuous: the own objects do show to who may read them -----------------

SHOWN = [
    ("inbox:index GET", AU, lambda s: s.item.text),
    ("inbox_api:item-list GET", CM, lambda s: s.item.text),
    ("replies:approvals GET", CM, lambda s: s.reply_awaiting.text),
    ("replies:saved_list GET", AU, lambda s: s.saved_reply.title),
    ("replies_api:saved-reply-list GET", CM, lambda s: s.saved_reply.title),
    ("actions:list GET", AU, lambda s: s.action.justification),
    ("actions_api:list GET", CM, lambda s: s.action.justification),
    ("netiquette:index GET", AU, lambda s: f"/netiquette/{s.unit.pk}/"),
    ("netiquette_api:list GET", CM, lambda s: s.draft.title),
    ("evidence:list GET", AU, lambda s: s.item.text),
    ("evidence_api:list GET", CM, lambda s: s.record.sha256),
    ("blocks:list GET", AU, lambda s: s.block.author.display_name),
    ("blocks_api:block-list GET", CM, lambda s: s.block.justification),
    ("flags_api:keyword-alert-list GET", AU, lambda s: s.alert.phrase),
    ("flags_api:lexicon-entry-list GET", CM, lambda s: s.entry.term),
    ("service_levels:index GET", SA, lambda s: s.channel.name),
    ("service_levels_api:storm-alerts GET", AU, lambda s: s.channel.name),
    ("privacy:requests GET", AU, lambda s: s.subject_request.reference),
    ("privacy_api:request-list GET", SA, lambda s: s.subject_request.reference),
    ("ingestion:list GET", AU, lambda s: s.cursor.last_error),
    ("ingestion_api:stream-list GET", CM, lambda s: s.cursor.last_error),
]


def _case(label: str) -> Case:
    (case,) = [c for c in CASES if f"{c.route} {c.method.upper()}" == label and not c.variant]
    return case


@pytest.mark.parametrize(("label", "role", "marker"), SHOWN, ids=[f"{x[0]}-{x[1]}" for x in SHOWN])
def test_lists_show_the_own_objects(
    label: str, role: str, marker: Callable[[Side], str], world: World
) -> None:
    case = _case(label)
    status, body, _location = send(case, world.client(role, case.api), world.own, world)
    assert status == 200
    assert marker(world.own) in body


# Lists that answer everyone (an empty list for those who may not read): roles without an
# inbox role in the Presseamt must not see its objects there either.
OPEN_LISTS = [c for c in CASES if c.kind == LIST and c.method == "get" and c.allowed == ALL]


@pytest.mark.parametrize("case", OPEN_LISTS, ids=lambda c: c.label)
@pytest.mark.parametrize("role", [E, A, CA])
def test_open_lists_show_nothing_to_non_readers(case: Case, role: str, world: World) -> None:
    status, body, _location = send(case, world.client(role, case.api), world.own, world)
    assert status == 200
    shown = [m for m in world.own.markers if m in body and m != world.own.channel.name]
    assert not shown, (case.label, role, shown)


# --- Completeness: every route has its rows ---------------------------------------------------


def test_every_moderation_route_has_a_row() -> None:
    found, skipped = case_routes(NAMESPACES, PUBLIC_VIEWS)
    listed = {case.key for case in CASES}
    assert sorted(found - listed) == [], "routes without a row in CASES"
    assert sorted(listed - found) == [], "rows in CASES without a route"
    # The public Netiquette pages (no login): tested below.
    assert sorted(skipped) == ["netiquette:public", "netiquette:public_version"]
    assert set(FEATURES) >= {"inbox", "replies", "actions", "netiquette", "blocks", "flags"}
    assert {c.kind for c in CASES} <= {OBJECT, LIST, CREATE, NONE}
    assert len({(c.key, c.variant) for c in CASES}) == len(CASES), "duplicate rows"
    assert not [k for k in KNOWN_BUGS if k[0] not in {c.label for c in CASES}]


# --- The public Netiquette (no login) ---------------------------------------------------------


def test_public_netiquette_shows_the_published_version(world: World) -> None:
    side = world.own
    for url in (f"/netiquette/{side.unit.pk}/", f"/netiquette/{side.unit.pk}/v1/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert side.netiquette.title in body
        assert side.rule.title in body
        assert side.draft.title not in body


def test_public_netiquette_never_shows_a_draft_or_an_unknown_unit(world: World) -> None:
    side = world.own
    unknown = OrgUnit.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    for url in (
        f"/netiquette/{side.unit.pk}/v{side.draft.version}/",
        f"/netiquette/{side.unit.pk}/v99/",
        f"/netiquette/{unknown}/",
        f"/netiquette/{unknown}/v1/",
    ):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert side.draft.title not in response.content.decode()


def test_public_netiquette_of_a_unit_without_one_is_not_found(world: World) -> None:
    # The police's root unit has no Netiquette of its own nor above it.
    assert not Netiquette.objects.filter(unit=world.org.police).exists()
    assert Client().get(f"/netiquette/{world.org.police.pk}/").status_code == 404


# --- Writes on the own side that name another authority's object in the body ------------------


def _cross_links(world: World) -> dict[str, int]:
    """References from the own side's objects to the other authority's, and changes of the
    other's items through a write on the own side."""
    own, other = world.own.unit, world.other.unit
    other_people = User.objects.filter(role_assignments__unit__path__startswith=other.path)
    own_items = InboxItem.objects.filter(channel__unit=own)
    return {
        "item assignee": own_items.filter(assignee__in=other_people).count(),
        "item team": own_items.filter(team__path__startswith=world.org.police.path).count(),
        "action rule": ModerationAction.objects.filter(
            item__channel__unit=own, rule__netiquette__unit=other
        ).count(),
        "block rule": BlockEntry.objects.filter(
            channel__unit=own, rule__netiquette__unit=other
        ).count(),
        "block evidence": BlockEntry.objects.filter(
            channel__unit=own, evidence__channel__unit=other
        ).count(),
        "reply saved reply": Reply.objects.filter(
            item__channel__unit=own, saved_reply__unit=other
        ).count(),
        "request author": DataSubjectRequest.authors.through.objects.filter(
            datasubjectrequest__unit=own, author__channel__unit=other
        ).count(),
        "criminal unit": apps.get_model("moderation", "ModerationSettings")
        .objects.filter(unit__path__startswith=world.org.city.path)
        .filter(criminal_unit__path__startswith=world.org.police.path)
        .count(),
        "their item changed": InboxItem.objects.filter(
            channel__unit=other, priority=InboxItem.Priority.URGENT
        ).count(),
    }


@dataclass(frozen=True)
class CrossCase:
    name: str
    route: str
    method: str
    kwargs: Callable[[Side], dict[str, Any]]
    body: Callable[[Side, Side], dict[str, Any]]  # (own, other)
    role: str = CM


CROSS = [
    CrossCase(
        "assign to their user",
        "inbox_api:item-detail",
        "patch",
        pk_of("item"),
        lambda o, x: {"assignee": x.writer.pk},
    ),
    CrossCase(
        "assign to their unit as team",
        "inbox_api:item-detail",
        "patch",
        pk_of("item"),
        lambda o, x: {"team": x.unit.pk},
    ),
    CrossCase(
        "assign page to their user",
        "inbox:assign",
        "post",
        pk_of("item"),
        lambda o, x: {"assignee": x.writer.pk, "team": ""},
    ),
    CrossCase(
        "bulk with their item",
        "inbox_api:item-bulk",
        "post",
        lambda s: {},
        lambda o, x: {"items": [o.item.pk, x.item.pk], "action": "priority", "priority": 3},
    ),
    CrossCase(
        "bulk page with their item",
        "inbox:bulk",
        "post",
        lambda s: {},
        lambda o, x: {"items": [o.item.pk, x.item.pk], "action": "priority", "priority": "3"},
    ),
    CrossCase(
        "action citing their rule",
        "actions_api:list",
        "post",
        lambda s: {},
        lambda o, x: {
            "item": o.item.pk,
            "kind": "hide",
            "rule": x.rule.pk,
            "justification": "Beleidigung.",
        },
    ),
    CrossCase(
        "action page citing their rule",
        "actions:item",
        "post",
        lambda s: {"item_id": s.item.pk},
        lambda o, x: {"kind": "hide", "rule": x.rule.pk, "justification": "Beleidigung."},
    ),
    CrossCase(
        "block citing their rule",
        "blocks_api:block-list",
        "post",
        lambda s: {},
        lambda o, x: {"item": o.item.pk, "rule": x.rule.pk, "justification": "Beleidigung."},
    ),
    CrossCase(
        "block page citing their rule",
        "blocks:new",
        "post",
        lambda s: {},
        lambda o, x: {"item": o.item.pk, "rule": x.rule.pk, "justification": "Beleidigung."},
    ),
    CrossCase(
        "block with their evidence",
        "blocks_api:block-list",
        "post",
        lambda s: {},
        lambda o, x: {
            "item": o.item.pk,
            "rule": o.rule.pk,
            "justification": "Beleidigung.",
            "evidence": x.record.pk,
        },
    ),
    CrossCase(
        "reply with their saved reply",
        "replies_api:item-replies",
        "post",
        lambda s: {"item_pk": s.item.pk},
        lambda o, x: {"text": "Danke.", "saved_reply": x.saved_reply.pk},
    ),
    CrossCase(
        "reply page with their saved reply",
        "replies:item",
        "post",
        lambda s: {"item_pk": s.item.pk},
        lambda o, x: {"text": "Danke.", "saved_reply": x.saved_reply.pk},
    ),
    CrossCase(
        "data-subject request for their author",
        "privacy_api:request-list",
        "post",
        lambda s: {},
        lambda o, x: {"unit": o.unit.pk, "kind": "access", "authors": [o.author.pk, x.author.pk]},
    ),
    CrossCase(
        "criminal unit of theirs (API)",
        "service_levels_api:settings",
        "patch",
        unit_of(),
        lambda o, x: {"criminal_unit": x.unit.pk},
        role=SA,
    ),
    CrossCase(
        "criminal unit of theirs (page)",
        "privacy:unit",
        "post",
        unit_of(),
        lambda o, x: {
            "retention_days": "30",
            "evidence_retention_days": "400",
            "block_retention_days": "400",
            "criminal_unit": x.unit.pk,
        },
        role=SA,
    ),
]

KNOWN_CROSS_BUGS: dict[str, str] = {}


def _cross_params() -> Iterator[Any]:
    for case in CROSS:
        reason = KNOWN_CROSS_BUGS.get(case.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", list(_cross_params()))
def test_own_objects_cannot_point_at_another_authority(case: CrossCase, world: World) -> None:
    api = case.route.split(":")[0].endswith("_api")
    client = world.client(case.role, api)
    url = reverse(case.route, kwargs=case.kwargs(world.own))
    kwargs: dict[str, Any] = {"data": case.body(world.own, world.other)}
    if api:
        kwargs["format"] = "json"
    response = getattr(client, case.method)(url, **kwargs)
    close(response)
    assert response.status_code < 500
    assert not any(_cross_links(world).values()), (
        case.name,
        response.status_code,
        _cross_links(world),
    )
