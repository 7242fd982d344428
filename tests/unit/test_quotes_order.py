"""RuleQuoteExtractor gives the same quotes whatever the order of the articles or the hash seed,
and reads long quotes and run-on sentences whole."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.digest.quotes import RuleQuoteExtractor
from storyline.ingest.files import FileIngestor
from storyline.model import Article
from tests.builders import make_article

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge" / "txt"

SAME_WORDS = [
    "“We will rebuild the pier before summer,” Mayor Ana Lind said.",
    "“We will rebuild the pier before summer,” Lind said on Monday.",
    "“We will rebuild the pier before summer,” a spokesman said.",
    "Mrs Lind said: “We will rebuild the pier before the summer.”",
    "Mr Lind said the council would rebuild the pier before summer.",
    "“We will rebuild the pier before summer,” Ravi Khan said.",
]


def example_articles() -> list[Article]:
    articles = list(FileIngestor().ingest([EXAMPLE]).articles)
    made = [make_article(text, id=f"s{n}") for n, text in enumerate(SAME_WORDS)]
    return articles + made


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_articles_give_identical_quotes(seed: int) -> None:
    articles = example_articles()
    expected = RuleQuoteExtractor().extract(articles)
    shuffled = list(articles)
    random.Random(seed).shuffle(shuffled)
    assert RuleQuoteExtractor().extract(shuffled) == expected
    assert RuleQuoteExtractor().extract(list(reversed(articles))) == expected


def test_quotes_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "import sys; sys.path[:0] = sys.argv[1:]\n"
        "from tests.unit.test_quotes_order import example_articles\n"
        "from storyline.digest.quotes import RuleQuoteExtractor\n"
        "print(repr(RuleQuoteExtractor().extract(example_articles())))\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    outputs = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        paths = [p for p in sys.path if p] + [root]
        done = subprocess.run(
            [sys.executable, "-c", script, *paths],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
            cwd=root,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_long_quotes_and_run_on_sentences_are_read_whole() -> None:
    """A 20,000-word quote comes out whole, and a run-on text yields no quote.

    How long this takes is measured by bench/bench_scale.py (the long-article and
    no-punctuation inputs), not asserted here.
    """
    words = "the union will close the pier and repairs cost more than expected".split()
    rng = random.Random(7)
    run_on = " ".join(rng.choice(words) for _ in range(30_000))
    said = " ".join(f"{rng.choice(words)} said {rng.choice(words)}" for _ in range(3_000))
    long_quote = "“" + " ".join(rng.choice(words) for _ in range(20_000)) + "” he said."
    articles = [
        make_article(run_on, id="r"),
        make_article(said, id="s"),
        make_article(long_quote, id="q"),
    ]
    quotes = RuleQuoteExtractor().extract(articles)
    direct = [quote for quote in quotes if quote.kind == "direct"]
    spans = [(span.article_id, span.start, span.end) for quote in direct for span in quote.spans]
    assert spans == [("q", 1, long_quote.index("”"))]
    assert all(span.article_id != "r" for quote in quotes for span in quote.spans)
