"""A deterministic synthetic news stream of N articles, remixed from real stories.

Input -> output: the real stories of ``../shared/benchmarks/`` (or ``$STORYLINE_SHARED``):
the 250 Multi-News val250 clusters and the 9 Timeline17 topics -> N articles as JSON Lines
(``id``, ``title``, ``text``, ``date``, ``source``, ``url``: the input format ``storyline
ingest`` reads), in publication order, written to ``--output`` (never into the repository).

Method (``random.Random(seed)`` only, no hash of a string, so the same N and seed give the
same bytes):

- the stream has a constant rate, ``--per-day`` articles a day (150 by default: 10,000
  articles cover 67 days, 100,000 about two years), so that a store grows as it would over
  time and the window of open stories holds about as many articles at any size;
- stories are drawn until they hold N articles: 25% are one-off articles, the others have
  2 + a Pareto(1.1) number of articles capped at 400 (a few to a few hundred; median 4), over
  1 day to 6 weeks (longer for larger stories), front-loaded (most reports come early), each
  starting on a uniform day of the stream's span, so many stories overlap in time;
- each synthetic story takes one real story (a Timeline17 topic for stories of more than 20
  articles, whose sentences would otherwise repeat, a Multi-News cluster otherwise) and
  renames its names: every word that the real story capitalises mid-sentence and never
  writes in lower case becomes an invented word (syllables), the same within the synthetic
  story, so that the ~26 synthetic stories made from one real story are told about other
  people and places;
- each article takes the sentence count of one of the real story's documents (capped at 60)
  and samples that many sentences of the real story without replacement, kept in their
  original order; its title is another sampled sentence cut at 14 words. Timeline17's
  PTB-tokenised text is detokenised (``-LRB-`` -> ``(``, `` 's`` -> ``'s``);
- outlets are 300 invented names (syllables plus "Times", "Post", ...), drawn with Zipf
  weights; ids are ``N-<seed>-<number>`` in publication order; URLs are
  ``https://<outlet>.example/<date>/<id>``.

Usage: ``python bench/make_stream.py N --output FILE.jsonl [--seed S] [--per-day R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START = dt.date(2024, 1, 1)
_SYLLABLES = (
    "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro "
    "sa se si so ta te ti to va ve vi vo za ze zi zo dra kel mor tan vel quin"
).split()
_OUTLET_KINDS = ("Times", "Post", "Herald", "Daily", "News", "Courier", "Gazette", "Wire")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z])")
_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_PTB = (
    (re.compile(r"-LRB-"), "("),
    (re.compile(r"-RRB-"), ")"),
    (re.compile(r"-L[SC]B-"), "["),
    (re.compile(r"-R[SC]B-"), "]"),
    (re.compile(r"``\s*|''"), '"'),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"\s+([.,;:!?)\]%]|'s|'re|'ve|'ll|'d|'m|n't)"), r"\1"),
)
_MAX_SENTENCES = 60
_TITLE_WORDS = 14
_BIG_STORY = 20


def shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


@dataclass(frozen=True, slots=True)
class _Source:
    """One real story: its sentences, its documents' sentence counts, its names."""

    name: str
    sentences: tuple[str, ...]
    lengths: tuple[int, ...]
    names: tuple[str, ...]


def _detokenised(text: str) -> str:
    for pattern, replacement in _PTB:
        text = pattern.sub(replacement, text)
    return text


def _split(text: str, *, tokenised: bool) -> list[str]:
    if tokenised:  # Timeline17: one sentence a line
        lines = (_detokenised(line.strip()) for line in text.splitlines())
    else:
        lines = (part.strip() for part in _SENTENCE_SPLIT.split(" ".join(text.split())))
    return [line for line in lines if len(line.split()) >= 4]


def _source(name: str, docs: Sequence[dict[str, object]], *, tokenised: bool) -> _Source | None:
    sentences: list[str] = []
    lengths: list[int] = []
    for doc in docs:
        split = _split(str(doc["text"]), tokenised=tokenised)
        if split:
            sentences += split
            lengths.append(min(len(split), _MAX_SENTENCES))
    if len(sentences) < 3:
        return None
    lower: set[str] = set()
    capitalised: set[str] = set()
    for sentence in sentences:
        words = _WORD.findall(sentence)
        lower.update(word for word in words if word.islower())
        capitalised.update(word for word in words[1:] if _CAPITALISED.fullmatch(word))
    names = sorted(word for word in capitalised if word.lower() not in lower)
    return _Source(name, tuple(dict.fromkeys(sentences)), tuple(lengths), tuple(names))


def load_sources(root: Path) -> tuple[list[_Source], list[_Source]]:
    """The Multi-News clusters and the Timeline17 topics (missing files: FileNotFoundError)."""
    small: list[_Source] = []
    large: list[_Source] = []
    for relative, target, tokenised in (
        ("multinews/val250.jsonl", small, False),
        ("t17/t17_topics.jsonl", large, True),
    ):
        with (root / "benchmarks" / relative).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                found = _source(str(record["id"]), record["docs"], tokenised=tokenised)
                if found is not None:
                    target.append(found)
    return small, large


def _invented(generator: random.Random, syllables: int) -> str:
    return "".join(generator.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _outlets(generator: random.Random, count: int = 300) -> list[str]:
    """``count`` distinct outlet names."""
    outlets: dict[str, None] = {}
    while len(outlets) < count:
        word = _invented(generator, generator.randint(2, 3))
        outlets[f"The {word} {generator.choice(_OUTLET_KINDS)}"] = None
    return list(outlets)


def _story_size(generator: random.Random) -> int:
    if generator.random() < 0.25:
        return 1
    return min(400, 1 + math.ceil(generator.paretovariate(1.1)))


def articles(count: int, *, seed: int = 1, per_day: int = 150) -> Iterator[dict[str, str]]:
    """The stream's ``count`` articles in publication order (see the module docstring)."""
    small, large = load_sources(shared_root())
    generator = random.Random(seed)
    outlets = _outlets(generator)
    weights = [1.0 / (rank + 1) for rank in range(len(outlets))]
    span = max(1, math.ceil(count / per_day))
    drafts: list[tuple[int, int, int, str, str, str]] = []
    story = 0
    while len(drafts) < count:
        size = min(_story_size(generator), count - len(drafts))
        real = generator.choice(large if size > _BIG_STORY else small)
        renamed = {name: _invented(generator, generator.randint(2, 4)) for name in real.names}
        duration = max(1, min(42, round(size**0.6 * generator.uniform(0.5, 2.0))))
        start = generator.randrange(max(1, span - duration + 1))
        for number in range(size):
            day = start + int(duration * generator.random() ** 2)
            length = generator.choice(real.lengths)
            picked = sorted(generator.sample(range(len(real.sentences)), length))
            title_words = real.sentences[generator.randrange(len(real.sentences))].split()
            title = " ".join(title_words[:_TITLE_WORDS]).rstrip(".,;:")
            text = " ".join(real.sentences[i] for i in picked)
            chosen = generator.choices(range(len(outlets)), weights)[0]
            drafts.append(
                (
                    day,
                    story,
                    number,
                    _rename(title, renamed),
                    _rename(text, renamed),
                    outlets[chosen],
                )
            )
        story += 1
    drafts.sort(key=lambda draft: draft[:3])
    for number, (day, _, _, title, text, outlet) in enumerate(drafts):
        article_id = f"N-{seed}-{number:07d}"
        date = (START + dt.timedelta(days=day)).isoformat()
        host = outlet.lower().replace("the ", "").replace(" ", "-")
        yield {
            "id": article_id,
            "title": title,
            "text": text,
            "date": date,
            "source": outlet,
            "url": f"https://{host}.example/{date}/{article_id}",
        }


def _rename(text: str, renamed: dict[str, str]) -> str:
    if not renamed:
        return text
    return _CAPITALISED.sub(lambda match: renamed.get(match.group(0), match.group(0)), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N", help="articles in the stream")
    parser.add_argument("--output", type=Path, required=True, metavar="FILE.jsonl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=150, help="articles a day (rate)")
    args = parser.parse_args()
    if args.count < 1 or args.per_day < 1:
        parser.error("N and --per-day must be positive")
    try:
        stream = list(articles(args.count, seed=args.seed, per_day=args.per_day))
    except FileNotFoundError as error:
        print(f"make_stream: shared benchmark data missing: {error.filename}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as handle:
        for article in stream:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    print(f"{len(stream)} articles written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
