# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The register's pages: the list with its filters (O(page)), blocking from an item, the
detail with history and its forms, the panel of the conversation view, and who may do what
(another authority 404, an auditor 403 on every form, anonymous to the login)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from channels_app.models import Platform
from moderation.blocks.panels import PANEL
from moderation.blocks.services import block_appeal_record
from moderation.blocks.services import block_lift
from moderation.models import BlockAppeal
from moderation.models import BlockEntry
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.blocks.conftest import WHY_NOT_HIDING as WHY_NOT_HIDING_OF_FIXTURE
from tests.moderation.blocks.conftest import connect
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

S = BlockEntry.Status
D = BlockAppeal.Decision
LIST = "/moderation/blocks/"
WHY_NOT_HIDING = "Droht wiederholt, auch nach verborgenen Kommentaren."


def detail(block: BlockEntry) -> str:
    return f"/moderation/blocks/{block.pk}/"


# --- List -----------------------------------------------------------------------------------


def test_the_register_lists_active_blocks(
    client_for: Callable[[User], object], people: People, block: BlockEntry
) -> None:
    html = client_for(people.auditor).get(LIST).content.decode()  # type: ignore[attr-defined]
    assert detail(block) in html
    assert "@wutbuerger" in html
    assert "§ 1 Respekt" in html


def test_the_due_filter_shows_only_blocks_due_for_review(
    client_for, people: People, block: BlockEntry, make_block, mastodon
) -> None:  # type: ignore[no-untyped-def]
    later = make_block(InboxItemFactory(channel=mastodon))
    BlockEntry.objects.filter(pk=block.pk).update(review_due_on=timezone.localdate())
    html = client_for(people.community_manager).get(f"{LIST}?status=due").content.decode()
    assert detail(block) in html
    assert detail(later) not in html


def test_the_lifted_filter_shows_only_lifted_blocks(
    client_for, people: People, block: BlockEntry, make_block, mastodon
) -> None:  # type: ignore[no-untyped-def]
    active = make_block(InboxItemFactory(channel=mastodon))
    block_lift(actor=people.community_manager, block=block, reason="Erledigt.")
    html = client_for(people.community_manager).get(f"{LIST}?status=lifted").content.decode()
    assert detail(block) in html
    assert detail(active) not in html
    assert detail(active) in client_for(people.community_manager).get(LIST).content.decode()


def test_the_to_do_filter_shows_blocks_to_do_by_hand(
    client_for, org: Org, people: People, block: BlockEntry, make_block
) -> None:  # type: ignore[no-untyped-def]
    x = connect(org.social_channel, Platform.X, account_id="42")
    manual = make_block(InboxItemFactory(channel=x, author=AuthorFactory(channel=x)))
    html = client_for(people.community_manager).get(f"{LIST}?status=todo").content.decode()
    assert detail(manual) in html
    assert detail(block) not in html
    assert "Block by hand on the platform" in html or "von Hand" in html


def test_the_channel_filter_shows_one_channel(
    client_for, org: Org, people: People, block: BlockEntry, make_block
) -> None:  # type: ignore[no-untyped-def]
    other = make_block(InboxItemFactory(channel=org.social_channel))
    response = client_for(people.community_manager).get(f"{LIST}?channel={org.social_channel.pk}")
    html = response.content.decode()
    assert detail(other) in html
    assert detail(block) not in html


def test_a_foreign_channel_in_the_filter_shows_nothing_of_it(
    client_for, org: Org, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.community_manager).get(f"{LIST}?channel={org.police_channel.pk}")
    assert response.status_code == 200
    assert detail(block) in response.content.decode()  # invalid filter: ignored


def test_the_list_stays_o_page(
    client_for, people: People, mastodon, make_block, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        make_block(InboxItemFactory(channel=mastodon))
    client = client_for(people.auditor)
    with django_assert_max_num_queries(22):
        response = client.get(LIST)
    assert response.content.decode().count('href="/moderation/blocks/') >= 25
    with django_assert_max_num_queries(22):
        client.get(f"{LIST}?status=all&page=2")


def test_another_authority_sees_none_of_the_register(
    client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(people.outsider).get(LIST).content.decode()
    assert detail(block) not in html
    assert "@wutbuerger" not in html


def test_anonymous_is_sent_to_the_login(client, block: BlockEntry) -> None:  # type: ignore[no-untyped-def]
    for url in (LIST, detail(block), f"{LIST}new/?item={block.item_id}"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "/accounts/" in response["Location"]


# --- Blocking from an item ------------------------------------------------------------------


def test_the_block_form_offers_the_rules_in_force(
    client_for, people: People, item: InboxItem, rules: list[NetiquetteRule]
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(people.community_manager).get(f"{LIST}new/?item={item.pk}").content.decode()
    for rule in rules:
        assert f"§ {rule.number} {rule.title}" in html
    assert 'type="date"' in html


def test_blocking_on_the_page_records_evidence_and_opens_the_entry(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.community_manager).post(
        f"{LIST}new/",
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Drohung gegen Mitarbeitende.",
            "why_not_milder": WHY_NOT_HIDING,
        },
    )
    block = BlockEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(block)
    assert block.evidence == EvidenceRecord.objects.get(item=item)
    assert block.justification == "Drohung gegen Mitarbeitende."


def test_the_block_form_asks_why_hiding_is_not_enough(
    client_for, people: People, item: InboxItem
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(people.community_manager).get(f"{LIST}new/?item={item.pk}").content.decode()
    assert 'name="why_not_milder"' in html
    assert de("Why is hiding or deleting the comment not enough?") in html


def test_blocking_on_the_page_records_a_moderation_decision(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    client_for(people.community_manager).post(
        f"{LIST}new/",
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "Drohung gegen Mitarbeitende.",
            "why_not_milder": WHY_NOT_HIDING,
        },
    )
    block = BlockEntry.objects.get()
    decision = ModerationAction.objects.get(item=item, kind=ModerationAction.Kind.BLOCK)
    assert (decision.rule, decision.why_not_milder) == (rule, WHY_NOT_HIDING)
    assert decision.details == {"block": block.pk}


def test_a_block_without_the_proportionality_answer_is_refused_on_its_field(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.community_manager).post(
        f"{LIST}new/",
        {"item": item.pk, "rule": rule.pk, "justification": "Drohung gegen Mitarbeitende."},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.get("why_not_milder")
    assert not BlockEntry.objects.exists()
    assert not EvidenceRecord.objects.exists()


def test_a_block_without_justification_shows_the_form_again(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.community_manager).post(
        f"{LIST}new/", {"item": item.pk, "rule": rule.pk, "justification": ""}
    )
    assert response.status_code == 400
    assert not BlockEntry.objects.exists()
    assert not EvidenceRecord.objects.exists()


def test_a_review_date_too_far_ahead_is_shown_on_the_field(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule
) -> None:  # type: ignore[no-untyped-def]
    too_far = (timezone.localdate() + timedelta(days=200)).isoformat()
    response = client_for(people.community_manager).post(
        f"{LIST}new/",
        {
            "item": item.pk,
            "rule": rule.pk,
            "justification": "X",
            "why_not_milder": WHY_NOT_HIDING,
            "review_due_on": too_far,
        },
    )
    assert response.status_code == 400
    assert "6" in response.content.decode()
    assert not BlockEntry.objects.exists()


def test_blocking_an_author_already_blocked_is_refused_on_the_page(
    client_for, people: People, item: InboxItem, rule: NetiquetteRule, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.community_manager)
    assert detail(block) in client.get(f"{LIST}new/?item={item.pk}").content.decode()
    response = client.post(
        f"{LIST}new/", {"item": item.pk, "rule": rule.pk, "justification": "Nochmal."}
    )
    assert response.status_code == 400
    assert BlockEntry.objects.count() == 1


def test_an_auditor_may_not_open_the_block_form(
    client_for, people: People, item: InboxItem
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.auditor)
    assert client.get(f"{LIST}new/?item={item.pk}").status_code == 403
    assert client.post(f"{LIST}new/", {"item": item.pk}).status_code == 403


def test_another_authority_cannot_block_the_citys_commenter(
    client_for, people: People, item: InboxItem
) -> None:  # type: ignore[no-untyped-def]
    assert client_for(people.outsider).get(f"{LIST}new/?item={item.pk}").status_code == 404


# --- Detail and its forms -------------------------------------------------------------------


def test_the_detail_shows_rule_version_justification_and_history(
    client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(people.auditor).get(detail(block)).content.decode()
    assert "§ 1 Respekt" in html
    assert block.justification in html
    assert block.review_due_on.isoformat() in html
    assert f"/moderation/evidence/{block.evidence_id}/" in html
    assert "<form" not in html.split("<main")[1]  # an auditor gets no forms


def test_the_detail_shows_why_hiding_was_not_enough(
    client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(people.auditor).get(detail(block)).content.decode()
    assert de("Why hiding is not enough") in html
    assert WHY_NOT_HIDING_OF_FIXTURE in html


def test_citizen_text_is_escaped_on_the_detail(
    client_for, people: People, block: BlockEntry, second_manager: User
) -> None:  # type: ignore[no-untyped-def]
    hostile = "<script>alert(1)</script>"
    block_appeal_record(
        actor=second_manager, block=block, text=hostile, received_on=timezone.localdate()
    )
    author = block.author
    author.display_name = "<img src=x onerror=alert(1)>"
    author.save()
    html = client_for(people.community_manager).get(detail(block)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html


def test_a_review_on_the_page_keeps_the_block(
    client_for, people: People, block: BlockEntry
) -> None:  # type: ignore[no-untyped-def]
    new_date = timezone.localdate() + timedelta(days=40)
    response = client_for(people.community_manager).post(
        f"{detail(block)}review/",
        {"justification": "Weiter nötig.", "review_due_on": new_date.isoformat()},
    )
    assert response.status_code == 302
    assert BlockEntry.objects.get(pk=block.pk).review_due_on == new_date


def test_lifting_on_the_page_needs_a_reason(client_for, people: People, block: BlockEntry) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.community_manager)
    assert client.post(f"{detail(block)}lift/", {"reason": ""}).status_code == 400
    assert BlockEntry.objects.get(pk=block.pk).status == S.ACTIVE
    assert client.post(f"{detail(block)}lift/", {"reason": "Entschuldigt."}).status_code == 302
    assert BlockEntry.objects.get(pk=block.pk).status == S.LIFTED


def test_an_objection_recorded_on_the_page_is_decided_by_another_person(
    client_for, people: People, block: BlockEntry, second_manager: User
) -> None:  # type: ignore[no-untyped-def]
    recorder = client_for(second_manager)
    response = recorder.post(
        f"{detail(block)}appeals/",
        {"text": "Bitte entsperren.", "received_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    appeal = BlockAppeal.objects.get()
    decide = f"/moderation/blocks/appeals/{appeal.pk}/decide/"
    form = {f"a{appeal.pk}-decision": "lifted", f"a{appeal.pk}-reason": "Verhältnismäßig? Nein."}
    assert recorder.post(decide, form).status_code == 403
    assert client_for(people.community_manager).post(decide, form).status_code == 403
    # Neither the blocker nor the recorder sees the decision form.
    assert decide not in client_for(people.community_manager).get(detail(block)).content.decode()


def test_a_third_person_decides_the_objection_on_the_page(
    client_for, block: BlockEntry, second_manager: User, third_manager: User
) -> None:  # type: ignore[no-untyped-def]
    appeal = block_appeal_record(
        actor=second_manager, block=block, text="Bitte.", received_on=timezone.localdate()
    )
    client = client_for(third_manager)
    decide = f"/moderation/blocks/appeals/{appeal.pk}/decide/"
    assert decide in client.get(detail(block)).content.decode()
    response = client.post(
        decide, {f"a{appeal.pk}-decision": "upheld", f"a{appeal.pk}-reason": "Eindeutig."}
    )
    assert response.status_code == 302
    assert BlockAppeal.objects.get(pk=appeal.pk).decision == D.UPHELD


@pytest.mark.parametrize(
    "path, data",
    [
        ("review/", {"justification": "x"}),
        ("lift/", {"reason": "x"}),
        ("appeals/", {"text": "x", "received_on": "2026-01-01"}),
        ("platform/retry/", {}),
        ("platform/confirm/", {}),
    ],
)
def test_an_auditor_may_not_act_on_an_entry(
    client_for, people: People, block: BlockEntry, path: str, data: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    assert client_for(people.auditor).post(f"{detail(block)}{path}", data).status_code == 403
    assert BlockEntry.objects.get(pk=block.pk).status == S.ACTIVE


@pytest.mark.parametrize("path", ["", "review/", "lift/", "appeals/", "platform/retry/"])
def test_another_authority_gets_404_for_an_entry(
    client_for, people: People, block: BlockEntry, path: str
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.outsider)
    response = client.get(detail(block)) if not path else client.post(f"{detail(block)}{path}")
    assert response.status_code == 404


def test_a_platform_to_do_is_confirmed_on_the_page(
    client_for, org: Org, people: People, make_block
) -> None:  # type: ignore[no-untyped-def]
    x = connect(org.social_channel, Platform.X, account_id="42")
    block = make_block(InboxItemFactory(channel=x, author=AuthorFactory(channel=x)))
    client = client_for(people.community_manager)
    assert f"{detail(block)}platform/confirm/" in client.get(detail(block)).content.decode()
    assert client.post(f"{detail(block)}platform/confirm/").status_code == 302
    assert BlockEntry.objects.get(pk=block.pk).platform_status == "done"


# --- The panel of the conversation view -----------------------------------------------------


def test_the_panel_shows_that_the_author_is_blocked_with_a_link(
    people: People, block: BlockEntry, item: InboxItem
) -> None:
    context = PANEL.context(people.auditor, item)
    assert context is not None
    assert context["block"] == block
    assert context["may_block"] is False


def test_the_panel_offers_community_managers_to_block(people: People, item: InboxItem) -> None:
    context = PANEL.context(people.community_manager, item)
    assert context == {"item": item, "block": None, "may_block": True}


def test_the_panel_is_hidden_from_another_authority(people: People, item: InboxItem) -> None:
    assert PANEL.context(people.outsider, item) is None


def test_the_conversation_view_shows_the_block_panel(
    client_for, people: People, block: BlockEntry, item: InboxItem
) -> None:  # type: ignore[no-untyped-def]
    html = (
        client_for(people.community_manager).get(f"/moderation/inbox/{item.pk}/").content.decode()
    )
    assert "blocks-panel-heading" in html
    assert detail(block) in html
