"""Report: a digest -> Markdown for people, JSON for programs.

The JSON document is versioned (``"schema": "storyline.digest"``, ``"version"``);
its layout is documented in the README and produced only by :func:`to_json`,
so the schema has one owner. Markdown numbers the sources in reading order
(publication date, then the pipeline's canonical order) and cites them as ``[n]``;
every article-derived string in it is escaped (:mod:`storyline.report.escaping`). The
HTML report (:func:`to_html`, built by :mod:`storyline.report.html`) numbers them the same
way and is one self-contained page that requests nothing. Given the same articles,
each output is the same bytes, except for the stage times, which only ``timings=True``
adds (the JSON ``run`` section, the HTML footer; Markdown never shows them).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from storyline.errors import ReportError
from storyline.model import (
    Article,
    Citation,
    Digest,
    Disagreement,
    Entity,
    FactCoverage,
    Quote,
    Rejection,
    StoryOverview,
    StreamDigest,
    Summary,
    SummarySentence,
    TimeExpression,
    Timeline,
    TimeRef,
)
from storyline.report.escaping import markdown_code, markdown_text, neutral
from storyline.report.html import counted, render_html
from storyline.stories.clusters import describe
from storyline.stories.copies import reading_order

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "SECTIONS",
    "PreparedJson",
    "delivered_texts",
    "digest_to_dict",
    "document_json",
    "stories_to_dict",
    "stories_to_json",
    "to_html",
    "to_json",
    "to_markdown",
]

SCHEMA = "storyline.digest"
SCHEMA_VERSION = 3
# An http(s) URL that CommonMark reads as one autolink to itself (no space, control
# or angle bracket); any other URL is shown as a code span.
_AUTOLINKABLE = re.compile(r"https?://[^\x00-\x20<>\x7f-\x9f]+", re.IGNORECASE)
SECTIONS = ("summary", "timeline", "quotes", "entities", "agreement", "disagreements")
"""The optional parts of a report, in page order."""


def digest_to_dict(
    digest: Digest | StreamDigest,
    *,
    sections: Collection[str] = SECTIONS,
    timings: bool = True,
) -> dict[str, Any]:
    """The JSON-ready form of a digest (see the README for the schema).

    A :class:`Digest` (one story) is written as a stream of that one story, so that
    every document has the same layout. ``sections`` picks the optional parts of each
    story; articles, rejections and the story index are always there. ``timings`` adds
    the ``run`` section (seconds per stage), the only part of the document that differs
    between two runs on the same input.
    """
    return _document(digest, sections, timings, coverage=_coverage_items)


def _coverage_items(digest: Digest) -> object:
    return [_coverage(item) for item in digest.coverage]


def _none(items: tuple[object, ...]) -> None:
    return None


def _document(
    digest: Digest | StreamDigest,
    sections: Collection[str],
    timings: bool,
    *,
    coverage: Callable[[Digest], object],
    ready: Callable[[tuple[object, ...]], _Block | None] = _none,
) -> dict[str, Any]:
    """:func:`digest_to_dict`, with each digested story's ``coverage`` made by ``coverage``,
    and its quotes, entities and coverage written already when ``ready`` has their lines."""
    _check_sections(sections)
    stream = as_stream(digest)
    story_of = {
        article_id: story.id for story in stream.stories for article_id in story.article_ids
    }
    copy_of = {
        article_id: original
        for story_digest in stream.digests
        for article_id, original in _copy_of(story_digest).items()
    }
    digested = {story_digest.stories[0].id: story_digest for story_digest in stream.digests}
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "articles": [
            _article(a, copy_of.get(a.id), story_of.get(a.id)) for a in stream.corpus.articles
        ],
        "rejected": [_rejection(rejection) for rejection in stream.corpus.rejections],
        "stories": [
            _story(overview, digested.get(overview.id), sections, coverage, ready)
            for overview in stream.stories
        ],
    }
    if timings:
        data["run"] = {
            "timings": {stage: round(seconds, 6) for stage, seconds in stream.timings.items()}
        }
    return data


def as_stream(digest: Digest | StreamDigest) -> StreamDigest:
    """``digest`` as a stream: a one-story :class:`Digest` becomes a stream of that story."""
    if isinstance(digest, StreamDigest):
        return digest
    by_id = {article.id: article for article in digest.corpus.articles}
    stories = tuple(
        describe(story.id, [by_id[i] for i in story.article_ids if i in by_id])
        for story in digest.stories
    )
    return StreamDigest(
        corpus=digest.corpus, stories=stories, digests=(digest,), timings=digest.timings
    )


def to_json(
    digest: Digest | StreamDigest,
    *,
    sections: Collection[str] = SECTIONS,
    timings: bool = True,
    fork: bool = False,
    prepared: PreparedJson | None = None,
) -> str:
    """The digest as one JSON document, written one item per line (see :func:`_item_lines`).

    ``fork``: a large digest's fact coverage may be written by a forked process while
    this one writes the rest (see :func:`_forked_json`); ``prepared``: lists whose lines
    were written ahead (see :class:`PreparedJson`). The same text in every way.
    """
    ready = prepared.ready if prepared is not None else _none
    if fork and not all(
        ready(d.coverage) is not None for d in as_stream(digest).digests if d.coverage
    ):
        text = _forked_json(digest, sections, timings, ready)
        if text is not None:
            return text
    return _item_lines(_document(digest, sections, timings, coverage=_coverage_items, ready=ready))


class PreparedJson:
    """The item lines of a digest's long lists (its fact coverage, quotes and entities),
    written before :func:`to_json` is called and used by it for the same lists.

    The CLI hands :meth:`add` to the pipeline as its ``while_waiting`` (see
    :data:`storyline.pipeline.WhileWaiting`), which calls it while the main process
    would wait for its workers; a list is known by identity (the final digest holds the
    same tuples), and kept referenced so that no other list takes its id. Measured on
    all 4,624 Timeline17 articles as one story: writing the 205,000 facts, 60,000 quotes
    and 50,000 entities took 4.4 CPU s of to_json, 2.9-3.8 s of wall time with the
    coverage in a forked process, on the run's last stretch.
    """

    def __init__(self) -> None:
        self._lines: dict[int, tuple[tuple[object, ...], str]] = {}

    def add(self, digest: Digest) -> None:
        """Write the lines of each of ``digest``'s long lists not written yet."""
        lists: tuple[tuple[tuple[Any, ...], Callable[[Any], dict[str, Any]]], ...] = (
            (digest.coverage, _coverage),
            (digest.quotes, _quote),
            (digest.entities, _entity),
        )
        for items, convert in lists:
            if items and id(items) not in self._lines:
                values = [convert(item) for item in items]
                if not _one_line_items(values, ("stories", 0, "list")):
                    continue
                self._lines[id(items)] = (items, _block_text(values))

    def ready(self, items: tuple[object, ...]) -> _Block | None:
        """A placeholder holding the lines of ``items``, if written; else None."""
        found = self._lines.get(id(items))
        return _Block(text=found[1]) if found is not None and found[0] is items else None


class _Block:
    """A story's long list whose item lines are written apart from the document: ahead
    (``text``, see :class:`PreparedJson`) or by the forked process (the ``index``-th
    block it sends, put in ``line`` once the document is laid out)."""

    __slots__ = ("index", "line", "text")

    def __init__(self, *, text: str = "", index: int = -1) -> None:
        self.text = text
        self.index = index
        self.line = -1  # the line that holds the item lines, once laid out


def _block_text(values: list[dict[str, Any]]) -> str:
    """The item lines of a story's long list (``values``, one-line items), as
    :func:`_emit` lays them out at that depth."""
    lines: list[str] = []
    _emit_items(values, "  " * (_LIST_DEPTH + 1), lines, None)
    return "\n".join(lines)


# the fact coverage of a digest worth a forked process (a fork of a large heap takes
# tens of milliseconds; 205,000 facts take about 1.7 s to write)
_FORK_FROM = 20_000
_LIST_DEPTH = len(("stories", 0, "coverage"))  # where a story's long lists sit


def _forked_json(
    digest: Digest | StreamDigest,
    sections: Collection[str],
    timings: bool,
    ready: Callable[[tuple[object, ...]], _Block | None] = _none,
) -> str | None:
    """:func:`to_json`'s text, the story's fact coverage (the largest part: 205,000 of the
    316,000 listed items of the digest of all Timeline17 articles, 1.7 of 4.4 CPU s)
    written by a forked process while this one writes the rest; None when it is small,
    the platform has no ``fork``, or this process runs threads (a fork copies only the
    calling thread, and a lock another thread holds would never be released in the
    copy). The forked process writes its lines to a pipe and leaves with ``os._exit``;
    if it fails, None, and the caller writes the whole text itself."""
    stream = as_stream(digest)
    lists = [d.coverage for d in stream.digests if d.coverage]
    if (
        "agreement" not in sections
        or sum(map(len, lists)) < _FORK_FROM
        or not hasattr(os, "fork")
        or threading.active_count() > 1
    ):
        return None
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the forked process; its text is checked by the parent)
        _write_coverage(lists, reading, writing)
    os.close(writing)
    try:
        placed: list[_Block] = []  # the n-th coverage list met is the n-th block sent

        def forked(story_digest: Digest) -> object:
            if not story_digest.coverage:
                return []
            placed.append(_Block(index=len(placed)))
            return placed[-1]

        lines: list[str] = []
        document = _document(digest, sections, timings, coverage=forked, ready=ready)
        _emit(document, (), "", "", lines, parts=None)
        with open(reading, "rb", closefd=False) as pipe:
            sent = pipe.read().decode("utf-8", "surrogatepass").split("\0")
    finally:
        os.close(reading)
        _, status = os.waitpid(pid, 0)
    if status != 0 or len(sent) != len(placed):
        return None
    for item in placed:
        lines[item.line] = sent[item.index]
    return _joined(lines)


def _write_coverage(lists: list[tuple[FactCoverage, ...]], reading: int, writing: int) -> None:
    """In the forked process: the item lines of each coverage list, as :func:`_emit`
    lays them out, to ``writing``, the lists parted by NUL (JSON text has none); then
    leave at once (no clean-up of the parent's state; exit status 1 on any error)."""
    status = 1
    try:
        gc.disable()  # a collection would touch, hence copy, every object of the parent
        os.close(reading)
        blocks = [_block_text([_coverage(item) for item in coverage]) for coverage in lists]
        with open(writing, "wb") as pipe:
            pipe.write("\0".join(blocks).encode("utf-8", "surrogatepass"))
        status = 0
    finally:
        os._exit(status)


def document_json(data: Mapping[str, Any]) -> str:
    """A document made from :func:`digest_to_dict` (with keys added, say) as JSON, laid out
    as :func:`to_json` lays out a digest."""
    return _item_lines(data)


def delivered_texts(
    digest: Digest | StreamDigest, *, form: str = "json", timings: bool = False
) -> tuple[str, str]:
    """A story's digest as ``storyline digest`` delivers it: its report in ``form``
    (``json``, ``markdown`` or ``html``; ``timings`` as :func:`to_json` and :func:`to_html`
    take it), and its JSON document without the timings as :func:`json.dumps` writes it
    (one line, ASCII: the text the store records).

    The document is built once for both when the report is that document (``json``
    without timings). A story worker calls this (see :meth:`Pipeline.run_each`), so that
    only the two texts travel back to the main process."""
    document = digest_to_dict(digest, timings=False)
    if form == "json" and not timings:
        return _item_lines_and_json(document)
    if form == "json":
        text = to_json(digest, timings=True)
    else:
        text = to_html(digest, timings=timings) if form == "html" else to_markdown(digest)
    return text, json.dumps(document)


def _item_lines(data: Mapping[str, Any]) -> str:
    """``data`` as JSON with each top-level key on its own line, each item of a top-level
    list or mapping on a line of its own, written compactly, and likewise inside each
    story: a key a line, and an item a line of its lists (quotes, entities, summary
    sentences, timeline entries).

    Indenting every level (``indent=2``) sends :mod:`json` through its pure-Python
    encoder: 8.0 s for the 146 MB digest of all Timeline17 articles, against 1.8 s
    through the C encoder that writes each item here. The lines still diff and grep
    one article, quote or entity at a time.
    """
    lines: list[str] = []
    _emit(data, (), "", "", lines, parts=None)
    return _joined(lines)


def _item_lines_and_json(data: Mapping[str, Any]) -> tuple[str, str]:
    """``data`` as :func:`_item_lines` writes it, and as ``json.dumps(data)`` writes it.

    The second text is joined from the items the first one encoded: ``json.dumps`` with
    its default separators writes each item as the lines do, and only an item with a
    character from U+007F up (escaped by ``ensure_ascii``) is encoded again. Encoding the
    whole document a second time was a third of rendering a digest in ``digest --all``
    (the 804 stories of the 10,000-article stream: 132 MB of JSON, and as much again for
    the store).
    """
    lines: list[str] = []
    parts: list[str] = []
    _emit(data, (), "", "", lines, parts=parts)
    return _joined(lines), parts[0]


def _emit(
    value: object,
    path: tuple[object, ...],
    head: str,
    comma: str,
    lines: list[str],
    *,
    parts: list[str] | None,
) -> None:
    """Append ``value`` (reached by ``path``) to ``lines``, opened out when
    :func:`_opened_out` says so, else on one line; and to ``parts``, when given,
    ``value`` as ``json.dumps`` writes it."""
    pad = "  " * len(path)
    if isinstance(value, _Block):  # its item lines are written apart (ahead, or forked)
        if len(path) != _LIST_DEPTH or parts is not None:
            raise ReportError(f"A list written apart cannot be placed at {path!r}.")
        lines.append(f"{pad}{head}[")
        value.line = len(lines)
        lines.append(value.text)
        lines.append(f"{pad}]{comma}")
        return
    if not (isinstance(value, list | dict) and value and _opened_out(value, path)):
        text = _compact(value)
        lines.append(f"{pad}{head}{text}{comma}")
        if parts is not None:
            parts.append(_as_ascii(text, value))
        return
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    lines.append(f"{pad}{head}{opening}")
    inner: list[str] | None = None if parts is None else []
    if isinstance(value, list) and _one_line_items(value, path):
        _emit_items(value, f"{pad}  ", lines, inner)
    else:
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        last = len(items) - 1
        for number, (key, item) in enumerate(items):
            separator = "," if number < last else ""
            if isinstance(value, dict):
                name = _compact(key)
                if inner is not None:
                    mark = len(inner)
                    _emit(item, (*path, key), f"{name}: ", separator, lines, parts=inner)
                    inner[mark] = f"{_as_ascii(name, key)}: {inner[mark]}"
                else:
                    _emit(item, (*path, key), f"{name}: ", separator, lines, parts=None)
            else:
                _emit(item, (*path, key), "", separator, lines, parts=inner)
    lines.append(f"{pad}{closing}{comma}")
    if parts is not None and inner is not None:
        parts.append(opening + ", ".join(inner) + closing)


def _joined(lines: list[str]) -> str:
    """``lines`` as one text, each ended by a newline. Joined with an empty last line
    rather than a newline added after: a text of 148 MB is then made once, not copied."""
    lines.append("")
    return "\n".join(lines)


def _one_line_items(value: list[Any], path: tuple[object, ...]) -> bool:
    """Whether no item of the list ``value`` (reached by ``path``) is opened out.
    :func:`_opened_out` reads only an item's path and whether it is a list, so one item
    of each type is asked."""
    child = (*path, 0)
    kinds = {type(item): item for item in value if isinstance(item, list | dict) and item}
    return not any(_opened_out(item, child) for item in kinds.values())


def _emit_items(items: list[Any], pad: str, lines: list[str], parts: list[str] | None) -> None:
    """Each of ``items`` on a line of its own, compactly, as :func:`_emit` writes a value
    it does not open out, in one loop (a story's coverage, entities and quotes are
    hundreds of thousands of items: 1.7 -> 1.0 s for the 205,000 facts of all
    Timeline17 articles)."""
    encode = _COMPACT.encode
    texts = [encode(item) for item in items]
    last = texts.pop()
    lines.extend([f"{pad}{text}," for text in texts])
    texts.append(last)
    lines.append(f"{pad}{last}")
    if parts is not None:
        parts.extend(map(_as_ascii, texts, items))


def _as_ascii(text: str, value: object) -> str:
    """``value``'s JSON as ``json.dumps(value)`` writes it, given ``text``, as
    :func:`_compact` wrote it: the same unless a character from U+007F up is in it."""
    return text if text.isascii() and "\x7f" not in text else json.dumps(value)


def _opened_out(value: object, path: tuple[object, ...]) -> bool:
    """The document, its top-level values, each story and the values of a story are
    written one part a line; so are the lists inside a story's values."""
    if len(path) <= 1:
        return True
    if path[0] != "stories":
        return False
    return len(path) <= 3 or (len(path) == 4 and isinstance(value, list))


# json.dumps with these options makes an encoder at every call; this one is made once
# (it holds its options only)
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _compact(value: object) -> str:
    return _COMPACT.encode(value)


def _check_sections(sections: Collection[str]) -> None:
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise ReportError(
            f"The 'sections' parameter must hold names among {', '.join(SECTIONS)}. "
            f"Got {', '.join(unknown)} instead."
        )


def to_markdown(digest: Digest | StreamDigest, *, sections: Collection[str] = SECTIONS) -> str:
    """The digest for people; ``sections`` picks the optional parts (sources always).

    A stream of more than one story starts with the story index, each digested story
    linked to its own part (its sections and its own numbered sources); a one-story
    stream reads as that story's digest. Every article-derived string is escaped
    (:func:`~storyline.report.escaping.markdown_text`), so a CommonMark renderer shows it
    as text and makes no element of it. No stage time is shown, so the same articles
    always give the same Markdown.
    """
    _check_sections(sections)
    if isinstance(digest, StreamDigest):
        if len(digest.stories) == 1 and len(digest.digests) == 1:
            digest = digest.digests[0]
        else:
            return _stream_markdown(digest, sections)
    lines = ["# storyline digest", "", *_story_markdown(digest, sections, depth=2)]
    lines += _rejections_markdown(digest.corpus.rejections)
    return "\n".join(lines).rstrip("\n") + "\n"


def _story_markdown(digest: Digest, sections: Collection[str], *, depth: int) -> list[str]:
    """The sections of one story's digest and its numbered sources; headings at ``depth``."""
    articles = digest.corpus.articles
    order = reading_order(articles)
    ranked = sorted(articles, key=lambda article: order[article.id])
    number = {article.id: index for index, article in enumerate(ranked, start=1)}
    copy_of = _copy_of(digest)
    lines: list[str] = []
    if "summary" in sections:
        for summary in digest.summaries:
            lines += _summary_markdown(summary, number, depth)
    if "timeline" in sections:
        for timeline in digest.timelines:
            lines += _timeline_markdown(timeline, number, depth)
    if "quotes" in sections:
        lines += _quotes_markdown(digest, number, depth)
    if "entities" in sections:
        lines += _entities_markdown(digest, number, depth)
    if "agreement" in sections:
        lines += _agreement_markdown(digest, number, depth)
    if "disagreements" in sections:
        lines += _disagreements_markdown(digest, number, depth)
    lines += [f"{_hashes(depth)} Sources", ""]
    for article in ranked:
        note = f" (copy of [{number[copy_of[article.id]]}])" if article.id in copy_of else ""
        lines.append(f"{number[article.id]}. {_label(article)}{note}")
    lines.append("")
    return lines


def _stream_markdown(stream: StreamDigest, sections: Collection[str]) -> str:
    """The story index, then each digested story under its own heading (with an anchor
    named by its id, which the index links to), then the rejected items."""
    digested = {digest.stories[0].id: digest for digest in stream.digests}
    articles = len(stream.corpus.articles)
    lines = [
        "# storyline digest",
        "",
        f"{counted(len(stream.stories), 'story', 'stories')} in "
        f"{counted(articles, 'article', 'articles')}; "
        f"{len(stream.digests)} digested below.",
        "",
        "## Stories",
        "",
        *_index_table(stream.stories, digested),
        "",
    ]
    for overview in stream.stories:
        if overview.id not in digested:
            continue
        span = _span(overview.first, overview.last)
        lines += [
            f'<a id="{overview.id}"></a>',
            "",
            f"## {overview.id}: {markdown_text(overview.headline)}",
            "",
            f"{counted(len(overview.article_ids), 'article', 'articles')}, "
            f"{counted(len(overview.sources), 'outlet', 'outlets')}, {span}.",
            "",
            *_story_markdown(digested[overview.id], sections, depth=3),
        ]
    lines += _rejections_markdown(stream.corpus.rejections)
    return "\n".join(lines).rstrip("\n") + "\n"


def _index_table(
    stories: Sequence[StoryOverview], digested: Collection[str] | None = None
) -> list[str]:
    """The story index as a Markdown table; with ``digested``, each digested story's id
    links to its part of the page."""
    lines = ["| story | headline | dates | articles | outlets |", "|---|---|---|---|---|"]
    for story in stories:
        span = _span(story.first, story.last)
        outlets = ", ".join(story.sources[:4]) + (" …" if len(story.sources) > 4 else "")
        name = story.id
        if digested is not None:
            name = (
                f"[{story.id}](#{story.id})"
                if story.id in digested
                else f"{story.id} (not digested)"
            )
        lines.append(
            f"| {name} | {markdown_text(story.headline, table_cell=True)} | {span} | "
            f"{len(story.article_ids)} | {markdown_text(outlets, table_cell=True)} |"
        )
    return lines


def _hashes(depth: int) -> str:
    return "#" * depth


def _copy_of(digest: Digest) -> dict[str, str]:
    """Each republished copy's canonical article."""
    return {
        copy: group.canonical
        for story in digest.stories
        for group in story.duplicates
        for copy in group.copies
    }


def _summary_markdown(summary: Summary, number: Mapping[str, int], depth: int) -> list[str]:
    unit = summary.budget.unit
    lines = [f"{_hashes(depth)} Summary ({summary.budget.limit} {unit} at most)", ""]
    if not summary.sentences:
        lines += ["_No sentence could be selected._", ""]
    for item in summary.sentences:
        lines.append(_sentence_markdown(item, number))
    lines.append("")
    return lines


def _sentence_markdown(item: SummarySentence, number: Mapping[str, int]) -> str:
    cited = sorted({number[citation.article_id] for citation in item.citations})
    marks = "".join(f"[{n}]" for n in cited)
    return f"- {markdown_text(item.text)} {marks}"


def _timeline_markdown(timeline: Timeline, number: Mapping[str, int], depth: int) -> list[str]:
    """Each date, its cited sentences, and the wording that dated it with its sources."""
    lines = [f"{_hashes(depth)} Timeline ({len(timeline.entries)} dates)", ""]
    if not timeline.entries:
        return [*lines, "_No date could be placed._", ""]
    for entry in timeline.entries:
        lines += [f"{_hashes(depth + 1)} {_ref_label(entry.date)}", ""]
        lines += [_sentence_markdown(item, number) for item in entry.sentences]
        if entry.evidence:
            wordings: dict[str, list[str]] = {}
            for expression in entry.evidence:
                wordings.setdefault(expression.text, []).append(expression.article_id)
            dated = "; ".join(
                f"“{markdown_text(text)}” {_marks(ids, number)}" for text, ids in wordings.items()
            )
            lines.append(f"\nDated from: {dated}")
        else:
            lines.append("\nDated by publication date.")
        lines.append("")
    return lines


def _ref_label(ref: TimeRef) -> str:
    if ref.start == ref.end:
        return ref.start.isoformat()
    return f"{ref.start.isoformat()} to {ref.end.isoformat()} ({ref.granularity})"


def _marks(article_ids: Iterable[str], number: Mapping[str, int]) -> str:
    return "".join(f"[{n}]" for n in sorted({number[a] for a in article_ids if a in number}))


def _quotes_markdown(digest: Digest, number: Mapping[str, int], depth: int) -> list[str]:
    if not digest.quotes:
        return []
    by_speaker: dict[str, list[Quote]] = {}
    for quote in digest.quotes:
        by_speaker.setdefault(quote.speaker or "Unattributed", []).append(quote)
    lines = [f"{_hashes(depth)} Who said what ({len(digest.quotes)} quotes)", ""]
    for speaker, quotes in sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines += [f"{_hashes(depth + 1)} {markdown_text(speaker)}", ""]
        for quote in quotes:
            marks = _marks((span.article_id for span in quote.spans), number)
            said = markdown_text(quote.text)
            # reported speech with the words that report it: a denial reads as one
            reported = f"(reported, {markdown_text(quote.cue)})" if quote.cue else "(reported)"
            text = f"“{said}”" if quote.kind == "direct" else f"{reported} {said}"
            lines.append(f"- {text} {marks}")
        lines.append("")
    return lines


def _entities_markdown(digest: Digest, number: Mapping[str, int], depth: int) -> list[str]:
    if not digest.entities:
        return []
    lines = [
        f"{_hashes(depth)} Who is involved ({len(digest.entities)} entities)",
        "",
        "| name | kind | also called | mentions | sources |",
        "|---|---|---|---|---|",
    ]
    ranked = sorted(digest.entities, key=lambda e: (-len(e.mentions), e.name))
    for entity in ranked:
        aliases = ", ".join(markdown_text(alias, table_cell=True) for alias in entity.aliases)
        name, kind = (markdown_text(text, table_cell=True) for text in (entity.name, entity.kind))
        marks = _marks(entity.article_ids, number)
        lines.append(f"| {name} | {kind} | {aliases or '–'} | {len(entity.mentions)} | {marks} |")
    return [*lines, ""]


def _agreement_markdown(digest: Digest, number: Mapping[str, int], depth: int) -> list[str]:
    if not digest.coverage:
        return []
    shared = [item for item in digest.coverage if len(item.sources) > 1]
    single = len(digest.coverage) - len(shared)
    lines = [
        f"{_hashes(depth)} Agreement",
        "",
        f"{len(shared)} facts are reported by more than one outlet; {single} by one outlet only.",
        "",
    ]
    for item in sorted(shared, key=lambda i: (-len(i.sources), i.fact_id))[:10]:
        marks = _marks(item.article_ids, number)
        lines.append(f"- {len(item.sources)} outlets: {markdown_text(item.text)} {marks}")
    return [*lines, ""]


def _disagreements_markdown(digest: Digest, number: Mapping[str, int], depth: int) -> list[str]:
    if not digest.disagreements:
        return []
    lines = [f"{_hashes(depth)} Disagreements ({len(digest.disagreements)})", ""]
    for item in digest.disagreements:
        lines += [f"{_hashes(depth + 1)} {markdown_text(item.claim)}", ""]
        for side in item.sides:
            stance = markdown_text(side.stance)
            cues = side.cues or tuple("" for _ in side.texts)
            for citation, text, cue in zip(side.citations, side.texts, cues, strict=False):
                marks = _marks([citation.article_id], number)
                said = f" (“{markdown_text(cue)}”)" if cue else ""
                lines.append(f"- **{stance}**{said}: {markdown_text(text)} {marks}")
        lines.append("")
    return lines


def _rejections_markdown(rejections: tuple[Rejection, ...]) -> list[str]:
    lines = [f"## Rejected items ({len(rejections)})", ""]
    if not rejections:
        return [*lines, "None: every input item was used.", ""]
    for rejection in rejections:
        lines.append(
            f"- {markdown_code(rejection.item)}: {markdown_text(rejection.reason.value)}: "
            f"{markdown_text(rejection.detail)}"
        )
    return [*lines, ""]


def _label(article: Article) -> str:
    date = article.published.isoformat() if article.published else "undated"
    title = f" “{markdown_text(article.title)}”" if article.title else ""
    if article.url and _AUTOLINKABLE.fullmatch(article.url) and neutral(article.url) == article.url:
        where = f" <{article.url}>"
    else:
        where = f" {markdown_code(article.url or article.origin)}"
    return f"{markdown_text(article.source)}, {date}{title}{where}"


def _article(article: Article, copy_of: str | None, story_id: str | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "story_id": story_id,
        "source": article.source,
        "origin": article.origin,
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "copy_of": copy_of,
        "characters": len(article.text),
    }


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "article_id": citation.article_id,
        "sentence_id": citation.sentence_id,
        "start": citation.start,
        "end": citation.end,
    }


def _sentence(item: SummarySentence) -> dict[str, Any]:
    return {
        "text": item.text,
        "sentence_id": item.sentence_id,
        "fact_id": item.fact_id,
        "citations": [_citation(citation) for citation in item.citations],
    }


def _expression(expression: TimeExpression) -> dict[str, Any]:
    return {
        "article_id": expression.article_id,
        "start": expression.start,
        "end": expression.end,
        "text": expression.text,
        "kind": expression.kind,
        "note": expression.note,
        "timex_type": expression.timex_type,
        "value": expression.value,
    }


def _timeline(timeline: Timeline) -> dict[str, Any]:
    return {
        "entries": [
            {
                "date": {
                    "start": entry.date.start.isoformat(),
                    "end": entry.date.end.isoformat(),
                    "granularity": entry.date.granularity,
                },
                "sentences": [_sentence(item) for item in entry.sentences],
                "evidence": [_expression(expression) for expression in entry.evidence],
            }
            for entry in timeline.entries
        ],
    }


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "speaker": quote.speaker,
        "text": quote.text,
        "kind": quote.kind,
        "attribution": quote.attribution,
        "cue": quote.cue,
        "article_ids": list(dict.fromkeys(span.article_id for span in quote.spans)),
        "spans": [
            {"article_id": span.article_id, "start": span.start, "end": span.end}
            for span in quote.spans
        ],
    }


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": list(entity.aliases),
        "article_ids": list(entity.article_ids),
        "sources": list(entity.sources),
        "mentions": [
            {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
            for m in entity.mentions
        ],
        "quotes": [quote.text for quote in entity.quotes],
    }


def _coverage(item: FactCoverage) -> dict[str, Any]:
    return {
        "fact_id": item.fact_id,
        "text": item.text,
        "article_ids": list(item.article_ids),
        "sources": list(item.sources),
        "single_source": len(item.sources) == 1,
    }


def _disagreement(item: Disagreement) -> dict[str, Any]:
    return {
        "id": item.id,
        "claim": item.claim,
        "sides": [
            {
                "stance": side.stance,
                "texts": list(side.texts),
                "cues": list(side.cues),
                "citations": [_citation(citation) for citation in side.citations],
            }
            for side in item.sides
        ],
    }


def _rejection(rejection: Rejection) -> dict[str, str]:
    return {"item": rejection.item, "reason": rejection.reason.value, "detail": rejection.detail}


def _overview(story: StoryOverview) -> dict[str, Any]:
    return {
        "id": story.id,
        "headline": story.headline,
        "first": story.first.isoformat() if story.first else None,
        "last": story.last.isoformat() if story.last else None,
        "article_ids": list(story.article_ids),
        "sources": list(story.sources),
    }


def _story(
    overview: StoryOverview,
    digest: Digest | None,
    sections: Collection[str],
    coverage: Callable[[Digest], object],
    ready: Callable[[tuple[object, ...]], _Block | None] = _none,
) -> dict[str, Any]:
    """A story of the index; with its digest's parts when it was digested (a long list
    whose lines ``ready`` has is that placeholder)."""
    data = _overview(overview) | {"digested": digest is not None}
    if digest is None:
        return data
    story = digest.stories[0]
    data["duplicates"] = [
        {"canonical": group.canonical, "copies": list(group.copies)} for group in story.duplicates
    ]
    data["sentence_count"] = len(story.sentences)
    data["fact_count"] = len(story.facts)
    if "summary" in sections:
        summary = digest.summaries[0]
        data["summary"] = {
            "budget": {"unit": summary.budget.unit, "limit": summary.budget.limit},
            "sentences": [_sentence(item) for item in summary.sentences],
        }
    if "timeline" in sections:
        data["timeline"] = _timeline(digest.timelines[0]) if digest.timelines else None
    if "quotes" in sections:
        data["quotes"] = ready(digest.quotes) or [_quote(quote) for quote in digest.quotes]
    if "entities" in sections:
        data["entities"] = ready(digest.entities) or [_entity(e) for e in digest.entities]
    if "agreement" in sections:
        data["coverage"] = ready(digest.coverage) or coverage(digest)
    if "disagreements" in sections:
        data["disagreements"] = [_disagreement(item) for item in digest.disagreements]
    return data


def to_html(digest: Digest | StreamDigest, *, timings: bool = True) -> str:
    """The digest as one self-contained HTML page: inline CSS and SVG, no script, all escaped.

    ``timings`` adds the seconds each stage took to the footer.
    """
    return render_html(digest, timings=timings)


def stories_to_markdown(stories: Sequence[StoryOverview], rejections: Sequence[Rejection]) -> str:
    """The story index of a stream: one row a story, largest and most recent first."""
    lines = ["# storyline stories", "", counted(len(stories), "story", "stories"), ""]
    lines += _index_table(stories)
    if rejections:
        lines += ["", f"## Rejected items ({len(rejections)})", ""]
        lines += [
            f"- {markdown_code(r.item)}: {r.reason.value}, {markdown_text(r.detail)}"
            for r in rejections
        ]
    return _joined(lines)


def stories_to_json(stories: Sequence[StoryOverview], rejections: Sequence[Rejection]) -> str:
    """The story index as JSON (``"schema": "storyline.stories"``), one item a line."""
    return _item_lines(stories_to_dict(stories, rejections))


def stories_to_dict(
    stories: Sequence[StoryOverview], rejections: Sequence[Rejection]
) -> dict[str, Any]:
    """The story index (``"schema": "storyline.stories"``) as :func:`stories_to_json`
    writes it."""
    return {
        "schema": "storyline.stories",
        "version": 1,
        "stories": [_overview(story) for story in stories],
        "rejected": [_rejection(rejection) for rejection in rejections],
    }


def _span(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return "undated"
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
