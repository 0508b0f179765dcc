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
  their leading zeros); a row with the wrong number of fields is rejected, not fatal.
* **Excel** is read with openpyxl (``sheet=`` selects a sheet; by default the sheet named after
  the kind, else the first); cell values are taken as text, dates as ISO text, serial numbers
  as numbers for :mod:`kit.intake.timeparse`.
* **Headers** are matched to canonical names through the built-in Chinese/English aliases and an
  optional user mapping (YAML or dict); the mapping used is in :attr:`LoadResult.mapping`.
* **Rows** are checked by :func:`kit.intake.schemas.check_frame` (whole-column operations).  Every bad
  row goes to a rejects file (``<name>.rejects.csv``, UTF-8 with BOM for Excel) with its row
  number as Excel shows it (header = row 1), the column, the value and the reason in Chinese
  and English, followed by the row's original values.  Always
  ``rows_read == rows_accepted + rows_rejected``.

Public API
----------
``load_table(kind, path, *, mapping=None, sheet=None, stores=None, rejects_dir=None, ...) -> LoadResult``
``load_chain(data_dir, *, mapping=None, rejects_dir=None, ces_scale=7) -> Chain``
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
>>> chain.complaints.rows_rejected
0
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kit.core.cache import cached
from kit.core.errors import DataError, Text
from kit.core.files import REJECTS_SUFFIX, data_files, write_csv
from kit.core.i18n import t
from kit.intake.mapping import MAPPING_FILE, UserMapping, read_mapping
from kit.intake.readers import RawTable, input_files, read_file
from kit.intake.schemas import KINDS, check_frame, get_spec, resolve_headers

__all__ = ["Chain", "ID_COLUMNS", "LoadResult", "REJECT_COLUMNS", "find_input", "load_chain", "load_table"]

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
        One row per problem (:data:`REJECT_COLUMNS`, then the row's original values).
    rows_read : int
        Data rows in the source (blank rows not counted).
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
        Optional canonical columns not in the file (added, empty).
    notes : tuple of (zh, en)
        Corrections the user should know about (e.g. store ids padded with zeros).
    origin : DataFrame or None
        ``source_file`` and ``source_row`` of every accepted row, aligned with ``data``.
    stores_checked : bool
        Whether store ids were checked against a stores file.
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

    @property
    def rows_accepted(self) -> int:
        """Number of rows that passed every check."""
        return len(self.data)

    @property
    def rows_rejected(self) -> int:
        """Number of rows that went to the rejects file."""
        return self.rows_read - len(self.data)

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
        """
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


@dataclass(frozen=True)
class Chain:
    """The four tables of a chain, each as a :class:`LoadResult`."""

    stores: LoadResult
    complaints: LoadResult
    surveys: LoadResult
    transactions: LoadResult
    #: Optional membership programme (``memberships.csv``); None when the folder has none.
    memberships: LoadResult | None = None

    def summary(self, lang: str = "en") -> list[str]:
        """One :meth:`LoadResult.summary` line per table."""
        lines = []
        for kind in KINDS:
            result = getattr(self, kind)
            lines.append(result.summary(lang))
            renamed = {h: c for h, c in result.mapping.items() if h != c}
            if renamed:
                pairs = ", ".join(f"{h} → {c}" for h, c in renamed.items())
                lines.append(t("text.mapping_used", lang, file=result.source.name, pairs=pairs))
        return lines


# ----------------------------------------------------------------------------- mapping


# ----------------------------------------------------------------------------- reading


# ----------------------------------------------------------------------------- loading


def _canonical(
    raw: RawTable, kind: str, user: UserMapping, ces_scale: int
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    spec = get_spec(kind, ces_scale)
    res = resolve_headers(raw.headers, spec, user.columns)
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
    renamed: dict[str, str] = {}
    used: set[str] = set(res.mapping.values())
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
    return frame, dict(res.mapping), [renamed[f"c{i}"] for i, h in enumerate(raw.headers) if h not in res.mapping]


def _store_ids(stores: Any) -> list[str] | None:
    if stores is None:
        return None
    if isinstance(stores, LoadResult):
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
) -> LoadResult:
    """Read, map, convert and check one table of ``kind``.

    Parameters
    ----------
    kind : {"stores", "complaints", "surveys", "transactions"}
    path : str or Path
        A ``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.parquet`` file, or a folder of such files
        (e.g. one per month) read as one table.
    mapping : path, dict or None
        A user mapping (see the module docstring) for headers the built-in aliases miss.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); by default the sheet named after ``kind``
        (``complaints`` / 投诉 …), else the first.
    stores : LoadResult, DataFrame, iterable of ids, or path, optional
        The stores; when given, every ``store_id`` must be one of them.
    rejects_dir, rejects_file : path, optional
        Where to write the rejects (default: ``<name>.rejects.csv`` next to the source).
    write_rejects : bool
        Write the rejects file (a stale one from an earlier run is removed when all rows pass).
    ces_scale : {7, 5}
        The declared CES scale of a surveys file.

    Returns
    -------
    LoadResult

    Raises
    ------
    DataError
        When the file cannot be used at all: missing, empty, header only, unreadable encoding,
        a required column missing, an unknown sheet, a broken workbook.

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
    files = input_files(source)
    folder = source.is_dir()

    frames: list[pd.DataFrame] = []
    file_idx: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    mapping_used: dict[str, str] = {}
    header_of: dict[str, str] = {}
    unmapped: list[str] = []
    invalid: list[tuple[int, int, str]] = []
    blank = 0
    encodings: list[str] = []
    sheets: list[str] = []
    for k, file in enumerate(files):
        raw = read_file(file, sheet, kind)
        if len(raw.frame) == 0 and not raw.invalid and not folder:
            raise DataError.from_key("io.error.header_only", file=file, sheet=raw.sheet)
        frame, used, extra = _canonical(raw, kind, user, ces_scale)
        frames.append(frame)
        file_idx.append(np.full(len(frame), k, dtype="int32"))
        rows.append(raw.rows)
        mapping_used.update(used)
        for header, canon in used.items():
            header_of.setdefault(canon, header)
        unmapped += [u for u in extra if u not in unmapped]
        invalid += [(k, number, text) for number, text in raw.invalid]
        blank += raw.blank
        if raw.encoding:
            encodings.append(raw.encoding)
        if raw.sheet:
            sheets.append(raw.sheet)
    table = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    del frames
    n = len(table)
    if n == 0 and not invalid:
        raise DataError.from_key("io.error.header_only", file=source)
    fidx = np.concatenate(file_idx)
    srow = np.concatenate(rows)
    names = np.array([f.name for f in files], dtype=object)

    def where(pos: np.ndarray) -> np.ndarray:
        label = ("row " + pd.Series(srow[pos]).astype("str")).to_numpy(dtype=object)
        return (names[fidx[pos]] + " " + label) if folder else label

    store_ids = _store_ids(stores)
    data, problems, notes = check_frame(table, spec, store_ids=store_ids, where=where, value_map=user.values)

    bad = np.zeros(n, dtype=bool)
    bad[problems["pos"].to_numpy(dtype="int64")] = True
    keep = ~bad
    accepted = data.loc[keep].reset_index(drop=True)
    origin = pd.DataFrame(
        {
            "source_file": pd.Categorical.from_codes(fidx[keep], categories=list(names)) if n else pd.Categorical([]),
            "source_row": srow[keep],
        }
    )

    rejects = _rejects_table(problems, invalid, table, fidx, srow, names, header_of, spec.names, len(files))
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
    absent = tuple(c.name for c in spec.columns if not c.required and c.name not in header_of)
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
    )


def _rejects_table(
    problems: pd.DataFrame,
    invalid: list[tuple[int, int, str]],
    table: pd.DataFrame,
    fidx: np.ndarray,
    srow: np.ndarray,
    names: np.ndarray,
    header_of: dict[str, str],
    canonical: list[str],
    n_files: int,
) -> pd.DataFrame:
    """Problems + wrong-field-count rows, with source file/row and the row's original values."""
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
        zh = t("io.reason.wrong_field_count", "zh", expected=len(header_of) or "?")
        en = t("io.reason.wrong_field_count", "en", expected=len(header_of) or "?")
        bad = pd.DataFrame(
            {
                "source_file": [names[k] for k, _, _ in invalid],
                "source_row": [r for _, r, _ in invalid],
                "column": "",
                "header": "",
                "value": [text for _, _, text in invalid],
                "reason": "wrong_field_count",
                "reason_zh": zh,
                "reason_en": en,
                "detail": "",
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


def find_input(data_dir: Path, kind: str) -> Path:
    """The file (or folder) holding ``kind`` in ``data_dir``: ``<kind>.csv|.xlsx|.parquet`` or ``<kind>/``."""
    data_dir = Path(data_dir)
    for suffix in (".csv", ".xlsx", ".parquet"):
        candidate = data_dir / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    if (data_dir / kind).is_dir():
        return data_dir / kind
    raise DataError.from_key("io.error.no_table", file=data_dir, kind=kind)


def _chain_key(data_dir: Any, *, mapping: Any = None, rejects_dir: Any = None, ces_scale: int = 7) -> Any:
    if rejects_dir is not None or not isinstance(mapping, (str, Path, type(None))):
        return None  # writes elsewhere or an in-memory mapping: not cached
    folder = Path(data_dir).resolve()
    return (str(folder), tuple(data_files(folder)), str(mapping), ces_scale)


@cached(key=_chain_key)
def load_chain(
    data_dir: str | Path,
    *,
    mapping: str | Path | Mapping[str, Any] | None = None,
    rejects_dir: str | Path | None = None,
    ces_scale: int = 7,
) -> Chain:
    """Load ``stores``, ``complaints``, ``surveys`` and ``transactions`` from ``data_dir``.

    Headers are mapped through ``mapping`` or, when it is None, through ``data_dir/mapping.yaml``
    if that file exists (see :func:`read_mapping` for its layout); :meth:`Chain.summary` lists
    the headers that were renamed.

    The stores are read first; the other tables' store ids are checked against them.  Each
    table may be a file (``complaints.csv`` / ``.xlsx`` / ``.parquet``) or a folder of monthly
    files (``complaints/``).

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
    stores = load_table("stores", find_input(data_dir, "stores"), mapping=mapping, rejects_dir=rejects_dir)
    others = {
        kind: load_table(
            kind,
            find_input(data_dir, kind),
            mapping=mapping,
            stores=stores,
            rejects_dir=rejects_dir,
            ces_scale=ces_scale,
        )
        for kind in KINDS
        if kind != "stores"
    }
    # --- optional memberships (kit.loyalty.contractual): read only when the folder has them ---
    try:
        members_path: Path | None = find_input(data_dir, "memberships")
    except DataError:
        members_path = None
    if members_path is not None:
        others["memberships"] = load_table(
            "memberships", members_path, mapping=mapping, stores=stores, rejects_dir=rejects_dir
        )
    # --- end of optional memberships ---
    return Chain(stores=stores, **others)
