"""Reads of the Netiquette: the version that applies to a unit (its own or the nearest
ancestor's), a unit's versions, and the drafts and versions a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet

from accounts.models import OrgUnit
from accounts.models import User
from accounts.starters import Starter
from accounts.starters import load_starter
from moderation.common.permissions import units_for_reading
from moderation.models import Netiquette
from moderation.models import NetiquetteRule


def _with_rules(netiquettes: QuerySet[Netiquette]) -> QuerySet[Netiquette]:
    return netiquettes.select_related("unit", "published_by").prefetch_related(
        Prefetch("rules", queryset=NetiquetteRule.objects.order_by("number"))
    )


def netiquette_current_for(unit: OrgUnit) -> Netiquette | None:
    """The newest published version of the unit's own Netiquette, else of the nearest
    ancestor that has published one (a unit without its own inherits). One query for the
    lookup, one for the rules."""
    ancestors = unit.ancestor_ids
    # Newest first, so the first version seen of each unit is its newest (portable: no
    # DISTINCT ON, as `make run` uses SQLite; a unit has a handful of versions at most).
    newest: dict[int, int] = {}
    for unit_id, pk in (
        Netiquette.objects.filter(unit_id__in=ancestors, published_at__isnull=False)
        .order_by("-version")
        .values_list("unit_id", "pk")
    ):
        newest.setdefault(unit_id, pk)
    for unit_id in reversed(ancestors):
        if unit_id in newest:
            return _with_rules(Netiquette.objects.filter(pk=newest[unit_id])).first()
    return None


def netiquette_versions(unit: OrgUnit) -> QuerySet[Netiquette]:
    """The unit's own published versions, newest first."""
    return Netiquette.objects.filter(unit=unit, published_at__isnull=False).order_by("-version")


def netiquette_version(unit: OrgUnit, version: int) -> Netiquette | None:
    """One published version of the unit's own Netiquette (never a draft)."""
    return _with_rules(netiquette_versions(unit).filter(version=version)).first()


def netiquette_draft_for(unit: OrgUnit) -> Netiquette | None:
    return _with_rules(Netiquette.objects.filter(unit=unit, published_at__isnull=True)).first()


def netiquettes_for_user(user: User) -> QuerySet[Netiquette]:
    """Versions and drafts of the units the user reads (community managers, auditors), and
    the published versions of the units above them, which apply to theirs by inheritance
    (public anyway; the drafts up there are not theirs to see)."""
    units = list(units_for_reading(user).values_list("pk", "path"))
    readable = {pk for pk, _path in units}
    above = {int(part) for _pk, path in units for part in path.strip("/").split("/") if part}
    return _with_rules(
        Netiquette.objects.filter(
            Q(unit_id__in=readable) | Q(unit_id__in=above - readable, published_at__isnull=False)
        ).order_by("unit__path", "-version")
    )


def current_rules_for(unit: OrgUnit) -> QuerySet[NetiquetteRule]:
    """The rules a moderation decision in the unit may cite: those of the version that
    applies now. Rules of older versions stay attached to the decisions that cited them."""
    current = netiquette_current_for(unit)
    if current is None:
        return NetiquetteRule.objects.none()
    return NetiquetteRule.objects.filter(netiquette=current).select_related("netiquette")


def next_version_number(unit: OrgUnit) -> int:
    newest = Netiquette.objects.filter(unit=unit).order_by("-version").first()
    return 1 if newest is None else newest.version + (1 if newest.published_at else 0)


def public_netiquette_path(unit_id: int, version: int | None = None) -> str:
    """The public address (no login) of a unit's Netiquette, for the channels to link."""
    if version is None:
        return f"/netiquette/{unit_id}/"
    return f"/netiquette/{unit_id}/v{version}/"


@dataclass(frozen=True)
class NetiquetteOverviewRow:
    unit: OrgUnit
    current: Netiquette | None  # the version in force: the unit's own or an ancestor's
    inherited_from: str | None  # the ancestor's name when inherited
    has_draft: bool


def netiquette_overview_for(user: User) -> list[NetiquetteOverviewRow]:
    """Every unit the user reads with the Netiquette in force there; three queries."""
    units = list(units_for_reading(user))
    ancestor_ids = {uid for unit in units for uid in unit.ancestor_ids}
    newest: dict[int, Netiquette] = {}
    drafts: set[int] = set()
    for netiquette in Netiquette.objects.filter(unit_id__in=ancestor_ids).order_by(
        "unit_id", "-version"
    ):
        if netiquette.published_at is None:
            drafts.add(netiquette.unit_id)
        elif netiquette.unit_id not in newest:
            newest[netiquette.unit_id] = netiquette
    names = dict(OrgUnit.objects.filter(pk__in=ancestor_ids).values_list("pk", "name"))
    rows = []
    for unit in units:
        source = next((newest[uid] for uid in reversed(unit.ancestor_ids) if uid in newest), None)
        inherited = source is not None and source.unit_id != unit.pk
        rows.append(
            NetiquetteOverviewRow(
                unit=unit,
                current=source,
                inherited_from=names.get(source.unit_id) if inherited and source else None,
                has_draft=unit.pk in drafts,
            )
        )
    return rows


# --- The starter library's Netiquette (issue 15) ----------------------------------------------

STARTER_FILE = Path(__file__).resolve().parent / "starters" / "netiquette.json"


def netiquette_starter() -> Starter:
    """The library's Netiquette: ``body`` is the preamble, ``items`` the rules."""
    return load_starter(STARTER_FILE)


def unit_has_own_netiquette(unit: OrgUnit) -> bool:
    """A version or a draft of its own: adopting the starter would overwrite it."""
    return Netiquette.objects.filter(unit=unit).exists()


@dataclass(frozen=True)
class StarterComparisonRow:
    number: int
    starter_title: str
    starter_text: str
    unit_title: str  # empty: the unit has no rule with this number
    unit_text: str

    @property
    def same(self) -> bool:
        return (self.starter_title, self.starter_text) == (self.unit_title, self.unit_text)


def netiquette_starter_comparison(
    unit: OrgUnit,
) -> tuple[Netiquette | None, list[StarterComparisonRow]]:
    """The unit's draft (else the version in force) next to the library's rules, by number."""
    own = netiquette_draft_for(unit) or netiquette_current_for(unit)
    theirs = {rule.number: rule for rule in own.rules.all()} if own is not None else {}
    library = {int(item["number"]): item for item in netiquette_starter().items}
    rows = []
    for number in sorted(set(theirs) | set(library)):
        item, rule = library.get(number), theirs.get(number)
        rows.append(
            StarterComparisonRow(
                number=number,
                starter_title=item["title"] if item else "",
                starter_text=item["text"] if item else "",
                unit_title=rule.title if rule else "",
                unit_text=rule.text if rule else "",
            )
        )
    return own, rows
