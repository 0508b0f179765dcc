"""The chain overview: every store on every KPI against its target, the page a regional manager opens first.

:func:`open_chain_overview` loads the chain and the workspace's targets and computes the KPI table
of :mod:`kit.chain.indicators` once for all stores; the functions below turn it into the overview's views:

* :func:`league_table` -- stores ranked by how many KPIs meet their target;
* :func:`gap_matrix` / :func:`heatmap_chart` -- stores × KPIs coloured by the gap to the target;
* :func:`movers` -- the biggest improvements and declines since the previous period;
* :func:`standard_attainment` -- per KPI, the chain's value and the share of stores meeting it.

Examples
--------
>>> import pandas as pd
>>> long = pd.DataFrame({"period": ["current"] * 4, "store_id": ["001", "001", "002", "002"],
...     "indicator": ["nps", "csat"] * 2, "verdict": ["met", "met", "not_met", "met"],
...     "gap": [5.0, 1.0, -3.0, 2.0], "value": [35.0, 91.0, 27.0, 92.0]})
>>> league_table(long, min_judged=2)[["store_id", "met", "judged", "rank"]].values.tolist()
[['001', 2, 2, 1], ['002', 1, 2, 2]]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.chain.indicators import CHAIN, indicator_table, indicator_targets
from kit.core.display import Tables, md_text
from kit.core.errors import WorkspaceError
from kit.core.i18n import t
from kit.core.periods import previous_period
from kit.intake.load import Chain, load_chain
from kit.workshop.goals import QualityGoals, load_goals
from kit.workshop.indicators import FAMILIES, INDICATORS, indicator_header, indicator_label
from kit.workshop.standards import Standards, default_standards, store_calendars

__all__ = [
    "ChainOverview",
    "MIN_JUDGED",
    "attainment_display",
    "chain_coverage",
    "chain_kpis",
    "describe_movers",
    "describe_overview",
    "gap_matrix",
    "heatmap_chart",
    "league_display",
    "league_table",
    "load_targets",
    "movers",
    "movers_display",
    "open_chain_overview",
    "standard_attainment",
    "standards_attainment_chart",
]


#: A store is ranked when at least this many of its indicators could be judged (see :func:`league_table`).
MIN_JUDGED = 5


def load_targets(workspace: str | Path = "", lang: str = "en") -> tuple[Standards, QualityGoals, str, list[str]]:
    """The workspace's standards and goals (seed defaults when absent), and notes saying which.

    Returns
    -------
    (standards, goals, goals_source, notes)
        ``goals_source`` as in :func:`kit.workshop.goals.load_goals`; ``notes`` are lines in ``lang``.
    """
    from kit.workshop.goals import goals_note
    from kit.workshop.workspace import load_standards

    if not workspace:
        goals, source = load_goals(None)
        return default_standards(), goals, source, [t("text.default_standards", lang), goals_note(source, lang)]
    folder = Path(workspace).expanduser()
    if not folder.is_dir():
        raise WorkspaceError.from_key("workspace.error.folder_missing", file=folder, column="workspace")
    goals, source = load_goals(folder)
    if (folder / "standards.yaml").exists():
        standards: Standards = load_standards(folder)
        note = t("text.workspace_standards", lang, workspace=folder.name)
    else:
        standards, note = default_standards(), t("text.no_workspace_standards", lang, workspace=folder.name)
    return standards, goals, source, [note, goals_note(source, lang)]


def chain_kpis(
    chain: Chain,
    period: tuple[date, date],
    *,
    workspace: str | Path = "",
    lang: str = "en",
    targets: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The indicator table (:func:`kit.chain.indicators.indicator_table`) of a loaded chain, with the target notes."""
    standards, goals, source, notes = load_targets(workspace, lang)
    stores = chain.stores.data
    calendars = store_calendars(stores, getattr(standards, "calendar", None))
    long = indicator_table(
        chain.complaints.data,
        chain.surveys.data,
        chain.transactions.data,
        period=period,
        standards=standards,
        goals=goals,
        goals_source=source,
        targets=targets,
        calendars=calendars,
        stores=stores["store_id"].astype(str).tolist(),
        **chain_coverage(chain),
    )
    return long, notes


def chain_coverage(chain: Chain) -> dict[str, Any]:
    """What a loaded chain lacks, as the keyword arguments of :func:`kit.chain.indicators.indicator_table`:
    ``date_only`` complaint time columns, ``absent`` columns and ``missing`` files."""
    date_only = chain.date_only("complaints") if hasattr(chain, "date_only") else set()
    absent = {
        (kind, col)
        for kind in ("complaints", "surveys", "transactions")
        for col in getattr(getattr(chain, kind), "absent", ())
    }
    return {"date_only": set(date_only), "absent": absent, "missing": tuple(getattr(chain, "missing", ()))}


@dataclass(frozen=True)
class ChainOverview:
    """Everything notebook 00 shows: the chain, the KPI table and where its targets come from."""

    params: Any
    chain: Chain
    kpis: pd.DataFrame
    notes: list[str]

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def store_names(self) -> dict[str, str]:
        """``{store_id: name}`` in the report's language (stores without a name of their own left out)."""
        stores = self.chain.stores.data
        col = "store_name_zh" if self.lang == "zh" else "store_name_en"
        if col not in stores.columns:
            return {}
        pairs = zip(stores["store_id"].astype(str), stores[col].fillna("").astype(str))
        return {sid: name for sid, name in pairs if name.strip() and name != sid}


def open_chain_overview(params: Any) -> ChainOverview:
    """Load the chain of ``params`` (a validated :class:`kit.run.params.ChainParams`) and measure every KPI.

    Personal data is masked unless ``params.unmask`` (the overview shows none, but the chain object
    is handed to the notebook).
    """
    from kit.core.display import setup_report
    from kit.core.errors import set_message_language
    from kit.core.privacy import mask_frame

    set_message_language(params.lang)
    setup_report()
    chain = load_chain(params.data_dir)
    if not params.unmask:
        chain = replace(chain, complaints=replace(chain.complaints, data=mask_frame(chain.complaints.data)))
    long, notes = chain_kpis(
        chain, (params.period_start, params.period_end), workspace=params.workspace, lang=params.lang
    )
    prev = previous_period(params.period_start, params.period_end)
    lines = [
        t(
            "overview.period",
            params.lang,
            start=params.period_start,
            end=params.period_end,
            prev_start=prev[0],
            prev_end=prev[1],
            stores=len(chain.stores.data),
        )
    ]
    lines += chain.summary(params.lang) + notes
    return ChainOverview(params=params, chain=chain, kpis=long, notes=lines)


def league_table(long: pd.DataFrame, *, period: str = "current", min_judged: int = MIN_JUDGED) -> pd.DataFrame:
    """Stores ranked by the share of their judged indicators meeting the target (ties: the larger mean gap first).

    Only ``met`` / ``not_met`` verdicts count (an indicator with no data or too few answers is in
    neither ``met`` nor ``judged``).  A store is *ranked* when at least ``min_judged`` of its
    indicators, and at least half of those with data, could be judged; the others (a store with a
    handful of complaints) follow unranked (``rank`` NA) and are never called leader or laggard.

    Returns
    -------
    DataFrame ``store_id, met, judged, met_share (%), mean_gap, ranked, rank`` (the chain row left out).
    """
    part = long.loc[(long["period"] == period) & (long["store_id"] != CHAIN)]
    verdict = part["verdict"]
    flags = part.assign(
        _met=verdict.eq("met"),
        _judged=verdict.isin(["met", "not_met"]),
        _data=verdict.isin(["met", "not_met", "too_few"]),
        _gap=part["gap"].where(verdict.isin(["met", "not_met"])),
    )
    out = (
        flags.groupby("store_id", sort=False)
        .agg(met=("_met", "sum"), judged=("_judged", "sum"), with_data=("_data", "sum"), mean_gap=("_gap", "mean"))
        .reset_index()
    )
    out["met_share"] = (100.0 * out["met"] / out["judged"]).where(out["judged"] > 0)
    out["ranked"] = (out["judged"] >= min_judged) & (2 * out["judged"] >= out["with_data"])
    out = out.sort_values(
        ["ranked", "met_share", "mean_gap"], ascending=[False, False, False], kind="stable", na_position="last"
    ).reset_index(drop=True)
    ranks = np.arange(1, len(out) + 1)
    out["rank"] = pd.array(np.where(out["ranked"], ranks, None), dtype="Int64")
    out[["met", "judged"]] = out[["met", "judged"]].astype("int64")
    return out[["store_id", "met", "judged", "met_share", "mean_gap", "ranked", "rank"]]


def gap_matrix(long: pd.DataFrame, *, period: str = "current", relative: bool = True) -> pd.DataFrame:
    """Stores × KPIs of the gap to the target (positive = better), the chain row last.

    With ``relative=True`` each gap is divided by the KPI's scale so that colours are comparable
    across units: percent and points by 100, other units by the target's size (at least 1).

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 2, "store_id": ["001", "chain"], "indicator": ["nps"] * 2,
    ...     "gap": [10.0, -5.0], "unit": ["points"] * 2, "target": [30.0] * 2})
    >>> gap_matrix(long).to_dict()
    {'nps': {'001': 0.1, 'chain': -0.05}}
    """
    part = long.loc[long["period"] == period].copy()
    if relative:
        scale = np.where(part["unit"].isin(["percent", "points"]), 100.0, np.maximum(part["target"].abs(), 1.0))
        part["gap"] = part["gap"] / scale
    wide = part.pivot(index="store_id", columns="indicator", values="gap")
    wide = wide.reindex(index=list(dict.fromkeys(part["store_id"])), columns=list(dict.fromkeys(part["indicator"])))
    wide.index.name, wide.columns.name = None, None
    return wide


def heatmap_chart(
    long: pd.DataFrame,
    lang: str,
    *,
    store_names: dict[str, str] | None = None,
    period: str = "current",
    limit: float = 0.2,
    max_stores: int = 40,
    min_judged: int = MIN_JUDGED,
):
    """Heat map of stores × KPIs coloured by the gap to the target (blue = better, red = short).

    Cells show the KPI's value; the colour is the relative gap of :func:`gap_matrix`, clipped at
    ``± limit``; empty cells (no data) are grey.  A chain with more than ``max_stores`` stores
    shows the ``max_stores`` lowest in the league table (those needing support; the title says
    so) -- the full table is in the league table and ``kpis.xlsx``.  Labels follow ``lang``; Chinese
    renders through :func:`kit.core.charts.setup_fonts`.  The palette runs from dark red (short)
    through white (on target) to light blue (better): its ends differ in lightness, so better and
    worse stay apart when printed in grey; a cell short of target also carries ✗.

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.ticker import PercentFormatter

    from kit.core.charts import setup_fonts

    setup_fonts()
    gaps = gap_matrix(long, period=period)
    league = league_table(long, period=period, min_judged=min_judged)
    title = t("overview.chart.heat.title", lang)
    if len(league) > max_stores:
        keep = league["store_id"].tail(max_stores).tolist()
        gaps = gaps.loc[[s for s in gaps.index if s in set(keep) or s == CHAIN]]
        title += "\n" + t("overview.chart.heat.subset", lang, shown=max_stores, total=len(league))
    part = long.loc[long["period"] == period]
    values = part.pivot(index="store_id", columns="indicator", values="value").reindex(
        index=gaps.index, columns=gaps.columns
    )
    names = dict(store_names or {})
    names[CHAIN] = t("indicators.chain", lang)
    rows = [f"{sid} {names.get(sid, '')}".strip() if sid != CHAIN else names[CHAIN] for sid in gaps.index]
    cols = [indicator_header(k, lang) for k in gaps.columns]
    height = 1.6 + 0.38 * len(rows)
    fig, ax = plt.subplots(figsize=(max(8.0, 0.62 * len(cols) + 2.5), height), layout="constrained")
    data = np.ma.masked_invalid(gaps.to_numpy(dtype="float64"))
    # Short of target = dark red, on target = near white, better = light blue: the ends differ in
    # lightness, so a grey print still tells short (dark) from better (light).
    cmap = LinearSegmentedColormap.from_list("gap", ["#8c1c13", "#e58a6f", "#f7f7f7", "#b9d8ea", "#6aaed6"])
    cmap = cmap.with_extremes(bad="#dddddd")
    image = ax.imshow(data, cmap=cmap, vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    val = values.to_numpy(dtype="float64")
    for i in range(val.shape[0]):  # cell labels: a small grid (stores × KPIs), not data rows
        for j in range(val.shape[1]):
            if np.isnan(val[i, j]):
                ax.text(j, i, "—", ha="center", va="center", fontsize=7, color="#555555")
                continue
            dark = abs(float(data[i, j])) > limit * 0.6 if not np.ma.is_masked(data[i, j]) else False
            short = not np.ma.is_masked(data[i, j]) and float(data[i, j]) < 0
            label = f"{val[i, j]:.0f}" + ("✗" if short else "")
            ax.text(j, i, label, ha="center", va="center", fontsize=7, color="white" if dark and short else "black")
    if CHAIN in gaps.index:
        ax.axhline(len(rows) - 1.5, color="black", linewidth=1.5)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, format=PercentFormatter(1.0, decimals=0))
    bar.set_label(t("overview.chart.heat.colorbar", lang))
    ax.set_title(title)
    return fig


def movers(long: pd.DataFrame, *, k: int = 5) -> pd.DataFrame:
    """The ``k`` biggest improvements and ``k`` biggest declines since the previous period.

    The change is measured in the KPI's direction (positive = better: a falling complaint rate is
    an improvement), in the KPI's unit.  Movers are ranked on a common scale: the change in
    percentage points (shares, NPS points) divided by 100, or for other units (yuan, ‰) the
    change relative to the previous value -- so a 10-point CSAT gain ranks with a 10 % drop in
    complaints per 1,000 transactions.  Only (store, KPI) pairs with a value
    in both periods count; the chain row is left out.

    Returns
    -------
    DataFrame ``store_id, kpi, unit, previous, current, change, kind`` (``kind`` is ``best`` or
    ``worst``), best first, then worst (largest decline first).

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current", "previous"] * 2, "store_id": ["001", "001", "002", "002"],
    ...     "indicator": ["csat"] * 4, "value": [90.0, 80.0, 70.0, 75.0], "unit": ["percent"] * 4, "direction": [">="] * 4})
    >>> movers(long, k=1)[["store_id", "change", "kind"]].values.tolist()
    [['001', 10.0, 'best'], ['002', -5.0, 'worst']]
    """
    part = long.loc[long["store_id"] != CHAIN]
    wide = part.pivot_table(
        index=["store_id", "indicator"], columns="period", values="value", aggfunc="first", sort=False
    )
    if not {"current", "previous"} <= set(wide.columns):
        return pd.DataFrame(columns=["store_id", "indicator", "unit", "previous", "current", "change", "kind"])
    meta = part.drop_duplicates("indicator").set_index("indicator")[["unit", "direction"]]
    wide = wide.dropna(subset=["current", "previous"]).reset_index().join(meta, on="indicator")
    sign = np.where(wide["direction"].eq(">="), 1.0, -1.0)
    wide["change"] = sign * (wide["current"] - wide["previous"])
    # ranked on a common scale: percentage points / 100 for shares and NPS, relative change otherwise
    scale = np.where(wide["unit"].isin(["percent", "points"]), 100.0, np.maximum(wide["previous"].abs(), 1.0))
    wide["score"] = wide["change"] / scale
    best = wide.loc[wide["score"] > 0].nlargest(k, "score").assign(kind="best")
    worst = wide.loc[wide["score"] < 0].nsmallest(k, "score").assign(kind="worst")
    out = pd.concat([best, worst], ignore_index=True)
    return out[["store_id", "indicator", "unit", "previous", "current", "change", "kind"]]


def standard_attainment(long: pd.DataFrame, *, period: str = "current") -> pd.DataFrame:
    """Per indicator: target, the chain's value and verdict, the share of stores meeting it.

    Also the chain's value in the previous period and the change (positive = better), so the
    page says whether the chain is moving towards each target.

    Returns
    -------
    DataFrame ``indicator, unit, direction, target, target_source, chain_value, chain_verdict,
    chain_met, chain_previous, chain_change, stores_met, stores_judged, stores_met_share``.
    """
    out = indicator_targets(long, period=period)
    prev = long.loc[(long["store_id"] == CHAIN) & (long["period"] == "previous")].set_index("indicator")["value"]
    out["chain_met"] = pd.array(
        [None if v not in ("met", "not_met") else v == "met" for v in out["chain_verdict"]], dtype="boolean"
    )
    out["chain_previous"] = out["indicator"].map(prev).astype("float64")
    sign = np.where(out["direction"].eq(">="), 1.0, -1.0)
    out["chain_change"] = sign * (out["chain_value"] - out["chain_previous"])
    return out[
        [
            "indicator",
            "unit",
            "direction",
            "target",
            "target_source",
            "chain_value",
            "chain_verdict",
            "chain_met",
            "chain_previous",
            "chain_change",
            "stores_met",
            "stores_judged",
            "stores_met_share",
        ]
    ]


def standards_attainment_chart(attainment: pd.DataFrame, lang: str):
    """Horizontal bars: the share of stores meeting each KPI's target, the chain's own verdict marked.

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    from kit.core.charts import ALERT, DARK, LIGHT, setup_fonts

    setup_fonts()
    data = attainment.iloc[::-1]
    labels = [indicator_label(k, lang) for k in data["indicator"]]
    fig, ax = plt.subplots(figsize=(8.0, 0.32 * len(data) + 1.4), layout="constrained")
    met = data["chain_met"].fillna(False).astype(bool).to_numpy()
    share = data["stores_met_share"].fillna(0).to_numpy()
    ax.barh(labels, share, color=np.where(met, DARK, LIGHT), edgecolor=DARK, hatch=None)
    for y, (value, ok) in enumerate(zip(share, met)):
        ax.text(
            min(value + 1, 101),
            y,
            f"{value:.0f}%" + ("" if ok else " ✗"),
            va="center",
            fontsize=8,
            color=DARK if ok else ALERT,
        )
    ax.set_xlim(0, 110)
    ax.set_xlabel(t("overview.chart.attain.x", lang))
    ax.set_title(t("overview.chart.attain.title", lang))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def league_display(
    long: pd.DataFrame,
    lang: str,
    *,
    store_names: dict[str, str] | None = None,
    period: str = "current",
    min_judged: int = MIN_JUDGED,
) -> Tables:
    """The league table for people, as one table per goal family so that it prints on A4.

    Every table has the stores in league order (rank, store, KPIs met of those judged), then the
    family's KPIs (:data:`kit.workshop.indicators.FAMILIES`: customer experience, emotion,
    business, internal capability), each as value with ✓ / ✗ under a header with its unit; the
    chain's row is last.  A family with no KPI in the table is left out.

    Returns
    -------
    :class:`kit.core.display.Tables` of ``(family name, DataFrame)``, headers and cells in ``lang``.

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 2, "store_id": ["001", "001"], "indicator": ["nps", "fcr"],
    ...     "verdict": ["met", "not_met"], "gap": [5.0, -3.0], "value": [35.0, 61.0], "met": [True, False]})
    >>> tables = league_display(long, "en", min_judged=1)
    >>> [caption for caption, _ in tables], list(tables["customer emotion"].columns)
    (['customer emotion', 'business effectiveness'], ['rank', 'store', 'KPIs met', 'NPS (points)'])
    """
    league = league_table(long, period=period, min_judged=min_judged)
    part = long.loc[long["period"] == period]
    value = part.pivot(index="store_id", columns="indicator", values="value")
    met = part.pivot(index="store_id", columns="indicator", values="met")
    kpis = list(dict.fromkeys(part["indicator"]))
    chain_row = CHAIN in value.index
    order = [*league["store_id"], CHAIN] if chain_row else list(league["store_id"])
    value, met = value.reindex(index=order, columns=kpis), met.reindex(index=order, columns=kpis)
    text = value.map(lambda v: "—" if pd.isna(v) else f"{v:.1f}")
    mark = met.map(lambda m: "" if pd.isna(m) else (" ✓" if m else " ✗"))
    cells = text + mark
    names = dict(store_names or {})
    names[CHAIN] = t("indicators.chain", lang)
    head = pd.DataFrame(
        {
            t("overview.column.rank", lang): ["—" if pd.isna(r) else str(r) for r in league["rank"]]
            + (["—"] if chain_row else []),
            t("overview.column.store", lang): [
                f"{s} {names.get(s, '')}".strip() if s != CHAIN else names[CHAIN] for s in order
            ],
            t("overview.column.met", lang): [f"{m}/{n}" for m, n in zip(league["met"], league["judged"])]
            + (["—"] if chain_row else []),
        },
        index=order,
    )
    parts = []
    for family in dict.fromkeys(FAMILIES.values()):
        codes = [k for k in kpis if k in INDICATORS and INDICATORS[k].family == family]
        if not codes:
            continue
        block = cells[codes].rename(columns={k: indicator_header(k, lang) for k in codes})
        parts.append((t(f"goals.family.{family}", lang), pd.concat([head, block], axis=1).reset_index(drop=True)))
    return Tables(parts)


def describe_overview(
    long: pd.DataFrame, lang: str, *, store_names: dict[str, str] | None = None, min_judged: int = MIN_JUDGED
) -> str:
    """Two or three sentences for the top of the page: the leader, the laggard, the weakest standard.

    Only ranked stores (see :func:`league_table`) are called leader or laggard; the others are named
    as not ranked.
    """
    league = league_table(long, min_judged=min_judged)
    if league.empty:
        return t("overview.text.no_stores", lang)
    names = {k: md_text(v) for k, v in (store_names or {}).items()}
    ranked = league.loc[league["ranked"]]
    if ranked.empty:
        return t("overview.text.no_ranking", lang)
    first, last = ranked.iloc[0], ranked.iloc[-1]
    att = standard_attainment(long)
    weakest = att.dropna(subset=["stores_met_share"]).sort_values(["stores_met_share", "indicator"]).head(1)
    lines = [
        t(
            "overview.text.leader",
            lang,
            store=md_text(first["store_id"]),
            name=names.get(first["store_id"], ""),
            met=int(first["met"]),
            n=int(first["judged"]),
        ),
        t(
            "overview.text.laggard",
            lang,
            store=md_text(last["store_id"]),
            name=names.get(last["store_id"], ""),
            met=int(last["met"]),
            n=int(last["judged"]),
        ),
    ]
    unranked = league.loc[~league["ranked"], "store_id"].tolist()
    if unranked:
        lines.append(t("overview.text.unranked", lang, stores=", ".join(map(md_text, unranked))))
    if len(weakest):
        row = weakest.iloc[0]
        lines.append(
            t(
                "overview.text.weakest",
                lang,
                kpi=indicator_label(row["indicator"], lang),
                share=f"{row['stores_met_share']:.0f}",
                met=int(row["stores_met"]),
                n=int(row["stores_judged"]),
            )
        )
    return " ".join(lines)


def describe_movers(moves: pd.DataFrame, lang: str, *, store_names: dict[str, str] | None = None) -> str:
    """One line each for the best and the worst mover."""
    if moves.empty:
        return t("overview.text.no_movers", lang)
    names = {k: md_text(v) for k, v in (store_names or {}).items()}
    parts = []
    for kind in ("best", "worst"):
        rows = moves.loc[moves["kind"] == kind]
        if len(rows):
            r = rows.iloc[0]
            parts.append(
                t(
                    f"overview.text.{kind}",
                    lang,
                    store=md_text(r["store_id"]),
                    name=names.get(r["store_id"], ""),
                    kpi=indicator_label(r["indicator"], lang),
                    previous=f"{r['previous']:.1f}",
                    current=f"{r['current']:.1f}",
                )
            )
    return " ".join(parts)


def movers_display(moves: pd.DataFrame, lang: str, *, store_names: dict[str, str] | None = None) -> pd.DataFrame | None:
    """The movers for people: headers in ``lang``, KPI names, values to one decimal (None when there are none).

    With no movers the sentence of :func:`describe_movers` says why; no empty table follows it.
    """
    if moves.empty:
        return None
    names = store_names or {}
    return pd.DataFrame(
        {
            t("overview.column.kind", lang): moves["kind"].map(lambda k: t(f"overview.kind.{k}", lang)),
            t("overview.column.store", lang): [f"{s} {names.get(s, '')}".strip() for s in moves["store_id"]],
            t("overview.column.kpi", lang): moves["indicator"].map(lambda k: indicator_label(k, lang)),
            t("overview.column.previous", lang): moves["previous"].map(lambda v: f"{v:.1f}"),
            t("overview.column.current", lang): moves["current"].map(lambda v: f"{v:.1f}"),
            t("overview.column.change", lang): moves["change"].map(lambda v: f"{v:+.1f}"),
        }
    )


def attainment_display(attainment: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chain's attainment of each standard for people (headers and values in ``lang``)."""

    def fmt(v: float) -> str:
        return "—" if pd.isna(v) else f"{v:.1f}"

    yes, no = t("overview.met.yes", lang), t("overview.met.no", lang)
    return pd.DataFrame(
        {
            t("overview.column.kpi", lang): attainment["indicator"].map(lambda k: indicator_label(k, lang)),
            t("overview.column.target", lang): [
                f"{'≥' if d == '>=' else '≤'} {fmt(v)}" for d, v in zip(attainment["direction"], attainment["target"])
            ],
            t("overview.column.source", lang): attainment["target_source"].map(
                lambda s: t(f"indicators.source.{s}", lang)
            ),
            t("overview.column.chain_value", lang): attainment["chain_value"].map(fmt),
            t("overview.column.chain_met", lang): attainment["chain_met"].map(
                lambda m: "—" if pd.isna(m) else (yes if m else no)
            ),
            t("overview.column.change", lang): attainment["chain_change"].map(
                lambda v: "—" if pd.isna(v) else f"{v:+.1f}"
            ),
            t("overview.column.stores_met", lang): [
                f"{m}/{n}" for m, n in zip(attainment["stores_met"], attainment["stores_judged"])
            ],
        }
    )
