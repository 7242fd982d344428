"""Dedup: syndicated copies and fact grouping."""

from __future__ import annotations

from storyline.model import Article
from storyline.stories.copies import ShingleDeduplicator
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.tokens import tokenize
from tests.builders import make_article, make_sentences

WIRE = (
    "Dock workers walked off the job at the northern terminal on Monday after talks on "
    "night-shift pay broke down. The port authority said ships would be diverted to the "
    "southern berths until the dispute is settled. Union leaders said the strike could "
    "last a week."
)


def test_wire_copy_with_extra_paragraph_is_a_copy_of_the_earliest() -> None:
    later = make_article(WIRE + " Local shops expect a quiet week.", id="b", published="2024-03-05")
    earliest = make_article(WIRE, id="a", published="2024-03-04")
    other = make_article("A cat show opened downtown with three hundred entries.", id="c")
    (group,) = ShingleDeduplicator().deduplicate([later, earliest, other])
    assert group.canonical == "a"
    assert group.copies == ("b",)


def test_undated_copy_yields_to_the_dated_report() -> None:
    undated = make_article(WIRE, id="u")
    dated = make_article(WIRE, id="d", published="2024-03-04")
    (group,) = ShingleDeduplicator().deduplicate([undated, dated])
    assert group.canonical == "d"


def test_articles_sharing_a_sentence_are_not_copies() -> None:
    first = make_article(WIRE, id="a")
    second = make_article(
        "Dock workers walked off the job at the northern terminal on Monday. Fishermen "
        "were not affected and the fish market opened as usual, its manager said, adding "
        "that prices of cod had risen for a third week in a row amid cold weather.",
        id="b",
    )
    assert ShingleDeduplicator().deduplicate([first, second]) == ()


def test_the_sentences_table_leaves_the_cache_when_copies_change_the_sentences() -> None:
    # fact grouping reads only the originals' sentences: the table of all of them is never
    # asked for again, and must not stay in memory through the later stages
    copy = make_article(WIRE, id="b", published="2024-03-05")
    original = make_article(WIRE, id="a", published="2024-03-04")
    other = make_article("A cat show opened downtown with three hundred entries.", id="c")
    articles = [copy, original, other]
    sentences = {article.id: make_sentences(article) for article in articles}
    tokenize.cache_clear()
    assert ShingleDeduplicator().deduplicate([original, other], sentences) == ()
    assert tokenize.cache_info().currsize == 1  # no copies: facts reads the same sentences
    (group,) = ShingleDeduplicator().deduplicate(articles, sentences)
    assert group.copies == ("b",)
    assert tokenize.cache_info().currsize == 0


def _facts(*articles: Article) -> list[list[str]]:
    sentences = [s for article in articles for s in make_sentences(article)]
    by_id = {article.id: article for article in articles}
    facts = LexicalFactGrouper().group(sentences, by_id)
    covered = sorted(sid for fact in facts for sid in fact.sentence_ids)
    assert covered == sorted(s.id for s in sentences), "facts partition the sentences"
    return [list(fact.sentence_ids) for fact in facts]


def test_paraphrase_sharing_a_clause_is_one_fact() -> None:
    first = make_article(
        "Putin denied that Moscow meddled in France's presidential election and said he "
        "did not intend to influence the vote. The weather was warm.",
        id="x",
        published="2017-05-30",
    )
    second = make_article(
        "Russian President Vladimir Putin has rejected allegations that Moscow meddled in "
        "France's presidential election. Talks lasted three hours.",
        id="y",
        published="2017-06-02",
    )
    facts = _facts(first, second)
    assert ["x:0", "y:0"] in facts
    assert ["x:1"] in facts
    assert ["y:1"] in facts


def test_sentences_sharing_only_names_stay_apart() -> None:
    first = make_article("Egyptian President Hosni Mubarak met army chiefs in Cairo.", id="x")
    second = make_article(
        "Egyptian President Hosni Mubarak resigned after weeks of protests.", id="y"
    )
    assert _facts(first, second) == [["x:0"], ["y:0"]]


def test_exact_repeat_is_one_fact_ordered_by_date() -> None:
    text = "There is a clear red line on our side, the minister said."
    late = make_article(text, id="late", published="2020-01-02")
    early = make_article(text, id="early", published="2020-01-01")
    assert _facts(late, early) == [["early:0", "late:0"]]


def test_grouping_is_deterministic() -> None:
    articles = [
        make_article(WIRE, id="a"),
        make_article(WIRE.replace("Monday", "Tuesday"), id="b"),
        make_article("The port authority said ships would be diverted south.", id="c"),
    ]
    assert _facts(*articles) == _facts(*articles)


def test_three_copies_form_one_group_with_the_earliest_named() -> None:
    copies = [
        make_article(WIRE + f" Filed by desk {n}.", id=f"c{n}", published=f"2024-03-0{n}")
        for n in (7, 5, 6)
    ]
    (group,) = ShingleDeduplicator().deduplicate(copies)
    assert group.canonical == "c5"
    assert group.copies == ("c6", "c7")


def test_short_articles_are_compared_whole() -> None:
    first = make_article("Port closed.", id="a")
    second = make_article("Port closed.", id="b")
    third = make_article("Port open.", id="c")
    (group,) = ShingleDeduplicator().deduplicate([first, second, third])
    assert (group.canonical, group.copies) == ("a", ("b",))


def test_copies_in_any_script_are_found() -> None:
    wire = (
        "Портовые рабочие прекратили работу на северном терминале в понедельник после "
        "того, как переговоры об оплате ночных смен зашли в тупик. Суда будут направлены "
        "к южным причалам, пока спор не будет урегулирован."
    )
    first = make_article(wire, id="ru1", published="2024-03-04")
    copy = make_article(wire + " Агентство Тайдуотер.", id="ru2", published="2024-03-05")
    other = make_article("Выставка кошек открылась в центре города.", id="ru3")
    (group,) = ShingleDeduplicator().deduplicate([copy, first, other])
    assert (group.canonical, group.copies) == ("ru1", ("ru2",))
