# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Management pages and the public page."""

from accounts.models import AuditEntry
from moderation.models import Netiquette
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def _post_draft(client, unit_id: int, rules: list[tuple[int, str, str]]):
    data = {
        "title": "Netiquette",
        "preamble": "Willkommen.",
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "100",
    }
    for index, (number, title, text) in enumerate(rules):
        data |= {
            f"rules-{index}-number": str(number),
            f"rules-{index}-title": title,
            f"rules-{index}-text": text,
        }
    return client.post(f"/moderation/netiquette/units/{unit_id}/draft/", data)


def test_community_manager_writes_and_publishes(client_for, org: Org, people: People) -> None:
    client = client_for(people.community_manager)
    response = _post_draft(client, org.press.pk, [(1, "Respekt", "Keine Beleidigungen.")])
    assert response.status_code == 302
    response = client.post(f"/moderation/netiquette/units/{org.press.pk}/publish/")
    assert response.status_code == 302
    published = Netiquette.objects.get(unit=org.press)
    assert published.published_at is not None
    assert AuditEntry.objects.filter(action="moderation.netiquette.published").exists()


def test_unit_page_shows_the_public_address(client_for, org: Org, people: People) -> None:
    NetiquetteFactory(unit=org.city)
    response = client_for(people.auditor).get(f"/moderation/netiquette/units/{org.press.pk}/")
    assert response.status_code == 200
    assert f"/netiquette/{org.press.pk}/".encode() in response.content


def test_index_lists_units_in_few_queries(
    client_for, org: Org, people: People, django_assert_max_num_queries
) -> None:
    NetiquetteFactory(unit=org.city)
    client = client_for(people.auditor)
    with django_assert_max_num_queries(20):
        response = client.get("/moderation/netiquette/")
    assert "Social-Media-Team" in response.content.decode()


def test_auditor_may_not_edit(client_for, org: Org, people: People) -> None:
    client = client_for(people.auditor)
    assert client.get(f"/moderation/netiquette/units/{org.press.pk}/draft/").status_code == 403
    response = _post_draft(client, org.press.pk, [(1, "A", "a")])
    assert response.status_code == 403
    assert not Netiquette.objects.exists()


def test_outsider_gets_404(client_for, org: Org, people: People) -> None:
    netiquette = NetiquetteFactory(unit=org.press)
    client = client_for(people.outsider)
    assert client.get(f"/moderation/netiquette/units/{org.press.pk}/").status_code == 404
    assert client.get(f"/moderation/netiquette/{netiquette.pk}/").status_code == 404
    assert client.post(f"/moderation/netiquette/units/{org.press.pk}/publish/").status_code == 404


def test_anonymous_is_sent_to_login(client, org: Org) -> None:
    response = client.get("/moderation/netiquette/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_duplicate_rule_number_is_shown_on_the_form(client_for, org: Org, people: People) -> None:
    client = client_for(people.community_manager)
    response = _post_draft(client, org.press.pk, [(1, "A", "a"), (1, "B", "b")])
    assert response.status_code == 400
    assert "twice" in response.content.decode() or "zweimal" in response.content.decode()
    assert not Netiquette.objects.exists()


def test_public_page_needs_no_login(client, org: Org) -> None:
    NetiquetteFactory(unit=org.city)
    response = client.get(f"/netiquette/{org.social.pk}/")
    assert response.status_code == 200
    assert "§ 1 Respekt" in response.content.decode()


def test_public_page_never_shows_a_draft(client, org: Org, people: People) -> None:
    Netiquette.objects.create(unit=org.press, version=1, title="Geheimer Entwurf")
    assert client.get(f"/netiquette/{org.press.pk}/").status_code == 404
    assert client.get(f"/netiquette/{org.press.pk}/v1/").status_code == 404


def test_public_page_lists_versions_and_shows_earlier_ones(client, org: Org) -> None:
    NetiquetteFactory(unit=org.press, rules=[("Alt", "Alte Regel.")])
    NetiquetteFactory(unit=org.press, version=2, rules=[("Neu", "Neue Regel.")])
    Netiquette.objects.create(unit=org.press, version=3, title="Entwurf")
    current = client.get(f"/netiquette/{org.press.pk}/").content.decode()
    assert "§ 1 Neu" in current and f"/netiquette/{org.press.pk}/v1/" in current
    assert "/v3/" not in current
    earlier = client.get(f"/netiquette/{org.press.pk}/v1/").content.decode()
    assert "§ 1 Alt" in earlier


def test_public_page_loads_nothing_from_elsewhere(client, org: Org) -> None:
    NetiquetteFactory(unit=org.press)
    html = client.get(f"/netiquette/{org.press.pk}/").content.decode()
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html


def test_rule_text_is_escaped(client, org: Org) -> None:
    NetiquetteFactory(unit=org.press, rules=[("<b>x</b>", "<script>alert(1)</script>")])
    html = client.get(f"/netiquette/{org.press.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_unit_page_offers_publishing_the_draft(client_for, org: Org, people: People) -> None:
    NetiquetteFactory(unit=org.press)
    client = client_for(people.community_manager)
    _post_draft(client, org.press.pk, [(1, "Neu", "Neue Regel.")])
    html = client.get(f"/moderation/netiquette/units/{org.press.pk}/").content.decode()
    assert f"/moderation/netiquette/units/{org.press.pk}/publish/" in html
    draft = Netiquette.objects.get(unit=org.press, published_at__isnull=True)
    assert draft.version == 2
    detail = client.get(f"/moderation/netiquette/{draft.pk}/")
    assert detail.status_code == 200 and "§ 1 Neu" in detail.content.decode()


def test_the_draft_form_starts_from_the_version_in_force(
    client_for, org: Org, people: People
) -> None:
    NetiquetteFactory(unit=org.city)
    html = (
        client_for(people.community_manager)
        .get(f"/moderation/netiquette/units/{org.press.pk}/draft/")
        .content.decode()
    )
    assert 'value="Respekt"' in html


def test_the_inherited_version_is_readable_but_not_the_draft_above(
    client_for, org: Org, people: People
) -> None:
    city = NetiquetteFactory(unit=org.city)
    draft = Netiquette.objects.create(unit=org.city, version=2)
    client = client_for(people.community_manager)  # of the press office, below the city
    assert client.get(f"/moderation/netiquette/{city.pk}/").status_code == 200
    assert client.get(f"/moderation/netiquette/{draft.pk}/").status_code == 404
