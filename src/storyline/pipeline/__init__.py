"""Pipeline: a corpus -> a digest, through named, timed stages.

Stages are injected (see :mod:`storyline.registry` for the implementations and
:func:`storyline.registry.build_pipeline` for the configured default). Running
the pipeline names and times each stage; a failure inside a stage is re-raised
as :class:`~storyline.errors.StageError` naming it.

No article stops a run: when a stage raises, the articles that make it fail are
found by bisection (the pipeline rerun on halves of the articles, down to single
articles; an article that fails only beside others is the one whose addition
makes a passing prefix fail), rejected as ``processing-error`` naming the stage
and the error, and the run starts again without them. A stage that fails even
without articles is a fault of the stage, not of an item, and running out of
memory is a fault of the run: their error propagates. Timings are those of the
final run.

First the articles are put in a canonical order (:func:`canonical_order`: date,
id, content hash), so that no stage sees the input order. Then: ``segment``
(sentences) -> ``dedup`` (syndicated copies) -> ``facts`` (paraphrase groups)
-> ``select`` (summary), then the optional analyses: ``temporal`` (time
expressions of each canonical article, tagged once) ->
``timeline`` (dated entries built from them) -> ``quotes`` -> ``entities``
(which links quotes to speakers) -> ``compare`` (fact coverage by outlet,
disagreements). Copies are segmented too, so that a summary or timeline
sentence also cites the republished copies that carry it word for word, but
only canonical articles feed fact grouping, selection and the timeline; the
other analyses see every article, so a quote or a fact lists every outlet that
carries it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import pickle
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar, cast

from storyline.digest.compare import (
    DisagreementFinder,
    TwoPassDisagreementFinder,
    cover_facts,
)
from storyline.digest.entities import EntityRecognizer, reads_first
from storyline.digest.quotes import QuoteExtractor
from storyline.digest.speakers import link_speakers
from storyline.digest.summary import Steering, Summarizer
from storyline.digest.timeline import TimelineBudget, TimelineBuilder
from storyline.errors import StageError, StorylineError
from storyline.model import (
    Article,
    Budget,
    Corpus,
    Digest,
    Disagreement,
    DuplicateGroup,
    Entity,
    EntityKind,
    FactCoverage,
    Mention,
    Quote,
    Rejection,
    RejectionReason,
    Sentence,
    Story,
    StoryOverview,
    StreamDigest,
    Summary,
    TimeExpression,
    date_and_id,
)
from storyline.pipeline.workers import Channel, Worker, WorkerError, fewer_collections, portable
from storyline.stories.clusters import StoryClusterer, rank_stories
from storyline.stories.copies import Deduplicator
from storyline.stories.facts import FactGrouper
from storyline.text.sentences import Segmenter, segment_all
from storyline.text.temporal import TimeTagger

if TYPE_CHECKING:
    from storyline.pipeline.engines import DaskEngine

__all__ = ["Pipeline", "StageListener", "WhileWaiting", "canonical_order"]

StageListener = Callable[[str], None]
"""Called with a stage's name as the stage starts (for progress displays)."""
WhileWaiting = Callable[[Digest], None]
"""Called in the main process with a story's digest as far as it is made, while that
process would wait for its quotes and entities workers: first with the summary, timeline
and fact coverage, then with the quotes and entities too (before the disagreements).
The final digest holds the same objects. The CLI writes the long parts of its JSON
report meanwhile (:class:`storyline.report.markdown.PreparedJson`). Called only when
the workers run (one large story)."""

_Rendered = TypeVar("_Rendered")


@dataclass(frozen=True, slots=True, kw_only=True)
class Pipeline:
    segmenter: Segmenter
    deduplicator: Deduplicator
    fact_grouper: FactGrouper
    summarizer: Summarizer
    quote_extractor: QuoteExtractor | None = None
    entity_recognizer: EntityRecognizer | None = None
    disagreement_finder: DisagreementFinder | None = None
    tagger: TimeTagger | None = None
    timeline_builder: TimelineBuilder | None = None
    timeline_budget: TimelineBudget = field(
        default_factory=lambda: TimelineBudget(dates=10, sentences_per_date=2)
    )
    clusterer: StoryClusterer | None = None
    workers: bool = True
    workers_from_chars: int = 2_000_000

    @property
    def stage_names(self) -> tuple[str, ...]:
        """The names of the stages :meth:`run` goes through, in order."""
        timeline = self.timeline_builder if self.tagger is not None else None
        optional = (
            ("temporal", timeline),
            ("timeline", timeline),
            ("quotes", self.quote_extractor),
            ("entities", self.entity_recognizer),
            ("compare", self.disagreement_finder),
        )
        names = ("segment", "dedup", "facts", "select")
        return names + tuple(name for name, stage in optional if stage is not None)

    @property
    def stream_stage_names(self) -> tuple[str, ...]:
        """The names of the stages :meth:`run_stories` goes through: the stages after
        ``dedup`` run once per story digested."""
        segment, dedup, *rest = self.stage_names
        return (segment, dedup, "cluster", *rest)

    def run(
        self,
        corpus: Corpus,
        budget: Budget,
        *,
        story_id: str = "story-1",
        on_stage: StageListener | None = None,
        steer: Steering | None = None,
        while_waiting: WhileWaiting | None = None,
    ) -> Digest:
        """The digest of ``corpus`` taken as one story (named ``story_id``); articles whose
        analysis fails become rejections.

        ``steer``, given the story (its sentences grouped into facts) and its canonical
        articles, returns the :class:`~storyline.digest.summary.Guidance` of the summary's
        selection: what's-new digests and questions choose among some facts this way.
        ``while_waiting``: see :data:`WhileWaiting`.
        """
        failed: dict[str, Rejection] = {}
        while True:
            kept = Corpus(
                articles=tuple(a for a in corpus.articles if a.id not in failed),
                rejections=corpus.rejections + tuple(failed.values()),
            )
            try:
                with fewer_collections():
                    return self._analyse(
                        kept,
                        budget,
                        on_stage=on_stage,
                        story_id=story_id,
                        steer=steer,
                        while_waiting=while_waiting,
                    )
            except StageError as error:
                culprits = self._culprits(kept.articles, error, self._probe(budget, error))
                if not culprits:
                    raise
                failed |= culprits

    def run_stories(
        self,
        corpus: Corpus,
        budget: Budget,
        *,
        story: str | None = None,
        min_articles: int = 1,
        digests: bool = True,
        on_stage: StageListener | None = None,
        engine: DaskEngine | None = None,
        while_waiting: WhileWaiting | None = None,
    ) -> StreamDigest:
        """The stories of a mixed stream and a digest of each.

        After ``segment`` and ``dedup`` over the whole input, the ``cluster`` stage puts
        the canonical articles into stories (each republished copy joins its original's
        story); then the stages from ``facts`` on run once per story, over that story's
        articles alone. ``story`` digests only the story of that id (a
        :class:`~storyline.errors.StorylineError` names the ids when there is none);
        ``min_articles`` leaves stories of fewer articles out of the digests, though
        they stay in the index; ``digests=False`` only finds the stories (the index).
        Without a clusterer the whole input is one story.
        A failing article is rejected as in :meth:`run`, the stories found again
        without it. ``engine`` (see :mod:`storyline.pipeline.engines`) runs the parts
        that do not depend on each other elsewhere, with the same results: splitting the
        articles into sentences and digesting each story. ``while_waiting``: see
        :data:`WhileWaiting` (for the whole input as one story).
        """
        failed: dict[str, Rejection] = {}
        while True:
            kept = canonical_order(
                Corpus(
                    articles=tuple(a for a in corpus.articles if a.id not in failed),
                    rejections=corpus.rejections + tuple(failed.values()),
                )
            )
            timings: dict[str, float] = {}
            # the whole input is the one story: its quotes and entities workers start now,
            # beside segment and dedup, rather than after them
            whole = self.clusterer is None and digests and engine is None
            people = (
                _People.start(self, canonical_order(kept).articles, while_waiting=while_waiting)
                if whole and self._use_workers(kept.articles)
                else None
            )
            try:
                with fewer_collections():
                    prepared = self._prepare(kept, _timer(timings, on_stage), engine)
                    chosen = _chosen(prepared.stories, story, min_articles) if digests else ()
                    made = self._story_digests(
                        kept,
                        prepared,
                        chosen,
                        budget=budget,
                        timings=timings,
                        on_stage=on_stage,
                        engine=engine,
                        people=people,
                    )
            except _StoryFailedError as failure:
                failed |= failure.rejections
                continue
            except StageError as error:
                culprits = self._culprits(kept.articles, error, self._prepare_probe(error))
                if not culprits:
                    raise
                failed |= culprits
                continue
            finally:
                if people is not None:
                    people.close()
            names = self.stream_stage_names
            ordered = {name: timings[name] for name in names if name in timings}
            if len(prepared.stories) == len(made) == 1:  # reported as that story's digest
                made = (replace(made[0], timings=ordered),)
            return StreamDigest(
                corpus=kept, stories=prepared.stories, digests=made, timings=ordered
            )

    def run_each(
        self,
        story_ids: Sequence[str],
        load: Callable[[str], Corpus],
        budget: Budget,
        render: Callable[[Digest], _Rendered],
        deliver: Callable[[str, _Rendered], None],
    ) -> None:
        """Digest each story, the articles ``load`` gives for its id, as :meth:`run` does,
        and hand ``render(digest)`` to ``deliver`` (one call at a time, in the order made).

        With several stories and ``workers`` on, the stories are shared between two story
        worker processes (as :meth:`run_stories` shares them), each digesting whole stories
        in the order given (give the largest first) and rendering each digest itself, so
        that only what ``render`` returns (say, the digest's JSON text) comes back, not the
        digest (``render`` must be picklable: a module-level function, or a
        :func:`functools.partial` of one). A story a worker could not digest is digested and
        rendered here afterwards, where its failing articles are found.
        """
        done: set[str] = set()
        if self.workers and len(story_ids) > 1:
            pool = _StoryPool(replace(self, workers=False), budget)
            done = pool.digest_each(story_ids, load, render, deliver)
        for story_id in story_ids:
            if story_id not in done:
                deliver(story_id, render(self.run(load(story_id), budget, story_id=story_id)))

    def _prepare(
        self,
        corpus: Corpus,
        stage: Callable[[str], AbstractContextManager[None]],
        engine: DaskEngine | None = None,
    ) -> _Prepared:
        """Sentences and copies of every article, and the stories of the canonical ones."""
        articles = corpus.articles
        with stage("segment"):
            if engine is None:
                sentences = segment_all(articles, self.segmenter)
            else:
                sentences = engine.segment(self.segmenter, articles)
        with stage("dedup"):
            duplicates = self.deduplicator.deduplicate(articles, sentences)
        copies = {copy: group.canonical for group in duplicates for copy in group.copies}
        canonical = [article for article in articles if article.id not in copies]
        with stage("cluster"):
            if self.clusterer is None:
                found: Sequence[Sequence[str]] = [[article.id for article in canonical]]
            else:
                found = self.clusterer.cluster(canonical).stories
            story_of = {article_id: n for n, ids in enumerate(found) for article_id in ids}
            members: list[list[str]] = [[] for _ in found]
            for article in articles:  # canonical order, copies beside their originals
                members[story_of[copies.get(article.id, article.id)]].append(article.id)
            stories = rank_stories(articles, members)
        return _Prepared(sentences=sentences, duplicates=duplicates, stories=stories)

    def _story_digests(
        self,
        corpus: Corpus,
        prepared: _Prepared,
        chosen: Sequence[StoryOverview],
        *,
        budget: Budget,
        timings: dict[str, float],
        on_stage: StageListener | None,
        engine: DaskEngine | None = None,
        people: _People | None = None,
    ) -> tuple[Digest, ...]:
        """The digests of the ``chosen`` stories, in their order. ``people``: the quotes
        and entities workers already started on the whole input, when it is one story.

        With several stories and at least ``workers_from_chars`` characters, the stories
        are shared between two story worker processes, each running whole stories (the
        largest first, each to the worker that is free); a story a worker fails on is
        digested again here, where its failing articles are found. Otherwise they are
        digested here one after another. An ``engine`` digests them all (a story it
        fails on is digested again here, as above).
        """
        by_id = {article.id: article for article in corpus.articles}
        size = {o.id: sum(len(by_id[i].text) for i in o.article_ids) for o in chosen}
        made: dict[str, Digest] = {}
        pooled = self.workers and len(chosen) > 1 and sum(size.values()) >= self.workers_from_chars
        if (engine is not None and chosen) or pooled:
            if on_stage is not None:
                on_stage("facts")
            largest_first = sorted(chosen, key=lambda overview: (-size[overview.id], overview.id))
            alone = replace(self, workers=False)
            if engine is not None:
                made = engine.digest_stories(alone, budget, largest_first, by_id, prepared)
            else:
                made = _StoryPool(alone, budget).digest(largest_first, by_id, prepared)
        digests = []
        for overview in chosen:
            digest = made.get(overview.id)
            if digest is None:
                digest = self._story_digest(
                    corpus, prepared, overview, budget=budget, on_stage=on_stage, people=people
                )
            for name, seconds in digest.timings.items():
                timings[name] = timings.get(name, 0.0) + seconds
            digests.append(replace(digest, timings={}))
        return tuple(digests)

    def _story_digest(
        self,
        corpus: Corpus,
        prepared: _Prepared,
        overview: StoryOverview,
        *,
        budget: Budget,
        on_stage: StageListener | None,
        people: _People | None = None,
    ) -> Digest:
        """The digest of one story of ``corpus``; the whole corpus when it is the only
        story (so that a one-story stream reports as :meth:`run` does). ``people``: workers
        already started on the whole corpus (used only when it is the story)."""
        members = set(overview.article_ids)
        alone = len(prepared.stories) == 1
        articles = (
            corpus.articles
            if alone
            else tuple(article for article in corpus.articles if article.id in members)
        )
        story_corpus = corpus if alone else Corpus(articles=articles)
        try:
            digest = self._analyse(
                story_corpus,
                budget,
                on_stage=on_stage,
                story_id=overview.id,
                prepared=prepared,
                started=people if alone else None,
            )
        except StageError as error:
            culprits = self._culprits(articles, error, self._probe(budget, error))
            if not culprits:
                raise
            raise _StoryFailedError(culprits) from error
        return digest

    def _probe(
        self, budget: Budget, error: StageError
    ) -> Callable[[Sequence[Article]], StageError | None]:
        """Whether the one-story pipeline fails on a subset of articles, run up to the
        stage that failed with ``error``, not beyond."""
        return _failure_probe(
            lambda corpus, stop: self._analyse(corpus, budget, on_stage=stop, workers=False),
            _stop_after(self.stage_names, error.stage),
        )

    def _prepare_probe(self, error: StageError) -> Callable[[Sequence[Article]], StageError | None]:
        """Whether segmenting, deduplicating and clustering a subset fails (up to the
        stage that failed with ``error``)."""
        return _failure_probe(
            lambda corpus, stop: self._prepare(corpus, _timer({}, stop)),
            _stop_after(self.stream_stage_names, error.stage),
        )

    def _culprits(
        self,
        articles: Sequence[Article],
        error: StageError,
        failure: Callable[[Sequence[Article]], StageError | None],
    ) -> dict[str, Rejection]:
        """``processing-error`` rejections, by article id, of the articles that make it fail.

        ``failure`` probes a subset (see :meth:`_probe`).
        """
        if not articles or isinstance(error.cause, MemoryError) or failure(()) is not None:
            return {}
        return {
            article.id: Rejection(
                item=article.origin,
                reason=RejectionReason.PROCESSING_ERROR,
                detail=f"stage '{cause.stage}': {type(cause.cause).__name__}: {cause.cause}",
            )
            for article, cause in _isolate(articles, error, failure)
        }

    def _analyse(
        self,
        corpus: Corpus,
        budget: Budget,
        *,
        on_stage: StageListener | None,
        workers: bool = True,
        story_id: str = "story-1",
        prepared: _Prepared | None = None,
        steer: Steering | None = None,
        started: _People | None = None,
        while_waiting: WhileWaiting | None = None,
    ) -> Digest:
        """The digest of ``corpus`` as one story. ``started``: quotes and entities workers
        already running on exactly these articles (in canonical order), which the caller
        closes; otherwise workers are started here when ``workers`` and the size ask."""
        timings: dict[str, float] = {}
        stage = _timer(timings, on_stage)
        corpus = canonical_order(corpus)
        articles = corpus.articles
        people = started
        if people is None and workers and self._use_workers(articles):
            people = _People.start(self, articles, while_waiting=while_waiting)
        try:
            return self._stages(
                corpus,
                budget,
                stage=stage,
                timings=timings,
                people=people,
                on_stage=on_stage,
                story_id=story_id,
                prepared=prepared,
                steer=steer,
            )
        finally:
            if people is not None and people is not started:
                people.close()

    def _use_workers(self, articles: Sequence[Article]) -> bool:
        """Whether quotes and entities run in worker processes: only when both stages are
        on and the articles are long enough to repay starting the processes."""
        return (
            self.workers
            and self.quote_extractor is not None
            and self.entity_recognizer is not None
            and sum(len(article.text) for article in articles) >= self.workers_from_chars
        )

    def _stages(
        self,
        corpus: Corpus,
        budget: Budget,
        *,
        stage: Callable[..., AbstractContextManager[None]],
        timings: dict[str, float],
        people: _People | None,
        on_stage: StageListener | None,
        story_id: str,
        prepared: _Prepared | None,
        steer: Steering | None = None,
    ) -> Digest:
        articles = corpus.articles
        sentences: Mapping[str, tuple[Sentence, ...]]
        if prepared is None:
            with stage("segment"):
                sentences = segment_all(articles, self.segmenter)
            with stage("dedup"):
                duplicates = self.deduplicator.deduplicate(articles, sentences)
        else:
            sentences = prepared.sentences
            members = {article.id for article in articles}
            duplicates = tuple(d for d in prepared.duplicates if d.canonical in members)
        copies = {copy for group in duplicates for copy in group.copies}
        canonical = [article for article in articles if article.id not in copies]
        story = Story(
            id=story_id,
            article_ids=tuple(article.id for article in articles),
            sentences=tuple(s for article in canonical for s in sentences[article.id]),
            duplicates=duplicates,
        )
        by_id = {article.id: article for article in canonical}
        with stage("facts"):
            story = replace(story, facts=self.fact_grouper.group(story.sentences, by_id))
        with stage("select"):
            guidance = steer(story, by_id) if steer is not None else None
            summary = self.summarizer.summarize(story, by_id, budget, guidance)
        all_articles = {article.id: article for article in articles}
        summary = _cite_copies(summary, duplicates, sentences, all_articles)
        digest = Digest(corpus=corpus, stories=(story,), summaries=(summary,), timings=timings)
        finder = self.disagreement_finder
        stances: object = None
        early = people is not None and isinstance(finder, TwoPassDisagreementFinder)
        if early:
            # what compare can do without the entities, while the workers find them
            with stage("compare", announce=False):
                stances = cast(TwoPassDisagreementFinder[object], finder).read(story, all_articles)
                if people is not None and people.compares:
                    people.compare(stances)  # the entities worker finishes it
        if self.tagger is not None and self.timeline_builder is not None:
            if people is not None:
                # tagged by the entities worker first thing (it has the most time to spare)
                if on_stage is not None:
                    on_stage("temporal")
                with stage("temporal", announce=False):  # a failure is named, not timed
                    tagged, seconds = people.expressions()
                    expressions = {article.id: _tagged(tagged[article.id]) for article in canonical}
                timings["temporal"] = seconds
            else:
                with stage("temporal"):
                    expressions = {
                        article.id: self.tagger.tag(
                            article.text, article.published, article_id=article.id
                        )
                        for article in canonical
                    }
            with stage("timeline"):
                timeline = self.timeline_builder.build(
                    story, by_id, expressions, self.timeline_budget
                )
                entries = tuple(
                    replace(
                        entry,
                        sentences=_cite_copies(
                            replace(summary, sentences=entry.sentences),
                            duplicates,
                            sentences,
                            all_articles,
                        ).sentences,
                    )
                    for entry in timeline.entries
                )
            digest = replace(digest, timelines=(replace(timeline, entries=entries),))
        coverage: tuple[FactCoverage, ...] = ()
        if early:
            with stage("compare", announce=False):
                coverage = cover_facts(story, all_articles)
        if people is not None:
            digest = replace(digest, coverage=coverage)
            people.waiting(digest)
            quotes, entities = link_speakers(*people.collect(timings, on_stage))
            digest = replace(digest, quotes=quotes, entities=entities)
        if people is None and self.quote_extractor is not None:
            with stage("quotes"):
                digest = replace(digest, quotes=self.quote_extractor.extract(articles))
        if people is None and self.entity_recognizer is not None:
            with stage("entities"):
                entities = self.entity_recognizer.recognize(articles, digest.quotes)
                quotes, entities = link_speakers(digest.quotes, entities)
                digest = replace(digest, quotes=quotes, entities=entities)
        if early and people is not None and people.compares:
            people.waiting(digest)
            if on_stage is not None:
                on_stage("compare")
            digest = replace(digest, disagreements=people.disagreements(timings))
        elif early:
            with stage("compare"):
                found = cast(TwoPassDisagreementFinder[object], finder).resolve(
                    stances, all_articles, digest.entities
                )
                digest = replace(digest, coverage=coverage, disagreements=found)
        elif finder is not None:
            with stage("compare"):
                digest = replace(
                    digest,
                    coverage=cover_facts(story, all_articles),
                    disagreements=finder.find(story, all_articles, digest.entities),
                )
        # the stages in their order, whichever finished first
        ordered = {name: timings[name] for name in self.stage_names if name in timings}
        return replace(digest, timings=ordered)


_Item = TypeVar("_Item")


class _StoryPool:
    """Two story worker processes, each digesting whole stories (see
    :meth:`Pipeline._story_digests`). A thread of the main process drives each worker:
    it takes the next story, sends its articles, sentences and copies, and waits for
    the digest, which comes back without the articles (the main process has them) and
    with its entities packed (see :func:`_packed`). A whole story
    (:meth:`Pipeline.run_each`) comes back rendered instead: the caller's ``render``
    runs in the worker, so that the main process neither unpickles the digest nor
    encodes it (measured on 273 stories of a 3,000-article stream: pickling, unpickling
    and unpacking the digests took 2.8 CPU s, half of it in the main process)."""

    def __init__(self, pipeline: Pipeline, budget: Budget, *, size: int = 2) -> None:
        self.pipeline = pipeline
        self.budget = budget
        self.size = size

    def digest(
        self,
        stories: Sequence[StoryOverview],
        articles: Mapping[str, Article],
        prepared: _Prepared,
    ) -> dict[str, Digest]:
        """The digests of the stories the workers could make, by story id (a story a
        worker failed on, or that a dead worker left, is missing)."""
        made: dict[str, Digest] = {}

        def message(overview: StoryOverview) -> StoryParts | WholeStory:
            return story_parts(overview, articles, prepared)

        def receive(story_id: str, sent: StoryParts | WholeStory, reply: object) -> None:
            made[story_id] = unpack_digest(cast(PackedDigest, reply), sent[0])

        self._drive([(o.id, o) for o in stories], message, receive)
        return made

    def digest_each(
        self,
        story_ids: Sequence[str],
        load: Callable[[str], Corpus],
        render: Callable[[Digest], _Rendered],
        deliver: Callable[[str, _Rendered], None],
    ) -> set[str]:
        """Digest each story (its articles from ``load``) whole in a worker, as
        :meth:`Pipeline.run` does, render it there and hand what ``render`` made to
        ``deliver`` (one call at a time, in the order they are made); the ids of the
        stories delivered."""
        delivered: set[str] = set()
        lock = threading.Lock()

        def message(story_id: str) -> StoryParts | WholeStory:
            corpus = load(story_id)
            return (corpus.articles, None, (), _whole_story(story_id, corpus))

        def receive(story_id: str, sent: StoryParts | WholeStory, reply: object) -> None:
            with lock:
                deliver(story_id, cast(_Rendered, reply))
                delivered.add(story_id)

        self._drive([(i, i) for i in story_ids], message, receive, render)
        return delivered

    def _drive(
        self,
        items: Sequence[tuple[str, _Item]],
        message: Callable[[_Item], StoryParts | WholeStory],
        receive: Callable[[str, StoryParts | WholeStory, object], None],
        render: Callable[[Digest], object] | None = None,
    ) -> None:
        """Send each item's ``message`` (made under a lock) to the next free worker and
        hand the worker's reply (a packed digest, or what ``render`` made of a whole
        story's digest) with the message sent to ``receive``, from the first item to the
        last."""
        pending = list(reversed(items))  # popped from the end: the first first
        lock = threading.Lock()

        def drive(worker: Worker) -> None:
            while True:
                with lock:
                    if not pending:
                        return
                    key, item = pending.pop()
                    sent = message(item)
                worker.send(sent)
                try:
                    reply = worker.receive()
                except WorkerError:
                    return  # the worker died: the other one and the main process go on
                if reply is not None:
                    receive(key, sent, reply)

        workers: list[Worker] = []
        try:
            for _ in range(min(self.size, len(items))):
                workers.append(
                    Worker(_story_worker, self.pipeline, self.budget, render, stage="facts")
                )
            threads = [threading.Thread(target=drive, args=(worker,)) for worker in workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            for worker in workers:
                worker.stop_input()
                worker.close()


def _whole_story(story_id: str, corpus: Corpus) -> StoryOverview:
    """A stand-in overview that tells :func:`_story_worker` to digest the story whole."""
    return StoryOverview(
        id=story_id,
        headline="",
        first=None,
        last=None,
        article_ids=tuple(article.id for article in corpus.articles),
        sources=(),
    )


def _story_worker(
    channel: Channel,
    pipeline: Pipeline,
    budget: Budget,
    render: Callable[[Digest], object] | None = None,
) -> None:
    """Digests each story it is sent until its input ends; replies None for a story a
    stage fails on (the main process digests it again to find the failing articles).
    A whole story's digest goes back as ``render`` made it (see :meth:`Pipeline.run_each`)."""
    while True:
        try:
            parts = cast(StoryParts | WholeStory, channel.recv())
        except EOFError:
            return
        if parts[1] is None:  # a whole story (_StoryPool.digest_each)
            members, _, _, overview = parts
            try:
                digest = pipeline.run(Corpus(articles=members), budget, story_id=overview.id)
            except StageError:
                channel.send(None)
                continue
            # its corpus as run() made it (its order, its rejections)
            channel.send(pack_digest(digest, articles=True) if render is None else render(digest))
        else:
            channel.send(digest_one_story(pipeline, budget, parts))


StoryParts = tuple[
    tuple[Article, ...], dict[str, tuple[Sentence, ...]], tuple[DuplicateGroup, ...], StoryOverview
]
"""What a worker needs to digest one story: its articles, their sentences, its copies' groups
and its overview (see :func:`story_parts`)."""

WholeStory = tuple[tuple[Article, ...], None, tuple[()], StoryOverview]
"""A story a worker digests whole, as :meth:`Pipeline.run` does (see :func:`_whole_story`)."""

PackedDigest = tuple[Digest, tuple["_PackedEntity", ...]]
"""A story's digest as a worker sends it back: without its articles (the caller has them)
and with its entities packed (see :func:`_packed`); :func:`unpack_digest` restores it."""


def digest_one_story(pipeline: Pipeline, budget: Budget, parts: StoryParts) -> PackedDigest | None:
    """The digest of one story, made where it is sent (a story worker or a Dask task),
    or None when a stage fails on it (the caller digests it again to find the articles
    that make it fail)."""
    members, sentences, duplicates, overview = parts
    prepared = _Prepared(sentences=sentences, duplicates=duplicates, stories=(overview,))
    try:
        digest = pipeline._analyse(  # the pipeline's own worker
            Corpus(articles=members),
            budget,
            on_stage=None,
            workers=False,
            story_id=overview.id,
            prepared=prepared,
        )
    except StageError:
        return None
    return pack_digest(digest)


def pack_digest(digest: Digest, *, articles: bool = False) -> PackedDigest:
    """``digest`` to send back from a worker: its entities packed, its corpus left out
    unless ``articles`` (the caller has the articles it sent)."""
    corpus = digest.corpus if articles else Corpus(articles=())
    return replace(digest, corpus=corpus, entities=()), _packed(digest.entities)


def unpack_digest(reply: PackedDigest, members: tuple[Article, ...] | None = None) -> Digest:
    """The digest that :func:`pack_digest` packed, with its entities, and with ``members``
    as its articles when they were left out."""
    digest, packed = reply
    if members is not None:
        digest = replace(digest, corpus=Corpus(articles=members))
    return replace(digest, entities=_unpacked(packed))


def story_parts(
    overview: StoryOverview, articles: Mapping[str, Article], prepared: _Prepared
) -> StoryParts:
    """The parts of the story of ``overview`` that a worker needs."""
    kept = set(overview.article_ids)
    return (
        tuple(articles[i] for i in overview.article_ids),
        {i: prepared.sentences[i] for i in overview.article_ids},
        tuple(d for d in prepared.duplicates if d.canonical in kept),
        overview,
    )


class _People:
    """The quotes and entities stages, run in two worker processes beside the core stages.

    One worker finds the quotes while the other tags the time expressions of every article
    (when the timeline is on) and then reads the name candidates (the larger part of the
    entities stage, which needs no quotes). The quotes worker has the most to do; the
    entities worker would otherwise wait for the quotes with nothing to do, and the main
    process, which needs the expressions soonest, has the core stages. A thread of the main process
    passes the quotes on to the entities worker as soon as they come (still pickled),
    which then resolves the entities. With a two-pass disagreement finder, the main
    process sends the entities worker the finder's first pass (made beside the workers),
    and the worker, having sent the entities, finds the disagreements while the main
    process unpacks them: the two were one after the other on the run's last stretch
    (all 4,624 Timeline17 articles as one story: 420,000 mentions, about 1.5-2.5 s to
    send and unpack, then 3-3.5 s to resolve the disagreements). Each stage's time is the
    time it took in its worker (overlapping the core stages' times).
    """

    def __init__(
        self,
        quotes: Worker,
        entities: Worker,
        *,
        tagged: bool,
        compares: bool,
        while_waiting: WhileWaiting | None = None,
    ) -> None:
        self.quotes = quotes
        self.entities = entities
        self.while_waiting = while_waiting
        self.compares = compares  # the entities worker also finds the disagreements
        self._input = threading.Lock()  # the entities worker's input, written by two threads
        self._sender: threading.Thread | None = None  # sends the disagreements' first pass
        self._quotes: object = None  # the quotes worker's message, once the relay has it
        self._failure: WorkerError | None = None
        self._relay = threading.Thread(target=self._pass_quotes_on, daemon=True)
        self._relay.start()
        # the entities worker's time expressions, taken as soon as they come (the worker
        # would otherwise wait on the pipe until the core stages ask for them)
        self._expressions_frame: bytes | WorkerError | None = None
        self._taker: threading.Thread | None = None
        if tagged:
            self._taker = threading.Thread(target=self._take_expressions, daemon=True)
            self._taker.start()

    @classmethod
    def start(
        cls,
        pipeline: Pipeline,
        articles: Sequence[Article],
        *,
        while_waiting: WhileWaiting | None = None,
    ) -> _People:
        tagger = pipeline.tagger if pipeline.timeline_builder is not None else None
        finder = pipeline.disagreement_finder
        compares = finder if isinstance(finder, TwoPassDisagreementFinder) else None
        quotes = Worker(_quote_worker, pipeline.quote_extractor, articles, stage="quotes")
        try:
            entities = Worker(
                _entity_worker,
                pipeline.entity_recognizer,
                tagger,
                compares,
                articles,
                stage="entities",
            )
        except BaseException:
            quotes.close()
            raise
        return cls(
            quotes,
            entities,
            tagged=tagger is not None,
            compares=compares is not None,
            while_waiting=while_waiting,
        )

    def waiting(self, digest: Digest) -> None:
        """Hand ``digest``, as far as it is made, to the caller's ``while_waiting``."""
        if self.while_waiting is not None:
            self.while_waiting(digest)

    def compare(self, stances: object) -> None:
        """Hand the disagreement finder's reading of the story (its first pass, made here)
        to the entities worker, which finds the disagreements once it has the entities.

        Sent by a thread: the worker may be sending the entities at that moment (it
        reads its input only when it waits for it), and a main thread blocked on a full
        pipe to the worker would never read them."""
        assert self.compares, "the workers were started without a two-pass finder"
        assert self._sender is None, "the reading is sent once"
        frame = pickle.dumps(("stances", stances), protocol=pickle.HIGHEST_PROTOCOL)
        self._sender = threading.Thread(target=self._send_input, args=(frame,), daemon=True)
        self._sender.start()

    def _send_input(self, frame: bytes) -> None:
        with self._input:  # the relay thread writes to the same pipe
            self.entities.send_frame(frame)

    def _take_expressions(self) -> None:
        try:
            self._expressions_frame = self.entities.receive_frame()
        except WorkerError as error:
            self._expressions_frame = error

    def _pass_quotes_on(self) -> None:
        try:
            frame = self.quotes.receive_frame()
        except WorkerError as error:
            self._failure = error
            self.entities.stop_input()  # the entities worker, waiting for quotes, ends
            return
        # Passed on before it is read here: the entities worker, on the longest chain,
        # waits for it, and reading 60,000 quotes takes this process about half a second.
        # Had the quotes worker failed, the entities worker fails on the message too, but
        # collect() reports the quotes' failure first.
        with self._input:
            self.entities.send_frame(frame)
        try:
            self._quotes = self.quotes.unpickle(frame)  # raises what the worker reported
        except WorkerError as error:
            self._failure = error

    def expressions(self) -> tuple[dict[str, tuple[TimeExpression, ...] | Exception], float]:
        """The time expressions of every article, and the seconds taken (the entities
        worker's first message)."""
        assert self._taker is not None, "the workers were started without a tagger"
        self._taker.join()
        try:
            if isinstance(self._expressions_frame, WorkerError):
                raise self._expressions_frame
            assert self._expressions_frame is not None
            return cast(
                tuple[dict[str, tuple[TimeExpression, ...] | Exception], float],
                self.entities.unpickle(self._expressions_frame),
            )
        except WorkerError as error:
            raise StageError(error.stage, error.error) from error.error

    def collect(
        self, timings: dict[str, float], on_stage: StageListener | None
    ) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
        """The quotes and the entities, with their stage times added to ``timings``."""
        try:
            if on_stage is not None:
                on_stage("quotes")
            self._relay.join()
            if self._failure is not None:
                raise self._failure
            quotes, timings["quotes"] = cast(tuple[tuple[Quote, ...], float], self._quotes)
            if on_stage is not None:
                on_stage("entities")
            packed, timings["entities"] = cast(
                tuple[tuple[_PackedEntity, ...], float], self.entities.receive()
            )
            entities = _unpacked(packed)
        except WorkerError as error:
            raise StageError(error.stage, error.error) from error.error
        return quotes, entities

    def disagreements(self, timings: dict[str, float]) -> tuple[Disagreement, ...]:
        """The disagreements the entities worker found (after :meth:`compare`), with the
        time it took added to the ``compare`` stage's."""
        try:
            found, seconds = cast(tuple[tuple[Disagreement, ...], float], self.entities.receive())
        except WorkerError as error:
            raise StageError(error.stage, error.error) from error.error
        timings["compare"] = timings.get("compare", 0.0) + seconds
        return found

    def close(self) -> None:
        self.quotes.close()
        self.entities.close()
        self._relay.join()
        if self._taker is not None:
            self._taker.join()
        if self._sender is not None:
            self._sender.join()


def _tagged(expressions: tuple[TimeExpression, ...] | Exception) -> tuple[TimeExpression, ...]:
    """An article's expressions as the worker tagged them; its error, raised, if it failed."""
    if isinstance(expressions, Exception):
        raise expressions
    return expressions


def _quote_worker(channel: Channel, extractor: QuoteExtractor, articles: Sequence[Article]) -> None:
    """Finds the quotes."""
    started = time.perf_counter()
    quotes = extractor.extract(articles)
    channel.send((quotes, time.perf_counter() - started))


def _entity_worker(
    channel: Channel,
    recognizer: EntityRecognizer,
    tagger: TimeTagger | None,
    finder: TwoPassDisagreementFinder[object] | None,
    articles: Sequence[Article],
) -> None:
    """Tags the time expressions of every article (when the timeline is on: the core
    stages need them soonest), reads the name candidates, waits for the quotes, then
    resolves the entities; with a ``finder``, then finds the disagreements from the
    reading of the story that the main process sends (see :class:`_EntityInput`)."""
    if tagger is not None:
        channel.stage = "temporal"
        started = time.perf_counter()
        expressions: dict[str, tuple[TimeExpression, ...] | Exception] = {}
        for article in articles:
            # an article that fails counts only if it is canonical, which the worker cannot
            # know: its error goes back in its place
            try:
                expressions[article.id] = tagger.tag(
                    article.text, article.published, article_id=article.id
                )
            except Exception as error:
                expressions[article.id] = portable(error)
        channel.send((expressions, time.perf_counter() - started))
        channel.stage = "entities"
    messages = _EntityInput(channel, expect_stances=finder is not None)
    if not reads_first(recognizer):
        quotes = messages.quotes()
        started = time.perf_counter()
        entities = recognizer.recognize(articles, quotes)
        seconds = time.perf_counter() - started
    else:
        started = time.perf_counter()
        read = recognizer.read(articles)
        seconds = time.perf_counter() - started
        quotes = messages.quotes()
        started = time.perf_counter()
        entities = recognizer.resolve(read, articles, quotes)
        seconds += time.perf_counter() - started
    # sent before the disagreements are found: the main process unpacks them meanwhile
    channel.send((_packed(entities), seconds))
    if finder is None:
        return
    channel.stage = "compare"
    stances = messages.stances()
    started = time.perf_counter()
    found = finder.resolve(stances, {article.id: article for article in articles}, entities)
    channel.send((found, time.perf_counter() - started))


class _EntityInput:
    """The entities worker's input: the quotes (passed on by the main process's relay
    thread, as the quotes worker pickled them: a tuple of the quotes and their seconds)
    and, when expected, the disagreement finder's reading of the story (``("stances",
    reading)``, sent by the main process's own thread). The two come in either order."""

    def __init__(self, channel: Channel, *, expect_stances: bool) -> None:
        self._channel = channel
        self._expect_stances = expect_stances
        self._quotes: tuple[Quote, ...] | None = None
        self._stances: object = None
        self._have_stances = False

    def _next(self) -> None:
        message = self._channel.recv()
        if isinstance(message, tuple) and len(message) == 2 and message[0] == "stances":
            if not self._expect_stances or self._have_stances:
                raise RuntimeError("the entities worker got a reading it did not expect")
            self._stances, self._have_stances = message[1], True
        else:
            self._quotes = cast(tuple[tuple[Quote, ...], float], message)[0]

    def quotes(self) -> tuple[Quote, ...]:
        while self._quotes is None:
            self._next()
        return self._quotes

    def stances(self) -> object:
        while not self._have_stances:
            self._next()
        return self._stances


# An entity as plain values, its mentions as columns (article ids, starts, ends, texts).
_PackedEntity = tuple[
    str,
    str,
    EntityKind,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[Quote, ...],
    tuple[str, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[str, ...],
]


def _packed(entities: Sequence[Entity]) -> tuple[_PackedEntity, ...]:
    """Entities as tuples of plain values, for the pipe: pickled in a third of the time
    that the records take (131,000 mentions: 0.75 s -> 0.28 s), rebuilt as fast."""
    return tuple(
        (
            entity.id,
            entity.name,
            entity.kind,
            entity.aliases,
            entity.article_ids,
            entity.sources,
            entity.quotes,
            tuple(mention.article_id for mention in entity.mentions),
            tuple(mention.start for mention in entity.mentions),
            tuple(mention.end for mention in entity.mentions),
            tuple(mention.text for mention in entity.mentions),
        )
        for entity in entities
    )


def _unpacked(packed: Sequence[_PackedEntity]) -> tuple[Entity, ...]:
    entities = []
    for id_, name, kind, aliases, article_ids, sources, quotes, *columns in packed:
        mentions = tuple(
            Mention(article_id=article_id, start=start, end=end, text=text)
            for article_id, start, end, text in zip(*columns, strict=True)
        )
        entities.append(
            Entity(
                id=id_,
                name=name,
                kind=kind,
                aliases=aliases,
                mentions=mentions,
                article_ids=article_ids,
                sources=sources,
                quotes=quotes,
            )
        )
    return tuple(entities)


class _StopProbeError(Exception):
    """A probe got past the stage it tests (raised by the stage listener, before a stage)."""


class _StoryFailedError(Exception):
    """Articles of one story made a stage fail: they are rejected and the stories found
    again without them."""

    def __init__(self, rejections: dict[str, Rejection]) -> None:
        super().__init__(f"{len(rejections)} articles failed")
        self.rejections = rejections


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prepared:
    """What :meth:`Pipeline.run_stories` computes once for the whole stream."""

    sentences: Mapping[str, tuple[Sentence, ...]]
    duplicates: tuple[DuplicateGroup, ...]
    stories: tuple[StoryOverview, ...]


def _timer(
    timings: dict[str, float], on_stage: StageListener | None
) -> Callable[..., AbstractContextManager[None]]:
    """A context manager factory that announces a stage, adds its time to ``timings``, and
    re-raises an error inside it as :class:`StageError` naming the stage."""

    @contextmanager
    def stage(name: str, *, announce: bool = True) -> Iterator[None]:
        if on_stage is not None and announce:
            on_stage(name)
        started = time.perf_counter()
        try:
            yield
        except StorylineError:
            raise
        except Exception as error:
            raise StageError(name, error) from error
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started

    return stage


def _failure_probe(
    run: Callable[[Corpus, StageListener], object], stop: StageListener
) -> Callable[[Sequence[Article]], StageError | None]:
    """A probe: the :class:`StageError` that ``run`` raises on a subset of articles, or
    None when it passes or gets past the stage under test (``stop`` raises then)."""

    def failure(subset: Sequence[Article]) -> StageError | None:
        try:
            run(Corpus(articles=tuple(subset)), stop)
        except StageError as raised:
            return raised
        except _StopProbeError:
            return None
        return None

    return failure


def _stop_after(order: Sequence[str], failed: str) -> StageListener:
    """A stage listener that stops a probe before any stage after ``failed``."""
    last = order.index(failed) if failed in order else len(order)

    def stop(name: str) -> None:
        if name in order and order.index(name) > last:
            raise _StopProbeError

    return stop


def _chosen(
    stories: Sequence[StoryOverview], story: str | None, min_articles: int
) -> tuple[StoryOverview, ...]:
    """The stories to digest: the one named ``story``, else those of ``min_articles`` or more."""
    if story is None:
        return tuple(s for s in stories if len(s.article_ids) >= min_articles)
    for overview in stories:
        if overview.id == story:
            return (overview,)
    known = ", ".join(overview.id for overview in stories) or "none"
    raise StorylineError(f"no story '{story}' among the stories found ({known})")


def _isolate(
    articles: Sequence[Article],
    error: StageError,
    failure: Callable[[Sequence[Article]], StageError | None],
) -> list[tuple[Article, StageError]]:
    """The articles of ``articles`` (which fail with ``error``) that make ``failure`` fail.

    Halves that fail alone are searched in turn, so k bad articles among n cost
    O(k log n) reruns on ever smaller inputs. When neither half fails alone, the
    culprit is the article whose addition makes a passing prefix fail, found by
    binary search on the prefix length.
    """
    if len(articles) == 1:
        return [(articles[0], error)]
    half = len(articles) // 2
    found: list[tuple[Article, StageError]] = []
    for part in (articles[:half], articles[half:]):
        part_error = failure(part)
        if part_error is not None:
            found += _isolate(part, part_error, failure)
    if found:
        return found
    passing, failing, failing_error = half, len(articles), error
    while failing - passing > 1:
        middle = (passing + failing) // 2
        middle_error = failure(articles[:middle])
        if middle_error is None:
            passing = middle
        else:
            failing, failing_error = middle, middle_error
    return [(articles[failing - 1], failing_error)]


def canonical_order(corpus: Corpus) -> Corpus:
    """``corpus`` with its articles and rejections in an order that ignores input order.

    Articles go by publication date (undated last), then id, then a SHA-256 of all their
    fields; rejections by item (numbers in it compared as numbers), reason and detail.
    Every stage sees this sequence, so the digest does not depend on the order of the
    paths given, of the files in a directory or of the records in a file.
    """
    by_date_and_id = sorted(corpus.articles, key=date_and_id)
    articles: list[Article] = []
    for _, tied in itertools.groupby(by_date_and_id, key=date_and_id):
        group = list(tied)
        # Hashing every text takes half a second on the 31 MB of Timeline17; only articles
        # that share a date and an id need it.
        articles += sorted(group, key=_content_hash) if len(group) > 1 else group
    rejections = sorted(
        corpus.rejections,
        key=lambda r: (_natural(r.item), r.reason.value, r.detail),
    )
    return replace(corpus, articles=tuple(articles), rejections=tuple(rejections))


def _content_hash(article: Article) -> str:
    fields = (article.text, article.source, article.origin, article.title, article.url)
    return hashlib.sha256(
        json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ).hexdigest()


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key reading the digits of ``text`` as numbers (``f.jsonl:9`` before ``:10``)."""
    return tuple(
        (int(part), "") if part.isascii() and part.isdigit() else (-1, part)
        for part in re.split(r"([0-9]+)", text)
        if part
    )


def _cite_copies(
    summary: Summary,
    duplicates: Sequence[DuplicateGroup],
    sentences: Mapping[str, Sequence[Sentence]],
    articles: Mapping[str, Article],
) -> Summary:
    """Add, to each citation of a canonical article, the copies carrying the same sentence."""
    if not duplicates:
        return summary
    copies_of = {group.canonical: group.copies for group in duplicates}
    wording: dict[tuple[str, str], Sentence] = {}
    for group in duplicates:
        for copy in group.copies:
            for sentence in sentences[copy]:
                wording.setdefault((copy, sentence.text(articles[copy])), sentence)
    cited = []
    for item in summary.sentences:
        citations = list(item.citations)
        for citation in item.citations:
            text = articles[citation.article_id].text[citation.start : citation.end]
            for copy in copies_of.get(citation.article_id, ()):
                match = wording.get((copy, text))
                if match is not None:
                    citations.append(match.citation())
        cited.append(replace(item, citations=tuple(dict.fromkeys(citations))))
    return replace(summary, sentences=tuple(cited))
