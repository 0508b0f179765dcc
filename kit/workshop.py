"""Parameters and first cell of the workshop notebooks (01 customer types, 02 service standards).

The report notebooks use :class:`kit.params.ReportParams`; the workshop notebooks have their own
model, :class:`WorkshopParams`, validated through the same :func:`kit.params.validate_params` so a
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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from kit.audit import filter_period
from kit.errors import WorkspaceError
from kit.i18n import t
from kit.io import Chain, load_chain
from kit.notebook import set_message_language
from kit.params import WorkshopParams, validate_params  # noqa: F401 - WorkshopParams re-exported
from kit.workspace import Workspace, create_workspace, open_workspace

if TYPE_CHECKING:
    from kit.card import StandardsCard

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
    from kit.plots import setup_fonts

    setup_fonts()
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
    return Workshop(params=params, workspace=ws, workspace_note=note, chain=chain, complaints=complaints,
                    surveys=surveys, transactions=transactions, as_of=as_of)


def _fmt_share(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def sla_table(standards: Any, lang: str) -> pd.DataFrame:
    """The time rules of ``standards.sla`` for display, with the form's labels (``*`` shown as "any").

    Examples
    --------
    >>> from kit.standards import default_service_standards
    >>> sla_table(default_service_standards(), "en").iloc[0].tolist()
    ['first response', 'any', 'urgent complaint', '30', 'calendar hours', '95.0%']
    """
    from kit.i18n import label_of
    from kit.standards import ANY

    anyone = t("widgets.option.any", lang)
    rows = [{
        "metric": t(f"widgets.option.{r.metric}", lang),
        "channel": anyone if r.channel == ANY else label_of("channel", r.channel, lang),
        "tier": anyone if r.tier == ANY else label_of("tier", r.tier, lang),
        "target_minutes": f"{r.target_minutes:g}",
        "clock": t(f"widgets.option.{r.clock}", lang),
        "required": _fmt_share(r.required_attainment),
    } for r in standards.sla]
    frame = pd.DataFrame(rows, columns=["metric", "channel", "tier", "target_minutes", "clock", "required"])
    return frame.rename(columns={c: t(f"widgets.field.{c}", lang) for c in frame.columns})


def attainment_table(measured: pd.DataFrame, standards: Any, lang: str) -> pd.DataFrame:
    """:func:`measured_attainment` for display: the standard's title, met, breached and attainment."""
    titles = {s.id: s.title(lang) for s in getattr(standards, "smart", [])}
    frame = pd.DataFrame({
        "standard": [titles.get(i, i) for i in measured["id"]],
        "metric": [t(f"widgets.option.{m}", lang) for m in measured["metric"]],
        "met": measured["met"].astype(int), "breached": measured["breached"].astype(int),
        "attainment": [_fmt_share(v) for v in measured["attainment"]],
    })
    return frame.rename(columns={c: t(f"widgets.measured.{c}", lang) for c in frame.columns})


def write_card(workshop: Workshop, standards: Any) -> "StandardsCard":
    """Write the standards card into the workspace and return it for display in the notebook.

    The file is ``<workspace>/standards_card.<lang>.html`` (``standards_card.<store>.<lang>.html``
    for a one-store run), overwritten atomically at every run; the returned
    :class:`~kit.card.StandardsCard` carries the page too, so :func:`kit.card.export_cards` can
    copy it next to an executed notebook.  ``card.path`` is the file written.
    """
    from kit.card import StandardsCard, card_filename, standards_card_html, write_standards_card

    store = workshop.params.store_id or None
    html = standards_card_html(standards, workshop.lang, store_id=store)
    path = write_standards_card(workshop.workspace.path / card_filename(workshop.lang, store), standards, workshop.lang, store_id=store)
    return StandardsCard(html, workshop.lang, store_id=store, path=path)


# --------------------------------------------------------------------------------------------
# "achievable": today's attainment per SMART standard, measured from the complaints
# --------------------------------------------------------------------------------------------
#: Seed SMART standards measured from the complaints: id -> (SLA metric, channels, tiers);
#: ``None`` = all.  Every other standard (greeting, records, training, rings, call-back,
#: satisfaction, and any standard the team adds) is not linked: its 'achievable' stays unknown.
SMART_LINKS: dict[str, tuple[str, tuple[str, ...] | None, tuple[str, ...] | None, bool]] = {
    # id: (metric, channels, tiers, exclude_channels)
    "urgent_30min": ("first_response", None, ("urgent",), False),
    "normal_2h": ("first_response", ("email",), ("normal", "inquiry"), True),
    "email_24h": ("first_response", ("email",), ("normal", "inquiry"), False),
    "sla_attainment": ("first_response", None, None, False),
    "resolve_24h": ("resolution", None, None, False),
}


def measured_attainment(complaints: pd.DataFrame, standards: Any, *, as_of: pd.Timestamp,
                        stores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attainment in the loaded history of the SMART standards listed in :data:`SMART_LINKS`.

    The status of each complaint is computed with :func:`kit.audit.sla_status` against the
    workspace's SLA rules (the targets the team set in the form), then ``met / (met + breached)``
    over the complaints the standard covers.

    Returns
    -------
    DataFrame
        One row per linked standard present in ``standards.smart``: ``id``, ``metric``,
        ``scope`` (channels / tiers), ``met``, ``breached``, ``attainment``.
    """
    from kit.audit import sla_attainment, sla_status
    from kit.standards import store_calendars

    calendars = store_calendars(stores, getattr(standards, "calendar", None)) if stores is not None else None
    ids = {s.id for s in getattr(standards, "smart", [])}
    status_by_metric: dict[str, pd.DataFrame] = {}
    rows = []
    for sid, (metric, channels, tiers, exclude) in SMART_LINKS.items():
        if sid not in ids:
            continue
        if metric not in status_by_metric:
            status_by_metric[metric] = sla_status(complaints, standards, metric, as_of=as_of, calendars=calendars)
        status = status_by_metric[metric]
        mask = pd.Series(True, index=status.index)
        if channels is not None:
            inside = status["channel"].isin(channels)
            mask &= ~inside if exclude else inside
        if tiers is not None:
            mask &= status["tier"].isin(tiers)
        att = sla_attainment(status.loc[mask]) if mask.any() else None
        scope = ("≠ " if exclude else "") + ("/".join(channels) if channels else "*") + " × " + ("/".join(tiers) if tiers else "*")
        rows.append({
            "id": sid, "metric": metric, "scope": scope,
            "met": 0 if att is None else int(att["met"].iloc[0]),
            "breached": 0 if att is None else int(att["breached"].iloc[0]),
            "attainment": float("nan") if att is None else float(att["attainment"].iloc[0]),
        })
    return pd.DataFrame(rows, columns=["id", "metric", "scope", "met", "breached", "attainment"])
