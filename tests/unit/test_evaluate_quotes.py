"""Quote scoring against an attribution corpus in PolNeAR's format (evaluate.quotes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.digest.quotes import RuleQuoteExtractor
from storyline.errors import EvaluationError
from storyline.evaluate.quotes import (
    evaluate_attributions,
    is_attribution_file,
    marked_kind,
    match_spans,
    read_attributions,
    score_attributions,
)
from storyline.model import Quote, QuoteSpan
from tests.builders import shared_path

TEXT = (
    "“We will not raise taxes,” Senator Ana Lind said, “not this year.”\n\n"
    "Lind said the budget was balanced.\n\n"
    "Tom Reyes called the plan “a fantasy for the rich.”"
)


def _fragments(*pieces: str) -> list[list[int]]:
    spans = []
    for piece in pieces:
        start = TEXT.index(piece)
        spans.append([start, start + len(piece)])
    return spans


def _record() -> dict[str, object]:
    return {
        "doc": "d1",
        "publisher": "paper",
        "date": "2016-09-12",
        "text": TEXT,
        "quotes": [
            {
                "fragments": _fragments("“We will not raise taxes,”", "“not this year.”"),
                "kind": "direct",
                "speaker": "Senator Ana Lind",
                "cue": "said",
            },
            {
                "fragments": _fragments("the budget was balanced"),
                "kind": "indirect",
                "speaker": "Lind",
                "cue": "said",
            },
            {
                "fragments": _fragments("the plan “a fantasy for the rich.”"),
                "kind": "mixed",
                "speaker": "he",
                "cue": "called",
            },
        ],
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "polnear.jsonl"
    path.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    return path


def _quote(kind: str, speaker: str | None, *pieces: str) -> Quote:
    spans = []
    for piece in pieces:
        start = TEXT.index(piece)
        spans.append(QuoteSpan(article_id="d1", start=start, end=start + len(piece)))
    return Quote(
        speaker=speaker,
        text=" … ".join(pieces),
        kind=kind,  # type: ignore[arg-type]
        spans=tuple(spans),
        attribution="same-sentence",
    )


def test_attribution_files_are_told_from_the_projects_own(corpus: Path) -> None:
    assert is_attribution_file(corpus)
    assert not is_attribution_file(Path("tests/data/quotes_labelled.jsonl"))
    (article,) = read_attributions(corpus)
    assert article.article.id == "d1"
    assert [a.kind for a in article.attributions] == ["direct", "indirect", "mixed"]


def test_a_bad_line_is_an_evaluation_error(tmp_path: Path) -> None:
    record = _record()
    record["quotes"] = [{"fragments": [[0, 10_000]], "kind": "direct"}]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:1"):
        read_attributions(path)


def test_lenient_strict_pieces_and_speakers(corpus: Path) -> None:
    articles = read_attributions(corpus)
    quotes = (
        _quote("direct", "Ana Lind", "We will not raise taxes", "not this year."),
        _quote("direct", "Lind", "a fantasy for the rich."),  # the mixed one: lenient only
        _quote("direct", None, "Senator Ana Lind said"),  # no gold
        _quote("indirect", "Ana Lind", "the budget was balanced"),
    )
    scores = score_attributions(articles, {"d1": quotes})
    assert scores.direct.precision == pytest.approx(2 / 3)
    assert scores.direct.recall == 1.0
    assert scores.direct_strict.recall == 0.5  # the split quote, pieces trimmed alike
    # each piece a prediction: the split quote's second piece has no gold of its own
    assert scores.direct_pieces.precision == pytest.approx(2 / 4)
    # the mixed quote's source is "he", not a name: one named source, right
    assert scores.named == 1
    assert scores.speaker_accuracy == 1.0
    assert scores.indirect.precision == scores.indirect.recall == 1.0
    assert scores.indirect_strict.f1 == 1.0


def test_reported_speech_holding_quoted_words_is_partly_quoted(corpus: Path) -> None:
    articles = read_attributions(corpus)
    mixed = _quote("indirect", "Tom Reyes", "the plan “a fantasy for the rich.”")
    scores = score_attributions(articles, {"d1": (mixed,)})
    assert scores.predicted_direct == 1
    assert scores.predicted_indirect == 0
    assert scores.direct.precision == 1.0
    assert scores.direct_strict.recall == 0.5


def test_a_speaker_is_right_by_surname(corpus: Path) -> None:
    articles = read_attributions(corpus)
    right = _quote("direct", "Lind campaign", "We will not raise taxes", "not this year.")
    scores = score_attributions(articles, {"d1": (right,)})
    assert scores.speaker_accuracy == 1.0
    assert scores.speaker_accuracy_strict == 0.0  # the surname is not the last word
    wrong = _quote("direct", None, "We will not raise taxes", "not this year.")
    assert score_attributions(articles, {"d1": (wrong,)}).speaker_accuracy == 0.0


def test_matching_is_one_to_one_by_overlap() -> None:
    gold = (((0, 10),), ((20, 30),))
    # half of the shorter span (5 of 10) against four fifths of it: the larger overlap wins
    assert match_spans((((5, 15),), ((2, 12),), ((22, 40),)), gold) == {0: 1, 1: 2}
    assert match_spans((((9, 20),),), gold) == {}


def test_the_rule_extractor_runs_on_each_article(corpus: Path) -> None:
    evaluation = evaluate_attributions(read_attributions(corpus), RuleQuoteExtractor())
    assert evaluation.marked.articles == evaluation.labelled.articles == 1
    assert evaluation.marked.direct.recall == 1.0


def test_two_apostrophes_are_a_quotation_mark_in_the_marked_kinds() -> None:
    text = "''We won,'' she said. He said ''a fine day'' it was. They said we lost."
    whole = (text.index("''We"), text.index(" she"))
    part = (text.index("''a fine"), text.index(" it was") + len(" it was"))
    reported = (text.index("we lost"), len(text) - 1)
    assert marked_kind(text, (whole,), "indirect") == "direct"
    assert marked_kind(text, (part,), "indirect") == "mixed"
    assert marked_kind(text, (reported,), "indirect") == "indirect"
    assert marked_kind(text, (whole,), "mixed") == "mixed"  # only ''-quotes are read again


def test_scores_follow_the_kinds_asked_for(tmp_path: Path) -> None:
    text = "''We will win the next election,'' Ana Lind said on Monday."
    quote_end = text.index(" Ana")
    record = {
        "doc": "n1",
        "text": text,
        "quotes": [{"fragments": [[0, quote_end]], "kind": "indirect", "speaker": "Ana Lind"}],
    }
    path = tmp_path / "nyt.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    articles = read_attributions(path)
    assert articles[0].attributions[0].marked_kind == "direct"
    found = Quote(
        speaker="Ana Lind",
        text=text[2 : quote_end - 3],
        kind="direct",
        spans=(QuoteSpan(article_id="n1", start=2, end=quote_end - 3),),
        attribution="same-sentence",
    )
    marked = score_attributions(articles, {"n1": (found,)})
    labelled = score_attributions(articles, {"n1": (found,)}, kinds="labelled")
    assert marked.direct.f1 == 1.0
    assert labelled.direct.precision == 0.0
    assert labelled.gold_indirect == 1


POLNEAR_DEV = shared_path("benchmarks", "quotes", "polnear_dev.jsonl")


@pytest.mark.skipif(not POLNEAR_DEV.is_file(), reason=f"benchmark missing: {POLNEAR_DEV}")
def test_polnear_dev_reads_whole() -> None:
    articles = read_attributions(POLNEAR_DEV)
    assert len(articles) == 84
    assert sum(len(a.attributions) for a in articles) == 2192
