# The dashboard's large reads (analytics.dashboard.selectors; docs/analytics.md,
# "Performance"): covering and range indexes, and each variant's newest reading kept in a
# table of its own by a trigger (back-filled here).

import django.db.models.deletion
from django.db import migrations, models

# After each snapshot written: the variant's newest reading, unless a newer one is there.
# An update of a snapshot (readings are never updated; a repair by hand) counts as a write.
LATEST_TRIGGER = """
CREATE FUNCTION analytics_snapshot_latest() RETURNS trigger AS $$
BEGIN
  INSERT INTO analytics_postmetriclatest AS latest
    (variant_id, channel_id, age_bucket, taken_at, impressions, reach, likes, shares,
     comments, clicks, video_views, insights_off)
  VALUES (NEW.variant_id, NEW.channel_id, NEW.age_bucket, NEW.taken_at, NEW.impressions,
          NEW.reach, NEW.likes, NEW.shares, NEW.comments, NEW.clicks, NEW.video_views,
          NEW.insights_off)
  ON CONFLICT (variant_id) DO UPDATE SET
    channel_id = EXCLUDED.channel_id, age_bucket = EXCLUDED.age_bucket,
    taken_at = EXCLUDED.taken_at, impressions = EXCLUDED.impressions,
    reach = EXCLUDED.reach, likes = EXCLUDED.likes, shares = EXCLUDED.shares,
    comments = EXCLUDED.comments, clicks = EXCLUDED.clicks,
    video_views = EXCLUDED.video_views, insights_off = EXCLUDED.insights_off
  WHERE latest.age_bucket <= EXCLUDED.age_bucket;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER analytics_snapshot_latest
  AFTER INSERT OR UPDATE ON analytics_postmetricsnapshot
  FOR EACH ROW EXECUTE FUNCTION analytics_snapshot_latest();

INSERT INTO analytics_postmetriclatest
  (variant_id, channel_id, age_bucket, taken_at, impressions, reach, likes, shares,
   comments, clicks, video_views, insights_off)
SELECT DISTINCT ON (variant_id) variant_id, channel_id, age_bucket, taken_at, impressions,
       reach, likes, shares, comments, clicks, video_views, insights_off
FROM analytics_postmetricsnapshot
ORDER BY variant_id, age_bucket DESC;
"""

DROP_LATEST_TRIGGER = """
DROP TRIGGER IF EXISTS analytics_snapshot_latest ON analytics_postmetricsnapshot;
DROP FUNCTION IF EXISTS analytics_snapshot_latest();
"""

_COLUMNS = (
    "variant_id, channel_id, age_bucket, taken_at, impressions, reach, likes, shares,"
    " comments, clicks, video_views, insights_off"
)

# SQLite (`make run` without a database server): the same rule in its trigger dialect —
# drop an older or equal reading, then insert unless a newer one stayed.
SQLITE_LATEST_TRIGGER = [
    f"""
CREATE TRIGGER analytics_snapshot_latest_{event.lower()}
  AFTER {event} ON analytics_postmetricsnapshot
  FOR EACH ROW BEGIN
    DELETE FROM analytics_postmetriclatest
      WHERE variant_id = NEW.variant_id AND age_bucket <= NEW.age_bucket;
    INSERT OR IGNORE INTO analytics_postmetriclatest ({_COLUMNS})
      VALUES (NEW.variant_id, NEW.channel_id, NEW.age_bucket, NEW.taken_at, NEW.impressions,
              NEW.reach, NEW.likes, NEW.shares, NEW.comments, NEW.clicks, NEW.video_views,
              NEW.insights_off);
  END;
"""  # noqa: S608 (constant names: no input reaches it)
    for event in ("INSERT", "UPDATE")
] + [
    f"""
INSERT OR IGNORE INTO analytics_postmetriclatest ({_COLUMNS})
SELECT {_COLUMNS} FROM analytics_postmetricsnapshot AS snapshot
WHERE age_bucket = (SELECT MAX(age_bucket) FROM analytics_postmetricsnapshot AS other
                    WHERE other.variant_id = snapshot.variant_id)
"""  # noqa: S608 (constant names: no input reaches it)
]
SQLITE_DROP_LATEST_TRIGGER = [
    "DROP TRIGGER IF EXISTS analytics_snapshot_latest_insert",
    "DROP TRIGGER IF EXISTS analytics_snapshot_latest_update",
]


def add_latest_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LATEST_TRIGGER)
    else:
        for statement in SQLITE_LATEST_TRIGGER:
            schema_editor.execute(statement)


def drop_latest_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_LATEST_TRIGGER)
    else:
        for statement in SQLITE_DROP_LATEST_TRIGGER:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_records_export"),
        ("channels_app", "0005_channel_reconnect_by"),
        ("editorial", "0004_variant_removed"),
    ]

    operations = [
        # Followers and reach of the channels' days, from the index alone (index-only scan).
        migrations.AddIndex(
            model_name="channeldailyfigure",
            index=models.Index(
                fields=["channel", "day"],
                include=("followers", "reach"),
                name="figure_channel_day_figures",
            ),
        ),
        # The posts of a period on the dashboard's channels: an index range per channel
        # instead of every variant the channel ever published. Editorial's model does not
        # declare it; the reading feature owns it (IF NOT EXISTS: should editorial declare
        # the same one day, nothing breaks).
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS analytics_variant_channel_published"
            " ON editorial_postvariant (channel_id, published_at)",
            reverse_sql="DROP INDEX IF EXISTS analytics_variant_channel_published",
        ),
        migrations.CreateModel(
            name="PostMetricLatest",
            fields=[
                (
                    "variant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="editorial.postvariant",
                    ),
                ),
                ("age_bucket", models.PositiveIntegerField()),
                ("taken_at", models.DateTimeField()),
                ("impressions", models.PositiveBigIntegerField(null=True)),
                ("reach", models.PositiveBigIntegerField(null=True)),
                ("likes", models.PositiveBigIntegerField(null=True)),
                ("shares", models.PositiveBigIntegerField(null=True)),
                ("comments", models.PositiveBigIntegerField(null=True)),
                ("clicks", models.PositiveBigIntegerField(null=True)),
                ("video_views", models.PositiveBigIntegerField(null=True)),
                ("insights_off", models.BooleanField(default=False)),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="channels_app.channel",
                    ),
                ),
            ],
            options={
                "verbose_name": "latest post metrics",
                "verbose_name_plural": "latest post metrics",
            },
        ),
        migrations.RunPython(add_latest_trigger, drop_latest_trigger),
    ]
