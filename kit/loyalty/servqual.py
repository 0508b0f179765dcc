"""SERVQUAL gap analysis: expectations against perceptions on the five service-quality dimensions.

Definitions (Parasuraman, Zeithaml & Berry 1988, "SERVQUAL: a multiple-item scale for measuring
consumer perceptions of service quality", *Journal of Retailing* 64(1); refined 1991,
*Journal of Retailing* 67(4))
    22 paired statements answered on 1–7: what an excellent company would do (expectation E)
    and what this company does (perception P).  Items 1–4 are Tangibles, 5–9 Reliability,
    10–13 Responsiveness, 14–17 Assurance, 18–22 Empathy.

    * item gap = P − E (negative: the store falls short of expectations);
    * dimension gap = mean of the item gaps of the dimension;
    * unweighted SERVQUAL score = mean of the five dimension gaps;
    * weighted SERVQUAL score = Σ dimension gap × importance points / 100, where respondents
      spread 100 points over the five dimensions (the 1991 revision; computing it for each
      respondent with his own points and then averaging is the procedure of Zeithaml,
      Parasuraman & Berry 1990, *Delivering Quality Service*, ch. 10).

How groups are formed
    Per respondent, a dimension gap is the mean of the item gaps he answered in that
    dimension (items with E or P missing are skipped).  A group's dimension gap is the mean of
    its respondents' dimension gaps; its unweighted score is the mean of its five dimension
    gaps.  ``weighting="respondent"`` (default) averages the respondents' own weighted scores
    (respondents with all five dimension gaps and importance points); ``weighting="mean"``
    multiplies the group's dimension gaps by the group's average importance points instead.
    Rows without any SERVQUAL answer (most survey rows, in the sample) are ignored.

Examples
--------
>>> import pandas as pd
>>> row = {f"servqual_e{k:02d}": 6 for k in range(1, 23)} | {f"servqual_p{k:02d}": 5 for k in range(1, 23)}
>>> result = servqual_gaps(pd.DataFrame([row]), importance_prefix=None)
>>> float(result.scores["unweighted"].iloc[0])
-1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit.core.errors import DataError, ParameterError
from kit.core.frames import by_list, examples, group_sums, require_column, safe_div
from kit.loyalty.survey import MIN_N, answer_scores

__all__ = [
    "DIMENSIONS",
    "DIMENSION_ITEMS",
    "IMPORTANCE_TOLERANCE",
    "ITEM_DIMENSION",
    "N_ITEMS",
    "ServqualResult",
    "WEIGHTINGS",
    "respondent_gaps",
    "servqual_gaps",
]

DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
#: Item numbers (1-based) of each dimension.
DIMENSION_ITEMS = {
    "tangibles": (1, 2, 3, 4),
    "reliability": (5, 6, 7, 8, 9),
    "responsiveness": (10, 11, 12, 13),
    "assurance": (14, 15, 16, 17),
    "empathy": (18, 19, 20, 21, 22),
}
N_ITEMS = 22
#: Dimension index (0..4) of items 1..22.
ITEM_DIMENSION = np.repeat(np.arange(5), [len(v) for v in DIMENSION_ITEMS.values()])
#: Importance points must add up to 100 within this tolerance (rounding in exports).
IMPORTANCE_TOLERANCE = 0.5
WEIGHTINGS = ("respondent", "mean")


@dataclass(frozen=True)
class ServqualResult:
    """Tidy SERVQUAL tables, one row per group (and item or dimension).

    Attributes
    ----------
    items : DataFrame
        ``by`` columns, ``item`` (1–22), ``dimension``, ``n``, ``expectation``, ``perception``,
        ``gap``.
    dimensions : DataFrame
        ``by`` columns, ``dimension``, ``n``, ``expectation``, ``perception``, ``gap``,
        ``importance`` (mean points of 100).
    scores : DataFrame
        ``by`` columns, ``n``, ``unweighted``, ``weighted``, ``n_weighted``, ``small_sample``.
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    scores: pd.DataFrame


def _item_matrix(surveys: pd.DataFrame, prefix: str) -> np.ndarray:
    cols = [f"{prefix}{k:02d}" for k in range(1, N_ITEMS + 1)]
    for col in cols:
        require_column(surveys, col, "servqual")
    return np.column_stack([answer_scores(surveys, col, 1, 7, "servqual") for col in cols])


def _importance_matrix(surveys: pd.DataFrame, prefix: str) -> np.ndarray:
    cols = [f"{prefix}{d}" for d in DIMENSIONS]
    for col in cols:
        require_column(surveys, col, "servqual")
    pts = np.column_stack([answer_scores(surveys, col, 0, 100, "servqual") for col in cols])
    answered = ~np.isnan(pts).all(axis=1)
    filled = np.where(np.isnan(pts), 0.0, pts)
    bad = answered & (np.abs(filled.sum(axis=1) - 100) > IMPORTANCE_TOLERANCE)
    if bad.any():
        sums = pd.Series(filled.sum(axis=1), index=surveys.index)
        raise DataError.from_key(
            "servqual.error.importance_sum", column=cols[0], count=int(bad.sum()), examples=examples(sums, bad)
        )
    return np.where(answered[:, None], filled, np.nan)


def respondent_gaps(
    surveys: pd.DataFrame,
    expectation_prefix: str = "servqual_e",
    perception_prefix: str = "servqual_p",
    importance_prefix: str | None = "importance_",
) -> pd.DataFrame:
    """Per-respondent dimension gaps and SERVQUAL scores (same index as ``surveys``).

    Parameters
    ----------
    surveys : DataFrame
        One row per response with ``<expectation_prefix>01`` … ``22`` and
        ``<perception_prefix>01`` … ``22`` (1–7) and, unless ``importance_prefix`` is None,
        ``<importance_prefix><dimension>`` points (0–100, adding up to 100).
    expectation_prefix, perception_prefix, importance_prefix : str
        Column-name prefixes.

    Returns
    -------
    DataFrame
        Columns ``gap_<dimension>`` (mean item gap P − E), ``unweighted`` (mean of the five,
        NaN unless all five are present), ``weighted`` (Σ gap × points/100, NaN without
        importance) and ``answered`` (at least one complete E/P pair).

    Examples
    --------
    >>> import pandas as pd
    >>> row = {f"servqual_e{k:02d}": 7 for k in range(1, 23)} | {f"servqual_p{k:02d}": 5 for k in range(1, 23)}
    >>> row |= {"importance_tangibles": 10, "importance_reliability": 40, "importance_responsiveness": 20,
    ...         "importance_assurance": 20, "importance_empathy": 10}
    >>> round(float(respondent_gaps(pd.DataFrame([row]))["weighted"].iloc[0]), 6)
    -2.0
    """
    e = _item_matrix(surveys, expectation_prefix)
    p = _item_matrix(surveys, perception_prefix)
    dims = _dimension_parts(e, p)
    gaps = dims["gap_sum"] / np.where(dims["count"] > 0, dims["count"], np.nan)
    out = pd.DataFrame({f"gap_{d}": gaps[:, k] for k, d in enumerate(DIMENSIONS)}, index=surveys.index)
    out["unweighted"] = gaps.mean(axis=1)  # NaN as soon as one dimension is missing
    if importance_prefix is not None:
        pts = _importance_matrix(surveys, importance_prefix)
        out["weighted"] = np.sum(gaps * pts / 100, axis=1)  # NaN if a gap or the points are missing
    else:
        out["weighted"] = np.nan
    out["answered"] = dims["count"].sum(axis=1) > 0
    return out


def _dimension_parts(e: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
    """Sums per respondent and dimension over complete E/P pairs."""
    valid = ~np.isnan(e) & ~np.isnan(p)
    ev = np.where(valid, e, 0.0)
    pv = np.where(valid, p, 0.0)
    onehot = (ITEM_DIMENSION[:, None] == np.arange(5)[None, :]).astype("float64")  # 22 x 5
    return {
        "count": valid.astype("float64") @ onehot,
        "e_sum": ev @ onehot,
        "p_sum": pv @ onehot,
        "gap_sum": (pv - ev) @ onehot,
        "valid": valid,
        "ev": ev,
        "pv": pv,
    }


def servqual_gaps(
    surveys: pd.DataFrame,
    by: Sequence[str] = (),
    expectation_prefix: str = "servqual_e",
    perception_prefix: str = "servqual_p",
    importance_prefix: str | None = "importance_",
    weighting: str = "respondent",
    min_n: int = MIN_N,
) -> ServqualResult:
    """SERVQUAL item gaps, dimension gaps and overall scores per group.

    Parameters
    ----------
    surveys : DataFrame
        One row per response (see :func:`respondent_gaps` for the columns).  Rows with no
        SERVQUAL answer are ignored.
    by : sequence of str
        Grouping columns, e.g. ``("store_id",)``.
    expectation_prefix, perception_prefix, importance_prefix : str
        Column-name prefixes; ``importance_prefix=None`` skips the weighted score.
    weighting : {"respondent", "mean"}
        ``"respondent"``: average of each respondent's own importance-weighted score
        (Zeithaml, Parasuraman & Berry 1990).  ``"mean"``: group dimension gaps weighted by
        the group's mean importance points.
    min_n : int
        Groups with fewer SERVQUAL respondents get ``small_sample = True``.

    Returns
    -------
    ServqualResult
        ``items``, ``dimensions`` and ``scores`` tables (see :class:`ServqualResult`).

    Raises
    ------
    DataError
        Missing item columns, answers outside 1–7, importance points outside 0–100 or not
        adding up to 100.

    Examples
    --------
    >>> import pandas as pd
    >>> row = {f"servqual_e{k:02d}": 6 for k in range(1, 23)} | {f"servqual_p{k:02d}": 4 for k in range(1, 23)}
    >>> res = servqual_gaps(pd.DataFrame([row]), importance_prefix=None)
    >>> res.dimensions[["dimension", "gap"]].head(2)
         dimension  gap
    0    tangibles -2.0
    1  reliability -2.0
    """
    if weighting not in WEIGHTINGS:
        raise ParameterError.from_key(
            "servqual.error.bad_weighting",
            hint="servqual.hint.bad_parameter",
            column="weighting",
            value=repr(weighting),
        )
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ParameterError.from_key(
            "servqual.error.bad_min_n", hint="servqual.hint.bad_parameter", column="min_n", value=repr(min_n)
        )
    keys = by_list(surveys, by, "servqual")
    e = _item_matrix(surveys, expectation_prefix)
    p = _item_matrix(surveys, perception_prefix)
    parts = _dimension_parts(e, p)
    answered = parts["count"].sum(axis=1) > 0
    frame = surveys.loc[answered, keys] if keys else surveys.loc[answered, []]
    if importance_prefix is not None:
        pts = _importance_matrix(surveys, importance_prefix)[answered]
    else:
        pts = np.full((int(answered.sum()), 5), np.nan)

    # ---- items: sums of E, P and counts per group, reshaped to long form
    valid, ev, pv = parts["valid"][answered], parts["ev"][answered], parts["pv"][answered]
    sums: dict[str, np.ndarray] = {"respondents": np.ones(len(frame), dtype="int64")}
    for k in range(N_ITEMS):
        sums[f"n{k}"] = valid[:, k].astype("int64")
        sums[f"e{k}"] = ev[:, k]
        sums[f"p{k}"] = pv[:, k]

    # ---- respondent dimension gaps (and their E and P), then group means
    count = parts["count"][answered]
    has = count > 0
    safe = np.where(has, count, 1.0)
    d_gap = np.where(has, parts["gap_sum"][answered] / safe, 0.0)
    d_e = np.where(has, parts["e_sum"][answered] / safe, 0.0)
    d_p = np.where(has, parts["p_sum"][answered] / safe, 0.0)
    pts_known = ~np.isnan(pts).any(axis=1)
    for j in range(5):
        sums[f"dn{j}"] = has[:, j].astype("int64")
        sums[f"dg{j}"] = d_gap[:, j]
        sums[f"de{j}"] = d_e[:, j]
        sums[f"dp{j}"] = d_p[:, j]
        sums[f"in{j}"] = pts_known.astype("int64")
        sums[f"iv{j}"] = np.where(pts_known, pts[:, j], 0.0)
    complete = has.all(axis=1) & pts_known
    gaps_full = np.where(has, d_gap, np.nan)
    weighted_r = np.sum(gaps_full * np.where(pts_known[:, None], pts, 0.0) / 100, axis=1)
    sums["wn"] = complete.astype("int64")
    sums["wv"] = np.where(complete, weighted_r, 0.0)
    g = group_sums(frame, sums, keys)

    key_frame = g[keys].reset_index(drop=True)
    n_groups = len(g)

    def cols(stem: str, m: int) -> np.ndarray:
        return g[[f"{stem}{k}" for k in range(m)]].to_numpy(dtype="float64").reshape(n_groups, m)

    n_item = cols("n", N_ITEMS)
    e_mean, p_mean = safe_div(cols("e", N_ITEMS), n_item), safe_div(cols("p", N_ITEMS), n_item)
    items = key_frame.loc[key_frame.index.repeat(N_ITEMS)].reset_index(drop=True)
    items["item"] = np.tile(np.arange(1, N_ITEMS + 1), n_groups)
    items["dimension"] = np.tile(np.array(DIMENSIONS)[ITEM_DIMENSION], n_groups)
    items["n"] = n_item.ravel().astype("int64")
    items["expectation"] = e_mean.ravel()
    items["perception"] = p_mean.ravel()
    items["gap"] = (p_mean - e_mean).ravel()

    dn = cols("dn", 5)
    dim_gap = safe_div(cols("dg", 5), dn)
    imp = safe_div(cols("iv", 5), cols("in", 5))
    dims = key_frame.loc[key_frame.index.repeat(5)].reset_index(drop=True)
    dims["dimension"] = np.tile(np.array(DIMENSIONS), n_groups)
    dims["n"] = dn.ravel().astype("int64")
    dims["expectation"] = safe_div(cols("de", 5), dn).ravel()
    dims["perception"] = safe_div(cols("dp", 5), dn).ravel()
    dims["gap"] = dim_gap.ravel()
    dims["importance"] = imp.ravel()

    scores = key_frame.copy()
    respondents = g["respondents"].to_numpy(dtype="int64")
    scores["n"] = respondents
    scores["unweighted"] = dim_gap.mean(axis=1)
    if weighting == "respondent":
        scores["weighted"] = safe_div(g["wv"], g["wn"])
        scores["n_weighted"] = g["wn"].to_numpy(dtype="int64")
    else:
        scores["weighted"] = np.sum(dim_gap * imp / 100, axis=1)
        scores["n_weighted"] = g["in0"].to_numpy(dtype="int64")
    if importance_prefix is None:
        scores["weighted"] = np.nan
    scores["small_sample"] = respondents < min_n
    return ServqualResult(items=items, dimensions=dims, scores=scores)
