"""Quality gate: the stance judge's scores on Emergent and ClaimDiff train may not fall.

The floors are the scores of :mod:`storyline.evaluate.stance` when the stance judge landed
(issue 15), 5-fold cross-validated by claim (Emergent) and by topic (ClaimDiff), each fold
judged by a model fitted on the other folds only, rounded down a little; a floor may only
be raised. Measured: Emergent stance macro-F1 0.759, contested-claim F1 0.813,
opposing-pair F1 0.606; ClaimDiff weaken F1 0.265 with the pair features of
``compare_features`` (0.234 before them; the issue's target, 0.40, is not met), 3-way
macro-F1 0.422 (0.418 before). About 10 s of CPU. The data is read from ../shared (never copied into
the project); without it the gate is skipped.
"""

from __future__ import annotations

import pytest

from storyline.evaluate.stance import evaluate_stance
from tests.builders import shared_path

STANCE = shared_path("benchmarks", "stance")


def test_emergent_scores_stay_above_their_floors() -> None:
    path = STANCE / "emergent_train.jsonl"
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    evaluation = evaluate_stance(path)
    assert evaluation.cross_validated
    model, rule = evaluation.systems
    assert model.contested is not None
    assert model.opposing_pairs is not None
    assert model.macro_f1 >= 0.75
    assert model.contested.f1 >= 0.80
    assert model.opposing_pairs.f1 >= 0.60
    assert rule.macro_f1 < model.macro_f1


def test_claimdiff_scores_stay_above_their_floors() -> None:
    path = STANCE / "claimdiff_train.jsonl"
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    evaluation = evaluate_stance(path)
    assert evaluation.cross_validated
    model = evaluation.systems[0]
    assert model.per_label_f1["weaken"] >= 0.25
    assert model.macro_f1 >= 0.41
