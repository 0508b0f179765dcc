"""Contractual retention: the shifted-beta-geometric (sBG) model of renewals, and membership cohorts.

In a *contractual* setting -- a paid yearly membership, a subscription -- we see when a customer
leaves: she does not renew.  Fader & Hardie (2007, "How to project customer retention",
*Journal of Interactive Marketing* 21(1), 76–90) model it with two assumptions:

1. while a member, a customer renews at the end of each period with her own constant
   probability ``1 − θ`` (her lifetime in periods is geometric: ``P(T = t | θ) = θ (1 − θ)^(t−1)``);
2. ``θ`` differs between customers as a Beta(α, β) distribution.

Then the probability of leaving in period t and the survivor function are

``P(T = t) = B(α + 1, β + t − 1) / B(α, β)``,  ``S(t) = P(T > t) = B(α, β + t) / B(α, β)``,

and the retention rate from period t − 1 to t, ``r_t = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1)``,
*rises* with tenure although no customer's own probability changes: the customers most
likely to leave leave first.  The expected lifetime of a new customer is ``Σ_{t≥0} S(t) =
(α + β − 1)/(α − 1)`` when α > 1 and infinite otherwise (a few customers almost never leave),
so reports give it over a finite horizon.  The discounted expected residual lifetime of Fader &
Hardie (2010, "Customer-base valuation in a contractual setting: the perils of ignoring
heterogeneity", *Marketing Science* 29(1), 85–93, eq. 6) of a customer who has renewed
``n − 1`` times is

``DERL(d | α, β, n − 1) = B(α, β + n)/B(α, β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d))``,

the expected number of her future renewals, the first undiscounted and each later one
discounted by ``1 + d`` per period; times the margin of a renewal it is her residual value.

:func:`sbg_fit_counts` fits (α, β) by maximum likelihood to the number of customers alive at
the start of each period of one or several cohorts: each customer leaving in period t adds
``ln P(T = t)``, each one still there after the last observed period K adds ``ln S(K)``
(FH 2007, eq. 5).  :func:`sbg_fit` does the same from a survival curve.
:func:`membership_survival` builds the cohort counts from a memberships table.

Validation: on the "high end" and "regular" cohorts of FH (2007, Table 1; 1,000 customers each,
years 1–7) the fit gives α = 0.668, β = 3.806 and α = 0.704, β = 1.182, as published (see
``tests/loyalty/test_contractual.py``).

Examples
--------
>>> m = sbg_fit([1.0, 0.869, 0.743, 0.653, 0.593, 0.551, 0.517, 0.491], cohort_size=1000)
>>> round(m.alpha, 3), round(m.beta, 3)
(0.668, 3.806)
>>> [round(float(s), 3) for s in m.survival(3)]
[1.0, 0.851, 0.747, 0.67]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, digamma, hyp2f1

from kit.core.errors import DataError, ParameterError, Text
from kit.core.frames import as_timestamp, by_list, examples, parse_dates, require_column

__all__ = [
    "MEMBERSHIP_COLUMNS",
    "SbgModel",
    "membership_survival",
    "pooled_survival",
    "sbg_fit",
    "sbg_fit_counts",
]

#: Columns of :func:`membership_survival` after the ``by`` columns.
MEMBERSHIP_COLUMNS = ["cohort", "period", "alive", "cohort_size", "survival", "retention"]
#: Bounds of log α and log β during fitting (α, β between about 1e-5 and 1e6).
_LOG_BOUNDS = (-11.5, 14.0)


def _bad_param(name: str, value: Any, rule: str) -> ParameterError:
    return ParameterError.from_key(
        "contractual.error.bad_parameter",
        column=name,
        name=name,
        value=repr(value),
        rule=Text(f"contractual.rule.{rule}"),
    )


def _bad_counts(what: str, **values: Any) -> DataError:
    return DataError.from_key("contractual.error.bad_counts", what=Text(f"contractual.what.{what}", values))


def _whole(value: Any, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise _bad_param(name, value, "positive_int" if low > 0 else "non_negative_int")
    return int(value)


# --------------------------------------------------------------------------------------------
# the fitted model
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SbgModel:
    """A shifted-beta-geometric model of renewals (Fader & Hardie 2007).

    Attributes
    ----------
    alpha, beta : float
        Parameters of the Beta distribution of the per-period churn probability θ (mean churn
        ``α/(α + β)`` in the first period).
    log_likelihood : float
        Maximised log-likelihood (NaN when built by hand).
    n_customers : float
        Customers in the cohorts fitted (the sum of the cohort sizes).
    n_periods : int
        The longest number of periods observed.
    n_cohorts : int
        Cohorts fitted.
    converged : bool
        Whether the optimiser reported success.

    Examples
    --------
    >>> m = SbgModel(alpha=0.704, beta=1.182)  # the "regular" cohort of FH (2007)
    >>> round(float(m.retention(1)[0]), 3)  # beta / (alpha + beta)
    0.627
    """

    alpha: float
    beta: float
    log_likelihood: float = float("nan")
    n_customers: float = 0.0
    n_periods: int = 0
    n_cohorts: int = 0
    converged: bool = True

    @property
    def params(self) -> dict[str, float]:
        """The two parameters by name."""
        return {"alpha": self.alpha, "beta": self.beta}

    def survival(self, horizon: int) -> np.ndarray:
        """``S(0), S(1), …, S(horizon)``: the share of a new cohort still there after each period.

        ``S(t) = B(α, β + t)/B(α, β)`` (FH 2007, eq. 4), computed with ``betaln``.

        Examples
        --------
        >>> [round(float(s), 3) for s in SbgModel(1.0, 1.0).survival(3)]  # S(t) = 1/(t + 1)
        [1.0, 0.5, 0.333, 0.25]
        """
        t = np.arange(_whole(horizon, "horizon", 0) + 1, dtype="float64")
        return np.exp(betaln(self.alpha, self.beta + t) - betaln(self.alpha, self.beta))

    def retention(self, horizon: int) -> np.ndarray:
        """``r_1, …, r_horizon`` with ``r_t = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1)`` (FH 2007, eq. 6).

        ``r_t`` is the share of the customers who are in their t-th period that renew at its end.

        Examples
        --------
        >>> [round(float(r), 3) for r in SbgModel(1.0, 1.0).retention(3)]  # t / (t + 1)
        [0.5, 0.667, 0.75]
        """
        t = np.arange(1, _whole(horizon, "horizon", 1) + 1, dtype="float64")
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def churn_probability(self, horizon: int) -> np.ndarray:
        """``P(T = 1), …, P(T = horizon)``, with ``P(T = t) = B(α + 1, β + t − 1)/B(α, β)`` (FH 2007, eq. 3).

        Examples
        --------
        >>> [round(float(p), 3) for p in SbgModel(1.0, 1.0).churn_probability(2)]  # 1/(t(t + 1))
        [0.5, 0.167]
        """
        t = np.arange(1, _whole(horizon, "horizon", 1) + 1, dtype="float64")
        return np.exp(betaln(self.alpha + 1, self.beta + t - 1) - betaln(self.alpha, self.beta))

    def expected_lifetime(self, horizon: int | None = None) -> float:
        """Expected number of periods a new customer stays, ``E[T] = Σ_{t≥0} S(t)``.

        Without ``horizon`` it is ``(α + β − 1)/(α − 1)`` for α > 1 and ``inf`` for α ≤ 1 (the
        Beta distribution puts so much weight near θ = 0 that the mean lifetime diverges).
        With ``horizon = H`` it is ``E[min(T, H)] = S(0) + … + S(H − 1)``: the periods a new
        customer is expected to stay within the next H.

        Examples
        --------
        >>> SbgModel(3.0, 2.0).expected_lifetime()  # (3 + 2 - 1) / (3 - 1)
        2.0
        >>> SbgModel(0.7, 1.2).expected_lifetime()
        inf
        >>> round(SbgModel(1.0, 1.0).expected_lifetime(3), 3)  # 1 + 1/2 + 1/3
        1.833
        """
        if horizon is None:
            return (self.alpha + self.beta - 1) / (self.alpha - 1) if self.alpha > 1 else float("inf")
        h = _whole(horizon, "horizon", 1)
        return float(self.survival(h - 1).sum())

    def median_lifetime(self, max_periods: int = 1000) -> float:
        """The first period t with ``S(t) ≤ 0.5``: half of a new cohort has left by its end.

        NaN if that takes longer than ``max_periods``.

        Examples
        --------
        >>> SbgModel(0.704, 1.182).median_lifetime()  # S(1) = .627, S(2) = .444
        2.0
        """
        s = self.survival(_whole(max_periods, "max_periods", 1))
        below = np.flatnonzero(s <= 0.5)
        return float(below[0]) if len(below) else float("nan")

    def derl(self, discount: float, n: int = 1) -> float:
        """Discounted expected residual lifetime of a customer who has renewed ``n − 1`` times.

        Fader & Hardie (2010), eq. 6: standing just before her n-th renewal decision,
        ``DERL(d | α, β, n − 1) = Σ_{t≥n} S(t)/S(n − 1) / (1 + d)^(t − n)
        = B(α, β + n)/B(α, β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d))``.

        Parameters
        ----------
        discount : float
            Discount rate per period, d > 0 (0.10 for 10 % a year).
        n : int
            1 for a customer at the end of her first period (no renewal yet), 2 after one
            renewal, …

        Examples
        --------
        >>> m = SbgModel(1.0, 1.0)  # S(t)/S(n - 1) = n/(t + 1)
        >>> round(m.derl(0.10, n=1), 4)  # sum of 1/(t + 1) / 1.1^(t - 1), t >= 1 = 1.21·(ln 11 − 10/11)
        1.8015
        """
        d = float(discount) if isinstance(discount, (int, float)) and not isinstance(discount, bool) else np.nan
        if not np.isfinite(d) or d <= 0:
            raise _bad_param("discount", discount, "positive")
        n = _whole(n, "n", 1)
        a, b = self.alpha, self.beta
        head = np.exp(betaln(a, b + n) - betaln(a, b + n - 1))
        return float(head * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d)))


# --------------------------------------------------------------------------------------------
# counts per cohort
# --------------------------------------------------------------------------------------------
def _count_matrix(alive_by_period: Any) -> np.ndarray:
    """Cohorts × periods as floats (NaN after a cohort's last observed period), checked."""
    if isinstance(alive_by_period, pd.DataFrame) and {"cohort", "period", "alive"} <= set(alive_by_period.columns):
        frame = alive_by_period
        if frame.duplicated(["cohort", "period"]).any():
            raise _bad_counts("duplicate_period")
        alive_by_period = frame.pivot(index="cohort", columns="period", values="alive").sort_index(axis=1)
    if isinstance(alive_by_period, pd.DataFrame):
        values = alive_by_period.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    else:
        try:
            values = np.array(alive_by_period, dtype="float64")
        except (TypeError, ValueError):
            raise _bad_counts("not_numbers") from None
    if values.ndim == 1:
        values = values[None, :]
    if values.ndim != 2 or values.shape[0] == 0 or values.shape[1] == 0:
        raise _bad_counts("empty")
    observed = ~np.isnan(values)
    if not observed[:, 0].all():
        raise _bad_counts("no_cohort_size")
    # observed periods must come first: no value after a gap
    if (np.diff(observed.astype("int8"), axis=1) > 0).any():
        raise _bad_counts("gap")
    filled = np.where(observed, values, 0.0)
    if not np.isfinite(filled).all() or (filled < 0).any():
        raise _bad_counts("negative")
    if (filled[:, 0] <= 0).any():
        raise _bad_counts("no_cohort_size")
    with np.errstate(invalid="ignore"):
        rising = observed[:, 1:] & (values[:, 1:] > values[:, :-1] * (1 + 1e-12))
    if rising.any():
        cohort, period = np.argwhere(rising)[0]
        raise _bad_counts("rising", period=int(period) + 1, cohort=int(cohort) + 1)
    return np.where(observed, values, np.nan)


def _sufficient(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Churners per period t = 1..K and customers last seen alive after period t = 0..K, all cohorts."""
    observed = ~np.isnan(counts)
    last = observed.sum(axis=1) - 1  # last observed period of each cohort
    filled = np.where(observed, counts, 0.0)
    nxt = np.where(observed[:, 1:], filled[:, 1:], filled[:, :-1])  # no churn counted after the last period
    churn = (filled[:, :-1] - nxt).sum(axis=0)
    censored = np.zeros(counts.shape[1])
    np.add.at(censored, last, filled[np.arange(len(counts)), last])
    return churn, censored


def pooled_survival(alive_by_period: Any) -> pd.DataFrame:
    """The observed survival curve of one or several cohorts, pooled period by period.

    Cohorts observed for different numbers of periods are combined as in a life table: the
    retention of period t is the number of customers alive after t over the number alive
    after t − 1, summed over the cohorts observed at t; the survival is the product of the
    retention rates.  With one cohort it is simply ``alive / cohort size``.

    Parameters
    ----------
    alive_by_period : sequence, 2-D array or DataFrame
        As in :func:`sbg_fit_counts`.

    Returns
    -------
    DataFrame
        ``period`` (0, 1, …), ``at_risk`` (customers alive after the previous period in the
        cohorts observed at this one), ``alive``, ``retention`` (0–1; NaN at period 0) and
        ``survival`` (0–1).

    Examples
    --------
    >>> pooled_survival([[100, 60, 45], [200, 110, float("nan")]])[["period", "at_risk", "alive", "retention"]]
       period  at_risk  alive  retention
    0       0      0.0  300.0        NaN
    1       1    300.0  170.0   0.566667
    2       2     60.0   45.0   0.750000
    """
    counts = _count_matrix(alive_by_period)
    observed = ~np.isnan(counts)
    filled = np.where(observed, counts, 0.0)
    alive = filled.sum(axis=0)
    prev = np.where(observed[:, 1:], filled[:, :-1], 0.0).sum(axis=0)
    retention = np.concatenate([[np.nan], np.where(prev > 0, alive[1:] / np.where(prev > 0, prev, 1.0), np.nan)])
    survival = np.concatenate([[1.0], np.cumprod(retention[1:])])
    return pd.DataFrame(
        {
            "period": np.arange(counts.shape[1]),
            "at_risk": np.concatenate([[0.0], prev]),
            "alive": alive,
            "retention": retention,
            "survival": survival,
        }
    )


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
def _neg_ll(log_params: np.ndarray, churn: np.ndarray, censored: np.ndarray) -> tuple[float, np.ndarray]:
    """Minus the sBG log-likelihood (FH 2007, eq. 5) and its gradient in (log α, log β)."""
    a, b = np.exp(log_params)
    t_churn = np.arange(1, len(churn) + 1, dtype="float64")
    t_cens = np.arange(len(censored), dtype="float64")
    ln_p = betaln(a + 1, b + t_churn - 1) - betaln(a, b)
    ln_s = betaln(a, b + t_cens) - betaln(a, b)
    ll = churn @ ln_p + censored @ ln_s
    # d betaln(x, y)/dx = psi(x) - psi(x + y)
    d0a, d0b = digamma(a) - digamma(a + b), digamma(b) - digamma(a + b)
    dpa = digamma(a + 1) - digamma(a + b + t_churn) - d0a
    dpb = digamma(b + t_churn - 1) - digamma(a + b + t_churn) - d0b
    dsa = digamma(a) - digamma(a + b + t_cens) - d0a
    dsb = digamma(b + t_cens) - digamma(a + b + t_cens) - d0b
    grad_a = churn @ dpa + censored @ dsa
    grad_b = churn @ dpb + censored @ dsb
    if not np.isfinite(ll):
        return 1e300, np.zeros(2)
    return float(-ll), -np.array([grad_a * a, grad_b * b])


def sbg_fit_counts(alive_by_period: Any, start: Sequence[float] = (1.0, 1.0)) -> SbgModel:
    """Fit the shifted-beta-geometric model to the customers alive at the start of each period.

    Parameters
    ----------
    alive_by_period : sequence, 2-D array or DataFrame
        One cohort: ``[n_0, n_1, …, n_K]`` -- the cohort size, then the customers still there
        after period 1, 2, …, K (FH 2007, Table 1).  Several cohorts: one row each, NaN after
        a cohort's last observed period (a younger cohort has fewer).  The long table of
        :func:`membership_survival` (columns ``cohort``, ``period``, ``alive``) of one store
        is accepted too.
    start : (float, float)
        Starting values of (α, β).

    Returns
    -------
    SbgModel

    Raises
    ------
    DataError
        Counts that are negative, rise from one period to the next, have no cohort size or a
        gap; no period observed after the cohort size; nobody left or everybody left in the
        first period (the likelihood then has no maximum).

    Notes
    -----
    Log-likelihood (FH 2007, eq. 5), summed over cohorts:
    ``Σ_t (n_{t−1} − n_t) ln P(T = t) + n_K ln S(K)``, with ``P`` and ``S`` in log space
    (``betaln``), maximised over (ln α, ln β) by L-BFGS-B with the analytic gradient
    (``digamma``) and tolerances of 1e-13.

    Examples
    --------
    >>> m = sbg_fit_counts([1000, 631, 468, 382, 326, 289, 262, 241])  # FH (2007), "regular"
    >>> round(m.alpha, 3), round(m.beta, 3), round(m.log_likelihood, 1)
    (0.704, 1.182, -1680.3)
    """
    counts = _count_matrix(alive_by_period)
    if counts.shape[1] < 2 or np.isnan(counts[:, 1]).all():
        raise DataError.from_key("contractual.error.too_short")
    churn, censored = _sufficient(counts)
    if churn.sum() <= 0:
        raise DataError.from_key("contractual.error.degenerate", what=Text("contractual.what.nobody_left"))
    if censored[1:].sum() <= 0 and churn[1:].sum() <= 0:
        raise DataError.from_key("contractual.error.degenerate", what=Text("contractual.what.everybody_left"))
    init = np.log(np.asarray(start, dtype="float64"))
    res = minimize(
        _neg_ll,
        init,
        args=(churn, censored),
        jac=True,
        method="L-BFGS-B",
        bounds=[_LOG_BOUNDS, _LOG_BOUNDS],
        options={"ftol": 1e-13, "gtol": 1e-10, "maxiter": 5000},
    )
    a, b = np.exp(res.x)
    return SbgModel(
        alpha=float(a),
        beta=float(b),
        log_likelihood=float(-res.fun),
        n_customers=float(np.nansum(counts[:, 0])),
        n_periods=int((~np.isnan(counts)).sum(axis=1).max() - 1),
        n_cohorts=int(counts.shape[0]),
        converged=bool(res.success),
    )


def sbg_fit(survival: Sequence[float], cohort_size: float = 1.0, start: Sequence[float] = (1.0, 1.0)) -> SbgModel:
    """Fit the shifted-beta-geometric model to one survival curve ``1, S(1), S(2), …``.

    The estimates do not depend on ``cohort_size``; the log-likelihood does (it is per
    customer with the default 1).

    Parameters
    ----------
    survival : sequence of float
        Share of the cohort still there after period 0 (= 1), 1, 2, …
    cohort_size : float
        Customers in the cohort, to scale the log-likelihood.
    start : (float, float)
        Starting values of (α, β).

    Raises
    ------
    DataError
        The curve does not start at 1, leaves [0, 1], rises or is empty.

    Examples
    --------
    >>> m = sbg_fit([1.0, 0.631, 0.468, 0.382, 0.326, 0.289, 0.262, 0.241])
    >>> round(m.alpha, 3), round(m.beta, 3)
    (0.704, 1.182)
    """
    try:
        s = np.array(survival, dtype="float64")
    except (TypeError, ValueError):
        raise _bad_counts("not_numbers") from None
    if s.ndim != 1 or len(s) == 0 or not np.isfinite(s).all():
        raise _bad_counts("empty")
    if abs(s[0] - 1.0) > 1e-9 or (s < 0).any() or (s > 1 + 1e-12).any():
        raise _bad_counts("survival_range")
    size = float(cohort_size) if isinstance(cohort_size, (int, float)) and not isinstance(cohort_size, bool) else 0.0
    if not np.isfinite(size) or size <= 0:
        raise _bad_param("cohort_size", cohort_size, "positive")
    return sbg_fit_counts(s * size, start=start)


# --------------------------------------------------------------------------------------------
# memberships -> cohorts
# --------------------------------------------------------------------------------------------
def _optional_dates(frame: pd.DataFrame, col: str) -> pd.Series:
    """``col`` as timestamps, empty cells as NaT; a filled cell that is not a date raises."""
    raw = frame[col]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = raw
    else:
        text = raw.astype("string").str.strip()
        filled = text.notna() & text.ne("")
        parsed = pd.to_datetime(text.where(filled), format="ISO8601", errors="coerce")
        bad = (filled & parsed.isna()).to_numpy(dtype=bool)
        if bad.any():
            raise DataError.from_key(
                "contractual.error.bad_dates",
                hint="contractual.hint.bad_dates",
                column=col,
                count=int(bad.sum()),
                examples=examples(raw, bad),
            )
    return parsed.dt.tz_localize(None) if getattr(parsed.dt, "tz", None) is not None else parsed


def _month_day(series: pd.Series) -> np.ndarray:
    return (series.dt.month * 100 + series.dt.day).to_numpy(dtype="float64", na_value=np.nan)


def membership_survival(
    memberships: pd.DataFrame,
    as_of: Any = None,
    by: Sequence[str] = (),
    joined_col: str = "joined_on",
    ended_col: str = "ended_on",
) -> pd.DataFrame:
    """Members alive at the start of each yearly period, per cohort of joining year.

    A member who joined on date J renews on every anniversary J + 1 year, J + 2 years, … until
    her membership ends (``ended_col``; empty = still a member).  She has *renewed k times* when
    her membership still ran on the k-th anniversary, so an end on the anniversary itself
    means she did not renew.  Cohorts are calendar years of joining; a cohort is followed for
    the anniversaries that every one of its members has reached by ``as_of`` (joined in
    2020 and ``as_of`` 2026-12-31: 6 periods), so no cohort is censored part-way.  Members who
    join after ``as_of`` are left out; an end after ``as_of`` is not known yet.  Computed with
    whole-column operations (no loop over members).

    Parameters
    ----------
    memberships : DataFrame
        One row per membership (the ``memberships`` table of ``data/README.md``).
    as_of : date-like, optional
        End of observation; default: the latest date in ``joined_col`` and ``ended_col``.
    by : sequence of str
        Extra grouping, e.g. ``("store_id",)``.
    joined_col, ended_col : str
        The columns of the joining date and the end date.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``cohort`` (year of joining), ``period`` (0, 1, …, the
        anniversaries observed), ``alive`` (members still there after ``period`` years; the
        cohort size at 0), ``cohort_size``, ``survival`` (``alive / cohort_size``) and
        ``retention`` (``alive`` over the previous period's; NaN at 0).  Input of
        :func:`sbg_fit_counts` (one group at a time).

    Raises
    ------
    DataError
        A missing column, an unreadable date, or a membership that ends before it began.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"joined_on": ["2024-03-01", "2024-06-10", "2024-09-01", "2025-02-01"],
    ...                   "ended_on": ["2025-03-01", "", "2026-05-01", ""]})
    >>> membership_survival(m, as_of="2026-12-31")[["cohort", "period", "alive", "survival"]]
       cohort  period  alive  survival
    0    2024       0      3  1.000000
    1    2024       1      2  0.666667
    2    2024       2      1  0.333333
    3    2025       0      1  1.000000
    4    2025       1      1  1.000000
    """
    keys = by_list(memberships, by, "contractual")
    require_column(memberships, joined_col, "contractual")
    require_column(memberships, ended_col, "contractual")
    if len(memberships) == 0:
        empty = {c: memberships[c].iloc[:0].to_numpy() for c in keys}
        empty.update({c: np.array([], dtype="int64") for c in MEMBERSHIP_COLUMNS[:4]})
        empty.update({c: np.array([], dtype="float64") for c in MEMBERSHIP_COLUMNS[4:]})
        return pd.DataFrame(empty)
    joined = parse_dates(memberships[joined_col], joined_col, "contractual").dt.normalize()
    ended = _optional_dates(memberships, ended_col).dt.normalize()
    early = (ended < joined).to_numpy(dtype=bool)
    if early.any():
        raise DataError.from_key(
            "contractual.error.ended_before_joined",
            column=ended_col,
            count=int(early.sum()),
            examples=examples(memberships[ended_col], early),
        )
    if as_of is None:
        end = max(joined.max(), ended.max()) if ended.notna().any() else joined.max()
    else:
        end = as_timestamp(as_of, "as_of", "contractual").normalize()
    keep = (joined <= end).to_numpy()
    year = joined.dt.year.to_numpy()
    # anniversaries every member of the cohort has reached: the last one is that of 31 December
    year_end_reached = (end.month, end.day) == (12, 31)
    observed = np.clip(end.year - year - (0 if year_end_reached else 1), 0, None)
    jmd, emd = _month_day(joined), _month_day(ended)
    ended_ok = ended.notna().to_numpy()
    full_years = np.where(ended_ok, ended.dt.year.to_numpy(dtype="float64", na_value=0) - year - (emd < jmd), 0)
    renewals = np.where(ended_ok, np.clip(full_years - (emd == jmd), 0, None), np.inf)
    capped = np.minimum(renewals, observed).astype("int64")

    members = pd.DataFrame({k: memberships[k].to_numpy() for k in keys})
    members["cohort"] = year
    members["observed"] = observed
    members["capped"] = capped
    members = members.loc[keep]
    group_cols = keys + ["cohort"]
    groups = (
        members.groupby(group_cols, sort=True, dropna=False, observed=True)
        .agg(observed=("observed", "first"), cohort_size=("capped", "size"))
        .reset_index()
    )
    span = groups["observed"].to_numpy(dtype="int64") + 1
    grid = groups.loc[np.repeat(groups.index.to_numpy(), span), group_cols + ["cohort_size"]].reset_index(drop=True)
    grid["period"] = np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    stops = members.groupby(group_cols + ["capped"], sort=True, dropna=False, observed=True).size()
    stops = stops.rename("stops").reset_index().rename(columns={"capped": "period"})
    grid = grid.merge(stops, on=group_cols + ["period"], how="left")
    grid["stops"] = grid["stops"].fillna(0).astype("int64")
    # alive after period t = members whose (capped) number of renewals is at least t
    grid = grid.iloc[::-1]
    grid["alive"] = grid.groupby(group_cols, sort=False, dropna=False, observed=True)["stops"].cumsum()
    grid = grid.iloc[::-1].reset_index(drop=True)
    grid["survival"] = grid["alive"] / grid["cohort_size"]
    prev = grid.groupby(group_cols, sort=False, dropna=False, observed=True)["alive"].shift(1)
    grid["retention"] = grid["alive"] / prev
    grid["cohort"] = grid["cohort"].astype("int64")
    grid["alive"] = grid["alive"].astype("int64")
    grid["cohort_size"] = grid["cohort_size"].astype("int64")
    return grid[keys + MEMBERSHIP_COLUMNS]
