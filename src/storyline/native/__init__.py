"""Compiled stages: the slowest modules built with mypyc, used only while current.

The stages that dominate a digest's time are Python run once per token, name or sentence:
quotes and entities (55-60% of a story worker's CPU, ``bench/README.md``), and in the main
process the fact grouping, copy detection, tokens and sentences; the story clusterer is the
store's ingest. mypyc (part of mypy, the
type checker this project is already clean under with ``--strict``) compiles such
type-annotated modules to C extensions; the same source then runs faster with the same output
(``bench/README.md``, "Compiled stages"). Nothing is rewritten by hand: the modules stay plain
Python, and without a build (no C compiler, ``pip install`` from a wheel,
``STORYLINE_NATIVE=0``) they run as such. What compiling asks of them: a protocol checked with
``isinstance`` is tested by a function instead (a compiled class is no protocol at run time),
a public stage class is marked ``allow_interpreted_subclasses`` so that programs can still
subclass it, and a public frozen dataclass pickles by its fields (:func:`storyline.model.by_fields`:
the Dask engine ships the stages and the store's reader process sends a batch's terms; a
compiled frozen dataclass cannot be unpickled by setting its attributes).

Compiled only where it was measured to pay (``bench/README.md``, "Compiled stages"): the
temporal tagger (its work is in ``re``), the disagreements and stance modules and the summary
selection (in NumPy and SciPy) were compiled too and ran no faster, so they stay Python.

**Build**: ``python -m storyline.native build`` (``make native``; needs the ``native`` extra,
mypy and setuptools, and a C compiler) compiles each module of :data:`COMPILED` in a process
of its own (two at a time), into ``storyline/_compiled/``, and writes
``_compiled/manifest.json`` with the digest of the package's sources it was built from.
``status`` says whether the build is in use and why not; ``clean`` removes it.

**Use**: :func:`search_path` puts a package's compiled directory before its source directory
in its ``__path__`` (``storyline.digest`` does this at import), so the import system finds the
extension first, **only when the manifest's digest is that of the sources now**: the compiled
modules and every module of the package they import (mypyc reads their types and may inline
their constants). A change to any of those leaves the build unused until it is built again, so
an edit is never hidden by a stale binary; reading them for the digest costs about a
millisecond per process.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

__all__ = ["COMPILED", "build", "search_path", "status"]

#: The modules compiled, each on its own (its own extension and shared library); each
#: package holding one puts its compiled directory on its ``__path__`` (:func:`search_path`).
COMPILED: tuple[str, ...] = (
    "storyline.digest.quotes",
    "storyline.digest.entities",
    "storyline.stories.facts",
    "storyline.stories.copies",
    "storyline.text.tokens",
    "storyline.text.sentences",
    "storyline.stories.clusters",
)

_PACKAGE = Path(__file__).resolve().parents[1]  # storyline/
_BUILD = _PACKAGE / "_compiled"
_MANIFEST = _BUILD / "manifest.json"
_SWITCH = "STORYLINE_NATIVE"  # "0": never use the build

# What the child process runs: mypyc's setuptools integration for one module, into a
# directory of our choosing (mypyc's own command line copies the result beside the source).
_COMPILE = """
import sys
from setuptools import Distribution
from mypyc.build import mypycify

source, build_lib, build_temp = sys.argv[1:4]
# no configuration file (the same build wherever the package lies); the modules' types are
# checked by mypy --strict on their own, and libraries without stubs are Any here
options = ["--config-file=", "--ignore-missing-imports"]
modules = mypycify([*options, source], opt_level="3", target_dir=build_temp + "/c")
distribution = Distribution({"name": "storyline-compiled", "ext_modules": modules})
command = distribution.get_command_obj("build_ext")
command.build_lib = build_lib
command.build_temp = build_temp
distribution.run_command("build_ext")
"""


def _sources(modules: tuple[str, ...] = COMPILED, package: Path = _PACKAGE) -> list[Path]:
    """The files of ``modules`` and of every module of the package they import, directly or
    not (read from their ``import`` statements): what mypyc reads the types of."""
    seen: set[Path] = set()
    pending = list(modules)
    while pending:
        module = pending.pop()
        parts = module.split(".")[1:]
        candidates = [package.joinpath(*parts).with_suffix(".py")] if parts else []
        candidates.append(package.joinpath(*parts, "__init__.py"))
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is None or path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
            if isinstance(node, ast.Import):
                pending.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # "from storyline.text import lexicon" may name a module or a name in one
                pending.append(node.module)
                pending.extend(f"{node.module}.{alias.name}" for alias in node.names)
        pending[:] = [name for name in pending if name.split(".")[0] == package.name]
    return sorted(seen)


def _digest(files: list[Path], package: Path = _PACKAGE) -> str:
    """The digest of ``files`` (their paths in the package and their bytes) and of the
    interpreter's version: what a build is valid for."""
    digest = hashlib.sha256(sys.version.encode())
    for path in files:
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _current(
    manifest: Path = _MANIFEST, package: Path = _PACKAGE, modules: tuple[str, ...] = COMPILED
) -> tuple[bool, str]:
    """Whether the build is usable now, and why (or why not)."""
    if os.environ.get(_SWITCH, "1") == "0":
        return False, f"{_SWITCH}=0"
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, "not built (python -m storyline.native build)"
    except (OSError, ValueError) as error:
        return False, f"unreadable manifest {manifest}: {error}"
    try:
        files = [package / name for name in recorded["sources"]]
        valid = recorded["digest"] == _digest(files, package)
    except (KeyError, TypeError, ValueError):
        valid = False
    if valid and recorded.get("modules") != list(modules):
        return False, "built for other modules: build it again (python -m storyline.native build)"
    if not valid:
        return False, "built from other sources: build it again (python -m storyline.native build)"
    return True, f"built {recorded.get('built', '?')} with mypy {recorded.get('mypy', '?')}"


@functools.cache
def _in_use() -> bool:
    """Whether the build is current, read once per process for the packages that ask."""
    return _current()[0]


def search_path(package: str, path: list[str]) -> list[str]:
    """``path`` (a package's ``__path__``) with the package's compiled directory first when
    the build is current (see the module docstring), else ``path`` itself."""
    compiled = _BUILD.joinpath(*package.split(".")[1:])
    if not compiled.is_dir() or not _in_use():
        return path
    return [str(compiled), *path]


def status() -> str:
    """One line per compiled module: where it is loaded from, and whether the build is used."""
    usable, why = _current()
    lines = [f"compiled build: {'in use' if usable else 'not used'} ({why})"]
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    for module in COMPILED:
        binary = _BUILD.joinpath(*module.split(".")[1:]).with_suffix(suffix)
        lines.append(f"  {module}: {'compiled' if usable and binary.exists() else 'Python'}")
    return "\n".join(lines)


def build(*, jobs: int = 2, force: bool = False) -> str:
    """Compile :data:`COMPILED` into ``_compiled/`` (see the module docstring); returns what
    was done. Raises :class:`RuntimeError` naming the module and the compiler's last lines
    when a module does not compile; the previous build is then left as it was."""
    files = _sources()
    digest = _digest(files)
    if not force and _current()[0]:
        return "compiled build up to date"
    missing = [name for name in ("mypyc", "setuptools") if importlib.util.find_spec(name) is None]
    if missing:
        raise RuntimeError(
            f"{' and '.join(missing)} missing: install the native extra "
            "(pip install -e '.[native]'; make native does)"
        )
    with tempfile.TemporaryDirectory(prefix="storyline-native-") as scratch:
        staged = Path(scratch) / "lib"

        def compile_one(module: str) -> None:
            source = Path(*module.split(".")).with_suffix(".py")
            temp = Path(scratch) / module
            result = subprocess.run(
                [sys.executable, "-c", _COMPILE, str(source), str(staged), str(temp)],
                cwd=_PACKAGE.parent,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
                raise RuntimeError(f"{module} did not compile:\n{tail}")

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(compile_one, module) for module in COMPILED]:
                future.result()
        if _digest(files) != digest:
            raise RuntimeError("the sources changed while compiling: build again")
        shutil.rmtree(_BUILD, ignore_errors=True)
        shutil.copytree(staged / _PACKAGE.name, _BUILD)
        manifest = {
            "digest": digest,
            "sources": [str(path.relative_to(_PACKAGE)) for path in files],
            "modules": list(COMPILED),
            "mypy": metadata.version("mypy"),
            "python": sys.version.split()[0],
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        _MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return f"compiled {', '.join(COMPILED)} into {_BUILD}"
