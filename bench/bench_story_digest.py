"""Benchmark: the per-story digest in one process, CPU seconds in all and per stage.

Input -> output: a store (``--store``, e.g. one that ``storyline ingest`` filled from a
``bench/make_stream.py`` stream) -> a table on stdout and a JSON record
(``bench/results/story_digest.json`` unless ``--output`` is given);
with ``--digests DIR``, each story's JSON digest as ``storyline digest --all --format json
--no-timings`` writes it (``DIR/STORY-ID.json``, the same bytes), to compare with ``cmp``.

It does what one story worker of ``digest --all`` does, in this process, so that a profiler
(``--profile FILE``, cProfile) sees the stages: every story of at least ``--min-articles``
articles, largest first, is read from the store (not timed), then digested with
``Pipeline.run`` without worker processes. The stage times are the pipeline's own, with its
clock read as this process's CPU time (``time.process_time``) instead of wall time, so that
a busy machine does not inflate them. The store is only read.

Usage: ``python bench/bench_story_digest.py --store S [--min-articles 2] [--words 120]
[--limit N] [--digests DIR] [--profile FILE] [--output FILE]``.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import time
import types
from pathlib import Path
from typing import Any
from unittest import mock

from storyline.config import load_config
from storyline.model import Budget, Corpus
from storyline.pipeline.workers import fewer_collections
from storyline.registry import build_pipeline
from storyline.report.markdown import to_json
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--limit", type=int, default=None, help="only the N largest stories")
    parser.add_argument("--digests", type=Path, default=None, help="write STORY-ID.json here")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile stats file")
    parser.add_argument(
        "--output", type=Path, default=REPO / "bench" / "results" / "story_digest.json"
    )
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    with Store.open(args.store, create=False) as store:
        chosen = [s.id for s in store.stories() if len(s.article_ids) >= args.min_articles]
        chosen = chosen[: args.limit] if args.limit is not None else chosen
        corpora = {story_id: Corpus(articles=store.articles(story_id)) for story_id in chosen}
    pipeline = dataclasses.replace(build_pipeline(load_config(None)), workers=False)
    budget = Budget(unit="words", limit=args.words)
    if args.digests is not None:
        args.digests.mkdir(parents=True, exist_ok=True)
    # the stage clock as CPU time (see the module docstring)
    cpu_clock = mock.patch(
        "storyline.pipeline.time", types.SimpleNamespace(perf_counter=time.process_time)
    )
    cpu_clock.start()
    stages: dict[str, float] = {}
    digest_cpu = render_cpu = 0.0
    profiler = cProfile.Profile() if args.profile is not None else None
    for story_id in chosen:
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        digest = pipeline.run(corpora[story_id], budget, story_id=story_id)
        if profiler is not None:
            profiler.disable()
        digest_cpu += time.process_time() - started
        for name, seconds in digest.timings.items():
            stages[name] = stages.get(name, 0.0) + seconds
        if args.digests is not None:
            started = time.process_time()
            with fewer_collections():
                text = to_json(digest, timings=False)
            (args.digests / f"{story_id}.json").write_bytes(text.encode("utf-8"))
            render_cpu += time.process_time() - started
    cpu_clock.stop()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    articles = sum(len(corpus.articles) for corpus in corpora.values())
    record: dict[str, Any] = {
        "store": args.store,
        "stories": len(chosen),
        "articles": articles,
        "digest_cpu_s": round(digest_cpu, 2),
        "ms_per_article": round(1000 * digest_cpu / max(articles, 1), 2),
        "render_cpu_s": round(render_cpu, 2),
        "stages_cpu_s": {name: round(seconds, 2) for name, seconds in stages.items()},
    }
    print(f"{len(chosen)} stories, {articles} articles: digest {digest_cpu:.1f} CPU s", end="")
    print(f" ({record['ms_per_article']} ms an article), JSON rendering {render_cpu:.1f} CPU s")
    for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        print(f"  {name:<10} {seconds:8.2f} CPU s  {100 * seconds / max(digest_cpu, 1e-9):5.1f}%")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
