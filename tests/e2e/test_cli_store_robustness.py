"""Nothing lost, nothing doubled: ``storyline ingest`` killed with SIGKILL at random points
and run again, and two ingests into one store at once, on SQLite and PostgreSQL.

The stream is synthetic (made-up words, written to the test's temporary directory),
large enough that an ingest spends a while inside its write transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from storyline.ingest.files import FileIngestor
from storyline.store import Store
from storyline.store.schema import ARTICLES, RUNS

_SYLLABLES = "ka lo mi ren sto val dun ith por qua zel bri mon tas ul ver nor pel ga sim".split()
_PER_FILE = 200
_KILLS = 4


def _write_stream(directory: Path, *, files: int, seed: int = 20260512) -> list[Path]:
    """``files`` JSONL files of ``_PER_FILE`` articles each, about 30 stories of made-up words."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))

    topics = [[word().capitalize() for _ in range(10)] for _ in range(30)]
    common = [word() for _ in range(500)]
    paths = []
    for number in range(files):
        lines = []
        for index in range(_PER_FILE):
            topic = rng.choice(topics)
            sentences = [
                " ".join(rng.choice(topic if rng.random() < 0.3 else common) for _ in range(14))
                + "."
                for _ in range(10)
            ]
            identifier = f"f{number}-{index}"
            record = {
                "id": identifier,
                "date": (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(40))).isoformat(),
                "title": " ".join(rng.choice(topic) for _ in range(5)),
                "text": " ".join(sentences),
                "url": f"https://news.example/{identifier}",
            }
            lines.append(json.dumps(record))
        path = directory / f"stream-{number}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _ingest(store: str, paths: list[Path]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "storyline", "ingest", *map(str, paths)]
    return subprocess.Popen(
        # in batches of 150 articles: a kill may fall between two of them
        [*command, "--store", store, "--format", "json", "--quiet", "--batch", "150"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _runs(store: Store) -> int:
    return len(store.runs())


def _assert_each_article_once(store: Store, expected: int) -> None:
    assert store.check() == ()
    with store.engine.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(ARTICLES)).scalar()
        unfinished = connection.execute(
            sa.select(sa.func.count())
            .select_from(ARTICLES.join(RUNS, RUNS.c.id == ARTICLES.c.run))
            .where(RUNS.c.finished.is_(None))
        ).scalar()
    assert stored == expected
    assert unfinished == 0, "an interrupted run left articles behind"
    finished = [run for run in store.runs() if run.finished is not None]
    assert sum(run.counts["new"] for run in finished) == expected, "an article counted twice"


def test_an_ingest_killed_at_random_points_then_rerun_stores_each_article_once(
    store_location: str, tmp_path: Path
) -> None:
    paths = _write_stream(tmp_path, files=3)
    rng = random.Random(7)
    outcomes = []
    with Store.open(store_location) as store:
        for attempt in range(_KILLS):
            runs = _runs(store)
            process = _ingest(store_location, paths)
            if attempt % 2 == 0:  # at a random point of the write, once the run has started
                deadline = time.monotonic() + 60
                while _runs(store) == runs and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0.0, 0.5))
            else:  # at a random point of the whole process
                time.sleep(rng.uniform(0.2, 2.0))
            outcomes.append("finished" if process.poll() is not None else "killed")
            process.kill()
            process.communicate()
            assert store.check() == (), f"inconsistent after attempt {attempt}: {outcomes}"
        rerun = store.ingest(FileIngestor().ingest(paths))
        _assert_each_article_once(store, 3 * _PER_FILE)
        assert rerun.rejections == ()
    assert "killed" in outcomes


def test_two_ingests_at_once_neither_double_nor_lose_an_article(
    store_location: str, tmp_path: Path
) -> None:
    paths = _write_stream(tmp_path, files=4)
    first, second = _ingest(store_location, paths[:3]), _ingest(store_location, paths[1:])
    reports = []
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        reports.append(json.loads(stdout)["counts"])
    assert sum(report["new"] for report in reports) == 4 * _PER_FILE
    assert sum(report["already_stored"] for report in reports) == 2 * _PER_FILE
    with Store.open(store_location) as store:
        _assert_each_article_once(store, 4 * _PER_FILE)
