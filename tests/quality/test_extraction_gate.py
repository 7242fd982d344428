"""Quality gate: web-page extraction on fundus_en may not fall below pinned floors.

The floors are the scores of :func:`storyline.ingest.html.read_page` when it landed (body
shingle F1 0.959, title 0.823, date 0.962, authors F1 0.908 over the 79 pages, with trafilatura
2.3.1; trafilatura's defaults score 0.953 / 0.671 / 0.962 / 0.888), rounded down; a floor may
only be raised. The run takes about 5 s of CPU. The pages are read from ../shared (never
copied into the project); without them the gate is skipped with the reason shown.
"""

from __future__ import annotations

import pytest

from storyline.evaluate.extraction import score_extraction
from tests.builders import shared_path

FUNDUS = shared_path("benchmarks", "html", "fundus_en", "gold.jsonl")

FLOORS = {"body_f1": 0.950, "title": 0.810, "date": 0.950, "authors_f1": 0.900}


@pytest.mark.skipif(not FUNDUS.is_file(), reason=f"benchmark not found at {FUNDUS}")
def test_fundus_extraction_stays_above_its_floors() -> None:
    scores = score_extraction(FUNDUS)
    assert scores.articles == scores.pages == 79
    measured = {
        "body_f1": scores.f1,
        "title": scores.title_accuracy,
        "date": scores.date_accuracy,
        "authors_f1": scores.authors_f1,
    }
    for name, floor in FLOORS.items():
        assert measured[name] >= floor, f"{name} {measured[name]:.3f} < {floor}"
