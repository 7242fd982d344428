"""Ingest, for any input: never an exception, and every item accounted for.

Generated file contents (bytes as .txt, .json, .jsonl), generated JSON documents
(nested, odd types, lone surrogates, integers past Python's int-string limit,
nesting past the recursion limit), generated dates and generated file trees
(directories, empty ones, FIFOs, symlinks to files, to nothing, in circles and
back up the tree). Each input's count of items is known independently of ingest;
articles plus rejections must equal it, and everything ingest emits must be
valid Unicode (so that every report can print it). All files live under
pytest's ``tmp_path``, one fresh directory an example.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest.files import FileIngestor, parse_date
from storyline.model import Corpus

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HUGE = "__huge-integer__"
DEEP = "__deep-nesting__"
HUGE_DIGITS = "9" * 5000
DEEP_TEXT = "[" * 50_000 + "]" * 50_000


@contextmanager
def _fresh(tmp_path: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=tmp_path) as name:
        yield Path(name)


def _accounted(corpus: Corpus, items: int) -> None:
    assert len(corpus.articles) + len(corpus.rejections) == items
    for article in corpus.articles:
        for value in (article.id, article.text, article.source, article.origin):
            value.encode("utf-8")
        for optional in (article.title, article.url):
            if optional is not None:
                optional.encode("utf-8")
    for rejection in corpus.rejections:
        rejection.item.encode("utf-8")
        rejection.detail.encode("utf-8")
        assert rejection.detail


def _ingest(*paths: Path) -> Corpus:
    return FileIngestor().ingest(list(paths))


# -- Bytes --------------------------------------------------------------------------------

_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda text: text.encode("utf-8")),
    st.lists(
        st.sampled_from(
            (
                *(b"{", b"}", b"[", b"]", b'"', b",", b":", b"\n", b"\r\n", b" ", b"0", b"-1e9"),
                *(b'"text"', b'"id"', b'"date"', b'"2020-01-01"', b"null", b"true", b"\\ud800"),
                *(b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xff", b"\x00", b" date 2020-02-30 "),
            )
        ),
        max_size=60,
    ).map(b"".join),
)


def _items_of_bytes(data: bytes, suffix: str) -> int:
    """How many items a file of ``data`` holds, from the format's definition."""
    if suffix == ".txt" or b"\x00" in data:
        return 1
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return 1
    if suffix == ".jsonl":
        return max(1, sum(1 for line in text.split("\n") if line.strip()))
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return 1
    return len(document) if isinstance(document, list) and document else 1


@FUZZ
@given(data=_BYTES, suffix=st.sampled_from([".txt", ".json", ".jsonl"]))
def test_any_bytes_in_any_format(tmp_path: Path, data: bytes, suffix: str) -> None:
    with _fresh(tmp_path) as root:
        path = root / f"input{suffix}"
        path.write_bytes(data)
        _accounted(_ingest(path), _items_of_bytes(data, suffix))


# -- JSON documents -----------------------------------------------------------------------

_STRINGS = st.lists(
    st.one_of(
        st.text(max_size=8),
        st.sampled_from(["\ud800", "\udfff", "\U0001f600", "\u202e", "\x00", "\r\n", HUGE]),
    ),
    max_size=4,
).map("".join)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    _STRINGS,
    st.just(HUGE),
    st.just(DEEP),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_STRINGS, children, max_size=4)
    ),
    max_leaves=12,
)
_FIELDS = st.sampled_from(["id", "title", "text", "date", "url", "source", "other"])
_RECORDS = st.one_of(
    st.dictionaries(_FIELDS, _VALUES, max_size=7),
    st.fixed_dictionaries(
        {"id": _STRINGS, "text": _STRINGS},
        optional={"date": st.dates().map(dt.date.isoformat) | _STRINGS, "title": _VALUES},
    ),
    _VALUES,
)


def _dumps(document: object) -> str:
    """JSON text with the markers swapped for what ``json.dumps`` cannot write."""
    text = json.dumps(document)  # ensure_ascii: a lone surrogate is written as \\ud800
    return text.replace(f'"{HUGE}"', HUGE_DIGITS).replace(f'"{DEEP}"', DEEP_TEXT)


def _readable(document: object) -> bool:
    """Whether ``_dumps(document)`` parses: no huge integer, no deep nesting as a value."""
    text = json.dumps(document)
    return f'"{HUGE}"' not in text and f'"{DEEP}"' not in text


@FUZZ
@given(document=st.one_of(_RECORDS, st.lists(_RECORDS, max_size=5)))
def test_any_json_document(tmp_path: Path, document: object) -> None:
    with _fresh(tmp_path) as root:
        path = root / "input.json"
        path.write_text(_dumps(document), encoding="ascii")
        items = 1
        if isinstance(document, list) and document and _readable(document):
            items = len(document)
        _accounted(_ingest(path), items)


@FUZZ
@given(records=st.lists(_RECORDS, max_size=6), raw=st.booleans())
def test_any_json_lines(tmp_path: Path, records: list[object], raw: bool) -> None:
    with _fresh(tmp_path) as root:
        path = root / "input.jsonl"
        text = "\n".join(_dumps(record) for record in records)
        if raw:  # lone surrogates as the bytes of their UTF-8 form: undecodable, one item
            path.write_bytes(json.loads(json.dumps(text)).encode("utf-8", "surrogatepass"))
        else:
            path.write_text(text, encoding="ascii")
        items = max(1, len(records))
        if raw:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                items = 1
        _accounted(_ingest(path), items)


# -- Dates --------------------------------------------------------------------------------


@FUZZ
@given(date=st.dates(), time=st.sampled_from(["", "T00:00:00Z", " 23:59:59+14:00", "T12:00"]))
def test_every_calendar_date_is_an_article(tmp_path: Path, date: dt.date, time: str) -> None:
    with _fresh(tmp_path) as root:
        lines = root / "dated.jsonl"
        record = {"id": "d", "text": "Dated text.", "date": date.isoformat() + time}
        lines.write_text(json.dumps(record), encoding="utf-8")
        header = root / "dated.txt"
        header.write_text(f" date {date.isoformat()} Dated text.", encoding="utf-8")
        corpus = _ingest(lines, header)
        assert corpus.rejections == ()
        assert [a.published for a in corpus.articles] == [date, date]


@FUZZ
@given(value=st.text(max_size=40) | st.from_regex(r"\A\d{1,6}-\d{1,3}-\d{1,3}\Z"))
def test_any_date_text_is_a_date_or_none(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is None or isinstance(parsed, dt.date)


# -- File trees ---------------------------------------------------------------------------

_KINDS = (
    "txt",
    "json",
    "other",
    "dir",
    "fifo",
    "dangling",
    "loop",
    "link-file",
    "link-up",
    "glob-name",
    "bytes-name",
)


@FUZZ
@given(data=st.data())
def test_any_file_tree(tmp_path: Path, data: st.DataObject) -> None:
    with _fresh(tmp_path) as root:
        dirs = [root]
        files: list[Path] = []
        items = 0  # everything but empty directories, counted at the end
        for step in range(data.draw(st.integers(0, 14), label="steps")):
            parent = data.draw(st.sampled_from(dirs), label="parent")
            kind = data.draw(st.sampled_from(_KINDS), label="kind")
            path = parent / f"n{step}.txt"
            if kind in ("txt", "glob-name", "bytes-name"):
                if kind == "glob-name":
                    path = parent / f"n[{step}]*.txt"
                elif kind == "bytes-name":
                    path = Path(os.fsdecode(bytes(parent) + f"/n{step}\xe9".encode("latin-1")))
                path = path.with_suffix(".txt")
                path.write_bytes(data.draw(st.binary(max_size=40), label="content"))
                files.append(path)
                items += 1
            elif kind == "json":
                path = path.with_suffix(".json")
                count = data.draw(st.integers(0, 3), label="records")
                records = [{"id": f"n{step}-{i}", "text": "Text."} for i in range(count)]
                path.write_text(json.dumps(records), encoding="utf-8")
                files.append(path)
                items += max(1, count)
            elif kind == "other":
                path.with_suffix(".dat").write_bytes(b"data")
                items += 1
            elif kind == "dir":
                path = parent / f"d{step}"
                path.mkdir()
                dirs.append(path)
            elif kind == "fifo":
                os.mkfifo(path)
                items += 1
            elif kind == "dangling":
                path.symlink_to(parent / f"missing{step}")
                items += 1
            elif kind == "loop":
                other = parent / f"m{step}.txt"
                path.symlink_to(other)
                other.symlink_to(path)
                items += 2
            elif kind == "link-file" and files:
                # The format follows the name a file is reached by: keep the target's suffix.
                target = data.draw(st.sampled_from(files), label="target")
                path.with_suffix(target.suffix).symlink_to(target)
            elif kind == "link-up":
                ancestors = [d for d in dirs if d == parent or d in parent.parents]
                path.symlink_to(data.draw(st.sampled_from(ancestors), label="up"))
                items += 1
        items += sum(1 for directory in dirs if not any(directory.iterdir()))
        _accounted(_ingest(root), items)
        for path in sorted(root.rglob("*")):
            named = _ingest(path)
            assert len(named.rejections) + len(named.articles) >= 1, "a path named directly"
