"""Benchmark: Timeline17 date-F1 of date-ranking features and their combinations, one run.

Input -> output: the Timeline17 TLS JSONL of the shared benchmark area
(``../shared/benchmarks/t17/t17_topics.jsonl``, or ``$STORYLINE_SHARED``) -> a table on stdout
(date-F1 over the 19 reference timelines and over the two topic halves A and B) and a JSON
record (``bench/results/date_features.json`` unless ``--output`` is given).

Date selection only: for each reference timeline the top ``N`` days of a ranking (``N`` the
reference's date count, inside its first..last date, the news-tls protocol) are compared with
the reference dates; no sentence is selected and no ROUGE computed, so a ranking costs a
second. The ranking of :class:`~storyline.digest.timeline.DateMentionTimelineBuilder` (its
defaults) is the baseline; the other rows rank days by one feature, or by an unweighted sum
of ``ln(1 + feature)`` (a product of ``1 + feature`` factors: every feature an independent
multiplicative piece of evidence, nothing fitted), the combination the date features of Tran
et al. (2013, "Predicting relevant news events for timeline summaries") and of news-tls's
date ranker (Gholipour Ghalandari & Ifrim 2020) suggest when no labels are used.

Per day, from the mentions the builder counts (expressions resolved to one day, by articles
published in the window): ``weight`` (the builder's weighted mentioning articles),
``articles`` (distinct mentioning articles), ``pub_days`` (distinct publication days that
mention it), ``later`` (articles published 2 or more days after it that mention it: still
referred to), ``lag`` (days from it to the last report that mentions it: its temporal
spread), ``lead`` (mentioning sentences among the first three of their article),
``explicit`` (mentions written as a calendar date), ``published`` (articles published that
day or the next: the reports of the event's own day). Timeline17 carries no outlet field
(its ``id`` prefix names the collection a timeline came with), so outlets are not a feature.

It also counts the baseline's errors next to a reference day: chosen days one day off a
reference day the ranking left out, and for those pairs how many of the features still
favour the chosen neighbour.

Usage: ``.venv/bin/python bench/date_features.py [--output PATH]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

# The builder's own steps and the evaluation's preparation, measured apart from the builder.
from storyline.digest.timeline import (
    DateMentionTimelineBuilder,
    TimelineBudget,
    _day_weights,
    _in_window,
    _Mention,
    _mentions,
    _rank_days,
)
from storyline.evaluate.timelines import ReferenceTimeline, _prepare, read_timeline_topics
from storyline.model import Article
from storyline.text.sentences import RuleSegmenter
from storyline.text.temporal import RuleTimeTagger

REPO = Path(__file__).resolve().parents[1]
HALF_A = frozenset({"egypt", "finan", "h1n1", "iraq", "libya"})
FEATURES = ("weight", "articles", "pub_days", "later", "lag", "lead", "explicit", "published")
# Each ranking: an unweighted sum of ln(1 + feature); one feature ranks by itself.
RANKINGS: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in FEATURES},
    "weight + pub_days": ("weight", "pub_days"),
    "weight + later": ("weight", "later"),
    "weight + lag": ("weight", "lag"),
    "weight + lead": ("weight", "lead"),
    "weight + published": ("weight", "published"),
    "weight + pub_days + published": ("weight", "pub_days", "published"),
    "articles + pub_days + later + lead + published": (
        "articles",
        "pub_days",
        "later",
        "lead",
        "published",
    ),
}

Features = dict[dt.date, dict[str, float]]
Prepared = tuple[str, ReferenceTimeline, Features, list[dt.date]]


def _shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


def _features(
    mentions: Sequence[_Mention], articles: Mapping[str, Article], budget: TimelineBudget
) -> Features:
    """The per-day features named in the module docstring, inside the budget's window."""
    builder = DateMentionTimelineBuilder()
    weight, _ = _day_weights(
        mentions,
        articles,
        budget,
        retrospective=builder.retrospective,
        day_before_share=builder.day_before_share,
    )
    leads = {
        sentence.id
        for sentence in {m.sentence for m in mentions}
        if sentence.index < builder.lead_sentences
    }
    table: Features = defaultdict(lambda: dict.fromkeys(FEATURES, 0.0))
    seen: set[tuple[dt.date, str]] = set()
    pub_days: dict[dt.date, set[dt.date]] = defaultdict(set)
    for mention in mentions:
        day, article_id = mention.day, mention.sentence.article_id
        row = table[day]
        row["lead"] += mention.sentence.id in leads
        row["explicit"] += mention.expression.kind == "date"
        if (day, article_id) in seen:
            continue
        seen.add((day, article_id))
        published = articles[article_id].published
        lag = (published - day).days if published is not None else 0
        row["articles"] += 1
        row["later"] += lag >= 2
        row["lag"] = max(row["lag"], float(lag))
        if published is not None:
            pub_days[day].add(published)
    for article in articles.values():
        if article.published is not None:
            for shift in (0, 1):
                table[article.published - dt.timedelta(days=shift)]["published"] += 1
    for day, days in pub_days.items():
        table[day]["pub_days"] = len(days)
    for day, value in weight.items():
        table[day]["weight"] = value
    return {day: row for day, row in table.items() if budget.covers(day)}


def _ranked(features: Features, parts: Sequence[str]) -> list[dt.date]:
    """Days by the sum of ``ln(1 + feature)`` over ``parts``, then mentioning articles."""

    def score(day: dt.date) -> tuple[float, float, dt.date]:
        row = features[day]
        return (-sum(math.log1p(row[part]) for part in parts), -row["articles"], day)

    return sorted(features, key=score)


def _date_f1(hits: Sequence[tuple[str, int, int, int]], half: frozenset[str] | None) -> float:
    """news-tls's F1 of precision and recall averaged over timelines."""
    rows = [row for row in hits if half is None or row[0] in half]
    precision = statistics.fmean(hit / max(chosen, 1) for _, hit, chosen, _ in rows)
    recall = statistics.fmean(hit / gold for _, hit, _, gold in rows)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=REPO / "bench" / "results" / "date_features.json"
    )
    args = parser.parse_args()
    dataset = _shared_root() / "benchmarks" / "t17" / "t17_topics.jsonl"
    if not dataset.is_file():
        print(f"Timeline17 not found at {dataset}: nothing to measure", file=sys.stderr)
        return 0
    started = time.process_time()
    segmenter, tagger = RuleSegmenter(), RuleTimeTagger()
    timelines: list[Prepared] = []
    defaults = DateMentionTimelineBuilder()
    for topic in read_timeline_topics(dataset):
        prepared = _prepare(topic, segmenter, tagger)
        for reference in topic.references:
            budget = reference.budget()
            usable, sentences = _in_window(prepared.story, prepared.articles, budget)
            found = _mentions(usable, sentences, prepared.expressions, budget, defaults.horizon)
            baseline = _rank_days(
                found,
                usable,
                budget,
                retrospective=defaults.retrospective,
                day_before_share=defaults.day_before_share,
            )
            timelines.append((topic.id, reference, _features(found, usable, budget), baseline))
    preparation = time.process_time() - started
    results: dict[str, dict[str, float]] = {}
    print(f"{'ranking':48} {'all':>7} {'A':>7} {'B':>7}")
    for name, parts in {"baseline (the builder's ranking)": (), **RANKINGS}.items():
        hits = []
        for topic_id, reference, table, baseline in timelines:
            ranked = _ranked(table, parts) if parts else baseline
            chosen = [day for day in ranked if day in table][: len(reference.dates)]
            hits.append(
                (
                    topic_id,
                    len(set(chosen) & set(reference.dates)),
                    len(chosen),
                    len(reference.dates),
                )
            )
        scores = {
            "all": _date_f1(hits, None),
            "A": _date_f1(hits, HALF_A),
            "B": _date_f1(hits, frozenset({t for t, *_ in hits}) - HALF_A),
        }
        results[name] = {key: round(value, 4) for key, value in scores.items()}
        print(f"{name:48} {scores['all']:7.4f} {scores['A']:7.4f} {scores['B']:7.4f}")
    wrong, off_by_one, pairs, favour = _neighbour_errors(timelines)
    print(
        f"baseline: {off_by_one} of {wrong} wrong days are one day off a reference day; in the "
        f"{pairs} pairs where the reference day was left out for its neighbour, the features "
        "favouring the reference day: " + ", ".join(f"{k} {v}" for k, v in favour.items())
    )
    seconds = time.process_time() - started
    print(f"CPU s: {seconds:.1f} ({preparation:.1f} segmenting, tagging and counting)")
    record = {
        "dataset": dataset.name,
        "half_a": sorted(HALF_A),
        "date_f1": results,
        "neighbours": {
            "chosen_wrong": wrong,
            "chosen_off_by_one": off_by_one,
            "pairs": pairs,
            "favour_reference": favour,
        },
        "cpu_seconds": round(seconds, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


def _neighbour_errors(timelines: Sequence[Prepared]) -> tuple[int, int, int, dict[str, int]]:
    """Wrong days, those one day off a reference day, such pairs and the features siding
    with the reference day in them."""
    off_by_one = wrong = pairs = 0
    favour: dict[str, int] = dict.fromkeys(FEATURES, 0)
    one = dt.timedelta(days=1)
    for _, reference, table, baseline in timelines:
        gold = set(reference.dates)
        chosen = set([day for day in baseline if day in table][: len(gold)])
        for day in chosen - gold:
            wrong += 1
            off_by_one += bool({day - one, day + one} & gold)
            for reference_day in {day - one, day + one} & (gold - chosen):
                pairs += 1
                for name in favour:
                    favour[name] += table.get(reference_day, {}).get(name, 0.0) > table[day][name]
    return wrong, off_by_one, pairs, favour


if __name__ == "__main__":
    sys.exit(main())
