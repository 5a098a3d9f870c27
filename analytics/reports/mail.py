"""The monthly report as an e-mail: subject, text and HTML body in the recipient's language
(further addresses get the report's), the PDF attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail import get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import render_text
from analytics.models import ReportRun

TEMPLATES = "analytics/reports/email"


def report_file_name(run: ReportRun) -> str:
    """The PDF's name, in the active language: ``monatsbericht-presseamt-2026-11.pdf``."""
    return f"{slugify(_('Monthly report'))}-{slugify(run.unit.name)}-{run.month:%Y-%m}.pdf"


def _message(run: ReportRun, address: str, language: str, pdf: bytes) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "unit": run.unit.name,
            "month": date_format(run.month, "YEAR_MONTH_FORMAT"),
            "link": f"{settings.SITE_URL}{reverse('reports:detail', args=[run.pk])}",
        }
        subject = " ".join(render_text(f"{TEMPLATES}/subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject, body=render_text(f"{TEMPLATES}/body.txt", context), to=[address]
        )
        message.attach_alternative(render_to_string(f"{TEMPLATES}/body.html", context), "text/html")
        message.attach(report_file_name(run), pdf, "application/pdf")
    return message


def report_send(run: ReportRun, *, people: list[User], addresses: list[str]) -> list[str]:
    """One e-mail per recipient (nobody sees who else receives it); the addresses sent to."""
    with run.file.open("rb") as handle:
        pdf = handle.read()
    targets = [(user.email, user.language) for user in people]
    known = {email.lower() for email, _language in targets}
    targets += [(address, run.language) for address in addresses if address.lower() not in known]
    messages = [_message(run, address, language, pdf) for address, language in targets]
    with get_connection() as connection:
        connection.send_messages(messages)
    return [address for address, _language in targets]
