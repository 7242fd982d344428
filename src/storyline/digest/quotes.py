"""Quotes: articles -> direct and indirect quotes with their speakers, merged across outlets.

Input: a sequence of :class:`~storyline.model.Article`. Output: a tuple of
:class:`~storyline.model.Quote`, each with its speaker (or ``None``), its kind
(``"direct"``: words inside quotation marks; ``"indirect"``: reported speech such
as "Putin said he and Macron had not discussed..."), how the speaker was found
(``attribution``) and one :class:`~storyline.model.QuoteSpan` per piece and per
article that carries it. Every span is checked against its article: the text of a
quote is the article text at the offsets of one occurrence, piece for piece.

Method: rules, no model and no network, in the line of the pattern-based
quotation extraction of Pouliquen, Steinberger and Best (2007, "Automatic
detection of quotations in multilingual news") and of the rule baselines that
O'Keefe et al. (2012, "A sequence labelling approach to quote attribution")
measure on news: a quote is attributed to the speaker named next to a speech
verb in its sentence, else to the most recent plausible speaker.

1. Quotation marks are paired per paragraph (“…”, "…", ‘…’, '…', «…», „…“, and
   the ''…'' of the New York Times' archive and ``…'' of tokenised text);
   single marks only outside double quotes (nested quotes stay inside their
   quote), apostrophes (don't, leaders' aides) are told apart by their context.
   A quote left open at the end of a paragraph whose successor opens with a mark
   continues there (the newspaper convention for multi-paragraph quotes). A stray
   mark before an attribution (``them, ‘ Putin said``) quotes its sentence.
2. Sentences are split without ever cutting inside a quote or between a quote
   and its attribution.
3. Scare quotes and names are not quotes: a quoted stretch of fewer than
   ``min_words`` words (``“hybrid”``, ``"long winter"``) is a quote only when it
   is a whole utterance (it ends in . ! ? inside the marks, or a comma followed
   by an attribution: ``“No,” he said``); a stretch right after a naming word
   (a banner *reading* “…”, signs, *so-called*, *titled*, *dubbed*, *known as*)
   or written in Title Case (a book or brand name) is a name.
4. The speaker of a direct quote is, in this order: the noun phrase next to a
   speech verb right after it (``“…”, Mr Macron said``; ``“…,” said Ms Lind``;
   ``“…” — Ana Lind``; after a comma, ! or ?, any past tense: ``“…!” beamed X``),
   the subject of the nearest speech verb before it in the sentence (``Putin said:
   “…”``; ``Macron accused Russia of pursuing “…”``; ``..., saying he was “…”``; the
   name opening the sentence past a parenthetical), an attribution ending the
   sentence (``“…” for Clinton, said Kunin``), the subject of its own sentence
   whatever the verb (``Trump mocked Rubio for “…”``), the subject of a sentence
   introducing it with a colon, and otherwise the speaker or subject of the previous
   sentence (not of a title). A quote split by its attribution (``“…,” he said,
   “…”``), resumed after it (``“…,” he said. “…”``), a quote-only sentence or
   paragraph that goes on from an attributed quote, and the quoted stretches one
   verb introduces (``the goal was not “A” but “B”``) are one quote with one span
   per piece, as PolNeAR labels them one attribution. Nested quotes stay inside.
5. Indirect speech is a speech verb or a verb of believing with a subject and a
   reported clause (``X said (that) ...``, ``X believes that``, ``..., adding that
   ...``, ``..., he said.``, ``Her objection, she said, was ...``, ``According to
   X, ...``, ``..., according to X.``); the words that report it are kept as the
   quote's ``cue`` ("denied that", "did not say that"), and a denied report never
   merges with an asserted one; a verb that
   introduced a direct quote is left to it ("said the handshake was “a moment of
   truth”" is a direct partial quote), passives (``it was claimed that``) are
   skipped, and so are sources that cannot speak ("according to figures").
   Beyond speech verbs, as PARC 3.0 (Pareti 2016) and PolNeAR define attribution, the
   cue may be a verb of intention or request with a to-infinitive (``vowed to form``,
   ``urges supporters to monitor``), of judging or stance with its object
   (``criticized the party's lack of ...``; not a noun with its own that-clause:
   ``rejected allegations that`` stays out), of showing or finding (``polls show``), a
   prepositional cue (``called for``, ``warned against``) or an indirect question
   (``questioned whether``); the word lists are ``purpose_verbs``,
   ``appraisal_verbs``, ``evidence_verbs`` and ``prepositional_cues``, drawn from
   VerbNet classes. A progressive (``is demanding that``) takes the subject before
   its auxiliary, ``who`` its named antecedent, and ``..., said Jeffrey Trimble, a
   senior official.`` its source after the verb. A reported clause ends before a
   second reporting verb (``said X and warned that Y``: two reports), and a negation
   before an adverb stays in the cue (``did not directly criticise``).
   For recall (issue 13, point 1): verbs of communication whose object is the message
   (``outlined her plan``, ``described the damage``; the list ``topic_verbs``, after VerbNet's
   37.x classes), left to a quote their object frames (``described it as “a disaster”``);
   ``called on X to ...``; a bare clause after a prepositional phrase when a subject pronoun
   opens it (``said after the meeting she would ...``); a trailing source with a day after
   its verb (``..., officials said Tuesday.``); ``pointed out that``; a participle or a verb
   after ``and``/``but`` takes the noun phrase opening the sentence when no name or pronoun
   is its subject. A reported clause ends before a comma that opens a report of its own
   (``..., Mr. McKinley said that``) or a concessive clause (``, although``), and with the
   adverbial clause it stands in (``When X noted that ..., Y ...``); such a clause, or a
   prepositional phrase, is no trailing report's content.
6. Speakers are resolved: a name to its fullest form in the article ("Mr
   Macron" -> "Emmanuel Macron"), then to the one fuller form of that person in
   the batch, so that one person is one speaker across outlets ("Putin" ->
   "Vladimir Putin"; "Clinton" stays when the batch has two); a pronoun to the
   most recent subject of the same gender, following chains of pronouns back; a
   role ("the Russian leader") to the person mentioned in the article whose
   descriptors, gathered
   over all the articles ("Russian President Vladimir Putin", "France's newly
   elected president, Emmanuel Macron"), share most words with it and no
   conflicting nationality. Groups and organisations keep their noun phrase
   ("Analysts at Goldman Sachs"). A nation word before a name is a descriptor of a
   person ("Russian President Vladimir Putin") but part of a body's name when the name
   ends in an organisation or place head ("Russian Federation", "U.S. Navy", "Qatar
   Airways"; they were "Federation", "Navy", "Airways"). A degree word before an adverb
   is passed over with it ("I very precisely pointed out": the subject is "I", not a
   speaker "I very"). A pronoun speaker of reported speech is nobody its clause names
   (binding theory's principle C: in "Putin would invite Macron, he said" or "he said
   Putin would ...", "he" is neither); when it was resolved to a name the clause holds
   (the surname alone or the same full name: "Carrie Russell" is no bar to Jill Russell),
   it is left unresolved rather than given someone further back. On the 250 Multi-News val
   clusters these three rules change the speaker of 37 of 6,744 quotes (28 to a fuller
   organisation or a right one, such as "Qatar Airways" for "Etihad Airways" and "Syrian
   Observatory" for "European Union"; 9 to unresolved, read one by one: "Tiger Woods
   claimed Woods immediately asked ...", "Trump found Trump's repeated attacks ...
   disheartening"); PolNeAR dev's scores are unchanged to the third decimal. A reported
   clause whose sentence opens with a dateline leaves it out ("PORT VERRIN —",
   "WASHINGTON (AP) —", "Tokyo (CNN)"): 8 clauses of val250, PolNeAR unchanged; nor is a
   dateline, or a headline in capitals before a dash, a mention a speaker can be found
   among ("LOS ANGELES (AP) — ...", then a quote): on val250, a newsletter's 11 quotes
   given to its own capitals headlines ("STOCKS KEEP TANKING --") now go to the sources
   its sentences name (Reuters, Nate Silver, Gretchen Morgenson) or to none, 2 more
   datelines are no speaker, and one quote goes from "Vivien Leigh" to "Seventy-five";
   PolNeAR unchanged. A name run
   does not start with a hyphenated adjective ("Britain-based Syrian Observatory",
   "Government-owned Qatar Airways", "Oscar-winner Emma Stone") or a month or weekday after a
   preposition ("In February White House officials"), and the military and police ranks
   and their abbreviations are titles ("Air Chief Marshal", "Cmdr", "Maj", "Rear Adm"): on
   val250, 47 quotes change speaker, nearly all losing such words (one new wrong one:
   "Night Live"); in entities "Cmdr Adam Schantz" becomes "Adam Schantz" and "Angus Houston"
   joins "ACM Angus Houston", typed an organisation by the acronym-like "ACM"; PolNeAR,
   CoNLL-2003 dev and the four alias sets unchanged. A subject of one lower-case word in
   -ing or -ed is a participle, no speaker ("including alleged threats", "having documented
   that", "treated revealed"): on val250, 12 false reported clauses gone and 3 direct quotes
   unattributed, all read; PolNeAR reported speech P 0.908 -> 0.909, R 0.424 -> 0.423.
7. The same quote in several articles is merged when the kinds agree, the
   speakers do not conflict and the texts, normalised (quote marks,
   punctuation, case, contractions), have a token-set Jaccard similarity of at
   least ``merge_similarity`` or the shorter one (five words or more) is, to at
   least 90 % of its words, inside the longer one.

The result does not depend on the order of the articles: they are read in order of
their id (then text), which decides the order of the quotes (by their first article), the
text and speaker shown for a merged quote when several are equally good, and the lexicon.

The word lists (speech verbs, titles, role nouns...) are data files of
:mod:`storyline.text.lexicon`, shared with the entities stage.

Measured on news nobody here wrote (PolNeAR dev, 84 articles, each a story;
:mod:`storyline.evaluate.quotes`): direct quotes F1 0.906, the speaker right on 0.933 of the
matched quotes with a named source, reported speech P 0.909 R 0.423 (0.907 / 0.424 before
the participle rule of point 6; before the recall rules of issue 13 point 1: speaker 0.930,
P 0.901 R 0.400; before the cues beyond speech verbs: P 0.959 R 0.235; PolNeAR's
attributions also cover noun cues, complements, beliefs and intentions: 6,522 distinct cues
on train). Split by document (sorted ids, even and odd; ``bench/reported_speech.py``), half
A, on which the cues beyond speech verbs and the recall rules were developed, scores
reported speech P 0.913 R 0.423 (before the recall rules P 0.912 R 0.398), the held-out half
B P 0.900 R 0.425 (before P 0.886 R 0.404). The earlier rules were chosen on PolNeAR train;
the project's labelled files (written with the rules) are regression tests. The recall rules
cost no measurable time: 1,000 Timeline17 articles in 10.0 - 12.3 CPU s after, 10.5 - 13.2 s
before (runs interleaved on a noisy shared machine).

Text that several articles of a batch share (a wire story and its copies; the remixed
sentences of ``bench/make_stream.py``, 30% of a story's sentences) is read once: the first
pass tokenises each distinct stretch of text between quotes once, and a sentence with the
same tokens as one already read shares its name runs and what they teach the lexicon. On
the 273 stories of two or more articles of a 3,000-article stream (2,796 articles; the
same quotes), the first pass took 10.5% less CPU time, the lexicon 10%, the whole stage 6%
(each story run with the code before and after in turn, twice: 23.97 -> 22.47 CPU s; again
at the end, 21.16 -> 19.73). On Timeline17 (40 batches of 40 articles, 6% of the sentences
repeated) it is no slower: 14.33 -> 14.21 CPU s.

The lexicon is made per call because it is the batch's: which capitalised words are
common words, and what each name key's runs teach (person or not, gender, descriptors),
count over all the batch's sentences; the word lists it reads are module constants, made
once. Within a call, what :func:`_make_run` makes of a run of shared tokens is kept (a name
comes many times), a sentence without a quote is keyed by its shared tokens in C, a stretch
whose words are all known is looked up in C, full tokens are made without ``__init__``, and
reported speech is not looked for in a sentence without a reporting word; a story with few
quote texts pairs them all with all (see :func:`_similar_candidates`). On the same 273
stories (each story run by the code before and after in turn, three times, the least time of
each kept): 13.25 -> 12.66 and 12.23 -> 11.67 CPU s (5%), the same quotes. Where the stage's
time goes (CPU s of about 15.5, timers around the functions): the lexicon 4.7 (name runs 2.0,
lessons 1.1, counting and keys 1.5), the first pass 3.5 (tokenising the stretches 2.1), the
attribution 5.1 (full tokens 1.6), merging 1.6. Each is Python run once per token or per
name, spread over many rules; none is work done twice.

Issue 13's scale run (4,624 Timeline17 articles as one story; the quotes worker is its
longest chain) asked for less CPU with the same quotes. What changed, each a smaller piece
of the same work: the lexicon fills a set of the words met anywhere but as a capitalised
first word rather than counting every token (a word is capitalised inside a sentence
exactly when it is in that set); a key's :class:`_Facts` is made when the key is new, not
thrown away at each of its runs (``dict.setdefault`` built one with two sets for each of
the 447,000 runs); a sentence's capitalised tokens are found in C and a run's cache key
and :class:`_Run` are made without keywords; full tokens are made inline, not by a call per
word; a run's words are tested against organisation and nation words in one loop, not two
generators; the nations among a person's descriptors are kept per key; a reported clause's
words are counted up to the three the rule needs; apostrophes inside words are passed over
before the test against double-quoted stretches. In :func:`_merge`, the merge kind is read
once per occurrence (it reads a cue), a candidate pair's first group makes its word set once
for all its pairs (they come ordered by it) and the second's words are looked up in it, the
filters on the sparse products' entries (23 and 26 million on Timeline17; half of the first
are mirrors) are applied one after another, each on what the previous kept, and a quote of
one occurrence is made without sorting. On all 4,624 articles (``extract``, CPU s, the same
60,784 quotes, peak memory the same, 681 MB; the code before and after run in turn on a
shared, loaded machine): with the run's collector setting (``fewer_collections``
of the pipeline), four pairs before -> after: 49.7 -> 43.9, 39.3 -> 39.2, 42.4 -> 41.7,
46.0 -> 41.2 (about 6% on the means, 44.3 -> 41.5; the machine's load made the runs swing
by a quarter); on the first 2,000 articles (31,541 quotes), five pairs: 23.8 -> 21.3,
20.8 -> 22.1, 23.6 -> 21.0, 24.9 -> 22.4, and 21.5 after (medians 23.7 -> 21.5); with the
default collector (fewer objects to walk) 58.9 -> 48.7. Issue 13's 25% is not reached.
Not done: prefiltering reported speech on the first pass's tokens (of the sentences read
only for a reporting word, 9% have no cue that passes the cheap tests: 3,118 of 35,005 on
the first 1,500 articles). What remains is spread thin: the tokeniser's pattern and the
dictionary of shared words (about 10%), the name runs (10%), the full tokens (8%), the
sparse products (6%); with the default collector, collections add 15%.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import operator
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol, cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from mypy_extensions import mypyc_attr

from storyline.errors import ConfigError
from storyline.model import Article, Quote, QuoteAttribution, QuoteKind, QuoteSpan
from storyline.text.lexicon import (
    CALENDAR,
    HONORIFICS,
    NAME_PARTICLES,
    ORGANISATION_HEADS,
    ORGANISATION_NOUNS,
    PLACE_HEADS,
    ROLE_NOUNS,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    TITLES,
    entries,
    finite_forms,
    verbs,
    words,
)
from storyline.text.tokens import ASCII_SPACE, STOP_WORDS, words_are_ascii

__all__ = [
    "QuoteExtractor",
    "RuleQuoteExtractor",
]

PIECE_SEPARATOR = " … "
# the share of its words a shorter quote keeps inside a longer one it is part of
_CONTAINED = 0.9
# words probed beyond the prefix of a quote when looking for quotes with the same words: more
# probes make fewer candidate pairs but larger sparse products (on the 4,624 Timeline17
# articles, 60,784 quotes: _merge took 7.7 / 5.9 / 8.5 / 13.7 / 23.8 CPU s with 1 / 2 / 3 / 4 /
# 6 probes, the same quotes each time)
_EXTRA_PROBES = 2
_LOG = logging.getLogger(__name__)


# ----------------------------------------------------------------------------- lexicons

_SPEECH = SPEECH_VERBS
_FRAGMENTS = verbs("fragment_verbs")
_SAY_VERBS = finite_forms(_SPEECH)
# Verbs of believing report a clause too ("Trump thinks that ..."), but no quote.
_BELIEF_VERBS = finite_forms(verbs("belief_verbs"))
# Verbs of finding and showing ("polls show a close contest", "the study found that ...").
_EVIDENCE = verbs("evidence_verbs")
_EVIDENCE_VERBS = finite_forms(_EVIDENCE)
# Verbs whose content is the object of a preposition ("called for", "warned against"): each
# form with the prepositions that introduce its content.
_PREPOSITIONAL_CUES = MappingProxyType(
    {
        form: frozenset(prepositions.split())
        for forms, prepositions in entries("prepositional_cues", " : ")
        for form in forms.split()
    }
)
# Participles whose subject is the subject of their sentence ("..., saying he was").
_SAY_PARTICIPLES = frozenset(verb.ing for verb in (*_SPEECH, *_FRAGMENTS))
# Verbs that introduce a quoted fragment without being speech verbs of their own.
_FRAGMENT_VERBS = finite_forms(_FRAGMENTS)
# Verbs whose reported clause may follow without "that" ("Macron said he hopes..."), when
# it starts as a clause does (see _clause_start).
_BARE_CLAUSE_VERBS = (
    _SAY_VERBS | _BELIEF_VERBS | frozenset(verb.ing for verb in _SPEECH) | _EVIDENCE_VERBS
)
_TELL_VERBS = frozenset(
    form
    for verb in _SPEECH
    if verb.base in words("addressee_verbs")
    for form in (verb.base, verb.third, verb.past, verb.ing)
)
_BE_AUX = words("be_auxiliary")
_SKIPPABLE = words("adverbs_between")
_DETERMINERS = words("determiners")
_PRONOUNS = MappingProxyType(
    dict(entries("pronouns"))
)  # m, f, p (a group), n (a thing), s (speaker)
_PREPOSITIONS = words("prepositions")
_PP_LINKS = words("linking_prepositions")
_ADJECTIVES_TO = words("adjectives_to")
_CONJUNCTIONS = words("conjunctions")
_RELATIVES = words("relative_pronouns")
_NAMING_CUES = words("naming_cues")
_NAMING_BEFORE_AS = words("naming_before_as")
_DATA_NOUNS = words("data_nouns")
# nouns for an organisation: "the company", "the ministry said", "according to the government"
_ORG_NOUNS = ORGANISATION_NOUNS | ORGANISATION_HEADS
_ROLE_NOUNS = ROLE_NOUNS
_PEOPLE = words("people_nouns")
_GENERIC_ROLES = words("generic_roles")
_HONORIFICS: Mapping[str, Gender] = MappingProxyType(
    {word: ("m" if gender == "m" else "f" if gender == "f" else "") for word, gender in HONORIFICS}
)
_TITLES = TITLES
# words that make a capitalised run a name of something other than a person
_ORG_WORDS = ORGANISATION_HEADS | PLACE_HEADS
_MONTHS_DAYS = CALENDAR
_NO_PERSON_WORDS = _ORG_WORDS | _MONTHS_DAYS  # a name holding one names no person
_DENIAL_FORMS = frozenset(
    form for verb in verbs("denial_verbs") for form in (verb.base, verb.third, verb.past, verb.ing)
)
_CUE_AUXILIARIES = words("cue_auxiliaries")
_SUBORDINATORS = words("subordinators")
_TIME_ADVERBS = words("time_adverbs")
# words of a time adjunct right after a speech verb ("said Tuesday", "said last week")
_TIME_WORDS = _MONTHS_DAYS | _TIME_ADVERBS
_INTENSIFIERS = words("intensifiers")
# a capitalised word joined by a hyphen to a lower-case one: an adjective ("Britain-based",
# "Government-owned", "U.S.-led"), no part of the name after it
_HYPHENATED_MODIFIER = re.compile(r"[A-Z][\w.]*-[a-z]+")
_QUANTIFIERS = words("quantifiers")
_NAME_PARTICLES = NAME_PARTICLES
_ABBREVIATIONS = words("abbreviations")
_FUNCTION_WORDS = SENTENCE_OPENERS
_CONTRACTIONS = entries("contractions", " = ")
# Country: the words that name it or its people (lower case).
_NATION = MappingProxyType(
    {
        word: "@" + country
        for country, names in entries("countries", ": ")
        for word in (country, *names.split())
    }
)
# the words of closed classes: never names when they open a sentence
_CLOSED_CLASS = (
    _FUNCTION_WORDS
    | _PREPOSITIONS
    | _CONJUNCTIONS
    | _DETERMINERS
    | _RELATIVES
    | _SKIPPABLE
    | _BE_AUX
    | frozenset(_PRONOUNS)
)
_APOSTROPHE = re.compile("[’']")
# unions the rules test words against, built once
# Verbs whose content is a to-infinitive ("vowed to form", "urges supporters to monitor").
_PURPOSE = verbs("purpose_verbs")
_PURPOSE_VERBS = finite_forms(_PURPOSE)
_PURPOSE_PARTICIPLES = frozenset(verb.ing for verb in _PURPOSE)
# Verbs of judging and stance whose object is the content ("criticized the party's ...").
_APPRAISAL = verbs("appraisal_verbs")
_APPRAISAL_VERBS = finite_forms(_APPRAISAL) | frozenset(verb.ing for verb in _APPRAISAL)
# Verbs of communication whose object is the message ("outlined his plan", "touted his record").
_TOPIC = verbs("topic_verbs")
_TOPIC_VERBS = finite_forms(_TOPIC)
_TOPIC_PARTICIPLES = frozenset(verb.ing for verb in _TOPIC)
# -ing forms read as the verb of a progressive ("is demanding that", "is hoping that")
_PROGRESSIVES = (
    _SAY_PARTICIPLES
    | _PURPOSE_PARTICIPLES
    | frozenset(verb.ing for verb in (*_APPRAISAL, *verbs("belief_verbs")))
    | frozenset(form for form in _PREPOSITIONAL_CUES if form.endswith("ing"))
)
_REPORTING = (
    _SAY_VERBS
    | _SAY_PARTICIPLES
    | _BELIEF_VERBS
    | _PURPOSE_VERBS
    | _PROGRESSIVES
    | _APPRAISAL_VERBS
    | _EVIDENCE_VERBS
    | frozenset(_PREPOSITIONAL_CUES)
)
# the words reported speech is looked for at: the reporting verbs and the verbs of a message
_CUE_WORDS = _REPORTING | _TOPIC_VERBS | _TOPIC_PARTICIPLES
_MESSAGE_ONLY = _CUE_WORDS - _REPORTING
_TITLE_OR_ROLE = _TITLES | _ROLE_NOUNS
_TITLE_ROLE_OR_HONORIFIC = _TITLE_OR_ROLE | frozenset(_HONORIFICS)
_SAY_OR_FRAGMENT_VERBS = _SAY_VERBS | _FRAGMENT_VERBS
_PREPOSITIONS_OR_CONJUNCTIONS = _PREPOSITIONS | _CONJUNCTIONS

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‚‹"
_SINGLE_CLOSE = "’›"
# two apostrophes (the New York Times' archive) and the `` '' of tokenised text are double
# marks too
_DOUBLE_MARKS = re.compile("[“”„«»\"]|''|``")
# what a two-character mark is read as: '' either way, as a straight mark; `` opens
_MARK_AS = MappingProxyType({"''": '"', "``": "“"})
_SINGLE_MARKS = re.compile("[‘’‚‹›']")
_OPEN_CONTEXT = frozenset("([{—–-/“‘«„‚‹:")
_CLOSE_CONTEXT = frozenset(",.;:!?)]}—–-”’»…")

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|\d+(?:[.,]\d+)+|[^\W_]+(?:[’'\-&][^\W_]+)*(?:(?<=s)[’'](?=\s))?|[^\w\s]",
    re.UNICODE,
)
# _TOKEN for a text of which words_are_ascii holds: the same tokens there, found about a
# quarter sooner (the stretches of the 10,000-article stream's largest 300 stories)
_ASCII_WORD_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|[0-9]+(?:[.,][0-9]+)+|[A-Za-z0-9]+(?:[’'\-&][A-Za-z0-9]+)*"
    rf"(?:(?<=s)[’'](?=[{ASCII_SPACE}]))?|[^A-Za-z0-9_{ASCII_SPACE}]"
)
_WORD_CHARS = re.compile(r"[^\W_]", re.UNICODE)
_BOUNDARY = re.compile(r"[.!?…]+[”’\"»)\]']*(?=\s+(?:''|``|[\"“‘'«(\[])?[A-Z0-9À-Ý])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[“\"‘«„]|''|``))")
_NORMAL_WORD = re.compile(r"[a-z0-9]+")

Gender = Literal["m", "f", ""]

# ----------------------------------------------------------------------------- API


class QuoteExtractor(Protocol):
    """Finds the quotes in articles, with speakers, merged across articles."""

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]: ...


@mypyc_attr(allow_interpreted_subclasses=True)  # compiled: see storyline.native
class RuleQuoteExtractor:
    """Rule-based quote extraction and attribution (see the module docstring).

    ``min_words``: quoted stretches with fewer words are scare quotes unless they
    are whole utterances. ``merge_similarity``: token-set Jaccard similarity at
    which two quotes from different places are the same quote. ``lookback``:
    how many sentences a pronoun may reach back for its antecedent.
    """

    def __init__(
        self, *, min_words: int = 3, merge_similarity: float = 0.75, lookback: int = 5
    ) -> None:
        self.min_words = min_words
        self.merge_similarity = merge_similarity
        self.lookback = lookback

    def extract(self, articles: Sequence[Article]) -> tuple[Quote, ...]:
        self._validate()
        # one order whatever the input order: the lexicon, the first of identical quotes and
        # the order of the output follow it (articles equal in both are interchangeable here)
        articles = sorted(articles, key=lambda article: (article.id, article.text))
        # first pass: each article's sentences with one shared token per distinct word (no
        # offsets), enough to learn the lexicon and find the name runs; a token is then a
        # pointer, so the whole batch fits in a small fraction of its full tokens
        shared: dict[str, _Tok] = {}
        stretches: dict[str, list[_Tok]] = {}  # the batch's repeated text is tokenised once
        parsed = [
            _parse_article(article, shared=shared, stretches=stretches) for article in articles
        ]
        del stretches
        lexicon = _Lexicon.build(parsed)
        # second pass: article by article, full tokens (with offsets) for attribution, freed
        # once the article is read; the runs found in the first pass index the same tokens
        occurrences: list[_Occurrence] = []
        # the shared tokens of the words reported speech starts at (_Attributor.run reads
        # only the sentences that hold one, a quote or a stray mark)
        reporting = {
            token
            for word, token in shared.items()
            if word in _CUE_WORDS or token.low == "according"
        }
        del shared
        for order, document in enumerate(parsed):
            _retokenise(document, reporting)
            reader = _Attributor(
                document=document,
                order=order,
                lexicon=lexicon,
                min_words=self.min_words,
                lookback=self.lookback,
            )
            occurrences.extend(reader.run())
            document.sentences = []  # its tokens are no longer needed: free them before merging
        occurrences = _verified(occurrences, parsed)
        quotes = _merge(occurrences, similarity=self.merge_similarity)
        by_id = {article.id: article for article in articles}
        return tuple(quote for quote in quotes if _quote_verified(quote, by_id))

    def _validate(self) -> None:
        name = type(self).__name__
        if isinstance(self.min_words, bool) or not isinstance(self.min_words, int):
            raise ConfigError(
                f"The 'min_words' parameter of {name} must be an int. "
                f"Got {self.min_words!r} instead."
            )
        if self.min_words < 1:
            raise ConfigError(
                f"The 'min_words' parameter of {name} must be at least 1. "
                f"Got {self.min_words!r} instead."
            )
        if not isinstance(self.merge_similarity, int | float) or not (
            0.0 < float(self.merge_similarity) <= 1.0
        ):
            raise ConfigError(
                f"The 'merge_similarity' parameter of {name} must be a float in (0, 1]. "
                f"Got {self.merge_similarity!r} instead."
            )
        if (
            isinstance(self.lookback, bool)
            or not isinstance(self.lookback, int)
            or self.lookback < 0
        ):
            raise ConfigError(
                f"The 'lookback' parameter of {name} must be an int >= 0. "
                f"Got {self.lookback!r} instead."
            )


# ----------------------------------------------------------------------------- parsing


@dataclass(slots=True)
class _Segment:
    """A quoted stretch: marks at ``outer_start`` and ``outer_end - 1``; words in [start, end)."""

    outer_start: int
    start: int
    end: int
    outer_end: int
    paragraph: int
    unclosed: bool = False
    continues: bool = False


# a word as a token: its text, lower case, whether it is a word, whether capitalised
_Shape = tuple[str, str, bool, bool]


class _Tok:
    """A word, a punctuation mark, or a whole quoted stretch (``segment`` >= 0).

    A plain class with slots, not a frozen dataclass, only because it is several times
    faster to build and a corpus makes millions of tokens; no token is changed once built.
    Not a named tuple either, though one is built in C: reading its fields takes twice as
    long (Python 3.11), and the stage took 1.2 times as long with one (one paired run).
    """

    __slots__ = ("capitalised", "end", "is_word", "low", "segment", "start", "text")

    def __init__(
        self, text: str, start: int, end: int, segment: int = -1, shape: _Shape | None = None
    ) -> None:
        # computed once per distinct word: the rules ask these of every token many times
        if shape is None:
            is_word = segment < 0 and text[:1].isalnum()
            shape = (text, text.lower(), is_word, is_word and text[0].isupper())
        self.text, self.low, self.is_word, self.capitalised = shape
        self.start = start
        self.end = end
        self.segment = segment  # index of the quoted segment this token stands for

    def __repr__(self) -> str:
        return f"_Tok({self.text!r}, {self.start}, {self.end}, {self.segment})"

    def at(self, start: int, end: int) -> _Tok:
        """This word's token at [start, end) (of a shared token: a full one), with this
        token's shape: its case is not read again."""
        shape = (self.text, self.low, self.is_word, self.capitalised)
        return _Tok(self.text, start, end, -1, shape)

    @property
    def is_quote(self) -> bool:
        return self.segment >= 0


_CAPITALISED = operator.attrgetter("capitalised")


@dataclass(slots=True)
class _Run:
    """A name in a sentence: tokens [first, last] after titles; ``key`` is its last word.
    (It does not name its sentence: a sentence the batch repeats shares its runs.) Never
    changed once made; not frozen only because a batch makes hundreds of thousands and a
    frozen dataclass takes several times as long to build."""

    begin: int  # first token of the whole run, titles included
    first: int
    last: int
    name: str
    key: str
    titles: tuple[str, ...]
    gender: Gender
    possessive: bool
    honorific: bool


@dataclass(slots=True)
class _Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    words: list[_Tok]  # the shared tokens of the first pass, or the full ones once read
    runs: list[_Run] = field(default_factory=list)
    quoted: bool = True  # does a quoted segment reach into it?
    first_segment: int = 0  # the first of its paragraph's segments that may reach it
    reader: _FullTokens | None = None  # makes the full tokens on first use (second pass)
    reports: bool = True  # does it hold a word that may start reported speech?

    @property
    def tokens(self) -> list[_Tok]:
        """Its tokens: in the second pass, full tokens with offsets, made when first asked
        for (most sentences hold no quote and no reporting word, and are never read)."""
        if self.reader is not None:
            self.words = self.reader.tokens(self)
            self.reader = None
        return self.words


@dataclass(slots=True)
class _Document:
    article: Article
    segments: list[_Segment]
    orphans: set[int]
    sentences: list[_Sentence]
    by_paragraph: dict[int, list[tuple[int, _Segment]]] = field(default_factory=dict)


def _parse_article(
    article: Article,
    shapes: dict[str, _Shape] | None = None,
    *,
    shared: dict[str, _Tok] | None = None,
    stretches: dict[str, list[_Tok]] | None = None,
) -> _Document:
    """The article's quoted segments and sentences. With ``shared``, a sentence's words are
    the shared token of each distinct word (offsets -1), to be replaced by
    :func:`_retokenise` before attribution; otherwise full tokens. ``stretches`` keeps the
    shared tokens of each stretch of text between quotes already tokenised (in this article
    or another of the batch), so that text repeated across articles is tokenised once."""
    text = article.text
    words = (_ASCII_WORD_TOKEN if words_are_ascii(text) else _TOKEN).findall
    paragraphs = _paragraphs(text)
    segments: list[_Segment] = []
    orphans: set[int] = set()
    for number, (start, end) in enumerate(paragraphs):
        found, stray = _quoted_segments(text, start, end, number)
        segments.extend(found)
        orphans.update(stray)
    for index, segment in enumerate(segments):
        if segment.unclosed and index + 1 < len(segments):
            following = segments[index + 1]
            para_start = paragraphs[following.paragraph][0]
            if following.paragraph == segment.paragraph + 1 and following.outer_start == para_start:
                segment.continues = True
    sentences: list[_Sentence] = []
    by_paragraph: dict[int, list[tuple[int, _Segment]]] = {}
    for i, segment in enumerate(segments):
        by_paragraph.setdefault(segment.paragraph, []).append((i, segment))
    for number, (start, end) in enumerate(paragraphs):
        inside = by_paragraph.get(number, [])
        spans = _sentence_spans(text, start, end, [s for _, s in inside])
        # sentences run left to right: segments that end before one cannot reach the next
        first = 0
        for s_start, s_end in spans:
            while first < len(inside) and inside[first][1].outer_end <= s_start:
                first += 1
            if shared is None:
                tokens = _tokenise(
                    text, s_start, s_end, inside, first, shapes={} if shapes is None else shapes
                )
            else:
                tokens = _tokenise_shared(
                    text,
                    s_start,
                    s_end,
                    inside,
                    first,
                    shared=shared,
                    stretches={} if stretches is None else stretches,
                    words=words,
                )
            sentence = _Sentence(len(sentences), s_start, s_end, number, tokens)
            sentence.first_segment = first
            sentence.quoted = _reaches(inside, first, s_start, s_end)
            sentences.append(sentence)
    return _Document(
        article=article,
        segments=segments,
        orphans=orphans,
        sentences=sentences,
        by_paragraph=by_paragraph,
    )


def _reaches(inside: list[tuple[int, _Segment]], first: int, start: int, end: int) -> bool:
    """Does a segment of ``inside`` (from ``first``) reach into [start, end)? As
    :func:`_tokenise` tells it."""
    for _, segment in itertools.islice(inside, first, None):
        if segment.outer_start >= end:
            return False
        if segment.outer_end > start:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _FullTokens:
    """Makes a sentence's full tokens (with offsets) from its shared ones.

    The words are those of the first pass, in order: each is found with ``str.find`` from
    where the previous one ends (or the quoted segment before it), which is where the
    tokeniser found it, as it skips only white space and underscores."""

    text: str
    segments: list[_Segment]

    def tokens(self, sentence: _Sentence) -> list[_Tok]:
        find = self.text.find
        tokens: list[_Tok] = []
        append = tokens.append
        position = sentence.start
        for shared in sentence.words:
            if shared.segment >= 0:
                segment = self.segments[shared.segment]
                position = segment.outer_end
                append(_Tok(shared.text, segment.outer_start, position, shared.segment))
                continue
            start = find(shared.text, position)
            position = start + len(shared.text)
            append(shared.at(start, position))
        return tokens


def _retokenise(document: _Document, reporting: set[_Tok] | frozenset[_Tok]) -> None:
    """Full tokens, with their offsets, in place of the shared ones of the first pass, each
    sentence's made when it is first read (see :attr:`_Sentence.tokens`); ``reporting``
    holds the shared tokens of the words that may start reported speech."""
    reader = _FullTokens(document.article.text, document.segments)
    for sentence in document.sentences:
        sentence.reports = not reporting.isdisjoint(sentence.words)
        sentence.reader = reader


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed = []
    for start, end in spans:
        first, last = start, end
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        if last > first:
            trimmed.append((first, last))
    return trimmed


def _char(text: str, index: int, start: int, end: int) -> str:
    return text[index] if start <= index < end else " "


def _can_open(text: str, i: int, start: int, end: int, width: int = 1) -> bool:
    before, after = _char(text, i - 1, start, end), _char(text, i + width, start, end)
    return (before.isspace() or before in _OPEN_CONTEXT) and not after.isspace()


def _can_close(text: str, i: int, start: int, end: int, width: int = 1) -> bool:
    before, after = _char(text, i - 1, start, end), _char(text, i + width, start, end)
    return not before.isspace() and (after.isspace() or after in _CLOSE_CONTEXT)


def _isolated(text: str, i: int, start: int, end: int, width: int = 1) -> bool:
    before, after = _char(text, i - 1, start, end), _char(text, i + width, start, end)
    return after.isspace() and (before.isspace() or before in ",.!?")


def _quoted_segments(
    text: str, start: int, end: int, paragraph: int
) -> tuple[list[_Segment], list[int]]:
    """The quoted stretches of one paragraph, and the stray marks left unpaired."""
    segments: list[_Segment] = []
    stray: list[int] = []
    open_at, open_width = -1, 1
    opened = ""
    for mark in _DOUBLE_MARKS.finditer(text, start, end):
        i = mark.start()
        width = mark.end() - i
        char = _MARK_AS.get(mark.group(), mark.group())
        if open_at < 0:
            opener = char in _DOUBLE_OPEN or (
                char in '"”' and _can_open(text, i, start, end, width)
            )
            if opener and not (char == "”" and _can_close(text, i, start, end, width)):
                # `` is closed by '', read as a straight mark
                open_at, open_width, opened = i, width, '"' if width == 2 else char
            elif _isolated(text, i, start, end, width):
                stray.append(i)
            continue
        if char == '"' and opened != '"':
            continue  # straight marks nested in curly ones
        if char in _DOUBLE_OPEN and not (char == "“" and opened == "„"):
            if _can_close(text, i, start, end, width) and not _can_open(text, i, start, end, width):
                _add_segment(segments, text, (open_at, open_width), (i, width), paragraph)
                open_at = -1
            else:
                open_at, open_width, opened = i, width, char  # the earlier one never closed
            continue
        _add_segment(segments, text, (open_at, open_width), (i, width), paragraph)
        open_at = -1
    if open_at >= 0:
        _add_segment(segments, text, (open_at, open_width), (end, 0), paragraph, unclosed=True)
    singles, stray_singles = _single_segments(text, start, end, paragraph, segments)
    segments.extend(singles)
    segments.sort(key=lambda segment: segment.outer_start)
    return segments, stray + stray_singles


def _single_segments(
    text: str, start: int, end: int, paragraph: int, doubles: list[_Segment]
) -> tuple[list[_Segment], list[int]]:
    segments: list[_Segment] = []
    stray: list[int] = []
    open_at = -1
    for mark in _SINGLE_MARKS.finditer(text, start, end):
        i = mark.start()
        char = text[i]
        before, after = _char(text, i - 1, start, end), _char(text, i + 1, start, end)
        # (the cheap tests first: most marks are apostrophes inside words)
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        if char == "'" and "'" in (before, after):
            continue  # half of a double mark of two apostrophes
        if any(d.outer_start <= i < d.outer_end for d in doubles):
            continue
        if open_at < 0:
            if char in _SINGLE_OPEN + "'" and _can_open(text, i, start, end):
                open_at = i
            elif _isolated(text, i, start, end) and before != "s":
                stray.append(i)
            continue
        closer = char in _SINGLE_CLOSE + "'" and _can_close(text, i, start, end)
        if closer and not _possessive_plural(text, i, end):
            _add_segment(segments, text, (open_at, 1), (i, 1), paragraph)
            open_at = -1
        elif char in _SINGLE_OPEN and _can_open(text, i, start, end):
            open_at = i
    return segments, stray


def _possessive_plural(text: str, i: int, end: int) -> bool:
    """True for the mark of "the leaders’ aides": after an s and before a lower-case word."""
    if i == 0 or text[i - 1] not in "sS" or i + 2 >= end:
        return False
    return text[i + 1] == " " and text[i + 2].islower()


def _add_segment(
    segments: list[_Segment],
    text: str,
    opening: tuple[int, int],
    closing: tuple[int, int],
    paragraph: int,
    *,
    unclosed: bool = False,
) -> None:
    """Add the stretch between the marks ``opening`` and ``closing`` (each its position and
    width) unless it holds no word."""
    open_at, close_at = opening[0], closing[0]
    start, end = open_at + opening[1], close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    if end <= start or _WORD_CHARS.search(text, start, end) is None:
        return
    outer_end = close_at + closing[1]
    segments.append(_Segment(open_at, start, end, outer_end, paragraph, unclosed=unclosed))


def _sentence_spans(
    text: str, start: int, end: int, segments: list[_Segment]
) -> list[tuple[int, int]]:
    # segments are sorted by their start and may nest (a single-quoted stretch around a
    # double-quoted one): a cut is inside one when the furthest end among those
    # starting before it lies beyond it
    starts = [s.outer_start for s in segments]
    furthest = list(itertools.accumulate((s.outer_end for s in segments), max))
    cuts = [start]
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end()
        before = bisect.bisect_left(starts, cut)
        if before and furthest[before - 1] > cut:
            continue
        punctuation = match.group().rstrip("”’\"»)]'")
        if punctuation == "." and _abbreviation_before(text, match.start(), start):
            continue
        if match.group()[-1] in "”’\"»'" and _attribution_follows(text, cut, end):
            continue
        cuts.append(cut)
    cuts.append(end)
    spans = []
    for s_start, s_end in itertools.pairwise(cuts):
        first = s_start
        while first < s_end and text[first].isspace():
            first += 1
        if s_end > first:
            spans.append((first, s_end))
    return spans


def _abbreviation_before(text: str, dot: int, floor: int) -> bool:
    begin = dot
    while begin > floor and (text[begin - 1].isalnum() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:dot]
    if len(word) == 1 and word.isupper():
        return True  # an initial: "V. Putin"
    if word.lower() == "no":
        return text[dot + 1 : dot + 3].strip()[:1].isdigit()  # "No. 3", but "voted no."
    return word.lower() in _ABBREVIATIONS or (("." in word) and len(word) <= 6)


_ATTRIBUTION_AHEAD = re.compile(
    r"\s+(?:(?:[A-Z(][\w’'.()-]*,?|the|a|one)\s+){1,6}(?:"
    + "|".join(sorted(_SAY_VERBS))
    + r")\b|\s+(?:"
    + "|".join(sorted(_SAY_VERBS))
    + r")\s+[A-Z]"
)


def _attribution_follows(text: str, position: int, end: int) -> bool:
    match = _ATTRIBUTION_AHEAD.match(text, position, end)
    if match is None:
        return False
    # only a short clause that ends the sentence: "...?” Putin asked."
    rest = text[match.end() : end]
    stop = re.search(r"[.!?]", rest)
    return stop is not None and len(rest[: stop.start()].split()) <= 6


def _tokenise(
    text: str,
    start: int,
    end: int,
    inside: list[tuple[int, _Segment]],
    first: int,
    *,
    shapes: dict[str, _Shape],
) -> list[_Tok]:
    """Tokens of text[start:end]; ``inside`` holds the paragraph's segments by start, with
    their document index, and none before ``first`` reaches ``start``."""
    tokens: list[_Tok] = []
    position = start
    for index, segment in itertools.islice(inside, first, None):
        if segment.outer_start >= end:
            break
        if segment.outer_end <= start:
            continue
        tokens.extend(_words(text, position, max(position, segment.outer_start), shapes))
        tokens.append(
            _Tok(
                text[segment.outer_start : segment.outer_end],
                segment.outer_start,
                segment.outer_end,
                index,
            )
        )
        position = segment.outer_end
    tokens.extend(_words(text, position, end, shapes))
    return tokens


def _words(text: str, start: int, end: int, shapes: dict[str, _Shape]) -> list[_Tok]:
    tokens = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        shape = shapes.get(word)
        if shape is None:
            is_word = word[:1].isalnum()
            shape = shapes[word] = (word, word.lower(), is_word, is_word and word[0].isupper())
        tokens.append(_Tok(shape[0], match.start(), match.end(), -1, shape))
    return tokens


def _tokenise_shared(
    text: str,
    start: int,
    end: int,
    inside: list[tuple[int, _Segment]],
    first: int,
    *,
    shared: dict[str, _Tok],
    stretches: dict[str, list[_Tok]],
    words: Callable[[str], list[str]] = _TOKEN.findall,
) -> list[_Tok]:
    """The tokens of :func:`_tokenise`, words as the shared token of each distinct word;
    ``words`` finds them in a stretch as ``_TOKEN.findall`` does (or is it)."""
    tokens: list[_Tok] = []
    position = start
    for index, segment in itertools.islice(inside, first, None):
        if segment.outer_start >= end:
            break
        if segment.outer_end <= start:
            continue
        before = max(position, segment.outer_start)
        tokens.extend(_shared_words(text[position:before], shared, stretches, words))
        tokens.append(_Tok(text[segment.outer_start : segment.outer_end], -1, -1, index))
        position = segment.outer_end
    tokens.extend(_shared_words(text[position:end], shared, stretches, words))
    return tokens


def _shared_words(
    stretch: str,
    shared: dict[str, _Tok],
    stretches: dict[str, list[_Tok]],
    find: Callable[[str], list[str]] = _TOKEN.findall,
) -> list[_Tok]:
    """The shared tokens of ``stretch``, a piece of text with no quote in it (the same as
    tokenising it in place: :data:`_TOKEN` looks neither before nor after its match)."""
    known = stretches.get(stretch)
    if known is not None:
        return known
    words = find(stretch)
    known_words = list(map(shared.get, words))  # in C; a word new to the batch is None
    if None in known_words:
        for word in words:
            if word not in shared:
                shared[word] = _Tok(word, -1, -1)
        found = [shared[word] for word in words]
    else:
        found = cast(list[_Tok], known_words)
    stretches[stretch] = found
    return found


# ----------------------------------------------------------------------------- names


def _strip_possessive(word: str) -> tuple[str, bool]:
    if len(word) > 2 and word.endswith(("’s", "'s")):
        return word[:-2], True
    return word, False


@functools.lru_cache(maxsize=1 << 16)
def _normal(word: str) -> str:
    """A word as a descriptor: lower case, no possessive, nations as '@country'. (Cached:
    the lexicon asks it of every word of every name of the batch.)"""
    bare, _ = _strip_possessive(word)
    low = bare.lower().rstrip(".")
    if low == "us" and bare != "US":
        return low
    return _NATION.get(low, low)


# what _make_run makes of a run of words: None, or the run with its token indices as
# positions in its members (begin, first; last is the last member)
_RunShape = tuple[int, int, str, str, tuple[str, ...], Gender, bool, bool] | None


def _find_runs(
    sentence: _Sentence,
    common: frozenset[str] | set[str],
    made: dict[tuple[tuple[_Tok, ...], bool], _RunShape] | None = None,
) -> list[_Run]:
    """The capitalised name runs of a sentence (outside quotes), titles split off.

    ``made`` keeps what :func:`_make_run` made of each run of shared tokens (one token per
    distinct word, so the tokens stand for their words), as a name comes many times in a
    batch; it depends only on the words and on whether the run opens the sentence."""
    tokens = sentence.tokens
    runs: list[_Run] = []
    lead = _first_word(sentence)
    i = 0
    for start in list(itertools.compress(itertools.count(), map(_CAPITALISED, tokens))):
        if start < i:
            continue  # inside the previous run
        i = j = start
        members: list[int] = []
        while j < len(tokens):
            token = tokens[j]
            if token.capitalised:
                members.append(j)
                j += 1
                if len(token.text) > 2 and token.text.endswith(("’s", "'s")):
                    break  # a possessive ends the run (as _strip_possessive tells it)
                if j < len(tokens) and tokens[j].text == "." and _is_short_form(token.text):
                    j += 1  # "Mr." / "V."
                continue
            if (
                token.text.isdigit()
                and len(token.text) <= 3
                and members
                and tokens[members[-1]].low not in _MONTHS_DAYS
            ):
                members.append(j)  # "Union Local 12"
                j += 1
                break
            if (
                token.low == "of"
                and members
                and any(tokens[m].low in _ORG_WORDS for m in members)
                and j + 1 < len(tokens)
                and tokens[j + 1].capitalised
            ):
                members.append(j)  # "Department of Public Works"
                j += 1
                continue
            if (
                (token.is_word or token.text == "&")
                and (
                    token.low in _NAME_PARTICLES or token.low.startswith("al-") or token.text == "&"
                )
                and j + 1 < len(tokens)
                and tokens[j + 1].capitalised
                and members
            ):
                members.append(j)
                j += 1
                continue
            break
        while len(members) > 1 and (
            _HYPHENATED_MODIFIER.fullmatch(tokens[members[0]].text)
            or _time_adjunct(tokens, members[0])
        ):
            # "Britain-based Syrian Observatory", "Kremlin-backed RT": a modifier; "in
            # February White House officials": a time adjunct before the name
            members = members[1:]
        if made is None or not members:
            run = _make_run(sentence, members, common, lead)
            if run is not None:
                runs.append(run)
        else:
            words = (
                (tokens[members[0]],)  # most runs: one word
                if len(members) == 1
                else tuple(map(tokens.__getitem__, members))
            )
            key = (words, members[0] == lead)
            if key in made:
                shape = made[key]
            else:
                run = _make_run(sentence, members, common, lead)
                shape = made[key] = (
                    None
                    if run is None
                    else (
                        members.index(run.begin),
                        members.index(run.first),
                        run.name,
                        run.key,
                        run.titles,
                        run.gender,
                        run.possessive,
                        run.honorific,
                    )
                )
            if shape is not None:
                # (positional: the fields in their order, begin, first, last, name, key,
                # titles, gender, possessive, honorific; keywords take longer to pass)
                runs.append(_Run(members[shape[0]], members[shape[1]], members[-1], *shape[2:]))
        i = max(j, i + 1)
    return runs


def _is_short_form(word: str) -> bool:
    return (
        word.lower() in _HONORIFICS
        or word.lower() in _ABBREVIATIONS
        or (len(word) == 1 and word.isupper())
    )


def _make_run(
    sentence: _Sentence, members: list[int], common: frozenset[str] | set[str], lead: int
) -> _Run | None:
    """The run of ``members`` (token indices); ``lead`` is the sentence's first word."""
    tokens = sentence.tokens
    if not members:
        return None
    if members[0] == lead and _APOSTROPHE.split(tokens[members[0]].low, 1)[0] in common:
        members = members[1:]  # "The", "That’s", "Don’t" opening a sentence
    if not members:
        return None
    begin = members[0]
    titles: list[str] = []
    gender: Gender = ""
    honorific = False
    k = 0
    # "Local MP Ana Lind": everything up to the last title word describes the name
    last_title = max(
        (
            n
            for n, m in enumerate(members[:-1])
            if tokens[m].low.rstrip(".") in _TITLE_ROLE_OR_HONORIFIC
        ),
        default=-1,
    )
    while k < len(members) - 1:
        if k <= last_title and tokens[members[k]].low.rstrip(".") not in _HONORIFICS:
            titles.append(_normal(tokens[members[k]].text))
            k += 1
            continue
        low = tokens[members[k]].low.rstrip(".")
        bare, possessive = _strip_possessive(tokens[members[k]].text)
        if low in _HONORIFICS:
            honorific = True
            found = _HONORIFICS[low]
            gender = "m" if found == "m" else "f" if found == "f" else gender
        elif low in _TITLES:
            titles.append(_normal(bare))
        elif _normal(bare).startswith("@"):
            if _org_ending(tokens, members):
                break  # "Russian Federation", "British Airways": the nation names the body
            titles.append(_normal(bare))
        else:
            break
        k += 1
        if possessive:
            titles.append(_normal(bare))
    names = members[k:]
    if all(tokens[n].low.rstrip(".") in _TITLE_OR_ROLE for n in names):
        return None  # "the French President", "one veteran MP": a role, not a name
    last_text, possessive = _strip_possessive(tokens[names[-1]].text)
    name_text = _text_of(tokens, names)
    if possessive:
        name_text = name_text[: len(name_text) - (len(tokens[names[-1]].text) - len(last_text))]
    return _Run(
        begin=begin,
        first=names[0],
        last=names[-1],
        name=name_text,
        key=last_text.lower(),
        titles=tuple(titles),
        gender=gender,
        possessive=possessive,
        honorific=honorific,
    )


def _time_adjunct(tokens: list[_Tok], index: int) -> bool:
    """Is the word at ``index`` a month or weekday after a preposition ("in February"), a
    time adjunct rather than the start of a name?"""
    return (
        tokens[index].low in _MONTHS_DAYS and index > 0 and tokens[index - 1].low in _PREPOSITIONS
    )


_DASHES = frozenset({"—", "–", "-", "--"})


def _dateline_end(tokens: list[_Tok]) -> int:
    """Where a sentence goes on after the dateline it opens with, else 0: a place in
    capitals, perhaps with its state and agency, before a dash ("PORT VERRIN —", "DELPHI,
    Ind. (AP) -"), or a place before an agency in capitals in brackets ("Tokyo (CNN)").
    The dateline is no part of what a source said ("..., the engineer said on Friday")."""
    if not tokens or not tokens[0].is_word or not tokens[0].text[:1].isupper():
        return 0
    capitals = tokens[0].text.isupper() and len(tokens[0].text) > 1
    for k, token in enumerate(tokens[:12]):
        text = token.text
        if text in _DASHES or text == "(":
            after = k
            if text == "(":
                agency = tokens[k + 1].text if k + 2 < len(tokens) else ""
                if not (k > 0 and agency.isupper() and tokens[k + 2].text == ")"):
                    return 0
                after = k + 3
            elif not capitals or k == 0:
                return 0
            while after < len(tokens) and tokens[after].text in _DASHES:
                after += 1  # "BEIJING -- An ...", a dash typed as two
            # the sentence goes on with a capital: "RIP ---- @name" is no dateline
            return after if after < len(tokens) and tokens[after].capitalised else 0
        if token.is_word and not (text[:1].isupper() or text.lower() in _NAME_PARTICLES):
            return 0  # a lower-case word: running text, no dateline
        if not token.is_word and text not in {",", "."}:
            return 0
    return 0


def _org_ending(tokens: list[_Tok], members: list[int]) -> bool:
    """Does the run end in an organisation or place head ("Federation", "Airways",
    "Embassy")? Then a nationality word before it is part of the body's name, not a
    descriptor of a person ("Russian President Vladimir Putin")."""
    return _strip_possessive(tokens[members[-1]].text)[0].lower() in _ORG_WORDS


def _text_of(tokens: list[_Tok], members: list[int]) -> str:
    words = []
    for index in members:
        words.append(tokens[index].text)
    return " ".join(words)


def _first_word(sentence: _Sentence) -> int:
    for index, token in enumerate(sentence.tokens):
        if token.is_word:
            return index
        if token.is_quote:
            return -1
    return -1


@dataclass(slots=True)
class _Facts:
    """What the whole batch says about one name key."""

    forms: set[str] = field(default_factory=set)
    descriptors: set[str] = field(default_factory=set)
    gender: Gender = ""
    evidence: int = 0
    against: int = 0


@dataclass(slots=True)
class _Lexicon:
    facts: dict[str, _Facts]
    fuller: dict[str, str] = field(default_factory=dict)  # fullest(), by name
    nations: dict[str, frozenset[str]] = field(default_factory=dict)  # nationalities(), by key

    @classmethod
    def build(cls, documents: Sequence[_Document]) -> _Lexicon:
        # the words (the first pass shares one token per word) that come anywhere but as
        # the capitalised first word of a sentence: a word is capitalised inside a sentence
        # when it is one of them (sets, not counts: that is all the rules ask, and filling a
        # set takes about half as long as counting, 5 million tokens on Timeline17)
        inner: set[_Tok] = set()
        for document in documents:
            for sentence in document.sentences:
                words = sentence.words  # the first pass's: its tokens
                first = _first_word(sentence)
                if first >= 0 and words[first].capitalised:
                    inner.update(itertools.islice(words, first))
                    inner.update(itertools.islice(words, first + 1, None))
                else:
                    inner.update(words)
        # (a capitalised first word is no lower-case word)
        lower_words = {token.text for token in inner if token.is_word and token.text.islower()}
        inner_capitals = {token.low for token in inner if token.capitalised}
        # a sentence's first word is a common word when the batch also writes it in lower
        # case, unless it also starts a name mid-sentence ("Transport Workers Union")
        common = (lower_words - (inner_capitals - _CLOSED_CLASS)) | _CLOSED_CLASS
        facts: dict[str, _Facts] = {}
        starts: list[str] = []
        # a sentence's runs and what they teach depend only on its tokens: a sentence that
        # the batch repeats (a wire story, a copy) is read once
        read: dict[tuple[_Tok | str, ...], tuple[list[_Run], list[_Lesson]]] = {}
        made: dict[tuple[tuple[_Tok, ...], bool], _RunShape] = {}
        for document in documents:
            for sentence in document.sentences:
                # a quoted segment's token is made for its sentence: its text stands for it
                key = (
                    tuple([t if t.segment < 0 else t.text for t in sentence.words])
                    if sentence.quoted
                    else tuple(sentence.words)
                )
                known = read.get(key)
                if known is None:
                    runs = _find_runs(sentence, common, made)
                    known = read[key] = (runs, [_lesson(sentence.words, run) for run in runs])
                sentence.runs = known[0]
                for run, lesson in zip(*known, strict=True):
                    learnt = facts.get(run.key)
                    if learnt is None:  # made only when new: a key comes many times
                        learnt = facts[run.key] = _Facts()
                    lesson.teach(learnt, starts)
        for prefix in starts:
            if prefix in facts:
                facts[prefix].against += 1  # "Maersk" of "Maersk Line Logistics"
        return cls(facts=facts)

    def is_person(self, key: str) -> bool:
        facts = self.facts.get(key)
        return facts is not None and facts.evidence > 0 and facts.evidence >= facts.against

    def unknown(self, key: str) -> bool:
        facts = self.facts.get(key)
        return facts is not None and facts.evidence == 0 and facts.against == 0

    def gender(self, key: str) -> Gender:
        facts = self.facts.get(key)
        return facts.gender if facts is not None else ""

    def nationalities(self, key: str) -> frozenset[str]:
        """The nations (``@country``) among the descriptors of ``key``, a person of the batch
        (kept: the attribution asks them of every person at every role it resolves)."""
        known = self.nations.get(key)
        if known is None:
            described = self.facts[key].descriptors
            known = self.nations[key] = frozenset(w for w in described if w.startswith("@"))
        return known

    def fullest(self, name: str, key: str) -> str:
        """The one person of the batch that ``name`` is short for: its fullest form ("Putin"
        -> "Vladimir Putin" when another article has it, whatever title came with either),
        else ``name`` itself (no fuller form, or two people: "Bill Clinton" and "Hillary
        Clinton" leave "Clinton" alone). One speaker per person across the articles."""
        known = self.fuller.get(name)
        if known is not None:
            return known
        facts = self.facts.get(key)
        found = name
        if facts is not None and self.is_person(key):
            longer = sorted(
                (form for form in facts.forms if form.endswith(f" {name}")),
                key=lambda form: (-len(form.split()), -len(form), form),
            )
            if longer and all(_same_person(form, longer[0]) for form in longer[1:]):
                found = longer[0]
        self.fuller[name] = found
        return found


@dataclass(slots=True)
class _Lesson:
    """What one name run teaches the lexicon about its key (see :func:`_lesson`). Never
    changed once made; not frozen only because that makes it several times slower to build."""

    name: str
    gender: Gender
    against: bool  # a name used as no person's: counts against, teaches nothing else
    evidence: int = 0
    prefix: str | None = None  # the first word of a longer name ("Maersk" of "Maersk Line")
    descriptors: AbstractSet[str] = frozenset()

    def teach(self, facts: _Facts, starts: list[str]) -> None:
        facts.forms.add(self.name)
        if self.gender and not facts.gender:
            facts.gender = self.gender
        if self.against:
            facts.against += 1
            return
        if self.prefix is not None:
            starts.append(self.prefix)
        facts.evidence += self.evidence
        facts.descriptors.update(self.descriptors)


def _lesson(tokens: list[_Tok], run: _Run) -> _Lesson:
    """What ``run`` in a sentence of ``tokens`` says of its key: its form and gender, and
    whether it is a person's name (titles, honorific, several words, a speech verb after
    it, a descriptor) or used as no person's (an organisation or month word, "the X", a
    modifier of a role)."""
    if (
        _names_no_person(tokens, run.first, run.last)
        or (run.begin > 0 and tokens[run.begin - 1].low == "the")
        or _followed_by_role(tokens, run.last)
    ):
        return _Lesson(name=run.name, gender=run.gender, against=True)
    evidence = 0
    if run.honorific or run.titles:
        evidence += 2
    prefix = None
    if run.last > run.first:
        first = _strip_possessive(tokens[run.first].text)[0].lower()
        prefix = first if first != run.key else None
        evidence += 1
    verb = run.last + 1
    while verb < len(tokens) and tokens[verb].low in _SKIPPABLE:
        verb += 1
    if verb < len(tokens) and tokens[verb].text in _SAY_OR_FRAGMENT_VERBS:
        evidence += 1
    descriptors = set(run.titles)
    descriptors.update(_descriptor_before(tokens, run.begin))
    descriptors.update(_descriptor_after(tokens, run.last))
    if descriptors:
        evidence += 1
    return _Lesson(
        name=run.name,
        gender=run.gender,
        against=False,
        evidence=evidence,
        prefix=prefix,
        descriptors=descriptors,
    )


def _names_no_person(tokens: list[_Tok], first: int, last: int) -> bool:
    """Does a word of tokens [first, last] name a country or its people, or an organisation,
    place, month or day? (A plain loop: the lexicon asks it of every run it reads.)"""
    for index in range(first, last + 1):
        word = _strip_possessive(tokens[index].low)[0]
        if word in _NO_PERSON_WORDS or _normal(word).startswith("@"):
            return True
    return False


def _followed_by_role(tokens: list[_Tok], last: int) -> bool:
    """A name used as a modifier: "National Front leader Marine Le Pen", "Exxon chief
    operating officer Ana Lind"."""
    k = last + 1
    while k < len(tokens) and k - last <= 3 and tokens[k].is_word and tokens[k].text.islower():
        if tokens[k].low in _ROLE_NOUNS and k + 1 < len(tokens) and tokens[k + 1].capitalised:
            return True
        k += 1
    return False


def _descriptor_before(tokens: list[_Tok], begin: int) -> set[str]:
    """Role words just before a name: "France's newly elected president, Emmanuel Macron"."""
    i = begin - 1
    if i >= 0 and tokens[i].text == ",":
        i -= 1
    words: set[str] = set()
    if (
        i >= 2
        and tokens[i].is_word
        and tokens[i - 1].low == "of"
        and tokens[i - 2].low in _ROLE_NOUNS
    ):
        words.add(_normal(tokens[i].text))  # "the chair of governors, Tom Reyes"
        i -= 2
    if i < 0 or not tokens[i].is_word or tokens[i].low not in _ROLE_NOUNS:
        return set()
    while i >= 0 and tokens[i].is_word and tokens[i].low not in _DETERMINERS:
        if tokens[i].low in _PREPOSITIONS or tokens[i].low in _CONJUNCTIONS:
            break
        words.add(_normal(tokens[i].text))
        possessive = _strip_possessive(tokens[i].text)[1]
        i -= 1
        if possessive:
            break
    return words


def _descriptor_after(tokens: list[_Tok], last: int) -> set[str]:
    """An appositive or origin after a name: "X, the observatory's director," / "X of Russia"."""
    i = last + 1
    words: set[str] = set()
    if (
        i + 1 < len(tokens)
        and tokens[i].low == "of"
        and _normal(tokens[i + 1].text).startswith("@")
    ):
        return {_normal(tokens[i + 1].text)}
    if i >= len(tokens) or tokens[i].text != ",":
        return words
    i += 1
    chunk: list[_Tok] = []
    while i < len(tokens) and tokens[i].is_word and len(chunk) <= 8:
        chunk.append(tokens[i])
        i += 1
    closed = i >= len(tokens) or tokens[i].text in {",", ".", ";", "—", "–"}
    if not chunk or not closed or len(chunk) > 8 or chunk[0].low in _RELATIVES:
        return words
    linked = [k for k, token in enumerate(chunk) if token.low in _PREPOSITIONS]
    head = chunk[linked[0] - 1] if linked and linked[0] > 0 else chunk[-1]
    if head.low not in _ROLE_NOUNS:
        return words
    return {
        _normal(t.text) for t in chunk if t.low not in _DETERMINERS and t.low not in _PREPOSITIONS
    }


# ----------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _Occurrence:
    order: int
    article_id: str
    kind: QuoteKind
    pieces: list[tuple[int, int]]
    text: str
    speaker: str | None
    key: str | None
    attribution: QuoteAttribution
    sentence: int
    cue: str = ""

    @property
    def merge_kind(self) -> str:
        """What must agree for two occurrences to be one quote: the kind, and for reported
        speech whether it is denied ("Putin denied that X" is not "Putin said X")."""
        return "indirect-denied" if self.kind == "indirect" and _denies(self.cue) else self.kind


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str | None
    key: str | None
    attribution: QuoteAttribution
    group: bool = False


_UNKNOWN = _Speaker(None, None, "unknown")


@dataclass(slots=True)
class _Attributor:
    """Finds and attributes the quotes of one article."""

    document: _Document
    order: int
    lexicon: _Lexicon
    min_words: int
    lookback: int
    speakers: dict[int, _Speaker] = field(default_factory=dict)
    resumable: tuple[_Occurrence, int] | None = None
    groups: dict[int, str] = field(default_factory=dict)
    found: list[_Occurrence] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # the article's names by key
    orphan_starts: list[int] = field(default_factory=list)  # the stray marks, sorted
    mentioned: list[tuple[_Run, int]] | None = None  # person runs and offsets (_people)

    # -- driver

    def run(self) -> list[_Occurrence]:
        pending: tuple[_Occurrence, int] | None = None
        self.orphan_starts = sorted(self.document.orphans)
        orphans = self.orphan_starts
        for sentence in self.document.sentences:
            if (
                not sentence.quoted
                and not sentence.reports
                and bisect.bisect_left(orphans, sentence.start)
                == bisect.bisect_left(orphans, sentence.end)
            ):
                continue  # no quote, no stray mark, no reporting word: nothing to read
            used: set[int] = set()
            taken: list[tuple[int, int]] = []
            governed: dict[int, _Occurrence] = {}
            accepted = self._accepted_quotes(sentence)
            index = 0 if accepted else len(sentence.tokens)
            while index < len(sentence.tokens):
                token = sentence.tokens[index]
                if token.segment not in accepted:
                    index += 1
                    continue
                segment = self.document.segments[token.segment]
                if pending is not None and token.segment == pending[1] + 1:
                    self._extend(pending[0], segment)
                    taken.append((segment.outer_start, segment.outer_end))
                    pending = (pending[0], token.segment) if segment.continues else None
                    index += 1
                    continue
                pending = None
                resumed = self._resumed(sentence, index, accepted)
                if resumed is not None:
                    self._extend(resumed, segment)
                    taken.append((segment.outer_start, segment.outer_end))
                    index += 1
                    continue
                occurrence, index, speaker, joined = self._direct(
                    sentence, index, accepted, used, governed
                )
                if joined:
                    taken.append((segment.outer_start, segment.outer_end))
                    continue
                taken.extend((p[0] - 1, p[1] + 1) for p in occurrence.pieces)
                self.found.append(occurrence)
                self.speakers[sentence.index] = speaker
                if speaker.group and speaker.name:
                    self.groups[sentence.index] = speaker.name
                if segment.continues:
                    pending = (occurrence, token.segment)
            self._orphans(sentence, used, taken)
            self._indirect(sentence, used, taken)
        return self.found

    def _resumed(self, sentence: _Sentence, index: int, accepted: set[int]) -> _Occurrence | None:
        """The quote that a quote-only sentence resumes: “…,” she said. “…”, in the same
        paragraph or as the next paragraph (the newspaper convention: a paragraph that is
        only a quote goes on with the quote before it; PolNeAR labels the pieces as one
        attribution)."""
        if index != 0 or self.resumable is None:
            return None
        occurrence, number = self.resumable
        previous = self.document.sentences[number]
        if number != sentence.index - 1:
            return None
        if sentence.paragraph - previous.paragraph not in (0, 1):
            return None
        rest = sentence.tokens[1:]
        if any(t.is_word or t.segment in accepted for t in rest):
            return None
        self.resumable = (occurrence, sentence.index)
        return occurrence

    def _extend(self, occurrence: _Occurrence, segment: _Segment) -> None:
        occurrence.pieces.append((segment.start, segment.end))
        occurrence.text = _joined(self.document.article, occurrence.pieces)

    def _occurrence(
        self,
        kind: QuoteKind,
        pieces: list[tuple[int, int]],
        speaker: _Speaker,
        sentence: int,
        cue: str = "",
    ) -> _Occurrence:
        return _Occurrence(
            cue=cue,
            order=self.order,
            article_id=self.document.article.id,
            kind=kind,
            pieces=pieces,
            text=_joined(self.document.article, pieces),
            speaker=speaker.name,
            key=speaker.key if speaker.name else None,
            attribution=speaker.attribution if speaker.name else "unknown",
            sentence=sentence,
        )

    # -- which quoted stretches are quotes

    def _accepted_quotes(self, sentence: _Sentence) -> set[int]:
        tokens = sentence.tokens
        accepted: set[int] = set()
        if not sentence.quoted:
            return accepted
        naming_chain = False
        text = self.document.article.text
        for index, token in enumerate(tokens):
            if not token.is_quote:
                if token.is_word and token.low not in {"and", "or"}:
                    naming_chain = False
                continue
            segment = self.document.segments[token.segment]
            inner = text[segment.start : segment.end]
            words = _WORD_CHARS_RUN.findall(inner)
            previous = tokens[index - 1].low if index > 0 else ""
            before_previous = tokens[index - 2].low if index > 1 else ""
            naming = (
                previous in _NAMING_CUES
                or (previous == "as" and before_previous in _NAMING_BEFORE_AS)
                or (previous == "to" and before_previous == "referred")
                or (naming_chain and previous in {"and", "or", ","})
            )
            if naming or _title_case(words):
                naming_chain = True
                continue
            naming_chain = False
            if len(words) < self.min_words and not self._utterance(sentence, index, inner):
                continue
            accepted.add(token.segment)
        return accepted

    def _utterance(self, sentence: _Sentence, index: int, inner: str) -> bool:
        text = self.document.article.text
        segment = self.document.segments[sentence.tokens[index].segment]
        closing = text[segment.end : segment.outer_end]
        if inner[-1] in ".!?" or closing[:1] in ".!?":
            return True
        if inner[-1] == "," or closing[:1] == ",":
            return self._after(sentence, index + 1) is not None
        return (
            text[segment.end : segment.end + 1] == ","
            and self._after(sentence, index + 1) is not None
        )

    # -- direct quotes

    def _direct(
        self,
        sentence: _Sentence,
        index: int,
        accepted: set[int],
        used: set[int],
        governed: dict[int, _Occurrence],
    ) -> tuple[_Occurrence, int, _Speaker, bool]:
        """The quote starting at token ``index``, the token after it, its speaker, and
        whether it went on an earlier quote of the sentence: quoted stretches introduced
        by one verb are one quote (``X said the goal was not “A” but “B”``), as they are
        one attribution in PolNeAR; ``governed`` holds the quotes by their verb."""
        tokens = sentence.tokens
        segment = self.document.segments[tokens[index].segment]
        pieces = [(segment.start, segment.end)]
        speaker: _Speaker | None = None
        following = index + 1
        after = self._after(sentence, index + 1)
        if after is not None:
            speaker, verb, stop = after
            if verb >= 0:
                used.add(verb)
            earlier = governed.get(verb) if verb >= 0 else None
            if earlier is not None:  # “A” and “B,” Howard Dean said
                self._extend(earlier, segment)
                return earlier, stop, speaker, True
            following = stop
            # a split quote: “…,” he said, “…”
            join = stop
            if join < len(tokens) and tokens[join].text in {",", ":", "—", "–"}:
                join += 1
            if join < len(tokens) and tokens[join].segment in accepted and join > index + 1:
                nxt = self.document.segments[tokens[join].segment]
                pieces.append((nxt.start, nxt.end))
                following = join + 1
        governor = -1
        if speaker is None:
            speaker, governor = self._before(sentence, index, used)
            earlier = governed.get(governor)
            if earlier is not None:
                self._extend(earlier, segment)
                return earlier, following, speaker or _UNKNOWN, True
        if speaker is None:
            ahead = self._ahead(sentence, following, used)
            if ahead is not None:
                speaker, governor = ahead
        if speaker is None and index > _first_word(sentence) >= 0:
            # words before the quote in its sentence: their subject, whatever the verb
            # ("Trump mocked Rubio for “having a tough night”", "Clinton supports “…”")
            speaker = self._subject(sentence, index, loose=True)
        if speaker is None:
            speaker = self._previous(sentence)
        cue_verb = after[1] if after is not None else governor
        cue = _cue(self.document.article.text, tokens, cue_verb, -1) if cue_verb >= 0 else ""
        occurrence = self._occurrence("direct", pieces, speaker, sentence.index, cue)
        if governor >= 0:
            governed[governor] = occurrence
        self.resumable = None
        if speaker.attribution != "unknown" and not any(
            t.segment in accepted for t in tokens[following:]
        ):
            self.resumable = (occurrence, sentence.index)
        return occurrence, following, speaker, False

    def _after(self, sentence: _Sentence, start: int) -> tuple[_Speaker, int, int] | None:
        """An attribution right after a quote: (speaker, verb index, index after it)."""
        tokens = sentence.tokens
        i = start
        if i < len(tokens) and tokens[i].text in {"—", "–", "-", "―"}:
            run = self._run_at(sentence, i + 1)
            if run is not None:
                return self._name_speaker(run, sentence), -1, run.last + 1
            return None
        slot = self._attribution_slot(sentence, start)
        if i < len(tokens) and tokens[i].text == ",":
            i += 1
        if i >= len(tokens) or not tokens[i].is_word:
            return None
        if tokens[i].text in _SAY_VERBS or (slot and _past_verb(tokens[i])):
            span = self._np_after(sentence, i + 1)
            if span is None:
                return None
            speaker = self._np_speaker(sentence, span[0], span[1])
            return (
                (speaker, i, span[1]) if speaker.name or speaker.attribution != "unknown" else None
            )
        if tokens[i].low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            span = self._np_after(sentence, i + 2)
            if span is None:
                return None
            return self._np_speaker(sentence, span[0], span[1]), i, span[1]
        # NP then verb, with at most one parenthetical: “…,” one baker, who asked..., told
        j = i
        limit = min(len(tokens), i + 24)
        np_end = -1
        while j < limit:
            token = tokens[j]
            if token.is_quote or (
                token.text in {".", "!", "?", ";", ":"} and not _dot_after_abbr(tokens, j)
            ):
                return None
            if token.text == ",":
                if np_end < 0:
                    np_end = j
                close = _next_comma(tokens, j + 1, limit)
                if close < 0:
                    return None
                j = close + 1
                continue
            if token.text == "(":  # "Sen. Chuck Schumer (D-N.Y.) said"
                if np_end < 0:
                    np_end = j
                close = next((k for k in range(j + 1, limit) if tokens[k].text == ")"), -1)
                if close < 0:
                    return None
                j = close + 1
                continue
            if j > i and (token.text in _SAY_VERBS or (slot and _past_verb(token))):
                end = np_end if np_end >= 0 else j
                while end > i and tokens[end - 1].low in _SKIPPABLE:
                    end -= 1
                if end <= i or end - i > 8:
                    return None
                speaker = self._np_speaker(sentence, i, end)
                named = self._run_ending(sentence, i, end) is not None and speaker.key is not None
                if (
                    np_end >= 0
                    and not named  # "Rep. Glenn Thompson, R-Pa., said": the name comes first
                    and self._appositive_name(sentence, np_end + 1, j) is not None
                ):
                    run = self._appositive_name(sentence, np_end + 1, j)
                    assert run is not None
                    speaker = self._name_speaker(run, sentence)
                return speaker, j, j + 1
            linking = token.low in _PP_LINKS and j > i
            if token.is_word and (token.low in _PREPOSITIONS_OR_CONJUNCTIONS) and not linking:
                return None
            j += 1
        return None

    def _ahead(
        self, sentence: _Sentence, start: int, used: set[int]
    ) -> tuple[_Speaker, int] | None:
        """The attribution that ends the sentence after a quote, past other words or quotes
        (“This will be a challenge” for Clinton, said Kunin. / Guns are “A” and “B,” Howard
        Dean said.), and its verb."""
        tokens = sentence.tokens
        for k in range(start, len(tokens)):
            token = tokens[k]
            if token.text in {".", "!", "?", ";"} and not _dot_after_abbr(tokens, k):
                return None
            if token.text != "," and not token.is_quote:
                continue
            found = self._after(sentence, k if token.text == "," else k + 1)
            if found is None or found[1] < 0 or found[0].name is None:
                continue
            speaker, verb, stop = found
            if _ends_attribution(tokens, stop - 1) or stop >= len(tokens):
                used.add(verb)
                return speaker, verb
        return None

    def _attribution_slot(self, sentence: _Sentence, start: int) -> bool:
        """Does the quote before token ``start`` end as quotes that an attribution follows
        do: with a comma, "!" or "?" (“…,” beamed Donald Hartley)? Then any verb in the past
        tense there is the attribution's, not only the speech verbs of the lexicon."""
        tokens = sentence.tokens
        if start == 0 or not tokens[start - 1].is_quote:
            return False
        if start < len(tokens) and tokens[start].text == ",":
            return True
        segment = self.document.segments[tokens[start - 1].segment]
        text = self.document.article.text
        return text[segment.end - 1 : segment.outer_end].rstrip("”’\"»'")[-1:] in {",", "!", "?"}

    def _appositive_name(self, sentence: _Sentence, start: int, end: int) -> _Run | None:
        for run in sentence.runs:
            if run.begin == start and run.last == _last_word(sentence.tokens, start, end):
                return run
        return None

    def _np_after(self, sentence: _Sentence, start: int) -> tuple[int, int] | None:
        """The noun phrase after an inverted verb: "said Ana Lind, chief executive"."""
        tokens = sentence.tokens
        j = start
        while j < len(tokens) and j - start < 8:
            token = tokens[j]
            if not token.is_word and not (token.text == "." and _dot_after_abbr(tokens, j)):
                break
            if token.low in _RELATIVES or token.low in _CONJUNCTIONS:
                break
            close_to = token.low == "to" and j > start and tokens[j - 1].low in _ADJECTIVES_TO
            if token.low in _PREPOSITIONS and token.low not in _PP_LINKS and not close_to:
                break
            if token.low in _PREPOSITIONS and j == start:
                break
            if j > start and _reduced_relative(tokens, j):
                break  # "a user from Hanover going by the handle ...", "the chief known as"
            j += 1
        while j > start and tokens[j - 1].low in _PREPOSITIONS:
            j -= 1
        return (start, j) if j > start else None

    def _before(
        self, sentence: _Sentence, index: int, used: set[int]
    ) -> tuple[_Speaker | None, int]:
        """The speaker of a quote from what precedes it in its sentence, and the index of
        the verb that introduces it (-1 when none does)."""
        tokens = sentence.tokens
        for j in range(index - 1, -1, -1):
            token = tokens[j]
            if token.is_quote:
                continue
            if token.text in _SAY_OR_FRAGMENT_VERBS or token.text in _BELIEF_VERBS:
                if j > 0 and tokens[j - 1].low in _BE_AUX:
                    continue
                used.add(j)
                if j > 0 and tokens[j - 1].low == "and":
                    return self._subject(sentence, j - 1), j
                opening = self._opening_name(sentence, j)
                if opening is not None:
                    return opening, j
                span = _np_before(tokens, j)
                if span is None or _no_subject(tokens, span):
                    return self._subject(sentence, j), j
                return self._np_speaker(sentence, span[0], span[1]), j
            if token.text in _SAY_PARTICIPLES and j > 0 and tokens[j - 1].low not in _PREPOSITIONS:
                used.add(j)  # "..., saying", "is pledging to": the sentence's subject speaks
                return self._subject(sentence, j, loose=True), j
            if token.low == "according" and j + 1 < index and tokens[j + 1].low == "to":
                end = _next_punct(tokens, j + 2, index)
                return self._np_speaker(sentence, j + 2, end), j
        if index > 0 and tokens[index - 1].text in {":", ","}:
            return self._subject(sentence, index), -1
        return None, -1

    def _opening_name(self, sentence: _Sentence, verb: int) -> _Speaker | None:
        """The name that opens the sentence when a parenthetical set off by commas stands
        between it and the verb: "Giovanni Maria Vian, the editor in chief of the Vatican's
        newspaper, L'Osservatore Romano, said" (not the newspaper); "Clinton, during a town
        hall meeting in Columbus, Ohio, said" (not Ohio)."""
        tokens = sentence.tokens
        j = verb - 1
        while j >= 0 and tokens[j].is_word and _cue_prefix_or_adverb(tokens[j]):
            j -= 1
        if j < 1 or tokens[j].text != ",":
            return None
        first = _first_word(sentence)
        for run in sentence.runs:
            if run.begin != first or run.possessive:
                continue
            after = run.last + 1
            if (
                after < j
                and tokens[after].text == ","
                and not self.lexicon.facts[run.key].against > self.lexicon.facts[run.key].evidence
            ):
                return self._name_speaker(run, sentence)
        return None

    def _previous(self, sentence: _Sentence) -> _Speaker:
        index = sentence.index - 1
        if index < 0:
            return _UNKNOWN
        earlier = self.speakers.get(index)
        if earlier is not None and earlier.name is not None:
            return _Speaker(earlier.name, earlier.key, "previous-sentence", earlier.group)
        previous = self.document.sentences[index]
        if _headline(previous):
            return _UNKNOWN  # a title in the text: its capitalised words are no subject
        if previous.tokens and previous.tokens[-1].text == ":":
            # "Breitbart News responded:" introduces what follows, whoever speaks
            introduced, _ = self._before(previous, len(previous.tokens), set())
            if introduced is not None and introduced.name is not None:
                return _Speaker(introduced.name, introduced.key, "previous-sentence")
        speaker = self._subject(previous, len(previous.tokens), loose=True)
        if speaker is None or speaker.name is None or speaker.group:
            return _UNKNOWN
        return _Speaker(speaker.name, speaker.key, "previous-sentence")

    # -- stray marks: "We are convinced that he did not use them, ‘ Putin said."

    def _orphans(self, sentence: _Sentence, used: set[int], taken: list[tuple[int, int]]) -> None:
        orphans = self.orphan_starts
        if bisect.bisect_left(orphans, sentence.start) == bisect.bisect_left(orphans, sentence.end):
            return  # no stray mark in the sentence
        tokens = sentence.tokens
        for index, token in enumerate(tokens):
            if token.start not in self.document.orphans or index < 2:
                continue
            if tokens[index - 1].text not in {",", ".", "?", "!"}:
                continue
            if any(t.is_quote for t in tokens[:index]):
                continue
            after = self._after(sentence, index + 1)
            if after is None:
                continue
            speaker, verb, _ = after
            used.add(verb)
            # the quote ends with the word before a comma, or with its closing . ? ! (the
            # comma may be set off by a space, as in tokenised text: "rebuild the pier , ‘")
            start, end = tokens[0].start, tokens[index - 2].end
            if tokens[index - 1].text in {".", "?", "!"}:
                end = tokens[index - 1].end
            if len(_WORD_CHARS_RUN.findall(self.document.article.text[start:end])) < self.min_words:
                continue
            taken.append((start, token.end))
            self.found.append(self._occurrence("direct", [(start, end)], speaker, sentence.index))
            self.speakers[sentence.index] = speaker

    # -- indirect speech

    def _indirect(self, sentence: _Sentence, used: set[int], taken: list[tuple[int, int]]) -> None:
        if not sentence.reports:
            return  # no word that reported speech starts at (see _retokenise)
        tokens = sentence.tokens
        if len(tokens) > _LONGEST_SENTENCE:
            return  # a run-on text, not a sentence: no clause structure to read
        covered: list[tuple[int, int]] = list(taken)
        text = self.document.article.text
        opening = -1  # where the sentence goes on after its dateline, read at the first report
        for index, token in enumerate(tokens):
            if not (token.text in _CUE_WORDS or token.low == "according"):
                continue  # what _reported takes up, tested first only because it is cheap
            if index in used or not token.is_word:
                continue
            if any(a <= token.start < b for a, b in covered):
                continue
            found = self._reported(sentence, index)
            if found is None:
                continue
            speaker, pieces = found
            pieces = [(a, b) for a, b in pieces if b > a]
            if opening < 0:
                opening = _dateline_end(tokens)
            if opening and pieces and pieces[0][0] < tokens[opening].start < pieces[0][1]:
                pieces[0] = (tokens[opening].start, pieces[0][1])  # "PORT VERRIN — ..."
            if speaker.attribution == "pronoun" and speaker.key is not None:
                speaker = self._not_named_within(sentence, speaker, pieces)
            # a clause holding a quote attributed elsewhere in the sentence stays indirect;
            # one whose own verb introduced a quote was left to that quote (``used``)
            if not pieces or any(a <= s and e <= b for s, e in pieces for a, b in taken):
                continue
            if token.text in _MESSAGE_ONLY and _DOUBLE_MARKS.search(
                text, pieces[0][0], pieces[-1][1]
            ):
                continue  # "described the incident as a “terrible situation”": a quote's frame
            if not _holds_words(text, pieces, 3) or (
                speaker.name is None and speaker.attribution != "pronoun"
            ):
                continue
            covered.extend(pieces)
            covered.append((token.start, token.end))
            cue = _cue(text, tokens, index, pieces[0][0])
            self.found.append(self._occurrence("indirect", pieces, speaker, sentence.index, cue))
            if speaker.group and speaker.name:
                self.groups[sentence.index] = speaker.name

    def _not_named_within(
        self, sentence: _Sentence, speaker: _Speaker, pieces: list[tuple[int, int]]
    ) -> _Speaker:
        """A pronoun speaker is nobody the reported clause names: in "Putin would invite
        Macron, he said" (or "he said Putin would ..."), "he" is neither (binding theory's
        principle C: a pronoun cannot stand for a name in the clause it governs). When the
        pronoun was resolved to such a name, it stays unresolved: the person it stands for
        is no longer the one the article was speaking of, and a name further back would be
        a guess."""
        tokens = sentence.tokens
        for run in sentence.runs:
            if (
                run.key == speaker.key
                and any(a <= tokens[run.first].start < b for a, b in pieces)
                # the surname alone, or the same full name: "Carrie Russell" in the clause
                # is no bar to "she" being Jill Russell
                and (run.first == run.last or self._fullest(run) == speaker.name)
            ):
                return _Speaker(None, None, "pronoun")
        return speaker

    def _reported(
        self, sentence: _Sentence, index: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        """Reported speech around the word at ``index``: its speaker and clause pieces."""
        tokens = sentence.tokens
        token = tokens[index]
        low = token.low
        if low == "according" and index + 1 < len(tokens) and tokens[index + 1].low == "to":
            return self._according(sentence, index)
        participle = token.text in _PARTICIPLES
        if participle and index > 0 and tokens[index - 1].text == ",":
            clause = self._complement(sentence, index)
            if clause is None:
                return None
            speaker = self._sentence_subject(sentence, index - 1)
            return (speaker, [clause]) if speaker is not None else None
        anchor = _progressive(tokens, index)  # the auxiliary of "is demanding that"
        finite = (
            token.text in _SAY_VERBS or token.text in _BELIEF_VERBS or token.text in _EVIDENCE_VERBS
        )
        if anchor is None and not finite and token.text not in _OTHER_CUES:
            return None
        if anchor is None and index > 0 and tokens[index - 1].low in _BE_AUX:
            return None  # passive: "it was claimed that"
        if anchor is not None:
            return self._progressive(sentence, index, anchor)
        inserted = self._inserted(sentence, index)
        if inserted is not None:
            return inserted
        trailing = self._trailing(sentence, index) or self._inverted(sentence, index)
        if trailing is not None:
            return trailing
        clause = self._complement(sentence, index)
        if clause is None:
            return None
        if index > 0 and tokens[index - 1].low in {"and", "but"}:
            speaker = self._sentence_subject(sentence, index - 1)
            return (speaker, [clause]) if speaker is not None else None
        opening = self._opening_name(sentence, index)
        if opening is not None:
            return opening, [clause]
        span = _np_before(tokens, index)
        if span is None:
            return None
        if span[1] - span[0] == 1 and tokens[span[0]].low == "who":
            named = self._antecedent(sentence, span[0])
            return (named, [clause]) if named is not None else None
        if tokens[span[0]].low in _RELATIVES or tokens[span[1] - 1].low in {"it", "there", "which"}:
            return None
        if _no_subject(tokens, span):
            speaker = self._subject(sentence, index)
            return (speaker, [clause]) if speaker is not None else None
        head = tokens[span[1] - 1]
        if not head.capitalised and (head.low.endswith("ed") or head.text in _REPORTING):
            return None  # "dismissed reports that": a verb before a noun, not a subject
        return self._np_speaker(sentence, span[0], span[1]), [clause]

    def _sentence_subject(self, sentence: _Sentence, limit: int) -> _Speaker | None:
        """The speaker of a participle or a coordinated verb that reports for the subject of
        its sentence: :meth:`_subject`, else the noun phrase that opens the sentence before its
        first finite verb when it can speak ("The newspapers filed a motion, arguing ...")."""
        speaker = self._subject(sentence, limit)
        if speaker is not None:
            return speaker
        tokens = sentence.tokens
        first = _first_word(sentence)
        if first < 0:
            return None
        for k in range(first + 1, limit):
            token = tokens[k]
            if not token.is_word:
                if token.text in _CLAUSE_BREAKS:
                    return None
                continue
            if token.low in _FINITE or token.text in _SAY_VERBS or _past_verb(token):
                span = _np_before(tokens, k)
                if span is not None and span[0] > first and tokens[span[0] - 1].low == "and":
                    other = _np_before(tokens, span[0] - 1)  # "The Times and the Post filed"
                    span = (other[0], span[1]) if other is not None else None
                if span is None or span[0] != first or tokens[first].low in _SUBORDINATORS:
                    return None
                if not self._speaking_head(sentence, span[0], span[1]):
                    return None
                found = self._np_speaker(sentence, span[0], span[1])
                return found if found.name else None
        return None

    def _progressive(
        self, sentence: _Sentence, verb: int, aux: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        """ "The city is demanding that ...": the clause after the verb, the subject before its
        auxiliary."""
        clause = self._complement(sentence, verb)
        if clause is None:
            return None
        opening = self._opening_name(sentence, aux)
        if opening is not None:
            return opening, [clause]
        span = _np_before(sentence.tokens, aux)
        if span is None or sentence.tokens[span[0]].low in _RELATIVES:
            return None
        if _no_subject(sentence.tokens, span):
            return None
        return self._np_speaker(sentence, span[0], span[1]), [clause]

    def _antecedent(self, sentence: _Sentence, who: int) -> _Speaker | None:
        """The name a relative "who" refers to ("said Mr. Kamin, who emphasized that"), or None
        when no name ends right before it."""
        end = who - 1 if who > 0 and sentence.tokens[who - 1].text == "," else who
        if end <= 0:
            return None
        run = self._run_ending(sentence, max(0, end - 8), end)
        if run is None or run.possessive:
            return None
        return self._name_speaker(run, sentence)

    def _inserted(
        self, sentence: _Sentence, verb: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        """An attribution inside its clause: "Her objection, she said, was to approving..." """
        tokens = sentence.tokens
        if verb + 1 >= len(tokens) or tokens[verb + 1].text != ",":
            return None
        comma = verb - 1
        while comma >= 0 and tokens[comma].is_word and verb - comma <= 5:
            comma -= 1
        if comma < 1 or tokens[comma].text != "," or comma + 1 == verb:
            return None
        if any(t.is_quote for t in tokens):
            return None
        before = [t for t in tokens[:comma] if t.is_word]
        after = [t for t in tokens[verb + 2 :] if t.is_word]
        if not before or len(after) < 2 or len(before) + len(after) < 4:
            return None
        speaker = self._np_speaker(sentence, comma + 1, verb)
        resumed = tokens.index(after[0])
        return speaker, [
            (tokens[0].start, tokens[comma - 1].end),
            (after[0].start, _clause_end(tokens, resumed)),
        ]

    def _complement(self, sentence: _Sentence, verb: int) -> tuple[int, int] | None:
        """The reported clause after a speech verb, as character offsets."""
        tokens = sentence.tokens
        low = tokens[verb].low
        j = verb + 1
        if j >= len(tokens):
            return None
        while j < len(tokens) and tokens[j].low in _TIME_WORDS:
            j += 1  # "said Tuesday (that) ...", "said last week ..."
        if j + 1 < len(tokens) and tokens[j].low == "out" and low in _PREPOSITIONAL_CUES:
            j += 1  # the particle of a phrasal cue: "pointed out that ..."
        if j >= len(tokens):
            return None
        that = -1
        window = min(len(tokens), j + 12)
        first = tokens[j]
        if low in _PREPOSITIONAL_CUES:
            found = _prepositional_object(tokens, j, _PREPOSITIONAL_CUES[low])
            if found is not None and first.low == "on":
                # "called on Obama to retaliate": a request, its content an object and an
                # infinitive, left to a quote it holds
                found = _infinitive(tokens, found)
                if found is None or _holds_quote(tokens, found):
                    return None
            if found is not None:
                return tokens[found].start, _clause_end(tokens, found)
        if low in _PURPOSE_VERBS or low in _PURPOSE_PARTICIPLES or low in _BELIEF_VERBS:
            infinitive = _infinitive(tokens, j)  # "expects them to become less available"
            if infinitive is not None:
                return tokens[infinitive].start, _clause_end(tokens, infinitive)
            if low not in _REPORTING_CLAUSE:
                return None
        if first.low in _WH_WORDS and low in _QUESTION_CUES:
            that = j - 1  # "questioned how Cruz could turn back", "asked why RT was banned"
        elif first.low == "that":
            that = j
        elif low in _TELL_VERBS or first.low in _PREPOSITIONS:
            for k in range(j, window):
                if tokens[k].is_quote or tokens[k].text in {".", ";", "?", "!"}:
                    break
                if tokens[k].low == "that":
                    that = k
                    break
            if that < 0:
                bare = (
                    _pronoun_clause_after_phrase(tokens, j) if low in _BARE_CLAUSE_VERBS else None
                )
                if bare is None or _holds_quote(tokens, bare):
                    return None
                return tokens[bare].start, _clause_end(tokens, bare)
        if that >= 0:
            start_index = that + 1
        elif low in _BARE_CLAUSE_VERBS and _clause_start(tokens, j):
            start_index = j
        elif low in _OBJECT_CONTENT and _object_start(tokens, j):
            start_index = j  # "mentioned disparaging remarks Trump had made about Machado"
        else:
            return None
        if start_index >= len(tokens):
            return None
        start = tokens[start_index].start
        end = _clause_end(tokens, start_index)
        if _in_fronted_clause(tokens, verb):
            # "When Clinton noted that X, Trump boasted": the report ends with its clause
            comma = next((k for k in range(start_index, len(tokens)) if tokens[k].text == ","), 0)
            if comma > start_index:
                end = min(end, tokens[comma - 1].end)
        if end <= start:
            return None
        return start, end

    def _trailing(
        self, sentence: _Sentence, verb: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        """ "X happened, he said." / "..., the company announced on Monday." """
        tokens = sentence.tokens
        span = _np_before(tokens, verb)
        if span is None or span[0] < 2 or tokens[span[0] - 1].text != ",":
            return None
        if not _ends_attribution(tokens, verb):
            return None
        comma = span[0] - 1
        if any(t.is_quote for t in tokens[:comma]) or _in_fronted_clause(tokens, comma):
            return None  # "When X noted that ..., Trump boasted about it": no report before
        if tokens[0].low in _PREPOSITIONS and not _has_finite_verb(tokens[:comma]):
            return None  # "In Honolulu last week, he told ...": a phrase, not a report
        start, end = tokens[0].start, tokens[comma - 1].end
        while comma > 0 and tokens[0].low in {"but", "and"}:
            start = tokens[1].start
            break
        if len([t for t in tokens[:comma] if t.is_word]) < 4:
            return None
        speaker = self._np_speaker(sentence, span[0], span[1])
        return speaker, [(start, end)]

    def _inverted(
        self, sentence: _Sentence, verb: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        """ "X happened, said Jeffrey Trimble, a senior official.": a speech verb after a comma,
        its source after it and then the end of the sentence or an apposition."""
        tokens = sentence.tokens
        if verb < 5 or tokens[verb - 1].text != "," or tokens[verb].text not in _SAY_VERBS:
            return None
        if tokens[verb].low in _TELL_VERBS:
            return None  # "..., Martin Doyle, told The Echo that": an addressee follows
        end = _next_punct(tokens, verb + 1, len(tokens))
        if not 1 <= end - verb - 1 <= 8 or (
            end < len(tokens) and tokens[end].text not in _SOURCE_ENDS
        ):
            return None
        if any(t.low == "that" or t.text in _REPORTING for t in tokens[verb + 1 : end]):
            return None
        source = tokens[verb + 1]
        if source.low in _PRONOUNS or source.low in {"that", "it"} or source.low in _TIME_WORDS:
            return None
        if any(t.is_quote for t in tokens[:verb]):
            return None
        if not self._speaking_head(sentence, verb + 1, end):
            return None
        first = 1 if tokens[0].low in {"but", "and"} else 0
        if len([t for t in tokens[first : verb - 1] if t.is_word]) < 4:
            return None
        speaker = self._np_speaker(sentence, verb + 1, end)
        return speaker, [(tokens[first].start, tokens[verb - 2].end)]

    def _according(
        self, sentence: _Sentence, index: int
    ) -> tuple[_Speaker, list[tuple[int, int]]] | None:
        tokens = sentence.tokens
        np_start = index + 2
        np_end = _next_punct(tokens, np_start, len(tokens))
        if np_end <= np_start or not self._speaking_head(sentence, np_start, np_end):
            return None
        speaker = self._np_speaker(sentence, np_start, np_end)
        if index == 0 or (index == 1 and tokens[0].low in {"but", "and"}):
            if np_end >= len(tokens) or tokens[np_end].text != ",":
                return None
            start = tokens[np_end + 1].start if np_end + 1 < len(tokens) else -1
            end = _clause_end(tokens, np_end + 1)
            return (speaker, [(start, end)]) if 0 <= start < end else None
        # "CLAUSE, according to SOURCE[, who ...]." (the comma may be missing)
        clause_end = index - 1 if tokens[index - 1].text == "," else index
        trailing = np_end >= len(tokens) - 1 or tokens[np_end].text in {",", "(", "—", "–"}
        if index > 1 and trailing and clause_end >= 2:
            first = 1 if tokens[0].low in {"but", "and"} else 0
            if any(t.is_quote for t in tokens[first:clause_end]):
                return None
            return speaker, [(tokens[first].start, tokens[clause_end - 1].end)]
        return None

    def _speaking_head(self, sentence: _Sentence, start: int, end: int) -> bool:
        """Can the noun phrase speak? A name, a person, a group of people, an organisation;
        not a document or a number ("according to figures from the authority")."""
        words = [t for t in sentence.tokens[start:end] if t.is_word]
        cut = next(
            (
                k
                for k, t in enumerate(words)
                if k and (t.low in _PREPOSITIONS or t.low in _RELATIVES)
            ),
            len(words),
        )
        head = words[cut - 1]
        if head.low in _PRONOUNS or head.low in _ROLE_NOUNS or head.low in _ORG_NOUNS:
            return True
        if head.low in _PEOPLE:
            return True
        return head.capitalised and head.low not in _DATA_NOUNS

    # -- speakers

    def _np_speaker(self, sentence: _Sentence, start: int, end: int) -> _Speaker:
        tokens = sentence.tokens
        words = [t for t in tokens[start:end] if t.is_word]
        if not words:
            return _UNKNOWN
        last = words[-1]
        if len(words) == 1 and last.low in _PRONOUNS:
            return self._pronoun(sentence, last.start, _PRONOUNS[last.low])
        if len(words) == 1 and last.text.islower() and last.low.endswith(("ing", "ed")):
            return _UNKNOWN  # "including", "having", "treated": a participle, no one speaking
        linked = [
            k for k, word in enumerate(words) if word.low in _PREPOSITIONS or word.low in _RELATIVES
        ]
        head = words[linked[0] - 1] if linked and linked[0] > 0 else last
        if linked and linked[0] > 1 and head.low in _ADJECTIVES_TO:
            head = words[linked[0] - 2]
        run = self._run_ending(sentence, start, end)
        if run is not None and not run.possessive and not linked:
            return self._name_speaker(run, sentence)
        if linked and linked[0] > 0 and words[linked[0]].low in _PP_LINKS:
            # "Ross Eisenbrey of the Economic Policy Institute", "Hartley of Madison"
            named = self._run_ending(sentence, start, _token_index(tokens, words[linked[0]]))
            if (
                named is not None
                and not named.possessive
                and named.begin == start
                and (named.first < named.last or named.honorific or bool(named.titles))
            ):
                return self._name_speaker(named, sentence)
        determiner = words[0].low
        definite = determiner in {"the", "this"} or _strip_possessive(words[0].text)[1]
        if definite and (last.low in _ROLE_NOUNS or (last.low in _TITLES and last.capitalised)):
            resolved = self._role(sentence, words, last.start)
            if resolved is not None:
                return resolved
        if determiner in {"a", "an", "one"} and head.low in _ROLE_NOUNS and not linked:
            resolved = self._role(sentence, words, last.start)
            if resolved is not None:
                return resolved
        if determiner == "the" and head.low in _ORG_NOUNS and head.text.islower():
            resolved = self._organisation(sentence, head, len(words) == 2)
            if resolved is not None:
                return resolved
        text = self.document.article.text
        begin = (
            words[1].start
            if determiner in {"the", "a", "an"} and len(words) > 1
            else words[0].start
        )
        name = text[begin : words[-1].end]
        plural = head.low.endswith("s") and not head.low.endswith("ss")
        return _Speaker(name, None, "same-sentence", group=plural)

    def _name_speaker(self, run: _Run, sentence: _Sentence) -> _Speaker:
        return _Speaker(self._fullest(run), run.key, "same-sentence")

    def _fullest(self, run: _Run) -> str:
        if not self.names:
            for sentence in self.document.sentences:
                for other in sentence.runs:
                    self.names.setdefault(other.key, []).append(other.name)
        best = run.name
        for name in self.names.get(run.key, ()):
            if len(name) > len(best) and name.endswith(best):
                best = name
        return self.lexicon.fullest(best, run.key)

    def _run_at(self, sentence: _Sentence, index: int) -> _Run | None:
        for run in sentence.runs:
            if run.begin == index:
                return run
        return None

    def _run_ending(self, sentence: _Sentence, start: int, end: int) -> _Run | None:
        last = _last_word(sentence.tokens, start, end)
        for run in sentence.runs:
            if run.last == last and run.begin >= start:
                return run
        return None

    def _pronoun(self, sentence: _Sentence, position: int, gender: str) -> _Speaker:
        if gender == "p":
            for index in range(sentence.index, max(-1, sentence.index - 3), -1):
                group = self.groups.get(index)
                if group is not None:
                    return _Speaker(group, None, "pronoun", group=True)
            return _Speaker(None, None, "pronoun")
        if gender not in {"m", "f"}:
            return _UNKNOWN
        for index in range(sentence.index, max(-1, sentence.index - 1 - self.lookback), -1):
            current = self.document.sentences[index]
            limit = _token_at(current, position) if index == sentence.index else len(current.tokens)
            for kind, value, where in self._mentions(current, limit):
                if kind == "pronoun":
                    if value == gender:
                        break  # the chain goes on in the sentence before
                    continue
                if kind == "name":
                    run = value
                    assert isinstance(run, _Run)
                    found = self.lexicon.gender(run.key)
                    if found and found != gender:
                        continue
                    return _Speaker(self._fullest(run), run.key, "pronoun")
                if kind == "role":
                    words = value
                    assert isinstance(words, list)
                    resolved = self._role(current, words, where)
                    if resolved is not None and resolved.key is not None:
                        found = self.lexicon.gender(resolved.key)
                        if found and found != gender:
                            continue
                        return _Speaker(resolved.name, resolved.key, "pronoun")
        return _Speaker(None, None, "pronoun")

    def _mentions(
        self, sentence: _Sentence, limit: int, *, loose: bool = False
    ) -> list[tuple[str, object, int]]:
        """Subject-like mentions of a sentence, in order: names, he/she, "the <role>"."""
        tokens = sentence.tokens
        mentions: list[tuple[str, object, int]] = []
        runs = {run.begin: run for run in sentence.runs}
        i = _dateline_end(tokens)  # "LOS ANGELES (AP) —" names where, not who
        while i < min(limit, len(tokens)):
            token = tokens[i]
            previous = tokens[i - 1].low if i > 0 else ""
            if token.is_quote:
                i += 1
                continue
            if token.low in {"he", "she"}:
                mentions.append(("pronoun", _PRONOUNS[token.low], token.start))
                i += 1
                continue
            run = runs.get(i)
            if run is not None:
                if (
                    previous not in _PREPOSITIONS
                    and previous not in _DETERMINERS
                    and not previous.endswith("ing")
                    and (
                        self.lexicon.is_person(run.key)
                        or (
                            loose
                            and self.lexicon.unknown(run.key)
                            # one unknown capitalised word opening a sentence may be any
                            # word, unless a verb follows it ("Macron minced no words")
                            and not (
                                run.first == run.last
                                and i == _first_word(sentence)
                                and not _verb_follows(tokens, run.last)
                            )
                        )
                    )
                    and (not run.possessive or i == _first_word(sentence))
                ):
                    mentions.append(("name", run, token.start))
                i = run.last + 1
                continue
            if token.low in {"the", "a", "an"} and previous not in _PREPOSITIONS:
                role = _role_phrase(tokens, i)
                if role is not None:
                    named = _appositive_after(tokens, i + len(role), runs)
                    if named is not None and self.lexicon.is_person(named.key):
                        mentions.append(("name", named, tokens[named.begin].start))
                        i = named.last + 1
                        continue
                    mentions.append(("role", role, token.start))
                    i += len(role)
                    continue
            i += 1
        return mentions

    def _subject(self, sentence: _Sentence, limit: int, *, loose: bool = False) -> _Speaker | None:
        """The speaker a sentence's subject stands for. ``loose`` also accepts a name that is
        not known to be a person but not known to be anything else either."""
        for kind, value, where in self._mentions(sentence, limit, loose=loose):
            if kind == "name":
                assert isinstance(value, _Run)
                return self._name_speaker(value, sentence)
            if kind == "pronoun":
                assert isinstance(value, str)
                return self._pronoun(sentence, where, value)
            assert isinstance(value, list)
            resolved = self._role(sentence, value, where)
            if resolved is not None:
                return resolved
        return None

    def _role(self, sentence: _Sentence, words: list[_Tok], position: int) -> _Speaker | None:
        """The person a role phrase ("the Russian leader") refers to, if any.

        Candidates are the people of the article, each at their latest mention before the
        phrase (else their first one after it); the one whose descriptors share most words
        with the phrase wins, then the one before it, then the nearest. With no shared word,
        "the <role>" falls back to the most recent person without a conflicting nationality.
        """
        phrase = {_normal(t.text) for t in words if t.low not in _DETERMINERS}
        head = _normal(words[-1].text)
        nations = {w for w in phrase if w.startswith("@")}
        best: tuple[float, int, int] | None = None
        chosen: _Run | None = None
        fallback: tuple[int, _Run] | None = None
        position = _place(sentence, _token_at(sentence, position))
        for candidate, at in self._people(position):
            described = self.lexicon.facts[candidate.key].descriptors
            if nations and nations.isdisjoint(self.lexicon.nationalities(candidate.key) or nations):
                continue  # no nationality in common, when both have one
            score = float(len(phrase & described))
            if head not in described and head in _GENERIC_ROLES and described & _ROLE_NOUNS:
                score += 0.5
            before = at < position
            if score > 0:
                rank = (score, int(before), at if before else -at)
                if best is None or rank > best:
                    best, chosen = rank, candidate
            elif before and not nations and (fallback is None or at > fallback[0]):
                fallback = (at, candidate)
        if words[0].low in {"a", "an", "one"} and best is not None and best[0] < 1:
            chosen = None  # an indefinite role needs a real descriptor match
        if chosen is None and words[0].low == "the" and fallback is not None:
            chosen = fallback[1]
        if chosen is None:
            return None
        return _Speaker(self._fullest(chosen), chosen.key, "role")

    def _people(self, position: int) -> list[tuple[_Run, int]]:
        """Each person of the article at their latest mention before ``position`` (a
        :func:`_place`), or else at their first mention after it."""
        if self.mentioned is None:  # the article's person mentions, found once
            self.mentioned = [
                (run, _place(sentence, run.first))
                for sentence in self.document.sentences
                for run in sentence.runs
                if self.lexicon.is_person(run.key)
            ]
        placed: dict[str, tuple[_Run, int]] = {}
        for run, at in self.mentioned:
            known = placed.get(run.key)
            if known is None or (at < position and known[1] < at):
                placed[run.key] = (run, at)
        return list(placed.values())

    def _organisation(self, sentence: _Sentence, head: _Tok, bare: bool) -> _Speaker | None:
        """ "the union" -> the latest earlier name holding the word ("... Union Local 12");
        a bare "the company" may also be the nearest earlier name that is no person or place."""
        position = _place(sentence, _token_index(sentence.tokens, head))
        # the words of the runs are read from each sentence's tokens as they are (a sentence
        # not yet read keeps its shared ones): full tokens only for the name returned
        for current in reversed(self.document.sentences[: sentence.index + 1]):
            for run in reversed(current.runs):
                if _place(current, run.begin) < position and any(
                    t.low == head.low for t in current.words[run.begin : run.last + 1]
                ):
                    return self._run_as_speaker(current, run)
        for current in self.document.sentences[sentence.index :]:
            for run in current.runs:
                if _place(current, run.begin) > position and any(
                    t.low == head.low for t in current.words[run.begin : run.last + 1]
                ):
                    return self._run_as_speaker(current, run)
        if not bare:
            return None
        for current in reversed(self.document.sentences[: sentence.index + 1]):
            for run in reversed(current.runs):
                at = _place(current, run.first)
                if at >= position or self.lexicon.is_person(run.key):
                    continue
                if _normal(run.name.split()[-1]).startswith("@") or run.first == run.last:
                    continue
                return _Speaker(run.name, run.key, "role")
        return None

    def _run_as_speaker(self, sentence: _Sentence, run: _Run) -> _Speaker:
        """The organisation that ``run`` of ``sentence`` names, as written (titles too)."""
        tokens = sentence.tokens
        text = self.document.article.text[tokens[run.begin].start : tokens[run.last].end]
        return _Speaker(text, run.key, "role")


def _place(sentence: _Sentence, index: int) -> int:
    """Where token ``index`` of ``sentence`` stands in its article, as a number that orders
    tokens as their offsets do, read without the sentence's full tokens: its sentence's
    start plus its index (a token takes at least one character, so a sentence's numbers
    stay below its end)."""
    return sentence.start + index


_WORD_CHARS_RUN = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*", re.UNICODE)


def _holds_words(text: str, pieces: list[tuple[int, int]], count: int) -> bool:
    """Do the pieces of ``text`` hold at least ``count`` words (:data:`_WORD_CHARS_RUN`)?
    Read up to the last one needed: a reported clause can be long. (The pattern looks
    neither before nor after its match, so a piece is read in place, not sliced.)"""
    if count <= 0:
        return True
    for start, end in pieces:
        for _ in _WORD_CHARS_RUN.finditer(text, start, end):
            count -= 1
            if count == 0:
                return True
    return False


def _title_case(words: list[str]) -> bool:
    """A name or title written in Title Case: "The Daily Show", "War and Peace"."""
    long_words = [w for w in words if len(w) > 3 or w == words[0]]
    if len(words) < 2 or len(words) > 8 or not long_words:
        return False
    return all(w[0].isupper() for w in long_words)


def _appositive_after(tokens: list[_Tok], start: int, runs: Mapping[int, _Run]) -> _Run | None:
    """The name in apposition after a role: "The chair of governors, Tom Reyes, ..."."""
    k = start
    while k < len(tokens) and k - start < 4 and tokens[k].is_word and tokens[k].text.islower():
        k += 1
    if k < len(tokens) and tokens[k].text == ",":
        return runs.get(k + 1)
    return None


def _role_phrase(tokens: list[_Tok], start: int) -> list[_Tok] | None:
    """ "the newly elected French leader" starting at ``start`` (a "the"), or None."""
    words = [tokens[start]]
    for k in range(start + 1, min(len(tokens), start + 6)):
        token = tokens[k]
        if not token.is_word:
            return None
        words.append(token)
        if token.low in _ROLE_NOUNS or (
            token.low in _TITLES and token.capitalised and token.low in _ROLE_NOUNS
        ):
            following = tokens[k + 1] if k + 1 < len(tokens) else None
            if following is not None and following.capitalised:
                return None  # "the president Emmanuel Macron": a name follows
            return words
        if token.low in _PREPOSITIONS or token.low in _CONJUNCTIONS or token.low in _BE_AUX:
            return None
    return None


def _np_before(tokens: list[_Tok], verb: int) -> tuple[int, int] | None:
    """The subject noun phrase ending before a verb, skipping adverbs and a parenthetical."""
    j = verb - 1
    while (
        j >= 0
        and tokens[j].is_word
        and (
            _cue_prefix_or_adverb(tokens[j])
            or (tokens[j].low in _INTENSIFIERS and j + 1 < verb and _adverb(tokens[j + 1]))
        )
    ):
        j -= 1  # "she also said", "I very precisely pointed out"
    if j < 0:
        return None
    if tokens[j].low in _PRONOUNS and tokens[j].is_word:
        return j, j + 1  # "In the letter she described": the subject is "she"
    if tokens[j].text == ",":
        k = j - 1
        while k >= 0 and tokens[k].text != "," and not tokens[k].is_quote:
            k -= 1
        if k < 0 or tokens[k].is_quote:
            return None
        chunk = tokens[k + 1 : j]
        if chunk and all(t.capitalised or t.low in _NAME_PARTICLES for t in chunk):
            return k + 1, j
        j = k - 1
        if j < 0:
            return None
    end = j + 1
    start = end
    extended = False
    while start > 0 and end - start < 8:
        token = tokens[start - 1]
        if token.text == "." and start >= 2 and _is_short_form(tokens[start - 2].text):
            start -= 1
            continue
        if token.text == "&" and start >= 2 and tokens[start - 2].capitalised:
            start -= 1  # "Pellham & Rook"
            continue
        if not token.is_word:
            break
        low = token.low
        if low in _DETERMINERS and not (low == "that" and _verb_like(tokens[start])):
            start -= 1
            if not extended and _pp_link(tokens, start):
                start -= 1
                extended = True
                continue
            break
        if low in _PREPOSITIONS:
            if not extended and low in _PP_LINKS and start < end and _noun_like(tokens, start - 2):
                start -= 1
                extended = True
                continue
            break
        if low in _CONJUNCTIONS or low in _RELATIVES or low in _BE_AUX or low in _SKIPPABLE:
            if low in _RELATIVES and start == end:
                start -= 1  # "which it said": kept so the caller sees the relative
            elif low in {"that", "who", "which"} and end - start >= 2 and _verb_like(tokens[start]):
                head = _head_before(tokens, start - 1)  # "The union that represents ... said"
                if head is not None:
                    return head, end
            break
        if token.text in _SAY_VERBS or token.text in _SAY_PARTICIPLES:
            break
        start -= 1
    if end - start > 1 and _time_adjunct(tokens, start):
        start += 1  # "In February White House officials said": a time adjunct, no subject
    return (start, end) if start < end else None


def _no_subject(tokens: list[_Tok], span: tuple[int, int]) -> bool:
    """Is the noun phrase before a verb no subject: a word that cannot head one ("his",
    "that", "who", "now", "famously", "Thursday")?"""
    head = tokens[span[1] - 1]
    low = head.low
    return (
        low in _DETERMINERS
        or low in _RELATIVES
        or low in _SKIPPABLE
        or low in _TIME_WORDS
        or low in _PREPOSITIONS_OR_CONJUNCTIONS
        or (low.endswith("ly") and not head.capitalised)
    )


def _same_person(short: str, full: str) -> bool:
    """Can ``short`` be ``full`` written shorter: its words, but the last, are words or
    initials of ``full`` in order ("V. Putin", "Donald Trump" of "Donald J. Trump")?"""
    words = [word.rstrip(".").lower() for word in short.split()]
    long_words = [word.rstrip(".").lower() for word in full.split()]
    if words[-1] != long_words[-1]:
        return False
    position = 0
    for word in words[:-1]:
        while position < len(long_words) - 1:
            candidate = long_words[position]
            position += 1
            if candidate == word or (len(word) == 1 and candidate[:1] == word):
                break
        else:
            return False
    return True


def _cue(text: str, tokens: list[_Tok], verb: int, clause: int) -> str:
    """The words that report a clause starting at offset ``clause``: the verb with the
    auxiliaries and negation before it and, when the clause follows within four words,
    the words up to it ("did not say that", "denied that", "told reporters that");
    "according to" as such."""
    if tokens[verb].low == "according":
        return "according to"
    first = verb
    while first > 0 and tokens[first - 1].is_word and _cue_prefix(tokens[first - 1].low):
        first -= 1
    # "did not directly criticise": a manner adverb between negation and verb keeps the negation
    adverb = first
    while adverb > 0 and tokens[adverb - 1].is_word and _adverb(tokens[adverb - 1]):
        adverb -= 1
    first = next((k for k in range(adverb, first) if _cue_prefix(tokens[k].low)), first)
    last = verb
    if clause > tokens[verb].end:
        between = [k for k in range(verb + 1, len(tokens)) if tokens[k].end <= clause]
        if len(between) <= 4:
            last = between[-1] if between else verb
        elif tokens[between[-1]].low == "that":
            return f"{text[tokens[first].start : tokens[verb].end]} … that"
    return text[tokens[first].start : tokens[last].end]


def _adverb(token: _Tok) -> bool:
    """A lower-case adverb in -ly ("directly", "publicly") or one of the adverbs between."""
    low = token.low
    return not token.capitalised and (low in _SKIPPABLE or (low.endswith("ly") and len(low) > 4))


def _cue_prefix(low: str) -> bool:
    """An auxiliary or a negation that belongs with the verb it comes before."""
    return low in _CUE_AUXILIARIES or low.endswith(("n't", "n’t"))


def _cue_prefix_or_adverb(token: _Tok) -> bool:
    """A word between a subject and its verb: an adverb ("generally"), an auxiliary, a
    negation."""
    return _adverb(token) or token.low.endswith(("n't", "n’t"))


def _denies(cue: str) -> bool:
    """Does a cue deny what it reports ("denied that", "did not say", "never claimed")?"""
    words = cue.lower().split()
    return any(
        word in _DENIAL_FORMS or word in {"not", "never", "no"} or word.endswith(("n't", "n’t"))
        for word in words
    )


def _token_index(tokens: list[_Tok], token: _Tok) -> int:
    """The index of ``token`` (by identity) in ``tokens``."""
    return next(k for k, other in enumerate(tokens) if other is token)


def _headline(sentence: _Sentence) -> bool:
    """Is the sentence a title: three words or more, none in lower case but short
    function words ("Clinton Wins Big in the South", "RED STATES OUTNUMBER BLUE")?"""
    words = [t for t in sentence.tokens if t.is_word]
    return len(words) >= 3 and all(
        not t.text.islower() or t.low in _FUNCTION_WORDS or t.low in _PREPOSITIONS for t in words
    )


def _reduced_relative(tokens: list[_Tok], index: int) -> bool:
    """Does a participle clause start at ``index`` ("going by", "known as")?"""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return (
        token.is_word
        and not token.capitalised
        and token.low.endswith(("ing", "ed", "wn"))
        and following is not None
        and (following.low in _PREPOSITIONS or following.low == "as")
    )


def _progressive(tokens: list[_Tok], verb: int) -> int | None:
    """The auxiliary of a progressive reporting verb ("is demanding", "are also warning"),
    or None when the -ing form at ``verb`` has none."""
    if tokens[verb].text not in _PROGRESSIVES:
        return None
    k = verb - 1
    while k >= 0 and tokens[k].is_word and tokens[k].low in _SKIPPABLE and verb - k <= 3:
        k -= 1
    if k < 0:
        return None
    return k if tokens[k].low in _BE_AUX and tokens[k].low not in {"being", "be"} else None


def _object_start(tokens: list[_Tok], start: int) -> bool:
    """Does a noun phrase start at ``start`` (a determiner, a possessive, a noun: not a
    preposition, a conjunction, a clause or a quote)?"""
    token = tokens[start]
    if not token.is_word or token.low in _PREPOSITIONS or token.low in _CONJUNCTIONS:
        return False
    if token.low in _RELATIVES or token.low in _SUBORDINATORS or token.low in _SKIPPABLE:
        return False
    if token.low in _PRONOUNS and token.low not in {"his", "her", "their", "its", "our", "my"}:
        return False
    # "rejected allegations that Moscow meddled": the clause is someone else's claim
    if any(t.low == "that" for t in tokens[start + 1 : start + 4]):
        return False
    return not token.low.endswith("ly")


def _prepositional_object(
    tokens: list[_Tok], start: int, prepositions: frozenset[str]
) -> int | None:
    """Where the content of a prepositional cue starts: after its preposition ("called for an
    investigation", "spoke out against injustice"), when a noun phrase follows it."""
    k = start
    while k < len(tokens) and k - start < 2 and tokens[k].low in prepositions:
        k += 1
    if k == start or k >= len(tokens) or not _object_start(tokens, k):
        return None
    return None if tokens[k].low in _TIME_WORDS else k  # "called on Monday for": a date


def _infinitive(tokens: list[_Tok], start: int) -> int | None:
    """Where a to-infinitive content starts after a verb: at ``start`` for "to form ...", at
    its object for "supporters to monitor ..." (up to five words, no punctuation between);
    None when none follows ("agreed to the deal" is no infinitive)."""
    for k in range(start, min(len(tokens) - 1, start + 6)):
        token = tokens[k]
        if not token.is_word or token.low in _RELATIVES or token.low in _SUBORDINATORS:
            return None
        if token.low != "to":
            continue
        following = tokens[k + 1]
        if not following.is_word or following.capitalised or following.low.isdigit():
            return None
        if following.low in _DETERMINERS or following.low in _PRONOUNS:
            return None
        return start
    return None


# the pronouns of the lexicon that open a reported clause: not "it" (a thing), not "you"
_SUBJECT_PRONOUNS = frozenset(_PRONOUNS) - {"it", "you"}
# punctuation that ends the subject of a sentence before its verb
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", "."})


def _holds_quote(tokens: list[_Tok], start: int) -> bool:
    """Is there a quotation mark from ``start`` to the end of the sentence?"""
    return any(token.is_quote for token in tokens[start:])


def _pronoun_clause_after_phrase(tokens: list[_Tok], start: int) -> int | None:
    """Where a bare reported clause opened by a subject pronoun starts after the prepositional
    phrase at ``start`` ("said after the convention he would not accept"): the pronoun, up to
    five words on, no punctuation before it and a finite verb right after it; else None."""
    if tokens[start].low not in _PREPOSITIONS:
        return None
    for k in range(start + 1, min(len(tokens) - 1, start + 6)):
        token = tokens[k]
        if not token.is_word:
            return None
        if token.low in _SUBJECT_PRONOUNS:
            following = tokens[k + 1]
            if following.low in _FINITE or following.text in _SAY_VERBS or _verb_like(following):
                return k
            return None
    return None


def _verb_follows(tokens: list[_Tok], index: int) -> bool:
    """Is the word after ``index`` a finite verb (as :func:`_verb_like` tells it, or a
    speech verb)?"""
    following = index + 1
    return following < len(tokens) and (
        _verb_like(tokens[following]) or tokens[following].text in _REPORTING
    )


def _past_verb(token: _Tok) -> bool:
    """A lower-case word in -ed (a regular past tense): "beamed", "scoffed"."""
    return token.is_word and not token.capitalised and len(token.low) > 4 and token.low[-2:] == "ed"


def _verb_like(token: _Tok) -> bool:
    low = token.low
    return (
        token.is_word
        and not token.capitalised
        and (
            low in _FINITE
            or low.endswith(("ed", "es"))
            or (low.endswith("s") and not low.endswith("ss"))
        )
    )


def _head_before(tokens: list[_Tok], relative: int) -> int | None:
    """Start of the short noun phrase a relative clause hangs on ("The union" in "The union
    that represents...")."""
    k = relative
    while k > 0 and relative - k < 4:
        token = tokens[k - 1]
        if not token.is_word or token.low in _PREPOSITIONS or token.low in _CONJUNCTIONS:
            break
        k -= 1
        if token.low in _DETERMINERS:
            break
    return k if k < relative else None


def _ends_attribution(tokens: list[_Tok], verb: int) -> bool:
    """Nothing but a time, place or manner after the verb (", he said on Monday.")."""
    after = verb + 1
    if tokens[verb].low in _TELL_VERBS:
        end = _next_punct(tokens, after, min(len(tokens), after + 10))
        if any(token.low == "that" for token in tokens[after:end]):
            return False  # "he told a meeting of leaders that ...": the clause follows
        while after < len(tokens) and after - verb <= 3 and tokens[after].is_word:
            if tokens[after].low in _PREPOSITIONS:
                break
            after += 1
    while after < len(tokens) and after - verb <= 4 and tokens[after].low in _TIME_WORDS:
        after += 1  # ", officials said Tuesday.", ", he said last night."
    if after >= len(tokens):
        return True
    token = tokens[after]
    return (not token.is_word and not token.is_quote) or token.low in _PREPOSITIONS


def _pp_link(tokens: list[_Tok], det: int) -> bool:
    """A determiner preceded by a linking preposition and a noun: "workers on the night shift",
    "a source close to the player"."""
    if det >= 3 and tokens[det - 1].low == "to" and tokens[det - 2].low in _ADJECTIVES_TO:
        return _noun_like(tokens, det - 3)
    return det >= 2 and tokens[det - 1].low in _PP_LINKS and _noun_like(tokens, det - 2)


def _noun_like(tokens: list[_Tok], index: int) -> bool:
    if index < 0 or not tokens[index].is_word:
        return False
    low = tokens[index].low
    if low in _PREPOSITIONS or low in _CONJUNCTIONS or low in _RELATIVES or low in _BE_AUX:
        return False
    if low in _SKIPPABLE or low in _DETERMINERS or low in _PRONOUNS:
        return False
    if tokens[index].text in _SAY_VERBS or low.endswith("ed") or low.endswith("ing"):
        return False
    return low in _ROLE_NOUNS or low.endswith("s") or tokens[index].capitalised


def _clause_start(tokens: list[_Tok], j: int) -> bool:
    """Does a bare reported clause start at ``j`` ("he hopes...", "the plan would...")?"""
    if j >= len(tokens) or not tokens[j].is_word:
        return False
    first = tokens[j]
    low = _APOSTROPHE.split(first.low, 1)[0]  # "it’s" -> "it"
    rest = tokens[j : j + 15]
    if sum(1 for t in rest if t.is_word or t.is_quote) < 3:
        return False
    if low in {"he", "she", "they", "it", "we", "i", "you", "there", "this", "these", "those"}:
        return True
    if low in _PREPOSITIONS or low in _CONJUNCTIONS or low in _SKIPPABLE or low == "to":
        return False
    if low in _DETERMINERS or first.capitalised or low.isdigit() or low in _QUANTIFIERS:
        return _has_finite_verb(rest[1:])
    return _has_finite_verb(rest[1:7])


_FINITE = words("finite_auxiliaries")
# reporting verbs that also take a that-clause or a bare clause ("warned that", "told X that")
_REPORTING_CLAUSE = _SAY_VERBS | _BELIEF_VERBS | _SAY_PARTICIPLES | _EVIDENCE_VERBS
# speech verbs whose object is what was said ("mentioned the remarks"); not those whose object is
# the addressee ("told reporters")
# the finite reporting verbs that open a clause of their own ("and said", "and is promising")
_CLAUSE_REPORTING = (
    _SAY_VERBS
    | _BELIEF_VERBS
    | _PURPOSE_VERBS
    | _PROGRESSIVES
    | finite_forms(_APPRAISAL)
    | _EVIDENCE_VERBS
    | _TOPIC_VERBS
)
# what may follow the source of an inverted attribution (", said X, a spokesman.")
_SOURCE_ENDS = frozenset({",", ".", "!", "?", "(", "—", "–", ";"})
# words that open an indirect question, and the verbs that report one
_WH_WORDS = frozenset({"whether", "how", "why", "what", "who", "when", "where", "if"})
_QUESTION_CUES = _SAY_VERBS | _SAY_PARTICIPLES | _APPRAISAL_VERBS | _PURPOSE_VERBS
_OBJECT_CONTENT = (
    ((_SAY_VERBS | _SAY_PARTICIPLES) - _TELL_VERBS)
    | _APPRAISAL_VERBS
    | _EVIDENCE_VERBS
    | _TOPIC_VERBS
    | _TOPIC_PARTICIPLES
)
# participles after a comma that report for the subject of their sentence ("..., promising to")
_PARTICIPLES = (
    _SAY_PARTICIPLES
    | _PURPOSE_PARTICIPLES
    | (_PROGRESSIVES & _APPRAISAL_VERBS)
    | _TOPIC_PARTICIPLES
    | frozenset(form for form in _PREPOSITIONAL_CUES if form.endswith("ing"))
)
# finite verbs of other reported content than a clause: a to-infinitive, an object
_OTHER_CUES = (
    _PURPOSE_VERBS
    | (_APPRAISAL_VERBS - _PROGRESSIVES)
    | _TOPIC_VERBS
    | frozenset(form for form in _PREPOSITIONAL_CUES if not form.endswith("ing"))
)


def _has_finite_verb(tokens: Iterable[_Tok]) -> bool:
    """Is there a finite verb among ``tokens`` before a comma or a subordinate clause
    (whose verb would not be the clause's own)?"""
    for token in tokens:
        if not token.is_word:
            if token.text in {".", ";", "?", "!", ",", ":", "—", "–"}:
                return False
            continue
        low = token.low
        if low in _SUBORDINATORS:
            return False
        if low in _FINITE or (low.endswith("ed") and len(low) > 4 and not token.capitalised):
            return True
        if token.text in _REPORTING:
            return True
        if low.endswith(("n’t", "n't", "’s", "'s", "’re", "'re", "’ll", "'ll")):
            return True
    return False


def _clause_end(tokens: list[_Tok], start: int = 0) -> int:
    """Where a reported clause starting at token ``start`` ends: at the end of the sentence,
    or before a trailing participle or source (", demanding pay...", ", according to...")."""
    last = len(tokens) - 1
    for k in range(start + 1, len(tokens) - 1):
        if tokens[k].low in {"and", "but"} and _reports_next(tokens, k + 1):
            last = k - 1  # "..., and said she would", ", and Clinton is promising to"
            break
        if tokens[k].text != ",":
            continue
        following = tokens[k + 1]
        if following.low == "according" or (
            following.is_word and following.text.endswith("ing") and len(following.text) > 5
        ):
            last = k - 1
            break
        if following.low in _CONCESSIVE or _new_report(tokens, k + 1):
            last = k - 1  # "wrote his book, Mr. McKinley said that ...": another report
            break
    while last >= 0 and not (tokens[last].is_word or tokens[last].is_quote):
        last -= 1
    return tokens[last].end if last >= 0 else 0


# words that open an adverbial clause before its main clause ("When X noted that ..., Y ...")
_FRONTED = frozenset(
    {"when", "while", "although", "though", "once", "after", "before", "since", "because", "if"}
)
# words that open a concessive clause after a comma: what follows is no longer reported
_CONCESSIVE = frozenset({"although", "though", "whereas"})


def _in_fronted_clause(tokens: list[_Tok], verb: int) -> bool:
    """Is the verb at ``verb`` in an adverbial clause that opens the sentence (its first word
    a subordinator, no comma between it and the verb)?"""
    words = [k for k in range(verb) if tokens[k].is_word]
    if not words or tokens[words[0]].low not in _FRONTED:
        return False
    return not any(tokens[k].text == "," for k in range(words[0], verb))


def _new_report(tokens: list[_Tok], start: int) -> bool:
    """Does a report of its own start at ``start``, after a comma: a subject of one to five
    words, a speech verb and its that-clause or bare clause (", Mr. McKinley said that ...")?"""
    for k in range(start + 1, min(len(tokens) - 1, start + 6)):
        token = tokens[k]
        if not token.is_word:
            return token.text == "." and _is_short_form(tokens[k - 1].text)  # "Mr."
        if token.text in _SAY_VERBS:
            following = tokens[k + 1]
            return following.low == "that" or _clause_start(tokens, k + 1)
    return False


def _reports_next(tokens: list[_Tok], start: int) -> bool:
    """Does a clause with its own reporting verb start at ``start``: the verb itself ("and
    said"), or after a comma a subject of up to five words and the verb (", and Clinton is
    promising")?"""
    after_comma = start >= 2 and tokens[start - 2].text == ","
    for k in range(start, min(len(tokens), start + (6 if after_comma else 4))):
        token = tokens[k]
        if not token.is_word:
            return False
        if token.text in _CLAUSE_REPORTING:
            return True
        if not after_comma and not _adverb(token):
            return False
    return False


def _next_comma(tokens: list[_Tok], start: int, limit: int) -> int:
    for k in range(start, limit):
        if tokens[k].text == ",":
            return k
        if tokens[k].is_quote or (
            tokens[k].text in {".", "!", "?", ";"} and not _dot_after_abbr(tokens, k)
        ):
            return -1
    return -1


def _next_punct(tokens: list[_Tok], start: int, limit: int) -> int:
    k = start
    while k < limit and (
        tokens[k].is_word or (tokens[k].text == "." and _dot_after_abbr(tokens, k))
    ):
        k += 1
    return k


def _dot_after_abbr(tokens: list[_Tok], index: int) -> bool:
    """Does the dot at ``index`` end an abbreviation ("Mrs.", "R-Pa.", "D-N.Y.") rather than
    the sentence? Either its word is a short form, or a comma follows it."""
    if index == 0 or tokens[index].text != ".":
        return False
    word = tokens[index - 1].text
    if _is_short_form(word) or ("-" in word and len(word) <= 6 and word[:1].isupper()):
        return True
    return index + 1 < len(tokens) and tokens[index + 1].text == ","


def _last_word(tokens: list[_Tok], start: int, end: int) -> int:
    for k in range(end - 1, start - 1, -1):
        if tokens[k].is_word:
            return k
    return -1


def _first_token(sentence: _Sentence) -> int:
    for index, token in enumerate(sentence.tokens):
        if token.is_word or token.is_quote:
            return index
    return -1


def _token_at(sentence: _Sentence, position: int) -> int:
    for index, token in enumerate(sentence.tokens):
        if token.start >= position:
            return index
    return len(sentence.tokens)


# ----------------------------------------------------------------------------- checks


def _verified(occurrences: list[_Occurrence], documents: Sequence[_Document]) -> list[_Occurrence]:
    """The occurrences whose text is the article text at their pieces; the others are
    dropped with a warning, so that one bad offset never stops a run."""
    kept = []
    for occurrence in occurrences:
        article = documents[occurrence.order].article
        if _verbatim(occurrence, article):
            kept.append(occurrence)
        else:
            _LOG.warning(
                "dropped a quote of article %r: its spans %s are not verbatim",
                article.id,
                occurrence.pieces,
            )
    return kept


def _verbatim(occurrence: _Occurrence, article: Article) -> bool:
    for start, end in occurrence.pieces:
        if not 0 <= start < end <= len(article.text):
            return False
        piece = article.text[start:end]
        if piece != piece.strip():
            return False
    return _joined(article, occurrence.pieces) == occurrence.text


def _quote_verified(quote: Quote, articles: Mapping[str, Article]) -> bool:
    """Is the quote's text, piece for piece, the text at a run of consecutive spans of one
    article? (An article may carry the same quote more than once: one run per occurrence.)"""
    by_article: dict[str, list[str]] = {}
    for span in quote.spans:
        by_article.setdefault(span.article_id, []).append(
            articles[span.article_id].text[span.start : span.end]
        )
    for pieces in by_article.values():
        for first in range(len(pieces)):
            joined = pieces[first]
            following = first + 1
            while len(joined) < len(quote.text) and following < len(pieces):
                joined = f"{joined}{PIECE_SEPARATOR}{pieces[following]}"
                following += 1
            if joined == quote.text:
                return True
    _LOG.warning("dropped quote %r: its text is not at its spans", quote.text[:60])
    return False


# ----------------------------------------------------------------------------- merging


def _merge(occurrences: list[_Occurrence], *, similarity: float) -> tuple[Quote, ...]:
    """One quote per group of occurrences with the same words (see the module docstring).

    Two occurrences join when their speakers do not conflict (:func:`_mergeable`) and their
    words are the same (:func:`_same_words`); a group is a connected component of that
    relation. Identical texts with the same speaker join at once and only the first of them
    is compared further. The others are compared text against text, never pair by pair:
    occurrences with the same kind and text form one :class:`_TextGroup`, candidate groups
    come from an inverted index probed with each text's rarest words (prefix filtering:
    a text shares with any text of the same words at least one of the rarest
    ``max(1 - similarity, 0.1)`` of its words), and a pair whose occurrences already form
    one component is not compared at all.
    """
    normalised: dict[str, str] = {}  # a text quoted by several articles is normalised once
    texts = [
        normalised[occ.text]
        if occ.text in normalised
        else normalised.setdefault(occ.text, " ".join(_bag(occ)))
        for occ in occurrences
    ]
    del normalised
    parent = list(range(len(occurrences)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        root_i, root_j = find(i), find(j)
        if root_i != root_j:
            parent[max(root_i, root_j)] = min(root_i, root_j)

    first: dict[tuple[str, str, str], int] = {}
    by_text: dict[tuple[str, str], _TextGroup] = {}
    spelling: dict[str, str] = {}  # one copy of each word, shared by the groups' word sets
    for i, occ in enumerate(occurrences):
        kind = occ.merge_kind  # once: it reads the cue of reported speech
        signature = (kind, texts[i], occ.key or occ.speaker or "")
        if signature in first:
            parent[i] = first[signature]
            continue
        first[signature] = i
        if texts[i]:  # a text without words is the same as no other
            group = by_text.get((kind, texts[i]))
            if group is None:
                group = by_text[kind, texts[i]] = _TextGroup(
                    kind=kind,
                    text=texts[i],
                    words=_distinct_words(texts[i], spelling),
                )
            group.add(i, occ)
    groups = list(by_text.values())
    for group in groups:
        group.join(group, union)  # identical texts whose speakers do not conflict
    # the pairs come ordered by their first group: its words are made a set once for all its
    # pairs (the second's are only looked up in it)
    last: _TextGroup | None = None
    words_of_last: frozenset[str] = frozenset()
    for a, b in _similar_candidates(groups, similarity):
        if a.settled(find) and b.settled(find) and find(a.members[0]) == find(b.members[0]):
            continue
        if not a.compatible(b):
            continue
        if a is not last:
            last, words_of_last = a, frozenset(a.words)
        if _same_words(words_of_last, b.words, a.text, b.text, similarity):
            a.join(b, union)
    clusters: dict[int, list[int]] = {}
    for i in range(len(occurrences)):
        clusters.setdefault(find(i), []).append(i)
    first_order: dict[str, int] = {}
    for occ in occurrences:
        first_order.setdefault(occ.article_id, occ.order)
    quotes = [_quote([occurrences[i] for i in members]) for members in clusters.values()]
    quotes.sort(key=lambda q: (first_order.get(q.spans[0].article_id, 0), q.spans[0].start))
    return tuple(quotes)


def _mergeable(a: _Occurrence, b: _Occurrence) -> bool:
    """Same kind, and speakers that do not conflict (what :meth:`_TextGroup.join` applies
    to whole groups at once)."""
    if a.merge_kind != b.merge_kind:
        return False
    if a.key and b.key:
        return a.key == b.key
    return not (
        a.key is None and b.key is None and a.speaker and b.speaker and a.speaker != b.speaker
    )


@dataclass(slots=True, kw_only=True)
class _TextGroup:
    """The first occurrence of each speaker among the occurrences of one kind and text.

    Speakers are told apart as :func:`_mergeable` tells them apart: by key when there is
    one (``keyed``), else by name (``named``), else unknown (at most one occurrence).
    """

    kind: str  # the merge kind of its occurrences (see _Occurrence.merge_kind)
    text: str
    words: tuple[str, ...]  # its distinct words (a tuple: several times smaller than a set)
    members: list[int] = field(default_factory=list)
    keyed: dict[str, int] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)
    unknown: int = -1
    is_settled: bool = False

    def add(self, index: int, occurrence: _Occurrence) -> None:
        self.members.append(index)
        if occurrence.key:
            self.keyed.setdefault(occurrence.key, index)
        elif occurrence.speaker:
            self.named.setdefault(occurrence.speaker, index)
        elif self.unknown < 0:
            self.unknown = index

    def settled(self, find: Callable[[int], int]) -> bool:
        """Are all members in one component? (Once they are, they stay.)"""
        if not self.is_settled:
            root = find(self.members[0])
            self.is_settled = all(find(m) == root for m in self.members)
        return self.is_settled

    def compatible(self, other: _TextGroup) -> bool:
        """Is some member of this group :func:`_mergeable` with some member of the other?"""
        if self.unknown >= 0 or other.unknown >= 0:
            return True
        if (self.keyed and other.named) or (self.named and other.keyed):
            return True
        return not (
            self.keyed.keys().isdisjoint(other.keyed) and self.named.keys().isdisjoint(other.named)
        )

    def join(self, other: _TextGroup, union: Callable[[int, int], None]) -> None:
        """Union every :func:`_mergeable` pair of members of the two groups (the same
        group twice: of the group), in time linear in their sizes: an unknown speaker
        joins everyone, a keyed speaker every unkeyed name, a key its key, a name its name."""
        if self.unknown >= 0:
            for member in other.members:
                union(self.unknown, member)
        if other.unknown >= 0:
            for member in self.members:
                union(other.unknown, member)
        for keyed, named in ((self.keyed, other.named), (other.keyed, self.named)):
            if keyed and named:
                anchor = next(iter(keyed.values()))
                for member in itertools.chain(keyed.values(), named.values()):
                    union(anchor, member)
        for mine, theirs in ((self.keyed, other.keyed), (self.named, other.named)):
            small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            for name, member in small.items():
                if name in large:
                    union(member, large[name])


def _similar_candidates(
    groups: list[_TextGroup], similarity: float
) -> Iterator[tuple[_TextGroup, _TextGroup]]:
    """Pairs of groups of one kind that may have the same words (:func:`_same_words`),
    each pair once, in order of their indices. (Pairs are held as one integer each
    until then: a batch can have millions.)

    Prefix, length and count filtering (Bayardo et al. 2007, "Scaling up all pairs
    similarity search"; Xiao et al. 2008, "Efficient similarity joins for near duplicate
    detection"), as sparse products. Each group's words are ranked from the rarest. Two
    groups with a Jaccard similarity of at least ``similarity`` share a word among the first
    ``n - ceil(similarity * n) + 1`` of each (``n`` its number of words), and their sizes
    differ by less than that factor. A group (nearly) inside a larger one can miss in it at
    most ``n - ceil(0.9 * n)`` of its words (none below ten words), so of that many of its
    rarest words and a few more, the larger one holds all but that many.

    The filters drop no pair that passes the test, so a few groups (at most
    :data:`_ALL_PAIRS`) are simply paired all with all, in the same order: setting up the
    sparse products costs about 3 ms a call, more than comparing 400 pairs (on the 273
    stories of a 3,000-article stream, 166 have that few: 0.04 CPU s all with all; every
    pair that passes the test, 1,966, was also among the filtered candidates)."""
    if len(groups) <= _ALL_PAIRS:
        for one, other in itertools.combinations(groups, 2):
            if one.kind == other.kind:
                yield one, other
        return
    # a column per word and kind (numbered in order of first use)
    vocabulary: dict[str, dict[str, int]] = {}
    for kind in dict.fromkeys(group.kind for group in groups):
        seen = dict.fromkeys(
            itertools.chain.from_iterable(group.words for group in groups if group.kind == kind)
        )
        start = sum(len(ids) for ids in vocabulary.values())
        vocabulary[kind] = dict(zip(seen, range(start, start + len(seen)), strict=True))
    columns = np.fromiter(
        itertools.chain.from_iterable(
            map(vocabulary[group.kind].__getitem__, group.words) for group in groups
        ),
        dtype=np.int32,
    )
    size = sum(len(ids) for ids in vocabulary.values())
    sizes = np.fromiter((len(group.words) for group in groups), dtype=np.int64, count=len(groups))
    rows = np.repeat(np.arange(len(groups), dtype=np.int32), sizes)
    frequency = np.bincount(columns, minlength=size)
    order = np.lexsort((columns, frequency[columns], rows))  # by group, then rarest first
    del frequency, rows
    columns = columns[order]
    del order
    starts = np.cumsum(sizes) - sizes
    rank = np.arange(len(columns), dtype=np.int32) - np.repeat(starts, sizes).astype(np.int32)
    shape = (len(groups), size)

    words = _leading_words(columns, rank, sizes, sizes, shape)
    # Jaccard: prefixes that share a word, sizes within the factor
    # the first e + 1 shared words lie within e words more than the prefix of each
    prefix = sizes - _least(sizes, similarity) + 1
    extended = np.minimum(sizes, prefix + _EXTRA_PROBES)
    prefixes = _leading_words(columns, rank, sizes, extended, shape)
    # containment: all probed words but the ``allowed`` misses
    needed = np.where(sizes == 4, 4, np.minimum(sizes, _least(sizes, _CONTAINED)))
    allowed = sizes - needed
    probed = np.where(sizes >= 4, np.minimum(sizes, allowed + 1 + _EXTRA_PROBES), 0)
    probes = _leading_words(columns, rank, sizes, probed, shape)
    spare = extended - prefix  # the words probed beyond the prefix
    held_least = probed - allowed  # the probed words a larger group must hold
    del rank, columns
    count = len(groups)
    pairs: list[npt.NDArray[np.int64]] = []  # a pair (i, j), i < j, as i * count + j
    prefixes_by_word, words_by_word = prefixes.T.tocsr(), words.T.tocsr()
    # rows per product: as many as keep the entries both products may make (a row's words
    # times the groups holding each) near _PRODUCT_ENTRIES, so that the memory a block takes
    # is bounded whether its quotes are long or share common words
    made = np.bincount(
        np.repeat(np.arange(count), np.diff(prefixes.indptr)),
        weights=np.diff(prefixes_by_word.indptr)[prefixes.indices],
        minlength=count,
    ) + np.bincount(
        np.repeat(np.arange(count), np.diff(probes.indptr)),
        weights=np.diff(words_by_word.indptr)[probes.indices],
        minlength=count,
    )
    ends = np.searchsorted(
        np.cumsum(made), np.arange(1, int(made.sum() // _PRODUCT_ENTRIES) + 1) * _PRODUCT_ENTRIES
    )
    bounds = sorted({0, count, *(min(count, int(end) + 1) for end in ends)})
    for first, last in itertools.pairwise(bounds):
        # each filter is applied before the next is computed, the cheapest and most selective
        # first: the products hold tens of millions of entries on Timeline17, half of the
        # first one the mirror of the other half
        shared = (prefixes[first:last] @ prefixes_by_word).tocoo()
        a, b, common = shared.row + first, shared.col, shared.data
        del shared
        upper = a < b
        a, b, common = a[upper], b[upper], common[upper]
        small, large = np.minimum(sizes[a], sizes[b]), np.maximum(sizes[a], sizes[b])
        least = np.minimum(spare[a], spare[b]) + 1
        ok = (small >= _least(large, similarity)) & (common >= least)
        pairs.append(a[ok].astype(np.int64) * count + b[ok])
        held = (probes[first:last] @ words_by_word).tocoo()
        a, b, common = held.row + first, held.col, held.data
        del held
        enough = common >= held_least[a]
        a, b = a[enough], b[enough]
        larger = (sizes[b] > sizes[a]) | ((sizes[b] == sizes[a]) & (b > a))
        a, b = a[larger].astype(np.int64), b[larger].astype(np.int64)
        pairs.append(np.minimum(a, b) * count + np.maximum(a, b))
    codes = np.unique(np.concatenate(pairs))  # sorted, each pair once
    del pairs
    for begin in range(0, len(codes), 65536):
        for code in codes[begin : begin + 65536].tolist():
            yield groups[code // count], groups[code % count]


_PRODUCT_ENTRIES = 1_000_000
# groups up to which _similar_candidates pairs them all with all
_ALL_PAIRS = 30
# tokens (words and marks) beyond which a "sentence" is run-on text: the longest sentence
# of PolNeAR train has 220 tokens (a quoted stretch counts as one)
_LONGEST_SENTENCE = 400


def _leading_words(
    columns: npt.NDArray[np.int32],
    rank: npt.NDArray[np.int32],
    sizes: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    shape: tuple[int, int],
) -> sp.csr_matrix:
    """The first ``lengths`` words of each group (rarest first) as a 0/1 matrix, built as CSR
    directly: the entries (``columns``, each with its ``rank`` in its group of ``sizes``
    words) are in row order already."""
    keep = rank < np.repeat(lengths, sizes)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    return sp.csr_matrix(
        (np.ones(int(indptr[-1]), dtype=np.int32), columns[keep], indptr), shape=shape
    )


def _least(size: npt.NDArray[np.int64], share: float) -> npt.NDArray[np.int64]:
    """The least whole number of words reaching ``share * size``, with a margin for
    rounding, so that a filter built on it never drops a pair that passes the test."""
    least: npt.NDArray[np.int64] = np.maximum(0, np.ceil(share * size - 1e-6)).astype(np.int64)
    return least


def _same_words(
    a: frozenset[str], b: Collection[str], text_a: str, text_b: str, similarity: float
) -> bool:
    """Do two texts of the distinct words ``a`` and ``b`` have the same words (see the module
    docstring)? ``b`` need not be a set: its words are looked up in ``a``."""
    if not a or not b:
        return False
    common = a.intersection(b)
    shared = len(common)
    if shared / (len(a) + len(b) - shared) >= similarity:
        return True
    shorter = min(len(a), len(b))
    short_text, long_text = (text_a, text_b) if len(a) <= len(b) else (text_b, text_a)
    # a text inside the other (word for word) has all its words in it: test that first
    if shared == shorter >= 4 and f" {short_text} " in f" {long_text} ":
        return True
    return shorter >= 5 and shared / shorter >= _CONTAINED and len(common - STOP_WORDS) >= 3


def _distinct_words(text: str, spelling: dict[str, str]) -> tuple[str, ...]:
    """The distinct words of a text in order, each as the one copy kept in ``spelling``."""
    distinct = dict.fromkeys(text.split())
    return tuple(map(spelling.setdefault, distinct, distinct))


def _bag(occurrence: _Occurrence) -> list[str]:
    return _normalised_words(occurrence.text)


def _joined(article: Article, pieces: list[tuple[int, int]]) -> str:
    return PIECE_SEPARATOR.join(article.text[start:end] for start, end in pieces)


def _normalised_words(text: str) -> list[str]:
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    for contraction, expansion in _CONTRACTIONS:
        lowered = lowered.replace(contraction, expansion)
    lowered = lowered.replace("'s", "")
    return _NORMAL_WORD.findall(lowered)


def _quote(group: list[_Occurrence]) -> Quote:
    if len(group) == 1:  # most quotes: no order to find, no choice to make
        representative = group[0]
        chosen = representative if representative.speaker is not None else None
    else:
        group = sorted(group, key=lambda occ: (occ.order, occ.pieces[0][0]))
        representative = max(group, key=lambda occ: (sum(e - s for s, e in occ.pieces), -occ.order))
        named = [occ for occ in group if occ.speaker is not None]
        chosen = (
            max(named, key=lambda occ: (occ.key is not None, len(occ.speaker or "")))
            if named
            else None
        )
    spans: list[QuoteSpan] = []
    for occ in group:
        spans.extend(QuoteSpan(article_id=occ.article_id, start=s, end=e) for s, e in occ.pieces)
    return Quote(
        speaker=chosen.speaker if chosen else None,
        text=representative.text,
        kind=representative.kind,
        spans=tuple(spans),
        attribution=chosen.attribution if chosen else "unknown",
        cue=representative.cue or (chosen.cue if chosen else ""),
    )
