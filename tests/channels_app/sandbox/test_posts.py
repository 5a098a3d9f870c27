"""The sandbox platform's posts: creation, idempotent replays, listing, deletion, validation
and privacy between accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from channels_app.sandbox.models import SandboxPost
from tests.channels_app.sandbox.support import API
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import stats
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


def test_a_new_post_is_201_with_its_text_address_and_utc_time(api: Api) -> None:
    status, post = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert status == 201
    assert post["text"] == "Erster Beitrag"
    assert post["url"].endswith(f"/sandbox/posts/{post['id']}/")
    assert post["created_at"].endswith("Z")


def test_a_replay_with_the_same_key_is_200_with_the_same_post(api: Api) -> None:
    _status, post = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    status, replay = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert status == 200
    assert replay["id"] == post["id"]


def test_a_post_keeps_its_link(api: Api) -> None:
    status, post = api.post(
        "/posts", {"text": "Zweiter", "link": "https://www.musterstadt.example/info"}
    )
    assert status == 201
    assert post["link"] == "https://www.musterstadt.example/info"


def test_posts_are_listed_newest_first_page_by_page(api: Api) -> None:
    _status, first = api.post("/posts", {"text": "Erster Beitrag"})
    _status, second = api.post("/posts", {"text": "Zweiter"})
    _status, listing = api.get("/posts", limit=1)
    assert [p["id"] for p in listing["data"]] == [second["id"]]
    _status, listing = api.get("/posts", limit=1, before=listing["next_before"])
    assert [p["id"] for p in listing["data"]] == [first["id"]]
    assert listing["next_before"] is None


def test_a_post_is_read_by_its_id(api: Api) -> None:
    _status, post = api.post("/posts", {"text": "Erster Beitrag"})
    assert api.get(f"/posts/{post['id']}")[1]["id"] == post["id"]


def test_deleting_a_post_hides_it_but_keeps_the_row(api: Api) -> None:
    _status, post = api.post("/posts", {"text": "Erster Beitrag"})
    assert api.delete(f"/posts/{post['id']}") == 204
    assert api.delete(f"/posts/{post['id']}") == 404
    assert api.get(f"/posts/{post['id']}")[0] == 404
    assert SandboxPost.objects.filter(remote_id=post["id"]).exists()  # soft delete


def test_a_replay_after_deletion_gives_the_deleted_post(api: Api, client: Client) -> None:
    # The key stays used: a replay after deletion gives the deleted post, not a new one.
    _status, post = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    api.post("/posts", {"text": "Zweiter", "link": "https://www.musterstadt.example/info"})
    api.delete(f"/posts/{post['id']}")
    status, replay = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (status, replay["id"]) == (200, post["id"])
    assert replay["deleted_at"] is not None
    assert stats(client, "stadt") == {
        "posts_received": 4,
        "posts_created": 2,
        "idempotent_replays": 2,
        "duplicates": 0,
    }


def test_a_replay_answers_whatever_the_body_says_now(api: Api, client: Client) -> None:
    _s, post = api.post("/posts", {"text": "Original"}, HTTP_IDEMPOTENCY_KEY="k")
    # Edited text, and a body that would be refused: both get the first post.
    bodies: list[Any] = [{"text": "Geändert"}, {"text": ""}, []]
    for body in bodies:
        status, replay = api.post("/posts", body, HTTP_IDEMPOTENCY_KEY="k")
        assert (status, replay["id"], replay["text"]) == (200, post["id"], "Original")
    assert api.post("/posts", {"text": ""}, HTTP_IDEMPOTENCY_KEY="new")[0] == 422
    assert stats(client, "stadt") == {
        "posts_received": 5,
        "posts_created": 1,
        "idempotent_replays": 3,
        "duplicates": 0,
    }


def test_publishing_a_post_takes_few_queries(
    api: Api, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    # The load benchmark sends thousands of these: token lookup, counter, insert; no
    # budget, key lookup or re-read of the post while nothing asks for it.
    with django_assert_max_num_queries(3):
        status, post = api.post("/posts", {"text": "Ohne Schlüssel"})
    assert (status, post["media"]) == (201, [])
    # With a key (as the adapter sends it) the test transaction adds a savepoint around
    # the insert (SAVEPOINT, RELEASE); in autocommit there is none.
    with django_assert_max_num_queries(5):
        status, post = api.post("/posts", {"text": "Mit Schlüssel"}, HTTP_IDEMPOTENCY_KEY="k")
    assert (status, post["idempotency_key"], post["media"]) == (201, "k", [])


def test_idempotency_keys_are_per_account(client: Client) -> None:
    city = Api(client, token_for(client, "stadt")["access_token"])
    police = Api(client, token_for(client, "polizei")["access_token"])
    _s, mine = city.post("/posts", {"text": "Stadt"}, HTTP_IDEMPOTENCY_KEY="same")
    status, theirs = police.post("/posts", {"text": "Polizei"}, HTTP_IDEMPOTENCY_KEY="same")
    assert status == 201 and theirs["id"] != mine["id"]


def test_posts_are_private_to_their_account(client: Client) -> None:
    city = Api(client, token_for(client, "stadt")["access_token"])
    police = Api(client, token_for(client, "polizei")["access_token"])
    _s, mine = city.post("/posts", {"text": "Stadt"}, HTTP_IDEMPOTENCY_KEY="same")
    assert police.get(f"/posts/{mine['id']}")[0] == 404
    assert police.delete(f"/posts/{mine['id']}") == 404
    assert police.get("/posts/metrics", ids=mine["id"])[1] == {"data": []}


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ({"text": "x" * 1001}, 422, "text_too_long"),
        ({"text": ""}, 422, "empty_post"),
        ({"text": "a\x00b"}, 422, "invalid_request"),
        ({"text": "ok", "link": "javascript:alert(1)"}, 422, "invalid_link"),
        ({"text": "ok", "media_ids": ["m-unknown"]}, 422, "invalid_media"),
        ({"text": 5}, 400, "invalid_request"),
        ([], 400, "invalid_request"),
    ],
)
def test_post_validation(api: Api, payload: Any, status: int, error: str) -> None:
    response_status, body = api.post("/posts", payload)
    assert (response_status, body["error"]) == (status, error)
    assert body["error_description"]
    assert not SandboxPost.objects.exists()


def test_text_limit_counts_graphemes(api: Api) -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, seven code points
    assert api.post("/posts", {"text": family * 1000})[0] == 201
    status, body = api.post("/posts", {"text": family * 1001})
    assert status == 422
    assert "1001" in body["error_description"]


def test_invalid_json_body(api: Api) -> None:
    response = api.client.post(
        f"{API}/posts", "{not json", content_type="application/json", **api.auth
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
