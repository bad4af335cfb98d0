"""The change log is append-only in PostgreSQL: a trigger refuses UPDATE and DELETE on
auditlog_logentry unless the transaction set `jiedao.audit_retention` to 'on', which only the
retention job does (jiedao.audit.purge_expired), after archiving the rows. One UPDATE is let through:
the actor set to NULL and nothing else changed, which is what deleting a user account does
(on_delete=SET_NULL; the entry keeps actor_email). A no-op on other databases."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION jiedao_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('jiedao.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL THEN
        NEW.actor_id := OLD.actor_id;
        IF NEW IS NOT DISTINCT FROM OLD THEN
            NEW.actor_id := NULL;
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'auditlog_logentry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS jiedao_audit_append_only ON auditlog_logentry;
CREATE TRIGGER jiedao_audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION jiedao_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS jiedao_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS jiedao_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("jiedao", "0004_backuprun"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
