"""An explicit cache of pure, expensive results, shared by the reports of one warm kernel.

A batch worker keeps one kernel and runs report after report in it (:mod:`kit.run.warm`).  Some
results are the same for every store's report and take seconds to compute -- the loaded chain,
the chain-wide model fits.  The functions that produce them are decorated with :func:`cached`
where they are defined, with a key that says when two calls are the same (for the chain: the
data folder's files, sizes and modification times; for a fit: a hash of the input table).

The cache is off unless :func:`enable_cache` turned it on -- a warm batch kernel does, a
notebook opened on its own does not -- so a report computes exactly the same with or without
it.  A hit returns a deep copy, so a notebook that changes a table in place cannot leak into the
next report.  ``kit run --fresh-kernels`` (a new kernel per report) never enables it.

Examples
--------
>>> calls = []
>>> @cached(key=lambda n: n)
... def slow(n):
...     calls.append(n)
...     return {"n": n}
>>> _ = slow(3), slow(3)
>>> len(calls)          # off: every call computes
2
>>> enable_cache()
>>> slow(3) == slow(3) == {"n": 3}, len(calls)
(True, 3)
>>> enable_cache(False)
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["cache_enabled", "cached", "clear_cache", "enable_cache", "frame_key"]

_ON = {"enabled": False}
_CACHES: list[OrderedDict[Any, Any]] = []


def enable_cache(on: bool = True) -> None:
    """Turn the cache of every :func:`cached` function on (or off, which also empties it)."""
    _ON["enabled"] = bool(on)
    if not on:
        clear_cache()


def cache_enabled() -> bool:
    """Whether :func:`cached` functions keep their results."""
    return _ON["enabled"]


def clear_cache() -> None:
    """Forget every cached result."""
    for cache in _CACHES:
        cache.clear()


def cached(key: Callable[..., Any], size: int = 4) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a pure function with a small LRU cache keyed by ``key(*args, **kwargs)``.

    ``key`` returning ``None`` means "do not cache this call" (e.g. one that writes files).
    Results are kept only while the cache is enabled; hits are deep copies.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        store: OrderedDict[Any, Any] = OrderedDict()
        _CACHES.append(store)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _ON["enabled"]:
                return func(*args, **kwargs)
            k = key(*args, **kwargs)
            if k is None:
                return func(*args, **kwargs)
            if k in store:
                store.move_to_end(k)
                return copy.deepcopy(store[k])
            value = func(*args, **kwargs)
            store[k] = value
            while len(store) > size:
                store.popitem(last=False)
            return copy.deepcopy(value)

        wrapper.cache = store  # type: ignore[attr-defined]
        return wrapper

    return decorate


def frame_key(*args: Any, **kwargs: Any) -> str:
    """A key for calls whose arguments are tables: column names, dtypes and a hash of every value.

    Examples
    --------
    >>> import pandas as pd
    >>> frame_key(pd.DataFrame({"a": [1]})) == frame_key(pd.DataFrame({"a": [1]})) != frame_key(pd.DataFrame({"a": [2]}))
    True
    """
    import pandas as pd

    digest = hashlib.sha256()
    for value in [*args, *sorted(kwargs.items())]:
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], pd.DataFrame):
            digest.update(str(value[0]).encode())
            value = value[1]
        if isinstance(value, pd.DataFrame):
            digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode())
    return digest.hexdigest()
