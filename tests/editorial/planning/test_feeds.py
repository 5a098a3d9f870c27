# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The iCal subscription feed (editorial.planning.ical, feed tokens): shown once, stored as a
digest, serving a valid calendar of what the user may see, and revocable."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import AuditEntry
from accounts.models import Role
from accounts.models import User
from accounts.services import user_deactivate
from editorial.models import CalendarFeedToken
from editorial.models import Post
from editorial.planning.ical import escape_text
from editorial.planning.ical import fold_line
from editorial.planning.selectors import feed_token_digest
from editorial.planning.services import feed_token_create
from editorial.posts.services import post_create
from tests.conftest import Org
from tests.conftest import People
from tests.editorial.planning.conftest import approved_post
from tests.editorial.planning.conftest import berlin
from tests.editorial.planning.conftest import make_post
from tests.factories import UserFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

TITLE = "Baustelle Ring, Süd; Umleitung über Nord\\West " + "ä" * 40


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


# --- Escaping and folding -------------------------------------------------------------------


def test_text_is_escaped() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets() -> None:
    line = "SUMMARY:" + "Bürgerbüro öffnet " * 10
    folded = fold_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert all(part.startswith(" ") for part in folded.split("\r\n")[1:])
    assert folded.replace("\r\n ", "") == line


def test_short_lines_are_not_folded() -> None:
    assert fold_line("short") == "short"


# --- Creating the address -------------------------------------------------------------------


def test_the_calendar_offers_a_subscription_address(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    page = client_for(people.editor).get("/editorial/planning/")
    assert "Create a subscription address" in page.content.decode()


def _create(client: Client) -> tuple[str, object]:
    created = client.post("/editorial/planning/feed/new/")
    feed_url = re.search(r'value="(http[^"]+\.ics)"', created.content.decode()).group(1)  # type: ignore[union-attr]
    return feed_url.rsplit("/", 1)[1].removesuffix(".ics"), created


def test_the_subscription_address_is_not_cached(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    _secret, created = _create(client_for(people.editor))
    assert created.status_code == 200  # type: ignore[attr-defined]
    assert created["Cache-Control"] == "no-store"  # type: ignore[index]


def test_only_a_digest_of_the_feed_secret_is_stored(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    secret, _created = _create(client_for(people.editor))
    token = CalendarFeedToken.objects.get(user=people.editor)
    assert token.digest == feed_token_digest(secret)
    assert secret not in token.digest


def test_creating_a_feed_is_audited(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    _create(client_for(people.editor))
    assert AuditEntry.objects.filter(action="editorial.calendar_feed.created").exists()


def test_the_subscription_address_is_shown_once(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    client = client_for(people.editor)
    secret, _created = _create(client)
    assert secret not in client.get("/editorial/planning/").content.decode()


def test_the_feed_pages_need_a_login(org: Org) -> None:
    assert Client().post("/editorial/planning/feed/new/").status_code == 302
    assert not CalendarFeedToken.objects.exists()


# --- The feed -------------------------------------------------------------------------------


@pytest.fixture
def post(org: Org, people: People) -> Post:
    return approved_post(org, people, title=TITLE, channels=[org.press_channel, org.social_channel])


@pytest.fixture
def raw(post: Post, people: People) -> str:
    """The editor's feed as served to a calendar program (without a session)."""
    secret = feed_token_create(user=people.editor).secret
    response = Client().get(f"/editorial/planning/feed/{secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode()


def test_the_feed_is_a_calendar_of_folded_crlf_lines(raw: str) -> None:
    assert raw.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert any(line.startswith("X-WR-CALNAME:") for line in lines)


def test_the_feed_holds_only_the_users_posts_of_the_coming_weeks(
    org: Org, people: People, post: Post
) -> None:
    police_editor = UserFactory(language="en", roles=[(org.police, Role.EDITOR)])
    police_post = post_create(
        actor=police_editor,
        unit=org.police_press,
        title="Polizeimeldung",
        planned_at=berlin(2026, 6, 16, 9, 0),
        channels=[org.police_channel],
    )
    old = make_post(org, people, title="Zu alt", planned_at=berlin(2026, 4, 1, 9, 0))
    secret = feed_token_create(user=people.editor).secret
    raw = Client().get(f"/editorial/planning/feed/{secret}.ics").content.decode()
    assert unfold(raw).count("BEGIN:VEVENT") == 1  # not the police's, not the old one
    assert police_post.title not in raw
    assert old.title not in raw


def test_a_feed_event_times_and_identifies_the_post(raw: str, post: Post) -> None:
    lines = unfold(raw)
    assert f"UID:post-{post.pk}@localhost" in lines
    assert "DTSTART:20260615T073000Z" in lines
    assert "DURATION:PT15M" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)


def test_a_feed_event_escapes_the_title_and_adds_the_status(raw: str) -> None:
    summary = next(line for line in unfold(raw) if line.startswith("SUMMARY:"))
    assert summary == (
        "SUMMARY:Baustelle Ring\\, Süd\\; Umleitung über Nord\\\\West " + "ä" * 40 + " (Scheduled)"
    )


def test_a_feed_event_describes_the_channels_and_links_the_post(raw: str, post: Post) -> None:
    lines = unfold(raw)
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Channels: Bürgerservice\\, Stadt Mastodon\\n" in description
    assert f"/editorial/posts/{post.pk}/" in description
    assert f"URL:http://localhost:8000/editorial/posts/{post.pk}/" in lines


# --- Revoking -------------------------------------------------------------------------------


def _status(secret: str) -> int:
    return Client().get(f"/editorial/planning/feed/{secret}.ics").status_code


def test_a_new_feed_address_replaces_the_old_one(org: Org, people: People) -> None:
    make_post(org, people)
    first = feed_token_create(user=people.editor)
    second = feed_token_create(user=people.editor)
    assert _status(first.secret) == 404
    assert _status(second.secret) == 200


def test_an_unknown_feed_address_answers_404(org: Org) -> None:
    assert _status("x" * 43) == 404


def test_a_revoked_feed_answers_404_and_is_audited(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people)
    feed_token_create(user=people.editor)
    second = feed_token_create(user=people.editor)  # replaces (and revokes) the first
    assert client_for(people.editor).post("/editorial/planning/feed/revoke/").status_code == 302
    assert _status(second.secret) == 404
    assert AuditEntry.objects.filter(action="editorial.calendar_feed.revoked").count() == 2


def test_a_feed_may_be_created_again_after_revoking(
    org: Org, people: People, client_for: Callable[[User], Client]
) -> None:
    make_post(org, people)
    feed_token_create(user=people.editor)
    client_for(people.editor).post("/editorial/planning/feed/revoke/")
    third = feed_token_create(user=people.editor)
    assert _status(third.secret) == 200


def test_the_feed_of_a_deactivated_user_answers_404(org: Org, people: People) -> None:
    make_post(org, people)
    token = feed_token_create(user=people.editor)
    assert _status(token.secret) == 200
    user_deactivate(actor=people.system_admin, user=people.editor)
    assert _status(token.secret) == 404
