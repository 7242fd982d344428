"""Benchmark: storyline's RuleTimeTagger against dateparser, in one process on the same text.

Input -> output: the hand-written labelled set ``tests/data/timex_labelled.jsonl`` and,
when present, the first ``--docs`` Timeline17 articles from the shared benchmark area
(PTB-tokenized, one sentence a line) -> a table on stdout and a JSON record
(``bench/results/temporal.json`` unless ``--output`` is given).

Measured for both taggers: accuracy on the labelled set (rules in
``storyline.evaluate.temporal``), sentences per CPU second on the labelled sentences and on
the Timeline17 sentences, the speed ratio, and peak traced memory of each run (tracemalloc,
in an untimed pass of its own). On Timeline17, which has no temporal labels, it also
reports how many expressions each finds and how often dateparser lands on the same day
as a day-level storyline resolution of an overlapping span (agreement, not accuracy).

dateparser (``dateparser.search.search_dates``) is called once per sentence with
``languages=["en"]`` and ``RELATIVE_BASE`` = the publication date (omitted when unknown);
several settings are scored on the labelled set and the most accurate one is the one
timed, so the comparison uses dateparser's best setup rather than its defaults. It only
returns a point in time, so it is scored leniently (``within``: its day must fall inside
the labelled span); storyline is scored both ``exact`` (start, end and granularity must
equal the label) and ``within``. dateparser's one-off loading (first call) is timed
apart and left out of its throughput.

Speed is CPU time (``time.process_time``), not wall time: on a shared machine the wall
time of one run moved by 2x and more between runs (bench/README.md), CPU time far less.
The two taggers are timed in interleaved rounds (storyline, dateparser, storyline, ...;
``--repeat`` rounds) on the same sentences, storyline ``--passes`` times a round (its mean
pass; it is some 25x faster, so its round lasts about as long as dateparser's), so that a
burst of load hits both alike. Each keeps its best round (``ratio``) and the median of
the rounds' own ratios is given too (``ratio_median``): issue 14 checks the ratio. On
Timeline17 both are timed on the first ``--t17-sentences`` sentences (dateparser takes
about 1.5 ms a sentence), storyline alone also on all of them.

Usage: ``.venv/bin/python bench/bench_temporal.py [--output PATH] [--docs N] [--repeat R]
[--passes P] [--t17-sentences N]``.
The shared data is read from ``../shared`` beside the repository or from
``$STORYLINE_SHARED``; without it the Timeline17 part is skipped with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.evaluate.temporal import (  # noqa: E402
    LabelledSentence,
    PredictedTimex,
    calendar_predictions,
    load_labelled,
    score_timex,
)
from storyline.model import TimeRef  # noqa: E402
from storyline.text.temporal import RuleTimeTagger  # noqa: E402

# dateparser ships no type information: load it untyped and give its one entry point a type.
SearchDates = Callable[..., list[tuple[str, dt.datetime]] | None]
search_dates: SearchDates = importlib.import_module("dateparser.search").search_dates

LABELLED_PATH = REPO / "tests" / "data" / "timex_labelled.jsonl"
DEFAULT_OUTPUT = REPO / "bench" / "results" / "temporal.json"
MEMORY_SENTENCES = 2000
Tagger = Callable[[str, dt.date | None], list[PredictedTimex]]
Dated = tuple[str, dt.date | None]

# The dateparser setups tried on the labelled set; the best one is timed.
DATEPARSER_SETUPS: dict[str, dict[str, Any]] = {
    "past": {"PREFER_DATES_FROM": "past"},
    "past-mdy": {"PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY"},
    "current-period": {"PREFER_DATES_FROM": "current_period"},
    "future": {"PREFER_DATES_FROM": "future"},
}


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def storyline_tagger() -> Tagger:
    tagger = RuleTimeTagger()

    def tag(text: str, published: dt.date | None) -> list[PredictedTimex]:
        return calendar_predictions(tagger.tag(text, published, article_id="bench"))

    return tag


def dateparser_tagger(setup: dict[str, Any]) -> Tagger:
    def tag(text: str, published: dt.date | None) -> list[PredictedTimex]:
        settings = dict(setup)
        if published is not None:
            settings["RELATIVE_BASE"] = dt.datetime(published.year, published.month, published.day)
        found = search_dates(text, languages=["en"], settings=settings) or []
        predictions = []
        cursor = 0
        for wording, moment in found:
            start = text.find(wording, cursor)
            if start < 0:
                start = text.find(wording)
            if start < 0:
                continue
            cursor = start + len(wording)
            day = moment.date()
            ref = TimeRef(start=day, end=day, granularity="day")
            predictions.append(PredictedTimex(start=start, end=start + len(wording), ref=ref))
        return predictions

    return tag


Predictions = list[list[PredictedTimex]]


def run_all(tagger: Tagger, items: Iterable[Dated]) -> Predictions:
    return [tagger(text, published) for text, published in items]


def _speed(sentences: int, seconds: float) -> dict[str, float]:
    return {
        "sentences": sentences,
        "cpu_seconds": round(seconds, 4),
        "sentences_per_cpu_s": round(sentences / seconds, 1) if seconds > 0 else 0.0,
        "us_per_sentence": round(seconds / sentences * 1e6, 2) if sentences else 0.0,
    }


def interleaved(
    taggers: dict[str, Tagger], items: Sequence[Dated], rounds: int, passes: Sequence[int]
) -> tuple[dict[str, Any], dict[str, Predictions]]:
    """Speeds in CPU time (``time.process_time``) of taggers run one after the other on
    ``items`` in each of ``rounds`` rounds, each tagger ``passes[i]`` times a round (its
    round's time is the mean pass), and each tagger's predictions from its last pass.

    Each tagger keeps its best round; ``ratio`` is the first tagger's speed over the
    second's from those, ``ratio_median`` the median of the rounds' own ratios (the two
    timed under the same load: the steadier number on a shared machine)."""
    best = dict.fromkeys(taggers, float("inf"))
    ratios: list[float] = []
    predictions: dict[str, Predictions] = {}
    for _ in range(rounds):
        spent: list[float] = []
        for (name, tagger), count in zip(taggers.items(), passes, strict=True):
            started = time.process_time()
            for _ in range(count):
                predictions[name] = run_all(tagger, items)
            spent.append((time.process_time() - started) / count)
            best[name] = min(best[name], spent[-1])
        if spent[0] > 0:
            ratios.append(spent[1] / spent[0])
    block: dict[str, Any] = {name: _speed(len(items), best[name]) for name in taggers}
    first, second = (block[name]["sentences_per_cpu_s"] for name in list(taggers)[:2])
    block["ratio"] = round(first / second, 1) if second else 0.0
    block["ratio_median"] = round(statistics.median(ratios), 1) if ratios else 0.0
    block["rounds"] = rounds
    block["passes"] = dict(zip(taggers, passes, strict=True))
    return block, predictions


def best_cpu(tagger: Tagger, items: Sequence[Dated], rounds: int) -> dict[str, float]:
    """One tagger's best CPU time over ``rounds`` runs on ``items``, as a speed."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run_all(tagger, items)
        best = min(best, time.process_time() - started)
    return _speed(len(items), best)


def peak_memory_mib(tagger: Tagger, items: Sequence[Dated]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    run_all(tagger, items)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 3)


def t17_sentences(limit: int) -> tuple[list[Dated], str | None]:
    path = shared_root() / "benchmarks" / "t17" / "t17_topics.jsonl"
    if not path.is_file():
        return [], f"Timeline17 not found at {path} (set STORYLINE_SHARED): skipped"
    sentences: list[Dated] = []
    articles = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for doc in json.loads(line)["docs"]:
                if articles >= limit:
                    return sentences, None
                articles += 1
                published = dt.date.fromisoformat(doc["date"]) if doc.get("date") else None
                sentences.extend(
                    (sentence, published)
                    for sentence in doc["text"].split("\n")
                    if sentence.strip()
                )
    return sentences, None


def agreement(ours: Predictions, theirs: Predictions) -> dict[str, float]:
    found_ours = found_theirs = day_level = agreed = 0
    for mine, other in zip(ours, theirs, strict=True):
        found_ours += len(mine)
        found_theirs += len(other)
        for prediction in mine:
            if prediction.ref is None or prediction.ref.granularity != "day":
                continue
            day_level += 1
            overlapping = [
                o for o in other if o.start < prediction.end and prediction.start < o.end
            ]
            if overlapping and overlapping[0].ref == prediction.ref:
                agreed += 1
    return {
        "storyline_expressions": found_ours,
        "dateparser_expressions": found_theirs,
        "storyline_day_level": day_level,
        "dateparser_same_day": agreed,
        "agreement": round(agreed / day_level, 4) if day_level else 0.0,
    }


def labelled_items(labelled: Sequence[LabelledSentence]) -> list[Dated]:
    return [(sentence.text, sentence.published) for sentence in labelled]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--docs", type=int, default=100, help="Timeline17 articles to read")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds (best kept)")
    parser.add_argument(
        "--passes", type=int, default=20, help="storyline passes a round (it is ~25x faster)"
    )
    parser.add_argument(
        "--t17-sentences", type=int, default=3000, help="Timeline17 sentences both taggers time"
    )
    parser.add_argument("--errors", action="store_true", help="print every labelled error")
    args = parser.parse_args(argv)

    labelled = load_labelled(LABELLED_PATH)
    items = labelled_items(labelled)
    ours = storyline_tagger()

    started = time.perf_counter()
    dateparser_tagger(DATEPARSER_SETUPS["past"])("It happened on Monday.", dt.date(2017, 5, 30))
    dateparser_load_s = time.perf_counter() - started

    exact = score_timex(labelled, ours, mode="exact")
    within = score_timex(labelled, ours, mode="within")
    setups = {
        name: score_timex(labelled, dateparser_tagger(setup), mode="within")
        for name, setup in DATEPARSER_SETUPS.items()
    }
    best_name = max(setups, key=lambda name: setups[name].accuracy)
    theirs = dateparser_tagger(DATEPARSER_SETUPS[best_name])
    if args.errors:
        print("storyline errors:", *exact.errors, sep="\n  ")
        print(f"dateparser ({best_name}) errors:", *setups[best_name].errors, sep="\n  ")

    taggers = {"storyline": ours, "dateparser": theirs}
    speed_labelled, _ = interleaved(taggers, items, args.repeat, (args.passes, 1))
    t17, skipped = t17_sentences(args.docs)
    speed_t17: dict[str, Any] = {}
    if t17:
        timed = t17[: args.t17_sentences]
        speed_t17, found = interleaved(taggers, timed, args.repeat, (args.passes, 1))
        speed_t17["articles"] = args.docs
        speed_t17["storyline_all_sentences"] = best_cpu(ours, t17, args.repeat)
        speed_t17["agreement"] = agreement(found["storyline"], found["dateparser"])
    memory_items = (t17 or items)[:MEMORY_SENTENCES]
    memory = {
        "on": f"first {len(memory_items)} {'timeline17' if t17 else 'labelled'} sentences",
        "storyline_peak_mib": peak_memory_mib(ours, memory_items),
        "dateparser_peak_mib": peak_memory_mib(theirs, memory_items),
        "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    record: dict[str, Any] = {
        "python": platform.python_version(),
        "dateparser": importlib.metadata.version("dateparser"),
        "dateparser_setup": {"name": best_name, **DATEPARSER_SETUPS[best_name]},
        "dateparser_load_s": round(dateparser_load_s, 3),
        "labelled": {
            "sentences": len(labelled),
            "expressions": exact.labels,
            "negatives": exact.negatives,
            "storyline_accuracy_exact": round(exact.accuracy, 4),
            "storyline_accuracy_within": round(within.accuracy, 4),
            "storyline_errors": list(exact.errors),
            "dateparser_accuracy_within": {
                name: round(score.accuracy, 4) for name, score in setups.items()
            },
            "dateparser_spurious": setups[best_name].spurious,
        },
        "speed_labelled": speed_labelled,
        "speed_t17": speed_t17 or {"skipped": skipped},
        "memory": memory,
    }
    print_table(record)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.output}")
    return 0


def print_table(record: dict[str, Any]) -> None:
    labelled = record["labelled"]
    setup = record["dateparser_setup"]["name"]
    print(
        f"labelled set: {labelled['sentences']} sentences, {labelled['expressions']} expressions,"
        f" {labelled['negatives']} negatives"
    )
    print(
        f"  storyline accuracy  exact {labelled['storyline_accuracy_exact']:.3f}"
        f"  within {labelled['storyline_accuracy_within']:.3f}"
    )
    for name, accuracy in labelled["dateparser_accuracy_within"].items():
        marker = "  (timed)" if name == setup else ""
        print(f"  dateparser {name:<15} within {accuracy:.3f}{marker}")
    for label, key in (("labelled", "speed_labelled"), ("timeline17", "speed_t17")):
        block = record[key]
        if "skipped" in block:
            print(f"{label}: {block['skipped']}")
            continue
        print(
            f"{label}: {block['storyline']['sentences']} sentences, CPU time, best of"
            f" {block['rounds']} interleaved rounds; storyline"
            f" {block['storyline']['sentences_per_cpu_s']:,.0f}/s"
            f" ({block['storyline']['us_per_sentence']} us a sentence), dateparser"
            f" {block['dateparser']['sentences_per_cpu_s']:,.0f}/s"
            f" ({block['dateparser']['us_per_sentence']} us); ratio {block['ratio']}x,"
            f" median of the rounds' ratios {block['ratio_median']}x"
        )
        if "storyline_all_sentences" in block:
            alone = block["storyline_all_sentences"]
            print(
                f"  storyline on all {alone['sentences']} sentences:"
                f" {alone['sentences_per_cpu_s']:,.0f}/s ({alone['us_per_sentence']} us)"
            )
        if "agreement" in block:
            print(f"  agreement on storyline's day-level dates: {block['agreement']}")
    memory = record["memory"]
    print(
        f"peak traced memory ({memory['on']}): storyline {memory['storyline_peak_mib']} MiB,"
        f" dateparser {memory['dateparser_peak_mib']} MiB;"
        f" process max RSS {memory['process_max_rss_mib']} MiB;"
        f" dateparser load {record['dateparser_load_s']} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
