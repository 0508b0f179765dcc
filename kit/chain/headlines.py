"""One line per store for the run's index page: how many KPIs are on target, and what to fix first.

The line reads the chain's indicator table (:func:`kit.chain.overview.chain_kpis`) -- the same
figures as the reports -- and names the store's first finding as its reports rank it
(:func:`kit.audit.findings.indicator_findings`: the indicator the most tickets or answers short of
its target).  A store with too few KPIs judged for a verdict says so instead.

Examples
--------
>>> import pandas as pd
>>> long = pd.DataFrame({"period": ["current"] * 2, "store_id": ["001"] * 2, "indicator": ["fcr", "nps"],
...     "value": [61.0, 35.0], "target": [70.0, 30.0], "n": [250, 80], "unit": ["percent", "points"],
...     "direction": [">="] * 2, "gap": [-9.0, 5.0], "verdict": ["not_met", "met"], "impact": [23.0, None]})
>>> store_headlines(long, "en", min_judged=2)["001"]
'1 of 2 KPIs on target · fix first: First-contact resolution (FCR): 61.0% against a target of ≥ 70.0% — 23 complaints short'
"""

from __future__ import annotations

import pandas as pd

from kit.audit.findings import indicator_findings
from kit.chain.indicators import on_target, store_slice
from kit.chain.overview import MIN_JUDGED
from kit.core.i18n import t

__all__ = ["store_headlines"]


def store_headlines(
    long: pd.DataFrame, lang: str, *, min_judged: int = MIN_JUDGED, currency: str = "¥"
) -> dict[str, str]:
    """``{store_id: headline}`` for every store of ``long`` (and ``"chain"``), in ``lang``.

    A headline is "11 of 16 KPIs on target" and, when one falls short, "fix first: <the store's
    first finding>"; with fewer than ``min_judged`` KPIs judged, "too few KPIs could be judged".
    """
    out = {}
    for store in dict.fromkeys(long.loc[long["period"] == "current", "store_id"].astype(str)):
        rows = store_slice(long, store)
        met, judged = on_target(rows)
        if judged < min_judged:
            out[store] = t("report.index.headline_none", lang)
            continue
        parts = [t("report.index.headline", lang, met=met, judged=judged)]
        findings = indicator_findings(rows, lang, currency=currency)
        if len(findings):
            parts.append(t("report.index.worst", lang, finding=str(findings["text"].iloc[0])))
        out[store] = " · ".join(parts)
    return out
