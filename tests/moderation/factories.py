"""Factories of the moderation app's tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from moderation.models import Author
from moderation.models import InboxItem
from moderation.models import Netiquette
from moderation.models import NetiquetteRule
from tests.factories import ChannelFactory
from tests.factories import UnitFactory


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    channel = factory.SubFactory(ChannelFactory)
    remote_id = factory.Sequence(lambda n: f"author-{n}")
    handle = factory.Sequence(lambda n: f"buerger{n}")
    display_name = factory.Sequence(lambda n: f"Bürgerin {n}")
    profile_url = factory.LazyAttribute(lambda a: f"https://sandbox.example/@{a.handle}")


class InboxItemFactory(factory.django.DjangoModelFactory):
    """A citizen's comment on a channel; ``author`` is on the same channel."""

    class Meta:
        model = InboxItem

    channel = factory.SubFactory(ChannelFactory)
    author = factory.LazyAttribute(lambda item: AuthorFactory(channel=item.channel))
    remote_id = factory.Sequence(lambda n: f"comment-{n}")
    post_remote_id = "post-1"
    text = "Gilt das auch am Wochenende?"
    url = factory.LazyAttribute(lambda item: f"https://sandbox.example/c/{item.remote_id}")
    raw = factory.LazyAttribute(lambda item: {"id": item.remote_id, "text": item.text})
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))


class NetiquetteFactory(factory.django.DjangoModelFactory):
    """A published Netiquette (version 1) with three numbered rules."""

    class Meta:
        model = Netiquette
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    version = 1
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def rules(self, create: bool, extracted: list[tuple[str, str]] | None, **kw: object) -> None:
        if not create:
            return
        for number, (title, text) in enumerate(extracted or DEFAULT_RULES, start=1):
            NetiquetteRule.objects.create(netiquette=self, number=number, title=title, text=text)


DEFAULT_RULES = [
    ("Respekt", "Beleidigungen, Drohungen und Hetze werden verborgen oder gelöscht."),
    ("Datenschutz", "Persönliche Daten Dritter und eigene Kontaktdaten werden verborgen."),
    ("Werbung", "Werbung und Spam werden gelöscht."),
]
