# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Evidence pages."""

from accounts.models import AuditEntry
from moderation.evidence.services import evidence_record
from moderation.models import EvidenceRecord
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


def test_detail_shows_the_verified_hash(client_for, people: People, record) -> None:
    html = client_for(people.auditor).get(f"/moderation/evidence/{record.pk}/").content.decode()
    assert record.sha256 in html
    assert "message--success" in html


def test_detail_warns_when_the_hash_no_longer_matches(client_for, people: People, record) -> None:
    EvidenceRecord.objects.filter(pk=record.pk).update(content={**record.content, "x": 1})
    html = client_for(people.auditor).get(f"/moderation/evidence/{record.pk}/").content.decode()
    assert "message--error" in html


def test_hostile_content_is_escaped(client_for, people: People, hostile_record) -> None:
    html = (
        client_for(people.community_manager)
        .get(f"/moderation/evidence/{hostile_record.pk}/")
        .content.decode()
    )
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_list_stays_o_page(client_for, people: People, item, django_assert_max_num_queries) -> None:
    for _ in range(12):
        evidence_record(actor=people.community_manager, item=item)
    client = client_for(people.auditor)
    with django_assert_max_num_queries(20):
        response = client.get("/moderation/evidence/")
    assert response.content.decode().count("/moderation/evidence/") >= 12


def test_outsider_gets_404(client_for, people: People, record) -> None:
    client = client_for(people.outsider)
    assert client.get(f"/moderation/evidence/{record.pk}/").status_code == 404
    assert client.get(f"/moderation/evidence/{record.pk}/export.json").status_code == 404
    assert client.post(f"/moderation/evidence/{record.pk}/criminal/").status_code == 404


def test_mark_and_file_on_the_page(client_for, people: People, record) -> None:
    client = client_for(people.community_manager)
    response = client.post(f"/moderation/evidence/{record.pk}/criminal/", {"known_since": ""})
    assert response.status_code == 302
    response = client.post(f"/moderation/evidence/{record.pk}/complaint-filed/", {"reference": "1"})
    record.refresh_from_db()
    assert record.criminal_relevant and record.complaint_filed_at is not None


def test_auditor_may_not_mark(client_for, people: People, record) -> None:
    response = client_for(people.auditor).post(f"/moderation/evidence/{record.pk}/criminal/")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="moderation.evidence.criminal_marked").exists()
