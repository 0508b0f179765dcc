"""Key drivers of NPS: which SERVQUAL dimension or complaint category moves it most.

A *relative-importance* analysis splits the R² of a linear regression of the target (e.g. each
respondent's 0–10 recommendation score) on several predictors into one share per predictor, so
that correlated predictors are not judged by their unstable regression coefficients.

Methods
-------
``"shapley"`` (default) -- the LMG / Shapley-value decomposition of R² (Lindeman, Merenda & Gold
    1980, *Introduction to Bivariate and Multivariate Analysis*; Kruskal 1987, *The American
    Statistician* 41(1); Grömping 2006, "Relative importance for linear regression in R: the
    package relaimpo", *Journal of Statistical Software* 17(1)).  A predictor's share is the
    increase in R² when it is added to a model, averaged over all orders of entry:
    ``I_j = Σ_{S ⊆ P∖{j}} |S|! (p − |S| − 1)! / p! · (R²(S ∪ {j}) − R²(S))``.  The shares add up
    to the full model's R².  All 2^p subset R² are computed from the correlation matrix
    (``R²(S) = r_yS' R_SS⁻¹ r_yS``), so p is limited to :data:`MAX_PREDICTORS`.
``"relative_weights"`` -- Johnson's relative weights (Johnson 2000, "A heuristic method for
    estimating the relative weight of predictor variables in multiple regression",
    *Multivariate Behavioral Research* 35(1)): regress the target on the orthogonal
    counterparts ``Z = X R^{-1/2}`` of the predictors and map back with ``(R^{1/2})²``.  Close
    to the Shapley values, and they too add up to R².

With uncorrelated predictors both methods give each predictor its squared correlation with the
target.  Bootstrap percentile intervals (``n_boot`` resamples of respondents) show how stable
the shares are.

Caveats (returned in zh/en by :meth:`DriverResult.caveats`): the shares describe association in
this sample, not cause and effect; with few respondents they move a lot between samples; they
only divide the variance the predictors explain (a low R² means other things drive NPS); and
predictors not in the model can be behind those that are.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> x = rng.normal(size=(500, 2))
>>> frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "nps": 2 * x[:, 0] + x[:, 1] + rng.normal(size=500)})
>>> res = key_drivers(frame, target="nps", predictors=["a", "b"], n_boot=0)
>>> res.table["predictor"].tolist()
['a', 'b']
>>> round(float(res.table["importance"].sum()), 6) == round(res.r2, 6)
True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from math import factorial
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kit.core.display import format_p, md_text
from kit.core.errors import DataError, ParameterError
from kit.core.frames import require_column
from kit.core.i18n import label_of, t
from kit.loyalty.servqual import DIMENSION_ITEMS, DIMENSIONS, N_ITEMS, respondent_gaps
from kit.loyalty.survey import MIN_N, answer_scores

__all__ = [
    "DriverResult",
    "MAX_PREDICTORS",
    "METHODS",
    "TABLE_COLUMNS",
    "complaint_driver_frame",
    "describe_drivers",
    "key_drivers",
    "relative_weights",
    "servqual_driver_frame",
    "shapley_r2",
]

METHODS = ("shapley", "relative_weights")
#: At most this many predictors (2^p subset regressions).
MAX_PREDICTORS = 12
TABLE_COLUMNS = ["predictor", "n", "r", "beta", "importance", "share", "share_low", "share_high", "rank"]


# --------------------------------------------------------------------------------------------
# the two decompositions, on correlation matrices
# --------------------------------------------------------------------------------------------
#: Smallest eigenvalue of a correlation matrix below which its subset regressions use the
#: pseudo-inverse; above it every principal submatrix is at least as well conditioned (Cauchy
#: interlacing: condition number below p / 1e-6), and a linear solve gives the same R² as the
#: pseudo-inverse up to rounding, about ten times faster.
_WELL_CONDITIONED = 1e-6


def _subset_r2(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """R² of every subset of predictors, indexed by bit mask; ``rxx`` (…, p, p), ``rxy`` (…, p).

    ``R²(S) = r_yS' R_SS⁻¹ r_yS``: a linear solve for well-conditioned matrices, the
    pseudo-inverse (minimum-norm solution) for (nearly) singular ones, e.g. two predictors
    equal in a bootstrap resample.
    """
    p = rxx.shape[-1]
    batch = rxx.shape[:-2]
    rxx = rxx.reshape((-1, p, p))
    rxy = rxy.reshape((-1, p))
    out = np.zeros((rxx.shape[0], 1 << p))
    good = np.linalg.eigvalsh(rxx).min(axis=-1) > _WELL_CONDITIONED
    bad = ~good
    for mask in range(1, 1 << p):  # 2^p subsets, each solved for the whole bootstrap batch at once
        idx = [j for j in range(p) if mask >> j & 1]
        sub = rxx[:, idx, :][:, :, idx]
        r = rxy[:, idx]
        coef = np.empty_like(r)
        if good.any():
            coef[good] = np.linalg.solve(sub[good], r[good][..., None])[..., 0]
        if bad.any():
            coef[bad] = np.einsum("...ij,...j->...i", np.linalg.pinv(sub[bad]), r[bad])
        out[:, mask] = np.einsum("...i,...i->...", r, coef)
    return out.reshape(batch + (1 << p,))


def shapley_r2(rxx: Any, rxy: Any) -> np.ndarray:
    """Shapley (LMG) shares of R² from the predictors' correlation matrix and their correlations with y.

    Parameters
    ----------
    rxx : array (…, p, p)
        Correlation matrix of the predictors (a stack of them for bootstrap batches).
    rxy : array (…, p)
        Correlations of the predictors with the target.

    Returns
    -------
    ndarray (…, p)
        Each predictor's share of R²; they add up to the full R².

    Examples
    --------
    >>> import numpy as np
    >>> np.round(shapley_r2(np.eye(2), np.array([0.5, 0.3])), 2).tolist()  # uncorrelated: r²
    [0.25, 0.09]
    """
    rxx = np.asarray(rxx, dtype="float64")
    rxy = np.asarray(rxy, dtype="float64")
    p = rxx.shape[-1]
    r2 = _subset_r2(rxx, rxy)
    masks = np.arange(1 << p)
    size = np.array([bin(m).count("1") for m in masks])
    weight = np.array([factorial(k) * factorial(p - k - 1) / factorial(p) if k < p else 0.0 for k in size])
    out = np.zeros(rxx.shape[:-2] + (p,))
    for j in range(p):
        without = masks[(masks >> j & 1) == 0]
        out[..., j] = np.sum(weight[without] * (r2[..., without | (1 << j)] - r2[..., without]), axis=-1)
    return out


def relative_weights(rxx: Any, rxy: Any) -> np.ndarray:
    """Johnson's (2000) relative weights from correlations (same shapes as :func:`shapley_r2`).

    ``Λ = R_xx^{1/2}`` (symmetric square root), ``β = Λ⁻¹ r_xy``, weight_j = ``Σ_k Λ_jk² β_k²``.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(relative_weights(np.eye(2), np.array([0.5, 0.3])), 2).tolist()
    [0.25, 0.09]
    """
    rxx = np.asarray(rxx, dtype="float64")
    rxy = np.asarray(rxy, dtype="float64")
    vals, vecs = np.linalg.eigh(rxx)
    vals = np.clip(vals, 0, None)
    root = np.einsum("...ij,...j,...kj->...ik", vecs, np.sqrt(vals), vecs)
    beta = np.einsum("...ij,...j->...i", np.linalg.pinv(root), rxy)
    return np.einsum("...jk,...k->...j", root**2, beta**2)


def _corr(data: np.ndarray) -> np.ndarray:
    """Correlation matrices of a stack of data sets (…, n, m); constant columns get 0 correlations."""
    centred = data - data.mean(axis=-2, keepdims=True)
    cov = np.einsum("...ni,...nj->...ij", centred, centred)
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=-2, axis2=-1), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / (sd[..., :, None] * sd[..., None, :])
    corr = np.where(np.isfinite(corr), corr, 0.0)
    eye = np.eye(data.shape[-1], dtype=bool)
    return np.where(eye, 1.0, corr)


# --------------------------------------------------------------------------------------------
# the public analysis
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DriverResult:
    """The relative importance of each predictor for one target.

    Attributes
    ----------
    table : DataFrame
        One row per predictor, most important first: ``predictor``, ``n``, ``r`` (correlation
        with the target), ``beta`` (standardised coefficient in the full model),
        ``importance`` (share of R², 0–1 scale, adds up to ``r2``), ``share`` (% of R²),
        ``share_low``, ``share_high`` (bootstrap percentile interval of ``share``; NaN without
        bootstrap) and ``rank``.
    r2 : float
        R² of the full model.
    n : int
        Respondents used (complete rows).
    f_pvalue : float
        p-value of the overall F test of the full model.
    method, target : str
    min_n : int
        Threshold below which ``small_sample`` is true.
    """

    table: pd.DataFrame
    r2: float
    n: int
    f_pvalue: float
    method: str
    target: str
    min_n: int = MIN_N

    @property
    def small_sample(self) -> bool:
        """Fewer complete rows than ``min_n`` (or than 10 per predictor)."""
        return self.n < max(self.min_n, 10 * max(len(self.table), 1))

    def caveats(self, lang: str) -> list[str]:
        """What the shares do and do not mean, in ``lang``."""
        lines = [t("drivers.caveat.association", lang), t("drivers.caveat.r2", lang, r2=f"{self.r2:.0%}")]
        if self.small_sample:
            lines.append(t("drivers.caveat.small", lang, n=self.n, needed=max(self.min_n, 10 * len(self.table))))
        else:
            lines.append(t("drivers.caveat.sample", lang, n=self.n))
        if not np.isfinite(self.f_pvalue) or self.f_pvalue >= 0.05:
            lines.append(t("drivers.caveat.not_significant", lang))
        lines.append(t("drivers.caveat.omitted", lang))
        return lines


def _check(method: str, n_boot: int, conf: float, min_n: int) -> None:
    if method not in METHODS:
        raise ParameterError.from_key(
            "drivers.error.bad_parameter",
            hint="drivers.hint.bad_parameter",
            column="method",
            name="method",
            value=repr(method),
        )
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError.from_key(
            "drivers.error.bad_parameter",
            hint="drivers.hint.bad_parameter",
            column="n_boot",
            name="n_boot",
            value=repr(n_boot),
        )
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 < conf < 1:
        raise ParameterError.from_key(
            "drivers.error.bad_parameter",
            hint="drivers.hint.bad_parameter",
            column="conf",
            name="conf",
            value=repr(conf),
        )
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ParameterError.from_key(
            "drivers.error.bad_parameter",
            hint="drivers.hint.bad_parameter",
            column="min_n",
            name="min_n",
            value=repr(min_n),
        )


def key_drivers(
    frame: pd.DataFrame,
    target: str = "nps",
    predictors: Sequence[str] | None = None,
    method: str = "shapley",
    n_boot: int = 200,
    conf: float = 0.95,
    seed: int = 0,
    min_n: int = MIN_N,
) -> DriverResult:
    """Relative importance of ``predictors`` for ``target`` (rows with a missing value are dropped).

    Parameters
    ----------
    frame : DataFrame
        One row per respondent, numeric columns (0/1 indicators are fine).
    target : str
        The outcome column, e.g. ``"nps"`` (the 0–10 answer).
    predictors : sequence of str, optional
        Predictor columns; default every other numeric column.  At most 12.
    method : {"shapley", "relative_weights"}
        See the module docstring.
    n_boot : int
        Bootstrap resamples for the intervals of the shares (0 = none).
    conf : float
        Level of the bootstrap percentile interval.
    seed : int
        Seed of the bootstrap.
    min_n : int
        Below ``max(min_n, 10 × predictors)`` complete rows the result is flagged as a small
        sample.

    Returns
    -------
    DriverResult

    Raises
    ------
    DataError
        Missing or non-numeric columns, or fewer than ``p + 2`` complete rows.
    ParameterError
        Unknown method, too many predictors, bad ``n_boot``/``conf``/``min_n``.

    Examples
    --------
    See the module docstring.
    """
    _check(method, n_boot, conf, min_n)
    require_column(frame, target, "drivers")
    cols = (
        list(predictors)
        if predictors is not None
        else [c for c in frame.columns if c != target and pd.api.types.is_numeric_dtype(frame[c])]
    )
    if not cols or len(cols) > MAX_PREDICTORS:
        raise ParameterError.from_key(
            "drivers.error.bad_predictors",
            hint="drivers.hint.bad_parameter",
            column="predictors",
            count=len(cols),
            limit=MAX_PREDICTORS,
        )
    for c in cols:
        require_column(frame, c, "drivers")
    values = {}
    for c in [target] + cols:
        num = pd.to_numeric(frame[c], errors="coerce")
        bad = (num.isna() & frame[c].notna()).to_numpy()
        if bad.any():
            raise DataError.from_key("drivers.error.not_numeric", column=c, count=int(bad.sum()))
        values[c] = num.to_numpy(dtype="float64", na_value=np.nan)
    data = np.column_stack([values[c] for c in [target] + cols])
    data = data[~np.isnan(data).any(axis=1)]
    n, p = data.shape[0], len(cols)
    if n < p + 2:
        raise DataError.from_key("drivers.error.too_few_rows", column=target, n=n, needed=p + 2)
    decompose = shapley_r2 if method == "shapley" else relative_weights
    corr = _corr(data)
    rxx, rxy = corr[1:, 1:], corr[1:, 0]
    importance = decompose(rxx, rxy)
    beta = np.linalg.pinv(rxx) @ rxy
    r2 = float(rxy @ beta)
    dfd = n - p - 1
    if dfd > 0 and r2 < 1:
        f = (r2 / p) / ((1 - r2) / dfd)
        f_p = float(stats.f.sf(f, p, dfd))
    else:
        f_p = float("nan")
    share = 100 * importance / r2 if r2 > 0 else np.full(p, np.nan)
    low = high = np.full(p, np.nan)
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(n_boot, n))
        boot_corr = _corr(data[idx])
        boot_imp = decompose(boot_corr[:, 1:, 1:], boot_corr[:, 1:, 0])
        total = boot_imp.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            boot_share = np.where(total > 0, 100 * boot_imp / total, np.nan)
        alpha = (1 - conf) / 2
        low = np.nanquantile(boot_share, alpha, axis=0)
        high = np.nanquantile(boot_share, 1 - alpha, axis=0)
    table = pd.DataFrame(
        {
            "predictor": cols,
            "n": n,
            "r": rxy,
            "beta": beta,
            "importance": importance,
            "share": share,
            "share_low": low,
            "share_high": high,
        }
    )
    table = table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
    table["rank"] = np.arange(1, p + 1)
    return DriverResult(
        table=table[TABLE_COLUMNS], r2=r2, n=int(n), f_pvalue=f_p, method=method, target=target, min_n=min_n
    )


# --------------------------------------------------------------------------------------------
# building the respondent-level frames
# --------------------------------------------------------------------------------------------
def servqual_driver_frame(
    surveys: pd.DataFrame,
    target: str = "nps",
    use: str = "gap",
    expectation_prefix: str = "servqual_e",
    perception_prefix: str = "servqual_p",
) -> pd.DataFrame:
    """Respondent-level SERVQUAL dimension scores next to the target, for :func:`key_drivers`.

    Parameters
    ----------
    surveys : DataFrame
        Survey responses with the 22 E and P items.
    target : str
        Outcome column (e.g. ``"nps"``).
    use : {"gap", "perception"}
        ``"gap"``: each respondent's dimension gap P − E (:func:`kit.loyalty.servqual.respondent_gaps`);
        ``"perception"``: his mean perception on the dimension's items (Cronin & Taylor 1992's
        SERVPERF reading, often the better predictor).

    Returns
    -------
    DataFrame
        ``target`` and one column per dimension (``tangibles`` … ``empathy``), for respondents
        who answered the SERVQUAL block; same index as ``surveys``.

    Examples
    --------
    >>> import pandas as pd
    >>> row = {f"servqual_e{k:02d}": 6 for k in range(1, 23)} | {f"servqual_p{k:02d}": 5 for k in range(1, 23)}
    >>> servqual_driver_frame(pd.DataFrame([row | {"nps": 8}])).iloc[0].tolist()
    [8.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    """
    if use not in ("gap", "perception"):
        raise ParameterError.from_key(
            "drivers.error.bad_parameter", hint="drivers.hint.bad_parameter", column="use", name="use", value=repr(use)
        )
    require_column(surveys, target, "drivers")
    y = pd.to_numeric(surveys[target], errors="coerce").astype("float64")
    if use == "gap":
        gaps = respondent_gaps(surveys, expectation_prefix, perception_prefix, importance_prefix=None)
        dims = pd.DataFrame({d: gaps[f"gap_{d}"] for d in DIMENSIONS}, index=surveys.index)
        answered = gaps["answered"].to_numpy()
    else:
        items = np.column_stack(
            [answer_scores(surveys, f"{perception_prefix}{k:02d}", 1, 7, "servqual") for k in range(1, N_ITEMS + 1)]
        )
        dims = pd.DataFrame(index=surveys.index)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice" for skipped blocks
            for d in DIMENSIONS:
                cols = [k - 1 for k in DIMENSION_ITEMS[d]]
                dims[d] = np.nanmean(items[:, cols], axis=1)
        answered = ~np.isnan(items).all(axis=1)
    out = pd.concat([y.rename(target), dims.astype("float64")], axis=1)
    return out.loc[answered]


def complaint_driver_frame(
    surveys: pd.DataFrame,
    complaints: pd.DataFrame,
    target: str = "nps",
    category_col: str = "category_en",
    lookback_days: int = 180,
    min_complainers: int = 5,
    max_categories: int = 8,
    customer_col: str = "customer_id",
    survey_date_col: str = "date",
    created_col: str = "created_at",
    by: Sequence[str] = ("store_id",),
) -> pd.DataFrame:
    """Per respondent: did he complain about each category in the ``lookback_days`` before the survey?

    Parameters
    ----------
    surveys, complaints : DataFrame
        Survey responses and the complaints log (linked by ``customer_col`` and ``by``).
    target : str
        Outcome column of ``surveys``.
    category_col : str
        Complaint category column.
    lookback_days : int
        A complaint counts when created at most this many days before the survey date (and not
        after it).
    min_complainers, max_categories : int
        Keep categories with at least ``min_complainers`` respondents who complained about
        them, at most the ``max_categories`` most frequent (rarer categories are left out:
        a handful of complainers cannot carry a driver analysis).
    by : sequence of str
        Columns that must match too (a complaint to store A does not count for a survey of
        store B).  Use ``()`` to link across the chain.

    Returns
    -------
    DataFrame
        ``target`` plus one 0/1 column per kept category; same index as ``surveys`` (rows with
        a missing target are kept; :func:`key_drivers` drops them).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.to_datetime(["2026-02-01", "2026-02-01"]), "nps": [3, 9]})
    >>> c = pd.DataFrame({"customer_id": ["a"], "created_at": pd.to_datetime(["2026-01-20"]), "category_en": ["delivery"]})
    >>> complaint_driver_frame(s, c, min_complainers=1, by=())
       nps  delivery
    0  3.0         1
    1  9.0         0
    """
    keys = list(by)
    for col in [customer_col, survey_date_col, target] + keys:
        require_column(surveys, col, "drivers")
    for col in [customer_col, created_col, category_col] + keys:
        require_column(complaints, col, "drivers")
    resp = pd.DataFrame({k: surveys[k] for k in keys + [customer_col]})
    resp["_when"] = pd.to_datetime(surveys[survey_date_col], errors="coerce").astype("datetime64[ns]")
    resp["_row"] = np.arange(len(surveys))
    comp = pd.DataFrame({k: complaints[k] for k in keys + [customer_col]})
    comp["_created"] = pd.to_datetime(complaints[created_col], errors="coerce").astype("datetime64[ns]").dt.normalize()
    comp["_cat"] = complaints[category_col].astype(str)
    linked = resp.merge(comp, on=keys + [customer_col], how="inner")
    age = (linked["_when"] - linked["_created"]).dt.days
    linked = linked[(age >= 0) & (age <= lookback_days)][["_row", "_cat"]].drop_duplicates()
    counts = linked["_cat"].value_counts()
    kept = counts[counts >= min_complainers].head(max_categories).index.tolist()
    dummies = np.zeros((len(surveys), len(kept)), dtype="int64")
    if kept:
        sel = linked[linked["_cat"].isin(kept)]
        col_pos = pd.Index(kept).get_indexer(sel["_cat"])
        dummies[sel["_row"].to_numpy(), col_pos] = 1
    out = pd.DataFrame(dummies, columns=kept, index=surveys.index)
    y = pd.to_numeric(surveys[target], errors="coerce").astype("float64").rename(target)
    return pd.concat([y, out], axis=1)


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------
def describe_drivers(result: DriverResult | None, lang: str, label_group: str | None = None, link: str = "") -> str:
    """One paragraph naming the strongest driver, its share and the model's R², plus the caveats.

    ``result`` None (too little data for a model, see :func:`kit.loyalty.report.drivers_or_none`)
    says so.
    """
    if result is None or result.table.empty:
        return t("drivers.text.none", lang)
    top = result.table.iloc[0]
    name = md_text(label_of(label_group, top["predictor"], lang) if label_group else top["predictor"])
    interval = ""
    if pd.notna(top["share_low"]):
        interval = t("drivers.text.interval", lang, low=f"{top['share_low']:.0f}", high=f"{top['share_high']:.0f}")
    direction = t("drivers.text.positive" if top["r"] >= 0 else "drivers.text.negative", lang)
    weak = not np.isfinite(result.f_pvalue) or result.f_pvalue >= 0.05
    text = t(
        "drivers.text.weak" if weak else "drivers.text.top",
        lang,
        p=format_p(result.f_pvalue),
        name=name,
        share=f"{top['share']:.0f}",
        interval=interval,
        r2=f"{result.r2:.0%}",
        n=result.n,
        direction=direction,
        r=f"{top['r']:.2f}",
    )
    text += " " + " ".join(result.caveats(lang))
    if link:
        text += " " + link
    return text
