"""Pipeline.run_stories: a mixed stream -> its stories, and one digest per story."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from storyline.config import Config
from storyline.errors import StorylineError
from storyline.ingest.files import FileIngestor
from storyline.model import Article, Budget, Corpus, RejectionReason
from storyline.pipeline import Pipeline
from storyline.registry import build_pipeline
from storyline.report.markdown import delivered_texts, to_html, to_json, to_markdown
from storyline.stories.clusters import Clustering, OnlineClusterer
from tests.builders import make_article, shared_path
from tests.unit.test_pipeline import PoisonedQuoteExtractor

BUDGET = Budget(unit="words", limit=40)
_REPO = Path(__file__).resolve().parents[2]

_BRIDGE = (
    "A steel cable on the Gull Island Bridge snapped on Saturday night, engineers said. "
    "The Gull Island Bridge is closed to trucks while engineers inspect every cable. "
    "Mayor Hollander said the bridge cable would be replaced within weeks."
)
_FIRE = (
    "A wildfire in the Kestrel Ridge hills tripled in size overnight, firefighters said. "
    "Evacuation orders now cover 1,400 homes below Kestrel Ridge as the wildfire spreads. "
    "Fire chief Okafor said crews expect the Kestrel Ridge wildfire to burn for days."
)
_SCHOOLS = (
    "The school board voted to close Linden Elementary and Marsh Elementary in June. "
    "Parents of Linden Elementary pupils packed the school board hearing on Tuesday. "
)


def _stream() -> tuple[Article, ...]:
    articles = []
    for number, outlet in enumerate(("ledger", "radio", "courier")):
        day = f"2026-04-1{number + 1}"
        articles.append(
            make_article(
                _BRIDGE.replace("Saturday", ("Saturday", "Friday", "Sunday")[number]),
                id=f"bridge-{outlet}",
                source=outlet,
                published=day,
                title="Gull Island Bridge cable snaps",
            )
        )
        if number < 2:
            articles.append(
                make_article(
                    _FIRE.replace("overnight", ("overnight", "on Monday")[number]),
                    id=f"fire-{outlet}",
                    source=outlet,
                    published=day,
                    title="Kestrel Ridge wildfire triples",
                )
            )
    articles.append(
        make_article(_SCHOOLS, id="schools-ledger", source="ledger", published="2026-04-12")
    )
    return tuple(articles)


def _pipeline(**stages: object) -> Pipeline:
    return dataclasses.replace(build_pipeline(Config()), **stages)  # type: ignore[arg-type]


def test_each_story_gets_its_own_digest_over_its_own_articles() -> None:
    stream = _pipeline().run_stories(Corpus(articles=_stream()), BUDGET)
    members = [set(story.article_ids) for story in stream.stories]
    assert members == [
        {"bridge-ledger", "bridge-radio", "bridge-courier"},
        {"fire-ledger", "fire-radio"},
        {"schools-ledger"},
    ], "largest story first"
    assert [story.id for story in stream.stories] == ["story-1", "story-2", "story-3"]
    assert len(stream.digests) == 3
    for story, digest in zip(stream.stories, stream.digests, strict=True):
        assert digest.stories[0].id == story.id
        assert {article.id for article in digest.corpus.articles} == set(story.article_ids)
        cited = {
            citation.article_id
            for summary in digest.summaries
            for sentence in summary.sentences
            for citation in sentence.citations
        }
        assert cited, f"{story.id} has a summary"
        assert cited <= set(story.article_ids), "a story's digest cites only its own articles"
        quoted = {span.article_id for quote in digest.quotes for span in quote.spans}
        assert quoted <= set(story.article_ids)
    assert "cluster" in stream.timings
    names = _pipeline().stream_stage_names
    assert list(stream.timings) == [name for name in names if name in stream.timings]


def test_a_one_story_input_reads_as_the_one_story_digest() -> None:
    articles = tuple(a for a in _stream() if a.id.startswith("bridge"))
    pipeline = _pipeline()
    alone = pipeline.run(Corpus(articles=articles), BUDGET)
    stream = pipeline.run_stories(Corpus(articles=articles), BUDGET)
    assert len(stream.stories) == 1
    assert to_markdown(stream) == to_markdown(alone)
    assert to_html(stream, timings=False) == to_html(alone, timings=False)
    assert to_json(stream, timings=False) == to_json(alone, timings=False)


@pytest.mark.parametrize("name", ["seeds", "example"])
def test_the_seeds_and_the_example_corpus_stay_one_story(name: str) -> None:
    path = shared_path("seeds") if name == "seeds" else _REPO / "examples" / "harbor-bridge" / "txt"
    if not path.is_dir():
        pytest.skip(f"{name} missing: {path}")
    corpus = FileIngestor().ingest([str(path)])
    pipeline = _pipeline()
    stream = pipeline.run_stories(corpus, BUDGET)
    assert len(stream.stories) == 1
    assert to_markdown(stream) == to_markdown(pipeline.run(corpus, BUDGET))


def test_the_one_story_option_takes_the_whole_input_as_one_story() -> None:
    stream = _pipeline(clusterer=None).run_stories(Corpus(articles=_stream()), BUDGET)
    assert len(stream.stories) == len(stream.digests) == 1
    assert len(stream.stories[0].article_ids) == len(_stream())


def test_story_picks_one_digest_and_min_articles_leaves_small_ones_in_the_index() -> None:
    pipeline = _pipeline()
    corpus = Corpus(articles=_stream())
    picked = pipeline.run_stories(corpus, BUDGET, story="story-2")
    assert len(picked.stories) == 3
    assert [digest.stories[0].id for digest in picked.digests] == ["story-2"]
    big = pipeline.run_stories(corpus, BUDGET, min_articles=2)
    assert [digest.stories[0].id for digest in big.digests] == ["story-1", "story-2"]
    data = json.loads(to_json(big, timings=False))
    assert [story["digested"] for story in data["stories"]] == [True, True, False]
    assert "summary" not in data["stories"][2]
    assert {a["story_id"] for a in data["articles"] if a["id"] == "schools-ledger"} == {"story-3"}
    markdown = to_markdown(big)
    assert "| story-3 (not digested) |" in markdown
    assert '<a id="story-3"></a>' not in markdown
    with pytest.raises(StorylineError, match=r"no story 'story-9' .*story-1, story-2, story-3"):
        pipeline.run_stories(corpus, BUDGET, story="story-9")


def test_the_stories_alone_come_without_digests() -> None:
    stream = _pipeline().run_stories(Corpus(articles=_stream()), BUDGET, digests=False)
    assert len(stream.stories) == 3
    assert stream.digests == ()


def test_a_republished_copy_joins_its_originals_story_and_is_not_clustered() -> None:
    copy = dataclasses.replace(
        _stream()[0],
        id="bridge-copy",
        source="wire",
        origin="<test:bridge-copy>",
        published=dt.date(2026, 4, 14),
    )
    seen: list[list[str]] = []

    class Recording(OnlineClusterer):
        def cluster(self, articles: Sequence[Article], state: object = None) -> Clustering:
            seen.append([article.id for article in articles])
            return super().cluster(articles)

    stream = _pipeline(clusterer=Recording()).run_stories(
        Corpus(articles=(*_stream(), copy)), BUDGET
    )
    assert "bridge-copy" not in seen[0], "copies are set aside before clustering"
    bridge = next(story for story in stream.stories if "bridge-ledger" in story.article_ids)
    assert "bridge-copy" in bridge.article_ids
    digest = stream.digests[stream.stories.index(bridge)]
    copies = {copy_id for group in digest.stories[0].duplicates for copy_id in group.copies}
    assert "bridge-copy" in copies


def test_an_article_failing_in_one_story_is_rejected_and_the_others_are_digested() -> None:
    articles = list(_stream())
    articles[1] = dataclasses.replace(articles[1], text=articles[1].text + " POISON")
    stream = _pipeline(quote_extractor=PoisonedQuoteExtractor()).run_stories(
        Corpus(articles=tuple(articles)), BUDGET
    )
    (rejection,) = stream.corpus.rejections
    assert rejection.reason is RejectionReason.PROCESSING_ERROR
    assert rejection.item == articles[1].origin
    assert "stage 'quotes'" in rejection.detail
    assert articles[1].id not in {a.id for a in stream.corpus.articles}
    assert all(articles[1].id not in story.article_ids for story in stream.stories)
    assert len(stream.digests) == 3


def test_an_article_that_breaks_the_clusterer_is_rejected_naming_the_stage() -> None:
    class Fragile(OnlineClusterer):
        def cluster(self, articles: Sequence[Article], state: object = None) -> Clustering:
            if any("POISON" in article.text for article in articles):
                raise ValueError("unreadable")
            return super().cluster(articles)

    articles = (*_stream(), make_article("POISON " * 30, id="bad", published="2026-04-12"))
    stream = _pipeline(clusterer=Fragile()).run_stories(Corpus(articles=articles), BUDGET)
    (rejection,) = stream.corpus.rejections
    assert rejection.item == "<test:bad>"
    assert "stage 'cluster': ValueError: unreadable" in rejection.detail
    assert len(stream.stories) == 3


def test_the_page_of_several_stories_links_each_story_and_repeats_no_id() -> None:
    stream = _pipeline().run_stories(Corpus(articles=_stream()), BUDGET)
    page = to_html(stream)
    ids = _ids(page)
    assert len(ids) == len(set(ids)), "no id twice on the page"
    for story in stream.stories:
        assert f'href="#{story.id}"' in page
        assert story.id in ids
        assert f"{story.id}-summary" in ids
        assert f"{story.id}-source-1" in ids
    links = [link[1:] for link in _links(page) if link.startswith("#")]
    assert set(links) <= set(ids), "every link inside the page has its target"
    rendered = MarkdownIt("commonmark").render(to_markdown(stream))
    for story in stream.stories:
        assert f'<a href="#{story.id}">{story.id}</a>' in rendered
        assert f'<a id="{story.id}"></a>' in rendered


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value is not None:
                self.links.append(value)


def _ids(page: str) -> list[str]:
    collector = _Collector()
    collector.feed(page)
    return collector.ids


def _links(page: str) -> list[str]:
    collector = _Collector()
    collector.feed(page)
    return collector.links


def test_story_workers_give_the_same_digests_as_one_process() -> None:
    corpus = Corpus(articles=_stream())
    here = _pipeline(workers=False).run_stories(corpus, BUDGET)
    pooled = _pipeline(workers=True, workers_from_chars=0).run_stories(corpus, BUDGET)
    assert to_json(pooled, timings=False) == to_json(here, timings=False)
    assert to_markdown(pooled) == to_markdown(here)
    assert set(pooled.timings) == set(here.timings)


def test_an_article_failing_in_a_story_worker_is_rejected_and_the_others_are_digested() -> None:
    articles = list(_stream())
    articles[1] = dataclasses.replace(articles[1], text=articles[1].text + " POISON")
    pipeline = _pipeline(
        quote_extractor=PoisonedQuoteExtractor(), workers=True, workers_from_chars=0
    )
    stream = pipeline.run_stories(Corpus(articles=tuple(articles)), BUDGET)
    (rejection,) = stream.corpus.rejections
    assert rejection.item == articles[1].origin
    assert "stage 'quotes'" in rejection.detail
    assert len(stream.digests) == 3


def test_run_each_delivers_what_render_made_in_the_story_workers_as_here() -> None:
    """``run_each`` renders each story where it is digested (a story worker, with
    workers on): the same texts as rendering each digest made here, each story once."""
    articles = _stream()
    stories = {
        "bridge": tuple(a for a in articles if a.id.startswith("bridge")),
        "fire": tuple(a for a in articles if a.id.startswith("fire")),
        "schools": tuple(a for a in articles if a.id.startswith("schools")),
    }
    render = functools.partial(delivered_texts, form="json", timings=False)
    made: dict[str, dict[str, tuple[str, str]]] = {"pooled": {}, "here": {}}
    for name, workers in (("pooled", True), ("here", False)):
        _pipeline(workers=workers).run_each(
            list(stories),
            lambda story_id: Corpus(articles=stories[story_id]),
            BUDGET,
            render,
            made[name].__setitem__,
        )
    assert made["pooled"] == made["here"]
    assert set(made["here"]) == set(stories)
    report, document = made["here"]["bridge"]
    assert json.loads(report) == json.loads(document)
    assert document == json.dumps(json.loads(report))  # as the store keeps it
    assert report == to_json(
        _pipeline().run(Corpus(articles=stories["bridge"]), BUDGET, story_id="bridge"),
        timings=False,
    )
