"""Full-text search of good practices with each database's own engine: SQLite's FTS5 (an external-content table
kept in step by triggers) and PostgreSQL's text search (a GIN index over the same column).

Both index one column, :attr:`GoodPractice.document`, written here on every save: the title, the texts, the city
and country and the names of the record's Index areas and target groups *in every language of the site* (so that
"éducation" finds an English record tagged Education and "school" a French one tagged Éducation), folded to
lower case without accents. A query is folded the same way and split into words; a record matches when it holds
every word (as a word or the start of one, after stemming: English and French on PostgreSQL, English (Porter) on
SQLite). The database ranks the matches: FTS5's ``bm25`` and PostgreSQL's ``ts_rank``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import translation

FTS_TABLE = "learning_practice_fts"
"""The SQLite FTS5 table over ``learning_goodpractice.document`` (migration ``0002_search``)."""

PG_VECTOR = "(to_tsvector('english'::regconfig, document) || to_tsvector('french'::regconfig, document))"
"""The PostgreSQL expression the GIN index ``learning_practice_document_fts`` covers (migration ``0002_search``);
the query uses it verbatim so that the index serves it."""

MAX_WORDS = 12


def fold(text: str) -> str:
    """Lower case without accents, other letters kept (``"Éducation à l'école"`` → ``"education a l'ecole"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    """The words of a search query, folded (at most :data:`MAX_WORDS`)."""
    return re.findall(r"\w+", fold(query))[:MAX_WORDS]


def labels_in_every_language(label_of) -> str:  # type: ignore[no-untyped-def]
    """``label_of()`` evaluated in each language of the site, joined (for the indexed document)."""
    parts = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts.append(str(label_of()))
    return " ".join(dict.fromkeys(parts))


def document(texts: Iterable[str]) -> str:
    """The indexed document of a record from its texts (title, body, names in every language)."""
    return fold("\n".join(t for t in texts if t))


def _fts5_query(ws: list[str]) -> str:
    return " ".join(f'"{w}"*' for w in ws)


def _pg_query(ws: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in ws)


def matching(qs: QuerySet, query: str) -> QuerySet:
    """The records of ``qs`` that match ``query``, annotated with ``relevance`` (higher is better) and ordered by
    it. A query without words returns ``qs`` unchanged."""
    ws = words(query)
    if not ws:
        return qs
    table = qs.model._meta.db_table
    if connection.vendor == "postgresql":
        tsquery = "(to_tsquery('english'::regconfig, %s) || to_tsquery('french'::regconfig, %s))"
        q = _pg_query(ws)
        return (
            qs.annotate(relevance=RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", [q, q], output_field=FloatField()))
            .filter(RawSQL(f"{PG_VECTOR} @@ {tsquery}", [q, q], output_field=BooleanField()))
            .order_by("-relevance", "pk")
        )
    q = _fts5_query(ws)
    # bm25 is lower for better matches: negate it
    rank = RawSQL(
        f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = {table}.id)",
        [q],
        output_field=FloatField(),
    )
    ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [q])
    return qs.filter(pk__in=ids).annotate(relevance=rank).order_by("-relevance", "pk")
