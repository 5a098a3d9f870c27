"""Items set "answered" by hand before this release have no response recorded, so the
service-level report counted them as open, then missed, while their badge said "Answered".
They get the response a status change to "answered" now records: at the item's last change
(the status change, unless the item was changed again afterwards), late if that was after
the deadline."""

from django.db import migrations

BACKFILL = """
UPDATE moderation_inboxitem
SET first_responded_at = updated_at,
    first_response_breached = (response_due_at IS NOT NULL AND updated_at > response_due_at),
    last_responded_at = COALESCE(last_responded_at, updated_at),
    response_due_at = NULL
WHERE status = 'answered' AND first_responded_at IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0009_settings_inherited_per_field"),
    ]

    operations = [
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
