"""Entities: labelled mentions -> mention detection P/R/F1 and alias-clustering B-cubed.

Two ways to score an :class:`~storyline.digest.entities.EntityRecognizer`:

- :func:`evaluate_entities` reads a labelled JSONL file (one article a line, the
  format is in ``tests/data/README.md``), runs the recognizer on the articles of
  each story and scores
  * **mention detection**: a predicted mention is right when its span equals a
    labelled span exactly (same article, same offsets); precision, recall, F1;
  * **typed mentions**: the same, the kinds agreeing too;
  * **alias clustering**: B-cubed precision and recall (Bagga and Baldwin 1998)
    over the mentions found, per story: for each such mention, the share of its
    predicted entity's mentions that belong to its labelled entity (precision)
    and the share of its labelled entity's mentions that its predicted entity
    holds (recall).
- :func:`evaluate_typed_mentions` reads CoNLL-2003 as stored in
  ``../shared/benchmarks/ner/`` (:func:`read_conll`: ``{"doc", "text", "sentences",
  "entities": [{"start", "end", "type", "text"}]}``, each document a story of its own) and
  scores exact spans, typed and untyped, by type: person -> PER, organisation -> ORG,
  place -> LOC. MISC has no counterpart: its gold mentions are left out, and so is every
  prediction that overlaps one (and every prediction of kind ``other``).
- :func:`score_answer_key` compares entities with an answer key that lists
  entities by name and aliases only (``examples/harbor-bridge/answers.json``):
  entity precision and recall by name, kind accuracy, and pairwise alias
  precision and recall over the proper-name forms of the key (descriptions
  such as "the mayor" are left out: resolving them is coreference, not naming).
- :func:`evaluate_aliases` reads an alias set (``bench/data/aliases_multinews.jsonl``,
  conventions in ``bench/data/README.md``: one benchmark cluster a line, its entities
  with every proper-name form, and ``distinct`` pairs of look-alike forms of different
  entities), reads each cluster's documents from ``../shared/benchmarks``, runs the
  recognizer over them as one story and scores **pairwise merges** (:func:`score_aliases`):
  * a *form* is the key (:func:`~storyline.digest.entities.name_key`) of a labelled name
    (every labelled form is a proper name, so no description is cut off as above): "Mr.
    Obama", "Obama's" and "Obama" are one form; the system *found* a form when one of
    its entities has a mention (or name) with that key, and the form then belongs to the
    first such entity;
  * every pair of forms of one labelled entity is a true pair; every pair of found forms
    held by one predicted entity is a merge; a merge of a true pair is a true positive,
    a merge of forms of two labelled entities a false positive;
  * forms the system did not find are **left out of precision and count as missed in
    recall**: recall is over every true pair; the recall over the true pairs whose two
    forms were found is reported apart (``pairs_found``), with how many forms were found;
  * a ``distinct`` pair joins the count as two forms of different entities (a form no
    labelled entity holds becomes an entity of its own), so merging it is a false
    positive; how many distinct pairs were merged is reported apart; a pair whose two
    forms share a key ("Georgia" the state and the country) cannot be told apart by
    form and is counted as unscorable.
  Counts are summed over clusters for the overall scores (:func:`sum_alias_scores`).
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storyline.digest.entities import EntityRecognizer, name_key
from storyline.digest.quotes import QuoteExtractor
from storyline.errors import EvaluationError
from storyline.evaluate._jsonl import docs_to_articles, first_record_has, read_records
from storyline.evaluate._prf import PRF
from storyline.ingest.files import FileIngestor, default_shared_dir, labelled_article
from storyline.model import Article, Entity, Quote

__all__ = [
    "AliasCluster",
    "AliasEntity",
    "AliasScores",
    "EntityEvaluation",
    "GoldMention",
    "KeyScores",
    "LabelledStory",
    "TypedMentionScores",
    "evaluate_aliases",
    "evaluate_entities",
    "evaluate_typed_mentions",
    "is_alias_file",
    "is_conll_file",
    "read_alias_clusters",
    "read_conll",
    "read_labelled_entities",
    "score_aliases",
    "score_answer_key",
    "score_entities",
    "score_typed_mentions",
    "sum_alias_scores",
]

_KINDS = {"person": "person", "organisation": "organisation", "organization": "organisation"}
_KINDS |= {"place": "place", "other": "other"}


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldMention:
    """A labelled mention: ``text`` is ``article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    text: str
    entity: str
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledStory:
    """The articles of one story and their labelled mentions."""

    id: str
    articles: tuple[Article, ...]
    mentions: tuple[GoldMention, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityEvaluation:
    """Scores over every story of a labelled file (micro-averaged over mentions)."""

    precision: float
    recall: float
    f1: float
    typed_precision: float
    typed_recall: float
    bcubed_precision: float
    bcubed_recall: float
    gold: int
    predicted: int
    matched: int
    stories: int
    skipped: int
    seconds: float
    missed: tuple[GoldMention, ...] = ()
    spurious: tuple[tuple[str, int, int, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyScores:
    """Entities against an answer key that names entities and aliases only."""

    precision: float
    recall: float
    kind_accuracy: float
    alias_precision: float
    alias_recall: float
    unmatched_predicted: tuple[str, ...]
    missed_gold: tuple[str, ...]


def read_labelled_entities(
    path: Path, *, shared_dir: Path | None = None
) -> tuple[tuple[LabelledStory, ...], int]:
    """The stories of a labelled file and how many lines were skipped (seed file absent).

    A line naming a ``seed`` is read from ``shared_dir`` (default
    ``$STORYLINE_SHARED``, else ``../shared`` beside the repository). A span
    that does not match its text is an :class:`EvaluationError`.
    """
    shared = shared_dir if shared_dir is not None else default_shared_dir()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise EvaluationError(f"cannot read labelled entities {path}: {error}") from error
    ingestor = FileIngestor()
    articles: dict[str, list[Article]] = {}
    mentions: dict[str, list[GoldMention]] = {}
    skipped = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article = labelled_article(record, shared=shared, ingestor=ingestor)
            if article is None:
                skipped += 1
                continue
            story = str(record.get("story") or article.id)
            articles.setdefault(story, []).append(article)
            for label in record["mentions"]:
                mention = GoldMention(
                    article_id=article.id,
                    start=int(label["start"]),
                    end=int(label["end"]),
                    text=str(label["text"]),
                    entity=str(label["entity"]),
                    kind=_KINDS[str(label["kind"])],
                )
                if article.text[mention.start : mention.end] != mention.text:
                    raise ValueError(
                        f"span {mention.start}:{mention.end} reads "
                        f"{article.text[mention.start : mention.end]!r}, not {mention.text!r}"
                    )
                mentions.setdefault(story, []).append(mention)
        except (KeyError, TypeError, ValueError) as error:
            raise EvaluationError(f"{path}:{number}: {error}") from error
    stories = tuple(
        LabelledStory(id=story, articles=tuple(group), mentions=tuple(mentions.get(story, ())))
        for story, group in articles.items()
    )
    return stories, skipped


def evaluate_entities(
    path: Path,
    recognizer: EntityRecognizer,
    *,
    quote_extractor: QuoteExtractor | None = None,
    shared_dir: Path | None = None,
) -> EntityEvaluation:
    """Run ``recognizer`` on each story of a labelled file and score it (see module doc).

    ``quote_extractor``, when given, supplies the quotes the recognizer may use;
    its time is not counted in ``seconds``.
    """
    stories, skipped = read_labelled_entities(path, shared_dir=shared_dir)
    if not stories:
        raise EvaluationError(f"{path} holds no story that could be read")
    predictions: dict[str, tuple[Entity, ...]] = {}
    seconds = 0.0
    for story in stories:
        quotes: tuple[Quote, ...] = ()
        if quote_extractor is not None:
            quotes = quote_extractor.extract(story.articles)
        started = time.perf_counter()
        predictions[story.id] = recognizer.recognize(story.articles, quotes)
        seconds += time.perf_counter() - started
    return score_entities(stories, predictions, skipped=skipped, seconds=seconds)


def score_entities(
    stories: Sequence[LabelledStory],
    predictions: Mapping[str, Sequence[Entity]],
    *,
    skipped: int = 0,
    seconds: float = 0.0,
) -> EntityEvaluation:
    """Mention P/R/F1, typed P/R and B-cubed alias clustering of predicted entities."""
    gold_total = predicted_total = matched_total = typed_total = 0
    bcubed_p: list[float] = []
    bcubed_r: list[float] = []
    missed: list[GoldMention] = []
    spurious: list[tuple[str, int, int, str]] = []
    for story in stories:
        gold = {(m.article_id, m.start, m.end): m for m in story.mentions}
        predicted: dict[tuple[str, int, int], Entity] = {}
        for entity in predictions.get(story.id, ()):
            for mention in entity.mentions:
                predicted[mention.article_id, mention.start, mention.end] = entity
        matched = [span for span in predicted if span in gold]
        gold_total += len(gold)
        predicted_total += len(predicted)
        matched_total += len(matched)
        typed_total += sum(1 for span in matched if predicted[span].kind == gold[span].kind)
        missed.extend(m for span, m in gold.items() if span not in predicted)
        spurious.extend(
            (span[0], span[1], span[2], entity.name)
            for span, entity in predicted.items()
            if span not in gold
        )
        by_gold: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
        by_predicted: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
        for span in matched:
            by_gold[gold[span].entity].add(span)
            by_predicted[predicted[span].id].add(span)
        for span in matched:
            same_gold = by_gold[gold[span].entity]
            same_predicted = by_predicted[predicted[span].id]
            shared = len(same_gold & same_predicted)
            bcubed_p.append(shared / len(same_predicted))
            bcubed_r.append(shared / len(same_gold))
    precision = matched_total / predicted_total if predicted_total else 0.0
    recall = matched_total / gold_total if gold_total else 0.0
    return EntityEvaluation(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        typed_precision=typed_total / predicted_total if predicted_total else 0.0,
        typed_recall=typed_total / gold_total if gold_total else 0.0,
        bcubed_precision=sum(bcubed_p) / len(bcubed_p) if bcubed_p else 0.0,
        bcubed_recall=sum(bcubed_r) / len(bcubed_r) if bcubed_r else 0.0,
        gold=gold_total,
        predicted=predicted_total,
        matched=matched_total,
        stories=len(stories),
        skipped=skipped,
        seconds=seconds,
        missed=tuple(missed),
        spurious=tuple(spurious),
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _proper_core(form: str) -> str:
    """The key of the last run of capitalised words of a form ("Sorrel Road causeway")."""
    words = form.replace("’", "'").split()
    runs: list[list[str]] = [[]]
    for word in words:
        if word[:1].isupper() or word[:1].isdigit() or (word in ("&", "of") and runs[-1]):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    kept = [run for run in runs if run]
    if not kept:
        return ""
    return name_key(" ".join(kept[-1]))


def score_answer_key(entities: Sequence[Entity], key: Sequence[Mapping[str, object]]) -> KeyScores:
    """Entities against ``[{"name", "kind", "aliases"}]`` (see the module docstring)."""
    gold_forms = _gold_forms(
        [str(record["name"]), *(str(alias) for alias in record.get("aliases", []))]  # type: ignore[attr-defined]
        for record in key
    )
    gold_kinds = [_KINDS[str(record["kind"])] for record in key]
    largest: dict[int, Entity] = {}
    unmatched: list[str] = []
    for entity in entities:
        hits = {gold_forms[k] for k in _entity_keys(entity) if k in gold_forms}
        if not hits:
            unmatched.append(entity.name)
        for hit in hits:
            if hit not in largest or len(entity.mentions) > len(largest[hit].mentions):
                largest[hit] = entity
    found_gold = set(largest)
    kinds_right = sum(1 for hit, entity in largest.items() if entity.kind == gold_kinds[hit])
    predicted_right = len(entities) - len(unmatched)
    pairs = _count_pairs(gold_forms, _form_entities(entities, gold_forms))
    return KeyScores(
        precision=predicted_right / len(entities) if entities else 0.0,
        recall=len(found_gold) / len(key) if key else 0.0,
        kind_accuracy=kinds_right / len(found_gold) if found_gold else 0.0,
        alias_precision=pairs.agreeing / pairs.merged if pairs.merged else 1.0,
        alias_recall=pairs.agreeing / pairs.same_found if pairs.same_found else 1.0,
        unmatched_predicted=tuple(unmatched),
        missed_gold=tuple(
            str(record["name"]) for index, record in enumerate(key) if index not in found_gold
        ),
    )


def _gold_forms(
    entities: Iterable[Sequence[str]], key: Callable[[str], str] = _proper_core
) -> dict[str, int]:
    """The ``key`` of every form of each labelled entity -> the entity's index (a key
    shared by two entities stays with the first)."""
    gold_forms: dict[str, int] = {}
    for index, names in enumerate(entities):
        for form in names:
            core = key(form)
            if core:
                gold_forms.setdefault(core, index)
    return gold_forms


def _entity_keys(entity: Entity) -> set[str]:
    return {name_key(mention.text) for mention in entity.mentions} | {name_key(entity.name)}


def _form_entities(entities: Sequence[Entity], gold_forms: Mapping[str, int]) -> dict[str, str]:
    """Each labelled form the entities hold -> the id of the first entity holding it."""
    form_entity: dict[str, str] = {}
    for entity in entities:
        for k in _entity_keys(entity):
            if k in gold_forms:
                form_entity.setdefault(k, entity.id)
    return form_entity


@dataclass(frozen=True, slots=True, kw_only=True)
class _Pairs:
    """Pairs of labelled forms: of one entity (all, and with both forms found), merged by
    the system (both found), and both; with the forms of the missed and wrong pairs."""

    same: int
    same_found: int
    merged: int
    agreeing: int
    missed: tuple[tuple[str, str], ...]
    wrong: tuple[tuple[str, str], ...]


def _count_pairs(gold_forms: Mapping[str, int], form_entity: Mapping[str, str]) -> _Pairs:
    same = same_found = merged = agreeing = 0
    missed: list[tuple[str, str]] = []
    wrong: list[tuple[str, str]] = []
    for first, second in itertools.combinations(sorted(gold_forms), 2):
        same_gold = gold_forms[first] == gold_forms[second]
        found = first in form_entity and second in form_entity
        same_predicted = found and form_entity[first] == form_entity[second]
        same += same_gold
        same_found += same_gold and found
        merged += same_predicted
        agreeing += same_gold and same_predicted
        if same_gold and not same_predicted:
            missed.append((first, second))
        elif same_predicted and not same_gold:
            wrong.append((first, second))
    return _Pairs(
        same=same,
        same_found=same_found,
        merged=merged,
        agreeing=agreeing,
        missed=tuple(missed),
        wrong=tuple(wrong),
    )


# ----------------------------------------------------------------------------- alias sets


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasEntity:
    """A labelled entity of an alias set: canonical name, kind and every other form."""

    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasCluster:
    """One labelled cluster of an alias set (``bench/data/README.md``): where its documents
    are (``dataset`` under the shared benchmarks, ``cluster`` its id), its entities, and
    pairs of look-alike forms that name different entities."""

    dataset: str
    cluster: str
    entities: tuple[AliasEntity, ...]
    distinct: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasScores:
    """Pairwise merge scores of one cluster, or of all (counts summed; see module doc)."""

    cluster: str
    forms: int
    found: int
    same: int
    same_found: int
    merged: int
    agreeing: int
    distinct: int
    distinct_merged: int
    distinct_unscorable: int
    missed: tuple[tuple[str, str], ...] = ()
    wrong: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0

    @property
    def pairs(self) -> PRF:
        """Merge precision over pairs of found forms, recall over every labelled pair."""
        return PRF.counts(self.agreeing, self.merged, self.same)

    @property
    def pairs_found(self) -> PRF:
        """The same with recall over the pairs whose two forms were found."""
        return PRF.counts(self.agreeing, self.merged, self.same_found)


def is_alias_file(path: Path) -> bool:
    """Does the first record of ``path`` look like an alias set (``cluster`` and
    ``entities`` with ``aliases``)?"""
    return first_record_has(path, key="cluster", items="entities", field="aliases")


def read_alias_clusters(path: Path) -> tuple[AliasCluster, ...]:
    """The clusters of an alias-set JSONL file (a bad line is an :class:`EvaluationError`)."""
    return tuple(read_records(path, _alias_cluster, kind="an alias-set"))


def _alias_cluster(record: Mapping[str, Any], origin: str) -> AliasCluster:
    entities = tuple(
        AliasEntity(
            name=str(entity["name"]),
            kind=_KINDS[str(entity["kind"])],
            aliases=tuple(str(alias) for alias in entity["aliases"]),
        )
        for entity in record["entities"]
    )
    distinct = []
    for pair in record.get("distinct", ()):
        first, second = pair
        distinct.append((str(first), str(second)))
    return AliasCluster(
        dataset=str(record["dataset"]),
        cluster=str(record["cluster"]),
        entities=entities,
        distinct=tuple(distinct),
    )


def score_aliases(entities: Sequence[Entity], cluster: AliasCluster) -> AliasScores:
    """Pairwise merge scores of ``entities`` against one labelled cluster (module doc).

    A form of a ``distinct`` pair that no labelled entity holds joins the key as an
    entity of its own; a pair whose two forms share a key cannot be told apart by form
    and is counted as unscorable; a pair whose forms one entity holds is an error."""
    named = [(entity.name, *entity.aliases) for entity in cluster.entities]
    gold_forms = _gold_forms(named, name_key)
    unscorable = 0
    scorable: list[tuple[str, str]] = []
    for first, second in cluster.distinct:
        keys = (name_key(first), name_key(second))
        if not all(keys) or keys[0] == keys[1]:
            unscorable += 1
            continue
        for k in keys:
            if k not in gold_forms:
                gold_forms[k] = len(named)
                named.append((k,))
        if gold_forms[keys[0]] == gold_forms[keys[1]]:
            raise EvaluationError(
                f"cluster {cluster.cluster}: {first!r} and {second!r} are labelled both as "
                "one entity and as distinct"
            )
        scorable.append((keys[0], keys[1]))
    form_entity = _form_entities(entities, gold_forms)
    pairs = _count_pairs(gold_forms, form_entity)
    return AliasScores(
        cluster=cluster.cluster,
        forms=len(gold_forms),
        found=len(form_entity),
        same=pairs.same,
        same_found=pairs.same_found,
        merged=pairs.merged,
        agreeing=pairs.agreeing,
        distinct=len(scorable),
        distinct_merged=sum(
            1
            for first, second in scorable
            if first in form_entity and form_entity[first] == form_entity.get(second)
        ),
        distinct_unscorable=unscorable,
        missed=pairs.missed,
        wrong=pairs.wrong,
    )


def sum_alias_scores(scores: Sequence[AliasScores]) -> AliasScores:
    """The scores of every cluster as one (counts and pairs summed)."""
    return AliasScores(
        cluster="all",
        forms=sum(score.forms for score in scores),
        found=sum(score.found for score in scores),
        same=sum(score.same for score in scores),
        same_found=sum(score.same_found for score in scores),
        merged=sum(score.merged for score in scores),
        agreeing=sum(score.agreeing for score in scores),
        distinct=sum(score.distinct for score in scores),
        distinct_merged=sum(score.distinct_merged for score in scores),
        distinct_unscorable=sum(score.distinct_unscorable for score in scores),
        missed=tuple(pair for score in scores for pair in score.missed),
        wrong=tuple(pair for score in scores for pair in score.wrong),
        seconds=sum(score.seconds for score in scores),
    )


def _benchmark_articles(path: Path) -> dict[str, tuple[Article, ...]]:
    """The documents of every cluster of a benchmark JSONL (``id``, ``docs``), by cluster id."""
    if not path.is_file():
        raise EvaluationError(f"benchmark file missing: {path} (set STORYLINE_SHARED)")
    return dict(read_records(path, _cluster_documents, kind="a benchmark cluster"))


def _cluster_documents(record: Mapping[str, Any], origin: str) -> tuple[str, tuple[Article, ...]]:
    return str(record["id"]), docs_to_articles(record, origin)


def evaluate_aliases(
    clusters: Sequence[AliasCluster],
    recognizer: EntityRecognizer,
    *,
    quote_extractor: QuoteExtractor | None = None,
    shared_dir: Path | None = None,
) -> tuple[AliasScores, ...]:
    """Run ``recognizer`` over each cluster's documents (read from the shared benchmarks:
    an :class:`EvaluationError` naming the file or cluster when absent) as one story, and
    score its merges; ``quote_extractor``, when given, supplies the quotes (its time is
    not counted in ``seconds``)."""
    shared = shared_dir if shared_dir is not None else default_shared_dir()
    datasets: dict[str, dict[str, tuple[Article, ...]]] = {}
    results = []
    for cluster in clusters:
        if cluster.dataset not in datasets:
            datasets[cluster.dataset] = _benchmark_articles(shared / "benchmarks" / cluster.dataset)
        articles = datasets[cluster.dataset].get(cluster.cluster)
        if articles is None:
            raise EvaluationError(f"cluster {cluster.cluster} not found in {cluster.dataset}")
        quotes = quote_extractor.extract(articles) if quote_extractor is not None else ()
        started = time.perf_counter()
        found = recognizer.recognize(articles, quotes)
        seconds = time.perf_counter() - started
        results.append(replace(score_aliases(found, cluster), seconds=seconds))
    return tuple(results)


# ----------------------------------------------------------------------------- CoNLL-2003

# storyline's kinds as CoNLL types; MISC has no counterpart
_CONLL_TYPES = {"person": "PER", "organisation": "ORG", "place": "LOC"}
_CONLL_SCORED = ("PER", "ORG", "LOC")


@dataclass(frozen=True, slots=True, kw_only=True)
class TypedMentionScores:
    """Exact-span mention scores against CoNLL types (see the module docstring)."""

    typed: PRF
    untyped: PRF
    by_type: tuple[tuple[str, PRF], ...]  # PER, ORG, LOC
    gold: int
    predicted: int
    stories: int
    seconds: float = 0.0


def is_conll_file(path: Path) -> bool:
    """Does the first record of ``path`` look like CoNLL as stored in the benchmarks
    (``sentences`` and ``entities`` with a ``type``)?"""
    return first_record_has(path, key="sentences", items="entities", field="type")


def read_conll(path: Path) -> tuple[LabelledStory, ...]:
    """Each document of a CoNLL JSONL file as a story of one article; a mention's ``kind``
    is its CoNLL type and its ``entity`` its text (CoNLL does not link mentions)."""
    return tuple(read_records(path, _conll_story, kind="a CoNLL document"))


def _conll_story(record: Mapping[str, Any], origin: str) -> LabelledStory:
    identifier = str(record["doc"])
    text = str(record["text"])
    mentions = []
    for label in record["entities"]:
        mention = GoldMention(
            article_id=identifier,
            start=int(label["start"]),
            end=int(label["end"]),
            text=str(label["text"]),
            entity=str(label["text"]),
            kind=str(label["type"]),
        )
        if text[mention.start : mention.end] != mention.text:
            raise ValueError(f"span {mention.start}:{mention.end} is not {mention.text!r}")
        mentions.append(mention)
    article = Article(id=identifier, text=text, source=identifier, origin=origin)
    return LabelledStory(id=identifier, articles=(article,), mentions=tuple(mentions))


def evaluate_typed_mentions(
    stories: Sequence[LabelledStory],
    recognizer: EntityRecognizer,
    *,
    quote_extractor: QuoteExtractor | None = None,
    one_story: bool = False,
) -> TypedMentionScores:
    """Run ``recognizer`` on each story and score its mentions against CoNLL types.

    ``quote_extractor``, when given, supplies the quotes (its time is not counted).
    ``one_story`` runs it once over the articles of all stories instead (how issue 13
    measured the baseline: the evidence for a name is then pooled over every document)."""
    groups = [tuple(a for story in stories for a in story.articles)] if one_story else None
    predictions: dict[str, tuple[Entity, ...]] = {}
    seconds = 0.0
    for number, articles in enumerate(groups or [story.articles for story in stories]):
        quotes = quote_extractor.extract(articles) if quote_extractor is not None else ()
        started = time.perf_counter()
        found = recognizer.recognize(articles, quotes)
        seconds += time.perf_counter() - started
        for story in stories if one_story else (stories[number],):
            predictions[story.id] = found
    scores = score_typed_mentions(stories, predictions)
    return TypedMentionScores(
        typed=scores.typed,
        untyped=scores.untyped,
        by_type=scores.by_type,
        gold=scores.gold,
        predicted=scores.predicted,
        stories=scores.stories,
        seconds=seconds,
    )


def score_typed_mentions(
    stories: Sequence[LabelledStory], predictions: Mapping[str, Sequence[Entity]]
) -> TypedMentionScores:
    """Typed and untyped exact-span P/R/F1, and typed by type (MISC left out)."""
    hits: Counter[str] = Counter()
    guesses: Counter[str] = Counter()
    truths: Counter[str] = Counter()
    untyped = 0
    for story in stories:
        gold = {(m.article_id, m.start, m.end): m.kind for m in story.mentions}
        misc: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for (article_id, start, end), truth in gold.items():
            if truth == "MISC":
                misc[article_id].append((start, end))
        predicted: dict[tuple[str, int, int], str] = {}
        own = {article.id for article in story.articles}
        for entity in predictions.get(story.id, ()):
            kind = _CONLL_TYPES.get(entity.kind)
            if kind is None:
                continue
            for mention in entity.mentions:
                if mention.article_id not in own:
                    continue
                spans = misc.get(mention.article_id, ())
                if any(mention.start < end and start < mention.end for start, end in spans):
                    continue
                predicted[mention.article_id, mention.start, mention.end] = kind
        for span, kind in predicted.items():
            guesses[kind] += 1
            label = gold.get(span)
            untyped += label is not None and label != "MISC"
            hits[kind] += label == kind
        truths.update(kind for kind in gold.values() if kind != "MISC")
    total_hits, total_guesses, total_truths = (
        sum(counter.values()) for counter in (hits, guesses, truths)
    )
    return TypedMentionScores(
        typed=PRF.counts(total_hits, total_guesses, total_truths),
        untyped=PRF.counts(untyped, total_guesses, total_truths),
        by_type=tuple(
            (kind, PRF.counts(hits[kind], guesses[kind], truths[kind])) for kind in _CONLL_SCORED
        ),
        gold=total_truths,
        predicted=total_guesses,
        stories=len(stories),
    )
