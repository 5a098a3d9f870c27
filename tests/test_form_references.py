"""References to another authority's objects through the page forms (issue 16), found by
walking the pages: the API's counterpart is ``tests/test_api_references.py``.

Every page of the project is opened as a user with every role in the city, with existing
objects in the addresses (the malformed-input walk's); every form in what the page renders
is searched for fields that choose objects (``ModelChoiceField``,
``ModelMultipleChoiceField``, ``ChannelsField``). Their choices may hold nothing of the other
authority (the Polizeipräsidium): a posted foreign id is then refused exactly as an id of
nothing (Django's "Select a valid choice"), which one page checks end to end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.db.models import Model
from django.test import Client
from django.test.utils import ContextList
from django.urls import reverse

from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import User
from editorial.models import MediaAsset
from editorial.models import Post
from editorial.models import Topic
from tests import test_malformed_input as walk
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import login
from tests.editorial.factories import MediaAssetFactory
from tests.factories import UserFactory
from tests.moderation.world import build_side
from tests.test_malformed_input import World
from tests.test_malformed_input import _every_address

# The walk's world, built once per module, with its org and people read fresh for each test,
# and each test in a savepoint of the module's transaction (``db``): the fixtures are the
# walk's own, so the people are not built a second time.
world = walk.world
org = walk.org
people = walk.people
db = walk.db

NOTHING = 2_000_000_000  # an id no object has
TITLE = "Bürgerbüro mit fremdem Thema"  # no post of the walk's world has it


@pytest.fixture
def foreign(org: Org, people: People) -> dict[type[Model], set[int]]:
    """The police's objects of every kind a form chooses, by model."""
    writer = UserFactory(email="cm@polizei.example", roles=[(org.police, Role.COMMUNITY_MANAGER)])
    side = build_side(org.police_press, org.police, org.police_channel, writer, "Polizei")
    objects: dict[type[Model], set[int]] = defaultdict(set)
    police_units = OrgUnit.objects.filter(path__startswith=org.police.path)
    objects[OrgUnit] = set(police_units.values_list("pk", flat=True))
    objects[type(org.police_channel)] = {org.police_channel.pk}
    objects[Topic] = {Topic.objects.create(unit=org.police_press, name="Einsatz").pk}
    objects[MediaAsset] = {MediaAssetFactory(unit=org.police_press).pk}
    objects[User] = {writer.pk, people.outsider.pk}
    objects[type(side.rule)] = {side.rule.pk}
    objects[type(side.author)] = {side.author.pk}
    return objects


def _forms(context: Any) -> Iterator[forms.BaseForm]:
    """The forms (also inside formsets and lists) a page rendered."""
    if context is None:
        return
    contexts = list(context) if isinstance(context, ContextList) else [context]
    values = [value for one in contexts for value in one.flatten().values()]
    for value in values:
        candidates = value if isinstance(value, list | tuple) else [value]
        for candidate in candidates:
            if isinstance(candidate, forms.BaseForm):
                yield candidate
            elif isinstance(candidate, forms.BaseFormSet):
                yield from candidate.forms


def _choosing_fields(form: forms.BaseForm) -> Iterator[tuple[str, forms.ModelChoiceField]]:
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # the multiple one is a subclass
            yield name, field


def test_no_page_form_offers_another_authoritys_objects(
    org: Org,
    world: World,
    foreign: dict[type[Model], set[int]],
) -> None:
    user = UserFactory(
        email="all-roles@stadt.example", roles=[(org.city, role) for role in Role.values]
    )
    client = login(Client(raise_request_exception=False), user)
    checked: set[str] = set()
    offered = []
    for address in _every_address(world.ids):
        if address.startswith(("/api/", "/healthz")):
            continue
        response = client.get(address)
        if response.streaming:  # read to the end: the test client then closes the file
            b"".join(response.streaming_content)
        for form in _forms(response.context):
            for name, field in _choosing_fields(form):
                model = field.queryset.model
                checked.add(f"{type(form).__name__}.{name}")
                theirs = foreign.get(model, set())
                if theirs and field.queryset.filter(pk__in=theirs).exists():
                    offered.append(f"{address} {type(form).__name__}.{name}")
    assert offered == []
    # The walk reached the forms that choose units, channels, topics, media and rules.
    for expected in ("PostForm.topic", "PostForm.channels", "PostForm.media", "PostForm.unit"):
        assert expected in checked, sorted(checked)
    assert len(checked) >= 15, sorted(checked)


def test_a_foreign_topic_posted_through_the_page_form_is_refused_as_nothing(
    org: Org, people: People, foreign: dict[type[Model], set[int]], client_for: Any
) -> None:
    client = client_for(people.editor)
    (theirs,) = foreign[Topic]
    errors = {}
    for name, topic in (("theirs", theirs), ("nothing", NOTHING)):
        response = client.post(
            reverse("posts:create"),
            {"unit": org.press.pk, "title": TITLE, "topic": topic},
        )
        assert response.status_code == 200  # the form again, with its errors
        errors[name] = [
            str(e).replace(str(topic), "<id>") for e in response.context["form"].errors["topic"]
        ]
    assert errors["theirs"] == errors["nothing"] != []
    assert not Post.objects.filter(title=TITLE).exists()
