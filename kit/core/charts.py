"""The charts' common base: CJK fonts, colours readable in grey, figure set-up, display once."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
from matplotlib import font_manager

__all__ = [
    "ALERT",
    "DARK",
    "LIGHT",
    "MID",
    "chart_texts",
    "cjk_font_family",
    "freeze_layout",
    "new_figure",
    "setup_fonts",
    "show",
    "slant_labels",
]


DARK = "#1f3b5c"


MID = "#5b8db8"


LIGHT = "#c9d9e8"


ALERT = "#b5452b"


_SYSTEM_CJK = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
)


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """Register the shipped CJK font once and return its family name (None if none found)."""
    try:
        import pylopdf_fonts_zh_cn

        path = pylopdf_fonts_zh_cn.sans_path()
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    except (ImportError, OSError):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in _SYSTEM_CJK if name in installed), None)


def setup_fonts() -> str | None:
    """Make matplotlib draw Chinese: DejaVu Sans first, then the CJK font, per glyph.

    Returns the CJK family used, or None when no CJK font is available (Chinese would then
    show as boxes; install the project with ``make`` to get one).
    """
    family = cjk_font_family()
    chain = ["DejaVu Sans"] + ([family] if family else []) + ["sans-serif"]
    plt.rcParams["font.family"] = chain
    plt.rcParams["axes.unicode_minus"] = False
    # Labels come from the data (store names, categories): "$x^2$" is text, never a formula.
    plt.rcParams["text.parse_math"] = False
    plt.rcParams["figure.dpi"] = 100
    plt.rcParams["savefig.dpi"] = 110
    _inline_png_without_crop()
    return family


_INLINE_SHELL: object | None = None


def _inline_png_without_crop() -> None:
    """In a notebook, draw figures as PNG of their own size instead of IPython's "tight" crop.

    Every chart of the kit uses constrained layout, which already fits titles, labels and legends
    inside the figure; the inline backend's default ``bbox_inches="tight"`` measures every figure a
    second time to crop it, about a third of the time a report spends turning charts into PNG.
    Done once per IPython shell; outside IPython nothing changes.
    """
    global _INLINE_SHELL
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None or shell is _INLINE_SHELL or "inline" not in str(plt.get_backend()).lower():
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png", bbox_inches=None)
    _INLINE_SHELL = shell


def new_figure(width: float = 8.0, height: float = 3.8):
    setup_fonts()
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def freeze_layout(fig: plt.Figure) -> plt.Figure:
    """Lay ``fig`` out once (its constrained layout) and keep that layout for every later draw.

    The inline backend draws a figure twice to make its PNG (once to find the tight bounding
    box, once to render), and a constrained layout is recomputed at every draw -- about a third
    of a chart's drawing time.  Call this when the figure is complete (as :func:`show` does);
    later changes to the figure are no longer laid out.
    """
    engine = fig.get_layout_engine()
    if engine is not None and engine.__class__.__name__ in ("ConstrainedLayoutEngine", "TightLayoutEngine"):
        engine.execute(fig)
        fig.set_layout_engine("none")
    return fig


def chart_texts(fig: plt.Figure) -> list[str]:
    """Every word a reader sees on ``fig``: titles, axis labels, tick labels, legend, annotations.

    Call it on a laid-out figure (:func:`freeze_layout`): tick labels are set when the layout runs.

    Examples
    --------
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> _ = ax.bar(["A", "B"], [1, 2]); _ = ax.set_title("Complaints")
    >>> texts = chart_texts(freeze_layout(fig)); plt.close(fig)
    >>> "Complaints" in texts and "A" in texts
    True
    """
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _title(fig: plt.Figure) -> str:
    """The figure's title: its suptitle, else the first axes title (for the image's alternative text)."""
    if fig.get_suptitle().strip():
        return fig.get_suptitle()
    return next((ax.get_title() for ax in fig.axes if ax.get_title().strip()), "")


def show(fig: plt.Figure) -> None:
    """Display a finished ``fig`` in the notebook once (layout frozen, see :func:`freeze_layout`) and close it.

    Explicit display does not depend on matplotlib's interactive mode (a kernel reused between
    batch jobs may have lost it), and closing the figure keeps the inline backend from drawing
    it again at the end of the cell (once for pyplot's redraw of stale figures, once more for its
    own display).  The output's metadata ``kit`` carries the chart's title (the image's
    alternative text in the HTML report) and every text on it (:func:`chart_texts`: what the
    language tests read).
    """
    try:
        from IPython.display import display

        freeze_layout(fig)
        display(fig, metadata={"kit": {"alt": _title(fig), "texts": chart_texts(fig)}})
    finally:
        plt.close(fig)


def slant_labels(ax) -> None:
    plt.setp(ax.get_xticklabels(), rotation=35, ha="right", rotation_mode="anchor")
