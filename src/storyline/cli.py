"""Command line: ``storyline digest``, ``eval``, and the store's ``ingest``, ``show``, ``update``
and ``store``.

Exit codes: 0 done, 1 runtime error, 2 usage error. An error is one line on
stderr; ``--debug`` adds the traceback. Progress goes to stderr (``--quiet``
silences it); results go to stdout or ``--output``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import secrets
import stat
import sys
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.config import Config, IngestConfig, load_config
from storyline.digest.entities import RuleEntityRecognizer
from storyline.digest.quotes import RuleQuoteExtractor
from storyline.errors import ConfigError, EvaluationError, ReportError, StorylineError
from storyline.ingest.files import FileIngestor
from storyline.model import Budget, BudgetUnit, Corpus, Digest, StreamDigest
from storyline.pipeline.engines import DaskEngine, engine_from, stored_update
from storyline.pipeline.workers import fewer_collections
from storyline.registry import (
    REGISTRY,
    build_pipeline,
    build_segmenter,
    build_timeline_builder,
    create,
)
from storyline.report.escaping import markdown_text, neutral
from storyline.report.markdown import (
    SECTIONS,
    PreparedJson,
    delivered_texts,
    digest_to_dict,
    document_json,
    stories_to_json,
    stories_to_markdown,
    to_html,
    to_json,
    to_markdown,
)

if TYPE_CHECKING:
    from storyline.digest.updates import Update
    from storyline.evaluate._prf import PRF
    from storyline.evaluate.stance import SystemScores
    from storyline.evaluate.timelines import TimelineEvaluation
    from storyline.evaluate.updates import UpdateEvaluation
    from storyline.store import DeliveredDigest, Store

__all__ = ["main"]

_FIELDS = ("id", "title", "text", "date", "url", "source")
_FORMATS = ("markdown", "json", "html")


class _UsageError(Exception):
    """Raised by the argument parser instead of exiting, so main() owns exit codes."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


def _budget_options(
    parser: argparse.ArgumentParser, *, sentences: bool, default: int | None
) -> None:
    group = parser.add_mutually_exclusive_group(required=default is None)
    group.add_argument("--words", type=_positive, metavar="N", help="at most N words")
    group.add_argument("--bytes", type=_positive, metavar="N", help="at most N UTF-8 bytes")
    if sentences:
        group.add_argument("--sentences", type=_positive, metavar="N", help="at most N sentences")
    parser.set_defaults(default_words=default)


def _field_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=KEY",
        help=f"JSON field holding an article attribute ({', '.join(_FIELDS)}); repeatable",
    )
    parser.add_argument(
        "--format-hint",
        choices=IngestConfig.FORMATS[1:],
        metavar="FORMAT",
        help="read every input as FORMAT (text, json, jsonl, html, feed, crawl) instead of "
        "telling each file's format from its content and name",
    )


def _timings_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-timings",
        dest="timings",
        action="store_false",
        help="leave the stage times out (also: [report] timings = false), so that the same "
        "input gives the same output bytes",
    )


def _story_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--story",
        metavar="ID",
        help="digest only this story of the index of PATH...; for `digest` without PATH, a "
        "story of the store (--store), recorded as delivered",
    )
    parser.add_argument(
        "--min-articles",
        type=_positive,
        metavar="N",
        help="digest only stories of at least N articles; smaller ones stay in the index "
        "(also: [cluster] min_articles)",
    )
    parser.add_argument(
        "--one-story",
        action="store_true",
        help='take the whole input as one story (also: [cluster] method = "none")',
    )


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where reading, sentence splitting and the story digests run: here, or as "
        "Dask distributed tasks (the same stories and digests)",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --engine dask: a running Dask scheduler"
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="with --engine dask: a cluster of N worker processes on this machine (default 2)",
    )


@contextmanager
def _engine(args: argparse.Namespace) -> Iterator[DaskEngine | None]:
    """The engine the options name, for the length of a ``with`` block; what a Dask
    engine sent and received is printed on stderr at its end (unless ``--quiet``)."""
    with engine_from(args.engine, scheduler=args.scheduler, workers=args.workers) as engine:
        yield engine
        if engine is not None and not getattr(args, "quiet", False):
            print(engine.traffic.describe(), file=sys.stderr)


def _read_input(config: Config, paths: Sequence[str], engine: DaskEngine | None) -> Corpus:
    """The articles and rejections of ``paths``, read here or by the engine's workers."""
    ingestor = FileIngestor(config=config.ingest)
    return ingestor.ingest(paths) if engine is None else engine.read(ingestor, paths)


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE", help="TOML configuration file")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here, not stdout")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="storyline",
        description="Turn dated news articles into a cited, non-redundant digest.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    digest = commands.add_parser(
        "digest",
        help="summarise articles into a cited digest",
        description="Summarise the articles in PATH... (files, directories, globs).",
    )
    digest.add_argument("paths", nargs="*", metavar="PATH", help="file, directory or glob")
    _budget_options(digest, sentences=True, default=120)
    digest.add_argument("--format", choices=_FORMATS, default="markdown", help="output format")
    _story_options(digest)
    _store_option(digest)
    _query_option(digest)
    _all_option(digest)
    _field_option(digest)
    _timings_option(digest)
    _engine_options(digest)
    _common_options(digest)

    for name, what in (
        ("quotes", "who said what: quotes by speaker"),
        ("entities", "who is involved"),
    ):
        section = commands.add_parser(
            name,
            help=f"print {what} alone",
            description=f"Print {what} found in the articles in PATH....",
        )
        section.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or glob")
        section.add_argument(
            "--format", choices=("markdown", "json"), default="markdown", help="output format"
        )
        _story_options(section)
        _field_option(section)
        _timings_option(section)
        _engine_options(section)
        _common_options(section)

    stories = commands.add_parser(
        "stories",
        help="list the stories of a mixed stream",
        description="Put the articles in PATH... into stories and list them: id, headline, "
        "date span, articles, outlets (largest and most recent first); without PATH (or with "
        "--store, --since, --search), list the stories of the store.",
    )
    stories.add_argument("paths", nargs="*", metavar="PATH", help="file, directory or glob")
    stories.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )
    _stored_stories_options(stories)
    _field_option(stories)
    _common_options(stories)
    _store_parsers(commands)
    _update_parser(commands)
    _serve_parser(commands)
    _check_parser(commands)

    timeline = commands.add_parser(
        "timeline",
        help="print the dated timeline alone",
        description="Print a dated, cited timeline of the articles in PATH....",
    )
    timeline.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or glob")
    timeline.add_argument("--dates", type=_positive, metavar="N", help="at most N dates")
    timeline.add_argument(
        "--sentences-per-date", type=_positive, metavar="K", help="at most K sentences a date"
    )
    timeline.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )
    _story_options(timeline)
    _field_option(timeline)
    _timings_option(timeline)
    _engine_options(timeline)
    _common_options(timeline)

    evaluate = commands.add_parser("eval", help="score storyline on a benchmark")
    kinds = evaluate.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    summaries = kinds.add_parser(
        "summaries",
        help="ROUGE on a multi-document summarisation JSONL",
        description="Summarise every cluster of an MDS JSONL and print ROUGE (rouge-score).",
    )
    summaries.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    summaries.add_argument("--limit", type=_positive, metavar="N", help="first N clusters only")
    _budget_options(summaries, sentences=False, default=None)
    _common_options(summaries)
    for name, gold in (
        ("quotes", "quotes with speakers (format: tests/data/quotes_labelled.md)"),
        ("entities", "entity mentions or aliases (tests/data/ or bench/data/README.md)"),
    ):
        labelled = kinds.add_parser(
            name,
            help=f"precision and recall against labelled {name}",
            description=f"Score storyline against a JSONL file of labelled {gold}.",
        )
        labelled.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
        _common_options(labelled)
    extraction = kinds.add_parser(
        "extraction",
        help="main text, title, date and authors of web pages against a gold JSONL",
        description=(
            "Read every page of a gold JSONL (format: benchmarks/html/fundus_en) with storyline "
            "and with trafilatura's defaults, and score both (body shingle F1, title, date)."
        ),
    )
    extraction.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    _common_options(extraction)
    timelines = kinds.add_parser(
        "timelines",
        help="date-F1 and alignment ROUGE on a timeline summarisation JSONL",
        description="Build a timeline per reference timeline of a TLS JSONL and score it (tilse).",
    )
    timelines.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    timelines.add_argument(
        "--rouge",
        choices=("python", "perl"),
        default="python",
        help="tilse's pure-Python ROUGE or its ROUGE-1.5.5 perl script",
    )
    builders = sorted(REGISTRY["timeline"])
    timelines.add_argument(
        "--builder",
        action="append",
        choices=builders,
        metavar="NAME",
        help=f"builder to score ({', '.join(builders)}); repeatable; default: all",
    )
    timelines.add_argument("--limit", type=_positive, metavar="N", help="first N topics only")
    _common_options(timelines)
    clustering = kinds.add_parser(
        "clustering",
        help="B-cubed and adjusted Rand index of story clustering on a labelled JSONL",
        description="Put the articles of a story-clustering JSONL (or a Timeline17 topic file, "
        "one story per topic) into stories and score them against the labels.",
    )
    clustering.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    clustering.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write one JSON line per story here"
    )
    clustering.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    clustering.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    _temporal_parser(kinds)
    _eval_updates_parser(kinds)
    _eval_stance_parser(kinds)
    return parser


def _temporal_parser(kinds: argparse._SubParsersAction[_Parser]) -> None:
    temporal = kinds.add_parser(
        "temporal",
        help="TempEval-3 strict, relaxed, value and type F1 of the temporal tagger",
        description="Tag every document of a TIMEX3 JSONL (the format of "
        "benchmarks/temporal/) with its creation time as publication date and print the "
        "TempEval-3 scores, overall and by type.",
    )
    temporal.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    temporal.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write one JSON line per timex pair here"
    )
    temporal.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer. Got {text!r} instead."
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer. Got {text!r} instead.")
    return value


def _budget(args: argparse.Namespace) -> Budget:
    for unit in ("words", "bytes", "sentences"):
        limit = getattr(args, unit, None)
        if limit is not None:
            chosen: BudgetUnit = unit
            return Budget(unit=chosen, limit=limit)
    return Budget(unit="words", limit=args.default_words)


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    overrides = {}
    for item in getattr(args, "field", []):
        name, sep, key = item.partition("=")
        if not sep or name not in _FIELDS or not key:
            raise ConfigError(
                f"--field must be NAME=KEY with NAME one of {', '.join(_FIELDS)}. "
                f"Got {item!r} instead."
            )
        overrides[name] = key
    sizes = {
        name: getattr(args, name)
        for name in ("dates", "sentences_per_date")
        if getattr(args, name, None) is not None
    }
    if sizes:
        config = dataclasses.replace(config, timeline=dataclasses.replace(config.timeline, **sizes))
    if overrides:
        fields = dataclasses.replace(config.ingest.fields, **overrides)
        config = dataclasses.replace(
            config, ingest=dataclasses.replace(config.ingest, fields=fields)
        )
    if getattr(args, "one_story", False):
        config = dataclasses.replace(
            config, cluster=dataclasses.replace(config.cluster, method="none")
        )
    if getattr(args, "min_articles", None) is not None:
        config = dataclasses.replace(
            config, cluster=dataclasses.replace(config.cluster, min_articles=args.min_articles)
        )
    if getattr(args, "format_hint", None):
        config = dataclasses.replace(
            config, ingest=dataclasses.replace(config.ingest, format=args.format_hint)
        )
    return config


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )
    with progress:
        yield progress


def _write(text: str, output: Path | None) -> None:
    """Write ``text`` to stdout or to ``output``, atomically: all of it or nothing.

    A regular file (new or existing) is replaced only once a temporary file beside it
    holds the whole text, so that a failed write never truncates it; a FIFO, device
    or other special file (``-o /dev/stdout``) is written directly.
    """
    if output is None:
        sys.stdout.write(text)
        return
    target = Path(os.path.realpath(output))
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding="utf-8") as handle:
                handle.write(text)
            return
        _replace_atomically(target, text.encode("utf-8"))
    except (OSError, UnicodeEncodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise ReportError(f"cannot write {output}: {reason}") from error


def _replace_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a new file in ``target``'s directory, then rename it over ``target``."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # 0o666 less the umask, as for a file opened for writing; an existing file keeps its mode.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _run_digest(
    args: argparse.Namespace,
    stored: Corpus | None = None,
    story_id: str = "",
    *,
    prepared: PreparedJson | None = None,
) -> tuple[Digest | StreamDigest, bool]:
    """Ingest ``args.paths``, put them into stories and digest each with the configured
    pipeline, with a progress display; or digest the ``stored`` corpus, the articles of the
    store's story ``story_id``, as that one story. ``prepared``: the JSON report's long
    lists, written while the pipeline waits for its workers (see :class:`PreparedJson`).

    Returns the digests and whether the report shows the stage times.
    """
    waiting = prepared.add if prepared is not None else None
    config = _config(args)
    pipeline = build_pipeline(config)
    stages = ("ingest", *pipeline.stream_stage_names)
    with _progress(args.quiet) as progress:
        task = progress.add_task("ingest", total=len(stages))

        def advance(stage: str) -> None:
            progress.update(task, description=stage, completed=stages.index(stage))

        timings = args.timings and config.report.timings
        if stored is not None:
            digest = pipeline.run(
                stored, _budget(args), story_id=story_id, on_stage=advance, while_waiting=waiting
            )
            return digest, timings
        with _engine(args) as engine:
            corpus = _read_input(config, args.paths, engine)
            stream = pipeline.run_stories(
                corpus,
                _budget(args),
                story=args.story,
                min_articles=config.cluster.min_articles,
                on_stage=advance,
                engine=engine,
                while_waiting=waiting,
            )
    return stream, timings


def _render(
    form: str,
    digest: Digest | StreamDigest,
    *,
    timings: bool,
    sections: Sequence[str] = SECTIONS,
    prepared: PreparedJson | None = None,
) -> str:
    """The report in ``form``; ``timings`` adds the stage times (Markdown never shows them);
    ``prepared``: JSON lines written while the digest was made."""
    with fewer_collections():
        if form == "json":
            return to_json(digest, sections=sections, timings=timings, fork=True, prepared=prepared)
        if form == "html":
            return to_html(digest, timings=timings)
        return to_markdown(digest, sections=sections)


def _deliver(
    store: Store,
    story_id: str,
    budget: Budget,
    texts: tuple[str, str],
    *,
    output: Path | None,
) -> DeliveredDigest:
    """Write a story's report to ``output`` (stdout when None), then record its JSON in the
    store as delivered; ``texts`` are both, as :func:`delivered_texts` made them."""
    report, document = texts
    _write(report, output)
    return store.record_digest(story_id, budget, document)


# What a command made, left for the operating system to take back. Set only by run() (the
# console script), which ends the process with os._exit once the command has returned and
# its output is flushed: freeing the objects of a large digest one by one takes longer than
# the report (the 1.8 GB of all 4,624 Timeline17 articles as one story: 0.8-1.6 s of the
# run's end, measured in turn with and without). In-process callers of main() (tests, other
# programs) leave it None: nothing is kept and nothing exits.
_left_to_exit: list[object] | None = None


def _leave(value: object) -> None:
    """Keep ``value`` alive until :func:`run` ends the process (a no-op outside run)."""
    if _left_to_exit is not None:
        _left_to_exit.append(value)


def _done(corpus: Corpus) -> int:
    """Exit code 0, or an error when no input item was usable (after the output is written)."""
    if not corpus.articles:
        rejected = len(corpus.rejections)
        raise StorylineError(f"no usable article among the inputs ({rejected} rejected, listed)")
    return 0


def _digest(args: argparse.Namespace) -> int:
    if args.all:
        return _digest_all(args)
    if args.query is not None:
        return _digest_query(args)
    if args.story is not None and not args.paths:
        return _digest_story(args)
    if not args.paths or args.store is not None:
        raise _UsageError(
            "storyline digest: give PATH... [--story ID] or --story ID [--store PATH|URL]"
        )
    prepared = PreparedJson() if args.format == "json" else None
    digest, timings = _run_digest(args, prepared=prepared)
    _leave(digest)
    _write(_render(args.format, digest, timings=timings, prepared=prepared), args.output)
    return _done(digest.corpus)


def _stories(args: argparse.Namespace) -> int:
    """``storyline stories``: the story index of the articles (the stories ``digest`` finds),
    or of the store."""
    if _stored_stories_wanted(args):
        return _stored_stories(args)
    config = _config(args)
    pipeline = build_pipeline(config, analyses=False)
    stages = ("ingest", *pipeline.stream_stage_names[:3])
    with _progress(args.quiet) as progress:
        task = progress.add_task("ingest", total=len(stages))

        def advance(stage: str) -> None:
            progress.update(task, description=stage, completed=stages.index(stage))

        corpus = FileIngestor(config=config.ingest).ingest(args.paths)
        stream = pipeline.run_stories(
            corpus, Budget(unit="words", limit=1), digests=False, on_stage=advance
        )
    render = stories_to_json if args.format == "json" else stories_to_markdown
    _write(render(stream.stories, stream.corpus.rejections), args.output)
    return _done(stream.corpus)


def _section(args: argparse.Namespace) -> int:
    """``storyline quotes``, ``entities`` and ``timeline``: one section of the digest."""
    args.default_words = 120
    digest, timings = _run_digest(args)
    _leave(digest)
    sections = (args.command,)
    _write(_render(args.format, digest, timings=timings, sections=sections), args.output)
    return _done(digest.corpus)


# -- the store: ingest, stories --store, show, digest --story, store upgrade ---------------


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        nargs="?",
        const="",
        metavar="PATH|URL",
        help="the store: an SQLite file or a postgresql:// URL (default: $STORYLINE_STORE, "
        "else ./storyline.db)",
    )


def _stored_stories_options(parser: argparse.ArgumentParser) -> None:
    _store_option(parser)
    parser.add_argument(
        "--since", type=_day, metavar="DATE", help="stories with an article of DATE or later"
    )
    parser.add_argument(
        "--search", metavar="TEXT", help="stories with an article holding every word of TEXT"
    )


def _store_parsers(commands: argparse._SubParsersAction[_Parser]) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="store new articles in the store, each in its story",
        description="Read the articles in PATH... and store those the store does not hold "
        "yet (same id, URL or normalised text), each in a story that stays the same across "
        "runs; print how many were new, already stored and rejected.",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or glob")
    _store_option(ingest)
    ingest.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    ingest.add_argument(
        "--batch",
        type=_positive,
        default=1000,
        metavar="N",
        help="store the articles N at a time, a transaction each (default 1000)",
    )
    _field_option(ingest)
    _engine_options(ingest)
    _common_options(ingest)

    show = commands.add_parser(
        "show",
        help="print one stored article",
        description="Print the stored article ARTICLE-ID: its fields, its story and its text.",
    )
    show.add_argument("article", metavar="ARTICLE-ID", help="the article's id")
    _store_option(show)
    show.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )
    _common_options(show)

    store = commands.add_parser("store", help="look after the store")
    actions = store.add_subparsers(dest="action", required=True, parser_class=_Parser)
    upgrade = actions.add_parser(
        "upgrade",
        help="bring the store to this storyline's schema version",
        description="Run the schema migrations from the store's version to this storyline's.",
    )
    _store_option(upgrade)
    _common_options(upgrade)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date YYYY-MM-DD. Got {text!r} instead."
        ) from None


def _store_command(args: argparse.Namespace) -> int:
    """``storyline ingest``, ``show`` and ``store upgrade``."""
    from storyline.report.store import (  # noqa: PLC0415
        article_json,
        article_markdown,
        ingest_json,
        ingest_text,
    )
    from storyline.store import Store, upgrade_store  # noqa: PLC0415
    from storyline.store.batches import ingest_in_batches  # noqa: PLC0415

    if args.command == "store":
        status, version = upgrade_store(args.store)
        if status.version == version:
            _write(f"the store is at schema version {version} already\n", args.output)
        else:
            before = status.version or "none"
            _write(
                f"the store was upgraded from schema version {before} to {version}\n", args.output
            )
        return 0
    if args.command == "show":
        with Store.open(args.store, create=False) as store:
            stored = store.article(args.article)
        show = article_json if args.format == "json" else article_markdown
        _write(show(stored), args.output)
        return 0
    config = _config(args)
    with Store.open(args.store) as store, _engine(args) as engine:
        corpus = _read_input(config, args.paths, engine)
        report = ingest_in_batches(store, corpus, args.batch)  # a worker reads the next batch
        shown = store.location.shown
    render = ingest_json if args.format == "json" else ingest_text
    _write(render(report, shown), args.output)
    return _done(corpus)


def _stored_stories_wanted(args: argparse.Namespace) -> bool:
    """Whether ``storyline stories`` lists the store's stories rather than those of files."""
    store_mode = args.store is not None or args.since is not None or args.search is not None
    if store_mode and args.paths:
        raise _UsageError("storyline stories: give PATH... or --store [--since] [--search]")
    return store_mode or not args.paths


def _stored_stories(args: argparse.Namespace) -> int:
    from storyline.store import Store  # noqa: PLC0415

    with Store.open(args.store, create=False) as store:
        listed = store.stories(since=args.since, search=args.search)
    render = stories_to_json if args.format == "json" else stories_to_markdown
    _write(render(listed, ()), args.output)
    return 0


def _digest_story(args: argparse.Namespace) -> int:
    """``storyline digest --story ID``: the story's articles from the store, through the
    pipeline; the digest is recorded as delivered once it is written."""
    from storyline.store import Store  # noqa: PLC0415

    with Store.open(args.store, create=False) as store:
        story = store.story(args.story)
        corpus = Corpus(articles=store.articles(story.id))
        digest, timings = _run_digest(args, corpus, story.id)
        with fewer_collections():
            texts = delivered_texts(digest, form=args.format, timings=timings)
        delivered = _deliver(store, story.id, _budget(args), texts, output=args.output)
        shown = store.location.shown
    if not args.quiet:
        merged = f" (into which {args.story} was merged)" if story.id != args.story else ""
        print(
            f"storyline: digest {delivered.id} of story {story.id}{merged} recorded as "
            f"delivered in {shown}",
            file=sys.stderr,
        )
    return _done(digest.corpus)


# -- every story: digest --all [--min-articles N] -o DIR -------------------------------------

_EXTENSIONS = {"markdown": ".md", "json": ".json", "html": ".html"}


def _all_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all",
        action="store_true",
        help="digest every story of the store of at least --min-articles articles, one file "
        "per story (STORY-ID.md, .json or .html) in the directory --output, each recorded as "
        "delivered; two worker processes share the stories",
    )


def _directory(directory: Path) -> Path:
    """``directory``, made when missing (a one-line error when it cannot be)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"cannot write {directory}: {error.strerror}") from error
    return directory


def _stories_of(store: Store, min_articles: int) -> list[str]:
    """The ids of the store's stories of at least ``min_articles`` articles, largest first."""
    return [story.id for story in store.stories() if len(story.article_ids) >= min_articles]


def _digest_all(args: argparse.Namespace) -> int:
    """``storyline digest --all -o DIR``: every story of the store (largest first) through
    the pipeline's story workers, each digest rendered there (its file's text and the
    store's JSON), written to its file here, then recorded."""
    from storyline.store import Store  # noqa: PLC0415

    if args.paths or args.story is not None or args.query is not None or args.output is None:
        raise _UsageError(
            "storyline digest --all: give -o DIR [--store PATH|URL], no PATH, --story or --query"
        )
    config = _config(args)
    pipeline, budget = build_pipeline(config), _budget(args)
    timings = args.timings and config.report.timings
    directory = _directory(Path(args.output))
    with Store.open(args.store, create=False) as store, _progress(args.quiet) as progress:
        chosen = _stories_of(store, config.cluster.min_articles)
        task = progress.add_task("digest", total=len(chosen))

        # made where each digest is made (a story worker): only the texts come back
        render = functools.partial(delivered_texts, form=args.format, timings=timings)

        def deliver(story_id: str, texts: tuple[str, str]) -> None:
            target = directory / f"{story_id}{_EXTENSIONS[args.format]}"
            _deliver(store, story_id, budget, texts, output=target)
            progress.advance(task)

        with _engine(args) as engine, fewer_collections():
            if engine is None:
                pipeline.run_each(
                    chosen,
                    lambda story_id: Corpus(articles=store.articles(story_id)),
                    budget,
                    render,
                    deliver,
                )
            else:
                engine.digest_stored(
                    dataclasses.replace(pipeline, workers=False),
                    budget,
                    store.location.reachable,
                    chosen,
                    lambda story_id, digest: deliver(story_id, render(digest)),
                )
        shown = store.location.shown
    if not args.quiet:
        print(
            f"storyline: {len(chosen)} stories digested into {directory}, recorded as delivered "
            f"in {shown}",
            file=sys.stderr,
        )
    return 0


# -- questions: digest --query TEXT [--story ID] ----------------------------------------------

_QUERY_ARTICLES = 200  # across the store, the articles that match a question best


def _query_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--query",
        metavar="TEXT",
        help="a summary of the store's articles (or of --story ID's) focused on TEXT: its "
        "most relevant facts, and the quotes and timeline that bear on it",
    )


def _digest_query(args: argparse.Namespace) -> int:
    """``storyline digest --query TEXT [--story ID]``: the story's articles, or the store's
    that match TEXT best, digested with the facts ranked by their relevance to it
    (not recorded as delivered: it is no story's digest)."""
    from storyline.digest.query import focus, steering  # noqa: PLC0415
    from storyline.report.notes import noted_html, noted_markdown  # noqa: PLC0415
    from storyline.store import Store  # noqa: PLC0415

    if args.paths:
        raise _UsageError("storyline digest: --query reads the store: give no PATH")
    config = _config(args)
    with Store.open(args.store, create=False) as store:
        if args.story is not None:
            story_id = store.story(args.story).id
            articles = store.articles(story_id)
            where = f"the {len(articles)} articles of story {story_id}"
        else:
            story_id = "query"
            articles = store.search_articles(args.query, limit=_QUERY_ARTICLES)
            where = f"the {len(articles)} stored articles that match it best"
    if not articles:
        raise StorylineError(f"no stored article holds a word of {args.query!r}")
    digest = build_pipeline(config).run(
        Corpus(articles=articles), _budget(args), story_id=story_id, steer=steering(args.query)
    )
    digest = focus(digest, args.query)
    timings = args.timings and config.report.timings
    note = f"Focused on the question “{args.query}”, over {where}."
    if args.format == "json":
        data = digest_to_dict(digest, timings=timings)
        data["query"] = {
            "text": args.query,
            "story_id": story_id if args.story is not None else None,
        }
        text = document_json(data)
    elif args.format == "html":
        text = noted_html(digest, label="storyline digest", note=neutral(note), timings=timings)
    else:
        text = noted_markdown(digest, label="storyline digest", note=markdown_text(note))
    _write(text, args.output)
    return 0


# -- what's new: update --story ID [--since DIGEST-ID|DATE] ----------------------------------


def _update_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    update = commands.add_parser(
        "update",
        help="what is new in a stored story since its last digest",
        description="Digest only what is new in the stored story ID since the last digest "
        "delivered of it (or since --since): new facts, each cited, never one stated before; "
        "new quotes, timeline dates and disagreements; or that there is nothing new. The "
        "update is recorded as delivered, so the next one starts from it.",
    )
    update.add_argument("--story", metavar="ID", help="the store's story")
    update.add_argument(
        "--all",
        action="store_true",
        help="what is new in every story of the store of at least --min-articles articles "
        "that was digested before (or, with --since DATE, every such story): one file per "
        "story with new articles in the directory --output, each recorded as delivered",
    )
    update.add_argument(
        "--min-articles",
        type=_positive,
        metavar="N",
        help="with --all: only stories of at least N articles (also: [cluster] min_articles)",
    )
    update.add_argument(
        "--since",
        type=_since,
        metavar="DIGEST-ID|DATE",
        help="new since that delivered digest (and those before it), or since the last "
        "digest delivered before DATE (without one: the articles published from DATE on)",
    )
    _store_option(update)
    _budget_options(update, sentences=True, default=120)
    update.add_argument("--format", choices=_FORMATS, default="markdown", help="output format")
    _timings_option(update)
    _engine_options(update)
    _common_options(update)


def _since(text: str) -> int | dt.date:
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a digest id or a date YYYY-MM-DD. Got {text!r} instead."
        ) from None


def _update(args: argparse.Namespace) -> int:
    """``storyline update --story ID``: what is new since the digests delivered of the story;
    the update is recorded as delivered once it is written."""
    from storyline.digest.updates import never_digested  # noqa: PLC0415
    from storyline.report.updates import update_to_dict  # noqa: PLC0415
    from storyline.store import Store  # noqa: PLC0415

    if args.all:
        return _update_all(args)
    if args.story is None:
        raise _UsageError("storyline update: give --story ID, or --all -o DIR")
    if args.engine != "local":
        raise _UsageError("storyline update --story runs here: --engine dask needs --all")
    config = _config(args)
    budget = _budget(args)
    timings = args.timings and config.report.timings
    with Store.open(args.store, create=False) as store:
        story = store.story(args.story)
        with fewer_collections():
            update = stored_update(
                store, build_pipeline(config), budget, story.id, since=args.since
            )
        if update is None:
            raise never_digested(story.id)
        _write(_render_update(args.format, update, timings=timings), args.output)
        delivered = store.record_digest(
            story.id, budget, update_to_dict(update, timings=False), command="update"
        )
        shown = store.location.shown
    if not args.quiet:
        print(
            f"storyline: update {delivered.id} of story {story.id} recorded as delivered in "
            f"{shown}",
            file=sys.stderr,
        )
    return 0


def _render_update(fmt: str, update: Update, *, timings: bool) -> str:
    from storyline.report.updates import (  # noqa: PLC0415
        update_to_html,
        update_to_json,
        update_to_markdown,
    )

    if fmt == "json":
        return update_to_json(update, timings=timings)
    if fmt == "html":
        return update_to_html(update, timings=timings)
    return update_to_markdown(update)


def _update_all(args: argparse.Namespace) -> int:
    """``storyline update --all -o DIR``: what is new in every story digested before (every
    story with ``--since DATE``), each update with new articles written to its file and
    recorded as delivered; the stories with nothing new and those never digested are
    counted, not written."""
    from storyline.report.updates import update_to_dict  # noqa: PLC0415
    from storyline.store import Store  # noqa: PLC0415

    if args.story is not None or args.output is None or isinstance(args.since, int):
        raise _UsageError(
            "storyline update --all: give -o DIR [--since DATE] [--store PATH|URL], no --story "
            "and no digest id"
        )
    config = _config(args)
    pipeline, budget = build_pipeline(config), _budget(args)
    timings = args.timings and config.report.timings
    directory = _directory(Path(args.output))
    counts = {"written": 0, "nothing new": 0, "never digested": 0}
    with Store.open(args.store, create=False) as store, _progress(args.quiet) as progress:
        chosen = _stories_of(store, config.cluster.min_articles)
        task = progress.add_task("update", total=len(chosen))

        def deliver(story_id: str, update: Update | None) -> None:
            progress.advance(task)
            if update is None:
                counts["never digested"] += 1
                return
            if not update.new_article_ids:
                counts["nothing new"] += 1
                return
            target = directory / f"{story_id}{_EXTENSIONS[args.format]}"
            _write(_render_update(args.format, update, timings=timings), target)
            store.record_digest(
                story_id, budget, update_to_dict(update, timings=False), command="update"
            )
            counts["written"] += 1

        with _engine(args) as engine, fewer_collections():
            if engine is None:
                for story_id in chosen:
                    deliver(
                        story_id, stored_update(store, pipeline, budget, story_id, since=args.since)
                    )
            else:
                engine.update_stored(
                    dataclasses.replace(pipeline, workers=False),
                    budget,
                    store.location.reachable,
                    chosen,
                    deliver,
                    since=args.since,
                )
        shown = store.location.shown
    if not args.quiet:
        print(
            f"storyline: {counts['written']} updates written into {directory} and recorded as "
            f"delivered in {shown}; {counts['nothing new']} stories with no new article, "
            f"{counts['never digested']} never digested (digest --all first, or give --since "
            "DATE)",
            file=sys.stderr,
        )
    return 0


def _eval_updates_parser(kinds: argparse._SubParsersAction[_Parser]) -> None:
    updates = kinds.add_parser(
        "updates",
        help="ROUGE and repeats of what's-new digests on a timeline summarisation JSONL",
        description="For each topic of a TLS JSONL and cuts at 50%% and 75%% of its date "
        "range: digest the articles before the cut, then the update over the next 7 days, "
        "and a plain digest of that week; score both with ROUGE against the reference "
        "timelines' sentences of the week and count their repeats of the first digest.",
    )
    updates.add_argument("--dataset", type=Path, required=True, metavar="FILE.jsonl")
    updates.add_argument("--limit", type=_positive, metavar="N", help="first N topics only")
    _budget_options(updates, sentences=False, default=100)
    _common_options(updates)


def _eval_updates(args: argparse.Namespace) -> int:
    from storyline.evaluate.timelines import read_timeline_topics  # noqa: PLC0415
    from storyline.evaluate.updates import CUTS, evaluate_updates  # noqa: PLC0415

    config = _config(args)
    pipeline = build_pipeline(config, analyses=False)
    budget = _budget(args)
    topics = list(read_timeline_topics(args.dataset))[: args.limit]
    with _progress(args.quiet) as progress:
        task = progress.add_task("digests and updates", total=len(topics) * len(CUTS))
        evaluation = evaluate_updates(
            topics, pipeline, budget, on_case=lambda _: progress.advance(task)
        )
    if args.output is not None:
        _write(_update_lines(evaluation), args.output)
    scored = evaluation.scored
    table = Table(
        title=f"{args.dataset.name}: {len(evaluation.cases)} cuts with articles in the week, "
        f"{len(scored)} with reference sentences; {budget.limit} {budget.unit}",
        min_width=70,
    )
    for column in ("digest of the week", "R-1 F1", "R-2 F1", "R-1 R", "R-2 R", "repeats"):
        table.add_column(column, justify="left" if column.startswith("digest") else "right")
    systems = (
        ("update (storyline update)", evaluation.update_rouge, evaluation.update_repeat_rate),
        ("plain (the week alone)", evaluation.plain_rouge, evaluation.plain_repeat_rate),
    )
    for name, scores, repeats in systems:
        table.add_row(
            name,
            f"{scores.f1['rouge1']:.2f}",
            f"{scores.f1['rouge2']:.2f}",
            f"{scores.recall['rouge1']:.2f}",
            f"{scores.recall['rouge2']:.2f}",
            f"{100 * repeats:.1f}%",
        )
    console = Console(width=100)
    console.print(table)
    console.print(f"scorer: {evaluation.implementation}")
    console.print(
        "repeats: summary sentences whose fact the first digest's summary stated (fact "
        "grouper), pooled over every cut"
    )
    seconds = sum(case.seconds for case in evaluation.cases)
    console.print(f"time digesting (first digest, update and plain, all cuts): {seconds:.1f} s")
    return 0


def _update_lines(evaluation: UpdateEvaluation) -> str:
    """One JSON line per topic and cut, for rescoring elsewhere."""
    lines = []
    for case in evaluation.cases:
        record = {
            "topic": case.topic_id,
            "fraction": case.fraction,
            "cut": case.cut.isoformat(),
            "articles_before": case.articles_before,
            "articles_in_week": case.articles_in_week,
            "references": case.references,
            "first": [item.text for item in case.first.sentences],
            "update": [item.text for item in case.update.sentences],
            "plain": [item.text for item in case.plain.sentences],
            "update_rouge": dataclasses.asdict(case.update_rouge) if case.update_rouge else None,
            "plain_rouge": dataclasses.asdict(case.plain_rouge) if case.plain_rouge else None,
            "update_repeats": case.update_repeats,
            "plain_repeats": case.plain_repeats,
            "seconds": round(case.seconds, 6),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


# -- the web app: serve ------------------------------------------------------------------


def _serve_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the store as a web app and an HTTP API",
        description="Serve the store's stories, digests and articles as web pages and as an "
        "HTTP API under /api/v1, on loopback unless told otherwise; on any other address a "
        "token is needed.",
    )
    _store_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_positive, default=8000, help="port to listen on")
    serve.add_argument(
        "--token",
        metavar="TOKEN",
        help="writes need this token (default: $STORYLINE_TOKEN); needed off loopback",
    )
    serve.add_argument("--private", action="store_true", help="reads need the token too")
    serve.add_argument(
        "--max-upload-bytes",
        type=_positive,
        metavar="N",
        help="the largest request body accepted (default: 16 MiB)",
    )
    serve.add_argument("--debug", action="store_true", help="show tracebacks of errors")


def _serve(args: argparse.Namespace) -> int:
    """``storyline serve``: the web app on uvicorn until interrupted."""
    from storyline.service import DEFAULT_MAX_UPLOAD_BYTES, serve  # noqa: PLC0415

    serve(
        args.store,
        host=args.host,
        port=args.port,
        token=args.token or os.environ.get("STORYLINE_TOKEN") or None,
        private=args.private,
        max_upload_bytes=args.max_upload_bytes or DEFAULT_MAX_UPLOAD_BYTES,
    )
    return 0


def _eval_quotes(args: argparse.Namespace) -> int:
    from storyline.evaluate.quotes import (  # noqa: PLC0415
        is_attribution_file,
        labelled_articles,
        score_quotes,
    )

    if is_attribution_file(args.dataset):
        return _eval_attributions(args)
    articles = labelled_articles(args.dataset)
    if not articles:
        raise EvaluationError(f"{args.dataset} names no article that could be read")
    scores = score_quotes(RuleQuoteExtractor().extract(articles), args.dataset)
    rows = [
        ("quotes, precision", scores["precision"]),
        ("quotes, recall", scores["recall"]),
        ("quotes, F1", scores["f1"]),
        ("speaker accuracy", scores["speaker_accuracy"]),
    ]
    _print_scores(f"{args.dataset.name}: {len(articles)} articles", rows, args.output, scores)
    return 0


def _eval_attributions(args: argparse.Namespace) -> int:
    """``storyline eval quotes`` on an attribution corpus (PolNeAR's format)."""
    from storyline.evaluate.quotes import (  # noqa: PLC0415
        evaluate_attributions,
        read_attributions,
    )

    evaluation = evaluate_attributions(read_attributions(args.dataset), RuleQuoteExtractor())
    result, labelled = evaluation.marked, evaluation.labelled
    rows = _prf_rows(
        ("direct quotes, lenient", result.direct),
        ("direct quotes, strict", result.direct_strict),
        ("reported speech, lenient", result.indirect),
        ("reported speech, strict", result.indirect_strict),
    )
    rows += [
        (f"speaker, same surname ({result.named} named sources)", result.speaker_accuracy),
        ("speaker, surname is the last word", result.speaker_accuracy_strict),
    ]
    rows += _prf_rows(
        ("kinds as labelled: direct quotes, lenient", labelled.direct),
        ("kinds as labelled: direct quote pieces", labelled.direct_pieces),
        ("kinds as labelled: reported speech pieces", labelled.indirect_pieces),
    )
    rows.append(
        (
            "kinds as labelled: speaker, same surname (a name: any capitalised word)",
            labelled.speaker_accuracy_loose_names,
        )
    )
    counts = {
        "gold_direct": result.gold_direct,
        "gold_indirect": result.gold_indirect,
        "predicted_direct": result.predicted_direct,
        "predicted_indirect": result.predicted_indirect,
        "seconds": evaluation.seconds,
    }
    title = (
        f"{args.dataset.name}: {result.articles} articles, {result.gold_direct} direct or "
        f"partly quoted and {result.gold_indirect} reported attributions ('' read as a "
        "quotation mark; issue 13 measured the pieces with the kinds as labelled)"
    )
    _print_scores(title, rows, args.output, dict(rows) | counts)
    return 0


def _eval_entities(args: argparse.Namespace) -> int:
    from storyline.evaluate.entities import (  # noqa: PLC0415
        evaluate_entities,
        is_alias_file,
        is_conll_file,
    )

    if is_conll_file(args.dataset):
        return _eval_conll(args)
    if is_alias_file(args.dataset):
        return _eval_aliases(args)
    result = evaluate_entities(
        args.dataset, RuleEntityRecognizer(), quote_extractor=RuleQuoteExtractor()
    )
    rows = [
        ("mentions, precision", result.precision),
        ("mentions, recall", result.recall),
        ("mentions, F1", result.f1),
        ("mentions with kind, precision", result.typed_precision),
        ("mentions with kind, recall", result.typed_recall),
        ("alias clustering, B-cubed precision", result.bcubed_precision),
        ("alias clustering, B-cubed recall", result.bcubed_recall),
    ]
    scores = dict(rows) | {"seconds": result.seconds}
    title = f"{args.dataset.name}: {result.stories} stories, {result.gold} labelled mentions"
    _print_scores(title, rows, args.output, scores)
    return 0


def _eval_aliases(args: argparse.Namespace) -> int:
    """``storyline eval entities`` on an alias set (bench/data/README.md): pairwise merges."""
    from storyline.evaluate.entities import (  # noqa: PLC0415
        evaluate_aliases,
        read_alias_clusters,
        sum_alias_scores,
    )

    clusters = read_alias_clusters(args.dataset)
    per_cluster = evaluate_aliases(
        clusters, RuleEntityRecognizer(), quote_extractor=RuleQuoteExtractor()
    )
    table = Table(title=f"{args.dataset.name}: pairwise merges per cluster", min_width=70)
    for column in ("cluster", "forms", "found", "pairs", "P", "R", "F1", "distinct merged"):
        table.add_column(column, justify="left" if column == "cluster" else "right")
    for score in per_cluster:
        prf = score.pairs
        table.add_row(  # "-": no merge (P) or no true pair (R, F1) to count
            score.cluster,
            str(score.forms),
            str(score.found),
            str(score.same),
            f"{prf.precision:.3f}" if score.merged else "-",
            f"{prf.recall:.3f}" if score.same else "-",
            f"{prf.f1:.3f}" if score.same else "-",
            f"{score.distinct_merged}/{score.distinct}",
        )
    Console(width=100).print(table)
    total = sum_alias_scores(per_cluster)
    rows = _prf_rows(("pairs", total.pairs), ("pairs of found forms", total.pairs_found))
    rows.append(("labelled forms found", total.found / total.forms if total.forms else 0.0))
    counts = {
        "clusters": float(len(per_cluster)),
        "entities": float(sum(len(cluster.entities) for cluster in clusters)),
        "forms": float(total.forms),
        "found": float(total.found),
        "true pairs": float(total.same),
        "merged pairs": float(total.merged),
        "distinct pairs": float(total.distinct),
        "distinct pairs merged": float(total.distinct_merged),
        "distinct pairs unscorable": float(total.distinct_unscorable),
        "seconds": total.seconds,
    }
    title = (
        f"{args.dataset.name}: {len(per_cluster)} clusters, {total.forms} forms "
        f"({total.found} found), {total.same} true pairs, "
        f"{total.distinct_merged}/{total.distinct} distinct pairs merged"
    )
    _print_scores(title, rows, args.output, dict(rows) | counts)
    return 0


def _eval_conll(args: argparse.Namespace) -> int:
    """``storyline eval entities`` on CoNLL-2003 as stored in the benchmarks."""
    from storyline.evaluate.entities import evaluate_typed_mentions, read_conll  # noqa: PLC0415

    result = evaluate_typed_mentions(
        read_conll(args.dataset), RuleEntityRecognizer(), quote_extractor=RuleQuoteExtractor()
    )
    rows = _prf_rows(
        ("typed", result.typed),
        ("untyped", result.untyped),
        *((f"typed {kind}", by_kind) for kind, by_kind in result.by_type),
    )
    title = (
        f"{args.dataset.name}: {result.stories} documents, {result.gold} PER/ORG/LOC mentions "
        "(exact spans, MISC left out)"
    )
    _print_scores(title, rows, args.output, dict(rows) | {"seconds": result.seconds})
    return 0


def _prf_rows(*scores: tuple[str, PRF]) -> list[tuple[str, float]]:
    """Rows of :func:`_print_scores`: precision, recall and F1 of each labelled score."""
    rows: list[tuple[str, float]] = []
    for label, prf in scores:
        rows += [(f"{label}, P", prf.precision), (f"{label}, R", prf.recall)]
        rows.append((f"{label}, F1", prf.f1))
    return rows


def _print_scores(
    title: str, rows: Sequence[tuple[str, float]], output: Path | None, scores: Mapping[str, float]
) -> None:
    table = Table(title=title, min_width=70)
    table.add_column("measure")
    table.add_column("score", justify="right")
    for name, value in rows:
        table.add_row(name, f"{value:.3f}")
    Console(width=100).print(table)
    if output is not None:
        _write(json.dumps(dict(scores), indent=2) + "\n", output)


def _eval_extraction(args: argparse.Namespace) -> int:
    from storyline.evaluate.extraction import (  # noqa: PLC0415
        PEER,
        page_records,
        read_gold_pages,
        score_extraction,
        trafilatura_default,
    )

    pages = len(read_gold_pages(args.dataset))
    with _progress(args.quiet) as progress:
        task = progress.add_task("reading pages", total=2 * pages)
        evaluations = [
            score_extraction(args.dataset, on_page=lambda _: progress.advance(task)),
            score_extraction(
                args.dataset,
                reader=trafilatura_default,
                name=PEER,
                on_page=lambda _: progress.advance(task),
            ),
        ]
    if args.output is not None:
        lines = [json.dumps(record, ensure_ascii=False) for record in page_records(evaluations)]
        _write("\n".join(lines) + "\n", args.output)
    table = Table(title=f"{args.dataset.name}: {pages} pages", min_width=70)
    columns = ("extractor", "body P", "body R", "body F1", "title", "date", "authors", "CPU s")
    for column in columns:
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for evaluation in evaluations:
        table.add_row(
            evaluation.extractor,
            *(
                f"{value:.3f}"
                for value in (
                    evaluation.precision,
                    evaluation.recall,
                    evaluation.f1,
                    evaluation.title_accuracy,
                    evaluation.date_accuracy,
                    evaluation.authors_f1,
                )
            ),
            f"{evaluation.seconds:.1f}",
        )
    console = Console(width=100)
    console.print(table)
    console.print(
        "body: word 4-gram shingles, P and R averaged over pages, F1 of the averages\n"
        "(ScrapingHub's article-extraction benchmark); title: exact after whitespace;\n"
        "date: the publication day; authors: F1 of the sets of names"
    )
    for evaluation in evaluations:
        console.print(
            f"{evaluation.extractor}: {evaluation.articles}/{evaluation.pages} articles, "
            f"date within a day {evaluation.date_within_day:.3f}, "
            f"{evaluation.undated} undated gold pages left out"
        )
    return 0


def _eval_summaries(args: argparse.Namespace) -> int:
    from storyline.evaluate import evaluate_summaries, read_clusters  # noqa: PLC0415

    config = _config(args)
    pipeline = build_pipeline(config, analyses=False)
    budget = _budget(args)
    clusters = list(read_clusters(args.dataset))[: args.limit]
    with _progress(args.quiet) as progress:
        task = progress.add_task("summarising", total=len(clusters))
        evaluation = evaluate_summaries(
            clusters, pipeline, budget, on_cluster=lambda _: progress.advance(task)
        )
    if args.output is not None:
        lines = [
            json.dumps(
                {
                    "id": result.cluster_id,
                    "summary": result.summary.text,
                    "budget": {"unit": budget.unit, "limit": budget.limit},
                    "rouge_f1": result.scores.f1,
                    "rouge_recall": result.scores.recall,
                    "seconds": round(result.seconds, 6),
                },
                ensure_ascii=False,
            )
            for result in evaluation.results
        ]
        _write("\n".join(lines) + "\n", args.output)
    table = Table(
        title=f"{args.dataset.name}: {len(clusters)} clusters, {budget.limit} {budget.unit}",
        min_width=70,
    )
    table.add_column("metric")
    table.add_column("recall", justify="right")
    table.add_column("F1", justify="right")
    for name in ("rouge1", "rouge2", "rougeLsum"):
        table.add_row(
            name, f"{evaluation.mean.recall[name]:.2f}", f"{evaluation.mean.f1[name]:.2f}"
        )
    console = Console(width=100)
    console.print(table)
    console.print(f"scorer: {evaluation.implementation}")
    console.print(f"median time per cluster: {1000 * evaluation.median_seconds:.1f} ms")
    return 0


def _eval_timelines(args: argparse.Namespace) -> int:
    from storyline.evaluate.timelines import (  # noqa: PLC0415
        evaluate_timelines,
        read_timeline_topics,
    )

    config = _config(args)
    names = args.builder or sorted(REGISTRY["timeline"], key=lambda n: n != config.timeline.method)
    builders = {name: build_timeline_builder(config, name) for name in dict.fromkeys(names)}
    topics = list(read_timeline_topics(args.dataset))[: args.limit]
    total = sum(len(topic.references) for topic in topics) * len(builders)
    with _progress(args.quiet) as progress:
        task = progress.add_task("building and scoring timelines", total=total)
        evaluations = evaluate_timelines(
            topics,
            builders,
            segmenter=build_segmenter(config),
            tagger=create("temporal", "rule"),
            rouge=args.rouge,
            on_timeline=lambda _name, _result: progress.advance(task),
        )
    if args.output is not None:
        _write(_timeline_lines(evaluations), args.output)
    timelines = len(evaluations[0].results)
    table = Table(
        title=f"{args.dataset.name}: {len(topics)} topics, {timelines} reference timelines",
        min_width=70,
    )
    for column in ("builder", "date-F1", "AR-1 F", "AR-2 F", "build s", "score s"):
        table.add_column(column, justify="left" if column == "builder" else "right")
    for evaluation in evaluations:
        mean = evaluation.mean
        table.add_row(
            evaluation.builder,
            f"{mean.dates.f1:.3f}",
            f"{mean.rouge1.f1:.4f}",
            f"{mean.rouge2.f1:.4f}",
            f"{evaluation.build_seconds:.1f}",
            f"{evaluation.score_seconds:.1f}",
        )
    console = Console(width=100)
    console.print(table)
    console.print(f"scorer: {evaluations[0].scorer}")
    console.print(
        "F1 of the precision and recall averaged over timelines (news-tls); "
        "mean of per-timeline F1: "
        + "; ".join(
            f"{e.builder} {e.mean_of_f1.dates.f1:.3f} / {e.mean_of_f1.rouge1.f1:.4f} / "
            f"{e.mean_of_f1.rouge2.f1:.4f}"
            for e in evaluations
        )
    )
    console.print(
        f"preparation (segmenting and tagging every topic once, shared): "
        f"{evaluations[0].preparation_seconds:.1f} s; build s excludes it, score s is scoring only"
    )
    return 0


def _timeline_lines(evaluations: Sequence[TimelineEvaluation]) -> str:
    """One JSON line per (builder, reference timeline), for rescoring elsewhere."""
    lines = []
    for evaluation in evaluations:
        for result in evaluation.results:
            scores = result.scores
            record = {
                "builder": evaluation.builder,
                "topic": result.topic_id,
                "reference": result.reference,
                "timeline": [
                    {
                        "date": entry.date.start.isoformat(),
                        "sentences": [item.text for item in entry.sentences],
                    }
                    for entry in result.timeline.entries
                ],
                "date_f1": scores.dates.f1,
                "ar1": dataclasses.asdict(scores.rouge1),
                "ar2": dataclasses.asdict(scores.rouge2),
                "build_seconds": round(result.build_seconds, 6),
                "score_seconds": round(result.score_seconds, 6),
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _eval_clustering(args: argparse.Namespace) -> int:
    from storyline.evaluate.clustering import (  # noqa: PLC0415
        evaluate_clustering,
        evaluation_rows,
        read_labelled_stream,
    )
    from storyline.stories.clusters import OnlineClusterer  # noqa: PLC0415

    stream = read_labelled_stream(args.dataset)
    evaluation = evaluate_clustering(stream, OnlineClusterer())
    if args.output is not None:
        _write("\n".join(evaluation_rows(evaluation, stream)) + "\n", args.output)
    rows = [
        ("B-cubed precision", evaluation.bcubed.precision),
        ("B-cubed recall", evaluation.bcubed.recall),
        ("B-cubed F1", evaluation.bcubed.f1),
        ("adjusted Rand index", evaluation.adjusted_rand),
    ]
    _print_scores(
        f"{stream.name}: {evaluation.articles} articles, {evaluation.gold_stories} labelled "
        f"stories, {evaluation.found} found",
        rows,
        None,
        {},
    )
    Console(width=100).print(f"clusterer: OnlineClusterer, {evaluation.seconds:.2f} s")
    return 0


def _eval_temporal(args: argparse.Namespace) -> int:
    from storyline.evaluate.temporal import (  # noqa: PLC0415
        MEASURES,
        TIMEX_TYPES,
        pair_rows,
        read_tempeval,
        score_tempeval,
        timexes_of,
    )
    from storyline.text.temporal import RuleTimeTagger  # noqa: PLC0415

    documents = list(read_tempeval(args.dataset))
    tagger = RuleTimeTagger()
    result = score_tempeval(
        documents, lambda text, dct: timexes_of(tagger.tag(text, dct, article_id="tempeval"))
    )
    if args.output is not None:
        texts = {document.id: document.text for document in documents}
        _write("\n".join(pair_rows(result, texts)) + "\n", args.output)
    table = Table(
        title=f"{args.dataset.name}: {result.documents} documents, "
        f"{result.overall.gold} gold timexes, {result.overall.system} found",
        min_width=70,
    )
    table.add_column("timexes")
    table.add_column("gold / found", justify="right")
    for measure in MEASURES:
        table.add_column(f"{measure} F1", justify="right")
    views = [("all", result.overall), *((name, result.by_type[name]) for name in TIMEX_TYPES)]
    for name, tally in views:
        scores = [
            f"{100 * tally.f1(measure):.1f}" if name == "all" or measure != "type" else "-"
            for measure in MEASURES
        ]
        table.add_row(name, f"{tally.gold} / {tally.system}", *scores)
    console = Console(width=100)
    console.print(table)
    shares = (
        f"{measure} {100 * result.overall.precision(measure):.1f} / "
        f"{100 * result.overall.recall(measure):.1f}"
        for measure in MEASURES
    )
    console.print("all, precision / recall: " + ", ".join(shares))
    console.print(
        "F1 in %; relaxed = overlapping spans; value and type counted on relaxed pairs "
        "(TempEval-3); by type: recall over that gold type, precision over that found type"
    )
    return 0


# -- where sources disagree: check CLAIM PATH..., eval stance --------------------------------


def _check_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    check = commands.add_parser(
        "check",
        help="who asserts a claim, who denies it, who only reports it",
        description="Judge each article's stance toward CLAIM (asserts, denies, reports "
        "without taking a side, unrelated) with the sentences that show it, then tally the "
        "outlets on each side and name the first with each; from PATH... or the store.",
    )
    check.add_argument("claim", metavar="CLAIM", help="the claim, one sentence")
    check.add_argument("paths", nargs="*", metavar="PATH", help="file, directory or glob")
    check.add_argument("--format", choices=_FORMATS, default="markdown", help="output format")
    _store_option(check)
    check.add_argument(
        "--story", metavar="ID", help="with --store: the articles of this stored story"
    )
    _field_option(check)
    _common_options(check)


def _check(args: argparse.Namespace) -> int:
    """``storyline check CLAIM PATH...`` (or ``--store [--story ID]``)."""
    from storyline.digest.stance import StanceJudge  # noqa: PLC0415
    from storyline.report.stance import (  # noqa: PLC0415
        check_to_html,
        check_to_json,
        check_to_markdown,
    )

    if not args.claim.strip():
        raise _UsageError("storyline check: the CLAIM is empty")
    config = _config(args)
    if args.paths and (args.store is not None or args.story is not None):
        raise _UsageError("storyline check: give PATH... or --store [--story ID], not both")
    if args.paths:
        corpus = FileIngestor(config=config.ingest).ingest(args.paths)
    else:
        corpus = _stored_for_check(args)
    checked = StanceJudge().check_articles(args.claim, corpus.articles, build_segmenter(config))
    render = {"json": check_to_json, "html": check_to_html}.get(args.format, check_to_markdown)
    _write(render(checked, corpus.rejections), args.output)
    return _done(corpus)


def _stored_for_check(args: argparse.Namespace) -> Corpus:
    """The store's articles of ``--story ID``, else those that match the claim best."""
    from storyline.store import Store  # noqa: PLC0415

    with Store.open(args.store, create=False) as store:
        if args.story is not None:
            return Corpus(articles=store.articles(store.story(args.story).id))
        return Corpus(articles=store.search_articles(args.claim, limit=_QUERY_ARTICLES))


def _eval_stance_parser(kinds: argparse._SubParsersAction[_Parser]) -> None:
    stance = kinds.add_parser(
        "stance",
        help="stance macro-F1, contested claims and opposing outlets (Emergent, ClaimDiff)",
        description="Score the stance judge on Emergent or ClaimDiff JSONL (the formats of "
        "benchmarks/stance/), told apart by their first record. On the file the shipped "
        "model was fitted on, the scores are cross-validated by claim (topic). "
        "With --write-model, fit the models on the files given and write them instead.",
    )
    stance.add_argument(
        "--dataset", type=Path, required=True, action="append", metavar="FILE.jsonl"
    )
    stance.add_argument("--folds", type=_positive, default=5, metavar="K", help="default: 5")
    stance.add_argument(
        "--cross-validate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="force (or forbid) cross-validation; default: when the model was fitted on it",
    )
    stance.add_argument(
        "--write-model",
        type=Path,
        metavar="FILE.json",
        help="fit one model per file (one Emergent, one ClaimDiff) and write them here",
    )
    stance.add_argument("--debug", action="store_true", help="show tracebacks of errors")


# The targets of issue 15, as (measure, floor).
_STANCE_TARGETS = {
    "emergent": (
        ("stance macro-F1", 0.75),
        ("contested-claim F1", 0.80),
        ("opposing-pair F1", 0.60),
    ),
    "claimdiff": (("weaken F1", 0.40),),
}


def _eval_stance(args: argparse.Namespace) -> int:
    from storyline.evaluate.stance import evaluate_stance, train_models  # noqa: PLC0415

    if args.write_model is not None:
        models = train_models(args.dataset)
        _write(json.dumps(models, ensure_ascii=False, sort_keys=True) + "\n", args.write_model)
        print(f"storyline: stance models written to {args.write_model}", file=sys.stderr)
        return 0
    console = Console(width=110)
    for path in args.dataset:
        started = time.process_time()
        evaluation = evaluate_stance(path, folds=args.folds, cross_validate=args.cross_validate)
        seconds = time.process_time() - started
        how = (
            f"{evaluation.folds}-fold cross-validation grouped by "
            f"{'claim' if evaluation.kind == 'emergent' else 'topic'} (each fold judged by a "
            "model fitted on the other folds only)"
            if evaluation.cross_validated
            else "the shipped model (not fitted on this file)"
        )
        table = Table(
            title=f"{path.name}: {evaluation.kind}, {evaluation.examples} examples, "
            f"{evaluation.groups} {'claims' if evaluation.kind == 'emergent' else 'topics'}",
            min_width=90,
        )
        table.add_column("measure")
        for system in evaluation.systems:
            table.add_column(system.name, justify="right")
        rows = [_stance_values(system, evaluation.kind) for system in evaluation.systems]
        for column in _stance_columns(evaluation.kind):
            table.add_row(column, *(f"{row[column]:.3f}" for row in rows))
        reached = rows[0]
        console.print(table)
        console.print(f"scored by: {how}")
        if evaluation.kind == "emergent":
            console.print(
                f"gold: {evaluation.gold_contested} contested claims, {evaluation.gold_pairs} "
                "opposing outlet pairs; for = asserts, against = denies, observing = reports"
            )
        for measure, floor in _STANCE_TARGETS[evaluation.kind]:
            value = reached[measure]
            verdict = "met" if value >= floor else "NOT met"
            console.print(f"target {measure} >= {floor:.2f}: {value:.3f} {verdict}")
        console.print(f"CPU time: {seconds:.1f} s")
    return 0


def _stance_columns(kind: str) -> tuple[str, ...]:
    if kind == "emergent":
        return (
            "stance macro-F1",
            "accuracy",
            "contested-claim P",
            "contested-claim R",
            "contested-claim F1",
            "opposing-pair P",
            "opposing-pair R",
            "opposing-pair F1",
        )
    return ("weaken F1", "strengthen F1", "neither F1", "3-way macro-F1", "accuracy")


def _stance_values(system: SystemScores, kind: str) -> dict[str, float]:
    if kind == "emergent":
        contested, pairs = system.contested, system.opposing_pairs
        if contested is None or pairs is None:
            raise EvaluationError("an Emergent evaluation without claim scores")
        values: tuple[float, ...] = (
            system.macro_f1,
            system.accuracy,
            contested.precision,
            contested.recall,
            contested.f1,
            pairs.precision,
            pairs.recall,
            pairs.f1,
        )
    else:
        f1 = system.per_label_f1
        values = (f1["weaken"], f1["strengthen"], f1["neither"], system.macro_f1, system.accuracy)
    return dict(zip(_stance_columns(kind), values, strict=True))


def _complain(message: str) -> None:
    """Print ``message`` on stderr without the control characters an input may have put in
    it (a path or article detail), so that it can neither reorder nor restyle the terminal.
    """
    print(neutral(message).replace("\r", ""), file=sys.stderr)


def run() -> NoReturn:
    """The console script (``storyline``, ``python -m storyline``): :func:`main`, then the
    process's end. After a command that left its results to the operating system (see
    :func:`_leave`), the logs and the standard streams are flushed and the process ends
    with ``os._exit`` instead of freeing them; a failed flush of stdout (a closed pipe)
    gives exit code 120, as Python's own exit does."""
    global _left_to_exit  # noqa: PLW0603 (set once, for this process's one command)
    _left_to_exit = []
    code = main()
    if not _left_to_exit:
        sys.exit(code)
    logging.shutdown()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        code = code or 120
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    try:
        args = _parser().parse_args(arguments)
        if args.command == "digest":
            return _digest(args)
        if args.command in ("quotes", "entities", "timeline"):
            return _section(args)
        if args.command == "stories":
            return _stories(args)
        if args.command in ("ingest", "show", "store"):
            return _store_command(args)
        if args.command == "update":
            return _update(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "check":
            return _check(args)
        handlers = {
            "summaries": _eval_summaries,
            "timelines": _eval_timelines,
            "quotes": _eval_quotes,
            "entities": _eval_entities,
            "extraction": _eval_extraction,
            "clustering": _eval_clustering,
            "temporal": _eval_temporal,
            "updates": _eval_updates,
            "stance": _eval_stance,
        }
        return handlers[args.kind](args)
    except _UsageError as error:
        _complain(f"{error}\nTry 'storyline --help'.")
        return 2
    except ConfigError as error:
        if debug:
            traceback.print_exc()
        _complain(f"storyline: configuration error: {error}")
        return 2
    except StorylineError as error:
        if debug:
            traceback.print_exc()
        _complain(f"storyline: error: {error}")
        return 1
    except KeyboardInterrupt:
        _complain("storyline: interrupted")
        return 1
    except Exception as error:  # the last line of defence: one line, never a bare traceback
        if debug:
            traceback.print_exc()
        _complain(f"storyline: internal error: {type(error).__name__}: {error}")
        return 1
