"""The full-text structure over the entries' terms, which depends on the database vendor.

SQLite: an external-content FTS5 table kept in step by triggers. Django does not know
about it; a later migration that rebuilds ``search_indexentry`` on SQLite (an
``AlterField``) drops the triggers and must recreate them, then run
``rebuild_search_index``.
PostgreSQL: a generated ``tsvector`` column with a GIN index, on the 'simple'
configuration since the terms are already folded and stemmed. Title terms keep their
positions with weight A; body terms are stripped of positions, which keeps the vector
small enough to stay in the row (no TOAST read per match) and still ranks by presence.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title_terms, body_terms, content='search_indexentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_indexentry BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); "
    "END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_indexentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE OF title_terms, body_terms ON search_indexentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); "
    "END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_indexentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "strip(to_tsvector('simple'::regconfig, body_terms))) STORED",
    "CREATE INDEX search_entry_vector_idx ON search_indexentry USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector_idx",
    "ALTER TABLE search_indexentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_entries")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
