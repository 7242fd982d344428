"""Pathological inputs for the scale benchmark, written as JSONL files of articles.

Each case is an input that once made a stage grow far past linear or exhaust
memory (see issue 8): many tiny articles, thousands of identical sentences,
templated sentences that differ only in a date, one very long real-looking
article, and a megabyte of text with no sentence punctuation. All text is
generated here from a fixed seed; nothing is copied from anywhere.

Run ``python bench/pathological.py DIR`` to write every case into DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

__all__ = ["CASES", "write_case", "write_records"]

_SURNAMES = (
    "Arden Brisk Calloway Dunmore Ellery Fairweather Galloway Hartwell Iverson Jessup "
    "Kilbride Lockhart Marlow Norcross Oakley Pemberton Quill Radcliffe Sutter Thorne"
).split()
_FIRST = "Ada Ben Cora Dev Elin Finn Gita Hugo Iris Jon Kira Luis Mina Noor Otto".split()
_ORGS = (
    "Harbour Authority|Transit Board|City Council|Port Workers Union|Coastal Guard|"
    "Ministry of Works|Regional Court|Weather Service|Freight Alliance|Health Office"
).split("|")
_PLACES = "Verrin Sorrel Bayside Northshore Tidewater Eastgate Millbrook Ashford".split()
_VERBS = "said told reporters announced warned added insisted claimed noted".split()
_TOPICS = (
    "the bridge will reopen next month|repairs cost more than expected|"
    "the ferry service doubles its crossings|inspectors found cracks in two pillars|"
    "traffic on the coast road rose sharply|the budget vote is delayed again|"
    "schools near the port close early|the union calls a one-day strike"
).split("|")


def _date(rng: random.Random) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _sentence(rng: random.Random) -> str:
    person = f"{rng.choice(_FIRST)} {rng.choice(_SURNAMES)}"
    org, place, topic = rng.choice(_ORGS), rng.choice(_PLACES), rng.choice(_TOPICS)
    forms = (
        f'"{topic.capitalize()}," {person} of the {org} {rng.choice(_VERBS)}.',
        f"The {org} in {place} said on Monday that {topic}.",
        f"{person} {rng.choice(_VERBS)} that {topic}, according to the {org}.",
        f"Officials in {place} expect that {topic} by {_date(rng):%B %d}.",
    )
    return rng.choice(forms)


def _article(index: int, text: str, published: dt.date, source: str) -> dict[str, str]:
    return {
        "id": f"a{index:06d}",
        "source": source,
        "published": published.isoformat(),
        "title": f"Report {index}",
        "text": text,
    }


def tiny_articles(count: int = 10_000) -> Iterator[dict[str, str]]:
    """``count`` articles of one or two short sentences each, many outlets, one year."""
    rng = random.Random(8)
    for index in range(count):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 2)))
        yield _article(index, text, _date(rng), f"outlet-{index % 50}")


def identical_sentences(count: int = 5_000) -> Iterator[dict[str, str]]:
    """``count`` articles that all carry the same two sentences, and one of their own."""
    rng = random.Random(5)
    shared = "The harbour bridge closed on Monday after inspectors found cracks. It stays shut."
    for index in range(count):
        text = f"{shared} {_sentence(rng)}"
        yield _article(index, text, _date(rng), f"outlet-{index % 40}")


def templated_dates(count: int = 2_500) -> Iterator[dict[str, str]]:
    """``count`` sentences alike but for a date and a number, ten to an article."""
    rng = random.Random(25)
    per_article = 10
    for index in range(count // per_article):
        sentences = []
        for _ in range(per_article):
            day = _date(rng)
            sentences.append(
                f"On {day:%B} {day.day}, {day.year}, the harbour authority reported "
                f"{rng.randint(10, 999)} ships waiting outside the port of {rng.choice(_PLACES)}."
            )
        yield _article(index, " ".join(sentences), _date(rng), f"outlet-{index % 10}")


def long_article(chars: int = 200_000) -> Iterator[dict[str, str]]:
    """One article of about ``chars`` characters of varied news prose in paragraphs."""
    rng = random.Random(200)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    yield _article(0, "\n\n".join(paragraphs), dt.date(2024, 6, 3), "long-read")


def no_punctuation(chars: int = 1_000_000) -> Iterator[dict[str, str]]:
    """One article of about ``chars`` characters of words with no punctuation or newline."""
    rng = random.Random(1)
    words = [w.lower() for w in (*_SURNAMES, *_PLACES, *" ".join(_TOPICS).split())]
    pieces: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(words)
        pieces.append(word)
        size += len(word) + 1
    yield _article(0, " ".join(pieces), dt.date(2024, 6, 3), "run-on")


CASES: dict[str, Callable[[], Iterator[dict[str, str]]]] = {
    "tiny-articles": tiny_articles,
    "identical-sentences": identical_sentences,
    "templated-dates": templated_dates,
    "long-article": long_article,
    "no-punctuation": no_punctuation,
}


def write_records(path: Path, records: Iterable[dict[str, str]]) -> int:
    """Write ``records`` to ``path`` as JSONL (one article a line); return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_case(name: str, directory: Path) -> Path:
    """Write case ``name`` as ``DIRECTORY/NAME.jsonl`` and return its path."""
    path = directory / f"{name}.jsonl"
    write_records(path, CASES[name]())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        print(write_case(name, args.directory))


if __name__ == "__main__":
    main()
