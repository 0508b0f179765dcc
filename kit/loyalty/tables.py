"""The satisfaction and loyalty report's tables for people: words, not codes or model symbols.

Each function turns a result of :mod:`kit.loyalty.report` into the table a store manager reads:
headers from the catalogue, codes translated, p-values as ``< 0.001`` (never ``0.000``), the
store compared with the rest of the chain named in words, model parameters named by what they
describe, the spread of predicted values with its statistics in words.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"against": ["rest"], "current": ["001"], "baseline": ["chain"], "metric": ["nps"],
...     "n_current": [319], "value_current": [84.3], "n_baseline": [3396], "value_baseline": [34.0],
...     "difference": [50.3], "p_value": [1e-12], "significant": [True], "small_sample": [False]})
>>> changes_table(rows, "en").iloc[0].tolist()[:3], changes_table(rows, "en").iloc[0]["p-value"]
(['the rest of the chain', 'this store', 'other stores'], '< 0.001')
"""

from __future__ import annotations

import pandas as pd

from kit.core.i18n import t
from kit.loyalty.report import labelled

__all__ = ["changes_table", "clv_parameters_table", "clv_spread_table"]

_CHANGE_COLUMNS = [
    "against",
    "current",
    "baseline",
    "metric",
    "n_current",
    "value_current",
    "n_baseline",
    "value_baseline",
    "difference",
    "p_value",
    "significant",
    "small_sample",
]


def changes_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The survey scores against the previous period and the rest of the chain (:func:`~kit.loyalty.report.score_changes`).

    A comparison with the rest of the chain reads "this store" against "other stores"; values and
    differences to one decimal; the p-value as :func:`kit.core.display.format_p` writes it.
    """
    out = changes[_CHANGE_COLUMNS].copy()
    rest = out["against"].eq("rest")
    out["current"] = out["current"].astype(object).where(~rest, t("loyalty_report.side.store", lang))
    out["baseline"] = out["baseline"].astype(object).where(~rest, t("loyalty_report.side.rest", lang))
    return labelled(
        out,
        lang,
        "loyalty_report.column",
        codes={"metric": "loyalty_report.metric", "against": "loyalty_report.against"},
        decimals={"value_current": 1, "value_baseline": 1, "difference": 1},
    )


def clv_parameters_table(params: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The fitted CLV models' parameters (:func:`~kit.loyalty.report.model_parameters`), named in words.

    Examples
    --------
    >>> from kit.loyalty.clv import BgNbd, GammaGamma
    >>> from kit.loyalty.report import model_parameters
    >>> table = clv_parameters_table(model_parameters(BgNbd(0.243, 4.414, 0.793, 2.426), GammaGamma(6.25, 3.74, 15.44)), "en")
    >>> table.iloc[1].tolist()
    ['purchases model BG/NBD', 'scale of purchase rates (α)', '4.414']
    """
    models = {"BG/NBD": "bgnbd", "Gamma-Gamma": "gamma_gamma"}
    out = pd.DataFrame(
        {
            "model": [t(f"loyalty_report.model.{models.get(m, m)}", lang) for m in params["model"]],
            "parameter": [t(f"loyalty_report.parameter.{p}", lang) for p in params["parameter"]],
            "value": params["value"],
        }
    )
    return labelled(out, lang, "loyalty_report.column", decimals={"value": 3})


def clv_spread_table(predicted: pd.DataFrame, lang: str) -> pd.DataFrame:
    """How the store's customers spread on the model's predictions: mean, spread, median, 90th percentile, range.

    One row per statistic (named in ``lang``), one column per prediction: repeat purchases so far,
    probability of being still active, expected purchases, expected spend, CLV.
    """
    cols = ["frequency", "p_alive", "expected_purchases", "expected_spend", "clv"]
    stats = predicted[cols].describe(percentiles=[0.5, 0.9]).drop(index="count").round(2)
    stats.insert(0, "statistic", [t(f"loyalty_report.statistic.{s}", lang) for s in stats.index])
    return labelled(stats.reset_index(drop=True), lang, "loyalty_report.column")
