"""The store: a corpus in, stored articles and stable stories out; digests recorded as delivered.

:class:`Store` is the library API over one store (SQLite file or PostgreSQL
database, :mod:`storyline.store.engine`); every method that writes does so in one
transaction (:func:`~storyline.store.engine.transact`), so a process killed at any
point leaves the store as it was before that transaction or as it is after it.

Ingest (:meth:`Store.ingest`), in one write transaction that first locks the
clustering state's row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` holds the whole database), so that ingests run one after the
other and two at once neither store an article twice nor lose one:

1. each article of the corpus is matched against the store and against the articles
   before it in the corpus: the same article is one with the same id, the same URL
   (compared as :func:`storyline.ingest.files.url_key` does) or the same content hash
   (:func:`content_hash`, made once per article and stored with it); a matched article
   is "already stored" and not written;
2. the new articles go to :class:`~storyline.stories.clusters.OnlineClusterer`, which
   continues from the stored :class:`~storyline.stories.clusters.ClusterState`
   (single-pass clustering: the stories of earlier ingests keep their articles, new
   articles join them or start stories); of the state, :mod:`storyline.store.state`
   reads only the open stories and the counts of the new articles' terms, and writes
   back what changed, so that the cost of an ingest does not grow with the store
   (:meth:`Store.ingest_all` keeps the clusterer's working state from one batch to the
   next, :class:`~storyline.stories.clusters.LiveClustering`, and reads the open
   stories once);
3. a story's id is derived from its seed, its first article in stream order
   (``s-`` and 12 hex digits of the seed id's SHA-256): the clusterer never changes a
   story's first article (a merge keeps the older story's), so ids stay the same
   from one ingest to the next and are the same in two stores fed the same stream;
   when two stories merge, the younger one's articles move to the older and the
   younger is marked ``merged_into`` it (its id still leads there);
4. articles, stories, membership, the new state, the rejections and the run's counts
   are written, and the transaction commits.

The run itself is recorded first, in a transaction of its own: a run without a
finishing time is one that was interrupted and wrote nothing else.

:meth:`Store.ingest_all` ingests corpora one after the other, each as :meth:`Store.ingest`
would, while a worker process (:class:`storyline.pipeline.workers.Worker`) reads the
words of the next (:meth:`~storyline.stories.clusters.OnlineClusterer.analyse`, a
third of the clusterer's time and none of its statistics): on the 10,000-article
``bench/bench_stream.py`` stream the worker takes about 1.4 CPU s of each batch of
1,000 off the main process, which then spends about 5 (see ``bench/README.md``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Self, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import exc

from storyline.errors import ConfigError, StoreError
from storyline.ingest.files import url_key
from storyline.model import (
    Article,
    Budget,
    BudgetUnit,
    Corpus,
    Rejection,
    RejectionReason,
    StoryOverview,
)
from storyline.pipeline.workers import Worker
from storyline.store.engine import StoreLocation, locate, open_engine, transact
from storyline.store.schema import (
    ARTICLES,
    CLUSTER_STATE,
    DIGESTS,
    REJECTIONS,
    RUNS,
    STORIES,
    STORY_ARTICLES,
)
from storyline.store.state import (
    analyse_batches,
    load_open,
    load_terms,
    locked_head,
    save_state,
    stored_stories,
)
from storyline.store.versions import ensure_current
from storyline.stories.clusters import (
    ArticleTerms,
    ClusterState,
    LiveClustering,
    OnlineClusterer,
    describe,
)
from storyline.text.tokens import STOP_WORDS

__all__ = [
    "DeliveredDigest",
    "IngestReport",
    "KnownArticle",
    "Run",
    "Store",
    "StoredArticle",
    "content_hash",
    "story_id_of",
]

_WORD = re.compile(r"\w+")
_CHUNK = 500  # values per IN (...) list
_LEAD_CHARS = 400  # of an article's text, read for a story's headline

Match = Literal["id", "url", "content"]
_T = TypeVar("_T")


def content_hash(text: str) -> str:
    """The SHA-256 (hex) of ``text`` normalised: NFKC, case-folded, its words joined by one
    space, so that spacing, punctuation, typographic quotes and case do not count."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def story_id_of(seed_article_id: str) -> str:
    """The stable id of the story whose first article is ``seed_article_id``."""
    return "s-" + hashlib.sha256(seed_article_id.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownArticle:
    """An input article that the store already held: ``stored_id`` matched by ``match``."""

    article_id: str
    stored_id: str
    match: Match


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestReport:
    """What one ingest did: the articles stored, those already there, the rejections,
    and the stories created, grown and merged (``(gone, into)`` pairs)."""

    run: int
    new: tuple[str, ...]
    known: tuple[KnownArticle, ...]
    rejections: tuple[Rejection, ...]
    new_stories: tuple[str, ...] = ()
    grown_stories: tuple[str, ...] = ()
    merged_stories: tuple[tuple[str, str], ...] = ()

    def counts(self) -> dict[str, Any]:
        """The counts as JSON-ready data (what the run records and the CLI prints)."""
        return {
            "new": len(self.new),
            "already_stored": len(self.known),
            "already_stored_by": dict(sorted(Counter(k.match for k in self.known).items())),
            "rejected": len(self.rejections),
            "rejected_by_reason": dict(
                sorted(Counter(r.reason.value for r in self.rejections).items())
            ),
            "stories_new": len(self.new_stories),
            "stories_grown": len(self.grown_stories),
            "stories_merged": len(self.merged_stories),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle:
    """An article as stored, with its story, content hash, and the run that stored it."""

    article: Article
    story_id: str
    content_hash: str
    ingested: dt.datetime
    run: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveredDigest:
    """A digest as delivered: its id, story, time, budget and JSON document."""

    id: int
    story_id: str
    delivered: dt.datetime
    budget: Budget
    document: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """A command that wrote to the store; ``finished`` is None when it was interrupted."""

    id: int
    command: str
    started: dt.datetime
    finished: dt.datetime | None
    counts: Mapping[str, Any] = field(default_factory=dict)


class Store:
    """One store, open. Use :meth:`open` (or ``with Store.open(...) as store``)."""

    def __init__(
        self, *, engine: sa.Engine, location: StoreLocation, clusterer: OnlineClusterer
    ) -> None:
        self.engine = engine
        self.location = location
        self.clusterer = clusterer

    @classmethod
    def open(
        cls,
        location: str | None = None,
        *,
        create: bool = True,
        clusterer: OnlineClusterer | None = None,
    ) -> Self:
        """The store at ``location`` (a path or a ``postgresql://`` URL; default:
        ``$STORYLINE_STORE``, else ``./storyline.db``), created when new (``create=False``:
        a store that does not exist is an error).

        A file that is no store, an unreachable server or a store at another schema
        version is a :class:`~storyline.errors.StoreError`.
        """
        where = locate(location)
        engine = open_engine(where, create=create)
        try:
            ensure_current(engine, where, create=create)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine=engine, location=where, clusterer=clusterer or OnlineClusterer())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def ingest(self, corpus: Corpus, *, command: str = "ingest") -> IngestReport:
        """Store the new articles of ``corpus`` in their stories, and its rejections."""
        return self._ingest_analysed(corpus, None, command, None)[0]

    def ingest_all(
        self, corpora: Iterable[Corpus], *, command: str = "ingest"
    ) -> Iterator[IngestReport]:
        """:meth:`ingest` of each of ``corpora`` in turn (a transaction each), yielding each
        report as its corpus is stored; while one corpus is stored, a worker process reads
        the words of the next (:meth:`~storyline.stories.clusters.OnlineClusterer.analyse`,
        about a third of the clusterer's time), so that ingest uses a second core. The
        same stories as one :meth:`ingest` after another."""
        batches = iter(corpora)
        current = next(batches, None)
        if current is None:
            return
        worker = Worker(analyse_batches, self.clusterer, stage="analyse")
        live: LiveClustering | None = None  # the clusterer's state as the last batch left it
        try:
            worker.send(current.articles)
            while current is not None:
                # the worker is sent the next corpus only once it has sent back all of
                # this one's terms: it then reads, never both ends writing at once
                terms = cast(tuple[ArticleTerms, ...], worker.receive())
                following = next(batches, None)
                if following is not None:
                    worker.send(following.articles)
                report, live = self._ingest_analysed(current, terms, command, live)
                yield report
                current = following
            worker.stop_input()
        finally:
            worker.close()

    def _ingest_analysed(
        self,
        corpus: Corpus,
        terms: Sequence[ArticleTerms] | None,
        command: str,
        live: LiveClustering | None,
    ) -> tuple[IngestReport, LiveClustering]:
        """:meth:`ingest` of ``corpus``, continuing from ``live`` when the store still holds
        the state it left; the report, and the clusterer's state as this ingest left it."""
        run = self._start_run(command)
        # ``live`` is used by one attempt only: one that fails (then run again from the
        # start by transact) may have changed it without storing the change
        handed: list[LiveClustering | None] = [live]

        def work(connection: sa.Connection) -> tuple[IngestReport, LiveClustering]:
            taken, handed[0] = handed[0], None
            return self._ingest(connection, corpus, run, terms, taken)

        return transact(self.engine, work, write=True)

    def record_digest(
        self,
        story_id: str,
        budget: Budget,
        document: Mapping[str, Any] | str,
        *,
        command: str = "digest",
    ) -> DeliveredDigest:
        """Record ``document`` (a digest's JSON) as delivered for the story, by the run of
        ``command`` (``digest``, ``update``).

        ``document`` may also be given as the text the store keeps, ``json.dumps(document)``
        (as :func:`storyline.report.markdown.delivered_texts` makes it, in a story worker):
        it is recorded as it is, not encoded again (the returned record's ``document`` is
        then left empty: the caller has it)."""

        def work(connection: sa.Connection) -> DeliveredDigest:
            story = _current_story(connection, story_id)
            now = _now()
            run = _insert_run(connection, command, now, finished=now, counts={"digests": 1})
            values: dict[str, Any] = {
                "story_id": story,
                "delivered": now,
                "budget_unit": budget.unit,
                "budget_limit": budget.limit,
                "run": run,
            }
            insert = DIGESTS.insert().returning(DIGESTS.c.id)
            if isinstance(document, str):
                insert = insert.values(document=_json_text(connection))
                values["document_text"] = document
            else:
                values["document"] = dict(document)
            number = connection.execute(insert, values).scalar_one()
            return DeliveredDigest(
                id=number,
                story_id=story,
                delivered=now,
                budget=budget,
                document={} if isinstance(document, str) else document,
            )

        return transact(self.engine, work, write=True)

    # -- reading -----------------------------------------------------------------------

    def stories(
        self, *, since: dt.date | None = None, search: str | None = None
    ) -> tuple[StoryOverview, ...]:
        """The stories, largest first, then the most recent, then by first article.

        ``since``: only stories with an article published on or after that day.
        ``search``: only stories with an article whose title or text has every word of
        it (full-text search, stemmed: FTS5 in SQLite, ``tsvector`` in PostgreSQL).
        """

        def work(connection: sa.Connection) -> tuple[StoryOverview, ...]:
            wanted = None if search is None else _searched(connection, search)
            stories = _stories(connection, None if wanted is None else sorted(wanted))
            return tuple(sorted(active_since(stories, since), key=_story_rank))

        return transact(self.engine, work, write=False)

    def changed_stories(
        self, known: Mapping[str, tuple[str, ...]]
    ) -> tuple[dict[str, tuple[str, ...]], tuple[StoryOverview, ...]]:
        """Each live story's article ids (sorted), and the overviews (as :meth:`stories`
        makes them) of the stories whose ids are not those of ``known``, read in one
        transaction. Stored articles never change, so a story whose ids are the same
        has the same overview."""

        def work(
            connection: sa.Connection,
        ) -> tuple[dict[str, tuple[str, ...]], tuple[StoryOverview, ...]]:
            query = sa.select(STORY_ARTICLES.c.story_id, STORY_ARTICLES.c.article_id)
            grouped: dict[str, list[str]] = {}
            for story_id, article_id in connection.execute(query).all():
                grouped.setdefault(story_id, []).append(article_id)
            members = {story_id: tuple(sorted(ids)) for story_id, ids in grouped.items()}
            changed = [s for s, ids in members.items() if known.get(s) != ids]
            return members, tuple(_stories(connection, changed)) if changed else ()

        return transact(self.engine, work, write=False)

    def story(self, story_id: str) -> StoryOverview:
        """The story ``story_id`` (or the one it was merged into); unknown: StoreError."""

        def work(connection: sa.Connection) -> StoryOverview:
            current = _current_story(connection, story_id)
            found = _stories(connection, [current])
            if not found:
                raise StoreError(f"story {story_id} has no articles")
            return found[0]

        return transact(self.engine, work, write=False)

    def articles(self, story_id: str) -> tuple[Article, ...]:
        """The articles of a story (or of the one it was merged into), in canonical order."""

        def work(connection: sa.Connection) -> tuple[Article, ...]:
            current = _current_story(connection, story_id)
            rows = connection.execute(
                sa.select(ARTICLES)
                .join(STORY_ARTICLES, STORY_ARTICLES.c.article_id == ARTICLES.c.id)
                .where(STORY_ARTICLES.c.story_id == current)
            )
            found = [_article(row) for row in rows]
            return tuple(sorted(found, key=lambda a: (a.published or dt.date.max, a.id)))

        return transact(self.engine, work, write=False)

    def search_articles(
        self, text: str, *, story_id: str | None = None, limit: int = 200
    ) -> tuple[Article, ...]:
        """The ``limit`` stored articles (of one story, or of all) that match ``text`` best:
        whose title or text holds any of its content words, stemmed, ranked by FTS5's
        bm25 in SQLite and ``ts_rank`` in PostgreSQL; in canonical order. A text without
        a content word is a ConfigError."""
        words = [word for word in _WORD.findall(text.casefold()) if word not in STOP_WORDS]
        if not words:
            raise ConfigError(f"The query must hold a content word. Got {text!r} instead.")

        def work(connection: sa.Connection) -> tuple[Article, ...]:
            story = None if story_id is None else _current_story(connection, story_id)
            keys = _matching(connection, words, story, limit)
            found: list[Article] = []
            for chunk in _chunks(keys):
                rows = connection.execute(sa.select(ARTICLES).where(ARTICLES.c.key.in_(chunk)))
                found += (_article(row) for row in rows)
            return tuple(sorted(found, key=lambda a: (a.published or dt.date.max, a.id)))

        return transact(self.engine, work, write=False)

    def article(self, article_id: str) -> StoredArticle:
        """The stored article ``article_id``; unknown: StoreError."""

        def work(connection: sa.Connection) -> StoredArticle:
            row = connection.execute(
                sa.select(ARTICLES, STORY_ARTICLES.c.story_id)
                .join(STORY_ARTICLES, STORY_ARTICLES.c.article_id == ARTICLES.c.id)
                .where(ARTICLES.c.id == article_id)
            ).one_or_none()
            if row is None:
                raise StoreError(f"no article {article_id!r} in the store")
            return StoredArticle(
                article=_article(row),
                story_id=row.story_id,
                content_hash=row.content_hash,
                ingested=_utc(row.ingested),
                run=row.run,
            )

        return transact(self.engine, work, write=False)

    def revision(self) -> int:
        """A number that grows when a command's writes commit (the runs finished: a run is
        finished in its writes' transaction; 0 for an empty store). What is read after
        reading the revision holds while the revision stays the same: for the caches of a
        server (one query over the runs table, one row a command)."""

        def work(connection: sa.Connection) -> int:
            query = sa.select(sa.func.count()).where(RUNS.c.finished.is_not(None))
            return int(connection.execute(query).scalar_one())

        return transact(self.engine, work, write=False)

    def activity(self) -> dict[str, tuple[tuple[dt.date, int], ...]]:
        """How many dated articles each live story has per day of publication, days in
        order (a story without a dated article is absent): one grouped query, for the
        activity charts and date filters of a story list."""

        def work(connection: sa.Connection) -> dict[str, tuple[tuple[dt.date, int], ...]]:
            rows = connection.execute(
                sa.select(
                    STORY_ARTICLES.c.story_id, ARTICLES.c.published, sa.func.count().label("n")
                )
                .join(ARTICLES, ARTICLES.c.id == STORY_ARTICLES.c.article_id)
                .where(ARTICLES.c.published.is_not(None))
                .group_by(STORY_ARTICLES.c.story_id, ARTICLES.c.published)
                .order_by(STORY_ARTICLES.c.story_id, ARTICLES.c.published)
            )
            days: dict[str, list[tuple[dt.date, int]]] = {}
            for row in rows:
                days.setdefault(row.story_id, []).append((row.published, row.n))
            return {story: tuple(counts) for story, counts in days.items()}

        return transact(self.engine, work, write=False)

    def digests(self, story_id: str | None = None) -> tuple[DeliveredDigest, ...]:
        """The digests delivered, oldest first: all, or those of one story (with those of
        the stories merged into it)."""

        def work(connection: sa.Connection) -> tuple[DeliveredDigest, ...]:
            query = sa.select(DIGESTS).order_by(DIGESTS.c.id)
            if story_id is not None:
                current = _current_story(connection, story_id)
                merged = sa.select(STORIES.c.id).where(STORIES.c.merged_into == current)
                query = query.where(
                    sa.or_(DIGESTS.c.story_id == current, DIGESTS.c.story_id.in_(merged))
                )
            return tuple(
                DeliveredDigest(
                    id=row.id,
                    story_id=row.story_id,
                    delivered=_utc(row.delivered),
                    budget=Budget(unit=_unit(row.budget_unit), limit=row.budget_limit),
                    document=row.document,
                )
                for row in connection.execute(query)
            )

        return transact(self.engine, work, write=False)

    def rejections(self, run: int | None = None) -> tuple[Rejection, ...]:
        """The rejections recorded, in order: all, or those of one run."""
        query = sa.select(REJECTIONS).order_by(REJECTIONS.c.key)
        if run is not None:
            query = query.where(REJECTIONS.c.run == run)

        def work(connection: sa.Connection) -> tuple[Rejection, ...]:
            return tuple(
                Rejection(item=row.item, reason=RejectionReason(row.reason), detail=row.detail)
                for row in connection.execute(query)
            )

        return transact(self.engine, work, write=False)

    def runs(self) -> tuple[Run, ...]:
        """Every run, oldest first."""

        def work(connection: sa.Connection) -> tuple[Run, ...]:
            return tuple(
                Run(
                    id=row.id,
                    command=row.command,
                    started=_utc(row.started),
                    finished=None if row.finished is None else _utc(row.finished),
                    counts=row.counts or {},
                )
                for row in connection.execute(sa.select(RUNS).order_by(RUNS.c.id))
            )

        return transact(self.engine, work, write=False)

    def check(self) -> tuple[str, ...]:
        """What is inconsistent in the store (nothing, normally): each article in exactly
        one live story, each live story with articles, the clustering state holding exactly
        the stored articles, the full-text index matching the articles."""
        return transact(self.engine, _problems, write=False)

    # -- ingest ------------------------------------------------------------------------

    def _start_run(self, command: str) -> int:
        return transact(
            self.engine,
            lambda connection: _insert_run(connection, command, _now()),
            write=True,
        )

    def _ingest(
        self,
        connection: sa.Connection,
        corpus: Corpus,
        run: int,
        analysed: Sequence[ArticleTerms] | None,
        live: LiveClustering | None,
    ) -> tuple[IngestReport, LiveClustering]:
        """``analysed``: the terms of each of the corpus's articles, when read already;
        ``live``: the clusterer's state as the last ingest of this process left it."""
        head = locked_head(connection)
        new, known, keys = _sort_out(connection, corpus.articles)
        if analysed is None:
            terms = self.clusterer.analyse(new)
        else:  # the new articles are the corpus's own objects
            found = dict(zip(map(id, corpus.articles), analysed, strict=True))
            terms = tuple(found[id(article)] for article in new)
        if live is None or not live.continues(head):
            live = LiveClustering(self.clusterer, load_open(connection, head))
        live.learn(*load_terms(connection, live.missing(OnlineClusterer.vocabulary(terms))))
        before, after = live.cluster(new, terms)
        now = _now()
        if new:
            rows = [_article_row(a, *keys[a.id], now, run) for a in new]
            connection.execute(ARTICLES.insert(), rows)
        filed = _file_stories(connection, before=before, after=after, new=new, now=now, run=run)
        save_state(connection, before, after, story_id_of)
        connection.execute(
            CLUSTER_STATE.update().where(CLUSTER_STATE.c.id == 1).values(updated=now)
        )
        if corpus.rejections:
            connection.execute(
                REJECTIONS.insert(),
                [
                    {
                        "item": r.item,
                        "reason": r.reason.value,
                        "detail": r.detail,
                        "rejected": now,
                        "run": run,
                    }
                    for r in corpus.rejections
                ],
            )
        report = IngestReport(
            run=run,
            new=tuple(a.id for a in new),
            known=known,
            rejections=corpus.rejections,
            new_stories=filed.new_stories,
            grown_stories=filed.grown_stories,
            merged_stories=filed.merged_stories,
        )
        connection.execute(
            RUNS.update().where(RUNS.c.id == run).values(finished=_now(), counts=report.counts())
        )
        return report, live


def _sort_out(
    connection: sa.Connection, articles: Sequence[Article]
) -> tuple[list[Article], tuple[KnownArticle, ...], dict[str, tuple[str, str]]]:
    """The articles the store does not hold yet, and those it does (or an earlier one of
    ``articles`` is), each with what matched; and each article's content hash and URL key
    by id (made once here, stored with the new articles: a content hash is a few percent
    of an ingest)."""
    hashes = {a.id: content_hash(a.text) for a in articles}
    urls = {a.id: url_key(a.url) for a in articles}
    by_id = {i: i for i in _existing(connection, ARTICLES.c.id, ARTICLES.c.id, list(hashes))}
    by_url = _existing(
        connection, ARTICLES.c.url_key, ARTICLES.c.id, [u for u in urls.values() if u]
    )
    by_hash = _existing(connection, ARTICLES.c.content_hash, ARTICLES.c.id, list(hashes.values()))
    new: list[Article] = []
    known: list[KnownArticle] = []
    for article in articles:
        keys: tuple[tuple[Match, dict[str, str], str], ...] = (
            ("id", by_id, article.id),
            ("url", by_url, urls[article.id]),
            ("content", by_hash, hashes[article.id]),
        )
        match = next(((kind, table[key]) for kind, table, key in keys if key in table), None)
        if match is not None:
            known.append(KnownArticle(article_id=article.id, stored_id=match[1], match=match[0]))
            continue
        new.append(article)
        by_id[article.id] = article.id
        if urls[article.id]:
            by_url[urls[article.id]] = article.id
        by_hash[hashes[article.id]] = article.id
    if len(hashes) == len(articles):
        return new, tuple(known), {i: (hashes[i], urls[i]) for i in hashes}
    # an id given twice (no ingestor's corpus holds one): by id, the last one's keys
    return new, tuple(known), {a.id: (content_hash(a.text), url_key(a.url)) for a in new}


def _existing(
    connection: sa.Connection, column: sa.Column[Any], value: sa.Column[Any], keys: list[str]
) -> dict[str, str]:
    """``{column: value}`` of the stored articles whose ``column`` is one of ``keys``."""
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(set(keys))):
        rows = connection.execute(sa.select(column, value).where(column.in_(chunk)))
        found.update({str(key): str(article) for key, article in rows})
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class _Filed:
    new_stories: tuple[str, ...]
    grown_stories: tuple[str, ...]
    merged_stories: tuple[tuple[str, str], ...]


def _file_stories(
    connection: sa.Connection,
    *,
    before: ClusterState | None,
    after: ClusterState,
    new: Sequence[Article],
    now: dt.datetime,
    run: int,
) -> _Filed:
    """Write the stories of ``after`` that ``before`` did not have, the new articles'
    membership, and the merges between the two states."""
    old_seeds = {story.articles[0] for story in before.stories} if before else set()
    new_ids = {article.id for article in new}
    stories, members, grown = [], [], []
    seed_story: dict[str, str] = {}  # article id -> its story's seed, for the old seeds
    for story in after.stories:
        seed = story.articles[0]
        identity = story_id_of(seed)
        if seed not in old_seeds:
            stories.append({"id": identity, "seed_article": seed, "created": now, "run": run})
        added = [article for article in story.articles if article in new_ids]
        members += [{"article_id": article, "story_id": identity} for article in added]
        if added and seed in old_seeds:
            grown.append(identity)
        for article in story.articles:
            if article in old_seeds:
                seed_story[article] = seed
    if stories:
        connection.execute(STORIES.insert(), stories)
    if members:
        connection.execute(STORY_ARTICLES.insert(), members)
    merged = []
    for gone in sorted(old_seeds - {story.articles[0] for story in after.stories}):
        into, gone_id = story_id_of(seed_story[gone]), story_id_of(gone)
        connection.execute(
            STORY_ARTICLES.update()
            .where(STORY_ARTICLES.c.story_id == gone_id)
            .values(story_id=into)
        )
        connection.execute(
            STORIES.update()
            .where(sa.or_(STORIES.c.id == gone_id, STORIES.c.merged_into == gone_id))
            .values(merged_into=into)
        )
        merged.append((gone_id, into))
    return _Filed(
        new_stories=tuple(str(s["id"]) for s in stories),
        grown_stories=tuple(grown),
        merged_stories=tuple(merged),
    )


def active_since(stories: Iterable[StoryOverview], since: dt.date | None) -> list[StoryOverview]:
    """The ``stories`` with an article published on or after ``since`` (all when None)."""
    return [s for s in stories if since is None or (s.last is not None and s.last >= since)]


def _stories(connection: sa.Connection, only: Sequence[str] | None) -> list[StoryOverview]:
    """The live stories (``only`` those ids when given), unsorted."""
    query = sa.select(
        STORY_ARTICLES.c.story_id,
        ARTICLES.c.id,
        ARTICLES.c.title,
        ARTICLES.c.published,
        ARTICLES.c.source,
        # the lead of each text is enough for the headline rule of clusters.describe
        sa.func.substr(ARTICLES.c.text, 1, _LEAD_CHARS).label("text"),
    ).join(ARTICLES, ARTICLES.c.id == STORY_ARTICLES.c.article_id)
    if only is None:
        rows = connection.execute(query).all()
    else:
        rows = [
            row
            for chunk in _chunks(only)
            for row in connection.execute(query.where(STORY_ARTICLES.c.story_id.in_(chunk)))
        ]
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.story_id, []).append(row)
    stories = []
    for story_id, members in grouped.items():
        members.sort(key=lambda row: (row.published or dt.date.max, row.id))
        stories.append(describe(story_id, members))
    return stories


def _story_rank(story: StoryOverview) -> tuple[int, int, str]:
    """Largest first, then the most recent (undated last), then by first article."""
    latest = story.last.toordinal() if story.last is not None else 0
    return -len(story.article_ids), -latest, story.article_ids[0]


def _searched(connection: sa.Connection, text: str) -> set[str]:
    """The ids of the stories with an article matching every word of ``text``."""
    words = _WORD.findall(text)
    if not words:
        raise ConfigError(f"The search text must hold a word. Got {text!r} instead.")
    if connection.dialect.name == "sqlite":
        query = sa.text(
            "SELECT DISTINCT m.story_id FROM articles_search "
            "JOIN articles a ON a.key = articles_search.rowid "
            "JOIN story_articles m ON m.article_id = a.id "
            "WHERE articles_search MATCH :query"
        )
        # each word a quoted FTS5 string: no word of the user's is read as an operator
        phrase = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    else:
        query = sa.text(
            "SELECT DISTINCT m.story_id FROM articles a "
            "JOIN story_articles m ON m.article_id = a.id "
            "WHERE a.search @@ plainto_tsquery('english', :query)"
        )
        phrase = " ".join(words)
    return {str(story) for (story,) in connection.execute(query, {"query": phrase})}


def _matching(
    connection: sa.Connection, words: Sequence[str], story: str | None, limit: int
) -> list[int]:
    """The keys of the ``limit`` articles (of ``story``, if given) best matching any of
    ``words``, best first."""
    member = (
        ""
        if story is None
        else " AND a.id IN (SELECT article_id FROM story_articles WHERE story_id = :story)"
    )
    if connection.dialect.name == "sqlite":
        query = sa.text(
            "SELECT a.key FROM articles_search JOIN articles a ON a.key = articles_search.rowid "
            f"WHERE articles_search MATCH :query{member} ORDER BY articles_search.rank, a.key "
            "LIMIT :limit"
        )
        # each word a quoted FTS5 string: no word of the user's is read as an operator
        phrase = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
    else:
        query = sa.text(
            "SELECT a.key FROM articles a, to_tsquery('english', :query) q "
            f"WHERE a.search @@ q{member} ORDER BY ts_rank(a.search, q) DESC, a.key "
            "LIMIT :limit"
        )
        phrase = " | ".join(words)
    values: dict[str, Any] = {"query": phrase, "limit": limit}
    if story is not None:
        values["story"] = story
    return [int(key) for (key,) in connection.execute(query, values)]


def _current_story(connection: sa.Connection, story_id: str) -> str:
    """``story_id``, or the story it was merged into; an unknown id is a StoreError."""
    row = connection.execute(
        sa.select(STORIES.c.id, STORIES.c.merged_into).where(STORIES.c.id == story_id)
    ).one_or_none()
    if row is None:
        raise StoreError(f"no story {story_id!r} in the store")
    return str(row.merged_into or row.id)


def _problems(connection: sa.Connection) -> tuple[str, ...]:
    problems = []
    articles = set(connection.execute(sa.select(ARTICLES.c.id)).scalars())
    membership = list(connection.execute(sa.select(STORY_ARTICLES)))
    members = Counter(row.article_id for row in membership)
    if set(members) != articles or any(count != 1 for count in members.values()):
        problems.append("an article is in no story, or in more than one")
    live = set(
        connection.execute(sa.select(STORIES.c.id).where(STORIES.c.merged_into.is_(None))).scalars()
    )
    if {row.story_id for row in membership} != live:
        problems.append("a live story has no articles, or a merged story still has some")
    head = connection.execute(sa.select(CLUSTER_STATE.c.state)).scalar_one()
    clustered = stored_stories(connection)
    in_states = [a for story in clustered.values() for a in story.articles]
    if len(in_states) != len(set(in_states)) or set(in_states) != articles:
        problems.append("the clustering state does not hold exactly the stored articles")
    members_of: dict[str, set[str]] = {}
    for row in membership:
        members_of.setdefault(row.story_id, set()).add(row.article_id)
    if set(clustered) != live or any(
        story_id_of(story.articles[0]) != story_id or set(story.articles) != members_of[story_id]
        for story_id, story in clustered.items()
    ):
        problems.append("the clustering state's stories are not the live stories")
    if (head["documents"] if head is not None else 0) != len(articles):
        problems.append("the clustering state counts another number of articles")
    if connection.dialect.name == "sqlite":
        try:
            connection.exec_driver_sql(
                "INSERT INTO articles_search(articles_search, rank) VALUES ('integrity-check', 1)"
            )
        except exc.DatabaseError as error:
            problems.append(f"the full-text index does not match the articles: {error.orig}")
    return tuple(problems)


def _json_text(connection: sa.Connection) -> sa.ColumnElement[Any]:
    """The ``document_text`` parameter: a JSON column's text, stored as it is, bound as
    text, which PostgreSQL casts to ``json`` (SQLite keeps JSON as text anyway)."""
    text = sa.bindparam("document_text", type_=sa.Text)
    if connection.dialect.name == "sqlite":
        return text
    return sa.cast(text, DIGESTS.c.document.type)


def _insert_run(
    connection: sa.Connection,
    command: str,
    started: dt.datetime,
    *,
    finished: dt.datetime | None = None,
    counts: Mapping[str, Any] | None = None,
) -> int:
    values = {"command": command, "started": started, "finished": finished, "counts": counts}
    return int(connection.execute(RUNS.insert().returning(RUNS.c.id), values).scalar_one())


def _article_row(
    article: Article, hashed: str, url: str, now: dt.datetime, run: int
) -> dict[str, Any]:
    """The row of ``article``, whose content hash is ``hashed`` and URL key ``url``."""
    return {
        "id": article.id,
        "content_hash": hashed,
        "url": article.url,
        "url_key": url or None,
        "source": article.source,
        "title": article.title,
        "published": article.published,
        "authors": list(article.authors),
        "partial": article.partial,
        "origin": article.origin,
        "text": article.text,
        "ingested": now,
        "run": run,
    }


def _article(row: sa.Row[Any]) -> Article:
    return Article(
        id=row.id,
        text=row.text,
        source=row.source,
        origin=row.origin,
        title=row.title,
        url=row.url,
        published=row.published,
        authors=tuple(row.authors),
        partial=bool(row.partial),
    )


def _unit(value: str) -> BudgetUnit:
    if value == "words":
        return "words"
    if value == "bytes":
        return "bytes"
    return "sentences"


def _chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (SQLite gives it back naive)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
