"""Automatic flags on ingestion. Flags explain themselves and never remove anything.

``flags_raise`` runs inside ingestion's transaction for every stored batch, so it is built
for speed: a constant number of queries per batch whatever its size (the units' alerts and
lexicon words once, the active classifier once, existing flags once, one bulk insert), the
matchers and the classifier kept per process. No flag changes what the platform shows; a
keyword alert marked so raises the item's priority, nothing else.

The other services change what the flags use (keyword alerts, lexicon words, the trained
classifier) and dismiss flags; each is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from accounts.audit import audit_snapshot
from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.notifications import notify
from channels_app.models import Channel
from moderation.flags import classifier as insult_classifier
from moderation.flags.classifier import InsultModel
from moderation.flags.classifier import Sample
from moderation.flags.detectors import Finding
from moderation.flags.detectors import detect_formal_requests
from moderation.flags.detectors import detect_personal_data
from moderation.flags.detectors import detect_spam_links
from moderation.flags.matching import Match
from moderation.flags.matching import Token
from moderation.flags.matching import matcher_for
from moderation.flags.matching import term_problem
from moderation.flags.matching import tokenize
from moderation.flags.permissions import user_may_dismiss
from moderation.flags.permissions import user_may_manage_alert
from moderation.flags.permissions import user_may_manage_entry
from moderation.flags.permissions import user_may_manage_unit
from moderation.flags.selectors import active_insult_model
from moderation.flags.selectors import base_lexicon
from moderation.flags.selectors import forget_loaded_model
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry

K = Flag.Kind
NOTIFY_CATEGORIES = (KeywordAlert.Category.THREAT, KeywordAlert.Category.EMERGENCY)
# Lexicon words from the maintained file and from units are told apart in the evidence.
SOURCE_BASE = "lexicon"
# What the audit log keeps of a keyword alert and of a lexicon word.
ALERT_LOGGED = ("unit", "phrase", "category", "raises_priority")
LEXICON_LOGGED = ("unit", "term")


# --- Raising flags --------------------------------------------------------------------------


@dataclass
class _UnitRules:
    """What applies to the channels of one unit: its and its ancestors' alerts and words."""

    alerts: frozenset[tuple[str, str]]  # (phrase, "category|raises_priority")
    lexicon: frozenset[tuple[str, str]]  # (term, source: "lexicon" or "unit:<id>")


def _rules_by_path(paths: set[str]) -> dict[str, _UnitRules]:
    """Two queries for all units of the batch, whatever their number."""
    ancestors = {path: [int(p) for p in path.strip("/").split("/") if p] for path in paths}
    unit_ids = {unit_id for ids in ancestors.values() for unit_id in ids}
    alerts_by_unit: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for unit_id, phrase, category, raises in KeywordAlert.objects.filter(
        unit_id__in=unit_ids
    ).values_list("unit_id", "phrase", "category", "raises_priority"):
        alerts_by_unit[unit_id].append((phrase, f"{category}|{int(raises)}"))
    words_by_unit: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for unit_id, term in LexiconEntry.objects.filter(unit_id__in=unit_ids).values_list(
        "unit_id", "term"
    ):
        words_by_unit[unit_id].append((term, f"unit:{unit_id}"))
    base = [(term, SOURCE_BASE) for term in base_lexicon()]
    rules = {}
    for path, ids in ancestors.items():
        rules[path] = _UnitRules(
            alerts=frozenset(a for unit_id in ids for a in alerts_by_unit[unit_id]),
            lexicon=frozenset([*base, *(w for unit_id in ids for w in words_by_unit[unit_id])]),
        )
    return rules


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f"„{word}“" for word in words)


def _keyword_findings(
    text: str, tokens: list[Token], rules: _UnitRules
) -> tuple[list[Finding], bool]:
    """Flags per category of the unit's alerts, and whether one asks for urgency."""
    if not rules.alerts:
        return [], False
    by_category: dict[str, list[Match[str]]] = defaultdict(list)
    urgent = False
    for match in matcher_for(rules.alerts).find(text, tokens):
        category, raises = match.payload.split("|")
        by_category[category].append(match)
        urgent = urgent or raises == "1"
    labels = dict(KeywordAlert.Category.choices)
    findings = []
    for category, matches in by_category.items():
        raises_priority = any(m.payload.endswith("|1") for m in matches)
        phrases = list(dict.fromkeys(m.term for m in matches))
        explanation = _("Keyword alert “%(category)s”: the text contains %(phrases)s.") % {
            "category": labels.get(category, category),
            "phrases": _quote(phrases),
        }
        if raises_priority:
            explanation += " " + _("The alert marks the item urgent.")
        findings.append(
            Finding(
                kind=K.KEYWORD,
                code=category,
                explanation=explanation,
                evidence={
                    "phrases": phrases,
                    "spans": [
                        {
                            "phrase": m.term,
                            "start": m.start,
                            "end": m.end,
                            "text": text[m.start : m.end],
                        }
                        for m in matches
                    ],
                    "raises_priority": raises_priority,
                },
            )
        )
    return findings, urgent


def _lexicon_finding(text: str, tokens: list[Token], rules: _UnitRules) -> Finding | None:
    matches = matcher_for(rules.lexicon).find(text, tokens)
    if not matches:
        return None
    words = list(dict.fromkeys(text[m.start : m.end] for m in matches))
    return Finding(
        kind=K.INSULT,
        code="lexicon",
        explanation=_("Contains words of the insult lexicon: %(words)s.")
        % {"words": _quote(words)},
        evidence={
            "terms": [
                {
                    "term": m.term,
                    "text": text[m.start : m.end],
                    "start": m.start,
                    "end": m.end,
                    "source": "lexicon" if m.payload == SOURCE_BASE else "unit",
                }
                for m in matches
            ]
        },
    )


def _classifier_finding(
    text: str, score: float, row: InsultClassifier, model: InsultModel, vector: Any
) -> Finding:
    features = model.explain(text, row=vector)
    words = [feature["ngram"] for feature in features]
    explanation = _(
        "The insult classifier (trained %(date)s) rates this comment offensive with a score"
        " of %(score)s (threshold %(threshold)s)."
    ) % {
        "date": date_format(timezone.localtime(row.created_at), "SHORT_DATE_FORMAT"),
        "score": number_format(score, 2),  # "0,83" in German
        "threshold": number_format(model.threshold, 2),
    }
    if words:
        explanation += " " + _("What raised the score most: %(words)s.") % {"words": _quote(words)}
    return Finding(
        kind=K.INSULT,
        code="classifier",
        explanation=explanation,
        evidence={
            "score": round(score, 4),
            "threshold": round(model.threshold, 4),
            "classifier": row.pk,
            "top_features": features,
        },
        score=round(score, 4),
    )


@dataclass
class _Alerted:
    item_id: int
    unit_path: str
    categories: list[str]
    phrases: list[str]


def flags_raise(*, items: Sequence[InboxItem]) -> list[Flag]:
    """Look at freshly ingested (or edited) items and store the flags they deserve.

    Called by ingestion once per stored batch, inside its transaction. A flag that exists
    already (also a dismissed one) is not raised again for the same item, kind and code;
    nothing about the item's visibility or status is touched. Returns the flags created."""
    items = [item for item in items if item.pk is not None and item.text and not item.erased_at]
    if not items:
        return []
    paths = dict(
        Channel.objects.filter(pk__in={item.channel_id for item in items}).values_list(
            "pk", "unit__path"
        )
    )
    rules = _rules_by_path(set(paths.values()))
    row, model = active_insult_model()
    scores: list[float] = []
    features = None
    if model is not None:
        scores, features = insult_classifier.score_texts(model, [item.text for item in items])

    findings: list[tuple[InboxItem, Finding]] = []
    urgent: set[int] = set()
    alerted: list[_Alerted] = []
    # Explanations are stored texts: written in the installation's language, as staff read
    # them, not in whichever language the worker happens to run.
    with translation.override(settings.LANGUAGE_CODE):
        for index, item in enumerate(items):
            unit_rules = rules[paths[item.channel_id]]
            tokens = tokenize(item.text)
            keyword, wants_urgent = _keyword_findings(item.text, tokens, unit_rules)
            found: list[Finding] = [*keyword]
            found.extend(detect_personal_data(item.text))
            found.extend(detect_spam_links(item.text))
            found.extend(detect_formal_requests(item.text))
            lexicon = _lexicon_finding(item.text, tokens, unit_rules)
            if lexicon is not None:
                found.append(lexicon)
            if model is not None and row is not None and scores[index] >= model.threshold:
                assert features is not None
                found.append(
                    _classifier_finding(item.text, scores[index], row, model, features[index])
                )
            findings.extend((item, finding) for finding in found)
            if wants_urgent:
                urgent.add(item.pk)
            notable = [f for f in keyword if f.code in NOTIFY_CATEGORIES]
            if notable:
                alerted.append(
                    _Alerted(
                        item_id=item.pk,
                        unit_path=paths[item.channel_id],
                        categories=[f.code for f in notable],
                        phrases=[p for f in notable for p in f.evidence["phrases"]],
                    )
                )
    if not findings:
        return []

    existing = set(
        Flag.objects.filter(item_id__in=[item.pk for item in items]).values_list(
            "item_id", "kind", "code"
        )
    )
    now = timezone.now()
    new_flags = [
        Flag(
            item=item,
            kind=finding.kind,
            code=finding.code,
            explanation=finding.explanation,
            evidence=finding.evidence,
            score=finding.score,
            created_at=now,
        )
        for item, finding in findings
        if (item.pk, finding.kind, finding.code) not in existing
    ]
    # A concurrent worker may have flagged the same item meanwhile: the constraint decides.
    Flag.objects.bulk_create(new_flags, ignore_conflicts=True)
    new_keys = {(flag.item_id, flag.kind, flag.code) for flag in new_flags}

    if urgent:
        _raise_priority(items, urgent)
    fresh = [
        a
        for a in alerted
        if any((a.item_id, K.KEYWORD, category) in new_keys for category in a.categories)
    ]
    if fresh:
        transaction.on_commit(partial(_notify_keyword_alerts, fresh))
    return new_flags


def _raise_priority(items: Sequence[InboxItem], urgent: set[int]) -> None:
    """Mark the items urgent, each change audited as a triage change is (actor "system",
    reason ``keyword_alert``). Raise only: an item somebody marked urgent by hand stays so,
    and a low-priority decision by staff on an edited item is only overridden by a new
    urgent alert."""
    raised = list(
        InboxItem.objects.select_for_update(of=("self",))
        .filter(pk__in=urgent, priority__lt=InboxItem.Priority.URGENT)
        .select_related("channel__unit")
        .only("pk", "priority", "channel__unit")
        .order_by("pk")
    )
    if not raised:
        return
    InboxItem.objects.filter(pk__in=[item.pk for item in raised]).update(
        priority=InboxItem.Priority.URGENT
    )
    for item in raised:
        audit_log(
            action="moderation.inbox.priority_changed",
            target=item,
            unit=item.channel.unit,
            before={"priority": item.priority},
            after={"priority": InboxItem.Priority.URGENT},
            data={"reason": "keyword_alert"},
            actor_label="system",
        )
    for item in items:
        if item.pk in urgent:
            item.priority = InboxItem.Priority.URGENT


def _notify_keyword_alerts(alerted: list[_Alerted]) -> None:
    """After the batch is committed: the community managers of each alerted item's unit
    (and of the units above it) hear of threats and emergencies at once."""
    unit_ids = {int(p) for a in alerted for p in a.unit_path.strip("/").split("/") if p}
    managers: dict[int, list[User]] = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        role=Role.COMMUNITY_MANAGER, unit_id__in=unit_ids, user__is_active=True
    ).select_related("user"):
        managers[assignment.unit_id].append(assignment.user)
    units = OrgUnit.objects.in_bulk(unit_ids)
    labels = dict(KeywordAlert.Category.choices)
    for alert in alerted:
        ids = [int(p) for p in alert.unit_path.strip("/").split("/") if p]
        recipients = {user.pk: user for unit_id in ids for user in managers.get(unit_id, [])}
        if not recipients:
            continue
        notify(
            recipients=recipients.values(),
            kind="moderation.keyword_alert",
            context={
                "category": ", ".join(str(labels.get(c, c)) for c in alert.categories),
                "phrases": ", ".join(dict.fromkeys(alert.phrases)),
                "item": alert.item_id,
            },
            link=reverse("inbox:item", kwargs={"pk": alert.item_id}),
            unit=units.get(ids[-1]),
        )


# --- Dismissing ---------------------------------------------------------------------------


@transaction.atomic
def flag_dismiss(*, actor: User, flag: Flag, request: HttpRequest | None = None) -> Flag:
    """Mark a flag as a false positive. It stays (with who dismissed it and when), so it is
    not raised again for the same item."""
    flag = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("item__channel__unit")
        .get(pk=flag.pk)
    )
    if not user_may_dismiss(actor, flag):
        raise PermissionDenied
    if flag.dismissed_at is not None:
        raise ConflictError(_("This flag has already been dismissed."))
    before = audit_snapshot(flag, "dismissed_at", "dismissed_by")
    flag.dismissed_at = timezone.now()
    flag.dismissed_by = actor
    flag.save(update_fields=["dismissed_at", "dismissed_by"])
    audit_log(
        action="moderation.flags.dismissed",
        actor=actor,
        request=request,
        target=flag,
        unit=flag.item.channel.unit,
        before=before,
        after=audit_snapshot(flag, "dismissed_at", "dismissed_by"),
        data={"item": flag.item_id, "kind": flag.kind, "code": flag.code},
    )
    return flag


# --- Keyword alerts and lexicon -------------------------------------------------------------


def _clean_term(value: str, field: str) -> str:
    value = " ".join(value.split())
    problem = term_problem(value)
    if problem == "empty":
        raise ValidationError({field: _("Enter a word or phrase made of letters or digits.")})
    if problem == "short_affix":
        raise ValidationError(
            {field: _("A word with “*” needs at least three letters besides the “*”.")}
        )
    return value


UnitTerm = TypeVar("UnitTerm", KeywordAlert, LexiconEntry)


def _unit_term_save(
    row: UnitTerm,
    *,
    field: str,
    taken: str,
    action: str,
    actor: User,
    request: HttpRequest | None,
    logged: tuple[str, ...],
) -> UnitTerm:
    """Save a unit's new keyword alert or lexicon word and log it. A phrase or word the unit
    has already, in any case, is refused on ``field`` with ``taken``: also when another
    request saved the same one meanwhile (the unique constraint)."""
    value = getattr(row, field)
    if type(row).objects.filter(unit=row.unit, **{f"{field}__iexact": value}).exists():
        raise ValidationError({field: taken})
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise ValidationError({field: taken}) from error
    audit_about(row, action, actor=actor, request=request, after=audit_snapshot(row, *logged))
    return row


def _unit_term_delete(
    row: KeywordAlert | LexiconEntry,
    *,
    action: str,
    actor: User,
    request: HttpRequest | None,
    logged: tuple[str, ...],
) -> None:
    """Log what a unit's keyword alert or lexicon word was, then delete it."""
    audit_about(row, action, actor=actor, request=request, before=audit_snapshot(row, *logged))
    row.delete()


@transaction.atomic
def keyword_alert_create(
    *,
    actor: User,
    unit: OrgUnit,
    phrase: str,
    category: str = KeywordAlert.Category.TOPIC,
    raises_priority: bool = False,
    request: HttpRequest | None = None,
) -> KeywordAlert:
    if not user_may_manage_unit(actor, unit):
        raise PermissionDenied
    alert = KeywordAlert(
        unit=unit,
        phrase=_clean_term(phrase, "phrase"),
        category=category,
        raises_priority=raises_priority,
        created_by=actor,
    )
    return _unit_term_save(
        alert,
        field="phrase",
        taken=_("This unit already has an alert for this phrase."),
        action="moderation.flags.keyword_alert_created",
        actor=actor,
        request=request,
        logged=ALERT_LOGGED,
    )


@transaction.atomic
def keyword_alert_delete(
    *, actor: User, alert: KeywordAlert, request: HttpRequest | None = None
) -> None:
    if not user_may_manage_alert(actor, alert):
        raise PermissionDenied
    _unit_term_delete(
        alert,
        action="moderation.flags.keyword_alert_deleted",
        actor=actor,
        request=request,
        logged=ALERT_LOGGED,
    )


@transaction.atomic
def lexicon_entry_add(
    *, actor: User, unit: OrgUnit, term: str, request: HttpRequest | None = None
) -> LexiconEntry:
    """Add a word to the unit's lexicon: it applies to the unit's channels and those of the
    units below, from the next ingested item on."""
    if not user_may_manage_unit(actor, unit):
        raise PermissionDenied
    return _unit_term_save(
        LexiconEntry(unit=unit, term=_clean_term(term, "term"), created_by=actor),
        field="term",
        taken=_("This word is already in the unit's lexicon."),
        action="moderation.flags.lexicon_entry_added",
        actor=actor,
        request=request,
        logged=LEXICON_LOGGED,
    )


@transaction.atomic
def lexicon_entry_remove(
    *, actor: User, entry: LexiconEntry, request: HttpRequest | None = None
) -> None:
    if not user_may_manage_entry(actor, entry):
        raise PermissionDenied
    _unit_term_delete(
        entry,
        action="moderation.flags.lexicon_entry_removed",
        actor=actor,
        request=request,
        logged=LEXICON_LOGGED,
    )


# --- Training the classifier ---------------------------------------------------------------


@transaction.atomic
def classifier_train(
    *,
    samples: Sequence[Sample],
    source: str,
    test: Sequence[Sample] | None = None,
    actor: User | None = None,
    actor_label: str = "",
) -> InsultClassifier:
    """Train, measure and store a classifier; it replaces the active one. Raises
    ``ValidationError`` when the data cannot train one."""
    try:
        result = insult_classifier.train(samples, test=test)
    except insult_classifier.TrainingDataError as error:
        raise ValidationError(str(error)) from error
    InsultClassifier.objects.filter(active=True).update(active=False)
    row = InsultClassifier(
        source=source[:500],
        samples=result.train_samples,
        metrics=result.metrics,
        model=insult_classifier.dumps(result.model),
        active=True,
    )
    save_audited(
        row,
        action="moderation.flags.classifier_trained",
        actor=actor,
        request=None,
        unit=None,
        actor_label=actor_label,
        data={"source": row.source, "samples": row.samples, "metrics": row.metrics},
    )
    # This process uses the new model at once; others notice the newer row on their next
    # batch.
    transaction.on_commit(forget_loaded_model)
    return row


def classifier_status_text(row: InsultClassifier | None) -> str:
    if row is None:
        return _("No classifier trained: only the lexicon looks for insults.")
    if not insult_classifier.usable(row.metrics):
        return _(
            "The classifier trained %(date)s was made by an older version (its features or"
            " scikit-learn changed) and is not used: only the lexicon looks for insults until"
            " it is retrained."
        ) % {"date": date_format(timezone.localtime(row.created_at), "SHORT_DATETIME_FORMAT")}
    return _("Classifier trained %(date)s on %(samples)s samples.") % {
        "date": date_format(timezone.localtime(row.created_at), "SHORT_DATETIME_FORMAT"),
        "samples": row.samples,
    }
