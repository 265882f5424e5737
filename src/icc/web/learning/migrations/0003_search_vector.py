"""PostgreSQL: keep the searched text's vector in a stored generated column (so that ranking does not parse every
matching document again) and index that column; SQLite is unchanged (its FTS5 table stores its own index)."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE learning_goodpractice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english'::regconfig, document) || to_tsvector('french'::regconfig, document)) STORED",
    "DROP INDEX IF EXISTS learning_practice_document_fts",
    "CREATE INDEX learning_practice_document_fts ON learning_goodpractice USING gin (search_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS learning_practice_document_fts",
    "ALTER TABLE learning_goodpractice DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX learning_practice_document_fts ON learning_goodpractice USING gin "
    "((to_tsvector('english'::regconfig, document) || to_tsvector('french'::regconfig, document)))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
