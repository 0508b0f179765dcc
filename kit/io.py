"""Loading the chain's data files: one front door for every notebook and the command line.

This first version reads the kit's own CSV layout (see ``data/README.md``); the intake issue
extends it to real exports (encodings, Chinese headers, Excel, mapping files, rejects).

Public API
----------
``load_table(kind, path, ...) -> LoadResult``
``load_chain(data_dir, ...) -> Chain``

Examples
--------
>>> import tempfile
>>> from kit.sample import write_chain
>>> folder = tempfile.mkdtemp()
>>> _ = write_chain(folder, stores=2, months=1, seed=1)
>>> chain = load_chain(folder)
>>> chain.stores.data["store_id"].tolist()
['001', '002']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit.errors import DataError
from kit.i18n import code_for, t

KINDS = ("stores", "complaints", "surveys", "transactions")

#: Columns read as text, so that "001" stays "001".
ID_COLUMNS = {"store_id", "complaint_id", "customer_id", "response_id", "transaction_id", "customer_phone"}
TIMESTAMP_COLUMNS = {
    "complaints": ["created_at", "first_response_at", "resolved_at", "closed_at", "follow_up_at"],
    "surveys": ["date"],
    "transactions": ["date"],
    "stores": [],
}
#: Columns whose values are codes of a label group; Chinese or English labels are mapped to codes.
CODED_COLUMNS = {"complaints": {"channel": "channel", "tier": "tier", "category": "category", "approver_role": "approver_role"}}
REQUIRED = {
    "stores": ["store_id", "store_name_zh", "store_name_en", "opening_hours"],
    "complaints": ["complaint_id", "store_id", "channel", "tier", "category", "created_at", "first_response_at"],
    "surveys": ["response_id", "store_id", "date"],
    "transactions": ["customer_id", "store_id", "date", "amount"],
}


@dataclass(frozen=True)
class LoadResult:
    """One loaded table: the accepted rows, the rejected rows with reasons, and the counts.

    Always ``rows_read == len(data) + rows_rejected``.
    """

    kind: str
    data: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    source: Path
    mapping: dict[str, str] = field(default_factory=dict)
    rejects_path: Path | None = None

    @property
    def rows_accepted(self) -> int:
        return len(self.data)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - len(self.data)

    def summary(self, lang: str = "en") -> str:
        """"N of M rows rejected — see <rejects file>" (or "all M rows passed") in ``lang``."""
        if self.rows_rejected:
            return t("text.rejected_rows", lang, file=self.source.name, read=self.rows_read,
                     rejected=self.rows_rejected, rejects=self.rejects_path)
        return t("text.no_rejects", lang, file=self.source.name, read=self.rows_read)


@dataclass(frozen=True)
class Chain:
    """The four tables of a chain, each as a :class:`LoadResult`."""

    stores: LoadResult
    complaints: LoadResult
    surveys: LoadResult
    transactions: LoadResult

    def summary(self, lang: str = "en") -> list[str]:
        return [getattr(self, k).summary(lang) for k in KINDS]


def _find(data_dir: Path, kind: str) -> Path:
    for suffix in (".csv", ".xlsx", ".parquet"):
        candidate = data_dir / f"{kind}{suffix}"
        if candidate.exists():
            return candidate
    raise DataError(
        f"在文件夹中找不到 {kind} 数据文件",
        f"no {kind} file found in the data folder",
        file=str(data_dir),
        hint_zh=f"请放入 {kind}.csv（或 .xlsx / .parquet），或检查 data_dir 参数",
        hint_en=f"put {kind}.csv (or .xlsx / .parquet) there, or check the data_dir parameter",
    )


def load_table(kind: str, path: str | Path, *, rejects_dir: str | Path | None = None) -> LoadResult:
    """Read one table of ``kind`` from ``path`` (CSV in UTF-8, ids kept as text)."""
    path = Path(path)
    if not path.exists():
        raise DataError("文件不存在", "the file does not exist", file=str(path),
                        hint_zh="检查路径和文件名", hint_en="check the path and the file name")
    frame = pd.read_csv(path, dtype={c: str for c in ID_COLUMNS}, encoding="utf-8-sig", keep_default_na=True)
    missing = [c for c in REQUIRED[kind] if c not in frame.columns]
    if missing:
        raise DataError(f"缺少必需的列：{missing[0]}", f"a required column is missing: {missing[0]}",
                        file=str(path), column=missing[0],
                        hint_zh="按 data/README.md 的数据字典补上这一列", hint_en="add it as described in data/README.md")
    for col, group in CODED_COLUMNS.get(kind, {}).items():
        if col in frame.columns:
            frame[col] = code_for(group, frame[col])
    for col in TIMESTAMP_COLUMNS[kind]:
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col], format="ISO8601")
    empty = pd.DataFrame(columns=["source_row", "column", "reason_zh", "reason_en"])
    return LoadResult(kind=kind, data=frame, rejects=empty, rows_read=len(frame), source=path,
                      mapping={c: c for c in frame.columns})


def load_chain(data_dir: str | Path, *, rejects_dir: str | Path | None = None) -> Chain:
    """Load ``stores``, ``complaints``, ``surveys`` and ``transactions`` from ``data_dir``."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError("数据文件夹不存在", "the data folder does not exist", file=str(data_dir),
                        hint_zh="检查 data_dir 参数，或先运行 kit sample 生成示例数据",
                        hint_en="check the data_dir parameter, or run `kit sample` to create the sample chain")
    tables = {kind: load_table(kind, _find(data_dir, kind), rejects_dir=rejects_dir) for kind in KINDS}
    return Chain(**tables)
