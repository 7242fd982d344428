"""Pipeline workers: quotes and entities in worker processes give the same digest as one process.

The workers are real interpreters (``python -m storyline.pipeline._worker``); stages defined
here are imported there by module path, so the repository root goes on ``PYTHONPATH``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from storyline.config import Config
from storyline.digest.compare import CueDisagreementFinder, StanceReadings
from storyline.digest.entities import NameCandidates, RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.errors import StageError
from storyline.ingest.files import FileIngestor
from storyline.model import (
    Article,
    Budget,
    Corpus,
    Digest,
    Disagreement,
    Entity,
    Quote,
    RejectionReason,
    Story,
    TimeExpression,
)
from storyline.pipeline import Pipeline
from storyline.registry import build_pipeline
from storyline.report.markdown import to_json
from storyline.text.temporal import RuleTimeTagger
from tests.builders import make_article

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "harbor-bridge" / "txt"
BUDGET = Budget(unit="words", limit=120)


@pytest.fixture(autouse=True)
def _importable_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers import this module's stages by name: put the repository on their path."""
    paths = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))


def _pipeline(*, workers: bool, **stages: object) -> Pipeline:
    pipeline = dataclasses.replace(build_pipeline(Config()), workers=workers, workers_from_chars=0)
    return dataclasses.replace(pipeline, **stages)  # type: ignore[arg-type]


def _in_worker() -> bool:
    main = sys.modules["__main__"]
    return getattr(getattr(main, "__spec__", None), "name", "") == "storyline.pipeline._worker"


class PoisonedQuoteExtractor:
    """Raises when an article holds ``POISON``; otherwise the rule extractor."""

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        for article in articles:
            if "POISON" in article.text:
                raise ValueError(f"cannot read {article.id}")
        return RuleQuoteExtractor().extract(articles)


class DyingQuoteExtractor:
    """Kills its own process when it runs in a worker (as the kernel's OOM killer would)."""

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        if _in_worker():
            os.kill(os.getpid(), signal.SIGKILL)
        return RuleQuoteExtractor().extract(articles)


class PoisonedTimeTagger(RuleTimeTagger):
    """Raises on a text that holds ``POISON``; otherwise the rule tagger."""

    def tag(
        self, text: str, published: dt.date | None, *, article_id: str = ""
    ) -> tuple[TimeExpression, ...]:
        if "POISON" in text:
            raise ValueError(f"cannot date {article_id}")
        return super().tag(text, published, article_id=article_id)


class CheckedFinder(CueDisagreementFinder):
    """The cue finder, whose second pass first hands its reading to :meth:`checked`."""

    def checked(self, read: StanceReadings, articles: Mapping[str, Article]) -> StanceReadings:
        return read

    def resolve(
        self,
        read: StanceReadings,
        articles: Mapping[str, Article],
        entities: Sequence[Entity] = (),
    ) -> tuple[Disagreement, ...]:
        return super().resolve(self.checked(read, articles), articles, entities)


class WorkerOnlyFinder(CheckedFinder):
    """The cue finder, whose second pass fails unless it runs in a worker."""

    def checked(self, read: StanceReadings, articles: Mapping[str, Article]) -> StanceReadings:
        if not _in_worker():
            raise AssertionError("the disagreements were resolved in the main process")
        return read


class PoisonedFinder(CheckedFinder):
    """The cue finder, whose second pass raises when an article holds ``POISON``."""

    def checked(self, read: StanceReadings, articles: Mapping[str, Article]) -> StanceReadings:
        for article in articles.values():
            if "POISON" in article.text:
                raise ValueError(f"cannot compare {article.id}")
        return read


class LateFinder(CheckedFinder):
    """The cue finder, whose first pass ends late (after the entities worker has its
    entities) and is large (more than a pipe holds)."""

    def read(self, story: Story, articles: Mapping[str, Article]) -> StanceReadings:
        found = super().read(story, articles)
        if not _in_worker():
            time.sleep(12)  # the entities worker, meanwhile, sends its entities
        padding = ("a first pass larger than a pipe holds " * 5_000,)
        return dataclasses.replace(found, readings=(*found.readings, *padding))  # type: ignore[arg-type]

    def checked(self, read: StanceReadings, articles: Mapping[str, Article]) -> StanceReadings:
        kept = tuple(reading for reading in read.readings if not isinstance(reading, str))
        return dataclasses.replace(read, readings=kept)


class CrowdedRecognizer(RuleEntityRecognizer):
    """The rule recognizer with one more entity of many aliases (more than a pipe holds)."""

    def resolve(
        self, read: NameCandidates, articles: Sequence[Article], quotes: Sequence[Quote] = ()
    ) -> tuple[Entity, ...]:
        found = super().resolve(read, articles, quotes)
        crowd = Entity(
            id="crowd",
            name="Crowd",
            kind="person",
            aliases=tuple(f"Alias Number {n}" for n in range(20_000)),
            mentions=(),
            article_ids=(),
        )
        return (*found, crowd)


def _example() -> Corpus:
    return FileIngestor().ingest([EXAMPLE])


def test_workers_give_the_same_digest_as_one_process() -> None:
    corpus = _example()
    alone = _pipeline(workers=False).run(corpus, BUDGET)
    beside = _pipeline(workers=True).run(corpus, BUDGET)
    assert set(beside.timings) == set(alone.timings), "every stage is timed in both"
    assert list(beside.timings) == list(alone.timings), "in the order of the stages"
    assert beside.quotes
    assert beside.entities
    assert beside.timelines[0].entries
    assert beside.disagreements
    assert to_json(beside, timings=False) == to_json(alone, timings=False)


def test_the_entities_worker_finds_the_disagreements() -> None:
    corpus = _example()
    alone = _pipeline(workers=False).run(corpus, BUDGET)
    beside = _pipeline(workers=True, disagreement_finder=WorkerOnlyFinder()).run(corpus, BUDGET)
    assert beside.disagreements == alone.disagreements
    assert beside.timings["compare"] > 0


def test_a_late_first_pass_meets_the_entities_on_their_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The entities worker sends its entities (more than a pipe holds) before the main
    process sends it the disagreements' first pass (the same): neither may wait for the
    other."""
    corpus = _example()
    pipeline = _pipeline(
        workers=True, disagreement_finder=LateFinder(), entity_recognizer=CrowdedRecognizer()
    )
    made: list[Digest] = []
    runner = threading.Thread(target=lambda: made.append(pipeline.run(corpus, BUDGET)))
    runner.daemon = True
    runner.start()
    runner.join(timeout=240)
    assert not runner.is_alive(), "the main process and the entities worker wait for each other"
    (digest,) = made
    assert digest.entities[-1].id == "crowd"
    assert digest.disagreements


def test_a_failing_article_in_the_workers_compare_stage_is_rejected() -> None:
    digest, poisoned, _ = _poisoned(2, disagreement_finder=PoisonedFinder())
    (rejection,) = digest.corpus.rejections
    assert rejection.detail == f"stage 'compare': ValueError: cannot compare {poisoned.id}"
    assert digest.quotes
    assert digest.entities


def _poisoned(index: int, **stages: object) -> tuple[Digest, Article, int]:
    """The example's digest with article ``index`` poisoned, the article, the article count."""
    articles = list(_example().articles)
    poisoned = dataclasses.replace(articles[index], text=articles[index].text + " POISON.")
    articles[index] = poisoned
    digest = _pipeline(workers=True, **stages).run(Corpus(articles=tuple(articles)), BUDGET)
    return digest, poisoned, len(articles)


def test_a_failing_article_in_a_worker_is_rejected_and_the_run_goes_on() -> None:
    digest, poisoned, count = _poisoned(3, quote_extractor=PoisonedQuoteExtractor())
    (rejection,) = digest.corpus.rejections
    assert rejection.item == poisoned.origin
    assert rejection.reason is RejectionReason.PROCESSING_ERROR
    assert rejection.detail == f"stage 'quotes': ValueError: cannot read {poisoned.id}"
    assert len(digest.corpus.articles) == count - 1
    assert digest.quotes
    assert digest.entities


def test_a_failing_article_in_the_workers_temporal_stage_is_rejected() -> None:
    digest, poisoned, _ = _poisoned(5, tagger=PoisonedTimeTagger())
    (rejection,) = digest.corpus.rejections
    assert rejection.detail == f"stage 'temporal': ValueError: cannot date {poisoned.id}"
    assert digest.timelines[0].entries


def test_a_worker_that_dies_is_a_stage_error_naming_its_exit() -> None:
    corpus = Corpus(
        articles=tuple(
            make_article(f'"We will reopen bridge {n}," Mayor Ada Hollis said.', id=f"a{n}")
            for n in range(3)
        )
    )
    with pytest.raises(StageError) as raised:
        _pipeline(workers=True, quote_extractor=DyingQuoteExtractor()).run(corpus, BUDGET)
    assert raised.value.stage == "quotes"
    assert f"exited with code {-signal.SIGKILL}" in str(raised.value)


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """Workers are fresh interpreters: the caller's script is not imported again."""
    script = tmp_path / "digest_example.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import dataclasses
            from storyline.config import Config
            from storyline.ingest.files import FileIngestor
            from storyline.model import Budget
            from storyline.registry import build_pipeline

            print("script starts")
            pipeline = dataclasses.replace(build_pipeline(Config()), workers_from_chars=0)
            corpus = FileIngestor().ingest([{str(EXAMPLE)!r}])
            digest = pipeline.run(corpus, Budget(unit="words", limit=80))
            print("entities", len(digest.entities) > 0)
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["script starts", "entities True"]


def test_small_inputs_stay_in_one_process() -> None:
    pipeline = build_pipeline(Config())
    assert pipeline.workers
    assert not pipeline._use_workers(_example().articles)
    assert pipeline._use_workers(
        [make_article("word " * (pipeline.workers_from_chars // 5 + 1), id="long")]
    )


def test_while_waiting_sees_the_lists_the_digest_ends_with() -> None:
    corpus = _example()
    seen: list[Digest] = []
    digest = _pipeline(workers=True).run(corpus, BUDGET, while_waiting=seen.append)
    first, second = seen
    assert first.coverage is digest.coverage
    assert digest.coverage
    assert not first.quotes
    assert not first.entities
    assert second.quotes is digest.quotes
    assert second.entities is digest.entities
    assert second.coverage is digest.coverage
    assert not second.disagreements
    assert digest.disagreements
    alone: list[Digest] = []
    _pipeline(workers=False).run(corpus, BUDGET, while_waiting=alone.append)
    assert alone == [], "called only beside the workers"
