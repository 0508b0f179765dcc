"""Inside a reused ("warm") kernel: what runs once at start and between two batch jobs.

Starting a kernel and importing pandas, matplotlib and the kit costs seconds -- more than most
reports take to compute.  A batch worker therefore keeps one kernel and runs job after job in
it.  For a report to come out exactly as in a fresh kernel, :func:`between_jobs` puts the
kernel back in its fresh state before every job:

* the user namespace, ``In``/``Out`` history and the execution counter are reset (cell numbers
  start at 1 again);
* all figures are closed and matplotlib's settings restored to the snapshot taken at start;
* warning filters are restored and the "already shown" registries cleared, so a warning shows
  in every report, not only the first;
* the working directory is set to the notebook's folder (as papermill's ``cwd`` does);
* :class:`kit.core.errors.KitError`'s message language is reset.

What is deliberately *kept* are imported modules and a small cache of pure, expensive results
shared by every store's report: :func:`kit.intake.load.load_chain` (keyed by the data folder's files,
their sizes and modification times) and the chain-wide CLV fits (keyed by a hash of the input
table).  Callers get deep copies, so a notebook that modifies a table in place cannot leak into
the next report.  ``kit run --fresh-kernels`` turns all of this off (one kernel per job).

Examples
--------
>>> calls = []
>>> def slow(frame_len):
...     calls.append(frame_len)
...     return {"n": frame_len}
>>> fast = memoized(slow, key=lambda n: n)
>>> fast(3) == fast(3) == {"n": 3}, len(calls)
(True, 1)
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["CACHED", "between_jobs", "install_caches", "memoized", "snapshot", "warm_up"]

_STATE: dict[str, Any] = {}


def memoized(func: Callable, key: Callable[..., Any], size: int = 4) -> Callable:
    """``func`` with a small LRU cache keyed by ``key(*args, **kwargs)``; hits are deep copies.

    ``key`` returning ``None`` means "do not cache this call".
    """
    cache: OrderedDict[Any, Any] = OrderedDict()

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        k = key(*args, **kwargs)
        if k is None:
            return func(*args, **kwargs)
        if k in cache:
            cache.move_to_end(k)
            return copy.deepcopy(cache[k])
        value = func(*args, **kwargs)
        cache[k] = value
        while len(cache) > size:
            cache.popitem(last=False)
        return copy.deepcopy(value)

    wrapper.__kit_memoized__ = True  # type: ignore[attr-defined]
    return wrapper


def _chain_key(data_dir: Any, *, mapping: Any = None, rejects_dir: Any = None, ces_scale: int = 7) -> Any:
    from kit.core.files import data_files

    if rejects_dir is not None or not isinstance(mapping, (str, Path, type(None))):
        return None  # writes elsewhere or an in-memory mapping: not cached
    folder = Path(data_dir).resolve()
    return (str(folder), tuple(data_files(folder)), str(mapping), ces_scale)


def _frame_key(*args: Any, **kwargs: Any) -> Any:
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


#: ``(module, function, key)`` of the pure functions a warm kernel caches.
CACHED: tuple[tuple[str, str, Callable[..., Any]], ...] = (
    ("kit.intake.load", "load_chain", _chain_key),
    ("kit.loyalty.clv", "fit_bgnbd", _frame_key),
    ("kit.loyalty.clv", "fit_gamma_gamma", _frame_key),
)


def install_caches(cached: Iterable[tuple[str, str, Callable[..., Any]]] = CACHED) -> list[str]:
    """Replace each listed function, in its module and every ``kit`` module that imported it."""
    import importlib

    done = []
    for module_name, name, key in cached:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        if getattr(original, "__kit_memoized__", False):
            continue
        fast = memoized(original, key)
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("kit") and getattr(mod, name, None) is original:
                setattr(mod, name, fast)
        done.append(f"{module_name}.{name}")
    return done


def warm_up(modules: Iterable[str] = ()) -> None:
    """Once per kernel: import ``modules`` (run this as a normal, non-silent execution).

    It must not be silent: some integrations finish setting up in IPython's ``post_run_cell``
    hook (matplotlib's inline backend when first imported inside a module), which silent
    executions do not trigger.  Then call :func:`snapshot`.
    """
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the notebook will report it in its own cell
            pass
    if "matplotlib.pyplot" in sys.modules:
        # pyplot loads its backend at the first figure; the inline backend then switches
        # matplotlib to interactive mode.  Do it now, so the state remembered for every job is
        # the one a fresh kernel has when it draws.
        import matplotlib.pyplot as plt

        plt.close(plt.figure())


def snapshot(cache: bool = True) -> None:
    """Once per kernel, after :func:`warm_up`: install the caches.

    matplotlib's and the warnings' state are remembered by the first :func:`between_jobs`,
    once every start-up hook has run.
    """
    if cache:
        install_caches()


def _remember() -> None:
    if "matplotlib" in sys.modules:
        import matplotlib

        _STATE["rc"] = {k: v for k, v in matplotlib.rcParams.copy().items() if not k.startswith("backend")}
    _STATE["warnings"] = list(warnings.filters)


def between_jobs(cwd: str) -> None:
    """Put the kernel back in the state of a fresh one (see the module docstring)."""
    from IPython import get_ipython

    ip = get_ipython()
    ip.reset(new_session=True)  # a new history session, and the execution counter back to 1
    if "warnings" not in _STATE:
        _remember()
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        if "rc" in _STATE:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                matplotlib.rcParams.update(_STATE["rc"])
    if "warnings" in _STATE:
        warnings.filters[:] = _STATE["warnings"]
    warnings._filters_mutated()  # type: ignore[attr-defined]  # forget "already shown" warnings
    from kit.core.errors import set_message_language

    set_message_language("en")
    os.chdir(cwd)
