from django.db import migrations, models

# A pending platform call of an existing entry was queued when the entry was blocked or
# lifted: that is when it was due. (Without this, the sweep would count every pending entry
# as lost at once, which is what it did before.)
BACKFILL = """
UPDATE moderation_blockentry
SET platform_next_attempt_at = COALESCE(lifted_at, blocked_at)
WHERE platform_status = 'pending'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0007_blocks_register_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="blockentry",
            name="platform_next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
