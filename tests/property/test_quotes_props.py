"""Properties of RuleQuoteExtractor on arbitrary and news-like text (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.digest.quotes import RuleQuoteExtractor
from storyline.model import Article, Quote
from tests.builders import make_article
from tests.unit.test_quotes import assert_verbatim

# Pieces that exercise every rule: every quotation mark, apostrophes, names, roles,
# pronouns, speech verbs, dashes, abbreviations and paragraph breaks.
PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "'",
    "«",
    "»",
    ",",
    ".",
    ":",
    "?",
    " — ",
    "\n\n",
    "Mr",
    "Ms.",
    "Dana Whitlock",
    "Putin",
    "the Russian leader",
    "the company",
    "he",
    "she",
    "they",
    "said",
    "told reporters",
    "according to",
    "that",
    "don’t",
    "leaders’",
    "We will rebuild the pier",
    "nobody is left behind",
    "Analysts at Dunmore Securities",
]

news_text = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)


def _check(quotes: tuple[Quote, ...], articles: list[Article]) -> None:
    for quote in quotes:
        assert quote.kind in {"direct", "indirect"}
        assert (quote.speaker is None) == (quote.attribution == "unknown")
    assert_verbatim(quotes, articles)


@settings(max_examples=150, deadline=None)
@given(st.lists(news_text, min_size=1, max_size=3))
def test_news_like_text_gives_verbatim_spans(texts: list[str]) -> None:
    articles = [make_article(text, id=f"p{n}") for n, text in enumerate(texts)]
    extractor = RuleQuoteExtractor()
    quotes = extractor.extract(articles)
    _check(quotes, articles)
    assert extractor.extract(articles) == quotes


@settings(max_examples=150, deadline=None)
@given(any_text)
def test_arbitrary_text_never_fails(text: str) -> None:
    article = make_article(text, id="x")
    _check(RuleQuoteExtractor().extract([article]), [article])
