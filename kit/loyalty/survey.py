"""Satisfaction and loyalty survey metrics: NPS, CSAT and CES, with intervals and comparisons.

Every function takes a survey table (one row per response) and returns one row per group of the
columns in ``by`` (for instance ``by=("store_id", "month")``), computed for the whole chain at
once with vectorised ``groupby`` sums.  Missing answers (empty cells) are skipped; impossible
answers (an NPS of 11, a CSAT of 0, a CES of 6 on the 1–5 scale, text) raise
:class:`~kit.core.errors.DataError` instead of being silently dropped.

Definitions
-----------
NPS (Reichheld 2003, "The one number you need to grow", *Harvard Business Review* 81(12))
    Answers 0–10 to "How likely is it that you would recommend ...?".  Promoters answer 9–10,
    passives 7–8, detractors 0–6; ``NPS = 100 · (p − d)`` with ``p`` and ``d`` the shares of
    promoters and detractors.  Scoring each respondent +1 / 0 / −1 makes NPS a mean, whose
    variance per respondent is ``p + d − (p − d)²``; the standard error is
    ``100 · sqrt((p + d − (p − d)²) / n)``.
NPS interval: adjusted-Wald (Rocks 2016, "Interval estimation for the 'Net Promoter Score'",
    *The American Statistician* 70(4), 365–372; recommended by Sauro & Lewis, MeasuringU 2021)
    Add 3 pseudo-respondents before computing a Wald interval: 3/4 of a promoter, 3/2 of a
    passive and 3/4 of a detractor (the default ``pseudo_observations = c(0.75, 1.5, 0.75)`` of
    Rocks' R package *NPS*).  With ``n' = n + 3``, ``p' = (P + 0.75)/n'``,
    ``d' = (D + 0.75)/n'`` the interval is
    ``100 · [(p' − d') ± z · sqrt((p' + d' − (p' − d')²)/n')]``, clipped to [−100, 100].  It is
    centred on the adjusted estimate, so it is not symmetric around the reported NPS, and it
    still has a sensible width when every respondent is a promoter.
NPS interval: Wald (``method="wald"``)
    The plain ``100 · [(p − d) ± z · SE]`` quoted by survey platforms and textbooks; it has no
    width when every respondent is a promoter and undercovers in small samples (Rocks 2016).
    Clipped to [−100, 100]; ``clipped`` says when a bound was cut.
CSAT
    Share (%) of answers 4 or 5 on a 1–5 scale ("top-2-box"), *not* the mean; the mean is
    reported alongside.  Its interval is by default the adjusted-Wald interval for a proportion
    (Agresti & Coull 1998, "Approximate is better than 'exact' for interval estimation of
    binomial proportions", *The American Statistician* 52(2), 119–126): add ``z²/2`` successes
    and ``z²`` trials.  ``method="wilson"``: the score interval of Wilson (1927, "Probable
    inference, the law of succession, and statistical inference", *JASA* 22(158), 209–212),
    ``(p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)``, never outside [0, 1].
    ``method="wald"``: ``p̂ ± z·sqrt(p̂(1 − p̂)/n)``, clipped to [0, 1].
CES
    Customer Effort Score on a *declared* scale, never mixed: ``"ces1"`` is the original 1–5
    effort question of Dixon, Freeman & Toman (2010, "Stop trying to delight your customers",
    *HBR* 88(7/8)), where lower means less effort; ``"ces2"`` is CES 2.0 (CEB 2013), agreement
    1–7 with "The company made it easy for me to handle my issue", where higher is better.
    Reported as the mean with a t interval (``method="t"``: mean ± t(1 − α/2, n − 1) · s/√n,
    Student 1908, clipped to the scale), plus the share of low-effort answers (1–2 on CES 1.0,
    5–7 on CES 2.0).
Interval methods
    Every table says the method used in ``ci_method`` and whether a bound was cut at the end of
    the scale in ``clipped``, so a report can name both (see
    :func:`kit.loyalty.report.method_note`).
Comparisons
    Two NPS: ``z = (NPS₁ − NPS₂) / sqrt(SE₁² + SE₂²)`` with the standard errors above.  Two
    CSAT shares: pooled two-proportion z test.  Two CES means: Welch t test.  Two-sided
    p-values.
Small samples
    ``small_sample`` is true when ``n < min_n`` (default 30, the usual threshold of Sauro &
    Lewis for normal approximations; with 30 answers one respondent moves NPS by 3.3 points).
    Reports should show such rows greyed out or with a warning rather than rank them.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"store_id": ["001"] * 4 + ["002"] * 2, "nps": [10, 9, 7, 3, 6, 10]})
>>> nps_table(answers, by=("store_id",))[["store_id", "n", "nps"]]
  store_id  n   nps
0      001  4  25.0
1      002  2   0.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kit.core.errors import DataError, ParameterError
from kit.core.frames import by_list, examples, group_sums, require_column, safe_div, z_value

__all__ = [
    "CES_COLUMNS",
    "CES_SCALES",
    "CI_METHODS",
    "COMPARE_COLUMNS",
    "CSAT_COLUMNS",
    "METRICS",
    "MIN_N",
    "NPS_COLUMNS",
    "NPS_PSEUDO",
    "answer_scores",
    "ces_table",
    "compare",
    "compare_to_rest",
    "csat_table",
    "nps_table",
]

#: Default small-sample threshold (see the module docstring).
MIN_N = 30
#: Pseudo-observations of the adjusted-Wald NPS interval (Rocks 2016): promoters, passives, detractors.
NPS_PSEUDO = (0.75, 1.5, 0.75)
#: Declared CES scales: (lowest, highest, low-effort answers).
CES_SCALES = {"ces1": (1, 5, (1, 2)), "ces2": (1, 7, (5, 6, 7))}
METRICS = ("nps", "csat", "ces")
#: Interval methods of each metric; the first is the default.
CI_METHODS = {"nps": ("adjusted_wald", "wald"), "csat": ("agresti_coull", "wilson", "wald"), "ces": ("t",)}

NPS_COLUMNS = [
    "n",
    "promoters",
    "passives",
    "detractors",
    "pct_promoters",
    "pct_passives",
    "pct_detractors",
    "nps",
    "se",
    "ci_low",
    "ci_high",
    "ci_method",
    "clipped",
    "small_sample",
]
CSAT_COLUMNS = ["n", "satisfied", "csat", "ci_low", "ci_high", "ci_method", "clipped", "mean", "sd", "small_sample"]
CES_COLUMNS = [
    "scale",
    "n",
    "ces",
    "sd",
    "se",
    "ci_low",
    "ci_high",
    "ci_method",
    "clipped",
    "easy",
    "easy_share",
    "small_sample",
]
COMPARE_COLUMNS = [
    "metric",
    "n_current",
    "value_current",
    "n_baseline",
    "value_baseline",
    "difference",
    "se_difference",
    "statistic",
    "p_value",
    "significant",
    "small_sample",
    "test",
]


def answer_scores(frame: pd.DataFrame, col: str, low: int, high: int, module: str = "survey") -> np.ndarray:
    """The answers of ``col`` as floats (NaN = no answer); anything off the integer scale raises."""
    require_column(frame, col, module)
    raw = frame[col]
    num = pd.to_numeric(raw, errors="coerce")
    values = num.to_numpy(dtype="float64", na_value=np.nan)
    missing_raw = raw.isna().to_numpy()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        # blank text cells count as "no answer"
        missing_raw = missing_raw | raw.astype("string").str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    not_num = np.isnan(values) & ~missing_raw
    if not_num.any():
        raise DataError.from_key(
            f"{module}.error.not_numeric", column=col, count=int(not_num.sum()), examples=examples(raw, not_num)
        )
    with np.errstate(invalid="ignore"):
        off = ~np.isnan(values) & ((values < low) | (values > high) | (values != np.round(values)))
    if off.any():
        raise DataError.from_key(
            f"{module}.error.out_of_scale",
            column=col,
            count=int(off.sum()),
            low=low,
            high=high,
            examples=examples(raw, off),
        )
    return values


def _check_conf(conf: float) -> float:
    if not isinstance(conf, (int, float)) or isinstance(conf, bool) or not 0 < conf < 1:
        raise ParameterError.from_key(
            "survey.error.bad_conf", hint="survey.hint.bad_parameter", column="conf", value=repr(conf)
        )
    return float(conf)


def _check_method(metric: str, method: str | None) -> str:
    allowed = CI_METHODS[metric]
    if method is None:
        return allowed[0]
    if not isinstance(method, str) or method not in allowed:
        raise ParameterError.from_key(
            "survey.error.bad_method",
            hint="survey.hint.bad_parameter",
            column="method",
            metric=metric,
            value=repr(method),
            allowed=", ".join(allowed),
        )
    return method


def _bounded(
    centre: np.ndarray, half: np.ndarray, lo: float, hi: float, empty: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``centre ∓ half`` cut to [lo, hi] (NaN where ``empty``), and whether a bound was cut."""
    with np.errstate(invalid="ignore"):
        raw_low, raw_high = centre - half, centre + half
        cut = (raw_low < lo) | (raw_high > hi)
    low = np.where(empty, np.nan, np.clip(raw_low, lo, hi))
    high = np.where(empty, np.nan, np.clip(raw_high, lo, hi))
    return low, high, np.where(empty, False, cut)


def _check_min_n(min_n: int) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ParameterError.from_key(
            "survey.error.bad_min_n", hint="survey.hint.bad_parameter", column="min_n", value=repr(min_n)
        )
    return int(min_n)


# --------------------------------------------------------------------------------------------
# sufficient statistics per group, and the metrics computed from them
# --------------------------------------------------------------------------------------------
def _nps_counts(frame: pd.DataFrame, score_col: str, by: list[str]) -> pd.DataFrame:
    s = answer_scores(frame, score_col, 0, 10)
    valid = ~np.isnan(s)
    return group_sums(
        frame,
        {
            "n": valid.astype("int64"),
            "promoters": (s >= 9).astype("int64"),
            "passives": ((s >= 7) & (s <= 8)).astype("int64"),
            "detractors": (s <= 6).astype("int64"),
        },
        by,
    )


def _nps_from_counts(counts: pd.DataFrame, conf: float, min_n: int, method: str = "adjusted_wald") -> pd.DataFrame:
    n = counts["n"].to_numpy(dtype="float64")
    prom = counts["promoters"].to_numpy(dtype="float64")
    pas = counts["passives"].to_numpy(dtype="float64")
    det = counts["detractors"].to_numpy(dtype="float64")
    p, d = safe_div(prom, n), safe_div(det, n)
    var = p + d - (p - d) ** 2
    se = 100 * np.sqrt(np.clip(var, 0, None) * safe_div(1.0, n))
    empty = n == 0
    if method == "wald":
        centre = 100 * (p - d)
        half = z_value(conf) * se
    else:
        # adjusted-Wald (Rocks 2016): 3/4 promoter, 3/2 passive, 3/4 detractor added
        n_adj = n + sum(NPS_PSEUDO)
        p_adj = (prom + NPS_PSEUDO[0]) / n_adj
        d_adj = (det + NPS_PSEUDO[2]) / n_adj
        centre = 100 * (p_adj - d_adj)
        half = 100 * z_value(conf) * np.sqrt((p_adj + d_adj - (p_adj - d_adj) ** 2) / n_adj)
    low, high, clipped = _bounded(centre, half, -100.0, 100.0, empty)
    out = counts.copy()
    out["pct_promoters"] = 100 * p
    out["pct_passives"] = 100 * safe_div(pas, n)
    out["pct_detractors"] = 100 * d
    out["nps"] = 100 * (p - d)
    out["se"] = se
    out["ci_low"] = low
    out["ci_high"] = high
    out["ci_method"] = method
    out["clipped"] = clipped
    out["small_sample"] = n < min_n
    return out


def _csat_counts(frame: pd.DataFrame, score_col: str, by: list[str]) -> pd.DataFrame:
    s = answer_scores(frame, score_col, 1, 5)
    valid = ~np.isnan(s)
    x = np.where(valid, s, 0.0)
    return group_sums(
        frame,
        {"n": valid.astype("int64"), "satisfied": (s >= 4).astype("int64"), "sum": x, "sumsq": x**2},
        by,
    )


def _mean_sd(counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = counts["n"].to_numpy(dtype="float64")
    mean = safe_div(counts["sum"], n)
    var = safe_div(counts["sumsq"].to_numpy(dtype="float64") - n * mean**2, n - 1)
    return mean, np.sqrt(np.clip(var, 0, None))


def _csat_from_counts(counts: pd.DataFrame, conf: float, min_n: int, method: str = "agresti_coull") -> pd.DataFrame:
    n = counts["n"].to_numpy(dtype="float64")
    x = counts["satisfied"].to_numpy(dtype="float64")
    z = z_value(conf)
    empty = n == 0
    p_hat = safe_div(x, n)
    if method == "wilson":
        inv_n = safe_div(1.0, n)
        centre = (p_hat + z**2 / 2 * inv_n) / (1 + z**2 * inv_n)
        half = z / (1 + z**2 * inv_n) * np.sqrt(p_hat * (1 - p_hat) * inv_n + z**2 / 4 * inv_n**2)
    elif method == "wald":
        centre = p_hat
        half = z * np.sqrt(p_hat * (1 - p_hat) * safe_div(1.0, n))
    else:
        n_adj = n + z**2
        centre = (x + z**2 / 2) / n_adj
        half = z * np.sqrt(centre * (1 - centre) / n_adj)
    low, high, clipped = _bounded(100 * centre, 100 * half, 0.0, 100.0, empty)
    if method == "wilson":
        clipped = np.zeros(len(n), dtype=bool)  # within [0, 1] by construction; only rounding is cut
    mean, sd = _mean_sd(counts)
    out = counts.drop(columns=["sum", "sumsq"]).copy()
    out["csat"] = 100 * p_hat
    out["ci_low"] = low
    out["ci_high"] = high
    out["ci_method"] = method
    out["clipped"] = clipped
    out["mean"] = mean
    out["sd"] = sd
    out["small_sample"] = n < min_n
    return out


def _check_scale(scale: str) -> tuple[int, int, tuple[int, ...]]:
    if scale not in CES_SCALES:
        raise ParameterError.from_key(
            "survey.error.bad_ces_scale", hint="survey.hint.bad_parameter", column="scale", scale=repr(scale)
        )
    return CES_SCALES[scale]


def _ces_counts(frame: pd.DataFrame, score_col: str, by: list[str], scale: str, scale_col: str | None) -> pd.DataFrame:
    low, high, easy_values = _check_scale(scale)
    if scale_col is not None:
        require_column(frame, scale_col)
        declared = frame[scale_col].dropna().astype(str).unique()
        others = sorted(set(declared) - {scale})
        if others:
            raise DataError.from_key(
                "survey.error.mixed_ces_scale", column=scale_col, scale=scale, others=", ".join(others)
            )
    s = answer_scores(frame, score_col, low, high)
    valid = ~np.isnan(s)
    x = np.where(valid, s, 0.0)
    return group_sums(
        frame,
        {"n": valid.astype("int64"), "easy": np.isin(s, easy_values).astype("int64"), "sum": x, "sumsq": x**2},
        by,
    )


def _ces_from_counts(counts: pd.DataFrame, conf: float, min_n: int, scale: str) -> pd.DataFrame:
    n = counts["n"].to_numpy(dtype="float64")
    mean, sd = _mean_sd(counts)
    se = sd * np.sqrt(safe_div(1.0, n))
    with np.errstate(invalid="ignore"):
        tq = stats.t.ppf(1 - (1 - conf) / 2, np.where(n > 1, n - 1, np.nan))
    low, high = CES_SCALES[scale][:2]
    out = counts.drop(columns=["sum", "sumsq"]).copy()
    out.insert(len(out.columns) - 2, "scale", scale)
    out["ces"] = mean
    out["sd"] = sd
    out["se"] = se
    no_interval = ~np.isfinite(tq * se)
    ci_low, ci_high, clipped = _bounded(mean, tq * se, float(low), float(high), no_interval)
    out["ci_low"] = ci_low
    out["ci_high"] = ci_high
    out["ci_method"] = "t"
    out["clipped"] = clipped
    out["easy_share"] = 100 * safe_div(counts["easy"], n)
    out["small_sample"] = n < min_n
    return out


def _ordered(table: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    return table[by + columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# public tables
# --------------------------------------------------------------------------------------------
def nps_table(
    surveys: pd.DataFrame,
    score_col: str = "nps",
    by: Sequence[str] = (),
    conf: float = 0.95,
    min_n: int = MIN_N,
    method: str = "adjusted_wald",
) -> pd.DataFrame:
    """Net Promoter Score per group, with its standard error and an interval (adjusted Wald by default).

    Parameters
    ----------
    surveys : DataFrame
        One row per response; ``score_col`` holds the 0–10 likelihood-to-recommend answer
        (empty = no answer).
    score_col : str
        Column of the 0–10 answers.
    by : sequence of str
        Grouping columns, e.g. ``("store_id", "month")``; empty for one overall row.
    conf : float
        Confidence level of the interval.
    min_n : int
        Groups with fewer answers get ``small_sample = True``.
    method : {"adjusted_wald", "wald"}
        ``"adjusted_wald"`` (default): Rocks (2016), "Interval estimation for the 'Net Promoter
        Score'", *The American Statistician* 70(4), 365–372 -- 3 pseudo-respondents (3/4
        promoter, 3/2 passive, 3/4 detractor) are added before the Wald formula.  ``"wald"``:
        the plain ``NPS ± z·SE`` of survey platforms and textbooks.  Both are clipped to
        [−100, 100].

    Returns
    -------
    DataFrame
        ``by`` columns, then ``n, promoters, passives, detractors, pct_promoters,
        pct_passives, pct_detractors, nps, se, ci_low, ci_high, ci_method, clipped,
        small_sample``.  NPS, its standard error and the interval are in points (−100 … 100);
        ``ci_method`` names the interval, ``clipped`` is true when a bound was cut at ±100.
        A group with no answer has ``n = 0`` and NaN metrics.

    Raises
    ------
    DataError
        A score outside 0–10, not a whole number, or not a number.
    ParameterError
        An unknown ``method``, ``conf`` outside (0, 1) or ``min_n`` below 1.

    Notes
    -----
    Reichheld (2003): promoters 9–10, passives 7–8, detractors 0–6, NPS = 100·(p − d).
    SE = 100·sqrt((p + d − (p − d)²)/n).  Intervals: see the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> row = nps_table(pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0]})).iloc[0]
    >>> float(row["nps"]), round(float(row["se"]), 1)  # var = 2/6 + 2/6 - 0 = 2/3; SE = 100*sqrt(2/3/6)
    (0.0, 33.3)

    50 promoters, 20 passives, 30 detractors of 100: NPS = 20; var = .5 + .3 − .2² = .76,
    SE = 100·sqrt(.76/100) = 8.718; Wald: 20 ∓ 1.96·8.718 = (2.91, 37.09).  Adjusted Wald:
    n' = 103, p' = 50.75/103, d' = 30.75/103, centre = 100·20/103 = 19.42,
    var' = p' + d' − (p' − d')² = .75356, half = 196·sqrt(.75356/103) = 16.76 → (2.65, 36.18).

    >>> answers = pd.DataFrame({"nps": [10] * 50 + [8] * 20 + [3] * 30})
    >>> wald = nps_table(answers, method="wald").iloc[0]
    >>> round(float(wald["ci_low"]), 2), round(float(wald["ci_high"]), 2), wald["ci_method"]
    (2.91, 37.09, 'wald')
    >>> adj = nps_table(answers).iloc[0]
    >>> round(float(adj["ci_low"]), 2), round(float(adj["ci_high"]), 2), adj["ci_method"]
    (2.65, 36.18, 'adjusted_wald')
    """
    conf, min_n = _check_conf(conf), _check_min_n(min_n)
    method = _check_method("nps", method)
    keys = by_list(surveys, by)
    counts = _nps_counts(surveys, score_col, keys)
    return _ordered(_nps_from_counts(counts, conf, min_n, method), keys, NPS_COLUMNS)


def csat_table(
    surveys: pd.DataFrame,
    score_col: str = "csat",
    by: Sequence[str] = (),
    conf: float = 0.95,
    min_n: int = MIN_N,
    method: str = "agresti_coull",
) -> pd.DataFrame:
    """CSAT per group: the top-2-box share (answers 4–5 on 1–5) in %, with the mean alongside.

    Parameters
    ----------
    surveys : DataFrame
        One row per response; ``score_col`` holds the 1–5 satisfaction answer.
    score_col, by, conf, min_n
        As in :func:`nps_table`.
    method : {"agresti_coull", "wilson", "wald"}
        Interval of the top-2-box share.  ``"agresti_coull"`` (default): Agresti & Coull
        (1998), *The American Statistician* 52(2), 119–126, the Wald formula after adding
        z²/2 successes and z² trials.  ``"wilson"``: the score interval of Wilson (1927),
        *Journal of the American Statistical Association* 22(158), 209–212.  ``"wald"``:
        ``p̂ ± z·sqrt(p̂(1 − p̂)/n)``.  Agresti–Coull and Wald are clipped to [0, 100] %.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``n, satisfied, csat, ci_low, ci_high, ci_method, clipped, mean,
        sd, small_sample``; ``csat`` and its interval in %, ``mean`` on the 1–5 scale.

    Examples
    --------
    >>> import pandas as pd
    >>> row = csat_table(pd.DataFrame({"csat": [5, 4, 3, 2]})).iloc[0]
    >>> float(row["csat"]), float(row["mean"])
    (50.0, 3.5)

    8 satisfied of 10, z = 1.96: Wilson centre (.8 + 1.96²/20)/(1 + 1.96²/10) = .7167, half
    1.96/1.3841 · sqrt(.016 + 1.96²/400) = .2266 → (49.02 %, 94.33 %); Wald .8 ∓ 1.96 ·
    sqrt(.016) = (55.21 %, 104.79 %), cut to 100 %.

    >>> eight = pd.DataFrame({"csat": [5] * 8 + [2] * 2})
    >>> w = csat_table(eight, method="wilson").iloc[0]
    >>> round(float(w["ci_low"]), 2), round(float(w["ci_high"]), 2), bool(w["clipped"])
    (49.02, 94.33, False)
    >>> w = csat_table(eight, method="wald").iloc[0]
    >>> round(float(w["ci_low"]), 2), float(w["ci_high"]), bool(w["clipped"])
    (55.21, 100.0, True)
    """
    conf, min_n = _check_conf(conf), _check_min_n(min_n)
    method = _check_method("csat", method)
    keys = by_list(surveys, by)
    counts = _csat_counts(surveys, score_col, keys)
    return _ordered(_csat_from_counts(counts, conf, min_n, method), keys, CSAT_COLUMNS)


def ces_table(
    surveys: pd.DataFrame,
    score_col: str = "ces",
    scale: str = "ces2",
    by: Sequence[str] = (),
    conf: float = 0.95,
    min_n: int = MIN_N,
    scale_col: str | None = None,
    method: str = "t",
) -> pd.DataFrame:
    """Customer Effort Score per group on one declared scale.

    Parameters
    ----------
    surveys : DataFrame
        One row per response.
    score_col : str
        Column of the CES answers.
    scale : {"ces2", "ces1"}
        ``"ces2"``: CES 2.0, 1–7 agreement with "the company made it easy ...", higher is
        better.  ``"ces1"``: Dixon et al. (2010), 1–5 effort, lower is better.  Answers
        outside the declared scale raise :class:`~kit.core.errors.DataError`.  Check that the
        questionnaire's wording matches the declared direction before reading ``easy_share``.
    by, conf, min_n
        As in :func:`nps_table`.
    scale_col : str, optional
        A column naming each row's scale; if given, every non-empty value must equal ``scale``
        (so two scales are never averaged together).
    method : {"t"}
        The interval of the mean: Student's t, ``mean ± t(1 − α/2, n − 1)·s/√n`` (Student
        1908, "The probable error of a mean", *Biometrika* 6(1), 1–25), clipped to the scale.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``scale, n, ces, sd, se, ci_low, ci_high, ci_method, clipped,
        easy, easy_share, small_sample``: ``ces`` is the mean with its t interval;
        ``easy_share`` (%) counts answers 5–7 on CES 2.0 or 1–2 on CES 1.0.

    Examples
    --------
    >>> import pandas as pd
    >>> row = ces_table(pd.DataFrame({"ces": [7, 6, 5, 2]})).iloc[0]
    >>> float(row["ces"]), float(row["easy_share"])
    (5.0, 75.0)

    Answers 4, 5, 6: mean 5, s = 1, SE = 1/√3, t(.975, 2) = 4.3027 → 5 ∓ 2.484 = (2.52, 7.48),
    cut to 7 on the 1–7 scale.

    >>> row = ces_table(pd.DataFrame({"ces": [4, 5, 6]})).iloc[0]
    >>> round(float(row["ci_low"]), 2), float(row["ci_high"]), row["ci_method"], bool(row["clipped"])
    (2.52, 7.0, 't', True)
    """
    conf, min_n = _check_conf(conf), _check_min_n(min_n)
    _check_method("ces", method)
    _check_scale(scale)
    keys = by_list(surveys, by)
    counts = _ces_counts(surveys, score_col, keys, scale, scale_col)
    return _ordered(_ces_from_counts(counts, conf, min_n, scale), keys, CES_COLUMNS)


# --------------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------------
def _counts(
    metric: str, frame: pd.DataFrame, score_col: str | None, by: list[str], scale: str, scale_col: str | None
) -> pd.DataFrame:
    col = score_col or metric
    if metric == "nps":
        return _nps_counts(frame, col, by)
    if metric == "csat":
        return _csat_counts(frame, col, by)
    return _ces_counts(frame, col, by, scale, scale_col)


def _check_metric(metric: str) -> str:
    if metric not in METRICS:
        raise ParameterError.from_key(
            "survey.error.bad_metric", hint="survey.hint.bad_parameter", column="metric", value=repr(metric)
        )
    return metric


def _compare_counts(metric: str, a: pd.DataFrame, b: pd.DataFrame, conf: float, min_n: int, scale: str) -> pd.DataFrame:
    """Test a against b, row by row; ``a`` and ``b`` hold the sufficient statistics of ``metric``."""
    na = a["n"].to_numpy(dtype="float64")
    nb = b["n"].to_numpy(dtype="float64")
    if metric == "nps":
        ta = _nps_from_counts(a.reset_index(drop=True), conf, min_n)
        tb = _nps_from_counts(b.reset_index(drop=True), conf, min_n)
        va, vb = ta["nps"].to_numpy(), tb["nps"].to_numpy()
        se = np.sqrt(ta["se"].to_numpy() ** 2 + tb["se"].to_numpy() ** 2)
        test = "nps_z"
        dist = "z"
    elif metric == "csat":
        xa = a["satisfied"].to_numpy(dtype="float64")
        xb = b["satisfied"].to_numpy(dtype="float64")
        va, vb = 100 * safe_div(xa, na), 100 * safe_div(xb, nb)
        pooled = safe_div(xa + xb, na + nb)
        se = 100 * np.sqrt(pooled * (1 - pooled) * (safe_div(1.0, na) + safe_div(1.0, nb)))
        test = "two_proportion_z"
        dist = "z"
    else:
        ma, sa = _mean_sd(a.reset_index(drop=True))
        mb, sb = _mean_sd(b.reset_index(drop=True))
        va, vb = ma, mb
        ua, ub = sa**2 * safe_div(1.0, na), sb**2 * safe_div(1.0, nb)
        se = np.sqrt(ua + ub)
        with np.errstate(divide="ignore", invalid="ignore"):
            dfree = (ua + ub) ** 2 / (safe_div(ua**2, na - 1) + safe_div(ub**2, nb - 1))
        test = "welch_t"
        dist = "t"
    diff = va - vb
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.nan)
    if dist == "z":
        pval = 2 * stats.norm.sf(np.abs(stat))
    else:
        pval = 2 * stats.t.sf(np.abs(stat), dfree)
    out = pd.DataFrame(
        {
            "metric": metric,
            "n_current": na.astype("int64"),
            "value_current": va,
            "n_baseline": nb.astype("int64"),
            "value_baseline": vb,
            "difference": diff,
            "se_difference": se,
            "statistic": stat,
            "p_value": pval,
        }
    )
    out["significant"] = out["p_value"].lt(1 - conf).to_numpy()
    out["small_sample"] = (na < min_n) | (nb < min_n)
    out["test"] = test
    return out


def compare(
    current: pd.DataFrame,
    baseline: pd.DataFrame,
    metric: str = "nps",
    by: Sequence[str] = (),
    score_col: str | None = None,
    conf: float = 0.95,
    min_n: int = MIN_N,
    scale: str = "ces2",
    scale_col: str | None = None,
) -> pd.DataFrame:
    """Compare a metric between two independent samples, e.g. this month against last month.

    Parameters
    ----------
    current, baseline : DataFrame
        Two survey tables (for instance the same stores in two periods).
    metric : {"nps", "csat", "ces"}
        NPS → z test on the difference of two NPS; CSAT → two-proportion z test on the
        top-2-box shares; CES → Welch t test on the means.
    by : sequence of str
        Groups compared pairwise (e.g. ``("store_id",)``); a group missing on one side gets
        ``n = 0`` there and NaN results.
    score_col : str, optional
        Score column; defaults to the metric's name.
    conf : float
        Confidence level; ``significant`` means ``p_value < 1 − conf``.
    min_n : int
        ``small_sample`` is true when either side has fewer answers.
    scale, scale_col
        CES scale, as in :func:`ces_table`.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``metric, n_current, value_current, n_baseline, value_baseline,
        difference, se_difference, statistic, p_value, significant, small_sample, test``.
        Differences of NPS and CSAT are in points; of CES in scale points.  When the standard
        error is 0 (e.g. both sides all promoters) the statistic and p-value are NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> now = pd.DataFrame({"nps": [10] * 60 + [3] * 40})
    >>> before = pd.DataFrame({"nps": [10] * 40 + [3] * 60})
    >>> row = compare(now, before).iloc[0]
    >>> round(float(row["difference"]), 1), bool(row["significant"])
    (40.0, True)
    """
    metric = _check_metric(metric)
    conf, min_n = _check_conf(conf), _check_min_n(min_n)
    if metric == "ces":
        _check_scale(scale)
    keys = by_list(current, by)
    by_list(baseline, by)
    a = _counts(metric, current, score_col, keys, scale, scale_col)
    b = _counts(metric, baseline, score_col, keys, scale, scale_col)
    if keys:
        merged = a.merge(b, on=keys, how="outer", suffixes=("_a", "_b"), sort=True)
        stat_cols = [c for c in a.columns if c not in keys]
        merged[[f"{c}_a" for c in stat_cols] + [f"{c}_b" for c in stat_cols]] = merged[
            [f"{c}_a" for c in stat_cols] + [f"{c}_b" for c in stat_cols]
        ].fillna(0)
        a2 = merged[[f"{c}_a" for c in stat_cols]].set_axis(stat_cols, axis=1)
        b2 = merged[[f"{c}_b" for c in stat_cols]].set_axis(stat_cols, axis=1)
        result = _compare_counts(metric, a2, b2, conf, min_n, scale)
        return pd.concat([merged[keys].reset_index(drop=True), result], axis=1)
    return _compare_counts(metric, a, b, conf, min_n, scale)[COMPARE_COLUMNS]


def compare_to_rest(
    surveys: pd.DataFrame,
    metric: str = "nps",
    unit_col: str = "store_id",
    by: Sequence[str] = (),
    score_col: str | None = None,
    conf: float = 0.95,
    min_n: int = MIN_N,
    scale: str = "ces2",
    scale_col: str | None = None,
) -> pd.DataFrame:
    """Compare every unit (store) with the rest of the chain, within each group of ``by``.

    "Current" is the store, "baseline" is all other stores together (the chain minus the
    store, so the two samples are independent as the tests require).  Computed for every store
    at once from group totals.

    Parameters
    ----------
    surveys : DataFrame
        One row per response.
    metric : {"nps", "csat", "ces"}
        As in :func:`compare`.
    unit_col : str
        The unit compared with the rest, usually ``"store_id"``.
    by : sequence of str
        Extra grouping, e.g. ``("month",)`` to compare each store with the rest of the chain
        in the same month.
    score_col, conf, min_n, scale, scale_col
        As in :func:`compare`.

    Returns
    -------
    DataFrame
        ``by`` columns, ``unit_col``, then the columns of :func:`compare`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"store_id": ["001"] * 3 + ["002"] * 3, "nps": [10, 10, 9, 3, 5, 10]})
    >>> compare_to_rest(df)[["store_id", "value_current", "value_baseline"]].round(1)
      store_id  value_current  value_baseline
    0      001          100.0           -33.3
    1      002          -33.3           100.0
    """
    metric = _check_metric(metric)
    conf, min_n = _check_conf(conf), _check_min_n(min_n)
    if metric == "ces":
        _check_scale(scale)
    keys = by_list(surveys, by)
    require_column(surveys, unit_col)
    if unit_col in keys:
        raise ParameterError.from_key("survey.error.unit_in_by", hint="survey.hint.bad_parameter", column=unit_col)
    units = _counts(metric, surveys, score_col, keys + [unit_col], scale, scale_col)
    stat_cols = [c for c in units.columns if c not in keys + [unit_col]]
    if keys:
        totals = units.groupby(keys, sort=False, dropna=False, observed=True)[stat_cols].transform("sum")
    else:
        totals = pd.DataFrame({c: np.repeat(units[c].sum(), len(units)) for c in stat_cols}, index=units.index)
    rest = totals[stat_cols] - units[stat_cols]
    result = _compare_counts(metric, units[stat_cols], rest, conf, min_n, scale)
    return pd.concat([units[keys + [unit_col]].reset_index(drop=True), result], axis=1)
