"""Issue 15's browser test of practice mode: a user switches practice mode on in the header,
reviews the practice colleague's post, has their own practice post approved by the
colleague and published to the sandbox, finds the simulated citizens' comments in the
practice inbox, answers the question with a saved reply and hides the insult citing a
Netiquette rule, then switches practice mode off. Nothing reaches a real platform: the
practice channel is a sandbox channel, served by the live server; replies and the hide reach
it through a real Celery worker. Every page passes axe-core (0 serious/critical) and the CSP
checks (``visit``/``submit``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.practice.selectors import practice_colleague_for, practice_unit_for
from channels_app.models import Channel, Platform
from channels_app.sandbox.models import SandboxComment
from editorial.models import Post, PostVariant
from editorial.posts.services import post_create, post_submit
from editorial.practice.services import practice_colleague_review
from editorial.publishing.engine import variant_publish
from moderation.ingestion.services import cursors_ensure, stream_ingest
from moderation.models import InboxItem, IngestCursor, ModerationAction, Reply, SavedReply
from tests.conftest import Org, People
from tests.e2e.conftest import login, submit, visit, wait_for
from tests.moderation.factories import NetiquetteFactory

pytestmark = [pytest.mark.e2e]

QUESTION = "Gilt das auch am Wochenende? Und wo finde ich die Formulare dazu?"
INSULT = "Ihr seid doch alle unfähig, ihr Sesselpupser!"
ANSWER = "Hallo, die Formulare finden Sie auf musterstadt.de/formulare."


@pytest.fixture
def sandbox(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    return settings.SANDBOX_BASE_URL


def _publish_and_ingest(user: User) -> Channel:
    """The user's practice post, approved by the colleague, published to the sandbox, and
    the comments pulled in by the normal ingestion (run here instead of by beat)."""
    unit = practice_unit_for(user)
    channel = Channel.objects.get(unit=unit)
    post = post_create(
        actor=user,
        unit=unit,
        title="Übung: Formulare",
        text="Die neuen Formulare für den Anwohnerparkausweis sind online.",
        planned_at=timezone.now() - timedelta(minutes=1),
        channels=[channel],
    )
    post_submit(actor=user, post=post)
    practice_colleague_review(post.pk)
    variant = PostVariant.objects.get(post=post)
    assert variant_publish(variant.pk) == "published"
    cursors_ensure(channels=[channel])
    cursor = IngestCursor.objects.get(channel=channel, stream="comments")
    IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
    stream_ingest(cursor_id=cursor.pk)
    return channel


def test_the_practice_path(
    page: Page, sandbox: str, org: Org, people: People, worker: None
) -> None:
    editor = people.editor
    login(page, editor)
    submit(page, page.locator("header form[data-practice-switch] button"))
    expect(page.locator("[data-practice-banner]")).to_be_visible()
    expect(page.locator("[data-practice-state]")).to_have_attribute("data-practice-state", "on")
    unit = practice_unit_for(editor)
    channel = Channel.objects.get(unit=unit)
    assert channel.platform == Platform.SANDBOX

    # Four eyes, practised from the approver's side: the colleague's post.
    theirs = Post.objects.get(unit=unit, author=practice_colleague_for(editor))
    visit(page, f"/editorial/posts/{theirs.pk}/")
    expect(page.locator("[data-practice-banner]")).to_be_visible()
    submit(page, page.locator(f"form[action='/editorial/posts/{theirs.pk}/approve/'] button"))
    assert Post.objects.get(pk=theirs.pk).status == Post.Status.APPROVED

    # The own post goes out to the sandbox; the simulated citizens answer it.
    _publish_and_ingest(User.objects.get(pk=editor.pk))
    saved = SavedReply.objects.create(unit=unit, title="Formulare", text=ANSWER)
    rule = NetiquetteFactory(unit=unit).rules.get(number=1)
    visit(page, "/moderation/inbox/")
    rows = page.locator("table.inbox-table tbody td.inbox-text").all_inner_texts()
    assert QUESTION in rows and INSULT in rows
    assert len(rows) == 5

    question = InboxItem.objects.get(channel__unit=unit, text=QUESTION)
    visit(page, f"/moderation/inbox/{question.pk}/")
    page.locator(f"#saved-reply-{question.pk}").select_option(str(saved.pk))
    expect(page.locator(f"#reply-text-{question.pk}")).to_have_value(ANSWER)
    submit(page, page.locator("form.reply-form button[type=submit]"))
    reply = Reply.objects.get(item=question)
    wait_for(
        lambda: Reply.objects.get(pk=reply.pk).status == Reply.Status.SENT,
        "the worker did not send the reply to the sandbox",
    )
    assert SandboxComment.objects.filter(by_account=True, text=ANSWER).exists()

    insult = InboxItem.objects.get(channel__unit=unit, text=INSULT)
    visit(page, f"/moderation/inbox/{insult.pk}/")
    page.locator(f"#kind-{insult.pk}-hide").check()
    page.locator("#id_rule").select_option(str(rule.pk))
    page.locator("#id_justification").fill("Beleidigt die Beschäftigten pauschal.")
    submit(page, page.locator(".action-form button[type=submit]"))
    action = ModerationAction.objects.get(item=insult)
    assert action.rule == rule
    wait_for(
        lambda: ModerationAction.objects.get(pk=action.pk).status == ModerationAction.Status.DONE,
        "the worker did not hide the comment on the sandbox",
    )
    assert SandboxComment.objects.get(text=INSULT).hidden

    # Back to work: the banner goes.
    submit(page, page.locator("header form[data-practice-switch] button"))
    expect(page.locator("[data-practice-banner]")).to_have_count(0)
