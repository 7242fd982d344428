"""Pickling a frozen dataclass by its fields, for the modules that may be compiled.

A compiled class (:mod:`storyline.native`) unpickles by setting each attribute, which a frozen
dataclass refuses (``FrozenInstanceError``). Objects cross process boundaries (a stage shipped
to a Dask worker, the terms of a batch that the store's reader process sends back), so every
public frozen dataclass of a compiled module, whether or not one crosses today, pickles as a
call of its class with its fields: ``def __reduce__(self): return by_fields(self)``
(``tests/unit/test_native.py`` checks that each one does). Their ``__post_init__`` runs again, as it
does for any construction. The Python modules pickle the same way, so both give equal objects.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any


def by_fields(instance: Any) -> tuple[functools.partial[Any], tuple[()]]:
    """``__reduce__`` of a frozen dataclass: its class called with its ``init`` fields."""
    values = {
        field.name: getattr(instance, field.name)
        for field in dataclasses.fields(instance)
        if field.init
    }
    remake: Callable[..., Any] = type(instance)
    return functools.partial(remake, **values), ()
