"""Data-subject requests get the day they were received and the day the answer is due
(one month later, Art. 12 (3) GDPR); existing requests count from the day they were
recorded. Retention periods are limited to 1-3,650 days in the model, so the API refuses
what the page refuses."""

import calendar
import datetime
import zoneinfo

import django.core.validators
import django.utils.timezone
from django.db import migrations, models

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _due(received):
    year, month = divmod(received.month, 12)
    year, month = received.year + year, month + 1
    return datetime.date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def backfill(apps, schema_editor):
    model = apps.get_model("moderation", "DataSubjectRequest")
    for row in model.objects.all():
        row.received_on = row.created_at.astimezone(BERLIN).date()
        row.due_on = _due(row.received_on)
        row.save(update_fields=["received_on", "due_on"])


def _limited(name, verbose_name):
    return migrations.AlterField(
        model_name="moderationsettings",
        name=name,
        field=models.PositiveIntegerField(
            blank=True,
            default=None,
            null=True,
            validators=[
                django.core.validators.MinValueValidator(1),
                django.core.validators.MaxValueValidator(3650),
            ],
            verbose_name=verbose_name,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0012_evidence_legal_hold_release"),
    ]

    operations = [
        migrations.AddField(
            model_name="datasubjectrequest",
            name="received_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="received on"
            ),
        ),
        migrations.AddField(
            model_name="datasubjectrequest",
            name="due_on",
            field=models.DateField(null=True, verbose_name="answer due"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="datasubjectrequest",
            name="due_on",
            field=models.DateField(blank=True, verbose_name="answer due"),
        ),
        _limited("retention_days", "keep commenters' personal data (days after closing)"),
        _limited("evidence_retention_days", "keep evidence records (days)"),
        _limited("block_retention_days", "keep block register entries (days after unblocking)"),
    ]
