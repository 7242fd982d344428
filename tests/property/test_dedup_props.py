"""Dedup, for any input: the fast paths give what the general ones give.

Fact grouping bounds the candidates of each sentence, which may only split
facts, never join unrelated ones, and does not depend on the input order; copy
detection reads words from whole articles or from their sentences and must
agree exactly.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.stories.copies import ShingleDeduplicator
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter, segment
from storyline.text.tokens import STOP_WORDS
from tests.builders import make_article, make_sentences

# A small vocabulary, so that generated sentences overlap and repeat a lot, and
# clauses that sentences share amid different words (paraphrase-like pairs whose
# cosine is low but whose shared run of words makes them one fact).
WORDS = (
    "dock workers walked off the job at the northern terminal on Monday after talks "
    "broke down ships would be diverted south union leaders said strike could last "
    "week port authority Überseehafen café 2024 ferry crews mayor council budget "
    "bridge closed repairs engineers cracks inspection traffic detour river city"
).split()
CLAUSES = (
    "ships would be diverted to the southern berths until the dispute is settled",
    "engineers found cracks in the main bridge cables during the inspection",
    "the council approved an emergency budget for the bridge repairs",
)

filler = st.lists(st.sampled_from(WORDS), max_size=10)
sentence = st.builds(
    lambda before, clause, after: " ".join([*before, clause, *after]).strip().capitalize() + ".",
    filler,
    st.sampled_from(("", *CLAUSES)),
    filler,
).filter(lambda text: text != ".")
article_texts = st.lists(st.lists(sentence, min_size=1, max_size=6).map(" ".join), max_size=6)


def _articles(texts: list[str]) -> list[Article]:
    return [make_article(text, id=f"a{n}") for n, text in enumerate(texts)]


@settings(max_examples=60, deadline=None)
@given(texts=article_texts, neighbours=st.integers(min_value=1, max_value=3))
def test_bounded_neighbours_still_partition_and_keep_exact_repeats_together(
    texts: list[str], neighbours: int
) -> None:
    articles = _articles(texts + texts[:1])
    sentences = [s for article in articles for s in make_sentences(article)]
    by_id = {article.id: article for article in articles}
    facts = LexicalFactGrouper(neighbours=neighbours).group(sentences, by_id)
    fact_of = {sid: fact.id for fact in facts for sid in fact.sentence_ids}
    assert sorted(fact_of) == sorted(s.id for s in sentences)
    assert sum(len(fact.sentence_ids) for fact in facts) == len(sentences)
    if texts:
        # The repeated first article: each of its sentences shares a fact with its twin.
        twin = articles[-1].id
        for sentence in make_sentences(articles[0]):
            text = sentence.text(articles[0])
            if any(word.lower() not in STOP_WORDS for word in re.findall(r"[^\W_]+", text)):
                assert fact_of[sentence.id] == fact_of[f"{twin}:{sentence.index}"]


@settings(max_examples=60, deadline=None)
@given(texts=article_texts)
def test_facts_do_not_depend_on_input_order(texts: list[str]) -> None:
    articles = _articles(texts)
    sentences = [s for article in articles for s in make_sentences(article)]
    by_id = {article.id: article for article in articles}
    forward = LexicalFactGrouper().group(sentences, by_id)
    backward = LexicalFactGrouper().group(sentences[::-1], dict(reversed(by_id.items())))
    assert forward == backward


@settings(max_examples=60, deadline=None)
@given(texts=article_texts, copied=st.lists(st.integers(min_value=0, max_value=5), max_size=3))
def test_copies_are_found_alike_from_articles_and_from_their_sentences(
    texts: list[str], copied: list[int]
) -> None:
    originals = [i for i in copied if i < len(texts)]
    articles = _articles(texts + [texts[i] + " Filed late." for i in originals])
    segmenter = RuleSegmenter()
    sentences = {article.id: segment(article, segmenter) for article in articles}
    deduplicator = ShingleDeduplicator()
    groups = deduplicator.deduplicate(articles)
    assert deduplicator.deduplicate(articles, sentences) == groups
    group_of = {member: n for n, g in enumerate(groups) for member in (g.canonical, *g.copies)}
    for k, i in enumerate(originals):
        # Every shingle of an original of five words or more is in its copy.
        if len(texts[i].split()) >= 5:
            copy = articles[len(texts) + k].id
            assert group_of.get(copy) is not None
            assert group_of.get(copy) == group_of.get(f"a{i}")
