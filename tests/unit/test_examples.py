"""Checks on the fictional example corpus in examples/harbor-bridge.

The .txt folder and the JSONL must carry the same articles, the corpus must keep its
structural promises, and every entry of the answer key (answers.json) must be found verbatim
in the articles it names, with date resolutions that follow from the publication dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_CORPUS = _EXAMPLES / "harbor-bridge"
_HEADER = re.compile(r" date (\d{4}-\d{2}-\d{2}) ")
_ATTRIBUTIONS = {"same-sentence", "pronoun", "role", "previous-sentence", "nested"}
_GRANULARITIES = {"day", "week", "month", "year"}
_KINDS = {"person", "organization", "place"}
_NUMBERS = {"two": 2, "three": 3, "four": 4}
_WEEKDAYS = {name: index for index, name in enumerate(calendar.day_name)}
_MONTHS = {name: index for index, name in enumerate(calendar.month_name) if name}


def _txt_articles() -> dict[str, tuple[str, str]]:
    articles = {}
    for path in sorted((_CORPUS / "txt").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        match = _HEADER.match(raw)
        assert match is not None, f"{path.name} lacks the ' date YYYY-MM-DD ' header"
        articles[path.stem] = (match.group(1), raw[match.end() :])
    return articles


def _jsonl_records() -> list[dict[str, str]]:
    lines = (_EXAMPLES / "harbor-bridge.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _answers() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_CORPUS / "answers.json").read_text(encoding="utf-8"))
    return loaded


def _texts() -> dict[str, str]:
    return {article_id: text for article_id, (_, text) in _txt_articles().items()}


def _quote_spans(text: str) -> Iterator[str]:
    """Every span inside double quotes (curly or straight) or curly single quotes."""
    for pattern in (r"“([^”]*)”", r'"([^"]*)"', r"‘([^’]*)’"):
        for match in re.finditer(pattern, text):
            yield match.group(1).rstrip(",.")


def _quote_pieces(entry: Mapping[str, Any]) -> list[str]:
    parts: list[str] = entry.get("parts", [entry["text"]])
    return parts


def test_jsonl_and_txt_folder_hold_the_same_articles() -> None:
    txt = _txt_articles()
    records = _jsonl_records()
    assert [record["id"] for record in records] == sorted(txt)
    for record in records:
        date, text = txt[record["id"]]
        assert record["date"] == date
        assert record["text"] == text
        assert set(record) == {"id", "source", "url", "title", "date", "text"}
        assert record["url"].startswith("https://")
        assert record["title"]


def test_build_script_reproduces_the_jsonl() -> None:
    completed = subprocess.run(
        [sys.executable, str(_EXAMPLES / "build_jsonl.py"), str(_CORPUS), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_corpus_keeps_its_structural_promises() -> None:
    records = _jsonl_records()
    assert len(records) >= 12
    assert len({record["source"] for record in records}) >= 6
    assert len({record["date"] for record in records}) >= 3


@pytest.mark.parametrize("article_id", sorted(_txt_articles()))
def test_txt_file_follows_the_seed_format(article_id: str) -> None:
    raw = (_CORPUS / "txt" / f"{article_id}.txt").read_text(encoding="utf-8")
    _, text = _txt_articles()[article_id]
    assert not raw.endswith("\n")
    assert "\n\n\n" not in text
    paragraphs = text.split("\n\n")
    assert all(paragraph and paragraph == paragraph.strip() for paragraph in paragraphs)
    assert all("\n" not in paragraph for paragraph in paragraphs)
    assert 150 <= len(text.split()) <= 450


def test_quote_texts_occur_verbatim_in_their_articles() -> None:
    texts = _texts()
    for entry in _answers()["quotes"]:
        assert entry["text"] == " ".join(_quote_pieces(entry))
        assert sorted(entry["articles"]) == sorted(entry["attribution"])
        assert set(entry["attribution"].values()) <= _ATTRIBUTIONS
        for article_id in entry["articles"]:
            for piece in _quote_pieces(entry):
                assert piece in texts[article_id], (article_id, piece)


def test_answer_key_lists_every_quoted_span_and_nothing_else() -> None:
    texts = _texts()
    expected: dict[str, list[str]] = {article_id: [] for article_id in texts}
    for entry in _answers()["quotes"]:
        for article_id in entry["articles"]:
            expected[article_id].extend(_quote_pieces(entry))
    for article_id, text in texts.items():
        assert sorted(_quote_spans(text)) == sorted(expected[article_id]), article_id


def test_indirect_quotes_and_disagreement_evidence_occur_verbatim() -> None:
    texts = _texts()
    answers = _answers()
    for entry in answers["indirect_quotes"]:
        for article_id in entry["articles"]:
            assert entry["text"] in texts[article_id], (article_id, entry["text"])
    disagreement = answers["disagreement"]
    assert not set(disagreement["asserted_by"]) & set(disagreement["denied_by"])
    sides = {"asserts": set(disagreement["asserted_by"])}
    sides["denies"] = sides["disputes"] = set(disagreement["denied_by"])
    for evidence in disagreement["evidence"]:
        assert evidence["text"] in texts[evidence["article"]]
        assert evidence["article"] in sides[evidence["stance"]]


def test_syndicated_copies_repeat_the_canonical_text() -> None:
    txt = _txt_articles()
    syndicated = _answers()["syndicated"]
    canonical_date, canonical_text = txt[syndicated["canonical"]]
    paragraphs = canonical_text.split("\n\n")

    def shared(article_id: str) -> float:
        other = set(txt[article_id][1].split("\n\n"))
        return sum(paragraph in other for paragraph in paragraphs) / len(paragraphs)

    for copy in syndicated["copies"]:
        assert txt[copy][0] >= canonical_date
        assert shared(copy) >= 0.8
    others = set(txt) - {syndicated["canonical"], *syndicated["copies"]}
    assert all(shared(article_id) < 0.2 for article_id in others)


def _span(value: str) -> tuple[dt.date, dt.date, str]:
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        start = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        return start, start + dt.timedelta(days=6), "week"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        day = dt.date.fromisoformat(value)
        return day, day, "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = int(value[:4]), int(value[5:])
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    assert re.fullmatch(r"\d{4}", value), value
    return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31), "year"


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month_after(day: dt.date) -> str:
    return f"{day.year + day.month // 12}-{day.month % 12 + 1:02d}"


def _expected_resolution(text: str, published: dt.date, *, future: bool) -> str:
    """An independent reading of the corpus's date wordings, anchored at publication."""
    lowered = text.lower().replace("’", "'")
    full = re.search(r"(\w+) (\d{1,2})\b(?:, (\d{4}))?", text)
    if full and full.group(1) in _MONTHS:
        full_year = int(full.group(3) or published.year)
        return dt.date(full_year, _MONTHS[full.group(1)], int(full.group(2))).isoformat()
    month_year = re.search(r"(\w+) (\d{4})", text)
    if month_year and month_year.group(1) in _MONTHS:
        return f"{month_year.group(2)}-{_MONTHS[month_year.group(1)]:02d}"
    if bare_year := re.search(r"\b(1[89]\d{2}|20\d{2})\b", text):
        return bare_year.group(1)
    relative_days = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "this morning": 0}
    if lowered in relative_days:
        return (published + dt.timedelta(days=relative_days[lowered])).isoformat()
    if ago := re.fullmatch(r"(\w+) days ago", lowered):
        return (published - dt.timedelta(days=_NUMBERS[ago.group(1)])).isoformat()
    weeks = {"last week": -7, "this week": 0, "all week": 0, "next week": 7}
    if lowered in weeks:
        return _iso_week(published + dt.timedelta(days=weeks[lowered]))
    if lowered == "next month":
        return _month_after(published)
    if lowered == "last year":
        return str(published.year - 1)
    for name, weekday in _WEEKDAYS.items():
        if name in text:
            back = (published.weekday() - weekday) % 7
            ahead = (weekday - published.weekday()) % 7 or 7
            return (published + dt.timedelta(days=ahead if future else -back)).isoformat()
    for name, month in _MONTHS.items():
        if name in text:
            shift = month < published.month if future else -(month > published.month)
            return f"{published.year + shift}-{month:02d}"
    raise AssertionError(f"no reading for {text!r}")


def test_dates_occur_verbatim_and_resolve_from_publication_date() -> None:
    txt = _txt_articles()
    entries = _answers()["dates"]
    assert len(entries) >= 20
    for entry in entries:
        published, text = txt[entry["article"]]
        assert entry["published"] == published
        assert entry["text"] in text, entry
        assert entry["granularity"] in _GRANULARITIES
        start, end, granularity = _span(entry["resolves_to"])
        assert (entry["start"], entry["end"], entry["granularity"]) == (
            start.isoformat(),
            end.isoformat(),
            granularity,
        )
        future = "future" in entry.get("note", "")
        expected = _expected_resolution(
            entry["text"], dt.date.fromisoformat(published), future=future
        )
        assert entry["resolves_to"] == expected, entry


def test_entities_and_aliases_occur_in_the_corpus() -> None:
    corpus = "\n".join(_texts().values())
    names: set[str] = set()
    for entity in _answers()["entities"]:
        assert entity["kind"] in _KINDS
        for name in (entity["name"], *entity["aliases"]):
            assert name in corpus, name
            assert name not in names, f"{name} is listed for two entities"
            names.add(name)


def test_paraphrase_groups_occur_verbatim_across_outlets() -> None:
    texts = _texts()
    sources = {record["id"]: record["source"] for record in _jsonl_records()}
    for group in _answers()["facts"]:
        outlets = set()
        for sentence in group["sentences"]:
            for article_id in sentence["articles"]:
                assert sentence["text"] in texts[article_id], (article_id, sentence["text"])
                outlets.add(sources[article_id])
        assert len(group["sentences"]) >= 3
        assert len(outlets) >= 3, group["fact"]
