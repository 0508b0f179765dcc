"""What a report notebook needs in its first cells: clean errors, parameters, data, tables.

A notebook calls :func:`open_store_report` right after its ``parameters`` cell.  That sets the
language of error messages (a :class:`~kit.errors.KitError` is shown as one clear message in the
report's language, never as a raw traceback, and the cell still fails so a batch run records it),
validates the parameters, sets up Chinese fonts, loads the chain through :mod:`kit.io`, keeps
the store's rows of the period and masks personal data unless ``unmask=True``.

Examples
--------
>>> import tempfile
>>> from kit.sample import write_chain
>>> folder = tempfile.mkdtemp()
>>> _ = write_chain(folder, stores=2, months=1, seed=1)
>>> ctx = open_store_report(store_id="002", period_start="2026-01-01", period_end="2026-01-31",
...                         data_dir=folder, lang="en")
>>> ctx.store["store_id"], bool((ctx.complaints["store_id"] == "002").all())
('002', True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from kit.audit import DEFAULT_AUTHORITY, filter_period
from kit.errors import DataError, KitError, WorkspaceError
from kit.i18n import columns, label_of, t
from kit.io import Chain, load_chain
from kit.params import ReportParams, validate_params
from kit.plots import setup_fonts
from kit.privacy import mask_frame
from kit.standards import Standards, default_standards, store_calendars
from kit.workspace import load_standards


def set_message_language(lang: str) -> None:
    """Show :class:`KitError` messages in notebooks in ``lang`` (``zh`` or ``en``).

    A :class:`KitError` renders in IPython as one line -- what, where, what to do -- instead of
    a traceback (see ``KitError._render_traceback_``); the cell still fails, so a batch run
    records it.
    """
    KitError.display_lang = lang if lang in ("zh", "en") else "en"


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


def open_store_report(**raw: Any) -> StoreReport:
    """Validate the parameters, load the data and return the store's view of it.

    Parameters
    ----------
    **raw
        The notebook's parameters (see :class:`kit.params.ReportParams`).
    """
    set_message_language(str(raw.get("lang", "en")))
    params = validate_params(ReportParams, **raw)
    setup_fonts()
    chain = load_chain(params.data_dir)
    if not params.unmask:  # mask once, before any table of the chain can be shown
        chain = replace(chain, complaints=replace(chain.complaints, data=mask_frame(chain.complaints.data)))
    stores = chain.stores.data
    match = stores.loc[stores["store_id"] == params.store_id]
    if match.empty:
        known = ", ".join(stores["store_id"].head(20))
        raise DataError(
            f"门店 {params.store_id} 不在门店文件中",
            f"store {params.store_id} is not in the stores file",
            file=str(chain.stores.source),
            column="store_id",
            hint_zh=f"已知门店：{known}",
            hint_en=f"known stores: {known}",
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
    return StoreReport(params=params, store=match.iloc[0], chain=chain, complaints=complaints,
                       surveys=surveys, transactions=transactions, standards=standards, standards_note=note, as_of=as_of,
                       calendars=calendars)


def _standards_for(params: ReportParams) -> tuple[Standards, str]:
    """The workspace's standards when it has a ``standards.yaml``, else the seed defaults (said so)."""
    lang = params.lang
    if not params.workspace:
        return default_standards(), t("text.default_standards", lang)
    folder = Path(params.workspace).expanduser()
    if not folder.is_dir():
        raise WorkspaceError(
            "找不到工作区文件夹", "the workspace folder does not exist", file=str(folder), column="workspace",
            hint_zh="用 kit workspace new 名称 创建，或检查 workspace 参数",
            hint_en="create it with `kit workspace new NAME`, or check the workspace parameter",
        )
    if not (folder / "standards.yaml").exists():
        return default_standards(), t("text.no_workspace_standards", lang, workspace=folder.name)
    return load_standards(folder), t("text.workspace_standards", lang, workspace=folder.name)


def table(
    frame: pd.DataFrame,
    lang: str,
    *,
    percent: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A display copy of ``frame``: code values and headers translated, numbers formatted.

    Parameters
    ----------
    percent : columns shown as ``95.0 %``
    decimals : ``{column: digits}`` for other numbers
    codes : ``{column: label group}`` whose values are translated (e.g. ``{"tier": "tier"}``)
    """
    return format_values(frame, lang, percent=percent, decimals=decimals, codes=codes).rename(columns=columns(lang))


def format_values(
    frame: pd.DataFrame,
    lang: str,
    *,
    percent: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    codes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with code values translated and numbers formatted; headers unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> format_values(pd.DataFrame({"share": [0.5, None], "n": [1234.5, 2]}), "en",
    ...               percent=["share"], decimals={"n": 0}).values.tolist()
    [['50.0%', '1,234'], ['—', '2']]
    """
    out = frame.copy()
    for col, group in (codes or {}).items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, g=group: label_of(g, v, lang))
    for col in percent:
        if col in out.columns:
            out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"{v:.1%}")
    for col, digits in (decimals or {}).items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, d=digits: "—" if pd.isna(v) else f"{v:,.{d}f}")
    return out


def say(text: str) -> None:
    """Show ``text`` as Markdown in a notebook (plain print elsewhere)."""
    try:
        from IPython.display import Markdown, display

        display(Markdown(text))
    except ImportError:  # pragma: no cover
        print(text)
