"""Benchmark: the entities stage of this checkout against an older copy, interleaved, per story.

Input -> output: a store (``--store``, e.g. one that ``storyline ingest`` filled from a
``bench/make_stream.py`` stream) and an older ``entities.py`` (``--old``, e.g. ``git show
main:src/storyline/digest/entities.py > /tmp/old_entities.py``) -> a table on stdout and a
JSON record (``bench/results/compare_entities.json`` unless ``--output`` is given).

For every story of at least ``--min-articles`` articles, largest first, the quotes stage of
the default pipeline runs once (not timed); then the old and the new recognizer each find
the story's entities in this process, in turn (which goes first alternates from story to
story), so that a busy machine slows both alike. Each call is timed in CPU seconds
(``time.process_time``), its two halves (``read``, ``resolve``) apart, and the two outputs
are compared: a story whose entities differ is counted and named, and makes the exit code 1.

Usage: ``python bench/compare_entities.py --store S --old FILE [--min-articles 2]
[--limit N] [--output FILE]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

from storyline.config import load_config
from storyline.model import Article, Entity, Quote
from storyline.registry import build_pipeline
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--old", type=Path, required=True, help="an older entities.py")
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the N largest stories")
    parser.add_argument(
        "--output", type=Path, default=REPO / "bench" / "results" / "compare_entities.json"
    )
    return parser.parse_args()


def _old_recognizer(path: Path, *, min_mentions: int, max_acronym: int) -> Any:
    spec = importlib.util.spec_from_file_location("_old_entities", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.RuleEntityRecognizer(min_mentions=min_mentions, max_acronym=max_acronym)


def _timed(
    recognizer: Any, articles: tuple[Article, ...], quotes: tuple[Quote, ...]
) -> tuple[tuple[Entity, ...], float, float]:
    started = time.process_time()
    found = recognizer.read(articles)
    middle = time.process_time()
    entities: tuple[Entity, ...] = recognizer.resolve(found, articles, quotes)
    return entities, middle - started, time.process_time() - middle


def main() -> None:
    args = _arguments()
    with Store.open(args.store, create=False) as store:
        chosen = [s.id for s in store.stories() if len(s.article_ids) >= args.min_articles]
        chosen = chosen[: args.limit] if args.limit is not None else chosen
        corpora = {story_id: tuple(store.articles(story_id)) for story_id in chosen}
    pipeline = build_pipeline(load_config(None))
    new = pipeline.entity_recognizer
    quoter = pipeline.quote_extractor
    if new is None or quoter is None:
        raise SystemExit("the default pipeline has no entities or quotes stage")
    old = _old_recognizer(
        args.old,
        min_mentions=getattr(new, "min_mentions", 1),
        max_acronym=getattr(new, "max_acronym", 6),
    )
    seconds = {"old": [0.0, 0.0], "new": [0.0, 0.0]}
    differing: list[str] = []
    for number, story_id in enumerate(chosen):
        articles = corpora[story_id]
        quotes = quoter.extract(articles)
        results = {}
        order = (("old", old), ("new", new)) if number % 2 == 0 else (("new", new), ("old", old))
        for name, recognizer in order:
            entities, read, resolve = _timed(recognizer, articles, quotes)
            seconds[name][0] += read
            seconds[name][1] += resolve
            results[name] = entities
        if results["old"] != results["new"]:
            differing.append(story_id)
    articles_count = sum(len(corpus) for corpus in corpora.values())
    record: dict[str, Any] = {
        "store": args.store,
        "old": str(args.old),
        "stories": len(chosen),
        "articles": articles_count,
        "cpu_s": {
            name: {"read": round(read, 2), "resolve": round(resolve, 2)}
            for name, (read, resolve) in seconds.items()
        },
        "differing_stories": differing,
    }
    print(f"{len(chosen)} stories, {articles_count} articles, old and new in turn (CPU s):")
    for name, (read, resolve) in seconds.items():
        print(f"  {name:<4} read {read:7.2f}  resolve {resolve:7.2f}  all {read + resolve:7.2f}")
    print(f"stories whose entities differ: {len(differing)} {' '.join(differing[:10])}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    if differing:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
