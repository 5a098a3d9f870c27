"""The sandbox's simulated audience (``channels_app.sandbox.simulation``): deterministic,
monotone metrics and a plausible comment schedule per post."""

from __future__ import annotations

from datetime import timedelta

import pytest

from channels_app.sandbox import simulation
from tests.channels_app.sandbox.support import START

POST_IDS = ["p0001", "p0002", "pabcdef"]


@pytest.mark.parametrize("post_id", POST_IDS)
def test_the_comment_schedule_is_the_same_for_the_same_post(post_id: str) -> None:
    assert simulation.comment_schedule(post_id) == simulation.comment_schedule(post_id)


@pytest.mark.parametrize("post_id", POST_IDS)
def test_post_metrics_never_shrink_over_eight_days(post_id: str) -> None:
    created = START
    previous = None
    for hours in range(0, 24 * 8, 3):
        metrics = simulation.post_metrics(post_id, created, created + timedelta(hours=hours))
        if previous is not None:
            assert all(metrics[k] >= previous[k] for k in metrics)
        previous = metrics


@pytest.mark.parametrize("post_id", POST_IDS)
def test_a_post_gets_three_to_ten_comments_in_order_within_the_horizon(post_id: str) -> None:
    schedule = simulation.comment_schedule(post_id)
    assert 3 <= len(schedule) <= 10
    assert all(c.offset < simulation.COMMENT_HORIZON for c in schedule)
    assert [c.offset for c in schedule] == sorted(c.offset for c in schedule)


@pytest.mark.parametrize("post_id", POST_IDS)
def test_a_reply_comes_after_the_comment_it_answers(post_id: str) -> None:
    schedule = simulation.comment_schedule(post_id)
    assert all(c.parent_index is None or c.parent_index < c.index for c in schedule)


def test_the_audience_writes_every_kind_of_comment() -> None:
    kinds = {c.kind for i in range(200) for c in simulation.comment_schedule(f"p{i:04d}")}
    assert {"question", "thanks", "complaint", "rude", "hostile", "hostile_html"} <= kinds
