"""Full-text search over ``learning_goodpractice.document`` with the database's own engine (see
:mod:`icc.web.learning.search`): an FTS5 external-content table kept in step by triggers on SQLite, a GIN
expression index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE learning_practice_fts USING fts5(document, content='learning_goodpractice', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER learning_practice_fts_insert AFTER INSERT ON learning_goodpractice BEGIN "
    "INSERT INTO learning_practice_fts(rowid, document) VALUES (new.id, new.document); END",
    "CREATE TRIGGER learning_practice_fts_delete AFTER DELETE ON learning_goodpractice BEGIN "
    "INSERT INTO learning_practice_fts(learning_practice_fts, rowid, document) VALUES ('delete', old.id, old.document); "
    "END",
    "CREATE TRIGGER learning_practice_fts_update AFTER UPDATE OF document ON learning_goodpractice BEGIN "
    "INSERT INTO learning_practice_fts(learning_practice_fts, rowid, document) VALUES ('delete', old.id, old.document); "
    "INSERT INTO learning_practice_fts(rowid, document) VALUES (new.id, new.document); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS learning_practice_fts_update",
    "DROP TRIGGER IF EXISTS learning_practice_fts_delete",
    "DROP TRIGGER IF EXISTS learning_practice_fts_insert",
    "DROP TABLE IF EXISTS learning_practice_fts",
]
POSTGRESQL = [
    "CREATE INDEX learning_practice_document_fts ON learning_goodpractice USING gin "
    "((to_tsvector('english'::regconfig, document) || to_tsvector('french'::regconfig, document)))"
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS learning_practice_document_fts"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
