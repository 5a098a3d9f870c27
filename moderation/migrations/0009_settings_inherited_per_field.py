"""Moderation settings are inherited field by field: an empty field follows the unit above.

Until now saving one setting of a unit gave it a row holding a copy of everything it
inherited, so later changes higher up (retention periods, the per-employee switch) no longer
reached it. Existing rows are turned into what the new rule would have stored: a value equal
to the one the unit inherits (from the rows above it, else the defaults) becomes empty.
"""

from django.db import migrations, models

# The defaults as they were when this migration was written (a migration does not follow
# later code).
DEFAULTS = {
    "service_hours": {str(day): [["08:00", "16:00"]] for day in range(5)},
    "first_response_minutes": 240,
    "next_response_minutes": 480,
    "storm_threshold": 50,
    "storm_window_minutes": 60,
    "replies_need_approval": False,
    "retention_days": 92,
    "evidence_retention_days": 730,
    "block_retention_days": 730,
    "criminal_unit_id": None,
    "employee_figures": False,
}


def _ancestors(path):
    return [int(part) for part in path.strip("/").split("/") if part]


def empty_inherited_copies(apps, schema_editor):
    settings_model = apps.get_model("moderation", "ModerationSettings")
    rows = {row.unit_id: row for row in settings_model.objects.select_related("unit")}
    # From the top down: a row is compared with the rows above it as they are after this
    # migration, which is what it will inherit from.
    for row in sorted(rows.values(), key=lambda r: len(_ancestors(r.unit.path))):
        inherited = dict(DEFAULTS)
        for unit_id in _ancestors(row.unit.path)[:-1]:
            above = rows.get(unit_id)
            if above is None:
                continue
            for name in DEFAULTS:
                value = getattr(above, name)
                if value is not None:
                    inherited[name] = value
        changed = False
        for name, value in inherited.items():
            if getattr(row, name) is not None and getattr(row, name) == value:
                setattr(row, name, None)
                changed = True
        if changed:
            row.save(update_fields=[name.removesuffix("_id") for name in DEFAULTS])


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0008_blocks_platform_next_attempt"),
    ]

    operations = [
        migrations.AlterField(
            model_name="moderationsettings",
            name="service_hours",
            field=models.JSONField(
                blank=True, default=None, null=True, verbose_name="service hours"
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="first_response_minutes",
            field=models.PositiveIntegerField(
                blank=True,
                default=None,
                null=True,
                verbose_name="first response within (service minutes)",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="next_response_minutes",
            field=models.PositiveIntegerField(
                blank=True,
                default=None,
                null=True,
                verbose_name="next response within (service minutes)",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="storm_threshold",
            field=models.PositiveIntegerField(
                blank=True,
                default=None,
                null=True,
                verbose_name="storm alert: items on one channel",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="storm_window_minutes",
            field=models.PositiveIntegerField(
                blank=True, default=None, null=True, verbose_name="storm alert: within (minutes)"
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="replies_need_approval",
            field=models.BooleanField(
                blank=True,
                default=None,
                null=True,
                verbose_name="replies need a second person's approval",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="retention_days",
            field=models.PositiveIntegerField(
                blank=True,
                default=None,
                null=True,
                verbose_name="keep commenters' personal data (days after closing)",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="evidence_retention_days",
            field=models.PositiveIntegerField(
                blank=True, default=None, null=True, verbose_name="keep evidence records (days)"
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="block_retention_days",
            field=models.PositiveIntegerField(
                blank=True,
                default=None,
                null=True,
                verbose_name="keep block register entries (days after unblocking)",
            ),
        ),
        migrations.AlterField(
            model_name="moderationsettings",
            name="employee_figures",
            field=models.BooleanField(
                blank=True,
                default=None,
                help_text="Only with the staff council's consent. Off: figures per unit only.",
                null=True,
                verbose_name="show response figures per employee",
            ),
        ),
        migrations.RunPython(empty_inherited_copies, migrations.RunPython.noop),
    ]
