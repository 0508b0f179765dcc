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
from kit.core.display import md_text, setup_report
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
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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

    @property
    def store_name(self) -> str:
        """The store's name in the report's language (its id when the stores file has none)."""
        col = "store_name_zh" if self.lang == "zh" else "store_name_en"
        value = self.store.get(col)
        return str(value) if value is not None and pd.notna(value) and str(value).strip() else self.params.store_id

    @property
    def currency(self) -> str:
        """The currency symbol of the reports (``mapping.yaml``'s ``currency``; ¥ by default)."""
        symbol = getattr(self.chain, "currency_symbol", None)
        return symbol() if callable(symbol) else "¥"

    # ---- the indicators: one table for the chain, the store's slice ----------------------------
    def indicator_table(self) -> pd.DataFrame:
        """Every indicator of every store and the chain, this period and the previous one
        (:func:`kit.chain.indicators.indicator_table`, computed once per report)."""
        if "table" not in self._cache:
            from kit.chain.indicators import indicator_table
            from kit.chain.overview import chain_coverage
            from kit.workshop.goals import load_goals

            goals, source = load_goals(self.params.workspace or None)
            chain = self.chain
            self._cache["table"] = indicator_table(
                chain.complaints.data,
                chain.surveys.data,
                chain.transactions.data,
                period=(self.params.period_start, self.params.period_end),
                standards=self.standards,
                goals=goals,
                goals_source=source,
                calendars=self.calendars,
                stores=chain.stores.data["store_id"].astype(str).tolist(),
                **chain_coverage(chain),
            )
            self._cache["goals_source"] = source
        return self._cache["table"]

    def indicators(self, period: str = "current", *, store: str | None = None) -> pd.DataFrame:
        """The store's (or ``store="chain"``) rows of the indicator table for ``period``."""
        from kit.chain.indicators import store_slice

        return store_slice(self.indicator_table(), store or self.params.store_id, period=period)

    def measurable(self, code: str) -> bool:
        """Whether the data can give indicator ``code`` at all (a small sample still counts as measurable)."""
        row = self.indicators().set_index("indicator").loc[code]
        return row["reason"] not in ("absent_column", "missing_file", "empty_file", "times_missing", "no_rule")

    def why(self, code: str) -> str:
        """Why indicator ``code`` has no verdict for this store, with what would fill it (empty when it has one)."""
        from kit.workshop.indicators import INDICATORS, verdict_reason

        row = self.indicators().set_index("indicator").loc[code]
        reason = str(row["reason"])
        if not reason:
            return ""
        text = verdict_reason(
            reason, self.lang, column=str(row["reason_column"]), n=int(row["n"]), min_n=INDICATORS[code].min_n
        )
        if reason in ("absent_column", "missing_file", "empty_file", "times_missing", "no_rule"):
            text += t("text.fill_sep", self.lang) + _fill(reason, str(row["reason_column"]), self.lang)
        return text

    def has(self, kind: str) -> bool:
        """Whether the store has rows of ``kind`` (``complaints``, ``surveys``, ``transactions``) in the period."""
        return len(getattr(self, kind)) > 0

    def lacks(self, kind: str) -> str:
        """What a section on ``kind`` says instead of its tables: which file is missing, or that the store has
        no rows in the period, and how to fill it."""
        missing = kind in getattr(self.chain, "missing", ()) or getattr(self.chain, kind).data.empty
        key = "text.no_file" if missing else "text.no_rows"
        return t(key, self.lang, kind=t(f"indicators.kind.{kind}", self.lang), file=f"{kind}.csv")

    @property
    def complaint_indicators(self) -> list[str]:
        """The registry's indicators measured from the complaints log alone (the complaint audit's)."""
        from kit.workshop.indicators import INDICATORS

        return [c for c, ind in INDICATORS.items() if {k for k, _ in ind.inputs} == {"complaints"}]

    @property
    def loyalty_indicators(self) -> list[str]:
        """The registry's indicators that need surveys or transactions (the satisfaction and loyalty report's)."""
        return [c for c in self.indicator_table()["indicator"].drop_duplicates() if c not in self.complaint_indicators]

    def sla(self, metric: str) -> pd.DataFrame | None:
        """:func:`kit.audit.measures.sla_status` of the store for ``metric`` (``first_response`` or
        ``resolution``), or None when the data cannot give it (the reason is :meth:`why`)."""
        code = f"{metric}_sla"
        if not self.measurable(code):
            return None
        key = f"sla:{metric}"
        if key not in self._cache:
            from kit.audit.measures import sla_status

            self._cache[key] = sla_status(
                self.complaints, self.standards, metric, as_of=self.as_of, calendars=self.calendars
            )
        return self._cache[key]

    def chain_sla(self, metric: str) -> pd.DataFrame | None:
        """The same for the whole chain in the period (for the chain's line in the trend chart)."""
        if self.sla(metric) is None:
            return None
        key = f"chain_sla:{metric}"
        if key not in self._cache:
            from kit.audit.measures import sla_status

            complaints = filter_period(self.chain.complaints.data, self.params.period_start, self.params.period_end)
            self._cache[key] = sla_status(
                complaints, self.standards, metric, as_of=self.as_of, calendars=self.calendars
            )
        return self._cache[key]

    def coverage(self) -> list[str]:
        """Header lines: the indicators the data cannot give, and the column or file that would enable each."""
        from kit.chain.indicators import unmeasured
        from kit.workshop.indicators import indicator_label

        missing = unmeasured(self.indicators())
        if missing.empty:
            return []
        items = [
            f"{indicator_label(r.indicator, self.lang)}（{_fill(r.reason, r.reason_column, self.lang)}）"
            if self.lang == "zh"
            else f"{indicator_label(r.indicator, self.lang)} ({_fill(r.reason, r.reason_column, self.lang)})"
            for r in missing.itertuples()
        ]
        sep = "；" if self.lang == "zh" else "; "
        return [t("text.not_measured", self.lang, n=len(items), items=sep.join(items))]

    def notes(self) -> list[str]:
        """Lines for the report header: the store, period, rows rejected, standards, masking, what cannot be measured."""
        p, lang = self.params, self.params.lang
        key = "text.period" if self.store_name != p.store_id else "text.period_unnamed"
        name = md_text(self.store_name)
        lines = [t(key, lang, store=md_text(p.store_id), name=name, start=p.period_start, end=p.period_end)]
        lines += self.chain.summary(lang)
        lines.append(self.standards_note)
        lines += self.coverage()
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
    setup_report()
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


def _fill(reason: str, column: str, lang: str) -> str:
    kind = t(f"indicators.kind.{column}", lang) if column in ("complaints", "surveys", "transactions") else column
    return t(f"indicators.fill.{reason}", lang, column=column, kind=kind)


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
