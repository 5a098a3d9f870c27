# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The reply pages and the conversation panel: the form with its saved-reply picker works
without JavaScript, citizens' names are escaped, auditors see but do not write, another
authority gets 404; the approval queue and the saved replies pages."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from moderation.common.panels import item_panels_for
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import ModerationSettings
from moderation.models import Reply
from moderation.models import SavedReply
from moderation.replies.services import reply_create
from tests.conftest import Org
from tests.conftest import People
from tests.conftest import de
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import AuthorFactory
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

R = Reply.Status
HOSTILE = '<script>alert("x")</script>'


def _page(item: InboxItem) -> str:
    return reverse("replies:item", args=[item.pk])


def test_the_panel_is_registered_for_the_conversation(item: InboxItem, people: People) -> None:
    names = [p.name for p in item_panels_for(people.community_manager, item)]
    assert "replies" in names


def test_the_panel_is_not_shown_to_another_authority(item: InboxItem, people: People) -> None:
    assert "replies" not in [p.name for p in item_panels_for(people.outsider, item)]


def test_a_community_manager_sees_the_form(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(people.community_manager).get(_page(item)).content.decode()
    count = de("%(length)s of %(limit)s characters, counted as the platform counts them")
    assert 'name="text"' in body and count % {"length": 0, "limit": 1000} in body


def test_an_auditor_sees_replies_but_no_form(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    reply_create(actor=people.community_manager, item=item, text="Ja, auch dann.")
    response = client_for(people.auditor).get(_page(item))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ja, auch dann." in body and 'name="text"' not in body


def test_an_auditor_cannot_post_a_reply(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.auditor).post(_page(item), {"text": "Ja."})
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_another_authority_gets_404(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.outsider)
    assert client.get(_page(item)).status_code == 404
    assert client.post(_page(item), {"text": "Ja."}).status_code == 404


def test_anonymous_is_sent_to_the_login(item: InboxItem, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(_page(item))
    assert response.status_code == 302 and "login" in response["Location"]


def test_posting_a_reply_queues_it(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people.community_manager).post(
        _page(item), {"text": "Ja, auch dann.", "next": "/moderation/inbox/"}
    )
    assert response.status_code == 302 and response["Location"] == "/moderation/inbox/"
    assert Reply.objects.get().status == R.QUEUED


def test_a_refused_reply_keeps_the_text(item: InboxItem, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    text = "Zu lang " + "a" * 1000
    response = client_for(people.community_manager).post(_page(item), {"text": text})
    assert response.status_code == 400
    body = response.content.decode()
    assert text in body and "1000" in body


def test_the_picker_fills_the_text_without_javascript(
    org: Org,
    people: People,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    author = AuthorFactory(channel=org.press_channel, display_name="Erika")
    item = InboxItemFactory(channel=org.press_channel, author=author)
    saved = SavedReply.objects.create(unit=org.press, title="Gruß", text="Hallo {name}!")
    body = (
        client_for(people.community_manager)
        .get(_page(item), {"saved_reply": saved.pk})
        .content.decode()
    )
    assert ">Hallo Erika!</textarea>" in body


def test_a_hostile_name_is_escaped_in_the_page_and_plain_towards_the_platform(
    org: Org,
    people: People,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    author = AuthorFactory(channel=org.press_channel, display_name=HOSTILE)
    item = InboxItemFactory(channel=org.press_channel, author=author)
    saved = SavedReply.objects.create(unit=org.press, title="Gruß", text="Hallo {name}!")
    body = (
        client_for(people.community_manager)
        .get(_page(item), {"saved_reply": saved.pk})
        .content.decode()
    )
    assert HOSTILE not in body
    assert "Hallo &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;!" in body
    reply = reply_create(actor=people.community_manager, item=item, text=f"Hallo {HOSTILE}!")
    assert reply.text == f"Hallo {HOSTILE}!"  # stored and sent as plain text


def test_the_standard_reply_comes_first_for_a_formal_request(
    item: InboxItem,
    people: People,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    Flag.objects.create(
        item=item, kind=Flag.Kind.FORMAL_REQUEST, code="objection", explanation="Widerspruch"
    )
    body = client_for(people.community_manager).get(_page(item)).content.decode()
    assert (
        de(
            "This looks like a formal request. A comment is not the proper channel for it:"
            " the standard answer below says where to turn."
        )
        in body
    )
    assert "ein Widerspruch oder eine Beschwerde kann über soziale Netzwerke" in body


def test_a_rejected_reply_can_be_written_anew(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    second_manager: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    from moderation.replies.services import reply_reject

    reply = reply_create(actor=people.community_manager, item=item, text="Erster Entwurf")
    reply_reject(actor=second_manager, reply=reply, reason="Zu knapp.")
    body = (
        client_for(people.community_manager)
        .get(_page(item), {"from_reply": reply.pk})
        .content.decode()
    )
    assert ">Erster Entwurf</textarea>" in body and "Zu knapp." in body


def test_the_approval_queue_lists_others_replies_only(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    second_manager: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply_create(actor=people.community_manager, item=item, text="Bitte prüfen")
    url = reverse("replies:approvals")
    assert "Bitte prüfen" in client_for(second_manager).get(url).content.decode()
    assert "Bitte prüfen" not in client_for(people.community_manager).get(url).content.decode()


def test_approving_on_the_page(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    second_manager: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Bitte prüfen")
    response = client_for(second_manager).post(reverse("replies:approve", args=[reply.pk]))
    assert response.status_code == 302
    assert Reply.objects.get(pk=reply.pk).status == R.QUEUED


def test_the_author_cannot_approve_on_the_page(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Bitte prüfen")
    response = client_for(people.community_manager).post(
        reverse("replies:approve", args=[reply.pk])
    )
    assert response.status_code == 403


def test_rejecting_without_a_reason_shows_the_form_again(
    item: InboxItem,
    people: People,
    four_eyes: ModerationSettings,
    second_manager: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply = reply_create(actor=people.community_manager, item=item, text="Bitte prüfen")
    response = client_for(second_manager).post(reverse("replies:reject", args=[reply.pk]), {})
    assert response.status_code == 400
    assert Reply.objects.get(pk=reply.pk).status == R.AWAITING_APPROVAL


def test_saved_replies_pages(org: Org, people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.community_manager)
    response = client.post(
        reverse("replies:saved_new"),
        {"title": "Gruß", "text": "Hallo {name}!", "unit": org.press.pk, "shared": "on"},
    )
    assert response.status_code == 302
    saved = SavedReply.objects.get()
    assert saved.owner is None
    assert "Gruß" in client.get(reverse("replies:saved_list")).content.decode()
    response = client.post(
        reverse("replies:saved_edit", args=[saved.pk]),
        {"title": "Gruß", "text": "Hallo {nmae}!", "unit": org.press.pk},
    )
    assert response.status_code == 400 and "{nmae}" in response.content.decode()
    client.post(reverse("replies:saved_delete", args=[saved.pk]))
    assert not SavedReply.objects.exists()


def test_an_auditor_cannot_open_the_new_saved_reply_page(people: People, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(people.auditor).get(reverse("replies:saved_new")).status_code == 403


def test_the_saved_replies_list_stays_o_page(
    org: Org,
    people: People,
    client_for,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(people.community_manager)
    for number in range(3):
        SavedReply.objects.create(unit=org.press, title=f"Gruß {number}", text="Hallo!")
    client.get(reverse("replies:saved_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("replies:saved_list"))
    for number in range(20):
        SavedReply.objects.create(unit=org.press, title=f"Mehr {number}", text="Hallo!")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("replies:saved_list"))


def test_the_reply_panel_stays_o_page(
    item: InboxItem,
    people: People,
    client_for,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(people.community_manager)
    reply_create(actor=people.community_manager, item=item, text="Eins")
    client.get(_page(item))
    with django_assert_max_num_queries(40) as few:
        client.get(_page(item))
    for number in range(10):
        reply_create(actor=people.community_manager, item=item, text=f"Mehr {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_page(item))


def test_the_conversation_view_shows_the_reply_panel(
    item: InboxItem,
    people: People,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    reply_create(actor=people.community_manager, item=item, text="Schon beantwortet")
    conversation = reverse("inbox:item", args=[item.pk])
    body = client_for(people.community_manager).get(conversation).content.decode()
    assert "Schon beantwortet" in body
    assert f'action="{_page(item)}"' in body
    # The form comes back to the conversation after sending.
    assert f'name="next" value="{conversation}"' in body
