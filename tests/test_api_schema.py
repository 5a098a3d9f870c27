"""The API matches its schema (issue 16): schemathesis walks every operation of
``/api/schema/`` against the Django application (WSGI, no server), with every check
(``--checks all``: no server error, answers and status codes as documented, valid requests
accepted, invalid ones refused), signed in with a token of a user who holds every role in
the city. Bounded and derandomised: a few fuzzed examples per operation (one where only the
id in the path varies), no shrinking, so the same cases run every time; the objects are
built once for the module, each operation runs in a savepoint of their transaction. Most of
the time goes to the coverage phase (about 90 % of some 6,500 requests: every parameter at
its bounds and just past them), which is what finds the answers outside the schema.

A generated id names no object, and the API rightly refuses a reference to nothing with a
400. So a whole number generated for a field that references an object (``unit``,
``channels``, …) is replaced by the id of an existing one of the city: valid requests then
reach the services. Ids in the path stay generated (a 404, as documented).

One check is left out by rule, not by list: a request body or query string with rules beyond
its schema (``x-rules`` in the schema) may be refused although schema-valid, so such operations skip
``positive_data_acceptance`` (see ``WITH_RULES``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.checks import load_all_checks
from schemathesis.config import GenerationConfig
from schemathesis.config import OperationConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.filters import FilterSet
from schemathesis.transport.serialization import Binary

from accounts.api_schema import RULES_EXTENSION
from accounts.models import Role
from accounts.services import api_token_create
from analytics.models import TargetGroup
from editorial.models import Topic
from editorial.post_templates.services import post_template_create
from tests.conftest import build_org
from tests.factories import UserFactory
from tests.matrix import built_once
from tests.matrix import db  # noqa: F401 (db: each test in a savepoint of the world)
from tests.moderation.world import build_side

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# No NUL in generated text: the API refuses it everywhere (accounts.middleware), which a
# schema cannot say without a pattern on every string.
load_all_checks()
schema.config.generation.update(allow_x00=False, max_examples=5, no_shrink=True, deterministic=True)
# A path is also probed with each method it does not declare (a 405 expected). TRACE, QUERY
# and OPTIONS reach no view of ours (Django's dispatch and DRF's metadata answer them, the
# same on every path): 3 requests per path, about 360 in all, that test only the framework.
schema.config.phases.coverage.unexpected_methods = {"get", "put", "post", "delete", "patch"}


def _is_simple(ctx: Any) -> bool:
    """An operation with nothing to generate but the id in its path (no query string, no
    body): the coverage phase already sends it the ids at the bounds, and each further
    fuzzed example is one more random id answered 404."""
    definition = ctx.operation.definition.raw
    query = [p for p in definition.get("parameters", []) if p.get("in") == "query"]
    return not query and "requestBody" not in definition


_SIMPLE = FilterSet()
_SIMPLE.include(func=_is_simple)
schema.config.operations.operations.append(
    OperationConfig(filter_set=_SIMPLE, generation=GenerationConfig(max_examples=1))
)


@dataclass(frozen=True)
class World:
    token: str  # of a user with every role in the city (two-factor not needed for a token)
    references: dict[str, int]  # body field name → an existing object of the city


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module (each operation runs in a savepoint of its transaction, see
    ``tests.matrix.db``): rebuilding it for each of the ~60 operations took most of the time."""
    with built_once(django_db_blocker):
        org = build_org()
        user = UserFactory(
            email="all-roles@stadt.example", roles=[(org.city, role) for role in Role.values]
        )
        side = build_side(org.press, org.social, org.press_channel, user, "Stadt")
        template = post_template_create(
            actor=user,
            unit=org.press,
            name="Sperrung",
            kind="road_closure",
            title="Sperrung {ort}",
            text="Die {ort} ist gesperrt.",
            channels=[org.press_channel],
        )
        yield World(
            token=api_token_create(user=user, name="schemathesis").key,
            references={
                "unit": org.press.pk,
                "parent": org.press.pk,
                "team": org.social.pk,
                "channel": org.press_channel.pk,
                "channels": org.press_channel.pk,
                "topic": Topic.objects.create(unit=org.press, name="Baustellen").pk,
                "template": template.pk,
                "target_groups": TargetGroup.objects.create(unit=org.press, name="Pendler").pk,
                "item": side.item.pk,
                "items": side.item.pk,
                "rule": side.rule.pk,
                "evidence": side.record.pk,
                "assignee": user.pk,
                "recipients": user.pk,
                "authors": side.author.pk,
            },
        )


@pytest.fixture(scope="module", autouse=True)
def _connection_kept() -> Iterator[None]:
    """As the test client does: the WSGI handler would otherwise close the database
    connection after each request, and with it the module's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _with_references(body: Any, references: dict[str, int]) -> Any:
    """``body`` with each generated whole number of a reference field replaced."""
    if not isinstance(body, dict):
        return body
    filled = dict(body)
    for name, value in body.items():
        if name not in references or isinstance(value, bool):
            continue
        if isinstance(value, int):
            filled[name] = references[name]
        elif isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            filled[name] = [references[name]] if value else []
    return filled


_ACCEPTS = "negative_data_rejection"  # a schema-violating request answered 2xx
_REFUSES = "positive_data_acceptance"  # a schema-valid request answered 400
_ANSWER = "response_schema_conformance"


def _with_rules() -> frozenset[str]:
    """Operations whose request body or query string has rules beyond its schema (``x-rules``, see
    ``accounts.api_schema.AutoSchema``: rules across fields, against stored data, in the
    service). A schema-valid body may break them and be refused with a 400, which is right:
    for these, and only for these, ``positive_data_acceptance`` is left out."""
    raw = schema.raw_schema
    components = raw.get("components", {}).get("schemas", {})
    ruled = set()
    for path, operations in raw["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            if RULES_EXTENSION in operation:  # rules on the query string
                ruled.add(f"{method.upper()} {path}")
            content = operation.get("requestBody", {}).get("content", {})
            for body in content.values():
                name = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                if RULES_EXTENSION in components.get(name, {}):
                    ruled.add(f"{method.upper()} {path}")
    return frozenset(ruled)


WITH_RULES = _with_rules()

# What is known not to hold yet, per operation: the checks left out and why. Everything
# else runs every check. A fix removes its line (the list only shrinks).
KNOWN_GAPS: dict[str, tuple[tuple[str, ...], str]] = {}


def _body_valid_after_all(case: Any) -> bool:
    """True for a case schemathesis calls negative that the schema in fact allows.

    schemathesis generates no positive coverage cases for a multipart body with a file part
    (its coverage phase then marks every body it derives, a valid one too, as negative), so
    ``POST /api/v1/media/`` with only ``file`` and ``unit`` was "a schema-violating request
    accepted". The test judges such a body itself against the operation's schema; a request
    the schema allows may be accepted, so ``negative_data_rejection`` does not apply to it.
    Every other check still does. Null parts are left out: a form cannot send null."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.NEGATIVE:
        return False
    if not isinstance(case.body, dict) or case.media_type != "multipart/form-data":
        return False
    if any(
        info.mode == GenerationMode.NEGATIVE
        for location, info in case.meta.components.items()
        if location != ParameterLocation.BODY
    ):
        return False  # a negative value elsewhere than in the body is not judged here
    raw = schema.raw_schema
    operation = raw["paths"][case.path][case.method.lower()]
    body_schema = operation["requestBody"]["content"][case.media_type]["schema"]
    root = {**body_schema, "components": raw.get("components", {})}
    # A file part is text of format binary to the schema, which no validator reads.
    body = {
        name: "" if isinstance(value, (bytes, Binary)) else value
        for name, value in case.body.items()
        if value is not None
    }
    return bool(jsonschema_rs.validator_for(root, validate_formats=True).is_valid(body))


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case: Any, world: World) -> None:
    case.body = _with_references(case.body, world.references)
    case.query = _with_references(case.query, world.references)
    operation = f"{case.method.upper()} {case.path}"
    left_out, _why = KNOWN_GAPS.get(operation, ((), ""))
    if operation in WITH_RULES:
        left_out = (*left_out, _REFUSES)
    if _body_valid_after_all(case):
        left_out = (*left_out, _ACCEPTS)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world.token}"},
        excluded_checks=[CHECKS.get_one(name) for name in left_out],
    )
