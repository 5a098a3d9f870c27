"""Demo inbox for ``manage.py load_demo``: the sandbox channels get a lively audience and a
few posts of the last days, and are ingested once, so that ``make run`` opens on a full
inbox (comments with threads, hostile ones, personal data, formal requests, mentions,
direct messages, edits and deletions); the worker keeps it living from there.

The web server is not running while loading: the sandbox answers in-process, through the
real adapter and ingestion code. Safe to run twice: the posts are found again by their
Idempotency-Key, and ingestion stores each item once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrgUnit
from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxPost
from channels_app.sandbox.services import control_update
from channels_app.sandbox.services import post_publish
from channels_app.sandbox.transport import in_process_session
from moderation.demo import demo_channels
from moderation.ingestion.services import cursors_ensure
from moderation.ingestion.services import stream_ingest
from moderation.models import IngestCursor

# (hours ago, text): the posts citizens have been answering.
DEMO_POSTS = (
    (70, "Ab Montag ist die Hauptstraße zwischen Markt und Bahnhof wegen Bauarbeiten gesperrt."),
    (50, "Neue Radwege: Die Pläne für die Innenstadt liegen ab heute im Rathaus aus."),
    (30, "Das Bürgeramt hat ab sofort donnerstags bis 19 Uhr geöffnet."),
    (20, "Der Wochenmarkt zieht für vier Wochen auf den Kirchplatz."),
    (9, "Hitzewarnung: Bitte viel trinken und auf ältere Nachbarn achten."),
    (3, "Die Sperrmüllabfuhr kann jetzt online beantragt werden."),
    # Young posts: their comments keep coming, and some get edited or deleted, while
    # ``make run``'s worker polls.
    (1, "Heute ab 18 Uhr: Bürgersprechstunde mit der Oberbürgermeisterin im Rathaus."),
    (0.2, "Achtung: Die Buslinie 5 fährt heute wegen einer Baustelle eine Umleitung."),
)


def load(units: dict[str, OrgUnit]) -> None:
    channels = list(demo_channels().exclude(handle="").order_by("pk"))
    now = timezone.now()
    for channel in channels:
        account = SandboxAccount.objects.filter(handle=channel.handle).first()
        if account is None:
            continue
        control_update(account, {"lively": True})
        for number, (hours, text) in enumerate(DEMO_POSTS):
            post = post_publish(account, {"text": text}, idempotency_key=f"demo-inbox-{number}")
            if post.created:
                SandboxPost.objects.filter(pk=post.post.pk).update(
                    created_at=now - timedelta(hours=hours)
                )
        # The audience has been around as long as the posts.
        SandboxAccount.objects.filter(
            pk=account.pk, created_at__gt=now - timedelta(hours=72)
        ).update(created_at=now - timedelta(hours=72))
    cursors_ensure(channels=channels)
    session = in_process_session()
    for cursor in IngestCursor.objects.filter(channel__in=channels).order_by("pk"):
        IngestCursor.objects.filter(pk=cursor.pk).update(claimed_at=timezone.now())
        stream_ingest(cursor_id=cursor.pk, session=session)
