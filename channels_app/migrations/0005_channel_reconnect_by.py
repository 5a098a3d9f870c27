from django.db import migrations, models


def reconnect_by_from_access(apps, schema_editor):
    # Until the next renewal writes the real date, the end of the access is the safe guess:
    # warning too early, never too late.
    Channel = apps.get_model("channels_app", "Channel")
    Channel.objects.filter(access_expires_at__isnull=False).update(
        reconnect_by=models.F("access_expires_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("channels_app", "0004_move_sandbox_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="channel",
            name="reconnect_by",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="reconnect by"
            ),
        ),
        migrations.RunPython(reconnect_by_from_access, migrations.RunPython.noop),
    ]
