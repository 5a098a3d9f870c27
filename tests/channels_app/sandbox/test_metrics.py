"""The sandbox platform's metrics API: post and account numbers that grow as a post ages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.channels_app.sandbox.support import START
from tests.channels_app.sandbox.support import Api
from tests.channels_app.sandbox.support import token_for

pytestmark = pytest.mark.django_db


@dataclass
class Aging:
    """A post's metrics read right after publishing and then every six hours for three days,
    with the account's followers alongside. The tests run at the last of those times."""

    api: Api
    post: dict[str, Any]
    fresh: list[dict[str, Any]]
    history: list[dict[str, Any]]
    followers: list[int]


@pytest.fixture
def aging(client: Client) -> Iterator[Aging]:
    with time_machine.travel(START, tick=False) as traveller:
        api = Api(client, token_for(client)["access_token"])
        post = api.post("/posts", {"text": "Metriken"})[1]
        fresh = api.get("/posts/metrics", ids=f"{post['id']},unknown")[1]["data"]
        followers = [api.get("/account/metrics")[1]["followers"]]
        history = []
        for _ in range(12):
            traveller.shift(timedelta(hours=6))
            history.append(api.get("/posts/metrics", ids=post["id"])[1]["data"][0])
            followers.append(api.get("/account/metrics")[1]["followers"])
        yield Aging(api, post, fresh, history, followers)


def test_a_new_post_has_no_impressions_and_unknown_ids_are_left_out(aging: Aging) -> None:
    assert [m["id"] for m in aging.fresh] == [aging.post["id"]]
    assert aging.fresh[0]["impressions"] == 0


def test_post_metrics_never_shrink(aging: Aging) -> None:
    for key in ("impressions", "reach", "likes", "comments", "shares", "clicks"):
        values = [m[key] for m in aging.history]
        assert values == sorted(values), key


def test_a_three_day_old_post_has_plausible_numbers(aging: Aging) -> None:
    assert aging.history[-1]["impressions"] > 300
    assert aging.history[-1]["reach"] <= aging.history[-1]["impressions"]
    assert aging.history[-1]["comments"] >= 3


def test_the_account_gains_followers(aging: Aging) -> None:
    assert aging.followers == sorted(aging.followers)
    assert aging.followers[-1] > aging.followers[0]


def test_account_metrics_count_the_posts(aging: Aging) -> None:
    assert aging.api.get("/account/metrics")[1]["posts"] == 1


def test_the_same_post_and_age_give_the_same_numbers(aging: Aging) -> None:
    post_id = aging.post["id"]
    assert aging.api.get("/posts/metrics", ids=post_id)[1]["data"][0] == aging.history[-1]


def test_metrics_limit_ids(api: Api) -> None:
    ids = ",".join(f"p{i}" for i in range(101))
    assert api.get("/posts/metrics", ids=ids)[0] == 400
