"""Entity scoring (evaluate.entities): CoNLL-2003 types (read_conll, typed mentions) and
alias sets (read_alias_clusters, pairwise merges)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from storyline.digest.entities import RuleEntityRecognizer, name_key
from storyline.errors import EvaluationError
from storyline.evaluate.entities import (
    AliasCluster,
    AliasEntity,
    evaluate_aliases,
    evaluate_typed_mentions,
    is_alias_file,
    is_conll_file,
    read_alias_clusters,
    read_conll,
    score_aliases,
    score_typed_mentions,
    sum_alias_scores,
)
from storyline.model import Entity, EntityKind, Mention
from tests.builders import shared_path

TEXT = "Peter Blackburn met EU officials in Brussels .\nGerman farmers protested ."


def _span(text: str) -> dict[str, object]:
    start = TEXT.index(text)
    return {"start": start, "end": start + len(text), "text": text}


def _record() -> dict[str, object]:
    return {
        "doc": "testa-000",
        "text": TEXT,
        "sentences": [[0, 46], [47, len(TEXT)]],
        "entities": [
            _span("Peter Blackburn") | {"type": "PER"},
            _span("EU") | {"type": "ORG"},
            _span("Brussels") | {"type": "LOC"},
            _span("German") | {"type": "MISC"},
        ],
    }


@pytest.fixture
def conll(tmp_path: Path) -> Path:
    path = tmp_path / "conll.jsonl"
    path.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    return path


def _entity(kind: EntityKind, *texts: str) -> Entity:
    mentions = tuple(
        Mention(article_id="testa-000", start=TEXT.index(t), end=TEXT.index(t) + len(t), text=t)
        for t in texts
    )
    return Entity(
        id=texts[0],
        name=texts[0],
        kind=kind,
        aliases=(),
        mentions=mentions,
        article_ids=("testa-000",),
    )


def test_conll_files_are_told_apart(conll: Path) -> None:
    assert is_conll_file(conll)
    assert not is_conll_file(Path("tests/data/entities_labelled.jsonl"))
    (story,) = read_conll(conll)
    assert [m.kind for m in story.mentions] == ["PER", "ORG", "LOC", "MISC"]


def test_a_span_that_is_not_its_text_is_an_evaluation_error(tmp_path: Path) -> None:
    record = _record()
    record["entities"] = [{"start": 0, "end": 5, "text": "Blackburn", "type": "PER"}]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:1"):
        read_conll(path)


def test_typed_untyped_and_misc_left_out(conll: Path) -> None:
    stories = read_conll(conll)
    predictions = {
        "testa-000": (
            _entity("person", "Peter Blackburn"),
            _entity("place", "EU"),  # right span, wrong type
            _entity("place", "Brussels"),
            _entity("place", "German farmers"),  # overlaps a MISC mention: left out
            _entity("other", "officials"),  # no CoNLL counterpart: left out
        )
    }
    scores = score_typed_mentions(stories, predictions)
    assert scores.gold == 3
    assert scores.predicted == 3
    assert scores.untyped.f1 == 1.0
    assert scores.typed.precision == pytest.approx(2 / 3)
    by_type = dict(scores.by_type)
    assert by_type["PER"].f1 == 1.0
    assert by_type["ORG"].recall == 0.0
    assert by_type["LOC"].precision == 0.5


def test_the_rule_recognizer_runs_per_document_or_once(conll: Path) -> None:
    stories = read_conll(conll)
    each = evaluate_typed_mentions(stories, RuleEntityRecognizer())
    once = evaluate_typed_mentions(stories, RuleEntityRecognizer(), one_story=True)
    assert each.stories == once.stories == 1
    assert dict(each.by_type)["PER"].recall == 1.0
    assert each.typed == once.typed


CONLL_DEV = shared_path("benchmarks", "ner", "conll2003_dev.jsonl")


@pytest.mark.skipif(not CONLL_DEV.is_file(), reason=f"benchmark missing: {CONLL_DEV}")
def test_conll_dev_reads_whole() -> None:
    stories = read_conll(CONLL_DEV)
    assert len(stories) == 216
    assert sum(len(s.mentions) for s in stories) == 5942


# ----------------------------------------------------------------------------- alias sets

ALIAS_RECORD = {
    "dataset": "multinews/tiny.jsonl",
    "cluster": "c1",
    "entities": [
        {"name": "Tony Scott", "kind": "person", "aliases": ["Scott", "Mr. Scott", "Tony"]},
        {"name": "Ridley Scott", "kind": "person", "aliases": ["Ridley"]},
        {"name": "20th Century Fox", "kind": "organization", "aliases": ["Fox"]},
    ],
    "distinct": [["Tony Scott", "Donna Wilson Scott"], ["Georgia", "Georgia"]],
}


@pytest.fixture
def alias_file(tmp_path: Path) -> Path:
    path = tmp_path / "aliases.jsonl"
    path.write_text(json.dumps(ALIAS_RECORD) + "\n", encoding="utf-8")
    return path


def test_alias_files_are_told_apart(alias_file: Path, conll: Path) -> None:
    assert is_alias_file(alias_file)
    assert not is_conll_file(alias_file)
    assert not is_alias_file(conll)
    (cluster,) = read_alias_clusters(alias_file)
    assert cluster.dataset == "multinews/tiny.jsonl"
    assert cluster.cluster == "c1"
    assert cluster.entities[0] == AliasEntity(
        name="Tony Scott", kind="person", aliases=("Scott", "Mr. Scott", "Tony")
    )
    assert cluster.entities[2].kind == "organisation"
    assert cluster.distinct == (("Tony Scott", "Donna Wilson Scott"), ("Georgia", "Georgia"))


def test_an_alias_line_without_entities_is_an_evaluation_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"dataset": "x", "cluster": "c"}) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"bad\.jsonl:1"):
        read_alias_clusters(path)


def _named(identifier: str, *texts: str) -> Entity:
    mentions = tuple(
        Mention(article_id="a", start=10 * n, end=10 * n + len(t), text=t)
        for n, t in enumerate(texts)
    )
    return Entity(
        id=identifier,
        name=texts[0],
        kind="person",
        aliases=texts[1:],
        mentions=mentions,
        article_ids=("a",),
    )


def test_pairs_are_counted_over_forms_found_and_missed(alias_file: Path) -> None:
    (cluster,) = read_alias_clusters(alias_file)
    predicted = (
        _named("e1", "Tony Scott", "Mr. Scott", "Donna Wilson Scott"),  # one wrong merge
        _named("e2", "Tony"),  # a first name left apart
        _named("e3", "Ridley Scott", "Ridley"),
    )  # 20th Century Fox and Fox: never found
    score = score_aliases(predicted, cluster)
    # forms: tony scott, scott (= mr scott), tony, ridley scott, ridley, 20th century fox,
    # fox, and the distinct form donna wilson scott as an entity of its own
    assert (score.forms, score.found) == (8, 6)
    assert score.same == 3 + 1 + 1
    assert score.same_found == 3 + 1
    assert score.merged == 3 + 1  # e1 holds three found forms, e3 two
    assert score.agreeing == 2  # tony scott-scott, ridley scott-ridley
    assert score.pairs.precision == pytest.approx(2 / 4)
    assert score.pairs.recall == pytest.approx(2 / 5)
    assert score.pairs_found.recall == pytest.approx(2 / 4)
    assert (score.distinct, score.distinct_merged, score.distinct_unscorable) == (1, 1, 1)
    assert set(score.wrong) == {
        ("donna wilson scott", "scott"),
        ("donna wilson scott", "tony scott"),
    }
    assert ("fox", "20th century fox") in {tuple(sorted(p, reverse=True)) for p in score.missed}
    total = sum_alias_scores([score, score])
    assert (total.same, total.merged, total.agreeing) == (10, 8, 4)
    assert total.pairs.f1 == score.pairs.f1


def test_a_pair_labelled_one_entity_and_distinct_is_an_error() -> None:
    cluster = AliasCluster(
        dataset="d",
        cluster="c",
        entities=(AliasEntity(name="Gaza Strip", kind="place", aliases=("Gaza",)),),
        distinct=(("Gaza", "Gaza Strip"),),
    )
    with pytest.raises(EvaluationError, match="both as one entity and as distinct"):
        score_aliases((), cluster)


TINY_DOCS = [
    "Abdullah Ocalan spoke from prison on Monday. Ocalan said the talks would go on.",
    "Mr. Ocalan, the PKK leader, was quoted by his lawyers in Istanbul.",
]


def test_clusters_are_read_from_the_shared_benchmarks(tmp_path: Path, alias_file: Path) -> None:
    with pytest.raises(EvaluationError, match="benchmark file missing"):
        evaluate_aliases(
            read_alias_clusters(alias_file), RuleEntityRecognizer(), shared_dir=tmp_path
        )
    bench = tmp_path / "benchmarks" / "multinews"
    bench.mkdir(parents=True)
    docs = [
        {"id": f"c1-d{n}", "date": None, "title": None, "text": t} for n, t in enumerate(TINY_DOCS)
    ]
    (bench / "tiny.jsonl").write_text(
        json.dumps({"id": "c1", "docs": docs}) + "\n", encoding="utf-8"
    )
    cluster = AliasCluster(
        dataset="multinews/tiny.jsonl",
        cluster="c1",
        entities=(
            AliasEntity(name="Abdullah Ocalan", kind="person", aliases=("Ocalan", "Mr. Ocalan")),
            AliasEntity(name="Istanbul", kind="place", aliases=()),
        ),
        distinct=(),
    )
    (score,) = evaluate_aliases([cluster], RuleEntityRecognizer(), shared_dir=tmp_path)
    assert (score.forms, score.same) == (3, 1)  # "Mr. Ocalan" is "Ocalan"
    assert score.found == 3
    missing = AliasCluster(dataset="multinews/tiny.jsonl", cluster="c2", entities=(), distinct=())
    with pytest.raises(EvaluationError, match="cluster c2 not found"):
        evaluate_aliases([missing], RuleEntityRecognizer(), shared_dir=tmp_path)


ALIASES = Path(__file__).resolve().parents[2] / "bench" / "data" / "aliases_multinews.jsonl"
# the second to fifth sets, each labelled blind on other clusters (bench/data/README.md)
ALIASES_B = ALIASES.with_name("aliases_multinews_b.jsonl")
ALIASES_C = ALIASES.with_name("aliases_multinews_c.jsonl")
ALIASES_D = ALIASES.with_name("aliases_multinews_d.jsonl")
ALIASES_E = ALIASES.with_name("aliases_multinews_e.jsonl")
VAL250 = shared_path("benchmarks", "multinews", "val250.jsonl")


@pytest.mark.parametrize(
    "path",
    [ALIASES, ALIASES_B, ALIASES_C, ALIASES_D, ALIASES_E],
    ids=["first", "second", "third", "fourth", "fifth"],
)
def test_the_multinews_alias_set_keeps_its_conventions(path: Path) -> None:
    clusters = read_alias_clusters(path)
    entities = [entity for cluster in clusters for entity in cluster.entities]
    several = [e for e in entities if len({name_key(f) for f in (e.name, *e.aliases)}) > 1]
    assert len(clusters) == 25
    assert len(entities) >= 100
    assert len(several) >= 40
    assert {e.kind for e in entities} == {"person", "organisation", "place"}
    for cluster in clusters:
        owners: dict[str, str] = {}
        for entity in cluster.entities:  # a form that names two entities is listed under neither
            for form in (entity.name, *entity.aliases):
                owner = owners.setdefault(name_key(form), entity.name)
                assert owner == entity.name, (cluster.cluster, form, owner)
        for first, second in cluster.distinct:  # a pair of one key could not be scored
            assert name_key(first) != name_key(second), (cluster.cluster, first, second)
    if not VAL250.is_file():
        pytest.skip(f"benchmark missing: {VAL250} (forms not checked against the texts)")
    texts = {}
    for line in VAL250.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = "\n".join(doc["text"] for doc in record["docs"])
    for cluster in clusters:
        forms = [f for e in cluster.entities for f in (e.name, *e.aliases)]
        forms += [f for pair in cluster.distinct for f in pair]
        for form in forms:  # every form as the texts write it, a whole word
            pattern = rf"(?<!\w){re.escape(form)}(?!\w)"
            assert re.search(pattern, texts[cluster.cluster]), (cluster.cluster, form)


def test_the_multinews_alias_sets_share_no_cluster() -> None:
    paths = (ALIASES, ALIASES_B, ALIASES_C, ALIASES_D, ALIASES_E)
    sets = [{c.cluster for c in read_alias_clusters(p)} for p in paths]
    for one, other in itertools.combinations(sets, 2):
        assert one.isdisjoint(other)


@pytest.mark.skipif(not VAL250.is_file(), reason=f"benchmark missing: {VAL250}")
def test_eval_entities_scores_the_multinews_alias_set(tmp_path: Path) -> None:
    from storyline.cli import main  # noqa: PLC0415

    output = tmp_path / "scores.json"
    assert main(["eval", "entities", "--dataset", str(ALIASES), "--output", str(output)]) == 0
    scores = json.loads(output.read_text(encoding="utf-8"))
    assert scores["clusters"] == 25
    assert scores["entities"] >= 100
    assert 0 < scores["found"] <= scores["forms"]
    assert 0.0 <= scores["pairs, F1"] <= 1.0
    assert scores["distinct pairs"] > 0
