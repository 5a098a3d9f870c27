"""Writes of the Netiquette: save a unit's draft, publish it as the next version.

A published version is frozen: its title, preamble and rules never change, because
moderation decisions cite its rules (the rule's row is the cited version). A change is a
new draft, published as the next version; the public page keeps listing the earlier ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audited import audit_about
from accounts.audited import save_audited
from accounts.errors import ConflictError
from accounts.models import OrgUnit
from accounts.models import User
from moderation.models import Netiquette
from moderation.models import NetiquetteRule
from moderation.netiquette.permissions import user_may_edit_netiquette
from moderation.netiquette.selectors import netiquette_starter
from moderation.netiquette.selectors import next_version_number
from moderation.netiquette.selectors import unit_has_own_netiquette

MAX_RULES = 100


class OwnNetiquetteExistsError(ConflictError):
    default_message = gettext_lazy(
        "The unit already has a Netiquette of its own; the starter never overwrites it."
        " Compare the two and take over rules in the draft instead."
    )


class PublishedNetiquetteError(ConflictError):
    default_message = gettext_lazy(
        "A published version is never changed. Save a new draft and publish it as the next version."
    )


@dataclass(frozen=True)
class RuleInput:
    number: int
    title: str
    text: str


def _rules_snapshot(netiquette: Netiquette) -> list[dict[str, Any]]:
    return [
        {"number": rule.number, "title": rule.title, "text": rule.text}
        for rule in netiquette.rules.order_by("number")
    ]


def _snapshot(netiquette: Netiquette) -> dict[str, Any]:
    return {
        "version": netiquette.version,
        "title": netiquette.title,
        "preamble": netiquette.preamble,
        "rules": _rules_snapshot(netiquette),
    }


def _clean_rules(rules: Iterable[RuleInput]) -> list[RuleInput]:
    cleaned: list[RuleInput] = []
    errors: list[str] = []
    seen: set[int] = set()
    for rule in rules:
        title, text = rule.title.strip(), rule.text.strip()
        if rule.number < 1:
            errors.append(_("Rule numbers start at 1."))
        elif rule.number in seen:
            errors.append(_("The number § %(number)s is used twice.") % {"number": rule.number})
        if not title or not text:
            errors.append(
                _("Rule § %(number)s needs a title and a text.") % {"number": rule.number}
            )
        seen.add(rule.number)
        cleaned.append(RuleInput(rule.number, title, text))
    if len(cleaned) > MAX_RULES:
        errors.append(_("At most %(max)s rules.") % {"max": MAX_RULES})
    if errors:
        raise ValidationError({"rules": errors})
    return sorted(cleaned, key=lambda r: r.number)


@transaction.atomic
def netiquette_draft_save(
    *,
    actor: User,
    unit: OrgUnit,
    title: str,
    preamble: str,
    rules: Iterable[RuleInput],
    request: HttpRequest | None = None,
) -> Netiquette:
    """Create or replace the unit's draft (one per unit). The draft gets the next version
    number; it is invisible to the public and cannot be cited until it is published."""
    if not user_may_edit_netiquette(actor, unit):
        raise PermissionDenied
    return _draft_write(
        actor=actor, unit=unit, title=title, preamble=preamble, rules=rules, request=request
    )


def _draft_write(
    *,
    actor: User | None,
    unit: OrgUnit,
    title: str,
    preamble: str,
    rules: Iterable[RuleInput],
    request: HttpRequest | None = None,
) -> Netiquette:
    """The draft's write, allowed (``actor`` None: the system)."""
    # One writer per unit at a time: two drafts saved at once must not both become new rows.
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    cleaned = _clean_rules(rules)
    draft = Netiquette.objects.filter(unit=unit, published_at__isnull=True).first()
    before = _snapshot(draft) if draft is not None else None
    if draft is None:
        draft = Netiquette(unit=unit, version=next_version_number(unit))
    draft.title = title.strip()
    draft.preamble = preamble.strip()
    return save_audited(
        draft,
        action="moderation.netiquette.draft_saved",
        actor=actor,
        request=request,
        unit=unit,
        before=before,
        after=_snapshot,
        relate=lambda saved: _replace_rules(saved, cleaned),
        actor_label="" if actor else "system",
    )


def _replace_rules(draft: Netiquette, rules: list[RuleInput]) -> None:
    draft.rules.all().delete()
    for rule in rules:
        row = NetiquetteRule(netiquette=draft, number=rule.number, title=rule.title, text=rule.text)
        row.full_clean()
        row.save()


@transaction.atomic
def netiquette_publish(
    *, actor: User, netiquette: Netiquette, request: HttpRequest | None = None
) -> Netiquette:
    """Freeze the draft as the unit's next version, effective at once: from now on only its
    rules can be cited, and the public page shows it."""
    netiquette = Netiquette.objects.select_for_update().select_related("unit").get(pk=netiquette.pk)
    if not user_may_edit_netiquette(actor, netiquette.unit):
        raise PermissionDenied
    return _publish(actor=actor, netiquette=netiquette, request=request)


def _publish(
    *, actor: User | None, netiquette: Netiquette, request: HttpRequest | None = None
) -> Netiquette:
    """The locked draft published, allowed (``actor`` None: the system)."""
    if netiquette.published_at is not None:
        raise PublishedNetiquetteError(_("This version is already published."))
    if not netiquette.rules.exists():
        raise ValidationError({"rules": [_("A Netiquette needs at least one rule.")]})
    published_at = timezone.now()
    netiquette.published_at = published_at
    netiquette.published_by = actor
    return save_audited(
        netiquette,
        action="moderation.netiquette.published",
        actor=actor,
        request=request,
        unit=netiquette.unit,
        after=lambda saved: {**_snapshot(saved), "published_at": published_at.isoformat()},
        update_fields=["published_at", "published_by"],
        actor_label="" if actor else "system",
    )


def netiquette_check_draft(netiquette: Netiquette) -> None:
    """Refuse a write to a published version (the API's update of a version)."""
    if netiquette.published_at is not None:
        raise PublishedNetiquetteError


@transaction.atomic
def netiquette_adopt_starter(
    *, actor: User, unit: OrgUnit, request: HttpRequest | None = None
) -> Netiquette:
    """Start the unit's Netiquette from the starter library: a draft with the library's
    preamble and rules, to adapt and publish (published, its rules are what moderation
    decisions cite). Refused when the unit has a version or a draft of its own."""
    if not user_may_edit_netiquette(actor, unit):
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    if unit_has_own_netiquette(unit):
        raise OwnNetiquetteExistsError
    return _starter_draft(actor=actor, unit=unit, request=request)


def _starter_draft(
    *, actor: User | None, unit: OrgUnit, request: HttpRequest | None = None
) -> Netiquette:
    starter = netiquette_starter()
    draft = _draft_write(
        actor=actor,
        unit=unit,
        title=starter.title,
        preamble=starter.body,
        rules=[RuleInput(int(r["number"]), r["title"], r["text"]) for r in starter.items],
        request=request,
    )
    audit_about(
        draft,
        "moderation.netiquette.starter_adopted",
        actor=actor,
        request=request,
        data={"starter": starter.key, "starter_version": starter.version},
        actor_label="" if actor else "system",
    )
    return draft


@transaction.atomic
def netiquette_practice_seed(sender: Any, unit: OrgUnit, **kwargs: Any) -> Netiquette | None:
    """A practice space starts with the starter library's Netiquette, published, so that a
    beginner moderates citing its rules at once (receiver of
    ``accounts.practice.events.practice_space_opened``). Written by the system: it ticks
    nothing on anyone's checklist. Nothing when the space has a Netiquette (a version or a
    draft) of its own; never for a real unit."""
    if not unit.is_practice:
        raise PermissionDenied
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).get()
    if unit_has_own_netiquette(unit):
        return None
    return _publish(actor=None, netiquette=_starter_draft(actor=None, unit=unit))
