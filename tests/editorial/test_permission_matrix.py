"""The permission matrix of the editorial area: every page and API operation of posts,
publishing, policy, media, planning, crisis, post_templates, starters and weekly_formats, tried by
each role of the
Presseamt on the Presseamt's own objects and on the objects of another authority (the
Polizeipräsidium), and anonymously.

The matrix is data: ``CASES`` names, per route and HTTP method, the roles that may use it on
their own unit's objects. ``test_every_editorial_route_has_a_row`` walks the URL resolver, so
a new route (or a new method on a view) fails until its row is written here.

A cell's answer:

* allowed (own unit): not 401/403/404/405 and no server error. For reads 2xx/3xx; for writes
  also 400 (a validation answer: the permission was granted, the empty or minimal body was
  not enough). What matters is that the door is open, not what the body achieved.
* denied: 403 or 404 (405 where a method is not offered), and nothing was created, deleted
  or changed.
* refused (``refused=`` roles of a row): a write whose body names a template the role cannot
  use answers 400 (the serializer's choices are scoped) instead of 403; nothing is created.
  Listed per row, so that it is a decision, not a gap. A unit the role can see but may not
  write in is a 403 (``accounts.fields.UnitField``), so unit rows need no ``refused``.
* the other authority's objects: 403/404. Routes without an object in the address try the
  other side through the body (creating in the police's unit, with its template or channel:
  refused, nothing created), or, for reads, must not show any police object (no leak).
* anonymous: pages redirect to the login, the API answers 401/403.

Permission bugs found are cells marked ``xfail(strict=True)`` in ``KNOWN_BUGS``: fixing the
bug makes the cell pass, which fails the strict xfail and asks for the mark to go.

The objects of both authorities are built once per module (inside a transaction rolled back
at the end); each test runs in its own savepoint, so a mutating cell does not affect the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import time
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from channels_app.models import Channel
from editorial.media import views as media_views
from editorial.media.selectors import media_public_url
from editorial.models import CalendarSlot
from editorial.models import CrisisDrill
from editorial.models import CrisisDrillStep
from editorial.models import EditorialPolicy
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import PostMedia
from editorial.models import PostTemplate
from editorial.models import PostVariant
from editorial.models import PublishingPause
from editorial.models import Recurrence
from editorial.models import Topic
from editorial.models import UnitDocument
from editorial.models import VariantMedia
from editorial.models import WeeklyFormat
from editorial.planning import views as planning_views
from editorial.planning.services import feed_token_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import build_org
from tests.conftest import build_people
from tests.editorial.factories import MediaAssetFactory
from tests.editorial.factories import png_bytes
from tests.factories import UserFactory
from tests.factories import totp_device_for
from tests.matrix import CREATE
from tests.matrix import LIST
from tests.matrix import NONE
from tests.matrix import OBJECT
from tests.matrix import Case
from tests.matrix import built_once
from tests.matrix import case_routes
from tests.matrix import cells
from tests.matrix import check_anonymous
from tests.matrix import check_cell
from tests.matrix import client_with
from tests.matrix import close
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.matrix import lean_requests  # noqa: F401
from tests.matrix import pk_of
from tests.matrix import rows_digest
from tests.matrix import send
from tests.matrix import session_of

E = "editor"
A = "approver"
CM = "community_manager"
CA = "channel_admin"
AU = "auditor"
SA = "system_admin"
ROLES = (E, A, CM, CA, AU, SA)
ALL = frozenset(ROLES)

FEATURES = (
    "posts",
    "publishing",
    "policy",
    "media",
    "planning",
    "crisis",
    "post_templates",
    "starters",
    "weekly_formats",
)
NAMESPACES = frozenset([*FEATURES, *(f"{f}_api" for f in FEATURES)])

# Token-authenticated (no session): tested on their own below.
TOKEN_VIEWS = {media_views.media_public_file_view, planning_views.feed}

# --- The objects of one authority -------------------------------------------------------------


@dataclass
class Side:
    """What one authority holds; each route takes the objects it needs."""

    unit: OrgUnit
    channel: Channel
    author: User
    post: Post  # in review, with one variant, repeating (a recurrence)
    variant: PostVariant
    asset: MediaAsset  # an image with subtitles, used by no post
    topic: Topic
    slot: CalendarSlot
    template: PostTemplate
    emergency_template: PostTemplate
    emergency_post: Post  # in review, waiting for the one emergency approval
    pause: PublishingPause  # active, on the unit
    missed_post: Post  # scheduled, due during the pause: missed
    document: UnitDocument  # the unit's social-media guideline
    drill: CrisisDrill  # running, on the unit; the author takes part
    drill_step: CrisisDrillStep  # its first step, not ticked
    weekly_format: WeeklyFormat  # running, nothing planned yet
    markers: tuple[str, ...] = ()  # names that must not appear to the other authority


@dataclass
class World:
    org: Org
    people: People
    own: Side
    other: Side
    sessions: dict[str, str] = field(default_factory=dict)

    def client(self, role: str, api: bool) -> Client:
        return client_with(None if role == "anonymous" else self.sessions[role], api)


def _post(unit: OrgUnit, channel: Channel, author: User, title: str, **fields: Any) -> Post:
    post = Post.objects.create(
        unit=unit,
        title=title,
        text=f"{title}: Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
        author=author,
        **fields,
    )
    PostVariant.objects.create(post=post, channel=channel)
    return post


def _side(unit: OrgUnit, channel: Channel, author: User, approver: User, prefix: str) -> Side:
    now = timezone.now()
    post = _post(
        unit, channel, author, f"{prefix}-Beitrag", status=Post.Status.IN_REVIEW,
        planned_at=now + timedelta(days=1),
    )  # fmt: skip
    recurrence = Recurrence.objects.create(
        frequency=Recurrence.Frequency.WEEKLY,
        origin=post,
        starts_at=post.planned_at,
        created_by=author,
    )
    Post.objects.filter(pk=post.pk).update(recurrence=recurrence)
    post.refresh_from_db()
    asset = MediaAssetFactory(
        unit=unit,
        original_name=f"{prefix.lower()}-foto.png",
        captions_file=ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n", "sub.vtt"),
    )
    topic = Topic.objects.create(unit=unit, name=f"{prefix}-Thema")
    slot = CalendarSlot.objects.create(
        unit=unit, title=f"{prefix}-Themenslot", day=(now + timedelta(days=2)).date(),
        created_by=author,
    )  # fmt: skip
    template = PostTemplate.objects.create(
        unit=unit, name=f"{prefix}-Vorlage", title="Sprechstunde", text="Heute Sprechstunde."
    )
    template.channels.set([channel])
    emergency_template = PostTemplate.objects.create(
        unit=unit,
        name=f"{prefix}-Warnvorlage",
        kind=PostTemplate.Kind.WARNING,
        title="Warnung",
        text="Achtung: Bereich meiden. Weitere Informationen folgen.",
        is_emergency=True,
    )
    emergency_template.channels.set([channel])
    emergency_post = _post(
        unit, channel, author, f"{prefix}-Eilmeldung", status=Post.Status.IN_REVIEW,
        planned_at=now, is_emergency=True, template=emergency_template,
    )  # fmt: skip
    policy = EditorialPolicy.objects.create(unit=unit)
    policy.emergency_approvers.add(approver)
    pause = PublishingPause.objects.create(
        unit=unit, reason=f"{prefix}-Pause", started_by=approver,
        started_at=now - timedelta(minutes=10),
    )  # fmt: skip
    missed_post = _post(
        unit, channel, author, f"{prefix}-Verpasst", status=Post.Status.SCHEDULED,
        planned_at=now - timedelta(minutes=5), approved_at=now - timedelta(hours=1),
        approved_hash="x",
    )  # fmt: skip
    missed_post.variants.update(
        status=PostVariant.Status.SCHEDULED, scheduled_at=missed_post.planned_at
    )
    document = UnitDocument.objects.create(
        unit=unit, kind=UnitDocument.Kind.GUIDELINE, title=f"{prefix}-Leitfaden", body="Text"
    )
    drill = CrisisDrill.objects.create(
        unit=unit, title=f"{prefix}-Krisenübung", started_by=approver
    )
    drill.participants.set([author])
    drill_step = CrisisDrillStep.objects.create(drill=drill, position=1, text="Lage bewerten")
    weekly_format = WeeklyFormat.objects.create(
        unit=unit, title=f"{prefix}-Wochenformat", weekday=0, time=time(9), created_by=author
    )
    markers = (
        weekly_format.title,
        document.title,
        drill.title,
        post.title,
        emergency_post.title,
        missed_post.title,
        asset.original_name,
        topic.name,
        slot.title,
        template.name,
        emergency_template.name,
        pause.reason,
        channel.name,
    )
    return Side(
        unit=unit,
        channel=channel,
        author=author,
        post=post,
        variant=post.variants.get(),
        asset=asset,
        topic=topic,
        slot=slot,
        template=template,
        emergency_template=emergency_template,
        emergency_post=emergency_post,
        pause=pause,
        missed_post=missed_post,
        document=document,
        drill=drill,
        drill_step=drill_step,
        weekly_format=weekly_format,
        markers=markers,
    )


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Both authorities with everything the routes need, built once for the module."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"))
    media.enable()
    try:
        with built_once(django_db_blocker):
            org = build_org()
            people = build_people(org)
            police_editor = UserFactory(
                email="editor@polizei.example", roles=[(org.police_press, Role.EDITOR)]
            )
            police_approver = UserFactory(
                email="approver@polizei.example", roles=[(org.police_press, Role.APPROVER)]
            )
            own = _side(org.press, org.press_channel, people.editor, people.approver, "Stadt")
            other = _side(
                org.police_press, org.police_channel, police_editor, police_approver, "Polizei"
            )
            built = World(org=org, people=people, own=own, other=other)
            for role in ROLES:
                user = getattr(people, role)
                totp_device_for(user)
                built.sessions[role] = session_of(user)
            yield built
    finally:
        media.disable()


# --- The matrix -------------------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    return SimpleUploadedFile("neu.png", png_bytes(), content_type="image/png")


IN_A_YEAR = (timezone.now() + timedelta(days=365)).date().isoformat()
IN_A_YEAR_API = f"{IN_A_YEAR}T09:00:00+01:00"

EDIT_OR_APPROVE = frozenset({E, A})
TALKERS = ALL - {AU}  # auditors read, everyone else may discuss a post
PAUSERS = frozenset({A, CA, SA})
# The crisis pages and the pauses API: whoever may pause, and editors, who send emergency posts.
CRISIS_PAGES = PAUSERS | {E}
TEMPLATE_EDIT_PAGE = frozenset({E, CA, SA})  # content (editors), emergency mark (admins)


def _document_address(side: Side) -> dict[str, Any]:
    return {"unit_id": side.unit.pk, "kind": side.document.kind}


def _post_actions(route: str, api: bool) -> list[Case]:
    actions = {
        "submit": (frozenset({E}), {}),
        "approve": (frozenset({A}), {}),
        "reject": (frozenset({A}), {"reason": "Bitte Quelle nennen."}),
        "withdraw": (EDIT_OR_APPROVE, {}),
        "reopen": (frozenset({E}), {}),
        "reschedule": (
            EDIT_OR_APPROVE,
            {"planned_at": IN_A_YEAR_API}
            if api
            else {"planned_date": IN_A_YEAR, "planned_time": "09:00"},
        ),
    }
    if not api:
        actions["retry_failed"] = (EDIT_OR_APPROVE, {})
    return [
        Case(
            route,
            "post",
            allowed,
            kwargs=lambda s, action=action: {"pk": s.post.pk, "action": action},
            body=lambda s, w, data=data: dict(data),
            variant=action,
        )
        for action, (allowed, data) in actions.items()
    ]


CASES: list[Case] = [
    # --- posts: pages
    Case("posts:list", "get", ALL, kind=LIST),
    Case("posts:create", "get", frozenset({E}), kind=LIST),
    Case(
        "posts:create",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {
            "unit": s.unit.pk,
            "title": "Neu",
            "text": "Neu",
            "channels": [s.channel.pk],
            "planned_date": IN_A_YEAR,
            "planned_time": "09:00",
        },
    ),
    Case(
        "posts:preview",
        "post",
        ALL,
        kind=LIST,
        body=lambda s, w: {"unit": s.unit.pk, "text": "Hallo", "channels": [s.channel.pk]},
        note="a read: counts and problems for unsaved input",
    ),
    Case("posts:detail", "get", ALL, kwargs=pk_of("post")),
    Case("posts:edit", "get", frozenset({E}), kwargs=pk_of("post")),
    Case("posts:edit", "post", frozenset({E}), kwargs=pk_of("post"), body=lambda s, w: {}),
    Case(
        "posts:comment",
        "post",
        TALKERS,
        kwargs=pk_of("post"),
        body=lambda s, w: {"text": "Bitte noch einmal lesen."},
    ),
    Case("posts:delete", "get", EDIT_OR_APPROVE, kwargs=pk_of("post")),
    Case("posts:delete", "post", EDIT_OR_APPROVE, kwargs=pk_of("post"), body=lambda s, w: {}),
    Case(
        "posts:variant_edit",
        "get",
        frozenset({E}),
        kwargs=lambda s: {"pk": s.post.pk, "variant_pk": s.variant.pk},
    ),
    Case(
        "posts:variant_edit",
        "post",
        frozenset({E}),
        kwargs=lambda s: {"pk": s.post.pk, "variant_pk": s.variant.pk},
        body=lambda s, w: {"text_override": "Eigener Text"},
    ),
    Case(
        "posts:variant_preview",
        "post",
        frozenset({E}),
        kwargs=lambda s: {"pk": s.post.pk, "variant_pk": s.variant.pk},
        body=lambda s, w: {"text_override": "Eigener Text"},
        note="a read: the channel version's live check",
    ),
    *_post_actions("posts:action", api=False),
    Case("posts:approval_queue", "get", frozenset({A}), kind=LIST),
    # --- posts: API
    Case("posts_api:list", "get", ALL, kind=LIST),
    Case(
        "posts_api:list",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "channels": [s.channel.pk]},
    ),
    Case("posts_api:drafting_channels", "get", ALL, kind=LIST),
    Case("posts_api:detail", "get", ALL, kwargs=pk_of("post")),
    Case(
        "posts_api:detail",
        "patch",
        frozenset({E}),
        kwargs=pk_of("post"),
        body=lambda s, w: {"title": "Neuer Titel"},
    ),
    Case("posts_api:problems", "get", ALL, kwargs=pk_of("post")),
    Case("posts_api:preview", "get", ALL, kwargs=pk_of("post")),
    Case("posts_api:comments", "get", ALL, kwargs=pk_of("post")),
    Case(
        "posts_api:comments",
        "post",
        TALKERS,
        kwargs=pk_of("post"),
        body=lambda s, w: {"text": "Bitte noch einmal lesen."},
    ),
    Case(
        "posts_api:variant_detail",
        "patch",
        frozenset({E}),
        kwargs=lambda s: {"pk": s.post.pk, "variant_pk": s.variant.pk},
        body=lambda s, w: {"text_override": "Eigener Text"},
    ),
    *_post_actions("posts_api:action", api=True),
    Case(
        "posts_api:approval_queue",
        "get",
        ALL,
        kind=LIST,
        note="the page is for approvers only (403); the API answers others an empty list",
    ),
    # --- publishing
    Case("publishing:operations", "get", frozenset({SA}), kind=LIST),
    # --- policy
    Case("policy:edit", "get", frozenset({SA}), kwargs=lambda s: {"pk": s.unit.pk}),
    Case(
        "policy:edit",
        "post",
        frozenset({SA}),
        kwargs=lambda s: {"pk": s.unit.pk},
        body=lambda s, w: {},
    ),
    # --- media: pages
    Case("media:list", "get", ALL, kind=LIST),
    Case("media:upload", "get", frozenset({E, CA}), kind=LIST),
    Case(
        "media:upload",
        "post",
        frozenset({E, CA}),
        kind=CREATE,
        body=lambda s, w: {
            "unit": s.unit.pk,
            "file": _png(),
            "alt_text": "Ein Bild.",
            "license": MediaAsset.License.OWN,
        },
    ),
    Case("media:detail", "get", ALL, kwargs=pk_of("asset")),
    Case("media:detail", "post", frozenset({E, CA}), kwargs=pk_of("asset"), body=lambda s, w: {}),
    Case("media:delete", "post", frozenset({E, CA}), kwargs=pk_of("asset"), body=lambda s, w: {}),
    Case("media:file", "get", ALL, kwargs=pk_of("asset")),
    Case("media:thumbnail", "get", ALL, kwargs=pk_of("asset")),
    Case("media:captions", "get", ALL, kwargs=pk_of("asset")),
    # --- media: API
    Case("media_api:list", "get", ALL, kind=LIST),
    Case(
        "media_api:list",
        "post",
        frozenset({E, CA}),
        kind=CREATE,
        multipart=True,
        body=lambda s, w: {"unit": s.unit.pk, "file": _png(), "alt_text": "Ein Bild."},
    ),
    Case("media_api:detail", "get", ALL, kwargs=pk_of("asset")),
    Case(
        "media_api:detail",
        "patch",
        frozenset({E, CA}),
        kwargs=pk_of("asset"),
        body=lambda s, w: {"alt_text": "Neu beschrieben."},
    ),
    Case("media_api:detail", "delete", frozenset({E, CA}), kwargs=pk_of("asset")),
    # --- planning: pages
    Case("planning:index", "get", ALL, kind=LIST, query="?view=list"),
    Case("planning:post_move", "get", EDIT_OR_APPROVE, kwargs=pk_of("post")),
    Case(
        "planning:post_move",
        "post",
        EDIT_OR_APPROVE,
        kwargs=pk_of("post"),
        body=lambda s, w: {"date": IN_A_YEAR, "time": "10:00"},
    ),
    Case("planning:slot_create", "get", frozenset({E}), kind=LIST),
    Case(
        "planning:slot_create",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neuer Slot", "day": IN_A_YEAR},
    ),
    Case("planning:slot_edit", "get", frozenset({E}), kwargs=pk_of("slot")),
    Case("planning:slot_edit", "post", frozenset({E}), kwargs=pk_of("slot"), body=lambda s, w: {}),
    Case("planning:slot_delete", "get", frozenset({E}), kwargs=pk_of("slot")),
    Case(
        "planning:slot_delete", "post", frozenset({E}), kwargs=pk_of("slot"), body=lambda s, w: {}
    ),
    Case("planning:slot_write", "get", frozenset({E}), kwargs=pk_of("slot")),
    Case("planning:slot_write", "post", frozenset({E}), kwargs=pk_of("slot"), body=lambda s, w: {}),
    Case("planning:feed_create", "post", ALL, kind=NONE, body=lambda s, w: {}),
    Case("planning:feed_revoke", "post", ALL, kind=NONE, body=lambda s, w: {}),
    # --- planning: API
    Case(
        "planning_api:calendar",
        "get",
        ALL,
        kind=LIST,
        query="?start={today}&end={in_a_week}",
    ),
    Case("planning_api:slot-list", "get", ALL, kind=LIST),
    Case(
        "planning_api:slot-list",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neuer Slot", "day": IN_A_YEAR},
    ),
    Case("planning_api:slot-detail", "get", ALL, kwargs=pk_of("slot")),
    Case(
        "planning_api:slot-detail",
        "patch",
        frozenset({E}),
        kwargs=pk_of("slot"),
        body=lambda s, w: {"title": "Anderer Slot"},
    ),
    Case("planning_api:slot-detail", "delete", frozenset({E}), kwargs=pk_of("slot")),
    # --- weekly formats: pages and API (editors keep their units' formats)
    Case("weekly_formats:list", "get", frozenset({E}), kind=LIST),
    Case("weekly_formats:create", "get", frozenset({E}), kind=LIST),
    Case(
        "weekly_formats:create",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "weekday": "2", "time": "11:00"},
    ),
    Case("weekly_formats:edit", "get", frozenset({E}), kwargs=pk_of("weekly_format")),
    Case(
        "weekly_formats:edit",
        "post",
        frozenset({E}),
        kwargs=pk_of("weekly_format"),
        body=lambda s, w: {"unit": s.unit.pk, "title": "Anders", "weekday": "1", "time": "10:00"},
    ),
    Case(
        "weekly_formats:pause",
        "post",
        frozenset({E}),
        kwargs=pk_of("weekly_format"),
        body=lambda s, w: {},
    ),
    Case(
        "weekly_formats:resume",
        "post",
        frozenset({E}),
        kwargs=pk_of("weekly_format"),
        body=lambda s, w: {},
    ),
    Case("weekly_formats:delete", "get", frozenset({E}), kwargs=pk_of("weekly_format")),
    Case(
        "weekly_formats:delete",
        "post",
        frozenset({E}),
        kwargs=pk_of("weekly_format"),
        body=lambda s, w: {},
    ),
    Case("weekly_formats_api:list", "get", frozenset({E}), kind=LIST),
    Case(
        "weekly_formats_api:list",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "title": "Neu", "weekday": 2, "time": "11:00"},
    ),
    Case("weekly_formats_api:detail", "get", frozenset({E}), kwargs=pk_of("weekly_format")),
    Case(
        "weekly_formats_api:detail",
        "patch",
        frozenset({E}),
        kwargs=pk_of("weekly_format"),
        body=lambda s, w: {"paused": True},
    ),
    Case("weekly_formats_api:detail", "delete", frozenset({E}), kwargs=pk_of("weekly_format")),
    # --- crisis: pages
    Case("crisis:list", "get", CRISIS_PAGES, kind=LIST),
    Case("crisis:new", "get", PAUSERS, kind=LIST),
    Case(
        "crisis:new",
        "post",
        PAUSERS,
        kind=CREATE,
        body=lambda s, w: {"scope": f"channel:{s.channel.pk}", "reason": "Amoklage"},
    ),
    Case("crisis:resume", "post", PAUSERS, kwargs=pk_of("pause"), body=lambda s, w: {}),
    Case("crisis:missed", "get", CRISIS_PAGES, kwargs=pk_of("pause")),
    Case(
        "crisis:missed_reschedule",
        "post",
        EDIT_OR_APPROVE,
        kwargs=lambda s: {"pk": s.pause.pk, "post_pk": s.missed_post.pk},
        body=lambda s, w: {
            f"r{s.missed_post.pk}-planned_date": IN_A_YEAR,
            f"r{s.missed_post.pk}-planned_time": "09:00",
        },
    ),
    Case(
        "crisis:missed_discard",
        "post",
        EDIT_OR_APPROVE,
        kwargs=lambda s: {"pk": s.pause.pk, "post_pk": s.missed_post.pk},
        body=lambda s, w: {f"d{s.missed_post.pk}-reason": "Nicht mehr aktuell."},
    ),
    Case("crisis:emergency", "get", CRISIS_PAGES, kind=LIST),
    Case(
        "crisis:emergency",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"template": s.emergency_template.pk, "channels": [s.channel.pk]},
    ),
    Case(
        "crisis:emergency_approve",
        "get",
        CRISIS_PAGES,
        kwargs=lambda s: {"post_pk": s.emergency_post.pk},
    ),
    Case(
        "crisis:emergency_approve",
        "post",
        frozenset({A}),
        kwargs=lambda s: {"post_pk": s.emergency_post.pk},
        body=lambda s, w: {},
        note="the approver is the unit's designated emergency approver",
    ),
    # --- crisis: drills (system admins start and end them; participants tick the steps)
    Case("crisis:drills", "get", ALL, kind=LIST),
    Case(
        "crisis:drills",
        "post",
        frozenset({SA}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "participants": [s.author.pk], "title": "Übung"},
    ),
    Case("crisis:drill", "get", frozenset({SA, E}), kwargs=pk_of("drill")),
    Case(
        "crisis:drill_step_done",
        "post",
        frozenset({SA, E}),
        kwargs=lambda s: {"pk": s.drill.pk, "step_pk": s.drill_step.pk},
        body=lambda s, w: {},
    ),
    Case("crisis:drill_end", "post", frozenset({SA}), kwargs=pk_of("drill"), body=lambda s, w: {}),
    Case("crisis_api:drill-list", "get", ALL, kind=LIST),
    Case(
        "crisis_api:drill-list",
        "post",
        frozenset({SA}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "participants": [s.author.pk], "title": "Übung"},
    ),
    Case("crisis_api:drill-detail", "get", frozenset({SA, E}), kwargs=pk_of("drill")),
    Case(
        "crisis_api:drill-step-done",
        "post",
        frozenset({SA, E}),
        kwargs=lambda s: {"pk": s.drill.pk, "step_pk": s.drill_step.pk},
    ),
    Case("crisis_api:drill-end", "post", frozenset({SA}), kwargs=pk_of("drill")),
    # --- crisis: API
    Case("crisis_api:pause-list", "get", CRISIS_PAGES, kind=LIST),
    Case(
        "crisis_api:pause-list",
        "post",
        PAUSERS,
        kind=CREATE,
        body=lambda s, w: {"channel": s.channel.pk, "reason": "Amoklage"},
    ),
    Case("crisis_api:pause-detail", "get", CRISIS_PAGES, kwargs=pk_of("pause")),
    Case("crisis_api:pause-resume", "post", PAUSERS, kwargs=pk_of("pause")),
    Case("crisis_api:pause-missed", "get", CRISIS_PAGES, kwargs=pk_of("pause")),
    Case(
        "crisis_api:pause-missed-reschedule",
        "post",
        EDIT_OR_APPROVE,
        kwargs=lambda s: {"pk": s.pause.pk, "post_pk": s.missed_post.pk},
        body=lambda s, w: {"planned_at": IN_A_YEAR_API},
    ),
    Case(
        "crisis_api:pause-missed-discard",
        "post",
        EDIT_OR_APPROVE,
        kwargs=lambda s: {"pk": s.pause.pk, "post_pk": s.missed_post.pk},
        body=lambda s, w: {"reason": "Nicht mehr aktuell."},
    ),
    Case(
        "crisis_api:emergency-create",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"template": s.emergency_template.pk, "channels": [s.channel.pk]},
        refused=ALL - {E},
    ),
    Case(
        "crisis_api:emergency-approve",
        "post",
        frozenset({A}),
        kwargs=pk_of("emergency_post"),
    ),
    # --- post templates: pages
    Case("post_templates:list", "get", ALL, kind=LIST),
    Case("post_templates:create", "get", frozenset({E}), kind=LIST),
    Case(
        "post_templates:create",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {
            "unit": s.unit.pk,
            "name": "Neue Vorlage",
            "kind": PostTemplate.Kind.OTHER,
            "title": "Neu",
            "text": "Neu",
        },
    ),
    Case("post_templates:edit", "get", TEMPLATE_EDIT_PAGE, kwargs=pk_of("template")),
    Case(
        "post_templates:edit",
        "post",
        TEMPLATE_EDIT_PAGE,
        kwargs=pk_of("template"),
        body=lambda s, w: {},
    ),
    Case("post_templates:delete", "get", frozenset({E}), kwargs=pk_of("template")),
    Case(
        "post_templates:delete",
        "post",
        frozenset({E}),
        kwargs=pk_of("template"),
        body=lambda s, w: {},
    ),
    Case("post_templates:use", "get", frozenset({E}), kwargs=pk_of("template")),
    Case(
        "post_templates:use", "post", frozenset({E}), kwargs=pk_of("template"), body=lambda s, w: {}
    ),
    Case("post_templates:recurrence", "get", ALL, kwargs=lambda s: {"post_id": s.post.pk}),
    Case(
        "post_templates:recurrence",
        "post",
        frozenset({E}),
        kwargs=lambda s: {"post_id": s.post.pk},
        body=lambda s, w: {},
        variant="make",
    ),
    Case(
        "post_templates:recurrence",
        "post",
        EDIT_OR_APPROVE,
        kwargs=lambda s: {"post_id": s.post.pk},
        body=lambda s, w: {"action": "stop"},
        variant="stop",
    ),
    # --- post templates: API
    Case("post_templates_api:list", "get", ALL, kind=LIST),
    Case(
        "post_templates_api:list",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "name": "Neu", "title": "Neu", "text": "Neu"},
    ),
    Case("post_templates_api:detail", "get", ALL, kwargs=pk_of("template")),
    Case(
        "post_templates_api:detail",
        "patch",
        frozenset({E}),
        kwargs=pk_of("template"),
        body=lambda s, w: {"name": "Umbenannt"},
        variant="content",
    ),
    Case(
        "post_templates_api:detail",
        "patch",
        frozenset({CA, SA}),
        kwargs=pk_of("template"),
        body=lambda s, w: {"is_emergency": True},
        variant="emergency mark",
    ),
    Case("post_templates_api:detail", "delete", frozenset({E}), kwargs=pk_of("template")),
    Case(
        "post_templates_api:use",
        "post",
        frozenset({E}),
        kwargs=pk_of("template"),
        body=lambda s, w: {},
    ),
    Case("post_templates_api:recurrence", "get", ALL, kwargs=pk_of("post")),
    Case(
        "post_templates_api:recurrence",
        "post",
        frozenset({E}),
        kwargs=pk_of("post"),
        body=lambda s, w: {"frequency": Recurrence.Frequency.DAILY},
    ),
    Case("post_templates_api:recurrence", "delete", EDIT_OR_APPROVE, kwargs=pk_of("post")),
    # --- starters: pages
    Case("starters:index", "get", ALL, kind=LIST),
    Case("starters:unit", "get", ALL, kwargs=lambda s: {"unit_id": s.unit.pk}),
    Case(
        "starters:adopt_emergency_templates",
        "post",
        frozenset({CA, SA}),
        kwargs=lambda s: {"unit_id": s.unit.pk},
        body=lambda s, w: {},
    ),
    Case(
        "starters:adopt_rhythm",
        "post",
        frozenset({E}),
        kwargs=lambda s: {"unit_id": s.unit.pk},
        body=lambda s, w: {"start": IN_A_YEAR, "weeks": 1},
    ),
    Case("starters:document", "get", ALL, kwargs=_document_address),
    Case(
        "starters:adopt_document",
        "post",
        frozenset({SA}),
        kwargs=lambda s: {"unit_id": s.unit.pk, "kind": UnitDocument.Kind.CRISIS_CHECKLIST},
        body=lambda s, w: {},
    ),
    Case("starters:document_edit", "get", frozenset({SA}), kwargs=_document_address),
    Case(
        "starters:document_edit",
        "post",
        frozenset({SA}),
        kwargs=_document_address,
        body=lambda s, w: {},
    ),
    # --- starters: API
    Case("starters_api:document_list", "get", ALL, kind=LIST),
    Case("starters_api:document_detail", "get", ALL, kwargs=pk_of("document")),
    Case(
        "starters_api:document_detail",
        "patch",
        frozenset({SA}),
        kwargs=pk_of("document"),
        body=lambda s, w: {"title": "Unser Leitfaden"},
    ),
    Case(
        "starters_api:adopt",
        "post",
        frozenset({SA}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "starter": UnitDocument.Kind.CRISIS_CHECKLIST},
        variant="document",
    ),
    Case(
        "starters_api:adopt",
        "post",
        frozenset({CA, SA}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "starter": "emergency_templates"},
        variant="emergency templates",
    ),
    Case(
        "starters_api:adopt",
        "post",
        frozenset({E}),
        kind=CREATE,
        body=lambda s, w: {"unit": s.unit.pk, "starter": "rhythm", "start": IN_A_YEAR, "weeks": 1},
        variant="rhythm",
    ),
]

# Cells where the code lets through what it should not, marked strict xfail until fixed:
# (case label, role, "own"|"other") -> reason. None open; the first run found three, now
# fixed: the operations page listed other authorities' posts, the posts API took another
# authority's topic, and GET on a missed post's action addresses answered 500.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


# --- Running one cell -------------------------------------------------------------------------


# Every editorial table with an id column (the through tables of many-to-many fields among
# them) and the audit trail, as the moderation and analytics matrices measure theirs.
TABLES = sorted(
    {
        model._meta.db_table
        for model in apps.get_app_config("editorial").get_models(include_auto_created=True)
        if model._meta.pk is not None and model._meta.pk.column == "id"
    }
    | {AuditEntry._meta.db_table}
)


def _state() -> tuple[Any, ...]:
    """What a denied or refused write must leave alone: every row of every editorial table
    and of the audit trail (nothing created, deleted or changed), in one query."""
    return rows_digest(TABLES)


@pytest.fixture(scope="module")
def start(world: World, django_db_blocker: Any) -> tuple[Any, ...]:
    """The ``_state()`` every test begins with (each in a savepoint of the module's objects):
    measured once instead of before each write cell."""
    with django_db_blocker.unblock():
        return _state()


def test_the_state_every_test_begins_with_is_the_modules(start: tuple[Any, ...]) -> None:
    assert _state() == start


@pytest.mark.parametrize(("case", "role", "scope"), list(cells(CASES, ROLES, KNOWN_BUGS)))
def test_permission_matrix(
    case: Case, role: str, scope: str, world: World, start: tuple[Any, ...]
) -> None:
    check_cell(case, role, scope, world, _state, start=start)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_anonymous(case: Case, world: World) -> None:
    check_anonymous(case, world, _state)


# --- The leak check is not vacuous: the own side's objects do show ---------------------------

SHOWN = [
    ("posts:list GET", E, lambda s: s.post.title),
    ("posts:approval_queue GET", A, lambda s: s.post.title),
    ("posts_api:list GET", AU, lambda s: s.post.title),
    ("publishing:operations GET", SA, lambda s: s.missed_post.title),
    ("media:list GET", CM, lambda s: s.asset.original_name),
    ("media_api:list GET", AU, lambda s: s.asset.original_name),
    ("planning_api:slot-list GET", CM, lambda s: s.slot.title),
    ("crisis:list GET", CA, lambda s: s.pause.reason),
    ("crisis:emergency GET", E, lambda s: s.emergency_template.name),
    ("post_templates:list GET", AU, lambda s: s.template.name),
    ("post_templates_api:list GET", CM, lambda s: s.template.name),
    ("posts:create GET", E, lambda s: s.channel.name),
    ("starters:index GET", AU, lambda s: s.unit.name),
    ("starters_api:document_list GET", CM, lambda s: s.document.title),
    ("weekly_formats:list GET", E, lambda s: s.weekly_format.title),
    ("weekly_formats_api:list GET", E, lambda s: s.weekly_format.title),
]


@pytest.mark.parametrize(("label", "role", "marker"), SHOWN, ids=[f"{x[0]}-{x[1]}" for x in SHOWN])
def test_lists_show_the_own_objects(
    label: str, role: str, marker: Callable[[Side], str], world: World
) -> None:
    (case,) = [c for c in CASES if c.label == label]
    status, body, _location = send(case, world.client(role, case.api), world.own, world)
    assert status == 200
    assert marker(world.own) in body


# --- Writes on the own side that name another authority's object in the body ------------------


def _cross_links(world: World) -> dict[str, int]:
    """References from the own side's objects to the other authority's."""
    own, other = world.own.unit, world.other.unit
    return {
        "post topic": Post.objects.filter(unit=own, topic__unit=other).count(),
        "post media": PostMedia.objects.filter(post__unit=own, asset__unit=other).count(),
        "variant media": VariantMedia.objects.filter(
            variant__post__unit=own, asset__unit=other
        ).count(),
        "post channel": PostVariant.objects.filter(post__unit=own, channel__unit=other).count(),
        "slot topic": CalendarSlot.objects.filter(unit=own, topic__unit=other).count(),
        "slot channel": CalendarSlot.channels.through.objects.filter(
            calendarslot__unit=own, channel__unit=other
        ).count(),
        "template channel": PostTemplate.channels.through.objects.filter(
            posttemplate__unit=own, channel__unit=other
        ).count(),
    }


@dataclass(frozen=True)
class CrossCase:
    name: str
    route: str
    method: str
    kwargs: Callable[[Side], dict[str, Any]]
    body: Callable[[Side, Side], dict[str, Any]]  # (own, other)
    role: str = E


CROSS = [
    CrossCase(
        "post create with their topic",
        "posts_api:list",
        "post",
        lambda s: {},
        lambda o, x: {"unit": o.unit.pk, "title": "Neu", "topic": x.topic.pk},
    ),
    CrossCase(
        "post edit to their topic",
        "posts_api:detail",
        "patch",
        pk_of("post"),
        lambda o, x: {"topic": x.topic.pk},
    ),
    CrossCase(
        "post edit with their media",
        "posts_api:detail",
        "patch",
        pk_of("post"),
        lambda o, x: {"media": [x.asset.pk]},
    ),
    CrossCase(
        "post edit to their channel",
        "posts_api:detail",
        "patch",
        pk_of("post"),
        lambda o, x: {"channels": [x.channel.pk]},
    ),
    CrossCase(
        "channel text with their media",
        "posts_api:variant_detail",
        "patch",
        lambda s: {"pk": s.post.pk, "variant_pk": s.variant.pk},
        lambda o, x: {"text_override": "Eigener Text", "media": [x.asset.pk]},
    ),
    CrossCase(
        "post page with their topic",
        "posts:edit",
        "post",
        pk_of("post"),
        lambda o, x: {"title": "Neu", "text": "Neu", "topic": x.topic.pk},
    ),
    CrossCase(
        "slot create with their topic",
        "planning_api:slot-list",
        "post",
        lambda s: {},
        lambda o, x: {"unit": o.unit.pk, "title": "Slot", "day": IN_A_YEAR, "topic": x.topic.pk},
    ),
    CrossCase(
        "slot edit to their channel",
        "planning_api:slot-detail",
        "patch",
        pk_of("slot"),
        lambda o, x: {"channels": [x.channel.pk]},
    ),
    CrossCase(
        "template edit to their channel",
        "post_templates_api:detail",
        "patch",
        pk_of("template"),
        lambda o, x: {"channels": [x.channel.pk]},
    ),
    CrossCase(
        "emergency post on their channel",
        "crisis_api:emergency-create",
        "post",
        lambda s: {},
        lambda o, x: {"template": o.emergency_template.pk, "channels": [x.channel.pk]},
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


# --- Completeness: every route has its rows ---------------------------------------------------


def test_every_editorial_route_has_a_row() -> None:
    found, skipped = case_routes(NAMESPACES, TOKEN_VIEWS)
    listed = {case.key for case in CASES}
    assert sorted(found - listed) == [], "routes without a row in CASES"
    assert sorted(listed - found) == [], "rows in CASES without a route"
    # The public media link, the iCal feed and its old address: tested below.
    assert sorted(skipped) == ["media:public_file", "planning:None", "planning:feed"]
    assert {c.kind for c in CASES} <= {OBJECT, LIST, CREATE, NONE}
    assert len({(c.key, c.variant) for c in CASES}) == len(CASES), "duplicate rows"
    assert not [k for k in KNOWN_BUGS if k[0] not in {c.label for c in CASES}]


# --- The token-authenticated routes -----------------------------------------------------------


def test_public_media_link_answers_only_a_valid_signature(world: World) -> None:
    client = Client()
    url = media_public_url(world.own.asset, "mastodon").removeprefix(settings.SITE_URL)
    response = client.get(url)
    assert response.status_code == 200
    close(response)
    token = url.strip("/").split("/")[-1]
    for wrong in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x" * 40):
        response = client.get(reverse("media:public_file", args=[wrong]))
        assert response.status_code == 404
        close(response)
    # A session is no substitute for the signature.
    response = world.client(E, api=False).get(reverse("media:public_file", args=["x" * 40]))
    assert response.status_code == 404


def test_ical_feed_answers_only_its_secret(world: World) -> None:
    created = feed_token_create(user=world.people.editor)
    client = Client()
    good = client.get(reverse("planning:feed", kwargs={"token": created.secret}))
    assert good.status_code == 200
    assert world.own.post.title in good.content.decode()
    assert not [m for m in world.other.markers if m in good.content.decode()]
    wrong = hashlib.sha256(b"guess").hexdigest()[:40]
    assert client.get(reverse("planning:feed", kwargs={"token": wrong})).status_code == 404
    assert client.get(f"/editorial/calendar/feed/{wrong}.ics").status_code == 404
    old = client.get(f"/editorial/calendar/feed/{created.secret}.ics")
    assert old.status_code == 200
