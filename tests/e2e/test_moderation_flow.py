"""Issue 11's browser test: a community manager triages the inbox, answers a citizen with a
saved reply and hides an insult citing a Netiquette rule; the auditor then finds all of it
and can change nothing.

The platform is the sandbox, served by the live server over real HTTP; replies and the hide
reach it through a real Celery worker (threads), as in the actions and blocks end-to-end
tests. Every page passes the suite's axe-core and Content-Security-Policy checks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import AuditEntry
from accounts.models import User
from accounts.selectors import user_requires_two_factor
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from moderation.models import EvidenceRecord
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import NetiquetteRule
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.sending import replies_dispatch_due
from moderation.service_levels.services import items_set_deadlines
from tests.conftest import Org
from tests.conftest import People
from tests.e2e.conftest import login
from tests.e2e.conftest import path_of
from tests.e2e.conftest import submit
from tests.e2e.conftest import visit
from tests.e2e.conftest import wait_for
from tests.editorial.factories import sandbox_connected
from tests.factories import totp_device_for
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory

pytestmark = [pytest.mark.e2e]

QUESTION = "Wann hat das Bürgerbüro am Samstag geöffnet?"
INSULT = "Ihr seid doch alle Idioten im Rathaus!"
ANSWER = "Hallo Anna Krüger, das Bürgerbüro hat samstags von 9 bis 12 Uhr geöffnet."
JUSTIFICATION = "Beleidigt die Beschäftigten der Stadt pauschal, ohne Sachbezug."


@dataclass
class Thread:
    """Our sandbox post with two citizens' comments, in the inbox as ingestion stores them."""

    question: InboxItem
    insult: InboxItem
    question_comment: SandboxComment
    insult_comment: SandboxComment
    rule: NetiquetteRule
    saved: SavedReply


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    return settings.SANDBOX_BASE_URL


@pytest.fixture
def thread(sandbox: str, org: Org, people: People) -> Thread:
    channel = sandbox_connected(org.press_channel, people, "stadt-e2e")
    account = SandboxAccount.objects.get(handle="stadt-e2e")
    post = SandboxPost.objects.create(
        account=account, remote_id="p-e2e", text="Neue Öffnungszeiten", comments_complete=True
    )
    comments = {
        remote_id: SandboxComment.objects.create(
            post=post, remote_id=remote_id, author_name=name, author_id=author_id, text=text
        )
        for remote_id, name, author_id, text in (
            ("c-frage", "Anna Krüger", "citizen-a", QUESTION),
            ("c-beleidigung", "Max Wut", "citizen-b", INSULT),
        )
    }
    items = {
        remote_id: InboxItemFactory(
            channel=channel,
            author=AuthorFactory(
                channel=channel,
                remote_id=comment.author_id,
                handle=comment.author_id,
                display_name=comment.author_name,
            ),
            remote_id=remote_id,
            post_remote_id=post.remote_id,
            text=comment.text,
        )
        for remote_id, comment in comments.items()
    }
    # As ingestion does: each item's response deadline from the unit's service levels.
    items_set_deadlines(items=list(items.values()))
    insult = items["c-beleidigung"]
    Flag.objects.create(
        item=insult, kind=Flag.Kind.INSULT, code="lexicon", explanation="Enthält „Idioten“."
    )
    saved = SavedReply.objects.create(
        unit=org.press,
        title="Öffnungszeiten Samstag",
        text="Hallo {name}, das Bürgerbüro hat samstags von 9 bis 12 Uhr geöffnet.",
    )
    return Thread(
        question=items["c-frage"],
        insult=insult,
        question_comment=comments["c-frage"],
        insult_comment=comments["c-beleidigung"],
        rule=NetiquetteFactory(unit=org.city).rules.get(number=1),
        saved=saved,
    )


def _login(page: Page, user: User) -> None:
    login(page, user, totp_device_for(user) if user_requires_two_factor(user) else None)


def _logout(page: Page) -> None:
    submit(page, page.locator("header form[action='/accounts/logout/'] button"))


def _rows(page: Page) -> list[str]:
    return page.locator("table.inbox-table tbody td.inbox-text").all_inner_texts()


def _community_manager_answers_and_hides(page: Page, people: People, thread: Thread) -> None:
    question, insult = thread.question, thread.insult
    _login(page, people.community_manager)
    submit(page, page.locator("nav.main-nav a[href='/moderation/inbox/']"))
    assert set(_rows(page)) == {QUESTION, INSULT}
    # Each row says how much time is left to answer.
    expect(page.locator("table.inbox-table .sla--open")).to_have_count(2)

    # Triage: the insults first, then back to everything, then a search.
    page.locator("#id_flag").select_option(Flag.Kind.INSULT)
    submit(page, page.locator("form.inbox-filter button[type=submit]"))
    assert _rows(page) == [INSULT]
    page.locator("#id_flag").select_option("")
    page.locator("#id_q").fill("Bürgerbüro")
    submit(page, page.locator("form.inbox-filter button[type=submit]"))
    assert _rows(page) == [QUESTION]

    submit(page, page.locator(f"td.inbox-text a[href='/moderation/inbox/{question.pk}/']"))
    assert path_of(page) == f"/moderation/inbox/{question.pk}/"
    expect(page.locator("nav.sub-nav a[aria-current='page']")).to_have_attribute(
        "href", "/moderation/inbox/"
    )
    page.locator("#triage_assignee").select_option(str(people.community_manager.pk))
    submit(page, page.locator(f"form[action='/moderation/inbox/{question.pk}/assign/'] button"))
    page.locator("#triage_priority").select_option(str(InboxItem.Priority.HIGH))
    submit(page, page.locator(f"form[action='/moderation/inbox/{question.pk}/priority/'] button"))
    page.locator("#triage_status").select_option(InboxItem.Status.PENDING)
    submit(page, page.locator(f"form[action='/moderation/inbox/{question.pk}/status/'] button"))
    question.refresh_from_db()
    assert (question.assignee, question.priority, question.status) == (
        people.community_manager,
        InboxItem.Priority.HIGH,
        InboxItem.Status.PENDING,
    )

    # The saved reply fills in the citizen's name; sent once through the worker.
    page.locator(f"#saved-reply-{question.pk}").select_option(str(thread.saved.pk))
    expect(page.locator(f"#reply-text-{question.pk}")).to_have_value(ANSWER)
    submit(page, page.locator("form.reply-form button[type=submit]"))
    reply = Reply.objects.get(item=question)
    wait_for(
        lambda: Reply.objects.get(pk=reply.pk).status == Reply.Status.SENT,
        "the worker did not send the reply to the sandbox",
    )
    assert replies_dispatch_due() == 0  # the sweep finds nothing left to send
    ours = SandboxComment.objects.filter(parent=thread.question_comment, by_account=True)
    assert [comment.text for comment in ours] == [ANSWER]
    wait_for(
        lambda: InboxItem.objects.get(pk=question.pk).status == InboxItem.Status.ANSWERED,
        "the sent reply did not answer the item",
    )

    # The insult: hidden, citing § 1, with a justification.
    visit(page, "/moderation/inbox/")
    submit(page, page.locator(f"td.inbox-text a[href='/moderation/inbox/{insult.pk}/']"))
    page.locator(f"#kind-{insult.pk}-hide").check()
    page.locator("#id_rule").select_option(str(thread.rule.pk))
    page.locator("#id_justification").fill(JUSTIFICATION)
    submit(page, page.locator(".action-form button[type=submit]"))
    action = ModerationAction.objects.get(item=insult)
    assert (action.kind, action.rule, action.justification) == (
        ModerationAction.Kind.HIDE,
        thread.rule,
        JUSTIFICATION,
    )
    wait_for(
        lambda: ModerationAction.objects.get(pk=action.pk).status == ModerationAction.Status.DONE,
        "the worker did not hide the comment on the sandbox",
    )
    thread.insult_comment.refresh_from_db()
    assert thread.insult_comment.hidden
    assert InboxItem.objects.get(pk=insult.pk).remote_hidden
    _logout(page)


def _evidence_came_before_the_platform_call(thread: Thread) -> EvidenceRecord:
    action = ModerationAction.objects.select_related("evidence").get(item=thread.insult)
    evidence = action.evidence
    assert evidence is not None
    assert evidence.item_id == thread.insult.pk
    assert action.finished_at is not None and evidence.created_at < action.finished_at
    sequence = dict(
        AuditEntry.objects.filter(
            action__in=["moderation.evidence.recorded", "moderation.actions.done"]
        ).values_list("action", "sequence")
    )
    assert sequence["moderation.evidence.recorded"] < sequence["moderation.actions.done"]
    return evidence


def _nothing_to_act_on(page: Page) -> None:
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("main textarea, main select")).to_have_count(0)


def test_a_community_manager_answers_and_hides_and_the_auditor_sees_it_all(
    page: Page, people: People, thread: Thread, worker: None
) -> None:
    _community_manager_answers_and_hides(page, people, thread)
    evidence = _evidence_came_before_the_platform_call(thread)
    question, insult = thread.question, thread.insult

    _login(page, people.auditor)
    submit(page, page.locator("nav.main-nav a[href='/moderation/inbox/']"))
    assert set(_rows(page)) == {QUESTION, INSULT}
    expect(page.locator("main form[method=post]")).to_have_count(0)  # no bulk changes

    submit(page, page.locator(f"td.inbox-text a[href='/moderation/inbox/{question.pk}/']"))
    expect(page.locator("main .inbox-fulltext")).to_contain_text(QUESTION)
    expect(page.locator("main .reply-panel")).to_contain_text(ANSWER)
    expect(page.locator("main .sla--answered")).to_have_count(1)
    _nothing_to_act_on(page)

    visit(page, f"/moderation/inbox/{insult.pk}/")
    decisions = page.locator("main .moderation-actions table")
    expect(decisions).to_contain_text(f"§ 1 {thread.rule.title}")
    expect(decisions).to_contain_text(JUSTIFICATION)
    _nothing_to_act_on(page)

    submit(page, decisions.locator(f"a[href='/moderation/evidence/{evidence.pk}/']"))
    expect(page.locator("main")).to_contain_text(INSULT)
    expect(page.locator("main")).to_contain_text(evidence.sha256)
    _nothing_to_act_on(page)

    # The item's own trail, then everything moderation recorded.
    visit(page, f"/moderation/inbox/{insult.pk}/")
    submit(page, page.locator("main a[href^='/audit/?target_type=moderation.inboxitem']"))
    trail = page.locator("table.audit-table tbody")
    expect(trail).to_contain_text("moderation.inbox.status_changed")
    visit(page, "/audit/?action=moderation.")
    recorded = set(page.locator("table.audit-table tbody td:nth-child(4) code").all_inner_texts())
    assert {
        "moderation.inbox.assigned",
        "moderation.inbox.priority_changed",
        "moderation.replies.created",
        "moderation.replies.sent",
        "moderation.evidence.recorded",
        "moderation.actions.decided",
        "moderation.actions.done",
    } <= recorded
