"""The sandbox models moved from ``channels_app`` to their own app without losing rows.

An installation that still has the models in ``channels_app`` (migrated up to 0003) is
upgraded: the rows written through the old models are read through the new ones, from the
same tables, and the content types (with their permissions) move along.

In a scratch database of its own, migrated only along the chains the move touches (the
sandbox app's, channels_app up to the move and what they depend on): going back to 0003 in
the test database would unapply and reapply every migration of editorial, moderation and
analytics as well (~30 s), and leave that database to be restored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from channels_app.sandbox.models import SandboxAccount
from channels_app.sandbox.models import SandboxComment
from channels_app.sandbox.models import SandboxPost

BEFORE = [("channels_app", "0003_sandbox_tokens_and_counters"), ("sandbox", None)]
AFTER = [("channels_app", "0004_move_sandbox_models"), ("sandbox", "0001_initial")]
SCRATCH = "sandbox_migrations"  # the scratch database's connection alias


@pytest.fixture
def scratch_database(django_db_blocker: Any) -> Iterator[str]:
    """An empty database on the test database's server, under the alias ``SCRATCH``, dropped
    after: named after the test database (``TEST_DATABASE_NAME``) and the xdist process, so
    that each process of each checkout has its own. The test database itself is not needed,
    nor pytest-django's ``db``, whose test case would refuse an alias it does not know."""
    with django_db_blocker.unblock():
        yield from _scratch_database()


def _scratch_database() -> Iterator[str]:
    test_database = connection.settings_dict["TEST"]["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and not test_database.endswith(f"_{worker}"):  # the test database not set up
        test_database += f"_{worker}"
    name = f"{test_database}_migrations"
    quoted = connection.ops.quote_name(name)
    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "pool"}
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    connections.settings[SCRATCH] = {**connection.settings_dict, "NAME": name, "OPTIONS": options}
    try:
        yield SCRATCH
    finally:
        connections[SCRATCH].close()
        del connections[SCRATCH]
        del connections.settings[SCRATCH]
        ContentType.objects.clear_cache()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


def _content_type_label(alias: str, model: str) -> tuple[int, str] | None:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT id, app_label FROM django_content_type"
            " WHERE model = %s AND app_label IN ('channels_app', 'sandbox')",
            [model],
        )
        rows = cursor.fetchall()
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def test_upgrading_keeps_the_sandbox_rows_and_content_types(scratch_database: str) -> None:
    scratch = connections[scratch_database]
    graph = MigrationExecutor(scratch).loader.graph
    # The installed state as far as the sandbox tables go: every sandbox migration.
    latest = [AFTER[0], *(node for node in graph.leaf_nodes() if node[0] == "sandbox")]
    MigrationExecutor(scratch).migrate(latest)
    content_types = ContentType.objects.db_manager(scratch_database)
    content_type = content_types.get_for_model(SandboxAccount)  # as after a migrate

    executor = MigrationExecutor(scratch)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE[0]).apps
    with pytest.raises(LookupError):
        old_apps.get_model("sandbox", "SandboxAccount")
    old_account = old_apps.get_model("channels_app", "SandboxAccount")
    old_post = old_apps.get_model("channels_app", "SandboxPost")
    old_comment = old_apps.get_model("channels_app", "SandboxComment")
    account = old_account.objects.using(scratch_database).create(
        handle="altbestand", display_name="Altbestand", token_digest="d" * 64
    )
    post = old_post.objects.using(scratch_database).create(
        account=account, remote_id="post-1", text="Hallo"
    )
    old_comment.objects.using(scratch_database).create(
        post=post, remote_id="comment-1", author_name="Bürgerin", author_id="b1", text="Danke"
    )
    assert _content_type_label(scratch_database, "sandboxaccount") == (
        content_type.pk,
        "channels_app",
    )

    executor = MigrationExecutor(scratch)  # reads the applied migrations afresh
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER[0]).apps
    with pytest.raises(LookupError):
        new_apps.get_model("channels_app", "SandboxAccount")
    MigrationExecutor(scratch).migrate(latest)
    ContentType.objects.clear_cache()

    stored = SandboxAccount.objects.using(scratch_database).get(handle="altbestand")
    assert stored.pk == account.pk
    assert stored.display_name == "Altbestand"
    assert stored.posts.get().remote_id == "post-1"
    assert SandboxComment.objects.using(scratch_database).get(post__account=stored).text == "Danke"
    assert SandboxPost._meta.db_table == "channels_app_sandboxpost"
    assert _content_type_label(scratch_database, "sandboxaccount") == (content_type.pk, "sandbox")
    assert content_types.get_for_model(SandboxAccount).app_label == "sandbox"
