"""The chain overview: every store on every KPI against its target, the page a regional manager opens first.

:func:`open_chain_overview` loads the chain and the workspace's targets and computes the KPI table
of :mod:`kit.kpis` once for all stores; the functions below turn it into the overview's views:

* :func:`league_table` -- stores ranked by how many KPIs meet their target;
* :func:`gap_matrix` / :func:`heatmap_chart` -- stores × KPIs coloured by the gap to the target;
* :func:`movers` -- the biggest improvements and declines since the previous period;
* :func:`standard_attainment` -- per KPI, the chain's value and the share of stores meeting it.

Examples
--------
>>> import pandas as pd
>>> long = pd.DataFrame({"period": ["current"] * 4, "store_id": ["001", "001", "002", "002"],
...     "kpi": ["nps", "csat"] * 2, "met": pd.array([True, True, False, True], dtype="boolean"),
...     "gap": [5.0, 1.0, -3.0, 2.0], "value": [35.0, 91.0, 27.0, 92.0]})
>>> league_table(long)[["store_id", "met", "measured", "rank"]].values.tolist()
[['001', 2, 2, 1], ['002', 1, 2, 2]]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.errors import WorkspaceError
from kit.goals import QualityGoals, load_goals
from kit.i18n import t
from kit.io import Chain, load_chain
from kit.kpis import CHAIN, KPIS, kpi_label, kpi_targets, previous_period, store_kpis
from kit.standards import Standards, default_standards, store_calendars


def load_targets(workspace: str | Path = "", lang: str = "en") -> tuple[Standards, QualityGoals, str, list[str]]:
    """The workspace's standards and goals (seed defaults when absent), and notes saying which.

    Returns
    -------
    (standards, goals, goals_source, notes)
        ``goals_source`` as in :func:`kit.goals.load_goals`; ``notes`` are lines in ``lang``.
    """
    from kit.goals import goals_note
    from kit.workspace import load_standards

    if not workspace:
        goals, source = load_goals(None)
        return default_standards(), goals, source, [t("text.default_standards", lang), goals_note(source, lang)]
    folder = Path(workspace).expanduser()
    if not folder.is_dir():
        raise WorkspaceError(
            "找不到工作区文件夹", "the workspace folder does not exist", file=str(folder), column="workspace",
            hint_zh="用 kit workspace new 名称 创建，或检查 workspace 参数",
            hint_en="create it with `kit workspace new NAME`, or check the workspace parameter",
        )
    goals, source = load_goals(folder)
    if (folder / "standards.yaml").exists():
        standards: Standards = load_standards(folder)
        note = t("text.workspace_standards", lang, workspace=folder.name)
    else:
        standards, note = default_standards(), t("text.no_workspace_standards", lang, workspace=folder.name)
    return standards, goals, source, [note, goals_note(source, lang)]


def chain_kpis(chain: Chain, period: tuple[date, date], *, workspace: str | Path = "", lang: str = "en",
               targets: dict[str, float] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The KPI long table of :func:`kit.kpis.store_kpis` for a loaded chain, with the target notes."""
    standards, goals, source, notes = load_targets(workspace, lang)
    stores = chain.stores.data
    calendars = store_calendars(stores, getattr(standards, "calendar", None))
    long = store_kpis(chain.complaints.data, chain.surveys.data, chain.transactions.data, period=period,
                      standards=standards, goals=goals, goals_source=source, targets=targets, calendars=calendars,
                      stores=stores["store_id"].astype(str).tolist())
    return long, notes


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
        """``{store_id: name}`` in the report's language."""
        stores = self.chain.stores.data
        col = "store_name_zh" if self.lang == "zh" else "store_name_en"
        names = stores[col] if col in stores.columns else stores["store_id"]
        return dict(zip(stores["store_id"].astype(str), names.astype(str)))


def open_chain_overview(params: Any) -> ChainOverview:
    """Load the chain of ``params`` (a validated :class:`kit.params.ChainParams`) and measure every KPI.

    Personal data is masked unless ``params.unmask`` (the overview shows none, but the chain object
    is handed to the notebook).
    """
    from kit.notebook import set_message_language
    from kit.plots import setup_fonts
    from kit.privacy import mask_frame

    set_message_language(params.lang)
    setup_fonts()
    chain = load_chain(params.data_dir)
    if not params.unmask:
        chain = replace(chain, complaints=replace(chain.complaints, data=mask_frame(chain.complaints.data)))
    long, notes = chain_kpis(chain, (params.period_start, params.period_end), workspace=params.workspace,
                             lang=params.lang)
    prev = previous_period(params.period_start, params.period_end)
    lines = [t("overview.period", params.lang, start=params.period_start, end=params.period_end,
               prev_start=prev[0], prev_end=prev[1], stores=len(chain.stores.data))]
    lines += chain.summary(params.lang) + notes
    return ChainOverview(params=params, chain=chain, kpis=long, notes=lines)


def league_table(long: pd.DataFrame, *, period: str = "current") -> pd.DataFrame:
    """Stores ranked by the number of KPIs meeting their target (ties: the larger mean gap first).

    Returns
    -------
    DataFrame ``store_id, met, measured, met_share (%), mean_gap, rank`` (the chain row left out).
    """
    part = long.loc[(long["period"] == period) & (long["store_id"] != CHAIN)]
    flags = part.assign(_met=part["met"].fillna(False).astype(bool), _measured=part["met"].notna())
    out = flags.groupby("store_id", sort=False).agg(met=("_met", "sum"), measured=("_measured", "sum"),
                                                    mean_gap=("gap", "mean")).reset_index()
    out["met_share"] = (100.0 * out["met"] / out["measured"]).where(out["measured"] > 0)
    out = out.sort_values(["met", "mean_gap"], ascending=[False, False], kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out[["met", "measured"]] = out[["met", "measured"]].astype("int64")
    return out[["store_id", "met", "measured", "met_share", "mean_gap", "rank"]]
