"""Texts of replies: the placeholders of saved replies, and the standard answers to formal
requests.

Placeholders use the one grammar of ``editorial.common.placeholders`` (``{name}``, ``{{`` for a
literal brace). The values are plain text taken from the item (the citizen's name is theirs,
whatever it contains): the filled text goes to the platform as it is and is escaped once
wherever a page shows it.

A comment on a social network is no legally effective application, objection, data subject
request or freedom-of-information request in most procedures; the standard answers say so
politely and point to the proper channel. The built-in ones are German (the citizens of a
German authority are answered in German); a unit overrides one with a shared saved reply
whose ``purpose`` is ``formal_request:<code>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from editorial.common.placeholders import template_placeholders
from editorial.common.placeholders import template_render
from moderation.models import InboxItem

# Name → what it stands for (shown next to the text field of a saved reply).
PLACEHOLDERS: Mapping[str, object] = {
    "name": gettext_lazy("the display name of the person who wrote"),
    "handle": gettext_lazy("their user name on the platform"),
    "channel": gettext_lazy("the name of our channel"),
    "unit": gettext_lazy("the name of our unit"),
    "netiquette_url": gettext_lazy("the address of the unit's public Netiquette page"),
    "impressum_url": gettext_lazy("the Impressum address of the channel"),
    "privacy_url": gettext_lazy("the privacy notice address of the channel"),
}

FORMAL_REQUEST_PREFIX = "formal_request:"
FORMAL_REQUEST_CODES = ("application", "objection", "data_subject_request", "foi_request")


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in template_placeholders(text) if name not in PLACEHOLDERS]


def check_placeholders(text: str) -> None:
    """Refuse a saved reply naming a placeholder nobody fills (a typo would reach the
    citizen as ``{nmae}``)."""
    unknown = unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("Unknown placeholder: %(names)s. Allowed are %(allowed)s.")
                    % {
                        "names": ", ".join(f"{{{name}}}" for name in unknown),
                        "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                    },
                    code="unknown_placeholder",
                )
            }
        )


def netiquette_url(unit_id: int) -> str:
    return f"{settings.SITE_URL}/netiquette/{unit_id}/"


def placeholder_values(item: InboxItem) -> dict[str, str]:
    """The values for ``item`` (its channel, unit and author loaded). An empty value shows as
    ``[name]`` in the suggested text, so the person writing sees what to fill in."""
    channel, author = item.channel, item.author
    values = {
        "name": author.display_name or (f"@{author.handle}" if author.handle else ""),
        "handle": f"@{author.handle}" if author.handle else "",
        "channel": channel.name,
        "unit": channel.unit.name,
        "netiquette_url": netiquette_url(channel.unit_id),
        "impressum_url": channel.impressum_url,
        "privacy_url": channel.privacy_url,
    }
    return {key: value.strip() or f"[{key}]" for key, value in values.items()}


def text_fill(text: str, item: InboxItem) -> str:
    """``text`` with its placeholders filled for ``item``; unknown ones stay as they were."""
    values: dict[str, str] = {
        **{name: f"{{{name}}}" for name in unknown_placeholders(text)},
        **placeholder_values(item),
    }
    try:
        return template_render(text, values)
    except ValidationError:  # pragma: no cover - every placeholder has a value above
        return text


@dataclass(frozen=True)
class StandardReply:
    """The suggested answer to a formal request: from the unit's saved reply, else
    built in."""

    code: str
    title: str
    text: str
    saved_reply_id: int | None = None


# Built-in standard answers (German: sent to citizens of a German authority).
BUILT_IN: Mapping[str, tuple[str, str]] = {
    "application": (
        "Antrag: bitte über den offiziellen Weg",
        "Hallo {name}, vielen Dank für Ihre Nachricht. Einen Antrag können wir über"
        " {channel} leider nicht entgegennehmen: Bitte stellen Sie ihn schriftlich, per"
        " E-Mail oder über das Online-Angebot von {unit}. Dort erfahren Sie auch, welche"
        " Unterlagen nötig sind.",
    ),
    "objection": (
        "Widerspruch: bitte schriftlich einlegen",
        "Hallo {name}, ein Widerspruch oder eine Beschwerde kann über soziale Netzwerke nicht"
        " wirksam eingelegt werden. Bitte legen Sie ihn schriftlich oder zur Niederschrift bei"
        " {unit} ein und beachten Sie die Frist in Ihrem Bescheid. Angaben zum Verfahren"
        " finden Sie im Impressum: {impressum_url}",
    ),
    "data_subject_request": (
        "Datenschutzanfrage: bitte an die Datenschutzstelle",
        "Hallo {name}, Ihre Anfrage zu Ihren Daten nehmen wir ernst. Damit wir Ihre"
        " Identität prüfen und Ihnen sicher antworten können, wenden Sie sich bitte an die"
        " Datenschutzbeauftragten von {unit}. Die Kontaktdaten finden Sie in unserer"
        " Datenschutzerklärung: {privacy_url}",
    ),
    "foi_request": (
        "Informationsfreiheit: bitte förmlich beantragen",
        "Hallo {name}, eine Anfrage nach dem Informationsfreiheitsgesetz richten Sie bitte"
        " schriftlich oder per E-Mail an {unit}, damit sie förmlich bearbeitet werden kann."
        " Kontaktdaten finden Sie im Impressum: {impressum_url}",
    ),
}
