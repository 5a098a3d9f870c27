"""Trigram indexes for the inbox's free-text search (item text, author handle and name).

``icontains`` becomes ``UPPER(col::text) LIKE UPPER('%…%')`` on PostgreSQL; a GIN trigram
index on exactly that expression lets a rare word be found without reading every row.
PostgreSQL only (``pg_trgm``): on SQLite (``make run``) this migration does nothing."""

from django.db import migrations

INDEXES = {
    "moderation_item_text_trgm": (
        "moderation_inboxitem",
        'UPPER("text"::text) gin_trgm_ops',
    ),
    "moderation_author_handle_trgm": (
        "moderation_author",
        'UPPER("handle"::text) gin_trgm_ops',
    ),
    "moderation_author_name_trgm": (
        "moderation_author",
        'UPPER("display_name"::text) gin_trgm_ops',
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_blocks_platform_and_reviews")]

    operations = [migrations.RunPython(create, drop)]
