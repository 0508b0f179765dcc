"""Display helpers of the notebooks: tables with translated headers and formatted numbers, Markdown text.

A report shows tables the way a reader wants them: no 0…N index column, "—" for a missing value,
one line "(none)" instead of the headers of an empty table (:func:`setup_tables`, done by
:func:`setup_report`); several themed tables as one block (:class:`Tables`).  Text from the data
(store names, categories, notes) enters Markdown through :func:`md_text`, so that it shows as
written and never turns into a link, a formula, emphasis or HTML.

Examples
--------
>>> import pandas as pd
>>> html = frame_html(pd.DataFrame({"store": ["<b>A</b>"], "n": [3]}))
>>> "<th>0</th>" in html, "&lt;b&gt;A&lt;/b&gt;" in html
(False, True)
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from kit.core.errors import message_language
from kit.core.i18n import columns, label_of, t

__all__ = [
    "Tables",
    "format_p",
    "format_share",
    "format_values",
    "frame_html",
    "md_text",
    "say",
    "setup_report",
    "setup_tables",
    "table",
]

# Markdown's punctuation that can start emphasis, code, links, tables, headings or lists; ``:`` and
# ``@`` so that no web or mail address in the data becomes a link.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:@])")
# Characters that are markup in HTML or start a formula in Jupyter's Markdown (MathJax ``$``).
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;"}


def md_text(value: Any) -> str:
    """``value`` as literal text inside Markdown: shown exactly as written, never as markup.

    HTML and ``$`` (a formula in Jupyter) become character references; Markdown punctuation is
    escaped with a backslash; line breaks become spaces (a value never starts a heading or a list).

    Examples
    --------
    >>> print(md_text("<img src=x onerror=alert(1)>"))
    &lt;img src=x onerror=alert\\(1\\)&gt;
    >>> print(md_text("[click](javascript:x) *bold* $x$"))
    \\[click\\]\\(javascript\\:x\\) \\*bold\\* &#36;x&#36;
    >>> md_text("上海徐汇店")
    '上海徐汇店'
    """
    text = " ".join(str(value).split())
    text = _MD_PUNCT.sub(r"\\\1", text)
    return "".join(_MD_ENTITIES.get(ch, ch) for ch in text)


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
            out[col] = out[col].map(lambda v: v if isinstance(v, str) else "—" if pd.isna(v) else f"{v:.1%}")
    for col, digits in (decimals or {}).items():
        if col in out.columns:  # text already formatted (e.g. "< 0.001") stays as it is
            out[col] = out[col].map(
                lambda v, d=digits: v if isinstance(v, str) else "—" if pd.isna(v) else f"{v:,.{d}f}"
            )
    return out


def format_share(value: Any) -> str:
    """A share as ``95.0%``; a missing value as ``—``.

    Examples
    --------
    >>> format_share(0.953), format_share(None)
    ('95.3%', '—')
    """
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def format_p(p: Any) -> str:
    """A p-value as reported in APA style: ``p = 0.031``, ``p < 0.001``; ``p = —`` when unknown.

    Never "p = 0.000": a p-value is never zero, only smaller than the precision shown.

    Examples
    --------
    >>> format_p(0.0312), format_p(2e-9), format_p(float("nan"))
    ('p = 0.031', 'p < 0.001', 'p = —')
    """
    if p is None or pd.isna(p):
        return "p = —"
    return "p < 0.001" if float(p) < 0.001 else f"p = {float(p):.3f}"


def say(text: str) -> None:
    """Show ``text`` as Markdown in a notebook (plain print elsewhere).

    ``text`` is Markdown written by the kit; every value from the data in it went through
    :func:`md_text`.
    """
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:  # pragma: no cover
        print(text)


def _plain_index(frame: pd.DataFrame) -> bool:
    """True when the row labels carry nothing a reader needs (0…N, unnamed)."""
    index = frame.index
    return isinstance(index, pd.RangeIndex) and index.name is None


def frame_html(frame: pd.DataFrame, lang: str | None = None) -> str:
    """``frame`` as an HTML table for a report: escaped text, "—" for missing, no 0…N index column.

    An index with names or labels (a pivot by store, a month) stays as the row headers.  An
    empty table is one line "(none)" in ``lang`` (default: the message language of the report).

    Examples
    --------
    >>> frame_html(pd.DataFrame({"a": []}), "en")
    '<p class="kit-empty">(none)</p>'
    """
    if frame.empty:
        return f'<p class="kit-empty">{html_lib.escape(t("core.display.no_rows", lang or message_language()))}</p>'
    return frame.to_html(index=not _plain_index(frame), escape=True, na_rep="—", border=0, classes="dataframe")


class Tables:
    """Several tables shown as one block, each under its caption (e.g. a wide table split by theme).

    Parameters
    ----------
    parts : sequence of (caption, DataFrame)

    Examples
    --------
    >>> block = Tables([("Experience", pd.DataFrame({"NPS": [31]})), ("Business", pd.DataFrame({"FCR": [72]}))])
    >>> html = block._repr_html_()
    >>> html.index("Experience") < html.index("NPS") < html.index("Business") < html.index("FCR")
    True
    """

    def __init__(self, parts: Sequence[tuple[str, pd.DataFrame]]) -> None:
        self.parts = [(str(caption), frame) for caption, frame in parts]

    def __len__(self) -> int:
        return len(self.parts)

    def __iter__(self):
        return iter(self.parts)

    def __getitem__(self, caption: str) -> pd.DataFrame:
        return dict(self.parts)[caption]

    def _repr_html_(self) -> str:
        blocks = [
            f'<div class="kit-table"><h4>{html_lib.escape(caption)}</h4>{frame_html(frame)}</div>'
            for caption, frame in self.parts
        ]
        return "\n".join(blocks)

    def __repr__(self) -> str:
        return "\n\n".join(f"{caption}\n{frame.to_string(index=False)}" for caption, frame in self.parts)


_TABLES_SHELL: object | None = None


def setup_tables() -> None:
    """In a notebook, show every DataFrame through :func:`frame_html` (done once per IPython shell).

    Outside IPython nothing changes.
    """
    global _TABLES_SHELL
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None or shell is _TABLES_SHELL:
        return
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)
    _TABLES_SHELL = shell


def setup_report() -> str | None:
    """Set up a report's kernel: Chinese fonts for charts (:func:`kit.core.charts.setup_fonts`) and tables.

    Returns the CJK font family used (None when none is installed).
    """
    from kit.core.charts import setup_fonts

    setup_tables()
    return setup_fonts()
