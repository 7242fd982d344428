"""Ingest: every item ends as an article or a rejection with its reason."""

from __future__ import annotations

import datetime as dt
import json
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
