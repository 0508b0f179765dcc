"""Labels and message templates in Chinese (``zh``) and English (``en``).

All text the kit generates -- table headers, chart titles, findings, code values such as
channels and tiers -- comes from the YAML catalogues in ``kit/locale/`` through :func:`t` and
:func:`labels`, so a report follows its ``lang`` parameter everywhere.  Each module keeps its own
catalogue (``labels.yaml`` for the shared codes, ``audit.yaml``, ``kano.yaml``, ...); their
top-level keys must not collide.

Examples
--------
>>> t("chart.monthly.title", "en", store="001")
'Complaints per month — store 001'
>>> labels("channel", "zh")["email"]
'电子邮件'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

import yaml

__all__ = ["LANGS", "check_lang", "code_for", "columns", "has_text", "label_of", "labels", "t"]

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    folder = resources.files("kit.core").joinpath("locale")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        part = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        clash = sorted(set(part) & set(merged))
        if clash:
            raise RuntimeError(f"kit/locale/{entry.name} redefines {clash}")
        merged.update(part)
    return merged


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"zh"`` or ``"en"``, else raise :class:`~kit.core.errors.ParameterError`."""
    if lang not in LANGS:
        from kit.core.errors import ParameterError

        raise ParameterError.from_key("core.error.bad_lang", column="lang", value=repr(lang))
    return lang


def _lookup(key: str) -> dict[str, str]:
    node: Any = _catalog()
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


def t(key: str, lang: str, **values: Any) -> str:
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
    return entry[check_lang(lang)].format(**values)


def labels(group: str, lang: str) -> dict[str, str]:
    """All labels of a group (e.g. ``"channel"``) as ``{code: text}`` in ``lang``."""
    check_lang(lang)
    node = _catalog()
    for part in group.split("."):
        node = node[part]
    return {code: entry[lang] for code, entry in node.items()}


def label_of(group: str, code: Any, lang: str) -> str:
    """The label of one code; unknown codes are returned unchanged as text."""
    return labels(group, lang).get(str(code), str(code))


def columns(lang: str, *names: str) -> dict[str, str]:
    """A ``{column: header}`` mapping for ``DataFrame.rename`` in ``lang``."""
    table = labels("column", lang)
    return {n: table.get(n, n) for n in names} if names else table


def code_for(group: str, values: "pd.Series") -> "pd.Series":
    """Map values written as a code, a Chinese label or an English label to the code.

    Values that match nothing are returned unchanged (so an unknown category stays visible).
    """
    lookup: dict[str, str] = {}
    for lang in LANGS:
        for code, text in labels(group, lang).items():
            lookup[text] = code
            lookup[text.lower()] = code
    for code in labels(group, "en"):
        lookup[code] = code
    mapped = values.map(lookup)
    return mapped.where(mapped.notna(), values)
