"""The pages of lawful moderation in a real browser (headless Chromium, tests/e2e): each is
accessible (axe-core, WCAG 2.1 AA) and keeps to the Content-Security-Policy, with hostile
content in the evidence; the public Netiquette page without login."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from moderation.actions.services import action_take
from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import browser  # noqa: F401
from tests.e2e.conftest import login
from tests.e2e.conftest import page  # noqa: F401
from tests.e2e.conftest import playwright_instance  # noqa: F401
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.moderation.factories import NetiquetteFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_pages_are_accessible(
    page: Page,  # noqa: F811
    org: Org,
    people: People,
    hostile_record,
) -> None:
    netiquette = NetiquetteFactory(unit=org.city)
    rule = netiquette.rules.get(number=1)
    item = hostile_record.item
    action_take(
        actor=people.community_manager,
        item=item,
        kind=ModerationAction.Kind.NO_ACTION,
        rule=None,
        justification="<b>Zulässige</b> Kritik.",
    )
    visit(page, f"/netiquette/{org.social.pk}/")
    login(page, people.community_manager)
    for path in (
        "/moderation/netiquette/",
        f"/moderation/netiquette/units/{org.press.pk}/",
        f"/moderation/netiquette/units/{org.press.pk}/draft/",
        f"/moderation/netiquette/{netiquette.pk}/",
        "/moderation/evidence/",
        f"/moderation/evidence/{hostile_record.pk}/",
        f"/moderation/actions/items/{item.pk}/",
        "/moderation/actions/",
    ):
        visit(page, path)

    # Deciding in the browser: the mildest sufficient action, on the rule in force.
    visit(page, f"/moderation/actions/items/{item.pk}/")
    page.locator(f"#kind-{item.pk}-hide").check()
    page.locator("#id_rule").select_option(str(rule.pk))
    page.locator("#id_justification").fill("Beleidigung der Mitlesenden.")
    submit(page, page.locator(".action-form button[type=submit]"))
    assert ModerationAction.objects.filter(kind="hide", rule=rule).exists()
    assert page.locator(f"text=§ 1 {rule.title}").count() >= 1
