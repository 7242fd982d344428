"""Ingest: every item ends as an article or a rejection with its reason."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.config import FieldNames, IngestConfig
from storyline.ingest.files import FileIngestor, labelled_article, parse_date
from storyline.model import Corpus, RejectionReason


def _ingest(*paths: str | Path, config: IngestConfig | None = None) -> Corpus:
    return FileIngestor(config=config).ingest(list(paths))


def test_seed_format_header_is_the_date_and_text_follows(tmp_path: Path) -> None:
    path = tmp_path / "001_x.txt"
    path.write_text(" date 2017-05-30 First paragraph here.\n\nSecond paragraph.", encoding="utf-8")
    corpus = _ingest(path)
    (article,) = corpus.articles
    assert article.published == dt.date(2017, 5, 30)
    assert article.text == "First paragraph here.\n\nSecond paragraph."
    assert article.id == "001_x"
    assert article.source == "001_x"
    assert corpus.rejections == ()


def test_plain_text_without_header_has_no_date(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Just words about a date of no kind.", encoding="utf-8")
    (article,) = _ingest(path).articles
    assert article.published is None
    assert article.text.startswith("Just words")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", RejectionReason.EMPTY_TEXT),
        ("blank.txt", b"  \n\n  ", RejectionReason.EMPTY_TEXT),
        ("header-only.txt", b" date 2017-05-30 ", RejectionReason.EMPTY_TEXT),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", RejectionReason.UNDECODABLE),
        ("latin1.txt", "caf\u00e9 cr\u00e8me".encode("latin-1"), RejectionReason.UNDECODABLE),
        ("baddate.txt", b" date 2017-13-45 Text.", RejectionReason.BAD_DATE),
        ("worddate.txt", b" date yesterday Text.", RejectionReason.BAD_DATE),
        ("image.png", b"\x89PNG", RejectionReason.UNSUPPORTED_FORMAT),
        ("broken.json", b"{not json", RejectionReason.MALFORMED),
        ("scalar.json", b"42", RejectionReason.MALFORMED),
    ],
)
def test_bad_file_is_rejected_with_its_reason(
    tmp_path: Path, name: str, content: bytes, reason: RejectionReason
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    corpus = _ingest(path)
    assert corpus.articles == ()
    (rejection,) = corpus.rejections
    assert rejection.item == str(path)
    assert rejection.reason is reason
    assert rejection.detail


def test_oversized_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    corpus = _ingest(path, config=IngestConfig(max_file_bytes=100))
    assert corpus.rejections[0].reason is RejectionReason.OVERSIZED
    assert "500 bytes" in corpus.rejections[0].detail


def test_jsonl_broken_line_is_rejected_and_the_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {"id": "g1", "text": "A good article.", "date": "2020-01-02", "source": "Wire"}
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                '{"id": "g2", "text": "unterminated',
                json.dumps({"id": "g3", "text": "Another one.", "date": "2020-01-03T10:00:00Z"}),
                json.dumps({"id": "g4", "text": "Bad date.", "date": "tomorrow"}),
                json.dumps({"id": "g5", "text": ""}),
                json.dumps({"id": "g1", "text": "Same id again."}),
                json.dumps(["not", "an", "object"]),
            ]
        ),
        encoding="utf-8",
    )
    corpus = _ingest(path)
    assert [a.id for a in corpus.articles] == ["g1", "g3"]
    assert corpus.articles[0].source == "Wire"
    assert corpus.articles[1].published == dt.date(2020, 1, 3)
    reasons = {r.item: r.reason for r in corpus.rejections}
    assert reasons == {
        f"{path}:2": RejectionReason.MALFORMED,
        f"{path}:4": RejectionReason.BAD_DATE,
        f"{path}:5": RejectionReason.EMPTY_TEXT,
        f"{path}:6": RejectionReason.DUPLICATE_ID,
        f"{path}:7": RejectionReason.MALFORMED,
    }
    duplicate = next(r for r in corpus.rejections if r.reason is RejectionReason.DUPLICATE_ID)
    assert f"{path}:1" in duplicate.detail


def test_json_list_and_configurable_field_names(tmp_path: Path) -> None:
    path = tmp_path / "docs.json"
    records = [
        {"uid": "x1", "body": "First body.", "when": "2021-06-01", "outlet": "Gazette"},
        {"uid": "x2", "body": "Second body.", "headline": "Title two"},
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    fields = FieldNames(id="uid", text="body", date="when", source="outlet", title="headline")
    corpus = _ingest(path, config=IngestConfig(fields=fields))
    assert [a.id for a in corpus.articles] == ["x1", "x2"]
    assert corpus.articles[0].source == "Gazette"
    assert corpus.articles[0].published == dt.date(2021, 6, 1)
    assert corpus.articles[1].title == "Title two"
    assert corpus.articles[1].origin == f"{path}[1]"


def test_directory_and_glob_mix_formats_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(" date 2020-01-01 B text.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_text('{"id": "j", "text": "J text."}\n', encoding="utf-8")
    (tmp_path / "c.txt").write_text("C text.", encoding="utf-8")
    corpus = _ingest(tmp_path)
    assert [a.id for a in corpus.articles] == ["b", "c", "j"]
    by_glob = _ingest(str(tmp_path / "*.txt"), tmp_path / "b.txt")
    assert [a.id for a in by_glob.articles] == ["b", "c"], "a file named twice is read once"


def test_missing_path_and_empty_glob_are_rejections(tmp_path: Path) -> None:
    corpus = _ingest(tmp_path / "nope.txt", str(tmp_path / "*.zzz"))
    assert [r.reason for r in corpus.rejections] == [
        RejectionReason.NOT_FOUND,
        RejectionReason.NOT_FOUND,
    ]


def test_crlf_is_normalised_so_offsets_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(b" date 2020-02-02 One.\r\n\r\nTwo.")
    (article,) = _ingest(path).articles
    assert article.text == "One.\n\nTwo."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-05-30", dt.date(2017, 5, 30)),
        ("2017-05-30T12:00:00Z", dt.date(2017, 5, 30)),
        ("2017-05-30 08:15:00+02:00", dt.date(2017, 5, 30)),
        ("2017-02-30", None),
        ("30/05/2017", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_labelled_article_reads_inline_text_or_a_seed_file(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "s.txt").write_text(" date 2017-05-30 Seed text.", encoding="utf-8")
    ingestor = FileIngestor()
    inline = labelled_article({"id": "x", "text": "Inline."}, shared=tmp_path, ingestor=ingestor)
    assert inline is not None
    assert (inline.text, inline.published) == ("Inline.", None)
    seed = labelled_article(
        {"id": "y", "seed": "seeds/s.txt", "source": "Wire"}, shared=tmp_path, ingestor=ingestor
    )
    assert seed is not None
    assert (seed.text, seed.published, seed.source) == ("Seed text.", dt.date(2017, 5, 30), "Wire")
    missing = {"id": "z", "seed": "seeds/absent.txt"}
    assert labelled_article(missing, shared=tmp_path, ingestor=ingestor) is None


# -- No item stops a run (issue 8, point 4) ------------------------------------------------


@pytest.mark.parametrize("field", ["text", "title", "id", "source", "date", "url"])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_lone_surrogate_in_a_field_is_undecodable(tmp_path: Path, field: str, suffix: str) -> None:
    record = {"id": "a", "text": "Text.", "title": "T", "source": "S", "date": "2020-01-01"}
    record[field] = "x\ud800y"
    path = tmp_path / f"feed{suffix}"
    path.write_text(json.dumps(record), encoding="utf-8")  # ensure_ascii writes "\ud800"
    assert "\\ud800" in path.read_text(encoding="utf-8")
    corpus = _ingest(path)
    assert corpus.articles == ()
    (rejection,) = corpus.rejections
    assert rejection.reason is RejectionReason.UNDECODABLE
    assert f"field '{field}'" in rejection.detail
    assert "U+D800" in rejection.detail
    rejection.detail.encode("utf-8")  # printable: the surrogate is named, not copied


def test_lone_surrogate_in_a_field_not_read_keeps_the_article(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "text": "Fine text.", "extra": "\\udfff"}\n', encoding="utf-8")
    (article,) = _ingest(path).articles
    assert article.text == "Fine text."


def test_a_surrogate_pair_is_one_character_not_a_rejection(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a", "text": "Smile \\ud83d\\ude00."}\n', encoding="utf-8")
    (article,) = _ingest(path).articles
    assert article.text == "Smile \U0001f600."


def test_json_nested_too_deeply_is_malformed(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    lines = tmp_path / "deep.jsonl"
    lines.write_text(
        '{"id": "ok", "text": "Kept."}\n{"x": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
        encoding="utf-8",
    )
    corpus = _ingest(deep, lines)
    assert [a.id for a in corpus.articles] == ["ok"]
    assert [(r.item, r.reason) for r in corpus.rejections] == [
        (str(deep), RejectionReason.MALFORMED),
        (f"{lines}:2", RejectionReason.MALFORMED),
    ]
    assert all("nested too deeply" in r.detail for r in corpus.rejections)


def test_integer_beyond_the_int_string_limit_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(
        '{"id": ' + "9" * 5000 + ', "text": "Huge id."}\n{"id": 12, "text": "Small id."}\n',
        encoding="utf-8",
    )
    corpus = _ingest(path)
    assert [a.id for a in corpus.articles] == ["12"]
    (rejection,) = corpus.rejections
    assert (rejection.item, rejection.reason) == (f"{path}:1", RejectionReason.MALFORMED)
    assert "number" in rejection.detail


@pytest.mark.parametrize("value", [True, 1.5, [1], {"a": 1}])
def test_field_of_another_json_type_is_malformed(tmp_path: Path, value: object) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"id": "a", "text": "Words.", "title": value}), encoding="utf-8")
    (rejection,) = _ingest(path).rejections
    assert rejection.reason is RejectionReason.MALFORMED
    assert "field 'title'" in rejection.detail


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59+14:00"])
def test_extreme_dates_are_articles(tmp_path: Path, date: str) -> None:
    path = tmp_path / "edge.jsonl"
    path.write_text(json.dumps({"id": "e", "text": "At the edge.", "date": date}), encoding="utf-8")
    (article,) = _ingest(path).articles
    assert article.published == dt.date.fromisoformat(date[:10])


@pytest.mark.parametrize("value", ["0000-01-01", "\u0662\u0660\u0661\u0667-05-30", "99999-01-01"])
def test_dates_outside_the_calendar_or_not_ascii_are_not_dates(value: str) -> None:
    assert parse_date(value) is None


# -- Nothing lost (issue 8, point 5) -------------------------------------------------------


def _reasons(corpus: Corpus) -> dict[str, RejectionReason]:
    return {rejection.item: rejection.reason for rejection in corpus.rejections}


def test_fifo_is_not_a_regular_file_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text("Words.", encoding="utf-8")
    # Opening a FIFO for reading without a writer would block this test forever.
    assert _reasons(_ingest(fifo)) == {str(fifo): RejectionReason.NOT_A_REGULAR_FILE}
    corpus = _ingest(tmp_path)
    assert [a.id for a in corpus.articles] == ["a"]
    assert _reasons(corpus) == {str(fifo): RejectionReason.NOT_A_REGULAR_FILE}
    assert "FIFO" in corpus.rejections[0].detail


def test_socket_and_device_are_not_regular_files(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        corpus = _ingest(path, "/dev/null")
    assert _reasons(corpus) == {
        str(path): RejectionReason.NOT_A_REGULAR_FILE,
        "/dev/null": RejectionReason.NOT_A_REGULAR_FILE,
    }


def test_symlinks_loop_and_dangling_named_or_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Words.", encoding="utf-8")
    loop_a, loop_b = tmp_path / "loop-a.txt", tmp_path / "loop-b.txt"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "missing.txt")
    back = tmp_path / "sub"
    back.mkdir()
    (back / "up").symlink_to(tmp_path)
    (back / "link.txt").symlink_to(tmp_path / "a.txt")
    named = _ingest(loop_a, dangling)
    assert _reasons(named) == {
        str(loop_a): RejectionReason.SYMLINK_LOOP,
        str(dangling): RejectionReason.DANGLING_SYMLINK,
    }
    assert "missing.txt" in named.rejections[1].detail
    found = _ingest(tmp_path)
    assert [a.id for a in found.articles] == ["a"], "a file reached twice is read once"
    assert _reasons(found) == {
        str(dangling): RejectionReason.DANGLING_SYMLINK,
        str(loop_a): RejectionReason.SYMLINK_LOOP,
        str(loop_b): RejectionReason.SYMLINK_LOOP,
        str(back / "up"): RejectionReason.SYMLINK_LOOP,
    }


def test_symlinked_directory_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "x.txt").write_text("Words.", encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real)
    corpus = _ingest(top)
    assert [a.origin for a in corpus.articles] == [str(top / "linked" / "x.txt")]


def test_empty_directories_given_or_found(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "hollow").mkdir()
    (tmp_path / "full" / "a.txt").write_text("Words.", encoding="utf-8")
    assert _reasons(_ingest(empty)) == {str(empty): RejectionReason.EMPTY_DIRECTORY}
    corpus = _ingest(tmp_path)
    assert [a.id for a in corpus.articles] == ["a"]
    assert _reasons(corpus) == {
        str(empty): RejectionReason.EMPTY_DIRECTORY,
        str(tmp_path / "full" / "hollow"): RejectionReason.EMPTY_DIRECTORY,
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.json", "[]"),
        ("blank.json", " \n"),
        ("empty.jsonl", ""),
        ("blank-lines.jsonl", "\n  \n\n"),
    ],
)
def test_file_without_articles_is_no_articles(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    corpus = _ingest(path)
    assert corpus.articles == ()
    assert _reasons(corpus) == {str(path): RejectionReason.NO_ARTICLES}


def test_existing_file_with_glob_characters_is_read_as_that_file(tmp_path: Path) -> None:
    literal = tmp_path / "a[1].txt"
    literal.write_text("The literal file.", encoding="utf-8")
    (tmp_path / "a1.txt").write_text("What the glob would match.", encoding="utf-8")
    corpus = _ingest(literal)
    assert [a.text for a in corpus.articles] == ["The literal file."]
    assert corpus.rejections == ()
    as_pattern = _ingest(str(tmp_path / "a[0-9].txt"))
    assert [a.id for a in as_pattern.articles] == ["a1"], "a name that does not exist is a glob"


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop reads")
def test_unreadable_file_and_subdirectory(tmp_path: Path) -> None:
    locked_file = tmp_path / "locked.txt"
    locked_file.write_text("Secret.", encoding="utf-8")
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    (locked_dir / "inside.txt").write_text("Hidden.", encoding="utf-8")
    locked_file.chmod(0)
    locked_dir.chmod(0)
    try:
        corpus = _ingest(tmp_path)
    finally:
        locked_dir.chmod(0o755)
        locked_file.chmod(0o644)
    assert _reasons(corpus) == {
        str(locked_dir): RejectionReason.UNREADABLE,
        str(locked_file): RejectionReason.UNREADABLE,
    }


def test_unreadable_file_and_subdirectory_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above by denying access in ``os`` itself, so that it also runs as root."""
    locked_file = tmp_path / "locked.txt"
    locked_file.write_text("Secret.", encoding="utf-8")
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    (locked_dir / "inside.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "open.txt").write_text("Public.", encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def denying_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path) == locked_file:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    def denying_scandir(path: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
        if Path(path) == locked_dir:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", denying_open)
    monkeypatch.setattr(os, "scandir", denying_scandir)
    corpus = _ingest(tmp_path)
    assert [a.id for a in corpus.articles] == ["open"]
    assert _reasons(corpus) == {
        str(locked_dir): RejectionReason.UNREADABLE,
        str(locked_file): RejectionReason.UNREADABLE,
    }
    assert all(r.detail == "Permission denied" for r in corpus.rejections)


def test_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_text("Words.", encoding="utf-8")
    (article,) = _ingest(tmp_path).articles
    assert article.id == "caf\\xe9"
    assert article.origin.endswith("caf\\xe9.txt")
    article.origin.encode("utf-8")


def test_an_unexpected_failure_on_one_file_is_a_processing_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    ingestor = FileIngestor()
    from_text = ingestor._from_text

    def failing_on_a(path: Path, text: str) -> object:
        if path.name == "a.txt":
            raise ValueError("unexpected")
        return from_text(path, text)

    monkeypatch.setattr(ingestor, "_from_text", failing_on_a)
    corpus = ingestor.ingest([tmp_path])
    assert [a.id for a in corpus.articles] == ["b"]
    (rejection,) = corpus.rejections
    assert (rejection.item, rejection.reason) == (
        str(tmp_path / "a.txt"),
        RejectionReason.PROCESSING_ERROR,
    )
    assert rejection.detail == "stage 'ingest': ValueError: unexpected"
