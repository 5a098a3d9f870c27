"""Demo posts for ``manage.py load_demo``: a draft, one in review, two scheduled (one due two
minutes after loading, so ``make run`` shows the worker publish it). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import Topic
from editorial.posts.services import post_approve
from editorial.posts.services import post_create
from editorial.posts.services import post_submit


def load(units: dict[str, OrgUnit]) -> None:
    editor = User.objects.get(email=f"redaktion@{DEMO_DOMAIN}")
    approver = User.objects.get(email=f"freigabe@{DEMO_DOMAIN}")
    city = Channel.objects.get(name="Stadt Musterstadt (Sandbox)")
    service = Channel.objects.get(name="Bürgerservice Musterstadt (Sandbox)")
    topic, _created = Topic.objects.get_or_create(unit=units["Presseamt"], name="Stadtfest 2026")
    tomorrow_9 = (timezone.localtime() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    # Approved and due two minutes after loading: `make run` shows the worker publish it.
    soon = timezone.now() + timedelta(minutes=2)
    demo = [
        (
            "Willkommen im Sprachrohr-Sandbox-Kanal",
            "scheduled_soon",
            [city],
            None,
            "Hallo aus dem Presseamt! Dieser Beitrag wurde in Sprachrohr geplant, freigegeben"
            " und vom Worker pünktlich veröffentlicht.",
            soon,
        ),
        (
            "Stadtfest: Programm",
            "draft",
            [city],
            topic,
            "Das Programm für das #stadtfestmusterstadt steht! 🎉 Drei Tage Musik, Theater"
            " und Mitmachaktionen auf dem Marktplatz.",
            tomorrow_9,
        ),
        (
            "Vollsperrung Marktplatz",
            "in_review",
            [city, service],
            None,
            "Ab Montag, 7 Uhr, ist der Marktplatz wegen Bauarbeiten voll gesperrt. Die Busse"
            " der Linien 3 und 5 fahren eine Umleitung über die Bahnhofstraße.",
            tomorrow_9,
        ),
        (
            "Bürgerbüro: neue Öffnungszeiten",
            "scheduled",
            [service],
            None,
            "Ab Dezember hat das Bürgerbüro donnerstags bis 19 Uhr geöffnet. Termine gibt es"
            " online und telefonisch unter 0123 456-0.",
            tomorrow_9,
        ),
    ]
    for title, state, channels, post_topic, text, planned_at in demo:
        if Post.objects.filter(title=title, unit=units["Presseamt"]).exists():
            continue
        post = post_create(
            actor=editor,
            unit=units["Presseamt"],
            title=title,
            text=text,
            topic=post_topic,
            website_link="https://www.musterstadt.example/aktuelles",
            planned_at=planned_at,
            channels=channels,
        )
        if state != "draft":
            post_submit(actor=editor, post=post)
        if state.startswith("scheduled"):
            post_approve(actor=approver, post=post, comment="Freigegeben.")
