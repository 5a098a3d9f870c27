import pytest

from moderation.evidence.services import evidence_record
from moderation.models import EvidenceRecord
from moderation.models import InboxItem
from tests.conftest import Org
from tests.conftest import People
from tests.moderation.factories import InboxItemFactory

HOSTILE = (
    "<script>alert('x')</script> \u202egnp.exe\u202c Grüße 😀 \x07"
    + ("Hetze " * 17000)  # about 100 KB
)


@pytest.fixture
def item(org: Org) -> InboxItem:
    return InboxItemFactory(channel=org.press_channel, text="Du bist ein Idiot.")


@pytest.fixture
def record(item: InboxItem, people: People) -> EvidenceRecord:
    return evidence_record(actor=people.community_manager, item=item)


@pytest.fixture
def hostile_record(org: Org, people: People) -> EvidenceRecord:
    item = InboxItemFactory(
        channel=org.press_channel,
        text=HOSTILE,
        url="javascript:alert(1)",
        raw={"text": HOSTILE, "nested": {"<b>": ["\u202e", 1.5, None]}},
    )
    item.author.display_name = "<img src=x onerror=alert(1)>"
    item.author.save()
    return evidence_record(actor=people.community_manager, item=item)
