"""The Dask engine (``--engine dask``): the same stories and the same digest bytes as the
local engine, through the real CLI and a 2-worker LocalCluster; a worker killed mid-run
is survived through the scheduler's retries, and a story that keeps killing workers
ends the run with one line naming it, before anything is written."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from storyline.config import load_config
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, Digest
from storyline.pipeline import Pipeline
from storyline.pipeline.engines import EngineError, engine_from
from storyline.registry import build_pipeline
from storyline.report.markdown import digest_to_dict, to_json
from storyline.store import Store
from tests.dask_faults import DyingFactGrouper, DyingIngestor

pytest.importorskip("distributed", reason="Dask distributed is not installed (extra 'dask')")

REPO = Path(__file__).resolve().parents[2]
STREAM = [str(REPO / "examples" / "stream" / name) for name in ("feeds", "pages", "crawl")]


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *arguments, "--quiet"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("form", ["json", "markdown", "html"])
def test_the_example_stream_digests_to_the_same_bytes_on_dask(tmp_path: Path, form: str) -> None:
    outputs = []
    for engine in (["--engine", "local"], ["--engine", "dask", "--workers", "2"]):
        out = tmp_path / f"{engine[1]}.{form}"
        done = _cli("digest", *STREAM, "--format", form, "--no-timings", *engine, "-o", str(out))
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    local, dask = outputs
    assert b"story-2" in local, "the stream holds several stories"
    assert dask == local


def test_ingest_on_dask_stores_the_same_stories(tmp_path: Path) -> None:
    listings = []
    for engine in (["--engine", "local"], ["--engine", "dask", "--workers", "2"]):
        store = tmp_path / f"{engine[1]}.db"
        done = _cli("ingest", *STREAM, "--store", str(store), "--format", "json", *engine)
        assert done.returncode == 0, done.stderr
        listed = _cli("stories", "--store", str(store), "--format", "json")
        assert listed.returncode == 0, listed.stderr
        listings.append(listed.stdout)
    assert listings[0] == listings[1]


def test_engine_options_are_checked() -> None:
    done = _cli("digest", *STREAM, "--workers", "2")
    assert done.returncode == 2
    assert "--scheduler and --workers need --engine dask" in done.stderr
    unreachable = _cli("digest", *STREAM, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert unreachable.returncode != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def _dying_pipeline(marker: Path, *, always: bool) -> Pipeline:
    pipeline = build_pipeline(load_config(None))
    # the first article of the largest story
    grouper = DyingFactGrouper(
        pipeline.fact_grouper, trigger=_a_story_member(pipeline), marker=marker, always=always
    )
    return dataclasses.replace(pipeline, fact_grouper=grouper)


def _a_story_member(pipeline: Pipeline) -> str:
    corpus = FileIngestor(config=load_config(None).ingest).ingest(STREAM)
    stream = pipeline.run_stories(corpus, Budget(unit="words", limit=1), digests=False)
    return str(stream.stories[0].article_ids[0])


def test_a_worker_killed_mid_run_is_survived_with_the_same_digests(tmp_path: Path) -> None:
    config = load_config(None)
    corpus = FileIngestor(config=config.ingest).ingest(STREAM)
    budget = Budget(unit="words", limit=100)
    marker = tmp_path / "killed-once"
    pipeline = _dying_pipeline(marker, always=False)
    with engine_from("dask", workers=2) as engine:
        remote = pipeline.run_stories(corpus, budget, engine=engine)
    assert marker.exists(), "a worker was killed during the run"
    local = pipeline.run_stories(corpus, budget)
    assert to_json(remote, timings=False) == to_json(local, timings=False)


def test_a_story_that_keeps_killing_workers_ends_the_run_in_one_line(tmp_path: Path) -> None:
    config = load_config(None)
    corpus = FileIngestor(config=config.ingest).ingest(STREAM)
    pipeline = _dying_pipeline(tmp_path / "killed", always=True)
    with engine_from("dask", workers=2) as engine, pytest.raises(EngineError) as raised:
        pipeline.run_stories(corpus, Budget(unit="words", limit=100), engine=engine)
    message = str(raised.value)
    assert message.startswith("the Dask workers died digesting story story-1")
    assert "\n" not in message


def _on_both_engines(
    tmp_path: Path, store: Path, *command: str
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """``command`` (writing a directory) on a copy of ``store`` with each engine: the files
    each made, by name."""
    outputs = []
    for engine in (["--engine", "local"], ["--engine", "dask", "--workers", "2"]):
        copy = tmp_path / f"{engine[1]}.db"
        copy.write_bytes(store.read_bytes())
        directory = tmp_path / engine[1]
        made = _cli(*command, "--store", str(copy), "--no-timings", "-o", str(directory), *engine)
        assert made.returncode == 0, made.stderr
        outputs.append({path.name: path.read_bytes() for path in directory.iterdir()})
    local, dask = outputs
    return local, dask


def test_digest_all_of_a_store_on_dask_is_the_same_bytes(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    done = _cli("ingest", *STREAM, "--store", str(store))
    assert done.returncode == 0, done.stderr
    local, dask = _on_both_engines(
        tmp_path, store, "digest", "--all", "--min-articles", "2", "--format", "json"
    )
    assert len(local) >= 4, "the example stream has several stories of two articles or more"
    assert dask == local


def test_a_2000_article_stream_digests_to_the_same_bytes_on_dask(tmp_path: Path) -> None:
    """make_stream's synthetic stream (remixed from ../shared): the same stories and the
    same digest bytes from the local engine and a 2-worker LocalCluster."""
    stream = tmp_path / "stream.jsonl"
    made = subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_stream.py"), "2000", "--output", str(stream)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"the benchmark data in ../shared is missing: {made.stderr.strip()}")
    outputs = []
    for engine in (["--engine", "local"], ["--engine", "dask", "--workers", "2"]):
        out = tmp_path / f"{engine[1]}.json"
        done = _cli(
            "digest", str(stream), "--min-articles", "3", "--format", "json", "--no-timings",
            "--words", "60", "-o", str(out), *engine,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    local, dask = outputs
    assert local.count(b'"story_id"') > 100, "the stream holds many stories"
    assert dask == local


def test_update_all_on_dask_is_the_same_bytes(tmp_path: Path) -> None:
    """``update --all`` after more articles came in: the same updates, byte for byte, from
    the local engine and from one Dask task a story reading the store."""
    store = tmp_path / "store.db"
    feeds, *rest = STREAM
    assert _cli("ingest", feeds, "--store", str(store)).returncode == 0
    digested = _cli("digest", "--all", "--store", str(store), "-o", str(tmp_path / "first"))
    assert digested.returncode == 0, digested.stderr
    assert _cli("ingest", *rest, "--store", str(store)).returncode == 0
    local, dask = _on_both_engines(tmp_path, store, "update", "--all", "--format", "json")
    assert local, "the pages and the crawl add articles to stories the feeds began"
    assert dask == local


def test_a_store_holds_no_part_of_a_failed_dask_run(tmp_path: Path) -> None:
    """A read that keeps killing workers: the ingest stores nothing. A story that keeps
    killing workers in ``digest --all``: the digests delivered before the failure are whole,
    the failing story has none."""
    location = str(tmp_path / "store.db")
    with Store.open(location) as store, engine_from("dask", workers=2) as engine:
        assert engine is not None
        with pytest.raises(EngineError, match=r"^the Dask workers died reading "):
            store.ingest(engine.read(DyingIngestor(), STREAM))
        assert store.stories() == ()
        store.ingest(FileIngestor().ingest(STREAM))
        stories = [story.id for story in store.stories()]
        pipeline = dataclasses.replace(
            _dying_pipeline(tmp_path / "killed", always=True), workers=False
        )
        trigger = cast(DyingFactGrouper, pipeline.fact_grouper).trigger
        doomed = {story.id for story in store.stories() if trigger in story.article_ids}
        budget = Budget(unit="words", limit=60)

        def deliver(story_id: str, digest: Digest) -> None:
            store.record_digest(story_id, budget, digest_to_dict(digest, timings=False))

        with pytest.raises(EngineError, match=r"^the Dask workers died digesting story "):
            engine.digest_stored(pipeline, budget, store.location.reachable, stories, deliver)
        delivered = store.digests()
    assert len(doomed) == 1
    assert not doomed & {item.story_id for item in delivered}
    for item in delivered:
        (story,) = item.document["stories"]
        assert story["summary"]["sentences"], "a whole digest, its summary written"
