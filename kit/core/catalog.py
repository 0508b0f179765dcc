"""The locale catalogue: every text of the kit in Chinese (``zh``) and English (``en``), by key.

The texts live in ``kit/core/locale/*.yaml``, one file per part of the kit (their top-level keys
must not collide).  :func:`t` renders one text; :mod:`kit.core.i18n` builds labels and columns on
top of it (and check the language first).  This module imports nothing of the kit, so :mod:`kit.core.errors` can render its
messages with it.

Examples
--------
>>> text("chart.monthly.title", "en", store="001")
'Complaints per month — store 001'
>>> has_text("chart.monthly.title"), has_text("chart.monthly")
(True, False)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["LANGS", "catalogue", "has_text", "text"]

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """Every text of ``kit/core/locale/*.yaml`` merged into one nested mapping (read once)."""
    merged: dict[str, Any] = {}
    folder = resources.files("kit.core").joinpath("locale")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        part = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        clash = sorted(set(part) & set(merged))
        if clash:
            raise RuntimeError(f"kit/core/locale/{entry.name} redefines {clash}")
        merged.update(part)
    return merged


def _lookup(key: str) -> dict[str, str]:
    node: Any = catalogue()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no label {key!r} in kit/core/locale/*.yaml")
        node = node[part]
    if not isinstance(node, dict) or "en" not in node:
        raise KeyError(f"{key!r} is a group of labels, not one label")
    return node


def has_text(key: str) -> bool:
    """True when the catalogue has the text ``key`` (one label, not a group)."""
    try:
        _lookup(key)
    except KeyError:
        return False
    return True


def text(key: str, lang: str, **values: Any) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        Dotted key into ``labels.yaml``, e.g. ``"chart.pareto.title"``.
    lang : {"zh", "en"}
    **values
        Values for the placeholders of the template.
    """
    entry = _lookup(key)
    return entry[lang].format(**values)
