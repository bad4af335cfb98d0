"""Reads shared within one piece of work that reads a fixed state of the data many times (the annual
report's build: its chapters come from every app, and two of them need the same year's 公开及时率).

A selector marked `@read_once` computes once per arguments inside a `shared_reads()` block, and
as usual outside one: a page, a form or a task that writes is never handed an earlier read. What it
returns is shared inside the block, so its callers must not change it."""

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reads: ContextVar[dict | None] = ContextVar("shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, each `@read_once` selector reads once per arguments (nested blocks share)."""
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def read_once(function: Callable) -> Callable:
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        reads = _reads.get()
        if reads is None:
            return function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # f(year=2005) and f(year=2005, as_of=None) are one read
        try:
            key = (function, tuple(bound.arguments.items()))
            found = reads.get(key, reads)
        except TypeError:  # an argument that cannot be a key (a list of boards): read as usual
            return function(*args, **kwargs)
        if found is reads:
            found = reads[key] = function(*args, **kwargs)
        return found

    return wrapper
