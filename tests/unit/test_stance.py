"""The stance judge: headlines and sentences toward a claim, articles checked against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.config import load_config
from storyline.digest.stance import (
    StanceJudge,
    claim_relevance,
    compare_features,
    denial_rule,
    fit_stance_model,
    load_stance_model,
)
from storyline.errors import ConfigError
from storyline.evaluate.stance import file_digest
from storyline.ingest.files import FileIngestor
from storyline.registry import build_segmenter
from storyline.text.sentences import segment
from tests.builders import make_article, make_sentences, shared_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TXT = ROOT / "examples" / "harbor-bridge" / "txt"
CLAIM = "Inspectors warned the city about corrosion in the Gull Island Bridge's cables"


@pytest.fixture(scope="module")
def judge() -> StanceJudge:
    return StanceJudge()


def test_a_denial_a_hedged_report_and_a_plain_statement(judge: StanceJudge) -> None:
    claim = "The mayor closed the harbour bridge"
    denial = judge.judge(claim, "City hall denies that the mayor closed the harbour bridge")
    report = judge.judge(claim, "Mayor allegedly closed the harbour bridge, reports claim")
    plain = judge.judge(claim, "Mayor closes harbour bridge after cable snaps")
    assert (denial.stance, denial.cue) == ("denies", "denies")
    assert report.stance == "reports"
    assert report.cue == "allegedly"
    assert plain.stance == "asserts"
    assert not plain.attributed


def test_a_source_s_assertion_is_marked_as_attributed(judge: StanceJudge) -> None:
    found = judge.judge(
        "The mayor closed the harbour bridge", "The mayor closed the harbour bridge, police said"
    )
    assert found.stance in ("asserts", "reports")
    assert found.cue == "said"
    assert found.attributed


def test_relevance_counts_claim_stems_and_wants_its_names() -> None:
    claim = "Russia meddled in France's presidential election"
    share, count, named = claim_relevance(
        claim, "Putin denied that Moscow meddled in France's presidential election"
    )
    assert (share, count, named) == (0.8, 4, True)
    share, _, named = claim_relevance(
        claim, "Agencies say the Kremlin meddled in the 2016 United States presidential election"
    )
    assert not named  # other names: another election
    assert claim_relevance("", "anything") == (0.0, 0, False)


def test_every_article_ends_with_a_stance_and_cited_sentences(judge: StanceJudge) -> None:
    corpus = FileIngestor(config=load_config(None).ingest).ingest([str(EXAMPLE_TXT)])
    segmenter = build_segmenter(load_config(None))
    sentences = {article.id: segment(article, segmenter) for article in corpus.articles}
    checked = judge.check(CLAIM, corpus.articles, sentences)
    stances = {article.article_id: article.stance for article in checked.articles}
    assert len(stances) == len(corpus.articles)
    assert stances["09_verrin-public-radio"] == "denies"
    assert stances["12_coastline-press"] == "denies"
    assert stances["06_civic-beat"] in ("asserts", "reports")
    assert stances["02_verrin-public-radio"] == "unrelated"
    texts = {article.id: article.text for article in corpus.articles}
    for article in checked.articles:
        for item in article.evidence:
            cited = texts[article.article_id][item.citation.start : item.citation.end]
            assert cited == item.text
    sides = {side.stance: side for side in checked.sides}
    assert sides["denies"].first_outlet == "09_verrin-public-radio"
    assert checked.tally().startswith("2 outlets deny, ")


def test_the_tally_speaks_of_one_outlet_and_of_none(judge: StanceJudge) -> None:
    article = make_article(
        "Officials denied that the mayor closed the harbour bridge.", source="Ledger"
    )
    checked = judge.check(
        "The mayor closed the harbour bridge", [article], {article.id: make_sentences(article)}
    )
    assert checked.tally() == "1 outlet denies"
    empty = judge.check("The mayor closed the harbour bridge", [], {})
    assert empty.tally() == "no outlet mentions the claim"


def test_a_bad_relevance_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'relevance' parameter of StanceJudge"):
        StanceJudge(relevance=0).judge("a claim", "a text")


def test_the_denial_word_rule_says_denies_or_asserts() -> None:
    assert denial_rule("x", "Report is a hoax") == "denies"
    assert denial_rule("x", "Mayor reportedly quits") == "asserts"


def test_fitting_twice_gives_the_same_model() -> None:
    pairs = [
        ("the bridge closed", "bridge closed after storm"),
        ("the bridge closed", "city denies bridge closed, calls report false"),
        ("the bridge closed", "bridge reportedly closed, unconfirmed"),
    ] * 4
    labels = ["asserts", "denies", "reports"] * 4
    first = fit_stance_model("stance", pairs, labels).to_dict()
    second = fit_stance_model("stance", pairs, labels).to_dict()
    assert json.dumps(first) == json.dumps(second)
    assert first["labels"] == ["asserts", "denies", "reports"]


def test_the_shipped_models_were_fitted_on_the_train_files() -> None:
    stance, relation = load_stance_model("stance"), load_stance_model("relation")
    assert stance.trained_on.startswith("emergent_train.jsonl sha256:")
    assert relation.trained_on.startswith("claimdiff_train.jsonl sha256:")
    path = shared_path("benchmarks", "stance", "emergent_train.jsonl")
    if not path.is_file():
        pytest.skip(f"benchmark missing: {path}")
    assert stance.trained_on.endswith(file_digest(path))


def test_compare_says_strengthen_weaken_or_neither(judge: StanceJudge) -> None:
    found = judge.compare(
        "The senators will vote to convict.", "The senators will not vote to convict, aides say."
    )
    assert found in ("strengthen", "weaken", "neither")


def test_a_model_file_of_the_wrong_shape_is_a_config_error(tmp_path: Path) -> None:
    data = load_stance_model("stance").to_dict()
    data["weights"] = data["weights"][:1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"stance": data}), encoding="utf-8")
    with pytest.raises(ConfigError, match="must have weights of shape"):
        load_stance_model("stance", path)
    with pytest.raises(ConfigError, match="no 'relation' model"):
        load_stance_model("relation", path)


def test_pair_features_see_two_speakers_on_one_matter() -> None:
    found = compare_features(
        "Lawyers for Ms. Ortega said the council acted within the law.",
        'The auditor denied that, calling the vote "a breach" of the Harbour Act.',
    )
    assert found["both-attributed"] == 1.0
    assert found["different-speakers"] == 1.0
    assert found["denial:second-only"] == 1.0
    assert found["denial:first-only"] == 0.0
    assert found["quote-in-one"] == 1.0
    same = compare_features(
        "The mayor said the bridge will reopen.", "The mayor told reporters it would reopen."
    )
    assert same["both-attributed"] == 1.0
    assert same["different-speakers"] == 0.0
    assert same["quote-in-one"] == 0.0


def test_pair_features_compare_names_numbers_and_modals() -> None:
    found = compare_features(
        "Harbour Authority figures show 1,200 ships were delayed at Port Verrin.",
        "Only 300 ships could have been delayed at Port Verrin, according to pilots.",
    )
    assert found["shared-names"] == 2 / 3  # Port, Verrin; not Harbour Authority
    assert found["numbers-in-both"] == 1.0
    assert found["second-number-smaller"] == 1.0
    assert found["modal:second-only"] == 1.0
    assert found["modal:first-only"] == 0.0
    assert found["both-attributed"] == 0.0  # "show" is no speech verb
    reversed_pair = compare_features(
        "Only 300 ships could have been delayed.", "1,200 ships were delayed."
    )
    assert reversed_pair["second-number-smaller"] == 0.0
    assert reversed_pair["modal:first-only"] == 1.0
    plain = compare_features("The bridge closed.", "Rain fell.")
    assert set(plain.values()) == {0.0}


def test_the_relation_model_reads_the_pair_features() -> None:
    relation = load_stance_model("relation")
    assert {f"pair:{name}" for name in compare_features("", "")} <= set(relation.features)
