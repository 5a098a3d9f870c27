from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_replies_review_and_queue"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderationaction",
            name="why_not_milder",
            field=models.TextField(blank=True, verbose_name="why a milder action is not enough"),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="details",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="moderationaction",
            index=models.Index(fields=["status", "next_attempt_at"], name="moderation_action_due"),
        ),
    ]
