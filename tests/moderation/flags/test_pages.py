# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The flags pages and the flags panel of the conversation view."""

from __future__ import annotations

from collections.abc import Callable

from moderation.flags.services import flags_raise
from moderation.flags.services import keyword_alert_create
from moderation.flags.services import lexicon_entry_add
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

Make = Callable[..., InboxItem]


def test_index_lists_units_and_says_when_no_classifier(client_for, people: People) -> None:
    page = client_for(people.auditor).get("/moderation/flags/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Presseamt" in text
    assert "Polizei" not in text
    assert "nur das Lexikon" in text or "only the lexicon" in text


def test_unit_page_shows_inherited_alerts(client_for, org: Org, people: People) -> None:
    keyword_alert_create(actor=people.community_manager, unit=org.press, phrase="Bombe")
    page = client_for(people.community_manager).get(f"/moderation/flags/units/{org.social.pk}/")
    assert page.status_code == 200
    assert "Bombe" in page.content.decode()


def test_community_manager_adds_an_alert_on_the_page(client_for, org: Org, people: People) -> None:
    answer = client_for(people.community_manager).post(
        f"/moderation/flags/units/{org.press.pk}/alerts/",
        {"phrase": "Hochwasser", "category": "emergency", "raises_priority": "on"},
    )
    assert answer.status_code == 302
    alert = KeywordAlert.objects.get()
    assert (alert.unit, alert.category, alert.raises_priority) == (org.press, "emergency", True)


def test_bad_alert_keeps_the_input_and_says_why(client_for, org: Org, people: People) -> None:
    answer = client_for(people.community_manager).post(
        f"/moderation/flags/units/{org.press.pk}/alerts/", {"phrase": "!!!", "category": "topic"}
    )
    assert answer.status_code == 400
    assert 'value="!!!"' in answer.content.decode()
    assert not KeywordAlert.objects.exists()


def test_auditor_may_not_add_an_alert(client_for, org: Org, people: People) -> None:
    answer = client_for(people.auditor).post(
        f"/moderation/flags/units/{org.press.pk}/alerts/", {"phrase": "Bombe", "category": "topic"}
    )
    assert answer.status_code == 403


def test_other_authoritys_unit_is_404(client_for, org: Org, people: People) -> None:
    client = client_for(people.outsider)
    assert client.get(f"/moderation/flags/units/{org.press.pk}/").status_code == 404
    answer = client.post(
        f"/moderation/flags/units/{org.press.pk}/lexicon/", {"term": "Sesselfurzer"}
    )
    assert answer.status_code == 404


def test_community_manager_adds_and_removes_a_lexicon_word(
    client_for, org: Org, people: People
) -> None:
    client = client_for(people.community_manager)
    client.post(f"/moderation/flags/units/{org.press.pk}/lexicon/", {"term": "Sesselfurzer*"})
    entry = LexiconEntry.objects.get()
    answer = client.post(f"/moderation/flags/lexicon/{entry.pk}/delete/")
    assert answer.status_code == 302
    assert not LexiconEntry.objects.exists()


def test_auditor_may_not_remove_a_lexicon_word(client_for, org: Org, people: People) -> None:
    entry = lexicon_entry_add(actor=people.community_manager, unit=org.press, term="Sesselfurzer")
    assert (
        client_for(people.auditor).post(f"/moderation/flags/lexicon/{entry.pk}/delete/").status_code
        == 403
    )


def test_anonymous_is_sent_to_login(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/moderation/flags/")
    assert answer.status_code == 302
    assert "login" in answer["Location"]


def test_base_lexicon_page_lists_the_maintained_words(client_for, people: People) -> None:
    page = client_for(people.auditor).get("/moderation/flags/lexicon/")
    assert "idiot*" in page.content.decode()


def test_panel_shows_flag_with_evidence_and_dismiss_button(
    client_for, people: People, make_item: Make
) -> None:
    item = make_item("Ihr Idioten, ruft 030 12345678 an")
    flags_raise(items=[item])
    text = (
        client_for(people.community_manager).get(f"/moderation/inbox/{item.pk}/").content.decode()
    )
    assert "+49 30 ••••••78" in text
    flag = Flag.objects.get(item=item, code="phone")
    assert f"/moderation/flags/{flag.pk}/dismiss/" in text


def test_panel_has_no_dismiss_button_for_auditors(
    client_for, people: People, make_item: Make
) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    text = client_for(people.auditor).get(f"/moderation/inbox/{item.pk}/").content.decode()
    assert "Idioten" in text
    assert "/dismiss/" not in text


def test_panel_escapes_the_citizens_text(client_for, people: People, make_item: Make) -> None:
    item = make_item("<script>alert(1)</script> Idioten")
    flags_raise(items=[item])
    text = (
        client_for(people.community_manager).get(f"/moderation/inbox/{item.pk}/").content.decode()
    )
    assert "<script>alert(1)</script>" not in text


def test_dismiss_on_the_page_returns_to_the_item(
    client_for, people: People, make_item: Make
) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item)
    answer = client_for(people.community_manager).post(f"/moderation/flags/{flag.pk}/dismiss/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/moderation/inbox/{item.pk}/"
    flag.refresh_from_db()
    assert flag.dismissed_at is not None


def test_dismiss_by_auditor_is_403(client_for, people: People, make_item: Make) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item)
    assert (
        client_for(people.auditor).post(f"/moderation/flags/{flag.pk}/dismiss/").status_code == 403
    )


def test_dismiss_by_other_authority_is_404(client_for, people: People, make_item: Make) -> None:
    item = make_item("Ihr Idioten")
    flags_raise(items=[item])
    flag = Flag.objects.get(item=item)
    assert (
        client_for(people.outsider).post(f"/moderation/flags/{flag.pk}/dismiss/").status_code == 404
    )
