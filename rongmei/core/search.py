"""Full-text search in Chinese, shared by every app that indexes text.

Models declare :class:`SegmentedSearchField` in ``search_fields`` so that
the index holds jieba tokens (``core.text.segment_for_index``), and find
things with :func:`search`, which segments the query the same way.

On SQLite, :func:`search` runs one ranked FTS5 query (BM25, the title ten
times the weight of the rest, best first, ``LIMIT``) over the index that
Wagtail's database backend maintains. That backend's own search scores
each candidate with a correlated subquery, one MATCH per row, which took
2.6 s at p95 over only 5,000 stories (bench/search.py). On PostgreSQL the
backend's own query is used.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from rongmei.core.text import segment, segment_for_index

TITLE_WEIGHT = 10.0


class SegmentedSearchField(index.SearchField):
    """A search field indexed as jieba tokens. A field named ``title`` goes
    to the index's title column, which ranks higher."""

    def __init__(self, field_name, *, html: bool = False, **kwargs):
        super().__init__(field_name, **kwargs)
        self.html = html

    def get_value(self, obj):
        value = super().get_value(obj)
        if isinstance(value, list | tuple):
            value = " ".join(str(item) for item in value)
        value = value or ""
        # The index asks for every field twice (for its title and its body
        # columns); segmenting is the expensive part, so remember it.
        cache = obj.__dict__.setdefault("_segmented_values", {})
        key = (self.field_name, value)
        if key not in cache:
            cache[key] = segment_for_index(value, html=self.html)
        return cache[key]


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(segment(query)))


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_ranked_ids(queryset, terms: list[str], limit: int, offset: int) -> list[str]:
    content_type = ContentType.objects.get_for_model(queryset.model)
    match = "{title body} : (" + " AND ".join(_fts_phrase(term) for term in terms) + ")"
    sql = (
        "SELECT e.object_id FROM wagtailsearch_indexentry_fts "
        "JOIN wagtailsearch_indexentry e ON e.id = wagtailsearch_indexentry_fts.rowid "
        "WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id = %s"
    )
    params: list = [match, content_type.pk]
    if queryset.query.where:
        inner_sql, inner_params = queryset.values("pk").query.sql_with_params()
        sql += f" AND CAST(e.object_id AS INTEGER) IN ({inner_sql})"
        params += list(inner_params)
    # FTS5 columns: autocomplete, body, title. BM25 is negative; lower is better.
    sql += f" ORDER BY bm25(wagtailsearch_indexentry_fts, 0.0, 1.0, {TITLE_WEIGHT}) LIMIT %s OFFSET %s"
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [object_id for (object_id,) in cursor.fetchall()]


def search(queryset, query: str, *, limit: int = 20, offset: int = 0) -> list:
    """The objects of ``queryset`` containing every word of ``query``, best first."""
    terms = query_terms(query)
    if not terms:
        return []
    if connection.vendor == "sqlite":
        ids = _sqlite_ranked_ids(queryset, terms, limit, offset)
        found = queryset.model._default_manager.in_bulk([int(pk) for pk in ids])
        return [found[int(pk)] for pk in ids if int(pk) in found]
    backend = get_search_backend()
    return list(backend.search(" ".join(terms), queryset, operator="and")[offset : offset + limit])
