"""What a report notebook needs in its first cells: clean errors, parameters, data, tables.

A notebook calls :func:`open_store_report` right after its ``parameters`` cell.  That sets the
language of error messages (a :class:`~kit.core.errors.KitError` is shown as one clear message in the
report's language, never as a raw traceback, and the cell still fails so a batch run records it),
validates the parameters, sets up Chinese fonts, loads the chain through :mod:`kit.intake.load`, keeps
the store's rows of the period and masks personal data unless ``unmask=True``.

Examples
--------
>>> import tempfile
>>> from kit.intake.sample import write_chain
>>> folder = tempfile.mkdtemp()
>>> _ = write_chain(folder, stores=2, months=1, seed=1)
>>> ctx = open_store_report(store_id="002", period_start="2026-01-01", period_end="2026-01-31",
...                         data_dir=folder, lang="en")
>>> ctx.store["store_id"], bool((ctx.complaints["store_id"] == "002").all())
('002', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from kit.audit.measures import DEFAULT_AUTHORITY
from kit.core.charts import setup_fonts
from kit.core.errors import DataError, WorkspaceError, set_message_language
from kit.core.i18n import t
from kit.core.periods import filter_period
from kit.core.privacy import mask_frame
from kit.intake.load import Chain, load_chain
from kit.run.params import ReportParams, validate_params
from kit.workshop.standards import Standards, default_standards, store_calendars
from kit.workshop.workspace import load_standards

__all__ = ["StoreReport", "open_store_report", "set_message_language"]


@dataclass(frozen=True)
class StoreReport:
    """Everything a per-store notebook works on, already filtered and masked.

    ``complaints``, ``surveys`` and ``transactions`` hold the store's rows of the period;
    ``chain`` holds every store's full tables (for comparisons with the chain).
    """

    params: ReportParams
    store: pd.Series
    chain: Chain
    complaints: pd.DataFrame
    surveys: pd.DataFrame
    transactions: pd.DataFrame
    standards: Standards
    standards_note: str
    as_of: pd.Timestamp
    calendars: dict[str, Any] = field(default_factory=dict)

    @property
    def follow_up_hours(self) -> float:
        """The call-back window of the standards (48 h, the kit's suggestion, by default)."""
        follow = getattr(self.standards, "follow_up", None)
        return float(follow.window_hours) if follow is not None else 48.0

    @property
    def authority_limits(self) -> dict[str, float]:
        """``{role: limit in yuan}`` from the standards (no limit = infinity)."""
        limits = getattr(self.standards, "authority", None)
        if not limits:
            return dict(DEFAULT_AUTHORITY)
        return {a.role: float("inf") if a.up_to is None else float(a.up_to) for a in limits}

    @property
    def lang(self) -> str:
        return self.params.lang

    def notes(self) -> list[str]:
        """Lines for the report header: the store, period, rows rejected, standards, masking."""
        p, lang = self.params, self.params.lang
        name = self.store["store_name_zh"] if lang == "zh" else self.store["store_name_en"]
        lines = [t("text.period", lang, store=p.store_id, name=name, start=p.period_start, end=p.period_end)]
        lines += self.chain.summary(lang)
        lines.append(self.standards_note)
        lines.append(t("text.unmasked_note" if p.unmask else "text.masked_note", lang))
        return lines


def open_store_report(*, params_model: type[ReportParams] = ReportParams, **raw: Any) -> StoreReport:
    """Validate the parameters, load the data and return the store's view of it.

    Parameters
    ----------
    params_model : the notebook's parameter model (:class:`kit.run.params.ReportParams` or a
        subclass with the notebook's own settings, e.g. :class:`kit.run.params.LoyaltyParams`)
    **raw
        The notebook's parameters.
    """
    set_message_language(str(raw.get("lang", "en")))
    params = validate_params(params_model, **raw)
    setup_fonts()
    chain = load_chain(params.data_dir)
    if not params.unmask:  # mask once, before any table of the chain can be shown
        chain = replace(chain, complaints=replace(chain.complaints, data=mask_frame(chain.complaints.data)))
    stores = chain.stores.data
    match = stores.loc[stores["store_id"] == params.store_id]
    if match.empty:
        known = ", ".join(stores["store_id"].head(20))
        raise DataError.from_key(
            "io.error.unknown_store", file=chain.stores.source, column="store_id", store_id=params.store_id, known=known
        )
    complaints = filter_period(chain.complaints.data, params.period_start, params.period_end, store_id=params.store_id)
    window = dict(store_id=params.store_id, time_col="date")
    surveys = filter_period(chain.surveys.data, params.period_start, params.period_end, **window)
    transactions = filter_period(chain.transactions.data, params.period_start, params.period_end, **window)
    standards, note = _standards_for(params)
    calendars = store_calendars(stores, getattr(standards, "calendar", None))
    period_end = pd.Timestamp(params.period_end) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    times = chain.complaints.data.select_dtypes("datetime")
    extracted = times.max().max() if not times.empty else period_end
    as_of = min(period_end, extracted) if pd.notna(extracted) else period_end
    return StoreReport(
        params=params,
        store=match.iloc[0],
        chain=chain,
        complaints=complaints,
        surveys=surveys,
        transactions=transactions,
        standards=standards,
        standards_note=note,
        as_of=as_of,
        calendars=calendars,
    )


def _standards_for(params: ReportParams) -> tuple[Standards, str]:
    """The workspace's standards when it has a ``standards.yaml``, else the seed defaults (said so)."""
    lang = params.lang
    if not params.workspace:
        return default_standards(), t("text.default_standards", lang)
    folder = Path(params.workspace).expanduser()
    if not folder.is_dir():
        raise WorkspaceError.from_key("workspace.error.folder_missing", file=folder, column="workspace")
    if not (folder / "standards.yaml").exists():
        return default_standards(), t("text.no_workspace_standards", lang, workspace=folder.name)
    return load_standards(folder), t("text.workspace_standards", lang, workspace=folder.name)
