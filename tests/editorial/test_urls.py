"""Addresses the editorial pages had before each feature had one name keep working: they
answer 308 with the new address (a posted form is posted again there), query kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/media-library/", "/editorial/media/"),
        ("/media-library/12/file/", "/editorial/media/12/file/"),
        ("/editorial/calendar/", "/editorial/planning/"),
        ("/editorial/calendar/slots/new/", "/editorial/planning/slots/new/"),
        ("/editorial/pause/", "/editorial/crisis/"),
        ("/editorial/pause/emergency/", "/editorial/crisis/emergency/"),
        ("/editorial/templates/3/use/", "/editorial/post-templates/3/use/"),
        ("/editorial/operations/", "/editorial/publishing/"),
        ("/editorial/units/5/rules/", "/editorial/policy/5/"),
    ],
)
def test_an_old_address_answers_308_with_the_new_one(old: str, new: str) -> None:
    response = Client().get(old)
    assert (response.status_code, response["Location"]) == (308, new)
    assert resolve(new).namespace  # the new address is a page of a feature


def test_the_query_string_travels_with_the_redirect() -> None:
    response = Client().get("/editorial/calendar/", {"view": "week", "date": "2026-12-07"})
    assert response["Location"] == "/editorial/planning/?view=week&date=2026-12-07"


def test_a_form_posted_to_an_old_address_is_redirected_keeping_the_method() -> None:
    response = Client().post("/editorial/pause/new/", {"reason": "Krise"})
    assert response.status_code == 308  # browsers repeat the POST at the new address


def test_a_calendar_feed_subscribed_under_the_old_address_is_served_not_redirected() -> None:
    match = resolve("/editorial/calendar/feed/" + "a" * 32 + ".ics")
    assert match.func is resolve("/editorial/planning/feed/" + "a" * 32 + ".ics").func
