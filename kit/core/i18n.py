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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["LANGS", "check_lang", "code_for", "columns", "has_text", "label_of", "labels", "t"]

from kit.core.catalog import LANGS, catalogue, has_text, text


def t(key: str, lang: str, **values: Any) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        Dotted key into the catalogue (``kit/core/locale/*.yaml``), e.g. ``"chart.pareto.title"``.
    lang : {"zh", "en"}
        Anything else raises :class:`~kit.core.errors.ParameterError`.
    **values
        Values for the placeholders of the template.
    """
    return text(key, check_lang(lang), **values)


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"zh"`` or ``"en"``, else raise :class:`~kit.core.errors.ParameterError`."""
    if lang not in LANGS:
        from kit.core.errors import ParameterError

        raise ParameterError.from_key("core.error.bad_lang", column="lang", value=repr(lang))
    return lang


def labels(group: str, lang: str) -> dict[str, str]:
    """All labels of a group (e.g. ``"channel"``) as ``{code: text}`` in ``lang``."""
    check_lang(lang)
    node = catalogue()
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


def code_for(group: str, values: pd.Series) -> pd.Series:
    """Map values written as a code, a Chinese label or an English label to the code.

    Values that match nothing are returned unchanged (so an unknown category stays visible).
    """
    lookup: dict[str, str] = {}
    for lang in LANGS:
        for code, label in labels(group, lang).items():
            lookup[label] = code
            lookup[label.lower()] = code
    for code in labels(group, "en"):
        lookup[code] = code
    mapped = values.map(lookup)
    return mapped.where(mapped.notna(), values)
