"""The real server for the web app's tests: ``python -m storyline serve`` on a free port of
127.0.0.1, started on a store the test fills, stopped (and killed if need be) at the end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from storyline.ingest.files import FileIngestor
from storyline.store import Store

__all__ = ["HOSTILE_ATTRIBUTE", "HOSTILE_SCRIPT", "fill_store", "running_server"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbor-bridge" / "txt"
HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_ATTRIBUTE = '" onmouseover="window.__pwned=1" x="'
_STARTS = 300  # tries, 0.1 s apart, for the server to answer


def fill_store(folder: Path) -> str:
    """A new SQLite store in ``folder`` with the harbor-bridge example (one story of 14
    articles) and a hostile story of two articles; its location."""
    location = str(folder / "store.db")
    hostile = folder / "hostile.json"
    text = (
        "The Quillon ferry board met on Friday to discuss the pier sign. "
        f"A sign read {HOSTILE_SCRIPT} at the ferry pier on Friday. "
        f"Officials said {HOSTILE_ATTRIBUTE} the ferry pier would reopen in June."
    )
    records = [
        {
            "id": f"hostile-{number}",
            "title": f'<img src=x onerror="window.__pwned=1">Ferry pier sign {number}',
            "source": f"Evil {HOSTILE_SCRIPT} News {number}",
            "date": f"2026-06-0{number}",
            "text": text + f" The board will meet again in {('July', 'August')[number - 1]}.",
        }
        for number in (1, 2)
    ]
    hostile.write_text(json.dumps(records), encoding="utf-8")
    with Store.open(location) as store:
        store.ingest(FileIngestor().ingest([EXAMPLE, hostile]))
    return location


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(store: str, *options: str, log: Path) -> Iterator[str]:
    """The base URL of ``storyline serve --store STORE OPTIONS`` while the block runs."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if k != "STORYLINE_TOKEN"}
    with log.open("w") as errors:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "storyline", "serve"),
                *("--store", store, "--port", str(port), *options),
            ],
            stdout=errors,
            stderr=errors,
            env=environment,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(_STARTS):
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()}")
            try:
                httpx.get(f"{base}/api/v1/openapi.json", timeout=2).raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the server did not answer in 30 s: {log.read_text()}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
