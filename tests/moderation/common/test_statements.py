# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Statements compiled once per shape and run with the values of each request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import CharField
from django.db.models import DateTimeField
from django.db.models import Q
from django.utils import timezone

from moderation.common import statements
from moderation.common.statements import Contains
from moderation.common.statements import Slot
from moderation.common.statements import compiled
from moderation.common.statements import like_pattern
from moderation.inbox.selectors import InboxFilters
from moderation.inbox.selectors import inbox_page
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


@pytest.fixture(autouse=True)
def _no_statements_of_other_tests() -> Iterator[None]:
    statements.forget_statements()
    yield
    statements.forget_statements()


def _by_status() -> Any:
    return InboxItem.objects.filter(status=Slot("status", CharField())).values_list("id")


def test_one_shape_is_compiled_once_and_run_with_each_value(org: Org) -> None:
    new = make_item(org.press_channel, status=S.NEW)
    closed = make_item(org.press_channel, status=S.CLOSED)
    first = compiled("by status", _by_status)
    second = compiled("by status", _by_status)
    assert second is first
    assert first.rows({"status": S.NEW}) == [(new.pk,)]
    assert first.rows({"status": S.CLOSED}) == [(closed.pk,)]


def test_a_slot_value_is_prepared_as_its_field_prepares_it(org: Org) -> None:
    old = make_item(org.press_channel, minutes_ago=120)
    make_item(org.press_channel, minutes_ago=5)
    statement = compiled(
        "older than",
        lambda: InboxItem.objects.filter(
            created_at__lt=Slot("before", DateTimeField())
        ).values_list("id"),
    )
    assert statement.rows({"before": timezone.now() - timedelta(hours=1)}) == [(old.pk,)]


def test_the_least_recently_used_shape_goes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statements, "MAX_STATEMENTS", 2)
    oldest = compiled("a", _by_status)
    compiled("b", _by_status)
    compiled("c", _by_status)
    assert compiled("a", _by_status) is not oldest


def test_contains_takes_wildcards_in_the_text_literally(org: Org) -> None:
    percent = make_item(org.press_channel, text="Die Gebühr steigt um 100% ab Januar")
    make_item(org.press_channel, text="Die Gebühr steigt um 1000 Euro")
    statement = compiled(
        "text contains",
        lambda: InboxItem.objects.filter(Q(Contains("text", Slot("q", CharField())))).values_list(
            "id"
        ),
    )
    assert statement.rows({"q": like_pattern("100%")}) == [(percent.pk,)]
    assert statement.rows({"q": like_pattern("GEBÜHR STEIGT UM 100%")}) == [(percent.pk,)]


def test_the_inbox_list_compiles_a_page_of_one_shape_once(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second page with other filter values of the same kind builds no SQL."""
    new = make_item(org.press_channel, status=S.NEW)
    open_item = make_item(org.press_channel, status=S.OPEN)
    compile_statement = statements._compile
    built: list[object] = []

    def counted(queryset: Any) -> Any:
        built.append(queryset)
        return compile_statement(queryset)

    monkeypatch.setattr(statements, "_compile", counted)
    first = inbox_page(people.community_manager, InboxFilters(status=S.NEW))[1]
    assert len(built) == 2  # the reader's channels and the page
    second = inbox_page(people.community_manager, InboxFilters(status=S.OPEN))[1]
    assert len(built) == 2
    assert [row.pk for row in first.items] == [new.pk]
    assert [row.pk for row in second.items] == [open_item.pk]
