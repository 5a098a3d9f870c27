"""No input gives a 500 (issue 16).

The probe's cases, each with the answer it gets now, and a walk over every URL pattern of the
project sending malformed input (NUL in the query, ``²`` for every known whole-number
parameter, a JSON array body, 100 kB strings) as an editor, a community manager and a system
admin, with existing objects in the addresses (editorial and moderation): no answer may be
a 5xx.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.models import AuditEntry
from accounts.models import User
from accounts.services import api_token_create
from editorial.crisis.services import pause_start
from editorial.models import Post
from editorial.planning.services import slot_create
from editorial.post_templates.services import post_template_create
from editorial.posts.services import post_create
from editorial.weekly_formats.services import weekly_format_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import build_org
from tests.conftest import build_people
from tests.conftest import login
from tests.editorial.factories import MediaAssetFactory
from tests.matrix import built_once
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's)
from tests.moderation.world import build_side
from tests.world import fresh

MALFORMED_DE = "Die Anfrage enthält unzulässige Zeichen (ein NUL-Byte oder ungültiges Unicode)."
NOT_AN_OBJECT_DE = "Der Inhalt der Anfrage muss ein JSON-Objekt sein."


@dataclass
class World:
    org: Org
    people: People
    post: Post
    ids: dict[str, int]  # path segment before an id → an existing object's id


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module (~1 s each for 28 tests before); every test runs in a
    savepoint of its transaction (``tests.matrix.db``)."""
    with built_once(django_db_blocker):
        org = build_org()
        yield _build_world(org, build_people(org))


# Read within each test's savepoint: ``db`` is autouse, so it comes first.
@pytest.fixture
def org(world: World) -> Org:
    return fresh(world.org)


@pytest.fixture
def people(world: World) -> People:
    return fresh(world.people)


def _build_world(org: Org, people: People) -> World:
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Bürgerbüro",
        text="Das Bürgerbüro hat am Freitag bis 18 Uhr geöffnet.",
        channels=[org.press_channel],
        planned_at=timezone.now() + timedelta(days=1),
    )
    asset = MediaAssetFactory(unit=org.press)
    template = post_template_create(
        actor=people.editor,
        unit=org.press,
        name="Sperrung",
        kind="road_closure",
        title="Sperrung {ort}",
        text="Die {ort} ist gesperrt.",
        channels=[org.press_channel],
    )
    slot = slot_create(actor=people.editor, unit=org.press, title="Slot", day=timezone.localdate())
    weekly_format = weekly_format_create(
        actor=people.editor, unit=org.press, title="Wochenformat", weekday=0, time=time(9)
    )
    pause = pause_start(actor=people.approver, reason="Übung", unit=org.press)
    moderation = build_side(
        org.press, org.social, org.press_channel, people.community_manager, "Stadt"
    )
    api_token_create(user=people.editor, name="path")
    token = ApiToken.objects.filter(user=people.editor).first()
    entry = AuditEntry.objects.order_by("sequence").first()
    assert token is not None and entry is not None
    return World(
        org=org,
        people=people,
        post=post,
        ids={
            "posts": post.pk,
            "variants": post.variants.get().pk,
            "missed": post.pk,
            "emergency": post.pk,
            "emergency-posts": post.pk,
            "recurrence": post.pk,
            "media": asset.pk,
            "channels": org.press_channel.pk,
            "units": org.press.pk,
            "policy": org.press.pk,
            "users": people.editor.pk,
            "tokens": token.pk,
            "audit-entries": entry.sequence,
            "slots": slot.pk,
            "weekly-formats": weekly_format.pk,
            "crisis": pause.pk,
            "pauses": pause.pk,
            "post-templates": template.pk,
            # moderation: pages and API
            "inbox": moderation.item.pk,
            "inbox-items": moderation.item.pk,
            "items": moderation.item.pk,
            "replies": moderation.reply_failed.pk,
            "saved": moderation.saved_reply.pk,
            "saved-replies": moderation.saved_reply.pk,
            "actions": moderation.action.pk,
            "moderation-actions": moderation.action.pk,
            "evidence": moderation.record.pk,
            "evidence-records": moderation.record.pk,
            "netiquette": moderation.netiquette.pk,
            "netiquettes": moderation.draft.pk,
            "blocks": moderation.block.pk,
            "appeals": moderation.appeal.pk,
            "block-appeals": moderation.appeal.pk,
            "flags": moderation.flag.pk,
            "alerts": moderation.alert.pk,
            "keyword-alerts": moderation.alert.pk,
            "lexicon": moderation.entry.pk,
            "lexicon-entries": moderation.entry.pk,
            "requests": moderation.subject_request.pk,
            "data-subject-requests": moderation.subject_request.pk,
            "ingestion": moderation.cursor.pk,
            "ingestion-streams": moderation.cursor.pk,
            "moderation-settings": org.press.pk,
        },
    )


def _json(response: Any) -> Any:
    return json.loads(response.content)


# --- the probe's cases -------------------------------------------------------------------

API = "api"  # a token client
PAGE = "page"  # a signed-in browser

# (who, method, address ({post}, {channel} filled in), body, content type, status, code)
# code: the API's error code, "page" for the 400 page with the reason, None: no error.
PROBE: list[tuple[str, str, str, Any, str | None, int, str | None]] = [
    # NUL in fields that bypassed the serializers, and in query filters
    (
        API,
        "post",
        "/api/v1/posts/{post}/comments/",
        {"text": "vor\u0000nach"},
        "json",
        400,
        "invalid",
    ),
    (API, "post", "/api/v1/posts/{post}/approve/", {"comment": "a\u0000"}, "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/reject/", {"reason": "a\u0000"}, "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/withdraw/", {"reason": "a\u0000"}, "json", 400, "invalid"),
    (API, "get", "/api/v1/media/?q=a%00b", None, None, 400, "invalid"),
    (API, "get", "/api/v1/posts/?status=a%00b", None, None, 400, "invalid"),
    (API, "get", "/api/v1/audit-entries/?action=a%00b", None, None, 400, "invalid"),
    # non-ASCII digits: ignored on pages (as any unknown id), refused on the API
    (PAGE, "post", "/editorial/posts/preview/", {"unit": "²"}, None, 200, None),
    (PAGE, "post", "/editorial/posts/preview/", {"unit": "abc"}, None, 200, None),
    (
        PAGE,
        "post",
        "/editorial/posts/preview/",
        {"unit": "{unit}", "channels": "²"},
        None,
        200,
        None,
    ),
    (PAGE, "post", "/editorial/posts/preview/", {"unit": "{unit}", "media": "²"}, None, 200, None),
    (API, "get", "/api/v1/media/?unit=²", None, None, 400, "invalid"),
    (API, "get", "/api/v1/audit-entries/?unit=²", None, None, 400, "invalid"),
    (API, "get", "/api/v1/audit-entries/?actor=²", None, None, 400, "invalid"),
    (PAGE, "post", "/accounts/notifications/", {"notification": "²"}, None, 302, None),
    # a JSON array where an object belongs, and a list where a text belongs
    (API, "post", "/api/v1/posts/{post}/comments/", ["a"], "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/approve/", ["a"], "json", 400, "invalid"),
    (API, "put", "/api/v1/channels/{channel}/credentials/", ["a"], "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/comments/", {"text": ["a", "b"]}, "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/approve/", {"comment": ["a"]}, "json", 400, "invalid"),
    (API, "post", "/api/v1/posts/{post}/reject/", {"reason": ["a"]}, "json", 400, "invalid"),
]


def _fill(value: Any, org: Org, world: World) -> Any:
    if isinstance(value, str):
        return value.format(post=world.post.pk, channel=org.press_channel.pk, unit=org.press.pk)
    if isinstance(value, dict):
        return {k: _fill(v, org, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("who", "method", "address", "body", "format", "status", "code"),
    PROBE,
    ids=[f"{case[1]} {case[2]} {json.dumps(case[3], ensure_ascii=False)}" for case in PROBE],
)
def test_probe_case(
    who: str,
    method: str,
    address: str,
    body: Any,
    format: str | None,
    status: int,
    code: str | None,
    org: Org,
    people: People,
    world: World,
    client_for: Any,
    api_client_for: Any,
) -> None:
    user = people.editor
    if "credentials" in address:
        user = people.channel_admin
    elif "audit-entries" in address:
        user = people.auditor
    client = api_client_for(user) if who == API else client_for(user)
    kwargs: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "de"}
    if body is not None:
        kwargs["data"] = _fill(body, org, world)
    if format == "json":
        kwargs["format" if who == API else "content_type"] = format
    response = getattr(client, method)(_fill(address, org, world), **kwargs)
    assert response.status_code == status, response.content[:300]
    if code is not None:
        assert response["Error-Code"] == code
        answer = _json(response)
        if "detail" in answer:  # else a field error: {"<field>": [...]}
            assert answer["code"] == code
    assert world.post.comments.count() == 0


def test_a_nul_in_a_field_is_refused_with_the_translated_reason(
    people: People, world: World, api_client_for: Any
) -> None:
    response = api_client_for(people.editor).post(
        f"/api/v1/posts/{world.post.pk}/comments/",
        {"text": "vor\u0000nach"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert _json(response) == {"detail": MALFORMED_DE, "code": "invalid"}


def test_a_json_array_body_is_refused_with_the_translated_reason(
    people: People, world: World, api_client_for: Any
) -> None:
    response = api_client_for(people.editor).post(
        f"/api/v1/posts/{world.post.pk}/comments/", ["a"], format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert _json(response) == {"detail": NOT_AN_OBJECT_DE, "code": "invalid"}


def test_a_list_as_comment_text_names_the_field_and_stores_nothing(
    people: People, world: World, api_client_for: Any
) -> None:
    response = api_client_for(people.editor).post(
        f"/api/v1/posts/{world.post.pk}/comments/", {"text": ["a", "b"]}, format="json"
    )
    assert response.status_code == 400
    assert set(_json(response)) == {"text"}
    assert world.post.comments.count() == 0


def test_a_whole_number_parameter_in_other_digits_names_the_parameter(
    people: People, api_client_for: Any
) -> None:
    response = api_client_for(people.auditor).get("/api/v1/audit-entries/?actor=²")
    assert response.status_code == 400
    assert set(_json(response)) == {"actor"}


# --- every URL pattern ---------------------------------------------------------------------

# Parameters that carry ids or numbers somewhere in the project (query strings, forms).
INT_PARAMS = (
    "unit",
    "channel",
    "channels",
    "media",
    "actor",
    "notification",
    "template",
    "assignment",
    "topic",
    "post",
    "page",
    "limit",
    "sequence",
    # moderation
    "item",
    "items",
    "rule",
    "evidence",
    "assignee",
    "team",
    "author",
    "authors",
    "variant",
    "criminal_unit",
    "saved_reply",
    "version",
    "review_due_on",
)
TEXT_PARAMS = (
    *("q", "text", "title", "name", "comment", "reason", "alt_text", "caption", "note"),
    *("justification", "preamble", "phrase", "term", "reference", "after", "before"),
)
LONG = "ä" * 50_000  # 100 kB of UTF-8 (300 kB percent-encoded: two per form stay below
# DATA_UPLOAD_MAX_MEMORY_SIZE, which Django answers with its own 400)
LONG_QUERY = "x" * 100_000  # pages repeat their filters in links: kept cheap to encode
SKIPPED_PREFIXES = ("django-admin/", "accounts/logout/", "oidc/")
_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, bool]]:
    """(pattern text, is a regular expression) of every route."""
    for entry in patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            yield text, "(?P<" in text or text.startswith("^") or "^" in text


def _id_for(before: str, ids: dict[str, int]) -> str:
    segment = before.rstrip("/").rsplit("/", 1)[-1]
    return str(ids.get(segment, 1))


def _addresses(pattern: str, is_regex: bool, ids: dict[str, int]) -> list[str]:
    """Concrete addresses for a route: path ids of existing objects; a regex group of
    alternatives gives one address per alternative."""
    if not is_regex:
        address = ""
        rest = pattern
        while match := _CONVERTER.search(rest):
            converter = match.group(1) or "str"
            address += rest[: match.start()]
            address += _id_for(address, ids) if converter == "int" else "x" * 24
            rest = rest[match.end() :]
        return ["/" + address + rest]
    addresses = [pattern.replace("^", "").replace("$", "")]
    while any(_GROUP.search(a) for a in addresses):
        expanded = []
        for address in addresses:
            match = _GROUP.search(address)
            if match is None:
                expanded.append(address)
                continue
            body = match.group(2)
            head, tail = address[: match.start()], address[match.end() :]
            if body == r"\d+":
                values = [_id_for(head, ids)]
            elif body == r"\d+/":
                values = [_id_for(head, ids) + "/"]
            elif re.fullmatch(r"[\w|-]+", body):
                values = body.split("|")
            else:
                values = ["x" * 24]
            expanded.extend(head + value + tail for value in values)
        addresses = expanded
    return ["/" + a.replace("\\.", ".") for a in addresses]


def _every_address(ids: dict[str, int]) -> list[str]:
    addresses = []
    for pattern, is_regex in _patterns(get_resolver().url_patterns):
        if pattern.startswith(SKIPPED_PREFIXES):
            continue
        addresses.extend(_addresses(pattern, is_regex, ids))
    return addresses


def _malformed_requests(address: str) -> Iterator[tuple[str, dict[str, Any]]]:
    numbers = {name: "²" for name in INT_PARAMS}
    texts = {**{name: "Bürger" for name in TEXT_PARAMS}, "text": LONG, "title": LONG}
    yield "get", {"path": address + "?q=a%00b"}
    yield "get", {"path": address, "data": {**numbers, "q": LONG_QUERY}}
    yield "post", {"path": address, "data": {**numbers, **texts}}
    if address.startswith("/api/"):
        for method in ("post", "put", "patch"):
            yield method, {"path": address, "data": ["a"], "content_type": "application/json"}
            yield (
                method,
                {"path": address, "data": {**numbers, **texts}, "content_type": "application/json"},
            )


@pytest.fixture
def _quiet_refusals() -> Iterator[None]:
    """Hundreds of 4xx warnings cost seconds to format; server errors are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.usefixtures("_quiet_refusals")
@pytest.mark.parametrize("role", ["editor", "community_manager", "system_admin"])
def test_no_route_answers_malformed_input_with_a_server_error(
    role: str, people: People, world: World
) -> None:
    user: User = getattr(people, role)
    # A server error is an answer here, not an exception raised into the test.
    page_client = login(Client(raise_request_exception=False), user)
    api_client = APIClient(raise_request_exception=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='w').key}")
    failures = []
    addresses = _every_address(world.ids)
    assert len(addresses) > 100
    for address in addresses:
        client = api_client if address.startswith("/api/v1/") else page_client
        for method, kwargs in _malformed_requests(address):
            if "content_type" in kwargs:
                kwargs = {**kwargs, "data": json.dumps(kwargs["data"])}
            response = getattr(client, method)(**kwargs)
            if response.streaming:  # read to the end: the test client then closes the file
                b"".join(response.streaming_content)
            # /healthz answers 503 by design while no worker reports.
            if response.status_code >= 500 and not address.startswith("/healthz"):
                failures.append(
                    f"{method.upper()} {address} {list(kwargs)}: {response.status_code}"
                )
    assert failures == []
