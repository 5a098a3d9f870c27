# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The inbox list page: one list across the readable channels, filters, keyset pages,
fixed query count, service-level display."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from django.utils import translation

from accounts.models import Role
from accounts.models import User
from accounts.practice.services import practice_mode_set
from moderation.inbox.selectors import InboxFilters
from moderation.inbox.selectors import KeysetPage
from moderation.inbox.selectors import attach_channels
from moderation.inbox.selectors import inbox_page
from moderation.inbox.selectors import visible_channels
from moderation.models import Flag
from moderation.models import InboxItem
from tests.accounts.guidance.conftest import practice_space
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.inbox.conftest import S
from tests.moderation.inbox.conftest import flag
from tests.moderation.inbox.conftest import make_author
from tests.moderation.inbox.conftest import make_item
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

ClientFor = Callable[[User], Client]
URL = "/moderation/inbox/"


def _ids(user: User, **filters: Any) -> list[int]:
    return [item.pk for item in inbox_page(user, InboxFilters(**filters))[1].items]


def test_the_list_shows_items_of_every_readable_channel_newest_first(
    org: Org, people: People
) -> None:
    older = make_item(org.press_channel, minutes_ago=30)
    newer = make_item(org.social_channel, minutes_ago=10)
    make_item(org.police_channel, minutes_ago=1)
    assert _ids(people.community_manager) == [newer.pk, older.pk]


def test_the_auditor_of_the_city_reads_the_same_list(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    make_item(org.police_channel)
    assert _ids(people.auditor) == [item.pk]


def test_an_editor_has_no_inbox(org: Org, people: People, client_for: ClientFor) -> None:
    assert client_for(people.editor).get(URL).status_code == 403


def test_the_page_lists_the_items(org: Org, people: People, client_for: ClientFor) -> None:
    make_item(org.press_channel, text="Wann öffnet das Bürgerbüro?")
    response = client_for(people.community_manager).get(URL)
    assert response.status_code == 200
    assert "Wann öffnet das Bürgerbüro?" in response.content.decode()


def test_filter_by_channel(org: Org, people: People) -> None:
    make_item(org.press_channel)
    social = make_item(org.social_channel)
    assert _ids(people.community_manager, channels=(org.social_channel.pk,)) == [social.pk]


def test_filter_by_unit_includes_the_units_below(org: Org, people: People) -> None:
    press = make_item(org.press_channel, minutes_ago=20)
    social = make_item(org.social_channel, minutes_ago=10)
    assert _ids(people.auditor, unit=org.press.pk) == [social.pk, press.pk]
    assert _ids(people.auditor, unit=org.social.pk) == [social.pk]


def test_filter_by_a_foreign_unit_shows_nothing(org: Org, people: People) -> None:
    make_item(org.press_channel)
    make_item(org.police_channel)
    assert _ids(people.auditor, unit=org.police.pk) == []


def test_filter_by_status(org: Org, people: People) -> None:
    make_item(org.press_channel, status=S.NEW)
    pending = make_item(org.press_channel, status=S.PENDING)
    assert _ids(people.community_manager, status=S.PENDING) == [pending.pk]


def test_filter_active_leaves_settled_items_out(org: Org, people: People) -> None:
    open_item = make_item(org.press_channel, status=S.OPEN)
    make_item(org.press_channel, status=S.CLOSED)
    make_item(org.press_channel, status=S.NO_ACTION)
    assert _ids(people.community_manager, status="active") == [open_item.pk]


def test_snoozed_items_are_hidden_until_their_time(org: Org, people: People) -> None:
    snoozed = make_item(org.press_channel, snoozed_until=timezone.now() + timedelta(hours=1))
    visible = make_item(org.press_channel, snoozed_until=timezone.now() - timedelta(minutes=1))
    assert _ids(people.community_manager) == [visible.pk]
    assert _ids(people.community_manager, status="snoozed") == [snoozed.pk]


def test_filter_by_assignee_me_and_unassigned(org: Org, people: People) -> None:
    mine = make_item(org.press_channel, assignee=people.community_manager)
    nobody = make_item(org.press_channel)
    team_only = make_item(org.press_channel, team=org.social)
    assert _ids(people.community_manager, assignee="me") == [mine.pk]
    assert _ids(people.community_manager, assignee="unassigned") == [nobody.pk]
    assert _ids(people.community_manager, team=org.social.pk) == [team_only.pk]


def test_filter_by_assignee_id(org: Org, people: People) -> None:
    other = UserFactory()
    theirs = make_item(org.press_channel, assignee=other)
    make_item(org.press_channel, assignee=people.community_manager)
    assert _ids(people.community_manager, assignee=str(other.pk)) == [theirs.pk]


def test_filter_by_priority(org: Org, people: People) -> None:
    urgent = make_item(org.press_channel, priority=InboxItem.Priority.URGENT)
    make_item(org.press_channel)
    assert _ids(people.community_manager, priority=InboxItem.Priority.URGENT) == [urgent.pk]


def test_filter_by_flag_ignores_dismissed_flags(org: Org, people: People) -> None:
    flagged = make_item(org.press_channel)
    flag(flagged)
    dismissed = make_item(org.press_channel)
    flag(dismissed, dismissed_at=timezone.now())
    make_item(org.press_channel)
    assert _ids(people.community_manager, flag=Flag.Kind.INSULT) == [flagged.pk]


def test_a_row_carries_its_flags_not_dismissed_by_kind(org: Org, people: People) -> None:
    item = make_item(org.press_channel)
    spam = flag(item, Flag.Kind.SPAM_LINK, code="link")
    insult = flag(item)
    flag(item, Flag.Kind.KEYWORD, code="threat", dismissed_at=timezone.now())
    other = make_item(org.press_channel)
    rows = {row.pk: row for row in inbox_page(people.community_manager)[1].items}
    assert [(f.id, f.item_id, f.kind) for f in rows[item.pk].active_flags] == [
        (insult.pk, item.pk, Flag.Kind.INSULT),
        (spam.pk, item.pk, Flag.Kind.SPAM_LINK),
    ]
    assert rows[item.pk].active_flags[0].explanation == insult.explanation
    assert rows[other.pk].active_flags == []


def test_filter_by_period_uses_german_calendar_days(org: Org, people: People) -> None:
    # 23:30 UTC on 1 March is already 2 March in Berlin.
    late = make_item(org.press_channel, created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    make_item(org.press_channel, created_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    day = date(2026, 3, 2)
    assert _ids(people.community_manager, date_from=day, date_to=day) == [late.pk]


def test_free_text_finds_text_handle_and_name(org: Org, people: People) -> None:
    by_text = make_item(org.press_channel, minutes_ago=30, text="Die Ampel an der Hauptstraße")
    by_handle = make_item(
        org.press_channel, minutes_ago=20, author=make_author(org.press_channel, handle="ampelfan")
    )
    by_name = make_item(
        org.press_channel,
        minutes_ago=10,
        author=make_author(org.press_channel, display_name="Anna Ampelmann"),
    )
    make_item(org.press_channel, text="Etwas anderes")
    assert _ids(people.community_manager, q="ampel") == [by_name.pk, by_handle.pk, by_text.pk]
    assert _ids(people.community_manager, q="@ampelfan") == [by_handle.pk]


def test_filter_by_post(org: Org, people: People) -> None:
    from tests.editorial.crisis.conftest import make_post

    post = make_post(org, people, stage="approved")
    variant = post.variants.get()
    on_post = make_item(org.press_channel, variant=variant)
    make_item(org.press_channel)
    assert _ids(people.community_manager, post=post.pk) == [on_post.pk]
    assert _ids(people.community_manager, variant=variant.pk) == [on_post.pk]


def test_the_filter_form_filters_the_page(org: Org, people: People, client_for: ClientFor) -> None:
    make_item(org.press_channel, text="Erster Kommentar", status=S.CLOSED)
    make_item(org.press_channel, text="Zweiter Kommentar", status=S.NEW)
    page = client_for(people.community_manager).get(URL, {"status": "new"}).content.decode()
    assert "Zweiter Kommentar" in page and "Erster Kommentar" not in page


def test_an_invalid_filter_is_reported_and_the_others_still_apply(
    org: Org, people: People, client_for: ClientFor
) -> None:
    make_item(org.press_channel, text="Offen", status=S.OPEN)
    make_item(org.press_channel, text="Neu", status=S.NEW)
    response = client_for(people.community_manager).get(
        URL, {"status": "open", "date_from": "gestern"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]
    assert [i.pk for i in response.context["page"].items] == list(
        InboxItem.objects.filter(status=S.OPEN).values_list("pk", flat=True)
    )


# --- Keyset pages -----------------------------------------------------------------------------


def _items(org: Org, count: int) -> list[InboxItem]:
    now = timezone.now()
    return [
        make_item(org.press_channel, created_at=now - timedelta(minutes=i)) for i in range(count)
    ]


def test_next_and_previous_pages_follow_the_key(org: Org, people: People) -> None:
    items = _items(org, 5)
    user = people.community_manager
    first = inbox_page(user, size=2)[1]
    assert [i.pk for i in first.items] == [items[0].pk, items[1].pk]
    assert first.previous_key is None and first.next_key
    second = inbox_page(user, after=first.next_key, size=2)[1]
    assert [i.pk for i in second.items] == [items[2].pk, items[3].pk]
    last = inbox_page(user, after=second.next_key, size=2)[1]
    assert [i.pk for i in last.items] == [items[4].pk] and last.next_key is None
    back = inbox_page(user, before=last.previous_key, size=2)[1]
    assert [i.pk for i in back.items] == [items[2].pk, items[3].pk]
    top = inbox_page(user, before=back.previous_key, size=2)[1]
    assert [i.pk for i in top.items] == [items[0].pk, items[1].pk] and top.previous_key is None


def test_items_written_at_the_same_instant_are_neither_lost_nor_repeated(
    org: Org, people: People
) -> None:
    instant = timezone.now() - timedelta(minutes=3)
    items = [make_item(org.press_channel, created_at=instant) for _ in range(5)]
    seen: list[int] = []
    key = None
    while True:
        page = inbox_page(people.community_manager, after=key, size=2)[1]
        seen += [i.pk for i in page.items]
        key = page.next_key
        if key is None:
            break
    assert seen == sorted((i.pk for i in items), reverse=True)


def test_a_new_item_does_not_shift_the_next_page(org: Org, people: People) -> None:
    items = _items(org, 4)
    first = inbox_page(people.community_manager, size=2)[1]
    make_item(org.press_channel, minutes_ago=0)
    second = inbox_page(people.community_manager, after=first.next_key, size=2)[1]
    assert [i.pk for i in second.items] == [items[2].pk, items[3].pk]


def test_the_page_links_carry_the_key_and_the_filters(
    org: Org, people: People, client_for: ClientFor
) -> None:
    _items(org, 60)
    page = client_for(people.community_manager).get(URL, {"status": "new"})
    key = page.context["page"].next_key
    assert f"?status=new&amp;after={key}" in page.content.decode()
    second = client_for(people.community_manager).get(URL, {"status": "new", "after": key})
    assert len(second.context["page"].items) == 10
    assert "before=" in second.content.decode()


def test_a_broken_key_shows_the_first_page(org: Org, people: People, client_for: ClientFor) -> None:
    _items(org, 3)
    response = client_for(people.community_manager).get(URL, {"after": "kaputt!"})
    assert response.status_code == 200
    assert len(response.context["page"].items) == 3


def test_the_page_never_uses_offset(
    org: Org, people: People, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _items(org, 60)
    key = inbox_page(people.community_manager)[1].next_key
    with CaptureQueriesContext(connection) as queries:
        client_for(people.community_manager).get(URL, {"after": key})
    assert not any("OFFSET" in q["sql"] for q in queries.captured_queries)


def _fill(org: Org, people: People, count: int) -> None:
    for i in range(count):
        item = make_item(
            org.press_channel if i % 2 else org.social_channel,
            minutes_ago=i,
            assignee=people.community_manager,
            team=org.social,
        )
        flag(item)
        flag(item, Flag.Kind.SPAM_LINK, code="link")


def test_the_list_costs_the_same_queries_for_5_or_50_rows(
    org: Org, people: People, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.community_manager)
    _fill(org, people, 5)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    _fill(org, people, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"].items) == 50


def test_a_breached_deadline_stands_out_with_text(
    org: Org, people: People, client_for: ClientFor
) -> None:
    make_item(org.press_channel, response_due_at=timezone.now() - timedelta(hours=2))
    make_item(org.press_channel, response_due_at=timezone.now() + timedelta(hours=3))
    page = client_for(people.community_manager).get(URL).content.decode()
    assert page.count("sla sla--breached") == 1
    assert page.count("sla sla--open") == 1


def test_flags_show_as_text_badges(org: Org, people: People, client_for: ClientFor) -> None:
    flag(make_item(org.press_channel))
    page = client_for(people.community_manager).get(URL).content.decode()
    with translation.override("de"):
        label = str(Flag.Kind.INSULT.label)
    assert f'tag--flag-insult">{label}</span>' in page


def test_two_flags_of_one_kind_show_one_badge(
    org: Org, people: People, client_for: ClientFor
) -> None:
    item = make_item(org.press_channel)
    flag(item, Flag.Kind.PERSONAL_DATA, code="phone", explanation="Telefonnummer")
    flag(item, Flag.Kind.PERSONAL_DATA, code="email", explanation="E-Mail-Adresse")
    page = client_for(people.community_manager).get(URL).content.decode()
    assert page.count("tag--flag-personal_data") == 1


def test_the_list_loads_its_script_from_a_file_only(
    org: Org, people: People, client_for: ClientFor
) -> None:
    make_item(org.press_channel)
    page = client_for(people.community_manager).get(URL).content.decode()
    assert '<script src="/static/moderation/inbox-list.js"></script>' in page
    assert "<script>" not in page and "style=" not in page and "onclick" not in page
    # Without JavaScript the "select all" box is not offered.
    assert 'id="select-all" data-select-all hidden' in page


def test_a_page_is_planned_with_its_values_never_prepared(org: Org, people: People) -> None:
    from django.db import connection

    make_item(org.press_channel, text="Wann öffnet das Bürgerbüro?")
    for _ in range(7):
        assert len(_ids(people.community_manager, q="bürgerbüro")) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # Prepared statements are on (the reader's channels, run seven times, are one) ...
    assert any('"channels_app_channel"' in statement for statement in prepared)
    # ... but no page: PostgreSQL's one generic plan for every word would walk the table.
    assert not any('"flag_rows"' in statement for statement in prepared)
    assert not any('"moderation_author"."handle"' in statement for statement in prepared)


def test_rows_without_their_flags_get_them_in_one_query(
    org: Org, people: People, django_assert_num_queries: Any
) -> None:
    """SQLite (`make run`) has no ordered JSONB_AGG: the page's flags come in one query."""
    flagged = make_item(org.press_channel)
    flag(flagged)
    flag(flagged, code="dismissed", dismissed_at=timezone.now())
    plain = make_item(org.press_channel)
    items = list(InboxItem.objects.filter(pk__in=[flagged.pk, plain.pk]).order_by("pk"))
    channels = visible_channels(people.community_manager)
    with django_assert_num_queries(1):
        attach_channels(KeysetPage(items=items), channels)
    assert [f.code for f in items[0].active_flags] == ["lexicon"]  # type: ignore[attr-defined]
    assert items[1].active_flags == []  # type: ignore[attr-defined]


def test_practice_and_real_comments_never_share_an_inbox(org: Org, people: People) -> None:
    """In practice mode the inbox is the practice space's alone; outside it, the practice
    channel's comments stay out of the real inbox."""
    manager = User.objects.get(pk=people.community_manager.pk)
    practice = ChannelFactory(unit=practice_space(manager, Role.COMMUNITY_MANAGER))
    real = make_item(org.press_channel, minutes_ago=10)
    practised = make_item(practice, minutes_ago=5)
    assert _ids(User.objects.get(pk=manager.pk)) == [real.pk]
    practice_mode_set(user=manager, active=True)
    assert _ids(User.objects.get(pk=manager.pk)) == [practised.pk]
    assert set(visible_channels(User.objects.get(pk=manager.pk))) == {practice.pk}
