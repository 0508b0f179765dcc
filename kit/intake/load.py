"""Loading the chain's data: one front door for every notebook and the command line.

Real exports come as CSV saved by Excel on Chinese Windows (GB18030/GBK), UTF-8 with or without
a byte-order mark, ``.xlsx`` workbooks with several sheets, ``.parquet`` files, or a folder of
monthly files; headers are Chinese or English; some rows are wrong.  :func:`load_table` reads any
of them into the canonical layout of :mod:`kit.intake.schemas` and never drops a row silently:

* **Encodings** are tried in the order ``utf-8-sig`` → ``utf-8`` → ``gb18030`` by *strict*
  decoding of the whole file (streamed in 1 MiB blocks): UTF-8 is self-checking, so a GB18030
  file is never mis-read as UTF-8, and GBK is never tried first (it cannot encode 䶮 and turns
  UTF-8 into mojibake such as 婊℃剰).  A file that is neither raises :class:`~kit.core.errors.DataError`.
* **CSV** is parsed by Apache Arrow's multi-threaded reader with every column as text (ids keep
  their leading zeros); a row with the wrong number of fields is rejected, not fatal, and the
  file's physical lines are counted so that a quote never closed cannot swallow rows unseen
  (see :mod:`kit.intake.readers`, which also bounds the work any file can cause).
* **Excel** is read with openpyxl (``sheet=`` selects a sheet; by default the visible sheet named
  after the kind, else the only visible sheet with data; hidden sheets only when named); cell
  values are taken as text, dates as ISO text, serial numbers as numbers for
  :mod:`kit.intake.timeparse`.
* **Headers** are matched to canonical names through the built-in Chinese/English aliases and an
  optional user mapping (YAML or dict, :mod:`kit.intake.mapping`), which also declares the export's
  shapes: date formats, constants, durations, line items, decimal commas, the currency.
* **Rows** are checked by :func:`kit.intake.schemas.check_frame` (whole-column operations).  Every bad
  row goes to a rejects file (``<name>.rejects.csv``, UTF-8 with BOM for Excel) with its row
  number as Excel shows it (header = row 1), the column, the value and the reason in Chinese
  and English, followed by the row's original values -- with customers' names, phone numbers,
  e-mails and ID-card numbers masked as in the reports unless ``unmask=True``.  Always
  ``rows_read == rows_accepted + rows_rejected``.
* **Missing tables**: :func:`load_chain` needs only one of complaints, surveys and transactions;
  a missing table is empty (with its canonical columns) and named in :attr:`Chain.missing`,
  a missing (or empty) stores file is built from the store ids of the data.  A header-only file
  is an empty table.

Public API
----------
``load_table(kind, path, *, mapping=None, sheet=None, stores=None, rejects_dir=None, ..., unmask=False) -> LoadResult``
``load_chain(data_dir, *, mapping=None, rejects_dir=None, ces_scale=7, unmask=False) -> Chain``
``read_mapping(mapping, kind) -> UserMapping``
``detect_encoding(path) -> str``

A user mapping file looks like this (a section per kind, or just ``header: column`` lines)::

    complaints:
      columns:
        工单号: complaint_id
        受理渠道: channel
      values:
        channel: {微信: chat, 400热线: phone}

Examples
--------
>>> import tempfile
>>> from kit.intake.sample import write_chain
>>> folder = tempfile.mkdtemp()
>>> _ = write_chain(folder, stores=2, months=1, seed=1)
>>> chain = load_chain(folder)
>>> chain.stores.data["store_id"].tolist()
['001', '002']
>>> chain.complaints.rows_rejected, chain.missing, chain.currency
(0, (), 'CNY')
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.core.cache import cached
from kit.core.errors import DataError, Text
from kit.core.files import REJECTS_SUFFIX, data_files, write_csv
from kit.core.i18n import t
from kit.core.privacy import PII_COLUMNS, mask_frame, mask_text
from kit.intake.mapping import DEFAULT_CURRENCY, MAPPING_FILE, UserMapping, currency_symbol, read_mapping
from kit.intake.readers import RawTable, input_files, read_file
from kit.intake.schemas import (
    KINDS,
    PROBLEM_COLUMNS,
    TableSpec,
    check_frame,
    get_spec,
    reason_text,
    resolve_headers,
    values_fit,
)

__all__ = [
    "Chain",
    "ID_COLUMNS",
    "LoadResult",
    "REJECT_COLUMNS",
    "chain_stores",
    "find_input",
    "load_chain",
    "load_table",
]

#: Columns of the rejects table before the row's original values.
REJECT_COLUMNS = [
    "source_file",
    "source_row",
    "column",
    "header",
    "value",
    "reason",
    "reason_zh",
    "reason_en",
    "detail",
]

# Kept for callers of the first version.
ID_COLUMNS = {"store_id", "complaint_id", "customer_id", "response_id", "transaction_id", "customer_phone"}


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LoadResult:
    """One loaded table: the accepted rows, the rejected rows with reasons, and the counts.

    Always ``rows_read == rows_accepted + rows_rejected``.

    Attributes
    ----------
    kind : str
    data : DataFrame
        Accepted rows in the canonical layout (:mod:`kit.intake.schemas`), index 0..n-1.
    rejects : DataFrame
        One row per problem (:data:`REJECT_COLUMNS`, then the row's original values), personal
        data masked unless loaded with ``unmask=True``.
    rows_read : int
        Data rows in the source (blank rows not counted; lines swallowed by an unclosed quote
        counted; for line items, the lines).
    source : Path
        The file or folder read.
    mapping : dict
        ``{header in the file: canonical column}`` actually used.
    rejects_path : Path or None
        Where the rejects were written (None when nothing was rejected).
    encoding, sheet : str or None
        The encoding detected (CSV) and the sheet read (Excel).
    blank_rows : int
        Completely empty rows that were skipped.
    unmapped : tuple of str
        Headers that are not canonical columns (kept as extra text columns).
    absent : tuple of str
        Optional canonical columns the export did not have (added, empty, so code can index
        them; a report says "no data — <column> is not in the export").
    notes : tuple of (zh, en)
        Corrections the user should know about (e.g. store ids padded with zeros).
    origin : DataFrame or None
        ``source_file`` and ``source_row`` of every accepted row, aligned with ``data``.
    stores_checked : bool
        Whether store ids were checked against a stores file.
    constants : dict
        ``{column: value}`` given to every row by the mapping file (``constants:``).
    date_only : tuple of str
        Time columns whose values carry no time of day (dates only): durations under a day
        cannot be measured on them.
    missing : bool
        There was no file for this table: ``data`` is empty (or, for stores, built from the
        other tables' store ids).
    header_only : bool
        The file had a header but no rows (an empty table, not an error).
    derived : bool
        The stores were taken from the other tables' store ids (no stores file, or an empty one).
    lines_accepted : int or None
        For transactions exported as line items: the lines accepted (summed into the receipts
        of ``data``); ``rows_accepted`` counts lines then.
    masked : bool
        Personal data in ``rejects`` is masked.
    """

    kind: str
    data: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    source: Path
    mapping: dict[str, str] = field(default_factory=dict)
    rejects_path: Path | None = None
    encoding: str | None = None
    sheet: str | None = None
    blank_rows: int = 0
    unmapped: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    origin: pd.DataFrame | None = None
    stores_checked: bool = False
    constants: dict[str, str] = field(default_factory=dict)
    date_only: tuple[str, ...] = ()
    missing: bool = False
    header_only: bool = False
    derived: bool = False
    lines_accepted: int | None = None
    masked: bool = True

    @property
    def rows_accepted(self) -> int:
        """Number of rows (for line items: lines) that passed every check."""
        return len(self.data) if self.lines_accepted is None else self.lines_accepted

    @property
    def rows_rejected(self) -> int:
        """Number of rows that went to the rejects file."""
        return self.rows_read - self.rows_accepted

    def reason_counts(self) -> pd.Series:
        """Number of problems per reason code, most frequent first."""
        if self.rejects.empty:
            return pd.Series(dtype="int64", name="count")
        return self.rejects["reason"].value_counts()

    def summary(self, lang: str = "en") -> str:
        """ "N of M rows rejected — see <rejects file>" (or "all M rows passed") in ``lang``.

        Examples
        --------
        >>> import pandas as pd
        >>> from pathlib import Path
        >>> r = LoadResult("stores", pd.DataFrame({"a": [1]}), pd.DataFrame(), 3, Path("s.csv"),
        ...                rejects_path=Path("s.rejects.csv"))
        >>> r.summary("en")
        's.csv: 2 of 3 rows rejected — see s.rejects.csv'
        >>> LoadResult("stores", pd.DataFrame(), pd.DataFrame(), 0, Path("s.csv"), header_only=True).summary("en")
        's.csv: a header but no rows (taken as an empty table)'
        """
        if self.header_only and not self.rows_read:
            return t("io.chain.header_only", lang, file=self.source.name)
        if self.rows_rejected:
            return t(
                "text.rejected_rows",
                lang,
                file=self.source.name,
                read=self.rows_read,
                rejected=self.rows_rejected,
                rejects=self.rejects_path,
            )
        return t("text.no_rejects", lang, file=self.source.name, read=self.rows_read)

    def details(self, lang: str = "en") -> list[str]:
        """The lines :meth:`Chain.summary` adds under the table's summary: headers renamed,
        constants, date-only columns, line items, notes."""
        name = self.source.name
        lines = []
        renamed = {h: c for h, c in self.mapping.items() if h != c}
        if renamed:
            pairs = ", ".join(f"{h} → {c}" for h, c in renamed.items())
            lines.append(t("text.mapping_used", lang, file=name, pairs=pairs))
        if self.constants:
            pairs = ", ".join(f"{c} = {v}" for c, v in self.constants.items())
            lines.append(t("io.chain.constants", lang, file=name, pairs=pairs))
        if self.date_only:
            lines.append(t("io.chain.date_only", lang, file=name, columns=", ".join(self.date_only)))
        if self.lines_accepted is not None:
            lines.append(t("io.chain.line_items", lang, file=name, lines=self.lines_accepted, receipts=len(self.data)))
        lines += [zh if lang == "zh" else en for zh, en in self.notes]
        return lines


@dataclass(frozen=True)
class Chain:
    """The four tables of a chain, each as a :class:`LoadResult`, and the currency of its money.

    Attributes
    ----------
    stores, complaints, surveys, transactions : LoadResult
    currency : str
        ISO 4217 code of the money columns (``currency:`` in ``mapping.yaml``; default CNY);
        :attr:`currency_symbol` is what reports show.
    """

    stores: LoadResult
    complaints: LoadResult
    surveys: LoadResult
    transactions: LoadResult
    currency: str = DEFAULT_CURRENCY
    #: Optional membership programme (``memberships.csv``); None when the folder has none.
    memberships: LoadResult | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """The kinds that had no file in the data folder (their tables are empty, the stores built)."""
        return tuple(kind for kind in KINDS if getattr(self, kind).missing)

    @property
    def currency_symbol(self) -> str:
        """``¥`` for CNY, ``$`` for USD ... (see :func:`kit.intake.mapping.currency_symbol`)."""
        return currency_symbol(self.currency)

    def date_only(self, kind: str) -> set[str]:
        """The time columns of ``kind`` whose values carry no time of day."""
        return set(getattr(self, kind).date_only)

    def summary(self, lang: str = "en") -> list[str]:
        """One :meth:`LoadResult.summary` line per table, then what the user should know about it."""
        lines = []
        for kind in KINDS:
            result = getattr(self, kind)
            if kind == "stores" and result.derived:
                if result.missing:
                    lines.append(t("io.chain.no_stores_file", lang, n=len(result.data)))
                else:
                    lines.append(t("io.chain.empty_stores_file", lang, file=result.source.name, n=len(result.data)))
                continue
            if result.missing:
                lines.append(t("io.chain.missing_file", lang, kind=kind))
                continue
            lines.append(result.summary(lang))
            lines += result.details(lang)
        return lines


# ----------------------------------------------------------------------------- loading


def _canonical(
    raw: RawTable, kind: str, user: UserMapping, ces_scale: int
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    spec = get_spec(kind, ces_scale)
    position = {h: i for i, h in enumerate(raw.headers)}

    def fits(header: str, col: Any) -> bool:
        i = position.get(header)
        return i is None or values_fit(raw.frame[f"c{i}"], col)

    res = resolve_headers(raw.headers, spec, user.headers(), provided=user.constants, fits=fits)
    if res.missing:
        name = res.missing[0]
        col = spec.column(name)
        found = res.suggestions.get(name)
        also = list(res.missing[1:])
        raise DataError.from_key(
            "io.error.missing_column",
            hint="io.error.did_you_mean_column" if found else "io.error.missing_column_hint",
            file=raw.file,
            sheet=raw.sheet,
            column=name,
            header=col.label_zh,
            found=found,
            also=Text("io.error.also_missing", {"names": ", ".join(also)}) if also else "",
        )
    if res.duplicates:
        name, headers = next(iter(res.duplicates.items()))
        raise DataError.from_key(
            "io.error.duplicate_column", file=raw.file, sheet=raw.sheet, column=name, headers=", ".join(headers)
        )
    mapped = {c: h for h, c in res.mapping.items()}
    for name in user.constants:
        if name in mapped:
            raise DataError.from_key(
                "io.error.constant_in_file", file=raw.file, sheet=raw.sheet, column=name, name=name, header=mapped[name]
            )
    for name, duration in user.durations.items():
        if name in mapped and duration.start not in mapped and duration.start not in user.constants:
            raise DataError.from_key(
                "io.error.duration_start_absent",
                file=raw.file,
                sheet=raw.sheet,
                column=name,
                name=name,
                start=duration.start,
            )
    renamed: dict[str, str] = {}
    used: set[str] = set(res.mapping.values()) | set(user.constants)
    for i, header in enumerate(raw.headers):
        if header in res.mapping:
            renamed[f"c{i}"] = res.mapping[header]
        else:
            base = header or f"unnamed_{i + 1}"
            name, k = base, 1
            while name in used:
                k += 1
                name = f"{base}.{k}"
            used.add(name)
            renamed[f"c{i}"] = name
    frame = raw.frame.rename(columns=renamed)
    for name, value in user.constants.items():
        frame[name] = pd.array([value] * len(frame), dtype="str")
    return frame, dict(res.mapping), [renamed[f"c{i}"] for i, h in enumerate(raw.headers) if h not in res.mapping]


def _store_ids(stores: Any) -> list[str] | None:
    if stores is None:
        return None
    if isinstance(stores, LoadResult):
        if stores.derived or stores.missing:
            return None
        return stores.data["store_id"].dropna().astype("str").tolist()
    if isinstance(stores, pd.DataFrame):
        return stores["store_id"].dropna().astype("str").tolist()
    if isinstance(stores, (str, Path)):
        return load_table("stores", stores, write_rejects=False).data["store_id"].dropna().tolist()
    return [str(s) for s in stores]


def _rejects_target(source: Path, rejects_dir: str | Path | None, rejects_file: str | Path | None) -> Path:
    if rejects_file is not None:
        return Path(rejects_file)
    folder = Path(rejects_dir) if rejects_dir is not None else source.parent
    stem = source.name if source.is_dir() else source.stem
    return folder / f"{stem}{REJECTS_SUFFIX}"


def _line_spec(spec: TableSpec) -> TableSpec:
    """The transactions spec for one line of a receipt: the receipt number required and repeated,
    any amount (discount lines are negative); the receipt's total is checked after summing."""
    columns = []
    for col in spec.columns:
        if col.name == "transaction_id":
            col = replace(col, unique=False, nonnull=True)
        elif col.name == "amount":
            col = replace(col, lo=None, positive=False)
        columns.append(col)
    return replace(spec, columns=tuple(columns))


def _problems(pos: np.ndarray, column: str, values: Any, reason: str, detail: Any = "", **fmt: Any) -> pd.DataFrame:
    """Problems in the layout of :data:`kit.intake.schemas.PROBLEM_COLUMNS` (texts formatted with ``fmt``)."""
    frame = pd.DataFrame(
        {
            "pos": np.asarray(pos, dtype="int64"),
            "column": column,
            "value": values,
            "reason": reason,
            "reason_zh": reason_text(reason, "zh", **fmt),
            "reason_en": reason_text(reason, "en", **fmt),
            "detail": detail,
        }
    )
    return frame[PROBLEM_COLUMNS]


def _sum_receipts(
    data: pd.DataFrame, bad: np.ndarray, where: Any
) -> tuple[pd.DataFrame, np.ndarray, list[pd.DataFrame], int, list[tuple[str, str]]]:
    """Line items -> one row per receipt (store, date, receipt number): amounts summed, the other
    columns from the first line.  A receipt with a rejected line, or whose lines do not add up to
    more than 0, is rejected whole.  Returns (data, rows to keep, problems, lines accepted, notes)."""
    n = len(data)
    keys = [data["store_id"].fillna(""), data["date"].astype("str").fillna(""), data["transaction_id"].fillna("")]
    group = pd.MultiIndex.from_arrays(keys).factorize()[0] if n else np.zeros(0, dtype="int64")
    groups = int(group.max()) + 1 if n else 0
    group_bad = np.bincount(group, weights=bad.astype("float64"), minlength=groups) > 0
    extra: list[pd.DataFrame] = []
    others = group_bad[group] & ~bad
    if others.any():
        first_bad = pd.Series(np.where(bad, np.arange(n), n)).groupby(group).transform("min").to_numpy()
        pos = np.flatnonzero(others)
        detail = where(first_bad[pos].astype("int64"))
        frame = _problems(
            pos,
            "transaction_id",
            data["transaction_id"].to_numpy(dtype=object)[pos],
            "receipt_line_rejected",
            detail,
            first="",
        )
        frame["reason_zh"] = [reason_text("receipt_line_rejected", "zh", first=d) for d in detail]
        frame["reason_en"] = [reason_text("receipt_line_rejected", "en", first=d) for d in detail]
        extra.append(frame)
    amounts = np.nan_to_num(data["amount"].to_numpy(dtype="float64"))
    totals = np.round(np.bincount(group, weights=amounts, minlength=groups), 2)
    not_positive = ~group_bad & (totals <= 0)
    low = not_positive[group]
    if low.any():
        pos = np.flatnonzero(low)
        shown = data["amount"].astype("str").to_numpy(dtype=object)[pos]
        frame = _problems(pos, "amount", shown, "receipt_not_positive", total="")
        frame["reason_zh"] = [reason_text("receipt_not_positive", "zh", total=f"{v:g}") for v in totals[group[pos]]]
        frame["reason_en"] = [reason_text("receipt_not_positive", "en", total=f"{v:g}") for v in totals[group[pos]]]
        extra.append(frame)
    good = ~(group_bad | not_positive)[group]
    first = ~pd.Series(group).duplicated().to_numpy()
    keep = good & first
    data = data.copy()
    data["amount"] = totals[group]
    notes: list[tuple[str, str]] = []
    ids = data.loc[keep, "transaction_id"]
    if ids.duplicated().any():  # receipt numbers restart per store or day
        data["transaction_id"] = (
            data["store_id"].astype("str") + "-" + data["date"].dt.strftime("%Y%m%d") + "-" + data["transaction_id"]
        )
        notes.append((t("io.chain.receipt_ids", "zh"), t("io.chain.receipt_ids", "en")))
    return data, keep, extra, int(good.sum()), notes


def load_table(
    kind: str,
    path: str | Path,
    *,
    mapping: str | Path | Mapping[str, Any] | None = None,
    sheet: str | int | None = None,
    stores: LoadResult | pd.DataFrame | Iterable[str] | str | Path | None = None,
    rejects_dir: str | Path | None = None,
    rejects_file: str | Path | None = None,
    write_rejects: bool = True,
    ces_scale: int = 7,
    unmask: bool = False,
) -> LoadResult:
    """Read, map, convert and check one table of ``kind``.

    Parameters
    ----------
    kind : {"stores", "complaints", "surveys", "transactions"}
    path : str or Path
        A ``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.parquet`` file, or a folder of such files
        (e.g. one per month) read as one table.
    mapping : path, dict or None
        A user mapping (see :mod:`kit.intake.mapping`) for headers the built-in aliases miss and
        the export's shapes (formats, constants, durations, line items, decimal commas).
    sheet : str or int, optional
        Excel sheet (name or 0-based position); by default the mapping's ``sheet:``, else the
        visible sheet named after ``kind`` (``complaints`` / 投诉 …), else the only visible
        sheet with data (several such sheets: an error asking which).
    stores : LoadResult, DataFrame, iterable of ids, or path, optional
        The stores; when given, every ``store_id`` must be one of them.
    rejects_dir, rejects_file : path, optional
        Where to write the rejects (default: ``<name>.rejects.csv`` next to the source).
    write_rejects : bool
        Write the rejects file (a stale one from an earlier run is removed when all rows pass).
    ces_scale : {7, 5}
        The declared CES scale of a surveys file.
    unmask : bool
        Keep customers' names, phone numbers, e-mails and ID-card numbers readable in the
        rejects (by default they are masked as in the reports).

    Returns
    -------
    LoadResult

    Raises
    ------
    DataError
        When the file cannot be used at all: missing, empty, unreadable encoding, a required
        column missing, an unknown sheet, a broken workbook, a file past the kit's limits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "stores.csv"
    >>> _ = p.write_text("门店编号,门店名称,门店英文名称,营业时间\\n001,上海徐汇店,Shanghai Xuhui,9:00-22:00\\n",
    ...                  encoding="utf-8-sig")
    >>> r = load_table("stores", p)
    >>> r.data.loc[0, ["store_id", "opening_hours"]].tolist(), r.mapping["门店编号"]
    (['001', '09:00-22:00'], 'store_id')
    """
    spec = get_spec(kind, ces_scale)
    source = Path(path)
    user = read_mapping(mapping, kind)
    items = user.line_items is not None and kind == "transactions"
    files = input_files(source)
    folder = source.is_dir()

    frames: list[pd.DataFrame] = []
    file_idx: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    mapping_used: dict[str, str] = {}
    header_of: dict[str, str] = {}
    unmapped: list[str] = []
    invalid: list[tuple[int, int, str, str, str, int]] = []
    unclosed: list[tuple[int, int, int]] = []  # (position, first line, last line)
    pii_fields: dict[int, tuple[str | None, dict[int, str]]] = {}
    blank = 0
    offset = 0
    encodings: list[str] = []
    sheets: list[str] = []
    for k, file in enumerate(files):
        raw = read_file(file, sheet if sheet is not None else user.sheet, kind, user.decimal)
        frame, used, extra = _canonical(raw, kind, user, ces_scale)
        frames.append(frame)
        file_idx.append(np.full(len(frame), k, dtype="int32"))
        rows.append(raw.rows)
        mapping_used.update(used)
        for header, canon in used.items():
            header_of.setdefault(canon, header)
        unmapped += [u for u in extra if u not in unmapped]
        invalid += [(k, number, text, reason, detail, raw.fields) for number, text, reason, detail in raw.invalid]
        if raw.unclosed:
            where_rows = {int(r): i for i, r in enumerate(raw.rows)}
            unclosed += [(offset + where_rows[r], a, b) for r, (a, b) in raw.unclosed.items() if r in where_rows]
        positions = {i: PII_COLUMNS[used[h]] for i, h in enumerate(raw.headers) if used.get(h) in PII_COLUMNS}
        pii_fields[k] = (raw.delimiter, positions)
        blank += raw.blank
        offset += len(frame)
        if raw.encoding:
            encodings.append(raw.encoding)
        if raw.sheet:
            sheets.append(raw.sheet)
    for name in user.constants:
        header_of.setdefault(name, name)
    table = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    del frames
    n = len(table)
    fidx = np.concatenate(file_idx)
    srow = np.concatenate(rows)
    names = np.array([f.name for f in files], dtype=object)

    def where(pos: np.ndarray) -> np.ndarray:
        label = ("row " + pd.Series(srow[pos]).astype("str")).to_numpy(dtype=object)
        return (names[fidx[pos]] + " " + label) if folder else label

    store_ids = _store_ids(stores)
    info: dict[str, Any] = {}
    data, problems, notes = check_frame(
        table,
        _line_spec(spec) if items else spec,
        store_ids=store_ids,
        where=where,
        value_map=user.values,
        formats=user.formats,
        durations={name: (d.unit, d.start) for name, d in user.durations.items()},
        decimal=user.decimal,
        info=info,
    )
    if unclosed:
        pos = np.array([p for p, _, _ in unclosed], dtype="int64")
        detail = [f"lines {a}–{b}" for _, a, b in unclosed]
        problems = pd.concat([problems, _problems(pos, "", "", "unclosed_quote", detail)], ignore_index=True)

    bad = np.zeros(n, dtype=bool)
    bad[problems["pos"].to_numpy(dtype="int64")] = True
    lines_accepted = None
    if items:
        data, keep, extra_problems, lines_accepted, receipt_notes = _sum_receipts(data, bad, where)
        problems = pd.concat([problems, *extra_problems], ignore_index=True)
        notes = [*notes, *receipt_notes]
    else:
        keep = ~bad
    accepted = data.loc[keep].reset_index(drop=True)
    origin = pd.DataFrame(
        {
            "source_file": pd.Categorical.from_codes(fidx[keep], categories=list(names)) if n else pd.Categorical([]),
            "source_row": srow[keep],
        }
    )

    if not unmask and invalid:
        known = set(table["customer_name"].dropna().astype("str")) if "customer_name" in table else set()
        invalid = [(k, r, _mask_fields(text, *pii_fields[k], known), *rest) for k, r, text, *rest in invalid]
    rejects = _rejects_table(problems, invalid, table, fidx, srow, names, header_of, spec.names, len(files))
    if not unmask:
        rejects = _mask_rejects(rejects, header_of)
    rows_read = n + len(invalid)
    target = _rejects_target(source, rejects_dir, rejects_file)
    written: Path | None = None
    if write_rejects:
        if len(rejects):
            try:
                written = write_csv(rejects, target)
            except OSError:
                written = write_csv(rejects, Path(tempfile.gettempdir()) / "kit-rejects" / target.name)
        elif target.name.endswith(REJECTS_SUFFIX) and target.is_file():
            target.unlink(missing_ok=True)  # stale rejects of an earlier run
    provided = set(header_of) | set(user.constants)
    absent = tuple(c.name for c in spec.columns if not c.required and c.name not in provided)
    return LoadResult(
        kind=kind,
        data=accepted,
        rejects=rejects,
        rows_read=rows_read,
        source=source,
        mapping=mapping_used,
        rejects_path=written,
        encoding=encodings[0] if encodings else None,
        sheet=sheets[0] if sheets else None,
        blank_rows=blank,
        unmapped=tuple(unmapped),
        absent=absent,
        notes=tuple(notes),
        origin=origin,
        stores_checked=store_ids is not None,
        constants=dict(user.constants),
        date_only=tuple(info.get("date_only", ())),
        header_only=rows_read == 0,
        lines_accepted=lines_accepted,
        masked=not unmask,
    )


def _rejects_table(
    problems: pd.DataFrame,
    invalid: list[tuple[int, int, str, str, str, int]],
    table: pd.DataFrame,
    fidx: np.ndarray,
    srow: np.ndarray,
    names: np.ndarray,
    header_of: dict[str, str],
    canonical: list[str],
    n_files: int,
) -> pd.DataFrame:
    """Problems + records that could not be read as rows, with source file/row and the row's original values."""
    pos = problems["pos"].to_numpy(dtype="int64")
    out = pd.DataFrame(
        {
            "source_file": names[fidx[pos]] if len(pos) else np.array([], dtype=object),
            "source_row": srow[pos] if len(pos) else np.array([], dtype="int64"),
            "column": problems["column"].to_numpy(dtype=object),
            "header": problems["column"].map(lambda c: header_of.get(c, c)).to_numpy(dtype=object),
            "value": problems["value"].to_numpy(dtype=object),
            "reason": problems["reason"].to_numpy(dtype=object),
            "reason_zh": problems["reason_zh"].to_numpy(dtype=object),
            "reason_en": problems["reason_en"].to_numpy(dtype=object),
            "detail": problems["detail"].to_numpy(dtype=object),
            "_pos": pos,
        }
    )
    if invalid:
        bad = pd.DataFrame(
            {
                "source_file": [names[k] for k, *_ in invalid],
                "source_row": [r for _, r, *_ in invalid],
                "column": "",
                "header": "",
                "value": [text for _, _, text, *_ in invalid],
                "reason": [reason for *_, reason, _, _ in invalid],
                "reason_zh": [reason_text(reason, "zh", expected=fields) for *_, reason, _, fields in invalid],
                "reason_en": [reason_text(reason, "en", expected=fields) for *_, reason, _, fields in invalid],
                "detail": [detail for *_, detail, _ in invalid],
                "_pos": -1,
            }
        )
        out = pd.concat([out, bad], ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    order = {c: i for i, c in enumerate(canonical)}
    out["_col"] = out["column"].map(order).fillna(-1)
    out = out.sort_values(["source_file", "source_row", "_col"], kind="stable").reset_index(drop=True)
    # The rejected rows' own values, under their original headers.
    rows_pos = out["_pos"].to_numpy()
    have = rows_pos >= 0
    if have.any():
        original = table.iloc[rows_pos[have]].reset_index(drop=True)
        original = original.rename(columns={c: header_of.get(c, c) for c in original.columns})
        original = original.loc[:, ~original.columns.duplicated()]
        original.columns = [c if c not in REJECT_COLUMNS else f"{c} (file)" for c in original.columns]
        values = pd.DataFrame(index=out.index, columns=original.columns, dtype=object)
        values.loc[have] = original.astype(object).to_numpy()
        out = pd.concat([out, values], axis=1)
    out = out.drop(columns=["_pos", "_col"])
    if n_files == 1:
        out["source_file"] = out["source_file"].astype("str")
    return out


_FIXED = {"source_file", "source_row", "column", "header", "reason", "reason_zh", "reason_en"}


def _mask_rejects(rejects: pd.DataFrame, header_of: dict[str, str]) -> pd.DataFrame:
    """The rejects with customers' personal data masked as in the reports (:mod:`kit.core.privacy`).

    The personal-data columns (under their headers in the file) and the ``value`` of a problem
    in one of them are masked by kind; phone numbers, e-mails and ID numbers anywhere else in
    the text (a rejected line, a note) by :func:`kit.core.privacy.mask_text` (the lines that
    could not be split into fields have had their personal-data fields masked by position before).
    """
    if rejects.empty:
        return rejects
    out = rejects.copy()
    columns = {header_of.get(c, c): kind for c, kind in PII_COLUMNS.items() if c in header_of}
    out = mask_frame(out, columns)
    for col in out.columns:
        if col in _FIXED or col in columns:
            continue
        values = out[col]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            text = values.where(values.isna(), values.astype("str"))
            out[col] = mask_text(text.astype("str")).where(values.notna(), values)
    kinds = out["column"].map(PII_COLUMNS)
    for kind in set(kinds.dropna()):
        pick = (kinds == kind).to_numpy()
        raw = rejects.loc[pick, "value"].astype("str")
        out.loc[pick, "value"] = mask_frame(pd.DataFrame({"v": raw}), {"v": kind})["v"].to_numpy()
    return out


#: A field of an unreadable line that may be a name (its column is unknown): 2-4 Chinese characters.
_NAME_LIKE = re.compile(r"[\u3400-\u9fff·]{2,4}")


def _mask_fields(text: str, delimiter: str | None, positions: dict[int, str], names: set[str]) -> str:
    """A line that could not be read as a row, with its personal data masked: the fields at the
    personal-data columns' positions, and -- a broken line shifts the positions -- any field that
    is one of the file's customer names or looks like one (2-4 Chinese characters; a category
    such as 其他 is masked too, the row number still finds the line)."""
    if not delimiter:
        return text
    parts = text.split(delimiter)
    for p, part in enumerate(parts):
        kind = positions.get(p)
        word = part.strip().strip('"')
        if kind is None and (word in names or _NAME_LIKE.fullmatch(word)):
            kind = "name"
        if kind is not None and part.strip():
            parts[p] = str(mask_frame(pd.DataFrame({"v": [part]}), {"v": kind})["v"].iloc[0])
    return delimiter.join(parts)


def find_input(data_dir: Path, kind: str) -> Path:
    """The file (or folder) holding ``kind`` in ``data_dir``: ``<kind>.csv|.xlsx|.parquet`` or ``<kind>/``."""
    found = _input_or_none(Path(data_dir), kind)
    if found is None:
        raise DataError.from_key("io.error.no_table", file=data_dir, kind=kind)
    return found


def chain_stores(data_dir: str | Path) -> pd.DataFrame:
    """The chain's stores as ``kit run`` plans its jobs: the stores file, else the store ids of the data.

    With a stores file (mapped through the folder's ``mapping.yaml`` like :func:`load_chain`)
    its rows; without one, or with one that has only a header, the stores :func:`load_chain`
    derives from the complaints, surveys and transactions (named by their id).

    Examples
    --------
    >>> import tempfile
    >>> from kit.intake.sample import write_chain
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = write_chain(folder, stores=2, months=1, seed=3)
    >>> (folder / "stores.csv").unlink()
    >>> chain_stores(folder)["store_id"].tolist()
    ['001', '002']
    """
    data_dir = Path(data_dir)
    path = _input_or_none(data_dir, "stores")
    if path is not None:
        mapping = data_dir / MAPPING_FILE if (data_dir / MAPPING_FILE).is_file() else None
        result = load_table("stores", path, mapping=mapping, write_rejects=False)
        if not result.header_only:
            return result.data
    return load_chain(data_dir).stores.data


def _input_or_none(data_dir: Path, kind: str) -> Path | None:
    for suffix in (".csv", ".xlsx", ".parquet"):
        candidate = data_dir / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    if (data_dir / kind).is_dir():
        return data_dir / kind
    return None


def _empty_table(kind: str, source: Path, ces_scale: int) -> LoadResult:
    """A table with no file: no rows, the canonical columns and dtypes."""
    spec = get_spec(kind, ces_scale)
    data, _, _ = check_frame(pd.DataFrame(index=pd.RangeIndex(0)), spec)
    origin = pd.DataFrame({"source_file": pd.Categorical([]), "source_row": np.array([], dtype="int64")})
    return LoadResult(
        kind, data, pd.DataFrame(columns=REJECT_COLUMNS), 0, source, origin=origin, missing=True, header_only=True
    )


def _stores_from_data(tables: dict[str, LoadResult], source: Path, *, missing: bool) -> LoadResult:
    """The stores table built from the store ids of the other tables: named by their id, open
    00:00-24:00 (clocks count calendar hours)."""
    ids = sorted({str(s) for r in tables.values() for s in r.data["store_id"].dropna()})
    frame = pd.DataFrame(
        {
            "store_id": pd.array(ids, dtype="str"),
            "store_name_zh": pd.array(ids, dtype="str"),
            "store_name_en": pd.array(ids, dtype="str"),
            "opening_hours": pd.array(["00:00-24:00"] * len(ids), dtype="str"),
        }
    )
    data, _, _ = check_frame(frame, get_spec("stores"))
    return LoadResult(
        "stores",
        data,
        pd.DataFrame(columns=REJECT_COLUMNS),
        len(ids),
        source,
        origin=None,
        missing=missing,
        derived=True,
        absent=tuple(c.name for c in get_spec("stores").columns if not c.required),
    )


def _chain_key(
    data_dir: Any, *, mapping: Any = None, rejects_dir: Any = None, ces_scale: int = 7, unmask: bool = False
) -> Any:
    if rejects_dir is not None or not isinstance(mapping, (str, Path, type(None))):
        return None  # writes elsewhere or an in-memory mapping: not cached
    folder = Path(data_dir).resolve()
    return (str(folder), tuple(data_files(folder)), str(mapping), ces_scale, bool(unmask))


@cached(key=_chain_key)
def load_chain(
    data_dir: str | Path,
    *,
    mapping: str | Path | Mapping[str, Any] | None = None,
    rejects_dir: str | Path | None = None,
    ces_scale: int = 7,
    unmask: bool = False,
) -> Chain:
    """Load ``stores``, ``complaints``, ``surveys`` and ``transactions`` from ``data_dir``.

    Headers are mapped through ``mapping`` or, when it is None, through ``data_dir/mapping.yaml``
    if that file exists (see :mod:`kit.intake.mapping` for its layout); :meth:`Chain.summary`
    lists the headers that were renamed, and :attr:`Chain.currency` is the file's ``currency:``.

    The stores are read first; the other tables' store ids are checked against them.  Each
    table may be a file (``complaints.csv`` / ``.xlsx`` / ``.parquet``) or a folder of monthly
    files (``complaints/``).  Only one of complaints, surveys and transactions is needed: a
    missing one is an empty table named in :attr:`Chain.missing`; without a stores file (or with
    one that has no rows) the stores are the distinct store ids of the data, named by their id,
    with calendar-hour clocks.  ``unmask=True`` keeps personal data readable in the rejects.

    Examples
    --------
    >>> import tempfile
    >>> from kit.intake.sample import write_chain
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_chain(folder, stores=1, months=1, seed=3)
    >>> load_chain(folder).summary("en")[0]
    'stores.csv: all 1 rows passed the checks'
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError.from_key("io.error.no_folder", file=data_dir)
    if mapping is None and (data_dir / MAPPING_FILE).is_file():
        mapping = data_dir / MAPPING_FILE
    currency = read_mapping(mapping, "stores").currency
    paths = {kind: _input_or_none(data_dir, kind) for kind in KINDS}
    if all(paths[kind] is None for kind in KINDS if kind != "stores"):
        raise DataError.from_key("io.error.no_tables", file=data_dir)
    common = dict(mapping=mapping, rejects_dir=rejects_dir, unmask=unmask)
    stores = None if paths["stores"] is None else load_table("stores", paths["stores"], **common)
    usable = stores is not None and not stores.header_only
    others = {}
    for kind in KINDS[1:]:
        path = paths[kind]
        if path is None:
            others[kind] = _empty_table(kind, data_dir / kind, ces_scale)
        else:
            others[kind] = load_table(kind, path, stores=stores if usable else None, ces_scale=ces_scale, **common)
    if not usable:
        source = data_dir / "stores" if stores is None else stores.source
        stores = _stores_from_data(others, source, missing=stores is None)
    # optional memberships (kit.loyalty.contractual): read only when the folder has them
    members_path = _input_or_none(data_dir, "memberships")
    members = None
    if members_path is not None:
        members = load_table("memberships", members_path, stores=stores, **common)
    return Chain(stores=stores, currency=currency, memberships=members, **others)
