"""Parameters and first cell of the workshop notebooks (01 customer types, 02 service standards).

The report notebooks use :class:`kit.run.params.ReportParams`; the workshop notebooks have their own
model, :class:`WorkshopParams`, validated through the same :func:`kit.run.params.validate_params` so a
mistake is one clear message.  :func:`open_workshop` validates, opens (or, for the default
``workspace=""``, creates) the workspace and loads the chain.

Examples
--------
>>> p = validate_params(WorkshopParams, workspace="", data_dir=".", lang="en")
>>> p.store_id, p.interactive
('', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kit.core.display import format_share
from kit.core.errors import WorkspaceError, set_message_language
from kit.core.i18n import t
from kit.core.periods import filter_period
from kit.intake.load import Chain, load_chain
from kit.run.params import WorkshopParams, validate_params
from kit.workshop.workspace import Workspace, create_workspace, open_workspace

if TYPE_CHECKING:
    from kit.workshop.card import StandardsCard

__all__ = [
    "DEFAULT_WORKSPACE",
    "Workshop",
    "open_workshop",
    "project_root",
    "resolve_workspace",
    "sla_table",
    "write_card",
]

#: Where ``workspace=""`` points, relative to the project folder.
DEFAULT_WORKSPACE = Path("workspaces") / "demo"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current one) holding ``pyproject.toml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return here


@dataclass(frozen=True)
class Workshop:
    """What a workshop notebook works on: parameters, workspace, and the period's rows."""

    params: WorkshopParams
    workspace: Workspace
    workspace_note: str
    chain: Chain
    complaints: pd.DataFrame
    surveys: pd.DataFrame
    transactions: pd.DataFrame
    as_of: pd.Timestamp

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def note(self) -> str:
        """What the notebook works on, as Markdown bullets: the workspace, the rows read and rejected
        per input file, and whether forms are shown."""
        lines = [self.workspace_note, *self.chain.summary(self.lang)]
        if not self.params.interactive:
            lines.append(t("widgets.workshop.headless", self.lang))
        return "\n".join(f"- {line}" for line in lines)


def resolve_workspace(params: WorkshopParams) -> tuple[Workspace, str]:
    """Open the workspace; the default (empty) one is created from the seed defaults when missing."""
    lang = params.lang
    if params.workspace.strip():
        ws = open_workspace(Path(params.workspace).expanduser())
        return ws, t("widgets.workshop.workspace_used", lang, path=ws.path)
    folder = project_root() / DEFAULT_WORKSPACE
    if folder.is_dir():
        return open_workspace(folder), t("widgets.workshop.workspace_used", lang, path=folder)
    try:
        ws = create_workspace(folder.parent, folder.name)
    except WorkspaceError:
        if not folder.is_dir():
            raise
        # another notebook of the same run created it a moment ago
        return open_workspace(folder), t("widgets.workshop.workspace_used", lang, path=folder)
    return ws, t("widgets.workshop.workspace_created", lang, path=folder)


def open_workshop(**raw: Any) -> Workshop:
    """Validate the parameters, open the workspace and load the period's data (chain or one store)."""
    set_message_language(str(raw.get("lang", "en")))
    params = validate_params(WorkshopParams, **raw)
    from kit.core.display import setup_report

    setup_report()
    ws, note = resolve_workspace(params)
    chain = load_chain(params.data_dir)
    store = params.store_id or None
    complaints = filter_period(chain.complaints.data, params.period_start, params.period_end, store_id=store)
    window = dict(store_id=store, time_col="date")
    surveys = filter_period(chain.surveys.data, params.period_start, params.period_end, **window)
    transactions = filter_period(chain.transactions.data, params.period_start, params.period_end, **window)
    period_end = pd.Timestamp(params.period_end) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    times = chain.complaints.data.select_dtypes("datetime")
    extracted = times.max().max() if not times.empty else period_end
    as_of = min(period_end, extracted) if pd.notna(extracted) else period_end
    return Workshop(
        params=params,
        workspace=ws,
        workspace_note=note,
        chain=chain,
        complaints=complaints,
        surveys=surveys,
        transactions=transactions,
        as_of=as_of,
    )


def sla_table(standards: Any, lang: str) -> pd.DataFrame:
    """The time rules of ``standards.sla`` for display, with the form's labels (``*`` shown as "any").

    Examples
    --------
    >>> from kit.workshop.standards import default_service_standards
    >>> sla_table(default_service_standards(), "en").iloc[0].tolist()
    ['first response', 'any', 'urgent complaint', '30', 'calendar hours', '95.0%']
    """
    from kit.core.i18n import label_of
    from kit.workshop.standards import ANY

    anyone = t("widgets.option.any", lang)
    rows = [
        {
            "metric": t(f"widgets.option.{r.metric}", lang),
            "channel": anyone if r.channel == ANY else label_of("channel", r.channel, lang),
            "tier": anyone if r.tier == ANY else label_of("tier", r.tier, lang),
            "target_minutes": f"{r.target_minutes:g}",
            "clock": t(f"widgets.option.{r.clock}", lang),
            "required": format_share(r.required_attainment),
        }
        for r in standards.sla
    ]
    frame = pd.DataFrame(rows, columns=["metric", "channel", "tier", "target_minutes", "clock", "required"])
    return frame.rename(columns={c: t(f"widgets.field.{c}", lang) for c in frame.columns})


def write_card(workshop: Workshop, standards: Any) -> StandardsCard:
    """Write the standards card into the workspace and return it for display in the notebook.

    The file is ``<workspace>/standards_card.<lang>.html`` (``standards_card.<store>.<lang>.html``
    for a one-store run), overwritten atomically at every run; the returned
    :class:`~kit.workshop.card.StandardsCard` carries the page too, so :func:`kit.workshop.card.export_cards` can
    copy it next to an executed notebook.  ``card.path`` is the file written.
    """
    from kit.workshop.card import StandardsCard, card_filename, standards_card_html, write_standards_card

    store = workshop.params.store_id or None
    html = standards_card_html(standards, workshop.lang, store_id=store)
    path = write_standards_card(
        workshop.workspace.path / card_filename(workshop.lang, store), standards, workshop.lang, store_id=store
    )
    return StandardsCard(html, workshop.lang, store_id=store, path=path)
