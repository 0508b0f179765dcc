"""KANO analysis: which service features are must-be, one-dimensional, attractive or indifferent.

Every respondent answers two questions per feature (Kano et al. 1984): a *functional* one ("how
do you feel if the store does X?") and a *dysfunctional* one ("... if it does not do X?"), each on
the five-point scale coded here as

====  ==========================  ==================
code  answer                      中文
====  ==========================  ==================
1     I like it                   喜欢
2     I expect it / must-be       理应如此
3     I am neutral                无所谓
4     I can live with it          能忍受
5     I dislike it                不喜欢
====  ==========================  ==================

The pair is classified with the standard 5 × 5 evaluation table of Berger et al. (1993,
*Center for Quality of Management Journal* 2(4)), rows = functional answer, columns =
dysfunctional answer:

==============  ====  =======  =======  =========  =======
functional      like  must-be  neutral  live with  dislike
==============  ====  =======  =======  =========  =======
like            Q     A        A        A          O
must-be         R     I        I        I          M
neutral         R     I        I        I          M
live with       R     I        I        I          M
dislike         R     R        R        R          Q
==============  ====  =======  =======  =========  =======

A attractive 魅力, O one-dimensional 期望, M must-be 必备, I indifferent 无差异,
R reverse 反向, Q questionable 可疑.

Per feature the module then computes, from the counts of the six categories
(``n`` = all classified answers, R and Q included; percentages are of ``n``):

* ``category_max`` -- the most frequent category (exact ties broken M > O > A > I > R > Q);
* ``category`` -- the category after the **M > O > A > I rule** of Matzler et al. (1996): when the
  evaluation is not clear-cut, choose the category with the largest influence on satisfaction.
  *Near-tie* is made exact here: every category whose share is at most ``margin`` percentage
  points below the most frequent one (``share >= max_share - margin``) is a candidate, and the
  first candidate in the order M, O, A, I wins.  With ``margin=0`` only exact ties are resolved.
  When the most frequent category is R or Q the rule does not apply and that category is kept
  (a reverse or misunderstood feature must not be hidden behind a neighbour);
* ``better`` = (A + O) / (A + O + M + I) and ``worse`` = −(O + M) / (A + O + M + I), the
  customer-satisfaction coefficients of Berger et al. (1993) (NaN when A + O + M + I = 0);
* ``category_strength`` -- share of the most frequent minus share of the second most frequent
  category, in percentage points, and ``total_strength`` -- share of A + O + M in percent
  (Lee & Newcomb 1997, as used by Matzler et al. 1996);
* the **Fong (1996) test**: with ``a`` and ``b`` the counts of the two most frequent categories,
  the difference is *not* significant when
  ``|a − b| < z · sqrt((a + b)(2n − a − b) / (2n))``, ``z = 1.65`` (Fong, D. 1996, "Using the
  self-stated importance questionnaire to interpret Kano questionnaire results", *Center for
  Quality of Management Journal* 5(3)).

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"kano_fast_response_func": [2, 2, 1, 2], "kano_fast_response_dysf": [5, 5, 5, 5]})
>>> result = kano_evaluate(kano_counts(answers))
>>> row = result.table.loc["fast_response"]
>>> int(row["M"]), int(row["O"]), row["category"], float(row["better"]), float(row["worse"])
(3, 1, 'M', 0.25, -1.0)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kit.core.errors import DataError, ParameterError
from kit.core.i18n import check_lang, label_of, t

__all__ = [
    "CATEGORIES",
    "DEFAULT_MARGIN",
    "EVALUATION_TABLE",
    "FONG_Z",
    "KanoResult",
    "PRIORITY",
    "RESULT_COLUMNS",
    "better_worse_points",
    "classify",
    "describe_feature",
    "feature_label",
    "kano_analysis",
    "kano_counts",
    "kano_counts_long",
    "kano_evaluate",
    "kano_features",
    "kano_scatter",
    "kano_table",
    "label_offsets",
]

#: The six KANO categories in the column order of every table of this module.
CATEGORIES: tuple[str, ...] = ("A", "O", "M", "I", "R", "Q")
#: Order of the M > O > A > I rule (R and Q last: they only win when they are the mode).
PRIORITY: tuple[str, ...] = ("M", "O", "A", "I", "R", "Q")
#: Berger et al. (1993) evaluation table: ``EVALUATION_TABLE[functional - 1][dysfunctional - 1]``.
EVALUATION_TABLE: tuple[tuple[str, ...], ...] = (
    ("Q", "A", "A", "A", "O"),
    ("R", "I", "I", "I", "M"),
    ("R", "I", "I", "I", "M"),
    ("R", "I", "I", "I", "M"),
    ("R", "R", "R", "R", "Q"),
)
#: Fong's critical value.
FONG_Z = 1.65
#: Default near-tie margin of the M > O > A > I rule, in percentage points.
DEFAULT_MARGIN = 5.0

# position in CATEGORIES of each cell of the evaluation table, flattened (functional-major)
_CELL_CODE = np.array([CATEGORIES.index(c) for row in EVALUATION_TABLE for c in row], dtype=np.int64)
_PRIO_INDEX = np.array([CATEGORIES.index(c) for c in PRIORITY])

RESULT_COLUMNS = [
    "n",
    *CATEGORIES,
    *(f"pct_{c}" for c in CATEGORIES),
    "category_max",
    "category",
    "rule_applied",
    "better",
    "worse",
    "category_strength",
    "total_strength",
    "fong_first",
    "fong_second",
    "fong_difference",
    "fong_threshold",
    "fong_significant",
]


def _answers(values: Any, column: str) -> np.ndarray:
    """Answers as float codes 1..5 (NaN = not answered); anything else raises DataError."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    num = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    bad = (~np.isnan(num) & ~np.isin(num, [1, 2, 3, 4, 5])) | (np.isnan(num) & series.notna().to_numpy())
    if bad.any():
        examples = ", ".join(repr(v) for v in series[bad].unique()[:3])
        raise DataError.from_key("kano.error.bad_answer", column=column, count=int(bad.sum()), examples=examples)
    return num


def _codes(func: np.ndarray, dysf: np.ndarray) -> np.ndarray:
    """Category index (position in CATEGORIES) of each answer pair, -1 where either is missing."""
    valid = ~(np.isnan(func) | np.isnan(dysf))
    cell = np.where(valid, (np.nan_to_num(func, nan=1) - 1) * 5 + (np.nan_to_num(dysf, nan=1) - 1), 0).astype(np.int64)
    return np.where(valid, _CELL_CODE[cell], -1)


def classify(functional: Any, dysfunctional: Any) -> pd.Series:
    """Classify answer pairs with the evaluation table of Berger et al. (1993).

    Parameters
    ----------
    functional, dysfunctional : array-like of int
        Answers coded 1 like, 2 must-be/expect, 3 neutral, 4 live with, 5 dislike; missing
        answers (NaN / pd.NA) give a missing category.

    Returns
    -------
    Series
        Categorical with categories ``A O M I R Q``, indexed like ``functional`` when it is a Series.

    Examples
    --------
    >>> classify([1, 2, 1, 5], [5, 5, 3, 1]).tolist()
    ['O', 'M', 'A', 'R']
    """
    f = _answers(functional, "functional")
    d = _answers(dysfunctional, "dysfunctional")
    if len(f) != len(d):
        raise ParameterError.from_key(
            "kano.error.length_mismatch", column="dysfunctional", n_func=len(f), n_dysf=len(d)
        )
    codes = _codes(f, d)
    index = functional.index if isinstance(functional, pd.Series) else None
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(CATEGORIES)), index=index, name="kano")


def kano_features(
    frame: pd.DataFrame, *, prefix: str = "kano_", func_suffix: str = "_func", dysf_suffix: str = "_dysf"
) -> list[str]:
    """Feature names found in a wide answer table (columns ``<prefix><feature><suffix>``), in column order."""
    pattern = re.compile(re.escape(prefix) + r"(.+)" + re.escape(func_suffix) + "$")
    found = [m.group(1) for m in (pattern.match(str(c)) for c in frame.columns) if m]
    return [f for f in found if f"{prefix}{f}{dysf_suffix}" in frame.columns]


def _bincount(feature_idx: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    ok = codes >= 0
    flat = np.bincount(feature_idx[ok] * len(CATEGORIES) + codes[ok], minlength=k * len(CATEGORIES))
    return flat.reshape(k, len(CATEGORIES))


def kano_counts(
    answers: pd.DataFrame,
    features: Sequence[str] | None = None,
    *,
    prefix: str = "kano_",
    func_suffix: str = "_func",
    dysf_suffix: str = "_dysf",
) -> pd.DataFrame:
    """Count the KANO categories per feature from a *wide* answer table.

    Each feature has two columns, ``<prefix><feature><func_suffix>`` and
    ``<prefix><feature><dysf_suffix>`` (the sample survey's ``kano_fast_response_func`` /
    ``kano_fast_response_dysf``).  Rows where either answer is missing are not counted.

    Parameters
    ----------
    answers : DataFrame
        One row per respondent.
    features : sequence of str, optional
        Features to count; default: every feature with both columns present.
    prefix, func_suffix, dysf_suffix : str
        How the answer columns are named.

    Returns
    -------
    DataFrame
        Index ``feature``, integer columns ``A O M I R Q``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"kano_x_func": [1, 2, None], "kano_x_dysf": [3, 5, 5]})
    >>> kano_counts(df).loc["x"].tolist()
    [1, 0, 1, 0, 0, 0]
    """
    names = (
        list(features)
        if features is not None
        else kano_features(answers, prefix=prefix, func_suffix=func_suffix, dysf_suffix=dysf_suffix)
    )
    if not names:
        raise DataError.from_key("kano.error.no_features", column=f"{prefix}…{func_suffix}")
    func_cols = [f"{prefix}{f}{func_suffix}" for f in names]
    dysf_cols = [f"{prefix}{f}{dysf_suffix}" for f in names]
    for col in func_cols + dysf_cols:
        if col not in answers.columns:
            raise DataError.from_key("kano.error.missing_column", column=col)
    func = np.column_stack([_answers(answers[c], c) for c in func_cols]) if len(answers) else np.empty((0, len(names)))
    dysf = np.column_stack([_answers(answers[c], c) for c in dysf_cols]) if len(answers) else np.empty((0, len(names)))
    codes = _codes(func.ravel(), dysf.ravel())
    feature_idx = np.tile(np.arange(len(names)), func.shape[0])
    counts = _bincount(feature_idx, codes, len(names))
    return pd.DataFrame(counts, index=pd.Index(names, name="feature"), columns=list(CATEGORIES))


def kano_counts_long(
    answers: pd.DataFrame,
    *,
    feature_col: str = "feature",
    func_col: str = "functional",
    dysf_col: str = "dysfunctional",
) -> pd.DataFrame:
    """Count the KANO categories per feature from a *long* table (one row per respondent and feature).

    Returns the same table as :func:`kano_counts`; features keep their order of first appearance.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"feature": ["a", "a", "b"], "functional": [2, 1, 3], "dysfunctional": [5, 5, 3]})
    >>> kano_counts_long(df)[["O", "M", "I"]].to_dict("index")
    {'a': {'O': 1, 'M': 1, 'I': 0}, 'b': {'O': 0, 'M': 0, 'I': 1}}
    """
    for col in (feature_col, func_col, dysf_col):
        if col not in answers.columns:
            raise DataError.from_key("kano.error.missing_column", column=col)
    codes = _codes(_answers(answers[func_col], func_col), _answers(answers[dysf_col], dysf_col))
    feature_idx, names = pd.factorize(answers[feature_col].astype("string"), use_na_sentinel=True)
    codes = np.where(feature_idx >= 0, codes, -1)
    counts = _bincount(np.maximum(feature_idx, 0), codes, len(names))
    return pd.DataFrame(counts, index=pd.Index([str(n) for n in names], name="feature"), columns=list(CATEGORIES))


@dataclass(frozen=True)
class KanoResult:
    """The KANO evaluation of a set of features.

    Attributes
    ----------
    table : DataFrame
        One row per feature (index ``feature``) with the columns of :data:`RESULT_COLUMNS`.
    margin : float
        The near-tie margin (percentage points) used by the M > O > A > I rule.
    z : float
        The critical value of the Fong test.
    """

    table: pd.DataFrame
    margin: float = DEFAULT_MARGIN
    z: float = FONG_Z

    @property
    def categories(self) -> pd.Series:
        """The final category of every feature (after the M > O > A > I rule)."""
        return self.table["category"]

    def must_be(self) -> list[str]:
        """Features whose final category is M (must-be)."""
        return self.table.index[self.table["category"] == "M"].tolist()


def kano_evaluate(counts: pd.DataFrame, *, margin: float = DEFAULT_MARGIN, z: float = FONG_Z) -> KanoResult:
    """Evaluate category counts: category, Better/Worse, strengths and the Fong test.

    Definitions are those of the module docstring (Berger et al. 1993; Matzler et al. 1996;
    Lee & Newcomb 1997; Fong 1996).  The computation is vectorised over features.

    Parameters
    ----------
    counts : DataFrame
        Columns ``A O M I R Q`` (missing columns count as 0), one row per feature, as returned by
        :func:`kano_counts`.
    margin : float, default 5.0
        Near-tie margin of the M > O > A > I rule, in percentage points of all answers: a category
        at most this far below the most frequent one is a candidate.  0 resolves exact ties only.
    z : float, default 1.65
        Critical value of Fong's test.

    Returns
    -------
    KanoResult

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"A": [93], "O": [87], "M": [65], "I": [51]}, index=["loan machine"])
    >>> row = kano_evaluate(counts).table.loc["loan machine"]
    >>> row["category_max"], row["category"], round(float(row["better"]), 3), bool(row["fong_significant"])
    ('A', 'O', 0.608, False)
    """
    if not np.isfinite(margin) or margin < 0:
        raise ParameterError.from_key("kano.error.bad_margin", column="margin", value=margin)
    if not np.isfinite(z) or z <= 0:
        raise ParameterError.from_key("kano.error.bad_z", column="z", value=z)
    unknown = [c for c in counts.columns if c not in CATEGORIES]
    if unknown:
        raise DataError.from_key("kano.error.unknown_category", column=str(unknown[0]))
    c = counts.reindex(columns=list(CATEGORIES), fill_value=0).fillna(0)
    mat = c.to_numpy(dtype="float64")
    if (mat < 0).any():
        raise DataError.from_key("kano.error.negative_count", column=str(c.columns[(mat < 0).any(axis=0)][0]))
    n = mat.sum(axis=1)
    has = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(has[:, None], mat / n[:, None] * 100.0, np.nan)
    a, o, m, i = (mat[:, CATEGORIES.index(k)] for k in "AOMI")
    core = a + o + m + i
    with np.errstate(invalid="ignore", divide="ignore"):
        better = np.where(core > 0, (a + o) / core, np.nan)
        worse = np.where(core > 0, -(o + m) / core + 0.0, np.nan)

    # mode and rule, in priority order so that argmax's "first maximum" breaks exact ties
    prio = mat[:, _PRIO_INDEX]
    top = prio.max(axis=1)
    mode_pos = prio.argmax(axis=1)
    tolerance = margin / 100.0 * n + 1e-9 * np.maximum(n, 1)
    candidate = (top[:, None] - prio) <= tolerance[:, None]
    rule_pos = np.where(mode_pos >= 4, mode_pos, candidate.argmax(axis=1))
    prio_names = np.array(PRIORITY, dtype=object)
    category_max = np.where(has, prio_names[mode_pos], None)
    category = np.where(has, prio_names[rule_pos], None)

    ordered = -np.sort(-mat, axis=1)
    first, second = ordered[:, 0], ordered[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        strength = np.where(has, (first - second) / n * 100.0, np.nan)
        total = np.where(has, (a + o + m) / n * 100.0, np.nan)
        threshold = np.where(has, z * np.sqrt((first + second) * (2 * n - first - second) / (2 * n)), np.nan)
    diff = np.abs(first - second)
    significant = pd.array(np.where(has, diff >= threshold, False), dtype="boolean")
    significant[~has] = pd.NA

    table = pd.DataFrame(index=c.index.rename("feature"))
    table["n"] = n.astype(np.int64)
    for k, name in enumerate(CATEGORIES):
        table[name] = mat[:, k].astype(np.int64)
    for k, name in enumerate(CATEGORIES):
        table[f"pct_{name}"] = pct[:, k]
    table["category_max"] = pd.array(category_max, dtype="string")
    table["category"] = pd.array(category, dtype="string")
    table["rule_applied"] = pd.array(np.where(has, category != category_max, False), dtype="boolean")
    table["better"] = better
    table["worse"] = worse
    table["category_strength"] = strength
    table["total_strength"] = total
    table["fong_first"] = first.astype(np.int64)
    table["fong_second"] = second.astype(np.int64)
    table["fong_difference"] = diff.astype(np.int64)
    table["fong_threshold"] = threshold
    table["fong_significant"] = significant
    return KanoResult(table=table[RESULT_COLUMNS], margin=float(margin), z=float(z))


def kano_analysis(
    answers: pd.DataFrame,
    features: Sequence[str] | None = None,
    *,
    prefix: str = "kano_",
    func_suffix: str = "_func",
    dysf_suffix: str = "_dysf",
    margin: float = DEFAULT_MARGIN,
    z: float = FONG_Z,
) -> KanoResult:
    """:func:`kano_counts` followed by :func:`kano_evaluate` on a wide survey table.

    Examples
    --------
    >>> from kit.intake.sample import generate_chain
    >>> surveys = generate_chain(stores=1, months=2, seed=3)["surveys"]
    >>> kano_analysis(surveys).table.loc["fast_response", "category"]
    'M'
    """
    counts = kano_counts(answers, features, prefix=prefix, func_suffix=func_suffix, dysf_suffix=dysf_suffix)
    return kano_evaluate(counts, margin=margin, z=z)


def feature_label(feature: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Display name of a feature: ``names`` first, then the catalogue (``kano.feature``), else the code."""
    if names and feature in names:
        return names[feature]
    return label_of("kano.feature", feature, lang)


def better_worse_points(
    result: KanoResult, *, lang: str | None = None, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The data of the Better/Worse scatter plot (Berger et al. 1993; Timko's two-dimensional view).

    Returns
    -------
    DataFrame
        Index ``feature``; ``x`` = \\|Worse\\| (how much its absence dissatisfies), ``y`` = Better
        (how much its presence satisfies), ``category``, ``n`` and ``label`` (display name in
        ``lang``, or the feature code when ``lang`` is None).  Features without any A/O/M/I
        answer are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> res = kano_evaluate(pd.DataFrame({"A": [1], "O": [1], "M": [2], "I": [0]}, index=["f"]))
    >>> better_worse_points(res)[["x", "y"]].round(2).values.tolist()
    [[0.75, 0.5]]
    """
    tab = result.table
    keep = tab["better"].notna()
    out = pd.DataFrame(
        {
            "x": tab.loc[keep, "worse"].abs(),
            "y": tab.loc[keep, "better"],
            "category": tab.loc[keep, "category"],
            "n": tab.loc[keep, "n"],
        }
    )
    if lang is None:
        out["label"] = out.index.astype(str)
    else:
        check_lang(lang)
        out["label"] = [feature_label(f, lang, names) for f in out.index]
    return out


_MARKERS = {"A": "^", "O": "o", "M": "s", "I": "D", "R": "v", "Q": "x"}
_GREYS = {"A": "#5b8db8", "O": "#1f3b5c", "M": "#b5452b", "I": "#8c8c8c", "R": "#000000", "Q": "#000000"}


def label_offsets(x: np.ndarray, y: np.ndarray, *, near: float = 0.05, step: float = 11.0) -> np.ndarray:
    """Vertical label offsets (points) so that labels of nearby features do not print on each other.

    Features whose coefficients lie within ``near`` of each other on both axes (directly or through
    a chain of such neighbours) form a cluster; the labels of a cluster are stacked ``step`` points
    apart, centred on the points, in the order of their Better value, highest on top.  A feature
    with no neighbour keeps its label level with its marker (offset 0).

    Examples
    --------
    >>> label_offsets(np.array([0.3, 0.31, 0.8]), np.array([0.6, 0.61, 0.2])).tolist()
    [-5.5, 5.5, 0.0]
    """
    n = len(x)
    out = np.zeros(n)
    if n == 0:
        return out
    close = (np.abs(x[:, None] - x[None, :]) <= near) & (np.abs(y[:, None] - y[None, :]) <= near)
    # clusters = connected components of "close" (transitive closure by repeated boolean products)
    reach = close.copy()
    for _ in range(int(np.ceil(np.log2(max(n, 2))))):
        reach = reach | ((reach.astype(np.int64) @ reach.astype(np.int64)) > 0)
    cluster = reach.argmax(axis=1)  # the lowest index reachable names the cluster
    for c in np.unique(cluster):
        members = np.flatnonzero(cluster == c)
        if len(members) < 2:
            continue
        ordered = members[np.argsort(-y[members], kind="stable")]
        k = len(ordered)
        out[ordered] = (np.arange(k)[::-1] - (k - 1) / 2) * step
    return out


def kano_scatter(
    result: KanoResult,
    lang: str = "zh",
    *,
    names: Mapping[str, str] | None = None,
    threshold: float = 0.5,
    title: str | None = None,
):
    """Better/Worse scatter plot: x = \\|Worse\\|, y = Better, quadrants split at ``threshold``.

    Quadrants (Berger et al. 1993): high Better & low \\|Worse\\| attractive, both high
    one-dimensional, low Better & high \\|Worse\\| must-be, both low indifferent.  Markers differ
    by final category so the chart reads in grey print.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> res = kano_evaluate(pd.DataFrame({"A": [5], "O": [1], "M": [1], "I": [1]}, index=["gift_wrapping"]))
    >>> fig = kano_scatter(res, "en")
    >>> fig.axes[0].get_xlabel()
    'Worse: dissatisfaction if absent (|Worse|)'
    """
    import matplotlib.pyplot as plt

    from kit.core.charts import setup_fonts

    check_lang(lang)
    setup_fonts()
    points = better_worse_points(result, lang=lang, names=names)
    fig, ax = plt.subplots(figsize=(7.5, 6.2), layout="constrained")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axvline(threshold, color="#888888", linestyle="--", linewidth=1)
    ax.axhline(threshold, color="#888888", linestyle="--", linewidth=1)
    quadrant = {
        "A": (0.02, 0.98, "left", "top"),
        "O": (0.98, 0.98, "right", "top"),
        "M": (0.98, 0.02, "right", "bottom"),
        "I": (0.02, 0.02, "left", "bottom"),
    }
    for cat, (qx, qy, ha, va) in quadrant.items():
        ax.text(
            qx,
            qy,
            label_of("kano.category", cat, lang),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=10,
            color="#555555",
            style="italic",
        )
    for cat in CATEGORIES:
        sub = points[points["category"] == cat]
        if sub.empty:
            continue
        ax.scatter(
            sub["x"],
            sub["y"],
            s=40 + 160 * sub["n"] / max(points["n"].max(), 1),
            marker=_MARKERS[cat],
            color=_GREYS[cat],
            edgecolor="black",
            linewidth=0.6,
            zorder=3,
            label=label_of("kano.category", cat, lang),
        )
    offsets = label_offsets(points["x"].to_numpy(float), points["y"].to_numpy(float))
    for (label, x, y), dy in zip(points[["label", "x", "y"]].itertuples(index=False), offsets):
        ax.annotate(label, (x, y), xytext=(6, dy), textcoords="offset points", fontsize=9, va="center")
    ax.set_xlabel(t("kano.chart.xlabel", lang))
    ax.set_ylabel(t("kano.chart.ylabel", lang))
    ax.set_title(title if title is not None else t("kano.chart.title", lang))
    if not points.empty:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, title=t("kano.chart.legend", lang))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def kano_table(
    result: KanoResult, lang: str, *, names: Mapping[str, str] | None = None, digits: int = 2
) -> pd.DataFrame:
    """A display table in ``lang``: feature name, counts, category, Better/Worse, strengths, Fong verdict.

    Examples
    --------
    >>> import pandas as pd
    >>> res = kano_evaluate(pd.DataFrame({"M": [10], "O": [2]}, index=["fast_response"]))
    >>> kano_table(res, "en").iloc[0, 0]
    'fast response'
    """
    check_lang(lang)
    tab = result.table
    out = pd.DataFrame(index=tab.index)
    out["feature"] = [feature_label(f, lang, names) for f in tab.index]
    for col in ("n", *CATEGORIES):
        out[col] = tab[col]
    cat_names = {k: label_of("kano.category", k, lang) for k in CATEGORIES}
    out["category"] = tab["category"].map(cat_names)
    out["better"] = tab["better"].round(digits)
    out["worse"] = tab["worse"].round(digits)
    out["category_strength"] = tab["category_strength"].round(1)
    out["total_strength"] = tab["total_strength"].round(1)
    sig = tab["fong_significant"]
    out["fong"] = np.where(
        sig.isna(), "", np.where(sig.fillna(False), t("kano.text.fong_sig", lang), t("kano.text.fong_ns", lang))
    )
    headers = {c: label_of("kano.column", c, lang) for c in out.columns}
    return out.rename(columns=headers).reset_index(drop=True)


def describe_feature(result: KanoResult, feature: str, lang: str, *, names: Mapping[str, str] | None = None) -> str:
    """One sentence on a feature's category, coefficients and whether the category is clear-cut."""
    check_lang(lang)
    if feature not in result.table.index:
        raise ParameterError.from_key("kano.error.unknown_feature", column="feature", value=feature)
    row = result.table.loc[feature]
    name = feature_label(feature, lang, names)
    if row["n"] == 0:
        return t("kano.text.no_answers", lang, feature=name)
    text = t(
        "kano.text.summary",
        lang,
        feature=name,
        category=label_of("kano.category", row["category"], lang),
        n=int(row["n"]),
        better=_fmt(row["better"]),
        worse=_fmt(row["worse"]),
    )
    if bool(row["rule_applied"]):
        text += t("kano.text.rule_applied", lang, mode=label_of("kano.category", row["category_max"], lang))
    if row["fong_significant"] is pd.NA or not bool(row["fong_significant"]):
        text += t("kano.text.not_clear", lang)
    return text


def _fmt(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.2f}"
