"""Questions: a story and a query -> the relevance of each fact, and the sections kept to it.

Input -> output: a query (a few words or a question) steers a digest
(:class:`~storyline.digest.summary.Guidance`, through
:meth:`storyline.pipeline.Pipeline.run`'s ``steer``): :func:`steering` weighs every
sentence by the relevance of its fact, and the usual non-redundant, cited selection
then chooses among the relevant facts; :func:`focus` keeps the quotes, timeline
sentences, disagreements and coverage that bear on the query.

Relevance is the tf-idf cosine of a sentence and the query, with scikit-learn's
``TfidfVectorizer`` (smooth idf, sublinear tf, L2 norm) fitted on the story's sentences,
over storyline's words: content words (no function word), case-folded, Snowball-stemmed
(:func:`storyline.text.tokens.stem`), so that "warned" matches "warning". The cosines
are scaled so that the best sentence's is 1; a fact's relevance is the mean over its
sentences (a fact that one of six outlets words with a query word is not about the
query), and a sentence that shares a word with the query weighs its fact's relevance,
squared, in the selection; one that shares none weighs 0 and is never chosen.
Squaring (a fact half as relevant counts a quarter) and the mean were chosen by reading
the summaries of five questions on the example corpus (with the best cosine and no
square, "The bridge carries about 38,000 vehicles a day." answered "Was the city warned
about the cables?"): there is no question-focused benchmark in ``../shared``.

A quote, a timeline sentence, a disagreement or a covered fact bears on the query when
its text (or the speaker's name) holds one of the query's words.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.digest.summary import Guidance, Steering
from storyline.model import Article, Digest, Story, Timeline, sentence_texts
from storyline.text.tokens import STOP_WORDS, stem

__all__ = ["focus", "query_words", "relevance", "steering"]

_WORD = re.compile(r"[^\W_]+")


def query_words(text: str) -> frozenset[str]:
    """The stems of the content words of ``text``."""
    return frozenset(_stems(text))


def relevance(story: Story, articles: Mapping[str, Article], query: str) -> dict[str, float]:
    """Each sentence's relevance to ``query``: the mean tf-idf cosine of its fact's
    sentences, scaled so that the best sentence's is 1, or 0 when it shares no word with
    the query (all 0 when none does)."""
    sentences = story.sentences
    if not sentences or not query_words(query):
        return {sentence.id: 0.0 for sentence in sentences}
    vectorizer = TfidfVectorizer(analyzer=_stems, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(sentence_texts(sentences, articles))
    except ValueError:  # no sentence has a content word
        return {sentence.id: 0.0 for sentence in sentences}
    cosine = np.asarray((matrix @ vectorizer.transform([query]).T).todense()).ravel()
    by_sentence = dict(zip((s.id for s in sentences), cosine.tolist(), strict=True))
    best = max(by_sentence.values())
    if best <= 0:
        return dict.fromkeys(by_sentence, 0.0)
    weights = {key: value / best for key, value in by_sentence.items()}
    for fact in story.facts:
        shared = statistics.fmean(weights.get(member, 0.0) for member in fact.sentence_ids)
        weights.update((member, shared) for member in fact.sentence_ids if weights[member] > 0)
    return weights


def steering(query: str) -> Steering:
    """The steering of a summary towards ``query`` (for ``Pipeline.run(steer=...)``)."""

    def steer(story: Story, articles: Mapping[str, Article]) -> Guidance:
        weights = relevance(story, articles, query)
        return Guidance(relevance={key: value * value for key, value in weights.items()})

    return steer


def focus(digest: Digest, query: str) -> Digest:
    """``digest`` with only the quotes, timeline sentences (dates without one are left
    out), disagreements and covered facts that hold a word of ``query``."""
    words = query_words(query)

    def bears(*texts: str | None) -> bool:
        return any(words.intersection(_stems(text)) for text in texts if text)

    return replace(
        digest,
        timelines=tuple(_focused(timeline, bears) for timeline in digest.timelines),
        quotes=tuple(q for q in digest.quotes if bears(q.text, q.speaker)),
        coverage=tuple(item for item in digest.coverage if bears(item.text)),
        disagreements=tuple(
            item
            for item in digest.disagreements
            if bears(item.claim, *(text for side in item.sides for text in side.texts))
        ),
    )


class _Bears(Protocol):
    def __call__(self, *texts: str | None) -> bool: ...


def _focused(timeline: Timeline, bears: _Bears) -> Timeline:
    entries = []
    for entry in timeline.entries:
        kept = tuple(item for item in entry.sentences if bears(item.text))
        if kept:
            entries.append(replace(entry, sentences=kept))
    return replace(timeline, entries=tuple(entries))


def _stems(text: str) -> Sequence[str]:
    words = _WORD.findall(text.casefold())
    return [stem(word) for word in words if word not in STOP_WORDS]
