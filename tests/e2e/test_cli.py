"""The real CLI, run as a subprocess on real files."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import shared_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TXT = ROOT / "examples" / "harbor-bridge" / "txt"
EXAMPLE_JSONL = ROOT / "examples" / "harbor-bridge.jsonl"
SEEDS = shared_path("seeds")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def digest_json(*args: str | Path) -> dict:  # type: ignore[type-arg]
    result = run("digest", *args, "--format", "json", "--quiet")
    assert result.returncode == 0, result.stderr
    data: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return data


def test_example_corpus_digest_in_markdown() -> None:
    result = run("digest", EXAMPLE_TXT, "--words", "150", "--quiet")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# storyline digest")
    assert "## Summary (150 words at most)" in out
    assert "## Sources" in out
    assert "## Rejected items (0)" in out
    summary = out.split("## Summary")[1].split("## Sources")[0]
    bullets = [line for line in summary.splitlines() if line.startswith("- ")]
    assert bullets, "the summary has sentences"
    assert all(line.rstrip().endswith("]") for line in bullets), "every sentence is cited"


def test_txt_and_jsonl_forms_hold_the_same_articles() -> None:
    from_txt = digest_json(EXAMPLE_TXT, "--words", "120")
    from_jsonl = digest_json(EXAMPLE_JSONL, "--words", "120")
    for data in (from_txt, from_jsonl):
        assert data["rejected"] == []
        assert data["stories"][0]["summary"]["sentences"]

    def dated(data: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [(a["id"], a["published"]) for a in data["articles"]]

    assert dated(from_txt) == dated(from_jsonl)
    outlets = {a["source"] for a in from_jsonl["articles"]}
    assert len(outlets) >= 6, "the JSONL form names the outlets"


def test_example_corpus_names_the_earliest_wire_copy() -> None:
    answers = json.loads((ROOT / "examples" / "harbor-bridge" / "answers.json").read_text())
    data = digest_json(EXAMPLE_JSONL, "--words", "120")
    groups = data["stories"][0]["duplicates"]
    expected = answers["syndicated"]
    assert {"canonical": expected["canonical"], "copies": expected["copies"]} in groups


def test_output_is_deterministic_and_written_to_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for target in (first, second):
        result = run("digest", EXAMPLE_TXT, "--format", "json", "-o", target, "--quiet")
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
    assert _without_run(first) == _without_run(second)


def _without_run(path: Path) -> dict[str, object]:
    return {k: v for k, v in json.loads(path.read_text()).items() if k != "run"}


def test_timings_live_in_the_run_section_that_no_timings_leaves_out(tmp_path: Path) -> None:
    data = digest_json(EXAMPLE_TXT)
    assert "timings" not in data
    assert list(data)[-1] == "run"
    assert set(data["run"]["timings"]) >= {"segment", "dedup", "facts", "select"}
    assert "run" not in digest_json(EXAMPLE_TXT, "--no-timings")
    config = tmp_path / "storyline.toml"
    config.write_text("[report]\ntimings = false\n", encoding="utf-8")
    assert "run" not in digest_json(EXAMPLE_TXT, "--config", config)
    html = run("digest", EXAMPLE_TXT, "--quiet", "--format", "html")
    assert html.returncode == 0, html.stderr
    assert "Stage times" in html.stdout
    assert (
        "Stage times"
        not in run("digest", EXAMPLE_TXT, "-q", "--format", "html", "--no-timings").stdout
    )
    section = run("timeline", EXAMPLE_TXT, "--quiet", "--format", "json", "--no-timings")
    assert section.returncode == 0, section.stderr
    assert "run" not in json.loads(section.stdout)


def test_same_input_gives_the_same_bytes_whatever_the_order_or_hash_seed(
    tmp_path: Path,
) -> None:
    paths = sorted(EXAMPLE_TXT.glob("*.txt"))
    outputs: dict[str, list[bytes]] = {}
    for seed, order in (("0", paths), ("12345", paths[::-1])):
        for form in ("markdown", "json", "html"):
            target = tmp_path / f"{seed}.{form}"
            options = ("--format", form, "--no-timings", "--quiet", "-o", str(target))
            result = subprocess.run(
                [sys.executable, "-m", "storyline", "digest", *map(str, order), *options],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
                env=os.environ | {"PYTHONHASHSEED": seed},
            )
            assert result.returncode == 0, result.stderr
            outputs.setdefault(form, []).append(target.read_bytes())
    for form, (first, second) in outputs.items():
        assert first == second, f"{form} differs with the hash seed or the path order"


def test_a_single_article_gets_its_own_lead_sentences(tmp_path: Path) -> None:
    article = tmp_path / "one.txt"
    article.write_text("Storm hits the coast.\nPower is out in the city.\n", encoding="utf-8")
    data = digest_json(article, "--words", "5")
    sentences = data["stories"][0]["summary"]["sentences"]
    assert [s["text"] for s in sentences] == ["Storm hits the coast."]
    markdown = run("digest", article, "--quiet")
    assert "No sentence could be selected" not in markdown.stdout
    assert "- Storm hits the coast. [1]\n- Power is out in the city. [1]" in markdown.stdout


def test_terminal_output_carries_no_bidi_or_escape_controls(tmp_path: Path) -> None:
    odd = tmp_path / "a\u202eb\x1b[31m.txt"
    odd.write_text("", encoding="utf-8")
    result = run("digest", odd, "--quiet")
    assert result.returncode == 1
    assert "ab[31m.txt" in result.stdout, "the rejected item is listed"
    missing = run("digest", EXAMPLE_TXT, "--config", tmp_path / "c\u202ed\x1b[2J.toml")
    assert missing.returncode == 2
    assert "cd[2J.toml" in missing.stderr
    for text in (result.stdout, result.stderr, missing.stderr):
        assert not any(ch in text for ch in "\u202e\x1b")


@pytest.mark.parametrize(
    ("unit", "limit"), [("--words", "60"), ("--bytes", "400"), ("--sentences", "2")]
)
def test_budget_is_respected(unit: str, limit: str) -> None:
    data = digest_json(EXAMPLE_TXT, unit, limit)
    texts = [s["text"] for s in data["stories"][0]["summary"]["sentences"]]
    cost = {
        "--words": sum(len(t.split()) for t in texts),
        "--bytes": len("\n".join(texts).encode()),
        "--sentences": len(texts),
    }[unit]
    assert 0 < cost <= int(limit)


def test_bad_items_are_listed_and_good_articles_digested(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))
    (tmp_path / "baddate.txt").write_text(" date 2021-99-01 Some text here.", encoding="utf-8")
    good = (EXAMPLE_TXT).glob("*.txt")
    for path in sorted(good)[:3]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "text": "The council met on Monday to discuss the harbour."}),
        "{broken",
        json.dumps({"id": "j2", "text": "The council voted to reopen the harbour road."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    data = digest_json(tmp_path, "--words", "80")
    rejected = {Path(r["item"]).name: r["reason"] for r in data["rejected"]}
    assert rejected == {
        "empty.txt": "empty-text",
        "binary.txt": "undecodable",
        "baddate.txt": "bad-date",
        "feed.jsonl:2": "malformed",
    }
    assert len(data["articles"]) == 5
    markdown = run("digest", tmp_path, "--quiet")
    assert markdown.returncode == 0
    assert "## Rejected items (4)" in markdown.stdout
    assert "feed.jsonl:2`: malformed" in markdown.stdout


def test_usage_error_exits_2_with_one_line() -> None:
    result = run("digest", EXAMPLE_TXT, "--words", "ten")
    assert result.returncode == 2
    assert "must be a positive integer" in result.stderr
    assert "Traceback" not in result.stderr
    both = run("digest", EXAMPLE_TXT, "--words", "5", "--bytes", "5")
    assert both.returncode == 2


def test_unknown_config_key_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[select]\nmethd = "lead"\n', encoding="utf-8")
    result = run("digest", EXAMPLE_TXT, "--config", config)
    assert result.returncode == 2
    assert "unknown config key 'select.methd'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_usable_article_exits_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("digest", tmp_path, "--quiet")
    assert result.returncode == 1
    assert "no usable article" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run("digest", tmp_path, "--quiet", "--debug")
    assert "Traceback" in debug.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seeds not found at {SEEDS}")
def test_seeds_digest_cites_every_carrier_within_budget() -> None:
    data = digest_json(SEEDS, "--words", "100")
    sentences = data["stories"][0]["summary"]["sentences"]
    assert sum(len(s["text"].split()) for s in sentences) <= 100
    facts = [s["fact_id"] for s in sentences]
    assert len(facts) == len(set(facts)), "no fact is stated twice"
    published = {a["id"]: a["published"] for a in data["articles"]}
    assert published == {
        "000_efdf624d9a0f06d2": "2017-05-30",
        "001_a25e4f94ef6d72b0": "2017-05-30",
        "004_398f97218536d7fd": "2017-06-02",
    }
    texts = {
        a["id"]: (SEEDS / f"{a['id']}.txt").read_text(encoding="utf-8") for a in data["articles"]
    }
    for sentence in sentences:
        cited = {c["article_id"] for c in sentence["citations"]}
        carriers = {aid for aid, text in texts.items() if sentence["text"] in text}
        assert carriers <= cited, f"{sentence['text']!r} is carried by {carriers}, cited {cited}"


# -- Issue 8: no item stops a run, nothing is lost, output written atomically, config ranges --


def _copy_example(target: Path, count: int = 3) -> None:
    for path in sorted(EXAMPLE_TXT.glob("*.txt"))[:count]:
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")


def test_crash_items_become_rejections_and_the_output_is_written(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    _copy_example(corpus)
    (corpus / "surrogate.jsonl").write_text(
        '{"id": "s", "text": "Broken \\ud800 text."}\n', encoding="utf-8"
    )
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (corpus / "huge.jsonl").write_text(
        '{"id": ' + "7" * 5000 + ', "text": "Huge."}\n', encoding="utf-8"
    )
    (corpus / "nothing.json").write_text("[]", encoding="utf-8")
    (corpus / "hollow").mkdir()
    (corpus / "gone.txt").symlink_to(corpus / "missing.txt")
    os.mkfifo(corpus / "pipe.jsonl")
    output = tmp_path / "digest.md"
    output.write_text("previous digest\n", encoding="utf-8")
    result = run("digest", corpus, "a[1].txt-absent", "--quiet", "-o", output)
    assert result.returncode == 0, result.stderr
    markdown = output.read_text(encoding="utf-8")
    assert "## Rejected items (8)" in markdown
    for reason in (
        "undecodable",
        "malformed",
        "no-articles",
        "empty-directory",
        "dangling-symlink",
        "not-a-regular-file",
        "not-found",
    ):
        assert f": {reason}: " in markdown, reason


def test_failed_write_leaves_the_existing_output_whole(tmp_path: Path) -> None:
    """A write that fails halfway (file size limit) neither truncates nor replaces ``-o``."""
    output = tmp_path / "digest.json"
    output.write_text('{"previous": "digest"}\n', encoding="utf-8")

    def limit_file_size() -> None:  # Python ignores SIGXFSZ: the write fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline",
            "digest",
            str(EXAMPLE_TXT),
            "--format",
            "json",
            "--quiet",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        preexec_fn=limit_file_size,
    )
    assert result.returncode == 1
    assert f"cannot write {output}" in result.stderr
    assert output.read_text(encoding="utf-8") == '{"previous": "digest"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.json"], "no temporary left"


def test_output_replaced_keeps_the_mode_of_the_file(tmp_path: Path) -> None:
    output = tmp_path / "digest.md"
    output.write_text("old\n", encoding="utf-8")
    output.chmod(0o640)
    result = run("digest", EXAMPLE_TXT, "--quiet", "-o", output)
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith("# storyline digest")
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[dedup]\nshingle_size = 0\n",
            "The 'dedup.shingle_size' parameter of the configuration must be an int in the "
            "range [1, 64]. Got 0 instead.",
        ),
        ("[ingest]\nmax_text_chars = -5\n", "Got -5 instead."),
        ("[dedup]\narticle_similarity = nan\n", "Got nan instead."),
    ],
)
def test_setting_out_of_range_exits_2_with_one_line(
    tmp_path: Path, toml: str, message: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml, encoding="utf-8")
    result = run("digest", EXAMPLE_TXT, "--config", config, "--quiet")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _corpus_with_an_article_dated(tmp_path: Path, date: str) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    _copy_example(corpus)
    (corpus / "edge.jsonl").write_text(
        json.dumps(
            {"id": "edge", "text": "The mayor spoke on Monday. Repairs began.", "date": date}
        )
        + "\n",
        encoding="utf-8",
    )
    return corpus


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_an_article_at_the_ends_of_the_calendar_never_stops_the_digest(
    tmp_path: Path, date: str
) -> None:
    """Digested, or at worst rejected as a processing error while the others are digested."""
    data = digest_json(_corpus_with_an_article_dated(tmp_path, date), "--words", "80")
    assert data["stories"][0]["summary"]["sentences"]
    kept = {a["id"] for a in data["articles"]}
    assert len(kept) + len(data["rejected"]) == 4, "every article accounted for"
    if "edge" not in kept:
        (rejection,) = data["rejected"]
        assert rejection["reason"] == "processing-error"
        assert rejection["detail"].startswith("stage '")


@pytest.mark.parametrize(
    "date",
    [
        "0001-01-01",
        "9999-12-31",
    ],
)
def test_an_article_at_the_ends_of_the_calendar_is_digested(tmp_path: Path, date: str) -> None:
    data = digest_json(_corpus_with_an_article_dated(tmp_path, date), "--words", "80")
    assert data["rejected"] == []
    assert {a["id"]: a["published"] for a in data["articles"]}["edge"] == date


def test_json_with_workers_is_the_json_of_one_process(tmp_path: Path) -> None:
    """Beside the workers the CLI writes the long lists while it waits (and the entities
    worker finds the disagreements): the same report as one process writes."""
    texts = {}
    for name, setting in (("workers", "workers_from_chars = 0"), ("alone", "workers = false")):
        config = tmp_path / f"{name}.toml"
        config.write_text(f"[pipeline]\n{setting}\n", encoding="utf-8")
        output = tmp_path / f"{name}.json"
        result = run(
            "digest", EXAMPLE_TXT, "--format", "json", "--quiet", "--config", config, "-o", output
        )
        assert result.returncode == 0, result.stderr
        text = output.read_text(encoding="utf-8")
        data = json.loads(text)
        assert data["stories"][0]["quotes"]
        assert data["stories"][0]["disagreements"]
        assert "run" in data
        texts[name] = text[: text.rindex('"run"')]  # the stage times differ
    assert texts["workers"] == texts["alone"]
