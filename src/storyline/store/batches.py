"""A large corpus -> batches for :meth:`~storyline.store.Store.ingest_all`, and their
reports -> the report one :meth:`~storyline.store.Store.ingest` of the corpus gives.

:func:`split_corpus` cuts a corpus into batches of about ``size`` articles in canonical
order (publication date, undated last, then id: :func:`storyline.model.date_and_id`), so
that each batch is later in that order than the ones before it. The clusterer then
finds the same stories batch by batch as in one call over the corpus (its module
docstring: feeding a stream in batches, each later than the ones before, gives the
same stories), and ``ingest_all`` reads the next batch's words in its worker process
while one batch is stored, one transaction each.

What one ingest decides in the corpus's own order is kept: the store matches an
article against the store and the articles before it in the corpus (by id, URL, then
content hash). Ids and URLs are unique within a corpus already
(:meth:`storyline.ingest.files.FileIngestor.collect` rejects the second one), so only a
content hash can match an earlier article of the corpus; the articles with the same
text therefore go together, in their input order, into the batch where the first of
them falls in canonical order. One exception, documented rather than handled: when the
first of such a group is already stored by id or URL, but not by its text, the next of
the group is stored instead of it at the first one's canonical place; if that place lies
in another batch than its own, its story may differ from one ingest's (the rest is
unchanged). The corpus's rejections go with the first batch.

:func:`combine_reports` adds the batches' reports up into the report of one ingest: the
same counts, ``new`` and ``known`` in the corpus's order, stories new in one batch and
merged away in a later one left out of both ``new_stories`` and ``merged_stories``, each
merge's target followed to the story it ends in, and stories created by this ingest not
counted as grown. ``run`` is the first batch's run (the one holding the rejections); each
batch is a run of its own in the store (a run killed after some batches leaves those
stored and finished). Differences from one ingest's JSON: ``grown`` is in the order the
batches first grew the stories, ``merged`` by the merged story's id (one ingest orders
both by the stories' seeds).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from storyline.model import Article, Corpus, date_and_id
from storyline.store.database import IngestReport, Store, content_hash

__all__ = ["BATCH_ARTICLES", "combine_reports", "ingest_in_batches", "split_corpus"]

# Articles per batch: big enough that a transaction's fixed cost (reading the open
# stories' state, writing it back) is spread, small enough to bound its memory.
BATCH_ARTICLES = 1000


def ingest_in_batches(store: Store, corpus: Corpus, size: int = BATCH_ARTICLES) -> IngestReport:
    """``corpus`` stored batch by batch (:func:`split_corpus`, :meth:`Store.ingest_all`; a
    corpus of one batch by :meth:`Store.ingest`, with no worker to start), and the
    report of one ingest of it (:func:`combine_reports`)."""
    batches = list(split_corpus(corpus, size))
    if len(batches) == 1:
        return store.ingest(batches[0])
    return combine_reports(corpus, list(store.ingest_all(batches)))


def split_corpus(corpus: Corpus, size: int = BATCH_ARTICLES) -> Iterator[Corpus]:
    """``corpus`` in batches of about ``size`` articles in canonical order (see the module
    docstring); at least one batch, which holds every rejection."""
    if size < 1:
        raise ValueError(f"a batch needs at least 1 article, not {size}")
    groups: dict[str, list[Article]] = {}  # content hash -> articles, in input order
    for article in corpus.articles:
        groups.setdefault(content_hash(article.text), []).append(article)
    ordered = sorted(groups.values(), key=lambda group: date_and_id(group[0]))
    rejections = corpus.rejections
    batch: list[Article] = []
    for group in ordered:
        batch += group
        if len(batch) >= size:
            yield Corpus(articles=tuple(batch), rejections=rejections)
            batch, rejections = [], ()
    if batch or rejections or not corpus.articles:
        yield Corpus(articles=tuple(batch), rejections=rejections)


def combine_reports(corpus: Corpus, reports: Sequence[IngestReport]) -> IngestReport:
    """The report of one ingest of ``corpus`` from those of its :func:`split_corpus`
    batches, in the order they were stored (see the module docstring)."""
    if not reports:
        raise ValueError("no reports to combine")
    if len(reports) == 1:
        return reports[0]
    order = {article.id: position for position, article in enumerate(corpus.articles)}
    created: dict[str, None] = {}
    grown: dict[str, None] = {}
    into: dict[str, str] = {}  # merged story -> the story it went into
    for report in reports:
        created.update(dict.fromkeys(report.new_stories))
        grown.update(dict.fromkeys(report.grown_stories))
        into.update(report.merged_stories)

    def final(story: str) -> str:
        while story in into:
            story = into[story]
        return story

    return IngestReport(
        run=reports[0].run,
        new=tuple(sorted((a for r in reports for a in r.new), key=order.__getitem__)),
        known=tuple(
            sorted((k for r in reports for k in r.known), key=lambda k: order[k.article_id])
        ),
        rejections=tuple(rejection for report in reports for rejection in report.rejections),
        new_stories=tuple(story for story in created if story not in into),
        grown_stories=tuple(story for story in grown if story not in created and story not in into),
        merged_stories=tuple(
            sorted((gone, final(target)) for gone, target in into.items() if gone not in created)
        ),
    )
