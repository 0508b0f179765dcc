"""Display copies of the complaint-audit tables for a report: codes, verdicts and headers in zh or en.

Nothing here computes a measure; it only turns the tables of :mod:`kit.audit.measures` and
:mod:`kit.audit.attainment` into what a store manager reads -- translated codes, percentages,
"✓" instead of a raw ``True`` (no boolean ever reaches a report).  The indicators' verdicts are
shown with :func:`kit.workshop.indicators.indicator_rows_table`, the findings with
:func:`kit.audit.findings.findings_view`.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"category": ["delivery"], "complaints": [5], "share": [0.5], "cum_share": [0.5],
...                   "vital_few": [True]})
>>> pareto_view(p, "en").iloc[0, [0, 2, 4]].tolist()
['late delivery', '50.0%', '✓']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.core.display import table
from kit.core.i18n import code_for, label_of, labels

__all__ = ["breakdown_view", "pareto_view"]

#: Label group of each breakdown dimension (store and month are shown as they are).
_CODE_GROUPS = {"tier": "tier", "channel": "channel", "category": "category"}


def _headers(lang: str) -> dict[str, str]:
    return labels("audit.column", lang)


def _group_labels(groups: pd.Series, dimension: str, lang: str) -> pd.Series:
    group = _CODE_GROUPS.get(dimension)
    if group is None:
        return groups.astype(str)
    codes = code_for(group, groups.astype(str))  # Chinese or English names -> codes
    return codes.map(lambda c: label_of(group, c, lang))


def breakdown_view(
    breakdown: pd.DataFrame, lang: str, *, metric: str = "first_response", dimension: str = "tier", trend: bool = True
) -> pd.DataFrame:
    """One dimension of :func:`kit.audit.attainment.attainment_breakdowns` as a report table.

    Columns: the group, met, breached, open and not yet due, attainment, required, gap (points),
    short of target (tickets) and -- unless ``trend=False`` or the dimension is the month -- the
    last 3 months, the 3 before, the change and the trend.
    """
    rows = breakdown.loc[(breakdown["metric"] == metric) & (breakdown["dimension"] == dimension)].copy()
    rows["group"] = _group_labels(rows["group"], dimension, lang).to_numpy()
    cols = ["group", "met", "breached", "at_risk", "attainment", "required", "gap", "shortfall"]
    if trend and dimension != "month":
        cols += ["recent", "previous", "change", "trend"]
        rows["trend"] = rows["trend"].map(lambda v: "—" if pd.isna(v) else label_of("audit.trend", v, lang))
    shown = table(
        rows[cols].reset_index(drop=True),
        lang,
        percent=["attainment", "required", "recent", "previous"],
        decimals={"gap": 1, "shortfall": 1, "change": 1},
    )
    headers = _headers(lang) | {"group": label_of("audit.dimension", dimension, lang)}
    return shown.rename(columns=headers)


def pareto_view(pareto: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The root-cause Pareto (:func:`kit.audit.measures.category_pareto`) with the vital few marked ✓, not ``True``."""
    shown = pareto.assign(vital_few=np.where(pareto["vital_few"].astype(bool), label_of("audit.flag", "yes", lang), ""))
    return table(shown, lang, percent=["share", "cum_share"], codes={"category": "category"})
