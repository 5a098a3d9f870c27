"""Notifications no longer carry citizens' data: the assignment notice quoted the first 200
characters of the item, the review reminder named the blocked account, the reply
notifications quoted our reply (which may name the citizen). Notifications are kept and
retention does not reach them, so the stored ones lose those parts too; they still name the
channel and link to the item, entry or reply."""

from django.db import migrations

NEUTRALISE = """
UPDATE accounts_notification SET context = context - 'excerpt'
WHERE kind = 'moderation.assigned';
UPDATE accounts_notification SET context = context - 'author'
WHERE kind = 'moderation.block_review_due';
UPDATE accounts_notification SET context = context - 'text'
WHERE kind IN (
    'moderation.reply_approval_requested', 'moderation.reply_rejected', 'moderation.reply_failed'
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_append_only_trigger"),
        ("moderation", "0013_request_due_dates"),
    ]

    operations = [
        migrations.RunSQL(NEUTRALISE, reverse_sql=migrations.RunSQL.noop),
    ]
