"""Issue 15's browser test of practice mode, as a new person walks it, through the interface
only: a freshly created editor (and a community manager) logs in for the first time, sees the
checklist of their role on the dashboard, switches practice mode on in the header, reviews the
practice colleague's post, types a post into the editor form, sends it for approval, sees the
colleague's approval, and the post goes out to the practice channel on the sandbox (the
publisher and ingestion run on a real Celery worker; this test only does beat's part, the
dispatch). The simulated citizens' comments arrive in the practice inbox; the community
manager answers the question with a saved reply, hides the insult citing a rule of the
Netiquette the practice space starts with (the starter library's, published), and records the
formal request (a data-subject request). The checklist ticks, practice mode goes off, the real
analytics page shows nothing of practice, and a system admin exports the training record
(CSV) showing the completed items.

Nothing leaves the sandbox: every HTTP request the process makes goes to the live server
(whose sandbox is the only platform), no real unit's channel gets a publication. Every page
passes axe-core (0 serious/critical) and the CSP checks (``visit``/``submit``). Each step is a
screenshot; with ``SPRACHROHR_GUIDE_SHOTS=1`` also a picture of the guide (``docs/guide/``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests.adapters
from django.utils import timezone
from playwright.sync_api import Browser
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from accounts.models import Role
from accounts.models import User
from accounts.practice.selectors import practice_colleague_for
from accounts.practice.selectors import practice_unit_for
from channels_app.models import Channel
from channels_app.models import Platform
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost
from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.models import PostVariant
from editorial.publishing.engine import variants_dispatch_due
from moderation.ingestion.services import cursors_dispatch_due
from moderation.ingestion.services import cursors_ensure
from moderation.models import DataSubjectRequest
from moderation.models import InboxItem
from moderation.models import ModerationAction
from moderation.models import Reply
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.e2e.conftest import VIEWPORT
from tests.e2e.conftest import login
from tests.e2e.conftest import main_form_submit
from tests.e2e.conftest import path_of
from tests.e2e.conftest import screenshot
from tests.e2e.conftest import submit
from tests.e2e.conftest import translated
from tests.e2e.conftest import visit
from tests.e2e.conftest import wait_for
from tests.factories import UserFactory
from tests.factories import totp_device_for

# The sandbox is served by the live server; publishing, reviews, replies, moderation and
# ingestion run on a real worker.
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("sandbox", "worker")]

QUESTION = "Gilt das auch am Wochenende? Und wo finde ich die Formulare dazu?"
INSULT = "Ihr seid doch alle unfähig, ihr Sesselpupser!"
FORMAL_REQUEST = (
    "Ich verlange Auskunft nach Art. 15 DSGVO über alle zu meiner Person gespeicherten Daten."
)
ANSWER = "Hallo, die Formulare finden Sie auf musterstadt.de/formulare."
TEXT = "Die neuen Formulare für den Anwohnerparkausweis sind online. #Bürgerservice"


@pytest.fixture(scope="module")
def browser(german_browser: Browser) -> Browser:
    return german_browser


@pytest.fixture
def sandbox(live_server: Any, settings: Any) -> str:
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.PLATFORM_READ_TIMEOUT = 5
    return str(settings.SANDBOX_BASE_URL)


@pytest.fixture
def outgoing(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The URL of every HTTP request this process sends (the live server's views and the
    worker's tasks run in it): spied on at requests' transport, the HTTP boundary every
    platform adapter and the sandbox client go through."""
    sent: list[str] = []
    send = requests.adapters.HTTPAdapter.send

    def spy(self: requests.adapters.HTTPAdapter, request: Any, *args: Any, **kw: Any) -> Any:
        sent.append(str(request.url))
        return send(self, request, *args, **kw)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", spy)
    yield sent


class Walk:
    """The person's walk: ``shot`` takes the numbered screenshot of what they see."""

    def __init__(self, page: Page, name: str, tmp_path: Path) -> None:
        self.page = page
        self.name = name
        self.tmp_path = tmp_path
        self.number = 0
        page.set_viewport_size(VIEWPORT)

    def shot(self, step: str, show: Locator | None = None) -> None:
        self.number += 1
        screenshot(self.page, f"{self.name}-{self.number:02d}-{step}.png", self.tmp_path, show=show)


def _first_login(walk: Walk, org: Org, role: str, email: str, name: str) -> User:
    """A person just given ``role`` in the Presseamt logs in for the first time: the
    dashboard shows their role's checklist (3 tasks), nothing done yet."""
    person = UserFactory(email=email, full_name=name, roles=[(org.press, role)])
    page = walk.page
    login(page, person)
    panel = page.locator("[data-panel='checklist']")
    expect(panel.locator(".checklist-progress")).to_have_attribute("data-done", "0")
    expect(panel.locator(".checklist-progress")).to_have_attribute("data-total", "3")
    walk.shot("checkliste", show=panel)
    return person


def _practice_on(walk: Walk, person: User) -> Channel:
    page = walk.page
    submit(page, page.locator("header form[data-practice-switch] button"))
    expect(page.locator("[data-practice-banner]")).to_be_visible()
    expect(page.locator("[data-practice-state]")).to_have_attribute("data-practice-state", "on")
    # A crisis action a person in practice is not to take.
    expect(page.locator("body")).not_to_contain_text(de("Pause publishing"))
    walk.shot("uebungsmodus")
    channel = Channel.objects.get(unit=practice_unit_for(person))
    assert channel.platform == Platform.SANDBOX
    return channel


def _type_and_submit_post(walk: Walk, person: User, channel: Channel, title: str) -> Post:
    """ "New post" in the header, the form filled by typing, saved, sent for approval; the
    colleague approves on the worker."""
    page = walk.page
    submit(page, page.get_by_role("link", name=translated("New post"), exact=True))
    assert path_of(page) == "/editorial/posts/new/"
    # Only the practice space to choose from, and only its sandbox channel.
    units = page.locator("#id_unit option:not([value=''])")
    expect(units).to_have_count(1)
    page.locator("#id_unit").select_option(str(channel.unit_id))
    page.locator("#id_title").press_sequentially(title)
    page.locator("#id_text").press_sequentially(TEXT)
    page.get_by_label(channel.label).check()
    expect(page.locator("[data-content-warning]")).to_be_hidden()  # no Mastodon channel
    now = timezone.localtime(timezone.now(), BERLIN)
    page.locator("#id_planned_date").fill(now.date().isoformat())
    page.locator("#id_planned_time").fill(now.strftime("%H:%M"))
    expect(page.locator("#preview-counts")).to_contain_text(channel.label)
    walk.shot("beitrag-schreiben")
    submit(page, page.locator("#post-form button[type=submit]"))
    post = Post.objects.get(unit=channel.unit, title=title)
    assert (post.author_id, post.text) == (person.pk, TEXT)
    assert path_of(page) == f"/editorial/posts/{post.pk}/"

    submit(page, page.locator(f"form[action='/editorial/posts/{post.pk}/submit/'] button"))
    wait_for(
        lambda: Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED,
        "the practice colleague did not approve the post on the worker",
    )
    visit(page, f"/editorial/posts/{post.pk}/")
    colleague = practice_colleague_for(person)
    assert colleague is not None
    review = page.locator("section[aria-labelledby='approvals-heading']")
    expect(review).to_contain_text(colleague.full_name)
    expect(review).to_contain_text(de("Looks good to me. (Your practice colleague)"))
    walk.shot("freigabe-der-uebungskollegin", show=review)
    return post


def _published_and_answered(walk: Walk, post: Post) -> None:
    """Beat's dispatch; the worker publishes to the sandbox, whose simulated citizens answer
    at once, and ingests their comments."""
    page = walk.page
    assert variants_dispatch_due() == 1
    wait_for(
        lambda: Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED,
        "the worker did not publish the practice post to the sandbox",
    )
    visit(page, f"/editorial/posts/{post.pk}/")
    expect(page.locator(".facts")).to_contain_text(de("Published"))
    channel = PostVariant.objects.get(post=post).channel
    cursors_ensure(channels=[channel])
    cursors_dispatch_due()
    wait_for(
        lambda: InboxItem.objects.filter(channel=channel).count() == 5,
        "the worker did not fetch the simulated citizens' comments",
    )


def _checklist_done(page: Page, walk: Walk) -> None:
    """The person's checklist shows all three items done (and the guide's picture of it)."""
    visit(page, "/guide/checklist/")
    items = page.locator("main [data-item]")
    expect(items).to_have_count(3)
    for item in items.all():
        expect(item).to_have_attribute("data-done", "true")
    walk.shot("checkliste-erledigt")


def _nothing_left_the_sandbox(live_server: Any, outgoing: list[str]) -> None:
    own = urlsplit(live_server.url).netloc
    assert outgoing, "no request reached the sandbox: the spy saw nothing"
    assert {urlsplit(url).netloc for url in outgoing} == {own}
    assert not PostVariant.objects.filter(channel__unit__practice_of__isnull=True).exists()
    assert not SandboxPost.objects.exclude(account__handle__startswith="uebung-").exists()


def _practice_off_and_analytics(walk: Walk, person: User, title: str) -> None:
    """Back at work, the analytics page knows nothing of the practice post or space."""
    page = walk.page
    submit(page, page.locator("header form[data-practice-switch] button"))
    expect(page.locator("[data-practice-banner]")).to_have_count(0)
    submit(page, page.locator('.main-nav a[href="/analytics/"]'))
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(de("Figures at a glance"))
    expect(main).not_to_contain_text(title)
    unit = practice_unit_for(person)
    assert unit is not None
    expect(main).not_to_contain_text(unit.name)


def _admin_exports(page: Page, people: People, person: User, done: list[str]) -> None:
    """Log out; a system admin downloads the training record as CSV: the person's items
    ``done`` are completed, with a time."""
    submit(page, page.locator("header form[action='/accounts/logout/'] button"))
    login(page, people.system_admin, totp_device_for(people.system_admin))
    visit(page, "/guide/training/")
    expect(page.locator(f"tr[data-person='{person.pk}']")).to_be_visible()
    with page.expect_download() as download:
        page.locator("main a[href$='format=csv']").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = [
        row
        for row in csv.DictReader(io.StringIO(content), delimiter=";")
        if row["email"] == person.email
    ]
    completed = {row["item"] for row in rows if row["completed_at"]}
    assert completed == set(done)


def test_a_new_editor_practises_the_whole_path(
    page: Page, org: Org, people: People, outgoing: list[str], live_server: Any, tmp_path: Path
) -> None:
    walk = Walk(page, "uebung-redaktion", tmp_path)
    editor = _first_login(walk, org, Role.EDITOR, "nora.neu@stadt.example", "Nora Neu")
    channel = _practice_on(walk, editor)

    # Four eyes, practised from the approver's side: the colleague's post in the queue.
    theirs = Post.objects.get(unit=channel.unit, author=practice_colleague_for(editor))
    submit(page, page.locator('.main-nav a[href="/editorial/approvals/"]'))
    submit(page, page.locator(f"main a[href='/editorial/posts/{theirs.pk}/']"))
    expect(page.locator("[data-practice-badge]").first).to_be_visible()
    # The history names the colleague, not an address of the practice domain.
    history = page.locator("section[aria-labelledby='history-heading']")
    colleague = practice_colleague_for(editor)
    assert colleague is not None
    expect(history).to_contain_text(colleague.full_name)
    expect(history).not_to_contain_text("@practice.sprachrohr.invalid")
    walk.shot("beitrag-der-uebungskollegin-pruefen")
    submit(page, page.locator(f"form[action='/editorial/posts/{theirs.pk}/approve/'] button"))
    assert Post.objects.get(pk=theirs.pk).status == Post.Status.APPROVED

    title = "Übung: Formulare online"
    post = _type_and_submit_post(walk, editor, channel, title)
    _published_and_answered(walk, post)

    # A template of one's own, and a post started from it (beside the one the space has).
    submit(page, page.locator('.main-nav a[href="/editorial/post-templates/"]'))
    expect(page.locator("main")).to_contain_text("Bürgersprechstunde")
    submit(page, page.locator("main a[href='/editorial/post-templates/new/']"))
    page.locator("#id_name").press_sequentially("Übung: Sprechstunde")
    page.locator("#id_title").press_sequentially("Sprechstunde am {tag}")
    page.locator("#id_text").press_sequentially("Die Bürgersprechstunde ist am {tag}.")
    page.get_by_label(channel.label).check()
    submit(page, main_form_submit(page))
    assert path_of(page).endswith("/use/")  # saved: straight on to use it
    page.get_by_label("{tag}").fill("Donnerstag")
    submit(page, main_form_submit(page))
    assert Post.objects.filter(unit=channel.unit, title="Sprechstunde am Donnerstag").exists()

    _checklist_done(page, walk)

    _nothing_left_the_sandbox(live_server, outgoing)
    _practice_off_and_analytics(walk, editor, title)
    _admin_exports(
        page,
        people,
        editor,
        ["editor.first_draft", "editor.submit_for_review", "editor.use_template"],
    )


def test_a_new_community_manager_practises_the_whole_path(
    page: Page, org: Org, people: People, outgoing: list[str], live_server: Any, tmp_path: Path
) -> None:
    walk = Walk(page, "uebung-community", tmp_path)
    manager = _first_login(
        walk, org, Role.COMMUNITY_MANAGER, "clara.neu@stadt.example", "Clara Neu"
    )
    channel = _practice_on(walk, manager)
    unit = channel.unit
    title = "Übung: Anwohnerparken"
    post = _type_and_submit_post(walk, manager, channel, title)
    _published_and_answered(walk, post)

    # A saved reply of one's own, made in the practice space; the Netiquette is there
    # already, published from the starter library when the space was made.
    visit(page, "/moderation/replies/saved/new/")
    page.locator("#id_title").press_sequentially("Formulare")
    page.locator("#id_text").press_sequentially(ANSWER)
    page.locator("#id_shared").check()
    submit(page, main_form_submit(page))
    visit(page, f"/moderation/netiquette/units/{unit.pk}/")
    expect(page.locator("#public-url")).to_be_visible()  # a version applies
    expect(page.locator("main table tbody tr")).to_have_count(1)

    submit(page, page.locator('.main-nav a[href="/moderation/inbox/"]'))
    rows = page.locator("table.inbox-table tbody td.inbox-text").all_inner_texts()
    assert QUESTION in rows and INSULT in rows
    assert len(rows) == 5
    # Only the practice channel to filter by: nothing of the real inbox in practice.
    expect(page.locator("#id_channel option")).to_have_count(1)
    walk.shot("posteingang-der-uebung", show=page.locator("table.inbox-table"))

    question = InboxItem.objects.get(channel__unit=unit, text=QUESTION)
    visit(page, f"/moderation/inbox/{question.pk}/")
    page.locator(f"#saved-reply-{question.pk}").select_option(label="Formulare")
    expect(page.locator(f"#reply-text-{question.pk}")).to_have_value(ANSWER)
    walk.shot("antwort-aus-textbaustein")
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
    page.locator("#id_rule").select_option(index=1)
    page.locator("#id_justification").fill("Beleidigt die Beschäftigten pauschal.")
    walk.shot("ausblenden-mit-netiquette-regel")
    submit(page, page.locator(".action-form button[type=submit]"))
    action = ModerationAction.objects.get(item=insult)
    assert action.rule is not None and action.rule.netiquette.unit_id == unit.pk
    wait_for(
        lambda: ModerationAction.objects.get(pk=action.pk).status == ModerationAction.Status.DONE,
        "the worker did not hide the comment on the sandbox",
    )
    assert SandboxComment.objects.get(text=INSULT).hidden

    # The formal request (a request for access), recorded for the citizen who made it.
    formal = InboxItem.objects.get(channel__unit=unit, text=FORMAL_REQUEST)
    visit(page, "/moderation/privacy/requests/new/")
    page.locator("#id_unit").select_option(str(unit.pk))
    page.locator("#id_q").fill(formal.author.handle)
    submit(page, page.locator("main form[role=search] button[type=submit]"))
    page.locator(f"#author-{formal.author_id}").check()
    expect(page.get_by_label(de("Access (export)"))).to_be_checked()  # Art. 15: access
    walk.shot("foermliches-anliegen-erfassen")
    submit(page, main_form_submit(page))
    assert DataSubjectRequest.objects.get(unit=unit).kind == DataSubjectRequest.Kind.ACCESS

    _checklist_done(page, walk)

    _nothing_left_the_sandbox(live_server, outgoing)
    _practice_off_and_analytics(walk, manager, title)
    _admin_exports(
        page,
        people,
        manager,
        [
            "community_manager.reply_with_saved_reply",
            "community_manager.moderate_citing_rule",
            "community_manager.formal_request",
        ],
    )
