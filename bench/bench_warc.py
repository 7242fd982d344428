"""Benchmark: reading crawl files with warcio against FastWARC, in one process on the same files.

Input -> output: the real crawl files of the shared benchmark area
(``../shared/benchmarks/warc/``, or ``$STORYLINE_SHARED``) and synthetic WARC files this
script writes into a temporary directory with warcio's ``WARCWriter`` (fictional small HTML
pages, one ``response`` record each, after one ``warcinfo``), at two sizes (2,000 and 20,000
records unless ``--sizes`` says otherwise) and in three layouts: gzip per record, the same
records uncompressed, and the uncompressed file gzipped whole -> a table on stdout and a JSON
record (``bench/results/warc.json`` unless ``--output`` is given).

Every reader does the same work per record: its type, target URI and date; for an HTTP
record the status and the content type; and the whole body, de-chunked and content-decoded.
Measured per reader and file: wall and CPU seconds of the best of ``--repeats`` passes (the
readers take turns within each repeat), records per second, and, between the two synthetic
sizes, the log-log slope of the time (wall and CPU; 1.0 is linear growth), and each
reader's time against FastWARC's. The readers must agree on the
number of records and body bytes; a disagreement is printed and recorded.

The readers: warcio 1.8.1 (``ArchiveIterator`` over an open file, ``content_stream()``);
warcio over Python's ``gzip`` stream (the workaround for whole-file gzip, which warcio's own
reader refuses); FastWARC 2.0.1 (``ArchiveIterator(file, auto_decode="all")``); and
storyline's ``read_crawl`` (the chosen library plus storyline's checks: status,
content type, duplicates, revisits, truncation), to show what those checks cost.

A second table says what each library does with the cases a crawl reader has to get right:
an ARC file, a chunked transfer-encoded body, a gzip content-encoded body, per-record and
whole-file gzip, a revisit record, and a file that breaks off (``clipped.warc.gz``).

Usage: ``.venv/bin/python bench/bench_warc.py [--sizes 2000,20000] [--repeats 3]
[--output PATH]``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
try:
    import storyline  # noqa: F401  (installed package when available)
except ModuleNotFoundError:  # a plain checkout: use the sources beside this file
    sys.path.insert(0, str(REPO / "src"))

from storyline.ingest.warc import read_crawl  # noqa: E402  (after the path fallback above)

DEFAULT_OUTPUT = REPO / "bench" / "results" / "warc.json"
REAL_FILES = (
    "warcfile.warc.gz",
    "example.warc.gz",
    "example-iana.org-chunked.warc",
    "example.arc.gz",
    "clipped.warc.gz",
)
LAYOUTS = ("gzip per record", "uncompressed", "gzip whole file")

# Invented words for the fictional pages: no real text enters the synthetic crawl.
_WORDS = (
    "harbour council ferry bridge tender budget storm quay mayor vote tide lantern "
    "pier ward market rail depot festival archive clerk levy dredge beacon flood "
    "committee survey contract island pilot harbourmaster tariff inquiry shipyard"
).split()


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """What one pass over a file read: records, HTTP responses and decoded body bytes."""

    records: int
    responses: int
    body_bytes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    """The best of several passes of one reader over one file."""

    reader: str
    seconds: float
    cpu_seconds: float
    tally: Tally | None
    error: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "reader": self.reader,
            "seconds": round(self.seconds, 5),
            "cpu_seconds": round(self.cpu_seconds, 5),
            "records": self.tally.records if self.tally else None,
            "responses": self.tally.responses if self.tally else None,
            "body_bytes": self.tally.body_bytes if self.tally else None,
            "records_per_second": (
                round(self.tally.records / self.seconds) if self.tally and self.seconds else None
            ),
            "error": self.error,
        }


def _shared_root() -> Path:
    override = os.environ.get("STORYLINE_SHARED")
    return Path(override) if override else REPO.parent / "shared"


# ---------------------------------------------------------------------------- the readers


def read_warcio(path: Path) -> Tally:
    """Every record with warcio: type, URI, date, HTTP status and content type, whole body."""
    with path.open("rb") as handle:
        return _warcio_tally(handle)


def read_warcio_gzip_stream(path: Path) -> Tally:
    """warcio over a stream that Python's ``gzip`` decompresses (any gzip layout)."""
    with gzip.open(path, "rb") as handle:
        return _warcio_tally(handle)


def _warcio_tally(handle: io.BufferedIOBase) -> Tally:
    records = responses = body_bytes = 0
    for record in WarcioIterator(handle):
        records += 1
        record.rec_headers.get_header("WARC-Target-URI")
        record.rec_headers.get_header("WARC-Date")
        if record.http_headers is not None and record.rec_type in {"response", "revisit"}:
            responses += 1
            record.http_headers.get_statuscode()
            record.http_headers.get_header("Content-Type")
        body_bytes += len(record.content_stream().read())
    return Tally(records=records, responses=responses, body_bytes=body_bytes)


def read_fastwarc(path: Path) -> Tally:
    """Every record with FastWARC, HTTP bodies de-chunked and content-decoded."""
    records = responses = body_bytes = 0
    http_types = WarcRecordType.response | WarcRecordType.revisit
    # An open file rather than the path: given a path, FastWARC picks its decompression
    # from the file name's suffix (a per-record gzip file named .warc fails to read).
    with path.open("rb") as handle:
        for record in FastIterator(handle, auto_decode="all"):
            records += 1
            record.headers.get("WARC-Target-URI")
            record.headers.get("WARC-Date")
            if record.is_http and record.record_type & http_types:
                responses += 1
                _ = record.http_headers.status_code
                _ = record.http_content_type
            body_bytes += len(record.reader.read())
    return Tally(records=records, responses=responses, body_bytes=body_bytes)


def read_storyline(path: Path) -> Tally:
    """storyline's reader: every record ends as a page or a rejection."""
    records = pages = body_bytes = 0
    for item in read_crawl(path, origin=path.name):
        records += 1
        body = getattr(item, "body", None)
        if body is not None:
            pages += 1
            body_bytes += len(body)
    return Tally(records=records, responses=pages, body_bytes=body_bytes)


def _readers(with_gzip_stream: bool) -> dict[str, Callable[[Path], Tally]]:
    readers: dict[str, Callable[[Path], Tally]] = {"warcio": read_warcio}
    if with_gzip_stream:
        readers["warcio + gzip stream"] = read_warcio_gzip_stream
    readers["fastwarc"] = read_fastwarc
    readers["storyline read_crawl"] = read_storyline
    return readers


def time_readers(
    readers: dict[str, Callable[[Path], Tally]], path: Path, *, repeats: int, min_seconds: float
) -> list[Timing]:
    """The best of ``repeats`` passes per reader, the readers taking turns in each repeat.

    A pass that takes under ``min_seconds`` is repeated within the measurement until it
    does, and timed per pass, so that the tiny real files are not read off the timer's noise.
    """
    best: dict[str, tuple[float, float]] = {}
    tallies: dict[str, Tally | None] = {}
    errors: dict[str, str] = {}
    for _ in range(repeats):
        for name, read in readers.items():
            if name in errors:
                continue
            passes = 0
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            try:
                while True:
                    tally = read(path)
                    passes += 1
                    if time.perf_counter() - wall_start >= min_seconds:
                        break
            except Exception as error:  # a library's failure is a result here
                errors[name] = f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
                tallies[name] = None
                best[name] = (math.nan, math.nan)
                continue
            wall = (time.perf_counter() - wall_start) / passes
            cpu = (time.process_time() - cpu_start) / passes
            tallies[name] = tally
            previous = best.get(name)
            if previous is None or wall < previous[0]:
                best[name] = (wall, cpu)
    return [
        Timing(
            reader=name,
            seconds=best[name][0],
            cpu_seconds=best[name][1],
            tally=tallies[name],
            error=errors.get(name, ""),
        )
        for name in readers
    ]


# ---------------------------------------------------------------------------- synthetic crawls


def _page(rng: random.Random, number: int) -> bytes:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(40, 90))) + ".</p>\n"
        for _ in range(rng.randint(3, 8))
    )
    title = " ".join(rng.choice(_WORDS) for _ in range(6)).capitalize()
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head>\n<body><article><h1>{title}</h1>\n"
        f"<p class='byline'>Fictional desk, story {number}</p>\n{paragraphs}"
        "</article></body></html>\n"
    ).encode()


def write_crawl(path: Path, count: int, *, gzip_records: bool, seed: int = 9) -> None:
    """A WARC of one warcinfo and ``count`` 200 text/html responses of fictional pages."""
    rng = random.Random(seed)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_records)
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "storyline bench_warc"})
        )
        for number in range(count):
            body = _page(rng, number)
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                f"http://harbour-news.example/story/{number}",
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
            )
            writer.write_record(record)


def synthetic_files(directory: Path, sizes: Sequence[int]) -> Iterator[tuple[int, str, Path]]:
    for size in sizes:
        per_record = directory / f"synthetic-{size}.warc.gz"
        plain = directory / f"synthetic-{size}.warc"
        whole = directory / f"synthetic-{size}-whole.warc.gz"
        write_crawl(per_record, size, gzip_records=True)
        write_crawl(plain, size, gzip_records=False)
        whole.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=6))
        yield size, LAYOUTS[0], per_record
        yield size, LAYOUTS[1], plain
        yield size, LAYOUTS[2], whole


def slope(
    small: Timing, large: Timing, small_size: int, large_size: int, *, cpu: bool = False
) -> float | None:
    """The log-log slope of the time (wall, or CPU) between two sizes: 1.0 is linear."""
    if small.error or large.error:
        return None
    low, high = (small.cpu_seconds, large.cpu_seconds) if cpu else (small.seconds, large.seconds)
    if not low > 0 or not high > 0:
        return None
    return math.log(high / low) / math.log(large_size / small_size)


# ---------------------------------------------------------------------------- capabilities


def _first_error(error: Exception) -> str:
    return f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]}"


def _warcio_records(path: Path) -> list[tuple[str, int | None, bytes, int]]:
    """(type, HTTP status, decoded body, raw bytes missing from the block) per record."""
    found = []
    with path.open("rb") as handle:
        for record in WarcioIterator(handle):
            status = None
            if record.http_headers is not None and record.rec_type in {"response", "revisit"}:
                status = int(record.http_headers.get_statuscode() or 0)
            body = record.content_stream().read()
            missing = record.raw_stream.limit
            found.append((record.rec_type, status, body, missing))
    return found


def _fastwarc_records(path: Path) -> list[tuple[str, int | None, bytes, int]]:
    """The same with FastWARC; bytes missing = Content-Length minus the raw payload read."""
    found = []
    with path.open("rb") as handle:
        for record in FastIterator(handle, auto_decode="none"):
            status = record.http_headers.status_code if record.is_http else None
            raw = record.reader.read()
            missing = record.content_length - len(raw)
            if "Content-Length" not in record.headers:
                missing = -1  # the record's own headers break off
            found.append((str(record.record_type), status, raw, missing))
    return found


def _fastwarc_decoded(path: Path) -> list[tuple[str, bytes]]:
    with path.open("rb") as handle:
        return [
            (str(record.record_type), record.reader.read())
            for record in FastIterator(handle, auto_decode="all")
        ]


def _warcio_decoded(path: Path) -> list[tuple[str, bytes]]:
    return [(kind, body) for kind, _, body, _ in _warcio_records(path)]


def _check(test: Callable[[], str]) -> str:
    try:
        return test()
    except Exception as error:  # the library's failure is the finding
        return f"fails ({_first_error(error)})"


def capabilities(real: Path, scratch: Path) -> dict[str, dict[str, str]]:
    """What each library does with each case; ``real`` is the shared warc folder."""
    small_plain = scratch / "cases.warc"
    write_crawl(small_plain, 3, gzip_records=False)
    whole = scratch / "cases-whole.warc.gz"
    whole.write_bytes(gzip.compress(small_plain.read_bytes()))
    per_record = scratch / "cases.warc.gz"
    write_crawl(per_record, 3, gzip_records=True)

    def arc(decoded: Callable[[Path], list[tuple[str, bytes]]]) -> Callable[[], str]:
        def test() -> str:
            records = decoded(real / "example.arc.gz")
            pages = [body for _, body in records if body.lstrip().lower().startswith(b"<!doctype")]
            return f"yes: {len(records)} records, {len(pages)} HTML body"

        return test

    def chunked(decoded: Callable[[Path], list[tuple[str, bytes]]]) -> Callable[[], str]:
        def test() -> str:
            bodies = [b for kind, b in decoded(real / "example-iana.org-chunked.warc") if b]
            body = max(bodies, key=len)
            ok = body.lstrip().lower().startswith(b"<!doctype") and b"\r\n0\r\n" not in body
            return f"{'yes' if ok else 'NO'}: body of {len(body):,} bytes, chunk marks gone"

        return test

    def encoded(decoded: Callable[[Path], list[tuple[str, bytes]]]) -> Callable[[], str]:
        def test() -> str:
            bodies = [b for kind, b in decoded(real / "example.warc.gz") if kind == "response"]
            ok = bool(bodies) and bodies[0].lstrip().lower().startswith(b"<!doctype")
            return f"{'yes' if ok else 'NO'}: gzip body decoded to {len(bodies[0]):,} bytes"

        return test

    def layout(decoded: Callable[[Path], list[tuple[str, bytes]]], path: Path) -> Callable[[], str]:
        def test() -> str:
            records = decoded(path)
            return f"{'yes' if len(records) == 4 else 'NO'}: {len(records)} of 4 records"

        return test

    def revisit(decoded: Callable[[Path], list[tuple[str, bytes]]]) -> Callable[[], str]:
        def test() -> str:
            kinds = [kind for kind, _ in decoded(real / "example.warc.gz")]
            return f"yes: {kinds.count('revisit')} revisit record (headers only, no payload)"

        return test

    def clipped(
        records: Callable[[Path], list[tuple[str, int | None, bytes, int]]],
    ) -> Callable[[], str]:
        def test() -> str:
            found = records(real / "clipped.warc.gz")
            short = [missing for *_, missing in found if missing]
            return (
                f"no error: {len(found)} record, body of {len(found[0][2]):,} bytes; "
                f"the shortfall is visible ({short[0]:,} bytes)"
                if short
                else f"no error, shortfall not visible ({len(found)} records)"
            )

        return test

    result: dict[str, dict[str, str]] = {}
    for name, decoded, records in (
        ("warcio", _warcio_decoded, _warcio_records),
        ("fastwarc", _fastwarc_decoded, _fastwarc_records),
    ):
        result[name] = {
            "ARC file (example.arc.gz)": _check(arc(decoded)),
            "chunked body (example-iana.org-chunked.warc)": _check(chunked(decoded)),
            "gzip content-encoding (example.warc.gz)": _check(encoded(decoded)),
            "gzip per record": _check(layout(decoded, per_record)),
            "gzip whole file": _check(layout(decoded, whole)),
            "revisit record (example.warc.gz)": _check(revisit(decoded)),
            "truncated file (clipped.warc.gz)": _check(clipped(records)),
        }
    return result


# ---------------------------------------------------------------------------- report


def _fmt_rate(timing: Timing) -> str:
    if timing.error or timing.tally is None:
        return "fails"
    return f"{timing.tally.records / timing.seconds:,.0f}"


def _print_table(title: str, rows: list[tuple[str, str, Timing]]) -> None:
    print(f"\n{title}")
    print(f"  {'file':34} {'reader':22} {'records':>8} {'ms':>10} {'cpu ms':>10} {'rec/s':>10}")
    for file, _, timing in rows:
        if timing.error:
            print(f"  {file:34} {timing.reader:22} {'':>8} {'':>10} {'':>10} fails: {timing.error}")
            continue
        assert timing.tally is not None
        print(
            f"  {file:34} {timing.reader:22} {timing.tally.records:>8,} "
            f"{timing.seconds * 1e3:>10.2f} {timing.cpu_seconds * 1e3:>10.2f} "
            f"{_fmt_rate(timing):>10}"
        )


def _agreement(timings: Sequence[Timing]) -> str:
    """'' when the library readers agree on records and body bytes, else what differs."""
    seen = {
        (t.tally.records, t.tally.body_bytes)
        for t in timings
        if t.tally is not None and t.reader != "storyline read_crawl"
    }
    if len(seen) <= 1:
        return ""
    return "; ".join(
        f"{t.reader}: {t.tally.records} records, {t.tally.body_bytes} bytes"
        for t in timings
        if t.tally is not None
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="2000,20000", help="synthetic records per file")
    parser.add_argument("--repeats", type=int, default=3, help="best-of passes per reader")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    arguments = parser.parse_args(argv)
    sizes = sorted({int(size) for size in arguments.sizes.split(",")})
    record: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "versions": {"warcio": version("warcio"), "fastwarc": version("fastwarc")},
        "repeats": arguments.repeats,
    }
    real = _shared_root() / "benchmarks" / "warc"
    cpu_start = time.process_time()
    with tempfile.TemporaryDirectory(prefix="storyline-warc-") as scratch:
        work = Path(scratch)
        if real.is_dir():
            rows = []
            for name in REAL_FILES:
                path = real / name
                if not path.exists():
                    print(f"real file skipped: {path} is missing")
                    continue
                timings = time_readers(
                    _readers(False), path, repeats=arguments.repeats, min_seconds=0.05
                )
                rows += [(name, "real", timing) for timing in timings]
            _print_table("Real crawl files (each pass repeated for at least 50 ms)", rows)
            record["real"] = [{"file": file, **timing.record()} for file, _, timing in rows]
            record["capabilities"] = capabilities(real, work)
            print("\nWhat each library does with each case")
            for library, cases in record["capabilities"].items():
                for case, finding in cases.items():
                    print(f"  {library:9} {case:46} {finding}")
        else:
            print(f"real files and capabilities skipped: {real} is missing")

        synthetic: list[dict[str, Any]] = []
        rows = []
        by_key: dict[tuple[int, str, str], Timing] = {}
        for size, layout, path in synthetic_files(work, sizes):
            timings = time_readers(
                _readers(layout != "uncompressed"),
                path,
                repeats=arguments.repeats,
                min_seconds=0.0,
            )
            disagreement = _agreement(timings)
            label = f"{size:,} {layout} ({path.stat().st_size / 1e6:.1f} MB)"
            rows += [(label, layout, timing) for timing in timings]
            for timing in timings:
                by_key[(size, layout, timing.reader)] = timing
                synthetic.append(
                    {
                        "size": size,
                        "layout": layout,
                        "file_bytes": path.stat().st_size,
                        **timing.record(),
                    }
                )
            if disagreement:
                print(f"  readers disagree on {label}: {disagreement}")
        _print_table("Synthetic crawls (best of the repeats)", rows)
        record["synthetic"] = synthetic

    slopes: dict[str, dict[str, dict[str, float | None]]] = {}
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"\nGrowth: log-log slope of the time from {small:,} to {large:,} records (wall; CPU)"
        )
        for layout in LAYOUTS:
            slopes[layout] = {}
            for reader in _readers(True):
                pair = (by_key.get((small, layout, reader)), by_key.get((large, layout, reader)))
                if pair[0] is None or pair[1] is None:
                    continue
                wall = slope(pair[0], pair[1], small, large)
                cpu = slope(pair[0], pair[1], small, large, cpu=True)
                slopes[layout][reader] = {
                    "wall": None if wall is None else round(wall, 3),
                    "cpu": None if cpu is None else round(cpu, 3),
                }
                shown = "n/a" if wall is None or cpu is None else f"{wall:.2f}; {cpu:.2f}"
                print(f"  {layout:16} {reader:22} {shown}")
        print("\nTime against FastWARC's, largest size (wall; CPU)")
        ratios: dict[str, dict[str, dict[str, float]]] = {}
        for layout in LAYOUTS:
            fast = by_key.get((large, layout, "fastwarc"))
            ratios[layout] = {}
            for reader in ("warcio", "warcio + gzip stream", "storyline read_crawl"):
                other = by_key.get((large, layout, reader))
                if fast and other and not fast.error and not other.error:
                    wall = other.seconds / fast.seconds
                    cpu = other.cpu_seconds / fast.cpu_seconds
                    ratios[layout][reader] = {"wall": round(wall, 2), "cpu": round(cpu, 2)}
                    print(f"  {layout:16} {reader:22} {wall:.1f}x; {cpu:.1f}x")
        record["ratios_to_fastwarc"] = ratios
    record["slopes"] = slopes
    record["bench_cpu_seconds"] = round(time.process_time() - cpu_start, 2)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nbench CPU seconds: {record['bench_cpu_seconds']}")
    print(f"written: {arguments.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
