"""Demo goals and strategy (``manage.py load_demo``): the Presseamt's target groups, four
goals for the current half-year (three with a KPI target whose progress comes from the demo
figures and the moderation service levels, one in words) and why each of its channels is
used. Written through the services as the demo approver (audited). Idempotent."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import OrgUnit
from accounts.models import User
from analytics.goals.services import GoalInput
from analytics.goals.services import channel_strategy_update
from analytics.goals.services import goal_create
from analytics.goals.services import target_group_create
from analytics.models import ChannelStrategy
from analytics.models import Goal
from analytics.models import GoalComparison
from analytics.models import GoalMetric
from analytics.models import TargetGroup
from channels_app.models import Channel

GROUPS = [
    ("Jüngere Menschen (16 bis 29)", "Erreichen wir kaum über Presse und Amtsblatt."),
    ("Pendlerinnen und Pendler", "Brauchen Verkehrsmeldungen früh am Morgen."),
    ("Eltern und Familien", "Kita, Schule, Ferienangebote."),
]

STRATEGIES = {
    "Stadt Musterstadt (Sandbox)": (
        "Schnelle Meldungen aus der Verwaltung, Baustellen und Veranstaltungen; Rückfragen"
        " beantworten wir innerhalb eines Servicetags.",
        "Interessierte Bürgerinnen und Bürger, lokale Medien.",
        ["Pendlerinnen und Pendler"],
    ),
    "Bürgerservice Musterstadt (Sandbox)": (
        "Fragen zu Terminen, Ausweisen und Anträgen dort beantworten, wo sie gestellt werden.",
        "Alle, die einen Termin im Bürgerbüro brauchen.",
        ["Jüngere Menschen (16 bis 29)", "Eltern und Familien"],
    ),
}


def _half_year(today: date) -> tuple[date, date]:
    """The half-year around the demo figures (the last 60 days): it began two months ago."""
    start = (today - timedelta(days=60)).replace(day=1)
    month = start.month + 6
    end = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def load(units: dict[str, OrgUnit]) -> None:
    press = units["Presseamt"]
    actor = User.objects.filter(email=f"freigabe@{DEMO_DOMAIN}").first()
    if actor is None:
        return
    for name, description in GROUPS:
        if not TargetGroup.objects.filter(unit=press, name=name).exists():
            target_group_create(actor=actor, unit=press, name=name, description=description)
    groups = {g.name: g for g in TargetGroup.objects.filter(unit=press)}
    channel = Channel.objects.filter(name="Stadt Musterstadt (Sandbox)").first()
    start, end = _half_year(timezone.localdate())
    goals = [
        GoalInput(
            title="Jüngere Menschen erreichen",
            description="Mehr Folgende auf unseren Kanälen, vor allem unter 30.",
            period_start=start,
            period_end=end,
            metric=GoalMetric.FOLLOWERS_GROWTH,
            target_value=Decimal(20),
            target_groups=[groups["Jüngere Menschen (16 bis 29)"]],
        ),
        GoalInput(
            title="Innerhalb eines Servicetags antworten",
            description="Fragen und Hinweise im Postfach beantworten wir zügig.",
            period_start=start,
            period_end=end,
            metric=GoalMetric.RESPONSE_WITHIN_TARGET,
            target_value=Decimal(90),
        ),
        GoalInput(
            title="Reichweite des Stadtkanals steigern",
            period_start=start,
            period_end=end,
            metric=GoalMetric.REACH,
            channel=channel,
            comparison=GoalComparison.AT_LEAST,
            target_value=Decimal(50000),
            target_groups=[groups["Pendlerinnen und Pendler"]],
        ),
        GoalInput(
            title="Verlässlich informieren, wenn es darauf ankommt",
            description="In Krisenlagen sind wir die erste Quelle, nicht Gerüchte.",
            period_start=start,
            period_end=end,
        ),
    ]
    for data in goals:
        if not Goal.objects.filter(unit=press, title=data.title).exists():
            goal_create(actor=actor, unit=press, data=data)
    for channel_name, (purpose, audience, group_names) in STRATEGIES.items():
        strategy_channel = Channel.objects.filter(name=channel_name).first()
        if (
            strategy_channel is None
            or ChannelStrategy.objects.filter(channel=strategy_channel).exists()
        ):
            continue
        channel_strategy_update(
            actor=actor,
            channel=strategy_channel,
            purpose=purpose,
            audience=audience,
            target_groups=[groups[name] for name in group_names],
        )
