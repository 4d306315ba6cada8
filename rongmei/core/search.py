"""Full-text search in Chinese, shared by every app that indexes text.

Models declare :class:`SegmentedSearchField` in ``search_fields`` so that
the index holds jieba tokens (``core.text.segment_for_index``), and find
things with :func:`search`, which segments the query the same way.

:func:`search` runs its own ranked queries over the index that Wagtail's
database backend maintains (``wagtailsearch_indexentry``: one row per
indexed object of every model, with a title and a body column): on SQLite
through FTS5, on PostgreSQL through the tsvector columns and their GIN
indexes. Wagtail's own search scores every candidate: on SQLite with one
correlated MATCH per row (2.6 s at p95 over 5,000 stories), on PostgreSQL
with ``ts_rank`` over ``title || body``, a concatenation no index covers,
so every row is read (about 1 s a query over 100,000 stories). Other
databases use Wagtail's backend. Figures: bench/search.py, bench/README.md.

A story matches when it holds every word of the query, in any field. The
order, best first:

1. **Title matches**, at least one word of the query in the title, all of
   them before any other match;
2. **the other matches**.

Within each, the newest ``WINDOW`` (1,000) matches are ranked by relevance
(SQLite: BM25, the title ten times the weight of the rest; PostgreSQL:
``ts_rank`` of the title in the first group, of the body in the second;
equals newest first), and the older matches follow, newest first. Nothing
is left out and every page follows from the one before; only how far
relevance reaches is bounded. This is a product choice: a newsroom
searches recent work first, and a word in the titles of thousands of
stories (社区 is in one synthetic title in six) tells them apart by date
better than by BM25's preference for short titles. Scoring every match
instead took 138 ms at p95 over 100,000 stories on SQLite: FTS5 scores all
of them before ``LIMIT`` and each score reads the row's sizes.

Query words that are parts of another query word are left out of the
match (:func:`match_terms`): jieba's search mode indexes 「养老服务」 as 养老,
服务 and 养老服务, so a story with the whole word has its parts too, and
requiring them as well finds the same stories, more slowly.

The index holds other models too (media assets later), so every query
keeps to the queryset's content type. The queryset's own filters are
honoured by checking the ranked candidates through the queryset itself, a
batch at a time (batches grow, so a selective filter costs a few rounds);
that also drops objects deleted since they were indexed. The results come
from the queryset, with its ``select_related`` and ``prefetch_related``.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from rongmei.core.text import segment, segment_for_index, tokenizer

TITLE_WEIGHT = 10.0
# The newest matches of each group that are ranked by relevance.
WINDOW = 1_000
# Ranked candidates checked against the queryset at a time; the batches
# grow four times each round, so a selective filter costs a few rounds.
FIRST_BATCH = 100
MAX_BATCH = 10_000

INDEX_TABLE = "wagtailsearch_indexentry"
FTS_TABLE = "wagtailsearch_indexentry_fts"


class SegmentedSearchField(index.SearchField):
    """A search field indexed as jieba tokens. A field named ``title`` goes
    to the index's title column, which ranks higher."""

    def __init__(self, field_name, *, html: bool = False, **kwargs):
        super().__init__(field_name, **kwargs)
        self.html = html

    def raw_value(self, obj) -> str:
        """The field's text before segmenting."""
        value = super().get_value(obj)
        if isinstance(value, list | tuple):
            value = " ".join(str(item) for item in value)
        return value or ""

    def cache_key(self, value: str) -> tuple:
        return (self.field_name, value)

    def get_value(self, obj):
        value = self.raw_value(obj)
        # The index asks for every field twice (for its title and its body
        # columns); segmenting is the expensive part, so remember it.
        cache = obj.__dict__.setdefault("_segmented_values", {})
        key = self.cache_key(value)
        if key not in cache:
            cache[key] = segment_for_index(value, html=self.html)
        return cache[key]


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(segment(query)))


_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def match_terms(terms: list[str]) -> list[str]:
    """``terms`` without those that every document containing another of
    them contains as well.

    jieba's search mode (``cut_for_search``) follows each word longer than
    two characters with its two-character parts that are in the dictionary,
    and each word longer than three with its three-character parts: the
    index of 「养老服务」 always holds 养老 and 服务 too. Only Chinese parts are
    dropped: for Latin words jieba looks the parts up before they are
    lower-cased."""
    freq = tokenizer().FREQ

    def implied(part: str) -> bool:
        if len(part) not in (2, 3) or not _HANZI.fullmatch(part) or not freq.get(part):
            return False
        return any(len(word) > len(part) and len(word) > 2 and part in word for word in terms if word != part)

    kept = [term for term in terms if not implied(term)]
    return kept or terms


def _batches(cursor, size):
    """The rows of an executed query, in batches that grow."""
    while rows := cursor.fetchmany(size):
        yield rows
        size = min(size * 4, MAX_BATCH)


def _pages(cursor, sql, params, size):
    """The rows of ``sql`` (ordered) a page at a time, each page a query
    with ``LIMIT``: PostgreSQL sends a whole result at once. Pages grow as
    the batches do."""
    offset = 0
    while True:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, size, offset])
        rows = cursor.fetchall()
        if rows:
            yield rows
        if len(rows) < size:
            return
        offset += size
        size = min(size * 4, MAX_BATCH)


def _tier(window, rest, size):
    """Batches of object ids: ``window()``'s (object id, index entry id)
    pairs, best first, then, if the window was full, ``rest(oldest entry
    id in the window)``'s row batches, newest first."""
    ranked = window()
    for start in range(0, len(ranked), size):
        yield [object_id for object_id, _ in ranked[start : start + size]]
        size = min(size * 4, MAX_BATCH)
    if len(ranked) >= WINDOW:
        for rows in rest(min(entry for _, entry in ranked)):
            yield [row[0] for row in rows]


# SQLite: FTS5 over Wagtail's table (columns autocomplete, body, title),
# joined to the index table for the content type.


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_tiers(cursor, terms, content_type_id, size):
    every = "{title body} : (" + " AND ".join(_fts_phrase(t) for t in terms) + ")"
    in_title = "title : (" + " OR ".join(_fts_phrase(t) for t in terms) + ")"
    # BM25 is negative; lower is better.
    bm25 = f"bm25({FTS_TABLE}, 0.0, 1.0, {TITLE_WEIGHT})"
    matches = (
        f"FROM {FTS_TABLE} JOIN {INDEX_TABLE} e ON e.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND e.content_type_id = %s"
    )
    for match in (f"{every} AND {in_title}", f"{every} NOT {in_title}"):

        def window(match=match):
            # FTS5 reads its matches newest first without sorting them, so
            # only the window's rows are joined and scored.
            cursor.execute(
                f"SELECT object_id, entry FROM (SELECT e.object_id AS object_id, e.id AS entry, {bm25} AS score "  # noqa: S608
                f"{matches} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s) ORDER BY score, entry DESC",
                [match, content_type_id, WINDOW],
            )
            return cursor.fetchall()

        def rest(oldest, match=match):
            cursor.execute(
                f"SELECT e.object_id {matches} AND {FTS_TABLE}.rowid < %s ORDER BY {FTS_TABLE}.rowid DESC",
                [match, content_type_id, oldest],
            )
            return _batches(cursor, size)

        yield _tier(window, rest, size)


# PostgreSQL: the tsvector columns of Wagtail's table and their GIN indexes.


def _tsquery(terms, operator, config):
    # As Wagtail's backend writes its queries (modelsearch's Lexeme): each
    # word quoted, parsed and normalised with the index's configuration.
    text = f" {operator} ".join("'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in terms)
    if config:
        return "to_tsquery(%s::regconfig, %s)", [config, text]
    return "to_tsquery(%s)", [text]


def _postgres_tier(cursor, size, content_type_id, condition, params, column, rank):
    """One tier: index entries of the content type meeting ``condition``,
    ranked by ``ts_rank(column, rank)`` within the window."""
    matches = f"FROM {INDEX_TABLE} e WHERE e.content_type_id = %s AND {condition}"
    rank_sql, rank_params = rank

    def window():
        # The newest matches, looked for in ranges of entry ids from the
        # newest down: each range is one BitmapAnd of the GIN indexes and
        # the primary key, so only the rows of the range that match are
        # read. Fetching every match to keep the newest (the table's rows
        # are large) cost 40 ms for a word in one story in nine.
        cursor.execute(f"SELECT max(id) FROM {INDEX_TABLE}")  # noqa: S608
        top = high = cursor.fetchone()[0] or 0
        span = 8 * WINDOW
        ids: list[int] = []
        while high > 0 and len(ids) < WINDOW:
            low = max(high - span, 0)
            cursor.execute(
                f"SELECT e.id {matches} AND e.id > %s AND e.id <= %s ORDER BY e.id + 0 DESC LIMIT %s",
                [content_type_id, *params, low, high, WINDOW - len(ids)],
            )
            ids += [row[0] for row in cursor.fetchall()]
            # The next range: what holds the rest at the density seen so
            # far, and half as much again; four times wider if none yet.
            wanted = WINDOW - len(ids)
            span = int(1.5 * wanted * (top - low) / len(ids)) + 1 if ids else span * 4
            high = low
        if not ids:
            return []
        cursor.execute(
            f"SELECT e.object_id, e.id FROM {INDEX_TABLE} e WHERE e.id = ANY(%s) "  # noqa: S608
            f"ORDER BY ts_rank(e.{column}, {rank_sql}) DESC, e.id DESC",
            [ids, *rank_params],
        )
        return cursor.fetchall()

    def rest(oldest):
        # "e.id + 0": not the primary key's order, which would test row
        # after row from the newest down instead of asking the GIN indexes.
        sql = f"SELECT e.object_id {matches} AND e.id < %s ORDER BY e.id + 0 DESC"
        return _pages(cursor, sql, [content_type_id, *params, oldest], size)

    return _tier(window, rest, size)


def _postgres_tiers(cursor, terms, content_type_id, size):
    config = getattr(get_search_backend(), "config", None)
    # Words the configuration drops (English stop words such as "the") are
    # left out, as they are from Wagtail's own query.
    sql, params = zip(*(_tsquery([term], "&", config) for term in terms), strict=True)
    cursor.execute("SELECT " + ", ".join(f"numnode({one})" for one in sql), [p for one in params for p in one])
    terms = [term for term, nodes in zip(terms, cursor.fetchone(), strict=True) if nodes]
    if not terms:
        return
    any_sql, any_params = in_title = _tsquery(terms, "|", config)
    # Every word, in the title or the body: one condition per word, so that
    # each is answered from the two GIN indexes (``title || body`` is not).
    every_sql, every_params = [], []
    for term in terms:
        sql, params = _tsquery([term], "&", config)
        every_sql.append(f"(e.title @@ {sql} OR e.body @@ {sql})")
        every_params += params + params
    every = " AND ".join(every_sql)
    # Title matches, by ts_rank of the title; then the others, by ts_rank
    # of the body.
    yield _postgres_tier(
        cursor, size, content_type_id,
        f"e.title @@ {any_sql} AND {every}", [*any_params, *every_params],
        "title", in_title,
    )  # fmt: skip
    yield _postgres_tier(
        cursor, size, content_type_id,
        f"NOT (e.title @@ {any_sql}) AND {every}", [*any_params, *every_params],
        "body", _tsquery(terms, "&", config),
    )  # fmt: skip


def search(queryset, query: str, *, limit: int = 20, offset: int = 0) -> list:
    """The objects of ``queryset`` containing every word of ``query``, best first."""
    terms = query_terms(query)
    if not terms or limit <= 0 or queryset.query.is_empty():
        return []
    connection = connections[queryset.db]
    tiers = {"sqlite": _sqlite_tiers, "postgresql": _postgres_tiers}.get(connection.vendor)
    if tiers is None:
        backend = get_search_backend()
        return list(backend.search(" ".join(terms), queryset, operator="and")[offset : offset + limit])

    content_type_id = ContentType.objects.db_manager(queryset.db).get_for_model(queryset.model).pk
    to_pk = queryset.model._meta.pk.to_python
    checked = queryset.prefetch_related(None).order_by()
    wanted = offset + limit
    found: list = []
    with connection.cursor() as cursor:
        size = max(FIRST_BATCH, 2 * wanted)
        for tier in tiers(cursor, match_terms(terms), content_type_id, size):
            for object_ids in tier:
                # The queryset's own filters, and objects deleted since they
                # were indexed, are checked here, a batch at a time.
                pks = [to_pk(object_id) for object_id in object_ids]
                present = set(checked.filter(pk__in=pks).values_list("pk", flat=True))
                found += [pk for pk in pks if pk in present]
                if len(found) >= wanted:
                    break
            if len(found) >= wanted:
                break
    page = found[offset:wanted]
    objects = queryset.in_bulk(page)
    return [objects[pk] for pk in page if pk in objects]
