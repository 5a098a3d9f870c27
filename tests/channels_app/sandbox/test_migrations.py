"""The sandbox models moved from ``channels_app`` to their own app without losing rows.

An installation that still has the models in ``channels_app`` (migrated up to 0003) is
upgraded: the rows written through the old models are read through the new ones, from the
same tables, and the content types (with their permissions) move along.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from channels_app.sandbox.models import SandboxAccount, SandboxComment, SandboxPost

BEFORE = [("channels_app", "0003_sandbox_tokens_and_counters"), ("sandbox", None)]
AFTER = [("channels_app", "0004_move_sandbox_models"), ("sandbox", "0001_initial")]


def _content_type_label(model: str) -> tuple[int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, app_label FROM django_content_type"
            " WHERE model = %s AND app_label IN ('channels_app', 'sandbox')",
            [model],
        )
        rows = cursor.fetchall()
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_the_sandbox_rows_and_content_types() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    content_type = ContentType.objects.get_for_model(SandboxAccount)  # as after a migrate
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE[0]).apps
        with pytest.raises(LookupError):
            old_apps.get_model("sandbox", "SandboxAccount")
        old_account = old_apps.get_model("channels_app", "SandboxAccount")
        old_post = old_apps.get_model("channels_app", "SandboxPost")
        old_comment = old_apps.get_model("channels_app", "SandboxComment")
        account = old_account.objects.create(
            handle="altbestand", display_name="Altbestand", token_digest="d" * 64
        )
        post = old_post.objects.create(account=account, remote_id="post-1", text="Hallo")
        old_comment.objects.create(
            post=post, remote_id="comment-1", author_name="Bürgerin", author_id="b1", text="Danke"
        )
        assert _content_type_label("sandboxaccount") == (content_type.pk, "channels_app")

        executor = MigrationExecutor(connection)  # reads the applied migrations afresh
        executor.migrate(AFTER)
        new_apps = executor.loader.project_state(AFTER[0]).apps
        with pytest.raises(LookupError):
            new_apps.get_model("channels_app", "SandboxAccount")
    finally:
        MigrationExecutor(connection).migrate(latest)
        ContentType.objects.clear_cache()

    stored = SandboxAccount.objects.get(handle="altbestand")
    assert stored.pk == account.pk
    assert stored.display_name == "Altbestand"
    assert stored.posts.get().remote_id == "post-1"
    assert SandboxComment.objects.get(post__account=stored).text == "Danke"
    assert SandboxPost._meta.db_table == "channels_app_sandboxpost"
    assert _content_type_label("sandboxaccount") == (content_type.pk, "sandbox")
    assert ContentType.objects.get_for_model(SandboxAccount).app_label == "sandbox"
