"""Tamper evidence of the audit log (issue 16): each entry names the HMAC key of its hash,
signed checkpoints of the chain head are stored, and on PostgreSQL the database refuses
TRUNCATE of the log, the chain head and the checkpoints (a statement-level trigger: the row
triggers of 0002 do not fire on TRUNCATE), and UPDATE and DELETE of checkpoints."""

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION sprachrohr_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION sprachrohr_audit_refuse();
"""
# Separate, because the test database drops them (tests/conftest.py): Django empties the
# tables with TRUNCATE after each transactional test.
FORBID_TRUNCATE = """
CREATE TRIGGER accounts_auditentry_no_truncate
    BEFORE TRUNCATE ON accounts_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION sprachrohr_audit_refuse();
CREATE TRIGGER accounts_auditchainhead_no_truncate
    BEFORE TRUNCATE ON accounts_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION sprachrohr_audit_refuse();
CREATE TRIGGER accounts_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON accounts_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION sprachrohr_audit_refuse();
"""
ALLOW_TRUNCATE = """
DROP TRIGGER IF EXISTS accounts_auditentry_no_truncate ON accounts_auditentry;
DROP TRIGGER IF EXISTS accounts_auditchainhead_no_truncate ON accounts_auditchainhead;
DROP TRIGGER IF EXISTS accounts_auditcheckpoint_no_truncate ON accounts_auditcheckpoint;
"""
ALLOW = (
    ALLOW_TRUNCATE
    + """
DROP TRIGGER IF EXISTS accounts_auditcheckpoint_append_only ON accounts_auditcheckpoint;
DROP FUNCTION IF EXISTS sprachrohr_audit_refuse();
"""
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION + FORBID_TRUNCATE, params=None)  # "%" is plpgsql's


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only_trigger")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sequence",
                    models.PositiveBigIntegerField(editable=False, verbose_name="entry number"),
                ),
                (
                    "entry_hash",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="hash of the entry"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, editable=False, verbose_name="signed at"),
                ),
                (
                    "key_id",
                    models.CharField(editable=False, max_length=40, verbose_name="signing key"),
                ),
                (
                    "signature",
                    models.CharField(editable=False, max_length=100, verbose_name="signature"),
                ),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-created_at", "-sequence"],
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(forward, backward),
    ]
