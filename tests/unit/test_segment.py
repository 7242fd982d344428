"""Tests of storyline.text.sentences: the hand-written gold set, the rules one by one, the API."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.model import Article, Sentence
from storyline.text import sentences as sentences_module
from storyline.text.sentences import RuleSegmenter, Segmenter, segment

# Compiled (storyline.native), the constructor checks its annotations: an option of the wrong
# type is a TypeError there, a ConfigError from the Python module (the TOML configuration
# checks its types before, so a user of the command line sees a configuration error either way).
WRONG_TYPE = TypeError if not str(sentences_module.__file__).endswith(".py") else ConfigError

REPO = Path(__file__).resolve().parents[2]
GOLD_PATH = REPO / "tests" / "data" / "segment_gold.jsonl"
SHARED = Path(os.environ.get("STORYLINE_SHARED") or REPO.parent / "shared")

# Paragraphs of the gold set that RuleSegmenter gets wrong, and why.
KNOWN_FAILURES = {
    "g014": "'U.S.' ends a sentence before 'Officials', which is not a closed-class starter",
    "g074": "'E.U.' ends a sentence before the place name 'Brussels'",
}


def sentences(text: str, segmenter: Segmenter | None = None) -> list[str]:
    spans = (segmenter or RuleSegmenter()).split(text)
    return [text[start:end] for start, end in spans]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldParagraph:
    id: str
    tags: frozenset[str]
    text: str
    sentences: list[str]


def load_gold() -> list[GoldParagraph]:
    with GOLD_PATH.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [
        GoldParagraph(
            id=row["id"], tags=frozenset(row["tags"]), text=row["text"], sentences=row["sentences"]
        )
        for row in rows
    ]


GOLD = load_gold()


def gold_params() -> list[object]:
    return [
        pytest.param(
            row.text,
            row.sentences,
            id=row.id,
            marks=[pytest.mark.xfail(reason=KNOWN_FAILURES[row.id], strict=True)]
            if row.id in KNOWN_FAILURES
            else [],
        )
        for row in GOLD
    ]


@pytest.mark.parametrize(("text", "expected"), gold_params())
def test_gold_paragraph_is_split_exactly(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_gold_set_is_large_and_covers_every_case() -> None:
    assert len(GOLD) >= 40
    tags = {tag for row in GOLD for tag in row.tags}
    assert {
        "titles",
        "suffixes",
        "abbreviations",
        "months",
        "numero",
        "acronyms",
        "clock",
        "initials",
        "numbers",
        "ellipsis",
        "questions",
        "exclamation",
        "quotes",
        "single",
        "urls",
        "emails",
        "bullets",
        "headline",
        "newlines",
        "multinews",
        "timeline17",
        "parentheses",
    } <= tags


@pytest.mark.parametrize("row", GOLD, ids=[row.id for row in GOLD])
def test_gold_sentences_tile_their_paragraph(row: GoldParagraph) -> None:
    cursor = 0
    for sentence in row.sentences:
        assert sentence
        assert sentence == sentence.strip()
        start = row.text.index(sentence, cursor)
        assert not row.text[cursor:start].strip()
        cursor = start + len(sentence)
    assert not row.text[cursor:].strip()


def test_known_failures_are_gold_paragraphs() -> None:
    assert set(KNOWN_FAILURES) <= {row.id for row in GOLD}


# --- the rules, one by one -------------------------------------------------

RULE_CASES: dict[str, list[tuple[str, list[str]]]] = {
    "quotations": [
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("“We need cooperation”, he said.", ["“We need cooperation”, he said."]),
        ('"Go," he said.', ['"Go," he said.']),
        ("‘Stop,’ she said. ‘Now.’", ["‘Stop,’ she said.", "‘Now.’"]),
        ("“We won. They lost,” he said.", ["“We won. They lost,” he said."]),
        ("“Why? Who knows?” Smith asked.", ["“Why? Who knows?” Smith asked."]),
        ('"Fire him!" He said it twice.', ['"Fire him!"', "He said it twice."]),
        ("“Go home. Now.” Then he left.", ["“Go home.", "Now.”", "Then he left."]),
        ('It was 5\'10" tall. "Yes," he said.', ["It was 5'10\" tall.", '"Yes," he said.']),
    ],
    "abbreviations": [
        ("Mr. Smith met Dr. Jones.", ["Mr. Smith met Dr. Jones."]),
        ("He works at Acme Corp. The firm is big.", ["He works at Acme Corp.", "The firm is big."]),
        (
            "He works at Acme Corp. Chief Tom Lee agreed.",
            ["He works at Acme Corp. Chief Tom Lee agreed."],
        ),
        (
            "Roe v. Wade stands. Cats, dogs, etc. are pets.",
            ["Roe v. Wade stands.", "Cats, dogs, etc. are pets."],
        ),
        ("Use e.g. Python. It is fine.", ["Use e.g. Python.", "It is fine."]),
        ("It opened on Sept. 5. It closed.", ["It opened on Sept. 5.", "It closed."]),
        (
            "He wears No. 9. He said no. Then he left.",
            ["He wears No. 9.", "He said no.", "Then he left."],
        ),
        ("See ref. 20 for details.", ["See ref. 20 for details."]),
    ],
    "acronyms, clock times, initials, states": [
        ("The U.S. Army left. It was late.", ["The U.S. Army left.", "It was late."]),
        ("They left the U.S. The war ended.", ["They left the U.S.", "The war ended."]),
        ("It ends at 5 p.m. Monday.", ["It ends at 5 p.m. Monday."]),
        (
            "It ended at 5 p.m. The next day was calm.",
            ["It ended at 5 p.m.", "The next day was calm."],
        ),
        ("It ended at 5 p.m. Police left.", ["It ended at 5 p.m.", "Police left."]),
        ("It starts at 9 a.m. EDT today.", ["It starts at 9 a.m. EDT today."]),
        (
            "George W. Bush and J.K. Rowling met V. Putin.",
            ["George W. Bush and J.K. Rowling met V. Putin."],
        ),
        ("J.P. Morgan rose.", ["J.P. Morgan rose."]),
        ("She flew to then-U.S. Rep. Gary Mills.", ["She flew to then-U.S. Rep. Gary Mills."]),
        (
            "It snowed in Menasha, Wis. Police said so.",
            ["It snowed in Menasha, Wis.", "Police said so."],
        ),
        ("A plant in Fresno, Calif. will expand.", ["A plant in Fresno, Calif. will expand."]),
        (
            "FORT WAYNE, Ind. (AP) — A fire broke out.",
            ["FORT WAYNE, Ind. (AP) — A fire broke out."],
        ),
        (
            "It was in Winfield, W.Va. Voters agreed.",
            ["It was in Winfield, W.Va.", "Voters agreed."],
        ),
        ("The Korea/U.S. Combined Forces met.", ["The Korea/U.S. Combined Forces met."]),
        (
            "(AP Photo/J. Scott Applewhite) It rained.",
            ["(AP Photo/J. Scott Applewhite) It rained."],
        ),
        (
            "The Rev. Dr. Martin Luther King Jr. spoke.",
            ["The Rev. Dr. Martin Luther King Jr. spoke."],
        ),
    ],
    "numbers, ellipses, URLs, marks": [
        (
            "It rose 3.5 percent to $1.2 billion at 10.30.",
            ["It rose 3.5 percent to $1.2 billion at 10.30."],
        ),
        (
            "Sales hit 2.4 million in 2023. 2024 was better.",
            ["Sales hit 2.4 million in 2023.", "2024 was better."],
        ),
        (
            "It waited... and waited... Nothing came.",
            ["It waited... and waited...", "Nothing came."],
        ),
        ("It ended…. Then it rained.", ["It ended….", "Then it rained."]),
        ("Why? Because! Ok.", ["Why?", "Because!", "Ok."]),
        ("Shares of Yahoo! Inc. rose.", ["Shares of Yahoo! Inc. rose."]),
        (
            "See www.example.org. Mail info@example.com now.",
            ["See www.example.org.", "Mail info@example.com now."],
        ),
        (
            "It was the church.[12] The next one fell.",
            ["It was the church.[12]", "The next one fell."],
        ),
        ("iPhones sold. iPhone sales rose.", ["iPhones sold.", "iPhone sales rose."]),
        ("He left. — Reuters", ["He left. — Reuters"]),
    ],
    "line breaks and lists": [
        (
            "Headline without a stop\nThe story starts here.",
            ["Headline without a stop", "The story starts here."],
        ),
        ("One. \n \n Two.", ["One.", "Two."]),
        ("A line ends here\nand goes on.", ["A line ends here\nand goes on."]),
        (
            "A line ends here.\nand a new one starts.",
            ["A line ends here.", "and a new one starts."],
        ),
        ("A wrapped line\n\nand a paragraph.", ["A wrapped line", "and a paragraph."]),
        ("New phones\niPhone 9 on sale", ["New phones", "iPhone 9 on sale"]),
        (
            "Lines:\r\n1. First item.\r\n2. Second item.",
            ["Lines:", "1. First item.", "2. Second item."],
        ),
        ("Agenda: • budget • schools", ["Agenda:", "• budget", "• schools"]),
        (
            "It was fine , he said .\n`` No , '' she said .",
            ["It was fine , he said .", "`` No , '' she said ."],
        ),
        ("Roy Blunt -LRB- R-Mo . -RRB- spoke .", ["Roy Blunt -LRB- R-Mo . -RRB- spoke ."]),
    ],
    "lost spaces after a stop": [
        ("She left.The door shut.", ["She left.", "The door shut."]),
        ('He wrote a letter."I quit," it said.', ["He wrote a letter.", '"I quit," it said.']),
        ('She said "no."Then she left.', ['She said "no."', "Then she left."]),
        ("Visit example.com today.", ["Visit example.com today."]),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, expected, id=f"{rule}:{number}")
        for rule, cases in RULE_CASES.items()
        for number, (text, expected) in enumerate(cases)
    ],
)
def test_rule(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_soft_wraps_can_be_turned_off() -> None:
    text = "A line ends here\nand goes on."
    assert sentences(text, RuleSegmenter(join_wrapped_lines=False)) == [
        "A line ends here",
        "and goes on.",
    ]


def test_extra_abbreviations_hold_a_sentence_together() -> None:
    text = "He lives in Dist. Nine now."
    assert sentences(text) == ["He lives in Dist.", "Nine now."]
    for word in ("Dist", "Dist."):
        assert sentences(text, RuleSegmenter(abbreviations=(word,))) == [text]
    assert sentences("He lives in Dist. The end.", RuleSegmenter(abbreviations=("Dist",))) == [
        "He lives in Dist.",
        "The end.",
    ]


@pytest.mark.parametrize("bad", [("",), ("two words",), (".",)])
def test_bad_abbreviations_are_a_config_error(bad: object) -> None:
    segmenter = RuleSegmenter(abbreviations=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'abbreviations' parameter of RuleSegmenter"):
        segmenter.split("Some text.")


@pytest.mark.parametrize("bad", ["Dist", (3,)])
def test_abbreviations_of_the_wrong_type_are_an_error(bad: object) -> None:
    with pytest.raises(WRONG_TYPE):
        RuleSegmenter(abbreviations=bad).split("Some text.")  # type: ignore[arg-type]


def test_constructor_only_stores_its_options() -> None:
    segmenter = RuleSegmenter(abbreviations=("Dist",), join_wrapped_lines=False)
    assert segmenter.abbreviations == ("Dist",)
    assert segmenter.join_wrapped_lines is False
    assert segmenter == RuleSegmenter(abbreviations=("Dist",), join_wrapped_lines=False)


@pytest.mark.parametrize("text", ["", "   ", "\n \n", "\u00a0\t"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert RuleSegmenter().split(text) == ()


def test_spans_are_offsets_without_surrounding_space() -> None:
    text = "  First one.   Second one!  \n\n  Third?  "
    spans = RuleSegmenter().split(text)
    assert spans == ((2, 12), (15, 26), (32, 38))


def test_segment_builds_sentences_with_article_ids() -> None:
    article = Article(id="a1", text="Mr. Lee spoke. He left.", source="wire", origin="a1.txt")
    result = segment(article, RuleSegmenter())
    assert result == (
        Sentence(id="a1:0", article_id="a1", index=0, start=0, end=14),
        Sentence(id="a1:1", article_id="a1", index=1, start=15, end=23),
    )
    assert [sentence.text(article) for sentence in result] == ["Mr. Lee spoke.", "He left."]


def test_segment_uses_the_segmenter_it_is_given() -> None:
    class LineSegmenter:
        def split(self, text: str) -> tuple[tuple[int, int], ...]:
            return ((0, len(text)),)

    article = Article(id="x", text="One. Two.", source="s", origin="o")
    assert segment(article, LineSegmenter()) == (
        Sentence(id="x:0", article_id="x", index=0, start=0, end=9),
    )


# --- real text ------------------------------------------------------------------


def seed_texts() -> list[str]:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed articles not found at {seeds}")
    return [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]


def test_seed_paragraphs_split_where_a_reader_would() -> None:
    texts = seed_texts()
    joined = "\n\n".join(texts)
    found = sentences(joined)
    for paragraph in (
        "“There is a clear red line on our side: the use of chemical weapons by anyone”, "
        "Mr Macron said.",
        "“I will not give an inch on this”.",
    ):
        if paragraph in joined:
            assert paragraph in found
    for sentence in found:
        assert "\n\n" not in sentence


def test_multinews_documents_keep_paragraph_breaks() -> None:
    path = SHARED / "benchmarks" / "multinews" / "val250.jsonl"
    if not path.is_file():
        pytest.skip(f"Multi-News sample not found at {path}")
    segmenter = RuleSegmenter()
    with path.open(encoding="utf-8") as lines:
        docs = [doc["text"] for line in list(lines)[:40] for doc in json.loads(line)["docs"]]
    for text in docs:
        for start, end in segmenter.split(text):
            assert "\n \n" not in text[start:end]


def test_text_without_punctuation_is_cut_at_spaces_near_the_cap() -> None:
    words = ("harbour bridge strike ferry council " * 40_000).strip()
    spans = RuleSegmenter(max_chars=200).split(words)
    assert len(spans) >= len(words) // 200
    assert all(end - start <= 200 for start, end in spans)
    assert all(end - start > 100 for start, end in spans[:-1])
    # Cuts fall between words, never inside one.
    assert all(words[end] == " " for _, end in spans[:-1])
    assert all(words[start - 1] == " " for start, _ in spans[1:])


def test_one_token_longer_than_the_cap_is_cut_at_the_cap() -> None:
    assert RuleSegmenter(max_chars=10).split("x" * 25) == ((0, 10), (10, 20), (20, 25))


def test_sentences_under_the_cap_are_untouched() -> None:
    text = "The port reopened on Monday. Ships queued for a week."
    assert RuleSegmenter(max_chars=1000).split(text) == RuleSegmenter(max_chars=10**9).split(text)


@pytest.mark.parametrize("value", [0, 1, -5, True])
def test_the_cap_must_be_an_integer_of_at_least_two(value: object) -> None:
    with pytest.raises(ConfigError, match="'max_chars' parameter of RuleSegmenter"):
        RuleSegmenter(max_chars=value)  # type: ignore[arg-type]


def test_a_cap_that_is_no_integer_is_an_error() -> None:
    with pytest.raises(WRONG_TYPE):
        RuleSegmenter(max_chars=2.5)  # type: ignore[arg-type]
