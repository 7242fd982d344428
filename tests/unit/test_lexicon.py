"""The word lists of text/lexicon: each a data file that says where it comes from."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from storyline.text.lexicon import entries, finite_forms, verbs, words

LEXICON = resources.files("storyline.text.lexicon")
NAMES = sorted(
    entry.name.removesuffix(".txt") for entry in LEXICON.iterdir() if entry.name.endswith(".txt")
)
VERB_LISTS = ("speech_verbs", "belief_verbs", "fragment_verbs", "denial_verbs")
PAIR_LISTS = {
    "honorifics": " ",
    "pronouns": " ",
    "countries": ": ",
    "contractions": " = ",
    "country_names": ": ",
    "street_abbreviations": " ",
    "place_prefixes": " ",
    "state_abbreviations": " ",
}


@pytest.mark.parametrize("name", NAMES)
def test_every_list_says_where_it_comes_from_and_holds_words(name: str) -> None:
    text = LEXICON.joinpath(f"{name}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert lines[0].startswith("# "), name
    assert len(" ".join(header)) > 80, name
    if name in VERB_LISTS:
        assert verbs(name)
    elif name in PAIR_LISTS:
        assert entries(name, PAIR_LISTS[name])
    else:
        assert words(name)
        assert all(word == word.lower() for word in words(name)), name


def test_verbs_have_their_four_forms_and_nouns_are_marked() -> None:
    speech = verbs("speech_verbs")
    said = next(verb for verb in speech if verb.base == "say")
    assert (said.third, said.past, said.ing, said.base_is_verb) == ("says", "said", "saying", True)
    finite = finite_forms(speech)
    assert {"says", "said", "reports", "reported"} <= finite
    assert "report" not in finite  # "a report" is a noun as often as a verb


def test_the_words_fitted_to_single_examples_are_gone() -> None:
    assert not {"courier", "ledger", "today"} & words("organisation_heads")
    assert "pier" not in words("place_heads")
    assert "dialogue" not in words("quantifiers")
    assert not {"offers", "hopes"} & words("finite_auxiliaries")
    assert "chechnya" not in dict(entries("countries", ": "))
    assert not {"speaking", "meeting"} & words("sentence_openers")


def test_one_notion_one_list_bridge_is_a_place() -> None:
    assert "bridge" in words("place_heads")
    assert "bridge" not in words("organisation_heads")


def test_the_lists_are_package_data() -> None:
    pyproject = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert "text/lexicon/*.txt" in pyproject["tool"]["setuptools"]["package-data"]["storyline"]
