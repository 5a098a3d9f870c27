"""The sandbox platform's comments: generated lazily as a post ages, stable and paged, and
answered, hidden, shown again and deleted by the account."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from tests.channels_app.sandbox.support import START
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import all_comments
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


@dataclass
class Timeline:
    """One post's comments read right after publishing, after four hours (page by page),
    and after four more days: polled on from the cursor, read whole, and read whole again."""

    post: dict[str, Any]
    at_once: dict[str, Any]
    early: list[dict[str, Any]]
    later: list[dict[str, Any]]
    everything: list[dict[str, Any]]
    again: list[dict[str, Any]]


@pytest.fixture
def timeline(client: Client) -> Iterator[Timeline]:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        post = api.post("/posts", {"text": "Kommentare bitte"})[1]
        at_once = api.get("/comments")[1]
        traveller.shift(timedelta(hours=4))
        early, cursor = all_comments(api)
        traveller.shift(timedelta(days=4))
        _status, later = api.get("/comments", cursor=cursor, limit=100)
        everything, _cursor = all_comments(api)
        again, _cursor = all_comments(api, limit=100)
        yield Timeline(post, at_once, early, later["data"], everything, again)


def test_a_new_post_has_no_comments_yet(timeline: Timeline) -> None:
    assert timeline.at_once == {"data": [], "next_cursor": None, "has_more": False}


def test_a_post_gets_its_first_comments_within_hours(timeline: Timeline) -> None:
    assert timeline.early, "a post gets its first comments within hours"


def test_polling_on_from_the_cursor_gives_exactly_the_comments_since(timeline: Timeline) -> None:
    assert [c["id"] for c in timeline.everything] == [
        c["id"] for c in timeline.early + timeline.later
    ]


def test_reading_again_gives_the_same_comments(timeline: Timeline) -> None:
    # Stable ids, no duplicates, idempotent generation.
    assert timeline.again == timeline.everything


def test_every_scheduled_comment_is_generated_and_stored_once(timeline: Timeline) -> None:
    schedule = simulation.comment_schedule(timeline.post["id"])
    assert len(timeline.everything) == len(schedule)
    assert SandboxComment.objects.count() == len(schedule)
    assert SandboxPost.objects.get().comments_complete


def test_comments_are_listed_oldest_first(timeline: Timeline) -> None:
    times = [c["created_at"] for c in timeline.everything]
    assert times == sorted(times)


def test_a_comment_names_its_post_its_citizen_and_its_address(timeline: Timeline) -> None:
    first = timeline.everything[0]
    assert first["post_id"] == timeline.post["id"]
    assert first["author"]["id"].startswith("citizen-")
    assert first["hidden"] is False and first["by_account"] is False
    assert first["url"].endswith(f"#comment-{first['id']}")


def test_invalid_cursor_is_400(api: Api) -> None:
    status, body = api.get("/comments", cursor="!!garbage")
    assert (status, body["error"]) == (400, "invalid_cursor")


@dataclass
class Commented:
    api: Api
    comments: list[dict[str, Any]]


@pytest.fixture
def commented(client: Client) -> Iterator[Commented]:
    """A post four days old, with its comments; the tests run at that time."""
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        api.post("/posts", {"text": "Beitrag"})
        traveller.shift(timedelta(days=4))
        yield Commented(api, api.get("/comments", limit=100)[1]["data"])


def _listed(api: Api) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in api.get("/comments", limit=100)[1]["data"]}


def test_a_reply_answers_its_comment_as_the_account(commented: Commented) -> None:
    api, target = commented.api, commented.comments[0]
    status, reply = api.post(f"/comments/{target['id']}/replies", {"text": "Danke!"})
    assert status == 201
    assert reply["parent_id"] == target["id"] and reply["by_account"] is True
    assert _listed(api)[reply["id"]]["text"] == "Danke!"


def test_a_blank_reply_is_refused(commented: Commented) -> None:
    target = commented.comments[0]
    assert commented.api.post(f"/comments/{target['id']}/replies", {"text": " "})[0] == 422


def test_a_hidden_comment_is_listed_as_hidden(commented: Commented) -> None:
    api, target = commented.api, commented.comments[0]
    assert api.post(f"/comments/{target['id']}/hide")[1]["hidden"] is True
    assert _listed(api)[target["id"]]["hidden"] is True


def test_unhiding_shows_a_comment_again(commented: Commented) -> None:
    api, target = commented.api, commented.comments[0]
    api.post(f"/comments/{target['id']}/hide")
    assert api.post(f"/comments/{target['id']}/unhide")[1]["hidden"] is False


def test_a_deleted_comment_is_gone_and_not_generated_again(commented: Commented) -> None:
    api, victim = commented.api, commented.comments[1]["id"]
    assert api.delete(f"/comments/{victim}") == 204
    assert api.delete(f"/comments/{victim}") == 404
    assert victim not in _listed(api)


def test_an_unknown_comment_is_404(commented: Commented) -> None:
    assert commented.api.post("/comments/unknown/hide")[0] == 404


def test_comments_of_other_accounts_are_out_of_reach(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        city = Api(client, token_for(client, "stadt")["access_token"])
        police = Api(client, token_for(client, "polizei")["access_token"])
        city.post("/posts", {"text": "Stadt"})
        traveller.shift(timedelta(days=4))
        comment = city.get("/comments")[1]["data"][0]
        assert police.get("/comments")[1]["data"] == []
        assert police.post(f"/comments/{comment['id']}/hide")[0] == 404
        assert police.delete(f"/comments/{comment['id']}") == 404
