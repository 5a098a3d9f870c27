"""Evidence records and their exports: what securing a large comment and exporting it cost.

An item with a 100 KB text, a 10-level parent chain, 20 revisions and 5 flags on a sandbox
channel, in a throw-away PostgreSQL database (``_setup``). Each step runs ``ROUNDS`` times;
prints the median in milliseconds: record_ms (``evidence_record``: build the content, hash,
save, audit), verify_ms (recompute the hash from the stored content), json_export_ms,
pdf_export_ms (``evidence_export``, audited) and pdf_kb (size of the PDF). Target: securing
(record_ms) well under a second, since it runs inside the decision's transaction before a
removal. The PDF is made on download only; fpdf2's line breaking costs about 10 µs per
character, so the 100 KB text (printed twice: the text and the raw payload) takes seconds,
an ordinary comment of a few hundred characters milliseconds.
"""

from __future__ import annotations

from datetime import timedelta

from _setup import median_ms
from _setup import setup_django


def main() -> None:
    setup_django("evidence")
    from django.utils import timezone

    from accounts.models import OrgUnit
    from accounts.models import Role
    from accounts.models import RoleAssignment
    from accounts.models import User
    from channels_app.models import Channel
    from moderation.evidence.selectors import evidence_hash_matches
    from moderation.evidence.services import evidence_export
    from moderation.evidence.services import evidence_record
    from moderation.models import Author
    from moderation.models import Flag
    from moderation.models import InboxItem
    from moderation.models import ItemRevision

    unit = OrgUnit.objects.create(name="Stadt")
    user = User.objects.create_user(email="cm@stadt.example", password=None)
    RoleAssignment.objects.create(user=user, unit=unit, role=Role.COMMUNITY_MANAGER)
    channel = Channel.objects.create(unit=unit, platform="sandbox", name="Kanal")
    author = Author.objects.create(channel=channel, remote_id="a1", handle="wut")
    now = timezone.now()
    parent = None
    for level in range(10):
        parent = InboxItem.objects.create(
            channel=channel,
            remote_id=f"p{level}",
            author=author,
            text=f"Ebene {level}",
            created_at=now - timedelta(hours=level),
            parent=parent,
        )
    text = "Hetze <script>x</script> \u202e 😀 " * 3000
    item = InboxItem.objects.create(
        channel=channel,
        remote_id="c1",
        author=author,
        text=text,
        raw={"text": text},
        created_at=now,
        parent=parent,
    )
    for number in range(20):
        ItemRevision.objects.create(item=item, change="edited", previous_text=f"Fassung {number}")
    for code in ("a", "b", "c", "d", "e"):
        Flag.objects.create(item=item, kind="insult", code=code, explanation="Lexikon")

    records = []

    def secure() -> None:
        records.append(evidence_record(actor=user, item=item))

    print(f"record_ms: {median_ms(secure):.1f}")
    record = records[-1]
    print(f"verify_ms: {median_ms(lambda: evidence_hash_matches(record)):.1f}")
    print(
        "json_export_ms: "
        f"{median_ms(lambda: evidence_export(actor=user, record=record, kind='json')):.1f}"
    )
    print(
        "pdf_export_ms: "
        f"{median_ms(lambda: evidence_export(actor=user, record=record, kind='pdf')):.1f}"
    )
    pdf = evidence_export(actor=user, record=record, kind="pdf")
    print(f"pdf_kb: {len(pdf.content) / 1024:.0f}")


if __name__ == "__main__":
    main()
