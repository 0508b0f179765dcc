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
* the message language of :class:`kit.core.errors.KitError` is reset to English.

What is deliberately *kept* are imported modules and the results of the kit's explicit cache
(:mod:`kit.core.cache`), which :func:`snapshot` turns on: the loaded chain
(:func:`kit.intake.load.load_chain`) and the chain-wide CLV fits are computed once per worker and
shared by every store's report.  ``kit run --fresh-kernels`` turns all of this off (one kernel
per job).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterable
from typing import Any

__all__ = ["between_jobs", "snapshot", "warm_up"]

_STATE: dict[str, Any] = {}


def warm_up(modules: Iterable[str] = ()) -> None:
    """Once per kernel: import ``modules`` (run this as a normal, non-silent execution).

    It must not be silent: some integrations finish setting up in IPython's ``post_run_cell``
    hook (matplotlib's inline backend when first imported inside a module), which silent
    executions do not trigger.  Then call :func:`snapshot`.
    """
    import importlib

    for name in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    if "matplotlib.pyplot" in sys.modules:
        # pyplot loads its backend at the first figure; the inline backend then switches
        # matplotlib to interactive mode.  Do it now, so the state remembered for every job is
        # the one a fresh kernel has when it draws.
        import matplotlib.pyplot as plt

        plt.close(plt.figure())


def snapshot(cache: bool = True) -> None:
    """Once per kernel, after :func:`warm_up`: turn the kit's cache on (unless ``cache=False``).

    matplotlib's and the warnings' state are remembered by the first :func:`between_jobs`,
    once every start-up hook has run.
    """
    from kit.core.cache import enable_cache

    enable_cache(cache)


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
    # resetwarnings() also invalidates every module's "already shown" registry, so a warning
    # shows in every report; then the filters of a fresh kernel are put back.
    warnings.resetwarnings()
    if "warnings" in _STATE:
        warnings.filters[:] = _STATE["warnings"]
    from kit.core.errors import set_message_language

    set_message_language("en")
    os.chdir(cwd)
