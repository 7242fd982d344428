"""Dedup, for any input: the fast paths give what the general ones give.

Fact grouping scores small stories in one pass over shared features and large
ones by blocks of sparse products; copy detection reads words from whole
articles or from their sentences. Each pair must agree exactly.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import Article
from storyline.stories import facts as dedup
from storyline.stories.copies import ShingleDeduplicator
from storyline.stories.facts import LexicalFactGrouper
from storyline.text.sentences import RuleSegmenter, segment
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
@given(texts=article_texts, block_size=st.integers(min_value=1, max_value=5))
def test_feature_pass_and_sparse_products_group_the_same_facts(
    texts: list[str], block_size: int
) -> None:
    articles = _articles(texts)
    sentences = [s for article in articles for s in make_sentences(article)]
    by_id = {article.id: article for article in articles}
    grouper = LexicalFactGrouper(block_size=block_size)
    one_pass = grouper.group(sentences, by_id)
    limit = dedup._FEATURE_PASS_ROWS
    dedup._FEATURE_PASS_ROWS = -1  # every story takes the sparse-product path
    try:
        products = grouper.group(sentences, by_id)
    finally:
        dedup._FEATURE_PASS_ROWS = limit
    assert one_pass == products


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
