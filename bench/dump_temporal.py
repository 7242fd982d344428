"""The temporal tagger's full output on fixed inputs, to check a speed change changes nothing.

Input -> output: the labelled sentences (``tests/data/timex_labelled.jsonl``), the TimeML
rule table (``tests/data/timex_timeml.jsonl``), both TempEval-3 files and the first
``--docs`` Timeline17 articles of the shared benchmark area -> one JSON line per tagged text
(its corpus, its number, every :class:`~storyline.model.TimeExpression` field of every
expression: span, wording, kind, ``TimeRef``, note, TIMEX3 type and value) in ``--output``,
and the CPU seconds (``time.process_time``) the tagger took on each corpus on stdout.

Each text is tagged with its publication date (or document creation time) and once more
with none, which takes the tagger's other paths. Timeline17 articles are tagged whole and
sentence by sentence (as ``bench_temporal.py`` times them). Two dumps, made before and after
a change, are compared with ``cmp`` or ``diff``: identical files mean identical output.

Usage: ``python bench/dump_temporal.py --output /tmp/before.jsonl [--docs 2000]``; the shared
data is read from ``$STORYLINE_SHARED`` or ``../shared`` beside the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.model import TimeExpression  # noqa: E402
from storyline.text.temporal import RuleTimeTagger  # noqa: E402

Dated = tuple[str, dt.date | None]


def _shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _date(raw: object) -> dt.date | None:
    return dt.date.fromisoformat(str(raw)) if raw else None


def _table(path: Path) -> list[Dated]:
    with path.open(encoding="utf-8") as handle:
        return [
            (str(record["text"]), _date(record.get("published")))
            for record in map(json.loads, handle)
        ]


def _tempeval(path: Path) -> list[Dated]:
    with path.open(encoding="utf-8") as handle:
        return [(str(record["text"]), _date(record["dct"])) for record in map(json.loads, handle)]


def _t17(path: Path, limit: int) -> Iterator[tuple[str, dt.date | None]]:
    count = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for doc in json.loads(line)["docs"]:
                if count >= limit:
                    return
                count += 1
                yield str(doc["text"]), _date(doc.get("date"))


def _corpora(docs: int) -> dict[str, list[Dated]]:
    shared = _shared_root() / "benchmarks"
    corpora = {
        "labelled": _table(REPO / "tests" / "data" / "timex_labelled.jsonl"),
        "timeml": _table(REPO / "tests" / "data" / "timex_timeml.jsonl"),
    }
    for name in ("timebank", "aquaint"):
        path = shared / "temporal" / f"tbaq_{name}.jsonl"
        if path.is_file():
            corpora[name] = _tempeval(path)
        else:
            print(f"missing: {path}: skipped")
    t17 = shared / "t17" / "t17_topics.jsonl"
    if t17.is_file():
        articles = list(_t17(t17, docs))
        corpora["t17-articles"] = articles
        corpora["t17-sentences"] = [
            (sentence, published)
            for text, published in articles
            for sentence in text.split("\n")
            if sentence.strip()
        ]
    else:
        print(f"missing: {t17}: skipped")
    return corpora


def _record(expression: TimeExpression) -> list[object]:
    ref = expression.ref
    return [
        expression.start,
        expression.end,
        expression.text,
        expression.kind,
        None if ref is None else [ref.start.isoformat(), ref.end.isoformat(), ref.granularity],
        expression.note,
        expression.timex_type,
        expression.value,
    ]


def _dump(name: str, items: Sequence[Dated], out: IO[str]) -> float:
    """Tag every item with and without its date, write the output; return the CPU seconds."""
    tagger = RuleTimeTagger()
    spent = 0.0
    for number, (text, published) in enumerate(items):
        for dated, date in (("dated", published), ("undated", None)):
            started = time.process_time()
            found = tagger.tag(text, date, article_id="dump")
            spent += time.process_time() - started
            line = {"corpus": name, "n": number, "date": dated}
            line["found"] = [_record(expression) for expression in found]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=2000, help="Timeline17 articles to read")
    args = parser.parse_args(argv)
    total = 0.0
    with args.output.open("w", encoding="utf-8") as out:
        for name, items in _corpora(args.docs).items():
            spent = _dump(name, items, out)
            total += spent
            print(f"{name}: {len(items)} texts, tagger CPU {spent:.2f} s (dated and undated)")
    print(f"total tagger CPU {total:.2f} s; written: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
