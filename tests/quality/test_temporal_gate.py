"""Quality gate: the temporal tagger's TempEval-3 scores may not fall below pinned floors.

The floors are the scores of :class:`~storyline.text.temporal.RuleTimeTagger` when its
TimeML values landed, measured by :func:`storyline.evaluate.temporal.score_tempeval` on the
TempEval-3 training files (TimeBank and AQUAINT, which served as development sets while the
rules were written), rounded down a little; a floor may only be raised. F1 in percent:
strict and relaxed span, value (on relaxed pairs). The run takes about 3 s. The data is read
from ../shared (never copied into the project); without it the gate is skipped.
"""

from __future__ import annotations

import pytest

from storyline.evaluate.temporal import read_tempeval, score_tempeval, timexes_of
from storyline.text.temporal import RuleTimeTagger
from tests.builders import shared_path

TEMPORAL = shared_path("benchmarks", "temporal")

# Measured: TimeBank 91.0 / 94.6 / 83.6, AQUAINT 86.1 / 94.7 / 80.2 (strict / relaxed / value;
# before: 90.5 / 94.2 / 83.2 and 85.8 / 94.4 / 79.8; before issue 14's direction, duration and
# week rules: 90.3 / 94.1 / 82.5, 85.1 / 93.6 / 77.1). AQUAINT's value floor is issue 14's
# target, 80, which the tagger clears by one timex.
FLOORS = {
    "tbaq_timebank.jsonl": {"strict": 90.5, "relaxed": 94.0, "value": 83.0},
    "tbaq_aquaint.jsonl": {"strict": 85.5, "relaxed": 94.0, "value": 80.0},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_tempeval_scores_stay_above_their_floors(name: str) -> None:
    path = TEMPORAL / name
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    tagger = RuleTimeTagger()
    result = score_tempeval(
        read_tempeval(path),
        lambda text, dct: timexes_of(tagger.tag(text, dct, article_id=name)),
    )
    for measure, floor in FLOORS[name].items():
        score = 100 * result.overall.f1(measure)
        assert score >= floor, f"{name}: {measure} F1 {score:.1f} < {floor}"
