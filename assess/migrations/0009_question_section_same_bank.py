"""A question's section, and a choice's question, belong to the same bank version as the row
itself: checked by the database (a trigger, since a check constraint cannot look at another
table), so no form, import or script can tie a part of one version to another."""

from django.db import migrations

MESSAGE = "a question's section and a choice's question must belong to its own bank version"


def _sql(template, **names):
    """The statement with {name}s filled in from the constants of this file (and the message,
    quoted for SQL); no input from anywhere else reaches it."""
    names["message"] = MESSAGE.replace("'", "''")
    for name, value in names.items():
        template = template.replace("{" + name + "}", value)
    return template


SQLITE = [
    _sql(
        """CREATE TRIGGER assess_{table}_same_bank_{when}
    BEFORE {event} ON assess_{table}
    WHEN (SELECT bank_id FROM assess_{parent} WHERE id = NEW.{parent}_id) IS NOT NEW.bank_id
    BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        table=table,
        parent=parent,
        when=when,
        event=event,
    )
    for table, parent in (("question", "section"), ("choice", "question"))
    for when, event in (("insert", "INSERT"), ("update", f"UPDATE OF {parent}_id, bank_id"))
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS assess_{table}_same_bank_{when}"
    for table in ("question", "choice")
    for when in ("insert", "update")
]

POSTGRESQL = [
    _sql(
        """CREATE FUNCTION assess_same_bank() RETURNS trigger AS $$
    DECLARE parent_bank bigint;
    BEGIN
        IF TG_TABLE_NAME = 'assess_question' THEN
            SELECT bank_id INTO parent_bank FROM assess_section WHERE id = NEW.section_id;
        ELSE
            SELECT bank_id INTO parent_bank FROM assess_question WHERE id = NEW.question_id;
        END IF;
        IF parent_bank IS DISTINCT FROM NEW.bank_id THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql"""
    ),
    """CREATE TRIGGER assess_question_same_bank BEFORE INSERT OR UPDATE OF section_id, bank_id
    ON assess_question FOR EACH ROW EXECUTE FUNCTION assess_same_bank()""",
    """CREATE TRIGGER assess_choice_same_bank BEFORE INSERT OR UPDATE OF question_id, bank_id
    ON assess_choice FOR EACH ROW EXECUTE FUNCTION assess_same_bank()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS assess_question_same_bank ON assess_question",
    "DROP TRIGGER IF EXISTS assess_choice_same_bank ON assess_choice",
    "DROP FUNCTION IF EXISTS assess_same_bank()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("assess", "0008_decision_model_v2")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
