"""Tests of quote extraction: marks, attribution, indirect speech, merging, scoring."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from storyline.digest import quotes as quotes_module
from storyline.digest.quotes import (
    PIECE_SEPARATOR,
    QuoteExtractor,
    RuleQuoteExtractor,
)
from storyline.errors import ConfigError
from storyline.evaluate.quotes import labelled_articles, score_quotes
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Quote, QuoteSpan
from tests.builders import SHARED, make_article

DATA = Path(__file__).resolve().parents[1] / "data"
LABELLED = DATA / "quotes_labelled.jsonl"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = SHARED / "seeds"


def extract(*texts: str) -> tuple[Quote, ...]:
    articles = [make_article(text, id=f"t{number}") for number, text in enumerate(texts)]
    return RuleQuoteExtractor().extract(articles)


def only(quotes: tuple[Quote, ...], kind: str = "direct") -> Quote:
    found = [quote for quote in quotes if quote.kind == kind]
    assert len(found) == 1, found
    return found[0]


def assert_verbatim(quotes: tuple[Quote, ...], articles: list[Article]) -> None:
    by_id = {article.id: article for article in articles}
    for quote in quotes:
        assert quote.spans
        pieces: dict[str, list[str]] = {}
        for span in quote.spans:
            text = by_id[span.article_id].text
            assert 0 <= span.start < span.end <= len(text)
            piece = text[span.start : span.end]
            assert piece == piece.strip()
            pieces.setdefault(span.article_id, []).append(piece)
        # one article may carry the quote more than once: one run of spans per occurrence
        assert any(
            PIECE_SEPARATOR.join(p[first:last]) == quote.text
            for p in pieces.values()
            for first in range(len(p))
            for last in range(first + 1, len(p) + 1)
        )


def extract_verbatim(text: str) -> tuple[Quote, ...]:
    """The quotes of one article, checked to be verbatim."""
    article = make_article(text, id="t0")
    quotes = RuleQuoteExtractor().extract([article])
    assert_verbatim(quotes, [article])
    return quotes


# --------------------------------------------------------------------------- marks


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild the pier before summer,” Mayor Ana Lind said.",
        '"We will rebuild the pier before summer," Mayor Ana Lind said.',
        "‘We will rebuild the pier before summer,’ Mayor Ana Lind said.",
        "'We will rebuild the pier before summer,' Mayor Ana Lind said.",
        "«We will rebuild the pier before summer», Mayor Ana Lind said.",
        "''We will rebuild the pier before summer,'' Mayor Ana Lind said.",
        "``We will rebuild the pier before summer,'' Mayor Ana Lind said.",
    ],
)
def test_every_quotation_mark_style(text: str) -> None:
    quote = only(extract(text))
    assert quote.text == "We will rebuild the pier before summer"
    assert quote.speaker == "Ana Lind"
    assert quote.attribution == "same-sentence"


def test_apostrophes_are_not_quotation_marks() -> None:
    quotes = extract(
        "The ministers’ aides didn’t comment. 'We won't sign,' said the workers’ leader, Jo Park."
    )
    assert [q.text for q in quotes if q.kind == "direct"] == ["We won't sign"]


def test_nested_quote_stays_inside_its_quote() -> None:
    quote = only(
        extract("“She keeps saying ‘we cannot’ when she means ‘we will not’,” Ed Mo said.")
    )
    assert quote.text == "She keeps saying ‘we cannot’ when she means ‘we will not’"


# --------------------------------------------------------------------------- attribution


def test_speaker_before_with_a_colon() -> None:
    quote = only(extract("Putin said: “They wanted to do like in France, but a bit better”."))
    assert (quote.speaker, quote.attribution) == ("Putin", "same-sentence")


def test_inverted_attribution_keeps_the_name_not_the_apposition() -> None:
    text = '"We looked at every alternative," said Laura Finch, chief executive of the firm.'
    assert only(extract(text)).speaker == "Laura Finch"


def test_dash_attribution() -> None:
    quote = only(
        extract("“Every region will get more money next year.” — Rosa Delgado, on Friday.")
    )
    assert quote.speaker == "Rosa Delgado"


def test_name_is_normalised_to_its_fullest_form_in_the_article() -> None:
    text = (
        "France’s president, Emmanuel Macron, met the press. "
        "“There is a clear red line on our side,” Mr Macron said."
    )
    assert only(extract(text)).speaker == "Emmanuel Macron"


def test_split_quote_is_one_quote_with_two_spans() -> None:
    text = "“This formula is fair,” Delgado said, “and I am not going to apologise for it.”"
    quote = only(extract(text))
    assert (
        quote.text
        == "This formula is fair" + PIECE_SEPARATOR + "and I am not going to apologise for it."
    )
    assert len(quote.spans) == 2
    assert quote.speaker == "Delgado"


def test_quote_resumed_after_its_attribution_sentence() -> None:
    text = '"People found out on their phones," Gary Holt said. "That is not how you treat staff."'
    quote = only(extract(text))
    assert len(quote.spans) == 2
    assert quote.speaker == "Gary Holt"


def test_multi_sentence_quote_with_pronoun_resolved_through_a_chain() -> None:
    text = (
        "Putin denied that Moscow meddled in the vote. On Monday, he defended the meeting. "
        "“Do you think that we are ignorant of the results? Besides, that is impossible”, he said."
    )
    quote = only(extract(text))
    assert quote.text.startswith("Do you think")
    assert quote.text.endswith("impossible")
    assert (quote.speaker, quote.attribution) == ("Putin", "pronoun")


def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = (
        "Mr Sandor faced Ms Varga in parliament. "
        "“We will not be lectured by anyone in this chamber,” she said."
    )
    assert only(extract(text)).speaker == "Varga"


def test_role_resolves_to_the_person_whose_descriptors_match() -> None:
    text = (
        "US President Donald Trump spoke on Monday. Russian President Vladimir Putin arrived. "
        "“People who lost the vote hate to acknowledge it,” the Russian leader said."
    )
    quote = only(extract(text))
    assert (quote.speaker, quote.attribution) == ("Vladimir Putin", "role")


def test_run_of_quotes_attributed_from_the_sentence_before() -> None:
    text = (
        "Macron minced no words in explaining why his team had shut out two outlets.\n\n"
        "“I will not give an inch on this”. “They behaved like organs of propaganda”."
    )
    quote = only(extract(text))
    assert quote.text == "I will not give an inch on this … They behaved like organs of propaganda"
    assert (quote.speaker, quote.attribution) == ("Macron", "previous-sentence")


def test_quote_without_any_speaker_is_kept_with_speaker_unknown() -> None:
    quote = only(extract("“Nobody knows what happens next,” read the note on the door."))
    assert quote.speaker is None
    assert quote.attribution == "unknown"


def test_quote_continued_in_the_next_paragraph() -> None:
    text = (
        "Ms Varga appeared unfazed. She said: “Politics is loud.\n\n“But the work goes on quietly.”"
    )
    quote = only(extract(text))
    assert quote.text == "Politics is loud." + PIECE_SEPARATOR + "But the work goes on quietly."
    assert quote.speaker == "Varga"


def test_stray_mark_before_an_attribution_quotes_its_sentence() -> None:
    quote = only(
        extract("The West disagrees. We are convinced that he did not use them, ‘ Putin said.")
    )
    assert quote.text == "We are convinced that he did not use them"
    assert quote.speaker == "Putin"


def test_stray_mark_after_a_spaced_comma_ends_the_quote_at_the_last_word() -> None:
    # tokenised text sets the comma off with a space; the span once took that space along
    text = "The pier closed . \nWe will rebuild the pier before summer , ’ Mayor Ana Lind said ."
    quotes = extract_verbatim(text)
    quote = only(quotes)
    assert quote.text == "We will rebuild the pier before summer"
    assert quote.speaker == "Ana Lind"


def test_stray_mark_found_by_hypothesis_gives_a_verbatim_span() -> None:
    quotes = extract_verbatim("We will rebuild the pier , ” Mr said")
    assert [quote.text for quote in quotes] == ["We will rebuild the pier"]


# --------------------------------------------------------------------------- scare quotes and names


def test_short_scare_quote_is_not_a_quote() -> None:
    text = 'Critics called it a “hybrid” plan and a "long winter" for the port.'
    assert extract(text) == ()


def test_short_whole_utterance_is_a_quote() -> None:
    quote = only(extract("“No,” Jo Park said."))
    assert (quote.text, quote.speaker) == ("No", "Jo Park")


@pytest.mark.parametrize(
    "text",
    [
        "Protesters held a banner reading “No to Russian aggression” and “Unity makes strength”.",
        'His 2015 book "Lights in the Northern Sky" describes several similar sightings.',
        "The loaf, sold as “The Honest Crust”, will still be baked in Leeds.",
    ],
)
def test_banners_slogans_and_titles_are_not_quotes(text: str) -> None:
    assert extract(text) == ()


# --------------------------------------------------------------------------- indirect speech


@pytest.mark.parametrize(
    ("text", "clause", "speaker"),
    [
        (
            "At the news conference, Putin said he and Macron had not discussed the topic.",
            "he and Macron had not discussed the topic",
            "Putin",
        ),
        (
            "Harbour chief Dana Whitlock said on Monday that the port would reopen soon.",
            "the port would reopen soon",
            "Dana Whitlock",
        ),
        (  # "he" is neither Putin nor Macron, both named in its clause (principle C)
            "President Vladimir Putin met Macron. "
            "Putin would certainly invite Macron to pay a visit to Moscow, he said.",
            "Putin would certainly invite Macron to pay a visit to Moscow",
            None,
        ),
        (
            "According to Brandt, the cause of the fire is not yet known.",
            "the cause of the fire is not yet known",
            "Brandt",
        ),
        (
            "Analysts at Dunmore Securities wrote in a note that the cuts would save money.",
            "the cuts would save money",
            "Analysts at Dunmore Securities",
        ),
        (
            "Council Member Dolores Haverty voted no. "
            "Her objection, she said, was to approving the money before any review.",
            "Her objection" + PIECE_SEPARATOR + "was to approving the money before any review",
            "Dolores Haverty",
        ),
        (
            "Her objection, she said, was to approving the money before any review.",
            "Her objection" + PIECE_SEPARATOR + "was to approving the money before any review",
            None,
        ),
    ],
)
def test_indirect_speech(text: str, clause: str, speaker: str | None) -> None:
    quote = only(extract(text), "indirect")
    assert quote.text == clause
    assert quote.speaker == speaker


def test_indirect_speech_is_kept_apart_from_direct_quotes() -> None:
    text = (
        "Mr Macron’s aides said Russian groups hacked his campaign. "
        "“They are influence operations,” Macron said."
    )
    kinds = sorted(q.kind for q in extract(text))
    assert kinds == ["direct", "indirect"]


@pytest.mark.parametrize(
    "text",
    [
        "Previously, it was claimed that a hacking group was responsible for the attack.",
        "Residents on Mill Lane were told to keep their windows shut.",
        "The bridge carries 38,000 vehicles a day, according to figures from the authority.",
        "Putin has rejected allegations that Moscow meddled in the election.",
    ],
)
def test_not_reported_speech(text: str) -> None:
    assert extract(text) == ()


def test_partial_quote_inside_reported_speech_is_direct() -> None:
    text = (
        "The newly elected president said the handshake was “a moment of truth”, in an interview."
    )
    quote = only(extract(text))
    assert quote.text == "a moment of truth"
    assert not [q for q in extract(text) if q.kind == "indirect"]


# --------------------------------------------------------------------------- merging


def test_same_quote_in_two_outlets_is_one_quote_with_both_sources() -> None:
    first = (
        '"We will not be lectured by a party that left the country with no gas storage," '
        "Varga said."
    )
    second = (
        "Varga said: “We are not going to be lectured by a party that left the country "
        "with no gas storage at all.”"
    )
    articles = [make_article(first, id="a"), make_article(second, id="b")]
    quotes = RuleQuoteExtractor().extract(articles)
    quote = only(quotes)
    assert {span.article_id for span in quote.spans} == {"a", "b"}
    assert_verbatim(quotes, articles)


def test_shorter_quote_contained_in_a_longer_one_is_merged() -> None:
    articles = [
        make_article("“Ports close and ports reopen,” the mayor, Ingrid Solberg, said.", id="a"),
        make_article(
            "Mayor Ingrid Solberg said: ‘Ports close and ports reopen. What matters is people.’",
            id="b",
        ),
    ]
    quote = only(RuleQuoteExtractor().extract(articles))
    assert quote.text == "Ports close and ports reopen. What matters is people."
    assert len(quote.spans) == 2


def test_different_speakers_are_never_merged() -> None:
    articles = [
        make_article("“The plan will fail within a year,” Ana Lind said.", id="a"),
        make_article("“The plan will fail within a year,” Tom Reyes said.", id="b"),
    ]
    quotes = RuleQuoteExtractor().extract(articles)
    assert sorted(q.speaker or "" for q in quotes) == ["Ana Lind", "Tom Reyes"]


def test_quote_repeated_in_one_article_keeps_one_run_of_spans_per_occurrence() -> None:
    text = (
        "“We will rebuild the pier before summer,” Mayor Ana Lind said on Monday. "
        "The council met on Tuesday.\n\n"
        "“We will rebuild the pier before summer,” Lind told reporters again."
    )
    quotes = extract_verbatim(text)
    quote = only(quotes)
    assert quote.text == "We will rebuild the pier before summer"
    assert [(s.article_id, text[s.start : s.end]) for s in quote.spans] == [
        ("t0", quote.text),
        ("t0", quote.text),
    ]


def test_split_quote_repeated_in_one_article_is_verbatim() -> None:
    said = "“The pier will reopen,” Ana Lind said, “before the summer season starts.”"
    text = f"{said} The council agreed.\n\n{said}"
    quotes = extract_verbatim(text)
    quote = only(quotes)
    assert quote.text == f"The pier will reopen{PIECE_SEPARATOR}before the summer season starts."
    assert len(quote.spans) == 4


def test_reported_clause_inside_a_longer_one_of_the_same_article_is_verbatim() -> None:
    # two indirect quotes of one article, one inside the other, merged into one quote
    text = (
        "The economy was stagnant for decades but started to grow in the past ten years, "
        "Cole said.\n\nCole said the economy was stagnant for decades but started to grow "
        "in the past ten years and then stalled again."
    )
    quotes = extract_verbatim(text)
    assert quotes


# --------------------------------------------------------------------------- verbatim check


def test_occurrence_whose_spans_are_not_verbatim_is_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = "“We will rebuild the pier before summer,” Mayor Ana Lind said."
    article = make_article(text, id="t0")
    document = quotes_module._parse_article(article)

    def occurrence(pieces: list[tuple[int, int]]) -> quotes_module._Occurrence:
        return quotes_module._Occurrence(
            order=0,
            article_id="t0",
            kind="direct",
            pieces=pieces,
            text="We will rebuild the pier before summer",
            speaker="Ana Lind",
            key="lind",
            attribution="same-sentence",
            sentence=0,
        )

    good = occurrence([(1, 39)])
    bad = [
        occurrence([(1, 40)]),  # the span takes the comma: text and span differ
        occurrence([(0, 39)]),  # the span takes the opening mark
        occurrence([(1, 400)]),  # past the end of the article
        occurrence([(39, 39)]),  # empty
    ]
    with caplog.at_level("WARNING", logger="storyline.digest.quotes"):
        kept = quotes_module._verified([bad[0], good, *bad[1:]], [document])
    assert kept == [good]
    assert len(caplog.records) == len(bad)
    assert "not verbatim" in caplog.records[0].getMessage()


def test_merged_quote_whose_text_is_not_at_its_spans_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    article = make_article("“We will rebuild the pier before summer,” Ana Lind said.", id="t0")
    articles = {"t0": article}
    spans = (QuoteSpan(article_id="t0", start=1, end=39),)

    def quote(text: str, spans: tuple[QuoteSpan, ...]) -> Quote:
        return Quote(
            speaker="Ana Lind", text=text, kind="direct", spans=spans, attribution="same-sentence"
        )

    assert quotes_module._quote_verified(
        quote("We will rebuild the pier before summer", spans), articles
    )
    twice = (*spans, QuoteSpan(article_id="t0", start=1, end=25))
    assert quotes_module._quote_verified(quote("We will rebuild the pier", twice), articles)
    with caplog.at_level("WARNING", logger="storyline.digest.quotes"):
        assert not quotes_module._quote_verified(quote("We will rebuild the port", spans), articles)
    assert len(caplog.records) == 1


# --------------------------------------------------------------------------- API and config


def test_rule_extractor_is_a_quote_extractor() -> None:
    extractor: QuoteExtractor = RuleQuoteExtractor()
    assert extractor.extract([]) == ()


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"min_words": 0}, "min_words"),
        ({"merge_similarity": 1.5}, "merge_similarity"),
        ({"lookback": -1}, "lookback"),
    ],
)
def test_bad_options_are_config_errors(options: dict[str, object], name: str) -> None:
    with pytest.raises(ConfigError, match=f"'{name}' parameter of RuleQuoteExtractor"):
        RuleQuoteExtractor(**options).extract([make_article("Text.")])  # type: ignore[arg-type]


def test_an_option_of_the_wrong_type_is_an_error() -> None:
    """A ConfigError from the Python module; compiled (storyline.native), the constructor
    itself checks its annotations and raises a TypeError."""
    compiled = not str(quotes_module.__file__).endswith(".py")
    expected = TypeError if compiled else ConfigError
    with pytest.raises(expected, match="min_words" if not compiled else "int object expected"):
        RuleQuoteExtractor(min_words="3").extract([make_article("Text.")])  # type: ignore[arg-type]


def test_input_articles_are_not_changed() -> None:
    article = make_article("“We will rebuild the pier before summer,” Ana Lind said.")
    before = (article.text, article.id)
    RuleQuoteExtractor().extract([article])
    assert (article.text, article.id) == before


# --------------------------------------------------------------------------- labelled data


def test_labelled_set_has_sixty_quotes_and_verbatim_labels() -> None:
    records = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    fictional = [r for r in records if "text" in r]
    assert sum(len(r["quotes"]) for r in records) >= 60
    for record in fictional:
        for quote in record["quotes"]:
            for piece in quote["text"].split(PIECE_SEPARATOR):
                assert piece in record["text"]


def test_scores_on_the_labelled_set() -> None:
    articles = labelled_articles(LABELLED)
    quotes = RuleQuoteExtractor().extract(articles)
    assert_verbatim(quotes, list(articles))
    scores = score_quotes(quotes, LABELLED)
    assert scores["precision"] >= 0.9
    assert scores["recall"] >= 0.9
    assert scores["speaker_accuracy"] >= 0.9
    assert scores["gold"] >= 60


def test_scoring_counts_misses_and_wrong_speakers(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    record = {
        "id": "x",
        "text": "“We will rebuild the pier,” Ana Lind said. “Nobody will stop us,” Tom Reyes said.",
        "quotes": [
            {"kind": "direct", "text": "We will rebuild the pier", "speaker": "Ana Lind"},
            {"kind": "direct", "text": "Nobody will stop us", "speaker": "Jo Park"},
            {"kind": "indirect", "text": "the pier", "speaker": "Ana Lind"},
        ],
    }
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    quotes = RuleQuoteExtractor().extract(labelled_articles(gold))
    scores = score_quotes(quotes, gold)
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["speaker_accuracy"] == 0.5
    assert score_quotes((), gold)["recall"] == 0.0


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_quotes() -> tuple[tuple[Article, ...], tuple[Quote, ...]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS} (set STORYLINE_SHARED)")
    articles = labelled_articles(LABELLED, shared_dir=SHARED)
    seeds = tuple(a for a in articles if a.id.startswith(("000_", "001_", "004_")))
    if len(seeds) < 3:
        pytest.skip(f"seed articles missing under {SEEDS}")
    return seeds, RuleQuoteExtractor().extract(seeds)


def _quote_starting(quotes: tuple[Quote, ...], prefix: str) -> Quote:
    """The one quote with a piece starting with ``prefix`` (a run of quote-only sentences
    after an attributed quote is one quote of several pieces)."""
    found = [q for q in quotes if any(p.startswith(prefix) for p in q.text.split(PIECE_SEPARATOR))]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def test_seed_red_line_quote_is_macrons_and_merged_across_outlets(
    seed_quotes: tuple[tuple[Article, ...], tuple[Quote, ...]],
) -> None:
    articles, quotes = seed_quotes
    quote = _quote_starting(quotes, "There is a clear red line on our side")
    assert quote.speaker is not None
    assert quote.speaker.endswith("Macron")
    sources = {span.article_id[:3] for span in quote.spans}
    assert sources == {"000", "001"}
    assert_verbatim(quotes, list(articles))


@pytest.mark.parametrize(
    ("prefix", "speaker"),
    [
        ("Do you think that we are ignorant of the results of the elections?", "Putin"),
        ("They are influence operations", "Macron"),
        ("Let’s tell things like they are: Russia Today and Sputnik didn’t behave", "Macron"),
    ],
)
def test_seed_speakers(
    seed_quotes: tuple[tuple[Article, ...], tuple[Quote, ...]], prefix: str, speaker: str
) -> None:
    _, quotes = seed_quotes
    quote = _quote_starting(quotes, prefix)
    assert quote.speaker is not None
    assert quote.speaker.endswith(speaker)


def test_seed_run_is_attributed_from_the_sentences_before(
    seed_quotes: tuple[tuple[Article, ...], tuple[Quote, ...]],
) -> None:
    _, quotes = seed_quotes
    quote = _quote_starting(quotes, "Let’s tell things like they are")
    assert quote.attribution == "previous-sentence"


def test_seed_indirect_speech_is_kept_as_indirect(
    seed_quotes: tuple[tuple[Article, ...], tuple[Quote, ...]],
) -> None:
    _, quotes = seed_quotes
    quote = _quote_starting(
        quotes, "he and Macron had not discussed the topic of election meddling"
    )
    assert quote.kind == "indirect"
    assert quote.speaker is not None
    assert quote.speaker.endswith("Putin")


# --------------------------------------------------------------------------- example corpus


def _harbor_gold(tmp_path: Path) -> Path:
    """The example corpus answer key in the labelled format (its quotes and indirect quotes)."""
    answers = json.loads((EXAMPLES / "harbor-bridge" / "answers.json").read_text("utf-8"))
    records = [
        json.loads(line)
        for line in (EXAMPLES / "harbor-bridge.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    aliases = {
        entity["name"]: [a for a in entity["aliases"] if not a[:1].islower()]
        for entity in answers["entities"]
    }
    labels: dict[str, list[dict[str, object]]] = {record["id"]: [] for record in records}
    for kind, key in (("direct", "quotes"), ("indirect", "indirect_quotes")):
        for number, quote in enumerate(answers[key]):
            text = PIECE_SEPARATOR.join(quote["parts"]) if "parts" in quote else quote["text"]
            for article_id in quote["articles"]:
                labels[article_id].append(
                    {
                        "kind": kind,
                        "text": text,
                        "speaker": quote["speaker"],
                        "aliases": aliases.get(quote["speaker"], []),
                        "group": f"{key}-{number}",
                    }
                )
    gold = tmp_path / "harbor.jsonl"
    with gold.open("w", encoding="utf-8") as out:
        for record in records:
            line = {"id": record["id"], "text": record["text"], "quotes": labels[record["id"]]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return gold


def test_example_corpus_answer_key(tmp_path: Path) -> None:
    if not (EXAMPLES / "harbor-bridge" / "answers.json").is_file():
        pytest.skip(f"example corpus not found under {EXAMPLES}")
    gold = _harbor_gold(tmp_path)
    quotes = RuleQuoteExtractor().extract(labelled_articles(gold))
    scores = score_quotes(quotes, gold)
    # the key lists every direct quote but only some of the reported speech
    assert scores["direct_precision"] >= 0.9
    assert scores["direct_recall"] >= 0.9
    assert scores["indirect_recall"] >= 0.9
    assert scores["speaker_accuracy"] >= 0.9
    assert scores["merge_precision"] >= 0.9
    assert scores["merge_recall"] >= 0.9


def test_two_apostrophes_quote_across_sentences_and_hold_single_quotes() -> None:
    text = (
        "''It's not 'fair' to anyone,'' Mayor Ana Lind said. ''We will rebuild.''\n\n"
        "''The pier comes first,'' she added."
    )
    quotes = extract_verbatim(text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "It's not 'fair' to anyone … We will rebuild.",
        "The pier comes first",
    ]
    assert {q.speaker for q in direct} == {"Ana Lind"}


def test_a_quote_only_paragraph_goes_on_with_the_quote_before_it() -> None:
    text = (
        "“We will rebuild the pier before summer,” Mayor Ana Lind said.\n\n"
        "“And nobody will stop us.”\n\n"
        "The council meets on Monday. “Nothing is decided yet,” a clerk said."
    )
    direct = [q for q in extract_verbatim(text) if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "We will rebuild the pier before summer … And nobody will stop us.",
        "Nothing is decided yet",
    ]
    assert direct[0].speaker == "Ana Lind"


def test_stretches_one_verb_introduces_are_one_quote() -> None:
    text = (
        "Lind said the goal was not to “patch the old pier” but to “build a better one for "
        "everyone.”"
    )
    quote = only(extract_verbatim(text))
    assert quote.text == "patch the old pier … build a better one for everyone."
    assert quote.speaker == "Lind"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a parenthetical between the opening name and the verb
        (
            "Giovanni Vian, the editor of the daily L'Osservatore Romano, said every pope "
            "was “both religious and political.”",
            "Giovanni Vian",
        ),
        # any verb before the quote: the sentence's subject
        ("Ana Lind mocked the council for “having a very tough night.”", "Ana Lind"),
        # an attribution that ends the sentence after other words
        ("“This will be a challenge” for the council, said Tom Reyes.", "Tom Reyes"),
        # a past tense after a quote that ends with a comma
        ("“This is fantastic!” beamed Donald Hartley of Madison.", "Donald Hartley"),
    ],
)
def test_speaker_rules_from_the_sentence(text: str, speaker: str) -> None:
    quote = only(extract_verbatim(text))
    assert quote.speaker == speaker


def test_quotes_before_a_closing_attribution_are_one_quote() -> None:
    text = "Guns are “a public health crisis” and “a disgrace to us all,” Howard Dean said."
    quote = only(extract_verbatim(text))
    assert quote.text == "a public health crisis … a disgrace to us all"
    assert quote.speaker == "Howard Dean"


def test_a_title_in_the_text_is_no_speaker() -> None:
    text = "Clinton Wins Big In The South Tonight\n\n“We will keep on fighting for every vote.”"
    quote = only(extract_verbatim(text))
    assert quote.speaker is None


def test_reported_belief_is_reported_speech() -> None:
    text = "Senator Ana Lind believes that the bridge will reopen before the winter."
    quote = only(extract_verbatim(text), kind="indirect")
    assert quote.text == "the bridge will reopen before the winter"
    assert quote.speaker == "Ana Lind"


def test_a_denial_keeps_its_cue_and_is_no_assertion() -> None:
    denied = "Putin denied that Moscow meddled in the French election on Monday."
    asserted = "Putin said that Moscow meddled in the French election on Monday."
    quotes = extract(denied, asserted)
    reported = sorted((q for q in quotes if q.kind == "indirect"), key=lambda q: q.cue)
    assert [q.cue for q in reported] == ["denied that", "said that"]  # not merged
    assert {q.text for q in reported} == {"Moscow meddled in the French election on Monday"}
    negated = only(extract("Lind did not say that the bridge would close this winter."), "indirect")
    assert (negated.speaker, negated.cue) == ("Lind", "did not say that")


def test_a_direct_quote_keeps_the_verb_that_reports_it() -> None:
    quote = only(extract("“We will rebuild the pier,” Mayor Ana Lind said on Monday."))
    assert quote.cue == "said"
    reported = only(extract("The pier will reopen, according to Mayor Ana Lind."), "indirect")
    assert reported.cue == "according to"


def test_one_speaker_per_person_across_articles() -> None:
    quotes = extract(
        "Russian President Vladimir Putin met reporters. “We are ready,” Putin said.",
        "“Nothing was agreed,” Putin said after the talks in Versailles.",
        "“It was frank,” Mr Putin told journalists on Tuesday.",
    )
    assert {q.speaker for q in quotes} == {"Vladimir Putin"}


def test_two_people_with_one_surname_stay_apart() -> None:
    quotes = extract(
        "Hillary Clinton met donors. Bill Clinton met voters.",
        "“We will win,” Clinton said after the rally in Ohio.",
    )
    assert only(quotes).speaker == "Clinton"


# ---------------------------------------------------------------- attributions (issue 13)


@pytest.mark.parametrize(
    ("text", "cue", "clause", "speaker"),
    [
        (  # a progressive reporting verb: the subject stands before its auxiliary
            "The port authority is demanding that the shipping company stop dumping ballast.",
            "demanding that",
            "the shipping company stop dumping ballast",
            "port authority",
        ),
        (  # a to-infinitive with its object
            "Mayor Ana Lind urges residents to report damage to the harbour office.",
            "urges",
            "residents to report damage to the harbour office",
            "Ana Lind",
        ),
        (
            "Ana Lind vowed to rebuild the pier before the summer season.",
            "vowed",
            "to rebuild the pier before the summer season",
            "Ana Lind",
        ),
        (  # a verb of judging: its object is the content
            "The regional council criticized the plan to close the harbour for a month.",
            "criticized",
            "the plan to close the harbour for a month",
            "regional council",
        ),
        (  # a verb of showing
            "A recent poll shows a close contest in the harbour district.",
            "shows",
            "a close contest in the harbour district",
            "recent poll",
        ),
        (  # a prepositional cue
            "Ana Lind called for an independent audit of the port accounts.",
            "called for",
            "an independent audit of the port accounts",
            "Ana Lind",
        ),
        (  # the source after the verb
            "The harbour will stay closed for another week, said Ana Lind, the port director.",
            "said",
            "The harbour will stay closed for another week",
            "Ana Lind",
        ),
        (  # an indirect question
            "Ana Lind questioned whether the pier could be rebuilt before winter.",
            "questioned",
            "whether the pier could be rebuilt before winter",
            "Ana Lind",
        ),
        (  # the negation stays with the cue across an adverb: a denial is shown as one
            "Ana Lind did not directly criticise the council's plan for the harbour.",
            "did not directly criticise",
            "the council's plan for the harbour",
            "Ana Lind",
        ),
        (  # a verb of communication whose object is the message
            "Ana Lind outlined her plan to rebuild the pier before the summer season.",
            "outlined",
            "her plan to rebuild the pier before the summer season",
            "Ana Lind",
        ),
        (
            "The port director described the damage the storm did to the coast road.",
            "described",
            "the damage the storm did to the coast road",
            "port director",
        ),
        (  # a request with its addressee and an infinitive
            "Ana Lind called on the council to reopen the harbour office next week.",
            "called on",
            "the council to reopen the harbour office next week",
            "Ana Lind",
        ),
        (  # a trailing source with a day after its verb
            "The harbour will stay closed for another week, officials said Tuesday.",
            "said",
            "The harbour will stay closed for another week",
            "officials",
        ),
        (  # a day, then a that-clause: the clause is the content, not the sentence before
            "The harbour stays shut, and Ana Lind said Tuesday night that the pier needs work.",
            "said Tuesday night that",
            "the pier needs work",
            "Ana Lind",
        ),
        (  # a participle reporting for a subject that is no name: the noun phrase opening it
            "The Harbour Trust is filing a complaint with the board, claiming that the pier"
            " contract broke the rules.",
            "claiming that",
            "the pier contract broke the rules",
            "Harbour Trust",
        ),
        (  # a clause ends before a comma that opens a report of its own
            "Back when he wrote his memoir, Ana Lind said that she had feared the sea.",
            "said that",
            "she had feared the sea",
            "Ana Lind",
        ),
        (  # a report inside a clause that opens the sentence ends with that clause
            "When Ana Lind noted that the pier had been repaired twice, the council laughed.",
            "noted that",
            "the pier had been repaired twice",
            "Ana Lind",
        ),
        (  # a concessive clause after a comma is no longer reported
            "Ana Lind claimed that the pier was safe, although the harbour stayed closed.",
            "claimed that",
            "the pier was safe",
            "Ana Lind",
        ),
        (  # a tell verb with its addressee before a that-clause ends no trailing report
            "In Oslo last week, Ana Lind told a meeting of harbour masters that the sea was"
            " rising.",
            "told … that",
            "the sea was rising",
            "Ana Lind",
        ),
        (  # the particle of a phrasal cue
            "Ana Lind pointed out that the pier had been repaired twice since the storm.",
            "pointed out that",
            "the pier had been repaired twice since the storm",
            "Ana Lind",
        ),
        (  # a bare clause after a prepositional phrase, opened by a subject pronoun
            "Ana Lind said after the meeting she would not sign the harbour contract.",
            "said after the meeting",
            "she would not sign the harbour contract",
            "Ana Lind",
        ),
    ],
)
def test_attributions_beyond_speech_verbs(text: str, cue: str, clause: str, speaker: str) -> None:
    quote = only(extract(text), "indirect")
    assert (quote.cue, quote.text, quote.speaker) == (cue, clause, speaker)


@pytest.mark.parametrize("link", ["and", "but"])  # "but warned": a coordinated report too
def test_a_second_reporting_verb_ends_the_first_clause(link: str) -> None:
    text = (
        f"Ana Lind said the pier would reopen in May {link} warned that the coast road would"
        " stay shut."
    )
    found = [(q.cue, q.text) for q in extract(text)]
    assert found == [
        ("said", "the pier would reopen in May"),
        ("warned that", "the coast road would stay shut"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The senator agreed to the deal with the harbour board on Tuesday.",  # no infinitive
        "Ana Lind rejected claims that the pier was unsafe.",  # the claim is someone else's
        "The senator called on Monday for the harbour board to meet.",  # a date, no addressee
        "The senator called on the harbour board in the morning.",  # a visit: no infinitive
    ],
)
def test_not_attributions(text: str) -> None:
    assert extract(text) == ()


@pytest.mark.parametrize(
    "text",
    [  # a message verb or a bare clause framing a scare quote is left to the quote rules
        "Ana Lind described the storm damage to the pier as “a disaster”.",
        "Ana Lind said in the letter he was “not welcome” at the harbour.",
    ],
)
def test_reported_speech_framing_a_quote_is_left_to_it(text: str) -> None:
    assert [q for q in extract(text) if q.kind == "indirect"] == []


# --------------------------------------------------------------------------- repeated text


def test_text_repeated_across_the_batch_is_read_as_where_it_first_came() -> None:
    """A batch tokenises a stretch of text and reads a sentence's names once, however many
    articles repeat it (the digest's cost): a copy of an article, one sentence further on,
    carries each quote of the original at the same words, with the same speaker."""
    path = EXAMPLES / "harbor-bridge" / "txt" / "01_verrin-ledger.txt"
    if not path.is_file():
        pytest.skip(f"example corpus not found at {path}")
    original = FileIngestor().ingest([path]).articles[0]
    lead = "The weather was mild.\n\n"
    copy = replace(original, id=f"{original.id}~copy", text=lead + original.text)
    alone = RuleQuoteExtractor().extract([original])
    both = RuleQuoteExtractor().extract([original, copy])
    assert alone
    shifted = [
        replace(
            quote,
            spans=(
                *quote.spans,
                *(
                    QuoteSpan(article_id=copy.id, start=s.start + len(lead), end=s.end + len(lead))
                    for s in quote.spans
                ),
            ),
        )
        for quote in alone
    ]
    assert list(both) == shifted


# --------------------------------------------------------------------------- merge candidates


@pytest.mark.parametrize("threshold", [0, 10_000])
def test_candidate_pairs_filtered_or_all_with_all_give_the_same_quotes(
    monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    # the labelled articles as one batch (well over _ALL_PAIRS groups of quotes): the sparse
    # filters (threshold 0) and all pairs (10,000) must merge the same quotes as the default
    articles = list(labelled_articles(LABELLED))
    expected = RuleQuoteExtractor().extract(articles)
    assert len(expected) > quotes_module._ALL_PAIRS
    monkeypatch.setattr(quotes_module, "_ALL_PAIRS", threshold)
    assert RuleQuoteExtractor().extract(articles) == expected


def test_a_nation_before_an_organisation_head_is_part_of_its_name() -> None:
    # "Russian President Vladimir Putin" sheds the nation as a descriptor of the person;
    # "Russian Federation" is one name, the body that speaks.
    body = only(
        extract(
            "The talks came after suggestions Russian Federation had sought to meddle in the vote."
        ),
        "indirect",
    )
    person = only(
        extract("Russian President Vladimir Putin said on Monday that he had not meddled."),
        "indirect",
    )
    assert (body.speaker, person.speaker) == ("Russian Federation", "Vladimir Putin")


def test_a_degree_word_before_an_adverb_is_no_part_of_the_speaker() -> None:
    # "I very precisely pointed out": the subject is "I" (unresolved outside a quote), never
    # a speaker called "I very"; "she very firmly denied" is "she", the woman named before.
    lone = extract("On that subject, I very precisely pointed out to him the demands of France.")
    assert [quote.speaker for quote in lone] == []
    chained = only(
        extract("Ana Lind met the board. She very firmly denied that the plant would close."),
        "indirect",
    )
    assert (chained.speaker, chained.attribution) == ("Ana Lind", "pronoun")


def test_a_pronoun_speaker_is_nobody_its_reported_clause_names() -> None:
    # Principle C: in "Reyes would win, he said" and "He said Reyes would win", "he" is not
    # Reyes; the pronoun stays unresolved rather than being given someone further back.
    trailing = only(
        extract("Tom Reyes met the mayor. Reyes would win the vote, he said."), "indirect"
    )
    leading = only(
        extract("Tom Reyes met the mayor. He said Reyes would win the vote."), "indirect"
    )
    assert (trailing.speaker, trailing.text) == (None, "Reyes would win the vote")
    assert leading.speaker is None
    own = only(extract("Tom Reyes met the mayor. He said he would win the vote."), "indirect")
    assert (own.speaker, own.attribution) == ("Tom Reyes", "pronoun")


def test_a_namesake_in_the_reported_clause_leaves_the_pronoun_resolved() -> None:
    # "Carrie Russell" in the clause is another person than Jill Russell, whom "she" stands for
    quote = only(
        extract(
            "Jill Russell spoke to the police. "
            "She didn't want Carrie Russell's name to be known by anyone."
        ),
        "indirect",
    )
    assert (quote.speaker, quote.attribution) == ("Jill Russell", "pronoun")


@pytest.mark.parametrize(
    "opening",
    ["PORT VERRIN — ", "DELPHI (AP) — ", "WASHINGTON, D.C. — ", "BEIJING -- ", "Tokyo (CNN) "],
)
def test_a_dateline_is_no_part_of_a_reported_clause(opening: str) -> None:
    text = f"{opening}The bridge will stay closed until October, the city's engineer said."
    quote = only(extract(text), "indirect")
    assert quote.text == "The bridge will stay closed until October"


def test_capitals_before_a_dash_without_a_sentence_after_are_no_dateline() -> None:
    quote = only(extract("RIP ---- @harbor_crew we will miss you all, the union said."), "indirect")
    assert quote.text.startswith("RIP")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Britain-based Syrian Observatory said that twenty people were killed in Homs.", None),
        ("In February White House officials said the plan would cost far more.", None),
        ("Air Chief Marshal Angus Houston said the search would go on for weeks.", None),
        ("April Ryan said the briefing had been cut short without any warning.", "April Ryan"),
    ],
)
def test_modifiers_time_adjuncts_and_ranks_are_no_part_of_a_speaker(
    text: str, speaker: str | None
) -> None:
    # a hyphenated adjective, a month after a preposition and a rank's words stand before
    # the name; a month's name that opens a person's name stays ("April Ryan")
    expected = (
        speaker
        or {
            "Britain-based": "Syrian Observatory",
            "In February": "White House officials",
            "Air Chief": "Angus Houston",
        }[next(key for key in ("Britain-based", "In February", "Air Chief") if key in text)]
    )
    assert only(extract(text), "indirect").speaker == expected


def test_a_lone_participle_is_no_speaker() -> None:
    # "..., including alleged threats from NBC": "including" is no one speaking
    found = extract("The actress described several incidents, including alleged threats from NBC.")
    assert [quote.speaker for quote in found if quote.kind == "indirect"] == []


def test_a_dateline_is_no_speaker_of_the_quote_after_it() -> None:
    # the sentence before a quote opens with a dateline; the speaker is the subject after it
    text = (
        "LOS ANGELES (AP) — Singer Mary Blige sang to the candidate on Tuesday night.\n\n"
        "“Promise you will keep your hands in sight,” the lyrics went."
    )
    speakers = {quote.speaker for quote in extract(text) if quote.kind == "direct"}
    assert "LOS ANGELES" not in speakers
