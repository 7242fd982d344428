"""Tests of one speaker for each entity: the quotes' speakers shown by the entities' names."""

from __future__ import annotations

from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.digest.speakers import link_speakers
from storyline.model import Entity, EntityKind, Quote, QuoteSpan
from tests.builders import make_article


def _quote(speaker: str | None, text: str, article: str, start: int, cue: str = "said") -> Quote:
    span = QuoteSpan(article_id=article, start=start, end=start + len(text))
    return Quote(
        speaker=speaker,
        text=text,
        kind="indirect",
        spans=(span,),
        attribution="same-sentence",
        cue=cue,
    )


def _entity(name: str, kind: EntityKind, quotes: tuple[Quote, ...]) -> Entity:
    return Entity(
        id="e0", name=name, kind=kind, aliases=(), mentions=(), article_ids=(), quotes=quotes
    )


def test_an_organisation_speaks_by_its_name_and_its_quotes_are_one() -> None:
    short = _quote("PVTA", "the ferry would run all night", "a2", 10)
    full = _quote("Port Verrin Transit Authority", "the ferry would run all night", "a1", 40)
    other = _quote("PVTA", "buses would detour", "a2", 90)
    entity = _entity("Port Verrin Transit Authority", "organisation", (full, short, other))
    quotes, (linked,) = link_speakers((full, short, other), (entity,))
    assert [(q.speaker, q.text) for q in quotes] == [
        ("Port Verrin Transit Authority", "the ferry would run all night"),
        ("Port Verrin Transit Authority", "buses would detour"),
    ]
    assert [span.article_id for span in quotes[0].spans] == ["a1", "a2"]
    assert linked.quotes == quotes


def test_only_acronyms_and_names_in_capitals_take_the_entitys_name() -> None:
    # a transcript's "ALAN SIMPSON" is Alan Simpson; the entity's fullest name is no better
    # than the quotes stage's for a name written otherwise ("Steve Bannon", "Clinton"), and
    # one word in capitals may be an acronym ("CNBC", not "Cnbc")
    shouted = _quote("ALAN SIMPSON", "the cuts were needed", "a1", 0)
    lone = _quote("Clinton", "the vote was fair", "a1", 40)
    variant = _quote("Steve Bannon", "the plan was his", "a1", 80)
    channel = _quote("CNBC", "the market fell", "a1", 120)
    entities = (
        _entity("Alan Simpson", "person", (shouted,)),
        _entity("Hillary Clinton", "person", (lone,)),
        _entity("Stephen Bannon", "person", (variant,)),
        _entity("Cnbc", "organisation", (channel,)),
    )
    quotes, _ = link_speakers((shouted, lone, variant, channel), entities)
    assert [q.speaker for q in quotes] == ["Alan Simpson", "Clinton", "Steve Bannon", "CNBC"]


def test_a_denial_is_not_merged_into_an_assertion_and_places_keep_their_speakers() -> None:
    said = _quote("DPW", "the cable was replaced", "a1", 0)
    denied = _quote("Department of Public Works", "the cable was replaced", "a2", 0, "denied that")
    place = _quote("Moscow", "the talks went well", "a1", 80)
    entities = (
        _entity("Department of Public Works", "organisation", (said, denied)),
        _entity("Russia", "place", (place,)),
    )
    quotes, _ = link_speakers((said, denied, place), entities)
    assert [(q.speaker, q.cue) for q in quotes] == [
        ("Department of Public Works", "said"),
        ("Department of Public Works", "denied that"),
        ("Moscow", "said"),
    ]


def test_the_real_stages_give_an_acronym_and_its_name_one_speaker() -> None:
    articles = [
        make_article(
            "The Port Verrin Transit Authority said buses would detour over the old road.",
            id="a1",
        ),
        make_article("The PVTA said its free ferry would run every twenty minutes.", id="a2"),
    ]
    quotes = RuleQuoteExtractor().extract(articles)
    entities = RuleEntityRecognizer().recognize(articles, quotes)
    assert {q.speaker for q in quotes} == {"Port Verrin Transit Authority", "PVTA"}
    linked, _ = link_speakers(quotes, entities)
    assert {q.speaker for q in linked} == {"Port Verrin Transit Authority"}
