"""Reads of the flags feature: flags of an item, a unit's alerts and lexicon (with what it
inherits), the maintained lexicon, the active classifier (kept loaded per process) and the
units' decisions as training data."""

from __future__ import annotations

import threading

from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import Subquery

from accounts.models import OrgUnit
from accounts.models import User
from moderation.common.permissions import channels_for_moderating
from moderation.common.permissions import channels_for_reading
from moderation.flags.classifier import InsultModel
from moderation.flags.classifier import Sample
from moderation.flags.classifier import loads
from moderation.flags.matching import maintained_lexicon
from moderation.models import Flag
from moderation.models import InboxItem
from moderation.models import InsultClassifier
from moderation.models import KeywordAlert
from moderation.models import LexiconEntry
from moderation.models import ModerationAction

# Decisions that say "this was offensive" (they cite a Netiquette rule) and "it was not".
OFFENSIVE_ACTIONS = (
    ModerationAction.Kind.HIDE,
    ModerationAction.Kind.DELETE,
    ModerationAction.Kind.BLOCK,
)
HARMLESS_ACTIONS = (ModerationAction.Kind.NO_ACTION,)


def base_lexicon() -> tuple[str, ...]:
    """The maintained lexicon shipped with Sprachrohr (``lexicon_de.txt``), read once."""
    return maintained_lexicon()


def flags_for_user(user: User) -> QuerySet[Flag]:
    """Flags on items of channels the user may read."""
    return Flag.objects.filter(item__channel__in=channels_for_reading(user))


def flags_for_moderating(user: User) -> QuerySet[Flag]:
    return Flag.objects.filter(item__channel__in=channels_for_moderating(user))


def flags_of_item(item: InboxItem) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(item=item)
        .select_related("dismissed_by")
        .order_by("dismissed_at", "kind", "code")
    )


def keyword_alerts_for_unit(unit: OrgUnit) -> QuerySet[KeywordAlert]:
    """The unit's own alerts and those of the units above it (which apply to it too)."""
    return (
        KeywordAlert.objects.filter(unit_id__in=unit.ancestor_ids)
        .select_related("unit", "created_by")
        .order_by("unit__path", "phrase")
    )


def lexicon_entries_for_unit(unit: OrgUnit) -> QuerySet[LexiconEntry]:
    return (
        LexiconEntry.objects.filter(unit_id__in=unit.ancestor_ids)
        .select_related("unit", "created_by")
        .order_by("unit__path", "term")
    )


def keyword_alerts_for_units(units: QuerySet[OrgUnit]) -> QuerySet[KeywordAlert]:
    return KeywordAlert.objects.filter(unit__in=units).select_related("unit", "created_by")


def lexicon_entries_for_units(units: QuerySet[OrgUnit]) -> QuerySet[LexiconEntry]:
    return LexiconEntry.objects.filter(unit__in=units).select_related("unit", "created_by")


def active_classifier() -> InsultClassifier | None:
    """The classifier in use (without its model bytes), or None: then only the lexicon runs."""
    return InsultClassifier.objects.filter(active=True).defer("model").first()


def classifiers_recent(limit: int = 10) -> list[InsultClassifier]:
    return list(InsultClassifier.objects.defer("model")[:limit])


# The loaded model, per process: unpickling takes long compared to a batch of items. One
# query per batch asks which classifier is active; a newer one replaces the cache.
_loaded: dict[str, tuple[int, InsultModel | None]] = {}
_lock = threading.Lock()


def active_insult_model() -> tuple[InsultClassifier | None, InsultModel | None]:
    row = active_classifier()
    if row is None:
        return None, None
    with _lock:
        cached = _loaded.get("model")
        if cached is not None and cached[0] == row.pk:
            return row, cached[1]
    data = InsultClassifier.objects.filter(pk=row.pk).values_list("model", flat=True).first()
    model = loads(data) if data is not None else None
    with _lock:
        _loaded["model"] = (row.pk, model)
    return row, model


def forget_loaded_model() -> None:
    with _lock:
        _loaded.clear()


def training_samples_from_decisions() -> list[Sample]:
    """The units' own decisions as labelled data: an item whose latest decision hid,
    deleted or blocked citing a Netiquette rule is offensive; one whose latest decision was
    "no action" is not. Items whose text was erased are left out."""
    latest = ModerationAction.objects.filter(item=OuterRef("pk")).order_by("-created_at", "-id")
    rows = (
        InboxItem.objects.filter(erased_at__isnull=True)
        .exclude(text="")
        .annotate(
            decision=Subquery(latest.values("kind")[:1]),
            decision_rule=Subquery(latest.values("rule_id")[:1]),
        )
        .filter(decision__in=[*OFFENSIVE_ACTIONS, *HARMLESS_ACTIONS])
        .values_list("text", "decision", "decision_rule")
    )
    samples = []
    for text, decision, rule_id in rows.iterator(chunk_size=2000):
        if decision in OFFENSIVE_ACTIONS:
            if rule_id is None:
                continue
            samples.append(Sample(text, True))
        else:
            samples.append(Sample(text, False))
    return samples
