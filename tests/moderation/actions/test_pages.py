# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The actions panel and the decision pages."""

from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

K = ModerationAction.Kind


def _post(client, item, **data):
    return client.post(f"/moderation/actions/items/{item.pk}/", {"kind": K.HIDE, **data})


def test_a_hide_without_rule_is_refused_on_the_page(client_for, people: People, item) -> None:
    response = _post(client_for(people.community_manager), item, justification="Beleidigung.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Netiquette rule" in html or "Netiquette-Regel" in html
    assert "Choose the Netiquette rule this action rests on" in html or "Regel" in html
    assert not ModerationAction.objects.exists()


def test_a_missing_justification_is_shown_on_the_form(
    client_for, people: People, item, rule
) -> None:
    response = _post(client_for(people.community_manager), item, rule=rule.pk)
    assert response.status_code == 400
    assert not ModerationAction.objects.exists()


def test_a_hide_with_rule_is_recorded(client_for, people: People, item, rule) -> None:
    response = _post(
        client_for(people.community_manager),
        item,
        rule=rule.pk,
        justification="Beleidigung.",
        next=f"/moderation/inbox/{item.pk}/",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moderation/inbox/{item.pk}/"
    assert ModerationAction.objects.get().evidence is not None


def test_an_auditor_reads_decisions_but_may_not_decide(
    client_for, people: People, item, rule
) -> None:
    client = client_for(people.auditor)
    page = client.get(f"/moderation/actions/items/{item.pk}/")
    assert page.status_code == 200 and 'name="justification"' not in page.content.decode()
    assert _post(client, item, rule=rule.pk, justification="x").status_code == 403


def test_an_outsider_gets_404(client_for, people: People, item, rule) -> None:
    client = client_for(people.outsider)
    assert client.get(f"/moderation/actions/items/{item.pk}/").status_code == 404
    assert _post(client, item, rule=rule.pk, justification="x").status_code == 404


def test_the_form_says_what_the_platform_cannot_do(
    client_for, people: People, org: Org, netiquette
) -> None:
    item = InboxItemFactory(channel=ChannelFactory(unit=org.press, platform="facebook"))
    html = (
        client_for(people.community_manager)
        .get(f"/moderation/actions/items/{item.pk}/")
        .content.decode()
    )
    assert f'id="kind-{item.pk}-comments_off"' in html
    assert "Not possible on this platform" in html or "Auf dieser Plattform nicht möglich" in html


def test_the_panel_is_in_the_conversation_view(client_for, people: People, item, rule) -> None:
    html = (
        client_for(people.community_manager).get(f"/moderation/inbox/{item.pk}/").content.decode()
    )
    assert f"/moderation/actions/items/{item.pk}/" in html


def test_decisions_show_rule_version_and_escape_text(
    client_for, people: People, item, rule
) -> None:
    _post(
        client_for(people.community_manager),
        item,
        kind=K.NO_ACTION,
        justification="<script>alert(1)</script>",
    )
    _post(client_for(people.community_manager), item, rule=rule.pk, justification="Beleidigung.")
    html = client_for(people.auditor).get(f"/moderation/actions/items/{item.pk}/").content.decode()
    assert f"§ 1 {rule.title}" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_decision_list_stays_o_page(client_for, people: People, item) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.community_manager)
    auditor = client_for(people.auditor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            auditor.get("/moderation/actions/")
        return len(context)

    _post(client, item, kind=K.NO_ACTION, justification="Sachliche Kritik.")
    one = queries()
    for _ in range(9):
        _post(client, item, kind=K.NO_ACTION, justification="Sachliche Kritik.")
    assert queries() == one
    assert auditor.get("/moderation/actions/").content.decode().count("Sachliche Kritik.") == 10


def test_auditors_see_the_decisions_in_the_conversation_view(
    client_for, people: People, item, rule
) -> None:
    _post(client_for(people.community_manager), item, rule=rule.pk, justification="Beleidigung.")
    html = client_for(people.auditor).get(f"/moderation/inbox/{item.pk}/").content.decode()
    assert f"§ 1 {rule.title}" in html and "Beleidigung." in html
    assert 'name="why_not_milder"' not in html
