"""The sandbox models move from ``channels_app`` to this app, without touching their tables.

The tables were created by ``channels_app.0002``/``0003`` and keep their names (``db_table``),
so this migration only adds the models to the ``sandbox`` state; ``channels_app.0004`` removes
them from the ``channels_app`` state afterwards. The content types (and with them the model
permissions) move to the new app label, so that nothing pointing at them is left dangling.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODELS = ["sandboxaccount", "sandboxpost", "sandboxmedia", "sandboxcomment"]


def _move_content_types(apps, schema_editor, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    # A model whose content type already exists under the new label (created by a previous
    # migrate) keeps both rows; the stale one is left to ``remove_stale_contenttypes``.
    taken = content_type.objects.using(db).filter(app_label=new, model__in=MODELS)
    content_type.objects.using(db).filter(app_label=old, model__in=MODELS).exclude(
        model__in=taken.values("model")
    ).update(app_label=new)


def content_types_forward(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, old="channels_app", new="sandbox")


def content_types_backward(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, old="sandbox", new="channels_app")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("channels_app", "0003_sandbox_tokens_and_counters"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SandboxAccount",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("handle", models.SlugField(max_length=100, unique=True)),
                        ("display_name", models.CharField(max_length=200)),
                        ("token_digest", models.CharField(max_length=64, unique=True)),
                        ("token_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("followers_base", models.PositiveIntegerField(default=1000)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("latency_ms", models.PositiveIntegerField(default=0)),
                        ("fail_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("fail_remaining", models.PositiveIntegerField(default=0)),
                        ("retry_after_seconds", models.PositiveIntegerField(default=1)),
                        ("timeout_after_accept_remaining", models.PositiveIntegerField(default=0)),
                        ("timeout_after_accept_seconds", models.FloatField(default=35.0)),
                        (
                            "previous_token_digest",
                            models.CharField(blank=True, db_index=True, max_length=64),
                        ),
                        (
                            "previous_token_expires_at",
                            models.DateTimeField(blank=True, null=True),
                        ),
                        (
                            "refresh_token_digest",
                            models.CharField(blank=True, db_index=True, max_length=64),
                        ),
                        (
                            "previous_refresh_token_digest",
                            models.CharField(blank=True, db_index=True, max_length=64),
                        ),
                        ("posts_received", models.PositiveIntegerField(default=0)),
                        ("idempotent_replays", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "channels_app_sandboxaccount",
                    },
                ),
                migrations.CreateModel(
                    name="SandboxPost",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("remote_id", models.CharField(max_length=40, unique=True)),
                        ("text", models.TextField()),
                        ("link", models.URLField(blank=True, max_length=500)),
                        ("idempotency_key", models.CharField(blank=True, max_length=200)),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        ("comments_complete", models.BooleanField(default=False)),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="posts",
                                to="sandbox.sandboxaccount",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "channels_app_sandboxpost",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("idempotency_key", ""), _negated=True),
                                fields=("account", "idempotency_key"),
                                name="unique_sandbox_idempotency_key",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SandboxMedia",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("remote_id", models.CharField(max_length=40, unique=True)),
                        ("file", models.FileField(upload_to="sandbox/")),
                        ("mime_type", models.CharField(max_length=100)),
                        ("size", models.PositiveBigIntegerField()),
                        ("alt_text", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "account",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="media",
                                to="sandbox.sandboxaccount",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="media",
                                to="sandbox.sandboxpost",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "channels_app_sandboxmedia",
                    },
                ),
                migrations.CreateModel(
                    name="SandboxComment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("remote_id", models.CharField(max_length=40, unique=True)),
                        ("author_name", models.CharField(max_length=200)),
                        ("author_id", models.CharField(max_length=100)),
                        ("text", models.TextField()),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("hidden", models.BooleanField(default=False)),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        ("by_account", models.BooleanField(default=False)),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="replies",
                                to="sandbox.sandboxcomment",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="comments",
                                to="sandbox.sandboxpost",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "channels_app_sandboxcomment",
                        "ordering": ["created_at", "id"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_backward, elidable=True),
    ]
