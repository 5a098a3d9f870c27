# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""Taking a decision: the rule, the justification and proportionality are enforced by the
service with stable codes; evidence first; audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.errors import ConflictError
from accounts.errors import ErrorCode
from accounts.models import AuditEntry
from moderation.actions.services import ActionRefusedError
from moderation.actions.services import action_take
from moderation.actions.services import citing_reply_text
from moderation.models import EvidenceRecord
from moderation.models import ModerationAction
from tests.conftest import Org
from tests.conftest import People
from tests.factories import ChannelFactory
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.moderation.factories import InboxItemFactory
from tests.moderation.factories import NetiquetteFactory
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)

K = ModerationAction.Kind
S = ModerationAction.Status
WHY = "Der Kommentar droht Gewalt an; verborgen bliebe er für seinen Verfasser sichtbar."


def _take(people: People, item, kind=K.HIDE, rule=None, justification="Beleidigung.", **kw):
    return action_take(
        actor=people.community_manager,
        item=item,
        kind=kind,
        rule=rule,
        justification=justification,
        **kw,
    )


def test_a_hide_without_rule_is_refused(people: People, item) -> None:
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item)
    assert error.value.code == ErrorCode.RULE_REQUIRED
    assert not ModerationAction.objects.exists() and not EvidenceRecord.objects.exists()


def test_a_justification_is_required(people: People, item, rule) -> None:
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, rule=rule, justification="  ")
    assert error.value.code == ErrorCode.JUSTIFICATION_REQUIRED


def test_no_action_needs_a_justification_but_no_rule(people: People, item) -> None:
    action = _take(people, item, kind=K.NO_ACTION, justification="Zulässige Kritik.")
    assert action.status == S.DONE and action.rule is None


def test_no_action_without_justification_is_refused(people: People, item) -> None:
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, kind=K.NO_ACTION, justification="")
    assert error.value.code == ErrorCode.JUSTIFICATION_REQUIRED


def test_a_rule_of_an_earlier_version_is_refused(people: People, item, rule, org: Org) -> None:
    NetiquetteFactory(unit=org.city, version=2)
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, rule=rule)
    assert error.value.code == ErrorCode.RULE_REQUIRED


def test_a_rule_of_another_unit_is_refused(people: People, item, org: Org) -> None:
    foreign = NetiquetteFactory(unit=org.police).rules.first()
    with pytest.raises(ActionRefusedError):
        _take(people, item, rule=foreign)


def test_the_nearest_units_netiquette_applies(people: People, item, org: Org) -> None:
    own = NetiquetteFactory(unit=org.press).rules.first()
    assert _take(people, item, rule=own).rule == own


def test_a_delete_must_say_why_hiding_is_not_enough(people: People, item, rule) -> None:
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, kind=K.DELETE, rule=rule, why_not_milder="weil")
    assert error.value.code == ErrorCode.PROPORTIONALITY_UNCONFIRMED


def test_a_delete_with_reason_is_taken(people: People, item, rule) -> None:
    action = _take(people, item, kind=K.DELETE, rule=rule, why_not_milder=WHY)
    assert action.status == S.PENDING and action.why_not_milder == WHY


def test_a_hide_secures_evidence_in_the_same_transaction(people: People, item, rule) -> None:
    action = _take(people, item, rule=rule)
    assert action.evidence is not None
    assert action.evidence.content["item"]["text"] == "Ihr seid alle Idioten."


def test_the_decision_is_audited_with_before_and_after(people: People, item, rule) -> None:
    action = _take(people, item, rule=rule)
    entry = AuditEntry.objects.get(action="moderation.actions.decided")
    assert entry.target_id == str(action.pk)
    assert entry.data["before"]["remote_hidden"] is False
    assert entry.data["after"]["rule_cited"] == f"§ 1 {rule.title}"
    assert entry.data["after"]["netiquette_version"] == 1


def test_the_platform_call_is_queued_after_commit(
    people: People, item, rule, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _take(people, item, rule=rule)
    assert len(callbacks) >= 1


def test_an_auditor_may_not_decide(people: People, item, rule) -> None:
    with pytest.raises(PermissionDenied):
        action_take(actor=people.auditor, item=item, kind=K.HIDE, rule=rule, justification="x")


def test_showing_again_needs_a_hidden_comment(people: People, item) -> None:
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, kind=K.UNHIDE)
    assert error.value.code == ErrorCode.INVALID_TRANSITION


def test_a_second_hide_while_one_is_pending_conflicts(people: People, item, rule) -> None:
    _take(people, item, rule=rule)
    with pytest.raises(ConflictError):
        _take(people, item, rule=rule)


def test_comments_off_where_the_platform_cannot_is_refused(people: People, org: Org, rule) -> None:
    channel = ChannelFactory(unit=org.press, platform="facebook")
    item = InboxItemFactory(channel=channel)
    with pytest.raises(ActionRefusedError) as error:
        _take(people, item, kind=K.COMMENTS_OFF, rule=rule, why_not_milder=WHY)
    assert error.value.code == ErrorCode.NOT_SUPPORTED_BY_PLATFORM


def test_a_reply_cites_the_rule_and_the_public_netiquette(people: People, item, rule) -> None:
    action = _take(people, item, kind=K.REPLY_CITING_RULE, rule=rule, reply_text="Bitte sachlich.")
    reply = item.replies.get(pk=action.details["reply"])
    assert f"§ 1 {rule.title}" in reply.text
    assert f"/netiquette/{rule.netiquette.unit_id}/v1/" in reply.text
    assert reply.text.startswith("Bitte sachlich.")


def test_a_text_citing_the_rule_itself_is_kept(rule) -> None:
    text = f"Siehe § 1 unserer Netiquette: https://x.example/netiquette/{rule.netiquette.unit_id}/"
    assert citing_reply_text(rule, text) == text


def test_a_block_secures_evidence_and_enters_the_register(people: People, item, rule) -> None:
    action = _take(people, item, kind=K.BLOCK, rule=rule, why_not_milder=WHY, review_due_on=None)
    assert action.status == S.DONE and action.evidence is not None
    assert "block" in action.details


def test_only_a_block_may_rest_on_an_evidence_record_made_before(
    people: People, item, rule
) -> None:
    from django.core.exceptions import ValidationError

    from moderation.evidence.services import evidence_record

    earlier = evidence_record(actor=people.community_manager, item=item)
    with pytest.raises(ValidationError) as refused:
        _take(people, item, kind=K.HIDE, rule=rule, evidence=earlier)
    assert "evidence" in refused.value.message_dict
    assert not ModerationAction.objects.exists()


def test_review_date_reaches_the_block_register(people: People, item, rule) -> None:
    from moderation.models import BlockEntry

    due = timezone.localdate() + timedelta(days=30)
    _take(people, item, kind=K.BLOCK, rule=rule, why_not_milder=WHY, review_due_on=due)
    assert BlockEntry.objects.get().review_due_on == due


def test_no_action_settles_the_item(people: People, item) -> None:
    from moderation.models import InboxItem

    _take(people, item, kind=K.NO_ACTION, justification="Zulässige Kritik.")
    assert InboxItem.objects.get(pk=item.pk).status == InboxItem.Status.NO_ACTION


def test_the_demo_decides_on_a_lawful_and_an_insulting_comment(
    people: People, org: Org, item, netiquette
) -> None:
    from channels_app.models import Channel
    from moderation.actions import demo

    Channel.objects.filter(pk=item.channel_id).update(status=Channel.Status.ACTIVE)
    InboxItemFactory(channel=item.channel, text="Warum dauert die Baustelle so lange?")
    demo.load({})
    demo.load({})  # safe to run twice
    kinds = sorted(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == [K.HIDE, K.NO_ACTION]


def test_blocking_a_blocked_author_again_is_refused_up_front(people: People, item, rule) -> None:
    from moderation.actions.selectors import action_options

    _take(people, item, kind=K.BLOCK, rule=rule, why_not_milder=WHY)
    other = InboxItemFactory(channel=item.channel, author=item.author)
    block = next(o for o in action_options(other) if o.kind == K.BLOCK)
    assert not block.available and block.code == ErrorCode.CONFLICT
    with pytest.raises(ConflictError):
        _take(people, other, kind=K.BLOCK, rule=rule, why_not_milder=WHY)
    assert EvidenceRecord.objects.count() == 1
