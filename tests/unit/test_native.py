"""The compiled stages (storyline.native): used only when built from the current sources, and
giving the same digests as the Python modules they are compiled from."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from storyline import native
from storyline.config import load_config
from storyline.registry import build_pipeline
from storyline.text.sentences import RuleSegmenter
from tests.builders import ROOT, SHARED, shared_path

PACKAGE = ROOT / "src" / "storyline"


def _fake_package(root: Path) -> Path:
    package = root / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "compiled.py").write_text(
        "import os\nfrom pkg.sub import helper\nfrom pkg import model as m\n"
    )
    (package / "sub" / "helper.py").write_text("from pkg.leaf import X\n")
    (package / "leaf.py").write_text("X = 1\n")
    (package / "model.py").write_text("Y = 2\n")
    (package / "unrelated.py").write_text("Z = 3\n")
    return package


def test_the_sources_are_the_compiled_modules_and_what_they_import(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    names = [str(p.relative_to(package)) for p in native._sources(("pkg.compiled",), package)]
    # "from pkg import model" reads pkg/__init__.py too
    expected = ["__init__.py", "compiled.py", "leaf.py", "model.py", "sub/__init__.py"]
    assert names == [*expected, "sub/helper.py"]
    real = {str(p.relative_to(PACKAGE)) for p in native._sources()}
    assert {"digest/quotes.py", "digest/entities.py", "model.py"} <= real
    assert "cli.py" not in real
    assert "pipeline/__init__.py" not in real


def _manifest(package: Path, modules: tuple[str, ...]) -> Path:
    files = native._sources(modules, package)
    manifest = package / "manifest.json"
    sources = [str(p.relative_to(package)) for p in files]
    digest = native._digest(files, package)
    manifest.write_text(json.dumps({"digest": digest, "sources": sources, "modules": modules}))
    return manifest


def test_a_build_is_used_only_while_its_sources_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _fake_package(tmp_path)
    manifest = _manifest(package, ("pkg.compiled",))
    monkeypatch.delenv("STORYLINE_NATIVE", raising=False)
    assert native._current(manifest, package, ("pkg.compiled",))[0]
    usable, why = native._current(manifest, package, ("pkg.compiled", "pkg.leaf"))
    assert not usable  # a module more to compile than the build holds
    assert "other modules" in why
    (package / "unrelated.py").write_text("Z = 4\n")  # imported by nothing compiled
    assert native._current(manifest, package, ("pkg.compiled",))[0]
    (package / "leaf.py").write_text("X = 2\n")  # imported through sub.helper
    usable, why = native._current(manifest, package, ("pkg.compiled",))
    assert not usable
    assert "build it again" in why
    manifest = _manifest(package, ("pkg.compiled",))
    assert native._current(manifest, package, ("pkg.compiled",))[0]
    monkeypatch.setenv("STORYLINE_NATIVE", "0")
    assert native._current(manifest, package, ("pkg.compiled",)) == (False, "STORYLINE_NATIVE=0")


@pytest.mark.parametrize("content", [None, "{not json", "[]", '{"digest": "x"}'])
def test_a_missing_or_broken_manifest_means_no_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    monkeypatch.delenv("STORYLINE_NATIVE", raising=False)
    manifest = tmp_path / "manifest.json"
    if content is not None:
        manifest.write_text(content)
    usable, why = native._current(manifest, _fake_package(tmp_path))
    assert not usable
    assert why.startswith("not built") if content is None else why


def _built() -> bool:
    return os.environ.get("STORYLINE_NATIVE", "1") != "0" and native._current()[0]


needs_build = pytest.mark.skipif(not _built(), reason=native.status().splitlines()[0])


@needs_build
def test_the_current_build_is_what_the_packages_import() -> None:
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in native.COMPILED:
        module = importlib.import_module(name)
        assert module.__file__ is not None, name
        assert module.__file__.endswith(suffix), name
        assert "_compiled" in module.__file__, name
    assert "compiled" in native.status().splitlines()[1]


def _cli(arguments: list[str], *, compiled: bool) -> str:
    """What ``storyline ARGUMENTS`` prints, run with the compiled modules or the Python ones."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "STORYLINE_NATIVE": "1" if compiled else "0",
    }
    command = [sys.executable, "-m", "storyline", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _digest_json(inputs: list[Path], tmp_path: Path, *, compiled: bool) -> str:
    # workers from the first character: the quotes and entities cross a process boundary
    config = tmp_path / "workers.toml"
    config.write_text("[pipeline]\nworkers = true\nworkers_from_chars = 0\n")
    arguments = ["digest", *map(str, inputs), "--format", "json", "--no-timings"]
    return _cli([*arguments, "--config", str(config), "--quiet"], compiled=compiled)


@needs_build
def test_compiled_and_python_stages_give_the_same_digest(tmp_path: Path) -> None:
    """The example corpus (dated, quotes, disagreements) and 40 Multi-News val stories'
    documents as one pile (real text nobody here wrote), each digested by the real CLI with
    the compiled modules and with the Python ones: the same JSON."""
    inputs = [ROOT / "examples" / "harbor-bridge" / "txt"]
    multinews = shared_path("benchmarks", "multinews", "val250.jsonl")
    if multinews.is_file():
        pile = tmp_path / "pile.jsonl"
        with multinews.open(encoding="utf-8") as source, pile.open("w") as out:
            for _, line in zip(range(40), source, strict=False):
                for doc in json.loads(line)["docs"]:
                    article = {"id": doc["id"], "source": doc["id"], "text": doc["text"]}
                    out.write(json.dumps(article) + "\n")
        inputs.append(pile)
    else:
        print(f"Multi-News val250 not under {SHARED}: the example corpus only")
    for single in inputs:
        compiled = _digest_json([single], tmp_path, compiled=True)
        python = _digest_json([single], tmp_path, compiled=False)
        assert json.loads(compiled)["stories"], single
        assert compiled == python, single


@needs_build
def test_compiled_and_python_clusterers_find_the_same_stories(tmp_path: Path) -> None:
    """Every story of the UCI headlines and of the Multi-News val stories' full texts (news
    nobody here wrote), found with the compiled clusterer and with the Python one: the same
    stories, and the same scores."""
    datasets = [
        shared_path("benchmarks", "clustering", name)
        for name in ("uci_head6k.jsonl", "multinews_val250_stories.jsonl")
    ]
    if not any(dataset.is_file() for dataset in datasets):
        pytest.skip(f"no story-clustering file under {SHARED / 'benchmarks' / 'clustering'}")
    for dataset in datasets:
        if not dataset.is_file():
            print(f"{dataset} absent: not compared")
            continue
        outputs = []
        for compiled in (True, False):
            written = tmp_path / f"{dataset.stem}-{compiled}.jsonl"
            arguments = ["eval", "clustering", "--dataset", str(dataset), "--quiet"]
            printed = _cli([*arguments, "--output", str(written)], compiled=compiled)
            # the scores as printed, without the line that gives the clusterer's seconds
            scores = [line for line in printed.splitlines() if not line.startswith("clusterer:")]
            outputs.append((written.read_text(encoding="utf-8"), scores))
        assert outputs[0][0].count("\n") > 100, dataset
        assert outputs[0] == outputs[1], dataset


def test_a_build_without_the_native_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match=r"mypyc and setuptools missing: install the native"):
        native.build(force=True)


def test_the_public_frozen_dataclasses_of_compiled_modules_pickle_by_their_fields() -> None:
    """A compiled frozen dataclass unpickles by setting its attributes, which it refuses: each
    public one (any may cross a process boundary) pickles as a call of its class instead."""
    for name in native.COMPILED:
        for attribute, value in vars(importlib.import_module(name)).items():
            if (
                isinstance(value, type)
                and value.__module__ == name
                and not attribute.startswith("_")
                and dataclasses.is_dataclass(value)
                and value.__dataclass_params__.frozen  # type: ignore[attr-defined]
            ):
                assert "__reduce__" in vars(value), f"{name}.{attribute}"


def test_every_stage_of_the_default_pipeline_pickles() -> None:
    """The Dask engine ships the stages to its workers: compiled or not, each one comes back
    equal in what it holds (a frozen compiled dataclass cannot be unpickled by setting its
    attributes: RuleSegmenter pickles by its fields)."""
    pipeline = build_pipeline(load_config(None))
    for field in dataclasses.fields(pipeline):
        stage = getattr(pipeline, field.name)
        copy = pickle.loads(pickle.dumps(stage))
        assert type(copy) is type(stage), field.name
    segmenter = RuleSegmenter(abbreviations=("Pres",), max_chars=500)
    assert pickle.loads(pickle.dumps(segmenter)) == segmenter
