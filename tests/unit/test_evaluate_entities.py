"""Entity scoring against CoNLL-2003 types (evaluate.entities: read_conll and typed mentions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.digest.entities import RuleEntityRecognizer
from storyline.errors import EvaluationError
from storyline.evaluate.entities import (
    evaluate_typed_mentions,
    is_conll_file,
    read_conll,
    score_typed_mentions,
)
from storyline.model import Entity, EntityKind, Mention
from tests.builders import shared_path

TEXT = "Peter Blackburn met EU officials in Brussels .\nGerman farmers protested ."


def _span(text: str) -> dict[str, object]:
    start = TEXT.index(text)
    return {"start": start, "end": start + len(text), "text": text}


def _record() -> dict[str, object]:
    return {
        "doc": "testa-000",
        "text": TEXT,
        "sentences": [[0, 46], [47, len(TEXT)]],
        "entities": [
            _span("Peter Blackburn") | {"type": "PER"},
            _span("EU") | {"type": "ORG"},
            _span("Brussels") | {"type": "LOC"},
            _span("German") | {"type": "MISC"},
        ],
    }


@pytest.fixture
def conll(tmp_path: Path) -> Path:
    path = tmp_path / "conll.jsonl"
    path.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    return path


def _entity(kind: EntityKind, *texts: str) -> Entity:
    mentions = tuple(
        Mention(article_id="testa-000", start=TEXT.index(t), end=TEXT.index(t) + len(t), text=t)
        for t in texts
    )
    return Entity(
        id=texts[0],
        name=texts[0],
        kind=kind,
        aliases=(),
        mentions=mentions,
        article_ids=("testa-000",),
    )


def test_conll_files_are_told_apart(conll: Path) -> None:
    assert is_conll_file(conll)
    assert not is_conll_file(Path("tests/data/entities_labelled.jsonl"))
    (story,) = read_conll(conll)
    assert [m.kind for m in story.mentions] == ["PER", "ORG", "LOC", "MISC"]


def test_a_span_that_is_not_its_text_is_an_evaluation_error(tmp_path: Path) -> None:
    record = _record()
    record["entities"] = [{"start": 0, "end": 5, "text": "Blackburn", "type": "PER"}]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:1"):
        read_conll(path)


def test_typed_untyped_and_misc_left_out(conll: Path) -> None:
    stories = read_conll(conll)
    predictions = {
        "testa-000": (
            _entity("person", "Peter Blackburn"),
            _entity("place", "EU"),  # right span, wrong type
            _entity("place", "Brussels"),
            _entity("place", "German farmers"),  # overlaps a MISC mention: left out
            _entity("other", "officials"),  # no CoNLL counterpart: left out
        )
    }
    scores = score_typed_mentions(stories, predictions)
    assert scores.gold == 3
    assert scores.predicted == 3
    assert scores.untyped.f1 == 1.0
    assert scores.typed.precision == pytest.approx(2 / 3)
    by_type = dict(scores.by_type)
    assert by_type["PER"].f1 == 1.0
    assert by_type["ORG"].recall == 0.0
    assert by_type["LOC"].precision == 0.5


def test_the_rule_recognizer_runs_per_document_or_once(conll: Path) -> None:
    stories = read_conll(conll)
    each = evaluate_typed_mentions(stories, RuleEntityRecognizer())
    once = evaluate_typed_mentions(stories, RuleEntityRecognizer(), one_story=True)
    assert each.stories == once.stories == 1
    assert dict(each.by_type)["PER"].recall == 1.0
    assert each.typed == once.typed


CONLL_DEV = shared_path("benchmarks", "ner", "conll2003_dev.jsonl")


@pytest.mark.skipif(not CONLL_DEV.is_file(), reason=f"benchmark missing: {CONLL_DEV}")
def test_conll_dev_reads_whole() -> None:
    stories = read_conll(CONLL_DEV)
    assert len(stories) == 216
    assert sum(len(s.mentions) for s in stories) == 5942
