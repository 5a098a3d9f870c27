"""The sandbox models moved to their own app (``channels_app.sandbox``, label ``sandbox``).

State only: the tables stay where they are (``sandbox.0001_initial`` takes them over under
the same names), so no data is copied or lost. Runs after ``sandbox.0001_initial``, so that
the models are never missing from the project state in between.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("channels_app", "0003_sandbox_tokens_and_counters"),
        ("sandbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="SandboxComment"),
                migrations.DeleteModel(name="SandboxMedia"),
                migrations.DeleteModel(name="SandboxPost"),
                migrations.DeleteModel(name="SandboxAccount"),
            ],
        ),
    ]
