"""A fact grouper that kills the process it runs in, for the Dask engine's fault tests.

:class:`DyingIngestor` kills every worker that reads a file. Both are importable by the
Dask worker processes (they start with the test run's
``sys.path``), wraps the configured grouper, and kills its process with SIGKILL when it
groups the sentences of the article ``trigger``: once (the first time, leaving a marker
file, so the scheduler's retry on another worker succeeds) or every time.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from storyline.ingest.files import FileIngestor, InputItem
from storyline.model import Article, Fact, Rejection, Sentence
from storyline.stories.facts import FactGrouper


@dataclass(frozen=True, slots=True)
class DyingFactGrouper:
    inner: FactGrouper
    trigger: str
    marker: Path
    always: bool = False

    def group(
        self, sentences: Sequence[Sentence], articles: Mapping[str, Article]
    ) -> tuple[Fact, ...]:
        if self.trigger in articles and (self.always or not self.marker.exists()):
            self.marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return self.inner.group(sentences, articles)


class DyingIngestor(FileIngestor):
    """A file reader whose every read kills the process it runs in (a Dask worker)."""

    def read(self, files: Sequence[Path | Rejection]) -> list[InputItem]:
        os.kill(os.getpid(), signal.SIGKILL)
        return super().read(files)
