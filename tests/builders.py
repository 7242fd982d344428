"""Tiny builders that keep tests short: articles and sentences from strings."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import itertools
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from storyline.model import Article, Fact, Sentence, Story

__all__ = [
    "ROOT",
    "SHARED",
    "make_article",
    "make_sentences",
    "make_story",
    "run_python",
    "shared_path",
]

_COUNTER = itertools.count(1)

ROOT = Path(__file__).resolve().parents[1]  # the checkout
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared (or $STORYLINE_SHARED); callers skip when it is missing."""
    return SHARED.joinpath(*parts)


@functools.cache
def python_source(module: ModuleType) -> ModuleType:
    """``module`` run from its Python source, also while a compiled build of it is in use
    (:mod:`storyline.native`): a test that replaces a module's functions or constants needs the
    Python module, as compiled code does not look them up again. Loaded once, under the name
    ``<module>__python``; the module itself when it already runs from source."""
    if str(module.__file__).endswith(".py"):
        return module
    name = f"{module.__name__}__python"
    source = ROOT / "src" / Path(*module.__name__.split(".")).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None, source
    assert spec.loader is not None, source
    copy = importlib.util.module_from_spec(spec)
    sys.modules[name] = copy  # dataclasses look their module up
    spec.loader.exec_module(copy)
    return copy


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    """Python on ``args`` (a script or ``-m module``) as a user runs it: this checkout's
    ``src`` importable, the shared data where the tests find it; output captured."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "STORYLINE_SHARED": str(SHARED)}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=environment, check=False
    )


def make_article(
    text: str,
    *,
    id: str | None = None,
    source: str | None = None,
    published: dt.date | str | None = None,
    title: str | None = None,
) -> Article:
    """An article from a string; ``published`` may be an ISO date string."""
    identifier = id or f"a{next(_COUNTER)}"
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Article(
        id=identifier,
        text=text,
        source=source or identifier,
        origin=f"<test:{identifier}>",
        title=title,
        published=published,
    )


def make_sentences(article: Article) -> tuple[Sentence, ...]:
    """Sentences of an article split naively at '. ', for tests that need no segmenter."""
    sentences: list[Sentence] = []
    for match in re.finditer(r"[^.!?]+[.!?]?", article.text):
        raw = match.group()
        start = match.start() + len(raw) - len(raw.lstrip())
        end = match.end() - (len(raw) - len(raw.rstrip()))
        if end > start:
            sentences.append(
                Sentence(
                    id=f"{article.id}:{len(sentences)}",
                    article_id=article.id,
                    index=len(sentences),
                    start=start,
                    end=end,
                )
            )
    return tuple(sentences)


def make_story(
    *articles: Article, groups: Sequence[Sequence[str]] = (), id: str = "story"
) -> Story:
    """A story of ``articles`` split by :func:`make_sentences`.

    Each of ``groups`` (lists of sentence ids) becomes one fact; every other
    sentence is a fact of its own. Facts list their sentences in story order.
    """
    sentences = tuple(s for article in articles for s in make_sentences(article))
    by_id = {s.id: s for s in sentences}
    grouped = [list(group) for group in groups]
    claimed = {sentence_id for group in grouped for sentence_id in group}
    grouped += [[s.id] for s in sentences if s.id not in claimed]
    position = {s.id: i for i, s in enumerate(sentences)}
    grouped.sort(key=lambda group: min(position[sentence_id] for sentence_id in group))
    facts = tuple(
        Fact(
            id=f"f{number}",
            sentence_ids=tuple(group),
            article_ids=tuple(
                dict.fromkeys(by_id[sentence_id].article_id for sentence_id in group)
            ),
        )
        for number, group in enumerate(grouped)
    )
    return Story(id=id, article_ids=tuple(a.id for a in articles), sentences=sentences, facts=facts)
