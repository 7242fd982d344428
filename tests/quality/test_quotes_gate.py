"""Quality gate: quotes on PolNeAR dev and entities on CoNLL-2003 dev may not fall below
pinned floors.

PolNeAR dev (84 articles, ``storyline eval quotes``; '' read as a quotation mark), as
measured when the rules of issue 13 landed: direct quotes lenient F1 0.891, speaker
accuracy on named sources 0.926, reported speech P 0.959 R 0.235; after the attribution
cues beyond speech verbs (issue 13, reported speech): direct F1 0.906, speaker accuracy
0.930, reported speech P 0.901 R 0.400. The reported-speech precision floor was lowered
from 0.95 to 0.895 on purpose: issue 13 trades it for recall (target R >= 0.40 at P >= 0.80);
the recall floor is the target itself. After the recall rules of issue 13 point 1 (message
verbs, "called on X to", clause boundaries, subjects of participles): direct F1 0.906, speaker
accuracy 0.933, reported speech P 0.907 R 0.424; the reported-speech floors were raised to
0.90 and 0.42. CoNLL-2003 dev (216
documents, ``storyline eval entities``, each document a story): typed F1 0.621, untyped
0.787; 0.668 and 0.803 after the alias rules of the alias22 session; 0.690 and 0.867 once a
number after a name (a score) was no longer read as part of it; 0.696 typed once a word in a
line of capitals was no acronym; 0.767 and 0.902 with the teams of results lines and fixtures
(a number between two names ends the first) and without the section word of a wire headline;
0.775 typed once two words opening as a place's name ("South Africa") were no person by default;
0.781 and 0.909 once a headline in capitals was cut at the words the story never writes as names;
0.785 and 0.910 without lone letters and with plural names after "the" ("the Mets") as teams;
0.788 typed once a country's name was never a person ("France says"); 0.792 with a name before a
role noun ("Surrey captain") read as an organisation; 0.800 and 0.920 once a word opening a
label line ("Attendance : 2,000") was no name; 0.804 with news agencies ("told Reuters") as
organisations (ner15).
Floors are those scores
rounded down by about 0.005; a floor may only be raised.
About 6 s of CPU. The data is read from ../shared (never copied into the project);
without it the gate is skipped with the reason shown.
"""

from __future__ import annotations

import pytest

from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.evaluate.entities import evaluate_typed_mentions, read_conll
from storyline.evaluate.quotes import evaluate_attributions, read_attributions
from tests.builders import shared_path

POLNEAR_DEV = shared_path("benchmarks", "quotes", "polnear_dev.jsonl")
CONLL_DEV = shared_path("benchmarks", "ner", "conll2003_dev.jsonl")

QUOTE_FLOORS = {
    "direct_f1": 0.90,
    "speaker_accuracy": 0.925,
    "reported_precision": 0.90,
    "reported_recall": 0.42,
}
ENTITY_FLOORS = {"typed_f1": 0.799, "untyped_f1": 0.915}


def test_polnear_dev_quotes_stay_above_their_floors() -> None:
    if not POLNEAR_DEV.is_file():
        pytest.skip(f"benchmark missing: {POLNEAR_DEV}")
    scores = evaluate_attributions(read_attributions(POLNEAR_DEV), RuleQuoteExtractor()).marked
    measured = {
        "direct_f1": scores.direct.f1,
        "speaker_accuracy": scores.speaker_accuracy,
        "reported_precision": scores.indirect.precision,
        "reported_recall": scores.indirect.recall,
    }
    for name, floor in QUOTE_FLOORS.items():
        assert measured[name] >= floor, f"PolNeAR dev {name} {measured[name]:.4f} < {floor}"


def test_conll_dev_entities_stay_above_their_floors() -> None:
    if not CONLL_DEV.is_file():
        pytest.skip(f"benchmark missing: {CONLL_DEV}")
    scores = evaluate_typed_mentions(
        read_conll(CONLL_DEV), RuleEntityRecognizer(), quote_extractor=RuleQuoteExtractor()
    )
    measured = {"typed_f1": scores.typed.f1, "untyped_f1": scores.untyped.f1}
    for name, floor in ENTITY_FLOORS.items():
        assert measured[name] >= floor, f"CoNLL dev {name} {measured[name]:.4f} < {floor}"
