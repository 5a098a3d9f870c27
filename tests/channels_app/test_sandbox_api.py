"""The sandbox platform's HTTP API and public pages, spoken to as a client would.

Requests go through Django's test client (real URL routing, middleware, CSRF exemption);
the adapter's own tests in ``adapters/test_sandbox.py`` cover the client side.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import time_machine
from django.test import Client
from PIL import Image

from channels_app.sandbox import simulation
from channels_app.sandbox.models import SandboxAccount, SandboxComment, SandboxMedia, SandboxPost

pytestmark = pytest.mark.django_db

API = "/sandbox/api/v1"
SECRET = "control-secret-for-tests"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _sandbox_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SANDBOX_CONTROL_SECRET = SECRET
    settings.SANDBOX_ENABLED = True
    # Tests travel days ahead; token expiry has its own tests.
    settings.SANDBOX_ACCESS_TOKEN_SECONDS = 30 * 24 * 3600


def token_for(client: Client, handle: str = "stadt") -> dict[str, Any]:
    response = client.post(
        f"{API}/oauth/token", {"grant_type": "password", "username": handle, "password": "x"}
    )
    assert response.status_code == 200, response.content
    return response.json()


class Api:
    """A tiny client for one account: JSON in, (status, JSON) out."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = self.client.get(f"{API}{path}", params, **self.auth)
        return response.status_code, _body(response)

    def post(self, path: str, data: Any = None, **headers: Any) -> tuple[int, Any]:
        response = self.client.post(
            f"{API}{path}",
            json.dumps({} if data is None else data),
            content_type="application/json",
            **self.auth,
            **headers,
        )
        return response.status_code, _body(response)

    def delete(self, path: str) -> int:
        return self.client.delete(f"{API}{path}", **self.auth).status_code

    def upload(self, content: bytes, name: str, alt_text: str = "") -> tuple[int, Any]:
        upload = io.BytesIO(content)
        upload.name = name
        response = self.client.post(
            f"{API}/media", {"file": upload, "alt_text": alt_text}, **self.auth
        )
        return response.status_code, _body(response)


def _body(response: Any) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    return response.json()


def control(client: Client, handle: str, secret: str | None = SECRET, **settings: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_X_SANDBOX_CONTROL": secret} if secret is not None else {}
    return client.post(
        f"{API}/_control/{handle}", json.dumps(settings), content_type="application/json", **headers
    )


def stats(client: Client, handle: str) -> dict[str, int]:
    response = client.get(f"{API}/_control/{handle}/stats", HTTP_X_SANDBOX_CONTROL=SECRET)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client, token_for(client)["access_token"])


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 512


# --- OAuth ---------------------------------------------------------------------------------


def test_password_grant_signs_up_once_and_stores_only_digests(client: Client) -> None:
    tokens = token_for(client, "Polizei-Musterstadt")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] > 0 and tokens["scope"]
    again = token_for(client, "polizei-musterstadt")
    assert SandboxAccount.objects.count() == 1
    account = SandboxAccount.objects.get()
    assert account.handle == "polizei-musterstadt" == account.display_name
    stored = {account.token_digest, account.refresh_token_digest, account.previous_token_digest}
    for token in (tokens["access_token"], again["access_token"], again["refresh_token"]):
        assert token not in stored
    me = Api(client, again["access_token"]).get("/me")
    assert me[0] == 200
    assert me[1]["handle"] == "polizei-musterstadt"
    assert me[1]["url"].endswith("/sandbox/@polizei-musterstadt/")
    assert me[1]["followers_count"] >= 1000


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "password", "username": "stadt", "password": ""}, "invalid_grant"),
        ({"grant_type": "password", "username": "<b>", "password": "x"}, "invalid_request"),
        ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
    ],
)
def test_token_endpoint_refuses_clearly(client: Client, data: dict[str, str], error: str) -> None:
    response = client.post(f"{API}/oauth/token", data)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_refresh_rotation_keeps_the_used_token_until_its_successor_is_used(
    client: Client,
) -> None:
    first = token_for(client)
    second = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    # The answer got lost: the client retries with the old refresh token, which still works.
    third = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert third["access_token"]
    # Using the newest one retires the old one.
    fourth = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": third["refresh_token"]},
    )
    assert fourth.status_code == 200
    stale = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    )
    assert stale.status_code == 400
    assert stale.json()["error"] == "invalid_grant"
    # The access token replaced by the last grant stays valid until its own expiry.
    assert Api(client, third["access_token"]).get("/me")[0] == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong", "Basic abc"])
def test_missing_or_invalid_token_is_401_json(client: Client, header: str | None) -> None:
    token_for(client)
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(f"{API}/me", **extra)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expire_token_and_revoke(client: Client) -> None:
    tokens = token_for(client)
    api = Api(client, tokens["access_token"])
    assert control(client, "stadt", expire_token=True).status_code == 200
    status, body = api.get("/me")
    assert status == 401
    assert body == {"error": "invalid_token", "error_description": "The access token expired"}
    renewed = client.post(
        f"{API}/oauth/token",
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    ).json()
    api = Api(client, renewed["access_token"])
    assert api.get("/me")[0] == 200
    assert client.post(f"{API}/oauth/revoke", {"token": renewed["access_token"]}).status_code == 200
    assert api.get("/me")[0] == 401
    # Revoking an unknown token is no error (RFC 7009).
    assert client.post(f"{API}/oauth/revoke", {"token": "unknown"}).status_code == 200


def test_api_is_csrf_exempt_and_methods_are_checked(api: Api) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        f"{API}/oauth/token", {"grant_type": "password", "username": "csrf", "password": "x"}
    )
    assert response.status_code == 200
    response = api.client.put(f"{API}/posts", **api.auth)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


# --- Posts ---------------------------------------------------------------------------------


def test_post_create_replay_list_get_delete(api: Api, client: Client) -> None:
    status, post = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert status == 201
    assert post["text"] == "Erster Beitrag"
    assert post["url"].endswith(f"/sandbox/posts/{post['id']}/")
    assert post["created_at"].endswith("Z")
    status, replay = api.post("/posts", {"text": "Erster Beitrag"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert status == 200
    assert replay["id"] == post["id"]
    status, other = api.post(
        "/posts", {"text": "Zweiter", "link": "https://www.musterstadt.example/info"}
    )
    assert status == 201
    assert other["link"] == "https://www.musterstadt.example/info"

    status, listing = api.get("/posts", limit=1)
    assert [p["id"] for p in listing["data"]] == [other["id"]]
    status, listing = api.get("/posts", limit=1, before=listing["next_before"])
    assert [p["id"] for p in listing["data"]] == [post["id"]]
    assert listing["next_before"] is None
    assert api.get(f"/posts/{post['id']}")[1]["id"] == post["id"]

    assert api.delete(f"/posts/{post['id']}") == 204
    assert api.delete(f"/posts/{post['id']}") == 404
    assert api.get(f"/posts/{post['id']}")[0] == 404
    assert SandboxPost.objects.filter(remote_id=post["id"]).exists()  # soft delete
    # The key stays used: a replay after deletion gives the deleted post, not a new one.
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


def test_keys_are_per_account_and_posts_private_to_their_account(client: Client) -> None:
    city = Api(client, token_for(client, "stadt")["access_token"])
    police = Api(client, token_for(client, "polizei")["access_token"])
    _s, mine = city.post("/posts", {"text": "Stadt"}, HTTP_IDEMPOTENCY_KEY="same")
    status, theirs = police.post("/posts", {"text": "Polizei"}, HTTP_IDEMPOTENCY_KEY="same")
    assert status == 201 and theirs["id"] != mine["id"]
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


# --- Media ---------------------------------------------------------------------------------


def test_media_upload_checks_the_real_format(api: Api) -> None:
    status, image = api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="Das Rathaus")
    assert status == 201
    assert (image["type"], image["alt_text"]) == ("image", "Das Rathaus")
    assert SandboxMedia.objects.get(remote_id=image["id"]).mime_type == "image/jpeg"
    status, video = api.upload(MP4, "film.mp4")
    assert (status, video["type"]) == (201, "video")

    status, body = api.upload(b"Das ist nur Text.", "foto.jpg")
    assert (status, body["error"]) == (422, "unsupported_media")
    broken = jpeg_bytes()[:40]
    assert api.upload(broken, "kaputt.jpg")[1]["error"] == "unsupported_media"
    status, body = api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="a" * 1501)
    assert (status, body["error"]) == (422, "alt_text_too_long")
    assert api.upload(jpeg_bytes(), "rathaus.jpg", alt_text="a" * 1500)[0] == 201
    missing = api.client.post(f"{API}/media", {"alt_text": "x"}, **api.auth)
    assert missing.status_code == 400


def test_media_limits_per_post(api: Api, client: Client) -> None:
    images = [api.upload(jpeg_bytes(), f"{i}.jpg")[1]["id"] for i in range(5)]
    video = api.upload(MP4, "film.mp4")[1]["id"]
    assert api.post("/posts", {"text": "5", "media_ids": images})[1]["error"] == "invalid_media"
    mixed = api.post("/posts", {"text": "mix", "media_ids": [images[0], video]})
    assert mixed[1]["error"] == "invalid_media"
    status, post = api.post("/posts", {"text": "4", "media_ids": images[:4]})
    assert status == 201
    assert [m["id"] for m in post["media"]] == images[:4]
    # A file belongs to one post only.
    assert api.post("/posts", {"text": "again", "media_ids": [images[0]]})[0] == 422
    assert api.post("/posts", {"text": "video", "media_ids": [video]})[0] == 201
    # The public address serves the file with its type.
    response = client.get(urlsplit(post["media"][0]["url"]).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == jpeg_bytes()  # type: ignore[attr-defined]
    response.close()


def test_media_of_another_account_cannot_be_used(client: Client) -> None:
    city = Api(client, token_for(client, "stadt")["access_token"])
    police = Api(client, token_for(client, "polizei")["access_token"])
    image = city.upload(jpeg_bytes(), "a.jpg")[1]["id"]
    assert police.post("/posts", {"text": "x", "media_ids": [image]})[0] == 422


# --- Fault injection -----------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong"])
def test_control_refuses_a_wrong_or_missing_secret(client: Client, secret: str | None) -> None:
    token_for(client)
    response = control(client, "stadt", secret=secret, fail_count=3)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert client.get(f"{API}/_control/stadt/stats").status_code == 403
    assert SandboxAccount.objects.get().fail_remaining == 0


def test_control_is_off_without_a_configured_secret(client: Client, settings: Any) -> None:
    token_for(client)
    settings.SANDBOX_CONTROL_SECRET = ""
    assert control(client, "stadt", secret="", fail_count=1).status_code == 403
    assert control(client, "stadt", secret="anything", fail_count=1).status_code == 403


def test_control_validates_and_reports(client: Client) -> None:
    token_for(client)
    assert control(client, "stadt", fail_status=418).status_code == 400
    assert control(client, "stadt", fail_count=-1).status_code == 400
    assert control(client, "unknown", fail_count=1).status_code == 404
    body = control(
        client,
        "stadt",
        latency_ms=0,
        fail_status=502,
        fail_count=2,
        timeout_after_accept_count=1,
        timeout_after_accept_seconds=0.5,
    ).json()
    assert body["fail_remaining"] == 2 and body["fail_status"] == 502
    assert body["timeout_after_accept_seconds"] == 0.5
    body = control(client, "stadt", reset=True).json()
    assert body["fail_remaining"] == 0 and body["timeout_after_accept_remaining"] == 0


def test_injected_failures_then_success(api: Api, client: Client) -> None:
    control(client, "stadt", fail_status=500, fail_count=2)
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 500
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 500
    assert api.post("/posts", {"text": "A"}, HTTP_IDEMPOTENCY_KEY="k")[0] == 201
    # Only POST /posts fails; other endpoints are untouched.
    control(client, "stadt", fail_count=1)
    assert api.get("/me")[0] == 200
    assert stats(client, "stadt")["posts_created"] == 1


def test_injected_rate_limit_sends_retry_after(api: Api, client: Client) -> None:
    control(client, "stadt", fail_status=429, fail_count=1, retry_after_seconds=7)
    response = api.client.post(
        f"{API}/posts", json.dumps({"text": "A"}), content_type="application/json", **api.auth
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response.json()["error"] == "rate_limited"


def test_latency_is_applied_to_every_api_request(api: Api, client: Client) -> None:
    import time

    control(client, "stadt", latency_ms=150)
    started = time.monotonic()
    assert api.get("/me")[0] == 200
    assert time.monotonic() - started >= 0.15


def test_timeout_after_accept_commits_the_post_first(api: Api, client: Client) -> None:
    import time

    control(client, "stadt", timeout_after_accept_count=1, timeout_after_accept_seconds=0.3)
    started = time.monotonic()
    status, post = api.post("/posts", {"text": "spät"}, HTTP_IDEMPOTENCY_KEY="late")
    assert time.monotonic() - started >= 0.3
    assert status == 201
    # The retry is answered at once with the same post.
    started = time.monotonic()
    status, replay = api.post("/posts", {"text": "spät"}, HTTP_IDEMPOTENCY_KEY="late")
    assert time.monotonic() - started < 0.3
    assert (status, replay["id"]) == (200, post["id"])
    assert stats(client, "stadt")["posts_created"] == 1


def test_duplicates_count_identical_texts(api: Api, client: Client) -> None:
    api.post("/posts", {"text": "doppelt"})
    api.post("/posts", {"text": "doppelt"})
    api.post("/posts", {"text": "einmal"})
    assert stats(client, "stadt")["duplicates"] == 1


# --- Metrics -------------------------------------------------------------------------------


def test_metrics_grow_with_age(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        post = api.post("/posts", {"text": "Metriken"})[1]
        fresh = api.get("/posts/metrics", ids=f"{post['id']},unknown")[1]["data"]
        assert [m["id"] for m in fresh] == [post["id"]]
        assert fresh[0]["impressions"] == 0
        followers = [api.get("/account/metrics")[1]["followers"]]
        history = []
        for _ in range(12):
            traveller.shift(timedelta(hours=6))
            history.append(api.get("/posts/metrics", ids=post["id"])[1]["data"][0])
            followers.append(api.get("/account/metrics")[1]["followers"])
        for key in ("impressions", "reach", "likes", "comments", "shares", "clicks"):
            values = [m[key] for m in history]
            assert values == sorted(values), key
        assert history[-1]["impressions"] > 300
        assert history[-1]["reach"] <= history[-1]["impressions"]
        assert history[-1]["comments"] >= 3
        assert followers == sorted(followers) and followers[-1] > followers[0]
        assert api.get("/account/metrics")[1]["posts"] == 1
        # Deterministic: the same id and age give the same numbers.
        assert api.get("/posts/metrics", ids=post["id"])[1]["data"][0] == history[-1]


def test_metrics_limit_ids(api: Api) -> None:
    ids = ",".join(f"p{i}" for i in range(101))
    assert api.get("/posts/metrics", ids=ids)[0] == 400


def test_simulation_is_deterministic_and_monotone() -> None:
    created = START
    for post_id in ("p0001", "p0002", "pabcdef"):
        assert simulation.comment_schedule(post_id) == simulation.comment_schedule(post_id)
        previous = None
        for hours in range(0, 24 * 8, 3):
            metrics = simulation.post_metrics(post_id, created, created + timedelta(hours=hours))
            if previous is not None:
                assert all(metrics[k] >= previous[k] for k in metrics)
            previous = metrics
        schedule = simulation.comment_schedule(post_id)
        assert 3 <= len(schedule) <= 10
        assert all(c.offset < simulation.COMMENT_HORIZON for c in schedule)
        assert [c.offset for c in schedule] == sorted(c.offset for c in schedule)
        assert all(c.parent_index is None or c.parent_index < c.index for c in schedule)
    kinds = {c.kind for i in range(200) for c in simulation.comment_schedule(f"p{i:04d}")}
    assert {"question", "thanks", "complaint", "rude", "hostile", "hostile_html"} <= kinds


# --- Comments ------------------------------------------------------------------------------


def _all_comments(api: Api, limit: int = 3) -> tuple[list[dict[str, Any]], str | None]:
    cursor: str | None = None
    seen: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        status, page = api.get("/comments", **params)
        assert status == 200
        seen.extend(page["data"])
        if not page["has_more"]:
            return seen, page["next_cursor"] or cursor
        cursor = page["next_cursor"]


def test_comments_are_generated_lazily_stably_and_paged(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        post = api.post("/posts", {"text": "Kommentare bitte"})[1]
        assert api.get("/comments")[1] == {"data": [], "next_cursor": None, "has_more": False}
        traveller.shift(timedelta(hours=4))
        early, cursor = _all_comments(api)
        assert early, "a post gets its first comments within hours"
        traveller.shift(timedelta(days=4))
        # Polling on from the cursor gives exactly the comments that came since.
        _status, later = api.get("/comments", cursor=cursor, limit=100)
        everything, _cursor = _all_comments(api)
        assert [c["id"] for c in everything] == [c["id"] for c in early + later["data"]]
        # Stable ids, no duplicates, idempotent generation.
        again, _cursor = _all_comments(api, limit=100)
        assert again == everything
        schedule = simulation.comment_schedule(post["id"])
        assert len(everything) == len(schedule)
        assert SandboxComment.objects.count() == len(schedule)
        assert SandboxPost.objects.get().comments_complete
        times = [c["created_at"] for c in everything]
        assert times == sorted(times)
        first = everything[0]
        assert first["post_id"] == post["id"]
        assert first["author"]["id"].startswith("citizen-")
        assert first["hidden"] is False and first["by_account"] is False
        assert first["url"].endswith(f"#comment-{first['id']}")


def test_invalid_cursor_is_400(api: Api) -> None:
    status, body = api.get("/comments", cursor="!!garbage")
    assert (status, body["error"]) == (400, "invalid_cursor")


def test_reply_hide_unhide_delete(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        api.post("/posts", {"text": "Beitrag"})
        traveller.shift(timedelta(days=4))
        comments = api.get("/comments", limit=100)[1]["data"]
        target = comments[0]
        status, reply = api.post(f"/comments/{target['id']}/replies", {"text": "Danke!"})
        assert status == 201
        assert reply["parent_id"] == target["id"] and reply["by_account"] is True
        assert api.post(f"/comments/{target['id']}/replies", {"text": " "})[0] == 422
        assert api.post(f"/comments/{target['id']}/hide")[1]["hidden"] is True
        listed = {c["id"]: c for c in api.get("/comments", limit=100)[1]["data"]}
        assert listed[target["id"]]["hidden"] is True
        assert listed[reply["id"]]["text"] == "Danke!"
        assert api.post(f"/comments/{target['id']}/unhide")[1]["hidden"] is False
        victim = comments[1]["id"]
        assert api.delete(f"/comments/{victim}") == 204
        assert api.delete(f"/comments/{victim}") == 404
        # A deleted simulated comment is not generated again.
        ids = [c["id"] for c in api.get("/comments", limit=100)[1]["data"]]
        assert victim not in ids
        assert api.post("/comments/unknown/hide")[0] == 404


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


# --- Public pages --------------------------------------------------------------------------


def _hostile_post_id() -> str:
    return next(
        f"p{i:04d}"
        for i in range(500)
        if any(c.kind == "hostile_html" for c in simulation.comment_schedule(f"p{i:04d}"))
    )


def test_public_pages_render_and_escape_hostile_comments(client: Client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        image = api.upload(jpeg_bytes(), "r.jpg", alt_text="Rathaus bei Nacht")[1]["id"]
        post = api.post("/posts", {"text": "Bild <b>fett</b>", "media_ids": [image]})[1]
        # Give the post an id whose simulated comments include the markup sample.
        hostile_id = _hostile_post_id()
        SandboxPost.objects.filter(remote_id=post["id"]).update(remote_id=hostile_id)
        traveller.shift(timedelta(days=4))

        page = Client().get(f"/sandbox/posts/{hostile_id}/")  # anonymous: public
        assert page.status_code == 200
        html = page.content.decode()
        assert "SANDBOX" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "Bild &lt;b&gt;fett&lt;/b&gt;" in html
        assert 'alt="Rathaus bei Nacht"' in html
        assert "<h1" in html and "<h2" in html

        comment = SandboxComment.objects.filter(post__remote_id=hostile_id).first()
        assert comment is not None
        api.post(f"/comments/{comment.remote_id}/hide")
        html = Client().get(f"/sandbox/posts/{hostile_id}/").content.decode()
        assert f'id="comment-{comment.remote_id}"' not in html

        profile = Client().get("/sandbox/@stadt/")
        assert profile.status_code == 200
        text = profile.content.decode()
        assert "@stadt" in text and "Bild &lt;b&gt;fett&lt;/b&gt;" in text
        assert 'alt="Rathaus bei Nacht"' in text


def test_public_pages_404(client: Client, settings: Any) -> None:
    assert client.get("/sandbox/@nobody/").status_code == 404
    assert client.get("/sandbox/posts/nothing/").status_code == 404
    assert client.get("/sandbox/media/nothing").status_code == 404
    api = Api(client, token_for(client)["access_token"])
    post = api.post("/posts", {"text": "weg"})[1]
    api.delete(f"/posts/{post['id']}")
    assert client.get(f"/sandbox/posts/{post['id']}/").status_code == 404
    settings.SANDBOX_ENABLED = False
    assert client.get("/sandbox/@stadt/").status_code == 404
    assert client.get(f"{API}/me").status_code == 404


# --- Concurrency (real threads against a real server) ---------------------------------------


def _live_token(base: str, username: str) -> str:
    """An access token from the live server's token endpoint (password grant)."""
    answer = requests.post(
        f"{base}/oauth/token",
        data={"grant_type": "password", "username": username, "password": "x"},
        timeout=10,
    )
    return str(answer.json()["access_token"])


def _run_threads(count: int, target: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = target(index)
        except Exception as error:  # collected and asserted by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_consume_the_fault_budget_exactly(live_server: Any) -> None:
    base = f"{live_server.url}{API}"
    token = _live_token(base, "last")
    requests.post(
        f"{base}/_control/last",
        json={"fail_status": 503, "fail_count": 3},
        headers={"X-Sandbox-Control": SECRET},
        timeout=10,
    ).raise_for_status()

    def publish(index: int) -> int:
        return requests.post(
            f"{base}/posts",
            json={"text": f"Beitrag {index}"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).status_code

    statuses = _run_threads(8, publish)
    assert sorted(statuses) == [201] * 5 + [503] * 3
    account = SandboxAccount.objects.get(handle="last")
    assert account.fail_remaining == 0
    assert account.posts_received == 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_key_make_one_post(live_server: Any) -> None:
    # Text only: the insert runs without a transaction of its own (autocommit).
    base = f"{live_server.url}{API}"
    token = _live_token(base, "gleich")

    def publish(_index: int) -> tuple[int, str]:
        response = requests.post(
            f"{base}/posts",
            json={"text": "Einmal"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "eins"},
            timeout=30,
        )
        return response.status_code, response.json()["id"]

    results = _run_threads(6, publish)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(status for status, _id in results) == [200] * 5 + [201]
    assert len({remote_id for _status, remote_id in results}) == 1
    account = SandboxAccount.objects.get(handle="gleich")
    assert (account.posts_received, account.idempotent_replays) == (6, 5)
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_comment_fetches_generate_each_comment_once(live_server: Any) -> None:
    base = f"{live_server.url}{API}"
    token = _live_token(base, "viele")
    headers = {"Authorization": f"Bearer {token}"}
    for index in range(3):
        requests.post(
            f"{base}/posts", json={"text": f"Post {index}"}, headers=headers, timeout=10
        ).raise_for_status()
    # Backdate the posts so that all their comments are due at once.
    SandboxPost.objects.update(created_at=datetime.now(UTC) - timedelta(days=5))

    def fetch(_index: int) -> list[str]:
        response = requests.get(
            f"{base}/comments", params={"limit": 100}, headers=headers, timeout=30
        )
        response.raise_for_status()
        return [c["id"] for c in response.json()["data"]]

    results = _run_threads(6, fetch)
    assert all(isinstance(r, list) for r in results), results
    expected = sum(len(simulation.comment_schedule(p.remote_id)) for p in SandboxPost.objects.all())
    assert SandboxComment.objects.count() == expected
    assert all(sorted(r) == sorted(results[0]) and len(r) == expected for r in results)
