"""Display helpers of the notebooks: tables with translated headers and formatted numbers, Markdown text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from kit.core.i18n import columns, label_of

__all__ = ["format_share", "format_values", "say", "table"]


def table(
    frame: pd.DataFrame,
    lang: str,
    *,
    percent: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A display copy of ``frame``: code values and headers translated, numbers formatted.

    Parameters
    ----------
    percent : columns shown as ``95.0 %``
    decimals : ``{column: digits}`` for other numbers
    codes : ``{column: label group}`` whose values are translated (e.g. ``{"tier": "tier"}``)
    """
    return format_values(frame, lang, percent=percent, decimals=decimals, codes=codes).rename(columns=columns(lang))


def format_values(
    frame: pd.DataFrame,
    lang: str,
    *,
    percent: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with code values translated and numbers formatted; headers unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> format_values(pd.DataFrame({"share": [0.5, None], "n": [1234.5, 2]}), "en",
    ...               percent=["share"], decimals={"n": 0}).values.tolist()
    [['50.0%', '1,234'], ['—', '2']]
    """
    out = frame.copy()
    for col, group in (codes or {}).items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, g=group: label_of(g, v, lang))
    for col in percent:
        if col in out.columns:
            out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"{v:.1%}")
    for col, digits in (decimals or {}).items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, d=digits: "—" if pd.isna(v) else f"{v:,.{d}f}")
    return out


def format_share(value: Any) -> str:
    """A share as ``95.0%``; a missing value as ``—``.

    Examples
    --------
    >>> format_share(0.953), format_share(None)
    ('95.3%', '—')
    """
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def say(text: str) -> None:
    """Show ``text`` as Markdown in a notebook (plain print elsewhere)."""
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:  # pragma: no cover
        print(text)
