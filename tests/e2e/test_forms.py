"""Forms as a German press office uses them (issue 13): a scheduled post's date survives the
edit form and the post page's reschedule form, and every checkbox and radio button stands
before its own, visible label."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.factories import totp_device_for

pytestmark = [pytest.mark.e2e]

PLANNED = datetime(2030, 12, 5, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def scheduled_post(org: Org, people: People) -> Post:
    post = post_create(
        actor=people.editor,
        unit=org.press,
        title="Weihnachtsmarkt",
        text="Der Weihnachtsmarkt öffnet am Freitag.",
        channels=[org.press_channel],
        planned_at=PLANNED,
    )
    post_submit(actor=people.editor, post=post)
    post_approve(actor=people.approver, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    return post


def test_german_edit_of_a_scheduled_post_keeps_its_date_and_saves(
    page: Page, people: People, scheduled_post: Post
) -> None:
    assert people.editor.language == "de"
    login(page, people.editor)
    visit(page, f"/editorial/posts/{scheduled_post.pk}/edit/")
    expect(page.locator("#id_planned_date")).to_have_value("2030-12-05")
    expect(page.locator("#id_planned_time")).to_have_value("09:00")
    page.locator("#id_title").fill("Weihnachtsmarkt 2030")
    submit(page, page.locator("main form[method=post] button[type=submit]"))
    assert path_of(page) == f"/editorial/posts/{scheduled_post.pk}/"
    scheduled_post.refresh_from_db()
    assert scheduled_post.title == "Weihnachtsmarkt 2030"
    assert scheduled_post.planned_at == PLANNED


def test_german_reschedule_form_shows_the_date_and_moves_the_post(
    page: Page, people: People, scheduled_post: Post
) -> None:
    login(page, people.editor)
    visit(page, f"/editorial/posts/{scheduled_post.pk}/")
    form = page.locator(f"form[action='/editorial/posts/{scheduled_post.pk}/reschedule/']")
    expect(form.locator("input[name=planned_date]")).to_have_value("2030-12-05")
    expect(form.locator("input[name=planned_time]")).to_have_value("09:00")
    form.locator("input[name=planned_time]").fill("10:30")
    submit(page, form.locator("button[type=submit]"))
    scheduled_post.refresh_from_db()
    assert scheduled_post.planned_at == PLANNED.replace(hour=10, minute=30)


# Each checkbox and radio button in main: the text of its label, and whether the box comes
# before that text in the document (a wrapping label counts when the box is its first part).
_BOXES_AND_LABELS = """() => [...document.querySelectorAll(
    "main input[type=checkbox], main input[type=radio]")].map((box) => {
  const labels = [...box.labels];
  const text = labels.map((l) => l.innerText.trim()).join(" ");
  const visible = labels.some((l) => {
    const r = l.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && l.innerText.trim() !== "";
  });
  const before = labels.length > 0 && labels.every((l) => l.contains(box)
    ? !l.innerText.trim() || (box.compareDocumentPosition(l.lastChild) & Node.DOCUMENT_POSITION_FOLLOWING)
    : (box.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {name: box.name, text, visible, before: Boolean(before)};
})"""


def _check_boxes(page: Page) -> list[dict[str, object]]:
    boxes: list[dict[str, object]] = page.evaluate(_BOXES_AND_LABELS)
    assert boxes, f"no checkbox on {page.url}"
    for box in boxes:
        assert box["visible"], f"{page.url}: {box['name']} has no visible label text"
        assert box["before"], f"{page.url}: {box['name']} stands after its label {box['text']!r}"
    return boxes


def test_checkboxes_stand_before_their_own_visible_labels(
    page: Page, org: Org, people: People, scheduled_post: Post
) -> None:
    login(page, people.editor)
    visit(page, "/accounts/profile/")
    boxes = _check_boxes(page)
    # The notification settings are one group, named by its legend.
    expect(page.locator("main fieldset.field-group legend")).to_have_count(1)
    assert len(boxes) > 5
    variant = scheduled_post.variants.get()
    visit(page, f"/editorial/posts/{scheduled_post.pk}/variants/{variant.pk}/")
    names = {box["name"] for box in _check_boxes(page)}
    assert "media_override" in names
    visit(page, "/editorial/posts/new/")
    _check_boxes(page)


def test_editorial_rules_checkboxes_are_a_group_each_before_its_label(
    page: Page, org: Org, people: People
) -> None:
    admin = people.system_admin
    login(page, admin, totp_device_for(admin))
    visit(page, f"/editorial/policy/{org.press.pk}/")
    names = {box["name"] for box in _check_boxes(page)}
    assert {"require_website_link", "alt_text_required", "captions_required"} <= names
    expect(page.locator("main fieldset.field-group input[type=checkbox]")).to_have_count(3)
