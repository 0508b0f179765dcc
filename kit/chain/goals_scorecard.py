"""The nine quality goals scorecard: a store's (or the chain's) slice of the indicator table, by goal.

The scorecard computes nothing of its own: it shows the rows of :func:`kit.chain.indicators.indicator_table`
for one store and period, grouped by the seeds' goals G1–G9, so an indicator has the same value,
target and verdict here as in the store reports, the chain overview and ``kpis.xlsx``.  Only
``met`` and ``not_met`` verdicts count in "x of N"; an indicator without data says what would
fill it, one with too few answers gives its n and no verdict.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"indicator": ["nps", "fcr", "csat"], "goal": ["G4", "G6", "G4"], "value": [35.0, 60.0, None],
...     "n": [120, 80, 0], "unit": ["points", "percent", "percent"], "direction": [">="] * 3,
...     "target": [30.0, 70.0, 90.0], "target_source": ["goals"] * 3, "verdict": ["met", "not_met", "no_data"],
...     "reason": ["", "", "absent_column"], "reason_column": ["", "", "csat"]})
>>> card = scorecard(rows)
>>> card.set_index("indicator")["verdict"].to_dict()
{'nps': 'met', 'csat': 'no_data', 'fcr': 'not_met'}
>>> describe_scorecard(card, "en").split(" (")[0]
'1 of the 2 indicators that could be judged meet their target'
"""

from __future__ import annotations

import pandas as pd

from kit.core.i18n import label_of, t
from kit.workshop.indicators import FAMILIES, GOAL_IDS, INDICATORS, indicator_label, value_text, verdict_text

__all__ = ["SCORECARD_COLUMNS", "describe_scorecard", "scorecard", "scorecard_table"]

SCORECARD_COLUMNS = [
    "goal",
    "family",
    "indicator",
    "value",
    "n",
    "direction",
    "target",
    "unit",
    "verdict",
    "reason",
    "reason_column",
    "target_source",
]
_ARROWS = {">=": "≥", "<=": "≤"}
_SYMBOLS = {"met": "✓", "not_met": "✗"}


def scorecard(rows: pd.DataFrame) -> pd.DataFrame:
    """The slice's indicators ordered by goal (G1 … G9), with the goal's family.

    Parameters
    ----------
    rows : DataFrame
        One store's (or the chain's) rows of one period of the indicator table
        (:func:`kit.chain.indicators.store_slice`).

    Returns
    -------
    DataFrame
        :data:`SCORECARD_COLUMNS`, one row per indicator of the registry.
    """
    order = {g: k for k, g in enumerate(GOAL_IDS)}
    rank = {c: k for k, c in enumerate(INDICATORS)}
    card = rows.assign(
        family=rows["goal"].map(FAMILIES),
        _g=rows["goal"].map(order),
        _i=rows["indicator"].map(rank),
    ).sort_values(["_g", "_i"], kind="stable")
    return card[SCORECARD_COLUMNS].reset_index(drop=True)


def scorecard_table(card: pd.DataFrame, lang: str, *, currency: str = "¥") -> pd.DataFrame:
    """A display copy of :func:`scorecard` in ``lang``: goal and indicator names, values, the verdict.

    The verdict is a symbol that survives grey printing (✓ met, ✗ short) or, without a verdict,
    the reason in words ("no data — follow_up_at is not in the export", "too few to judge (n = 3 …)").
    """
    out = pd.DataFrame(
        {
            "goal": [f"{g} {label_of('goals.goal', g, lang)}" for g in card["goal"]],
            "indicator": [indicator_label(c, lang) for c in card["indicator"]],
            "value": [value_text(v, u, lang, currency=currency) for v, u in zip(card["value"], card["unit"])],
            "target": [
                f"{_ARROWS[d]} {value_text(x, u, lang, currency=currency)}"
                for d, x, u in zip(card["direction"], card["target"], card["unit"])
            ],
            "n": [f"{int(n):,}" if pd.notna(n) and n else "—" for n in card["n"]],
            "status": [
                _SYMBOLS.get(v, "")
                + (" " if v in _SYMBOLS else "")
                + (label_of("indicators.verdict", v, lang) if v in _SYMBOLS else verdict_text(r, lang))
                for v, r in zip(card["verdict"], card.to_dict("records"))
            ],
            "target_source": [label_of("indicators.source", s, lang) for s in card["target_source"]],
        }
    )
    return out.rename(columns={c: label_of("goals.column", c, lang) for c in out.columns})


def describe_scorecard(card: pd.DataFrame, lang: str, link: str = "", *, currency: str = "¥") -> str:
    """One paragraph: how many judged indicators meet their target, which fall short, what could not be judged."""
    judged = card[card["verdict"].isin(["met", "not_met"])]
    met = int((judged["verdict"] == "met").sum())
    text = t(
        "goals.text.summary",
        lang,
        met=met,
        total=len(judged),
        no_verdict=int(len(card) - len(judged)),
    )
    short = card[card["verdict"] == "not_met"]
    if len(short):
        sep = "；" if lang == "zh" else "; "
        items = sep.join(
            t(
                "goals.text.item",
                lang,
                goal=g,
                indicator=indicator_label(c, lang),
                value=value_text(v, u, lang, currency=currency),
                target=f"{_ARROWS[d]} {value_text(x, u, lang, currency=currency)}",
            )
            for g, c, v, u, d, x in zip(
                short["goal"], short["indicator"], short["value"], short["unit"], short["direction"], short["target"]
            )
        )
        text += " " + t("goals.text.short", lang, items=items)
    elif len(judged) and met == len(judged) and len(judged) == len(card):
        text += " " + t("goals.text.all_met", lang)
    if link:
        text += " " + link
    return text
